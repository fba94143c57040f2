"""Department-wide standard indicators: recognised by name, read by their standard when 指标值 is empty,
computed from the base data an actuals file records, and scored by hunan-dept's deductions and steps."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import MINIMAL_ACTUALS

from evaluator.errors import InputErrors
from evaluator.io.load import load_actuals, load_inputs
from evaluator.language.standards import standard_of
from evaluator.rules import load_rules
from evaluator.scoring import evaluate

TARGETS = """
schema: evaluator.targets/1
year: 2023
department: 测试局
indicators:
  - {id: D01, points: 10, level1: 投入, level2: 预算配置, name: 在职人员控制率, target: ""}
  - {id: D02, points: 10, level1: 投入, level2: 预算配置, name: "“三公经费”变动率", target: ""}
  - {id: D03, points: 10, level1: 过程, level2: 预算执行, name: 预算调整率, target: ""}
  - {id: D04, points: 10, level1: 过程, level2: 预算执行, name: 预算完成率, target: ""}
  - {id: D05, points: 10, level1: 产出, level2: 职责履行, name: 重点工作办结率, target: ""}
  - {id: D06, level1: 效果, level2: 履职效益, name: 社会公众满意度, target: "≥90%"}
"""
ACTUALS = """
schema: evaluator.actuals/1
year: 2023
department: 测试局
budget: {initial: 800, adjusted: 850, executed: 840}
base:
  staff_quota: 143
  staff_actual: 136
  three_public_budget: 30
  three_public_budget_last: 32
  added: 50
  key_tasks_planned: 12
  key_tasks_done: 12
indicators:
  D06: {actual: "95%", evidence: 问卷调查}
"""


@pytest.mark.parametrize(("name", "key"), [
    ("在职人员控制率", "在职人员控制率"), ("财政供养人员控制率", "在职人员控制率"),
    ("“三公”经费变动率", "三公经费变动率"),
    ("“三公经费”控制率", "三公经费控制率"), ("预算控制率", "预算调整率"), ("结转结余变动率", "结转结余变动率"),
    ("结转结余率", "结转结余率"), ("2023年重点工作完成率", "重点工作办结率"), ("培训次数", None),
])
def test_standard_indicators_are_recognised_by_name(name, key):
    found = standard_of(name)
    assert (found.key if found else None) == key


def test_actuals_are_computed_from_base_data_and_shown(write):
    targets, actuals = load_inputs(write("t.yaml", TARGETS), write("a.yaml", ACTUALS))
    rows = {r.id: r for r in evaluate(targets, actuals, load_rules("national-2020")).evaluations[0].indicators}
    staff = rows["D01"]
    assert (staff.actual, staff.status) == ("95.1%", "met") and "computed-actual" in staff.flags
    assert ("实际值由基础数据计算：实际在职人数 ÷ 编制数 × 100%，其中实际在职人数136、编制数143，"
            "得95.1%（四舍五入保留两位小数）") in staff.explanation
    assert "指标值为空，按标准 ≤100% 理解（在职人员控制率，财预〔2013〕53号）" in staff.explanation
    assert (rows["D02"].actual, rows["D02"].status) == ("-6.25%", "met")  # (30 − 32) ÷ 32: a cut
    assert rows["D03"].actual == "6.25%" and rows["D03"].pending  # 50 ÷ 800: lower is better, but how low?
    assert "在" in rows["D03"].fix and "target" in rows["D03"].fix and "“≤10%”" in rows["D03"].fix
    assert (rows["D04"].actual, rows["D04"].status) == ("98.82%", "partial")  # 840 ÷ 850, from the budget line
    assert (rows["D05"].actual, rows["D05"].status) == ("100%", "met")


def test_hunan_dept_scores_by_its_deductions_and_steps(write):
    targets, actuals = load_inputs(write("t.yaml", TARGETS), write("a.yaml", ACTUALS))
    evaluation = evaluate(targets, actuals, load_rules("hunan-dept")).evaluations[0]
    rows = {r.id: r for r in evaluation.indicators}
    assert rows["D03"].rule == "steps-2" and rows["D03"].score == rows["D03"].points * Decimal("0.8")
    assert "不超过10%一档" in rows["D03"].explanation
    assert rows["D04"].rule == "deduct-under-a-step" and rows["D04"].score == rows["D04"].points
    assert evaluation.execution.status == "not-scored" and evaluation.execution.score is None
    assert [g.label for g in evaluation.groups] == ["投入", "过程", "产出", "效果"]


def test_a_written_actual_that_base_data_contradict_is_kept_and_questioned(write):
    actuals = ACTUALS.replace('  D06: {actual: "95%", evidence: 问卷调查}',
                              '  D06: {actual: "95%", evidence: 问卷调查}\n  D01: {actual: "90%"}')
    targets, loaded = load_inputs(write("t.yaml", TARGETS), write("a.yaml", actuals))
    result = evaluate(targets, loaded, load_rules("national-2020"))
    staff = result.evaluations[0].indicators[0]
    assert staff.actual == "90%" and "base-differs" in staff.flags
    assert any(w.code == "base-differs" and "按基础数据计算为95.1%" in w.message for w in result.warnings)


def test_base_data_keys_are_checked(write):
    bad = MINIMAL_ACTUALS + "base: {staff_quota: 10, staff: 9, added: -1}\n"
    with pytest.raises(InputErrors) as caught:
        load_actuals(write("a.yaml", bad))
    text = str(caught.value)
    assert "未知的键“staff”" in text and "staff_actual" in text
    assert "本年追加预算不能为负数（-1）" in text


def test_a_rule_file_with_bad_standards_names_each_problem(write):
    path = write("bad.yaml", """
        schema: evaluator.rules/1
        name: bad
        extends: hunan-dept
        title: 坏规则
        source: 无
        standards:
          在职人员控制率: {deduct: {above: 100, per: 0, points: 0.5}}
          某某率: {deduct: {above: 0, share: 0.1}}
          预算调整率: {steps: [[10, 0.8], [0, 1]]}
          预算完成率: {deduct: {below: 100, points: 2, share: 0.1}}
        """)
    with pytest.raises(InputErrors) as caught:
        load_rules(path)
    text = str(caught.value)
    assert "每档的百分点数应大于 0" in text and "“某某率”不是已知的部门整体支出共性指标" in text
    assert "上限应从小到大排列" in text and "points 或 share 之一" in text
