"""The scored 自评表 as an Excel workbook, in the official layout (rules.md §1.6).

One sheet per scope (部门整体支出, then each special fund): title, header rows, the 项目资金 block
(年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分; 年度资金总额 and its 其中 lines
当年财政拨款, 上年结转资金, 其他资金), 年度总体目标 (预期目标 ‖ 实际完成情况), the
indicator table with merged 一级/二级 cells, then 总分 and 自评等级. A 评分说明 sheet gives each
indicator's explanation and review, the rule set and the hashes of the inputs. Everything comes from
the Result; nothing is scored here. The same inputs give the same bytes. When indicators are 待确认,
a 待确认 sheet comes first (each with its fix), their 得分 cells read 待确认 and every total and grade
they touch is marked 暂定.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from itertools import groupby
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.worksheet.worksheet import Worksheet

from evaluator.decimals import fmt
from evaluator.io.load import load_inputs
from evaluator.io.previous import previous_year
from evaluator.model import Actuals, Targets
from evaluator.results.scores import Evaluation, IndicatorScore, Result
from evaluator.results.selfeval import funding_lines, goal_and_outcome
from evaluator.rules import load_rules
from evaluator.scoring import evaluate
from evaluator.scoring.execution import DENOMINATOR_LABELS
from evaluator.workbook.cells import fixed_time, print_setup_a4, set_number, set_text, sheet_title, workbook_bytes

__all__ = ["build_self_evaluation_workbook", "export_files"]

EXPLAIN_SHEET = "评分说明"
PENDING_SHEET = "待确认"
WIDTHS = (10, 12, 24, 16, 16, 8, 9, 34)  # A–H
_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
FONT = Font(name="宋体", size=10)
BOLD = Font(name="宋体", size=10, bold=True)
TITLE = Font(name="宋体", size=16, bold=True)
HEAD_FILL = PatternFill("solid", fgColor="F2F2F2")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
TOP_LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)
MONEY = "#,##0.00"
SCORE = "0.00"
ROLE_LABELS = {"targets": "目标文件", "actuals": "实际值文件", "rules": "评分规则文件"}


def export_files(targets_path: Path | str, actuals_path: Path | str, rules: str = "national-2020",
                 file_format: str = "xlsx") -> bytes:
    """Load, check and score the inputs, and return the 自评表 as xlsx or docx bytes: the one call behind `export`."""
    targets, actuals = load_inputs(targets_path, actuals_path)
    rule_set = load_rules(rules)
    result = evaluate(targets, actuals, rule_set, previous=previous_year(targets, targets_path, actuals_path))
    if file_format == "docx":
        from evaluator.workbook.export_docx import build_self_evaluation_docx  # python-docx, only for Word

        return build_self_evaluation_docx(result, targets, actuals, rule_set.decimals)
    return build_self_evaluation_workbook(result, targets, actuals)


def build_self_evaluation_workbook(result: Result, targets: Targets, actuals: Actuals | None) -> bytes:
    """Return the xlsx bytes of the 自评表: one sheet per scope of ``result``, then 评分说明."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: list[str] = [EXPLAIN_SHEET, PENDING_SHEET]
    if result.pending:
        _pending_sheet(workbook.create_sheet(PENDING_SHEET), result)
    for evaluation in result.evaluations:
        title = sheet_title(evaluation.name, taken, fallback=evaluation.id or "自评表")
        taken.append(title)
        _scope_sheet(workbook.create_sheet(title), result, evaluation, targets, actuals)
    _explain_sheet(workbook.create_sheet(EXPLAIN_SHEET), result)
    return workbook_bytes(workbook, fixed_time(result.year))


# --- layout helpers -------------------------------------------------------------------------------


def _put(sheet: Worksheet, row: int, column: int, value: object, *, last: int | None = None,
         bold: bool = False, align: Alignment = CENTER, number_format: str | None = None, fill: bool = False,
         box: bool = True) -> None:
    """Write one value (number or text) at (row, column), merged to column ``last``, with borders."""
    cell = sheet.cell(row, column)
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        set_number(cell, value, number_format)
    else:
        set_text(cell, value)
    end = last or column
    if end > column:
        sheet.merge_cells(start_row=row, start_column=column, end_row=row, end_column=end)
    for position in range(column, end + 1):
        target = sheet.cell(row, position)
        target.font = BOLD if bold else FONT
        target.alignment = align
        if box:
            target.border = BORDER
        if fill:
            target.fill = HEAD_FILL


