"""The clause rules: what role a place plays, whom a figure counts, and how it was stated.

Each rule looks at the words of one sentence (folded tokens) around a place or a
figure, never at the particular article: cue words before a place ("from", "out of",
"headed for", "via") give its role; the noun after a figure says whom it counts
("militants" are fighters, "families" keep their unit); words of the clause say whether
it is planned ("will", "is expected to"), a running total ("bringing the total to",
"so far"), or not a movement of this event at all (people who stayed or surrendered,
casualties, background and history).

Examples
--------
>>> words = "450 people have left the El Waer district for Idlib".lower().split()
>>> role_before(words, 5, {})
'origin'
>>> role_before(words, 9, {})
'destination'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from evacmap.extract.lexicon import words as _w

__all__ = [
    "CountHead",
    "clause_exclusion",
    "count_head",
    "is_breakdown",
    "kind_cues",
    "role_before",
]

ORIGIN_PREP = _w("from")
ORIGIN_VERBS = _w(
    "left leave leaves leaving depart departed departing departs exited exit exits exiting "
    "fled flee flees fleeing evacuated evacuate evacuating evacuates quit abandon abandons abandoning abandoned vacated "
    "vacate expelled escaped escape escaping"
)
ORIGIN_NOUNS = _w("evacuation evacuations withdrawal exodus departure emptying")
DEST_PREP = _w("to towards toward into")
DEST_VERBS = _w("reached reach reaching reaches entered enter entering enters")
ARRIVAL_VERBS = _w(
    "arrived arrive arriving arrives settled resettled relocated sheltered housed up landed "
    "received stationed"
)
HEADING = _w(
    "headed heading head heads bound destined left leave leaving leaves departed depart "
    "departing set off buses bus convoy convoys evacuated transported transferred moved"
)
WAY_PREP = _w("via through")
RESIDENTS = _w("residents inhabitants people natives families civilians")
FACILITIES = _w(
    "hospitals hospital shelters shelter camps camp schools school areas area towns town "
    "villages village centres centers sites site settlements reception collective "
    "hotels hotel mosques mosque churches church colleges college universities university stadiums stadium"
)
#: Where people were held or put up before the move the clause states.
_HELD_IN = _w("trapped besieged stranded encircled holed staying sheltering living residing accommodated camped")
#: Words before an unnamed site ("to sites near Goma", "to an informal tent camp near Halba").
_UNNAMED_SITE = _w("to into towards toward a an the informal tent makeshift displacement idp temporary existing new nearby")
FIGHTING = _w("fighting violence clashes battles bombardment shelling airstrikes strikes offensive siege hostilities")
FLEEING = _w("fled flee fleeing escaped escape escaping displaced uprooted")
WAY_AT = _w("waited wait waiting stopped stop crossing checkpoint passing transiting stopover")
#: Words skipped between a cue and its place ("for insurgent-held Idlib").
SKIP = _w(
    "the a an its their this that northern southern eastern western north south east west "
    "central rural besieged opposition rebel insurgent government regime held controlled "
    "nearby neighbouring neighboring town city village district province governorate camp "
    "camps countryside area areas region suburb suburbs outskirts border crossing makeshift "
    "of - makeshift remote mostly mainly largely directly then final main"
)
MOVE_VERBS = (
    ORIGIN_VERBS | ARRIVAL_VERBS | DEST_VERBS | ORIGIN_NOUNS
    | _w(
        "headed heading bound destined transported transferred transfer bused bussed "
        "moved relocated crossed withdrew withdraw withdrawing returned return returning "
        "taken carrying carried boarded board went gone go going sent displaced passage "
        "driven evacuees ferried shipped brought brings follow joined collect collected rescued "
        "airlifted flown transited relocate relocating move moving travelling traveling travelled traveled"
    )
)

#: Plural place nouns after an area and before "of": "the Bekaa towns of Zahle and Baalbek".
MEMBER_NOUNS = _w("towns villages cities camps districts neighbourhoods neighborhoods suburbs")
#: Directions before "of" that place something near a place, not in it ("south of Mosul").
_DIRECTION_ADJ = _w(
    "northern southern eastern western northwestern northeastern southwestern southeastern central"
)
COMPASS = _w("north south east west northeast northwest southeast southwest north-east north-west south-east south-west")
#: Verbs after "to" that make the place a military target ("to retake Tal Afar").
MILITARY = _w(
    "retake recapture capture take seize liberate besiege attack storm control clear secure "
    "encircle oust expel defend"
)
FIGHTERS = _w(
    "fighters fighter militants militant rebels rebel gunmen insurgents combatants "
    "jihadists jihadis jihadist terrorists"
)
CIVILIANS = _w("civilians civilian residents resident inhabitants")
WOUNDED = _w("wounded injured sick patients")
PEOPLE = _w(
    "people persons individuals evacuees displaced idps refugees men others members "
    "elderly passengers returnees migrants syrians iraqis palestinians yemenis afghans kurds "
    "yazidis turkmen christians relatives dependents dependants nationals citizens foreigners "
    "survivors arrivals newcomers evacuated bedouins sudanese ethiopians ukrainians lebanese rohingya "
    "armenians somalis eritreans congolese mozambicans"
)
FAMILIES = _w("families households hhs")
_CARRYING = _w("ferried ferry ferrying driven carried taken brought airlifted flown")
NOT_PEOPLE = _w(
    "buses bus vehicles vehicle trucks truck cars convoys km kilometres kilometers miles "
    "metres meters years year days day hours hour minutes percent per dollars tons tonnes "
    "weapons rockets shells times month months weeks week points aid parcels baskets "
    "ambulances sites houses homes buildings villages towns batches batch waves rounds trips flights "
    "planes boats ferries trains centers centres shelters schools camps nationalities countries "
    "consultations meals tents"
)
ADJ_OK = _w(
    "more other additional armed syrian opposition rebel displaced besieged remaining "
    "last of their hardline islamist sick elderly mostly young new further wounded"
)
PARTS_OF = _w("half most some many part rest third quarter majority two-thirds all each none")
BREAKDOWN_BEFORE = _w("including includes included among incl")

STAY = _w(
    "stay stayed staying remain remained refused surrender surrendered "
    "surrendering amnesty reconciliation settle settled hand handed behind"
)
CASUALTY = _w("killed killing kills dead died dying deaths death casualties martyred massacred executed")
BACKGROUND = (
    ("civil", "war"), ("since", "2011"), ("the", "conflict", "has"), ("the", "war", "has"),
    ("war", "which", "has"), ("nationwide",), ("across", "the", "country"), ("uprising",),
    ("before", "the", "conflict"), ("before", "the", "war"), ("worldwide",),
    ("since", "the", "war", "began"), ("since", "the", "start", "of", "the", "war"),
    ("past", "decade"), ("last", "decade"), ("before", "the", "offensive"), ("before", "the", "takeover"),
    ("before", "the", "crisis"), ("before", "the", "fighting"), ("prior", "to", "the"),
    ("before", "the", "operation"), ("before", "the", "assault"), ("before", "the", "storm"),
    # a country's displaced population: "7.6 million are displaced inside Syria"
    ("are", "displaced", "inside"), ("are", "displaced", "within"), ("are", "internally", "displaced"),
    ("displaced", "inside", "the", "country"), ("displaced", "within", "the", "country"),
    ("are", "displaced", "in", "the"),
)
#: A figure that may yet move ("could be displaced"): a projection, not a plan or a movement.
PROJECTION: tuple[tuple[str, ...], ...] = (
    ("could", "be", "displaced"), ("may", "be", "displaced"), ("might", "be", "displaced"),
    ("at", "risk", "of"), ("could", "flee"), ("may", "flee"), ("worst-case",), ("scenario",),
)
HISTORY = (
    ("last", "year"), ("years", "ago"), ("earlier", "deal"), ("similar", "deal"),
    ("previous", "deal"), ("previous",), ("compared", "with"), ("compared", "to"),
    ("a", "similar"),
)
PLANNED_CUES = (
    ("will",), ("would",), ("is", "expected"), ("are", "expected"), ("expected", "to"),
    ("due", "to"), ("set", "to"), ("scheduled",), ("plan",), ("plans",), ("planned",),
    ("planning",), ("to", "be", "evacuated"), ("to", "be", "transferred"),
    ("to", "be", "moved"), ("are", "to"), ("is", "to"), ("were", "to", "be"), ("was", "to", "be"),
    ("allowed", "to"),
    ("should",), ("by", "the", "time"), ("aims", "to"), ("aim", "to"), ("aimed", "to"), ("aiming", "to"),
    ("intended",), ("agreed", "to"),
    ("could",), ("set", "off", "soon"), ("is", "due"), ("are", "due"), ("ll",),
    ("expect",), ("expects",), ("expected", "the", "number"), ("expected", "the", "total"), ("wishing", "to"), ("wish", "to"), ("want", "to"),
    ("wanting", "to"), ("registered", "to"),
)
CUMULATIVE_CUES = (
    ("in", "all"), ("in", "total"), ("so", "far"), ("to", "date"), ("altogether",),
    ("overall",), ("since", "the", "start"), ("since", "the", "beginning"),
    ("since", "the", "evacuation"), ("since", "evacuations"), ("cumulative",),
    ("total", "number"), ("since", "the", "operation"), ("as", "of"),
)
MONTHS = _w(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
_RISE = _w("rose risen rises rising climbed climbs increased increases grew grown reached reaches stands stood")
#: Who reports from a place ("a correspondent in Hama"): that place is not where people moved.
REPORTERS = _w(
    "correspondent correspondents reporter reporters journalist journalists source sources activist "
    "activists stringer bureau office offices monitor monitors spokesman spokeswoman spokesperson"
)
BRINGING = _w("bringing brings raising raises taking takes brought raised")


def has_phrase(words: Sequence[str], phrase: tuple[str, ...]) -> bool:
    """Whether `phrase` occurs in `words` (folded tokens)."""
    return _has(words, phrase) >= 0


def _has(words: Sequence[str], phrase: tuple[str, ...]) -> int:
    """Index of the first occurrence of `phrase` in `words`, or -1."""
    if phrase[0] not in words:
        return -1
    n = len(phrase)
    first = phrase[0]
    for i, w in enumerate(words):
        if w == first and tuple(words[i : i + n]) == phrase:
            return i
    return -1


#: Nouns of finding safety somewhere ("800 families have taken refuge in Hasakeh").
_REFUGE = _w("refuge shelter safety sanctuary")
#: Nouns for parts of an area ("other locations within X", "several parts of X").
_PARTS_OF_AREA = _w("locations location areas area parts part places sites districts regions corners")
#: Words of an area's extent: "stretching from X to Y" says where it lies, not who moved.
_EXTENT = _w("stretching stretches stretched extending extends extended spanning spans ranging ranges")


def _extent(words: Sequence[str], k: int) -> bool:
    """Whether the "from" or "to" at `k` gives the extent of an area ("stretching from X to Y")."""
    if words[k] == "from":
        return k > 0 and words[k - 1] in _EXTENT
    for i in range(k - 1, max(0, k - 8), -1):
        if words[i] == "from":
            return words[i - 1] in _EXTENT
    return False


def role_before(words: Sequence[str], start: int, prev_roles: Mapping[int, tuple[int, str]]) -> str:
    """The role of the place whose first token is `start`, from the words before it.

    Parameters
    ----------
    words
        The sentence's tokens, folded (punctuation kept as itself).
    start
        Index of the place's first token.
    prev_roles
        For tokens that end an earlier place of the sentence: ``end index -> (start
        index, role)``; a place joined to it by "and", "or" or a comma takes its role,
        one joined by "of", "in" or a possessive qualifies it.

    Returns
    -------
    str
        ``"origin"``, ``"destination"``, ``"waypoint"``, ``"location"`` (a place where
        something is, "in X"), ``"qualifier"`` ("the city of Homs" after a district) or
        ``""`` (no role).

    Examples
    --------
    >>> role_before("arrived in idlib".split(), 2, {})
    'destination'
    >>> role_before("headed to idlib , or for jarablus".split(), 6, {3: (2, "destination")})
    'destination'
    """
    if start > 1 and words[start - 1] == "of" and words[start - 2] in COMPASS:
        return ""  # "camps south of Mosul": somewhere near the place, not the place
    for i in range(start - 1, max(-1, start - 12), -1):
        if words[i] in (";", ".") or words[i] in MOVE_VERBS:
            break
        if words[i] == "according" and words[i + 1 : i + 2] == ["to"]:
            return ""  # "according to a reporter from China's Xinhua": who tells it, not where people went
    k = start - 1
    path: list[str] = []
    steps = unknown = 0
    while k >= 0 and steps < 9:
        if k + 1 in prev_roles and path:
            _p_start, p_role = prev_roles[k + 1]
            joined = set(path)
            if joined <= {"and", "or", ",", "then", "and/or", "as", "well"}:
                return p_role if p_role in ("origin", "destination", "waypoint") else ""
            if joined - _DIRECTION_ADJ <= {"s", "'", "’"} and joined & {"s", "'", "’"}:
                return p_role  # "leaving Syria's (southwestern) Eastern Ghouta": the role of the cue before
            if len(path) > 1 and path[0] == "of" and path[1] in MEMBER_NOUNS and p_role in ("origin", "destination"):
                return p_role  # "the Bekaa valley towns of Zahle and Baalbek": the towns are the ends
            if joined & {"of", "in", "s", "'", "’"} and not joined & {",", "and", "or"}:
                return "qualifier"
            return ""
        if k + 1 in prev_roles and not path:
            # directly after another place ("Syria's" was split off): qualifies it
            return "qualifier"
        w = words[k]
        if w == ")" and "(" in words[max(0, k - 5) : k]:
            # "to Lattakia (445), Hama (310)": a figure in brackets after the place before
            k = max(i for i in range(max(0, k - 5), k) if words[i] == "(") - 1
            steps += 1
            continue
        prev = words[k - 1] if k > 0 else ""
        if w in ("within", "inside", "of", "in") and prev in _PARTS_OF_AREA:
            # "to other locations within Anbar", "from several parts of Hama": the cue before the parts
            for j in range(k - 2, max(-1, k - 6), -1):
                if words[j] in ORIGIN_VERBS:
                    return "origin"  # "ordered people to leave the eastern part of Rafah"
                if words[j] in DEST_PREP or words[j] in ORIGIN_PREP:
                    if _extent(words, j):
                        return ""  # "a zone stretching from al-Mawasi to parts of Khan Younis"
                    return "destination" if words[j] in DEST_PREP else "origin"
        if w in ("from", "to") and _extent(words, k):
            return ""  # "a zone stretching from Khan Younis to Deir al-Balah": where an area lies
        if w in ORIGIN_PREP:
            if prev in ("originally", "hail", "hails", "hailing", "native", "natives", "coming"):
                return ""  # "200 of the fighters were originally from Daraya": where they are from
            return "origin"
        if w == "of" and prev == "out":
            return "origin"
        if w == "of" and prev in ORIGIN_NOUNS:
            return "origin"
        if w == "of" and prev in RESIDENTS and any(x in MOVE_VERBS for x in words):
            return "origin"  # "buses carrying 5,000 residents of Foua"
        if w in ORIGIN_VERBS and "to" not in path:
            return "origin"
        if w in DEST_PREP:
            if w == "to" and prev in ("close", "next", "due", "according", "near"):
                return ""
            if prev in ("returns", "returned", "spread", "spreads", "came", "comes") and any(
                    x in FIGHTING for x in words[max(0, k - 3) : k]):
                return ""  # "as fighting returns to Gaza's north": not where people went
            if w == "to" and prev in ("road", "highway", "motorway") and k > 1 and words[k - 2] == "the" and (
                    k > 2 and words[k - 3] in ("on", "along", "off", "near", "by")):
                return ""  # "Khazer camp on the road to Erbil": where the camp lies, not where people went
            if w == "to" and words[k + 1 : k + 2] and words[k + 1] in MILITARY:
                return ""  # "operations to retake Tal Afar": the target, not a destination
            return "destination"
        if w in DEST_VERBS:
            return "destination"
        if w == "for":
            # "left Tabqa for Ain Issa", "fled Madaya for Idlib"
            return "destination" if prev in HEADING or any(x in HEADING or x in ORIGIN_VERBS for x in words[:k]) else ""
        if w in ("in", "at", "around", "near") and prev in FIGHTING and any(x in FLEEING for x in words):
            return "origin"  # "fighting around Hodeidah has forced 26,000 to flee"
        if w in ("in", "at") and prev in WOUNDED and any(x in MOVE_VERBS or x in _CARRYING for x in words):
            return "origin"  # "ferried 85 people wounded in Qusair to hospitals": where they were hurt
        if w in ("in", "at") and any(x in ("boarded", "board", "boarding") for x in words[max(0, k - 4) : k]):
            return "origin"  # "boarded buses in Daraya"
        if w in ("in", "at") and (prev in REPORTERS or (k > 1 and words[k - 2] in REPORTERS)):
            return ""  # "the agency's correspondent in Hama": where the news comes from
        if w in ("in", "at") and prev in ("based", "headquartered"):
            return ""  # "an opposition group based in London": where an organisation is
        if w == "in" and prev[:1].isdigit() and any(
                x in ARRIVAL_VERBS or x in DEST_VERBS or x in _REFUGE for x in words[:k]):
            return "destination"  # "132,000 had arrived in Egypt, 80,000 in Chad"; "… taken refuge in X and 150 in Y"
        if w in ("in", "at") and prev in ("shelter", "refuge", "sanctuary", "safety", "protection") and k > 1 and (
                words[k - 2] in ("sought", "seeking", "seek", "took", "taken", "found", "finding", "sheltered", "for")):
            return "destination"  # "284 families sought shelter in Lahj", "fled Sudan for safety in Chad"
        if w in ("in", "at") and prev in _HELD_IN and any(x in MOVE_VERBS for x in words[k + 1 :]):
            # "126 fighters who had been trapped in Zabadani landed in Hatay"; "120 families staying
            # at the Jdeidet Yabous border point are due to be relocated to Rural Damascus"
            return "origin"
        if w in ("in", "at"):
            if k in prev_roles and prev_roles[k][1] in ("origin", "destination", "waypoint"):
                return "qualifier"  # "al-Hol camp in Hasakah province": where the camp is
            if prev in FACILITIES or prev in ("homes", "houses", "origin"):
                lead = words[max(0, k - 5) : k - 1]
                for x in reversed(lead):
                    if x in DEST_PREP or x == "for" or x in DEST_VERBS or x in ARRIVAL_VERBS:
                        return "destination"  # "taken to hospitals in Damascus"
                    if x == "from" or x in ORIGIN_VERBS or x in FLEEING:
                        return "origin"  # "returned from camps in Lebanon", "fled their homes in X"
                    if x in (",", ";", "and", "or") or x in MOVE_VERBS:
                        break
            if prev in FIGHTING and any(x in FLEEING for x in words[max(0, k - 4) : k]):
                return "origin"  # "fled (the) fighting in Deir ez-Zor"
            if _fled_before(words, k):
                return "origin"  # "civilians who fled the oppression of the group in Tal Rifaat"
            if prev in ARRIVAL_VERBS or _arrived_before(words, k):
                return "destination"  # "arrived on Saturday morning, 24 March, at Qalaat al-Madiq"
            if prev in WAY_AT or (k > 1 and words[k - 2] in WAY_AT):
                return "waypoint"
            return "location"
        if w in WAY_PREP:
            return "waypoint"
        if w in ("outside", "near", "around") and unknown < 3 and k > 0:
            # "left the barren hills outside Ras Baalbek": the cue before the hills, if it is an
            # origin; "displaced 2,000 families to sites near Goma": the place the sites are by
            before = role_before(words, k, {})
            if before == "destination" and prev in FACILITIES and k > 1 and words[k - 2] in _UNNAMED_SITE:
                return "destination"  # (a named camp near a town is the end: "Bardarash camp near Dohuk")
            return "origin" if before == "origin" else ""
        if w in SKIP or (w.isalpha() and w not in MOVE_VERBS and unknown < 2 and w not in (
            "and", "or", "said", "says", "is", "was", "were", "are", "has", "have", "near",
            "along", "outside", "inside", "around", "by", "with", "on", "as", "while", "which",
            "who", "where", "after", "before", "when", "than", "toward",
        )):
            unknown += w not in SKIP
            path.append(w)
            k -= 1
            steps += 1
            continue
        if w in (",", "and", "or", "s", "'", "’"):
            path.append(w)
            k -= 1
            steps += 1
            continue
        return ""
    return ""


#: Nouns after a place that make it where people came from ("former Rukban residents").
FROM_NOUNS = _w("residents evacuees idps displaced refugees natives survivors")
#: Verbs after a place that make it where people arrived ("the camp has received 432").
HOSTING_AFTER = _w("received receives welcomed welcomes")  # not "hosts": a stock of refugees, not a movement


def role_after(words: Sequence[str], end: int) -> str:
    """The role a place takes from the words right after it (when those before give none).

    Examples
    --------
    >>> role_after("432 former rukban residents".split(), 3)
    'origin'
    >>> role_after("mahmoudli camp has also received 432".split(), 2)
    'destination'
    >>> role_after("idlib said".split(), 1)
    ''
    """
    nxt = words[end : end + 4]
    if nxt[:1] and nxt[0] in FROM_NOUNS:
        return "origin"
    for w in nxt:
        if w in HOSTING_AFTER:
            return "destination"
        if w not in ("has", "have", "had", "also", "already", "now", "so", "far", "alone", "camp"):
            break
    return ""


_WHEN_WORDS = MONTHS | _w(
    "monday tuesday wednesday thursday friday saturday sunday today yesterday tonight overnight "
    "on late early in the morning evening night afternoon dawn , a.m p.m at"
)


def _arrived_before(words: Sequence[str], k: int) -> bool:
    """Whether an arrival verb stands before `k` with only a time between ("arrived on Friday, at")."""
    for x in reversed(words[max(0, k - 9) : k]):
        if x in ARRIVAL_VERBS:
            return True
        if not (x in _WHEN_WORDS or x[:1].isdigit()):
            return False
    return False


def _fled_before(words: Sequence[str], k: int) -> bool:
    """Whether "in" at `k` ends the object of a flight ("who fled the attacks of X in Y").

    A word of fleeing within the ten tokens before, with no arrival, destination word or
    clause break between, makes the place after "in" where people fled from.

    Examples
    --------
    >>> _fled_before("who fled the oppression of the group in tal".split(), 7)
    True
    >>> _fled_before("fled to camps and settled in tal".split(), 5)
    False
    """
    for x in reversed(words[max(0, k - 10) : k]):
        if x in FLEEING and x not in ("displaced", "uprooted"):  # "displaced families living in X": no flight
            return True
        if x in DEST_PREP or x in ARRIVAL_VERBS or x in DEST_VERBS or x in (",", ";", "and", "for", "from"):
            return False
    return False


@dataclass(frozen=True, slots=True)
class CountHead:
    """Whom a figure counts: group label (or ``""``), unit, and the head word's token range."""

    group: str
    unit: str
    start: int
    end: int


