"""Score targets against actuals under a rule set: (Targets, Actuals, RuleSet) → Result.

The work is done on one table, one row per indicator of every scope:

1. ``indicator_table`` parses each 指标值 and 实际完成值, converts units, and decides the row's
   *kind* (higher, lower, two-sided, range, qualitative, deadline, missing, invalid) with the
   numbers the arithmetic needs (A = target, U = upper bound, B = actual, W = points).
2. ``score_table`` does the arithmetic on whole columns (numpy), rounds half up to the rule set's
   decimals, and recomputes in exact Decimal every row whose float result lies near a rounding tie,
   so that no score depends on float luck. ``exact_fraction`` is the Decimal reference.
3. ``evaluate`` assembles the frozen Result, one Evaluation per scope, with an explanation per row.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from evaluator import __version__
from evaluator.allocation import allocate
from evaluator.decimals import round_half_up
from evaluator.errors import Location, Problem, Severity, entry_location
from evaluator.execution import score_execution
from evaluator.explain import explain
from evaluator.model import Actuals, Indicator, IndicatorActual, Targets
from evaluator.results import Evaluation, GroupScore, IndicatorScore, InputFile, Result
from evaluator.review import review_evaluation, review_execution, review_indicator
from evaluator.units import convert
from evaluator.values import Direction, Op, Value, describe, infer_direction, parse_value, tier_of_text

if TYPE_CHECKING:
    from evaluator.rules import RuleSet

KINDS = ("higher", "lower", "two-sided", "range", "qualitative", "deadline", "missing", "invalid")
_TIER_STATUS = {"达成": "qualitative-met", "部分达成": "qualitative-partial", "未达成": "qualitative-unmet"}
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


def evaluate(targets: Targets, actuals: Actuals | None, rules: RuleSet) -> Result:
    """Score every scope of a department and return the Result (formats.md §3)."""
    actuals = actuals or Actuals(year=targets.year, department=targets.department, money_unit=targets.money_unit)
    rows, warnings = indicator_table(targets, actuals, rules)
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
        warnings.extend(_execution_warnings(evaluation, actuals.source))
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


def indicator_table(targets: Targets, actuals: Actuals, rules: RuleSet) -> tuple[list[Row], list[Problem]]:
    """Prepare one Row per indicator of every scope, and the problems found on the way."""
    rows: list[Row] = []
    problems: list[Problem] = []
    scopes = [(None, "部门整体支出", targets.indicators)] + [(p.id, p.name, p.indicators) for p in targets.projects]
    for scope_id, name, indicators in scopes:
        allocations, found = allocate(indicators, rules, file=targets.source, scope_name=name)
        problems.extend(found)
        _, entries = actuals.for_scope(scope_id)
        for indicator, allocation in zip(indicators, allocations, strict=True):
            rows.append(prepare_row(
                scope_id, targets.year, indicator, entries.get(indicator.id), allocation, rules
            ))
    return rows, problems


def direction_of(indicator: Indicator, target: Value) -> tuple[Direction, str]:
    """Return how an indicator is scored: the targets file's ``direction`` wins, then inference."""
    if indicator.direction:
        return Direction(indicator.direction), "目标文件中指定"
    if target.op is Op.EMPTY:
        return Direction.QUALITATIVE, f"指标值为“{indicator.target}”，没有可比的数值，按定性指标评价"
    return infer_direction(target, level1=indicator.level1, level2=indicator.level2, name=indicator.name)


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
        return _qualitative_from_text(row, rules)
    if direction is Direction.DEADLINE:
        return _deadline(row, rules)
    return _quantitative(row, rules)


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
        row.problem = f"填报的得分比例 {pct:f}% 不在“{tier}”档的区间 {low:f}%–{high:f}% 内"
    else:
        row.pct = pct
    return row


