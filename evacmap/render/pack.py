"""Flows packed for the page: places once, movements as typed arrays, deflated, base64.

A canvas map does not carry one GeoJSON feature per flow. :func:`pack_flows` turns the
tables of a :class:`~evacmap.flows.FlowGraph` into a handful of typed arrays (place
coordinates and totals; per movement its origin and destination place rows, drawn
count, count kind, date step and largest group; sources, evidence, waypoints and
destination sets as index arrays), concatenates them into one little-endian buffer,
compresses it with zlib (the ``"deflate"`` format of the browser's
``DecompressionStream``) and writes it as base64 in a JSON object beside the strings
(names, dates, groups, sources, evidence text). The page decodes it with
``DecompressionStream``; :func:`unpack_flows` does the same in Python (for tests).

Two transforms make the buffer compress well, both undone exactly on decoding:

* ``delta``: sorted index columns (movement numbers of sources, evidence...) are
  stored as differences from the previous value;
* ``shuffle``: the bytes of multi-byte values are stored plane by plane (all first
  bytes, then all second bytes...), so the mostly-zero high bytes compress to little.

Every figure comes from :mod:`evacmap.counting`: the drawn count of a movement is its
``moved`` figure for reported and estimated counts, its ``planned`` figure for plans
and its ``cumulative`` figure for running totals, never a mix.

Examples
--------
>>> from evacmap.flows import FlowGraph
>>> from evacmap.model import Movement, Place
>>> a, b = Place("A", 34.7, 36.7, id="a"), Place("B", 35.9, 36.6, id="b")
>>> packed = pack_flows(FlowGraph([Movement(a, (b,), count=450)]))
>>> arrays = unpack_flows(packed)
>>> arrays["mo"].tolist(), arrays["md"].tolist(), arrays["mc"].tolist()
([0], [1], [450])
>>> packed["strings"]["names"]
['A', 'B']
"""

from __future__ import annotations

import base64
import logging
import zlib
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from evacmap import counting
from evacmap.errors import RenderError
from evacmap.flows import FlowGraph
from evacmap.render.hierarchy import place_levels
from evacmap.tables import FlowTables

__all__ = ["FORMAT", "KIND_CODES", "NO_STEP", "pack_flows", "unpack_flows"]

logger = logging.getLogger(__name__)

#: Version of the packed layout (the plugin refuses others).
FORMAT = 1
#: Count kind codes in ``mk`` (bits 0-1); bit 2 is set when the count is unknown.
KIND_CODES = {"reported": 0, "estimated": 1, "planned": 2, "cumulative": 3}
UNKNOWN_BIT = 4
#: ``mt`` of an undated movement, and ``mg`` of one without groups.
NO_STEP = 0xFFFF
NO_GROUP = 0xFFFF
#: Bits of ``pf`` (place flags).
HOLLOW_BIT, APPROXIMATE_BIT = 1, 2
#: Place total columns sent for tooltips (only those that are not all zero): the
#: counting rules' totals, less those the page derives (net, gross, people) or never shows.
PLACE_TOTALS = tuple(
    c for c in counting.TOTAL_COLUMNS if c not in ("cumulative_in_unsplit", "net", "gross", "people")
)
_COUNT_LIMIT = 2**32 - 1
_ALIGN = 8
_TYPES = {
    "i1": ("Int8Array", np.int8),
    "u1": ("Uint8Array", np.uint8),
    "u2": ("Uint16Array", np.uint16),
    "i4": ("Int32Array", np.int32),
    "u4": ("Uint32Array", np.uint32),
    "f4": ("Float32Array", np.float32),
    "f8": ("Float64Array", np.float64),
}

IntArray = npt.NDArray[np.int64]


