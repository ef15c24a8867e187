"""Cheap checks that a text may be a place name, made before any lookup."""

from __future__ import annotations

import re

__all__ = ["MAX_NAME_CHARS", "implausible", "short"]

#: Longer input is refused before any work (no place name is this long).
MAX_NAME_CHARS = 200
_NULL_WORDS = frozenset(
    {
        "n/a", "n.a.", "n.a", "n/d", "none", "null", "nil", "nan", "unknown", "unk", "tbd",
        "tba", "tbc", "undefined", "missing", "various", "multiple", "-", "--", "?", "??",
        "not known", "not available", "unspecified",
    }
)
_REPEAT_RE = re.compile(r"(\w)\1{3,}")
#: "HHs", "IDPs", "NFIs": capitals then a plural "s" (GeoNames holds "HHS" as a name of Zhongshan).
_PLURAL_ACRONYM_RE = re.compile(r"[A-Z]{2,5}s")


def short(text: str, limit: int = 60) -> str:
    """`text`, cut to `limit` characters (with an ellipsis) for messages."""
    return text if len(text) <= limit else text[:limit] + "…"


def implausible(name: str) -> str:
    """Why a text cannot be a place name, or ``""`` when it may be one.

    Cheap checks made before any lookup, so that junk is reported as such instead of
    being matched to some place with a similar skeleton: too long, no letters, fewer
    letters than digits, one letter repeated four times or more, or a long text made of
    one or two letters.

    Examples
    --------
    >>> implausible("Deir ez-Zor"), implausible("Camp 3"), implausible("حمص")
    ('', '', '')
    >>> implausible("aaaaaaaaaaaaaaaaaaaa")
    "the letter 'a' repeated 20 times"
    >>> implausible("-2+3"), implausible("x" * 100_000)
    ('no more than one letter', 'longer than 200 characters (100,000)')
    >>> implausible("HHs")
    "'HHs' is an abbreviation in the plural, not a place name"
    """
    if len(name) > MAX_NAME_CHARS:
        return f"longer than {MAX_NAME_CHARS} characters ({len(name):,})"
    if name.strip().casefold() in _NULL_WORDS:
        return f"{name.strip()!r} stands for a missing value"
    letters = [c for c in name if c.isalpha()]
    if len(letters) < 2:
        return "no more than one letter"
    digits = sum(c.isdigit() for c in name)
    if digits > len(letters):
        return "more digits than letters"
    folded = name.casefold()
    m = _REPEAT_RE.search(folded)
    if m:
        return f"the letter {m.group(1)!r} repeated {len(m.group(0))} times"
    if len(letters) >= 6 and len({c.casefold() for c in letters}) <= 2:
        return "a long text of one or two letters"
    if _PLURAL_ACRONYM_RE.fullmatch(name.strip()):
        return f"{name.strip()!r} is an abbreviation in the plural, not a place name"
    return ""
