"""Draw a :class:`~evacmap.flows.FlowGraph` as an interactive, self-contained flow map.

Examples
--------
>>> from evacmap.flows import FlowGraph
>>> from evacmap.model import Movement, Place
>>> o, a, b = Place("al-Waer", 34.747, 36.664), Place("Idlib", 35.93, 36.63), Place("Jarablus", 36.82, 38.01)
>>> m = render_map(FlowGraph([Movement(o, (a, b), count=450)]), title="al-Waer, May 2017")
>>> html = m.get_root().render()
>>> 'src="http' in html, "evacmap-flow" in html
(False, True)
"""

from __future__ import annotations

import html
import logging
from typing import Any, Literal

import folium
from branca.element import Figure

from evacmap.errors import InputError, RenderError
from evacmap.flows import FlowGraph
from evacmap.render.args import check_drawing
from evacmap.render.basemap import BASEMAP_ATTRIBUTION, countries_geojson
from evacmap.render.canvasmap import AGGREGATE_ABOVE, ColorBy, add_canvas_flows, pick_renderer
from evacmap.render.cut import cut_flows
from evacmap.render.elements import (
    BasemapLayer,
    FlowArcLayer,
    LegendControl,
    PlaceLayer,
    TileLayer,
    TitleControl,
)
from evacmap.render.features import (
    data_bounds,
    drawn_count,
    flow_collection,
    flow_kind,
    place_collection,
)
from evacmap.render.legend import legend_html
from evacmap.render.offline import OfflineMap
from evacmap.render.page import padded_bounds
from evacmap.render.style import MapStyle

__all__ = ["render_map"]

logger = logging.getLogger(__name__)

#: With ``labels=None``, names and counts are drawn when there are at most this many places.
AUTO_LABEL_LIMIT = 60

#: Smallest extent, in degrees, the map zooms to (so one place is not shown at street level).
_MIN_EXTENT_DEG = 0.2


def _check(graph: object, *, bend: float, noun: str, tiles: object, title: object) -> None:
    check_drawing(graph, bend=bend, noun=noun, title=title, what="map")
    if tiles is not None and not isinstance(tiles, str):
        raise InputError(
            f"`tiles` must be a tile provider name or URL template, or None, got "
            f"{tiles!r} ({type(tiles).__name__})",
            hint="e.g. tiles='OpenStreetMap' or 'https://tiles.example.org/{z}/{x}/{y}.png'",
        )


