"""Shared fixtures: the reference al-Waer evacuation (Homs, 2017) and its map."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

import pytest

from evacmap.flows import FlowGraph
from evacmap.model import CountKind, Movement, Place, PlaceKind

# Place lists a developer added with `evacmap gazetteer add` must not change test
# results: the whole session uses an empty store of its own (subprocesses inherit it).
os.environ["EVACMAP_PLACES_DIR"] = tempfile.mkdtemp(prefix="evacmap-test-places-")


@pytest.fixture(scope="session")
def al_waer_graph() -> FlowGraph:
    """The 2017 al-Waer convoy: 450 people (193 fighters) to Idlib and Jarablus, split
    not reported; and the planned "up to 20,000", never added to the 450."""
    al_waer = Place(
        "al-Waer",
        34.747,
        36.664,
        country="SY",
        kind=PlaceKind.NEIGHBOURHOOD,
        approximate=True,
        id="evacmap:al-waer",
    )
    idlib = Place(
        "Idlib governorate",
        35.93062,
        36.63393,
        country="SY",
        kind=PlaceKind.GOVERNORATE,
        pcode="SY07",
        approximate=True,
    )
    jarablus = Place(
        "Jarablus", 36.8175, 38.01111, country="SY", kind=PlaceKind.TOWN, geonames_id=169179
    )
    m1 = Movement(
        al_waer,
        (idlib, jarablus),
        count=450,
        count_kind=CountKind.REPORTED,
        groups=(("fighters", 193),),
        date_start=dt.date(2017, 1, 1),
        date_end=dt.date(2017, 12, 31),
        stage="final",
        sources=("news report citing a Sputnik correspondent",),
        id="m1",
    )
    m2 = Movement(
        al_waer,
        (idlib, jarablus),
        count=None,
        count_max=20000,
        count_kind=CountKind.PLANNED,
        id="m2",
    )
    return FlowGraph([m1, m2], title="al-Waer evacuation, Homs, 2017")


@pytest.fixture(scope="session")
def demo_html(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real `evacmap demo` map: the bundled table, geocoded offline, rendered."""
    from click.testing import CliRunner

    from evacmap.cli.main import cli

    out = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(cli, ["demo", "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return out / "al-waer-2017.html"
