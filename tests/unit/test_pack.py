"""The packed flow encoding: what the page decodes equals the tables, exactly."""

from __future__ import annotations

import base64
import datetime as dt
import json
import zlib

import numpy as np
import pytest

from evacmap import counting
from evacmap.errors import RenderError, SourceLocation
from evacmap.flows import FlowGraph
from evacmap.model import Evidence, Movement, Place
from evacmap.render.elements import json_for_html
from evacmap.render.pack import KIND_CODES, NO_STEP, UNKNOWN_BIT, pack_flows, unpack_flows
from evacmap.testing import random_flow_graph


def _roundtrip(packed: dict) -> dict:
    # Through the page's JSON, as the browser reads it.
    return unpack_flows(json.loads(json_for_html(packed)))


def test_random_graph_round_trips_exactly() -> None:
    g = random_flow_graph(2000, seed=3)
    packed = pack_flows(g)
    a = _roundtrip(packed)
    t = g.tables
    names = packed["strings"]["names"]
    # Undated: the input order is kept.
    assert a["mo"].tolist() == t.movements["origin"].tolist()
    d = t.destinations.sort_values("movement")["place"].tolist()
    assert a["md"].tolist() == d
    assert a["mc"].tolist() == t.movements["count"].astype(int).tolist()
    assert names == t.places["name"].astype(str).tolist()
    assert np.allclose(a["plat"], t.places["lat"], atol=1e-5)
    assert np.allclose(a["plon"], t.places["lon"], atol=2e-5)
    # Place totals are those of the counting rules.
    tot = counting.place_totals(t)
    assert a["pp"].tolist() == tot["people"].tolist()
    assert int(a["mc"].sum()) == int(tot["out_count"].sum())


def test_kinds_bounds_unknown_groups_dates_and_forks(al_waer_graph: FlowGraph) -> None:
    a_, b_ = Place("A", 34.0, 36.0, id="a"), Place("B", 35.0, 37.0, id="b")
    extra = [
        Movement(a_, (b_,), count_min=50, date_start=dt.date(2017, 5, 1), id="x1"),
        Movement(b_, (a_,), date_start=dt.date(2017, 4, 1), id="x2"),
        Movement(a_, (), count=7, id="x3"),
        Movement(
            None, (b_,), count=9, groups=(("civilians", 5), ("fighters", 4)), id="x4",
            evidence=(Evidence(SourceLocation("r.txt", 3, 5), "9 arrived </script>"),),
        ),
    ]
    g = FlowGraph([*al_waer_graph.movements, *extra])
    packed = pack_flows(g)
    a = _roundtrip(packed)
    s = packed["strings"]
    # Dated movements first, by date; undated after, in input order.
    assert s["dates"] == ["2017-01-01", "2017-04-01", "2017-05-01", "2017-12-31"]
    assert a["mt"].tolist() == [0, 1, 2, NO_STEP, NO_STEP, NO_STEP]
    assert a["mt1"].tolist()[:3] == [3, 1, 2]
    assert a["stepStart"].tolist() == [0, 1, 2, 3, 3, 6]
    kinds = a["mk"] & 3
    unknown = (a["mk"] & UNKNOWN_BIT) > 0
    assert kinds.tolist() == [KIND_CODES["reported"], 0, 0, KIND_CODES["planned"], 0, 0]
    assert unknown.tolist() == [False, True, False, False, False, False]
    # The 450 to two destinations: one set, carried once (no invented share).
    assert a["mc"].tolist() == [450, 0, 50, 20000, 7, 9]
    assert a["md"][0] == -2 and a["md"][3] == -2
    members = a["setPlace"][a["setStart"][0] : a["setStart"][1]].tolist()
    assert sorted(s["names"][k] for k in members) == ["Idlib governorate", "Jarablus"]
    assert a["md"][4] == -1 and a["mo"][5] == -1  # unknown ends stay unknown
    # "at least 50" and "up to 20,000" keep their bounds for the labels.
    assert a["mb"].tolist() == [0, 0, 1, 2, 0, 0]
    assert a["mlo"][2] == 50 and a["mhi"][3] == 20000
    # The largest group colours the movement; the breakdown is kept whole.
    assert s["groups"] == ["civilians", "fighters"]
    assert a["mg"].tolist()[0] == 1 and a["mg"].tolist()[5] == 0
    assert a["gMov"].tolist() == [0, 5, 5]
    # Each group is stored as the movement's figure minus the group's count.
    assert (a["mc"][a["gMov"]] - a["gRest"]).tolist() == [193, 5, 4]
    assert [s["info"][k] for k in a["pi"]][:1] == ["neighbourhood, SY"]
    # Evidence text and place, as data.
    assert s["evidence"] == ["9 arrived </script>"]
    k = int(np.flatnonzero(a["eText"] >= 0)[0])
    assert a["eMov"][k] == 5 and a["eLine"][k] == 3 and a["eCol"][k] == 5
    assert s["evidenceFiles"][a["eFile"][k]] == "r.txt"
    assert "</script>" not in json_for_html(packed)


