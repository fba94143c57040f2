"""The indicator-value language: every 指标值 and 实际完成值 → ``Value`` (op, number, unit | tier).

``parse_value`` never raises. Text is normalised first (NFKC; ≧ ≦ ═ ﹦ >= <= → ≥ ≤ =; spaces and
thousands separators removed), then read in this order: empty, a deadline, a range ("90%-100%"),
two bounds ("≥90%且≤100%"), one value (comparator + number + unit + 以上/以下/左右). Text with
no Arabic digit that none of these read is qualitative; text with one is unreadable, with a note
saying why. Numbers are always ``Decimal``. Scoring is elsewhere (rules.md §1.3, §1.4, §1.7).
"""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum
from functools import lru_cache

from evaluator.decimals import RANGE_TEXT, in_range
from evaluator.language import units

__all__ = ["Deadline", "Direction", "Op", "Tier", "Value", "describe", "parse_value", "tier_of_text"]


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


class Tier(str, Enum):  # noqa: UP042
    MET = "达成"
    PARTIAL = "部分达成"
    UNMET = "未达成"


@dataclass(frozen=True)
class Deadline:
    """A completion date; ``month`` None means no date (按时完成), ``day`` None the end of the month."""

    year: int | None
    month: int | None
    day: int | None

    def as_date(self, default_year: int) -> datetime.date | None:
        if self.month is None:
            return None
        year = self.year or default_year
        last = calendar.monthrange(year, self.month)[1]
        return datetime.date(year, self.month, min(self.day or last, last))


_NUMERIC_OPS = (Op.GE, Op.GT, Op.LE, Op.LT, Op.EQ, Op.RANGE)
_SIGNS = {Op.GE: "≥", Op.GT: ">", Op.LE: "≤", Op.LT: "<", Op.EQ: "="}


@dataclass(frozen=True)
class Value:
    """One parsed value. ``text`` is exactly as written; ``explicit_op`` is False for a bare "100%"."""

    text: str
    op: Op
    number: Decimal | None = None  # the number; the lower bound of a range
    upper: Decimal | None = None  # the upper bound of a range
    unit: str | None = None  # canonical (units.normalise_unit); None when no unit is written
    approximate: bool = False  # 约500人, 500余人, 500人左右, 500多人
    explicit_op: bool = False
    lower_inclusive: bool = True  # the ends of a range; GT/LT carry their strictness in op
    upper_inclusive: bool = True
    tier: Tier | None = None  # when the text names one (达成预期指标, 部分达成, 未完成, 良好 …)
    deadline: Deadline | None = None
    note: str | None = None  # Chinese: why it is unreadable, or what was assumed

    @property
    def qualitative(self) -> bool:
        return self.op is Op.QUALITATIVE or (
            self.op is Op.DEADLINE and (self.deadline is None or self.deadline.month is None))

    @property
    def is_numeric(self) -> bool:
        return self.op in _NUMERIC_OPS and self.number is not None

    def to_json(self) -> dict:
        """Return the "parsed" object of the JSON result, e.g. {"op": ">=", "value": 10, "unit": "次"}."""
        out: dict = {"op": self.op.value, "value": _json_number(self.number), "unit": self.unit}
        if self.upper is not None:
            out["upper"] = _json_number(self.upper)
        if self.op is Op.RANGE and not (self.lower_inclusive and self.upper_inclusive):
            out["lower_inclusive"], out["upper_inclusive"] = self.lower_inclusive, self.upper_inclusive
        if self.approximate:
            out["approximate"] = True
        if self.tier is not None:
            out["tier"] = self.tier.value
        if (d := self.deadline) is not None and d.month is not None:
            if d.year is not None:
                out["deadline"] = d.as_date(d.year).isoformat()  # end of month when no day is written
            else:  # no year written: the end of the month in a common year
                out["deadline"] = f"{d.month:02d}-{d.day or calendar.monthrange(2001, d.month)[1]:02d}"
        if self.note:
            out["note"] = self.note
        return out

    def format(self) -> str:
        """Return the canonical text; ``parse_value(v.format())`` equals v except for text and note."""
        unit, approx = self.unit or "", "约" if self.approximate else ""
        if self.op is Op.RANGE and self.number is not None and self.upper is not None:
            low, high = _plain(self.number) + unit, _plain(self.upper) + unit
            if self.lower_inclusive and self.upper_inclusive:
                return f"{approx}{low}-{high}"
            lower, upper = "≥" if self.lower_inclusive else ">", "≤" if self.upper_inclusive else "<"
            return f"{lower}{approx}{low}且{upper}{high}"
        if self.op in _SIGNS and self.number is not None:
            sign = _SIGNS[self.op] if self.explicit_op else ""
            return f"{sign}{approx}{_plain(self.number)}{unit}"
        if self.op is Op.DEADLINE and (d := self.deadline) is not None and d.month is not None:
            year = f"{d.year}年" if d.year else ""
            return f"{year}{d.month}月底前" if d.day is None else f"{year}{d.month}月{d.day}日前"
        return "" if self.op is Op.EMPTY else self.text


