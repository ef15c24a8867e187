"""Distances for the gazetteer's context signal: haversine, proximity and nearest anchors.

Places already resolved in a batch ("anchors") are context for the other names: a
candidate near them is more likely. :func:`nearest_anchor_km` finds, for many
candidates at once, the distance to the nearest anchor — pairwise for small batches,
through a fine-to-coarse grid for large ones, and always exactly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: Distance scale (km) of the near term of the proximity signal.
NEAR_KM = 50.0


_LOG_FAR = math.log10(1.0 + 5000.0)
_EARTH_KM = 6371.0088


def haversine_km(
    lat1: float | FloatArray,
    lon1: float | FloatArray,
    lat2: float | FloatArray,
    lon2: float | FloatArray,
) -> FloatArray:
    """Great-circle distance in km, element-wise (numpy broadcasting).

    Examples
    --------
    >>> round(float(haversine_km(34.72405, 36.72559, 34.43352, 35.84415)))
    87
    """
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dl = np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return np.asarray(2 * _EARTH_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))))


def proximity(distance_km: FloatArray) -> FloatArray:
    """How near a candidate is to the batch context, from 1 (there) to 0 (5,000 km+).

    Half a near term that separates the places of one region (10 km: 0.83, 100 km:
    0.33) and half a logarithmic term that still separates 500 km from 2,000 km.

    Examples
    --------
    >>> [round(float(x), 2) for x in proximity(np.array([0.0, 13.0, 99.0, 2179.0]))]
    [1.0, 0.74, 0.4, 0.06]
    """
    d = np.maximum(np.asarray(distance_km, dtype=np.float64), 0.0)
    near = 1.0 / (1.0 + d / NEAR_KM)
    far = 1.0 - np.minimum(1.0, np.log10(1.0 + d) / _LOG_FAR)
    return np.asarray(0.5 * near + 0.5 * far)


@dataclass
class Anchors:
    """Places already known in a batch: context for the others.

    ``source`` is the position of the query a place answered (its own answer is not
    context for that query), or -1 for places given by the caller.
    """

    lat: FloatArray = field(default_factory=lambda: np.zeros(0))
    lon: FloatArray = field(default_factory=lambda: np.zeros(0))
    country: npt.NDArray[np.str_] = field(default_factory=lambda: np.zeros(0, dtype="<U2"))
    source: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    #: False for the contenders of a name that is still ambiguous: they count for
    #: distance (coherence) but not for the country mix of the document.
    strong: BoolArray = field(default_factory=lambda: np.zeros(0, dtype=bool))

    def __len__(self) -> int:
        return len(self.lat)

    @classmethod
    def of(
        cls,
        lat: Sequence[float] | FloatArray,
        lon: Sequence[float] | FloatArray,
        country: Sequence[str] | npt.NDArray[np.str_],
        source: Sequence[int] | IntArray,
        *,
        strong: bool = True,
    ) -> Anchors:
        n = len(lat)
        return cls(
            np.array(lat, dtype=np.float64),
            np.array(lon, dtype=np.float64),
            np.array(country, dtype="<U2"),
            np.array(source, dtype=np.int64),
            np.full(n, strong, dtype=bool),
        )

    def __add__(self, other: Anchors) -> Anchors:
        return Anchors(
            np.concatenate([self.lat, other.lat]),
            np.concatenate([self.lon, other.lon]),
            np.concatenate([self.country, other.country]),
            np.concatenate([self.source, other.source]),
            np.concatenate([self.strong, other.strong]),
        )


def nearest_anchor_km(
    lat: FloatArray, lon: FloatArray, q: IntArray, anchors: Anchors
) -> FloatArray:
    """Distance from each point to the nearest anchor not answering the same name.

    Small batches compare every pair. Large ones bucket the anchors into grid cells
    and compare each point with the anchors in its own and the eight surrounding
    cells, from a fine grid to coarse ones: a point is settled on the first grid where
    the nearest anchor found is closer than any anchor outside those cells could be, so
    the answer is exact; points no grid settles are compared with every anchor.
    ``inf`` where no anchor is left.

    Examples
    --------
    >>> homs = Anchors.of([34.72405], [36.72559], ["SY"], [0])  # the answer to name 0
    >>> tripoli = (np.array([34.43352]), np.array([35.84415]))
    >>> nearest_anchor_km(*tripoli, np.array([1]), homs).round()  # for name 1
    array([87.])
    >>> nearest_anchor_km(*tripoli, np.array([0]), homs)  # name 0's own answer is no context
    array([inf])
    """
    n, m = len(lat), len(anchors)
    if m == 0 or n == 0:
        return np.full(n, np.inf)
    if n * m <= _PAIRWISE_LIMIT:
        return _nearest_pairwise(lat, lon, q, anchors)
    out = np.full(n, np.inf)
    todo = np.arange(n)
    for cell in _GRID_DEGREES:
        if not len(todo):
            break
        found, settled = _nearest_in_grid(lat[todo], lon[todo], q[todo], anchors, cell)
        out[todo] = np.minimum(out[todo], found)
        todo = todo[~settled]
    if len(todo):
        out[todo] = _nearest_pairwise(lat[todo], lon[todo], q[todo], anchors)
    return out


_PAIRWISE_LIMIT = 2_000_000
_GRID_DEGREES = (0.1, 0.5, 2.0, 8.0, 30.0)
_KM_PER_DEGREE = math.pi * _EARTH_KM / 180.0


def _nearest_pairwise(
    lat: FloatArray, lon: FloatArray, q: IntArray, anchors: Anchors
) -> FloatArray:
    n, m = len(lat), len(anchors)
    out = np.empty(n)
    step = max(1, _PAIRWISE_LIMIT // m)
    for s in range(0, n, step):
        e = min(n, s + step)
        d = haversine_km(lat[s:e, None], lon[s:e, None], anchors.lat[None, :], anchors.lon[None, :])
        d[q[s:e, None] == anchors.source[None, :]] = np.inf
        out[s:e] = d.min(axis=1)
    return out


def _cell_ids(lat: FloatArray, lon: FloatArray, cell: float) -> tuple[IntArray, IntArray, int]:
    n_lon = math.ceil(360.0 / cell)
    row = np.floor((np.asarray(lat) + 90.0) / cell).astype(np.int64)
    col = np.floor((np.asarray(lon) + 180.0) / cell).astype(np.int64) % n_lon
    return row, col, n_lon


def _nearest_in_grid(
    lat: FloatArray, lon: FloatArray, q: IntArray, anchors: Anchors, cell: float
) -> tuple[FloatArray, BoolArray]:
    """Nearest anchor in the 3 x 3 cells around each point, and whether that is final.

    It is final when closer than one cell width (shrunk by the cosine of latitude), the
    least distance to any anchor outside the nine cells.
    """
    a_row, a_col, n_lon = _cell_ids(anchors.lat, anchors.lon, cell)
    a_id = a_row * n_lon + a_col
    order = np.argsort(a_id, kind="stable")
    sorted_id = a_id[order]
    row, col, _ = _cell_ids(lat, lon, cell)
    n = len(lat)
    nb = np.stack(
        [(row + dr) * n_lon + (col + dc) % n_lon for dr in (-1, 0, 1) for dc in (-1, 0, 1)],
        axis=1,
    )
    lo = np.searchsorted(sorted_id, nb, "left")
    counts = np.searchsorted(sorted_id, nb, "right") - lo
    per_point = counts.sum(axis=1)
    out = np.full(n, np.inf)
    # Points in chunks, so that no chunk compares more than a few million pairs.
    start = 0
    cum = np.cumsum(per_point)
    while start < n:
        base = cum[start - 1] if start else 0
        stop = int(np.searchsorted(cum, base + _PAIRWISE_LIMIT, "right"))
        stop = max(stop, start + 1)
        sl = slice(start, stop)
        c = counts[sl].ravel()
        total = int(c.sum())
        if total:
            k = stop - start
            pair_point = np.repeat(np.repeat(np.arange(start, stop), 9), c)
            first = np.repeat(lo[sl].ravel() - np.cumsum(c) + c, c)
            pair_anchor = order[first + np.arange(total)]
            d = haversine_km(
                lat[pair_point],
                lon[pair_point],
                anchors.lat[pair_anchor],
                anchors.lon[pair_anchor],
            )
            d[anchors.source[pair_anchor] == q[pair_point]] = np.inf
            pp = per_point[sl]
            has = np.flatnonzero(pp)
            offsets = (np.cumsum(pp) - pp)[has]
            block = np.full(k, np.inf)
            block[has] = np.minimum.reduceat(d, offsets)
            out[sl] = block
        start = stop
    shrink = np.cos(np.radians(np.minimum(89.0, np.abs(lat) + 2 * cell)))
    settled = out <= cell * _KM_PER_DEGREE * shrink
    return out, settled
