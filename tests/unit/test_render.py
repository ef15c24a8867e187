from __future__ import annotations

import json
import re
from typing import Any

import folium
import pytest

from evacmap.errors import InputError, RenderError
from evacmap.flows import FlowGraph
from evacmap.model import CountKind, Movement, Place
from evacmap.render import MapStyle, OfflineMap, render_map, save_map
from evacmap.render.assets import evacmap_js, leaflet_css, leaflet_js
from evacmap.testing import map_data, random_flow_graph


def _html(m: folium.Map) -> str:
    return m.get_root().render()


def _blob(html: str, factory: str) -> dict[str, Any]:
    """The data one layer ("flowLayer" or "placeLayer") of the page holds, decoded."""
    found = map_data(html).get(factory, [])
    assert len(found) == 1, f"expected one {factory} layer, found {len(found)}"
    return found[0]["data"]  # type: ignore[no-any-return]


def _count(html: str, factory: str) -> int:
    return len(map_data(html).get(factory, []))


def _features_of(blob: dict[str, Any], movement_index: int) -> list[dict[str, Any]]:
    return [f["properties"] for f in blob["features"] if f["properties"]["m"] == movement_index]


@pytest.fixture(scope="module")
def demo_page(al_waer_graph: FlowGraph) -> str:
    return _html(render_map(al_waer_graph, title="al-Waer, 2017"))


# -- offline by default ---------------------------------------------------------------


def test_default_output_loads_nothing_from_the_network(demo_page: str) -> None:
    assert not re.search(r"<script[^>]*\ssrc=", demo_page)
    assert not re.search(r"<link[^>]*\shref=[\"']?(https?:)?//", demo_page)
    assert "{z}" not in demo_page
    assert "tile.openstreetmap" not in demo_page
    # Apart from Leaflet's own source (comments, SVG namespace, its attribution link),
    # the page holds no URL at all.
    rest = demo_page.replace(leaflet_js(), "").replace(leaflet_css(), "")
    assert "http://" not in rest
    assert "https://" not in rest


def test_leaflet_is_inlined_without_jquery_bootstrap_or_font_awesome(demo_page: str) -> None:
    assert f"<script>{leaflet_js()}</script>" in demo_page
    assert f"<style>{leaflet_css()}</style>" in demo_page
    assert "url(images/" not in demo_page
    assert "data:image/png;base64," in demo_page
    lower = demo_page.lower()
    for absent in ("jquery", "bootstrap", "fontawesome", "font-awesome", "awesome-markers"):
        assert absent not in lower
    # Leaflet's attribution prefix (a link) is replaced by plain text.
    assert map_data(demo_page)["attributionPrefix"][0]["data"] == "Leaflet"


def test_tiles_openstreetmap_adds_a_tile_layer(al_waer_graph: FlowGraph) -> None:
    html = _html(render_map(al_waer_graph, tiles="OpenStreetMap"))
    (tiles,) = map_data(html)["tileLayer"]
    assert tiles["data"] == "https://tile.openstreetmap.org/{z}/{x}/{y}.png"
    assert "OpenStreetMap" in tiles["options"]["attribution"]
    assert _count(_html(render_map(al_waer_graph)), "tileLayer") == 0


def test_offline_map_leaves_folium_class_lists_alone() -> None:
    js, css = list(folium.Map.default_js), list(folium.Map.default_css)
    m = OfflineMap()
    assert m.default_js == []
    assert m.default_css == []
    m.add_js_link("extra", "extra.js")
    assert folium.Map.default_js == js
    assert folium.Map.default_css == css
    assert OfflineMap().default_js == []
    assert "cdn.jsdelivr.net" in _html(folium.Map(tiles=None))  # folium itself unchanged


def test_map_shows_itself_in_jupyter(al_waer_graph: FlowGraph) -> None:
    out = render_map(al_waer_graph)._repr_html_()
    assert "<iframe srcdoc=" in out
    assert "L.evacmap.flowLayer" in out
    assert "src=&quot;http" not in out
    assert 'src="http' not in out


# -- the fork: one arc, one total, no invented shares -----------------------------------


def test_unsplit_movement_is_one_fork_with_the_total(demo_page: str) -> None:
    flows = _blob(demo_page, "flowLayer")
    m1 = _features_of(flows, 0)
    assert sorted(p["role"] for p in m1) == ["branch", "branch", "trunk"]
    (trunk,) = [p for p in m1 if p["role"] == "trunk"]
    branches = [p for p in m1 if p["role"] == "branch"]
    assert trunk["label"] == "450"
    assert trunk["kind"] == "moved"
    # Branches carry no count: no label, the same width, thinner than the total.
    assert all("label" not in b for b in branches)
    assert branches[0]["w"] == branches[1]["w"] < trunk["w"]
    text = json.dumps(flows)
    assert "225" not in text  # 450 / 2 would be an invented share
    tip = flows["tooltips"][0]
    assert "450 people" in tip
    assert "including 193 fighters" in tip
    assert "Split between destinations not reported" in tip
    assert "2017-01-01/2017-12-31" in tip
    assert "stage: final" in tip
    assert "Sputnik" in tip


