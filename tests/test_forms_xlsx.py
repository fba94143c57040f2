"""Import the seed's forms built as real Excel files (.xlsx, and .xls through python-calamine)."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from formbuilders import (
    DEPARTMENT,
    P1,
    P2,
    SHIPPED,
    UP,
    C,
    FormLayout,
    build_xlsx,
    department_form,
    numbers_as_text,
    project_form,
    seed_forms,
    summary_form,
    write,
)

from evaluator.errors import InputErrors
from evaluator.forms import import_forms
from evaluator.forms.xlsx import read_xls_rows, read_xlsx_rows
from evaluator.io.dump import dump_targets
from evaluator.model import TargetBudget

SHIPPED_TEXT = SHIPPED.read_text(encoding="utf-8")


@pytest.mark.parametrize("one_sheet", [True, False], ids=["one-sheet", "sheet-per-form"])
def test_seed_xlsx_gives_the_seed_targets(tmp_path: Path, one_sheet: bool) -> None:
    result = import_forms([write(tmp_path, "forms.xlsx", build_xlsx(seed_forms(), one_sheet=one_sheet))])
    assert dump_targets(result.targets) == SHIPPED_TEXT
    assert result.findings == ()


def test_the_built_sheet_has_real_merges_and_typed_numbers() -> None:
    book = openpyxl.load_workbook(io.BytesIO(build_xlsx(seed_forms())))
    sheet = book.active
    ranges = {str(r) for r in sheet.merged_cells.ranges}
    assert "A2:F2" in ranges  # the title across the form
    assert "A5:A9" in ranges  # 年度预算申请 down its rows
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == 36.0 and c.number_format == "0.00")
    assert cell.data_type == "n"  # 项目金额 36.00 is a number shown with two decimals
    assert any(c.value == "790.64" for row in sheet.iter_rows() for c in row)  # and 790.64 a number stored as text


def test_numbers_are_read_as_the_sheet_shows_them() -> None:
    rows = read_xlsx_rows("forms.xlsx", build_xlsx([project_form(P1)]))
    texts = [t for row in rows for t in row.texts]
    assert "36.00" in texts and "100%" in texts and "95%" in texts and "36" in texts


def test_merged_cells_repeat_down_and_span_across() -> None:
    rows = read_xlsx_rows("forms.xlsx", build_xlsx([department_form()]))
    title = next(r for r in rows if r.texts and r.texts[0].startswith("2023年"))
    assert [(c.col, c.span) for c in title.cells] == [(0, 6)]
    budget = [r for r in rows if r.texts[0] == "年度预算申请\n（万元）"]
    assert len(budget) == 5 and budget[3].where.row == 8 and budget[3].where.sheet == "绩效目标表"


def test_xls_through_calamine(tmp_path: Path) -> None:
    """python-calamine reads .xls (and .xlsx): merged ranges come back 0-based, numbers as floats."""
    data = build_xlsx(numbers_as_text(seed_forms()))
    assert [r.texts for r in read_xls_rows("forms.xls", data)] == [r.texts for r in read_xlsx_rows("forms.xlsx", data)]
    result = import_forms([write(tmp_path, "forms.xls", data)])
    assert dump_targets(result.targets) == SHIPPED_TEXT


def test_broken_and_locked_xls(tmp_path: Path) -> None:
    with pytest.raises(InputErrors, match=r"broken\.xls：无法读取 Excel 文件"):
        import_forms([write(tmp_path, "broken.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1000))])
    locked = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500) + "EncryptedPackage".encode("utf-16-le")
    with pytest.raises(InputErrors, match=r"locked\.xls：文件设置了打开密码"):
        import_forms([write(tmp_path, "locked.xls", locked)])
    with pytest.raises(InputErrors, match=r"locked\.xlsx：文件设置了打开密码（已加密），无法读取\n    提示：在 Excel 中取消密码"):
        import_forms([write(tmp_path, "locked.xlsx", locked)])


def test_a_word_for_a_number_names_sheet_row_and_column(tmp_path: Path) -> None:
    data = build_xlsx([department_form(), project_form(P2, amount="三十六")], one_sheet=False)
    with pytest.raises(InputErrors) as caught:
        import_forms([write(tmp_path, "forms.xlsx", data)])
    (problem,) = caught.value.problems
    assert (problem.location.sheet, problem.location.row, problem.location.column) == ("附表3-1", 5, "B（项目金额）")
    assert str(problem).endswith("forms.xlsx 工作表“附表3-1” 第5行 B（项目金额）列：附表3（人大代表活动经费）的“项目金额”应为数字，"
                                 "实际是“三十六”\n    提示：只填阿拉伯数字（如 36.00），单位为表头写明的万元。")


def test_a_missing_value_column_names_the_header_row(tmp_path: Path) -> None:
    data = build_xlsx([department_form(), project_form(P1, target_header="目标")])
    with pytest.raises(InputErrors, match=r"forms\.xlsx 工作表“绩效目标表” 第\d+行 “指标值”列：附表3（业务性专项经费）的年度绩效指标表头"
                                          r"缺少“指标值”列（表头为：年度绩效指标、一级指标、二级指标、三级指标、目标、绩效标准）"):
        import_forms([write(tmp_path, "forms.xlsx", data)])


def test_several_errors_are_reported_together(tmp_path: Path) -> None:
    data = build_xlsx([department_form(), project_form(P1, amount="三十六"), project_form(P2, target_header="说明")])
    with pytest.raises(InputErrors) as caught:
        import_forms([write(tmp_path, "forms.xlsx", data)])
    codes = [p.code for p in caught.value.problems]
    assert codes == ["not-a-number", "missing-column"]


def test_spreadsheet_without_forms(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["姓名", "电话"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(InputErrors, match=r"list\.xlsx：文件中没有找到绩效目标表"):
        import_forms([write(tmp_path, "list.xlsx", out.getvalue())])


def test_xlsm_and_xlsx_with_macros_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputErrors, match=r"含宏的文件（\.xlsm）出于安全考虑不予读取\n    提示：在 Excel 中另存为不含宏的 \.xlsx"):
        import_forms([write(tmp_path, "forms.xlsm", build_xlsx(seed_forms()))])


def test_zip_bomb_xlsx(tmp_path: Path) -> None:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(build_xlsx(seed_forms()))) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr("xl/media/padding.bin", bytes(101 * 1024 * 1024))
    with pytest.raises(InputErrors, match=r"bomb\.xlsx：文件解压后过大"):
        import_forms([write(tmp_path, "bomb.xlsx", out.getvalue())])


def test_a_word_file_named_xlsx(tmp_path: Path) -> None:
    from formbuilders import build_docx

    with pytest.raises(InputErrors, match=r"这是 Word 文件，扩展名却是 \.xlsx\n    提示：把扩展名改为 \.docx"):
        import_forms([write(tmp_path, "forms.xlsx", build_docx(seed_forms()[:1]))])


def _small_department(points: object = 20) -> list[FormLayout]:
    grid = [
        [C("部门名称"), C("某区统计局", 6)],
        [C("年度预算申请\n（万元）"), C("资金总额"), C(100), C("", 4)],
        [C("年度绩效指标"), C("一级指标"), C("二级指标"), C("三级指标"), C("指标值"), C("分  值"), C("备注")],
        [UP, C("产出指标"), C("数量指标"), C("发布统计公报"), C("≥4期"), C(points), C("按季度")],
        [UP, UP, UP, C("开展专项调查"), C("≥2次"), C(""), C("")],
    ]
    return [FormLayout("附表1", "2024年部门整体支出绩效目标表", [C("金额单位：万元", 7)], grid)]


def test_optional_points_and_note_columns(tmp_path: Path) -> None:
    result = import_forms([write(tmp_path, "dept.xlsx", build_xlsx(_small_department()))])
    targets = result.targets
    assert (targets.year, targets.department, targets.budget.total) == (2024, "某区统计局", Decimal("100"))
    first, second = targets.indicators
    assert (first.points, first.note, first.level2) == (Decimal("20"), "按季度", "数量指标")
    assert (second.points, second.note, second.level1, second.level2) == (None, None, "产出指标", "数量指标")
    with pytest.raises(InputErrors, match=r"第7行 F（分值）列：附表1的“分值”应为数字，实际是“十分”\n    提示：只填阿拉伯数字（如 10）。"):
        import_forms([write(tmp_path, "bad.xlsx", build_xlsx(_small_department("十分")))])


def test_project_forms_alone_take_the_department_from_the_reporter(tmp_path: Path) -> None:
    forms = [project_form(P1, reporter=DEPARTMENT), project_form(P2, reporter=DEPARTMENT)]
    result = import_forms([write(tmp_path, "projects.xlsx", build_xlsx(forms))])
    assert result.targets.department == DEPARTMENT
    assert [p.id for p in result.targets.projects] == ["P1", "P2"]
    assert result.targets.budget == TargetBudget() and result.targets.indicators == ()
    with pytest.raises(InputErrors, match="没有找到部门名称"):
        import_forms([write(tmp_path, "anonymous.xlsx", build_xlsx([project_form(P1)]))])


def test_summary_lines_without_project_forms_are_reported(tmp_path: Path) -> None:
    forms = [department_form(), summary_form(projects=(P2, P1, {**P1, "name": "代表培训经费"})), project_form(P1),
             project_form(P2)]
    findings = import_forms([write(tmp_path, "forms.xlsx", build_xlsx(forms))]).findings
    assert [(f.code, f.message) for f in findings] == [
        ("summary-total", "附表2合计 92.10 万元，与各行金额之和 128.10 万元不一致，相差 36.00 万元"),
        ("summary-unmatched", "附表2中的“代表培训经费”没有对应的附表3（按名称匹配）"),
    ]
    assert findings[1].location.sheet == "绩效目标表" and findings[1].location.column == "C（金额）"


def test_labels_and_headers_merged_down_open_no_new_form(tmp_path: Path) -> None:
    """A two-row 附表2 header and a 支出方向（子项） row merged over two rows stay one form each."""
    forms = seed_forms()
    for form, opening in ((forms[1], 0), (forms[2], 0), (forms[3], 0)):
        form.grid.insert(opening + 1, [UP] * len(form.grid[opening]))
    result = import_forms([write(tmp_path, "forms.xlsx", build_xlsx(forms))])
    assert dump_targets(result.targets) == SHIPPED_TEXT
    sheet = openpyxl.load_workbook(tmp_path / "forms.xlsx").active
    assert any(r.max_row - r.min_row == 1 and sheet.cell(r.min_row, r.min_col).value == "序号"
               for r in sheet.merged_cells.ranges)  # the header really spans two rows


def test_a_target_formula_without_a_saved_result_is_named_as_such(tmp_path: Path) -> None:
    book = openpyxl.load_workbook(io.BytesIO(build_xlsx(seed_forms())))
    sheet = book.active
    cell = next(c for row in sheet.iter_rows() for c in row if c.value == "有所提升")
    cell.value = '=CONCAT("有所","提升")'  # openpyxl saves the formula without a result, as a program would
    path = tmp_path / "forms.xlsx"
    book.save(path)
    with pytest.raises(InputErrors) as caught:  # a target the form lacks: nothing is imported
        import_forms([path])
    (problem,) = caught.value.problems
    column = f"{cell.column_letter}（指标值及单位）"
    assert (problem.location.sheet, problem.location.row, problem.location.column) == ("绩效目标表", cell.row, column)
    assert problem.code == "formula-without-result" and problem.severity.value == "error"
    assert str(problem).startswith(
        f"{problem.location.file} 工作表“绩效目标表” 第{cell.row}行 {column}列：附表1的指标“代表履职能力”的指标值是公式"
        "“=CONCAT(\"有所\",\"提升\")”，公式没有计算结果（文件中没有保存）\n"
        "    提示：请在 Excel 中打开并保存，或把公式改为数值/文字，再重新导入；或加 --allow-incomplete 导入")
    result = import_forms([path], allow_incomplete=True)
    assert "没有填写" not in " ".join(str(f) for f in result.findings)
    (finding,) = [f for f in result.findings if f.code == "formula-without-result"]
    assert finding.severity.value == "warning"
    (gap,) = result.targets.incomplete
    assert (gap.key, gap.indicator) == ("indicators[5].target", "D06")
    assert result.targets.indicators[5].target == ""


@pytest.mark.parametrize("original, code", [("附表3-2", "duplicate-project"), ("绩效目标表", "duplicate-form")])
def test_a_hidden_sheet_that_duplicates_a_form_is_named_as_hidden(tmp_path: Path, original: str, code: str) -> None:
    book = openpyxl.load_workbook(io.BytesIO(build_xlsx(seed_forms(), one_sheet=False)))
    copy = book.copy_worksheet(book[original])
    copy.title = "旧版"
    copy.sheet_state = "hidden"
    path = tmp_path / "forms.xlsx"
    book.save(path)
    with pytest.raises(InputErrors) as caught:
        import_forms([path])
    (problem,) = [p for p in caught.value.problems if p.code == code]
    assert problem.location.sheet == "旧版"
    assert f"forms.xlsx 工作表“{original}” 第" in problem.message
    assert problem.message.endswith("；工作表“旧版”是隐藏的")
    assert "取消隐藏" in problem.hint