def _merge_down(sheet: Worksheet, first: int, last: int, column: int) -> None:
    if last > first:
        sheet.merge_cells(start_row=first, start_column=column, end_row=last, end_column=column)


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _lines(text: object, width: float) -> int:
    """Estimate the wrapped lines of ``text`` in a column ``width`` characters wide."""
    if text is None:
        return 1
    usable = max(width * 1.1 - 1, 4)
    return sum(max(1, math.ceil(_display_width(part) / usable)) for part in str(text).split("\n"))


def _fit(sheet: Worksheet, row: int, texts: Sequence[tuple[object, float]], minimum: float = 18) -> None:
    """Set a row height that shows every wrapped text; Excel does not auto-fit merged cells."""
    lines = max((_lines(text, width) for text, width in texts), default=1)
    sheet.row_dimensions[row].height = max(minimum, 13.5 * lines + 4)


def _span(first: int, last: int) -> float:
    return float(sum(WIDTHS[first - 1: last]))


# --- one scope ------------------------------------------------------------------------------------


def _scope_sheet(sheet: Worksheet, result: Result, evaluation: Evaluation, targets: Targets,
                 actuals: Actuals | None) -> None:
    for position, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[chr(64 + position)].width = width
    department = evaluation.scope == "department"
    kind = "部门整体支出" if department else "项目支出"
    _put(sheet, 1, 1, f"{result.year}年度{kind}绩效自评表", last=8, bold=True, box=False)
    sheet.cell(1, 1).font = TITLE
    sheet.row_dimensions[1].height = 30
    _put(sheet, 2, 1, f"（金额单位：{targets.money_unit}）", last=8, align=Alignment(horizontal="right"), box=False)
    row = 3
    if department:
        _put(sheet, row, 1, "部门（单位）名称", last=2, bold=True)
        _put(sheet, row, 3, result.department, last=8, align=LEFT)
        _fit(sheet, row, [(result.department, _span(3, 8))])
    else:
        _put(sheet, row, 1, "项目名称", last=2, bold=True)
        _put(sheet, row, 3, evaluation.name, last=8, align=LEFT)
        _fit(sheet, row, [(evaluation.name, _span(3, 8))])
        row += 1
        _put(sheet, row, 1, "主管部门", last=2, bold=True)
        _put(sheet, row, 3, result.department, last=5, align=LEFT)
        _put(sheet, row, 6, "实施单位", bold=True)
        _put(sheet, row, 7, result.department, last=8, align=LEFT)
        _fit(sheet, row, [(result.department, _span(3, 5)), (result.department, _span(7, 8))])
    row = _budget_block(sheet, row + 1, evaluation, actuals, targets.money_unit)
    row = _goal_block(sheet, row, evaluation, targets, actuals)
    header_row = row
    row = _indicator_table(sheet, row, evaluation.indicators)
    points = evaluation.execution.points + sum((i.points for i in evaluation.indicators), Decimal(0))
    _put(sheet, row, 1, "总分" + ("（暂定）" if evaluation.provisional else ""), last=5, bold=True)
    _put(sheet, row, 6, points, bold=True)
    _put(sheet, row, 7, evaluation.total, number_format=SCORE, bold=True)
    waiting = (f"暂定：{evaluation.pending}项待确认，共{fmt(evaluation.pending_points)}分未计"
               if evaluation.provisional else "")
    _put(sheet, row, 8, waiting, align=LEFT)
    _put(sheet, row + 1, 1, "自评等级", last=5, bold=True)
    _put(sheet, row + 1, 6, evaluation.grade + ("（暂定）" if evaluation.provisional else ""), last=8, bold=True)
    sheet.row_dimensions[row].height = sheet.row_dimensions[row + 1].height = 20
    print_setup_a4(sheet, f"{header_row}:{header_row}", landscape=False)


