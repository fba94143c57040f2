"""The actuals entry workbook: template, filling it in, reading it back, and every kind of bad input."""

from __future__ import annotations

import datetime
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import EXAMPLE_ACTUALS, EXAMPLE_TARGETS, MINIMAL_TARGETS
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from evaluator import evaluate_files
from evaluator.cli import app
from evaluator.errors import InputErrors
from evaluator.io.entry_read import read_actuals_workbook
from evaluator.io.load import load_actuals, load_inputs, load_targets
from evaluator.model import Actuals
from evaluator.workbook.cells import clean_text, set_text, sheet_title
from evaluator.workbook.entry import build_actuals_yaml, build_entry_workbook

runner = CliRunner()
FILL_HEADERS = ("实际完成值", "完成档次", "得分比例(%)", "偏差原因", "改进措施", "佐证材料", "自评得分")
LOCKED_HEADERS = ("编号", "一级指标", "二级指标", "三级指标", "年度指标值", "理解为")
SUMMARY_LABELS = {"overview": "总体完成情况", "problems": "存在的问题", "measures": "改进措施",
                  "application": "结果应用", "other": "其他说明"}


def headers(sheet, row: int = 2) -> dict[str, int]:
    return {cell.value: cell.column for cell in sheet[row] if cell.value}


def ids_by_row(sheet) -> dict[str, int]:
    column = headers(sheet)["编号"]
    cells = ((sheet.cell(r, column).value, r) for r in range(3, sheet.max_row + 1))
    return {value: row for value, row in cells if value}


def number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def as_cell(value: object) -> object:
    """A Decimal of the model as Excel holds a typed number; text as it is."""
    return number(value) if isinstance(value, Decimal) else value


def fill(template: bytes, actuals: Actuals) -> openpyxl.Workbook:
    """Fill the template as a person would in Excel, with the values of ``actuals``.

    Like Excel on a protected sheet, it cannot type into a locked cell (such as a 完成档次 shown “—”).
    """
    book = openpyxl.load_workbook(io.BytesIO(template))
    entries = dict(actuals.indicators)
    for project in actuals.projects.values():
        entries.update(project.indicators)
    fields = {"实际完成值": "actual", "完成档次": "tier", "得分比例(%)": "pct", "偏差原因": "reason",
              "改进措施": "measure", "佐证材料": "evidence", "自评得分": "claimed"}
    for sheet in book.worksheets:
        if sheet.title in ("填报说明", "预算执行", "总结", "已确认的提示", "元数据"):
            continue
        where = headers(sheet)
        for indicator_id, row in ids_by_row(sheet).items():
            entry = entries.get(indicator_id)
            for header, key in fields.items():
                value = getattr(entry, key) if entry else None
                cell = sheet.cell(row, where[header])
                if value is not None and not cell.protection.locked:
                    cell.value = as_cell(value)
    budget = book["预算执行"]
    where = headers(budget)
    scopes = {"部门整体": (actuals.budget, actuals.claimed_total, None)}
    scopes |= {pid: (p.budget, p.claimed_total, p.overview) for pid, p in actuals.projects.items()}
    sources = {"其中：当年财政拨款": "current", "上年结转资金": "carryover", "其他资金": "other"}
    for row in range(3, budget.max_row + 1):
        line, total, overview = scopes[budget.cell(row, where["编号"]).value]
        funding = budget.cell(row, where["资金"]).value
        if funding in sources:  # a 其中 line: amounts only
            source = line.sources.get(sources[funding]) if line else None
            for header, key in (("年初预算数", "initial"), ("全年预算数", "adjusted"), ("全年执行数", "executed")):
                budget.cell(row, where[header]).value = as_cell(getattr(source, key) if source else None)
            continue
        assert funding == "年度资金总额"
        budget.cell(row, where["年度总体目标实际完成情况"]).value = overview
        for header, key in (("年初预算数", "initial"), ("全年预算数", "adjusted"), ("全年执行数", "executed"),
                            ("自评得分", "claimed"), ("执行率说明/原因", "reason")):
            budget.cell(row, where[header]).value = as_cell(getattr(line, key) if line else None)
        budget.cell(row, where["自评总分"]).value = number(total)
    summary = book["总结"]
    for row in range(3, summary.max_row + 1):
        key = next(k for k, label in SUMMARY_LABELS.items() if label == summary.cell(row, 1).value)
        summary.cell(row, 2).value = getattr(actuals.summary, key)
    accepted = book["已确认的提示"]
    where = headers(accepted)
    for row, item in enumerate(actuals.acknowledged, start=3):
        for header, value in (("提示代码", item.code), ("指标编号", item.indicator), ("确认理由", item.reason)):
            accepted.cell(row, where[header]).value = value
    return book


