"""The one raw-table reader of evacmap: CSV text and spreadsheets into header, cells and lines.

Every table evacmap reads — flow tables, place lists, batch geocoding input — comes
through :func:`read_table`, which knows nothing of flows or places. It returns each
cell as text exactly as written (a spreadsheet's numbers and dates as their usual
text, a formula as its cached value, never evaluated), the physical line (CSV) or
sheet row of every row, and a list of what is wrong with the file's structure, each
with its location and a fix:

* CSV: UTF-8 with or without BOM, UTF-16 (with a BOM, or detected), any other
  encoding when named; bytes that are not UTF-8 are an error that names the line
  and the encoding to pass (``--encoding cp1256``). The delimiter (``,``, ``;``,
  tab, ``|``) is read off the header line. Quoted cells may hold newlines, U+2028 or
  anything else; a quote that is never closed is reported at the line where it
  opened, and the lines after it are read as rows again rather than swallowed.
* Excel ``.xlsx``/``.xlsm``/``.xls`` and OpenDocument ``.ods`` through
  python-calamine, one sheet at a time (``sheet=`` by name or 1-based number).
* An HXL hashtag row (``#adm1+name``, ``#affected+idps``…) right under the header is
  returned apart in :attr:`RawTable.hashtags`.

Large CSV files are parsed by pyarrow's multithreaded reader; the line of each row is
found by a vectorised scan of the bytes (a line break ends a row when an even number
of quotes precede it), so a million rows never loop in Python. Files with rows of the
wrong length fall back to Python's csv module, which reports each such row exactly.

Examples
--------
>>> t = parse_csv_text("origin;count\\nHoms;450\\n\\n\\"al-\\nWaer\\";12\\n", source="f.csv")
>>> t.columns, t.frame["origin"].tolist(), t.lines.tolist()
(['origin', 'count'], ['Homs', 'al-\\nWaer'], [2, 4])
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import logging
import os
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from evacmap.errors import InputError, Problem, SourceLocation, source_label

__all__ = ["SPREADSHEET_SUFFIXES", "RawTable", "decode_bytes", "parse_csv_text", "read_table"]

logger = logging.getLogger(__name__)

#: Extensions read as spreadsheets (everything else is read as delimited text).
SPREADSHEET_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"})
#: The largest cell accepted, in characters (a whole book in one cell is a broken file).
MAX_CELL_CHARS = 10_000_000
_DELIMITERS = (",", ";", "\t", "|")


@dataclass
class RawTable:
    """A table as read: header, every cell as text, and where each row came from.

    Attributes
    ----------
    source
        How the file is named in messages (see :func:`evacmap.errors.source_label`),
        with ``[sheet]`` for a spreadsheet.
    columns
        Header names, stripped, in file order. A name used twice is kept once, the
        second copy renamed ``name (column 5)``, and reported in :attr:`problems`.
    frame
        One text column per header name; ``""`` for an empty or missing cell.
    lines
        The physical line (CSV) or sheet row where each row starts.
    hashtags
        The HXL hashtag row under the header, or None.
    problems
        What is wrong with the file's structure, by location.
    encoding
        The encoding the text was read in (``"spreadsheet"`` for a sheet).
    """

    source: str
    columns: list[str]
    frame: pd.DataFrame
    lines: npt.NDArray[np.int64]
    hashtags: list[str] | None = None
    problems: list[Problem] = field(default_factory=list)
    encoding: str = "utf-8"

    def location(self, row: int, column: str | None = None) -> SourceLocation:
        """The location of row number `row` (0-based) and, optionally, a column."""
        col = self.columns.index(column) + 1 if column in self.columns else None
        return SourceLocation(self.source, int(self.lines[row]), col)


# -- decoding -------------------------------------------------------------------------
def _guess_encoding(data: bytes) -> str:
    """A guess at an 8-bit encoding, to name in the error message (never used silently)."""
    for name in ("cp1256", "cp1254", "cp1252"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        letters = sum(ch.isalpha() for ch in text if ord(ch) > 127)
        arabic = sum("\u0600" <= ch <= "\u06ff" for ch in text)
        if name == "cp1256" and arabic > letters / 2 and arabic:
            return name
        if name == "cp1254" and any(ch in "ğĞışŞİ" for ch in text):
            return name
        if name == "cp1252":
            return name
    return "latin-1"


def decode_bytes(data: bytes, *, source: str, encoding: str | None = None) -> tuple[str, str]:
    """The text of a file's bytes, and the encoding used.

    Without `encoding`, a byte-order mark decides (UTF-8, UTF-16, UTF-32); else UTF-16
    is recognised by its zero bytes; else the bytes must be UTF-8. Anything else is an
    :class:`~evacmap.errors.InputError` naming the line of the first bad byte and the
    encoding to give, never a silent guess.

    Examples
    --------
    >>> decode_bytes("é,x".encode("utf-16"), source="f.csv")
    ('é,x', 'utf-16')
    >>> decode_bytes("حمص".encode("cp1256"), source="f.csv")
    Traceback (most recent call last):
    ...
    evacmap.errors.InputError: f.csv:1:1: the file is not UTF-8 text (byte 0xcd). Hint: give its encoding, e.g. --encoding cp1256 (it looks like Arabic Windows text), or save it as CSV UTF-8.
    """
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise InputError(
                f"unknown encoding {encoding!r}",
                hint="use a name Python knows, e.g. utf-8, cp1256, cp1252, latin-1, utf-16",
            ) from None
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            raise InputError(
                f"the file cannot be read as {encoding} (byte {data[exc.start]:#04x})",
                location=SourceLocation(source, line),
                hint="check the encoding the file was saved in",
            ) from exc
        return text.lstrip("\ufeff"), encoding
    for bom, name in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return decode_bytes(data, source=source, encoding=name)
    head = data[:4096]
    if len(head) >= 4 and head.count(0) > len(head) // 4:
        odd_zeros = head[1::2].count(0)
        name = "utf-16-le" if odd_zeros > head[0::2].count(0) else "utf-16-be"
        return decode_bytes(data, source=source, encoding=name)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = len(data[data.rfind(b"\n", 0, exc.start) + 1 : exc.start].decode("utf-8", "replace")) + 1
        guess = _guess_encoding(data)
        why = {
            "cp1256": " (it looks like Arabic Windows text)",
            "cp1254": " (it looks like Turkish Windows text)",
        }.get(guess, "")
        raise InputError(
            f"the file is not UTF-8 text (byte {data[exc.start]:#04x})",
            location=SourceLocation(source, line, column),
            hint=f"give its encoding, e.g. --encoding {guess}{why}, or save it as CSV UTF-8",
        ) from exc


# -- CSV ------------------------------------------------------------------------------
def _first_record(text: str) -> str:
    """The header record: text up to the first line break outside quotes."""
    inside = False
    for i, ch in enumerate(text):
        if ch == '"':
            inside = not inside
        elif ch in "\r\n" and not inside:
            return text[:i]
        if i > 1_000_000:
            break
    return text


def _sniff(header: str) -> str:
    outside = re.sub(r'"[^"]*"', "", header)
    counts = {d: outside.count(d) for d in _DELIMITERS}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _unique(names: Sequence[str], source: str) -> tuple[list[str], list[Problem]]:
    out: list[str] = []
    problems: list[Problem] = []
    first: dict[str, int] = {}
    for i, raw in enumerate(names, start=1):
        name = raw.strip().lstrip("\ufeff").strip()
        if not name:
            name = f"(column {i})"
        if name in first:
            problems.append(
                Problem(
                    f"column {name!r} appears twice (columns {first[name]} and {i})",
                    SourceLocation(source, 1, i),
                    "rename or remove one of them",
                )
            )
            name = f"{name} (column {i})"
        first.setdefault(name, i)
        out.append(name)
    return out, problems


def _breaks(data: npt.NDArray[np.uint8]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """Line breaks of a text (``\\n``, ``\\r\\n``, lone ``\\r``) and which end a record.

    A break ends a record when an even number of quotes precede it.
    """
    nl = np.flatnonzero(data == 10)
    cr = np.flatnonzero(data == 13)
    if len(cr):
        nxt = np.append(data, 0)[cr + 1]
        lone = cr[nxt != 10]
        pos = np.sort(np.concatenate([nl, lone]))
    else:
        pos = nl
    quotes = np.flatnonzero(data == 34)
    ends = (np.searchsorted(quotes, pos) % 2) == 0
    return pos.astype(np.int64), ends


def _rows_with_csv_module(
    text: str, delimiter: str, start_line: int
) -> tuple[list[list[str]], list[int]]:
    """Rows and their start lines, by Python's csv module (the exact, slower path)."""
    limit = csv.field_size_limit()
    csv.field_size_limit(min(sys.maxsize, MAX_CELL_CHARS))
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows: list[list[str]] = []
        lines: list[int] = []
        prev = 0
        for record in reader:
            lines.append(start_line + prev)
            prev = reader.line_num
            rows.append(record)
    finally:
        csv.field_size_limit(limit)
    return rows, lines


