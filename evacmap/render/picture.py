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

import io
import logging
import math
import os
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from evacmap._atomic import write_bytes_atomic
from evacmap.errors import InputError, RenderError
from evacmap.flows import FlowGraph
from evacmap.render.args import check_drawing
from evacmap.render.basemap import BASEMAP_ATTRIBUTION
from evacmap.render.cut import cut_flows
from evacmap.render.elements import PLACES_ATTRIBUTION
from evacmap.render.features import (
    data_bounds,
    drawn_count,
    flow_collection,
    flow_kind,
    place_collection,
)
from evacmap.render.overlay import OverlayLike, as_overlay
from evacmap.render.picture_colours import ColorBy, colour_rows, colour_title, movement_colours
from evacmap.render.picture_geometry import (
    end_items,
    fit_frame,
    flow_items,
    merc,
    through_waypoints,
)
from evacmap.render.picture_layers import (
    PLAIN,
    TEXT_COLOUR,
    draw_basemap,
    draw_flows,
    draw_labels,
    draw_overlay,
    draw_places,
    draw_scale,
    label_extent_px,
)
from evacmap.render.picture_legend import LegendRow, draw_legend, legend_height_in, legend_rows
from evacmap.render.style import MapStyle

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

__all__ = ["PICTURE_FORMATS", "render_picture", "save_picture"]

logger = logging.getLogger(__name__)

PictureFormat = Literal["png", "svg", "pdf"]
#: Picture formats, by file extension.
PICTURE_FORMATS: Mapping[str, PictureFormat] = {".png": "png", ".svg": "svg", ".pdf": "pdf"}

#: With ``labels=None``, names and counts are drawn when there are at most this many places.
AUTO_LABEL_LIMIT = 60
#: ... and the flows' counts when there are at most this many movements.
AUTO_COUNT_LIMIT = 40
#: Otherwise names are drawn only where they fit: of every place up to 60, else of
#: this many of the largest.
AUTO_NAMED = 15
#: Sources named in the credits before the rest are counted.
CREDITED_SOURCES = 3
_SOURCE_CHARS = 160  # a longer source is cut in the credits
_LEGEND_IN = 2.75  # width of the legend column


def _check(graph: object, *, bend: object, noun: object, title: object, size: object) -> None:
    check_drawing(graph, bend=bend, noun=noun, title=title, what="picture")
    if (
        isinstance(size, bool)
        or not isinstance(size, (int, float))
        or not (math.isfinite(size) and 4 <= size <= 40)
    ):
        raise InputError(
            f"`width_in` must be a number of inches from 4 to 40, got {size!r}",
            hint="10 inches is the default (a page at 1000 pixels)",
        )


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
    color_by: ColorBy = "kind",
    top_n: int | None = None,
    min_count: int | None = None,
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
        labels them all when the map has at most 60 places and 40 movements, and
        otherwise draws names only where they fit (of the 15 largest places when there
        are more than 60) and no count labels.
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
    color_by
        ``"kind"`` (moved, planned, cumulative), ``"group"`` (each movement's largest
        group) or ``"count"`` (five classes), as on the web map.
    top_n, min_count
        Draw only the `top_n` largest movements, or those of at least `min_count`; the
        legend says what was left out.

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
    graph, left_out = cut_flows(graph, top_n=top_n, min_count=min_count)
    layers = [as_overlay(o) for o in overlays]
    named = None
    if labels is None:
        labels = len(graph.places) <= AUTO_LABEL_LIMIT and len(graph) <= AUTO_COUNT_LIMIT
        if not labels:  # a crowded map: names where they fit, no count labels
            named = len(graph.places) if len(graph.places) <= AUTO_LABEL_LIMIT else AUTO_NAMED
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
            x, _ = merc(p.lon, p.lat)
            label_room.append((float(x), p.lat, label_extent_px(p.name, places["radii"][p.id])))
    frame, map_h = fit_frame(bounds, map_w, label_room)
    title_h = 0.5 if title else 0.1
    credit_text = _credits(graph, basemap, [*(f"Overlay: {o.name}" for o in layers), *credits])
    chars = max(40, int((width_in - 2 * margin) * 72 / (7.0 * 0.62)))
    credit_lines = textwrap.wrap(credit_text, chars)
    credit_h = 0.12 + 0.14 * len(credit_lines)
    height = map_h + title_h + credit_h
    rows: list[LegendRow] = []
    if legend:
        movements = graph.movements
        rows = legend_rows(
            vmax=flows["vmax"],
            kinds={flow_kind(mv) for mv in movements if drawn_count(mv) is not None},
            unsplit=any(not mv.split_reported and drawn_count(mv) is not None for mv in movements),
            unknown=any(drawn_count(mv) is None for mv in movements),
            hollow_places=any(f["properties"]["hollow"] for f in places["features"]),
            approximate=any(p.approximate for p in graph.places.values()),
            stubs=any(mv.origin is None or not mv.destinations for mv in movements),
            rings=any(
                mv.origin is not None and any((d.lat, d.lon) == (mv.origin.lat, mv.origin.lon) for d in mv.destinations)
                for mv in movements
            ),
            noun=noun,
            style=style,
        )
        title_row = colour_title(color_by, noun)
        if title_row:
            rows.append(LegendRow("heading", title_row))
            rows += [LegendRow("swatch", text, colour=c) for c, text in colour_rows(graph, color_by, vmax=flows["vmax"])]
        note = left_out.note(noun)
        if note:
            rows.append(LegendRow("note", note))
        height = max(height, legend_height_in(rows) + title_h + credit_h)
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
        draw_basemap(ax, bounds, frame, style)
    for overlay in layers:
        draw_overlay(ax, overlay, frame, labels=labels)
    items = through_waypoints(flow_items(flows, frame), graph, frame, bend=bend)
    items += end_items(graph, frame, places["radii"], style=style, vmax=flows["vmax"], labels=labels)
    colours = movement_colours(graph, color_by, vmax=flows["vmax"])
    for it in items:
        if colours[it["p"]["m"]] is not None:
            it["p"] = {**it["p"], "colour": colours[it["p"]["m"]]}
    draw_flows(ax, items, frame, style)
    drawn = draw_places(ax, graph, places, frame, style)
    if labels or named:
        draw_labels(fig, ax, graph, items, drawn, frame, named=named)
    draw_scale(ax, frame)

    if legend:
        lax = fig.add_axes(
            ((width_in - margin - legend_w) / width_in, credit_h / height, legend_w / width_in,
             (height - title_h - credit_h) / height),
            label="legend",
        )
        lax.set_axis_off()
        draw_legend(lax, rows, noun=noun, style=style)
    if title:
        fig.text(
            margin / width_in, 1 - 0.1 / height, title, ha="left", va="top", fontsize=14,
            fontweight="bold", color=TEXT_COLOUR, **PLAIN,
        )
    fig.text(
        margin / width_in, 0.06 / height, "\n".join(credit_lines), ha="left", va="bottom",
        fontsize=7, color="#55595e", linespacing=1.35, **PLAIN,
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
