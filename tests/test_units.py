"""Unit vocabulary: canonical spellings, kinds, exact conversion."""

from decimal import Decimal

import pytest

from evaluator.language.units import convert, money_factor, normalise_unit, same_dimension, unit_kind


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        # percent
        ("%", "%"), ("％", "%"), ("百分比", "%"), ("百分率", "%"), (" % ", "%"), ("%(百分比)", "%"),
        ("%（百分比）", "%"), ("百分点", "百分点"), ("个百分点", "百分点"), ("‰", "‰"),
        # money; a bare 万 / 亿 after a number is money
        ("元", "元"), ("千元", "千元"), ("万元", "万元"), ("万", "万元"), ("亿元", "亿元"), ("亿", "亿元"),
        ("元（含）", "元"),
        # composite units: parts normalised, full-width ／ and 每 become /, * and · kept
        ("元/人", "元/人"), ("元／人", "元/人"), ("元/人/天", "元/人/天"), ("元/人*月", "元/人*月"),
        ("元/人·月", "元/人·月"), ("元/户", "元/户"), ("万元/人", "万元/人"), ("万/人", "万元/人"),
        ("元每人", "元/人"),
        # units written only in parentheses
        ("(个)", "个"), ("（人）", "人"),
        # time: a duration in months is 个月, 日 is 天
        ("月", "个月"), ("个月", "个月"), ("日", "天"), ("个工作日", "工作日"), ("年", "年"),
        # area and length
        ("㎡", "平方米"), ("m2", "平方米"), ("平方千米", "平方公里"), ("万亩", "万亩"), ("km", "公里"),
        ("千米", "千米"),
        # counts and unknown units are kept as written
        ("人次", "人次"), ("篇", "篇"), ("个行政村", "个行政村"), ("微克/立方米", "微克/立方米"), ("", ""),
    ],
)
def test_normalise_unit(raw, canonical):
    assert normalise_unit(raw) == canonical


@pytest.mark.parametrize(
    ("unit", "kind"),
    [
        ("%", "percent"), ("百分比", "percent"), ("百分点", "percent"),
        ("元", "money"), ("万元", "money"), ("万", "money"), ("亿元", "money"), ("千元", "money"),
        ("元/人", "money-rate"), ("元/人/天", "money-rate"),
        ("元/人*月", "money-rate"), ("万元/人", "money-rate"), ("元/户", "money-rate"),
        ("次", "count"), ("场", "count"), ("个", "count"), ("人", "count"), ("人次", "count"),
        ("户", "count"),
        ("份", "count"), ("项", "count"), ("件", "count"), ("例", "count"), ("篇", "count"), ("种", "count"),
        ("株", "count"), ("吨", "count"), ("万人", "count"), ("(个)", "count"),
        ("天", "time"), ("日", "time"), ("月", "time"), ("个月", "time"), ("年", "time"), ("小时", "time"),
        ("周", "time"), ("工作日", "time"),
        ("亩", "area"), ("万亩", "area"), ("平方米", "area"), ("公顷", "area"), ("平方公里", "area"),
        ("米", "length"), ("公里", "length"), ("千米", "length"),
        (None, "none"), ("", "none"),
        ("人/天", "other"), ("分贝", "other"), ("个行政村", "other"),
    ],
)
def test_unit_kind(unit, kind):
    assert unit_kind(unit) == kind


@pytest.mark.parametrize(
    ("unit", "factor"),
    [("元", 1), ("千元", 1000), ("万元", 10000), ("万", 10000), ("亿元", 100000000), ("亿", 100000000),
     ("万元/人", 10000), ("元/人*月", 1), ("%", None), ("人", None), (None, None)],
)
def test_money_factor(unit, factor):
    assert money_factor(unit) == (None if factor is None else Decimal(factor))


@pytest.mark.parametrize(
    ("number", "source", "target", "expected"),
    [
        ("790.64", "万元", "元", "7906400"),
        ("7906400", "元", "万元", "790.64"),
        ("36", "万", "元", "360000"),
        ("1.5", "亿元", "万元", "15000"),
        ("12000", "元", "千元", "12"),
        ("1", "元", "亿元", "0.00000001"),
        ("0.3", "万元/人", "元/人", "3000"),
        ("3000", "元/人", "万元/人", "0.3"),
        ("530", "元/人*月", "元/人*月", "530"),
        ("2", "万亩", "亩", "20000"),
        ("5000", "亩", "万亩", "0.5"),
        ("1.2", "公里", "米", "1200"),
        ("1", "千米", "公里", "1"),
        ("266", "米", "千米", "0.266"),
        ("3", "公顷", "平方米", "30000"),
        ("5", "‰", "%", "0.5"),
        ("1.2", "万人", "人", "12000"),
        ("2", "年", "个月", "24"),
        ("14", "天", "周", "2"),
        ("90", "%", "%", "90"),
        ("90", "％", "百分比", "90"),
        ("7", None, None, "7"),
    ],
)
def test_convert_is_exact(number, source, target, expected):
    result = convert(Decimal(number), source, target)
    assert result == Decimal(expected)
    assert format(result, "f") == expected  # exact, with no trailing zeros


@pytest.mark.parametrize(
    ("source", "target"),
    [("元", "%"), ("人", "次"), ("元/人", "元/户"), ("元/人", "元"), ("亩", "平方米"), (None, "%"),
     ("%", None), ("百分点", "%"), ("个月", "天"), ("人/天", "人/年"), ("分贝", "元")],
)
def test_convert_refuses_other_dimensions(source, target):
    assert convert(Decimal(1), source, target) is None
    assert not same_dimension(source, target)


def test_convert_refuses_inexact_results():
    assert convert(Decimal(8), "天", "周") is None  # 8/7 week is not a finite decimal


def test_same_dimension():
    assert same_dimension("万元", "元")
    assert same_dimension("万元/人", "元/人")
    assert same_dimension("%", "百分比")
    assert same_dimension("亩", "万亩")
    assert same_dimension(None, None)
    assert same_dimension("分贝", "分贝")  # an unknown unit compares with itself
