"""Offline assets: Leaflet and evacmap's own JavaScript and CSS, inlined into the page.

Leaflet comes from the ``xstatic-leaflet`` package (Leaflet 1.9.3, the version folium
0.20 links to), so no third-party file is copied into this repository; the CSS's
``url(images/...)`` references become ``data:`` URIs. evacmap's own small plugin
(flow arcs, arrowheads, legend) lives beside this module in ``static/``.

Elements that need an asset declare it in ``inline_assets`` (see
:class:`InlineAssetsMixin`); the asset is written once into the page header, whatever
the number of elements that need it, as folium does for ``default_js`` links.

Examples
--------
>>> fig = Figure()
>>> add_inline_assets(fig, LEAFLET_ASSETS)
>>> page = fig.render()
>>> 't.version="1.9.3"' in page, "<link" in page, "https://cdn" in page
(True, False, False)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from branca.element import Element, Figure, MacroElement

from evacmap.errors import RenderError
from evacmap.render.texts import (
    evacmap_canvas_js,
    evacmap_css,
    evacmap_js,
    leaflet_css,
    leaflet_js,
    script_tag,
    style_tag,
)

__all__ = [
    "InlineAssetsMixin",
    "InlineScript",
    "InlineStyle",
    "evacmap_canvas_js",
    "evacmap_css",
    "evacmap_js",
    "leaflet_css",
    "leaflet_js",
]

class InlineScript(Element):
    """A ``<script>`` element holding JavaScript text (not a link).

    Examples
    --------
    >>> InlineScript("var a = '</script>';").render()
    "<script>var a = '<\\\\/script>';</script>"
    """

    def __init__(self, code: str) -> None:
        super().__init__()
        self._name = "InlineScript"
        self.code = code

    def render(self, **kwargs: Any) -> str:
        """The script element; a ``</script`` inside the code cannot close it."""
        return script_tag(self.code)


class InlineStyle(Element):
    """A ``<style>`` element holding CSS text (not a link).

    Examples
    --------
    >>> InlineStyle("a { color: red }").render()
    '<style>a { color: red }</style>'
    """

    def __init__(self, css: str) -> None:
        super().__init__()
        self._name = "InlineStyle"
        self.css = css

    def render(self, **kwargs: Any) -> str:
        """The style element; a ``</style`` inside the CSS cannot close it."""
        return style_tag(self.css)


#: (name in the page header, "js" or "css", function returning the text)
Asset = tuple[str, str, Callable[[], str]]

LEAFLET_ASSETS: tuple[Asset, ...] = (
    ("leaflet_css", "css", leaflet_css),
    ("leaflet", "js", leaflet_js),
)
EVACMAP_ASSETS: tuple[Asset, ...] = (
    ("evacmap_css", "css", evacmap_css),
    ("evacmap_js", "js", evacmap_js),
)
CANVAS_ASSETS: tuple[Asset, ...] = (
    *EVACMAP_ASSETS,
    ("evacmap_canvas_js", "js", evacmap_canvas_js),
)


def add_inline_assets(figure: Figure, assets: tuple[Asset, ...]) -> None:
    """Write `assets` into the header of `figure`, once each (keyed by name).

    Examples
    --------
    >>> fig = Figure()
    >>> add_inline_assets(fig, (("x", "js", lambda: "var x;"),))
    >>> add_inline_assets(fig, (("x", "js", lambda: "var x;"),))
    >>> fig.render().count("var x;")
    1
    """
    for name, kind, load in assets:
        element: Element = InlineScript(load()) if kind == "js" else InlineStyle(load())
        figure.header.add_child(element, name=name)


class InlineAssetsMixin(MacroElement):
    """Mixin for elements whose JavaScript and CSS are inlined into the page header.

    Subclasses list their assets in ``inline_assets``; :meth:`render` writes each one
    into the figure's header before the element's own script, keyed by name so that
    many elements share one copy.
    """

    inline_assets: ClassVar[tuple[Asset, ...]] = ()

    def render(self, **kwargs: Any) -> Any:
        """Add the inline assets to the page header, then render as usual."""
        figure = self.get_root()
        if not isinstance(figure, Figure):
            raise RenderError(
                f"cannot render {type(self).__name__} outside a Figure",
                hint="add it to a folium.Map (or OfflineMap) first",
            )
        add_inline_assets(figure, self.inline_assets)
        super().render(**kwargs)  # type: ignore[no-untyped-call]
