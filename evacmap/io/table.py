"""Reading flow tables — CSV, Excel, OpenDocument, HXL, GeoJSON, GeoPackage — into a FlowGraph.

A flow table has one row per movement (or per group of a movement)::

    movement,origin,destination,count,count_kind,group,date,source
    m1,al-Waer,Idlib province; Jarablus,450,reported,,2017-05-20,Sputnik
    m1,al-Waer,Idlib province; Jarablus,193,reported,fighters,2017-05-20,Sputnik

Columns (see :data:`evacmap.io.columns.CANONICAL` for all of them and their other
spellings; ``--columns origin=from_name`` maps any other name):

* ``origin``, ``destination``: place names in any spelling the gazetteer knows, or
  OCHA P-codes (``SY07``); several destinations separated by ``;`` or ``|`` (or a JSON
  list) make one movement whose split between them is not reported. One end may be
  empty: "5,000 people left Harasta" has no destination, and none is invented.
  ``origin_lat``/``origin_lon``, ``destination_lat``/``destination_lon`` may be given
  instead of (or with) names; ``via`` lists waypoints in order.
* ``count`` (a whole number of people), ``count_min`` / ``count_max`` ("at least" /
  "up to"), ``count_kind`` (reported, estimated, planned, cumulative), ``unit``.
* ``group`` names the group a row counts; rows with the same ``movement`` id — or,
  without ids, the same route, kind, date, stage and source as one total row — form
  one movement. ``count_<group>`` columns give groups in the same row.
* ``date``, ``stage``, ``operation``, ``source``, ``evidence``, country hints.

HXL-tagged tables (a hashtag row under the header) are read by their tags.

Examples
--------
>>> import tempfile, pathlib
>>> from evacmap import Gazetteer
>>> f = pathlib.Path(tempfile.mkdtemp()) / "flows.csv"
>>> _ = f.write_text("origin,destination,count\\nEl Waer,Idleb province,450\\n")
>>> g = read_flows(f, gazetteer=Gazetteer.curated())
>>> m = g.movements[0]
>>> m.origin.name, m.destinations[0].name, m.count
('al-Waer', 'Idleb governorate', 450)
>>> _ = f.write_text("origin,destination,count\\nEl Waer,Idleb,12k\\n")
>>> read_flows(f, gazetteer=Gazetteer.curated())
Traceback (most recent call last):
...
evacmap.errors.FlowTableError: 1 problem(s) found in flows.csv
  flows.csv:2:3: '12k' is not a whole number of people (column 'count'). Hint: write 12000.
"""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from evacmap._tabular import read_table
from evacmap.errors import (
    EvacmapWarning,
    FlowTableError,
    InputError,
    Problem,
    SourceLocation,
    UnresolvedPlaceWarning,
    source_label,
)
from evacmap.flows import FlowGraph, ReadSummary
from evacmap.io.assemble import Context, Rows, assemble
from evacmap.io.columns import map_columns, parse_column_mapping
from evacmap.io.csvfile import restore_cells
from evacmap.io.gis import GEO_SUFFIXES, read_geo_frame
from evacmap.io.records import tables_from_records

if TYPE_CHECKING:  # pragma: no cover
    from evacmap.gazetteer import Gazetteer

__all__ = ["read_flows", "read_geojson"]

logger = logging.getLogger(__name__)


