"""Overlays and tiles in headless Chromium with the network blocked (Debian chromium only).

Uses the ``driver`` fixture of ``test_browser.py`` (every request to the network blocked).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from test_browser import TIMEOUT_S, driver  # noqa: F401 - the shared browser fixture

from evacmap._resources import example_path
from evacmap.cli.main import cli

pytestmark = pytest.mark.e2e

PAYLOAD = '<img src=x onerror="window.__evacmapPwned=1"> $x$ {{ 7*7 }}'


def _overlay_file(tmp_path: Path) -> Path:
    """Test fixtures, not real boundaries: two boxes around Homs and Hama."""
    doc = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"name": PAYLOAD, "pcode": "T01"},
             "geometry": {"type": "Polygon", "coordinates": [[[37.5, 34.2], [39.0, 34.2], [39.0, 35.2], [37.5, 35.2], [37.5, 34.2]]]}},
            {"type": "Feature", "properties": {"name": "Box B", "pcode": "T02"},
             "geometry": {"type": "Polygon", "coordinates": [[[37.5, 35.2], [39.0, 35.2], [39.0, 36.0], [37.5, 36.0], [37.5, 35.2]]]}},
        ],
    }
    path = tmp_path / "boxes.geojson"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _make(tmp_path: Path, *extra: str) -> Path:
    out = tmp_path / "m.html"
    res = CliRunner().invoke(
        cli,
        ["map", str(example_path()), "-o", str(out), "--overlay", str(_overlay_file(tmp_path)),
         "--overlay-label", "name", *extra],
    )
    assert res.exit_code == 0, res.output
    return out


def _open(driver: Any, path: Path) -> None:  # noqa: F811 - the fixture is the argument
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(path.resolve().as_uri())
    WebDriverWait(driver, TIMEOUT_S).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "path.evacmap-overlay")
    )


def test_overlay_draws_offline_with_text_tooltips(driver: Any, tmp_path: Path) -> None:  # noqa: F811
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    _open(driver, _make(tmp_path))
    assert len(driver.find_elements(By.CSS_SELECTOR, "path.evacmap-overlay")) == 2
    labels = [e.get_attribute("textContent") for e in driver.find_elements(By.CSS_SELECTOR, ".evacmap-overlay-label")]
    assert sorted(labels) == sorted([PAYLOAD, "Box B"])
    # Hover the first box where it is on top (not under a flow or a label).
    dx, dy = driver.execute_script(
        """
        const path = document.querySelectorAll('path.evacmap-overlay')[0];
        const r = path.getBoundingClientRect();
        const box = document.querySelector('.leaflet-container').getBoundingClientRect();
        for (let fy = 0.2; fy < 0.9; fy += 0.1) for (let fx = 0.2; fx < 0.9; fx += 0.1) {
            const x = r.left + r.width * fx, y = r.top + r.height * fy;
            if (document.elementFromPoint(x, y) === path) {
                return [x - box.left - box.width / 2, y - box.top - box.height / 2];
            }
        }
        return null;
        """
    )
    container = driver.find_element(By.CSS_SELECTOR, ".leaflet-container")
    ActionChains(driver).move_to_element_with_offset(container, round(dx), round(dy)).perform()
    tip = WebDriverWait(driver, TIMEOUT_S).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".leaflet-tooltip.evacmap-tooltip")
    )[0]
    assert PAYLOAD in tip.get_attribute("textContent")
    assert "T01" in tip.text
    assert driver.find_elements(By.CSS_SELECTOR, ".leaflet-container img") == []
    assert driver.execute_script("return window.__evacmapPwned === undefined")
    assert "Overlay: boxes.geojson" in driver.find_element(By.CSS_SELECTOR, ".leaflet-control-attribution").text
    assert [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"] == []


def test_with_tiles_unreachable_the_offline_basemap_still_shows(driver: Any, tmp_path: Path) -> None:  # noqa: F811
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    _open(driver, _make(tmp_path, "--tiles", "http://localhost:9/{z}/{x}/{y}.png"))
    WebDriverWait(driver, TIMEOUT_S).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".leaflet-tile-pane img")
    )
    assert len(driver.find_elements(By.CSS_SELECTOR, "path.evacmap-country")) > 3
    assert len(driver.find_elements(By.CSS_SELECTOR, "path.evacmap-overlay")) == 2
    tiles = driver.execute_script(
        "return Array.from(document.querySelectorAll('.leaflet-tile-pane img')).map(i => i.src)"
    )
    assert tiles and all(src.startswith("http://localhost:9/") for src in tiles)
    # The only errors are the tiles that could not load.
    severe = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert all("localhost:9/" in m for m in severe), severe


def test_overlay_under_a_canvas_map_keeps_flow_hover(driver: Any, tmp_path: Path) -> None:  # noqa: F811
    """An overlay polygon under the canvas flows: the flow's own tooltip still answers."""
    from selenium.webdriver.common.by import By
    from test_canvas import _hover, _wait_drawn

    table = tmp_path / "t.csv"
    table.write_text(
        "origin,origin_lat,origin_lon,destination,destination_lat,destination_lon,count\n"
        "Known origin,34.0,37.0,Known destination,35.0,38.5,4321\n",
        encoding="utf-8",
    )
    box = tmp_path / "box.geojson"
    box.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "Box"},
         "geometry": {"type": "Polygon", "coordinates": [[[36.0, 33.0], [39.5, 33.0], [39.5, 36.0], [36.0, 36.0], [36.0, 33.0]]]}},
    ]}), encoding="utf-8")
    out = tmp_path / "m.html"
    res = CliRunner().invoke(cli, ["map", str(table), "-o", str(out), "--renderer", "canvas", "--overlay", str(box)])
    assert res.exit_code == 0, res.output
    _open(driver, out)
    _wait_drawn(driver)
    assert len(driver.find_elements(By.CSS_SELECTOR, "path.evacmap-overlay")) == 1
    assert "4,321" in _hover(driver, "Known origin", "Known destination")
    assert [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"] == []
