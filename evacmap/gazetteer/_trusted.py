"""The one fast constructor for values built from validated index rows.

:class:`~evacmap.model.Place`, :class:`~evacmap.model.Candidate` and
:class:`~evacmap.model.Match` validate their fields when made the usual way. The places
of an index layer and the answers of a batch are made from fields that were checked
when the layer was built, thousands at a time, so they skip that: about three times
faster. Use these only for such trusted fields.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from evacmap.model import Candidate, Match, Place

__all__ = ["slot_constructor", "trusted_candidate", "trusted_match", "trusted_place"]


def slot_constructor(cls: type[Any]) -> Callable[..., Any]:
    """A fast positional constructor for a frozen, slotted dataclass, without checks.

    It skips the generated ``__init__`` and ``__post_init__``; values follow the
    dataclass's field order.

    Examples
    --------
    >>> from evacmap.model import PlaceKind
    >>> make = slot_constructor(Place)
    >>> make("Homs", 34.7, 36.7, "SY", "", PlaceKind.CITY, None, None, None, (), False,
    ...      "", None, "x").name
    'Homs'
    """
    setters = [cls.__dict__[f.name].__set__ for f in dataclasses.fields(cls)]
    new = object.__new__

    def make(*values: Any) -> Any:
        obj = new(cls)
        for setter, value in zip(setters, values, strict=True):
            setter(obj, value)
        return obj

    return make


#: A :class:`Place` from an index row (fields in :class:`Place` order).
trusted_place: Callable[..., Place] = slot_constructor(Place)
#: A :class:`Candidate` of a batch: place, score, method, matched name.
trusted_candidate: Callable[..., Candidate] = slot_constructor(Candidate)
#: A :class:`Match` of a batch: query, best candidate, runners-up, note.
trusted_match: Callable[..., Match] = slot_constructor(Match)
