"""Importing forms that lack what a targets file needs: nothing written and exit 1, or --allow-incomplete.

Missing means 资金总额, an indicator's name or its 指标值 blank, a formula whose result the file never
saved, or a value that a formula reads from another workbook. With --allow-incomplete the targets
file marks each gap under ``incomplete`` and `check` reports them as errors.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import yaml
from formbuilders import build_xlsx, seed_forms
from typer.testing import CliRunner

from evaluator.cli import app
from evaluator.io.load import load_targets

runner = CliRunner()
LINK = (b'<?xml version="1.0" encoding="UTF-8"?><externalLink xmlns="http://schemas.openxmlformats.org/'
        b'spreadsheetml/2006/main"><externalBook r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships"/></externalLink>')
LINK_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
             'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
             'officeDocument/2006/relationships/externalLinkPath" Target="file:///C:/财务/汇总.xlsx" '
             'TargetMode="External"/></Relationships>').encode()


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def _book() -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(build_xlsx(seed_forms())))


def _formula_target(tmp_path: Path) -> Path:
    book = _book()
    cell = next(c for row in book.active.iter_rows() for c in row if c.value == "有所提升")
    cell.value = '=CONCAT("有所","提升")'  # saved without a result, as a program would
    path = tmp_path / "formula.xlsx"
    book.save(path)
    return path


def _linked_total(tmp_path: Path, cached: str | None = "790.64") -> Path:
    """附表1 whose 资金总额 is a formula reading another workbook, with Excel's cached value."""
    book = _book()
    sheet = book.active
    sheet.unmerge_cells("B5:F5")
    sheet["B5"], sheet["C5"] = "资金总额", "=[1]汇总!C5"
    buffer = io.BytesIO()
    book.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml" and cached is not None:
                data = re.sub(rb'(<c r="C5"[^>]*>)<f>([^<]*)</f>(<v\s*/>|<v></v>)?',
                              rb"\1<f>\2</f><v>" + cached.encode() + rb"</v>", data)
            target.writestr(item, data)
        target.writestr("xl/externalLinks/externalLink1.xml", LINK)
        target.writestr("xl/externalLinks/_rels/externalLink1.xml.rels", LINK_RELS)
    path = tmp_path / "linked.xlsx"
    path.write_bytes(out.getvalue())
    return path


def test_a_target_formula_without_a_result_writes_nothing_and_exits_1(tmp_path):
    form = _formula_target(tmp_path)
    out = tmp_path / "t.yaml"
    result = run("import", form, "-o", out)
    assert result.exit_code == 1
    assert "附表1的指标“代表履职能力”的指标值是公式“=CONCAT(\"有所\",\"提升\")”，公式没有计算结果" in result.output
    assert "--allow-incomplete" in result.output and "Traceback" not in result.output
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["formula.xlsx"]


def test_a_total_from_an_external_link_writes_nothing_and_exits_1(tmp_path):
    form = _linked_total(tmp_path)
    result = run("import", form, "-o", tmp_path / "t.yaml")
    assert result.exit_code == 1, result.output
    assert "附表1的“资金总额”来自外部链接（公式“=[1]汇总!C5”引用另一个工作簿，保存时的缓存值为“790.64”），无法确认" in \
        result.output
    assert not (tmp_path / "t.yaml").exists()


def test_a_total_from_an_external_link_without_a_cached_value_is_a_gap_too(tmp_path):
    form = _linked_total(tmp_path, cached=None)
    result = run("import", form, "-o", tmp_path / "t.yaml")
    assert result.exit_code == 1 and "资金总额" in result.output and "公式没有计算结果" in result.output


def test_allow_incomplete_marks_the_gaps_and_check_reports_them_as_errors(tmp_path):
    out = tmp_path / "t.yaml"
    result = run("import", _linked_total(tmp_path), "-o", out, "--allow-incomplete")
    assert result.exit_code == 0, result.output
    assert "注意：表格缺少 1 项目标文件必需的内容，已在" in result.output and "incomplete" in result.output
    document = yaml.safe_load(out.read_text(encoding="utf-8"))
    (gap,) = document["incomplete"]
    assert gap["key"] == "budget.total" and "来自外部链接" in gap["message"]
    assert "linked.xlsx" in gap["source"]
    assert "total" not in document.get("budget", {})  # the cached value is not taken as the total
    targets = load_targets(out)
    assert targets.budget.total is None and targets.incomplete[0].line is not None
    checked = run("check", out)
    assert checked.exit_code == 1
    assert "budget.total：导入时表格缺少此项：附表1的“资金总额”来自外部链接" in checked.output
    assert "在目标文件的 budget.total 处补上正确的值，然后删除 incomplete 中的这一项。" in checked.output


def test_allow_incomplete_marks_a_missing_target_with_its_indicator(tmp_path):
    out = tmp_path / "t.yaml"
    assert run("import", _formula_target(tmp_path), "-o", out, "--allow-incomplete").exit_code == 0
    targets = load_targets(out)
    (gap,) = targets.incomplete
    assert (gap.key, gap.indicator) == ("indicators[5].target", "D06")
    assert targets.indicators[5].target == ""
    checked = run("check", out, "--json")
    assert checked.exit_code == 1
    assert '"code": "incomplete"' in checked.output and '"indicator": "D06"' in checked.output


def test_blank_names_and_targets_in_a_text_export_are_gaps(tmp_path):
    text = (Path(__file__).resolve().parent.parent / "examples" / "forms" / "2023-shifeng-npc-targets.txt").read_text(
        encoding="utf-8")
    text = text.replace("\t≥10次\n", "\t\n", 1)  # the first 指标值 left blank
    form = tmp_path / "form.txt"
    form.write_text(text, encoding="utf-8")
    result = run("import", form, "-o", tmp_path / "t.yaml")
    assert result.exit_code == 1 and "的指标值没有填写" in result.output, result.output
    allowed = run("import", form, "-o", tmp_path / "t.yaml", "--allow-incomplete")
    assert allowed.exit_code == 0
    assert load_targets(tmp_path / "t.yaml").incomplete[0].key.endswith(".target")


def test_score_and_report_say_the_targets_are_incomplete(tmp_path):
    from conftest import EXAMPLE_ACTUALS

    out = tmp_path / "t.yaml"
    assert run("import", _formula_target(tmp_path), "-o", out, "--allow-incomplete").exit_code == 0
    scored = run("score", out, EXAMPLE_ACTUALS, "--json")
    assert "目标文件不完整" in scored.stderr
    report = tmp_path / "r.html"
    assert run("report", out, EXAMPLE_ACTUALS, "-o", report).exit_code == 0
    html = report.read_text(encoding="utf-8-sig")
    assert "目标文件不完整" in html and "公式没有计算结果" in html