def render_map(
    graph: FlowGraph,
    *,
    m: folium.Map | None = None,
    tiles: str | None = None,
    title: str | None = None,
    basemap: bool = True,
    bend: float = 0.18,
    width: str | float = "100%",
    height: str | float = "100%",
    noun: str = "people",
    labels: bool | None = None,
    legend: bool = True,
    fit_bounds: bool = True,
    style: MapStyle | None = None,
    renderer: Literal["auto", "svg", "canvas"] = "auto",
    color_by: ColorBy = "kind",
    top_n: int | None = None,
    min_count: int | None = None,
    aggregate_above: int = AGGREGATE_ABOVE,
) -> folium.Map:
    """Draw the movements of `graph` as curved, directed flows on a self-contained map.

    Parameters
    ----------
    graph
        The movements to draw.
    m
        An existing map to draw on (like ``GeoDataFrame.explore``); by default a new
        :class:`~evacmap.render.OfflineMap`, which loads nothing from the network.
    tiles
        A tile provider name known to ``xyzservices`` (e.g. ``"OpenStreetMap"``) or a
        URL template with ``{z}``, ``{x}``, ``{y}``. Tiles come from the network (or a
        local folder); by default there are none and the offline background is used.
    title
        Title shown at the top of the map and in the page's ``<title>``.
    basemap
        Whether to draw the offline background (Natural Earth country outlines,
        clipped to the flows' area).
    bend
        Curvature of the arcs, from -1 to 1 (0 draws straight lines).
    width, height
        Size of a new map (pixels, or a CSS percentage); ignored when `m` is given.
    noun
        What is counted, used in tooltips and the legend ("people", "evacuees", ...).
    labels
        Whether to label places with their names and flows with their counts; None
        labels them when the map has at most 60 places.
    legend
        Whether to add the legend (reference line widths and symbols).
    fit_bounds
        Whether to zoom the map to the flows.
    style
        Colours and sizes.
    renderer
        ``"svg"``: one SVG path per line, with labels placed around the lines (the
        small-map look); ``"canvas"``: every flow on one canvas from packed typed
        arrays, with sums by zoom, a time slider and a totals line; ``"auto"`` (the
        default) takes the canvas above 1,000 movements or when `color_by` is not
        ``"kind"``.
    color_by
        ``"kind"`` (moved, planned, cumulative), ``"group"`` (the largest group of
        each movement, with a switch per group) or ``"count"`` (five classes).
    top_n, min_count
        Draw only the `top_n` largest movements, or those of at least `min_count`;
        the map says what was left out ("and 93,412 smaller flows, 210,554 people,
        not drawn").
    aggregate_above
        On a canvas, sum flows by place clusters at low zoom when more movements
        than this are shown (totals stay exact).

    Returns
    -------
    folium.Map
        `m`, or the new map. Save it with ``m.save(path)`` or :func:`save_map`;
        in Jupyter it shows itself.

    Raises
    ------
    RenderError
        When `graph` has no movements.
    InputError
        When an argument has the wrong type or value.

    See Also
    --------
    save_map : Draw and write the HTML file in one step.

    Notes
    -----
    A movement with several destinations whose split was not reported is drawn as
    one fork: a trunk as wide as the total, labelled with it, then thinner dashed
    branches with no count of their own. Planned and cumulative figures are drawn
    hollow, in their own colour, and never added to the people who moved. Line
    widths and circle areas grow with the square root of the count.

    Examples
    --------
    >>> from evacmap.flows import FlowGraph
    >>> render_map(FlowGraph())
    Traceback (most recent call last):
    ...
    evacmap.errors.RenderError: cannot draw a map of an empty FlowGraph: it has no movements. Hint: ...
    """
    _check(graph, bend=bend, noun=noun, tiles=tiles, title=title)
    style = style or MapStyle()
    graph, left_out = cut_flows(graph, top_n=top_n, min_count=min_count)
    if pick_renderer(renderer, color_by, len(graph)) == "canvas":
        return _render_canvas(
            graph, m=m, tiles=tiles, title=title, basemap=basemap, bend=bend, width=width,
            height=height, noun=noun, labels=labels, legend=legend, fit_bounds=fit_bounds,
            style=style, color_by=color_by, aggregate_above=aggregate_above, left_out=left_out,
        )
    if labels is None:
        labels = len(graph.places) <= AUTO_LABEL_LIMIT

    places = place_collection(graph, style=style, noun=noun, labels=labels)
    flows = flow_collection(
        graph, bend=bend, style=style, noun=noun, labels=labels, radii=places["radii"]
    )
    bounds = data_bounds(flows, places)
    if bounds is None:  # pragma: no cover - a non-empty graph always has places
        raise RenderError("the movements have no coordinates to draw")

    m = _new_map(m, tiles, title, width, height)

    if basemap:
        BasemapLayer(
            countries_geojson(bounds), style=style, attribution=BASEMAP_ATTRIBUTION
        ).add_to(m)
    FlowArcLayer(flows, style=style).add_to(m)
    PlaceLayer(places, style=style).add_to(m)

    movements = graph.movements
    if legend:
        note = left_out.note(noun)
        LegendControl(
            (f'<div class="evacmap-legend-section evacmap-cut">{html.escape(note)}</div>' if note else "")
            + legend_html(
                vmax=flows["vmax"],
                kinds={flow_kind(mv) for mv in movements if drawn_count(mv) is not None},
                unsplit=any(
                    not mv.split_reported and drawn_count(mv) is not None for mv in movements
                ),
                unknown=any(drawn_count(mv) is None for mv in movements),
                hollow_places=any(f["properties"]["hollow"] for f in places["features"]),
                approximate=any(p.approximate for p in graph.places.values()),
                noun=noun,
                style=style,
            )
        ).add_to(m)
    if title:
        TitleControl(title).add_to(m)
    if fit_bounds:
        m.fit_bounds(padded_bounds(bounds), padding=(30, 30))
    logger.info(
        "Drew %d movements as %d lines between %d places",
        len(movements),
        len(flows["features"]),
        len(places["features"]),
    )
    return m


def _new_map(
    m: folium.Map | None, tiles: str | None, title: str | None, width: str | float, height: str | float
) -> folium.Map:
    if m is None:
        # Without tiles nothing gets blurry between zoom levels, so let the view fit
        # the flows in quarter steps.
        snap = 1.0 if tiles else 0.25
        m = OfflineMap(tiles=tiles, width=width, height=height, control_scale=True, zoom_snap=snap)
    elif tiles is not None:
        TileLayer.from_spec(tiles).add_to(m)
    if title:
        root = m.get_root()
        if isinstance(root, Figure) and root.title is None:
            root.title = html.escape(title)  # branca writes <title> unescaped
    return m


def _render_canvas(
    graph: FlowGraph,
    *,
    m: folium.Map | None,
    tiles: str | None,
    title: str | None,
    basemap: bool,
    bend: float,
    width: str | float,
    height: str | float,
    noun: str,
    labels: bool | None,
    legend: bool,
    fit_bounds: bool,
    style: MapStyle,
    color_by: ColorBy,
    aggregate_above: int,
    left_out: Any,
) -> folium.Map:
    t = graph.tables
    lat, lon = t.places["lat"].to_numpy(), t.places["lon"].to_numpy()
    bounds = (float(lat.min()), float(lon.min()), float(lat.max()), float(lon.max()))
    m = _new_map(m, tiles, title, width, height)
    if basemap:
        BasemapLayer(
            countries_geojson(bounds), style=style, attribution=BASEMAP_ATTRIBUTION
        ).add_to(m)
    add_canvas_flows(
        m, graph, style=style, noun=noun, bend=bend, color_by=color_by, legend=legend,
        labels=0 if labels is False else 40, aggregate_above=aggregate_above, left_out=left_out,
    )
    if title:
        TitleControl(title).add_to(m)
    if fit_bounds:
        m.fit_bounds(padded_bounds(bounds), padding=(30, 30))
    logger.info("Drew %d movements between %d places on a canvas", len(graph), len(t.places))
    return m
