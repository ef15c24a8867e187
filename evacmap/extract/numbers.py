"""Figures in text: digits with separators, number words, approximations, ranges, bounds.

:func:`find_numbers` returns every figure of a sentence with its character span and
what the words around it say about it: an exact figure, an approximation ("some 450"),
a lower bound ("more than 25,000"), an upper bound ("as many as 20,000") or a range
("between 10,000 and 15,000"). Vague quantities ("hundreds of") give only the lower
bound the word itself states — no figure is ever invented.

Examples
--------
>>> [(n.value, n.low, n.high, n.approx) for n in find_numbers("some 3,700 rebels")]
[(3700, None, None, True)]
>>> [(n.value, n.low, n.high) for n in find_numbers("between 10,000 and 15,000 people")]
[(None, 10000, 15000)]
>>> find_numbers("no figure here")
[]
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from evacmap.extract.lexicon import words

__all__ = ["NumberMention", "find_numbers", "parse_number_words"]

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_NUMBER_WORDS = {**_UNITS, **_TENS, **_SCALES, "dozen": 12, "a": 1, "an": 1, "and": 0}
#: Vague plurals and the lower bound each one states ("hundreds" is at least 200).
_VAGUE = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2_000, "millions": 2_000_000}

_WORD = r"\b(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion|dozen)\b"
_DIGITS = r"\d{1,3}(?:,\d{3})+(?!\d)|\d{1,3}(?:\.\d{3})+(?![\d.,]\d)|\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?!\d)|\d+(?:\.\d+)?"
_SCALE_AFTER = r"(?:\s+(?:hundred|thousand|million|billion)\b|\s?k\b)?"
_FRACTION = r"(?:a\s+quarter|a\s+third|half|three[\s-]quarters|two[\s-]thirds)\s+(?:of\s+)?(?:a|an|one)\s+(?:million|thousand|billion|hundred)\b"
_FRACTIONS = {"quarter": 0.25, "third": 1 / 3, "half": 0.5, "three quarters": 0.75, "two thirds": 2 / 3}
_FIGURE = (
    rf"(?:{_FRACTION}|(?:{_DIGITS}){_SCALE_AFTER}"
    rf"|(?:(?:a|an)\s+)?{_WORD}(?:(?:\s+|-|\s+and\s+){_WORD})*)"
)
_APPROX = r"(?:some|about|around|roughly|approximately|nearly|almost|close\s+to|an\s+estimated|estimated|circa|ca\.|~|approx\.)"
_LOWER = r"(?:more\s+than|over|at\s+least|upwards\s+of|in\s+excess\s+of|no\s+fewer\s+than|no\s+less\s+than|a\s+minimum\s+of)"
_UPPER = r"(?:as\s+many\s+as|up\s+to|no\s+more\s+than|fewer\s+than|less\s+than|under|at\s+most|a\s+maximum\s+of)"
_VAGUE_RE = r"(?:(?:several|many|tens\s+of|hundreds\s+of)\s+)?(?:dozens|scores|hundreds|thousands|millions)(?=\s+(?:of|more)\b)"

_NUMBER_RE = re.compile(
    rf"""
    (?:(?P<between>between)\s+(?P<a>{_FIGURE})\s+(?:and|to)\s+(?P<b>{_FIGURE})
      | (?:(?P<rapprox>{_APPROX})\s+)?(?P<r1>(?:{_DIGITS}){_SCALE_AFTER})\s*(?:-|–|—|to)\s*(?P<r2>(?:{_DIGITS}){_SCALE_AFTER})(?=\s+[a-z])
      | (?P<approx>{_APPROX})\s+(?P<av>{_FIGURE})
      | (?P<lower>{_LOWER})\s+(?P<lv>{_FIGURE})
      | (?P<upper>{_UPPER})\s+(?P<uv>{_FIGURE})
      | (?P<vague>{_VAGUE_RE})
      | (?P<plain>{_FIGURE})
    )""",
    re.IGNORECASE | re.VERBOSE,
)


_MONTH_AFTER_RE = re.compile(
    r"\s+(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\b\.?"
)
#: A month name right before a figure, capitalised as in a date ("on May 6", "Sept. 23").
_MONTH_BEFORE_RE = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?\s+$"
)
_DIGITS_FULL_RE = re.compile(rf"({_DIGITS})\s*(hundred|thousand|million|billion|k)?")
_GROUPED_RE = re.compile(r"\d{1,3}(?:,\d{3})+|\d{1,3}(?:\.\d{3})+|\d{1,3}(?: \d{3})+")
_SEPARATORS_RE = re.compile(r"[,. ]")
_SPLIT_RE = re.compile(r"[\s-]+")
_YEAR_RE = re.compile(r"(?:19|20)\d\d")
#: Words that may open a figure's expression ("as many as", "between", "some").
_OPENERS = words(
    "between some about around roughly approximately nearly almost close an estimated circa "
    "ca. approx. more over at upwards in no a as up fewer less under several many tens "
    "hundreds ~ least than many to of minimum maximum excess most half quarter third "
    "three-quarters two-thirds"
)


def _day_figure(m: re.Match[str]) -> bool:
    """Whether the figure matched is plain digits that can be a day of a month (1–31)."""
    raw = m.group("plain")
    return raw is not None and raw.isdigit() and 1 <= int(raw) <= 31


@dataclass(frozen=True, slots=True)
class NumberMention:
    """A figure in a sentence.

    Parameters
    ----------
    start, end
        Character span of the whole expression ("as many as 20,000") in the text given.
    value
        The figure when one is stated (also for approximations), else None.
    low, high
        Bounds stated by the words ("at least", "up to", "between").
    approx
        True for "some", "about", "nearly"... and vague quantities.
    text
        The words of the expression.
    """

    start: int
    end: int
    value: int | None
    low: int | None
    high: int | None
    approx: bool
    text: str


def parse_number_words(text: str) -> int | None:
    """The value of a figure in digits or words, or None when it is not one.

    Examples
    --------
    >>> parse_number_words("two thousand"), parse_number_words("3.700"), parse_number_words("1.5 million")
    (2000, 3700, 1500000)
    >>> parse_number_words("twenty-five thousand"), parse_number_words("a hundred"), parse_number_words("people")
    (25000, 100, None)
    >>> parse_number_words("a quarter of a million"), parse_number_words("half a million")
    (250000, 500000)
    """
    t = text.strip().lower().replace("\u00a0", " ").replace("\u202f", " ")
    if re.fullmatch(_FRACTION, t):
        # "a quarter of a million", "half a million", "two-thirds of a million"
        parts = _SPLIT_RE.split(t)
        name = " ".join(p for p in parts[:-2] if p not in ("a", "of"))
        return round(_FRACTIONS[name] * _SCALES[parts[-1]])
    m = _DIGITS_FULL_RE.fullmatch(t)
    if m:
        digits, scale = m.group(1), m.group(2)
        if _GROUPED_RE.fullmatch(digits):
            number = float(_SEPARATORS_RE.sub("", digits))
        else:
            number = float(digits)
        factor = 1_000 if scale == "k" else _SCALES.get(scale or "", 1)
        value = number * factor
        return round(value) if value == round(value) or scale else None
    words = [w for w in _SPLIT_RE.split(t) if w]
    if not words or any(w not in _NUMBER_WORDS for w in words):
        return None
    if all(w in ("a", "an", "and") for w in words):
        return None
    total, current = 0, 0
    for w in words:
        if w == "and":
            continue
        v = _NUMBER_WORDS[w]
        if w == "dozen":
            current = (current or 1) * 12
        elif v >= 1_000:
            total += (current or 1) * v
            current = 0
        elif v == 100:
            current = (current or 1) * 100
        else:
            current += v
    return total + current


def _vague_low(text: str) -> int:
    words = text.lower().split()
    low = _VAGUE[words[-1]]
    if words[0] == "tens":
        low *= 10
    elif words[0] == "hundreds" and len(words) > 1:
        low *= 100
    return low


#: Where a figure may be: a digit, a number word or a vague plural.
_TRIGGER_RE = re.compile(r"\d+|[A-Za-z]+")
#: Number words and vague plurals that may start a figure.
_TRIGGER_WORDS = words(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
    "eighty ninety hundred hundreds thousand thousands million millions billion dozen dozens "
    "scores"
)


def _starts(text: str) -> list[int]:
    """Positions where a figure's expression may start: each trigger and up to 3 words before it."""
    out: list[int] = []
    for m in _TRIGGER_RE.finditer(text):
        w = m.group()
        if not (w[0].isdigit() or w.lower() in _TRIGGER_WORDS):
            continue
        p = m.start()
        back = [p]
        q = p
        for _ in range(4):
            e = q
            while e > 0 and text[e - 1] == " ":
                e -= 1
            if e == q or e == 0:
                break
            s0 = text.rfind(" ", 0, e) + 1
            if text[s0:e].lower() not in _OPENERS:
                break
            q = s0
            back.append(q)
        out.extend(reversed(back))
    return out


