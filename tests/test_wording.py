"""The wording real 自评表 use every day, scored as a finance officer scores it (national-2020, 10 points).

Each row is (指标值, 实际完成值, the verdict, the score), written out by hand: the status a finance
officer gives the pair and the points out of 10 (None: 待确认, no score until the table is fixed).
The families are those of issue 11: deadlines and late words, qualitative verdicts and their
negations, zero-event targets, rates per population, unit-less actuals whose scale is clear,
changes from last year, department-wide standard indicators with an empty 指标值, contradictions; then
every (指标值, 实际完成值) pair of the published tables in shared/cases, under the national rules.
The same families are property tests at the end where they generalise.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from builders import actual, indicator, make
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluator.language.values import parse_value
from evaluator.language.verdicts import Tier, read_verdict
from evaluator.model import Actuals, IndicatorActual, PreviousYear, Targets
from evaluator.rules import load_rules
from evaluator.scoring import evaluate

NATIONAL = load_rules("national-2020")
MET, EXCEEDED, PARTIAL, UNMET = "met", "exceeded", "partial", "unmet"
QMET, QPARTIAL, QUNMET, PENDING = "qualitative-met", "qualitative-partial", "qualitative-unmet", "pending"
TIME = {"level2": "时效指标"}
QUAL = {"level2": "社会效益指标"}


def _s(score: str | None) -> Decimal | None:
    return None if score is None else Decimal(score)


# (指标值, 实际完成值, status, score of 10, indicator and entry options)
DEADLINES = [
    ("2023年12月底前", "延期完成", UNMET, "0.00", TIME),
    ("2023年12月底前", "逾期完成", UNMET, "0.00", TIME),
    ("2023年12月底前", "推迟至2024年3月完成", UNMET, "0.00", TIME),
    ("2023年12月底前", "延迟两个月完成", UNMET, "0.00", TIME),
    ("2023年12月底前", "未按期完成", UNMET, "0.00", TIME),
    ("2023年12月底前", "未按时完成", UNMET, "0.00", TIME),
    ("2023年12月底前", "进度滞后", UNMET, "0.00", TIME),
    ("2023年12月底前", "延期至2024年1月", UNMET, "0.00", TIME),
    ("2023年12月底前", "逾期2个月", UNMET, "0.00", TIME),
    ("2023年12月底前", "2023年底", MET, "10.00", TIME),
    ("2023年12月底前", "2023年末", MET, "10.00", TIME),
    ("2023年12月底前", "2023年年底", MET, "10.00", TIME),
    ("2023年12月底前", "2023年12月", MET, "10.00", TIME),
    ("2023年12月底前", "12月20日", MET, "10.00", TIME),
    ("2023年12月底前", "2023-12-20", MET, "10.00", TIME),
    ("2023年12月底前", "2024年1月", UNMET, "0.00", TIME),
    ("2023年12月底前", "提前完成", MET, "10.00", TIME),
    ("2023年12月底前", "提前1个月完成", MET, "10.00", TIME),
    ("2023年12月底前", "按时完成", MET, "10.00", TIME),
    ("2023年12月底前", "如期完成", MET, "10.00", TIME),
    ("2023年12月底前", "在规定时间内完成", MET, "10.00", TIME),
    ("2023年12月底前", "正在推进", PENDING, None, TIME),
    ("11月底前", "11月底完成", MET, "10.00", TIME),
    ("11月底前", "12月5日", UNMET, "0.00", TIME),
    ("11月底前", "10月", MET, "10.00", TIME),  # case 34
    ("10月底前完成", "9月完成", MET, "10.00", TIME),
    ("2023年6月30日前", "2023年7月", UNMET, "0.00", TIME),
    ("上半年", "5月", MET, "10.00", TIME),
    ("第三季度", "10月", UNMET, "0.00", TIME),
    ("年内完成", "2023年12月31日", MET, "10.00", TIME),
    ("12月底前拨付到位", "12月15日拨付到位", MET, "10.00", TIME),
    ("按时拨付", "按时拨付", MET, "10.00", TIME),
    ("按时拨付", "已按时拨付", MET, "10.00", TIME),
    ("按时拨付", "未按时拨付", UNMET, "0.00", TIME),
    ("及时发放", "已及时发放到位", MET, "10.00", TIME),
    ("按期办结", "按期办结", MET, "10.00", TIME),
    ("按时完成", "延期完成", UNMET, "0.00", TIME),
    ("按时完成", "未能按时完成", UNMET, "0.00", TIME),
    ("按时完成", "2023年11月", MET, "10.00", TIME),  # no date asked: done within the year
    ("按时完成", "2024年2月", UNMET, "0.00", TIME),
    ("按时完成", "已完成", QMET, "10.00", TIME),
    ("在项目计划完成时间内完成", "达成预期指标", QMET, "10.00", TIME),  # case 01
    ("12月底前", "资金已于12月全部拨付", MET, "10.00", TIME),  # a completion date in a sentence
    ("12月底前", "已于2024年1月拨付", UNMET, "0.00", TIME),
    ("2023年12月底前", "基本完成，个别事项延期", UNMET, "0.00", TIME),  # late, for a deadline
]

VERDICTS = [
    ("有所提升", "达到预期", QMET, "10.00", QUAL),
    ("有所提升", "已达到", QMET, "10.00", QUAL),
    ("有所提升", "有所改善", QMET, "10.00", QUAL),
    ("有所提升", "明显改善", QMET, "10.00", QUAL),
    ("有所提升", "显著提升", QMET, "10.00", QUAL),
    ("有所提升", "有所提高", QMET, "10.00", QUAL),
    ("有所提升", "明显提高", QMET, "10.00", QUAL),
    ("有所提升", "达标", QMET, "10.00", QUAL),
    ("有所提升", "验收合格", QMET, "10.00", QUAL),
    ("有所提升", "效果明显", QMET, "10.00", QUAL),
    ("有所提升", "达成", QMET, "10.00", QUAL),
    ("有所提升", "基本完成", QPARTIAL, "7.00", QUAL),
    ("有所提升", "基本达到预期", QPARTIAL, "7.00", QUAL),
    ("有所提升", "效果不明显", QPARTIAL, "7.00", QUAL),
    ("有所提升", "较好", QPARTIAL, "7.00", QUAL),
    ("有所提升", "一般", QPARTIAL, "7.00", QUAL),
    ("有所提升", "部分完成", QPARTIAL, "7.00", QUAL),
    ("有所提升", "部分达成", QPARTIAL, "7.00", QUAL),
    ("有所提升", "有待提高", QPARTIAL, "7.00", QUAL),
    ("有所提升", "未全部完成", QPARTIAL, "7.00", QUAL),
    ("有所提升", "按时完成，效果不明显", QPARTIAL, "7.00", QUAL),
    ("有所提升", "无明显变化", QUNMET, "3.00", QUAL),
    ("有所提升", "较差", QUNMET, "3.00", QUAL),
    ("有所提升", "未达到预期", QUNMET, "3.00", QUAL),
    ("有所提升", "没有提升", QUNMET, "3.00", QUAL),
    ("有所提升", "未见成效", QUNMET, "3.00", QUAL),
    ("有所提升", "未达成", QUNMET, "3.00", QUAL),
    ("有所提升", "还行", PENDING, None, QUAL),
    ("有所提升", "见附件", PENDING, None, QUAL),
    ("有所提升", "已完成，但未达标", PENDING, None, QUAL),  # met and not met at once
    ("有所提升", "基本完成，个别事项延期", QPARTIAL, "7.00", QUAL),  # the result's words decide the tier
    ("有所提升", "已完成，但延期1个月", QMET, "10.00", QUAL),
    ("长期", "持续发挥作用", QMET, "10.00", {"level2": "可持续影响指标"}),
    ("长期", "长期有效", QMET, "10.00", {"level2": "可持续影响指标"}),
    ("长期", "持续发挥效益", QMET, "10.00", {"level2": "可持续影响指标"}),
    ("规范", "规范", QMET, "10.00", QUAL),
    ("规范", "不规范", QUNMET, "3.00", QUAL),
    ("规范", "基本规范", QPARTIAL, "7.00", QUAL),
    ("规范", "不够规范", QPARTIAL, "7.00", QUAL),
    ("合规", "合规", QMET, "10.00", QUAL),
    ("合规", "不合规", QUNMET, "3.00", QUAL),
    ("满意", "满意", QMET, "10.00", QUAL),
    ("满意", "不满意", QUNMET, "3.00", QUAL),
    ("满意", "基本满意", QPARTIAL, "7.00", QUAL),
    ("高", "高", QMET, "10.00", QUAL),  # case 43: the target repeated
    ("高", "不高", QUNMET, "3.00", QUAL),  # the target negated
    ("好", "好", QMET, "10.00", QUAL),
    ("好", "差", QUNMET, "3.00", QUAL),
    ("有效", "有效", QMET, "10.00", QUAL),  # case 06
    ("有效", "无效", QUNMET, "3.00", QUAL),
    ("效果明显", "达成预期指标", QMET, "10.00", QUAL),  # case 01
    ("严格执行相关制度规定", "达成预期指标", QMET, "10.00", {"level2": "质量指标"}),
    ("符合相关规定", "达成预期指标", QMET, "10.00", {"level2": "成本指标"}),
    ("持续督促", "持续督促：全年听取审议专项工作报告8项", QMET, "10.00", QUAL),  # contains the target
    ("良好", "良好", QMET, "10.00", QUAL),
    ("良好", "较好", QPARTIAL, "7.00", QUAL),
    ("间接", "间接推动经济发展", QMET, "10.00", QUAL),
    ("无直接生态效益", "无直接生态效益", QMET, "10.00", QUAL),
    ("有所提升", "有所提升", QMET, "10.00", QUAL),
    ("有所提升", "部分达成", QPARTIAL, "7.50", {**QUAL, "pct": "75"}),
    ("有所提升", "良好", QPARTIAL, "6.00", {**QUAL, "tier": "部分达成", "pct": "60"}),  # the entered tier wins
    ("≥10次", "已完成", QMET, "10.00", {}),  # words for a number: their tier, flagged
    ("≥10次", "未完成", QUNMET, "3.00", {}),
]

ZERO_EVENTS = [
    ("0起", "0起", MET, "10.00", {"name": "安全事故"}),
    ("0起", "未发生", MET, "10.00", {"name": "安全事故"}),
    ("0起", "无", MET, "10.00", {"name": "安全事故"}),
    ("0起", "零", MET, "10.00", {"name": "安全事故"}),
    ("0起", "没有", MET, "10.00", {"name": "安全事故"}),
    ("0起", "发生2起", UNMET, "0.00", {"name": "安全事故"}),
    ("0起", "2起", UNMET, "0.00", {"name": "安全事故"}),
    ("无重大安全事故", "未发生", MET, "10.00", {"name": "安全生产"}),
    ("无重大安全事故", "无", MET, "10.00", {"name": "安全生产"}),
    ("无重大安全事故", "未发生重大安全事故", MET, "10.00", {"name": "安全生产"}),
    ("无重大安全事故", "发生1起", UNMET, "0.00", {"name": "安全生产"}),
    ("零投诉", "无投诉", MET, "10.00", {"name": "有效投诉"}),
    ("无投诉", "0次", MET, "10.00", {"name": "有效投诉"}),
    ("安全事故0起", "0", MET, "10.00", {"name": "安全生产"}),
    ("无有效投诉", "1次", UNMET, "0.00", {"name": "服务质量"}),
]

RATES = [
    ("≤10/10万", "8/10万", MET, "10.00", {"name": "孕产妇死亡率"}),
    ("≤10/10万", "12/10万", PARTIAL, "8.33", {"name": "孕产妇死亡率"}),
    ("≤10/10万", "0.012%", PARTIAL, "8.33", {"name": "孕产妇死亡率"}),  # 0.012% = 12/10万
    ("≤20/10万", "每10万人15例", EXCEEDED, "10.00", {"name": "发病率"}),
    ("≤5‰", "0.3%", EXCEEDED, "10.00", {"name": "婴儿死亡率"}),
    ("≤5‰", "0.6%", PARTIAL, "8.33", {"name": "婴儿死亡率"}),
    ("≤0.5‰", "5/10万", EXCEEDED, "10.00", {"name": "事故率"}),
    ("≤1‱", "0.8/万", MET, "10.00", {"name": "差错率"}),
    ("≤3%", "万分之5", EXCEEDED, "10.00", {"name": "差错率"}),
    ("≥95%", "950‰", MET, "10.00", {"name": "合格率"}),
]

SCALES = [
    ("≥90%", "0.92", MET, "10.00", {}),  # 92%, with a warning
    ("≥90%", "0.85", PARTIAL, "9.44", {}),
    ("≥90%", "92", MET, "10.00", {}),
    ("100%", "1", MET, "10.00", {}),
    ("≥95%", "0.5", PARTIAL, "5.26", {}),  # 50%, the only reading within half and twice 95%
    ("≥1.5%", "0.93", PARTIAL, "6.20", {}),  # 0.93% is plausible: kept as written
    ("≤50万元", "480000", MET, "10.00", {"level2": "成本指标"}),  # 48万元, with a warning
    ("≤50万元", "550000", PARTIAL, "9.09", {"level2": "成本指标"}),
    ("≤36万元", "352000", MET, "10.00", {"level2": "成本指标"}),
    ("≥8400元", "0.84", MET, "10.00", {"level2": "经济效益指标"}),  # 0.84万元
    ("≤50万元", "48", MET, "10.00", {"level2": "成本指标"}),
    ("≥10次", "12万元", "invalid", "0.00", {}),  # a unit that cannot be converted stays an error
    ("≥95%", "满意度95%", MET, "10.00", {}),  # the indicator's name repeated before the value
    ("100%", "完成率98%", PARTIAL, "9.80", {}),
    ("≥10次", "已完成12次", MET, "10.00", {}),
    ("≥1000人", "受益人数1200人", MET, "10.00", {}),
    ("100%完成", "100%", MET, "10.00", {}),  # the verb after the unit is not part of it
    ("力争达到95%", "96%", MET, "10.00", {}),
    ("≥10次", "共开展12次", MET, "10.00", {}),  # an activity verb before the number, with a word of total
    ("≥10次", "全年召开8次", PARTIAL, "8.00", {}),
    ("≥3期", "累计举办3期", MET, "10.00", {}),
    ("≥100万元", "发放120万元", MET, "10.00", {"level2": "经济效益指标"}),
    ("≥10次", "开展", PENDING, None, {}),  # the verb alone is no number: pending, not 0
    ("≥3次", "开展3次培训", MET, "10.00", {}),  # the unit, then what was counted: the same unit, flagged
    ("≥3个", "2个项目", PARTIAL, "6.67", {}),
    ("≥100万元", "120万元补贴", MET, "10.00", {"level2": "经济效益指标"}),
    ("≥100万元", "120元补贴", "invalid", "0.00", {"level2": "经济效益指标"}),  # another unit: still an error
    ("≤5天", "3个工作日", EXCEEDED, "10.00", TIME),  # working days for days: one for one, flagged unit-near
    ("≥1次/月", "12次/年", MET, "10.00", {}),  # a count per period converts exactly through the period
    ("≥1次/月", "6次/年", PARTIAL, "5.00", {}),
    ("≥4次/年", "1次/季度", MET, "10.00", {}),
    ("≥1次/月", "12人/年", "invalid", "0.00", {}),  # another counted thing: no conversion
    ("100%", "百分百", MET, "10.00", {}),
    ("100%", "百分百完成", MET, "10.00", {}),
    ("全覆盖", "100%", QMET, "10.00", QUAL),  # the whole is 100%
    ("应保尽保", "100%", QMET, "10.00", QUAL),
    ("全覆盖", "98%", PENDING, None, QUAL),  # less than the whole: the department's tier decides
]

# A count per period ("每季度1次", "每月不少于1次"), and an actual that counts the year evaluated
PERIODS = [
    ("每季度1次", "4次", MET, "10.00", {}),  # 4次 in the year is 1次/季度 (unit-assumed, said so)
    ("每季度1次", "3次", PARTIAL, "7.50", {}),
    ("每月不少于1次", "12次", MET, "10.00", {}),
    ("每月1次", "10次", PARTIAL, "8.33", {}),  # 0.8333…次/月, compared at 28 digits
    ("每月1次以上", "1次/月", MET, "10.00", {}),
    ("每周一次", "1次/周", MET, "10.00", {}),
    ("每年两次以上", "3次", EXCEEDED, "10.00", {}),
    ("每周1次", "50次", "invalid", "0.00", {}),  # a year has no whole number of weeks: the unit must be written
    ("≥1年", "11个月", PARTIAL, "9.17", TIME),
]

COST = {"level2": "成本指标"}
BUDGET_WORDS = [  # a cost target written against the budget, and the words that answer it
    ("≤预算数", "未超预算", QMET, "10.00", COST),
    ("控制在预算内", "在预算范围内", QMET, "10.00", COST),
    ("控制在预算内", "未超支", QMET, "10.00", COST),
    ("≤预算数", "没有超出预算", QMET, "10.00", COST),
    ("不超过预算", "超出预算", QUNMET, "3.00", COST),
    ("不超过预算", "超支5万元", QUNMET, "3.00", COST),
]

CHANGES = [
    ("较上年增长10%", "增长12%", MET, "10.00", {}),
    ("较上年增长10%", "增长8%", PARTIAL, "8.00", {}),
    ("较上年增长10%", "同比增长15%", EXCEEDED, "10.00", {}),
    ("同比下降5%", "下降6%", MET, "10.00", {}),
    ("同比下降5%", "下降3%", PARTIAL, "6.00", {}),
    ("同比下降5%", "增长2%", UNMET, "0.00", {}),  # a rise against a required fall
    ("提高2个百分点", "提高2.5个百分点", MET, "10.00", {}),
    ("提高2个百分点", "提高1个百分点", PARTIAL, "5.00", {}),
    ("降低2个百分点", "降低3个百分点", EXCEEDED, "10.00", {}),
    ("增幅不低于8%", "增长10%", MET, "10.00", {}),
    ("不低于上年", "增长3%", MET, "10.00", {}),
    ("不低于上年", "下降1%", UNMET, "0.00", {}),
    ("≥上年", "增长1%", MET, "10.00", {}),
    ("较上年增长10%", "1200人", PENDING, None, {}),  # a level, and no previous year
    ("较上年增长10%", "提高2个百分点", PENDING, None, {}),  # percent and points do not mix
    ("≥90%", "增长12%", PENDING, None, {}),  # a change against a level
    ("较上年增长10%", "1200人", EXCEEDED, "10.00", {"prev": "1000人"}),  # (1200−1000)/1000 = 20%: twice the 10%
    ("较上年增长10%", "1050人", PARTIAL, "5.00", {"prev": "1000人"}),  # 5% of 10%
    ("较上年增长10%", "1100人", MET, "10.00", {"prev": "1000人"}),
    ("提高2个百分点", "92%", MET, "10.00", {"prev": "90%"}),
    ("同比下降5%", "95万元", MET, "10.00", {"prev": "100万元"}),
    ("同比下降5%", "99万元", PARTIAL, "2.00", {"prev": "100万元"}),
    ("较上年增长10%", "1200人", PENDING, None, {"prev": "有所提升"}),  # last year's is no level
    ("较上年增加5个", "12个", MET, "10.00", {"prev": "7个"}),
]

STANDARDS = [
    ("", "95.10%", MET, "10.00", {"name": "在职人员控制率", "level1": "投入"}),  # 按标准 ≤100%
    ("", "102%", PARTIAL, "9.80", {"name": "在职人员控制率", "level1": "投入"}),
    ("", "-5%", MET, "10.00", {"name": "“三公经费”变动率", "level1": "投入"}),  # ≤0
    ("", "3%", UNMET, "0.00", {"name": "“三公经费”变动率", "level1": "投入"}),
    ("", "98%", PARTIAL, "9.80", {"name": "政府采购执行率", "level1": "过程"}),  # 100%
    ("", "100%", MET, "10.00", {"name": "预算完成率", "level1": "过程"}),
    ("", "97%", MET, "10.00", {"name": "公用经费控制率", "level1": "过程"}),
    ("", "100%", MET, "10.00", {"name": "重点工作完成率", "level1": "产出"}),
    ("", "3%", PENDING, None, {"name": "预算调整率", "level1": "过程"}),  # lower is better, no standard value
    ("100%", "92%", MET, "10.00", {"name": "财政供养人员控制率", "level1": "投入"}),  # case 43
]

CONFLICTS = [
    ("2023年12月底前", "按时完成，但延期1个月", PENDING, None, TIME),
    ("按时完成", "按时完成，但延期1个月", PENDING, None, TIME),
    ("≥10次", "十来次", PENDING, None, {}),
    ("≥10次", "/", PENDING, None, {}),
    ("xx达标", "12次", PENDING, None, {}),  # a target with no number against a number
    ("1年", "11个月", PENDING, None, TIME),  # direction unclear: a deadline or years of effect?
    ("1年", "1年", MET, "10.00", TIME),  # unclear either way, but equal: met either way
]

# Every (指标值, 实际完成值) pair of the published tables in shared/cases, under the national rules.
CASES = [
    ("≥50个", "50", MET, "10.00", {}),  # 01
    ("≥100百分比", "100", MET, "10.00", {"level2": "质量指标"}),
    ("≤90万元", "90", MET, "10.00", {"level2": "成本指标"}),
    ("43.2", "37.24", PARTIAL, "8.62", {}),  # 03
    ("100", "100", MET, "10.00", {}),
    ("38508人", "37442人", PARTIAL, "9.72", {}),  # 04
    ("不少于12 种", "14种", MET, "10.00", {}),
    ("不少于6 种", "28种", EXCEEDED, "10.00", {}),
    ("116次", "150次", MET, "10.00", {}),  # 129%: below the 130% line
    ("6次", "150次", EXCEEDED, "10.00", {}),
    ("12次", "96次", EXCEEDED, "10.00", {}),
    ("221人", "221人", MET, "10.00", {}),
    ("100.00%", "97.30%", PARTIAL, "9.73", {}),
    ("214人", "203人", PARTIAL, "9.49", {}),
    ("120人", "69人", PARTIAL, "5.75", {}),
    ("5662人", "4044人", PARTIAL, "7.14", {}),
    ("3807人", "3224人", PARTIAL, "8.47", {}),
    ("3807人", "3220人", PARTIAL, "8.46", {}),
    ("863人", "695人", PARTIAL, "8.05", {}),
    ("863人", "683人", PARTIAL, "7.91", {}),
    ("212人", "209人", PARTIAL, "9.86", {}),
    ("8例", "8例", MET, "10.00", {}),
    ("1228人", "770人", PARTIAL, "6.27", {}),
    ("24694人", "22584人", PARTIAL, "9.15", {}),
    ("≧735人次", "735", MET, "10.00", {}),  # 06
    ("≧100%", "100%", MET, "10.00", {}),
    ("═100%", "100%", MET, "10.00", {}),
    ("═100%", "98%", PARTIAL, "9.80", {}),
    ("≧95%", "100%", MET, "10.00", {}),
    (">=21933人", "21980人", MET, "10.00", {}),  # 11
    (">=4754人", "4604人", PARTIAL, "9.68", {}),
    (">=530元/人*月", "583元/人*月", MET, "10.00", {}),
    (">=570元/人*月", "758元/人*月", EXCEEDED, "10.00", {}),
    ("<=5300元/户", "5830元/户", PARTIAL, "9.09", {}),
    (">=80人", "87人", MET, "10.00", {}),
    (">=9431人", "9453人", MET, "10.00", {}),
    (">=59人次", "87人次", EXCEEDED, "10.00", {}),
    (">=7人", "7人", MET, "10.00", {}),
    ("﹦72890元", "72890", MET, "10.00", {}),  # 16
    ("﹦100%", "100", MET, "10.00", {}),
    ("≥95%", "95", MET, "10.00", {"name": "违法行为责停率"}),
    ("6", "6", MET, "10.00", {}),  # 17
    ("100%", "100%", MET, "10.00", {}),
    ("90%", "≥90%", MET, "10.00", {}),
    ("≥200平方米", "204.46平方米", MET, "10.00", {}),  # 20
    ("≥120米", "121.5米", MET, "10.00", {}),
    ("2023年12月", "2023年10月", MET, "10.00", TIME),
    ("≥8400元", "8400元", MET, "10.00", {}),
    ("≥5个", "5个", MET, "10.00", {}),
    ("≥15年", "15年", MET, "10.00", {}),
    ("100%", "83.5%", PARTIAL, "8.35", {}),  # 22
    ("150万", "150万", MET, "10.00", {"level2": "成本指标", "name": "市民中心运行维护费"}),
    ("98%", "98%", MET, "10.00", {}),  # 26
    ("15", "6", PARTIAL, "4.00", {}),  # 32
    ("11442", "4164", PARTIAL, "3.64", {}),
    ("8000", "12767.36", EXCEEDED, "10.00", {}),
    ("1980", "2074", MET, "10.00", {}),
    ("90", "100", MET, "10.00", {}),
    ("200", "200余人", MET, "10.00", {}),  # 34
    ("500", "600余人", MET, "10.00", {}),
    ("≥95%", "99.12%", MET, "10.00", {}),
    ("70%", "76%", MET, "10.00", {"name": "预算完成率"}),  # 43
    ("3%", "0", MET, "10.00", {"name": "预算调整率"}),
    ("2%", "0", MET, "10.00", {"name": "结转结余率"}),
    ("100%", "97%", MET, "10.00", {"name": "公用经费控制率"}),
    ("100%", "72.74%", PARTIAL, "7.27", {"name": "政府采购执行率"}),
    ("90%", "100%", MET, "10.00", {"name": "固定资产利用率"}),
    ("≥6次", "12次", EXCEEDED, "10.00", {}),
    ("2200篇", "2859篇", MET, "10.00", {}),
    ("90%", "95%", MET, "10.00", {"name": "业务保障能力提升"}),
    ("0.9", "0", MET, "10.00", {"name": "森林火灾受害率"}),  # 44
    ("0.4", "0.1", EXCEEDED, "10.00", {"name": "主要林业有害生物成灾率"}),  # 4 times under the cap
]

TABLE = DEADLINES + VERDICTS + ZERO_EVENTS + RATES + SCALES + PERIODS + BUDGET_WORDS + CHANGES + STANDARDS + CONFLICTS + CASES


def score_pair(target: str, value: str, options: dict, rules=NATIONAL):
    options = dict(options)
    previous_value = options.pop("prev", None)
    entry = {k: options.pop(k) for k in ("tier", "pct") if k in options}
    ind = indicator("D01", target, points=10, level1=options.pop("level1", "产出指标"),
                    level2=options.pop("level2", "数量指标"), name=options.pop("name", None))
    targets, actuals = make([ind], [actual("D01", value, **entry)])
    previous = None
    if previous_value is not None:
        before = Targets(year=2022, department="测试局", indicators=(ind,), source="t22.yaml")
        previous = PreviousYear(2022, before, Actuals(year=2022, department="测试局", indicators={
            "D01": IndicatorActual("D01", actual=previous_value)}, source="a22.yaml", sha256="2" * 64),
            actuals_file="actuals/2022/x.yaml")
    return evaluate(targets, actuals, rules, previous=previous).evaluations[0].indicators[0]


def test_the_table_has_at_least_200_pairs_and_no_duplicates():
    keys = [(t, a, tuple(sorted((k, str(v)) for k, v in o.items()))) for t, a, _, _, o in TABLE]
    assert len(TABLE) >= 200 and len(keys) == len(set(keys))


@pytest.mark.parametrize(("target", "value", "status", "score", "options"), TABLE,
                         ids=[f"{t}|{a}|{o.get('name') or o.get('prev') or ''}" for t, a, _, _, o in TABLE])
def test_a_finance_officer_agrees(target, value, status, score, options):
    row = score_pair(target, value, options)
    assert (row.status, None if row.pending else row.score) == (status, _s(score)), row.explanation
    if row.pending:
        assert row.fix and row.explanation.startswith("待确认")
    if "tier-inferred" in row.flags:
        assert "依据实际完成值" in row.explanation  # the words the tier was read from are named


def test_assumptions_are_disclosed_and_flagged():
    scaled = score_pair("≥90%", "0.92", {})
    assert "scale-assumed" in scaled.flags and "按目标的量级理解为92%" in scaled.explanation
    money = score_pair("≤50万元", "480000", {"level2": "成本指标"})
    assert "按目标的量级理解为48万元" in money.explanation
    standard = score_pair("", "95.10%", {"name": "在职人员控制率", "level1": "投入"})
    assert "standard-target" in standard.flags and "按标准 ≤100% 理解" in standard.explanation
    assert "按在职人员控制率的标准 ≤100% 理解" in standard.direction_reason
    change = score_pair("较上年增长10%", "1200人", {"prev": "1000人"})
    assert "previous-year" in change.flags
    assert "2022年实际1000人（actuals/2022/x.yaml D01，按编号对应），本年1200人：增长 (1200−1000)÷1000×100% = 20%" \
        in change.explanation
    unit = score_pair("≥50个", "50", {})
    assert "unit-assumed" in unit.flags and "未写单位，按目标单位“个”理解" in unit.explanation


def test_a_missing_previous_year_names_the_value_to_add():
    row = score_pair("较上年增长10%", "1200人", {})
    assert "没有找到2022年的实际值" in row.explanation
    assert "为指标 D01（指标D01）填写2022年的实际完成值（与本年同一单位，如“1200人”）" in row.fix
    assert "或把a.yaml" in row.fix and "写成变化幅度，如“增长12%”" in row.fix


def test_the_strict_reading_scores_what_cannot_be_decided_as_zero(write):
    strict = write("strict.yaml", """
        schema: evaluator.rules/1
        name: strict
        extends: national-2020
        title: 从严
        source: 本单位
        unreadable: zero
        """)
    row = score_pair("有所提升", "还行", QUAL, rules=load_rules(strict))
    assert (row.status, row.score) == ("invalid", Decimal("0.00")) and row.fix


# --- the same families as properties ------------------------------------------------------------

MET_WORDS = ["达到预期", "完成", "达标", "合格", "规范", "合规", "满意", "落实", "到位", "实现", "符合", "提升", "改善"]
NEGATIONS = ["不", "未", "没有", "无法", "未能", "没能", "尚未"]


@given(word=st.sampled_from(MET_WORDS), negation=st.sampled_from(NEGATIONS), before=st.sampled_from(["", "工作", "仍"]),
       after=st.sampled_from(["", "。", "要求", "目标"]))
def test_any_negation_of_a_met_word_is_not_met(word, negation, before, after):
    text = f"{before}{negation}{word}{after}"
    assert read_verdict(text).tier is Tier.UNMET, text


@settings(deadline=None, max_examples=60)
@given(word=st.sampled_from(MET_WORDS), negation=st.sampled_from(NEGATIONS), target=st.sampled_from(MET_WORDS))
def test_a_negated_met_word_scores_as_not_met(word, negation, target):
    row = score_pair(target, f"{negation}{word}", QUAL)
    assert (row.status, row.score) == (QUNMET, Decimal("3.00"))


@settings(deadline=None, max_examples=80)
@given(due_month=st.integers(1, 12), late_by=st.integers(1, 18), form=st.sampled_from(
    ["{y}年{m}月", "{y}年{m}月完成", "{y}-{m:02d}-15", "推迟至{y}年{m}月完成", "延期至{y}年{m}月"]))
def test_any_late_date_scores_as_late(due_month, late_by, form):
    done = due_month + late_by
    year, month = 2023 + (done - 1) // 12, (done - 1) % 12 + 1
    row = score_pair(f"2023年{due_month}月底前", form.format(y=year, m=month), TIME)
    assert (row.status, row.score) == (UNMET, Decimal("0.00")), row.explanation


@settings(deadline=None, max_examples=60)
@given(word=st.sampled_from(["延期", "逾期", "推迟", "延迟", "滞后", "未按期", "未按时"]),
       verb=st.sampled_from(["", "完成", "拨付", "发放", "办结"]))
def test_any_late_word_scores_as_late(word, verb):
    row = score_pair("2023年12月底前", f"{word}{verb}", TIME)
    assert (row.status, row.score) == (UNMET, Decimal("0.00")), row.explanation


@given(word=st.sampled_from(["按时", "按期", "及时", "如期", "已按时", "提前"]),
       verb=st.sampled_from(["完成", "拨付", "发放", "办结", "拨付到位"]))
def test_on_time_words_with_any_verb_are_on_time_on_both_sides(word, verb):
    value = parse_value(f"{word}{verb}")
    assert value.timing == "on-time" and value.tier is Tier.MET


@given(per=st.sampled_from([("%", 100), ("‰", 1000), ("‱", 10000), ("/10万", 100000)]),
       number=st.decimals(min_value="0.01", max_value=1000, places=2))
def test_rates_per_population_convert_exactly(per, number):
    from evaluator.language.units import convert

    unit, base = per
    as_share = convert(number, unit, "%")
    assert as_share is not None and as_share * base == number * 100


def test_a_unit_followed_by_what_was_counted_is_the_same_unit_and_says_so():
    scored = score_pair("≥3次", "开展3次培训", {})
    assert "unit-near" in scored.flags
    assert "实际值单位“次培训”与目标单位“次”只差“培训”（所计的事项），按同一单位计分，请核实" in scored.explanation


def test_a_count_over_the_year_against_a_count_per_period_says_how_it_was_read():
    scored = score_pair("每月1次", "10次", {})
    assert {"unit-assumed", "unit-converted"} <= set(scored.flags)
    assert "实际约0.8333次/月 < 目标1次/月" in scored.explanation
    assert "实际值“10次”按全年计为10次/年，换算为约0.8333次/月" in scored.explanation


def test_check_says_a_count_without_its_period_was_taken_as_the_years(tmp_path):
    from typer.testing import CliRunner

    from evaluator.cli import app

    targets, actuals = tmp_path / "t.yaml", tmp_path / "a.yaml"
    targets.write_text("schema: evaluator.targets/1\nyear: 2023\ndepartment: 测试局\nindicators:\n"
                       "  - {id: D01, level1: 产出指标, level2: 数量指标, name: 召开会议, target: 每季度1次}\n",
                       encoding="utf-8")
    actuals.write_text("schema: evaluator.actuals/1\nyear: 2023\ndepartment: 测试局\n"
                       "budget: {initial: 100, adjusted: 100, executed: 100}\nindicators:\n  D01: {actual: 4次}\n",
                       encoding="utf-8")
    result = CliRunner().invoke(app, ["check", str(targets), str(actuals)])
    assert "召开会议：实际值“4次”没写周期，按全年的数计，再换算为每季度的数与目标比较" in result.output
    assert "没写单位" not in result.output
