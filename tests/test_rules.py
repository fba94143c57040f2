"""Rule sets as data: the shipped ones load and add up; a user's file is validated with keys named."""

from __future__ import annotations

from decimal import Decimal

import pytest

from evaluator.errors import InputErrors
from evaluator.rules import load_rules, shipped_rules


def test_at_least_four_documented_variants_ship_beside_the_default():
    names = shipped_rules()
    assert names[0] == "national-2020"
    assert {"hb-2020", "platform-linear", "central-integer", "beijing-2016"} <= set(names)


@pytest.mark.parametrize("name", shipped_rules())
def test_every_shipped_rule_set_is_valid_sourced_and_adds_up_to_100(name):
    rules = load_rules(name)
    assert rules.total_points == Decimal(100)
    assert rules.source and rules.title and len(rules.sha256) == 64


def test_a_user_rule_file_can_extend_a_shipped_one(write):
    path = write("mine.yaml", """
        schema: evaluator.rules/1
        name: mine
        extends: national-2020
        title: 我的规则
        source: 本单位文件
        over_achievement: {threshold: 1.5}
        """)
    rules = load_rules(path)
    assert (rules.name, rules.over_threshold, rules.execution_points) == ("mine", Decimal("1.5"), Decimal(10))


def test_a_bad_rule_file_names_every_bad_key(write):
    path = write("bad.yaml", """
        schema: evaluator.rules/1
        name: bad
        extends: national-2020
        title: 坏规则
        source: 无
        execution: {points: 十, denominator: monthly, colour: red}
        quantitative: {lower: cubic}
        qualitative:
          default_pct: {部分达成: 90}
        bonus: 5
        """)
    with pytest.raises(InputErrors) as caught:
        load_rules(path)
    text = str(caught.value)
    assert "bad.yaml 第6行 execution.points：“execution.points”应为数字，实际是“十”" in text
    assert "“execution.denominator”应为 adjusted | initial 之一，实际是“monthly”" in text
    assert "未知的键“execution.colour”" in text
    assert "“quantitative.lower”应为 ratio | linear 之一，实际是“cubic”" in text
    assert "默认比例 90 不在该档区间" in text
    assert "第10行 bonus：未知的键“bonus”" in text


def test_points_that_do_not_add_up_to_100_are_refused(write):
    path = write("r.yaml", """
        schema: evaluator.rules/1
        name: r
        extends: national-2020
        title: t
        source: s
        execution: {points: 20}
        """)
    with pytest.raises(InputErrors, match="合计为 110，应为 100"):
        load_rules(path)


RULE_HEAD = """
schema: evaluator.rules/1
name: mine
extends: national-2020
title: t
source: s
"""


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("qualitative: {bands: {部分达成: [70, 80]}}", "三档区间应首尾相接并覆盖 0–100%"),
        ("grades: {bands: [{grade: 优, min: 95}, {grade: 差, min: 90}]}", "应有一个下限为 0 的等级"),
        ("over_achievement: {threshold: 0}", "超额完成的提示线应大于 1"),
        ("execution: {explain_below: 2}", "应为 0 到 1 之间的比例"),
        ("decimals: 10", "小数位数应在 0 到 4 之间"),
    ],
)
def test_values_that_make_no_sense_are_refused(write, extra, message):
    with pytest.raises(InputErrors, match=message):
        load_rules(write("r.yaml", RULE_HEAD + extra + "\n"))


def test_a_custom_rule_set_cannot_pose_as_a_shipped_one_or_inherit_its_source(write):
    with pytest.raises(InputErrors, match="不能与内置规则集“national-2020”同名"):
        load_rules(write("r.yaml", RULE_HEAD.replace("name: mine", "name: national-2020")))
    assert load_rules(write("ok.yaml", RULE_HEAD)).url is None


def test_a_folder_or_a_gbk_file_is_a_clear_error(tmp_path):
    with pytest.raises(InputErrors, match="这是一个文件夹"):
        load_rules(tmp_path)
    path = tmp_path / "gbk.yaml"
    path.write_bytes("title: 规则\n".encode("gbk"))
    with pytest.raises(InputErrors, match="不是 UTF-8 编码"):
        load_rules(path)
