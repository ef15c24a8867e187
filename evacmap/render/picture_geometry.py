"""Pixel geometry of a static picture: Web Mercator, the map frame, arrowheads, the scale.

A picture is laid out in CSS pixels (1/96 inch), like the web map, so line widths,
arrowheads and gaps follow the page's formulas. :class:`Frame` maps Mercator degrees to
those pixels and back.

Examples
--------
>>> head, line = arrowhead(np.array([[0.0, 0.0], [100.0, 0.0]]), 4.0, gap=10.0)
>>> head[0].tolist(), round(float(line[-1][0]), 1)
([90.0, 0.0], 76.4)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from evacmap.flows import FlowGraph
from evacmap.render.style import MapStyle

__all__ = [
    "PAD_PX",
    "PX_PER_IN",
    "Frame",
    "arrowhead",
    "dash_pattern",
    "end_items",
    "fit_frame",
    "flow_items",
    "from_end",
    "head_size",
    "line_parts",
    "merc",
    "scale_km",
    "through_waypoints",
]

#: CSS pixels per inch.
PX_PER_IN = 96.0
#: Room around the data, as the web map's fit_bounds padding.
PAD_PX = 30.0
_MIN_EXTENT_DEG = 0.2
_MIN_ASPECT, _MAX_ASPECT = 0.55, 0.9  # height of the map over its width
_MERC_LAT = 85.0

FloatArray = npt.NDArray[np.float64]


def merc(lon: Any, lat: Any) -> tuple[FloatArray, FloatArray]:
    """Web Mercator in degrees of longitude: x = lon, y = the stretched latitude."""
    lat = np.clip(np.asarray(lat, dtype=float), -_MERC_LAT, _MERC_LAT)
    y = np.degrees(np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)))
    return np.asarray(lon, dtype=float), y



@dataclass(frozen=True, slots=True)
class Frame:
    """The map's extent in Mercator degrees and its scale in pixels per degree."""

    x0: float
    y0: float
    x1: float
    y1: float
    k: float

    def px(self, x: FloatArray, y: FloatArray) -> FloatArray:
        """Mercator degrees to pixels from the lower left corner (y up)."""
        return np.column_stack(((x - self.x0) * self.k, (y - self.y0) * self.k))

    def data(self, pts: FloatArray) -> FloatArray:
        """Pixels back to Mercator degrees (the map axes' data coordinates)."""
        return np.column_stack((pts[:, 0] / self.k + self.x0, pts[:, 1] / self.k + self.y0))


def fit_frame(
    bounds: tuple[float, float, float, float], map_w_in: float, labels_px: Sequence[tuple[float, float, float]]
) -> tuple[Frame, float]:
    """Extent and scale for data `bounds`, with room for the labels right of places.

    `labels_px` lists ``(lon, lat, extent_px)``: how far right of each place its label
    reaches. Returns the frame and the map's height in inches (kept between 0.55 and
    0.9 of its width by widening the short side of the extent, which shows more context).
    """
    south, west, north, east = bounds
    lat_pad = max(0.0, _MIN_EXTENT_DEG - (north - south)) / 2
    lon_pad = max(0.0, _MIN_EXTENT_DEG - (east - west)) / 2
    (x0, x1), (y0, y1) = merc([west - lon_pad, east + lon_pad], [south - lat_pad, north + lat_pad])
    w_px = map_w_in * PX_PER_IN
    right = 0.0
    for _ in range(3):  # the scale depends on the room the labels need, and back
        k = (w_px - 2 * PAD_PX - right) / max(x1 - x0, 1e-9)
        need = 0.0
        if labels_px:
            need = max(0.0, max((lon - x1) * k + ext for lon, _, ext in labels_px))
        right = min(need, 0.45 * w_px)
    k = (w_px - 2 * PAD_PX - right) / max(x1 - x0, 1e-9)
    h_px = (y1 - y0) * k + 2 * PAD_PX
    h_px = float(np.clip(h_px, _MIN_ASPECT * w_px, _MAX_ASPECT * w_px))
    data_h = (h_px - 2 * PAD_PX) / k
    if data_h < y1 - y0:  # too tall: widen the extent instead, keeping the height
        k = (h_px - 2 * PAD_PX) / (y1 - y0)
        extra = (w_px - 2 * PAD_PX - right) / k - (x1 - x0)
        x0, x1 = x0 - extra / 2, x1 + extra / 2
        data_h = y1 - y0
    cy = (y0 + y1) / 2
    y0, y1 = cy - data_h / 2, cy + data_h / 2
    frame = Frame(
        x0 - PAD_PX / k, y0 - PAD_PX / k, x1 + (PAD_PX + right) / k, y1 + PAD_PX / k, k
    )
    return frame, h_px / PX_PER_IN


