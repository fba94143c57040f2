"""The arithmetic of scoring, on whole columns: which rule scores each row, and the points it earns.

``rows_frame`` turns prepared rows (of one department or of many) into one table of floats, with the
exact inputs of each row beside them (``Numbers``). ``score_table`` decides every row with the rule
book (``rulebook.decide_columns``) and rounds half up to the rule set's decimals. The floats settle a
row exactly when its inputs have at most 15 significant digits (then float comparisons are exact) and
its score is not within 1e-7 of a rounding tie; every other row, and every row whose rule does
arithmetic before comparing (a deduction per step), is decided again with the same rules in Decimal
(``rulebook.decide_exact``). The result records per row the rule's name, the share, whether the
target was met, over-achievement and the score in units of 10^-decimals.
"""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from evaluator.decimals import round_half_up
from evaluator.scoring.prepared import Numbers
from evaluator.scoring.rulebook import EXACT_KINDS, MAX_STEPS, RULES, decide_columns, decide_exact, is_met

if TYPE_CHECKING:
    from evaluator.rules import RuleSet
    from evaluator.scoring.prepared import Row

__all__ = ["frame_of", "rows_frame", "score_table"]

_FLOATS = ("a", "u", "b", "w", "pct", "l", "p", "d", "sb")
_SIGNIFICANT = 15  # a decimal with at most 15 significant digits round-trips through a float


def rows_frame(rows: list[Row]) -> pd.DataFrame:
    """Return the table the rule book works on: one row per indicator, floats and the exact Numbers."""
    return frame_of([r.kind for r in rows], [r.numbers() for r in rows])


def frame_of(kinds: list[str], numbers: list[Numbers]) -> pd.DataFrame:
    """The table of given kinds and exact inputs (``rows_frame`` and the tests build it this way)."""
    columns: dict[str, object] = {"kind": kinds}
    for name in _FLOATS:
        columns[name] = _floats([getattr(n, name) for n in numbers])
    for name in ("strict", "li", "ui", "linear"):
        columns[name] = np.array([getattr(n, name) for n in numbers], dtype=bool)
    columns["side"] = np.array([n.side for n in numbers], dtype=float)
    for k in range(MAX_STEPS):
        columns[f"k{k}"] = _floats([n.k[k] if k < len(n.k) else None for n in numbers])
        columns[f"s{k}"] = _floats([n.s[k] if k < len(n.s) else None for n in numbers])
    columns["long"] = np.array([_long(n) for n in numbers], dtype=bool)
    columns["exact"] = numbers
    return pd.DataFrame(columns)


def _floats(values: list[Decimal | None]) -> np.ndarray:
    return np.array([np.nan if v is None else float(v) for v in values], dtype=float)


def _long(numbers: Numbers) -> bool:
    """True when an input has more significant digits than a float keeps exactly."""
    values = (numbers.a, numbers.u, numbers.b, numbers.w, numbers.pct, *numbers.k)
    return any(v is not None and len(v.as_tuple().digits) > _SIGNIFICANT for v in values)


def _columns(frame: pd.DataFrame) -> SimpleNamespace:
    x = SimpleNamespace(**{name: frame[name].to_numpy(dtype=float) for name in (*_FLOATS, "side")})
    for name in ("strict", "li", "ui", "linear"):
        setattr(x, name, frame[name].to_numpy(dtype=bool))
    x.k = [frame[f"k{k}"].to_numpy(dtype=float) for k in range(MAX_STEPS)]
    x.s = [frame[f"s{k}"].to_numpy(dtype=float) for k in range(MAX_STEPS)]
    x.n = len(frame)
    return x


def score_table(frame: pd.DataFrame, rules: RuleSet) -> pd.DataFrame:
    """Add ``rule`` (its name), ``share`` (0–1), ``met``, ``over`` and ``cents`` (the score in 10^-decimals)."""
    kind = frame["kind"].to_numpy()
    x = _columns(frame)
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
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(kind == "higher", x.b / x.a, np.where(kind == "lower", x.a / x.b, np.nan))
    over = met & (kind != "two-sided") & np.isin(kind, ("higher", "lower")) & (ratio >= threshold) \
        & np.where(kind == "higher", x.a > 0, x.b > 0)
    near_over = np.abs(ratio - threshold) < 1e-9
    again = np.flatnonzero(near_tie | near_over | frame["long"].to_numpy() | np.isin(kind, tuple(EXACT_KINDS)))
    rule_names = names[chosen]
    if len(again):
        exact = frame["exact"].to_numpy()
        for position in again:
            numbers = exact[position]
            rule, exact_share = decide_exact(kind[position], numbers)
            rule_names[position] = rule.name
            share[position] = float(exact_share)
            met[position] = is_met(rule, exact_share)
            cents[position] = int(round_half_up(numbers.w * exact_share, rules.decimals).scaleb(rules.decimals))
            over[position] = met[position] and _over_exactly(kind[position], numbers, rules.over_threshold)
    return frame.assign(rule=rule_names, share=share, met=met, over=over, cents=cents.astype(np.int64))


def _over_exactly(kind: str, numbers: Numbers, threshold: Decimal) -> bool:
    a, b = numbers.a, numbers.b
    if kind == "higher" and a is not None and b is not None and a > 0:
        return b >= threshold * a
    if kind == "lower" and a is not None and b is not None and b > 0:
        return a >= threshold * b
    return False
