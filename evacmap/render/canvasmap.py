"""Large maps: every flow on one canvas, drawn in the browser from packed typed arrays.

:func:`add_canvas_flows` adds the flows and places of a graph to a map as one
:class:`~evacmap.render.elements.FlowCanvasLayer` (see ``static/evacmap-canvas.js``),
with the legend, the time slider (when the movements have several dates), a switch
per group (when coloured by group) and a line of totals that always equals the sum
of what is drawn. Nothing here loops over movements in Python: the packing is
columnar, the legend's facts come from the tables.

Examples
--------
>>> from evacmap.render.offline import OfflineMap
>>> from evacmap.testing import random_flow_graph
>>> m = OfflineMap()
>>> bounds = add_canvas_flows(m, random_flow_graph(50))
>>> "L.evacmap.flowCanvasMap" in m.get_root().render()
True
"""

from __future__ import annotations

import logging
import math
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from evacmap import counting
from evacmap.errors import InputError
from evacmap.flows import FlowGraph
from evacmap.render.cut import LeftOut
from evacmap.render.legend import legend_html
from evacmap.render.pack import drawn_figures, pack_flows
from evacmap.render.style import MapStyle

if TYPE_CHECKING:  # pragma: no cover
    import folium

__all__ = [
    "CANVAS_ABOVE",
    "COLOR_BY",
    "COUNT_RAMP",
    "GROUP_PALETTE",
    "PLACES_ATTRIBUTION",
    "RENDERERS",
    "add_canvas_flows",
    "canvas_options",
    "canvas_payload",
    "pick_renderer",
]

#: Attribution of the place data shown with flows (as on SVG maps).
PLACES_ATTRIBUTION = "Places: GeoNames (CC BY 4.0)"

logger = logging.getLogger(__name__)

