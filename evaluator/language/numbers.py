"""Numbers, units and comparators inside a value: "≥10次", "90%以上", "约500人", "90%-95%", "≥90%且≤100%".

``single`` reads comparator + approximation + number + unit + suffix; ``simple`` reads the commonest
of those forms directly (a sign, a number, a plain unit) with the same result; ``range`` and
``bounds`` read two numbers. Each returns the fields of a ``values.Value`` or raises ``Unreadable``
with the reason in Chinese. The text is already normalised (``values``).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from evaluator.decimals import RANGE_TEXT, in_range
from evaluator.language import units
from evaluator.language.kinds import Op

__all__ = ["SIGNS", "SINGLE_FORM", "Unreadable", "bounds", "cn_number", "plain", "range_of", "simple", "single"]

SIGNS = {Op.GE: "≥", Op.GT: ">", Op.LE: "≤", Op.LT: "<", Op.EQ: "="}


class Unreadable(Exception):
    """Raised inside the parser with the Chinese reason a value cannot be read."""



def plain(number: Decimal) -> str:
    return str(int(number)) if number == number.to_integral_value() else format(number.normalize(), "f")


# --- Lexicon (rules.md §1.7). Alternations put longer words first, so 不低于 wins over 低于. ----------

_PREFIXES: dict[str, Op | None] = {
    **dict.fromkeys(("≥", "大于等于", "大于或等于", "不低于", "不少于", "不小于", "至少", "达到", "达",
                     "最少", "最低", "力争达到", "确保达到", "力争", "确保"), Op.GE),
    **dict.fromkeys((">", "超过", "高于", "多于", "大于"), Op.GT),
    **dict.fromkeys(("≤", "小于等于", "小于或等于", "不高于", "不超过", "不多于", "不大于", "最多", "最高",
                     "控制在"), Op.LE),
    **dict.fromkeys(("<", "低于", "少于", "不足", "不满", "小于"), Op.LT),
    **dict.fromkeys(("=", "等于"), Op.EQ),
    # Words that introduce a number without comparing it.
    **dict.fromkeys(("完成", "实际完成", "实现", "共", "共计", "合计", "累计", "全年", "为", "发生", "共发生", "已完成",
                     "共完成", "累计完成", "全年完成", "全年共", "已"), None),
    # "共开展12次", "全年召开10次", "累计举办3期": an activity verb, with or without a word of total before it
    **dict.fromkeys((lead + verb for lead in ("", "共", "共计", "累计", "全年", "全年共", "已", "实际")
                     for verb in ("开展", "召开", "举办", "举行", "组织", "组织开展", "培训", "检查", "走访", "接待",
                                  "受理", "办理", "办结", "发放", "拨付", "支付", "下达", "印发", "出台", "编制",
                                  "建成", "完成了", "开展了", "召开了", "举办了")), None),
}
_SUFFIXES: dict[str, Op | None] = {  # None marks an approximation
    **dict.fromkeys(("以上", "及以上", "或以上"), Op.GE),
    **dict.fromkeys(("以下", "及以下", "或以下", "以内", "之内", "内"), Op.LE),
    **dict.fromkeys(("左右", "上下"), None),
}
_SUFFIX_ORDER = sorted(_SUFFIXES, key=len, reverse=True)
_SUFFIX_AT_END = re.compile("(?:" + "|".join(re.escape(w) for w in _SUFFIX_ORDER) + ")$")
_APPROX = ("约为", "大约", "大概", "约", "将近", "接近", "近")
_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_NUM = r"(?:-?(?:\d+(?:\.\d*)?|\.\d+)|[零〇一二两三四五六七八九十百千半]+)"
SINGLE_FORM = re.compile(rf"(?P<pre>{_alternation(_PREFIXES)})?(?P<approx>{_alternation(_APPROX)})?"
                     rf"(?P<num>{_NUM})(?P<rest>.*)", re.S)
_RANGE = re.compile(rf"(?:在|介于|控制在|保持在|维持在|处于)?(?P<approx>约|大约)?(?P<a>{_NUM})"
                    rf"(?P<ua>[^\d~\-至到]*?)(?:-|~|至|到)(?P<b>{_NUM})(?P<ub>[^\d]*?)"
                    r"(?:之间|间|范围内|区间内)?", re.S)
_JOINERS = re.compile(r"并且|而且|同时|且|,|;|、|和|与|(?=≤|<|小于|低于|不超过|不高于|不大于)")
_UNIT_BAD = re.compile(r"[\d<>=≥≤~\-()]|以上|以下|以内|超过|不少于|不低于|不超过|前$|后$|^月.")

# --- Numbers -------------------------------------------------------------------------------------------

def cn_number(token: str) -> Decimal | None:
    """Read a small Chinese numeral (十二, 两, 三千五百, 二〇二三, 半); None when it is not one."""
    if "半" in token:
        return Decimal("0.5") if token == "半" else None
    if all(c in _CN_DIGITS for c in token):
        return Decimal("".join(str(_CN_DIGITS[c]) for c in token))
    total, digit, last_unit, zero_seen = 0, None, 10**9, False
    for char in token:
        if char in _CN_UNITS:
            unit = _CN_UNITS[char]
            if unit >= last_unit or (digit is None and total):
                return None
            total, digit, last_unit, zero_seen = total + (digit or 1) * unit, None, unit, False
        elif _CN_DIGITS[char] == 0:
            zero_seen = True
        elif digit is not None:
            return None
        else:
            digit = _CN_DIGITS[char]
    if digit is not None:  # 一千二 is 1200, 一千零二 is 1002
        total += digit * (last_unit // 10 if 10 < last_unit < 10**9 and not zero_seen else 1)
    return Decimal(total)


def _number(token: str) -> tuple[Decimal, str | None]:
    """Return the number and, for a Chinese numeral, a note saying how it was read."""
    if token[-1].isdigit() or token[-1] == ".":
        try:
            number = Decimal(token)
        except InvalidOperation:
            raise Unreadable(f"数字“{token}”格式有误") from None
        if not in_range(number):
            raise Unreadable(f"数值“{token}”超出可处理的范围（{RANGE_TEXT}）")
        return number, None
    number = cn_number(token)
    if number is None:
        raise Unreadable(f"中文数字“{token}”无法理解")
    if not in_range(number):
        raise Unreadable(f"中文数字“{token}”超出可处理的范围（{RANGE_TEXT}）")
    return number, f"中文数字“{token}”按{plain(number)}理解"


def _unit(rest: str, chinese: bool) -> str | None:
    """Return the canonical unit written after a number (None when none is written)."""
    if not rest:
        return None
    unit = units.normalise_unit(rest)
    if unit in units.RATE_UNITS:
        return unit  # "/10万" has digits, and is still a unit
    unknown = units.unit_kind(unit) == "other"
    if _UNIT_BAD.search(rest) or (unknown and (chinese or any(len(p) > 4 for p in unit.split("/")))):
        raise Unreadable(f"数值后的“{rest}”不像单位")
    return unit or None


# --- One value, a range, two bounds -------------------------------------------------------------------

def _combine(first: Op | None, second: Op | None) -> Op | None:
    if first is None or second is None or first is second:
        return first or second
    if ((first in (Op.GE, Op.GT)) == (second in (Op.GE, Op.GT))) and Op.EQ not in (first, second):
        return first  # 超过90%以上: the words agree on the side; the first one decides
    raise Unreadable(f"比较符前后矛盾（“{SIGNS[first]}”与“{SIGNS[second]}”）")


def single(text: str) -> dict:
    """Read comparator + approximation + number + unit + suffix; return the fields of a Value."""
    match = SINGLE_FORM.fullmatch(text)
    if match is None:
        raise Unreadable("未找到“比较符+数值+单位”的写法")
    number, note = _number(match["num"])
    chinese, approximate, rest = note is not None, bool(match["approx"]), match["rest"]
    exclusive, suffix_op = False, None
    if rest[:1] == "." and rest[1:2].isdigit():
        raise Unreadable("数字格式有误（小数点多于一个）")
    if rest[:1] in ("余", "多"):  # 500余人, 500多人
        approximate, rest = True, rest[1:]
    inners: list[str] = []
    if "(" in rest:
        inners, rest = re.findall(r"\(([^()]*)\)", rest), re.sub(r"\([^()]*\)", "", rest)
    while (found := _SUFFIX_AT_END.search(rest)) is not None:
        word = found[0]
        rest = rest[: -len(word)]
        if _SUFFIXES[word] is None:
            approximate = True
        else:
            suffix_op = _combine(_SUFFIXES[word], suffix_op)
    for inner in inners:  # "%(百分比)", "(个)", "90%以上(不含)"
        if inner == "不含":
            exclusive = True
        elif not rest:
            rest = inner
        elif inner not in ("含", "含本数") and units.normalise_unit(inner) != units.normalise_unit(rest):
            note = f"括号中的“{inner}”未使用"
    if len(rest) >= 2 and rest.endswith(("完成", "完工", "到位", "办结")):  # 100%完成: the verb is not the unit
        rest = rest[:-2]
    if len(rest) >= 2 and rest[0] in "万千百亿" and rest[1] in "余多":  # 5万余元
        approximate, rest = True, rest[0] + rest[2:]
    unit = _unit(rest, chinese)
    op = _combine(_PREFIXES.get(match["pre"] or ""), suffix_op)
    if exclusive and op in (Op.GE, Op.LE):
        op = Op.GT if op is Op.GE else Op.LT
    return {"op": op or Op.EQ, "number": number, "unit": unit, "approximate": approximate,
            "explicit_op": op is not None, "note": note}


_SIMPLE = re.compile(r"(?P<sign>[≥≤<>=])?(?P<num>-?\d+(?:\.\d+)?)(?P<unit>[^\d\-~.至到,;、和与()]{0,6})")
_SIGN_OPS = {"≥": Op.GE, "≤": Op.LE, ">": Op.GT, "<": Op.LT, "=": Op.EQ}
_SIMPLE_UNITS = units.SIMPLE_UNITS


def simple(text: str) -> dict | None:
    """The commonest form, read directly: an optional sign, a number, a plain known unit ("≥10次", "95%").

    It gives exactly what ``_single`` gives for the same text (a property test holds it to that); the
    others (words, suffixes, ranges, approximations) take the general path.
    """
    match = _SIMPLE.fullmatch(text)
    if match is None or (match["unit"] and match["unit"] not in _SIMPLE_UNITS):
        return None
    number = Decimal(match["num"])
    if not in_range(number):
        return None  # the general path says why
    op = _SIGN_OPS.get(match["sign"] or "")
    return {"op": op or Op.EQ, "number": number, "unit": units.normalise_unit(match["unit"]) or None,
            "approximate": False, "explicit_op": op is not None, "note": None}


def range_of(text: str) -> dict | None:
    """Read "90%-100%", "90-95%", "90%至95%", "在3-5天之间"; None when the text is not a range."""
    match = _RANGE.fullmatch(text)
    if match is None:
        return None
    (low, note_low), (high, note_high) = _number(match["a"]), _number(match["b"])
    chinese = bool(note_low or note_high)
    unit_low, unit_high = _unit(match["ua"], chinese), _unit(match["ub"], chinese)
    note = note_low or note_high
    if unit_low and unit_high and unit_low != unit_high:
        low = units.convert(low, unit_low, unit_high)
        if low is None:
            raise Unreadable(f"区间两端单位不一致（“{unit_low}”与“{unit_high}”）")
    if low > high:
        low, high, note = high, low, "区间上下限写反，已按从小到大理解"
    return {"op": Op.RANGE, "number": low, "upper": high, "unit": unit_high or unit_low,
            "approximate": bool(match["approx"]), "explicit_op": True, "note": note}


def bounds(text: str) -> dict | None:
    """Read "≥90%且≤100%", ">90%,<=100%", "大于5人小于10人" as a range with its inclusive ends."""
    for joiner in _JOINERS.finditer(text):
        try:
            low, high = single(text[: joiner.start()]), single(text[joiner.end():])
        except Unreadable:
            continue
        if low["op"] in (Op.LE, Op.LT):
            low, high = high, low
        unit = high["unit"] or low["unit"]
        number = units.convert(low["number"], low["unit"] or unit, unit)
        if low["op"] in (Op.GE, Op.GT) and high["op"] in (Op.LE, Op.LT) and number is not None \
                and number <= high["number"]:
            return {"op": Op.RANGE, "number": number, "upper": high["number"], "unit": unit,
                    "approximate": low["approximate"] or high["approximate"], "explicit_op": True,
                    "lower_inclusive": low["op"] is Op.GE, "upper_inclusive": high["op"] is Op.LE,
                    "note": low["note"] or high["note"]}
    return None