def test_buffer_is_deflate_with_aligned_arrays() -> None:
    packed = pack_flows(random_flow_graph(300))
    raw = zlib.decompress(base64.b64decode(packed["b64"]))
    assert len(raw) == packed["counts"]["rawBytes"]
    assert all(spec["offset"] % 8 == 0 for spec in packed["arrays"])


def test_packing_is_small() -> None:
    packed = pack_flows(random_flow_graph(10_000))
    # Random counts and place pairs carry ~35 bits a flow, in base64 ~6 bytes; the
    # 2,000 places and their clusters add ~4 bytes a flow here.
    assert len(packed["b64"]) / 10_000 < 12


def test_damaged_or_foreign_data_is_refused() -> None:
    packed = pack_flows(random_flow_graph(20))
    with pytest.raises(RenderError, match="format"):
        unpack_flows({**packed, "format": 99})
    with pytest.raises(RenderError, match="damaged"):
        unpack_flows({**packed, "b64": packed["b64"][:-12]})
    with pytest.raises(RenderError, match="no movements"):
        pack_flows(FlowGraph())


def test_levels_cover_every_place_and_merge_some() -> None:
    g = random_flow_graph(5000, seed=5)
    packed = pack_flows(g)
    a = unpack_flows(packed)
    assert packed["levels"], "1,000 places over 5 degrees must merge at some level"
    n_places = packed["counts"]["places"]
    previous = 0
    for k, level in enumerate(packed["levels"]):
        parent = a[f"lv{k}"]
        assert len(parent) == n_places
        assert parent.min() == 0 and parent.max() == level["clusters"] - 1
        assert 1 < level["clusters"] < n_places
        assert level["clusters"] >= previous  # coarsest first
        previous = level["clusters"]


def test_admin1_pcodes_make_a_level() -> None:
    ps = [Place(f"P{i}", 33 + i * 0.01, 36 + i * 0.01, id=f"p{i}", admin1_pcode=f"SY0{i % 3}")
          for i in range(12)]
    g = FlowGraph([Movement(ps[i], (ps[i + 1],), count=i + 1) for i in range(11)])
    packed = pack_flows(g)
    kinds = [lv["kind"] for lv in packed["levels"]]
    assert "admin1" in kinds
    k = kinds.index("admin1")
    parent = unpack_flows(packed)[f"lv{k}"]
    assert len(set(parent.tolist())) == 3


def test_stages_are_the_steps_when_there_are_no_dates() -> None:
    a_, b_ = Place("A", 34.0, 36.0, id="a"), Place("B", 35.0, 37.0, id="b")
    g = FlowGraph([
        Movement(a_, (b_,), count=5, stage="second", id="m1"),
        Movement(a_, (b_,), count=7, stage="first", id="m2"),
        Movement(b_, (a_,), count=9, stage="second", id="m3"),
        Movement(b_, (a_,), count=1, id="m4"),
    ])
    packed = pack_flows(g)
    a = unpack_flows(packed)
    assert packed["counts"]["stepKind"] == "stages"
    assert packed["strings"]["dates"] == ["second", "first"]  # as the input names them
    assert a["mt"].tolist() == [0, 0, 1, NO_STEP]
    assert a["mc"].tolist() == [5, 9, 7, 1]
    assert a["stepStart"].tolist() == [0, 2, 3, 4]
