"""The indicator-value language, over every 指标值 / 实际完成值 of the published tables in
shared/cases/*.yaml and the seed's 指标值 column, written out here so the tests run from a clean clone.

Each expected parse is written by hand: op, number, upper, unit, approximate, explicit op, tier, deadline.
"""

import datetime
from decimal import Decimal

import pytest

from evaluator.language.direction import infer_direction
from evaluator.language.values import (
    Deadline,
    Direction,
    Op,
    Tier,
    Value,
    describe,
    parse_value,
    tier_of_text,
)

GE, GT, LE, LT, EQ = Op.GE, Op.GT, Op.LE, Op.LT, Op.EQ
RANGE, DEADLINE, QUAL, EMPTY, UNREADABLE = Op.RANGE, Op.DEADLINE, Op.QUALITATIVE, Op.EMPTY, Op.UNREADABLE
MET, PARTIAL, UNMET = Tier.MET, Tier.PARTIAL, Tier.UNMET


def exp(op, number=None, unit=None, *, upper=None, approximate=False, explicit=None, tier=None,
        deadline=None):
    """The expected fields; an op written as a sign or word is explicit, a bare number is not."""
    if explicit is None:
        explicit = op in (GE, GT, LE, LT, RANGE)
    return {
        "op": op, "number": None if number is None else Decimal(number),
        "upper": None if upper is None else Decimal(upper), "unit": unit, "approximate": approximate,
        "explicit_op": explicit, "tier": tier, "deadline": deadline,
    }


def fields(value: Value) -> dict:
    return {name: getattr(value, name) for name in
            ("op", "number", "upper", "unit", "approximate", "explicit_op", "tier", "deadline")}


# --- Strings from the published tables (shared/cases) and the seed (2023 石峰 人大) -------------------

COMPARATORS = [
    ("≥50个", exp(GE, "50", "个")),
    ("≥100百分比", exp(GE, "100", "%")),
    ("≤90万元", exp(LE, "90", "万元")),
    ("≧735人次", exp(GE, "735", "人次")),
    ("≧100%", exp(GE, "100", "%")),
    ("═100%", exp(EQ, "100", "%", explicit=True)),
    ("≧95%", exp(GE, "95", "%")),
    (">=21933人", exp(GE, "21933", "人")),
    (">=9431人", exp(GE, "9431", "人")),
    (">=59人次", exp(GE, "59", "人次")),
    (">=4754人", exp(GE, "4754", "人")),
    (">=7人", exp(GE, "7", "人")),
    (">=80人", exp(GE, "80", "人")),
    ("﹦72890元", exp(EQ, "72890", "元", explicit=True)),
    ("﹦100%", exp(EQ, "100", "%", explicit=True)),
    ("≥95%", exp(GE, "95", "%")),
    ("≥90%", exp(GE, "90", "%")),  # also an actual that repeats the target with its sign
    ("≥200平方米", exp(GE, "200", "平方米")),
    ("≥120米", exp(GE, "120", "米")),
    ("≥8400元", exp(GE, "8400", "元")),
    ("≥5个", exp(GE, "5", "个")),
    ("≥15年", exp(GE, "15", "年")),
    ("≥6次", exp(GE, "6", "次")),
    ("不少于12 种", exp(GE, "12", "种")),
    ("不少于6 种", exp(GE, "6", "种")),
    ("≥10次", exp(GE, "10", "次")),
    ("≤790.64万元", exp(LE, "790.64", "万元")),
    ("≤36万", exp(LE, "36", "万元")),
    ("≥500人", exp(GE, "500", "人")),
]

SUFFIX_FORMS = [
    ("90%以上", exp(GE, "90", "%")),
]

BARE_NUMBERS = [
    ("0", exp(EQ, "0")), ("0.1", exp(EQ, "0.1")), ("0.4", exp(EQ, "0.4")), ("0.9", exp(EQ, "0.9")),
    ("6", exp(EQ, "6")), ("15", exp(EQ, "15")), ("37.24", exp(EQ, "37.24")), ("43.2", exp(EQ, "43.2")),
    ("50", exp(EQ, "50")), ("90", exp(EQ, "90")), ("95", exp(EQ, "95")), ("100", exp(EQ, "100")),
    ("200", exp(EQ, "200")), ("500", exp(EQ, "500")), ("735", exp(EQ, "735")), ("1980", exp(EQ, "1980")),
    ("2074", exp(EQ, "2074")), ("4164", exp(EQ, "4164")), ("8000", exp(EQ, "8000")),
    ("11442", exp(EQ, "11442")), ("12767.36", exp(EQ, "12767.36")), ("72890", exp(EQ, "72890")),
    # OCR that lost its decimal points and digits: still a number, as written (case 44 raw_ocr)
    ("2810810", exp(EQ, "2810810")), ("2110110", exp(EQ, "2110110")), ("250105010", exp(EQ, "250105010")),
]