_QUOTES = frozenset({'"', "“", "”", "'", "‘", "’"})
#: Nouns of a running count ("the number", "the influx") and words of it passing a figure.
_TOTAL_NOUNS = _w("number total tally figure influx exodus")
_PASSED = _w("reach reached reaches exceed exceeded exceeds hit surpass surpassed passed pass passes top topped tops now")


def _demonym(w: str) -> bool:
    """Whether a word names people by where they are from ("Burundians", "Congolese", "Eritreans").

    Examples
    --------
    >>> _demonym("burundians"), _demonym("congolese"), _demonym("plans"), _demonym("these")
    (True, True, False, False)
    """
    return (len(w) > 6 and w.endswith(("ians", "eans", "ans", "ese"))) and w not in _NOT_DEMONYMS


#: Words with a demonym's ending that do not name people.
_NOT_DEMONYMS = _w("guidelines bans pans loans scans vans caravans organs")


def counts_a_total(words: Sequence[str]) -> bool:
    """Whether a clause speaks of a running count.

    "the number", "the figure", "the total", "there are 250 people in all".
    """
    return any(w in _TOTAL_NOUNS and i > 0 and words[i - 1] in ("the", "its", "this", "that", "a")
               for i, w in enumerate(words)) or (
        words[:1] == ["there"] and (has_phrase(words, ("in", "all")) or has_phrase(words, ("in", "total"))))


