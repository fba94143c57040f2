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

import csv
import io
import os
import statistics
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from evaluator.errors import EvaluatorError, InputError, InputErrors, Severity, display_path
from evaluator.results import STATUS_LABELS, STATUSES, Evaluation, Result

INDEX = "index.html"
RESULTS_CSV = "results.csv"
RESULTS_XLSX = "results.xlsx"
RESULTS_JSON = "results.json"
RESERVED = {"index"}  # a department called index.yaml would overwrite the index page
MAX_MESSAGES = 20
NOTHING_TO_SCORE = "目标文件中没有可评分的内容：没有绩效指标，没有专项，实际值文件中也没有预算执行数据"
PARALLEL_FROM = 40  # fewer departments than this are scored in this process: a pool costs ~1 s to start
UNSUPPORTED_MANY = 3  # this many claimed scores not supported by the rules makes a department an outlier
SCOPE_LABELS = {"department": "部门整体", "project": "专项"}
RESULT_COLUMNS = (
    "部门代码", "部门", "年度", "范围", "专项编号", "名称", "总分", "等级", "预算执行率", "预算执行得分",
    "指标数", *(STATUS_LABELS[s] for s in STATUSES),
)
TEXT_COLUMNS = {0, 1, 3, 4, 5, 7}  # the others are numbers
RATE_COLUMN = RESULT_COLUMNS.index("预算执行率")

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


@dataclass(frozen=True)
class Pair:
    """The files of one department; ``problem`` says why they cannot be scored (a file is missing)."""

    slug: str
    targets: Path | None
    actuals: Path | None
    problem: str | None = None

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(display_path(p) for p in (self.targets, self.actuals) if p is not None)


@dataclass(frozen=True)
class Failure:
    """A department that could not be evaluated, and every message explaining why."""

    slug: str
    files: tuple[str, ...]
    messages: tuple[str, ...]


@dataclass(frozen=True)
class DepartmentSummary:
    """What the index and the result tables need of one evaluated department."""

    slug: str
    department: str
    year: int
    total: Decimal
    grade: str
    rate: Decimal | None  # budget execution rate of the department as a whole (fraction)
    execution_score: Decimal | None
    indicator_rate: Decimal | None  # indicator score ÷ indicator points of the department as a whole
    funds: int
    indicators: int  # in every scope
    unsupported: int  # claimed scores (indicator, execution, total) the rules do not support
    rows: tuple[tuple[object, ...], ...]  # RESULT_COLUMNS, one per scope
    result_json: bytes  # Result.dumps() as UTF-8: smaller than str, which takes 2 bytes a character with Chinese


@dataclass(frozen=True)
class Outlier:
    slug: str
    department: str
    kind: str  # score-ahead | total-low | total-high | claims | year
    label: str
    message: str


@dataclass(frozen=True)
class Batch:
    """Everything a batch produced: evaluated departments and failures, both sorted by slug."""

    folder: Path
    rules: str
    rules_title: str
    grades: tuple[str, ...]  # the rule set's grades, best first
    departments: tuple[DepartmentSummary, ...]
    failures: tuple[Failure, ...]
    outliers: tuple[Outlier, ...]
    written: tuple[Path, ...]

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted({d.year for d in self.departments}))


# --- finding the files ----------------------------------------------------------------------------------


def _visible(path: Path) -> bool:
    return path.is_file() and not path.name.startswith((".", "~$"))


def find_actuals(folder: Path, slug: str) -> Path | None:
    """Return ``<slug>.yaml`` or ``<slug>.xlsx`` in ``folder``; None when neither exists.

    Raises InputError when both exist: which one holds the department's numbers is not for us to guess.
    """
    candidates = [folder / f"{slug}{suffix}" for suffix in (".yaml", ".xlsx")]
    present = [p for p in candidates if p.is_file()]
    if len(present) > 1:
        raise InputError(f"{display_path(folder)} 中同时有 {slug}.yaml 和 {slug}.xlsx 两份实际值文件",
                         hint="只保留一份（Excel 填报表或 YAML）。")
    return present[0] if present else None