PERCENTS = [
    ("100%", exp(EQ, "100", "%")), ("100.00%", exp(EQ, "100", "%")), ("97.30%", exp(EQ, "97.3", "%")),
    ("2%", exp(EQ, "2", "%")), ("3%", exp(EQ, "3", "%")), ("70%", exp(EQ, "70", "%")),
    ("72.74%", exp(EQ, "72.74", "%")), ("76%", exp(EQ, "76", "%")), ("83.5%", exp(EQ, "83.5", "%")),
    ("90%", exp(EQ, "90", "%")), ("92%", exp(EQ, "92", "%")), ("95%", exp(EQ, "95", "%")),
    ("97%", exp(EQ, "97", "%")), ("98%", exp(EQ, "98", "%")), ("99.12%", exp(EQ, "99.12", "%")),
]

COUNTS = [
    ("116次", exp(EQ, "116", "次")), ("12次", exp(EQ, "12", "次")), ("150次", exp(EQ, "150", "次")),
    ("26次", exp(EQ, "26", "次")), ("43次", exp(EQ, "43", "次")), ("6次", exp(EQ, "6", "次")),
    ("96次", exp(EQ, "96", "次")), ("14例", exp(EQ, "14", "例")), ("8例", exp(EQ, "8", "例")),
    ("14种", exp(EQ, "14", "种")), ("28种", exp(EQ, "28", "种")), ("20份", exp(EQ, "20", "份")),
    ("1份", exp(EQ, "1", "份")), ("2200篇", exp(EQ, "2200", "篇")), ("2859篇", exp(EQ, "2859", "篇")),
    ("5个", exp(EQ, "5", "个")), ("87人次", exp(EQ, "87", "人次")),
    ("120人", exp(EQ, "120", "人")), ("1228人", exp(EQ, "1228", "人")), ("187人", exp(EQ, "187", "人")),
    ("203人", exp(EQ, "203", "人")), ("2089人", exp(EQ, "2089", "人")), ("209人", exp(EQ, "209", "人")),
    ("212人", exp(EQ, "212", "人")), ("214人", exp(EQ, "214", "人")), ("21980人", exp(EQ, "21980", "人")),
    ("221人", exp(EQ, "221", "人")), ("22584人", exp(EQ, "22584", "人")), ("24694人", exp(EQ, "24694", "人")),
    ("3220人", exp(EQ, "3220", "人")), ("3224人", exp(EQ, "3224", "人")), ("37442人", exp(EQ, "37442", "人")),
    ("3807人", exp(EQ, "3807", "人")), ("38508人", exp(EQ, "38508", "人")), ("4044人", exp(EQ, "4044", "人")),
    ("4604人", exp(EQ, "4604", "人")), ("5662人", exp(EQ, "5662", "人")), ("683人", exp(EQ, "683", "人")),
    ("695人", exp(EQ, "695", "人")), ("69人", exp(EQ, "69", "人")), ("770人", exp(EQ, "770", "人")),
    ("7人", exp(EQ, "7", "人")), ("863人", exp(EQ, "863", "人")), ("87人", exp(EQ, "87", "人")),
    ("9453人", exp(EQ, "9453", "人")),
]

APPROXIMATE = [
    ("200余人", exp(EQ, "200", "人", approximate=True)),
    ("600余人", exp(EQ, "600", "人", approximate=True)),
]

UNITS_AND_MONEY = [
    ("150万", exp(EQ, "150", "万元")),
    ("8400元", exp(EQ, "8400", "元")),
    ("204.46平方米", exp(EQ, "204.46", "平方米")),
    ("121.5米", exp(EQ, "121.5", "米")),
    ("15年", exp(EQ, "15", "年")),  # a duration, not a deadline
    ("1年", exp(EQ, "1", "年")),
]

