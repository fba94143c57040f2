"""The changes an auditor asks about when one department is followed over the years (``Flag``).

Target below last year's actual, an unchanged target over-achieved year after year, indicators and
funds dropped or added, a grade change, and spending up while an output count stays flat.

One flag per finding, not one per year: a target kept unchanged while it was beaten is one flag for
the run of years it was kept (the “stale” flag when it was over-achieved in two or more of them,
which then also says the years it stayed below last year's actual). A cost cap equal to the scope's
budget of its year (“控制在预算数内 ≤790.64万元”) follows the budget: it is neither a target below
last year's actual nor “更宽松”. Cost per unit divides a scope's own spending by a 数量指标 of that
scope counted in units (人, 次, 个 …), never by a sum of money, a rate, an area or a bare number.
"""

from __future__ import annotations

from decimal import Decimal

from evaluator.analysis.matching import normalise_name
from evaluator.decimals import fmt
from evaluator.language.units import in_unit, unit_kind
from evaluator.language.values import parse_value
from evaluator.results.comparison import DEPARTMENT, Cell, CostPoint, CostTrack, Flag, FlagKind, Line, ScopeTrack

__all__ = ["cost_flags", "cost_tracks", "flags"]

# A target "met with room to spare": this completion (direction-aware) counts as over-achieved even
# when it stays under the rule set's own over-achievement threshold.
OVER_ACHIEVED_RATIO = Decimal("1.2")
STALE_YEARS = 2  # over-achieved in this many years under one unchanged target: the target is stale
SPENDING_GROWTH = Decimal("0.10")  # spending up by more than this …
OUTPUT_GROWTH = Decimal("0.05")  # … while the count of a 数量指标 grows by less than this


def _subject(cell: Cell) -> str:
    return f"{cell.id} {cell.name}"


def flags(scopes: tuple[ScopeTrack, ...], years: tuple[int, ...], money_unit: str = "万元") -> tuple[Flag, ...]:
    flags: list[Flag] = []
    for scope in scopes:
        flags.extend(_scope_flags(scope, years))
        for line in scope.lines:
            flags.extend(_target_flags(scope, line, money_unit))
            flags.extend(_presence_flags(scope, line, years))
    return tuple(flags)


def _scope_flags(scope: ScopeTrack, years: tuple[int, ...]) -> list[Flag]:
    flags = []
    for position in range(1, len(years)):
        before, now = scope.years[position - 1], scope.years[position]
        if before is not None and now is None and scope.kind != DEPARTMENT:
            flags.append(Flag(FlagKind.SCOPE_DROPPED, years[position], scope.key, before.name, None, before.name,
                              f"{years[position]}年不再设该专项（{before.year}年金额"
                              f"{fmt(before.planned)}，指标{before.indicators}个）"))
        if before is None and now is not None and scope.kind != DEPARTMENT:
            flags.append(Flag(FlagKind.SCOPE_ADDED, years[position], scope.key, now.name, None, now.name,
                              f"{years[position]}年新设该专项（金额{fmt(now.planned)}，指标{now.indicators}个）"))
        if before is not None and now is not None and before.grade and now.grade and before.grade != now.grade:
            flags.append(Flag(
                FlagKind.GRADE_CHANGE, years[position], scope.key, now.name, None, now.name,
                f"等级由{before.year}年的“{before.grade}”变为{now.year}年的“{now.grade}”"
                f"（总分{fmt(before.total, 2)}→{fmt(now.total, 2)}）",
            ))
    return flags


def _below_last(before: Cell, now: Cell) -> bool:
    """True when this year's target is below last year's actual (a cap above it, when lower is better)."""
    if now.target_value is None or before.actual_value is None:
        return False
    last = in_unit(before.actual_value, before.unit, now.unit)
    if last is None:
        return False
    if now.direction == "higher":
        return now.target_value < last
    if now.direction == "lower":
        return now.target_value > last
    return False


def _follows_budget(scope: ScopeTrack, position: int, cell: Cell, money_unit: str) -> bool:
    """True for a cost cap equal to the scope's budget of that year: it tracks the budget, it sets no target."""
    year = scope.years[position]
    if cell.direction != "lower" or cell.target_value is None or year is None or year.planned is None:
        return False
    if unit_kind(cell.unit) != "money":
        return False
    return in_unit(cell.target_value, cell.unit, money_unit) == year.planned


