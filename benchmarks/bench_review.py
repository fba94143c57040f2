"""Benchmark: ``evaluator review`` over folders of 100, 300 and 1,000 submitted 自评表 (not a test).

Run: python benchmarks/bench_review.py [--sizes 100 300 1000]

The files are the 15 published tables of tests/data/cases written as the official form (.xlsx and
.docx, tests/selfevalbuilders.py), copied under distinct names until the folder holds the size
asked for: every file is read, scored and reviewed (no cache: each file is read from disk and parsed
in full). The review runs as its own process (``python -m evaluator review DIR -o OUT``), one process
(the review has no worker pool), writing the index, one page per table, review.xlsx and results.json.
Printed per size: wall time, files per second, findings, and ``maxrss children``
(resource.getrusage(RUSAGE_CHILDREN).ru_maxrss, the review process).

The figures go into benchmarks/RESULTS.md (section "## review") by hand.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "tests"))


def _templates(folder: Path) -> list[Path]:
    import yaml
    from cases import CASES
    from selfevalbuilders import case_files

    files = []
    for path in sorted(CASES.glob("*.yaml")):
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
        case["name"] = path.name[:2]
        written = case_files(case, folder)
        files += [written[".xlsx"], written[".docx"]]
    return files


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 300, 1000])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        templates = _templates(root / "templates")
        for size in args.sizes:
            folder = root / f"submitted-{size}"
            folder.mkdir()
            for number in range(size):
                source = templates[number % len(templates)]
                shutil.copy(source, folder / f"{number:05d}-{source.name}")
            out = root / f"review-{size}"
            start = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "evaluator", "review", str(folder), "-o", str(out)],
                                  capture_output=True, text=True, check=False)
            wall = time.perf_counter() - start
            rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            print(f"{size:>6} files  {wall:7.1f} s  {size / wall:6.1f} files/s  maxrss children {rss:6.0f} MiB  "
                  f"exit {done.returncode}  {done.stdout.strip()}")


if __name__ == "__main__":
    main()
