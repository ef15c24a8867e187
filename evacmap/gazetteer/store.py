"""The analyst's imported place lists, kept as memory-mapped index layers.

``evacmap gazetteer add SY.zip syr_pplp.xlsx`` reads each file once
(:func:`~evacmap.gazetteer.placelist.read_place_list`) and saves its index in a
folder of the store; every later process memory-maps it, so the first answer stays
fast however big the list. The store lives in ``<cache>/places`` (the cache folder of
:func:`evacmap.gazetteer.geonames.cache_dir`), or in the folder named by the
``EVACMAP_PLACES_DIR`` environment variable, or the folder given.

Layers are stacked newest first, below the user's ``--places`` file and evacmap's
curated places, above GeoNames ``cities500``. A layer built with older normalisation
rules or another index format is *stale*: it is skipped (and listed as such) until
its file is added again.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evacmap.errors import GazetteerError, InputError, source_label
from evacmap.gazetteer._index import INDEX_FORMAT, PlaceIndex
from evacmap.gazetteer.placelist import ImportSummary, read_place_list

__all__ = ["PlaceStore", "StoredLayer", "places_dir"]

logger = logging.getLogger(__name__)

_SAFE_RE = re.compile(r"[^A-Za-z0-9_.-]+")


def places_dir() -> Path:
    """The folder of the imported place lists (``EVACMAP_PLACES_DIR`` overrides it)."""
    override = os.environ.get("EVACMAP_PLACES_DIR")
    if override:
        return Path(override)
    from evacmap.gazetteer.geonames import cache_dir

    return cache_dir() / "places"


def _fingerprint() -> str:
    from evacmap.gazetteer.geonames import normalize_fingerprint

    return normalize_fingerprint()


@dataclass(frozen=True)
class StoredLayer:
    """One imported place list, as :meth:`PlaceStore.entries` reports it."""

    name: str
    file: str
    format: str
    places: int
    names: int
    added: str
    added_ns: int
    stale: bool
    summary: str

    def describe(self) -> str:
        """One line for ``evacmap gazetteer list``."""
        state = "  STALE: add the file again" if self.stale else ""
        return (
            f"{self.name}\t{self.format}\t{self.places:,} places\t{self.names:,} names\t"
            f"added {self.added}\t{self.file}{state}"
        )


class PlaceStore:
    """A folder of imported place lists.

    Parameters
    ----------
    directory
        The store folder; :func:`places_dir` by default.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "camps.csv").write_text("name,lat,lon\\nAtmeh camp,36.26,36.51\\n")
    >>> store = PlaceStore(d / "store")
    >>> [s.places for s in store.add([d / "camps.csv"])]
    [1]
    >>> [s.name for s in store.entries()]
    ['camps']
    >>> store.remove("camps"), store.entries()
    (['camps'], [])
    """

    def __init__(self, directory: str | os.PathLike[str] | None = None) -> None:
        self.directory = Path(directory) if directory is not None else places_dir()

    def __repr__(self) -> str:
        return f"<PlaceStore {str(self.directory)!r}: {len(self.entries())} list(s)>"

    def _folders(self) -> list[Path]:
        if not self.directory.is_dir():
            return []
        return [p for p in self.directory.iterdir() if (p / "meta.json").is_file()]

    @staticmethod
    def _meta(folder: Path) -> dict[str, Any]:
        try:
            meta: dict[str, Any] = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return meta

    def _is_stale(self, meta: dict[str, Any]) -> bool:
        return meta.get("format") != INDEX_FORMAT or meta.get("normalize") != _fingerprint()

    def entries(self) -> list[StoredLayer]:
        """The imported lists, newest first."""
        out = []
        for folder in self._folders():
            m = self._meta(folder)
            out.append(
                StoredLayer(
                    name=folder.name,
                    file=str(m.get("file", "")),
                    format=str(m.get("kind", "")),
                    places=int(m.get("places", 0)),
                    names=int(m.get("names", 0)),
                    added=str(m.get("added", "")),
                    added_ns=int(m.get("added_ns", 0)),
                    stale=self._is_stale(m),
                    summary=str(m.get("summary", "")),
                )
            )
        return sorted(out, key=lambda s: (s.added_ns, s.name), reverse=True)

    def layers(self, admin1: dict[tuple[str, str], tuple[str, str]] | None = None) -> list[PlaceIndex]:
        """The usable layers, memory-mapped, newest first (stale ones are skipped)."""
        out = []
        for item in self.entries():
            folder = self.directory / item.name
            if item.stale:
                logger.warning(
                    "Imported place list %s (%s) was built by another evacmap version and "
                    "is skipped; add the file again with `evacmap gazetteer add`",
                    item.name,
                    item.file,
                )
                continue
            try:
                layer, _ = PlaceIndex.load(folder)
            except (OSError, ValueError, KeyError) as exc:
                logger.warning("Imported place list %s is unreadable (%s); skipped", folder, exc)
                continue
            if admin1 is not None and not layer.admin1:
                layer.admin1 = admin1
            out.append(layer)
        return out

    def add(
        self,
        paths: Sequence[str | os.PathLike[str]],
        *,
        countries: Sequence[str] | None = None,
        sheet: str | int | None = None,
        name: str | None = None,
        base: Sequence[PlaceIndex] = (),
        admin1: dict[tuple[str, str], tuple[str, str]] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> list[ImportSummary]:
        """Import place lists; a file added again replaces its earlier import.

        Alternate-names files are read after the dumps given with them, and add
        spellings to the places of the dumps already in the store and of `base`.

        Parameters
        ----------
        paths
            GeoNames dumps, alternate-names files, OCHA tables (see
            :func:`~evacmap.gazetteer.placelist.read_place_list`).
        countries
            Keep only these ISO codes from GeoNames dumps.
        sheet
            The sheet of spreadsheets.
        name
            The layer's name (one file only); by default the file's name without suffix.
        base
            Layers whose places alternate names may also refer to (e.g. cities500).
        admin1
            GeoNames admin1 crosswalk.
        progress
            Called as ``progress(done, total)`` while names are indexed.
        """
        from evacmap.gazetteer.placelist import detect_format

        files = [Path(p) for p in paths]
        if name is not None and len(files) != 1:
            raise InputError("`name` names one layer: give it with exactly one file")
        for f in files:
            if not f.is_file():
                raise InputError(f"no file {str(f)!r}", hint="check the path")
        formats = {f: detect_format(f) for f in files}
        files.sort(key=lambda f: formats[f] == "alternate_names")  # dumps first
        out = []
        for f in files:
            layer_name = name or self._layer_name(f)
            stored = [] if formats[f] != "alternate_names" else self.layers(admin1)
            layer, summary = read_place_list(
                f,
                countries=countries,
                sheet=sheet,
                admin1=admin1,
                base=[*stored, *base],
                progress=progress,
            )
            if not len(layer):
                raise InputError(
                    f"{summary.describe()}: no place to add",
                    hint="check the file, or the --country filter",
                )
            meta = {
                "kind": summary.format,
                "file": str(f.resolve()),
                "bytes": f.stat().st_size,
                "added": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime()),
                "added_ns": time.time_ns(),
                "places": len(layer),
                "names": layer.n_names,
                "normalize": _fingerprint(),
                "countries": sorted(countries) if countries else None,
                "summary": summary.describe(),
            }
            try:
                layer.save(self.directory / layer_name, meta=meta)
            except OSError as exc:
                raise GazetteerError(
                    f"cannot save the imported places in {str(self.directory)!r}: {exc}",
                    hint="set EVACMAP_PLACES_DIR to a folder you can write to",
                ) from exc
            logger.info("Added %s as %s", summary.describe(), layer_name)
            out.append(summary)
        return out

    @staticmethod
    def _layer_name(path: Path) -> str:
        stem = path.name
        for suffix in (".zip", ".txt", ".csv", ".tsv", ".xlsx", ".xls", ".ods", ".gpkg",
                       ".shp", ".geojson", ".json", ".fgb"):
            if stem.lower().endswith(suffix):
                stem = stem[: -len(suffix)]
                break
        return _SAFE_RE.sub("_", stem).strip("._") or "places"

    def remove(self, *names: str) -> list[str]:
        """Drop imported lists by name; returns the names removed.

        Raises
        ------
        GazetteerError
            When a name is not in the store (nothing is removed then).
        """
        have = {f.name: f for f in self._folders()}
        missing = [n for n in names if n not in have]
        if missing:
            raise GazetteerError(
                f"no imported place list called {', '.join(map(repr, missing))} in "
                f"{source_label(self.directory)}",
                hint=f"the lists are: {', '.join(sorted(have)) or '(none)'}; see "
                "`evacmap gazetteer list`",
            )
        for n in names:
            shutil.rmtree(have[n])
        return list(names)
