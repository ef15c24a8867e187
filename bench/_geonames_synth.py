"""Synthetic place lists in the exact download formats, for the benchmarks.

* :func:`write_dump`: a GeoNames country dump (19 tab-separated columns), one country;
* :func:`write_region_dump`: an ``allCountries``-style dump of the region (Syria,
  Lebanon, Turkey, Jordan, Iraq), each country in its own bounding box;
* :func:`write_ocha_table`: an OCHA COD populated-places table (``ADM0_EN`` …
  ``ADM4_PCODE``, ``Latitude``, ``Longitude``) with P-codes.

Used by ``bench/gazetteer_speed.py`` to measure the gazetteer with a realistic amount
of the analyst's own data added, without downloading anything. Names are made of
Arabic-looking syllables, with Latin alternate spellings and an Arabic-script name;
feature classes come in the proportions of a real country file (mostly populated
places, streams, hills, then admin units, camps). None of it is real: the sizes and
shares are the benchmark's choice, not GeoNames' or OCHA's figures.
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
#: The region's countries: (ISO code, share of the synthetic rows, lat range, lon range,
#: time zone). The shares are the benchmark's choice.
REGION = (
    ("SY", 0.25, (32.3, 37.3), (35.7, 42.4), "Asia/Damascus"),
    ("LB", 0.05, (33.05, 34.69), (35.1, 36.62), "Asia/Beirut"),
    ("TR", 0.40, (36.0, 42.1), (26.0, 44.8), "Europe/Istanbul"),
    ("JO", 0.08, (29.2, 33.37), (34.96, 39.3), "Asia/Amman"),
    ("IQ", 0.22, (29.06, 37.38), (38.79, 48.57), "Asia/Baghdad"),
)
#: Probe names: one per 10,000 rows is written with this suffix, so that it is a name
#: only the synthetic file holds (no real place is called "...-synth").
PROBE_SUFFIX = "synth"


def make_name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def _row(rng: random.Random, gid: int, name: str, country: str, lat: tuple[float, float],
         lon: tuple[float, float], tz: str, codes: list[tuple[str, str]]) -> str:
    alts = [name.replace("a", "e", 1), name.replace("u", "ou"),
            "".join(rng.choice(ARABIC) for _ in range(rng.randint(3, 7)))]
    fclass, fcode = rng.choice(codes)
    pop = rng.choice((0, 0, 0, 0, rng.randint(50, 20000)))
    return "\t".join([
        str(gid), name, name, ",".join(alts), f"{rng.uniform(*lat):.5f}",
        f"{rng.uniform(*lon):.5f}", fclass, fcode, country, "", f"{rng.randint(1, 14):02d}",
        "", "", "", str(pop), "", str(rng.randint(0, 1500)), tz, "2024-01-01",
    ])


def write_dump(path: Path, n: int = 100_000, seed: int = 7, country: str = "SY") -> list[str]:
    """Write `n` features of one country; return a few of the names written (for lookups)."""
    rng = random.Random(seed)
    codes = [(c, f) for c, f, w in FEATURES for _ in range(w)]
    sample = []
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for i in range(n):
            name = f"{make_name(rng)} {make_name(rng)}" if rng.random() < 0.4 else make_name(rng)
            fh.write(_row(rng, 20_000_000 + i, name, country, (32.3, 37.3), (35.7, 42.4),
                          "Asia/Damascus", codes) + "\n")
            if i % 10_000 == 0:
                sample.append(name)
    return sample


def write_region_dump(path: Path, n: int = 250_000, seed: int = 11) -> dict[str, int]:
    """Write an ``allCountries``-style dump of `n` features of the region.

    Every 10,000th row is a probe: a two-word name ending in :data:`PROBE_SUFFIX` that
    no other place has.

    Returns
    -------
    dict
        Probe name -> its GeoNames id.
    """
    rng = random.Random(seed)
    codes = [(c, f) for c, f, w in FEATURES for _ in range(w)]
    probes: dict[str, int] = {}
    gid = 30_000_000
    with path.open("w", encoding="utf-8", newline="\n") as fh:
        for iso, share, lat, lon, tz in REGION:
            for _ in range(round(n * share)):
                gid += 1
                if gid % 10_000 == 0:
                    name = f"{make_name(rng)} {make_name(rng)}{PROBE_SUFFIX}"
                    probes[name] = gid
                elif rng.random() < 0.4:
                    name = f"{make_name(rng)} {make_name(rng)}"
                else:
                    name = make_name(rng)
                fh.write(_row(rng, gid, name, iso, lat, lon, tz, codes) + "\n")
    return probes


OCHA_HEADER = ("ADM0_EN,ADM0_AR,ADM0_PCODE,ADM1_EN,ADM1_AR,ADM1_PCODE,ADM2_EN,ADM2_AR,"
               "ADM2_PCODE,ADM3_EN,ADM3_AR,ADM3_PCODE,ADM4_EN,ADM4_AR,ADM4_PCODE,"
               "Longitude,Latitude")


def write_ocha_table(path: Path, n: int = 7_000, seed: int = 13) -> dict[str, str]:
    """Write an OCHA-style populated-places table of `n` communities of Syria.

    Fourteen governorates, about five districts each, about four sub-districts per
    district; communities get P-codes ``C`` + a number (the COD style). Every 1,000th
    community is a probe whose English name ends in :data:`PROBE_SUFFIX`.

    Returns
    -------
    dict
        Probe English name -> its P-code.
    """
    rng = random.Random(seed)
    lat_range, lon_range = REGION[0][2], REGION[0][3]

    def arabic() -> str:
        return "".join(rng.choice(ARABIC) for _ in range(rng.randint(3, 7)))

    units = []
    for a1 in range(1, 15):
        adm1 = (make_name(rng), arabic(), f"SY{a1:02d}")
        for a2 in range(rng.randint(3, 7)):
            adm2 = (make_name(rng), arabic(), f"{adm1[2]}{a2:02d}")
            for a3 in range(rng.randint(2, 6)):
                units.append((adm1, adm2, (make_name(rng), arabic(), f"{adm2[2]}{a3:02d}")))
    probes: dict[str, str] = {}
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write(OCHA_HEADER + "\n")
        for i in range(n):
            adm1, adm2, adm3 = rng.choice(units)
            code = f"C{1000 + i}"
            name = f"{make_name(rng)} {make_name(rng)}"
            if i % 1000 == 0:
                name += PROBE_SUFFIX
                probes[name] = code
            cells = ["Syria", "سوريا", "SY", *adm1, *adm2, *adm3, name, arabic(), code,
                     f"{rng.uniform(*lon_range):.5f}", f"{rng.uniform(*lat_range):.5f}"]
            fh.write(",".join(cells) + "\n")
    return probes


if __name__ == "__main__":
    import sys

    print(write_dump(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 100_000))
