"""Page elements of an evacmap map: flows, places, background, tiles, legend, title.

Every element is written into the page in two parts, and neither ever passes
through a template:

* its data — everything derived from the input, place names and evidence included —
  as one ``<script type="application/json">`` block in the page header, serialised by
  :func:`json_for_html` (``<``, ``>``, ``&``, U+2028 and U+2029 written as ``\\u``
  escapes, so no text can close the block or open a comment);
* one line of JavaScript in the page's script that hands that block to a factory of
  evacmap's own Leaflet plugin (``static/evacmap.js``, inlined once). That line is
  made only of identifiers evacmap generates.

branca compiles the output of every ``MacroElement`` macro again as a Jinja template
(``Figure.render`` wraps it in ``Element(...)``), so a name such as
``{{ 7*7 }}`` would be evaluated on the analyst's machine. These elements therefore
derive from the plain :class:`~branca.element.Element` and write their text directly.

Examples
--------
>>> from branca.element import Figure
>>> fig = Figure()
>>> _ = fig.add_child(TitleControl("{{ 7*7 }} </script>"))
>>> from evacmap.testing import map_data
>>> map_data(fig.render())["title"][0]["data"]  # the literal text: not evaluated, cannot close the script
'{{ 7*7 }} &lt;/script&gt;'
"""

from __future__ import annotations

import html
import re
import warnings
from collections.abc import Mapping
from typing import Any, ClassVar

from branca.element import Element, Figure

from evacmap.errors import InputError, RenderError
from evacmap.render.assets import CANVAS_ASSETS, EVACMAP_ASSETS, Asset, add_inline_assets
from evacmap.render.jsonhtml import json_for_html
from evacmap.render.style import MapStyle

__all__ = [
    "AttributionPrefix",
    "BasemapLayer",
    "FlowArcLayer",
    "FlowCanvasLayer",
    "LegendControl",
    "PlaceLayer",
    "TileLayer",
    "TitleControl",
    "json_for_html",
]

#: Attribution of the place data shown with flows.
PLACES_ATTRIBUTION = "Places: GeoNames (CC BY 4.0)"

_IDENTIFIER = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")


class _Verbatim(Element):
    """Text written into the page exactly as given: never compiled as a template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Verbatim"
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """The text itself."""
        return self.text


def _js_name(element: Element) -> str:
    name = element.get_name()
    if not _IDENTIFIER.match(name):  # pragma: no cover - names are evacmap's own
        raise RenderError(f"{name!r} is not a JavaScript identifier")
    return name


class _PluginElement(Element):
    """Something one factory of evacmap's plugin makes: ``L.evacmap.<factory>(data, options)``.

    Subclasses name the factory and give the data and options; both reach the page
    only as a JSON block (see the module notes). Layers are added to the map when
    `show` is true; controls always are.
    """

    factory: ClassVar[str]
    inline_assets: ClassVar[tuple[Asset, ...]] = EVACMAP_ASSETS

    def __init__(self, data: Any, options: Mapping[str, Any], *, show: bool = True) -> None:
        super().__init__()
        self._name = type(self).__name__
        self.data = data
        self.options = dict(options)
        self.show = show

    @property
    def element_id(self) -> str:
        """The HTML id of the element's JSON block."""
        return f"evacmap-data-{self._id}"

    def render(self, **kwargs: Any) -> str:
        """Write the JSON block into the page header and the factory call into its script."""
        figure = self.get_root()
        if not isinstance(figure, Figure) or self._parent is None:
            raise RenderError(
                f"cannot render {type(self).__name__} outside a map",
                hint="add it to a folium.Map (or OfflineMap) first",
            )
        add_inline_assets(figure, self.inline_assets)
        block = (
            f'<script type="application/json" id="{self.element_id}">'
            f"{json_for_html({'data': self.data, 'options': self.options})}</script>"
        )
        figure.header.add_child(_Verbatim(block), name=self.element_id)
        name, parent = _js_name(self), _js_name(self._parent)
        code = (
            f'var {name} = L.evacmap.fromPage(L.evacmap.{self.factory}, "{self.element_id}");'
        )
        if self.show:
            code += f"\n{name}.addTo({parent});"
        figure.script.add_child(_Verbatim(code), name=name)
        for child in self._children.values():
            child.render(**kwargs)
        return ""


def _escape(text: str | None) -> str | None:
    return None if text is None else html.escape(text)


