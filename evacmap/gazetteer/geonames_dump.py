"""GeoNames dumps as downloaded: ``SY.zip``, ``allCountries.zip``, ``cities1000.zip``, alternate names.

A dump is a UTF-8 text file of 19 tab-separated columns (:data:`GEONAMES_COLUMNS`), one
feature per line, zipped or not. Every feature class is read — populated places
(neighbourhoods ``PPLX`` among them), admin areas, camps, border posts, areas,
mountains, wadis — and the kind of place comes from the feature code
(:func:`kind_from_feature`), not from the population. Files are streamed line by line
(``allCountries.zip`` is 1.5 GB of text), optionally keeping only some countries.

``alternateNamesV2.zip`` (10 columns; 8 in the older ``alternateNames``) adds
spellings to places already known by their GeoNames id: links, postcodes and airport
codes are left out.

GeoNames data is licensed CC BY 4.0; credit "GeoNames" wherever its places are shown.
"""

from __future__ import annotations

import contextlib
import io
import logging
import math
import os
import zipfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

from evacmap.errors import InputError, Problem, SourceLocation, source_label
from evacmap.gazetteer._index import PlaceIndex
from evacmap.gazetteer.placelist import ImportSummary, PlaceListBuilder, zip_member
from evacmap.model import PlaceKind

__all__ = [
    "GEONAMES_COLUMNS",
    "kind_from_feature",
    "read_alternate_names",
    "read_geonames_dump",
]

logger = logging.getLogger(__name__)

#: The columns of a GeoNames dump (readme.txt of the download server), in order.
GEONAMES_COLUMNS = (
    "geonameid",
    "name",
    "asciiname",
    "alternatenames",
    "latitude",
    "longitude",
    "feature class",
    "feature code",
    "country code",
    "cc2",
    "admin1 code",
    "admin2 code",
    "admin3 code",
    "admin4 code",
    "population",
    "elevation",
    "dem",
    "timezone",
    "modification date",
)

_CAMPS = frozenset({"CMP", "CMPRF", "CMPLA", "CMPMN", "CMPO", "CMPQ", "CMPL"})
_CROSSINGS = frozenset({"PSTB", "CSTM"})
_AREAS = frozenset({"RGN", "RGNE", "RGNH", "RGNL", "AREA", "OAS", "ZONE", "PLN", "DPR"})
#: alternateNames "languages" that are not names.
_NOT_NAMES = frozenset(
    {"link", "wkdt", "post", "iata", "icao", "faac", "unlc", "abbr", "fr_1793", "tcid", "phon"}
)


def kind_from_feature(feature_class: str, feature_code: str, population: int = 0) -> PlaceKind:
    """The kind of a GeoNames feature, from its class and code.

    Examples
    --------
    >>> kind_from_feature("P", "PPLX"), kind_from_feature("A", "ADM1")
    (<PlaceKind.NEIGHBOURHOOD: 'neighbourhood'>, <PlaceKind.GOVERNORATE: 'governorate'>)
    >>> kind_from_feature("S", "CMPRF"), kind_from_feature("S", "PSTB")
    (<PlaceKind.CAMP: 'camp'>, <PlaceKind.CROSSING: 'crossing'>)
    >>> kind_from_feature("P", "PPLA", 775404), kind_from_feature("P", "PPL", 0)
    (<PlaceKind.CITY: 'city'>, <PlaceKind.VILLAGE: 'village'>)
    >>> kind_from_feature("H", "WAD")
    <PlaceKind.POINT: 'point'>
    """
    if feature_class == "P":
        if feature_code == "PPLX":
            return PlaceKind.NEIGHBOURHOOD
        if population >= 100_000 or feature_code == "PPLC":
            return PlaceKind.CITY
        if population >= 1_000 or feature_code.startswith("PPLA"):
            return PlaceKind.TOWN
        return PlaceKind.VILLAGE
    if feature_class == "A":
        if feature_code.startswith("PCL"):
            return PlaceKind.COUNTRY
        if feature_code in ("ADM1", "ADM1H"):
            return PlaceKind.GOVERNORATE
        if feature_code.startswith("ADM"):
            return PlaceKind.DISTRICT
        return PlaceKind.REGION
    if feature_code in _CAMPS:
        return PlaceKind.CAMP
    if feature_code in _CROSSINGS:
        return PlaceKind.CROSSING
    if feature_code in _AREAS:
        return PlaceKind.REGION
    return PlaceKind.POINT


@contextlib.contextmanager
def _lines(path: Path) -> Iterator[Iterator[str]]:
    """The text lines of a GeoNames file, zipped or not, streamed."""
    if path.suffix.lower() == ".zip":
        member = zip_member(path)
        with zipfile.ZipFile(path) as zf, zf.open(member) as raw:
            yield io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="\n")
        return
    try:
        fh = path.open(encoding="utf-8", errors="replace", newline="\n")
    except OSError as exc:
        raise InputError(f"cannot read {source_label(path)!r}: {exc.strerror or exc}") from exc
    with fh:
        yield fh


def _coordinate(text: str, limit: float) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) and -limit <= value <= limit else None


