"""The entry workbook people can fill: text where text belongs, numbers where numbers belong, 分值 and 其中 lines.

A person types text into the text fields and numbers into the numeric fields; the data validations
Excel enforces must accept exactly that: any text in a text field, a number (in range) in a numeric
field, and refuse text there. The validations are evaluated here as Excel evaluates them.
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import EXAMPLE_ACTUALS, EXAMPLE_TARGETS
from openpyxl.utils import range_boundaries

from evaluator import evaluate_files
from evaluator.decimals import fmt
from evaluator.errors import InputErrors
from evaluator.io.entry_layout import BUDGET_COLUMNS, INDICATOR_COLUMNS
from evaluator.io.entry_read import read_actuals_workbook
from evaluator.io.load import load_targets
from evaluator.rules import load_rules
from evaluator.workbook.entry import build_entry_workbook

TEXT = "全年完成12次（详见会议记录），含“一府两院”专题；=不是公式"
NUMERIC = {"pct", "claimed", "deduction", "initial", "adjusted", "executed", "claimed_total"}


@pytest.fixture(scope="module")
def book_bytes() -> bytes:
    return build_entry_workbook(load_targets(EXAMPLE_TARGETS))


def headers(sheet, row: int = 2) -> dict[str, int]:
    return {cell.value: cell.column for cell in sheet[row] if cell.value}


def covering(sheet, cell) -> list:
    """The data validations whose ranges hold ``cell``."""
    found = []
    for rule in sheet.data_validations.dataValidation:
        for bounds in str(rule.sqref).split():
            low_col, low_row, high_col, high_row = range_boundaries(bounds)
            if low_col <= cell.column <= high_col and low_row <= cell.row <= high_row:
                found.append(rule)
    return found


def accepts(rule, value) -> bool:
    """Whether Excel takes ``value`` in a cell under ``rule`` (blank always: allowBlank)."""
    if value is None or rule.type is None:
        return True
    if rule.type == "list":
        return str(value) in rule.formula1.strip('"').split(",")
    if rule.type in ("decimal", "whole"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        low = float(rule.formula1)
        if rule.operator == "between":
            return low <= value <= float(rule.formula2)
        if rule.operator == "greaterThanOrEqual":
            return value >= low
        raise AssertionError(rule.operator)
    raise AssertionError(f"unexpected validation {rule.type}")


def open_cells(sheet, columns):
    """(key, cell) of every cell a person may type into (unlocked), below the header."""
    where = {c.key: headers(sheet)[c.header] for c in columns if c.header in headers(sheet)}
    for key, column in where.items():
        for row in range(3, sheet.max_row + 1):
            cell = sheet.cell(row, column)
            if not cell.protection.locked:
                yield key, cell


def test_text_fields_take_any_text_and_numeric_fields_exactly_numbers(book_bytes):
    book = openpyxl.load_workbook(io.BytesIO(book_bytes))
    checked = {"text": 0, "number": 0}
    for sheet in book.worksheets:
        columns = BUDGET_COLUMNS if sheet.title == "预算执行" else INDICATOR_COLUMNS
        if sheet.title in ("填报说明", "总结", "元数据"):
            continue
        for key, cell in open_cells(sheet, columns):
            rules = covering(sheet, cell)
            if key == "tier":
                assert [r.type for r in rules] == ["list"] and all(accepts(r, "部分达成") for r in rules)
                assert not any(accepts(r, "差不多") for r in rules)
            elif key in NUMERIC:
                assert rules and all(r.type == "decimal" for r in rules), (sheet.title, cell.coordinate)
                assert all(accepts(r, 7) for r in rules) and not any(accepts(r, "七分") for r in rules)
                assert not any(accepts(r, -1) for r in rules)
                checked["number"] += 1
            else:  # actual, reason, measure, evidence, deduction_reason, overview: any text at all
                assert all(accepts(r, TEXT) and accepts(r, "x" * 5000) for r in rules), (sheet.title, key)
                checked["text"] += 1
    assert checked["text"] > 50 and checked["number"] > 50


def test_no_validation_restricts_a_text_column(book_bytes):
    book = openpyxl.load_workbook(io.BytesIO(book_bytes))
    for sheet in book.worksheets:
        for rule in sheet.data_validations.dataValidation:
            assert rule.type in (None, "list", "decimal"), (sheet.title, rule.type)
            if rule.type is None:
                assert rule.showInputMessage and not rule.showErrorMessage and rule.prompt  # a prompt only
    overview_column = headers(book["预算执行"])["年度总体目标实际完成情况"]
    cell = book["预算执行"].cell(3, overview_column)
    assert all(r.type is None for r in covering(book["预算执行"], cell))
    assert "万元" not in " ".join(r.prompt or "" for r in covering(book["预算执行"], cell))
    claimed = book["预算执行"].cell(3, headers(book["预算执行"])["自评得分"])
    prompts = " ".join(r.prompt or "" for r in covering(book["预算执行"], claimed))
    assert "万元" not in prompts and "预算执行分值" in prompts


def test_the_points_column_shows_what_the_scorer_allocates(book_bytes):
    book = openpyxl.load_workbook(io.BytesIO(book_bytes))
    result = evaluate_files(EXAMPLE_TARGETS, EXAMPLE_ACTUALS)
    sheets = dict(zip(["部门整体", "业务性专项经费", "人大代表活动经费"], result.evaluations, strict=True))
    for title, evaluation in sheets.items():
        sheet = book[title]
        where = headers(sheet)
        shown = {sheet.cell(r, where["编号"]).value: sheet.cell(r, where["分值"]).value
                 for r in range(3, sheet.max_row + 1)}
        assert {k: Decimal(str(v)) for k, v in shown.items()} == {i.id: i.points for i in evaluation.indicators}
        assert sheet.cell(3, where["分值"]).protection.locked
        rule = covering(sheet, sheet.cell(3, where["自评得分"]))[0]
        assert (rule.operator, rule.formula1, rule.formula2) == ("between", "0", fmt(evaluation.indicators[0].points))


def test_the_points_follow_the_rule_set(tmp_path):
    from typer.testing import CliRunner

    from evaluator.cli import app

    out = tmp_path / "hb.xlsx"
    result = CliRunner().invoke(app, ["template", str(EXAMPLE_TARGETS), "-o", str(out), "--rules", "hb-2020"])
    assert result.exit_code == 0, result.output
    sheet = openpyxl.load_workbook(out)["部门整体"]
    hb = load_rules("hb-2020")
    total = sum(Decimal(str(sheet.cell(r, headers(sheet)["分值"]).value)) for r in range(3, sheet.max_row + 1))
    assert total + hb.execution_points == 100 and hb.execution_points != 10
    guide = " ".join(str(c.value) for c in openpyxl.load_workbook(out)["填报说明"]["B"] if c.value)
    assert "hb-2020" in guide and "evaluator check" in guide and "本表不计算得分" in guide


def _fill_everything(book_bytes: bytes, path: Path) -> Path:
    """Type text into every open text cell and a number into every open numeric cell, as a person would."""
    book = openpyxl.load_workbook(io.BytesIO(book_bytes))
    for sheet in book.worksheets:
        if sheet.title in ("填报说明", "总结", "元数据"):
            continue
        columns = BUDGET_COLUMNS if sheet.title == "预算执行" else INDICATOR_COLUMNS
        funding = headers(sheet).get("资金")
        for key, cell in open_cells(sheet, columns):
            line = sheet.cell(cell.row, funding).value if funding else None
            if key == "tier":
                cell.value = "达成"
            elif key == "pct":
                cell.value = 90
            elif key in ("claimed", "deduction"):
                cell.value = 0 if key == "deduction" else 5
            elif key == "claimed_total":
                cell.value = 95
            elif key in ("initial", "adjusted", "executed"):
                cell.value = {"年度资金总额": 100, "其中：当年财政拨款": 70, "上年结转资金": 20, "其他资金": 10}[line]
            else:
                cell.value = f"{TEXT}（{key}）"
    book.save(path)
    return path


def test_a_workbook_filled_everywhere_reads_back(book_bytes, tmp_path):
    actuals = read_actuals_workbook(_fill_everything(book_bytes, tmp_path / "filled.xlsx"))
    budget = actuals.budget
    assert (budget.initial, budget.adjusted, budget.executed, budget.claimed) == (100, 100, 100, 5)
    assert budget.reason == f"{TEXT}（reason）"
    assert {k: (v.initial, v.adjusted, v.executed) for k, v in budget.sources.items()} == {
        "current": (70, 70, 70), "carryover": (20, 20, 20), "other": (10, 10, 10)}
    assert actuals.claimed_total == 95 and actuals.summary.overview == f"{TEXT}（overview）"
    assert actuals.projects["P1"].budget.sources["other"].executed == 10
    d01 = actuals.indicators["D01"]
    assert d01.actual == f"{TEXT}（actual）" and d01.claimed == 5 and d01.deduction == 0
    assert actuals.indicators["D06"].tier == "达成" and actuals.indicators["D06"].pct == 90


def test_other_lines_without_the_total_and_a_wrong_funding_label(book_bytes, tmp_path):
    book = openpyxl.load_workbook(io.BytesIO(book_bytes))
    budget = book["预算执行"]
    where = headers(budget)
    budget.cell(4, where["全年执行数"]).value = 70  # 其中：当年财政拨款 of the department, no total
    assert [budget.cell(r, where["资金"]).value for r in (7, 8, 9)] == \
        ["年度资金总额", "其中：当年财政拨款", "上年结转资金"]
    budget.cell(7, where["全年执行数"]).value = 30  # P1's total line
    budget.cell(8, where["资金"]).value = "中央补助"  # P1's 当年财政拨款 relabelled
    budget.cell(8, where["全年执行数"]).value = 30
    budget.cell(9, where["自评得分"]).value = 3  # P1's 上年结转资金: scores go on the total line
    path = tmp_path / "odd.xlsx"
    book.save(path)
    with pytest.raises(InputErrors) as caught:
        read_actuals_workbook(path)
    problems = [str(p) for p in caught.value.problems]
    assert len(problems) == 2
    assert ("第8行 C列：“资金”应为 年度资金总额、其中：当年财政拨款、上年结转资金、其他资金 之一，"
            "实际是“中央补助”") in problems[0]
    assert "第9行" in problems[1] and "“上年结转资金”这一行只填金额，不填“自评得分”" in problems[1]
    budget.cell(8, where["资金"]).value = "当年财政拨款"  # without 其中： is fine
    budget.cell(9, where["自评得分"]).value = None
    book.save(path)
    actuals = read_actuals_workbook(path)
    assert actuals.budget.executed is None and actuals.budget.sources["current"].executed == 70
    fund = actuals.projects["P1"].budget
    assert fund.executed == 30 and fund.sources["current"].executed == 30


def test_a_workbook_from_before_the_other_lines_still_reads(book_bytes, tmp_path):
    """An old template: one row per scope and no 资金 column."""
    book = openpyxl.load_workbook(io.BytesIO(book_bytes))
    budget = book["预算执行"]
    for row in sorted((r for r in range(3, budget.max_row + 1) if budget.cell(r, 3).value != "年度资金总额"),
                      reverse=True):
        budget.delete_rows(row)
    budget.delete_cols(3)
    where = headers(budget)
    assert "资金" not in where and budget.max_row == 5
    budget.cell(3, where["全年执行数"]).value = 801.37
    budget.cell(3, where["全年预算数"]).value = 815.2
    path = tmp_path / "old.xlsx"
    book.save(path)
    actuals = read_actuals_workbook(path)
    assert actuals.budget.executed == Decimal("801.37") and actuals.budget.sources == {}


def test_the_other_lines_add_up_or_check_says_so(tmp_path, write):
    from conftest import MINIMAL_ACTUALS, MINIMAL_TARGETS
    from typer.testing import CliRunner

    from evaluator.cli import app

    targets = write("t.yaml", MINIMAL_TARGETS)
    actuals = write("a.yaml", MINIMAL_ACTUALS.replace(
        "budget: {initial: 100, adjusted: 100, executed: 95}",
        "budget: {initial: 100, adjusted: 100, executed: 95, "
        "sources: {current: {executed: 80}, other: {executed: 10}}}"))
    result = CliRunner().invoke(app, ["check", str(targets), str(actuals)])
    assert "全年执行数的其中各项合计 90，与年度资金总额 95 不一致" in result.stdout


def test_the_other_lines_in_yaml_name_a_wrong_source_and_a_negative_amount(write):
    from conftest import MINIMAL_ACTUALS

    from evaluator.io.load import load_actuals

    path = write("a.yaml", MINIMAL_ACTUALS.replace(
        "budget: {initial: 100, adjusted: 100, executed: 95}",
        "budget:\n  executed: 95\n  sources:\n    current: {executed: -1}\n    central: {executed: 5}"))
    with pytest.raises(InputErrors) as caught:
        load_actuals(path)
    problems = [str(p) for p in caught.value.problems]
    assert any("第7行 budget.sources.current.executed：金额不能为负数（-1）" in p for p in problems), problems
    assert any("第8行 budget.sources.central：未知的资金来源“central”" in p and "carryover（上年结转资金）" in p
               for p in problems), problems