def save(book: openpyxl.Workbook, path: Path) -> Path:
    book.save(path)
    return path


@pytest.fixture(scope="module")
def targets():
    return load_targets(EXAMPLE_TARGETS)


@pytest.fixture(scope="module")
def template(targets) -> bytes:
    return build_entry_workbook(targets)


@pytest.fixture
def filled(template, tmp_path) -> Path:
    return save(fill(template, load_actuals(EXAMPLE_ACTUALS)), tmp_path / "filled.xlsx")


def problems_of(path) -> list[str]:
    with pytest.raises(InputErrors) as caught:
        read_actuals_workbook(path)
    return [str(p) for p in caught.value.problems]


# --- the template ---------------------------------------------------------------------------------


def test_template_has_the_sheets_in_order(template, targets):
    book = openpyxl.load_workbook(io.BytesIO(template))
    assert book.sheetnames == ["填报说明", "部门整体", "业务性专项经费", "人大代表活动经费", "预算执行", "总结", "已确认的提示",
                               "元数据"]
    assert book["元数据"].sheet_state == "hidden"
    assert all(len(name) <= 31 for name in book.sheetnames)


def test_each_scope_sheet_lists_every_indicator_with_locked_and_open_columns(template, targets):
    book = openpyxl.load_workbook(io.BytesIO(template))
    for sheet_name, indicators in (("部门整体", targets.indicators), ("业务性专项经费", targets.projects[0].indicators),
                                   ("人大代表活动经费", targets.projects[1].indicators)):
        sheet = book[sheet_name]
        where = headers(sheet)
        assert list(where)[:6] == list(LOCKED_HEADERS)
        assert set(FILL_HEADERS) <= set(where)
        assert list(ids_by_row(sheet)) == [i.id for i in indicators]
        assert sheet.protection.sheet and not sheet.protection.password
        assert sheet.freeze_panes == "A3"
        assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.fitToWidth == 1
        assert sheet.print_title_rows == "$1:$2"
        for row in ids_by_row(sheet).values():
            assert all(sheet.cell(row, where[h]).protection.locked for h in LOCKED_HEADERS)
            assert not sheet.cell(row, where["实际完成值"]).protection.locked
            assert not sheet.cell(row, where["自评得分"]).protection.locked
    sheet = book["部门整体"]
    rows = ids_by_row(sheet)
    understood = sheet.cell(rows["D01"], headers(sheet)["理解为"]).value
    assert understood == "不少于10次（越高越好）"


def test_the_tier_drop_down_is_on_qualitative_rows_only(template):
    sheet = openpyxl.load_workbook(io.BytesIO(template))["部门整体"]
    where, rows = headers(sheet), ids_by_row(sheet)
    lists = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert len(lists) == 1 and lists[0].formula1 == '"达成,部分达成,未达成"'
    tier_column = openpyxl.utils.get_column_letter(where["完成档次"])
    covered = {str(c) for r in lists[0].sqref.ranges for c in (r.coord,)}
    assert f"{tier_column}{rows['D06']}" in covered  # 有所提升: qualitative
    assert f"{tier_column}{rows['D05']}" in covered
    assert f"{tier_column}{rows['D01']}" not in covered  # ≥10次: numeric
    assert sheet.cell(rows["D01"], where["完成档次"]).protection.locked
    kinds = {(v.type, v.operator, v.formula1, v.formula2) for v in sheet.data_validations.dataValidation}
    assert ("decimal", "between", "0", "100") in kinds
    assert ("decimal", "between", "0", "12.5") in kinds  # 自评得分 and 扣减分数: 0 to the row's 分值


def test_a_target_read_as_empty_gets_the_tier_drop_down_like_any_qualitative_indicator(template):
    sheet = openpyxl.load_workbook(io.BytesIO(template))["人大代表活动经费"]
    where, rows = headers(sheet), ids_by_row(sheet)
    row = rows["P2-06"]  # target “无”: scored as a qualitative indicator
    tier = sheet.cell(row, where["完成档次"])
    assert tier.value is None and not tier.protection.locked
    assert not sheet.cell(row, where["得分比例(%)"]).protection.locked
    (tier_rule,) = [v for v in sheet.data_validations.dataValidation if v.type == "list"]
    assert tier.coordinate in {str(c) for r in tier_rule.sqref.ranges for c in (r.coord,)}
    understood = sheet.cell(row, where["理解为"]).value
    assert "按定性指标评价" in understood and "方向不明" not in understood


