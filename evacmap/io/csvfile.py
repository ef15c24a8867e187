"""CSV output that is safe to open in a spreadsheet, written atomically.

A cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is run
as a formula by Excel, LibreOffice and Google Sheets (``=HYPERLINK(...)`` can send the
sheet's contents away). Following the OWASP rule, :func:`defuse_cell` puts a single
quote in front of such a cell — unless the cell is a plain number such as ``-3.5``,
which a spreadsheet reads as the number it is. Every CSV that evacmap writes goes
through :func:`write_csv`.

Examples
--------
>>> [defuse_cell(v) for v in ("=1+1", "+cmd|' /C calc'!A0", "@SUM(1+1)", "-12.5", "Homs")]
["'=1+1", "'+cmd|' /C calc'!A0", "'@SUM(1+1)", '-12.5', 'Homs']
"""

from __future__ import annotations

import csv
import io
import os
import re
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from evacmap._atomic import write_text_atomic

__all__ = ["defuse_cell", "restore_cells", "to_csv_text", "write_csv"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def defuse_cell(value: Any) -> str:
    """The text of a cell, with a ``'`` in front when a spreadsheet would run it.

    Parameters
    ----------
    value
        Any value; None becomes an empty cell, numbers their usual text.

    Returns
    -------
    str
        The cell's text, defused.

    Examples
    --------
    >>> defuse_cell(None), defuse_cell(-3), defuse_cell("\\tx"), defuse_cell("-2+3")
    ('', '-3', "'\\tx", "'-2+3")
    """
    if value is None:
        return ""
    text = str(value)
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def restore_cells(frame: Any) -> Any:
    """A frame of text cells with evacmap's defusing quote taken off again.

    Used when reading evacmap's own CSV back, so a round trip is exact.

    Examples
    --------
    >>> import pandas as pd
    >>> restore_cells(pd.DataFrame({"a": ["'=1+1", "'plain", "x"]}))["a"].tolist()
    ['=1+1', "'plain", 'x']
    """
    return frame.apply(lambda col: col.str.replace(r"^'(?=[=+\-@\t\r])", "", regex=True))


def to_csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A CSV document (RFC 4180, ``\\r\\n`` line ends) with every cell defused.

    Examples
    --------
    >>> to_csv_text(["name", "n"], [["=A1", 3]])
    "name,n\\r\\n'=A1,3\\r\\n"
    """
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow([defuse_cell(h) for h in header])
    for row in rows:
        writer.writerow([defuse_cell(v) for v in row])
    return buf.getvalue()


def write_csv(
    path: str | os.PathLike[str],
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
) -> Path | None:
    """Write a defused CSV (UTF-8) atomically; ``"-"`` writes to standard output.

    Parameters
    ----------
    path
        The file, or ``"-"``.
    header
        Column names.
    rows
        The rows, each as long as `header`.

    Returns
    -------
    pathlib.Path or None
        The file written (None for standard output).

    Examples
    --------
    >>> import pathlib, tempfile
    >>> out = write_csv(pathlib.Path(tempfile.mkdtemp()) / "x.csv", ["a"], [["@x"]])
    >>> out.read_text()
    "a\\n'@x\\n"
    """
    text = to_csv_text(header, rows)
    if str(path) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return None
    return write_text_atomic(path, text)