class _Buffer:
    """Typed arrays laid end to end (8-byte aligned), with their specs."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.specs: list[dict[str, Any]] = []
        self.size = 0

    def add(self, name: str, values: Any, code: str, *, delta: bool = False) -> None:
        if code not in _TYPES:  # pragma: no cover - evacmap's own codes
            raise RenderError(f"unknown array type {code!r}")
        dtype = np.dtype(_TYPES[code][1]).newbyteorder("<")
        arr = np.asarray(values)
        if delta and len(arr):
            arr = np.diff(arr.astype(np.int64), prepend=0)
        data = arr.astype(dtype, copy=False)
        raw = data.tobytes()
        shuffle = dtype.itemsize > 1 and len(data) > 0
        if shuffle:
            raw = np.frombuffer(raw, dtype=np.uint8).reshape(-1, dtype.itemsize).T.tobytes()
        pad = (-self.size) % _ALIGN
        if pad:
            self.parts.append(b"\0" * pad)
            self.size += pad
        self.specs.append(
            {
                "name": name,
                "type": code,
                "length": len(data),
                "offset": self.size,
                "delta": bool(delta),
                "shuffle": shuffle,
            }
        )
        self.parts.append(raw)
        self.size += len(raw)

    def payload(self) -> bytes:
        return b"".join(self.parts)


def _count_code(*columns: Any) -> str:
    top = max((int(np.max(c)) for c in columns if len(c)), default=0)
    return "u4" if top <= _COUNT_LIMIT else "f8"


def _ints(values: pd.Series, fill: int = 0) -> IntArray:
    return np.asarray(values.fillna(fill).to_numpy(dtype=np.int64), dtype=np.int64)


def _factorize(values: pd.Series) -> tuple[IntArray, list[str]]:
    codes, uniques = pd.factorize(values.astype(str), sort=True)
    return np.asarray(codes, dtype=np.int64), [str(u) for u in uniques]


def drawn_figures(tables: FlowTables) -> tuple[IntArray, IntArray, npt.NDArray[np.bool_]]:
    """Per movement: the figure its width shows, its kind code, and whether it is unknown.

    The figure is the counting rules' ``moved`` value for reported and estimated
    counts, ``planned`` for planned ones and ``cumulative`` for cumulative ones.

    Examples
    --------
    >>> from evacmap.model import Movement, Place
    >>> a, b = Place("A", 0.0, 0.0), Place("B", 1.0, 1.0)
    >>> t = FlowTables.from_movements([Movement(a, (b,), count_max=9, count_kind="planned"), Movement(a, (b,))])
    >>> value, kind, unknown = drawn_figures(t)
    >>> value.tolist(), kind.tolist(), unknown.tolist()
    ([9, 0], [2, 0], [False, True])
    """
    m = tables.movements
    f = counting.figures(tables)
    kind = np.asarray(m["kind"].cat.codes.to_numpy(), dtype=np.int64)
    names = list(m["kind"].cat.categories)
    code_of = np.array([KIND_CODES[str(k)] for k in names], dtype=np.int64)
    kind = code_of[kind] if len(kind) else kind
    value = f["moved"].fillna(f["planned"]).fillna(f["cumulative"])
    unknown = value.isna().to_numpy(dtype=bool)
    return _ints(value), kind, unknown


def _steps(m: pd.DataFrame) -> tuple[IntArray, IntArray, list[str]]:
    start, end = m["date_start"], m["date_end"].fillna(m["date_start"])
    days = pd.concat([start, end]).dropna().unique()
    steps = np.sort(np.asarray(days, dtype="datetime64[s]"))
    labels = [str(d)[:10] for d in steps.astype("datetime64[D]")]

    def step(col: pd.Series) -> IntArray:
        vals = col.to_numpy(dtype="datetime64[s]")
        idx = np.searchsorted(steps, vals)
        return np.where(pd.isna(vals), NO_STEP, idx).astype(np.int64)

    return step(start), step(end), labels


def _group_of(tables: FlowTables, n: int) -> tuple[IntArray, list[str]]:
    """Per movement, its largest group (a code into the group names), or NO_GROUP."""
    g = tables.groups
    g = g[g["count"].notna()]
    out = np.full(n, NO_GROUP, dtype=np.int64)
    if not len(g):
        return out, []
    codes, names = _factorize(g["group"])
    frame = pd.DataFrame({"m": g["movement"].to_numpy(), "c": _ints(g["count"]), "g": codes})
    top = frame.sort_values(["m", "c", "g"], ascending=[True, False, True], kind="stable")
    top = top.drop_duplicates("m")
    out[top["m"].to_numpy()] = top["g"].to_numpy()
    return out, names


def place_info(places: pd.DataFrame) -> list[str]:
    """The text after each place's name in its tooltip: its kind, admin area and country.

    Examples
    --------
    >>> place_info(pd.DataFrame({"kind": ["town"], "admin1": [""], "country": ["SY"]}))
    ['town, SY']
    """
    kind = places["kind"].astype(str)
    parts = [kind]
    for col in ("admin1", "country"):
        v = places[col].fillna("").astype(str)
        parts.append(v.where(v == "", ", " + v))
    text = parts[0]
    for p in parts[1:]:
        text = text + p
    return [str(t) for t in text.tolist()]


def pack_flows(
    graph: FlowGraph,
    *,
    aggregate: bool = True,
    totals: pd.DataFrame | None = None,
    drawn: tuple[IntArray, IntArray, npt.NDArray[np.bool_]] | None = None,
) -> dict[str, Any]:
    """The movements and places of `graph` as a packed JSON-able object for the canvas layer.

    Parameters
    ----------
    graph
        The movements.
    aggregate
        Whether to send the place hierarchy of
        :func:`evacmap.render.hierarchy.place_levels` (for sums by zoom).
    totals, drawn
        ``counting.place_totals(graph.tables)`` and ``drawn_figures(graph.tables)``
        when the caller has them already (they are computed otherwise).

    Returns
    -------
    dict
        ``format``, ``counts`` (numbers of places, movements...), ``arrays`` (name,
        type, offset, length, delta, shuffle of each array in the buffer), ``b64``
        (the zlib-compressed buffer in base64), ``strings`` (names, place info, dates,
        groups, sources, evidence text and locations, stages, kinds) and ``levels``
        (kind, cell size and number of clusters of each aggregation level; their
        ``lv<k>`` arrays give each place's cluster).
        Movements are sorted by date step (undated last), else kept in input order,
        so a time window is one slice (with no dates but stages, the steps are the
        stages in the order the input first names them; ``counts["stepKind"]``): ``stepStart`` gives the first movement of each
        step.

    Raises
    ------
    RenderError
        When the graph has no movements.

    Examples
    --------
    >>> pack_flows(FlowGraph())
    Traceback (most recent call last):
    ...
    evacmap.errors.RenderError: there are no movements to pack.
    """
    t = graph.tables
    m0 = t.movements
    if not len(m0):
        raise RenderError("there are no movements to pack")
    p = t.places
    n, n_places = len(m0), len(p)
    value0, kind0, unknown0 = drawn if drawn is not None else drawn_figures(t)
    t0_all, t1_all, step_labels = _steps(m0)
    step_kind = "dates"
    stage_col = m0["stage"].fillna("").astype(str)
    if not step_labels and (stage_col != "").any():
        # No dates but stages: the slider steps through the stages, in the order the
        # input first names them.
        codes, uniques = pd.factorize(stage_col.where(stage_col != ""), sort=False)
        t0_all = np.where(codes >= 0, codes, NO_STEP).astype(np.int64)
        t1_all = t0_all
        step_labels = [str(u) for u in uniques]
        step_kind = "stages"
    sets = counting.destination_sets(t)
    dest0 = np.where(sets.code >= n_places, -2 - (sets.code - n_places), sets.code)
    origin0 = m0["origin"].to_numpy().astype(np.int64)
    group0, group_names = _group_of(t, n)
    # By date step (undated last), else in input order (so row numbers of the evidence
    # stay in step and compress to little): a time window is a slice.
    order = np.argsort(t0_all, kind="stable")
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)

    buf = _Buffer()
    # -- places -------------------------------------------------------------------------
    if totals is None:
        totals = counting.place_totals(t)
    people = totals["people"].to_numpy(dtype=np.int64)
    buf.add("plat", p["lat"].to_numpy(), "f4")
    buf.add("plon", p["lon"].to_numpy(), "f4")
    sent = [c for c in PLACE_TOTALS if totals[c].to_numpy().any()]
    count_code = _count_code(people, value0, *(totals[c].to_numpy() for c in sent))
    buf.add("pp", people, count_code)
    flags = np.where(people <= 0, HOLLOW_BIT, 0) | np.where(
        p["approximate"].to_numpy(dtype=bool), APPROXIMATE_BIT, 0
    )
    buf.add("pf", flags, "u1")
    for c in sent:
        buf.add("pt_" + c, totals[c].to_numpy(dtype=np.int64), count_code)
    # -- movements, in drawing-data order ---------------------------------------------------
    t0 = t0_all[order]
    buf.add("mo", origin0[order], "i4")
    buf.add("md", dest0[order], "i4")
    buf.add("mc", value0[order], count_code)
    buf.add("mk", kind0[order] | np.where(unknown0[order], UNKNOWN_BIT, 0), "u1")
    buf.add("mt", t0, "u2")
    if (t1_all != t0_all).any():
        buf.add("mt1", t1_all[order], "u2")
    if (group0 != NO_GROUP).any():
        buf.add("mg", group0[order], "u2")
    lo = m0["count_min"]
    hi = m0["count_max"]
    exact = m0["count"].notna().to_numpy(dtype=bool)
    # Bounds matter for the label only where no exact count was given.
    if (~exact & (lo.notna() | hi.notna()).to_numpy(dtype=bool)).any():
        bits = np.where(lo.notna().to_numpy(dtype=bool) & ~exact, 1, 0) | np.where(
            hi.notna().to_numpy(dtype=bool) & ~exact, 2, 0
        )
        buf.add("mb", bits[order], "u1")
        # Only where the label needs them (zeros elsewhere compress to nothing).
        lo_v = np.where(bits & 1, _ints(lo), 0)
        hi_v = np.where(bits & 2, _ints(hi), 0)
        buf.add("mlo", lo_v[order], _count_code(lo_v))
        buf.add("mhi", hi_v[order], _count_code(hi_v))
    stages = m0["stage"].fillna("").astype(str)
    stage_names: list[str] = []
    if (stages != "").any():
        codes, stage_names = _factorize(stages)
        buf.add("ms", codes[order], "u2" if len(stage_names) < NO_STEP else "i4")
    n_steps = len(step_labels)
    counts_per_step = np.bincount(np.minimum(t0, n_steps), minlength=n_steps + 1)
    buf.add("stepStart", np.r_[0, np.cumsum(counts_per_step)], "i4")
    # -- destination sets (movements with several destinations, split not reported) ----
    if sets.members:
        lens = np.array([len(s) for s in sets.members], dtype=np.int64)
        buf.add("setStart", np.r_[0, np.cumsum(lens)], "i4")
        buf.add("setPlace", np.concatenate([np.array(s, dtype=np.int64) for s in sets.members]), "i4")
    # -- linked rows, renumbered to the new movement order ----------------------------------
    info_codes, info_names = _factorize(pd.Series(place_info(p)))
    buf.add("pi", info_codes, "u2" if len(info_names) < NO_STEP else "i4")
    strings: dict[str, Any] = {
        "names": [str(x) for x in p["name"].astype(str).tolist()],
        "info": info_names,
        "dates": step_labels,
        "groups": group_names,
        "stages": stage_names,
        "kinds": list(KIND_CODES),
    }

    def linked(prefix: str, frame: pd.DataFrame, extra: Mapping[str, tuple[Any, str]]) -> None:
        if not len(frame):
            return
        mov = rank[frame["movement"].to_numpy()]
        o = np.lexsort((np.arange(len(mov)), mov))
        buf.add(prefix + "Mov", mov[o], "i4", delta=True)
        for name, (values, code) in extra.items():
            buf.add(prefix + name, np.asarray(values)[o], code)

    w = t.waypoints
    linked("w", w, {"Place": (w["place"].to_numpy(), "i4")})
    g = t.groups[t.groups["count"].notna()]
    if len(g):
        gcodes = np.searchsorted(np.array(group_names, dtype=object), g["group"].astype(str).to_numpy())
        # Stored as the movement's drawn figure minus the group's count: 0 for a group
        # that is the whole movement (the usual case in tables), so it costs nothing.
        rest = value0[g["movement"].to_numpy()] - _ints(g["count"])
        small = max(int(np.abs(rest).max()), int(value0.max(initial=0))) < 2**31
        linked("g", g, {"Name": (gcodes, "u2"), "Rest": (rest, "i4" if small else "f8")})
    s = t.sources
    if len(s):
        scodes, strings["sources"] = _factorize(s["source"])
        linked("s", s, {"Idx": (scodes, "i4")})
    ev = t.evidence
    if len(ev):
        files, strings["evidenceFiles"] = _factorize(ev["source"].fillna(""))
        text = ev["text"].fillna("").astype(str).to_numpy()
        mov = rank[ev["movement"].to_numpy()]
        o = np.lexsort((np.arange(len(mov)), mov))
        # Evidence text in the order of the sorted rows; eText points into it (-1: none).
        sorted_text = text[o]
        keep = sorted_text != ""
        strings["evidence"] = [str(x) for x in sorted_text[keep]]
        text_idx = np.full(len(ev), -1, dtype=np.int64)
        text_idx[np.flatnonzero(keep)] = np.arange(int(keep.sum()))
        buf.add("eMov", mov[o], "i4", delta=True)
        buf.add("eFile", files[o], "u2" if len(strings["evidenceFiles"]) < NO_STEP else "i4")
        buf.add("eLine", _ints(ev["line"])[o], "i4", delta=True)
        buf.add("eCol", _ints(ev["column"])[o], "u4")
        buf.add("eText", text_idx, "i4")

    levels: list[dict[str, Any]] = []
    if aggregate:
        for k, lv in enumerate(place_levels(p, people)):
            # Positions, names and sizes of clusters follow from these (in the page).
            buf.add(f"lv{k}", lv.parent, "u2" if len(lv.size) < NO_STEP else "i4")
            levels.append({"kind": lv.kind, "cellDeg": lv.cell_deg, "clusters": len(lv.size)})

    raw = buf.payload()
    blob = zlib.compress(raw, 6)
    b64 = base64.b64encode(blob).decode("ascii")
    logger.info(
        "Packed %d movements and %d places: %d bytes, %d deflated, %d in base64",
        n,
        n_places,
        len(raw),
        len(blob),
        len(b64),
    )
    return {
        "format": FORMAT,
        "counts": {
            "places": n_places,
            "movements": n,
            "steps": n_steps,
            "stepKind": step_kind,
            "sets": len(sets.members),
            "rawBytes": len(raw),
        },
        "countType": count_code,
        "placeTotals": sent,
        "arrays": buf.specs,
        "b64": b64,
        "strings": strings,
        "levels": levels,
    }


def unpack_flows(packed: Mapping[str, Any]) -> dict[str, npt.NDArray[Any]]:
    """The typed arrays of a :func:`pack_flows` object, decoded as the page decodes them.

    Parameters
    ----------
    packed
        What :func:`pack_flows` returned (or its JSON read back).

    Returns
    -------
    dict
        Array name to a numpy array of the array's type (deltas summed back).

    Raises
    ------
    RenderError
        When the object is not of this packed format, or its buffer is damaged.

    Examples
    --------
    >>> unpack_flows({"format": 0})
    Traceback (most recent call last):
    ...
    evacmap.errors.RenderError: packed flows of format 0 cannot be read (this is format 1).
    """
    if packed.get("format") != FORMAT:
        raise RenderError(
            f"packed flows of format {packed.get('format')!r} cannot be read (this is format {FORMAT})"
        )
    try:
        raw = zlib.decompress(base64.b64decode(packed["b64"], validate=True))
    except (ValueError, zlib.error) as e:
        raise RenderError(f"the packed flows are damaged: {e}") from e
    out: dict[str, npt.NDArray[Any]] = {}
    for spec in packed["arrays"]:
        dtype = np.dtype(_TYPES[spec["type"]][1]).newbyteorder("<")
        size = spec["length"] * dtype.itemsize
        chunk = raw[spec["offset"] : spec["offset"] + size]
        if len(chunk) != size:
            raise RenderError(f"the packed flows are damaged: array {spec['name']!r} is cut short")
        if spec["shuffle"]:
            chunk = np.frombuffer(chunk, dtype=np.uint8).reshape(dtype.itemsize, -1).T.tobytes()
        arr = np.frombuffer(chunk, dtype=dtype).copy()
        if spec["delta"]:
            arr = np.cumsum(arr.astype(np.int64)).astype(dtype)
        out[spec["name"]] = arr
    return out
