"""One indicator prepared for scoring (``Row``), the exact numbers the rule book reads (``Numbers``), and
what preparing a row may need besides the indicator (``Context``).

A row's *kind* says which family of rules scores it (higher, lower, two-sided, range, qualitative,
deadline, timing, deduct, steps) or why none can (missing, pending, invalid). ``pending`` and
``invalid`` carry the reason (``problem``) and the exact fix in words (``fix``); which of the two an
undecidable row becomes is the rule set's ``unreadable`` choice (``undecided``).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from evaluator.language.standards import Standard
from evaluator.language.values import Direction, Value
from evaluator.model import Indicator, IndicatorActual, PreviousYear
from evaluator.scoring.previous import PreviousActuals
from evaluator.scoring.rulebook import MAX_STEPS

if TYPE_CHECKING:
    from evaluator.rules import RuleSet

__all__ = ["NO_STEPS", "Context", "Numbers", "Row", "invalid", "undecided"]


NO_STEPS: tuple[None, ...] = (None,) * MAX_STEPS  # the step columns of a row without steps


@dataclass(frozen=True, slots=True)  # slots: one per row of the table, 100,000 in a large department
class Numbers:
    """The exact inputs of the rule book for one row (``rulebook.decide_exact`` reads these)."""

    a: Decimal | None = None
    u: Decimal | None = None
    b: Decimal | None = None
    w: Decimal = Decimal(0)
    pct: Decimal | None = None
    strict: bool = False
    li: bool = True
    ui: bool = True
    l: Decimal | None = None  # noqa: E741 (the limit of a deduction, as rules-hunan.md calls it)
    p: Decimal | None = None
    d: Decimal | None = None
    side: int = 1
    k: tuple[Decimal | None, ...] = ()
    s: tuple[Decimal | None, ...] = ()
    sb: Decimal | None = None
    linear: bool = False
    n: int = 1


@dataclass(frozen=True)
class Context:
    """What preparing a department's rows needs besides each indicator: files, base data, last year."""

    year: int
    targets_file: str | None = None
    actuals_file: str | None = None
    base: Mapping[str, Decimal] = field(default_factory=dict)  # 基础数据 and the department's budget line
    previous_year: PreviousYear | None = None

    @property
    def previous(self) -> PreviousActuals:
        return PreviousActuals(self.previous_year)


@dataclass(slots=True)  # slots: every row of a department is held at once while it is scored (100,000)
class Row:
    """One indicator prepared for scoring: the numbers for the rule book and what they mean."""

    scope: str | None
    scope_name: str
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
    a: Decimal | None = None  # target (lower bound of a range; due date of a deadline, as an ordinal)
    u: Decimal | None = None  # upper bound of a range
    b: Decimal | None = None  # actual, in the target's unit (a change, for a relative target)
    strict: bool = False  # > or <: equal is not met
    li: bool = True  # a range's lower end included
    ui: bool = True  # a range's upper end included
    pct: Decimal | None = None  # qualitative: share of points, 0–100
    tier: str | None = None
    tier_source: str = ""
    limit: Decimal | None = None  # a rule set's deduction: the limit, step size, points per step, side
    per: Decimal | None = None
    deduct: Decimal | None = None
    side: int = 1
    steps: tuple[tuple[Decimal, Decimal], ...] = ()
    beyond: Decimal | None = None
    method: str | None = None  # the rule set's method for a standard indicator, in words
    due: datetime.date | None = None
    done: datetime.date | None = None
    standard: Standard | None = None
    actual_text: str | None = None  # an actual computed from base data, as shown
    linear: bool = False
    notes: list[str] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    problem: str | None = None  # why the row is pending or invalid
    fix: str | None = None  # the exact fix, in words
    fix_in: str = "actuals"  # the file the fix goes in: "actuals" | "targets" | "previous"
    readings: tuple[str, ...] = ()  # a contradictory actual: both readings

    def numbers(self) -> Numbers:
        return Numbers(a=self.a, u=self.u, b=self.b, w=self.points, pct=self.pct, strict=self.strict, li=self.li,
                       ui=self.ui, l=self.limit, p=self.per, d=self.deduct, side=self.side, k=self.k, s=self.s,
                       sb=self.beyond, linear=self.linear)

    # The rule book's names for the fields that Numbers names differently: the table is read straight from
    # the rows, and a row is decided exactly as it is, instead of making a Numbers for each of 100,000 rows.
    @property
    def w(self) -> Decimal:
        return self.points

    @property
    def l(self) -> Decimal | None:  # noqa: E743 (the limit of a deduction, as in Numbers)
        return self.limit

    @property
    def p(self) -> Decimal | None:
        return self.per

    @property
    def d(self) -> Decimal | None:
        return self.deduct

    @property
    def sb(self) -> Decimal | None:
        return self.beyond

    @property
    def k(self) -> tuple[Decimal | None, ...]:
        if not self.steps:
            return NO_STEPS  # nearly every row: one shared tuple
        return tuple(bound for bound, _ in self.steps) + (None,) * (MAX_STEPS - len(self.steps))

    @property
    def s(self) -> tuple[Decimal | None, ...]:
        if not self.steps:
            return NO_STEPS
        return tuple(share for _, share in self.steps) + (None,) * (MAX_STEPS - len(self.steps))


def undecided(row: Row, rules: RuleSet, problem: str, fix: str, *, readings: tuple[str, ...] = (),
              fix_in: str = "actuals") -> Row:
    """The tool cannot decide: 待确认 (pending, the default) or, under ``unreadable: zero``, 0 and an error."""
    row.kind = "pending" if rules.unreadable == "pending" else "invalid"
    row.problem, row.fix, row.readings, row.fix_in = problem, fix, readings, fix_in
    return row


def invalid(row: Row, problem: str, fix: str = "") -> Row:
    """An entry that is wrong, not unclear (a unit that cannot be converted, a pct outside its band)."""
    row.kind, row.problem, row.fix = "invalid", problem, fix or None
    return row