def starts_from_tokens(raw: Sequence[str], lower: Sequence[str], offsets: Sequence[int]) -> list[int]:
    """:func:`find_numbers` start positions from tokens already cut (whole words, lower case).

    Parameters
    ----------
    raw, lower
        The tokens as written and in lower case.
    offsets
        The character offset of each token.

    Examples
    --------
    >>> raw = ["as", "many", "as", "20,000", "people"]
    >>> starts_from_tokens(raw, raw, [0, 3, 8, 11, 18])
    [0, 3, 8, 11]
    """
    out: list[int] = []
    for i, w in enumerate(raw):
        if not (w[0].isdigit() or lower[i] in _TRIGGER_WORDS):
            continue
        j = i
        while j > 0 and i - j < 4 and lower[j - 1] in _OPENERS:
            j -= 1
        out.extend(offsets[j : i + 1])
    return out


def find_numbers(text: str, starts: Sequence[int] | None = None) -> list[NumberMention]:
    """Every figure of `text`, left to right, with its span and bounds.

    Years (1900–2100 written as four plain digits), times and figures glued to letters
    are left out. `starts` (from :func:`starts_from_tokens`) saves the scan for
    where figures may begin.

    Examples
    --------
    >>> [(n.text, n.value, n.low) for n in find_numbers("more than 25,000 and hundreds of families")]
    [('more than 25,000', None, 25000), ('hundreds', None, 200)]
    >>> [n.value for n in find_numbers("In 2016, 300 families left")]
    [300]
    """
    out: list[NumberMention] = []
    done = 0
    for begin in _starts(text) if starts is None else starts:
        if begin < done:
            continue
        m = _NUMBER_RE.match(text, begin)
        if m is None or m.end() == m.start():
            continue
        s, e = m.span()
        done = e
        if s > 0 and (text[s - 1].isalnum() or text[s - 1] in "$€£#"):
            continue
        if e < len(text) and (text[e].isalpha() or text[e] in "%:"):
            continue
        if _MONTH_AFTER_RE.match(text, e) and all(
                v is None or v <= 31 for v in (parse_number_words(x) for x in re.findall(r"\d+", m.group()))):
            continue  # "between 1 and 12 February", "on 8 November": a date, not a figure
        if _day_figure(m) and _MONTH_BEFORE_RE.search(text, max(0, s - 11), s):
            continue  # "on May 6", "since Oct. 7": the day of a date
        g = m.groupdict()
        value = low = high = None
        approx = False
        if g["between"]:
            low, high = parse_number_words(g["a"]), parse_number_words(g["b"])
        elif g["approx"]:
            value, approx = parse_number_words(g["av"]), True
        elif g["lower"]:
            low = parse_number_words(g["lv"])
        elif g["upper"]:
            high = parse_number_words(g["uv"])
        elif g["vague"]:
            low, approx = _vague_low(g["vague"]), True
        elif g["r1"]:
            low, high = parse_number_words(g["r1"]), parse_number_words(g["r2"])
            if low is not None and high is not None:
                low = _with_shared_scale(g["r1"], g["r2"], low, high)  # "5 to 7 thousand"
            if low is None or high is None or low >= high:
                low = high = None
                value = parse_number_words(g["r1"])
                e = m.start("r1") + len(g["r1"])
            approx = bool(g["rapprox"])
        else:
            raw = g["plain"]
            if _YEAR_RE.fullmatch(raw):
                continue
            if raw.lower() in ("one", "a", "an"):
                continue
            value = parse_number_words(raw)
        if value is None and low is None and high is None:
            continue
        if low is not None and high is not None and low > high:
            low, high = high, low
        out.append(NumberMention(s, e, value, low, high, approx, text[s:e]))
    return _shared_scales(text, out)