def _target_flags(scope: ScopeTrack, line: Line, money_unit: str) -> list[Flag]:
    """Targets set below last year's actual, and targets kept unchanged while they were beaten.

    A changed target below last year's actual is flagged in its year. An unchanged target is one flag
    for the run of years it was kept: “stale” when it was over-achieved in two or more of them, else
    “below last year's actual” for the years it was.
    """
    flags: list[Flag] = []
    cells = line.cells
    runs: list[list[tuple[int, Cell]]] = []
    for position, cell in enumerate(cells):
        if cell is None:
            continue
        if runs and runs[-1][-1][0] == position - 1 and _target_key(runs[-1][-1][1]) == _target_key(cell):
            runs[-1].append((position, cell))
        else:
            runs.append([(position, cell)])
    for run in runs:
        first_position, first = run[0]
        if first_position > 0 and cells[first_position - 1] is not None:
            before = cells[first_position - 1]
            assert before is not None
            if _below_last(before, first) and not _follows_budget(scope, first_position, first, money_unit):
                flags.append(_below_flag(scope, line, before, first))
        below = [(cells[p - 1], cell) for p, cell in run[1:]
                 if _below_last(cells[p - 1], cell) and not _follows_budget(scope, p, cell, money_unit)]  # type: ignore[arg-type]
        over = [cell for _, cell in run if _over_achieved(cell)]
        if len(over) >= STALE_YEARS:
            flags.append(_stale_flag(scope, line, [cell for _, cell in run], over, below))  # type: ignore[arg-type]
        elif below:
            flags.append(_kept_below_flag(scope, line, [cell for _, cell in run], below))  # type: ignore[arg-type]
    return flags


def _below_flag(scope: ScopeTrack, line: Line, before: Cell, now: Cell) -> Flag:
    if now.direction == "higher":
        text = f"{now.year}年目标“{now.target}”低于{before.year}年实际完成值“{before.actual}”（越高越好）"
    else:
        text = f"{now.year}年目标上限“{now.target}”高于{before.year}年实际值“{before.actual}”（越低越好）"
    text += _against_last_target(before, now)
    return Flag(FlagKind.TARGET_BELOW_ACTUAL, now.year, scope.key, scope.name, line.key, _subject(now), text)


def _against_last_target(before: Cell, now: Cell) -> str:
    """Say whether the target itself was kept, loosened or tightened against last year's target."""
    if _target_key(before) == _target_key(now):
        return "，目标与上年相同"
    last = in_unit(before.target_value, before.unit, now.unit)
    if last is None or now.target_value is None:
        return f"，上年目标为“{before.target}”"
    looser = now.target_value < last if now.direction == "higher" else now.target_value > last
    tighter = now.target_value > last if now.direction == "higher" else now.target_value < last
    if looser:
        return f"，且比上年目标“{before.target}”更宽松"
    if tighter:
        return f"，虽比上年目标“{before.target}”有所提高，仍未达到上年实际"
    return f"，上年目标为“{before.target}”"


def _target_key(cell: Cell) -> tuple[object, ...]:
    if cell.target_value is not None:
        return ("number", parse_value(cell.target).op.value, cell.target_value, cell.unit)
    return ("text", normalise_name(cell.target))


def _span(run: list[Cell]) -> str:
    return f"{run[0].year}—{run[-1].year}年" if len(run) > 1 else f"{run[0].year}年"


def _below_years(below: list[tuple[Cell, Cell]]) -> str:
    """“低于上年实际完成值：2023年（上年实际“13次”）、2024年（上年实际“12次”）”."""
    relation = "低于上年实际完成值" if below[-1][1].direction == "higher" else "高于上年实际值（越低越好）"
    years = "、".join(f"{now.year}年（上年实际“{before.actual}”）" for before, now in below)
    return f"{relation}：{years}"


def _kept_below_flag(scope: ScopeTrack, line: Line, run: list[Cell], below: list[tuple[Cell, Cell]]) -> Flag:
    last = below[-1][1]
    what = "目标" if last.direction == "higher" else "目标上限"
    return Flag(FlagKind.TARGET_BELOW_ACTUAL, last.year, scope.key, scope.name, line.key, _subject(last),
                f"{what}“{last.target}”{_span(run)}未调整，{_below_years(below)}")


def _over_achieved(cell: Cell) -> bool:
    if cell.status == "exceeded":
        return True
    return cell.status == "met" and cell.completion is not None and cell.completion >= OVER_ACHIEVED_RATIO


