"""Flow maps: a FlowGraph drawn as a self-contained Leaflet page (offline by default).

:func:`render_map` returns a folium map; :func:`save_map` writes it as one HTML file
that loads nothing from the network; :func:`save_picture` writes the same map as a
PNG, SVG or PDF picture (matplotlib, no browser). :class:`OfflineMap` is the folium map they use:
Leaflet inlined from the ``xstatic-leaflet`` package, no CDN links, no tiles unless
asked for.

Examples
--------
>>> from evacmap.flows import FlowGraph
>>> from evacmap.model import Movement, Place
>>> g = FlowGraph([Movement(Place("A", 34.7, 36.7), (Place("B", 35.9, 36.6),), count=10)])
>>> isinstance(render_map(g), OfflineMap)
True
"""

from __future__ import annotations

from evacmap.render.flowmap import render_map, save_map
from evacmap.render.offline import OfflineMap
from evacmap.render.picture import render_picture, save_picture
from evacmap.render.style import MapStyle

__all__ = ["MapStyle", "OfflineMap", "render_map", "render_picture", "save_map", "save_picture"]
