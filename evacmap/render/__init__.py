"""Flow maps: a FlowGraph drawn as a self-contained Leaflet page (offline by default).

:func:`render_map` returns a folium map; :func:`save_map` writes it as one HTML file
that loads nothing from the network; :func:`save_picture` writes the same map as a
PNG, SVG or PDF picture (matplotlib, no browser). :class:`OfflineMap` is the folium map they use:
Leaflet inlined from the ``xstatic-leaflet`` package, no CDN links, no tiles unless
asked for. Small maps draw each line as an SVG path; large ones (more than 1,000
movements, or ``renderer="canvas"``) draw every flow on one canvas from packed typed
arrays. folium is imported only when a folium map is made, so writing a large map
from the command line starts fast.

Examples
--------
>>> from evacmap.flows import FlowGraph
>>> from evacmap.model import Movement, Place
>>> from evacmap.render import OfflineMap, render_map
>>> g = FlowGraph([Movement(Place("A", 34.7, 36.7), (Place("B", 35.9, 36.6),), count=10)])
>>> isinstance(render_map(g), OfflineMap)
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from evacmap.render.save import save_map
from evacmap.render.style import MapStyle

if TYPE_CHECKING:  # pragma: no cover
    from evacmap.render.flowmap import render_map
    from evacmap.render.offline import OfflineMap
    from evacmap.render.picture import render_picture, save_picture

__all__ = ["MapStyle", "OfflineMap", "render_map", "render_picture", "save_map", "save_picture"]


def __getattr__(name: str) -> Any:
    """`render_map`, `OfflineMap` (folium) and the pictures (matplotlib) on first use."""
    if name == "render_map":
        from evacmap.render.flowmap import render_map

        return render_map
    if name == "OfflineMap":
        from evacmap.render.offline import OfflineMap

        return OfflineMap
    if name in ("render_picture", "save_picture"):
        from evacmap.render import picture

        return getattr(picture, name)
    raise AttributeError(f"module 'evacmap.render' has no attribute {name!r}")
