from __future__ import annotations

import json
import re
from pathlib import Path

import pyogrio
import pytest
from click.testing import CliRunner

from evacmap.cli.main import cli


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def run(runner: CliRunner, *args: str):
    return runner.invoke(cli, list(args), catch_exceptions=False)


def test_version_and_help_on_every_command(runner):
    res = run(runner, "--version")
    assert res.exit_code == 0 and "evacmap, version" in res.stdout
    for cmd in ([], ["demo"], ["map"], ["export"], ["geocode"]):
        res = run(runner, *cmd, "--help")
        assert res.exit_code == 0, cmd
        assert "Usage:" in res.stdout


def test_geocode_json_resolves_the_issue_names(runner):
    res = run(runner, "geocode", "--json", "--country", "SY", "El Waer", "Idleb", "Jarabulus",
              "حمص")
    assert res.exit_code == 0, res.stderr
    data = json.loads(res.stdout)
    assert [d["name"] for d in data] == ["al-Waer", "Idlib", "Jarablus", "Homs"]
    for d in data:
        assert {"query", "name", "lat", "lon", "country", "kind"} <= d.keys()
        assert d["country"] == "SY" and d["status"] == "resolved"
    assert abs(data[0]["lat"] - 34.74) < 0.03 and abs(data[0]["lon"] - 36.66) < 0.03


def test_geocode_unresolved_name_exits_1_with_message_on_stderr(runner):
    res = run(runner, "geocode", "Tripoli")
    assert res.exit_code == 1
    assert "ambiguous" in res.stderr and "LB" in res.stderr and "LY" in res.stderr
    assert "Traceback" not in res.output
    res = run(runner, "geocode", "--json", "Homs", "Qwxzzyq")
    assert res.exit_code == 1
    data = json.loads(res.stdout)
    assert data[0]["status"] == "resolved" and data[1]["status"] == "not_found"


def test_usage_errors_exit_2(runner):
    assert run(runner, "geocode").exit_code == 2
    assert run(runner, "geocode", "--country", "Syria", "Homs").exit_code == 2
    assert run(runner, "map", "missing.csv", "-o", "x.html").exit_code == 2
    assert run(runner, "nonsense").exit_code == 2


def test_geocode_batch_keeps_every_row(runner, tmp_path):
    src = tmp_path / "sites.csv"
    src.write_text("id,location,cc\n1,El Waer,\n2,Tripoli,\n3,Madaya,MM\n4,,\n5,Qwxzzyq,\n",
                   encoding="utf-8")
    out = tmp_path / "out.csv"
    res = run(runner, "geocode", "--input", str(src), "--column", "location",
              "--country-column", "cc", "-o", str(out))
    assert res.exit_code == 0, res.stderr
    import csv

    rows = list(csv.DictReader(out.read_text(encoding="utf-8").splitlines()))
    assert [r["id"] for r in rows] == ["1", "2", "3", "4", "5"]
    assert [r["status"] for r in rows] == ["resolved", "resolved", "resolved", "not_found",
                                           "not_found"]
    assert rows[0]["matched_name"] and rows[0]["pcode"] == "SY04" and rows[0]["kind"]
    assert rows[1]["country"] == "LB"  # the rest of the table is in Syria: the nearest Tripoli
    assert rows[2]["country"] == "MM"  # the row's own country column wins
    assert "3 resolved, 0 ambiguous, 2 not found, of 5 rows" in res.stderr
    alone = tmp_path / "alone.csv"
    alone.write_text("location\nTripoli\n", encoding="utf-8")
    res = run(runner, "geocode", "--input", str(alone), "--column", "location", "-o", str(out))
    (row,) = csv.DictReader(out.read_text(encoding="utf-8").splitlines())
    assert row["status"] == "ambiguous" and "LB" in row["note"] and "LY" in row["note"]
    assert row["lat"] == ""  # never a guessed coordinate
    res = run(runner, "geocode", "--input", str(src), "--column", "nope", "-o", str(out))
    assert res.exit_code == 1 and "no column 'nope'" in res.stderr


