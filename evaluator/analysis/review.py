"""Review a folder of submitted 自评表: the library behind ``evaluator review``.

``review_files`` reads every file given (folders are searched, sub-folders included), scores each
table under the rule set and lists every finding (``checks.review``). ``run_review`` also writes, into
one output folder:

* ``index.html``: every table ranked by the claimed points the rules do not support, with filters,
  linking to
* ``tables/<n>-<file>[-<scope>].html``: one review page per table;
* ``review.xlsx``: the working paper (审计底稿), one row per finding, plus a summary per table and the
  files that could not be read;
* ``results.json``: the list of every file's result (formats.md §3), whose ``inputs`` name the
  submitted file and whose ``warnings`` hold the findings.

A file that is not a 自评表 or cannot be read is listed with its messages; the others go on.
Nothing is written when an output exists and ``force`` is false (checked before any work); each
file is written atomically, and the same inputs give the same bytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from evaluator.analysis.batch import BatchOutputsExistError
from evaluator.checks.review import review_findings, table_findings
from evaluator.errors import InputError, InputErrors, Severity, display_path
from evaluator.forms.selfeval import SelfEvaluation, file_slug, read_self_evaluation
from evaluator.io.output import write_output
from evaluator.report.render import encode
from evaluator.report.review_page import render_review_index, render_table_review
from evaluator.results.review import Finding, Review, ReviewFailure, TableReview
from evaluator.results.scores import Result
from evaluator.rules import RuleSet, load_rules
from evaluator.scoring import evaluate
from evaluator.version import __version__
from evaluator.workbook.review import review_workbook

__all__ = ["INDEX", "PAGES", "RESULTS_JSON", "REVIEW_XLSX", "SUBMITTED", "find_submissions", "review_file",
           "review_files", "run_review"]

INDEX = "index.html"
REVIEW_XLSX = "review.xlsx"
RESULTS_JSON = "results.json"
PAGES = "tables"
SUBMITTED = (".xlsx", ".xls", ".docx", ".txt", ".doc", ".wps", ".et", ".docm", ".xlsm", ".pdf")
MAX_MESSAGES = 20
NOT_A_TABLE = ("文件中没有找到填好的自评表（应有“项目支出绩效自评表”等标题，或含“实际完成值”“得分”列的指标表）",
               "确认这是单位提交的自评表；绩效目标表请用 evaluator import 导入。")

Progress = Callable[[int, int], None]


def find_submissions(paths: Sequence[Path | str], skip: Path | None = None) -> list[Path]:
    """Every file to review: the files given, and the files of the folders given (searched to the bottom).

    In a folder only the kinds a 自评表 comes in count (Office files, text exports, PDF, old .doc/.xls to
    be refused with advice); hidden files, Office lock files (~$…) and ``skip`` (the output folder) are
    left out. Raises InputError for a path that does not exist or a selection with nothing to review.
    """
    found: list[Path] = []
    for given in paths:
        path = Path(given)
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            for candidate in sorted(path.rglob("*")):
                if not candidate.is_file() or candidate.suffix.lower() not in SUBMITTED:
                    continue
                parts = candidate.relative_to(path).parts
                if any(part.startswith((".", "~$")) for part in parts):
                    continue
                if skip is not None and _inside(candidate, skip):
                    continue
                found.append(candidate)
        else:
            raise InputError(f"“{display_path(path)}”不存在", hint="给出自评表文件或存放自评表的文件夹。")
    unique = list(dict.fromkeys(found))
    if not unique:
        shown = "、".join(display_path(p) for p in paths)
        raise InputError(f"{shown} 中没有可复核的文件（.xlsx、.xls、.docx、.txt）",
                         hint="把单位提交的自评表放在一个文件夹中，例如 evaluator review 收到的自评表/ -o 复核/")
    return unique


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
    except ValueError:
        return False
    return True


def review_file(path: Path, rules: RuleSet, number: int) -> tuple[list[TableReview], Result | None,
                                                                    ReviewFailure | None]:
    """Review one file: its tables (one per scope), its result with the findings, or why it could not be read."""
    shown = display_path(path)
    try:
        submitted = read_self_evaluation(path)
    except InputErrors as error:
        return [], None, ReviewFailure(shown, _messages(error, shown))
    except InputError as error:
        return [], None, ReviewFailure(shown, _messages(InputErrors([error.problem]), shown))
    if submitted is None:
        return [], None, ReviewFailure(shown, (f"{NOT_A_TABLE[0]}\n    提示：{NOT_A_TABLE[1]}",))
    result = evaluate(submitted.targets, submitted.actuals, rules)
    grades = {scope_id: table.grade for scope_id, table in submitted.scopes if table.grade}
    findings = review_findings(result, submitted.targets, submitted.actuals, rules,
                               locations=submitted.locations, grades=grades)
    notes = [p for p in submitted.findings if p.code not in _FORM_ARITHMETIC]
    evaluations = {e.id if e.scope == "project" else None: e for e in result.evaluations}
    base = f"{number:03d}-{file_slug(path)}"
    tables: list[TableReview] = []
    every: list[Finding] = []
    for position, (scope_id, table) in enumerate(submitted.scopes):
        evaluation = evaluations.get(scope_id)
        if evaluation is None:
            continue
        own = [f for f in findings if f.scope_id == scope_id]
        extra = table_findings(table, evaluation, rules, scope_id,
                               notes=[p for p in notes if _belongs(p, table, submitted, position)])
        if any(f.code == "points-not-100" for f in extra):
            own = [f for f in own if f.code != "points-not-100"]  # the printed sum names its own row
        scope_findings = tuple(_ordered(own + extra))
        every.extend(scope_findings)
        key = base if len(submitted.scopes) == 1 else f"{base}-{scope_id or '部门整体'}"
        tables.append(TableReview(
            key=key, page=f"{PAGES}/{key}.html", file=shown, sha256=submitted.sha256, kind=table.kind,
            title=table.title, name=evaluation.name if scope_id is not None else table.name,
            department=submitted.targets.department, year=submitted.targets.year, rules=rules.name,
            evaluation=evaluation, findings=scope_findings, claimed_total=table.total_score,
            claimed_sum=_claimed_sum(evaluation), location=table.where, grade_printed=table.grade is not None,
            claimed_grade=table.grade or (rules.grade(table.total_score) if table.total_score is not None else None),
        ))
    warnings = tuple(result.warnings) + tuple(f.to_problem() for f in every if f.code != "form-note")
    return tables, replace(result, warnings=warnings), None


_FORM_ARITHMETIC = {"points-not-100", "group-points", "total-points", "budget-parts"}


def _belongs(problem, table, submitted: SelfEvaluation, position: int) -> bool:  # type: ignore[no-untyped-def]
    """A reading note goes to its own table; a note on the whole file to the first."""
    if problem in table.problems:
        return True
    return position == 0 and not any(problem in t.problems for t in submitted.tables)


def _ordered(findings: Iterable[Finding]) -> list[Finding]:
    """Errors first, then warnings, then notes; in table order inside each."""
    rank = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    return sorted(findings, key=lambda f: rank[f.severity])


def _claimed_sum(evaluation) -> object:  # type: ignore[no-untyped-def]
    claims = [i.claimed for i in evaluation.indicators]
    if not claims or any(c is None for c in claims) or evaluation.execution.claimed is None:
        return None
    return sum(claims) + evaluation.execution.claimed  # type: ignore[arg-type,operator]


def _messages(error: InputErrors, file: str) -> tuple[str, ...]:
    """Each problem as text, without the file's name when it is the file's own (the failure names it)."""
    problems = [p for p in error.problems if p.severity is Severity.ERROR] or list(error.problems)
    shown = [str(replace(p, location=replace(p.location, file=None)) if p.location.file == file else p)
             for p in problems[:MAX_MESSAGES]]
    if len(problems) > MAX_MESSAGES:
        shown.append(f"…… 另有 {len(problems) - MAX_MESSAGES} 个问题未列出")
    return tuple(shown)


def review_files(paths: Sequence[Path | str], *, rules: str | Path = "national-2020", skip: Path | None = None,
                 progress: Progress | None = None) -> Review:
    """Review every submitted file under ``paths`` (pure: nothing is written)."""
    files = find_submissions(paths, skip)
    rule_set = load_rules(rules)
    tables: list[TableReview] = []
    failures: list[ReviewFailure] = []
    results: list[Result] = []
    for number, path in enumerate(files, start=1):
        found, result, failure = review_file(path, rule_set, number)
        tables.extend(found)
        if result is not None:
            results.append(result)
        if failure is not None:
            failures.append(failure)
        if progress is not None:
            progress(number, len(files))
    return Review(rule_set.name, rule_set.title, __version__, tuple(display_path(p) for p in files), tuple(tables),
                  tuple(failures), tuple(results))


def run_review(paths: Sequence[Path | str], output_dir: Path | str, *, rules: str | Path = "national-2020",
               force: bool = False, progress: Progress | None = None) -> tuple[Review, list[Path]]:
    """Review the files and write the index, one page per table, the working paper and the results."""
    folder = Path(output_dir)
    if not force:
        existing = [folder / name for name in (INDEX, REVIEW_XLSX, RESULTS_JSON, PAGES) if (folder / name).exists()]
        if existing:
            raise BatchOutputsExistError(display_path(folder), [p.name for p in existing])
    review = review_files(paths, rules=rules, skip=folder, progress=progress)
    written: list[Path] = []
    for table in review.tables:
        html = render_table_review(table, review)
        written.append(write_output(folder / table.page, encode(html), force=force))
    written.append(write_output(folder / RESULTS_JSON, results_json(review.results), force=force))
    written.append(write_output(folder / REVIEW_XLSX, review_workbook(review), force=force))
    written.append(write_output(folder / INDEX, encode(render_review_index(review)), force=force))
    return review, written


def results_json(results: Sequence[Result]) -> bytes:
    """The JSON list of the results, as json.dumps(list, indent=2) would write it."""
    return (json.dumps([r.to_json() for r in results], ensure_ascii=False, indent=2) + "\n").encode("utf-8")
