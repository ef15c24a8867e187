"""Open the rendered maps in headless Chromium with every network request blocked.

Uses Debian's ``chromium`` and ``chromedriver`` at /usr/bin (never Selenium Manager,
never a downloaded browser). Without them the tests are skipped, unless
``EVACMAP_REQUIRE_BROWSER=1`` makes that a failure. With ``EVACMAP_SCREENSHOT=1`` the
demo map is also saved as ``docs/demo-map.png`` (the README's screenshot).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "demo-map.png"
VIEWPORT = (1200, 760)
BLOCKED = ["http://*", "https://*", "ws://*", "wss://*"]
TIMEOUT_S = 15


def _need_browser() -> None:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.is_file()]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the selenium package (pip install selenium)")
    if not missing:
        return
    message = (
        f"browser tests need Debian's chromium and chromedriver and selenium; missing: "
        f"{', '.join(missing)} (apt-get install chromium chromium-driver)"
    )
    if os.environ.get("EVACMAP_REQUIRE_BROWSER") == "1":
        pytest.fail(message + "; EVACMAP_REQUIRE_BROWSER=1 makes this an error")
    pytest.skip(message)


@pytest.fixture
def driver(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    _need_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    monkeypatch.setenv("SE_OFFLINE", "true")  # Selenium Manager must never download
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    with tempfile.TemporaryDirectory(prefix="evacmap-chromium-") as profile:
        for arg in (
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--window-size={VIEWPORT[0]},{VIEWPORT[1] + 200}",
            f"--user-data-dir={profile}",
        ):
            options.add_argument(arg)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        browser = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
        try:
            browser.execute_cdp_cmd("Network.enable", {})
            browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": BLOCKED})
            browser.execute_cdp_cmd(
                "Emulation.setDeviceMetricsOverride",
                {
                    "width": VIEWPORT[0],
                    "height": VIEWPORT[1],
                    "deviceScaleFactor": 1,
                    "mobile": False,
                },
            )
            yield browser
        finally:
            browser.quit()


def _open(driver: Any, path: Path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(path.resolve().as_uri())
    WebDriverWait(driver, TIMEOUT_S).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".leaflet-container")
    )
    # Arrowheads are computed once the map has its final zoom; wait for them.
    WebDriverWait(driver, TIMEOUT_S).until(
        lambda d: d.execute_script(
            "return Array.from(document.querySelectorAll('path.evacmap-arrowhead'))"
            ".every(p => (p.getAttribute('d') || 'M0 0') !== 'M0 0');"
        )
    )


def _severe(driver: Any) -> list[str]:
    return [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def test_demo_map_draws_offline_and_shows_the_fork(driver: Any, demo_html: Path) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    _open(driver, demo_html)
    assert driver.execute_script("return typeof window.L") == "object"
    assert driver.execute_script("return window.L.version") == "1.9.3"

    def count(css: str) -> int:
        return len(driver.find_elements(By.CSS_SELECTOR, css))

    # m1 (450 moved) and m2 (up to 20,000 planned): a trunk and two branches each.
    assert count("path.evacmap-flow") == 6
    assert count("path.evacmap-flow.evacmap-trunk") == 2
    assert count("path.evacmap-flow.evacmap-branch") == 4
    assert count("path.evacmap-flow.evacmap-moved") == 3
    assert count("path.evacmap-flow.evacmap-planned") == 3
    assert count("path.evacmap-arrowhead") == 4  # one per branch, none on trunks
    assert count("path.evacmap-place") == 3
    assert count("path.evacmap-place-hollow") == 2  # Idlib and Jarablus: no count of their own
    labels = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".evacmap-count-label")]
    assert sorted(labels) == ["450", "up to 20,000 planned"]
    names = {e.text for e in driver.find_elements(By.CSS_SELECTOR, ".evacmap-place-label")}
    assert names == {"al-Waer", "Idleb governorate", "Jarablus"}
    assert (
        "Natural Earth (public domain)"
        in driver.find_element(By.CSS_SELECTOR, ".leaflet-control-attribution").text
    )
    legend = driver.find_element(By.CSS_SELECTOR, ".evacmap-legend").text
    assert "planned (not added)" in legend
    assert "20,000" in legend

    # The arrowhead of each branch sits at its destination, drawn in pixels.
    sizes = driver.execute_script(
        "return Array.from(document.querySelectorAll('path.evacmap-arrowhead'))"
        ".map(p => { const b = p.getBBox(); return [b.width, b.height]; });"
    )
    assert all(max(w, h) >= 8 for w, h in sizes)

    if os.environ.get("EVACMAP_SCREENSHOT") == "1":
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        assert driver.save_screenshot(str(SCREENSHOT))

    # Hover the trunk of the 450 (a quarter of the way along it) with the real mouse.
    x, y, cx, cy = driver.execute_script(
        """
        const path = document.querySelector('path.evacmap-trunk.evacmap-moved');
        const pt = path.getPointAtLength(path.getTotalLength() * 0.25);
        const m = path.getScreenCTM();
        const box = document.querySelector('.leaflet-container').getBoundingClientRect();
        return [pt.x * m.a + pt.y * m.c + m.e, pt.x * m.b + pt.y * m.d + m.f,
                box.left + box.width / 2, box.top + box.height / 2];
        """
    )
    container = driver.find_element(By.CSS_SELECTOR, ".leaflet-container")
    ActionChains(driver).move_to_element_with_offset(
        container, round(x - cx), round(y - cy)
    ).perform()
    tooltip = WebDriverWait(driver, TIMEOUT_S).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, ".leaflet-tooltip.evacmap-tooltip")
    )[0]
    assert "450" in tooltip.text
    assert "including 193 fighters" in tooltip.text
    assert "Split between destinations not reported" in tooltip.text

    assert _severe(driver) == []


def _hover_each_flow(driver: Any) -> list[str]:
    """Move the real mouse onto every flow line in turn; the tooltip text of each."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    points = driver.execute_script(
        """
        const box = document.querySelector('.leaflet-container').getBoundingClientRect();
        // For each line, a point along it where the line itself is on top (not a
        // control, a label or another line).
        return Array.from(document.querySelectorAll('path.evacmap-flow')).map(path => {
            const m = path.getScreenCTM();
            for (const f of [0.4, 0.5, 0.3, 0.6, 0.2, 0.7, 0.15, 0.8]) {
                const pt = path.getPointAtLength(path.getTotalLength() * f);
                const x = pt.x * m.a + pt.y * m.c + m.e, y = pt.x * m.b + pt.y * m.d + m.f;
                if (document.elementFromPoint(x, y) === path) {
                    return [x - box.left - box.width / 2, y - box.top - box.height / 2];
                }
            }
            return null;
        });
        """
    )
    container = driver.find_element(By.CSS_SELECTOR, ".leaflet-container")
    assert None not in points, "a flow line is hidden everywhere along its length"
    texts = []
    for dx, dy in points:
        ActionChains(driver).move_to_element_with_offset(container, round(dx), round(dy)).perform()
        tips = driver.find_elements(By.CSS_SELECTOR, ".leaflet-tooltip.evacmap-tooltip")
        texts.extend(t.get_attribute("textContent") for t in tips)
    return texts


