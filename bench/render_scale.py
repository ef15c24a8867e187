"""A 100,000-flow map: evacmap's canvas map beside the best plain-folium form, one run.

Run from the repository root::

    python bench/render_scale.py                 # 100,000 flows among 5,000 places, 3 runs
    python bench/render_scale.py --flows 20000 --runs 5

Three measures, whole processes, medians of ``--runs``:

* build + write: ``evacmap -q map flows.csv -o map.html`` against a Python script that
  reads the same CSV with pandas, computes curved arcs (12-point quadratic curves, with
  numpy), puts the styles in the properties and writes one ``folium.GeoJson`` layer
  (``prefer_canvas=True``, a ``style_function`` that only reads the properties, a
  ``GeoJsonTooltip``) — the best plain-folium form, not one PolyLine per flow — with
  Leaflet inlined from ``xstatic-leaflet`` (folium links it from a CDN, so offline its
  page would draw nothing);
  wall time and CPU time (user + system: the machine may be shared);
* file size;
* Chromium (Debian's, headless, ``--disable-gpu``, 1200 x 760 at pixel ratio 1, every
  network request blocked): milliseconds from navigation start to the flows drawn.
  evacmap's layer records when its first drawing ends
  (``data-evacmap-first-drawn-ms``); for folium, the page has loaded and two animation
  frames have passed (Leaflet's canvas draws on the next frame).

The data come from ``bench/flows_scale.py`` (seeded). Results are printed and written
to ``bench/results/render_scale.md`` (git-ignored).
"""

from __future__ import annotations

import argparse
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import evacmap_cmd
from flows_scale import make_coordinates_table

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "render_scale.md"
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")

PLAIN_FOLIUM = """
import sys, json, re
from pathlib import Path
import numpy as np, pandas as pd, folium
import xstatic.pkg.leaflet as xleaflet
df = pd.read_csv(sys.argv[1], engine="pyarrow")
o = df[["origin_lon", "origin_lat"]].to_numpy(); d = df[["destination_lon", "destination_lat"]].to_numpy()
# 12-point quadratic curves bent to the right of each direction (as evacmap draws them).
mid = (o + d) / 2; v = d - o; ctrl = mid + 0.18 * np.stack([v[:, 1], -v[:, 0]], axis=1)
t = np.linspace(0, 1, 12)[None, :, None]
pts = ((1 - t) ** 2 * o[:, None] + 2 * (1 - t) * t * ctrl[:, None] + t ** 2 * d[:, None]).round(4)
w = np.maximum(1.0, 16 * np.sqrt(df["count"].to_numpy() / df["count"].max())).round(1)
features = [
    {"type": "Feature", "geometry": {"type": "LineString", "coordinates": c},
     "properties": {"origin": a, "destination": b, "count": int(n), "weight": float(x)}}
    for c, a, b, n, x in zip(pts.tolist(), df["origin"], df["destination"], df["count"], w)
]
m = folium.Map(tiles=None, prefer_canvas=True)
folium.GeoJson(
    {"type": "FeatureCollection", "features": features},
    style_function=lambda f: {"color": "#b2182b", "weight": f["properties"]["weight"], "opacity": 0.6},
    tooltip=folium.GeoJsonTooltip(["origin", "destination", "count"]),
).add_to(m)
m.fit_bounds([[float(pts[..., 1].min()), float(pts[..., 0].min())], [float(pts[..., 1].max()), float(pts[..., 0].max())]])
page = m.get_root().render()
# Offline, as evacmap's page: Leaflet inlined, the other remote links (jQuery, Bootstrap) left out.
leaflet = Path(xleaflet.BASE_DIR)
js = (leaflet / "leaflet.js").read_text(encoding="utf-8").replace("</script", "<\\/script")
css = (leaflet / "leaflet.css").read_text(encoding="utf-8")
page = re.sub(r'<script src="[^"]*/leaflet\\.js"></script>', lambda _: "<script>" + js + "</script>", page)
page = re.sub(r'<link rel="stylesheet" href="[^"]*/leaflet\\.css"/>', lambda _: "<style>" + css + "</style>", page)
page = re.sub(r'<script src="https?://[^"]*"></script>|<link rel="stylesheet" href="https?://[^"]*"/>', "", page)
Path(sys.argv[2]).write_text(page, encoding="utf-8")
"""


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one run of `cmd` (and its children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:3])} failed: {proc.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def browser() -> object:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    profile = tempfile.mkdtemp(prefix="evacmap-bench-chromium-")
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--window-size=1200,960",
                f"--user-data-dir={profile}"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(900)
    driver.set_script_timeout(900)
    # A 40 MiB folium page can keep Chromium busy for minutes: wait for it.
    driver.command_executor.client_config.timeout = 900
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["http://*", "https://*", "ws://*", "wss://*"]})
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 1200, "height": 760, "deviceScaleFactor": 1, "mobile": False},
    )
    return driver