def read_geonames_dump(
    path: str | os.PathLike[str],
    *,
    countries: Sequence[str] | None = None,
    admin1: dict[tuple[str, str], tuple[str, str]] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[PlaceIndex, ImportSummary]:
    """Index a GeoNames dump (every feature, every name), streaming it.

    Parameters
    ----------
    path
        ``SY.zip``, ``allCountries.zip``, ``cities1000.zip`` or their ``.txt``.
    countries
        Keep only these ISO country codes (all when None).
    admin1
        ``(country, admin1 code) -> (name, P-code)`` crosswalk for the answers.
    progress
        Called as ``progress(done, total)`` while names are indexed.

    Returns
    -------
    tuple
        The layer and an :class:`~evacmap.gazetteer.placelist.ImportSummary`.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "SY.txt"
    >>> row = ["9000001", "Bab Amr", "Bab Amr", "Baba Amr,بابا عمرو", "34.71", "36.69",
    ...        "P", "PPLX", "SY", "", "11", "", "", "", "0", "", "480", "Asia/Damascus",
    ...        "2020-01-01"]
    >>> _ = f.write_text("\\t".join(row) + "\\n", encoding="utf-8")
    >>> layer, summary = read_geonames_dump(f)
    >>> layer.place(0).kind.value, layer.place(0).id, summary.names
    ('neighbourhood', 'geonames:9000001', 3)
    """
    p = Path(path)
    label = source_label(p)
    keep = frozenset(c.strip().upper() for c in countries) if countries else None
    summary = ImportSummary(label, "geonames")
    builder = PlaceListBuilder(parallel=True)
    with _lines(p) as lines:
        for line_no, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            summary.rows += 1
            f = line.rstrip("\r\n").split("\t")
            if len(f) != 19:
                summary.skip(
                    "not 19 columns",
                    Problem(
                        f"{len(f)} tab-separated columns, a GeoNames dump has 19",
                        SourceLocation(label, line_no),
                    ),
                )
                continue
            country = f[8].upper()
            if keep is not None and country not in keep:
                summary.skip("country not asked for")
                continue
            lat, lon = _coordinate(f[4], 90.0), _coordinate(f[5], 180.0)
            if not f[0].isdigit() or lat is None or lon is None or not f[1].strip():
                summary.skip(
                    "bad id, name or coordinate",
                    Problem(
                        f"geonameid {f[0]!r}, name {f[1]!r}, latitude {f[4]!r}, "
                        f"longitude {f[5]!r}: not a valid record",
                        SourceLocation(label, line_no),
                    ),
                )
                continue
            pop = int(f[14]) if f[14].isdigit() else 0
            names = [f[1], f[2], *f[3].split(",")] if f[3] else [f[1], f[2]]
            builder.add(
                [n for n in dict.fromkeys(names) if n.strip()],
                lat,
                lon,
                country=country,
                kind=kind_from_feature(f[6], f[7], pop),
                admin1=f[10],
                population=pop,
                geonames_id=int(f[0]),
            )
    summary.places, summary.names = len(builder), builder.n_names
    logger.info("%s", summary.describe())
    layer = builder.finish(source=f"GeoNames, {p.name} (CC BY 4.0)", admin1=admin1, progress=progress)
    return layer, summary


def read_alternate_names(
    path: str | os.PathLike[str],
    base: Sequence[PlaceIndex],
    *,
    admin1: dict[tuple[str, str], tuple[str, str]] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[PlaceIndex, ImportSummary]:
    """Alternate names (``alternateNamesV2``) of the places of `base`, as a layer.

    Each place of `base` with alternate names becomes a row of the new layer, a copy
    of the place (same GeoNames id, so it stands for the same place) with every
    spelling. Names of places `base` does not hold are left out (counted).

    Parameters
    ----------
    path
        ``alternateNamesV2.zip`` or ``.txt`` (or the older 8-column ``alternateNames``).
    base
        The layers that hold the places (most trusted first).
    admin1
        GeoNames admin1 crosswalk for the answers.
    progress
        Called as ``progress(done, total)`` while names are indexed.
    """
    p = Path(path)
    label = source_label(p)
    summary = ImportSummary(label, "alternate_names")
    known: dict[int, tuple[int, int]] = {}
    for li, layer in enumerate(base):
        for row, gid in enumerate(layer.geonames_ids().tolist()):
            if gid and gid not in known:
                known[gid] = (li, row)
    spellings: dict[int, list[str]] = {}
    with _lines(p) as lines:
        for line_no, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            summary.rows += 1
            f = line.rstrip("\r\n").split("\t")
            if len(f) < 4 or not f[1].isdigit():
                summary.skip(
                    "not an alternate-name record",
                    Problem("expected alternateNameId, geonameid, isolanguage, name",
                            SourceLocation(label, line_no)),
                )
                continue
            if f[2] in _NOT_NAMES or not f[3].strip():
                summary.skip("a link, code or postcode, not a name")
                continue
            gid = int(f[1])
            if gid not in known:
                summary.skip("place not in the gazetteer")
                continue
            spellings.setdefault(gid, []).append(f[3])
    builder = PlaceListBuilder(parallel=len(spellings) > 200_000)
    for li, layer in enumerate(base):
        gids = [g for g, (bl, _) in known.items() if bl == li and g in spellings]
        if not gids:
            continue
        places = layer.places([known[g][1] for g in gids])
        for gid, pl in zip(gids, places, strict=True):
            names = [n for n in dict.fromkeys([pl.name, *pl.aliases, *spellings[gid]]) if n]
            builder.add(
                names,
                pl.lat,
                pl.lon,
                country=pl.country,
                kind=pl.kind,
                admin1=layer.admin1_code(known[gid][1]),
                population=pl.population or 0,
                geonames_id=gid,
                pcode=pl.pcode or "",
                admin1_name="" if layer.held_places is None else pl.admin1,
                admin1_pcode="" if layer.held_places is None else (pl.admin1_pcode or ""),
                approximate=pl.approximate,
            )
    summary.places, summary.names = len(builder), builder.n_names
    logger.info("%s", summary.describe())
    layer_out = builder.finish(
        source=f"GeoNames alternate names, {p.name} (CC BY 4.0)", admin1=admin1, progress=progress
    )
    return layer_out, summary