def _plain(number: Decimal) -> str:
    return str(int(number)) if number == number.to_integral_value() else format(number.normalize(), "f")


def _json_number(number: Decimal | None) -> int | float | None:
    if number is None:
        return None
    return int(number) if number == number.to_integral_value() else float(number)


# --- Lexicon (rules.md §1.7). Alternations put longer words first, so 不低于 wins over 低于. ----------

_PREFIXES: dict[str, Op | None] = {
    **dict.fromkeys(("≥", "大于等于", "大于或等于", "不低于", "不少于", "不小于", "至少", "达到", "达",
                     "最少", "最低"), Op.GE),
    **dict.fromkeys((">", "超过", "高于", "多于", "大于"), Op.GT),
    **dict.fromkeys(("≤", "小于等于", "小于或等于", "不高于", "不超过", "不多于", "不大于", "最多", "最高",
                     "控制在"), Op.LE),
    **dict.fromkeys(("<", "低于", "少于", "不足", "不满", "小于"), Op.LT),
    **dict.fromkeys(("=", "等于"), Op.EQ),
    # Words that introduce a number without comparing it.
    **dict.fromkeys(("完成", "实际完成", "实现", "共", "共计", "合计", "累计", "全年", "为"), None),
}
_SUFFIXES: dict[str, Op | None] = {  # None marks an approximation
    **dict.fromkeys(("以上", "及以上", "或以上"), Op.GE),
    **dict.fromkeys(("以下", "及以下", "或以下", "以内", "之内", "内"), Op.LE),
    **dict.fromkeys(("左右", "上下"), None),
}
_SUFFIX_ORDER = sorted(_SUFFIXES, key=len, reverse=True)
_APPROX = ("约为", "大约", "大概", "约", "将近", "接近", "近")
_CN_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def _alternation(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_NUM = r"(?:-?(?:\d+(?:\.\d*)?|\.\d+)|[零〇一二两三四五六七八九十百千半]+)"
_SINGLE = re.compile(rf"(?P<pre>{_alternation(_PREFIXES)})?(?P<approx>{_alternation(_APPROX)})?"
                     rf"(?P<num>{_NUM})(?P<rest>.*)", re.S)
_RANGE = re.compile(rf"(?:在|介于|控制在|保持在|维持在|处于)?(?P<approx>约|大约)?(?P<a>{_NUM})"
                    rf"(?P<ua>[^\d~\-至到]*?)(?:-|~|至|到)(?P<b>{_NUM})(?P<ub>[^\d]*?)"
                    r"(?:之间|间|范围内|区间内)?", re.S)
_JOINERS = re.compile(r"并且|而且|同时|且|,|;|、|和|与|(?=≤|<|小于|低于|不超过|不高于|不大于)")
_UNIT_BAD = re.compile(r"[\d<>=≥≤~\-()]|以上|以下|以内|超过|不少于|不低于|不超过|前$|后$|^月.")
_COMPARATOR_ONLY = re.compile(r"[≥≤<>=]+")

_CN_MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]?|[一二三四五六七八九])"
_DATE = re.compile(
    rf"(?:截至|截止到|截止|到|于|在)?(?:(?P<y>\d{{4}}|[零〇一二三四五六七八九]{{4}})年度?)?"
    rf"(?:(?P<m>{_CN_MONTH})月份?(?:(?P<d>\d{{1,2}}|[一二三四五六七八九十]{{1,3}})[日号])?"
    r"(?P<part>底|末|上旬|中旬|下旬|初|中)?)?(?:前|以前|之前|内|以内|之内|止|为止)?(?:完成|完工|完毕|到位|办结)?")
