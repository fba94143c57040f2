"""The closed sets of the value language: comparators and forms (``Op``) and scoring directions (``Direction``).

Kept apart from ``values`` so that the modules that read parts of a value (``numbers``) and the value
itself can both use them; ``values`` re-exports them.
"""

from __future__ import annotations

from enum import Enum

__all__ = ["Direction", "Op"]


class Op(str, Enum):  # noqa: UP042 (other modules rely on the str mixin's behaviour)
    GE = ">="
    GT = ">"
    LE = "<="
    LT = "<"
    EQ = "="
    RANGE = "range"  # number..upper, ends inclusive unless stated
    DEADLINE = "deadline"  # 12月底前, 2023年12月31日前, 年内, 按时完成
    QUALITATIVE = "qualitative"  # text with no number: 有所提升, 效果明显, 良好
    EMPTY = "empty"  # "", "/", "无", "—", None
    UNREADABLE = "unreadable"  # has a number but cannot be understood (the note says why)


class Direction(str, Enum):  # noqa: UP042
    HIGHER = "higher"
    LOWER = "lower"
    EQUAL = "equal"
    QUALITATIVE = "qualitative"
    DEADLINE = "deadline"
    AMBIGUOUS = "ambiguous"

    @property
    def label(self) -> str:
        return _LABELS[self.value]


_LABELS = {"higher": "越高越好", "lower": "越低越好", "equal": "等于目标值", "qualitative": "定性",
           "deadline": "时限", "ambiguous": "方向不明"}
