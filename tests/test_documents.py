"""The Word report and the Word 自评表, read back with python-docx; chart images; formats by suffix; bad input.

The documents are built from the shipped example and from hostile inputs (names with <script>, a
formula-like text, emoji and rare CJK, a 2,000-character 偏差原因, an empty fund, 200 indicators) and
read back: every indicator, score and explanation is there, the 自评表 has merged cells and a header
row that repeats, the report carries its charts as images and a PAGE field in the footer, and two
runs give the same bytes.
"""

from __future__ import annotations

import io
import re
import struct
import sys
from decimal import Decimal

import pytest
from conftest import EXAMPLE_ACTUALS, EXAMPLE_TARGETS
from documents import (
    all_text,
    header_rows,
    hostile_actuals,
    hostile_targets,
    open_docx,
    parts,
    squeeze,
    vertical_merges,
)
from typer.testing import CliRunner

from evaluator.cli import app
from evaluator.decimals import fmt
from evaluator.io.load import load_inputs
from evaluator.report.charts import scope_charts
from evaluator.report.context import build_report
from evaluator.report.docx import render_docx
from evaluator.report.images import chart_png
from evaluator.rules import load_rules
from evaluator.scoring import evaluate
from evaluator.workbook.export_docx import build_self_evaluation_docx

runner = CliRunner()


@pytest.fixture(scope="module")
def example():
    targets, actuals = load_inputs(EXAMPLE_TARGETS, EXAMPLE_ACTUALS)
    rules = load_rules("national-2020")
    return targets, actuals, rules, evaluate(targets, actuals, rules)


@pytest.fixture(scope="module")
def report_bytes(example) -> bytes:
    targets, actuals, rules, result = example
    return render_docx(result, targets, actuals, rules=rules)


@pytest.fixture(scope="module")
def form_bytes(example) -> bytes:
    targets, actuals, _, result = example
    return build_self_evaluation_docx(result, targets, actuals)


def _score_text(value: Decimal | None) -> str:
    return fmt(value, 2) if value is not None else "—"


# --- the Word report --------------------------------------------------------------------------------


def test_the_report_has_every_section_indicator_score_and_explanation(example, report_bytes):
    _, _, _, result = example
    document = open_docx(report_bytes)
    text = all_text(document)
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading 1")]
    assert headings == ["一、基本情况", "二、自评结论", "三、绩效指标完成情况", "四、偏差分析",
                        "五、存在的问题及改进措施、结果应用", "六、评分规则与数据来源"]
    for evaluation in result.evaluations:
        assert f"{evaluation.name}绩效自评表" in text
        assert _score_text(evaluation.total) in text
        assert evaluation.execution.explanation in text
        for item in evaluation.indicators:
            assert f"{item.id} {item.name}" in text
            assert item.explanation in text
            assert item.target in text and (item.actual or "未填报") in text
            assert item.status_label in text
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    for evaluation in result.evaluations:
        for item in evaluation.indicators:  # the score sits in its own cell (with the claimed score below it)
            assert any(c.split("\n")[0] == _score_text(item.score) for c in cells)


def test_the_report_self_evaluation_tables_merge_levels_and_repeat_their_header(report_bytes):
    document = open_docx(report_bytes)
    forms = [t for t in document.tables if t.rows[0].cells[0].text == "一级指标"]
    assert len(forms) == 3  # the department and two funds
    for table in forms:
        assert header_rows(table) == 1
        assert vertical_merges(table) > 0
    department = forms[0]
    first_column = [row.cells[0].text for row in department.rows[1:-1]]
    assert set(first_column) == {"产出指标", "效益指标"}  # merged cells read back as their one text
    assert department.rows[1].cells[0]._tc is department.rows[4].cells[0]._tc  # D01–D04: one merged cell


def test_the_report_funding_block_has_the_other_lines(report_bytes):
    document = open_docx(report_bytes)
    table = next(t for t in document.tables if len(t.rows) > 2 and t.rows[2].cells[1].text == "年度资金总额")
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert [row[1] for row in rows[2:6]] == ["年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金"]
    assert rows[2][2:] == ["790.64", "815.20", "801.37", "10", "98.30%", "9.83"]
    assert rows[3][2:] == ["790.64", "800.00", "790.17", "—", "98.77%", "—"]


