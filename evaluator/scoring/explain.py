"""One Chinese sentence per indicator score, from the rule that scored it and the numbers it used.

The rule was decided once, by the rule book, and recorded on the row; this module only words it:
one template per rule name, filled with the row's numbers. The notes of the row follow (how a
value was read, what was assumed: a unit, a scale, a tier, a standard target, last year's actual),
so that every assumption is disclosed where the score is shown.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING

from evaluator.decimals import fmt

if TYPE_CHECKING:
    from evaluator.rules import RuleSet
    from evaluator.scoring.prepared import Row

__all__ = ["explain"]


@lru_cache(maxsize=2**14)
def _fmt(value: Decimal | None) -> str:
    """``fmt(value)``, worded once per distinct number.

    Its text depends on the number alone (equal Decimals such as 1.50 and 1.5 read the same: "1.5"),
    and the sentences of a department repeat few numbers (the points, the usual targets): a lookup
    costs about a tenth of formatting, most of what wording a sentence cost.
    """
    return fmt(value)


def _q(number: Decimal | None, unit: str | None) -> str:
    return f"{_fmt(number)}{_shown_unit(unit)}"


def _shown_unit(unit: str | None) -> str:
    return "个百分点" if unit == "百分点" else unit or ""


def explain(row: Row, rule: str, score: Decimal, status: str, rules: RuleSet) -> str:
    """Return e.g. "实际88% < 目标90%，按完成比例 88/90 计 9.78 分（满分10分）"."""
    text = _sentence(row, rule, score, rules)
    entry = row.entry
    if not row.notes and status != "exceeded" and (entry is None or not entry.deduction):
        return text  # most rows: nothing assumed, nothing to add
    extras = list(row.notes)
    if status == "exceeded":
        extras.append(f"完成比例达到目标的{_fmt(rules.over_threshold * 100)}%以上，须说明偏差原因（目标是否设定过低）")
    if entry is not None and entry.deduction:
        why = f"（{entry.deduction_reason}）" if entry.deduction_reason else ""
        extras.append(f"评价人扣减{_fmt(entry.deduction)}分{why}")
    return text + ("；" + "；".join(extras) if extras else "")


_SIGNS = {("higher", False): "≥", ("higher", True): ">", ("lower", False): "≤", ("lower", True): "<"}


class _Pieces:
    """The pieces sentences are made of for one row, each worded only when a template asks for it.

    A sentence uses a few of them, each once; wording all of them for every row (and building every
    template) took half the time of explaining 100,000 indicators. Plain properties, not cached ones:
    functools.cached_property takes a lock on every first read, which cost more than the wording. The
    unit is worded once: most sentences show two numbers in it.
    """

    __slots__ = ("row", "rules", "score", "unit")

    def __init__(self, row: Row, score: Decimal, rules: RuleSet) -> None:
        self.row, self.score, self.rules = row, score, rules
        self.unit = _shown_unit("%" if row.kind in ("deduct", "steps") else row.target.unit)

    @property
    def w(self) -> str:
        return _fmt(self.row.points)

    @property
    def full(self) -> str:
        return f"满分{_fmt(self.row.points)}分"

    @property
    def a(self) -> str:
        return f"{_fmt(self.row.a)}{self.unit}"

    @property
    def b(self) -> str:
        return f"{_fmt(self.row.b)}{self.unit}"

    @property
    def u(self) -> str:
        return f"{_fmt(self.row.u)}{self.unit}"

    @property
    def got(self) -> str:
        return f"计 {self.score:f} 分（满分{_fmt(self.row.points)}分）"

    @property
    def sign(self) -> str:
        return _SIGNS.get((self.row.kind, self.row.strict), "")

    @property
    def what(self) -> str:
        relative = self.row.target.relative
        return f"实际{relative.word}{self.b}" if relative is not None else f"实际{self.b}"

    @property
    def goal(self) -> str:
        relative = self.row.target.relative
        return f"目标{relative.word}{self.a}" if relative is not None else f"目标{self.a}"


# One template per rule name (made once, not per row), filled from the row and its pieces (``x``).
_SENTENCES: dict[str, Callable[[Row, _Pieces], str]] = {
    "missing": lambda r, x: f"未填报实际完成值，计0分（{x.full}）",
    "pending": lambda r, x: f"待确认：{r.problem}。{r.fix}" if r.fix else f"待确认：{r.problem}",
    "invalid": lambda r, x: f"{r.problem}，计0分（{x.full}）",
    "higher-met": lambda r, x: f"{x.what} {x.sign} {x.goal}，得满分{x.w}分",
    "higher-strict-equal": lambda r, x: f"{x.what} 等于{x.goal}，未满足“超过”的要求；"
                                        f"按完成比例 {_fmt(r.b)}/{_fmt(r.a)} {x.got}",
    "higher-ratio": lambda r, x: f"{x.what} < {x.goal}，按完成比例 {_fmt(r.b)}/{_fmt(r.a)} {x.got}",
    "higher-signed": lambda r, x: f"{x.what} 未达到{x.goal}，{x.got}",
    "lower-met": lambda r, x: f"{x.what} {x.sign} 上限{x.a}，得满分{x.w}分",
    "lower-zero-target": lambda r, x: f"目标为{x.a}，实际{x.b}，不得分（{x.full}）",
    "lower-signed": lambda r, x: f"{x.what} 高于{x.goal}，目标为负数，不能按比例计分，{x.got}",
    "lower-strict-equal": lambda r, x: f"{x.what} 等于上限{x.a}，未满足“低于”的要求；{x.got}",
    "lower-linear": lambda r, x: f"{x.what} 超过上限{x.a}，按线性扣分 1−({_fmt(r.b)}−{_fmt(r.a)})/{_fmt(r.a)} "
                                 f"{x.got[:-1]}；达到两倍上限为0分）",
    "lower-ratio": lambda r, x: f"{x.what} 超过上限{x.a}，按 目标/实际 = {_fmt(r.a)}/{_fmt(r.b)} {x.got}",
    "lower-signed-actual": lambda r, x: f"{x.what} 超过上限{x.a}，{x.got}",
    "two-sided-met": lambda r, x: f"{x.what} 等于{x.goal}，得满分{x.w}分",
    "two-sided-below": lambda r, x: f"{x.what} 偏离{x.goal}，按 较小值/较大值 = {_fmt(r.b)}/{_fmt(r.a)} {x.got}",
    "two-sided-above": lambda r, x: f"{x.what} 偏离{x.goal}，按 较小值/较大值 = {_fmt(r.a)}/{_fmt(r.b)} {x.got}",
    "two-sided-signed": lambda r, x: f"{x.what} 偏离{x.goal}，{x.got}",
    "range-met": lambda r, x: f"实际{x.b} 在目标区间 {x.a}–{x.u} 内，得满分{x.w}分",
    "range-below": lambda r, x: f"实际{x.b} 低于区间下限{x.a}，按 {_fmt(r.b)}/{_fmt(r.a)} {x.got}",
    "range-above": lambda r, x: f"实际{x.b} 高于区间上限{x.u}，按 {_fmt(r.u)}/{_fmt(r.b)} {x.got}",
    "range-signed": lambda r, x: f"实际{x.b} 不在目标区间 {x.a}–{x.u} 内，{x.got}",
    "deadline-met": lambda r, x: f"时限{_day(r.due)}，实际{_day(r.done)}完成，在时限内，得满分{x.w}分",
    "deadline-late": lambda r, x: f"时限{_day(r.due)}，实际{_day(r.done)}完成，逾期，计0分（{x.full}）",
    "timing-met": lambda r, x: f"实际“{_actual(r)}”表示按时完成，得满分{x.w}分",
    "timing-late": lambda r, x: f"实际“{_actual(r)}”表示未按时完成（逾期），计0分（{x.full}）",
    "deduct-full": lambda r, x: f"实际{x.b}，{'不超过' if r.side > 0 else '不低于'}{_q(r.limit, '%')}，得满分{x.w}分",
    "deduct-under-a-step": lambda r, x: f"实际{x.b}，{'超过' if r.side > 0 else '低于'}{_q(r.limit, '%')}不足"
                                        f"{_fmt(r.per)}个百分点（不足一档），不扣分，得满分{x.w}分",
    "deduct-steps": lambda r, x: _deduction(r, x.score, x.rules),
    "deduct-none": lambda r, x: f"实际{x.b}，{x.got}",
    "steps-beyond": lambda r, x: f"实际{x.b}，超过最高一档{_q(r.steps[-1][0], '%') if r.steps else ''}，{x.got}",
}


def _sentence(row: Row, rule: str, score: Decimal, rules: RuleSet) -> str:
    pieces = _Pieces(row, score, rules)
    if rule == "qualitative":
        low, high = rules.bands[row.tier or "达成"]
        how = "按默认比例" if "default-pct" in row.flags else "按填报比例"
        return (f"定性指标，完成档次“{row.tier}”（依据{row.tier_source}），{how}{_fmt(row.pct)}%"
                f"（该档 {_fmt(low)}%–{_fmt(high)}%）计 {score:f} 分（{pieces.full}）")
    if rule.startswith("steps-") and rule != "steps-beyond":
        bound = row.steps[int(rule.split("-")[1]) - 1][0]
        return f"实际{pieces.b}，不超过{_q(bound, '%')}一档，{pieces.got}"
    return _SENTENCES[rule](row, pieces)


def _deduction(row: Row, score: Decimal, rules: RuleSet) -> str:
    assert row.b is not None and row.limit is not None and row.per is not None and row.deduct is not None
    over = (row.b - row.limit) * row.side
    steps = int(over // row.per)
    side = "超过" if row.side > 0 else "低于"
    floor = "，扣完为止" if score == 0 else ""
    return (f"实际{_fmt(row.b)}%，{side}{_fmt(row.limit)}%共{_fmt(over)}个百分点，按每{_fmt(row.per)}个百分点扣"
            f"{_fmt(row.deduct)}分扣{steps}档共{_fmt(row.deduct * steps)}分{floor}，"
            f"计 {score:f} 分（满分{_fmt(row.points)}分）")


def _day(day: datetime.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day is not None else "—"


def _actual(row: Row) -> str:
    return row.actual.text.strip() if row.actual is not None else ""