def test_the_filled_example_scores_like_the_yaml_with_a_tier_on_the_empty_target(template, tmp_path):
    yaml_actuals = load_actuals(EXAMPLE_ACTUALS)
    assert yaml_actuals.projects["P2"].indicators["P2-06"].tier == "达成"
    path = save(fill(template, yaml_actuals), tmp_path / "by-hand.xlsx")
    assert read_actuals_workbook(path).projects["P2"].indicators["P2-06"].tier == "达成"
    totals = {e.name: e.total for e in evaluate_files(EXAMPLE_TARGETS, path).evaluations}
    expected = {e.name: e.total for e in evaluate_files(EXAMPLE_TARGETS, EXAMPLE_ACTUALS).evaluations}
    assert totals["人大代表活动经费"] == expected["人大代表活动经费"] == Decimal("97.22")
    assert totals == expected


@pytest.mark.parametrize("target", ["无", "/", ""])
def test_every_empty_target_is_qualitative_in_the_template_and_the_skeleton(write, target):
    from evaluator.language.values import Op, parse_value

    assert parse_value(target).op is Op.EMPTY
    targets = load_targets(write("t.yaml", MINIMAL_TARGETS.replace('target: "≥10次"', f'target: "{target}"')))
    sheet = openpyxl.load_workbook(io.BytesIO(build_entry_workbook(targets)))["部门整体"]
    where, rows = headers(sheet), ids_by_row(sheet)
    assert sheet.cell(rows["D01"], where["完成档次"]).value is None
    assert not sheet.cell(rows["D01"], where["完成档次"]).protection.locked
    text = build_actuals_yaml(targets)
    comment = next(line for line in text.splitlines() if "培训次数" in line)
    assert "按定性指标评价" in comment and "方向不明" not in comment
    assert "  D01: {actual: , tier: }" in text


def test_budget_summary_and_metadata_sheets(template, targets):
    book = openpyxl.load_workbook(io.BytesIO(template))
    budget = book["预算执行"]
    where = headers(budget)
    for header in ("范围", "年初预算数", "全年预算数", "全年执行数", "执行率说明/原因", "自评得分"):
        assert header in where
    assert [budget.cell(r, where["范围"]).value for r in range(3, 15, 4)] == ["部门整体支出", "业务性专项经费", "人大代表活动经费"]
    assert [budget.cell(r, where["资金"]).value for r in range(3, 7)] == \
        ["年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金"]
    assert not budget.cell(3, where["全年执行数"]).protection.locked
    assert not budget.cell(4, where["全年执行数"]).protection.locked  # a 其中 line: amounts open
    assert budget.cell(4, where["自评得分"]).protection.locked and budget.cell(4, where["自评得分"]).value == "—"
    rules = budget.data_validations.dataValidation
    assert any(v.type == "decimal" and v.operator == "greaterThanOrEqual" for v in rules)
    summary = book["总结"]
    assert [summary.cell(r, 1).value for r in range(3, 8)] == list(SUMMARY_LABELS.values())
    meta = book["元数据"]
    values = {meta.cell(r, 1).value: meta.cell(r, 2).value for r in range(1, 8)}
    assert values["格式版本"] == "evaluator.actuals/1"
    assert values["年度"] == "2023" and values["部门名称"] == targets.department and values["金额单位"] == "万元"
    guide = book["填报说明"]
    assert "实际完成值" in " ".join(str(c.value) for c in guide["B"] if c.value)


def test_template_bytes_are_stable_and_hold_no_formula(template, targets):
    assert build_entry_workbook(targets) == template
    book = openpyxl.load_workbook(io.BytesIO(template))
    assert all(c.data_type != "f" for s in book.worksheets for row in s.iter_rows() for c in row)


# --- reading a filled workbook --------------------------------------------------------------------


def test_a_filled_workbook_scores_exactly_like_the_yaml(filled):
    from_yaml = evaluate_files(EXAMPLE_TARGETS, EXAMPLE_ACTUALS).to_json()
    from_xlsx = evaluate_files(EXAMPLE_TARGETS, filled).to_json()
    assert from_xlsx["evaluations"] == from_yaml["evaluations"]
    assert [e["total"] for e in from_xlsx["evaluations"]] == [97.19, 99.63, 97.22]
    actuals_input = next(i for i in from_xlsx["inputs"] if i["role"] == "actuals")
    assert actuals_input["file"].endswith("filled.xlsx") and len(actuals_input["sha256"]) == 64


