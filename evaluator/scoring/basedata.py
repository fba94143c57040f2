"""Department-wide standard indicators: actuals computed from base data, and a rule set's own scoring.

``computed_actual`` gives the actual of a standard indicator (在职人员控制率 = 实际在职人数 ÷ 编制数) from
the department's 基础数据 (``actuals.base``, formats.md §4) when the table has no actual for it, to two
decimals of a percent as the base-data form computes it; the explanation shows the formula and the
numbers. ``standard_method_row`` scores a standard indicator by the rule set's deduction or steps
(``rules.standards``, e.g. hunan-dept: each percentage point above 100% −0.5).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

from evaluator.decimals import fmt, round_half_up
from evaluator.language.standards import BASE_LABELS, Standard
from evaluator.language.units import convert
from evaluator.language.values import Op, Value
from evaluator.scoring.fixes import actual_cell
from evaluator.scoring.prepared import Context, Row, invalid, undecided

if TYPE_CHECKING:
    from evaluator.rules import RuleSet, StandardRule

__all__ = ["computed_actual", "standard_method_row"]


def computed_actual(standard: Standard, base: Mapping[str, Decimal]) -> tuple[Value, str] | None:
    """The actual of a standard indicator computed from base data, and the arithmetic in words."""
    for formula in standard.formulas:
        if not formula.applies(base):
            continue
        value = formula.compute(base)
        if value is None:
            continue
        rounded = round_half_up(value, 2)
        inputs = "、".join(f"{BASE_LABELS[key]}{fmt(base[key])}" for key in formula.inputs)
        exact = "" if rounded == value else "（四舍五入保留两位小数）"
        text = f"{fmt(rounded)}%"
        return Value(text, Op.EQ, number=rounded, unit="%"), \
            f"实际值由基础数据计算：{formula.text}，其中{inputs}，得{text}{exact}"
    return None


def standard_method_row(row: Row, method: StandardRule, rules: RuleSet, context: Context) -> Row:
    """Score a standard indicator by the rule set's deduction per step or its steps, on the actual in %."""
    actual = row.actual
    assert actual is not None
    cell = actual_cell(context.actuals_file, row.entry, row.indicator.id)
    if not actual.is_numeric or actual.number is None or actual.relative is not None:
        return undecided(row, rules, f"实际完成值“{actual.text}”无法理解为百分数",
                         f"把{cell}写成百分数，如“95.1%”")
    number = actual.number
    if actual.unit is None:
        if number != 0:
            row.flags.append("unit-assumed")
            row.notes.append(f"实际值“{actual.text.strip()}”未写单位，按“%”理解")
    elif actual.unit != "%":
        converted = convert(number, actual.unit, "%")
        if converted is None:
            return invalid(row, f"实际值单位“{actual.unit}”不是百分数，{method.key}按百分数评分",
                           f"把{cell}写成百分数，如“95.1%”")
        number = converted
    row.b = number
    row.method = method.describe()
    row.notes.append(f"按规则集“{rules.name}”的{method.key}评分标准：{row.method}")
    written = row.target
    if method.method == "deduct":
        if written.is_numeric and written.number is not None and written.number != method.limit \
                and "standard-target" not in row.flags:
            row.notes.append(f"目标值写为“{written.text}”，按评分标准的{fmt(method.limit)}%计分")
        row.kind, row.limit, row.per = "deduct", method.limit, method.per
        row.side = 1 if method.side == "above" else -1
        row.deduct = method.points if method.points is not None else method.share * row.points  # type: ignore[operator]
        return row
    row.kind, row.steps, row.beyond = "steps", method.steps, method.beyond
    return row