def count_head(words: Sequence[str], after: int, before: int) -> CountHead | None:
    """Whom the figure between tokens `before` and `after` counts, or None if not people.

    Parameters
    ----------
    words
        Folded tokens of the sentence.
    after
        Index of the first token after the figure.
    before
        Index of the figure's first token.

    Examples
    --------
    >>> count_head("some 3,700 rebels , allowed".split(), 2, 0)
    CountHead(group='fighters', unit='people', start=2, end=3)
    >>> count_head("300 families left".split(), 1, 0).unit
    'families'
    >>> count_head("50 buses carrying".split(), 1, 0) is None
    True
    """
    if words[after : after + 1] and words[after] in NOT_PEOPLE:
        return None  # "three batches of evacuees", "two trains"
    lead = words[max(0, before - 4) : before]
    if lead[-2:] == ["of", "the"] and (set(lead) & PARTS_OF or (len(lead) > 2 and lead[-3][:1].isdigit())):
        return None  # "half of the 2,400 evacuees", "400 of the 1,200 people": the whole, not those who moved
    if lead[-3:-1] and lead[-1] in ("s", "'s", "’s") and "of" in lead and set(words[max(0, before - 7) : before]) & PARTS_OF:
        return None  # "a quarter of Gaza's 2.3 million residents": a population
    if lead[-1:] == ["in"] and len(lead) > 1 and (lead[-2][:1].isdigit() or lead[-2] in _SMALL_NUMBERS):
        return None  # "one in five displaced families": a ratio
    if has_phrase(lead, ("out", "of")) and any(w[:1].isdigit() for w in words[max(0, before - 7) : before]):
        return None  # "4,500 families out of an original 9,500": the whole, not those who moved
    if {"his", "her", "my", "our", "your"} & set(words[max(0, before - 3) : before]):
        return None  # "with his wife and four children": a family's story, not a count
    k = after
    skipped = 0
    if words[after : after + 1] == ["of"]:
        # "hundreds of Jaish al-Islam fighters": a group's name between "of" and its members
        for j in range(after + 1, min(len(words), after + 8)):
            if words[j] in FIGHTERS or words[j] in CIVILIANS or words[j] in PEOPLE or words[j] in FAMILIES:
                k = j
                break
            if words[j] in MOVE_VERBS or (not words[j][:1].isalnum() and words[j] != "-"):
                break
    while k < len(words) and skipped <= 3:
        w = words[k]
        nxt = words[k + 1 : k + 4]
        if w in FIGHTERS:
            last = k
            while last + 1 < len(words) and words[last + 1] in FIGHTERS:
                last += 1  # "rebel fighters", "opposition militants"
            kin = _with_families(words, last + 1)
            if kin:
                # "650 gunmen and members of their families": not all fighters, no breakdown
                return CountHead("fighters and families", "people", k, last + 1 + kin)
            return CountHead("fighters", "people", k, last + 1)
        if w in CIVILIANS:
            return CountHead("civilians", "people", k, k + 1)
        if w in WOUNDED and not (nxt[:1] and nxt[0] in ("in", "by")):
            return CountHead("wounded", "people", k, k + 1)
        if w in ("women", "children"):
            if nxt[:2] in (["and", "children"], ["and", "women"]):
                return CountHead("women and children", "people", k, k + 3)
            return CountHead(w, "people", k, k + 1)
        if w == "men" and k == after:
            return CountHead("men", "people", k, k + 1)  # "1,450 men, 589 women and 900 children"
        if w in PEOPLE and nxt[:1] and nxt[0] in FAMILIES:
            return CountHead("", "families", k + 1, k + 2)  # "300 displaced families"
        if w in PEOPLE or _demonym(w):
            return CountHead("", "people", k, k + 1)
        if w in FAMILIES:
            return CountHead("", "families", k, k + 1)
        if w in NOT_PEOPLE:
            return None
        if w in _QUOTES and k == after and words[k + 2 : k + 3] and words[k + 2] in _QUOTES:
            k += 1  # '1,846 "militants"': the word a source used, in quotes
            continue
        if w in ADJ_OK or w == "-" or (w.isalpha() and skipped < 2 and w not in MOVE_VERBS
                                      and w not in ("and", "or", "to", "from", "in", "the", "who", "were", "was", "for", "with",
                                                   "by", "at", "on", "into", "as", "of")):
            k += 1
            skipped += w not in ("-", "al", "el")  # "12,000 al-Waer residents": one name
            continue
        break
    if words[after : after + 2] in (["of", "them"], ["of", "whom"], ["of", "those"]):
        return CountHead("", "people", after, after + 2)
    if words[after : after + 2] == ["of", "the"]:
        # "400 of the (approximately) 1,200 people": a part, counted in the whole's noun
        for j in range(after + 2, min(len(words), after + 9)):
            if words[j] in PEOPLE or words[j] in CIVILIANS or words[j] in FIGHTERS:
                return CountHead("", "people", j, j + 1)
            if words[j] in FAMILIES:
                return CountHead("", "families", j, j + 1)
            if not (words[j][:1].isdigit() or words[j] in (",", ".") or words[j] in _NUMBER_LEAD):
                break
    # No head after the figure: "bringing the number of evacuees to 8,000", "displaced 11 million"
    window = words[max(0, before - 6) : before]
    if bringing_total(words, before):
        if _things_before(words, before):
            return None  # "106 trucks carrying aid entered Gaza, bringing the total to 756": trucks
        return CountHead("", "people", before, before)
    rose = len(window) > 1 and window[-1] in ("to", "at") and (window[-2] in (
        "risen", "rose", "rise", "climbed", "increased", "grown", "jumped", "stands", "stood", "reaching")
        or (window[-1] == "at" and not {"put", "puts", "putting", "placed", "places"}.isdisjoint(window)))
    if window[-1:] and (rose or window[-1] in _PASSED) and any(
            w in _TOTAL_NOUNS for w in words[max(0, before - 18) : before]):
        if _number_of(words[max(0, before - 18) : before]) == "things":
            return None  # "put the number of buses at 50"
        return CountHead("", "people", before, before)  # "expected the number of evacuees to reach 40,000"
    if window[-1:] == ["of"] and any(w in ("group", "groups", "batch", "convoy", "wave", "total") for w in window[-3:]):
        return CountHead("", "people", before, before)  # "the first group of about 500"
    if words[after : after + 1] in (["more"], ["others"]):
        after += 1  # "Thousands more are expected to leave Sinjar"
    following = words[after : after + 3]
    if following[:1] and following[0] in ("are", "is", "were", "was"):
        following = words[after + 1 : after + 4]
        after += 1
    verb_at = after + 2 + (words[after + 2 : after + 3] == ["be"])  # "850 are due to be airlifted"
    if following[:2] in (["due", "to"], ["expected", "to"], ["set", "to"], ["are", "to"]) and (
        words[verb_at : verb_at + 1] and (words[verb_at] in MOVE_VERBS or words[verb_at] == "follow")
    ):
        return CountHead("", "people", before, before)  # "500 due to depart", "450 are due to follow"
    if following[:2] and following[0] in ("will", "would", "could", "should", "may") and (
            following[1] in MOVE_VERBS or following[1] == "follow"):
        return CountHead("", "people", before, before)  # "3,000 more would follow"
    if following[:1] and ((following[0] in MOVE_VERBS and following[0] not in ORIGIN_NOUNS) or (
        following[0] in ("have", "has", "had", "were", "was") and following[1:2] and following[1] in MOVE_VERBS
    ) or following[:2] in (
        ["were", "evacuated"], ["have", "left"], ["had", "left"], ["were", "bused"],
        ["were", "bussed"], ["were", "transported"], ["were", "taken"], ["have", "been"],
        ["were", "moved"], ["have", "arrived"], ["had", "arrived"], ["were", "transferred"],
    )):
        return CountHead("", "people", before, before)  # "1,000 went to Idlib"
    if any(w in PEOPLE or w in CIVILIANS or w in FIGHTERS for w in window) and (
        "to" in window[-2:] or "reached" in window or "of" in window[-1:] or "numbered" in window
        or "at" in window[-1:]
    ) and not _counts_a_noun(words, after):
        return CountHead("", "people", before, before)
    if (window and window[-1] in ("displaced", "evacuated", "killed", "uprooted")) or (
        len(window) > 1 and window[-2] in ("displaced", "evacuated", "killed")
        and window[-1] in ("over", "some", "about", "nearly")
    ):
        return CountHead("", "people", before, before)
    return None