def find_pairs(targets_dir: Path, actuals_dir: Path) -> list[Pair]:
    """Pair every targets file with its actuals file by name; unpaired files become failures, sorted by slug."""
    if not targets_dir.is_dir():
        raise InputError(f"目标文件夹“{display_path(targets_dir)}”不存在或不是文件夹",
                         hint="例如 evaluator batch targets/2023 actuals/2023 -o reports/2023/")
    if not actuals_dir.is_dir():
        raise InputError(f"实际值文件夹“{display_path(actuals_dir)}”不存在或不是文件夹")
    targets = {p.stem: p for p in sorted(targets_dir.glob("*.yaml")) if _visible(p)}
    actual_files = sorted(p for p in actuals_dir.iterdir() if _visible(p) and p.suffix in (".yaml", ".xlsx"))
    actual_stems = {p.stem for p in actual_files}
    if not targets:
        raise InputError(f"{display_path(targets_dir)} 中没有目标文件（*.yaml），未写入任何文件",
                         hint="检查文件夹是否选对，例如 evaluator batch targets/2023 actuals/2023 -o reports/2023/")
    if not (targets.keys() - RESERVED) & actual_stems:
        raise InputError(
            f"{display_path(actuals_dir)} 中没有与 {display_path(targets_dir)} 的目标文件同名的实际值文件"
            f"（目标文件：{_names(list(targets.values()))}；实际值文件：{_names(actual_files)}），未写入任何文件",
            hint="每个部门的实际值文件应与目标文件同名：<部门>.yaml 对应 <部门>.yaml 或 <部门>.xlsx；"
                 "检查两个文件夹是否选对、是否属于同一年度。",
        )
    pairs = []
    for slug in sorted(targets.keys() | actual_stems):
        target = targets.get(slug)
        if slug in RESERVED:
            pairs.append(Pair(slug, target, None, f"部门文件名“{slug}”与汇总页 {INDEX} 重名，请改用其他文件名"))
            continue
        if target is None:
            found = next(p for p in sorted(actuals_dir.glob(f"{slug}.*")) if p.suffix in (".yaml", ".xlsx"))
            pairs.append(Pair(slug, None, found, f"只有实际值文件，{display_path(targets_dir)} 中没有 {slug}.yaml"))
            continue
        try:
            actual = find_actuals(actuals_dir, slug)
        except InputError as error:
            pairs.append(Pair(slug, target, None, error.problem.message + "；" + error.problem.hint))
            continue
        if actual is None:
            pairs.append(Pair(slug, target, None,
                              f"没有实际值文件：{display_path(actuals_dir)} 中应有 {slug}.yaml 或 {slug}.xlsx"))
            continue
        pairs.append(Pair(slug, target, actual))
    return pairs


def _names(paths: list[Path]) -> str:
    if not paths:
        return "无"
    shown = "、".join(p.name for p in paths[:3])
    return shown + (f" 等 {len(paths)} 个" if len(paths) > 3 else "")


def planned_outputs(folder: Path, pairs: list[Pair]) -> list[Path]:
    """Every file the batch may write: one report per department that has a targets file, and the rest."""
    from evaluator.report.render import PLOTLY_JS

    reports = [folder / f"{p.slug}.html" for p in pairs if p.targets is not None and p.slug not in RESERVED]
    return [*reports, *(folder / name for name in (INDEX, RESULTS_CSV, RESULTS_XLSX, RESULTS_JSON, PLOTLY_JS))]


# --- scoring one department (in this process or in a worker) --------------------------------------------

_STATE: dict[str, Any] = {}


def _start(rules: Any, folder: Path, force: bool) -> None:
    _STATE.update(rules=rules, folder=folder, force=force)


def _process(pair: Pair) -> DepartmentSummary | Failure:
    """Score one department and write its report; return its summary, or why it could not be scored."""
    from evaluator.load import load_inputs
    from evaluator.output import write_output
    from evaluator.report.render import PLOTLY_JS, encode, render_report
    from evaluator.scoring import evaluate

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
    write_output(_STATE["folder"] / f"{pair.slug}.html", encode(html), force=_STATE["force"])
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


