"""Imported place lists: GeoNames dumps, alternate names and OCHA tables, in their exact formats.

Every file here is written by the test in the format as downloaded (GeoNames' 19
tab-separated columns, zipped or not; alternateNamesV2's 10; OCHA COD column names
and HXL tags; a spreadsheet; a GeoPackage of polygons). Nothing is downloaded.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from click.testing import CliRunner

from evacmap.cli.main import cli
from evacmap.errors import InputError, PlaceNotFoundError
from evacmap.gazetteer import Gazetteer
from evacmap.gazetteer.placelist import detect_format, read_place_list
from evacmap.gazetteer.store import PlaceStore
from evacmap.model import PlaceKind

ROOT = Path(__file__).resolve().parents[2]


def geonames_row(gid: int, name: str, lat: float, lon: float, fclass: str, fcode: str,
                 country: str = "SY", admin1: str = "", alternates: str = "",
                 population: int = 0) -> str:
    fields = [str(gid), name, name, alternates, f"{lat}", f"{lon}", fclass, fcode, country,
              "", admin1, "", "", "", str(population), "", "400", "Asia/Damascus", "2024-03-01"]
    assert len(fields) == 19
    return "\t".join(fields)


DUMP_ROWS = [
    geonames_row(9100001, "Jouret al-Shayyah Test", 34.72, 36.70, "P", "PPLX", admin1="11",
                 alternates="Jourat al-Shiyah Test,جورة الشياح تست"),
    geonames_row(9100002, "Muhafazat Test", 35.8, 36.6, "A", "ADM1", admin1="12"),
    geonames_row(9100003, "Mukhayyam Testcamp", 36.2, 36.6, "S", "CMPRF", admin1="12",
                 alternates="Testcamp camp,مخيم تست"),
    geonames_row(9100004, "Zarzour Testqadima", 35.99, 36.40, "P", "PPL", admin1="12"),
    geonames_row(9100005, "Kasab Test Border Post", 35.92, 35.98, "S", "PSTB", admin1="02"),
    geonames_row(9100006, "Wadi Testwadi", 33.0, 38.0, "H", "WAD"),
    geonames_row(9100007, "Qaa Testlebanon", 34.35, 36.47, "P", "PPL", country="LB"),
    "9100008\tbroken row",
    geonames_row(9100009, "Testtown", 95.0, 36.0, "P", "PPL"),  # latitude out of range
]


@pytest.fixture
def dump(tmp_path: Path) -> Path:
    path = tmp_path / "SY.txt"
    path.write_text("\n".join(DUMP_ROWS) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def dump_zip(tmp_path: Path, dump: Path) -> Path:
    path = tmp_path / "SY.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("readme.txt", "The data format is tab-delimited text in utf8 encoding.\n")
        zf.write(dump, "SY.txt")
    return path


OCHA_HEADER = ("ADM0_EN,ADM0_AR,ADM0_PCODE,ADM1_EN,ADM1_AR,ADM1_PCODE,ADM2_EN,ADM2_AR,"
               "ADM2_PCODE,ADM3_EN,ADM3_AR,ADM3_PCODE,ADM4_EN,ADM4_AR,ADM4_PCODE,"
               "Longitude,Latitude")
OCHA_ROWS = [
    "Syria,سوريا,SY,Homs,حمص,SY04,Ar-Rastan,الرستن,SY0404,Testbiseh,تلبيسة تست,SY040401,"
    "Ghantu Testing,غنطو تست,C9991,36.7108,34.8163",
    "Syria,سوريا,SY,Homs,حمص,SY04,Ar-Rastan,الرستن,SY0404,Testbiseh,تلبيسة تست,SY040401,"
    "Zaafaraniyeh Testing,الزعفرانية تست,C9992,36.7447,34.8351",
    "Syria,سوريا,SY,Homs,حمص,SY04,Ar-Rastan,الرستن,SY0404,Testbiseh,تلبيسة تست,SY040401,"
    "Deir Testful,دير تست,C9993,,",
]


@pytest.fixture
def ocha_csv(tmp_path: Path) -> Path:
    path = tmp_path / "syr_pplp_adm4_unocha.csv"
    path.write_text("\n".join([OCHA_HEADER, *OCHA_ROWS]) + "\n", encoding="utf-8")
    return path


def test_formats_are_recognised_by_content(dump, dump_zip, ocha_csv, tmp_path):
    alt = tmp_path / "alternateNamesV2.txt"
    alt.write_text("1\t9100004\ten\tZarzour al-Testqadimah\t\t\t\t\t\t\n", encoding="utf-8")
    assert detect_format(dump) == detect_format(dump_zip) == "geonames"
    assert detect_format(alt) == "alternate_names"
    assert detect_format(ocha_csv) == "table"
    odd = tmp_path / "x.zip"
    with zipfile.ZipFile(odd, "w") as zf:
        zf.writestr("data.txt", "a\tb\tc\n")
    with pytest.raises(InputError, match="not a GeoNames file: its first line has 3"):
        detect_format(odd)


@pytest.mark.parametrize("which", ["dump", "dump_zip"])
def test_geonames_dump_every_feature_class_kind_from_feature_code(which, request):
    layer, summary = read_place_list(request.getfixturevalue(which))
    kinds = {p.name: p.kind for p in layer.places(range(len(layer)))}
    assert kinds == {
        "Jouret al-Shayyah Test": PlaceKind.NEIGHBOURHOOD,
        "Muhafazat Test": PlaceKind.GOVERNORATE,
        "Mukhayyam Testcamp": PlaceKind.CAMP,
        "Zarzour Testqadima": PlaceKind.VILLAGE,
        "Kasab Test Border Post": PlaceKind.CROSSING,
        "Wadi Testwadi": PlaceKind.POINT,
        "Qaa Testlebanon": PlaceKind.VILLAGE,
    }
    # Nothing lost silently: the two bad rows are counted, located and explained.
    assert summary.rows == 9 and summary.places == 7
    assert summary.skipped == {"not 19 columns": 1, "bad id, name or coordinate": 1}
    assert [p.location.line for p in summary.problems] == [8, 9]


def test_dump_country_filter(dump_zip):
    layer, summary = read_place_list(dump_zip, countries=["LB"])
    assert [p.name for p in layer.places(range(len(layer)))] == ["Qaa Testlebanon"]
    assert summary.skipped == {"country not asked for": 7, "not 19 columns": 1}


def test_alternate_names_become_spellings_of_known_places(dump, tmp_path):
    base, _ = read_place_list(dump)
    alt = tmp_path / "alternateNamesV2.txt"
    alt.write_text(
        "1\t9100004\ten\tZarzour al-Testqadimah\t1\t\t\t\t\t\n"
        "2\t9100004\tlink\thttps://en.wikipedia.org/wiki/Zarzour\t\t\t\t\t\t\n"
        "3\t9100004\tar\tزرزور تست\t\t\t\t\t\t\n"
        "4\t1\ten\tNot in the gazetteer\t\t\t\t\t\t\n",
        encoding="utf-8",
    )
    _, summary = read_place_list(alt, base=[base])
    assert summary.skipped == {"a link, code or postcode, not a name": 1,
                               "place not in the gazetteer": 1}
    gaz = Gazetteer.curated().with_places(dump).with_places(alt)
    for spelling in ("Zarzour al-Testqadimah", "زرزور تست"):
        p = gaz.geocode(spelling).place
        assert (p.geonames_id, p.name) == (9100004, "Zarzour Testqadima")
    with pytest.raises(PlaceNotFoundError):
        gaz.geocode("https://en.wikipedia.org/wiki/Zarzour")


def test_ocha_table_every_pcode_resolves_with_english_and_arabic_names(ocha_csv):
    gaz = Gazetteer.curated().with_places(ocha_csv)
    m = gaz.geocode("Ghantu Testing")
    assert (m.place.pcode, m.place.admin1, m.place.admin1_pcode) == ("C9991", "Homs", "SY04")
    assert gaz.geocode("غنطو تست").place.pcode == "C9991"
    assert gaz.get("C9992").name == "Zaafaraniyeh Testing"
    assert gaz.get("c9992").lat == pytest.approx(34.8351)
    # Admin units above the rows resolve too, at one of their members, flagged approximate.
    for code, kind in (("SY0404", PlaceKind.DISTRICT), ("SY040401", PlaceKind.DISTRICT)):
        unit = gaz.get(code)
        assert unit.kind is kind and unit.approximate
        assert (unit.lat, unit.lon) in ((34.8163, 36.7108), (34.8351, 36.7447))
    assert gaz.geocode("الرستن").place.pcode in ("SY0404", None)
    # The governorate is the curated one (same P-code, a more trusted layer).
    assert gaz.get("SY04").source.startswith("OCHA P-code SY04")
    with pytest.raises(PlaceNotFoundError):
        gaz.get("C9993")  # its row has no coordinate: reported, not placed
    _, summary = read_place_list(ocha_csv)
    assert summary.skipped == {"no valid coordinate": 1}
    assert summary.problems[0].location.line == 4


def _xlsx(path: Path, rows: list[list[str]]) -> None:
    """A minimal .xlsx (inline strings), as a spreadsheet program writes it."""
    def cell(ref: str, v: str) -> str:
        return f'<c r="{ref}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'

    body = "".join(
        f'<row r="{i}">'
        + "".join(cell(f"{chr(65 + j)}{i}", v) for j, v in enumerate(r) if v != "")
        + "</row>"
        for i, r in enumerate(rows, start=1)
    )
    ns = "http://schemas.openxmlformats.org"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", (
            f'<?xml version="1.0"?><Types xmlns="{ns}/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"))
        zf.writestr("_rels/.rels", (
            f'<?xml version="1.0"?><Relationships xmlns="{ns}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"))
        zf.writestr("xl/workbook.xml", (
            f'<?xml version="1.0"?><workbook xmlns="{ns}/spreadsheetml/2006/main" '
            f'xmlns:r="{ns}/officeDocument/2006/relationships"><sheets>'
            '<sheet name="pplp" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        zf.writestr("xl/_rels/workbook.xml.rels", (
            f'<?xml version="1.0"?><Relationships xmlns="{ns}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            "</Relationships>"))
        zf.writestr("xl/worksheets/sheet1.xml", (
            f'<?xml version="1.0"?><worksheet xmlns="{ns}/spreadsheetml/2006/main">'
            f"<sheetData>{body}</sheetData></worksheet>"))


def test_ocha_spreadsheet_with_hxl_tags(tmp_path):
    path = tmp_path / "communities.xlsx"
    _xlsx(path, [
        ["Governorate", "Gov code", "Community", "Community (Arabic)", "Code", "Y", "X"],
        ["#adm1+name", "#adm1+code", "#loc+name", "#loc+name+i_ar", "#loc+code", "#geo+lat",
         "#geo+lon"],
        ["Idleb", "SY07", "Kafr Testa", "كفر تست", "C7771", "35.91", "36.75"],
    ])
    gaz = Gazetteer.curated().with_places(path)
    p = gaz.geocode("كفر تست").place
    assert (p.name, p.pcode, p.admin1_pcode, p.lat, p.lon) == (
        "Kafr Testa", "C7771", "SY07", 35.91, 36.75)


def test_ocha_geopackage_polygons_by_a_point_inside(tmp_path):
    gpd = pytest.importorskip("geopandas")
    from shapely.geometry import Polygon

    # An L-shaped sub-district: its centroid lies outside it, its representative point inside.
    shape = Polygon([(36.0, 35.0), (36.4, 35.0), (36.4, 35.1), (36.1, 35.1), (36.1, 35.4),
                     (36.0, 35.4)])
    frame = gpd.GeoDataFrame(
        {"ADM3_EN": ["Testnahiya"], "ADM3_AR": ["ناحية تست"], "ADM3_PCODE": ["SY070099"],
         "ADM1_EN": ["Idleb"], "ADM1_PCODE": ["SY07"]},
        geometry=[shape], crs="EPSG:4326",
    ).to_crs("EPSG:3857")  # read back in degrees whatever the file's CRS
    path = tmp_path / "syr_admbnda_adm3.gpkg"
    frame.to_file(path, engine="pyogrio")
    gaz = Gazetteer.curated().with_places(path)
    p = gaz.get("SY070099")
    assert p.kind is PlaceKind.DISTRICT and p.approximate
    from shapely.geometry import Point

    assert shape.contains(Point(p.lon, p.lat))
    assert not shape.contains(shape.centroid)
    assert gaz.geocode("ناحية تست").place.pcode == "SY070099"


def test_table_without_coordinates_says_what_it_needs(tmp_path):
    path = tmp_path / "names.csv"
    path.write_text("ADM4_EN,ADM4_PCODE\nX,C1\n", encoding="utf-8")
    with pytest.raises(InputError, match="no latitude/longitude columns"):
        read_place_list(path)


def test_store_add_list_remove(tmp_path, dump_zip, ocha_csv):
    store = PlaceStore(tmp_path / "store")
    store.add([ocha_csv, dump_zip])
    assert {s.name for s in store.entries()} == {"SY", "syr_pplp_adm4_unocha"}
    store.add([dump_zip])  # added again: replaces, not duplicates
    assert len(store.entries()) == 2 and store.entries()[0].name == "SY"
    gaz = Gazetteer.world(places_dir=store.directory)
    assert gaz.geocode("Testcamp camp").place.kind is PlaceKind.CAMP
    assert gaz.get("C9991").name == "Ghantu Testing"
    assert store.remove("SY") == ["SY"]
    with pytest.raises(PlaceNotFoundError):
        Gazetteer.world(places_dir=store.directory).geocode("Testcamp camp")
    from evacmap.errors import GazetteerError

    with pytest.raises(GazetteerError, match="no imported place list called 'nope'"):
        store.remove("nope")


def test_stale_layers_are_skipped_until_added_again(tmp_path, dump_zip):
    store = PlaceStore(tmp_path / "store")
    store.add([dump_zip])
    meta_path = tmp_path / "store" / "SY" / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta["normalize"] = "older"
    meta_path.write_text(json.dumps(meta))
    assert store.entries()[0].stale and store.layers() == []


def test_cli_add_then_a_fresh_process_resolves_with_the_pcode(tmp_path, dump_zip, ocha_csv):
    store = tmp_path / "store"
    runner = CliRunner()
    res = runner.invoke(cli, ["gazetteer", "add", str(dump_zip), str(ocha_csv),
                              "--store", str(store)])
    assert res.exit_code == 0, res.output
    assert "SY.zip (geonames): 7 places" in res.stdout
    assert "1 left out (no valid coordinate: 1)" in res.stdout
    listed = runner.invoke(cli, ["gazetteer", "list", "--store", str(store)])
    assert [line.split("\t")[0] for line in listed.stdout.splitlines()] == [
        "syr_pplp_adm4_unocha", "SY"]
    env = dict(os.environ, EVACMAP_PLACES_DIR=str(store), PYTHONPATH=str(ROOT))
    proc = subprocess.run(
        [sys.executable, "-c", "from evacmap.cli.main import main; main()", "geocode", "--json",
         "--country", "SY", "Zaafaraniyeh Testing", "Jourat al-Shiyah Test"],
        capture_output=True, text=True, env=env, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    first, second = json.loads(proc.stdout)
    assert (first["pcode"], first["admin1_pcode"]) == ("C9992", "SY04")
    assert (second["geonames_id"], second["kind"]) == (9100001, "neighbourhood")
    gone = runner.invoke(cli, ["gazetteer", "remove", "SY", "--store", str(store)])
    assert gone.exit_code == 0 and "removed SY" in gone.stdout
    bad = runner.invoke(cli, ["gazetteer", "remove", "SY", "--store", str(store)])
    assert bad.exit_code == 1 and "no imported place list called 'SY'" in bad.stderr


FRESH_PROCESS = """
import json, sys
from evacmap.errors import PlaceNotFoundError
from evacmap.gazetteer import default_gazetteer, geocode
out = []
for name in sys.argv[1:]:
    try:
        p = geocode(name, country="SY").place
    except PlaceNotFoundError:
        out.append(None)
    else:
        out.append([p.name, p.pcode, p.admin1_pcode, p.geonames_id])