_ISO_DATE = re.compile(r"(?P<y>\d{4})(?P<sep>[-/.])(?P<m>\d{1,2})(?:(?P=sep)(?P<d>\d{1,2}))?"
                       r"(?:前|以前|之前)?")
_YEAR_END = re.compile(r"(?:本|当|今)?年度?(?:内|底|末|终)(?:前|以前|之前)?(?:完成)?"
                       r"|(?:本|当)年度?(?:内)?(?:完成)?|下半年(?:内)?(?:完成)?")
_MID_YEAR = re.compile(r"(?:上半年(?:内|底|末)?|年中)(?:前)?(?:完成)?")
_QUARTER = re.compile(r"第?(?P<q>[一二三四1-4])季度(?:末|底|内)?(?:前)?(?:完成)?")
_NO_DATE = re.compile(r"按时|按期|如期|及时|准时|限期|规定时间|规定期限|计划时间|时间内|期限内|时限内"
                      r"|时限要求|时间节点")

_EMPTY = {"", "/", "\\", "-", "无", "空", "暂无", "null", "none", "nan", "n/a", "na", "不适用", "无数据"}
_TRANSLATE = str.maketrans({"≧": "≥", "⩾": "≥", "≦": "≤", "⩽": "≤", "═": "=", "—": "-", "–": "-",
                            "―": "-", "−": "-", "〜": "~", "～": "~"})
_PAIRS = ((">=", "≥"), ("<=", "≤"), ("=>", "≥"), ("=<", "≤"), ("≥=", "≥"), ("≤=", "≤"), ("百分百", "100%"))
_SPACES = re.compile(r"[\s\u200b-\u200f\ufeff]+")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?:\D|$))")
_INTERNAL = "解析时出现内部错误"
_MAX_LENGTH = 60  # longer text is a sentence, not a value; the limit also keeps parsing linear


class _Unreadable(Exception):
    """Raised inside the parser with the Chinese reason a value cannot be read."""


def _normalise(raw: str) -> str:
    text = _SPACES.sub("", unicodedata.normalize("NFKC", raw.replace("㎡", "平方米")).translate(_TRANSLATE))
    for old, new in _PAIRS:
        text = text.replace(old, new)
    text = re.sub(r"-{2,}", "-", _THOUSANDS.sub("", text))
    text = re.sub(r"百分之(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百]+)", r"\1%", text)
    return text.strip("。,;:、!?\"'“”‘’").rstrip(".")


# --- Numbers -------------------------------------------------------------------------------------------

def _cn_number(token: str) -> Decimal | None:
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
            raise _Unreadable(f"数字“{token}”格式有误") from None
        if not in_range(number):
            raise _Unreadable(f"数值“{token}”超出可处理的范围（{RANGE_TEXT}）")
        return number, None
    number = _cn_number(token)
    if number is None:
        raise _Unreadable(f"中文数字“{token}”无法理解")
    if not in_range(number):
        raise _Unreadable(f"中文数字“{token}”超出可处理的范围（{RANGE_TEXT}）")
    return number, f"中文数字“{token}”按{_plain(number)}理解"


def _unit(rest: str, chinese: bool) -> str | None:
    """Return the canonical unit written after a number (None when none is written)."""
    if not rest:
        return None
    unit = units.normalise_unit(rest)
    unknown = units.unit_kind(unit) == "other"
    if _UNIT_BAD.search(rest) or (unknown and (chinese or any(len(p) > 4 for p in unit.split("/")))):
        raise _Unreadable(f"数值后的“{rest}”不像单位")
    return unit or None


