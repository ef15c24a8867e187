"""User overlays (--overlay FILE) on the web map and the picture, and online tiles (--tiles)."""

from __future__ import annotations

import json
import re
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from click.testing import CliRunner
from shapely.geometry import shape

from evacmap._resources import example_path
from evacmap.cli.main import cli
from evacmap.errors import CRSError, InputError, MissingCRSWarning
from evacmap.flows import FlowGraph
from evacmap.render import render_map
from evacmap.render.assets import leaflet_css, leaflet_js
from evacmap.render.elements import TileLayer
from evacmap.render.overlay import Overlay, add_overlay, read_overlay
from evacmap.render.overlay_layer import overlay_js
from evacmap.render.picture import save_picture
from evacmap.testing import map_data

# Test fixtures, not real boundaries: two boxes, a line and a point around Homs.
PAYLOAD = "<script>alert(1)</script> $x$ {{ 7*7 }}"


def _fixture(tmp_path: Path) -> Path:
    doc = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"name": "Area <A>", "pcode": "T01", "note": PAYLOAD},
             "geometry": {"type": "Polygon", "coordinates": [[[36.2, 34.4], [37.4, 34.4], [37.4, 35.4], [36.2, 35.4], [36.2, 34.4]]]}},
            {"type": "Feature", "properties": {"name": "Area B", "pcode": "T02", "note": None},
             "geometry": {"type": "Polygon", "coordinates": [[[36.2, 35.4], [37.4, 35.4], [37.4, 36.4], [36.2, 36.4], [36.2, 35.4]]]}},
            {"type": "Feature", "properties": {"name": "Road", "pcode": None, "note": None},
             "geometry": {"type": "LineString", "coordinates": [[37.4, 35.0], [38.0, 36.5]]}},
            {"type": "Feature", "properties": {"name": "Point", "pcode": None, "note": None},
             "geometry": {"type": "Point", "coordinates": [37.8, 35.2]}},
        ],
    }
    path = tmp_path / "adm.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _outside_leaflet(page: str) -> str:
    return page.replace(leaflet_js(), "").replace(leaflet_css(), "")


# -- reading ------------------------------------------------------------------------------