def _budget_block(sheet: Worksheet, row: int, evaluation: Evaluation, actuals: Actuals | None, unit: str) -> int:
    """The 项目资金 block: a header row, 年度资金总额 with 分值 and 得分, then the three 其中 lines."""
    ex = evaluation.execution
    adjusted_is_a = ex.denominator == "adjusted"
    headers = ("年初预算数" + ("" if adjusted_is_a else "(A)"), "全年预算数" + ("(A)" if adjusted_is_a else ""),
               "全年执行数(B)", "分值", "执行率(B/A)", "得分")
    lines = funding_lines(ex, actuals.for_scope(evaluation.id)[0] if actuals is not None else None)
    _put(sheet, row, 1, f"项目资金\n（{unit}）", bold=True)
    _merge_down(sheet, row, row + len(lines), 1)
    for below in range(row + 1, row + len(lines) + 1):
        sheet.cell(below, 1).border = BORDER
    _put(sheet, row, 2, "", fill=True)
    for position, header in enumerate(headers, start=3):
        _put(sheet, row, position, header, bold=True, fill=True)
    sheet.row_dimensions[row].height = 30
    for at, line in enumerate(lines, start=row + 1):
        _put(sheet, at, 2, line.label, bold=line.is_total, align=CENTER if line.is_total else LEFT)
        for position, value in enumerate((line.initial, line.adjusted, line.executed), start=3):
            _put(sheet, at, position, value if value is not None else "—", number_format=MONEY)
        _put(sheet, at, 6, line.points if line.is_total else "—")
        _put(sheet, at, 7, line.rate if line.rate is not None else "—", number_format="0.00%")
        _put(sheet, at, 8, line.score if line.score is not None else "—", number_format=SCORE)
        sheet.row_dimensions[at].height = 20
    return row + len(lines) + 1


def _goal_block(sheet: Worksheet, row: int, evaluation: Evaluation, targets: Targets,
                actuals: Actuals | None) -> int:
    goal, done = goal_and_outcome(evaluation, targets, actuals)
    _put(sheet, row, 1, "年度总体目标", bold=True)
    _merge_down(sheet, row, row + 1, 1)
    sheet.cell(row + 1, 1).border = BORDER
    _put(sheet, row, 2, "预期目标", last=5, bold=True, fill=True)
    _put(sheet, row, 6, "实际完成情况", last=8, bold=True, fill=True)
    _put(sheet, row + 1, 2, goal, last=5, align=TOP_LEFT)
    _put(sheet, row + 1, 6, done, last=8, align=TOP_LEFT)
    _fit(sheet, row + 1, [(goal, _span(2, 5)), (done, _span(6, 8))], minimum=40)
    return row + 2


def _deviation(score: IndicatorScore) -> str:
    parts = []
    if score.reason:
        parts.append(f"原因：{score.reason}")
    if score.measure:
        parts.append(f"改进措施：{score.measure}")
    return "\n".join(parts)


def _indicator_table(sheet: Worksheet, row: int, indicators: Sequence[IndicatorScore]) -> int:
    headers = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
    for position, header in enumerate(headers, start=1):
        _put(sheet, row, position, header, bold=True, fill=True)
    sheet.row_dimensions[row].height = 30
    first = row + 1
    for offset, score in enumerate(indicators):
        at = first + offset
        deviation = _deviation(score)
        texts = (score.level1, score.level2, score.name, score.target, score.actual or "未填报")
        for position, text in enumerate(texts, start=1):
            _put(sheet, at, position, text, align=CENTER if position <= 2 else LEFT)
        _put(sheet, at, 6, score.points)
        _put(sheet, at, 7, "待确认" if score.pending else score.score, number_format=None if score.pending else SCORE)
        _put(sheet, at, 8, deviation, align=LEFT)
        _fit(sheet, at, [(t, WIDTHS[p]) for p, t in enumerate(texts[2:], start=2)] + [(deviation, WIDTHS[7])])
    _merge_runs(sheet, first, indicators)
    return first + len(indicators)


def _merge_runs(sheet: Worksheet, first: int, indicators: Sequence[IndicatorScore]) -> None:
    """Merge consecutive equal 一级指标 (column A) and, inside them, equal 二级指标 (column B)."""
    at = first
    for _, level1_rows in groupby(indicators, key=lambda s: s.level1):
        block = list(level1_rows)
        _merge_down(sheet, at, at + len(block) - 1, 1)
        inner = at
        for _, level2_rows in groupby(block, key=lambda s: s.level2):
            size = len(list(level2_rows))
            _merge_down(sheet, inner, inner + size - 1, 2)
            inner += size
        at += len(block)


# --- 评分说明 --------------------------------------------------------------------------------------

EXPLAIN_HEADERS = (("范围", 16), ("编号", 8), ("三级指标", 22), ("年度指标值", 14), ("理解为", 20), ("实际完成值", 16),
                   ("分值", 7), ("得分", 7), ("状态", 12), ("评分说明", 44), ("自评得分", 8), ("审核意见", 30))


