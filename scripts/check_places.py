"""Check a candidate places CSV before it joins ``data/geo/world_places.csv``.

Run from the repository root::

    python scripts/check_places.py CANDIDATES.csv

The file has the columns of ``world_places.csv``. For every row, each of its names and
aliases is resolved by today's gazetteer, with the row's country as hint and without, and
the answer is printed with its distance from the row's coordinate: ``new`` (not found),
``same place`` (within 5 km), ``DUPLICATE?`` (the row's own name already resolves within
5 km: drop the row) or ``CLASH`` (an alias that today means another place: keep it only if
reports using it mean this one). Rows with a bad coordinate, kind or no source are counted.
"""

from __future__ import annotations

import csv
import math
import sys

COLUMNS = ["id", "name", "aliases", "lat", "lon", "country", "admin1_pcode", "kind", "geonames_id", "pcode", "approximate", "source"]
KINDS = {"camp", "crossing", "town", "city", "village", "district", "region", "neighbourhood", "governorate", "point"}


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p = math.pi / 180
    h = math.sin((lat2 - lat1) * p / 2) ** 2 + math.cos(lat1 * p) * math.cos(lat2 * p) * math.sin((lon2 - lon1) * p / 2) ** 2
    return 12742 * math.asin(math.sqrt(h))


def main(path: str) -> int:
    """Print the check of every row of `path`; the number of bad rows is the exit status."""
    from evacmap.gazetteer import Gazetteer

    gaz = Gazetteer.world()
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    bad = 0
    for r in rows:
        if list(r) != COLUMNS:
            sys.stdout.write(f"bad header: {list(r)}\n")
            return 1
        try:
            lat, lon = float(r["lat"]), float(r["lon"])
        except ValueError:
            sys.stdout.write(f"{r['id']}: bad coordinate\n")
            bad += 1
            continue
        if not r["source"].strip() or r["kind"] not in KINDS:
            sys.stdout.write(f"{r['id']}: no source or unknown kind {r['kind']!r}\n")
            bad += 1
        for name in [r["name"], *[a for a in r["aliases"].split("|") if a]]:
            for hint in (r["country"], None):
                (answer,) = gaz.geocode_many([name], country=hint, fuzzy=False)
                place = getattr(answer, "place", None)
                if place is None:
                    tag = "new"
                else:
                    d = km(lat, lon, place.lat, place.lon)
                    tag = "DUPLICATE?" if d < 5 and name == r["name"] else ("same place" if d < 5 else "CLASH")
                    tag += f" -> {place.name} ({place.country}, {place.kind.value}, {d:.0f} km)"
                sys.stdout.write(f"{r['id']:<34} {name!r:<36} hint={hint or '-':<3} {tag}\n")
    sys.stdout.write(f"{len(rows)} rows, {bad} bad\n")
    return bad


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
