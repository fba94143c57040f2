"""Scoring under the national rule set and its variants, one rule at a time, through the public API."""

from __future__ import annotations

from decimal import Decimal

import pytest
from builders import D, actual, budget, indicator, make

from evaluator.model import Project, ProjectActual
from evaluator.rules import load_rules
from evaluator.scoring import evaluate

NATIONAL = load_rules("national-2020")


def score_one(target: str, value: str | None, *, rules=NATIONAL, points=10, **kw):
    level2 = kw.pop("level2", "数量指标")
    name = kw.pop("name", None)
    direction = kw.pop("direction", None)
    ind = indicator("D01", target, points=points, level2=level2, name=name, direction=direction)
    targets, actuals = make([ind], [actual("D01", value, **kw)] if value is not None or kw else [])
    result = evaluate(targets, actuals, rules)
    return result.evaluations[0].indicators[0]


@pytest.mark.parametrize(
    ("target", "value", "score", "status"),
    [
        ("≥10次", "12次", "10.00", "met"),
        ("≥10次", "10次", "10.00", "met"),
        ("≥90%", "88%", "9.78", "partial"),  # 88/90 × 10 = 9.777… → 9.78
        ("90%以上", "0%", "0.00", "unmet"),
        ("≥10次", "13次", "10.00", "exceeded"),  # 130% of the target: full marks, flagged
        ("100%", "97.3%", "9.73", "partial"),  # a bare number is "=", scored as higher-is-better
        ("≤100万元", "95万元", "10.00", "met"),
        ("≤100万元", "125万元", "8.00", "partial"),  # 100/125 × 10
        ("0起", "0起", "10.00", "met"),
        ("0起", "2起", "0.00", "unmet"),  # a zero target: any occurrence scores nothing
        ("90%-95%", "92%", "10.00", "met"),
        ("90%-95%", "81%", "9.00", "partial"),  # below the range: 81/90
        ("90%-95%", "100%", "9.50", "partial"),  # above the range: 95/100
        (">90%", "90%", "10.00", "partial"),  # 超过 excludes the number: not met, though the ratio is 1
    ],
)
def test_quantitative_scores(target, value, score, status):
    result = score_one(target, value)
    assert (str(result.score), result.status) == (score, status)


def test_explanation_states_the_arithmetic():
    result = score_one("≥90%", "88%")
    assert result.explanation == "实际88% < 目标90%，按完成比例 88/90 计 9.78 分（满分10分）"
    assert score_one("≤100万元", "125万元").explanation == (
        "实际125万元 超过上限100万元，按 目标/实际 = 100/125 计 8.00 分（满分10分）"
    )


def test_rounding_is_half_up_not_half_even():
    # 10 × 0.0625 = 0.625 exactly: half-up gives 0.63, Python's round() would give 0.62.
    assert str(score_one("≥16次", "1次").score) == "0.63"
    # 2.5 × 0.45 = 1.125 exactly → 1.13
    assert str(score_one("≥100%", "45%", points="2.5").score) == "1.13"


def test_money_units_convert_exactly():
    result = score_one("≤36万元", "352000元", level2="成本指标")
    assert result.status == "met" and "unit-converted" in result.flags
    assert "换算为35.2万元" in result.explanation


def test_a_unit_that_cannot_be_converted_is_an_error_not_a_score():
    targets, actuals = make([indicator("D01", "≥10次", points=10)], [actual("D01", "12万元")])
    result = evaluate(targets, actuals, NATIONAL)
    row = result.evaluations[0].indicators[0]
    assert (row.status, row.score) == ("invalid", Decimal("0.00"))
    assert any(w.code == "unreadable" and "无法换算" in w.message for w in result.warnings)


def test_an_actual_without_unit_takes_the_target_unit():
    row = score_one("≥100百分比", "100")
    assert row.status == "met" and "unit-assumed" in row.flags


def test_approximate_actual_is_used_and_disclosed():
    row = score_one("500", "600余人")
    assert row.status == "met" and "approximate" in row.flags and "近似数" in row.explanation


