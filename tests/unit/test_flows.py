from __future__ import annotations

import datetime as dt
import json

import pytest

from evacmap.errors import FlowGraphError
from evacmap.flows import FlowGraph
from evacmap.model import Movement, Place

WAER = Place("al-Waer", 34.747, 36.664, country="SY", id="evacmap:al-waer")
IDLIB = Place("Idlib", 35.93, 36.63, country="SY", id="x:idlib")
JARABLUS = Place("Jarablus", 36.82, 38.01, country="SY", id="x:jarablus")
HOMS = Place("Homs", 34.72, 36.73, country="SY", id="x:homs")


def al_waer() -> FlowGraph:
    return FlowGraph([
        Movement(WAER, (IDLIB, JARABLUS), count=450, groups=(("fighters", 193),)),
        Movement(WAER, (IDLIB, JARABLUS), count_max=20000, count_kind="planned"),
    ])


def test_unsplit_total_is_never_divided():
    g = al_waer()
    t = g.totals()
    assert t.loc["evacmap:al-waer", "out_count"] == 450
    assert t.loc["x:idlib", "in_count"] == 0 and t.loc["x:jarablus", "in_count"] == 0
    assert t.loc["x:idlib", "in_unsplit"] == 450 and t.loc["x:jarablus", "in_unsplit"] == 450
    graph = g.to_networkx()
    either = "either:x:idlib|x:jarablus"
    assert graph.edges["evacmap:al-waer", either]["count"] == 450  # the total, once
    assert graph.edges[either, "x:idlib"]["count"] is None
    assert graph.edges[either, "x:idlib"]["unsplit"] == 450
    assert graph.edges[either, "x:jarablus"]["unsplit"] == 450
    flat = g.to_networkx(forks="edges")
    assert flat.edges["evacmap:al-waer", "x:idlib"]["count"] is None
    assert flat.edges["evacmap:al-waer", "x:idlib"]["unsplit"] == 450
    assert not flat.has_node(either)


def test_planned_is_never_added_to_what_moved():
    t = al_waer().totals()
    assert t.loc["evacmap:al-waer", "out_count"] == 450
    assert t.loc["evacmap:al-waer", "planned_out"] == 20000
    assert t.loc["evacmap:al-waer", "people"] == 450


def test_reported_counts_sum_and_cumulative_takes_the_latest():
    g = FlowGraph([
        Movement(WAER, (IDLIB,), count=1000, date_start=dt.date(2017, 3, 18)),
        Movement(WAER, (IDLIB,), count=2000, date_start=dt.date(2017, 4, 1)),
        Movement(WAER, (IDLIB,), count=2500, count_kind="cumulative",
                 date_start=dt.date(2017, 4, 1)),
        Movement(WAER, (IDLIB,), count=3500, count_kind="cumulative",
                 date_start=dt.date(2017, 4, 20)),
    ])
    t = g.totals()
    assert t.loc["evacmap:al-waer", "out_count"] == 3000  # stages summed
    assert t.loc["evacmap:al-waer", "cumulative_out"] == 3500  # latest, not 6000
    assert t.loc["evacmap:al-waer", "people"] == 3500  # never 3000 + 3500
    edge = g.to_networkx().edges["evacmap:al-waer", "x:idlib"]
    assert edge["count"] == 3000 and edge["cumulative"] == 3500
    assert edge["movements"] == 4


def test_at_least_counts_as_known_and_up_to_does_not():
    g = FlowGraph([Movement(HOMS, (IDLIB,), count_min=500),
                   Movement(HOMS, (IDLIB,), count_max=900)])
    t = g.totals()
    assert t.loc["x:homs", "out_count"] == 500
    assert g.to_networkx().edges["x:homs", "x:idlib"]["count"] == 500


def test_graph_nodes_carry_coordinates_and_totals():
    g = al_waer().to_networkx(weight="people")
    assert g.nodes["x:jarablus"]["lat"] == pytest.approx(36.82)
    assert g.nodes["evacmap:al-waer"]["out_count"] == 450
    assert g.edges["evacmap:al-waer", "either:x:idlib|x:jarablus"]["people"] == 450


def test_ids_and_conflicts():
    g = al_waer()
    assert [m.id for m in g] == ["m1", "m2"]
    with pytest.raises(FlowGraphError, match="share the id"):
        FlowGraph([Movement(WAER, (IDLIB,), id="a"), Movement(WAER, (HOMS,), id="a")])
    moved = Place("Idlib", 10.0, 10.0, id="x:idlib")
    with pytest.raises(FlowGraphError, match="two coordinates"):
        FlowGraph([Movement(WAER, (IDLIB,)), Movement(WAER, (moved,))])
    with pytest.raises(FlowGraphError, match="Movement values"):
        FlowGraph(["not a movement"])  # type: ignore[list-item]


def test_geodataframes():
    g = al_waer()
    places = g.places_gdf()
    assert places.crs.to_epsg() == 4326
    assert set(places["place_id"]) == {"evacmap:al-waer", "x:idlib", "x:jarablus"}
    flows = g.flows_gdf()
    assert list(flows.geometry.geom_type) == ["MultiLineString", "MultiLineString"]
    assert flows["count"].iloc[0] == 450
    assert json.loads(flows["destination"].iloc[0]) == ["Idlib", "Jarablus"]  # JSON, never "; "-joined
    one = FlowGraph([Movement(HOMS, (IDLIB,), count=5)]).flows_gdf(geometry="arc")
    assert one.geometry.iloc[0].geom_type == "LineString"
    assert len(one.geometry.iloc[0].coords) > 2
    with pytest.raises(FlowGraphError, match="straight"):
        g.flows_gdf(geometry="wiggly")  # type: ignore[arg-type]


def test_repr_html_escapes_names():
    evil = Place("<script>alert(1)</script>", 35.0, 36.0)
    html = FlowGraph([Movement(evil, (IDLIB,), count=3)])._repr_html_()
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_integer_sums_stay_exact_beyond_float_precision() -> None:
    """Per-place sums above 2**53 (where float64 loses units) are exact."""
    import numpy as np

    from evacmap.counting import _int_bincount

    rng = np.random.default_rng(3)
    codes = rng.integers(0, 7, 200_000)
    values = rng.integers(0, 10**10, 200_000) + 2**40  # sums near 2**55
    expected = [int(values[codes == k].astype(object).sum()) for k in range(7)]
    assert _int_bincount(codes, values, 7).tolist() == expected
    assert max(expected) > 2**53
