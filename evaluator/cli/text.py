"""Terminal output for `check` and `score` (rich tables); no scoring or checking happens here."""

from __future__ import annotations

from typing import Any

from evaluator.checks.check import CheckReport
from evaluator.decimals import fmt
from evaluator.errors import Severity
from evaluator.results.scores import Result

__all__ = ["print_check", "print_result"]

_SEVERITY_STYLE = {Severity.ERROR: "red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def _pending_block(console: Any, items: list[tuple[str, str]]) -> None:
    """The 待确认 indicators, before anything else: which one and why, then the exact fix."""
    if not items:
        return
    console.print(f"待确认 {len(items)} 项：以下指标无法判断，暂不计分，总分和等级均为暂定。", style="bold red")
    for what, fix in items:
        console.print(f"  - {what}", style="red", markup=False, soft_wrap=True)
        if fix:
            console.print(f"    修改：{fix}", markup=False, soft_wrap=True)


def print_check(report: CheckReport, console: Any) -> None:
    from rich.table import Table

    targets = report.targets
    if targets is not None:
        console.print(f"目标文件：{targets.source}（{targets.year}年，{targets.department}）")
    if report.actuals is not None:
        console.print(f"实际值文件：{report.actuals.source}")
    pending = [p for p in report.problems if p.code == "pending"]
    _pending_block(console, [(f"{p.location}：{p.message}", p.hint) for p in pending])
    scopes = list(dict.fromkeys(r.scope for r in report.rows))
    with_actuals = report.actuals is not None
    for scope in scopes:
        rows = [r for r in report.rows if r.scope == scope]
        table = Table(title=f"{scope}（{len(rows)}个指标）", show_lines=False, title_justify="left")
        for column in ("编号", "三级指标", "指标值", "理解为", "分值"):
            table.add_column(column, overflow="fold")
        if with_actuals:
            for column in ("实际完成值", "得分", "状态"):
                table.add_column(column, overflow="fold")
        for r in rows:
            cells = [r.id, r.name, r.target, r.understood, fmt(r.points)]
            if with_actuals:
                cells += [r.actual or "—", fmt(r.score), r.status or ""]
            table.add_row(*cells)
        console.print(table)
    counts = report.counts()
    if not report.problems:
        console.print("检查通过：没有发现问题。", style="green")
        return
    console.print(
        f"发现 {counts['error']} 个错误（其中 {len(pending)} 项待确认）、{counts['warning']} 个警告、"
        f"{counts['info']} 个提示：" if pending else
        f"发现 {counts['error']} 个错误、{counts['warning']} 个警告、{counts['info']} 个提示：",
        style="red" if report.failed else "cyan",
    )
    for problem in report.problems:
        console.print(f"[{problem.severity.label}] {problem}", style=_SEVERITY_STYLE[problem.severity],
                      markup=False, soft_wrap=True)


def print_result(result: Result, console: Any) -> None:
    from rich.table import Table

    console.print(f"{result.year}年 {result.department}　评分规则：{result.rules}（{result.rules_title}）")
    _pending_block(console, [(f"{e.name} {i.id} {i.name}：{_problem(i.explanation, i.fix)}", i.fix or "")
                             for e in result.evaluations for i in e.indicators if i.pending])
    for evaluation in result.evaluations:
        total = f"总分 {evaluation.total:f}　等级 {evaluation.grade}"
        if evaluation.provisional:
            waiting = f"{evaluation.pending}项待确认，共{fmt(evaluation.pending_points)}分未计"
            total = f"总分 {evaluation.total:f}（暂定：{waiting}）　等级 {evaluation.grade}（暂定）"
        table = Table(title=f"{evaluation.name}：{total}", title_justify="left")
        for column in ("编号", "三级指标", "指标值", "实际完成值", "分值", "得分", "说明"):
            table.add_column(column, overflow="fold")
        ex = evaluation.execution
        score = "—" if ex.score is None else f"{ex.score:f}"
        table.add_row("—", "预算执行率", "—", fmt(ex.executed), fmt(ex.points), score,
                      ex.explanation + (f"【复核】{ex.review}" if ex.review else ""))
        for score in evaluation.indicators:
            shown = "待确认" if score.pending else f"{score.score:f}"
            table.add_row(score.id, score.name, score.target, score.actual or "—", fmt(score.points),
                          shown, score.explanation + (f"【复核】{score.review}" if score.review else ""))
        console.print(table)
        for note in evaluation.review:
            console.print(f"【复核】{note}", style="yellow", markup=False, soft_wrap=True)
    for warning in result.warnings:
        console.print(f"[{warning.severity.label}] {warning}", style=_SEVERITY_STYLE[warning.severity], markup=False,
                      soft_wrap=True)


def _problem(explanation: str, fix: str | None) -> str:
    """The reason part of a pending explanation ("待确认：<reason>。<fix>；<notes>")."""
    text = explanation.removeprefix("待确认：")
    return text.split(f"。{fix}")[0] if fix else text
