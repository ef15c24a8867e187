"""The offline background: Natural Earth country outlines, clipped to the area of a map.

Two bundled layers, both public domain:

* ``basemap/countries-50m-region.geojson`` (see ``scripts/make_basemap_50m.py``): the
  1:50m outlines of the region lon 20..65, lat 10..50 (the eastern Mediterranean, the
  Middle East, the Caucasus, Arabia, north-east Africa), in about 150 KB;
* ``basemap/countries.geojson`` (see ``scripts/make_basemap.py``): the 1:110m world,
  the fallback.

When a map's flows lie inside the regional extent, the background around them (3° or
half their extent, whichever is more) is drawn from the 1:50m layer, and the 1:110m
world fills the rest of the margin, which shows only when zoomed out; otherwise it is
1:110m throughout. A map needs only the countries around its flows, so
the outlines are clipped to the flows' bounding box plus a generous margin. Countries
that fill a good part of the first view get a label point, so a map with no tiles still
says where it is.

Examples
--------
>>> fc = countries_geojson((34.7, 36.6, 36.8, 38.0))
>>> fc["type"], fc["detail"], len(fc["features"]) > 3
('FeatureCollection', '50m', True)
>>> sorted(label["name"] for label in fc["labels"])[:3]
['Lebanon', 'Syria', 'Turkey']
>>> countries_geojson((40.7, -74.1, 40.8, -73.9))["detail"]  # New York: the world layer
'110m'
"""

from __future__ import annotations

import functools
import html
import json
import logging
from typing import Any, Literal

import shapely
from shapely.geometry import mapping, shape
from shapely.ops import polylabel

from evacmap._resources import data_path
from evacmap.errors import InputError, RenderError

__all__ = ["BASEMAP_ATTRIBUTION", "REGION_EXTENT", "countries_geojson"]

logger = logging.getLogger(__name__)

#: Attribution shown on maps with the offline background.
BASEMAP_ATTRIBUTION = "Natural Earth (public domain)"

_DECIMALS = 3
#: A country is labelled when it covers at least this share of the view around the data.
_LABEL_MIN_SHARE = 0.04


#: ``(west_lon, south_lat, east_lon, north_lat)`` covered by the 1:50m regional layer.
REGION_EXTENT = (20.0, 10.0, 65.0, 50.0)
_WORLD_FILE = "countries.geojson"
_REGION_FILE = "countries-50m-region.geojson"

Detail = Literal["auto", "50m", "110m"]
#: Degrees around the flows drawn at 1:50m (at least; half the flows' extent if larger).
_FINE_PAD_DEG = 3.0


@functools.cache
def _countries(file: str = _WORLD_FILE) -> tuple[tuple[str, Any], ...]:
    """A bundled layer as (name, shapely geometry) pairs, read once per process.

    The cache holds immutable values read from a file inside the package; it changes
    no result and nothing can reconfigure it.
    """
    source = data_path("basemap", file)
    try:
        collection = json.loads(source.read_text(encoding="utf-8"))
        countries = tuple(
            (str(f["properties"]["name"]), shape(f["geometry"])) for f in collection["features"]
        )
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise RenderError(
            f"cannot read the bundled basemap {source}: {e}",
            hint="reinstall evacmap, or pass basemap=False",
        ) from e
    logger.debug("Read %d country outlines from %s", len(countries), source)
    return countries


def _inside_region(bounds: tuple[float, float, float, float]) -> bool:
    south, west, north, east = bounds
    w, s, e, n = REGION_EXTENT
    return w <= west and east <= e and s <= south and north <= n


def _label_points(
    countries: list[tuple[str, Any]], bounds: tuple[float, float, float, float]
) -> list[dict[str, Any]]:
    """A label point for each country covering a good part of the view around `bounds`."""
    south, west, north, east = bounds
    pad = max(1.0, 0.3 * max(north - south, east - west))
    view = shapely.box(west - pad, south - pad, east + pad, north + pad)
    labels = []
    for name, geom in countries:
        piece = geom.intersection(view)
        if piece.is_empty or piece.area < _LABEL_MIN_SHARE * view.area:
            continue
        polygons = getattr(piece, "geoms", [piece])
        largest = max((p for p in polygons if p.geom_type == "Polygon"), key=lambda p: p.area)
        at = polylabel(largest, tolerance=0.05)
        labels.append(
            {"name": html.escape(name), "at": [round(at.x, _DECIMALS), round(at.y, _DECIMALS)]}
        )
    return labels


