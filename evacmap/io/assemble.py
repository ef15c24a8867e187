"""From rows to movements: the one assembly step every table reader shares.

A reader (CSV, spreadsheet, HXL, GeoJSON, GeoPackage) only produces a *rows frame*:
one text column per canonical column (see :mod:`evacmap.io.columns`) plus each row's
line. :func:`assemble` turns it into :class:`~evacmap.tables.FlowTables` and a list of
problems, with vectorised operations throughout (Python loops only over bad rows,
distinct place names and multi-destination cells):

1. Exact duplicate rows are reported, not counted twice.
2. Counts, bounds, kinds, dates and coordinates are parsed column by column; each bad
   cell is a problem at ``file:line:column`` with a hint.
3. Places: coordinates make points; names (any spelling, or an OCHA P-code) are
   resolved by the gazetteer with an explicit context — the file's distinct names
   (default), the names of the same source, none, or places given — never row order.
4. Rows become movements: rows sharing a ``movement`` id (or, without one, a group
   row and the one total row of the same route, kind, date, stage and source) form
   one movement. Conflicting routes, totals, dates or kinds within a movement,
   repeated groups and groups larger than the total are problems.
5. Every row ends up in a movement or among the problems; when a movement is
   rejected, each of its rows is listed with the reason.
6. The same convoy reported by different sources is merged (see
   :func:`evacmap.counting.merge_duplicates`).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from evacmap import counting
from evacmap._validate import (
    CellError,
    parse_coordinates,
    parse_count_kinds,
    parse_counts,
    parse_dates,
    point_ids,
)
from evacmap.errors import (
    AmbiguousPlaceError,
    GazetteerError,
    PlaceNotFoundError,
    Problem,
    SourceLocation,
)
from evacmap.flows import ReadSummary
from evacmap.model import Match, Place, PlaceKind
from evacmap.tables import FlowTables

if TYPE_CHECKING:  # pragma: no cover
    from evacmap.gazetteer import Gazetteer

__all__ = ["Context", "Rows", "assemble"]

logger = logging.getLogger(__name__)

#: How names are resolved together: per file, per source, alone, or near given places.
Context = Literal["file", "source", "none"] | Sequence[Place]

_SPLIT = re.compile(r"\s*[;|]\s*")
_PCODE = re.compile(r"^(?:[A-Z]{2}[0-9]{2,10}|C[0-9]{3,7})$")
_TEXT_COLUMNS = (
    "movement", "origin", "origin_lat", "origin_lon", "origin_country", "destination",
    "destination_lat", "destination_lon", "destination_country", "via", "count",
    "count_min", "count_max", "count_kind", "unit", "group", "groups", "date", "date_end",
    "stage", "operation", "source", "sources", "evidence", "country", "confidence",
)


@dataclass
class Rows:
    """A reader's rows, in canonical columns.

    Attributes
    ----------
    frame
        Text cells (``""`` where empty), one column per name of :data:`_TEXT_COLUMNS`
        the table has.
    lines
        The line (or feature number) of each row.
    source
        How the input is named in messages and evidence.
    positions
        Canonical column → its column number in the file (for ``file:line:column``).
    group_columns
        Group name → a column of ``frame`` holding that group's count.
    unit
        The unit the counts are in, when the header said so.
    problems
        Problems the reader found in rows: (row, column, message, hint).
    """

    frame: pd.DataFrame
    lines: np.ndarray
    source: str
    positions: dict[str, int] = field(default_factory=dict)
    group_columns: dict[str, str] = field(default_factory=dict)
    unit: str | None = None
    problems: list[tuple[int, str | None, str, str | None]] = field(default_factory=list)

    def cells(self, name: str) -> pd.Series:
        """The stripped text of canonical column `name` (empty strings when absent)."""
        cache = self.__dict__.setdefault("_cells", {})
        if name not in cache:
            if name in self.frame.columns:
                col = self.frame[name].astype("string[pyarrow]").fillna("").str.strip()
                cache[name] = col.reset_index(drop=True)
            else:
                key = ("", len(self.frame))
                if key not in cache:
                    import pyarrow as pa

                    empty = pa.repeat(pa.scalar("", pa.large_string()), len(self.frame))
                    cache[key] = pd.Series(pd.arrays.ArrowStringArray(empty))
                cache[name] = cache[key]
        return cache[name]


class _Problems:
    """Problems by row, collected as the assembly goes."""

    def __init__(self, rows: Rows) -> None:
        self.rows = rows
        self.items: list[tuple[int, str | None, str, str | None]] = []
        self.bad = np.zeros(len(rows.frame), dtype=bool)

    def add(self, row: int, column: str | None, message: str, hint: str | None = None) -> None:
        self.items.append((row, column, message, hint))
        self.bad[row] = True

    def cells(self, errors: dict[int, CellError], column: str) -> None:
        for row, exc in errors.items():
            self.add(row, column, f"{exc.message} (column {column!r})", exc.hint)

    def problems(self) -> list[Problem]:
        lines = self.rows.lines
        out = []
        for row, column, message, hint in sorted(self.items, key=lambda x: (int(lines[x[0]]), x[1] or "")):
            col = self.rows.positions.get(column) if column else None
            out.append(Problem(message, SourceLocation(self.rows.source, int(lines[row]), col), hint))
        return out


def _split_names(cell: str) -> list[str]:
    if cell.startswith("[") and cell.endswith("]"):
        try:
            value = json.loads(cell)
        except json.JSONDecodeError:
            value = None
        if isinstance(value, list):
            return [str(v).strip() for v in value if str(v).strip()]
    return [n for n in _SPLIT.split(cell) if n]


def _place_row(p: Place) -> dict[str, Any]:
    return {
        "id": p.id,
        "name": p.name,
        "lat": p.lat,
        "lon": p.lon,
        "kind": p.kind.value,
        "country": p.country,
        "admin1": p.admin1,
        "admin1_pcode": p.admin1_pcode or "",
        "pcode": p.pcode or "",
        "geonames_id": p.geonames_id,
        "approximate": p.approximate,
        "source": p.source,
    }


class _PlaceBook:
    """The places of the assembly by id, in the order they were added.

    Rows come one at a time (resolved names) or as whole frames (points given by coordinates);
    :meth:`frame` joins them once and keeps the result until the next addition.
    """

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self._parts: list[dict[str, Any] | pd.DataFrame] = []
        self._whole: pd.DataFrame | None = None

    def __len__(self) -> int:
        return len(self.index)

    def add(self, row: dict[str, Any]) -> int:
        pid = row["id"]
        known = self.index.get(pid)
        if known is None:
            known = self.index[pid] = len(self.index)
            self._parts.append(row)
            self._whole = None
        return known

    def add_frame(self, frame: pd.DataFrame) -> np.ndarray:
        """Add the rows whose id is new (the first of each); the index of every row's id."""
        ids = frame["id"]
        fresh = frame[~ids.isin(self.index.keys())].drop_duplicates("id")
        start = len(self.index)
        self.index.update(zip(fresh["id"].tolist(), range(start, start + len(fresh)), strict=True))
        if len(fresh):
            self._parts.append(fresh.reset_index(drop=True))
            self._whole = None
        return np.asarray(ids.map(self.index).to_numpy(), dtype=np.int64)

    def frame(self) -> pd.DataFrame:
        """Every place row, in index order (the places table of the assembly)."""
        if self._whole is None:
            chunks: list[pd.DataFrame] = []
            singles: list[dict[str, Any]] = []
            for part in self._parts:
                if isinstance(part, dict):
                    singles.append(part)
                    continue
                if singles:
                    chunks.append(pd.DataFrame(singles))
                    singles = []
                chunks.append(part)
            if singles:
                chunks.append(pd.DataFrame(singles))
            self._whole = pd.concat(chunks, ignore_index=True) if chunks else FlowTables.empty().places
        return self._whole

    def points(self) -> pd.DataFrame:
        """The places given by coordinates, with their index (column ``at``)."""
        whole = self.frame()
        at = np.flatnonzero((whole["kind"] == PlaceKind.POINT.value).to_numpy(dtype=bool))
        return whole.iloc[at].assign(at=at)


