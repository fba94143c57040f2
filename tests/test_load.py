"""Loading targets and actuals: the typed model, and every bad input with a message that says where."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import EXAMPLE_ACTUALS, EXAMPLE_TARGETS, MINIMAL_ACTUALS, MINIMAL_TARGETS

from evaluator.errors import InputErrors
from evaluator.io.load import load_actuals, load_inputs, load_targets


def messages(error: InputErrors) -> list[str]:
    return [str(p) for p in error.problems]


def test_the_shipped_example_loads_into_the_model():
    targets = load_targets(EXAMPLE_TARGETS)
    assert targets.year == 2023
    assert targets.department == "株洲市石峰区人民代表大会常务委员会"
    assert targets.budget.total == Decimal("790.64")
    assert [i.id for i in targets.indicators] == [f"D0{n}" for n in range(1, 10)]
    assert [p.name for p in targets.projects] == ["业务性专项经费", "人大代表活动经费"]
    assert len(targets.projects[1].indicators) == 10
    actuals = load_actuals(EXAMPLE_ACTUALS)
    assert actuals.budget is not None and actuals.budget.executed == Decimal("801.37")
    assert actuals.indicators["D01"].actual == "12次"
    assert actuals.projects["P2"].budget.executed == Decimal("54.80")


def test_money_is_read_exactly_from_the_text(write):
    path = write("t.yaml", MINIMAL_TARGETS + "budget: {total: 0.1, by_nature: {基本支出: 698.54}}\n")
    targets = load_targets(path)
    assert targets.budget.total == Decimal("0.1")
    assert targets.budget.by_nature["基本支出"] == Decimal("698.54")


def test_the_model_is_frozen(write):
    targets = load_targets(write("t.yaml", MINIMAL_TARGETS))
    with pytest.raises(AttributeError):
        targets.year = 2024  # type: ignore[misc]


@pytest.mark.parametrize("loader", ["CSafeLoader", "SafeLoader"])
def test_malformed_yaml_names_the_line(write, monkeypatch, loader):
    import yaml

    import evaluator.io.yamlread

    if not hasattr(yaml, loader):
        pytest.skip("PyYAML was built without libyaml")
    monkeypatch.setattr(evaluator.io.yamlread, "_LOADER", getattr(yaml, loader))
    path = write("bad.yaml", "schema: evaluator.targets/1\nyear: 2023\ndepartment: [未闭合\n")
    with pytest.raises(InputErrors) as caught:
        load_targets(path)
    text = str(caught.value)
    assert "bad.yaml 第4行：YAML 格式错误：方括号列表“[ ]”未闭合或缺少逗号（从第3行开始）" in text


def test_every_problem_of_a_file_is_reported_at_once(write):
    path = write("t.yaml", """
        schema: evaluator.targets/1
        year: 二〇二三
        department: 测试局
        colour: red
        indicators:
          - {id: D01, level1: 产出指标, level2: 数量指标, name: 培训, target: "≥10次", points: 十分}
          - {id: D01, level1: 产出指标, level2: 数量指标, name: 培训2, target: "≥10次"}
          - {id: D03, level1: 产出指标, name: 缺二级, target: "1份"}
          - {id: D04, level1: 产出指标, level2: 数量指标, name: 方向, target: "1份", direction: up, colour: x}
        """)
    with pytest.raises(InputErrors) as caught:
        load_targets(path)
    text = messages(caught.value)
    joined = "\n".join(text)
    assert "t.yaml 第2行 year：应为整数，实际是“二〇二三”" in joined
    assert "未知的键“colour”" in joined and "第4行" in joined
    assert "第6行 indicators[0].points（指标 D01）：应为数字，实际是“十分”" in joined
    assert "指标编号“D01”重复（第一次在第6行）" in joined
    assert "缺少必填的键“level2”" in joined and "（指标 D03）" in joined
    assert "方向应为 higher | lower | equal | qualitative | deadline 之一，实际是“up”" in joined
    assert "indicators[3].colour（指标 D04）：未知的键“colour”" in joined
    assert len(text) == 7


def test_unknown_key_suggests_the_right_one(write):
    path = write("t.yaml", MINIMAL_TARGETS.replace("department:", "departmnet: x\ndepartment:"))
    with pytest.raises(InputErrors, match="是否想写“department”"):
        load_targets(path)


def test_duplicate_yaml_keys_are_errors_not_silently_merged(write):
    path = write("t.yaml", MINIMAL_TARGETS + "year: 2024\n")
    with pytest.raises(InputErrors, match="键“year”重复出现（第一次在第2行）"):
        load_targets(path)


def test_yaml_aliases_are_refused(write):
    path = write("t.yaml", MINIMAL_TARGETS + "duties: &a 职责\nplan: [{item: *a}]\n")
    with pytest.raises(InputErrors, match="YAML 别名"):
        load_targets(path)


def test_python_tags_are_not_executed(write):
    path = write("t.yaml", MINIMAL_TARGETS + "duties: !!python/object/apply:os.system ['echo hacked']\n")
    with pytest.raises(InputErrors, match="YAML 格式错误"):
        load_targets(path)


def test_an_actual_for_an_unknown_indicator_is_an_error(write):
    targets = write("t.yaml", MINIMAL_TARGETS)
    actuals = write("a.yaml", MINIMAL_ACTUALS + "  D99: {actual: 1次}\n")
    with pytest.raises(InputErrors) as caught:
        load_inputs(targets, actuals)
    assert "a.yaml 第10行 indicators.D99（指标 D99）：目标文件中没有指标“D99”" in str(caught.value)


def test_year_and_department_must_match(write):
    targets = write("t.yaml", MINIMAL_TARGETS)
    actuals = write("a.yaml", MINIMAL_ACTUALS.replace("2023", "2024").replace("测试局", "另一个局"))
    with pytest.raises(InputErrors) as caught:
        load_inputs(targets, actuals)
    text = str(caught.value)
    assert "a.yaml 第2行 year：年度不一致：实际值文件是 2024 年" in text
    assert "部门不一致：实际值文件是“另一个局”，目标文件是“测试局”" in text


def test_actual_values_validate_tier_and_pct(write):
    targets = write("t.yaml", MINIMAL_TARGETS)
    actuals = write("a.yaml", MINIMAL_ACTUALS.replace('D04: {actual: "93%", evidence: 问卷调查}',
                                                      "D04: {actual: 好, tier: 完成, pct: 120}"))
    with pytest.raises(InputErrors) as caught:
        load_inputs(targets, actuals)
    text = str(caught.value)
    assert "完成档次应为 达成 | 部分达成 | 未达成 之一，实际是“完成”" in text
    assert "得分比例应在 0 到 100 之间" in text


def test_missing_file_and_wrong_encoding(tmp_path):
    with pytest.raises(InputErrors, match="文件不存在"):
        load_targets(tmp_path / "nope.yaml")
    path = tmp_path / "gbk.yaml"
    path.write_bytes("department: 测试局\n".encode("gbk"))
    with pytest.raises(InputErrors, match="不是 UTF-8 编码"):
        load_targets(path)


def test_loading_never_modifies_the_input(write):
    path = write("t.yaml", MINIMAL_TARGETS)
    before = path.read_bytes(), path.stat().st_mtime_ns
    load_targets(path)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_a_scalar_actual_is_shorthand_for_the_value(write):
    targets = write("t.yaml", MINIMAL_TARGETS)
    actuals = write("a.yaml", MINIMAL_ACTUALS.replace('D01: {actual: "12次"}', "D01: 12次"))
    _, loaded = load_inputs(targets, actuals)
    assert loaded.indicators["D01"].actual == "12次"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("schema: evaluator.targets/1\nyear: 2023\n\tdepartment: x\n", "第3行：YAML 格式错误：出现了制表符（Tab）"),
        ("schema: evaluator.targets/1\nyear: 2023\n department: x\n", "YAML 格式错误：此处不能出现“键: 值”"),
        ("year: 2023\n---\nyear: 2024\n", "文件中出现了第二个文档"),
        ("department: @x\n", "“@”不能出现在值的开头"),
        ("plan:\n  - {item: a}\n year: 2023\n", "缩进与上文不一致"),
    ],
)
def test_yaml_syntax_errors_are_explained_in_chinese(write, text, message):
    with pytest.raises(InputErrors) as caught:
        load_targets(write("t.yaml", text))
    assert message in str(caught.value)
