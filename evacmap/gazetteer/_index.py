"""Columnar place tables and hashed name indexes, built in memory or loaded from a cache.

A :class:`PlaceIndex` holds places as numpy columns and every name of every place in
one UTF-8 blob. Two sorted arrays of 64-bit key hashes (tier 1: :func:`name_key`,
tier 2: :func:`skeleton_key`) point at names, and names point at places. Lookups are a
hash and a binary search; loading a saved index is a handful of memory-mapped
``.npy`` files, so a fresh process answers its first query in milliseconds.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from evacmap.gazetteer._fuzzykeys import FuzzyKeys, key_arrays
from evacmap.gazetteer._geo import haversine_km
from evacmap.gazetteer._keys import KeyTable, NameIndexBuilder, dedupe_keys, primary_hashes
from evacmap.gazetteer._trusted import trusted_place
from evacmap.model import Place, PlaceKind

logger = logging.getLogger(__name__)

#: Bump when the saved layout changes; part of every cache key. 7: the fuzzy keys'
#: lengths and masks (:mod:`._fuzzykeys`).
INDEX_FORMAT = 7

KINDS: tuple[PlaceKind, ...] = tuple(PlaceKind)
#: The code of each kind in the ``kind`` column.
KIND_CODE = {k: i for i, k in enumerate(KINDS)}

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FuzzyArrays = tuple[IntArray, npt.NDArray[np.int32], npt.NDArray[np.uint64]]


class RowAttributes(NamedTuple):
    """What the ranker reads of candidate rows, as arrays."""

    lat: npt.NDArray[np.float64]
    lon: npt.NDArray[np.float64]
    country: npt.NDArray[np.str_]
    kind: npt.NDArray[np.int8]
    population: IntArray


def _mapped(path: Path) -> np.ndarray[Any, Any]:
    """A saved array, memory-mapped, as a plain ndarray view.

    The view shares the mapping; dropping the ``np.memmap`` subclass avoids its
    per-indexing overhead, which dominates small lookups.
    """
    return np.asarray(np.load(path, mmap_mode="r", allow_pickle=False))


@dataclass(frozen=True)
class Hit:
    """One index entry that matched: a place row and the name that matched."""

    row: int
    name_id: int


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

    Build one with :meth:`from_places` (small, in memory) or :meth:`from_builder`
    (large, streamed: GeoNames, imported lists), save it with :meth:`save` and reopen
    it with :meth:`load`.
    """

    def __init__(
        self,
        columns: dict[str, np.ndarray[Any, Any]],
        names_blob: bytes | npt.NDArray[np.uint8],
        name_offsets: IntArray,
        name_row: npt.NDArray[np.int32],
        tier1: KeyTable,
        tier2: KeyTable,
        fuzzy_blob: npt.NDArray[np.uint8],
        *,
        fuzzy_arrays: FuzzyArrays | None = None,
        places: Sequence[Place] | None = None,
        source: str = "",
        admin1: dict[tuple[str, str], tuple[str, str]] | None = None,
    ) -> None:
        self._columns = columns
        self._blob = names_blob
        self._offsets = name_offsets
        self._name_row = name_row
        self._tier1 = tier1
        self._tier2 = tier2
        self._places = list(places) if places is not None else None
        self.source = source
        self.admin1 = admin1 or {}
        self._fuzzy = FuzzyKeys(fuzzy_blob, fuzzy_arrays)
        self._by_gid: dict[int, int] | None = None

    # -- sizes and names ---------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._columns["lat"])

    @property
    def n_names(self) -> int:
        """Number of names (all spellings of all places)."""
        return len(self._offsets) - 1

    def name(self, name_id: int) -> str:
        """The name with id `name_id`."""
        start, end = int(self._offsets[name_id]), int(self._offsets[name_id + 1])
        return bytes(self._blob[start:end]).decode("utf-8")

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
        table = self._tier1 if tier == 1 else self._tier2
        return [Hit(int(self._name_row[n]), int(n)) for n in table.find(key)]

    def fuzzy_choices(self) -> list[str]:
        """Every distinct tier-1 key, sorted, for fuzzy matching (decoded on first use)."""
        return self._fuzzy.all()

    @property
    def fuzzy_keys(self) -> FuzzyKeys:
        """The distinct tier-1 keys with their pre-filter (see :mod:`._fuzzykeys`)."""
        return self._fuzzy

    def row_by_geonames_id(self, geonames_id: int) -> int | None:
        """The row of a GeoNames id, if the index holds it."""
        if self._by_gid is None:
            gids = self._columns["geonames_id"]
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
        c = self._columns
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
                trusted_place(
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
        gids = np.asarray(self._columns["geonames_id"][idx]).tolist()
        if "pcode" in self._columns and not all(gids):
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
        col = self._columns.get("pcode")
        if col is None or not len(col):
            return None
        hit = np.flatnonzero(np.asarray(col) == code)  # stored upper-case
        return int(hit[0]) if len(hit) else None

    # -- columns, for the ranker and the front end ----------------------------------------
    def find_many(
        self, hashes: npt.NDArray[np.uint64], *, tier: int = 1
    ) -> tuple[IntArray, npt.NDArray[np.int32]]:
        """Every tier-`tier` entry for many key hashes (see :func:`~._keys.key_hash`).

        Returns the position in `hashes` of each entry found, and its name id.
        """
        return (self._tier1 if tier == 1 else self._tier2).find_many(hashes)

    def has_key(self, key: str) -> bool:
        """Whether some name of the layer has the tier-1 key `key` (already normalised)."""
        return len(self._tier1.find(key)) > 0

    def attributes(self, rows: IntArray) -> RowAttributes:
        """The ranking attributes of some rows: position, country, kind, population."""
        c = self._columns
        return RowAttributes(
            c["lat"][rows], c["lon"][rows], c["country"][rows], c["kind"][rows],
            c["population"][rows],
        )

    def primary_name_ids(self, rows: IntArray) -> npt.NDArray[np.int32]:
        """The name id of each row's main name."""
        return np.asarray(self._columns["primary_name"][rows])

    def is_primary_key(self, rows: IntArray, hashes: npt.NDArray[np.uint64]) -> BoolArray:
        """Whether each tier-1 key hash is that of its row's main name.

        With or without its generic words: such a match ranks above one on an
        alternate name.
        """
        c = self._columns
        full = np.asarray(c["primary_h1"][rows]) == hashes
        core = np.asarray(c["primary_h1_core"][rows]) == hashes
        return np.asarray(full | core, dtype=bool)

    def geonames_ids(self, rows: IntArray | None = None) -> IntArray:
        """The GeoNames id of some rows (all rows by default; 0 where there is none)."""
        if self._places is not None:
            held = self._places if rows is None else [self._places[int(r)] for r in rows]
            return np.array([p.geonames_id or 0 for p in held], dtype=np.int64)
        col = self._columns["geonames_id"]
        return np.asarray(col if rows is None else col[rows], dtype=np.int64)

    def pcodes(self, rows: IntArray | None = None) -> npt.NDArray[np.str_]:
        """The P-code of some rows, upper case (all rows by default; "" where none)."""
        if self._places is not None:
            held = self._places if rows is None else [self._places[int(r)] for r in rows]
            return np.array([(p.pcode or "").upper() for p in held] or [""], dtype=str)[
                : len(held)
            ]
        n = len(self) if rows is None else len(rows)
        col = self._columns.get("pcode")
        if col is None:
            return np.full(n, "", dtype="<U1")
        return np.asarray(col if rows is None else col[rows])

    def admin1_code(self, row: int) -> str:
        """The row's GeoNames admin1 code (columnar layers; a P-code in held ones)."""
        return str(np.asarray(self._columns["admin1"][row]))

    def populations(self, geonames_ids: Iterable[int]) -> dict[int, int]:
        """GeoNames id -> population, for the ids the layer holds."""
        gids = self.geonames_ids()
        rows = np.flatnonzero(np.isin(gids, list(geonames_ids)))
        pop = self._columns["population"]
        return {int(gids[r]): int(pop[r]) for r in rows}

    def nearest_row(
        self, lat: float, lon: float, *, country: str | None = None
    ) -> tuple[float, int] | None:
        """The distance in km to the layer's nearest place (countries left out) and its row.

        ``None`` when the layer has no place (in `country`, if given).
        """
        c = self._columns
        dist = haversine_km(lat, lon, c["lat"], c["lon"])
        dist = np.where(c["kind"] == KIND_CODE[PlaceKind.COUNTRY], np.inf, dist)
        if country:
            dist = np.where(c["country"] == country.upper(), dist, np.inf)
        if len(dist) == 0:
            return None
        i = int(np.argmin(dist))
        return (float(dist[i]), i) if np.isfinite(dist[i]) else None

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
            "kind": np.array([KIND_CODE[p.kind] for p in places], dtype=np.int8),
            "geonames_id": np.array([p.geonames_id or 0 for p in places], dtype=np.int64),
            "primary_name": np.array(primary, dtype=np.int32),
        }
        return cls._assemble(columns, names, rows, places=places, source=source)

    @classmethod
    def from_builder(
        cls,
        columns: dict[str, np.ndarray[Any, Any]],
        builder: NameIndexBuilder,
        *,
        places: Sequence[Place] | None = None,
        source: str = "",
        admin1: dict[tuple[str, str], tuple[str, str]] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> PlaceIndex:
        """Finish an index whose names were streamed into a :class:`NameIndexBuilder`."""
        h1, ids1, h2, keys = builder.finish(progress)
        blob = np.frombuffer(bytes(builder.blob), dtype=np.uint8)
        builder.blob = bytearray()
        offsets = np.frombuffer(builder.offsets, dtype=np.int64).copy()
        name_row = np.frombuffer(builder.name_row, dtype=np.int32).copy()
        fuzzy = np.frombuffer("\n".join(keys).encode("utf-8"), dtype=np.uint8)
        del keys
        columns = dict(columns)
        columns["primary_h1"], columns["primary_h1_core"] = primary_hashes(
            h1, ids1, np.asarray(columns["primary_name"]), name_row
        )
        return cls(
            columns,
            blob,
            offsets,
            name_row,
            dedupe_keys(h1, ids1, name_row),
            dedupe_keys(h2, np.arange(len(h2), dtype=np.int32), name_row),
            fuzzy,
            fuzzy_arrays=key_arrays(fuzzy),
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
        builder = NameIndexBuilder()
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
                f"col_{k}": v for k, v in self._columns.items()
            }
            arrays.update(
                names_blob=np.asarray(self._blob, dtype=np.uint8),
                name_offsets=self._offsets,
                name_row=self._name_row,
                t1_hashes=self._tier1.hashes,
                t1_names=self._tier1.name_ids,
                t2_hashes=self._tier2.hashes,
                t2_names=self._tier2.name_ids,
                fuzzy_blob=np.asarray(self._fuzzy.blob, dtype=np.uint8),
            )
            if self._fuzzy.arrays is not None:
                starts, lengths, masks = self._fuzzy.arrays
                arrays.update(fuzzy_start=starts, fuzzy_len=lengths, fuzzy_mask=masks)
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
    def load(
        cls, directory: str | os.PathLike[str], *, places: Sequence[Place] | None = None
    ) -> tuple[PlaceIndex, dict[str, Any]]:
        """Open an index written by :meth:`save` (memory-mapped, so it opens fast).

        `places`, the layer's places in row order, makes it a layer that holds them
        (see :attr:`held_places`), as :meth:`from_places` does.
        """
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
            KeyTable(arr("t1_hashes"), arr("t1_names")),
            KeyTable(arr("t2_hashes"), arr("t2_names")),
            arr("fuzzy_blob"),
            # Saved since evacmap added the fuzzy pre-filter; older folders lack them.
            fuzzy_arrays=(
                (arr("fuzzy_start"), arr("fuzzy_len"), arr("fuzzy_mask"))
                if (folder / "fuzzy_mask.npy").is_file()
                else None
            ),
            places=places,
            source=meta.get("source", ""),
            admin1=admin1,
        )
        if places is not None and len(places) != len(index):
            raise ValueError(f"{len(places)} places for an index of {len(index)} rows")
        return index, meta
