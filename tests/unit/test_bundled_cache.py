"""The curated and country layers are cached on disk and read back as the same layers."""

from __future__ import annotations

import json

import numpy as np
import pytest

from evacmap.gazetteer import _bundled
from evacmap.gazetteer.geonames import load_geonames_index
from evacmap.gazetteer.sources import load_admin1


@pytest.fixture(scope="module")
def world():
    crosswalk = {(a.country, a.geonames_admin1): (a.name, a.pcode) for a in load_admin1()}
    return load_geonames_index(crosswalk)


def _summary(layer):
    places = layer.held_places
    assert places is not None
    return [(p.id, p.name, p.lat, p.lon, p.kind, p.aliases, p.population, p.admin1_pcode) for p in places]


def test_cached_layers_equal_built_ones(world, tmp_path):
    built = _bundled.cached_bundled_layers(world, tmp_path)  # builds and writes the cache
    (folder,) = tmp_path.glob("bundled-*")
    assert (folder / "curated.places.json").is_file()
    cached = _bundled.cached_bundled_layers(world, tmp_path)  # reads it back
    for a, b in zip(built, cached, strict=True):
        assert _summary(a) == _summary(b)
        assert a.source == b.source
        for key in ("al waer", "idleb", "syria"):
            assert a.has_key(key) == b.has_key(key)
        rows = np.arange(len(a))
        assert np.array_equal(a.attributes(rows).lat, b.attributes(rows).lat)


def test_a_damaged_cache_is_rebuilt(world, tmp_path):
    _bundled.cached_bundled_layers(world, tmp_path)
    (folder,) = tmp_path.glob("bundled-*")
    records = json.loads((folder / "curated.places.json").read_text(encoding="utf-8"))
    (folder / "curated.places.json").write_text(json.dumps(records[:-1]), encoding="utf-8")
    curated, _ = _bundled.cached_bundled_layers(world, tmp_path)  # row count differs: rebuilt
    assert len(curated.held_places or ()) == len(records)
    assert len(json.loads((folder / "curated.places.json").read_text(encoding="utf-8"))) == len(records)


def test_the_cache_key_follows_the_data(monkeypatch, world, tmp_path):
    first = _bundled._bundled_fingerprint()
    real = _bundled.Path.read_bytes

    def edited(self):
        data = real(self)
        return data + b"\n" if self.name == "region_places.csv" else data

    monkeypatch.setattr(_bundled.Path, "read_bytes", edited)
    assert _bundled._bundled_fingerprint() != first
