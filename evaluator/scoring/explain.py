"""One Chinese sentence per indicator score, from the rule that scored it and the numbers it used.

The rule was decided once, by the rule book, and recorded on the row; this module only words it:
one template per rule name, filled with the row's numbers. The notes of the row follow (how a
value was read, what was assumed: a unit, a scale, a tier, a standard target, last year's actual),
so that every assumption is disclosed where the score is shown.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from evaluator.decimals import fmt

if TYPE_CHECKING:
    from evaluator.rules import RuleSet
    from evaluator.scoring.prepared import Row

__all__ = ["explain"]


def _q(number: Decimal | None, unit: str | None) -> str:
    return f"{fmt(number)}{'个百分点' if unit == '百分点' else unit or ''}"


def explain(row: Row, rule: str, score: Decimal, status: str, rules: RuleSet) -> str:
    """Return e.g. "实际88% < 目标90%，按完成比例 88/90 计 9.78 分（满分10分）"."""
    text = _sentence(row, rule, score, rules)
    extras = list(row.notes)
    if status == "exceeded":
        extras.append(f"完成比例达到目标的{fmt(rules.over_threshold * 100)}%以上，须说明偏差原因（目标是否设定过低）")
    entry = row.entry
    if entry is not None and entry.deduction:
        why = f"（{entry.deduction_reason}）" if entry.deduction_reason else ""
        extras.append(f"评价人扣减{fmt(entry.deduction)}分{why}")
    return text + ("；" + "；".join(extras) if extras else "")


def _sentence(row: Row, rule: str, score: Decimal, rules: RuleSet) -> str:  # noqa: C901 (one line per rule)
    w = fmt(row.points)
    full = f"满分{w}分"
    unit = "%" if row.kind in ("deduct", "steps") else row.target.unit
    a, b, u = _q(row.a, unit), _q(row.b, unit), _q(row.u, unit)
    got = f"计 {score:f} 分（{full}）"
    sign = {"higher": ">" if row.strict else "≥", "lower": "<" if row.strict else "≤"}.get(row.kind, "")
    relative = row.target.relative
    what = f"实际{relative.word}{b}" if relative is not None else f"实际{b}"
    goal = f"目标{relative.word}{a}" if relative is not None else f"目标{a}"
    sentences = {
        "missing": lambda: f"未填报实际完成值，计0分（{full}）",
        "pending": lambda: f"待确认：{row.problem}。{row.fix}" if row.fix else f"待确认：{row.problem}",
        "invalid": lambda: f"{row.problem}，计0分（{full}）",
        "higher-met": lambda: f"{what} {sign} {goal}，得满分{w}分",
        "higher-strict-equal": lambda: f"{what} 等于{goal}，未满足“超过”的要求；"
                                       f"按完成比例 {fmt(row.b)}/{fmt(row.a)} {got}",
        "higher-ratio": lambda: f"{what} < {goal}，按完成比例 {fmt(row.b)}/{fmt(row.a)} {got}",
        "higher-signed": lambda: f"{what} 未达到{goal}，{got}",
        "lower-met": lambda: f"{what} {sign} 上限{a}，得满分{w}分",
        "lower-zero-target": lambda: f"目标为{a}，实际{b}，不得分（{full}）",
        "lower-signed": lambda: f"{what} 高于{goal}，目标为负数，不能按比例计分，{got}",
        "lower-strict-equal": lambda: f"{what} 等于上限{a}，未满足“低于”的要求；{got}",
        "lower-linear": lambda: f"{what} 超过上限{a}，按线性扣分 1−({fmt(row.b)}−{fmt(row.a)})/{fmt(row.a)} "
                                f"{got[:-1]}；达到两倍上限为0分）",
        "lower-ratio": lambda: f"{what} 超过上限{a}，按 目标/实际 = {fmt(row.a)}/{fmt(row.b)} {got}",
        "lower-signed-actual": lambda: f"{what} 超过上限{a}，{got}",
        "two-sided-met": lambda: f"{what} 等于{goal}，得满分{w}分",
        "two-sided-below": lambda: f"{what} 偏离{goal}，按 较小值/较大值 = {fmt(row.b)}/{fmt(row.a)} {got}",
        "two-sided-above": lambda: f"{what} 偏离{goal}，按 较小值/较大值 = {fmt(row.a)}/{fmt(row.b)} {got}",
        "two-sided-signed": lambda: f"{what} 偏离{goal}，{got}",
        "range-met": lambda: f"实际{b} 在目标区间 {a}–{u} 内，得满分{w}分",
        "range-below": lambda: f"实际{b} 低于区间下限{a}，按 {fmt(row.b)}/{fmt(row.a)} {got}",
        "range-above": lambda: f"实际{b} 高于区间上限{u}，按 {fmt(row.u)}/{fmt(row.b)} {got}",
        "range-signed": lambda: f"实际{b} 不在目标区间 {a}–{u} 内，{got}",
        "deadline-met": lambda: f"时限{_day(row.due)}，实际{_day(row.done)}完成，在时限内，得满分{w}分",
        "deadline-late": lambda: f"时限{_day(row.due)}，实际{_day(row.done)}完成，逾期，计0分（{full}）",
        "timing-met": lambda: f"实际“{_actual(row)}”表示按时完成，得满分{w}分",
        "timing-late": lambda: f"实际“{_actual(row)}”表示未按时完成（逾期），计0分（{full}）",
        "deduct-full": lambda: f"实际{b}，{'不超过' if row.side > 0 else '不低于'}{_q(row.limit, '%')}，得满分{w}分",
        "deduct-under-a-step": lambda: f"实际{b}，{'超过' if row.side > 0 else '低于'}{_q(row.limit, '%')}不足"
                                       f"{fmt(row.per)}个百分点（不足一档），不扣分，得满分{w}分",
        "deduct-steps": lambda: _deduction(row, score, rules),
        "deduct-none": lambda: f"实际{b}，{got}",
        "steps-beyond": lambda: f"实际{b}，超过最高一档{_q(row.steps[-1][0], '%') if row.steps else ''}，{got}",
    }
    if rule == "qualitative":
        low, high = rules.bands[row.tier or "达成"]
        how = "按默认比例" if "default-pct" in row.flags else "按填报比例"
        return (f"定性指标，完成档次“{row.tier}”（依据{row.tier_source}），{how}{fmt(row.pct)}%"
                f"（该档 {fmt(low)}%–{fmt(high)}%）计 {score:f} 分（{full}）")
    if rule.startswith("steps-") and rule != "steps-beyond":
        bound = row.steps[int(rule.split("-")[1]) - 1][0]
        return f"实际{b}，不超过{_q(bound, '%')}一档，{got}"
    return sentences[rule]()


def _deduction(row: Row, score: Decimal, rules: RuleSet) -> str:
    assert row.b is not None and row.limit is not None and row.per is not None and row.deduct is not None
    over = (row.b - row.limit) * row.side
    steps = int(over // row.per)
    side = "超过" if row.side > 0 else "低于"
    floor = "，扣完为止" if score == 0 else ""
    return (f"实际{fmt(row.b)}%，{side}{fmt(row.limit)}%共{fmt(over)}个百分点，按每{fmt(row.per)}个百分点扣"
            f"{fmt(row.deduct)}分扣{steps}档共{fmt(row.deduct * steps)}分{floor}，"
            f"计 {score:f} 分（满分{fmt(row.points)}分）")


def _day(day: datetime.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day is not None else "—"


def _actual(row: Row) -> str:
    return row.actual.text.strip() if row.actual is not None else ""
