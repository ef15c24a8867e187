"""Colour by group or by count in pictures, as the canvas layer colours the web map.

``color_by="group"`` gives each movement the colour of its largest group (group names
in sorted order, the canvas layer's palette, grey beyond it or without groups);
``"count"`` gives it one of five classes of the square root of its count over the
largest. ``"kind"`` (the default) keeps the colours of the count kinds. The legend
rows name the colours with the canvas legend's words.

Examples
--------
>>> from evacmap.flows import FlowGraph
>>> from evacmap.model import Movement, Place
>>> a, b = Place("A", 34.0, 36.0), Place("B", 35.0, 37.0)
>>> g = FlowGraph([Movement(a, (b,), count=450, groups=(("fighters", 193), ("civilians", 257)))])
>>> movement_colours(g, "group", vmax=450)
['#0072b2']
>>> colour_rows(g, "group", vmax=450)[0]
('#0072b2', 'civilians')
"""

from __future__ import annotations

import math
from typing import Literal

from evacmap.errors import InputError
from evacmap.flows import FlowGraph
from evacmap.render.canvasmap import COUNT_RAMP, GROUP_PALETTE
from evacmap.render.features import drawn_count

__all__ = ["COLOR_BY", "ColorBy", "colour_rows", "colour_title", "movement_colours"]

ColorBy = Literal["kind", "group", "count"]
COLOR_BY = ("kind", "group", "count")
_NO_GROUP = "#55595e"


def _check(color_by: object) -> None:
    if color_by not in COLOR_BY:
        raise InputError(
            f"`color_by` must be one of {', '.join(map(repr, COLOR_BY))}, got {color_by!r}",
            hint="e.g. color_by='group'",
        )


def _group_names(graph: FlowGraph) -> list[str]:
    return sorted({g for m in graph.movements for g, n in m.groups if n is not None})


def movement_colours(graph: FlowGraph, color_by: ColorBy, *, vmax: float) -> list[str | None]:
    """Each movement's colour, in movement order; None keeps its kind's colour.

    Raises
    ------
    InputError
        When `color_by` is not one of :data:`COLOR_BY`.
    """
    _check(color_by)
    if color_by == "kind":
        return [None] * len(graph)
    if color_by == "group":
        code = {g: k for k, g in enumerate(_group_names(graph))}
        out: list[str | None] = []
        for m in graph.movements:
            known = [(n, code[g]) for g, n in m.groups if n is not None]
            if not known:
                out.append(_NO_GROUP)
                continue
            k = min(known, key=lambda nk: (-nk[0], nk[1]))[1]
            out.append(GROUP_PALETTE[k] if k < len(GROUP_PALETTE) else _NO_GROUP)
        return out
    classes = len(COUNT_RAMP)
    out = []
    for m in graph.movements:
        n = drawn_count(m)
        if n is None or vmax <= 0:
            out.append(None)
            continue
        out.append(COUNT_RAMP[min(classes - 1, int(classes * math.sqrt(max(n, 0) / vmax)))])
    return out


def colour_rows(graph: FlowGraph, color_by: ColorBy, *, vmax: float) -> list[tuple[str, str]]:
    """``(colour, text)`` rows of the colour legend (none for ``"kind"``).

    Examples
    --------
    >>> [t for _, t in colour_rows(FlowGraph(), "count", vmax=10000)][-1]
    '6,400 or more'
    """
    _check(color_by)
    if color_by == "group":
        names = _group_names(graph)
        rows = [(GROUP_PALETTE[k], g) for k, g in enumerate(names[: len(GROUP_PALETTE)])]
        rows.append((_NO_GROUP, "no group given, or more groups than colours"))
        return rows
    if color_by == "count":
        k = len(COUNT_RAMP)
        rows = []
        for i, colour in enumerate(COUNT_RAMP):
            lo, hi = vmax * (i / k) ** 2, vmax * ((i + 1) / k) ** 2
            rows.append((colour, f"{int(lo):,} – {int(hi):,}" if i < k - 1 else f"{int(lo):,} or more"))
        return rows
    return []


def colour_title(color_by: ColorBy, noun: str = "people") -> str | None:
    """The heading of the colour legend.

    Examples
    --------
    >>> colour_title("group"), colour_title("kind")
    ('Colour: largest group', None)
    """
    return {"group": "Colour: largest group", "count": f"Colour: {noun}"}.get(color_by)