def _coordinate_places(
    rows: Rows, side: str, book: _PlaceBook, problems: _Problems
) -> tuple[np.ndarray, np.ndarray]:
    """Place rows of points given by coordinates (-1 where none), and which rows gave any."""
    n = len(rows.frame)
    lat_c, lon_c = rows.cells(f"{side}_lat"), rows.cells(f"{side}_lon")
    lat, lat_bad = parse_coordinates(lat_c, axis="lat")
    lon, lon_bad = parse_coordinates(lon_c, axis="lon")
    problems.cells(lat_bad, f"{side}_lat")
    problems.cells(lon_bad, f"{side}_lon")
    given = (lat_c != "") | (lon_c != "")
    half = (lat_c != "") ^ (lon_c != "")
    for row in np.flatnonzero(half.to_numpy()).tolist():
        missing = f"{side}_lat" if lat_c.iloc[row] == "" else f"{side}_lon"
        problems.add(row, missing, f"`{missing}` is empty but its partner is not",
                     "give both latitude and longitude, or neither")
    ok = (lat.notna() & lon.notna()).to_numpy()
    out = np.full(n, -1, dtype=np.int64)
    if not ok.any():
        return out, given.to_numpy()
    idx = np.flatnonzero(ok)
    names = rows.cells(side).iloc[idx].reset_index(drop=True)
    la = lat.iloc[idx].round(6).to_numpy()
    lo = lon.iloc[idx].round(6).to_numpy()
    country = rows.cells(f"{side}_country").iloc[idx].reset_index(drop=True)
    country = country.where(country != "", rows.cells("country").iloc[idx].reset_index(drop=True)).str.upper()
    # One place per distinct (name, lat, lon): ids are made for the distinct ones only.
    key = pd.DataFrame({"name": names, "lat": la, "lon": lo})
    code = key.groupby(["name", "lat", "lon"], sort=False).ngroup().to_numpy()
    first = np.unique(code, return_index=True)[1]
    la_f, lo_f = la[first], lo[first]
    first_names = names.iloc[first].astype(str).to_numpy(dtype=object)
    unnamed = first_names == ""
    if unnamed.any():
        first_names[unnamed] = np.char.add(np.char.add(np.char.mod("%.4f", la_f[unnamed]), ", "),
                                           np.char.mod("%.4f", lo_f[unnamed]))
    ids = point_ids(first_names, la_f, lo_f)
    lines = pd.Series(rows.lines[idx[first]]).astype(np.int64).astype(str)
    points = pd.DataFrame({
        "id": ids, "name": first_names, "lat": la_f.astype(float), "lon": lo_f.astype(float),
        "kind": PlaceKind.POINT.value, "country": country.iloc[first].astype(str).to_numpy(dtype=object),
        "admin1": "", "admin1_pcode": "", "pcode": "", "geonames_id": None, "approximate": False,
        "source": f"coordinates given in {rows.source}:" + lines,
    })
    rows_of_code = book.add_frame(points)
    out[idx] = rows_of_code[code]
    return out, given.to_numpy()


