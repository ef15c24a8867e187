"""Helpers for testing and benchmarking code that uses evacmap.

Examples
--------
>>> g = random_flow_graph(20, seed=1)
>>> len(g), len(g.places) <= 10
(20, True)
"""

from __future__ import annotations

import random

from evacmap.flows import FlowGraph
from evacmap.model import Movement, Place

__all__ = ["random_flow_graph"]


def random_flow_graph(n: int, *, seed: int = 7) -> FlowGraph:
    """A reproducible graph of `n` single-destination flows between places in and around Syria.

    Parameters
    ----------
    n
        Number of movements.
    seed
        Seed of the random generator (the same seed gives the same graph).

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
        movements.append(Movement(o, (d,), count=rng.randint(10, 5000), id=f"m{i}"))
    return FlowGraph(movements)
