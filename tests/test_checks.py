"""`evaluator check` as the pre-submission review: every finding, with where, what and how to fix it."""

from __future__ import annotations

from conftest import EXAMPLE_ACTUALS, EXAMPLE_TARGETS, MINIMAL_ACTUALS, MINIMAL_TARGETS

from evaluator.checks.check import run_checks
from evaluator.errors import Severity


def findings(report):
    return {p.code: p for p in report.problems}


def test_the_example_review_lists_only_the_unsupported_claims():
    report = run_checks(EXAMPLE_TARGETS, EXAMPLE_ACTUALS)
    errors = [p for p in report.problems if p.severity is Severity.ERROR]
    assert [p.code for p in errors] == ["claim", "claim-total"]
    assert "第25行（指标 D09）" in str(errors[0]) and "却给满分" in str(errors[0])
    assert len(report.rows) == 28 and report.failed


def test_missing_actual_and_shortfall_without_reason(write):
    actuals = MINIMAL_ACTUALS.replace('  D01: {actual: "12次"}\n', "").replace(", reason: 宣传不足", "")
    report = run_checks(write("t.yaml", MINIMAL_TARGETS), write("a.yaml", actuals))
    found = findings(report)
    assert "培训次数：未填报实际完成值（目标“≥10次”），按规则计0分" in found["missing-actual"].message
    shortfall = found["shortfall-without-reason"]
    assert str(shortfall.location) == "a.yaml 第7行（指标 D03）".replace("a.yaml", shortfall.location.file)
    assert "按完成比例 88/90" in shortfall.message and "reason" in shortfall.hint


def test_over_achievement_without_reason_and_inexact_actuals(write):
    actuals = MINIMAL_ACTUALS.replace('D01: {actual: "12次"}', 'D01: {actual: "20次"}').replace(
        'D04: {actual: "93%", evidence: 问卷调查}', 'D04: {actual: "≥90%", evidence: 问卷调查}')
    found = findings(run_checks(write("t.yaml", MINIMAL_TARGETS), write("a.yaml", actuals)))
    assert "完成值远超目标" in found["exceeded-without-reason"].message
    assert found["exceeded-without-reason"].severity is Severity.WARNING
    assert "不是确切的实测数" in found["inexact-actual"].message


def test_units_that_do_not_match_are_errors_and_unreadable_actuals_are_pending_first(write):
    actuals = MINIMAL_ACTUALS.replace('D01: {actual: "12次"}', 'D01: {actual: "12万元"}').replace(
        'D02: {actual: "95万元"}', 'D02: {actual: "差不多"}')
    report = run_checks(write("t.yaml", MINIMAL_TARGETS), write("a.yaml", actuals))
    messages = [p.message for p in report.problems if p.code == "unreadable"]
    assert any("实际值单位“万元”与目标单位“次”不一致，无法换算" in m for m in messages)
    first = report.problems[0]
    assert first.code == "pending" and "成本：待确认——实际完成值“差不多”无法理解为数值" in first.message
    assert "a.yaml 第7行 D02 的“actual”写成带单位的数值，如“100万元”" in first.hint
    assert [r.id for r in report.pending] == ["D02"] and report.failed


def test_low_execution_and_scores_far_above_execution(write):
    actuals = MINIMAL_ACTUALS.replace("executed: 95", "executed: 40")
    found = findings(run_checks(write("t.yaml", MINIMAL_TARGETS), write("a.yaml", actuals)))
    assert "预算执行率 40% 低于 90%，没有说明原因" in found["low-execution"].message
    assert "钱没花完，目标却大多完成" in found["score-above-execution"].message
    explained = actuals.replace("executed: 40}", "executed: 40, reason: 项目延期到次年}")
    assert "low-execution" not in findings(run_checks(write("t2.yaml", MINIMAL_TARGETS), write("a2.yaml", explained)))


