from __future__ import annotations

import pytest

from evacmap.errors import EvacmapWarning, FlowTableError, InputError
from evacmap.io import read_flows
from evacmap.model import CountKind, PlaceKind


def test_reads_names_counts_groups_and_provenance(curated, write_csv):
    path = write_csv(
        "origin,destination,count,group,count_kind,date,stage,source,evidence\n"
        "El Waer,Idlib province; Jarablus,450,,reported,2017-05,final,Report A,450 left\n"
        "El Waer,Idlib province; Jarablus,193,fighters,reported,2017-05,final,Report A,193\n"
        "al-Waer,Homs,12,,estimated,2017-05-01/2017-05-03,,Report B,\n"
    )
    g = read_flows(path, gazetteer=curated)
    assert len(g) == 2
    convoy, second = g.movements
    assert convoy.count == 450 and convoy.groups == (("fighters", 193),)
    assert [d.name for d in convoy.destinations] == ["Idleb governorate", "Jarablus"]
    assert convoy.destinations[0].kind is PlaceKind.GOVERNORATE
    assert convoy.sources == ("Report A",)
    assert [e.location.line for e in convoy.evidence] == [2, 3]
    assert str(convoy.evidence[0].location) == f"{path.name}:2"
    assert second.count_kind is CountKind.ESTIMATED
    assert second.date_label == "2017-05-01/2017-05-03"
    assert g.title == "flows"


def test_every_bad_row_is_reported_with_line_column_and_hint(curated, write_csv):
    path = write_csv(
        "origin,destination,count,count_kind,date\n"
        "El Waer,Idlib,12k,reported,2017-05-20\n"          # line 2: 12k
        "El Waer,Atlantis,10,reported,2017-05-20\n"        # line 3: unknown place
        "El Waer,Idlib,-4,reported,2017-05-20\n"           # line 4: negative
        "El Waer,Idlib,10,rumoured,2017-05-20\n"           # line 5: bad kind
        "El Waer,Idlib,10,reported,20/05/2017\n"           # line 6: bad date
        ",Idlib,10,reported,2017\n"                        # line 7: origin unknown (fine)
        "El Waer,Idlib,up to 200,planned,2017\n"           # line 8: qualifier
    )
    with pytest.raises(FlowTableError) as info:
        read_flows(path, gazetteer=curated)
    text = str(info.value)
    expected = [
        (f"{path.name}:2:3:", "Hint: write 12000"),
        (f"{path.name}:3:2:", "destination 'Atlantis' is not in the gazetteer"),
        (f"{path.name}:4:3:", "negative"),
        (f"{path.name}:5:4:", "rumoured"),
        (f"{path.name}:6:5:", "YYYY-MM-DD"),
        (f"{path.name}:8:3:", "count_max"),
    ]
    for where, what in expected:
        assert any(where in line and what in line for line in text.splitlines()), (where, text)
    assert len(info.value.problems) == 6


def test_report_mode_keeps_good_rows_and_lists_the_rest(curated, write_csv):
    path = write_csv("origin,destination,count\nEl Waer,Idlib,10\nEl Waer,Nowhere Land,5\n")
    with pytest.warns(EvacmapWarning, match="1 problem"):
        g = read_flows(path, gazetteer=curated, errors="report")
    assert len(g) == 1 and len(g.rejected) == 1
    assert g.rejected[0].location.line == 3
    assert "Nowhere Land" in str(g.rejected[0])


def test_coordinates_instead_of_names(curated, write_csv):
    path = write_csv(
        "origin,origin_lat,origin_lon,destination,destination_lat,destination_lon,count\n"
        "Camp X,36.26,36.51,,35.0,36.0,70\n"
        "Camp X,95,36.51,Idlib,,,1\n"
    )
    with pytest.raises(FlowTableError) as info:
        read_flows(path, gazetteer=curated)
    assert f"{path.name}:3:2: latitude 95.0 is outside -90..90" in str(info.value)
    path.write_text(path.read_text().splitlines()[0] + "\nCamp X,36.26,36.51,,35.0,36.0,70\n")
    (m,) = read_flows(path, gazetteer=curated).movements
    assert m.origin.kind is PlaceKind.POINT and m.origin.name == "Camp X"
    assert (m.destinations[0].lat, m.destinations[0].lon) == (35.0, 36.0)
    assert m.destinations[0].name == "35.0000, 36.0000"


def test_semicolon_files_bom_aliases_and_thousands(curated, tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeffFrom;To;People\nEl Waer;Jarablus;1 150\n".encode())
    (m,) = read_flows(path, gazetteer=curated).movements
    assert m.count == 1150 and m.destinations[0].name == "Jarablus"


def test_missing_columns_and_empty_files(curated, write_csv):
    (m,) = read_flows(write_csv("origin,count\nHoms,3\n"), gazetteer=curated).movements
    assert m.destinations == () and m.count == 3  # "3 people left Homs": no invented end
    with pytest.raises(InputError, match="neither an origin nor a destination column"):
        read_flows(write_csv("place,count\nHoms,3\n"), gazetteer=curated)
    with pytest.raises(InputError, match="no count column"):
        read_flows(write_csv("origin,destination\nHoms,Idlib\n"), gazetteer=curated)
    with pytest.raises(InputError, match="is empty"):
        read_flows(write_csv(""), gazetteer=curated)
    with pytest.raises(InputError, match="cannot read"):
        read_flows("/no/such/file.csv", gazetteer=curated)


def test_group_rows_without_total_sum_and_too_big_groups_fail(curated, write_csv):
    path = write_csv("origin,destination,count,group\n"
                     "El Waer,Idlib,193,fighters\nEl Waer,Idlib,257,civilians\n")
    (m,) = read_flows(path, gazetteer=curated).movements
    # Group rows alone: at least their sum is known (no invented total).
    assert m.count is None and m.count_min == 450 and m.known_count == 450
    assert dict(m.groups) == {"fighters": 193, "civilians": 257}
    path = write_csv("origin,destination,count,group\nEl Waer,Idlib,100,\n"
                     "El Waer,Idlib,193,fighters\n")
    with pytest.raises(FlowTableError, match="groups add up to 193, more than its total 100"):
        read_flows(path, gazetteer=curated)
