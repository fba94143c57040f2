"""The arithmetic of scoring, on whole columns: which rule scores each row, and the points it earns.

``rows_columns`` turns prepared rows (of one department or of many) into one table of numpy columns,
with the exact inputs of each row beside them (``Numbers``); ``score_columns`` decides every row with
the rule book (``rulebook.decide_columns``) and rounds half up to the rule set's decimals.
``rows_frame`` / ``frame_of`` and ``score_table`` do the same on a pandas DataFrame. The floats settle a
row exactly when its inputs have at most 15 significant digits (then float comparisons are exact) and
its score is not within 1e-7 of a rounding tie; every other row, and every row whose rule does
arithmetic before comparing (a deduction per step), is decided again with the same rules in Decimal
(``rulebook.decide_exact``). The result records per row the rule's name, the share, whether the
target was met, over-achievement and the score in units of 10^-decimals.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter
from typing import TYPE_CHECKING

import numpy as np

from evaluator.decimals import round_half_up
from evaluator.scoring.prepared import NO_STEPS, Numbers
from evaluator.scoring.rulebook import EXACT_KINDS, MAX_STEPS, RULES, decide_columns, decide_exact, is_met

if TYPE_CHECKING:
    import pandas as pd

    from evaluator.rules import RuleSet
    from evaluator.scoring.prepared import Row

__all__ = ["Columns", "Scored", "columns_of", "frame_of", "rows_columns", "rows_frame", "score_columns", "score_table"]

_FLOATS = ("a", "u", "b", "w", "pct", "l", "p", "d", "sb")
_SIGNIFICANT = 15  # a decimal with at most 15 significant digits round-trips through a float
_DIGITS = ("a", "u", "b", "w", "pct")  # the inputs whose digits decide whether floats settle a row (and the steps)


@dataclass
class Columns:
    """The table the rule book works on: one entry per row in each numpy column, and the exact inputs."""

    kind: np.ndarray
    a: np.ndarray
    u: np.ndarray
    b: np.ndarray
    w: np.ndarray
    pct: np.ndarray
    l: np.ndarray  # noqa: E741
    p: np.ndarray
    d: np.ndarray
    sb: np.ndarray
    side: np.ndarray
    strict: np.ndarray
    li: np.ndarray
    ui: np.ndarray
    linear: np.ndarray
    k: list[np.ndarray]
    s: list[np.ndarray]
    long: np.ndarray
    exact: list[Numbers | Row]  # what decide_exact reads for a row the floats cannot settle

    @property
    def n(self) -> int:
        return len(self.kind)


@dataclass(frozen=True)
class Scored:
    """What the rule book decided, per row: the rule's name, the share, met, over-achieved, the cents."""

    rule: np.ndarray
    share: np.ndarray
    met: np.ndarray
    over: np.ndarray
    cents: np.ndarray


def columns_of(kinds: list[str], numbers: Sequence[Numbers | Row], names: dict[str, str] | None = None) -> Columns:
    """The columns of given kinds and exact inputs, floats for the fast path.

    ``numbers`` are Numbers, or prepared Rows, which have the same names (``Row.w`` …); ``names`` maps a
    column to the attribute it is read from when that is another (a Row's own field: ``points`` for w).
    """
    names = names or {}

    def values(name: str) -> list:
        return list(map(attrgetter(names.get(name, name)), numbers))

    def bools(name: str) -> np.ndarray:
        return np.array(values(name), dtype=bool)

    floats = {name: values(name) for name in _FLOATS}
    k, s = values("k"), values("s")
    return Columns(
        kind=np.array(kinds, dtype=object), **{name: _floats(column) for name, column in floats.items()},
        side=np.array(values("side"), dtype=float), strict=bools("strict"), li=bools("li"),
        ui=bools("ui"), linear=bools("linear"), k=_step_columns(k), s=_step_columns(s),
        long=_long_rows(numbers, [floats[name] for name in _DIGITS], k), exact=list(numbers),
    )


def _step_columns(steps: list[tuple[Decimal | None, ...]]) -> list[np.ndarray]:
    """The MAX_STEPS columns of step bounds (or shares), NaN where a row has no such step.

    Only the rows of a rule set's step tables have steps: the others (their steps are the shared
    ``NO_STEPS``) are skipped, instead of reading eight empty places per row per column.
    """
    columns = [np.full(len(steps), np.nan) for _ in range(MAX_STEPS)]
    for position, row_steps in enumerate(steps):
        if row_steps is NO_STEPS:
            continue
        for k, value in enumerate(row_steps[:MAX_STEPS]):
            if value is not None:
                columns[k][position] = float(value)
    return columns


# A prepared row's own names of the columns its properties give (``Row.w`` is ``Row.points`` …): read
# straight, instead of through a property call per row and column.
_ROW_NAMES = {"w": "points", "l": "limit", "p": "per", "d": "deduct", "sb": "beyond"}


def rows_columns(rows: list[Row]) -> Columns:
    """The columns of prepared rows (of one department or of many), read from the rows themselves."""
    return columns_of([r.kind for r in rows], rows, _ROW_NAMES)


def rows_frame(rows: list[Row]) -> pd.DataFrame:
    """Return the table as a DataFrame: one row per indicator, floats and the exact Numbers."""
    return frame_of([r.kind for r in rows], [r.numbers() for r in rows])