COMPOSITE_UNITS = [
    (">=530元/人*月", exp(GE, "530", "元/人*月")),
    (">=570元/人*月", exp(GE, "570", "元/人*月")),
    ("583元/人*月", exp(EQ, "583", "元/人*月")),
    ("758元/人*月", exp(EQ, "758", "元/人*月")),
    ("<=5300元/户", exp(LE, "5300", "元/户")),
    ("5830元/户", exp(EQ, "5830", "元/户")),
    ("3000元/人", exp(EQ, "3000", "元/人")),
]

DEADLINES = [
    ("2023年12月", exp(DEADLINE, deadline=Deadline(2023, 12, None))),
    ("2023年10月", exp(DEADLINE, deadline=Deadline(2023, 10, None))),
    ("11月底前", exp(DEADLINE, deadline=Deadline(None, 11, None))),
    ("10月", exp(DEADLINE, deadline=Deadline(None, 10, None))),
    ("在项目计划完成时间内完成", exp(DEADLINE, deadline=Deadline(None, None, None), tier=MET)),
]

QUALITATIVE = [
    ("严格执行相关制度规定", exp(QUAL, tier=MET)),  # 执行 is a met word
    ("达成预期指标", exp(QUAL, tier=MET)),
    ("符合相关规定", exp(QUAL, tier=MET)),
    ("效果明显", exp(QUAL, tier=MET)),
    ("有效", exp(QUAL, tier=MET)),
    ("高", exp(QUAL)),
    ("好", exp(QUAL, tier=MET)),
    ("持续督促", exp(QUAL)),
    ("有所提升", exp(QUAL, tier=MET)),
    ("持续促进", exp(QUAL)),
    ("间接", exp(QUAL)),
    ("无直接生态效益", exp(QUAL)),
    ("良好", exp(QUAL, tier=MET)),
]

EMPTY_VALUES = [
    (None, exp(EMPTY)),
    ("无", exp(EMPTY)),
]

UNREADABLE_VALUES = [  # raw OCR strings of case 43 (raw_ocr_target)
    ("第O份", exp(UNREADABLE)),
    ("到0次", exp(UNREADABLE)),
    ("tot扁2200篇", exp(EQ, "2200", "篇")),  # the number and unit are clean; the note says what was dropped
]

PUBLISHED = (COMPARATORS + SUFFIX_FORMS + BARE_NUMBERS + PERCENTS + COUNTS + APPROXIMATE + UNITS_AND_MONEY
             + COMPOSITE_UNITS + DEADLINES + QUALITATIVE + EMPTY_VALUES + UNREADABLE_VALUES)


@pytest.mark.parametrize(("text", "expected"), PUBLISHED, ids=[str(t) for t, _ in PUBLISHED])
def test_published_values(text, expected):
    value = parse_value(text)
    assert fields(value) == expected
    assert value.text == ("" if text is None else text)


def test_published_table_has_no_duplicates():
    texts = [text for text, _ in PUBLISHED]
    assert len(texts) == len(set(texts)) == 153


# --- Other forms of the same language --------------------------------------------------------------

