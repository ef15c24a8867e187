"""The arrays a batch of names flows through: parsed names, candidate pairs, decisions.

One name is a batch of one. :class:`Query` is a name taken apart; :class:`Hits` holds
the (name, place) candidate pairs as parallel arrays; :class:`Decision` holds each
name's ranked candidates; :class:`Near` is a key close to a name nothing matched.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

__all__ = ["METHODS", "Decision", "Hits", "Near", "Query", "empty_hits"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: How a name matched, by the code in :attr:`Hits.method`.
METHODS = ("exact", "skeleton", "fuzzy")


class Query(NamedTuple):
    """A name taken apart: the place name, its keys, cues and kind hints."""

    text: str
    key: str
    core: str
    kinds: tuple[str, ...]
    cue_country: str | None
    cue_admin: str | None
    #: Why the text is not a plausible place name ("" when it is); such a query is
    #: never looked up.
    junk: str = ""


@dataclass(frozen=True)
class Near:
    """A gazetteer key close to an unknown name: material for a suggestion."""

    layer: int
    key: str
    score: float


@dataclass
class Hits:
    """(name, place) candidate pairs as parallel arrays, one entry per pair."""

    q: IntArray
    layer: IntArray
    row: IntArray
    name_layer: IntArray
    name_id: IntArray
    method: IntArray
    name: FloatArray
    lat: FloatArray = field(default_factory=lambda: np.zeros(0))
    lon: FloatArray = field(default_factory=lambda: np.zeros(0))
    country: npt.NDArray[np.str_] = field(default_factory=lambda: np.zeros(0, dtype="<U2"))
    kind: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    population: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    #: A skeleton or fuzzy match outside the hinted country: a candidate, never chosen.
    abroad: BoolArray = field(default_factory=lambda: np.zeros(0, dtype=bool))

    def __len__(self) -> int:
        return len(self.q)

    def take(self, idx: IntArray | BoolArray) -> Hits:
        n = len(self.q)
        return Hits(**{k: (v[idx] if len(v) == n else v) for k, v in self.__dict__.items()})

    @classmethod
    def concat(cls, parts: Sequence[Hits]) -> Hits:
        if not parts:
            return empty_hits()
        return cls(**{k: np.concatenate([getattr(p, k) for p in parts]) for k in parts[0].__dict__})

    @property
    def code(self) -> IntArray:
        """One integer per place: layer and row."""
        return (self.layer << 40) | self.row


def empty_hits() -> Hits:
    z = np.zeros(0, dtype=np.int64)
    return Hits(z, z, z, z, z, z, np.zeros(0))


@dataclass
class Decision:
    """The ranked candidates of every name in a batch."""

    order: IntArray  # hit indices sorted by name, then best first
    starts: IntArray  # where each name's candidates begin in `order` (len = names + 1)
    ambiguous: BoolArray  # per name
    score: FloatArray  # per hit
    weak: BoolArray  # per name: the best candidate has too little support to answer
    near: dict[int, list[Near]] = field(default_factory=dict)  # unknown names: close keys

    def ranked(self, q: int) -> IntArray:
        return self.order[self.starts[q] : self.starts[q + 1]]
