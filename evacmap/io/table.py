"""Reading flow tables (CSV) into movements, with every bad row reported by location.

A flow table has one row per movement (or per group of a movement)::

    origin,destination,count,count_kind,group,date,source
    al-Waer,Idlib province; Jarablus,450,reported,,2017-05-20,Sputnik
    al-Waer,Idlib province; Jarablus,193,reported,fighters,2017-05-20,Sputnik

* ``origin`` and ``destination`` are place names (any spelling the gazetteer knows);
  several destinations separated by ``;`` or ``|`` make one movement whose split
  between them is not reported. ``origin_lat``/``origin_lon`` and
  ``destination_lat``/``destination_lon`` may be given instead of (or with) names.
* ``count`` is a whole number of people, empty when unknown; ``count_min`` and
  ``count_max`` hold "at least" / "up to" bounds; ``count_kind`` is reported
  (default), estimated, planned or cumulative.
* ``group`` names the group a row counts (fighters, civilians…). Rows with the same
  origin, destinations, kind, date, stage and source — or the same ``movement`` id —
  form one movement: a row without a group is its total, grouped rows its breakdown.
* Optional: ``date`` (ISO day, month, year or ``start/end``), ``stage``, ``source``,
  ``evidence`` (the words of the report), ``movement``, and country hints ``country``,
  ``origin_country``, ``destination_country`` (ISO codes).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import os
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from evacmap._validate import CellError, parse_coordinate, parse_count, parse_count_kind, parse_date
from evacmap.errors import (
    AmbiguousPlaceError,
    EvacmapWarning,
    FlowTableError,
    GazetteerError,
    InputError,
    PlaceNotFoundError,
    Problem,
    SourceLocation,
    UnresolvedPlaceWarning,
    source_label,
)
from evacmap.flows import FlowGraph
from evacmap.gazetteer import Gazetteer, default_gazetteer
from evacmap.model import CountKind, Evidence, Match, Movement, Place, PlaceKind

__all__ = ["read_flows"]

logger = logging.getLogger(__name__)

#: Accepted spellings of column names.
COLUMN_ALIASES = {
    "from": "origin",
    "origin_name": "origin",
    "to": "destination",
    "destinations": "destination",
    "destination_name": "destination",
    "people": "count",
    "persons": "count",
    "individuals": "count",
    "number": "count",
    "kind": "count_kind",
    "count_type": "count_kind",
    "min": "count_min",
    "max": "count_max",
    "notes": "evidence",
    "quote": "evidence",
    "movement_id": "movement",
    "from_lat": "origin_lat",
    "from_lon": "origin_lon",
    "to_lat": "destination_lat",
    "to_lon": "destination_lon",
}
KNOWN_COLUMNS = {
    "origin",
    "destination",
    "count",
    "count_kind",
    "count_min",
    "count_max",
    "group",
    "date",
    "stage",
    "source",
    "evidence",
    "movement",
    "country",
    "origin_country",
    "destination_country",
    "origin_lat",
    "origin_lon",
    "destination_lat",
    "destination_lon",
}
_SPLIT_DEST = re.compile(r"\s*[;|]\s*")


@dataclass
class _Row:
    line: int
    cells: dict[str, str]
    problems: list[Problem] = field(default_factory=list)
    origin: Place | None = None
    destinations: list[Place] = field(default_factory=list)


def _norm_header(name: str) -> str:
    key = re.sub(r"[\s\-]+", "_", name.strip().lower().lstrip("\ufeff"))
    return COLUMN_ALIASES.get(key, key)


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","


def read_flows(
    path: str | os.PathLike[str],
    *,
    gazetteer: Gazetteer | None = None,
    country: str | None = None,
    errors: Literal["raise", "report"] = "raise",
    title: str = "",
) -> FlowGraph:
    """Read a flow table (CSV) into a :class:`~evacmap.flows.FlowGraph`.

    Parameters
    ----------
    path
        The CSV file (UTF-8; comma, semicolon or tab separated).
    gazetteer
        Resolves place names; the default world gazetteer when not given.
    country
        ISO code of the country most names are in (a hint, e.g. ``"SY"``).
    errors
        ``"raise"`` (default): any bad row raises one :class:`FlowTableError` listing
        every problem. ``"report"``: bad rows are left out, listed in
        ``graph.rejected`` and announced with a warning — never dropped silently.
    title
        Title of the result (default: the file name).

    Returns
    -------
    FlowGraph
        One movement per row or group of rows; each movement's evidence points at its
        rows (``file:line``).

    Raises
    ------
    FlowTableError
        Bad rows, each as ``file:line:column: what is wrong. Hint: how to fix it``.
    InputError
        The file cannot be read or lacks the needed columns.

    Examples
    --------
    >>> import tempfile, pathlib
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
    evacmap.errors.FlowTableError: 1 problem(s) found in ...flows.csv
      ...flows.csv:2:3: '12k' is not a whole number of people (column 'count'). Hint: write 12000.
    """
    if errors not in ("raise", "report"):
        raise InputError(f"`errors` must be 'raise' or 'report', got {errors!r}")
    p = Path(path)
    source = source_label(p)
    try:
        text = p.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{source} is not UTF-8 text", hint="save the table as CSV UTF-8") from exc
    except OSError as exc:
        raise InputError(f"cannot read {source!r}: {exc.strerror}", hint="check the path") from exc
    rows, columns = _parse_rows(text, source)
    gaz = gazetteer if gazetteer is not None else default_gazetteer()
    _resolve_places(rows, columns, source, gaz, country)
    movements, problems = _assemble(rows, columns, source)
    if problems and errors == "raise":
        raise FlowTableError(problems, source=source)
    if problems:
        unresolved = any("gazetteer" in p.message or "ambiguous" in p.message for p in problems)
        warnings.warn(
            f"{len(problems)} problem(s) in {source}; those rows were left out "
            "(see FlowGraph.rejected)",
            UnresolvedPlaceWarning if unresolved else EvacmapWarning,
            stacklevel=2,
        )
    logger.info("Read %d movements from %d rows of %s", len(movements), len(rows), source)
    return FlowGraph(movements, rejected=problems, title=title or p.stem)


def _parse_rows(text: str, source: str) -> tuple[list[_Row], dict[str, int]]:
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise InputError(
            f"{source} is empty",
            location=SourceLocation(source, 1),
            hint="the first line must name the columns: origin,destination,count",
        )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(lines[0]))
    header = next(reader)
    columns: dict[str, int] = {}
    for i, raw in enumerate(header, start=1):
        name = _norm_header(raw)
        if name in columns:
            raise InputError(
                f"column {name!r} appears twice",
                location=SourceLocation(source, 1, i),
                hint="rename or remove one of them",
            )
        columns[name] = i
    unknown = [n for n in columns if n not in KNOWN_COLUMNS and n]
    if unknown:
        logger.info("Ignoring unknown columns in %s: %s", source, ", ".join(unknown))
    for side in ("origin", "destination"):
        if side not in columns and not {f"{side}_lat", f"{side}_lon"} <= columns.keys():
            raise InputError(
                f"{source} has no `{side}` column (found: {', '.join(columns)})",
                location=SourceLocation(source, 1),
                hint=f"name a column {side!r}, or give {side}_lat and {side}_lon",
            )
    rows: list[_Row] = []
    line = reader.line_num + 1
    for record in reader:
        start, line = line, reader.line_num + 1
        if not any(c.strip() for c in record):
            continue
        if rows == [] and all(c.strip().startswith("#") for c in record if c.strip()):
            logger.info("Skipping an HXL hashtag row at %s:%d", source, start)
            continue
        row = _Row(start, {})
        if len(record) > len(header):
            row.problems.append(
                Problem(
                    f"row has {len(record)} cells but the header has {len(header)}",
                    SourceLocation(source, start, len(header) + 1),
                    "quote cells that contain the delimiter",
                )
            )
        for name, col in columns.items():
            row.cells[name] = record[col - 1].strip() if col - 1 < len(record) else ""
        rows.append(row)
    return rows, columns


def _cell_problem(
    row: _Row, source: str, columns: dict[str, int], column: str, exc: CellError | InputError
) -> None:
    row.problems.append(
        Problem(
            f"{exc.message} (column {column!r})",
            SourceLocation(source, row.line, columns.get(column)),
            exc.hint,
        )
    )


def _point(row: _Row, source: str, columns: dict[str, int], side: str) -> Place | None:
    lat_s, lon_s = row.cells.get(f"{side}_lat", ""), row.cells.get(f"{side}_lon", "")
    if not lat_s and not lon_s:
        return None
    if not lat_s or not lon_s:
        missing = f"{side}_lat" if not lat_s else f"{side}_lon"
        row.problems.append(
            Problem(
                f"`{missing}` is empty but its partner is not",
                SourceLocation(source, row.line, columns.get(missing)),
                "give both latitude and longitude, or neither",
            )
        )
        return None
    try:
        lat = parse_coordinate(lat_s, axis="lat")
    except CellError as exc:
        _cell_problem(row, source, columns, f"{side}_lat", exc)
        return None
    try:
        lon = parse_coordinate(lon_s, axis="lon")
    except CellError as exc:
        _cell_problem(row, source, columns, f"{side}_lon", exc)
        return None
    name = row.cells.get(side) or f"{lat:.4f}, {lon:.4f}"
    return Place(
        name,
        lat,
        lon,
        kind=PlaceKind.POINT,
        country=(row.cells.get(f"{side}_country") or row.cells.get("country", "")),
        source=f"coordinates given in {source}:{row.line}",
    )


def _resolve_places(
    rows: list[_Row], columns: dict[str, int], source: str, gaz: Gazetteer, country: str | None
) -> None:
    """Give each row its origin and destination places, or problems saying why not."""
    wanted: list[tuple[_Row, str, str, str | None]] = []  # row, side, name, country hint
    known: list[Place] = []
    for row in rows:
        for side in ("origin", "destination"):
            point = _point(row, source, columns, side)
            if point is None and (row.cells.get(f"{side}_lat") or row.cells.get(f"{side}_lon")):
                continue  # bad coordinates were reported; the name is not looked up instead
            if point is not None:
                known.append(point)
                if side == "origin":
                    row.origin = point
                else:
                    row.destinations = [point]
                continue
            cell = row.cells.get(side, "")
            names = (
                [n for n in _SPLIT_DEST.split(cell) if n]
                if side == "destination"
                else ([cell] if cell else [])
            )
            if not names:
                row.problems.append(
                    Problem(
                        f"`{side}` is empty",
                        SourceLocation(source, row.line, columns.get(side)),
                        f"name the {side} or give {side}_lat and {side}_lon",
                    )
                )
            hint = row.cells.get(f"{side}_country") or row.cells.get("country") or None
            wanted.extend((row, side, n, hint) for n in names)
    results = gaz.geocode_many(
        [w[2] for w in wanted],
        country=country,
        countries=[w[3] for w in wanted],
        near=known,
    )
    for (row, side, name, _), res in zip(wanted, results, strict=True):
        if isinstance(res, Match):
            if side == "origin":
                row.origin = res.place
            else:
                row.destinations.append(res.place)
            continue
        where = SourceLocation(source, row.line, columns.get(side))
        row.problems.append(_place_problem(side, name, res, where))


def _place_problem(side: str, name: str, err: GazetteerError, where: SourceLocation) -> Problem:
    coords = f"or give {side}_lat and {side}_lon"
    if isinstance(err, AmbiguousPlaceError):
        options = "; ".join(c.place.label for c in err.candidates[:4])
        return Problem(
            f"{side} {name!r} is ambiguous: {options}",
            where,
            f"add a country (--country, a `{side}_country` column, or '{name}, Country'), {coords}",
        )
    assert isinstance(err, PlaceNotFoundError)  # the only other kind
    if err.suggestions:
        return Problem(
            f"{side} {name!r} is not in the gazetteer",
            where,
            f"did you mean {' or '.join(repr(s) for s in err.suggestions[:3])}? "
            f"Otherwise {coords}, or add the place with --places FILE",
        )
    return Problem(
        f"{side} {name!r} is not in the gazetteer",
        where,
        f"check the spelling, {coords}, or add the place with --places FILE",
    )


@dataclass
class _Values:
    """The typed cells of one row (None where empty or bad; bad cells are problems)."""

    count: int | None = None
    count_min: int | None = None
    count_max: int | None = None
    count_kind: CountKind = CountKind.REPORTED
    date_start: dt.date | None = None
    date_end: dt.date | None = None


def _parse_cells(row: _Row, source: str, columns: dict[str, int]) -> _Values:
    out = _Values()
    for col in ("count", "count_min", "count_max"):
        try:
            setattr(out, col, parse_count(row.cells.get(col, "")))
        except CellError as exc:
            _cell_problem(row, source, columns, col, exc)
    try:
        out.count_kind = parse_count_kind(row.cells.get("count_kind", ""))
    except CellError as exc:
        _cell_problem(row, source, columns, "count_kind", exc)
    try:
        out.date_start, out.date_end = parse_date(row.cells.get("date", ""))
    except CellError as exc:
        _cell_problem(row, source, columns, "date", exc)
    return out


def _group_key(row: _Row, values: _Values) -> tuple[object, ...]:
    if row.cells.get("movement"):
        return ("id", row.cells["movement"])
    assert row.origin is not None  # rows with problems are skipped earlier
    return (
        row.origin.id,
        tuple(sorted(d.id for d in row.destinations)),
        values.count_kind,
        values.date_start,
        values.date_end,
        row.cells.get("stage", ""),
        row.cells.get("source", ""),
    )


def _assemble(
    rows: Sequence[_Row], columns: dict[str, int], source: str
) -> tuple[list[Movement], list[Problem]]:
    parsed: list[tuple[_Row, _Values]] = []
    for row in rows:
        values = _parse_cells(row, source, columns)
        parsed.append((row, values))
    groups: dict[tuple[object, ...], list[tuple[_Row, _Values]]] = {}
    for row, values in parsed:
        if row.problems:
            continue
        key = _group_key(row, values)
        # Rows without a group each stand alone unless a movement id ties them together.
        alone = not row.cells.get("group") and not row.cells.get("movement")
        if alone and any(not r.cells.get("group") for r, _ in groups.get(key, [])):
            key = (*key, row.line)
        groups.setdefault(key, []).append((row, values))
    movements: list[Movement] = []
    for members in groups.values():
        m = _movement(members, source, columns)
        if m is not None:
            movements.append(m)
    problems = [p for row in rows for p in row.problems]
    return movements, problems


def _place_id(place: Place | None) -> str | None:
    return None if place is None else place.id


def _movement(
    members: list[tuple[_Row, _Values]], source: str, columns: dict[str, int]
) -> Movement | None:
    totals = [(r, v) for r, v in members if not r.cells.get("group")]
    parts = [(r, v) for r, v in members if r.cells.get("group")]
    head_row, head = (totals or members)[0]
    if len(totals) > 1:
        for r, _ in totals[1:]:
            r.problems.append(
                Problem(
                    "a second total row for the same movement",
                    SourceLocation(source, r.line, columns.get("movement") or columns.get("group")),
                    "give each row a `group`, or different `movement` ids",
                )
            )
        return None
    first = members[0][0]
    for r, _ in members[1:]:
        if _place_id(r.origin) != _place_id(first.origin) or {d.id for d in r.destinations} != {
            d.id for d in first.destinations
        }:
            r.problems.append(
                Problem(
                    "rows of one movement name different places",
                    SourceLocation(source, r.line, columns.get("movement")),
                    "give rows of different movements different `movement` ids",
                )
            )
            return None
    groups = tuple((r.cells["group"], v.count) for r, v in parts if v.count is not None)
    count = (
        head.count
        if totals
        else (sum(c for _, c in groups) if groups and len(groups) == len(parts) else None)
    )
    try:
        return Movement(
            origin=first.origin,  # type: ignore[arg-type]
            destinations=tuple(first.destinations),
            count=count,
            count_kind=head.count_kind,
            count_min=head.count_min,
            count_max=head.count_max,
            groups=groups,
            date_start=head.date_start,
            date_end=head.date_end,
            stage=head_row.cells.get("stage") or None,
            sources=tuple(
                dict.fromkeys(r.cells["source"] for r, _ in members if r.cells.get("source"))
            ),
            evidence=tuple(
                Evidence(SourceLocation(source, r.line), r.cells.get("evidence", ""))
                for r, _ in members
            ),
            id=head_row.cells.get("movement", ""),
        )
    except InputError as exc:
        head_row.problems.append(
            Problem(exc.message, SourceLocation(source, head_row.line), exc.hint)
        )
        return None
