"""Check the answer keys of a folder of annotated reports (``tests/data/extract/FOLDER``).

Run from the repository root::

    python scripts/check_extract_keys.py tests/data/extract/long-q

Every ``NAME.txt`` needs ``NAME.json`` written as ``tests/data/extract/WRITING.md`` says.
Printed for each key: what every origin and destination name resolves to with the story's
country hint (a name that does not resolve must not be an end: leave the end empty and list
the name under ``unresolved``), missing fields, movements without a figure or without any
end, ``excluded`` snippets that are not verbatim in the text, and ``unresolved`` names that
do resolve (use them as ends if the place is the right one). The exit status is 1 when
anything is wrong.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

FIELDS = ("origin", "destinations", "count", "count_min", "count_max", "count_kind", "unit")
KINDS = {"reported", "estimated", "planned", "cumulative"}


def check(folder: Path) -> bool:
    """Print the check of every key in `folder`; whether all are well formed."""
    from evacmap.gazetteer import Gazetteer

    gaz = Gazetteer.world()
    ok = True

    def where(name: str, country: str | None) -> str | None:
        (answer,) = gaz.geocode_many([name], country=country, fuzzy=False)
        p = getattr(answer, "place", None)
        return None if p is None else f"{p.name} ({p.country}, {p.kind.value}, {p.lat:.3f},{p.lon:.3f})"

    for txt in sorted(folder.glob("*.txt")):
        key = txt.with_suffix(".json")
        if not key.exists():
            sys.stdout.write(f"{txt.name}: no answer key\n")
            ok = False
            continue
        spec = json.loads(key.read_text(encoding="utf-8"))
        text = txt.read_text(encoding="utf-8")
        country = spec.get("country")
        sys.stdout.write(f"== {txt.name} {country} {spec.get('date')} {len(text.split())} words\n")
        for i, m in enumerate(spec["movements"]):
            problems = [f"lacks {k}" for k in FIELDS if k not in m]
            if m.get("count_kind") not in KINDS:
                problems.append(f"count_kind {m.get('count_kind')!r}")
            if m.get("count") is None and m.get("count_min") is None and m.get("count_max") is None:
                problems.append("no figure")
            if m.get("origin") is None and not m.get("destinations") and not m.get("optional"):
                problems.append("no end: list its figure under excluded instead")
            for name in [m.get("origin"), *m.get("destinations", [])]:
                if name is not None:
                    found = where(name, country)
                    sys.stdout.write(f"  {i}: {name!r} -> {found or 'NOT FOUND'}\n")
                    if found is None:
                        problems.append(f"{name!r} not found")
            for p in problems:
                sys.stdout.write(f"  movement {i}: {p}\n")
            ok = ok and not problems
        for snippet in spec.get("excluded", []):
            if snippet not in text:
                sys.stdout.write(f"  excluded text not verbatim: {snippet[:60]!r}\n")
                ok = False
        for name in spec.get("unresolved", []):
            found = where(name, country)
            if found is not None:
                sys.stdout.write(f"  unresolved {name!r} resolves to {found}: if right, make it an end\n")
    sys.stdout.write("OK\n" if ok else "PROBLEMS\n")
    return ok


if __name__ == "__main__":
    sys.exit(0 if check(Path(sys.argv[1])) else 1)
