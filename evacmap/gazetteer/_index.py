"""Columnar place tables and hashed name indexes, built in memory or loaded from a cache.

A :class:`PlaceIndex` holds places as numpy columns and every name of every place in
one UTF-8 blob. Two sorted arrays of 64-bit key hashes (tier 1: :func:`name_key`,
tier 2: :func:`skeleton_key`) point at names, and names point at places. Lookups are a
hash and a binary search; loading a saved index is a handful of memory-mapped
``.npy`` files, so a fresh process answers its first query in milliseconds.
"""

from __future__ import annotations

import hashlib
import json
import logging
import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from evacmap.gazetteer.normalize import name_key, skeleton_key, split_generic
from evacmap.model import Place, PlaceKind

logger = logging.getLogger(__name__)

#: Bump when the saved layout changes; part of every cache key.
INDEX_FORMAT = 5

KINDS: tuple[PlaceKind, ...] = tuple(PlaceKind)
_KIND_CODE = {k: i for i, k in enumerate(KINDS)}

IntArray = npt.NDArray[np.int64]


def key_hash(key: str) -> int:
    """A stable 64-bit hash of a key (the same in every process).

    Examples
    --------
    >>> key_hash("homs") == key_hash("homs") != key_hash("hims")
    True
    """
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


@dataclass(frozen=True)
class Hit:
    """One index entry that matched: a place row and the name that matched."""

    row: int
    name_id: int


class _KeyTable:
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


def _hash_names(names: Sequence[str], progress: Callable[[int, int], None] | None) -> _Hashed:
    """Hash the keys of many names, in chunks, on every core for big inputs."""
    total = len(names)
    chunk = 50_000
    starts = list(range(0, total, chunk))
    parts: list[_Hashed] = []
    workers = min(os.cpu_count() or 1, 8)
    if total > 4 * chunk and workers > 1 and "fork" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            futures = [pool.submit(_hash_chunk, names[s : s + chunk], s) for s in starts]
            for i, fut in enumerate(futures):
                parts.append(fut.result())
                if progress is not None:
                    progress(min((i + 1) * chunk, total), total)
    else:
        for s in starts:
            parts.append(_hash_chunk(names[s : s + chunk], s))
            if progress is not None:
                progress(min(s + chunk, total), total)
    if not parts:
        empty = np.zeros(0, dtype=np.uint64)
        return empty, np.zeros(0, dtype=np.int32), empty, []
    keys = sorted({k for p in parts for k in p[3]})
    return (
        np.concatenate([p[0] for p in parts]),
        np.concatenate([p[1] for p in parts]),
        np.concatenate([p[2] for p in parts]),
        keys,
    )


def _dedupe(
    hashes: npt.NDArray[np.uint64],
    ids: npt.NDArray[np.int32],
    name_row: npt.NDArray[np.int32],
) -> _KeyTable:
    """A key table with one entry per (key, place): the first name of the place with it."""
    keep = hashes != 0
    hashes, ids = hashes[keep], ids[keep]
    rows = name_row[ids]
    order = np.lexsort((ids, rows, hashes))
    hashes, ids, rows = hashes[order], ids[order], rows[order]
    first = np.ones(len(hashes), dtype=bool)
    first[1:] = (hashes[1:] != hashes[:-1]) | (rows[1:] != rows[:-1])
    return _KeyTable(hashes[first], ids[first])


