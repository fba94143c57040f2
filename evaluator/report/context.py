"""What the report shows, prepared from the scoring result: rows, counts, deviations and sentences.

The templates only loop and print; every decision (which rows merge, what counts as missed, which
sentence the conclusion says) is made here, from ``Result`` and the two input files, and nothing
is scored again. Indicators the tool could not decide (待确认) are listed first, each with its fix,
and every total they touch is marked 暂定.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from evaluator.errors import Problem, Severity
from evaluator.model import Acknowledgement, Actuals, Project, Summary, Targets
from evaluator.report.formatting import money, percent, points, score
from evaluator.results.scores import Evaluation, ExecutionScore, IndicatorScore, InputFile, Result
from evaluator.results.selfeval import FundingLine, funding_lines
from evaluator.rules import RuleSet

__all__ = ["Counts", "Deviation", "Deviations", "MET", "MISSING", "Note", "PENDING", "Pending", "Report", "Row", "Scope",
    "Subtotal", "build_report", "completion"]

MET = ("met", "exceeded", "qualitative-met")
PARTIAL = ("partial", "qualitative-partial")
UNMET = ("unmet", "qualitative-unmet")
MISSING = ("missing", "invalid")
PENDING = ("pending",)
DENOMINATORS = {"adjusted": "全年预算数", "initial": "年初预算数"}
ROLES = {"targets": "绩效目标文件", "actuals": "实际完成值文件", "rules": "评分规则文件"}


@dataclass(frozen=True)
class Row:
    """One indicator row of a 自评表; a span of 0 means the cell is merged into the one above."""

    item: IndicatorScore
    level1_span: int
    level2_span: int
    deviation: str  # 偏差原因分析及改进措施, or "" when the target was met and nothing was said
    unexplained: bool  # missed or over-achieved with no reason given
    actual_note: str | None  # how the actual was read, when the tool could not read it as written
    assumed: str | None = None  # a reading the tool assumed (a unit's scale), shown beside the actual


@dataclass(frozen=True)
class Counts:
    total: int
    met: int
    exceeded: int
    partial: int
    unmet: int
    missing: int
    pending: int = 0


@dataclass(frozen=True)
class Subtotal:
    """Points available and earned in one group of indicators (a level-1 or a level-2 group)."""

    label: str
    points: Decimal
    score: Decimal

    @property
    def lost(self) -> Decimal:
        return self.points - self.score


@dataclass(frozen=True)
class Scope:
    """One 自评表: the department as a whole or one special fund, with what the report says of it."""

    key: str  # used in element ids: "department", or the fund's id made safe
    number: int  # 1-based position in the report
    evaluation: Evaluation
    project: Project | None
    overview: str | None  # 实际完成情况 of a fund, from the actuals
    rows: tuple[Row, ...]
    total_points: Decimal
    counts: Counts
    level1: tuple[Subtotal, ...]
    level2: tuple[Subtotal, ...]
    conclusion: str
    funding: tuple[FundingLine, ...] = ()  # 年度资金总额 and its 其中 lines (results.selfeval)

    @property
    def title(self) -> str:
        return self.evaluation.name


@dataclass(frozen=True)
class Deviation:
    """One line of 偏差分析."""

    scope: str
    id: str
    name: str
    target: str
    actual: str | None
    status: str
    points: Decimal | None
    score: Decimal | None
    claimed: Decimal | None
    note: str  # what the deviation is
    reason: str | None
    measure: str | None


@dataclass(frozen=True)
class Pending:
    """One 待确认 indicator: why the tool could not decide, and the exact fix."""

    scope: str
    id: str
    name: str
    target: str
    actual: str | None
    points: Decimal
    problem: str
    fix: str | None


@dataclass(frozen=True)
class Deviations:
    missed: tuple[Deviation, ...]
    exceeded: tuple[Deviation, ...]
    missing: tuple[Deviation, ...]
    unsupported: tuple[Deviation, ...]


BudgetLine = tuple[str, Decimal | None]


@dataclass(frozen=True)
class Note:
    """A finding made while scoring, with the reason the actuals file gives for accepting it, if it does."""

    problem: Problem
    acknowledged: str | None = None


@dataclass(frozen=True)
class Report:
    """Everything the page template reads."""

    result: Result
    targets: Targets
    summary: Summary
    rules: RuleSet
    money_unit: str
    scopes: tuple[Scope, ...]
    pending: tuple[Pending, ...]  # 待确认, shown first
    deviations: Deviations
    budget_lines: tuple[tuple[BudgetLine | None, BudgetLine | None], ...]
    inputs: tuple[tuple[str, InputFile], ...]
    generated_at: str | None
    decimals: int
    notes: tuple[Note, ...] = ()  # the result's warnings, each with its acknowledgement
    acknowledged: tuple[Acknowledgement, ...] = ()  # every warning the actuals file accepts, and why


def build_report(
    result: Result, targets: Targets, actuals: Actuals | None, rules: RuleSet, generated_at: str | None
) -> Report:
    """Prepare the report's content from a scored result and the files it was scored from."""
    projects = {p.id: p for p in targets.projects}
    used_keys: set[str] = set()
    scopes = []
    for position, evaluation in enumerate(result.evaluations):
        project = projects.get(evaluation.id) if evaluation.id is not None else None
        key = _key(evaluation, position, used_keys)
        overview = None
        if actuals is not None and evaluation.id in actuals.projects:
            overview = actuals.projects[evaluation.id].overview
        scope = _scope(evaluation, project, overview, key, position + 1, rules, targets.money_unit)
        budget = actuals.for_scope(evaluation.id)[0] if actuals is not None else None
        scopes.append(replace(scope, funding=funding_lines(evaluation.execution, budget)))
    return Report(
        result=result,
        targets=targets,
        summary=actuals.summary if actuals is not None else Summary(),
        rules=rules,
        money_unit=targets.money_unit,
        scopes=tuple(scopes),
        pending=tuple(_pending(result.evaluations)),
        deviations=_deviations(result.evaluations, rules, targets.money_unit),
        budget_lines=_budget_lines(targets),
        inputs=tuple((ROLES.get(f.role, f.role), f) for f in result.inputs),
        generated_at=generated_at,
        decimals=rules.decimals,
        notes=tuple(_notes(result, actuals)),
        acknowledged=actuals.acknowledged if actuals is not None else (),
    )


