"""Which bundled places the user's own places replace (``Gazetteer.with_places``).

A user place replaces a place of the gazetteer when it has the same id, or when one of
its names is a name of that place and the two lie within :data:`REPLACE_WITHIN_KM` of
each other, in the same country when both give one.
"""

from __future__ import annotations

import contextlib
import logging
from dataclasses import replace

from evacmap.errors import PlaceNotFoundError
from evacmap.gazetteer._candidates import CandidateFinder
from evacmap.gazetteer._geo import haversine_km
from evacmap.gazetteer._lookup import IdLookup, label
from evacmap.model import Place

__all__ = ["REPLACE_WITHIN_KM", "replacements"]

logger = logging.getLogger(__name__)

#: A user place with a bundled place's name replaces it when they are at most this far apart.
REPLACE_WITHIN_KM = 50.0


def replacements(
    user: list[Place], finder: CandidateFinder, lookup: IdLookup
) -> tuple[list[Place], dict[str, str]]:
    """The user's places completed from those they replace, and old id -> new id.

    Every name of a replaced place becomes an alias of the user's place, and fields the
    user left empty (country, governorate) are taken from it.
    """
    found = finder.exact_ids([n for p in user for n in (p.name, *p.aliases)])
    out: list[Place] = []
    replaced: dict[str, str] = {}
    pos = 0
    for p in user:
        ids = {i for hits in found[pos : pos + 1 + len(p.aliases)] for i in hits}
        pos += 1 + len(p.aliases)
        olds: list[Place] = []
        if p.id in lookup or p.id.startswith("geonames:"):
            with contextlib.suppress(PlaceNotFoundError):
                olds.append(lookup.get(p.id))
        for pid in sorted(ids - {p.id}):
            old = lookup.get(pid)
            same_country = not (p.country and old.country) or p.country == old.country
            near = haversine_km(p.lat, p.lon, old.lat, old.lon) <= REPLACE_WITHIN_KM
            if same_country and near:
                olds.append(old)
        for old in olds:
            replaced[old.id] = p.id
            logger.info("Your place %s replaces %s", label(p), label(old))
        if olds:
            first = olds[0]
            country = p.country or first.country
            same = country == first.country
            names = dict.fromkeys(n for o in olds for n in (o.name, *o.aliases))
            p = replace(
                p,
                country=country,
                admin1=p.admin1 or (first.admin1 if same else ""),
                admin1_pcode=p.admin1_pcode or (first.admin1_pcode if same else None),
                aliases=tuple(n for n in dict.fromkeys([*p.aliases, *names]) if n != p.name),
            )
        out.append(p)
    return out, replaced