def frame_of(kinds: list[str], numbers: list[Numbers]) -> pd.DataFrame:
    """The table of given kinds and exact inputs as a DataFrame (the tests and the benchmark build it so)."""
    import pandas as pd  # only the DataFrame helpers need pandas: scoring itself works on numpy columns

    columns = columns_of(kinds, numbers)
    data: dict[str, object] = {"kind": columns.kind}
    for name in (*_FLOATS, "side", "strict", "li", "ui", "linear", "long"):
        data[name] = getattr(columns, name)
    for k in range(MAX_STEPS):
        data[f"k{k}"], data[f"s{k}"] = columns.k[k], columns.s[k]
    data["exact"] = columns.exact
    return pd.DataFrame(data)


def _floats(values: list[Decimal | None]) -> np.ndarray:
    if all(v is None for v in values):
        return np.full(len(values), np.nan)  # most columns of most tables: no row has the number
    nan = np.nan
    return np.array([nan if v is None else float(v) for v in values], dtype=float)


def _long_rows(numbers: Sequence[Numbers | Row], columns: list[list[Decimal | None]],
               steps: list[tuple[Decimal | None, ...]]) -> np.ndarray:
    """Which rows have an input with more significant digits than a float keeps exactly (``_long``).

    The text of a Decimal holds every digit of its coefficient, so a text of at most 15 characters
    settles a value (None reads "None"): the lengths are taken a column at a time, and only the rows
    with a longer text or with steps are looked at one by one.
    """
    count = len(numbers)
    longer = np.zeros(count, dtype=bool)
    for column in columns:
        longer |= np.fromiter(map(len, map(str, column)), dtype=np.int64, count=count) > _SIGNIFICANT
    for position, row_steps in enumerate(steps):
        if row_steps is not NO_STEPS:
            longer[position] = True
    long = np.zeros(count, dtype=bool)
    for position in np.flatnonzero(longer):
        long[position] = _long(numbers[position])
    return long


def _long(numbers: Numbers | Row) -> bool:
    """True when an input has more significant digits than a float keeps exactly."""
    values = (numbers.a, numbers.u, numbers.b, numbers.w, numbers.pct)
    if numbers.k is not NO_STEPS:
        values += numbers.k
    # len(str(v)) first: the text holds every digit of the coefficient, so a short text settles it, and
    # str() is several times quicker than as_tuple()
    return any(v is not None and len(str(v)) > _SIGNIFICANT and len(v.as_tuple().digits) > _SIGNIFICANT
               for v in values)


def _from_frame(frame: pd.DataFrame) -> Columns:
    def column(name: str, dtype: type) -> np.ndarray:
        return frame[name].to_numpy(dtype=dtype)

    return Columns(
        kind=column("kind", object), **{name: column(name, float) for name in (*_FLOATS, "side")},
        strict=column("strict", bool), li=column("li", bool), ui=column("ui", bool), linear=column("linear", bool),
        k=[column(f"k{k}", float) for k in range(MAX_STEPS)], s=[column(f"s{k}", float) for k in range(MAX_STEPS)],
        long=column("long", bool), exact=list(frame["exact"]),
    )


def score_table(frame: pd.DataFrame, rules: RuleSet) -> pd.DataFrame:
    """Add ``rule`` (its name), ``share`` (0–1), ``met``, ``over`` and ``cents`` (the score in 10^-decimals)."""
    scored = score_columns(_from_frame(frame), rules)
    return frame.assign(rule=scored.rule, share=scored.share, met=scored.met, over=scored.over, cents=scored.cents)


def score_columns(x: Columns, rules: RuleSet) -> Scored:
    """Decide every row with the rule book on the columns; re-decide in Decimal what floats cannot settle."""
    kind = x.kind
    chosen, share = decide_columns(kind, x)
    names = np.array([rule.name for rule in RULES], dtype=object)
    met_flags = np.array([rule.met is True for rule in RULES], dtype=bool)
    full = np.array([rule.met == "full" for rule in RULES], dtype=bool)
    met = met_flags[chosen] | (full[chosen] & (share >= 1))
    scale = 10**rules.decimals
    scaled = np.nan_to_num(x.w) * share * scale
    cents = np.floor(scaled + 0.5)
    near_tie = np.abs(scaled - np.floor(scaled) - 0.5) < 1e-7
    threshold = float(rules.over_threshold)
    higher, lower = kind == "higher", kind == "lower"
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(higher, x.b / x.a, np.where(lower, x.a / x.b, np.nan))
    over = met & (higher | lower) & (ratio >= threshold) & np.where(higher, x.a > 0, x.b > 0)
    near_over = np.abs(ratio - threshold) < 1e-9
    exact_kind = np.zeros(len(kind), dtype=bool)
    for name in EXACT_KINDS:
        exact_kind |= kind == name
    again = np.flatnonzero(near_tie | near_over | x.long | exact_kind)
    rule_names = names[chosen]
    for position in again:
        numbers = x.exact[position]
        rule, exact_share = decide_exact(kind[position], numbers)
        rule_names[position] = rule.name
        share[position] = float(exact_share)
        met[position] = is_met(rule, exact_share)
        cents[position] = int(round_half_up(numbers.w * exact_share, rules.decimals).scaleb(rules.decimals))
        over[position] = met[position] and _over_exactly(kind[position], numbers, rules.over_threshold)
    return Scored(rule_names, share, met, over, cents.astype(np.int64))


def _over_exactly(kind: str, numbers: Numbers | Row, threshold: Decimal) -> bool:
    a, b = numbers.a, numbers.b
    if kind == "higher" and a is not None and b is not None and a > 0:
        return b >= threshold * a
    if kind == "lower" and a is not None and b is not None and b > 0:
        return a >= threshold * b
    return False
