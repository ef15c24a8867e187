"""Data for a page: JSON that is safe inside an HTML ``<script>`` element.

Examples
--------
>>> "<" in json_for_html({"a": "<!--"})
False
"""

from __future__ import annotations

import json
import re
from typing import Any

from evacmap.errors import RenderError

__all__ = ["json_for_html"]

_HTML_UNSAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_HTML_UNSAFE_RE = re.compile("[<>&\u2028\u2029]")


def json_for_html(data: Any) -> str:
    """`data` as compact JSON that is safe inside an HTML ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\\u003c``, ``\\u003e`` and ``\\u0026``, and the
    line separators U+2028 and U+2029 are escaped too, so the text can neither end
    the script element (``</script>``), open an HTML comment (``<!--``) nor break a
    JavaScript string. Those characters only occur inside JSON strings, where the
    escapes mean the same characters: ``JSON.parse`` gives back the exact text.

    Parameters
    ----------
    data
        Anything :func:`json.dumps` accepts; NaN and infinity are refused.

    Returns
    -------
    str
        The JSON text.

    Raises
    ------
    RenderError
        When `data` holds something that is not JSON (NaN, an object).

    Examples
    --------
    >>> print(json_for_html({"name": "</script><b>&"}))
    {"name":"\\u003c/script\\u003e\\u003cb\\u003e\\u0026"}
    >>> json_for_html([])
    '[]'
    """
    try:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise RenderError(f"map data cannot be written as JSON: {exc}") from exc
    return _HTML_UNSAFE_RE.sub(lambda m: _HTML_UNSAFE[m.group(0)], text)
