"""Property tests of the value language: parsing never raises, canonical text round-trips, and unit
conversion is exact."""

import dataclasses
from decimal import Decimal

from hypothesis import assume, given
from hypothesis import strategies as st

from evaluator.decimals import in_range
from evaluator.language.units import convert
from evaluator.language.values import Deadline, Op, Value, parse_value

INTERNAL_ERROR = "解析时出现内部错误"

COMPARATORS = [
    ("≥", Op.GE), ("≧", Op.GE), (">=", Op.GE), ("＞＝", Op.GE), ("不少于", Op.GE), ("不低于", Op.GE),
    ("至少", Op.GE), ("达到", Op.GE), ("大于等于", Op.GE), ("≤", Op.LE), ("≦", Op.LE), ("<=", Op.LE),
    ("不超过", Op.LE), ("不高于", Op.LE), ("小于等于", Op.LE), ("控制在", Op.LE), (">", Op.GT),
    ("超过", Op.GT),
    ("高于", Op.GT), ("<", Op.LT), ("低于", Op.LT), ("不足", Op.LT), ("不满", Op.LT), ("=", Op.EQ),
    ("＝", Op.EQ), ("═", Op.EQ), ("﹦", Op.EQ), ("等于", Op.EQ), ("", None),
]
SUFFIXES = [("以上", Op.GE), ("以下", Op.LE), ("以内", Op.LE), ("", None)]
UNITS = [  # (as written, canonical)
    ("%", "%"), ("％", "%"), ("百分比", "%"), ("元", "元"), ("万元", "万元"), ("万", "万元"),
    ("亿元", "亿元"),
    ("千元", "千元"), ("元/人", "元/人"), ("元/人*月", "元/人*月"), ("元／户", "元/户"),
    ("万元/人", "万元/人"),
    ("人", "人"), ("人次", "人次"), ("次", "次"), ("个", "个"), ("篇", "篇"), ("份", "份"),
    ("平方米", "平方米"),
    ("亩", "亩"), ("万亩", "万亩"), ("米", "米"), ("天", "天"), ("个月", "个月"), ("年", "年"),
    ("(个)", "个"),
    ("（人）", "人"), ("", None),
]
CANONICAL_UNITS = sorted({canonical for _, canonical in UNITS if canonical}) + ["百分点", "工作日", "小时"]
FULL_WIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")


def _looks_like_a_year(number: Decimal, unit: str | None) -> bool:
    # A bare "2023年" is read as a deadline (the end of 2023), not as 2023 years.
    return unit == "年" and number == number.to_integral_value() and 1000 <= number <= 9999


numbers = st.one_of(
    st.integers(min_value=0, max_value=10**8).map(Decimal),
    st.decimals(min_value=0, max_value=10**6, places=2),
    st.decimals(min_value=0, max_value=1, places=6),
)


def without_text(value: Value) -> Value:
    return dataclasses.replace(value, text="", note=None)


# --- parse_value never raises ---------------------------------------------------------------------

GRAMMAR = (r"\A\s?(≥|≧|>=|＞＝|≤|≦|<=|>|<|=|═|﹦|不少于|不低于|不超过|超过|不满|达到|控制在|约|到|第)?\s?"
           r"([0-9０-９]{1,7}([.．,，][0-9]{1,4})*|[一二两三十百千半]{1,3}|O)?"
           r"(余|多)?(%|％|百分比|万元|万|亿|元|元/人|元/人\*月|人|次|个|份|篇|年|月|日|天|平方米|亩|\(个\)|（人）|[a-z扁])?"
           r"((-|~|至|到|—)[0-9]{1,4}(%|人|万元)?)?(以上|以下|以内|左右|底前|内|且≤100%|，≤5)?\s?\Z")


@given(st.text())
def test_any_text_parses_without_error(text):
    value = parse_value(text)
    assert isinstance(value, Value)
    assert value.text == text
    assert value.note != INTERNAL_ERROR


@given(st.from_regex(GRAMMAR))
def test_grammar_like_text_parses_without_error(text):
    value = parse_value(text)
    assert value.text == text
    assert value.note != INTERNAL_ERROR
    if value.op is Op.UNREADABLE:
        assert value.note and value.note.startswith(("无法识别", "忽略"))


@given(st.one_of(st.none(), st.integers(), st.floats(), st.decimals(), st.booleans(),
                 st.lists(st.integers(), max_size=2), st.binary(max_size=5)))
def test_any_python_value_parses_without_error(raw):
    value = parse_value(raw)
    assert isinstance(value, Value)
    assert isinstance(value.text, str)
    assert value.note != INTERNAL_ERROR
    if value.number is not None:
        assert isinstance(value.number, Decimal)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_floats_are_read_through_repr(number):
    value = parse_value(number)
    if in_range(Decimal(repr(number))):
        assert value.number == Decimal(repr(number))
    else:  # 1e400, 1e-30: refused with the range, never computed with
        assert value.op is Op.UNREADABLE and "超出可处理的范围" in value.note


# --- Written forms: comparator × number (thousands, full width, spaces) × unit × suffix --------------

