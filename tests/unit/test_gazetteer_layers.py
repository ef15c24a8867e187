"""The small public surface of gazetteer layers, and the one trusted constructor.

:class:`~evacmap.gazetteer._index.PlaceIndex` layers come in two shapes: held (small,
their :class:`Place` objects in memory) and columnar (GeoNames, imported lists; saved
and memory-mapped). The front end and the ranker use only the methods tested here, so
both shapes must answer them the same way.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from evacmap.gazetteer._index import PlaceIndex
from evacmap.gazetteer._keys import key_hash
from evacmap.gazetteer._trusted import trusted_candidate, trusted_match, trusted_place
from evacmap.gazetteer.normalize import name_key
from evacmap.gazetteer.placelist import PlaceListBuilder
from evacmap.model import Candidate, Match, Place, PlaceKind

PLACES = [
    Place("Madaya", 33.6886, 36.0958, country="SY", kind=PlaceKind.TOWN, geonames_id=170000,
          aliases=("مضايا", "Madaia"), population=9000),
    Place("Ghantu Testing", 34.8163, 36.7108, country="SY", kind=PlaceKind.VILLAGE,
          pcode="C9991", admin1="Homs", admin1_pcode="SY04"),
    Place("Syria", 33.51, 36.29, country="SY", kind=PlaceKind.COUNTRY, geonames_id=163843),
]


def _columnar(places: list[Place]) -> PlaceIndex:
    builder = PlaceListBuilder()
    for p in places:
        builder.add([p.name, *p.aliases], p.lat, p.lon, country=p.country, kind=p.kind,
                    population=p.population or 0, geonames_id=p.geonames_id or 0,
                    pcode=p.pcode or "", admin1_name=p.admin1,
                    admin1_pcode=p.admin1_pcode or "")
    return builder.finish(source="test list")


@pytest.fixture(params=["held", "columnar", "saved"])
def layer(request, tmp_path) -> PlaceIndex:
    if request.param == "held":
        return PlaceIndex.from_places(PLACES, source="test list")
    index = _columnar(PLACES)
    if request.param == "saved":
        index.save(tmp_path / "layer", meta={})
        index, _ = PlaceIndex.load(tmp_path / "layer")
    return index


def test_trusted_constructors_follow_the_field_order():
    values = {
        "name": "Homs", "lat": 34.73, "lon": 36.71, "country": "SY", "admin1": "Homs",
        "kind": PlaceKind.CITY, "geonames_id": 169577, "pcode": "C4321",
        "admin1_pcode": "SY04", "aliases": ("Hims",), "approximate": True,
        "source": "test", "population": 775404, "id": "geonames:169577",
    }
    assert [f.name for f in dataclasses.fields(Place)] == list(values)
    place = trusted_place(*values.values())
    assert place == Place(**values)
    cand = trusted_candidate(place, 0.9, "exact", "Hims")
    assert cand == Candidate(place, 0.9, "exact", "Hims")
    assert trusted_match("Hims", cand, (), "note") == Match("Hims", cand, (), "note")


def test_lookups_by_key(layer):
    assert layer.has_key(name_key("Madaia")) and not layer.has_key(name_key("Zabadani"))
    hashes = np.array([key_hash(name_key(n)) for n in ("Atlantis", "مضايا", "Syria")],
                      dtype=np.uint64)
    pos, name_ids = layer.find_many(hashes, tier=1)
    assert pos.tolist() == [1, 2]
    assert layer.rows_of(name_ids).tolist() == [0, 2]
    # The main name's key ranks above an alternate's.
    rows = np.array([0, 0])
    keys = np.array([key_hash(name_key("Madaya")), key_hash(name_key("Madaia"))],
                    dtype=np.uint64)
    assert layer.is_primary_key(rows, keys).tolist() == [True, False]
    assert layer.primary_name_ids(np.array([0, 1])).tolist() == [0, 3]


def test_columns_and_ids(layer):
    rows = np.array([1, 0])
    a = layer.attributes(rows)
    assert a.lat.tolist() == [34.8163, 33.6886] and a.country.tolist() == ["SY", "SY"]
    assert [PlaceKind(list(PlaceKind)[k]) for k in a.kind.tolist()] == [
        PlaceKind.VILLAGE, PlaceKind.TOWN]
    assert a.population.tolist() == [0, 9000]
    assert layer.geonames_ids().tolist() == [170000, 0, 163843]
    assert layer.pcodes(rows).tolist() == ["C9991", ""]
    assert layer.ids(rows) == ["pcode:C9991", "geonames:170000"]
    assert layer.populations([170000, 5]) == {170000: 9000}
    assert layer.row_by_pcode("c9991") == 1 and layer.row_by_geonames_id(163843) == 2
    assert layer.places([1])[0].admin1_pcode == "SY04"


def test_nearest_row_leaves_countries_out(layer):
    dist, row = layer.nearest_row(33.52, 36.30)  # beside the country's point, Damascus
    assert row == 0 and 20 < dist < 30  # Madaya, not Syria
    assert layer.nearest_row(33.52, 36.30, country="LB") is None


MISSPELT = ["Jarabloos", "Idlibb", "Nowhereville", "Zabadanee", "Dara'aa", "Homsse",
            "Al Wa'ir", "Kafr Nubbul", "Qusair", "حمصص", "Aleppoo", "Ma3arrat"]


def test_fuzzy_prefilter_drops_no_key_that_reaches_the_cutoff():
    from rapidfuzz import fuzz

    from evacmap.gazetteer._bundled import country_layer, curated_layer
    from evacmap.gazetteer._fuzzykeys import FuzzyKeys, key_arrays

    keys = sorted({k for layer in (curated_layer(), country_layer())
                   for k in layer.fuzzy_choices()})
    blob = np.frombuffer("\n".join(keys).encode("utf-8"), dtype=np.uint8)

    fk = FuzzyKeys(blob, key_arrays(blob))
    assert fk.decode(np.arange(len(keys))) == keys
    for q in map(name_key, MISSPELT):
        idx, subset = fk.near(q, 70.0)
        assert subset == [keys[i] for i in idx]
        reaching = {k for k in keys if fuzz.ratio(q, k) >= 70.0}
        assert reaching <= set(subset)
        assert len(subset) < len(keys) / 2  # and it does filter
        assert fk.with_prefix(q[:3], 5000) == [k for k in keys if k.startswith(q[:3])]


def test_fuzzy_answers_are_the_same_with_and_without_the_prefilter():
    from evacmap.gazetteer import Gazetteer
    from evacmap.gazetteer._bundled import curated_layer
    from evacmap.gazetteer.sources import load_admin1, load_country_places

    def build() -> tuple[Gazetteer, list[PlaceIndex]]:
        layers = [curated_layer(), PlaceIndex.from_places(load_country_places())]
        return Gazetteer(layers, admin1=load_admin1()), layers

    (fast, fast_layers), (slow, slow_layers) = build(), build()
    for layer in slow_layers:
        layer.fuzzy_keys.arrays = None  # as a layer saved by an earlier version
    assert all(layer.fuzzy_keys.filterable for layer in fast_layers)
    for name in MISSPELT:
        assert fast.suggest(name) == slow.suggest(name)
        assert fast.candidates(name) == slow.candidates(name)

    def outcome(results: list[object]) -> list[object]:
        return [r if isinstance(r, Match) else (type(r).__name__, str(r)) for r in results]

    batch = [*MISSPELT, *(n + "h" for n in MISSPELT)]  # 24 names: the full-scan path
    assert outcome(fast.geocode_many(MISSPELT)) == outcome(slow.geocode_many(MISSPELT))
    assert outcome(fast.geocode_many(batch)) == outcome(slow.geocode_many(batch))


def test_key_arrays_are_the_same_read_in_chunks():
    from evacmap.gazetteer._fuzzykeys import key_arrays

    keys = ["", "ab", "حمص", "deir ez zor", "a", "zz"]
    blob = np.frombuffer("\n".join(keys).encode("utf-8"), dtype=np.uint8)
    starts, lengths, masks = key_arrays(blob, chunk=4)
    assert lengths.tolist() == [len(k) for k in keys]
    assert masks.tolist() == [sum({1 << (ord(c) % 64) for c in k}) for k in keys]
    for whole, part in zip(key_arrays(blob), (starts, lengths, masks), strict=True):
        assert whole.tolist() == part.tolist()