def result_row(slug: str, result: Result, evaluation: Evaluation) -> tuple[object, ...]:
    """One line of results.csv / results.xlsx, in RESULT_COLUMNS order."""
    ex = evaluation.execution
    return (
        slug, result.department, result.year, SCOPE_LABELS[evaluation.scope], evaluation.id or "",
        evaluation.name, evaluation.total, evaluation.grade, ex.rate, ex.score, len(evaluation.indicators),
        *(evaluation.count(status) for status in STATUSES),
    )


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
    from evaluator.output import write_output
    from evaluator.report.index_page import render_index
    from evaluator.report.render import PLOTLY_JS, encode, plotly_js
    from evaluator.rules import load_rules

    folder = Path(output_dir)
    pairs = find_pairs(Path(targets_dir), Path(actuals_dir))
    if not force:
        existing = [p for p in planned_outputs(folder, pairs) if p.exists()]
        if existing:
            raise BatchOutputsExistError(folder, existing)
    rule_set = load_rules(rules)
    folder.mkdir(parents=True, exist_ok=True)
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
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

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
    import multiprocessing

    if "forkserver" in multiprocessing.get_all_start_methods():
        multiprocessing.get_context("forkserver").set_forkserver_preload(
            ["evaluator.batch", "evaluator.scoring", "evaluator.report.render"])
        return "forkserver"
    return "spawn"


def _can_start_workers() -> bool:
    """Worker processes re-import the main module by its file: not possible for ``python -`` or a REPL."""
    import sys

    main = sys.modules.get("__main__")
    if main is None:
        return False
    file = getattr(main, "__file__", None)
    if file is None:
        return getattr(main, "__spec__", None) is not None
    return Path(file).is_file()


# --- outliers -------------------------------------------------------------------------------------------


def find_outliers(departments: tuple[DepartmentSummary, ...], low_rate_warning: Decimal) -> tuple[Outlier, ...]:
    """Return the departments an auditor looks at first, sorted by slug and kind (pure).

    * indicator score rate ahead of the budget execution rate by more than the rule set's warning line;
    * a total beyond 1.5 × IQR from the quartiles (with four or more departments);
    * ``UNSUPPORTED_MANY`` or more claimed scores that the rules do not support.
    """
    outliers = []
    low, high = quartile_fences(departments) or (None, None)
    for d in departments:
        if d.rate is not None and d.indicator_rate is not None and d.indicator_rate - d.rate > low_rate_warning:
            gap = (d.indicator_rate - d.rate) * 100
            outliers.append(Outlier(
                d.slug, d.department, "score-ahead", "得分高而执行率低",
                f"指标得分率{_pct(d.indicator_rate)}，预算执行率{_pct(d.rate)}，相差{gap:.1f}个百分点"
                f"（规则的提示线为{low_rate_warning * 100:.0f}个百分点）",
            ))
        if low is not None and high is not None and not low <= float(d.total) <= high:
            kind, label, side = ("total-low", "总分异常低", f"低于{low:.2f}") if float(d.total) < low else (
                "total-high", "总分异常高", f"高于{high:.2f}")
            outliers.append(Outlier(
                d.slug, d.department, kind, label,
                f"总分{d.total:f}，{side}（四分位数间距的1.5倍之外）",
            ))
        if d.unsupported >= UNSUPPORTED_MANY:
            outliers.append(Outlier(
                d.slug, d.department, "claims", "多项自评得分未获支持",
                f"{d.unsupported}项自评得分与按规则计算的得分不符",
            ))
    return tuple(outliers)


def batch_year(departments: tuple[DepartmentSummary, ...], folder: Path | None = None) -> int | None:
    """Return the year of the batch: the year most departments have; on a tie, the folder's name if it is one."""
    counts = Counter(d.year for d in departments).most_common()
    if not counts:
        return None
    tied = [year for year, count in counts if count == counts[0][1]]
    if len(tied) == 1:
        return tied[0]
    named = int(folder.name) if folder is not None and folder.name.isdigit() and len(folder.name) == 4 else None
    return named if named in tied else None


