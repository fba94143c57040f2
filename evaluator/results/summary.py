"""What a batch of departments produced: each department's summary, the failures, the outliers.

Computed by ``evaluator.analysis.batch``; rendered by ``evaluator.report.index_page`` and written
out by ``evaluator.analysis.tables``. ``batch_year`` and ``quartile_fences`` are derived from the
summaries and shown on the index.
"""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

__all__ = ["Batch", "DepartmentSummary", "Failure", "Outlier", "batch_year", "quartile_fences"]


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
    pending: int = 0  # 待确认 indicators in every scope: while any is, the department's totals are 暂定
    provisional: bool = False  # the total shown (the department as a whole) is 暂定


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
    """Return the (low, high) 1.5 × IQR fences of the totals, or None with fewer than four departments."""
    if len(departments) < 4:
        return None
    q1, _, q3 = statistics.quantiles([float(d.total) for d in departments], n=4, method="inclusive")
    return q1 - 1.5 * (q3 - q1), q3 + 1.5 * (q3 - q1)
