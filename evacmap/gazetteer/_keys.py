"""Name keys as 64-bit hashes: how a layer's names are keyed, looked up and built.

Every name of a layer gets a tier-1 key (:func:`~evacmap.gazetteer.normalize.name_key`,
and the same without its generic words) and a tier-2 key
(:func:`~evacmap.gazetteer.normalize.skeleton_key`), stored as sorted arrays of stable
64-bit hashes (:class:`KeyTable`) that point at name ids. :class:`NameIndexBuilder`
streams names in, hashing big inputs in worker processes.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from array import array
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any

import numpy as np
import numpy.typing as npt

from evacmap.gazetteer.normalize import name_key, skeleton_key, split_generic

__all__ = ["KeyTable", "NameIndexBuilder", "dedupe_keys", "key_hash", "primary_hashes"]

IntArray = npt.NDArray[np.int64]


def key_hash(key: str) -> int:
    """A stable 64-bit hash of a key (the same in every process).

    Examples
    --------
    >>> key_hash("homs") == key_hash("homs") != key_hash("hims")
    True
    """
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")



class KeyTable:
    """Sorted key hashes, each pointing at a name id."""

    __slots__ = ("hashes", "name_ids")

    def __init__(self, hashes: npt.NDArray[np.uint64], name_ids: npt.NDArray[np.int32]):
        self.hashes = hashes
        self.name_ids = name_ids

    def find(self, key: str) -> npt.NDArray[np.int32]:
        h = np.uint64(key_hash(key))
        lo = int(self.hashes.searchsorted(h, "left"))
        hi = int(self.hashes.searchsorted(h, "right"))
        return self.name_ids[lo:hi]

    def find_many(
        self, hashes: npt.NDArray[np.uint64]
    ) -> tuple[IntArray, npt.NDArray[np.int32]]:
        """Every entry for many key hashes at once (one binary search for all of them).

        Returns the position in `hashes` of each entry found, and its name id.
        """
        lo = self.hashes.searchsorted(hashes, "left")
        hi = self.hashes.searchsorted(hashes, "right")
        counts = (hi - lo).astype(np.int64)
        total = int(counts.sum())
        if total == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32)
        pos = np.repeat(np.arange(len(hashes), dtype=np.int64), counts)
        starts = np.repeat(lo.astype(np.int64) - np.cumsum(counts) + counts, counts)
        idx = starts + np.arange(total, dtype=np.int64)
        return pos, np.asarray(self.name_ids[idx], dtype=np.int32)


_Hashed = tuple[npt.NDArray[np.uint64], npt.NDArray[np.int32], npt.NDArray[np.uint64], list[str]]


def _hash_chunk(names: Sequence[str], first_id: int = 0) -> _Hashed:
    """Key hashes of names: tier-1 (with the generic-word-free variant) and tier-2.

    Returns the tier-1 hashes with the name id of each (a name may give two keys), the
    tier-2 hash of each name (0 for an empty key), and the distinct tier-1 keys.
    """
    h1: list[int] = []
    ids1: list[int] = []
    h2 = np.zeros(len(names), dtype=np.uint64)
    keys: set[str] = set()
    for i, raw in enumerate(names):
        k1 = name_key(raw)
        if k1:
            for k in dict.fromkeys((k1, split_generic(k1)[0])):
                keys.add(k)
                h1.append(key_hash(k))
                ids1.append(first_id + i)
        k2 = skeleton_key(raw)
        if k2:
            h2[i] = key_hash(k2)
    return (np.array(h1, dtype=np.uint64), np.array(ids1, dtype=np.int32), h2, sorted(keys))


def _hash_chunk_text(names: Sequence[str], first_id: int) -> tuple[Any, ...]:
    """:func:`_hash_chunk` for a worker process: the keys come back as one string."""
    h1, ids1, h2, keys = _hash_chunk(names, first_id)
    return h1, ids1, h2, "\n".join(keys)


class NameIndexBuilder:
    """Collects names chunk by chunk: their UTF-8 blob, and their key hashes.

    Hashing runs in worker processes for big inputs (``parallel=True``). The workers
    are forked before any data is read, while this process is still small, and at most
    two chunks per worker wait in line, so memory stays bounded however large the input.
    """

    CHUNK = 50_000

    def __init__(self, *, parallel: bool = False) -> None:
        self.blob = bytearray()
        self.offsets = array("q", [0])
        self.name_row = array("i")
        self._n = 0
        self._results: list[Any] = []
        self._pool: ProcessPoolExecutor | None = None
        self._workers = min(os.cpu_count() or 1, 8)
        if parallel and self._workers > 1 and "fork" in multiprocessing.get_all_start_methods():
            ctx = multiprocessing.get_context("fork")
            self._pool = ProcessPoolExecutor(max_workers=self._workers, mp_context=ctx)
            # Start every worker now, while this process holds little memory.
            for f in [self._pool.submit(os.getpid) for _ in range(self._workers)]:
                f.result()

    def __len__(self) -> int:
        return self._n

    def add(self, names: Sequence[str], rows: Sequence[int]) -> None:
        """Add names (each of the place row given in `rows`)."""
        for n in names:
            self.blob += n.encode("utf-8")
            self.offsets.append(len(self.blob))
        self.name_row.extend(rows)
        first, self._n = self._n, self._n + len(names)
        if self._pool is None:
            h1, ids1, h2, keys = _hash_chunk(names, first)
            self._results.append((h1, ids1, h2, "\n".join(keys)))
            return
        self._results.append(self._pool.submit(_hash_chunk_text, list(names), first))
        pending = [r for r in self._results if isinstance(r, Future) and not r.done()]
        if len(pending) > 2 * self._workers:
            wait(pending, return_when=FIRST_COMPLETED)

    def finish(self, progress: Callable[[int, int], None] | None = None) -> _Hashed:
        """All key hashes, in name order, and the sorted distinct tier-1 keys."""
        parts = []
        keys: set[str] = set()
        try:
            for i, r in enumerate(self._results):
                h1, ids1, h2, text = r.result() if isinstance(r, Future) else r
                parts.append((h1, ids1, h2))
                if text:
                    keys.update(text.split("\n"))
                self._results[i] = None
                if progress is not None:
                    progress(min((i + 1) * self.CHUNK, self._n), self._n)
        finally:
            if self._pool is not None:
                self._pool.shutdown()
        if not parts:
            empty = np.zeros(0, dtype=np.uint64)
            return empty, np.zeros(0, dtype=np.int32), empty, []
        return (
            np.concatenate([p[0] for p in parts]),
            np.concatenate([p[1] for p in parts]),
            np.concatenate([p[2] for p in parts]),
            sorted(keys),
        )


def primary_hashes(
    h1: npt.NDArray[np.uint64],
    ids1: npt.NDArray[np.int32],
    primary_name: npt.NDArray[np.int32],
    name_row: npt.NDArray[np.int32],
) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.uint64]]:
    """Tier-1 key hashes of each place's main name: the full key and the generic-free one.

    A query that matches one of them matched the main name (up to normalisation), which
    ranks above a match on an alternate name.
    """
    n_rows = len(primary_name)
    full = np.zeros(n_rows, dtype=np.uint64)
    core = np.zeros(n_rows, dtype=np.uint64)
    if n_rows == 0 or len(ids1) == 0:
        return full, core
    is_primary = np.zeros(len(name_row), dtype=bool)
    is_primary[primary_name] = True
    sel = np.flatnonzero(is_primary[ids1])
    rows = name_row[ids1[sel]]
    # Entries of one name are consecutive: the full key first, the generic-free one last.
    _, first = np.unique(rows, return_index=True)
    _, last_rev = np.unique(rows[::-1], return_index=True)
    last = len(rows) - 1 - last_rev
    full[rows[first]] = h1[sel[first]]
    core[rows[last]] = h1[sel[last]]
    return full, core


def dedupe_keys(
    hashes: npt.NDArray[np.uint64],
    ids: npt.NDArray[np.int32],
    name_row: npt.NDArray[np.int32],
) -> KeyTable:
    """A key table with one entry per (key, place): the first name of the place with it."""
    keep = hashes != 0
    hashes, ids = hashes[keep], ids[keep]
    rows = name_row[ids]
    order = np.lexsort((ids, rows, hashes))
    hashes, ids, rows = hashes[order], ids[order], rows[order]
    first = np.ones(len(hashes), dtype=bool)
    first[1:] = (hashes[1:] != hashes[:-1]) | (rows[1:] != rows[:-1])
    return KeyTable(hashes[first], ids[first])
