"""Places by id, P-code, GeoNames id and coordinate, across a gazetteer's layers.

The copy of a place that answers is the one in the most trusted layer: a place held
by an upper layer replaces, by id, its copies below (and the places the user's own
replace by name lead to the user's place).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from evacmap.errors import PlaceNotFoundError
from evacmap.gazetteer._index import PlaceIndex
from evacmap.gazetteer.sources import Admin1
from evacmap.model import Place

__all__ = ["IdLookup", "label"]


class IdLookup:
    """Finds places by identifier or position in a stack of layers.

    Parameters
    ----------
    layers
        Place indexes, most trusted first.
    admin1
        First-level administrative units by P-code.
    replaced
        Places the user's own replace by name: old id -> new id.
    """

    def __init__(
        self,
        layers: Sequence[PlaceIndex],
        admin1: Mapping[str, Admin1],
        replaced: Mapping[str, str],
    ) -> None:
        self._layers = tuple(layers)
        self._admin1 = admin1
        # Places of upper layers by id, so lower layers' copies are replaced.
        self._override: dict[str, Place] = {}
        for layer in self._layers:
            for p in layer.held_places or ():
                self._override.setdefault(p.id, p)
        for old_id, new_id in replaced.items():
            if new_id in self._override:
                self._override[old_id] = self._override[new_id]

    def __contains__(self, ident: str) -> bool:
        """Whether a place of a held (in-memory) layer has the id `ident`."""
        return ident in self._override

    def upper(self, place: Place) -> Place:
        """The copy of `place` that answers (the most trusted layer's)."""
        return self._override.get(place.id, place)

    def get(self, ident: str | int) -> Place:
        """A place by P-code, GeoNames id or evacmap id (see :meth:`Gazetteer.get`)."""
        text = str(ident).strip()
        if text.upper() in self._admin1:
            pcode = text.upper()
            for p in self._override.values():
                if p.pcode == pcode:
                    return p
            return self._admin1[pcode].to_place()
        if text in self._override:
            return self._override[text]
        code = text.removeprefix("pcode:")
        if code and code.replace("-", "").isalnum() and not code.isdigit():
            for layer in self._layers:
                row = layer.row_by_pcode(code)
                if row is not None:
                    return self._override.get(f"pcode:{code.upper()}", layer.place(row))
        gid = text.removeprefix("geonames:")
        if gid.isdigit():
            if f"geonames:{gid}" in self._override:
                return self._override[f"geonames:{gid}"]
            for layer in self._layers:
                row = layer.row_by_geonames_id(int(gid))
                if row is not None:
                    return layer.place(row)
        raise PlaceNotFoundError(
            text,
            what="place with the id or P-code",
            hint=(
                "give an OCHA P-code such as 'SY07', a GeoNames id such as 169577 or "
                "'geonames:169577', or an evacmap id such as 'evacmap:al-waer'"
            ),
        )

    def nearest(self, lat: float, lon: float, *, country: str | None = None) -> Place:
        """The place nearest to a coordinate (see :meth:`Gazetteer.nearest`)."""
        best: tuple[float, PlaceIndex, int] | None = None
        for layer in self._layers:
            found = layer.nearest_row(lat, lon, country=country)
            if found is not None and (best is None or found[0] < best[0]):
                best = (found[0], layer, found[1])
        if best is None:
            raise PlaceNotFoundError(
                f"{lat}, {lon}",
                country=country,
                what="place near",
                hint="check the ISO country code, or leave the country out",
            )
        return self.upper(best[1].place(best[2]))


def label(place: Place) -> str:
    """How messages name a place: "Name (CC)"."""
    return f"{place.name} ({place.country})" if place.country else place.name