def test_the_report_has_the_charts_as_images(example, report_bytes):
    targets, actuals, rules, result = example
    document = open_docx(report_bytes)
    report = build_report(result, targets, actuals, rules, None)
    drawn = [c for s in report.scopes for c in scope_charts(s, report.money_unit, report.decimals) if c.spec]
    assert len(document.inline_shapes) == len(drawn) >= 3
    media = [name for name in parts(report_bytes) if name.startswith("word/media/")]
    assert len(media) == len(drawn)
    for shape in document.inline_shapes:  # every chart inside the 156 mm of text width
        assert shape.width <= 156 * 36000


def test_the_report_page_is_a4_with_a_page_number_field_in_the_footer(report_bytes):
    document = open_docx(report_bytes)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.top_margin.mm), round(section.bottom_margin.mm)) == (37, 35)
    assert (round(section.left_margin.mm), round(section.right_margin.mm)) == (28, 26)
    for footer in (section.footer, section.even_page_footer):
        xml = footer._element.xml
        assert re.search(r"<w:instrText[^>]*> PAGE </w:instrText>", xml)
        assert "w:fldCharType=\"begin\"" in xml and "w:fldCharType=\"end\"" in xml
    body = parts(report_bytes)["word/document.xml"].decode("utf-8")
    assert "instrText" not in body  # no field in the body: no text became a field


def test_the_report_names_its_fonts_and_their_fallbacks(report_bytes):
    files = parts(report_bytes)
    fonts = files["word/fontTable.xml"].decode("utf-8")
    for name, fallback in (("方正小标宋简体", "华文中宋"), ("仿宋_GB2312", "仿宋"), ("黑体", "SimHei"),
                           ("楷体_GB2312", "楷体")):
        assert re.search(f'<w:font w:name="{name}"><w:altName w:val="{fallback}"/>', fonts)
    styles = files["word/styles.xml"].decode("utf-8")
    assert 'w:eastAsia="仿宋_GB2312"' in styles and 'w:eastAsia="方正小标宋简体"' in styles
    assert 'w:eastAsia="zh-CN"' in styles
    text = all_text(open_docx(report_bytes))
    assert "未安装时依次用 华文中宋、宋体" in text  # the fallbacks said in words too


def test_the_report_has_fixed_properties_and_the_same_bytes_every_time(example, report_bytes):
    targets, actuals, rules, result = example
    assert render_docx(result, targets, actuals, rules=rules) == report_bytes
    properties = open_docx(report_bytes).core_properties
    assert properties.created.year == 2023 and (properties.created.month, properties.created.day) == (12, 31)
    assert properties.modified == properties.created and properties.author == "evaluator"
    assert "生成时间" not in all_text(open_docx(report_bytes))


def test_a_timestamp_only_when_asked(example):
    import datetime

    targets, actuals, rules, result = example
    stamped = render_docx(result, targets, actuals, rules=rules, generated_at=datetime.datetime(2024, 3, 1, 9, 30))
    assert "2024-03-01 09:30" in all_text(open_docx(stamped))


# --- the Word 自评表 ----------------------------------------------------------------------------------


def test_the_form_has_every_scope_indicator_and_score_in_the_official_layout(example, form_bytes):
    _, _, _, result = example
    document = open_docx(form_bytes)
    text = all_text(document)
    titles = [p.text for p in document.paragraphs if p.style.name == "表名"]
    assert titles == ["部门整体支出绩效自评表", "项目支出绩效自评表", "项目支出绩效自评表", "评分说明"]
    forms = [t for t in document.tables if t.rows[0].cells[0].text == "一级指标"]
    assert len(forms) == len(result.evaluations)
    for evaluation, table in zip(result.evaluations, forms, strict=True):
        rows = [[c.text for c in row.cells] for row in table.rows]
        assert rows[0] == ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                           "偏差原因分析及改进措施"]
        assert header_rows(table) == 1
        body = rows[1:-1]
        assert len(body) == len(evaluation.indicators)
        for row, item in zip(body, evaluation.indicators, strict=True):
            assert row[:5] == [item.level1, item.level2, item.name, item.target, item.actual or "未填报"]
            assert row[5] == fmt(item.points) and row[6] == _score_text(item.score)
        assert rows[-1][5:8] == ["100", _score_text(evaluation.total), f"自评等级：{evaluation.grade}"]
        for item in evaluation.indicators:
            assert item.explanation in text  # the annex 评分说明
    assert vertical_merges(forms[0]) > 0
    assert "原因：部分代表因工作冲突缺席座谈，对会议安排满意度偏低\n改进措施：提前发放会议通知，合理安排会期" in text


