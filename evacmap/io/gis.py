"""Reading flows from GIS files: any GeoJSON, GeoPackage, FlatGeobuf or shapefile.

evacmap's own exports are read back exactly (places by id). Any other file of lines
or points becomes a rows frame for :func:`evacmap.io.assemble.assemble`: attribute
columns are matched like a table's (names, aliases, ``--columns``), and the geometry
gives coordinates — a line runs from its origin (first vertex) to its destination
(last vertex; one per part of a MultiLineString); a point is the destination of the
movement (``point_role="origin"`` makes it the origin), the other end named by the
attributes or unknown. Coordinates in another reference system are transformed to
WGS 84; a file without one is taken as WGS 84, with a warning.
"""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from evacmap.errors import CRSError, InputError, MissingCRSWarning, SourceLocation
from evacmap.io.records import tables_from_records
from evacmap.tables import FlowTables

__all__ = ["GEO_SUFFIXES", "read_geo_frame", "to_wgs84"]

#: Extensions read as GIS files.
GEO_SUFFIXES = frozenset({".geojson", ".json", ".gpkg", ".fgb", ".shp", ".geojsonl", ".kml"})


def _read_geojson_doc(path: Path, source: str) -> dict[str, Any]:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{source} is not UTF-8 text", hint="GeoJSON must be UTF-8 (RFC 7946)") from exc
    except OSError as exc:
        raise InputError(f"cannot read {source!r}: {exc.strerror}", hint="check the path") from exc
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"not valid JSON: {exc.msg}", location=SourceLocation(source, exc.lineno, exc.colno)
        ) from exc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(
        doc.get("features"), list
    ):
        raise InputError(
            "expected a GeoJSON FeatureCollection",
            location=SourceLocation(source),
            hint="a flow file is a FeatureCollection of line or point features",
        )
    return doc


def _export_from_geojson(doc: dict[str, Any], source: str) -> FlowTables | None:
    feats = doc["features"]
    props = [f.get("properties") or {} for f in feats if isinstance(f, dict)]
    generator = str((doc.get("metadata") or {}).get("generator", ""))
    if not props and generator.startswith("evacmap"):
        return FlowTables.empty()
    if not props or not all(p.get("feature") in ("place", "flow") for p in props):
        return None
    for f, p in zip(feats, props, strict=True):
        if p["feature"] == "place":
            coords = (f.get("geometry") or {}).get("coordinates") or [None, None]
            p["lon"], p["lat"] = coords[0], coords[1]
    places = pd.DataFrame([p for p in props if p["feature"] == "place"])
    flow_feats = [(f, p) for f, p in zip(feats, props, strict=True) if p["feature"] == "flow"]
    _restore_lean(flow_feats, places)
    flows = pd.DataFrame([p for _, p in flow_feats])
    if places.empty:
        places = pd.DataFrame(columns=["place_id", "name", "lat", "lon"])
    for col in ("destination_ids", "waypoints", "waypoint_ids", "groups", "sources", "evidence"):
        if col in flows.columns:
            flows[col] = [
                v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else None
                for v in flows[col].tolist()
            ]
    return tables_from_records(places, flows, source=source)


