"""Static pictures of a flow map (PNG, SVG, PDF) for reports and slides, with no browser.

The picture uses the web map's encoding, from the same data
(:func:`~evacmap.render.features.flow_collection` and
:func:`~evacmap.render.features.place_collection`): curved arcs in Web Mercator with
arrowheads that stop at the destination's circle, widths by the square root of the
count on one scale, planned and cumulative figures drawn as hollow bands, a fork drawn
once with its total, dotted lines for unknown counts, place circles by area, and the
labels. The legend sits beside the map (it never hides a flow); the title above it and
the credits (basemap, places, the sources) below.

Sizes are CSS pixels as on the web map (1 px = 1/96 inch, 0.75 point), so a picture
10 inches wide looks like the page in a 1000-pixel window. Every piece of text from the
table is drawn as plain text: matplotlib's mathtext is off, so a name like ``"$x$"``
is drawn as written; SVG keeps text as (XML-escaped) text and PDF embeds the fonts.
matplotlib is used through its object API only (no pyplot, no global state).

Examples
--------
>>> from evacmap.flows import FlowGraph
>>> from evacmap.model import Movement, Place
>>> o, a, b = Place("al-Waer", 34.747, 36.664), Place("Idlib", 35.93, 36.63), Place("Jarablus", 36.82, 38.01)
>>> fig = render_picture(FlowGraph([Movement(o, (a, b), count=450)]), title="al-Waer, May 2017")
>>> sorted({t.get_text() for t in fig.axes[0].texts} & {"450", "Idlib", "225"})
['450', 'Idlib']
"""

from __future__ import annotations

import html
import io
import logging
import math
import os
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from evacmap._atomic import write_bytes_atomic
from evacmap.errors import InputError, RenderError
from evacmap.flows import FlowGraph
from evacmap.render.basemap import BASEMAP_ATTRIBUTION, countries_geojson
from evacmap.render.elements import PLACES_ATTRIBUTION
from evacmap.render.features import (
    data_bounds,
    drawn_count,
    flow_collection,
    flow_kind,
    place_collection,
)
from evacmap.render.overlay import Overlay, OverlayLike, as_overlay
from evacmap.render.picture_legend import PT_PER_PX, draw_legend, legend_rows
from evacmap.render.style import MapStyle
from evacmap.render.tooltips import count_text

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = ["PICTURE_FORMATS", "render_picture", "save_picture"]

logger = logging.getLogger(__name__)

PictureFormat = Literal["png", "svg", "pdf"]
#: Picture formats, by file extension.
PICTURE_FORMATS: Mapping[str, PictureFormat] = {".png": "png", ".svg": "svg", ".pdf": "pdf"}

#: With ``labels=None``, names and counts are drawn when there are at most this many places.
AUTO_LABEL_LIMIT = 60
#: Above that, the names of this many of the largest places are drawn (where they fit).
AUTO_NAMED = 15
#: Sources named in the credits before the rest are counted.
CREDITED_SOURCES = 3
_SOURCE_CHARS = 160  # a longer source is cut in the credits
_PX_PER_IN = 96.0
_PAD_PX = 30.0  # room around the data, as the web map's fit_bounds padding
_MIN_EXTENT_DEG = 0.2
_LEGEND_IN = 2.75  # width of the legend column
_MIN_ASPECT, _MAX_ASPECT = 0.55, 0.9  # height of the map over its width
_MERC_LAT = 85.0
_TEXT = "#1c2733"
_PLAIN: dict[str, Any] = {"parse_math": False, "usetex": False}
_KIND_TEXT = {"moved": "#8c1323", "planned": "#9a4d05", "cumulative": "#4a2c80"}
_LABEL_SPOTS = (0.5, 0.38, 0.62, 0.28, 0.72, 0.2, 0.8)

FloatArray = npt.NDArray[np.float64]


def _merc(lon: Any, lat: Any) -> tuple[FloatArray, FloatArray]:
    """Web Mercator in degrees of longitude: x = lon, y = the stretched latitude."""
    lat = np.clip(np.asarray(lat, dtype=float), -_MERC_LAT, _MERC_LAT)
    y = np.degrees(np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)))
    return np.asarray(lon, dtype=float), y


@dataclass(frozen=True, slots=True)
class _Frame:
    """The map's extent in Mercator degrees and its scale in pixels per degree."""

    x0: float
    y0: float
    x1: float
    y1: float
    k: float

    def px(self, x: FloatArray, y: FloatArray) -> FloatArray:
        return np.column_stack(((x - self.x0) * self.k, (y - self.y0) * self.k))

    def data(self, pts: FloatArray) -> FloatArray:
        return np.column_stack((pts[:, 0] / self.k + self.x0, pts[:, 1] / self.k + self.y0))