#: Words that may follow a figure that stands alone ("numbered 500 in all", "rose to 8,000 on Monday").
_AFTER_ALONE = _w(
    "in on at to from for by with and or but as of the a an who which that were was are is have has had "
    "will would could should may more others so since after before while when"
)


def _counts_a_noun(words: Sequence[str], after: int) -> bool:
    """Whether a word right after the figure is what it counts ("of 32 nationalities", "16 Air Brigade")."""
    nxt = words[after : after + 1]
    return bool(nxt) and nxt[0].isalpha() and nxt[0] not in _AFTER_ALONE and nxt[0] not in MOVE_VERBS


_SMALL_NUMBERS = _w("one two three four five six seven eight nine ten")
#: Words that may stand before a figure inside "of the … 1,200 people".
_NUMBER_LEAD = _w("approximately about around some nearly estimated roughly almost over more than")


def _counted(w: str) -> str:
    """Whether a noun counts ``"people"`` (or families, fighters) or ``"things"`` (buses, trucks), else ``""``."""
    if w in PEOPLE or w in FAMILIES or w in FIGHTERS or w in CIVILIANS:
        return "people"
    return "things" if w in NOT_PEOPLE else ""


def _number_of(window: Sequence[str]) -> str:
    """What "the number of X" in `window` counts ("people", "things"), ``""`` when it says not."""
    for i, w in enumerate(window[:-1]):
        if w in ("number", "total", "tally") and window[i + 1] == "of":
            named = next((k for k in map(_counted, window[i + 2 : i + 6]) if k), "")
            if named:
                return named
    return ""


