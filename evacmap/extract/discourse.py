"""How the sentences of an article refer to each other's places.

A sentence often names no place and still says where people went or came from: "from
the city", "arrived in the town", "The convoy, which left from X, …". These helpers find
the place such words refer back to, and say when an origin is only a broad area or a
destination only a country, so a later, more precise sentence may replace it. They read
the :class:`Sentence` values the extractor builds and never the particular article.

Examples
--------
>>> says_displaced("40,000 people have been displaced".split()), says_displaced("displaced people".split())
(True, False)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from evacmap.extract import rules
from evacmap.extract.lexicon import words as word_set
from evacmap.extract.numbers import NumberMention
from evacmap.extract.result import PlaceMention

__all__ = [
    "BACK_REFERENCES",
    "PLACE_NOUNS",
    "Sentence",
    "is_broad",
    "referred_place",
    "says_displaced",
    "within_countries",
]

#: Nouns that name what a place is ("the town of Douma"; "from the city" refers back to it).
PLACE_NOUNS = word_set("town city village district neighbourhood neighborhood camp suburb enclave area crossing site")
#: Openings of a sentence that refer back to the movement before it ("The convoy, which …").
BACK_REFERENCES = frozenset({
    "they", "them", "the convoy", "the group", "the buses", "the evacuees", "the refugees",
    "the families", "the civilians", "the displaced", "the fighters", "the people", "the returnees",
    "the convoys", "the militants", "the rebels",
})


@dataclass
class Sentence:
    """One sentence of an article: its span, tokens, folded words, place mentions and figures."""

    start: int
    end: int
    tokens: list[tuple[int, int]]
    words: list[str]
    mentions: list[PlaceMention]
    mention_tokens: list[tuple[int, int]]
    numbers: list[NumberMention] = field(default_factory=list)
    #: For a list line (see :mod:`evacmap.extract.lists`): the end its places are, and
    #: the index of its heading sentence.
    list_role: str = ""
    list_heading: int = -1


def says_displaced(words: list[str]) -> bool:
    """Whether the clause says people were displaced ("have been displaced"), not "displaced people"."""
    return any(w in ("displaced", "uprooted") and (
        (i > 0 and words[i - 1] in ("been", "were", "was", "are", "is"))
        or (words[i + 1 : i + 2] and words[i + 1][:1].isdigit()))  # "attacks displaced 91,239 people"
        for i, w in enumerate(words))


#: The kinds of place a place noun may refer back to ("the neighbourhood" is not the city).
_NOUN_KINDS = {
    "neighbourhood": ("neighbourhood", "district"), "neighborhood": ("neighbourhood", "district"),
    "district": ("district", "neighbourhood"), "camp": ("camp",), "village": ("village",),
    "suburb": ("neighbourhood", "district", "town"), "crossing": ("crossing",), "site": ("camp",),
}
#: Verbs after which "there" is where people went ("arrived there", "were taken there").
_THERE_VERBS = rules.ARRIVAL_VERBS | rules.DEST_VERBS | word_set("taken brought moved transferred transported bused went")

ORIGIN_CUES = ("from", "left", "leave", "leaving", "exited", "of", "fled", "flee", "fleeing", "escaped",
                "departed", "quit", "abandoned", "evacuated")
DEST_CUES = ("in", "at", "to", "into", "reached", "entered", "towards", "toward")


def referred_place(cwords: list[str], sents: list[Sentence], si: int, role: str = "origin",
                    latest: tuple[PlaceMention, int] | None = None) -> tuple[PlaceMention, int] | None:
    """The place "from the city" (or "arrived in the city") refers to, and its sentence.

    A place noun with no name after it ("the city", "the border area") in the role's
    cue refers to a place of the three sentences before: first one named with that
    noun ("the city of Daraa", "Daraa city"), else the latest place of the kind the noun names
    ("the neighbourhood", "the camp"), else `latest` (the story's latest origin,
    when given), else the first origin (for an origin) or
    the first destination (for a destination) of the latest sentence that has one, else
    the latest place that is not an end of the other role.
    """
    cues = ORIGIN_CUES if role == "origin" else DEST_CUES
    noun = ""
    if role == "destination" and any(w == "there" and cwords[i - 1] in _THERE_VERBS
                                     for i, w in enumerate(cwords) if i > 0):
        # "… to the Hammam al-Alil screening site. 953 individuals arrived there"
        return _latest_end(sents, si, role, range(si - 1, max(-1, si - 4), -1))
    for i, w in enumerate(cwords[:-2]):
        if w not in cues or cwords[i + 1] != "the":
            continue
        for j in (i + 2, i + 3):  # "the city", "the border area"
            if j < len(cwords) and cwords[j] in PLACE_NOUNS and (j + 1 >= len(cwords) or cwords[j + 1] != "of"):
                noun = cwords[j]
                break
        if noun:
            break
    if not noun:
        return None
    if role == "destination" and cwords[i] in ("in", "at") and not any(w in rules.ARRIVAL_VERBS or w in rules.DEST_VERBS
                                                              for w in cwords[max(0, i - 3) : i]):
        return None  # "in the city" without an arrival is where something is
    earlier = range(si - 1, max(-1, si - 4), -1)
    other = "destination" if role == "origin" else "origin"
    for k in earlier:  # first a place named with the same noun: "the city of Daraa", "Daraa city"
        s = sents[k]
        for m, (a, b) in zip(reversed(s.mentions), reversed(s.mention_tokens), strict=True):
            if m.place is not None and (s.words[max(0, a - 2) : a] == [noun, "of"] or s.words[b : b + 1] == [noun]
                                        or (noun == "site" and s.words[b + 1 : b + 2] == [noun])):
                return m, k
    kinds = _NOUN_KINDS.get(noun, ())
    for k in earlier:  # then the latest place of that kind: "left the neighbourhood" after "Sheikh Maqsoud"
        for m in reversed(sents[k].mentions):
            if m.place is not None and m.place.kind.value in kinds and m.role not in (other, "waypoint"):
                return m, k
    if latest is not None:
        return latest
    found = _latest_end(sents, si, role, earlier)
    if found is not None:
        return found
    for k in (*earlier, si):  # else its latest place that is not an end of the other role
        for m in reversed(sents[k].mentions):
            if m.place is not None and m.role not in (other, "waypoint") and (k < si or m.role != role) and (
                    m.place.kind.value not in ("country", "governorate", "region")):
                return m, k
    return None


def _latest_end(sents: list[Sentence], si: int, role: str, earlier: range) -> tuple[PlaceMention, int] | None:
    """The first place of `role` (not a country) of the latest sentence before `si` that has one."""
    for k in earlier:
        for m in sents[k].mentions:
            if m.place is not None and m.role == role and m.place.kind.value != "country":
                return m, k
    return None


def is_broad(m: PlaceMention | None) -> bool:
    """Whether an origin is missing or only an area (a governorate, region or country)."""
    return m is None or m.place is None or m.place.kind.value in ("governorate", "region", "country", "district")


def within_countries(have: list[PlaceMention], new: list[PlaceMention]) -> bool:
    """Whether `have` are only areas (countries, governorates, regions) and every place of `new` lies in one.

    "… left Arsal to return to their villages in Syria (or: in the Qalamoun region). …
    were to be taken to Flita and Qarah": the villages say where. A country holds the
    places of its code; a governorate or region those of its admin1 P-code.
    """
    countries = {m.place.country for m in have if m.place is not None and m.place.kind.value == "country"}
    admin1 = {m.place.admin1_pcode for m in have if m.place is not None and m.place.kind.is_area
              and m.place.kind.value != "country" and m.place.admin1_pcode}
    if len(countries) + len(admin1) != len(have):
        return False
    return all(m.place is not None and (m.place.country in countries or (
        m.place.admin1_pcode in admin1 and not m.place.kind.is_area)) for m in new)