def test_missing_actual_scores_zero_and_is_disclosed():
    row = score_one("≥10次", None)
    assert (row.status, row.score) == ("missing", Decimal("0.00"))
    assert row.explanation.startswith("未填报实际完成值")


@pytest.mark.parametrize(
    ("value", "tier", "pct", "score", "status"),
    [
        ("达成预期指标", None, None, "10.00", "qualitative-met"),
        ("基本完成", None, None, "7.00", "qualitative-partial"),
        ("未完成", None, None, "3.00", "qualitative-unmet"),
        ("有所提升", "达成", "85", "8.50", "qualitative-met"),
        ("一般", "部分达成", "60", "6.00", "qualitative-partial"),
    ],
)
def test_qualitative_tiers(value, tier, pct, score, status):
    row = score_one("有所提升", value, tier=tier, pct=pct)
    assert (str(row.score), row.status) == (score, status)


def test_a_pct_outside_its_tier_band_is_refused():
    row = score_one("有所提升", "部分达成", tier="部分达成", pct="80")  # 80 belongs to tier 1
    assert row.status == "invalid" and "不在“部分达成”档的区间" in row.explanation


def test_deadlines():
    assert score_one("11月底前", "10月", level2="时效指标").status == "met"
    late = score_one("11月底前", "12月", level2="时效指标")
    assert (late.status, str(late.score)) == ("unmet", "0.00")
    assert score_one("按时完成", "已按时完成", level2="时效指标").status == "met"  # on-time words meet a deadline


def test_deduction_for_a_target_set_too_low():
    row = score_one("≥10次", "30次", deduction="2", deduction_reason="目标明显偏低")
    assert (str(row.score), row.status) == ("8.00", "exceeded")
    assert "评价人扣减2分（目标明显偏低）" in row.explanation


def test_explicit_direction_overrides_inference():
    row = score_one("1年", "2年", level2="时效指标", direction="lower")
    assert (str(row.score), row.direction) == ("5.00", "lower")


def test_ambiguous_direction_is_pending_not_guessed():
    targets, actuals = make([indicator("D01", "187人", level2="成本指标", points=10)], [actual("D01", "190人")])
    result = evaluate(targets, actuals, NATIONAL)
    row = result.evaluations[0].indicators[0]
    assert (row.status, row.rule) == ("pending", "pending") and "ambiguous" in row.flags
    assert "direction: higher" in row.fix and "t.yaml" in row.fix
    assert result.evaluations[0].provisional and result.warnings[0].code == "pending"
    assert '"score": null' in result.dumps()


# --- points, groups, totals ------------------------------------------------------------------------


def test_default_points_split_equally_and_satisfaction_counts_wherever_filed():
    inds = [
        indicator("D01", "≥1次", level1="产出指标"),
        indicator("D02", "≥1次", level1="产出指标"),
        indicator("D03", "≥1次", level1="产出指标"),
        indicator("D04", "有所提升", level1="效益指标", level2="社会效益指标"),
        indicator("D05", "90%以上", level1="效益指标", level2="社会公众及服务对象满意度指标", name="服务对象满意度"),
    ]
    targets, actuals = make(inds, [])
    rows = evaluate(targets, actuals, NATIONAL).evaluations[0].indicators
    assert [r.points for r in rows] == [D("16.67"), D("16.67"), D("16.66"), D(30), D(10)]
    assert rows[4].group == "satisfaction"


def test_without_satisfaction_its_points_move_to_outcome():
    inds = [indicator("D01", "≥1次"), indicator("D02", "有所提升", level1="效益指标", level2="社会效益指标")]
    targets, actuals = make(inds, [])
    rows = evaluate(targets, actuals, NATIONAL).evaluations[0].indicators
    assert [r.points for r in rows] == [Decimal(50), Decimal(40)]


