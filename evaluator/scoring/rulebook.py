"""The one definition of each scoring rule: when it applies and what share of the points it gives.

Every rule is written once, as expressions over a row's numbers (A target, U upper bound, B actual,
W points, pct, and the limit/step numbers of a rule set's standard indicators), and evaluated in two
number systems from that same text:

* ``decide_columns``: numpy, over whole columns (``arithmetic.score_table``), the fast path;
* ``decide_exact``: Decimal, one row at a time, for the rows the floats cannot settle exactly (near a
  rounding tie, inputs with more than 15 significant digits, step arithmetic) and as the reference
  the property tests hold the columns to.

For each row the first rule of its kind whose ``when`` holds applies; it gives the share of the
points as ``num / den``, clipped to [0, 1]. The rule's name is recorded on the row: the explanation
reads it (``explain``) instead of re-deriving the branches, and the JSON result shows it. Rules
follow rules.md §1.3–§1.4 and rules-hunan.md; the rule set chooses between variants (``lower:
linear``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal
from typing import Any

import numpy as np

__all__ = ["EXACT_KINDS", "KINDS", "MAX_STEPS", "RULES", "Rule", "decide_columns", "decide_exact", "is_met",
           "rule_named"]

MAX_STEPS = 8
KINDS = ("higher", "lower", "two-sided", "range", "qualitative", "deadline", "timing", "deduct", "steps", "missing",
         "pending", "invalid")
EXACT_KINDS = frozenset({"deduct"})  # their condition is arithmetic (whole steps), not a comparison of inputs


class _FloatOps:
    """The operations rules use, on numpy columns."""

    one, zero = 1.0, 0.0

    @staticmethod
    def where(condition: Any, yes: Any, no: Any) -> Any:
        return np.where(condition, yes, no)

    @staticmethod
    def floor(value: Any) -> Any:
        return np.floor(value)

    @staticmethod
    def le(left: Any, right: Any) -> Any:
        return left <= right  # False where either side is NaN (a step the rule set does not have)

    @staticmethod
    def always(x: Any) -> Any:
        return np.ones(x.n, dtype=bool)


class _ExactOps:
    """The same operations on Decimal scalars and Python booleans."""

    one, zero = Decimal(1), Decimal(0)

    @staticmethod
    def where(condition: Any, yes: Any, no: Any) -> Any:
        return yes if condition else no

    @staticmethod
    def floor(value: Decimal) -> Decimal:
        return value.to_integral_value(rounding=ROUND_FLOOR)

    @staticmethod
    def le(left: Any, right: Any) -> bool:
        return left is not None and right is not None and left <= right

    @staticmethod
    def always(x: Any) -> bool:
        return True


FLOAT, EXACT = _FloatOps(), _ExactOps()
Expr = Callable[[Any, Any], Any]


@dataclass(frozen=True)
class Rule:
    """One rule: its name, the kind of row it serves, when it applies, and the share it gives (num / den).

    ``met`` says whether the target counts as reached under this rule: True, False, or "full" (when the
    share is 1, for the rule set's step and deduction tables).
    """

    name: str
    kind: str
    when: Expr
    num: Expr
    den: Expr
    met: bool | str = False


def _always(x: Any, o: Any) -> Any:
    return o.always(x)


def _one(x: Any, o: Any) -> Any:
    return o.one


def _zero(x: Any, o: Any) -> Any:
    return o.zero


def _step(k: int) -> Rule:
    return Rule(f"steps-{k + 1}", "steps", lambda x, o: o.le(x.b, x.k[k]), lambda x, o: x.s[k], _one, met="full")


RULES: tuple[Rule, ...] = (
    # higher is better (≥, >, and "=" read as ≥): rules.md §1.3
    Rule("higher-met", "higher", lambda x, o: o.where(x.strict, x.b > x.a, x.b >= x.a), _one, _one, met=True),
    Rule("higher-strict-equal", "higher", lambda x, o: x.strict & (x.b == x.a) & (x.a > 0), lambda x, o: x.b,
         lambda x, o: x.a),
    Rule("higher-ratio", "higher", lambda x, o: (x.a > 0) & (x.b >= 0), lambda x, o: x.b, lambda x, o: x.a),
    Rule("higher-signed", "higher", _always, _zero, _one),
    # lower is better (≤, <, costs, error rates)
    Rule("lower-met", "lower", lambda x, o: o.where(x.strict, x.b < x.a, x.b <= x.a), _one, _one, met=True),
    Rule("lower-zero-target", "lower", lambda x, o: x.a == 0, _zero, _one),
    Rule("lower-signed", "lower", lambda x, o: x.a < 0, _zero, _one),
    Rule("lower-strict-equal", "lower", lambda x, o: x.strict & (x.b == x.a), lambda x, o: x.a, lambda x, o: x.b),
    Rule("lower-linear", "lower", lambda x, o: x.linear & (x.a > 0), lambda x, o: 2 * x.a - x.b, lambda x, o: x.a),
    Rule("lower-ratio", "lower", lambda x, o: (x.a > 0) & (x.b > 0), lambda x, o: x.a, lambda x, o: x.b),
    Rule("lower-signed-actual", "lower", _always, _zero, _one),
    # equal to the target, two-sided (rule set quantitative.equal: two-sided)
    Rule("two-sided-met", "two-sided", lambda x, o: x.b == x.a, _one, _one, met=True),
    Rule("two-sided-below", "two-sided", lambda x, o: (x.b < x.a) & (x.b > 0), lambda x, o: x.b, lambda x, o: x.a),
    Rule("two-sided-above", "two-sided", lambda x, o: (x.b > x.a) & (x.a > 0), lambda x, o: x.a, lambda x, o: x.b),
    Rule("two-sided-signed", "two-sided", _always, _zero, _one),
    # a range target, its ends inclusive as written
    Rule("range-met", "range", lambda x, o: o.where(x.li, x.b >= x.a, x.b > x.a) & o.where(x.ui, x.b <= x.u, x.b < x.u),
         _one, _one, met=True),
    Rule("range-below", "range", lambda x, o: o.where(x.li, x.b < x.a, x.b <= x.a) & (x.a > 0), lambda x, o: x.b,
         lambda x, o: x.a),
    Rule("range-above", "range", lambda x, o: (x.b >= x.u) & (x.b > 0), lambda x, o: x.u, lambda x, o: x.b),
    Rule("range-signed", "range", _always, _zero, _one),
    # qualitative: the share inside the tier's band (rules.md §1.4)
    Rule("qualitative", "qualitative", _always, lambda x, o: x.pct, lambda x, o: 100 * o.one),
    # a deadline: A the due date, B the date done (ordinal days); and timing words (B 1 on time, 0 late)
    Rule("deadline-met", "deadline", lambda x, o: x.b <= x.a, _one, _one, met=True),
    Rule("deadline-late", "deadline", _always, _zero, _one),
    Rule("timing-met", "timing", lambda x, o: x.b >= 1, _one, _one, met=True),
    Rule("timing-late", "timing", _always, _zero, _one),
    # a rule set's deduction per step beyond a limit (hunan-dept): SIDE +1 above the limit, −1 below
    Rule("deduct-full", "deduct", lambda x, o: x.side * (x.b - x.l) <= 0, _one, _one, met=True),
    Rule("deduct-under-a-step", "deduct", lambda x, o: o.floor(x.side * (x.b - x.l) / x.p) <= 0, _one, _one, met=True),
    Rule("deduct-steps", "deduct", lambda x, o: x.w > 0,
         lambda x, o: x.w - o.floor(x.side * (x.b - x.l) / x.p) * x.d, lambda x, o: x.w),
    Rule("deduct-none", "deduct", _always, _zero, _one),
    # a rule set's steps: the first upper bound the actual does not exceed gives its share
    *(_step(k) for k in range(MAX_STEPS)),
    Rule("steps-beyond", "steps", _always, lambda x, o: x.sb, _one, met="full"),
    Rule("missing", "missing", _always, _zero, _one),
    Rule("pending", "pending", _always, _zero, _one),
    Rule("invalid", "invalid", _always, _zero, _one),
)
_BY_NAME = {rule.name: rule for rule in RULES}
_BY_KIND: dict[str, tuple[Rule, ...]] = {kind: tuple(r for r in RULES if r.kind == kind) for kind in KINDS}


def rule_named(name: str) -> Rule:
    return _BY_NAME[name]


class _Rows:
    """The columns of some rows of the table: each column is taken from the whole table when first read."""

    def __init__(self, columns: Any, positions: np.ndarray) -> None:
        self._columns, self._positions, self.n = columns, positions, len(positions)

    def __getattr__(self, name: str) -> Any:
        column = getattr(self._columns, name)
        taken = [c[self._positions] for c in column] if isinstance(column, list) else column[self._positions]
        setattr(self, name, taken)
        return taken


_INDEX = {rule.name: index for index, rule in enumerate(RULES)}


def decide_columns(kind: np.ndarray, x: Any) -> tuple[np.ndarray, np.ndarray]:
    """Return, per row, the index of the rule in ``RULES`` that applies and the share it gives (float).

    ``x`` has the columns as attributes (numpy arrays of equal length, ``k`` and ``s`` lists of step
    columns, ``linear`` a bool array); the rows of each kind are taken together and decided rule by
    rule, the first rule that applies wins.
    """
    rows = len(kind)
    chosen = np.full(rows, -1, dtype=np.int64)
    share = np.zeros(rows, dtype=float)
    # each kind's code by hashing, not sorting (a million rows in a tenth of a second), in a dict rather
    # than pandas.factorize, so that scoring does not import pandas (a quarter of a second per command)
    first: dict[str, int] = {}
    codes = np.fromiter((first.setdefault(name, len(first)) for name in kind.tolist()), dtype=np.int64, count=rows)
    names = list(first)
    with np.errstate(divide="ignore", invalid="ignore"):
        for code, name in enumerate(names):
            positions = np.flatnonzero(codes == code)
            sub = _Rows(x, positions)
            open_rows = np.ones(len(positions), dtype=bool)
            for rule in _BY_KIND[str(name)]:
                applies = open_rows & np.asarray(rule.when(sub, FLOAT), dtype=bool)
                if not applies.any():
                    continue
                num = np.broadcast_to(np.asarray(rule.num(sub, FLOAT), dtype=float), applies.shape)
                den = np.broadcast_to(np.asarray(rule.den(sub, FLOAT), dtype=float), applies.shape)
                at = positions[applies]
                chosen[at] = _INDEX[rule.name]
                share[at] = np.clip(num[applies] / den[applies], 0.0, 1.0)
                open_rows &= ~applies
                if not open_rows.any():
                    break
    return chosen, np.nan_to_num(share)


def decide_exact(kind: str, x: Any) -> tuple[Rule, Decimal]:
    """Return the rule that applies to one row and the share it gives, in exact Decimal arithmetic."""
    for rule in _BY_KIND[kind]:
        if rule.when(x, EXACT):
            num, den = Decimal(rule.num(x, EXACT)), Decimal(rule.den(x, EXACT))
            return rule, min(max(num / den, Decimal(0)), Decimal(1))
    raise AssertionError(f"no rule for a {kind} row")  # pragma: no cover - every kind ends with an always-rule


def is_met(rule: Rule, share: Decimal | float) -> bool:
    """Whether the target counts as reached: by the rule itself, or (steps, deductions) at a full share."""
    return rule.met is True or (rule.met == "full" and share >= 1)