def test_planned_figure_is_drawn_apart_and_never_added(demo_page: str) -> None:
    flows = _blob(demo_page, "flowLayer")
    m2 = _features_of(flows, 1)
    assert {p["kind"] for p in m2} == {"planned"}
    assert [p["label"] for p in m2 if "label" in p] == ["up to 20,000 planned"]
    assert "20,450" not in demo_page
    assert "20450" not in demo_page
    assert "not added" in flows["tooltips"][1]
    assert "planned (not added)" in demo_page  # legend
    # Planned lines are drawn first (below), on the same width scale.
    kinds = [f["properties"]["kind"] for f in flows["features"]]
    assert kinds == sorted(kinds, key=lambda k: k != "planned")
    assert flows["vmax"] == 20000


def test_unsplit_destinations_get_hollow_circles(demo_page: str) -> None:
    places = _blob(demo_page, "placeLayer")
    by_label = {f["properties"]["label"]: f["properties"] for f in places["features"]}
    assert by_label["al-Waer"]["hollow"] is False
    assert by_label["al-Waer"]["r"] == MapStyle().max_radius_px
    for name in ("Idlib governorate", "Jarablus"):
        assert by_label[name]["hollow"] is True
        assert by_label[name]["r"] == MapStyle().hollow_radius_px
        assert (
            "up to 450 people (split between destinations not reported)" in (by_label[name]["tip"])
        )
    assert "approximate location" in by_label["Idlib governorate"]["tip"]
    assert "approximate location" not in by_label["Jarablus"]["tip"]


def test_unknown_count_is_thin_dotted_and_says_so() -> None:
    a, b = Place("A", 34.0, 36.0), Place("B", 35.0, 37.0)
    html = _html(render_map(FlowGraph([Movement(a, (b,), count=None)])))
    flows = _blob(html, "flowLayer")
    (props,) = [f["properties"] for f in flows["features"]]
    assert props["unknown"] is True
    assert props["w"] == MapStyle().min_width_px
    assert "count unknown" in flows["tooltips"][0]
    assert "count unknown" in html  # legend


def test_flow_widths_grow_with_the_square_root_of_the_count() -> None:
    o = Place("O", 34.0, 36.0)
    dests = [Place(f"D{i}", 35.0 + i / 10, 37.0, id=f"d{i}") for i in range(2)]
    g = FlowGraph([Movement(o, (dests[0],), count=400), Movement(o, (dests[1],), count=100)])
    flows = _blob(_html(render_map(g)), "flowLayer")
    widths = {f["properties"]["m"]: f["properties"]["w"] for f in flows["features"]}
    assert widths[0] == MapStyle().max_width_px
    assert widths[1] == pytest.approx(MapStyle().max_width_px / 2, abs=0.1)


# -- untrusted text ---------------------------------------------------------------------


def test_every_user_string_is_escaped() -> None:
    evil = Place("<img src=x onerror=alert(1)>", 34.7, 36.6, id="x:img")
    script = Place("<script>alert(2)</script>", 35.9, 36.6, id="x:script")
    other = Place("Jarablus", 36.8, 38.0)
    g = FlowGraph(
        [
            Movement(
                evil,
                (script, other),
                count=450,
                groups=(("<i>fighters</i>", 193),),
                stage="<b>final</b>",
                sources=("<a href='javascript:alert(4)'>src</a>",),
            )
        ]
    )
    html = _html(render_map(g, title="<script>alert(3)</script>", noun="<u>people</u>"))
    for raw in ("<img", "<script>alert", "<i>fighters", "<b>final", "<a href='java", "<u>"):
        assert raw not in html
    assert "<title>&lt;script&gt;alert(3)&lt;/script&gt;</title>" in html
    flows = _blob(html, "flowLayer")
    places = _blob(html, "placeLayer")
    tip = flows["tooltips"][0]
    assert "&lt;img src=x onerror=alert(1)&gt;" in tip
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in tip
    assert "&lt;i&gt;fighters&lt;/i&gt;" in tip
    assert "&lt;b&gt;final&lt;/b&gt;" in tip
    assert "&lt;a href=&#x27;javascript:alert(4)&#x27;&gt;" in tip
    labels = {f["properties"]["label"] for f in places["features"]}
    assert "&lt;img src=x onerror=alert(1)&gt;" in labels
    assert all(
        "<"
        not in f["properties"]["tip"]
        .replace("<b>", "")
        .replace("</b>", "")
        .replace("<br>", "")
        .replace("<i>", "")
        .replace("</i>", "")
        for f in places["features"]
    )


