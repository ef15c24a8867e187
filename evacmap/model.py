"""Plain values: places, movements and geocoding matches.

Everything here is a frozen, slotted dataclass that checks itself on creation, so a
value that exists is a value that makes sense.

Examples
--------
>>> homs = Place("Homs", 34.72405, 36.72559, country="SY", kind=PlaceKind.CITY, geonames_id=169577)
>>> homs.id
'geonames:169577'
>>> idlib = Place("Idlib", 35.93062, 36.63393, country="SY")
>>> m = Movement(origin=homs, destinations=(idlib,), count=450)
>>> m.split_reported, m.counts_as_moved
(True, True)
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from enum import Enum

from evacmap.errors import InputError, SourceLocation

__all__ = [
    "Candidate",
    "CountKind",
    "Evidence",
    "Match",
    "Movement",
    "Place",
    "PlaceKind",
]

#: The largest count of people evacmap accepts: more than everyone alive, so a
#: larger figure is a typing error (and counts stay exact 64-bit integers end to end).
MAX_COUNT = 10_000_000_000

# Column names shared by readers and writers.
ORIGIN_COL = "origin"
DESTINATION_COL = "destination"
COUNT_COL = "count"


class PlaceKind(str, Enum):
    """What sort of place a :class:`Place` is."""

    COUNTRY = "country"
    GOVERNORATE = "governorate"
    DISTRICT = "district"
    REGION = "region"
    CITY = "city"
    TOWN = "town"
    VILLAGE = "village"
    NEIGHBOURHOOD = "neighbourhood"
    CAMP = "camp"
    CROSSING = "crossing"
    POINT = "point"

    def __str__(self) -> str:
        return self.value

    @property
    def is_area(self) -> bool:
        """Whether the kind names an area (admin unit or region) rather than a settlement."""
        return self in _AREA_KINDS


_AREA_KINDS = frozenset(
    {PlaceKind.COUNTRY, PlaceKind.GOVERNORATE, PlaceKind.DISTRICT, PlaceKind.REGION}
)


class CountKind(str, Enum):
    """How a count was stated by its source.

    ``reported`` and ``estimated`` counts say how many people moved and are summed;
    ``planned`` counts (expected, agreed, "up to") and ``cumulative`` totals (everything
    so far, stages included) are kept apart and never added to them.
    """

    REPORTED = "reported"
    ESTIMATED = "estimated"
    PLANNED = "planned"
    CUMULATIVE = "cumulative"

    def __str__(self) -> str:
        return self.value


def _slug(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "-", text.casefold()).strip("-") or "place"


def point_id(name: str, lat: float, lon: float) -> str:
    """The id of a place known only by its name and coordinates.

    Examples
    --------
    >>> point_id("Camp A", 36.1, 36.6)
    'point:36.10000,36.60000:camp-a'
    """
    return f"point:{lat:.5f},{lon:.5f}:{_slug(name)}"


@dataclass(frozen=True, slots=True)
class Place:
    """A named point on the earth.

    Parameters
    ----------
    name
        Display name.
    lat, lon
        WGS 84 latitude and longitude in degrees.
    country
        ISO 3166-1 alpha-2 code, ``""`` when unknown.
    admin1
        Name of the first-level administrative unit (governorate, province).
    kind
        What sort of place it is.
    geonames_id, pcode
        Identifiers in GeoNames and in OCHA's P-code scheme.
    admin1_pcode
        OCHA P-code of the first-level administrative unit, when known.
    aliases
        Other names of the place.
    approximate
        True when the coordinate is only a representative or approximate point.
    source
        Where the coordinate comes from.
    population
        Population, when known (used only as a tie-breaker).
    id
        Stable identifier; derived from the other ids when not given.

    Examples
    --------
    >>> Place("al-Waer", 34.747, 36.664, country="SY", kind="neighbourhood").kind
    <PlaceKind.NEIGHBOURHOOD: 'neighbourhood'>
    >>> Place("Nowhere", 95.0, 0.0)
    Traceback (most recent call last):
    ...
    evacmap.errors.InputError: `lat` of 'Nowhere' must be between -90 and 90, got 95.0. Hint: check that latitude and longitude are not swapped.
    """

    name: str
    lat: float
    lon: float
    country: str = ""
    admin1: str = ""
    kind: PlaceKind = PlaceKind.CITY
    geonames_id: int | None = None
    pcode: str | None = None
    admin1_pcode: str | None = None
    aliases: tuple[str, ...] = ()
    approximate: bool = False
    source: str = ""
    population: int | None = None
    id: str = ""

    def __post_init__(self) -> None:
        if not self.name or not self.name.strip():
            raise InputError("a place needs a non-empty `name`")
        for attr, limit in (("lat", 90.0), ("lon", 180.0)):
            value = getattr(self, attr)
            if not isinstance(value, (int, float)) or not math.isfinite(value):
                raise InputError(
                    f"`{attr}` of {self.name!r} must be a finite number, got {value!r}"
                )
            if not -limit <= value <= limit:
                raise InputError(
                    f"`{attr}` of {self.name!r} must be between {-limit:g} and {limit:g}, "
                    f"got {value!r}",
                    hint="check that latitude and longitude are not swapped",
                )
            object.__setattr__(self, attr, float(value))
        if not isinstance(self.kind, PlaceKind):
            object.__setattr__(self, "kind", _parse_enum(PlaceKind, self.kind, "kind"))
        object.__setattr__(self, "country", self.country.upper())
        object.__setattr__(self, "aliases", tuple(self.aliases))
        if not self.id:
            object.__setattr__(self, "id", self._derive_id())

    def _derive_id(self) -> str:
        if self.geonames_id is not None:
            return f"geonames:{self.geonames_id}"
        if self.pcode:
            return f"pcode:{self.pcode}"
        return point_id(self.name, self.lat, self.lon)

    @property
    def label(self) -> str:
        """A one-line description: name, kind, admin area and country.

        Examples
        --------
        >>> Place("Homs", 34.7, 36.7, country="SY", admin1="Homs").label
        'Homs (city, Homs, SY)'
        """
        bits = [str(self.kind)] + [b for b in (self.admin1, self.country) if b]
        return f"{self.name} ({', '.join(bits)})"


def _parse_enum(enum: type[Enum], value: object, what: str) -> Enum:
    try:
        return enum(str(value).strip().lower())
    except ValueError:
        choices = ", ".join(repr(e.value) for e in enum)
        raise InputError(
            f"`{what}` must be one of {choices}, got {value!r} ({type(value).__name__})"
        ) from None


@dataclass(frozen=True, slots=True)
class Candidate:
    """One place a name may refer to, with how well it matched.

    Parameters
    ----------
    place
        The place.
    score
        Confidence from 0 to 1.
    method
        How the name matched: ``"id"``, ``"exact"``, ``"skeleton"``, ``"fuzzy"`` or
        ``"coordinates"``.
    matched_name
        The gazetteer name that matched.
    """

    place: Place
    score: float
    method: str
    matched_name: str = ""


@dataclass(frozen=True, slots=True)
class Match:
    """The answer to a geocoding query: the place, how sure, and the runners-up.

    Examples
    --------
    >>> p = Place("Idlib", 35.93, 36.63, country="SY")
    >>> Match("Idleb", Candidate(p, 1.0, "exact", "Idleb")).place.name
    'Idlib'
    """

    query: str
    best: Candidate
    runners_up: tuple[Candidate, ...] = ()
    #: What the caller should know about the answer, e.g. that it lies outside the
    #: hinted country (``""`` when nothing).
    note: str = ""

    @property
    def place(self) -> Place:
        """The chosen place."""
        return self.best.place

    @property
    def score(self) -> float:
        """Confidence in the chosen place, 0 to 1."""
        return self.best.score

    @property
    def method(self) -> str:
        """How the name matched."""
        return self.best.method


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where a movement was stated: a file row or a sentence, with its words.

    Parameters
    ----------
    location
        The file and line (a table row), or the article (text).
    text
        The words of the report: a table's evidence cell, or the sentence.
    start, end
        Character span of `text` in the article, when it comes from one.
    parts
        Spans of the parts of the movement inside the article:
        ``(("origin", 40, 48), ("count", 0, 3), ...)``.

    Examples
    --------
    >>> str(Evidence(SourceLocation("flows.csv", 2), "450 people left"))
    "flows.csv:2: '450 people left'"
    >>> Evidence(SourceLocation("<text>"), "x", start=5, end=2)
    Traceback (most recent call last):
    ...
    evacmap.errors.InputError: evidence span 5..2 ends before it starts.
    """

    location: SourceLocation
    text: str = ""
    start: int | None = None
    end: int | None = None
    parts: tuple[tuple[str, int, int], ...] = ()

    def __post_init__(self) -> None:
        if self.start is not None and self.end is not None and self.end < self.start:
            raise InputError(f"evidence span {self.start}..{self.end} ends before it starts")
        object.__setattr__(self, "parts", tuple((str(k), int(a), int(b)) for k, a, b in self.parts))

    def __str__(self) -> str:
        return f"{self.location}: {self.text!r}" if self.text else str(self.location)


