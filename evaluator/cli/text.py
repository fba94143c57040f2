"""Terminal output for `check` and `score` (rich tables); no scoring or checking happens here."""

from __future__ import annotations

from collections.abc import Iterable
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


LARGE = 500  # more rows (or findings) than this are written as plain lines: rich measures every cell of a table


def _plain(console: Any, lines: Iterable[str], batch: int = 1000) -> None:
    """Write lines as they are, without rich's rendering (linear, for large outputs).

    A thousand lines per write: one write per line cost half a second for the 380,000 lines `check`
    prints for a department of 100,000 indicators.
    """
    write = console.file.write
    held: list[str] = []
    for line in lines:
        held.append(line)
        if len(held) >= batch:
            write("\n".join(held) + "\n")
            held = []
    if held:
        write("\n".join(held) + "\n")


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
    by_scope: dict[str, list[Any]] = {}
    for r in report.rows:
        by_scope.setdefault(r.scope, []).append(r)
    for scope in scopes:
        rows = by_scope[scope]
        if len(rows) > LARGE:
            _plain_rows(console, scope, rows, with_actuals)
            continue
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
    _print_acknowledged(report, console)
    if not report.problems:
        console.print("检查通过：没有发现问题。" if not report.acknowledged else
                      f"检查通过：除已确认的 {len(report.acknowledged)} 个警告外，没有发现问题。", style="green")
        return
    console.print(
        f"发现 {counts['error']} 个错误（其中 {len(pending)} 项待确认）、{counts['warning']} 个警告、"
        f"{counts['info']} 个提示：" if pending else
        f"发现 {counts['error']} 个错误、{counts['warning']} 个警告、{counts['info']} 个提示：",
        style="red" if report.failed else "cyan",
    )
    if len(report.problems) > LARGE:
        _plain(console, (_finding(problem) for problem in report.problems))
    else:
        for problem in report.problems:
            console.print(_finding(problem), style=_SEVERITY_STYLE[problem.severity], markup=False, soft_wrap=True)
    if counts["warning"] and report.actuals is not None:
        console.print(ACKNOWLEDGE_HINT, markup=False, soft_wrap=True)


ACKNOWLEDGE_HINT = ("警告核实无误时，可在实际值文件的 acknowledged 中按代码逐条确认并写明理由"
                    "（见 docs/formats.md），确认后不再计为问题；错误不能确认。")


def _finding(problem: Any) -> str:
    """One finding as `check` prints it; a warning shows its code, by which it can be acknowledged."""
    text = f"[{problem.severity.label}] {problem}"
    if problem.severity is Severity.WARNING and problem.code:
        first, _, rest = text.partition("\n")
        text = f"{first}（代码 {problem.code}）" + (f"\n{rest}" if rest else "")
    return text


def _print_acknowledged(report: CheckReport, console: Any) -> None:
    if not report.acknowledged:
        return
    console.print(f"已确认 {len(report.acknowledged)} 个警告（不计为问题）：", style="cyan")
    lines = (f"[已确认] {problem.location}：{problem.message}（代码 {problem.code}）\n    理由：{ack.reason}"
             for problem, ack in report.acknowledged)
    if len(report.acknowledged) > LARGE:
        _plain(console, lines)
        return
    for line in lines:
        console.print(line, style="cyan", markup=False, soft_wrap=True)


def _plain_rows(console: Any, scope: str, rows: list[Any], with_actuals: bool) -> None:
    columns = ["编号", "三级指标", "指标值", "理解为", "分值"]
    if with_actuals:
        columns += ["实际完成值", "得分", "状态"]
    console.print(f"{scope}（{len(rows)}个指标，逐行列出）", markup=False)

    def line(r: Any) -> str:
        cells = [r.id, r.name, r.target, r.understood, fmt(r.points)]
        if with_actuals:
            cells += [r.actual or "—", fmt(r.score), r.status or ""]
        return " | ".join(cells)

    _plain(console, [" | ".join(columns), *(line(r) for r in rows)])


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