def test_the_form_carries_the_other_funding_lines_and_the_goal(form_bytes):
    document = open_docx(form_bytes)
    head = document.tables[0]
    rows = [[c.text for c in row.cells] for row in head.rows]
    assert rows[0][0] == "部门（单位）名称" and rows[0][2] == "株洲市石峰区人民代表大会常务委员会"
    assert rows[1][2:] == ["年初预算数", "全年预算数(A)", "全年执行数(B)", "分值", "执行率(B/A)", "得分"]
    assert [r[1] for r in rows[2:6]] == ["年度资金总额", "其中：当年财政拨款", "上年结转资金", "其他资金"]
    assert rows[3][2:] == ["790.64", "800.00", "790.17", "—", "98.77%", "—"]
    assert rows[5][2:] == ["0.00", "0.00", "0.00", "—", "—", "—"]
    assert rows[2][0] == "项目资金\n（万元）" and head.rows[2].cells[0]._tc is head.rows[5].cells[0]._tc
    assert rows[6][1] == "预期目标" and rows[7][1].startswith("1. 规范保障")
    assert rows[7][4].startswith("全年召开常委会12次")
    fund = document.tables[4]  # the second fund's head table: name rows, then the same block
    names = [[c.text for c in row.cells] for row in fund.rows[:2]]
    assert names[0][0] == "项目名称" and names[1][0] == "主管部门" and names[1][4] == "实施单位"


def test_the_form_has_the_same_bytes_every_time(example, form_bytes):
    targets, actuals, _, result = example
    assert build_self_evaluation_docx(result, targets, actuals) == form_bytes


# --- chart images -----------------------------------------------------------------------------------


