"""Write a flow map as one HTML file: a canvas page directly, or a folium map rendered.

Examples
--------
>>> from evacmap.testing import random_flow_graph
>>> import tempfile, pathlib
>>> out = save_map(random_flow_graph(20), pathlib.Path(tempfile.mkdtemp()) / "m.html")
>>> out.read_text(encoding="utf-8").count("L.evacmap.fromPage")
5
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from evacmap._atomic import write_text_atomic
from evacmap.errors import InputError, RenderError
from evacmap.flows import FlowGraph
from evacmap.render.canvasmap import pick_renderer

__all__ = ["save_map"]

logger = logging.getLogger(__name__)

#: Arguments of render_map that the direct canvas page understands.
_PAGE_ARGS = frozenset(
    {
        "title", "basemap", "bend", "noun", "labels", "legend", "fit_bounds", "style",
        "color_by", "top_n", "min_count", "aggregate_above", "renderer", "tiles", "width",
        "height",
    }
)


def save_map(graph: FlowGraph, path: str | os.PathLike[str], **kwargs: Any) -> Path:
    """Draw `graph` with :func:`~evacmap.render.render_map` and write the map as one HTML file.

    Parameters
    ----------
    graph
        The movements to draw.
    path
        Where to write the HTML file.
    **kwargs
        Passed to :func:`~evacmap.render.render_map`.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    ExportError
        When the file cannot be written.

    Notes
    -----
    A canvas map with no tiles and no existing map is written straight from its
    data (:func:`evacmap.render.page.canvas_page`), without importing folium: the
    same data and drawing, written in a fraction of the time.

    Examples
    --------
    >>> save_map(graph, "al-waer.html", title="al-Waer, May 2017")  # doctest: +SKIP
    PosixPath('al-waer.html')
    """
    out = Path(path)
    if not isinstance(graph, FlowGraph):
        raise InputError(
            f"`graph` must be a FlowGraph, got {type(graph).__name__}",
            hint="build one with FlowGraph(movements)",
        )
    direct = (
        set(kwargs) <= _PAGE_ARGS
        and kwargs.get("tiles") is None
        and len(graph) > 0
        and pick_renderer(kwargs.get("renderer", "auto"), kwargs.get("color_by", "kind"), len(graph))
        == "canvas"
    )
    if direct:
        from evacmap.render.page import canvas_page

        page_args = {k: v for k, v in kwargs.items() if k not in ("renderer", "tiles", "width", "height")}
        if page_args.get("title") is not None and not isinstance(page_args["title"], str):
            raise InputError(f"`title` must be a string or None, got {type(page_args['title']).__name__}")
        page = canvas_page(graph, **page_args)
    else:
        from evacmap.render.flowmap import render_map

        page = render_map(graph, **kwargs).get_root().render()
    if not isinstance(page, str):  # pragma: no cover - both paths give text
        raise RenderError("the map page is not text")
    write_text_atomic(out, page)
    logger.info("Wrote %s (%.0f KB)", out, len(page.encode("utf-8")) / 1024)
    return out
