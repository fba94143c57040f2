"""Rows decided by numbers: the target and the actual in one unit, and which way is better.

The actual is brought into the target's unit exactly (``units.convert``). An actual written without a
unit takes the target's; where the target's scale makes one other reading clearly right (0.92 against
≥90% is 92%; 480000 against ≤50万元 is 48万元) it is read that way and flagged ``scale-assumed``, and
the explanation says so. A target written as a change from last year ("较上年增长10%") is compared
with an actual written as a change directly, and with an actual written as a level through the
previous year's actual (``scoring.previous``), the arithmetic shown. Whatever cannot be decided is
待确认 with the exact fix; a unit that cannot be converted (人 against 万元) is an error naming the cell.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import TYPE_CHECKING

from evaluator.decimals import fmt
from evaluator.language.units import RATE_UNITS, convert, normalise_unit, unit_kind
from evaluator.language.values import Direction, Op, Value
from evaluator.language.verdicts import read_verdict
from evaluator.scoring.fixes import actual_cell, example_actual, target_cell
from evaluator.scoring.prepared import Context, Row, invalid, undecided
from evaluator.scoring.previous import change, level_in
from evaluator.scoring.tiers import conflict, qualitative_row

if TYPE_CHECKING:
    from evaluator.rules import RuleSet

__all__ = ["NEAR_UNITS", "in_target_unit", "quantitative_row"]

# Counting units that people mix up in practice: scored one for one, and flagged for a check.
NEAR_UNITS = frozenset(frozenset(pair) for pair in (("人", "人次"), ("个", "项"), ("项", "件"), ("个", "件"),
                                                    ("次", "场"), ("家", "户"), ("份", "本"), ("天", "工作日")))
_NONE_WORDS = ("无", "没有", "零")
# Sets, not ``Op.GT`` … read at each row: on Python 3.11 every read of an enum member from its class goes
# through the enum class's __getattr__ hook.
_ORDERED = frozenset({Direction.HIGHER, Direction.LOWER})  # the directions a number is scored in as they are
_STRICT = frozenset({Op.GT, Op.LT})  # > and <: equal is not met


def quantitative_row(row: Row, rules: RuleSet, pct: Decimal | None, context: Context) -> Row:
    """A target with a number: decide the kind (higher, lower, two-sided, range) and the numbers A, U, B."""
    target, actual = row.target, row.actual
    assert actual is not None
    if not target.is_numeric:
        return _no_number_target(row, rules, context)
    if actual.readings:
        return conflict(row, rules, context)
    if target.relative is not None:
        b = _change_of(row, rules, context)
        if b is None:
            return row
    elif actual.relative is not None:
        cell = actual_cell(context.actuals_file, row.entry, row.indicator.id)
        return undecided(row, rules, f"实际完成值“{actual.text}”是变化幅度，目标“{target.text}”是水平值，无法比较",
                         f"把{cell}改写为实际达到的水平，如“{example_actual(target)}”")
    elif not actual.is_numeric:
        if actual.op is Op.EMPTY and actual.text.strip() in _NONE_WORDS and target.number == 0:
            b = Decimal(0)
            row.notes.append(f"实际“{actual.text.strip()}”按0理解（未发生）")
        else:
            return _words_for_number(row, rules, pct, context)
    else:
        converted = in_target_unit(row, actual)
        if converted is None:
            return row
        b = converted
    return _compare(row, rules, b, context)


def _no_number_target(row: Row, rules: RuleSet, context: Context) -> Row:
    target, standard = row.target, row.standard
    cell = target_cell(context.targets_file, row.indicator)
    if target.op is Op.EMPTY and standard is not None:
        problem = f"指标值为空；{standard.key}{row.direction.label}，但{standard.source}未规定标准值"
        return undecided(row, rules, problem, f"在{cell}填写指标值，如“≤10%”", fix_in="targets")
    note = f"（{target.note}）" if target.note else ""
    return undecided(row, rules, f"目标值“{target.text}”无法理解为数值{note}",
                     f"把{cell}改写为“≥10次”“≤36万元”“100%”这样的写法", fix_in="targets")


def _words_for_number(row: Row, rules: RuleSet, pct: Decimal | None, context: Context) -> Row:
    """A number was asked for and words were written: their tier if they name one, else pending."""
    actual = row.actual
    assert actual is not None
    verdict = read_verdict(actual.text)
    if verdict.tier is not None and not verdict.conflict:
        row.flags += ["qualitative-actual", "tier-inferred"]
        row.notes.append("定量指标以文字填报，按定性档次计分")
        words = "”“".join(verdict.words)
        return qualitative_row(row, verdict.tier.value, f"实际完成值中的“{words}”", pct, rules)
    note = f"（{actual.note}）" if actual.note and not actual.note.startswith("无法识别") else ""
    reason = actual.note.split("：", 1)[1] if actual.note and "：" in actual.note else ""
    detail = note or (f"（{reason}）" if reason else "")
    cell = actual_cell(context.actuals_file, row.entry, row.indicator.id)
    return undecided(row, rules, f"实际完成值“{actual.text}”无法理解为数值{detail}",
                     f"把{cell}写成带单位的数值，如“{example_actual(row.target)}”")


def _compare(row: Row, rules: RuleSet, b: Decimal, context: Context) -> Row:
    target, actual = row.target, row.actual
    assert actual is not None
    row.b = b
    if b < 0 or (target.number is not None and target.number < 0):
        row.flags.append("signed")
        row.notes.append("目标或实际为负数：达到目标得满分，未达到不能按比例计分")
    if actual.zero_event:
        row.notes.append(f"实际“{actual.text.strip()}”按0理解（未发生）")
    if actual.note and "是指标名称" in actual.note:  # 完成率98%: the label is left out
        row.notes.append(actual.note)
    if actual.approximate:
        row.flags.append("approximate")
        row.notes.append(f"实际值为近似数“{actual.text}”，按{actual.number:f}计")
    if actual.explicit_op and actual.relative is None:
        row.flags.append("actual-with-comparator")
        row.notes.append(f"实际值“{actual.text}”带有比较符，按数值{actual.number:f}计")
    row.a, row.u = target.number, target.upper
    if target.op is Op.RANGE:
        row.kind, row.li, row.ui = "range", target.lower_inclusive, target.upper_inclusive
        return row
    direction = row.direction
    if direction not in _ORDERED:
        direction = _order(row, rules, direction, context)
        if direction is None:
            return row
    row.kind = "lower" if direction is Direction.LOWER else "higher"
    row.strict = target.op in _STRICT
    row.linear = rules.lower == "linear"
    return row


def _order(row: Row, rules: RuleSet, direction: Direction, context: Context) -> Direction | None:
    """Which way an equal or unclear target is scored; None when the row is decided here (two-sided, pending)."""
    target, actual = row.target, row.actual
    assert actual is not None
    if direction is Direction.AMBIGUOUS:
        if row.b == target.number:
            row.notes.append("方向不明，但实际值等于目标值，无论越高越好还是越低越好都得满分")
            direction = Direction.HIGHER
        else:
            cell = target_cell(context.targets_file, row.indicator, "direction")
            row.flags.append("ambiguous")
            undecided(row, rules, f"目标“{target.text}”方向不明（{row.direction_reason}），无法判断实际"
                                  f"“{actual.text}”是好是坏",
                      f"在{cell.rsplit(' 的', 1)[0]}这一项加上 direction: higher（越高越好）或 "
                      "direction: lower（越低越好）", fix_in="targets")
            return None
    if direction is Direction.EQUAL:
        if target.number == 0:
            direction = Direction.LOWER
        elif rules.equal == "two-sided":
            row.kind = "two-sided"
            return None
        else:
            direction = Direction.HIGHER
    return direction


def in_target_unit(row: Row, actual: Value) -> Decimal | None:
    """The actual in the target's unit, flagged and explained; None (the row invalid) when not convertible."""
    target_unit, actual_unit = row.target.unit, actual.unit
    number = actual.number
    assert number is not None
    if actual_unit is None and target_unit is not None and number != 0 and not actual.zero_event:
        row.flags.append("unit-assumed")
        scaled = _scaled(number, row.target)
        if scaled is not None:
            row.flags.append("scale-assumed")
            shown = "个百分点" if target_unit == "百分点" else target_unit
            row.notes.append(f"实际值“{actual.text.strip()}”未写单位，按目标的量级理解为{fmt(scaled)}{shown}"
                             f"（若本意是{fmt(number)}{shown}，请写明单位）")
            return scaled
        row.notes.append(f"实际值“{actual.text.strip()}”未写单位，按目标单位“{target_unit}”理解")
        return number
    if actual_unit is None or target_unit is None or actual_unit == target_unit:
        return number
    if (over_year := _over_the_year(number, actual_unit, target_unit)) is not None:
        # "4次" against "每季度1次": the actual counts the year evaluated; in the target's period it is 1次/季度
        yearly, about = over_year
        row.flags += ["unit-assumed", "unit-converted"]
        shown = fmt(yearly) if not about else f"{yearly:.4f}".rstrip("0").rstrip(".")
        converted = "" if yearly == number else f"，换算为{about}{shown}{target_unit}"
        row.notes.append(f"实际值“{actual.text.strip()}”按全年计为{fmt(number)}{actual_unit}/年{converted}")
        return yearly
    converted = convert(number, actual_unit, target_unit)
    if converted is None and frozenset((actual_unit, target_unit)) in NEAR_UNITS:
        row.flags.append("unit-near")
        row.notes.append(f"实际值单位“{actual_unit}”与目标单位“{target_unit}”口径相近，按同一口径计分，请核实")
        return number
    if converted is None and (noun := _counted_noun(actual_unit, target_unit)) is not None:
        # "3次培训" against "≥3次": the unit, then what was counted; the same unit, said so
        row.flags.append("unit-near")
        row.notes.append(f"实际值单位“{actual_unit}”与目标单位“{target_unit}”只差“{noun}”（所计的事项），"
                         "按同一单位计分，请核实")
        return number
    approximately = ""
    if converted is None and (converted := convert(number, actual_unit, target_unit, exact=False)) is not None:
        approximately = "约"  # 11个月 is 0.9166…年: no finite decimal, compared at 28 digits
    if converted is None:
        invalid(row, f"实际值单位“{actual_unit}”与目标单位“{target_unit}”不一致，无法换算",
                f"把实际值改用目标的单位“{target_unit}”填写")
        return None
    row.flags.append("unit-converted")
    shown = fmt(converted) if not approximately else f"{converted:.4f}".rstrip("0").rstrip(".")
    row.notes.append(f"实际值{number:f}{actual_unit}换算为{approximately}{shown}{target_unit}")
    return converted