# --- One value, a range, two bounds -------------------------------------------------------------------

def _combine(first: Op | None, second: Op | None) -> Op | None:
    if first is None or second is None or first is second:
        return first or second
    if ((first in (Op.GE, Op.GT)) == (second in (Op.GE, Op.GT))) and Op.EQ not in (first, second):
        return first  # 超过90%以上: the words agree on the side; the first one decides
    raise _Unreadable(f"比较符前后矛盾（“{_SIGNS[first]}”与“{_SIGNS[second]}”）")


def _single(text: str) -> dict:
    """Read comparator + approximation + number + unit + suffix; return the fields of a Value."""
    match = _SINGLE.fullmatch(text)
    if match is None:
        raise _Unreadable("未找到“比较符+数值+单位”的写法")
    number, note = _number(match["num"])
    chinese, approximate, rest = note is not None, bool(match["approx"]), match["rest"]
    exclusive, suffix_op = False, None
    if re.match(r"\.\d", rest):
        raise _Unreadable("数字格式有误（小数点多于一个）")
    if rest[:1] in ("余", "多"):  # 500余人, 500多人
        approximate, rest = True, rest[1:]
    inners, rest = re.findall(r"\(([^()]*)\)", rest), re.sub(r"\([^()]*\)", "", rest)
    while word := next((w for w in _SUFFIX_ORDER if rest.endswith(w)), None):
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
    if len(rest) >= 2 and rest[0] in "万千百亿" and rest[1] in "余多":  # 5万余元
        approximate, rest = True, rest[0] + rest[2:]
    unit = _unit(rest, chinese)
    op = _combine(_PREFIXES.get(match["pre"] or ""), suffix_op)
    if exclusive and op in (Op.GE, Op.LE):
        op = Op.GT if op is Op.GE else Op.LT
    return {"op": op or Op.EQ, "number": number, "unit": unit, "approximate": approximate,
            "explicit_op": op is not None, "note": note}


def _range(text: str) -> dict | None:
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
            raise _Unreadable(f"区间两端单位不一致（“{unit_low}”与“{unit_high}”）")
    if low > high:
        low, high, note = high, low, "区间上下限写反，已按从小到大理解"
    return {"op": Op.RANGE, "number": low, "upper": high, "unit": unit_high or unit_low,
            "approximate": bool(match["approx"]), "explicit_op": True, "note": note}


def _bounds(text: str) -> dict | None:
    """Read "≥90%且≤100%", ">90%,<=100%", "大于5人小于10人" as a range with its inclusive ends."""
    for joiner in _JOINERS.finditer(text):
        try:
            low, high = _single(text[: joiner.start()]), _single(text[joiner.end():])
        except _Unreadable:
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


def _deadline(text: str) -> Deadline | None:
    if _YEAR_END.fullmatch(text):
        return Deadline(None, 12, None)
    if _MID_YEAR.fullmatch(text):
        return Deadline(None, 6, None)
    if match := _QUARTER.fullmatch(text):
        return Deadline(None, 3 * int(_number(match["q"])[0]), None)
    match = _ISO_DATE.fullmatch(text) or _DATE.fullmatch(text)
    if match is None or not (match["y"] or match["m"]):
        return None
    if match.re is _ISO_DATE and match["sep"] == "." and not match["d"]:
        return None  # 2023.12 is a decimal number
    year, month, day = (int(_number(match[k])[0]) if match[k] else None for k in ("y", "m", "d"))
    part = match.groupdict().get("part")
    day = {"上旬": 10, "初": 10, "中旬": 20, "中": 20}.get(part or "", day)
    if year is not None and not 1900 <= year <= 2100:
        return None
    if month is None:
        return Deadline(year, 12, None)  # 2023年, 2023年度
    if not 1 <= month <= 12 or not 1 <= (day or 1) <= calendar.monthrange(year or 2000, month)[1]:
        raise _Unreadable("日期无效")
    return Deadline(year, month, day)


# --- Entry point --------------------------------------------------------------------------------------

