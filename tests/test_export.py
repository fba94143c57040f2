"""The scored 自评表 workbook: layout, numbers equal to the Result, no formulas, stable bytes, the command."""

from __future__ import annotations

import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from conftest import EXAMPLE_ACTUALS, EXAMPLE_TARGETS, MINIMAL_ACTUALS, MINIMAL_TARGETS
from typer.testing import CliRunner

from evaluator import evaluate_files
from evaluator.cli import app
from evaluator.io.load import load_inputs
from evaluator.rules import load_rules
from evaluator.scoring import evaluate
from evaluator.workbook.export import build_self_evaluation_workbook, export_files

runner = CliRunner()
TABLE_HEADERS = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")


@pytest.fixture(scope="module")
def result():
    return evaluate_files(EXAMPLE_TARGETS, EXAMPLE_ACTUALS)


@pytest.fixture(scope="module")
def book():
    return openpyxl.load_workbook(io.BytesIO(export_files(EXAMPLE_TARGETS, EXAMPLE_ACTUALS)))


def find(sheet, text: str) -> tuple[int, int]:
    return next((c.row, c.column) for row in sheet.iter_rows() for c in row if c.value == text)


def table(sheet) -> list[tuple]:
    """The indicator rows: from below the table header to the 总分 row, merged cells filled down."""
    first, _ = find(sheet, "三级指标")
    last, _ = find(sheet, "总分")
    values = [[sheet.cell(r, c).value for c in range(1, 9)] for r in range(first + 1, last)]
    for position, row in enumerate(values):
        for column in (0, 1):
            if row[column] is None and position:
                row[column] = values[position - 1][column]
    return [tuple(r) for r in values]


def test_one_sheet_per_scope_and_the_explanation_sheet(book):
    assert book.sheetnames == ["部门整体支出", "业务性专项经费", "人大代表活动经费", "评分说明"]
    assert book["部门整体支出"]["A1"].value == "2023年度部门整体支出绩效自评表"
    assert book["业务性专项经费"]["A1"].value == "2023年度项目支出绩效自评表"
    project = book["业务性专项经费"]
    row, column = find(project, "项目名称")
    assert project.cell(row, column + 2).value == "业务性专项经费"
    row, column = find(project, "主管部门")
    assert project.cell(row, column + 2).value == "株洲市石峰区人民代表大会常务委员会"


def test_the_budget_block_has_the_result_numbers(book, result):
    for evaluation in result.evaluations:
        sheet = book[evaluation.name]
        row, _ = find(sheet, "年度资金总额")
        header, _ = find(sheet, "全年执行数(B)")
        assert [sheet.cell(header, c).value for c in range(3, 9)] == \
            ["年初预算数", "全年预算数(A)", "全年执行数(B)", "分值", "执行率(B/A)", "得分"]
        ex = evaluation.execution
        found = [sheet.cell(row, c).value for c in range(3, 9)]
        expected = [ex.initial, ex.adjusted, ex.executed, ex.points, ex.rate, ex.score]
        assert [Decimal(str(v)) for v in found] == expected
        assert sheet.cell(row, 7).number_format == "0.00%"
    department = book["部门整体支出"]
    row, _ = find(department, "年度资金总额")
    assert [department.cell(row, c).value for c in range(3, 9)] == [790.64, 815.2, 801.37, 10, 0.983, 9.83]


def test_every_indicator_row_has_the_result_score(book, result):
    for evaluation in result.evaluations:
        rows = table(book[evaluation.name])
        assert len(rows) == len(evaluation.indicators)
        for row, score in zip(rows, evaluation.indicators, strict=True):
            assert row[:5] == (score.level1, score.level2, score.name, score.target, score.actual or "未填报")
            assert Decimal(str(row[5])) == score.points and Decimal(str(row[6])) == score.score
        sheet = book[evaluation.name]
        total_row, _ = find(sheet, "总分")
        assert Decimal(str(sheet.cell(total_row, 7).value)) == evaluation.total
        assert sheet.cell(total_row, 6).value == 100
        grade_row, _ = find(sheet, "自评等级")
        assert sheet.cell(grade_row, 6).value == evaluation.grade
    department = table(book["部门整体支出"])
    d09 = next(r for r in department if r[2] == "服务对象满意度")
    assert d09[7] == "原因：部分代表因工作冲突缺席座谈，对会议安排满意度偏低\n改进措施：提前发放会议通知，合理安排会期"