def _explain_sheet(sheet: Worksheet, result: Result) -> None:
    last = len(EXPLAIN_HEADERS)
    _put(sheet, 1, 1, f"{result.year}年度 {result.department} 绩效自评评分说明", last=last, bold=True, box=False)
    sheet.cell(1, 1).font = TITLE
    sheet.row_dimensions[1].height = 30
    for position, (header, width) in enumerate(EXPLAIN_HEADERS, start=1):
        _put(sheet, 2, position, header, bold=True, fill=True)
        sheet.column_dimensions[chr(64 + position)].width = width
    sheet.freeze_panes = "A3"
    row = 3
    widths = [w for _, w in EXPLAIN_HEADERS[1:]]
    for evaluation in result.evaluations:
        for values in _explain_rows(evaluation):
            _put(sheet, row, 1, evaluation.name, align=LEFT)
            for position, value in enumerate(values, start=2):
                numeric = position in (7, 8, 11)  # 分值, 得分, 自评得分
                _put(sheet, row, position, "" if value is None else value, align=CENTER if numeric else LEFT,
                     number_format=SCORE if numeric else None)
            _fit(sheet, row, [(v, w) for v, w in zip(values, widths, strict=True) if isinstance(v, str)])
            row += 1
    row = _facts(sheet, row + 1, result)
    print_setup_a4(sheet, "2:2", landscape=True)


def _explain_rows(evaluation: Evaluation) -> list[tuple]:
    """Rows of 评分说明 for one scope, from 编号 to 审核意见: the execution line, then each indicator."""
    ex = evaluation.execution
    explanation = ex.explanation + (f"\n原因：{ex.reason}" if ex.reason else "")
    understood = f"执行率＝全年执行数÷{DENOMINATOR_LABELS.get(ex.denominator, ex.denominator)}"
    executed = fmt(ex.executed) if ex.executed is not None else "未填报"
    rows = [("预算执行", "预算执行率", "—", understood, executed, ex.points, ex.score, "", explanation,
             ex.claimed, ex.review)]
    rows += [(i.id, i.name, i.target, i.understood, i.actual or "未填报", i.points, "待确认" if i.pending else i.score,
              i.status_label, i.explanation, i.claimed, i.review) for i in evaluation.indicators]
    return rows


PENDING_HEADERS = (("范围", 16), ("编号", 8), ("三级指标", 22), ("年度指标值", 14), ("实际完成值", 16), ("分值", 7),
                   ("原因", 36), ("如何修改", 50))


def _pending_sheet(sheet: Worksheet, result: Result) -> None:
    """The 待确认 indicators, first in the workbook: until they are fixed every total is 暂定."""
    last = len(PENDING_HEADERS)
    _put(sheet, 1, 1, f"{result.year}年度 {result.department}：{result.pending}项指标待确认，总分和等级为暂定",
         last=last, bold=True, box=False)
    sheet.cell(1, 1).font = TITLE
    sheet.row_dimensions[1].height = 30
    for position, (header, width) in enumerate(PENDING_HEADERS, start=1):
        _put(sheet, 2, position, header, bold=True, fill=True)
        sheet.column_dimensions[chr(64 + position)].width = width
    row = 3
    for evaluation in result.evaluations:
        for item in evaluation.indicators:
            if not item.pending:
                continue
            problem = item.explanation.removeprefix("待确认：")
            problem = problem.split(f"。{item.fix}")[0] if item.fix else problem
            values = (evaluation.name, item.id, item.name, item.target, item.actual or "未填报", item.points, problem,
                      item.fix or "")
            for position, value in enumerate(values, start=1):
                _put(sheet, row, position, value, align=CENTER if position == 6 else LEFT)
            _fit(sheet, row, [(v, w) for v, (_, w) in zip(values, PENDING_HEADERS, strict=True) if isinstance(v, str)])
            row += 1
    print_setup_a4(sheet, "2:2", landscape=True)


def _facts(sheet: Worksheet, row: int, result: Result) -> int:
    """Write the rule set, the inputs and their SHA-256, reviews and warnings below the table."""
    lines: list[tuple[str, str]] = [("评分规则", f"{result.rules}（{result.rules_title}）"),
                                    ("工具版本", f"evaluator {result.tool_version}")]
    lines += [(ROLE_LABELS.get(f.role, f.role), f"{f.file}  SHA-256：{f.sha256}") for f in result.inputs]
    for evaluation in result.evaluations:
        lines += [("审核意见", f"{evaluation.name}：{text}") for text in evaluation.review]
    lines += [(f"{w.severity.label}", str(w)) for w in result.warnings]
    for label, text in lines:
        _put(sheet, row, 1, label, bold=True, align=LEFT)
        _put(sheet, row, 2, text, last=len(EXPLAIN_HEADERS), align=LEFT)
        _fit(sheet, row, [(text, sum(w for _, w in EXPLAIN_HEADERS[1:]))])
        row += 1
    return row
