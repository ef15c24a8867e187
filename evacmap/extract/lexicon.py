"""Word lists of the extraction rules, in one place so that each rule reads as a sentence."""

from __future__ import annotations

__all__ = ["words"]


def words(text: str) -> frozenset[str]:
    """The set of the whitespace-separated words of `text`.

    Examples
    --------
    >>> sorted(words("to  for\\ninto"))
    ['for', 'into', 'to']
    """
    return frozenset(text.split())
