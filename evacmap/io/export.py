"""Writing flow graphs for GIS: GeoJSON (RFC 7946), GeoPackage, FlatGeobuf and CSV.

Every format holds the same records (see :mod:`evacmap.io.records`): *place* points
with their ids and every total, and *flow* features, one per movement:

* a LineString from the origin through its waypoints to its destination;
* a MultiLineString, one part per destination, when the split between destinations
  was not reported — its ``count`` is the total, once;
* a Point (or MultiPoint) at the known place when the other end is unknown, or when
  people moved within one place (never an invalid two-point line);
* lines across the antimeridian split at ±180°.

Summing ``count`` over the flow features in a GIS gives the people who moved:
planned and cumulative figures are in their own fields (``planned``, ``cumulative``)
and never in ``count``. List fields (destinations, waypoints, groups, sources,
evidence) are JSON — arrays in GeoJSON, JSON text elsewhere — never ``"; "``-joined.
Dates are Date fields. GeoNames is credited in each file's metadata. Every file is
written atomically, and every format reads back into the same tables
(:func:`evacmap.io.read_flows`).

=========== ======================================================================
format      layout
=========== ======================================================================
GeoJSON     one FeatureCollection; ``feature`` is ``"place"`` or ``"flow"``
GeoPackage  two layers, ``places`` and ``flows``
FlatGeobuf  one layer of mixed geometry; ``feature`` tells places from flows
CSV         one row per place or flow (``feature``), geometry as ``wkt``, places
            with ``lat``/``lon``; cells defused against spreadsheet formulas
=========== ======================================================================
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from evacmap._atomic import atomic_output, write_bytes_atomic
from evacmap.counting import TOTAL_COLUMNS
from evacmap.errors import ExportError
from evacmap.flows import FlowGraph, movement_geometries
from evacmap.io.records import place_records
from evacmap.tables import FlowTables

__all__ = [
    "ATTRIBUTION",
    "EXPORT_FORMATS",
    "to_geojson",
    "write_fgb",
    "write_flows",
    "write_flows_csv",
    "write_geojson",
    "write_gpkg",
]

#: Decimal places kept in coordinates (about 0.1 m).
PRECISION = 6
ATTRIBUTION = (
    "Places: GeoNames (geonames.org, CC BY 4.0) and evacmap curated places; "
    "OCHA P-codes (OCHA COD-AB)"
)
COUNT_RULES = (
    "count: people who moved (reported or estimated; 'at least' counted as known); "
    "planned and cumulative figures are in their own fields and never in count; a "
    "MultiLineString flow went to one or more of its destinations, split not reported, "
    "its count given once"
)
#: What ``write_flows`` writes, by extension.
EXPORT_FORMATS = {
    ".geojson": "geojson",
    ".json": "geojson",
    ".gpkg": "gpkg",
    ".fgb": "fgb",
    ".csv": "csv",
}


def _metadata(graph: FlowGraph) -> dict[str, Any]:
    from evacmap import __version__

    return {
        "generator": f"evacmap {__version__}",
        "title": graph.title,
        "attribution": ATTRIBUTION,
        "sources": sorted(str(x) for x in graph.tables.sources["source"].unique()),
        "count_rules": COUNT_RULES,
        "summary": str(graph.summary),
    }


def _flows(graph: FlowGraph) -> pd.DataFrame:
    from evacmap.flows import flow_records

    return flow_records(graph.tables)


def _iso(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in ("date", "date_end"):
        out[col] = pd.to_datetime(out[col]).dt.strftime("%Y-%m-%d").astype(object).where(out[col].notna(), None)
    return out


def _geometry_json(geoms: np.ndarray, *, rounded: bool = False) -> pd.Series:
    """GeoJSON geometries; coordinates to :data:`PRECISION` decimals (`rounded`: already)."""
    import shapely

    arr = np.asarray(geoms, dtype=object)
    if rounded:
        # Vertices that are not places (antimeridian cuts, waypoint-free arcs) still need it.
        made = (shapely.get_type_id(arr) != 1) | (shapely.get_num_coordinates(arr) > 2)
        made &= shapely.get_type_id(arr) != 0
        if made.any():
            arr = arr.copy()
            arr[made] = shapely.set_precision(arr[made], 10.0**-PRECISION, mode="pointwise")
    else:
        arr = shapely.set_precision(arr, 10.0**-PRECISION, mode="pointwise")
    return pd.Series(shapely.to_geojson(arr), dtype=object)


def _json_fields(columns: dict[str, pd.Series], types: dict[str, str]) -> dict[str, pd.Series]:
    """Each column as JSON values, by its type (see :data:`evacmap.flows.FIELD_TYPES`)."""
    from evacmap._jsoncols import json_bools, json_dates, json_numbers, json_strings

    out: dict[str, pd.Series] = {}
    for name, values in columns.items():
        kind = types.get(name, "text")
        if kind == "json":
            out[name] = values
        elif kind in ("int", "float"):
            out[name] = json_numbers(values)
        elif kind == "bool":
            out[name] = json_bools(values)
        elif kind == "date":
            out[name] = json_dates(values)
        else:
            text = values.astype("string[pyarrow]")
            out[name] = json_strings(text.where(text != ""))
    return out


def _features(props: pd.Series, geometry: pd.Series) -> pd.Series:
    """GeoJSON Feature objects as Arrow text, one per row."""
    return '{"type":"Feature","properties":' + props + ',"geometry":' + geometry.astype("string[pyarrow]") + "}"


def _derivable_places(tables: FlowTables) -> np.ndarray:
    """Which places have the id their name and coordinates give (points from a table)."""
    from evacmap._validate import point_ids

    p = tables.places
    out = np.zeros(len(p), dtype=bool)
    points = np.flatnonzero((p["kind"] == "point").to_numpy(dtype=bool))
    sub = p.iloc[points]
    made = point_ids(sub["name"].astype(str).to_numpy(dtype=object), sub["lat"].to_numpy(dtype=float),
                     sub["lon"].to_numpy(dtype=float))
    out[points] = sub["id"].astype(str).to_numpy(dtype=object) == made
    return out


def _lean_flow_fields(tables: FlowTables, fields: dict[str, pd.Series]) -> dict[str, pd.Series]:
    """The flow fields without what a GeoJSON reader can tell again.

    Left out: default values, an id that is the location of the row's evidence, and
    the place ids of points named and placed by the line's own ends.
    """
    m = tables.movements
    n = len(m)
    out = dict(fields)
    for name, default in (("count_kind", "reported"), ("unit", "people")):
        out[name] = fields[name].where(fields[name] != default, None)
    out["split_reported"] = fields["split_reported"].where(~fields["split_reported"].astype(bool), None)
    out["cumulative_latest"] = fields["cumulative_latest"].where(fields["cumulative_latest"].astype(bool), None)
    same = (m["count"] == m["count_min"]).fillna(False) | m["count_min"].isna()
    keep_reported = ~((m["count"] == fields["count"]).fillna(False) & m["count_min"].isna())
    out["count_reported"] = fields["count_reported"].where(keep_reported.to_numpy(dtype=bool), None)
    del same
    ev = tables.evidence
    one_ev = np.bincount(ev["movement"].to_numpy(), minlength=n) == 1 if n else np.zeros(0, dtype=bool)
    if n and len(ev):
        first = ev.drop_duplicates("movement")
        loc = pd.Series([None] * n, dtype=object)
        loc.iloc[first["movement"].to_numpy()] = (first["source"].astype(str) + ":" + first["line"].astype("Int64").astype(str)).to_numpy()
        drop_id = one_ev & (m["id"].astype(str).to_numpy(dtype=object) == loc.to_numpy(dtype=object))
        out["movement_id"] = fields["movement_id"].where(~drop_id, None)
    derivable = _derivable_places(tables)
    if derivable.any() and n:
        origin = m["origin"].to_numpy()
        lat = tables.places["lat"].to_numpy()
        lon = tables.places["lon"].to_numpy()
        d = tables.destinations
        dm, dp = d["movement"].to_numpy(), d["place"].to_numpy()
        ok_o = origin >= 0
        o_safe = np.where(ok_o, origin, 0)
        n_way = np.bincount(tables.waypoints["movement"].to_numpy(), minlength=n)
        # A destination end can be read off its line: not the origin's point, no
        # waypoints, not across the antimeridian (which splits a line in parts).
        good_d = ok_o[dm] & derivable[dp] & (n_way[dm] == 0) & (
            (lat[dp] != lat[o_safe[dm]]) | (lon[dp] != lon[o_safe[dm]])
        ) & (np.abs(lon[dp] - lon[o_safe[dm]]) <= 180)
        all_good = np.bincount(dm[good_d], minlength=n) == m["n_dest"].to_numpy()
        lines = ok_o & (m["n_dest"].to_numpy() > 0) & all_good
        drop_o = lines & derivable[o_safe] & (np.abs(lon[o_safe]) < 180)
        out["origin_id"] = fields["origin_id"].where(~drop_o, None)
        out["destination_ids"] = fields["destination_ids"].where(~lines, None)
    return out


def to_geojson(graph: FlowGraph, *, geometry: Literal["straight", "arc"] = "straight") -> dict[str, Any]:
    """The flow graph as an RFC 7946 FeatureCollection (a dict ready for ``json.dump``).

    Examples
    --------
    >>> fc = to_geojson(FlowGraph())
    >>> fc["type"], fc["features"], "crs" in fc
    ('FeatureCollection', [], False)
    """
    return dict(json.loads(_geojson_bytes(graph, geometry=geometry)))


def _geojson_bytes(graph: FlowGraph, *, geometry: Literal["straight", "arc"] = "straight") -> bytes:
    import shapely

    from evacmap._jsoncols import lines_bytes, objects
    from evacmap.flows import FIELD_TYPES, flow_fields

    if geometry not in ("straight", "arc"):
        raise ExportError(f"`geometry` must be 'straight' or 'arc', got {geometry!r}")
    t = graph.tables
    places = place_records(t)
    pts = shapely.points(places["lon"].to_numpy().round(PRECISION), places["lat"].to_numpy().round(PRECISION))
    place_types = {c: ("int" if places[c].dtype.kind == "i" or c == "geonames_id" else
                       "bool" if places[c].dtype == bool else "text") for c in places.columns}
    place_cols = {c: places[c] for c in places.columns if c not in ("lat", "lon")}
    for c in TOTAL_COLUMNS:  # zero totals are left out (a reader recomputes them)
        place_cols[c] = place_cols[c].astype("Int64").where(place_cols[c] != 0)
    place_cols["approximate"] = place_cols["approximate"].where(place_cols["approximate"], None)
    place_props = objects(_json_fields(place_cols, place_types), prefix='"feature":"place",')
    flow_props = objects(_json_fields(_lean_flow_fields(t, flow_fields(t)), FIELD_TYPES),
                         prefix='"feature":"flow",')
    geoms = movement_geometries(t, arcs=geometry == "arc", decimals=PRECISION)
    lines = pd.concat(
        [
            _features(place_props, _geometry_json(pts, rounded=True)),
            _features(flow_props, _geometry_json(geoms, rounded=geometry == "straight")),
        ],
        ignore_index=True,
    )
    meta = json.dumps(_metadata(graph), ensure_ascii=False)
    name = json.dumps(graph.title or "evacmap", ensure_ascii=False)
    head = f'{{"type":"FeatureCollection","name":{name},"metadata":{meta},"features":[\n'
    return head.encode("utf-8") + lines_bytes(lines, sep=",\n") + b"\n]}\n"


def write_geojson(
    graph: FlowGraph,
    path: str | os.PathLike[str],
    *,
    geometry: Literal["straight", "arc"] = "straight",
) -> Path:
    """Write :func:`to_geojson` to a file (UTF-8), atomically.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = write_geojson(FlowGraph(), pathlib.Path(tempfile.mkdtemp()) / "x.geojson")
    >>> out.read_text()[:30]
    '{"type":"FeatureCollection","n'
    """
    return write_bytes_atomic(path, _geojson_bytes(graph, geometry=geometry))


def _gdfs(graph: FlowGraph) -> tuple[Any, Any]:
    import geopandas as gpd

    t = graph.tables
    places = place_records(t)
    pg = gpd.GeoDataFrame(
        places.drop(columns=["lat", "lon"]),
        geometry=gpd.points_from_xy(places["lon"], places["lat"]),
        crs="EPSG:4326",
    )
    flows = _flows(graph)
    fg = gpd.GeoDataFrame(flows, geometry=movement_geometries(t), crs="EPSG:4326")
    for col in ("date", "date_end"):
        # Arrow dates become GIS Date fields (not text, not date-times).
        fg[col] = pd.to_datetime(fg[col]).astype("date32[pyarrow]")
    return pg, fg


def _pyogrio_write(frame: Any, path: Path, **kwargs: Any) -> None:
    import pyogrio

    try:
        # Points stay Points beside the MultiPoints of unsplit stubs: never promoted.
        pyogrio.write_dataframe(frame, path, use_arrow=True, promote_to_multi=False, **kwargs)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, pyogrio.errors.FieldError) as exc:
        raise ExportError(f"cannot write {path.name!r}: {exc}") from exc


def write_gpkg(graph: FlowGraph, path: str | os.PathLike[str]) -> Path:
    """Write a GeoPackage with two layers, ``places`` and ``flows``, atomically.

    Examples
    --------
    >>> import tempfile, pathlib, pyogrio
    >>> out = write_gpkg(FlowGraph(), pathlib.Path(tempfile.mkdtemp()) / "x.gpkg")
    >>> [name for name, _ in pyogrio.list_layers(out)]
    ['places', 'flows']
    """
    p = Path(path)
    places, flows = _gdfs(graph)
    meta = {"DESCRIPTION": json.dumps(_metadata(graph), ensure_ascii=False)}
    with atomic_output(p) as tmp:
        _pyogrio_write(places, tmp, layer="places", driver="GPKG", layer_metadata=meta)
        _pyogrio_write(flows, tmp, layer="flows", driver="GPKG", append=True,
                       geometry_type="Unknown", layer_metadata=meta)
    return p


def _combined(graph: FlowGraph) -> Any:
    import geopandas as gpd

    places, flows = _gdfs(graph)
    places.insert(0, "feature", "place")
    flows.insert(0, "feature", "flow")
    both = pd.concat([places, flows], ignore_index=True)
    # Columns of one kind of record are empty on the other: keep their types nullable.
    for col in both.columns:
        src = places[col] if col in places.columns else flows[col] if col in flows.columns else None
        if src is not None and src.dtype == bool:
            both[col] = both[col].astype("boolean")
        elif src is not None and src.dtype.kind == "i":
            both[col] = both[col].astype("Int64")
    return gpd.GeoDataFrame(both, geometry="geometry", crs="EPSG:4326")


def write_fgb(graph: FlowGraph, path: str | os.PathLike[str]) -> Path:
    """Write a FlatGeobuf file (places and flows, told apart by ``feature``), atomically.

    Examples
    --------
    >>> import tempfile, pathlib, pyogrio
    >>> out = write_fgb(FlowGraph(), pathlib.Path(tempfile.mkdtemp()) / "x.fgb")
    >>> len(pyogrio.read_dataframe(out))
    0
    """
    p = Path(path)
    frame = _combined(graph)
    with atomic_output(p) as tmp:
        _pyogrio_write(frame, tmp, driver="FlatGeobuf", geometry_type="Unknown", spatial_index=False,
                       layer_metadata={"DESCRIPTION": json.dumps(_metadata(graph), ensure_ascii=False)})
    return p


def write_flows_csv(graph: FlowGraph, path: str | os.PathLike[str]) -> Path | None:
    """Write places and flows as one CSV (``feature``, geometry as ``wkt``); ``-`` is stdout.

    Cells that a spreadsheet would run as a formula are defused (see
    :mod:`evacmap.io.csvfile`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = write_flows_csv(FlowGraph(), pathlib.Path(tempfile.mkdtemp()) / "x.csv")
    >>> out.read_text().splitlines()[0][:40]
    'feature,place_id,name,lat,lon,kind,count'
    """
    import shapely

    from evacmap.io.csvfile import write_csv

    t = graph.tables
    places = place_records(t)
    flows = _iso(_flows(graph))
    flows["wkt"] = shapely.to_wkt(
        shapely.set_precision(movement_geometries(t), 10.0**-PRECISION, mode="pointwise"),
        rounding_precision=PRECISION, trim=True,
    ) if len(flows) else []
    places.insert(0, "feature", "place")
    flows.insert(0, "feature", "flow")
    both = pd.concat([places, flows], ignore_index=True)
    columns = list(dict.fromkeys(["feature", *places.columns, *flows.columns]))
    both = both.reindex(columns=columns)
    both = both.astype(object).where(both.notna(), None)
    return write_csv(path, columns, both.itertuples(index=False, name=None))


def write_flows(
    graph: FlowGraph,
    path: str | os.PathLike[str],
    *,
    geometry: Literal["straight", "arc"] = "straight",
) -> Path | None:
    """Write `graph` in the format its extension names (:data:`EXPORT_FORMATS`).

    Raises
    ------
    ExportError
        When the extension is not one evacmap writes.
    """
    if str(path) == "-":
        raise ExportError("give a file name; for standard output use to_geojson")
    fmt = EXPORT_FORMATS.get(Path(path).suffix.lower())
    if fmt is None:
        raise ExportError(
            f"{Path(path).name!r}: evacmap cannot write that format",
            hint="use " + ", ".join(sorted(EXPORT_FORMATS)),
        )
    if geometry != "straight" and fmt != "geojson":
        raise ExportError("curved arcs are written to GeoJSON only")
    if fmt == "geojson":
        return write_geojson(graph, path, geometry=geometry)
    if fmt == "gpkg":
        return write_gpkg(graph, path)
    if fmt == "fgb":
        return write_fgb(graph, path)
    return write_flows_csv(graph, path)
