"""A place hierarchy for zoom aggregation: each place's cluster at a few coarser levels.

At a low zoom, a map of 100,000 flows among 5,000 places is a smear; the canvas layer
instead sums the flows between clusters of places and draws those sums. The clusters
come from here, built once in Python:

* grid levels: places in the same cell of a square grid of ``cell_deg`` degrees
  (16°, 8°, … 0.125°) are one cluster;
* an ``admin1`` level, when most places have a first-level admin P-code (as OCHA
  tables give): places of one governorate are one cluster, the others keep their
  1° grid cell. It takes the place of the 2° and 1° grid levels.

Levels that merge no places are left out. Each cluster is drawn at the mean position
of its places weighted by the people known there, and named after its place with the
most people. The sums themselves are made in the browser, in integers, per count
kind: a flow between two places of one cluster becomes that cluster's internal total,
so what is on the screen always adds up to the flows.

Examples
--------
>>> import pandas as pd
>>> places = pd.DataFrame({"lat": [34.1, 34.2, 36.9], "lon": [36.1, 36.2, 40.0], "admin1_pcode": ["", "", ""]})
>>> levels = place_levels(places, people=[5, 1, 2])
>>> [(lv.cell_deg, lv.parent.tolist(), lv.top.tolist()) for lv in levels]
[(8.0, [0, 0, 1], [0, 2])]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = ["GRID_DEGREES", "Level", "place_levels"]

#: Cell sizes of the grid levels, coarsest first.
GRID_DEGREES = (16.0, 8.0, 4.0, 2.0, 1.0, 0.5, 0.25, 0.125)
#: Share of places with an admin1 P-code above which the admin1 level is built.
ADMIN1_SHARE = 0.5
#: Grid size standing for an admin1 level when the browser picks a level by zoom.
ADMIN1_DEGREES = 1.5


@dataclass(frozen=True)
class Level:
    """One level of the hierarchy.

    Attributes
    ----------
    kind
        ``"grid"`` or ``"admin1"``.
    cell_deg
        Size of its clusters in degrees (for admin1, a typical size).
    parent
        Per place row, its cluster number.
    lat, lon
        Per cluster, where it is drawn.
    top
        Per cluster, the place row with the most people (it names the cluster).
    size
        Per cluster, its number of places.
    """

    kind: str
    cell_deg: float
    parent: npt.NDArray[np.int64]
    lat: npt.NDArray[np.float64]
    lon: npt.NDArray[np.float64]
    top: npt.NDArray[np.int64]
    size: npt.NDArray[np.int64]


def _level(kind: str, cell: float, keys: pd.Series, lat: npt.NDArray[np.float64],
           lon: npt.NDArray[np.float64], people: npt.NDArray[np.int64]) -> Level:
    parent, _ = pd.factorize(keys, sort=False)
    parent = np.asarray(parent, dtype=np.int64)
    k = int(parent.max()) + 1 if len(parent) else 0
    w = people.astype(np.float64) + 1.0
    wsum = np.bincount(parent, weights=w, minlength=k)
    c_lat = np.bincount(parent, weights=w * lat, minlength=k) / wsum
    c_lon = np.bincount(parent, weights=w * lon, minlength=k) / wsum
    order = np.lexsort((np.arange(len(parent)), -people, parent))
    first = np.r_[True, parent[order][1:] != parent[order][:-1]]
    top = np.zeros(k, dtype=np.int64)
    top[parent[order][first]] = order[first]
    size = np.bincount(parent, minlength=k).astype(np.int64)
    return Level(kind, cell, parent, c_lat, c_lon, top, size)


def place_levels(places: pd.DataFrame, people: Sequence[int] | npt.ArrayLike) -> list[Level]:
    """The aggregation levels of `places`, coarsest first (those that merge places).

    Parameters
    ----------
    places
        The places table (``lat``, ``lon`` and ``admin1_pcode`` columns).
    people
        Per place, the people known there (``place_totals()["people"]``), which
        weights the cluster positions and picks the cluster names.

    Returns
    -------
    list of Level
        Empty when there are fewer than two places.

    Examples
    --------
    >>> place_levels(pd.DataFrame({"lat": [1.0], "lon": [2.0], "admin1_pcode": [""]}), [3])
    []
    """
    n = len(places)
    if n < 2:
        return []
    lat = places["lat"].to_numpy(dtype=np.float64)
    lon = places["lon"].to_numpy(dtype=np.float64)
    ppl = np.asarray(people, dtype=np.int64)
    if "admin1_pcode" in places:
        pcode = places["admin1_pcode"].fillna("").astype(str).to_numpy()
    else:
        pcode = np.full(n, "", dtype=object)
    use_admin1 = float((pcode != "").mean()) >= ADMIN1_SHARE
    levels: list[Level] = []
    seen: set[bytes] = set()
    for cell in GRID_DEGREES:
        if use_admin1 and cell in (2.0, 1.0):
            if cell == 1.0:
                continue
            grid = (np.floor(lat) * 1000 + np.floor(lon)).astype(np.int64).astype(str)
            keys = pd.Series(np.where(pcode != "", "a:" + pcode, "g:" + grid))
            level = _level("admin1", ADMIN1_DEGREES, keys, lat, lon, ppl)
        else:
            cells = np.floor(lat / cell).astype(np.int64) * 100_000 + np.floor(lon / cell).astype(np.int64)
            level = _level("grid", cell, pd.Series(cells), lat, lon, ppl)
        k = len(level.size)
        if k == n:
            break  # every place alone: no finer level merges anything
        if k == 1:
            continue  # one cluster: everything would be internal
        sig = level.parent.tobytes()
        if sig in seen:
            continue
        seen.add(sig)
        levels.append(level)
    return levels
