"""Canvas maps: chosen above 1,000 movements, the same data by both page writers, inline in Jupyter."""

from __future__ import annotations

from pathlib import Path

import pytest

from evacmap.errors import InputError, RenderError
from evacmap.flows import FlowGraph
from evacmap.model import Movement, Place
from evacmap.render import render_map, save_map
from evacmap.render.pack import unpack_flows
from evacmap.testing import hostile_texts, map_data, random_flow_graph


@pytest.fixture(scope="module")
def big() -> FlowGraph:
    return random_flow_graph(1500, seed=2)


def test_auto_draws_more_than_a_thousand_movements_on_a_canvas(big: FlowGraph) -> None:
    data = map_data(render_map(big).get_root().render())
    assert "flowCanvasMap" in data and "flowLayer" not in data and "placeLayer" not in data
    packed = data["flowCanvasMap"][0]["data"]
    assert packed["counts"]["movements"] == 1500
    assert int(unpack_flows(packed)["mc"].sum()) == int(big.tables.movements["count"].sum())
    svg = map_data(render_map(big, renderer="svg").get_root().render())
    assert "flowLayer" in svg and "flowCanvasMap" not in svg


def test_direct_page_and_folium_page_carry_the_same_data(big: FlowGraph, tmp_path: Path) -> None:
    direct = map_data(save_map(big, tmp_path / "a.html", title="t").read_text(encoding="utf-8"))
    via_folium = map_data(render_map(big, title="t").get_root().render())
    assert sorted(direct) == sorted(via_folium)
    for factory in ("flowCanvasMap", "legend", "title", "basemap"):
        assert direct[factory] == via_folium[factory], factory
    page = (tmp_path / "a.html").read_text(encoding="utf-8")
    assert 'src="http' not in page and "<link" not in page


def test_map_shows_itself_in_jupyter(big: FlowGraph) -> None:
    m = render_map(big)
    out = m._repr_html_()
    assert "<iframe srcdoc=" in out and "L.evacmap.flowCanvasMap" in out
    # Packed: the inline map of 1,500 flows stays small.
    assert len(out) < 1_200_000


def test_cut_note_and_bad_choices() -> None:
    g = random_flow_graph(50)
    data = map_data(render_map(g, renderer="canvas", top_n=10).get_root().render())
    note = data["flowCanvasMap"][0]["options"]["cutNote"]
    left = sorted(g.tables.movements["count"].astype(int).tolist())[:40]
    assert note == f"and 40 smaller flows ({sum(left):,} people) not drawn"
    with pytest.raises(InputError, match="renderer"):
        render_map(g, renderer="webgl")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="color_by"):
        render_map(g, color_by="size")  # type: ignore[arg-type]
    with pytest.raises(InputError, match="top_n"):
        render_map(g, top_n=-1)
    with pytest.raises(RenderError, match="cut left no movement"):
        render_map(g, min_count=10**9)
    # every drawing that cuts says so the same way (the canvas page once said "nothing to pack")
    from evacmap.render.page import canvas_page
    from evacmap.render.picture import render_picture

    for draw in (canvas_page, render_picture):
        with pytest.raises(RenderError, match="cut left no movement"):
            draw(g, min_count=10**9)


def test_hostile_text_reaches_the_canvas_page_only_as_json_strings(tmp_path: Path) -> None:
    payloads = hostile_texts(str(tmp_path / "pwned"))
    ms = [
        Movement(Place(t, 33.0 + i * 0.1, 36.0, id=f"o{i}"), (Place("D", 35.0, 37.0, id="d"),),
                 count=5, sources=(t,), groups=((t, 1),), id=f"m{i}")
        for i, t in enumerate(payloads.values())
    ]
    page = save_map(FlowGraph(ms), tmp_path / "h.html", renderer="canvas",
                    title=payloads["jinja_expression"]).read_text(encoding="utf-8")
    for t in payloads.values():
        if "<" in t:
            assert t not in page, t
    data = map_data(page)
    s = data["flowCanvasMap"][0]["data"]["strings"]
    assert set(payloads.values()) <= set(s["names"]) and set(payloads.values()) <= set(s["sources"])
    assert data["title"][0]["data"] == "X{{7*7}}X"
    assert not (tmp_path / "pwned").exists()
