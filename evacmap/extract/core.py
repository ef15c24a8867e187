"""Article text to :class:`~evacmap.model.Movement` values, each tied to the words stating it.

The pipeline, per article: sentences (:mod:`~evacmap.extract.sentences`), tokens and
place candidates (:mod:`~evacmap.extract.places`), the role of each place and whom
each figure counts (:mod:`~evacmap.extract.rules`), then the names of the whole article
resolved together by the gazetteer, and movements built clause by clause. Two
discourse rules link sentences: a sentence that states where evacuees went without a
figure ("Evacuees have mostly headed for Idlib province, or for Jarablus") gives its
destinations to the movements before it that had none; and "left the area" takes the
origin of the movement before it. Each such borrowing lowers the confidence and adds
the borrowed sentence to the evidence.

Examples
--------
>>> from evacmap.gazetteer import Gazetteer, haversine_km
>>> r = extract_movements("Some 5,000 people left Harasta on Sunday.", gazetteer=Gazetteer.world(), country="SY")
>>> [(m.route, m.count, m.count_kind.value) for m in r.movements]
[('Ḩarastā → ?', 5000, 'estimated')]
>>> extract_movements("", gazetteer=Gazetteer.curated()).movements
()
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
from dataclasses import dataclass, field

from evacmap.errors import GazetteerError, InputError, SourceLocation, linecol
from evacmap.extract import lists, rules
from evacmap.extract.dates import find_date, find_stage
from evacmap.extract.discourse import (
    BACK_REFERENCES,
    PLACE_NOUNS,
    is_broad,
    referred_place,
    says_displaced,
    within_countries,
)
from evacmap.extract.discourse import Sentence as _Sentence
from evacmap.extract.lexicon import words as word_set
from evacmap.extract.numbers import NumberMention, find_numbers, starts_from_tokens
from evacmap.extract.places import DIRECTIONS, PlaceFinder, fold_token, names_a_facility, tokenize
from evacmap.extract.restate import merge_restatements
from evacmap.extract.result import Excluded, Extraction, PlaceMention
from evacmap.gazetteer import Gazetteer, haversine_km
from evacmap.model import CountKind, Evidence, Match, Movement, Place

logger = logging.getLogger(__name__)

__all__ = ["Extractor", "extract_movements"]

_MOVE_WORDS = rules.MOVE_VERBS | rules.HEADING
_STAGE_WORDS = word_set(
    "stage stages phase phases batch batches convoy convoys round rounds group groups wave waves leg legs"
)
_DATE_WORDS = rules.CURRENT | rules.MONTHS | {"this", "last", "morning"}
#: Words of setting off towards somewhere: the story's origin is implied ("was bound for").
_SETTING_OFF = frozenset({"bound", "headed", "heading", "destined", "bused", "bussed"})
#: Words of being carried away: in an evacuation story the people leave its scene ("will be taken to X").
_TRANSPORT = word_set(
    "taken transported transferred bused bussed ferried driven relocated moved went gone sent "
    "convoy convoys carrying carried boarded aboard board airlifted flown rescued"
)
#: What may stand between a figure and the place it went to ("2,500 people to the city of X").
_ADJACENT_RE = re.compile(
    r"\s*(?:(?:people|persons|individuals|families|households|idps|refugees|returnees|of\s+them|more|others)\s+)?"
    r"(?:(?:had|have|has|were|was)\s+)?(?:(?:already|since|also)\s+)?"
    r"(?:went\s+|returned\s+|moved\s+|fled\s+|headed\s+|arrived\s+|crossed\s+|gone\s+|been\s+taken\s+)?"
    r"(?:to|into|towards|toward|in|for)\s+(?:the\s+)?"
    r"(?:(?:city|town|village|camp|district|governorate|province)\s+of\s+)?",
    re.IGNORECASE,
)
#: A byline or credit line: the places in it are where reporters are.
_BYLINE_RE = re.compile(r"\(?(?:By|BY|Reporting by|Writing by|Additional reporting by|Editing by)\s+[A-Z]")
#: A plan still to come ("they are to be transferred to Idlib"): not where people went.
_ONWARD = (("are", "to", "be"), ("is", "to", "be"), ("will", "be"), ("are", "due", "to"), ("is", "due", "to"),
           ("are", "expected", "to"), ("will", "then"), ("would", "then"))
#: Subjects that are a part of the people before ("Others were taken to Qudsaya").
_PARTITIVE = word_set("others other some many most several few part half rest remainder growing increasing numbers")
#: Subjects that are a small part of the people before ("Smaller numbers went to …").
_MINORITY = word_set("smaller small fewer few minority handful")
#: Verbs of a place taking people in: its "location" place is where they arrived.
_HOSTING = word_set("received receiving hosted hosting welcomed registered registering")
#: Sentences back that a figure-less destination sentence may give its places to.
CARRY_BACK = 6
#: Sentences forward that a figure-less route ("… left Daraa heading to Idlib") may be given to.
CARRY_FORWARD = 1
#: A figure-less sentence's route: its index, origin, destinations and stage.
_Route = tuple[int, "PlaceMention | None", "list[PlaceMention]", "str | None", "dt.date | None"]
_END_ROLES = ("origin", "destination", "waypoint")
#: Role prefix of a mention of the story's own country, an end only when the clause has no other.
_OWN = "own-"
#: Role of a line's label ("- Harasta: 4,595 people …") until the line says which end it is.
_LABEL = "label"
#: Words that join two ends of one role ("to Mayadin and to the villages of …").
_JOINS = frozenset({"and", "or", ",", "to", "towards", "toward", "into", "then"})
#: What stands between the parts of a breakdown ("193 fighters and 257 civilians", '"militants" and').
_PART_JOINS = frozenset({"and", ",", '"', "“", "”", "'"})
_DASHES = frozenset({"-", "–", "—", "("})
#: Role of a place the gazetteer's held names lack, named only as where a figure's people were
#: ("In Montepuez, 4,000 fled …"): reported as a ``location``.
_SITE = "site"


@dataclass
class _Draft:
    sentence: int
    origin: PlaceMention | None
    destinations: list[PlaceMention]
    waypoints: list[PlaceMention]
    count: int | None
    low: int | None
    high: int | None
    kind: CountKind
    unit: str
    groups: list[tuple[str, int]]
    date: dt.date | None
    stage: str | None
    confidence: float
    evidence: list[Evidence]
    origin_needed: bool
    unresolved_end: bool = False
    notes: list[str] = field(default_factory=list)


class Extractor:
    """Extract movements from many articles with one gazetteer (its name scan built once).

    Parameters
    ----------
    gazetteer
        The gazetteer; :func:`~evacmap.gazetteer.default_gazetteer` when None.
    country
        ISO code of the stories' country, a hint for every name.
    fuzzy
        Let the gazetteer guess names it has under no spelling it knows (typos, by
        fuzzy matching). Off by default: such a name is reported unresolved, never
        guessed — and a fuzzy search compares a name with every key, ~0.15 s each.
    """

    def __init__(
        self, gazetteer: Gazetteer | None = None, *, country: str | None = None, fuzzy: bool = False
    ) -> None:
        if gazetteer is None:
            from evacmap.gazetteer import default_gazetteer

            gazetteer = default_gazetteer()
        self.gazetteer = gazetteer
        self.country = country.upper() if country else None
        self.fuzzy = fuzzy
        self._finder = PlaceFinder(gazetteer)

    def _resolve(self, queries: list[str]) -> dict[str, Match | GazetteerError]:
        """The article's names resolved together.

        Each article on its own: the answers never depend on the articles read before.
        """
        todo = list(dict.fromkeys(queries))
        if not todo:
            return {}
        answers = self.gazetteer.geocode_many(todo, country=self.country, fuzzy=self.fuzzy)
        return dict(zip(todo, answers, strict=True))

    # -- per sentence --------------------------------------------------------------
    def _sentence(
        self,
        text: str,
        start: int,
        end: int,
        toks: list[tuple[int, int]],
        raw: list[str],
        words: list[str],
        known: list[tuple[int, int]],
        *,
        light: bool = False,
        list_role: str = "",
    ) -> _Sentence:
        if light and not _MOVE_WORDS.isdisjoint(words):
            light = False  # no figure, but it may say where evacuees went
        if _BYLINE_RE.match(text, start):
            # "By Omar Haj Kadour in Damascus", "(Reporting by … in Beirut)": where the reporters are
            return _Sentence(start, end, toks, words, [], [])
        cands = self._finder.candidates_of(text, toks, raw, words, known_only=light, held=known)
        roles: dict[int, tuple[int, str]] = {}
        bracket_role = ""
        mentions: list[PlaceMention] = []
        spans: list[tuple[int, int]] = []
        for c in cands:
            if c.tok_start < 4 and all(w.isupper() or not w.isalpha() for w in raw[: c.tok_end]) and (
                    c.tok_end < len(raw) and raw[c.tok_end] in (",", "(", "/", "-", "–", "—")):
                continue  # the dateline ("ALEPPO, Syria (Reuters) -"): where the story was filed
            role = rules.role_before(words, c.tok_start, roles) or list_role or rules.role_after(words, c.tok_end)
            if not role and not mentions and _labels_line(words, (c.tok_start, c.tok_end)):
                role = _LABEL
            bracketed = _bracketed(words, c.tok_end)
            if not role and bracketed and bracket_role:
                # "arrived in Al Bab (75) in Aleppo; Thawra and Tell Abyad (460) in Raqqa": the list goes on
                role = bracket_role
            if bracketed and role in _END_ROLES:
                bracket_role = role
            roles[c.tok_end] = (c.tok_start, role)
            if mentions and role and ((spans[-1][1] + 2 == c.tok_start and words[c.tok_start - 1] == "s") or (
                    spans[-1][1] + 3 == c.tok_start and words[c.tok_start - 2] == "s"
                    and words[c.tok_start - 1] in DIRECTIONS) or (
                    spans[-1][1] + 1 == c.tok_start and words[c.tok_start - 1] in ("'", "’"))):
                # "Syria's Eastern Ghouta": Syria only qualifies the place after it
                prev = mentions[-1]
                mentions[-1] = PlaceMention(prev.text, prev.start, prev.end, prev.query, "qualifier",
                                            fallbacks=prev.fallbacks)
            member = c.tok_start > 1 and words[c.tok_start - 1] == "of" and words[c.tok_start - 2] in rules.MEMBER_NOUNS
            if member and role in _END_ROLES and mentions and mentions[-1].role == role and spans and (
                    _JOINS.isdisjoint(words[spans[-1][1] : c.tok_start - 2])):
                # "the Bekaa valley towns of Zahle": the area only qualifies the towns (but "to al-Mayadin
                # city and to the villages of Muhasan" names two ends)
                prev = mentions[-1]
                mentions[-1] = PlaceMention(prev.text, prev.start, prev.end, prev.query, "qualifier",
                                            fallbacks=prev.fallbacks)
            named = member or (c.tok_start > 1 and words[c.tok_start - 1] == "of" and words[c.tok_start - 2] in PLACE_NOUNS) or (
                c.tok_start > 0 and words[c.tok_start - 1] in rules.MILITARY)  # "the town of X", "to retake X"
            hosting = role == "location" and not _HOSTING.isdisjoint(words)  # "officials in X received"
            # "In Montepuez, 4,000 fled …", "91,239 people in Chiure": where a figure's people were
            # may be where they left (only in a sentence with a figure)
            where = role == "location" and not light
            if not c.known and role not in (*_END_ROLES, _LABEL) and role != "qualifier" and not named and not hosting:
                if not where:
                    continue
                role = _SITE  # kept only to say where a figure's people were (see _draft)
            mentions.append(PlaceMention(text[c.start : c.end], c.start, c.end, c.query, role,
                                         fallbacks=c.fallbacks))
            spans.append((c.tok_start, c.tok_end))
        if mentions and mentions[0].role == _LABEL:
            # "- Harasta: 4,595 people … evacuated to Idleb governorate": the line's label is the
            # end its sentence does not name (else no end)
            have = {m.role for m in mentions[1:]}
            other = "origin" if "destination" in have and "origin" not in have else (
                "destination" if "origin" in have and "destination" not in have else "")
            first = mentions[0]
            mentions[0] = PlaceMention(first.text, first.start, first.end, first.query, other,
                                       fallbacks=first.fallbacks)
        return _Sentence(start, end, toks, words, mentions, spans)

    def _resolved_mention(self, m: PlaceMention, resolved: dict[str, Match | GazetteerError],
                          named: frozenset[str] = frozenset()) -> PlaceMention:
        answer = resolved.get(m.query)
        fell_back = False
        for alt in m.fallbacks:
            if isinstance(answer, Match):
                break
            answer = resolved.get(alt, answer)
            fell_back = True
        if isinstance(answer, Match):
            place = _by_role(answer, m.role)
            if fell_back and place.kind.value == "camp" and names_a_facility(m.text):
                # "Roj Hospital" (in Tel Tamr) is named after a word, not after the Roj camp
                return PlaceMention(m.text, m.start, m.end, m.query, m.role, None, None,
                                    f"a facility the gazetteer lacks; {place.name} only shares its first word "
                                    "(add the facility to a CSV and load it with Gazetteer.with_places)")
            if self._far_namesake(place, named):
                return PlaceMention(m.text, m.start, m.end, m.query, m.role, None, None,
                                    f"only a namesake in {place.country} ({place.name}), a country the article "
                                    f"does not name and that does not border {self.country}; if that place is "
                                    f"meant, extract with country={place.country!r}, else add the place to a CSV "
                                    "and load it with Gazetteer.with_places")
            if m.role in _END_ROLES and place.kind.value == "country" and self.country == place.country:
                # only an end when the clause names no other ("fled Lebanon into Syria")
                return PlaceMention(m.text, m.start, m.end, m.query, _OWN + m.role, place, answer.score,
                                    "the story's own country: an end only when no other place is named")
            return PlaceMention(m.text, m.start, m.end, m.query, m.role, place, answer.score, answer.note)
        reason = str(answer) if answer is not None else "not looked up"
        return PlaceMention(m.text, m.start, m.end, m.query, m.role, None, None, reason)

    def _far_namesake(self, place: Place, named: frozenset[str]) -> bool:
        """Whether a place abroad is too unlikely for this story to stand for the name.

        In a story about Yemen, "Arak" found only in Iran, or "Al Hali" only in China, is a
        namesake: a town (not a country, province or city of a million) in a country that
        neither borders the story's country nor is named in the article.
        """
        if not self.country or place.country in ("", self.country) or place.country in named:
            return False
        if place.kind.value in ("country", "governorate", "region") or (place.population or 0) >= 1_000_000:
            return False
        return place.country not in self.gazetteer.neighbours(self.country)

    # -- the article ---------------------------------------------------------------
    def extract(
        self,
        text: str,
        *,
        date: dt.date | str | None = None,
        source: str | None = None,
    ) -> Extraction:
        """Movements of one article (see :func:`extract_movements`)."""
        from evacmap.extract.sentences import split_sentences

        if isinstance(date, str):
            date = dt.date.fromisoformat(date)
        source = source or "<text>"
        toks = tokenize(text)
        raw = [text[a:b] for a, b in toks]
        lower = [w.lower() for w in raw]
        figures = find_numbers(text, starts_from_tokens(raw, lower, [a for a, _ in toks]))
        words = [w if w.isascii() and w.isalnum() else fold_token(w) if w[0].isalnum() else w for w in lower]
        known = sorted(self._finder.known_spans(words, raw))
        sents: list[_Sentence] = []
        k = t0 = kn = 0
        for a, b in split_sentences(text):
            while t0 < len(toks) and toks[t0][0] < a:
                t0 += 1
            t1 = t0
            while t1 < len(toks) and toks[t1][1] <= b:
                t1 += 1
            while k < len(figures) and figures[k].start < a:
                k += 1
            k1 = k
            while k1 < len(figures) and figures[k1].end <= b:
                k1 += 1
            while kn < len(known) and known[kn][0] < t0:
                kn += 1
            mine = []
            while kn < len(known) and known[kn][0] < t1:
                i, j = known[kn]
                if j <= t1:
                    mine.append((i - t0, j - t0))
                kn += 1
            # A sentence with no figure and no word of movement only lists its known places.
            # The lead (first two sentences) is read whole: it sets the scene.
            light = k1 == k and len(sents) >= 2
            heading = -1
            if k1 > k and lists.is_item(text[a:b]):
                heading = len(sents) - 1
                while heading >= 0 and sents[heading].list_heading >= 0:
                    heading -= 1  # the line above the run of items
            role = lists.heading_role(sents[heading].words) if heading >= 0 else ""
            sent = self._sentence(text, a, b, toks[t0:t1], raw[t0:t1], words[t0:t1], mine, light=light,
                                  list_role=role)
            sent.numbers = figures[k:k1]
            if heading >= 0:
                sent.list_role, sent.list_heading = role, heading
            sents.append(sent)
            t0, k = t1, k1
        resolved = self._resolve([q for s in sents for m in s.mentions for q in (m.query, *m.fallbacks)])
        named = frozenset(a.place.country for a in resolved.values()
                          if isinstance(a, Match) and a.place.kind.value == "country")
        for s in sents:
            s.mentions = [self._resolved_mention(m, resolved, named) for m in s.mentions]
        _one_sense(sents)
        drafts: list[_Draft] = []
        excluded: list[Excluded] = []
        context_origin: tuple[PlaceMention, int] | None = None
        pending: _Route | None = None
        last_main: dict[int, list[tuple[_Draft | None, int, int | None]]] = {}
        for si, s in enumerate(sents):
            made, excl = self._sentence_movements(text, s, si, date, source, context_origin, last_main, sents)
            excluded.extend(excl)
            several = False
            for d in made:
                if d.origin is not None and d.origin.place is not None and not d.origin_needed:
                    # "displaced from northern Hama, southern Idleb and western Aleppo": no one
                    # place the next figures left
                    several = any(k == "other origin" for k, _, _ in d.evidence[0].parts)
                    context_origin = None if several else (d.origin, si)
            if context_origin is None and not several:
                # The scene: the first place people are said to leave, or where the lead
                # (first two sentences) or a figure of the story stands, until a movement
                # names its own origin.
                scene = next((m for m in s.mentions if m.place is not None and m.place.kind.value != "country"
                              and (m.role == "origin" or (m.role == "location" and (s.numbers or si < 2)))), None)
                if scene is not None and (scene.role == "location" or not _MOVE_WORDS.isdisjoint(s.words)):
                    context_origin = (scene, si)
            if pending is not None and si - pending[0] <= CARRY_FORWARD:
                self._carry_forward(text, made, pending, sents, source)
            drafts.extend(made)
            if made:
                pending = None
            elif not self._carry_destinations(text, s, si, drafts, source, sents, before=min(
                    (e.start for e in excl if e.start >= s.start and e.end <= s.end), default=s.end)):
                pending = self._figureless_route(text, s, si, date)
        movements: list[Movement] = []
        mentions: list[tuple[PlaceMention | None, tuple[PlaceMention, ...], tuple[PlaceMention, ...]]] = []
        for d in merge_restatements(drafts, sents):
            try:
                mv = self._movement(d, source, len(movements))
            except InputError as exc:  # a figure the model refuses (e.g. more than everyone alive)
                ev = d.evidence[0]
                excluded.append(Excluded(ev.text, ev.start or 0, ev.end or 0, ev.text, str(exc)))
                continue
            if mv is None:
                ev = d.evidence[0]
                excluded.append(Excluded(ev.text, ev.start or 0, ev.end or 0, ev.text,
                                         "no place of the movement could be resolved"))
                continue
            movements.append(mv)
            mentions.append((d.origin, tuple(d.destinations), tuple(d.waypoints)))
        places = tuple(dataclasses.replace(m, role="") if m.role.startswith(_OWN) else
                       dataclasses.replace(m, role="location") if m.role == _SITE else m
                       for s in sents for m in s.mentions)
        logger.info("%s: %d movements, %d places, %d figures left out", source, len(movements), len(places), len(excluded))
        return Extraction(tuple(movements), places, tuple(excluded), source, tuple(mentions))

    def _evidence(self, text: str, s: _Sentence, source: str, parts: list[tuple[str, int, int]]) -> Evidence:
        line, col = linecol(text, s.start)
        return Evidence(SourceLocation(source, line, col), text[s.start : s.end], start=s.start,
                        end=s.end, parts=tuple(parts))

    def _origin_from(self, text: str, s: _Sentence, source: str, m: PlaceMention) -> Evidence:
        """The evidence of an origin borrowed from sentence `s`."""
        return self._evidence(text, s, source, [("origin", m.start, m.end)])

    def _numbers(self, s: _Sentence) -> list[tuple[NumberMention, int, int]]:
        """Figures of the sentence with their token ranges (absolute spans)."""
        if not s.numbers:
            return []
        out = []
        starts = {a: i for i, (a, _) in enumerate(s.tokens)}
        ends = {b: i for i, (_, b) in enumerate(s.tokens)}
        for n in s.numbers:
            if n.start in starts and n.end in ends:
                out.append((n, starts[n.start], ends[n.end] + 1))
        return out

    def _sentence_movements(
        self,
        text: str,
        s: _Sentence,
        si: int,
        date: dt.date | None,
        source: str,
        context_origin: tuple[PlaceMention, int] | None,
        last_main: dict[int, list[tuple[_Draft | None, int, int | None]]],
        sents: list[_Sentence],
    ) -> tuple[list[_Draft], list[Excluded]]:
        words = s.words
        sentence = text[s.start : s.end]
        made: list[_Draft] = []
        excluded: list[Excluded] = []
        numbers = self._numbers(s)
        if not numbers:
            last_main[si] = []
            return made, excluded
        # clauses: split at ";" and "while"/"whereas"/"meanwhile"
        bounds = [0]
        for i, w in enumerate(words):
            if i > 1 and w == "and" and words[i - 1] == "," and i + 1 < len(words) and (
                    words[i + 1] in ("another", "a", "an", "over", "some", "about", "around", "nearly",
                                     "more", "at", "up", "almost", "roughly") or words[i + 1][:1].isdigit()):
                bounds.append(i)  # ", and an additional 450 are due to follow": a clause of its own
            elif i > 0 and (w in (";", "while", "whereas", "meanwhile", "whilst") or (
                w == "after" and words[i + 1 : i + 2] in (["a"], ["an"], ["the"], ["it"], ["they"])) or (
                w in ("when", "whereupon", "adding", "saying", "warning", "noting", "cautioning", "stressing") and words[i - 1] == ",")):
                bounds.append(i)
        bounds.append(len(words))
        present = set(words)
        stage, stage_span = find_stage(sentence) if not _STAGE_WORDS.isdisjoint(present) else (None, None)
        day, day_span = find_date(sentence, date) if not _DATE_WORDS.isdisjoint(present) or any(
            w[:1].isdigit() and len(w) <= 2 for w in words) else (None, None)
        mains: list[tuple[_Draft | None, int, int | None]] = []
        prev_clause: tuple[bool, bool, bool] | None = None
        last_head: rules.CountHead | None = None
        for ci in range(len(bounds) - 1):
            lo, hi = bounds[ci], bounds[ci + 1]
            cwords = words[lo:hi]
            cnums = [(n, a, b) for n, a, b in numbers if lo <= a < hi]
            if not cnums:
                continue
            why = rules.clause_exclusion(cwords, date.year if date else None)
            if why.startswith("stayed") and rules.moved_before_staying(cwords):
                # "evacuated 126 civilians …, and that some had chosen to stay" — but a past
                # year still dates it ("During the 2006 war, 250,000 fled to Syria, many staying …")
                why = rules.clause_exclusion(cwords, date.year if date else None, stays=False)
            if not why and ci > 0 and cwords[:1] == ["when"]:
                past = rules.past_year(words[bounds[ci - 1] : lo], date.year if date else None)
                if past:  # "... than in December 2016, when some 35,000 left"
                    why = f'historical comparison ("{past}")'

            heading = sents[s.list_heading] if s.list_role else None
            planned, cumulative = rules.kind_cues([*heading.words, *cwords] if heading else cwords)
            moving = heading is not None or any(w in rules.MOVE_VERBS for w in cwords) or (
                "out" in cwords and "of" in cwords
            )
            if not moving and prev_clause is not None:
                # "…, and 3,000 from Foua": a clause without its own verb takes the one before
                planned, cumulative, moving = (planned or prev_clause[0], cumulative or prev_clause[1],
                                               prev_clause[2])
            prev_clause = (planned, cumulative, moving)
            cm = [(m, t) for m, t in zip(s.mentions, s.mention_tokens, strict=True) if lo <= t[0] < hi]
            origins = [m for m, _ in cm if m.role == "origin"]
            if len(origins) > 1:
                # "142 residents of Donetsk region … left Pokrovsk", "eighty people from Qusair … made
                # their way from Arsal": where they are from yields to where the clause says they left
                said = {id(m) for m, t in cm if m.role == "origin" and t[0] > 0 and not _descriptor(words, t[0])
                        and (words[t[0] - 1] in ("from", "of") or words[t[0] - 1] in rules.ORIGIN_VERBS)}
                if said and len(said) < len(origins):
                    origins = [m for m in origins if id(m) in said] + [m for m in origins if id(m) not in said]
            dests = [m for m, _ in cm if m.role == "destination"]
            # "to Roj Hospital in Tel Tamr": a place the gazetteer lacks, inside one it knows
            origins = [_within(m, cm) for m in origins]
            dests = [_within(m, cm) for m in dests]
            # the story's own country as an end: "crossed from Lebanon into Syria" (a Lebanese story)
            if not any(m.place is not None for m in origins):
                origins = origins or [m for m, _ in cm if m.role == _OWN + "origin" and not _directed(m)][:1]
            if not any(m.place is not None for m in dests):
                dests = dests or [m for m, _ in cm if m.role == _OWN + "destination" and not _directed(m)][:1]
            ways = [m for m, _ in cm if m.role == "waypoint"]
            if heading is not None:
                # "Arrivals from Maarat al-Numan by community:": the heading names the other end
                other = "origin" if s.list_role == "destination" else "destination"
                (origins if other == "origin" else dests).extend(
                    m for m in heading.mentions if m.role == other and m.place is not None)
            if not moving and (origins or dests):
                moving = True
            counted: list[tuple[NumberMention, int, int, rules.CountHead]] = []
            for n, a, b in cnums:
                head = rules.count_head(words, b, a)
                last = counted[-1][3] if counted else last_head
                if head is None and last is not None and (words[a - 1 : a] == ["another"] or words[b : b + 1] == ["more"]):
                    head = rules.CountHead(last.group, last.unit, a, a)  # "105,000 by river and another 59,000 by plane"
                if head is None and last is not None and words[b : b + 1] and words[b] in rules.DEST_PREP | {
                        "for", "from", "in"}:
                    # "1,000 went to Idlib and 500 to Jarablus": the same noun as before
                    head = rules.CountHead(last.group, last.unit, a, a)
                if head is None and a > 0 and words[a - 1] == "(" and words[b : b + 1] == [")"] and any(
                        t[1] == a - 1 and m.role in _END_ROLES for m, t in cm):
                    head = rules.CountHead("", "people", a, a)  # "have gone to Lattakia (445), Hama (310)"
                if head is None and heading is not None and a > 0 and words[a - 1] in (":", "–", "—"):
                    head = rules.CountHead("", lists.item_unit([*heading.words, *words[a:b + 2]]), a, a)
                if head is None:
                    continue
                counted.append((n, a, b, head))
                last_head = head
            counted = rules.drop_restatements(words, counted)
            part_end = -9
            for n, a, b, head in counted:
                value = n.value if n.value is not None else n.low
                anomaly = False
                dead = rules.figure_exclusion(words, a, b, value)
                if dead:
                    excluded.append(Excluded(n.text, n.start, n.end, sentence, dead))
                    mains.append((None, b, value))
                    continue
                joined = a - part_end in (1, 2, 3) and set(words[part_end:a]) <= _PART_JOINS
                # "carrying 2,939 people - 1,450 men, 589 women and 900 children -": who they were
                dashed = bool(head.group) and a >= 3 and words[a - 1] in _DASHES and (
                    words[a - 2] in rules.PEOPLE or words[a - 2] in rules.CIVILIANS) and any(
                    x[1] in (a - 2, a - 1) for x in mains)
                if rules.is_breakdown(words, a, b) or joined or dashed:
                    part_end = max(head.end, b)
                    before = [x for x in mains if x[1] < a]
                    earlier = before or last_main.get(si - 1) or []
                    parent = earlier[-1] if earlier else None
                    onward = [m for m, t in cm if m.role == "destination" and m.place is not None and t[0] > b
                              and any(w in rules.MOVE_VERBS for w in words[b : t[0]])]
                    if (not before and moving and not why and (dests or origins)) or (
                            before and onward and words[b : b + 2] == ["of", "them"]):
                        # "Some 700 of them later crossed into Idlib", "2,250 moved to Cachar, with
                        # 300 of them travelling on towards Mizoram": a movement of its own
                        parent = None
                        if before and onward:
                            for d in made:  # the onward place is theirs, not the whole's
                                d.destinations = [x for x in d.destinations if x not in onward]
                            dests = onward
                    if parent is not None:
                        p_draft, _, p_value = parent
                        fits = value is not None and (p_value is None or value <= p_value)
                        if fits and p_draft is not None:
                            p_draft.groups.append((head.group or "people", value or 0))
                            p_draft.evidence[0] = _with_part(
                                p_draft.evidence[0], "group", n.start, s.tokens[head.end - 1][1]
                            )
                            continue
                        if fits:
                            excluded.append(Excluded(n.text, n.start, n.end, sentence,
                                                     "part of a figure that was left out"))
                            continue
                        anomaly = True
                if why:
                    excluded.append(Excluded(n.text, n.start, n.end, sentence, why))
                    mains.append((None, b, value))
                    continue
                restated = self._restated_total(head, cwords, last_main, si) if not moving else None
                if not moving and restated is None:
                    excluded.append(Excluded(n.text, n.start, n.end, sentence, "no movement stated"))
                    mains.append((None, b, value))
                    continue
                if restated is not None:
                    # "The figure had stood at 84,770 on Friday": the running count of the movement before
                    d = self._draft(text, s, si, n, a, b, head, planned, True, [], [], [], context_origin, day,
                                    day_span, stage, stage_span, source, sents, cwords)
                    d.origin, d.destinations, d.origin_needed = restated.origin, list(restated.destinations), True
                    d.kind, d.confidence = CountKind.CUMULATIVE, d.confidence - 0.2
                    d.evidence.append(restated.evidence[0])
                    made.append(d)
                    mains.append((d, b, value))
                    continue
                d = self._draft(text, s, si, n, a, b, head, planned, cumulative, origins, dests, ways,
                                context_origin, day, day_span, stage, stage_span, source, sents, cwords,
                                sentence_origin=next((x.origin for x in reversed(made) if x.origin is not None
                                                      and x.origin.place is not None and not x.origin_needed), None))
                if anomaly:
                    d.confidence = min(d.confidence, 0.3)
                    d.notes.append("stated as part of a smaller figure before it; kept on its own")
                made.append(d)
                mains.append((d, b, value))
        # "1,000 went to Idlib and 500 to Jarablus": one destination each, in order
        self._pair_destinations(made, s)
        last_main[si] = mains
        return made, excluded

    @staticmethod
    def _restated_total(head: rules.CountHead, cwords: list[str],
                        last_main: dict[int, list[tuple[_Draft | None, int, int | None]]], si: int) -> _Draft | None:
        """The movement a bare running count restates ("put the number at 50,000"), or None.

        Only a figure with no noun of its own in a clause about "the number", "the figure"
        or "the total", and only the latest movement of the two sentences before.
        """
        if head.start != head.end or not rules.counts_a_total(cwords):
            return None
        for back in (si - 1, si - 2):
            for d, _, _ in reversed(last_main.get(back) or []):
                if d is not None and (d.origin is not None or d.destinations):
                    return d
        return None

    @staticmethod
    def _pair_adjacent(made: list[_Draft], dests: list[PlaceMention]) -> bool:
        """Give each figure the place right after it, when at least two figures have one.

        "18,500 have returned – 2,500 to Qamishli and 16,000 to Tel Abiad": each figure
        followed by "to X" goes to X alone, and a figure with no "to" of its own (the
        total) goes nowhere stated.
        """
        ev = made[0].evidence[0]
        if ev.start is None or len(dests) < 2:
            return False
        own: list[list[PlaceMention]] = []
        for d in made:
            end = next(b for k, _, b in d.evidence[0].parts if k == "count")
            mine = [m for m in dests if _ADJACENT_RE.fullmatch(ev.text[end - ev.start : m.start - ev.start])]
            own.append(mine[:1])
        if sum(1 for o in own if o) < 2 or len({o[0].start for o in own if o}) != sum(1 for o in own if o):
            return False
        _give_destinations(made, own)
        return True

    def _pair_destinations(self, made: list[_Draft], s: _Sentence) -> None:
        if len(made) < 2:
            return
        counts = [next(a for k, a, _ in d.evidence[0].parts if k == "count") for d in made]  # figure starts
        # "1,500 from Madaya and Zabadani, and 3,000 from Foua and Kefraya": each its origin
        own = []
        for i in range(len(made)):
            hi = counts[i + 1] if i + 1 < len(made) else s.end
            own.append(next((m for m in s.mentions if m.role == "origin" and m.place is not None
                             and counts[i] < m.start < hi), None))
        if all(o is not None for o in own) and len({o.place.id for o in own if o and o.place}) == len(made):
            for d, o in zip(made, own, strict=True):
                if d.origin is not o:
                    d.evidence[0] = _replace_parts(d.evidence[0], "origin", [o])  # type: ignore[list-item]
                    d.origin = o
        dests = made[0].destinations
        if any(d.destinations != dests for d in made):
            return
        if self._pair_adjacent(made, dests):
            return
        if len(dests) < len(made):
            return
        if dests[0].start < counts[0]:
            # "have gone to Lattakia (445), Rural Damascus (320) and Hama (310)": the places before each
            own_dests = [[m for m in dests if (i == 0 or counts[i - 1] < m.start) and m.start < counts[i]]
                         for i in range(len(made))]
            if all(own_dests) and sum(map(len, own_dests)) == len(dests):
                _give_destinations(made, own_dests)
            return
        if len(dests) == len(made) and all(counts[i] < dests[i].start and (i + 1 == len(made) or dests[i].start < counts[i + 1])
               for i in range(len(made))):
            _give_destinations(made, [[m] for m in dests])  # "1,000 went to Idlib and 500 to Jarablus"

    def _draft(
        self, text: str, s: _Sentence, si: int, n: NumberMention, a: int, b: int,
        head: rules.CountHead, planned: bool, cumulative: bool,
        origins: list[PlaceMention], dests: list[PlaceMention], ways: list[PlaceMention],
        context_origin: tuple[PlaceMention, int] | None,
        day: dt.date | None, day_span: tuple[int, int] | None,
        stage: str | None, stage_span: tuple[int, int] | None,
        source: str, sents: list[_Sentence], cwords: list[str],
        sentence_origin: PlaceMention | None = None,
    ) -> _Draft:
        words = s.words
        confidence = 0.9
        if rules.bringing_total(words, a):
            kind = CountKind.CUMULATIVE
        elif planned:
            kind = CountKind.PLANNED
        elif cumulative:
            kind = CountKind.CUMULATIVE
        elif n.approx or (n.value is None and n.low is not None and n.high is not None):
            kind = CountKind.ESTIMATED  # "some 450", "between 7,000 and 9,000"
        else:
            kind = CountKind.REPORTED
        if any(w == "allowed" for w in cwords):
            confidence -= 0.3
        value, low, high = n.value, n.low, n.high
        if n.approx and value is None:
            confidence -= 0.05
        parts: list[tuple[str, int, int]] = [("count", n.start, n.end)]
        if head.end > head.start:
            parts.append(("group" if head.group else "unit", s.tokens[head.start][0], s.tokens[head.end - 1][1]))
        origin = next((m for m in origins if m.place is not None), None)
        unresolved = any(m.place is None for m in (*origins, *dests))
        if origin is None and origins:
            origin = origins[0]
        evidence: list[Evidence] = []
        needed = False
        departs = any(w in rules.ORIGIN_VERBS or w in rules.ORIGIN_NOUNS or w in _SETTING_OFF or w in _TRANSPORT
                      for w in cwords) or (
            "out" in cwords and "of" in cwords) or says_displaced(cwords) or s.list_role == "destination"
        # "73,000 have fled the country (as fighting rages in Khartoum)": the story's country,
        # where the article names it, and no other place is borrowed for it
        left_country = bool(self.country) and departs and _left_the_country(cwords)
        if left_country and (origin is None or (origin.place is not None and origin.place.kind.value != "country")):
            origin = None
            if (found := self._story_country(text, sents, si, source)) is not None:
                (origin, borrowed), needed = found, True
                confidence -= 0.1
                evidence.append(borrowed)
        borrow = not left_country
        if (origin is None or origin.place is None) and departs and borrow and (
                says_displaced(cwords) or not rules.ORIGIN_VERBS.isdisjoint(cwords)):
            # "displaced 91,239 people in Chiure and 5,719 in Macomia": where each figure's people were
            # (a camp "16,000 refugees in Mahama camp" names is where they are sheltered, not left)
            after = [x for x in _placed(s, ("location", _SITE))
                     if 0 <= x[1][0] - b <= 6 and "in" in words[max(b, x[1][0] - 4) : x[1][0]]
                     and (x[0].place is None or x[0].place.kind.value != "camp")]
            if after:
                origin = after[0][0]
                confidence -= 0.15
        if origin is None and sentence_origin is not None and borrow:
            # "25 were taken from Madaya to Damascus, while 15 others were transferred to Idlib"
            origin = sentence_origin
            confidence -= 0.1
        if (origin is None or origin.place is None) and departs and borrow:
            # "1,500 surrendered in Beit Jinn, while 300 others left": the sentence's place; "In
            # Montepuez, 4,000 fled the areas of X and Y" (places the gazetteer lacks): where they lie
            # (a place only named as where something is answers for unresolved origins only, and
            # only before the figure: "In Montepuez, 4,000 fled …", not "… moved to a college in Uri")
            pick = [x for x in _placed(s, ("origin", "location")) if x[0].role == "origin" or x[1][1] <= a
                    or x[0].place is None or x[0].place.kind.value != "camp"] if origin is None else [
                x for x in _placed(s, ("location", _SITE)) if x[1][1] <= a]
            if not pick and origin is None and words[:1] == ["in"] and any(d.place is not None for d in dests):
                # "In Malakal, the transit site hosts 6,700 people, and 850 are due to be airlifted to
                # Aweil": the scene the sentence opens with, when the clause names where they go ("In
                # Bacacay, 548 were moved to an evacuation centre" names no place they left)
                pick = [x for x in _placed(s, (_SITE,)) if x[1][0] == 1 and words[x[1][1] : x[1][1] + 1] == [","]
                        and all(d.place is None or d.place.id != x[0].place.id for d in dests)]  # type: ignore[union-attr]
            if pick:
                origin = pick[0][0]
                confidence -= 0.15
        if origin is None and (departs or "from" in cwords) and borrow:
            # "… the town of Douma. 4,000 people were evacuated from the city": the place named so
            back = referred_place(cwords, sents, si, latest=context_origin)
            if back is not None:
                origin, back_si = back
                confidence -= 0.15
                evidence.append(self._origin_from(text, sents[back_si], source, origin))
                needed = True
        if origin is None and context_origin is not None and context_origin[1] == si - 1 and borrow and (
                words[:2] in (["of", "these"], ["of", "those"], ["of", "them"])):
            # "… 18,787 people departed Rukban. Of these, 17,964 travelled towards Homs": a part of them
            origin, needed = context_origin[0], True
            confidence -= 0.1
            evidence.append(self._origin_from(text, sents[si - 1], source, origin))
        if origin is None and departs and context_origin is not None and borrow and not _province_or_country(
                context_origin[0]):
            # (a province or country the story named before is too broad to be where this figure's people left)
            origin, needed = context_origin[0], True
            confidence -= 0.25
            cs = sents[context_origin[1]]
            evidence.append(self._evidence(text, cs, source, [("origin", origin.start, origin.end)]))
        if origin is not None and not needed:
            parts.append(("origin", origin.start, origin.end))
            # "from Madaya and Zabadani" with one figure: one movement from the first, the others noted
            parts.extend(("other origin", m.start, m.end) for m in _unique(origins)
                         if m.place is not None and origin.place is not None and m.place.id != origin.place.id)
        good_dests = _unique([m for m in dests if m.place is not None])
        if not good_dests and not dests and any(w in _HOSTING for w in cwords):
            # "Officials in Nabatieh said they had received 300 families": where they arrived
            good_dests = _unique([m for m, _ in _placed(s, ("location",))])[:1]
            confidence -= 0.15 if good_dests else 0.0
        if not good_dests and not dests:
            # "… returned to Kobani. 600 families had arrived in the city": the place named so
            back = referred_place(cwords, sents, si, "destination")
            if back is not None and (origin is None or origin.place is None or back[0].place is None
                                     or back[0].place.id != origin.place.id):
                good_dests = [back[0]]
                confidence -= 0.15
                evidence.append(self._evidence(text, sents[back[1]], source,
                                               [("destination", back[0].start, back[0].end)]))
        if kind is CountKind.CUMULATIVE and rules.bringing_total(words, a):
            good_dests = []  # "bringing the total to N": the operation's total, not this stage's route
        abroad = bool(good_dests) and all(
            m.place is not None and m.place.kind.value == "country" and m.place.country != self.country
            for m in good_dests)
        # "132,000 had arrived in Egypt" in a story about Sudan: they came from the story's
        # country, where the article names it
        if origin is None and abroad and self.country and (
                found := self._story_country(text, sents, si, source)) is not None:
            (origin, borrowed), needed = found, True
            confidence -= 0.15
            evidence.append(borrowed)
        parts.extend(("destination", m.start, m.end) for m in good_dests)
        good_ways = _unique([m for m in ways if m.place is not None])
        parts.extend(("waypoint", m.start, m.end) for m in good_ways)
        if day_span:
            parts.append(("date", s.start + day_span[0], s.start + day_span[1]))
        if stage_span:
            parts.append(("stage", s.start + stage_span[0], s.start + stage_span[1]))
        groups = [(head.group, value if value is not None else (low or 0))] if head.group and (value or low) else []
        if head.group and value is None and low is None:
            groups = []
        evidence.insert(0, self._evidence(text, s, source, parts))
        return _Draft(si, origin, good_dests, good_ways, value, low, high, kind, head.unit, groups,
                      day, stage, confidence, evidence, needed, unresolved)

    def _story_country(self, text: str, sents: list[_Sentence], si: int,
                       source: str) -> tuple[PlaceMention, Evidence] | None:
        """The story's country as an origin borrowed from where the article names it, with its evidence."""
        named = self._own_country(sents, si)
        if named is None:
            return None
        return named[0], self._origin_from(text, sents[named[1]], source, named[0])

    def _own_country(self, sents: list[_Sentence], si: int) -> tuple[PlaceMention, int] | None:
        """The story's country as the article names it: in the sentences before, else just after."""
        for k in (*range(si - 1, max(-1, si - 4), -1), *range(si + 1, min(len(sents), si + 4))):
            for m in sents[k].mentions:
                if m.place is not None and m.place.kind.value == "country" and m.place.country == self.country:
                    return m, k
        return None

    def _figureless_route(self, text: str, s: _Sentence, si: int, date: dt.date | None) -> _Route | None:
        """The route a sentence without a figure states ("… left the city of Daraa heading to Idlib").

        Its origin, destinations, stage and day; None when it names no end.
        """
        if _MOVE_WORDS.isdisjoint(s.words) or BACK_REFERENCES & {*s.words[:3], " ".join(s.words[:2])}:
            return None  # "They will be heading to X" speaks of the people before, not the next figure
        dests = _unique([m for m in s.mentions if m.role == "destination" and m.place is not None])
        origin = next((m for m in s.mentions if m.role == "origin" and m.place is not None), None)
        if not dests and origin is None:
            return None
        sentence = text[s.start : s.end]
        stage = find_stage(sentence)[0] if not _STAGE_WORDS.isdisjoint(s.words) else None
        day = find_date(sentence, date)[0] if date is not None and not _DATE_WORDS.isdisjoint(s.words) else None
        return (si, origin, dests, stage, day)

    def _carry_forward(self, text: str, made: list[_Draft], pending: _Route, sents: list[_Sentence],
                       source: str) -> None:
        """Give a figure-less sentence's route to the figures of the next one that lack it.

        "The third batch … left the city of Daraa on Sunday heading to Idlib. 15 buses
        carrying 650 gunmen … exited the city": the 650 went to Idlib, in the third batch,
        on Sunday. "The first batch left Harasta on Thursday night. It comprised 1,580
        people": the 1,580 left Harasta. Only movements with no end of their own (or the
        same origin) take it; a running total of "bringing the total to N" takes no
        destination.
        """
        si, origin, dests, stage, day = pending
        if _PARTITIVE.intersection(sents[si].words[:2]):
            return  # "Others were taken to Qudsaya": some, not the figures after
        for d in made:
            own = d.origin.place if d.origin is not None and not d.origin_needed else None
            if origin is not None and own is not None and (origin.place is None or own.id != origin.place.id):
                continue
            parts: list[tuple[str, int, int]] = []
            if dests and not d.destinations and d.kind is not CountKind.CUMULATIVE:
                d.destinations = list(dests)
                parts.extend(("destination", m.start, m.end) for m in dests)
            if origin is not None and own is None:
                d.origin, d.origin_needed = origin, True
                parts.append(("origin", origin.start, origin.end))
            if not parts:
                continue
            d.stage = d.stage or stage
            d.date = d.date or day
            d.confidence -= 0.1
            # the sentence may already be there, as the origin borrowed from the story
            d.evidence = [e for e in d.evidence if e.start != sents[si].start]
            d.evidence.append(self._evidence(text, sents[si], source, parts))

    def _carry_destinations(self, text: str, s: _Sentence, si: int, drafts: list[_Draft], source: str,
                            sents: list[_Sentence], before: int | None = None) -> bool:
        # only the places before a figure left out ("…, adding that a similar convoy in June had taken 400")
        limit = s.end if before is None else before
        dests = _unique([m for m in s.mentions if m.role == "destination" and m.place is not None and m.end <= limit])
        if not dests or _MOVE_WORDS.isdisjoint(s.words):
            return False
        # "Others were taken to Qudsaya": some of them, not the figures before (but "Most went to
        # the towns of Zahle and Baalbek" still says where in Lebanon)
        partitive = bool(_PARTITIVE.intersection(s.words[:2]))
        if _MINORITY.intersection(s.words[:3]):
            return False  # "Smaller numbers were bound for Artibonite": where a few went, not the figure
        if any(text[n.end : n.end + 6].lstrip().lower().startswith("more") for n in s.numbers):
            return False  # "tens of thousands more are on the move towards X": other people, not those before
        origin = next((m for m in s.mentions if m.role == "origin" and m.place is not None), None)
        planned = any(rules.has_phrase(s.words, p) for p in _ONWARD)
        took = False
        pronoun = bool(BACK_REFERENCES & {*s.words[:3], " ".join(s.words[:2])})
        latest = max((d.sentence for d in drafts), default=-1)
        for d in reversed(drafts):
            if si - d.sentence > CARRY_BACK or (pronoun and d.sentence != latest):
                break
            if sents[d.sentence].list_role:
                continue  # "Nangade: 4,917" under "arrivals in:": the line names its own end
            if any(_is_heading(text, sents[k]) for k in range(d.sentence + 1, si)):
                break  # "… thousands of people.\n\nDISPLACEMENT\n\nThe majority are moving to X": another section
            if d.confidence < 0.5 or (d.kind is CountKind.CUMULATIVE and not d.destinations and not pronoun):
                continue
            if planned and d.kind is not CountKind.PLANNED and not (pronoun and not d.destinations):
                # "they are to be transferred to Idlib": where they will go, not where they went —
                # unless "They will be heading to X" follows people who left with no destination
                continue
            if partitive and not d.destinations:
                continue
            if d.destinations and (si - d.sentence > 1 or not within_countries(d.destinations, dests)):
                continue  # a country made precise only by the sentence right after it
            if origin is not None and (d.origin is None or d.origin.place is None or origin.place is None
                                       or d.origin.place.id != origin.place.id):
                if not (pronoun and is_broad(d.origin)):
                    continue
                # "The convoy, which left from the town of al-Rastan, …": the convoy's own origin
                d.origin = origin
                d.origin_needed = False
            d.destinations = list(dests)
            d.confidence -= 0.1
            parts = [("destination", m.start, m.end) for m in dests]
            if origin is not None and d.origin is origin:
                parts.append(("origin", origin.start, origin.end))
            d.evidence.append(self._evidence(text, s, source, parts))
            took = True
        if took:
            logger.debug("sentence %d gave its destinations to earlier movements", si)
        return took

    def _movement(self, d: _Draft, source: str, index: int) -> Movement | None:
        origin = d.origin.place if d.origin is not None else None
        dests = tuple(m.place for m in d.destinations if m.place is not None)
        if origin is None and not dests:
            return None
        evidence = tuple(d.evidence)
        if origin is not None and d.origin_needed and any(p.id == origin.id for p in dests):
            origin = None  # a place borrowed from another sentence that is where these people went
            evidence = tuple(e for i, e in enumerate(evidence) if i == 0 or any(k != "origin" for k, _, _ in e.parts))
        dests = tuple(p for p in dests if origin is None or p.id != origin.id)
        if origin is not None and origin.kind.value == "country" and dests and all(
                p.country == origin.country and p.kind.value != "country" for p in dests):
            origin = None  # "displaced from across Syria" to Idlib: no place they left, within the country
        # "into Iraq, to the Bardarash camp": the camp says where in Iraq; the country goes
        inside = {p.country for p in dests if p.kind.value != "country"}
        dests = tuple(p for p in dests if p.kind.value != "country" or p.country not in inside) or dests
        if origin is None and not dests:
            return None
        confidence = d.confidence - (0.1 if d.unresolved_end else 0.0)
        count, low, high = d.count, d.low, d.high
        groups = tuple((g, c) for g, c in dict(d.groups).items())
        if count is not None and len(groups) > 1:
            # "100 residents … among them 26 children": the head's own label is the whole, not a part
            groups = tuple((g, c) for g, c in groups if c != count) or groups
        if count is not None and sum(c for _, c in groups) > count:
            groups = ()
        return Movement(
            origin=origin,
            destinations=dests,
            count=count,
            count_kind=d.kind,
            count_min=low,
            count_max=high,
            groups=groups,
            date_start=d.date,
            date_end=d.date,
            stage=d.stage,
            waypoints=tuple(m.place for m in d.waypoints if m.place is not None),
            sources=(source,),
            evidence=evidence,
            id=f"{source}#{index + 1}",
            unit=d.unit,
            confidence=round(max(0.05, min(0.99, confidence)), 2),
        )


