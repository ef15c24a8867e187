from __future__ import annotations

import pytest

from evacmap.errors import AmbiguousPlaceError, InputError, PlaceNotFoundError
from evacmap.gazetteer import Gazetteer, haversine_km, read_places
from evacmap.model import Match, Place, PlaceKind


def km(a: Place, lat: float, lon: float) -> float:
    return float(haversine_km(a.lat, a.lon, lat, lon))


@pytest.mark.parametrize("name", ["El Waer", "Al Waer", "al-Wa'er", "Waer", "الوعر", "al-Waer"])
def test_al_waer_resolves_near_the_reference_point(curated, name):
    place = curated.geocode(name, country="SY").place
    assert place.name == "al-Waer"
    assert place.approximate is True
    assert place.kind is PlaceKind.NEIGHBOURHOOD
    assert km(place, 34.74, 36.66) < 3


def test_idlib_city_and_governorate_told_apart_by_kind(curated):
    assert curated.geocode("Idlib").place.kind is PlaceKind.CITY
    assert curated.geocode("إدلب").place.kind is PlaceKind.CITY
    gov = curated.geocode("Idleb province").place
    assert gov.kind is PlaceKind.GOVERNORATE and gov.pcode == "SY07"
    assert curated.geocode("Idlib governorate").place.pcode == "SY07"
    assert curated.geocode("محافظة إدلب").place.pcode == "SY07"


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Jarabulus", "Jarablus"), ("جرابلس", "Jarablus"), ("Homs", "Homs"), ("Aleppo", "Aleppo"),
     ("Damascus", "Damascus"), ("Hama", "Hama"), ("Qalaat al-Madiq", "Qalaat al-Madiq"),
     ("El Bab", "al-Bab"), ("A'zaz", "Azaz"), ("Gaziantep", "Gaziantep"), ("Kilis", "Kilis")],
)
def test_required_places_resolve(curated, name, expected):
    assert curated.geocode(name).place.name == expected


def test_not_found_gives_suggestions(curated):
    with pytest.raises(PlaceNotFoundError) as info:
        curated.geocode("Idlibistan")
    assert any(s.startswith("Idlib") for s in info.value.suggestions)
    assert "did you mean" in str(info.value)
    # A transliteration the skeleton key forgives is a match, not a suggestion.
    assert curated.geocode("Qalat al Madeeq").method == "skeleton"


def test_lookup_by_pcode_and_ids(curated):
    assert curated.get("SY07").kind is PlaceKind.GOVERNORATE
    assert curated.get("sy04").name == "Homs governorate"
    assert curated.get("geonames:169179").name == "Jarablus"
    assert curated.get("evacmap:al-waer").name == "al-Waer"
    with pytest.raises(PlaceNotFoundError, match=r"no place with the id or P-code 'SY99'.*'SY07'"):
        curated.get("SY99")


def test_nearest(curated):
    assert curated.nearest(34.75, 36.66).name == "al-Waer"
    assert curated.nearest(36.8, 38.0, country="SY").name == "Jarablus"


def test_user_places_win_and_bad_rows_are_reported(tmp_path, curated):
    f = tmp_path / "mine.csv"
    f.write_text("name,lat,lon,kind,aliases\nAtmeh camp,36.26,36.51,camp,Atma|Atme\n",
                 encoding="utf-8")
    gaz = curated.with_places(f)
    assert gaz.geocode("Atma").place.kind is PlaceKind.CAMP
    assert gaz.geocode("Homs").place.name == "Homs"  # bundled places are still there
    bad = tmp_path / "bad.csv"
    bad.write_text("name,lat,lon,kind\nX,95,10,city\nY,1,2,hamlet\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        read_places(bad)
    text = str(info.value)
    assert "bad.csv:2:" in text and "between -90 and 90" in text
    assert "bad.csv:3:" in text and "hamlet" in text


def test_places_from_geojson(tmp_path):
    f = tmp_path / "p.geojson"
    f.write_text('{"type":"FeatureCollection","features":[{"type":"Feature","geometry":'
                 '{"type":"Point","coordinates":[36.51,36.26]},"properties":{"name":"Atmeh",'
                 '"kind":"camp","aliases":["Atma"]}}]}', encoding="utf-8")
    (p,) = read_places(f)
    assert (p.lat, p.lon, p.kind, p.aliases) == (36.26, 36.51, PlaceKind.CAMP, ("Atma",))


def test_geocode_many_reports_each_outcome(curated):
    res = curated.geocode_many(["Idlib province", "Nowhere at all", "Jarablus", "Idlib province"])
    assert isinstance(res[0], Match) and res[0].place.pcode == "SY07"
    assert isinstance(res[1], PlaceNotFoundError)
    assert res[3] is res[0]  # a repeat is resolved once


# --- the world gazetteer (GeoNames cities500; built once and cached) --------------------

@pytest.fixture(scope="module")
def world() -> Gazetteer:
    from evacmap.gazetteer import default_gazetteer

    return default_gazetteer()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("names", "country", "expected"),
    [
        (["El Waer", "Idleb", "Jarabulus", "حمص"], "SY", ["al-Waer", "Idlib", "Jarablus", "Homs"]),
        (["Hims", "Dayr az Zawr", "Kalaat el Moudiq", "Madaya", "Tripoli"], "SY",
         [("Homs", "SY"), ("Deir ez-Zor", "SY"), ("Qalaat al-Madiq", "SY"), (None, "SY"),
          ("Tripoli", "LB")]),
        (["Homs", "Idlib"], None, [("Homs", "SY"), ("Idlib", "SY")]),
        (["Tripoli", "Benghazi"], None, [("Tripoli", "LY"), ("Benghazi", "LY")]),
        (["Madaya", "Zabadani"], None, [(None, "SY"), (None, "SY")]),
    ],
)
def test_world_disambiguation(world, names, country, expected):
    results = world.geocode_many(names, country=country)
    for name, res, exp in zip(names, results, expected, strict=True):
        assert isinstance(res, Match), f"{name}: {res}"
        want_name, want_cc = exp if isinstance(exp, tuple) else (exp, "SY")
        if want_name:
            assert res.place.name == want_name, name
        assert res.place.country == want_cc, name