def test_overlay_properties_become_escaped_tooltips_and_plain_labels(tmp_path: Path) -> None:
    ov = read_overlay(_fixture(tmp_path), label="name")
    assert ov.name == "adm.geojson" and len(ov) == 4
    first = ov.features[0]["properties"]
    assert first["label"] == "Area <A>"  # plain text, for pictures
    assert "<b>name</b>: Area &lt;A&gt;" in first["tip"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in first["tip"]
    assert "<script>" not in first["tip"]
    # Empty properties are left out of the tooltip.
    assert "note" not in ov.features[1]["properties"]["tip"]
    lon, lat = first["at"]
    assert shape(ov.features[0]["geometry"]).contains(shapely.Point(lon, lat))


def test_overlay_in_another_crs_is_reprojected(tmp_path: Path) -> None:
    gdf = gpd.GeoDataFrame(
        {"name": ["box"]}, geometry=[shapely.box(36.2, 34.4, 37.4, 35.4)], crs="EPSG:4326"
    ).to_crs("EPSG:3857")
    path = tmp_path / "adm.gpkg"
    gdf.to_file(path, driver="GPKG")
    ov = read_overlay(path)
    west, south, east, north = shape(ov.features[0]["geometry"]).bounds
    assert (west, south, east, north) == pytest.approx((36.2, 34.4, 37.4, 35.4), abs=1e-3)


@pytest.mark.filterwarnings("ignore:'crs' was not provided:UserWarning")
def test_overlay_without_crs(tmp_path: Path) -> None:
    lonlat = tmp_path / "lonlat.gpkg"
    gpd.GeoDataFrame({"n": [1]}, geometry=[shapely.box(36, 34, 37, 35)]).to_file(lonlat)
    with pytest.warns(MissingCRSWarning, match="no coordinate reference system"):
        ov = read_overlay(lonlat)
    assert len(ov) == 1
    metres = tmp_path / "metres.gpkg"
    gpd.GeoDataFrame({"n": [1]}, geometry=[shapely.box(4e6, 4e6, 4.1e6, 4.1e6)]).to_file(metres)
    with pytest.raises(CRSError, match="not longitude/latitude"):
        read_overlay(metres)


def test_overlay_errors_name_the_file_and_the_fix(tmp_path: Path) -> None:
    path = _fixture(tmp_path)
    with pytest.raises(InputError, match=r"no property 'nom'.*'name', 'pcode', 'note'"):
        read_overlay(path, label="nom")
    table = tmp_path / "t.csv"
    table.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(InputError, match="has no geometry"):
        read_overlay(table)
    with pytest.raises(InputError, match="no such file"):
        read_overlay(tmp_path / "missing.geojson")
    with pytest.raises(InputError, match="`colour`"):
        read_overlay(path, colour="blue")


def test_detailed_overlays_are_simplified(tmp_path: Path) -> None:
    circle = shapely.Point(36.7, 34.7).buffer(0.5, quad_segs=2000)  # 8,000 vertices
    path = tmp_path / "c.geojson"
    gpd.GeoDataFrame({"n": [1]}, geometry=[circle], crs="EPSG:4326").to_file(path)
    ov = read_overlay(path)
    kept = shapely.get_num_coordinates(shape(ov.features[0]["geometry"]))
    assert kept < 1000
    assert shape(ov.features[0]["geometry"]).area == pytest.approx(circle.area, rel=0.01)


# -- on the web map ---------------------------------------------------------------------------


def test_overlay_on_the_web_map_is_data_only_and_offline(tmp_path: Path, al_waer_graph: FlowGraph) -> None:
    m = add_overlay(render_map(al_waer_graph), read_overlay(_fixture(tmp_path), label="name"))
    page = m.get_root().render()
    (layer,) = map_data(page)["overlay"]
    labels = [f["properties"]["label"] for f in layer["data"]["features"]]
    assert labels == ["Area &lt;A&gt;", "Area B", "Road", "Point"]  # escaped for HTML
    assert "Overlay: adm.geojson" in layer["options"]["attribution"]
    assert overlay_js() in page
    assert "alert(1)</script>" not in page  # only escaped copies
    assert "{{ 7*7 }}" in json.dumps(layer)  # never run through a template
    rest = _outside_leaflet(page)
    assert "http://" not in rest and "https://" not in rest
    # The overlay's pane lies above the basemap (150) and tiles (200), below flows (400).
    assert re.search(r'pane\(map, "evacmapOverlay", 350, true\)', overlay_js())
    assert "tileLayer" not in map_data(page)


def test_overlay_accepts_a_path_and_an_empty_overlay(tmp_path: Path, al_waer_graph: FlowGraph) -> None:
    m = add_overlay(add_overlay(render_map(al_waer_graph), _fixture(tmp_path)), Overlay("none"))
    assert [len(o["data"]["features"]) for o in map_data(m.get_root().render())["overlay"]] == [4, 0]
    with pytest.raises(InputError, match="Overlay or a file path"):
        add_overlay(m, 42)  # type: ignore[arg-type]


# -- on the picture -----------------------------------------------------------------------------


def test_overlay_on_the_picture_is_plain_text_and_credited(tmp_path: Path, al_waer_graph: FlowGraph) -> None:
    path = tmp_path / "adm.geojson"
    doc = json.loads(_fixture(tmp_path).read_text(encoding="utf-8"))
    doc["features"][1]["properties"]["name"] = "$x^2$ <b>"
    path.write_text(json.dumps(doc), encoding="utf-8")
    out = save_picture(al_waer_graph, tmp_path / "m.svg", overlays=[read_overlay(path, label="name")])
    texts = ["".join(e.itertext()) for e in ET.parse(out).getroot().iter("{http://www.w3.org/2000/svg}text")]
    assert "Area <A>" in texts and "$x^2$ <b>" in texts and "Road" in texts
    assert any("Overlay: adm.geojson" in t for t in texts)


# -- tiles ------------------------------------------------------------------------------------------


def test_tiles_by_provider_name_keep_the_offline_basemap(al_waer_graph: FlowGraph) -> None:
    page = render_map(al_waer_graph, tiles="CartoDB.Positron").get_root().render()
    data = map_data(page)
    (tiles,) = data["tileLayer"]
    assert tiles["data"].endswith("/light_all/{z}/{x}/{y}.png")
    assert "CARTO" in tiles["options"]["attribution"]
    # The offline background stays under the tiles: offline, the page still shows land.
    assert len(data["basemap"]) == 1 and data["basemap"][0]["data"]["features"]


def test_local_tile_url_template_is_used_as_given(al_waer_graph: FlowGraph) -> None:
    url = "http://localhost:8080/{z}/{x}/{y}.png"
    page = render_map(al_waer_graph, tiles=url).get_root().render()
    (tiles,) = map_data(page)["tileLayer"]
    assert tiles["data"] == url and tiles["options"]["attribution"] is None
    assert _outside_leaflet(page).count("http://") == 1  # that URL, nothing else
    assert TileLayer.from_spec("tiles/{z}/{x}/{y}.png").data == "tiles/{z}/{x}/{y}.png"
    with pytest.raises(InputError, match="scheme 'javascript'"):
        TileLayer.from_spec("javascript:alert(1)//{z}/{x}/{y}")


# -- command line -------------------------------------------------------------------------------------


def test_cli_overlay_and_tiles(tmp_path: Path) -> None:
    ov = _fixture(tmp_path)
    html = tmp_path / "m.html"
    res = run("map", str(example_path()), "-o", str(html), "--overlay", str(ov),
              "--overlay-label", "name", "--tiles", "CartoDB.Positron")
    assert res.exit_code == 0, res.stderr
    data = map_data(html.read_text(encoding="utf-8"))
    assert len(data["overlay"]) == 1 and len(data["tileLayer"]) == 1
    png = tmp_path / "m.png"
    res = run("map", str(example_path()), "-o", str(png), "--overlay", str(ov), "--overlay-label", "name")
    assert res.exit_code == 0, res.stderr
    assert png.read_bytes().startswith(b"\x89PNG")


def test_cli_without_tiles_makes_no_external_request(tmp_path: Path) -> None:
    html = tmp_path / "m.html"
    with warnings.catch_warnings():
        res = run("map", str(example_path()), "-o", str(html), "--overlay", str(_fixture(tmp_path)))
    assert res.exit_code == 0, res.stderr
    page = html.read_text(encoding="utf-8")
    assert "tileLayer" not in map_data(page) and "{z}" not in page
    rest = _outside_leaflet(page)
    assert "http://" not in rest and "https://" not in rest
    assert not re.search(r"<(script|img|link|iframe)[^>]+(src|href)=", page)


def test_cli_overlay_usage_errors(tmp_path: Path) -> None:
    res = run("map", str(example_path()), "-o", str(tmp_path / "m.html"), "--overlay-label", "name")
    assert res.exit_code == 2 and "--overlay" in res.stderr
    res = run("map", str(example_path()), "-o", str(tmp_path / "m.html"), "--overlay", str(tmp_path / "nope.gpkg"))
    assert res.exit_code == 2
    res = run("map", str(example_path()), "-o", str(tmp_path / "m.html"), "--overlay", str(_fixture(tmp_path)),
              "--overlay-label", "nom")
    assert res.exit_code == 1 and "no property 'nom'" in res.stderr
    assert not (tmp_path / "m.html").exists()
