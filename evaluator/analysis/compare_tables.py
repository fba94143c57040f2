"""The comparisons as tables for working papers: compare.csv / compare.xlsx beside the HTML page.

For one department over the years (``evaluator compare --dept``): the flags, one row each (年度, 类型,
范围, 指标, 说明), and in the workbook also each scope's figures by year. For every department
(``evaluator compare --all``): one row per department and year (总分, 等级, 预算执行率 …) and the
departments whose grade moved. Every cell goes through ``workbook.cells`` (text never becomes a
formula); the same comparison gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from evaluator.results.comparison import Comparison
from evaluator.results.crossyear import CrossYear

__all__ = ["CROSS_COLUMNS", "FLAG_COLUMNS", "MOVE_COLUMNS", "SCOPE_COLUMNS", "comparison_csv", "comparison_xlsx",
           "crossyear_csv", "crossyear_xlsx", "sibling_paths"]

FLAG_COLUMNS = ("年度", "类型", "范围", "指标", "说明")
SCOPE_COLUMNS = ("范围", "年度", "计划金额", "年初预算数", "全年预算数", "全年执行数", "预算执行率", "预算执行得分",
                 "总分", "等级", "指标数")
CROSS_COLUMNS = ("部门代码", "部门", "年度", "状态", "总分", "等级", "预算执行率", "预算执行得分", "说明")
MOVE_COLUMNS = ("部门代码", "部门", "上一年度", "上一年度等级", "上一年度总分", "年度", "等级", "总分")
_RATE = "0.00%"


def sibling_paths(html: Path) -> tuple[Path, Path]:
    """The .xlsx and .csv written beside a comparison page: compare.html → compare.xlsx, compare.csv."""
    return html.with_suffix(".xlsx"), html.with_suffix(".csv")


def _flag_rows(comparison: Comparison) -> list[tuple[object, ...]]:
    return [(f.year, f.kind.label, f.scope, f.subject if f.line is not None else "", f.message)
            for f in comparison.flags]


def _scope_rows(comparison: Comparison) -> list[tuple[object, ...]]:
    rows = []
    for scope in comparison.scopes:
        for year in scope.years:
            if year is None:
                continue
            rows.append((year.name, year.year, year.planned, year.initial, year.adjusted, year.executed, year.rate,
                         year.execution_score, year.total, year.grade, year.indicators))
    return rows


def comparison_csv(comparison: Comparison) -> bytes:
    from evaluator.workbook.cells import csv_bytes

    return csv_bytes(FLAG_COLUMNS, _flag_rows(comparison))


def comparison_xlsx(comparison: Comparison) -> bytes:
    sheets = [("需要关注的变化", FLAG_COLUMNS, _flag_rows(comparison), (8, 22, 22, 36, 90)),
              ("各年概况", SCOPE_COLUMNS, _scope_rows(comparison), (24, 7, 11, 11, 11, 11, 10, 10, 8, 7, 7))]
    return _workbook(sheets, comparison.years[-1], rates={"预算执行率"})


def _cross_rows(cross: CrossYear) -> list[tuple[object, ...]]:
    rows = []
    for department in cross.departments:
        for cell in department.years:
            if cell is None:
                continue
            rows.append((department.slug, cell.department or department.department, cell.year, cell.status_label,
                         cell.total, cell.grade, cell.rate, cell.execution_score, cell.message))
    return rows


def _move_rows(cross: CrossYear) -> list[tuple[object, ...]]:
    return [(d.slug, d.department, m.before_year, m.before_grade, m.before_total, m.year, m.grade, m.total)
            for d in cross.departments for m in d.moves]


def crossyear_csv(cross: CrossYear) -> bytes:
    from evaluator.workbook.cells import csv_bytes

    return csv_bytes(CROSS_COLUMNS, _cross_rows(cross))


def crossyear_xlsx(cross: CrossYear) -> bytes:
    sheets = [("各部门逐年结果", CROSS_COLUMNS, _cross_rows(cross), (14, 32, 7, 9, 8, 6, 10, 10, 60)),
              ("等级变化", MOVE_COLUMNS, _move_rows(cross), (14, 32, 9, 11, 11, 7, 7, 8))]
    return _workbook(sheets, cross.years[-1], rates={"预算执行率"})


def _workbook(sheets: Sequence[tuple[str, Sequence[str], list[tuple[object, ...]], Sequence[int]]], year: int,
              rates: set[str]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    from evaluator.workbook.cells import fixed_time, set_number, set_text, workbook_bytes

    workbook = Workbook()
    workbook.remove(workbook.active)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    for title, columns, rows, widths in sheets:
        sheet = workbook.create_sheet(title)
        for column, (name, width) in enumerate(zip(columns, widths, strict=True), start=1):
            set_text(sheet.cell(row=1, column=column), name).font = bold
            sheet.column_dimensions[get_column_letter(column)].width = width
        for number, row in enumerate(rows, start=2):
            for column, (name, value) in enumerate(zip(columns, row, strict=True), start=1):
                cell = sheet.cell(row=number, column=column)
                if isinstance(value, Decimal | int) and not isinstance(value, bool):
                    set_number(cell, value, _RATE if name in rates else None)
                else:
                    set_text(cell, value)
                cell.alignment = wrap
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(len(rows) + 1, 1)}"
    return workbook_bytes(workbook, fixed_time(year))
