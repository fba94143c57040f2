"""Import the seed's text export (examples/forms/2023-shifeng-npc-targets.txt)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from formbuilders import SEED, SHIPPED, seed_variant

from evaluator.errors import InputErrors, Severity
from evaluator.forms import import_forms
from evaluator.forms.grid import clean_rows, split_forms
from evaluator.forms.text import read_text_rows
from evaluator.io.dump import dump_targets


@pytest.fixture(scope="module")
def seed():
    return import_forms([SEED])


def write(tmp_path: Path, text: str, name: str = "form.txt", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_seed_gives_the_shipped_targets_byte_for_byte(seed) -> None:
    assert dump_targets(seed.targets) == SHIPPED.read_text(encoding="utf-8")


def test_seed_audits_clean(seed) -> None:
    assert seed.findings == ()


def test_department_table(seed) -> None:
    targets = seed.targets
    assert (targets.year, targets.department, targets.money_unit) == (2023, "株洲市石峰区人民代表大会常务委员会", "万元")
    assert targets.budget.total == Decimal("790.64")
    assert targets.budget.by_source == {"一般公共预算拨款": Decimal("790.64")}  # 政府性基金拨款, 其他资金: no amount
    assert targets.budget.by_nature == {"基本支出": Decimal("698.54"), "项目支出": Decimal("92.1")}
    assert str(targets.budget.by_nature["项目支出"]) == "92.1"  # as written, not 92.10
    assert targets.duties is not None and len(targets.duties.split("\n")) == 15
    assert targets.duties.startswith("（一）在本行政区域内") and targets.duties.endswith("完成区委和上级组织交办的其他任务。")
    assert [(p.item, p.owner) for p in targets.plan] == [("规范保障", "人大办"), ("人事任免", "人大办"), ("代表工作", "人大办")]
    rows = [(i.id, i.level1, i.level2, i.name, i.target) for i in targets.indicators]
    assert [r[0] for r in rows] == [f"D{n:02d}" for n in range(1, 10)]
    assert rows[0] == ("D01", "产出指标", "数量指标", "召开常委会", "≥10次")
    assert rows[3] == ("D04", "产出指标", "成本指标", "控制在预算数内", "≤790.64万元")
    assert rows[4][1:3] == ("效益指标", "经济效益指标")
    assert rows[7] == ("D08", "效益指标", "可持续影响指标", "人事任前法律考试完成率", "100%")
    assert rows[8] == ("D09", "效益指标", "社会公众及服务对象满意度指标", "服务对象满意度", "90%以上")
    assert all(i.standard is None for i in targets.indicators)


def test_projects_in_the_order_of_their_forms(seed) -> None:
    p1, p2 = seed.targets.projects
    assert (p1.id, p1.name, p1.amount, p1.period) == ("P1", "业务性专项经费", Decimal("36.00"), "2023年度")
    assert str(p1.amount) == "36.00"
    assert p1.goal_period == "保证大会的正常进行，顺利完成大会议程的各项事项"
    assert p1.goal_year.startswith("保证大会的正常进行，顺利完成大会议程的各项事项,全面完成市十五届人大四次会议")
    assert [i.id for i in p1.indicators] == [f"P1-{n:02d}" for n in range(1, 10)]
    assert [(i.level2, i.target) for i in p1.indicators][3] == ("成本指标", "≤36万")
    assert p1.indicators[7].level2 == "可持续影响指标"  # “可持续影响  指标” in the form
    assert {i.standard for i in p1.indicators} == {"行业标准"}
    assert (p2.id, p2.name, str(p2.amount)) == ("P2", "人大代表活动经费", "56.10")
    assert [i.id for i in p2.indicators] == [f"P2-{n:02d}" for n in range(1, 11)]
    costs = [(i.name, i.target) for i in p2.indicators if i.level2 == "成本指标"]
    assert costs == [("人大代表人数", "187人"), ("人大代表活动经费标准", "3000元/人")]
    assert p2.indicators[-1].standard == "行业标准"  # “行业标准 ” with a trailing space in the form
    (line,) = p1.spending
    assert (line.content, line.detail, line.amount) == ("区人民代表大会和区人大常委会", "餐费10万元，其他26万元", Decimal("36"))
    assert line.basis.endswith("其他费用100元/人/天")
    (line,) = p2.spending
    assert str(line.amount) == "56.10" and line.basis == "全区代表187人，每人每年的经费是3000元"


def test_forms_are_found_by_title_and_rows_by_blank_lines() -> None:
    rows = clean_rows(read_text_rows("seed.txt", SEED.read_bytes()))
    forms = split_forms(rows, "seed.txt")
    assert [(f.kind, f.year, f.money_unit, f.where.line) for f in forms] == [
        ("附表1", 2023, "万元", 8), ("附表2", 2023, "万元", 164), ("附表3", 2023, "万元", 236), ("附表3", 2023, "万元", 361),
    ]
    texts = [r.texts for r in forms[0].rows]
    assert ["", "政府性基金拨款", "", "项目支出", "92.1"] in texts  # empty tab lines are empty cells
    assert not any("填表人" in t for r in rows for t in r.texts)  # signature footers dropped


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-16"])
def test_other_encodings_and_windows_line_ends(tmp_path: Path, encoding: str) -> None:
    text = SEED.read_text(encoding="utf-8").replace("\n", "\r\n")
    result = import_forms([write(tmp_path, text, encoding=encoding)])
    assert dump_targets(result.targets) == SHIPPED.read_text(encoding="utf-8")


def test_a_word_for_a_number_names_file_form_line_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, seed_variant((373, "\t56.10", "\t三十六")))
    with pytest.raises(InputErrors) as caught:
        import_forms([path])
    (problem,) = caught.value.problems
    assert problem.location.file.endswith("form.txt") and problem.location.line == 373
    assert str(problem).endswith("第373行 “项目金额”列：附表3（人大代表活动经费）的“项目金额”应为数字，实际是“三十六”\n"
                                 "    提示：只填阿拉伯数字（如 36.00），单位为表头写明的万元。")


def test_a_renamed_value_column_is_an_error(tmp_path: Path) -> None:
    path = write(tmp_path, seed_variant((266, "\t指标值及单位", "\t目标描述")))
    with pytest.raises(InputErrors, match=r"第262行 “指标值”列：附表3（业务性专项经费）的年度绩效指标表头缺少“指标值”列"
                                          r"（表头为：年度绩效指标、一级指标、二级指标、三级指标、目标描述、绩效标准）"):
        import_forms([path])


def test_a_text_file_with_no_forms(tmp_path: Path) -> None:
    path = write(tmp_path, "\t会议纪要\n\n\t出席人员\n\t张三\n")
    with pytest.raises(InputErrors, match=r"form\.txt：文件中没有找到绩效目标表：应含 附表1（部门整体支出绩效目标表）"):
        import_forms([path])


def test_undecodable_text(tmp_path: Path) -> None:
    path = tmp_path / "form.txt"
    path.write_bytes(b"\t\xff\xfe\xfd\x80\x81" * 3 + b"\x81")
    with pytest.raises(InputErrors, match="无法识别文本文件的编码"):
        import_forms([path])


def test_form_level_findings_point_at_their_lines(tmp_path: Path) -> None:
    path = write(tmp_path, seed_variant((185, "\t56.10", "\t50.00")))
    findings = import_forms([path]).findings
    assert all(f.severity is Severity.WARNING for f in findings)
    messages = [(f.location.line, f.message) for f in findings]
    assert messages == [
        (179, "附表2合计 92.10 万元，与各行金额之和 86.00 万元不一致，相差 6.10 万元"),
        (373, "附表3“人大代表活动经费”项目金额 56.10 万元，与附表2同名专项金额 50.00 万元不一致，相差 6.10 万元"),
    ]


def test_audit_findings_are_located_in_the_form(tmp_path: Path) -> None:
    path = write(tmp_path, seed_variant((473, "\t56.10", "\t50"), (478, "\t56.10", "\t50")))
    findings = import_forms([path]).findings
    by_key = {f.location.key: f for f in findings}
    assert set(by_key) == {"projects[1].spending", "projects[1].spending[0].amount"}
    line = by_key["projects[1].spending[0].amount"]
    assert line.location.line == 473 and line.location.file.endswith("form.txt")
    assert "按“187人 × 3000元/人”计算为 56.1 万元，与金额 50 万元不一致，相差 6.1 万元" in line.message


def test_missing_department_and_year(tmp_path: Path) -> None:
    path = write(tmp_path, seed_variant(
        (8, "\t2023年部门整体支出绩效目标表", "\t部门整体支出绩效目标表"),
        (17, "\t株洲市石峰区人民代表大会常务委员会", "\t"),
        (164, "\t2023年区级专项资金绩效目标汇总表", "\t区级专项资金绩效目标汇总表"),
        (236, "\t2023年区级专项资金支出方向绩效目标表", "\t区级专项资金支出方向绩效目标表"),
        (361, "\t2023年区级专项资金支出方向绩效目标表", "\t区级专项资金支出方向绩效目标表"),
    ))
    with pytest.raises(InputErrors) as caught:
        import_forms([path])
    text = str(caught.value)
    assert "没有找到部门名称（附表1的“部门名称”或表头的“填报单位”）" in text
    assert "未能从表格标题中识别年度" in text


def test_conflicting_years_in_one_file(tmp_path: Path) -> None:
    path = write(tmp_path, seed_variant((361, "\t2023年区级专项资金支出方向绩效目标表", "\t2024年区级专项资金支出方向绩效目标表")))
    with pytest.raises(InputErrors, match=r"form\.txt 第361行：年度不一致：附表3是“2024”，而 .*form\.txt 第8行 的附表1是“2023”"):
        import_forms([path])