def _restore_lean(flow_feats: list[tuple[dict[str, Any], dict[str, Any]]], places: pd.DataFrame) -> None:
    """Put back what evacmap's GeoJSON leaves out: defaults, ids, line-end places.

    See ``_lean_flow_fields`` in :mod:`evacmap.io.export`.
    """
    from evacmap.model import point_id

    known = set(places["place_id"].astype(str)) if "place_id" in places.columns else set()
    for f, p in flow_feats:
        p.setdefault("count_kind", "reported")
        p.setdefault("unit", "people")
        if "count_reported" not in p and p.get("count") is not None and p.get("count_min") is None:
            p["count_reported"] = p["count"]
        ev = p.get("evidence") or []
        if not p.get("movement_id") and len(ev) == 1 and isinstance(ev[0], dict):
            p["movement_id"] = f"{ev[0].get('source', '')}:{ev[0].get('line', '')}"
        if p.get("origin_id") and p.get("destination_ids"):
            continue
        geom = f.get("geometry") or {}
        coords = geom.get("coordinates") or []
        parts = [coords] if geom.get("type") == "LineString" else coords if geom.get("type") == "MultiLineString" else []
        if not parts:
            continue
        if not p.get("origin_id") and p.get("origin") is not None:
            lon, lat = parts[0][0][:2]
            pid = point_id(str(p["origin"]), float(lat), float(lon))
            if pid in known:
                p["origin_id"] = pid
        if not p.get("destination_ids"):
            dest = p.get("destination")
            names = dest if isinstance(dest, list) else [dest] if dest is not None else []
            if len(names) == len(parts):
                ids = [point_id(str(nm), float(part[-1][1]), float(part[-1][0])) for nm, part in zip(names, parts, strict=True)]
                if all(i in known for i in ids):
                    p["destination_ids"] = ids


def _point_columns(places: Any) -> None:
    """``lon`` / ``lat`` columns from place points (a one-point MultiPoint counts too)."""
    import shapely

    xy = shapely.get_coordinates(places.geometry.values, return_index=True)
    first = np.unique(xy[1], return_index=True)[1]
    lon = np.full(len(places), np.nan)
    lat = np.full(len(places), np.nan)
    lon[xy[1][first]] = xy[0][first, 0]
    lat[xy[1][first]] = xy[0][first, 1]
    places["lon"], places["lat"] = lon, lat


def to_wgs84(gdf: Any, source: str, *, stacklevel: int = 3) -> Any:
    """`gdf` in WGS 84 longitude/latitude: reprojected, or taken as such when it has no CRS.

    A frame with no CRS whose coordinates cannot be longitude/latitude is refused
    (:class:`~evacmap.errors.CRSError`) rather than drawn in the wrong place; one that can
    be is taken as WGS 84 with a :class:`~evacmap.errors.MissingCRSWarning`.
    """
    if gdf.crs is None:
        west, south, east, north = gdf.total_bounds
        if len(gdf) and not (west >= -180.5 and east <= 180.5 and south >= -90.5 and north <= 90.5):
            raise CRSError(
                f"{source} has no coordinate reference system and its coordinates "
                f"({west:.0f}, {south:.0f} to {east:.0f}, {north:.0f}) are not longitude/latitude",
                hint="save it with its CRS (e.g. as a GeoPackage), or reproject it to EPSG:4326",
            )
        warnings.warn(
            f"{source} has no coordinate reference system; its coordinates are taken as WGS 84 "
            "longitude/latitude",
            MissingCRSWarning,
            stacklevel=stacklevel,
        )
        return gdf.set_crs("EPSG:4326", allow_override=True)
    if gdf.crs.to_epsg() != 4326:
        return gdf.to_crs("EPSG:4326")
    return gdf