def _rows_from(
    frame: pd.DataFrame,
    lines: np.ndarray,
    source: str,
    *,
    header: list[str],
    hashtags: list[str] | None,
    columns: Mapping[str, str] | None,
) -> tuple[Rows | None, list[Problem], bool]:
    """Map a text frame's columns; the rows (None for evacmap's own export), problems."""
    samples = {c: frame[c].head(50).astype(str).tolist() for c in header if c in frame.columns}
    cm = map_columns(header, source=source, hashtags=hashtags, mapping=columns, samples=samples)
    for note in cm.notes:
        logger.warning("%s: %s", source, note)
    if cm.ignored:
        logger.info("%s: columns not used: %s", source, ", ".join(cm.ignored))
    if cm.problems:
        raise FlowTableError(cm.problems, source=source)
    if cm.export:
        return None, [], True
    data = {canon: frame[col] for canon, col in cm.columns.items()}
    positions = {canon: header.index(col) + 1 for canon, col in cm.columns.items() if col in header}
    group_cols: dict[str, str] = {}
    for g, col in cm.group_columns.items():
        key = f"__group_{len(group_cols)}"
        data[key] = frame[col]
        group_cols[g] = key
        positions[key] = header.index(col) + 1
    out = pd.DataFrame(data) if data else pd.DataFrame(index=frame.index)
    return Rows(out.reset_index(drop=True), np.asarray(lines), source, positions, group_cols, cm.unit), [], False


def _is_export(header: Sequence[str]) -> bool:
    names = {h.strip().casefold() for h in header}
    return {"feature", "movement_id"} <= names


def _fail_or_warn(problems: list[Problem], source: str, errors: str) -> None:
    if not problems:
        return
    if errors == "raise":
        raise FlowTableError(problems, source=source)
    unresolved = any("gazetteer" in p.message or "ambiguous" in p.message for p in problems)
    warnings.warn(
        f"{len(problems)} problem(s) in {source}; those rows were left out (see FlowGraph.rejected)",
        UnresolvedPlaceWarning if unresolved else EvacmapWarning,
        stacklevel=3,
    )


