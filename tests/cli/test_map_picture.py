"""``evacmap map FLOWS -o map.png|.svg|.pdf``: static pictures from the command line."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from evacmap._resources import example_path
from evacmap.cli.main import cli


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.parametrize("ext", ["png", "svg", "pdf"])
def test_map_writes_a_picture_of_the_bundled_example(tmp_path: Path, ext: str) -> None:
    out = tmp_path / f"al-waer.{ext}"
    res = run("map", str(example_path()), "-o", str(out), "--title", "al-Waer <2017>")
    assert res.exit_code == 0, res.stderr
    assert res.stdout.strip() == str(out)
    if ext == "png":
        with Image.open(out) as img:
            assert img.format == "PNG" and img.size[0] == 1500
    elif ext == "svg":
        texts = ["".join(e.itertext()) for e in ET.parse(out).getroot().iter("{http://www.w3.org/2000/svg}text")]
        assert "al-Waer <2017>" in texts
        assert "Jarablus" in texts and "450" in texts
    else:
        assert out.read_bytes().startswith(b"%PDF-")


def test_map_picture_refuses_tiles_and_unknown_formats(tmp_path: Path) -> None:
    res = run("map", str(example_path()), "-o", str(tmp_path / "m.png"), "--tiles", "OpenStreetMap")
    assert res.exit_code == 2 and "--tiles" in res.stderr
    res = run("map", str(example_path()), "-o", str(tmp_path / "m.jpg"))
    assert res.exit_code == 2 and ".png" in res.stderr
    assert sorted(tmp_path.iterdir()) == []


def test_map_picture_takes_the_cut_and_the_colouring(tmp_path: Path) -> None:
    out = tmp_path / "m.svg"
    res = run("map", str(example_path()), "-o", str(out), "--top", "1", "--color-by", "group")
    assert res.exit_code == 0, res.stderr
    texts = ["".join(e.itertext()) for e in ET.parse(out).getroot().iter("{http://www.w3.org/2000/svg}text")]
    assert "up to 20,000 planned" in texts and "450" not in texts  # the larger figure is kept
    assert "Colour: largest group" in texts
    assert any("1 smaller flow (450 people) not" in t for t in texts)


def test_map_picture_dpi(tmp_path: Path) -> None:
    out = tmp_path / "m.png"
    res = run("map", str(example_path()), "-o", str(out), "--dpi", "60")
    assert res.exit_code == 0, res.stderr
    with Image.open(out) as img:
        assert img.size[0] == 600
    res = run("map", str(example_path()), "-o", str(tmp_path / "m.svg"), "--dpi", "60")
    assert res.exit_code == 2 and "--dpi" in res.stderr
