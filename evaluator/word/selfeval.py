"""The official 自评表 of one scope as Word tables, in the layout of 财预〔2020〕10号 (rules.md §1.6).

Two tables that read as one form: the first has the name rows, the 项目资金 block (年度资金总额 with
分值 and 得分, then 其中：当年财政拨款, 上年结转资金, 其他资金) and 年度总体目标 (预期目标 ‖ 实际完成情况);
the second is the indicator table, whose header row repeats on every page, with merged 一级/二级 cells
and 总分 with the 自评等级 at its foot. Everything comes from the Result
and ``results.selfeval``; statuses are shown by their label, and a score that is not known (None)
shows as “—”.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import groupby
from typing import Any

from evaluator.decimals import fmt
from evaluator.model import Actuals, Targets
from evaluator.results.scores import Evaluation, IndicatorScore
from evaluator.results.selfeval import FundingLine, funding_lines, goal_and_outcome
from evaluator.word.tables import CENTER, LEFT, RIGHT, add_row, add_table, merge, spacer

__all__ = ["FORM_WIDTHS", "HEAD_WIDTHS", "FormContext", "add_self_evaluation", "deviation_text", "form_context",
    "form_title"]

# mm, 156 in all (the 公文 text width). The indicator table: 一级, 二级, 三级, 年度指标值, 实际完成值, 分值,
# 得分, 偏差原因; the head table: 标签, 资金, 年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分.
FORM_WIDTHS = (17, 19, 28, 18, 19, 11, 14, 30)
HEAD_WIDTHS = (17, 36, 19, 19, 19, 12, 17, 17)
INDICATOR_HEADERS = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                     "偏差原因分析及改进措施")


@dataclass(frozen=True)
class FormContext:
    """What one 自评表 shows besides its Evaluation: the department, the money unit, the 项目资金 lines, the goal."""

    department: str
    money_unit: str
    funding: tuple[FundingLine, ...]
    goal: str
    outcome: str
    decimals: int = 2
    detailed: bool = False  # the report's version: each actual with its status, each score with the claimed one


def form_context(evaluation: Evaluation, targets: Targets, actuals: Actuals | None, decimals: int = 2,
                 detailed: bool = False) -> FormContext:
    """What the form of ``evaluation`` shows besides its scores: department, unit, 项目资金 lines, goal."""
    budget = actuals.for_scope(evaluation.id)[0] if actuals is not None else None
    goal, outcome = goal_and_outcome(evaluation, targets, actuals)
    return FormContext(department=targets.department, money_unit=targets.money_unit,
                       funding=funding_lines(evaluation.execution, budget), goal=goal, outcome=outcome,
                       decimals=decimals, detailed=detailed)


def form_title(evaluation: Evaluation) -> str:
    return "部门整体支出绩效自评表" if evaluation.scope == "department" else "项目支出绩效自评表"


def _money(value: Decimal | None) -> str:
    return fmt(value, 2) if value is not None else "—"


def _rate(value: Decimal | None) -> str:
    return f"{fmt(value * 100, 2)}%" if value is not None else "—"


def deviation_text(item: IndicatorScore, detailed: bool = False) -> str:
    """偏差原因分析及改进措施 as the 自评表 prints it: the reason, the measure (and, in the report, the deduction)."""
    parts = []
    if item.reason:
        parts.append(f"原因：{item.reason}")
    if item.measure:
        parts.append(f"改进措施：{item.measure}")
    if detailed and item.deduction_reason:
        parts.append(f"扣分：{item.deduction_reason}")
    return "\n".join(parts)


def add_self_evaluation(document: Any, evaluation: Evaluation, form: FormContext) -> None:
    """Append the 自评表 of ``evaluation`` to ``document``: the head table, then the indicator table."""
    _head_table(document, evaluation, form)
    spacer(document)
    _indicator_table(document, evaluation, form)


def _head_table(document: Any, evaluation: Evaluation, form: FormContext) -> None:
    table = add_table(document, HEAD_WIDTHS)
    if evaluation.scope == "department":
        cells = add_row(table, ["部门（单位）名称", None, form.department], keep=True, aligns=[CENTER, CENTER, LEFT])
        merge(cells[0], cells[1])
        merge(cells[2], cells[7])
    else:
        cells = add_row(table, ["项目名称", None, evaluation.name], keep=True, aligns=[CENTER, CENTER, LEFT])
        merge(cells[0], cells[1])
        merge(cells[2], cells[7])
        cells = add_row(table, ["主管部门", None, form.department, None, "实施单位", form.department], keep=True,
                        aligns=[CENTER, CENTER, LEFT, LEFT, CENTER, LEFT])
        merge(cells[0], cells[1])
        merge(cells[2], cells[3])
        merge(cells[5], cells[7])
    ex = evaluation.execution
    a_is_adjusted = ex.denominator != "initial"
    header = add_row(table, [f"项目资金\n（{form.money_unit}）", None, "年初预算数" + ("" if a_is_adjusted else "(A)"),
                             "全年预算数" + ("(A)" if a_is_adjusted else ""), "全年执行数(B)", "分值", "执行率(B/A)",
                             "得分"], bold=True, keep=True)
    label_cells = [header[0]]
    for line in form.funding:
        points = fmt(line.points) if line.is_total else "—"
        score = fmt(line.score, form.decimals) if line.is_total and line.score is not None else "—"
        cells = add_row(table, [None, line.label, _money(line.initial), _money(line.adjusted), _money(line.executed),
                                points, _rate(line.rate), score],
                        aligns=[CENTER, CENTER if line.is_total else LEFT, RIGHT, RIGHT, RIGHT, CENTER, RIGHT, RIGHT],
                        keep=True)
        label_cells.append(cells[0])
    merge(label_cells[0], label_cells[-1])
    titles = add_row(table, ["年度总体目标", "预期目标", None, None, "实际完成情况"], bold=True, keep=True)
    merge(titles[1], titles[3])
    merge(titles[4], titles[7])
    texts = add_row(table, [None, form.goal, None, None, form.outcome], align=LEFT)
    merge(texts[1], texts[3])
    merge(texts[4], texts[7])
    merge(titles[0], texts[0])


def _indicator_table(document: Any, evaluation: Evaluation, form: FormContext) -> None:
    """The 绩效指标 table. Its header row repeats on every page (a label column merged down the whole table,
    as some printed forms have, would break at each page and leave the repeated header blank)."""
    table = add_table(document, FORM_WIDTHS)
    add_row(table, INDICATOR_HEADERS, header=True)
    items = evaluation.indicators
    rows = []
    for position, item in enumerate(items):
        before = items[position - 1] if position else None
        first1 = before is None or before.level1 != item.level1  # text only in the first cell of a merge:
        first2 = first1 or before is None or before.level2 != item.level2  # merging joins the cells' texts
        rows.append(_indicator_row(table, item, form, first1, first2))
    if rows:
        _merge_runs(rows, items)
    else:
        empty = add_row(table, ["本表没有绩效指标"], keep=True)
        merge(empty[0], empty[7])
    ex = evaluation.execution
    total_points = ex.points + sum((i.points for i in items), Decimal(0))
    grade = f"自评等级：{evaluation.grade}"
    if form.detailed and evaluation.claimed_total is not None:
        grade += f"（自评总分{fmt(evaluation.claimed_total)}）"
    cells = add_row(table, [f"总分（含预算执行{fmt(ex.points)}分）", None, None, None, None, fmt(total_points),
                            fmt(evaluation.total, form.decimals) if evaluation.total is not None else "—", grade],
                    bold=True, keep=True, aligns=[CENTER] * 7 + [LEFT])
    merge(cells[0], cells[4])


def _indicator_row(table: Any, item: IndicatorScore, form: FormContext, level1: bool, level2: bool) -> list[Any]:
    actual = item.actual if item.actual is not None else "未填报"
    score = fmt(item.score, form.decimals) if item.score is not None else "—"
    if form.detailed:
        actual = f"{actual}\n{item.status_label}"
        if item.claimed is not None:
            score = f"{score}\n自评{fmt(item.claimed)}"
    name = f"{item.id} {item.name}" if form.detailed else item.name
    return add_row(table, [item.level1 if level1 else None, item.level2 if level2 else None, name, item.target,
                           actual, fmt(item.points), score, deviation_text(item, form.detailed)],
                   aligns=[CENTER, CENTER, LEFT, LEFT, LEFT, CENTER, CENTER, LEFT])


def _merge_runs(rows: Sequence[list[Any]], items: Sequence[IndicatorScore]) -> None:
    """Merge consecutive equal 一级指标 and, inside them, equal 二级指标, as the form prints them."""
    at = 0
    for _, level1_items in groupby(items, key=lambda i: i.level1):
        block = list(level1_items)
        merge(rows[at][0], rows[at + len(block) - 1][0])
        inner = at
        for _, level2_items in groupby(block, key=lambda i: i.level2):
            size = len(list(level2_items))
            merge(rows[inner][1], rows[inner + size - 1][1])
            inner += size
        at += len(block)
