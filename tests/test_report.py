"""The self-evaluation report: structure, scores, escaping, offline-ness, determinism, and the CLI."""

from __future__ import annotations

import codecs
import re
import shutil
from datetime import datetime
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import EXAMPLE_ACTUALS, EXAMPLE_TARGETS, MINIMAL_ACTUALS, MINIMAL_TARGETS
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from evaluator.cli import app
from evaluator.io.load import load_inputs
from evaluator.report import render_report, write_report
from evaluator.report.charts import WIDTH, scope_charts
from evaluator.report.context import _spans, build_report
from evaluator.report.render import PLOTLY_JS
from evaluator.rules import load_rules
from evaluator.scoring import evaluate

runner = CliRunner()
SECTIONS = [
    "一、基本情况",
    "二、自评结论",
    "三、绩效指标完成情况",
    "四、偏差分析",
    "五、存在的问题及改进措施、结果应用",
    "六、评分规则与数据来源",
]
CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
       "font-src 'none'; connect-src 'none'")
EVIL = "<script>alert(1)</script>"


def scored(targets_path: Path, actuals_path: Path):
    targets, actuals = load_inputs(targets_path, actuals_path)
    return evaluate(targets, actuals, load_rules("national-2020")), targets, actuals


@pytest.fixture(scope="module")
def example():
    return scored(EXAMPLE_TARGETS, EXAMPLE_ACTUALS)


@pytest.fixture(scope="module")
def html(example) -> str:
    result, targets, actuals = example
    return render_report(result, targets, actuals)


class Page(HTMLParser):
    """Collect what the tests look at: headings, scopes, rows, scores, tags and attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.h2: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scope: str | None = None
        self.rows: dict[str, list[str]] = {}
        self.scores: dict[str, list[tuple[str, str]]] = {}
        self.totals: dict[str, list[str]] = {}
        self.text: list[str] = []
        self._in_h2 = False
        self._score_cell: str | None = None
        self._score_text = ""
        self._section_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "section" and "scope" in (attributes.get("class") or "").split():
            self.scope = attributes["data-scope"]
            self.rows[self.scope] = []
            self.scores[self.scope] = []
            self.totals[self.scope] = []
        if tag == "h2":
            self._in_h2 = True
            self.h2.append("")
        if self.scope and tag == "tr" and "indicator" in (attributes.get("class") or "").split():
            self.rows[self.scope].append(attributes["data-id"] or "")
        if self.scope and tag == "td" and "data-score" in attributes:
            self._score_cell = attributes["data-score"] or ""
            self._score_text = ""
        if self.scope and tag == "td" and "data-total" in attributes:
            self.totals[self.scope].append(attributes["data-total"] or "")
        if self.scope and tag == "span" and self._score_cell is not None:
            self._finish_score()

    def handle_endtag(self, tag: str) -> None:
        if tag == "h2":
            self._in_h2 = False
        if tag == "td" and self._score_cell is not None:
            self._finish_score()

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in_h2:
            self.h2[-1] += data.strip()
        if self._score_cell is not None:
            self._score_text += data

    def _finish_score(self) -> None:
        assert self.scope is not None and self._score_cell is not None
        self.scores[self.scope].append((self._score_cell, self._score_text.strip()))
        self._score_cell = None


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    return page


def without_plotly(text: str) -> str:
    """Return the page with the vendored bundle's <script> removed (it holds URLs in its own code)."""
    start = text.index("/**\n* plotly.js (basic - minified)")
    end = text.index("</script>", start)
    return text[:start] + text[end:]


# --- structure -------------------------------------------------------------------------------------


def test_the_report_has_the_six_sections_in_order(html):
    assert [h for h in parse(html).h2] == SECTIONS


def test_every_indicator_of_every_scope_has_a_row(html, example):
    result = example[0]
    page = parse(html)
    expected = [[i["id"] for i in e["indicators"]] for e in result.to_json()["evaluations"]]
    assert list(page.rows.values()) == expected
    assert len(page.rows) == len(result.evaluations) == 3


