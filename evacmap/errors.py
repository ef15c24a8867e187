"""The evacmap exception and warning hierarchy.

Every error evacmap raises on purpose derives from :class:`EvacmapError` and says
what was wrong, where (a :class:`SourceLocation`) and how to fix it (a hint).

Examples
--------
>>> err = InputError("count '12k' is not a whole number", location=SourceLocation("flows.csv", 14, 3),
...                  hint="write 12000")
>>> str(err)
"flows.csv:14:3: count '12k' is not a whole number. Hint: write 12000."
>>> isinstance(err, ValueError)
True
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    from evacmap.model import Candidate

__all__ = [
    "AmbiguousPlaceError",
    "CRSError",
    "EvacmapError",
    "EvacmapWarning",
    "ExportError",
    "FlowGraphError",
    "FlowTableError",
    "GazetteerError",
    "GeoJSONError",
    "InputError",
    "MissingCRSWarning",
    "PlaceNotFoundError",
    "Problem",
    "RenderError",
    "SourceLocation",
    "TableError",
    "UnresolvedPlaceWarning",
    "linecol",
    "source_label",
]

#: How many problems a collected error lists before it summarises the rest.
MAX_LISTED_PROBLEMS = 20


@dataclass(frozen=True, slots=True)
class SourceLocation:
    """Where in an input something was found.

    Parameters
    ----------
    source
        A file path, ``"<stdin>"`` or ``"<text>"``.
    line
        1-based physical line number, if known.
    column
        1-based column: the character for text, the field number for a table.

    Examples
    --------
    >>> str(SourceLocation("flows.csv", 3, 2))
    'flows.csv:3:2'
    >>> str(SourceLocation("<text>"))
    '<text>'
    """

    source: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        parts = [self.source]
        if self.line is not None:
            parts.append(str(self.line))
            if self.column is not None:
                parts.append(str(self.column))
        return ":".join(parts)


def source_label(path: str | os.PathLike[str]) -> str:
    """How a file is named in messages and in the evidence of what evacmap writes.

    The path as the user gave it when it is relative; only the file's name when it
    is absolute, so that files people share never carry the folders of the machine
    they were made on.

    Examples
    --------
    >>> source_label("data/flows.csv"), source_label("/home/ana/Private/flows.csv")
    ('data/flows.csv', 'flows.csv')
    """
    p = Path(path)
    return p.name if p.is_absolute() else str(p)


def linecol(text: str, offset: int) -> tuple[int, int]:
    """Turn a character offset in `text` into a 1-based (line, column) pair.

    Parameters
    ----------
    text
        The whole text.
    offset
        0-based character offset into `text`.

    Returns
    -------
    tuple of int
        The 1-based line and column of the character at `offset`.

    Examples
    --------
    >>> linecol("ab\\ncd", 3)
    (2, 1)
    >>> linecol("", 0)
    (1, 1)
    """
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _format(message: str, location: SourceLocation | None, hint: str | None) -> str:
    text = message.rstrip(".")
    if location is not None:
        text = f"{location}: {text}"
    text += "."
    if hint:
        text += f" Hint: {hint.rstrip('.')}."
    return text


class EvacmapError(Exception):
    """Base class of every error evacmap raises on purpose.

    Parameters
    ----------
    message
        What was wrong.
    location
        Where it was wrong, if it came from an input.
    hint
        How to fix it.
    """

    def __init__(
        self,
        message: str,
        *,
        location: SourceLocation | None = None,
        hint: str | None = None,
    ) -> None:
        self.message = message
        self.location = location
        self.hint = hint
        super().__init__(_format(message, location, hint))


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one place in an input, as collected by a reader.

    Examples
    --------
    >>> str(Problem("`count` is negative: -3", SourceLocation("f.csv", 2, 3), "counts are >= 0"))
    'f.csv:2:3: `count` is negative: -3. Hint: counts are >= 0.'
    """

    message: str
    location: SourceLocation | None = None
    hint: str | None = None

    def __str__(self) -> str:
        return _format(self.message, self.location, self.hint)


