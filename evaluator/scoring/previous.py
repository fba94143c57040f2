"""The previous year's actual of an indicator, for targets written as a change (较上年增长10%).

Indicators are matched as ``evaluator compare`` matches them: the scope (the department, or a fund by
its id, then by its normalised name), then the indicator by its id, then by its normalised name
(``language.names``). ``change`` computes the change the target asks about from last year's level and
this year's, exactly, and says the arithmetic in words for the explanation.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from evaluator.decimals import fmt, round_half_up
from evaluator.language.names import normalise_name
from evaluator.language.relative import Relative
from evaluator.language.units import in_unit
from evaluator.language.values import Value, parse_value
from evaluator.model import Indicator, IndicatorActual, PreviousYear

__all__ = ["Found", "PreviousActuals", "change", "level_in"]


@dataclass(frozen=True)
class Found:
    """Last year's actual of one indicator: the entry, how it was matched, and where it is."""

    entry: IndicatorActual
    value: Value
    matched: str  # "id" | "name"
    where: str  # "actuals/2022/x.yaml D05"


class PreviousActuals:
    """Look up last year's actuals of this year's indicators (by scope, then id, then name)."""

    def __init__(self, previous: PreviousYear | None) -> None:
        self.previous = previous

    def find(self, scope_id: str | None, scope_name: str, indicator: Indicator) -> Found | None:
        previous = self.previous
        if previous is None or previous.actuals is None:
            return None
        scope = self._scope(scope_id, scope_name)
        if scope is False:
            return None
        _, entries = previous.actuals.for_scope(scope)
        file = previous.actuals_file or previous.actuals.source or f"{previous.year}年实际值文件"
        entry = entries.get(indicator.id)
        matched = "id"
        if entry is None or not entry.actual:
            entry, matched = self._by_name(scope, indicator, entries), "name"  # type: ignore[arg-type]
        if entry is None or not entry.actual:
            return None
        return Found(entry, parse_value(entry.actual), matched, f"{file} {entry.id}")

    def _scope(self, scope_id: str | None, scope_name: str) -> str | None | bool:
        """The previous year's id of this scope: None for the department, a fund id, or False if none."""
        if scope_id is None:
            return None
        previous = self.previous
        assert previous is not None and previous.actuals is not None
        if scope_id in previous.actuals.projects:
            return scope_id
        if previous.targets is not None:
            wanted = normalise_name(scope_name)
            for project in previous.targets.projects:
                if normalise_name(project.name) == wanted:
                    return project.id
        return False

    def _by_name(self, scope: str | None, indicator: Indicator, entries) -> IndicatorActual | None:  # type: ignore[no-untyped-def]
        previous = self.previous
        if previous is None or previous.targets is None:
            return None
        targets = previous.targets
        indicators = targets.indicators if scope is None else next(
            (p.indicators for p in targets.projects if p.id == scope), ())
        wanted = normalise_name(indicator.name)
        for candidate in indicators:
            if normalise_name(candidate.name) == wanted and candidate.id in entries:
                return entries[candidate.id]
        return None


def change(relative: Relative, now: Decimal, before: Decimal) -> tuple[Decimal, str] | None:
    """The change from ``before`` to ``now`` in the target's terms, and the arithmetic in words.

    ``ratio``: (now − before) ÷ before × 100 (%, None when last year is 0); ``points`` and ``amount``:
    now − before. A fall (``sense`` down) is measured the other way round, so that it is positive.
    """
    up = relative.sense == "up"
    difference = now - before if up else before - now
    shown = f"{fmt(now)}−{fmt(before)}" if up else f"{fmt(before)}−{fmt(now)}"
    if relative.kind == "ratio":
        if before == 0:
            return None
        value = difference / before * 100
        exact = value == round_half_up(value, 4)
        return value, f"({shown})÷{fmt(before)}×100% = {fmt(round_half_up(value, 2))}%" + ("" if exact else "（约）")
    unit = "个百分点" if relative.kind == "points" else ""
    return difference, f"{shown} = {fmt(difference)}{unit}"


def level_in(value: Value, unit: str | None) -> Decimal | None:
    """A level (not a change) in the given unit, for the arithmetic of a change; None when it is not one."""
    if value.relative is not None or not value.is_numeric or value.number is None:
        return None
    return in_unit(value.number, value.unit, unit)