class FlowArcLayer(_PluginElement):
    """All flows of a map in one Leaflet layer: curved lines, arrowheads, count labels.

    Parameters
    ----------
    data
        The FeatureCollection of :func:`evacmap.render.features.flow_collection`.
    style
        Colours and opacity.
    attribution
        Attribution text (plain text; escaped here).
    show
        Whether the layer is shown when the map opens.

    Notes
    -----
    In the page, each line is an SVG path with the classes ``evacmap-flow``,
    ``evacmap-<role>`` (``flow``, ``trunk``, ``branch``) and ``evacmap-<kind>``
    (``moved``, ``planned``, ``cumulative``), plus ``evacmap-unknown`` when the count
    is unknown. Arrowheads are paths with the class ``evacmap-arrowhead``, computed in
    pixels at the end of each line and recomputed after every zoom. Count labels are
    ``.evacmap-count-label`` elements; tooltips have the class ``evacmap-tooltip``.
    """

    factory = "flowLayer"

    def __init__(
        self,
        data: Mapping[str, Any],
        *,
        style: MapStyle | None = None,
        attribution: str | None = PLACES_ATTRIBUTION,
        show: bool = True,
    ) -> None:
        style = style or MapStyle()
        options = {
            "colours": style.js_colours(),
            "opacity": style.opacity,
            "attribution": _escape(attribution),
        }
        super().__init__(dict(data), options, show=show)


class FlowCanvasLayer(_PluginElement):
    """Every flow and place of a large map on one canvas, from packed typed arrays.

    Parameters
    ----------
    packed
        What :func:`evacmap.render.pack.pack_flows` returned.
    options
        Display options of the layer (colours, sizes, scales, colouring; see
        :func:`evacmap.render.canvasmap.canvas_options`). Plain data only.
    show
        Whether the layer is shown when the map opens.

    Notes
    -----
    In the page the layer is ``L.evacmap.flowCanvasMap``: a ``<canvas>`` in the
    ``evacmapFlows`` pane, an overlay canvas for the hovered flow, and a tooltip
    (``.evacmap-canvas-tip``) filled with ``textContent`` only. The map container
    carries ``data-evacmap-drawn`` (elements drawn) after each redraw, and the layer
    is ``window.__evacmapCanvas`` (its ``stats()`` gives the totals on the screen).
    """

    factory = "flowCanvasMap"
    inline_assets = CANVAS_ASSETS

    def __init__(self, packed: Mapping[str, Any], options: Mapping[str, Any], *, show: bool = True) -> None:
        super().__init__(dict(packed), dict(options), show=show)


class PlaceLayer(_PluginElement):
    """Place circles (area by people through the place) with name labels and tooltips.

    Parameters
    ----------
    data
        The FeatureCollection of :func:`evacmap.render.features.place_collection`.
    style
        Colours.
    show
        Whether the layer is shown when the map opens.

    Notes
    -----
    Circles are SVG paths with the class ``evacmap-place`` (plus
    ``evacmap-place-hollow`` and ``evacmap-approximate``); labels are
    ``.evacmap-place-label`` elements.
    """

    factory = "placeLayer"

    def __init__(
        self, data: Mapping[str, Any], *, style: MapStyle | None = None, show: bool = True
    ) -> None:
        style = style or MapStyle()
        kept = {k: v for k, v in data.items() if k != "radii"}
        super().__init__(kept, {"colours": style.js_colours()}, show=show)


class BasemapLayer(_PluginElement):
    """The offline background: light grey land, white borders, pale sea; not interactive.

    Parameters
    ----------
    data
        Country outlines (:func:`evacmap.render.basemap.countries_geojson`).
    style
        Land, border and sea colours.
    attribution
        Attribution text (plain text; escaped here).
    """

    factory = "basemap"

    def __init__(
        self,
        data: Mapping[str, Any],
        *,
        style: MapStyle | None = None,
        attribution: str | None = None,
    ) -> None:
        style = style or MapStyle()
        options = {
            "land": style.land_colour,
            "border": style.border_colour,
            "sea": style.sea_colour,
            "attribution": _escape(attribution),
        }
        super().__init__(dict(data), options)