MORE_FORMS = [
    # comparator words; 以上/以下/以内 include the number, 超过/不满 exclude it
    ("不低于90%", exp(GE, "90", "%")), ("至少3次", exp(GE, "3", "次")), ("达到90%", exp(GE, "90", "%")),
    ("大于等于10次", exp(GE, "10", "次")), ("大于或等于10次", exp(GE, "10", "次")),
    ("不高于5%", exp(LE, "5", "%")), ("不超过100万元", exp(LE, "100", "万元")),
    ("不多于2次", exp(LE, "2", "次")),
    ("小于等于3天", exp(LE, "3", "天")), ("控制在5%以内", exp(LE, "5", "%")),
    ("控制在20万元内", exp(LE, "20", "万元")),
    ("超过90%", exp(GT, "90", "%")), ("高于80%", exp(GT, "80", "%")), ("多于5人", exp(GT, "5", "人")),
    ("大于0", exp(GT, "0")), ("低于1%", exp(LT, "1", "%")), ("少于3起", exp(LT, "3", "起")),
    ("不足5%", exp(LT, "5", "%")), ("不满18岁", exp(LT, "18", "岁")), ("小于2%", exp(LT, "2", "%")),
    ("等于100%", exp(EQ, "100", "%", explicit=True)), ("＝100%", exp(EQ, "100", "%", explicit=True)),
    ("≦5%", exp(LE, "5", "%")), ("＞＝９０％", exp(GE, "90", "%")), ("＜＝5%", exp(LE, "5", "%")),
    (">= 90 %", exp(GE, "90", "%")), (">= 90 %(百分比)", exp(GE, "90", "%")), ("> 5", exp(GT, "5")),
    ("< 3", exp(LT, "3")),
    # suffix forms
    ("5%以下", exp(LE, "5", "%")), ("10天以内", exp(LE, "10", "天")), ("100%以上", exp(GE, "100", "%")),
    ("30人及以上", exp(GE, "30", "人")), ("90%以上(不含)", exp(GT, "90", "%")),
    ("6个月内", exp(LE, "6", "个月")),
    ("15个工作日内", exp(LE, "15", "工作日")),
    # ranges
    ("90%-100%", exp(RANGE, "90", "%", upper="100")), ("90%~95%", exp(RANGE, "90", "%", upper="95")),
    ("90％～95％", exp(RANGE, "90", "%", upper="95")), ("90-95%", exp(RANGE, "90", "%", upper="95")),
    ("90%至95%", exp(RANGE, "90", "%", upper="95")), ("90%到95%", exp(RANGE, "90", "%", upper="95")),
    ("90%—100%", exp(RANGE, "90", "%", upper="100")), ("在3-5天之间", exp(RANGE, "3", "天", upper="5")),
    ("1-2年", exp(RANGE, "1", "年", upper="2")), ("100%-90%", exp(RANGE, "90", "%", upper="100")),
    ("5千元-1万元", exp(RANGE, "0.5", "万元", upper="1")), ("约90-100人", exp(RANGE, "90", "人", upper="100",
                                                                    approximate=True)),
    ("≥90%且≤100%", exp(RANGE, "90", "%", upper="100")),
    # numbers
    ("1,200人", exp(EQ, "1200", "人")), ("12,000元", exp(EQ, "12000", "元")),
    ("1，200人", exp(EQ, "1200", "人")),
    ("１２０人", exp(EQ, "120", "人")), ("９８．５％", exp(EQ, "98.5", "%")), ("十次", exp(EQ, "10", "次")),
    ("两次", exp(EQ, "2", "次")), ("三个", exp(EQ, "3", "个")), ("十二个月", exp(EQ, "12", "个月")),
    ("二十人", exp(EQ, "20", "人")), ("一百五十人", exp(EQ, "150", "人")),
    ("一千零五元", exp(EQ, "1005", "元")),
    ("不少于三次", exp(GE, "3", "次")), ("百分之九十", exp(EQ, "90", "%")), ("百分之95", exp(EQ, "95", "%")),
    ("12,345,678元", exp(EQ, "12345678", "元")),
    # approximate
    ("约500人", exp(EQ, "500", "人", approximate=True)),
    ("大约500人", exp(EQ, "500", "人", approximate=True)),
    ("500多人", exp(EQ, "500", "人", approximate=True)),
    ("500人左右", exp(EQ, "500", "人", approximate=True)),
    ("近500人", exp(EQ, "500", "人", approximate=True)), ("5万余元", exp(EQ, "5", "万元", approximate=True)),
    ("≥约500人", exp(GE, "500", "人", approximate=True)),
    # units, money and composite units
    ("50(个)", exp(EQ, "50", "个")), ("50（个）", exp(EQ, "50", "个")), ("3亿元", exp(EQ, "3", "亿元")),
    ("3亿", exp(EQ, "3", "亿元")), ("500千元", exp(EQ, "500", "千元")), ("1.2万人", exp(EQ, "1.2", "万人")),
    ("2万亩", exp(EQ, "2", "万亩")), ("3公里", exp(EQ, "3", "公里")), ("5个百分点", exp(EQ, "5", "百分点")),
    ("140元/人/天", exp(EQ, "140", "元/人/天")), ("530元/人·月", exp(EQ, "530", "元/人·月")),
    ("3000元／人", exp(EQ, "3000", "元/人")), ("0.3万元/人", exp(EQ, "0.3", "万元/人")),
    ("5分贝", exp(EQ, "5", "分贝")),  # a unit the tool does not know is kept as written
    # deadlines
    ("12月底前", exp(DEADLINE, deadline=Deadline(None, 12, None))),
    ("2023年12月31日前", exp(DEADLINE, deadline=Deadline(2023, 12, 31))),
    ("12月31日前完成", exp(DEADLINE, deadline=Deadline(None, 12, 31))),
    ("2023-12-31", exp(DEADLINE, deadline=Deadline(2023, 12, 31))),
    ("2023年", exp(DEADLINE, deadline=Deadline(2023, 12, None))),
    ("年内", exp(DEADLINE, deadline=Deadline(None, 12, None))),
    ("年底前", exp(DEADLINE, deadline=Deadline(None, 12, None))),
    ("本年度内完成", exp(DEADLINE, deadline=Deadline(None, 12, None))),
    ("上半年", exp(DEADLINE, deadline=Deadline(None, 6, None))),
    ("第三季度", exp(DEADLINE, deadline=Deadline(None, 9, None))),
    ("6月中旬", exp(DEADLINE, deadline=Deadline(None, 6, 20))),
    ("12月初", exp(DEADLINE, deadline=Deadline(None, 12, 10))),
    ("9月30号前", exp(DEADLINE, deadline=Deadline(None, 9, 30))),
    ("十二月底前", exp(DEADLINE, deadline=Deadline(None, 12, None))),
    ("按时完成", exp(DEADLINE, deadline=Deadline(None, None, None), tier=MET)),
    ("及时", exp(DEADLINE, deadline=Deadline(None, None, None), tier=MET)),  # on time
    # qualitative, with the tier the text names
    ("效果显著", exp(QUAL, tier=MET)), ("达成年度指标", exp(QUAL, tier=MET)),
    ("部分达成", exp(QUAL, tier=PARTIAL)),
    ("部分达成年度指标并具有一定效果", exp(QUAL, tier=PARTIAL)), ("基本完成", exp(QUAL, tier=PARTIAL)),
    ("未完成", exp(QUAL, tier=UNMET)), ("未达成年度指标且效果较差", exp(QUAL, tier=UNMET)),
    ("不符合", exp(QUAL, tier=UNMET)), ("一般", exp(QUAL, tier=PARTIAL)), ("一次性", exp(QUAL)),
    ("预算年度内", exp(QUAL)), ("控制在预算内", exp(QUAL, tier=MET)), ("超出预算", exp(QUAL, tier=UNMET)),
    ("A级", exp(QUAL)),
    # empty
    ("", exp(EMPTY)), ("/", exp(EMPTY)), ("-", exp(EMPTY)), ("—", exp(EMPTY)), ("——", exp(EMPTY)),
    ("null", exp(EMPTY)), ("  ", exp(EMPTY)), ("／", exp(EMPTY)),
    # unreadable
    ("2.3.5", exp(UNREADABLE)), ("≥90%以下", exp(UNREADABLE)), ("12月32日", exp(UNREADABLE)),
    ("5人以上参加培训", exp(UNREADABLE)), ("3天后", exp(UNREADABLE)), ("15日前", exp(UNREADABLE)),
    (".32.06.5", exp(UNREADABLE)), ("12月份底前", exp(DEADLINE, deadline=Deadline(None, 12, None))),
]


