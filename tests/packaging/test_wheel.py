"""Build the wheel, install it into a fresh virtual environment, and run the demo there.

This proves that the wheel carries data/geo and that a new machine (no gazetteer cache)
gets a working `evacmap demo`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_wheel_installs_and_runs_the_demo(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist),
         str(ROOT)],
        check=True, capture_output=True, text=True,
    )
    (wheel,) = dist.glob("evacmap-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("evacmap/_data/geo/places.csv", "evacmap/_data/geo/syria_admin1.csv",
                   "evacmap/_data/geo/examples/al-waer-2017.csv", "evacmap/py.typed"):
        assert needed in names, needed
    assert any(n.startswith("evacmap/_data/geo/basemap/") for n in names)

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", str(wheel)], check=True,
                   capture_output=True, text=True)

    work = tmp_path / "elsewhere"  # not the checkout, so only the wheel's files are used
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env["EVACMAP_CACHE_DIR"] = str(tmp_path / "fresh-cache")  # a machine with no cache
    res = subprocess.run([str(bindir / "evacmap"), "demo", "-o", "out"], cwd=work, env=env,
                         capture_output=True, text=True, check=False)
    assert res.returncode == 0, res.stderr
    html = work / "out" / "al-waer-2017.html"
    geojson = work / "out" / "al-waer-2017.geojson"
    assert html.stat().st_size > 10_000
    data = json.loads(geojson.read_text(encoding="utf-8"))
    counts = [f["properties"].get("count") for f in data["features"]]
    assert 450 in counts
    res = subprocess.run(
        [str(python), "-c", "import evacmap, evacmap._resources as r; "
         "print(r.data_path('places.csv'))"],
        cwd=work, env=env, capture_output=True, text=True, check=True,
    )
    assert str(env_dir) in res.stdout  # read from the installed package, not the checkout