def _over_the_year(number: Decimal, actual_unit: str, target_unit: str) -> tuple[Decimal, str] | None:
    """A count written without a period against a count per period, read as the year's count: the count per
    the target's period, and "约" when that has no finite decimal (10次/年 is 0.8333…次/月); else None."""
    head, slash, _ = target_unit.partition("/")
    if not slash or "/" in actual_unit or normalise_unit(head) != normalise_unit(actual_unit):
        return None
    yearly = f"{actual_unit}/年"
    exact = convert(number, yearly, target_unit)
    if exact is not None:
        return exact, ""
    rounded = convert(number, yearly, target_unit, exact=False)
    return None if rounded is None else (rounded, "约")


_NOUN = re.compile(r"[\u4e00-\u9fff]{1,8}")


def _counted_noun(actual_unit: str, target_unit: str) -> str | None:
    """The words after a shared counting unit ("次培训" and "次": "培训"); None unless one unit is the other
    followed by Chinese words only."""
    longer, shorter = (actual_unit, target_unit) if len(actual_unit) > len(target_unit) else (target_unit, actual_unit)
    if not shorter or not longer.startswith(shorter) or unit_kind(shorter) not in ("count", "money"):
        return None
    rest = longer[len(shorter):]
    return rest if _NOUN.fullmatch(rest) else None


