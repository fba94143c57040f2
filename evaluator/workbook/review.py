"""The working paper of a review (审计底稿, review.xlsx): one row per finding, a summary per table, the failures.

Sheet 审计底稿 lists every finding with the file, sheet (or Word table) and row it concerns, the
indicator, the finding, what the department claimed, what the rules give, the difference and the
rule cited; 各表汇总 has one row per table in the order of the index; 未能读取 the files that failed.
Every cell goes through ``workbook.cells`` (text never becomes a formula); the same review gives the
same bytes.
"""

from __future__ import annotations

from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from evaluator.errors import Severity
from evaluator.results.review import Finding, Review, TableReview
from evaluator.workbook.cells import fixed_time, set_number, set_text, workbook_bytes

__all__ = ["FAILURE_COLUMNS", "FINDING_COLUMNS", "SUMMARY_COLUMNS", "finding_cells", "review_workbook"]

FINDING_COLUMNS = (
    ("序号", 6), ("文件", 28), ("工作表/表格", 14), ("行", 6), ("列", 10), ("表格", 24), ("类型", 8),
    ("指标编号", 9), ("指标", 24), ("发现类型", 16), ("程度", 6), ("发现", 48), ("自评", 8), ("复核", 8),
    ("差额", 8), ("未获支持的分数", 9), ("依据", 40), ("建议", 30),
)
SUMMARY_COLUMNS = (
    ("排名", 6), ("文件", 28), ("表格", 28), ("类型", 8), ("部门", 28), ("年度", 6), ("自评总分", 9),
    ("复核总分", 9), ("未获支持的分数", 9), ("自评等级", 8), ("复核等级", 8), ("错误", 6), ("警告", 6), ("提示", 6),
)
FAILURE_COLUMNS = (("文件", 36), ("问题", 100))
SEVERITY_LABELS = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}
KIND_LABELS = {"department": "部门整体", "project": "项目"}
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")


def finding_cells(number: int, table: TableReview, finding: Finding) -> tuple[object, ...]:
    """One row of 审计底稿, in FINDING_COLUMNS order."""
    where = finding.location
    place = where.sheet or (where.key if where.key and where.key.startswith("第") else None)
    row = where.row if where.row is not None else where.line
    return (
        number, where.file or table.file, place, row, where.column, table.name, KIND_LABELS.get(table.kind),
        finding.indicator, finding.subject, finding.label, SEVERITY_LABELS[finding.severity], finding.message,
        finding.claimed, finding.recomputed, finding.difference, finding.unsupported or None, finding.rule or None,
        finding.hint or None,
    )


def _sheet(workbook: Workbook, title: str, columns: tuple[tuple[str, int], ...], rows: list[tuple[object, ...]]
           ) -> None:
    sheet = workbook.create_sheet(title)
    for column, (name, width) in enumerate(columns, start=1):
        set_text(sheet.cell(row=1, column=column), name).font = _BOLD
        sheet.column_dimensions[get_column_letter(column)].width = width
    for number, values in enumerate(rows, start=2):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=number, column=column)
            if isinstance(value, Decimal | int) and not isinstance(value, bool):
                set_number(cell, value)
            else:
                set_text(cell, value)
            cell.alignment = _WRAP
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(rows) + 1, 1)}"


def review_workbook(review: Review) -> bytes:
    """Return review.xlsx: 审计底稿 (one row per finding), 各表汇总, 未能读取."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    ranked = review.ranked
    findings: list[tuple[object, ...]] = []
    for table in ranked:
        for finding in table.findings:
            findings.append(finding_cells(len(findings) + 1, table, finding))
    _sheet(workbook, "审计底稿", FINDING_COLUMNS, findings)
    summary = [
        (rank, t.file, t.name, KIND_LABELS.get(t.kind), t.department, t.year, t.claimed, t.evaluation.total,
         t.unsupported, t.claimed_grade, t.evaluation.grade, t.counts.errors, t.counts.warnings, t.counts.notes)
        for rank, t in enumerate(ranked, start=1)
    ]
    _sheet(workbook, "各表汇总", SUMMARY_COLUMNS, summary)
    _sheet(workbook, "未能读取", FAILURE_COLUMNS, [(f.file, "\n".join(f.messages)) for f in review.failures])
    years = [t.year for t in review.tables]
    return workbook_bytes(workbook, fixed_time(max(years) if years else 2000))