def parse_value(text: object) -> Value:
    """Parse one 指标值 / 实际完成值 written in any form; never raises (unreadable → Op.UNREADABLE)."""
    try:
        if isinstance(text, str):
            return _parse_text(text)
        if text is None:
            return Value("", Op.EMPTY)
        if isinstance(text, bool):
            return Value(str(text), Op.UNREADABLE, note=f"无法识别“{text}”：布尔值不是指标值")
        if isinstance(text, int | float | Decimal):
            number = Decimal(repr(text)) if isinstance(text, float) else Decimal(text)
            if number.is_nan():  # an empty spreadsheet cell read by pandas
                return Value(str(text), Op.EMPTY)
            if number.is_infinite():
                return Value(str(text), Op.UNREADABLE, note=f"无法识别“{text}”：数值不是有限数")
            if not in_range(number):
                return Value(str(text), Op.UNREADABLE, note=f"无法识别“{text}”：数值超出可处理的范围（{RANGE_TEXT}）")
            return Value(str(text), Op.EQ, number=number)
        return _parse_text(str(text))
    except Exception:  # "never raises" is the promise; the property tests check this is never reached
        try:
            shown = str(text)
        except Exception:
            shown = ""
        return Value(shown, Op.UNREADABLE, note=_INTERNAL)


@lru_cache(maxsize=65536)
def _parse_text(raw: str) -> Value:
    text = _normalise(raw)
    if text.lower() in _EMPTY or re.fullmatch(r"[-/\\.]*", text):
        return Value(raw, Op.EMPTY)
    try:
        if (deadline := _deadline(text)) is not None:
            return Value(raw, Op.DEADLINE, deadline=deadline)
        if len(text) > _MAX_LENGTH:
            raise _Unreadable("文字过长，不是“比较符+数值+单位”的写法")
        return Value(raw, **(_range(text) or _bounds(text) or _single(text)))
    except _Unreadable as error:
        reason = str(error)
    if not re.search(r"\d", text):
        return _without_digits(raw, text)
    junk = text[: re.search(r"\d", text).start()]
    if junk and _SINGLE.fullmatch(text) is None:
        try:
            tail = _single(text[len(junk):])
        except _Unreadable:
            tail = None
        if tail and tail["unit"] and re.search(r"[A-Za-z]", junk):  # OCR noise: "tot扁2200篇"
            return Value(raw, **(tail | {"note": f"忽略了数值前无法识别的“{junk}”，请核对"}))
        if tail:
            reason = f"数值前的“{junk}”无法理解"
    return Value(raw, Op.UNREADABLE, note=f"无法识别“{raw}”：{reason}")


def _without_digits(raw: str, text: str) -> Value:
    """Text with no Arabic digit: a deadline with no date, a lone comparator, OCR noise, or qualitative."""
    if _NO_DATE.search(text):
        return Value(raw, Op.DEADLINE, deadline=Deadline(None, None, None), tier=tier_of_text(text))
    if _COMPARATOR_ONLY.fullmatch(text):
        return Value(raw, Op.UNREADABLE, note=f"无法识别“{raw}”：只有比较符，未写数值")
    ocr = re.search(r"(?P<letters>[OoIl]+)(?P<unit>[^A-Za-z0-9]{1,4})$", text)
    if ocr and len(text) <= 8 and units.unit_kind(ocr["unit"]) not in ("other", "none"):  # 第O份
        return Value(raw, Op.UNREADABLE,
                     note=f"无法识别“{raw}”：未找到数值（“{ocr['letters']}”可能是被误识别的数字）")
    return Value(raw, Op.QUALITATIVE, tier=tier_of_text(text))


# --- Tiers of qualitative text (rules.md §1.4): tier 3 first, then tier 2, then tier 1. ------------