def _things_before(words: Sequence[str], before: int) -> bool:
    """Whether a running total counts things: what "the number of" names, else the clause's subject.

    "106 trucks … entered Gaza, bringing the total to 756" counts trucks; "bringing the number
    of people displaced since the offensive began nearly a month ago to 60,000" counts people.
    """
    start = max(0, before - 20)
    at = next((i for i in range(before - 1, start - 1, -1) if words[i] in BRINGING), -1)
    if at < 0:
        return False
    named = _number_of(words[at + 1 : before]) or next(
        (k for k in map(_counted, reversed(words[start:at])) if k), "")
    return named == "things"


#: What follows "fighters and" when their families travel with them (in one figure).
_KIN_TAILS = (
    ("their", "families"), ("families",), ("members", "of", "their", "families"),
    ("members", "of", "their", "family"), ("family", "members"), ("their", "family", "members"),
    ("their", "relatives"), ("relatives",), ("dependants",), ("dependents",), ("their", "dependants"),
    ("their", "dependents"), ("civilians",), ("their", "wives", "and", "children"),
)


def _with_families(words: Sequence[str], at: int) -> int:
    """Length of "and (members of) their families" starting at `at` (0 when absent).

    Examples
    --------
    >>> _with_families("and members of their families left".split(), 0)
    5
    >>> _with_families("and 700 civilians".split(), 0)
    0
    """
    if words[at : at + 1] != ["and"]:
        return 0
    for tail in _KIN_TAILS:
        if tuple(words[at + 1 : at + 1 + len(tail)]) == tail:
            return 1 + len(tail)
    return 0