# -- legend, title, existing maps, errors ------------------------------------------------


def test_legend_has_round_reference_widths(al_waer_graph: FlowGraph) -> None:
    a, b = Place("A", 34.0, 36.0), Place("B", 35.0, 37.0)
    html = _html(render_map(FlowGraph([Movement(a, (b,), count=450)])))
    (legend,) = map_data(html)["legend"]
    widths = re.findall(r'evacmap-legend-width.*?<span>([0-9,]+)<', legend["data"])
    assert widths == ["400", "100", "20"]
    assert _count(_html(render_map(al_waer_graph, legend=False)), "legend") == 0


def test_title_control(al_waer_graph: FlowGraph) -> None:
    html = _html(render_map(al_waer_graph, title="al-Waer & Homs"))
    assert map_data(html)["title"][0]["data"] == "al-Waer &amp; Homs"
    assert _count(_html(render_map(al_waer_graph)), "title") == 0


def test_render_into_an_existing_map(al_waer_graph: FlowGraph) -> None:
    m = folium.Map(location=(35, 37), zoom_start=6, tiles=None)
    folium.Marker((35.0, 37.0)).add_to(m)
    out = render_map(al_waer_graph, m=m)
    assert out is m
    html = _html(m)
    assert _count(html, "flowLayer") == 1
    assert f".addTo({m.get_name()})" in html
    assert "L.marker(" in html  # what was on the map stays
    m2 = OfflineMap()
    render_map(al_waer_graph, m=m2, basemap=False)
    render_map(al_waer_graph, m=m2, basemap=False)
    html2 = _html(m2)
    assert _count(html2, "flowLayer") == 2
    assert html2.count(evacmap_js()) == 1  # the plugin is inlined once


def test_basemap_is_clipped_and_attributed(demo_page: str, al_waer_graph: FlowGraph) -> None:
    assert "Natural Earth (public domain)" in demo_page
    assert "GeoNames (CC BY 4.0)" in demo_page
    assert _count(demo_page, "basemap") == 1
    without = _html(render_map(al_waer_graph, basemap=False))
    assert _count(without, "basemap") == 0
    assert 10_000 < len(demo_page) - len(without) < 80_000  # clipped, not the whole world


def test_empty_graph_raises_render_error() -> None:
    with pytest.raises(RenderError, match=r"empty FlowGraph.*Hint: add at least one Movement"):
        render_map(FlowGraph())


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"bend": 2.0}, "`bend` must be a number between -1 and 1"),
        ({"tiles": 3}, "`tiles` must be a tile provider name"),
        ({"tiles": "NoSuchProvider"}, "neither a tile provider name nor a URL template"),
        ({"tiles": "https://t.example.org/tiles.png"}, r"lacks \{z\}, \{x\}, \{y\}"),
        ({"noun": ""}, "`noun` must be a non-empty string"),
    ],
)
def test_bad_arguments_say_what_is_wrong(
    al_waer_graph: FlowGraph, kwargs: dict[str, Any], match: str
) -> None:
    with pytest.raises(InputError, match=match):
        render_map(al_waer_graph, **kwargs)


def test_save_map_writes_the_page(tmp_path: Any, al_waer_graph: FlowGraph) -> None:
    path = save_map(al_waer_graph, tmp_path / "map.html", title="t")
    assert path == tmp_path / "map.html"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    assert _count(text, "flowLayer") == 1


# -- size -------------------------------------------------------------------------------


def test_one_thousand_flows_stay_well_under_a_megabyte() -> None:
    graph = random_flow_graph(1000)
    html = _html(render_map(graph))
    flows = _blob(html, "flowLayer")
    assert len(flows["features"]) == 1000
    assert len(html.encode("utf-8")) < 900_000
    # One data blob, not one Leaflet object per flow.
    assert _count(html, "flowLayer") == 1
    assert html.count("L.polyline(") == evacmap_js().count("L.polyline(")  # none per flow


def test_planned_movement_kinds_are_distinguished_in_data() -> None:
    a, b = Place("A", 34.0, 36.0), Place("B", 35.0, 37.0)
    g = FlowGraph(
        [
            Movement(a, (b,), count=100, count_kind=CountKind.CUMULATIVE),
            Movement(a, (b,), count=40),
        ]
    )
    flows = _blob(_html(render_map(g)), "flowLayer")
    kinds = {f["properties"]["m"]: f["properties"]["kind"] for f in flows["features"]}
    assert kinds == {0: "cumulative", 1: "moved"}
    labels = {f["properties"]["m"]: f["properties"]["label"] for f in flows["features"]}
    assert labels == {0: "100 cumulative", 1: "40"}
