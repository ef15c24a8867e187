from __future__ import annotations

import numpy as np
import pytest

from evacmap.arcs import arc_vertices, build_arcs, fork_point


def test_arcs_bend_left_of_travel_so_two_way_flows_separate():
    ab = build_arcs(np.array([35.0]), np.array([36.0]), np.array([36.0]), np.array([36.0]))[0]
    ba = build_arcs(np.array([36.0]), np.array([36.0]), np.array([35.0]), np.array([36.0]))[0]
    # Northbound bends west (left), southbound bends east.
    assert np.asarray(ab.coords)[:, 0].min() < 36.0
    assert np.asarray(ba.coords)[:, 0].max() > 36.0


def test_zero_bend_is_straight():
    lat, lon = arc_vertices(np.array([0.0]), np.array([0.0]), np.array([0.0]), np.array([10.0]),
                            bend=0.0, n_points=5)
    assert np.allclose(lat, 0.0)
    assert np.allclose(lon, [[0, 2.5, 5, 7.5, 10]])


def test_antimeridian_arc_is_split():
    g = build_arcs(np.array([-17.0]), np.array([178.0]), np.array([-14.0]),
                   np.array([-172.0]))[0]
    assert g.geom_type == "MultiLineString"
    xs = np.concatenate([np.asarray(p.coords)[:, 0] for p in g.geoms])
    assert xs.min() >= -180 and xs.max() <= 180
    assert g.geoms[0].coords[0] == (178.0, -17.0)
    assert g.geoms[-1].coords[-1] == (-172.0, -14.0)


def test_fork_point_lies_between_origin_and_destinations():
    lat, lon = fork_point(34.747, 36.664, [35.93, 36.82], [36.63, 38.01])
    assert 34.747 < lat < 35.93
    # Never past the nearest destination.
    d_near = np.hypot(35.93 - 34.747, 36.63 - 36.664)
    assert np.hypot(lat - 34.747, lon - 36.664) < d_near
    assert fork_point(1.0, 1.0, [1.0], [1.0]) == (1.0, 1.0)
    # Destinations on both sides: still a trunk, towards the nearest.
    lat, lon = fork_point(0.0, 0.0, [1.0, -1.0], [0.0, 0.0])
    assert lat == pytest.approx(0.5)
    assert lon == 0.0


def test_bad_vertex_count():
    with pytest.raises(ValueError, match="n_points"):
        arc_vertices(np.array([0.0]), np.array([0.0]), np.array([1.0]), np.array([1.0]),
                     n_points=1)
