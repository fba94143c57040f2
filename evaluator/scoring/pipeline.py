"""Score targets against actuals under a rule set: (Targets, Actuals, RuleSet) → Result.

1. ``rows.indicator_table`` prepares one row per indicator of every scope (parsing, units, points).
2. ``arithmetic.score_table`` scores the whole table at once, exactly rounded.
3. ``evaluate`` assembles the frozen Result, one Evaluation per scope, with an explanation per row
   and the review of any score the department claimed.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from evaluator.decimals import round_half_up
from evaluator.errors import Location, Problem, Severity, entry_location
from evaluator.language.values import describe
from evaluator.model import Actuals, Targets
from evaluator.results.scores import Evaluation, GroupScore, IndicatorScore, InputFile, Result
from evaluator.scoring.arithmetic import rows_frame, score_table
from evaluator.scoring.claims import review_evaluation, review_execution, review_indicator
from evaluator.scoring.execution import score_execution
from evaluator.scoring.explain import explain
from evaluator.scoring.rows import Row, indicator_table
from evaluator.version import __version__

if TYPE_CHECKING:
    from evaluator.rules import RuleSet

__all__ = ["evaluate", "stale_workbook"]

_TIER_STATUS = {"达成": "qualitative-met", "部分达成": "qualitative-partial", "未达成": "qualitative-unmet"}


def evaluate(targets: Targets, actuals: Actuals | None, rules: RuleSet) -> Result:
    """Score every scope of a department and return the Result (formats.md §3)."""
    actuals = actuals or Actuals(year=targets.year, department=targets.department, money_unit=targets.money_unit)
    rows, warnings = indicator_table(targets, actuals, rules)
    stale = stale_workbook(targets, actuals)
    if stale is not None:
        warnings.insert(0, stale)
    scored = score_table(rows_frame(rows), rules)
    columns = {name: scored[name].to_numpy() for name in ("cents", "met", "over")}
    outcomes = [(int(c), bool(m), bool(o)) for c, m, o in zip(columns["cents"], columns["met"], columns["over"],
                                                                strict=True)]
    evaluations = []
    scopes: list[tuple[str | None, str]] = [(None, "部门整体支出")]
    scopes += [(p.id, p.name) for p in targets.projects]
    for scope_id, name in scopes:
        positions = [p for p, row in enumerate(rows) if row.scope == scope_id]
        scores = [_indicator_score(rows[p], *outcomes[p], rules) for p in positions]
        budget, _ = actuals.for_scope(scope_id)
        execution = score_execution(budget, rules, actuals.source)
        evaluation = _evaluation(scope_id, name, scores, execution, rules, actuals, targets)
        if scope_id is not None or targets.indicators or budget is not None:
            evaluations.append(evaluation)
            warnings.extend(_execution_warnings(evaluation, actuals.source))  # not for a department without a table
        warnings.extend(_row_warnings([rows[p] for p in positions], scores, targets, actuals))
    inputs = [InputFile("targets", targets.source or "", targets.sha256 or "")]
    if actuals.source:
        inputs.append(InputFile("actuals", actuals.source, actuals.sha256 or ""))
    inputs.append(InputFile("rules", rules.file, rules.sha256))
    return Result(
        year=targets.year,
        department=targets.department,
        rules=rules.name,
        rules_title=rules.title,
        tool_version=__version__,
        evaluations=tuple(evaluations),
        warnings=tuple(warnings),
        inputs=tuple(inputs),
    )


def _indicator_score(row: Row, cents: int, met: bool, over: bool, rules: RuleSet) -> IndicatorScore:
    indicator, entry = row.indicator, row.entry
    score = Decimal(cents).scaleb(-rules.decimals)
    deduction = entry.deduction if entry else None
    if deduction:
        score = max(score - deduction, Decimal(0))
    score = min(score, row.points)
    status = _status(row, met, over, score)
    flags = list(row.flags)
    if over:
        flags.append("over-achieved")
    ratio = None
    if row.kind in ("higher", "lower", "two-sided", "range") and row.a and row.b is not None:
        ratio = round_half_up(row.b / row.a, 4)
    explanation = explain(row, score, status, met, rules)
    claimed = entry.claimed if entry else None
    partial = IndicatorScore(
        id=indicator.id, level1=indicator.level1, level2=indicator.level2, name=indicator.name,
        group=row.group_key, group_label=row.group_label, target=indicator.target,
        actual=entry.actual if entry else None, parsed=row.target.to_json(),
        parsed_actual=row.actual.to_json() if row.actual else None,
        understood=describe(row.target, row.direction), direction=row.direction.value,
        direction_reason=row.direction_reason, points=row.points, points_source=row.points_source,
        score=score, ratio=ratio, status=status, explanation=explanation, claimed=claimed,
        reason=entry.reason if entry else None, measure=entry.measure if entry else None,
        evidence=entry.evidence if entry else None, deduction=deduction,
        deduction_reason=entry.deduction_reason if entry else None, flags=tuple(flags),
        standard=indicator.standard,
    )
    review = review_indicator(partial)
    return partial if review is None else replace(partial, review=review)


def _status(row: Row, met: bool, over: bool, score: Decimal) -> str:
    if row.kind == "missing":
        return "missing"
    if row.kind == "invalid":
        return "invalid"
    if row.kind == "qualitative":
        assert row.tier is not None
        return _TIER_STATUS[row.tier]
    if met:
        return "exceeded" if over else "met"
    return "partial" if score > 0 else "unmet"


def _evaluation(
    scope_id: str | None, name: str, scores: list[IndicatorScore], execution: Any, rules: RuleSet,
    actuals: Actuals, targets: Targets,
) -> Evaluation:
    indicator_total = sum((s.score for s in scores), Decimal(0))
    total = min(indicator_total + (execution.score or Decimal(0)), Decimal(100))
    groups = []
    for group in rules.groups:
        members = [s for s in scores if s.group == group.key]
        if members:
            groups.append(GroupScore(
                group.key, group.label, sum((s.points for s in members), Decimal(0)),
                sum((s.score for s in members), Decimal(0)), len(members),
            ))
    claimed_total = actuals.claimed_total if scope_id is None else (
        actuals.projects[scope_id].claimed_total if scope_id in actuals.projects else None
    )
    evaluation = Evaluation(
        scope="department" if scope_id is None else "project", id=scope_id, name=name,
        total=total, grade=rules.grade(total), execution=execution, indicators=tuple(scores),
        groups=tuple(groups), claimed_total=claimed_total,
    )
    execution_review = review_execution(evaluation)
    if execution_review:
        evaluation = replace(evaluation, execution=replace(execution, review=execution_review))
    review = review_evaluation(evaluation)
    if review:
        evaluation = replace(evaluation, review=tuple(review))
    return evaluation


def _execution_warnings(evaluation: Evaluation, file: str | None) -> list[Problem]:
    ex = evaluation.execution
    where = Location(file=file, key=evaluation.name)
    if ex.status == "missing":
        return [Problem(where, f"{evaluation.name}：未填报预算执行数（年初预算数、全年预算数、全年执行数）",
                        "在实际值文件的 budget 中填写。", severity=Severity.WARNING, code="budget-missing")]
    if ex.status == "zero-budget":
        return [Problem(where, f"{evaluation.name}：预算数为0，无法计算执行率，预算执行不计分",
                        severity=Severity.WARNING, code="budget-zero")]
    return []


def _row_warnings(rows: list[Row], scores: list[IndicatorScore], targets: Targets, actuals: Actuals) -> list[Problem]:
    problems = []
    for row, score in zip(rows, scores, strict=True):
        where = entry_location(actuals.source, row.entry, indicator=score.id)
        if row.kind == "invalid" and row.problem:
            problems.append(Problem(where, f"{score.name}：{row.problem}，计0分", severity=Severity.ERROR,
                                    code="unreadable"))
        if "ambiguous" in row.flags:
            problems.append(Problem(
                Location(file=targets.source, line=row.indicator.line, indicator=score.id),
                f"{score.name}：目标“{score.target}”方向不明（{row.direction_reason}），暂按越高越好计分",
                "在目标文件中为该指标写 direction: higher 或 lower。", severity=Severity.WARNING, code="ambiguous",
            ))
        if row.entry is not None and row.entry.deduction and not row.entry.deduction_reason:
            problems.append(Problem(where, f"{score.name}：扣减 {row.entry.deduction:f} 分但未写扣减理由",
                                    "填写 deduction_reason。", severity=Severity.WARNING, code="deduction-reason"))
    return problems


def stale_workbook(targets: Targets, actuals: Actuals) -> Problem | None:
    """A warning when an entry workbook was made from another version of the targets file."""
    if not (actuals.targets_sha256 and targets.sha256) or actuals.targets_sha256 == targets.sha256:
        return None
    return Problem(
        Location(file=actuals.source, sheet="元数据"),
        f"这份填报表是根据另一个版本的目标文件生成的（生成时的 SHA-256 为 {actuals.targets_sha256[:12]}…，"
        f"现在的目标文件 {targets.source} 为 {targets.sha256[:12]}…）",
        "目标已修改：用 evaluator template 重新生成填报表，把已填的内容复制过去，再核对新增或修改的指标。",
        severity=Severity.WARNING, code="stale-workbook",
    )