def test_every_score_printed_equals_the_scoring_result(html, example):
    result = example[0]
    page = parse(html)
    for evaluation, (scope, cells) in zip(result.to_json()["evaluations"], page.scores.items(), strict=True):
        expected = [evaluation["execution"]["score"]] + [i["score"] for i in evaluation["indicators"]]
        assert len(cells) == len(expected), scope
        for (attribute, shown), number in zip(cells, expected, strict=True):
            assert Decimal(attribute) == Decimal(str(number))
            assert Decimal(shown) == Decimal(str(number)), (scope, shown, number)
            assert shown == f"{Decimal(str(number)):.2f}"
        assert [Decimal(t) for t in page.totals[scope]] == [Decimal(str(evaluation["total"]))]


def test_the_budget_block_and_the_official_columns_are_in_order(html):
    columns = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值",
               "分值", "得分", "偏差原因分析及改进措施"]
    assert "".join(f"<th>{c}</th>" for c in columns[:5]) in html
    assert "".join(f"<th>{c}</th>" for c in columns[5:]) in html
    assert "<th>年初预算数</th><th>全年预算数</th><th>全年执行数</th>" in html
    assert "<th>分值</th><th>执行率</th><th>得分</th>" in html
    assert html.count('<table class="self-eval">') == 3


def test_level1_and_level2_cells_are_merged_over_their_rows(html, example):
    # Each indicator takes two table rows (its line and its scoring note), so a run of n rows spans 2n.
    department = example[0].department_evaluation
    level1 = [i.level1 for i in department.indicators]
    expected = [(2 * level1.count(name), name) for name in dict.fromkeys(level1)]
    section = html[html.index('<section class="scope" id="department"'):html.index('id="fund-P1"')]
    merged = re.findall(r'<td class="merged" rowspan="(\d+)">([^<]+)</td>', section)
    spans = [(int(n), text) for n, text in merged]
    assert [s for s in spans if s[1] in level1][: len(expected)] == expected
    assert len(spans) == len(expected) + len(department.indicators)  # one 二级指标 per indicator here
    fund = html[html.index('id="fund-P2"'):html.index('id="sec-deviations"')]
    assert '<td class="merged" rowspan="4">成本指标</td>' in fund  # P2's two 成本指标 share one cell


@given(st.lists(st.sampled_from("ab"), max_size=12))
def test_spans_cover_every_row_exactly_once(values):
    spans = _spans(list(values))
    assert sum(spans) == len(values)
    position = 0
    while position < len(values):
        assert spans[position] > 0
        run = values[position:position + spans[position]]
        assert set(run) == {values[position]}
        position += spans[position]


def test_understood_and_explanations_are_on_demand_and_printed(html, example):
    result = example[0]
    item = result.department_evaluation.indicators[0]
    assert html.count("<details>") >= sum(len(e.indicators) + 1 for e in result.evaluations)
    assert item.understood in html and item.explanation in html
    assert "details::details-content" in html  # printed in full
    assert "@page { size: A4" in html and "thead { display: table-header-group; }" in html
    assert "tr { break-inside: avoid;" in html


def test_the_conclusion_counts_the_indicators_and_names_where_points_were_lost(html, example):
    result = example[0]
    department = result.department_evaluation
    met = department.count("met", "exceeded", "qualitative-met")
    text = "".join(parse(html).text)
    assert f"{len(department.indicators)}项绩效指标中，达成{met}项" in text
    assert "失分最多的是" in text
    assert f"{department.total:.2f}分" in text and f"等级为“{department.grade}”" in text


def test_deviations_list_missed_exceeded_and_unsupported_claims(html):
    deviations = html[html.index('id="sec-deviations"'):html.index('id="sec-problems"')]
    # D09 claimed 10, the review disagrees
    assert "D09" in deviations and "目标未达成（部分完成）却给满分" in deviations
    assert "P2-01" in deviations and "目标是否设定偏低" in deviations  # 680 people for ≥500
    assert "预算执行率" in deviations  # claimed 10 for a 98.3 % execution rate
    assert "未说明" in deviations  # the execution claim gives no reason


