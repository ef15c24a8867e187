"""Place mentions in text: a multi-pattern scan over gazetteer names plus capitalised phrases.

Two detectors find candidate place names in a sentence:

* an Aho–Corasick automaton (pyahocorasick) over the normalised names of every place the
  gazetteer holds in memory (curated and regional places, the user's, countries) finds
  them in any listed spelling, in one pass over the text;
* capitalised phrases ("Bab al-Hawa", "Deir ez-Zor", "Jarablus") catch the rest —
  the GeoNames towns, and names the gazetteer lacks.

Both are resolved later, all names of an article together, through
:meth:`~evacmap.gazetteer.Gazetteer.geocode_many` with the story's country as hint, so
the gazetteer's own normalisation and ranking decide; nothing here guesses.

Examples
--------
>>> from evacmap.gazetteer import Gazetteer
>>> finder = PlaceFinder(Gazetteer.curated())
>>> text = "A group of 450 people left the El Waer district for Idlib province."
>>> [(text[c.start:c.end], c.query) for c in finder.candidates(text, 0, len(text))]
[('El Waer district', 'El Waer district'), ('Idlib province', 'Idlib province')]
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from evacmap.extract.lexicon import words as _words
from evacmap.gazetteer import Gazetteer

__all__ = ["Candidate", "PlaceFinder", "fold_token", "names_a_facility", "tokenize"]

_TOKEN_RE = re.compile(r"[^\W_]+(?:['’ʿʾ`](?![sS]\b)[^\W_]+)*|[^\w\s]")
_PARTICLES = _words(
    "al el ad ar as an at az ash ed es ez ech et bin ibn abu um umm bani beni de"
)
#: Words after a name that say what kind of place it is; kept in the query.
GENERIC_AFTER = _words(
    "province governorate countryside district camp crossing city town village "
    "neighbourhood neighborhood suburb suburbs region area enclave border"
)
#: Facilities named after the place they are in ("Kigali Pele Stadium", "Qamishli National Hospital").
_FACILITIES = _words(
    "stadium airport airbase hospital school university mosque church station port harbour harbor "
    "hotel centre center shelter complex compound terminal barracks prison hall international national"
)
#: Words of organisations and media: a capitalised phrase with one of them is not a place.
_ORGANISATIONS = _words(
    """jazeera arabiya anadolu xinhua ria interfax dpa efe hezbollah hts nusra ahrar jaish
    faylaq sdf ypg fsa amnesty watch unrwa iom msf sams defence defense ministry observatory
    agency reuters afp sana tass sputnik council committee crescent brigade brigades faction
    front movement party is isis isil daesh pkk pyd taliban hamas rsf peshmerga wagner idf houthis
    houthi m23 shabaab tahrir"""
)
#: Capitalised nouns before "for"/"of" that head an organisation's name ("Observatory for Human
#: Rights", "Office for the Coordination"); after a place name ("left Tabqa for Ain Issa") "for" is a cue.
_ORGANISATION_HEADS = _ORGANISATIONS | _words(
    """office organization organisation organisations union coalition forces force commission institute
    centre center network society association league army unit units ministry minister directorate
    department authority programme program fund commissioner coordinator group groups federation"""
)
#: Endings of capitalised adjectives (Shiite, Syrian, Kurdish, Lebanese, Sunni).
_ADJECTIVE_ENDINGS = ("ite", "ian", "ish", "ese")
#: Direction words before a name: "southern Idleb" is an area, not the city.
DIRECTIONS = _words(
    "northern southern eastern western northwestern northeastern southwestern southeastern "
    "rural east west north south"
)
#: Words before "of X" that make "the countryside of X" a query for "X countryside".
GENERIC_OF = _words("countryside province governorate outskirts suburbs")
#: The same, for several places at once ("the provinces of Aleppo and Idlib").
_PLURAL_OF = _words("provinces governorates")
#: Capitalised words that are not place names (when alone).
_NOT_PLACES = _words(
    """the a an this that these those under after before during following on in at by
    from to for with as of and or but it its their they he she we his her our while when
    monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december today yesterday
    un ocha unhcr icrc sarc sana afp reuters ap sputnik tass bbc cnn who unicef wfp
    government army regime president minister ministry observatory committee council
    crescent red cross nations united state islamic forces force isis isil daesh
    syrian russian turkish iraqi lebanese iranian american kurdish arab arabic
    more news some about nearly around among including evacuees buses convoy
    republic kingdom region strip district governorate province camp camps crossing border
    city town village highlights overview situation response update background funding key
    figures needs gaps contacts total"""
)
#: Acronyms that are places (others, "IDPs", "HHs", "RRM", "SARC", are not).
_PLACE_ACRONYMS = frozenset({"UAE", "USA", "US", "UK", "DRC", "KRI", "CAR", "KSA"})
_ACRONYM_RE = re.compile(r"[A-Z]{2,5}s?")


@lru_cache(maxsize=65536)
def fold_token(token: str) -> str:
    """A word as the matcher compares it: lower case, no accents, no apostrophes.

    Examples
    --------
    >>> fold_token("Wa'er"), fold_token("Ḩarastā")
    ('waer', 'harasta')
    """
    decomposed = unicodedata.normalize("NFKD", token.casefold())
    return "".join(c for c in decomposed if c.isalnum())


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of the words and punctuation marks of ``text[start:end]`` (absolute offsets).

    Examples
    --------
    >>> t = "left al-Wa'er."
    >>> [t[a:b] for a, b in tokenize(t)]
    ['left', 'al', '-', "Wa'er", '.']
    """
    end = len(text) if end is None else end
    return [m.span() for m in _TOKEN_RE.finditer(text, start, end)]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A phrase that may name a place.

    Parameters
    ----------
    start, end
        Character span in the article.
    tok_start, tok_end
        Token range in the sentence's tokens.
    query
        What to ask the gazetteer (the words, with a generic word kept or moved:
        "countryside of Aleppo" asks for "Aleppo countryside").
    known
        True when the name is one the gazetteer holds (automaton hit).
    fallbacks
        Queries to try, in order, when `query` is not found ("southern Idleb" falls
        back to "Idleb countryside", the governorate, then "Idleb").
    """

    start: int
    end: int
    tok_start: int
    tok_end: int
    query: str
    known: bool
    fallbacks: tuple[str, ...] = ()


class PlaceFinder:
    """Find place-name candidates in sentences, using one gazetteer's names.

    Parameters
    ----------
    gazetteer
        Its in-memory places (:meth:`~evacmap.gazetteer.Gazetteer.held_places`) feed the
        automaton; built once per finder (a few milliseconds).
    """

    def __init__(self, gazetteer: Gazetteer) -> None:
        import ahocorasick

        self._automaton: Any = ahocorasick.Automaton()
        seen: set[str] = set()
        for place in gazetteer.held_places():
            for name in (place.name, *place.aliases):
                words = [fold_token(name[a:b]) for a, b in tokenize(name)]
                words = [w for w in words if w]
                key = " ".join(words)
                if len(key) < 3 or key in seen or not any(c.isalpha() for c in key):
                    continue
                if len(words) == 1 and words[0] in _NOT_PLACES:
                    continue
                seen.add(key)
                self._automaton.add_word(f" {key} ", (len(words), len(key) + 2))
        self._empty = not seen
        if not self._empty:
            self._automaton.make_automaton()

    def known_spans(self, words: Sequence[str], raw: Sequence[str]) -> list[tuple[int, int]]:
        """Token ranges of the held names among folded `words` (punctuation as itself), in order."""
        if self._empty:
            return []
        starts: dict[int, int] = {}
        parts = [" "]
        pos = 1
        for i, w in enumerate(words):
            if not w[0].isalnum():
                if w != "-":  # punctuation breaks a name, the hyphen of "al-Bab" not
                    parts.append("# ")
                    pos += 2
                continue
            starts[pos] = i
            parts.append(w)
            parts.append(" ")
            pos += len(w) + 1
        joined = "".join(parts)
        found: list[tuple[int, int]] = []
        for end_char, (n_words, length) in self._automaton.iter(joined):
            first = starts.get(end_char - length + 2)
            if first is None:
                continue
            i = first
            j, left = first, n_words
            while j < len(words) and left:
                if words[j][0].isalnum():
                    left -= 1
                j += 1
            found.append((i, j))
        return found

    def candidates(
        self,
        text: str,
        start: int,
        end: int,
        tokens: Sequence[tuple[int, int]] | None = None,
        *,
        known_only: bool = False,
    ) -> list[Candidate]:
        """Place-name candidates of ``text[start:end]``, left to right, not overlapping.

        Parameters
        ----------
        text
            The article.
        start, end
            The sentence's span.
        tokens
            The sentence's tokens (:func:`tokenize`), when already made.
        known_only
            Only names the gazetteer holds (no capitalised phrases).

        Returns
        -------
        list of Candidate
        """
        toks = list(tokens) if tokens is not None else tokenize(text, start, end)
        raw = [text[a:b] for a, b in toks]
        return self.candidates_of(text, toks, raw, [fold_token(w) if w[0].isalnum() else w for w in raw],
                                  known_only=known_only)

    def candidates_of(
        self,
        text: str,
        toks: Sequence[tuple[int, int]],
        raw: Sequence[str],
        words: Sequence[str],
        *,
        known_only: bool = False,
        held: Sequence[tuple[int, int]] | None = None,
    ) -> list[Candidate]:
        """:meth:`candidates` of tokens already cut and folded (punctuation kept as itself).

        `held` gives the token ranges of held names when already found
        (:meth:`known_spans` over the whole article).
        """
        spans: list[tuple[int, int, bool]] = []
        for i, j in self.known_spans(words, raw) if held is None else held:
            first = raw[i]
            if first[0].isupper() or (words[i] in _PARTICLES and i + 1 < j) or not first.isascii():
                spans.append((i, j, True))
        if not known_only:
            spans.extend((i, j, False) for i, j in _capitalised(raw, words))
        spans.sort(key=lambda s: (s[0], -(s[1] - s[0]), not s[2]))
        chosen: list[tuple[int, int, bool]] = []
        last = -1
        for i, j, known in spans:
            if i >= last:
                chosen.append((i, j, known))
                last = j
        out: list[Candidate] = []
        for i, j, known in chosen:
            j2 = j
            while j2 < len(raw) and words[j2] in GENERIC_AFTER and j2 - j < 2:
                j2 += 1
            possessive = j2 == j and words[j : j + 2] in (["'", "s"], ["’", "s"])
            if possessive:
                k = j + 2 + (j + 2 < len(words) and words[j + 2] in DIRECTIONS)
                if k < len(words) and words[k] in ("countryside", "province", "governorate"):
                    # "Raqqa's northern countryside" is the governorate of Raqqa
                    name = text[toks[i][0] : toks[j - 1][1]]
                    out.append(Candidate(toks[i][0], toks[k][1], i, k + 1, f"{name} {words[k]}", known,
                                         (f"{name} governorate",)))
                    continue
            prefix = ""
            if j2 == j and i >= 2 and words[i - 1] == "of" and words[i - 2] in GENERIC_OF:
                prefix = raw[i - 2]
            elif j2 == j and i >= 2 and words[i - 2] in _PLURAL_OF and words[i - 1] == "of":
                prefix = words[i - 2][:-1]  # "the provinces of Aleppo and Idlib": each a province
            elif j2 == j and out and words[i - 1] in ("and", ",") and out[-1].tok_end == i - 1 and (
                    out[-1].tok_start >= 2 and words[out[-1].tok_start - 2] in _PLURAL_OF):
                prefix = words[out[-1].tok_start - 2][:-1]
            query = text[toks[i][0] : toks[j2 - 1][1]]
            if prefix and prefix.lower() != "outskirts":
                query = f"{query} {prefix.lower()}"
            if i > 0 and words[i - 1] in DIRECTIONS and raw[i - 1].islower() and j2 == j:
                # "southern Idleb": the region if the gazetteer has it, else the governorate
                name = query
                query = f"{raw[i - 1]} {name}"
                out.append(Candidate(toks[i - 1][0], toks[j2 - 1][1], i - 1, j2, query, known,
                                     (f"{name} countryside", name)))
                continue
            fallbacks: tuple[str, ...] = ()
            k = j2
            while k - i > 1 and words[k - 1] in _FACILITIES:
                k -= 1
            if k < j2 and not known:
                # "Kigali Pele Stadium", "Bab al-Hawa Hospital": a facility the gazetteer lacks, named
                # after the place it is in (the name without the facility, or its first word of two)
                fallbacks = (text[toks[i][0] : toks[k - 1][1]],) + ((raw[i],) if k - i == 2 and j2 - k == 1 else ())
            if words[j2 - 1] == "countryside" or prefix.lower() == "countryside":
                # "the Hama countryside" is the governorate even where "Hama" alone is ambiguous
                fallbacks = (f"{text[toks[i][0] : toks[j - 1][1]]} governorate",)
            out.append(Candidate(toks[i][0], toks[j2 - 1][1], i, j2, query, known, fallbacks))
        return out


def names_a_facility(text: str) -> bool:
    """Whether a name ends with a facility word ("Roj Hospital", "Kigali Pele Stadium").

    Examples
    --------
    >>> names_a_facility("Roj Hospital"), names_a_facility("Roj camp")
    (True, False)
    """
    last = text.rsplit(maxsplit=1)[-1] if text.strip() else ""
    return fold_token(last) in _FACILITIES


def _capitalised(raw: Sequence[str], words: Sequence[str]) -> list[tuple[int, int]]:
    """Token ranges of capitalised phrases, with Arabic particles ("Bab al-Hawa")."""
    out: list[tuple[int, int]] = []
    i, n = 0, len(raw)
    while i < n:
        w = raw[i]
        starts_name = w[0].isupper() and w[0].isalpha()
        lead = (
            words[i] in _PARTICLES
            and i + 2 < n
            and raw[i + 1] == "-"
            and raw[i + 2][:1].isupper()
        )
        if not (starts_name or lead):
            i += 1
            continue
        j = i + (3 if lead else 1)
        while j < n:
            if raw[j][:1].isupper() and raw[j][0].isalpha():
                j += 1
            elif raw[j] == "-" and j + 1 < n and raw[j + 1][:1].isalpha():
                j += 2
            elif words[j] in _PARTICLES and j + 1 < n and (
                raw[j + 1] == "-" or raw[j + 1][:1].isupper()
            ):
                j += 1
            else:
                break
        while j > i and raw[j - 1] == "-":
            j -= 1
        org = (i >= 2 and words[i - 1] in ("for", "of") and raw[i - 2][:1].isupper()
               and words[i - 2] in _ORGANISATION_HEADS) or any(
            words[x] in _ORGANISATIONS for x in range(i, j)
        )
        if (j - i == 1 and j < n and raw[j].islower() and raw[j].isalpha() and words[j] not in _NOT_PLACES
                and words[i].endswith(_ADJECTIVE_ENDINGS)):
            org = True  # "the Shiite towns", "Kurdish forces": an adjective, not a name
        if j - i == 1 and _ACRONYM_RE.fullmatch(raw[i]) and raw[i] not in _PLACE_ACRONYMS:
            org = True  # "HHs", "IDPs", "SARC": an acronym, not a place name
        if not org and not (j - i == 1 and words[i] in _NOT_PLACES):
            # a leading function word ("The", "Under") is not part of the name
            k = i
            while k < j and words[k] in _NOT_PLACES and raw[k][0].isupper():
                k += 1
            if k < j:
                out.append((k, j))
        i = j
    return out
