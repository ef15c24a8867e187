"""The typed tables behind a :class:`~evacmap.flows.FlowGraph`.

A flow graph is held as a few pandas tables, built once, so a million movements never
loop in Python: everything evacmap derives — totals, graphs, GIS files, maps — is
computed from them with vectorised operations (see :mod:`evacmap.counting`).

* ``places`` — one row per place: ``id``, ``name``, ``lat``, ``lon``, ``kind``,
  ``country``, ``admin1``, ``admin1_pcode``, ``pcode``, ``geonames_id``,
  ``approximate``, ``source``. Other tables point at a place by its row number.
* ``movements`` — one row per movement: ``id``, ``origin`` (place row, -1 when the
  report does not say), ``n_dest``, ``count``, ``count_min``, ``count_max`` (exact
  nullable integers), ``kind`` (reported / estimated / planned / cumulative),
  ``unit``, ``date_start``, ``date_end``, ``stage``, ``operation``, ``confidence``.
* ``destinations`` — ``movement``, ``order``, ``place``: where each movement went (none
  when the report does not say; several when the split was not reported).
* ``waypoints`` — ``movement``, ``order``, ``place``: places passed through, in order.
* ``legs`` — derived from the three above: ``movement``, ``order``, ``from_place``,
  ``to_place`` (-1 for an unknown end) and ``role``: ``direct`` (origin to its one
  destination), ``leg`` (one step through waypoints), ``trunk`` (a step shared by all
  destinations of an unsplit movement), ``branch`` (from the last shared place to one
  of several destinations) or ``stub`` (out of, or into, a place whose other end is
  unknown).
* ``groups`` — ``movement``, ``group``, ``count``: breakdowns, part of the count.
* ``sources`` — ``movement``, ``source``: the reports that state each movement.
* ``evidence`` — ``movement``, ``source``, ``line``, ``column``, ``start``, ``end``,
  ``text``, ``parts``: where each movement was stated (a table row or a sentence).

Examples
--------
>>> from evacmap.model import Movement, Place
>>> o, a, b = Place("O", 34.7, 36.6, id="o"), Place("A", 35.9, 36.6, id="a"), Place("B", 36.8, 38.0, id="b")
>>> t = FlowTables.from_movements([Movement(o, (a, b), count=450), Movement(None, (a,), count=20)])
>>> t.legs[["movement", "from_place", "to_place", "role"]].values.tolist()
[[0, 0, 1, 'branch'], [0, 0, 2, 'branch'], [1, -1, 1, 'stub']]
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from evacmap.errors import FlowGraphError, SourceLocation
from evacmap.model import CountKind, Evidence, Movement, Place, PlaceKind

__all__ = [
    "COUNT_DTYPE",
    "KINDS",
    "LEG_ROLES",
    "FlowTables",
]

#: Counts are exact nullable 64-bit integers end to end (never floats).
COUNT_DTYPE = "Int64"
#: The count kinds, in the order of their categorical codes.
KINDS = tuple(k.value for k in CountKind)
#: The roles of legs.
LEG_ROLES = ("direct", "leg", "trunk", "branch", "stub")
_TEXT = "string[pyarrow]"

_PLACE_COLUMNS: dict[str, Any] = {
    "id": _TEXT,
    "name": _TEXT,
    "lat": "float64",
    "lon": "float64",
    "kind": _TEXT,
    "country": _TEXT,
    "admin1": _TEXT,
    "admin1_pcode": _TEXT,
    "pcode": _TEXT,
    "geonames_id": COUNT_DTYPE,
    "approximate": "bool",
    "source": _TEXT,
}
_MOVEMENT_COLUMNS: dict[str, Any] = {
    "id": _TEXT,
    "origin": "int64",
    "n_dest": "int64",
    "count": COUNT_DTYPE,
    "count_min": COUNT_DTYPE,
    "count_max": COUNT_DTYPE,
    "kind": pd.CategoricalDtype(list(KINDS)),
    "unit": _TEXT,
    "date_start": "datetime64[s]",
    "date_end": "datetime64[s]",
    "stage": _TEXT,
    "operation": _TEXT,
    "confidence": "float64",
}
_LINK_COLUMNS: dict[str, Any] = {"movement": "int64", "order": "int64", "place": "int64"}
_LEG_COLUMNS: dict[str, Any] = {
    "movement": "int64",
    "order": "int64",
    "from_place": "int64",
    "to_place": "int64",
    "role": pd.CategoricalDtype(list(LEG_ROLES)),
}
_GROUP_COLUMNS: dict[str, Any] = {"movement": "int64", "group": _TEXT, "count": COUNT_DTYPE}
_SOURCE_COLUMNS: dict[str, Any] = {"movement": "int64", "source": _TEXT}
_EVIDENCE_COLUMNS: dict[str, Any] = {
    "movement": "int64",
    "source": _TEXT,
    "line": COUNT_DTYPE,
    "column": COUNT_DTYPE,
    "start": COUNT_DTYPE,
    "end": COUNT_DTYPE,
    "text": _TEXT,
    "parts": _TEXT,
}


def _empty(columns: dict[str, Any]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series([], dtype=t) for c, t in columns.items()})


def typed(frame: pd.DataFrame, columns: dict[str, Any]) -> pd.DataFrame:
    """`frame` with exactly `columns`, in order and of their types (missing ones empty)."""
    out = {}
    n = len(frame)
    for c, t in columns.items():
        if c in frame.columns:
            out[c] = frame[c].astype(t) if str(frame[c].dtype) != str(t) else frame[c]
        elif t == _TEXT:
            out[c] = pd.Series([""] * n, dtype=t, index=frame.index)
        elif t == "bool":
            out[c] = pd.Series(np.zeros(n, dtype=bool), index=frame.index)
        elif t in ("int64", "float64"):
            out[c] = pd.Series(np.zeros(n, dtype=t) if t == "int64" else np.full(n, np.nan), index=frame.index)
        else:
            out[c] = pd.Series([pd.NA] * n if t == COUNT_DTYPE else [None] * n, index=frame.index, dtype=object).astype(t)
    return pd.DataFrame(out).reset_index(drop=True)


def _date(value: dt.date | None) -> Any:
    return pd.NaT if value is None else pd.Timestamp(value)


@dataclass(frozen=True)
class FlowTables:
    """The tables of a flow graph (see the module notes for their columns)."""

    places: pd.DataFrame
    movements: pd.DataFrame
    destinations: pd.DataFrame
    waypoints: pd.DataFrame
    legs: pd.DataFrame
    groups: pd.DataFrame
    sources: pd.DataFrame
    evidence: pd.DataFrame

    # -- construction ------------------------------------------------------------------
    @classmethod
    def empty(cls) -> FlowTables:
        """Tables with no rows.

        Examples
        --------
        >>> len(FlowTables.empty().movements)
        0
        """
        return cls.build(
            _empty(_PLACE_COLUMNS),
            _empty(_MOVEMENT_COLUMNS),
            _empty(_LINK_COLUMNS),
            _empty(_LINK_COLUMNS),
            _empty(_GROUP_COLUMNS),
            _empty(_SOURCE_COLUMNS),
            _empty(_EVIDENCE_COLUMNS),
        )

    @classmethod
    def build(
        cls,
        places: pd.DataFrame,
        movements: pd.DataFrame,
        destinations: pd.DataFrame,
        waypoints: pd.DataFrame,
        groups: pd.DataFrame,
        sources: pd.DataFrame,
        evidence: pd.DataFrame,
    ) -> FlowTables:
        """Type the tables, derive ``n_dest`` and the legs, and check the references."""
        places = typed(places, _PLACE_COLUMNS)
        movements = typed(movements, _MOVEMENT_COLUMNS)
        destinations = typed(destinations, _LINK_COLUMNS).sort_values(
            ["movement", "order"], kind="stable", ignore_index=True
        )
        waypoints = typed(waypoints, _LINK_COLUMNS).sort_values(
            ["movement", "order"], kind="stable", ignore_index=True
        )
        n_dest = np.bincount(destinations["movement"].to_numpy(), minlength=len(movements))
        movements["n_dest"] = n_dest[: len(movements)].astype(np.int64)
        n_places = len(places)
        for name, col in (
            ("movements", movements["origin"]),
            ("destinations", destinations["place"]),
            ("waypoints", waypoints["place"]),
        ):
            arr = col.to_numpy()
            if len(arr) and (arr.max() >= n_places or arr.min() < (-1 if name == "movements" else 0)):
                raise FlowGraphError(f"the {name} table points at a place that is not in `places`")
        if len(movements) and ((movements["origin"] < 0) & (movements["n_dest"] == 0)).any():
            raise FlowGraphError("a movement has neither an origin nor a destination")
        if len(places) and places["id"].duplicated().any():
            dup = places.loc[places["id"].duplicated(), "id"].iloc[0]
            raise FlowGraphError(f"two places share the id {dup!r}", hint="give each place its own id")
        _check_movements(movements)
        legs = _legs(movements, destinations, waypoints)
        groups = typed(groups, _GROUP_COLUMNS)
        if len(groups):
            sums = groups.groupby("movement")["count"].sum()
            over = (sums > movements["count"].reindex(sums.index)).fillna(False)
            if over.any() or (groups["count"] < 0).fillna(False).any():
                first = int(over[over].index[0]) if over.any() else int(groups["movement"].iloc[0])
                raise FlowGraphError(
                    f"the groups of movement {movements['id'].iloc[first]!r} add up to more than its count",
                    hint="a group breakdown is part of the count; fix the count or the groups",
                )
        return cls(
            places,
            movements,
            destinations,
            waypoints,
            legs,
            groups,
            typed(sources, _SOURCE_COLUMNS).drop_duplicates(ignore_index=True),
            typed(evidence, _EVIDENCE_COLUMNS),
        )

    @classmethod
    def from_movements(cls, movements: Iterable[Movement]) -> FlowTables:
        """Tables of `movements` (numbered ``m1``, ``m2``... where they have no id).

        Raises
        ------
        FlowGraphError
            When two movements share an id, or one place id has two coordinates.
        """
        place_rows: dict[str, int] = {}
        plist: list[Place] = []

        def pidx(p: Place | None) -> int:
            if p is None:
                return -1
            known = place_rows.get(p.id)
            if known is None:
                place_rows[p.id] = known = len(plist)
                plist.append(p)
            elif (plist[known].lat, plist[known].lon) != (p.lat, p.lon):
                first = plist[known]
                raise FlowGraphError(
                    f"place id {p.id!r} is used for two coordinates: "
                    f"({first.lat}, {first.lon}) and ({p.lat}, {p.lon})",
                    hint="give different places different ids",
                )
            return known

        mov: dict[str, list[Any]] = {c: [] for c in _MOVEMENT_COLUMNS if c != "n_dest"}
        dests: list[tuple[int, int, int]] = []
        ways: list[tuple[int, int, int]] = []
        groups: list[tuple[int, str, int]] = []
        sources: list[tuple[int, str]] = []
        evidence: list[dict[str, Any]] = []
        seen: set[str] = set()
        for i, m in enumerate(movements):
            if not isinstance(m, Movement):
                raise FlowGraphError(
                    f"`movements` must hold Movement values, got {type(m).__name__} at position {i + 1}"
                )
            mid = m.id or f"m{i + 1}"
            if mid in seen:
                raise FlowGraphError(
                    f"two movements share the id {mid!r}", hint="give each movement its own id"
                )
            seen.add(mid)
            mov["id"].append(mid)
            mov["origin"].append(pidx(m.origin))
            mov["count"].append(m.count)
            mov["count_min"].append(m.count_min)
            mov["count_max"].append(m.count_max)
            mov["kind"].append(m.count_kind.value)
            mov["unit"].append(m.unit)
            mov["date_start"].append(_date(m.date_start))
            mov["date_end"].append(_date(m.date_end or m.date_start))
            mov["stage"].append(m.stage or "")
            mov["operation"].append(m.operation or "")
            mov["confidence"].append(np.nan if m.confidence is None else m.confidence)
            dests.extend((i, k, pidx(d)) for k, d in enumerate(m.destinations))
            ways.extend((i, k, pidx(w)) for k, w in enumerate(m.waypoints))
            groups.extend((i, g, c) for g, c in m.groups)
            sources.extend((i, s) for s in m.sources)
            evidence.extend(_evidence_row(i, e) for e in m.evidence)
        places = pd.DataFrame(
            {
                "id": [p.id for p in plist],
                "name": [p.name for p in plist],
                "lat": [p.lat for p in plist],
                "lon": [p.lon for p in plist],
                "kind": [p.kind.value for p in plist],
                "country": [p.country for p in plist],
                "admin1": [p.admin1 for p in plist],
                "admin1_pcode": [p.admin1_pcode or "" for p in plist],
                "pcode": [p.pcode or "" for p in plist],
                "geonames_id": pd.array([p.geonames_id for p in plist], dtype=COUNT_DTYPE),
                "approximate": [p.approximate for p in plist],
                "source": [p.source for p in plist],
            }
        )
        mframe = pd.DataFrame({k: pd.array(v, dtype=COUNT_DTYPE) if k.startswith("count") else v for k, v in mov.items()})
        tables = cls.build(
            places,
            mframe,
            pd.DataFrame(dests, columns=["movement", "order", "place"]),
            pd.DataFrame(ways, columns=["movement", "order", "place"]),
            pd.DataFrame(groups, columns=["movement", "group", "count"]),
            pd.DataFrame(sources, columns=["movement", "source"]),
            pd.DataFrame(evidence, columns=list(_EVIDENCE_COLUMNS)),
        )
        return tables

    # -- row-level views -----------------------------------------------------------------
    def place_objects(self) -> list[Place]:
        """Every place as a :class:`~evacmap.model.Place`, in table order."""
        p = self.places
        out = []
        for row in p.itertuples(index=False):
            out.append(
                Place(
                    str(row.name),
                    float(row.lat),
                    float(row.lon),
                    country=str(row.country),
                    admin1=str(row.admin1),
                    kind=PlaceKind(str(row.kind)),
                    geonames_id=None if pd.isna(row.geonames_id) else int(row.geonames_id),
                    pcode=str(row.pcode) or None,
                    admin1_pcode=str(row.admin1_pcode) or None,
                    approximate=bool(row.approximate),
                    source=str(row.source),
                    id=str(row.id),
                )
            )
        return out

    def movement_objects(self, places: Sequence[Place] | None = None) -> list[Movement]:
        """Every movement as a :class:`~evacmap.model.Movement`.

        A Python loop: for the row-level API and small graphs, not a million rows.
        """
        plist = list(places) if places is not None else self.place_objects()
        m = self.movements
        n = len(m)

        def by_movement(frame: pd.DataFrame, value: Any) -> list[list[Any]]:
            out: list[list[Any]] = [[] for _ in range(n)]
            for mv, v in zip(frame["movement"].tolist(), value, strict=True):
                out[mv].append(v)
            return out

        dests = by_movement(self.destinations, [plist[k] for k in self.destinations["place"].tolist()])
        ways = by_movement(self.waypoints, [plist[k] for k in self.waypoints["place"].tolist()])
        groups = by_movement(
            self.groups, list(zip(self.groups["group"].tolist(), self.groups["count"].tolist(), strict=True))
        )
        srcs = by_movement(self.sources, self.sources["source"].tolist())
        ev = by_movement(self.evidence, _evidence_values(self.evidence))

        def opt(v: Any) -> Any:
            return None if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) else v

        def day(v: Any) -> dt.date | None:
            return None if pd.isna(v) else pd.Timestamp(v).date()

        out = []
        cols = {c: m[c].tolist() for c in m.columns}
        for i in range(n):
            origin = cols["origin"][i]
            out.append(
                Movement(
                    origin=plist[origin] if origin >= 0 else None,
                    destinations=tuple(dests[i]),
                    count=opt(cols["count"][i]),
                    count_kind=CountKind(cols["kind"][i]),
                    count_min=opt(cols["count_min"][i]),
                    count_max=opt(cols["count_max"][i]),
                    groups=tuple((g, int(c)) for g, c in groups[i] if opt(c) is not None),
                    date_start=day(cols["date_start"][i]),
                    date_end=day(cols["date_end"][i]),
                    stage=cols["stage"][i] or None,
                    waypoints=tuple(ways[i]),
                    sources=tuple(srcs[i]),
                    evidence=tuple(ev[i]),
                    id=cols["id"][i],
                    unit=cols["unit"][i] or "people",
                    operation=cols["operation"][i] or None,
                    confidence=opt(cols["confidence"][i]),
                )
            )
        return out

    # -- selection ----------------------------------------------------------------------
    def take(self, keep: Any) -> FlowTables:
        """The tables of the movements selected by a boolean mask or positions.

        Movements are renumbered; places no longer used are dropped.

        Examples
        --------
        >>> len(FlowTables.empty().take(np.zeros(0, dtype=bool)).movements)
        0
        """
        m = self.movements
        idx = np.flatnonzero(keep) if np.asarray(keep).dtype == bool else np.asarray(keep, dtype=np.int64)
        new_of_old = np.full(len(m), -1, dtype=np.int64)
        new_of_old[idx] = np.arange(len(idx))

        def sub(frame: pd.DataFrame) -> pd.DataFrame:
            mv = frame["movement"].to_numpy()
            sel = new_of_old[mv] >= 0 if len(mv) else np.zeros(0, dtype=bool)
            out = frame.loc[sel].copy()
            out["movement"] = new_of_old[mv[sel]]
            return out

        movements = m.iloc[idx].reset_index(drop=True)
        dests, ways = sub(self.destinations), sub(self.waypoints)
        used = np.unique(
            np.concatenate(
                [movements["origin"].to_numpy(), dests["place"].to_numpy(), ways["place"].to_numpy()]
            )
        )
        used = used[used >= 0]
        place_new = np.full(len(self.places) + 1, -1, dtype=np.int64)
        place_new[used] = np.arange(len(used))
        movements["origin"] = np.where(
            movements["origin"].to_numpy() >= 0, place_new[movements["origin"].to_numpy()], -1
        )
        dests["place"] = place_new[dests["place"].to_numpy()]
        ways["place"] = place_new[ways["place"].to_numpy()]
        legs = sub(self.legs)
        for col in ("from_place", "to_place"):
            legs[col] = place_new[legs[col].to_numpy()]  # -1 (unknown) stays -1
        # The parts of valid tables stay valid: no need to type and check them again.
        return FlowTables(
            self.places.iloc[used].reset_index(drop=True),
            movements,
            dests.reset_index(drop=True),
            ways.reset_index(drop=True),
            legs.reset_index(drop=True),
            sub(self.groups).reset_index(drop=True),
            sub(self.sources).reset_index(drop=True),
            sub(self.evidence).reset_index(drop=True),
        )

    def with_movements(self, movements: pd.DataFrame) -> FlowTables:
        """The same tables with the movements table replaced (same rows, new values)."""
        if len(movements) != len(self.movements):
            raise FlowGraphError("with_movements keeps the number of movements")
        return replace(self, movements=typed(movements, _MOVEMENT_COLUMNS).assign(n_dest=self.movements["n_dest"].to_numpy()))

    @classmethod
    def concat(cls, parts: Sequence[FlowTables]) -> FlowTables:
        """One set of tables from several; a place id in several parts becomes one place.

        Raises
        ------
        FlowGraphError
            When a place id has different coordinates in two parts.
        """
        if not parts:
            return cls.empty()
        places = pd.concat([p.places for p in parts], ignore_index=True)
        first = places.drop_duplicates("id", keep="first")
        check = places.merge(first[["id", "lat", "lon"]], on="id", suffixes=("", "_first"))
        bad = check[(check["lat"] != check["lat_first"]) | (check["lon"] != check["lon_first"])]
        if len(bad):
            row = bad.iloc[0]
            raise FlowGraphError(
                f"place id {row['id']!r} is used for two coordinates: "
                f"({row['lat_first']}, {row['lon_first']}) and ({row['lat']}, {row['lon']})",
                hint="give different places different ids",
            )
        first = first.reset_index(drop=True)
        row_of = pd.Series(np.arange(len(first)), index=pd.Index(first["id"].astype(str)))
        frames: dict[str, list[pd.DataFrame]] = {k: [] for k in ("m", "d", "w", "g", "s", "e")}
        offset = 0
        for part in parts:
            remap = row_of.reindex(part.places["id"].astype(str)).to_numpy(dtype=np.int64)
            remap = np.append(remap, -1)  # index -1 (unknown) stays -1
            m = part.movements.copy()
            m["origin"] = remap[m["origin"].to_numpy()]
            frames["m"].append(m)
            for key, frame in (("d", part.destinations), ("w", part.waypoints)):
                f = frame.copy()
                f["place"] = remap[f["place"].to_numpy()]
                f["movement"] = f["movement"] + offset
                frames[key].append(f)
            for key, frame in (("g", part.groups), ("s", part.sources), ("e", part.evidence)):
                f = frame.copy()
                f["movement"] = f["movement"] + offset
                frames[key].append(f)
            offset += len(m)
        movements = pd.concat(frames["m"], ignore_index=True)
        if movements["id"].duplicated().any():
            dup = movements["id"].astype(str)
            # Ids stay unique: a repeated id gets the number of its part.
            counts = dup.groupby(dup).cumcount()
            movements["id"] = np.where(counts > 0, dup + "-" + (counts + 1).astype(str), dup)
        return cls.build(
            first,
            movements,
            *(pd.concat(frames[k], ignore_index=True) for k in ("d", "w", "g", "s", "e")),
        )


def _check_movements(m: pd.DataFrame) -> None:
    """The checks :class:`~evacmap.model.Movement` makes, on the whole table at once."""
    from evacmap.model import MAX_COUNT

    problems: list[str] = []
    for col in ("count", "count_min", "count_max"):
        v = m[col]
        bad = ((v < 0) | (v > MAX_COUNT)).fillna(False)
        if bad.any():
            problems.append(f"`{col}` of movement {m['id'].iloc[int(np.flatnonzero(bad)[0])]!r} must be "
                            f"between 0 and {MAX_COUNT:,}")
    order = ((m["count_min"] > m["count_max"]) | (m["count"] < m["count_min"]) | (m["count"] > m["count_max"])).fillna(False)
    if order.any():
        problems.append(f"the count of movement {m['id'].iloc[int(np.flatnonzero(order)[0])]!r} lies outside its bounds")
    if m["kind"].isna().any():
        problems.append(f"movement {m['id'].iloc[int(np.flatnonzero(m['kind'].isna())[0])]!r} has no valid count kind "
                        f"(one of {', '.join(KINDS)})")
    dates = (m["date_end"] < m["date_start"]).fillna(False)
    if dates.any():
        problems.append(f"movement {m['id'].iloc[int(np.flatnonzero(dates)[0])]!r} ends before it starts")
    if problems:
        raise FlowGraphError("; ".join(problems), hint="fix the movements' counts, kinds and dates")


def _evidence_row(movement: int, e: Evidence) -> dict[str, Any]:
    loc = e.location
    return {
        "movement": movement,
        "source": loc.source,
        "line": loc.line,
        "column": loc.column,
        "start": e.start,
        "end": e.end,
        "text": e.text,
        "parts": json.dumps([list(p) for p in e.parts], ensure_ascii=False) if e.parts else "",
    }


def _evidence_values(ev: pd.DataFrame) -> list[Evidence]:
    def opt(v: Any) -> int | None:
        return None if v is pd.NA or v is None else int(v)

    out = []
    for row in ev.itertuples(index=False):
        parts = tuple(tuple(p) for p in json.loads(row.parts)) if row.parts else ()
        out.append(
            Evidence(
                SourceLocation(str(row.source), opt(row.line), opt(row.column)),
                str(row.text),
                start=opt(row.start),
                end=opt(row.end),
                parts=parts,
            )
        )
    return out


def _legs(movements: pd.DataFrame, destinations: pd.DataFrame, waypoints: pd.DataFrame) -> pd.DataFrame:
    """The legs of every movement (vectorised; see the module notes for the roles)."""
    n = len(movements)
    origin = movements["origin"].to_numpy()
    n_dest = movements["n_dest"].to_numpy() if n else np.zeros(0, dtype=np.int64)
    direct, branch, stub = (LEG_ROLES.index(r) for r in ("direct", "branch", "stub"))
    d_mov = destinations["movement"].to_numpy()
    d_place = destinations["place"].to_numpy()
    if not len(waypoints):
        # No waypoints (the usual case): a leg per destination, a stub per unknown end.
        d_from = origin[d_mov] if len(d_mov) else np.zeros(0, dtype=np.int64)
        d_role = np.where(d_from < 0, stub, np.where(n_dest[d_mov] > 1, branch, direct)) if len(d_mov) else (
            np.zeros(0, dtype=np.int64))
        no_dest = np.flatnonzero(n_dest == 0) if n else np.zeros(0, dtype=np.int64)
        mov = np.concatenate([d_mov, no_dest])
        frm = np.concatenate([d_from, origin[no_dest]])
        to = np.concatenate([d_place, np.full(len(no_dest), -1)])
        role = np.concatenate([d_role, np.full(len(no_dest), stub)]).astype(np.int8)
        rank = np.concatenate([destinations["order"].to_numpy(), np.zeros(len(no_dest), dtype=np.int64)])
        order = np.lexsort((rank, mov))
        mov, frm, to, role = mov[order], frm[order], to[order], role[order]
        starts = np.r_[0, np.flatnonzero(mov[1:] != mov[:-1]) + 1] if len(mov) else np.zeros(0, dtype=np.int64)
        within = np.arange(len(mov)) - np.repeat(starts, np.diff(np.r_[starts, len(mov)]))
        return pd.DataFrame({
            "movement": mov.astype(np.int64),
            "order": within.astype(np.int64),
            "from_place": frm.astype(np.int64),
            "to_place": to.astype(np.int64),
            "role": pd.Categorical.from_codes(role, categories=list(LEG_ROLES)),
        })
    return _legs_through(movements, destinations, waypoints)


def _legs_through(movements: pd.DataFrame, destinations: pd.DataFrame, waypoints: pd.DataFrame) -> pd.DataFrame:
    """The legs when some movements pass through waypoints."""
    n = len(movements)
    origin = movements["origin"].to_numpy()
    n_dest = movements["n_dest"].to_numpy() if n else np.zeros(0, dtype=np.int64)
    # The path shared by all destinations: origin, then the waypoints in order.
    w_mov = waypoints["movement"].to_numpy()
    w_place = waypoints["place"].to_numpy()
    path_mov = np.concatenate([np.arange(n), w_mov])
    path_place = np.concatenate([origin, w_place])
    path_order = np.concatenate([np.full(n, -1), waypoints["order"].to_numpy()])
    order = np.lexsort((path_order, path_mov))
    path_mov, path_place = path_mov[order], path_place[order]
    # Consecutive path points of one movement make its shared legs.
    same = path_mov[1:] == path_mov[:-1]
    s_mov = path_mov[:-1][same]
    s_from = path_place[:-1][same]
    s_to = path_place[1:][same]
    # The last path point of each movement (where destinations branch off).
    last_pos = np.r_[np.flatnonzero(~same), len(path_mov) - 1] if len(path_mov) else np.zeros(0, dtype=np.int64)
    last_place = np.full(n, -1, dtype=np.int64)
    if len(path_mov):
        last_place[path_mov[last_pos]] = path_place[last_pos]
    s_role = (
        np.where(s_from < 0, "stub", np.where(n_dest[s_mov] > 1, "trunk", "leg"))
        if len(s_mov)
        else np.array([], dtype=object)
    )
    # Destination legs.
    d_mov = destinations["movement"].to_numpy()
    d_place = destinations["place"].to_numpy()
    d_from = last_place[d_mov] if len(d_mov) else np.zeros(0, dtype=np.int64)
    n_way = np.bincount(w_mov, minlength=n) if n else np.zeros(0, dtype=np.int64)
    d_role = np.where(
        d_from < 0,
        "stub",
        np.where(n_dest[d_mov] > 1, "branch", np.where(n_way[d_mov] > 0, "leg", "direct")),
    ) if len(d_mov) else np.array([], dtype=object)
    # An unknown destination: a stub out of the last known place.
    no_dest = np.flatnonzero((n_dest == 0) & (last_place >= 0)) if n else np.zeros(0, dtype=np.int64)
    legs = pd.DataFrame(
        {
            "movement": np.concatenate([s_mov, d_mov, no_dest]).astype(np.int64),
            "order": np.concatenate(
                [np.zeros(len(s_mov)), np.full(len(d_mov), 1e6) + destinations["order"].to_numpy(), np.full(len(no_dest), 1e6)]
            ),
            "from_place": np.concatenate([s_from, d_from, last_place[no_dest]]).astype(np.int64),
            "to_place": np.concatenate([s_to, d_place, np.full(len(no_dest), -1)]).astype(np.int64),
            "role": np.concatenate([s_role, d_role, np.full(len(no_dest), "stub", dtype=object)]),
            "_k": np.concatenate([np.arange(len(s_mov)), np.arange(len(d_mov)), np.zeros(len(no_dest))]),
        }
    )
    legs = legs.sort_values(["movement", "order", "_k"], kind="stable", ignore_index=True)
    legs["order"] = legs.groupby("movement").cumcount().astype(np.int64)
    return typed(legs.drop(columns="_k"), _LEG_COLUMNS)
