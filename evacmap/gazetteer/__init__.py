"""Offline gazetteer: place names (any spelling, Latin or Arabic script) to places."""

from __future__ import annotations

from evacmap.gazetteer._geo import haversine_km
from evacmap.gazetteer.core import Gazetteer, default_gazetteer, geocode
from evacmap.gazetteer.normalize import name_key, skeleton_key, split_generic
from evacmap.gazetteer.sources import read_places

__all__ = [
    "Gazetteer",
    "default_gazetteer",
    "geocode",
    "haversine_km",
    "name_key",
    "read_places",
    "skeleton_key",
    "split_generic",
]
