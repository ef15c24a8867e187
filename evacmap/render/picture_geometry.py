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

__all__ = [
    "PAD_PX",
    "PX_PER_IN",
    "Frame",
    "arrowhead",
    "dash_pattern",
    "fit_frame",
    "flow_items",
    "from_end",
    "head_size",
    "line_parts",
    "merc",
    "scale_km",
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
    items = []
    for f in flows["features"]:
        p = f["properties"]
        parts = []
        for part in line_parts(f["geometry"]):
            x, y = merc(part[:, 0], part[:, 1])
            parts.append(frame.px(x, y))
        head = None
        if p["role"] != "trunk":
            gap = p.get("r", 0.0) + 1.5 if p.get("r", 0.0) > 0 else 0.0
            shape = arrowhead(parts[-1], p["w"], gap)
            if shape is not None:
                head, parts[-1] = shape
        items.append({"p": p, "parts": parts, "head": head})
    return items
