"""Find and load the previous year of a department, for targets written as a change (较上年增长10%).

Scoring takes objects, never paths: this module does the path arithmetic. For
``targets/2023/<slug>.yaml`` (and ``actuals/2023/<slug>.yaml`` or ``.xlsx``) the previous year is
``targets/2022/<slug>.yaml`` and ``actuals/2022/<slug>.yaml`` or ``.xlsx``, found beside the files
given. It is loaded only when some target of the department is a change from last year; a file
that is missing or broken does not stop scoring: the ``PreviousYear`` says why, and each indicator
that needs it is 待确认 with the exact value to add.
"""

from __future__ import annotations

from pathlib import Path

from evaluator.errors import InputErrors, display_path
from evaluator.io.load import load_actuals, load_targets
from evaluator.language.values import parse_value
from evaluator.model import PreviousYear, Targets

__all__ = ["needs_previous_year", "previous_year", "previous_year_paths"]


def needs_previous_year(targets: Targets) -> bool:
    """True when some target is a change from last year (较上年增长10%, 同比下降5%, 提高2个百分点)."""
    return any(parse_value(i.target).relative is not None for i in targets.all_indicators())


def previous_year_paths(targets_path: Path, actuals_path: Path | None, year: int) -> tuple[Path | None, list[Path]]:
    """Return the previous year's targets file and its candidate actuals files, by path arithmetic.

    ``targets/2023/x.yaml`` → ``targets/2022/x.yaml``; ``actuals/2023/x.yaml|.xlsx`` →
    ``actuals/2022/x.yaml`` and ``actuals/2022/x.xlsx``. Files outside a ``<year>`` folder have no
    previous year (None and no candidates).
    """
    before = str(year - 1)
    slug = targets_path.stem
    targets_before = None
    if targets_path.parent.name == str(year):
        targets_before = targets_path.parent.parent / before / f"{slug}.yaml"
    folder = None
    if actuals_path is not None and actuals_path.parent.name == str(year):
        folder = actuals_path.parent.parent / before
        slug = actuals_path.stem
    elif targets_path.parent.name == str(year) and targets_path.parent.parent.name == "targets":
        folder = targets_path.parent.parent.parent / "actuals" / before
    candidates = [folder / f"{slug}{suffix}" for suffix in (".yaml", ".xlsx")] if folder is not None else []
    return targets_before, candidates


def previous_year(targets: Targets, targets_path: Path | str, actuals_path: Path | str | None) -> PreviousYear | None:
    """Load the year before ``targets`` when some target needs it; None when none does.

    Never raises for the previous year's files: what is missing or broken is said in ``problem``.
    """
    if not needs_previous_year(targets):
        return None
    year = targets.year - 1
    targets_before, candidates = previous_year_paths(
        Path(targets_path), Path(actuals_path) if actuals_path is not None else None, targets.year)
    if not candidates:
        return PreviousYear(year, problem=f"目标文件不在“<年度>”文件夹中（如 targets/{targets.year}/），"
                                          f"找不到{year}年的实际值文件")
    present = [p for p in candidates if p.is_file()]
    shown = display_path(candidates[0])
    if not present:
        return PreviousYear(year, actuals_file=shown, problem=f"没有{year}年的实际值文件（{shown}）")
    if len(present) > 1:
        return PreviousYear(year, actuals_file=shown,
                            problem=f"{year}年同时有 {present[0].name} 和 {present[1].name} 两份实际值文件，"
                                    "不知道用哪一份")
    shown = display_path(present[0])
    try:
        actuals = load_actuals(present[0])
    except InputErrors as error:
        first = str(error.problems[0]).splitlines()[0] if error.problems else ""
        return PreviousYear(year, actuals_file=shown, problem=f"{year}年的实际值文件 {shown} 无法读取：{first}")
    if actuals.year != year:
        return PreviousYear(year, actuals_file=shown, problem=f"{shown} 是{actuals.year}年的实际值，不是{year}年的")
    previous_targets = None
    if targets_before is not None and targets_before.is_file():
        try:
            previous_targets = load_targets(targets_before)
        except InputErrors:
            previous_targets = None  # the actuals are still matched by indicator id
    return PreviousYear(year, targets=previous_targets, actuals=actuals, actuals_file=shown)
