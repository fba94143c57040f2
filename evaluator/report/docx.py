"""The self-evaluation report as an editable Word document: the sections of the HTML report, in 公文 layout.

The content is the HTML report's (``context.build_report``: the same rows, counts, deviations and
sentences) and the charts are the HTML charts' figure data drawn as images (``images``). What Word
adds: real tables (the 自评表 of each scope in the official layout, with merged 一级/二级 cells and
header rows repeated on every page), headings Word's navigation pane lists, page numbers in the
footer, and A4 公文 formatting (``evaluator.word.document``). Offices edit it, stamp it and merge it
into the department's final accounts. The same inputs give the same bytes; a time stamp is written
only when asked for.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from docx.shared import Mm

from evaluator.model import Actuals, Targets
from evaluator.report.charts import scope_charts
from evaluator.report.context import Deviation, Report, Scope, build_report
from evaluator.report.formatting import money, percent, points, score, text_or
from evaluator.report.images import chart_png
from evaluator.results.scores import Result
from evaluator.rules import RuleSet, load_rules
from evaluator.word.document import (
    FONT_NOTE,
    add_paragraph,
    chinese_number,
    clean,
    document_bytes,
    fixed_time,
    new_document,
)
from evaluator.word.selfeval import add_self_evaluation, form_context
from evaluator.word.tables import CENTER, LEFT, RIGHT, add_row, add_table, merge

__all__ = ["CHART_WIDTH_MM", "render_docx"]

CHART_WIDTH_MM = 150
CHART_LIBRARY = "matplotlib（由与 HTML 报告相同的图表数据离线绘制）"


def render_docx(
    result: Result,
    targets: Targets,
    actuals: Actuals | None,
    *,
    generated_at: datetime | None = None,
    rules: RuleSet | None = None,
) -> bytes:
    """Return the report as .docx bytes. ``generated_at`` is printed only when given (same inputs, same bytes)."""
    rule_set = rules if rules is not None else load_rules(result.rules)
    stamp = generated_at.strftime("%Y-%m-%d %H:%M") if generated_at is not None else None
    report = build_report(result, targets, actuals, rule_set, stamp)
    when = fixed_time(result.year)
    title = f"{result.year}年度{result.department}预算绩效自评报告"
    document = new_document(title, subject="预算绩效自评报告", when=when)
    heading = add_paragraph(document, "", "Title")
    heading.add_run(clean(f"{result.year}年度{result.department}"))
    heading.add_run().add_break()
    heading.add_run("预算绩效自评报告")
    add_paragraph(document, clean(f"评分规则：{rule_set.title}"), "Subtitle")
    add_paragraph(document, clean(f"金额单位：{report.money_unit}"), "Subtitle")
    _basic(document, report)
    _conclusion(document, report)
    _indicators(document, report, targets, actuals)
    _deviations(document, report)
    _narrative(document, report)
    _sources(document, report)
    return document_bytes(document, when)


# --- text helpers ---------------------------------------------------------------------------------


def _paragraphs(document: Any, text: str | None, placeholder: str = "未填写", style: str = "Normal") -> None:
    """Write text as body paragraphs, one per line (the HTML keeps line breaks too)."""
    lines = [line.strip() for line in clean(text or "").split("\n") if line.strip()]
    for line in lines or [placeholder]:
        add_paragraph(document, line, style)


def _heading(document: Any, text: str, level: int) -> None:
    add_paragraph(document, text, f"Heading {level}")


def _kv(document: Any, rows: Sequence[tuple[str, str]]) -> None:
    table = add_table(document, (36, 120))
    for label, value in rows:
        add_row(table, (label, value), aligns=(CENTER, LEFT), keep=len(value) < 200)


# --- 一、基本情况 -----------------------------------------------------------------------------------


def _basic(document: Any, report: Report) -> None:
    targets, unit = report.targets, report.money_unit
    _heading(document, "一、基本情况", 1)
    total = f"资金总额：{money(targets.budget.total)}{unit}" if targets.budget.total is not None else "未填写"
    _kv(document, [("部门名称", targets.department), ("年度", f"{targets.year}年"), ("年度预算申请", total)])
    _heading(document, "（一）部门职责", 2)
    _paragraphs(document, targets.duties)
    _heading(document, "（二）年度预算", 2)
    if report.budget_lines:
        table = add_table(document, (48, 30, 48, 30))
        add_row(table, (f"按收入性质分（{unit}）", None, f"按支出性质分（{unit}）"), header=True)
        for source, nature in report.budget_lines:
            values = [source[0] if source else "", money(source[1]) if source else "",
                      nature[0] if nature else "", money(nature[1]) if nature else ""]
            add_row(table, values, aligns=(LEFT, RIGHT, LEFT, RIGHT), keep=True)
        add_row(table, ("合计", money(targets.budget.total), "合计", money(targets.budget.total)), bold=True,
                aligns=(LEFT, RIGHT, LEFT, RIGHT), keep=True)
        header = table.rows[0].cells
        merge(header[0], header[1])
        merge(header[2], header[3])
    else:
        _paragraphs(document, None)
    _heading(document, "（三）年度重点工作计划", 2)
    if targets.plan:
        table = add_table(document, (12, 36, 28, 80))
        add_row(table, ("序号", "事项", "责任单位/科室", "工作目标"), header=True)
        for number, item in enumerate(targets.plan, start=1):
            add_row(table, (str(number), item.item, text_or(item.owner), text_or(item.goal)),
                    aligns=(CENTER, LEFT, LEFT, LEFT))
    else:
        _paragraphs(document, None)
    _heading(document, "（四）专项资金", 2)
    if targets.projects:
        table = add_table(document, (12, 36, 22, 22, 64))
        add_row(table, ("序号", "名称", f"金额（{unit}）", "实施期", "年度绩效目标"), header=True)
        for number, project in enumerate(targets.projects, start=1):
            add_row(table, (str(number), project.name, money(project.amount), text_or(project.period),
                            text_or(project.goal_year)), aligns=(CENTER, LEFT, RIGHT, CENTER, LEFT))
    else:
        _paragraphs(document, "本年度没有专项资金。")


# --- 二、自评结论 -----------------------------------------------------------------------------------


def _conclusion(document: Any, report: Report) -> None:
    _heading(document, "二、自评结论", 1)
    for position, scope in enumerate(report.scopes):
        lead = f"{report.result.year}年度，{report.result.department}" if position == 0 else ""
        _paragraphs(document, lead + scope.conclusion)
    if not report.scopes:
        _paragraphs(document, "目标文件中没有可评分的内容（没有绩效指标，也没有预算执行数据）。")
    table = add_table(document, (44, 16, 12, 20, 16, 16, 16, 16))
    first = add_row(table, ("评价对象", "总分", "等级", "预算执行率", "绩效指标（项）"), header=True)
    second = add_row(table, (None, None, None, None, "达成", "部分达成", "未达成", "未填报"), header=True)
    merge(first[4], first[7])
    for column in range(4):
        merge(first[column], second[column])
    for scope in report.scopes:
        ev = scope.evaluation
        add_row(table, (scope.title, score(ev.total, report.decimals), ev.grade, percent(ev.execution.rate),
                        str(scope.counts.met), str(scope.counts.partial), str(scope.counts.unmet),
                        str(scope.counts.missing)), aligns=(LEFT, RIGHT, CENTER, RIGHT, RIGHT, RIGHT, RIGHT, RIGHT),
                keep=True)
    _heading(document, "总体完成情况", 3)
    _paragraphs(document, report.summary.overview)


# --- 三、绩效指标完成情况 ---------------------------------------------------------------------------


def _indicators(document: Any, report: Report, targets: Targets, actuals: Actuals | None) -> None:
    _heading(document, "三、绩效指标完成情况", 1)
    for scope in report.scopes:
        _scope(document, report, scope, targets, actuals)


def _scope(document: Any, report: Report, scope: Scope, targets: Targets, actuals: Actuals | None) -> None:
    evaluation = scope.evaluation
    _heading(document, f"（{chinese_number(scope.number)}）{scope.title}绩效自评表", 2)
    add_self_evaluation(document, evaluation,
                        form_context(evaluation, targets, actuals, report.decimals, detailed=True))
    _heading(document, "1. 评分依据", 3)
    ex = evaluation.execution
    text = f"预算执行：{ex.explanation}" + (f"；复核：{ex.review}" if ex.review else "") + \
        (f"；原因：{ex.reason}" if ex.reason else "")
    add_paragraph(document, text.rstrip("。") + "。", "说明文字")
    for row in scope.rows:
        item = row.item
        parts = [f"{item.id} {item.name}：指标值“{item.target}”理解为：{item.understood}；"
                 f"方向依据：{item.direction_reason}。"]
        if row.actual_note:
            parts.append(f"实际完成值：{row.actual_note}。")
        parts.append(f"评分：{item.explanation}")
        if item.review:
            parts.append(f"复核：{item.review}")
        if item.evidence:
            parts.append(f"佐证材料：{item.evidence}")
        if item.standard:
            parts.append(f"绩效标准：{item.standard}")
        if row.unexplained:
            parts.append("偏差原因：未说明。")
        add_paragraph(document, _sentences(parts), "说明文字")
    _heading(document, "2. 图表", 3)
    for chart in scope_charts(scope, report.money_unit, report.decimals):
        if chart.spec is None:
            add_paragraph(document, clean(f"{chart.caption}：{chart.empty}"), "Caption")
            continue
        width = int(chart.spec["layout"]["width"])
        picture = add_paragraph(document, "", "Caption")
        picture.paragraph_format.keep_with_next = True
        picture.add_run().add_picture(io.BytesIO(chart_png(chart.spec)), width=Mm(min(CHART_WIDTH_MM,
                                                                                       width * 25.4 / 96)))
        add_paragraph(document, clean(chart.caption), "Caption")


def _sentences(parts: list[str]) -> str:
    """Join sentences, each ending in one “。”."""
    return "".join(p if p.endswith(("。", "！", "？")) else p + "。" for p in parts)


# --- 四、偏差分析 -----------------------------------------------------------------------------------


def _deviations(document: Any, report: Report) -> None:
    deviations = report.deviations
    _heading(document, "四、偏差分析", 1)
    for title, lines, empty in (
        ("（一）未完成或部分完成的指标", deviations.missed, "所有指标均已达成，预算执行率也未低于规则要求。"),
        ("（二）超额完成的指标（目标是否设定偏低）", deviations.exceeded, "没有大幅超额完成的指标。"),
        ("（三）未填报实际完成值或无法评分的指标", deviations.missing, "所有指标均已填报实际完成值。"),
    ):
        _heading(document, title, 2)
        if not lines:
            _paragraphs(document, empty)
            continue
        table = add_table(document, (22, 30, 20, 20, 26, 38))
        add_row(table, ("所属", "指标", "年度指标值", "实际完成值", "偏差", "原因及改进措施"), header=True)
        for line in lines:
            add_row(table, (line.scope, f"{line.id} {line.name}", line.target, text_or(line.actual, "未填报"),
                            line.note, _reason(line)), align=LEFT)
    _heading(document, "（四）复核未予支持的自评得分", 2)
    if deviations.unsupported:
        table = add_table(document, (20, 28, 12, 14, 14, 36, 32))
        add_row(table, ("所属", "项目", "分值", "自评得分", "按规则得分", "复核意见", "自评理由"), header=True)
        for line in deviations.unsupported:
            add_row(table, (line.scope, f"{line.id} {line.name}", points(line.points), points(line.claimed),
                            score(line.score, report.decimals), line.note, line.reason or "未说明"),
                    aligns=(LEFT, LEFT, RIGHT, RIGHT, RIGHT, LEFT, LEFT))
    else:
        _paragraphs(document, "没有与评分规则不符的自评得分。")
    if report.result.warnings:
        _heading(document, "（五）评分时的提示", 2)
        for warning in report.result.warnings:
            where = f"{warning.location.indicator} " if warning.location.indicator else ""
            hint = f"（{warning.hint}）" if warning.hint else ""
            add_paragraph(document, clean(f"{where}{warning.message}{hint}"), "说明文字")


def _reason(line: Deviation) -> str:
    text = f"原因：{line.reason}" if line.reason else "原因：未说明"
    return text + (f"\n措施：{line.measure}" if line.measure else "")


# --- 五、存在的问题 …; 六、评分规则与数据来源 -----------------------------------------------------------


def _narrative(document: Any, report: Report) -> None:
    summary = report.summary
    _heading(document, "五、存在的问题及改进措施、结果应用", 1)
    for title, text in (("（一）存在的问题", summary.problems), ("（二）改进措施", summary.measures),
                        ("（三）结果应用", summary.application), ("（四）其他需要说明的问题", summary.other)):
        _heading(document, title, 2)
        _paragraphs(document, text)


def _sources(document: Any, report: Report) -> None:
    rules = report.rules
    _heading(document, "六、评分规则与数据来源", 1)
    _heading(document, "（一）评分规则", 2)
    _kv(document, [("规则集", f"{rules.name}　{rules.title}"), ("依据", rules.source),
                   ("原文链接", rules.url or "未提供"), ("规则文件", f"{rules.file}\nSHA-256：{rules.sha256}"),
                   ("说明", "\n".join(f"· {note}" for note in rules.notes) or "无")])
    add_paragraph(document, "说明中的标记：[V] 已在公开来源中核对；[D] 依据所列文件，原文段落尚待核对；"
                           "[C] 有公开自评表或省级绩效平台做法佐证；[P] 本工具的约定（未找到权威依据）。", "说明文字")
    _heading(document, "（二）输入文件", 2)
    table = add_table(document, (26, 50, 80))
    add_row(table, ("用途", "文件", "SHA-256"), header=True)
    for role, entry in report.inputs:
        add_row(table, (role, entry.file, entry.sha256), align=LEFT, size=9)
    _heading(document, "（三）生成信息", 2)
    rows = [("生成工具", f"evaluator {report.result.tool_version}"), ("图表", CHART_LIBRARY), ("字体", FONT_NOTE)]
    if report.generated_at:
        rows.append(("生成时间", report.generated_at))
    _kv(document, rows)