def is_breakdown(words: Sequence[str], start: int, end: int) -> bool:
    """Whether the figure at tokens ``[start, end)`` is part of another ("including 193 militants").

    Examples
    --------
    >>> is_breakdown("450 people , including 193 militants".split(), 4, 5)
    True
    >>> is_breakdown("450 people , 193 of them fighters".split(), 3, 4)
    True
    """
    before = words[max(0, start - 3) : start]
    if any(w in BREAKDOWN_BEFORE for w in before):
        return True
    if before[-2:] in (["of", "whom"], ["of", "them"], ["of", "which"]):
        return True
    if words[:1] == ["among"] and start < 8:
        return True  # "Among those on board were 26 children": part of the figure before
    return words[end : end + 2] in (["of", "them"], ["of", "whom"])


def moved_before_staying(words: Sequence[str]) -> bool:
    """Whether the clause's figure moved before a word of staying comes.

    "evacuated 126 civilians …, and that some had chosen to stay"; "600 IDPs staying in
    the centre moved to a new shelter".

    Examples
    --------
    >>> moved_before_staying("it evacuated 126 civilians , and some chose to stay".split())
    True
    >>> moved_before_staying("600 idps staying in the centre moved to rafah".split())
    True
    >>> moved_before_staying("some 1,150 chose to stay rather than leave".split())
    False
    >>> moved_before_staying("safe passage from mariupol , where 100,000 people remain".split())
    False
    """
    at = next((i for i, w in enumerate(words) if w in STAY), -1)
    if at < 0:
        return False
    figure = next((i for i, w in enumerate(words) if w[:1].isdigit()), -1)
    if words[at] in ("amnesty", "reconciliation") and 0 <= at < figure and any(
            w in MOVE_VERBS and words[i - 1 : i] not in (["to"], ["not"]) for i, w in enumerate(words) if i > figure):
        return True  # "Under an amnesty deal, 1,800 people left Mouadamiya": the deal, not a surrender
    figure = next((i for i, w in enumerate(words) if w[:1].isdigit()), -1)
    after = figure + 1  # the token after the figure ("100,000" is three tokens)
    while after < len(words) and (words[after][:1].isdigit() or (
            words[after] in (",", ".") and words[after + 1 : after + 2] and words[after + 1][:1].isdigit())):
        after += 1
    if 0 <= figure < at <= after + 2 and words[at] in ("remain", "remained", "stay", "stayed") and not any(
            w in MOVE_VERBS for w in words[after:at]):
        return False  # "… parts of Mariupol, where an estimated 100,000 people remain": the figure's own verb
    if 0 <= figure < at and any(w in MOVE_VERBS and w != "settled" and words[i - 1 : i] not in (["to"], ["not"])
                                and not (i == at - 1 and words[at] == "behind")  # "were left behind"
                                for i, w in enumerate(words[:at])):
        return True
    # "staying at X" describes where people are; a plan or move after it is what they do
    return words[at] == "staying" and any(
        w in MOVE_VERBS or w in ("relocated", "due", "moved") for w in words[at + 1 :])


