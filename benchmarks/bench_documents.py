"""Benchmark: one department's report as HTML, Word (.docx) and PDF, and the 自评表 as Excel and Word (not a test).

Run: python benchmarks/bench_documents.py [--runs 5]

Two measurements, on the shipped example (targets/actuals 2023/shifeng-npc: the department and 2 funds,
28 indicators, 15 charts):

* ``command``: the whole command as a user runs it, one new process each time
  (``python -m evaluator report T A -o out.<fmt> --force``): Python start, imports, loading, scoring,
  rendering, writing; for PDF also starting Chromium and printing. Median and fastest of ``--runs``,
  as wall time and as CPU time (user + system of the command and every process it waited for,
  Chromium's included: ``getrusage(RUSAGE_CHILDREN)``). On a machine other jobs share, the CPU time
  is the steadier figure.
* ``render``: in one warm process (imports done, inputs scored once), only the step that makes the
  file: ``render_report`` (HTML), ``render_docx`` (Word, charts drawn every time: nothing is cached
  between calls), ``print_pdf`` of the static-chart HTML (PDF), the two 自评表 builders.

``--against DIR`` (another checkout, e.g. ``git archive main | tar -x -C /tmp/before``) measures only the
three report commands, this tree's and DIR's in turn within every run, so that both see the same load
on a shared machine: a before/after comparison.

The figures go into benchmarks/RESULTS.md (section "## documents") by hand.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGETS, ACTUALS = ROOT / "targets" / "2023" / "shifeng-npc.yaml", ROOT / "actuals" / "2023" / "shifeng-npc.yaml"


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _command(arguments: list[str], runs: int, root: Path = ROOT) -> tuple[list[float], list[float]]:
    environment = {**os.environ, "PYTHONPATH": str(root)}
    times, cpu = [], []
    for _ in range(runs):
        started, used = time.perf_counter(), _cpu()
        subprocess.run([sys.executable, "-m", "evaluator", *arguments, "--force"], check=True, cwd=root,
                       env=environment, capture_output=True)
        times.append(time.perf_counter() - started)
        cpu.append(_cpu() - used)
    return times, cpu


def _compare(other: Path, runs: int) -> None:
    """The three report commands of this tree and of ``other``, in turn within each run."""
    trees = {"after": ROOT, "before": other.resolve()}
    measured: dict[tuple[str, str], tuple[list[float], list[float]]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for _ in range(runs):
            for suffix in ("html", "docx", "pdf"):
                for label, root in trees.items():
                    arguments = ["report", str(TARGETS), str(ACTUALS), "-o", str(Path(folder) / f"r.{suffix}")]
                    wall, cpu = _command(arguments, 1, root)
                    times = measured.setdefault((label, suffix), ([], []))
                    times[0].extend(wall)
                    times[1].extend(cpu)
    print(f"| tree | command | CPU median | CPU fastest | × HTML | wall median | wall fastest | × HTML |"
          f"   ({runs} runs, load average {os.getloadavg()[0]:.1f})")
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label in trees:
        wall_html, cpu_html = (statistics.median(t) for t in measured[(label, "html")])
        for suffix in ("html", "docx", "pdf"):
            wall, cpu = measured[(label, suffix)]
            print(f"| {label} | `report -o x.{suffix}` | {statistics.median(cpu):.2f} s | {min(cpu):.2f} s | "
                  f"{statistics.median(cpu) / cpu_html:.1f}× | {statistics.median(wall):.2f} s | {min(wall):.2f} s | "
                  f"{statistics.median(wall) / wall_html:.1f}× |")


def _warm(call, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    call()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--against", type=Path, help="another checkout: compare its report commands with this one's")
    options = parser.parse_args()
    runs = options.runs
    if options.against:
        _compare(options.against, runs)
        return
    rows: list[tuple[str, str, list[float]]] = []
    cpu_rows: list[tuple[str, list[float]]] = []
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        for name, arguments in (
            ("report .html", ["report", str(TARGETS), str(ACTUALS), "-o", str(out / "r.html")]),
            ("report .docx", ["report", str(TARGETS), str(ACTUALS), "-o", str(out / "r.docx")]),
            ("report .pdf", ["report", str(TARGETS), str(ACTUALS), "-o", str(out / "r.pdf")]),
            ("export .xlsx", ["export", str(TARGETS), str(ACTUALS), "-o", str(out / "s.xlsx")]),
            ("export .docx", ["export", str(TARGETS), str(ACTUALS), "-o", str(out / "s.docx")]),
        ):
            wall, cpu = _command(arguments, runs)
            rows.append(("command", name, wall))
            cpu_rows.append((name, cpu))

    from evaluator.io.load import load_inputs
    from evaluator.report.docx import render_docx
    from evaluator.report.pdf import print_pdf
    from evaluator.report.render import render_report
    from evaluator.rules import load_rules
    from evaluator.scoring import evaluate
    from evaluator.workbook.export import build_self_evaluation_workbook
    from evaluator.workbook.export_docx import build_self_evaluation_docx

    targets, actuals = load_inputs(TARGETS, ACTUALS)
    rules = load_rules("national-2020")
    result = evaluate(targets, actuals, rules)
    rows += [
        ("render", "report HTML", _warm(lambda: render_report(result, targets, actuals, rules=rules), runs)),
        ("render", "report Word", _warm(lambda: render_docx(result, targets, actuals, rules=rules), runs)),
        ("render", "report PDF", _warm(lambda: print_pdf(render_report(result, targets, actuals, rules=rules,
                                                                       static_charts=True)), runs)),
        ("render", "自评表 Excel", _warm(lambda: build_self_evaluation_workbook(result, targets, actuals), runs)),
        ("render", "自评表 Word", _warm(lambda: build_self_evaluation_docx(result, targets, actuals), runs)),
    ]
    html = {kind: statistics.median(t) for kind, name, t in rows if name in ("report .html", "report HTML")}
    print(f"| measurement | what | median | fastest | × HTML (median) |   ({runs} runs, {os.cpu_count()} CPUs)")
    print("| --- | --- | ---: | ---: | ---: |")
    for kind, name, times in rows:
        median = statistics.median(times)
        ratio = f"{median / html[kind]:.1f}×" if name.startswith(("report", "报告")) or "report" in name else ""
        print(f"| {kind} | {name} | {median:.2f} s | {min(times):.2f} s | {ratio} |")
    base = statistics.median(dict(cpu_rows)["report .html"])
    for name, times in cpu_rows:
        median = statistics.median(times)
        ratio = f"{median / base:.1f}×" if name.startswith("report") else ""
        print(f"| command, CPU time | {name} | {median:.2f} s | {min(times):.2f} s | {ratio} |")


if __name__ == "__main__":
    main()
