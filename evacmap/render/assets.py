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

import base64
import functools
import re
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar

from branca.element import Element, Figure, MacroElement

from evacmap.errors import RenderError

__all__ = [
    "InlineAssetsMixin",
    "InlineScript",
    "InlineStyle",
    "evacmap_css",
    "evacmap_js",
    "leaflet_css",
    "leaflet_js",
]

_SOURCE_MAP = re.compile(
    r"^\s*(//[#@]\s*sourceMappingURL=.*|/\*[#@]\s*sourceMappingURL=.*?\*/)\s*$", re.MULTILINE
)
_CSS_URL = re.compile(r"url\((['\"]?)images/([A-Za-z0-9_.-]+)\1\)")


def _leaflet_dir() -> Path:
    try:
        import xstatic.pkg.leaflet as xleaflet
    except ImportError as e:  # pragma: no cover - a declared dependency
        raise RenderError(
            "the xstatic-leaflet package is missing, so Leaflet cannot be inlined",
            hint="pip install xstatic-leaflet",
        ) from e
    return Path(xleaflet.BASE_DIR)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as e:
        raise RenderError(
            f"cannot read {path}: {e.strerror}", hint="reinstall xstatic-leaflet"
        ) from e


@functools.cache
def leaflet_js() -> str:
    """Leaflet's minified JavaScript, without its source-map comment.

    Returns
    -------
    str
        The contents of ``leaflet.js`` from ``xstatic.pkg.leaflet``.

    Notes
    -----
    Cached per process: the file is read-only package data.

    Examples
    --------
    >>> "sourceMappingURL" in leaflet_js(), 't.version="1.9.3"' in leaflet_js()
    (False, True)
    """
    return _SOURCE_MAP.sub("", _read(_leaflet_dir() / "leaflet.js")).rstrip() + "\n"


@functools.cache
def leaflet_css() -> str:
    """Leaflet's CSS with each ``url(images/...)`` turned into a ``data:`` URI.

    Returns
    -------
    str
        CSS that loads nothing from outside the page.

    Examples
    --------
    >>> css = leaflet_css()
    >>> "url(images/" in css, 'url("data:image/png;base64,' in css
    (False, True)
    """
    folder = _leaflet_dir()

    def embed(match: re.Match[str]) -> str:
        image = folder / "images" / match.group(2)
        try:
            payload = base64.b64encode(image.read_bytes()).decode("ascii")
        except OSError as e:
            raise RenderError(f"cannot read {image}: {e.strerror}") from e
        mime = "image/svg+xml" if image.suffix == ".svg" else f"image/{image.suffix[1:]}"
        return f'url("data:{mime};base64,{payload}")'

    return _CSS_URL.sub(embed, _SOURCE_MAP.sub("", _read(folder / "leaflet.css")))


def _static(name: str) -> str:
    return (resources.files("evacmap.render") / "static" / name).read_text(encoding="utf-8")


@functools.cache
def evacmap_js() -> str:
    """The Leaflet plugin of evacmap: flow arcs with arrowheads, place circles, controls.

    Examples
    --------
    >>> "L.evacmap" in evacmap_js()
    True
    """
    return _static("evacmap.js")


@functools.cache
def evacmap_css() -> str:
    """Styles of evacmap's labels, tooltips, legend and title.

    Examples
    --------
    >>> ".evacmap-legend" in evacmap_css()
    True
    """
    return _static("evacmap.css")


_END_TAG = re.compile(r"</(script|style)", re.IGNORECASE)


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
        return "<script>" + _END_TAG.sub(r"<\\/\1", self.code) + "</script>"


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
        return "<style>" + _END_TAG.sub(r"<\\/\1", self.css) + "</style>"


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
