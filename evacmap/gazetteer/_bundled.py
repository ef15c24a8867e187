"""The layers evacmap ships or builds: curated places, countries, and the world stack.

:func:`world_layers` assembles, most trusted first, evacmap's curated places (with
their GeoNames population), the place lists the analyst added
(:class:`~evacmap.gazetteer.store.PlaceStore`), GeoNames ``cities500`` (built once and
memory-mapped, :mod:`~evacmap.gazetteer.geonames`) and the countries.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from evacmap.gazetteer._index import PlaceIndex
from evacmap.gazetteer.sources import (
    Admin1,
    load_admin1,
    load_country_places,
    load_curated_places,
)
from evacmap.model import Place

__all__ = ["country_layer", "curated_layer", "world_layers"]


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
    curated = with_population(load_curated_places(), world)
    return [curated_layer(curated), *lists, world, country_layer()], admin1
