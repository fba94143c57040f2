"""The result tables of a batch: results.json, results.csv and results.xlsx, one row per department and scope.

A total with 待确认 indicators is marked in the 暂定 column, and the 待确认 count comes first among the
status counts, so that no provisional total passes for a final one.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from decimal import Decimal

from evaluator.results.scores import STATUS_LABELS, STATUSES, Evaluation, Result
from evaluator.results.summary import DepartmentSummary

__all__ = ["RESULT_COLUMNS", "result_row", "results_csv", "results_json", "results_xlsx"]

RESULTS_CSV = "results.csv"
RESULTS_XLSX = "results.xlsx"
RESULTS_JSON = "results.json"
SCOPE_LABELS = {"department": "部门整体", "project": "专项"}
RESULT_COLUMNS = (
    "部门代码", "部门", "年度", "范围", "专项编号", "名称", "总分", "等级", "暂定", "预算执行率", "预算执行得分",
    "指标数", *(STATUS_LABELS[s] for s in STATUSES),
)
TEXT_COLUMNS = {0, 1, 3, 4, 5, 7, 8}  # the others are numbers
RATE_COLUMN = RESULT_COLUMNS.index("预算执行率")


def result_row(slug: str, result: Result, evaluation: Evaluation) -> tuple[object, ...]:
    """One line of results.csv / results.xlsx, in RESULT_COLUMNS order."""
    ex = evaluation.execution
    return (
        slug, result.department, result.year, SCOPE_LABELS[evaluation.scope], evaluation.id or "",
        evaluation.name, evaluation.total, evaluation.grade,
        f"暂定（{evaluation.pending}项待确认）" if evaluation.provisional else "", ex.rate, ex.score,
        len(evaluation.indicators),
        *(evaluation.count(status) for status in STATUSES),
    )


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
    from openpyxl import Workbook  # only when the workbook is written
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    from evaluator.workbook.cells import fixed_time, set_number, set_text, workbook_bytes


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
