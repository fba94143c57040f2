"""Prepare each indicator for scoring: read its values, decide which family of rules scores it.

``indicator_table`` gives one ``Row`` per indicator of every scope of a department. ``prepare_row``
reads the target (an empty 指标值 of a standard indicator as its standard, ``language.direction``),
computes a standard indicator's actual from base data when none is written, and hands the row to the
family that decides it: the department's own tier, the rule set's method for a standard indicator
(``basedata``), words (``tiers``: qualitative, deadlines) or numbers (``quantities``). No score is
computed here: the rule book (``rulebook``) does that on the whole table.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from evaluator.errors import Problem
from evaluator.language.direction import understand_target
from evaluator.language.values import Direction, Op, parse_value
from evaluator.model import Actuals, Indicator, IndicatorActual, PreviousYear, Targets
from evaluator.scoring.allocation import allocate
from evaluator.scoring.basedata import computed_actual, standard_method_row
from evaluator.scoring.prepared import Context, Row
from evaluator.scoring.quantities import NEAR_UNITS, quantitative_row
from evaluator.scoring.tiers import deadline_row, qualitative_from_text, qualitative_row

if TYPE_CHECKING:
    from evaluator.rules import RuleSet

__all__ = ["NEAR_UNITS", "Row", "context_of", "indicator_table", "prepare_row"]


# The family that decides a row by its direction: words, a deadline, else numbers.
_BY_DIRECTION = {Direction.QUALITATIVE: qualitative_from_text, Direction.DEADLINE: deadline_row}


def context_of(targets: Targets, actuals: Actuals, previous: PreviousYear | None = None) -> Context:
    """What the rows of one department need besides their indicators: files, base data, last year."""
    base: dict[str, Decimal] = dict(actuals.base)
    budget = actuals.budget
    if budget is not None:
        for key in ("initial", "adjusted", "executed"):
            if getattr(budget, key) is not None:
                base.setdefault(key, getattr(budget, key))
    return Context(year=targets.year, targets_file=targets.source, actuals_file=actuals.source, base=base,
                   previous_year=previous)


def indicator_table(
    targets: Targets, actuals: Actuals, rules: RuleSet, previous: PreviousYear | None = None
) -> tuple[list[Row], list[Problem]]:
    """Prepare one Row per indicator of every scope, and the problems found on the way."""
    rows: list[Row] = []
    problems: list[Problem] = []
    context = context_of(targets, actuals, previous)
    scopes = [(None, "部门整体支出", targets.indicators)] + [(p.id, p.name, p.indicators) for p in targets.projects]
    for scope_id, name, indicators in scopes:
        if scope_id is None and not indicators and targets.projects:
            continue  # funds only (e.g. imported project 自评表): the department has no table to allot points in
        allocations, found = allocate(indicators, rules, file=targets.source, scope_name=name)
        problems.extend(found)
        _, entries = actuals.for_scope(scope_id)
        for indicator, allocation in zip(indicators, allocations, strict=True):
            rows.append(prepare_row(scope_id, name, indicator, entries.get(indicator.id), allocation, rules, context))
    return rows, problems


def prepare_row(
    scope: str | None, scope_name: str, indicator: Indicator, entry: IndicatorActual | None, allocation: Any,
    rules: RuleSet, context: Context,
) -> Row:
    """Decide how one indicator is scored and with which numbers (no arithmetic on scores here)."""
    reading = understand_target(indicator)
    group = allocation.group
    # Row's fields without defaults, in order (scope … group_label): given by position, as keywords among
    # its 45 parameters made building each of 100,000 rows twice as slow.
    row = Row(
        scope, scope_name, context.year, indicator, entry, reading.value, None, reading.direction, reading.reason,
        "missing", allocation.points, allocation.source, group.key if group else None,
        group.label if group else "未分组", standard=reading.standard,
    )
    if reading.note:
        row.flags.append("standard-target")
        row.notes.append(reading.note)
    has_value = entry is not None and entry.actual not in (None, "")
    if has_value:
        assert entry is not None
        row.actual = parse_value(entry.actual)
    computed = computed_actual(reading.standard, context.base) if reading.standard and scope is None else None
    if not has_value and computed is not None and (entry is None or entry.tier is None):
        row.actual, row.actual_text = computed[0], computed[0].text
        row.flags.append("computed-actual")
        row.notes.append(computed[1])
    elif has_value and computed is not None and row.actual is not None and row.actual.is_numeric:
        _compare_with_base(row, computed)
    if row.actual is None and (entry is None or entry.tier is None):
        return row
    pct = entry.pct if entry is not None else None
    direction = row.direction
    no_number = row.actual is None or not row.actual.is_numeric
    if entry is not None and entry.tier is not None and (
            direction in (Direction.QUALITATIVE, Direction.DEADLINE) or no_number):
        return qualitative_row(row, entry.tier, "填报的完成档次", entry.pct, rules)
    assert row.actual is not None
    method = rules.standards.get(reading.standard.key) if reading.standard is not None else None
    if method is not None:
        row = standard_method_row(row, method, rules, context)
    else:
        row = _BY_DIRECTION.get(direction, quantitative_row)(row, rules, pct, context)
    if pct is not None and row.kind not in ("qualitative", "pending", "invalid"):
        row.flags.append("pct-ignored")
        row.notes.append(f"填报的得分比例{pct:f}%只用于定性指标，本指标按数值计分，未采用")
    return row


def _compare_with_base(row: Row, computed: tuple[Any, str]) -> None:
    """A written actual that base data contradicts: kept, and both shown for a check."""
    actual, value = row.actual, computed[0]
    assert actual is not None
    if actual.unit in ("%", None) and actual.number is not None and value.number is not None \
            and abs(actual.number - value.number) >= Decimal("0.01") and actual.op is Op.EQ:
        row.flags.append("base-differs")
        row.notes.append(f"按基础数据计算为{value.text}，与填报的实际值“{actual.text}”不一致，按填报值计分，请核对")
