"""Values written as a change from the previous year: "较上年增长10%", "同比下降5%", "提高2个百分点", "增长12%".

``split_relative`` recognises the wording of a change and returns how it is meant (``Relative``) with
the rest of the text ("10%", "不低于8%"), which ``values`` reads as an ordinary value. The number of
a relative value is the size of the change *in the direction its words name*: "同比下降5%" is a fall
of 5%, so that "下降3%" against it is 3 of the 5 asked for, and "增长2%" against it is a fall of −2%.

Three kinds of change (``Relative.kind``): ``ratio`` (a change in percent of last year's level,
"增长10%"), ``points`` (a difference of percentage points, "提高2个百分点") and ``amount`` (a difference
in the value's own unit, "较上年增加5个"; only with the words that name the previous year). A
relative target is compared with an actual written as a change directly, and with an actual written
as a level through the previous year's actual (scoring does that, never this module).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Relative", "split_relative", "with_unit"]


@dataclass(frozen=True)
class Relative:
    """How a value is a change: ``sense`` up (增长) or down (下降); ``kind`` ratio | points | amount."""

    sense: str  # "up" | "down"
    kind: str  # "ratio" | "points" | "amount"
    basis: str | None = None  # the previous period as written (较上年, 同比), None for a bare "增长12%"

    @property
    def word(self) -> str:
        """The Chinese word of the change: 增长 / 下降 for a ratio, 提高 / 降低 for points, 增加 / 减少."""
        words = {"ratio": ("增长", "下降"), "points": ("提高", "降低"), "amount": ("增加", "减少")}[self.kind]
        return words[0] if self.sense == "up" else words[1]

    def to_json(self) -> dict[str, str | None]:
        return {"sense": self.sense, "kind": self.kind, "basis": self.basis}


_BASIS = (r"(?P<basis>较上(?:一)?年度?|比上(?:一)?年度?|较去年|比去年|与上年相比|与去年相比|同比|较\d{4}年度?"
          r"|比\d{4}年度?|较上年同期|比上年同期)")
_UP, _DOWN = "增长|增加|提高|提升|上升|增", "下降|降低|减少|压减|压缩|下调|减"
_NOUN_UP = "增长率|增长幅度|增幅|增速|增长比例|提高幅度|提升幅度"
_NOUN_DOWN = "下降率|下降幅度|降幅|减幅|降低率|减少率|压减率|压减比例|降低幅度"
_VERB = re.compile(rf"{_BASIS}?(?:(?P<up>{_UP})|(?P<down>{_DOWN}))(?:了)?(?P<rest>(?![到至为]).+)")
_NOUN = re.compile(rf"{_BASIS}?(?:(?P<up>{_NOUN_UP})|(?P<down>{_NOUN_DOWN}))(?:为|达到|达)?(?P<rest>.+)")
# 不低于上年, 高于上年水平, 不超过上年: a change of 0 with a comparator
_LEVEL = re.compile(r"(?P<cmp>不低于|不少于|高于|超过|多于|不高于|不超过|不多于|低于|少于|持平于|等于|≥|≤|>|<|=)"
                    r"(?P<basis>上(?:一)?年度?|去年)(?:水平|同期水平|同期|实际|完成数|完成值)?")
_LEVEL_OPS = {"不低于": "≥", "不少于": "≥", "高于": ">", "超过": ">", "多于": ">", "不高于": "≤", "不超过": "≤",
              "不多于": "≤", "低于": "<", "少于": "<", "持平于": "=", "等于": "=", "≥": "≥", "≤": "≤", ">": ">",
              "<": "<", "=": "="}


def split_relative(text: str) -> tuple[Relative, str] | None:
    """Return (how the text is a change, the rest to read as a value), or None when it is not a change.

    ``text`` is normalised (no spaces, full-width folded). The rest keeps its comparator: "增幅不低于8%"
    gives "不低于8%". The kind is decided by the caller from the rest's unit (``with_unit``).
    """
    if level := _LEVEL.fullmatch(text):
        return Relative("up", "ratio", f"较{level['basis']}"), f"{_LEVEL_OPS[level['cmp']]}0%"
    for pattern in (_NOUN, _VERB):
        match = pattern.fullmatch(text)
        if match is None:
            continue
        rest = match["rest"]
        if not re.search(r"\d|[零一二两三四五六七八九十百半]", rest) or rest.startswith(("长", "加", "速")):
            return None  # 增长较快, 增加投入: words, not a change of a number
        return Relative("up" if match["up"] else "down", "ratio", match["basis"]), rest
    return None


def with_unit(relative: Relative, unit: str | None) -> Relative | None:
    """Settle the kind from the unit read in the rest: % → ratio, 百分点 → points, another unit → amount.

    An amount ("增加5个") is a change only when the words name the previous year ("较上年增加5个"):
    "新增5个" or "增加5个" alone is a number of new things, not a comparison. Returns None then.
    """
    if unit == "百分点":
        return Relative(relative.sense, "points", relative.basis)
    if unit == "%":
        return relative
    if relative.basis is None:
        return None
    return Relative(relative.sense, "amount", relative.basis)
