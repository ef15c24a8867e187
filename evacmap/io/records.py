"""evacmap's own export records, and reading them back into the same tables.

Every format evacmap writes (GeoJSON, GeoPackage, FlatGeobuf, CSV) carries the same
two kinds of record: *places* (a point with its ids and every total) and *flows* (a
movement with the fields of :func:`evacmap.flows.flow_records`). Reading an export
back needs no gazetteer: places are taken by id, exactly as written.

Examples
--------
>>> from evacmap.tables import FlowTables
>>> list(place_records(FlowTables.empty()).columns)[:4]
['place_id', 'name', 'lat', 'lon']
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd

from evacmap import counting
from evacmap.errors import GeoJSONError, Problem, SourceLocation
from evacmap.flows import FLOW_FIELDS, flow_records
from evacmap.tables import FlowTables

__all__ = ["PLACE_FIELDS", "place_records", "tables_from_records"]

#: Fields of a place record, in order (then the totals).
PLACE_FIELDS = (
    "place_id",
    "name",
    "lat",
    "lon",
    "kind",
    "country",
    "admin1",
    "admin1_pcode",
    "pcode",
    "geonames_id",
    "approximate",
    "source",
)


def place_records(tables: FlowTables) -> pd.DataFrame:
    """One record per place: ids, attributes and every total (integers)."""
    p = tables.places.rename(columns={"id": "place_id"}).reset_index(drop=True)
    totals = counting.place_totals(tables).reset_index(drop=True)
    return pd.concat([p[list(PLACE_FIELDS)], totals], axis=1)


def _text(v: Any) -> str:
    return "" if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) else str(v)


def _int(v: Any) -> Any:
    t = _text(v).strip()
    if not t:
        return pd.NA
    return int(float(t)) if t.replace(".", "", 1).lstrip("-").isdigit() else pd.NA


def _loads(v: Any, default: Any) -> Any:
    t = _text(v)
    if not t:
        return default
    try:
        value = json.loads(t)
    except json.JSONDecodeError:
        return default
    return value if isinstance(value, type(default)) else default


def _bool(v: Any) -> bool:
    t = _text(v).strip().lower()
    if t in ("true", "yes", "t"):
        return True
    try:
        return float(t) != 0.0
    except ValueError:
        return False


def tables_from_records(places: pd.DataFrame, flows: pd.DataFrame, *, source: str) -> FlowTables:
    """The tables an export was written from, from its place and flow records.

    Raises
    ------
    GeoJSONError
        When a flow refers to a place id the places do not hold (every such flow is
        listed).
    """
    p = places.reset_index(drop=True)
    missing = [c for c in ("place_id", "name", "lat", "lon") if c not in p.columns]
    if missing and (len(p) or len(flows)):
        raise GeoJSONError(
            [Problem(f"the file looks like an evacmap export but its places lack {', '.join(missing)}",
                     SourceLocation(source), "export the flows again with evacmap export")],
            source=source,
        )
    for c in ("place_id", "name", "lat", "lon"):
        if c not in p.columns:
            p[c] = pd.Series([], dtype=object)
    p_ids = [_text(v) for v in p["place_id"].tolist()]
    row_of = {pid: i for i, pid in enumerate(p_ids)}
    place_frame = pd.DataFrame(
        {
            "id": p_ids,
            "name": [_text(v) for v in p["name"].tolist()],
            "lat": pd.to_numeric(p["lat"], errors="coerce").to_numpy(),
            "lon": pd.to_numeric(p["lon"], errors="coerce").to_numpy(),
            "kind": [_text(v) or "point" for v in p.get("kind", pd.Series([""] * len(p))).tolist()],
            "country": [_text(v) for v in p.get("country", pd.Series([""] * len(p))).tolist()],
            "admin1": [_text(v) for v in p.get("admin1", pd.Series([""] * len(p))).tolist()],
            "admin1_pcode": [_text(v) for v in p.get("admin1_pcode", pd.Series([""] * len(p))).tolist()],
            "pcode": [_text(v) for v in p.get("pcode", pd.Series([""] * len(p))).tolist()],
            "geonames_id": pd.array([_int(v) for v in p.get("geonames_id", pd.Series([None] * len(p))).tolist()], dtype="Int64"),
            "approximate": [_bool(v) for v in p.get("approximate", pd.Series([""] * len(p))).tolist()],
            "source": [_text(v) for v in p.get("source", pd.Series([""] * len(p))).tolist()],
        }
    )
    bad_xy = place_frame["lat"].isna() | place_frame["lon"].isna() | (place_frame["lat"].abs() > 90) | (
        place_frame["lon"].abs() > 180)
    dup = place_frame["id"].duplicated() | (place_frame["id"] == "")
    if bad_xy.any() or dup.any():
        rows = np.flatnonzero((bad_xy | dup).to_numpy())
        raise GeoJSONError(
            [Problem(f"place record {r + 1} has no usable coordinate or a missing or repeated id",
                     SourceLocation(source, int(r) + 1), "export the flows again with evacmap export")
             for r in rows.tolist()],
            source=source,
        )
    f = flows.reset_index(drop=True)
    for col in FLOW_FIELDS:
        if col not in f.columns:
            f[col] = None
    problems: list[Problem] = []
    origin: list[int] = []
    dests: list[tuple[int, int, int]] = []
    ways: list[tuple[int, int, int]] = []
    groups: list[tuple[int, str, int]] = []
    sources: list[tuple[int, str]] = []
    evidence: list[dict[str, Any]] = []
    for i, rec in enumerate(f.to_dict("records")):
        oid = _text(rec["origin_id"])
        if oid and oid not in row_of:
            problems.append(Problem(f"flow {i + 1} ({_text(rec['movement_id'])!r}) names the origin id {oid!r}, "
                                    "which no place record holds", SourceLocation(source, i + 1),
                                    "write the file with evacmap export, or keep its place records"))
        origin.append(row_of.get(oid, -1))
        for k, did in enumerate(_loads(rec["destination_ids"], [])):
            if str(did) not in row_of:
                problems.append(Problem(f"flow {i + 1} names the destination id {did!r}, which no place record holds",
                                        SourceLocation(source, i + 1), "write the file with evacmap export"))
                continue
            dests.append((i, k, row_of[str(did)]))
        for k, wid in enumerate(_loads(rec["waypoint_ids"], [])):
            if str(wid) in row_of:
                ways.append((i, k, row_of[str(wid)]))
        for g, c in (_loads(rec["groups"], {}) or {}).items():
            groups.append((i, str(g), int(c)))
        sources.extend((i, str(s)) for s in _loads(rec["sources"], []))
        for ev in _loads(rec["evidence"], []):
            evidence.append({"movement": i, "source": ev.get("source", ""), "line": ev.get("line"),
                             "column": ev.get("column"), "start": ev.get("start"), "end": ev.get("end"),
                             "text": ev.get("text", ""), "parts": ""})
    if problems:
        raise GeoJSONError(problems, source=source)

    def day(col: str) -> pd.Series:
        return pd.to_datetime(f[col].map(_text).replace("", None), errors="coerce").astype("datetime64[s]")

    movements = pd.DataFrame(
        {
            "id": [_text(v) for v in f["movement_id"].tolist()],
            "origin": np.asarray(origin, dtype=np.int64),
            "count": pd.array([_int(v) for v in f["count_reported"].tolist()], dtype="Int64"),
            "count_min": pd.array([_int(v) for v in f["count_min"].tolist()], dtype="Int64"),
            "count_max": pd.array([_int(v) for v in f["count_max"].tolist()], dtype="Int64"),
            "kind": [_text(v) or "reported" for v in f["count_kind"].tolist()],
            "unit": [_text(v) or "people" for v in f["unit"].tolist()],
            "date_start": day("date"),
            "date_end": day("date_end"),
            "stage": [_text(v) for v in f["stage"].tolist()],
            "operation": [_text(v) for v in f["operation"].tolist()],
            "confidence": pd.to_numeric(f["confidence"], errors="coerce").to_numpy(),
        }
    )
    return FlowTables.build(
        place_frame,
        movements,
        pd.DataFrame(dests, columns=["movement", "order", "place"]),
        pd.DataFrame(ways, columns=["movement", "order", "place"]),
        pd.DataFrame(groups, columns=["movement", "group", "count"]),
        pd.DataFrame(sources, columns=["movement", "source"]),
        pd.DataFrame(evidence, columns=["movement", "source", "line", "column", "start", "end", "text", "parts"]),
    )


def flow_and_place_records(tables: FlowTables) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(place records, flow records) of the tables."""
    return place_records(tables), flow_records(tables)
