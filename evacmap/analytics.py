"""Questions analysts ask of a flow graph: corridors, two-way pairs, loads, roll-ups, filters.

All of them are computed from the tables with the counting rules of
:mod:`evacmap.counting` (vectorised), and return DataFrames — or, for
:func:`filter_flows`, a smaller :class:`~evacmap.flows.FlowGraph`.

Examples
--------
>>> from evacmap.flows import FlowGraph
>>> from evacmap.model import Movement, Place
>>> a, b = Place("A", 34.0, 36.0, id="a"), Place("B", 35.0, 37.0, id="b")
>>> g = FlowGraph([Movement(a, (b,), count=300), Movement(b, (a,), count=100)])
>>> two_way(g)[["place_a", "place_b", "a_to_b", "b_to_a", "net_a_to_b"]].values.tolist()
[['A', 'B', 300, 100, 200]]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd

from evacmap import counting
from evacmap.errors import FlowGraphError
from evacmap.tables import COUNT_DTYPE

if TYPE_CHECKING:  # pragma: no cover
    from evacmap.flows import FlowGraph

__all__ = ["corridors", "filter_flows", "leg_loads", "rollup", "two_way"]


def _node_names(graph: FlowGraph, sets: counting.DestinationSets) -> list[str]:
    names = graph.tables.places["name"].astype(str).tolist()
    extra = [" or ".join(names[k] for k in members) for members in sets.members]
    return [*map(str, names), *extra, "(unknown)"]


def corridors(graph: FlowGraph, *, top: int | None = None, unit: str = "people") -> pd.DataFrame:
    """Totals per corridor (origin → destination, or → one of several), largest first.

    Parameters
    ----------
    graph
        The flows.
    top
        Keep only this many corridors (by people moved); the rest are summarised in
        a last row ``(other corridors)`` so the totals stay whole.
    unit
        What is counted.

    Returns
    -------
    pandas.DataFrame
        ``origin``, ``destination`` (``A or B`` for an unsplit movement, ``(unknown)``
        for an unknown end), ``count``, ``planned``, ``cumulative``, ``movements``.

    Examples
    --------
    >>> from evacmap.flows import FlowGraph
    >>> corridors(FlowGraph()).empty
    True
    """
    edges, sets = counting.od_edges(graph.tables, unit=unit)
    n_places = len(graph.tables.places)
    edges = edges[edges["source"] < n_places]  # not the set → member fan-out
    names = _node_names(graph, sets)
    out = pd.DataFrame(
        {
            "origin": [names[k] for k in edges["source"].tolist()],
            "destination": [names[k] for k in edges["target"].tolist()],
            "count": edges["count"].fillna(0).astype("int64"),
            "planned": edges["planned"],
            "cumulative": edges["cumulative"],
            "movements": edges["movements"],
        }
    ).sort_values(["count", "movements"], ascending=False, kind="stable", ignore_index=True)
    if top is not None and len(out) > top:
        rest = out.iloc[top:]
        other = pd.DataFrame(
            {
                "origin": [f"(other corridors: {len(rest):,})"],
                "destination": [""],
                "count": [int(rest["count"].sum())],
                "planned": pd.array([rest["planned"].sum(min_count=1)], dtype=COUNT_DTYPE),
                "cumulative": pd.array([rest["cumulative"].sum(min_count=1)], dtype=COUNT_DTYPE),
                "movements": [int(rest["movements"].sum())],
            }
        )
        out = pd.concat([out.iloc[:top], other], ignore_index=True)
    return out


def two_way(graph: FlowGraph, *, unit: str = "people") -> pd.DataFrame:
    """Pairs of places with people counted moving both ways, and the net flow.

    Only movements with one known destination count (an unsplit movement did not
    certainly reach either place).

    Examples
    --------
    >>> from evacmap.flows import FlowGraph
    >>> two_way(FlowGraph()).empty
    True
    """
    edges, _ = counting.od_edges(graph.tables, unit=unit)
    n = len(graph.tables.places)
    e = edges[(edges["source"] >= 0) & (edges["source"] < n) & (edges["target"] >= 0) & (edges["target"] < n)]
    e = e[e["source"] != e["target"]]
    fwd = e[["source", "target", "count"]].rename(columns={"count": "ab"})
    back = e[["source", "target", "count"]].rename(
        columns={"source": "target", "target": "source", "count": "ba"}
    )
    both = fwd.merge(back, on=["source", "target"], how="inner")
    both = both[both["source"] < both["target"]]
    names = graph.tables.places["name"].astype(str).to_numpy()
    ab = both["ab"].fillna(0).astype("int64")
    ba = both["ba"].fillna(0).astype("int64")
    return pd.DataFrame(
        {
            "place_a": names[both["source"].to_numpy()],
            "place_b": names[both["target"].to_numpy()],
            "a_to_b": ab.to_numpy(),
            "b_to_a": ba.to_numpy(),
            "net_a_to_b": (ab - ba).to_numpy(),
            "gross": (ab + ba).to_numpy(),
        }
    ).sort_values("gross", ascending=False, ignore_index=True)


def leg_loads(graph: FlowGraph, *, unit: str = "people") -> pd.DataFrame:
    """People along each leg, following waypoints (crossings, transit towns).

    A leg shared by the destinations of an unsplit movement (its trunk) carries its
    total; a branch to one of its destinations only an upper bound (``unsplit``).

    Returns
    -------
    pandas.DataFrame
        ``from_place``, ``to_place`` (names; ``(unknown)`` for a stub), ``count``,
        ``unsplit``, ``movements``, largest first.

    Examples
    --------
    >>> from evacmap.flows import FlowGraph
    >>> leg_loads(FlowGraph()).empty
    True
    """
    t = graph.tables
    legs = t.legs
    moved = counting.figures(t, unit=unit)["moved"].fillna(0).to_numpy(dtype=np.int64)
    v = moved[legs["movement"].to_numpy()]
    branch = (legs["role"] == "branch").to_numpy()
    frame = pd.DataFrame(
        {
            "from": legs["from_place"].to_numpy(),
            "to": legs["to_place"].to_numpy(),
            "count": np.where(branch, 0, v),
            "unsplit": np.where(branch, v, 0),
        }
    )
    agg = frame.groupby(["from", "to"]).agg(count=("count", "sum"), unsplit=("unsplit", "sum"), movements=("count", "size"))
    agg = agg.reset_index()
    names = np.append(t.places["name"].astype(str).to_numpy(), "(unknown)")
    return pd.DataFrame(
        {
            "from_place": names[agg["from"].to_numpy()],
            "to_place": names[agg["to"].to_numpy()],
            "count": agg["count"].to_numpy(),
            "unsplit": agg["unsplit"].to_numpy(),
            "movements": agg["movements"].to_numpy(),
        }
    ).sort_values(["count", "unsplit"], ascending=False, ignore_index=True)


def rollup(
    graph: FlowGraph, *, by: Literal["admin1", "country"] = "admin1", unit: str = "people"
) -> pd.DataFrame:
    """Totals per governorate (OCHA P-code where known) or per country.

    Movements between places of the same unit become that unit's ``internal`` total;
    the others are its ``out_count`` / ``in_count`` (unsplit movements whose
    destinations all lie in one unit count as arriving there).

    Returns
    -------
    pandas.DataFrame
        Indexed by the unit (``admin1_pcode``, else ``country:admin1`` name, else
        ``(unknown)``), with ``name``, ``out_count``, ``in_count``, ``in_unsplit``,
        ``internal``, ``net``, ``planned_out``, ``cumulative_out``.

    Examples
    --------
    >>> from evacmap.flows import FlowGraph
    >>> rollup(FlowGraph()).empty
    True
    """
    if by not in ("admin1", "country"):
        raise FlowGraphError(f"`by` must be 'admin1' or 'country', got {by!r}")
    t = graph.tables
    p = t.places
    if by == "admin1":
        pcode = p["admin1_pcode"].astype(str)
        named = p["country"].astype(str) + ":" + p["admin1"].astype(str)
        key = pcode.where(pcode != "", named.where(p["admin1"].astype(str) != "", "(unknown)"))
        label = p["admin1"].astype(str).where(p["admin1"].astype(str) != "", key)
    else:
        key = p["country"].astype(str).replace("", "(unknown)")
        label = key
    codes, units = pd.factorize(key)
    unit_of = np.append(codes, -1)  # place -1 (unknown) → unit -1
    f = counting.figures(t, unit=unit)
    m = t.movements
    d = t.destinations
    origin_u = unit_of[m["origin"].to_numpy()]
    # The unit the movement reached: one when all destinations share it, else -2 (several).
    d_u = unit_of[d["place"].to_numpy()]
    n = len(m)
    lo = np.full(n, np.iinfo(np.int64).max)
    hi = np.full(n, -3)
    np.minimum.at(lo, d["movement"].to_numpy(), d_u)
    np.maximum.at(hi, d["movement"].to_numpy(), d_u)
    dest_u = np.where(m["n_dest"].to_numpy() == 0, -1, np.where(lo == hi, lo, -2))
    moved = f["moved"].fillna(0).to_numpy(dtype=np.int64)
    size = len(units)
    internal = (origin_u >= 0) & (origin_u == dest_u)

    def total(codes_: np.ndarray, values: np.ndarray) -> np.ndarray:
        ok = codes_ >= 0
        out = np.zeros(size, dtype=np.int64)
        np.add.at(out, codes_[ok], values[ok])
        return out

    out_count = total(np.where(internal, -1, origin_u), moved)
    in_count = total(np.where(internal, -1, dest_u), moved)
    several = dest_u == -2
    dm = d["movement"].to_numpy()
    pair = pd.DataFrame({"m": dm, "u": d_u})[several[dm]].drop_duplicates()
    in_unsplit = total(pair["u"].to_numpy(), moved[pair["m"].to_numpy()])
    inside = total(np.where(internal, origin_u, -1), moved)
    planned = total(origin_u, f["planned"].fillna(0).to_numpy(dtype=np.int64))
    cumulative = total(origin_u, f["cumulative"].where(f["latest"]).fillna(0).to_numpy(dtype=np.int64))
    names = pd.Series(label.to_numpy()).groupby(codes).first() if size else pd.Series(dtype=str)
    return pd.DataFrame(
        {
            "name": names.reindex(range(size)).to_numpy(),
            "out_count": out_count,
            "in_count": in_count,
            "in_unsplit": in_unsplit,
            "internal": inside,
            "net": in_count - out_count,
            "planned_out": planned,
            "cumulative_out": cumulative,
        },
        index=pd.Index(list(units), name=by),
    )


def filter_flows(
    graph: FlowGraph,
    *,
    date_from: dt.date | str | None = None,
    date_to: dt.date | str | None = None,
    kinds: Sequence[str] | None = None,
    group: str | None = None,
    place: str | None = None,
    direction: Literal["in", "out", "both"] = "both",
    between: tuple[str, str] | None = None,
    min_count: int | None = None,
) -> FlowGraph:
    """The movements that match every condition given.

    Parameters
    ----------
    graph
        The flows.
    date_from, date_to
        Keep movements whose dates overlap this range (undated ones are left out
        once a range is given).
    kinds
        Count kinds to keep (``"reported"``, ``"planned"``...).
    group
        Keep movements with this group in their breakdown, counted by it: the count
        becomes the group's count (the other groups are dropped), so totals are of
        that group only.
    place
        A place id or name: movements out of it (`direction` ``"out"``), into it
        (``"in"``, as a destination), or either (``"both"``).
    between
        Two place ids or names: movements from either one to the other.
    min_count
        Keep movements whose largest figure (count, else upper, else lower bound)
        is at least this.

    Examples
    --------
    >>> from evacmap.flows import FlowGraph
    >>> from evacmap.model import Movement, Place
    >>> a, b = Place("A", 34.0, 36.0, id="a"), Place("B", 35.0, 37.0, id="b")
    >>> g = FlowGraph([Movement(a, (b,), count=300, groups=(("fighters", 20),)), Movement(b, (a,), count=5)])
    >>> [m.count for m in filter_flows(g, group="fighters")]
    [20]
    >>> len(filter_flows(g, place="B", direction="in"))
    1
    """
    from evacmap.flows import FlowGraph

    t = graph.tables
    m = t.movements
    keep = np.ones(len(m), dtype=bool)
    if date_from is not None or date_to is not None:
        start = m["date_start"]
        end = m["date_end"]
        keep &= start.notna().to_numpy(dtype=bool)
        if date_from is not None:
            keep &= (end >= pd.Timestamp(date_from)).fillna(False).to_numpy(dtype=bool)
        if date_to is not None:
            keep &= (start <= pd.Timestamp(date_to)).fillna(False).to_numpy(dtype=bool)
    if kinds is not None:
        keep &= m["kind"].astype(str).isin(list(kinds)).to_numpy()
    if min_count is not None:
        value = m["count"].fillna(m["count_max"]).fillna(m["count_min"])
        keep &= (value >= min_count).fillna(False).to_numpy(dtype=bool)

    def rows_of(name: str) -> np.ndarray:
        p = t.places
        hit = (p["id"].astype(str) == name) | (p["name"].astype(str).str.casefold() == name.casefold())
        rows = np.flatnonzero(hit.to_numpy())
        if not len(rows):
            raise FlowGraphError(f"no place {name!r} in this graph", hint="give a place id or name it holds")
        return rows

    d = t.destinations
    if place is not None:
        rows = rows_of(place)
        out_ = np.isin(m["origin"].to_numpy(), rows)
        into = np.zeros(len(m), dtype=bool)
        into[d["movement"].to_numpy()[np.isin(d["place"].to_numpy(), rows)]] = True
        keep &= {"out": out_, "in": into, "both": out_ | into}[direction]
    if between is not None:
        ra, rb = rows_of(between[0]), rows_of(between[1])
        o = m["origin"].to_numpy()
        to_b = np.zeros(len(m), dtype=bool)
        to_a = np.zeros(len(m), dtype=bool)
        to_b[d["movement"].to_numpy()[np.isin(d["place"].to_numpy(), rb)]] = True
        to_a[d["movement"].to_numpy()[np.isin(d["place"].to_numpy(), ra)]] = True
        keep &= (np.isin(o, ra) & to_b) | (np.isin(o, rb) & to_a)
    tables = t
    if group is not None:
        g = t.groups[t.groups["group"].astype(str) == group]
        has = np.zeros(len(m), dtype=bool)
        has[g["movement"].to_numpy()] = True
        keep &= has
        counts = pd.Series(g["count"].to_numpy(), index=g["movement"].to_numpy())
        counts = counts[~counts.index.duplicated()]
        new = m.copy()
        new["count"] = counts.reindex(range(len(m))).astype(COUNT_DTYPE).to_numpy()
        new["count_min"] = pd.array([pd.NA] * len(m), dtype=COUNT_DTYPE)
        new["count_max"] = pd.array([pd.NA] * len(m), dtype=COUNT_DTYPE)
        tables = t.with_movements(new)
        tables = type(t).build(
            tables.places, tables.movements, tables.destinations, tables.waypoints,
            g, tables.sources, tables.evidence,
        )
    return FlowGraph(tables.take(keep), title=graph.title, rejected=graph.rejected)
