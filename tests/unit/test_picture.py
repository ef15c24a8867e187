"""Static pictures (PNG, SVG, PDF) of flow maps: valid files, the web map's encoding, plain text."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from evacmap.errors import ExportError, InputError, RenderError
from evacmap.flows import FlowGraph
from evacmap.model import CountKind, Movement, Place
from evacmap.render.picture import picture_format, render_picture, save_picture
from evacmap.render.picture_geometry import Frame, arrowhead, merc, scale_km
from evacmap.render.style import MapStyle

SVG = "{http://www.w3.org/2000/svg}"


def _svg_texts(path: Path) -> list[str]:
    root = ET.parse(path).getroot()  # also proves the file is well-formed XML
    return ["".join(el.itertext()) for el in root.iter(f"{SVG}text")]


def _rgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)])


def _pixels_near(img: Image.Image, hex_colour: str, tol: int = 25) -> int:
    arr = np.asarray(img.convert("RGB")).astype(int)
    return int((np.abs(arr - _rgb(hex_colour)).max(axis=2) <= tol).sum())


@pytest.fixture(scope="module")
def waer_png(tmp_path_factory: pytest.TempPathFactory, al_waer_graph: FlowGraph) -> Path:
    out = tmp_path_factory.mktemp("pic") / "al-waer.png"
    save_picture(al_waer_graph, out, title="al-Waer, 2017", dpi=100)
    return out


@pytest.fixture(scope="module")
def waer_svg(tmp_path_factory: pytest.TempPathFactory, al_waer_graph: FlowGraph) -> Path:
    out = tmp_path_factory.mktemp("pic") / "al-waer.svg"
    save_picture(al_waer_graph, out, title="al-Waer, 2017")
    return out


def test_png_is_a_valid_picture_with_flows_in_their_colours(waer_png: Path) -> None:
    with Image.open(waer_png) as img:
        img.load()
        assert img.format == "PNG"
        assert img.size[0] == 1000  # 10 inches at 100 dpi
        style = MapStyle()
        # The convoy (solid red), the planned band (orange outline) and the basemap.
        assert _pixels_near(img, style.moved_colour) > 200
        assert _pixels_near(img, style.planned_colour) > 200
        assert _pixels_near(img, style.land_colour, tol=3) > 50_000


def test_svg_is_valid_xml_with_names_legend_title_and_credits_as_text(waer_svg: Path) -> None:
    texts = _svg_texts(waer_svg)
    for expected in ("al-Waer", "Idlib governorate", "Jarablus", "450", "up to 20,000 planned",
                     "al-Waer, 2017", "People (line width)", "planned (not added)"):
        assert expected in texts, expected
    credits = " ".join(t for t in texts if "Natural Earth" in t)
    assert "GeoNames" in credits
    assert "news report citing a Sputnik correspondent" in credits


def test_fork_is_drawn_once_with_its_total(al_waer_graph: FlowGraph) -> None:
    fig = render_picture(al_waer_graph)
    ax = fig.axes[0]
    texts = [t.get_text() for t in ax.texts]
    # One label per movement (on its trunk), never one per branch, never a share.
    assert texts.count("450") == 1
    assert texts.count("up to 20,000 planned") == 1
    assert "225" not in texts
    # Arrowheads end the branches only: 2 movements x 2 destinations.
    heads = [c for c in ax.collections if type(c).__name__ == "PolyCollection"]
    assert len(heads) == 1
    assert len(heads[0].get_paths()) == 4


def test_branches_are_dashed_and_the_trunk_is_solid(al_waer_graph: FlowGraph) -> None:
    fig = render_picture(al_waer_graph)
    red = MapStyle().moved_colour
    solid, dashed = 0, 0
    for c in fig.axes[0].collections:
        if type(c).__name__ != "LineCollection":
            continue
        colours = [tuple(np.round(rgba[:3] * 255).astype(int)) for rgba in c.get_colors()]
        for colour, (_, pattern) in zip(colours, c.get_linestyles(), strict=False):
            if np.array_equal(colour, _rgb(red)):
                if pattern is None:
                    solid += 1
                else:
                    dashed += 1
    assert solid == 1  # the convoy's trunk
    assert dashed == 2  # its two branches


def test_pdf_is_written_and_well_formed(tmp_path: Path, al_waer_graph: FlowGraph) -> None:
    out = save_picture(al_waer_graph, tmp_path / "map.pdf")
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    assert data.rstrip().endswith(b"%%EOF")
    assert len(re.findall(rb"/Type\s*/Page\b", data)) == 1
    assert b"/FontFile2" in data  # TrueType fonts embedded: text stays text


def test_text_from_the_table_is_plain_text_not_mathtext_or_markup(tmp_path: Path) -> None:
    a = Place("$x^2$ <b>&amp;</b>", 34.7, 36.7)
    b = Place(r"$\alpha$ \n", 35.9, 36.6)
    g = FlowGraph([Movement(a, (b,), count=10, sources=("<script>alert(1)</script> $y$",))])
    out = save_picture(g, tmp_path / "m.svg", title="$T$ & <i>co</i>", noun="$n$")
    texts = _svg_texts(out)
    assert "$x^2$ <b>&amp;</b>" in texts
    assert r"$\alpha$ \n" in texts
    assert "$T$ & <i>co</i>" in texts
    assert any(t.startswith("$n$ (line width)") for t in texts)
    assert any("<script>alert(1)</script> $y$" in t for t in texts)
    raw = out.read_text(encoding="utf-8")
    assert "<b>" not in raw and "<script>" not in raw and "<i>" not in raw
    assert "&lt;b&gt;&amp;amp;&lt;/b&gt;" in raw


def test_failure_leaves_the_previous_file_untouched(
    tmp_path: Path, al_waer_graph: FlowGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "map.png"
    out.write_bytes(b"previous picture")
    with pytest.raises(RenderError, match="empty FlowGraph"):
        save_picture(FlowGraph(), out)
    assert out.read_bytes() == b"previous picture"

    from evacmap import _atomic

    def broken(self: Any, *args: Any, **kwargs: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", broken)
    with pytest.raises(ExportError, match="No space left"):
        save_picture(al_waer_graph, out)
    monkeypatch.undo()
    assert _atomic  # the writer used
    assert out.read_bytes() == b"previous picture"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.png"]


def test_unknown_extension_and_bad_arguments_are_refused(tmp_path: Path, al_waer_graph: FlowGraph) -> None:
    with pytest.raises(InputError, match=r"\.png, \.svg, \.pdf"):
        save_picture(al_waer_graph, tmp_path / "map.jpg")
    assert not (tmp_path / "map.jpg").exists()
    assert picture_format("A.PDF") == "pdf"
    with pytest.raises(InputError, match="`bend`"):
        render_picture(al_waer_graph, bend=3)
    with pytest.raises(InputError, match="`width_in`"):
        render_picture(al_waer_graph, width_in=1000)
    with pytest.raises(InputError, match="FlowGraph"):
        render_picture([])  # type: ignore[arg-type]


def test_same_input_gives_the_same_svg(tmp_path: Path, al_waer_graph: FlowGraph) -> None:
    a = save_picture(al_waer_graph, tmp_path / "a.svg").read_bytes()
    b = save_picture(al_waer_graph, tmp_path / "b.svg").read_bytes()
    assert a == b


def test_unknown_counts_and_hollow_kinds_are_drawn() -> None:
    a, b, c = Place("A", 34.7, 36.7), Place("B", 35.9, 36.6), Place("C", 35.0, 38.0)
    g = FlowGraph([
        Movement(a, (b,)),  # count unknown: dotted, no label
        Movement(a, (c,), count=5000, count_kind=CountKind.CUMULATIVE),
    ])
    fig = render_picture(g)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "5,000 cumulative" in texts
    assert "unknown" not in " ".join(texts)
    legend = [t.get_text() for t in fig.axes[1].findobj(lambda o: hasattr(o, "get_text"))]
    assert "count unknown" in legend and "cumulative (not added)" in legend


def test_arrowhead_stops_short_of_the_circle() -> None:
    line = np.array([[0.0, 0.0], [100.0, 0.0]])
    shape = arrowhead(line, 4.0, gap=10.0)
    assert shape is not None
    head, cut = shape
    assert head[0] == pytest.approx([90.0, 0.0])  # the tip, 10 px short of the end
    assert cut[-1][0] == pytest.approx(90.0 - (6 + 1.9 * 4))  # line ends at the head's base
    assert arrowhead(np.array([[0.0, 0.0], [3.0, 0.0]]), 4.0, gap=0.0) is None


def test_scale_bar_is_a_round_distance_true_at_the_centre() -> None:
    # At the equator one degree of longitude is 111.32 km; 10 px per degree.
    km, length_px = scale_km(Frame(-5.0, -5.0, 5.0, 5.0, k=10.0))
    assert km == 1000 and length_px == pytest.approx(1000 / 11.132)
    # At 60°N a degree is half as long: the same bar covers twice the pixels.
    y60 = float(np.degrees(np.log(np.tan(np.pi / 4 + np.radians(60) / 2))))
    km60, px60 = scale_km(Frame(-5.0, y60 - 1, 5.0, y60 + 1, k=10.0))
    assert km60 == 500 and px60 == pytest.approx(500 / 5.566, rel=1e-3)


def test_arabic_names_and_antimeridian_flows_draw(tmp_path: Path) -> None:
    homs, idlib = Place("حمص", 34.73, 36.72), Place("إدلب", 35.93, 36.63)
    fiji, samoa = Place("Suva", -18.14, 178.44), Place("Apia", -13.83, -171.76)
    g = FlowGraph([Movement(homs, (idlib,), count=450), Movement(fiji, (samoa,), count=30)])
    texts = _svg_texts(save_picture(g, tmp_path / "m.svg"))
    assert "حمص" in texts and "إدلب" in texts and "Apia" in texts


def test_a_crowded_picture_names_only_the_largest_places_where_they_fit() -> None:
    from evacmap.testing import random_flow_graph

    g = random_flow_graph(400)  # 80 places: above the 60 labelled in full
    fig = render_picture(g)
    names = {t.get_text() for t in fig.axes[0].texts if t.get_color() == "#1c2733"}
    people = g.totals()["people"].sort_values(ascending=False, kind="stable")
    top = [g.places[pid].name for pid in people.index[:15]]
    assert names and names <= set(top)
    assert top[0] in names
    assert not any(t.get_text().replace(",", "").isdigit() for t in fig.axes[0].texts)  # no count labels
    bare = {t.get_text() for t in render_picture(g, labels=False).axes[0].texts}
    assert not bare & {p.name for p in g.places.values()}


def test_open_ends_are_stubs_and_same_place_movements_rings() -> None:
    from evacmap.render.picture_geometry import end_items

    har, idl, hom = Place("Harasta", 33.56, 36.36), Place("Idlib", 35.93, 36.63), Place("Homs", 34.73, 36.72)
    jar = Place("Jarablus", 36.82, 38.01)
    g = FlowGraph([
        Movement(har, (), count=2000),  # "left Harasta": no destination invented
        Movement(None, (idl, jar), count=5000),  # "arrived in Idlib and Jarablus"
        Movement(hom, (hom,), count=800),  # within Homs
    ])
    fig = render_picture(g)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert texts.count("2,000") == 1 and texts.count("5,000") == 1 and texts.count("800") == 1
    legend = [t.get_text() for t in fig.axes[1].findobj(lambda o: hasattr(o, "get_text"))]
    assert any("other end was not" in t for t in legend) and any("within one place" in t for t in legend)
    frame = Frame(30.0, 35.0, 45.0, 45.0, k=50.0)
    items = end_items(g, frame, {}, style=MapStyle(), vmax=5000.0, labels=True)
    assert [it["p"]["role"] for it in items] == ["stub", "stub", "stub", "ring"]
    assert [bool(it["p"].get("label")) for it in items] == [True, True, False, True]
    # Each stub stays within 30 + w + 3 px of its own place: it points at no other place.
    for it, place in zip(items[:3], (har, idl, jar), strict=True):
        at = frame.px(*merc(place.lon, place.lat))[0]
        ends = np.vstack([*it["parts"], it["head"]])
        assert np.hypot(*(ends - at).T).max() <= 2 + 26 + it["p"]["w"] + 1


def test_a_movement_with_waypoints_is_drawn_through_them() -> None:
    dam, hom, ham, idl = (Place("Damascus", 33.51, 36.29), Place("Homs", 34.73, 36.72),
                          Place("Hama", 35.13, 36.75), Place("Idlib", 35.93, 36.63))
    g = FlowGraph([Movement(dam, (idl,), count=3000, waypoints=(hom, ham))])
    fig = render_picture(g)
    (heads,) = [c for c in fig.axes[0].collections if type(c).__name__ == "PolyCollection"]
    assert len(heads.get_paths()) == 1  # one arrowhead, at Idlib only
    lines = [c for c in fig.axes[0].collections if type(c).__name__ == "LineCollection"]
    vertices = np.vstack([s for c in lines for s in c.get_segments()])
    for p in (hom, ham):
        x, y = merc(p.lon, p.lat)
        assert np.hypot(vertices[:, 0] - x, vertices[:, 1] - y).min() < 1e-6


def test_colour_by_group_and_by_count_as_on_the_web_map() -> None:
    from evacmap.render.canvasmap import COUNT_RAMP, GROUP_PALETTE
    from evacmap.render.picture_colours import movement_colours

    a, b, c = Place("A", 34.7, 36.7), Place("B", 35.9, 36.6), Place("C", 35.0, 38.0)
    g = FlowGraph([
        Movement(a, (b,), count=450, groups=(("fighters", 193), ("civilians", 257))),
        Movement(a, (c,), count=100, groups=(("fighters", 100),)),
        Movement(b, (c,), count=10),
    ])
    assert movement_colours(g, "group", vmax=450) == [GROUP_PALETTE[0], GROUP_PALETTE[1], "#55595e"]
    # Classes of sqrt(count / largest): 1.0 -> top, sqrt(100/450)=0.47 -> 2nd of 5, 0.15 -> 0.
    assert movement_colours(g, "count", vmax=450) == [COUNT_RAMP[4], COUNT_RAMP[2], COUNT_RAMP[0]]
    with pytest.raises(InputError, match="`color_by`"):
        movement_colours(g, "colour", vmax=1)  # type: ignore[arg-type]
    fig = render_picture(g, color_by="group")
    heads = next(c for c in fig.axes[0].collections if type(c).__name__ == "PolyCollection")
    faces = {tuple(np.round(f[:3] * 255).astype(int)) for f in heads.get_facecolors()}
    assert tuple(_rgb(GROUP_PALETTE[0])) in faces and tuple(_rgb(GROUP_PALETTE[1])) in faces


def test_the_legend_fits_in_the_picture(al_waer_graph: FlowGraph) -> None:
    from evacmap.testing import random_flow_graph

    for fig in (
        render_picture(al_waer_graph, color_by="count", top_n=1),
        render_picture(random_flow_graph(300), color_by="group", min_count=1000),
        render_picture(al_waer_graph, width_in=6),
    ):
        renderer = fig.canvas.get_renderer()
        box = fig.axes[1].artists[0].get_window_extent(renderer)
        assert box.y0 >= 0 and box.x1 <= fig.bbox.width + 1
