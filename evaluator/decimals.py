"""Exact decimal helpers: rounding half up (as the rules say), never Python's round-half-even."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

__all__ = ["MAX_NUMBER", "MIN_NUMBER", "RANGE_TEXT", "fmt", "in_range", "plain", "round_half_up", "to_decimal"]

_QUANTA = {places: Decimal(1).scaleb(-places) for places in range(0, 9)}
# The numbers the tool computes with: 0, or a magnitude from a millionth to a thousand million million.
# A budget or an indicator value outside is a typing error (1e400, 0.0000000001); refusing it where it is
# read keeps every ratio and rounding within the 28 digits of Decimal's context (1e15 / 1e-6 = 1e21).
MAX_NUMBER = Decimal("1e15")
MIN_NUMBER = Decimal("1e-6")
RANGE_TEXT = "应为 0，或绝对值在 0.000001 到 10¹⁵（千万亿）之间"


def in_range(value: Decimal) -> bool:
    """True for a finite number the tool can compute with exactly (0, or MIN_NUMBER ≤ |value| < MAX_NUMBER)."""
    return value.is_finite() and (value == 0 or MIN_NUMBER <= abs(value) < MAX_NUMBER)


def round_half_up(value: Decimal, places: int = 2) -> Decimal:
    """Round to ``places`` decimals, halves away from zero (0.125 → 0.13), as the rule sets require."""
    return value.quantize(_QUANTA[places], rounding=ROUND_HALF_UP)


def to_decimal(value: float | int | str | Decimal) -> Decimal:
    """Return a Decimal from a float through its shortest repr, so 0.1 becomes Decimal('0.1')."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(repr(value))
    return Decimal(value)


def plain(value: Decimal | None) -> int | float | None:
    """Return a JSON number for a Decimal: an int when integral, else a float of its exact text."""
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


REPEATING = 20  # more decimal places than any figure written by hand: a quotient carried at full precision


def fmt(value: Decimal | None, places: int | None = None) -> str:
    """Format a Decimal for Chinese text: no exponent, trailing zeros dropped unless ``places`` is given."""
    if value is None:
        return "—"
    if places is not None:
        return f"{round_half_up(value, places):f}"
    text = f"{value.normalize():f}" if value != 0 else "0"
    if "." in text and len(text) - text.index(".") > REPEATING:
        # a quotient with no finite decimal (11个月 is 0.91666…年), carried at 28 digits: shown as about 4 places
        return "约" + f"{round_half_up(value, 4).normalize():f}"
    return text