def test_level_cells_are_merged_over_their_rows(book):
    sheet = book["部门整体支出"]
    first, _ = find(sheet, "三级指标")
    merged = {str(r) for r in sheet.merged_cells.ranges}
    # D01–D04 产出指标, D05–D09 效益指标; every 二级指标 differs, so column B has no merges
    assert f"A{first + 1}:A{first + 4}" in merged and f"A{first + 5}:A{first + 9}" in merged
    assert not [r for r in sheet.merged_cells.ranges if r.min_col == 2 and r.min_row > first]


def test_level2_merges_inside_level1(write):
    targets = write("t.yaml", MINIMAL_TARGETS.replace("level2: 成本指标", "level2: 数量指标"))
    actuals = write("a.yaml", MINIMAL_ACTUALS)
    sheet = openpyxl.load_workbook(io.BytesIO(export_files(targets, actuals)))["部门整体支出"]
    first, _ = find(sheet, "三级指标")
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert f"A{first + 1}:A{first + 2}" in merged and f"B{first + 1}:B{first + 2}" in merged


def test_goal_block_shows_targets_and_the_summary(book):
    sheet = book["部门整体支出"]
    row, column = find(sheet, "预期目标")
    assert sheet.cell(row + 1, 2).value.startswith("1. 规范保障：切实做好立法工作")
    assert sheet.cell(row + 1, 6).value.startswith("全年召开常委会12次")
    project = book["业务性专项经费"]
    row, _ = find(project, "预期目标")
    assert project.cell(row + 1, 2).value.startswith("保证大会的正常进行")
    assert project.cell(row + 1, 6).value.startswith("召开区人民代表大会一次")  # the fund's overview


def test_a_fund_without_overview_gets_a_generated_account():
    import dataclasses

    targets, actuals = load_inputs(EXAMPLE_TARGETS, EXAMPLE_ACTUALS)
    plain = dataclasses.replace(actuals, projects={k: dataclasses.replace(v, overview=None)
                                                   for k, v in actuals.projects.items()})
    result = evaluate(targets, plain, load_rules("national-2020"))
    book = openpyxl.load_workbook(io.BytesIO(build_self_evaluation_workbook(result, targets, plain)))
    sheet = book["业务性专项经费"]
    row, _ = find(sheet, "预期目标")
    assert sheet.cell(row + 1, 6).value.startswith("共9项绩效指标：达成")


def test_the_explanation_sheet_lists_every_indicator_rules_and_hashes(book, result):
    sheet = book["评分说明"]
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    by_id = {r[1]: r for r in rows if r[1]}
    for evaluation in result.evaluations:
        for score in evaluation.indicators:
            assert by_id[score.id][9] == score.explanation
            assert by_id[score.id][4] == score.understood
    assert by_id["D08"][10] == 7.5  # claimed
    labels = {r[0]: r[1] for r in rows if r[0] in ("评分规则", "目标文件", "实际值文件", "评分规则文件")}
    assert labels["评分规则"].startswith("national-2020")
    for item in result.inputs:
        assert item.sha256 in "".join(str(v) for v in labels.values())


def test_no_formula_anywhere_even_with_hostile_text(write):
    hostile = '"=HYPERLINK(\\"http://x\\",\\"点我\\")"'
    targets = write("t.yaml", MINIMAL_TARGETS.replace("department: 测试局", f"department: {hostile}")
                    .replace("name: 培训次数", 'name: "+1"').replace("name: 成本", 'name: "-2"')
                    .replace("name: 群众知晓率", 'name: "@x"'))
    actuals = write("a.yaml", MINIMAL_ACTUALS.replace("department: 测试局", f"department: {hostile}")
                    .replace('reason: 宣传不足}', 'reason: "=1+1", measure: "\\t=cmd"}')
                    + 'summary: {overview: "=SUM(A1:A3)"}\n')
    data = export_files(targets, actuals)
    book = openpyxl.load_workbook(io.BytesIO(data))
    cells = [c for s in book.worksheets for row in s.iter_rows() for c in row]
    assert all(c.data_type != "f" for c in cells)
    texts = {c.value for c in cells}
    assert {"+1", "-2", "@x", "=SUM(A1:A3)", '=HYPERLINK("http://x","点我")'} <= texts
    assert "原因：=1+1\n改进措施：\t=cmd" in texts
    values = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    assert '=HYPERLINK("http://x","点我")' in {c.value for row in values["部门整体支出"].iter_rows() for c in row}