@given(
    comparator=st.sampled_from(COMPARATORS), suffix=st.sampled_from(SUFFIXES), unit=st.sampled_from(UNITS),
    number=numbers, approximation=st.sampled_from(["", "约", "余", "左右"]),
    thousands=st.booleans(), full_width=st.booleans(), spaces=st.booleans(),
)
def test_written_forms_are_understood(comparator, suffix, unit, number, approximation, thousands, full_width,
                                      spaces):
    (word, prefix_op), (written_unit, canonical_unit) = comparator, unit
    if prefix_op is not None:
        suffix = ("", None)
    assume(not (prefix_op is None and suffix[1] is None and _looks_like_a_year(number, canonical_unit)))
    digits = f"{number:,f}" if thousands else format(number, "f")
    if full_width:
        digits = digits.translate(FULL_WIDTH)
    gap = " " if spaces else ""
    body = {"": digits + gap + written_unit, "约": "约" + digits + gap + written_unit,
            "余": digits + "余" + written_unit, "左右": digits + gap + written_unit + "左右"}[approximation]
    value = parse_value(word + gap + body + suffix[0])
    expected_op = prefix_op or suffix[1]
    assert value.op is (expected_op or Op.EQ)
    assert value.explicit_op is (expected_op is not None)
    assert value.number == number
    assert value.unit == canonical_unit
    assert value.approximate is (approximation != "")


# --- Canonical text round-trips ---------------------------------------------------------------------

@st.composite
def structured_values(draw) -> Value:
    kind = draw(st.sampled_from(["single", "range", "deadline"]))
    unit = draw(st.sampled_from([*CANONICAL_UNITS, None]))
    approximate = draw(st.booleans())
    if kind == "single":
        op = draw(st.sampled_from([Op.GE, Op.GT, Op.LE, Op.LT, Op.EQ]))
        explicit = True if op is not Op.EQ else draw(st.booleans())
        number = draw(numbers)
        assume(explicit or approximate or not _looks_like_a_year(number, unit))
        return Value("", op, number=number, unit=unit, approximate=approximate, explicit_op=explicit)
    if kind == "range":
        low, high = sorted([draw(numbers), draw(numbers)])
        return Value("", Op.RANGE, number=low, upper=high, unit=unit, approximate=approximate,
                     explicit_op=True, lower_inclusive=draw(st.booleans()),
                     upper_inclusive=draw(st.booleans()))
    year = draw(st.none() | st.integers(min_value=1990, max_value=2100))
    month = draw(st.integers(min_value=1, max_value=12))
    last = [31, 29 if year is None or year % 4 == 0 and (year % 100 or year % 400 == 0) else 28,
            31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    day = draw(st.none() | st.integers(min_value=1, max_value=last))
    return Value("", Op.DEADLINE, deadline=Deadline(year, month, day))


@given(structured_values())
def test_format_round_trips(value):
    text = value.format()
    again = parse_value(text)
    assert without_text(again) == value, text


@given(structured_values())
def test_format_is_stable(value):
    assert parse_value(value.format()).format() == value.format()


# --- Exact unit conversion ------------------------------------------------------------------------------

money = st.one_of(st.integers(min_value=-10**15, max_value=10**15).map(Decimal),
                  st.decimals(min_value=-10**12, max_value=10**12, places=4))
MONEY_UNITS = ["元", "千元", "万元", "亿元", "万", "亿"]


@given(money, st.sampled_from(MONEY_UNITS), st.sampled_from(MONEY_UNITS))
def test_money_conversion_round_trips_exactly(amount, source, target):
    there = convert(amount, source, target)
    assert there is not None
    assert convert(there, target, source) == amount


@given(money)
def test_yuan_to_wan_yuan_moves_the_decimal_point(amount):
    assert convert(amount, "元", "万元") == amount.scaleb(-4)
    assert convert(convert(amount, "元", "万元"), "万元", "元") == amount
    assert convert(amount, "亿元", "元") == amount.scaleb(8)


@given(money, st.sampled_from(["人", "户", "人*月", "人/天"]))
def test_composite_money_units_convert_through_the_money_part(amount, per):
    assert convert(amount, f"万元/{per}", f"元/{per}") == amount.scaleb(4)
    assert convert(convert(amount, f"元/{per}", f"万元/{per}"), f"万元/{per}", f"元/{per}") == amount
    assert convert(amount, f"元/{per}", "元/公里") is None
    assert convert(amount, f"元/{per}", "元") is None


@given(st.decimals(min_value=0, max_value=10**9, places=3), st.sampled_from(["亩", "万亩"]),
       st.sampled_from(["米", "公里", "千米"]))
def test_area_and_length_convert_exactly(number, area, length):
    assert convert(convert(number, area, "亩"), "亩", area) == number
    assert convert(convert(number, length, "米"), "米", length) == number
    assert convert(number, area, length) is None


# --- The direct reading of simple values is the general one ------------------------------------------

from evaluator.language.numbers import bounds, range_of, simple, single  # noqa: E402
from evaluator.language.units import SIMPLE_UNITS  # noqa: E402


@given(sign=st.sampled_from(["", "≥", "≤", ">", "<", "="]), number=st.one_of(numbers, numbers.map(lambda n: -n)),
       unit=st.sampled_from(["", *sorted(SIMPLE_UNITS)]))
def test_the_direct_reading_of_simple_values_is_the_general_one(sign, number, unit):
    text = f"{sign}{number:f}{unit}"
    fast = simple(text)
    assert fast is not None, text
    assert fast == single(text) and range_of(text) is None and bounds(text) is None
