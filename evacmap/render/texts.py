"""The text of the page's assets: Leaflet (from ``xstatic-leaflet``) and evacmap's plugin.

Plain functions, cached per process, that need neither folium nor branca (so a page
can be written without importing them).

Examples
--------
>>> "L.evacmap" in evacmap_js(), "url(images/" in leaflet_css()
(True, False)
"""

from __future__ import annotations

import base64
import functools
import re
from importlib import resources
from pathlib import Path

from evacmap.errors import RenderError

__all__ = [
    "evacmap_canvas_js",
    "evacmap_css",
    "evacmap_js",
    "leaflet_css",
    "leaflet_js",
    "script_tag",
    "style_tag",
]

_END_TAG = re.compile(r"</(script|style)", re.IGNORECASE)


def script_tag(code: str) -> str:
    """`code` in a ``<script>`` element that no ``</script`` inside it can close.

    Examples
    --------
    >>> inner = script_tag("var a = '</script>';")[len("<script>"):-len("</script>")]
    >>> "</script" in inner, inner
    (False, "var a = '<\\\\/script>';")
    """
    return "<script>" + _END_TAG.sub(r"<\\/\1", code) + "</script>"


def style_tag(css: str) -> str:
    """`css` in a ``<style>`` element that no ``</style`` inside it can close.

    Examples
    --------
    >>> style_tag("a { color: red }")
    '<style>a { color: red }</style>'
    """
    return "<style>" + _END_TAG.sub(r"<\\/\1", css) + "</style>"

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
def evacmap_canvas_js() -> str:
    """The canvas flow layer of evacmap's plugin (large maps), with its time and group controls.

    Examples
    --------
    >>> "L.evacmap.flowCanvas" in evacmap_canvas_js() or "E.flowCanvas" in evacmap_canvas_js()
    True
    """
    return _static("evacmap-canvas.js")


@functools.cache
def evacmap_css() -> str:
    """Styles of evacmap's labels, tooltips, legend and title.

    Examples
    --------
    >>> ".evacmap-legend" in evacmap_css()
    True
    """
    return _static("evacmap.css")
