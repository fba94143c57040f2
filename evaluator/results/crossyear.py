"""Every department of a folder followed over the years: score, grade and execution by year, and grade moves.

Computed by ``evaluator.analysis.compare_all`` (``evaluator compare --all``); rendered by
``evaluator.report.compare_all_page`` and written as tables by ``evaluator.analysis.compare_tables``.
Each department's figures are those of its 部门整体 scope (or, for a file with funds only, its first fund),
as on the batch index.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

__all__ = ["CrossYear", "DepartmentYear", "DepartmentYears", "GradeMove", "YEAR_STATUS_LABELS"]

YEAR_STATUS_LABELS = {"scored": "已评价", "targets-only": "只有目标", "failed": "未能评价"}


@dataclass(frozen=True)
class DepartmentYear:
    """One department in one year: its total, grade and execution, or why there are none."""

    year: int
    status: str  # scored | targets-only | failed
    department: str | None = None  # the name the year's files give
    total: Decimal | None = None
    grade: str | None = None
    rate: Decimal | None = None  # budget execution rate (fraction)
    execution_score: Decimal | None = None
    message: str | None = None  # why it failed

    @property
    def status_label(self) -> str:
        return YEAR_STATUS_LABELS[self.status]


@dataclass(frozen=True)
class GradeMove:
    """A grade that is not last scored year's."""

    before_year: int
    before_grade: str
    before_total: Decimal
    year: int
    grade: str
    total: Decimal


@dataclass(frozen=True)
class DepartmentYears:
    slug: str
    department: str  # as the latest year names it
    years: tuple[DepartmentYear | None, ...]  # one per CrossYear.years; None: no targets file that year
    moves: tuple[GradeMove, ...]


@dataclass(frozen=True)
class CrossYear:
    rules: str
    rules_title: str
    tool_version: str
    years: tuple[int, ...]
    departments: tuple[DepartmentYears, ...]  # by slug

    @property
    def moved(self) -> tuple[DepartmentYears, ...]:
        """The departments whose grade moved from one scored year to the next."""
        return tuple(d for d in self.departments if d.moves)

    @property
    def failed(self) -> tuple[tuple[DepartmentYears, DepartmentYear], ...]:
        return tuple((d, y) for d in self.departments for y in d.years if y is not None and y.status == "failed")
