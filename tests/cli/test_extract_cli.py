"""``evacmap extract``: JSON fields, a CSV that ``evacmap map`` reads back, the map's tooltips."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from evacmap.cli.main import cli

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "tests" / "data" / "extract" / "reference" / "homs-al-waer-2017.txt"


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run(runner: CliRunner, *args: str, input: str | None = None):
    return runner.invoke(cli, list(args), catch_exceptions=False, input=input)


def test_json_has_the_issue_fields(runner):
    res = run(runner, "extract", str(REFERENCE), "--country", "SY", "--date", "2017-05-20")
    assert res.exit_code == 0, res.stderr
    data = json.loads(res.stdout)
    first = data[0]
    for key in ("origin", "destinations", "count", "count_min", "count_max", "count_kind", "groups",
                "date", "stage", "waypoints", "evidence", "confidence"):
        assert key in first
    assert first["origin"]["name"] == "al-Waer" and {"lat", "lon"} <= first["origin"].keys()
    assert [d["name"] for d in first["destinations"]] == ["Idleb governorate", "Jarablus"]
    assert first["groups"] == {"fighters": 193} and first["stage"] == "final"
    ev = first["evidence"]
    text = REFERENCE.read_text(encoding="utf-8")
    assert text[ev["start"] : ev["end"]] == ev["text"] and ev["source"] == str(REFERENCE)
    assert data[1]["count_max"] == 20000 and data[1]["count_kind"] == "planned"
    assert "left out 'some 1,150'" in res.stderr


def test_csv_reads_back_and_map_quotes_the_sentences(runner, tmp_path):
    out = tmp_path / "flows.csv"
    res = run(runner, "extract", str(REFERENCE), "--country", "SY", "-o", str(out),
              "--map", str(tmp_path / "m.html"))
    assert res.exit_code == 0, res.stderr
    page = (tmp_path / "m.html").read_text(encoding="utf-8")
    unescaped = html.unescape(page.replace("\\u0026", "&").replace("\\u003c", "<").replace("\\u003e", ">"))
    assert "A group of 450 people, including 193 militants" in unescaped
    assert "homs-al-waer-2017.txt" in unescaped
    assert 'src="http' not in page
    back = run(runner, "stats", str(out), "--json")
    assert back.exit_code == 0, back.stderr
    rows = {r["name"]: r for r in json.loads(back.stdout)}
    assert rows["al-Waer"]["out_count"] == 450
    res = run(runner, "map", str(out), "-o", str(tmp_path / "again.html"))
    assert res.exit_code == 0, res.stderr


def test_stdin_and_geojson(runner):
    res = run(runner, "extract", "-", "--format", "geojson", "--country", "SY",
              input="2,000 people arrived in Idlib on 3 May 2018.")
    assert res.exit_code == 0, res.stderr
    doc = json.loads(res.stdout)
    flows = [f for f in doc["features"] if f["properties"]["feature"] == "flow"]
    assert doc["type"] == "FeatureCollection" and len(flows) == 1


def test_two_articles_merge_duplicates(runner, tmp_path):
    text = "Some 450 people left al-Waer for Jarablus on 20 May 2017."
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text("Reports said: " + text, encoding="utf-8")
    res = run(runner, "extract", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--country", "SY")
    assert res.exit_code == 0, res.stderr
    data = json.loads(res.stdout)
    assert len(data) == 1 and len(data[0]["sources"]) == 2


def test_bad_date_is_a_usage_error(runner):
    res = run(runner, "extract", str(REFERENCE), "--date", "20/05/2017")
    assert res.exit_code == 2 and "YYYY-MM-DD" in res.stderr
