"""Ranked candidates turned into answers: a Match, or the error that explains why not.

:class:`AnswerBuilder` builds the :class:`~evacmap.model.Place` objects of the
candidates kept (the best and :data:`MAX_RUNNERS_UP` runners-up, or up to ten for an
ambiguous name), and says why a name has no answer: junk, nothing close (with
suggestions), too weak a match (with the candidates), or too close to call.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from evacmap.errors import AmbiguousPlaceError, GazetteerError, PlaceNotFoundError
from evacmap.gazetteer._batch import METHODS, Decision, Hits, Near, Query
from evacmap.gazetteer._candidates import CandidateFinder
from evacmap.gazetteer._lookup import IdLookup, label
from evacmap.gazetteer._plausible import short
from evacmap.gazetteer._trusted import trusted_candidate, trusted_match
from evacmap.model import Match

__all__ = ["MAX_RUNNERS_UP", "AnswerBuilder"]

#: Runners-up kept in a :class:`~evacmap.model.Match` (an ambiguity error lists up to 10).
MAX_RUNNERS_UP = 4
_MAX_AMBIGUOUS = 10


class AnswerBuilder:
    """Matches and errors from ranked candidates.

    Parameters
    ----------
    finder
        The candidate finder the hits came from (it builds their places).
    lookup
        Which copy of a place answers.
    """

    def __init__(self, finder: CandidateFinder, lookup: IdLookup) -> None:
        self.finder = finder
        self.lookup = lookup

    def build(
        self,
        queries: Sequence[Query],
        names: Sequence[str],
        hints: Sequence[str | None],
        hits: Hits,
        decision: Decision,
        *,
        limit: int | None = None,
    ) -> list[Match | GazetteerError]:
        """Turn ranked candidates into Matches and errors (Place objects built here)."""
        nq = len(names)
        counts = np.diff(decision.starts)
        if limit is not None:
            keep = np.full(nq, limit, dtype=np.int64)
        else:
            keep = np.where(decision.ambiguous, _MAX_AMBIGUOUS, 1 + MAX_RUNNERS_UP)
        rank = np.arange(len(decision.order)) - np.repeat(decision.starts[:-1], counts)
        flat = decision.order[rank < np.repeat(keep, counts)]
        offsets = np.concatenate([[0], np.cumsum(np.minimum(counts, keep))]).tolist()
        places = self.finder.places(hits, flat)
        matched = self.finder.matched_names(hits, flat, places)
        methods = [METHODS[m] for m in hits.method[flat].tolist()]
        scores = np.round(decision.score[flat], 4).tolist()
        cands = list(map(trusted_candidate, places, scores, methods, matched))
        ambiguous = decision.ambiguous.tolist()
        out: list[Match | GazetteerError] = []
        for i, name in enumerate(names):
            a, b = offsets[i], offsets[i + 1]
            if queries[i].junk:
                out.append(
                    PlaceNotFoundError(
                        short(name),
                        country=hints[i],
                        hint=f"{queries[i].junk}: not a plausible place name",
                    )
                )
            elif a == b:
                labels = self.suggestions(decision.near.get(i, []), country=hints[i])
                out.append(PlaceNotFoundError(name, labels, country=hints[i]))
            elif limit is None and decision.weak[i]:
                # Too weak to answer with: say so, and offer the candidates.
                labels = list(dict.fromkeys(label(c.place) for c in cands[a:b]))[:5]
                out.append(PlaceNotFoundError(name, labels, country=hints[i]))
            elif ambiguous[i]:
                out.append(AmbiguousPlaceError(name, cands[a:b]))
            else:
                best = cands[a]
                hint = (hints[i] or "").upper()
                note = ""
                if hint and best.place.country and best.place.country != hint:
                    note = (
                        f"outside the hinted country {hint}: {best.place.name} is in "
                        f"{best.place.country} (an exact name match)"
                    )
                out.append(trusted_match(name, best, tuple(cands[a + 1 : b]), note))
        return out

    def suggestions(
        self, near: Sequence[Near], *, country: str | None, limit: int = 5
    ) -> list[str]:
        """Labels ("Name (CC)") of the places behind the closest keys, best first."""
        found: dict[str, float] = {}
        for n in sorted(near, key=lambda n: -n.score):
            for p in map(self.lookup.upper, self.finder.places_keyed(n.layer, n.key)):
                if country and p.country != country.upper():
                    continue
                text = label(p)
                found[text] = max(found.get(text, 0.0), n.score)
        return [k for k, _ in sorted(found.items(), key=lambda kv: -kv[1])[:limit]]