def _labels_line(words: list[str], span: tuple[int, int]) -> bool:
    """Whether the place at `span` is a line's label ("- Harasta: 4,595 people …")."""
    a, b = span
    return set(words[:a]) <= {"-", "–", "—", "•", "·", "*", "▪"} and words[b : b + 1] == [":"] and (
        b + 1 < len(words) and (words[b + 1][:1].isdigit() or words[b + 1] in ("some", "about", "around", "nearly")))


def _descriptor(words: list[str], at: int) -> bool:
    """Whether the place at token `at` says whom a figure counts ("residents of X", "people from X")."""
    before = words[at - 2] if at >= 2 else ""
    return words[at - 1 : at] in (["of"], ["from"]) and before not in ("displaced", "evacuated") and (
        before in rules.RESIDENTS or before in rules.PEOPLE or before in rules.CIVILIANS)


def _province_or_country(m: PlaceMention) -> bool:
    return m.place is not None and m.place.kind.value in ("governorate", "country")


def _is_heading(text: str, s: _Sentence) -> bool:
    """A section heading: a short line in capitals ("DISPLACEMENT", "HUMANITARIAN RESPONSE")."""
    line = text[s.start : s.end].strip()
    return 0 < len(line) <= 60 and "\n" not in line and line.upper() == line and any(c.isalpha() for c in line)


