"""The indicator-value language: every 指标值 and 实际完成值 → ``Value`` (op, number, unit | tier).

``parse_value`` never raises. Text is normalised first (NFKC; ≧ ≦ ═ ﹦ >= <= → ≥ ≤ =; spaces and
thousands separators removed; 百分之N, 万分之N, 千分之N, 每10万人N written as N%, N‱, N‰, N/10万), then read
in this order: empty, a date or deadline (``dates``), a range ("90%-100%"), two bounds
("≥90%且≤100%"), one value (comparator + number + unit + 以上/以下/左右), a change from last year
("较上年增长10%", ``relative``), a zero-event value ("无重大安全事故", "未发生", "安全事故0起": 0),
timing words with or without a date ("延期完成", "推迟至2024年3月", "已按时拨付", ``verdicts``). Text with
no Arabic digit that none of these read is qualitative, with the tier its words name; text with one
is unreadable, with a note saying why. A text that contradicts itself ("按时完成，但延期1个月") is
unreadable too, and ``readings`` keeps both readings for the message. Numbers are always ``Decimal``.
Scoring is elsewhere (rules.md §1.3, §1.4, §1.7).
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from evaluator.decimals import RANGE_TEXT, in_range
from evaluator.language import units
from evaluator.language.dates import Deadline, completion_date, find_date, read_date
from evaluator.language.kinds import Direction, Op
from evaluator.language.numbers import (
    SIGNS,
    SINGLE_FORM,
    Unreadable,
    bounds,
    cn_number,
    plain,
    range_of,
    simple,
    single,
)
from evaluator.language.relative import Relative, split_relative, with_unit
from evaluator.language.verdicts import EVENTS, Tier, read_verdict, tier_of_text

__all__ = ["Deadline", "Direction", "Op", "Relative", "Tier", "Value", "describe", "parse_value", "tier_of_text"]
# Op and Direction live in ``kinds``, Deadline in ``dates``, Tier in ``verdicts``: re-exported here, where
# every reader of values looks for them.


_NUMERIC_OPS = (Op.GE, Op.GT, Op.LE, Op.LT, Op.EQ, Op.RANGE)


@dataclass(frozen=True, slots=True)
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
    timing: str | None = None  # "on-time" (按时拨付, 提前完成) | "late" (延期, 逾期, 推迟至…) | None
    relative: Relative | None = None  # a change from the previous year (较上年增长10%, 增长12%)
    zero_event: bool = False  # 0 read from words: 无重大安全事故, 未发生, 零投诉
    words: tuple[str, ...] = ()  # the words a tier, a timing or a zero was read from, for the explanation
    readings: tuple[str, ...] = ()  # a text that contradicts itself: each of its readings

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
        if self.timing is not None:
            out["timing"] = self.timing
        if self.relative is not None:
            out["relative"] = self.relative.to_json()
        if self.zero_event:
            out["zero_event"] = True
        if self.readings:
            out["readings"] = list(self.readings)
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
        unit, approx = ("个百分点" if self.unit == "百分点" else self.unit or ""), "约" if self.approximate else ""
        if self.op is Op.RANGE and self.number is not None and self.upper is not None:
            low, high = plain(self.number) + unit, plain(self.upper) + unit
            if self.lower_inclusive and self.upper_inclusive:
                return f"{approx}{low}-{high}"
            lower, upper = "≥" if self.lower_inclusive else ">", "≤" if self.upper_inclusive else "<"
            return f"{lower}{approx}{low}且{upper}{high}"
        if self.op in SIGNS and self.number is not None:
            sign = SIGNS[self.op] if self.explicit_op else ""
            change = f"{self.relative.basis or ''}{self.relative.word}" if self.relative else ""
            return f"{change}{sign}{approx}{plain(self.number)}{unit}"
        if self.op is Op.DEADLINE and (d := self.deadline) is not None and d.month is not None:
            year = f"{d.year}年" if d.year else ""
            return f"{year}{d.month}月底前" if d.day is None else f"{year}{d.month}月{d.day}日前"
        return "" if self.op is Op.EMPTY else self.text


def _json_number(number: Decimal | None) -> int | float | None:
    if number is None:
        return None
    return int(number) if number == number.to_integral_value() else float(number)


_NO_DATE = re.compile(r"按时|按期|如期|及时|准时|限期|规定时间|规定期限|计划时间|时间内|期限内|时限内"
                      r"|时限要求|时间节点")
_ZERO = re.compile(rf"(?:全年)?(?:未发生|没有发生|未出现|没有出现|未发现|没有发现|不发生|杜绝|无发生|无|零|没有)"
                   rf"(?P<what>[^,;，；。]{{0,12}}?(?:{EVENTS})[^,;，；。]{{0,6}})?"
                   r"|(?P<what2>[^,;，；。\d]{0,12}?(?:" + EVENTS + r")[^,;，；。\d]{0,4}?)"
                   r"(?:数|起数|次数|件数)?(?:为|是)?"
                   r"(?:0|零)(?P<unit>起|次|件|例|个|宗)?(?:发生)?")
_ZERO_ALONE = {"未发生", "没有发生", "未出现", "没有出现", "零", "没有", "无发生", "全年未发生", "未发现"}
_RATE_WORDS = ((re.compile(r"万分之(\d+(?:\.\d+)?)"), r"\1‱"), (re.compile(r"千分之(\d+(?:\.\d+)?)"), r"\1‰"),
               (re.compile(r"每(10万|十万|万|千)人?口?(\d+(?:\.\d+)?)(?:例|人|次)?"), r"\2/\1"))
# "每季度1次", "每月不少于2次": a count per period, written as "1次/季度", "不少于2次/个月"
_PERIOD_WORDS = {"年": "年", "半年": "半年", "季度": "季度", "季": "季度", "月": "月", "个月": "月", "周": "周",
                 "星期": "周", "天": "天", "日": "天"}
_PER_PERIOD = re.compile(r"^每(?P<period>半年|季度|个月|星期|[年季月周天日])(?P<rest>[^\d/每]{0,6}?"
                         r"(?P<number>\d+(?:\.\d+)?|[一二两三四五六七八九十]+)[^\d/每以及或左]{1,2}?)"
                         r"(?P<suffix>及以上|或以上|以上|及以下|或以下|以下|以内|左右)?$")

_MARKS_ONLY = re.compile(r"[-/\\.]*")  # only dashes, slashes or dots ("--", "/", "..."): nothing written
_EMPTY = {"", "/", "\\", "-", "无", "空", "暂无", "null", "none", "nan", "n/a", "na", "不适用", "无数据"}
_TRANSLATE = str.maketrans({"≧": "≥", "⩾": "≥", "≦": "≤", "⩽": "≤", "═": "=", "—": "-", "–": "-",
                            "―": "-", "−": "-", "〜": "~", "～": "~"})
_PAIRS = ((">=", "≥"), ("<=", "≤"), ("=>", "≥"), ("=<", "≤"), ("≥=", "≥"), ("≤=", "≤"))
_SPACES = re.compile(r"[\s\u200b-\u200f\ufeff]+")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?:\D|$))")
_INTERNAL = "解析时出现内部错误"
_MAX_LENGTH = 60  # longer text is a sentence, not a value; the limit also keeps parsing linear


_DASHES = re.compile(r"-{2,}")
_PERCENT_WORDS = re.compile(r"百分之(\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百]+)")


def _normalise(raw: str) -> str:
    """Fold the ways one value is written into one; each rewrite runs only when its trigger is present."""
    if "㎡" in raw:
        raw = raw.replace("㎡", "平方米")
    text = unicodedata.normalize("NFKC", raw).translate(_TRANSLATE)
    if "百分百" in text:  # letters only, so before the isalnum shortcut below
        text = text.replace("百分百", "100%")
    if not text.isalnum():
        text = _SPACES.sub("", text)
        if "=" in text:
            for old, new in _PAIRS:
                text = text.replace(old, new)
        if "," in text:
            text = _THOUSANDS.sub("", text)
        if "--" in text:
            text = _DASHES.sub("-", text)
    if "分之" in text or "每" in text:
        text = _PERCENT_WORDS.sub(r"\1%", text)
        for pattern, replacement in _RATE_WORDS:
            text = pattern.sub(replacement, text)
        if (period := _PER_PERIOD.match(text)) is not None:
            rest, number = period["rest"], period["number"]
            if not number[0].isdigit() and (digits := cn_number(number)) is not None:  # 每周一次: 1次/周
                start = period.start("number") - period.start("rest")
                rest = f"{rest[:start]}{digits}{rest[start + len(number):]}"
            text = f"{rest}/{_PERIOD_WORDS[period['period']]}{period['suffix'] or ''}"
    return text.strip("。,;:、!?\"'“”‘’").rstrip(".")


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
            if number.is_nan():  # a float NaN (an empty cell of a table built by the caller) is no value
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


@lru_cache(maxsize=2**17)  # a batch of 1,000 departments writes about 100,000 distinct values
def _parse_text(raw: str) -> Value:
    text = _normalise(raw)
    if text.lower() in _EMPTY or _MARKS_ONLY.fullmatch(text):
        return Value(raw, Op.EMPTY)
    try:
        if (deadline := _date(text)) is not None:
            return Value(raw, Op.DEADLINE, deadline=deadline)
        if len(text) > _MAX_LENGTH:
            raise Unreadable("文字过长，不是“比较符+数值+单位”的写法")
        return Value(raw, **(simple(text) or range_of(text) or bounds(text) or single(text)))
    except Unreadable as error:
        reason = str(error)
    if (worded := _worded(raw, text)) is not None:
        return worded
    if not re.search(r"\d", text):
        return _without_digits(raw, text)
    junk = text[: re.search(r"\d", text).start()]
    if junk and SINGLE_FORM.fullmatch(text) is None:
        try:
            tail = single(text[len(junk):])
        except Unreadable:
            tail = None
        if tail and tail["unit"] and re.search(r"[A-Za-z]", junk):  # OCR noise: "tot扁2200篇"
            return Value(raw, **(tail | {"note": f"忽略了数值前无法识别的“{junk}”，请核对"}))
        if tail:
            reason = f"数值前的“{junk}”无法理解"
    return Value(raw, Op.UNREADABLE, note=f"无法识别“{raw}”：{reason}")


# a label that repeats what is measured, then the value: 完成率98%, 满意度95%, 受益人数1200人
_LABELLED = re.compile(r"(?P<label>[\u4e00-\u9fff]{1,10}?(?:率|度|人数|次数|户数|数量|金额|比例|比率|面积|长度|个数))"
                       r"(?:为|达|达到|是)?(?P<value>[≥≤<>=]?-?\d[\d.]*[^\d]{0,6})")
_DATE_HINT = re.compile(r"[年月季日号底末旬内]|^\d{4}[-/.]\d")


def _date(text: str) -> Deadline | None:
    if _DATE_HINT.search(text) is None:
        return None
    try:
        return read_date(text)
    except ValueError as error:
        raise Unreadable(str(error)) from None


def _worded(raw: str, text: str) -> Value | None:
    """Values that words make: a change from last year, a zero event, a labelled number (完成率98%),
    timing words, a completion date in a sentence; None when none fits."""
    if len(text) > _MAX_LENGTH:
        return None
    if (split := split_relative(text)) is not None:
        try:
            fields = single(split[1])
        except Unreadable:
            fields = None
        relative = with_unit(split[0], fields["unit"]) if fields else None
        if fields is not None and relative is not None and fields["op"] is not Op.RANGE:
            return Value(raw, **fields, relative=relative)
    if text in _ZERO_ALONE or (zero := _ZERO.fullmatch(text)) is not None:
        unit = None if text in _ZERO_ALONE else zero["unit"]
        return Value(raw, Op.EQ, number=Decimal(0), unit=unit, zero_event=True, words=(text,),
                     note=f"“{raw.strip()}”按0{unit or ''}理解（未发生）")
    if (labelled := _LABELLED.fullmatch(text)) is not None:  # 完成率98%, 满意度95%: the indicator's name repeated
        try:
            fields = simple(labelled["value"]) or single(labelled["value"])
        except Unreadable:
            fields = None
        if fields is not None:
            note = f"“{labelled['label']}”是指标名称，按“{labelled['value']}”计"
            return Value(raw, **(fields | {"note": note}))
    verdict = read_verdict(text)
    if verdict.conflict:
        return Value(raw, Op.UNREADABLE, words=verdict.words, readings=verdict.conflict,
                     note=f"无法识别“{raw}”：表述前后矛盾（{'；'.join(verdict.conflict)}）")
    if verdict.timing is not None:
        found = find_date(text)
        return Value(raw, Op.DEADLINE, deadline=found[0] if found else Deadline(None, None, None),
                     tier=verdict.tier, timing=verdict.timing, words=verdict.words)
    if (done := completion_date(text)) is not None:  # 资金已于12月全部拨付
        return Value(raw, Op.DEADLINE, deadline=done, tier=verdict.tier, words=verdict.words)
    return None


def _without_digits(raw: str, text: str) -> Value:
    """Text with no Arabic digit: a deadline with no date, a lone comparator, OCR noise, or qualitative."""
    verdict = read_verdict(text)
    if _NO_DATE.search(text):
        return Value(raw, Op.DEADLINE, deadline=Deadline(None, None, None), tier=verdict.tier, timing=verdict.timing,
                     words=verdict.words)
    if re.fullmatch(r"[≥≤<>=]+", text):
        return Value(raw, Op.UNREADABLE, note=f"无法识别“{raw}”：只有比较符，未写数值")
    ocr = re.search(r"(?P<letters>[OoIl]+)(?P<unit>[^A-Za-z0-9]{1,4})$", text)
    if ocr and len(text) <= 8 and units.unit_kind(ocr["unit"]) not in ("other", "none"):  # 第O份
        return Value(raw, Op.UNREADABLE,
                     note=f"无法识别“{raw}”：未找到数值（“{ocr['letters']}”可能是被误识别的数字）")
    return Value(raw, Op.QUALITATIVE, tier=verdict.tier, words=verdict.words)


_WORDS_PERCENT = {Op.GE: "不低于", Op.GT: "高于", Op.LE: "不高于", Op.LT: "低于", Op.EQ: "等于"}
_WORDS_AMOUNT = {Op.GE: "不少于", Op.GT: "超过", Op.LE: "不超过", Op.LT: "少于", Op.EQ: "等于"}


def describe(value: Value, direction: Direction | None = None) -> str:
    """Return a Chinese reading of the value, e.g. "不少于10次（越高越好）", "定性：有所提升"."""
    tags = ["近似值"] if value.approximate else []
    amount = ("约" if value.approximate else "") + (plain(value.number) if value.number is not None else "")
    unit = "个百分点" if value.unit == "百分点" else value.unit or ""
    words = _WORDS_PERCENT if units.unit_kind(value.unit) == "percent" else _WORDS_AMOUNT
    if value.op is Op.RANGE and value.upper is not None:
        body = f"{amount}{unit}至{plain(value.upper)}{unit}"
        if not (value.lower_inclusive and value.upper_inclusive):
            low = words[Op.GE if value.lower_inclusive else Op.GT]
            high = words[Op.LE if value.upper_inclusive else Op.LT]
            body = f"{low}{amount}{unit}且{high}{plain(value.upper)}{unit}"
    elif value.op in words and value.number is not None and (change := value.relative) is not None:
        body = f"{change.basis or ''}{change.word}" + (words[value.op] if value.explicit_op else "") + amount + unit
        if direction in (Direction.HIGHER, Direction.LOWER):
            size = "幅度越大越好" if direction is Direction.HIGHER else "幅度越小越好"
            tags, direction = [*tags, f"{change.word}{size}"], None
    elif value.op in words and value.number is not None:
        body = (words[value.op] if value.explicit_op else "") + amount + unit
        if value.zero_event:
            tags.append("未发生")
    elif value.op is Op.DEADLINE:
        d = value.deadline
        if d is None or d.month is None:
            body = f"时限：{value.text.strip()}"
        else:
            year = f"{d.year}年" if d.year else ""
            body = f"{year}{d.month}月底前完成" if d.day is None else f"{year}{d.month}月{d.day}日前完成"
            if value.timing is not None:  # an actual: the date it was done
                body = f"{year}{d.month}月完成" if d.day is None else f"{year}{d.month}月{d.day}日完成"
        if value.timing == "late" or (value.timing == "on-time" and d is not None and d.month is not None):
            tags.append("按时" if value.timing == "on-time" else "逾期")
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
