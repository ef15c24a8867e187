"""folium elements of an evacmap map: flows, places, background, legend, title.

Each element is a small :class:`~branca.element.MacroElement` whose Jinja
``script`` macro calls evacmap's own Leaflet plugin (``static/evacmap.js``, inlined
once into the page header). Data reach JavaScript only through ``|tojson``, which
escapes ``<``, ``>``, ``&`` and ``'``; every piece of user text in the data is
already HTML-escaped by :mod:`evacmap.render.tooltips`.

The flow and place layers are folium :class:`~folium.map.Layer` objects, so a
``folium.LayerControl`` can switch them on and off.

Examples
--------
>>> layer = FlowArcLayer({"type": "FeatureCollection", "features": [], "tooltips": []})
>>> "L.evacmap.flowLayer(" in layer._template.module.script(layer, {})
True
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any, ClassVar

import jinja2
from folium.map import Layer
from folium.template import Environment

from evacmap.render.assets import EVACMAP_ASSETS, InlineAssetsMixin
from evacmap.render.style import MapStyle

__all__ = [
    "AttributionPrefix",
    "BasemapLayer",
    "FlowArcLayer",
    "LegendControl",
    "PlaceLayer",
    "TitleControl",
]

#: Attribution of the place data shown with flows.
PLACES_ATTRIBUTION = "Places: GeoNames (CC BY 4.0)"


class _CompactEnvironment(Environment):
    """folium's Jinja environment, with ``|tojson`` writing compact JSON.

    A separate class, so folium's own (shared) environment is left as it is.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[no-untyped-call]
        self.policies["json.dumps_kwargs"] = {
            "separators": (",", ":"),
            "ensure_ascii": False,
            "allow_nan": False,
        }


class _Template(jinja2.Template):
    environment_class = _CompactEnvironment


def _colours(style: MapStyle) -> dict[str, str]:
    return {
        "moved": style.moved_colour,
        "planned": style.planned_colour,
        "plannedCore": style.planned_core_colour,
        "cumulative": style.cumulative_colour,
        "cumulativeCore": style.cumulative_core_colour,
        "unknown": style.unknown_colour,
        "place": style.place_colour,
    }


class _PluginLayer(InlineAssetsMixin, Layer):
    """A layer made by one factory of evacmap's plugin: ``L.evacmap.<factory>(data, options)``.

    Subclasses name the factory and build the options; the data reach JavaScript only
    through ``|tojson``.
    """

    factory: ClassVar[str]
    inline_assets = EVACMAP_ASSETS
    _template = _Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }}_data = {{ this.data|tojson }};
            var {{ this.get_name() }} = L.evacmap.{{ this.factory }}(
                {{ this.get_name() }}_data, {{ this.options|tojson }}
            );
        {% endmacro %}
        """
    )

    def __init__(
        self, data: Mapping[str, Any], options: Mapping[str, Any], *, name: str, show: bool
    ) -> None:
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = type(self).__name__
        self.data = dict(data)
        self.options = dict(options)


class _PluginControl(InlineAssetsMixin):
    """A control made by one factory of evacmap's plugin, holding escaped HTML."""

    factory: ClassVar[str]
    inline_assets = EVACMAP_ASSETS
    _template = _Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }} = L.evacmap.{{ this.factory }}(
                {{ this.html|tojson }}, {position: {{ this.position|tojson }}}
            ).addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, html: str, *, position: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = type(self).__name__
        self.html = html
        self.position = position


class FlowArcLayer(_PluginLayer):
    """All flows of a map in one Leaflet layer: curved lines, arrowheads, count labels.

    Parameters
    ----------
    data
        The FeatureCollection of :func:`evacmap.render.features.flow_collection`.
    style
        Colours and opacity.
    name
        Name in a ``folium.LayerControl``.
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
        name: str = "Flows",
        attribution: str | None = PLACES_ATTRIBUTION,
        show: bool = True,
    ) -> None:
        style = style or MapStyle()
        options = {
            "colours": _colours(style),
            "opacity": style.opacity,
            "attribution": _escape(attribution),
        }
        super().__init__(data, options, name=name, show=show)


class PlaceLayer(_PluginLayer):
    """Place circles (area by people through the place) with name labels and tooltips.

    Parameters
    ----------
    data
        The FeatureCollection of :func:`evacmap.render.features.place_collection`.
    style
        Colours.
    name
        Name in a ``folium.LayerControl``.
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
        self,
        data: Mapping[str, Any],
        *,
        style: MapStyle | None = None,
        name: str = "Places",
        show: bool = True,
    ) -> None:
        style = style or MapStyle()
        kept = {k: v for k, v in data.items() if k != "radii"}
        super().__init__(kept, {"colours": _colours(style)}, name=name, show=show)


class BasemapLayer(_PluginLayer):
    """The offline background: light grey land, white borders, pale sea; not interactive.

    Parameters
    ----------
    data
        Country outlines (:func:`evacmap.render.basemap.countries_geojson`).
    style
        Land, border and sea colours.
    attribution
        Attribution text (plain text; escaped here).
    name
        Name in a ``folium.LayerControl``.
    """

    factory = "basemap"

    def __init__(
        self,
        data: Mapping[str, Any],
        *,
        style: MapStyle | None = None,
        attribution: str | None = None,
        name: str = "Countries",
    ) -> None:
        style = style or MapStyle()
        options = {
            "land": style.land_colour,
            "border": style.border_colour,
            "sea": style.sea_colour,
            "attribution": _escape(attribution),
        }
        super().__init__(data, options, name=name, show=True)


class LegendControl(_PluginControl):
    """A Leaflet control holding the legend (HTML built by :mod:`evacmap.render.legend`).

    Parameters
    ----------
    html
        The legend's inner HTML; user text in it must already be escaped.
    position
        Leaflet control corner.
    """

    factory = "legend"

    def __init__(self, html: str, *, position: str = "bottomright") -> None:
        super().__init__(html, position=position)


class TitleControl(_PluginControl):
    """The map's title, in a control at the top of the map.

    Parameters
    ----------
    title
        Plain text; escaped here.
    position
        Leaflet control corner.

    Examples
    --------
    >>> TitleControl("<b>x</b>").html
    '&lt;b&gt;x&lt;/b&gt;'
    """

    factory = "title"

    def __init__(self, title: str, *, position: str = "topright") -> None:
        super().__init__(html.escape(title), position=position)


class AttributionPrefix(InlineAssetsMixin):
    """Replace Leaflet's attribution prefix (a link to leafletjs.com) with plain text.

    Parameters
    ----------
    prefix
        Plain text; escaped here. ``""`` removes the prefix.
    """

    _template = _Template(
        """
        {% macro script(this, kwargs) %}
            if ({{ this._parent.get_name() }}.attributionControl) {
                {{ this._parent.get_name() }}.attributionControl.setPrefix(
                    {{ this.prefix|tojson }}
                );
            }
        {% endmacro %}
        """
    )

    def __init__(self, prefix: str = "Leaflet") -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "AttributionPrefix"
        self.prefix = _escape(prefix)


def _escape(text: str | None) -> str | None:
    return None if text is None else html.escape(text)