_RANGE_GAP_RE = re.compile(r"\s*(?:-|–|—|to|or)\s*")
_SCALE_END_RE = re.compile(r"(?:hundred|thousand|million|billion)$", re.IGNORECASE)


def _with_shared_scale(first: str, second: str, low: int, high: int) -> int:
    """The range's lower end, given the scale its upper end states alone ("5 to 7 thousand": 5,000)."""
    scale = _SCALE_END_RE.search(second)
    if scale is None or _SCALE_END_RE.search(first):
        return low
    scaled = low * _SCALES[scale.group(0).lower()]
    return scaled if scaled < high else low


def _shared_scales(text: str, found: list[NumberMention]) -> list[NumberMention]:
    """Ranges of number words whose scale is written once: "eight to ten thousand".

    The pattern reads them as two figures (8 and 10,000); the scale of the second applies
    to the first when the first is a bare number: one range of 8,000–10,000.
    """
    out: list[NumberMention] = []
    for n in found:
        prev = out[-1] if out else None
        if (prev is not None and n.value is not None and prev.value is not None and prev.low is None
                and prev.high is None and _RANGE_GAP_RE.fullmatch(text[prev.end : n.start])):
            low = _with_shared_scale(prev.text, n.text, prev.value, n.value)
            if low != prev.value:
                out[-1] = NumberMention(prev.start, n.end, None, low, n.value, prev.approx, text[prev.start : n.end])
                continue
        out.append(n)
    return out
