"""Generic words as kind hints: "the outskirts of X", "Rif X", "Jurud X", "Wadi X" ….

Reports name areas by a generic word and a place: *Jurud Arsal* (the barrens of
Arsal), *Rif Idlib* or *the southern Idlib countryside*, *the outskirts of Daraya*,
*Wadi Barada*, *Jabal al-Zawiya*, *Sahl al-Ghab*, and in Arabic ريف حلب or جرود
القلمون. When the whole name is not itself a place in the gazetteer, such a name is
read as an area around X: it resolves to X's own point, with kind ``region`` (or X's
own area kind, for a governorate), ``approximate`` true and a note saying how it was
read. No coordinate is ever made up.

:func:`read_area` takes a name apart; :func:`resolve_areas` is the front end's hook:
it re-reads the answers of names that are areas.

Examples
--------
>>> read_area("Jroud Arsal")
Area(place='Arsal', meaning='outskirts', direction='')
>>> read_area("the northern countryside of Hama")
Area(place='Hama', meaning='countryside', direction='northern')
>>> read_area("Homs") is None
True
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from typing import NamedTuple

from evacmap.errors import GazetteerError
from evacmap.model import Match, PlaceKind

__all__ = ["GENERIC_AREA_WORDS", "Area", "read_area", "resolve_areas"]

#: Generic words written before a place name, by meaning (tier-1 spellings: lower case,
#: no accents or apostrophes; Arabic in its own script).
GENERIC_AREA_WORDS: dict[str, tuple[str, ...]] = {
    "outskirts": (
        "jurud",
        "jroud",
        "jrud",
        "juroud",
        "jouroud",
        "jurd",
        "jaroud",
        "jrood",
        "joroud",
        "جرود",
        "ضواحي",
        "أطراف",
        "اطراف",
    ),
    "countryside": ("rif", "reef", "rief", "ryf", "rural", "ريف"),
    "valley": ("wadi", "wady", "ouadi", "oued", "وادي"),
    "mountain": ("jabal", "jebel", "jbel", "djebel", "gebel", "jabel", "jbal", "جبل"),
    "plain": ("sahl", "sahel", "سهل"),
}

#: English words for an area around a place, before ("outskirts of X") or after
#: ("X outskirts") its name.
ENGLISH_AREA_WORDS: dict[str, str] = {
    "outskirts": "outskirts",
    "suburbs": "outskirts",
    "environs": "outskirts",
    "vicinity": "outskirts",
    "periphery": "outskirts",
    "countryside": "countryside",
    "rural areas": "countryside",
    "hinterland": "countryside",
}

#: Meanings whose X is a town or governorate by construction; for the others (a
#: valley, a mountain, a plain named after something) X must match exactly.
_SETTLEMENT_MEANINGS = frozenset({"outskirts", "countryside"})

_DIR = r"(?:north|south|east|west)(?:ern)?(?:[- ]?(?:north|south|east|west)(?:ern)?)?"
_ARABIC_DIRS = {
    "الشمالي الغربي": "north-western",
    "الشمالي الشرقي": "north-eastern",
    "الجنوبي الغربي": "south-western",
    "الجنوبي الشرقي": "south-eastern",
    "الشمالي": "northern",
    "الجنوبي": "southern",
    "الشرقي": "eastern",
    "الغربي": "western",
    "الشمالية": "northern",
    "الجنوبية": "southern",
    "الشرقية": "eastern",
    "الغربية": "western",
}
_APOS = "'’ʼ`"
_ENGLISH = "|".join(sorted(map(re.escape, ENGLISH_AREA_WORDS), key=len, reverse=True))
_OF_RE = re.compile(
    rf"^(?:the\s+)?(?:(?P<dir>{_DIR})\s+)?(?P<word>{_ENGLISH})\s+of\s+(?:the\s+)?(?P<x>.+)$",
    re.IGNORECASE,
)
_AFTER_RE = re.compile(
    rf"^(?:the\s+)?(?:(?P<dir1>{_DIR})\s+)?(?P<x>.+?)(?:[{_APOS}]s)?\s+"
    rf"(?:(?P<dir2>{_DIR})\s+)?(?P<word>{_ENGLISH})$",
    re.IGNORECASE,
)
_BEFORE_WORDS = {w: m for m, words in GENERIC_AREA_WORDS.items() for w in words}
_BEFORE_RE = re.compile(
    r"^(?P<word>[^\W\d_]+)[\s\-]+(?P<x>.+)$",
    re.UNICODE,
)
_ENGLISH_ANY_RE = re.compile(rf"(?:{_ENGLISH})", re.IGNORECASE)
_SPACE_RE = re.compile(r"\s+")
_MAX_LENGTH = 200


class Area(NamedTuple):
    """A name read as an area around a place.

    Attributes
    ----------
    place
        The place name (X), as written.
    meaning
        ``"outskirts"``, ``"countryside"``, ``"valley"``, ``"mountain"`` or ``"plain"``.
    direction
        A compass qualifier as written ("northern"), or ``""``.
    """

    place: str
    meaning: str
    direction: str = ""

    def describe(self, place_name: str) -> str:
        """The area in words: "the northern countryside of Hama"."""
        if self.meaning in _SETTLEMENT_MEANINGS:
            direction = f"{self.direction.lower()} " if self.direction else ""
            return f"the {direction}{self.meaning} of {place_name}"
        return f"the {self.meaning} named after {place_name}"


def _strip_arabic_direction(text: str) -> tuple[str, str]:
    for arabic, english in _ARABIC_DIRS.items():  # longest first
        if text.endswith(" " + arabic):
            return text[: -len(arabic) - 1].strip(), english
    return text, ""


def read_area(name: str) -> Area | None:
    """Read a name as an area around a place, if it is written as one.

    Parameters
    ----------
    name
        A place name as written.

    Returns
    -------
    Area or None
        The place name and what the generic words say about it; ``None`` when the
        name has no generic area word, or nothing would be left of it.

    Examples
    --------
    >>> read_area("Rif Idlib")
    Area(place='Idlib', meaning='countryside', direction='')
    >>> read_area("Aleppo's western countryside")
    Area(place='Aleppo', meaning='countryside', direction='western')
    >>> read_area("ريف حلب الشمالي")
    Area(place='حلب', meaning='countryside', direction='northern')
    >>> read_area("Wadi") is None
    True
    """
    if len(name) > _MAX_LENGTH:
        return None
    first = name.lstrip().split(None, 1)[0].split("-", 1)[0].lower() if name.strip() else ""
    if first not in _BEFORE_WORDS and not _ENGLISH_ANY_RE.search(name):
        return None  # the common case, cheaply: no generic area word at all
    text = _SPACE_RE.sub(" ", name).strip()
    m = _OF_RE.match(text)
    if m:
        return _area(m["x"], ENGLISH_AREA_WORDS[m["word"].lower()], m["dir"] or "")
    m = _AFTER_RE.match(text)
    if m:
        direction = m["dir1"] or m["dir2"] or ""
        return _area(m["x"], ENGLISH_AREA_WORDS[m["word"].lower()], direction)
    m = _BEFORE_RE.match(text)
    if m:
        meaning = _BEFORE_WORDS.get(m["word"].lower())
        if meaning is not None:
            rest, direction = _strip_arabic_direction(m["x"])
            return _area(rest, meaning, direction)
    return None


def _area(place: str, meaning: str, direction: str) -> Area | None:
    place = place.strip(" -,")
    if not any(ch.isalpha() for ch in place) or place.lower() in _BEFORE_WORDS:
        return None
    return Area(place, meaning, direction)


Answer = Match | GazetteerError
Resolver = Callable[[Sequence[str], Sequence[int]], Sequence[Answer]]


def resolve_areas(
    names: Sequence[str],
    hints: Sequence[str | None],
    answers: Sequence[Answer],
    resolve: Resolver,
    known: Callable[[str], bool],
) -> list[Answer]:
    """Re-read the answers of names that are written as areas around a place.

    Parameters
    ----------
    names
        The names as written.
    hints
        The country hint of each name (``None`` where there is none).
    answers
        The gazetteer's answer for each name, read as a whole.
    resolve
        ``resolve(texts, indices)`` geocodes the place names `texts`, taken from the
        names at `indices` (so the caller can pass on their country hints).
    known
        Whether a whole name is a place of the gazetteer (its exact key is indexed).

    Returns
    -------
    list
        The answers. A name that reads as an area and is not itself a place resolves
        to X's point, as a region (or X's own area kind), approximate, with a note:

        * "outskirts" and "countryside" (X is a town or a governorate by construction)
          replace a not-found answer, or a loose (skeleton, fuzzy) one when X itself
          matches exactly; a stored area that matched the whole name is kept;
        * "valley", "mountain" and "plain" (often named after a river or a person)
          only replace a not-found answer, and only with an exact match of X inside
          the hinted country.

        A name whose X does not resolve keeps its own answer.

    Examples
    --------
    >>> from evacmap.gazetteer import Gazetteer
    >>> gaz = Gazetteer.curated()
    >>> m = gaz.geocode("the outskirts of Jarablus")
    >>> m.place.name, m.place.kind.value, m.place.approximate
    ('Jarablus', 'region', True)
    >>> m.note
    "read as the outskirts of Jarablus: shown at Jarablus's own point, approximate"
    >>> resolve_areas([], [], [], lambda texts, idx: [], lambda name: False)
    []
    """
    out = list(answers)
    todo: list[tuple[int, Area]] = []
    for i, (name, answer) in enumerate(zip(names, answers, strict=True)):
        area = read_area(name)
        if area is None or known(name):
            continue
        settlement = area.meaning in _SETTLEMENT_MEANINGS
        text = _asked(area, known)
        rural = text.startswith("Rural ")  # "the Damascus countryside" is the governorate "Rural Damascus"
        if isinstance(answer, Match) and not rural and (
            not settlement or answer.method == "exact" or answer.place.kind.is_area
        ):
            if settlement and answer.place.kind.is_area and answer.method == "exact":
                out[i] = _as_area(answer, area)  # "Idlib countryside": the governorate
            continue
        if text.casefold() != name.strip().casefold():  # "Gaza countryside" was just asked: no loop
            todo.append((i, area))
    if not todo:
        return out
    texts = [_asked(a, known) for _, a in todo]
    found = resolve(texts, [i for i, _ in todo])
    for (i, area), got in zip(todo, found, strict=True):
        if not isinstance(got, Match):
            continue
        hint = (hints[i] or "").upper()
        if area.meaning not in _SETTLEMENT_MEANINGS and (
            got.method != "exact" or (hint and got.place.country != hint)
        ):
            continue
        if isinstance(out[i], Match) and got.method != "exact":
            continue  # the whole name matched loosely, and so did X: keep the whole
        out[i] = _as_area(dataclasses.replace(got, query=names[i]), area)
    return out


def _asked(area: Area, known: Callable[[str], bool]) -> str:
    """What to look up for an area: X, or for a countryside "Rural X" or "X countryside".

    "Rural X" where a place has that name (Rural Damascus), else the governorate of X.
    """
    if area.meaning != "countryside":
        return area.place
    return f"Rural {area.place}" if known(f"Rural {area.place}") else f"{area.place} countryside"


def _as_area(match: Match, area: Area) -> Match:
    place = match.place
    kind = place.kind if place.kind.is_area else PlaceKind.REGION
    note = f"read as {area.describe(place.name)}: shown at {place.name}'s own point, approximate"
    # X's own note, without the reading of "X countryside" made on the way.
    kept = [part for part in match.note.split("; ") if part and not part.startswith("read as ")]
    note = "; ".join([note, *kept])
    best = dataclasses.replace(
        match.best, place=dataclasses.replace(place, kind=kind, approximate=True)
    )
    return dataclasses.replace(match, best=best, note=note)
