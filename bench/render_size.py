"""HTML size and render time of evacmap maps, beside one folium PolyLine per flow.

Random single-destination flows between places in and around Syria (seeded), each map
rendered to its full HTML page (``m.get_root().render()``). The folium baseline draws
the same curved arcs (the same ``evacmap.arcs`` vertices) as one ``folium.PolyLine``
with a tooltip per flow, on a ``folium.Map(tiles=None)``, which links Leaflet from
CDNs instead of inlining it.

Run from the repository root::

    python bench/render_size.py              # 1,000 and 10,000 flows, plus the demo
    python bench/render_size.py --flows 100 1000 --runs 5
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import folium
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evacmap import example_path
from evacmap.arcs import build_arcs
from evacmap.flows import FlowGraph
from evacmap.gazetteer import Gazetteer
from evacmap.io import read_flows
from evacmap.render import render_map
from evacmap.render.features import ARC_POINTS
from evacmap.render.style import MapStyle
from evacmap.testing import random_flow_graph


def demo_graph() -> FlowGraph:
    """The bundled al-Waer 2017 example, geocoded with the curated places."""
    return read_flows(example_path(), gazetteer=Gazetteer.curated(), country="SY")


def evacmap_page(graph: FlowGraph) -> str:
    return str(render_map(graph, title="bench").get_root().render())


def polyline_page(graph: FlowGraph) -> str:
    """The hand-built folium way: one PolyLine (with a tooltip) per flow."""
    style = MapStyle()
    ms = graph.movements
    vmax = max(m.people or 0 for m in ms)
    o_lat = np.array([m.origin.lat for m in ms])
    o_lon = np.array([m.origin.lon for m in ms])
    d_lat = np.array([m.destinations[0].lat for m in ms])
    d_lon = np.array([m.destinations[0].lon for m in ms])
    arcs = build_arcs(o_lat, o_lon, d_lat, d_lon, n_points=ARC_POINTS)
    m = folium.Map(tiles=None)
    for mv, arc in zip(ms, arcs, strict=True):
        folium.PolyLine(
            [(lat, lon) for lon, lat in np.round(np.asarray(arc.coords), 4)],
            weight=style.flow_width_px(mv.people or 0, vmax=vmax),
            color=style.moved_colour,
            tooltip=f"{mv.origin.name} → {mv.destinations[0].name}: {mv.count_label} people",
        ).add_to(m)
    m.fit_bounds([[o_lat.min(), o_lon.min()], [o_lat.max(), o_lon.max()]])
    return str(m.get_root().render())


def measure(make: Callable[[FlowGraph], str], graph: FlowGraph, runs: int) -> tuple[int, float]:
    times, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        page = make(graph)
        times.append(time.perf_counter() - start)
        size = len(page.encode("utf-8"))
    return size, statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flows", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows = [("demo (al-Waer, 2 movements)", demo_graph())]
    rows += [(f"{n:,} random flows", random_flow_graph(n)) for n in args.flows]
    print(
        f"| map | evacmap HTML | evacmap render (median of {args.runs}) "
        "| folium PolyLine per flow HTML | PolyLine render |"
    )
    print("|---|---:|---:|---:|---:|")
    for label, graph in rows:
        size, secs = measure(evacmap_page, graph, args.runs)
        base_size, base_secs = measure(polyline_page, graph, args.runs)
        print(
            f"| {label} | {size / 1e6:.3f} MB | {secs:.2f} s "
            f"| {base_size / 1e6:.3f} MB | {base_secs:.2f} s |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
