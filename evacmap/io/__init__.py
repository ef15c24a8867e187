"""Readers (tables, spreadsheets, HXL, GIS files) and writers (GeoJSON, GPKG, FGB, CSV)."""

from __future__ import annotations

from evacmap.io.corridors import write_corridors
from evacmap.io.export import (
    EXPORT_FORMATS,
    to_geojson,
    write_fgb,
    write_flows,
    write_flows_csv,
    write_geojson,
    write_gpkg,
)
from evacmap.io.table import read_flows, read_geojson

__all__ = [
    "EXPORT_FORMATS",
    "read_flows",
    "read_geojson",
    "to_geojson",
    "write_corridors",
    "write_fgb",
    "write_flows",
    "write_flows_csv",
    "write_geojson",
    "write_gpkg",
]