def _plausible(ratio: Decimal) -> bool:
    return Decimal("0.5") <= ratio <= 2


def _scaled(number: Decimal, target: Value) -> Decimal | None:
    """The one reading of a unit-less actual that the target's scale makes clearly right, else None.

    Clearly right: read in the target's unit the actual is below a tenth or above ten times the
    target, and exactly one other reading (a fraction for a rate, 元 / 万元 / 亿元 for money) lies
    within half and twice the target.
    """
    goal = target.number if target.number else target.upper
    if not goal or goal <= 0 or number <= 0:
        return None
    if Decimal("0.1") <= number / goal <= 10:
        return None
    unit = target.unit
    candidates = []
    if unit in RATE_UNITS:
        candidates.append(convert(number * 100, "%", unit))  # 0.92 written for 92%: a spreadsheet fraction
    elif unit_kind(unit) == "money":
        candidates += [convert(number, other, unit) for other in ("元", "万元", "亿元") if other != unit]
    plausible = [c for c in candidates if c is not None and _plausible(c / goal)]
    return plausible[0] if len(plausible) == 1 else None


def _change_of(row: Row, rules: RuleSet, context: Context) -> Decimal | None:
    """The change a relative target asks about: written as a change, or computed from last year's level."""
    target, actual = row.target, row.actual
    assert actual is not None and target.relative is not None
    relative = target.relative
    cell = actual_cell(context.actuals_file, row.entry, row.indicator.id)
    if actual.relative is not None:
        if actual.relative.kind != relative.kind:
            undecided(row, rules, f"实际“{actual.text}”与目标“{target.text}”的变化口径不同（百分比与百分点不能互换）",
                      f"把{cell}改写为与目标同样的口径，如“{relative.word}{example_actual(target)}”，或写实际达到的水平")
            return None
        same = actual.relative.sense == relative.sense
        b = actual.number if same else -actual.number  # type: ignore[operator]
        if not same:
            row.notes.append(f"实际“{actual.text}”即{relative.word}{fmt(b)}{_unit(target)}")
        return in_target_unit(row, Value(actual.text, Op.EQ, number=b, unit=actual.unit)) if b is not None else None
    if not actual.is_numeric:
        words = read_verdict(actual.text)
        detail = "（表述前后矛盾）" if words.conflict else ""
        undecided(row, rules, f"实际完成值“{actual.text}”不是数值{detail}，无法与“{target.text}”比较",
                  f"把{cell}写成变化幅度（如“{relative.word}{example_actual(target)}”）或实际达到的水平")
        return None
    return _from_previous(row, rules, context)