class InputError(EvacmapError, ValueError):
    """An input (file, table, text or argument) is not what evacmap can read."""


class _CollectedError(InputError):
    """An input error made of several problems, all listed in the message."""

    what = "input"

    def __init__(self, problems: Sequence[Problem], *, source: str | None = None) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        shown = [str(p) for p in self.problems[:MAX_LISTED_PROBLEMS]]
        extra = len(self.problems) - len(shown)
        where = f" in {source}" if source else ""
        head = f"{len(self.problems)} problem(s) found{where}"
        lines = [head, *(f"  {s}" for s in shown)]
        if extra:
            lines.append(f"  ... and {extra} more")
        EvacmapError.__init__(self, "\n".join(lines))
        # The message already ends each line with its own full stop and hint.
        self.args = ("\n".join(lines),)

    def __str__(self) -> str:
        return str(self.args[0])


class TableError(_CollectedError):
    """A table has rows or cells evacmap cannot read; :attr:`problems` lists each one."""


class FlowTableError(TableError):
    """A flow table has one or more bad rows; :attr:`problems` lists each one."""


class GeoJSONError(_CollectedError):
    """A GeoJSON input is not a FeatureCollection evacmap can read."""


class GazetteerError(EvacmapError, LookupError):
    """A place name could not be turned into exactly one place."""


class PlaceNotFoundError(GazetteerError):
    """No place matches a name; :attr:`suggestions` holds close names.

    Examples
    --------
    >>> str(PlaceNotFoundError("Hmos", ["Homs", "Hama"]))
    "no place called 'Hmos' in the gazetteer. Hint: did you mean 'Homs' or 'Hama'? Otherwise add the place to a CSV and load it with Gazetteer.with_places."
    """

    def __init__(
        self,
        query: str,
        suggestions: Sequence[str] = (),
        *,
        country: str | None = None,
        location: SourceLocation | None = None,
        what: str = "place called",
        hint: str | None = None,
    ) -> None:
        self.query = query
        self.suggestions = tuple(suggestions)
        self.country = country
        scope = f" in country {country!r}" if country else ""
        if hint is None and self.suggestions:
            quoted = [repr(s) for s in self.suggestions]
            options = ", ".join(quoted[:-1]) + " or " + quoted[-1] if len(quoted) > 1 else quoted[0]
            hint = (
                f"did you mean {options}? Otherwise add the place to a CSV and load it with "
                "Gazetteer.with_places"
            )
        elif hint is None:
            hint = (
                "check the spelling, drop the country hint, or add the place to a CSV "
                "and load it with Gazetteer.with_places"
            )
        super().__init__(
            f"no {what} {query!r}{scope} in the gazetteer", location=location, hint=hint
        )


class AmbiguousPlaceError(GazetteerError):
    """Several places match a name and nothing tells them apart.

    :attr:`candidates` holds them, best first. evacmap never guesses between them.
    """

    def __init__(
        self,
        query: str,
        candidates: Sequence[Candidate],
        *,
        location: SourceLocation | None = None,
    ) -> None:
        self.query = query
        self.candidates = tuple(candidates)
        listed = "; ".join(c.place.label for c in self.candidates[:5])
        super().__init__(
            f"{query!r} is ambiguous: {listed}",
            location=location,
            hint="add a country (--country SY or 'Name, Country') or name the place more fully",
        )


class FlowGraphError(EvacmapError, ValueError):
    """Movements cannot be combined into a flow graph as asked."""


class CRSError(EvacmapError, ValueError):
    """Coordinates are in a reference system evacmap cannot use."""


class RenderError(EvacmapError):
    """A map could not be drawn."""


class ExportError(EvacmapError, OSError):
    """A result could not be written."""


class EvacmapWarning(UserWarning):
    """Base class of evacmap's warnings: something the caller should look at."""


class UnresolvedPlaceWarning(EvacmapWarning):
    """A place name was left unresolved."""


class MissingCRSWarning(EvacmapWarning):
    """An input had no coordinate reference system; WGS 84 was assumed."""
