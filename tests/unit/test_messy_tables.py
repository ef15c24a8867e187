"""Messy tables as they arrive: each gives what a careful analyst would compute.

Every shape here once lost people with exit status 0, or gave a traceback. Each test
states the totals an analyst working by hand would write down, and checks that every
row is either in the graph or in the rejects, with a location and a fix.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evacmap.errors import EvacmapWarning, FlowTableError, InputError
from evacmap.flows import FlowGraph
from evacmap.gazetteer import Gazetteer
from evacmap.io import read_flows, write_flows


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer.curated()


def _write(tmp_path: Path, text: str, name: str = "t.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _accounted(graph: FlowGraph, n_data_lines: set[int]) -> None:
    """Every data line is in a movement's evidence or among the rejects."""
    used = {int(x) for x in graph.tables.evidence["line"].dropna().tolist()}
    rejected = {p.location.line for p in graph.rejected if p.location and p.location.line}
    assert used | rejected == n_data_lines, (used, rejected)
    assert not used & rejected


def _out(graph: FlowGraph, place_id: str) -> int:
    return int(graph.totals().loc[place_id, "out_count"])


WAER = "evacmap:al-waer"


def test_four_rows_one_bad_group_row_keeps_the_movement(tmp_path, gaz) -> None:
    path = _write(tmp_path, "movement,origin,destination,count,group\n"
                  "a,El Waer,Jarablus,450,\n"
                  "a,El Waer,Jarablus,193,fighters\n"
                  "a,El Waer,Jarablus,12k,civilians\n"
                  "b,El Waer,Atlantis,100,\n")
    with pytest.warns(EvacmapWarning, match="problem"):
        g = read_flows(path, gazetteer=gaz, errors="report")
    (m,) = g.movements
    assert m.count == 450 and dict(m.groups) == {"fighters": 193}
    assert [p.location.line for p in g.rejected] == [4, 5]
    assert "Hint: write 12000" in str(g.rejected[0])
    assert "'Atlantis' is not in the gazetteer" in str(g.rejected[1])
    _accounted(g, {2, 3, 4, 5})
    assert str(g.summary) == "4 rows: 1 movements, 0 duplicates merged, 2 rejected"


def test_a_bad_total_row_takes_its_movement_and_every_row_is_listed(tmp_path, gaz) -> None:
    path = _write(tmp_path, "movement,origin,destination,count,group\n"
                  "a,El Waer,Jarablus,45O,\n"          # letter O for zero
                  "a,El Waer,Jarablus,193,fighters\n"
                  "a,El Waer,Jarablus,200,civilians\n"
                  "b,Homs,Jarablus,100,\n")
    with pytest.warns(EvacmapWarning, match="problem"):
        g = read_flows(path, gazetteer=gaz, errors="report")
    assert [m.count for m in g.movements] == [100]
    lines = sorted(p.location.line for p in g.rejected)
    assert lines == [2, 3, 4]
    assert all("line 2 of the same movement was rejected" in str(p) for p in g.rejected if p.location.line != 2)
    _accounted(g, {2, 3, 4, 5})


def test_movement_id_reused_for_another_route(tmp_path, gaz) -> None:
    path = _write(tmp_path, "movement,origin,destination,count\n"
                  "a,El Waer,Jarablus,450\na,El Waer,Azaz,300\nb,Homs,Azaz,10\n")
    with pytest.raises(FlowTableError) as info:
        read_flows(path, gazetteer=gaz)
    text = str(info.value)
    assert "movement 'a' has different routes on line 2 and line 3" in text
    assert "t.csv:2:" in text and "t.csv:3:" in text