@pytest.mark.parametrize(("text", "expected"), MORE_FORMS, ids=[t for t, _ in MORE_FORMS])
def test_more_forms(text, expected):
    assert fields(parse_value(text)) == expected


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("第O份", "无法识别“第O份”：未找到数值（“O”可能是被误识别的数字）"),
        ("到0次", "无法识别“到0次”：数值前的“到”无法理解"),
        ("tot扁2200篇", "忽略了数值前无法识别的“tot扁”，请核对"),
        ("≥90%以下", "无法识别“≥90%以下”：比较符前后矛盾（“≥”与“≤”）"),
        ("2.3.5", "无法识别“2.3.5”：数字格式有误（小数点多于一个）"),
        ("12月32日", "无法识别“12月32日”：日期无效"),
        ("十次", "中文数字“十”按10理解"),
        ("100%-90%", "区间上下限写反，已按从小到大理解"),
        ("≥100%（全年平均）", "括号中的“全年平均”未使用"),
    ],
)
def test_notes_say_why_in_chinese(text, note):
    assert parse_value(text).note == note


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, exp(EMPTY)), (7, exp(EQ, "7")), (0, exp(EQ, "0")), (0.9, exp(EQ, "0.9")),
        (0.1, exp(EQ, "0.1")),
        (37.24, exp(EQ, "37.24")), (Decimal("790.64"), exp(EQ, "790.64")), (float("nan"), exp(EMPTY)),
        (float("inf"), exp(UNREADABLE)), (Decimal("NaN"), exp(EMPTY)), (True, exp(UNREADABLE)),
        (["≥10次"], exp(UNREADABLE)),
    ],
)
def test_non_text_input(raw, expected):
    value = parse_value(raw)
    assert fields(value) == expected
    assert isinstance(value.text, str)