def year_outliers(departments: tuple[DepartmentSummary, ...], folder: Path | None = None) -> tuple[Outlier, ...]:
    """Return a department whose ``year:`` differs from the batch's year (a 2024 file in targets/2023) (pure).

    Such a department is still evaluated; with no year shared by most departments, every one is listed.
    """
    years = Counter(d.year for d in departments)
    if len(years) < 2:
        return ()
    year = batch_year(departments, folder)
    spread = "、".join(f"{y}年 {n} 个" for y, n in sorted(years.items()))
    outliers = []
    for d in departments:
        if year is None:
            message = f"文件中的年度为{d.year}年；本批部门的年度不一致（{spread}），请核对是否放错了文件夹"
        elif d.year != year:
            message = (f"文件中的年度为{d.year}年，与本批其他部门（{year}年）不同；已照常评价，"
                       "请核对是否放错了文件夹或写错了年度")
        else:
            continue
        outliers.append(Outlier(d.slug, d.department, "year", "年度与其他部门不同", message))
    return tuple(outliers)


def quartile_fences(departments: tuple[DepartmentSummary, ...]) -> tuple[float, float] | None:
    """Return the (low, high) 1.5 × IQR fences of the totals, or None with fewer than four departments."""
    if len(departments) < 4:
        return None
    q1, _, q3 = statistics.quantiles([float(d.total) for d in departments], n=4, method="inclusive")
    return q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)


def _pct(fraction: Decimal) -> str:
    return f"{fraction * 100:.1f}%"


# --- result tables ---------------------------------------------------------------------------------------


def results_json(departments: tuple[DepartmentSummary, ...]) -> bytes:
    """Return the JSON list of every result; the same text as json.dumps(list, indent=2) of them."""
    if not departments:
        return b"[]\n"
    parts = [b"  " + d.result_json.rstrip(b"\n").replace(b"\n", b"\n  ") for d in departments]
    return b"[\n" + b",\n".join(parts) + b"\n]\n"


def _csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    text = str(value)
    # a cell starting with = + - @ would be run as a formula when Excel opens the file: keep it text
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def results_csv(departments: tuple[DepartmentSummary, ...]) -> bytes:
    """Return results.csv: UTF-8 with a BOM (Excel reads it as UTF-8), one row per department and scope."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(RESULT_COLUMNS)
    for department in departments:
        for row in department.rows:
            writer.writerow([_csv_text(value) for value in row])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def results_xlsx(departments: tuple[DepartmentSummary, ...]) -> bytes:
    """Return results.xlsx: the same table as results.csv; text cells are always text, never formulas."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from evaluator.xlsxsafe import fixed_time, set_number, set_text, workbook_bytes

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "自评结果"
    bold = Font(bold=True)
    for column, name in enumerate(RESULT_COLUMNS, start=1):
        set_text(sheet.cell(row=1, column=column), name).font = bold
    row_number = 1
    for department in departments:
        for row in department.rows:
            row_number += 1
            for column, value in enumerate(row, start=1):
                cell = sheet.cell(row=row_number, column=column)
                if column - 1 in TEXT_COLUMNS:
                    set_text(cell, value)
                elif column - 1 == RATE_COLUMN:
                    set_number(cell, value, "0.00%")  # type: ignore[arg-type]
                else:
                    set_number(cell, value)  # type: ignore[arg-type]
    widths = {1: 12, 2: 36, 3: 7, 4: 9, 5: 9, 6: 24}
    for column in range(1, len(RESULT_COLUMNS) + 1):
        sheet.column_dimensions[get_column_letter(column)].width = widths.get(column, 10)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(RESULT_COLUMNS))}{max(row_number, 1)}"
    years = Counter(d.year for d in departments)
    year = max(years) if years else 2000
    return workbook_bytes(workbook, fixed_time(year))