def test_points_that_do_not_add_up_are_reported_but_scored():
    inds = [indicator("D01", "≥1次", points=60), indicator("D02", "有所提升", level1="效益指标", points=40)]
    targets, actuals = make(inds, [actual("D01", "1次"), actual("D02", "达成")])
    result = evaluate(targets, actuals, NATIONAL)
    assert any(w.code == "points-sum" and "产出指标的分值合计 60" in w.message for w in result.warnings)
    assert result.evaluations[0].total == Decimal("100.00")  # capped at 100 (60 + 40 + 10)


def test_execution_rate_score_and_zero_budget():
    inds = [indicator("D01", "≥1次")]
    targets, actuals = make(inds, [actual("D01", "1次")], budget_line=budget(790.64, 815.20, 801.37))
    ex = evaluate(targets, actuals, NATIONAL).evaluations[0].execution
    assert (str(ex.rate), str(ex.score)) == ("0.9830", "9.83")
    targets, actuals = make(inds, [actual("D01", "1次")], budget_line=budget(0, 0, 5))
    ex = evaluate(targets, actuals, NATIONAL).evaluations[0].execution
    assert ex.status == "zero-budget" and ex.score is None and "无法计算执行率" in ex.explanation


def test_grade_bands():
    assert [NATIONAL.grade(D(v)) for v in ("90", "89.99", "80", "60", "59.99")] == ["优", "良", "良", "中", "差"]
    central = load_rules("central-integer")
    assert central.grade(D("89.50")) == "优" and central.grade(D("89.49")) == "良"


def test_each_project_is_its_own_scope_with_its_own_budget_line():
    project = Project(id="P1", name="专项一", indicators=(indicator("P1-01", "≥10次"),))
    project_actual = ProjectActual(id="P1", budget=budget(36, 36, 18), indicators={"P1-01": actual("P1-01", "10次")})
    targets, actuals = make([indicator("D01", "≥1次")], [actual("D01", "1次")], projects=[(project, project_actual)])
    result = evaluate(targets, actuals, NATIONAL)
    assert [e.scope for e in result.evaluations] == ["department", "project"]
    fund = result.evaluations[1]
    # The fund set only an output indicator: 效益 and 满意度 points cannot be earned, and scoring says so.
    assert (fund.name, str(fund.execution.score), str(fund.total)) == ("专项一", "5.00", "55.00")
    assert any(w.code == "group-empty" and "专项一：没有效益指标" in w.message for w in result.warnings)


# --- variants --------------------------------------------------------------------------------------


def test_hb_variant_20_point_execution_and_80_50_bands():
    hb = load_rules("hb-2020")
    inds = [indicator("D01", "≥10次"), indicator("D02", "有所提升", level1="效益指标", level2="社会效益指标")]
    targets, actuals = make(inds, [actual("D01", "10次"), actual("D02", "部分达成", tier="部分达成", pct="50")],
                            budget_line=budget(100, 100, 90))
    evaluation = evaluate(targets, actuals, hb).evaluations[0]
    assert [r.points for r in evaluation.indicators] == [D(40), D(40)]
    assert str(evaluation.execution.score) == "18.00"
    assert str(evaluation.indicators[1].score) == "20.00"  # 50% lies inside 部分达成 [50, 80) under hb
    assert str(evaluation.total) == "78.00"


def test_linear_variant_reaches_zero_at_twice_the_target():
    linear = load_rules("platform-linear")
    assert str(score_one("≤100万元", "150万元", rules=linear).score) == "5.00"  # 1 − 50/100
    assert str(score_one("≤100万元", "200万元", rules=linear).score) == "0.00"
    assert str(score_one("≤100万元", "150万元").score) == "6.67"  # national: 100/150


def test_beijing_variant_measures_execution_against_the_initial_budget():
    inds = [indicator("D01", "≥1次")]
    targets, actuals = make(inds, [actual("D01", "1次")], budget_line=budget(80, 100, 76))
    assert str(evaluate(targets, actuals, load_rules("beijing-2016")).evaluations[0].execution.score) == "9.50"
    assert str(evaluate(targets, actuals, NATIONAL).evaluations[0].execution.score) == "7.60"


