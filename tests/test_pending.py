"""待确认 (pending) everywhere a score is shown: first in `check`, `score` (terminal and JSON), the report, the
自评表 export and the batch summary, each with its fix; and the previous year found beside the files given.

Everything is run through the CLI on files written in the test, as a user would.
"""

from __future__ import annotations

import json
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from evaluator import evaluate_files
from evaluator.cli import app

runner = CliRunner()

TARGETS = """
schema: evaluator.targets/1
year: {year}
department: 测试局
indicators:
  - {{id: D01, level1: 产出指标, level2: 数量指标, name: 培训人数, target: "{growth}"}}
  - {{id: D02, level1: 产出指标, level2: 时效指标, name: 资金拨付, target: "{year}年12月底前"}}
  - {{id: D03, level1: 效益指标, level2: 社会效益指标, name: 服务水平, target: "有所提升"}}
  - {{id: D04, level1: 满意度指标, level2: 服务对象满意度指标, name: 群众满意度, target: "≥90%"}}
"""
ACTUALS = """
schema: evaluator.actuals/1
year: {year}
department: 测试局
budget: {{initial: 100, adjusted: 100, executed: 95}}
indicators:
  D01: {{actual: "{people}"}}
  D02: {{actual: "{paid}"}}
  D03: {{actual: "{service}"}}
  D04: {{actual: "93%", evidence: 问卷调查}}
"""


def department(root: Path, year: int, *, growth: str = "≥500人", people: str = "520人", paid: str = "已按时拨付",
               service: str = "有所改善") -> tuple[Path, Path]:
    targets = root / "targets" / str(year) / "dept.yaml"
    actuals = root / "actuals" / str(year) / "dept.yaml"
    for path, text in ((targets, TARGETS.format(year=year, growth=growth)),
                       (actuals, ACTUALS.format(year=year, people=people, paid=paid, service=service))):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.lstrip(), encoding="utf-8")
    return targets, actuals


@pytest.fixture
def unclear(tmp_path: Path) -> tuple[Path, Path]:
    """A department with two indicators the tool cannot decide: 待确认."""
    return department(tmp_path, 2023, paid="按时完成，但延期1个月", service="还行")


