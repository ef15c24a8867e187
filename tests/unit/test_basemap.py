"""The offline background: 1:50m outlines inside the region, the 1:110m world beyond it."""

from __future__ import annotations

import json

import pytest
import shapely
from shapely.geometry import shape

from evacmap._resources import data_path
from evacmap.errors import InputError
from evacmap.render.basemap import REGION_EXTENT, countries_geojson


def _union(fc: dict) -> shapely.Geometry:
    return shapely.union_all([shape(f["geometry"]) for f in fc["features"]])


def test_regional_file_is_small_sourced_and_inside_its_extent() -> None:
    path = data_path("basemap", "countries-50m-region.geojson")
    text = path.read_text(encoding="utf-8")
    assert len(text.encode()) < 300_000
    doc = json.loads(text)
    meta = doc["metadata"]
    assert "Natural Earth" in meta["source"] and "1:50m" in meta["source"]
    assert "world-atlas" in meta["via"] and meta["extent"] == list(REGION_EXTENT)
    names = {f["properties"]["name"] for f in doc["features"]}
    assert {"Syria", "Lebanon", "Turkey", "Iraq", "Jordan"} <= names
    west, south, east, north = shapely.total_bounds([shape(f["geometry"]) for f in doc["features"]])
    assert west >= REGION_EXTENT[0] and south >= REGION_EXTENT[1]
    assert east <= REGION_EXTENT[2] and north <= REGION_EXTENT[3]
    syria = next(f for f in doc["features"] if f["properties"]["name"] == "Syria")
    assert syria["properties"]["iso_a2"] == "SY"


def test_flows_inside_the_region_get_the_50m_outlines() -> None:
    bounds = (34.7, 36.6, 36.8, 38.0)  # al-Waer to Jarablus
    fine = countries_geojson(bounds)
    coarse = countries_geojson(bounds, detail="110m")
    assert fine["detail"] == "50m" and coarse["detail"] == "110m"
    # Around the flows (3° on every side), the outlines are the 1:50m ones.
    near = shapely.box(36.6 - 3, 34.7 - 3, 38.0 + 3, 36.8 + 3)

    def near_vertices(fc: dict) -> int:
        return sum(shapely.get_num_coordinates(shape(f["geometry"]).intersection(near)) for f in fc["features"])

    assert near_vertices(fine) > 3 * near_vertices(coarse)
    # Farther out they are 1:110m, so the page stays small.
    assert len(json.dumps(fine)) < 2 * len(json.dumps(coarse))
    # Same land, more detail: the two layers cover nearly the same area.
    a, b = _union(fine), _union(coarse)
    assert a.symmetric_difference(b).area < 0.05 * b.area
    # Homs and Jarablus are on land in both.
    for lon, lat in ((36.72, 34.73), (38.01, 36.82)):
        assert a.contains(shapely.Point(lon, lat))


def test_the_world_fills_the_margin_beyond_the_region() -> None:
    # Flows in eastern Iran: inside the region, but the margin reaches past lon 65.
    fc = countries_geojson((30.0, 58.0, 33.0, 61.0))
    assert fc["detail"] == "50m"
    land = _union(fc)
    beyond = shapely.box(REGION_EXTENT[2], 20.0, 73.0, 45.0)
    assert land.intersection(beyond).area > 20  # Afghanistan and Pakistan, from 1:110m
    assert land.intersection(shapely.box(55.0, 25.0, 65.0, 40.0)).area > 50


def test_flows_outside_the_region_use_the_world_layer() -> None:
    fc = countries_geojson((48.8, 2.3, 50.9, 4.4))  # Paris to Brussels
    assert fc["detail"] == "110m"
    assert fc["features"]
    names = {label["name"] for label in fc["labels"]}
    assert "France" in names


def test_detail_is_checked() -> None:
    with pytest.raises(InputError, match="`detail`"):
        countries_geojson((34.7, 36.6, 36.8, 38.0), detail="10m")  # type: ignore[arg-type]


def test_a_country_is_one_outline_across_the_seam_of_the_two_scales() -> None:
    fc = countries_geojson((34.7, 36.6, 36.8, 38.0))
    gaziantep, ankara = shapely.Point(37.38, 37.07), shapely.Point(32.85, 39.93)  # inside, outside the 1:50m box
    turkey = [shape(f["geometry"]) for f in fc["features"] if shape(f["geometry"]).contains(gaziantep)]
    assert len(turkey) == 1 and turkey[0].contains(ankara)
