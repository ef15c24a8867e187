"""FlowGraph: the movements of a report and everything derived from them.

Aggregation rules live here and only here:

* reported and estimated counts are summed ("moved");
* planned counts are summed among themselves and never added to what moved;
* cumulative totals are never added to the stages they contain: for each origin and
  set of destinations only the latest cumulative figure counts;
* a movement with several destinations and no reported split stays one movement.
  Its count goes to its origin's outflow, and to each destination only as an
  *unsplit* upper bound (``in_unsplit``), never as an invented share.

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
>>> g.to_networkx().edges["evacmap:al-waer", "x:idlib"]["count"] is None
True
"""

from __future__ import annotations

import dataclasses
import html
import logging
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from evacmap.errors import FlowGraphError, Problem
from evacmap.model import CountKind, Movement, Place

if TYPE_CHECKING:  # pragma: no cover
    import geopandas as gpd
    import networkx as nx
    import pandas as pd

__all__ = ["FlowGraph"]

logger = logging.getLogger(__name__)

_TOTAL_COLUMNS = (
    "out_count",
    "in_count",
    "in_unsplit",
    "planned_out",
    "planned_in",
    "planned_in_unsplit",
    "cumulative_out",
    "cumulative_in",
    "people",
)


def _sort_key(m: Movement) -> tuple[Any, ...]:
    end = m.date_end or m.date_start
    return (end is not None, end, m.people or 0)