class _Near(list):  # type: ignore[type-arg]
    """The points given by coordinates, as Places, made only when names need them."""

    def __init__(self, book: _PlaceBook) -> None:
        super().__init__()
        self._book = book
        self._made = False

    def made(self) -> list[Place]:
        if not self._made:
            pts = self._book.points()
            self.extend(
                Place(str(n), float(la), float(lo), country=str(c), id=str(i))
                for n, la, lo, c, i in zip(pts["name"], pts["lat"], pts["lon"], pts["country"], pts["id"], strict=True)
            )
            self._made = True
        return list(self)


def _place_problem(side: str, name: str, err: GazetteerError) -> tuple[str, str]:
    coords = f"or give {side}_lat and {side}_lon"
    if isinstance(err, AmbiguousPlaceError):
        options = "; ".join(c.place.label for c in err.candidates[:4])
        return (f"{side} {name!r} is ambiguous: {options}",
                f"add a country (--country, a `{side}_country` column, or '{name}, Country'), {coords}")
    if isinstance(err, PlaceNotFoundError) and err.suggestions:
        return (f"{side} {name!r} is not in the gazetteer",
                f"did you mean {' or '.join(repr(s) for s in err.suggestions[:3])}? "
                f"Otherwise {coords}, or add the place with --places FILE")
    return (f"{side} {name!r} is not in the gazetteer",
            f"check the spelling, {coords}, or add the place with --places FILE")


def _resolve(
    wanted: pd.DataFrame,
    gazetteer: Gazetteer,
    country: str | None,
    context: Context,
    near: list[Place],
) -> dict[tuple[str, str, str], Match | GazetteerError]:
    """Answers for the distinct (name, country hint, context group) triples of `wanted`."""
    distinct = wanted[["name", "hint", "group"]].drop_duplicates().sort_values(["group", "name", "hint"])
    answers: dict[tuple[str, str, str], Match | GazetteerError] = {}
    pcode = distinct["name"].str.fullmatch(_PCODE.pattern)
    for name, hint, group in distinct[pcode].itertuples(index=False):
        try:
            answers[(name, hint, group)] = Match(name, _candidate(gazetteer.get(name)))
        except GazetteerError as exc:
            answers[(name, hint, group)] = exc
    rest = distinct[~pcode]
    given = list(context) if not isinstance(context, str) else []
    if context == "none":
        for name, hint, group in rest.itertuples(index=False):
            try:
                answers[(name, hint, group)] = gazetteer.geocode(name, country=hint or country)
            except GazetteerError as exc:
                answers[(name, hint, group)] = exc
        return answers
    for group, part in rest.groupby("group", sort=True):
        names = part["name"].tolist()
        hints = [h or None for h in part["hint"].tolist()]
        near_places = near.made() if isinstance(near, _Near) else list(near)
        results = gazetteer.geocode_many(names, country=country, countries=hints, near=near_places + given)
        for name, hint, res in zip(names, part["hint"].tolist(), results, strict=True):
            answers[(name, hint, str(group))] = res
    return answers


def _candidate(place: Place) -> Any:
    from evacmap.model import Candidate

    return Candidate(place, 1.0, "id", place.pcode or place.id)


@dataclass
class _SideNames:
    """The names of one side (origin, destination, via), coded by distinct triple."""

    side: str
    rows: np.ndarray  # row of each name
    order: np.ndarray  # position of the name in its cell
    code: np.ndarray  # index into `distinct`
    distinct: list[tuple[str, str, str]]  # (name, country hint, context group)


