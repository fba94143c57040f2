"""The command line through typer's CliRunner: help, check, parse, score, rules; exit codes and messages."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import EXAMPLE_ACTUALS, EXAMPLE_TARGETS, MINIMAL_ACTUALS, MINIMAL_TARGETS
from typer.testing import CliRunner

from evaluator.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def test_help_is_chinese_and_lists_the_commands():
    result = run("--help")
    assert result.exit_code == 0
    assert "预算绩效自评工具" in result.output
    for command in ("check", "parse", "score", "rules", "import"):
        assert command in result.output
    assert "检查目标文件" in run("check", "--help").output


def test_help_does_not_import_pandas_or_plotly():
    code = "import sys; from evaluator.cli import app; print(sorted(m for m in ('pandas','plotly','openpyxl') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_python_dash_m_runs_the_cli():
    out = subprocess.run([sys.executable, "-m", "evaluator", "--version"], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("evaluator ")


def test_parse_shows_how_a_value_is_understood():
    result = run("parse", "≥10次", "≤790.64万元", "--level2", "成本指标")
    assert result.exit_code == 0
    assert "≥10次  →  不少于10次（越高越好）" in result.output
    assert "越低越好" in result.output


def test_parse_json_is_the_parsed_object_of_the_spec():
    result = run("parse", "≥10次", "--json")
    payload = json.loads(result.output)
    assert payload[0]["parsed"] == {"op": ">=", "value": 10, "unit": "次"}
    assert payload[0]["direction"] == "higher"


def test_check_passes_a_clean_pair_and_lists_the_understanding(write):
    targets = write("t.yaml", MINIMAL_TARGETS)
    actuals = write("a.yaml", MINIMAL_ACTUALS.replace("D03: {actual: \"88%\", reason: 宣传不足}", 'D03: {actual: "91%"}'))
    result = run("check", targets, actuals)
    assert "不少于10次（越高越好）" in result.output
    assert result.exit_code == 0, result.output
    assert "检查通过" in result.output


def test_check_fails_on_an_ambiguous_target(write):
    targets = write("t.yaml", MINIMAL_TARGETS.replace('target: "≤100万元"', 'target: "187人"'))
    result = run("check", targets)
    assert result.exit_code == 1
    assert "方向不明" in result.output and "direction: higher" in result.output


def test_check_reports_points_that_do_not_add_up_as_an_error(write):
    text = MINIMAL_TARGETS.replace('target: "≥10次"}', 'target: "≥10次", points: 30}').replace(
        'target: "≤100万元"}', 'target: "≤100万元", points: 30}')
    result = run("check", write("t.yaml", text))
    assert result.exit_code == 1
    assert "[错误]" in result.output and "产出指标的分值合计" in result.output


def test_check_with_actuals_is_the_pre_submission_review(write):
    targets = write("t.yaml", MINIMAL_TARGETS)
    actuals = write("a.yaml", MINIMAL_ACTUALS.replace("D03: {actual: \"88%\", reason: 宣传不足}", 'D03: {actual: "88%"}')
                    .replace("executed: 95", "executed: 50"))
    result = run("check", targets, actuals, "--json")
    assert result.exit_code == 1
    codes = {p["code"] for p in json.loads(result.output)["problems"]}
    assert {"shortfall-without-reason", "low-execution", "score-above-execution"} <= codes


def test_bad_input_exits_1_with_every_problem_and_no_traceback(write):
    path = write("t.yaml", "schema: evaluator.targets/1\nyear: x\ndepartment: 局\nfoo: 1\n")
    result = run("check", path)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "第2行 year：应为整数" in result.output and "未知的键“foo”" in result.output


def test_score_prints_a_table_and_json(write):
    targets, actuals = write("t.yaml", MINIMAL_TARGETS), write("a.yaml", MINIMAL_ACTUALS)
    table = run("score", targets, actuals)
    assert table.exit_code == 0 and "总分" in table.output and "按完成比例 88/90" in table.output
    result = run("score", targets, actuals, "--json")
    payload = json.loads(result.output)
    assert payload["schema"] == "evaluator.result/1"
    evaluation = payload["evaluations"][0]
    assert evaluation["execution"]["rate"] == 0.95 and evaluation["execution"]["score"] == 9.5
    assert [i["score"] for i in evaluation["indicators"]] == [25, 25, 29.33, 10]  # 88/90 × 30
    assert evaluation["total"] == 98.83 and evaluation["grade"] == "优"


def test_score_json_is_byte_identical_across_runs(write):
    targets, actuals = write("t.yaml", MINIMAL_TARGETS), write("a.yaml", MINIMAL_ACTUALS)
    assert run("score", targets, actuals, "--json").output == run("score", targets, actuals, "--json").output


def test_score_output_file_is_not_overwritten_without_force(write, tmp_path):
    targets, actuals = write("t.yaml", MINIMAL_TARGETS), write("a.yaml", MINIMAL_ACTUALS)
    out = tmp_path / "r.json"
    out.write_text("用户的文件", encoding="utf-8")
    result = run("score", targets, actuals, "-o", out)
    assert result.exit_code == 1 and "文件已存在" in result.output
    assert out.read_text(encoding="utf-8") == "用户的文件"
    assert run("score", targets, actuals, "-o", out, "--force").exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["schema"] == "evaluator.result/1"


def test_rules_lists_and_shows_with_the_source():
    listing = run("rules")
    assert listing.exit_code == 0
    assert listing.output.splitlines()[0].startswith("national-2020")
    for name in ("hb-2020", "platform-linear", "central-integer", "beijing-2016"):
        assert name in listing.output
    shown = run("rules", "show", "hb-2020")
    assert shown.exit_code == 0 and "出处：" in shown.output and "extends: national-2020" in shown.output


def test_unknown_rule_set_is_a_clear_error(write):
    targets, actuals = write("t.yaml", MINIMAL_TARGETS), write("a.yaml", MINIMAL_ACTUALS)
    result = run("score", targets, actuals, "--rules", "guangxi")
    assert result.exit_code == 1 and "找不到规则集“guangxi”" in result.output


def test_the_shipped_example_scores():
    result = run("score", EXAMPLE_TARGETS, EXAMPLE_ACTUALS, "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert [e["name"] for e in payload["evaluations"]] == ["部门整体支出", "业务性专项经费", "人大代表活动经费"]


SEED = EXAMPLE_TARGETS.parent.parent.parent / "examples" / "forms" / "2023-shifeng-npc-targets.txt"


def test_import_writes_the_targets_file_and_refuses_to_overwrite(tmp_path):
    out = tmp_path / "targets" / "2023" / "shifeng-npc.yaml"
    result = run("import", SEED, "-o", out)
    assert result.exit_code == 0, result.output
    assert "部门整体指标 9 个，专项 2 个，共 28 个指标" in result.output
    assert out.read_bytes() == EXAMPLE_TARGETS.read_bytes()
    again = run("import", SEED, "-o", out)
    assert again.exit_code == 1 and "文件已存在，未覆盖" in again.output


def test_import_reports_the_forms_arithmetic(tmp_path):
    broken = tmp_path / "forms.txt"
    broken.write_text(SEED.read_text(encoding="utf-8").replace("698.54", "690.54"), encoding="utf-8")
    result = run("import", broken, "-o", tmp_path / "t.yaml")
    assert result.exit_code == 0
    assert "核对：" in result.output and "690.54" in result.output


def test_import_of_a_file_without_forms_writes_nothing(tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("会议纪要\n没有表格\n", encoding="utf-8")
    out = tmp_path / "t.yaml"
    result = run("import", bad, "-o", out)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "notes.txt" in result.output and not out.exists()


def test_typers_own_words_are_chinese_too():
    text = run("score", "--help").output
    for english in ("Usage:", "Options", "Arguments", "Show this message", "[required]", "[default:"):
        assert english not in text
    assert "用法：" in text and "显示本帮助并退出。" in text and "[必填]" in text


def test_usage_errors_are_chinese_with_exit_code_2(write):
    missing = run("score")
    assert missing.exit_code == 2 and "错误：缺少参数“targets”。" in missing.output
    assert "Traceback" not in missing.output
    bogus = run("score", "a.yaml", "b.yaml", "--bogus")
    assert bogus.exit_code == 2 and "错误：没有选项“--bogus”。" in bogus.output
    assert "错误：没有命令“nocmd”" in run("nocmd").output


def test_check_json_reports_load_errors_as_json(write):
    path = write("t.yaml", "schema: evaluator.targets/1\nyear: x\ndepartment: 局\n")
    result = run("check", path, "--json")
    payload = json.loads(result.stdout)
    assert result.exit_code == 1 and payload["ok"] is False
    assert payload["problems"][0]["line"] == 2 and "应为整数" in payload["problems"][0]["message"]


def test_score_json_with_an_output_file_keeps_stdout_pure_json(write, tmp_path):
    targets, actuals = write("t.yaml", MINIMAL_TARGETS), write("a.yaml", MINIMAL_ACTUALS)
    result = run("score", targets, actuals, "--json", "-o", tmp_path / "r.json")
    assert json.loads(result.stdout)["schema"] == "evaluator.result/1"


def test_output_paths_that_cannot_be_written_are_user_errors(write, tmp_path):
    targets, actuals = write("t.yaml", MINIMAL_TARGETS), write("a.yaml", MINIMAL_ACTUALS)
    folder = tmp_path / "out"
    folder.mkdir()
    result = run("score", targets, actuals, "-o", folder, "--force")
    assert result.exit_code == 1 and "这是一个文件夹" in result.output and "Traceback" not in result.output
    blocker = tmp_path / "file.txt"
    blocker.write_text("x", encoding="utf-8")
    result = run("score", targets, actuals, "-o", blocker / "r.json")
    assert result.exit_code == 1 and "上级路径中有同名的文件" in result.output


def test_a_form_or_workbook_given_as_targets_says_what_to_do(write, tmp_path):
    docx = tmp_path / "目标表.docx"
    docx.write_bytes(b"PK")
    result = run("check", docx)
    assert result.exit_code == 1 and "先用 evaluator import 目标表.docx" in result.output
    xls = tmp_path / "a.xls"
    xls.write_bytes(b"x")
    result = run("check", write("t.yaml", MINIMAL_TARGETS), xls)
    assert result.exit_code == 1 and "另存为 .xlsx" in result.output


def test_more_usage_errors_in_chinese():
    assert "错误：多余的参数：c" in run("score", "a", "b", "c").output
    assert "是否想用：import" in run("imports").output
    jobs = run("batch", "x", "y", "-j", "abc")
    assert jobs.exit_code == 2 and "应为整数" in jobs.output
