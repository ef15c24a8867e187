"""Cell-level checks shared by the readers: counts, dates, coordinates, count kinds.

Each parser returns a value or raises :class:`CellError` with what is wrong and how to
fix it; the readers add the location (file, line, column) and collect the problems.

Examples
--------
>>> parse_count("1,150"), parse_count(""), parse_count("unknown")
(1150, None, None)
>>> parse_count("12k")
Traceback (most recent call last):
...
evacmap._validate.CellError: '12k' is not a whole number of people
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from collections.abc import Callable

import numpy as np
import numpy.typing as npt
import pandas as pd

from evacmap.model import MAX_COUNT, CountKind

__all__ = [
    "CellError",
    "parse_coordinate",
    "parse_coordinates",
    "parse_count",
    "parse_count_kind",
    "parse_count_kinds",
    "parse_counts",
    "parse_date",
    "parse_dates",
    "point_ids",
]

_UNKNOWN = {"", "?", "unknown", "n/a", "na", "-", "–", "—", "none", "null", "nan"}
_GROUPED = re.compile(r"^[0-9]{1,3}(?:([, \u00a0\u202f'])[0-9]{3})(?:\1[0-9]{3})*$")
_SUFFIX = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(k|thousand|m|million)$", re.IGNORECASE)
_QUALIFIED = re.compile(
    r"^(up to|as many as|at most|over|more than|at least|about|around|some|approx(?:\.|imately)?"
    r"|~|c\.|nearly|almost)\s*(.*)$",
    re.IGNORECASE,
)
_KIND_SYNONYMS = {
    "report": CountKind.REPORTED,
    "actual": CountKind.REPORTED,
    "estimate": CountKind.ESTIMATED,
    "est": CountKind.ESTIMATED,
    "expected": CountKind.PLANNED,
    "plan": CountKind.PLANNED,
    "agreed": CountKind.PLANNED,
    "total": CountKind.CUMULATIVE,
    "cumulative total": CountKind.CUMULATIVE,
}


class CellError(ValueError):
    """A cell's value cannot be used; :attr:`hint` says how to fix it."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


def parse_count(text: str) -> int | None:
    """A whole number of people, or None for an empty or unknown cell.

    Thousands separators (``1,150``, ``1 150``) are accepted; ``12k``, ``~450`` and
    ``up to 20,000`` are refused with a hint, because the qualifier matters.

    Examples
    --------
    >>> parse_count("450"), parse_count("20 000"), parse_count("450.0")
    (450, 20000, 450)
    >>> parse_count("up to 20,000")
    Traceback (most recent call last):
    ...
    evacmap._validate.CellError: 'up to 20,000' is not a plain number of people
    """
    t = text.strip()
    if t.casefold() in _UNKNOWN:
        return None
    value: int | None = None
    if re.fullmatch(r"[0-9]+", t):
        value = int(t)
    elif _GROUPED.match(t):
        value = int(re.sub(r"[^0-9]", "", t))
    elif re.fullmatch(r"[0-9]+\.0+", t):
        value = int(t.split(".")[0])
    if value is not None:
        if value > MAX_COUNT:
            raise CellError(
                f"count {t} is more than {MAX_COUNT:,}, more people than live on earth",
                "check the cell for a typing error or a merged number",
            )
        return value
    if t.startswith("-") and re.fullmatch(r"-[0-9]+", t):
        raise CellError(f"count {t!r} is negative", "counts of people are 0 or more")
    m = _SUFFIX.match(t)
    if m:
        mult = 1000 if m.group(2).lower() in ("k", "thousand") else 1_000_000
        scaled = float(m.group(1).replace(",", ".")) * mult
        raise CellError(f"{t!r} is not a whole number of people", f"write {scaled:.0f}")
    q = _QUALIFIED.match(t)
    if q:
        word = q.group(1).lower()
        if word in ("up to", "as many as", "at most"):
            hint = "put the number in `count_max` and leave `count` empty"
        elif word in ("over", "more than", "at least"):
            hint = "put the number in `count_min` and leave `count` empty"
        else:
            hint = "put the number in `count` and write 'estimated' in `count_kind`"
        raise CellError(f"{t!r} is not a plain number of people", hint)
    if re.fullmatch(r"[0-9]+[.,][0-9]+", t):
        raise CellError(
            f"{t!r} is not a whole number of people",
            "write a whole number; for thousands write 1150, not 1.150",
        )
    raise CellError(
        f"{t!r} is not a whole number of people",
        "write digits such as 450, or leave the cell empty when unknown",
    )