def _check(graph: object, *, bend: object, noun: object, title: object, size: object) -> None:
    if not isinstance(graph, FlowGraph):
        raise InputError(
            f"`graph` must be a FlowGraph, got {type(graph).__name__}",
            hint="build one with FlowGraph(movements)",
        )
    if len(graph) == 0:
        raise RenderError(
            "cannot draw a picture of an empty FlowGraph: it has no movements",
            hint="add at least one Movement, or check why the reader rejected every row "
            "(graph.rejected)",
        )
    if isinstance(bend, bool) or not isinstance(bend, (int, float)) or not -1 <= bend <= 1:
        raise InputError(
            f"`bend` must be a number between -1 and 1, got {bend!r} ({type(bend).__name__})",
            hint="0 draws straight lines; 0.18 is the default curve",
        )
    if not isinstance(noun, str) or not noun.strip():
        raise InputError(f"`noun` must be a non-empty string, got {noun!r}")
    if title is not None and not isinstance(title, str):
        raise InputError(f"`title` must be a string or None, got {type(title).__name__}")
    if (
        isinstance(size, bool)
        or not isinstance(size, (int, float))
        or not (math.isfinite(size) and 4 <= size <= 40)
    ):
        raise InputError(
            f"`width_in` must be a number of inches from 4 to 40, got {size!r}",
            hint="10 inches is the default (a page at 1000 pixels)",
        )


def _frame(
    bounds: tuple[float, float, float, float], map_w_in: float, labels_px: Sequence[tuple[float, float, float]]
) -> tuple[_Frame, float]:
    """Extent and scale for data `bounds`, with room for the labels right of places.

    `labels_px` lists ``(lon, lat, extent_px)``: how far right of each place its label
    reaches. Returns the frame and the map's height in inches (kept between 0.55 and
    0.9 of its width by widening the short side of the extent, which shows more context).
    """
    south, west, north, east = bounds
    lat_pad = max(0.0, _MIN_EXTENT_DEG - (north - south)) / 2
    lon_pad = max(0.0, _MIN_EXTENT_DEG - (east - west)) / 2
    (x0, x1), (y0, y1) = _merc([west - lon_pad, east + lon_pad], [south - lat_pad, north + lat_pad])
    w_px = map_w_in * _PX_PER_IN
    right = 0.0
    for _ in range(3):  # the scale depends on the room the labels need, and back
        k = (w_px - 2 * _PAD_PX - right) / max(x1 - x0, 1e-9)
        need = 0.0
        if labels_px:
            need = max(0.0, max((lon - x1) * k + ext for lon, _, ext in labels_px))
        right = min(need, 0.45 * w_px)
    k = (w_px - 2 * _PAD_PX - right) / max(x1 - x0, 1e-9)
    h_px = (y1 - y0) * k + 2 * _PAD_PX
    h_px = float(np.clip(h_px, _MIN_ASPECT * w_px, _MAX_ASPECT * w_px))
    data_h = (h_px - 2 * _PAD_PX) / k
    if data_h < y1 - y0:  # too tall: widen the extent instead, keeping the height
        k = (h_px - 2 * _PAD_PX) / (y1 - y0)
        extra = (w_px - 2 * _PAD_PX - right) / k - (x1 - x0)
        x0, x1 = x0 - extra / 2, x1 + extra / 2
        data_h = y1 - y0
    cy = (y0 + y1) / 2
    y0, y1 = cy - data_h / 2, cy + data_h / 2
    frame = _Frame(
        x0 - _PAD_PX / k, y0 - _PAD_PX / k, x1 + (_PAD_PX + right) / k, y1 + _PAD_PX / k, k
    )
    return frame, h_px / _PX_PER_IN


def _parts(geometry: Mapping[str, Any]) -> list[FloatArray]:
    if geometry["type"] == "LineString":
        return [np.asarray(geometry["coordinates"], dtype=float)]
    return [np.asarray(c, dtype=float) for c in geometry["coordinates"]]


def _head_size(w: float) -> tuple[float, float]:
    """Arrowhead length and half-width in pixels for a line `w` pixels wide (as the web map)."""
    return min(32.0, max(11.0, 6 + 1.9 * w)), min(18.0, max(5.5, 2.5 + 1.05 * w))