def test_rules_sources_and_hashes_are_shown(html, example):
    result = example[0]
    rules = load_rules(result.rules)
    text = "".join(parse(html).text)
    for shown in (rules.name, rules.title, rules.source, rules.sha256, *rules.notes, result.tool_version):
        assert shown in text
    for entry in result.inputs:
        assert entry.sha256 in text and entry.file in text
    assert "生成时间" not in text


def test_the_generation_time_is_printed_only_when_given(example):
    result, targets, actuals = example
    html = render_report(result, targets, actuals, generated_at=datetime(2024, 3, 1, 9, 30))
    assert "生成时间" in html and "2024-03-01 09:30" in html


def test_empty_summary_shows_not_filled(write):
    result, targets, actuals = scored(write("t.yaml", MINIMAL_TARGETS), write("a.yaml", MINIMAL_ACTUALS))
    html = render_report(result, targets, actuals)
    problems = html[html.index('id="sec-problems"'):html.index('id="sec-sources"')]
    assert problems.count("未填写") == 4
    assert "未填写" in html[html.index('id="sec-basic"'):html.index('id="sec-conclusion"')]  # no duties


def test_a_missed_target_without_a_reason_says_not_explained(write):
    actuals = MINIMAL_ACTUALS.replace('D03: {actual: "88%", reason: 宣传不足}', 'D03: {actual: "80%"}')
    result, targets, loaded = scored(write("t.yaml", MINIMAL_TARGETS), write("a.yaml", actuals))
    html = render_report(result, targets, loaded)
    row = html[html.index('data-id="D03"'):]
    row = row[:row.index("</tr>")]
    assert '<span class="unexplained">未说明</span>' in row


def test_low_execution_in_the_deviations_shows_the_budget_and_what_was_spent(write):
    actuals = MINIMAL_ACTUALS.replace("budget: {initial: 100, adjusted: 100, executed: 95}",
                                      "budget: {initial: 100, adjusted: 120.5, executed: 84.25}")
    result, targets, loaded = scored(write("t.yaml", MINIMAL_TARGETS), write("a.yaml", actuals))
    html = render_report(result, targets, loaded)
    section = html[html.index('id="sec-deviations"'):]
    row = section[section.index('<tr data-id="—">'):]
    cells = re.findall(r"<td>(.*?)</td>", row[:row.index("</tr>")], re.S)
    assert cells[1].endswith("预算执行率")
    assert cells[2:5] == ["全年预算数120.50万元", "全年执行数84.25万元", "执行率69.92%，低于90%"]


def test_a_missing_actual_is_reported(write):
    actuals = MINIMAL_ACTUALS.replace('  D04: {actual: "93%", evidence: 问卷调查}\n', "")
    result, targets, loaded = scored(write("t.yaml", MINIMAL_TARGETS), write("a.yaml", actuals))
    html = render_report(result, targets, loaded)
    deviations = html[html.index('id="sec-deviations"'):html.index('id="sec-problems"')]
    assert "（三）未填报实际完成值或无法评分的指标" in deviations and 'data-id="D04"' in deviations


# --- safety and self-containment ----------------------------------------------------------------------


def test_indicator_names_are_escaped(write, tmp_path):
    targets = write("t.yaml", MINIMAL_TARGETS.replace("name: 培训次数", f'name: "{EVIL}"'))
    actuals = MINIMAL_ACTUALS.replace("宣传不足", '"原因 <b>&</b>"')
    result, loaded_targets, loaded_actuals = scored(targets, write("a.yaml", actuals))
    html = render_report(result, loaded_targets, loaded_actuals)
    assert EVIL not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "原因 &lt;b&gt;&amp;&lt;/b&gt;" in html
    assert "<b>&</b>" not in html
    # in chart JSON the name is written as plotly entities, and the JSON writer escapes "/" too
    assert "&lt;script&gt;alert(1)&lt;\\u002fscript&gt;" in html