# --- review of claimed scores ----------------------------------------------------------------------


def test_claimed_scores_the_rules_do_not_support_are_listed_with_the_reason():
    inds = [indicator("D01", "≥90%", points=45), indicator("D02", "≥10次", points=45)]
    acts = [actual("D01", "88%", claimed="45"), actual("D02", "12次", claimed="50")]
    targets, actuals = make(inds, acts, budget_line=budget(100, 100, 86, claimed=10), claimed_total=105)
    evaluation = evaluate(targets, actuals, NATIONAL).evaluations[0]
    assert evaluation.indicators[0].review == "目标未达成（部分完成）却给满分：按规则应得44.00分，自评45分"
    assert evaluation.indicators[1].review == "自评50分超过该指标分值45分（得分不能大于分值）"
    assert "执行率86%，按规则应得8.60分，自评10分" in evaluation.review
    assert "自评总分105分，按规则总分为97.60分" in evaluation.review


def test_sichuan_variant_splits_90_points_over_all_indicators():
    sichuan = load_rules("sichuan-2023")
    inds = [indicator("D01", "≥10次"), indicator("D02", "有所提升", level1="效益指标", level2="社会效益指标"),
            indicator("D03", "≥90%", level1="满意度指标", level2="服务对象满意度指标", name="满意度")]
    targets, actuals = make(inds, [actual("D01", "10次"), actual("D02", "达成"), actual("D03", "95%")])
    evaluation = evaluate(targets, actuals, sichuan).evaluations[0]
    assert [r.points for r in evaluation.indicators] == [D(30), D(30), D(30)]
    assert {g.key for g in evaluation.groups} == {"indicators"} and evaluation.total == D(100)


@pytest.mark.parametrize(
    ("target", "value", "score", "status"),
    [
        ("≤-5%", "-10%", "10.00", "met"),  # a cut of 10% beats a required cut of 5%
        ("≤-5%", "-3%", "0.00", "unmet"),  # signed: no proportional score across zero
        ("≥0%", "-3%", "0.00", "unmet"),
        ("≥-5%", "-8%", "0.00", "unmet"),
        ("≥-5%", "-2%", "10.00", "met"),
    ],
)
def test_negative_targets_and_actuals_compare_with_their_sign(target, value, score, status):
    row = score_one(target, value)
    assert (str(row.score), row.status) == (score, status)
    assert "signed" in row.flags


def test_strict_comparator_at_the_target_is_not_met_and_says_so():
    row = score_one(">90%", "90%")
    assert row.status == "partial"
    assert row.explanation.startswith("实际90% 等于目标90%，未满足“超过”的要求")


def test_a_pct_is_used_with_or_without_a_tier_and_ignored_on_numbers():
    assert str(score_one("有所提升", "部分达成", pct="75").score) == "7.50"
    assert str(score_one("有所提升", "达成", pct="80").score) == "8.00"
    row = score_one("≥10次", "12次", pct="50")
    assert str(row.score) == "10.00" and "pct-ignored" in row.flags and "未采用" in row.explanation


def test_a_level1_cost_indicator_belongs_to_the_outputs():
    inds = [indicator("D01", "≥10次"), indicator("D02", "≤20万元", level1="成本指标", level2="经济成本指标")]
    targets, actuals = make(inds, [actual("D01", "10次"), actual("D02", "25万元")])
    rows = evaluate(targets, actuals, NATIONAL).evaluations[0].indicators
    assert [r.group for r in rows] == ["output", "output"] and rows[1].points == D(25)
    assert str(rows[1].score) == "20.00"  # 20/25 × 25


def test_near_synonym_counting_units_are_scored_and_flagged():
    row = score_one("≥500人次", "450人")
    assert (str(row.score), row.status) == ("9.00", "partial") and "unit-near" in row.flags
    assert "口径相近" in row.explanation
    assert score_one("≥500人次", "450万元").status == "invalid"