def test_chart_images_are_png_of_the_figure_size_and_the_same_every_time(example):
    targets, actuals, rules, result = example
    report = build_report(result, targets, actuals, rules, None)
    chart = scope_charts(report.scopes[0], report.money_unit, report.decimals)[2]
    first, second = chart_png(chart.spec), chart_png(chart.spec)
    assert first == second and first[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", first[16:24])
    layout = chart.spec["layout"]
    assert abs(width - layout["width"] * 150 / 96) <= 1 and abs(height - layout["height"] * 150 / 96) <= 1
    assert b"Matplotlib" not in first and b"Software" not in first  # no version or date in the file


def test_chart_text_with_markup_dollars_and_emoji_draws(example):
    spec = {"data": [{"type": "bar", "name": "分值", "y": ["$x^2$ &lt;b&gt;", "𠀀😀"], "x": [1, 2],
                      "orientation": "h", "text": ["1分", "2分"], "textposition": "outside"}],
            "layout": {"width": 660, "height": 200, "title": {"text": "<script>标题$"}, "margin": {}}}
    png = chart_png(spec)
    assert png[:4] == b"\x89PNG"


def test_a_vertical_chart_without_a_range_draws_every_bar_in_its_colour():
    from PIL import Image

    spec = {"data": [{"type": "bar", "name": "甲", "x": ["一", "二", "三"], "y": [-200_000, 1_250_000, 400_000],
                      "marker": {"color": ["#aa0000", "#00aa00", "#0000aa"]}},
                     {"type": "bar", "name": "乙", "x": ["二"], "y": [600_000], "width": 0.3,
                      "marker": {"color": "#dde4ec", "line": {"color": "#1f3b57", "width": 1},
                                 "pattern": {"shape": "/", "fgcolor": "#7f97b2"}}}],
            "layout": {"width": 480, "height": 300, "title": {"text": "无范围"}, "margin": {},
                       "yaxis": {"title": {"text": "万元"}},
                       "shapes": [{"type": "line", "xref": "paper", "yref": "y", "x0": 0, "x1": 1, "y0": 1_000_000,
                                   "y1": 1_000_000, "line": {"color": "#ff00ff", "width": 2, "dash": "dot"}}]}}
    png = chart_png(spec)
    assert png == chart_png(spec)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (750, 468)  # 480 × 300 CSS pixels at 150 dpi
    colours = {colour for _, colour in image.getcolors(image.width * image.height)}
    for wanted in ((0xaa, 0, 0), (0, 0xaa, 0), (0, 0, 0xaa), (0xdd, 0xe4, 0xec), (0xff, 0, 0xff)):
        assert wanted in colours, wanted


# --- the command line --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["自评报告.docx", "报告.DOCX"])
def test_report_command_writes_word_by_the_suffix(tmp_path, name):
    out = tmp_path / name
    result = runner.invoke(app, ["report", str(EXAMPLE_TARGETS), str(EXAMPLE_ACTUALS), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:2] == b"PK" and "一、基本情况" in all_text(open_docx(out.read_bytes()))


def test_two_report_runs_give_identical_docx_bytes(tmp_path):
    outputs = []
    for name in ("one.docx", "two.docx"):
        out = tmp_path / name
        assert runner.invoke(app, ["report", str(EXAMPLE_TARGETS), str(EXAMPLE_ACTUALS), "-o", str(out)]).exit_code == 0
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


def test_export_command_writes_the_form_in_word(tmp_path):
    out = tmp_path / "自评表.docx"
    result = runner.invoke(app, ["export", str(EXAMPLE_TARGETS), str(EXAMPLE_ACTUALS), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "部门整体支出绩效自评表" in all_text(open_docx(out.read_bytes()))
    again = runner.invoke(app, ["export", str(EXAMPLE_TARGETS), str(EXAMPLE_ACTUALS), "-o", str(out)])
    assert again.exit_code == 1 and "已存在" in again.stderr


def test_the_report_format_follows_format_without_output(tmp_path, monkeypatch):
    import shutil

    for folder in ("targets", "actuals"):
        shutil.copytree(EXAMPLE_TARGETS.parents[2] / folder, tmp_path / folder)
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["report", "targets/2023/shifeng-npc.yaml", "actuals/2023/shifeng-npc.yaml",
                                 "--format", "docx"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "reports" / "2023" / "shifeng-npc.docx").read_bytes()[:2] == b"PK"


@pytest.mark.parametrize("command, arguments, expected", [
    ("report", ["-o", "r.txt"], "扩展名“.txt”不是 .html、.htm、.docx、.pdf"),
    ("report", ["-o", "r.pdf", "--format", "docx"], "与 --format docx 不一致"),
    ("report", ["--format", "rtf"], "--format 应为 html 或 docx 或 pdf"),
    ("export", ["-o", "t.html"], "扩展名“.html”不是 .xlsx、.docx"),
    ("export", ["-o", "t.xlsx", "--format", "docx"], "Word 自评表应保存为 .docx 文件"),
])
def test_a_format_that_does_not_fit_is_refused_before_writing(tmp_path, monkeypatch, command, arguments, expected):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, [command, str(EXAMPLE_TARGETS), str(EXAMPLE_ACTUALS), *arguments])
    assert result.exit_code == 1
    assert expected in result.stderr and "Traceback" not in result.output
    assert not list(tmp_path.iterdir())


def test_pdf_without_a_browser_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no chromium, chrome or edge on the PATH
    monkeypatch.delenv("EVALUATOR_BROWSER", raising=False)
    out = tmp_path / "r.pdf"
    result = runner.invoke(app, ["report", str(EXAMPLE_TARGETS), str(EXAMPLE_ACTUALS), "-o", str(out)])
    assert result.exit_code == 1
    assert "生成 PDF 需要 Chromium" in result.stderr and "apt-get install chromium" in result.stderr
    assert "--format html" in result.stderr and "Traceback" not in result.output
    assert not out.exists()


def test_a_browser_named_by_the_environment_must_exist(tmp_path, monkeypatch):
    monkeypatch.setenv("EVALUATOR_BROWSER", str(tmp_path / "nowhere" / "chrome.exe"))
    result = runner.invoke(app, ["report", str(EXAMPLE_TARGETS), str(EXAMPLE_ACTUALS), "-o", str(tmp_path / "r.pdf")])
    assert result.exit_code == 1 and "EVALUATOR_BROWSER" in result.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="the stand-in browser is a script with a #! line")
def test_a_browser_older_than_131_is_refused_and_nothing_is_written(tmp_path, monkeypatch):
    browser = tmp_path / "old-chrome"  # prints what Chromium 120 prints: a PDF without page-margin boxes
    browser.write_text(
        f"#!{sys.executable}\nimport sys\n"
        "out = next(a.split('=', 1)[1] for a in sys.argv if a.startswith('--print-to-pdf='))\n"
        "open(out, 'wb').write(b'%PDF-1.4\\n1 0 obj\\n<</Creator (Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 "
        "(KHTML, like Gecko) HeadlessChrome/120.0.6099.71 Safari/537.36) /Producer (Skia/PDF m120)>>\\nendobj\\n')\n",
        encoding="utf-8")
    browser.chmod(0o755)
    monkeypatch.setenv("EVALUATOR_BROWSER", str(browser))
    out = tmp_path / "r.pdf"
    result = runner.invoke(app, ["report", str(EXAMPLE_TARGETS), str(EXAMPLE_ACTUALS), "-o", str(out)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "版本是 120" in result.stderr and "需要 131 或更新的版本" in result.stderr
    assert not out.exists()


# --- bad input ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "t.yaml").write_text(hostile_targets(), encoding="utf-8")
    (folder / "a.yaml").write_text(hostile_actuals(), encoding="utf-8")
    targets, actuals = load_inputs(folder / "t.yaml", folder / "a.yaml")
    rules = load_rules("national-2020")
    return targets, actuals, rules, evaluate(targets, actuals, rules)


def test_hostile_text_stays_text_in_the_word_report(hostile):
    targets, actuals, rules, result = hostile
    data = render_docx(result, targets, actuals, rules=rules)
    text = all_text(open_docx(data))
    for written in ("<script>alert(1)</script>指标1", "=SUM(A1:A9)", "𠀀𪚥😀 指标3", "满意度&<b>", "=1+1 部门职责",
                    "=执行率偏低的原因", "<img src=x onerror=alert(1)>", "=CMD|' /C calc'!A0", "𠀀 生僻字与 emoji 😀",
                    "<script>alert('部门')</script>测试局😀"):
        assert written in text, written
    long_reason = next(i.reason for i in result.evaluations[0].indicators if i.id == "D001")
    assert len(long_reason) > 1900 and long_reason in text
    assert "instrText" not in parts(data)["word/document.xml"].decode("utf-8")
    assert "本表没有绩效指标" in text  # the empty fund
    assert data == render_docx(result, targets, actuals, rules=rules)


def test_hostile_text_stays_text_in_the_word_form(hostile):
    targets, actuals, _, result = hostile
    data = build_self_evaluation_docx(result, targets, actuals)
    text = all_text(open_docx(data))
    for written in ("=SUM(A1:A9)", "=HYPERLINK(\"x\")", "<script>alert(1)</script>指标1", "𠀀𪚥😀 指标3"):
        assert written in text, written
    assert "instrText" not in parts(data)["word/document.xml"].decode("utf-8")


def test_two_hundred_indicators_give_readable_documents(tmp_path):
    (tmp_path / "t.yaml").write_text(hostile_targets(200, empty_project=False), encoding="utf-8")
    (tmp_path / "a.yaml").write_text(hostile_actuals(200, empty_project=False), encoding="utf-8")
    targets, actuals = load_inputs(tmp_path / "t.yaml", tmp_path / "a.yaml")
    rules = load_rules("national-2020")
    result = evaluate(targets, actuals, rules)
    form = open_docx(build_self_evaluation_docx(result, targets, actuals))
    table = next(t for t in form.tables if t.rows[0].cells[0].text == "一级指标")
    assert len(table.rows) == 1 + 201 + 1 and header_rows(table) == 1
    report = open_docx(render_docx(result, targets, actuals, rules=rules))
    text = squeeze(all_text(report))
    assert all(f"D{n:03d}" in text for n in range(1, 201))


def test_control_characters_never_break_a_document():
    from evaluator.word.document import clean

    assert clean("a\x00b\x07c\x1fd\ud800e\r\nf") == "abcde\nf"
