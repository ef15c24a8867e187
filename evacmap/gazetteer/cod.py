"""OCHA common operational datasets (and other place tables) as a gazetteer layer.

A COD populated-places or admin table names each place at several levels
(``ADM1_EN``, ``ADM1_AR``, ``ADM1_PCODE`` … ``ADM4_PCODE``, or the newer
``admin1Name_en`` / ``admin1Pcode``, or HXL tags ``#adm1+name``, ``#adm1+code``,
``#loc+name``, ``#geo+lat``), with latitude / longitude columns or, in a GeoPackage /
shapefile, a point or polygon geometry (polygons by their representative point, which
always lies inside them). Tables come through evacmap's one table reader,
:func:`evacmap._tabular.read_table`; vector files through pyogrio.

Each row is a place at its deepest named level, with its English and Arabic names
(and any ``REF`` / ``ALT`` names) and its P-code. The admin units above it (district,
sub-district, governorate) are places too, so that every P-code of the table resolves:
each is put at the member place nearest the middle of its members and flagged
approximate, with a source saying so.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from evacmap.errors import InputError, Problem, source_label
from evacmap.gazetteer._index import PlaceIndex
from evacmap.gazetteer.placelist import ImportSummary, PlaceListBuilder
from evacmap.model import PlaceKind

__all__ = ["read_cod"]

logger = logging.getLogger(__name__)

#: Deepest level: the place itself (a ``#loc`` or plain ``name`` column).
POINT_LEVEL = 5
_LEVEL_KIND = {
    0: PlaceKind.COUNTRY,
    1: PlaceKind.GOVERNORATE,
    2: PlaceKind.DISTRICT,
    3: PlaceKind.DISTRICT,
    4: PlaceKind.TOWN,
    POINT_LEVEL: PlaceKind.TOWN,
}
_ADM_RE = re.compile(
    r"^adm(?:in)?([0-4])(?:name)?(en|ar|fr|pcode|code|ref|refname|alt\d*en|alt\d*ar|alt\d*)$"
)
_LAT = frozenset({"lat", "latitude", "y", "latdd", "laty", "latitudey", "ycoord", "pointy"})
_LON = frozenset(
    {"lon", "long", "longitude", "lng", "x", "londd", "lonx", "longx", "longitudex", "xcoord",
     "pointx"}
)
_NAME_EN = frozenset({"name", "nameen", "placename", "featurename", "locname", "locality"})
_NAME_AR = frozenset({"namear", "arabicname", "namearabic", "locnamear"})
_PCODE = frozenset({"pcode", "placepcode", "locpcode", "pcodeloc"})
_ALIASES = frozenset({"aliases", "altnames", "alternatenames", "namealt", "altname"})
_COUNTRY = frozenset({"country", "countrycode", "iso2", "iso", "adm0pcode"})


def _norm(header: str) -> str:
    return re.sub(r"[^0-9a-z]", "", header.lower())


@dataclass
class _Columns:
    """Which column plays which part: per level, names (English first) and P-code."""

    names: dict[int, list[str]] = field(default_factory=dict)
    pcode: dict[int, str] = field(default_factory=dict)
    lat: str | None = None
    lon: str | None = None
    country: str | None = None

    @property
    def levels(self) -> list[int]:
        return sorted(set(self.names) | set(self.pcode))


def _role_from_hxl(tag: str) -> tuple[str, int | None, str] | None:
    """(role, level, language) of an HXL hashtag, or None."""
    bits = tag.strip().lower().replace(" ", "").split("+")
    head, attrs = bits[0], set(bits[1:])
    lang = "ar" if "i_ar" in attrs else "en"
    m = re.fullmatch(r"#adm([0-4])", head)
    level = int(m.group(1)) if m else POINT_LEVEL if head == "#loc" else None
    if head == "#geo":
        if "lat" in attrs:
            return ("lat", None, "")
        if "lon" in attrs or "long" in attrs:
            return ("lon", None, "")
        return None
    if head == "#country" and "code" in attrs:
        return ("country", None, "")
    if level is None:
        return None
    if "code" in attrs:
        return ("pcode", level, "")
    if "name" in attrs or not attrs - {"i_ar", "i_en"}:
        return ("name", level, lang)
    return None


def _role_from_header(header: str) -> tuple[str, int | None, str] | None:
    key = _norm(header)
    m = _ADM_RE.match(key)
    if m:
        level, what = int(m.group(1)), m.group(2)
        if what in ("pcode", "code"):
            return ("pcode", level, "")
        if level == 0 and what not in ("en", "ar"):
            return None
        return ("name", level, "ar" if what.endswith("ar") else "en")
    if key in _LAT or key.startswith("latitude"):
        return ("lat", None, "")
    if key in _LON or key.startswith("longitude"):
        return ("lon", None, "")
    if key in _NAME_EN:
        return ("name", POINT_LEVEL, "en")
    if key in _NAME_AR:
        return ("name", POINT_LEVEL, "ar")
    if key in _PCODE:
        return ("pcode", POINT_LEVEL, "")
    if key in _ALIASES:
        return ("name", POINT_LEVEL, "alt")
    if key in _COUNTRY:
        return ("country", None, "")
    return None


def recognise_columns(headers: Sequence[str], hashtags: Sequence[str] | None = None) -> _Columns:
    """The part each column plays, from its HXL hashtag or else its header.

    Examples
    --------
    >>> c = recognise_columns(["ADM1_EN", "ADM1_PCODE", "ADM4_EN", "ADM4_AR", "ADM4_PCODE",
    ...                        "Latitude", "Longitude"])
    >>> c.levels, c.names[4], c.pcode[4], c.lat
    ([1, 4], ['ADM4_EN', 'ADM4_AR'], 'ADM4_PCODE', 'Latitude')
    """
    cols = _Columns()
    order = {"en": 0, "alt": 2, "ar": 1}
    ranked: dict[int, list[tuple[int, int, str]]] = {}
    for i, h in enumerate(headers):
        role = None
        if hashtags is not None and i < len(hashtags) and hashtags[i].strip():
            role = _role_from_hxl(hashtags[i])
        if role is None:
            role = _role_from_header(h)
        if role is None:
            continue
        what, level, lang = role
        if what == "lat" and cols.lat is None:
            cols.lat = h
        elif what == "lon" and cols.lon is None:
            cols.lon = h
        elif what == "country" and cols.country is None:
            cols.country = h
        elif what == "pcode" and level is not None:
            cols.pcode.setdefault(level, h)
        elif what == "name" and level is not None:
            ranked.setdefault(level, []).append((order.get(lang, 2), i, h))
    for level, items in ranked.items():
        cols.names[level] = [h for _, _, h in sorted(items)]
    return cols


def _frame(path: Path, *, sheet: str | int | None, vector: bool) -> tuple[Any, list[str], Any, str]:
    """Rows as a text frame, its columns, the line of each row, and the source label."""
    if vector:
        return _vector_frame(path)
    from evacmap._tabular import read_table
    from evacmap.errors import TableError

    table = read_table(path, sheet=sheet)
    if table.problems:
        raise TableError(table.problems, source=table.source)
    return table, table.columns, table.lines, table.source


def _vector_frame(path: Path) -> tuple[Any, list[str], Any, str]:
    import pyogrio
    import shapely

    label = source_label(path)
    try:
        gdf = pyogrio.read_dataframe(path)
    except Exception as exc:  # pyogrio raises its own DataSourceError and others
        raise InputError(f"cannot read {label!r} as a vector file: {exc}") from exc
    if gdf.crs is not None and not gdf.crs.equals("EPSG:4326"):
        gdf = gdf.to_crs("EPSG:4326")
    geoms = gdf.geometry.values
    ok = ~(shapely.is_missing(geoms) | shapely.is_empty(geoms))
    points = np.full(len(gdf), None, dtype=object)
    points[ok] = shapely.point_on_surface(geoms[ok])
    frame = gdf.drop(columns=gdf.geometry.name).astype(object)
    frame = frame.where(frame.notna(), "").astype(str)
    lon = np.full(len(gdf), "", dtype=object)
    lat = np.full(len(gdf), "", dtype=object)
    if ok.any():
        lon[ok] = [repr(float(v)) for v in shapely.get_x(points[ok])]
        lat[ok] = [repr(float(v)) for v in shapely.get_y(points[ok])]
    polygon = np.zeros(len(gdf), dtype=bool)
    if ok.any():
        types = shapely.get_type_id(geoms[ok])
        polygon[ok] = np.isin(types, (3, 6))  # Polygon, MultiPolygon
    frame["__lat"], frame["__lon"] = lat, lon
    frame["__polygon"] = np.where(polygon, "1", "")

    class _Table:
        pass

    table = _Table()
    table.frame = frame  # type: ignore[attr-defined]
    table.hashtags = None  # type: ignore[attr-defined]
    columns = [c for c in frame.columns if not c.startswith("__")]
    return table, columns, np.arange(1, len(frame) + 1), label


def read_cod(
    path: str | os.PathLike[str],
    *,
    sheet: str | int | None = None,
    vector: bool = False,
) -> tuple[PlaceIndex, ImportSummary]:
    """Index an OCHA-style place table: every row, every level's P-code.

    Parameters
    ----------
    path
        CSV / XLSX / ODS (read with :func:`evacmap._tabular.read_table`), or with
        `vector` a GeoPackage, shapefile or GeoJSON (read with pyogrio).
    sheet
        The sheet of a spreadsheet.
    vector
        Read `path` as a vector file.

    Returns
    -------
    tuple
        The layer and an :class:`~evacmap.gazetteer.placelist.ImportSummary`.

    Raises
    ------
    InputError
        When the table has no name or P-code column, or no coordinates.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "pplp.csv"
    >>> _ = f.write_text("ADM1_EN,ADM1_PCODE,ADM4_EN,ADM4_AR,ADM4_PCODE,Latitude,Longitude\\n"
    ...                  "Homs,SY04,Tir Maalla,تير معلة,C4321,34.80,36.70\\n", encoding="utf-8")
    >>> layer, summary = read_cod(f)
    >>> [(p.name, p.pcode, p.kind.value) for p in layer.places(range(len(layer)))]
    [('Tir Maalla', 'C4321', 'town'), ('Homs', 'SY04', 'governorate')]
    """
    p = Path(path)
    table, headers, lines, label = _frame(p, sheet=sheet, vector=vector)
    frame = table.frame
    cols = recognise_columns(headers, getattr(table, "hashtags", None))
    if vector:
        cols.lat, cols.lon = "__lat", "__lon"
    if not cols.levels:
        raise InputError(
            f"{label} has no place-name or P-code column (columns: {', '.join(headers)})",
            hint="name the columns as OCHA does (ADM4_EN, ADM4_AR, ADM4_PCODE …), or name, "
            "lat, lon, or add HXL tags (#loc+name, #adm1+code, #geo+lat)",
        )
    if cols.lat is None or cols.lon is None:
        raise InputError(
            f"{label} has no latitude/longitude columns (columns: {', '.join(headers)})",
            hint="add Latitude and Longitude columns in decimal degrees, or give the "
            "GeoPackage / shapefile with the places' geometry",
        )
    summary = ImportSummary(label, "vector" if vector else "table")
    levels = cols.levels
    n = len(frame)
    text = {c: frame[c].astype(str).str.strip().tolist() for c in _used(cols, frame)}
    lat = _numbers(text[cols.lat], 90.0)
    lon = _numbers(text[cols.lon], 180.0)
    polygon = (np.asarray(frame["__polygon"]) == "1") if vector else np.zeros(n, dtype=bool)
    country_col = text.get(cols.country) if cols.country else None
    builder = PlaceListBuilder()
    # Admin units named by the rows: pcode -> (level, names, country, admin1, members).
    units: dict[str, tuple[int, list[str], str, tuple[str, str], list[int]]] = {}
    own_codes: set[str] = set()
    kept: list[tuple[int, float, float]] = []
    for i in range(n):
        summary.rows += 1
        names_at = {lv: _split_names([text[c][i] for c in cols.names.get(lv, [])]) for lv in levels}
        code_at = {lv: text[cols.pcode[lv]][i].upper() if lv in cols.pcode else "" for lv in levels}
        deepest = max((lv for lv in levels if names_at[lv] or code_at[lv]), default=None)
        if deepest is None:
            summary.skip("no name or P-code")
            continue
        if np.isnan(lat[i]) or np.isnan(lon[i]):
            summary.skip(
                "no valid coordinate",
                Problem(
                    f"latitude {text[cols.lat][i]!r}, longitude {text[cols.lon][i]!r}: not "
                    "decimal degrees in range",
                    _location(label, lines, i, headers, cols.lat),
                    "write decimal degrees such as 34.747, 36.664",
                ),
            )
            continue
        names = names_at[deepest] or [code_at[deepest]]
        country = _country(country_col[i] if country_col else "", code_at)
        a1_names = names_at.get(1, [])
        builder.add(
            names,
            float(lat[i]),
            float(lon[i]),
            country=country,
            kind=_LEVEL_KIND[deepest],
            pcode=code_at[deepest],
            admin1_name=a1_names[0] if a1_names and deepest > 1 else "",
            admin1_pcode=code_at.get(1, "") if deepest > 1 else "",
            approximate=bool(polygon[i]),
        )
        if code_at[deepest]:
            own_codes.add(code_at[deepest])
        kept.append((i, float(lat[i]), float(lon[i])))
        row_pos = len(kept) - 1
        a1 = (a1_names[0] if a1_names else "", code_at.get(1, ""))
        for lv in levels:
            if lv < deepest and code_at[lv]:
                unit = units.setdefault(code_at[lv], (lv, names_at[lv], country, a1, []))
                unit[4].append(row_pos)
    for code, (lv, names, country, (a1_name, a1_code), members) in units.items():
        if code in own_codes:
            continue
        pts = np.array([(kept[m][1], kept[m][2]) for m in members])
        mid = pts.mean(axis=0)
        best = int(np.argmin(((pts - mid) ** 2).sum(axis=1)))
        builder.add(
            names or [code],
            float(pts[best, 0]),
            float(pts[best, 1]),
            country=country,
            kind=_LEVEL_KIND[lv],
            pcode=code,
            admin1_name=a1_name if lv > 1 else "",
            admin1_pcode=a1_code if lv > 1 else "",
            approximate=True,
        )
        summary.derived += 1
    summary.places, summary.names = len(builder), builder.n_names
    logger.info("%s", summary.describe())
    source = (
        f"{p.name}: place table; admin units without their own row are shown at the "
        "member place nearest their middle (approximate)"
    )
    return builder.finish(source=source), summary


def _used(cols: _Columns, frame: Any) -> list[str]:
    used = [c for names in cols.names.values() for c in names]
    used += list(cols.pcode.values())
    used += [c for c in (cols.lat, cols.lon, cols.country) if c]
    return [c for c in dict.fromkeys(used) if c in frame.columns]


def _split_names(values: Sequence[str]) -> list[str]:
    out: list[str] = []
    for v in values:
        for part in v.split("|") if "|" in v else [v]:
            part = part.strip()
            if part and part.lower() not in ("nan", "none", "null", "n/a", "na"):
                out.append(part)
    return list(dict.fromkeys(out))


def _numbers(values: Sequence[str], limit: float) -> np.ndarray[Any, np.dtype[np.float64]]:
    out = np.full(len(values), np.nan)
    for i, v in enumerate(values):
        try:
            x = float(v.replace(",", ".")) if v.count(",") == 1 and "." not in v else float(v)
        except ValueError:
            continue
        if np.isfinite(x) and -limit <= x <= limit:
            out[i] = x
    return out


def _country(value: str, codes: dict[int, str]) -> str:
    v = value.strip().upper()
    if len(v) == 2 and v.isalpha():
        return v
    for lv in (0, 1):
        c = codes.get(lv, "")
        if len(c) >= 2 and c[:2].isalpha():
            return c[:2]
    return ""


def _location(label: str, lines: Any, i: int, headers: Sequence[str], column: str) -> Any:
    from evacmap.errors import SourceLocation

    col = list(headers).index(column) + 1 if column in headers else None
    return SourceLocation(label, int(lines[i]), col)
