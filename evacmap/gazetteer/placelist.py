"""Place lists an analyst brings (GeoNames dumps, OCHA tables) turned into index layers.

:func:`read_place_list` recognises the file and hands it to its reader —
:mod:`~evacmap.gazetteer.geonames_dump` for GeoNames dumps and alternate names,
:mod:`~evacmap.gazetteer.cod` for OCHA common operational datasets and other place
tables — which stream rows into a :class:`PlaceListBuilder`. The result is a columnar
:class:`~evacmap.gazetteer._index.PlaceIndex` (saved and memory-mapped by
:class:`~evacmap.gazetteer.store.PlaceStore`) and an :class:`ImportSummary` saying what
was read and what was left out, and why.
"""

from __future__ import annotations

import logging
import os
import zipfile
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from evacmap.errors import InputError, Problem, source_label
from evacmap.gazetteer._index import KIND_CODE, PlaceIndex
from evacmap.gazetteer._keys import NameIndexBuilder
from evacmap.model import PlaceKind

__all__ = [
    "ImportSummary",
    "PlaceListBuilder",
    "detect_format",
    "is_places_file",
    "read_place_list",
    "zip_member",
]

logger = logging.getLogger(__name__)

#: Problems kept in a summary (the rest are counted).
MAX_PROBLEMS = 20

#: What :func:`detect_format` may answer.
FORMATS = ("geonames", "alternate_names", "table", "vector")

_VECTOR_SUFFIXES = frozenset({".gpkg", ".shp", ".geojson", ".json", ".fgb", ".gml", ".kml"})
_TABLE_SUFFIXES = frozenset({".csv", ".tsv", ".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"})


@dataclass
class ImportSummary:
    """What an import read, kept and left out.

    Attributes
    ----------
    source
        The file, as named in messages.
    format
        One of :data:`FORMATS`.
    rows
        Data rows read.
    places
        Places indexed (rows kept, plus admin units derived from them).
    names
        Names indexed (every spelling of every place).
    skipped
        Rows left out, by reason.
    problems
        The first :data:`MAX_PROBLEMS` rows left out, each with its location.
    derived
        Admin units placed from their member places (OCHA tables).
    """

    source: str
    format: str
    rows: int = 0
    places: int = 0
    names: int = 0
    skipped: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    derived: int = 0

    def skip(self, reason: str, problem: Problem | None = None) -> None:
        """Count a row left out (and keep its problem, among the first ones)."""
        self.skipped[reason] = self.skipped.get(reason, 0) + 1
        if problem is not None and len(self.problems) < MAX_PROBLEMS:
            self.problems.append(problem)

    @property
    def n_skipped(self) -> int:
        """Rows left out, all reasons together."""
        return sum(self.skipped.values())

    def describe(self) -> str:
        """One line: what was read and kept, and what was left out.

        Examples
        --------
        >>> s = ImportSummary("SY.txt", "geonames", rows=3, places=2, names=5)
        >>> s.skip("country not asked for")
        >>> s.describe()
        'SY.txt (geonames): 2 places, 5 names from 3 rows; 1 left out (country not asked for: 1)'
        """
        text = f"{self.source} ({self.format}): {self.places:,} places, {self.names:,} names"
        text += f" from {self.rows:,} rows"
        if self.derived:
            text += f" ({self.derived:,} admin units placed at a member place)"
        if self.skipped:
            reasons = ", ".join(f"{k}: {v:,}" for k, v in sorted(self.skipped.items()))
            text += f"; {self.n_skipped:,} left out ({reasons})"
        return text


