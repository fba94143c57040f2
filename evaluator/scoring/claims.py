"""Review the scores a department gave itself (得分 as submitted) against the rule set."""

from __future__ import annotations

from decimal import Decimal

from evaluator.decimals import fmt
from evaluator.results.scores import Evaluation, IndicatorScore

__all__ = ["review_evaluation", "review_execution", "review_indicator"]

_MET = ("met", "exceeded", "qualitative-met")


def review_indicator(score: IndicatorScore) -> str | None:
    """Return why a claimed indicator score is not supported, or None when it is (or none was given)."""
    claimed = score.claimed
    if claimed is None:
        return None
    if score.pending:
        over = "，且超过该指标分值" + f"{fmt(score.points)}分" if claimed > score.points else ""
        return f"该指标待确认，按规则的得分尚不能确定，自评{fmt(claimed)}分暂无法核对{over}"
    if claimed == score.score:
        return None
    if claimed > score.points:
        return f"自评{fmt(claimed)}分超过该指标分值{fmt(score.points)}分（得分不能大于分值）"
    if claimed == score.points and score.status not in _MET:
        return f"目标未达成（{score.status_label}）却给满分：按规则应得{score.score:f}分，自评{fmt(claimed)}分"
    if score.status in _MET and claimed < score.points:
        return (f"目标已达成，按规则应得{score.score:f}分，自评{fmt(claimed)}分"
                f"（少{fmt(score.score - claimed)}分，未见扣分依据）")
    diff = claimed - score.score
    more = "多" if diff > 0 else "少"
    return f"按规则应得{score.score:f}分，自评{fmt(claimed)}分（{more}{fmt(abs(diff))}分）"


def review_execution(evaluation: Evaluation) -> str | None:
    ex = evaluation.execution
    if ex.claimed is None or ex.score is None or ex.claimed == ex.score:
        return None
    if ex.claimed > ex.points:
        return f"预算执行自评{fmt(ex.claimed)}分超过分值{fmt(ex.points)}分"
    rate = f"{fmt(ex.rate * 100)}%" if ex.rate is not None else "—"
    return f"执行率{rate}，按规则应得{ex.score:f}分，自评{fmt(ex.claimed)}分"


def review_evaluation(evaluation: Evaluation) -> list[str]:
    """Return the scope-level review: execution, points that do not add up, totals that do not add up."""
    notes = []
    execution = review_execution(evaluation)
    if execution:
        notes.append(execution)
    points = evaluation.execution.points + sum((i.points for i in evaluation.indicators), Decimal(0))
    if evaluation.indicators and points != 100:
        notes.append(f"各项分值合计{fmt(points)}分（含预算执行{fmt(evaluation.execution.points)}分），应为100分")
    claimed_rows = [i.claimed for i in evaluation.indicators]
    if evaluation.claimed_total is not None:
        if all(c is not None for c in claimed_rows) and evaluation.execution.claimed is not None:
            row_sum = sum(claimed_rows, Decimal(0)) + evaluation.execution.claimed  # type: ignore[arg-type]
            if row_sum != evaluation.claimed_total:
                notes.append(f"自评总分{fmt(evaluation.claimed_total)}分不等于各项自评得分之和{fmt(row_sum)}分")
        if evaluation.claimed_total != evaluation.total:
            provisional = f"（暂定，另有{evaluation.pending}项待确认）" if evaluation.provisional else ""
            notes.append(f"自评总分{fmt(evaluation.claimed_total)}分，按规则总分为{evaluation.total:f}分{provisional}")
    return notes
