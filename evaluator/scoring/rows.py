"""Prepare each indicator for scoring: parse its values, convert units, decide how it is scored.

``prepare_row`` decides the row's *kind* (higher, lower, two-sided, range, qualitative, deadline,
missing, invalid) and the numbers the arithmetic needs (A = target, U = upper bound, B = actual,
W = points), with the notes and flags the explanation will show. No score is computed here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from evaluator.errors import Problem
from evaluator.language.direction import direction_of
from evaluator.language.units import convert
from evaluator.language.values import Direction, Op, Value, parse_value, tier_of_text
from evaluator.model import Actuals, Indicator, IndicatorActual, Targets
from evaluator.scoring.allocation import allocate

if TYPE_CHECKING:
    from evaluator.rules import RuleSet

__all__ = ["Row", "indicator_table", "prepare_row"]

KINDS = ("higher", "lower", "two-sided", "range", "qualitative", "deadline", "missing", "invalid")
_NUMERIC = (Op.GE, Op.GT, Op.LE, Op.LT, Op.EQ, Op.RANGE)


@dataclass
class Row:
    """One indicator prepared for scoring: the numbers for the arithmetic and what they mean."""

    scope: str | None
    year: int
    indicator: Indicator
    entry: IndicatorActual | None
    target: Value
    actual: Value | None
    direction: Direction
    direction_reason: str
    kind: str
    points: Decimal
    points_source: str
    group_key: str | None
    group_label: str
    a: Decimal | None = None  # target (lower bound of a range)
    u: Decimal | None = None  # upper bound of a range
    b: Decimal | None = None  # actual, in the target's unit
    strict: bool = False  # > or <: equal is not met
    pct: Decimal | None = None  # qualitative: share of points, 0–100
    tier: str | None = None
    tier_source: str = ""
    notes: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    problem: str | None = None


def indicator_table(targets: Targets, actuals: Actuals, rules: RuleSet) -> tuple[list[Row], list[Problem]]:
    """Prepare one Row per indicator of every scope, and the problems found on the way."""
    rows: list[Row] = []
    problems: list[Problem] = []
    scopes = [(None, "部门整体支出", targets.indicators)] + [(p.id, p.name, p.indicators) for p in targets.projects]
    for scope_id, name, indicators in scopes:
        if scope_id is None and not indicators and targets.projects:
            continue  # funds only (e.g. imported project 自评表): the department has no table to allot points in
        allocations, found = allocate(indicators, rules, file=targets.source, scope_name=name)
        problems.extend(found)
        _, entries = actuals.for_scope(scope_id)
        for indicator, allocation in zip(indicators, allocations, strict=True):
            rows.append(prepare_row(
                scope_id, targets.year, indicator, entries.get(indicator.id), allocation, rules
            ))
    return rows, problems


def prepare_row(
    scope: str | None, year: int, indicator: Indicator, entry: IndicatorActual | None, allocation: Any, rules: RuleSet
) -> Row:
    """Decide how one indicator is scored and with which numbers (no arithmetic on scores here)."""
    target = parse_value(indicator.target)
    direction, reason = direction_of(indicator, target)
    group = allocation.group
    row = Row(
        scope=scope, year=year, indicator=indicator, entry=entry, target=target, actual=None, direction=direction,
        direction_reason=reason, kind="missing", points=allocation.points, points_source=allocation.source,
        group_key=group.key if group else None, group_label=group.label if group else "未分组",
    )
    has_value = entry is not None and entry.actual not in (None, "")
    if entry is not None and has_value:
        row.actual = parse_value(entry.actual)
    if entry is None or (not has_value and entry.tier is None):
        return row
    if entry.tier is not None and (direction in (Direction.QUALITATIVE, Direction.DEADLINE) or not _numeric(row.actual)):
        return _qualitative(row, entry.tier, "填报的完成档次", entry.pct, rules)
    if direction is Direction.QUALITATIVE:
        return _qualitative_from_text(row, rules, entry.pct)
    if direction is Direction.DEADLINE:
        return _deadline(row, rules, entry.pct)
    row = _quantitative(row, rules, entry.pct)
    if entry.pct is not None and row.kind != "qualitative":
        row.flags.append("pct-ignored")
        row.notes.append(f"填报的得分比例{entry.pct:f}%只用于定性指标，本指标按数值计分，未采用")
    return row


def _tier(value: Value) -> str | None:
    tier = value.tier or tier_of_text(value.text)
    return tier.value if tier is not None else None


def _numeric(value: Value | None) -> bool:
    return value is not None and value.op in _NUMERIC and value.number is not None


def _qualitative(row: Row, tier: str, source: str, pct: Decimal | None, rules: RuleSet) -> Row:
    row.kind, row.tier, row.tier_source = "qualitative", tier, source
    low, high = rules.bands[tier]
    if pct is None:
        row.pct = rules.default_pct[tier]
        row.flags.append("default-pct")
    elif not _in_band(pct, low, high, tier):
        row.kind = "invalid"
        closing = "]" if tier == "达成" else ")"
        row.problem = (f"填报的得分比例 {pct:f}% 不在“{tier}”档的区间 [{low:f}%, {high:f}%{closing} 内"
                       f"（含下限{'和上限' if tier == '达成' else '、不含上限'}）")
    else:
        row.pct = pct
    return row


def _in_band(pct: Decimal, low: Decimal, high: Decimal, tier: str) -> bool:
    """Tier 1 includes both ends; lower tiers include their lower end only (80%–60%(含) means [60, 80))."""
    if tier == "达成":
        return low <= pct <= high
    return low <= pct < high


def _qualitative_from_text(row: Row, rules: RuleSet, pct: Decimal | None) -> Row:
    actual = row.actual
    assert actual is not None
    tier = _tier(actual)
    if tier is not None:
        return _qualitative(row, tier, f"实际完成值“{actual.text}”", pct, rules)
    if actual.text.strip() == row.target.text.strip():
        row.notes.append("实际完成值与目标表述一致，视为达成")
        return _qualitative(row, "达成", "实际完成值与目标一致", pct, rules)
    row.kind = "invalid"
    row.problem = f"无法从实际完成值“{actual.text}”判断完成档次"
    return row


def _deadline(row: Row, rules: RuleSet, pct: Decimal | None) -> Row:
    actual = row.actual
    assert actual is not None
    target_date = row.target.deadline
    if actual.op is Op.DEADLINE and actual.deadline is not None and actual.deadline.month is not None:
        if target_date is None or target_date.month is None:
            return _qualitative(row, "达成", f"实际完成时间“{actual.text}”", None, rules)
        year = row.year
        due = target_date.as_date(year)
        done = actual.deadline.as_date(year)
        row.kind, row.a, row.b = "deadline", Decimal(1), Decimal(1 if done <= due else 0)
        row.notes.append(f"时限 {due:%Y年%m月%d日}，实际 {done:%Y年%m月%d日}")
        return row
    tier = _tier(actual)
    if tier is not None:
        return _qualitative(row, tier, f"实际完成值“{actual.text}”", pct, rules)
    row.kind = "invalid"
    row.problem = f"无法从实际完成值“{actual.text}”判断是否按时完成"
    return row


def _quantitative(row: Row, rules: RuleSet, pct: Decimal | None) -> Row:
    target, actual = row.target, row.actual
    assert actual is not None
    if not _numeric(target):
        row.kind = "invalid"
        row.problem = f"目标值“{target.text}”无法理解为数值"
        return row
    if not _numeric(actual):
        tier = _tier(actual)
        if tier is not None:
            row.flags.append("qualitative-actual")
            row.notes.append("定量指标以文字填报，按定性档次计分")
            return _qualitative(row, tier, f"实际完成值“{actual.text}”", pct, rules)
        row.kind = "invalid"
        row.problem = f"实际完成值“{actual.text}”无法理解为数值" + (f"（{actual.note}）" if actual.note else "")
        return row
    b = _in_target_unit(row, actual)
    if b is None:
        return row
    row.b = b
    if b < 0 or (target.number is not None and target.number < 0):
        row.flags.append("signed")
        row.notes.append("目标或实际为负数：达到目标得满分，未达到不能按比例计分")
    if actual.approximate:
        row.flags.append("approximate")
        row.notes.append(f"实际值为近似数“{actual.text}”，按{actual.number:f}计")
    if actual.explicit_op:
        row.flags.append("actual-with-comparator")
        row.notes.append(f"实际值“{actual.text}”带有比较符，按数值{actual.number:f}计")
    row.a, row.u = target.number, target.upper
    if target.op is Op.RANGE:
        row.kind = "range"
        return row
    direction = row.direction
    if direction is Direction.AMBIGUOUS:
        if row.b == target.number:
            row.notes.append("方向不明，但实际值等于目标值，无论越高越好还是越低越好都得满分")
        else:
            row.flags.append("ambiguous")
            row.notes.append("方向不明，暂按越高越好计分")
        direction = Direction.HIGHER
    if direction is Direction.EQUAL:
        if target.number == 0:
            direction = Direction.LOWER
        elif rules.equal == "two-sided":
            row.kind = "two-sided"
            return row
        else:
            direction = Direction.HIGHER
    row.kind = "lower" if direction is Direction.LOWER else "higher"
    row.strict = target.op in (Op.GT, Op.LT)
    return row


# Counting units that people mix up in practice: scored one for one, and flagged for a check.
NEAR_UNITS = frozenset(frozenset(pair) for pair in (("人", "人次"), ("个", "项"), ("项", "件"), ("个", "件"),
                                                    ("次", "场"), ("家", "户"), ("份", "本")))


def _in_target_unit(row: Row, actual: Value) -> Decimal | None:
    target_unit, actual_unit = row.target.unit, actual.unit
    number = actual.number
    assert number is not None
    if actual_unit is None or target_unit is None or actual_unit == target_unit:
        if actual_unit is None and target_unit is not None:
            row.flags.append("unit-assumed")
        return number
    converted = convert(number, actual_unit, target_unit)
    if converted is None and frozenset((actual_unit, target_unit)) in NEAR_UNITS:
        row.flags.append("unit-near")
        row.notes.append(f"实际值单位“{actual_unit}”与目标单位“{target_unit}”口径相近，按同一口径计分，请核实")
        return number
    if converted is None:
        row.kind = "invalid"
        row.problem = f"实际值单位“{actual_unit}”与目标单位“{target_unit}”不一致，无法换算"
        return None
    row.flags.append("unit-converted")
    row.notes.append(f"实际值{number:f}{actual_unit}换算为{converted.normalize():f}{target_unit}")
    return converted