def _rows_with_pyarrow(body: str, delimiter: str, names: list[str]) -> pd.DataFrame | None:
    """All rows by pyarrow, or None when some row does not have the header's length."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    bad: list[int] = []

    def invalid(row: Any) -> str:
        bad.append(1)
        return "skip"

    table = pacsv.read_csv(
        io.BytesIO(body.encode("utf-8")),
        read_options=pacsv.ReadOptions(column_names=names, block_size=1 << 24),
        parse_options=pacsv.ParseOptions(
            delimiter=delimiter,
            newlines_in_values=True,
            ignore_empty_lines=True,
            invalid_row_handler=invalid,
        ),
        convert_options=pacsv.ConvertOptions(
            column_types={n: pa.string() for n in names},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    if bad:
        return None
    return table.to_pandas(types_mapper={pa.string(): pd.StringDtype("pyarrow")}.get)


def parse_csv_text(
    text: str, *, source: str, delimiter: str | None = None, encoding: str = "utf-8"
) -> RawTable:
    """Split delimited text into a :class:`RawTable` (see the module notes).

    Parameters
    ----------
    text
        The whole file as text.
    source
        How the file is named in messages.
    delimiter
        The cell delimiter; read off the header line when not given.
    encoding
        Recorded in the result.

    Raises
    ------
    InputError
        When the text is empty or has no header.

    Examples
    --------
    >>> t = parse_csv_text('a,b\\n1,"x\\n2,3\\n4,5\\n', source="f.csv")
    >>> [str(p) for p in t.problems]
    ['f.csv:2:2: a quote opened here is never closed. Hint: close the quote, or remove it; the lines after this one were read as rows.']
    >>> t.frame["a"].tolist(), t.lines.tolist()
    (['2', '4'], [3, 4])
    """
    text = text.lstrip("\ufeff")
    header_text = _first_record(text)
    if not header_text.strip():
        raise InputError(
            f"{source} is empty",
            location=SourceLocation(source, 1),
            hint="the first line must name the columns, e.g. origin,destination,count",
        )
    delim = delimiter or _sniff(header_text)
    header = next(csv.reader([header_text], delimiter=delim))
    names, problems = _unique(header, source)
    body_start = len(header_text)
    # Skip the header's own line break.
    if text.startswith("\r\n", body_start):
        body_start += 2
    elif body_start < len(text):
        body_start += 1
    body = text[body_start:]
    header_lines = header_text.count("\n") + header_text.count("\r") - header_text.count("\r\n")
    frame, lines, more = _parse_body(body, delim, names, first_line=header_lines + 2, source=source)
    problems.extend(more)
    hashtags = None
    if len(frame):
        first = [str(v).strip() for v in frame.iloc[0].tolist()]
        if any(first) and all(v.startswith("#") for v in first if v):
            hashtags = first
            frame = frame.iloc[1:].reset_index(drop=True)
            lines = lines[1:]
    return RawTable(source, names, frame, lines, hashtags, problems, encoding)


def _parse_body(
    body: str, delim: str, names: list[str], *, first_line: int, source: str
) -> tuple[pd.DataFrame, npt.NDArray[np.int64], list[Problem]]:
    problems: list[Problem] = []
    data = np.frombuffer(body.encode("utf-8"), dtype=np.uint8)
    pos, ends = _breaks(data)
    n_quotes = int(np.count_nonzero(data == 34))
    if n_quotes % 2:
        return _recover_unclosed(body, delim, names, first_line=first_line, source=source)
    # Records end at the breaks with an even number of quotes before them.
    rec_end_idx = np.flatnonzero(ends)
    starts_byte = np.concatenate([[0], pos[rec_end_idx] + 1])
    start_line = np.concatenate([[0], rec_end_idx + 1]) + first_line
    stops = np.concatenate([pos[rec_end_idx], [len(data)]])
    # A record of zero bytes (or a lone "\r" of a "\r\n") is an empty line.
    length = stops - starts_byte
    nonempty = length > 0
    # A line of just "\r" (the first half of a "\r\n" break) is empty too.
    one = np.flatnonzero(length == 1)
    if len(one):
        nonempty[one[data[starts_byte[one]] == 13]] = False
    expected_lines = start_line[nonempty]
    frame = None
    if len(body) < 200_000_000:
        frame = _rows_with_pyarrow(body, delim, names) if body.strip() else None
    if frame is not None and len(frame) == len(expected_lines):
        return frame, expected_lines.astype(np.int64), problems
    rows, lines = _rows_with_csv_module(body, delim, first_line)
    return _frame_from_rows(rows, lines, names, source, problems)


def _frame_from_rows(
    rows: list[list[str]],
    lines: list[int],
    names: list[str],
    source: str,
    problems: list[Problem],
) -> tuple[pd.DataFrame, npt.NDArray[np.int64], list[Problem]]:
    width = len(names)
    kept: list[list[str]] = []
    kept_lines: list[int] = []
    for record, line in zip(rows, lines, strict=True):
        if not record or not any(c.strip() for c in record):
            continue
        if len(record) > width and any(c.strip() for c in record[width:]):
            problems.append(
                Problem(
                    f"row has {len(record)} cells but the header has {width}",
                    SourceLocation(source, line, width + 1),
                    "quote cells that contain the delimiter, or add a column name",
                )
            )
            continue
        kept.append((record + [""] * width)[:width])
        kept_lines.append(line)
    frame = pd.DataFrame(kept, columns=names, dtype=pd.StringDtype("pyarrow")) if kept else (
        pd.DataFrame({n: pd.Series([], dtype=pd.StringDtype("pyarrow")) for n in names})
    )
    return frame, np.asarray(kept_lines, dtype=np.int64), problems


def _recover_unclosed(
    body: str, delim: str, names: list[str], *, first_line: int, source: str
) -> tuple[pd.DataFrame, npt.NDArray[np.int64], list[Problem]]:
    """Read a body with an unbalanced quote: report the line that opens it, read the rest."""
    rows, lines = _rows_with_csv_module(body, delim, first_line)
    # The csv module runs the open quote to the end of the text: the last row is the
    # one that opened it. Its first line is reported; the lines after it are read again.
    bad_line = lines[-1] if lines else first_line
    physical = body.splitlines(keepends=True)
    offset = bad_line - first_line
    opened = physical[offset] if offset < len(physical) else ""
    column = _column_of_open_quote(opened, delim)
    problems = [
        Problem(
            "a quote opened here is never closed",
            SourceLocation(source, bad_line, column),
            "close the quote, or remove it; the lines after this one were read as rows",
        )
    ]
    before = _frame_from_rows(rows[:-1], lines[:-1], names, source, problems)
    rest_text = "".join(physical[offset + 1 :])
    if not rest_text.strip():
        return before
    rest = _parse_body(rest_text, delim, names, first_line=bad_line + 1, source=source)
    frame = pd.concat([before[0], rest[0]], ignore_index=True)
    return frame, np.concatenate([before[1], rest[1]]), problems + rest[2]


def _column_of_open_quote(line: str, delim: str) -> int | None:
    inside = False
    field_no = 1
    opened_at = None
    for ch in line:
        if ch == '"':
            inside = not inside
            if inside:
                opened_at = field_no
        elif ch == delim and not inside:
            field_no += 1
    return opened_at


# -- spreadsheets ---------------------------------------------------------------------
def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 2**63 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    return str(value)


def _read_sheet(path: Path, label: str, sheet: str | int | None) -> RawTable:
    try:
        from python_calamine import CalamineWorkbook
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise InputError(
            "reading spreadsheets needs the python-calamine package",
            hint="pip install python-calamine",
        ) from exc
    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types
        raise InputError(
            f"{label} cannot be read as a spreadsheet: {exc}",
            hint="check that the file is a real .xlsx/.xls/.ods, or save it as CSV UTF-8",
        ) from exc
    names = list(book.sheet_names)
    if not names:
        raise InputError(f"{label} has no sheets")
    if sheet is None:
        chosen = names[0]
    elif isinstance(sheet, int) or str(sheet).isdigit():
        k = int(sheet)
        if not 1 <= k <= len(names):
            raise InputError(
                f"{label} has {len(names)} sheet(s), not a sheet number {k}",
                hint=f"give --sheet 1 to {len(names)}, or a name: {', '.join(map(repr, names))}",
            )
        chosen = names[k - 1]
    elif sheet in names:
        chosen = str(sheet)
    else:
        raise InputError(
            f"{label} has no sheet {sheet!r}",
            hint=f"its sheets are {', '.join(map(repr, names))}",
        )
    ws = book.get_sheet_by_name(chosen)
    rows = ws.to_python()
    source = f"{label}[{chosen}]"
    if not rows:
        raise InputError(f"sheet {chosen!r} of {label} is empty", location=SourceLocation(source))
    first_row, first_col = ws.start or (0, 0)
    header = [_cell_text(v) for v in rows[0]]
    names_u, problems = _unique(header, source)
    # Column numbers in messages count from column A of the sheet.
    if first_col:
        problems = [
            Problem(p.message, SourceLocation(source, 1 + first_row, (p.location.column or 0) + first_col), p.hint)
            if p.location
            else p
            for p in problems
        ]
    body = [[_cell_text(v) for v in r] for r in rows[1:]]
    lines = [first_row + 2 + i for i in range(len(body))]
    frame, line_arr, problems = _frame_from_rows(body, lines, names_u, source, problems)
    hashtags = None
    if len(frame):
        first = [str(v).strip() for v in frame.iloc[0].tolist()]
        if any(first) and all(v.startswith("#") for v in first if v):
            hashtags = first
            frame = frame.iloc[1:].reset_index(drop=True)
            line_arr = line_arr[1:]
    return RawTable(source, names_u, frame, line_arr, hashtags, problems, "spreadsheet")


# -- entry point ----------------------------------------------------------------------
def read_table(
    path: str | os.PathLike[str],
    *,
    source: str | None = None,
    encoding: str | None = None,
    sheet: str | int | None = None,
    delimiter: str | None = None,
) -> RawTable:
    """Read a CSV/TSV text file or a spreadsheet into a :class:`RawTable`.

    Parameters
    ----------
    path
        The file. ``.xlsx``, ``.xlsm``, ``.xls``, ``.xlsb`` and ``.ods`` are read as
        spreadsheets; anything else as delimited text.
    source
        How to name the file in messages; by default :func:`~evacmap.errors.source_label`.
    encoding
        The text encoding, when it is not UTF-8/UTF-16 (e.g. ``"cp1256"``).
    sheet
        The sheet of a spreadsheet, by name or 1-based number (default: the first).
    delimiter
        The cell delimiter of a text file (default: read off the header line).

    Raises
    ------
    InputError
        When the file cannot be read, is empty, or is not in the encoding.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = f.write_bytes("a\\tb\\n1\\t2\\n".encode("utf-16"))
    >>> t = read_table(f)
    >>> t.columns, t.frame.iloc[0].tolist(), t.encoding
    (['a', 'b'], ['1', '2'], 'utf-16')
    """
    p = Path(path)
    label = source or source_label(p)
    if p.suffix.lower() in SPREADSHEET_SUFFIXES:
        return _read_sheet(p, label, sheet)
    if sheet is not None:
        raise InputError(f"`sheet` applies to spreadsheets, and {label} is a text file")
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError(
            f"cannot read {label!r}: {exc.strerror or exc}", hint="check the path"
        ) from exc
    text, used = decode_bytes(data, source=label, encoding=encoding)
    return parse_csv_text(text, source=label, delimiter=delimiter, encoding=used)