def _factorize(values: pd.Series) -> tuple[np.ndarray, list[str]]:
    codes, uniques = pd.factorize(values)
    return np.asarray(codes, dtype=np.int64), [str(u) for u in uniques]


def _wanted(rows: Rows, side: str, skip: np.ndarray, context: Context) -> _SideNames:
    """Every name of `side` in the rows, coded by distinct (name, hint, group)."""
    cells = rows.cells(side)
    idx = np.flatnonzero(((cells != "").to_numpy(dtype=bool)) & ~skip)
    hint = _hints(rows, side)
    groups = rows.cells("source") if context == "source" else None
    if not len(idx):
        return _SideNames(side, idx, idx, idx, [])
    sub = cells.iloc[idx]
    multi = (
        np.zeros(len(idx), dtype=bool)
        if side == "origin"
        else sub.str.contains(r"[;|]|^\[", regex=True).fillna(False).to_numpy(dtype=bool)
    )
    # One name per cell (the usual case): coded in arrow, without Python strings per row.
    single = idx[~multi]
    n_codes, n_uni = _factorize(cells.iloc[single])
    h_codes, h_uni = _factorize(hint.iloc[single])
    if groups is not None:
        g_codes, g_uni = _factorize(groups.iloc[single])
    else:
        g_codes, g_uni = np.zeros(len(single), dtype=np.int64), [""]
    combo = (n_codes * len(h_uni) + h_codes) * len(g_uni) + g_codes
    uniq, code = np.unique(combo, return_inverse=True)
    distinct = []
    for c in uniq.tolist():
        rest, g = divmod(c, len(g_uni))
        n_, h = divmod(rest, len(h_uni))
        distinct.append((n_uni[n_], h_uni[h], g_uni[g]))
    out_rows, out_order, out_code = [single], [np.zeros(len(single), dtype=np.int64)], [code.astype(np.int64)]
    if multi.any():
        lookup = {t: k for k, t in enumerate(distinct)}
        hints_l = hint.to_numpy(dtype=object)
        groups_l = groups.to_numpy(dtype=object) if groups is not None else None
        m_rows, m_order, m_code = [], [], []
        for r, cell in zip(idx[multi].tolist(), sub[multi].tolist(), strict=True):
            for k, name in enumerate(_split_names(cell)):
                t = (name, str(hints_l[r]), str(groups_l[r]) if groups_l is not None else "")
                if t not in lookup:
                    lookup[t] = len(distinct)
                    distinct.append(t)
                m_rows.append(r)
                m_order.append(k)
                m_code.append(lookup[t])
        out_rows.append(np.asarray(m_rows, dtype=np.int64))
        out_order.append(np.asarray(m_order, dtype=np.int64))
        out_code.append(np.asarray(m_code, dtype=np.int64))
    r_all = np.concatenate(out_rows)
    order = np.argsort(r_all, kind="stable")
    return _SideNames(
        side, r_all[order], np.concatenate(out_order)[order], np.concatenate(out_code)[order], distinct
    )


def _hints(rows: Rows, side: str) -> pd.Series:
    """The country hint of each row for names of `side`."""
    if side != "via":
        hint_side = rows.cells(f"{side}_country")
        return hint_side.where(hint_side != "", rows.cells("country")).str.upper()
    return rows.cells("country").str.upper()


def _named_places(
    rows: Rows,
    skips: dict[str, np.ndarray],
    book: _PlaceBook,
    problems: _Problems,
    gazetteer: Gazetteer | None,
    country: str | None,
    context: Context,
    near: list[Place],
) -> dict[str, pd.DataFrame]:
    """(row, order, place) per side, all names of the input resolved together.

    Each distinct (name, country hint, context group) is resolved once.
    """
    sides = [_wanted(rows, side, skip, context) for side, skip in skips.items()]
    every: dict[tuple[str, str, str], int] = {}
    for sn in sides:
        for t in sn.distinct:
            every.setdefault(t, len(every))
    distinct = pd.DataFrame(list(every), columns=["name", "hint", "group"]) if every else (
        pd.DataFrame({"name": [], "hint": [], "group": []}, dtype=object))
    keys = list(every)
    # A name given with coordinates in another row of the input means that point.
    lookup: dict[str, int] = {}
    if keys:
        pts = book.points()
        names = pts["name"].astype(str).str.strip().str.casefold()
        once = ~names.duplicated(keep=False)  # a name given at two points means neither
        lookup = dict(zip(names[once].tolist(), pts["at"][once].tolist(), strict=True))
    place_of = np.array([lookup.get(n.strip().casefold(), -1) for n, _, _ in keys], dtype=np.int64)
    elsewhere = distinct[place_of < 0]
    answers: dict[tuple[str, str, str], Match | GazetteerError] = {}
    if len(elsewhere):
        if gazetteer is None:
            from evacmap.gazetteer import default_gazetteer

            gazetteer = default_gazetteer()
        answers = _resolve(elsewhere, gazetteer, country, context, near)
    for k in np.flatnonzero(place_of < 0).tolist():
        res = answers[keys[k]]
        if isinstance(res, Match):
            place_of[k] = book.add(_place_row(res.place))
    out = {}
    for sn in sides:
        to_global = np.array([every[t] for t in sn.distinct], dtype=np.int64)
        gcode = to_global[sn.code] if len(sn.code) else np.zeros(0, dtype=np.int64)
        place = place_of[gcode]
        for i in np.flatnonzero(place < 0).tolist():
            key = keys[gcode[i]]
            res = answers[key]
            assert isinstance(res, GazetteerError)
            what = "waypoint" if sn.side == "via" else sn.side
            message, hint_text = _place_problem(what, key[0], res)
            problems.add(int(sn.rows[i]), sn.side, message, hint_text)
        out[sn.side] = pd.DataFrame({"row": sn.rows, "order": sn.order, "place": place}).astype(np.int64)
    return out


