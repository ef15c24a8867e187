"""Candidates, scores and decisions for many names at once, as numpy arrays.

:class:`Ranker` is the engine behind :class:`~evacmap.gazetteer.core.Gazetteer`. It
works on a batch of parsed names (one name is a batch of one), so that a 10,000-row
table costs a handful of binary searches and array operations rather than 10,000 Python
loops over Place objects:

1. :meth:`Ranker.candidates` looks every name's keys up in every layer — tier 1 (exact
   key) for all names together, tier 2 (skeleton) only for names tier 1 missed, fuzzy
   matching only for names both missed — and returns one row per (name, place) pair.
2. :meth:`Ranker.score` rates each pair on the signals, in the issue's order of
   authority: an explicit cue filters; then a country hint, the batch context
   (countries of, and distance to, places already resolved), the kind of place, the
   quality of the name match, and population as a tie-breaker.
3. :meth:`Ranker.decide` picks the best place per name, or flags the name as ambiguous
   when a far-away place scores within :data:`AMBIGUITY_MARGIN` of it.

Places are only built as :class:`~evacmap.model.Place` objects for the answers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
import numpy.typing as npt

from evacmap.gazetteer._geo import Anchors, haversine_km, nearest_anchor_km, proximity
from evacmap.gazetteer._index import KINDS, PlaceIndex, key_hash
from evacmap.gazetteer._shadow import Shadows
from evacmap.gazetteer.normalize import name_key, skeleton_key
from evacmap.model import PlaceKind

if TYPE_CHECKING:
    from evacmap.gazetteer.sources import Countries

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: Weights of the ranking signals (they sum to 1). Country evidence and the batch
#: context outweigh the kind of place, which outweighs the small differences in match
#: quality between exact matches, and population comes last.
WEIGHTS = {"name": 0.35, "country": 0.25, "proximity": 0.20, "kind": 0.10, "prominence": 0.10}
#: Two candidates closer than this in score, and farther apart than
#: :data:`SAME_PLACE_KM`, make a name ambiguous. With nothing else to go on, a place
#: must be about 12 times as populous as a namesake to win on population alone.
AMBIGUITY_MARGIN = 0.015
#: Candidates within this distance are treated as the same place for ambiguity.
SAME_PLACE_KM = 25.0
#: Below this support the best candidate is too weak to be an answer: a fuzzy match with
#: nothing else for it, or a small place on another continent than the country hint
#: says. Such names are reported as not found, with the candidates as suggestions.
MIN_SCORE = 0.6
#: Prominence of a place whose population is unknown (about that of 5,000 people).
UNKNOWN_PROMINENCE = 0.5
#: Fuzzy matches below this rapidfuzz ratio are not candidates.
FUZZY_CUTOFF = 84.0
#: Keys from this rapidfuzz ratio up are offered as suggestions for unknown names.
SUGGEST_CUTOFF = 70.0
_FUZZY_CHUNK = 16
#: A skeleton match counts only when the spellings are at least this similar
#: (rapidfuzz ratio / 100): "qwerty" and "Kürti" share a skeleton, not a name.
SKELETON_MIN_SIMILARITY = 0.5
#: Name score of an exact match on an alternate name (the main name scores 1).
ALTERNATE_NAME = 0.96
#: Name score factor when only the name without its generic words matched.
CORE_KEY = 0.97

METHODS = ("exact", "skeleton", "fuzzy")

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


def _prefix_near(layer: int, key: str, choices: Sequence[str]) -> list[Near]:
    """Keys sharing the first three letters of `key` that contain it or lie inside it.

    This catches what the plain ratio misses for names with extra or missing words
    ("Idlibistan", "Idlib"); `choices` is sorted, so the prefix is a binary search.
    """
    import bisect

    from rapidfuzz import fuzz

    prefix = key[:3]
    if len(prefix) < 3:
        return []
    lo = bisect.bisect_left(choices, prefix)
    hi = bisect.bisect_left(choices, prefix + "\uffff")
    out = []
    for k in choices[lo : min(hi, lo + 5000)]:
        if k in key or key in k:
            score = fuzz.WRatio(key, k)
            if score >= SUGGEST_CUTOFF:
                out.append(Near(layer, k, score))
    return sorted(out, key=lambda n: -n.score)[:5]


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
            return _empty_hits()
        return cls(**{k: np.concatenate([getattr(p, k) for p in parts]) for k in parts[0].__dict__})

    @property
    def code(self) -> IntArray:
        """One integer per place: layer and row."""
        return (self.layer << 40) | self.row


def _empty_hits() -> Hits:
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


class Ranker:
    """Candidate generation and scoring over a stack of place indexes.

    Parameters
    ----------
    layers
        Place indexes, most trusted first.
    countries
        Country names, neighbours and continents.
    """

    def __init__(
        self,
        layers: Sequence[PlaceIndex],
        countries: Countries,
        *,
        replaced: Mapping[str, str] | None = None,
    ) -> None:
        self.layers = tuple(layers)
        self.countries = countries
        self._affinity: dict[tuple[str, str], float] = {}
        known = set(countries.names)
        for layer in self.layers:
            held = layer.held_places
            if held is not None:
                known.update(p.country for p in held if p.country)
        self._code_names = sorted(known)
        self._codes = {c: i for i, c in enumerate(self._code_names)}
        self._columns: dict[int, FloatArray] = {}
        self._shadows = Shadows(self.layers, replaced or {})

    # -- candidates ------------------------------------------------------------------
    def candidates(
        self, queries: Sequence[Query], *, fuzzy: bool = True
    ) -> tuple[Hits, dict[int, list[Near]]]:
        """Every (name, place) pair whose keys match, tier by tier.

        Also returns, for each name nothing matched, the closest keys in the gazetteer
        (material for suggestions). Without `fuzzy`, only the exact and skeleton tiers
        are tried (and no suggestions made).
        """
        parts = [self._tier1(queries)]
        found = np.zeros(len(queries), dtype=bool)
        found[parts[0].q] = True
        missing = [i for i, q in enumerate(queries) if not found[i] and q.key]
        near: dict[int, list[Near]] = {}
        if missing:
            parts.append(self._tier2(queries, missing))
            found[parts[-1].q] = True
            missing = [i for i in missing if not found[i]]
        if missing and fuzzy:
            fuzzy_hits, near = self.fuzzy(queries, missing)
            parts.append(fuzzy_hits)
            found[fuzzy_hits.q] = True
            near = {i: v for i, v in near.items() if not found[i]}
        hits = Hits.concat([p for p in parts if len(p)])
        return self._attributes(self._dedupe(hits)), near

    def lookup_keys(
        self, keyed: list[tuple[int, str, float]], tier: int
    ) -> tuple[list[Hits], list[npt.NDArray[np.uint64]]]:
        """Look (query, key, base score) triples up in every layer's tier-`tier` table.

        Returns the hits of each layer that had any (not yet redirected), and the key
        hashes they matched.
        """
        hashes = np.array([key_hash(k) for _, k, _ in keyed], dtype=np.uint64)
        qpos = np.array([q for q, _, _ in keyed], dtype=np.int64)
        base = np.array([b for _, _, b in keyed], dtype=np.float64)
        parts: list[Hits] = []
        matched: list[npt.NDArray[np.uint64]] = []
        for li, layer in enumerate(self.layers):
            table = layer.tier1 if tier == 1 else layer.tier2
            pos, name_ids = table.find_many(hashes)
            if len(pos) == 0:
                continue
            rows = layer.rows_of(name_ids)
            n = len(pos)
            parts.append(
                Hits(
                    q=qpos[pos],
                    layer=np.full(n, li, dtype=np.int64),
                    row=rows,
                    name_layer=np.full(n, li, dtype=np.int64),
                    name_id=name_ids.astype(np.int64),
                    method=np.full(n, tier - 1, dtype=np.int64),
                    name=base[pos],
                )
            )
            matched.append(hashes[pos])
        return parts, matched

    def _tier1(self, queries: Sequence[Query]) -> Hits:
        keyed: list[tuple[int, str, float]] = []
        for i, q in enumerate(queries):
            if q.key:
                keyed.append((i, q.key, 1.0))
                if q.core != q.key and q.core:
                    keyed.append((i, q.core, CORE_KEY))
        if not keyed:
            return _empty_hits()
        parts, matched = self.lookup_keys(keyed, 1)
        if not parts:
            return _empty_hits()
        hits = self.redirect(Hits.concat(parts))
        h = np.concatenate(matched)
        # A match on the place's main name (up to normalisation) beats an alternate name.
        primary = np.zeros(len(hits), dtype=bool)
        for li, layer in enumerate(self.layers):
            m = hits.layer == li
            if m.any():
                rows = hits.row[m]
                primary[m] = (np.asarray(layer.columns["primary_h1"][rows]) == h[m]) | (
                    np.asarray(layer.columns["primary_h1_core"][rows]) == h[m]
                )
        hits.name = hits.name * np.where(primary, 1.0, ALTERNATE_NAME)
        return hits

    def _tier2(self, queries: Sequence[Query], which: list[int]) -> Hits:
        keyed: list[tuple[int, str, float]] = []
        for i in which:
            q = queries[i]
            for key, base in (
                ((q.key, 1.0), (q.core, CORE_KEY)) if q.core != q.key else ((q.key, 1.0),)
            ):
                skel = skeleton_key(key)
                if skel:
                    keyed.append((i, skel, base))
        if not keyed:
            return _empty_hits()
        parts, _ = self.lookup_keys(keyed, 2)
        if not parts:
            return _empty_hits()
        hits = Hits.concat(parts)
        # Rank skeleton matches by how close the spellings are.
        from rapidfuzz import fuzz

        names = self._names(hits.name_layer, hits.name_id)
        sims = np.array(
            [
                fuzz.ratio(queries[int(qi)].core, split_key(n)) / 100.0
                for qi, n in zip(hits.q.tolist(), names, strict=True)
            ]
        )
        hits.name = 0.75 * (0.8 + 0.2 * sims) * hits.name
        # A skeleton shared by spellings that look nothing alike is no support.
        return self.redirect(hits.take(sims >= SKELETON_MIN_SIMILARITY))

    def fuzzy(
        self, queries: Sequence[Query], which: Sequence[int]
    ) -> tuple[Hits, dict[int, list[Near]]]:
        """Fuzzy matching (rapidfuzz ratio) of some names against every key.

        All names are compared with all keys in one ``rapidfuzz.process.cdist`` call per
        layer and chunk, on every core. Keys scoring :data:`FUZZY_CUTOFF` or more are
        candidates; keys from :data:`SUGGEST_CUTOFF` up, and keys sharing the name's
        first letters that contain it or are contained in it, are kept as suggestions.
        """
        from rapidfuzz import fuzz, process

        keys = [queries[i].core for i in which]
        near: dict[int, list[Near]] = {i: [] for i in which}
        keyed: list[tuple[int, str, float]] = []
        for li, layer in enumerate(self.layers):
            choices = layer.fuzzy_choices()
            if not choices:
                continue
            for start in range(0, len(keys), _FUZZY_CHUNK):
                chunk = keys[start : start + _FUZZY_CHUNK]
                scores = process.cdist(
                    chunk,
                    choices,
                    scorer=fuzz.ratio,
                    score_cutoff=SUGGEST_CUTOFF,
                    dtype=np.uint8,
                    workers=-1,
                )
                for j, row in enumerate(scores):
                    qi = which[start + j]
                    hit = np.flatnonzero(row)
                    top = hit[np.argsort(-row[hit], kind="stable")[:10]].tolist()
                    exact_scores = [fuzz.ratio(chunk[j], choices[t]) for t in top]
                    ranked = sorted(zip(exact_scores, top, strict=True), key=lambda x: -x[0])
                    for score, t in ranked[:5]:
                        if score >= FUZZY_CUTOFF:
                            keyed.append((qi, choices[t], 0.6 * score / 100.0))
                    near[qi].extend(Near(li, choices[t], score) for score, t in ranked)
                    near[qi].extend(_prefix_near(li, chunk[j], choices))
        if not keyed:
            return _empty_hits(), near
        parts, _ = self.lookup_keys(keyed, 1)
        if not parts:
            return _empty_hits(), near
        hits = Hits.concat(parts)
        hits.method[:] = 2
        return self.redirect(hits), near

    def redirect(self, hits: Hits) -> Hits:
        """Move hits on places that an upper layer replaces to that upper place."""
        for li in range(1, len(self.layers)):
            idx = np.flatnonzero(hits.layer == li)
            if len(idx):
                hits.layer[idx], hits.row[idx] = self._shadows.targets(li, hits.row[idx])
        return hits

    def _dedupe(self, hits: Hits) -> Hits:
        """One entry per (name, place): the best-scoring match."""
        if len(hits) < 2:
            return hits
        code = hits.code
        order = np.lexsort((-hits.name, code, hits.q))
        q, c = hits.q[order], code[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = (q[1:] != q[:-1]) | (c[1:] != c[:-1])
        return hits.take(order[first])

    def _attributes(self, hits: Hits) -> Hits:
        n = len(hits)
        hits.lat = np.zeros(n)
        hits.lon = np.zeros(n)
        hits.country = np.zeros(n, dtype="<U2")
        hits.kind = np.zeros(n, dtype=np.int64)
        hits.population = np.zeros(n, dtype=np.int64)
        for li, layer in enumerate(self.layers):
            m = hits.layer == li
            if not m.any():
                continue
            rows = hits.row[m]
            cols = layer.columns
            hits.lat[m] = cols["lat"][rows]
            hits.lon[m] = cols["lon"][rows]
            hits.country[m] = cols["country"][rows]
            hits.kind[m] = cols["kind"][rows]
            hits.population[m] = cols["population"][rows]
        return hits

    def _names(self, layers: IntArray, name_ids: IntArray) -> list[str]:
        out = [""] * len(name_ids)
        for li, layer in enumerate(self.layers):
            idx = np.flatnonzero(layers == li)
            if len(idx):
                for i, n in zip(idx.tolist(), layer.names(name_ids[idx]), strict=True):
                    out[i] = n
        return out

    def matched_names(
        self, hits: Hits, idx: IntArray, places: Sequence[Any] | None = None
    ) -> list[str]:
        """The gazetteer names that matched, for some hits.

        Where the match was on the place's own main name and `places` are given, the
        place's name is reused instead of decoding it again.
        """
        sel = np.asarray(idx, dtype=np.int64)
        layers, rows, ids = hits.name_layer[sel], hits.row[sel], hits.name_id[sel]
        need = np.ones(len(sel), dtype=bool)
        if places is not None:
            same_layer = layers == hits.layer[sel]
            for li, layer in enumerate(self.layers):
                m = same_layer & (layers == li)
                if m.any():
                    need[m] = layer.columns["primary_name"][rows[m]] != ids[m]
        out: list[str] = [p.name for p in places] if places is not None else [""] * len(sel)
        todo = np.flatnonzero(need)
        if len(todo):
            for i, name in zip(todo.tolist(), self._names(layers[todo], ids[todo]), strict=True):
                out[i] = name
        return out

    def places(self, hits: Hits, idx: IntArray | Sequence[int]) -> list[Any]:
        """The :class:`~evacmap.model.Place` objects of some hits (each place built once)."""
        sel = np.asarray(idx, dtype=np.int64)
        if not len(sel):
            return []
        codes = hits.code[sel].tolist()
        slot: dict[int, int] = {}
        first: list[int] = []
        inv = []
        for i, c in enumerate(codes):
            j = slot.get(c)
            if j is None:
                j = slot[c] = len(first)
                first.append(i)
            inv.append(j)
        built: list[Any] = [None] * len(first)
        u_layer, u_row = hits.layer[sel[first]], hits.row[sel[first]]
        for li, layer in enumerate(self.layers):
            where = np.flatnonzero(u_layer == li)
            if len(where):
                for i, p in zip(where.tolist(), layer.places(u_row[where]), strict=True):
                    built[i] = p
        return [built[i] for i in inv]

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
        hits.abroad = has_hint & (hits.country != hint) & (hits.method != 0)
        if has_hint.any():
            country[has_hint] = self._pair_affinity(hits.country[has_hint], hint[has_hint])
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
        pop = hits.population
        prom = np.where(
            pop > 0,
            np.minimum(1.0, np.log10(np.maximum(pop, 0) + 1.0) / 7.0),
            UNKNOWN_PROMINENCE,
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
                places = self.places(hits, mine.tolist())
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


def split_key(name: str) -> str:
    """The generic-free tier-1 key of a name."""
    from evacmap.gazetteer.normalize import split_generic

    return split_generic(name_key(name))[0]