def _notes(result: Result, actuals: Actuals | None) -> list[Note]:
    """The scoring warnings as the report lists them; a warning the actuals acknowledge shows the reason."""
    acknowledged = actuals.acknowledged if actuals is not None else ()
    notes = []
    for warning in result.warnings:
        reason = None
        if warning.severity is Severity.WARNING:
            reason = next((a.reason for a in acknowledged if a.covers(warning)), None)
        notes.append(Note(warning, reason))
    return notes


def _budget_lines(targets: Targets) -> tuple[tuple[BudgetLine | None, BudgetLine | None], ...]:
    """Pair the budget by source with the budget by nature, line by line, as 附表1 prints them."""
    sources = list(targets.budget.by_source.items())
    natures = list(targets.budget.by_nature.items())
    count = max(len(sources), len(natures))
    padded_sources: list[BudgetLine | None] = [*sources, *[None] * (count - len(sources))]
    padded_natures: list[BudgetLine | None] = [*natures, *[None] * (count - len(natures))]
    return tuple(zip(padded_sources, padded_natures, strict=True))


def completion(item: IndicatorScore) -> Decimal | None:
    """Return how far an indicator reached its target, 1 meaning exactly on target.

    Direction-aware: for lower-is-better it is target/actual, so 1 or more means at or under the
    cap. Qualitative indicators (and numeric ones with no ratio, such as deadlines) read their
    tier as the share of points earned. Missing and unscorable indicators have none.
    """
    if item.status in MISSING + PENDING:
        return None
    if item.ratio is None or item.direction == "qualitative":
        return item.score / item.points if item.points else None
    if item.direction == "lower":
        return 1 / item.ratio if item.ratio else None
    return item.ratio


def _key(evaluation: Evaluation, position: int, used: set[str]) -> str:
    if evaluation.scope == "department":
        key = "department"
    else:
        safe = re.sub(r"[^A-Za-z0-9_-]", "", evaluation.id or "")
        key = f"fund-{safe}" if safe else f"fund-{position}"
    while key in used:
        key = f"{key}-{position}"
    used.add(key)
    return key


def _scope(
    evaluation: Evaluation, project: Project | None, overview: str | None, key: str, number: int, rules: RuleSet,
    unit: str,
) -> Scope:
    items = evaluation.indicators
    counts = Counts(
        total=len(items),
        met=evaluation.count(*MET),
        exceeded=evaluation.count("exceeded"),
        partial=evaluation.count(*PARTIAL),
        unmet=evaluation.count(*UNMET),
        missing=evaluation.count(*MISSING),
        pending=evaluation.count(*PENDING),
    )
    level1 = tuple(Subtotal(g.label, g.points, g.score) for g in evaluation.groups)
    level2 = _level2(items)
    total_points = evaluation.execution.points + sum((i.points for i in items), Decimal(0))
    return Scope(
        key=key,
        number=number,
        evaluation=evaluation,
        project=project,
        overview=overview,
        rows=_rows(items),
        total_points=total_points,
        counts=counts,
        level1=level1,
        level2=level2,
        conclusion=_conclusion(evaluation, counts, level1, rules, unit),
    )


