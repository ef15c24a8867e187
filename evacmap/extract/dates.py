"""Days and stages in a sentence: "on Saturday" against the article date, "the fifth batch".

Examples
--------
>>> import datetime as dt
>>> find_date("a correspondent reported Saturday.", dt.date(2017, 5, 21))[0]
datetime.date(2017, 5, 20)
>>> find_stage("as part of the final stage of the withdrawal")[0]
'final'
>>> find_date("on Saturday", None)
(None, None)
"""

from __future__ import annotations

import datetime as dt
import re

__all__ = ["find_date", "find_stage"]

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
         ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
         ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")]
    )
    for m in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE_RES = (
    re.compile(rf"\b(?P<day>\d{{1,2}})\s+{_MONTH}(?:\s+(?P<year>(?:19|20)\d\d))?\b", re.I),
    re.compile(rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>(?:19|20)\d\d))?\b", re.I),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mnum>\d\d)-(?P<day>\d\d)\b"),
)
_WEEKDAY_RE = re.compile(r"\b(?:on\s+|last\s+)?(" + "|".join(_WEEKDAYS) + r")\b", re.I)
_RELATIVE_RE = re.compile(r"\b(yesterday|today|overnight|this morning|tonight)\b", re.I)

_ORDINALS = {
    "first": "1", "second": "2", "third": "3", "fourth": "4", "fifth": "5", "sixth": "6",
    "seventh": "7", "eighth": "8", "ninth": "9", "tenth": "10", "eleventh": "11",
    "twelfth": "12", "final": "final", "last": "final",
}
_STAGE_RE = re.compile(
    r"\b(?:the\s+)?(?P<ord>first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|"
    r"eleventh|twelfth|final|last|\d{1,2}(?:st|nd|rd|th))\s+(?:and\s+final\s+)?"
    r"(?:stage|phase|batch|convoy|round|group|wave|leg)s?\b",
    re.I,
)


def find_date(
    sentence: str, article_date: dt.date | None
) -> tuple[dt.date | None, tuple[int, int] | None]:
    """The day a sentence names, and the span of the words, or ``(None, None)``.

    Weekdays and "yesterday" need the article date (the latest such day on or before
    it); a day and month without a year take the article's year. Nothing is guessed
    without an anchor.

    Examples
    --------
    >>> find_date("on 18 May", dt.date(2017, 5, 20))[0]
    datetime.date(2017, 5, 18)
    >>> find_date("On May 3, 2018, buses left", None)[0]
    datetime.date(2018, 5, 3)
    """
    for rx in _DATE_RES:
        m = rx.search(sentence)
        if not m:
            continue
        g = m.groupdict()
        month = int(g["mnum"]) if g.get("mnum") else _MONTHS[g["month"].lower()]
        year = int(g["year"]) if g.get("year") else (article_date.year if article_date else None)
        if year is None:
            return None, None
        try:
            day = dt.date(year, month, int(g["day"]))
        except ValueError:
            continue
        if not g.get("year") and article_date is not None and day > article_date:
            day = day.replace(year=year - 1)
        return day, m.span()
    if article_date is None:
        return None, None
    m = _WEEKDAY_RE.search(sentence)
    if m:
        wanted = _WEEKDAYS.index(m.group(1).lower())
        back = (article_date.weekday() - wanted) % 7
        return article_date - dt.timedelta(days=back), m.span()
    m = _RELATIVE_RE.search(sentence)
    if m:
        back = 1 if m.group(1).lower() == "yesterday" else 0
        return article_date - dt.timedelta(days=back), m.span()
    return None, None


def find_stage(sentence: str) -> tuple[str | None, tuple[int, int] | None]:
    """The stage of an operation a sentence names ("5", "final"), and its span.

    Examples
    --------
    >>> find_stage("the fifth batch of evacuees")
    ('5', (0, 15))
    >>> find_stage("the 3rd convoy")[0], find_stage("no stage here")
    ('3', (None, None))
    """
    m = _STAGE_RE.search(sentence)
    if not m:
        return None, None
    word = m.group("ord").lower()
    stage = _ORDINALS.get(word) or re.sub(r"\D", "", word)
    if "final" in m.group(0).lower():
        stage = "final"
    return stage, m.span()