def test_satisfaction_needs_a_survey_source(write):
    actuals = MINIMAL_ACTUALS.replace('D04: {actual: "93%", evidence: 问卷调查}', 'D04: {actual: "93%"}')
    found = findings(run_checks(write("t.yaml", MINIMAL_TARGETS), write("a.yaml", actuals)))
    assert "满意度没有注明调查来源" in found["satisfaction-without-survey"].message


def test_target_quality_findings(write):
    targets = MINIMAL_TARGETS.replace('level2: 成本指标, name: 成本, target: "≤100万元"',
                                      'level2: 质量指标, name: 培训次数, target: "≥3次"').replace(
        'name: 群众知晓率, target: "90%以上"', 'name: 群众知晓率, target: "有所提升"')
    found = findings(run_checks(write("t.yaml", targets), None))
    assert "不可衡量" in found["vague-target"].message
    assert "更像数量指标" in found["quality-is-count"].message
    assert "没有成本指标" in found["no-cost-indicator"].message
    assert "与指标 D01 重复" in found["duplicate-indicator"].message
    assert all(found[c].hint for c in found)


def test_a_fraction_written_for_a_percentage_is_read_as_one_and_warned(write):
    actuals = MINIMAL_ACTUALS.replace('D04: {actual: "93%", evidence: 问卷调查}',
                                      'D04: {actual: "0.93", evidence: 问卷调查}')
    report = run_checks(write("t.yaml", MINIMAL_TARGETS), write("a.yaml", actuals))
    found = findings(report)
    assert "按目标的量级理解为93%（若本意是0.93%，请写明单位）" in found["scale-assumed"].message
    assert found["scale-assumed"].severity is Severity.WARNING
    assert next(r for r in report.rows if r.id == "D04").score == 10  # 93% ≥ 90%


def test_a_fraction_that_could_be_either_is_questioned(write):
    targets = MINIMAL_TARGETS.replace('name: 群众满意度, target: "≥90%"', 'name: 群众满意度, target: "≥1.5%"')
    actuals = MINIMAL_ACTUALS.replace('D04: {actual: "93%", evidence: 问卷调查}',
                                      'D04: {actual: "0.93", evidence: 问卷调查}')
    found = findings(run_checks(write("t.yaml", targets), write("a.yaml", actuals)))
    assert "按“0.93%”计分；如果本意是比例（93%）" in found["fraction-for-percent"].message


def test_text_for_a_number_and_a_stray_pct_are_questioned(write):
    actuals = MINIMAL_ACTUALS.replace('D01: {actual: "12次"}', "D01: {actual: 已完成}").replace(
        'D02: {actual: "95万元"}', 'D02: {actual: "95万元", pct: 80}')
    found = findings(run_checks(write("t.yaml", MINIMAL_TARGETS), write("a.yaml", actuals)))
    assert "定量指标（目标“≥10次”）填了文字“已完成”" in found["text-for-number"].message
    assert "未采用" in found["pct-ignored"].message


def test_execution_above_the_budget_is_questioned(write):
    over = MINIMAL_ACTUALS.replace("executed: 95", "executed: 110")
    assert findings(run_checks(write("t.yaml", MINIMAL_TARGETS), write("a.yaml", over)))[
        "over-execution"].severity is Severity.WARNING
    absurd = MINIMAL_ACTUALS.replace("executed: 95", "executed: 9500")
    problem = findings(run_checks(write("t2.yaml", MINIMAL_TARGETS), write("a2.yaml", absurd)))["over-execution"]
    assert problem.severity is Severity.ERROR and "可能填错了单位或小数点" in problem.message


def test_a_near_synonym_unit_is_questioned(write):
    actuals = MINIMAL_ACTUALS.replace('D01: {actual: "12次"}', 'D01: {actual: "12场"}')
    found = findings(run_checks(write("t.yaml", MINIMAL_TARGETS), write("a.yaml", actuals)))
    assert "单位不同，按同一口径计分" in found["unit-near"].message
