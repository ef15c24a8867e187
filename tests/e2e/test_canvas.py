"""The canvas flow layer in headless Chromium, offline: real generated pages.

A 10,000-flow map draws every flow (the layer's count and the canvas pixels), a hover
on a known flow shows its numbers, the time slider changes what is drawn, the total on
the screen at low zoom equals the sum of the flows, the console stays clean, and names
and evidence carrying HTML or script payloads show as text and never run.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from evacmap.errors import SourceLocation
from evacmap.flows import FlowGraph
from evacmap.model import Evidence, Movement, Place
from evacmap.render import save_map
from evacmap.testing import random_flow_graph

pytestmark = pytest.mark.e2e

DATES = (dt.date(2017, 3, 1), dt.date(2017, 4, 1), dt.date(2017, 5, 1))


def _graph(n: int, *, extra: list[Movement] | None = None, seed: int = 11) -> FlowGraph:
    return random_flow_graph(
        n, seed=seed, max_count=900, dates=DATES, group_every=7, extra=extra or ()
    )


def _known() -> Movement:
    # Far from the random flows, so nothing is drawn over it.
    return Movement(
        Place("Known origin", 39.5, 44.0, id="k1"),
        (Place("Known destination", 39.6, 46.0, id="k2"),),
        count=4321,
        groups=(("fighters", 1234),),
        date_start=DATES[1],
        sources=("OCHA flash update",),
        evidence=(Evidence(SourceLocation("report.txt", 7, 3), "4,321 people left the town"),),
        id="known",
    )


def _wait_drawn(driver: Any, previous: str | None = None) -> dict[str, Any]:
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 20).until(
        lambda d: d.execute_script(
            "const c = document.querySelector('.leaflet-container');"
            "return c && c.getAttribute('data-evacmap-drawn') !== null;"
        )
    )
    stats: dict[str, Any] = driver.execute_script("return window.__evacmapCanvas.stats();")
    return stats


def _pixels(driver: Any) -> list[int]:
    """Painted pixels of the flow canvas, and a checksum of them."""
    result: list[int] = driver.execute_script(
        """
        const c = document.querySelector('canvas.evacmap-flow-canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let painted = 0, sum = 0;
        for (let i = 3; i < d.length; i += 4) {
            if (d[i] > 0) { painted++; sum = (sum + d[i - 3] * 7 + d[i - 2] * 13 + i) % 1000000007; }
        }
        return [painted, sum];
        """
    )
    return result


_FLOW_POINT = """
const layer = window.__evacmapCanvas, a = layer._a, names = layer._strings.names;
const o = names.indexOf(arguments[0]), d = names.indexOf(arguments[1]);
const hit = layer._geo.find(g => g.e.n === 1 && a.mo[g.e.m] === o && a.md[g.e.m] === d);
if (!hit) { return null; }
const pts = hit.pts, k = 2 * Math.floor(pts.length / 4);
const map = layer._map;
const p = map.layerPointToContainerPoint(layer._origin.add([pts[k], pts[k + 1]]));
const size = map.getSize();
return [p.x - size.x / 2, p.y - size.y / 2];
"""


def _hover(driver: Any, origin: str, destination: str) -> str:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 20).until(lambda d: d.execute_script("return !!window.__evacmapCanvas._grid"))
    at = driver.execute_script(_FLOW_POINT, origin, destination)
    assert at is not None, f"{origin} → {destination} is not drawn"
    container = driver.find_element(By.CSS_SELECTOR, ".leaflet-container")
    ActionChains(driver).move_to_element_with_offset(container, round(at[0]), round(at[1])).perform()
    tip = driver.find_element(By.CSS_SELECTOR, ".evacmap-canvas-tip")
    WebDriverWait(driver, 10).until(lambda d: tip.is_displayed())
    return str(tip.get_attribute("textContent"))


def _severe(driver: Any) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def test_ten_thousand_flows_draw_hover_and_play(driver: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    graph = _graph(10_000, extra=[_known()])
    page = save_map(graph, tmp_path / "ten-thousand.html", title="10,000 flows")
    driver.get(page.resolve().as_uri())
    stats = _wait_drawn(driver)
    # Every movement is one drawn flow (none summed below 20,000 movements).
    assert stats["movements"] == 10_001
    assert stats["level"] == -1
    assert stats["drawn"] == 10_001
    moved = int(graph.tables.movements["count"].sum())
    assert stats["moved"] == moved
    painted, _ = _pixels(driver)
    assert painted > 100_000  # the flows cover a good part of the 1200 x 760 view

    text = _hover(driver, "Known origin", "Known destination")
    assert "Known origin → Known destination" in text
    assert "4,321 people (reported), including 1,234 fighters" in text
    assert "Date: 2017-04-01" in text
    assert "Source: OCHA flash update" in text
    assert "“4,321 people left the town” (report.txt:7:3)" in text

    # The legend and the time slider are there; one date draws a third of the flows.
    assert "4,000 or more" in driver.find_element(By.CSS_SELECTOR, ".evacmap-legend").text
    driver.execute_script(
        """
        const s = document.querySelector('.evacmap-time-slider');
        s.value = '0'; s.dispatchEvent(new Event('input'));
        """
    )
    one = driver.execute_script("return window.__evacmapCanvas.stats();")
    assert one["movements"] == len([i for i in range(10_000) if i % 3 == 0])
    assert one["moved"] == int(graph.tables.movements["count"].iloc[0:10_000:3].sum())
    label = driver.find_element(By.CSS_SELECTOR, ".evacmap-time-label").text
    assert label == "2017-03-01"
    after = _pixels(driver)
    assert after[0] < painted
    # Cumulative up to the second date: two thirds, plus the known flow.
    driver.execute_script(
        """
        const m = document.querySelector('.evacmap-time-mode');
        m.value = 'cumulative'; m.dispatchEvent(new Event('change'));
        const s = document.querySelector('.evacmap-time-slider');
        s.value = '1'; s.dispatchEvent(new Event('input'));
        """
    )
    two = driver.execute_script("return window.__evacmapCanvas.stats();")
    assert two["movements"] == len([i for i in range(10_000) if i % 3 != 2]) + 1
    assert _severe(driver) == []


def test_low_zoom_totals_equal_the_sum_of_the_flows(driver: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    planned = Movement(
        Place("Camp", 34.0, 37.0, id="c1"), (Place("Town", 34.5, 38.0, id="c2"),),
        count_max=20_000, count_kind="planned", id="plan",
    )
    graph = _graph(6_000, extra=[planned], seed=3)
    page = save_map(graph, tmp_path / "summed.html", aggregate_above=1_000)
    driver.get(page.resolve().as_uri())
    stats = _wait_drawn(driver)
    assert stats["level"] >= 0, "6,000 flows above aggregate_above=1,000 are summed by clusters"
    assert stats["drawn"] < 6_000
    moved = int(graph.tables.movements["count"].sum())
    assert stats["moved"] == moved
    # The sums drawn add up to the flows: internal totals included, planned kept apart.
    assert stats["drawnSum"] == moved
    assert stats["planned"] == 20_000
    totals = driver.find_element(By.CSS_SELECTOR, ".evacmap-totals").text
    assert f"{moved:,} people moved" in totals
    assert "20,000 planned (not added)" in totals
    # Zoom out further: a coarser level, the same total.
    driver.execute_script("window.__evacmapCanvas._map.setZoom(4, {animate: false});")
    coarse = driver.execute_script("return window.__evacmapCanvas.stats();")
    assert coarse["moved"] == moved and coarse["drawnSum"] == moved
    assert coarse["drawn"] <= stats["drawn"]
    assert _severe(driver) == []


def test_hostile_names_and_evidence_stay_text_on_the_canvas(driver: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    from evacmap.testing import hostile_texts

    payloads = hostile_texts(str(tmp_path / "pwned"))
    ms = []
    for i, (label, t) in enumerate(payloads.items()):
        lat, lon = 33.0 + 0.6 * (i % 6), 36.0 + 1.2 * (i // 6)
        ms.append(
            Movement(
                Place(t, lat, lon, id=f"o{i}"), (Place(f"D{i}", lat + 0.05, lon + 0.7, id=f"d{i}"),),
                count=100 + i, groups=((t, 10),), stage=t, sources=(t,),
                evidence=(Evidence(SourceLocation(t, 2, 1), t),), id=label,
            )
        )
    page = save_map(FlowGraph(ms), tmp_path / "hostile.html", renderer="canvas", title=payloads["script_close"])
    driver.get(page.resolve().as_uri())
    _wait_drawn(driver)
    for t in list(payloads.values())[:6]:
        text = _hover(driver, t, f"D{list(payloads.values()).index(t)}")
        assert text.count(t) >= 4, (t, text)  # name, group, stage, source, evidence
    assert driver.execute_script("return window.__evacmapPwned === undefined")
    assert not (tmp_path / "pwned").exists()
    for css in (".leaflet-container img", ".evacmap-canvas-tip *:not(div):not(b):not(i)", "body style"):
        assert driver.find_elements(By.CSS_SELECTOR, css) == [], css
    assert driver.execute_script("return document.title") == payloads["script_close"]
    assert _severe(driver) == []


def test_every_shape_is_drawn_and_unknown_ends_are_never_invented(driver: Any, tmp_path: Path) -> None:
    harasta = Place("Harasta", 33.56, 36.37, id="h")
    idlib = Place("Idlib", 35.93, 36.63, id="i")
    jarablus = Place("Jarablus", 36.82, 38.01, id="j")
    homs = Place("Homs", 34.73, 36.71, id="ho")
    hama = Place("Hama", 35.13, 36.75, id="ha")
    ms = [
        Movement(homs, (idlib, jarablus), count=450, id="fork"),
        Movement(harasta, (), count=1200, id="left-only"),
        Movement(None, (idlib,), count=300, id="arrived-only"),
        Movement(hama, (hama,), count=80, id="within"),
        Movement(harasta, (jarablus,), count=900, waypoints=(homs, hama), id="via"),
    ]
    page = save_map(FlowGraph(ms), tmp_path / "shapes.html", renderer="canvas")
    driver.get(page.resolve().as_uri())
    stats = _wait_drawn(driver)
    assert stats["drawn"] == 5
    types = driver.execute_script("return window.__evacmapCanvas._geo.map(g => g.e.type).sort();")
    assert types == ["fork", "path", "ring", "stubIn", "stubOut"]
    assert stats["moved"] == 450 + 1200 + 300 + 80 + 900
    assert stats["internal"] == 80
    # The stub out of Harasta says where it is known to go: nowhere invented.
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, 20).until(lambda d: d.execute_script("return !!window.__evacmapCanvas._grid"))
    at = driver.execute_script(
        """
        const layer = window.__evacmapCanvas, map = layer._map;
        const g = layer._geo.find(x => x.e.type === 'stubOut');
        const pts = g.pts;
        const p = map.layerPointToContainerPoint(layer._origin.add([(pts[0] + pts[2]) / 2, (pts[1] + pts[3]) / 2]));
        const size = map.getSize();
        return [p.x - size.x / 2, p.y - size.y / 2];
        """
    )
    container = driver.find_element(By.CSS_SELECTOR, ".leaflet-container")
    ActionChains(driver).move_to_element_with_offset(container, round(at[0]), round(at[1])).perform()
    tip = driver.find_element(By.CSS_SELECTOR, ".evacmap-canvas-tip")
    WebDriverWait(driver, 10).until(lambda d: tip.is_displayed())
    text = tip.get_attribute("textContent")
    assert "Harasta → ?" in text and "1,200 people" in text
    assert _severe(driver) == []


def test_stages_drive_the_slider_when_there_are_no_dates(driver: Any, tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    a_, b_ = Place("Madaya", 33.69, 36.10, id="a"), Place("Idlib", 35.93, 36.63, id="b")
    ms = [
        Movement(a_, (b_,), count=500, stage="first convoy", id="s1"),
        Movement(a_, (b_,), count=300, stage="second convoy", id="s2"),
        Movement(a_, (b_,), count=200, stage="second convoy", id="s3"),
    ]
    page = save_map(FlowGraph(ms), tmp_path / "stages.html", renderer="canvas")
    driver.get(page.resolve().as_uri())
    _wait_drawn(driver)
    assert driver.find_element(By.CSS_SELECTOR, ".evacmap-time-label").text == "all stages"
    driver.execute_script(
        "const s = document.querySelector('.evacmap-time-slider');"
        "s.value = '1'; s.dispatchEvent(new Event('input'));"
    )
    stats = driver.execute_script("return window.__evacmapCanvas.stats();")
    assert stats["movements"] == 2 and stats["moved"] == 500
    assert driver.find_element(By.CSS_SELECTOR, ".evacmap-time-label").text == "second convoy"
    assert _severe(driver) == []


@pytest.mark.slow
def test_a_hundred_thousand_flows_open_hover_zoom_and_play(driver: Any, tmp_path: Path) -> None:
    import numpy as np
    import pandas as pd
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from evacmap.io import read_flows

    rng = np.random.default_rng(7)
    n, k = 100_000, 5_000
    lat, lon = rng.uniform(32.5, 37.2, k).round(5), rng.uniform(35.8, 42.0, k).round(5)
    o = rng.integers(0, k, n)
    d = (o + rng.integers(1, k, n)) % k
    days = pd.Timestamp("2017-01-01") + pd.to_timedelta(rng.integers(0, 6, n) * 30, unit="D")
    table = tmp_path / "flows.csv"
    pd.DataFrame({
        "movement": [f"m{i}" for i in range(n)],
        "origin": [f"P{i}" for i in o], "origin_lat": lat[o], "origin_lon": lon[o],
        "destination": [f"P{i}" for i in d], "destination_lat": lat[d], "destination_lon": lon[d],
        "count": rng.integers(10, 5000, n), "date": days.strftime("%Y-%m-%d"),
    }).to_csv(table, index=False)
    graph = read_flows(table)
    page = save_map(graph, tmp_path / "big.html")
    assert page.stat().st_size < 1.4 * 2**20
    driver.get(page.resolve().as_uri())
    stats = _wait_drawn(driver)
    moved = int(graph.tables.movements["count"].sum())
    assert stats["movements"] == n and stats["moved"] == moved and stats["drawnSum"] == moved
    assert stats["level"] >= 0
    # Hover a sum of several movements, at a point of its line where it is on top.
    WebDriverWait(driver, 20).until(lambda d: d.execute_script("return !!window.__evacmapCanvas._grid"))
    at = driver.execute_script(
        """
        const layer = window.__evacmapCanvas, map = layer._map, s = map.getSize();
        for (let i = layer._geo.length - 1; i >= 0; i--) {
            const g = layer._geo[i];
            if (g.e.type !== 'flow' || g.e.n < 2) { continue; }
            for (let k = 4; k <= 12; k += 2) {
                const x = g.pts[k], y = g.pts[k + 1];
                const hit = layer._pick(x, y);
                const p = map.layerPointToContainerPoint(layer._origin.add([x, y]));
                if (hit && hit.geo === g && p.x > 60 && p.x < s.x - 300 && p.y > 60 && p.y < s.y - 200) {
                    return [p.x - s.x / 2, p.y - s.y / 2, g.e.v, g.e.n];
                }
            }
        }
        return null;
        """
    )
    assert at is not None
    container = driver.find_element(By.CSS_SELECTOR, ".leaflet-container")
    ActionChains(driver).move_to_element_with_offset(container, round(at[0]), round(at[1])).perform()
    tip = driver.find_element(By.CSS_SELECTOR, ".evacmap-canvas-tip")
    WebDriverWait(driver, 10).until(lambda d: tip.is_displayed())
    text = tip.get_attribute("textContent")
    assert f"{at[2]:,} people" in text and f"{at[3]:,} movements summed" in text
    # Zoom in with the animation; the layer redraws and keeps its total.
    before = driver.execute_script("return window.__evacmapCanvas.stats();")
    driver.execute_script("window.__evacmapCanvas._map.zoomIn(2);")
    WebDriverWait(driver, 20).until(
        lambda d: d.execute_script("return window.__evacmapCanvas.stats().zoom") == before["zoom"] + 2
    )
    zoomed = driver.execute_script("return window.__evacmapCanvas.stats();")
    assert zoomed["draws"] > before["draws"] and zoomed["moved"] == moved
    assert zoomed["level"] >= before["level"]  # finer (or as fine) sums when zoomed in
    # Play: each step draws the movements up to its date, on one width scale.
    scale = driver.execute_script("return window.__evacmapCanvas.stats().scale")
    play = driver.find_element(By.CSS_SELECTOR, ".evacmap-time-play")
    play.click()
    label = lambda d: d.find_element(By.CSS_SELECTOR, ".evacmap-time-label").text  # noqa: E731
    # It plays to the last date, then stops by itself.
    WebDriverWait(driver, 60, poll_frequency=0.1).until(
        lambda d: label(d) == "up to 2017-05-31" and play.text == "▶"
    )
    assert driver.execute_script("return window.__evacmapCanvas.stats().scale") == scale
    # Step by step: more movements each date, the same width scale.
    seen = []
    for step in range(3):
        driver.execute_script(
            "const s = document.querySelector('.evacmap-time-slider');"
            f"s.value = '{step}'; s.dispatchEvent(new Event('input'));"
        )
        seen.append(driver.execute_script("return window.__evacmapCanvas.stats();"))
    counts = [x["movements"] for x in seen]
    assert counts == sorted(counts) and counts[0] < counts[2] < n
    assert {x["scale"] for x in seen} == {scale}
    assert _severe(driver) == []