def clause_exclusion(words: Sequence[str], article_year: int | None, *, stays: bool = True) -> str:
    """Why the figures of a clause are not movements of this event (``""`` if they may be).

    Examples
    --------
    >>> clause_exclusion("some 1,150 militants have chose to stay".split(), None)
    'stayed or surrendered ("stay")'
    >>> clause_exclusion("the civil war has displaced millions".split(), None)
    'background figure ("civil war")'
    >>> clause_exclusion("450 people left".split(), None)
    ''
    """
    for i, w in enumerate(words if stays else ()):
        if w in STAY:
            if w in ("settled", "hand") and words[i + 1 : i + 2] not in (["over"], ["their"]):
                # "settled their status", "handed over": a surrender; "settled in Homs": an arrival
                continue
            if w == "behind" and words[i - 1 : i] not in (["left"], ["stayed"], ["remained"]):
                continue
            if w == "reconciliation" and (words[i - 1 : i] == ["for"] or words[i + 1 : i + 2] in (
                    ["center"], ["centre"], ["committee"], ["committees"])):
                continue  # "the Russian Center for Reconciliation": a name, not a settlement
            if w == "remain" and words[i + 1 : i + 2] == ["to"]:
                continue
            if w == "refused" and words[i + 1 : i + 2] != ["to"]:
                continue  # "refused and left": not staying
            return f'stayed or surrendered ("{w}")'
    present = set(words)
    for cue in PROJECTION:
        if present.issuperset(cue) and _has(words, cue) >= 0:
            return f'a projection ("{" ".join(cue)}"), not a movement'
    for phrase in BACKGROUND:
        at = _has(words, phrase) if present.issuperset(phrase) else -1
        if at >= 0 and not (phrase[0] == "across" and words[at - 1 : at] in (["destinations"], ["locations"])):
            return f'background figure ("{" ".join(phrase)}")'
    for phrase in HISTORY:
        at = _has(words, phrase) if present.issuperset(phrase) else -1
        if at >= 0 and phrase == ("previous",) and _recent_span(words, at + 1):
            continue  # "over the previous 24 hours": how recent, not a comparison
        if at >= 0:
            return f'historical comparison ("{" ".join(phrase)}")'
    past = past_year(words, article_year)
    if past and not any(w in CURRENT for w in words):
        return f'historical comparison ("{past}")'
    return ""


#: Spans of time after "previous" that say how recent a figure is ("the previous 24 hours").
RECENT_SPANS = _w("hours hour day days night nights week weeks 24 48 72 two three few several")


def _recent_span(words: Sequence[str], at: int) -> bool:
    """Whether the words from `at` name a short span of time ("24 hours", "two days").

    Examples
    --------
    >>> _recent_span("24 hours".split(), 0), _recent_span("deal".split(), 0)
    (True, False)
    """
    return bool(words[at : at + 1]) and words[at] in RECENT_SPANS


#: Words that date a clause to the days of the article (so an earlier year in it is a comparison).
CURRENT = _w(
    "monday tuesday wednesday thursday friday saturday sunday today yesterday tonight "
    "overnight"
)


def past_year(words: Sequence[str], article_year: int | None) -> str:
    """A year before the article's named in the clause (``""`` when none).

    Examples
    --------
    >>> past_year("in 2016 , the town received some 20,000".split(), 2017)
    '2016'
    """
    if article_year is None:
        return ""
    for w in words:
        if len(w) == 4 and w.isdigit() and 1950 <= int(w) < article_year:
            return w
    return ""


#: Words after a figure that make it a rate ("500 people a day"), not a movement.
_RATE_AFTER = (("per", "day"), ("a", "day"), ("each", "day"), ("every", "day"), ("per", "week"),
               ("a", "week"), ("per", "month"), ("a", "month"), ("daily",), ("per", "hour"), ("an", "hour"))
CAPTIVE = _w("hostage hostages captive captives abducted kidnapped detained arrested")
#: Verbs of aid: "provided shelter to 1,400 families" counts people helped, not people who moved.
AID = _w(
    "provided provide providing distributed distribute assisted assist assisting supported support "
    "served serve delivered deliver helped aid consultations vaccinated treated treating "
    "house accommodate feed fed dispatched dispatch supplied supply allocated donated"
)
#: Things given to people: "food baskets for 5,000 families" counts people helped.
AID_THINGS = _w("tents parcels baskets rations kits food supplies assistance meals items blankets vouchers")
#: Words of holding people where they are ("a school sheltering thousands", "population stands
#: at 68,000", "home to four million"): a stock, not a flow.
STOCK_BEFORE = _w("sheltering housing hosting hosts houses accommodating accommodates population swelled swollen")
STOCK_AFTER = _w("lived live living holed")
_STUCK = _w("trapped stranded")


def figure_exclusion(words: Sequence[str], start: int, end: int, value: int | None = None) -> str:
    """Why the figure at tokens ``[start, end)`` is not people who moved (``""`` if it may be).

    Casualties ("killed 126 people", "300 civilians were killed"), captives ("240 were
    taken hostage"), rates ("500 people a day"), aid ("provided shelter to 1,400
    families"), people held where they are ("a school sheltering thousands") and a
    household's size ("lives with 11 relatives", "40 people to a classroom"). Only the
    words near the figure count; the other figures of the sentence are left alone.

    Examples
    --------
    >>> figure_exclusion("a bomb killed 126 people".split(), 3, 4)
    'casualties ("killed")'
    >>> figure_exclusion("5,000 residents were stuck after a bomb killed 126 people".split(), 0, 1)
    ''
    >>> figure_exclusion("crossings receive 500 persons per day".split(), 2, 3)
    'a rate ("per day"), not a total'
    >>> figure_exclusion("iom provided shelter to 1,400 families".split(), 4, 5)
    'aid to people ("provided"), not a movement'
    >>> figure_exclusion("a school sheltering thousands of displaced people".split(), 3, 4)
    'people sheltered where they are ("sheltering"), not a movement'
    >>> figure_exclusion("now lives with 11 relatives in a tent".split(), 3, 4, 11)
    "a household's size, not a movement"
    """
    for w in [*words[max(0, start - 4) : start], *words[end : end + 5]]:
        if w in CASUALTY:
            return f'casualties ("{w}")'
        if w in CAPTIVE:
            return f'captives ("{w}")'
    after = list(words[end : end + 6])
    head = next((i for i, w in enumerate(after) if w in PEOPLE or w in FAMILIES or w in CIVILIANS
                 or w in FIGHTERS), -1)
    tail = after[head + 1 :] if head >= 0 else after
    for rate in _RATE_AFTER:
        if tuple(tail[: len(rate)]) == rate or tuple(after[: len(rate)]) == rate:
            return f'a rate ("{" ".join(rate)}"), not a total'
    for rest in (after, tail):  # "3,000 per child", "300 people per train"
        if rest[:1] == ["per"] and rest[1:2]:
            return f'a rate ("per {rest[1]}"), not a total'
    before = words[max(0, start - 8) : start]
    if any(tuple(after[i : i + 2]) in (("reached", "with"), ("reached", "by"), ("assisted", "with"))
           for i in range(4)):
        return 'aid to people ("reached with"), not a movement'
    if any(tuple(after[i : i + 2]) == ("in", "need") for i in range(4)):
        return 'people in need, not a movement'
    if before[-1:] in (["to"], ["for"]) or any(w in AID for w in before[-2:]):
        aid = next((w for w in reversed(before) if w in AID or (w in AID_THINGS and before[-1:] == ["for"])), None)
        if aid and not any(w in MOVE_VERBS for w in before[before.index(aid) :]):
            return f'aid to people ("{aid}"), not a movement'
    stock = next((w for w in before[-5:] if w in STOCK_BEFORE), None) or (
        "home to" if before[-2:] == ["home", "to"] or before[-3:-1] == ["home", "to"] else None) or next(
        (w for w in after[:5] if w in STOCK_AFTER), None) or next(
        (w for i, w in enumerate(after[1:5], 1) if w in _STUCK and after[i - 1] in ("are", "were", "remain", "remained",
                                                                                  "still", "be")), None)
    if stock:
        return f'people sheltered where they are ("{stock}"), not a movement'
    far = words[end : end + 10]
    for i, w in enumerate(far):
        if w in MOVE_VERBS or w in ("after", "when", "before", "by", "as", "while", "because", "stuck"):
            break
        if w in CASUALTY and i >= 5 and far[i - 1] in ("were", "was", "been"):
            return f'casualties ("{w}")'  # "70 people, mostly women and children, were killed"
    small = value is not None and value < 100
    if small and before[-1:] == ["with"] and after[:1] and after[0] in _KIN:
        return "a household's size, not a movement"
    if small and len(after) > 2 and after[0] in PEOPLE and after[1] in ("to", "per", "in") and after[2] in (
            "a", "each", "one", "every"):
        return "a household's size, not a movement"  # "40 people to a classroom"
    return ""


