from __future__ import annotations

from pathlib import Path

import pytest

from evacmap.gazetteer import Gazetteer


@pytest.fixture(scope="session")
def curated() -> Gazetteer:
    """evacmap's curated places only (no GeoNames): fast and deterministic."""
    return Gazetteer.curated()


@pytest.fixture
def write_csv(tmp_path: Path):
    """Write a CSV text to a temporary file and return its path."""

    def write(text: str, name: str = "flows.csv") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write
