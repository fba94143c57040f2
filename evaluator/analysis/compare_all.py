"""Every department of a targets folder over every year: the library behind ``evaluator compare --all``.

``compare_all`` scores each ``targets/<year>/<slug>.yaml`` with its ``actuals/<year>/<slug>.yaml`` (or
``.xlsx``) and returns a ``CrossYear``: the total, grade and execution of each department in each year,
and the departments whose grade moved. A year with targets and no actuals is shown as targets only; a
department-year whose files are broken is listed with its message and never stops the others.
"""

from __future__ import annotations

from pathlib import Path

from evaluator.analysis.discovery import department_slugs, find_actuals, year_folders
from evaluator.errors import InputError, InputErrors, Severity
from evaluator.io.load import load_inputs
from evaluator.results.crossyear import CrossYear, DepartmentYear, DepartmentYears, GradeMove
from evaluator.rules import RuleSet, load_rules
from evaluator.scoring import evaluate
from evaluator.version import __version__

__all__ = ["compare_all"]


def compare_all(
    targets_dir: Path | str = "targets",
    actuals_dir: Path | str = "actuals",
    *,
    years: tuple[int, int] | None = None,
    rules: str | Path = "national-2020",
) -> CrossYear:
    """Score every department in every year found; raise InputError when there is nothing to compare."""
    targets_root, actuals_root = Path(targets_dir), Path(actuals_dir)
    if not targets_root.is_dir():
        raise InputError(f"目标文件夹“{targets_root.as_posix()}”不存在",
                         hint="例如 evaluator compare --all targets actuals")
    folders = [(year, folder) for year, folder in year_folders(targets_root)
               if years is None or years[0] <= year <= years[1]]
    if not folders:
        where = f"{years[0]}—{years[1]}年" if years else "任何年度"
        raise InputError(f"{targets_root.as_posix()} 中没有{where}的年度文件夹（如 {targets_root.as_posix()}/2023/）")
    rule_set = load_rules(rules)
    slugs = department_slugs(targets_root)
    departments = []
    for slug in slugs:
        cells = [_year(year, folder / f"{slug}.yaml", actuals_root / str(year), slug, rule_set)
                 if (folder / f"{slug}.yaml").is_file() else None for year, folder in folders]
        if all(c is None for c in cells):
            continue
        name = next((c.department for c in reversed(cells) if c is not None and c.department), slug)
        departments.append(DepartmentYears(slug, name, tuple(cells), tuple(_moves(cells))))
    if not departments:
        raise InputError(f"{targets_root.as_posix()} 中没有部门的目标文件（<年度>/<部门>.yaml）")
    return CrossYear(rule_set.name, rule_set.title, __version__, tuple(y for y, _ in folders), tuple(departments))


def _year(year: int, targets_path: Path, actuals_folder: Path, slug: str, rules: RuleSet) -> DepartmentYear:
    try:
        actuals_path = find_actuals(actuals_folder, slug) if actuals_folder.is_dir() else None
        targets, actuals = load_inputs(targets_path, actuals_path)
    except InputErrors as error:
        problems = [p for p in error.problems if p.severity is Severity.ERROR] or list(error.problems)
        more = f"（另有 {len(problems) - 1} 个问题）" if len(problems) > 1 else ""
        return DepartmentYear(year, "failed", message=str(problems[0]) + more)
    except InputError as error:
        return DepartmentYear(year, "failed", message=str(error))
    if targets.year != year:
        message = f"{targets_path.as_posix()}：文件在 {year} 年的文件夹中，但 year 写的是 {targets.year}"
        return DepartmentYear(year, "failed", targets.department, message=message)
    if actuals is None:
        return DepartmentYear(year, "targets-only", targets.department)
    result = evaluate(targets, actuals, rules)
    if not result.evaluations:
        return DepartmentYear(year, "targets-only", targets.department)
    evaluation = result.department_evaluation or result.evaluations[0]
    ex = evaluation.execution
    return DepartmentYear(year, "scored", targets.department, evaluation.total, evaluation.grade, ex.rate, ex.score)


def _moves(cells: list[DepartmentYear | None]) -> list[GradeMove]:
    scored = [c for c in cells if c is not None and c.status == "scored" and c.grade and c.total is not None]
    moves = []
    for before, now in zip(scored, scored[1:], strict=False):
        if before.grade != now.grade:
            moves.append(GradeMove(before.year, before.grade, before.total, now.year, now.grade,  # type: ignore[arg-type]
                                   now.total))  # type: ignore[arg-type]
    return moves