gaz = default_gazetteer()
try:
    unit = gaz.get("SY040401").name
except PlaceNotFoundError:
    unit = None
print(json.dumps({"answers": out, "unit": unit}))
"""


def test_a_name_only_the_added_lists_hold_resolves_in_a_fresh_process(tmp_path, dump_zip,
                                                                       ocha_csv):
    """Through the API's default gazetteer, as `import evacmap` in a new process sees it."""
    store = tmp_path / "store"
    names = ["الزعفرانية تست", "Jourat al-Shiyah Test"]

    def fresh() -> dict[str, object]:
        env = dict(os.environ, EVACMAP_PLACES_DIR=str(store), PYTHONPATH=str(ROOT))
        proc = subprocess.run([sys.executable, "-c", FRESH_PROCESS, *names],
                              capture_output=True, text=True, env=env, check=False)
        assert proc.returncode == 0, proc.stderr
        return json.loads(proc.stdout)

    before = fresh()  # an empty store: neither name, nor the sub-district's P-code
    assert before == {"answers": [None, None], "unit": None}
    PlaceStore(store).add([dump_zip, ocha_csv])
    after = fresh()
    assert after["answers"] == [
        ["Zaafaraniyeh Testing", "C9992", "SY04", None],
        ["Jouret al-Shayyah Test", None, "SY04", 9100001],
    ]
    assert after["unit"] == "Testbiseh"