class TileLayer(_PluginElement):
    """Online map tiles from a URL template (only when asked for: they need the network).

    Parameters
    ----------
    url
        A tile URL template with ``{z}``, ``{x}`` and ``{y}``, e.g.
        ``"https://tiles.example.org/{z}/{x}/{y}.png"``, or a local
        ``"file:///…/{z}/{x}/{y}.png"``.
    attribution
        Attribution as HTML (from a provider's own record) or None.
    max_zoom
        Deepest zoom level the tiles exist for.

    Raises
    ------
    InputError
        When `url` lacks one of ``{z}``, ``{x}``, ``{y}``.

    Examples
    --------
    >>> TileLayer("tiles/{z}/{x}/{y}.png").options["maxZoom"]
    19
    >>> TileLayer("tiles.png")
    Traceback (most recent call last):
    ...
    evacmap.errors.InputError: tile URL 'tiles.png' lacks {z}, {x}, {y}. Hint: give a template such as 'https://tiles.example.org/{z}/{x}/{y}.png' or a provider name such as 'OpenStreetMap.Mapnik'.
    """

    factory = "tileLayer"

    def __init__(self, url: str, *, attribution: str | None = None, max_zoom: int = 19) -> None:
        missing = [p for p in ("{z}", "{x}", "{y}") if p not in url]
        if missing:
            raise InputError(
                f"tile URL {url!r} lacks {', '.join(missing)}",
                hint="give a template such as 'https://tiles.example.org/{z}/{x}/{y}.png' "
                "or a provider name such as 'OpenStreetMap.Mapnik'",
            )
        scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", url)
        if scheme and scheme.group(1).lower() not in ("http", "https", "file"):
            raise InputError(
                f"tile URL {url!r} uses the scheme {scheme.group(1)!r}",
                hint="tiles load over http://, https:// or file://, or from a relative path",
            )
        super().__init__(url, {"attribution": attribution, "maxZoom": int(max_zoom)})

    @classmethod
    def from_spec(cls, spec: str) -> TileLayer:
        """Tiles from a provider name known to ``xyzservices`` or from a URL template.

        Provider names are matched without regard to case or dots
        (``"CartoDB.Positron"``, ``"cartodbpositron"``); a group name takes its first
        provider (``"OpenStreetMap"`` is ``OpenStreetMap.Mapnik``).

        Raises
        ------
        InputError
            When `spec` is neither a known provider nor a URL template.

        Examples
        --------
        >>> TileLayer.from_spec("OpenStreetMap").options["maxZoom"]
        19
        >>> TileLayer.from_spec("https://t.example.org/{z}/{x}/{y}.png").data
        'https://t.example.org/{z}/{x}/{y}.png'
        """
        if "{z}" in spec or "/" in spec:
            return cls(spec)
        provider = _tile_provider(spec)
        if provider is None:
            raise InputError(
                f"{spec!r} is neither a tile provider name nor a URL template",
                hint="give a name such as 'OpenStreetMap' or 'CartoDB.Positron' "
                "(any provider of the xyzservices package), or a URL with {z}, {x} and {y}",
            )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "requires an API key" notes, as for folium
            url = provider.build_url()
        return cls(
            url,
            attribution=provider.get("html_attribution") or provider.get("attribution"),
            max_zoom=int(provider.get("max_zoom", 19)),
        )


def _tile_provider(name: str) -> Any:
    import xyzservices.providers as providers

    def fold(text: str) -> str:
        return re.sub(r"[^0-9a-z]", "", text.casefold())

    wanted = fold(name)
    flat = providers.flatten()
    for key, provider in flat.items():
        if fold(key) == wanted:
            return provider
    for key, provider in flat.items():
        if fold(key.split(".")[0]) == wanted:
            return provider
    return None


class _HtmlControl(_PluginElement):
    """A control holding HTML that evacmap built (user text in it already escaped)."""

    def __init__(self, html_text: str, *, position: str) -> None:
        super().__init__(html_text, {"position": position})


class LegendControl(_HtmlControl):
    """A Leaflet control holding the legend (HTML built by :mod:`evacmap.render.legend`).

    Parameters
    ----------
    html_text
        The legend's inner HTML; user text in it must already be escaped.
    position
        Leaflet control corner.
    """

    factory = "legend"

    def __init__(self, html_text: str, *, position: str = "bottomright") -> None:
        super().__init__(html_text, position=position)


class TitleControl(_HtmlControl):
    """The map's title, in a control at the top of the map.

    Parameters
    ----------
    title
        Plain text; escaped here.
    position
        Leaflet control corner.

    Examples
    --------
    >>> TitleControl("<b>x</b>").data
    '&lt;b&gt;x&lt;/b&gt;'
    """

    factory = "title"

    def __init__(self, title: str, *, position: str = "topright") -> None:
        super().__init__(html.escape(title), position=position)


class AttributionPrefix(_PluginElement):
    """Replace Leaflet's attribution prefix (a link to leafletjs.com) with plain text.

    Parameters
    ----------
    prefix
        Plain text; escaped here. ``""`` removes the prefix.
    """

    factory = "attributionPrefix"

    def __init__(self, prefix: str = "Leaflet") -> None:
        super().__init__(_escape(prefix), {})