def test_hostile_texts_stay_text_in_the_browser(driver: Any, tmp_path: Path) -> None:
    """Every payload of the corpus, in names, groups, stages, sources, evidence and the
    title of a map made by `evacmap map` from a table: shown as text, nothing runs."""
    import csv

    from click.testing import CliRunner
    from selenium.webdriver.common.by import By

    from evacmap.cli.main import cli
    from evacmap.testing import hostile_texts

    payloads = hostile_texts(str(tmp_path / "pwned"))
    table = tmp_path / "hostile.csv"
    with table.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            ["movement", "origin", "origin_lat", "origin_lon", "destination", "destination_lat",
             "destination_lon", "count", "group", "stage", "source", "evidence"]
        )
        for i, t in enumerate(payloads.values()):
            lat, lon = 33.0 + 0.6 * (i % 6), 36.0 + 1.2 * (i // 6)  # apart, not crossing
            row = [f"m{i}", t, lat, lon, f"D{i}", lat + 0.05, lon + 0.7]
            writer.writerow([*row, 100 + i, "", t, t, t])
            writer.writerow([*row, 10, t, t, t, t])
    out = tmp_path / "hostile.html"
    title = payloads["line_separator_title"]
    result = CliRunner().invoke(cli, ["map", str(table), "--title", title, "-o", str(out)])
    assert result.exit_code == 0, result.output
    _open(driver, out)

    tips = _hover_each_flow(driver)
    assert driver.execute_script("return window.__evacmapPwned === undefined")
    assert not (tmp_path / "pwned").exists()
    # No element came out of the text: no image, SVG, style, link or extra script.
    for css in (".leaflet-container img", ".evacmap-title svg", "body style", "a[href^=javascript]"):
        assert driver.find_elements(By.CSS_SELECTOR, css) == [], css
    names = {
        e.get_attribute("textContent")
        for e in driver.find_elements(By.CSS_SELECTOR, ".evacmap-place-label")
    }
    assert set(payloads.values()) <= names
    assert driver.execute_script("return document.title") == title
    title_box = driver.find_element(By.CSS_SELECTOR, ".evacmap-title")
    assert title_box.get_attribute("textContent") == title
    # Each flow's tooltip shows its payload literally: name, group, stage, source, evidence.
    for t in payloads.values():
        assert any(tip.count(t) >= 5 for tip in tips), t
    assert _severe(driver) == []
