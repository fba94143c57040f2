"""The scored 自评表 as a Word document, in the official layout (财预〔2020〕10号; rules.md §1.6), with 公文 formatting.

One form per scope (部门整体支出, then each special fund), each on its own page: title, year, the
form (``evaluator.word.selfeval``: name rows, 项目资金 with its 其中 lines, 年度总体目标, the indicator
table with merged 一级/二级 cells and a header row repeated on every page, 总分 and 自评等级). Then
an annex 评分说明: each line's explanation and review, the rule set, the tool, the fonts and the
SHA-256 of every input. Everything comes from the Result; nothing is scored here. The same inputs give
the same bytes.
"""

from __future__ import annotations

from typing import Any

from docx.enum.text import WD_BREAK

from evaluator.decimals import fmt
from evaluator.model import Actuals, Targets
from evaluator.results.scores import Result
from evaluator.scoring.execution import DENOMINATOR_LABELS
from evaluator.word.document import (
    FONT_NOTE,
    add_paragraph,
    chinese_number,
    document_bytes,
    fixed_time,
    new_document,
)
from evaluator.word.selfeval import add_self_evaluation, form_context, form_title
from evaluator.word.tables import CENTER, LEFT, add_row, add_table

__all__ = ["build_self_evaluation_docx"]

EXPLAIN_WIDTHS = (16, 30, 12, 14, 20, 64)  # 编号, 项目, 分值, 得分, 状态, 评分说明 — 156 mm
ROLE_LABELS = {"targets": "目标文件", "actuals": "实际值文件", "rules": "评分规则文件"}


def build_self_evaluation_docx(result: Result, targets: Targets, actuals: Actuals | None, decimals: int = 2) -> bytes:
    """Return the .docx bytes of the 自评表: one form per scope of ``result``, then 评分说明."""
    when = fixed_time(result.year)
    document = new_document(f"{result.year}年度{result.department}绩效自评表", subject="预算绩效自评表", when=when)
    first = True
    for evaluation in result.evaluations:
        if not first:
            _page_break(document)
        first = False
        add_paragraph(document, form_title(evaluation), "表名")
        add_paragraph(document, f"（{result.year}年度）", "Subtitle")
        add_self_evaluation(document, evaluation, form_context(evaluation, targets, actuals, decimals))
    _page_break(document)
    _explanations(document, result, decimals)
    return document_bytes(document, when)


def _page_break(document: Any) -> None:
    add_paragraph(document, "", "表格文字").add_run().add_break(WD_BREAK.PAGE)


def _explanations(document: Any, result: Result, decimals: int) -> None:
    add_paragraph(document, "评分说明", "表名")
    for number, evaluation in enumerate(result.evaluations, start=1):
        add_paragraph(document, f"{chinese_number(number)}、{evaluation.name}", "Heading 1")
        table = add_table(document, EXPLAIN_WIDTHS)
        add_row(table, ("编号", "项目", "分值", "得分", "状态", "评分说明"), header=True)
        aligns = [CENTER, LEFT, CENTER, CENTER, CENTER, LEFT]
        ex = evaluation.execution
        text = ex.explanation + (f"\n原因：{ex.reason}" if ex.reason else "") + \
            (f"\n复核：{ex.review}" if ex.review else "")
        denominator = DENOMINATOR_LABELS.get(ex.denominator, ex.denominator)
        add_row(table, ("预算执行", f"预算执行率（全年执行数÷{denominator}）", fmt(ex.points),
                        fmt(ex.score, decimals) if ex.score is not None else "—", "", text), aligns=aligns)
        for item in evaluation.indicators:
            text = f"指标值“{item.target}”理解为：{item.understood}。{item.explanation}"
            if item.review:
                text += f"\n复核：{item.review}"
            if item.claimed is not None:
                text += f"\n自评得分：{fmt(item.claimed)}"
            add_row(table, (item.id, item.name, fmt(item.points),
                            fmt(item.score, decimals) if item.score is not None else "—", item.status_label, text),
                    aligns=aligns)
        for note in evaluation.review:
            add_paragraph(document, f"审核意见：{note}", "说明文字")
    add_paragraph(document, f"{chinese_number(len(result.evaluations) + 1)}、评分依据与数据来源", "Heading 1")
    lines = [f"评分规则：{result.rules}（{result.rules_title}）", f"生成工具：evaluator {result.tool_version}"]
    lines += [f"{ROLE_LABELS.get(f.role, f.role)}：{f.file}，SHA-256：{f.sha256}" for f in result.inputs]
    lines += [f"{w.severity.label}：{w}" for w in result.warnings]
    lines.append(f"字体：{FONT_NOTE}。")
    for line in lines:
        add_paragraph(document, line, "说明文字")
