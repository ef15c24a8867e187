"""A country hint is respected; junk is not a place; countries are (issue 10, parts 4 and 5)."""

from __future__ import annotations

import time

import pytest

from evacmap.errors import PlaceNotFoundError
from evacmap.gazetteer import Gazetteer
from evacmap.model import Match, Place, PlaceKind


@pytest.fixture(scope="module")
def world() -> Gazetteer:
    return Gazetteer.world()


@pytest.mark.parametrize(
    "junk", ["aaaaaaaaaaaaaaaaaaaa", "-2+3", "N/A", "unknown", "???", "123", "abababababab"]
)
def test_junk_is_not_found_with_a_reason(world, junk):
    for hint in (None, "SY"):
        (res,) = world.geocode_many([junk], country=hint)
        assert isinstance(res, PlaceNotFoundError), res
        assert "not a plausible place name" in str(res) or "missing value" in str(res)


def test_very_long_input_is_refused_cheaply(world):
    text = "a" * 100_000
    start = time.perf_counter()
    with pytest.raises(PlaceNotFoundError, match=r"longer than 200 characters \(100,000\)") as info:
        world.geocode(text)
    assert time.perf_counter() - start < 0.5
    assert len(str(info.value)) < 400  # the message does not echo the input


def test_a_skeleton_shared_by_unlike_spellings_is_no_match(world):
    with pytest.raises(PlaceNotFoundError):
        world.geocode("qwerty")


@pytest.mark.parametrize(
    ("text", "iso"),
    [("Syria", "SY"), ("SY", "SY"), ("سوريا", "SY"), ("Turkey", "TR"), ("Türkiye", "TR"),
     ("Lebanon", "LB"), ("Jordan", "JO"), ("IRQ", "IQ")],
)
def test_countries_resolve_to_the_country_at_an_approximate_point(world, text, iso):
    p = world.geocode(text).place
    assert (p.kind, p.country, p.approximate) == (PlaceKind.COUNTRY, iso, True)
    assert "capital" in p.source


@pytest.mark.parametrize(("text", "hint", "iso"), [("Russia", "UA", "RU"), ("Qatar", "SY", "QA"),
                                                 ("Poland", "UA", "PL"), ("Egypt", "SD", "EG")])
def test_a_country_named_in_a_story_of_another_country_is_that_country(world, text, hint, iso):
    # "Russia" is also a name of a Ukrainian village, "Qatar" a respelling of a Syrian one
    (answer,) = world.geocode_many([text], country=hint, fuzzy=False)
    assert (answer.place.kind, answer.place.country) == (PlaceKind.COUNTRY, iso)


def test_rukban_is_the_camp_and_its_crossing_is_named_as_one(world):
    # GeoNames' populated place "Rukban" (85,000 people) is the camp, not the border crossing
    (camp, crossing) = world.geocode_many(["Rukban", "Rukban crossing"], country="SY", fuzzy=False)
    assert (camp.place.kind, crossing.place.kind) == (PlaceKind.CAMP, PlaceKind.CROSSING)
    assert camp.place.population == 85000


@pytest.mark.parametrize(("text", "hint", "name"), [
    ("Anbar province", "IQ", "Al Anbar"), ("Babylon Governorate", "IQ", "Bābil"), ("Tigray region", "ET", "Tigray"),
    ("Donetsk Oblast", "UA", "Donetsk"), ("North Darfur", "SD", "Northern Darfur"), ("Mount Lebanon", "LB", "Mont-Liban"),
    ("Cabo Delgado", "MZ", "Cabo Delgado Province"), ("Rakhine State", "MM", "Rakhine"),
])
def test_provinces_of_other_countries_are_their_first_level_divisions(world, text, hint, name):
    (answer,) = world.geocode_many([text], country=hint, fuzzy=False)
    assert (answer.place.name, answer.place.kind, answer.place.country, answer.place.approximate) == (
        name, PlaceKind.GOVERNORATE, hint, True)
    assert "most populous place" in answer.place.source  # where its point comes from


@pytest.mark.parametrize(("text", "hint"), [("Donetsk", "UA"), ("Kunduz", "AF"), ("Basra", "IQ"), ("Aden", "YE")])
def test_a_province_named_like_its_city_is_the_city_without_the_word(world, text, hint):
    (answer,) = world.geocode_many([text], country=hint, fuzzy=False)
    assert answer.place.kind is PlaceKind.CITY
    (answer,) = world.geocode_many([f"{text} province"], country=hint, fuzzy=False)
    assert answer.place.kind is PlaceKind.GOVERNORATE


def test_a_province_abroad_is_found_and_kurdistan_is_iraqs_region(world):
    # "Kurdistan" in a Syrian story is Iraq's Kurdistan Region, not Iran's Kurdistan province
    (kurdistan,) = world.geocode_many(["Kurdistan"], country="SY", fuzzy=False)
    assert (kurdistan.place.country, kurdistan.place.kind) == ("IQ", PlaceKind.REGION)
    (tigray,) = world.geocode_many(["Tigray"], country="SD", fuzzy=False)
    assert (tigray.place.name, tigray.place.country) == ("Tigray", "ET")


def test_a_tie_goes_to_the_place_whose_own_name_it_is(world):
    # GeoNames gives Nikopol the alternate name "Slov'iansk": the city called Slovyansk wins
    (answer,) = world.geocode_many(["Sloviansk"], country="UA", fuzzy=False)
    assert answer.place.name == "Slovyansk"
    # two places with the same main name stay ambiguous
    (answer,) = world.geocode_many(["Tripoli"], fuzzy=False)
    assert not hasattr(answer, "place")


def test_countries_in_the_curated_gazetteer_and_not_in_reverse_geocoding(curated):
    assert curated.geocode("Syria").place.kind is PlaceKind.COUNTRY
    # Damascus's point is also Syria's: reverse geocoding names the city, not the country.
    assert curated.nearest(33.5102, 36.29128).kind is not PlaceKind.COUNTRY
    assert curated.geocode("Homs, Syria").place.name == "Homs"  # a cue still


def test_a_fuzzy_or_skeleton_match_abroad_is_offered_not_chosen():
    far = Place("Qaraqosh", 36.27, 43.38, country="IQ")  # a namesake spelling, in Iraq
    gaz = Gazetteer.from_places([far])
    assert gaz.geocode("Qaraqoosh").place.country == "IQ"  # no hint: it may answer
    with pytest.raises(PlaceNotFoundError) as info:
        gaz.geocode("Qaraqoosh", country="SY")
    assert info.value.suggestions == ("Qaraqosh (IQ)",)


def test_a_skeleton_match_in_the_hinted_country_beats_a_closer_spelling_abroad():
    home = Place("Tall Kalakh", 34.67, 36.26, country="SY")
    abroad = Place("Tel Kalakha", 36.0, 43.0, country="IQ")
    gaz = Gazetteer.from_places([home, abroad])
    assert gaz.geocode("Tel Kalakh", country="SY").place.country == "SY"


def test_an_exact_match_abroad_may_answer_and_says_so(world):
    m = world.geocode("Kilis", country="SY")
    assert isinstance(m, Match) and m.place.country == "TR"
    assert m.note.startswith("outside the hinted country SY")
    assert world.geocode("Homs", country="SY").note == ""
