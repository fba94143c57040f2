"""What reviewing submitted 自评表 found: each finding with its rule, one review per table, the whole run.

Computed by ``evaluator.checks.review`` (the findings of one scored table) and
``evaluator.analysis.review`` (a folder of files); rendered by ``evaluator.report.review_page`` and
written to the working paper (审计底稿) by ``evaluator.workbook.review``. A finding keeps what the
department claimed next to what the rules give, so that an auditor can sum the points the rules do
not support (``Finding.unsupported``) and rank tables by them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from evaluator.errors import Location, Problem, Severity
from evaluator.results.scores import Evaluation, Result

__all__ = ["FINDING_LABELS", "UNSUPPORTED_CODES", "Finding", "FindingCounts", "Review", "ReviewFailure",
           "TableReview", "count_findings"]

# Findings where the department claimed more points than the rules give: their difference is unsupported.
UNSUPPORTED_CODES = frozenset({
    "claim-above-points", "claim-full-on-missed", "claim-above-rules", "execution-above-points",
    "execution-above-rules",
})
FINDING_LABELS = {
    "claim-above-points": "自评得分超过分值",
    "claim-full-on-missed": "未达成却给满分",
    "claim-above-rules": "自评得分高于规则得分",
    "claim-below-rules": "自评得分低于规则得分",
    "claim-in-band": "定性得分在档次区间内",
    "claim-pending": "复核得分待确认",
    "execution-above-points": "预算执行得分超过分值",
    "execution-above-rules": "预算执行得分与执行率不符",
    "execution-below-rules": "预算执行得分低于执行率",
    "execution-unverifiable": "预算执行得分无法复核",
    "execution-points": "预算执行分值与规则不同",
    "rate-mismatch": "执行率填写有误",
    "low-execution-without-reason": "执行率低于规定未说明原因",
    "over-execution": "执行数超过预算数",
    "missing-actual": "未填实际完成值",
    "invalid-value": "指标值无法识别",
    "shortfall-without-reason": "未完成目标未说明原因",
    "docked-without-reason": "自评扣分未说明原因",
    "exceeded-without-reason": "大幅超额未说明原因",
    "vague-target": "目标不可衡量",
    "inexact-actual": "实际值不是确切数",
    "text-for-number": "定量指标填了文字",
    "ambiguous-direction": "指标方向不明",
    "points-not-100": "分值合计不是100分",
    "group-points": "一级指标分值与规定不符",
    "total-points": "总分栏分值与各项不符",
    "budget-parts": "预算其中各项之和不符",
    "total-not-sum": "总分不等于各项之和",
    "total-above-rules": "自评总分高于复核总分",
    "total-below-rules": "自评总分低于复核总分",
    "grade-change": "复核后等级变化",
    "grade-not-total": "等级与总分不符",
    "form-note": "表格读取说明",
}


@dataclass(frozen=True)
class Finding:
    """One thing a reviewer must raise: what, how serious, the rule it rests on, and the numbers on both sides.

    ``claimed`` and ``recomputed`` are scores (Decimal), grades (str), or None where they do not apply.
    """

    code: str
    severity: Severity
    scope_id: str | None  # None: the department as a whole
    scope: str  # the scope's name (the project, or 部门整体支出)
    indicator: str | None  # the indicator id, for a finding on one row
    subject: str  # the indicator's name, or 预算执行 / 总分 / 等级 / 分值
    message: str
    rule: str
    location: Location
    claimed: Decimal | str | None = None
    recomputed: Decimal | str | None = None
    hint: str = ""

    @property
    def label(self) -> str:
        return FINDING_LABELS.get(self.code, self.code)

    @property
    def unsupported(self) -> Decimal:
        """Points claimed beyond what the rules give (0 unless the finding is such a claim)."""
        if self.code not in UNSUPPORTED_CODES:
            return Decimal(0)
        if not isinstance(self.claimed, Decimal) or not isinstance(self.recomputed, Decimal):
            return Decimal(0)
        return max(self.claimed - self.recomputed, Decimal(0))

    @property
    def difference(self) -> Decimal | None:
        if isinstance(self.claimed, Decimal) and isinstance(self.recomputed, Decimal):
            return self.claimed - self.recomputed
        return None

    def to_problem(self) -> Problem:
        """The finding as a warning of a result (``Result.warnings``, formats.md §3)."""
        where = Location(file=self.location.file, line=self.location.line, key=self.location.key,
                         indicator=self.indicator, sheet=self.location.sheet, row=self.location.row,
                         column=self.location.column)
        return Problem(where, f"{self.scope}：{self.message}", self.hint, self.severity, self.code)


@dataclass(frozen=True)
class FindingCounts:
    """The findings of a table (or a department) counted the way the summaries rank them."""

    errors: int = 0
    warnings: int = 0
    notes: int = 0
    unsupported_claims: int = 0  # claimed scores above what the rules give
    unsupported_points: Decimal = Decimal(0)  # and by how many points in all
    unexplained_shortfalls: int = 0  # targets missed without a 偏差原因
    low_execution_unexplained: int = 0  # execution below the rule set's line without a reason
    grade_changes: int = 0  # the grade is not the claimed one once recomputed


def count_findings(findings: Iterable[Finding]) -> FindingCounts:
    findings = list(findings)
    return FindingCounts(
        errors=sum(1 for f in findings if f.severity is Severity.ERROR),
        warnings=sum(1 for f in findings if f.severity is Severity.WARNING),
        notes=sum(1 for f in findings if f.severity is Severity.INFO),
        unsupported_claims=sum(1 for f in findings if f.unsupported > 0),
        unsupported_points=sum((f.unsupported for f in findings), Decimal(0)),
        unexplained_shortfalls=sum(1 for f in findings if f.code == "shortfall-without-reason"),
        low_execution_unexplained=sum(1 for f in findings if f.code == "low-execution-without-reason"),
        grade_changes=sum(1 for f in findings if f.code == "grade-change"),
    )


@dataclass(frozen=True)
class TableReview:
    """One submitted table reviewed: the scope as scored, the table as printed, and every finding."""

    key: str  # unique in the run, safe in a file name
    page: str  # the review page, relative to the index
    file: str  # the submitted file, as the user named it
    sha256: str
    kind: str  # department | project
    title: str | None
    name: str
    department: str
    year: int
    rules: str
    evaluation: Evaluation
    findings: tuple[Finding, ...]
    claimed_total: Decimal | None  # 总分 as printed
    claimed_sum: Decimal | None  # the printed 得分 of every row and the execution line, added up
    claimed_grade: str | None  # 等级 as printed, else the grade of the printed 总分 under the rule set
    grade_printed: bool  # whether the table printed its 等级 (else it was read off the 总分)
    location: Location  # the table's title row

    @property
    def counts(self) -> FindingCounts:
        return count_findings(self.findings)

    @property
    def unsupported(self) -> Decimal:
        return self.counts.unsupported_points

    @property
    def claimed(self) -> Decimal | None:
        """The table's own total: 总分 as printed, else its rows added up."""
        return self.claimed_total if self.claimed_total is not None else self.claimed_sum

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.code for f in self.findings if f.severity is not Severity.INFO))


@dataclass(frozen=True)
class ReviewFailure:
    """A file that is not a 自评表 or cannot be read, with every message explaining why."""

    file: str
    messages: tuple[str, ...]


@dataclass(frozen=True)
class Review:
    """A review run: every table ranked by its unsupported points, and the files that failed."""

    rules: str
    rules_title: str
    tool_version: str
    files: tuple[str, ...]  # every file looked at, in order
    tables: tuple[TableReview, ...]
    failures: tuple[ReviewFailure, ...]
    results: tuple[Result, ...]  # one per file reviewed, in file order

    @property
    def ranked(self) -> tuple[TableReview, ...]:
        """Most unsupported points first; then most errors; then by file and table, for a stable order."""
        return tuple(sorted(self.tables, key=lambda t: (-t.unsupported, -t.counts.errors, t.key)))