def parse_count_kind(text: str) -> CountKind:
    """A :class:`CountKind`; empty means ``reported``.

    Examples
    --------
    >>> parse_count_kind(""), parse_count_kind("Planned"), parse_count_kind("expected")
    (<CountKind.REPORTED: 'reported'>, <CountKind.PLANNED: 'planned'>, <CountKind.PLANNED: 'planned'>)
    """
    t = text.strip().lower()
    if not t:
        return CountKind.REPORTED
    if t in _KIND_SYNONYMS:
        return _KIND_SYNONYMS[t]
    try:
        return CountKind(t)
    except ValueError:
        choices = ", ".join(k.value for k in CountKind)
        raise CellError(
            f"count kind {text!r} is not one of {choices}", f"write one of {choices}"
        ) from None


def _parse_one_date(t: str, *, end: bool) -> dt.date:
    t = t.strip()
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?", t)
    if m:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = re.fullmatch(r"(\d{4})-(\d{2})", t)
    if m:
        year, month = int(m.group(1)), int(m.group(2))
        day = calendar.monthrange(year, month)[1] if end else 1
        return dt.date(year, month, day)
    m = re.fullmatch(r"(\d{4})", t)
    if m:
        return dt.date(int(t), 12, 31) if end else dt.date(int(t), 1, 1)
    raise ValueError(t)


def parse_date(text: str) -> tuple[dt.date | None, dt.date | None]:
    """A day, month, year or ISO interval (``start/end``) as (start, end) dates.

    Examples
    --------
    >>> parse_date("2017-05-20")
    (datetime.date(2017, 5, 20), datetime.date(2017, 5, 20))
    >>> parse_date("2017-03/2017-05")
    (datetime.date(2017, 3, 1), datetime.date(2017, 5, 31))
    >>> parse_date("")
    (None, None)
    """
    t = text.strip()
    if not t:
        return None, None
    try:
        if "/" in t:
            a, b = t.split("/", 1)
            start, finish = _parse_one_date(a, end=False), _parse_one_date(b, end=True)
        else:
            start, finish = _parse_one_date(t, end=False), _parse_one_date(t, end=True)
    except ValueError:
        raise CellError(
            f"date {text!r} is not an ISO date",
            "write YYYY-MM-DD, YYYY-MM, YYYY, or a range START/END",
        ) from None
    if start > finish:
        raise CellError(f"date range {text!r} ends before it starts", "write START/END")
    return start, finish


def parse_coordinate(text: str, *, axis: str) -> float:
    """A latitude (`axis` ``"lat"``) or longitude (``"lon"``) in decimal degrees.

    Examples
    --------
    >>> parse_coordinate("34.747", axis="lat")
    34.747
    >>> parse_coordinate("95", axis="lat")
    Traceback (most recent call last):
    ...
    evacmap._validate.CellError: latitude 95.0 is outside -90..90
    """
    try:
        value = float(text.strip().replace(",", "."))
    except ValueError:
        raise CellError(
            f"{axis} {text!r} is not a number", "write decimal degrees such as 34.747"
        ) from None
    limit = 90.0 if axis == "lat" else 180.0
    name = "latitude" if axis == "lat" else "longitude"
    if not math.isfinite(value) or abs(value) > limit:
        raise CellError(
            f"{name} {value} is outside -{limit:g}..{limit:g}",
            "check that latitude and longitude are not swapped",
        )
    return value


# -- whole columns at once (vectorised; the per-cell parsers above explain bad cells) -----
_ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_UNKNOWN_RE = "|".join(re.escape(u) for u in sorted(_UNKNOWN, key=len, reverse=True) if u)


def _errors_of(cells: pd.Series, bad: pd.Series, parse: Callable[[str], object]) -> dict[int, CellError]:
    out: dict[int, CellError] = {}
    for pos in np.flatnonzero(bad.to_numpy(dtype=bool)).tolist():
        try:
            parse(str(cells.iloc[pos]))
        except CellError as exc:
            out[pos] = exc
        else:  # pragma: no cover - the vectorised rule and the cell rule agree
            out[pos] = CellError(f"{cells.iloc[pos]!r} cannot be read")
    return out


def _text(cells: pd.Series) -> pd.Series:
    """Cells as stripped arrow text, ``""`` where missing, indexed from 0."""
    text = cells.astype("string[pyarrow]").fillna("").str.strip()
    return text.reset_index(drop=True)


