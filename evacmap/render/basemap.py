"""The offline background: Natural Earth country outlines, clipped to the area of a map.

The bundled ``basemap/countries.geojson`` (see ``scripts/make_basemap.py``) covers the
world in about 200 KB. A map needs only the countries around its flows, so the outlines
are clipped to the flows' bounding box plus a generous margin; a map of Syria carries
a few tens of kilobytes of background. Countries that fill a good part of the first
view get a label point, so a map with no tiles still says where it is.

Examples
--------
>>> fc = countries_geojson((34.7, 36.6, 36.8, 38.0))
>>> fc["type"], len(fc["features"]) > 3
('FeatureCollection', True)
>>> sorted(label["name"] for label in fc["labels"])[:3]
['Lebanon', 'Syria', 'Turkey']
"""

from __future__ import annotations

import functools
import html
import json
import logging
from typing import Any

import shapely
from shapely.geometry import mapping, shape
from shapely.ops import polylabel

from evacmap._resources import data_path
from evacmap.errors import RenderError

__all__ = ["BASEMAP_ATTRIBUTION", "countries_geojson"]

logger = logging.getLogger(__name__)

#: Attribution shown on maps with the offline background.
BASEMAP_ATTRIBUTION = "Natural Earth (public domain)"

_DECIMALS = 3
#: A country is labelled when it covers at least this share of the view around the data.
_LABEL_MIN_SHARE = 0.04


@functools.cache
def _countries() -> tuple[tuple[str, Any], ...]:
    """The bundled countries as (name, shapely geometry) pairs, read once per process.

    The cache holds immutable values read from a file inside the package; it changes
    no result and nothing can reconfigure it.
    """
    source = data_path("basemap", "countries.geojson")
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


def countries_geojson(
    bounds: tuple[float, float, float, float],
    *,
    margin_deg: float | None = None,
) -> dict[str, Any]:
    """Country outlines around `bounds`, as a GeoJSON FeatureCollection of bare geometries.

    Parameters
    ----------
    bounds
        ``(south_lat, west_lon, north_lat, east_lon)`` of the map's data.
    margin_deg
        Degrees added on every side; by default the larger of 12° and the extent
        of `bounds`, so the background outlasts zooming out a few levels.

    Returns
    -------
    dict
        A FeatureCollection; each feature is one country's part inside the box, with
        no properties (the layer is not interactive). Coordinates have 3 decimals.
        The foreign member ``"labels"`` lists ``{"name", "at": [lon, lat]}`` for the
        countries that fill a good part of the view (names HTML-escaped).

    Examples
    --------
    >>> countries_geojson((-40.0, -130.0, -39.0, -129.0), margin_deg=1.0)["features"]  # Pacific
    []
    """
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
    hits = [(name, g) for name, g in _countries() if g.intersects(window)]
    clipped = shapely.clip_by_rect([g for _, g in hits], *box) if hits else []
    features = []
    for geom in clipped:
        geom = shapely.set_precision(geom, 10.0**-_DECIMALS)
        if geom.is_empty or geom.area == 0:
            continue
        geom = shapely.transform(geom, lambda xy: xy.round(_DECIMALS))
        features.append({"type": "Feature", "properties": {}, "geometry": mapping(geom)})
    logger.debug("Basemap: %d of %d countries inside %s", len(features), len(_countries()), box)
    return {
        "type": "FeatureCollection",
        "features": features,
        "labels": _label_points(hits, (south, west, north, east)),
    }