def _left_the_country(words: list[str]) -> bool:
    """Whether the clause says people left "the country" ("fled the country", "out of the country")."""
    return any(words[i : i + 2] == ["the", "country"] and i > 0 and (
        words[i - 1] in rules.ORIGIN_VERBS or words[i - 1] == "from" or words[i - 2 : i] == ["out", "of"])
        for i in range(len(words)))


_PROVINCE_WORDS = frozenset({"province", "governorate", "provinces", "countryside"})


def _one_sense(sents: list[_Sentence]) -> None:
    """A bare "Idlib" where people went is the province when the article names "Idlib province".

    Wire stories name the province once ("the northern province of Idlib") and then
    write "Idlib"; a destination that is a town of the same name inside that province
    becomes the province. Origins and other roles keep the town.
    """
    named: dict[str, Place] = {}
    for s in sents:
        for m in s.mentions:
            p = m.place
            if p is not None and p.kind.value == "governorate" and p.pcode and not _PROVINCE_WORDS.isdisjoint(
                    w.lower() for w in re.findall(r"\w+", f"{m.text} {m.query}")):
                named[p.pcode] = p
    if not named:
        return
    for s in sents:
        for k, m in enumerate(s.mentions):
            p = m.place
            if (m.role == "destination" and p is not None and p.kind.value in ("city", "town")
                    and p.admin1_pcode in named and not _PROVINCE_WORDS.intersection(m.text.lower().split())):
                gov = named[p.admin1_pcode]
                names = {fold_token(n) for n in (gov.admin1 or "", *gov.aliases)}
                if fold_token(m.text) in names:
                    s.mentions[k] = dataclasses.replace(m, place=gov, reason="the province the article names")


