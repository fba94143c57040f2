"""Benchmark: ``evaluator batch`` over 1,000, 10,000 and 50,000 generated departments (not a test).

Run: python benchmarks/bench_batch.py [--sizes 1000 10000 50000] [--jobs N] [--engine local|dask]
                                      [--no-reports] [--broken PERCENT] [--keep DIR]

Each department has 20 department indicators and 3 funds of 10 indicators (benchmarks/generate.py):
50 indicators and 4 自评表 per department, every one distinct (its own seed: no department repeats
another's text, so nothing is answered from a cache that a real province would not hit as well). The
departments are generated once, in parallel, under DIR/all (kept with --keep); each size links the
first N of them. The batch runs as its own process (``python -m evaluator batch T A -o OUT``), writing
every report (unless --no-reports), the index and every result file. Printed per size:

* wall time, and time per department (wall time ÷ departments);
* CPU time per department: user + system time of the command and every process under it (sampled from
  /proc/<pid>/stat every 50 ms, so the last 50 ms of each process are missed), ÷ departments: the work
  done, whatever else the machine was running;
* ``peak tree``: the largest sum of the resident sizes (VmRSS) of the command and every process under it
  (pool workers, the forkserver; Dask's nannies, workers and their spawn helpers), sampled from /proc every
  50 ms: what the machine had to hold at once;
* ``largest process``: the largest VmHWM (peak resident size) among those processes;
* output size, and the load average of the machine before and after the run (other work running).

The figures go into benchmarks/RESULTS.md (section "## batch") by hand.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from generate import department  # noqa: E402

YEAR = 2023


def _status(pid: int, key: str) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(key):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return 0


def _cpu_ticks(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))
    except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
        return 0


def _descendants(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            parents[int(entry)] = int(fields[1])
        except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
            continue
    tree, frontier = [root], [root]
    while frontier:
        current = frontier.pop()
        children = [pid for pid, parent in parents.items() if parent == current]
        tree.extend(children)
        frontier.extend(children)
    return tree


class TreeSampler(threading.Thread):
    """Sample the summed RSS of a process and its descendants until it exits."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kib = 0
        self.largest_kib = 0
        self.processes = 0
        self.ticks: dict[int, int] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            tree = _descendants(self.pid)
            self.processes = max(self.processes, len(tree))
            self.peak_kib = max(self.peak_kib, sum(_status(p, "VmRSS:") for p in tree))
            self.largest_kib = max([self.largest_kib, *(_status(p, "VmHWM:") for p in tree)])
            for pid in tree:
                self.ticks[pid] = max(self.ticks.get(pid, 0), _cpu_ticks(pid))
            time.sleep(0.05)

    @property
    def cpu(self) -> float:
        """CPU seconds (user + system) of every process seen in the tree, as last sampled."""
        return sum(self.ticks.values()) / os.sysconf("SC_CLK_TCK")


def _write(seeds: range, root: str) -> None:
    for seed in seeds:
        slug, targets, actuals = department(seed, YEAR, 20, 3, 10)
        (Path(root) / "targets" / str(YEAR) / f"{slug}.yaml").write_text(targets, encoding="utf-8")
        (Path(root) / "actuals" / str(YEAR) / f"{slug}.yaml").write_text(actuals, encoding="utf-8")


def generate(root: Path, count: int) -> None:
    """Write departments 1 … count (those already there are kept), in one process per core."""
    for kind in ("targets", "actuals"):
        (root / kind / str(YEAR)).mkdir(parents=True, exist_ok=True)
    have = len(list((root / "actuals" / str(YEAR)).glob("*.yaml")))
    if have >= count:
        return
    step = 500
    parts = [range(first, min(first + step, count + 1)) for first in range(have + 1, count + 1, step)]
    with multiprocessing.get_context("fork").Pool(os.cpu_count() or 1) as pool:
        pool.starmap(_write, [(part, str(root)) for part in parts])


BROKEN = "schema: evaluator.targets/1\nyear: 2023\ndepartment: [未闭合\n"


def subset(source: Path, target: Path, count: int, broken: float = 0) -> None:
    """Link the first ``count`` departments of ``source`` into ``target``; ``broken`` percent get malformed targets."""
    every = round(100 / broken) if broken else 0
    for kind in ("targets", "actuals"):
        folder = target / kind / str(YEAR)
        folder.mkdir(parents=True, exist_ok=True)
        for number, path in enumerate(sorted((source / kind / str(YEAR)).glob("*.yaml"))[:count], start=1):
            if kind == "targets" and every and number % every == 0:
                (folder / path.name).write_text(BROKEN, encoding="utf-8")
            else:
                (folder / path.name).symlink_to(path)


def run_batch(root: Path, out: Path, extra: list[str]) -> tuple[float, TreeSampler, int]:
    command = [sys.executable, "-m", "evaluator", "batch", str(root / "targets" / str(YEAR)),
               str(root / "actuals" / str(YEAR)), "-o", str(out), "--force", *extra]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=HERE.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sampler = TreeSampler(process.pid)
    sampler.start()
    stdout, stderr = process.communicate()
    elapsed = time.perf_counter() - start
    sampler.stop.set()
    sampler.join()
    failed = stderr.decode("utf-8").count("\n  - ")  # one line per department that could not be evaluated
    if process.returncode not in (0, 1) or (process.returncode == 1 and not failed):
        raise SystemExit(f"batch failed ({process.returncode}):\n{stdout.decode()}\n{stderr.decode()}")
    return elapsed, sampler, failed


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--jobs", type=int, default=None, help="passed to evaluator batch --jobs")
    parser.add_argument("--engine", default="local", help="passed to evaluator batch --engine")
    parser.add_argument("--no-reports", action="store_true", help="passed to evaluator batch")
    parser.add_argument("--keep", type=Path, default=None, help="generate into this folder and keep it")
    parser.add_argument("--broken", type=float, default=0, help="percent of departments with a malformed targets file")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="bench-batch-"))
    extra = ["--engine", args.engine] + (["--jobs", str(args.jobs)] if args.jobs else []) + \
        (["--no-reports"] if args.no_reports else [])
    largest = max(args.sizes)
    start = time.perf_counter()
    generate(base / "all", largest)
    print(f"{largest} departments under {base} ({time.perf_counter() - start:.0f} s to generate what was missing)")
    print(f"cpus: {os.cpu_count()}, python {sys.version.split()[0]}, options: {' '.join(extra)}")
    print("| departments | not evaluated | wall time (s) | ms per department | CPU ms per department | "
          "peak tree (MiB) | largest process (MiB) | processes | output (MB) | load before → after |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    try:
        for size in sorted(args.sizes):
            root = base / (f"n{size}" + (f"-broken{args.broken:g}" if args.broken else ""))
            if not root.exists():
                subset(base / "all", root, size, args.broken)
            out = base / f"out{size}"
            before = os.getloadavg()[0]
            elapsed, sampler, failed = run_batch(root, out, extra)
            after = os.getloadavg()[0]
            print(f"| {size:,} | {failed:,} | {elapsed:.1f} | {elapsed * 1000 / size:.1f} | "
                  f"{sampler.cpu * 1000 / size:.1f} | {sampler.peak_kib / 1024:.0f} | "
                  f"{sampler.largest_kib / 1024:.0f} | {sampler.processes} | {_size(out) / 1e6:,.0f} | "
                  f"{before:.1f} → {after:.1f} |", flush=True)
            shutil.rmtree(out, ignore_errors=True)
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
