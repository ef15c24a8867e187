"""The layers of a static picture: basemap, overlays, flows, places, labels, scale bar.

Each ``draw_*`` function adds one layer to the map axes, in the web map's order and
style. Text from the table is drawn as plain text (:data:`PLAIN`: no mathtext, no
TeX); white halos are separate path copies under the text, so SVG keeps the text
itself as text.

Examples
--------
>>> PLAIN
{'parse_math': False, 'usetex': False}
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from evacmap.flows import FlowGraph
from evacmap.render.basemap import countries_geojson
from evacmap.render.overlay import Overlay
from evacmap.render.picture_geometry import (
    PX_PER_IN,
    FloatArray,
    Frame,
    dash_pattern,
    from_end,
    merc,
    scale_km,
)
from evacmap.render.picture_legend import PT_PER_PX
from evacmap.render.style import MapStyle
from evacmap.render.tooltips import count_text

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "PLAIN",
    "TEXT_COLOUR",
    "draw_basemap",
    "draw_flows",
    "draw_labels",
    "draw_overlay",
    "draw_places",
    "draw_scale",
    "halo",
    "label_extent_px",
    "rgb",
]

#: Text properties of every text from the table: plain text, never mathtext or TeX.
PLAIN: dict[str, Any] = {"parse_math": False, "usetex": False}
#: Colour of place names and titles.
TEXT_COLOUR = "#1c2733"
_KIND_TEXT = {"moved": "#8c1323", "planned": "#9a4d05", "cumulative": "#4a2c80"}
_LABEL_SPOTS = (0.5, 0.38, 0.62, 0.28, 0.72, 0.2, 0.8)


def draw_basemap(ax: Axes, bounds: tuple[float, float, float, float], frame: Frame, style: MapStyle) -> None:
    """Country outlines around the data (as the web map's offline background) and names."""
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
                x, y = merc(*np.asarray(ring, dtype=float).T)
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
        x, y = merc(label["at"][0], label["at"][1])
        if frame.x0 < x < frame.x1 and frame.y0 < y < frame.y1:
            ax.text(
                float(x), float(y), html.unescape(label["name"]).upper(), ha="center", va="center",
                fontsize=12 * PT_PER_PX, fontweight="bold", color="#a3a29c", zorder=2, **PLAIN,
            )


def draw_overlay(ax: Axes, overlay: Overlay, frame: Frame, *, labels: bool) -> None:
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
                    x, y = merc(*np.asarray(ring.coords, dtype=float).T)
                    verts.append(np.column_stack((x, y)))
                    codes.extend([MPath.MOVETO] + [MPath.LINETO] * (len(x) - 2) + [MPath.CLOSEPOLY])
                paths.append(MPath(np.vstack(verts), codes))
            elif part.geom_type == "LineString":
                x, y = merc(*np.asarray(part.coords, dtype=float).T)
                lines.append(np.column_stack((x, y)))
            elif part.geom_type == "Point":
                points.append(merc(part.x, part.y))
    colour = overlay.colour
    if paths:
        ax.add_collection(
            PathCollection(
                paths, facecolors=(*rgb(colour), 0.05), edgecolors=colour,
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
            x, y = merc(p["at"][0], p["at"][1])
            if frame.x0 < x < frame.x1 and frame.y0 < y < frame.y1:
                font: dict[str, Any] = {
                    "ha": "center", "va": "center", "fontsize": 11 * PT_PER_PX, "clip_on": True,
                }
                ax.text(float(x), float(y), p["label"], color="#ffffff", zorder=2.69,
                        path_effects=halo(2.5), **font, **PLAIN)
                ax.text(float(x), float(y), p["label"], color="#3b5670", zorder=2.7, **font, **PLAIN)


def draw_scale(ax: Axes, frame: Frame) -> None:
    """A scale bar at the bottom left (true at the map's centre latitude, as Leaflet's)."""
    from matplotlib.patches import FancyBboxPatch

    km, length = scale_km(frame)
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
            fontsize=10 * PT_PER_PX, color="#333333", zorder=8.2, **PLAIN)


def halo(width: float) -> list[Any]:
    """A white outline drawn under a text (as a path; the text itself stays text)."""
    from matplotlib import patheffects

    return [patheffects.withStroke(linewidth=width, foreground="#ffffff")]


def rgb(colour: str) -> tuple[float, float, float]:
    """``#rrggbb`` as three floats from 0 to 1."""
    return tuple(int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def draw_flows(ax: Axes, items: list[dict[str, Any]], frame: Frame, style: MapStyle) -> None:
    """Flow lines and arrowheads (from :func:`~evacmap.render.picture_geometry.flow_items`)."""
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
            c = p.get("colour") or colour[p["kind"]]
            if p.get("unknown"):
                c = p.get("colour") or (style.unknown_colour if p["kind"] == "moved" else c)
                ls = (0.0, (0.1 / w, (2.5 * w + 2.5) / w))
            elif layer == "core":
                c = core[p["kind"]]
                w = max(1.0, w - 2.6)
            elif p["role"] == "branch":
                ls = dash_pattern(w)
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
            own = p.get("colour") or colour[p["kind"]]
            if p.get("unknown"):
                faces.append(p.get("colour") or (style.unknown_colour if p["kind"] == "moved" else own))
                edges.append("none")
                lws.append(0.0)
            elif hollow(p):
                faces.append(core[p["kind"]])
                edges.append(own)
                lws.append(1.6 * PT_PER_PX)
            else:
                faces.append(own)
                edges.append("none")
                lws.append(0.0)
        ax.add_collection(
            PolyCollection(
                [frame.data(it["head"]) for it in heads], facecolors=faces, edgecolors=edges,
                linewidths=lws, zorder=3.5, joinstyle="miter",
            )
        )


def draw_places(
    ax: Axes, graph: FlowGraph, places: Mapping[str, Any], frame: Frame, style: MapStyle
) -> list[tuple[str, FloatArray, float]]:
    """Place circles, largest first; returns ``(name, position_px, radius_px)`` per place.

    One marker collection for every place (sizes in points, as the circles' radii are
    pixels): fast for thousands of places.
    """
    from matplotlib.colors import to_rgba

    radii = places["radii"]
    ordered = sorted(graph.places.values(), key=lambda p: -radii[p.id])
    hollow = [bool(f["properties"]["hollow"]) for f in places["features"]]  # same order
    lon = np.array([p.lon for p in ordered], dtype=float)
    lat = np.array([p.lat for p in ordered], dtype=float)
    x, y = merc(lon, lat)
    r = np.array([float(radii[p.id]) for p in ordered])
    faces, edges, widths, styles = [], [], [], []
    for place, is_hollow in zip(ordered, hollow, strict=True):
        edge, face, alpha, lw = "#ffffff", style.place_colour, 0.85, 1.5
        if is_hollow:
            edge, face, alpha, lw = style.place_colour, "#ffffff", 0.95, 1.8
        ls: Any = "solid"
        if place.approximate:
            edge, ls = style.place_colour, (0.0, (3 / lw, 2.2 / lw))
            alpha = alpha if is_hollow else 0.6
        faces.append(to_rgba(face, alpha))
        edges.append(edge)
        widths.append(lw * PT_PER_PX)
        styles.append(ls)
    if len(ordered):
        ax.scatter(
            x, y, s=(2 * r * PT_PER_PX) ** 2, c=faces, edgecolors=edges, linewidths=widths,
            linestyles=styles, zorder=4, marker="o",
        )
    at = frame.px(x, y)
    return [(p.name, at[i], float(r[i])) for i, p in enumerate(ordered)]


def label_extent_px(name: str, r: float) -> float:
    """How far right of its place a name label reaches, about (13 px bold text)."""
    return r + 4 + 8.2 * len(name)


def _box_px(text: Any, renderer: Any, dpi: float) -> tuple[float, float]:
    bb = text.get_window_extent(renderer=renderer)
    return bb.width * PX_PER_IN / dpi, bb.height * PX_PER_IN / dpi


def draw_labels(
    fig: Figure,
    ax: Axes,
    graph: FlowGraph,
    items: list[dict[str, Any]],
    drawn: list[tuple[str, FloatArray, float]],
    frame: Frame,
    *,
    named: int | None = None,
) -> None:
    """Place names right of their circles, then count labels on free spots of their lines.

    With `named`, only that many of the largest places get a name, each only where it
    overlaps no name drawn before it.
    """
    renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
    outline = halo(3)
    taken: list[tuple[float, float, float, float]] = []

    def overlaps(box: tuple[float, float, float, float]) -> bool:
        return any(box[0] < o[2] and box[2] > o[0] and box[1] < o[3] and box[3] > o[1] for o in taken)

    for name, at, r in drawn[:named] if named is not None else drawn:
        x, y = frame.data(np.array([[at[0] + r + 4, at[1]]]))[0]
        font: dict[str, Any] = {"ha": "left", "va": "center", "fontsize": 13 * PT_PER_PX, "fontweight": "bold"}
        t = ax.text(x, y, name, color=TEXT_COLOUR, zorder=6, **font, **PLAIN)
        w, h = _box_px(t, renderer, fig.dpi)
        box = (at[0] + r + 4, at[1] - h / 2, at[0] + r + 4 + w, at[1] + h / 2)
        if named is not None and overlaps(box):
            t.remove()
            continue
        # The white halo is a copy drawn as a path below; the name itself stays text (SVG).
        ax.text(x, y, name, color="#ffffff", zorder=5.9, path_effects=outline, **font, **PLAIN)
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
            **PLAIN,
        )
        w, h = _box_px(t, renderer, fig.dpi)
        w, h = w + 4, h + 2
        line = max(it["parts"], key=len)
        total = float(np.hypot(*np.diff(line, axis=0).T).sum())
        candidates = [from_end(line, total * (1 - spot))[1] for spot in _LABEL_SPOTS]
        if "label_at" in p:  # a stub or a ring: just beyond its free end, first
            (ax_, ay_), (dx, dy) = p["label_at"], p["label_dir"]
            candidates.insert(0, np.array([ax_ + dx * (w / 2 + 3), ay_ + dy * (h / 2 + 3)]))
        best = None
        for pt in candidates:
            box = (pt[0] - w / 2, pt[1] - h / 2, pt[0] + w / 2, pt[1] + h / 2)
            inside = box[0] > 0 and box[1] > 0 and box[2] < width and box[3] < height
            if inside and not overlaps(box):
                best = (pt, box)
                break
        if best is None:
            _, pt = from_end(line, total / 2)
            best = (pt, (pt[0] - w / 2, pt[1] - h / 2, pt[0] + w / 2, pt[1] + h / 2))
        taken.append(best[1])
        t.set_position(tuple(frame.data(np.array([best[0]]))[0]))