def _in_band(pct: Decimal, low: Decimal, high: Decimal, tier: str) -> bool:
    """Tier 1 includes both ends; lower tiers include their lower end only (80%–60%(含) means [60, 80))."""
    if tier == "达成":
        return low <= pct <= high
    return low <= pct < high


def _qualitative_from_text(row: Row, rules: RuleSet) -> Row:
    actual = row.actual
    assert actual is not None
    tier = _tier(actual)
    if tier is not None:
        return _qualitative(row, tier, f"实际完成值“{actual.text}”", None, rules)
    if actual.text.strip() == row.target.text.strip():
        row.notes.append("实际完成值与目标表述一致，视为达成")
        return _qualitative(row, "达成", "实际完成值与目标一致", None, rules)
    row.kind = "invalid"
    row.problem = f"无法从实际完成值“{actual.text}”判断完成档次"
    return row


def _deadline(row: Row, rules: RuleSet) -> Row:
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
        return _qualitative(row, tier, f"实际完成值“{actual.text}”", None, rules)
    row.kind = "invalid"
    row.problem = f"无法从实际完成值“{actual.text}”判断是否按时完成"
    return row


def _quantitative(row: Row, rules: RuleSet) -> Row:
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
            return _qualitative(row, tier, f"实际完成值“{actual.text}”", None, rules)
        row.kind = "invalid"
        row.problem = f"实际完成值“{actual.text}”无法理解为数值" + (f"（{actual.note}）" if actual.note else "")
        return row
    b = _in_target_unit(row, actual)
    if b is None:
        return row
    row.b = max(b, Decimal(0))
    if b < 0:
        row.notes.append("实际值为负数，按0计")
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


def _in_target_unit(row: Row, actual: Value) -> Decimal | None:
    target_unit, actual_unit = row.target.unit, actual.unit
    number = actual.number
    assert number is not None
    if actual_unit is None or target_unit is None or actual_unit == target_unit:
        if actual_unit is None and target_unit is not None:
            row.flags.append("unit-assumed")
        return number
    converted = convert(number, actual_unit, target_unit)
    if converted is None:
        row.kind = "invalid"
        row.problem = f"实际值单位“{actual_unit}”与目标单位“{target_unit}”不一致，无法换算"
        return None
    row.flags.append("unit-converted")
    row.notes.append(f"实际值{number:f}{actual_unit}换算为{converted.normalize():f}{target_unit}")
    return converted


# --- the arithmetic, on whole columns -------------------------------------------------------------


def rows_frame(rows: list[Row]) -> pd.DataFrame:
    """Return the numeric table the arithmetic works on (floats, plus exact Decimals for ties)."""
    return pd.DataFrame({
        "kind": [r.kind for r in rows],
        "strict": [r.strict for r in rows],
        "A": _floats([r.a for r in rows]),
        "U": _floats([r.u for r in rows]),
        "B": _floats([r.b for r in rows]),
        "W": _floats([r.points for r in rows]),
        "pct": _floats([r.pct for r in rows]),
        "A_exact": [r.a for r in rows],
        "U_exact": [r.u for r in rows],
        "B_exact": [r.b for r in rows],
        "W_exact": [r.points for r in rows],
        "pct_exact": [r.pct for r in rows],
    })


def _floats(values: list[Decimal | None]) -> np.ndarray:
    return np.array([np.nan if v is None else float(v) for v in values], dtype=float)


