"""JSON text for whole columns at once: the fast path of every writer.

Writing a million features one ``json.dumps`` at a time is what made exports slow.
Here each property is built for all rows together with pyarrow's string kernels:
strings are escaped as JSON string literals (only cells holding control characters go
through :func:`json.dumps`), numbers are cast, lists with one element (the usual case:
one destination, one source, one evidence row) are assembled without Python, and a
property that is null is left out of its object.

Examples
--------
>>> import pandas as pd
>>> json_strings(pd.Series(['say "hi"', None, "tab\\there"])).tolist()
['"say \\\\"hi\\\\""', None, '"tab\\\\there"']
>>> objects({"a": json_numbers(pd.Series([1, None], dtype="Int64")),
...          "b": json_strings(pd.Series(["x", "y"]))}).tolist()
['{"a":1,"b":"x"}', '{"b":"y"}']
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["json_bools", "json_lists", "json_numbers", "json_strings", "objects"]


def _arrow(values: pd.Series) -> Any:
    """The values as an arrow large_string array (None where missing)."""
    import pyarrow as pa

    if values.dtype == object:
        return pa.array(values.where(values.notna(), None).tolist(), type=pa.large_string())
    return pa.array(values.astype("string[pyarrow]")).cast(pa.large_string())


def _lit(text: str) -> Any:
    import pyarrow as pa

    return pa.scalar(text, type=pa.large_string())


def json_strings(values: pd.Series) -> pd.Series:
    """Each text as a JSON string literal (quotes included); None where missing.

    Only cells with control characters are escaped by :func:`json.dumps`; the rest
    by two vectorised replacements. A column of few distinct texts (names, kinds) is
    escaped once per distinct text.
    """
    if len(values) > 1000:
        codes, uniques = pd.factorize(values, use_na_sentinel=True)
        if len(uniques) * 4 < len(values):
            escaped = _escape(pd.Series(uniques, dtype=object)).to_numpy(dtype=object)
            out = np.concatenate([escaped, np.array([None], dtype=object)])[codes]
            return pd.Series(out, index=values.index, dtype=object)
    return _escape(values)


def _escape(values: pd.Series) -> pd.Series:
    import pyarrow.compute as pc

    arr = _arrow(values)
    esc = pc.replace_substring(arr, "\\", "\\\\")
    esc = pc.replace_substring(esc, '"', '\\"')
    out = pc.binary_join_element_wise(_lit('"'), esc, _lit('"'), _lit(""))
    ctrl = pc.match_substring_regex(arr, "[\\x00-\\x1f]")
    result = pd.Series(out.to_pandas(), index=values.index, dtype=object)
    result = result.where(result.notna(), None)
    idx = np.flatnonzero(pc.fill_null(ctrl, False).to_numpy(zero_copy_only=False))
    if len(idx):
        raw = arr.to_pylist()
        result.iloc[idx] = [json.dumps(raw[i], ensure_ascii=False) for i in idx.tolist()]
    return result


def json_numbers(values: pd.Series) -> pd.Series:
    """Integers or floats as JSON numbers; None where missing (or not finite)."""
    if values.dtype.kind == "f":
        finite = np.isfinite(values.to_numpy(dtype=float, na_value=np.nan))
        text = pd.Series([repr(float(v)) if ok else None for v, ok in zip(values.tolist(), finite, strict=True)],
                         index=values.index, dtype=object)
        return text
    ints = values.astype("Int64")
    return ints.astype("string[pyarrow]").astype(object).where(ints.notna(), None)


def json_bools(values: pd.Series) -> pd.Series:
    """Booleans as ``true`` / ``false``; None where missing."""
    b = values.astype("boolean")
    return pd.Series(np.where(b.fillna(False).to_numpy(dtype=bool), "true", "false"), index=values.index,
                     dtype=object).where(b.notna(), None)


def objects(fields: Mapping[str, pd.Series], *, prefix: str = "") -> pd.Series:
    """JSON objects row by row from ready JSON values per field (None leaves it out).

    `prefix` is written first inside each object (e.g. ``'"feature":"flow",'``).
    """
    import pyarrow.compute as pc

    if not fields:
        return pd.Series([], dtype=object)
    index = next(iter(fields.values())).index
    parts = []
    for name, values in fields.items():
        key = json.dumps(name, ensure_ascii=False) + ":"
        parts.append(pc.binary_join_element_wise(_lit(key), _arrow(values), _lit("")))
    if len(parts) > 1:
        body = pc.binary_join_element_wise(*parts, _lit(","), null_handling="skip")
    else:
        body = pc.fill_null(parts[0], _lit(""))
    body = pc.binary_join_element_wise(_lit("{" + prefix), body, _lit("}"), _lit(""))
    if prefix:
        body = pc.replace_substring(body, "{" + prefix + "}", "{" + prefix.rstrip(",") + "}")
    return pd.Series(body.to_pandas(), index=index, dtype=object)


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
    order. A row with no items gets `empty`.
    """
    out = np.full(n, empty, dtype=object)
    if not len(owner):
        return pd.Series(out, dtype=object)
    owner = np.asarray(owner, dtype=np.int64)
    values = np.asarray(items.tolist(), dtype=object)
    size = np.bincount(owner, minlength=n)
    one = size[owner] == 1
    if one.any():
        s = pd.Series(values[one], dtype="string[pyarrow]")
        out[owner[one]] = (brackets[0] + s + brackets[1]).astype(object).to_numpy()
    many = np.flatnonzero(size > 1)
    if len(many):
        sel = np.isin(owner, many)
        groups: dict[int, list[str]] = {}
        for o, v in zip(owner[sel].tolist(), values[sel].tolist(), strict=True):
            groups.setdefault(o, []).append(v)
        for o, vs in groups.items():
            out[o] = brackets[0] + ",".join(vs) + brackets[1]
    return pd.Series(out, dtype=object)


def join_lines(lines: Sequence[str] | pd.Series, sep: str = ",\n") -> str:
    """The rows joined (for a FeatureCollection's features)."""
    return sep.join(lines.tolist() if isinstance(lines, pd.Series) else lines)
