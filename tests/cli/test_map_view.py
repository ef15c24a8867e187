"""`evacmap map` view options: cuts that say what they leave out, dates, focus, colours."""

from __future__ import annotations

import csv
from pathlib import Path

from click.testing import CliRunner

from evacmap.cli.main import cli
from evacmap.render.pack import unpack_flows
from evacmap.testing import map_data

ROWS = [
    # origin, lat, lon, destination, lat, lon, count, date, group
    ("Homs", 34.73, 36.71, "Idlib", 35.93, 36.63, 450, "2017-05-01", "fighters"),
    ("Homs", 34.73, 36.71, "Jarablus", 36.82, 38.01, 120, "2017-05-03", "civilians"),
    ("Idlib", 35.93, 36.63, "Homs", 34.73, 36.71, 30, "2017-05-09", "civilians"),
    ("Daraa", 32.62, 36.10, "Idlib", 35.93, 36.63, 7, "2017-06-01", ""),
]


def _table(tmp_path: Path) -> Path:
    path = tmp_path / "flows.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["origin", "origin_lat", "origin_lon", "destination", "destination_lat",
                    "destination_lon", "count", "date", "group"])
        w.writerows(ROWS)
    return path


def _map(tmp_path: Path, *args: str) -> tuple[int, str, dict]:
    out = tmp_path / "map.html"
    result = CliRunner().invoke(cli, ["map", str(_table(tmp_path)), "-o", str(out), *args])
    data = map_data(out.read_text(encoding="utf-8")) if result.exit_code == 0 else {}
    return result.exit_code, result.output, data


def test_top_states_what_it_leaves_out_on_a_canvas(tmp_path: Path) -> None:
    code, output, data = _map(tmp_path, "--top", "2", "--renderer", "canvas")
    assert code == 0, output
    layer = data["flowCanvasMap"][0]
    assert layer["data"]["counts"]["movements"] == 2
    assert sorted(unpack_flows(layer["data"])["mc"].tolist()) == [120, 450]
    assert layer["options"]["cutNote"] == "and 2 smaller flows (37 people) not drawn"


def test_min_count_note_is_in_the_svg_legend(tmp_path: Path) -> None:
    code, output, data = _map(tmp_path, "--min-count", "100")
    assert code == 0, output
    assert "flowLayer" in data  # four movements: the SVG map
    assert "and 2 smaller flows (37 people) not drawn" in data["legend"][0]["data"]


def test_focus_direction_and_dates_select_movements(tmp_path: Path) -> None:
    code, output, data = _map(tmp_path, "--focus", "Idlib", "--direction", "in", "--renderer", "canvas")
    assert code == 0, output
    a = unpack_flows(data["flowCanvasMap"][0]["data"])
    assert sorted(a["mc"].tolist()) == [7, 450]
    code, output, data = _map(tmp_path, "--date-from", "2017-05-02", "--date-to", "2017-05-31",
                              "--renderer", "canvas")
    assert code == 0, output
    layer = data["flowCanvasMap"][0]["data"]
    assert sorted(unpack_flows(layer)["mc"].tolist()) == [30, 120]
    assert layer["strings"]["dates"] == ["2017-05-03", "2017-05-09"]


def test_color_by_group_draws_a_canvas_with_group_colours(tmp_path: Path) -> None:
    code, output, data = _map(tmp_path, "--color-by", "group")
    assert code == 0, output
    layer = data["flowCanvasMap"][0]
    assert layer["options"]["colorBy"] == "group"
    assert layer["data"]["strings"]["groups"] == ["civilians", "fighters"]
    legend = data["legend"][0]["data"]
    assert "Colour: largest group" in legend and "fighters" in legend


def test_bad_view_options_are_usage_errors(tmp_path: Path) -> None:
    code, output, _ = _map(tmp_path, "--date-from", "May 2017")
    assert code == 2 and "YYYY-MM-DD" in output
    code, output, _ = _map(tmp_path, "--direction", "in")
    assert code == 2 and "--focus" in output
    code, output, _ = _map(tmp_path, "--focus", "Atlantis")
    assert code == 1 and "Atlantis" in output
