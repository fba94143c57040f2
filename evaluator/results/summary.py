"""What a batch of departments produced: each department's summary, the failures, the outliers, the attention list.

Computed by ``evaluator.analysis`` (batch, findings, outliers); rendered by
``evaluator.report.index_page`` and written out by ``evaluator.analysis.tables``. A batch keeps only
these small rows in memory (every department's full result goes to disk as it is scored), so the
types are slotted and carry numbers, not documents. ``to_json``/``from_json`` let a chunk's summaries
travel through a staging file (resume) or back from a cluster worker.

``batch_year`` and ``quartile_fences`` are derived from the summaries and shown on the index.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, fields
from decimal import Decimal
from pathlib import Path
from typing import Any

__all__ = ["Attention", "Batch", "DepartmentSummary", "Failure", "Outlier", "batch_year", "quartile_fences"]


@dataclass(frozen=True, slots=True)
class Failure:
    """A department that could not be evaluated, and every message explaining why."""

    slug: str
    files: tuple[str, ...]
    messages: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"slug": self.slug, "files": list(self.files), "messages": list(self.messages)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Failure:
        return cls(data["slug"], tuple(data["files"]), tuple(data["messages"]))


_DECIMALS = {"total", "rate", "execution_score", "indicator_rate", "unsupported_points", "claimed_total"}


@dataclass(frozen=True, slots=True)
class DepartmentSummary:
    """What the index and the attention list need of one evaluated department (the department as a whole).

    ``total`` is None only when the scoring could not give one (a department whose every score is
    pending); ``pending`` counts the indicators whose score awaits confirmation (待确认), and a total
    with pending indicators is provisional (暂定).
    """

    slug: str
    department: str
    year: int
    total: Decimal | None
    grade: str
    rate: Decimal | None  # budget execution rate of the department as a whole (fraction)
    execution_score: Decimal | None
    indicator_rate: Decimal | None  # indicator score ÷ indicator points of the department as a whole
    funds: int
    indicators: int  # in every scope
    unsupported: int  # claimed scores (indicator, execution, total) the rules do not support, every scope
    region: str = ""  # the administrative prefix of the department's name (株洲市石峰区), "" when none
    pending: int = 0  # indicators whose score is pending (待确认), every scope
    errors: int = 0  # problems of severity error in the pre-submission review (as `evaluator check` lists them)
    warnings: int = 0
    unexplained: int = 0  # shortfalls (partly met, missed) with no reason given, every scope
    low_execution: int = 0  # scopes whose execution is below the rule set's line with no reason given
    unsupported_points: Decimal = Decimal(0)  # claimed points above the recomputed ones, every scope
    claimed_total: Decimal | None = None  # the department's own 总分 (department as a whole)
    claimed_grade: str | None = None  # the grade that claimed total would have under the rule set

    @property
    def provisional(self) -> bool:
        return self.pending > 0

    @property
    def grade_changed(self) -> bool:
        """True when the department's own total would give another grade than the recomputed one."""
        return self.claimed_grade is not None and self.claimed_grade != self.grade

    @property
    def findings(self) -> int:
        """How many things the review found wrong: errors, and a grade that changes on recompute."""
        return self.errors + (1 if self.grade_changed else 0)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for field in fields(self):
            value = getattr(self, field.name)
            out[field.name] = f"{value:f}" if isinstance(value, Decimal) else value
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DepartmentSummary:
        values = {k: (Decimal(v) if k in _DECIMALS and v is not None else v) for k, v in data.items()}
        return cls(**values)


@dataclass(frozen=True, slots=True)
class Outlier:
    slug: str
    department: str
    kind: str  # score-ahead | total-low | total-high | claims | year
    label: str
    message: str


@dataclass(frozen=True, slots=True)
class Attention:
    """One line of 需要关注的部门: a department, what the review found, and its statistical flags."""

    summary: DepartmentSummary
    reasons: tuple[str, ...]  # the findings, in words, most serious first
    outliers: tuple[Outlier, ...]


@dataclass(frozen=True)
class Batch:
    """Everything a batch produced: evaluated departments and failures, both sorted by slug."""

    folder: Path | str
    rules: str
    rules_title: str
    grades: tuple[str, ...]  # the rule set's grades, best first
    departments: tuple[DepartmentSummary, ...]
    failures: tuple[Failure, ...]
    outliers: tuple[Outlier, ...]
    written: tuple[str, ...]
    attention: tuple[Attention, ...] = ()  # ranked by findings, most first
    reports: bool = True  # whether each department has its report beside the index
    explain_below: Decimal = Decimal("0.9")  # the rule set's line below which execution needs a reason

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(sorted({d.year for d in self.departments}))


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


def quartile_fences(departments: tuple[DepartmentSummary, ...]) -> tuple[float, float] | None:
    """Return the (low, high) 1.5 × IQR fences of the totals, or None with fewer than four totals."""
    totals = [float(d.total) for d in departments if d.total is not None]
    if len(totals) < 4:
        return None
    q1, _, q3 = statistics.quantiles(totals, n=4, method="inclusive")
    return q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)
