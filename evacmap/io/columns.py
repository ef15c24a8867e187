"""Which column of a table means what: names, aliases, HXL hashtags and ``--columns``.

A reader hands :func:`map_columns` the header of a table (and its HXL hashtag row, if
any); it answers with the canonical column each one feeds, and with problems for
columns that look meant but are not used — a column the analyst thinks is read and is
not loses people silently, so it is an error, with the fix:

* a name close to a known one (``people_count`` → ``count``);
* a column whose values look like count kinds (``type``: planned, reported…);
* no count column at all.

Columns far from every known name are ignored and listed (an INFO line).

Examples
--------
>>> cm = map_columns(["From", "To", "People", "notes2"], source="t.csv")
>>> cm.columns, cm.ignored
({'origin': 'From', 'destination': 'To', 'count': 'People'}, ['notes2'])
>>> [p.message for p in map_columns(["origin", "destination", "people_count"], source="t.csv").problems]
["column 'people_count' is not used; did you mean 'count'?", 'the table has no count column']
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from evacmap.errors import InputError, Problem, SourceLocation

__all__ = ["CANONICAL", "ColumnMap", "map_columns", "parse_column_mapping"]

#: Every column a flow table may have, with its meaning.
CANONICAL: dict[str, str] = {
    "movement": "id tying the rows of one movement together",
    "origin": "place people left (name, P-code or id)",
    "origin_lat": "latitude of the origin",
    "origin_lon": "longitude of the origin",
    "origin_country": "ISO country hint of the origin",
    "origin_id": "evacmap place id of the origin",
    "destination": "place(s) people reached; several separated by ; or | (or a JSON list)",
    "destination_lat": "latitude of the destination",
    "destination_lon": "longitude of the destination",
    "destination_country": "ISO country hint of the destination",
    "destination_ids": "evacmap place ids of the destinations",
    "via": "waypoints in order, separated by ; or | (or a JSON list)",
    "count": "whole number of people",
    "count_min": "at least",
    "count_max": "up to",
    "count_kind": "reported, estimated, planned or cumulative",
    "unit": "what is counted: people (default), families, households…",
    "group": "the group a row counts (fighters, civilians…)",
    "groups": "a JSON object of group counts",
    "date": "YYYY-MM-DD, YYYY-MM, YYYY or START/END",
    "date_end": "last day, when separate from date",
    "stage": "stage of the operation",
    "operation": "the operation (deal) the movement belongs to",
    "source": "the report",
    "sources": "a JSON list of reports",
    "evidence": "the words of the report",
    "country": "ISO country hint for the row",
    "confidence": "0–1, for extracted movements",
}

#: Other spellings of the canonical names (compared after folding case and separators).
ALIASES: dict[str, str] = {
    "from": "origin",
    "origin_name": "origin",
    "from_place": "origin",
    "source_location": "origin",
    "departure": "origin",
    "origin_place": "origin",
    "to": "destination",
    "destinations": "destination",
    "destination_name": "destination",
    "to_place": "destination",
    "arrival": "destination",
    "dest": "destination",
    "people": "count",
    "persons": "count",
    "individuals": "count",
    "number": "count",
    "ind": "count",
    "count_kind": "count_kind",
    "kind": "count_kind",
    "count_type": "count_kind",
    "min": "count_min",
    "at_least": "count_min",
    "max": "count_max",
    "up_to": "count_max",
    "notes": "evidence",
    "quote": "evidence",
    "excerpt": "evidence",
    "movement_id": "movement",
    "convoy": "movement",
    "from_lat": "origin_lat",
    "from_lon": "origin_lon",
    "from_lng": "origin_lon",
    "origin_lng": "origin_lon",
    "origin_latitude": "origin_lat",
    "origin_longitude": "origin_lon",
    "to_lat": "destination_lat",
    "to_lon": "destination_lon",
    "to_lng": "destination_lon",
    "destination_lng": "destination_lon",
    "destination_latitude": "destination_lat",
    "destination_longitude": "destination_lon",
    "waypoints": "via",
    "through": "via",
    "report": "source",
    "url": "source",
    "origin_pcode": "origin",
    "destination_pcode": "destination",
}
#: Columns that evacmap writes on export and reads back (exact round trips).
EXPORT_ONLY = {
    "feature", "movement_id", "count_reported", "planned", "cumulative",
    "cumulative_latest", "split_reported", "waypoints", "wkt", "place_id", "name", "lat",
    "lon", "kind", "admin1", "admin1_pcode", "pcode", "geonames_id", "approximate",
}
_COUNT_KIND_WORDS = {
    "reported", "estimated", "estimate", "planned", "plan", "expected", "cumulative",
    "total", "actual", "agreed",
}
#: Columns whose loss changes who is counted: a near miss on these is an error.
_CRITICAL = {
    "origin", "origin_lat", "origin_lon", "destination", "destination_lat",
    "destination_lon", "via", "count", "count_min", "count_max", "count_kind", "unit",
    "group", "groups", "date", "date_end", "movement", "operation",
}
_GROUP_COLUMN = re.compile(r"^count[_:](.+)$")


def fold(name: str) -> str:
    """A header name folded for comparison: lower case, separators as ``_``.

    Examples
    --------
    >>> fold("  Origin Lat "), fold("destination-country")
    ('origin_lat', 'destination_country')
    """
    return re.sub(r"[\s\-.]+", "_", name.strip().lstrip("\ufeff").casefold()).strip("_")


@dataclass
class ColumnMap:
    """The meaning of a table's columns.

    Attributes
    ----------
    columns
        Canonical name → the table's column that holds it.
    group_columns
        Group name → the table's column holding that group's count in each row
        (``count_fighters``, or an HXL disaggregation such as ``#affected+f``).
    ignored
        The table's columns that feed nothing (shown to the user).
    notes
        Suggestions for ignored columns close to a known name (not errors: they hold
        no counts, places or dates).
    problems
        Columns that look meant but are not used, or a missing count column.
    export
        Whether the table is evacmap's own export (read back exactly).
    unit
        The unit the counts are in, when the header says (HXL ``+hh``: households).
    """

    columns: dict[str, str] = field(default_factory=dict)
    group_columns: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    export: bool = False
    unit: str | None = None


def parse_column_mapping(text: str | Sequence[str] | None) -> dict[str, str]:
    """``"origin=from_name,count=ppl"`` (or a list of ``a=b``) as a dict.

    Raises
    ------
    InputError
        When a part is not ``canonical=column`` or names an unknown canonical column.

    Examples
    --------
    >>> parse_column_mapping("origin=from_name, count=ppl")
    {'origin': 'from_name', 'count': 'ppl'}
    """
    if not text:
        return {}
    parts = [p for chunk in ([text] if isinstance(text, str) else text) for p in chunk.split(",")]
    out: dict[str, str] = {}
    for part in parts:
        if not part.strip():
            continue
        if "=" not in part:
            raise InputError(
                f"`--columns` part {part.strip()!r} is not NAME=COLUMN",
                hint="write e.g. --columns origin=from_name,count=ppl",
            )
        key, value = (x.strip() for x in part.split("=", 1))
        key = fold(key)
        if key not in CANONICAL:
            raise InputError(
                f"`--columns` names {key!r}, which is not an evacmap column",
                hint="use one of " + ", ".join(CANONICAL),
            )
        out[key] = value
    return out


def _closest(name: str) -> str | None:
    from rapidfuzz import fuzz, process

    key = fold(name)
    for canon in sorted(CANONICAL, key=len, reverse=True):
        # "people_count" holds "count"; "origin_town" holds "origin".
        if re.search(rf"(^|_){re.escape(canon)}($|_)", key):
            return canon
    for alias, canon in ALIASES.items():
        if re.search(rf"(^|_){re.escape(alias)}($|_)", key) and len(alias) > 3:
            return canon
    found = process.extractOne(key, list(CANONICAL) + list(ALIASES), scorer=fuzz.ratio, score_cutoff=80)
    if found is None:
        return None
    return ALIASES.get(found[0], found[0])


def _hxl_target(tag: str) -> tuple[str | None, str | None]:
    """The canonical column (and a group) an HXL hashtag with attributes feeds."""
    parts = [p for p in re.split(r"\s*\+\s*", tag.strip().lower()) if p]
    if not parts or not parts[0].startswith("#"):
        return None, None
    base, attrs = parts[0], set(parts[1:])
    side = "origin" if "origin" in attrs else "destination" if attrs & {"dest", "destination"} else None
    if base in ("#loc", "#adm1", "#adm2", "#adm3", "#adm4", "#adm5", "#country", "#site"):
        if side is None:
            return None, None
        if base == "#country" and "code" in attrs:
            return f"{side}_country", None
        return side, None
    if base == "#geo" and side:
        if "lat" in attrs:
            return f"{side}_lat", None
        if attrs & {"lon", "long", "lng"}:
            return f"{side}_lon", None
    if base in ("#affected", "#inneed", "#targeted", "#reached", "#population", "#displaced"):
        detail = attrs - {"ind", "idps", "refugees", "num", "total", "returnees", "hh", "people"}
        if detail:
            return "count", "+".join(sorted(detail))
        return "count", None
    simple = {
        "#date": "date",
        "#meta": "source",
        "#description": "evidence",
        "#status": "count_kind",
        "#activity": "stage",
        "#event": "operation",
        "#group": "group",
    }
    if base == "#date" and "end" in attrs:
        return "date_end", None
    if base == "#meta" and "id" in attrs:
        return "movement", None
    if base in simple:
        return simple[base], None
    return None, None


def map_columns(
    header: Sequence[str],
    *,
    source: str,
    hashtags: Sequence[str] | None = None,
    mapping: Mapping[str, str] | None = None,
    samples: Mapping[str, Sequence[str]] | None = None,
) -> ColumnMap:
    """Decide what each column of a table means (see the module notes).

    Parameters
    ----------
    header
        The table's column names, in order.
    source
        How the file is named in messages.
    hashtags
        The HXL hashtag row, if the table has one (it wins over names).
    mapping
        ``--columns``: canonical name → the table's column (wins over everything).
    samples
        A few values of each column, to recognise count kinds in a column named
        otherwise (``type``).

    Returns
    -------
    ColumnMap
        The mapping and the problems.
    """
    cm = ColumnMap()
    folded = {fold(h): h for h in header}
    position = {h: i + 1 for i, h in enumerate(header)}
    if {"feature", "movement_id"} <= folded.keys() or {"movement_id", "count_reported"} <= folded.keys():
        cm.export = True
    used: set[str] = set()
    for wanted, col in (mapping or {}).items():
        if col not in position:
            found = folded.get(fold(col))
            if found is None:
                raise InputError(
                    f"`--columns {wanted}={col}`: {source} has no column {col!r}",
                    hint=f"its columns are {', '.join(map(repr, header))}",
                )
            col = found
        cm.columns[wanted] = col
        used.add(col)
    if hashtags:
        for col, tag in zip(header, hashtags, strict=False):
            if col in used or not tag:
                continue
            target, group = _hxl_target(tag)
            if "+hh" in tag.replace(" ", "").lower():
                cm.unit = "households"
            if target == "count" and group:
                cm.group_columns[group] = col
                used.add(col)
            elif target and target not in cm.columns:
                cm.columns[target] = col
                used.add(col)
    for col in header:
        if col in used:
            continue
        key = fold(col)
        canon: str | None = key if key in CANONICAL else ALIASES.get(key)
        wide = _GROUP_COLUMN.match(key)
        if canon and canon not in cm.columns:
            cm.columns[canon] = col
            used.add(col)
        elif wide and wide.group(1) not in ("min", "max", "kind", "type", "reported"):
            cm.group_columns[wide.group(1)] = col
            used.add(col)
        elif cm.export and key in EXPORT_ONLY:
            used.add(col)
    for col in header:
        if col in used:
            continue
        at = SourceLocation(source, 1, position[col])
        values = [v.strip().casefold() for v in (samples or {}).get(col, []) if v.strip()]
        if values and "count_kind" not in cm.columns and (
            sum(v in _COUNT_KIND_WORDS for v in values) >= max(1, len(values) // 2)
        ):
            cm.problems.append(
                Problem(
                    f"column {col!r} is not used, but its values look like count kinds "
                    f"({', '.join(sorted(set(values) & _COUNT_KIND_WORDS))}); did you mean 'count_kind'?",
                    at,
                    f"rename it count_kind, or pass --columns count_kind={col}; "
                    "otherwise planned figures would be added to the people who moved",
                )
            )
            continue
        close = _closest(col)
        if close is not None and close not in cm.columns and close in _CRITICAL:
            cm.problems.append(
                Problem(
                    f"column {col!r} is not used; did you mean {close!r}?",
                    at,
                    f"rename it {close}, or pass --columns {close}={col}",
                )
            )
            continue
        cm.ignored.append(col)
        if close is not None and close not in cm.columns:
            cm.notes.append(f"column {col!r} is not used; did you mean {close!r}?")
    has_count = "count" in cm.columns or "count_min" in cm.columns or "count_max" in cm.columns
    if not has_count and not cm.group_columns and not cm.export:
        cm.problems.append(
            Problem(
                "the table has no count column",
                SourceLocation(source, 1),
                "name the column of numbers of people 'count' (or map it with "
                "--columns count=NAME); if the table truly has no numbers, add an empty "
                "count column",
            )
        )
    for side in ("origin", "destination"):
        coords = {f"{side}_lat", f"{side}_lon"} <= cm.columns.keys()
        ids = side + ("_id" if side == "origin" else "_ids")
        if side not in cm.columns and not coords and ids not in cm.columns and not cm.export:
            # A movement may have one unknown end, but a table with no column at all for
            # one end is nearly always a naming problem.
            other = "destination" if side == "origin" else "origin"
            if other not in cm.columns and not {f"{other}_lat", f"{other}_lon"} <= cm.columns.keys():
                cm.problems.append(
                    Problem(
                        f"the table has neither an origin nor a destination column (found: {', '.join(header)})",
                        SourceLocation(source, 1),
                        "name a column 'origin' or 'destination' (or give their _lat and _lon)",
                    )
                )
                break
    return cm
