"""evacmap: turn reports of evacuations and displacement into offline flow maps.

The public API is small: values (:class:`Place`, :class:`Movement`), the
:class:`Gazetteer` that geocodes names offline, the :class:`FlowGraph` that holds
movements and derives graphs and tables, readers and writers, and the map renderer.
Heavy parts (folium, geopandas) load only when first used.

Examples
--------
>>> import evacmap
>>> evacmap.Gazetteer.curated().geocode("al-Wa'er").place.name
'al-Waer'
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from evacmap._resources import example_path
from evacmap.errors import (
    AmbiguousPlaceError,
    EvacmapError,
    EvacmapWarning,
    FlowTableError,
    GazetteerError,
    InputError,
    PlaceNotFoundError,
    RenderError,
    SourceLocation,
)
from evacmap.model import Candidate, CountKind, Evidence, Match, Movement, Place, PlaceKind

if TYPE_CHECKING:  # pragma: no cover
    from evacmap.flows import FlowGraph, ReadSummary
    from evacmap.gazetteer import Gazetteer, default_gazetteer, geocode
    from evacmap.io import (
        read_flows,
        read_geojson,
        to_geojson,
        write_fgb,
        write_flows,
        write_flows_csv,
        write_geojson,
        write_gpkg,
    )
    from evacmap.render import render_map, save_map
    from evacmap.render.overlay import add_overlay, read_overlay
    from evacmap.render.picture import render_picture, save_picture
    from evacmap.tables import FlowTables

# Names loaded on first use, so that `import evacmap` stays fast (no gazetteer, pandas, folium,
# geopandas): reading a table with coordinates never loads the gazetteer.
_LAZY = {
    "Gazetteer": "evacmap.gazetteer",
    "default_gazetteer": "evacmap.gazetteer",
    "geocode": "evacmap.gazetteer",
    "FlowGraph": "evacmap.flows",
    "ReadSummary": "evacmap.flows",
    "FlowTables": "evacmap.tables",
    "read_flows": "evacmap.io",
    "read_geojson": "evacmap.io",
    "to_geojson": "evacmap.io",
    "write_geojson": "evacmap.io",
    "write_gpkg": "evacmap.io",
    "write_fgb": "evacmap.io",
    "write_flows": "evacmap.io",
    "write_flows_csv": "evacmap.io",
    "render_map": "evacmap.render",
    "save_map": "evacmap.render",
    "render_picture": "evacmap.render.picture",
    "save_picture": "evacmap.render.picture",
    "read_overlay": "evacmap.render.overlay",
    "add_overlay": "evacmap.render.overlay",
}


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("evacmap")
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0+unknown"


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    if name == "__version__":  # looked up on use: importlib.metadata costs ~20 ms at start
        return _version()
    raise AttributeError(f"module 'evacmap' has no attribute {name!r}")


__all__ = [
    "AmbiguousPlaceError",
    "Candidate",
    "CountKind",
    "EvacmapError",
    "EvacmapWarning",
    "Evidence",
    "FlowGraph",
    "FlowTableError",
    "FlowTables",
    "Gazetteer",
    "GazetteerError",
    "InputError",
    "Match",
    "Movement",
    "Place",
    "PlaceKind",
    "PlaceNotFoundError",
    "ReadSummary",
    "RenderError",
    "SourceLocation",
    "__version__",
    "add_overlay",
    "default_gazetteer",
    "example_path",
    "geocode",
    "read_flows",
    "read_geojson",
    "read_overlay",
    "render_map",
    "render_picture",
    "save_map",
    "save_picture",
    "to_geojson",
    "write_fgb",
    "write_flows",
    "write_flows_csv",
    "write_geojson",
    "write_gpkg",
]