def test_float_input_is_read_through_its_repr_not_binary():
    assert parse_value(0.1).number == Decimal("0.1")
    assert parse_value(790.64).number == Decimal("790.64")


def test_range_with_exclusive_end():
    value = parse_value(">90%,<=100%")
    assert (value.op, value.number, value.upper, value.unit) == (RANGE, Decimal(90), Decimal(100), "%")
    assert (value.lower_inclusive, value.upper_inclusive) == (False, True)
    assert value.format() == ">90%且≤100%"


def test_repeated_strings_share_one_parse():
    assert parse_value("≥10次") is parse_value("≥10次")


# --- Properties, to_json, format -----------------------------------------------------------------

def test_qualitative_and_numeric_properties():
    assert parse_value("有所提升").qualitative
    assert parse_value("按时完成").qualitative
    assert not parse_value("12月底前").qualitative
    assert not parse_value("≥10次").qualitative
    assert parse_value("≥10次").is_numeric
    assert parse_value("90%-100%").is_numeric
    assert not parse_value("无").is_numeric
    assert not parse_value("11月底前").is_numeric


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("≥10次", {"op": ">=", "value": 10, "unit": "次"}),
        ("≤790.64万元", {"op": "<=", "value": 790.64, "unit": "万元"}),
        ("100%", {"op": "=", "value": 100, "unit": "%"}),
        ("90%-100%", {"op": "range", "value": 90, "upper": 100, "unit": "%"}),
        ("200余人", {"op": "=", "value": 200, "unit": "人", "approximate": True}),
        ("达成预期指标", {"op": "qualitative", "value": None, "unit": None, "tier": "达成"}),
        ("2023年12月31日前", {"op": "deadline", "value": None, "unit": None, "deadline": "2023-12-31"}),
        ("2023年2月", {"op": "deadline", "value": None, "unit": None, "deadline": "2023-02-28"}),
        ("11月底前", {"op": "deadline", "value": None, "unit": None, "deadline": "11-30"}),
        ("无", {"op": "empty", "value": None, "unit": None}),
        ("第O份", {"op": "unreadable", "value": None, "unit": None,
                  "note": "无法识别“第O份”：未找到数值（“O”可能是被误识别的数字）"}),
    ],
)
def test_to_json(text, parsed):
    assert parse_value(text).to_json() == parsed


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("≥10次", "≥10次"), (">=21933人", "≥21933人"), ("≤790.64万元", "≤790.64万元"), ("≤36万", "≤36万元"),
        ("90%以上", "≥90%"), ("不少于12 种", "≥12种"), ("═100%", "=100%"), ("100%", "100%"),
        ("97.30%", "97.3%"), ("90%至95%", "90%-95%"), ("200余人", "约200人"), ("十次", "10次"),
        ("11月底前", "11月底前"), ("年内", "12月底前"), ("2023年12月", "2023年12月底前"),
        ("2023年12月31日前", "2023年12月31日前"), ("有所提升", "有所提升"), ("无", ""),
    ],
)
def test_format(text, canonical):
    value = parse_value(text)
    assert value.format() == canonical
    again = parse_value(canonical)
    assert fields(again) == fields(value)


def test_deadline_as_date():
    assert Deadline(2023, 12, 31).as_date(2020) == datetime.date(2023, 12, 31)
    assert Deadline(None, 11, None).as_date(2023) == datetime.date(2023, 11, 30)
    assert Deadline(None, 2, None).as_date(2024) == datetime.date(2024, 2, 29)
    assert Deadline(None, None, None).as_date(2023) is None


# --- Tiers --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "tier"),
    [
        ("达成预期指标", MET), ("达成年度指标", MET), ("已完成", MET), ("完成", MET), ("效果明显", MET),
        ("符合", MET), ("良好", MET), ("好", MET), ("是", MET),
        ("部分达成年度指标并具有一定效果", PARTIAL), ("基本完成", PARTIAL), ("基本达成", PARTIAL),
        ("较好", PARTIAL), ("一般", PARTIAL),
        ("未达成年度指标且效果较差", UNMET), ("未完成", UNMET), ("效果较差", UNMET), ("否", UNMET),
        ("差", UNMET),
        ("不符合", UNMET),
        ("差错率低", None), ("持续督促", None), ("高", None), ("", None), (None, None),
    ],
)
def test_tier_of_text(text, tier):
    assert tier_of_text(text) is tier