def _from_end(pts: FloatArray, dist: float) -> tuple[int, FloatArray]:
    """The point `dist` pixels back from the end of `pts`, and the vertex before it."""
    left = dist
    for i in range(len(pts) - 1, 0, -1):
        a, b = pts[i], pts[i - 1]
        d = float(np.hypot(*(a - b)))
        if d > 0 and d >= left:
            return i - 1, a + (b - a) * (left / d)
        left -= d
    return 0, pts[0]


def _arrowhead(pts: FloatArray, w: float, gap: float) -> tuple[FloatArray, FloatArray] | None:
    """The triangle at the end of `pts` (pixels) stopping `gap` short, and the cut line."""
    length, half = _head_size(w)
    room = float(np.hypot(*np.diff(pts, axis=0).T).sum()) - gap
    if room < 4:
        return None
    scale = min(1.0, 0.6 * room / length)
    length, half = length * scale, half * scale
    _, tip = _from_end(pts, gap)
    index, base = _from_end(pts, gap + length)
    d = tip - base
    norm = float(np.hypot(*d)) or 1.0
    perp = np.array([-d[1], d[0]]) / norm * half
    head = np.array([tip, base + perp, base - perp])
    line = np.vstack([pts[: index + 1], base])
    return head, line


def _dashes(w: float) -> tuple[float, tuple[float, float]]:
    """A branch's dash pattern (the web map's ``dash(w)``), in multiples of the line width."""
    return (0.0, (max(5.0, 2.4 * w) / w, max(3.5, 1.5 * w) / w))


def _draw_basemap(ax: Axes, bounds: tuple[float, float, float, float], frame: _Frame, style: MapStyle) -> None:
    from matplotlib.collections import PathCollection
    from matplotlib.path import Path as MPath

    fc = countries_geojson(bounds)
    paths = []
    for feature in fc["features"]:
        geom = feature["geometry"]
        polygons = geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
        for rings in polygons:
            verts, codes = [], []
            for ring in rings:
                x, y = _merc(*np.asarray(ring, dtype=float).T)
                verts.append(np.column_stack((x, y)))
                codes.extend([MPath.MOVETO] + [MPath.LINETO] * (len(ring) - 2) + [MPath.CLOSEPOLY])
            paths.append(MPath(np.vstack(verts), codes))
    ax.add_collection(
        PathCollection(
            paths, facecolors=style.land_colour, edgecolors=style.border_colour,
            linewidths=1.2 * PT_PER_PX, zorder=1,
        )
    )
    for label in fc["labels"]:
        x, y = _merc(label["at"][0], label["at"][1])
        if frame.x0 < x < frame.x1 and frame.y0 < y < frame.y1:
            ax.text(
                float(x), float(y), html.unescape(label["name"]).upper(), ha="center", va="center",
                fontsize=12 * PT_PER_PX, fontweight="bold", color="#a3a29c", zorder=2, **_PLAIN,
            )


def _draw_overlay(ax: Axes, overlay: Overlay, frame: _Frame, *, labels: bool) -> None:
    """A user overlay: polygon outlines with a faint fill, lines, points, plain labels."""
    from matplotlib.collections import LineCollection, PathCollection
    from matplotlib.path import Path as MPath
    from shapely.geometry import shape

    paths, lines, points = [], [], []
    for f in overlay.features:
        geom = shape(f["geometry"])
        for part in getattr(geom, "geoms", [geom]):
            if part.geom_type == "Polygon":
                verts, codes = [], []
                for ring in (part.exterior, *part.interiors):
                    x, y = _merc(*np.asarray(ring.coords, dtype=float).T)
                    verts.append(np.column_stack((x, y)))
                    codes.extend([MPath.MOVETO] + [MPath.LINETO] * (len(x) - 2) + [MPath.CLOSEPOLY])
                paths.append(MPath(np.vstack(verts), codes))
            elif part.geom_type == "LineString":
                x, y = _merc(*np.asarray(part.coords, dtype=float).T)
                lines.append(np.column_stack((x, y)))
            elif part.geom_type == "Point":
                points.append(_merc(part.x, part.y))
    colour = overlay.colour
    if paths:
        ax.add_collection(
            PathCollection(
                paths, facecolors=(*_rgb(colour), 0.05), edgecolors=colour,
                linewidths=1.3 * PT_PER_PX, zorder=2.5,
            )
        )
    if lines:
        ax.add_collection(LineCollection(lines, colors=colour, linewidths=1.3 * PT_PER_PX, zorder=2.5))
    if points:
        xs, ys = zip(*points, strict=True)
        ax.scatter(xs, ys, s=(3 * PT_PER_PX * 2) ** 2, c=colour, alpha=0.7, linewidths=0, zorder=2.6)
    if not labels:
        return
    for f in overlay.features:
        p = f["properties"]
        if p.get("label") and p.get("at"):
            x, y = _merc(p["at"][0], p["at"][1])
            if frame.x0 < x < frame.x1 and frame.y0 < y < frame.y1:
                font: dict[str, Any] = {
                    "ha": "center", "va": "center", "fontsize": 11 * PT_PER_PX, "clip_on": True,
                }
                ax.text(float(x), float(y), p["label"], color="#ffffff", zorder=2.69,
                        path_effects=_halo(2.5), **font, **_PLAIN)
                ax.text(float(x), float(y), p["label"], color="#3b5670", zorder=2.7, **font, **_PLAIN)