def test_export_geojson_and_bad_rows(runner, tmp_path):
    flows = tmp_path / "flows.csv"
    flows.write_text("origin,destination,count\nEl Waer,Jarablus,450\n", encoding="utf-8")
    out = tmp_path / "f.geojson"
    res = run(runner, "export", str(flows), "-o", str(out))
    assert res.exit_code == 0, res.stderr
    assert res.stdout.strip() == str(out)
    assert len(pyogrio.read_dataframe(out)) == 3
    res = run(runner, "export", str(flows), "-o", "-")
    assert json.loads(res.stdout)["type"] == "FeatureCollection"
    flows.write_text("origin,destination,count\nEl Waer,Jarablus,12k\nEl Waer,Kilis,3\n",
                     encoding="utf-8")
    res = run(runner, "export", str(flows), "-o", str(out))
    assert res.exit_code == 1
    assert "flows.csv:2:3: '12k' is not a whole number" in res.stderr
    assert "Hint: write 12000" in res.stderr and "Traceback" not in res.output
    res = run(runner, "export", str(flows), "-o", str(tmp_path / "g.gpkg"), "--skip-bad-rows")
    assert res.exit_code == 0
    assert "left out: flows.csv:2:3:" in res.stderr


def test_map_and_demo_write_offline_html(runner, tmp_path):
    res = run(runner, "demo", "-o", str(tmp_path))
    assert res.exit_code == 0, res.stderr
    html, geojson = (Path(p) for p in res.stdout.split())
    assert html.name == "al-waer-2017.html" and geojson.name == "al-waer-2017.geojson"
    text = html.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=[\"']?https?:", text)
    assert not re.search(r"<link[^>]+href=[\"']?https?:", text)
    assert "{z}" not in text  # no tile layer
    df = pyogrio.read_dataframe(geojson)
    assert 450 in set(df["count"].dropna().astype(int))
    res = run(runner, "map", str(geojson), "-o", str(tmp_path / "again.html"))
    assert res.exit_code == 0, res.stderr
    assert (tmp_path / "again.html").stat().st_size > 10_000


@pytest.mark.parametrize(
    ("command", "name"),
    [("export", "out.shp"), ("export", "out.kml"), ("export", "out.xlsx"), ("export", "out"),
     ("map", "out.jpg"), ("map", "out.geojson")],
)
def test_unknown_output_extension_is_a_usage_error(runner, tmp_path, command, name):
    table = tmp_path / "t.csv"
    table.write_text("origin,destination,count\nEl Waer,Idleb,450\n", encoding="utf-8")
    res = run(runner, command, str(table), "-o", str(tmp_path / name))
    assert res.exit_code == 2
    assert "cannot write that format" in res.stderr
    assert (".geojson" if command == "export" else ".html") in res.stderr
    assert not (tmp_path / name).exists()


def test_geocode_batch_output_must_be_csv(runner, tmp_path):
    table = tmp_path / "t.csv"
    table.write_text("place\nHoms\n", encoding="utf-8")
    res = run(runner, "geocode", "--input", str(table), "--column", "place", "-o", "x.xlsx")
    assert res.exit_code == 2 and ".csv" in res.stderr


def test_evidence_names_the_input_as_given_never_an_absolute_path(runner, tmp_path, monkeypatch):
    out = tmp_path / "demo"
    res = run(runner, "demo", "-o", str(out))
    assert res.exit_code == 0, res.stderr
    doc = json.loads((out / "al-waer-2017.geojson").read_text(encoding="utf-8"))
    evidence = [f["properties"]["evidence"] for f in doc["features"]
                if f["properties"]["feature"] == "flow"]
    assert evidence and all(e["source"] == "al-waer-2017.csv" for ev in evidence for e in ev)
    text = (out / "al-waer-2017.geojson").read_text(encoding="utf-8")
    assert "site-packages" not in text and str(Path.cwd()) not in text
    # A relative path stays as typed; an absolute one is cut to the file's name.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "t.csv").write_text("origin,destination,count\nEl Waer,Idleb,450\n",
                                           encoding="utf-8")
    for given, label in (("in/t.csv", "in/t.csv:2"), (str(tmp_path / "in" / "t.csv"), "t.csv:2")):
        res = run(runner, "export", given, "-o", "-", "--country", "SY")
        (flow,) = [f for f in json.loads(res.stdout)["features"]
                   if f["properties"]["feature"] == "flow"]
        (ev,) = flow["properties"]["evidence"]
        assert f"{ev['source']}:{ev['line']}" == label
        assert str(tmp_path) not in res.stdout