def _clipped(
    countries: list[tuple[str, Any]], box: tuple[float, float, float, float], outside: Any = None
) -> list[tuple[str, Any]]:
    """The countries' parts inside `box` (and outside the geometry `outside`), by name."""
    if not countries:
        return []
    pieces = shapely.clip_by_rect([g for _, g in countries], *box)
    if outside is not None:
        pieces = shapely.difference(pieces, outside)
    return [(name, g) for (name, _), g in zip(countries, pieces, strict=True) if not g.is_empty]


def _rounded(pieces: list[tuple[str, Any]]) -> list[Any]:
    """One outline per country, on a 3-decimal grid.

    A country's 1:50m and 1:110m parts are joined, so the seam between the layers draws
    no border through it.
    """
    by_name: dict[str, list[Any]] = {}
    for name, geom in pieces:
        by_name.setdefault(name, []).append(geom)
    out = []
    for parts in by_name.values():
        geom = parts[0] if len(parts) == 1 else shapely.union_all(parts, grid_size=10.0**-_DECIMALS)
        geom = shapely.set_precision(geom, 10.0**-_DECIMALS)
        if geom.is_empty or geom.area == 0:
            continue
        out.append(shapely.transform(geom, lambda xy: xy.round(_DECIMALS)))
    return out


def countries_geojson(
    bounds: tuple[float, float, float, float],
    *,
    margin_deg: float | None = None,
    detail: Detail = "auto",
) -> dict[str, Any]:
    """Country outlines around `bounds`, as a GeoJSON FeatureCollection of bare geometries.

    Parameters
    ----------
    bounds
        ``(south_lat, west_lon, north_lat, east_lon)`` of the map's data.
    margin_deg
        Degrees added on every side; by default the larger of 12° and the extent
        of `bounds`, so the background outlasts zooming out a few levels.
    detail
        ``"auto"`` draws the 1:50m regional outlines around `bounds` when they lie
        inside :data:`REGION_EXTENT` (the 1:110m world filling the outer margin), else
        the 1:110m world; ``"50m"`` or ``"110m"`` choose.

    Returns
    -------
    dict
        A FeatureCollection; each feature is one country's part inside the box, with
        no properties (the layer is not interactive). Coordinates have 3 decimals.
        Foreign members: ``"detail"`` (``"50m"`` or ``"110m"``) and ``"labels"``, a list
        of ``{"name", "at": [lon, lat]}`` for the countries that fill a good part of the
        view (names HTML-escaped).

    Raises
    ------
    InputError
        When `detail` is not one of the choices.

    Examples
    --------
    >>> countries_geojson((-40.0, -130.0, -39.0, -129.0), margin_deg=1.0)["features"]  # Pacific
    []
    """
    if detail not in ("auto", "50m", "110m"):
        raise InputError(
            f"`detail` must be 'auto', '50m' or '110m', got {detail!r} ({type(detail).__name__})"
        )
    south, west, north, east = (float(v) for v in bounds)
    if margin_deg is None:
        margin_deg = max(12.0, north - south, east - west)
    box = (
        max(-180.0, west - margin_deg),
        max(-90.0, south - margin_deg),
        min(180.0, east + margin_deg),
        min(90.0, north + margin_deg),
    )
    window = shapely.box(*box)
    world = [(name, g) for name, g in _countries() if g.intersects(window)]
    regional = detail == "50m" or (detail == "auto" and _inside_region((south, west, north, east)))
    if regional:
        # 1:50m where the flows are (the first view and a zoom level or two out); the
        # 1:110m world fills the rest of the margin, which is seen only zoomed out.
        pad = max(_FINE_PAD_DEG, 0.5 * max(north - south, east - west))
        fine = shapely.box(west - pad, south - pad, east + pad, north + pad)
        inner = window.intersection(shapely.box(*REGION_EXTENT)).intersection(fine)
        hits = [(n, g) for n, g in _countries(_REGION_FILE) if g.intersects(inner)]
        geoms = _clipped(hits, inner.bounds) if not inner.is_empty else []
        if not inner.contains(window):
            geoms += _clipped(world, box, outside=inner)
        named = {n for n, _ in hits}
        hits += [(n, g) for n, g in world if n not in named]
    else:
        hits = world
        geoms = _clipped(world, box)
    features = [{"type": "Feature", "properties": {}, "geometry": mapping(g)} for g in _rounded(geoms)]
    logger.debug(
        "Basemap: %d outlines at 1:%s inside %s", len(features), "50m" if regional else "110m", box
    )
    return {
        "type": "FeatureCollection",
        "features": features,
        "detail": "50m" if regional else "110m",
        "labels": _label_points(hits, (south, west, north, east)),
    }
