"""Exact decimal helpers: rounding half up (as the rules say), never Python's round-half-even."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

__all__ = ["fmt", "plain", "round_half_up", "to_decimal"]

_QUANTA = {places: Decimal(1).scaleb(-places) for places in range(0, 9)}


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


def fmt(value: Decimal | None, places: int | None = None) -> str:
    """Format a Decimal for Chinese text: no exponent, trailing zeros dropped unless ``places`` is given."""
    if value is None:
        return "—"
    if places is not None:
        return f"{round_half_up(value, places):f}"
    text = f"{value.normalize():f}" if value != 0 else "0"
    return text