def read_flows(
    path: str | os.PathLike[str],
    *,
    gazetteer: Gazetteer | None = None,
    country: str | None = None,
    errors: Literal["raise", "report"] = "raise",
    title: str = "",
    encoding: str | None = None,
    sheet: str | int | None = None,
    layer: str | None = None,
    columns: Mapping[str, str] | str | Sequence[str] | None = None,
    context: Context = "file",
    source: str | None = None,
    merge: bool = True,
    point_role: Literal["origin", "destination"] = "destination",
) -> FlowGraph:
    """Read a flow table or GIS file into a :class:`~evacmap.flows.FlowGraph`.

    Parameters
    ----------
    path
        A CSV/TSV (any delimiter; UTF-8 or UTF-16, or `encoding`), an Excel or
        OpenDocument sheet, an HXL-tagged table, or a GeoJSON / GeoPackage /
        FlatGeobuf / shapefile of flow lines or points — evacmap's own exports are
        read back exactly.
    gazetteer
        Resolves place names; the default world gazetteer when not given.
    country
        ISO code of the country most names are in (a hint, e.g. ``"SY"``).
    errors
        ``"raise"`` (default): any bad row raises one :class:`FlowTableError` listing
        every problem. ``"report"``: bad rows are left out, listed in
        ``graph.rejected`` (with ``file:line:column``) and announced with a warning —
        never dropped silently. Problems with the columns themselves always raise.
    title
        Title of the result (default: the file name).
    encoding, sheet, layer
        The text encoding; the sheet of a spreadsheet; the layer of a GIS file.
    columns
        Column mapping, e.g. ``{"origin": "from_name", "count": "ppl"}`` or
        ``"origin=from_name,count=ppl"``.
    context
        How place names are resolved together: ``"file"`` (default: the file's
        distinct names, whatever their order or chunking), ``"source"`` (per
        ``source`` value), ``"none"``, or a list of places known to be nearby.
    source
        How to name the file in messages and evidence (default: the path as given,
        or its file name when absolute).
    merge
        Whether to merge the same convoy reported by different sources.
    point_role
        For a GIS file of points: whether a point is the ``"destination"`` (default)
        or the ``"origin"`` of its movement.

    Returns
    -------
    FlowGraph
        With ``rejected`` (problems of rows left out) and ``summary`` (rows,
        movements, duplicates merged, rejected).

    Raises
    ------
    FlowTableError
        Bad rows (strict mode) or unusable columns, each as
        ``file:line:column: what is wrong. Hint: how to fix it``.
    InputError
        The file cannot be read, is empty or has no rows.
    """
    if errors not in ("raise", "report"):
        raise InputError(f"`errors` must be 'raise' or 'report', got {errors!r}")
    p = Path(path)
    label = source or source_label(p)
    mapping = parse_column_mapping(columns) if not isinstance(columns, Mapping) else dict(columns)
    if not p.exists():
        raise InputError(f"cannot read {label!r}: no such file", hint="check the path")
    structural: list[Problem] = []
    if p.suffix.lower() in GEO_SUFFIXES:
        tables, frame, lines = read_geo_frame(p, source=label, layer=layer, point_role=point_role)
        if tables is not None:
            return FlowGraph(tables, title=title or p.stem,
                             summary=ReadSummary(len(tables.movements), len(tables.movements)))
        header = [c for c in frame.columns if not c.startswith("__")]
        rows, _, _ = _rows_from(frame, lines, label, header=header, hashtags=None, columns=mapping or None)
        assert rows is not None
        for name in ("origin_lat", "origin_lon", "destination_lat", "destination_lon"):
            geo = f"__geom_{name}"
            if geo in frame.columns:
                given = rows.frame[name] if name in rows.frame.columns else ""
                rows.frame[name] = frame[geo].where(frame[geo] != "", given)
        multi = np.flatnonzero(frame["__parts"].to_numpy() > 1) if "__parts" in frame else np.zeros(0, dtype=int)
        for i in multi.tolist():
            if not rows.cells("destination").iloc[i]:
                rows.problems.append((i, None, f"feature {i + 1} is a MultiLineString of "
                                      f"{int(frame['__parts'].iloc[i])} parts but names no destinations",
                                      "add a destination column naming them, separated by ;"))
        n_rows = len(frame)
    else:
        raw = read_table(p, source=label, encoding=encoding, sheet=sheet)
        structural = list(raw.problems)
        if raw.frame.empty and not structural and not _is_export(raw.columns):
            raise InputError(
                f"{raw.source} has a header but no rows",
                location=SourceLocation(raw.source, 2),
                hint="add the movements under the header line",
            )
        rows, _, export = _rows_from(raw.frame, raw.lines, raw.source, header=raw.columns,
                                     hashtags=raw.hashtags, columns=mapping or None)
        label = raw.source
        if export:
            feature = next((c for c in raw.columns if c.strip().casefold() == "feature"), None)
            frame = restore_cells(raw.frame)
            kind = frame[feature] if feature else pd.Series(["flow"] * len(frame))
            places = frame[kind == "place"]
            flows = frame[kind == "flow"]
            tables = tables_from_records(places, flows, source=label)
            _fail_or_warn(structural, label, errors)
            return FlowGraph(tables, title=title or p.stem, rejected=structural,
                             summary=ReadSummary(len(raw.frame), len(tables.movements), rejected=len(structural)))
        assert rows is not None
        dropped = sum(1 for s in structural if "appears twice" not in s.message)
        n_rows = len(raw.frame) + dropped
    tables, problems, summary = assemble(rows, gazetteer=gazetteer, country=country, context=context, merge=merge)
    problems = structural + problems
    summary = ReadSummary(n_rows, summary.movements, summary.merged, summary.rejected + (n_rows - len(rows.frame)))
    _fail_or_warn(problems, label, errors)
    logger.info("Read %s", summary)
    return FlowGraph(tables, rejected=problems, title=title or p.stem, summary=summary)


def read_geojson(path: str | os.PathLike[str], **kwargs: object) -> FlowGraph:
    """Read any GeoJSON of flows (evacmap's own exports exactly): :func:`read_flows`."""
    return read_flows(path, **kwargs)  # type: ignore[arg-type]