def _scale_km(frame: _Frame, max_px: float = 130.0) -> tuple[float, float]:
    """A round distance (1, 2 or 5 x 10^n km) at most `max_px` long, and its length in px."""
    y_mid = (frame.y0 + frame.y1) / 2
    lat = math.degrees(2 * math.atan(math.exp(math.radians(y_mid))) - math.pi / 2)
    km_per_px = 111.32 * math.cos(math.radians(lat)) / frame.k
    most = max_px * km_per_px
    step = 10 ** math.floor(math.log10(most))
    km = max(m * step for m in (1, 2, 5) if m * step <= most)
    return km, km / km_per_px


def _draw_scale(ax: Axes, frame: _Frame) -> None:
    """A scale bar at the bottom left (true at the map's centre latitude, as Leaflet's)."""
    from matplotlib.patches import FancyBboxPatch

    km, length = _scale_km(frame)
    x0, y0 = 14.0, 14.0
    (ax0, ay0), (ax1, _) = frame.data(np.array([[x0, y0], [x0 + length, y0]]))
    tick = 5.0 / frame.k
    ax.add_patch(
        FancyBboxPatch(
            (ax0 - 6 / frame.k, ay0 - 6 / frame.k), ax1 - ax0 + 12 / frame.k, 26 / frame.k,
            boxstyle="round,pad=0,rounding_size=0", facecolor=(1, 1, 1, 0.75), edgecolor="none",
            zorder=8,
        )
    )
    ax.plot([ax0, ax0, ax1, ax1], [ay0 + tick, ay0, ay0, ay0 + tick], color="#333333",
            linewidth=1.2 * PT_PER_PX, zorder=8.1, solid_capstyle="butt")
    text = f"{km:,.0f} km" if km >= 1 else f"{km * 1000:,.0f} m"
    ax.text((ax0 + ax1) / 2, ay0 + 3 / frame.k, text, ha="center", va="bottom",
            fontsize=10 * PT_PER_PX, color="#333333", zorder=8.2, **_PLAIN)


def _halo(width: float) -> list[Any]:
    """A white outline drawn under a text (as a path; the text itself stays text)."""
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=width, foreground="#ffffff")]