def test_the_page_makes_no_request_and_carries_plotly_once(html):
    assert "<script src" not in html.lower()
    assert "<link" not in html.lower()
    assert "url(http" not in html.lower()
    assert "@import" not in html
    own = without_plotly(html)
    assert not re.search(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", own, re.IGNORECASE)
    hrefs = re.findall(r'href="([^"]*)"', own)
    assert hrefs and all(h.startswith("#") for h in hrefs)
    assert html.count("plotly.js (basic - minified) v4.1.1") == 1
    assert html.index("plotly.js (basic - minified)") < html.index("</head>")


def test_head_declares_language_charset_and_csp(html):
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"zh-CN\">")
    assert '<meta charset="utf-8">' in html
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in html
    css = html[html.index("<style>"):html.index("</style>")]
    assert '"Noto Sans CJK SC", "Microsoft YaHei", "SimSun", sans-serif;' in css


def test_the_vendored_bundle_has_its_licence():
    static = Path(__file__).resolve().parent.parent / "evaluator" / "report" / "static"
    bundle = (static / PLOTLY_JS).read_text(encoding="utf-8")
    assert "</script" not in bundle.lower()
    assert "MIT License" in (static / "plotly-basic-4.1.1.LICENSE").read_text(encoding="utf-8")


def test_charts_have_fixed_ids_fit_the_page_and_use_bundled_traces(example):
    result, targets, actuals = example
    report = build_report(result, targets, actuals, load_rules(result.rules), None)
    ids = []
    for scope in report.scopes:
        for chart in scope_charts(scope, report.money_unit, report.decimals):
            ids.append(chart.id)
            assert re.fullmatch(rf"chart-{re.escape(scope.key)}-[a-z0-9]+", chart.id)
            if chart.figure is None:
                continue
            assert chart.figure.layout.width <= 680 and chart.figure.layout.width == WIDTH
            assert {trace.type for trace in chart.figure.data} <= {"bar", "pie", "scatter"}
            assert chart.figure.layout.template.layout.to_plotly_json() == {}
    assert len(ids) == len(set(ids)) == 15
    assert "chart-department-completion" in ids and "chart-fund-P1-lost" in ids


def test_file_is_utf8_with_bom_small_and_byte_identical_across_runs(example, tmp_path):
    result, targets, actuals = example
    first = write_report(result, targets, actuals, tmp_path / "a.html")
    again = scored(EXAMPLE_TARGETS, EXAMPLE_ACTUALS)
    second = write_report(*again, tmp_path / "b.html")
    data = first.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    assert data[3:].decode("utf-8").startswith("<!DOCTYPE html>")
    assert len(data) <= 1_500_000
    assert data == second.read_bytes()


