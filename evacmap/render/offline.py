"""A folium map that works with no network: Leaflet inlined, no CDN, no tiles by default.

Examples
--------
>>> m = OfflineMap()
>>> html = m.get_root().render()
>>> "cdn.jsdelivr.net" in html or 'src="http' in html
False
>>> m.default_js is folium.Map.default_js
False
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import folium
from branca.element import Figure

from evacmap.errors import RenderError
from evacmap.render.assets import LEAFLET_ASSETS, add_inline_assets
from evacmap.render.elements import AttributionPrefix, TileLayer

__all__ = ["OfflineMap"]


def _is_remote(url: str) -> bool:
    return url.lstrip().lower().startswith(("http://", "https://", "//"))


class OfflineMap(folium.Map):
    """A :class:`folium.Map` whose page loads nothing from the network.

    Leaflet's JavaScript and CSS (from the ``xstatic-leaflet`` package) are written
    into the page; jQuery, Bootstrap and Font Awesome, which folium links from CDNs,
    are left out. There is no tile layer unless `tiles` is given.

    Parameters
    ----------
    location
        ``(lat, lon)`` of the first view; None to start with the whole world (and
        fit bounds later).
    tiles
        A tile provider name (any of the ``xyzservices`` package, e.g.
        ``"OpenStreetMap"``) or a URL template with ``{z}``, ``{x}`` and ``{y}``.
        Tiles come from the network (or a local folder), so the default None keeps
        the map offline.
    attribution_prefix
        Plain text in place of Leaflet's prefix (a link to leafletjs.com).
    **kwargs
        Passed to :class:`folium.Map` (``width``, ``height``, ``zoom_start``, ...).

    Notes
    -----
    ``default_js`` and ``default_css`` are per-instance copies of folium's lists with
    every remote entry removed, so :meth:`add_js_link` on one map changes neither
    folium's class-level lists nor any other map. Elements that need folium's
    jQuery or Bootstrap plugins (e.g. awesome markers) will not work on this map.

    Examples
    --------
    >>> m = OfflineMap(location=(34.7, 36.7), zoom_start=8)
    >>> m.add_js_link("extra", "extra.js")
    >>> ("extra", "extra.js") in folium.Map.default_js
    False
    """

    def __init__(
        self,
        location: Sequence[float] | None = None,
        *,
        tiles: str | None = None,
        attribution_prefix: str = "Leaflet",
        **kwargs: Any,
    ) -> None:
        # folium's own TileLayer would put the name through a template: ours does not.
        super().__init__(location=location, tiles=None, **kwargs)
        self.default_js = [(n, u) for n, u in folium.Map.default_js if not _is_remote(u)]
        self.default_css = [(n, u) for n, u in folium.Map.default_css if not _is_remote(u)]
        self.add_child(AttributionPrefix(attribution_prefix), name="attribution_prefix")
        if tiles is not None:
            self.add_child(TileLayer.from_spec(tiles), name="tiles")

    def render(self, **kwargs: Any) -> Any:
        """Write Leaflet into the page header, then render the map as folium does."""
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise RenderError(
                "cannot render an OfflineMap outside a Figure",
                hint="render it through m.get_root().render() or m.save()",
            )
        add_inline_assets(figure, LEAFLET_ASSETS)
        super().render(**kwargs)  # type: ignore[no-untyped-call]
