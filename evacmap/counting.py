"""The counting rules of evacmap, written once, as vectorised operations on the tables.

Every total evacmap shows or writes — place totals, graph edges, GIS fields, map
widths, summaries — comes from the functions here; nothing else re-implements them.
The rules (also in ``docs/counting-rules.md``):

1. **Reported and estimated counts add up**: they are people who moved.
2. **"At least N" counts as N known**; **"up to N" alone is never counted as moved**.
3. **Planned figures stay apart** from what happened: summed among themselves only.
4. **Cumulative totals are never added to their stages**: per operation (an explicit
   ``operation``, else the route) only the latest cumulative figure counts, in its own
   column, and the difference between it and the stages is reported, not hidden.
5. **A movement with several destinations and no reported split carries its total
   once**, on its trunk: out of its origin, and into each destination only as an
   upper bound (``in_unsplit``), never an invented share.
6. **Group counts are part of the total**, not extra.
7. **Only people are added to people**: a count in another unit ("300 families") is
   kept with its unit and never converted.
8. **The same convoy reported twice counts once** (see :func:`merge_duplicates`).

A movement whose other end is unknown counts in the known place's out (or in) total.
Each function takes :class:`~evacmap.tables.FlowTables` and returns pandas objects,
using only group-by sums, merges and sorts, so the same code can run on
``dask.dataframe`` partitions when the data outgrow one machine.

Examples
--------
>>> from evacmap.model import Movement, Place
>>> o, a, b = Place("O", 34.7, 36.6, id="o"), Place("A", 35.9, 36.6, id="a"), Place("B", 36.8, 38.0, id="b")
>>> t = FlowTables.from_movements([
...     Movement(o, (a, b), count=450),
...     Movement(o, (a, b), count_max=20000, count_kind="planned"),
... ])
>>> tot = place_totals(t)
>>> tot.loc[0, ["out_count", "planned_out"]].tolist(), tot.loc[1, ["in_count", "in_unsplit"]].tolist()
([450, 20000], [0, 450])
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import numpy.typing as npt
import pandas as pd

from evacmap.tables import COUNT_DTYPE, FlowTables

__all__ = [
    "MOVED_KINDS",
    "TOTAL_COLUMNS",
    "UNKNOWN",
    "DestinationSets",
    "destination_sets",
    "duplicate_of",
    "figures",
    "merge_duplicates",
    "od_edges",
    "operation_codes",
    "operation_label",
    "place_totals",
    "stage_gaps",
]

#: Count kinds that say how many people did move (and so add up).
MOVED_KINDS = ("reported", "estimated")
#: The code of the unknown end of a movement in edge tables.
UNKNOWN = -1
#: Columns of :func:`place_totals`.
TOTAL_COLUMNS = (
    "out_count",
    "in_count",
    "in_unsplit",
    "internal",
    "through",
    "planned_out",
    "planned_in",
    "planned_in_unsplit",
    "cumulative_out",
    "cumulative_in",
    "cumulative_in_unsplit",
    "net",
    "gross",
    "people",
)

IntArray = npt.NDArray[np.int64]


_LOW_BITS = 24  # bincount of values below 2**24 stays exact in float64 for 2**29 rows


def _int_bincount(codes: IntArray, values: IntArray, size: int) -> IntArray:
    """Exact integer sums of `values` per code.

    ``np.bincount`` sums in float64, exact only below 2**53, and counts reach 10**10
    each; so the values are split into their low 24 bits and the rest, each part is
    summed by ``bincount`` (both sums stay far below 2**53), and the parts are put
    back together as integers.

    Examples
    --------
    >>> big = np.array([2**52 + 1, 2**52 + 1, 3], dtype=np.int64)
    >>> _int_bincount(np.array([0, 0, 1]), big, 2).tolist() == [2**53 + 2, 3]
    True
    """
    out = np.zeros(size, dtype=np.int64)
    if not len(codes):
        return out
    if len(codes) >= 2**29 or values.min() < 0 or values.max() >= 2**52:
        _add_sorted(out, codes, values)
        return out
    low = np.bincount(codes, weights=values & ((1 << _LOW_BITS) - 1), minlength=size)
    high = np.bincount(codes, weights=values >> _LOW_BITS, minlength=size)
    out += (high.astype(np.int64) << _LOW_BITS) + low.astype(np.int64)
    return out


def _add_sorted(out: IntArray, codes: IntArray, values: IntArray) -> None:
    order = np.argsort(codes, kind="stable")
    c, v = codes[order], values[order]
    starts = np.r_[0, np.flatnonzero(c[1:] != c[:-1]) + 1]
    out[c[starts]] += np.add.reduceat(v, starts)


def figures(tables: FlowTables, *, unit: str = "people") -> pd.DataFrame:
    """Per movement: the figures the rules allow, each in its own column.

    Returns
    -------
    pandas.DataFrame
        One row per movement with

        * ``moved``: people who moved (reported or estimated; the count, else its
          "at least" bound), NA when none is known or the kind is not a movement;
        * ``planned``: a planned figure (the count, else "up to", else "at least");
        * ``cumulative``: a cumulative figure (the count, else "at least");
        * ``latest``: whether that cumulative figure is the latest of its operation
          (the only one that counts);
        * ``operation``: the operation, as a number (see :func:`operation_codes`).

    Examples
    --------
    >>> from evacmap.model import Movement, Place
    >>> a, b = Place("A", 0.0, 0.0), Place("B", 1.0, 1.0)
    >>> t = FlowTables.from_movements([Movement(a, (b,), count_min=50), Movement(a, (b,), count_max=9)])
    >>> figures(t)["moved"].tolist()
    [50, <NA>]
    """
    m = tables.movements
    codes = m["kind"].cat.codes.to_numpy()
    kinds = list(m["kind"].cat.categories)
    is_kind = {k: codes == kinds.index(k) for k in kinds}
    same_unit = (m["unit"] == unit).fillna(False).to_numpy(dtype=bool)
    known = m["count"].fillna(m["count_min"])
    moved = known.where((is_kind["reported"] | is_kind["estimated"]) & same_unit)
    planned = m["count"].fillna(m["count_max"]).fillna(m["count_min"])
    planned = planned.where(is_kind["planned"] & same_unit)
    cumulative = known.where(is_kind["cumulative"] & same_unit)
    op = operation_codes(tables)
    latest = np.zeros(len(m), dtype=bool)
    has = cumulative.notna().to_numpy(dtype=bool)
    if has.any():
        idx = np.flatnonzero(has)
        frame = pd.DataFrame(
            {
                "op": op[idx],
                "when": m["date_end"].to_numpy()[idx],
                "value": cumulative.to_numpy(dtype=np.int64, na_value=0)[idx],
                "row": idx,
            }
        )
        # Undated figures sort first: a dated figure is the later one.
        frame = frame.sort_values(["op", "when", "value", "row"], na_position="first", kind="stable")
        last = frame.drop_duplicates("op", keep="last")["row"].to_numpy()
        latest[last] = True
    return pd.DataFrame(
        {
            "moved": moved.astype(COUNT_DTYPE),
            "planned": planned.astype(COUNT_DTYPE),
            "cumulative": cumulative.astype(COUNT_DTYPE),
            "latest": latest,
            "operation": op,
        }
    )


@dataclass(frozen=True)
class DestinationSets:
    """Each movement's destination set as one code.

    Attributes
    ----------
    code
        Per movement: the place row of its one destination, :data:`UNKNOWN` when it
        has none, or ``n_places + k`` for the k-th set of several destinations.
    members
        For set ``k``: the place rows of its destinations, sorted.
    """

    code: IntArray
    members: list[tuple[int, ...]]


def destination_sets(tables: FlowTables) -> DestinationSets:
    """Code the destination set of every movement (see :class:`DestinationSets`).

    Examples
    --------
    >>> from evacmap.model import Movement, Place
    >>> o, a, b = Place("O", 0.0, 0.0, id="o"), Place("A", 1.0, 1.0, id="a"), Place("B", 2.0, 2.0, id="b")
    >>> s = destination_sets(FlowTables.from_movements([Movement(o, (b, a)), Movement(o, (a,)), Movement(o, (a, b))]))
    >>> s.code.tolist(), s.members
    ([3, 2, 3], [(1, 2)])
    """
    m, d = tables.movements, tables.destinations
    n, n_places = len(m), len(tables.places)
    code = np.full(n, UNKNOWN, dtype=np.int64)
    n_dest = m["n_dest"].to_numpy()
    single = d[n_dest[d["movement"].to_numpy()] == 1] if len(d) else d
    code[single["movement"].to_numpy()] = single["place"].to_numpy()
    multi = d[n_dest[d["movement"].to_numpy()] > 1] if len(d) else d
    members: list[tuple[int, ...]] = []
    if len(multi):
        ordered = multi.sort_values(["movement", "place"])
        keys = ordered.groupby("movement", sort=True)["place"].agg(tuple)
        codes, uniques = pd.factorize(keys, sort=True)
        code[keys.index.to_numpy()] = n_places + codes
        members = [tuple(int(x) for x in u) for u in uniques]
    return DestinationSets(code, members)


def operation_codes(tables: FlowTables) -> npt.NDArray[np.int64]:
    """The operation of each movement, as a number: equal numbers, same operation.

    A movement's operation is its ``operation`` (numbered below zero), else its route:
    its origin and its set of destinations (numbered from zero).

    Examples
    --------
    >>> from evacmap.model import Movement, Place
    >>> a, b = Place("A", 0.0, 0.0, id="a"), Place("B", 1.0, 1.0, id="b")
    >>> t = FlowTables.from_movements([Movement(a, (b,)), Movement(a, (b,), operation="deal"), Movement(a, (b,))])
    >>> operation_codes(t).tolist()
    [5, -1, 5]
    """
    m = tables.movements
    sets = destination_sets(tables)
    width = len(tables.places) + len(sets.members) + 1
    route = (m["origin"].to_numpy() + 1) * width + (sets.code + 1)
    explicit = m["operation"].fillna("").astype(str)
    named = (explicit != "").to_numpy()
    if named.any():
        op_codes, _ = pd.factorize(explicit[named])
        route = route.copy()
        route[named] = -1 - np.asarray(op_codes, dtype=np.int64)
    return np.asarray(route, dtype=np.int64)


def operation_label(tables: FlowTables, row: int) -> str:
    """How the operation of movement `row` is named in reports: its name, else its route."""
    m = tables.movements
    name = str(m["operation"].iloc[row] or "")
    if name:
        return name
    names = tables.places["name"].astype(str).tolist()
    o = int(m["origin"].iloc[row])
    dests = tables.destinations[tables.destinations["movement"] == row]["place"].tolist()
    return f"{names[o] if o >= 0 else '?'} → {' / '.join(names[d] for d in dests) or '?'}"


def place_totals(tables: FlowTables, *, unit: str = "people") -> pd.DataFrame:
    """People in, out, through and within each place, one row per place row.

    Returns
    -------
    pandas.DataFrame
        Indexed like ``tables.places``, integer columns :data:`TOTAL_COLUMNS`:

        * ``out_count`` / ``in_count``: people who left / arrived (rules 1, 2);
          ``in_count`` only where the destination is certain; same-place movements
          are ``internal`` instead;
        * ``in_unsplit``: people in unsplit movements that went here *or* to another
          of their destinations — an upper bound, never added to ``in_count``;
        * ``through``: people who passed through as a waypoint;
        * ``planned_*``, ``cumulative_*``: the same for planned figures and for the
          latest cumulative totals, kept apart;
        * ``net`` (in − out), ``gross`` (in + out), and ``people``: the most people
          known to have been at the place (largest of out, in, internal, through and
          the cumulative totals).

    Examples
    --------
    >>> place_totals(FlowTables.empty()).empty
    True
    """
    m = tables.movements
    size = len(tables.places)
    f = figures(tables, unit=unit)
    origin = m["origin"].to_numpy()
    n_dest = m["n_dest"].to_numpy()
    d = tables.destinations
    d_mov = d["movement"].to_numpy()
    d_place = d["place"].to_numpy()
    single_dest = np.full(len(m), UNKNOWN, dtype=np.int64)
    one = n_dest[d_mov] == 1 if len(d_mov) else np.zeros(0, dtype=bool)
    single_dest[d_mov[one]] = d_place[one]
    internal = (n_dest == 1) & (single_dest == origin) & (origin >= 0)
    out: dict[str, IntArray] = {}

    def kind_totals(values: pd.Series, prefix: str, in_name: str, unsplit_name: str) -> None:
        vals = values.fillna(0).to_numpy(dtype=np.int64)
        out_codes = np.where(internal, UNKNOWN, origin)
        out[prefix] = _int_bincount(*_valid(out_codes, vals), size)
        in_codes = np.where(internal, UNKNOWN, single_dest)
        out[in_name] = _int_bincount(*_valid(in_codes, vals), size)
        multi = n_dest[d_mov] > 1 if len(d_mov) else np.zeros(0, dtype=bool)
        out[unsplit_name] = _int_bincount(*_valid(d_place[multi], vals[d_mov[multi]]), size)

    kind_totals(f["moved"], "out_count", "in_count", "in_unsplit")
    kind_totals(f["planned"], "planned_out", "planned_in", "planned_in_unsplit")
    cumulative = f["cumulative"].where(f["latest"])
    kind_totals(cumulative, "cumulative_out", "cumulative_in", "cumulative_in_unsplit")
    moved = f["moved"].fillna(0).to_numpy(dtype=np.int64)
    out["internal"] = _int_bincount(*_valid(np.where(internal, origin, UNKNOWN), moved), size)
    w = tables.waypoints
    out["through"] = _int_bincount(
        *_valid(w["place"].to_numpy(), moved[w["movement"].to_numpy()]), size
    )
    out["net"] = out["in_count"] - out["out_count"]
    out["gross"] = out["in_count"] + out["out_count"]
    out["people"] = np.max(
        np.vstack(
            [out[k] for k in ("out_count", "in_count", "internal", "through", "cumulative_out", "cumulative_in")]
        ),
        axis=0,
    ) if size else np.zeros(0, dtype=np.int64)
    return pd.DataFrame({c: out[c] for c in TOTAL_COLUMNS}, index=tables.places.index)


def _valid(codes: npt.ArrayLike, values: IntArray) -> tuple[IntArray, IntArray]:
    c = np.asarray(codes, dtype=np.int64)
    ok = c >= 0
    return c[ok], values[ok]


def od_edges(tables: FlowTables, *, unit: str = "people") -> tuple[pd.DataFrame, DestinationSets]:
    """Origin–destination edges, summed, with unsplit movements through set nodes.

    Returns
    -------
    edges : pandas.DataFrame
        ``source``, ``target`` (place rows; :data:`UNKNOWN` for an unknown end;
        ``n_places + k`` for the set of destinations ``k`` of unsplit movements),
        ``count`` (people who moved along the edge, NA when none is attributed),
        ``unsplit`` (on edges from a set node to each member: the people who went to
        one of the set's places — an upper bound), ``planned``, ``planned_unsplit``,
        ``cumulative`` (latest cumulative figures), and ``movements`` (how many).
        Summing ``count`` over the edges out of a place gives its ``out_count``
        (plus ``internal`` on its self-loop); over the edges into it, its ``in_count``.
    sets : DestinationSets
        What the set nodes hold.

    Examples
    --------
    >>> from evacmap.model import Movement, Place
    >>> o, a, b = Place("O", 0.0, 0.0, id="o"), Place("A", 1.0, 1.0, id="a"), Place("B", 2.0, 2.0, id="b")
    >>> e, s = od_edges(FlowTables.from_movements([Movement(o, (a, b), count=450)]))
    >>> e[["source", "target", "count", "unsplit"]].values.tolist()
    [[0, 3, 450, <NA>], [3, 1, <NA>, 450], [3, 2, <NA>, 450]]
    """
    m = tables.movements
    n_places = len(tables.places)
    sets = destination_sets(tables)
    f = figures(tables, unit=unit)
    frame = pd.DataFrame(
        {
            "source": m["origin"].to_numpy(),
            "target": sets.code,
            "count": f["moved"],
            "planned": f["planned"],
            "cumulative": f["cumulative"].where(f["latest"]),
        }
    )
    grouped = frame.groupby(["source", "target"], sort=True)
    edges = grouped[["count", "planned", "cumulative"]].sum(min_count=1)
    edges["movements"] = grouped.size()
    edges = edges.reset_index()
    edges["unsplit"] = pd.array([pd.NA] * len(edges), dtype=COUNT_DTYPE)
    edges["planned_unsplit"] = pd.array([pd.NA] * len(edges), dtype=COUNT_DTYPE)
    if sets.members:
        into = edges[edges["target"] >= n_places].groupby("target")[["count", "planned"]].sum(min_count=1)
        n_in = edges[edges["target"] >= n_places].groupby("target")["movements"].sum()
        rows = []
        for k, members in enumerate(sets.members):
            code = n_places + k
            for p in members:
                rows.append((code, p, into.loc[code, "count"], into.loc[code, "planned"], int(n_in.loc[code])))
        fan = pd.DataFrame(rows, columns=["source", "target", "unsplit", "planned_unsplit", "movements"])
        fan["count"] = pd.array([pd.NA] * len(fan), dtype=COUNT_DTYPE)
        fan["planned"] = pd.array([pd.NA] * len(fan), dtype=COUNT_DTYPE)
        fan["cumulative"] = pd.array([pd.NA] * len(fan), dtype=COUNT_DTYPE)
        edges = pd.concat([edges, fan], ignore_index=True)
    cols = ["count", "unsplit", "planned", "planned_unsplit", "cumulative"]
    edges[cols] = edges[cols].astype(COUNT_DTYPE)
    return edges[["source", "target", *cols, "movements"]], sets


def stage_gaps(tables: FlowTables, *, unit: str = "people") -> pd.DataFrame:
    """For each operation with a cumulative total: the total, its stages, the difference.

    The stages are the moved figures of the operation's other movements dated on or
    before the total (all of them when the total is undated). The difference is
    reported, never used to invent a movement.

    Examples
    --------
    >>> import datetime as dt
    >>> from evacmap.model import Movement, Place
    >>> a, b = Place("A", 0.0, 0.0, id="a"), Place("B", 1.0, 1.0, id="b")
    >>> day = dt.date(2017, 5, 1)
    >>> t = FlowTables.from_movements([Movement(a, (b,), count=300, date_start=day),
    ...      Movement(a, (b,), count=200, date_start=day), Movement(a, (b,), count=700, count_kind="cumulative", date_start=day)])
    >>> stage_gaps(t)[["cumulative", "stages", "difference"]].values.tolist()
    [[700, 500, 200]]
    """
    f = figures(tables, unit=unit)
    m = tables.movements
    latest = f[f["latest"]]
    if latest.empty:
        return pd.DataFrame(columns=["operation", "movement", "cumulative", "stages", "difference"])
    when = m["date_end"]
    rows = []
    moved = f["moved"]
    for row in latest.itertuples():
        same = (f["operation"] == row.operation).to_numpy() & moved.notna().to_numpy(dtype=bool)
        if pd.notna(when.iloc[row.Index]):
            same &= (when <= when.iloc[row.Index]).fillna(True).to_numpy(dtype=bool)
        stages = int(moved[same].sum())
        rows.append((operation_label(tables, int(row.Index)), str(m["id"].iloc[row.Index]), int(row.cumulative),
                     stages, int(row.cumulative) - stages))
    return pd.DataFrame(rows, columns=["operation", "movement", "cumulative", "stages", "difference"])


def duplicate_of(tables: FlowTables) -> IntArray:
    """For each movement, the first movement it duplicates (itself when none).

    Two movements are the same convoy when they have the same resolved origin and
    set of destinations, the same known dates, the same count (value, bounds, kind
    and unit) and come from different reports (no source in common). Undated or
    uncounted movements are never merged, nor are those from the same report: the
    same report may well name two convoys of the same size on the same day.

    Examples
    --------
    >>> import datetime as dt
    >>> from evacmap.model import Movement, Place
    >>> a, b = Place("A", 0.0, 0.0, id="a"), Place("B", 1.0, 1.0, id="b")
    >>> day = dt.date(2017, 5, 1)
    >>> t = FlowTables.from_movements([Movement(a, (b,), count=9, date_start=day, sources=("x",)),
    ...      Movement(a, (b,), count=9, date_start=day, sources=("y",)), Movement(a, (b,), count=9, date_start=day, sources=("x",))])
    >>> duplicate_of(t).tolist()
    [0, 0, 2]
    """
    m = tables.movements
    n = len(m)
    rep = np.arange(n, dtype=np.int64)
    if n < 2:
        return rep
    sets = destination_sets(tables)
    key = pd.DataFrame(
        {
            "origin": m["origin"].to_numpy(),
            "dest": sets.code,
            "start": m["date_start"],
            "end": m["date_end"],
            "count": m["count"],
            "min": m["count_min"],
            "max": m["count_max"],
            "kind": m["kind"].astype(str),
            "unit": m["unit"].astype(str),
        }
    )
    eligible = (
        m["date_start"].notna()
        & (m["count"].notna() | m["count_min"].notna() | m["count_max"].notna())
    ).to_numpy(dtype=bool)
    idx = np.flatnonzero(eligible)
    if len(idx) < 2:
        return rep
    sub = key.iloc[idx]
    code = sub.groupby(list(sub.columns), dropna=False, sort=False).ngroup().to_numpy()
    counts = np.bincount(code)
    cand = idx[counts[code] > 1]
    if not len(cand):
        return rep
    src = tables.sources
    src = src[np.isin(src["movement"].to_numpy(), cand)]
    by_mov: dict[int, set[str]] = {}
    for mv, s in zip(src["movement"].tolist(), src["source"].tolist(), strict=True):
        by_mov.setdefault(mv, set()).add(s)
    groups: dict[int, list[int]] = {}
    for i, c in zip(cand.tolist(), code[counts[code] > 1].tolist(), strict=True):
        groups.setdefault(c, []).append(i)
    for members in groups.values():
        kept: list[tuple[int, set[str]]] = []
        for i in members:
            mine = by_mov.get(i, set())
            for j, theirs in kept:
                if mine and theirs and not (mine & theirs):
                    rep[i] = j
                    theirs |= mine
                    break
            else:
                kept.append((i, set(mine)))
    return rep


def merge_duplicates(tables: FlowTables) -> tuple[FlowTables, int]:
    """The tables with each convoy reported twice kept once (see :func:`duplicate_of`).

    The kept movement gains the sources, evidence and (when it had none) the group
    breakdown of the ones merged into it. Merging is idempotent.

    Returns
    -------
    tables : FlowTables
        Without the duplicates.
    merged : int
        How many movements were merged into another.

    Examples
    --------
    >>> _, n = merge_duplicates(FlowTables.empty())
    >>> n
    0
    """
    rep = duplicate_of(tables)
    gone = rep != np.arange(len(rep))
    n = int(gone.sum())
    if not n:
        return tables, 0

    def repoint(frame: pd.DataFrame) -> pd.DataFrame:
        out = frame.copy()
        out["movement"] = rep[out["movement"].to_numpy()]
        return out

    groups = tables.groups
    has_groups = np.zeros(len(rep), dtype=bool)
    has_groups[groups["movement"].to_numpy()] = True
    g = groups[~gone[groups["movement"].to_numpy()] | ~has_groups[rep[groups["movement"].to_numpy()]]]
    g = repoint(g).drop_duplicates(["movement", "group"], keep="first")
    # Only the per-movement lists change: the tables stay typed and valid.
    merged = replace(
        tables,
        groups=g,
        sources=repoint(tables.sources).drop_duplicates(ignore_index=True),
        evidence=repoint(tables.evidence),
    )
    return merged.take(~gone), n