def test_unclosed_quote_is_reported_where_it_opens_and_later_rows_survive(tmp_path, gaz) -> None:
    path = _write(tmp_path, "origin,destination,count,evidence\n"
                  'El Waer,Jarablus,450,"the convoy left\n'
                  "Homs,Azaz,400,second convoy\n")
    with pytest.raises(FlowTableError, match=r"t.csv:2:4: a quote opened here is never closed"):
        read_flows(path, gazetteer=gaz)
    with pytest.warns(EvacmapWarning, match="problem"):
        g = read_flows(path, gazetteer=gaz, errors="report")
    assert [m.count for m in g.movements] == [400]  # not swallowed into an evidence cell
    _accounted(g, {2, 3})


@pytest.mark.parametrize(
    ("header", "row", "message"),
    [
        ("origin,destination,people_count", "El Waer,Jarablus,450",
         "column 'people_count' is not used; did you mean 'count'?"),
        ("origin,destination,count,type", "El Waer,Jarablus,20000,planned",
         "column 'type' is not used, but its values look like count kinds"),
        ("origin,destination", "El Waer,Jarablus", "the table has no count column"),
        ("origin,destination,count,dat", "El Waer,Jarablus,5,2017-05-20",
         "column 'dat' is not used; did you mean 'date'?"),
    ],
)
def test_columns_that_look_meant_are_errors(tmp_path, gaz, header, row, message) -> None:
    path = _write(tmp_path, f"{header}\n{row}\n")
    with pytest.raises(FlowTableError, match=message):
        read_flows(path, gazetteer=gaz, errors="report")  # even when skipping bad rows


def test_columns_option_maps_any_name(tmp_path, gaz) -> None:
    path = _write(tmp_path, "from_name,to_name,ppl\nEl Waer,Jarablus,450\n")
    g = read_flows(path, gazetteer=gaz, columns="origin=from_name,destination=to_name,count=ppl")
    assert _out(g, WAER) == 450


def test_second_total_row_and_groups_larger_than_the_total_are_listed(tmp_path, gaz) -> None:
    path = _write(tmp_path, "movement,origin,destination,count,group\n"
                  "a,El Waer,Jarablus,450,\na,El Waer,Jarablus,500,\n"
                  "b,Homs,Azaz,100,\nb,Homs,Azaz,193,fighters\n"
                  "c,Homs,Jarablus,7,\n")
    with pytest.warns(EvacmapWarning, match="problem"):
        g = read_flows(path, gazetteer=gaz, errors="report")
    assert [m.count for m in g.movements] == [7]
    reasons = {p.location.line: p.message for p in g.rejected}
    assert "different totals on line 2 and line 3" in reasons[2] and reasons[2] == reasons[3]
    assert "groups add up to 193, more than its total 100" in reasons[4] == reasons[5]
    _accounted(g, {2, 3, 4, 5, 6})


def test_the_same_total_twice_in_one_movement_is_one_movement_with_both_sources(tmp_path, gaz) -> None:
    path = _write(tmp_path, "movement,origin,destination,count,source\n"
                  "a,El Waer,Jarablus,450,SANA\na,El Waer,Jarablus,450,Reuters\n")
    (m,) = read_flows(path, gazetteer=gaz).movements
    assert m.count == 450 and set(m.sources) == {"SANA", "Reuters"}


def test_a_duplicated_group_row_is_not_summed(tmp_path, gaz) -> None:
    path = _write(tmp_path, "movement,origin,destination,count,group,evidence\n"
                  "a,El Waer,Jarablus,450,,x\na,El Waer,Jarablus,193,fighters,x\n"
                  "a,El Waer,Jarablus,193,fighters,copied\n")
    with pytest.warns(EvacmapWarning, match="problem"):
        g = read_flows(path, gazetteer=gaz, errors="report")
    (m,) = g.movements
    assert dict(m.groups) == {"fighters": 193}  # never 386
    assert "group 'fighters' is given twice" in str(g.rejected[0]) and g.rejected[0].location.line == 4