def test_places_file_wins_over_bundled_places(runner, tmp_path):
    """A corrected point for Homs and al-Waer is used; namesakes elsewhere stay."""
    places = tmp_path / "mine.csv"
    places.write_text(
        "id,name,lat,lon,country\n"
        ",Homs,34.73083,36.70944,SY\n"
        "evacmap:al-waer,Al Waer district,34.7501,36.6702,\n",
        encoding="utf-8",
    )
    res = run(runner, "geocode", "--json", "--places", str(places), "Hims", "El Waer", "الوعر")
    assert res.exit_code == 0, res.stderr
    got = [(d["name"], d["lat"], d["lon"], d["country"]) for d in json.loads(res.stdout)]
    assert got == [
        ("Homs", 34.73083, 36.70944, "SY"),
        ("Al Waer district", 34.7501, 36.6702, "SY"),
        ("Al Waer district", 34.7501, 36.6702, "SY"),
    ]
    res = run(runner, "geocode", "--json", "--places", str(places), "Homs, Libya")
    assert json.loads(res.stdout)[0]["country"] == "LY"
    table = tmp_path / "t.csv"
    table.write_text("origin,destination,count\nEl Waer,Homs,450\n", encoding="utf-8")
    res = run(runner, "export", str(table), "--places", str(places), "-o", "-")
    points = {f["properties"]["name"]: f["geometry"]["coordinates"]
              for f in json.loads(res.stdout)["features"] if f["properties"]["feature"] == "place"}
    assert points == {"Al Waer district": [36.6702, 34.7501], "Homs": [36.70944, 34.73083]}


def test_import_stays_light():
    import subprocess
    import sys

    code = "import sys, evacmap, evacmap.cli.main; print('pandas' in sys.modules, 'folium' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_stats_and_corridor_export(runner, tmp_path):
    table = tmp_path / "t.csv"
    table.write_text(
        "origin,destination,count,count_kind,date,source\n"
        "El Waer,Jarablus,450,reported,2017-05-20,A\n"
        "El Waer,Jarablus,50,reported,2017-05-21,A\n"
        "El Waer,Jarablus,20000,planned,2017,A\n"
        "Jarablus,El Waer,7,reported,2017-06-01,B\n",
        encoding="utf-8",
    )
    res = run(runner, "stats", str(table), "--by", "corridor", "--json")
    assert res.exit_code == 0, res.stderr
    rows = json.loads(res.stdout)
    top = rows[0]
    assert (top["origin"], top["destination"], top["count"], top["planned"], top["movements"]) == (
        "al-Waer", "Jarablus", 500, 20000, 3)
    res = run(runner, "stats", str(table), "--by", "two-way", "--csv")
    assert "al-Waer,Jarablus,500,7,493,507" in res.stdout.replace("\r", "")
    out = tmp_path / "c.gpkg"
    res = run(runner, "export", str(table), "--by", "corridor", "-o", str(out))
    assert res.exit_code == 0, res.stderr
    frame = pyogrio.read_dataframe(out)
    assert int(frame["count"].sum()) == 507 and int(frame["planned"].fillna(0).sum()) == 20000
    assert run(runner, "export", str(table), "--by", "corridor", "-o", "-").exit_code == 2


@pytest.mark.parametrize("fmt", ["gpkg", "fgb", "geojson"])
def test_al_waer_exports_read_back_with_gdal_into_the_same_totals(runner, tmp_path, fmt):
    from evacmap import example_path
    from evacmap.io import read_flows

    out = tmp_path / f"al-waer.{fmt}"
    res = run(runner, "export", str(example_path()), "--country", "SY", "-o", str(out))
    assert res.exit_code == 0, res.stderr
    layer = "flows" if fmt == "gpkg" else None
    flows = pyogrio.read_dataframe(out, layer=layer)
    if "feature" in flows.columns:
        flows = flows[flows["feature"] == "flow"]
    assert int(flows["count"].fillna(0).sum()) == 450  # the planned 20,000 is not in count
    assert int(flows["planned"].fillna(0).sum()) == 20000
    assert list(flows.geometry.geom_type) == ["MultiLineString", "MultiLineString"]
    original = read_flows(example_path(), country="SY")
    assert read_flows(out).totals().equals(original.totals())
