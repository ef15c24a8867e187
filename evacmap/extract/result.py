"""What extraction returns: place mentions, left-out figures, the result, and its JSON records.

Examples
--------
>>> PlaceMention("Idlib", 10, 15, "Idlib", "destination").place is None
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from evacmap.model import Evidence, Movement, Place

__all__ = ["Excluded", "Extraction", "PlaceMention", "to_record"]


@dataclass(frozen=True, slots=True)
class PlaceMention:
    """A place named in the article, with its span and what the gazetteer made of it.

    Parameters
    ----------
    text
        The words as written.
    start, end
        Character span in the article.
    query
        What the gazetteer was asked.
    role
        ``origin``, ``destination``, ``waypoint``, ``location``, ``qualifier`` or ``""``.
    place
        The resolved place, or None.
    score
        The gazetteer's confidence, when resolved.
    reason
        Why it is unresolved, or a note on the resolution (``""`` when none).
    fallbacks
        Queries tried after `query` when it is not found.
    """

    text: str
    start: int
    end: int
    query: str
    role: str
    place: Place | None = None
    score: float | None = None
    reason: str = ""
    fallbacks: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Excluded:
    """A figure that is not a movement of this event, and why."""

    text: str
    start: int
    end: int
    sentence: str
    reason: str


@dataclass(frozen=True, slots=True)
class Extraction:
    """What :func:`extract_movements` found in one article.

    Parameters
    ----------
    movements
        The movements, in article order.
    places
        Every place mention, resolved or not.
    excluded
        Figures left out, each with its reason.
    source
        The article's name.
    mentions
        For each movement, the mentions of its origin, destinations and waypoints
        (None for an origin that is unknown or unresolved).
    """

    movements: tuple[Movement, ...]
    places: tuple[PlaceMention, ...]
    excluded: tuple[Excluded, ...]
    source: str
    mentions: tuple[tuple[PlaceMention | None, tuple[PlaceMention, ...], tuple[PlaceMention, ...]], ...] = ()


def to_record(m: Movement, mentions: Any = None) -> dict[str, Any]:
    """A movement as the JSON object of ``evacmap extract`` (see the CLI docs).

    Examples
    --------
    >>> from evacmap.model import Place
    >>> to_record(Movement(Place("A", 1.0, 2.0), count=5))["origin"]
    {'name': 'A', 'lat': 1.0, 'lon': 2.0, 'id': 'point:1.00000,2.00000:a'}
    """
    def place(p: Place | None, mention: PlaceMention | None = None) -> dict[str, Any] | None:
        if p is None:
            return None
        out: dict[str, Any] = {"name": p.name, "lat": p.lat, "lon": p.lon, "id": p.id}
        if mention is not None:
            out["mention"] = {"text": mention.text, "start": mention.start, "end": mention.end}
        return out

    o_m, d_m, w_m = mentions if mentions is not None else (None, (), ())
    d_by = {x.place.id: x for x in d_m if x.place is not None}
    w_by = {x.place.id: x for x in w_m if x.place is not None}
    ev = m.evidence
    first = ev[0] if ev else None

    def evidence(e: Evidence) -> dict[str, Any]:
        return {"text": e.text, "start": e.start, "end": e.end, "source": e.location.source,
                "line": e.location.line, "parts": [list(p) for p in e.parts]}

    return {
        "id": m.id,
        "origin": place(m.origin, o_m),
        "destinations": [place(p, d_by.get(p.id)) for p in m.destinations],
        "count": m.count,
        "count_min": m.count_min,
        "count_max": m.count_max,
        "count_kind": m.count_kind.value,
        "unit": m.unit,
        "groups": dict(m.groups),
        "date": m.date_label or None,
        "stage": m.stage,
        "waypoints": [place(p, w_by.get(p.id)) for p in m.waypoints],
        "split_reported": m.split_reported,
        "evidence": evidence(first) if first is not None else None,
        "more_evidence": [evidence(e) for e in ev[1:]],
        "sources": list(m.sources),
        "confidence": m.confidence,
    }