@dataclass(frozen=True, slots=True)
class Movement:
    """People moving from one place to one or more others, as a source reported it.

    A movement with several destinations and no reported split stays one movement:
    its count is the total over all destinations, never divided among them. Reports
    often give only one end ("5,000 people left Harasta", "2,000 arrived in Idlib"):
    the other end is then unknown — None, or no destinations — and never invented.

    Parameters
    ----------
    origin
        Where people left, or None when the report does not say.
    destinations
        Where they went; several when the source names several and no split; empty
        when the report does not say.
    count
        How many people, or None when the source gives no number.
    count_kind
        How the count was stated (see :class:`CountKind`).
    count_min, count_max
        Bounds, for "at least" / "up to" / "between" figures.
    groups
        Breakdown by group, e.g. ``(("fighters", 193),)``; part of `count`, not extra.
    date_start, date_end
        The day or range of days of the movement.
    stage
        Stage of a multi-stage operation, e.g. ``"final"``.
    waypoints
        Places passed through, in order.
    sources
        Titles or URLs of the reports.
    evidence
        Where each part came from.
    id
        Identifier of the movement within its collection.
    unit
        What the count counts: ``"people"`` (default), or e.g. ``"families"`` —
        never converted, and only people are added to people totals.
    operation
        The operation (evacuation deal, campaign) the movement belongs to: its stages
        and cumulative totals are compared within it. By default, its route.
    confidence
        How sure an automatic extraction is (0–1); None for a table row.

    Examples
    --------
    >>> a, b, c = (Place(n, 35.0 + i / 10, 36.0) for i, n in enumerate("ABC"))
    >>> m = Movement(a, (b, c), count=450, groups=(("fighters", 193),))
    >>> m.split_reported
    False
    >>> Movement(a, (b,), count=10, groups=(("fighters", 11),))
    Traceback (most recent call last):
    ...
    evacmap.errors.InputError: the groups of a movement 'A → B' add up to 11, more than its count 10. Hint: a group breakdown is part of the count; fix the count or the groups.
    >>> Movement(a, count=5000).destinations  # "5,000 people left A": no invented end
    ()
    """

    origin: Place | None
    destinations: tuple[Place, ...] = ()
    count: int | None = None
    count_kind: CountKind = CountKind.REPORTED
    count_min: int | None = None
    count_max: int | None = None
    groups: tuple[tuple[str, int], ...] = ()
    date_start: dt.date | None = None
    date_end: dt.date | None = None
    stage: str | None = None
    waypoints: tuple[Place, ...] = ()
    sources: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    id: str = field(default="")
    unit: str = "people"
    operation: str | None = None
    confidence: float | None = None

    def __post_init__(self) -> None:
        dests = tuple(self.destinations)
        object.__setattr__(self, "destinations", dests)
        if self.origin is None and not dests:
            raise InputError(
                "a movement needs an origin or at least one destination",
                hint="give the place people left, or the place(s) they reached",
            )
        if len({d.id for d in dests}) != len(dests):
            raise InputError(
                f"a movement {self.route!r} names the same destination twice",
                hint="list each destination once",
            )
        unit = str(self.unit).strip().casefold()
        if not unit:
            raise InputError("`unit` of a movement must be a non-empty word such as 'people'")
        object.__setattr__(self, "unit", unit)
        if self.confidence is not None and not 0.0 <= self.confidence <= 1.0:
            raise InputError(f"`confidence` must be between 0 and 1, got {self.confidence!r}")
        if not isinstance(self.count_kind, CountKind):
            object.__setattr__(
                self, "count_kind", _parse_enum(CountKind, self.count_kind, "count_kind")
            )
        for attr in ("count", "count_min", "count_max"):
            value = getattr(self, attr)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise InputError(
                    f"`{attr}` of a movement {self.route!r} must be a whole number "
                    f">= 0 or None, got {value!r}"
                )
            if value > MAX_COUNT:
                raise InputError(
                    f"`{attr}` of a movement {self.route!r} is {value:,}, more "
                    f"than {MAX_COUNT:,} (more people than live on earth)",
                    hint="check the figure for a typing error",
                )
        lo, hi, n = self.count_min, self.count_max, self.count
        if lo is not None and hi is not None and lo > hi:
            raise InputError(f"`count_min` {lo} is more than `count_max` {hi}")
        if n is not None and ((lo is not None and n < lo) or (hi is not None and n > hi)):
            raise InputError(f"`count` {n} lies outside [{lo}, {hi}]")
        groups = tuple((str(g), int(c)) for g, c in self.groups)
        object.__setattr__(self, "groups", groups)
        if any(c < 0 for _, c in groups):
            raise InputError("group counts must be >= 0")
        if n is not None and sum(c for _, c in groups) > n:
            raise InputError(
                f"the groups of a movement {self.route!r} add up to "
                f"{sum(c for _, c in groups)}, more than its count {n}",
                hint="a group breakdown is part of the count; fix the count or the groups",
            )
        if self.date_start and self.date_end and self.date_start > self.date_end:
            raise InputError(
                f"movement ends ({self.date_end}) before it starts ({self.date_start})"
            )
        for attr in ("waypoints", "sources", "evidence"):
            object.__setattr__(self, attr, tuple(getattr(self, attr)))

    @property
    def route(self) -> str:
        """``"origin → destination, destination"``, with ``?`` for an unknown end.

        Examples
        --------
        >>> Movement(None, (Place("Idlib", 35.9, 36.6),), count=2000).route
        '? → Idlib'
        """
        origin = self.origin.name if self.origin is not None else "?"
        dests = ", ".join(d.name for d in self.destinations) or "?"
        return f"{origin} → {dests}"

    @property
    def split_reported(self) -> bool:
        """True when the count belongs to a single destination (or none is known)."""
        return len(self.destinations) <= 1

    @property
    def counts_as_moved(self) -> bool:
        """True for reported or estimated counts: people who did move, and may be summed."""
        return self.count_kind in (CountKind.REPORTED, CountKind.ESTIMATED)

    @property
    def people(self) -> int | None:
        """The best single figure for the movement: the count, else the upper bound."""
        return self.count if self.count is not None else self.count_max

    @property
    def known_count(self) -> int | None:
        """People known for certain: the count, else the "at least" lower bound.

        Examples
        --------
        >>> p, q = Place("A", 0.0, 0.0), Place("B", 1.0, 1.0)
        >>> Movement(p, (q,), count_min=500).known_count, Movement(p, (q,), count_max=9).known_count
        (500, None)
        """
        return self.count if self.count is not None else self.count_min

    @property
    def date_label(self) -> str:
        """The date or date range as ISO text, ``""`` when undated.

        Examples
        --------
        >>> p = Place("A", 0.0, 0.0)
        >>> Movement(p, (Place("B", 1.0, 1.0),), date_start=dt.date(2017, 5, 20)).date_label
        '2017-05-20'
        """
        if self.date_start is None:
            return ""
        if self.date_end is None or self.date_end == self.date_start:
            return self.date_start.isoformat()
        return f"{self.date_start.isoformat()}/{self.date_end.isoformat()}"

    @property
    def count_label(self) -> str:
        """The count as a person would say it: ``"450"``, ``"up to 20,000"``, ``"unknown"``.

        Examples
        --------
        >>> p, q = Place("A", 0.0, 0.0), Place("B", 1.0, 1.0)
        >>> Movement(p, (q,), count_max=20000, count_kind="planned").count_label
        'up to 20,000'
        >>> Movement(p, (q,)).count_label
        'unknown'
        """
        n, lo, hi = self.count, self.count_min, self.count_max
        if n is not None:
            return f"{n:,}"
        if lo is not None and hi is not None:
            return f"{lo:,}–{hi:,}"
        if hi is not None:
            return f"up to {hi:,}"
        if lo is not None:
            return f"at least {lo:,}"
        return "unknown"
