"""The data a flow map embeds: one GeoJSON FeatureCollection for flows, one for places.

A movement becomes one or more line features:

* one destination: a single ``"flow"`` arc with an arrowhead;
* several destinations and no reported split: a ``"trunk"`` from the origin to the
  :func:`~evacmap.arcs.fork_point`, as wide as the total and labelled with it, and
  one thinner ``"branch"`` per destination, all the same width and with no count of
  their own. The total is never divided among the branches.

Widths come from :meth:`MapStyle.flow_width_px` on one scale for every kind of count,
so a planned "up to 20,000" and the 450 who did leave compare honestly; planned and
cumulative figures are drawn hollow and never added to anything.

Tooltips are stored once per movement in the collection's foreign member
``"tooltips"``; features point at them by index (``"m"``).

Examples
--------
>>> from evacmap.flows import FlowGraph
>>> from evacmap.model import Movement, Place
>>> o, a, b = Place("O", 34.7, 36.7), Place("A", 35.9, 36.6), Place("B", 36.8, 38.0)
>>> fc = flow_collection(FlowGraph([Movement(o, (a, b), count=450)]))
>>> [f["properties"]["role"] for f in fc["features"]]
['trunk', 'branch', 'branch']
>>> [f["properties"].get("label") for f in fc["features"]]
['450', None, None]
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import shapely

from evacmap.arcs import build_arcs, fork_point
from evacmap.flows import FlowGraph
from evacmap.model import Movement
from evacmap.render.style import MapStyle
from evacmap.render.tooltips import count_label, movement_tooltip, place_label, place_tooltip

__all__ = ["data_bounds", "drawn_count", "flow_collection", "flow_kind", "place_collection"]

logger = logging.getLogger(__name__)

#: Vertices per arc. A quadratic curve drawn with 11 chords strays from the true curve
#: by under 0.1 % of its length (half a pixel on a 600-pixel arc).
ARC_POINTS = 12
#: Decimals of arc ends and place coordinates (about 1 m).
END_DECIMALS = 5
#: Fewest decimals of the vertices between the ends (about 110 m, for arcs of 2° and more).
MIN_DECIMALS = 3
#: Extra bend for each further movement between the same origin and destinations.
BEND_STEP = 0.27
#: Branch width as a share of its trunk's width.
BRANCH_SHARE = 0.5

_KIND_ORDER = {"planned": 0, "cumulative": 1, "moved": 2}


@dataclass(frozen=True, slots=True)
class _Segment:
    movement: int
    role: str  # "flow" | "trunk" | "branch"
    lat0: float
    lon0: float
    lat1: float
    lon1: float
    bend: float
    dest_id: str | None  # None for a trunk (it ends at the fork, not at a place)


def drawn_count(m: Movement) -> int | None:
    """The figure a flow's width shows: the count, else its upper, else its lower bound.

    Examples
    --------
    >>> from evacmap.model import Movement, Place
    >>> a, b = Place("A", 0.0, 0.0), Place("B", 1.0, 1.0)
    >>> drawn_count(Movement(a, (b,), count_min=50)), drawn_count(Movement(a, (b,)))
    (50, None)
    """
    return m.people if m.people is not None else m.count_min


def flow_kind(m: Movement) -> str:
    """``"moved"`` for reported and estimated counts, else the count kind's value.

    Examples
    --------
    >>> from evacmap.model import Movement, Place
    >>> flow_kind(Movement(Place("A", 0.0, 0.0), (Place("B", 1.0, 1.0),), count_kind="planned"))
    'planned'
    """
    return "moved" if m.counts_as_moved else m.count_kind.value


def _segments(graph: FlowGraph, bend: float) -> list[_Segment]:
    seen: dict[tuple[str, frozenset[str]], int] = defaultdict(int)
    step = BEND_STEP if bend >= 0 else -BEND_STEP
    out: list[_Segment] = []
    for i, m in enumerate(graph.movements):
        if m.origin is None or not m.destinations:
            # One end unknown: its count shows on the known place; no invented line.
            continue
        key = (m.origin.id, frozenset(d.id for d in m.destinations))
        b = bend + step * min(seen[key], 3)
        seen[key] += 1
        o = m.origin
        dests = [d for d in m.destinations if (d.lat, d.lon) != (o.lat, o.lon)]
        if len(dests) < len(m.destinations):
            logger.debug("Movement %s: a destination equals its origin; not drawn as a line", m.id)
        if m.split_reported:
            out.extend(_Segment(i, "flow", o.lat, o.lon, d.lat, d.lon, b, d.id) for d in dests)
            continue
        if len(dests) <= 1:  # the other destinations are the origin: still no count here
            out.extend(_Segment(i, "branch", o.lat, o.lon, d.lat, d.lon, b, d.id) for d in dests)
            continue
        f_lat, f_lon = fork_point(o.lat, o.lon, [d.lat for d in dests], [d.lon for d in dests])
        if (f_lat, f_lon) != (o.lat, o.lon):
            out.append(_Segment(i, "trunk", o.lat, o.lon, f_lat, f_lon, b, None))
        out.extend(_Segment(i, "branch", f_lat, f_lon, d.lat, d.lon, b, d.id) for d in dests)
    return out


def _decimals(s: _Segment) -> int:
    """Decimals that keep an arc's vertices within about 1/2000 of its length."""
    length = max(abs(s.lat1 - s.lat0), abs(s.lon1 - s.lon0), 1e-6)
    return int(np.clip(math.ceil(math.log10(2000.0 / length)), MIN_DECIMALS, END_DECIMALS))


