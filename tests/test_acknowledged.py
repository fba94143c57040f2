"""Acknowledged warnings: a department accepts a warning it has verified, with a reason; errors stay errors.

`check` exits 0 when every warning left is acknowledged; the report shows what was accepted and why; the
entry workbook has a sheet for it.
"""

from __future__ import annotations

import json

import openpyxl
import pytest
from conftest import MINIMAL_ACTUALS, MINIMAL_TARGETS, header_columns
from typer.testing import CliRunner

from evaluator.cli import app

runner = CliRunner()
EXCEEDED = MINIMAL_ACTUALS.replace('D01: {actual: "12次"}', 'D01: {actual: "30次"}')  # one warning
ACCEPT = """
acknowledged:
  - code: exceeded-without-reason
    indicator: D01
    reason: 上级临时增加培训任务，已核实
"""


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def files(write):
    return write("t.yaml", MINIMAL_TARGETS), write


def test_a_warning_alone_fails_check_until_it_is_acknowledged(files):
    targets, write = files
    warned = run("check", targets, write("a.yaml", EXCEEDED))
    assert warned.exit_code == 1
    assert "（代码 exceeded-without-reason）" in warned.output and "acknowledged" in warned.output
    accepted = run("check", targets, write("b.yaml", EXCEEDED + ACCEPT))
    assert accepted.exit_code == 0, accepted.output
    assert "已确认 1 个警告（不计为问题）" in accepted.output
    assert "理由：上级临时增加培训任务，已核实" in accepted.output
    assert "检查通过：除已确认的 1 个警告外，没有发现问题。" in accepted.output


def test_an_acknowledgement_without_an_indicator_covers_every_warning_with_its_code(files):
    targets, write = files
    text = EXCEEDED.replace('D04: {actual: "93%", evidence: 问卷调查}', 'D04: {actual: "99%"}')  # + a survey warning
    both = "\nacknowledged:\n  - {code: exceeded-without-reason, reason: 已核实}\n" \
           "  - {code: satisfaction-without-survey, reason: 满意度来自12345热线回访统计}\n"
    assert run("check", targets, write("a.yaml", text)).exit_code == 1
    assert run("check", targets, write("b.yaml", text + both)).exit_code == 0


def test_an_error_cannot_be_acknowledged_away(files):
    targets, write = files
    missing = EXCEEDED.replace('  D02: {actual: "95万元"}\n', "")  # an error: D02 not filled
    text = missing + ACCEPT + "  - {code: missing-actual, reason: 不想填}\n"
    result = run("check", targets, write("a.yaml", text))
    assert result.exit_code == 1
    assert "未填报实际完成值" in result.output
    assert "acknowledged 确认了代码为“missing-actual”的问题，但它是错误，不是警告：错误不能以确认代替" in result.output


def test_an_acknowledgement_that_covers_nothing_is_noted_but_does_not_fail(files):
    targets, write = files
    text = MINIMAL_ACTUALS + "acknowledged:\n  - {code: exceeded-without-reason, indicator: D04, reason: 已核实}\n"
    result = run("check", targets, write("a.yaml", text))
    assert result.exit_code == 0, result.output
    assert "acknowledged 中的确认（代码 exceeded-without-reason、指标 D04）没有对应的警告" in result.output


@pytest.mark.parametrize(("entry", "message"), [
    ("  - {code: exceeded-without-reason}\n", "缺少必填的键“reason”"),
    ("  - {code: exceeded-without-reason, reason: \"  \"}\n", "确认一项提示必须写明理由"),
    ("  - {reason: 已核实}\n", "缺少必填的键“code”"),
    ("  - {code: x, reason: y, why: z}\n", "未知的键“why”"),
])
def test_an_acknowledgement_needs_a_code_and_a_reason(files, entry, message):
    targets, write = files
    result = run("check", targets, write("a.yaml", EXCEEDED + "acknowledged:\n" + entry))
    assert result.exit_code == 1 and message in result.output, result.output


def test_check_json_lists_the_acknowledged_warnings_apart(files):
    targets, write = files
    payload = json.loads(run("check", targets, write("a.yaml", EXCEEDED + ACCEPT), "--json").output)
    assert payload["ok"] is True and payload["counts"]["warning"] == 0
    (item,) = payload["acknowledged"]
    assert item["code"] == "exceeded-without-reason" and item["indicator"] == "D01"
    assert item["reason"] == "上级临时增加培训任务，已核实"


def test_the_report_shows_what_was_acknowledged_and_why(files, tmp_path):
    targets, write = files
    actuals = write("a.yaml", EXCEEDED + ACCEPT + "  - {code: ambiguous, reason: 时限按年度理解}\n")
    out = tmp_path / "r.html"
    assert run("report", targets, actuals, "-o", out).exit_code == 0
    html = out.read_text(encoding="utf-8-sig")
    assert "单位已确认的提示" in html
    assert "<code>exceeded-without-reason</code>" in html and "上级临时增加培训任务，已核实" in html
    assert "时限按年度理解" in html


def test_the_entry_workbook_has_a_sheet_to_acknowledge_warnings(files, tmp_path):
    targets, write = files
    workbook = tmp_path / "a.xlsx"
    assert run("template", targets, "-o", workbook).exit_code == 0
    book = openpyxl.load_workbook(workbook)
    sheet = book["部门整体"]
    header = header_columns(sheet)
    rows = {sheet.cell(r, 1).value: r for r in range(3, 7)}
    for indicator, actual in (("D01", "30次"), ("D02", "95万元"), ("D03", "91%"), ("D04", "93%")):
        sheet.cell(rows[indicator], header["实际完成值"]).value = actual
    sheet.cell(rows["D04"], header["佐证材料"]).value = "问卷调查"
    budget = book["预算执行"]
    columns = {cell.value: cell.column for cell in budget[2] if cell.value}
    for name, value in (("年初预算数", 100), ("全年预算数", 100), ("全年执行数", 95)):
        budget.cell(3, columns[name]).value = value  # row 3: 部门整体支出, 年度资金总额
    book.save(workbook)
    assert run("check", targets, workbook).exit_code == 1
    accepted = book["已确认的提示"]
    accepted["A3"], accepted["B3"], accepted["C3"] = "exceeded-without-reason", "D01", "上级临时增加培训任务"
    accepted["A4"] = "ambiguous"  # no reason: an error naming the row
    book.save(workbook)
    result = run("check", targets, workbook)
    assert result.exit_code == 1 and "工作表“已确认的提示” 第4行 C列：确认提示“ambiguous”必须写明理由" in result.output
    accepted["A4"] = None
    book.save(workbook)
    result = run("check", targets, workbook)
    assert result.exit_code == 0, result.output
    assert "理由：上级临时增加培训任务" in result.output