class PlaceIndex:
    """Places in columns plus a two-tier name index.

    Build one with :meth:`from_places` (small, in memory) or :meth:`from_columns`
    (large, e.g. GeoNames), save it with :meth:`save` and reopen it with :meth:`load`.
    """

    def __init__(
        self,
        columns: dict[str, np.ndarray[Any, Any]],
        names_blob: bytes | npt.NDArray[np.uint8],
        name_offsets: IntArray,
        name_row: npt.NDArray[np.int32],
        tier1: _KeyTable,
        tier2: _KeyTable,
        fuzzy_blob: npt.NDArray[np.uint8],
        *,
        places: Sequence[Place] | None = None,
        source: str = "",
        admin1: dict[tuple[str, str], tuple[str, str]] | None = None,
    ) -> None:
        self.columns = columns
        self._blob = names_blob
        self._offsets = name_offsets
        self._name_row = name_row
        self.tier1 = tier1
        self.tier2 = tier2
        self._places = list(places) if places is not None else None
        self.source = source
        self.admin1 = admin1 or {}
        self._fuzzy_blob = fuzzy_blob
        self._fuzzy: list[str] | None = None
        self._by_gid: dict[int, int] | None = None

    # -- sizes and names ---------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.columns["lat"])

    @property
    def n_names(self) -> int:
        """Number of names (all spellings of all places)."""
        return len(self._offsets) - 1

    def name(self, name_id: int) -> str:
        """The name with id `name_id`."""
        start, end = int(self._offsets[name_id]), int(self._offsets[name_id + 1])
        return bytes(self._blob[start:end]).decode("utf-8")

    def row_of(self, name_id: int) -> int:
        """The place row a name belongs to."""
        return int(self._name_row[name_id])

    # -- lookup --------------------------------------------------------------------------
    def find(self, key: str, *, tier: int = 1) -> list[Hit]:
        """Index entries whose tier-`tier` key equals `key` (already normalised)."""
        table = self.tier1 if tier == 1 else self.tier2
        return [Hit(int(self._name_row[n]), int(n)) for n in table.find(key)]

    def fuzzy_choices(self) -> list[str]:
        """Every distinct tier-1 key, for fuzzy matching (decoded on first use)."""
        if self._fuzzy is None:
            text = bytes(self._fuzzy_blob).decode("utf-8")
            self._fuzzy = text.split("\n") if text else []
        return self._fuzzy

    def row_by_geonames_id(self, geonames_id: int) -> int | None:
        """The row of a GeoNames id, if the index holds it."""
        if self._by_gid is None:
            gids = self.columns["geonames_id"]
            self._by_gid = {int(g): i for i, g in enumerate(gids) if g}
        return self._by_gid.get(int(geonames_id))

    def place(self, row: int) -> Place:
        """The :class:`Place` at `row`."""
        if self._places is not None:
            return self._places[row]
        c = self.columns
        country = str(c["country"][row])
        admin1_code = str(c["admin1"][row])
        admin1_name, admin1_pcode = self.admin1.get((country, admin1_code), ("", ""))
        gid = int(c["geonames_id"][row])
        pop = int(c["population"][row])
        return Place(
            name=self.name(int(c["primary_name"][row])),
            lat=float(c["lat"][row]),
            lon=float(c["lon"][row]),
            country=country,
            admin1=admin1_name,
            admin1_pcode=admin1_pcode or None,
            kind=KINDS[int(c["kind"][row])],
            geonames_id=gid or None,
            population=pop,
            source=self.source,
        )

    # -- building --------------------------------------------------------------------------
    @classmethod
    def from_places(cls, places: Iterable[Place], *, source: str = "") -> PlaceIndex:
        """Index a (small) collection of places with all their names and aliases.

        Examples
        --------
        >>> idx = PlaceIndex.from_places([Place("Idlib", 35.93, 36.63, aliases=("Idleb",))])
        >>> [idx.name(h.name_id) for h in idx.find("idleb")]
        ['Idleb']
        """
        places = list(places)
        names: list[str] = []
        rows: list[int] = []
        primary: list[int] = []
        for row, p in enumerate(places):
            primary.append(len(names))
            for n in dict.fromkeys((p.name, *p.aliases)):
                names.append(n)
                rows.append(row)
        columns = {
            "lat": np.array([p.lat for p in places], dtype=np.float64),
            "lon": np.array([p.lon for p in places], dtype=np.float64),
            "country": np.array([p.country for p in places], dtype="<U2"),
            "admin1": np.array([p.admin1_pcode or "" for p in places], dtype="<U20"),
            "population": np.array([p.population or 0 for p in places], dtype=np.int64),
            "kind": np.array([_KIND_CODE[p.kind] for p in places], dtype=np.int8),
            "geonames_id": np.array([p.geonames_id or 0 for p in places], dtype=np.int64),
            "primary_name": np.array(primary, dtype=np.int32),
        }
        return cls._assemble(columns, names, rows, places=places, source=source)

    @classmethod
    def from_columns(
        cls,
        columns: dict[str, np.ndarray[Any, Any]],
        names: Sequence[str],
        name_rows: Sequence[int],
        *,
        source: str = "",
        admin1: dict[tuple[str, str], tuple[str, str]] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> PlaceIndex:
        """Index places given as columns (see :meth:`from_places` for the column names)."""
        return cls._assemble(
            columns, names, name_rows, source=source, admin1=admin1, progress=progress
        )

    @classmethod
    def _assemble(
        cls,
        columns: dict[str, np.ndarray[Any, Any]],
        names: Sequence[str],
        name_rows: Sequence[int],
        *,
        places: Sequence[Place] | None = None,
        source: str = "",
        admin1: dict[tuple[str, str], tuple[str, str]] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> PlaceIndex:
        encoded = [n.encode("utf-8") for n in names]
        offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
        np.cumsum([len(e) for e in encoded], out=offsets[1:])
        blob = np.frombuffer(b"".join(encoded), dtype=np.uint8)
        del encoded
        name_row = np.asarray(name_rows, dtype=np.int32)
        h1, ids1, h2, keys = _hash_names(names, progress)
        fuzzy = np.frombuffer("\n".join(keys).encode("utf-8"), dtype=np.uint8)
        del keys
        return cls(
            columns,
            blob,
            offsets,
            name_row,
            _dedupe(h1, ids1, name_row),
            _dedupe(h2, np.arange(len(h2), dtype=np.int32), name_row),
            fuzzy,
            places=places,
            source=source,
            admin1=admin1,
        )

    # -- saving and loading --------------------------------------------------------------
    def save(self, directory: str | os.PathLike[str], *, meta: dict[str, Any]) -> Path:
        """Write the index to `directory` atomically (a temporary folder, then rename)."""
        target = Path(directory)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=target.name + ".", dir=target.parent))
        try:
            arrays: dict[str, np.ndarray[Any, Any]] = {
                f"col_{k}": v for k, v in self.columns.items()
            }
            arrays.update(
                names_blob=np.asarray(self._blob, dtype=np.uint8),
                name_offsets=self._offsets,
                name_row=self._name_row,
                t1_hashes=self.tier1.hashes,
                t1_names=self.tier1.name_ids,
                t2_hashes=self.tier2.hashes,
                t2_names=self.tier2.name_ids,
                fuzzy_blob=np.asarray(self._fuzzy_blob, dtype=np.uint8),
            )
            for name, arr in arrays.items():
                np.save(tmp / f"{name}.npy", np.ascontiguousarray(arr), allow_pickle=False)
            admin1 = [[c, a, n, p] for (c, a), (n, p) in self.admin1.items()]
            full_meta = {**meta, "format": INDEX_FORMAT, "source": self.source, "admin1": admin1}
            (tmp / "meta.json").write_text(json.dumps(full_meta, ensure_ascii=False))
            if target.exists():
                shutil.rmtree(target, ignore_errors=True)
            os.replace(tmp, target)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return target

    @classmethod
    def load(cls, directory: str | os.PathLike[str]) -> tuple[PlaceIndex, dict[str, Any]]:
        """Open an index written by :meth:`save` (memory-mapped, so it opens fast)."""
        folder = Path(directory)
        meta: dict[str, Any] = json.loads((folder / "meta.json").read_text())

        def arr(name: str) -> np.ndarray[Any, Any]:
            return np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)

        columns = {
            p.stem[4:]: np.load(p, mmap_mode="r", allow_pickle=False)
            for p in folder.glob("col_*.npy")
        }
        admin1 = {(c, a): (n, p) for c, a, n, p in meta.get("admin1", [])}
        index = cls(
            columns,
            arr("names_blob"),
            arr("name_offsets"),
            arr("name_row"),
            _KeyTable(arr("t1_hashes"), arr("t1_names")),
            _KeyTable(arr("t2_hashes"), arr("t2_names")),
            arr("fuzzy_blob"),
            source=meta.get("source", ""),
            admin1=admin1,
        )
        return index, meta