_TIER_WORDS: tuple[tuple[Tier, tuple[str, ...], tuple[str, ...]], ...] = (
    (Tier.UNMET, ("未达成", "未完成", "未达到", "未达标", "不达标", "不合格", "不符合", "未实现", "未按时",
                  "未按期", "效果较差", "较差"), ("否", "差", "无效")),
    (Tier.PARTIAL, ("部分达成", "部分完成", "部分实现", "基本完成", "基本达成", "基本实现", "基本符合",
                    "一定效果", "较好", "一般"), ()),
    (Tier.PARTIAL, ("有待", "仍需", "尚需", "欠缺", "不足"), ()),
    (Tier.MET, ("达成年度指标", "达成预期指标", "已完成", "完成", "达成", "效果明显", "效果显著", "有所提升",
                "符合", "良好", "达标", "合格", "明显提升", "显著提高", "提升", "提高", "落实", "到位", "优秀",
                "顺利", "实现"), ("是", "好")),
)
_POSITIVE = r"(?:完成|达成|达到|达标|实现|落实|提升|提高|符合|合格|良好|到位|执行|开展|改善)"
# a negation before a positive word: "未全部完成" is a partial result, "未能按时完成" none at all
_NEGATED_PARTIAL = re.compile(r"(?:未全部|未完全|不完全|没有全部|没有完全|未能全部|未能完全|不够|不太)" + _POSITIVE)
_NEGATED = re.compile(r"(?:未能|没有|没能|尚未|无法|未|没|不)(?:按时|按期|如期|及时|能|全面|有效)?" + _POSITIVE)


def tier_of_text(text: str | None) -> Tier | None:
    """Map a qualitative actual to its tier; one-character words (是 否 好 差) only as the whole text."""
    if not text:
        return None
    cleaned = _normalise(str(text))
    if _NEGATED_PARTIAL.search(cleaned):
        return Tier.PARTIAL
    if _NEGATED.search(cleaned):
        return Tier.UNMET
    for tier, phrases, whole_words in _TIER_WORDS:
        if cleaned in whole_words or any(p in cleaned for p in phrases):
            return tier
    return None


_WORDS_PERCENT = {Op.GE: "不低于", Op.GT: "高于", Op.LE: "不高于", Op.LT: "低于", Op.EQ: "等于"}
_WORDS_AMOUNT = {Op.GE: "不少于", Op.GT: "超过", Op.LE: "不超过", Op.LT: "少于", Op.EQ: "等于"}


def describe(value: Value, direction: Direction | None = None) -> str:
    """Return a Chinese reading of the value, e.g. "不少于10次（越高越好）", "定性：有所提升"."""
    tags = ["近似值"] if value.approximate else []
    amount = ("约" if value.approximate else "") + (_plain(value.number) if value.number is not None else "")
    unit = value.unit or ""
    words = _WORDS_PERCENT if units.unit_kind(value.unit) == "percent" else _WORDS_AMOUNT
    if value.op is Op.RANGE and value.upper is not None:
        body = f"{amount}{unit}至{_plain(value.upper)}{unit}"
        if not (value.lower_inclusive and value.upper_inclusive):
            low = words[Op.GE if value.lower_inclusive else Op.GT]
            high = words[Op.LE if value.upper_inclusive else Op.LT]
            body = f"{low}{amount}{unit}且{high}{_plain(value.upper)}{unit}"
    elif value.op in words and value.number is not None:
        body = (words[value.op] if value.explicit_op else "") + amount + unit
    elif value.op is Op.DEADLINE:
        d = value.deadline
        if d is None or d.month is None:
            body = f"时限：{value.text.strip()}"
        else:
            year = f"{d.year}年" if d.year else ""
            body = f"{year}{d.month}月底前完成" if d.day is None else f"{year}{d.month}月{d.day}日前完成"
        if direction in (None, Direction.DEADLINE):
            tags, direction = [*tags, "时限"], None
    elif value.op is Op.QUALITATIVE:
        body = f"定性：{value.text.strip()}"
        direction = None if direction is Direction.QUALITATIVE else direction
    else:
        written = value.text.strip()
        if value.op is Op.EMPTY:
            body = f"“{written}”（无具体数值）" if written else "未填写"
        else:
            body = f"无法识别：{written}"
        direction = None if direction is Direction.QUALITATIVE and value.op is Op.EMPTY else direction
    if direction is not None:
        tags.append(direction.label)
    return body + (f"（{'，'.join(tags)}）" if tags else "")
