"""How numbers and empty values read in the report: the one place that formats them.

Every function takes ``None`` and returns a visible dash or placeholder, never an empty string,
so a missing number is never mistaken for a blank cell. They are registered as jinja filters.
"""

from __future__ import annotations

from decimal import Decimal

from evaluator.decimals import fmt, round_half_up

__all__ = ["FILTERS", "money", "percent", "points", "score", "text_or"]

DASH = "—"
NOT_FILLED = "未填写"
NOT_EXPLAINED = "未说明"


def score(value: Decimal | None, places: int = 2) -> str:
    """Return a score with the rule set's decimals, as the 自评表 prints it: ``12.50``."""
    return fmt(value, places)


def points(value: Decimal | None) -> str:
    """Return a 分值 without trailing zeros: ``12.5``, ``10``."""
    return fmt(value)


def money(value: Decimal | None) -> str:
    """Return an amount with at least two decimals (``36.00``, ``790.64``), more when the file has more."""
    if value is None:
        return DASH
    exponent = value.normalize().as_tuple().exponent
    places = max(2, -exponent) if isinstance(exponent, int) else 2
    return fmt(value, places)


def percent(fraction: Decimal | float | None, places: int = 2) -> str:
    """Return a fraction as a percentage with fixed decimals: 0.983 → ``98.30%``."""
    if fraction is None:
        return DASH
    value = fraction if isinstance(fraction, Decimal) else Decimal(repr(fraction))
    return f"{round_half_up(value * 100, places):f}%"


def text_or(value: str | None, placeholder: str = NOT_FILLED) -> str:
    """Return the text, or the placeholder when it is missing or blank."""
    if value is None or not str(value).strip():
        return placeholder
    return str(value)


FILTERS = {
    "score": score,
    "points": points,
    "money": money,
    "percent": percent,
    "text_or": text_or,
}