def drawn_ms(driver: object, page: Path, evacmap: bool) -> float:
    d: object = driver
    d.get("about:blank")  # type: ignore[attr-defined]
    d.get(page.resolve().as_uri())  # type: ignore[attr-defined]
    if evacmap:
        for _ in range(6000):
            v = d.execute_script(  # type: ignore[attr-defined]
                "const c = document.querySelector('.leaflet-container');"
                "return c && c.getAttribute('data-evacmap-first-drawn-ms');"
            )
            if v:
                return float(v)
            time.sleep(0.01)
        raise RuntimeError("the evacmap page never drew")
    ms = d.execute_async_script(  # type: ignore[attr-defined]
        "const done = arguments[arguments.length - 1];"
        "const wait = () => document.querySelector('.leaflet-overlay-pane canvas')"
        "  ? requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now())))"
        "  : (window.L ? setTimeout(wait, 10) : done(-1));"
        "wait();"
    )
    if ms < 0:
        raise RuntimeError("the folium page has no Leaflet: it cannot draw offline")
    return float(ms)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--flows", type=int, default=100_000)
    parser.add_argument("--places", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium measure")
    parser.add_argument("--baseline-browser-runs", type=int, default=1,
                        help="Chromium runs of the folium page (each can take minutes)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="evacmap-bench-") as tmp:
        folder = Path(tmp)
        table = folder / "flows.csv"
        make_coordinates_table(table, args.flows, args.places)
        ev_out, plain_out = folder / "evacmap.html", folder / "folium.html"
        ev_cmd = evacmap_cmd("-q", "map", str(table), "-o", str(ev_out))
        plain_cmd = [sys.executable, "-c", textwrap.dedent(PLAIN_FOLIUM), str(table), str(plain_out)]
        ev_runs, plain_runs = [], []
        for _ in range(args.runs):  # interleaved, so both see the same machine load
            ev_runs.append(timed(ev_cmd))
            plain_runs.append(timed(plain_cmd))
        ev_draw: list[float] = []
        plain_draw: list[float] = []
        if not args.no_browser and CHROMIUM.is_file() and CHROMEDRIVER.is_file():
            driver = browser()
            try:
                for k in range(args.runs):
                    ev_draw.append(drawn_ms(driver, ev_out, True))
                    if k < args.baseline_browser_runs:
                        plain_draw.append(drawn_ms(driver, plain_out, False))
            finally:
                driver.quit()  # type: ignore[attr-defined]
        med = statistics.median
        ev_size, plain_size = ev_out.stat().st_size / 2**20, plain_out.stat().st_size / 2**20
        rows = [
            f"# render_scale ({platform.node()}, {time.strftime('%Y-%m-%d %H:%M')}, "
            f"load average {' '.join(f'{x:.1f}' for x in __import__('os').getloadavg())})",
            "",
            f"{args.flows:,} flows among {args.places:,} places; medians of {args.runs} runs "
            f"(the folium page in Chromium: {min(args.runs, args.baseline_browser_runs)}).",
            "",
            "| | evacmap (canvas) | plain folium, one GeoJson | goal |",
            "|---|---|---|---|",
            f"| `map` build + write, wall | {med(r[0] for r in ev_runs):.2f} s "
            f"| {med(r[0] for r in plain_runs):.2f} s | ≤ 1.2 s |",
            f"| build + write, CPU (user + sys) | {med(r[1] for r in ev_runs):.2f} s "
            f"| {med(r[1] for r in plain_runs):.2f} s | |",
            f"| file size | {ev_size:.2f} MiB | {plain_size:.1f} MiB | ≤ 1.3 MiB |",
        ]
        if ev_draw:
            rows.append(
                f"| Chromium, offline: page load to drawn | {med(ev_draw) / 1000:.2f} s "
                f"| {med(plain_draw) / 1000:.2f} s | ≤ 2 s |"
            )
        rows += [
            "",
            "All runs (wall s, CPU s): evacmap "
            + ", ".join(f"({w:.2f}, {c:.2f})" for w, c in ev_runs)
            + "; folium "
            + ", ".join(f"({w:.2f}, {c:.2f})" for w, c in plain_runs),
        ]
        if ev_draw:
            rows.append(
                "Drawn (ms): evacmap " + ", ".join(f"{x:.0f}" for x in ev_draw)
                + "; folium " + ", ".join(f"{x:.0f}" for x in plain_draw)
            )
    text = "\n".join(rows) + "\n"
    print(text)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
