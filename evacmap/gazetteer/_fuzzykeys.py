"""A layer's distinct tier-1 keys for fuzzy matching, with a cheap exact pre-filter.

Fuzzy matching compares a name with every key of every layer (rapidfuzz's
``fuzz.ratio``: ``100 * (1 - indel / (len(a) + len(b)))``). Decoding a million keys into
Python strings costs more than the comparison itself, and a fresh process pays it for
its first unknown name. So each key also gets its length in characters and a 64-bit
mask of the characters it holds (character code modulo 64), saved beside the keys.

Two strings are at least ``max(|len(a) - len(b)|, popcount(mask(a) ^ mask(b)))``
insertions and deletions apart (each character present in one and absent from the
other must be inserted or deleted), which bounds their ratio from above. Keys whose
bound falls below the cutoff cannot match; only the others are decoded and compared.
The filter is exact: it drops no key that reaches the cutoff, and keeps the sorted
order of the keys, so the answers are the same as comparing with every key.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Any, overload

import numpy as np
import numpy.typing as npt

__all__ = ["FuzzyKeys", "key_arrays"]

IntArray = npt.NDArray[np.int64]
_NEWLINE = 10


def key_arrays(
    blob: npt.NDArray[np.uint8], *, chunk: int = 65_536
) -> tuple[IntArray, npt.NDArray[np.int32], npt.NDArray[np.uint64]]:
    """Byte start, length in characters and character mask of each key of a blob.

    `blob` is the keys joined by newlines, UTF-8 encoded. Keys are read `chunk` at a
    time, so memory stays small for a million keys.

    Examples
    --------
    >>> starts, lengths, masks = key_arrays(np.frombuffer("ab\\nحمص".encode(), np.uint8))
    >>> starts.tolist(), lengths.tolist(), [bin(int(m)).count("1") for m in masks]
    ([0, 3], [2, 3], [2, 3])
    """
    raw = np.asarray(blob, dtype=np.uint8)
    if not len(raw):
        return (np.zeros(0, np.int64), np.zeros(0, np.int32), np.zeros(0, np.uint64))
    starts = np.concatenate([[0], np.flatnonzero(raw == _NEWLINE) + 1]).astype(np.int64)
    lengths = np.zeros(len(starts), dtype=np.int32)
    masks = np.zeros(len(starts), dtype=np.uint64)
    for first in range(0, len(starts), chunk):
        last = min(first + chunk, len(starts))
        end = int(starts[last]) - 1 if last < len(starts) else len(raw)
        text = bytes(raw[int(starts[first]) : end]).decode("utf-8")
        cps = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        seps = np.flatnonzero(cps == _NEWLINE)
        c_start = np.concatenate([[0], seps + 1])
        c_end = np.concatenate([seps, [len(cps)]])
        n = (c_end - c_start).astype(np.int32)
        bits = np.left_shift(np.uint64(1), (cps % 64).astype(np.uint64))
        bits[seps] = 0
        m = np.zeros(len(n), dtype=np.uint64)
        full = np.flatnonzero(n > 0)
        if len(full):
            m[full] = np.bitwise_or.reduceat(bits, c_start[full])
        lengths[first:last], masks[first:last] = n, m
    return starts, lengths, masks


_BYTE_BITS = np.array([bin(i).count("1") for i in range(256)], dtype=np.uint8)


def _popcount(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.int32]:
    """Set bits of each value (``np.bitwise_count`` where numpy has it)."""
    count = getattr(np, "bitwise_count", None)
    if count is not None:
        return np.asarray(count(x), dtype=np.int32)
    as_bytes = np.ascontiguousarray(x).view(np.uint8).reshape(-1, 8)
    return np.asarray(_BYTE_BITS[as_bytes].sum(axis=1), dtype=np.int32)


def _mask(text: str) -> int:
    m = 0
    for c in text:
        m |= 1 << (ord(c) % 64)
    return m


class _Lazy(Sequence[str]):
    """The keys as a sequence that decodes an item when it is read (for bisect)."""

    def __init__(self, keys: FuzzyKeys) -> None:
        self._keys = keys

    def __len__(self) -> int:
        return len(self._keys)

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> list[str]: ...
    def __getitem__(self, i: int | slice) -> str | list[str]:
        if isinstance(i, slice):
            return self._keys.decode(np.arange(*i.indices(len(self)), dtype=np.int64))
        return self._keys.decode(np.array([i]))[0]


class FuzzyKeys:
    """A layer's sorted distinct tier-1 keys (one UTF-8 blob), for fuzzy matching.

    Parameters
    ----------
    blob
        The keys, sorted, joined by newlines, UTF-8 encoded.
    arrays
        Their :func:`key_arrays` when saved with the layer; without them, every search
        decodes all keys (as layers saved by earlier versions do).
    """

    def __init__(
        self,
        blob: npt.NDArray[np.uint8],
        arrays: tuple[IntArray, npt.NDArray[np.int32], npt.NDArray[np.uint64]] | None = None,
    ) -> None:
        self.blob = blob
        self.arrays = arrays
        self._all: list[str] | None = None

    def __len__(self) -> int:
        if self.arrays is not None:
            return len(self.arrays[0])
        return len(self.all())

    @property
    def filterable(self) -> bool:
        """Whether the keys have their lengths and masks (the pre-filter is available)."""
        return self.arrays is not None

    def all(self) -> list[str]:
        """Every key, decoded (once)."""
        if self._all is None:
            text = bytes(self.blob).decode("utf-8")
            self._all = text.split("\n") if text else []
        return self._all

    def decode(self, idx: IntArray) -> list[str]:
        """The keys at some positions."""
        if self._all is not None or self.arrays is None:
            everything = self.all()
            return [everything[int(i)] for i in idx]
        starts = self.arrays[0]
        idx = np.asarray(idx, dtype=np.int64)
        nxt = idx + 1
        last = nxt >= len(starts)
        # A key ends where the next one starts, less its newline; the last at the end.
        ends = np.where(last, len(self.blob), starts[np.where(last, 0, nxt)] - 1)
        view = memoryview(np.ascontiguousarray(self.blob).data)
        pairs = zip(starts[idx].tolist(), ends.tolist(), strict=True)
        return [str(view[a:b], "utf-8") for a, b in pairs]

    def near(self, key: str, cutoff: float) -> tuple[IntArray, list[str]]:
        """The keys whose ratio with `key` may reach `cutoff`, in sorted order.

        Every key that reaches it is among them (see the module's notes).
        """
        if self.arrays is None:
            everything = self.all()
            return np.arange(len(everything), dtype=np.int64), everything
        _, lengths, masks = self.arrays
        lq = len(key)
        diff = _popcount(masks ^ np.uint64(_mask(key)))
        bound = np.maximum(np.abs(lengths - lq), diff)
        total = lengths + lq
        # ratio <= 100 * (1 - bound / total); keep a point of slack for rounding.
        keep = 100.0 * (total - bound) >= (cutoff - 1.0) * total  # two empty strings: 100
        idx = np.flatnonzero(keep).astype(np.int64)
        return idx, self.decode(idx)

    def with_prefix(self, prefix: str, limit: int) -> list[str]:
        """Up to `limit` keys starting with `prefix`, in sorted order."""
        seq: Any = self.all() if self._all is not None or self.arrays is None else _Lazy(self)
        lo = bisect.bisect_left(seq, prefix)
        hi = bisect.bisect_left(seq, prefix + "\uffff")
        return list(seq[lo : min(hi, lo + limit)])