def _rows(items: tuple[IndicatorScore, ...]) -> tuple[Row, ...]:
    """Build the table rows; each indicator takes two table rows (its line and its scoring note)."""
    level1 = _spans([i.level1 for i in items])
    level2 = _spans([(i.level1, i.level2) for i in items])
    rows = []
    for item, span1, span2 in zip(items, level1, level2, strict=True):
        deviation, unexplained = _deviation_text(item)
        # a qualitative actual is judged by its tier, so "the number could not be read" is noise there
        note = None if item.direction == "qualitative" else (item.parsed_actual or {}).get("note")
        assumed = None
        if "scale-assumed" in item.flags:
            assumed = next((part for part in item.explanation.split("；") if "按目标的量级" in part), None)
        rows.append(Row(item, span1 * 2, span2 * 2, deviation, unexplained, note, assumed))
    return tuple(rows)


def _spans(values: list[object]) -> list[int]:
    """Return, for each position, the length of the run of equal values starting there (0 inside a run)."""
    spans = [0] * len(values)
    start = 0
    for position in range(1, len(values) + 1):
        if position == len(values) or values[position] != values[start]:
            spans[start] = position - start
            start = position
    return spans


def _deviation_text(item: IndicatorScore) -> tuple[str, bool]:
    parts = []
    if item.reason:
        parts.append(f"原因：{item.reason}")
    if item.measure:
        parts.append(f"措施：{item.measure}")
    if item.deduction_reason:
        parts.append(f"扣分：{item.deduction_reason}")
    needs_reason = item.status not in ("met", "qualitative-met", "pending") or "over-achieved" in item.flags
    unexplained = needs_reason and not item.reason
    return "；".join(parts), unexplained


def _level2(items: tuple[IndicatorScore, ...]) -> tuple[Subtotal, ...]:
    totals: dict[tuple[str, str], list[Decimal]] = {}
    for item in items:
        entry = totals.setdefault((item.group_label, item.level2), [Decimal(0), Decimal(0)])
        entry[0] += item.points
        entry[1] += item.score
    return tuple(Subtotal(f"{group}·{level2}", p, s) for (group, level2), (p, s) in totals.items())


def _conclusion(
    evaluation: Evaluation, counts: Counts, level1: tuple[Subtotal, ...], rules: RuleSet, unit: str
) -> str:
    """Write the one-paragraph summary of a 自评表 from its numbers."""
    ex = evaluation.execution
    total_points = ex.points + sum((s.points for s in level1), Decimal(0))
    sentences = [f"{evaluation.name}自评得分{score(evaluation.total, rules.decimals)}分"
                 f"（满分{points(total_points)}分），等级为“{evaluation.grade}”。"]
    if evaluation.provisional:
        sentences = [f"{evaluation.name}暂定得分{score(evaluation.total, rules.decimals)}分"
                     f"（满分{points(total_points)}分），暂定等级为“{evaluation.grade}”：{evaluation.pending}项指标"
                     f"待确认（共{points(evaluation.pending_points)}分），确认后总分和等级可能改变。"]
    if ex.status == "scored" and ex.rate is not None:
        sentences.append(
            f"预算执行率{percent(ex.rate)}（全年执行数{money(ex.executed)}{unit}，"
            f"{DENOMINATORS.get(ex.denominator, '预算数')}{money(_denominator(ex))}{unit}），"
            f"得{score(ex.score, rules.decimals)}分（满分{points(ex.points)}分）。"
        )
    else:
        sentences.append(f"预算执行：{ex.explanation}。".replace("。。", "。"))
    if counts.total:
        exceeded = f"（其中超额完成{counts.exceeded}项）" if counts.exceeded else ""
        waiting = f"，待确认{counts.pending}项" if counts.pending else ""
        sentences.append(
            f"{counts.total}项绩效指标中，达成{counts.met}项{exceeded}，部分达成{counts.partial}项，"
            f"未达成{counts.unmet}项，未填报或无法评分{counts.missing}项{waiting}。"
        )
    sentences.append(_where_lost(evaluation, level1, rules))
    return "".join(sentences)


def _denominator(ex: ExecutionScore) -> Decimal | None:
    return ex.initial if ex.denominator == "initial" else ex.adjusted


