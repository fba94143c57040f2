"""The budget-execution line (预算执行率): rate = 全年执行数 / 全年预算数 (or 年初预算数), score capped.

A rule set with 0 execution points (hunan-dept, whose table scores execution through 预算完成率)
gives status ``not-scored``: the amounts and the rate are shown, no score.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from evaluator.decimals import fmt, round_half_up
from evaluator.model import BudgetActual
from evaluator.results.scores import ExecutionScore

if TYPE_CHECKING:
    from evaluator.rules import RuleSet

__all__ = ["DENOMINATOR_LABELS", "score_execution"]

DENOMINATOR_LABELS = {"adjusted": "全年预算数", "initial": "年初预算数"}


def score_execution(budget: BudgetActual | None, rules: RuleSet, file: str | None = None) -> ExecutionScore:
    """Score the execution line: points × min(rate, 1), rounded half up; no division by a zero budget."""
    points = rules.execution_points
    wanted = rules.execution_denominator
    if points == 0:  # a rule set that scores execution through indicators (hunan-dept: 预算完成率)
        return ExecutionScore(
            initial=budget.initial if budget else None, adjusted=budget.adjusted if budget else None,
            executed=budget.executed if budget else None, denominator=wanted, rate=_rate(budget, wanted),
            points=points, score=None, status="not-scored",
            explanation=f"规则集“{rules.name}”不单列预算执行分，预算执行在相关指标中评价",
            claimed=budget.claimed if budget else None, reason=budget.reason if budget else None,
        )
    if budget is None or budget.executed is None:
        return ExecutionScore(
            initial=budget.initial if budget else None, adjusted=budget.adjusted if budget else None,
            executed=None, denominator=wanted, rate=None, points=points, score=Decimal(0), status="missing",
            explanation=f"未填报全年执行数，预算执行计0分（满分{fmt(points)}分）",
            claimed=budget.claimed if budget else None, reason=budget.reason if budget else None,
        )
    denominator_key = wanted
    denominator = getattr(budget, wanted)
    note = ""
    if denominator is None:
        other = "initial" if wanted == "adjusted" else "adjusted"
        if getattr(budget, other) is not None:
            denominator_key, denominator = other, getattr(budget, other)
            note = f"（未填{DENOMINATOR_LABELS[wanted]}，以{DENOMINATOR_LABELS[other]}代替）"
    label = DENOMINATOR_LABELS[denominator_key]
    if denominator is None or denominator == 0:
        return ExecutionScore(
            initial=budget.initial, adjusted=budget.adjusted, executed=budget.executed,
            denominator=denominator_key, rate=None, points=points, score=None, status="zero-budget",
            explanation=f"{label}为0或未填，无法计算执行率，预算执行不计分",
            claimed=budget.claimed, reason=budget.reason,
        )
    rate = budget.executed / denominator
    score = round_half_up(points * min(rate, Decimal(1)), rules.decimals)
    shown = f"{round_half_up(rate * 100, 2):f}%"
    if rate >= 1:
        explanation = (f"执行率 {fmt(budget.executed)}/{fmt(denominator)} = {shown}{note}，"
                       f"得满分{fmt(points)}分")
    else:
        explanation = (f"执行率 {fmt(budget.executed)}/{fmt(denominator)} = {shown}{note}，"
                       f"按 {fmt(points)}×{fmt(budget.executed)}/{fmt(denominator)} 计 {score:f} 分（满分{fmt(points)}分）")
    return ExecutionScore(
        initial=budget.initial, adjusted=budget.adjusted, executed=budget.executed,
        denominator=denominator_key, rate=round_half_up(rate, 4), points=points, score=score, status="scored",
        explanation=explanation, claimed=budget.claimed, reason=budget.reason,
    )


def _rate(budget: BudgetActual | None, wanted: str) -> Decimal | None:
    """The execution rate shown where execution is not scored, rounded for display like a scored one."""
    if budget is None or budget.executed is None or not getattr(budget, wanted):
        return None
    return round_half_up(budget.executed / getattr(budget, wanted), 4)
