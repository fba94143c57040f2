"""What makes large inputs affordable gives the same text as the plain way: YAML, JSON, HTML escaping.

The timing and memory goals themselves live in benchmarks/ (bench_large.py, RESULTS.md), not here.
"""

from __future__ import annotations

import json

import markupsafe
import pytest
from conftest import EXAMPLE_ACTUALS, EXAMPLE_TARGETS
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from evaluator import evaluate_files
from evaluator.cli import app
from evaluator.errors import InputErrors
from evaluator.io.yamlread import parse_yaml
from evaluator.report.render import escape_in_python, fast_escape
from evaluator.results.jsontext import Lazy, dumps

runner = CliRunner()

JSON_LEAVES = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20),
)
JSON_VALUES = st.recursive(
    JSON_LEAVES,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=30,
)


@settings(max_examples=150, deadline=None)
@given(JSON_VALUES)
def test_the_json_writer_gives_the_standard_librarys_text(value):
    assert dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.dictionaries(st.text(max_size=5), JSON_LEAVES, max_size=3), max_size=5))
def test_lazy_lists_are_written_like_lists(items):
    wrapped = {"a": 1, "items": Lazy(items, dict), "b": []}
    assert dumps(wrapped) == json.dumps({"a": 1, "items": items, "b": []}, ensure_ascii=False, indent=2)


def test_nan_is_refused_not_written():
    for bad in (float("nan"), float("inf")):
        try:
            dumps({"x": [bad]})
        except ValueError:
            continue
        raise AssertionError("NaN or Infinity was written")


def test_the_result_json_is_the_standard_librarys_text():
    result = evaluate_files(EXAMPLE_TARGETS, EXAMPLE_ACTUALS)
    assert result.dumps() == json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n"


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_the_fast_escape_escapes_as_markupsafe_does(text):
    assert fast_escape(text) == str(markupsafe.escape(text))
    assert fast_escape(markupsafe.Markup(text)) == text
    assert escape_in_python(text) == str(markupsafe.escape(text))  # the fallback without markupsafe's C function
    assert fast_escape(type("Text", (str,), {})(text)) == str(markupsafe.escape(text))


@given(st.one_of(st.integers(), st.decimals(allow_nan=False), st.none(), st.booleans()))
def test_the_fast_escape_writes_other_values_as_markupsafe_does(value):
    assert fast_escape(value) == str(markupsafe.escape(value))


def test_a_report_template_escapes_user_text(tmp_path):
    from evaluator.report.render import page_template

    template = page_template("_csp.html").environment.from_string("<p>{{ x }}</p>{{ y }}")
    assert template.render(x="<script>'&\"", y=markupsafe.Markup("<b>ok</b>")) == \
        "<p>&lt;script&gt;&#39;&amp;&#34;</p><b>ok</b>"


def test_deep_nesting_is_refused_before_anything_recurses(tmp_path):
    deep = tmp_path / "deep.yaml"
    deep.write_text("a: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(InputErrors, match="YAML 嵌套层数过多（超过 64 层）"):
        parse_yaml(deep.read_text(encoding="utf-8"), "deep.yaml")
    assert parse_yaml("a: " + "[" * 60 + "]" * 60 + "\n", "ok.yaml").kind == "mapping"
    targets = tmp_path / "t.yaml"
    targets.write_text("schema: evaluator.targets/1\nyear: 2023\ndepartment: x\n", encoding="utf-8")
    for command in (["check", str(deep)], ["check", str(targets), "-r", str(deep)]):
        result = runner.invoke(app, command)
        assert result.exit_code == 1 and "嵌套层数过多" in result.output, result.output


def test_a_large_file_is_read_in_one_pass(tmp_path):
    """5,000 indicators through check, score --json and report: the outputs are complete."""
    lines = ["schema: evaluator.targets/1", "year: 2023", "department: 大部门", "indicators:"]
    actual = ["schema: evaluator.actuals/1", "year: 2023", "department: 大部门", "indicators:"]
    for n in range(5000):
        lines.append(f"  - {{id: D{n:05d}, level1: 产出指标, level2: 数量指标, name: 指标{n}, target: \"≥{n % 90 + 10}次\"}}")
        actual.append(f"  D{n:05d}: {{actual: \"{n % 100 + 5}次\", reason: 按计划}}")
    targets, actuals = tmp_path / "t.yaml", tmp_path / "a.yaml"
    targets.write_text("\n".join(lines) + "\n", encoding="utf-8")
    actuals.write_text("\n".join(actual) + "\n", encoding="utf-8")
    scored = runner.invoke(app, ["score", str(targets), str(actuals), "--json"])
    assert scored.exit_code == 0
    payload = json.loads(scored.output)
    assert len(payload["evaluations"][0]["indicators"]) == 5000
    checked = runner.invoke(app, ["check", str(targets), str(actuals)])
    assert checked.exit_code in (0, 1) and "D04999" in checked.output
    report = tmp_path / "r.html"
    assert runner.invoke(app, ["report", str(targets), str(actuals), "-o", str(report)]).exit_code == 0
    html = report.read_text(encoding="utf-8-sig")
    assert html.count('class="indicator status-') == 5000 and html.rstrip().endswith("</html>")
    assert "本表有 5000 个指标，超过 300 个，不逐项绘图" in html  # a bar per indicator no longer reads
