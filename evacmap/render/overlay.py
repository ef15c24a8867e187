"""User overlays: a GIS file (e.g. OCHA admin boundaries) drawn under the flows.

:func:`read_overlay` reads any vector file pyogrio can open (GeoJSON, GeoPackage,
Shapefile, FlatGeobuf...) into an :class:`Overlay`: geometries in WGS 84, simplified for
display, each with its properties as escaped HTML (the web map's tooltip) and, when a
label column is named, a plain-text label (the picture's and the web map's label).
Property names and values come from an untrusted file: they are never markup, template
or format string — escaped for HTML, drawn as plain text in pictures.

Examples
--------
>>> import json, pathlib, tempfile
>>> path = pathlib.Path(tempfile.mkdtemp()) / "adm.geojson"
>>> _ = path.write_text(json.dumps({"type": "FeatureCollection", "features": [{
...     "type": "Feature", "properties": {"name": "<Homs>", "pcode": "SY04"},
...     "geometry": {"type": "Polygon", "coordinates": [[[36, 34], [38, 34], [38, 35], [36, 34]]]}}]}))
>>> ov = read_overlay(path, label="name")
>>> ov.name, len(ov), ov.features[0]["properties"]["label"]
('adm.geojson', 1, '<Homs>')
>>> ov.features[0]["properties"]["tip"]
'<b>name</b>: &lt;Homs&gt;<br><b>pcode</b>: SY04'
"""

from __future__ import annotations

import html
import logging
import math
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Union

import numpy as np
import shapely
from shapely.geometry import mapping

from evacmap.errors import InputError, RenderError
from evacmap.io.gis import to_wgs84

if TYPE_CHECKING:  # pragma: no cover
    import folium

__all__ = [
    "MAX_OVERLAY_VERTICES",
    "Overlay",
    "OverlayLike",
    "add_overlay",
    "as_overlay",
    "overlay_collection",
    "read_overlay",
]

logger = logging.getLogger(__name__)

#: Properties shown in an overlay feature's tooltip (the rest are counted).
SHOWN_PROPERTIES = 12
#: Characters of a property value shown before it is cut.
VALUE_CHARS = 200
#: Simplification tolerance in degrees (about 100 m: under a pixel up to zoom 10).
TOLERANCE_DEG = 0.001
#: Vertices an overlay may keep after simplification (a page must stay openable).
MAX_OVERLAY_VERTICES = 2_000_000
_DECIMALS = 4
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class Overlay:
    """A user overlay ready to draw: GeoJSON features in WGS 84 with tooltip and label.

    Parameters
    ----------
    name
        What the map credits it as (the file's name).
    features
        GeoJSON features; each has ``properties`` ``{"tip": escaped HTML, "label":
        plain text or None}`` and a geometry in longitude/latitude.
    colour
        Outline colour (``#rrggbb``).

    Examples
    --------
    >>> len(Overlay("none", []))
    0
    """

    name: str
    features: Sequence[Mapping[str, Any]] = field(default_factory=list)
    colour: str = "#4a6d8c"

    def __len__(self) -> int:
        return len(self.features)

    @property
    def bounds(self) -> tuple[float, float, float, float] | None:
        """``(south, west, north, east)`` of every feature, None when there are none."""
        if not self.features:
            return None
        from shapely.geometry import shape

        west, south, east, north = shapely.total_bounds([shape(f["geometry"]) for f in self.features])
        return float(south), float(west), float(north), float(east)


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = str(value)
    return text if len(text) <= VALUE_CHARS else text[: VALUE_CHARS - 1] + "…"


def _tip(row: Mapping[str, Any]) -> str:
    items = [(str(k), _text(v)) for k, v in row.items()]
    items = [(k, v) for k, v in items if v != ""]
    lines = [
        f"<b>{html.escape(k)}</b>: {html.escape(v)}" for k, v in items[:SHOWN_PROPERTIES]
    ]
    if len(items) > SHOWN_PROPERTIES:
        lines.append(f"<i>and {len(items) - SHOWN_PROPERTIES} more properties</i>")
    return "<br>".join(lines)


def _simplify(geoms: Any) -> Any:
    polygonal = np.isin(shapely.get_type_id(geoms), (3, 6))
    out = np.array(geoms, dtype=object)
    if polygonal.all() and len(geoms):
        try:  # neighbours keep one shared border
            return shapely.coverage_simplify(out, TOLERANCE_DEG)
        except shapely.errors.GEOSException:  # pragma: no cover - not a clean coverage
            logger.debug("Overlay is not a clean coverage; simplifying features one by one")
    return shapely.simplify(out, TOLERANCE_DEG, preserve_topology=True)


def _label_point(geom: Any) -> Any:
    """Where a feature's label goes: inside its largest polygon, mid-way along a line."""
    parts = list(getattr(geom, "geoms", [geom]))
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return max(parts, key=lambda g: g.area).point_on_surface()
    if geom.geom_type in ("LineString", "MultiLineString"):
        line = max(parts, key=lambda g: g.length)
        return line.interpolate(0.5, normalized=True)
    return geom.representative_point()