# --- CLI ---------------------------------------------------------------------------------------------


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    for folder in ("targets", "actuals"):
        (tmp_path / folder / "2023").mkdir(parents=True)
    shutil.copy(EXAMPLE_TARGETS, tmp_path / "targets" / "2023" / "shifeng-npc.yaml")
    shutil.copy(EXAMPLE_ACTUALS, tmp_path / "actuals" / "2023" / "shifeng-npc.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_report_command_writes_to_the_default_path_and_refuses_to_overwrite(workdir):
    args = ["report", "targets/2023/shifeng-npc.yaml", "actuals/2023/shifeng-npc.yaml"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    path = workdir / "reports" / "2023" / "shifeng-npc.html"
    assert "reports/2023/shifeng-npc.html" in first.output
    before = path.read_bytes()
    assert before.startswith(codecs.BOM_UTF8)

    again = runner.invoke(app, args)
    assert again.exit_code == 1
    assert "文件已存在，未覆盖" in again.output and "--force" in again.output
    assert "Traceback" not in again.output

    forced = runner.invoke(app, [*args, "--force"])
    assert forced.exit_code == 0, forced.output
    assert path.read_bytes() == before  # same inputs, same bytes

    stamped = runner.invoke(app, [*args, "-o", "out/stamped.html", "--timestamp"])
    assert stamped.exit_code == 0, stamped.output
    assert "生成时间" in (workdir / "out" / "stamped.html").read_text(encoding="utf-8-sig")


def test_report_command_takes_a_rule_set(workdir):
    result = runner.invoke(app, ["report", "targets/2023/shifeng-npc.yaml", "actuals/2023/shifeng-npc.yaml",
                                 "--rules", "central-integer", "-o", "c.html"])
    assert result.exit_code == 0, result.output
    text = (workdir / "c.html").read_text(encoding="utf-8-sig")
    assert load_rules("central-integer").title in text


def test_demo_writes_the_example_report_and_prints_its_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no example here: it is found beside the package
    result = runner.invoke(app, ["demo", "-o", "demo/report.html"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "demo/report.html"
    assert (tmp_path / "demo" / "report.html").read_bytes().startswith(codecs.BOM_UTF8)
    again = runner.invoke(app, ["demo", "-o", "demo/report.html"])  # demo owns its output
    assert again.exit_code == 0 and again.output.strip() == "demo/report.html", again.output
    (tmp_path / "mine.html").write_text("<p>我的文件</p>", encoding="utf-8")
    refused = runner.invoke(app, ["demo", "-o", "mine.html"])
    assert refused.exit_code == 1 and "文件已存在" in refused.output
    assert (tmp_path / "mine.html").read_text(encoding="utf-8") == "<p>我的文件</p>"


def test_demo_run_twice_with_its_default_output(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    first = runner.invoke(app, ["demo"])
    data = (tmp_path / "reports" / "2023" / "shifeng-npc.html").read_bytes()
    second = runner.invoke(app, ["demo"])
    assert (first.exit_code, second.exit_code) == (0, 0), second.output
    assert (tmp_path / "reports" / "2023" / "shifeng-npc.html").read_bytes() == data


def test_bad_input_exits_1_with_a_message_and_no_traceback(workdir):
    bad = "schema: evaluator.targets/1\nyear: 二〇二三\ndepartment: x\n"
    (workdir / "bad.yaml").write_text(bad, encoding="utf-8")
    result = runner.invoke(app, ["report", "bad.yaml", "actuals/2023/shifeng-npc.yaml", "-o", "x.html"])
    assert result.exit_code == 1
    assert "错误：" in result.output and "bad.yaml" in result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)
    assert not (workdir / "x.html").exists()

    missing = runner.invoke(app, ["report", "nope.yaml", "actuals/2023/shifeng-npc.yaml"])
    assert missing.exit_code == 1 and "文件不存在" in missing.output


def test_the_package_carries_the_same_example_as_the_repository():
    package = Path(__file__).resolve().parent.parent / "evaluator" / "example"
    repo = Path(__file__).resolve().parent.parent
    assert (package / "targets.yaml").read_bytes() == (repo / "targets/2023/shifeng-npc.yaml").read_bytes()
    assert (package / "actuals.yaml").read_bytes() == (repo / "actuals/2023/shifeng-npc.yaml").read_bytes()


def test_chart_json_is_the_same_on_every_machine():
    """Chart data is written by evaluator's own JSON writer, not plotly's (whose bytes depend on orjson)."""
    import subprocess
    import sys

    from evaluator.report.render import script_json

    assert script_json({"名称": "a</script><b>&", "x": [1.5, 2]}) == \
        '{"名称":"a\\u003c\\u002fscript\\u003e\\u003cb\\u003e&","x":[1.5,2]}'
    with pytest.raises(ValueError):
        script_json({"x": float("nan")})
    code = ("import sys; sys.modules['orjson'] = None\n"
            "from evaluator.report.render import script_json; print(script_json({'名称': '部门/专项'}))")
    blocked = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert blocked == str(script_json({"名称": "部门/专项"}))
