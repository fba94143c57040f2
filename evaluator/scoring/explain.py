"""One Chinese sentence per indicator score, with the numbers that produced it."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from evaluator.decimals import fmt

if TYPE_CHECKING:
    from evaluator.rules import RuleSet
    from evaluator.scoring.rows import Row

__all__ = ["explain"]


def _q(number: Decimal | None, unit: str | None) -> str:
    return f"{fmt(number)}{unit or ''}"


def explain(row: Row, score: Decimal, status: str, met: bool, rules: RuleSet) -> str:
    """Return e.g. "实际88% < 目标90%，按完成比例 88/90 计 9.78 分（满分10分）"."""
    w = fmt(row.points)
    unit = row.target.unit
    a, b, u = _q(row.a, unit), _q(row.b, unit), _q(row.u, unit)
    kind = row.kind
    if kind == "missing":
        text = f"未填报实际完成值，计0分（满分{w}分）"
    elif kind == "invalid":
        text = f"{row.problem}，计0分（满分{w}分）"
    elif kind == "qualitative":
        low, high = rules.bands[row.tier or "达成"]
        how = "按默认比例" if "default-pct" in row.flags else "按填报比例"
        text = (f"定性指标，完成档次“{row.tier}”（依据{row.tier_source}），{how}{fmt(row.pct)}%"
                f"（该档 {fmt(low)}%–{fmt(high)}%）计 {score:f} 分（满分{w}分）")
    elif kind == "deadline":
        text = (f"在时限内完成，得满分{w}分" if met else f"未在时限内完成，计0分（满分{w}分）")
    elif kind == "higher":
        sign = ">" if row.strict else "≥"
        if met:
            text = f"实际{b} {sign} 目标{a}，得满分{w}分"
        elif row.strict and row.b == row.a:
            text = f"实际{b} 等于目标{a}，未满足“超过”的要求；按完成比例 {fmt(row.b)}/{fmt(row.a)} 计 {score:f} 分（满分{w}分）"
        elif row.a is not None and row.a > 0 and row.b is not None and row.b >= 0:
            text = f"实际{b} < 目标{a}，按完成比例 {fmt(row.b)}/{fmt(row.a)} 计 {score:f} 分（满分{w}分）"
        else:
            text = f"实际{b} 未达到目标{a}，计 {score:f} 分（满分{w}分）"
    elif kind == "lower":
        sign = "<" if row.strict else "≤"
        if met:
            text = f"实际{b} {sign} 上限{a}，得满分{w}分"
        elif row.strict and row.b == row.a:
            text = f"实际{b} 等于上限{a}，未满足“低于”的要求；计 {score:f} 分（满分{w}分）"
        elif row.a == 0:
            text = f"目标为{a}，实际{b}，不得分（满分{w}分）"
        elif row.a is not None and row.a < 0:
            text = f"实际{b} 高于目标{a}，目标为负数，不能按比例计分，计 {score:f} 分（满分{w}分）"
        elif rules.lower == "linear":
            text = (f"实际{b} 超过上限{a}，按线性扣分 1−({fmt(row.b)}−{fmt(row.a)})/{fmt(row.a)}"
                    f" 计 {score:f} 分（满分{w}分；达到两倍上限为0分）")
        else:
            text = f"实际{b} 超过上限{a}，按 目标/实际 = {fmt(row.a)}/{fmt(row.b)} 计 {score:f} 分（满分{w}分）"
    elif kind == "two-sided":
        text = (f"实际{b} 等于目标{a}，得满分{w}分" if met
                else f"实际{b} 偏离目标{a}，按 较小值/较大值 计 {score:f} 分（满分{w}分）")
    elif kind == "range":
        if met:
            text = f"实际{b} 在目标区间 {a}–{u} 内，得满分{w}分"
        elif row.b is not None and row.a is not None and row.b < row.a:
            text = f"实际{b} 低于区间下限{a}，按 {fmt(row.b)}/{fmt(row.a)} 计 {score:f} 分（满分{w}分）"
        else:
            text = f"实际{b} 高于区间上限{u}，按 {fmt(row.u)}/{fmt(row.b)} 计 {score:f} 分（满分{w}分）"
    else:  # pragma: no cover - KINDS is closed
        raise AssertionError(kind)
    extras = list(row.notes)
    if status == "exceeded":
        extras.append(f"完成比例达到目标的{fmt(rules.over_threshold * 100)}%以上，须说明偏差原因（目标是否设定过低）")
    entry = row.entry
    if entry is not None and entry.deduction:
        extras.append(f"评价人扣减{fmt(entry.deduction)}分" + (f"（{entry.deduction_reason}）" if entry.deduction_reason else ""))
    return text + ("；" + "；".join(extras) if extras else "")
