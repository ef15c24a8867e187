from __future__ import annotations

import pytest

from evacmap.errors import (
    MAX_LISTED_PROBLEMS,
    AmbiguousPlaceError,
    EvacmapError,
    FlowTableError,
    GazetteerError,
    InputError,
    PlaceNotFoundError,
    Problem,
    SourceLocation,
    linecol,
)
from evacmap.model import Candidate, Place


def test_message_has_location_and_hint():
    err = InputError("bad count", location=SourceLocation("f.csv", 3, 2), hint="write 12")
    assert str(err) == "f.csv:3:2: bad count. Hint: write 12."
    assert isinstance(err, ValueError) and isinstance(err, EvacmapError)


def test_collected_error_lists_first_problems_and_counts_the_rest():
    problems = [Problem(f"p{i}", SourceLocation("f.csv", i + 2, 1)) for i in range(25)]
    text = str(FlowTableError(problems, source="f.csv"))
    assert text.startswith("25 problem(s) found in f.csv")
    assert "f.csv:2:1: p0." in text
    assert f"p{MAX_LISTED_PROBLEMS - 1}." in text
    assert f"p{MAX_LISTED_PROBLEMS}." not in text
    assert "... and 5 more" in text


def test_gazetteer_errors_are_lookup_errors_with_data():
    nf = PlaceNotFoundError("Hmos", ["Homs (SY)", "Hama (SY)"], country="SY")
    assert isinstance(nf, LookupError) and isinstance(nf, GazetteerError)
    assert nf.suggestions == ("Homs (SY)", "Hama (SY)")
    assert "did you mean 'Homs (SY)' or 'Hama (SY)'" in str(nf)
    amb = AmbiguousPlaceError("Tripoli", [Candidate(Place("Tripoli", 34.4, 35.8, country="LB"),
                                                    0.5, "exact")])
    assert "Tripoli (city, LB)" in str(amb)
    assert "--country" in str(amb)


@pytest.mark.parametrize(("text", "offset", "expected"),
                         [("abc", 0, (1, 1)), ("ab\ncd", 4, (2, 2)), ("\n\nx", 2, (3, 1))])
def test_linecol(text, offset, expected):
    assert linecol(text, offset) == expected