def score_table(frame: pd.DataFrame, rules: RuleSet) -> pd.DataFrame:
    """Add ``fraction`` (0–1), ``met``, ``over`` and ``cents`` (the rounded score in 10^-decimals).

    Works on whole columns. Rows whose float score lies within 1e-7 of a rounding tie are
    recomputed exactly with ``exact_fraction`` (Decimal), so the rounding never depends on floats.
    """
    kind = frame["kind"].to_numpy()
    strict = frame["strict"].to_numpy(dtype=bool)
    a, u, b, w, pct = (frame[c].to_numpy(dtype=float) for c in ("A", "U", "B", "W", "pct"))
    with np.errstate(divide="ignore", invalid="ignore"):
        higher_met = np.where(strict, b > a, b >= a)
        higher = np.where(higher_met, 1.0, np.where(a > 0, np.clip(b / a, 0, 1), 0.0))
        lower_met = np.where(strict, b < a, b <= a)
        if rules.lower == "linear":
            lower_miss = np.where(a > 0, np.clip(1 - (b - a) / a, 0, 1), 0.0)
        else:
            lower_miss = np.where((a > 0) & (b > 0), np.clip(a / b, 0, 1), 0.0)
        lower = np.where(lower_met, 1.0, lower_miss)
        two_met = b == a
        two_sided = np.where(two_met, 1.0, np.where((a > 0) & (b > 0), np.minimum(b / a, a / b), 0.0))
        range_met = (b >= a) & (b <= u)
        in_range = np.where(range_met, 1.0, np.where(b < a, np.where(a > 0, b / a, 0.0),
                                                       np.where(b > 0, u / b, 0.0)))
        qualitative = np.nan_to_num(pct) / 100
        deadline_met = b >= 1
        fraction = np.select(
            [kind == "higher", kind == "lower", kind == "two-sided", kind == "range",
             kind == "qualitative", kind == "deadline"],
            [higher, lower, two_sided, in_range, qualitative, deadline_met.astype(float)],
            default=0.0,
        )
        met = np.select(
            [kind == "higher", kind == "lower", kind == "two-sided", kind == "range", kind == "deadline"],
            [higher_met, lower_met, two_met, range_met, deadline_met],
            default=False,
        )
        threshold = float(rules.over_threshold)
        over = ((kind == "higher") & (a > 0) & (b / a >= threshold)) | (
            (kind == "lower") & (b > 0) & (a / b >= threshold)
        )
    fraction = np.nan_to_num(fraction)
    scale = 10**rules.decimals
    scaled = np.nan_to_num(w) * fraction * scale
    cents = np.floor(scaled + 0.5)
    near_tie = np.abs(scaled - np.floor(scaled) - 0.5) < 1e-7
    result = frame.assign(fraction=fraction, met=met, over=over, cents=cents.astype(np.int64))
    for position in np.flatnonzero(near_tie):
        row = frame.iloc[position]
        exact = row["W_exact"] * exact_fraction(
            row["kind"], row["A_exact"], row["U_exact"], row["B_exact"], row["pct_exact"], bool(row["strict"]), rules
        )
        result.iloc[position, result.columns.get_loc("cents")] = int(round_half_up(exact, rules.decimals).scaleb(
            rules.decimals))
    return result


def exact_fraction(
    kind: str, a: Decimal | None, u: Decimal | None, b: Decimal | None, pct: Decimal | None, strict: bool,
    rules: RuleSet,
) -> Decimal:
    """The share of points earned, in exact Decimal: the reference that ``score_table`` vectorises."""
    one, zero = Decimal(1), Decimal(0)
    if kind == "qualitative":
        return (pct or zero) / 100
    if kind == "deadline":
        return one if b is not None and b >= 1 else zero
    if a is None or b is None:
        return zero
    if kind == "higher":
        if (b > a) if strict else (b >= a):
            return one
        return min(max(b / a, zero), one) if a > 0 else zero
    if kind == "lower":
        if (b < a) if strict else (b <= a):
            return one
        if rules.lower == "linear":
            return min(max(1 - (b - a) / a, zero), one) if a > 0 else zero
        return min(a / b, one) if a > 0 and b > 0 else zero
    if kind == "two-sided":
        if b == a:
            return one
        return min(b / a, a / b) if a > 0 and b > 0 else zero
    if kind == "range":
        assert u is not None
        if a <= b <= u:
            return one
        if b < a:
            return b / a if a > 0 else zero
        return u / b if b > 0 else zero
    return zero


# --- assembling the result ------------------------------------------------------------------------


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