def test_two_identical_rows_are_one_row_and_a_report(tmp_path, gaz) -> None:
    path = _write(tmp_path, "origin,destination,count,date\n"
                  "El Waer,Jarablus,450,2017-05-20\nEl Waer,Jarablus,450,2017-05-20\n")
    with pytest.raises(FlowTableError, match=r"t\.csv:3: the same row as line 2"):
        read_flows(path, gazetteer=gaz)
    with pytest.warns(EvacmapWarning, match="problem"):
        g = read_flows(path, gazetteer=gaz, errors="report")
    assert _out(g, WAER) == 450


@pytest.mark.parametrize(
    ("rows", "what"),
    [
        ("a,El Waer,Jarablus,450,,reported,2017-05-20\na,El Waer,Jarablus,193,fighters,reported,2017-05-21",
         "different dates"),
        ("a,El Waer,Jarablus,450,,reported,2017-05-20\na,El Waer,Jarablus,193,fighters,planned,2017-05-20",
         "different count kinds"),
    ],
)
def test_conflicts_inside_one_movement_are_errors(tmp_path, gaz, rows, what) -> None:
    path = _write(tmp_path, "movement,origin,destination,count,group,count_kind,date\n" + rows + "\n")
    with pytest.raises(FlowTableError, match=what):
        read_flows(path, gazetteer=gaz)


def test_group_rows_with_coordinates(tmp_path, gaz) -> None:
    path = _write(tmp_path, "origin,origin_lat,origin_lon,destination,destination_lat,destination_lon,count,group\n"
                  "Camp A,36.1,36.6,Town B,36.5,37.0,300,\nCamp A,36.1,36.6,Town B,36.5,37.0,120,civilians\n")
    (m,) = read_flows(path, gazetteer=gaz).movements
    assert m.count == 300 and dict(m.groups) == {"civilians": 120}


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("450¹", "is not a whole number of people"),
        (str(2**63), "more people than live on earth"),
        ("1" * 31, "more people than live on earth"),
        ("-4", "negative"),
    ],
)
def test_odd_count_cells_are_errors_not_tracebacks(tmp_path, gaz, cell, message) -> None:
    path = _write(tmp_path, f"origin,destination,count\nEl Waer,Jarablus,{cell}\n")
    with pytest.raises(FlowTableError, match=message):
        read_flows(path, gazetteer=gaz)


def test_a_cell_of_200_kb_is_read(tmp_path, gaz) -> None:
    big = "x" * 200_000
    path = _write(tmp_path, f'origin,destination,count,evidence\nEl Waer,Jarablus,3,"{big}"\n')
    (m,) = read_flows(path, gazetteer=gaz).movements
    assert len(m.evidence[0].text) == 200_000


def test_arabic_indic_digits_are_digits(tmp_path, gaz) -> None:
    path = _write(tmp_path, "origin,destination,count\nالوعر,جرابلس,٤٥٠\n")
    assert _out(read_flows(path, gazetteer=gaz), WAER) == 450


def test_stages_and_their_cumulative_total_sum_right_in_a_gis(tmp_path, gaz) -> None:
    import pyogrio

    path = _write(tmp_path, "origin,destination,count,count_kind,date,stage\n"
                  "El Waer,Jarablus,300,reported,2017-03-18,first\n"
                  "El Waer,Jarablus,200,reported,2017-03-25,second\n"
                  "El Waer,Jarablus,500,cumulative,2017-03-25,\n")
    g = read_flows(path, gazetteer=gaz)
    t = g.totals()
    assert t.loc[WAER, "out_count"] == 500 and t.loc[WAER, "cumulative_out"] == 500
    gaps = g.stage_gaps()
    assert gaps[["cumulative", "stages", "difference"]].values.tolist() == [[500, 500, 0]]
    out = write_flows(g, tmp_path / "f.gpkg")
    flows = pyogrio.read_dataframe(out, layer="flows")
    assert int(flows["count"].fillna(0).sum()) == 500  # never 1,000


