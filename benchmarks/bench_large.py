"""Benchmark: one department of 100,000 indicators through check, score --json and report (not a test).

Run: python benchmarks/bench_large.py [--indicators 100000] [--runs 3] [--keep DIR]

The targets file (about 10 MB of YAML, 100,000 department indicators) and its actuals file (5 MB) come
from benchmarks/generate.py. Each command runs as its own process (``python -m evaluator …``, stdout to
a file); it starts no other process, so its own figures are the whole cost. Printed per command:

* wall time (best and median of ``--runs``);
* CPU time (user + system) of the best run;
* peak RSS: ``ru_maxrss`` of that process from ``os.wait4``, i.e. the most memory it held at once.

The goal (issue 15): ≤ 10 s and ≤ 500 MB on the project's machine (2 cores, 24 GB). The figures go into
benchmarks/RESULTS.md (section "## large department") by hand.

``--stages`` instead times the stages of `score --json` and `report` in this process (CPU seconds, each
stage once, with the command's collector thresholds): loading each file, scoring (and, inside ``evaluate``,
the scoring steps it calls, found by name in ``evaluator.scoring.pipeline`` and skipped when a name is
gone), the JSON text and the report.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from generate import department  # noqa: E402

COMMANDS = [
    ("check T", ["check", "{t}"]),
    ("check T A", ["check", "{t}", "{a}"]),
    ("check T A --json", ["check", "{t}", "{a}", "--json"]),
    ("score T A --json", ["score", "{t}", "{a}", "--json"]),
    ("report T A", ["report", "{t}", "{a}", "-o", "{out}/report.html", "--force"]),
]


def run_once(arguments: list[str], log: Path) -> tuple[float, float, int, int]:
    """Run ``python -m evaluator …``; return wall seconds, CPU seconds, peak RSS (KiB) and the exit code."""
    with open(log, "wb") as out:
        start = time.perf_counter()
        process = subprocess.Popen([sys.executable, "-m", "evaluator", *arguments], stdout=out,
                                   stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, process.returncode


class _Clock:
    """CPU seconds spent inside wrapped functions (outermost calls only, so recursion is not counted twice)."""

    def __init__(self) -> None:
        self.spent: dict[str, float] = {}
        self.depth: dict[str, int] = {}

    def wrap(self, module: object, name: str, label: str) -> None:
        function = getattr(module, name, None)
        if function is None:
            return

        def timed(*args: object, **kwargs: object) -> object:
            self.depth[label] = self.depth.get(label, 0) + 1
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                self.depth[label] -= 1
                if not self.depth[label]:
                    self.spent[label] = self.spent.get(label, 0.0) + time.process_time() - start

        setattr(module, name, timed)


def stages(targets: Path, actuals: Path) -> None:
    gc.set_threshold(50_000, 20, 50)  # as the command does (cli.main): the stages are timed as it runs them
    start = time.process_time()
    import evaluator.cli.app  # noqa: F401 - what the command imports first
    import evaluator.scoring  # noqa: F401 - and then scoring (numpy; no pandas since the large-department work)

    print(f"{'imports (cli, scoring)':<46} {time.process_time() - start:6.2f}")
    from evaluator.io.load import check_pair, load_actuals, load_targets
    from evaluator.report.render import report_pieces
    from evaluator.rules import load_rules
    from evaluator.scoring import pipeline

    clock = _Clock()
    timed = (("indicator_table", "rows.indicator_table (parse, units, points)"),
             ("rows_columns", "arithmetic.rows_columns (the table)"), ("score_columns", "arithmetic.score_columns"),
             ("_indicator_score", "pipeline._indicator_score (per-row objects)"),
             ("explain", "  of which explain.explain"), ("review_indicator", "  of which claims.review_indicator"),
             ("score_execution", "execution.score_execution"), ("_row_warnings", "pipeline._row_warnings"))
    for name, label in timed:
        clock.wrap(pipeline, name, label)
    laps: list[tuple[str, float]] = []

    def lap(label: str, function: object, *args: object) -> object:
        begin = time.process_time()
        value = function(*args)  # type: ignore[operator]
        laps.append((label, time.process_time() - begin))
        return value

    loaded_targets = lap("load targets (YAML → model)", load_targets, targets)
    loaded_actuals = lap("load actuals (YAML → model)", load_actuals, actuals)
    lap("check_pair", check_pair, loaded_targets, loaded_actuals)
    rules = load_rules()
    result = lap("evaluate (scoring, total)", pipeline.evaluate, loaded_targets, loaded_actuals, rules)
    lap("result JSON text (score --json)", lambda: sum(len(p) for p in result.iter_json()))
    lap("report page (context, charts, template)",
        lambda: sum(len(p) for p in report_pieces(result, loaded_targets, loaded_actuals, rules=rules)))
    for label, seconds in laps:
        print(f"{label:<46} {seconds:6.2f}")
        if label.startswith("evaluate"):
            for _, inner in timed:  # in the order above (an inner step ends before the step around it)
                if inner in clock.spent:
                    print(f"    {inner:<42} {clock.spent[inner]:6.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--indicators", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="keep the generated files and outputs in this folder")
    parser.add_argument("--only", nargs="*", help="run only these commands (by their names above)")
    parser.add_argument("--stages", action="store_true", help="time the stages in this process instead")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-large-"))
    work.mkdir(parents=True, exist_ok=True)
    targets, actuals = work / "targets.yaml", work / "actuals.yaml"
    if not targets.exists():
        _, target_text, actual_text = department(1, 2023, indicators=args.indicators, funds=0)
        targets.write_text(target_text, encoding="utf-8")
        actuals.write_text(actual_text, encoding="utf-8")
    print(f"targets {targets.stat().st_size / 1e6:.1f} MB, actuals {actuals.stat().st_size / 1e6:.1f} MB, "
          f"{args.indicators:,} indicators; Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    # which evaluator the figures are of (the commands' `python -m evaluator` from this folder): a stale
    # non-editable install in site-packages once shadowed the working tree unnoticed
    where = subprocess.run([sys.executable, "-c", "import evaluator; print(evaluator.__file__)"],
                           capture_output=True, text=True, check=True).stdout.strip()
    print(f"evaluator: {where}")
    if args.stages:
        stages(targets, actuals)
        return
    print(f"{'command':<20} {'exit':>4} {'best s':>7} {'median s':>8} {'cpu s':>6} {'peak RSS MiB':>12}")
    try:
        for name, template in COMMANDS:
            if args.only and name not in args.only:
                continue
            arguments = [a.format(t=targets, a=actuals, out=work) for a in template]
            runs = [run_once(arguments, work / f"{name.replace(' ', '_')}.log") for _ in range(args.runs)]
            best = min(runs)
            print(f"{name:<20} {best[3]:>4} {best[0]:>7.2f} {statistics.median(r[0] for r in runs):>8.2f} "
                  f"{best[1]:>6.2f} {max(r[2] for r in runs) / 1024:>12.0f}", flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
