"""Unit vocabulary and exact conversion for indicator values (元/万元/亿元, %, 次/个/人/份 …).

Units are plain strings. ``normalise_unit`` gives one canonical spelling per unit:

* percent: ``％``, ``百分比``, ``百分率`` → ``%``; ``个百分点`` → ``百分点`` (a difference, kept apart);
* rates per population: ``‰`` (``/千``, ``每千人``, ``千分比``), ``‱`` (``/万``, ``每万人``, ``万分比``), ``/10万``
  (``/十万``, ``每10万人``), ``/百万``: with ``%`` one family of proportions, converted exactly
  (1‱ = 10/10万; 8/10万 = 0.008%);
* money: ``元 千元 万元 亿元``; a bare ``万`` / ``亿`` after a number is money (``万元`` / ``亿元``);
* time: ``日`` → ``天``, ``月`` → ``个月`` (a bare ``N月`` value is a month, read by values.py as a
  deadline, so a duration in months is always spelled ``个月``), ``个工作日`` → ``工作日``;
* composite units are split on ``/`` (full-width ``／`` and ``每`` become ``/``); each part is
  normalised on its own, so ``万/人`` → ``万元/人``. ``*`` and ``·`` are kept as written
  (``元/人*月``, ``元/人·月``);
* a trailing parenthesised remark is dropped when there is a unit before it (``%(百分比)`` → ``%``);
  a unit written only in parentheses is used (``(个)`` → ``个``);
* anything unknown is returned stripped, as written: units are never rejected.

Conversion is exact (``Decimal``, never float) and only between units of one family
(money, proportions (%, ‰, ‱, /10万, /百万), 亩/万亩, 平方米/公顷/平方公里, 米/公里/千米, weights, durations, and
``万``/``亿`` multiples of a count unit). 亩 ↔ 平方米 is not exact and is not converted.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Context, Decimal, Inexact, InvalidOperation, Overflow, Underflow, localcontext
from functools import lru_cache

__all__ = ["RATE_UNITS", "SIMPLE_UNITS", "convert", "in_unit", "money_factor", "normalise_unit", "same_dimension",
           "unit_kind"]

_ALIASES: dict[str, str] = {
    "％": "%", "百分比": "%", "百分率": "%", "百分之": "%", "pct": "%",
    "个百分点": "百分点", "千分比": "‰", "千分率": "‰", "万分比": "‱", "万分率": "‱",
    "万": "万元", "亿": "亿元", "百万": "百万元", "千万": "千万元", "圆": "元",
    "日": "天", "月": "个月", "个小时": "小时", "个工作日": "工作日", "个季度": "季度",
    "星期": "周", "个星期": "周", "周岁": "岁",
    "平方千米": "平方公里", "km2": "平方公里", "平米": "平方米", "m2": "平方米", "m²": "平方米",
    "km": "公里", "m": "米", "kg": "千克", "公斤": "千克",
}

_MONEY: dict[str, Decimal] = {
    "元": Decimal(1), "千元": Decimal(10) ** 3, "万元": Decimal(10) ** 4, "十万元": Decimal(10) ** 5,
    "百万元": Decimal(10) ** 6, "千万元": Decimal(10) ** 7, "亿元": Decimal(10) ** 8,
}
_PERCENT = {"%", "‰", "‱", "/10万", "/百万", "百分点"}
# "/10万", "每10万人", "/万人": a rate per population, written after the number ("8/10万")
_PER = re.compile(r"^(?:/|每)(?P<base>10万|十万|100000|1万|万|10000|千|1000|百万|100万)(?:人口|人次|人|例|户)?$")
_PER_UNITS = {"10万": "/10万", "十万": "/10万", "100000": "/10万", "1万": "‱", "万": "‱", "10000": "‱",
              "千": "‰", "1000": "‰", "百万": "/百万", "100万": "/百万"}
_COUNT = {
    "次", "场", "个", "人", "人次", "户", "户次", "份", "项", "件", "例", "起", "篇", "种", "本", "辆",
    "台", "套", "家", "所", "座", "处", "条", "批", "期", "名", "位", "只", "头", "株", "棵", "吨",
    "期次", "支", "张", "册", "部", "间", "栋", "幢", "块", "根", "架", "艘", "座次", "课时", "学时",
    "班", "队", "组", "村", "乡镇", "个村", "所学校", "分", "千克", "克", "斤", "公斤", "立方米", "方",
    "盏", "眼", "口", "亩次", "门", "节", "集", "期刊", "场次", "批次", "人天", "人日", "篇次", "人月",
}
_TIME = {"天", "年", "半年", "个月", "小时", "周", "工作日", "分钟", "季度", "岁", "秒"}
_AREA = {"亩", "万亩", "平方米", "万平方米", "公顷", "平方公里"}
_LENGTH = {"米", "公里", "千米", "厘米", "毫米"}

# Families of units that convert exactly into each other: unit → factor in the family's base.
_FAMILIES: tuple[dict[str, Decimal], ...] = (
    _MONEY,
    {"/百万": Decimal(1), "/10万": Decimal(10), "‱": Decimal(100), "‰": Decimal(1000), "%": Decimal(10000)},
    {"亩": Decimal(1), "万亩": Decimal(10) ** 4},
    {"平方米": Decimal(1), "万平方米": Decimal(10) ** 4, "公顷": Decimal(10) ** 4,
     "平方公里": Decimal(10) ** 6},
    {"毫米": Decimal(1), "厘米": Decimal(10), "米": Decimal(10) ** 3, "公里": Decimal(10) ** 6,
     "千米": Decimal(10) ** 6},
    {"克": Decimal(1), "斤": Decimal(500), "千克": Decimal(10) ** 3, "吨": Decimal(10) ** 6,
     "万吨": Decimal(10) ** 10},
    {"秒": Decimal(1), "分钟": Decimal(60), "小时": Decimal(3600), "天": Decimal(86400),
     "周": Decimal(604800)},
    {"个月": Decimal(1), "季度": Decimal(3), "半年": Decimal(6), "年": Decimal(12)},
)
_PERIODS = (len(_FAMILIES) - 2, len(_FAMILIES) - 1)  # the two time families: seconds … weeks, months … years
RATE_UNITS = frozenset({"%", "‰", "‱", "/10万", "/百万"})  # proportions, convertible into each other
_SCALE = {"万": Decimal(10) ** 4, "亿": Decimal(10) ** 8}
_PAREN_TAIL = re.compile(r"^(?P<head>.*?)\((?P<inner>[^()]*)\)$")


def _clean(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw.replace("㎡", "m2"))
    return re.sub(r"[\s\u200b-\u200f\ufeff]+", "", text)


def _alias(part: str) -> str:
    lowered = part.lower() if part.isascii() else part
    return _ALIASES.get(lowered, part)


@lru_cache(maxsize=4096)
def normalise_unit(raw: str) -> str:
    """Return the canonical spelling of a unit; unknown units come back stripped, as written."""
    text = _clean(raw)
    while (match := _PAREN_TAIL.match(text)) is not None:
        head, inner = match["head"], match["inner"]
        if head:
            text = head  # "%(百分比)", "元(含)": the remark in parentheses is dropped
        else:
            text = inner  # "(个)": the unit is only in the parentheses
            if not inner:
                break
    if not text:
        return ""
    if per := _PER.match(text):
        return _PER_UNITS[per["base"]]
    if "/" in text or ("每" in text and not text.startswith("每")):
        parts = [p for p in re.split(r"[/每]", text) if p]
        if not parts:
            return text
        head = _alias(parts[0])
        if head in ("万", "亿"):
            head += "元"
        # 次/月 stays 次/月: the 月 → 个月 and 日 → 天 spellings are for amounts, not for "per".
        return "/".join([head] + [p if p in ("月", "日") else _alias(p) for p in parts[1:]])
    return _alias(text)


def _split_scale(unit: str) -> tuple[Decimal, str] | None:
    """Split a "万人" / "亿人次" style unit into (10000, "人"), when the rest is a count unit."""
    if len(unit) > 1 and unit[0] in _SCALE and unit[1:] in _COUNT:
        return _SCALE[unit[0]], unit[1:]
    return None


def unit_kind(unit: str | None) -> str:
    """Return money, money-rate, percent, count, time, area, length, none (no unit) or other (unknown)."""
    if unit is None:
        return "none"
    canonical = normalise_unit(unit)
    if not canonical:
        return "none"
    if canonical in _PERCENT:
        return "percent"
    if "/" in canonical:
        return "money-rate" if canonical.split("/", 1)[0] in _MONEY else "other"
    for kind, vocabulary in (("money", _MONEY), ("percent", _PERCENT), ("count", _COUNT),
                             ("time", _TIME), ("area", _AREA), ("length", _LENGTH)):
        if canonical in vocabulary:
            return kind
    return "count" if _split_scale(canonical) else "other"


def money_factor(unit: str | None) -> Decimal | None:
    """Return how many 元 one unit is (元 1, 万元 10000 …); for 万元/人 the factor of 万元; else None."""
    if unit is None:
        return None
    canonical = normalise_unit(unit)
    return _MONEY.get(canonical.split("/", 1)[0] if "/" in canonical else canonical)


def _family_factor(unit: str) -> tuple[int | str, Decimal] | None:
    """Return (family key, factor) for a canonical unit, or None when it converts to nothing else."""
    for index, family in enumerate(_FAMILIES):
        if unit in family:
            return index, family[unit]
    scaled = _split_scale(unit)
    if scaled is not None:
        return "count:" + scaled[1], scaled[0]
    if unit in _COUNT:
        return "count:" + unit, Decimal(1)
    return None


def _factors(from_unit: str | None, to_unit: str | None) -> tuple[Decimal, Decimal] | None:
    source = normalise_unit(from_unit) if from_unit is not None else ""
    target = normalise_unit(to_unit) if to_unit is not None else ""
    if source == target:
        return Decimal(1), Decimal(1)
    if not source or not target:
        return None
    if source in RATE_UNITS and target in RATE_UNITS:
        return _FAMILIES[1][source], _FAMILIES[1][target]
    if "/" in source or "/" in target:
        # Composite units convert through their money part, with the same denominators (元/人, 万元/人),
        # or through their period, with the same counted thing (12次/年 is 1次/月).
        head_from, _, rest_from = source.partition("/")
        head_to, _, rest_to = target.partition("/")
        if rest_from == rest_to and head_from in _MONEY and head_to in _MONEY:
            return _MONEY[head_from], _MONEY[head_to]
        if head_from == head_to and rest_from and rest_to:
            per_from = _family_factor(normalise_unit(rest_from))
            per_to = _family_factor(normalise_unit(rest_to))
            if per_from is not None and per_to is not None and per_from[0] == per_to[0] and per_from[0] in _PERIODS:
                return per_to[1], per_from[1]  # per year → per month: divide by the months of a year
        return None
    left, right = _family_factor(source), _family_factor(target)
    if left is None or right is None or left[0] != right[0]:
        return None
    return left[1], right[1]


def convert(number: Decimal, from_unit: str | None, to_unit: str | None, *, exact: bool = True) -> Decimal | None:
    """Convert ``number`` exactly from one unit to another; None when not convertible or not exact.

    Example: ``convert(Decimal("790.64"), "万元", "元") == Decimal("7906400")``. With ``exact=False`` a
    conversion that has no finite decimal (11个月 → 年) is given to 28 significant digits instead.
    """
    factors = _factors(from_unit, to_unit)
    if factors is None or not isinstance(number, Decimal) or not number.is_finite():
        return None
    numerator, denominator = factors
    if numerator == denominator:
        return number
    if not exact:
        with localcontext(Context(prec=28)):
            return (number * numerator / denominator).normalize()
    digits = len(number.as_tuple().digits) + 40
    context = Context(prec=digits, traps=[Inexact, InvalidOperation, Overflow, Underflow])
    try:
        with localcontext(context):
            result = (number * numerator / denominator).normalize()
            # normalize() writes 7906400 as 7.9064E+6; give integers their plain form back.
            return result.quantize(Decimal(1)) if result.as_tuple().exponent > 0 else result
    except (Inexact, InvalidOperation, Overflow, Underflow):
        return None


# Units written after a number that need no other reading: every known unit of one word, no suffix
# (以内, 左右) and no approximation (余, 多) in it. ``values`` reads "≥10次", "95%" directly with these.
SIMPLE_UNITS = frozenset(
    unit for unit in (*_MONEY, *_PERCENT, *_COUNT, *_TIME, *_AREA, *_LENGTH, "万", "亿", "百分比", "％")
    if "/" not in unit and not unit.startswith(("余", "多")) and not unit.endswith(("内", "上", "下", "右"))
)


def same_dimension(a: str | None, b: str | None) -> bool:
    """Return True when values in ``a`` and ``b`` can be compared exactly (equal or convertible units)."""
    return _factors(a, b) is not None


def in_unit(number: Decimal | None, unit: str | None, to_unit: str | None) -> Decimal | None:
    """Return ``number`` in ``to_unit``; a missing unit on either side is taken as the same unit."""
    if number is None:
        return None
    if unit is None or to_unit is None or unit == to_unit:
        return number
    return convert(number, unit, to_unit)