def _placed(s: _Sentence, roles: tuple[str, ...]) -> list[tuple[PlaceMention, tuple[int, int]]]:
    """The sentence's resolved places in those roles (not countries), with their token ranges."""
    return [(m, t) for m, t in zip(s.mentions, s.mention_tokens, strict=True)
            if m.place is not None and m.role in roles and m.place.kind.value != "country"]


def _bracketed(words: list[str], end: int) -> bool:
    """Whether a figure in brackets follows the place ending at `end` ("Tell Abyad (460)"), in its clause."""
    for j in range(end, min(len(words) - 1, end + 6)):
        if words[j] in (";", ".", ":"):
            return False
        if words[j] == "(" and words[j + 1][:1].isdigit():
            return True
    return False


def _directed(m: PlaceMention) -> bool:
    """Whether a mention is a part of a country ("northern Syria"): too vague for an end.

    A country whose own name starts so ("South Sudan", "North Macedonia") is the country.
    """
    first = m.text.split(maxsplit=1)[0].lower() if m.text else ""
    if first not in DIRECTIONS:
        return False
    names = (m.place.name, *m.place.aliases) if m.place is not None else ()
    return not any(fold_token(n.split(maxsplit=1)[0]) == fold_token(first) for n in names if n)


def _within(m: PlaceMention, cm: list[tuple[PlaceMention, tuple[int, int]]]) -> PlaceMention:
    """An unresolved end, or the known place right after it that holds it ("X Hospital in Tel Tamr")."""
    if m.place is not None:
        return m
    after = next(((q, t) for q, t in cm if q.start > m.end), None)
    if after is None or after[0].role != "qualifier" or after[0].place is None or after[0].start - m.end > 6:
        return m
    q = after[0]
    return dataclasses.replace(q, role=m.role)


