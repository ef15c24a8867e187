"""Shared by the benchmarks: whole processes timed, with their peak memory, as medians."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

_LAUNCHER = """
import json, resource, subprocess, sys, time
t = time.perf_counter()
proc = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
seconds = time.perf_counter() - t
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
print(json.dumps({"seconds": seconds, "rss": rss, "code": proc.returncode, "out": proc.stdout,
                  "err": proc.stderr[-2000:]}))
"""


@dataclass
class Run:
    seconds: float
    max_rss_mb: float
    stdout: str


def run_measured(cmd: Sequence[str], env: dict[str, str] | None = None) -> Run:
    """Run a command; its wall time and peak RSS in MB (its process and descendants).

    A small launcher starts the command and reads ``RUSAGE_CHILDREN``, so the memory
    figure is the command's own, not this benchmark's.
    """
    proc = subprocess.run(
        [sys.executable, "-c", _LAUNCHER, *cmd], capture_output=True, text=True, env=env, check=True
    )
    res = json.loads(proc.stdout)
    if res["code"] != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed with status {res['code']}: {res['err']}")
    return Run(res["seconds"], res["rss"], res["out"])


def median_run(cmd: Sequence[str], repeats: int, env: dict[str, str] | None = None) -> Run:
    """The median time and memory of `repeats` runs of `cmd`."""
    runs = [run_measured(cmd, env) for _ in range(repeats)]
    return Run(
        statistics.median(r.seconds for r in runs),
        statistics.median(r.max_rss_mb for r in runs),
        runs[-1].stdout,
    )


def evacmap_cmd(*args: str) -> list[str]:
    """The installed ``evacmap`` command (beside this Python), or the same via ``-c``."""
    exe = Path(sys.executable).with_name("evacmap")
    if exe.exists():
        return [str(exe), *args]
    return [sys.executable, "-c", "from evacmap.cli.main import main; main()", *args]
