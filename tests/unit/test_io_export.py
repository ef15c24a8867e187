"""GIS exports: what QGIS (GDAL) reads, what sums right, and exact round trips in every format."""

from __future__ import annotations

import datetime as dt
import json

import pyogrio
import pytest
import shapely

from evacmap.errors import SourceLocation
from evacmap.flows import FlowGraph
from evacmap.io import read_flows, to_geojson, write_flows, write_geojson, write_gpkg
from evacmap.model import Evidence, Movement, Place

WAER = Place("al-Waer", 34.747, 36.664, country="SY", kind="neighbourhood", approximate=True,
             admin1="Homs", admin1_pcode="SY04", id="evacmap:al-waer")
IDLIB = Place("Idleb", 35.93062, 36.63393, country="SY", kind="governorate", pcode="SY07",
              admin1_pcode="SY07")
JARABLUS = Place("Jarablus", 36.8175, 38.01111, country="SY", geonames_id=169179, admin1_pcode="SY02")
HOMS = Place("Homs", 34.72405, 36.72559, country="SY", geonames_id=169577)
SUVA = Place("Suva", -18.14, 178.44, country="FJ", id="x:suva")
APIA = Place("Apia", -13.83, -171.76, country="WS", id="x:apia")
FORMATS = ["geojson", "gpkg", "fgb", "csv"]


@pytest.fixture
def graph() -> FlowGraph:
    day = dt.date(2017, 5, 20)
    return FlowGraph([
        Movement(WAER, (IDLIB, JARABLUS), count=450, groups=(("fighters", 193), ("women; children", 40)),
                 sources=("news",), date_start=day, stage="final",
                 evidence=(Evidence(SourceLocation("t.csv", 2), "450 left"),)),
        Movement(WAER, (IDLIB, JARABLUS), count_max=20000, count_kind="planned"),
        Movement(IDLIB, (JARABLUS,), count=1_234_567, count_kind="estimated", waypoints=(HOMS,)),
        Movement(HOMS, (), count=300),  # "300 people left Homs": no destination invented
        Movement(HOMS, (HOMS,), count=12),  # within one place
        Movement(WAER, (JARABLUS,), count=500, count_kind="cumulative", date_start=day),
        Movement(SUVA, (APIA,), count=7),  # across the antimeridian
    ], title="test")


def test_rfc7946_shape(graph: FlowGraph) -> None:
    fc = to_geojson(graph)
    assert fc["type"] == "FeatureCollection" and "crs" not in fc
    kinds = [f["properties"]["feature"] for f in fc["features"]]
    assert kinds == ["place"] * 6 + ["flow"] * 7
    waer = fc["features"][0]
    assert waer["geometry"]["coordinates"] == [36.664, 34.747]  # lon, lat
    flows = [f for f in fc["features"] if f["properties"]["feature"] == "flow"]
    fork = flows[0]
    assert fork["geometry"]["type"] == "MultiLineString"
    assert fork["properties"]["count"] == 450
    assert fork["properties"]["split_reported"] is False
    assert fork["properties"]["destination"] == ["Idleb", "Jarablus"]  # JSON, not "; "-joined
    assert fork["properties"]["groups"] == {"fighters": 193, "women; children": 40}
    planned = flows[1]["properties"]
    assert "count" not in planned and planned["planned"] == 20000  # never in count
    through = flows[2]["geometry"]
    assert through["type"] == "LineString" and len(through["coordinates"]) == 3  # via Homs
    assert flows[3]["geometry"] == {"type": "Point", "coordinates": [36.72559, 34.72405]}
    assert flows[4]["geometry"]["type"] == "Point"  # not an invalid two-point line
    assert flows[6]["geometry"]["type"] == "MultiLineString"  # split at ±180
    for f in fc["features"]:
        text = json.dumps(f["geometry"]["coordinates"])
        for x in text.replace("[", "").replace("]", "").split(","):
            assert len(x.strip().split(".")[-1]) <= 6
    assert "GeoNames" in fc["metadata"]["attribution"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_reads_back_into_equal_tables(graph: FlowGraph, tmp_path, fmt: str) -> None:
    path = write_flows(graph, tmp_path / f"flows.{fmt}")
    back = read_flows(path)
    assert back.movements == graph.movements
    assert back.totals().equals(graph.totals())
    assert back.places == graph.places  # admin1 P-codes, kinds, ids kept


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "fgb"])
def test_summing_count_in_a_gis_gives_the_people_who_moved(graph: FlowGraph, tmp_path, fmt: str) -> None:
    path = write_flows(graph, tmp_path / f"flows.{fmt}")
    layer = "flows" if fmt == "gpkg" else None
    df = pyogrio.read_dataframe(path, layer=layer)
    if "feature" in df.columns:
        df = df[df["feature"] == "flow"]
    # 450 + 1,234,567 + 300 + 12 + 7: planned 20,000 and the cumulative 500 are apart.
    assert int(df["count"].fillna(0).sum()) == 450 + 1_234_567 + 300 + 12 + 7
    assert int(df["planned"].fillna(0).sum()) == 20000
    assert int(df["cumulative"].fillna(0).sum()) == 500
    assert shapely.is_valid(df.geometry.values).all()
    info = pyogrio.read_info(path, layer=layer)
    assert info["crs"] == "EPSG:4326"
    types = dict(zip(info["fields"], info["dtypes"], strict=True))
    assert types["date"].startswith("datetime64")  # a Date field, not text


def test_geopackage_layers_dates_and_metadata(graph: FlowGraph, tmp_path) -> None:
    path = write_gpkg(graph, tmp_path / "f.gpkg")
    assert {name for name, _ in pyogrio.list_layers(path)} == {"places", "flows"}
    info = pyogrio.read_info(path, layer="flows")
    assert dict(zip(info["fields"], info["dtypes"], strict=True))["date"] == "datetime64[D]"
    assert "GeoNames" in info["layer_metadata"]["DESCRIPTION"]
    places = pyogrio.read_dataframe(path, layer="places")
    assert set(places["admin1_pcode"]) >= {"SY04", "SY07", "SY02"}
    waer = places[places["place_id"] == "evacmap:al-waer"].iloc[0]
    assert waer["out_count"] == 450 + 0 and waer["planned_out"] == 20000
    assert waer["cumulative_out"] == 500


def test_csv_is_one_table_and_defused(tmp_path) -> None:
    evil = Place("=HYPERLINK(1)", 34.0, 36.0, id="x:evil")
    g = FlowGraph([Movement(evil, (IDLIB,), count=3)])
    path = write_flows(g, tmp_path / "f.csv")
    text = path.read_text(encoding="utf-8")
    assert "'=HYPERLINK(1)" in text and ",=HYPERLINK" not in text
    assert read_flows(path).movements[0].origin.name == "=HYPERLINK(1)"  # read back as text


def test_failed_write_keeps_the_old_file(graph: FlowGraph, tmp_path, monkeypatch) -> None:
    out = write_geojson(graph, tmp_path / "f.geojson")
    before = out.read_bytes()
    import evacmap.io.export as export

    def boom(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export, "movement_geometries", boom)
    with pytest.raises(OSError, match="No space"):
        write_geojson(graph, out)
    assert out.read_bytes() == before
