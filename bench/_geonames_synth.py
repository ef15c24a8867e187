"""A synthetic GeoNames country dump in the exact download format (19 tab-separated columns).

Used by ``bench/gazetteer_speed.py`` to measure a whole country's GeoNames (SY.txt holds
about 100,000 features) added to the gazetteer, without downloading anything. Names are
made of Arabic-looking syllables, with Latin alternate spellings and an Arabic-script
name, coordinates inside Syria's bounding box, feature classes in the proportions of a
real country file (mostly populated places, streams, hills, then admin units, camps).
"""

from __future__ import annotations

import random
from pathlib import Path

SYLLABLES = ("al", "ba", "da", "ra", "ya", "ka", "fa", "ma", "na", "sa", "ta", "ha", "za",
             "qa", "ja", "shi", "kha", "bu", "du", "ru", "mi", "ni", "li", "wa", "ghi")
ARABIC = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"
FEATURES = (
    ("P", "PPL", 45), ("P", "PPLX", 6), ("P", "PPLA3", 1), ("H", "WAD", 14), ("T", "HLL", 12),
    ("T", "MT", 6), ("S", "FRM", 5), ("L", "AREA", 3), ("A", "ADM3", 1), ("S", "CMPRF", 1),
    ("S", "PSTB", 1), ("H", "SPNG", 5),
)


def make_name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def write_dump(path: Path, n: int = 100_000, seed: int = 7, country: str = "SY") -> list[str]:
    """Write `n` features; return a few of the names written (for lookups)."""
    rng = random.Random(seed)
    codes = [(c, f) for c, f, w in FEATURES for _ in range(w)]
    sample = []
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for i in range(n):
            name = f"{make_name(rng)} {make_name(rng)}" if rng.random() < 0.4 else make_name(rng)
            alts = [name.replace("a", "e", 1), name.replace("u", "ou"),
                    "".join(rng.choice(ARABIC) for _ in range(rng.randint(3, 7)))]
            fclass, fcode = rng.choice(codes)
            pop = rng.choice((0, 0, 0, 0, rng.randint(50, 20000)))
            row = [str(20_000_000 + i), name, name, ",".join(alts),
                   f"{rng.uniform(32.3, 37.3):.5f}", f"{rng.uniform(35.7, 42.4):.5f}",
                   fclass, fcode, country, "", f"{rng.randint(1, 14):02d}", "", "", "",
                   str(pop), "", str(rng.randint(0, 1500)), "Asia/Damascus", "2024-01-01"]
            fh.write("\t".join(row) + "\n")
            if i % 10_000 == 0:
                sample.append(name)
    return sample


if __name__ == "__main__":
    import sys

    print(write_dump(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 100_000))