ColorBy = Literal["kind", "group", "count"]
COLOR_BY = ("kind", "group", "count")
#: Colours of groups, in the order of their names (Okabe–Ito, readable by most
#: colour-blind readers); further groups are grey.
GROUP_PALETTE = ("#0072b2", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#8c6d1f", "#000000")
#: Colours of five classes of count (of the square root of count / largest count).
COUNT_RAMP = ("#fdb863", "#f4793e", "#d7301f", "#a50026", "#5c0017")
#: Above this many movements, the widest line gets thinner (with the square root of
#: the number of movements), down to DENSE_MIN_WIDTH_PX.
DENSE_ABOVE = 3000
DENSE_MIN_WIDTH_PX = 5.0
#: Above this many places, the largest circle gets smaller, down to DENSE_MIN_RADIUS_PX.
DENSE_PLACES_ABOVE = 300
DENSE_MIN_RADIUS_PX = 5.0
#: With ``renderer="auto"``, maps of more movements than this are drawn on a canvas.
CANVAS_ABOVE = 1000
RENDERERS = ("auto", "svg", "canvas")
#: Above this many movements in the window, flows are summed by place clusters at low zoom.
AGGREGATE_ABOVE = 20_000


def pick_renderer(renderer: object, color_by: object, n: int) -> str:
    """``"svg"`` or ``"canvas"``: what `renderer` (``"auto"`` included) means for `n` movements.

    Raises
    ------
    InputError
        When `renderer` or `color_by` is not a known choice.

    Examples
    --------
    >>> pick_renderer("auto", "kind", 12), pick_renderer("auto", "kind", 5000), pick_renderer("auto", "group", 2)
    ('svg', 'canvas', 'canvas')
    """
    if renderer not in RENDERERS:
        raise InputError(
            f"`renderer` must be one of {', '.join(map(repr, RENDERERS))}, got {renderer!r}",
            hint="'auto' draws maps of more than 1,000 movements on a canvas",
        )
    if color_by not in COLOR_BY:
        raise InputError(
            f"`color_by` must be one of {', '.join(map(repr, COLOR_BY))}, got {color_by!r}",
            hint="e.g. color_by='group'",
        )
    if renderer == "auto":
        return "canvas" if n > CANVAS_ABOVE or color_by != "kind" else "svg"
    return str(renderer)


def canvas_options(
    *,
    style: MapStyle,
    noun: str,
    vmax: float,
    pmax: float,
    bend: float,
    color_by: ColorBy,
    labels: int,
    aggregate_above: int,
    cut_note: str | None,
) -> dict[str, Any]:
    """The display options of the canvas layer (plain JSON data).

    Examples
    --------
    >>> o = canvas_options(style=MapStyle(), noun="people", vmax=450, pmax=450, bend=0.18,
    ...                    color_by="kind", labels=40, aggregate_above=20000, cut_note=None)
    >>> o["vmax"], o["colours"]["moved"]
    (450.0, '#b2182b')
    """
    return {
        "colours": style.js_colours(),
        "opacity": style.opacity,
        "attribution": PLACES_ATTRIBUTION,
        "noun": noun,
        "maxWidth": style.max_width_px,
        "minWidth": min(style.min_width_px, 1.2) if vmax > 0 else style.min_width_px,
        "maxRadius": style.max_radius_px,
        "minRadius": min(style.min_radius_px, 2.5),
        "hollowRadius": min(style.hollow_radius_px, 4.0),
        "vmax": float(max(vmax, 1.0)),
        "pmax": float(max(pmax, 1.0)),
        "bend": float(bend),
        "colorBy": color_by,
        "palette": list(GROUP_PALETTE),
        "ramp": list(COUNT_RAMP),
        "aggregateAbove": int(aggregate_above),
        "labels": int(labels),
        "cutNote": cut_note,
    }


def _colour_rows(color_by: ColorBy, groups: list[str], vmax: float) -> list[tuple[str, str]]:
    if color_by == "group":
        rows = [(GROUP_PALETTE[k], g) for k, g in enumerate(groups[: len(GROUP_PALETTE)])]
        rows.append(("#55595e", "no group given, or more groups than colours"))
        return rows
    if color_by == "count":
        k = len(COUNT_RAMP)
        rows = []
        for i, colour in enumerate(COUNT_RAMP):
            lo = vmax * (i / k) ** 2
            hi = vmax * ((i + 1) / k) ** 2
            rows.append((colour, f"{int(lo):,} – {int(hi):,}" if i < k - 1 else f"{int(lo):,} or more"))
        return rows
    return []


def canvas_payload(
    graph: FlowGraph,
    *,
    style: MapStyle | None = None,
    noun: str = "people",
    bend: float = 0.18,
    color_by: ColorBy = "kind",
    legend: bool = True,
    labels: int = 40,
    aggregate_above: int = AGGREGATE_ABOVE,
    left_out: LeftOut | None = None,
) -> tuple[dict[str, Any], dict[str, Any], str | None, tuple[float, float, float, float]]:
    """What a canvas map carries: packed flows, layer options, legend HTML and bounds.

    See :func:`add_canvas_flows` for the parameters. Needs neither folium nor branca.

    Returns
    -------
    tuple
        ``(packed, options, legend_html or None, (south, west, north, east))``.

    Raises
    ------
    InputError
        When `color_by` is not one of :data:`COLOR_BY`.

    Examples
    --------
    >>> from evacmap.testing import random_flow_graph
    >>> packed, options, legend, bounds = canvas_payload(random_flow_graph(30), legend=False)
    >>> packed["counts"]["movements"], legend
    (30, None)
    """
    if color_by not in COLOR_BY:
        raise InputError(
            f"`color_by` must be one of {', '.join(map(repr, COLOR_BY))}, got {color_by!r}",
            hint="e.g. color_by='group'",
        )
    style = style or MapStyle()
    t = graph.tables
    n = len(t.movements)
    if n > DENSE_ABOVE:
        # Many flows: thinner lines (the legend shows the same), so crossings stay
        # readable and the canvas fills fewer pixels.
        widest = max(DENSE_MIN_WIDTH_PX, style.max_width_px * math.sqrt(DENSE_ABOVE / n))
        style = replace(style, max_width_px=min(style.max_width_px, widest),
                        min_width_px=min(style.min_width_px, 1.0))
    n_places = len(t.places)
    if n_places > DENSE_PLACES_ABOVE:
        # Many places: smaller circles (the legend's sample follows), so they do not
        # cover the flows.
        biggest = max(DENSE_MIN_RADIUS_PX, style.max_radius_px * math.sqrt(DENSE_PLACES_ABOVE / n_places))
        style = replace(style, max_radius_px=min(style.max_radius_px, biggest),
                        min_radius_px=min(style.min_radius_px, 1.5))
    drawn = drawn_figures(t)
    value, kind, unknown = drawn
    totals = counting.place_totals(t)
    packed = pack_flows(graph, totals=totals, drawn=drawn)
    known = value[~unknown]
    vmax = float(known.max()) if len(known) else 0.0
    pmax = float(totals["people"].max()) if len(totals) else 0.0
    note = left_out.note(noun) if left_out is not None else None
    options = canvas_options(
        style=style,
        noun=noun,
        vmax=vmax,
        pmax=pmax,
        bend=bend,
        color_by=color_by,
        labels=labels,
        aggregate_above=aggregate_above,
        cut_note=note,
    )
    legend_text = None
    if legend:
        kinds = {
            name
            for name, codes in (("moved", (0, 1)), ("planned", (2,)), ("cumulative", (3,)))
            if (np.isin(kind, codes) & ~unknown).any()
        }
        n_dest = t.movements["n_dest"].to_numpy()
        legend_text = legend_html(
            vmax=vmax,
            kinds=kinds,
            unsplit=bool(((n_dest > 1) & ~unknown).any()),
            unknown=bool(unknown.any()),
            hollow_places=bool((totals["people"].to_numpy() <= 0).any()),
            approximate=bool(t.places["approximate"].to_numpy(dtype=bool).any()),
            noun=noun,
            style=style,
            colours=_colour_rows(color_by, packed["strings"]["groups"], vmax),
            colour_title={"group": "Colour: largest group", "count": f"Colour: {noun}"}.get(color_by),
            capped=True,
        )
    lat = t.places["lat"].to_numpy()
    lon = t.places["lon"].to_numpy()
    logger.info(
        "Packed %d movements among %d places for a canvas (%d bytes)",
        len(t.movements),
        len(t.places),
        len(packed["b64"]),
    )
    bounds = (float(lat.min()), float(lon.min()), float(lat.max()), float(lon.max()))
    return packed, options, legend_text, bounds


def add_canvas_flows(
    m: folium.Map,
    graph: FlowGraph,
    *,
    style: MapStyle | None = None,
    noun: str = "people",
    bend: float = 0.18,
    color_by: ColorBy = "kind",
    legend: bool = True,
    labels: int = 40,
    aggregate_above: int = AGGREGATE_ABOVE,
    left_out: LeftOut | None = None,
) -> tuple[float, float, float, float]:
    """Add the flows and places of `graph` to `m` as one canvas layer, with its controls.

    Parameters
    ----------
    m
        The map.
    graph
        The movements (at least one).
    style
        Colours and sizes; widths and radii use one fixed scale for every date and filter.
    noun
        What is counted.
    bend
        Curvature of the arcs.
    color_by
        ``"kind"`` (moved, planned, cumulative), ``"group"`` (largest group of each
        movement) or ``"count"`` (five classes of count).
    legend
        Whether to add the legend.
    labels
        At most this many place names and flow counts drawn on the canvas (0: none).
    aggregate_above
        Sum flows by place clusters at low zoom when more movements than this are shown.
    left_out
        What a cut left out (printed with the totals).

    Returns
    -------
    tuple of float
        ``(south, west, north, east)`` of the places.

    Raises
    ------
    InputError
        When `color_by` is not one of :data:`COLOR_BY`.

    Examples
    --------
    >>> from evacmap.render.offline import OfflineMap
    >>> from evacmap.testing import random_flow_graph
    >>> add_canvas_flows(OfflineMap(), random_flow_graph(0))
    Traceback (most recent call last):
    ...
    evacmap.errors.RenderError: there are no movements to pack.
    """
    from evacmap.render.elements import FlowCanvasLayer, LegendControl

    packed, options, legend_text, bounds = canvas_payload(
        graph, style=style, noun=noun, bend=bend, color_by=color_by, legend=legend,
        labels=labels, aggregate_above=aggregate_above, left_out=left_out,
    )
    FlowCanvasLayer(packed, options).add_to(m)
    if legend_text is not None:
        LegendControl(legend_text).add_to(m)
    return bounds