def test_planned_figure_in_a_type_column_mapped_is_never_added(tmp_path, gaz) -> None:
    path = _write(tmp_path, "origin,destination,count,type\nEl Waer,Jarablus,450,reported\n"
                  "El Waer,Jarablus,20000,planned\n")
    g = read_flows(path, gazetteer=gaz, columns={"count_kind": "type"})
    t = g.totals()
    assert t.loc[WAER, "out_count"] == 450 and t.loc[WAER, "planned_out"] == 20000


def test_header_only_and_empty_tables_say_so(tmp_path, gaz) -> None:
    with pytest.raises(InputError, match="has a header but no rows"):
        read_flows(_write(tmp_path, "origin,destination,count\n"), gazetteer=gaz)
    with pytest.raises(InputError, match="is empty"):
        read_flows(_write(tmp_path, ""), gazetteer=gaz)


def test_encodings_delimiters_and_line_breaks(tmp_path, gaz) -> None:
    text = "origin\tdestination\tcount\tevidence\nEl Waer\tJarablus\t450\t\"two\nlines\u2028and\u0085more\"\nHoms\tAzaz\t5\t\n"
    path = tmp_path / "u16.csv"
    path.write_bytes(text.encode("utf-16"))
    g = read_flows(path, gazetteer=gaz)
    assert [m.count for m in g.movements] == [450, 5]
    assert g.movements[0].evidence[0].text == "two\nlines\u2028and\u0085more"
    assert g.movements[1].evidence[0].location.line == 4  # the quoted newline counted
    latin = tmp_path / "latin.csv"
    latin.write_bytes("origin,destination,count\nJarablus,Alep é,3\n".encode("latin-1"))
    with pytest.raises(InputError, match=r"latin.csv:2:15: the file is not UTF-8 text.*--encoding"):
        read_flows(latin, gazetteer=gaz)


def test_hxl_tagged_table(tmp_path, gaz) -> None:
    path = _write(tmp_path, "From,To,Individuals,Date,Source\n"
                  "#loc+name+origin,#adm1+code+dest,#affected+idps,#date,#meta+source\n"
                  "El Waer,SY07,450,2017-05-20,OCHA\n")
    (m,) = read_flows(path, gazetteer=gaz).movements
    assert m.origin.id == WAER and m.destinations[0].pcode == "SY07"
    assert m.count == 450 and m.sources == ("OCHA",)


def test_spreadsheet_with_sheet_choice(tmp_path, gaz) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.title = "notes"
    book.active.append(["nothing here"])
    ws = book.create_sheet("flows")
    ws.append(["origin", "destination", "count", "date"])
    ws.append(["El Waer", "Jarablus", 450, "2017-05-20"])
    ws.append(["El Waer", "Azaz", "12k", None])
    path = tmp_path / "book.xlsx"
    book.save(path)
    with pytest.raises(FlowTableError, match=r"book.xlsx\[flows\]:3:3: '12k'"):
        read_flows(path, gazetteer=gaz, sheet="flows")
    with pytest.raises(InputError, match="no sheet 'Flows2'"):
        read_flows(path, gazetteer=gaz, sheet="Flows2")


def test_any_geojson_of_lines_with_mapped_columns(tmp_path, gaz) -> None:
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"from_name": "Camp A", "to_name": "Town B", "ppl": 300},
         "geometry": {"type": "LineString", "coordinates": [[36.6, 36.1], [37.0, 36.5]]}},
        {"type": "Feature", "properties": {"from_name": "Camp A", "to_name": None, "ppl": 20},
         "geometry": {"type": "Point", "coordinates": [37.2, 36.7]}},
    ]}
    path = _write(tmp_path, json.dumps(doc), "lines.geojson")
    g = read_flows(path, gazetteer=gaz, columns="origin=from_name,destination=to_name,count=ppl")
    first, second = g.movements
    assert (first.origin.lat, first.destinations[0].lon) == (36.1, 37.0) and first.count == 300
    assert second.destinations[0].lat == 36.7 and second.origin.name == "Camp A"