class FlowGraph:
    """The movements of one or more reports, and the graph, totals and tables they give.

    Parameters
    ----------
    movements
        The movements. Those without an ``id`` are numbered ``m1``, ``m2``, ...
    rejected
        Problems with input rows that were left out (kept so nothing is lost silently).
    title
        A title for maps and exports.

    Examples
    --------
    >>> FlowGraph().totals().empty
    True
    """

    def __init__(
        self,
        movements: Iterable[Movement] = (),
        *,
        rejected: Sequence[Problem] = (),
        title: str = "",
    ) -> None:
        numbered: list[Movement] = []
        seen: set[str] = set()
        for i, m in enumerate(movements, start=1):
            if not isinstance(m, Movement):
                raise FlowGraphError(
                    f"`movements` must hold Movement values, got {type(m).__name__} at position {i}"
                )
            if not m.id:
                m = dataclasses.replace(m, id=f"m{i}")
            if m.id in seen:
                raise FlowGraphError(
                    f"two movements share the id {m.id!r}", hint="give each movement its own id"
                )
            seen.add(m.id)
            numbered.append(m)
        self._movements = tuple(numbered)
        self.rejected: tuple[Problem, ...] = tuple(rejected)
        self.title = title
        places: dict[str, Place] = {}
        for m in self._movements:
            for p in (m.origin, *m.waypoints, *m.destinations):
                known = places.setdefault(p.id, p)
                if (known.lat, known.lon) != (p.lat, p.lon):
                    raise FlowGraphError(
                        f"place id {p.id!r} is used for two coordinates: "
                        f"({known.lat}, {known.lon}) and ({p.lat}, {p.lon})",
                        hint="give different places different ids",
                    )
        self._places = places
        logger.debug("FlowGraph with %d movements and %d places", len(numbered), len(places))

    # -- container protocol ---------------------------------------------------------
    @property
    def movements(self) -> tuple[Movement, ...]:
        """The movements, in input order."""
        return self._movements

    @property
    def places(self) -> dict[str, Place]:
        """Every place named by a movement, by id, in first-seen order."""
        return dict(self._places)

    def __len__(self) -> int:
        return len(self._movements)

    def __iter__(self) -> Iterator[Movement]:
        return iter(self._movements)

    def __repr__(self) -> str:
        return f"<FlowGraph: {len(self._movements)} movements, {len(self._places)} places>"

    # -- aggregation ----------------------------------------------------------------
    def _latest_cumulative(self) -> list[Movement]:
        """For each (origin, destination set), the latest cumulative movement."""
        latest: dict[tuple[str, frozenset[str]], Movement] = {}
        for m in self._movements:
            if m.count_kind is not CountKind.CUMULATIVE or m.people is None:
                continue
            key = (m.origin.id, frozenset(d.id for d in m.destinations))
            if key not in latest or _sort_key(m) >= _sort_key(latest[key]):
                latest[key] = m
        return list(latest.values())

    def totals(self) -> pd.DataFrame:
        """People in and out of each place, one row per place.

        Returns
        -------
        pandas.DataFrame
            Indexed by place id, with ``name``, ``lat``, ``lon`` and:

            * ``out_count`` / ``in_count``: reported and estimated people who left /
              arrived (a count, or its "at least" bound when only that is known);
              ``in_count`` holds only counts whose destination is certain;
            * ``in_unsplit``: people in movements that went to this place *or* another
              destination of the same movement (split not reported): an upper bound;
            * ``planned_out``, ``planned_in``, ``planned_in_unsplit``: the same for
              planned figures (their upper bound when only "up to" is known);
            * ``cumulative_out`` / ``cumulative_in``: latest cumulative totals;
            * ``people``: the largest of ``out_count``, ``in_count``, ``cumulative_out``
              and ``cumulative_in``: the people known to have passed through.

            Counts are integers (0 when nothing is known).

        Examples
        --------
        >>> FlowGraph().totals().columns[:3].tolist()
        ['name', 'lat', 'lon']
        """
        import pandas as pd

        acc = {pid: dict.fromkeys(_TOTAL_COLUMNS, 0) for pid in self._places}
        for m in self._movements:
            n = m.people
            known = m.known_count
            if m.counts_as_moved:
                if known is None:
                    continue
                acc[m.origin.id]["out_count"] += known
                col = "in_count" if m.split_reported else "in_unsplit"
                for d in m.destinations:
                    acc[d.id][col] += known
            elif n is None:
                continue
            elif m.count_kind is CountKind.PLANNED:
                acc[m.origin.id]["planned_out"] += n
                col = "planned_in" if m.split_reported else "planned_in_unsplit"
                for d in m.destinations:
                    acc[d.id][col] += n
        for m in self._latest_cumulative():
            n = m.people or 0
            acc[m.origin.id]["cumulative_out"] += n
            if m.split_reported:
                acc[m.destinations[0].id]["cumulative_in"] += n
        for row in acc.values():
            row["people"] = max(
                row["out_count"], row["in_count"], row["cumulative_out"], row["cumulative_in"]
            )
        frame = pd.DataFrame.from_dict(acc, orient="index", columns=list(_TOTAL_COLUMNS))
        frame.insert(0, "name", [p.name for p in self._places.values()])
        frame.insert(1, "lat", [p.lat for p in self._places.values()])
        frame.insert(2, "lon", [p.lon for p in self._places.values()])
        frame.index.name = "place_id"
        return frame.astype({c: "int64" for c in _TOTAL_COLUMNS})

    def to_networkx(self, *, weight: str = "count") -> nx.DiGraph:
        """The origin–destination graph.

        Parameters
        ----------
        weight
            Name of the edge attribute that carries the summed count.

        Returns
        -------
        networkx.DiGraph
            Nodes are place ids with ``name``, ``lat``, ``lon``, ``kind``, ``country``,
            ``approximate`` and the :meth:`totals` columns. An edge per origin and
            destination, with:

            * `weight`: reported and estimated people attributed to exactly this pair,
              or None when no count is attributed to it (unknown, or only part of a
              movement whose split between destinations was not reported);
            * ``unsplit``: people in movements with several destinations including
              this one (they went here *or* to another of them);
            * ``planned``, ``cumulative``: planned sum and latest cumulative figure,
              or None;
            * ``movements``: ids of the movements along the edge.

        Examples
        --------
        >>> FlowGraph().to_networkx().number_of_nodes()
        0
        """
        import networkx as nx

        graph = nx.DiGraph(title=self.title)
        totals = self.totals()
        for pid, place in self._places.items():
            attrs = totals.loc[pid].to_dict() if pid in totals.index else {}
            attrs.update(
                name=place.name,
                lat=place.lat,
                lon=place.lon,
                kind=str(place.kind),
                country=place.country,
                approximate=place.approximate,
            )
            graph.add_node(pid, **attrs)
        cumulative_ids = {m.id for m in self._latest_cumulative()}
        for m in self._movements:
            for d in m.destinations:
                if not graph.has_edge(m.origin.id, d.id):
                    graph.add_edge(
                        m.origin.id,
                        d.id,
                        **{weight: None},
                        unsplit=0,
                        planned=None,
                        cumulative=None,
                        movements=[],
                    )
                edge = graph.edges[m.origin.id, d.id]
                edge["movements"].append(m.id)
                n = m.people
                known = m.known_count
                if m.counts_as_moved:
                    if known is None:
                        continue
                    if m.split_reported:
                        edge[weight] = (edge[weight] or 0) + known
                    else:
                        edge["unsplit"] += known
                elif n is None:
                    continue
                elif m.count_kind is CountKind.PLANNED:
                    edge["planned"] = (edge["planned"] or 0) + n
                elif m.id in cumulative_ids:
                    edge["cumulative"] = (edge["cumulative"] or 0) + n
        return graph

    # -- tables ---------------------------------------------------------------------
    def places_gdf(self) -> gpd.GeoDataFrame:
        """Places as a point GeoDataFrame (EPSG:4326) with their totals.

        Examples
        --------
        >>> FlowGraph().places_gdf().crs.to_epsg()
        4326
        """
        import geopandas as gpd
        import pandas as pd

        totals = self.totals()
        places = list(self._places.values())
        frame = totals.drop(columns=["lat", "lon"]).reset_index()
        frame["kind"] = [str(p.kind) for p in places]
        frame["country"] = [p.country for p in places]
        frame["admin1"] = [p.admin1 for p in places]
        frame["pcode"] = [p.pcode or "" for p in places]
        frame["geonames_id"] = pd.array([p.geonames_id for p in places], dtype="Int64")
        frame["approximate"] = [p.approximate for p in places]
        frame["source"] = [p.source for p in places]
        geometry = gpd.points_from_xy([p.lon for p in places], [p.lat for p in places])
        return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")

    def flows_gdf(self, *, geometry: Literal["straight", "arc"] = "straight") -> gpd.GeoDataFrame:
        """Movements as lines, one row per movement (EPSG:4326).

        Parameters
        ----------
        geometry
            ``"straight"`` for lines straight from origin to each destination (what GIS
            tools expect), ``"arc"`` for the curved arcs drawn on maps.

        Returns
        -------
        geopandas.GeoDataFrame
            A LineString for a movement with one destination; a MultiLineString, one
            part per destination, for a movement whose split was not reported (its
            ``count`` is the total, so summing the column stays right).

        Examples
        --------
        >>> len(FlowGraph().flows_gdf())
        0
        """
        import geopandas as gpd
        from shapely.geometry import LineString, MultiLineString

        from evacmap.arcs import build_arcs

        if geometry not in ("straight", "arc"):
            raise FlowGraphError(f"`geometry` must be 'straight' or 'arc', got {geometry!r}")
        rows: list[dict[str, Any]] = []
        geoms: list[Any] = []
        for m in self._movements:
            o = m.origin
            lats = np.array([d.lat for d in m.destinations])
            lons = np.array([d.lon for d in m.destinations])
            if geometry == "arc":
                parts = build_arcs(np.full(len(lats), o.lat), np.full(len(lats), o.lon), lats, lons)
            else:
                parts = np.array(
                    [LineString([(o.lon, o.lat), (lon, lat)]) for lat, lon in zip(lats, lons, strict=True)],
                    dtype=object,
                )
            flat = [g for part in parts for g in getattr(part, "geoms", [part])]
            geoms.append(flat[0] if len(flat) == 1 else MultiLineString(flat))
            rows.append(self._movement_record(m))
        frame = gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326")
        if frame.empty:
            frame = gpd.GeoDataFrame(
                {k: [] for k in self._movement_record_keys()}, geometry=[], crs="EPSG:4326"
            )
        # Counts stay integers with gaps (never 450.0): pandas' nullable integers.
        return frame.astype({c: "Int64" for c in ("count", "count_min", "count_max")})

    @staticmethod
    def _movement_record_keys() -> list[str]:
        return [
            "movement_id",
            "origin",
            "origin_id",
            "destinations",
            "destination_ids",
            "count",
            "count_kind",
            "count_min",
            "count_max",
            "split_reported",
            "groups",
            "date_start",
            "date_end",
            "stage",
            "source",
            "evidence",
        ]

    @staticmethod
    def _movement_record(m: Movement) -> dict[str, Any]:
        return {
            "movement_id": m.id,
            "origin": m.origin.name,
            "origin_id": m.origin.id,
            "destinations": "; ".join(d.name for d in m.destinations),
            "destination_ids": "; ".join(d.id for d in m.destinations),
            "count": m.count,
            "count_kind": str(m.count_kind),
            "count_min": m.count_min,
            "count_max": m.count_max,
            "split_reported": m.split_reported,
            "groups": "; ".join(f"{g}: {n}" for g, n in m.groups),
            "date_start": m.date_start.isoformat() if m.date_start else None,
            "date_end": m.date_end.isoformat() if m.date_end else None,
            "stage": m.stage,
            "source": "; ".join(m.sources),
            "evidence": "; ".join(str(e) for e in m.evidence),
        }

    def _repr_html_(self) -> str:
        """A small HTML summary for Jupyter; every name is escaped."""
        rows = "".join(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>".format(
                html.escape(m.origin.name),
                html.escape(", ".join(d.name for d in m.destinations)),
                html.escape(m.count_label),
                html.escape(str(m.count_kind)),
            )
            for m in self._movements[:50]
        )
        more = f"<p>… and {len(self._movements) - 50} more</p>" if len(self._movements) > 50 else ""
        return (
            f"<p><b>{html.escape(self.title or 'FlowGraph')}</b>: {len(self._movements)} "
            f"movements, {len(self._places)} places</p>"
            "<table><tr><th>origin</th><th>destinations</th><th>count</th><th>kind</th></tr>"
            f"{rows}</table>{more}"
        )
