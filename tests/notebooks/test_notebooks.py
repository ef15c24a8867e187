"""Execute the notebooks end to end, offline, and check what they show."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((Path(__file__).parents[2] / "notebooks").glob("*.ipynb"))


@pytest.mark.notebook
@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs(path: Path, tmp_path: Path) -> None:
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    text = "\n".join(
        o.get("text", "") if o.get("output_type") == "stream"
        else str(o.get("data", {}).get("text/plain", "")) + str(o.get("data", {}).get("text/html", ""))
        for o in outputs
    )
    if path.name == "al-waer.ipynb":
        assert "al-Waer" in text and "Jarablus" in text
        assert "450" in text
        # The map is displayed inline, as a self-contained page.
        assert any("text/html" in o.get("data", {}) and "leaflet" in o["data"]["text/html"].lower()
                   for o in outputs)


def test_there_is_a_notebook() -> None:
    assert any(p.name == "al-waer.ipynb" for p in NOTEBOOKS)
