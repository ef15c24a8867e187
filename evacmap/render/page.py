"""A canvas map written straight to HTML, without folium or branca (fast to start).

:func:`save_map` of a large map needs no folium object: the page is a fixed frame
(Leaflet, evacmap's plugin, the map ``<div>``) around JSON data blocks, and
importing folium and branca takes longer than packing 100,000 flows. The page holds
the same data blocks and factory calls as a folium-rendered canvas map (so
:func:`evacmap.testing.map_data` reads both), and nothing from outside the page.

Examples
--------
>>> from evacmap.testing import map_data, random_flow_graph
>>> page = canvas_page(random_flow_graph(40), title="<b>x</b>")
>>> sorted(map_data(page))
['attributionPrefix', 'basemap', 'flowCanvasMap', 'legend', 'title']
>>> "<b>x</b>" in page, 'src="http' in page
(False, False)
"""

from __future__ import annotations

import html
import logging
from typing import Any

from evacmap.flows import FlowGraph
from evacmap.render.basemap import BASEMAP_ATTRIBUTION, countries_geojson
from evacmap.render.canvasmap import AGGREGATE_ABOVE, ColorBy, canvas_payload
from evacmap.render.cut import cut_flows
from evacmap.render.jsonhtml import json_for_html
from evacmap.render.style import MapStyle
from evacmap.render.texts import (
    evacmap_canvas_js,
    evacmap_css,
    evacmap_js,
    leaflet_css,
    leaflet_js,
    script_tag,
    style_tag,
)

__all__ = ["canvas_page", "padded_bounds"]

logger = logging.getLogger(__name__)

_MAP_ID = "map_evacmap"
_FRAME_CSS = (
    "html, body { width: 100%; height: 100%; margin: 0; padding: 0; }\n"
    f"#{_MAP_ID} {{ position: absolute; top: 0; bottom: 0; left: 0; right: 0; }}\n"
)


def padded_bounds(
    bounds: tuple[float, float, float, float], min_extent: float = 0.2
) -> list[list[float]]:
    """``[[south, west], [north, east]]`` widened to at least `min_extent` degrees.

    Examples
    --------
    >>> padded_bounds((34.0, 36.0, 34.0, 36.0))
    [[33.9, 35.9], [34.1, 36.1]]
    """
    south, west, north, east = bounds
    lat_pad = max(0.0, min_extent - (north - south)) / 2
    lon_pad = max(0.0, min_extent - (east - west)) / 2
    return [
        [max(-85.0, south - lat_pad), max(-180.0, west - lon_pad)],
        [min(85.0, north + lat_pad), min(180.0, east + lon_pad)],
    ]


def canvas_page(
    graph: FlowGraph,
    *,
    title: str | None = None,
    basemap: bool = True,
    bend: float = 0.18,
    noun: str = "people",
    labels: bool | None = None,
    legend: bool = True,
    fit_bounds: bool = True,
    style: MapStyle | None = None,
    color_by: ColorBy = "kind",
    top_n: int | None = None,
    min_count: int | None = None,
    aggregate_above: int = AGGREGATE_ABOVE,
) -> str:
    """The HTML page of a canvas map of `graph` (see :func:`~evacmap.render.render_map`).

    Parameters are those of :func:`~evacmap.render.render_map` with
    ``renderer="canvas"`` and no tiles.

    Returns
    -------
    str
        A self-contained HTML page.

    Raises
    ------
    RenderError
        When there is nothing to draw.
    InputError
        When an argument has the wrong type or value.

    Examples
    --------
    >>> canvas_page(FlowGraph())
    Traceback (most recent call last):
    ...
    evacmap.errors.RenderError: there are no movements to pack.
    """
    style = style or MapStyle()
    graph, left_out = cut_flows(graph, top_n=top_n, min_count=min_count)
    packed, options, legend_text, bounds = canvas_payload(
        graph,
        style=style,
        noun=noun,
        bend=bend,
        color_by=color_by,
        legend=legend,
        labels=0 if labels is False else 40,
        aggregate_above=aggregate_above,
        left_out=left_out,
    )
    blocks: list[str] = []
    calls: list[str] = []

    def element(factory: str, data: Any, opts: dict[str, Any], *, add: bool = True) -> None:
        k = len(blocks)
        block_id = f"evacmap-data-{k}"
        blocks.append(
            f'<script type="application/json" id="{block_id}">'
            f"{json_for_html({'data': data, 'options': opts})}</script>"
        )
        name = f"evacmap_{factory}_{k}"
        call = f'var {name} = L.evacmap.fromPage(L.evacmap.{factory}, "{block_id}");'
        if add:
            call += f"\n{name}.addTo({_MAP_ID});"
        calls.append(call)

    element("attributionPrefix", "Leaflet", {})
    if basemap:
        element(
            "basemap",
            countries_geojson(bounds),
            {
                "land": style.land_colour,
                "border": style.border_colour,
                "sea": style.sea_colour,
                "attribution": html.escape(BASEMAP_ATTRIBUTION),
            },
        )
    element("flowCanvasMap", packed, options)
    if legend_text is not None:
        element("legend", legend_text, {"position": "bottomright"})
    if title:
        element("title", html.escape(title), {"position": "topright"})
    view = (
        f"{_MAP_ID}.fitBounds({json_for_html(padded_bounds(bounds))}, {{padding: [30, 30]}});"
        if fit_bounds
        else f"{_MAP_ID}.setView([0, 0], 1);"
    )
    page = "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1.0">',
            f"<title>{html.escape(title)}</title>" if title else "<title>evacmap</title>",
            style_tag(leaflet_css()),
            style_tag(_FRAME_CSS),
            style_tag(evacmap_css()),
            script_tag(leaflet_js()),
            script_tag(evacmap_js()),
            script_tag(evacmap_canvas_js()),
            *blocks,
            "</head>",
            "<body>",
            f'<div class="folium-map" id="{_MAP_ID}"></div>',
            script_tag(
                f'var {_MAP_ID} = L.map("{_MAP_ID}", {{zoomSnap: 0.25, zoomControl: true}});\n'
                f"L.control.scale().addTo({_MAP_ID});\n" + "\n".join(calls) + "\n" + view
            ),
            "</body>",
            "</html>",
            "",
        ]
    )
    logger.info("Canvas page of %d movements: %.0f KB", len(graph), len(page) / 1024)
    return page
