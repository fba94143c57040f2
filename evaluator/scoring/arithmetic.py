"""The arithmetic of scoring, on whole columns: the share of points each prepared row earns.

``score_table`` works on numpy columns and rounds half up to the rule set's decimals; every row
whose float result lies within 1e-7 of a rounding tie is recomputed with ``exact_fraction`` in
Decimal, so that no score depends on float luck. ``exact_fraction`` is also the reference the
property tests hold the vectorised code to.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from evaluator.decimals import round_half_up

if TYPE_CHECKING:
    from evaluator.rules import RuleSet
    from evaluator.scoring.rows import Row

__all__ = ["exact_fraction", "rows_frame", "score_table"]


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