def read_geo_frame(
    path: str | os.PathLike[str],
    *,
    source: str,
    layer: str | None = None,
    point_role: Literal["origin", "destination"] = "destination",
) -> tuple[FlowTables | None, pd.DataFrame, np.ndarray]:
    """Read a GIS file: evacmap's own export as tables, or any other as attribute rows.

    Returns
    -------
    tables : FlowTables or None
        The tables, when the file is evacmap's own export.
    rows : pandas.DataFrame
        Otherwise: the attributes as text, with ``origin_lat``/``origin_lon`` and
        ``destination_lat``/``destination_lon`` from the geometry (columns
        ``__geom_*``), and ``__parts``: the parts of a MultiLineString (several
        destinations, which the attributes must then name).
    lines : ndarray
        The feature number of each row (1-based).
    """
    import geopandas as gpd
    import pyogrio
    import shapely

    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in (".geojson", ".json"):
        doc = _read_geojson_doc(p, source)
        tables = _export_from_geojson(doc, source)
        if tables is not None:
            return tables, pd.DataFrame(), np.zeros(0, dtype=np.int64)
        feats = [f for f in doc["features"] if isinstance(f, dict)]
        try:
            gdf = gpd.GeoDataFrame.from_features(feats, crs="EPSG:4326")
        except Exception as exc:  # shapely raises several kinds on broken geometry
            raise InputError(f"{source}: a feature's geometry cannot be read: {exc}",
                             hint="check the file in a GIS, or write it again") from exc
    else:
        try:
            layers = [name for name, _ in pyogrio.list_layers(p)]
        except (pyogrio.errors.DataSourceError, OSError) as exc:
            raise InputError(f"{source} cannot be read as a GIS file: {exc}",
                             hint="check the path and that the file is complete") from exc
        if layer is None and {"places", "flows"} <= set(layers):
            places = pyogrio.read_dataframe(p, layer="places")
            flows = pyogrio.read_dataframe(p, layer="flows", read_geometry=False)
            _point_columns(places)
            return tables_from_records(pd.DataFrame(places.drop(columns="geometry")), flows, source=source), pd.DataFrame(), np.zeros(0, dtype=np.int64)
        if layer is not None and layer not in layers:
            raise InputError(f"{source} has no layer {layer!r}", hint=f"its layers are {', '.join(map(repr, layers))}")
        try:
            gdf = pyogrio.read_dataframe(p, layer=layer)
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
            raise InputError(f"{source} cannot be read: {exc}") from exc
        if {"feature", "movement_id"} <= set(gdf.columns):
            places = gdf[gdf["feature"] == "place"].copy()
            _point_columns(places)
            flows = pd.DataFrame(gdf[gdf["feature"] == "flow"].drop(columns="geometry"))
            return tables_from_records(pd.DataFrame(places.drop(columns="geometry")), flows, source=source), pd.DataFrame(), np.zeros(0, dtype=np.int64)
    gdf = to_wgs84(gdf, source)
    attrs = pd.DataFrame(gdf.drop(columns=gdf.geometry.name))
    rows = attrs.astype(object).where(attrs.notna(), "").astype(str)
    geoms = np.asarray(gdf.geometry.values, dtype=object)
    kinds = shapely.get_type_id(geoms)
    n = len(rows)
    o_lat = np.full(n, "", dtype=object)
    o_lon = np.full(n, "", dtype=object)
    d_lat = np.full(n, "", dtype=object)
    d_lon = np.full(n, "", dtype=object)
    parts_n = np.ones(n, dtype=np.int64)
    for i, (g, k) in enumerate(zip(geoms, kinds.tolist(), strict=True)):
        if g is None or k < 0:
            continue
        if k in (1, 5):  # LineString, MultiLineString
            parts = list(getattr(g, "geoms", [g]))
            start = parts[0].coords[0]
            o_lon[i], o_lat[i] = repr(start[0]), repr(start[1])
            ends = [pt.coords[-1] for pt in parts]
            if len(ends) == 1:
                d_lon[i], d_lat[i] = repr(ends[0][0]), repr(ends[0][1])
            else:
                parts_n[i] = len(ends)
        elif k == 0:  # Point
            lat_, lon_ = repr(g.y), repr(g.x)
            if point_role == "origin":
                o_lat[i], o_lon[i] = lat_, lon_
            else:
                d_lat[i], d_lon[i] = lat_, lon_
        else:
            raise InputError(
                f"feature {i + 1} is a {g.geom_type}; flows are lines or points",
                location=SourceLocation(source, i + 1),
                hint="give flows as LineStrings from origin to destination, or points",
            )
    geo_cols = {"origin_lat": o_lat, "origin_lon": o_lon, "destination_lat": d_lat, "destination_lon": d_lon}
    for name, values in geo_cols.items():
        if (values != "").any():
            rows[f"__geom_{name}"] = values
    rows["__parts"] = parts_n
    return None, rows.reset_index(drop=True), np.arange(1, n + 1, dtype=np.int64)