def read_overlay(
    path: str | os.PathLike[str],
    *,
    layer: str | None = None,
    label: str | None = None,
    colour: str = "#4a6d8c",
) -> Overlay:
    """Read a vector file to draw as an overlay on a map or picture.

    Parameters
    ----------
    path
        A GeoJSON, GeoPackage or any other vector file pyogrio reads.
    layer
        Layer of a multi-layer file (default: the first).
    label
        A property to label each feature with (plain text), e.g. ``"admin1Name_en"``.
    colour
        Outline colour, ``#rrggbb``.

    Returns
    -------
    Overlay
        Features in WGS 84, simplified to about 100 m, coordinates with 4 decimals.

    Raises
    ------
    InputError
        When the file cannot be read, has no geometry, or `label` is not one of its
        properties.
    CRSError
        When it has no CRS and its coordinates are not longitude/latitude.
    RenderError
        When it is too detailed to draw even simplified.

    Examples
    --------
    >>> read_overlay("missing.gpkg")
    Traceback (most recent call last):
    ...
    evacmap.errors.InputError: cannot read overlay 'missing.gpkg': no such file. Hint: give a GeoJSON or GeoPackage file, e.g. admin boundaries.
    """
    import pyogrio

    p = Path(path)
    if not isinstance(colour, str) or not _COLOUR.match(colour):
        raise InputError(f"`colour` must be a colour written '#rrggbb', got {colour!r}")
    hint = "give a GeoJSON or GeoPackage file, e.g. admin boundaries"
    if not p.is_file():
        raise InputError(f"cannot read overlay {str(path)!r}: no such file", hint=hint)
    try:
        gdf = pyogrio.read_dataframe(p, layer=layer)
    except Exception as e:  # pyogrio raises DataSourceError, DataLayerError, ValueError...
        raise InputError(f"cannot read overlay {str(path)!r}: {e}", hint=hint) from e
    if "geometry" not in gdf.columns or not hasattr(gdf, "crs"):
        raise InputError(f"overlay {str(path)!r} has no geometry", hint=hint)
    columns = [c for c in gdf.columns if c != "geometry"]
    if label is not None and label not in columns:
        raise InputError(
            f"overlay {str(path)!r} has no property {label!r}",
            hint="choose one of " + ", ".join(repr(c) for c in columns[:20]) if columns else hint,
        )
    gdf = gdf[gdf.geometry.notna() & ~gdf.geometry.is_empty]
    if len(gdf):
        gdf = to_wgs84(gdf, f"overlay {p.name}", stacklevel=4)
    geoms = _simplify(gdf.geometry.values)
    geoms = shapely.set_precision(geoms, 10.0**-_DECIMALS)
    vertices = int(shapely.get_num_coordinates(geoms).sum()) if len(geoms) else 0
    if vertices > MAX_OVERLAY_VERTICES:
        raise RenderError(
            f"overlay {str(path)!r} keeps {vertices:,} vertices after simplification, more "
            f"than the {MAX_OVERLAY_VERTICES:,} a map can carry",
            hint="clip it to your area, or use a coarser level (admin1 rather than admin3)",
        )
    records = gdf[columns].to_dict("records") if columns else [{}] * len(gdf)
    features = []
    for geom, row in zip(geoms, records, strict=True):
        if geom is None or geom.is_empty:
            continue
        geom = shapely.transform(geom, lambda xy: xy.round(_DECIMALS))
        props: dict[str, Any] = {"tip": _tip(row), "label": None}
        if label and _text(row.get(label)):
            at = _label_point(geom)
            props["label"] = _text(row.get(label))
            props["at"] = [round(at.x, _DECIMALS), round(at.y, _DECIMALS)]
        features.append({"type": "Feature", "properties": props, "geometry": mapping(geom)})
    logger.info("Read overlay %s: %d features, %d vertices", p.name, len(features), vertices)
    return Overlay(p.name, features, colour)


def overlay_collection(overlay: Overlay, *, labels: bool = True) -> dict[str, Any]:
    """The overlay as a GeoJSON FeatureCollection for the web map (tooltips escaped).

    Labels are escaped here, since the page shows them as HTML.

    Examples
    --------
    >>> overlay_collection(Overlay("x", [{"type": "Feature", "geometry": None,
    ...     "properties": {"tip": "", "label": "<b>"}}]))["features"][0]["properties"]["label"]
    '&lt;b&gt;'
    """
    features = []
    for f in overlay.features:
        props = dict(f["properties"])
        props["label"] = html.escape(props["label"]) if labels and props.get("label") else None
        features.append({"type": "Feature", "properties": props, "geometry": f["geometry"]})
    return {"type": "FeatureCollection", "features": features}


#: What the map functions take as an overlay: a ready :class:`Overlay` or a file path.
OverlayLike = Union[Overlay, str, "os.PathLike[str]"]


def as_overlay(overlay: OverlayLike) -> Overlay:
    """`overlay` itself, or the file it names read with :func:`read_overlay`.

    Examples
    --------
    >>> as_overlay(Overlay("x")).name
    'x'
    """
    if isinstance(overlay, Overlay):
        return overlay
    if isinstance(overlay, (str, os.PathLike)):
        return read_overlay(overlay)
    raise InputError(
        f"an overlay must be an Overlay or a file path, got {type(overlay).__name__}",
        hint="pass read_overlay('admin1.geojson', label='name'), or the path itself",
    )


def add_overlay(m: folium.Map, overlay: OverlayLike, *, labels: bool = True) -> folium.Map:
    """Draw `overlay` on the web map `m`, under the flows, with its properties as tooltips.

    Parameters
    ----------
    m
        The map (e.g. from :func:`evacmap.render.render_map`).
    overlay
        An :class:`Overlay`, or a file to read with :func:`read_overlay`.
    labels
        Whether to show the overlay's labels (when it has a label column).

    Returns
    -------
    folium.Map
        `m`.

    Examples
    --------
    >>> from evacmap.render.offline import OfflineMap
    >>> m = add_overlay(OfflineMap(), Overlay("adm1.geojson"))
    >>> "evacmap-overlay" in m.get_root().render()
    True
    """
    from evacmap.render.overlay_layer import OverlayLayer

    ov = as_overlay(overlay)
    OverlayLayer(
        overlay_collection(ov, labels=labels), colour=ov.colour, attribution=f"Overlay: {ov.name}"
    ).add_to(m)
    return m