def _json_list(cell: str) -> list[str] | None:
    try:
        value = json.loads(cell)
    except json.JSONDecodeError:
        return None
    return [str(v) for v in value] if isinstance(value, list) else None


def _day(dates: pd.Series) -> pd.Series:
    """ISO days as text, ``""`` where unknown (never a missing value in keys)."""
    return dates.dt.strftime("%Y-%m-%d").fillna("").astype(object)


def _day_code(dates: pd.Series) -> np.ndarray:
    """Days as integers (a sentinel where unknown), for comparing rows cheaply."""
    return np.asarray(dates.to_numpy(dtype="datetime64[s]").astype(np.int64))


def _row_keys(links: pd.DataFrame, n: int, order: str) -> np.ndarray:
    """Per row, its linked places as one text key (vectorised for one place per row)."""
    key = np.full(n, "", dtype=object)
    if not len(links):
        return key
    ordered = links.sort_values(["row", order], kind="stable")
    rows_ = ordered["row"].to_numpy()
    places = ordered["place"].to_numpy()
    size = np.bincount(rows_, minlength=n)
    one = size[rows_] == 1
    key[rows_[one]] = places[one].astype(str)
    for r in np.flatnonzero(size > 1).tolist():
        key[r] = ",".join(map(str, places[rows_ == r].tolist()))
    return key


