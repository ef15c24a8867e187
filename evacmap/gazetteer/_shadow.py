"""Which copy of a place answers: the one in the most trusted layer.

The same place may be in several layers: a curated place and its GeoNames record
(same GeoNames id), an imported country dump and ``cities500`` (same ids), an OCHA
table and the curated governorates (same P-code), or a user's place that replaces a
bundled one by name (``Gazetteer.with_places``). A hit on a lower copy is moved to the
upper one. The lookups are built lazily, per layer, and only for the hits of a query,
so a gazetteer with a whole country's GeoNames added still opens in milliseconds.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from evacmap.gazetteer._index import PlaceIndex

IntArray = npt.NDArray[np.int64]


class _Lookup:
    """One layer's places by id, GeoNames id and P-code (built on first use)."""

    def __init__(self, layer: PlaceIndex) -> None:
        self.layer = layer
        self._gid: tuple[IntArray, IntArray] | None = None
        self._code: tuple[npt.NDArray[Any], IntArray] | None = None
        self.by_id: dict[str, int] = {}
        held = layer.held_places
        if held is not None:
            for row, p in enumerate(held):
                self.by_id.setdefault(p.id, row)

    def gids(self) -> tuple[IntArray, IntArray]:
        """Sorted GeoNames ids of the layer and the row of each."""
        if self._gid is None:
            g = self.layer.geonames_ids()
            if len(g) > 1 and bool(np.all(g[1:] > g[:-1])):  # GeoNames dumps are sorted
                order = np.arange(len(g), dtype=np.int64)
            else:
                order = np.argsort(g, kind="stable").astype(np.int64)
            self._gid = (g[order], order)
        return self._gid

    def codes(self) -> tuple[npt.NDArray[Any], IntArray]:
        """Sorted P-codes of the layer (upper case) and the row of each."""
        if self._code is None:
            c = self.layer.pcodes()
            if not (c != "").any():
                c = c[:0]  # no P-codes: nothing to sort
            order = np.argsort(c, kind="stable").astype(np.int64)
            self._code = (c[order], order)
        return self._code

    def find_gids(self, gids: IntArray) -> IntArray:
        """The row holding each GeoNames id, or -1."""
        keys, rows = self.gids()
        return _find(keys, rows, gids, gids != 0)

    def find_codes(self, codes: npt.NDArray[Any]) -> IntArray:
        """The row holding each P-code, or -1."""
        keys, rows = self.codes()
        return _find(keys, rows, codes, codes != "")


def _find(keys: npt.NDArray[Any], rows: IntArray, wanted: npt.NDArray[Any], valid: Any) -> IntArray:
    out = np.full(len(wanted), -1, dtype=np.int64)
    if not len(keys) or not len(wanted):
        return out
    pos = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    hit = (keys[pos] == wanted) & valid
    out[hit] = rows[pos[hit]]
    return out


class Shadows:
    """Moves hits on lower copies of a place to its copy in the most trusted layer.

    Parameters
    ----------
    layers
        The gazetteer's layers, most trusted first.
    replaced
        Places the user's own replace by name: old id -> new id (the new one in an
        upper layer held in memory).
    """

    def __init__(self, layers: Sequence[PlaceIndex], replaced: Mapping[str, str]) -> None:
        self._lookups = [_Lookup(layer) for layer in layers]
        self._replaced: dict[str, tuple[int, int]] = {}
        for old, new in replaced.items():
            for li, lk in enumerate(self._lookups):
                if new in lk.by_id:
                    self._replaced[old] = (li, lk.by_id[new])
                    break
        self._replaced_gid = {
            int(k.split(":", 1)[1]): t
            for k, t in self._replaced.items()
            if k.startswith("geonames:") and k.split(":", 1)[1].isdigit()
        }
        self._replaced_code = {
            k.split(":", 1)[1].upper(): t for k, t in self._replaced.items() if k.startswith("pcode:")
        }

    def _keys(self, li: int, rows: IntArray) -> tuple[list[str], IntArray, npt.NDArray[Any]]:
        """Ids (held layers only), GeoNames ids and P-codes of some rows of a layer."""
        layer = self._lookups[li].layer
        ids = layer.ids(rows) if layer.held_places is not None else []
        return ids, layer.geonames_ids(rows), layer.pcodes(rows)

    def targets(self, li: int, rows: IntArray) -> tuple[IntArray, IntArray]:
        """The layer and row that answer for each of some rows of layer `li`."""
        n = len(rows)
        t_layer = np.full(n, li, dtype=np.int64)
        t_row = np.asarray(rows, dtype=np.int64).copy()
        ids, gids, codes = self._keys(li, t_row)
        done = np.zeros(n, dtype=bool)
        if self._replaced:
            for i in range(n):
                t = (
                    (self._replaced.get(ids[i]) if ids else None)
                    or self._replaced_gid.get(int(gids[i]))
                    or self._replaced_code.get(str(codes[i]))
                )
                if t is not None and t[0] < li:
                    t_layer[i], t_row[i] = t
                    done[i] = True
        for lj in range(li):
            if done.all():
                break
            lk = self._lookups[lj]
            todo = np.flatnonzero(~done)
            found = np.full(len(todo), -1, dtype=np.int64)
            if ids and lk.by_id:
                found = np.array([lk.by_id.get(ids[i], -1) for i in todo.tolist()], dtype=np.int64)
            need = found < 0
            if need.any():
                found[need] = lk.find_gids(gids[todo[need]])
            need = found < 0
            if need.any() and len(codes):
                found[need] = lk.find_codes(codes[todo[need]])
            hit = found >= 0
            t_layer[todo[hit]] = lj
            t_row[todo[hit]] = found[hit]
            done[todo[hit]] = True
        return t_layer, t_row