def test_waypoints_in_order(tmp_path, gaz) -> None:
    path = _write(tmp_path, "origin,destination,via,count\nEl Waer,Jarablus,Homs; Aleppo,450\n")
    g = read_flows(path, gazetteer=gaz)
    (m,) = g.movements
    assert [w.name for w in m.waypoints] == ["Homs", "Aleppo"]
    legs = g.leg_loads()
    assert legs["count"].tolist() == [450, 450, 450]
    assert g.totals().loc["geonames:169577", "through"] == 450  # Homs: passed through


def test_resolution_does_not_depend_on_row_order(tmp_path) -> None:
    gaz = Gazetteer.curated()
    rows = ["El Waer,Idlib,1", "Homs,Jarablus,2", "Azaz,Kilis,3", "Aleppo,Idlib,4"]
    a = read_flows(_write(tmp_path, "origin,destination,count\n" + "\n".join(rows) + "\n", "a.csv"), gazetteer=gaz)
    b = read_flows(_write(tmp_path, "origin,destination,count\n" + "\n".join(rows[::-1]) + "\n", "b.csv"), gazetteer=gaz)
    key = lambda g: sorted((m.origin.id, m.destinations[0].id, m.count) for m in g.movements)  # noqa: E731
    assert key(a) == key(b)


def test_done_when_table(tmp_path, gaz) -> None:
    """A bad row, an unknown place, one convoy reported by two sources in two
    spellings, and a cumulative total: nobody lost or counted twice."""
    from click.testing import CliRunner

    from evacmap.cli.main import cli

    path = _write(tmp_path, "origin,destination,count,count_kind,date,source\n"
                  "El Waer,Jarablus,450,reported,2017-05-20,SANA\n"
                  "al-Wa'er,Jarabulus,450,reported,2017-05-20,Reuters\n"   # the same convoy
                  "El Waer,Jarablus,12k,reported,2017-05-21,SANA\n"         # bad count
                  "El Waer,Atlantis,30,reported,2017-05-21,SANA\n"          # unknown place
                  "Homs,Azaz,200,reported,2017-05-22,OCHA\n"
                  "El Waer,Jarablus,3700,cumulative,2017-05-22,OCHA\n")
    rejects = tmp_path / "rejects.csv"
    out = tmp_path / "flows.gpkg"
    res = CliRunner().invoke(cli, ["export", str(path), "--skip-bad-rows", "--rejects", str(rejects),
                                   "-o", str(out)], catch_exceptions=False)
    assert res.exit_code == 0, res.stderr
    assert "6 rows: 3 movements, 1 duplicates merged, 2 rejected" in res.stderr
    assert "t.csv:4:3: '12k' is not a whole number" in res.stderr
    lines = rejects.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "file,line,column,problem,hint" and len(lines) == 3
    back = read_flows(out)
    t = back.totals()
    assert t.loc[WAER, "out_count"] == 450  # once, not 900
    assert t.loc[WAER, "cumulative_out"] == 3700  # apart, never added
    (convoy,) = [m for m in back.movements if m.count == 450]
    assert set(convoy.sources) == {"SANA", "Reuters"}


def test_gis_points_without_crs_in_metres_are_refused(tmp_path, gaz) -> None:
    import geopandas as gpd
    import shapely

    from evacmap.errors import CRSError

    path = tmp_path / "utm.gpkg"
    frame = gpd.GeoDataFrame(
        {"origin": ["El Waer"], "destination": ["Jarablus"], "count": [450]},
        geometry=[shapely.linestrings([[300000.0, 3840000.0], [380000.0, 4080000.0]])],
    )
    with pytest.warns(UserWarning, match="crs"):  # geopandas warns that it writes no CRS
        frame.to_file(path, driver="GPKG", engine="pyogrio")
    with pytest.raises(CRSError, match="not longitude/latitude") as err:
        read_flows(path, gazetteer=gaz)
    assert "utm.gpkg" in str(err.value) and "EPSG:4326" in str(err.value)