def _by_role(answer: Match, role: str) -> Place:
    """The answer's place, or its camp namesake close by when people leave or reach it.

    "18,787 people have left Rukban": the camp, not the border crossing of the same name
    1 km away; "through Rukban" keeps the crossing. Only a runner-up within a hair of the
    best score and 5 km of it.
    """
    best = answer.best
    if role not in ("origin", "destination") or best.place.kind.value != "crossing":
        return best.place
    for c in answer.runners_up:
        if (c.place.kind.value == "camp" and best.score - c.score <= 0.03
                and haversine_km(best.place.lat, best.place.lon, c.place.lat, c.place.lon) <= 5):
            return c.place
    return best.place


def _unique(mentions: list[PlaceMention]) -> list[PlaceMention]:
    seen: set[str] = set()
    out = []
    for m in mentions:
        if m.place is not None and m.place.id not in seen:
            seen.add(m.place.id)
            out.append(m)
    return out


def _give_destinations(made: list[_Draft], own: list[list[PlaceMention]]) -> None:
    """Give each draft its own destinations (and their spans in its evidence)."""
    for d, mine in zip(made, own, strict=True):
        d.destinations = mine
        d.evidence[0] = _replace_parts(d.evidence[0], "destination", mine)


def _replace_parts(ev: Evidence, kind: str, mentions: list[PlaceMention]) -> Evidence:
    """`ev` with its parts of `kind` replaced by the spans of `mentions`."""
    keep = [p for p in ev.parts if p[0] != kind]
    keep.extend((kind, m.start, m.end) for m in mentions)
    return dataclasses.replace(ev, parts=tuple(keep))


