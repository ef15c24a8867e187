"""Sentence boundaries with character spans: a rule that knows abbreviations, pysbd for the rest.

A sentence ends at a full stop, question or exclamation mark (and any closing quote or
bracket) followed by a space and a capital letter or digit, unless the word before the
stop is an abbreviation (``Mr.``, ``Gen.``, ``Dec.``, ``No.``, ``a.m.``), an initial
(``J.``) or a dotted acronym (``U.N.``). A line break followed by a blank line always
ends a sentence; so does one before a list item or after a heading, and one between two
lines that each start with a figure (a list of key figures). pysbd (rule-based,
offline; about 1.5 ms per thousand characters) is asked only about paragraphs with an
ellipsis, which the rule cannot read.

Examples
--------
>>> text = "450 people left. They headed for Idlib.\\n\\nMr. Barazi said 1,150 stayed."
>>> [text[a:b] for a, b in split_sentences(text)]
['450 people left.', 'They headed for Idlib.', 'Mr. Barazi said 1,150 stayed.']
>>> split_sentences("")
[]
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache
from typing import Any

from evacmap.extract.lexicon import words
from evacmap.extract.lists import APPROX, is_item

__all__ = ["split_sentences"]

#: A list item's line: it ends its sentence.
#: A whole line with its break; one of ``place: figure`` pairs ("Mueda: 6,401") is a sentence.
_LINE_RE = re.compile(r"^[^\n]+\n", re.MULTILINE)
_ITEM_LINE_RE = re.compile(r"^[ \t]*(?:[•·▪‣◦*–—-]|\(?(?:\d{1,2}|[a-z])[.)])\s[^\n]*\n", re.MULTILINE)
#: Lines of a paragraph all shorter than this (but its last) are each a sentence.
_SHORT_LINE = 50
_PARAGRAPH_RE = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*")
#: A line that starts with a figure, followed by another such line: a list of key figures
#: ("35,129 new arrivals received in Kisoro …" / "910 individuals relocated …"), one per line.
_FIGURE_LEAD = rf"[ \t]*(?:[~≈<>]|(?i:{APPROX})\s+)?\d[\d,.]*[%+]?\s"
#: ("~100,000 refugees …", "13+ locations …", "Over 1,000 families …" start such lines too).
_FIGURE_LINE_RE = re.compile(rf"^{_FIGURE_LEAD}[^\n]*\n(?={_FIGURE_LEAD})", re.MULTILINE)
#: Where the plain rule may be wrong: a stop after a short or capitalised abbreviation,
#: a lone capital, a stop followed by a lower-case word or a digit, an ellipsis, quotes.
_HARD_RE = re.compile(r"\.\.\.|…")
#: A candidate end: the mark, closing quotes or brackets, space, then a capital or a digit.
_END_RE = re.compile(r"[.!?][\"'”’)\]]*(\s+)(?=[\"'“‘(\[]?[A-Z0-9])")
#: Words that end with a full stop without ending the sentence.
_ABBREVIATIONS = words(
    """Mr Mrs Ms Dr Prof Gen Lt Col Maj Capt Sgt Cpl Adm Brig Sen Rep Gov Pres Rev Hon St Ste Mt Ft
    No Nos Vol Art Fig Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Inc Ltd Co Corp Jr Sr
    vs etc approx est al am pm Bros Dept Univ Govt Est"""
)
_WORD_BEFORE_RE = re.compile(r"([\w.]+)[.!?][\"'”’)\]]*$")
#: A line break that ends a block even inside a paragraph: before a list item (a bullet,
#: a dash, "1." or "a)"), or after a heading (a line in capitals, or ending with ":").
_LINE_BREAK_RE = re.compile(
    r"\n(?=[ \t]*(?:[•·▪‣◦*–—-]|\(?(?:\d{1,2}|[a-z])[.)])\s)"
    r"|(?<=:)[ \t]*\n"
    r"|^[ \t]*[A-Z0-9][A-Z0-9 ,&/'’()-]{2,80}[ \t]*\n",
    re.MULTILINE,
)


@lru_cache(maxsize=1)
def _segmenter() -> Any:
    import pysbd

    # Without its own character spans (a third of its time): each sentence is found anew below.
    return pysbd.Segmenter(language="en", clean=False, char_span=False)


def _pysbd_spans(text: str, offset: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    for seg in _segmenter().segment(text):
        sent = str(seg).strip()
        if not sent:
            continue
        at = text.find(sent, pos)
        if at < 0:
            at = pos
        spans.append((offset + at, offset + at + len(sent)))
        pos = at + len(sent)
    return spans


def _abbreviation(text: str, stop: int) -> bool:
    """Whether the stop at `stop` ends an abbreviation, an initial or a dotted acronym."""
    if text[stop] != ".":
        return False
    m = _WORD_BEFORE_RE.search(text, max(0, stop - 12), stop + 1)
    if m is None:
        return False
    word = m.group(1).rstrip(".")
    last = word.rsplit(".", 1)[-1]
    return (last in _ABBREVIATIONS or word.replace(".", "") in ("am", "pm", "ie", "eg")
            or (len(last) == 1 and last.isupper()) or ("." in word and all(len(p) <= 2 for p in word.split("."))))


def _simple_spans(text: str, offset: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _END_RE.finditer(text):
        if _abbreviation(text, m.start()):
            continue
        spans.append((offset + start, offset + m.start(1)))
        start = m.end()
    spans.append((offset + start, offset + len(text)))
    return spans


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of the sentences of `text`, in order.

    A line break followed by a blank line always ends a sentence (headlines, bylines);
    whitespace around sentences is left out of the spans.

    Parameters
    ----------
    text
        The article.

    Returns
    -------
    list of tuple
        Spans, so that ``text[start:end]`` is each sentence.

    Examples
    --------
    >>> t = "Some 5,000 people left Harasta on Sunday, the U.N. said. More left Douma."
    >>> [t[a:b] for a, b in split_sentences(t)]
    ['Some 5,000 people left Harasta on Sunday, the U.N. said.', 'More left Douma.']
    """
    spans: list[tuple[int, int]] = []
    for para in _PARAGRAPH_RE.finditer(text):
        whole = para.group()
        if "\n" not in whole:
            cuts = [0, len(whole)]
        elif max(len(line) for line in whole.split("\n")[:-1]) < _SHORT_LINE:
            # short lines are not wrapped prose: "KEY FIGURES / 18,787 people have left Rukban"
            cuts = [0, *(m.end() for m in re.finditer("\n", whole)), len(whole)]
        else:
            cuts = sorted({0, len(whole), *(m.end() for m in _LINE_BREAK_RE.finditer(whole)),
                           *(m.end() for m in _ITEM_LINE_RE.finditer(whole)),
                           *(m.end() for m in _LINE_RE.finditer(whole) if is_item(m.group())),
                           *(m.end() for m in _FIGURE_LINE_RE.finditer(whole))})
        for lo, hi in itertools.pairwise(cuts):
            chunk = whole[lo:hi]
            lead = len(chunk) - len(chunk.lstrip())
            chunk = chunk.strip()
            if not chunk:
                continue
            offset = para.start() + lo + lead
            if _HARD_RE.search(chunk):
                # pysbd ends a sentence at every line break; here a lone one is wrapped prose
                spans.extend(_pysbd_spans(chunk.replace("\n", " "), offset))
            else:
                spans.extend(_simple_spans(chunk, offset))
    return [(a, b) for a, b in spans if b > a]
