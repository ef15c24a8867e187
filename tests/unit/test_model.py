from __future__ import annotations

import datetime as dt

import pytest

from evacmap.errors import InputError
from evacmap.model import CountKind, Movement, Place, PlaceKind

A = Place("A", 35.0, 36.0, country="sy")
B = Place("B", 36.0, 37.0)
C = Place("C", 36.5, 38.0)


def test_place_normalises_country_kind_and_id():
    p = Place("Idlib", 35.93, 36.63, country="sy", kind="governorate", pcode="SY07")
    assert p.country == "SY"
    assert p.kind is PlaceKind.GOVERNORATE
    assert p.id == "pcode:SY07"
    assert Place("Homs", 34.7, 36.7, geonames_id=169577).id == "geonames:169577"
    assert Place("x", 1, 2).id.startswith("point:1.00000,2.00000")


@pytest.mark.parametrize(
    ("lat", "lon", "fragment"),
    [(91, 0, "`lat`"), (0, 181, "`lon`"), (float("nan"), 0, "finite")],
)
def test_place_rejects_bad_coordinates(lat, lon, fragment):
    with pytest.raises(InputError, match=fragment):
        Place("X", lat, lon)


def test_place_rejects_unknown_kind_listing_choices():
    with pytest.raises(InputError, match=r"'city'.*'camp'"):
        Place("X", 0, 0, kind="hamlet")


def test_movement_keeps_an_unsplit_total_whole():
    m = Movement(A, (B, C), count=450, groups=(("fighters", 193),))
    assert not m.split_reported
    assert m.count == 450
    assert m.groups == (("fighters", 193),)


def test_movement_validation():
    with pytest.raises(InputError, match="an origin or at least one destination"):
        Movement(None, ())
    assert Movement(A, ()).route == "A → ?"  # an unknown end is allowed, never invented
    with pytest.raises(InputError, match="same destination twice"):
        Movement(A, (B, B))
    with pytest.raises(InputError, match="add up to 11, more than its count 10"):
        Movement(A, (B,), count=10, groups=(("x", 11),))
    with pytest.raises(InputError, match="count_min"):
        Movement(A, (B,), count_min=10, count_max=5)
    with pytest.raises(InputError, match="outside"):
        Movement(A, (B,), count=50, count_max=20)
    with pytest.raises(InputError, match="whole number"):
        Movement(A, (B,), count=-1)
    with pytest.raises(InputError, match="before it starts"):
        Movement(A, (B,), date_start=dt.date(2017, 5, 2), date_end=dt.date(2017, 5, 1))
    with pytest.raises(InputError, match="count_kind"):
        Movement(A, (B,), count_kind="rumoured")


def test_movement_labels():
    assert Movement(A, (B,), count=1150).count_label == "1,150"
    assert Movement(A, (B,), count_max=20000).count_label == "up to 20,000"
    assert Movement(A, (B,), count_min=3).count_label == "at least 3"
    assert Movement(A, (B,), count_min=3, count_max=5).count_label == "3–5"
    rng = Movement(A, (B,), date_start=dt.date(2017, 3, 1), date_end=dt.date(2017, 5, 31))
    assert rng.date_label == "2017-03-01/2017-05-31"
    assert Movement(A, (B,), count_kind="planned").counts_as_moved is False
    assert Movement(A, (B,), count_kind=CountKind.ESTIMATED).counts_as_moved is True