def _stale_flag(scope: ScopeTrack, line: Line, run: list[Cell], over: list[Cell],
                below: list[tuple[Cell, Cell]]) -> Flag:
    """The same target kept while it was over-achieved in two or more of those years."""
    shares = "、".join(f"{c.year}年{fmt((c.completion or 0) * 100, 0)}%" for c in over)
    text = (f"目标“{run[-1].target}”{_span(run)}未调整，其中{len(over)}年超额完成（完成目标的{shares}），"
            "目标可能设定偏低")
    if below:
        text += f"；且{_below_years(below)}"
    year = max(over[-1].year, below[-1][1].year if below else 0)
    return Flag(FlagKind.TARGET_STALE, year, scope.key, scope.name, line.key, _subject(over[-1]), text)


def _presence_flags(scope: ScopeTrack, line: Line, years: tuple[int, ...]) -> list[Flag]:
    """Indicators dropped or added from one year to the next, where the scope exists in both years."""
    flags = []
    for position in range(1, len(years)):
        if scope.years[position - 1] is None or scope.years[position] is None:
            continue
        before, now = line.cells[position - 1], line.cells[position]
        if before is not None and now is None:
            actual = f"，实际“{before.actual}”" if before.actual is not None else ""
            flags.append(Flag(FlagKind.DROPPED, years[position], scope.key, scope.name, line.key, _subject(before),
                              f"{years[position]}年不再设该指标（{before.year}年目标“{before.target}”{actual}）"))
        if before is None and now is not None:
            flags.append(Flag(FlagKind.ADDED, years[position], scope.key, scope.name, line.key, _subject(now),
                              f"{years[position]}年新增该指标，目标“{now.target}”"))
    return flags


def _is_count(cell: Cell) -> bool:
    """A 数量指标 counted in units (人, 次, 个 …) with a numeric actual: an output spending can be divided by."""
    return "数量" in cell.level2 and unit_kind(cell.unit) == "count" and cell.actual_value is not None


def cost_tracks(scopes: tuple[ScopeTrack, ...], years: tuple[int, ...]) -> list[CostTrack]:
    """Cost per output of every 数量指标 with a numeric actual in two or more years."""
    tracks = []
    for scope in scopes:
        for line in scope.lines:
            counted = [c for c in line.cells if c is not None and _is_count(c)]
            if len(counted) < 2:
                continue
            unit = line.latest.unit or counted[-1].unit or ""
            points: list[CostPoint | None] = []
            for position, cell in enumerate(line.cells):
                year = scope.years[position]
                if cell is None or year is None or not _is_count(cell):
                    points.append(None)
                    continue
                count = in_unit(cell.actual_value, cell.unit, unit)
                executed = year.executed
                cost = executed / count if executed is not None and count else None
                points.append(CostPoint(years[position], executed, count, cost))
            tracks.append(CostTrack(line.key, scope.key, scope.name, _subject(line.latest), unit, tuple(points)))
    return tracks


def cost_flags(
    costs: tuple[CostTrack, ...], scopes: tuple[ScopeTrack, ...], years: tuple[int, ...], money_unit: str
) -> list[Flag]:
    """Spending up by more than 10 % from one year to the next while the count grew by less than 5 %."""
    flags = []
    lines = {line.key: line for scope in scopes for line in scope.lines}
    for track in costs:
        for position in range(1, len(years)):
            before, now = track.points[position - 1], track.points[position]
            cell = lines[track.line].cells[position]
            if before is None or now is None or not before.executed or not before.count:
                continue
            if now.executed is None or now.count is None:
                continue
            spending = now.executed / before.executed - 1
            output = now.count / before.count - 1
            if spending > SPENDING_GROWTH and output < OUTPUT_GROWTH:
                flags.append(Flag(
                    FlagKind.COST_UP, now.year, track.scope_key, track.scope, track.line,
                    _subject(cell) if cell is not None else track.subject,
                    f"{track.scope}全年执行数由{fmt(before.executed, 2)}{money_unit}增至{fmt(now.executed, 2)}"
                    f"{money_unit}（{_signed_pct(spending)}），实际完成值由{fmt(before.count)}{track.unit}变为"
                    f"{fmt(now.count)}{track.unit}（{_signed_pct(output)}）；每{track.unit}支出由"
                    f"{fmt(before.cost, 2)}{money_unit}升至{fmt(now.cost, 2)}{money_unit}",
                ))
    return flags


def _signed_pct(fraction: Decimal) -> str:
    sign = "+" if fraction >= 0 else "−"
    return f"{sign}{fmt(abs(fraction) * 100, 1)}%"