def test_score_json_has_no_final_score_for_a_pending_indicator(unclear):
    result = runner.invoke(app, ["score", *map(str, unclear), "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    evaluation = data["evaluations"][0]
    assert (evaluation["provisional"], evaluation["pending"], evaluation["pending_points"]) == (True, 2, 55)
    rows = {i["id"]: i for i in evaluation["indicators"]}
    assert rows["D02"]["score"] is None and rows["D02"]["status"] == "pending" and rows["D02"]["rule"] == "pending"
    assert "“按时完成”：按时；“延期1个月”：逾期" in rows["D02"]["explanation"]
    assert "D03 的“tier”填写完成档次" in rows["D03"]["fix"]
    assert [w["code"] for w in data["warnings"][:2]] == ["pending", "pending"]
    assert evaluation["total"] == 44.5  # 9.5 + 25 + 0 + 0 + 10 (D01 520 of ≥500, D04 93% of ≥90%): provisional


def test_score_on_the_terminal_lists_pending_first(unclear):
    lines = runner.invoke(app, ["score", *map(str, unclear)]).stdout.splitlines()
    assert lines[1].startswith("待确认 2 项") and "资金拨付" in lines[2] and lines[3].strip().startswith("修改：")
    assert any("总分 44.50（暂定：2项待确认，共55分未计）　等级 差（暂定）" in line for line in lines)


def test_check_lists_pending_first_and_fails(unclear):
    result = runner.invoke(app, ["check", *map(str, unclear)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[2].startswith("待确认 2 项")
    report = json.loads(runner.invoke(app, ["check", *map(str, unclear), "--json"]).stdout)
    assert report["pending"] == 2 and [p["code"] for p in report["problems"][:2]] == ["pending", "pending"]
    assert [r["status"] for r in report["indicators"]] == ["达成", "待确认", "待确认", "达成"]


def test_the_report_opens_with_the_pending_indicators(unclear, tmp_path):
    out = tmp_path / "r.html"
    assert runner.invoke(app, ["report", *map(str, unclear), "-o", str(out)]).exit_code == 0
    html = out.read_text(encoding="utf-8-sig")
    main = html[html.index("<main>"):]
    assert main.index('id="sec-pending"') < main.index('id="sec-basic"')
    assert "待确认（2项）：总分和等级为暂定" in html and 'class="num score pending"' in html
    assert "暂定得分44.50分" in html and "2项指标待确认（共55分）" in html
    assert "如何修改：" in html and "D03 的“tier”填写完成档次" in html


def test_the_export_opens_on_a_pending_sheet(unclear):
    result = runner.invoke(app, ["export", *map(str, unclear), "-o", str(unclear[0].parent / "x.xlsx")])
    assert result.exit_code == 0
    book = load_workbook(BytesIO((unclear[0].parent / "x.xlsx").read_bytes()))
    assert book.sheetnames[0] == "待确认"
    first = [row for row in book["待确认"].iter_rows(values_only=True)]
    assert first[0][0] == "2023年度 测试局：2项指标待确认，总分和等级为暂定"
    assert [row[1] for row in first[2:]] == ["D02", "D03"]
    cells = [c for row in book["部门整体支出"].iter_rows(values_only=True) for c in row]
    assert "待确认" in cells and "总分（暂定）" in cells and "差（暂定）" in cells


def test_the_batch_summary_marks_provisional_totals(tmp_path):
    department(tmp_path, 2023, service="还行")
    other = department(tmp_path / "o", 2023)
    for path in other:  # a second department without anything pending, beside the first
        path.rename(path.parent.parent.parent.parent / path.parent.parent.name / path.parent.name / "clear.yaml")
    out = tmp_path / "out"
    result = runner.invoke(app, ["batch", str(tmp_path / "targets" / "2023"), str(tmp_path / "actuals" / "2023"),
                                 "-o", str(out), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    index = (out / "index.html").read_text(encoding="utf-8-sig")
    assert "待确认：1个部门的总分为暂定" in index and index.index('id="sec-pending"') < index.index('id="sec-league"')
    csv = (out / "results.csv").read_text(encoding="utf-8-sig").splitlines()
    header = csv[0].split(",")
    rows = {line.split(",")[0]: dict(zip(header, line.split(","), strict=True)) for line in csv[1:]}
    assert rows["dept"]["暂定"] == "暂定（1项待确认）" and rows["dept"]["待确认"] == "1"
    assert rows["clear"]["暂定"] == "" and rows["clear"]["待确认"] == "0"


# --- the previous year, found beside the files given ------------------------------------------------


def test_a_relative_target_is_compared_with_last_years_actual(tmp_path):
    department(tmp_path, 2022, people="500人")
    targets, actuals = department(tmp_path, 2023, growth="较上年增长10%", people="560人")
    result = evaluate_files(targets, actuals)
    row = result.evaluations[0].indicators[0]
    assert (row.status, row.score, row.rule) == ("met", Decimal("25.00"), "higher-met")
    assert "2022年实际500人（" in row.explanation and "增长 (560−500)÷500×100% = 12%" in row.explanation
    assert [f.role for f in result.inputs] == ["targets", "actuals", "previous-actuals", "rules"]


def test_without_last_years_file_the_indicator_is_pending_with_the_value_to_add(tmp_path):
    targets, actuals = department(tmp_path, 2023, growth="较上年增长10%", people="560人")
    row = evaluate_files(targets, actuals).evaluations[0].indicators[0]
    assert row.pending and "没有2022年的实际值文件" in row.explanation
    assert row.fix.startswith(f"在 {(tmp_path / 'actuals' / '2022' / 'dept.yaml').as_posix()} 中为指标 D01（培训人数）"
                              "填写2022年的实际完成值（与本年同一单位，如“560人”）")


def test_a_broken_file_of_last_year_makes_the_indicator_pending_not_the_run_fail(tmp_path):
    department(tmp_path, 2022, people="500人")
    (tmp_path / "actuals" / "2022" / "dept.yaml").write_text("schema: [", encoding="utf-8")
    targets, actuals = department(tmp_path, 2023, growth="较上年增长10%", people="560人")
    result = runner.invoke(app, ["score", str(targets), str(actuals), "--json"])
    assert result.exit_code == 0
    row = json.loads(result.stdout)["evaluations"][0]["indicators"][0]
    assert row["status"] == "pending" and "2022年的实际值文件" in row["explanation"]
    assert "无法读取" in row["explanation"]


def test_a_change_written_as_a_change_needs_no_previous_year(tmp_path):
    targets, actuals = department(tmp_path, 2023, growth="较上年增长10%", people="增长12%")
    row = evaluate_files(targets, actuals).evaluations[0].indicators[0]
    assert (row.status, row.score) == ("met", Decimal("25.00"))


def test_the_fix_names_the_sheet_row_and_column_of_an_entry_workbook(tmp_path):
    targets, _ = department(tmp_path, 2023)
    book_path = tmp_path / "entry.xlsx"
    assert runner.invoke(app, ["template", str(targets), "-o", str(book_path)]).exit_code == 0
    book = load_workbook(book_path)
    sheet = book["部门整体"]
    column = [c.value for c in sheet[2]].index("实际完成值") + 1
    values = {"D01": "520人", "D02": "2023年11月", "D03": "还行", "D04": "93%"}
    for row in range(3, sheet.max_row + 1):
        if sheet.cell(row, 1).value in values:
            sheet.cell(row, column).value = values[sheet.cell(row, 1).value]
    book.save(book_path)
    row = evaluate_files(targets, book_path).evaluations[0].indicators[2]
    assert row.pending and "工作表“部门整体”第5行“完成档次”列填写完成档次" in row.fix
    assert "工作表“部门整体”第5行“实际完成值”列写成明确的表述" in row.fix
