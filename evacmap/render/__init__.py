"""Flow maps: a FlowGraph drawn as a self-contained Leaflet page (offline by default).

:func:`render_map` returns a folium map; :func:`save_map` writes it as one HTML file
that loads nothing from the network. :class:`OfflineMap` is the folium map they use:
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

__all__ = ["MapStyle", "OfflineMap", "render_map", "save_map"]


def __getattr__(name: str) -> Any:
    """`render_map` and `OfflineMap` on first use (they import folium)."""
    if name == "render_map":
        from evacmap.render.flowmap import render_map

        return render_map
    if name == "OfflineMap":
        from evacmap.render.offline import OfflineMap

        return OfflineMap
    raise AttributeError(f"module 'evacmap.render' has no attribute {name!r}")
