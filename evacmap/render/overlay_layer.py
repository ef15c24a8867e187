"""The page element of a user overlay: ``L.evacmap.overlay(data, options)`` on a Leaflet map.

Like evacmap's other layers, the data reach the page only as a JSON block made safe for
HTML by :func:`~evacmap.render.elements.json_for_html` and read back with
``JSON.parse``; the script only names the block. The overlay's JavaScript and CSS
(``static/overlay.js``, ``static/overlay.css``) are inlined once per page.

Examples
--------
>>> from evacmap.render.offline import OfflineMap
>>> from evacmap.testing import map_data
>>> m = OfflineMap()
>>> _ = OverlayLayer({"type": "FeatureCollection", "features": []}, attribution="<x>").add_to(m)
>>> map_data(m.get_root().render())["overlay"][0]["options"]["attribution"]
'&lt;x&gt;'
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Mapping
from importlib import resources
from typing import Any

from branca.element import Element, Figure

from evacmap.errors import RenderError
from evacmap.render.assets import EVACMAP_ASSETS, Asset, add_inline_assets
from evacmap.render.elements import json_for_html

__all__ = ["OVERLAY_ASSETS", "OverlayLayer", "overlay_css", "overlay_js"]

_IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


def _static(name: str) -> str:
    return (resources.files("evacmap.render") / "static" / name).read_text(encoding="utf-8")


@functools.cache
def overlay_js() -> str:
    """The overlay layer of evacmap's Leaflet plugin (``L.evacmap.overlay``).

    Examples
    --------
    >>> "L.evacmap" in overlay_js() and "E.overlay" in overlay_js()
    True
    """
    return _static("overlay.js")


@functools.cache
def overlay_css() -> str:
    """Styles of overlay labels.

    Examples
    --------
    >>> ".evacmap-overlay-label" in overlay_css()
    True
    """
    return _static("overlay.css")


#: evacmap's plugin (for ``L.evacmap.fromPage``), then the overlay's own code and styles.
OVERLAY_ASSETS: tuple[Asset, ...] = (
    *EVACMAP_ASSETS,
    ("evacmap_overlay_css", "css", overlay_css),
    ("evacmap_overlay_js", "js", overlay_js),
)


class _Text(Element):
    """Text written into the page exactly as given: never compiled as a template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "OverlayText"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """The text itself."""
        return self.text


class OverlayLayer(Element):
    """A user's GIS file drawn under the flows: outlines, tooltips, optional labels.

    Parameters
    ----------
    data
        The FeatureCollection of :func:`evacmap.render.overlay.overlay_collection`
        (tooltips and labels already escaped).
    colour
        Outline colour, ``#rrggbb``.
    attribution
        Attribution text (plain text; escaped here).

    Notes
    -----
    Drawn in its own pane above the offline basemap and any tiles, below the flows;
    features are SVG paths with the class ``evacmap-overlay``, labels
    ``.evacmap-overlay-label`` elements.
    """

    def __init__(
        self, data: Mapping[str, Any], *, colour: str = "#4a6d8c", attribution: str | None = None
    ) -> None:
        super().__init__()
        self._name = "OverlayLayer"
        self.data = dict(data)
        self.options = {
            "colour": colour,
            "attribution": None if attribution is None else html.escape(attribution),
        }

    def render(self, **kwargs: Any) -> str:
        """Write the JSON block into the page header and the layer call into its script."""
        figure = self.get_root()
        parent = self._parent
        if not isinstance(figure, Figure) or parent is None:
            raise RenderError(
                "cannot render an overlay outside a map", hint="add it to a folium.Map first"
            )
        add_inline_assets(figure, OVERLAY_ASSETS)
        block_id = f"evacmap-data-{self._id}"
        payload = json_for_html({"data": self.data, "options": self.options})
        figure.header.add_child(
            _Text(f'<script type="application/json" id="{block_id}">{payload}</script>'),
            name=block_id,
        )
        name, target = self.get_name(), parent.get_name()
        if not (_IDENTIFIER.match(name) and _IDENTIFIER.match(target)):  # pragma: no cover
            raise RenderError(f"{name!r} or {target!r} is not a JavaScript identifier")
        code = f'var {name} = L.evacmap.fromPage(L.evacmap.overlay, "{block_id}");\n{name}.addTo({target});'
        figure.script.add_child(_Text(code), name=name)
        return ""
