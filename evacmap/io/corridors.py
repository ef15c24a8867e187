"""Corridor exports: one feature per origin and destination(s), the movements summed.

``evacmap export FLOWS -o out.gpkg --by corridor`` writes what a GIS user usually maps:
a line per corridor with the people who moved along it (``count``), the planned and
latest cumulative figures in their own fields, and how many movements it sums. A
corridor to several destinations whose split was not reported is one MultiLineString
carrying its total once; an unknown end gives a point at the known place. The sums
come from :func:`evacmap.counting.od_edges`, so the rules are those of every total.

Examples
--------
>>> from evacmap.flows import FlowGraph
>>> from evacmap.model import Movement, Place
>>> a, b = Place("A", 34.0, 36.0, id="a"), Place("B", 35.0, 37.0, id="b")
>>> fields, _ = corridor_fields(FlowGraph([Movement(a, (b,), count=3), Movement(a, (b,), count=4)]))
>>> fields["count"].tolist(), fields["movements"].tolist()
([7], [2])
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from evacmap import counting
from evacmap._atomic import atomic_output, write_bytes_atomic
from evacmap.errors import ExportError
from evacmap.flows import FlowGraph, movement_geometries
from evacmap.tables import FlowTables

__all__ = ["CORRIDOR_FIELDS", "corridor_fields", "write_corridors"]

#: Fields of a corridor feature, in order.
CORRIDOR_FIELDS = (
    "origin", "origin_id", "destination", "destination_ids", "count", "planned",
    "cumulative", "movements", "split_reported",
)


def _corridor_tables(graph: FlowGraph) -> tuple[FlowTables, pd.DataFrame]:
    t = graph.tables
    edges, sets = counting.od_edges(t)
    n_places = len(t.places)
    main = edges[edges["source"] < n_places].reset_index(drop=True)
    target = main["target"].to_numpy()
    k = len(main)
    d_mov = [np.flatnonzero((target >= 0) & (target < n_places))]
    d_place = [target[d_mov[0]]]
    d_order = [np.zeros(len(d_mov[0]), dtype=np.int64)]
    for code in np.unique(target[target >= n_places]).tolist():
        members = sets.members[code - n_places]
        rows = np.flatnonzero(target == code)
        d_mov.append(np.repeat(rows, len(members)))
        d_place.append(np.tile(np.asarray(members, dtype=np.int64), len(rows)))
        d_order.append(np.tile(np.arange(len(members)), len(rows)))
    movements = pd.DataFrame({
        "id": [f"c{i}" for i in range(k)],
        "origin": main["source"].to_numpy(),
        "count": main["count"].to_numpy(),
        "kind": "reported",
        "unit": "people",
    })
    dests = pd.DataFrame({
        "movement": np.concatenate(d_mov), "order": np.concatenate(d_order), "place": np.concatenate(d_place)
    })
    empty = pd.DataFrame({"movement": pd.Series([], dtype=np.int64)})
    tables = FlowTables.build(t.places, movements, dests, empty.assign(order=[], place=[]), empty, empty, empty)
    return tables, main


def corridor_fields(graph: FlowGraph) -> tuple[dict[str, pd.Series], FlowTables]:
    """The fields of every corridor (see :data:`CORRIDOR_FIELDS`), and the corridor tables.

    The tables hold one movement per corridor, for its geometry.
    """
    from evacmap._jsoncols import coalesce, json_lists, json_strings, take_text

    tables, main = _corridor_tables(graph)
    p = tables.places
    names = p["name"].astype("string[pyarrow]")
    ids = p["id"].astype("string[pyarrow]")
    m = tables.movements
    d = tables.destinations
    n = len(m)
    n_dest = m["n_dest"].to_numpy()
    one = n_dest[d["movement"].to_numpy()] == 1
    pos = np.full(n, -1, dtype=np.int64)
    pos[d["movement"].to_numpy()[one]] = d["place"].to_numpy()[one]
    several = json_lists(d["movement"].to_numpy()[~one], take_text(json_strings(names), d["place"].to_numpy()[~one]), n)
    fields = {
        "origin": take_text(names, m["origin"].to_numpy()),
        "origin_id": take_text(ids, m["origin"].to_numpy()),
        "destination": coalesce(take_text(names, pos), several),
        "destination_ids": json_lists(d["movement"].to_numpy(), take_text(json_strings(ids), d["place"].to_numpy()), n),
        "count": main["count"],
        "planned": main["planned"],
        "cumulative": main["cumulative"],
        "movements": main["movements"],
        "split_reported": pd.Series(n_dest <= 1),
    }
    return fields, tables


def write_corridors(graph: FlowGraph, path: str | os.PathLike[str]) -> Path:
    """Write the corridors of `graph` (GeoJSON, GeoPackage, FlatGeobuf or CSV), atomically.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = write_corridors(FlowGraph(), pathlib.Path(tempfile.mkdtemp()) / "c.geojson")
    >>> json.loads(out.read_text())["features"]
    []
    """
    from evacmap.io.export import (
        ATTRIBUTION,
        COUNT_RULES,
        EXPORT_FORMATS,
        PRECISION,
        _geometry_json,
        _json_fields,
    )

    p = Path(path)
    fmt = EXPORT_FORMATS.get(p.suffix.lower())
    if fmt is None:
        raise ExportError(f"{p.name!r}: evacmap cannot write that format", hint="use " + ", ".join(sorted(EXPORT_FORMATS)))
    fields, tables = corridor_fields(graph)
    geoms = movement_geometries(tables, decimals=PRECISION)
    meta = {"title": graph.title, "attribution": ATTRIBUTION, "count_rules": COUNT_RULES,
            "layer": "corridors: movements summed per origin and destination(s)"}
    if fmt == "geojson":
        from evacmap._jsoncols import lines_bytes, objects

        types = {"count": "int", "planned": "int", "cumulative": "int", "movements": "int",
                 "split_reported": "bool", "destination_ids": "json"}
        json_fields = _json_fields(fields, types)
        single = tables.movements["n_dest"].to_numpy() <= 1
        # One destination: a plain JSON string; several: the JSON array already made.
        json_fields["destination"] = json_fields["destination"].where(single, fields["destination"])
        props = objects(json_fields, prefix='"feature":"corridor",')
        lines = '{"type":"Feature","properties":' + props + ',"geometry":' + _geometry_json(
            geoms, rounded=True).astype("string[pyarrow]") + "}"
        head = f'{{"type":"FeatureCollection","name":{json.dumps(graph.title or "corridors")},"metadata":{json.dumps(meta, ensure_ascii=False)},"features":[\n'
        return write_bytes_atomic(p, head.encode("utf-8") + lines_bytes(lines, sep=",\n") + b"\n]}\n")
    import geopandas as gpd

    frame = gpd.GeoDataFrame(pd.DataFrame({k: fields[k] for k in CORRIDOR_FIELDS}), geometry=geoms, crs="EPSG:4326")
    if fmt == "csv":
        import shapely

        from evacmap.io.csvfile import write_csv

        frame = pd.DataFrame(frame.drop(columns="geometry")).assign(
            wkt=shapely.to_wkt(geoms, rounding_precision=PRECISION, trim=True) if len(frame) else [])
        out = frame.astype(object).where(frame.notna(), None)
        write_csv(p, list(out.columns), out.itertuples(index=False, name=None))
        return p
    from evacmap.io.export import _pyogrio_write

    driver = {"gpkg": "GPKG", "fgb": "FlatGeobuf"}[fmt]
    extra: dict[str, Any] = {"layer": "corridors"} if fmt == "gpkg" else {"spatial_index": False}
    with atomic_output(p) as tmp:
        _pyogrio_write(frame, tmp, driver=driver, geometry_type="Unknown",
                       layer_metadata={"DESCRIPTION": json.dumps(meta, ensure_ascii=False)}, **extra)
    return p
