"""Transliteration rules: the romanisations of one Arabic name mapped to one key.

Arabic place names reach English, French, German and Turkish text in many
spellings: ج as *j*, *g* (Egyptian style), *dj* (French) or *dzh*/*dż* (Slavic);
the vowels, which Arabic script mostly leaves unwritten, as *a* or *e* (Levantine
*imala*), *i*, *e* or *ee*, *ou*, *u* or *oo*; the diphthong as *ai*, *ae*, *ay*,
*ei* or *ey*; the feminine and nisba endings as *-iya*, *-iyah*, *-iyeh*, *-ayeh*,
*-ieh* or *-iye*; doubled or single consonants; and the common first words
(Kafr/Kfar/Kefr, Deir/Dayr/Dair, Tell/Tal/Tel, …) with their own irregular forms.

The rules below are data: :data:`WORD_FORMS` (whole words, written many ways) and
:data:`LETTER_RULES` (ordered rewrites inside a word). :func:`skeleton_word` applies
them to one word of a tier-1 key, and :func:`evacmap.gazetteer.normalize.skeleton_key`
joins the words into the tier-2 key under which names are indexed and looked up.

Each rule lists the spellings it makes equal (:attr:`LetterRule.variants`); the
property tests generate names from those spellings and check that every variant of a
name gets one key, and ``scripts/translit_collisions.py`` measures how many distinct
places of the region the rules make collide.

Not unified, on purpose: ق written as *g* (Bedouin and Iraqi speech) would merge ج, ق
and ك into one letter and is left out; ق as a glottal stop (Damascene speech) leaves
no letter once the apostrophe is dropped, so it cannot be told from ʿayn.

Examples
--------
>>> skeleton_word("zebdani") == skeleton_word("zabdani")
True
>>> {skeleton_word(w) for w in ("kafr", "kfar", "kefr")}
{'kafr'}
>>> skeleton_word("")
''
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["LETTER_RULES", "WORD_FORMS", "LetterRule", "skeleton_word"]

#: Whole words written many ways, canonical spelling first (tier-1 keys: lower case,
#: no accents or apostrophes). Applied to every word of a name before the letter rules,
#: so the irregular forms (vowel moved, letter dropped) meet the regular ones.
WORD_FORMS: tuple[tuple[str, ...], ...] = (
    ("kafr", "kfar", "kefr", "kfr", "kafar", "kafer", "kefer", "kfer", "kufr"),
    ("dayr", "deir", "dair", "deyr", "dier", "der", "dar", "deyir"),
    ("tall", "tell", "tal", "tel", "til", "tel"),
    ("ayn", "ain", "ein", "ayin", "aain", "aein", "aayn", "ayn"),
    ("bayt", "beit", "bait", "beyt", "bet", "beth"),
    ("qasr", "kasr", "qaser", "kasser", "qsar", "ksar"),
    ("jisr", "jisser", "jesr", "djisr", "gisr", "jsr"),
    ("khan", "khane"),
    ("maarrat", "maarat", "maaret", "maarret", "marat", "marrat", "maarit", "maarrit"),
    ("qalaat", "qalat", "kalaat", "kalat", "qalaa", "qalaet", "kalaet", "qalet"),
    ("khirbat", "khirbet", "kherbet", "khirbit", "khurbet", "kharbet", "kharbat", "khrbet"),
    ("shaykh", "sheikh", "shaikh", "sheik", "cheikh", "cheik", "shekh", "sheykh", "seyh"),
    ("umm", "um", "om", "oum", "omm", "oumm"),
    ("abu", "abou", "abo", "aboo"),
    ("ras", "raas", "rass", "rasm"),
    ("jabal", "jebel", "jbel", "djebel", "gebel", "jabel", "jbal"),
    ("wadi", "wady", "ouadi", "oued"),
)

_WORD_MAP: dict[str, str] = {v: group[0] for group in WORD_FORMS for v in group}
# "dar" and "rasm" are words of their own elsewhere; only an exact form is mapped.
_WORD_MAP.pop("dar")
_WORD_MAP.pop("rasm")

_V = "aeiouy"


@dataclass(frozen=True, slots=True)
class LetterRule:
    """One rewrite inside a word: every spelling in `variants` becomes `replacement`.

    Attributes
    ----------
    name
        What the rule is about ("jim", "ending", …).
    pattern
        A regular expression over a tier-1 word (lower case ASCII).
    replacement
        What each match becomes.
    variants
        The spellings the rule makes equal, for documentation and the property tests.
        Where the rule applies only at a place in the word (the ending, the first
        letter), the variants are written with that position in mind.
    position
        ``"any"``, ``"start"`` or ``"end"``: where the property tests may put a variant.
    """

    name: str
    pattern: re.Pattern[str]
    replacement: str
    variants: tuple[str, ...]
    position: str = "any"

    def apply(self, word: str) -> str:
        """Rewrite one word."""
        return self.pattern.sub(self.replacement, word)


def _rule(
    name: str, pattern: str, replacement: str, variants: tuple[str, ...], position: str = "any"
) -> LetterRule:
    return LetterRule(name, re.compile(pattern), replacement, variants, position)


#: The letter rules, applied in this order to each word.
LETTER_RULES: tuple[LetterRule, ...] = (
    # Feminine and nisba endings after a consonant: -iya, -iyah, -iyeh, -ayeh, -ieh, -iye …
    _rule(
        "ending",
        rf"(?<=[^{_V}])(?:iy+|ey+|ay+)(?:a|e|ah|eh)$|(?<=[^{_V}])(?:ie|ia|iye)h?$",
        "iya",
        (
            "iya",
            "iyah",
            "iyeh",
            "iyya",
            "iyyah",
            "iyyeh",
            "ayeh",
            "aya",
            "ieh",
            "ie",
            "iye",
            "ia",
            "eya",
            "eyah",
        ),
        "end",
    ),
    # ج: French dj, German dsch, Slavic dzh / dż / dž (folded to dz). A d followed by
    # z is rare in Arabic names (measured: no place of the region gains a collision).
    _rule("jim", r"dsch|dzh|dj|dz", "j", ("j", "dj", "dzh", "dsch", "dz", "g")),
    # Consonant digraphs: خ kh (Kurdish x), غ gh kept apart from g, ش sh/ch/sch, ث th, ذ dh.
    _rule("kha", r"kh|x", "k", ("kh", "k", "x")),
    _rule("ghayn", r"gh", "G", ("gh",)),
    _rule("shin", r"sch|sh|ch", "s", ("sh", "ch", "sch")),
    _rule("tha", r"th", "t", ("th", "t")),
    _rule("dhal", r"dh", "d", ("dh", "d")),
    _rule("fa", r"ph", "f", ("ph", "f")),
    # ق and ك: q, k, c, ck.
    _rule("qaf", r"ck|q|c", "k", ("q", "k", "c", "ck")),
    # ج as Egyptian g: after gh has been set apart.
    _rule("jim_g", r"g", "j", ("g", "j")),
    # The diphthong and long vowels: ai/ae/ay/ei/ey; ee/ie; ou/oo/aw/ow/au.
    _rule("diphthong", r"ai|ae|ay|ei|ey", "i", ("ai", "ae", "ay", "ei", "ey")),
    _rule("long_i", r"ee|ie|ii", "i", ("i", "ee", "ie")),
    _rule("long_u", r"ou|oo|aw|ow|au|uu|w|o", "u", ("u", "ou", "oo", "o", "w")),
    # A front vowel at the start of a word (after a dropped hamza or ʿayn): Idlib/Edlib.
    _rule("initial_vowel", rf"^[aei]+(?=[^{_V}])", "a", ("a", "e", "i", "aa", "ee"), "start"),
    # Short i written e in a word's last closed syllable (French spelling): Idleb/Idlib,
    # Hafer/Hafir; not before h or t, where e is the feminine ending (-eh, -et = -a, -at).
    _rule("short_i", rf"e(?=[^{_V}ht]$)", "i", ("i", "e"), "end"),
    # Short a written e elsewhere (Levantine imala, French spelling): Zebdani/Zabdani.
    _rule("imala", r"e", "a", ("a", "e")),
    _rule("ya", r"y", "i", ("y", "i")),
    # Doubled letters are written single or double; a final h is often left out.
    _rule("double", r"(.)\1+", r"\1", ("s", "ss")),
    _rule("final_h", r"(?<=.)h$", "", ("", "h"), "end"),
)


@lru_cache(maxsize=500_000)
def skeleton_word(word: str) -> str:
    """The tier-2 skeleton of one word of a tier-1 key.

    Parameters
    ----------
    word
        One word of a :func:`~evacmap.gazetteer.normalize.name_key` (Latin script).

    Returns
    -------
    str
        The word with :data:`WORD_FORMS` and then :data:`LETTER_RULES` applied.

    Examples
    --------
    >>> skeleton_word("salamiyeh") == skeleton_word("salamiyah") == skeleton_word("salamieh")
    True
    >>> skeleton_word("gisr") == skeleton_word("jisr")
    True
    >>> skeleton_word("ghouta") == skeleton_word("jouta")
    False
    >>> skeleton_word("")
    ''
    """
    word = _WORD_MAP.get(word, word)
    for rule in LETTER_RULES:
        word = rule.apply(word)
    return word