def assemble(
    rows: Rows,
    *,
    gazetteer: Gazetteer | None = None,
    country: str | None = None,
    context: Context = "file",
    merge: bool = True,
) -> tuple[FlowTables, list[Problem], ReadSummary]:
    """Turn a reader's rows into flow tables and the problems of the rows left out.

    Parameters
    ----------
    rows
        The rows, in canonical columns.
    gazetteer
        Resolves place names (the default world gazetteer when needed and not given).
    country
        A country hint for every name.
    context
        How names are resolved together: ``"file"`` (the input's distinct names,
        whatever their order), ``"source"`` (names of the same ``source`` value),
        ``"none"`` (each name alone), or places known to be nearby.
    merge
        Whether to merge the same convoy reported by different sources.

    Returns
    -------
    tables : FlowTables
        The movements of the good rows.
    problems : list of Problem
        One or more per row left out, by location; empty when every row was used.
    summary : ReadSummary
        Rows, movements, duplicates merged, rows rejected.
    """
    frame = rows.frame.reset_index(drop=True)
    n = len(frame)
    problems = _Problems(rows)
    for row, column, message, hint in rows.problems:
        problems.add(row, column, message, hint)
    # 1. Exact duplicate rows: every cell the same as an earlier row.
    if n:
        dup = frame.duplicated(keep="first").to_numpy()
        if dup.any():
            firsts = frame.groupby(list(frame.columns), dropna=False, sort=False).ngroup().to_numpy()
            first_line = pd.Series(rows.lines).groupby(firsts).transform("first").to_numpy()
            for row in np.flatnonzero(dup).tolist():
                problems.add(row, None, f"the same row as line {int(first_line[row])}",
                             "remove the repeated row; give the rows different `movement` ids "
                             "if they are two movements")
    dup_rows = problems.bad.copy()
    # 2. Cells.
    count, bad = parse_counts(rows.cells("count"))
    problems.cells(bad, "count")
    count_min, bad = parse_counts(rows.cells("count_min"))
    problems.cells(bad, "count_min")
    count_max, bad = parse_counts(rows.cells("count_max"))
    problems.cells(bad, "count_max")
    kind, bad = parse_count_kinds(rows.cells("count_kind"))
    problems.cells(bad, "count_kind")
    start, end, bad = parse_dates(rows.cells("date"))
    problems.cells(bad, "date")
    if "date_end" in frame.columns:
        _, end2, bad = parse_dates(rows.cells("date_end"))
        problems.cells(bad, "date_end")
        end = end2.where(end2.notna(), end)
    unit = rows.cells("unit").str.casefold().replace("", rows.unit or "people")
    group = rows.cells("group")
    lo_hi = (count_min > count_max).fillna(False).to_numpy()
    for row in np.flatnonzero(lo_hi).tolist():
        problems.add(row, "count_min", f"`count_min` {count_min.iloc[row]} is more than `count_max` {count_max.iloc[row]}",
                     "swap them, or fix the one that is wrong")
    outside = ((count < count_min) | (count > count_max)).fillna(False).to_numpy()
    for row in np.flatnonzero(outside).tolist():
        problems.add(row, "count", f"`count` {count.iloc[row]} lies outside its bounds "
                     f"[{count_min.iloc[row]}, {count_max.iloc[row]}]", "fix the count or the bounds")
    confidence = pd.to_numeric(rows.cells("confidence").replace("", None), errors="coerce")
    # 3. Places.
    book = _PlaceBook()
    skip = dup_rows
    o_point, o_given = _coordinate_places(rows, "origin", book, problems)
    d_point, d_given = _coordinate_places(rows, "destination", book, problems)
    near = _Near(book)
    named = _named_places(
        rows,
        {"origin": skip | o_given, "destination": skip | d_given, "via": skip},
        book, problems, gazetteer, country, context, near,
    )
    names_o, names_d, via = named["origin"], named["destination"], named["via"]
    origin = o_point.copy()
    multi_origin = names_o.groupby("row").size()
    for row in multi_origin[multi_origin > 1].index.tolist():
        problems.add(int(row), "origin", "a movement has one origin; this cell names several",
                     "put each origin in its own row")
    first_o = names_o.drop_duplicates("row")
    origin[first_o["row"].to_numpy()] = first_o["place"].to_numpy()
    dests = pd.concat(
        [names_d, pd.DataFrame({"row": np.flatnonzero(d_point >= 0), "order": 0, "place": d_point[d_point >= 0]})],
        ignore_index=True,
    )
    failed_place = np.zeros(n, dtype=bool)
    failed_place[names_o.loc[names_o["place"] < 0, "row"].to_numpy()] = True
    failed_place[dests.loc[dests["place"] < 0, "row"].to_numpy()] = True
    failed_place[via.loc[via["place"] < 0, "row"].to_numpy()] = True
    dests = dests[dests["place"] >= 0]
    via = via[via["place"] >= 0]
    no_end = (origin < 0) & ~np.isin(np.arange(n), dests["row"].to_numpy()) & ~failed_place & ~problems.bad
    for row in np.flatnonzero(no_end).tolist():
        problems.add(row, "origin", "the row names neither an origin nor a destination",
                     "name the place people left or reached, or give its _lat and _lon")
    # 4. Rows into movements. Without group rows or movement ids, each row is one.
    mid = rows.cells("movement")
    is_group = (group != "").to_numpy()
    if not is_group.any() and not (mid != "").any():
        code = np.arange(n, dtype=np.int64)
        n_mov = n
        route = pd.Series(np.full(n, "", dtype=object))
    else:
        dest_key = _row_keys(dests, n, "place")
        via_key = _row_keys(via, n, "order")
        route = pd.Series(origin.astype(str), dtype=object) + ">" + dest_key + "~" + via_key
        natural = (
            route + "|" + kind.fillna("").astype(str) + "|" + unit + "|" + _day(start) + "|"
            + _day(end) + "|" + rows.cells("stage") + "|" + rows.cells("source")
        )
        key = np.where(mid != "", "id:" + mid, "row:" + natural)
        key_s = pd.Series(key)
        # Total rows without a movement id stand alone (their group rows join them when
        # there is exactly one such total row).
        totals_per_key = key_s[~is_group].value_counts()
        n_totals = key_s.map(totals_per_key).fillna(0).astype(int).to_numpy()
        standalone = (mid == "").to_numpy() & ~is_group
        key = np.where(standalone, key + "#" + np.arange(n).astype(str), key)
        ambiguous = (mid == "").to_numpy() & is_group & (n_totals > 1)
        for row in np.flatnonzero(ambiguous).tolist():
            problems.add(row, "group", "this group row matches several total rows of the same route, date and source",
                         "give the rows of each movement the same `movement` id")
        attach = (mid == "").to_numpy() & is_group & (n_totals == 1)
        if attach.any():
            total_key = pd.Series(np.arange(n)[~is_group & (mid == "").to_numpy()], index=key_s[~is_group & (mid == "").to_numpy()].to_numpy())
            total_key = total_key[~total_key.index.duplicated()]
            targets = total_key.reindex(key_s[attach].to_numpy()).to_numpy()
            key[attach] = key[targets]
        code = pd.factorize(pd.Series(key))[0]
        n_mov = int(code.max()) + 1 if n else 0
    # Rows with a problem of their own leave their movement, or take it with them.
    cell_bad = problems.bad & ~dup_rows
    route_s = pd.Series(route.to_numpy(), dtype=object)
    frame_m = pd.DataFrame({
        "code": code, "route": route_s.to_numpy(), "kind": kind.fillna("").astype(str).to_numpy(),
        "unit": unit.to_numpy(), "start": _day_code(start), "end": _day_code(end),
        "stage": rows.cells("stage").to_numpy(), "is_group": is_group,
        "count": count, "count_min": count_min, "count_max": count_max,
        "group": group.to_numpy(), "line": rows.lines, "bad": cell_bad, "dup": dup_rows,
        "failed_place": failed_place,
    })
    live = frame_m[~frame_m["dup"]]
    reject_movement = np.zeros(n_mov, dtype=bool)
    reasons: dict[int, str] = {}

    def reject(codes: np.ndarray, reason: str) -> None:
        for c in np.unique(codes).tolist():
            if not reject_movement[c]:
                reject_movement[c] = True
                reasons[c] = reason

    # A bad total row, or a place that did not resolve, takes its movement with it.
    for c, line in live[live["bad"] & (~live["is_group"] | live["failed_place"])][["code", "line"]].itertuples(index=False):
        reject(np.array([c]), f"line {line} of the same movement was rejected")
    # Conflicts inside one movement (only movements of several rows can have any).
    good = live[~live["bad"]]
    sizes = good["code"].value_counts()
    several = good[good["code"].isin(sizes[sizes > 1].index)]

    def first_label(c: int) -> str:
        label = mid.iloc[int(several.index[several["code"] == c][0])]
        return f"movement {label!r}" if label else "one movement"

    if len(several):
        nun = several.groupby("code")[["route", "kind", "unit", "start", "end"]].nunique(dropna=False)
        for col, what in (("route", "routes"), ("kind", "count kinds"), ("unit", "units"),
                          ("start", "dates"), ("end", "dates")):
            for c in nun.index[nun[col] > 1].tolist():
                lines = several.loc[several["code"] == c, ["line", col]].drop_duplicates(col)
                listed = " and ".join(f"line {ln}" for ln in lines["line"].tolist()[:3])
                reject(np.array([c]), f"{first_label(c)} has different {what} on {listed}")
    totals_rows = good[~good["is_group"]]
    t_sizes = totals_rows["code"].value_counts()
    multi_total = totals_rows[totals_rows["code"].isin(t_sizes[t_sizes > 1].index)]
    if len(multi_total):
        nt = multi_total.groupby("code")[["count", "count_min", "count_max"]].nunique(dropna=False)
        for c in nt.index[(nt > 1).any(axis=1)].tolist():
            lines = multi_total.loc[multi_total["code"] == c, "line"].tolist()[:3]
            label = mid.iloc[int(multi_total.index[multi_total["code"] == c][0])]
            reject(np.array([c]), f"movement {label!r} has different totals on "
                   + " and ".join(f"line {ln}" for ln in lines))
    grows = good[good["is_group"]]
    gdup = grows.duplicated(["code", "group"], keep="first")
    for row in grows.index[gdup].tolist():
        first = grows[(grows["code"] == grows.at[row, "code"]) & (grows["group"] == grows.at[row, "group"])]["line"].iloc[0]
        problems.add(row, "group", f"group {grows.at[row, 'group']!r} is given twice for this movement "
                     f"(first on line {first}); it is not added twice", "remove one of the rows")
    grows = grows[~gdup]
    # Wide group columns (count_fighters, #affected+f).
    wide: list[pd.DataFrame] = []
    for gname, col in rows.group_columns.items():
        values, bad = parse_counts(rows.cells(col) if col in frame.columns else pd.Series([""] * n))
        problems.cells(bad, col)
        has = values.notna().to_numpy() & ~problems.bad
        wide.append(pd.DataFrame({"code": code[has], "group": gname, "count": values[has].to_numpy(), "row": np.flatnonzero(has)}))
    group_table = pd.concat(
        [pd.DataFrame({"code": grows["code"].to_numpy(), "group": grows["group"].to_numpy(),
                       "count": grows["count"].to_numpy(), "row": grows.index.to_numpy()}), *wide],
        ignore_index=True,
    )
    gsum = group_table.groupby("code")["count"].sum(min_count=1)
    total_of = totals_rows.drop_duplicates("code").set_index("code")["count"]
    over = (gsum > total_of.reindex(gsum.index)).fillna(False)
    for c in over[over].index.tolist():
        reject(np.array([c]), f"its groups add up to {int(gsum[c]):,}, more than its total "
               f"{int(total_of[c]):,}: a group breakdown is part of the count")
    # Every row of a rejected movement is listed.
    rejected_rows = reject_movement[code] & ~problems.bad & ~dup_rows
    for row in np.flatnonzero(rejected_rows).tolist():
        problems.add(row, None, reasons[code[row]], "fix the movement's rows, then read the table again")
    keep = ~problems.bad
    # 5. Tables.
    used = keep.copy()
    head = pd.DataFrame({"code": code, "row": np.arange(n), "is_group": is_group})[used]
    head = head.sort_values(["code", "is_group", "row"]).drop_duplicates("code")
    head_rows = head["row"].to_numpy()
    movement_codes = head["code"].to_numpy()
    new_id = np.full(n_mov, -1, dtype=np.int64)
    new_id[movement_codes] = np.arange(len(movement_codes))
    has_total = ~head["is_group"].to_numpy()
    g_keep = group_table[keep[group_table["row"].to_numpy()]]
    group_sum = g_keep.groupby("code")["count"].sum(min_count=1).reindex(movement_codes)
    m_count = count.iloc[head_rows].where(has_total).reset_index(drop=True)
    m_min = count_min.iloc[head_rows].reset_index(drop=True)
    # Group rows alone: people known are at least their sum (never an invented total).
    m_min = m_min.where(has_total | m_min.notna(), group_sum.reset_index(drop=True))
    ids = mid.iloc[head_rows].reset_index(drop=True)
    if (ids == "").any():
        # A movement without an id is named by where it starts: file:line.
        where = pd.Series(rows.lines[head_rows]).astype("string[pyarrow]")
        ids = ids.where(ids != "", rows.source + ":" + where)
    mov = pd.DataFrame({
        "id": ids.to_numpy(),
        "origin": origin[head_rows],
        "count": m_count.to_numpy(),
        "count_min": m_min.astype("Int64").to_numpy(),
        "count_max": count_max.iloc[head_rows].to_numpy(),
        "kind": kind.iloc[head_rows].fillna("reported").to_numpy(),
        "unit": unit.iloc[head_rows].to_numpy(),
        "date_start": start.iloc[head_rows].to_numpy(),
        "date_end": end.iloc[head_rows].to_numpy(),
        "stage": rows.cells("stage").iloc[head_rows].to_numpy(),
        "operation": rows.cells("operation").iloc[head_rows].to_numpy(),
        "confidence": confidence.iloc[head_rows].to_numpy(),
    })
    head_of_code = pd.Series(head_rows, index=movement_codes)
    d_sel = dests[dests["row"].isin(head_rows)]
    w_sel = via[via["row"].isin(head_rows)]
    m_of_row = np.full(n, -1, dtype=np.int64)
    m_of_row[head_rows] = new_id[code[head_rows]]
    kept_rows = np.flatnonzero(keep)
    srcs = rows.cells("source")
    src_table = pd.DataFrame({"movement": new_id[code[kept_rows]], "source": srcs.iloc[kept_rows].to_numpy()})
    src_table = src_table[src_table["source"] != ""]
    if "sources" in frame.columns:
        extra = [(new_id[code[r]], s) for r in kept_rows.tolist() for s in (_json_list(rows.cells("sources").iloc[r]) or [])]
        src_table = pd.concat([src_table, pd.DataFrame(extra, columns=["movement", "source"])], ignore_index=True)
    evidence = pd.DataFrame({
        "movement": new_id[code[kept_rows]],
        "source": rows.source,
        "line": rows.lines[kept_rows],
        "text": rows.cells("evidence").iloc[kept_rows].to_numpy(),
    })
    if "groups" in frame.columns:
        objs: list[tuple[int, str, int, int]] = []
        for r in kept_rows.tolist():
            cell = rows.cells("groups").iloc[r]
            try:
                value = json.loads(cell) if cell else {}
            except json.JSONDecodeError:
                value = {}
            if isinstance(value, dict):
                objs.extend((code[r], str(g), int(v), r) for g, v in value.items() if isinstance(v, int))
        if objs:
            g_keep = pd.concat([g_keep, pd.DataFrame(objs, columns=["code", "group", "count", "row"])], ignore_index=True)
    tables = FlowTables.build(
        book.frame(),
        mov,
        pd.DataFrame({"movement": m_of_row[d_sel["row"].to_numpy()], "order": d_sel["order"].to_numpy(), "place": d_sel["place"].to_numpy()}),
        pd.DataFrame({"movement": m_of_row[w_sel["row"].to_numpy()], "order": w_sel["order"].to_numpy(), "place": w_sel["place"].to_numpy()}),
        pd.DataFrame({"movement": new_id[g_keep["code"].to_numpy().astype(np.int64)], "group": g_keep["group"].to_numpy(), "count": g_keep["count"].to_numpy()}),
        src_table,
        evidence,
    )
    del head_of_code
    # Places no movement uses (of rejected rows) are dropped.
    used = np.zeros(len(tables.places) + 1, dtype=bool)
    used[tables.movements["origin"].to_numpy()] = True  # -1 marks the spare last slot
    used[tables.destinations["place"].to_numpy()] = True
    used[tables.waypoints["place"].to_numpy()] = True
    if not used[:-1].all():
        tables = tables.take(np.ones(len(tables.movements), dtype=bool))
    merged = 0
    if merge:
        tables, merged = counting.merge_duplicates(tables)
    problem_list = problems.problems()
    rejected_rows_n = int(problems.bad.sum())
    summary = ReadSummary(rows=n, movements=len(tables.movements), merged=merged, rejected=rejected_rows_n)
    logger.info("%s: %s", rows.source, summary)
    return tables, problem_list, summary
