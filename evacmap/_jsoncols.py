"""JSON text for whole columns at once: the fast path of every writer.

Writing a million features one ``json.dumps`` at a time is what made exports slow.
Here each property is built for all rows together with pyarrow's string kernels, and
the text stays in Arrow buffers from the first cell to the file's bytes: strings are
escaped as JSON string literals (only cells holding control characters go through
:func:`json.dumps`), numbers are cast, lists are assembled by ``take`` (one element,
the usual case: one destination, one source, one evidence row) or joined per row (the
rare rows with several), and a property that is null is left out of its object.

Every function takes pandas Series and returns a Series of Arrow text, ``<NA>`` where a
value is missing.

Examples
--------
>>> import pandas as pd
>>> json_strings(pd.Series(['say "hi"', None, "tab\\there"])).tolist()
['"say \\\\"hi\\\\""', <NA>, '"tab\\\\there"']
>>> objects({"a": json_numbers(pd.Series([1, None], dtype="Int64")),
...          "b": json_strings(pd.Series(["x", "y"]))}).tolist()
['{"a":1,"b":"x"}', '{"b":"y"}']
>>> lines_bytes(pd.Series(["{}", "[]"]), sep=",\\n")
b'{},\\n[]'
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "coalesce",
    "json_bools",
    "json_dates",
    "json_lists",
    "json_numbers",
    "json_strings",
    "lines_bytes",
    "objects",
    "take_text",
]


def _pa() -> Any:
    import pyarrow as pa

    return pa


def _arrow(values: pd.Series) -> Any:
    """The values as one Arrow large_string array (null where missing).

    Arrow text is taken without copying.
    """
    pa = _pa()
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        arr = pa.array(values.array)
    elif values.dtype == object:
        arr = pa.array(values.where(values.notna(), None).tolist(), type=pa.large_string())
    else:
        arr = pa.array(values.astype("string[pyarrow]").array)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return arr.cast(pa.large_string())


def _series(arr: Any, index: Any = None) -> pd.Series:
    pa = _pa()
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    out = pd.Series(pd.arrays.ArrowStringArray(arr.cast(pa.large_string())))
    if index is not None:
        out.index = index
    return out


def _lit(text: str) -> Any:
    pa = _pa()
    return pa.scalar(text, type=pa.large_string())


def _escape(arr: Any) -> Any:
    import pyarrow.compute as pc

    esc = pc.replace_substring(arr, "\\", "\\\\")
    esc = pc.replace_substring(esc, '"', '\\"')
    out = pc.binary_join_element_wise(_lit('"'), esc, _lit('"'), _lit(""))
    ctrl = pc.fill_null(pc.match_substring_regex(arr, "[\\x00-\\x1f]"), False)
    idx = np.flatnonzero(ctrl.to_numpy(zero_copy_only=False))
    if len(idx):
        raw = arr.to_pylist()
        fixed = [json.dumps(raw[i], ensure_ascii=False) for i in idx.tolist()]
        pos = np.arange(len(arr))
        pos[idx] = len(arr) + np.arange(len(idx))
        out = pc.take(_pa().concat_arrays([out, _pa().array(fixed, type=_pa().large_string())]), pos)
    return out


def json_strings(values: pd.Series) -> pd.Series:
    """Each text as a JSON string literal (quotes included); ``<NA>`` where missing.

    A column of few distinct texts (names, kinds) is escaped once per distinct text.
    """
    import pyarrow.compute as pc

    arr = _arrow(values)
    if len(arr) > 1000:
        encoded = pc.dictionary_encode(arr)
        if len(encoded.dictionary) * 4 < len(arr):
            return _series(pc.take(_escape(encoded.dictionary), encoded.indices), values.index)
    return _series(_escape(arr), values.index)


def json_numbers(values: pd.Series) -> pd.Series:
    """Integers or floats as JSON numbers; ``<NA>`` where missing (or not finite)."""
    import pyarrow.compute as pc

    pa = _pa()
    if values.dtype.kind == "f":
        data = values.to_numpy(dtype=float, na_value=np.nan)
        arr = pa.array(data, mask=~np.isfinite(data))
    else:
        ints = values.astype("Int64")
        arr = pa.array(ints.array)
    return _series(pc.cast(arr, pa.large_string()), values.index)


def json_bools(values: pd.Series) -> pd.Series:
    """Booleans as ``true`` / ``false``; ``<NA>`` where missing."""
    import pyarrow.compute as pc

    pa = _pa()
    arr = pa.array(values.astype("boolean").array)
    text = pc.if_else(arr, _lit("true"), _lit("false"))
    return _series(text, values.index)


def json_dates(values: pd.Series) -> pd.Series:
    """Dates as ``"YYYY-MM-DD"`` JSON strings; ``<NA>`` where missing."""
    import pyarrow.compute as pc

    pa = _pa()
    days = pd.to_datetime(values).to_numpy(dtype="datetime64[D]")
    text = pa.array(days, mask=np.isnat(days), type=pa.date32()).cast(pa.large_string())  # ISO 8601
    return _series(pc.binary_join_element_wise(_lit('"'), text, _lit('"'), _lit("")), values.index)


def objects(fields: Mapping[str, pd.Series], *, prefix: str = "") -> pd.Series:
    """JSON objects row by row from ready JSON values per field (``<NA>`` leaves it out).

    `prefix` is written first inside each object (e.g. ``'"feature":"flow",'``).
    """
    import pyarrow.compute as pc

    pa = _pa()
    if not fields:
        return pd.Series([], dtype="string[pyarrow]")
    index = next(iter(fields.values())).index
    n = len(index)
    parts = [pa.repeat(_lit("{" + prefix.rstrip(",")), n)] if prefix else []
    parts += [
        pc.binary_join_element_wise(_lit(json.dumps(name, ensure_ascii=False) + ":"), _arrow(values), _lit(""))
        for name, values in fields.items()
    ]
    body = pc.binary_join_element_wise(*parts, _lit(","), null_handling="skip") if len(parts) > 1 else (
        pc.fill_null(parts[0], _lit("")))
    if prefix:
        body = pc.binary_join_element_wise(body, _lit("}"), _lit(""))
    else:
        body = pc.binary_join_element_wise(_lit("{"), body, _lit("}"), _lit(""))
    return _series(body, index)


def json_lists(
    owner: np.ndarray,
    items: pd.Series,
    n: int,
    *,
    empty: str | None = None,
    brackets: str = "[]",
) -> pd.Series:
    """A JSON array (or, with ``brackets="{}"``, object) per row ``0..n-1``.

    `items` are ready JSON values, each owned by the row `owner` gives; they keep their
    order. A row with no items gets `empty` (``<NA>`` by default).
    """
    import pyarrow.compute as pc

    pa = _pa()
    owner = np.asarray(owner, dtype=np.int64)
    if not len(owner):
        return _series(pa.array([empty] * n, type=pa.large_string()))
    arr = _arrow(items)
    wrapped = pc.binary_join_element_wise(_lit(brackets[0]), arr, _lit(brackets[1]), _lit(""))
    size = np.bincount(owner, minlength=n)
    pick = np.full(n, -1, dtype=np.int64)
    one = size[owner] == 1
    pick[owner[one]] = np.flatnonzero(one)
    pool = [wrapped]
    many = np.flatnonzero(size > 1)
    if len(many):
        sel = np.flatnonzero(np.isin(owner, many))
        values = arr.take(pa.array(sel)).to_pylist()
        groups: dict[int, list[str]] = {}
        for o, v in zip(owner[sel].tolist(), values, strict=True):
            groups.setdefault(o, []).append(v)
        joined = [brackets[0] + ",".join(groups[o]) + brackets[1] for o in many.tolist()]
        pick[many] = len(arr) + np.arange(len(many))
        pool.append(pa.array(joined, type=pa.large_string()))
    if empty is not None:
        pick[size == 0] = len(arr) + (len(pool[1]) if len(pool) > 1 else 0)
        pool.append(pa.array([empty], type=pa.large_string()))
    source = pa.concat_arrays(pool) if len(pool) > 1 else pool[0]
    return _series(source.take(pa.array(pick, mask=pick < 0)))


def take_text(values: pd.Series, positions: np.ndarray) -> pd.Series:
    """``values[positions]`` as Arrow text, ``<NA>`` where a position is negative.

    Examples
    --------
    >>> take_text(pd.Series(["a", "b"]), np.array([1, -1, 0])).tolist()
    ['b', <NA>, 'a']
    """
    pa = _pa()
    pos = np.asarray(positions, dtype=np.int64)
    if not len(values):
        return _series(pa.nulls(len(pos), type=pa.large_string()))
    return _series(_arrow(values).take(pa.array(np.maximum(pos, 0), mask=pos < 0)))


def coalesce(*columns: pd.Series) -> pd.Series:
    """The first non-missing text of each row across `columns`."""
    import pyarrow.compute as pc

    return _series(pc.coalesce(*(_arrow(c) for c in columns)), columns[0].index)


def lines_bytes(lines: pd.Series, *, sep: str) -> bytes:
    """The texts joined by `sep`, as UTF-8 bytes, straight from the Arrow buffers."""
    import pyarrow.compute as pc

    if not len(lines):
        return b""
    arr = _arrow(lines)
    with_sep = pc.binary_join_element_wise(arr, _lit(sep), _lit(""))
    offsets = np.frombuffer(with_sep.buffers()[1], dtype=np.int64)[with_sep.offset : with_sep.offset + len(with_sep) + 1]
    data = with_sep.buffers()[2]
    body = data.to_pybytes()[int(offsets[0]) : int(offsets[-1])]
    return bytes(body[: len(body) - len(sep.encode("utf-8"))])