def _rgb(colour: str) -> tuple[float, float, float]:
    return tuple(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def _flow_items(flows: Mapping[str, Any], frame: _Frame) -> list[dict[str, Any]]:
    """Each flow feature in pixels: its parts (lines cut at their arrowheads) and head."""
    items = []
    for f in flows["features"]:
        p = f["properties"]
        parts = []
        for part in _parts(f["geometry"]):
            x, y = _merc(part[:, 0], part[:, 1])
            parts.append(frame.px(x, y))
        head = None
        if p["role"] != "trunk":
            gap = p.get("r", 0.0) + 1.5 if p.get("r", 0.0) > 0 else 0.0
            shape = _arrowhead(parts[-1], p["w"], gap)
            if shape is not None:
                head, parts[-1] = shape
        items.append({"p": p, "parts": parts, "head": head})
    return items


def _draw_flows(ax: Axes, items: list[dict[str, Any]], frame: _Frame, style: MapStyle) -> None:
    from matplotlib.collections import LineCollection, PolyCollection

    colour = {
        "moved": style.moved_colour,
        "planned": style.planned_colour,
        "cumulative": style.cumulative_colour,
    }
    core = {"planned": style.planned_core_colour, "cumulative": style.cumulative_core_colour}

    def hollow(p: Mapping[str, Any]) -> bool:
        return not p.get("unknown") and p["kind"] != "moved"

    def add(segments: list[FloatArray], zorder: float, **kw: Any) -> None:
        if segments:
            ax.add_collection(
                LineCollection([frame.data(s) for s in segments], zorder=zorder, **kw)
            )

    # Hollow outlines, then their pale cores (so a fork's trunk and branches merge),
    # then solid lines, then arrowheads: the web map's drawing order.
    for layer, zorder in (("outline", 3.0), ("core", 3.1), ("solid", 3.2)):
        segs: list[FloatArray] = []
        widths: list[float] = []
        colours: list[str] = []
        styles: list[Any] = []
        caps: list[str] = []
        for it in items:
            p = it["p"]
            if (layer == "solid") == hollow(p) or (layer == "core" and p["w"] < 5):
                continue
            w = float(p["w"])
            ls: Any = "solid"
            c = colour[p["kind"]]
            if p.get("unknown"):
                c = style.unknown_colour if p["kind"] == "moved" else c
                ls = (0.0, (0.1 / w, (2.5 * w + 2.5) / w))
            elif layer == "core":
                c = core[p["kind"]]
                w = max(1.0, w - 2.6)
            elif p["role"] == "branch":
                ls = _dashes(w)
            for part in it["parts"]:
                segs.append(part)
                widths.append(w * PT_PER_PX)
                colours.append(c)
                styles.append(ls)
                caps.append("round" if p["role"] == "trunk" or p.get("unknown") else "butt")
        alpha = 1.0 if layer == "core" else style.opacity
        for cap in ("butt", "round"):
            pick = [i for i, c in enumerate(caps) if c == cap]
            add(
                [segs[i] for i in pick], zorder,
                linewidths=[widths[i] for i in pick], colors=[colours[i] for i in pick],
                linestyles=[styles[i] for i in pick], capstyle=cap, joinstyle="round", alpha=alpha,
            )
    heads = [it for it in items if it["head"] is not None]
    if heads:
        faces, edges, lws = [], [], []
        for it in heads:
            p = it["p"]
            if p.get("unknown"):
                faces.append(style.unknown_colour if p["kind"] == "moved" else colour[p["kind"]])
                edges.append("none")
                lws.append(0.0)
            elif hollow(p):
                faces.append(core[p["kind"]])
                edges.append(colour[p["kind"]])
                lws.append(1.6 * PT_PER_PX)
            else:
                faces.append(colour[p["kind"]])
                edges.append("none")
                lws.append(0.0)
        ax.add_collection(
            PolyCollection(
                [frame.data(it["head"]) for it in heads], facecolors=faces, edgecolors=edges,
                linewidths=lws, zorder=3.5, joinstyle="miter",
            )
        )


def _draw_places(
    ax: Axes, graph: FlowGraph, places: Mapping[str, Any], frame: _Frame, style: MapStyle
) -> list[tuple[str, FloatArray, float]]:
    """Place circles, largest first; returns ``(name, position_px, radius_px)`` per place."""
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Circle

    radii = places["radii"]
    hollow_of = {}
    for f, place in zip(
        places["features"],
        sorted(graph.places.values(), key=lambda p: -radii[p.id]),
        strict=True,
    ):
        hollow_of[place.id] = bool(f["properties"]["hollow"])
    patches = []
    drawn = []
    for place in sorted(graph.places.values(), key=lambda p: -radii[p.id]):
        r = float(radii[place.id])
        x, y = _merc(place.lon, place.lat)
        xy = (float(x), float(y))
        edge, face, alpha, lw = "#ffffff", style.place_colour, 0.85, 1.5
        if hollow_of[place.id]:
            edge, face, alpha, lw = style.place_colour, "#ffffff", 0.95, 1.8
        ls: Any = "solid"
        if place.approximate:
            edge, ls = style.place_colour, (0.0, (3 / lw, 2.2 / lw))
            alpha = alpha if hollow_of[place.id] else 0.6
        from matplotlib.colors import to_rgba

        patches.append(
            Circle(
                xy, r / frame.k, facecolor=to_rgba(face, alpha), edgecolor=edge,
                linewidth=lw * PT_PER_PX, linestyle=ls,
            )
        )
        drawn.append((place.name, frame.px(np.array([x]), np.array([y]))[0], r))
    ax.add_collection(PatchCollection(patches, match_original=True, zorder=4))
    return drawn


def _label_extent_px(name: str, r: float) -> float:
    """How far right of its place a name label reaches, about (13 px bold text)."""
    return r + 4 + 8.2 * len(name)


def _box_px(text: Any, renderer: Any, dpi: float) -> tuple[float, float]:
    bb = text.get_window_extent(renderer=renderer)
    return bb.width * _PX_PER_IN / dpi, bb.height * _PX_PER_IN / dpi


def _draw_labels(
    fig: Figure,
    ax: Axes,
    graph: FlowGraph,
    items: list[dict[str, Any]],
    drawn: list[tuple[str, FloatArray, float]],
    frame: _Frame,
    *,
    named: int | None = None,
) -> None:
    """Place names right of their circles, then count labels on free spots of their lines.

    With `named`, only that many of the largest places get a name, each only where it
    overlaps no name drawn before it.
    """
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    halo = _halo(3)
    taken: list[tuple[float, float, float, float]] = []

    def overlaps(box: tuple[float, float, float, float]) -> bool:
        return any(box[0] < o[2] and box[2] > o[0] and box[1] < o[3] and box[3] > o[1] for o in taken)

    for name, at, r in drawn[:named] if named is not None else drawn:
        x, y = frame.data(np.array([[at[0] + r + 4, at[1]]]))[0]
        font: dict[str, Any] = {"ha": "left", "va": "center", "fontsize": 13 * PT_PER_PX, "fontweight": "bold"}
        t = ax.text(x, y, name, color=_TEXT, zorder=6, **font, **_PLAIN)
        w, h = _box_px(t, renderer, fig.dpi)
        box = (at[0] + r + 4, at[1] - h / 2, at[0] + r + 4 + w, at[1] + h / 2)
        if named is not None and overlaps(box):
            t.remove()
            continue
        # The white halo is a copy drawn as a path below; the name itself stays text (SVG).
        ax.text(x, y, name, color="#ffffff", zorder=5.9, path_effects=halo, **font, **_PLAIN)
        taken.append(box)
        taken.append((at[0] - r, at[1] - r, at[0] + r, at[1] + r))
    width, height = (frame.x1 - frame.x0) * frame.k, (frame.y1 - frame.y0) * frame.k
    movements = graph.movements
    labelled = [it for it in items if "label" in it["p"]]
    labelled.sort(key=lambda it: it["p"]["kind"] != "moved")  # people who moved first
    for it in labelled:
        p = it["p"]
        text = count_text(movements[p["m"]])
        if not text:
            continue
        kind = p["kind"]
        t = ax.text(
            0, 0, text, ha="center", va="center", fontsize=13 * PT_PER_PX,
            fontweight="bold",
            fontstyle="normal" if kind == "moved" else "italic",
            color=_KIND_TEXT[kind], zorder=7,
            bbox={
                "boxstyle": "round,pad=0.2,rounding_size=0.3", "facecolor": "#ffffff",
                "alpha": 0.85, "edgecolor": _KIND_TEXT[kind], "linewidth": 0.5,
            },
            **_PLAIN,
        )
        w, h = _box_px(t, renderer, fig.dpi)
        w, h = w + 4, h + 2
        line = max(it["parts"], key=len)
        total = float(np.hypot(*np.diff(line, axis=0).T).sum())
        best = None
        for spot in _LABEL_SPOTS:
            _, pt = _from_end(line, total * (1 - spot))
            box = (pt[0] - w / 2, pt[1] - h / 2, pt[0] + w / 2, pt[1] + h / 2)
            inside = box[0] > 0 and box[1] > 0 and box[2] < width and box[3] < height
            if inside and not overlaps(box):
                best = (pt, box)
                break
        if best is None:
            _, pt = _from_end(line, total / 2)
            best = (pt, (pt[0] - w / 2, pt[1] - h / 2, pt[0] + w / 2, pt[1] + h / 2))
        taken.append(best[1])
        t.set_position(tuple(frame.data(np.array([best[0]]))[0]))


def _credits(graph: FlowGraph, basemap: bool, extra: Sequence[str]) -> str:
    sources: list[str] = []
    for m in graph.movements:
        for s in m.sources:
            if s and s not in sources:
                sources.append(s)
    parts = []
    if basemap:
        parts.append(f"Basemap: {BASEMAP_ATTRIBUTION}")
    parts.append(PLACES_ATTRIBUTION)
    parts.extend(extra)
    if sources:
        shown = [s if len(s) <= _SOURCE_CHARS else s[: _SOURCE_CHARS - 1] + "…" for s in sources[:CREDITED_SOURCES]]
        more = len(sources) - len(shown)
        label = "Source" if len(sources) == 1 else "Sources"
        parts.append(f"{label}: " + "; ".join(shown) + (f"; and {more:,} more" if more else ""))
    return " · ".join(parts)


def render_picture(
    graph: FlowGraph,
    *,
    title: str | None = None,
    basemap: bool = True,
    bend: float = 0.18,
    noun: str = "people",
    labels: bool | None = None,
    legend: bool = True,
    credits: Sequence[str] = (),
    width_in: float = 10.0,
    dpi: float = 150.0,
    style: MapStyle | None = None,
    overlays: Sequence[OverlayLike] = (),
) -> Figure:
    """Draw the movements of `graph` as a static flow map (a matplotlib figure).

    Parameters
    ----------
    graph
        The movements to draw.
    title
        Title drawn above the map (plain text).
    basemap
        Whether to draw the offline background (Natural Earth country outlines).
    bend
        Curvature of the arcs, from -1 to 1 (0 draws straight lines).
    noun
        What is counted, for the legend ("people", "evacuees", ...).
    labels
        Whether to label places with their names and flows with their counts; None
        labels them when the map has at most 60 places, and otherwise names the 15
        largest places where their names fit.
    legend
        Whether to draw the legend (to the right of the map).
    credits
        Further credits (e.g. an overlay's source), after the basemap's and places'.
    width_in
        Width of the whole picture in inches (4 to 40); its height follows the data.
    dpi
        Resolution used for the text measurements (and PNG output).
    style
        Colours and sizes (as for :func:`~evacmap.render.render_map`).
    overlays
        GIS files (or :class:`~evacmap.render.overlay.Overlay` objects) drawn under the
        flows, e.g. admin boundaries, with their labels as plain text; each is credited.

    Returns
    -------
    matplotlib.figure.Figure
        The picture; its first axes is the map (Web Mercator, in degrees), the second
        the legend. Save it with :func:`save_picture` or ``fig.savefig``.

    Raises
    ------
    RenderError
        When `graph` has no movements.
    InputError
        When an argument has the wrong type or value.

    See Also
    --------
    save_picture : Draw and write the PNG, SVG or PDF file in one step.
    evacmap.render.render_map : The interactive web map, with the same encoding.

    Examples
    --------
    >>> render_picture(FlowGraph())
    Traceback (most recent call last):
    ...
    evacmap.errors.RenderError: cannot draw a picture of an empty FlowGraph: it has no movements. Hint: ...
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    _check(graph, bend=bend, noun=noun, title=title, size=width_in)
    style = style or MapStyle()
    layers = [as_overlay(o) for o in overlays]
    named = None
    if labels is None:
        labels = len(graph.places) <= AUTO_LABEL_LIMIT
        named = None if labels else AUTO_NAMED  # a crowded map: the largest places only
    places = place_collection(graph, style=style, noun=noun, labels=labels)
    flows = flow_collection(graph, bend=bend, style=style, noun=noun, labels=labels, radii=places["radii"])
    bounds = data_bounds(flows, places)
    if bounds is None:  # pragma: no cover - a non-empty graph always has places
        raise RenderError("the movements have no coordinates to draw")

    margin = 0.15
    legend_w = _LEGEND_IN if legend else 0.0
    map_w = width_in - 2 * margin - legend_w - (0.15 if legend else 0.0)
    label_room = []
    if labels or named:
        by_size = sorted(graph.places.values(), key=lambda p: -places["radii"][p.id])
        for p in by_size[:named] if named else by_size:
            x, _ = _merc(p.lon, p.lat)
            label_room.append((float(x), p.lat, _label_extent_px(p.name, places["radii"][p.id])))
    frame, map_h = _frame(bounds, map_w, label_room)
    title_h = 0.5 if title else 0.1
    credit_text = _credits(graph, basemap, [*(f"Overlay: {o.name}" for o in layers), *credits])
    chars = max(40, int((width_in - 2 * margin) * 72 / (7.0 * 0.62)))
    credit_lines = textwrap.wrap(credit_text, chars)
    credit_h = 0.12 + 0.14 * len(credit_lines)
    height = map_h + title_h + credit_h
    if legend:
        height = max(height, 3.6 + title_h + credit_h)
    fig = Figure(figsize=(width_in, height), dpi=dpi, facecolor="#ffffff")
    FigureCanvasAgg(fig)
    ax = fig.add_axes(
        (margin / width_in, credit_h / height, map_w / width_in, map_h / height), label="map"
    )
    ax.set_xlim(frame.x0, frame.x1)
    ax.set_ylim(frame.y0, frame.y1)
    ax.set_aspect("auto")
    ax.set_facecolor(style.sea_colour if basemap else "#ffffff")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor("#9aa5b1")
        spine.set_linewidth(0.6)

    if basemap:
        _draw_basemap(ax, bounds, frame, style)
    for overlay in layers:
        _draw_overlay(ax, overlay, frame, labels=labels)
    items = _flow_items(flows, frame)
    _draw_flows(ax, items, frame, style)
    drawn = _draw_places(ax, graph, places, frame, style)
    if labels or named:
        _draw_labels(fig, ax, graph, items, drawn, frame, named=named)
    _draw_scale(ax, frame)

    if legend:
        lax = fig.add_axes(
            ((width_in - margin - legend_w) / width_in, credit_h / height, legend_w / width_in,
             (height - title_h - credit_h) / height),
            label="legend",
        )
        lax.set_axis_off()
        movements = graph.movements
        rows = legend_rows(
            vmax=flows["vmax"],
            kinds={flow_kind(mv) for mv in movements if drawn_count(mv) is not None},
            unsplit=any(not mv.split_reported and drawn_count(mv) is not None for mv in movements),
            unknown=any(drawn_count(mv) is None for mv in movements),
            hollow_places=any(f["properties"]["hollow"] for f in places["features"]),
            approximate=any(p.approximate for p in graph.places.values()),
            noun=noun,
            style=style,
        )
        draw_legend(lax, rows, noun=noun, style=style)
    if title:
        fig.text(
            margin / width_in, 1 - 0.1 / height, title, ha="left", va="top", fontsize=14,
            fontweight="bold", color=_TEXT, **_PLAIN,
        )
    fig.text(
        margin / width_in, 0.06 / height, "\n".join(credit_lines), ha="left", va="bottom",
        fontsize=7, color="#55595e", linespacing=1.35, **_PLAIN,
    )
    logger.info(
        "Drew a picture of %d movements (%d lines, %d places)",
        len(graph), len(items), len(drawn),
    )
    return fig


def picture_format(path: str | os.PathLike[str]) -> PictureFormat:
    """The picture format that `path`'s extension names.

    Raises
    ------
    InputError
        When the extension is not ``.png``, ``.svg`` or ``.pdf``.

    Examples
    --------
    >>> picture_format("out/map.SVG")
    'svg'
    """
    suffix = Path(path).suffix.lower()
    if suffix not in PICTURE_FORMATS:
        got = f"its extension {suffix!r}" if suffix else "it has no extension"
        raise InputError(
            f"cannot write a picture as {str(path)!r}: {got} is not a picture format",
            hint="use " + ", ".join(PICTURE_FORMATS),
        )
    return PICTURE_FORMATS[suffix]


def save_picture(
    graph: FlowGraph,
    path: str | os.PathLike[str],
    *,
    dpi: float = 150.0,
    **kwargs: Any,
) -> Path:
    """Draw `graph` with :func:`render_picture` and write it as PNG, SVG or PDF.

    The format follows the extension. The file is written atomically: if anything
    fails, a previous file at `path` is left exactly as it was.

    Parameters
    ----------
    graph
        The movements to draw.
    path
        Where to write: ``.png``, ``.svg`` or ``.pdf``.
    dpi
        Resolution of a PNG (pixels per inch); SVG and PDF are vector files.
    **kwargs
        Passed to :func:`render_picture`.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    InputError
        When the extension is not a picture format.
    ExportError
        When the file cannot be written.

    Examples
    --------
    >>> save_picture(graph, "docs/al-waer.png", title="al-Waer, May 2017")  # doctest: +SKIP
    PosixPath('docs/al-waer.png')
    """
    from matplotlib import rc_context

    out = Path(path)
    fmt = picture_format(out)
    fig = render_picture(graph, dpi=dpi, **kwargs)
    buffer = io.BytesIO()
    # Text stays text in SVG (escaped by matplotlib's XML writer) and fonts are embedded
    # as TrueType in PDF; no creation date, so the same input gives the same file.
    rc: Any = {"svg.fonttype": "none", "pdf.fonttype": 42, "svg.hashsalt": "evacmap"}
    metadata: dict[str, Any] = {"png": {"Software": None}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}[fmt]
    with rc_context(rc):
        fig.savefig(buffer, format=fmt, dpi=dpi, facecolor=fig.get_facecolor(), metadata=metadata)
    data = buffer.getvalue()
    write_bytes_atomic(out, data)
    logger.info("Wrote %s (%.0f KB)", out, len(data) / 1024)
    return out
