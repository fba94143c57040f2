"""Benchmark: ``evaluator batch`` over 100, 300 and 1,000 generated departments (not a test).

Run: python benchmarks/bench_batch.py [--sizes 100 300 1000] [--jobs N]

Each department has 20 department indicators and 3 funds of 10 indicators (benchmarks/generate.py).
The batch runs as its own process (``python -m evaluator batch T A -o OUT``), writing every report,
the index and the result files. Printed per size: wall time, departments per second, and memory:

* ``maxrss children``: resource.getrusage(RUSAGE_CHILDREN).ru_maxrss, the largest single process of
  the batch (the command or one of its workers);
* ``peak tree``: the largest sum of the resident sizes of the command and all its worker processes,
  sampled from /proc every 50 ms (what the machine had to hold at once).

The figures go into benchmarks/RESULTS.md (section "## batch") by hand.
"""

from __future__ import annotations

import argparse
import os
import resource
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


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
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
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.is_set():
            self.peak_kib = max(self.peak_kib, sum(_rss_kib(p) for p in _descendants(self.pid)))
            time.sleep(0.05)


def generate(root: Path, count: int, year: int = 2023) -> None:
    for kind in ("targets", "actuals"):
        (root / kind / str(year)).mkdir(parents=True, exist_ok=True)
    for seed in range(1, count + 1):
        slug, targets, actuals = department(seed, year, 20, 3, 10)
        (root / "targets" / str(year) / f"{slug}.yaml").write_text(targets, encoding="utf-8")
        (root / "actuals" / str(year) / f"{slug}.yaml").write_text(actuals, encoding="utf-8")


def subset(source: Path, target: Path, count: int, year: int = 2023) -> None:
    """Link the first ``count`` departments of ``source`` into ``target``."""
    for kind in ("targets", "actuals"):
        folder = target / kind / str(year)
        folder.mkdir(parents=True, exist_ok=True)
        for path in sorted((source / kind / str(year)).glob("*.yaml"))[:count]:
            (folder / path.name).symlink_to(path)


def run_batch(root: Path, out: Path, jobs: int | None) -> tuple[float, int]:
    command = [sys.executable, "-m", "evaluator", "batch", str(root / "targets" / "2023"),
               str(root / "actuals" / "2023"), "-o", str(out), "--force"]
    if jobs is not None:
        command += ["--jobs", str(jobs)]
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=HERE.parent, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    sampler = TreeSampler(process.pid)
    sampler.start()
    stdout, stderr = process.communicate()
    elapsed = time.perf_counter() - start
    sampler.stop.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"batch failed ({process.returncode}):\n{stdout.decode()}\n{stderr.decode()}")
    return elapsed, sampler.peak_kib


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 300, 1000])
    parser.add_argument("--jobs", type=int, default=None, help="passed to evaluator batch --jobs")
    parser.add_argument("--keep", type=Path, default=None, help="generate into this folder and keep it")
    args = parser.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="bench-batch-"))
    largest = max(args.sizes)
    start = time.perf_counter()
    if not (base / "all" / "targets" / "2023").is_dir():
        generate(base / "all", largest)
    print(f"generated {largest} departments in {time.perf_counter() - start:.1f} s under {base}")
    print(f"cpus: {os.cpu_count()}, python {sys.version.split()[0]}")
    print("| departments | indicators | wall time (s) | departments/s | output (MB) | maxrss children (MiB) | "
          "peak tree (MiB) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    try:
        for size in sorted(args.sizes):
            root = base / f"n{size}"
            if not root.exists():
                subset(base / "all", root, size)
            out = base / f"out{size}"
            elapsed, peak_kib = run_batch(root, out, args.jobs)
            children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            megabytes = sum(p.stat().st_size for p in out.iterdir()) / 1e6
            print(f"| {size:,} | {size * 50:,} | {elapsed:.1f} | {size / elapsed:.1f} | {megabytes:.0f} | "
                  f"{children:.0f} | {peak_kib / 1024:.0f} |", flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    print(f"max RSS of this script (generation): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