def _with_part(ev: Evidence, kind: str, start: int, end: int) -> Evidence:
    return Evidence(ev.location, ev.text, start=ev.start, end=ev.end, parts=(*ev.parts, (kind, start, end)))


def extract_movements(
    text: str,
    *,
    gazetteer: Gazetteer | None = None,
    country: str | None = None,
    date: dt.date | str | None = None,
    source: str | None = None,
) -> Extraction:
    """Evacuation movements stated in an article, each with the words that state it.

    Parameters
    ----------
    text
        The article (plain text).
    gazetteer
        Resolves the place names; the world gazetteer when None.
    country
        ISO code of the story's country: a hint for every name.
    date
        The article's date: "on Saturday" is resolved against it. Without it, only
        dates with a year are read.
    source
        The article's name (file path), kept in each movement's sources and evidence.

    Returns
    -------
    Extraction
        ``.movements`` (:class:`~evacmap.model.Movement`, with evidence spans and a
        confidence), ``.places`` (every mention, resolved or with the reason it is not)
        and ``.excluded`` (figures left out, with the reason).

    See Also
    --------
    Extractor : the same for many articles, with the name scan built once.

    Examples
    --------
    >>> from evacmap.gazetteer import Gazetteer
    >>> r = extract_movements("2,000 people arrived in Idlib.", gazetteer=Gazetteer.curated())
    >>> r.movements[0].route, r.movements[0].evidence[0].parts
    ('? → Idlib', (('count', 0, 5), ('unit', 6, 12), ('destination', 24, 29)))
    >>> extract_movements("Nothing happened.", gazetteer=Gazetteer.curated()).movements
    ()
    """
    return Extractor(gazetteer, country=country).extract(text, date=date, source=source)