def test_the_filled_workbook_reads_into_the_same_actuals(filled):
    workbook, yaml_ = read_actuals_workbook(filled), load_actuals(EXAMPLE_ACTUALS)
    for key in ("year", "department", "money_unit", "summary"):
        assert getattr(workbook, key) == getattr(yaml_, key)
    assert workbook.budget.executed == Decimal("801.37") and workbook.budget.claimed == 10
    assert workbook.indicators["D07"].pct == 70 and workbook.indicators["D07"].tier is None
    assert workbook.indicators["D09"].reason == yaml_.indicators["D09"].reason
    assert workbook.indicators["D09"].line == ids_by_row(openpyxl.load_workbook(filled)["部门整体"])["D09"]
    assert set(workbook.projects) == {"P1", "P2"}
    assert workbook.projects["P2"].budget.executed == Decimal("54.8")
    assert workbook.source.endswith("filled.xlsx")


def test_an_unfilled_template_reads_as_nothing_filled(template, tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(template)
    actuals = read_actuals_workbook(path)
    assert actuals.indicators == {} and actuals.projects == {} and actuals.budget is None
    result = evaluate_files(EXAMPLE_TARGETS, path)
    assert all(i.status == "missing" for e in result.evaluations for i in e.indicators)


def test_renamed_and_reordered_sheets_and_columns_still_read(template, tmp_path):
    book = fill(template, load_actuals(EXAMPLE_ACTUALS))
    sheet = book["业务性专项经费"]
    sheet.title = "专项一"
    sheet.move_range("G1:G20", cols=20)  # 实际完成值 moved to the far right
    sheet.cell(2, 27).value = "实际完成值（必填）"
    where = headers(sheet)
    sheet.cell(2, where["偏差原因"]).value = "偏差原因分析"
    book.move_sheet("专项一", offset=2)
    book["部门整体"].title = "部门"
    path = save(book, tmp_path / "moved.xlsx")
    actuals = read_actuals_workbook(path)
    assert actuals.projects["P1"].indicators["P1-01"].actual == "1份"
    assert actuals.projects["P1"].indicators["P1-08"].reason.startswith("一项审议意见")
    assert actuals.indicators["D01"].actual == "12次"
    assert evaluate_files(EXAMPLE_TARGETS, path).to_json()["evaluations"] == \
        evaluate_files(EXAMPLE_TARGETS, EXAMPLE_ACTUALS).to_json()["evaluations"]


def test_a_missing_actual_column_names_the_sheet_and_the_header(template, tmp_path):
    book = openpyxl.load_workbook(io.BytesIO(template))
    sheet = book["人大代表活动经费"]
    sheet.cell(2, headers(sheet)["实际完成值"]).value = "备注"
    problems = problems_of(save(book, tmp_path / "no-actual.xlsx"))
    assert len(problems) == 1
    assert problems[0].endswith("no-actual.xlsx 工作表“人大代表活动经费” 第2行：缺少“实际完成值”列\n"
                                "    提示：在表头行补上“实际完成值”列，或用 evaluator template 重新生成填报表。")


def test_a_formula_without_a_cached_value_is_a_problem_with_sheet_row_and_column(template, tmp_path):
    book = openpyxl.load_workbook(io.BytesIO(template))
    sheet = book["部门整体"]
    where, rows = headers(sheet), ids_by_row(sheet)
    sheet.cell(rows["D02"], where["实际完成值"]).value = "=10+1"  # openpyxl saves no cached result
    column = openpyxl.utils.get_column_letter(where["实际完成值"])
    problems = problems_of(save(book, tmp_path / "formula.xlsx"))
    assert len(problems) == 1
    assert f"工作表“部门整体” 第{rows['D02']}行 {column}列（指标 D02）：“实际完成值”单元格是公式“=10+1”" in problems[0]
    assert "没有保存它的计算结果" in problems[0]


def test_a_formula_with_a_cached_value_is_read_by_its_value(tmp_path, template):
    book = openpyxl.load_workbook(io.BytesIO(template))
    sheet = book["部门整体"]
    where, rows = headers(sheet), ids_by_row(sheet)
    sheet.cell(rows["D01"], where["实际完成值"]).value = "=6+6"
    path = save(book, tmp_path / "cached.xlsx")
    _add_cached_value(path, "=6+6", "12")
    assert read_actuals_workbook(path).indicators["D01"].actual == "12"


def _add_cached_value(path: Path, formula: str, value: str) -> None:
    """Write the <v> Excel would have saved beside a formula."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    stored = f"<f>{formula[1:]}</f>".encode()
    for name, data in parts.items():
        if name.startswith("xl/worksheets/") and stored in data:
            for empty in (b"<v></v>", b"<v />", b"<v/>"):
                data = data.replace(stored + empty, stored + f"<v>{value}</v>".encode())
            parts[name] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


@pytest.mark.parametrize("content, expected", [
    (b"schema: evaluator.actuals/1\n", "文件内容是文字（如 YAML 或文本），不是 Excel 文件（.xlsx）"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "这是旧版 Excel 二进制文件（.xls），只是扩展名为 .xlsx"),
    (b"PK\x03\x04broken\x00", "文件已损坏，或不是 Excel 文件（.xlsx）"),
    (b"PK\x03\x04garbage", "文件已损坏，或不是 Excel 文件（.xlsx）"),  # a zip cut short: no NUL, still not text
])
def test_a_file_that_is_not_an_xlsx_gets_a_clear_message(tmp_path, content, expected):
    path = tmp_path / "actuals.xlsx"
    path.write_bytes(content)
    problems = problems_of(path)
    assert len(problems) == 1 and expected in problems[0] and "另存为" in problems[0]


def test_a_zip_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "other.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "文件已损坏，或不是 Excel 文件（缺少 xl/workbook.xml）" in problems_of(path)[0]


def test_declared_sizes_are_checked_before_opening(tmp_path, template, monkeypatch):
    monkeypatch.setenv("EVALUATOR_MAX_FILE_MB", "0.03")  # 30 kB files, 60 kB unpacked: the template unpacks to 80 kB
    path = tmp_path / "big.xlsx"
    path.write_bytes(template)
    problems = problems_of(path)
    assert len(problems) == 1 and "文件解压后过大" in problems[0] and "填报表通常不到 1 MB" in problems[0]


def test_blank_rows_merged_label_cells_and_an_extra_sheet_are_handled(template, tmp_path):
    book = fill(template, load_actuals(EXAMPLE_ACTUALS))
    sheet = book["部门整体"]
    sheet.protection.sheet = False
    sheet.insert_rows(5, amount=2)  # two blank rows in the middle of the table
    rows, where = ids_by_row(sheet), headers(sheet)
    level1 = where["一级指标"]  # a locked label column: merging it changes nothing the user fills
    sheet.merge_cells(start_row=rows["D01"], start_column=level1, end_row=rows["D02"], end_column=level1)
    extra = book.create_sheet("我的草稿")
    extra["A1"], extra["B1"], extra["A2"] = "随便写的", "=SUM(1,2)", "D99"
    actuals = read_actuals_workbook(save(book, tmp_path / "blank.xlsx"))
    assert actuals.indicators["D01"].actual == "12次" and actuals.indicators["D02"].actual == "11次"
    assert actuals.indicators["D09"].actual == "88%"
    assert "D99" not in actuals.indicators


def test_a_merge_over_fill_in_cells_is_refused_naming_the_range_and_the_rows(template, tmp_path):
    book = fill(template, load_actuals(EXAMPLE_ACTUALS))
    sheet = book["部门整体"]
    rows, where = ids_by_row(sheet), headers(sheet)
    letter = openpyxl.utils.get_column_letter(where["实际完成值"])
    first, second = rows["D01"], rows["D02"]
    sheet.merge_cells(f"{letter}{first}:{letter}{second}")  # D01's “12次” would stand for D02 too
    budget = book["预算执行"]
    columns = headers(budget)
    budget.merge_cells(start_row=3, start_column=columns["年初预算数"], end_row=3, end_column=columns["全年执行数"])
    problems = problems_of(save(book, tmp_path / "merged.xlsx"))
    assert len(problems) == 2
    assert (f"工作表“部门整体” 第{first}行 {letter}列：合并单元格 {letter}{first}:{letter}{second} 覆盖了"
            f"第{first}至{second}行（指标 D01、D02）的填写列“实际完成值”") in problems[0]
    assert "工作表“预算执行” 第3行 D列：合并单元格 D3:F3 覆盖了第3行的填写列“年初预算数”、“全年预算数”、“全年执行数”" \
        in problems[1]
    assert all("取消合并" in p for p in problems)


def test_thousands_separators_are_read_and_a_decimal_comma_is_refused(template, tmp_path):
    book = openpyxl.load_workbook(io.BytesIO(template))
    budget = book["预算执行"]
    columns = headers(budget)
    budget.cell(3, columns["全年预算数"]).value = "1,234.5"
    budget.cell(3, columns["全年执行数"]).value = "1,234"
    assert read_actuals_workbook(save(book, tmp_path / "ok.xlsx")).budget.executed == Decimal("1234")
    budget.cell(3, columns["全年执行数"]).value = "801,37"
    sheet = book["部门整体"]
    sheet.cell(ids_by_row(sheet)["D06"], headers(sheet)["自评得分"]).value = "8,5"
    problems = problems_of(save(book, tmp_path / "comma.xlsx"))
    text = "\n".join(problems)
    assert len(problems) == 2
    letter = openpyxl.utils.get_column_letter(columns["全年执行数"])
    assert f"工作表“预算执行” 第3行 {letter}列：“全年执行数”填写的“801,37”不是有效数字：小数点请用“.”" in text
    assert "（指标 D06）：“自评得分”填写的“8,5”不是有效数字：小数点请用“.”" in text


def test_numbers_percentages_and_dates_become_text_as_typed(template, tmp_path):
    book = openpyxl.load_workbook(io.BytesIO(template))
    sheet = book["部门整体"]
    where, rows = headers(sheet), ids_by_row(sheet)
    actual = where["实际完成值"]
    sheet.cell(rows["D01"], actual).value = 12
    sheet.cell(rows["D02"], actual).value = 11.0
    cell = sheet.cell(rows["D08"], actual)
    cell.value, cell.number_format = 0.972, "0.0%"
    cell = sheet.cell(rows["D09"], actual)
    cell.value, cell.number_format = 0.1 + 0.78, "0%"
    sheet.cell(rows["D03"], actual).value = datetime.datetime(2023, 10, 15)
    sheet.cell(rows["D04"], actual).value = "801.37万元"
    cell = sheet.cell(rows["D07"], where["得分比例(%)"])
    cell.value, cell.number_format = 0.7, "0%"
    sheet.cell(rows["D07"], where["完成档次"]).value = "部分达成"
    sheet.cell(rows["D06"], where["得分比例(%)"]).value = "95%"
    sheet.cell(rows["D06"], where["自评得分"]).value = "8分"
    budget = book["预算执行"]
    columns = headers(budget)
    budget.cell(3, columns["全年执行数"]).value = "801.37万元"
    budget.cell(3, columns["全年预算数"]).value = "815.20"
    actuals = read_actuals_workbook(save(book, tmp_path / "typed.xlsx"))
    found = {i: actuals.indicators[i].actual for i in ("D01", "D02", "D08", "D09", "D03", "D04")}
    assert found == {"D01": "12", "D02": "11", "D08": "97.2%", "D09": "88%", "D03": "2023年10月15日",
                     "D04": "801.37万元"}
    assert actuals.indicators["D07"].pct == 70 and actuals.indicators["D06"].pct == 95
    assert actuals.indicators["D06"].claimed == 8
    assert actuals.budget.executed == Decimal("801.37") and actuals.budget.adjusted == Decimal("815.20")


def test_every_bad_cell_is_reported_at_once(template, tmp_path):
    book = openpyxl.load_workbook(io.BytesIO(template))
    sheet = book["部门整体"]
    where, rows = headers(sheet), ids_by_row(sheet)
    sheet.cell(rows["D06"], where["完成档次"]).value = "很好"
    sheet.cell(rows["D05"], where["得分比例(%)"]).value = 120
    sheet.cell(rows["D01"], where["自评得分"]).value = -1
    sheet.cell(rows["D02"], where["自评得分"]).value = "十分"
    sheet.cell(20, where["实际完成值"]).value = "没有编号的一行"
    budget = book["预算执行"]
    budget.cell(4, headers(budget)["全年执行数"]).value = "很多"
    problems = problems_of(save(book, tmp_path / "bad.xlsx"))
    text = "\n".join(problems)
    assert len(problems) == 6
    assert f"第{rows['D06']}行" in text and "完成档次应为 达成 | 部分达成 | 未达成 之一，实际是“很好”" in text
    assert "“得分比例(%)”应在 0 到 100 之间，实际是 120" in text
    assert "（指标 D01）：“自评得分”不能为负数，实际是 -1" in text
    assert "（指标 D02）：“自评得分”应为数字，实际是“十分”" in text
    assert "工作表“部门整体” 第20行" in text and "这一行填写了内容，但没有指标编号" in text
    assert "工作表“预算执行” 第4行" in text and "“全年执行数”应为数字，实际是“很多”" in text


def test_an_unknown_indicator_id_is_reported_by_load_inputs(template, tmp_path):
    book = openpyxl.load_workbook(io.BytesIO(template))
    sheet = book["部门整体"]
    where = headers(sheet)
    sheet.cell(20, where["编号"]).value = "D99"
    sheet.cell(20, where["实际完成值"]).value = "3次"
    path = save(book, tmp_path / "unknown.xlsx")
    with pytest.raises(InputErrors) as caught:
        load_inputs(EXAMPLE_TARGETS, path)
    assert [p.code for p in caught.value.problems] == ["unknown-indicator"]
    assert "unknown.xlsx 工作表“部门整体” 第20行（指标 D99）：目标文件中没有指标“D99”" in str(caught.value)


def test_a_workbook_without_metadata_is_refused_with_a_hint(template, tmp_path):
    book = openpyxl.load_workbook(io.BytesIO(template))
    del book["元数据"]
    problems = problems_of(save(book, tmp_path / "nometa.xlsx"))
    assert len(problems) == 1 and "找不到“元数据”工作表" in problems[0] and "evaluator template" in problems[0]


# --- the YAML skeleton ----------------------------------------------------------------------------


def test_the_yaml_skeleton_loads_unfilled_and_filled(targets, tmp_path):
    text = build_actuals_yaml(targets)
    assert "# 产出指标/数量指标/召开常委会：目标“≥10次”，理解为：不少于10次（越高越好）" in text
    assert "  D06: {actual: , tier: }" in text and "  D01: {actual: }" in text
    assert "      P2-10: {actual: }" in text
    empty = tmp_path / "empty.yaml"
    empty.write_text(text, encoding="utf-8")
    _, actuals = load_inputs(EXAMPLE_TARGETS, empty)
    assert set(actuals.indicators) == {i.id for i in targets.indicators}
    assert all(a.actual is None for a in actuals.indicators.values())
    result = evaluate_files(EXAMPLE_TARGETS, empty)
    assert {i.status for e in result.evaluations for i in e.indicators} == {"missing"}
    full = tmp_path / "full.yaml"
    full.write_text(text.replace("D01: {actual: }", 'D01: {actual: "12次"}')
                    .replace("D06: {actual: , tier: }", 'D06: {actual: "有所提升", tier: 达成}')
                    .replace("budget: {initial: , adjusted: , executed: }  # 部门",
                             "budget: {initial: 790.64, adjusted: 815.20, executed: 801.37}  # 部门"),
                    encoding="utf-8")
    scores = {i.id: i for i in evaluate_files(EXAMPLE_TARGETS, full).evaluations[0].indicators}
    assert scores["D01"].status == "met" and scores["D06"].status == "qualitative-met"


def test_the_yaml_skeleton_quotes_what_yaml_would_misread(write):
    targets = load_targets(write("t.yaml", MINIMAL_TARGETS.replace("department: 测试局", 'department: "yes: #1"')
                                 .replace("id: D01", 'id: "100"')))
    text = build_actuals_yaml(targets)
    assert 'department: "yes: #1"' in text and '  "100": {actual: }' in text
    path = write("a.yaml", text.replace('"100": {actual: }', '"100": {actual: "12次"}'))
    actuals = load_actuals(path)
    assert actuals.department == "yes: #1" and actuals.indicators["100"].actual == "12次"


# --- safe text and sheet names --------------------------------------------------------------------


@pytest.mark.parametrize("text", ["=1+1", "+1", "-2", "@x", "\t=cmd", "\r=cmd",
                                  '=HYPERLINK("http://x","点我")'])
def test_text_that_looks_like_a_formula_stays_text(text, tmp_path):
    book = openpyxl.Workbook()
    set_text(book.active["A1"], text)
    book.save(tmp_path / "t.xlsx")
    back = openpyxl.load_workbook(tmp_path / "t.xlsx")["Sheet"]["A1"]
    assert back.data_type == "s" and back.value == text


def test_sheet_titles_are_legal_and_unique():
    assert sheet_title("a/b\\c[d]:e*f?g") == "a_b_c_d__e_f_g"
    long = "很" * 40
    first = sheet_title(long)
    assert len(first) == 31 and sheet_title(long, [first]) == "很" * 28 + "(2)"
    assert sheet_title("预算执行", ["预算执行"]) == "预算执行(2)"
    assert sheet_title("History") == "History(2)" and sheet_title("'x'") == "’x’"
    assert sheet_title("   ", fallback="P1") == "P1"


def test_hostile_names_give_a_template_without_formulas(write, tmp_path):
    hostile = 'department: "=HYPERLINK(\\"http://x\\",\\"y\\")"'
    project = ('projects:\n  - {id: P1, name: "=cmd|\' /C calc\'!A0", indicators: [{id: P1-01, level1: "-2", '
               'level2: 数量指标, name: "=1+1", target: "=12个"}]}\n')
    path = write("t.yaml", MINIMAL_TARGETS.replace("department: 测试局", hostile)
                 .replace("name: 培训次数", 'name: "+1"').replace("name: 成本", 'name: "@x"') + project)
    targets = load_targets(path)
    data = build_entry_workbook(targets)
    book = openpyxl.load_workbook(io.BytesIO(data))
    assert all(c.data_type != "f" for s in book.worksheets for row in s.iter_rows() for c in row)
    texts = {c.value for s in book.worksheets for row in s.iter_rows() for c in row}
    assert {targets.department, "+1", "@x", "-2", "=1+1", "=12个"} <= texts
    out = tmp_path / "hostile.xlsx"
    out.write_bytes(data)
    assert read_actuals_workbook(out).department == targets.department


# --- the command ----------------------------------------------------------------------------------


def test_template_command_writes_the_workbook_and_refuses_to_overwrite(tmp_path):
    out = tmp_path / "actuals" / "2023" / "dept.xlsx"
    result = runner.invoke(app, ["template", str(EXAMPLE_TARGETS), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "dept.xlsx" in result.output and out.read_bytes()[:2] == b"PK"
    again = runner.invoke(app, ["template", str(EXAMPLE_TARGETS), "-o", str(out)])
    assert again.exit_code == 1 and "文件已存在，未覆盖" in again.output and "Traceback" not in again.output
    forced = runner.invoke(app, ["template", str(EXAMPLE_TARGETS), "-o", str(out), "--force"])
    assert forced.exit_code == 0


def test_template_command_writes_the_yaml_skeleton(tmp_path):
    out = tmp_path / "dept.yaml"
    result = runner.invoke(app, ["template", str(EXAMPLE_TARGETS), "-o", str(out), "--format", "yaml"])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("# 2023年 株洲市石峰区人民代表大会常务委员会")
    load_actuals(out)


def test_template_command_rejects_a_bad_format(tmp_path):
    args = ["template", str(EXAMPLE_TARGETS), "-o", str(tmp_path / "a.xlsx"), "--format"]
    result = runner.invoke(app, [*args, "csv"])
    assert result.exit_code == 1 and "--format 应为 xlsx 或 yaml" in result.output
    mismatch = runner.invoke(app, [*args, "yaml"])
    assert mismatch.exit_code == 1 and "扩展名" in mismatch.output
    assert not (tmp_path / "a.xlsx").exists()


@pytest.mark.parametrize("name, file_format, expected", [
    ("a.xlsx", None, "xlsx"), ("a.XLSX", "xlsx", "xlsx"), ("a.yaml", None, "yaml"), ("a.yml", "yaml", "yaml"),
])
def test_the_template_format_follows_the_suffix(name, file_format, expected):
    from evaluator.workbook.entry import template_format

    assert template_format(Path(name), file_format) == expected


@pytest.mark.parametrize("name, file_format, expected", [
    ("a.txt", None, "输出文件“a.txt”的扩展名“.txt”不是 .xlsx、.yaml 或 .yml"),
    ("a.txt", "xlsx", "输出文件“a.txt”的扩展名“.txt”与 --format xlsx 不一致：Excel 填报表应保存为 .xlsx 文件"),
    ("a.xlsx", "yaml", "与 --format yaml 不一致：YAML 骨架应保存为 .yaml 或 .yml 文件"),
    ("a", None, "扩展名“无”"),
    ("a.xlsx", "csv", "--format 应为 xlsx 或 yaml，实际是“csv”"),
])
def test_a_template_output_suffix_that_does_not_fit_is_refused(name, file_format, expected):
    from evaluator.errors import InputError
    from evaluator.workbook.entry import template_format

    with pytest.raises(InputError) as caught:
        template_format(Path(name), file_format)
    assert expected in str(caught.value)


def test_template_command_refuses_xlsx_bytes_in_a_txt_file(tmp_path):
    out = tmp_path / "a.txt"
    result = runner.invoke(app, ["template", str(EXAMPLE_TARGETS), "-o", str(out)])
    assert result.exit_code == 1 and "不是 .xlsx、.yaml 或 .yml" in result.output
    forced = runner.invoke(app, ["template", str(EXAMPLE_TARGETS), "-o", str(out), "--format", "xlsx"])
    assert forced.exit_code == 1 and "不一致" in forced.output
    assert not out.exists()


def test_a_part_with_a_doctype_is_refused_before_parsing(template, tmp_path):
    path = tmp_path / "laughs.xlsx"
    with zipfile.ZipFile(io.BytesIO(template)) as source, zipfile.ZipFile(path, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "xl/workbook.xml":
                data = b'<!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;">]>' + data
            target.writestr(name, data)
    problems = problems_of(path)
    assert len(problems) == 1 and "DOCTYPE" in problems[0]


TRICKY = st.sampled_from("=+-@\t\r\n\x00\x0b\ufffe\uffff")


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.one_of(st.characters(), TRICKY)), min_size=1, max_size=6))
def test_any_text_is_written_as_text_and_read_back_unchanged(texts):
    book = openpyxl.Workbook()
    for row, text in enumerate(texts, start=1):
        set_text(book.active.cell(row, 1), text)
    buffer = io.BytesIO()
    book.save(buffer)
    back = openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).active
    for row, text in enumerate(texts, start=1):
        cell, expected = back.cell(row, 1), clean_text(text)
        assert cell.value == (expected or None)
        assert cell.value is None or cell.data_type == "s"
