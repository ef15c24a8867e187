"""Sentence boundaries with character spans: pysbd where it is needed, a regex where not.

pysbd (rule-based, offline) knows abbreviations, initials, quotations and decimal
figures, but costs about 1.5 ms per thousand characters. Most paragraphs of a wire
report hold nothing it would decide differently from a plain rule ("a full stop, a
question or exclamation mark, then a space and a capital letter"), so a paragraph goes
to pysbd only when it contains something that rule could get wrong: a full stop after
an abbreviation-like word (``Mr.``, ``U.S.``, ``St.``), a single capital letter, an
ellipsis, or a quotation with a stop inside.

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

__all__ = ["split_sentences"]

#: A list item's line: it ends its sentence.
_ITEM_LINE_RE = re.compile(r"^[ \t]*(?:[•·▪‣◦*–—-]|\(?(?:\d{1,2}|[a-z])[.)])\s[^\n]*\n", re.MULTILINE)
#: Lines of a paragraph all shorter than this (but its last) are each a sentence.
_SHORT_LINE = 50
_PARAGRAPH_RE = re.compile(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*")
#: Where the plain rule may be wrong: a stop after a short or capitalised abbreviation,
#: a lone capital, a stop followed by a lower-case word or a digit, an ellipsis, quotes.
_HARD_RE = re.compile(
    r"(?:\b(?:[A-Z][a-z]{0,3}|[A-Z](?:\.[A-Z])+|[a-z]{1,3}|No|Gen|Col|Lt|Sgt|Capt|Maj|approx)\.\s"
    r"|\.\.\.|…|[.!?][\"'”’)]|\.\s+[a-z0-9]|\b[A-Z]\.)"
)
_SIMPLE_SPLIT_RE = re.compile(r"(?<=[.!?])\s+(?=[\"'“‘(]?[A-Z0-9])")
#: A line break that ends a block even inside a paragraph: before a list item (a bullet,
#: a dash, "1." or "a)"), or after a heading (a line in capitals, or ending with ":").
_LINE_BREAK_RE = re.compile(
    r"\n(?=[ \t]*(?:[•·▪‣◦*–—-]|\(?(?:\d{1,2}|[a-z])[.)])\s)"
    r"|(?<=:)[ \t]*\n"
    r"|(?<=\n)(?=[^\n]*\n)(?:[ \t]*[A-Z0-9][A-Z0-9 ,&/'’()-]{2,80}[ \t]*)\n"
    r"|^(?:[ \t]*[A-Z0-9][A-Z0-9 ,&/'’()-]{2,80}[ \t]*)\n"
)


@lru_cache(maxsize=1)
def _segmenter() -> Any:
    import pysbd

    return pysbd.Segmenter(language="en", clean=False, char_span=True)


def _pysbd_spans(text: str, offset: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    pos = 0
    for seg in _segmenter().segment(text):
        # pysbd's spans may drift on repeated sentences; find each sentence anew.
        sent = seg.sent.strip()
        if not sent:
            continue
        at = text.find(sent, pos)
        if at < 0:
            at = pos
        spans.append((offset + at, offset + at + len(sent)))
        pos = at + len(sent)
    return spans


def _simple_spans(text: str, offset: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _SIMPLE_SPLIT_RE.finditer(text):
        spans.append((offset + start, offset + m.start()))
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
                           *(m.end() for m in _ITEM_LINE_RE.finditer(whole))})
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
