from __future__ import annotations

import json

import pyogrio
import pytest

from evacmap.flows import FlowGraph
from evacmap.io import read_geojson, to_geojson, write_geojson, write_gpkg
from evacmap.model import Movement, Place

WAER = Place("al-Waer", 34.747, 36.664, country="SY", kind="neighbourhood", approximate=True,
             id="evacmap:al-waer")
IDLIB = Place("Idleb", 35.93062, 36.63393, country="SY", kind="governorate", pcode="SY07")
JARABLUS = Place("Jarablus", 36.8175, 38.01111, country="SY", geonames_id=169179)


@pytest.fixture
def graph() -> FlowGraph:
    return FlowGraph([
        Movement(WAER, (IDLIB, JARABLUS), count=450, groups=(("fighters", 193),),
                 sources=("news",)),
        Movement(WAER, (IDLIB, JARABLUS), count_max=20000, count_kind="planned"),
        Movement(IDLIB, (JARABLUS,), count=1_234_567, count_kind="estimated"),
    ], title="test")


def test_rfc7946_shape(graph):
    fc = to_geojson(graph)
    assert fc["type"] == "FeatureCollection" and "crs" not in fc
    kinds = [f["properties"]["feature"] for f in fc["features"]]
    assert kinds == ["place"] * 3 + ["flow"] * 3
    waer = fc["features"][0]
    assert waer["geometry"]["coordinates"] == [36.664, 34.747]  # lon, lat
    fork = fc["features"][3]
    assert fork["geometry"]["type"] == "MultiLineString"
    assert fork["properties"]["count"] == 450
    assert fork["properties"]["split_reported"] is False
    assert fork["properties"]["destinations"] == "Idleb; Jarablus"
    for f in fc["features"]:
        for x in json.dumps(f["geometry"]["coordinates"]).replace("[", "").replace("]", "").split(","):
            assert len(x.strip().split(".")[-1]) <= 6
    assert "GeoNames" in fc["metadata"]["attribution"]


def test_gdal_reads_it_back(graph, tmp_path):
    path = write_geojson(graph, tmp_path / "flows.geojson")
    df = pyogrio.read_dataframe(path)
    assert len(df) == 6
    places = df[df["feature"] == "place"]
    waer = places[places["name"] == "al-Waer"].geometry.iloc[0]
    assert (waer.x, waer.y) == pytest.approx((36.664, 34.747))
    flows = df[df["feature"] == "flow"]
    assert sorted(flows["count"].dropna().astype(int)) == [450, 1234567]
    info = pyogrio.read_info(path)
    assert info["crs"] == "EPSG:4326"


def test_round_trip_keeps_counts(graph, tmp_path):
    back = read_geojson(write_geojson(graph, tmp_path / "f.geojson"))
    assert [(m.count, m.count_max, m.count_kind, m.groups) for m in back] == [
        (m.count, m.count_max, m.count_kind, m.groups) for m in graph]
    assert [tuple(d.id for d in m.destinations) for m in back] == [
        tuple(d.id for d in m.destinations) for m in graph]
    assert back.totals()["people"].to_dict() == graph.totals()["people"].to_dict()


def test_geopackage_has_two_layers(graph, tmp_path):
    path = write_gpkg(graph, tmp_path / "f.gpkg")
    layers = {name for name, _ in pyogrio.list_layers(path)}
    assert layers == {"places", "flows"}
    flows = pyogrio.read_dataframe(path, layer="flows")
    assert set(flows["count_kind"]) == {"reported", "planned", "estimated"}