def _round_line(coords: Any, decimals: int) -> list[list[float]]:
    arr = np.round(np.asarray(coords, dtype=float), decimals)
    ends = np.round(np.asarray(coords, dtype=float)[[0, -1]], END_DECIMALS)
    arr[0], arr[-1] = ends[0], ends[1]
    return arr.tolist()  # type: ignore[no-any-return]


def _geometry(geom: Any, decimals: int) -> dict[str, Any]:
    parts = getattr(geom, "geoms", None)
    if parts is None:
        return {"type": "LineString", "coordinates": _round_line(geom.coords, decimals)}
    return {
        "type": "MultiLineString",
        "coordinates": [_round_line(p.coords, decimals) for p in parts],
    }


def _middle(geometry: Mapping[str, Any]) -> list[float]:
    lines = (
        [geometry["coordinates"]]
        if geometry["type"] == "LineString"
        else sorted(geometry["coordinates"], key=len)
    )
    line = lines[-1]
    return list(line[len(line) // 2])


def flow_collection(
    graph: FlowGraph,
    *,
    bend: float = 0.18,
    style: MapStyle | None = None,
    noun: str = "people",
    labels: bool = True,
    radii: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """The flows of `graph` as a GeoJSON FeatureCollection of curved lines.

    Parameters
    ----------
    graph
        The movements.
    bend
        Curvature of the arcs (see :func:`evacmap.arcs.arc_vertices`).
    style
        Sizes and colours.
    noun
        What is counted, for tooltips.
    labels
        Whether to give flows a permanent count label (``"label"``, at ``"at"``).
    radii
        Circle radius in pixels of each place id, so arrowheads stop at the circle.

    Returns
    -------
    dict
        A FeatureCollection, drawing order first to last, with a foreign member
        ``"tooltips"`` (escaped HTML, one per movement) and ``"vmax"`` (the count that
        gets the widest line). Feature properties:

        * ``m``: index of the movement (into ``tooltips``);
        * ``role``: ``"flow"`` or ``"branch"`` (both end in an arrowhead at a place),
          or ``"trunk"``;
        * ``kind``: ``"moved"``, ``"planned"`` or ``"cumulative"``;
        * ``unknown``: present (true) only when the movement has no count;
        * ``w``: line width in pixels;
        * ``r``: radius in pixels of the circle the line ends at (not on trunks);
        * ``label``, ``at``: count label and its ``[lon, lat]`` (trunks and flows only).

        The collection's ``bbox`` covers every vertex.

    Examples
    --------
    >>> flow_collection(FlowGraph())["features"]
    []
    """
    style = style or MapStyle()
    radii = radii or {}
    movements = graph.movements
    known = [n for n in map(drawn_count, movements) if n is not None]
    vmax = float(max(known)) if known else 0.0
    segments = _segments(graph, bend)
    geoms: list[Any] = [None] * len(segments)
    by_bend: dict[float, list[int]] = defaultdict(list)
    for j, s in enumerate(segments):
        by_bend[s.bend].append(j)
    for b, idx in by_bend.items():
        arr = np.array(
            [[segments[j].lat0, segments[j].lon0, segments[j].lat1, segments[j].lon1] for j in idx]
        )
        lines = build_arcs(arr[:, 0], arr[:, 1], arr[:, 2], arr[:, 3], bend=b, n_points=ARC_POINTS)
        for j, line in zip(idx, lines, strict=True):
            geoms[j] = line

    features: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    for j, s in enumerate(segments):
        m = movements[s.movement]
        kind = flow_kind(m)
        n = drawn_count(m)
        unknown = n is None
        trunk_w = style.flow_width_px(n or 0, vmax=vmax)
        w = trunk_w if s.role != "branch" else max(style.min_width_px, BRANCH_SHARE * trunk_w)
        if unknown:
            w = style.min_width_px
        geometry = _geometry(geoms[j], _decimals(s))
        props: dict[str, Any] = {"m": s.movement, "role": s.role, "kind": kind, "w": round(w, 1)}
        if unknown:
            props["unknown"] = True
        if s.dest_id is not None:
            props["r"] = round(float(radii.get(s.dest_id, 0.0)), 1)
        text = count_label(m) if labels else ""
        if text and s.role != "branch":
            props["label"] = text
            props["at"] = _middle(geometry)
        # Hollow kinds below solid ones, wide lines below narrow ones, unknown on top.
        order = (unknown, _KIND_ORDER[kind], -trunk_w, s.movement, s.role != "trunk")
        features.append((order, {"type": "Feature", "properties": props, "geometry": geometry}))
    features.sort(key=lambda pair: pair[0])
    collection: dict[str, Any] = {"type": "FeatureCollection"}
    if segments:
        collection["bbox"] = [round(float(v), END_DECIMALS) for v in shapely.total_bounds(geoms)]
    return {
        **collection,
        "features": [f for _, f in features],
        "tooltips": [movement_tooltip(m, noun) for m in movements],
        "vmax": vmax,
    }


def place_collection(
    graph: FlowGraph,
    *,
    style: MapStyle | None = None,
    noun: str = "people",
    labels: bool = True,
) -> dict[str, Any]:
    """The places of `graph` as a GeoJSON FeatureCollection of points.

    A place's circle area grows with the people known to have passed through it
    (``totals()["people"]``). A place with no such count, such as a destination known
    only through movements whose split was not reported, gets a small hollow circle:
    its size implies no count.

    Parameters
    ----------
    graph
        The movements.
    style
        Sizes and colours.
    noun
        What is counted, for tooltips.
    labels
        Whether to label each circle with the place's name.

    Returns
    -------
    dict
        A FeatureCollection, largest circle first, with a foreign member ``"radii"``
        (place id to radius in pixels). Feature properties: ``r`` (radius), ``hollow``,
        ``approximate``, ``tip`` (escaped HTML) and ``label`` (escaped name).

    Examples
    --------
    >>> place_collection(FlowGraph())["features"]
    []
    """
    style = style or MapStyle()
    totals = graph.totals()
    pmax = float(totals["people"].max()) if len(totals) else 0.0
    features: list[dict[str, Any]] = []
    radii: dict[str, float] = {}
    for pid, place in graph.places.items():
        row = {k: int(v) for k, v in totals.loc[pid].items() if k not in ("name", "lat", "lon")}
        people = row["people"]
        hollow = people <= 0
        r = style.hollow_radius_px if hollow else style.radius_px(people, pmax=pmax)
        radii[pid] = round(r, 1)
        props: dict[str, Any] = {
            "r": round(r, 1),
            "hollow": hollow,
            "approximate": place.approximate,
            "tip": place_tooltip(place, row, noun),
        }
        if labels:
            props["label"] = place_label(place)
        geometry = {
            "type": "Point",
            "coordinates": [round(place.lon, END_DECIMALS), round(place.lat, END_DECIMALS)],
        }
        features.append({"type": "Feature", "properties": props, "geometry": geometry})
    features.sort(key=lambda f: -f["properties"]["r"])
    collection: dict[str, Any] = {"type": "FeatureCollection"}
    if features:
        lons = [p.lon for p in graph.places.values()]
        lats = [p.lat for p in graph.places.values()]
        collection["bbox"] = [min(lons), min(lats), max(lons), max(lats)]
    return {**collection, "features": features, "radii": radii}


def data_bounds(*collections: Mapping[str, Any]) -> tuple[float, float, float, float] | None:
    """``(south, west, north, east)`` around the ``bbox`` members of the collections.

    Examples
    --------
    >>> data_bounds({"bbox": [36.6, 34.7, 38.0, 36.8]}, {"bbox": [36.0, 35.0, 37.0, 37.5]})
    (34.7, 36.0, 37.5, 38.0)
    >>> data_bounds({"features": []}) is None
    True
    """
    boxes = [fc["bbox"] for fc in collections if fc.get("bbox")]
    if not boxes:
        return None
    west, south, east, north = np.array(boxes, dtype=float).T
    return (float(south.min()), float(west.min()), float(north.max()), float(east.max()))
