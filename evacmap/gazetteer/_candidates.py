"""Candidates for a batch of names: every (name, place) pair whose keys match.

:class:`CandidateFinder` looks every name's keys up in every layer, tier by tier —
tier 1 (exact key) for all names together, tier 2 (skeleton) only for names tier 1
missed, fuzzy matching only for names both missed — and moves hits on a lower copy of
a place to its copy in the most trusted layer (:mod:`~evacmap.gazetteer._shadow`).
Places are only built as :class:`~evacmap.model.Place` objects for the answers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from evacmap.gazetteer._batch import Hits, IntArray, Near, Query, empty_hits
from evacmap.gazetteer._fuzzykeys import FuzzyKeys
from evacmap.gazetteer._index import PlaceIndex
from evacmap.gazetteer._keys import key_hash
from evacmap.gazetteer._shadow import Shadows
from evacmap.gazetteer.normalize import name_key, skeleton_key
from evacmap.gazetteer.translit import query_respellings

__all__ = ["CandidateFinder", "split_key"]

#: Fuzzy matches below this rapidfuzz ratio are not candidates.
#: Names whose candidates are kept (the memory is emptied when it would grow past this).
_MEMO_MAX = 200_000
FUZZY_CUTOFF = 84.0
#: Keys from this rapidfuzz ratio up are offered as suggestions for unknown names.
SUGGEST_CUTOFF = 70.0
_FUZZY_CHUNK = 16
#: A skeleton match counts only when the spellings are at least this similar
#: (rapidfuzz ratio / 100): "qwerty" and "Kürti" share a skeleton, not a name.
SKELETON_MIN_SIMILARITY = 0.5
#: Name score of a match through a query respelling, relative to a skeleton match.
RESPELLING = 0.9
#: Respellings are tried only for names of at least this many letters ("Wadi" is a word,
#: not a misspelt village), and must stay this similar to the name they reach.
RESPELL_MIN_LETTERS = 5
RESPELL_MIN_SIMILARITY = 0.7
#: Name score of an exact match on an alternate name (the main name scores 1).
ALTERNATE_NAME = 0.96
#: Name score factor when only the name without its generic words matched.
CORE_KEY = 0.97


def _prefix_near(layer: int, key: str, keys: FuzzyKeys) -> list[Near]:
    """Keys sharing the first three letters of `key` that contain it or lie inside it.

    This catches what the plain ratio misses for names with extra or missing words
    ("Idlibistan", "Idlib"); the keys are sorted, so the prefix is a binary search.
    """
    from rapidfuzz import fuzz

    prefix = key[:3]
    if len(prefix) < 3:
        return []
    out = []
    for k in keys.with_prefix(prefix, 5000):
        if k in key or key in k:
            score = fuzz.WRatio(key, k)
            if score >= SUGGEST_CUTOFF:
                out.append(Near(layer, k, score))
    return sorted(out, key=lambda n: -n.score)[:5]


class CandidateFinder:
    """Candidate generation over a stack of place indexes.

    Parameters
    ----------
    layers
        Place indexes, most trusted first.
    replaced
        Places the user's own replace by name: old id -> new id.
    """

    def __init__(
        self, layers: Sequence[PlaceIndex], *, replaced: Mapping[str, str] | None = None
    ) -> None:
        self.layers = tuple(layers)
        self._shadows = Shadows(self.layers, replaced or {})
        # The candidates of a name depend on the name, its hint and `fuzzy` only (never on
        # the other names of a batch: ranking uses those), so they are kept per name.
        self._memo: dict[tuple[Query, str | None, bool], tuple[Hits, list[Near]]] = {}

    # -- candidates ------------------------------------------------------------------
    def candidates(
        self,
        queries: Sequence[Query],
        *,
        hints: Sequence[str | None] | None = None,
        fuzzy: bool = True,
    ) -> tuple[Hits, dict[int, list[Near]]]:
        """Every (name, place) pair whose keys match, tier by tier.

        Also returns, for each name nothing matched, the closest keys in the gazetteer
        (material for suggestions). Without `fuzzy`, only the exact and skeleton tiers
        are tried (and no suggestions made). A name asked before (with the same hint) is
        answered from memory: many short batches (one article each) share their names.
        """
        hint_of = list(hints) if hints is not None else [None] * len(queries)
        keys = [(q, h, fuzzy) for q, h in zip(queries, hint_of, strict=True)]
        first: dict[tuple[Query, str | None, bool], int] = {}
        for i, k in enumerate(keys):
            if k not in self._memo:
                first.setdefault(k, i)
        todo = list(first.values())
        if todo:
            if len(self._memo) + len(todo) > _MEMO_MAX:
                self._memo.clear()
            sub = [queries[i] for i in todo]
            hits, near = self._search(sub, hints=[hint_of[i] for i in todo] if hints is not None else None,
                                      fuzzy=fuzzy)
            order = np.argsort(hits.q, kind="stable")
            bounds = np.searchsorted(hits.q[order], np.arange(len(todo) + 1))
            for j, i in enumerate(todo):
                mine = hits.take(order[bounds[j] : bounds[j + 1]])
                mine.q = np.zeros(len(mine), dtype=np.int64)
                self._memo[keys[i]] = (mine, near.get(j, []))
        parts: list[Hits] = []
        near_out: dict[int, list[Near]] = {}
        for i, k in enumerate(keys):
            mine, close = self._memo[k]
            if len(mine):
                part = mine.take(np.arange(len(mine)))
                part.q = np.full(len(mine), i, dtype=np.int64)
                parts.append(part)
            if close:
                near_out[i] = list(close)
        return (Hits.concat(parts) if parts else self._attributes(empty_hits())), near_out

    def _search(
        self,
        queries: Sequence[Query],
        *,
        hints: Sequence[str | None] | None = None,
        fuzzy: bool = True,
    ) -> tuple[Hits, dict[int, list[Near]]]:
        parts = [self._tier1(queries)]
        found = np.zeros(len(queries), dtype=bool)
        found[parts[0].q] = True
        missing = [i for i, q in enumerate(queries) if not found[i] and q.key]
        near: dict[int, list[Near]] = {}
        abroad_only = self._only_abroad(queries, parts[0], hints)
        if missing or abroad_only:
            # A name whose exact matches all lie outside its hinted country also gets
            # the skeleton tier: a respelling at home beats an exact namesake abroad.
            parts.append(self._tier2(queries, sorted(missing + abroad_only)))
            found[parts[-1].q] = True
            missing = [i for i in missing if not found[i]]
        so_far = Hits.concat([p for p in parts if len(p)])
        retry = sorted(set(missing) | set(self._only_abroad(queries, so_far, hints)))
        if retry:
            # Spellings the keys do not unify (ق as g, a vowel in any syllable), tried
            # only for names nothing matched (or only abroad), scored below a skeleton.
            parts.append(self._tier2(queries, retry, respell=True))
            found[parts[-1].q] = True
            missing = [i for i in missing if not found[i]]
        if missing and fuzzy:
            fuzzy_hits, near = self.fuzzy(queries, missing)
            parts.append(fuzzy_hits)
            found[fuzzy_hits.q] = True
            near = {i: v for i, v in near.items() if not found[i]}
        hits = Hits.concat([p for p in parts if len(p)])
        return self._attributes(self._dedupe(hits)), near

    def _only_abroad(
        self, queries: Sequence[Query], exact: Hits, hints: Sequence[str | None] | None
    ) -> list[int]:
        """Names with a country hint whose hits (in `exact`) all lie in other countries."""
        if hints is None or not len(exact) or not any(hints):
            return []
        hinted = np.array([h or "" for h in hints], dtype="<U2")
        country = self._attributes(exact.take(np.arange(len(exact)))).country
        home = np.zeros(len(queries), dtype=bool)
        home[exact.q[country == hinted[exact.q]]] = True
        with_hit = np.zeros(len(queries), dtype=bool)
        with_hit[exact.q] = True
        return [i for i in np.flatnonzero(with_hit & ~home & (hinted != "")).tolist() if queries[i].key]

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
            pos, name_ids = layer.find_many(hashes, tier=tier)
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

    def has_key(self, key: str) -> bool:
        """Whether some layer has a name with the tier-1 key `key` (already normalised)."""
        return bool(key) and any(layer.has_key(key) for layer in self.layers)

    def exact_ids(self, names: Sequence[str]) -> list[list[str]]:
        """Ids of the places whose names share each name's exact (tier-1) key."""
        out: list[list[str]] = [[] for _ in names]
        keyed = [(i, k, 1.0) for i, k in enumerate(map(name_key, names)) if k]
        if not keyed:
            return out
        parts, _ = self.lookup_keys(keyed, 1)
        if not parts:
            return out
        hits = self.redirect(Hits.concat(parts))
        for li, layer in enumerate(self.layers):
            sel = np.flatnonzero(hits.layer == li)
            if not len(sel):
                continue
            ids = layer.ids(hits.row[sel])
            for qi, pid in zip(hits.q[sel].tolist(), ids, strict=True):
                if pid not in out[qi]:
                    out[qi].append(pid)
        return out

    def places_keyed(self, layer: int, key: str, limit: int = 3) -> list[Any]:
        """The first `limit` places of a layer with a name of tier-1 key `key`."""
        index = self.layers[layer]
        return [index.place(hit.row) for hit in index.find(key, tier=1)[:limit]]

    def _tier1(self, queries: Sequence[Query]) -> Hits:
        keyed: list[tuple[int, str, float]] = []
        for i, q in enumerate(queries):
            if q.key:
                keyed.append((i, q.key, 1.0))
                if q.core != q.key and q.core:
                    keyed.append((i, q.core, CORE_KEY))
        if not keyed:
            return empty_hits()
        parts, matched = self.lookup_keys(keyed, 1)
        if not parts:
            return empty_hits()
        hits = self.redirect(Hits.concat(parts))
        h = np.concatenate(matched)
        # A match on the place's main name (up to normalisation) beats an alternate name.
        primary = np.zeros(len(hits), dtype=bool)
        for li, layer in enumerate(self.layers):
            m = hits.layer == li
            if m.any():
                primary[m] = layer.is_primary_key(hits.row[m], h[m])
        hits.name = hits.name * np.where(primary, 1.0, ALTERNATE_NAME)
        return hits

    def _tier2(self, queries: Sequence[Query], which: list[int], *, respell: bool = False) -> Hits:
        keyed: list[tuple[int, str, float]] = []
        for i in which:
            q = queries[i]
            for key, base in (
                ((q.key, 1.0), (q.core, CORE_KEY)) if q.core != q.key else ((q.key, 1.0),)
            ):
                if respell:
                    if len(key.replace(" ", "")) < RESPELL_MIN_LETTERS:
                        continue
                    own = skeleton_key(key)
                    skels = {skeleton_key(k) for k in query_respellings(key)} - {own, ""}
                    keyed.extend((i, sk, base * RESPELLING) for sk in sorted(skels))
                    continue
                skel = skeleton_key(key)
                if skel:
                    keyed.append((i, skel, base))
        if not keyed:
            return empty_hits()
        parts, _ = self.lookup_keys(keyed, 2)
        if not parts:
            return empty_hits()
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
        # A skeleton shared by spellings that look nothing alike is no support; a
        # respelling must stay closer still to the name it reaches.
        floor = RESPELL_MIN_SIMILARITY if respell else SKELETON_MIN_SIMILARITY
        return self.redirect(hits.take(sims >= floor))

    def fuzzy(
        self, queries: Sequence[Query], which: Sequence[int]
    ) -> tuple[Hits, dict[int, list[Near]]]:
        """Fuzzy matching (rapidfuzz ratio) of some names against every key.

        All names are compared with all keys in one ``rapidfuzz.process.cdist`` call per
        layer and chunk, on every core; a few names (up to one chunk) are compared only
        with the keys that may reach the cutoff (an exact pre-filter, see
        :mod:`~evacmap.gazetteer._fuzzykeys`), which spares a fresh process decoding
        every key. Keys scoring :data:`FUZZY_CUTOFF` or more are candidates; keys from
        :data:`SUGGEST_CUTOFF` up, and keys sharing the name's first letters that
        contain it or are contained in it, are kept as suggestions.
        """
        from rapidfuzz import fuzz, process

        keys = [queries[i].core for i in which]
        near: dict[int, list[Near]] = {i: [] for i in which}
        keyed: list[tuple[int, str, float]] = []

        def take(
            li: int, fk: FuzzyKeys, qi: int, key: str, row: Any, choices: Sequence[str]
        ) -> None:
            hit = np.flatnonzero(row)
            top = hit[np.argsort(-row[hit], kind="stable")[:10]].tolist()
            exact_scores = [fuzz.ratio(key, choices[t]) for t in top]
            ranked = sorted(zip(exact_scores, top, strict=True), key=lambda x: -x[0])
            for score, t in ranked[:5]:
                if score >= FUZZY_CUTOFF:
                    keyed.append((qi, choices[t], 0.6 * score / 100.0))
            near[qi].extend(Near(li, choices[t], score) for score, t in ranked)
            near[qi].extend(_prefix_near(li, key, fk))

        def ratios(chunk: Sequence[str], choices: Sequence[str]) -> Any:
            return process.cdist(
                chunk, choices, scorer=fuzz.ratio, score_cutoff=SUGGEST_CUTOFF,
                dtype=np.uint8, workers=-1,
            )

        for li, layer in enumerate(self.layers):
            fk = layer.fuzzy_keys
            if len(keys) <= _FUZZY_CHUNK and fk.filterable:
                if not len(fk):
                    continue
                for qi, key in zip(which, keys, strict=True):
                    _, subset = fk.near(key, SUGGEST_CUTOFF)
                    row = ratios([key], subset)[0] if subset else np.zeros(0, np.uint8)
                    take(li, fk, qi, key, row, subset)
                continue
            choices = fk.all()
            if not choices:
                continue
            for start in range(0, len(keys), _FUZZY_CHUNK):
                chunk = keys[start : start + _FUZZY_CHUNK]
                for j, row in enumerate(ratios(chunk, choices)):
                    take(li, fk, which[start + j], chunk[j], row, choices)
        if not keyed:
            return empty_hits(), near
        parts, _ = self.lookup_keys(keyed, 1)
        if not parts:
            return empty_hits(), near
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
            a = layer.attributes(hits.row[m])
            hits.lat[m], hits.lon[m], hits.country[m] = a.lat, a.lon, a.country
            hits.kind[m], hits.population[m] = a.kind, a.population
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
                    need[m] = layer.primary_name_ids(rows[m]) != ids[m]
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


def split_key(name: str) -> str:
    """The generic-free tier-1 key of a name."""
    from evacmap.gazetteer.normalize import split_generic

    return split_generic(name_key(name))[0]