class PlaceListBuilder:
    """Collects places row by row into columns, and their names into a name index.

    Memory holds the columns and names of the places kept, never the input file.
    """

    def __init__(self, *, parallel: bool = False) -> None:
        self.lat = array("d")
        self.lon = array("d")
        self.population = array("q")
        self.kind = array("b")
        self.geonames_id = array("q")
        self.primary = array("i")
        self.approximate = array("b")
        self.country: list[str] = []
        self.admin1: list[str] = []
        self.pcode: list[str] = []
        self.admin1_name: list[str] = []
        self.admin1_pcode: list[str] = []
        self._names = NameIndexBuilder(parallel=parallel)
        self._pending: list[str] = []
        self._pending_rows: list[int] = []

    def __len__(self) -> int:
        return len(self.lat)

    def add(
        self,
        names: Sequence[str],
        lat: float,
        lon: float,
        *,
        country: str = "",
        kind: PlaceKind = PlaceKind.TOWN,
        admin1: str = "",
        population: int = 0,
        geonames_id: int = 0,
        pcode: str = "",
        admin1_name: str = "",
        admin1_pcode: str = "",
        approximate: bool = False,
    ) -> int:
        """Add one place (its first name is its display name); returns its row."""
        row = len(self.lat)
        self.lat.append(lat)
        self.lon.append(lon)
        self.population.append(population)
        self.kind.append(KIND_CODE[kind])
        self.geonames_id.append(geonames_id)
        self.approximate.append(approximate)
        self.country.append(country)
        self.admin1.append(admin1)
        self.pcode.append(pcode.upper())
        self.admin1_name.append(admin1_name)
        self.admin1_pcode.append(admin1_pcode.upper())
        self.primary.append(len(self._names) + len(self._pending))
        for n in names:
            self._pending.append(n)
            self._pending_rows.append(row)
        if len(self._pending) >= NameIndexBuilder.CHUNK:
            self._flush()
        return row

    def _flush(self) -> None:
        if self._pending:
            self._names.add(self._pending, self._pending_rows)
            self._pending, self._pending_rows = [], []

    @property
    def n_names(self) -> int:
        """Names added so far."""
        return len(self._names) + len(self._pending)

    def finish(
        self,
        *,
        source: str,
        admin1: dict[tuple[str, str], tuple[str, str]] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> PlaceIndex:
        """The index of everything added."""
        self._flush()

        def text(values: list[str]) -> np.ndarray[Any, Any]:
            width = max(1, max(map(len, values), default=1))
            return np.array(values, dtype=f"<U{width}")

        columns: dict[str, np.ndarray[Any, Any]] = {
            "lat": np.frombuffer(self.lat, dtype=np.float64).copy(),
            "lon": np.frombuffer(self.lon, dtype=np.float64).copy(),
            "country": np.array(self.country, dtype="<U2"),
            "admin1": text(self.admin1),
            "population": np.frombuffer(self.population, dtype=np.int64).copy(),
            "kind": np.frombuffer(self.kind, dtype=np.int8).copy(),
            "geonames_id": np.frombuffer(self.geonames_id, dtype=np.int64).copy(),
            "primary_name": np.frombuffer(self.primary, dtype=np.int32).copy(),
            "approximate": np.frombuffer(self.approximate, dtype=np.int8).astype(bool),
        }
        if any(self.pcode) or any(self.admin1_name) or any(self.admin1_pcode):
            columns["pcode"] = text(self.pcode)
            columns["admin1_name"] = text(self.admin1_name)
            columns["admin1_pcode"] = text(self.admin1_pcode)
        return PlaceIndex.from_builder(
            columns, self._names, source=source, admin1=admin1, progress=progress
        )


def zip_member(path: Path) -> str:
    """The data file inside a GeoNames zip (not its readme or language codes)."""
    try:
        with zipfile.ZipFile(path) as zf:
            names = [n for n in zf.namelist() if n.lower().endswith(".txt")]
    except (OSError, zipfile.BadZipFile) as exc:
        raise InputError(f"{source_label(path)} is not a readable zip file ({exc})") from exc
    data = [n for n in names if not n.lower().startswith(("readme", "iso-languagecodes"))]
    if not data:
        raise InputError(
            f"{source_label(path)} holds no GeoNames .txt file (files: {', '.join(names)})",
            hint="give a GeoNames dump such as SY.zip, cities1000.zip or alternateNamesV2.zip",
        )
    return data[0]


def detect_format(path: str | os.PathLike[str]) -> str:
    """Which reader a file needs: one of :data:`FORMATS`.

    GeoNames files are told apart by their content (19 tab-separated columns for a
    dump, 8 or 10 for alternate names), whatever their name.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> row = "\\t".join(["1", "X", "X", "", "1", "2", "P", "PPL"] + [""] * 11)
    >>> _ = (d / "SY.txt").write_text(row + "\\n")
    >>> _ = (d / "camps.csv").write_text("name,lat,lon\\n")
    >>> detect_format(d / "SY.txt"), detect_format(d / "camps.csv")
    ('geonames', 'table')
    """
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in _VECTOR_SUFFIXES:
        return "vector"
    if suffix in _TABLE_SUFFIXES:
        return "table"
    if suffix == ".zip":
        member = zip_member(p)
        with zipfile.ZipFile(p) as zf, zf.open(member) as fh:
            first = fh.readline().decode("utf-8", "replace")
        return _sniff_geonames(first, p)
    try:
        with p.open("rb") as fh:
            first = fh.readline(1 << 16).decode("utf-8", "replace")
    except OSError as exc:
        raise InputError(f"cannot read {source_label(p)!r}: {exc.strerror or exc}") from exc
    if "\t" in first:
        return _sniff_geonames(first, p, strict=False)
    return "table"


def _sniff_geonames(first: str, path: Path, *, strict: bool = True) -> str:
    fields = first.rstrip("\r\n").split("\t")
    if len(fields) == 19 and fields[0].isdigit():
        return "geonames"
    if len(fields) in (8, 10) and fields[0].isdigit() and fields[1].isdigit():
        return "alternate_names"
    if not strict:
        return "table"
    raise InputError(
        f"{source_label(path)} is not a GeoNames file: its first line has {len(fields)} "
        "tab-separated columns (a dump has 19, alternate names 8 or 10)",
        hint="give the file as downloaded from GeoNames (SY.zip, cities1000.zip, "
        "alternateNamesV2.zip, or their .txt)",
    )


def is_places_file(path: str | os.PathLike[str]) -> bool:
    """Whether a file is in evacmap's own places format (see :func:`~evacmap.gazetteer.read_places`).

    A GeoJSON file, or a table whose header has ``name``, ``lat`` and ``lon``.
    """
    p = Path(path)
    if p.suffix.lower() in (".geojson", ".json"):
        return True
    if detect_format(p) != "table":
        return False
    from evacmap._tabular import read_table

    columns = {c.strip().lower() for c in read_table(p).columns}
    return {"name", "lat", "lon"} <= columns


def read_place_list(
    path: str | os.PathLike[str],
    *,
    countries: Sequence[str] | None = None,
    sheet: str | int | None = None,
    admin1: dict[tuple[str, str], tuple[str, str]] | None = None,
    base: Sequence[PlaceIndex] = (),
    progress: Callable[[int, int], None] | None = None,
) -> tuple[PlaceIndex, ImportSummary]:
    """Read a GeoNames dump, alternate-names file or OCHA-style table into a layer.

    Parameters
    ----------
    path
        The file: a GeoNames dump (``SY.zip``, ``allCountries.zip``, ``cities1000.zip``
        or their ``.txt``), ``alternateNamesV2.zip``/``.txt``, a table (CSV, XLSX, ODS)
        or a GeoPackage / shapefile / GeoJSON of points or polygons.
    countries
        Keep only places of these ISO codes (GeoNames dumps; e.g. to take the region
        out of ``allCountries.zip``).
    sheet
        The sheet of a spreadsheet.
    admin1
        GeoNames admin1 crosswalk, ``(country, code) -> (name, P-code)``.
    base
        Layers whose places alternate names are added to (alternate names only).
    progress
        Called as ``progress(done, total)`` while names are indexed.

    Returns
    -------
    tuple
        The layer, and what was read and left out.

    Raises
    ------
    InputError
        When the file cannot be read or is in no format evacmap knows.
    """
    fmt = detect_format(path)
    if fmt == "geonames":
        from evacmap.gazetteer.geonames_dump import read_geonames_dump

        return read_geonames_dump(path, countries=countries, admin1=admin1, progress=progress)
    if fmt == "alternate_names":
        from evacmap.gazetteer.geonames_dump import read_alternate_names

        return read_alternate_names(path, base, admin1=admin1, progress=progress)
    from evacmap.gazetteer.cod import read_cod

    return read_cod(path, sheet=sheet, vector=fmt == "vector")
