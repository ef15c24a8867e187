"""Cuts of a map's flows (``top_n``, ``min_count``) that say what they leave out.

A map of the largest flows is easier to read, but a cut must never hide people
silently: :func:`cut_flows` returns the movements kept and a :class:`LeftOut` with
how many movements, and how many people by count kind, were left out. The map prints
it ("and 93,412 smaller flows, 210,554 people, not drawn").

Examples
--------
>>> from evacmap.flows import FlowGraph
>>> from evacmap.model import Movement, Place
>>> a, b = Place("A", 34.0, 36.0, id="a"), Place("B", 35.0, 37.0, id="b")
>>> g = FlowGraph([Movement(a, (b,), count=300), Movement(b, (a,), count=5), Movement(a, (b,), count=7)])
>>> kept, left = cut_flows(g, top_n=1)
>>> len(kept), left.movements, left.moved
(1, 2, 12)
>>> left.note("people")
'and 2 smaller flows (12 people) not drawn'
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from evacmap.errors import InputError, RenderError
from evacmap.flows import FlowGraph
from evacmap.render.pack import KIND_CODES, drawn_figures

__all__ = ["LeftOut", "cut_flows"]


@dataclass(frozen=True)
class LeftOut:
    """What a cut left out: movements, and their figures by kind (never added together)."""

    movements: int = 0
    moved: int = 0
    planned: int = 0
    cumulative: int = 0
    unknown: int = 0

    def note(self, noun: str = "people") -> str | None:
        """One line saying what is not drawn, or None when nothing was cut.

        Examples
        --------
        >>> LeftOut().note() is None
        True
        >>> LeftOut(movements=3, moved=10, planned=5, unknown=1).note()
        'and 3 smaller flows (10 people; 5 planned, not added; 1 with no count) not drawn'
        """
        if not self.movements:
            return None
        parts = [f"{self.moved:,} {noun}"]
        if self.planned:
            parts.append(f"{self.planned:,} planned, not added")
        if self.cumulative:
            parts.append(f"{self.cumulative:,} in cumulative totals, not added")
        if self.unknown:
            parts.append(f"{self.unknown:,} with no count")
        plural = "flows" if self.movements != 1 else "flow"
        return f"and {self.movements:,} smaller {plural} ({'; '.join(parts)}) not drawn"


def _check(name: str, value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or int(value) < 0:
        raise InputError(
            f"`{name}` must be a whole number of at least 0, got {value!r} ({type(value).__name__})",
            hint=f"e.g. {name}=1000",
        )


def cut_flows(
    graph: FlowGraph, *, top_n: int | None = None, min_count: int | None = None
) -> tuple[FlowGraph, LeftOut]:
    """The movements of `graph` with the largest figures, and what the cut left out.

    Parameters
    ----------
    graph
        The movements.
    top_n
        Keep at most this many movements, the largest first (ties: the earlier one).
    min_count
        Keep only movements whose drawn figure (moved, else planned, else cumulative)
        is at least this; movements with no count are then left out too.

    Returns
    -------
    (FlowGraph, LeftOut)
        The movements kept (in their order), and the rest summed per count kind.

    Raises
    ------
    InputError
        When `top_n` or `min_count` is not a whole number of at least 0.
    RenderError
        When the cut leaves none of the graph's movements.

    Examples
    --------
    >>> cut_flows(FlowGraph(), min_count=5)[1]
    LeftOut(movements=0, moved=0, planned=0, cumulative=0, unknown=0)
    """
    _check("top_n", top_n)
    _check("min_count", min_count)
    t = graph.tables
    n = len(t.movements)
    if (top_n is None and min_count is None) or n == 0:
        return graph, LeftOut()
    value, kind, unknown = drawn_figures(t)
    keep = np.ones(n, dtype=bool)
    if min_count is not None:
        keep &= ~unknown & (value >= int(min_count))
    if top_n is not None and int(keep.sum()) > int(top_n):
        ranked = np.lexsort((np.arange(n), -np.where(unknown, -1, value)))
        ranked = ranked[keep[ranked]]
        keep = np.zeros(n, dtype=bool)
        keep[ranked[: int(top_n)]] = True
    if keep.all():
        return graph, LeftOut()
    if not keep.any():
        raise RenderError("the cut left no movement to draw", hint="lower `min_count` or raise `top_n`")
    out = ~keep
    known = out & ~unknown
    moved = known & (kind <= KIND_CODES["estimated"])
    left = LeftOut(
        movements=int(out.sum()),
        moved=int(value[moved].sum()),
        planned=int(value[known & (kind == KIND_CODES["planned"])].sum()),
        cumulative=int(value[known & (kind == KIND_CODES["cumulative"])].sum()),
        unknown=int((out & unknown).sum()),
    )
    kept = FlowGraph(t.take(keep), rejected=graph.rejected, title=graph.title)
    return kept, left
