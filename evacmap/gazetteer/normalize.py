"""Name normalisation: the keys under which place names are indexed and looked up.

Three tiers, each looser than the last:

1. :func:`name_key` — the exact key. Unicode folding (case, diacritics), the
   apostrophe / ʿayn / hamza family removed, punctuation turned into spaces, the Arabic
   article in its assimilated forms (al, el, ad, an, ar, as, ash, at, az, ed, …) dropped
   at the start and unified to ``al`` in the middle, Arabic script normalised
   (أ إ آ → ا, ى → ي, ة → ه, no tashkeel or tatweel, the article ال dropped).
2. :func:`skeleton_key` — a looser key for transliteration variants: the rules of
   :mod:`evacmap.gazetteer.translit` (ج as j/g/dj, ق as q/k, a/e, i/ee, ou/u/oo,
   ai/ay/ei, the -iya/-iyeh/-ayeh endings, doubled letters, the common first words in
   their many forms) applied to each word, then spaces and articles dropped.
3. fuzzy matching, done by the gazetteer on tier-1 keys.

:func:`split_generic` separates generic words such as "province" or "camp", which
become hints about the kind of place instead of part of its name.

Examples
--------
>>> name_key("El Waer") == name_key("al-Wa'er") == name_key("Al Waer") == "waer"
True
>>> name_key("Deir ez-Zor") == name_key("Dayr az Zawr")
False
>>> skeleton_key("Deir ez-Zor") == skeleton_key("Dayr az Zawr")
True
>>> name_key("الوعر")
'وعر'
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from evacmap.gazetteer.translit import skeleton_word

__all__ = ["name_key", "skeleton_key", "split_generic"]

# Apostrophes, ʿayn and hamza marks and their look-alikes: removed, not spaced.
_APOSTROPHES = "'`´‘’ʿʾʻʼʽ′″ˈ\u02b9\u02ba\u055a\u2032"
_APOSTROPHE_RE = re.compile(f"[{re.escape(_APOSTROPHES)}]")

# Letters that Unicode does not decompose into a base letter plus a mark.
_LETTERS = str.maketrans(
    {
        "ı": "i",
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ħ": "h",
        "ŧ": "t",
        "ŀ": "l",
        "æ": "ae",
        "œ": "oe",
        "ð": "d",
        "þ": "th",
        "ə": "e",
        "ɨ": "i",
        # Arabic script: letter variants folded, tatweel removed.
        "ة": "ه",
        "ى": "ي",
        "ی": "ي",
        "ک": "ك",
        "ٱ": "ا",
        "ـ": "",
        "ئ": "ي",
        "ؤ": "و",
        "ء": "",
    }
)

# The Arabic article and its sun-letter assimilations, as romanised (BGN/PCGN and
# common French/English spellings).
ARTICLES = frozenset(
    [
        "al",
        "el",
        "il",
        "ul",
        "ad",
        "adh",
        "an",
        "ar",
        "as",
        "ash",
        "at",
        "ath",
        "az",
        "ed",
        "ech",
        "edh",
        "en",
        "er",
        "es",
        "esh",
        "et",
        "eth",
        "ez",
    ]
)

_NON_WORD_RE = re.compile(r"[\W_]+", re.UNICODE)
_ARABIC_LETTER_RE = re.compile(r"[\u0600-\u06ff]")

#: Generic words, mapped to the kinds of place they suggest.
GENERIC_WORDS: dict[str, tuple[str, ...]] = {
    "city": ("city", "town"),
    "town": ("town", "city", "village"),
    "village": ("village", "town"),
    "district": ("district", "neighbourhood"),
    "neighbourhood": ("neighbourhood", "district"),
    "neighborhood": ("neighbourhood", "district"),
    "quarter": ("neighbourhood", "district"),
    "province": ("governorate",),
    "governorate": ("governorate",),
    "muhafazat": ("governorate",),
    "mohafazat": ("governorate",),
    "muhafaza": ("governorate",),
    "region": ("region", "governorate"),
    "area": ("region", "district"),
    "countryside": ("governorate", "region"),
    "valley": ("region", "governorate", "district"),
    "camp": ("camp",),
    "crossing": ("crossing",),
    "border crossing": ("crossing",),
    "border point": ("crossing",),
    "border post": ("crossing",),
    "crossing point": ("crossing",),
    "border": ("crossing",),
    "محافظة": ("governorate",),
    "مدينة": ("city", "town"),
    "مخيم": ("camp",),
    "ريف": ("governorate", "region"),
}

_DOUBLE_RE = re.compile(r"(.)\1+")


@lru_cache(maxsize=200_000)
def _fold(text: str) -> str:
    text = _APOSTROPHE_RE.sub("", text)
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
        text = text.casefold().translate(_LETTERS)
    else:
        text = text.lower()
    return _NON_WORD_RE.sub(" ", text).strip()


def _strip_arabic_article(word: str) -> str:
    if word.startswith("ال") and len(word) > 3:
        return word[2:]
    return word


@lru_cache(maxsize=500_000)
def name_key(name: str) -> str:
    """The tier-1 lookup key of a place name.

    Parameters
    ----------
    name
        Any spelling of a place name, in Latin or Arabic script.

    Returns
    -------
    str
        The key: lower case, no diacritics or apostrophes, single spaces, the Arabic
        article dropped at the start and written ``al`` inside the name. ``""`` for a
        name with no letters or digits.

    Examples
    --------
    >>> name_key("Ḩimş")
    'hims'
    >>> name_key("Qal‘at al Maḑīq"), name_key("Qalaat el-Madiq")
    ('qalat al madiq', 'qalaat al madiq')
    >>> name_key("إدلب") == name_key("ادلب")
    True
    >>> name_key("Al")
    'al'
    >>> name_key("  ")
    ''
    """
    words = _fold(name).split()
    if not words:
        return ""
    if _ARABIC_LETTER_RE.search(words[0]):
        words = [_strip_arabic_article(w) for w in words]
    words = [("al" if w in ARTICLES else w) for w in words]
    # Articles glued to the next word by a hyphen came apart above; drop a leading one.
    while len(words) > 1 and words[0] == "al":
        words = words[1:]
    return " ".join(words)


@lru_cache(maxsize=500_000)
def skeleton_key(name: str) -> str:
    """The tier-2 key: a consonant-heavy skeleton that forgives transliteration.

    Parameters
    ----------
    name
        A place name (raw or already a :func:`name_key`).

    Returns
    -------
    str
        The skeleton, without spaces or articles. ``""`` when nothing is left.

    Examples
    --------
    >>> skeleton_key("Darayya") == skeleton_key("Daraya") == skeleton_key("Dārayyā")
    True
    >>> skeleton_key("Hamah") == skeleton_key("Hama")
    True
    >>> skeleton_key("Zebdani") == skeleton_key("Zabdani")
    True
    >>> skeleton_key("Kfar Nabl") == skeleton_key("Kafr Nabl") == skeleton_key("Kefr Nebl")
    True
    >>> skeleton_key("Homs") == skeleton_key("Hama")
    False
    """
    key = name_key(name)
    words = [w for w in key.split() if w != "al"] or key.split()
    if _ARABIC_LETTER_RE.search(" ".join(words)):
        return "".join(words)
    return _DOUBLE_RE.sub(r"\1", "".join(map(skeleton_word, words)))


@lru_cache(maxsize=1)
def _generic_keys() -> dict[str, tuple[str, ...]]:
    return {name_key(k): v for k, v in GENERIC_WORDS.items()}


@lru_cache(maxsize=1)
def _generic_first_words() -> frozenset[str]:
    return frozenset(k.split()[0] for k in _generic_keys() if k)


def split_generic(key: str) -> tuple[str, tuple[str, ...]]:
    """Separate generic words ("province", "camp", …) from a tier-1 key.

    Parameters
    ----------
    key
        A :func:`name_key`.

    Returns
    -------
    tuple
        The key without generic words (the whole key if nothing else would be left),
        and the kinds of place the generic words suggest, most likely first.

    Examples
    --------
    >>> split_generic(name_key("Idlib province"))
    ('idlib', ('governorate',))
    >>> split_generic(name_key("Yarmouk camp"))
    ('yarmouk', ('camp',))
    >>> split_generic("camp")
    ('camp', ())
    >>> split_generic(name_key("محافظة إدلب"))
    ('ادلب', ('governorate',))
    """
    generic = _generic_keys()
    words = key.split()
    if _generic_first_words().isdisjoint(words):
        return key, ()
    kinds: list[str] = []
    kept: list[str] = []
    i = 0
    while i < len(words):
        pair = " ".join(words[i : i + 2])
        if pair in generic:
            kinds.extend(generic[pair])
            i += 2
            continue
        if words[i] in generic:
            kinds.extend(generic[words[i]])
        else:
            kept.append(words[i])
        i += 1
    if kinds:
        # "Governorate of Idlib", "Idlib al-Muhafaza": connectives left at the edges go.
        while kept and kept[0] in ("al", "of", "the"):
            kept = kept[1:]
        while kept and kept[-1] in ("al", "of", "the"):
            kept = kept[:-1]
    if not kept:
        return key, ()
    return " ".join(kept), tuple(dict.fromkeys(kinds))
