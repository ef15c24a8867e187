"""Columnar place tables and hashed name indexes, built in memory or loaded from a cache.

A :class:`PlaceIndex` holds places as numpy columns and every name of every place in
one UTF-8 blob. Two sorted arrays of 64-bit key hashes (tier 1: :func:`name_key`,
tier 2: :func:`skeleton_key`) point at names, and names point at places. Lookups are a
hash and a binary search; loading a saved index is a handful of memory-mapped
``.npy`` files, so a fresh process answers its first query in milliseconds.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import multiprocessing
import os
import shutil
import tempfile
from array import array
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from evacmap.gazetteer.normalize import name_key, skeleton_key, split_generic
from evacmap.model import Place, PlaceKind

logger = logging.getLogger(__name__)

#: Bump when the saved layout changes; part of every cache key.
INDEX_FORMAT = 6

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


def _mapped(path: Path) -> np.ndarray[Any, Any]:
    """A saved array, memory-mapped, as a plain ndarray view.

    The view shares the mapping; dropping the ``np.memmap`` subclass avoids its
    per-indexing overhead, which dominates small lookups.
    """
    return np.asarray(np.load(path, mmap_mode="r", allow_pickle=False))


def slot_constructor(cls: type[Any]) -> Callable[..., Any]:
    """A fast positional constructor for a frozen, slotted dataclass, without checks.

    For objects whose fields come straight from a validated index (:class:`Place` rows
    of GeoNames, the :class:`~evacmap.model.Candidate` and
    :class:`~evacmap.model.Match` results of a batch): it skips the generated
    ``__init__`` and ``__post_init__``, about three times faster. Values follow the
    dataclass's field order.

    Examples
    --------
    >>> make = slot_constructor(Place)
    >>> make("Homs", 34.7, 36.7, "SY", "", PlaceKind.CITY, None, None, None, (), False,
    ...      "", None, "x").name
    'Homs'
    """
    setters = [cls.__dict__[f.name].__set__ for f in dataclasses.fields(cls)]
    new = object.__new__

    def make(*values: Any) -> Any:
        obj = new(cls)
        for setter, value in zip(setters, values, strict=True):
            setter(obj, value)
        return obj

    return make


_trusted_place = slot_constructor(Place)


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


class _NameIndexBuilder:
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


def _primary_hashes(
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


def _text_column(columns: dict[str, np.ndarray[Any, Any]], name: str, idx: IntArray) -> list[str]:
    col = columns.get(name)
    if col is None:
        return [""] * len(idx)
    return [str(v) for v in np.asarray(col[idx]).tolist()]


class PlaceIndex:
    """Places in columns plus a two-tier name index.

    Columnar layers have the columns ``lat``, ``lon``, ``country``, ``admin1`` (a
    GeoNames admin1 code, turned into a name and P-code through :attr:`admin1`),
    ``population``, ``kind``, ``geonames_id`` and ``primary_name``, and may have
    ``pcode``, ``admin1_name``, ``admin1_pcode`` (OCHA tables) and ``approximate``.

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

    def names(self, name_ids: Iterable[int]) -> list[str]:
        """Several names by id."""
        ids = np.asarray(list(name_ids), dtype=np.int64)
        starts = np.asarray(self._offsets[ids]).tolist()
        ends = np.asarray(self._offsets[ids + 1]).tolist()
        blob = self._blob
        return [bytes(blob[a:b]).decode("utf-8") for a, b in zip(starts, ends, strict=True)]

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
        return self.places([row])[0]

    def places(self, rows: Sequence[int] | IntArray) -> list[Place]:
        """The :class:`Place` objects at several rows (columns are read once for all)."""
        if self._places is not None:
            return [self._places[int(r)] for r in rows]
        idx = np.asarray(rows, dtype=np.int64)
        c = self.columns
        n = len(idx)
        names = self.names(np.asarray(c["primary_name"][idx]).tolist())
        pcodes = _text_column(c, "pcode", idx)
        adm1_names = _text_column(c, "admin1_name", idx)
        adm1_pcodes = _text_column(c, "admin1_pcode", idx)
        approx = (
            np.asarray(c["approximate"][idx]).tolist() if "approximate" in c else [False] * n
        )
        out = []
        for name, lat, lon, country, adm1, kind, gid, pop, pcode, a1n, a1p, ap in zip(
            names,
            np.asarray(c["lat"][idx]).tolist(),
            np.asarray(c["lon"][idx]).tolist(),
            np.asarray(c["country"][idx]).tolist(),
            np.asarray(c["admin1"][idx]).tolist(),
            np.asarray(c["kind"][idx]).tolist(),
            np.asarray(c["geonames_id"][idx]).tolist(),
            np.asarray(c["population"][idx]).tolist(),
            pcodes,
            adm1_names,
            adm1_pcodes,
            approx,
            strict=True,
        ):
            if a1n or a1p:
                admin1_name, admin1_pcode = a1n, a1p
            else:
                admin1_name, admin1_pcode = self.admin1.get((country, adm1), ("", ""))
            if gid:
                pid = f"geonames:{gid}"
            elif pcode:
                pid = f"pcode:{pcode}"
            else:
                pid = f"point:{lat:.5f},{lon:.5f}"
            out.append(
                _trusted_place(
                    name,
                    lat,
                    lon,
                    country,
                    admin1_name,
                    KINDS[kind],
                    gid or None,
                    pcode or None,
                    admin1_pcode or None,
                    (),
                    bool(ap),
                    self.source,
                    (pop or None) if pcode else pop,
                    pid,
                )
            )
        return out

    # -- the small public surface the gazetteer front end uses ---------------------------
    @property
    def held_places(self) -> Sequence[Place] | None:
        """The places as :class:`Place` objects when the layer holds them (small layers).

        ``None`` for a columnar layer (GeoNames, imported lists), whose places are only
        built for answers.
        """
        return self._places

    def rows_of(self, name_ids: npt.NDArray[np.integer[Any]]) -> IntArray:
        """The place rows of several names."""
        return np.asarray(self._name_row[name_ids], dtype=np.int64)

    def ids(self, rows: Sequence[int] | IntArray) -> list[str]:
        """The place ids at several rows (without building the places of a columnar layer)."""
        if self._places is not None:
            return [self._places[int(r)].id for r in rows]
        idx = np.asarray(rows, dtype=np.int64)
        gids = np.asarray(self.columns["geonames_id"][idx]).tolist()
        if "pcode" in self.columns and not all(gids):
            return [p.id for p in self.places(idx)]
        return [f"geonames:{g}" for g in gids]

    def row_by_pcode(self, pcode: str) -> int | None:
        """The row of an OCHA P-code (compared in upper case), if the layer holds it."""
        code = pcode.strip().upper()
        if self._places is not None:
            for i, p in enumerate(self._places):
                if p.pcode and p.pcode.upper() == code:
                    return i
            return None
        col = self.columns.get("pcode")
        if col is None or not len(col):
            return None
        hit = np.flatnonzero(np.asarray(col) == code)  # stored upper-case
        return int(hit[0]) if len(hit) else None

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
        builder = _NameIndexBuilder(parallel=len(names) > 4 * _NameIndexBuilder.CHUNK)
        step = _NameIndexBuilder.CHUNK
        for s in range(0, len(names), step):
            builder.add(names[s : s + step], name_rows[s : s + step])
        return cls.from_builder(columns, builder, source=source, admin1=admin1, progress=progress)

    @classmethod
    def from_builder(
        cls,
        columns: dict[str, np.ndarray[Any, Any]],
        builder: _NameIndexBuilder,
        *,
        places: Sequence[Place] | None = None,
        source: str = "",
        admin1: dict[tuple[str, str], tuple[str, str]] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> PlaceIndex:
        """Finish an index whose names were streamed into a :class:`_NameIndexBuilder`."""
        h1, ids1, h2, keys = builder.finish(progress)
        blob = np.frombuffer(bytes(builder.blob), dtype=np.uint8)
        builder.blob = bytearray()
        offsets = np.frombuffer(builder.offsets, dtype=np.int64).copy()
        name_row = np.frombuffer(builder.name_row, dtype=np.int32).copy()
        fuzzy = np.frombuffer("\n".join(keys).encode("utf-8"), dtype=np.uint8)
        del keys
        columns = dict(columns)
        columns["primary_h1"], columns["primary_h1_core"] = _primary_hashes(
            h1, ids1, np.asarray(columns["primary_name"]), name_row
        )
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
        builder = _NameIndexBuilder()
        builder.add(names, name_rows)
        return cls.from_builder(
            columns, builder, places=places, source=source, admin1=admin1, progress=progress
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
            return _mapped(folder / f"{name}.npy")

        columns = {p.stem[4:]: _mapped(p) for p in folder.glob("col_*.npy")}
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
