"""FlowGraph: the movements of one or more reports, held as tables, and what they give.

A :class:`FlowGraph` is a façade over :class:`~evacmap.tables.FlowTables` (places,
movements, destinations, waypoints, legs, groups, sources, evidence). Totals, graphs
and GeoDataFrames are derived from the tables by the counting rules of
:mod:`evacmap.counting` — the only place they are written. :class:`Movement` and
:class:`Place` stay the row-level API: a graph is made from movements and gives them
back on demand.

Examples
--------
>>> from evacmap.model import Movement, Place
>>> waer = Place("al-Waer", 34.747, 36.664, country="SY", id="evacmap:al-waer")
>>> idlib = Place("Idlib", 35.93, 36.63, country="SY", id="x:idlib")
>>> jarablus = Place("Jarablus", 36.82, 38.01, country="SY", id="x:jarablus")
>>> g = FlowGraph([Movement(waer, (idlib, jarablus), count=450)])
>>> t = g.totals()
>>> int(t.loc["evacmap:al-waer", "out_count"]), int(t.loc["x:idlib", "in_unsplit"])
(450, 450)
>>> G = g.to_networkx()
>>> sum(c for _, _, c in G.out_edges("evacmap:al-waer", data="count"))
450
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from evacmap import counting
from evacmap.errors import FlowGraphError, Problem
from evacmap.model import Movement, Place
from evacmap.tables import FlowTables

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd
    import networkx as nx

__all__ = ["FlowGraph", "ReadSummary"]

logger = logging.getLogger(__name__)

#: Node id of the unknown end of movements in networkx graphs.
UNKNOWN_NODE = "unknown"


@dataclass(frozen=True)
class ReadSummary:
    """What became of the rows of an input.

    Examples
    --------
    >>> str(ReadSummary(rows=52, movements=48, merged=3, rejected=1))
    '52 rows: 48 movements, 3 duplicates merged, 1 rejected'
    """

    rows: int
    movements: int
    merged: int = 0
    rejected: int = 0

    def __str__(self) -> str:
        return (
            f"{self.rows:,} rows: {self.movements:,} movements, "
            f"{self.merged:,} duplicates merged, {self.rejected:,} rejected"
        )


def _none_for_na(values: pd.Series) -> list[Any]:
    """The values as Python objects, None where missing (for networkx attributes)."""
    return list(values.astype(object).where(values.notna(), None).tolist())


def _opt(v: Any) -> Any:
    return None if v is pd.NA or v is None or (isinstance(v, float) and np.isnan(v)) else v


class FlowGraph:
    """The movements of one or more reports, and the graph, totals and tables they give.

    Parameters
    ----------
    movements
        The movements (numbered ``m1``, ``m2``... where they have no id), or ready
        :class:`~evacmap.tables.FlowTables`.
    rejected
        Problems with input rows that were left out (kept so nothing is lost silently).
    title
        A title for maps and exports.
    summary
        What the reader made of the input's rows.

    Examples
    --------
    >>> FlowGraph().totals().empty
    True
    """

    def __init__(
        self,
        movements: Iterable[Movement] | FlowTables = (),
        *,
        rejected: Sequence[Problem] = (),
        title: str = "",
        summary: ReadSummary | None = None,
    ) -> None:
        if isinstance(movements, FlowTables):
            self._tables = movements
        else:
            given = list(movements)
            self._tables = FlowTables.from_movements(given)
            if given and all(m.id for m in given):
                self.__dict__["movements"] = tuple(given)
        self.rejected: tuple[Problem, ...] = tuple(rejected)
        self.title = title
        self.summary = summary or ReadSummary(
            rows=len(self._tables.movements), movements=len(self._tables.movements),
            rejected=len(self.rejected),
        )
        logger.debug(
            "FlowGraph with %d movements and %d places",
            len(self._tables.movements),
            len(self._tables.places),
        )

    # -- construction ------------------------------------------------------------------
    @classmethod
    def from_movements(cls, movements: Iterable[Movement], **kwargs: Any) -> FlowGraph:
        """A graph of row-level movements (see the class parameters)."""
        return cls(list(movements), **kwargs)

    @classmethod
    def from_tables(cls, tables: FlowTables, **kwargs: Any) -> FlowGraph:
        """A graph over ready tables (see :mod:`evacmap.tables`)."""
        return cls(tables, **kwargs)

    @classmethod
    def concat(cls, graphs: Sequence[FlowGraph], *, title: str = "") -> FlowGraph:
        """One graph of several (e.g. several files or articles).

        Duplicates are not merged here: call :meth:`merge_duplicates`.

        Examples
        --------
        >>> len(FlowGraph.concat([FlowGraph(), FlowGraph()]))
        0
        """
        tables = FlowTables.concat([g.tables for g in graphs])
        rejected = [p for g in graphs for p in g.rejected]
        summary = ReadSummary(
            rows=sum(g.summary.rows for g in graphs),
            movements=len(tables.movements),
            merged=sum(g.summary.merged for g in graphs),
            rejected=sum(g.summary.rejected for g in graphs),
        )
        return cls(tables, rejected=rejected, title=title or " + ".join(g.title for g in graphs if g.title), summary=summary)

    def merge_duplicates(self) -> FlowGraph:
        """The graph with each convoy reported twice kept once, with both sources.

        See :func:`evacmap.counting.merge_duplicates` for what counts as the same
        convoy. Idempotent.

        Examples
        --------
        >>> FlowGraph().merge_duplicates().summary.merged
        0
        """
        tables, n = counting.merge_duplicates(self._tables)
        s = self.summary
        summary = ReadSummary(s.rows, len(tables.movements), s.merged + n, s.rejected)
        return FlowGraph(tables, rejected=self.rejected, title=self.title, summary=summary)

    # -- container protocol --------------------------------------------------------------
    @property
    def tables(self) -> FlowTables:
        """The typed tables (see :mod:`evacmap.tables`)."""
        return self._tables

    @cached_property
    def place_list(self) -> list[Place]:
        """Every place, in table order (built on first use)."""
        return self._tables.place_objects()

    @cached_property
    def movements(self) -> tuple[Movement, ...]:
        """The movements, in order (built on first use: a loop, for small graphs)."""
        return tuple(self._tables.movement_objects(self.place_list))

    @property
    def places(self) -> dict[str, Place]:
        """Every place named by a movement, by id, in first-seen order."""
        return {p.id: p for p in self.place_list}

    def __len__(self) -> int:
        return len(self._tables.movements)

    def __iter__(self) -> Iterator[Movement]:
        return iter(self.movements)

    def __repr__(self) -> str:
        return f"<FlowGraph: {len(self):,} movements, {len(self._tables.places):,} places>"

    # -- aggregation ----------------------------------------------------------------------
    def totals(self, *, unit: str = "people") -> pd.DataFrame:
        """People in and out of each place, one row per place.

        Parameters
        ----------
        unit
            What to add up (``"people"``; a count in another unit is never converted).

        Returns
        -------
        pandas.DataFrame
            Indexed by place id, with ``name``, ``lat``, ``lon`` and the integer columns
            of :func:`evacmap.counting.place_totals` (``out_count``, ``in_count``,
            ``in_unsplit``, ``internal``, ``through``, ``planned_*``,
            ``cumulative_*``, ``net``, ``gross``, ``people``).

        Examples
        --------
        >>> FlowGraph().totals().columns[:3].tolist()
        ['name', 'lat', 'lon']
        """
        p = self._tables.places
        tot = counting.place_totals(self._tables, unit=unit)
        frame = pd.concat([p[["name", "lat", "lon"]].reset_index(drop=True), tot.reset_index(drop=True)], axis=1)
        frame.index = pd.Index(p["id"].astype(str).to_numpy(), name="place_id")
        frame["name"] = frame["name"].astype(str)
        return frame

    def stage_gaps(self) -> pd.DataFrame:
        """Cumulative totals beside the sum of their stages (see :func:`evacmap.counting.stage_gaps`)."""
        return counting.stage_gaps(self._tables)

    def _node_ids(self, sets: counting.DestinationSets) -> list[str]:
        ids: list[str] = [str(i) for i in self._tables.places["id"].tolist()]
        for members in sets.members:
            ids.append("either:" + "|".join(ids[k] for k in members))
        return ids

    def to_networkx(
        self,
        *,
        weight: str = "count",
        forks: Literal["node", "edges"] = "node",
        unit: str = "people",
    ) -> nx.DiGraph:
        """The aggregated origin–destination graph.

        Parameters
        ----------
        weight
            Name of the edge attribute that carries the people who moved.
        forks
            ``"node"`` (default): a movement with several destinations and no reported
            split goes to a node ``either:<id>|<id>`` (kind ``"either"``) that carries
            its total; edges from it to each destination carry only ``unsplit``, the
            upper bound. Summing `weight` over a place's out-edges gives its
            ``out_count`` (its self-loop, ``internal``), over its in-edges its
            ``in_count``. ``"edges"``: edges straight from the origin to each
            destination, `weight` None, the total in ``unsplit`` on each.
        unit
            What is counted.

        Returns
        -------
        networkx.DiGraph
            Nodes are place ids with ``name``, ``lat``, ``lon``, ``kind``, ``country``,
            ``approximate`` and the :meth:`totals`; a node ``"unknown"`` stands for
            the unknown end of movements. Edges carry `weight`, ``unsplit``,
            ``planned``, ``planned_unsplit``, ``cumulative`` (each None when nothing
            is attributed) and ``movements`` (how many).

        Examples
        --------
        >>> FlowGraph().to_networkx().number_of_nodes()
        0
        """
        import networkx as nx

        if forks not in ("node", "edges"):
            raise FlowGraphError(f"`forks` must be 'node' or 'edges', got {forks!r}")
        edges, sets = counting.od_edges(self._tables, unit=unit)
        ids = self._node_ids(sets)
        graph = nx.DiGraph(title=self.title)
        tot = self.totals(unit=unit)
        attrs = tot.drop(columns=["lat", "lon", "name"]).to_dict("index")
        p = self._tables.places
        graph.add_nodes_from(
            (pid, {"name": name, "lat": lat, "lon": lon, "kind": kind, "country": country,
                   "approximate": approx, **attrs[pid]})
            for pid, name, lat, lon, kind, country, approx in zip(
                ids, p["name"].astype(str).tolist(), p["lat"].tolist(), p["lon"].tolist(),
                p["kind"].astype(str).tolist(), p["country"].astype(str).tolist(),
                p["approximate"].tolist(), strict=False,
            )
        )
        n_places = len(p)
        for k, members in enumerate(sets.members):
            graph.add_node(ids[n_places + k], kind="either", name=" or ".join(p["name"].iloc[list(members)]),
                           members=[ids[x] for x in members])
        cols = ["count", "unsplit", "planned", "planned_unsplit", "cumulative"]
        names = [weight if c == "count" else c for c in cols]
        values = [_none_for_na(edges[c]) for c in cols] + [edges["movements"].tolist()]
        keys = [*names, "movements"]
        if (edges["source"] < 0).any() or (edges["target"] < 0).any():
            graph.add_node(UNKNOWN_NODE, kind="unknown", name="unknown")
        node = np.asarray([*ids, UNKNOWN_NODE], dtype=object)  # index -1: the unknown end
        src = node[edges["source"].to_numpy()].tolist()
        dst = node[edges["target"].to_numpy()].tolist()
        graph.add_edges_from(
            (u, v, dict(zip(keys, row, strict=True)))
            for u, v, row in zip(src, dst, zip(*values, strict=True), strict=True)
        )
        ids.append(UNKNOWN_NODE)
        if forks == "edges" and sets.members:
            self._forks_as_edges(graph, ids, sets, weight)
        return graph

    @staticmethod
    def _forks_as_edges(graph: nx.DiGraph, ids: list[str], sets: counting.DestinationSets, weight: str) -> None:
        n_places = len(ids) - 1 - len(sets.members)
        for k, members in enumerate(sets.members):
            node = ids[n_places + k]
            for origin, _, data in list(graph.in_edges(node, data=True)):
                for x in members:
                    dest = ids[x]
                    if graph.has_edge(origin, dest):
                        e = graph.edges[origin, dest]
                        e["unsplit"] = (e["unsplit"] or 0) + (data[weight] or 0)
                        e["movements"] += data["movements"]
                    else:
                        graph.add_edge(origin, dest, **{weight: None}, unsplit=data[weight],
                                       planned=None, planned_unsplit=data["planned"],
                                       cumulative=None, movements=data["movements"])
            graph.remove_node(node)

    def to_multidigraph(self, *, weight: str = "count", unit: str = "people") -> nx.MultiDiGraph:
        """One edge per movement (keyed by its id), laid out as :meth:`to_networkx`.

        Edge sums per place equal those of :meth:`to_networkx` and :meth:`totals`.

        Examples
        --------
        >>> FlowGraph().to_multidigraph().number_of_edges()
        0
        """
        import networkx as nx

        t = self._tables
        sets = counting.destination_sets(t)
        ids = [*self._node_ids(sets), UNKNOWN_NODE]
        f = counting.figures(t, unit=unit)
        g = nx.MultiDiGraph(title=self.title)
        g.add_nodes_from(self.to_networkx(weight=weight, unit=unit).nodes(data=True))
        m = t.movements
        n_places = len(t.places)
        moved = [_opt(v) for v in f["moved"].tolist()]
        planned = [_opt(v) for v in f["planned"].tolist()]
        cumul = [_opt(v) if lt else None for v, lt in zip(f["cumulative"].tolist(), f["latest"].tolist(), strict=True)]
        for i, (mid, o, d) in enumerate(zip(m["id"].tolist(), m["origin"].tolist(), sets.code.tolist(), strict=True)):
            g.add_edge(ids[o], ids[d], key=mid, **{weight: moved[i]}, planned=planned[i], cumulative=cumul[i],
                       kind=str(m["kind"].iloc[i]))
            if d >= n_places:
                for x in sets.members[d - n_places]:
                    g.add_edge(ids[d], ids[x], key=mid, **{weight: None}, unsplit=moved[i],
                               planned_unsplit=planned[i], kind=str(m["kind"].iloc[i]))
        return g

    # -- tables -------------------------------------------------------------------------
    def places_gdf(self, *, unit: str = "people") -> gpd.GeoDataFrame:
        """Places as a point GeoDataFrame (EPSG:4326) with every total.

        Examples
        --------
        >>> FlowGraph().places_gdf().crs.to_epsg()
        4326
        """
        import geopandas as gpd

        p = self._tables.places
        tot = counting.place_totals(self._tables, unit=unit).reset_index(drop=True)
        frame = pd.concat([p.drop(columns=["lat", "lon"]).reset_index(drop=True), tot], axis=1)
        frame = frame.rename(columns={"id": "place_id"})
        geometry = gpd.points_from_xy(p["lon"].to_numpy(), p["lat"].to_numpy())
        return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")

    def flows_gdf(self, *, geometry: Literal["straight", "arc"] = "straight") -> gpd.GeoDataFrame:
        """Movements as features, one row per movement (EPSG:4326).

        Geometry: a LineString from the origin through its waypoints to its
        destination; a MultiLineString, one part per destination, for a movement whose
        split was not reported (its ``count`` is the total, once); a Point (or
        MultiPoint) at the known place for a movement whose other end is unknown or
        that stays within one place. Lines across the antimeridian are split.

        Fields: see :func:`evacmap.flows.flow_records`. Summing ``count`` gives the
        people who moved: planned and cumulative figures are in ``planned`` and
        ``cumulative``, never in ``count``.

        Examples
        --------
        >>> len(FlowGraph().flows_gdf())
        0
        """
        import geopandas as gpd

        if geometry not in ("straight", "arc"):
            raise FlowGraphError(f"`geometry` must be 'straight' or 'arc', got {geometry!r}")
        records = flow_records(self._tables)
        geoms = movement_geometries(self._tables, arcs=geometry == "arc")
        return gpd.GeoDataFrame(records, geometry=geoms, crs="EPSG:4326")

    # -- analytics (see evacmap.analytics) ------------------------------------------------
    def corridors(self, **kwargs: Any) -> pd.DataFrame:
        """Origin → destination(s) totals, largest first (:func:`evacmap.analytics.corridors`)."""
        from evacmap.analytics import corridors

        return corridors(self, **kwargs)

    def two_way(self, **kwargs: Any) -> pd.DataFrame:
        """Pairs of places with people moving both ways (:func:`evacmap.analytics.two_way`)."""
        from evacmap.analytics import two_way

        return two_way(self, **kwargs)

    def leg_loads(self, **kwargs: Any) -> pd.DataFrame:
        """People along each leg, through waypoints (:func:`evacmap.analytics.leg_loads`)."""
        from evacmap.analytics import leg_loads

        return leg_loads(self, **kwargs)

    def rollup(self, by: Literal["admin1", "country"] = "admin1", **kwargs: Any) -> pd.DataFrame:
        """Totals per governorate (P-code) or country (:func:`evacmap.analytics.rollup`)."""
        from evacmap.analytics import rollup

        return rollup(self, by=by, **kwargs)

    def filter(self, **kwargs: Any) -> FlowGraph:
        """The movements that match (:func:`evacmap.analytics.filter_flows`)."""
        from evacmap.analytics import filter_flows

        return filter_flows(self, **kwargs)

    def _repr_html_(self) -> str:
        """A small HTML summary for Jupyter; every name is escaped."""
        t = self._tables
        names = t.places["name"].astype(str).tolist()
        sets = counting.destination_sets(t)
        head = t.movements.head(50)
        rows = []
        for i, o in enumerate(head["origin"].tolist()):
            d = sets.code[i]
            dest = (
                "?" if d < 0 else names[d] if d < len(names)
                else " / ".join(names[x] for x in sets.members[d - len(names)])
            )
            count = head["count"].iloc[i]
            rows.append(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>".format(
                    html.escape(names[o] if o >= 0 else "?"),
                    html.escape(dest),
                    html.escape("" if pd.isna(count) else f"{int(count):,}"),
                    html.escape(str(head["kind"].iloc[i])),
                )
            )
        more = f"<p>… and {len(self) - 50:,} more</p>" if len(self) > 50 else ""
        return (
            f"<p><b>{html.escape(self.title or 'FlowGraph')}</b>: {len(self):,} "
            f"movements, {len(t.places):,} places</p>"
            "<table><tr><th>origin</th><th>destinations</th><th>count</th><th>kind</th></tr>"
            f"{''.join(rows)}</table>{more}"
        )


# -- per-movement records and geometry (shared by the GIS writers) -------------------------
#: Fields of a flow feature, in order.
FLOW_FIELDS = (
    "movement_id",
    "origin",
    "origin_id",
    "destination",
    "destination_ids",
    "waypoints",
    "waypoint_ids",
    "count",
    "count_kind",
    "count_reported",
    "count_min",
    "count_max",
    "planned",
    "cumulative",
    "cumulative_latest",
    "unit",
    "split_reported",
    "groups",
    "date",
    "date_end",
    "stage",
    "operation",
    "sources",
    "evidence",
    "confidence",
)


#: How each field is typed: plain text, integer, boolean, float, date, or ready JSON.
FIELD_TYPES = {
    "movement_id": "text", "origin": "text", "origin_id": "text", "destination": "json",
    "destination_ids": "json", "waypoints": "json", "waypoint_ids": "json", "count": "int",
    "count_kind": "text", "count_reported": "int", "count_min": "int", "count_max": "int",
    "planned": "int", "cumulative": "int", "cumulative_latest": "bool", "unit": "text",
    "split_reported": "bool", "groups": "json", "date": "date", "date_end": "date",
    "stage": "text", "operation": "text", "sources": "json", "evidence": "json",
    "confidence": "float",
}


def _nonempty(values: pd.Series) -> pd.Series:
    text = values.astype("string[pyarrow]")
    return text.where(text != "")


def flow_fields(tables: FlowTables) -> dict[str, pd.Series]:
    """The fields of every flow feature, column by column (see :func:`flow_records`).

    Text, number, boolean and date fields are typed columns (``<NA>`` where empty);
    ``destination`` and the list fields are ready JSON (``destination`` a JSON string
    for one destination, an array for several). Built without a Python loop over
    movements, except for the rare movements with several destinations, sources or
    evidence rows; text stays in Arrow.
    """
    from evacmap._jsoncols import (
        coalesce,
        json_lists,
        json_numbers,
        json_strings,
        objects,
        take_text,
    )

    m = tables.movements
    n = len(m)
    p = tables.places
    names = p["name"].astype("string[pyarrow]")
    ids = p["id"].astype("string[pyarrow]")
    names_json = json_strings(names)
    ids_json = json_strings(ids)
    f = counting.figures(tables)
    origin = m["origin"].to_numpy()
    d = tables.destinations
    d_mov, d_place = d["movement"].to_numpy(), d["place"].to_numpy()
    n_dest = m["n_dest"].to_numpy()
    single = n_dest[d_mov] == 1 if len(d_mov) else np.zeros(0, dtype=bool)
    one_pos = np.full(n, -1, dtype=np.int64)
    one_pos[d_mov[single]] = d_place[single]
    several = json_lists(d_mov[~single], take_text(names_json, d_place[~single]), n)
    w = tables.waypoints
    w_mov, w_place = w["movement"].to_numpy(), w["place"].to_numpy()
    g = tables.groups
    g_ok = g["count"].notna().to_numpy(dtype=bool)
    g = g[g_ok]
    g_items = coalesce(json_strings(g["group"].astype("string[pyarrow]"))) + ":" + json_numbers(g["count"])
    src = tables.sources
    ev = tables.evidence
    ev_objects = objects(
        {
            "source": json_strings(_nonempty(ev["source"])),
            "line": json_numbers(ev["line"]),
            "column": json_numbers(ev["column"]),
            "start": json_numbers(ev["start"]),
            "end": json_numbers(ev["end"]),
            "text": json_strings(_nonempty(ev["text"])),
        }
    )
    return {
        "movement_id": m["id"].astype("string[pyarrow]"),
        "origin": take_text(names, origin),
        "origin_id": take_text(ids, origin),
        "destination": coalesce(take_text(names_json, one_pos), several),
        "destination_ids": json_lists(d_mov, take_text(ids_json, d_place), n),
        "waypoints": json_lists(w_mov, take_text(names_json, w_place), n),
        "waypoint_ids": json_lists(w_mov, take_text(ids_json, w_place), n),
        "count": f["moved"],
        "count_kind": m["kind"].astype("string[pyarrow]"),
        "count_reported": m["count"],
        "count_min": m["count_min"],
        "count_max": m["count_max"],
        "planned": f["planned"],
        "cumulative": f["cumulative"],
        "cumulative_latest": pd.Series(f["latest"].to_numpy() & f["cumulative"].notna().to_numpy(dtype=bool)),
        "unit": m["unit"].astype("string[pyarrow]"),
        "split_reported": pd.Series(n_dest <= 1),
        "groups": json_lists(g["movement"].to_numpy(), g_items, n, brackets="{}"),
        "date": m["date_start"],
        "date_end": m["date_end"],
        "stage": _nonempty(m["stage"]),
        "operation": _nonempty(m["operation"]),
        "sources": json_lists(src["movement"].to_numpy(), json_strings(src["source"].astype("string[pyarrow]")), n),
        "evidence": json_lists(ev["movement"].to_numpy(), ev_objects, n),
        "confidence": m["confidence"],
    }


def flow_records(tables: FlowTables) -> pd.DataFrame:
    """One record per movement with the fields GIS files carry (:data:`FLOW_FIELDS`).

    * ``count``: the people who moved, as the counting rules count them (a
      reported or estimated count, else its "at least" bound) — summing it over the
      features gives the people who moved; empty for planned and cumulative figures;
    * ``count_kind``, ``count_reported`` (the count as stated), ``count_min``,
      ``count_max``: what the source said, so the movement reads back exactly;
    * ``planned``, ``cumulative`` (and ``cumulative_latest``: whether it is the
      latest of its operation): the figures kept apart;
    * ``destination``: the destination's name, or a JSON array of names when there
      are several (the split not reported); ``destination_ids``, ``waypoints``,
      ``groups`` (JSON object), ``sources``, ``evidence`` (JSON arrays);
    * ``date`` / ``date_end``: dates.

    Examples
    --------
    >>> flow_records(FlowTables.empty()).columns.tolist() == list(FLOW_FIELDS)
    True
    """
    from evacmap._jsoncols import coalesce, take_text

    fields = flow_fields(tables)
    m = tables.movements
    d = tables.destinations
    one = m["n_dest"].to_numpy()[d["movement"].to_numpy()] == 1
    pos = np.full(len(m), -1, dtype=np.int64)
    pos[d["movement"].to_numpy()[one]] = d["place"].to_numpy()[one]
    # One destination: its plain name, not a JSON string.
    plain = take_text(tables.places["name"].astype("string[pyarrow]"), pos)
    fields["destination"] = coalesce(plain, fields["destination"].where(pos < 0))
    return pd.DataFrame({k: fields[k] for k in FLOW_FIELDS})


def movement_geometries(tables: FlowTables, *, arcs: bool = False, decimals: int | None = None) -> np.ndarray:
    """The geometry of each movement (see :meth:`FlowGraph.flows_gdf`), vectorised.

    Examples
    --------
    >>> len(movement_geometries(FlowTables.empty()))
    0
    """
    import shapely

    from evacmap.arcs import build_arcs, path_lines

    m = tables.movements
    n = len(m)
    lat = tables.places["lat"].to_numpy()
    lon = tables.places["lon"].to_numpy()
    if decimals is not None:
        lat, lon = lat.round(decimals), lon.round(decimals)
    origin = m["origin"].to_numpy()
    w = tables.waypoints
    d = tables.destinations
    # The shared part of each path: origin (when known), then waypoints.
    t_mov = np.concatenate([np.flatnonzero(origin >= 0), w["movement"].to_numpy()])
    t_place = np.concatenate([origin[origin >= 0], w["place"].to_numpy()])
    t_ord = np.concatenate([np.full(int((origin >= 0).sum()), -1), w["order"].to_numpy()])
    o = np.lexsort((t_ord, t_mov))
    t_mov, t_place = t_mov[o], t_place[o]
    # One path per destination (or one per movement without destinations).
    n_dest = m["n_dest"].to_numpy()
    p_mov = np.concatenate([d["movement"].to_numpy(), np.flatnonzero(n_dest == 0)])
    p_end = np.concatenate([d["place"].to_numpy(), np.full(int((n_dest == 0).sum()), -1)])
    po = np.argsort(p_mov, kind="stable")
    p_mov, p_end = p_mov[po], p_end[po]
    # Vertices: each path takes its movement's shared points, then its end.
    t_start = np.searchsorted(t_mov, np.arange(n))
    t_len = np.bincount(t_mov, minlength=n)
    per_path = t_len[p_mov] + (p_end >= 0)
    path_of_vertex = np.repeat(np.arange(len(p_mov)), per_path)
    first = np.repeat(np.cumsum(per_path) - per_path, per_path)
    k = np.arange(len(path_of_vertex)) - first
    shared = k < t_len[p_mov][path_of_vertex]
    vplace = np.where(
        shared,
        t_place[np.minimum(t_start[p_mov][path_of_vertex] + k, max(len(t_place) - 1, 0))] if len(t_place) else -1,
        p_end[path_of_vertex],
    )
    if arcs:
        lines = _arc_paths(path_of_vertex, vplace, lat, lon, len(p_mov), build_arcs)
    else:
        lines = path_lines(path_of_vertex, lat[vplace], lon[vplace], len(p_mov))
    out = np.full(n, None, dtype=object)
    has_line = np.array([g is not None for g in lines], dtype=bool)
    line_count = np.bincount(p_mov[has_line], minlength=n)
    single = np.flatnonzero(line_count == 1)
    if len(single):
        pick = np.flatnonzero(has_line)
        first_line = pd.Series(pick).groupby(p_mov[pick]).first()
        out[single] = lines[first_line.loc[single].to_numpy()]
    for i in np.flatnonzero(line_count > 1).tolist():
        parts: list[Any] = []
        for g in lines[(p_mov == i) & has_line]:
            parts.extend(getattr(g, "geoms", [g]))
        out[i] = shapely.multilinestrings(parts)
    # No line at all: the known places, as points.
    for i in np.flatnonzero(line_count == 0).tolist():
        known = [x for x in [origin[i], *d["place"][d["movement"] == i].tolist()] if x >= 0]
        pts = sorted(set(known))
        out[i] = shapely.points(lon[pts[0]], lat[pts[0]]) if len(pts) == 1 else shapely.multipoints(
            np.column_stack([lon[pts], lat[pts]])
        )
    return out


def _arc_paths(path: np.ndarray, vplace: np.ndarray, lat: np.ndarray, lon: np.ndarray,
               n_paths: int, build_arcs: Any) -> np.ndarray:
    """Curved arcs step by step along each path (for maps-like exports)."""
    import shapely

    out = np.full(n_paths, None, dtype=object)
    same = path[1:] == path[:-1]
    a, b = vplace[:-1][same], vplace[1:][same]
    step_path = path[1:][same]
    moving = (lat[a] != lat[b]) | (lon[a] != lon[b])
    a, b, step_path = a[moving], b[moving], step_path[moving]
    if not len(a):
        return out
    arcs = build_arcs(lat[a], lon[a], lat[b], lon[b])
    for k in np.unique(step_path).tolist():
        parts: list[Any] = []
        for g in arcs[step_path == k]:
            parts.extend(getattr(g, "geoms", [g]))
        if len(parts) == 1:
            out[k] = parts[0]
        else:
            merged = shapely.line_merge(shapely.multilinestrings(parts))
            out[k] = merged
    return out
