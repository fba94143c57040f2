"""Evaluate every department of a year at once: the library behind ``evaluator batch``.

``run_batch`` pairs every ``<slug>.yaml`` of a targets folder with ``<slug>.yaml`` or ``<slug>.xlsx`` of
an actuals folder, scores each pair, and writes into one output folder:

* ``<slug>.html``: the self-evaluation report of each department, loading plotly.js from
* ``plotly-basic-4.1.1.min.js``: one shared copy (instead of 1.2 MB inlined in every report);
* ``index.html``: a sortable league table, the grade distribution, execution rate against score,
  outliers, and the departments that could not be evaluated, with their messages;
* ``results.csv`` (UTF-8 with BOM), ``results.xlsx``: one row per department and scope;
* ``results.json``: the list of every department's result (formats.md §3).

A department whose files are broken is listed on the index and skipped; it never stops the batch.
A department whose ``year:`` differs from the year of the others is evaluated, and listed on the
index among the departments to look at (``year_outliers``).
Nothing is written when any output file exists and ``force`` is false (checked before any work);
each file is written atomically, and the same inputs give byte-identical files. With ``workers`` > 1
the departments are scored in a process pool whose results come back in input order, so the output
does not depend on which process did what.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from evaluator.analysis.discovery import INDEX, RESERVED, Pair, find_pairs
from evaluator.analysis.outliers import find_outliers, year_outliers
from evaluator.analysis.tables import (
    RESULTS_CSV,
    RESULTS_JSON,
    RESULTS_XLSX,
    result_row,
    results_csv,
    results_json,
    results_xlsx,
)
from evaluator.errors import EvaluatorError, InputError, InputErrors, OutputIsInputError, Severity, display_path
from evaluator.io.load import load_inputs
from evaluator.io.output import same_input, write_output
from evaluator.report.index_page import render_index
from evaluator.report.render import PLOTLY_JS, encode, plotly_js, render_report
from evaluator.results.scores import Evaluation, Result
from evaluator.results.summary import Batch, DepartmentSummary, Failure
from evaluator.rules import load_rules
from evaluator.scoring import evaluate

__all__ = ["BatchOutputsExistError", "default_workers", "planned_outputs", "run_batch", "summarise"]

MAX_MESSAGES = 20
NOTHING_TO_SCORE = "目标文件中没有可评分的内容：没有绩效指标，没有专项，实际值文件中也没有预算执行数据"
PARALLEL_FROM = 40  # fewer departments than this are scored in this process: a pool costs ~1 s to start

Progress = Callable[[int, int], None]


class BatchOutputsExistError(EvaluatorError):
    """Refuse to write into a folder that already holds some of the files the batch would write."""

    def __init__(self, folder: Path, existing: list[Path]) -> None:
        names = "、".join(p.name for p in existing[:5]) + (" 等" if len(existing) > 5 else "")
        super().__init__(
            f"{display_path(folder)}：已有 {len(existing)} 个输出文件（{names}），未覆盖，也未写入任何文件。\n"
            "    提示：确认要覆盖时加 --force，或用 -o 指定其他文件夹。"
        )
        self.existing = existing


def planned_outputs(folder: Path, pairs: list[Pair]) -> list[Path]:
    """Every file the batch may write: one report per department that has a targets file, and the rest."""
    reports = [folder / f"{p.slug}.html" for p in pairs if p.targets is not None and p.slug not in RESERVED]
    return [*reports, *(folder / name for name in (INDEX, RESULTS_CSV, RESULTS_XLSX, RESULTS_JSON, PLOTLY_JS))]


# --- scoring one department (in this process or in a worker) --------------------------------------------

_STATE: dict[str, Any] = {}


def _start(rules: Any, folder: Path, force: bool) -> None:
    _STATE.update(rules=rules, folder=folder, force=force)


def _process(pair: Pair) -> DepartmentSummary | Failure:
    """Score one department and write its report; return its summary, or why it could not be scored."""
    if pair.problem is not None or pair.targets is None:
        return Failure(pair.slug, pair.files, (pair.problem or "没有目标文件",))
    try:
        targets, actuals = load_inputs(pair.targets, pair.actuals)
    except InputErrors as error:
        return Failure(pair.slug, pair.files, _messages(error))
    except InputError as error:
        return Failure(pair.slug, pair.files, (str(error),))
    rules = _STATE["rules"]
    result = evaluate(targets, actuals, rules)
    if not result.evaluations:
        return Failure(pair.slug, pair.files, (NOTHING_TO_SCORE,))
    html = render_report(result, targets, actuals, rules=rules, plotly_src=PLOTLY_JS)
    write_output(_STATE["folder"] / f"{pair.slug}.html", encode(html), force=_STATE["force"],
                 inputs=[p for p in (pair.targets, pair.actuals) if p is not None])
    return summarise(pair.slug, result)


def _messages(error: InputErrors) -> tuple[str, ...]:
    problems = [p for p in error.problems if p.severity is Severity.ERROR] or list(error.problems)
    shown = [str(p) for p in problems[:MAX_MESSAGES]]
    if len(problems) > MAX_MESSAGES:
        shown.append(f"…… 另有 {len(problems) - MAX_MESSAGES} 个问题未列出")
    return tuple(shown)


def summarise(slug: str, result: Result) -> DepartmentSummary:
    """Return what the index and the result tables need of one result (pure)."""
    # the department as a whole; a file with funds only has no such scope, and its first fund stands in
    department = next((e for e in result.evaluations if e.scope == "department"), result.evaluations[0])
    points = sum((i.points for i in department.indicators), Decimal(0))
    earned = sum((i.score for i in department.indicators), Decimal(0))
    return DepartmentSummary(
        slug=slug,
        department=result.department,
        year=result.year,
        total=department.total,
        grade=department.grade,
        rate=department.execution.rate,
        execution_score=department.execution.score,
        indicator_rate=earned / points if points else None,
        funds=sum(1 for e in result.evaluations if e.scope == "project"),
        indicators=sum(len(e.indicators) for e in result.evaluations),
        unsupported=sum(_unsupported(e) for e in result.evaluations),
        rows=tuple(result_row(slug, result, e) for e in result.evaluations),
        result_json=result.dumps().encode("utf-8"),
    )


def _unsupported(evaluation: Evaluation) -> int:
    claimed_total = evaluation.claimed_total is not None and evaluation.claimed_total != evaluation.total
    return (sum(1 for i in evaluation.indicators if i.review) + (1 if evaluation.execution.review else 0)
            + (1 if claimed_total else 0))


# --- the whole batch -------------------------------------------------------------------------------------


def default_workers(departments: int) -> int:
    """Return how many processes to use: one for a small batch, else one per core (at most 4)."""
    if departments < PARALLEL_FROM:
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


def run_batch(
    targets_dir: Path | str,
    actuals_dir: Path | str,
    output_dir: Path | str,
    *,
    rules: str | Path = "national-2020",
    force: bool = False,
    workers: int | None = None,
    progress: Progress | None = None,
) -> Batch:
    """Score every department of a targets folder and write the reports, the index and the result tables.

    Raises InputError for a missing folder, no targets at all or no actuals file named like any of them
    (a wrong folder: nothing would be evaluated), InputErrors for a bad rule set, and
    BatchOutputsExistError (before anything is written) when an output file exists and ``force`` is
    false. Departments whose files are broken are returned in ``failures``, never raised.
    """
    folder = Path(output_dir)
    pairs = find_pairs(Path(targets_dir), Path(actuals_dir))
    inputs = [p for pair in pairs for p in (pair.targets, pair.actuals) if p is not None]
    if Path(str(rules)).is_file():  # a rule file of the user's
        inputs.append(Path(str(rules)))
    for planned in planned_outputs(folder, pairs):  # an output over an input: refused before any work
        same = same_input(planned, inputs)
        if same is not None:
            raise OutputIsInputError(planned, same.shown)
    if not force:
        existing = [p for p in planned_outputs(folder, pairs) if p.exists()]
        if existing:
            raise BatchOutputsExistError(folder, existing)
    rule_set = load_rules(rules)
    _make_folder(folder)
    outcomes = list(_outcomes(pairs, rule_set, folder, force, workers, progress))
    departments = tuple(o for o in outcomes if isinstance(o, DepartmentSummary))
    failures = tuple(o for o in outcomes if isinstance(o, Failure))
    outliers = find_outliers(departments, rule_set.low_rate_warning) + year_outliers(departments, Path(targets_dir))
    outliers = tuple(sorted(outliers, key=lambda o: o.slug))  # stable: each department's kinds keep their order
    grades = tuple(grade for grade, _ in rule_set.grade_bands)
    batch = Batch(folder, rule_set.name, rule_set.title, grades, departments, failures, outliers, ())
    files: list[tuple[str, bytes]] = [
        (PLOTLY_JS, plotly_js().encode("utf-8")),
        (RESULTS_JSON, results_json(departments)),
        (RESULTS_CSV, results_csv(departments)),
        (RESULTS_XLSX, results_xlsx(departments)),
        (INDEX, encode(render_index(batch, plotly_src=PLOTLY_JS))),
    ]
    written = [folder / f"{d.slug}.html" for d in departments]
    for name, data in files:
        written.append(write_output(folder / name, data, force=force))
    return replace(batch, written=tuple(written))


def _make_folder(folder: Path) -> None:
    """Create the output folder, or say why it cannot be (a file in its place, no permission)."""
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{display_path(folder)}：这是一个文件，不是文件夹，无法写入批量评价的输出",
                         hint="在 -o 后给出一个文件夹，如 reports/2023/。")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"{display_path(folder)}：无法建立输出文件夹：{error.strerror or error}",
                         hint="检查路径（上级路径中不能有同名的文件）和写入权限。") from None


def _outcomes(
    pairs: list[Pair], rules: Any, folder: Path, force: bool, workers: int | None, progress: Progress | None
) -> Iterator[DepartmentSummary | Failure]:
    count = len(pairs)
    processes = default_workers(count) if workers is None else max(1, workers)
    if processes == 1 or not _can_start_workers():
        _start(rules, folder, force)
        for done, pair in enumerate(pairs, start=1):
            yield _process(pair)
            if progress is not None:
                progress(done, count)
        return
    context = multiprocessing.get_context(_start_method())
    chunk = max(1, min(8, count // (processes * 8)))
    # a broken worker raises BrokenProcessPool instead of hanging the batch, as multiprocessing.Pool would
    with ProcessPoolExecutor(processes, mp_context=context, initializer=_start,
                             initargs=(rules, folder, force)) as pool:
        # map keeps the input order, so the output does not depend on the scheduling
        for done, outcome in enumerate(pool.map(_process, pairs, chunksize=chunk), start=1):
            yield outcome
            if progress is not None:
                progress(done, count)


def _start_method() -> str:
    """Return a start method that does not fork a process that may hold threads (forkserver, else spawn)."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        multiprocessing.get_context("forkserver").set_forkserver_preload(
            ["evaluator.analysis.batch"])
        return "forkserver"
    return "spawn"


def _can_start_workers() -> bool:
    """Worker processes re-import the main module by its file: not possible for ``python -`` or a REPL."""
    main = sys.modules.get("__main__")
    if main is None:
        return False
    file = getattr(main, "__file__", None)
    if file is None:
        return getattr(main, "__spec__", None) is not None
    return Path(file).is_file()