@pytest.mark.slow
def test_world_says_when_evidence_is_weak(world):
    with pytest.raises(AmbiguousPlaceError) as info:
        world.geocode("Tripoli")
    countries = {c.place.country for c in info.value.candidates}
    assert {"LB", "LY"} <= countries
    with pytest.raises(AmbiguousPlaceError):
        world.geocode("Madaya")
    # An explicit cue decides.
    assert world.geocode("Tripoli, Lebanon").place.country == "LB"
    assert world.geocode("Homs, Libya").place.country == "LY"
    assert world.geocode("Madaya", country="SY").place.country == "SY"


@pytest.mark.slow
def test_world_match_reports_method_score_and_runners_up(world):
    m = world.geocode("Homs")
    assert m.place.country == "SY" and m.method == "exact"
    assert 0 < m.score <= 1
    assert any(c.place.country == "LY" for c in m.runners_up)  # Al Khums was considered
    assert world.geocode("Jarabloos", country="SY").method in ("skeleton", "fuzzy")


@pytest.mark.parametrize("name", ["Gaza countryside", "the northern countryside of Gaza", "Wadi Gaza countryside"])
def test_a_countryside_without_a_governorate_answers_without_looping(name):
    # "X countryside" is asked again as "X countryside": it must not recurse for ever
    (answer,) = Gazetteer.world().geocode_many([name], country="PS")
    assert isinstance(answer, (Match, PlaceNotFoundError, AmbiguousPlaceError))


def test_remembered_candidates_answer_as_a_fresh_search():
    # Candidates are kept per name (and hint): asking again, alone or in another batch,
    # must give the same answers as a gazetteer that never saw the name.
    names = ["Douma", "Harasta", "Idlib", "Jarablus", "Qaboun", "Kiswah", "Nowhere Town"]
    fresh = [str(a) for a in Gazetteer.world().geocode_many(names, country="SY")]
    used = Gazetteer.world()
    used.geocode_many(["Douma", "Sweida", "Shahba"], country="SY")
    used.geocode_many(names[::-1], country="SY")
    assert [str(a) for a in used.geocode_many(names, country="SY")] == fresh
    assert [str(a) for a in used.geocode_many(names, country="SY")] == fresh


@pytest.mark.parametrize("name", ["HHs", "IDPs", "NFIs"])
def test_plural_abbreviations_are_not_places(name):
    # GeoNames holds "HHS" as a name of Zhongshan: "412 HHs" in a Yemen report is households
    (answer,) = Gazetteer.world().geocode_many([name], country="YE")
    assert isinstance(answer, PlaceNotFoundError) and "abbreviation" in str(answer)


@pytest.mark.parametrize(("name", "pcode"), [
    ("the Damascus countryside", "SY03"), ("the countryside of Damascus", "SY03"), ("Damascus", None),
    ("Idlib countryside", "SY07"), ("Rif Dimashq", "SY03"),
])
def test_a_countryside_is_the_rural_governorate_where_one_has_that_name(name, pcode):
    (answer,) = Gazetteer.world().geocode_many([name], country="SY")
    assert answer.place.pcode == pcode


def test_a_valley_is_its_area_and_a_part_of_a_country_is_never_the_country():
    from evacmap.gazetteer import Gazetteer

    gaz = Gazetteer.world()
    assert gaz.geocode("Bekaa Valley", country="LB").place.kind.value == "governorate"
    with pytest.raises(PlaceNotFoundError):
        gaz.geocode("Jordan Valley", country="PS")  # not the kingdom of Jordan
    assert gaz.geocode("Jordan", country="PS").place.kind.value == "country"
