"""Readers (flow tables, evacmap GeoJSON) and writers (GeoJSON, GeoPackage)."""

from __future__ import annotations

from evacmap.io.geojson import read_geojson, to_geojson, write_geojson, write_gpkg
from evacmap.io.table import read_flows

__all__ = ["read_flows", "read_geojson", "to_geojson", "write_geojson", "write_gpkg"]
