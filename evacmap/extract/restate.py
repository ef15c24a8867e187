"""One movement told twice in one article: the headline, the lead and the body.

News stories state their main figure more than once ("Some 450 people left al-Waer on
Saturday … The 450 evacuees, including 193 fighters, boarded buses"). The flow core
never merges two movements of one report (one report may name two convoys of the same
size), so the extractor must: a later figure that restates an earlier one is folded
into it, adding what it says that the first did not (destinations, groups, date,
stage) and its sentence to the evidence.

A later figure restates an earlier one when the two agree on everything they both
state — the same figure and bounds (or a vague plural and a figure it covers: "hundreds
leave al-Waer" and "450 people left"; or a bound and the figure it rounds: "more than
43,000" and "43,059"; the figure is kept), unit and kind (an exact "450"
restates "some 450"; a headline's plain "56,000 flee" restates the running total
"56,000 have crossed since …", which stays cumulative),
origin, destinations (one may name more), date and stage — and nothing marks the later
one as new: "another 450", "450 more", "a further 450", "a second group of 450".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from evacmap.extract.lexicon import words as _w
from evacmap.model import CountKind

if TYPE_CHECKING:
    from evacmap.extract.core import _Draft
    from evacmap.extract.discourse import Sentence
    from evacmap.extract.result import PlaceMention

__all__ = ["merge_restatements"]

#: Words before a figure that make it a new movement, not the one told before.
_NEW_BEFORE = _w("another further additional other more second third fourth fifth next new latest extra")
#: Words right after a figure that do the same ("450 more", "450 others").
_NEW_AFTER = _w("more others other additional")
_HAPPENED = {CountKind.REPORTED, CountKind.ESTIMATED}
_VAGUE = _w("dozens scores hundreds thousands millions tens")


def _place_id(m: PlaceMention | None) -> str | None:
    return m.place.id if m is not None and m.place is not None else None


def _marked_new(d: _Draft, sents: Sequence[Sentence]) -> bool:
    """Whether the words around the draft's figure say it is a new movement."""
    s = sents[d.sentence]
    span = next(((a, b) for k, a, b in d.evidence[0].parts if k == "count"), None)
    if span is None:
        return False
    at = next((i for i, (a, _) in enumerate(s.tokens) if a == span[0]), None)
    if at is None:
        return False
    after = next((i for i, (_, b) in enumerate(s.tokens) if b == span[1]), at)
    return not _NEW_BEFORE.isdisjoint(s.words[max(0, at - 4) : at]) or not _NEW_AFTER.isdisjoint(
        s.words[after + 1 : after + 2])


def _vague(d: _Draft) -> bool:
    """Whether the draft's figure is a vague plural ("hundreds", "thousands of")."""
    if d.count is not None or d.low is None or d.high is not None:
        return False
    ev = d.evidence[0]
    span = next(((a, b) for k, a, b in ev.parts if k == "count"), None)
    if span is None or ev.start is None:
        return False
    words = ev.text[span[0] - ev.start : span[1] - ev.start].lower().split()
    return not _VAGUE.isdisjoint(words)


def _same_figure(first: _Draft, later: _Draft) -> bool:
    """The same figure, or a vague one ("thousands") and a figure it rounds ("3,000")."""
    if (first.count, first.low, first.high) == (later.count, later.low, later.high):
        return first.count is not None or first.low is not None or first.high is not None
    for vague, exact in ((first, later), (later, first)):
        if exact.count is None or vague.low is None or vague.count is not None or vague.high is not None:
            continue
        if _vague(vague) and vague.low <= exact.count < 5 * vague.low and exact.kind in _HAPPENED:
            return True
        if not _vague(vague) and vague.low <= exact.count <= 1.1 * vague.low:
            return True  # "more than 43,000 … an estimated 43,059": the bound and the figure it rounds
    return False


def _total_restated(first: _Draft, later: _Draft) -> bool:
    """Whether one is a running total and the other the same figure told plainly.

    "56,000 flee Sudan into Egypt" (the headline) and "more than 56,000 people have
    crossed … since fighting erupted": the very same figure and bounds.
    """
    kinds = {first.kind, later.kind}
    return CountKind.CUMULATIVE in kinds and len(kinds - _HAPPENED) == 1 and (
        (first.count, first.low, first.high) == (later.count, later.low, later.high))


def _agree(first: _Draft, later: _Draft) -> bool:
    if not _same_figure(first, later):
        return False
    if first.unit != later.unit:
        return False
    if first.kind != later.kind and not {first.kind, later.kind} <= _HAPPENED and not _total_restated(first, later):
        return False
    o1 = None if first.origin_needed else _place_id(first.origin)
    o2 = None if later.origin_needed else _place_id(later.origin)
    if o1 is not None and o2 is not None and o1 != o2:
        return False
    d1 = {_place_id(m) for m in first.destinations} - {None}
    d2 = {_place_id(m) for m in later.destinations} - {None}
    if d1 and d2 and not (d1 <= d2 or d2 <= d1):
        return False
    both_totals = first.kind is CountKind.CUMULATIVE and later.kind is CountKind.CUMULATIVE
    if first.date and later.date and first.date != later.date and not both_totals:
        return False  # a running total's date is when it was counted, or since when: not a second event
    return not (first.stage and later.stage and first.stage != later.stage)


def _fold(first: _Draft, later: _Draft) -> None:
    """Give `first` what `later` adds."""
    if _vague(later) and first.count is not None:
        # "… about 4,500 people left Khan al-Shih … Idlib has received thousands of evacuees":
        # the vague figure is the same people told loosely; its places say no more of them
        first.evidence.extend(later.evidence)
        return
    if (first.origin is None or first.origin_needed) and later.origin is not None and not later.origin_needed:
        first.origin, first.origin_needed = later.origin, False
    elif first.origin is None:
        first.origin, first.origin_needed = later.origin, later.origin_needed
    if len(later.destinations) > len(first.destinations):
        first.destinations = list(later.destinations)
    if not first.waypoints:
        first.waypoints = list(later.waypoints)
    have = {g for g, _ in first.groups}
    first.groups.extend(g for g in later.groups if g[0] not in have)
    if later.kind is CountKind.CUMULATIVE:
        first.kind = CountKind.CUMULATIVE  # the figure is a running total, whichever sentence said so
    first.date = first.date or later.date
    first.stage = first.stage or later.stage
    evidence = later.evidence
    if first.count is None and later.count is not None and first.low is not None:
        # "Thousands leave Aleppo … about 3,000 people had been evacuated": the figure stated,
        # and the sentence stating it first in the evidence
        first.count, first.low, first.high, first.kind = later.count, later.low, later.high, later.kind
        first.evidence.insert(0, later.evidence[0])
        evidence = later.evidence[1:]
    first.evidence.extend(evidence)
    first.confidence = max(first.confidence, later.confidence)
    first.unresolved_end = first.unresolved_end and later.unresolved_end


def merge_restatements(drafts: list[_Draft], sents: Sequence[Sentence]) -> list[_Draft]:
    """The drafts with each restated movement kept once (see the module's docstring)."""
    kept: list[_Draft] = []
    for d in drafts:
        if not _marked_new(d, sents):
            first = next((k for k in kept if k.sentence != d.sentence and _agree(k, d)), None)
            if first is not None:
                _fold(first, d)
                continue
        kept.append(d)
    return kept