def _int_cast(text: pd.Series) -> npt.NDArray[np.int64]:
    """Cells of plain digits as int64 (the caller checked they are digits)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(text.astype("string[pyarrow]"))
    return np.asarray(pc.cast(arr, pa.int64()).to_numpy(), dtype=np.int64)


def _counts_slow(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Values and bad flags for cells that are not plain digits (grouping, .0, Arabic digits)."""
    text = text.astype(object).map(lambda t: t.translate(_ARABIC_DIGITS)).astype("string[pyarrow]")
    unknown = text.str.lower().isin(_UNKNOWN)
    plain = text.str.fullmatch(r"[0-9]+(?:\.0+)?")
    grouped = text.str.fullmatch(_GROUPED.pattern.strip("^$"))
    ok = (plain | grouped).fillna(False)
    digits = text.where(ok, "").str.replace(r"\.0+$", "", regex=True).str.replace(r"[^0-9]", "", regex=True)
    too_long = digits.str.len() > len(str(MAX_COUNT))
    digits = digits.where(~too_long, "")
    values = pd.to_numeric(digits.astype(object).replace("", None), errors="coerce").astype("Int64")
    too_big = (values > MAX_COUNT).fillna(False) | too_long
    return values.where(~too_big), ((~ok & ~unknown) | too_big)


def parse_counts(cells: pd.Series) -> tuple[pd.Series, dict[int, CellError]]:
    """A column of counts as exact nullable integers, and the bad cells by position.

    The same rules as :func:`parse_count` (which explains each bad cell), applied to
    the whole column at once; Arabic-Indic digits (``٤٥٠``) are read as digits. Plain
    digits take a fast path; only other cells are looked at closely.

    Examples
    --------
    >>> values, bad = parse_counts(pd.Series(["450", "1,150", "", "٤٥٠", "12k", "450¹"]))
    >>> values.tolist(), sorted(bad)
    ([450, 1150, <NA>, 450, <NA>, <NA>], [4, 5])
    """
    text = _text(cells)
    n = len(text)
    data = np.zeros(n, dtype=np.int64)
    known = np.zeros(n, dtype=bool)
    bad_arr = np.zeros(n, dtype=bool)
    fast = text.str.fullmatch(r"[0-9]{1,10}").fillna(False).to_numpy(dtype=bool)
    if fast.any():
        data[fast] = _int_cast(text[fast])
        known[fast] = True
    rest = ~fast & (text != "").to_numpy(dtype=bool)
    if rest.any():
        v, b = _counts_slow(text[rest])
        data[rest] = v.fillna(0).to_numpy(dtype=np.int64)
        known[rest] = v.notna().to_numpy(dtype=bool)
        bad_arr[rest] = b.to_numpy(dtype=bool)
    too_big = known & (data > MAX_COUNT)
    known &= ~too_big
    bad_arr |= too_big
    values = pd.Series(pd.arrays.IntegerArray(data, ~known))
    bad = pd.Series(bad_arr)
    errors = _errors_of(text, bad, parse_count)
    return values, errors


def parse_count_kinds(cells: pd.Series) -> tuple[pd.Series, dict[int, CellError]]:
    """A column of count kinds (``reported`` where empty), and the bad cells.

    Examples
    --------
    >>> kinds, bad = parse_count_kinds(pd.Series(["", "Planned", "rumoured"]))
    >>> kinds.tolist(), sorted(bad)
    (['reported', 'planned', None], [2])
    """
    text = _text(cells).str.lower()
    table = {k.value: k.value for k in CountKind} | {k: v.value for k, v in _KIND_SYNONYMS.items()}
    table[""] = CountKind.REPORTED.value
    codes, uniques = pd.factorize(text)
    mapped = np.array([table.get(str(u)) for u in uniques] + [None], dtype=object)
    kinds = pd.Series(mapped[codes], dtype=object)
    bad = kinds.isna()
    return kinds, _errors_of(text, bad, parse_count_kind)


_DATE_PART = r"([0-9]{4})(?:-([0-9]{1,2})(?:-([0-9]{1,2}))?)?(?:[T ][0-9:.+Z-]*)?"


def _date_bounds(year: pd.Series, month: pd.Series, day: pd.Series) -> tuple[pd.Series, pd.Series]:
    y = pd.to_numeric(year, errors="coerce")
    mo = pd.to_numeric(month, errors="coerce")
    d = pd.to_numeric(day, errors="coerce")
    start = pd.to_datetime(
        pd.DataFrame({"year": y, "month": mo.fillna(1), "day": d.fillna(1)}), errors="coerce"
    )
    month_end = (start + pd.offsets.MonthEnd(0)).where(mo.notna())
    year_end = pd.to_datetime(pd.DataFrame({"year": y, "month": 12, "day": 31}), errors="coerce")
    end = start.where(d.notna(), month_end.where(mo.notna(), year_end))
    return start, end


