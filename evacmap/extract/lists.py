"""Lists of places with figures, as situation reports write them.

OCHA flash updates and IOM displacement reports often give figures as list lines under
a heading rather than in sentences::

    IDP arrivals by community (people):
    - Dana: 38,000
    - Maaret Tamsrin: 12,500; Sarmada: 9,000

A line is a *list item* when it holds nothing but ``place: figure`` pairs (an optional
bullet, dash or number first; an optional unit after the figure). The heading above
the items says which end of a movement the places are: arrivals, hosting and "by
destination" make them destinations; departures and "by origin" or "displaced from"
make them origins. A heading that says neither leaves the items alone: a figure
beside a place name is not a movement unless the report says so.

Examples
--------
>>> is_item("- Dana: 38,000"), is_item("Dana: 12,000; Sarmada: 4,500 people")
(True, True)
>>> is_item("• Dana sub-district: 41,000 people, mostly into existing camps")
True
>>> is_item("The UN said: 38,000 people left"), is_item("Dana, 38,000")
(False, False)
>>> heading_role("IDP arrivals by community (people):".lower().split())
'destination'
>>> heading_role("people displaced from Maarat al-Numan, by location".lower().split())
'destination'
>>> heading_role("Departures by district:".lower().split())
'origin'
>>> heading_role("most of those leaving Rukban have gone to Homs governorate :".lower().split())
'destination'
>>> heading_role("Funding requirements by sector:".lower().split())
''
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from evacmap.extract.lexicon import words as _w

__all__ = ["APPROX", "heading_role", "is_item", "item_unit"]

#: Words that round a figure in a list line ("Dana: about 38,000"); match without case.
APPROX = r"(?:about|some|around|approximately|approx\.|an\s+estimated|over|more\s+than|at\s+least|nearly|almost|up\s+to)"
_UNIT = r"(?:\s+(?:people|persons|individuals|idps|families|households|hhs|displaced|new\s+arrivals|arrivals))?"
#: One ``place: figure`` pair (a line holds one, or several separated by ";"). Each part of
#: the pattern can match in one way only, so a long hostile line costs linear time.
_PAIR_RE = re.compile(
    r"(?:[•·▪‣◦*–—-]\s*|\(?(?:\d{1,2}|[a-z])[.)]\s+)?"  # a bullet, "1." or "a)"
    r"[^\W\d_][^:;\n\d]{0,60}[:–—]\s*"  # the place and the colon
    rf"(?:{APPROX}\s+)?(?:\d{{1,3}}(?:[,.]\d{{3}})+|\d+)(?:\s*[-–]\s*\d[\d,]*)?"  # the figure, or a range
    rf"{_UNIT}(?:\s*\([^)\n]{{0,40}}\))?"
    r"(?:,\s+[a-z][^:;\n\d]{0,50}|\s+in\s+total)?\s*[,.]?",  # "41,000 people, mostly into existing camps"
    re.IGNORECASE,
)
#: Longer lines are prose, not list items.
_ITEM_CHARS = 600
_DESTINATION = _w(
    "destination destinations arrival arrivals arrived arriving arrive arrives hosted hosting host received "
    "receiving sheltered sheltering reception influx"
)
_DEPARTURES = _w("departure departures")
_ORIGIN = _w("departed leaving left fled")
_WHERE = _w("destination location locations community communities district districts area areas camp camps "
            "governorate governorates sub-district subdistrict")
_TO = _w("to towards toward into")
_MOVED = _w("gone went moved fled displaced relocated returned travelled traveled headed evacuated")
_FAMILY_UNITS = _w("families households hhs family household")


def is_item(sentence: str) -> bool:
    """Whether `sentence` is a list line of ``place: figure`` pairs."""
    text = sentence.strip()
    if len(text) > _ITEM_CHARS or (":" not in text and "–" not in text and "—" not in text):
        return False
    return all(_PAIR_RE.fullmatch(part.strip()) for part in text.split(";") if part.strip())


def heading_role(words: Sequence[str]) -> str:
    """The end of a movement a heading's list names: ``"destination"``, ``"origin"`` or ``""``.

    `words` are the heading's folded tokens.
    """
    present = set(words)
    if _after(words, "by", ("origin", "origins", "place")) or not _DEPARTURES.isdisjoint(present):
        return "origin"  # "IDPs by origin", "departures by district"
    if not _DESTINATION.isdisjoint(present) or _after(words, "by", _WHERE) or any(
            w in _TO and i > 0 and words[i - 1] in _MOVED for i, w in enumerate(words)):
        return "destination"  # "arrivals by community", "… by location", "have gone to:"
    if _after(words, "displaced", ("from", "out")) or not _ORIGIN.isdisjoint(present):
        return "origin"
    return ""


def item_unit(words: Sequence[str]) -> str:
    """``"families"`` when the item or its heading counts families or households, else ``"people"``."""
    return "families" if not _FAMILY_UNITS.isdisjoint(words) else "people"


def _after(words: Sequence[str], first: str, then: Collection[str]) -> bool:
    return any(w == first and words[i + 1 : i + 2] and words[i + 1] in then for i, w in enumerate(words))