# --- Direction -----------------------------------------------------------------------------------------

SEED_DIRECTIONS = [  # (level2, name, 指标值, direction, reason)
    ("数量指标", "召开常委会", "≥10次", Direction.HIGHER, "写明“≥/不少于”，越高越好"),
    ("时效指标", "预算年度内", "1年", Direction.AMBIGUOUS,
     "单写“1年”，无法判断是完成时限还是持续年限（时效指标通常指完成时限，可按≤理解）"),
    ("成本指标", "控制在预算数内", "≤790.64万元", Direction.LOWER, "写明“≤/不超过”，越低越好"),
    ("经济效益指标", "督促政府完成全年财政收支任务", "持续督促", Direction.QUALITATIVE,
     "定性指标，按达成程度分档评分"),
    ("社会效益指标", "代表履职能力", "有所提升", Direction.QUALITATIVE, "定性指标，按达成程度分档评分"),
    ("可持续影响指标", "人事任前法律考试完成率", "100%", Direction.EQUAL, "未写比较符，按等于目标值理解"),
    ("社会公众及服务对象满意度指标", "服务对象满意度", "90%以上", Direction.HIGHER,
     "写明“≥/不少于”，越高越好"),
    ("成本指标", "成本控制数", "≤36万", Direction.LOWER, "写明“≤/不超过”，越低越好"),
    ("成本指标", "人大代表人数", "187人", Direction.AMBIGUOUS, "成本指标下的“187人”不是金额，方向不明"),
    ("成本指标", "人大代表活动经费标准", "3000元/人", Direction.LOWER, "成本指标的金额为上限，越低越好"),
    ("经济效益指标", "通过参政议政水平的提高", "无", Direction.AMBIGUOUS, "未填写指标值，方向不明"),
    ("生态效益指标", "营造良好的政治生态", "良好", Direction.QUALITATIVE, "定性指标，按达成程度分档评分"),
    ("数量指标", "审查、批准报告", "1份", Direction.EQUAL, "未写比较符，按等于目标值理解"),
]


@pytest.mark.parametrize(("level2", "name", "text", "direction", "reason"), SEED_DIRECTIONS,
                         ids=[row[2] + "@" + row[0] for row in SEED_DIRECTIONS])
def test_direction_of_seed_indicators(level2, name, text, direction, reason):
    got = infer_direction(parse_value(text), level1="产出指标", level2=level2, name=name)
    assert got == (direction, reason)


@pytest.mark.parametrize(
    ("text", "level2", "name", "direction"),
    [
        ("0.9", None, "森林火灾受害率", Direction.LOWER),
        ("0.4", None, "主要林业有害生物成灾率", Direction.LOWER),
        ("3%", None, "预算调整率", Direction.LOWER),
        ("2%", None, "结转结余率", Direction.LOWER),
        ("100%", None, "财政供养人员控制率", Direction.LOWER),
        ("100%", None, "政府采购执行率", Direction.EQUAL),
        ("≥95%", "社会效益指标", "违法行为责停率", Direction.HIGHER),
        ("95%", "社会效益指标", "违法行为责停率", Direction.EQUAL),  # 责停 handles 违法: not a lower word
        ("2次", "质量指标", "有效投诉次数", Direction.LOWER),
        ("100%", "质量指标", "投诉处理率", Direction.EQUAL),
        ("0", "质量指标", "安全事故", Direction.LOWER),
        ("=0起", "质量指标", "安全事故", Direction.LOWER),
        ("═100%", "成本指标", "生均补助标准达标率", Direction.EQUAL),
        ("150万", "成本指标", "市民中心运行维护费", Direction.LOWER),
        ("90", "成本指标", "项目总成本", Direction.AMBIGUOUS),
        ("≥15年", "可持续影响指标", "可持续影响年限", Direction.HIGHER),
        ("15年", "可持续影响指标", "可持续影响年限", Direction.AMBIGUOUS),
        ("90%-100%", None, "满意度", Direction.EQUAL),
        ("11月底前", "时效指标", "业务培训时限", Direction.DEADLINE),
        ("在项目计划完成时间内完成", "时效指标", "提交报告及时性", Direction.DEADLINE),
        ("第O份", None, "制作宣传品数量", Direction.AMBIGUOUS),
        ("<3起", None, "事故", Direction.LOWER),
        (">0", None, "增长", Direction.HIGHER),
    ],
)
def test_direction_from_context(text, level2, name, direction):
    assert infer_direction(parse_value(text), level2=level2, name=name)[0] is direction