_KIN = _w("relatives children family members people others")


def _by_first(phrases: Sequence[tuple[str, ...]]) -> dict[str, tuple[tuple[str, ...], ...]]:
    out: dict[str, list[tuple[str, ...]]] = {}
    for p in phrases:
        out.setdefault(p[0], []).append(p)
    return {k: tuple(v) for k, v in out.items()}


_PLANNED_BY_FIRST = _by_first(PLANNED_CUES)
#: The plan cues other than "due to" (whether a clause with "due to" states a plan anyway).
_PLANNED_NOT_DUE = _by_first(tuple(c for c in PLANNED_CUES if c != ("due", "to")))
_CUMULATIVE_BY_FIRST = _by_first(CUMULATIVE_CUES)


def _any_phrase(words: Sequence[str], present: set[str], index: Mapping[str, tuple[tuple[str, ...], ...]]) -> bool:
    """Whether one of the indexed phrases occurs in `words` (looked up by their first word)."""
    for first in present.intersection(index):
        for p in index[first]:
            if present.issuperset(p) and _has(words, p) >= 0:
                return True
    return False


def kind_cues(words: Sequence[str]) -> tuple[bool, bool]:
    """Whether a clause states a plan, and whether it states a running total.

    Examples
    --------
    >>> kind_cues("as many as 20,000 people will have left".split())
    (True, False)
    >>> kind_cues("5,000 people have left so far".split())
    (False, True)
    """
    present = set(words)
    planned = _any_phrase(words, present, _PLANNED_BY_FIRST)
    if planned and "due" in present and not _any_phrase(words, present, _PLANNED_NOT_DUE) and not any(
            words[i + 2 : i + 3] and (words[i + 2] in MOVE_VERBS or words[i + 2] in ("be", "begin", "start", "leave"))
            for i, w in enumerate(words[:-1]) if w == "due" and words[i + 1] == "to"):
        planned = False  # "due to further clashes, 4,500 families fled": because of, not a plan
    cumulative = _any_phrase(words, present, _CUMULATIVE_BY_FIRST)
    if not cumulative and not present.isdisjoint(("have", "has", "had")):
        # "Since 15 March, 50,000 people have been displaced", "has forced 26,000 to flee
        # over the past two weeks", "had left over the past month": the perfect with a span
        # of time is a running total
        cumulative = "since" in present or _has(words, ("over", "the", "past")) >= 0 or _has(
            words, ("in", "the", "past")) >= 0
    if not cumulative and _has(words, ("total", "of")) >= 0 and _over_span(words):
        cumulative = True  # "a total of 9,000 people left … over two days"
    if not cumulative and any(w in _RISE for w in words) and any(w in ("total", "number", "tally") for w in words):
        cumulative = True  # "the number of people who reached Idlib rose to 12,000"
    if any(w in BRINGING for w in words) and any(w in ("total", "number", "tally") for w in words):
        # "..., bringing the total to 8,600": only that figure is the running total
        cumulative = False
    return planned, cumulative


#: Words that may stand between a figure and its restatement in another unit.
_RESTATE_GAP = _w(", ( or - – — about some around roughly approximately nearly almost an estimated i.e. ie that is")
_RESTATE_JOIN = _w("in comprising totalling totaling numbering with")
_C = TypeVar("_C", bound=tuple[Any, int, int, CountHead])


def drop_restatements(words: Sequence[str], counted: list[_C]) -> list[_C]:
    """Keep one figure where a clause states it in two units: the people figure stays.

    "300 families, or about 1,500 people"; "1,393 households (an estimated 6,636
    individuals)"; "1,500 people in 300 families". `counted` holds ``(number, start,
    end, head)`` in sentence order.

    Examples
    --------
    >>> w = "300 families , or about 1,500 people , left".split()
    >>> h = [CountHead("", "families", 1, 2), CountHead("", "people", 6, 7)]
    >>> [c[0] for c in drop_restatements(w, [("300", 0, 1, h[0]), ("1,500", 5, 6, h[1])])]
    ['1,500']
    """
    if len(counted) < 2:
        return counted
    drop: set[int] = set()
    for i in range(len(counted) - 1):
        (_, _, _, h1), (_, a2, _, h2) = counted[i], counted[i + 1]
        if h1.unit == h2.unit or "people" not in (h1.unit, h2.unit):
            continue
        gap = words[h1.end : a2]
        if not gap or len(gap) > 4:
            continue
        aside = set(gap) <= _RESTATE_GAP and (gap == [","] or not {"or", "(", "-", "–", "—"}.isdisjoint(gap))
        if aside or (gap[0] in _RESTATE_JOIN and set(gap[1:]) <= _RESTATE_GAP):
            drop.add(i if h2.unit == "people" else i + 1)
    return [c for k, c in enumerate(counted) if k not in drop]


def _over_span(words: Sequence[str]) -> bool:
    """Whether the clause spans several days ("over two days", "in three weeks", "since Monday").

    Examples
    --------
    >>> _over_span("left over two days".split()), _over_span("left on monday".split())
    (True, False)
    """
    for i, w in enumerate(words):
        if w in ("over", "within", "in", "during") and any(
                x in ("days", "weeks", "months", "nights", "period") for x in words[i + 1 : i + 4]):
            return True
    return "since" in words


def bringing_total(words: Sequence[str], start: int) -> bool:
    """Whether the figure at `start` is the new total in "bringing the total to N".

    Examples
    --------
    >>> bringing_total("bringing the total number of evacuees to 8,000".split(), 7)
    True
    """
    window = words[max(0, start - 20) : start]
    nouns = ("total", "number", "tally", "toll")
    return any(w in BRINGING for w in window) and (any(w in nouns for w in window) or any(
        w in nouns for w in words[start + 1 : start + 9]))  # "brings to 58,700 the number of"