def test_the_same_inputs_give_the_same_bytes(tmp_path):
    first = export_files(EXAMPLE_TARGETS, EXAMPLE_ACTUALS)
    assert export_files(EXAMPLE_TARGETS, EXAMPLE_ACTUALS) == first
    targets, actuals = load_inputs(EXAMPLE_TARGETS, EXAMPLE_ACTUALS)
    result = evaluate(targets, actuals, load_rules("national-2020"))
    again = build_self_evaluation_workbook(result, targets, actuals)
    assert again == first
    book = openpyxl.load_workbook(io.BytesIO(first))
    assert book.properties.created == book.properties.modified == datetime.datetime(2023, 12, 31)
    with zipfile.ZipFile(io.BytesIO(first)) as archive:  # nothing depends on the clock, not even zip entry times
        assert {entry.date_time for entry in archive.infolist()} == {(2023, 12, 31, 0, 0, 0)}


def test_print_setup_is_a4_fit_to_width_with_a_repeated_header(book):
    for sheet in book.worksheets:
        assert int(sheet.page_setup.paperSize) == 9  # A4
        assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows
    sheet = book["部门整体支出"]
    header, _ = find(sheet, "三级指标")
    assert sheet.print_title_rows == f"${header}:${header}"
    assert sheet.cell(header, 1).border.left.style == "thin"
    assert [sheet.cell(header, c).value for c in range(1, 9)] == list(TABLE_HEADERS)


def test_export_command_writes_and_refuses_to_overwrite(tmp_path):
    out = tmp_path / "reports" / "自评表.xlsx"
    args = ["export", str(EXAMPLE_TARGETS), str(EXAMPLE_ACTUALS), "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "已写入" in result.output and out.read_bytes() == export_files(EXAMPLE_TARGETS, EXAMPLE_ACTUALS)
    out.write_bytes(b"user's file")
    again = runner.invoke(app, args)
    assert again.exit_code == 1 and "文件已存在，未覆盖" in again.output and "--force" in again.output
    assert out.read_bytes() == b"user's file"
    forced = runner.invoke(app, [*args, "--force", "--rules", "central-integer"])
    assert forced.exit_code == 0 and out.read_bytes()[:2] == b"PK"


def test_export_command_reports_bad_input_in_chinese_without_traceback(tmp_path, write):
    out = tmp_path / "x.xlsx"
    none = tmp_path / "none.yaml"
    missing = runner.invoke(app, ["export", str(EXAMPLE_TARGETS), str(none), "-o", str(out)])
    assert missing.exit_code == 1 and "文件不存在" in missing.output and "Traceback" not in missing.output
    bad = write("bad.yaml", MINIMAL_ACTUALS.replace("year: 2023", "year: 二〇二三"))
    wrong = runner.invoke(app, ["export", str(EXAMPLE_TARGETS), str(bad), "-o", str(out)])
    assert wrong.exit_code == 1 and "错误：发现" in wrong.output and "Traceback" not in wrong.output
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")
    not_xlsx = runner.invoke(app, ["export", str(EXAMPLE_TARGETS), str(fake), "-o", str(out)])
    assert not_xlsx.exit_code == 1 and "不是 Excel 文件（.xlsx）" in not_xlsx.output
    assert not out.exists()


def test_export_from_a_filled_workbook_matches_the_yaml_export(tmp_path):
    from test_workbook import fill

    from evaluator.io.load import load_actuals, load_targets
    from evaluator.workbook.entry import build_entry_workbook

    filled = tmp_path / "filled.xlsx"
    fill(build_entry_workbook(load_targets(EXAMPLE_TARGETS)), load_actuals(EXAMPLE_ACTUALS)).save(filled)
    one = openpyxl.load_workbook(io.BytesIO(export_files(EXAMPLE_TARGETS, filled)))
    two = openpyxl.load_workbook(io.BytesIO(export_files(EXAMPLE_TARGETS, EXAMPLE_ACTUALS)))
    for name in one.sheetnames[:-1]:
        assert list(one[name].iter_rows(values_only=True)) == list(two[name].iter_rows(values_only=True))