def test_direction_reasons_name_the_keyword():
    assert infer_direction(parse_value("0.9"), name="森林火灾受害率") == (
        Direction.LOWER, "指标名称含“受害率”，越低越好")
    assert infer_direction(parse_value("0")) == (Direction.LOWER, "目标为0，出现即扣分")
    assert infer_direction(parse_value("═100%")) == (Direction.EQUAL, "写明“=”，按等于目标值理解")
    assert infer_direction(parse_value("90%-100%")) == (Direction.EQUAL, "区间目标，落在区间内为达成")
    assert infer_direction(parse_value("第O份")) == (Direction.AMBIGUOUS, "指标值无法识别，方向不明")
    assert infer_direction(parse_value("90"), level2="成本指标") == (
        Direction.AMBIGUOUS, "成本指标下的“90”未写金额单位，方向不明")


def test_direction_labels():
    assert [d.label for d in Direction] == ["越高越好", "越低越好", "等于目标值", "定性", "时限", "方向不明"]


# --- describe ------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "direction", "described"),
    [
        ("≥10次", Direction.HIGHER, "不少于10次（越高越好）"),
        ("≤790.64万元", Direction.LOWER, "不超过790.64万元（越低越好）"),
        ("90%以上", Direction.HIGHER, "不低于90%（越高越好）"),
        ("超过90%", None, "高于90%"),
        ("不满18岁", None, "少于18岁"),
        ("100%", Direction.EQUAL, "100%（等于目标值）"),
        ("═100%", Direction.EQUAL, "等于100%（等于目标值）"),
        ("有所提升", None, "定性：有所提升"),
        ("有所提升", Direction.QUALITATIVE, "定性：有所提升"),
        ("12月31日前", None, "12月31日前完成（时限）"),
        ("12月底前", Direction.DEADLINE, "12月底前完成（时限）"),
        ("2023年12月31日前", None, "2023年12月31日前完成（时限）"),
        ("按时完成", None, "时限：按时完成（时限）"),
        ("约500人", None, "约500人（近似值）"),
        ("200余人", Direction.EQUAL, "约200人（近似值，等于目标值）"),
        ("90%-100%", Direction.EQUAL, "90%至100%（等于目标值）"),
        (">90%,<=100%", None, "高于90%且不高于100%"),
        ("大于5人小于10人", None, "超过5人且少于10人"),
        ("1年", Direction.AMBIGUOUS, "1年（方向不明）"),
        ("无", None, "“无”（无具体数值）"),
        ("", None, "未填写"),
        ("第O份", None, "无法识别：第O份"),
    ],
)
def test_describe(text, direction, described):
    assert describe(parse_value(text), direction) == described


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        ("60%", "高血压患者规范管理血压控制率", Direction.AMBIGUOUS),  # a health rate: higher is better
        ("100%", "财政供养人员控制率", Direction.LOWER),  # 53号: staff ÷ establishment, at most 100%
        ("5%", "发病率下降率", Direction.EQUAL),  # a fall in a bad rate is good: not lower-is-better
        ("100%", "投诉处理率", Direction.EQUAL),
    ],
)
def test_rate_names_do_not_push_the_direction_the_wrong_way(text, name, expected):
    assert infer_direction(parse_value(text), name=name)[0] is expected


@pytest.mark.parametrize(
    ("text", "tier"),
    [
        ("未能按时完成", Tier.UNMET), ("没有完成", Tier.UNMET), ("未能完成", Tier.UNMET), ("不符合", Tier.UNMET),
        ("未全部完成", Tier.PARTIAL), ("不完全达标", Tier.PARTIAL), ("不够良好", Tier.PARTIAL),
        ("有待提高", Tier.PARTIAL),
        ("明显提升", Tier.MET), ("显著提高", Tier.MET), ("已落实", Tier.MET), ("优秀", Tier.MET),
        ("不断提高", Tier.MET),
    ],
)
def test_negated_answers_are_not_read_as_met(text, tier):
    assert tier_of_text(text) is tier
