"""Writing flow graphs as RFC 7946 GeoJSON and GeoPackage, and reading evacmap GeoJSON back.

One FeatureCollection holds both layers, told apart by the ``feature`` property:

* ``"place"`` Points with the place's ids, kind and totals in and out;
* ``"flow"`` LineStrings (one per movement; a MultiLineString, one part per
  destination, when the split between destinations was not reported) with origin,
  destinations, count, count kind, bounds, groups, dates, stage, source and evidence.

Coordinates are ``[lon, lat]`` with at most six decimals; there is no ``crs`` member
(RFC 7946 fixes WGS 84). Credits and provenance go in a top-level ``metadata`` member.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from evacmap._atomic import atomic_output, write_text_atomic
from evacmap.errors import (
    ExportError,
    GeoJSONError,
    InputError,
    Problem,
    SourceLocation,
    source_label,
)
from evacmap.flows import FlowGraph
from evacmap.model import CountKind, Evidence, Movement, Place, PlaceKind

__all__ = ["read_geojson", "to_geojson", "write_geojson", "write_gpkg"]

#: Decimal places kept in coordinates (about 0.1 m).
PRECISION = 6
ATTRIBUTION = (
    "Places: GeoNames (geonames.org, CC BY 4.0) and evacmap curated places; "
    "OCHA P-codes (OCHA COD-AB)"
)


def _round(value: float) -> float:
    r = round(value, PRECISION)
    return 0.0 if r == 0 else r


def _coords(geom: Any) -> Any:
    if geom.geom_type == "Point":
        return [_round(geom.x), _round(geom.y)]
    if geom.geom_type == "LineString":
        return [[_round(x), _round(y)] for x, y in geom.coords]
    if geom.geom_type == "MultiLineString":
        return [_coords(g) for g in geom.geoms]
    raise ExportError(f"cannot write a {geom.geom_type} geometry")


def _clean(value: Any) -> Any:
    if value is None or value is pd.NA:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def to_geojson(
    graph: FlowGraph, *, geometry: Literal["straight", "arc"] = "straight"
) -> dict[str, Any]:
    """The flow graph as an RFC 7946 FeatureCollection (a dict ready for ``json.dump``).

    Parameters
    ----------
    graph
        The flows.
    geometry
        ``"straight"`` lines (default) or the curved ``"arc"`` lines of the map.

    Returns
    -------
    dict
        A FeatureCollection: place Points first, then flow lines.

    Examples
    --------
    >>> fc = to_geojson(FlowGraph())
    >>> fc["type"], fc["features"], "crs" in fc
    ('FeatureCollection', [], False)
    """
    from evacmap import __version__

    features: list[dict[str, Any]] = []
    places = graph.places_gdf()
    for rec, geom in zip(
        places.drop(columns="geometry").to_dict("records"), places.geometry, strict=True
    ):
        props = {"feature": "place", **{k: _clean(v) for k, v in rec.items()}}
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": _coords(geom)},
                "properties": props,
            }
        )
    flows = graph.flows_gdf(geometry=geometry)
    for rec, geom in zip(
        flows.drop(columns="geometry").to_dict("records"), flows.geometry, strict=True
    ):
        props = {"feature": "flow", **{k: _clean(v) for k, v in rec.items()}}
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": geom.geom_type, "coordinates": _coords(geom)},
                "properties": props,
            }
        )
    sources = sorted({s for m in graph.movements for s in m.sources})
    return {
        "type": "FeatureCollection",
        "name": graph.title or "evacmap",
        "metadata": {
            "generator": f"evacmap {__version__}",
            "title": graph.title,
            "attribution": ATTRIBUTION,
            "sources": sources,
            "count_rules": (
                "count: reported/estimated people per movement; planned and cumulative "
                "figures are separate movements and are never added to reported ones; "
                "a MultiLineString flow went to one or more of its destinations with the "
                "split not reported"
            ),
        },
        "features": features,
    }


def write_geojson(
    graph: FlowGraph,
    path: str | os.PathLike[str],
    *,
    geometry: Literal["straight", "arc"] = "straight",
) -> Path:
    """Write :func:`to_geojson` to a file (UTF-8).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = write_geojson(FlowGraph(), pathlib.Path(tempfile.mkdtemp()) / "x.geojson")
    >>> out.read_text()[:30]
    '{"type": "FeatureCollection", '
    """
    text = json.dumps(to_geojson(graph, geometry=geometry), ensure_ascii=False)
    return write_text_atomic(path, text)


def write_gpkg(graph: FlowGraph, path: str | os.PathLike[str]) -> Path:
    """Write a GeoPackage with two layers, ``places`` and ``flows`` (via pyogrio/GDAL)."""
    import pyogrio

    p = Path(path)
    places, flows = graph.places_gdf(), graph.flows_gdf()
    with atomic_output(p) as tmp:
        try:
            pyogrio.write_dataframe(places, tmp, layer="places", driver="GPKG")
            if len(flows):
                pyogrio.write_dataframe(
                    flows, tmp, layer="flows", driver="GPKG", promote_to_multi=True, append=True
                )
        except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
            raise ExportError(f"cannot write {str(p)!r}: {exc}") from exc
    return p


def _date(text: Any) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def read_geojson(path: str | os.PathLike[str]) -> FlowGraph:
    """Read a GeoJSON file written by :func:`write_geojson` back into a FlowGraph.

    Raises
    ------
    GeoJSONError
        The file is not an evacmap FeatureCollection; every problem is listed.
    """
    p = Path(path)
    source = source_label(p)
    try:
        doc = json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise InputError(
            f"not valid JSON: {exc.msg}", location=SourceLocation(source, exc.lineno, exc.colno)
        ) from exc
    except OSError as exc:
        raise InputError(f"cannot read {source!r}: {exc.strerror}") from exc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        raise InputError("expected a GeoJSON FeatureCollection", location=SourceLocation(source))
    places: dict[str, Place] = {}
    problems: list[Problem] = []
    features = doc.get("features") or []
    for f in features:
        props = f.get("properties") or {}
        if props.get("feature") != "place":
            continue
        lon, lat = f["geometry"]["coordinates"]
        places[props["place_id"]] = Place(
            name=props["name"],
            lat=lat,
            lon=lon,
            country=props.get("country") or "",
            admin1=props.get("admin1") or "",
            kind=PlaceKind(props.get("kind") or "city"),
            pcode=props.get("pcode") or None,
            geonames_id=props.get("geonames_id"),
            approximate=bool(props.get("approximate")),
            source=props.get("source") or "",
            id=props["place_id"],
        )
    movements: list[Movement] = []
    for i, f in enumerate(features):
        props = f.get("properties") or {}
        if props.get("feature") != "flow":
            continue
        where = SourceLocation(source, None, None)
        try:
            origin = places[props["origin_id"]]
            dests = tuple(places[d] for d in str(props["destination_ids"]).split("; "))
        except KeyError as exc:
            problems.append(
                Problem(
                    f"feature {i}: flow refers to unknown place {exc.args[0]!r}",
                    where,
                    "write the file with evacmap's write_geojson",
                )
            )
            continue
        groups = tuple(
            (g.rsplit(": ", 1)[0], int(g.rsplit(": ", 1)[1]))
            for g in (props.get("groups") or "").split("; ")
            if g
        )
        movements.append(
            Movement(
                origin=origin,
                destinations=dests,
                count=props.get("count"),
                count_kind=CountKind(props.get("count_kind") or "reported"),
                count_min=props.get("count_min"),
                count_max=props.get("count_max"),
                groups=groups,
                date_start=_date(props.get("date_start")),
                date_end=_date(props.get("date_end")),
                stage=props.get("stage"),
                sources=tuple(s for s in (props.get("source") or "").split("; ") if s),
                evidence=(Evidence(SourceLocation(source), props["evidence"]),)
                if props.get("evidence")
                else (),
                id=props.get("movement_id") or "",
            )
        )
    if problems:
        raise GeoJSONError(problems, source=source)
    meta = doc.get("metadata") or {}
    return FlowGraph(movements, title=meta.get("title") or doc.get("name") or p.stem)
