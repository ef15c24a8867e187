"""Properties of the flow core over random graphs: forks, waypoints, groups, ranges, dates,
planned and cumulative figures, unknown ends, same-place movements and duplicates.

The oracle is written here from the row-level API (Movement), independently of
evacmap.counting: people who moved are summed movement by movement.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evacmap.errors import EvacmapError
from evacmap.flows import FlowGraph
from evacmap.io import read_flows, write_flows
from evacmap.model import CountKind, Movement, Place

PLACES = [
    Place(f"P{i}", 32.0 + 0.7 * i, 35.5 + 0.9 * (i % 4), country="SY" if i % 3 else "TR", id=f"p{i}",
          admin1_pcode=f"SY0{i % 3 + 1}" if i % 3 else "")
    for i in range(7)
]
DAYS = [None, dt.date(2017, 5, 20), dt.date(2017, 5, 21), dt.date(2018, 1, 1)]


@st.composite
def movements(draw: st.DrawFn) -> Movement:
    origin = draw(st.one_of(st.none(), st.sampled_from(PLACES)))
    dests = draw(st.lists(st.sampled_from(PLACES), min_size=0 if origin else 1, max_size=3, unique_by=lambda p: p.id))
    others = [p for p in PLACES if p not in dests and p is not origin]
    ways = draw(st.lists(st.sampled_from(others), max_size=2, unique_by=lambda p: p.id)) if others else []
    kind = draw(st.sampled_from(list(CountKind)))
    count = draw(st.one_of(st.none(), st.integers(0, 10**9)))
    lo = draw(st.one_of(st.none(), st.integers(0, count if count is not None else 10**9)))
    hi = draw(st.one_of(st.none(), st.integers(max(lo or 0, count or 0), 10**9 + 7)))
    groups: list[tuple[str, int]] = []
    if count is not None and draw(st.booleans()):
        a = draw(st.integers(0, count))
        groups = [("fighters", a), ("women; children", draw(st.integers(0, count - a)))]
    day = draw(st.sampled_from(DAYS))
    return Movement(
        origin, tuple(dests), count=count, count_kind=kind, count_min=lo, count_max=hi,
        groups=tuple(groups), date_start=day, waypoints=tuple(ways),
        sources=(draw(st.sampled_from(["SANA", "Reuters", "OCHA"])),),
        unit=draw(st.sampled_from(["people", "people", "families"])),
    )


@st.composite
def graphs(draw: st.DrawFn) -> FlowGraph:
    ms = draw(st.lists(movements(), max_size=12))
    # Duplicates: the same convoy again, from another report.
    for m in list(ms):
        if draw(st.integers(0, 4)) == 0:
            ms.append(Movement(m.origin, m.destinations, count=m.count, count_kind=m.count_kind,
                               count_min=m.count_min, count_max=m.count_max, date_start=m.date_start,
                               waypoints=m.waypoints, sources=("Another report",), unit=m.unit))
    return FlowGraph(ms)


def _moved(m: Movement) -> int:
    if m.count_kind in (CountKind.REPORTED, CountKind.ESTIMATED) and m.unit == "people":
        return m.known_count or 0
    return 0


def _internal(m: Movement) -> bool:
    return m.origin is not None and len(m.destinations) == 1 and m.destinations[0].id == m.origin.id


@settings(max_examples=80, deadline=None)
@given(graphs())
def test_totals_conserve_the_people_who_moved(graph: FlowGraph) -> None:
    t = graph.totals()
    ms = graph.movements
    with_origin = sum(_moved(m) for m in ms if m.origin is not None)
    assert int(t["out_count"].sum() + t["internal"].sum()) == with_origin
    single = sum(_moved(m) for m in ms if len(m.destinations) == 1 and not _internal(m))
    assert int(t["in_count"].sum()) == single
    unsplit = sum(_moved(m) * len(m.destinations) for m in ms if len(m.destinations) > 1)
    assert int(t["in_unsplit"].sum()) == unsplit
    assert (t["people"] >= t["out_count"]).all()


@settings(max_examples=80, deadline=None)
@given(graphs())
def test_networkx_edge_sums_equal_the_totals(graph: FlowGraph) -> None:
    t = graph.totals()
    g = graph.to_networkx()
    mg = graph.to_multidigraph()
    for pid in t.index:
        out = sum(d["count"] or 0 for _, v, d in g.out_edges(pid, data=True) if v != pid)
        into = sum(d["count"] or 0 for u, _, d in g.in_edges(pid, data=True) if u != pid)
        unsplit = sum(d["unsplit"] or 0 for _, _, d in g.in_edges(pid, data=True))
        loop = g.edges[pid, pid]["count"] or 0 if g.has_edge(pid, pid) else 0
        assert (out, into, unsplit, loop) == (
            t.loc[pid, "out_count"], t.loc[pid, "in_count"], t.loc[pid, "in_unsplit"], t.loc[pid, "internal"])
        m_out = sum(d["count"] or 0 for _, v, d in mg.out_edges(pid, data=True) if v != pid)
        assert m_out == out
    total = sum(d["count"] or 0 for *_, d in g.edges(data=True))
    assert total == sum(_moved(m) for m in graph.movements)


@settings(max_examples=60, deadline=None)
@given(graphs())
def test_merging_duplicates_is_idempotent_and_loses_nobody(graph: FlowGraph) -> None:
    once = graph.merge_duplicates()
    twice = once.merge_duplicates()
    assert twice.movements == once.movements and twice.summary.merged == once.summary.merged
    assert len(once) + once.summary.merged == len(graph)
    # Every source is kept on the movement it was merged into.
    assert set(graph.tables.sources["source"]) == set(once.tables.sources["source"])
    # A merged movement is one that another report already counted.
    removed = sum(_moved(m) for m in graph.movements) - sum(_moved(m) for m in once.movements)
    assert removed >= 0


@settings(max_examples=60, deadline=None)
@given(graphs(), st.integers(0, 10**9), st.sampled_from(DAYS[1:]))
def test_a_cumulative_total_never_changes_the_stages(graph: FlowGraph, total: int, day: dt.date) -> None:
    before = graph.totals()["out_count"].to_dict()
    extra = Movement(PLACES[0], (PLACES[1],), count=total, count_kind="cumulative", date_start=day)
    after = FlowGraph([*graph.movements, extra]).totals()["out_count"].to_dict()
    assert {k: after[k] for k in before} == before


@settings(max_examples=60, deadline=None)
@given(graphs())
def test_rollup_conserves_people(graph: FlowGraph) -> None:
    for by in ("admin1", "country"):
        r = graph.rollup(by=by)
        with_origin = sum(_moved(m) for m in graph.movements if m.origin is not None)
        assert int(r["out_count"].sum() + r["internal"].sum()) == with_origin


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(graphs())
@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "fgb", "csv"])
def test_every_export_round_trip_keeps_everything(tmp_path: Path, fmt: str, graph: FlowGraph) -> None:
    path = write_flows(graph, tmp_path / f"g.{fmt}")
    back = read_flows(path)
    assert back.movements == graph.movements
    assert back.totals().equals(graph.totals())


# -- readers: nothing but evacmap errors may escape ---------------------------------------
_SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
COLUMNS = ["origin", "destination", "count", "count_min", "count_max", "count_kind", "group", "date",
           "movement", "via", "origin_lat", "origin_lon", "destination_lat", "destination_lon", "unit",
           "stage", "source", "evidence", "country", "people", "type", "feature", "movement_id"]
CELLS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["El Waer", "Jarablus", "Homs; Aleppo", "450", "1,150", "12k", "-3", "95", "2017-05-20",
                     "2017-02-30", "planned", "cumulative", "", '"', "\u2028", "SY07", "[\"Homs\"]", "1e400"]),
)


def _check(path: Path) -> None:
    from evacmap.gazetteer import Gazetteer

    try:
        g = read_flows(path, gazetteer=Gazetteer.curated(), errors="report")
    except EvacmapError:
        return
    g.totals()
    _ = g.movements
    assert math.isfinite(float(g.totals()["people"].sum()))


@_SETTINGS
@given(st.binary(max_size=400))
def test_random_bytes_give_an_evacmap_error_or_a_graph(tmp_path: Path, data: bytes) -> None:
    import warnings

    for name in ("x.csv", "x.geojson"):
        (tmp_path / name).write_bytes(data)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _check(tmp_path / name)


@_SETTINGS
@given(st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=8),
       st.lists(st.lists(CELLS, min_size=0, max_size=9), max_size=6))
def test_random_tables_give_an_evacmap_error_or_a_graph(tmp_path: Path, header: list[str], rows: list[list[str]]) -> None:
    import csv
    import warnings

    path = tmp_path / "t.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        w.writerows(rows)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _check(path)