def line_parts(geometry: Mapping[str, Any]) -> list[FloatArray]:
    """The parts of a GeoJSON LineString or MultiLineString, as ``(lon, lat)`` arrays."""
    if geometry["type"] == "LineString":
        return [np.asarray(geometry["coordinates"], dtype=float)]
    return [np.asarray(c, dtype=float) for c in geometry["coordinates"]]


def head_size(w: float) -> tuple[float, float]:
    """Arrowhead length and half-width in pixels for a line `w` pixels wide (as the web map)."""
    return min(32.0, max(11.0, 6 + 1.9 * w)), min(18.0, max(5.5, 2.5 + 1.05 * w))


def from_end(pts: FloatArray, dist: float) -> tuple[int, FloatArray]:
    """The point `dist` pixels back from the end of `pts`, and the vertex before it."""
    left = dist
    for i in range(len(pts) - 1, 0, -1):
        a, b = pts[i], pts[i - 1]
        d = float(np.hypot(*(a - b)))
        if d > 0 and d >= left:
            return i - 1, a + (b - a) * (left / d)
        left -= d
    return 0, pts[0]


def arrowhead(pts: FloatArray, w: float, gap: float) -> tuple[FloatArray, FloatArray] | None:
    """The triangle at the end of `pts` (pixels) stopping `gap` short, and the cut line."""
    length, half = head_size(w)
    room = float(np.hypot(*np.diff(pts, axis=0).T).sum()) - gap
    if room < 4:
        return None
    scale = min(1.0, 0.6 * room / length)
    length, half = length * scale, half * scale
    _, tip = from_end(pts, gap)
    index, base = from_end(pts, gap + length)
    d = tip - base
    norm = float(np.hypot(*d)) or 1.0
    perp = np.array([-d[1], d[0]]) / norm * half
    head = np.array([tip, base + perp, base - perp])
    line = np.vstack([pts[: index + 1], base])
    return head, line


def dash_pattern(w: float) -> tuple[float, tuple[float, float]]:
    """A branch's dash pattern (the web map's ``dash(w)``), in multiples of the line width."""
    return (0.0, (max(5.0, 2.4 * w) / w, max(3.5, 1.5 * w) / w))


def scale_km(frame: Frame, max_px: float = 130.0) -> tuple[float, float]:
    """A round distance (1, 2 or 5 x 10^n km) at most `max_px` long, and its length in px."""
    y_mid = (frame.y0 + frame.y1) / 2
    lat = math.degrees(2 * math.atan(math.exp(math.radians(y_mid))) - math.pi / 2)
    km_per_px = 111.32 * math.cos(math.radians(lat)) / frame.k
    most = max_px * km_per_px
    step = 10 ** math.floor(math.log10(most))
    km = max(m * step for m in (1, 2, 5) if m * step <= most)
    return km, km / km_per_px


def flow_items(flows: Mapping[str, Any], frame: Frame) -> list[dict[str, Any]]:
    """Each flow feature in pixels: its parts (lines cut at their arrowheads) and head."""
    features = flows["features"]
    all_parts = [line_parts(f["geometry"]) for f in features]
    flat = [part for parts in all_parts for part in parts]
    if flat:  # one projection for every vertex, then split back into parts
        stacked = np.vstack(flat)
        px = frame.px(*merc(stacked[:, 0], stacked[:, 1]))
        pieces = np.split(px, np.cumsum([len(part) for part in flat])[:-1])
    items = []
    k = 0
    for f, feature_parts in zip(features, all_parts, strict=True):
        p = f["properties"]
        parts = list(pieces[k : k + len(feature_parts)])
        k += len(feature_parts)
        head = None
        if p["role"] != "trunk":
            gap = p.get("r", 0.0) + 1.5 if p.get("r", 0.0) > 0 else 0.0
            shape = arrowhead(parts[-1], p["w"], gap)
            if shape is not None:
                head, parts[-1] = shape
        items.append({"p": p, "parts": parts, "head": head})
    return items


def _stub(at: FloatArray, r: float, w: float, into: bool) -> FloatArray:
    """A short straight line out of a place (up and to the right) or into it (from the upper left)."""
    r0, length = r + 2.0, 26.0 + w
    direction = np.array([-0.8, 0.6]) if into else np.array([0.8, 0.6])
    near, far = at + direction * r0, at + direction * (r0 + length)
    return np.array([far, near]) if into else np.array([near, far])


def _ring(at: FloatArray, r: float, w: float) -> FloatArray:
    """A loop beside a place (up and to the right), 92 % of a circle, clockwise."""
    rr = r + 3.0 + w / 2
    centre = at + np.array([0.7, 0.7]) * rr
    angles = -np.linspace(0.0, 2 * np.pi * 0.92, 40)
    return centre + rr * np.column_stack((np.cos(angles), np.sin(angles)))