def _unit(target: Value) -> str:
    return "个百分点" if target.unit == "百分点" else target.unit or ""


def _from_previous(row: Row, rules: RuleSet, context: Context) -> Decimal | None:
    target, actual = row.target, row.actual
    assert actual is not None and target.relative is not None and actual.number is not None
    relative, previous = target.relative, context.previous_year
    before_year = row.year - 1
    found = context.previous.find(row.scope, row.scope_name, row.indicator)
    cell = actual_cell(context.actuals_file, row.entry, row.indicator.id)
    shown_now = f"{fmt(actual.number)}{actual.unit or ''}"
    if found is None:
        file = (previous.actuals_file if previous else None) or f"actuals/{before_year}/<部门>.yaml"
        why = f"（{previous.problem}）" if previous is not None and previous.problem else ""
        return _pending_change(row, rules, f"目标“{target.text}”要与{before_year}年比较，实际“{actual.text}”是水平值，"
                                            f"但没有找到{before_year}年的实际值{why}",
                               f"在 {file} 中为指标 {row.indicator.id}（{row.indicator.name}）"
                               f"填写{before_year}年的实际完成值（与本年同一单位，如“{shown_now}”），"
                               f"或把{cell}写成变化幅度，如“{relative.word}12%”")
    before = level_in(found.value, actual.unit or found.value.unit)
    if before is None:
        return _pending_change(row, rules,
                               f"{before_year}年的实际值“{found.entry.actual}”（{found.where}）不是可比的水平值",
                               f"在 {found.where} 填写{before_year}年实际达到的水平（如“{shown_now}”），"
                               f"或把{cell}写成变化幅度，如“{relative.word}12%”")
    now = actual.number
    if relative.kind == "points" and (actual.unit or found.value.unit) != "%":
        return _pending_change(row, rules, f"目标按百分点比较，实际“{actual.text}”不是百分数",
                               f"把{cell}写成百分数，如“92%”，或写成变化，如“{relative.word}2个百分点”")
    if relative.kind == "amount":
        now_in = in_target_unit(row, actual)
        before_in = in_target_unit(row, Value(found.entry.actual or "", Op.EQ, number=before, unit=actual.unit))
        if now_in is None or before_in is None:
            return None
        now, before = now_in, before_in
    computed = change(relative, now, before)
    if computed is None:
        return _pending_change(row, rules, f"{before_year}年的实际值为0，无法计算{relative.word}率",
                               f"改用变化量填写，如“{relative.word}12%”，并在说明中写明上年为0")
    value, arithmetic = computed
    row.flags.append("previous-year")
    matched = "按编号" if found.matched == "id" else "按名称"
    row.notes.append(f"{before_year}年实际{fmt(before)}{actual.unit or ''}（{found.where}，{matched}对应），"
                     f"本年{shown_now}：{relative.word} {arithmetic}")
    return value


def _pending_change(row: Row, rules: RuleSet, problem: str, fix: str) -> None:
    undecided(row, rules, problem, fix)
    return None
