"""The pages of ``evaluator review``: one page per submitted table, and the index that ranks them.

``render_table_review`` shows a table as the department filled it next to the recomputed scores, row
by row (the execution line, the total and the grade included), then every finding with its rule and
the cell it concerns. ``render_review_index`` ranks every table by the claimed points the rules do
not support, with filters by finding, severity and kind, and lists the files that could not be read.
Both only arrange what ``analysis.review`` computed; all text is escaped by the templates.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from evaluator.errors import Location, Severity
from evaluator.report.render import page_template
from evaluator.results.review import FINDING_LABELS, Finding, Review, TableReview
from evaluator.results.scores import IndicatorScore

__all__ = ["ReviewRow", "place", "render_review_index", "render_table_review"]

SEVERITY_LABELS = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}
KIND_LABELS = {"department": "部门整体", "project": "项目"}


def place(location: Location) -> str:
    """Where in the submitted file: 工作表“Sheet1”第12行, 第1个表格第12行, or 第12行 of a text export."""
    parts = []
    if location.sheet:
        parts.append(f"工作表“{location.sheet}”")
    if location.key and location.key.startswith("第"):
        parts.append(location.key)
    if location.row is not None:
        parts.append(f"第{location.row}行")
    elif location.line is not None:
        parts.append(f"第{location.line}行")
    if location.column:
        parts.append(f"{location.column}列")
    return "".join(parts) or "—"


@dataclass(frozen=True)
class ReviewRow:
    """One line of the side-by-side table: an indicator, the execution line, the total or the grade."""

    kind: str  # indicator | execution | total | grade
    id: str
    level: str
    name: str
    target: str
    actual: str
    points: Decimal | None
    claimed: Decimal | str | None
    recomputed: Decimal | str | None
    status: str
    explanation: str
    findings: tuple[Finding, ...]

    @property
    def difference(self) -> Decimal | None:
        if isinstance(self.claimed, Decimal) and isinstance(self.recomputed, Decimal):
            return self.claimed - self.recomputed
        return None

    @property
    def flagged(self) -> bool:
        return any(f.severity is not Severity.INFO for f in self.findings)


def _rows(table: TableReview) -> list[ReviewRow]:
    evaluation = table.evaluation
    by_indicator: dict[str, list[Finding]] = {}
    for finding in table.findings:
        if finding.indicator:
            by_indicator.setdefault(finding.indicator, []).append(finding)
    rows = [_indicator_row(score, tuple(by_indicator.get(score.id, ()))) for score in evaluation.indicators]
    ex = evaluation.execution
    money = f"全年预算数 {_plain(ex.adjusted)}，全年执行数 {_plain(ex.executed)}"
    rate = f"{(ex.rate * 100).quantize(Decimal('0.01'))}%" if ex.rate is not None else "—"
    rows.append(ReviewRow(
        "execution", "", "", "预算执行率", money, rate, ex.points, ex.claimed, ex.score,
        "已评分" if ex.status == "scored" else "无法计算", ex.explanation,
        tuple(f for f in table.findings if f.subject == "预算执行"),
    ))
    points = ex.points + sum((i.points for i in evaluation.indicators), Decimal(0))
    rows.append(ReviewRow(
        "total", "", "", "总分", "", "", points, table.claimed, evaluation.total, "",
        "总分为预算执行得分与各项指标得分之和" + ("（表中未填总分，自评为各项得分之和）"
                                              if table.claimed_total is None and table.claimed_sum is not None else ""),
        tuple(f for f in table.findings if f.subject in ("总分", "分值")),
    ))
    claimed_grade = table.claimed_grade
    note = "" if table.grade_printed or claimed_grade is None else "表中未填等级：自评等级按自评总分确定"
    rows.append(ReviewRow(
        "grade", "", "", "等级", "", "", None, claimed_grade or "—", evaluation.grade, "", note,
        tuple(f for f in table.findings if f.subject == "等级"),
    ))
    return rows


def _plain(value: Decimal | None) -> str:
    return "—" if value is None else f"{value.normalize():f}" if value == value.to_integral_value() else f"{value:f}"


def _indicator_row(score: IndicatorScore, findings: tuple[Finding, ...]) -> ReviewRow:
    level = " / ".join(part for part in (score.level1, score.level2) if part)
    recomputed = getattr(score, "score", None)
    try:
        status = score.status_label
    except KeyError:  # a status this page does not know yet: show it as it is
        status = score.status
    return ReviewRow("indicator", score.id, level, score.name, score.target, score.actual or "", score.points,
                     score.claimed, recomputed, status, score.explanation, findings)


def render_table_review(table: TableReview, review: Review) -> str:
    """Return the review page of one table (it lives in ``tables/`` beside the index)."""
    counts = table.counts
    return page_template("review_table.html").render(
        table=table,
        review=review,
        rows=_rows(table),
        counts=counts,
        severity_labels=SEVERITY_LABELS,
        kind_label=KIND_LABELS.get(table.kind, table.kind),
        place=place,
        plotly_js="",
        plotly_src=None,
    )


@dataclass(frozen=True)
class IndexRow:
    rank: int
    href: str
    table: TableReview
    severity: str  # error | warning | none
    codes: tuple[str, ...]
    search: str


def render_review_index(review: Review) -> str:
    """Return the index of a review: tables ranked by unsupported points, filters, failures."""
    rows = []
    for rank, table in enumerate(review.ranked, start=1):
        counts = table.counts
        severity = "error" if counts.errors else "warning" if counts.warnings else "none"
        search = " ".join((table.file, table.name, table.department, table.title or "")).lower()
        rows.append(IndexRow(rank, quote(table.page), table, severity, table.codes, search))
    present = Counter(code for row in rows for code in row.codes)
    codes = [(code, FINDING_LABELS.get(code, code), present[code]) for code in FINDING_LABELS if code in present]
    totals = {
        "errors": sum(r.table.counts.errors for r in rows),
        "warnings": sum(r.table.counts.warnings for r in rows),
        "unsupported": sum((r.table.unsupported for r in rows), Decimal(0)),
        "grade_changes": sum(r.table.counts.grade_changes for r in rows),
        "flagged": sum(1 for r in rows if r.severity == "error"),
    }
    years = sorted({r.table.year for r in rows})
    year_text = (f"{years[0]}年度" if len(years) == 1 else f"{years[0]}—{years[-1]}年度") if years else ""
    return page_template("review_index.html").render(
        review=review,
        rows=rows,
        codes=codes,
        totals=totals,
        year_text=year_text,
        kind_labels=KIND_LABELS,
        labels=FINDING_LABELS,
        plotly_js="",
        plotly_src=None,
    )