def _free_end(role: str, line: FloatArray, *, into: bool) -> tuple[list[float], list[float]]:
    """The end of a stub away from its place (or the far side of a ring), and its direction."""
    if role == "ring":
        centre = line.mean(axis=0)
        rr = float(np.hypot(*(line[0] - centre)))
        d = np.array([0.7071, 0.7071])
        return (centre + d * rr).tolist(), d.tolist()
    far = line[0] if into else line[-1]
    d = (line[0] - line[-1]) if into else (line[-1] - line[0])
    d = d / (float(np.hypot(*d)) or 1.0)
    return far.tolist(), d.tolist()


def end_items(
    graph: FlowGraph,
    frame: Frame,
    radii: Mapping[str, float],
    *,
    style: MapStyle,
    vmax: float,
    labels: bool,
) -> list[dict[str, Any]]:
    """What the flow lines leave out, in pixels, as :func:`flow_items` gives the lines.

    * a movement with only an origin ("left Harasta"): a short stub out of it;
    * one with only destinations ("arrived in Idlib"): a stub into each, the count
      labelled once — the other end is never invented;
    * one whose destination is its origin: a ring beside the place.

    Examples
    --------
    >>> from evacmap.model import Movement, Place
    >>> g = FlowGraph([Movement(Place("Harasta", 33.56, 36.36), (), count=2000)])
    >>> f = Frame(36.0, 39.0, 37.0, 40.0, k=100.0)
    >>> [it["p"]["role"] for it in end_items(g, f, {}, style=MapStyle(), vmax=2000.0, labels=True)]
    ['stub']
    """
    from evacmap.render.features import drawn_count, flow_kind

    items: list[dict[str, Any]] = []
    for i, m in enumerate(graph.movements):
        n = drawn_count(m)
        w = style.min_width_px if n is None else style.flow_width_px(n, vmax=vmax)
        base: dict[str, Any] = {"m": i, "kind": flow_kind(m), "w": round(w, 1)}
        if n is None:
            base["unknown"] = True
        shapes: list[tuple[str, FloatArray]] = []
        if m.origin is not None and not m.destinations:
            o = m.origin
            shapes.append(("stub", _stub(frame.px(*merc(o.lon, o.lat))[0], radii.get(o.id, 0.0), w, False)))
        elif m.origin is None:
            for d in m.destinations:
                shapes.append(("stub", _stub(frame.px(*merc(d.lon, d.lat))[0], radii.get(d.id, 0.0), w, True)))
        else:
            o = m.origin
            if any((d.lat, d.lon) == (o.lat, o.lon) for d in m.destinations):
                shapes.append(("ring", _ring(frame.px(*merc(o.lon, o.lat))[0], radii.get(o.id, 0.0), w)))
        for k, (role, line) in enumerate(shapes):
            p = {**base, "role": role}
            # One label per movement; a ring beside lines to other places has none of its own.
            if labels and k == 0 and (role == "stub" or len(m.destinations) == 1):
                p["label"] = True
                p["label_at"], p["label_dir"] = _free_end(role, line, into=m.origin is None)
            head, cut = None, line
            shape = arrowhead(line, w, 0.0)
            if shape is not None:
                head, cut = shape
            items.append({"p": p, "parts": [cut], "head": head})
    return items


def through_waypoints(
    items: list[dict[str, Any]], graph: FlowGraph, frame: Frame, *, bend: float
) -> list[dict[str, Any]]:
    """`items` with each line of a movement that has waypoints drawn through them.

    A movement to one destination via places on the way is drawn leg by leg (a gentler
    curve per leg), its arrowhead at the destination only. Other lines are unchanged.

    Examples
    --------
    >>> through_waypoints([], FlowGraph(), Frame(0.0, 0.0, 1.0, 1.0, k=1.0), bend=0.18)
    []
    """
    from evacmap.arcs import arc_vertices

    movements = graph.movements
    out = []
    for it in items:
        p = it["p"]
        m = movements[p["m"]]
        if p["role"] != "flow" or not m.waypoints or m.origin is None or len(m.destinations) != 1:
            out.append(it)
            continue
        stops = [m.origin, *m.waypoints, m.destinations[0]]
        lat, lon = arc_vertices(
            np.array([s.lat for s in stops[:-1]]), np.array([s.lon for s in stops[:-1]]),
            np.array([s.lat for s in stops[1:]]), np.array([s.lon for s in stops[1:]]),
            bend=0.5 * bend, n_points=12,
        )
        lat_all = np.concatenate([lat[0], *(row[1:] for row in lat[1:])])
        lon_all = np.concatenate([lon[0], *(row[1:] for row in lon[1:])])
        line = frame.px(*merc(lon_all, lat_all))
        r = float(p.get("r", 0.0))
        head, cut = None, line
        shape = arrowhead(line, float(p["w"]), r + 1.5 if r > 0 else 0.0)
        if shape is not None:
            head, cut = shape
        out.append({"p": {**p, "via": len(m.waypoints)}, "parts": [cut], "head": head})
    return out