def parse_dates(cells: pd.Series) -> tuple[pd.Series, pd.Series, dict[int, CellError]]:
    """A column of ISO days, months, years or ``START/END`` ranges as first and last days.

    Examples
    --------
    >>> s, e, bad = parse_dates(pd.Series(["2017-05-20", "2017-03/2017-05", "", "May 2017"]))
    >>> [str(x)[:10] for x in s], [str(x)[:10] for x in e], sorted(bad)
    (['2017-05-20', '2017-03-01', 'NaT', 'NaT'], ['2017-05-20', '2017-05-31', 'NaT', 'NaT'], [3])
    """
    text = _text(cells)
    n = len(text)
    start = pd.Series(pd.NaT, index=range(n), dtype="datetime64[s]")
    end = start.copy()
    errors: dict[int, CellError] = {}
    fast = text.str.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}").fillna(False).to_numpy(dtype=bool)
    if fast.any():
        day = pd.to_datetime(text[fast].astype(object), format="%Y-%m-%d", errors="coerce").astype("datetime64[s]")
        start[fast] = day.to_numpy()
        end[fast] = day.to_numpy()
        bad_fast = day.isna().to_numpy()
        for pos in np.flatnonzero(fast)[bad_fast].tolist():
            errors[pos] = _errors_of(text.iloc[[pos]].reset_index(drop=True), pd.Series([True]), parse_date)[0]
    rest = ~fast & (text != "").to_numpy(dtype=bool)
    if rest.any():
        idx = np.flatnonzero(rest)
        s_, e_, errs = _dates_slow(text.iloc[idx].reset_index(drop=True))
        start.iloc[idx] = s_.to_numpy()
        end.iloc[idx] = e_.to_numpy()
        errors.update({int(idx[k]): v for k, v in errs.items()})
    return start, end, errors


def _dates_slow(text: pd.Series) -> tuple[pd.Series, pd.Series, dict[int, CellError]]:
    pattern = rf"^{_DATE_PART}(?:\s*/\s*{_DATE_PART})?$"
    parts = text.astype(object).str.extract(pattern)
    s_start, s_end = _date_bounds(parts[0], parts[1], parts[2])
    _, e_end = _date_bounds(parts[3], parts[4], parts[5])
    ranged = parts[3].notna()
    start = s_start
    end = e_end.where(ranged, s_end)
    given = text != ""
    bad = given & (start.isna() | end.isna() | (end < start).fillna(False))
    # Python's own reading explains each bad cell (and catches days such as 02-30).
    errors = _errors_of(text, bad, parse_date)
    start = start.where(~bad).astype("datetime64[s]")
    end = end.where(~bad).astype("datetime64[s]")
    return start, end, errors


def parse_coordinates(cells: pd.Series, *, axis: str) -> tuple[pd.Series, dict[int, CellError]]:
    """A column of latitudes (`axis` ``"lat"``) or longitudes, NaN where empty, and bad cells.

    Examples
    --------
    >>> v, bad = parse_coordinates(pd.Series(["34.7", "34,7", "", "95"]), axis="lat")
    >>> v.tolist()[:2], sorted(bad)
    ([34.7, 34.7], [3])
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    text = _text(cells).str.replace(",", ".", regex=False)
    values = pd.Series(np.full(len(text), np.nan))
    fast = text.str.fullmatch(r"-?[0-9]{1,3}(?:\.[0-9]{1,15})?").fillna(False).to_numpy(dtype=bool)
    if fast.any():
        arr = pa.array(text[fast].astype("string[pyarrow]"))
        values[fast] = pc.cast(arr, pa.float64()).to_numpy()
    rest = ~fast & (text != "").to_numpy(dtype=bool)
    if rest.any():
        values[rest] = pd.to_numeric(text[rest].astype(object), errors="coerce").astype("float64").to_numpy()
    limit = 90.0 if axis == "lat" else 180.0
    bad = (text != "") & (values.isna() | (values.abs() > limit) | ~np.isfinite(values.fillna(0)))
    errors = _errors_of(text, bad, lambda t: parse_coordinate(t, axis=axis))
    return values.where(~bad), errors


def point_ids(names: npt.ArrayLike, lats: npt.ArrayLike, lons: npt.ArrayLike) -> np.ndarray:
    """:func:`evacmap.model.point_id` of many points at once (each distinct name slugged once).

    Examples
    --------
    >>> point_ids(["Camp A", "Camp A"], [36.1, 34.0], [36.6, 35.25]).tolist()
    ['point:36.10000,36.60000:camp-a', 'point:34.00000,35.25000:camp-a']
    """
    from evacmap.model import point_id

    text = pd.Series(np.asarray(names, dtype=object)).astype(str)
    slugs = {n: point_id(n, 0.0, 0.0).rsplit(":", 1)[1] for n in pd.unique(text)}
    la = pd.Series(np.char.mod("%.5f", np.asarray(lats, dtype=float)))
    lo = pd.Series(np.char.mod("%.5f", np.asarray(lons, dtype=float)))
    return np.asarray(("point:" + la + "," + lo + ":" + text.map(slugs)).to_numpy(), dtype=object)
