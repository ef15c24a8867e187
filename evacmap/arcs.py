"""Flow line geometry: curved arcs and forks, vectorised on shapely 2 arrays.

Arcs are quadratic Bézier curves drawn in Web Mercator, so they look the same on a
Leaflet map as they do in the exported file. An arc always bends to the left of its
direction of travel, so A→B and B→A never lie on top of each other. Arcs that cross
the antimeridian take the short way round and come out as MultiLineStrings split at
±180°.

Examples
--------
>>> import numpy as np
>>> lines = build_arcs(np.array([34.75]), np.array([36.66]), np.array([35.93]), np.array([36.63]))
>>> lines[0].coords[0], lines[0].coords[-1]
((36.66, 34.75), (36.63, 35.93))
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry import LineString, MultiLineString

__all__ = ["arc_vertices", "build_arcs", "fork_point", "path_lines"]

FloatArray = npt.NDArray[np.float64]

#: Latitude limit of Web Mercator; arcs are computed inside it.
_MERC_LIMIT = 85.0


def _to_merc(lat: FloatArray, lon: FloatArray) -> tuple[FloatArray, FloatArray]:
    lat = np.clip(lat, -_MERC_LIMIT, _MERC_LIMIT)
    y = np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))
    return np.radians(lon), y


def _from_merc(x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
    lat = np.degrees(2 * np.arctan(np.exp(y)) - np.pi / 2)
    return lat, np.degrees(x)


def _unwrap_lon(lon_start: FloatArray, lon_end: FloatArray) -> FloatArray:
    """Shift `lon_end` by ±360 so that the way from `lon_start` is at most 180° long."""
    delta = lon_end - lon_start
    return lon_end - 360.0 * np.round(delta / 360.0)


def arc_vertices(
    origin_lat: FloatArray,
    origin_lon: FloatArray,
    dest_lat: FloatArray,
    dest_lon: FloatArray,
    *,
    bend: float = 0.18,
    n_points: int = 24,
) -> tuple[FloatArray, FloatArray]:
    """Vertices of curved arcs, one row per arc, longitudes unwrapped (may pass ±180).

    Parameters
    ----------
    origin_lat, origin_lon, dest_lat, dest_lon
        Arc ends in degrees, arrays of equal length.
    bend
        Sideways offset of the curve's control point as a fraction of the arc's length;
        0 draws straight lines.
    n_points
        Vertices per arc, ends included (at least 2).

    Returns
    -------
    tuple of ndarray
        ``(lat, lon)`` arrays of shape ``(n_arcs, n_points)``. The first and last
        columns are exactly the given ends (longitudes of the end unwrapped).

    Examples
    --------
    >>> lat, lon = arc_vertices(np.array([0.0]), np.array([179.0]), np.array([0.0]),
    ...                         np.array([-179.0]), n_points=3)
    >>> lon[0, 0], lon[0, -1]
    (np.float64(179.0), np.float64(181.0))
    >>> arc_vertices(np.array([]), np.array([]), np.array([]), np.array([]))[0].shape
    (0, 24)
    """
    if n_points < 2:
        raise ValueError(f"`n_points` must be at least 2, got {n_points!r}")
    o_lat = np.asarray(origin_lat, dtype=float)
    o_lon = np.asarray(origin_lon, dtype=float)
    d_lat = np.asarray(dest_lat, dtype=float)
    d_lon = _unwrap_lon(o_lon, np.asarray(dest_lon, dtype=float))
    x0, y0 = _to_merc(o_lat, o_lon)
    x2, y2 = _to_merc(d_lat, d_lon)
    dx, dy = x2 - x0, y2 - y0
    # Control point: chord midpoint pushed to the left of the direction of travel.
    x1 = (x0 + x2) / 2 - bend * dy
    y1 = (y0 + y2) / 2 + bend * dx
    t = np.linspace(0.0, 1.0, n_points)[None, :]
    a, b, c = (1 - t) ** 2, 2 * (1 - t) * t, t**2
    x = a * x0[:, None] + b * x1[:, None] + c * x2[:, None]
    y = a * y0[:, None] + b * y1[:, None] + c * y2[:, None]
    lat, lon = _from_merc(x, y)
    # Pin the ends to the exact input values (no round-off from the projection).
    lat[:, 0], lon[:, 0] = o_lat, o_lon
    lat[:, -1], lon[:, -1] = d_lat, d_lon
    return lat, lon


def _split_antimeridian(lon: FloatArray, lat: FloatArray) -> LineString | MultiLineString:
    line = LineString(np.column_stack([lon, lat]))
    if (lon.min() >= -180.0 and lon.max() <= 180.0) or line.length < 1e-9:
        return LineString(np.column_stack([np.clip(lon, -180.0, 180.0), lat]))
    pieces: list[tuple[float, LineString]] = []
    for shift in (-360.0, 0.0, 360.0):
        window = shapely.box(-180.0 - shift, -90.0, 180.0 - shift, 90.0)
        piece = line.intersection(window)
        for geom in getattr(piece, "geoms", [piece]):
            if isinstance(geom, LineString) and not geom.is_empty and geom.length > 0:
                along = line.project(shapely.Point(geom.coords[0]))
                coords = np.asarray(geom.coords)
                coords[:, 0] += shift
                pieces.append((along, LineString(np.clip(coords, [-180.0, -90.0], [180.0, 90.0]))))
    parts = [p for _, p in sorted(pieces, key=lambda item: item[0])]
    return MultiLineString(parts)


def build_arcs(
    origin_lat: FloatArray,
    origin_lon: FloatArray,
    dest_lat: FloatArray,
    dest_lon: FloatArray,
    *,
    bend: float = 0.18,
    n_points: int = 24,
) -> npt.NDArray[np.object_]:
    """Curved flow lines as shapely geometries, x = lon and y = lat.

    Parameters
    ----------
    origin_lat, origin_lon, dest_lat, dest_lon
        Arc ends in degrees, arrays of equal length.
    bend
        Curvature (see :func:`arc_vertices`).
    n_points
        Vertices per arc.

    Returns
    -------
    ndarray of shapely geometries
        A LineString per arc, or a MultiLineString split at ±180° for an arc that
        crosses the antimeridian.

    Examples
    --------
    >>> g = build_arcs(np.array([0.0]), np.array([179.0]), np.array([1.0]), np.array([-179.0]))
    >>> g[0].geom_type
    'MultiLineString'
    >>> len(build_arcs(np.array([]), np.array([]), np.array([]), np.array([])))
    0
    """
    lat, lon = arc_vertices(
        origin_lat, origin_lon, dest_lat, dest_lon, bend=bend, n_points=n_points
    )
    out = np.empty(len(lat), dtype=object)
    if len(lat) == 0:
        return out
    o_lon = np.asarray(origin_lon, dtype=float)
    d_lon = np.asarray(dest_lon, dtype=float)
    # Round-off in the projection may nudge a vertex on ±180 just past it: tolerate that,
    # unless the destination itself had to be unwrapped by ±360 (then split the arc).
    inside = (
        (lon.min(axis=1) >= -180.0 - 1e-9)
        & (lon.max(axis=1) <= 180.0 + 1e-9)
        & (lon[:, -1] == d_lon)
    )
    lon = np.where(inside[:, None], np.clip(lon, -180.0, 180.0), lon)
    coords = np.stack([lon, lat], axis=-1)
    out[inside] = shapely.linestrings(coords[inside])
    for i in np.flatnonzero(~inside):
        split = _split_antimeridian(lon[i], lat[i])
        parts = [np.asarray(g.coords) for g in getattr(split, "geoms", [split])]
        # Pin the ends to the exact input longitudes (no ±360 round-off); ±180 are one
        # meridian, so an end on it keeps the side its part is drawn on.
        for part, j, given in ((parts[0], 0, o_lon[i]), (parts[-1], -1, d_lon[i])):
            on_side = np.copysign(180.0, part[j, 0])
            part[j, 0] = on_side if abs(given) == 180.0 else given
        lines = [LineString(p) for p in parts]
        out[i] = lines[0] if len(lines) == 1 else MultiLineString(lines)
    return out


def fork_point(
    origin_lat: float,
    origin_lon: float,
    dest_lats: Sequence[float],
    dest_lons: Sequence[float],
) -> tuple[float, float]:
    """Where a movement with several destinations splits: its branching point.

    The point lies on the way from the origin towards the centre of the destinations
    (towards the nearest one when they lie all around it), at most half way, and never
    further than 60 % of the way to the nearest destination, so the trunk and every
    branch keep a visible length.

    Parameters
    ----------
    origin_lat, origin_lon
        The origin.
    dest_lats, dest_lons
        The destinations (at least one).

    Returns
    -------
    tuple of float
        ``(lat, lon)`` of the branching point.

    Examples
    --------
    >>> fork_point(0.0, 0.0, [10.0, 10.0], [-5.0, 5.0])
    (5.0, 0.0)
    """
    o_lon = float(origin_lon)
    d_lon = _unwrap_lon(np.full(len(dest_lons), o_lon), np.asarray(dest_lons, dtype=float))
    d_lat = np.asarray(dest_lats, dtype=float)
    # Work in a local equirectangular plane around the origin.
    k = math.cos(math.radians(origin_lat))
    ex, ey = (d_lon - o_lon) * k, d_lat - origin_lat
    cx, cy = ex.mean(), ey.mean()
    dists = np.hypot(ex, ey)
    nearest = float(dists.min())
    if nearest == 0.0:
        return float(origin_lat), o_lon
    if math.hypot(cx, cy) < 0.25 * nearest:
        # Destinations all around the origin: branch off towards the nearest one, so the
        # fork keeps a trunk to carry the total.
        i = int(np.argmin(dists))
        cx, cy = ex[i], ey[i]
    dist_c = math.hypot(cx, cy)
    frac = min(0.5, 0.6 * nearest / dist_c)
    lat = float(origin_lat + frac * cy)
    lon = float(o_lon + frac * cx / k)
    lon = (lon + 180.0) % 360.0 - 180.0
    return lat, lon


def path_lines(
    path: npt.NDArray[np.int64], lat: FloatArray, lon: FloatArray, n_paths: int
) -> npt.NDArray[np.object_]:
    """Straight polylines through the vertices of many paths at once.

    Parameters
    ----------
    path
        For each vertex, the path it belongs to (``0..n_paths-1``), vertices of a path
        in order and consecutive.
    lat, lon
        The vertices.
    n_paths
        How many paths.

    Returns
    -------
    ndarray of shapely geometries
        A LineString per path; a MultiLineString split at ±180° when a step is shorter
        the other way round the earth (more than 180° of longitude); None for a path
        with fewer than two distinct vertices (a point is not a line).

    Examples
    --------
    >>> g = path_lines(np.array([0, 0, 1, 1]), np.array([0.0, 1.0, 5.0, 5.0]),
    ...                np.array([179.0, -179.0, 3.0, 3.0]), 2)
    >>> g[0].geom_type, g[1] is None
    ('MultiLineString', True)
    """
    out = np.full(n_paths, None, dtype=object)
    if not len(path):
        return out
    path = np.asarray(path, dtype=np.int64)
    lat, lon = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
    same = path[1:] == path[:-1]
    moved = same & ((lat[1:] != lat[:-1]) | (lon[1:] != lon[:-1]))
    has_line = np.zeros(n_paths, dtype=bool)
    has_line[path[1:][moved]] = True
    crossing = np.zeros(n_paths, dtype=bool)
    crossing[path[1:][same & (np.abs(lon[1:] - lon[:-1]) > 180.0)]] = True
    simple = has_line & ~crossing
    keep = simple[path]
    if keep.any():
        sel = np.flatnonzero(simple)
        rank = np.searchsorted(sel, path[keep])
        out[sel] = shapely.linestrings(np.column_stack([lon[keep], lat[keep]]), indices=rank)
    for k in np.flatnonzero(has_line & crossing).tolist():
        vx = np.flatnonzero(path == k)
        lo = lon[vx].copy()
        # Take the short way at each step, then cut the unwrapped line at ±180°.
        steps = np.diff(lo)
        lo[1:] = lo[0] + np.cumsum(steps - 360.0 * np.round(steps / 360.0))
        out[k] = _split_antimeridian(lo, lat[vx])
    return out
