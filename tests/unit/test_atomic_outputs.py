"""A failed write leaves the earlier good file byte for byte as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from evacmap.cli.main import cli
from evacmap.errors import ExportError
from evacmap.flows import FlowGraph

GOOD = (
    "origin,origin_lat,origin_lon,destination,destination_lat,destination_lon,count\n"
    "A,34.7,36.6,B,35.9,36.6,450\n"
)
# A count of 31 digits: once an OverflowError traceback half-way through the export.
BAD = GOOD.replace("450", "1" * 31)


@pytest.mark.parametrize("name", ["out.geojson", "out.gpkg", "out.html"])
def test_failed_command_leaves_the_previous_output_untouched(tmp_path: Path, name: str) -> None:
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(GOOD, encoding="utf-8")
    bad.write_text(BAD, encoding="utf-8")
    out = tmp_path / name
    command = "map" if name.endswith(".html") else "export"
    first = CliRunner().invoke(cli, [command, str(good), "-o", str(out)])
    assert first.exit_code == 0, first.output
    before = out.read_bytes()
    second = CliRunner().invoke(cli, [command, str(bad), "-o", str(out)])
    assert second.exit_code == 1
    assert "more than 10,000,000,000" in second.stderr
    assert "Traceback" not in second.output
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["good.csv", "bad.csv", name])


def test_geopackage_writer_failing_half_way_keeps_the_old_file(
    tmp_path: Path, al_waer_graph: FlowGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pyogrio

    from evacmap.io import write_gpkg

    out = write_gpkg(al_waer_graph, tmp_path / "flows.gpkg")
    before = out.read_bytes()
    real = pyogrio.write_dataframe
    calls: list[str] = []

    def fail_on_second_layer(df, path, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs.get("layer", ""))
        if len(calls) > 1:
            raise pyogrio.errors.DataSourceError("disk full (simulated)")
        return real(df, path, **kwargs)

    monkeypatch.setattr(pyogrio, "write_dataframe", fail_on_second_layer)
    with pytest.raises(ExportError, match="disk full"):
        write_gpkg(al_waer_graph, out)
    assert calls == ["places", "flows"]  # the first layer was written, then it failed
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["flows.gpkg"]


def test_geojson_writer_failing_keeps_the_old_file(
    tmp_path: Path, al_waer_graph: FlowGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    from evacmap.io import write_geojson

    out = write_geojson(al_waer_graph, tmp_path / "flows.geojson")
    before = out.read_bytes()

    def no_rename(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", no_rename)
    with pytest.raises(ExportError, match="No space left on device"):
        write_geojson(al_waer_graph, out)
    assert out.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["flows.geojson"]


def test_output_that_is_a_folder_is_refused(tmp_path: Path, al_waer_graph: FlowGraph) -> None:
    from evacmap.io import write_geojson

    (tmp_path / "x.geojson").mkdir()
    with pytest.raises(ExportError, match="is a folder"):
        write_geojson(al_waer_graph, tmp_path / "x.geojson")
