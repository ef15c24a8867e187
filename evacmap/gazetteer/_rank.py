"""Scores and decisions for many names at once, as numpy arrays.

:class:`Ranker` is the engine behind :class:`~evacmap.gazetteer.core.Gazetteer`. It
works on a batch of parsed names (one name is a batch of one), so that a 10,000-row
table costs a handful of binary searches and array operations rather than 10,000 Python
loops over Place objects:

1. :class:`~evacmap.gazetteer._candidates.CandidateFinder` gives every (name, place)
   pair whose keys match, tier by tier.
2. :meth:`Ranker.score` rates each pair on the signals, in the issue's order of
   authority: an explicit cue filters; then a country hint, the batch context
   (countries of, and distance to, places already resolved), the kind of place, the
   quality of the name match, and population as a tie-breaker.
3. :meth:`Ranker.decide` picks the best place per name, or flags the name as ambiguous
   when a far-away place scores within :data:`AMBIGUITY_MARGIN` of it.

:meth:`Ranker.rank` runs the three steps, and with batch context a second pass in
which the names that resolved on their own are context for the others.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from evacmap.gazetteer._batch import Decision, FloatArray, Hits, IntArray, Query
from evacmap.gazetteer._candidates import CandidateFinder, split_key
from evacmap.gazetteer._geo import Anchors, haversine_km, nearest_anchor_km, proximity
from evacmap.gazetteer._index import KINDS
from evacmap.gazetteer.normalize import name_key
from evacmap.model import PlaceKind

if TYPE_CHECKING:
    from evacmap.gazetteer.sources import Countries

__all__ = ["AMBIGUITY_MARGIN", "MIN_SCORE", "SAME_PLACE_KM", "WEIGHTS", "Ranker"]

#: Weights of the ranking signals (they sum to 1). Country evidence and the batch
#: context outweigh the kind of place, which outweighs the small differences in match
#: quality between exact matches, and population comes last.
WEIGHTS = {"name": 0.35, "country": 0.25, "proximity": 0.20, "kind": 0.10, "prominence": 0.10}
#: Two candidates closer than this in score, and farther apart than
#: :data:`SAME_PLACE_KM`, make a name ambiguous. With nothing else to go on, a place
#: must be about 12 times as populous as a namesake to win on population alone.
AMBIGUITY_MARGIN = 0.015
#: A tie is settled for the contender whose main name the query spells (rapidfuzz ratio of
#: the keys at least this), when no other contender's main name is near it (at most that).
OWN_NAME_RATIO = 85
OTHER_NAME_RATIO = 40
#: Candidates within this distance are treated as the same place for ambiguity.
SAME_PLACE_KM = 25.0
#: Below this support the best candidate is too weak to be an answer: a fuzzy match with
#: nothing else for it, or a small place on another continent than the country hint
#: says. Such names are reported as not found, with the candidates as suggestions.
MIN_SCORE = 0.6
#: Prominence of a place whose population is unknown (about that of 5,000 people).
UNKNOWN_PROMINENCE = 0.5
#: ... unless it is a village: villages are small by definition (GeoNames' kind rule puts
#: them under 1,000 people), so an unknown one counts as about 300 people and does not
#: draw level with a town of the same name.
UNKNOWN_VILLAGE_PROMINENCE = 0.35

_KIND_PRIOR = {
    PlaceKind.CITY: 1.0,
    PlaceKind.TOWN: 0.9,
    PlaceKind.COUNTRY: 0.8,
    PlaceKind.GOVERNORATE: 0.75,
    PlaceKind.NEIGHBOURHOOD: 0.75,
    PlaceKind.DISTRICT: 0.7,
    PlaceKind.REGION: 0.7,
    PlaceKind.CAMP: 0.7,
    PlaceKind.CROSSING: 0.7,
    PlaceKind.VILLAGE: 0.6,
    PlaceKind.POINT: 0.5,
}
_KIND_PRIOR_BY_CODE = np.array([_KIND_PRIOR.get(k, 0.5) for k in KINDS], dtype=np.float64)
_VILLAGE_CODE = KINDS.index(PlaceKind.VILLAGE)
_COUNTRY_CODE = KINDS.index(PlaceKind.COUNTRY)
_AREA_CODES = np.array([KINDS.index(PlaceKind.GOVERNORATE), KINDS.index(PlaceKind.REGION)])


class Ranker:
    """Scoring and decisions over the candidates of a :class:`CandidateFinder`.

    Parameters
    ----------
    finder
        Candidate generation over the gazetteer's layers.
    countries
        Country names, neighbours and continents.
    """

    def __init__(self, finder: CandidateFinder, countries: Countries) -> None:
        self.finder = finder
        self.countries = countries
        self._affinity: dict[tuple[str, str], float] = {}
        known = set(countries.names)
        for layer in finder.layers:
            held = layer.held_places
            if held is not None:
                known.update(p.country for p in held if p.country)
        self._code_names = sorted(known)
        self._codes = {c: i for i, c in enumerate(self._code_names)}
        self._columns: dict[int, FloatArray] = {}

    def rank(
        self,
        queries: Sequence[Query],
        hints: Sequence[str | None],
        anchors: Anchors,
        *,
        context: bool,
        fuzzy: bool = True,
    ) -> tuple[Hits, Decision]:
        """Candidates, scores and decisions for a batch of parsed names.

        `fuzzy` also tries the fuzzy tier for names no key matches. With `context`, names that resolve on their own become anchors for a second
        pass, in which every name with more than one candidate is decided again; the
        contenders of names that are still ambiguous are weak anchors (distance only).
        Last, a tie is settled for the contender whose own name the query spells
        (:meth:`settle_by_own_name`).
        """
        found, near = self.finder.candidates(queries, hints=hints, fuzzy=fuzzy)
        hits, score, support = self.score(queries, found, hints, anchors)
        decision = self.decide(len(queries), hits, score, support)
        if context:
            decision = self._again_in_context(queries, hints, anchors, hits, score, support, decision)
        decision.near = near
        return hits, self.settle_by_own_name(queries, hits, decision)

    def _again_in_context(
        self,
        queries: Sequence[Query],
        hints: Sequence[str | None],
        anchors: Anchors,
        hits: Hits,
        score: FloatArray,
        support: FloatArray,
        decision: Decision,
    ) -> Decision:
        """The second pass of :meth:`rank`: names decided again beside those resolved alone."""
        counts = np.diff(decision.starts)
        confident = np.flatnonzero((counts > 0) & ~decision.ambiguous)
        best = decision.order[decision.starts[confident]]
        learned = Anchors.of(hits.lat[best], hits.lon[best], hits.country[best], confident)
        # Names still ambiguous lend their contenders as weak context: of two ambiguous
        # names, the candidates near each other support each other.
        open_ = self.contenders(hits, decision)
        if len(open_):
            learned = learned + Anchors.of(
                hits.lat[open_],
                hits.lon[open_],
                hits.country[open_],
                hits.q[open_],
                strong=False,
            )
        # Only names with a choice to make are scored again: a name with one candidate
        # keeps its answer and its score.
        several = np.flatnonzero((counts > 1)[hits.q])
        if not len(learned) or not len(several):
            return decision
        _, again, again_support = self.score(
            queries, hits.take(several), hints, anchors + learned
        )
        score, support = score.copy(), support.copy()
        score[several], support[several] = again, again_support
        return self.decide(len(queries), hits, score, support)

    def settle_by_own_name(self, queries: Sequence[Query], hits: Hits, decision: Decision) -> Decision:
        """Of a name's tied contenders, the one whose own name it is, when only one is.

        "Sloviansk" is an alternate name of both Slovyansk and (in GeoNames) Nikopol, at
        the same score: the city whose main name it spells wins. Two places with the
        same main name stay ambiguous. Only the few ambiguous names are looked at.
        """
        from rapidfuzz import fuzz

        for qi in np.flatnonzero(decision.ambiguous).tolist():
            ranked = decision.ranked(qi)
            close = ranked[decision.score[ranked] > decision.score[ranked[0]] - AMBIGUITY_MARGIN]
            if len(close) < 2:
                continue
            own = name_key(queries[qi].core or queries[qi].text)
            places = self.finder.places(hits, close.tolist())
            sims = [fuzz.ratio(own, name_key(p.name)) for p in places]
            best = int(np.argmax(sims))
            if sims[best] >= OWN_NAME_RATIO and all(x <= OTHER_NAME_RATIO for i, x in enumerate(sims) if i != best):
                start = decision.starts[qi]
                pick = close[best]
                rest = [h for h in ranked.tolist() if h != pick]
                decision.order[start : decision.starts[qi + 1]] = [pick, *rest]
                decision.ambiguous[qi] = False
        return decision

    # -- scoring ---------------------------------------------------------------------
    def affinity(self, candidate: str, hint: str) -> float:
        """How well a candidate's country fits a country (cached)."""
        key = (candidate, hint)
        value = self._affinity.get(key)
        if value is None:
            value = self._affinity[key] = self.countries.affinity(candidate, hint)
        return value

    def _code_index(self, codes: npt.NDArray[np.str_]) -> IntArray:
        """Positions of country codes in the affinity table (unknown codes: the last)."""
        uniq, inv = np.unique(codes, return_inverse=True)
        table = self._codes
        idx = np.array([table.get(c, len(table)) for c in uniq.tolist()], dtype=np.int64)
        return idx[inv.ravel()]

    def _affinity_column(self, hint: int) -> FloatArray:
        """Affinity of every known country to one country (computed once)."""
        col = self._columns.get(hint)
        if col is None:
            names = self._code_names
            h = names[hint] if hint < len(names) else ""
            col = np.array([self.affinity(c, h) if h else 0.0 for c in names] + [0.0])
            self._columns[hint] = col
        return col

    def _pair_affinity(self, cand: npt.NDArray[np.str_], hint: npt.NDArray[np.str_]) -> FloatArray:
        """Element-wise affinity of candidate countries to hinted countries."""
        ci, hi = self._code_index(cand), self._code_index(hint)
        out = np.empty(len(ci))
        for h in np.unique(hi).tolist():
            m = hi == h
            out[m] = self._affinity_column(h)[ci[m]]
        return out

    def score(
        self,
        queries: Sequence[Query],
        hits: Hits,
        hints: Sequence[str | None],
        anchors: Anchors,
    ) -> tuple[Hits, FloatArray, FloatArray]:
        """Apply cue filters and score every candidate (higher is better).

        Returns the filtered candidates, their scores, and their *support*: the score
        with batch context counted only where it helps (a document about other places
        does not make a match weak; a country hint does count, both ways). A name
        whose best candidate has less support than :data:`MIN_SCORE` is not answered.
        """
        hits = self._apply_cues(queries, hits)
        n = len(hits)
        if n == 0:
            return hits, np.zeros(0), np.zeros(0)
        q_hint = np.array(
            [(q.cue_country or h or "").upper() for q, h in zip(queries, hints, strict=True)],
            dtype="<U2",
        )
        hint = q_hint[hits.q]
        country = np.full(n, 0.5)
        has_hint = hint != ""
        outside = has_hint & (hits.country != hint)
        # Outside the hinted country, a skeleton or fuzzy match is only a candidate; so is
        # an exact namesake when the name has a candidate at home. Only an exact match
        # abroad with nothing at home may answer (and its note says it is abroad).
        home = np.zeros(len(queries), dtype=bool)
        home[hits.q[has_hint & ~outside]] = True
        # A country named exactly is that country wherever the story is: stories name
        # the countries people fled to ("Russia" in a Ukrainian story is not the
        # Ukrainian village that also bears the name).
        # (A state of the same name at home, as Georgia in a US story, still wins.)
        home_area = np.zeros(len(queries), dtype=bool)
        home_area[hits.q[has_hint & ~outside & np.isin(hits.kind, _AREA_CODES)]] = True
        named_country = (hits.kind == _COUNTRY_CODE) & (hits.method == 0) & ~home_area[hits.q]
        hits.abroad = outside & ((hits.method != 0) | home[hits.q]) & ~named_country
        if has_hint.any():
            country[has_hint] = self._pair_affinity(hits.country[has_hint], hint[has_hint])
            country[has_hint & named_country] = 1.0
        no_hint = ~has_hint
        if no_hint.any() and len(anchors):
            country[no_hint] = self._context_affinity(hits.take(no_hint), anchors)
        prox = np.full(n, 0.5)
        if len(anchors):
            d = nearest_anchor_km(hits.lat, hits.lon, hits.q, anchors)
            ok = np.isfinite(d)
            prox[ok] = proximity(d[ok])
        kind = _KIND_PRIOR_BY_CODE[hits.kind]
        kinded = [qi for qi, q in enumerate(queries) if q.kinds]
        if kinded:
            values = np.array([k.value for k in KINDS])
            for qi in kinded:
                m = hits.q == qi
                if m.any():
                    wanted = queries[qi].kinds
                    kv = values[hits.kind[m]]
                    kind[m] = np.where(
                        kv == wanted[0], 1.0, np.where(np.isin(kv, wanted), 0.9, 0.3)
                    )
                    # "Jordan Valley", "the Lebanon border": a part of a country, never the country
                    if PlaceKind.COUNTRY.value not in wanted:
                        kind[m] = np.where(kv == PlaceKind.COUNTRY.value, -5.0, kind[m])
        pop = hits.population
        unknown = np.where(hits.kind == _VILLAGE_CODE, UNKNOWN_VILLAGE_PROMINENCE, UNKNOWN_PROMINENCE)
        prom = np.where(
            pop > 0,
            np.minimum(1.0, np.log10(np.maximum(pop, 0) + 1.0) / 7.0),
            unknown,
        )
        own = WEIGHTS["name"] * hits.name + WEIGHTS["kind"] * kind + WEIGHTS["prominence"] * prom
        score = own + WEIGHTS["country"] * country + WEIGHTS["proximity"] * prox
        support = (
            own
            + WEIGHTS["country"] * np.where(has_hint, country, np.maximum(country, 0.5))
            + WEIGHTS["proximity"] * np.maximum(prox, 0.5)
        )
        return hits, score, support

    def _context_affinity(self, hits: Hits, anchors: Anchors) -> FloatArray:
        """Mean affinity of each candidate's country to the anchors' countries.

        A name's own answer from an earlier pass is left out of its context.
        """
        has_cc = (anchors.country != "") & anchors.strong
        acc, asrc = anchors.country[has_cc], anchors.source[has_cc]
        if not len(acc):
            return np.full(len(hits), 0.5)
        ci = self._code_index(hits.country)
        a_idx, a_count = np.unique(self._code_index(acc), return_counts=True)
        total = np.zeros(len(hits))
        for a, k in zip(a_idx.tolist(), a_count.tolist(), strict=True):
            total += k * self._affinity_column(a)[ci]
        n = np.full(len(hits), float(len(acc)))
        # Leave out the name's own answer where it is among the anchors.
        own = asrc >= 0
        if own.any():
            size = int(max(int(hits.q.max()), int(asrc.max()))) + 1
            own_cc = np.full(size, "", dtype="<U2")
            own_cc[asrc[own]] = acc[own]
            oc = own_cc[hits.q]
            has_own = oc != ""
            if has_own.any():
                total[has_own] -= self._pair_affinity(hits.country[has_own], oc[has_own])
                n[has_own] -= 1
        out = np.full(len(hits), 0.5)
        ok = n > 0
        out[ok] = total[ok] / n[ok]
        return out

    def _apply_cues(self, queries: Sequence[Query], hits: Hits) -> Hits:
        """Keep candidates matching a cue: "Homs, Syria" keeps Syrian ones."""
        cued = [i for i, q in enumerate(queries) if q.cue_country or q.cue_admin]
        if not cued or not len(hits):
            return hits
        keep = np.ones(len(hits), dtype=bool)
        for qi in cued:
            q = queries[qi]
            idx = np.flatnonzero(hits.q == qi)
            if not len(idx):
                continue
            mine = idx
            if q.cue_country:
                same = mine[hits.country[mine] == q.cue_country]
                if len(same):
                    keep[np.setdiff1d(mine, same)] = False
                    mine = same
            if q.cue_admin:
                places = self.finder.places(hits, mine.tolist())
                inside = [
                    i
                    for i, p in zip(mine.tolist(), places, strict=True)
                    if q.cue_admin in (split_key(p.admin1), name_key(p.admin1))
                ]
                if inside:
                    keep[np.setdiff1d(mine, np.array(inside))] = False
        return hits.take(keep)

    # -- decisions -------------------------------------------------------------------
    def decide(
        self, n_queries: int, hits: Hits, score: FloatArray, support: FloatArray
    ) -> Decision:
        """Rank each name's candidates; flag names that stay ambiguous or are weak."""
        abroad = hits.abroad if len(hits.abroad) == len(hits) else np.zeros(len(hits), dtype=bool)
        order = np.lexsort((hits.code, -score, abroad, hits.q))
        counts = np.bincount(hits.q, minlength=n_queries)
        starts = np.zeros(n_queries + 1, dtype=np.int64)
        np.cumsum(counts, out=starts[1:])
        ambiguous = np.zeros(n_queries, dtype=bool)
        weak = np.zeros(n_queries, dtype=bool)
        answered = np.flatnonzero(counts > 0)
        if len(answered):
            first = order[starts[answered]]
            weak[answered] = (support[first] < MIN_SCORE) | abroad[first]
        if len(order):
            sq = hits.q[order]
            best = order[starts[sq]]
            gap = score[best] - score[order]
            near = (gap < AMBIGUITY_MARGIN) & ~abroad[order]
            near[starts[:-1][counts > 0]] = False  # the best itself
            cand = np.flatnonzero(near)
            if len(cand):
                far = (
                    haversine_km(
                        hits.lat[best[cand]],
                        hits.lon[best[cand]],
                        hits.lat[order[cand]],
                        hits.lon[order[cand]],
                    )
                    > SAME_PLACE_KM
                )
                ambiguous[np.unique(sq[cand[far]])] = True
        return Decision(order, starts, ambiguous, score, weak)

    @staticmethod
    def contenders(hits: Hits, decision: Decision) -> IntArray:
        """Hit indices of the candidates still in the running for ambiguous names."""
        out: list[IntArray] = []
        for qi in np.flatnonzero(decision.ambiguous).tolist():
            ranked = decision.ranked(qi)
            sc = decision.score[ranked]
            out.append(ranked[sc > sc[0] - AMBIGUITY_MARGIN])
        return np.concatenate(out) if out else np.zeros(0, dtype=np.int64)