def _where_lost(evaluation: Evaluation, level1: tuple[Subtotal, ...], rules: RuleSet) -> str:
    """Where points were lost; the points of 待确认 indicators are not lost yet and are left out."""
    ex = evaluation.execution
    execution_lost = ex.points - (ex.score or Decimal(0))
    waiting = {g.key: sum((i.points for i in evaluation.indicators if i.pending and i.group == g.key), Decimal(0))
               for g in evaluation.groups}
    decided = [Subtotal(s.label, s.points - waiting.get(g.key, Decimal(0)), s.score)
               for s, g in zip(level1, evaluation.groups, strict=True)]
    groups = [Subtotal("预算执行率", ex.points, ex.points - execution_lost), *decided]
    lost_total = sum((g.lost for g in groups), Decimal(0))
    if lost_total <= 0:
        return "已确定的各项均得满分，未失分。" if evaluation.provisional else "各项均得满分，未失分。"
    worst_group = max(groups, key=lambda g: g.lost)  # the first of equals, in table order
    text = (f"共失{score(lost_total, rules.decimals)}分，失分最多的是{worst_group.label}"
            f"（失{score(worst_group.lost, rules.decimals)}分）")
    decided_items = [i for i in evaluation.indicators if not i.pending]
    if decided_items:
        worst = max(decided_items, key=lambda i: i.lost)
        if worst.lost > 0:
            lost = score(worst.lost, rules.decimals)
            text += f"；单项失分最多的指标是“{worst.name}”（失{lost}分，{worst.status_label}）"
    return text + "。"


def _pending(evaluations: tuple[Evaluation, ...]) -> list[Pending]:
    items = []
    for evaluation in evaluations:
        for item in evaluation.indicators:
            if item.pending:
                problem = item.explanation.removeprefix("待确认：")
                if item.fix:
                    problem = problem.split(f"。{item.fix}")[0]
                items.append(Pending(evaluation.name, item.id, item.name, item.target, item.actual, item.points,
                                     problem, item.fix))
    return items


def _deviations(evaluations: tuple[Evaluation, ...], rules: RuleSet, unit: str) -> Deviations:
    missed, exceeded, missing, unsupported = [], [], [], []
    for evaluation in evaluations:
        ex = evaluation.execution
        if ex.status == "scored" and ex.rate is not None and ex.rate < rules.execution_explain_below:
            floor = percent(rules.execution_explain_below, 0)
            missed.append(_execution_line(evaluation, f"执行率{percent(ex.rate)}，低于{floor}", unit))
        for item in evaluation.indicators:
            if item.status in PARTIAL + UNMET:
                lost = score(item.lost, rules.decimals)
                missed.append(_line(evaluation, item, f"{item.status_label}，失{lost}分"))
            if item.status == "exceeded" or "over-achieved" in item.flags:
                ratio = completion(item)
                share = percent(ratio, 0) if ratio is not None else "—"
                note = f"完成目标的{share}，目标是否设定偏低？"
                exceeded.append(_line(evaluation, item, note))
            if item.status in MISSING:
                missing.append(_line(evaluation, item, item.status_label))
            if item.review:
                reason = item.deduction_reason or item.reason
                unsupported.append(_line(evaluation, item, item.review, reason=reason))
        unsupported.extend(_scope_review(evaluation, unit))
    return Deviations(tuple(missed), tuple(exceeded), tuple(missing), tuple(unsupported))


def _line(evaluation: Evaluation, item: IndicatorScore, note: str, reason: str | None = None) -> Deviation:
    return Deviation(
        scope=evaluation.name, id=item.id, name=item.name, target=item.target, actual=item.actual,
        status=item.status_label, points=item.points, score=item.score, claimed=item.claimed, note=note,
        reason=reason if reason is not None else item.reason, measure=item.measure,
    )


def _execution_line(evaluation: Evaluation, note: str, unit: str) -> Deviation:
    """The 预算执行率 line: the budget it is measured against, and what was spent."""
    ex = evaluation.execution
    budget = _denominator(ex)
    target = f"{DENOMINATORS.get(ex.denominator, '预算数')}{money(budget)}{unit}" if budget is not None else "—"
    actual = f"全年执行数{money(ex.executed)}{unit}" if ex.executed is not None else None
    return Deviation(
        scope=evaluation.name, id="—", name="预算执行率", target=target, actual=actual, status="",
        points=ex.points, score=ex.score, claimed=ex.claimed, note=note, reason=ex.reason, measure=None,
    )


def _scope_review(evaluation: Evaluation, unit: str) -> list[Deviation]:
    """Turn the scope-level review (execution claimed, points or totals that do not add up) into lines."""
    ex = evaluation.execution
    notes = list(evaluation.review)
    lines = []
    if ex.claimed is not None and ex.score is not None and ex.claimed != ex.score:
        about_execution = (n for n in notes if n.startswith(("执行率", "预算执行")))
        note = ex.review or next(about_execution, "自评得分与按规则计算的得分不一致")
        if note in notes:
            notes.remove(note)
        lines.append(_execution_line(evaluation, note, unit))
    for note in notes:
        lines.append(Deviation(
            scope=evaluation.name, id="—", name="本表合计", target="—", actual=None, status="",
            points=None, score=evaluation.total, claimed=evaluation.claimed_total, note=note,
            reason=None, measure=None,
        ))
    return lines
