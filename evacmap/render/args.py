"""Checks of the arguments every drawing takes (web map and picture alike)."""

from __future__ import annotations

from evacmap.errors import InputError, RenderError
from evacmap.flows import FlowGraph

__all__ = ["check_drawing"]


def check_drawing(graph: object, *, bend: object, noun: object, title: object, what: str) -> None:
    """Refuse a drawing of `graph` with arguments that make no sense, saying how to fix them.

    `what` names the drawing in the messages ("map", "picture").

    Examples
    --------
    >>> try:
    ...     check_drawing(FlowGraph(), bend=0.18, noun="people", title=None, what="map")
    ... except RenderError as err:
    ...     print(str(err).split(".")[0])
    cannot draw a map of an empty FlowGraph: it has no movements
    """
    if not isinstance(graph, FlowGraph):
        raise InputError(
            f"`graph` must be a FlowGraph, got {type(graph).__name__}",
            hint="build one with FlowGraph(movements)",
        )
    if len(graph) == 0:
        raise RenderError(
            f"cannot draw a {what} of an empty FlowGraph: it has no movements",
            hint="add at least one Movement, e.g. FlowGraph([Movement(origin, (destination,), "
            "count=450)]), or check why the reader rejected every row (graph.rejected)",
        )
    if isinstance(bend, bool) or not isinstance(bend, (int, float)) or not -1 <= bend <= 1:
        raise InputError(
            f"`bend` must be a number between -1 and 1, got {bend!r} ({type(bend).__name__})",
            hint="0 draws straight lines; 0.18 is the default curve",
        )
    if not isinstance(noun, str) or not noun.strip():
        raise InputError(
            f"`noun` must be a non-empty string, got {noun!r}",
            hint="the word for who moved, e.g. noun='people' or noun='families'",
        )
    if title is not None and not isinstance(title, str):
        raise InputError(
            f"`title` must be a string or None, got {type(title).__name__}",
            hint="e.g. title='al-Waer, 2017'",
        )
