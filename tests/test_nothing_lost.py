"""Nothing lost under any input: special files, huge files, outputs that name inputs.

Inputs are never changed, outputs are complete or absent, and no input makes the tool hang, blow up
or print a traceback. Every test goes through the command line (typer's CliRunner), or a real
process where a hang or a kill is the point.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLE_ACTUALS, EXAMPLE_TARGETS, MINIMAL_ACTUALS, MINIMAL_TARGETS, REPO, header_columns
from typer.testing import CliRunner

from evaluator.cli import app

runner = CliRunner()
POSIX = pytest.mark.skipif(os.name != "posix", reason="named pipes and /dev/zero are POSIX")


def run(*args: object, env: dict[str, str] | None = None):
    return runner.invoke(app, [str(a) for a in args], env=env)


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Path, Path]:
    targets, actuals = tmp_path / "t.yaml", tmp_path / "a.yaml"
    shutil.copy(EXAMPLE_TARGETS, targets)
    shutil.copy(EXAMPLE_ACTUALS, actuals)
    return targets, actuals


def _snapshot(*paths: Path) -> list[tuple[bytes, int]]:
    return [(p.read_bytes(), p.stat().st_mtime_ns) for p in paths]


# --- an output never replaces an input ---------------------------------------------------------------


@pytest.mark.parametrize("force", [False, True])
def test_report_over_the_actuals_file_is_refused_even_with_force(pair, force):
    targets, actuals = pair
    before = _snapshot(targets, actuals)
    result = run("report", targets, actuals, "-o", actuals, *(["--force"] if force else []))
    assert result.exit_code == 1
    assert "a.yaml：这是本命令的输入文件，不能用作输出文件，加 --force 也不会覆盖" in result.output
    assert "Traceback" not in result.output
    assert _snapshot(targets, actuals) == before
    assert sorted(p.name for p in targets.parent.iterdir()) == ["a.yaml", "t.yaml"]


def test_a_symlink_and_a_hard_link_to_an_input_are_the_input(pair, tmp_path, monkeypatch):
    targets, actuals = pair
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out").mkdir()
    link = tmp_path / "out" / "report.html"
    link.symlink_to(actuals)
    hard = tmp_path / "hard.html"
    os.link(targets, hard)
    before = _snapshot(targets, actuals)
    for output, name in ((link, "a.yaml"), (hard, "t.yaml")):
        result = run("report", targets, actuals, "-o", output, "--force")
        assert result.exit_code == 1, result.output
        assert f"（与输入文件 {name} 是同一个文件）" in result.output
    assert _snapshot(targets, actuals) == before
    assert link.is_symlink() and hard.stat().st_ino == targets.stat().st_ino


def test_a_relative_path_through_other_folders_is_the_same_input(pair, tmp_path, monkeypatch):
    targets, actuals = pair
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    result = run("score", "../t.yaml", "../a.yaml", "-o", "../sub/../a.yaml", "--force")
    assert result.exit_code == 1 and "这是本命令的输入文件" in result.output
    assert actuals.read_bytes() == EXAMPLE_ACTUALS.read_bytes()


def test_every_writer_refuses_its_own_input(pair, tmp_path):
    targets, actuals = pair
    form = tmp_path / "form.txt"
    shutil.copy(REPO / "examples" / "forms" / "2023-shifeng-npc-targets.txt", form)
    workbook = tmp_path / "a.xlsx"
    assert run("template", targets, "-o", workbook).exit_code == 0
    rules = tmp_path / "my-rules.yaml"
    rules.write_text("extends: national-2020\nname: my-rules\ntitle: 本地规则\nsource: 本地\n", encoding="utf-8")
    before = _snapshot(targets, actuals, form, workbook, rules)
    commands = [
        ("score", targets, actuals, "-o", actuals),
        ("score", targets, actuals, "-r", rules, "-o", rules),
        ("export", targets, workbook, "-o", workbook),
        ("export", targets, actuals, "-o", targets),
        ("template", targets, "-o", targets),
        ("import", form, "-o", form),
    ]
    for command in commands:
        result = run(*command, "--force")
        assert result.exit_code == 1, (command, result.output)
        assert "这是本命令的输入文件" in result.output, (command, result.output)
    assert _snapshot(targets, actuals, form, workbook, rules) == before


def test_demo_refuses_to_write_over_the_example(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # demo takes the example from here first
    for kind, source in (("targets", EXAMPLE_TARGETS), ("actuals", EXAMPLE_ACTUALS)):
        (tmp_path / kind / "2023").mkdir(parents=True)
        shutil.copy(source, tmp_path / kind / "2023" / "shifeng-npc.yaml")
    result = run("demo", "-o", "actuals/2023/shifeng-npc.yaml", "--force")
    assert result.exit_code == 1 and "这是本命令的输入文件" in result.output
    assert (tmp_path / "actuals" / "2023" / "shifeng-npc.yaml").read_bytes() == EXAMPLE_ACTUALS.read_bytes()


def test_batch_refuses_before_any_work_when_an_output_is_an_input(tmp_path):
    targets_dir, actuals_dir = tmp_path / "targets", tmp_path / "actuals"
    targets_dir.mkdir()
    actuals_dir.mkdir()
    for slug in ("dept", "results"):  # actuals/results.xlsx would be replaced by the batch's results.xlsx
        shutil.copy(EXAMPLE_TARGETS, targets_dir / f"{slug}.yaml")
    shutil.copy(EXAMPLE_ACTUALS, actuals_dir / "dept.yaml")
    assert run("template", targets_dir / "results.yaml", "-o", actuals_dir / "results.xlsx").exit_code == 0
    before = sorted(os.listdir(actuals_dir))
    data = (actuals_dir / "results.xlsx").read_bytes()
    result = run("batch", targets_dir, actuals_dir, "-o", actuals_dir, "--force")
    assert result.exit_code == 1
    assert "results.xlsx：这是本命令的输入文件" in result.output
    assert sorted(os.listdir(actuals_dir)) == before and (actuals_dir / "results.xlsx").read_bytes() == data


def test_compare_refuses_to_write_over_a_year_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for year in ("2022", "2023"):
        for kind in ("targets", "actuals"):
            (tmp_path / kind / year).mkdir(parents=True)
            shutil.copy(REPO / kind / year / "shifeng-npc.yaml", tmp_path / kind / year / "shifeng-npc.yaml")
    victim = tmp_path / "actuals" / "2023" / "shifeng-npc.yaml"
    data = victim.read_bytes()
    result = run("compare", "--dept", "shifeng-npc", "-o", victim, "--force")
    assert result.exit_code == 1 and "这是本命令的输入文件" in result.output
    assert victim.read_bytes() == data


def test_an_output_that_is_a_device_is_refused(pair, tmp_path):
    targets, actuals = pair
    if not Path("/dev/null").exists():
        pytest.skip("no /dev/null")
    result = run("score", targets, actuals, "-o", "/dev/null", "--force")
    assert result.exit_code == 1 and "不是普通文件" in result.output


# --- only regular files are read, and only up to the limit ----------------------------------------------


@POSIX
def test_a_named_pipe_as_targets_is_refused_without_hanging(tmp_path, pair):
    _, actuals = pair
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    # a real process: if the pipe were opened for reading, it would block until the guard below
    done = subprocess.run([sys.executable, "-m", "evaluator", "check", str(fifo), str(actuals)],
                          capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert done.returncode == 1
    assert "pipe.yaml：这不是普通文件，而是命名管道（FIFO），不予读取" in done.stderr
    assert "Traceback" not in done.stderr


@POSIX
def test_a_batch_names_a_named_pipe_and_a_broken_link_as_failures_instead_of_passing_them_over(tmp_path):
    targets, actuals = tmp_path / "t", tmp_path / "a"
    shutil.copytree(REPO / "targets" / "2023", targets)
    shutil.copytree(REPO / "actuals" / "2023", actuals)
    os.mkfifo(targets / "pipe.yaml")
    os.mkfifo(actuals / "pipe.yaml")  # also the first actuals file the swap check reads: it must not open it
    (targets / "gone.yaml").symlink_to(tmp_path / "nowhere.yaml")
    shutil.copy(actuals / "dept-0001.yaml", actuals / "gone.yaml")
    done = subprocess.run([sys.executable, "-m", "evaluator", "batch", str(targets), str(actuals), "-o",
                           str(tmp_path / "out"), "--no-reports", "--jobs", "1"], capture_output=True, text=True,
                          timeout=300, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert done.returncode == 1 and "Traceback" not in done.stderr
    failures = (tmp_path / "out" / "failures.csv").read_text(encoding="utf-8-sig")
    assert "pipe.yaml：这不是普通文件，而是命名管道（FIFO），不予读取" in failures
    assert "gone.yaml：文件不存在" in failures
    assert "已评价 5 个部门" in done.stdout


@POSIX
def test_a_symlink_to_dev_zero_is_refused_at_once(tmp_path, pair):
    targets, _ = pair
    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")
    zero = tmp_path / "zero.yaml"
    zero.symlink_to("/dev/zero")
    for command in (("check", zero), ("score", targets, zero), ("import", tmp_path / "zero.txt", "-o", tmp_path / "x.yaml"),
                    ("score", targets, tmp_path / "zero.xlsx"), ("check", targets, "-r", zero)):
        for name in ("zero.txt", "zero.xlsx"):
            if not (tmp_path / name).exists():
                (tmp_path / name).symlink_to("/dev/zero")
        result = run(*command)
        assert result.exit_code == 1, (command, result.output)
        assert "这不是普通文件，而是字符设备（符号链接，指向 /dev/zero），不予读取" in result.output, result.output
    assert not (tmp_path / "x.yaml").exists()


def test_a_file_over_the_size_limit_is_refused_with_the_limit_and_how_to_raise_it(write):
    targets = write("t.yaml", MINIMAL_TARGETS + "duties: " + "很长的职责" * 1000 + "\n")  # about 15 kB
    result = run("check", targets, env={"EVALUATOR_MAX_FILE_MB": "0.01"})
    assert result.exit_code == 1
    assert "t.yaml：文件过大（15.1 KB，上限 0.01 MB），不予读取" in result.output
    assert "EVALUATOR_MAX_FILE_MB=200" in result.output
    assert run("check", targets, env={"EVALUATOR_MAX_FILE_MB": "1"}).exit_code == 0


@pytest.mark.parametrize("value", ["abc", "0", "-5"])
def test_a_bad_limit_setting_is_named(write, value):
    targets = write("t.yaml", MINIMAL_TARGETS)
    result = run("check", targets, env={"EVALUATOR_MAX_FILE_MB": value})
    assert result.exit_code == 1
    assert f"环境变量 EVALUATOR_MAX_FILE_MB 的值“{value}”不是有效的兆字节数" in result.output


def test_the_forms_importer_and_the_workbook_reader_share_the_limit(tmp_path, pair):
    targets, _ = pair
    form = tmp_path / "form.txt"
    shutil.copy(REPO / "examples" / "forms" / "2023-shifeng-npc-targets.txt", form)
    workbook = tmp_path / "a.xlsx"
    assert run("template", targets, "-o", workbook).exit_code == 0
    env = {"EVALUATOR_MAX_FILE_MB": "0.001"}
    for command in (("import", form, "-o", tmp_path / "x.yaml"), ("score", targets, workbook)):
        result = run(*command, env=env)
        assert result.exit_code == 1 and "上限 0.001 MB" in result.output, result.output


def test_an_office_file_or_binary_given_as_yaml_says_what_it_is(tmp_path, pair):
    targets, _ = pair
    workbook = tmp_path / "a.xlsx"
    assert run("template", targets, "-o", workbook).exit_code == 0
    disguised = tmp_path / "targets.yaml"
    disguised.write_bytes(workbook.read_bytes())
    result = run("check", disguised)
    assert result.exit_code == 1
    assert "targets.yaml：文件内容是 Excel 或 Word 文件（.xlsx/.docx），不是 YAML 文本" in result.output
    assert "绩效目标表请先用 evaluator import" in result.output


def test_inputs_are_never_modified_by_any_command(pair, tmp_path):
    targets, actuals = pair
    before = _snapshot(targets, actuals)
    out = tmp_path / "out"
    for command in (("check", targets, actuals), ("score", targets, actuals, "--json"),
                    ("report", targets, actuals, "-o", out / "r.html"), ("export", targets, actuals, "-o", out / "e.xlsx"),
                    ("template", targets, "-o", out / "a.xlsx")):
        assert run(*command).exit_code in (0, 1)
    assert _snapshot(targets, actuals) == before


# --- smaller things ----------------------------------------------------------------------------------


def test_a_missing_option_is_named_with_matching_quotes(tmp_path):
    result = run("import", tmp_path / "form.txt")
    assert result.exit_code == 2
    assert "错误：缺少参数“--output / -o”。" in result.output
    bad = run("batch", tmp_path, tmp_path, "-o", tmp_path / "out", "-j", "0")
    assert bad.exit_code == 2 and "“--jobs / -j”的值无效：应不小于 1" in bad.output


def test_swapped_files_are_said_first_and_alone(pair):
    targets, actuals = pair
    for command in ("check", "score", "report"):
        result = run(command, actuals, targets)
        assert result.exit_code == 1
        assert "发现 1 个问题" in result.output, result.output
        assert "两个文件的位置放反了：这是实际值文件，而" in result.output and "t.yaml 是目标文件" in result.output
    alone = run("check", actuals)
    assert alone.exit_code == 1 and "发现 1 个问题" in alone.output
    assert "这是实际值文件（schema: evaluator.actuals/1），不是目标文件" in alone.output
    twice = run("score", targets, targets)
    assert twice.exit_code == 1 and "这是目标文件（schema: evaluator.targets/1），不是实际值文件" in twice.output


def test_a_workbook_before_its_targets_is_called_swapped(pair, tmp_path):
    targets, _ = pair
    workbook = tmp_path / "a.xlsx"
    assert run("template", targets, "-o", workbook).exit_code == 0
    result = run("score", workbook, targets)
    assert result.exit_code == 1 and "发现 1 个问题" in result.output
    assert "两个文件的位置放反了：这是实际值填报表（Excel），而" in result.output


def test_a_workbook_made_from_older_targets_is_called_stale_when_used(pair, tmp_path):
    targets, _ = pair
    workbook = tmp_path / "a.xlsx"
    assert run("template", targets, "-o", workbook).exit_code == 0
    assert "另一个版本的目标文件" not in run("score", targets, workbook).output
    targets.write_text(targets.read_text(encoding="utf-8").replace("召开常委会", "召开常委会会议"), encoding="utf-8")
    for command in ("score", "check"):
        result = run(command, targets, workbook)
        assert "这份填报表是根据另一个版本的目标文件生成的" in result.output, result.output
        assert "用 evaluator template 重新生成填报表" in result.output


def test_a_workbook_lists_its_own_problems_and_those_found_with_the_targets_at_once(pair, tmp_path):
    import openpyxl

    targets, _ = pair
    workbook = tmp_path / "a.xlsx"
    assert run("template", targets, "-o", workbook).exit_code == 0
    book = openpyxl.load_workbook(workbook)
    sheet = book["部门整体"]
    column = header_columns(sheet)
    sheet.cell(6, column["完成档次"]).value = "完成"  # a tier that does not exist
    sheet.cell(7, column["得分比例(%)"]).value = "abc"  # a share that is not a number
    sheet.cell(30, column["编号"]).value = "D99"  # an indicator the targets do not have
    sheet.cell(30, column["实际完成值"]).value = "5次"
    budget = book["预算执行"]
    budget.cell(3, next(c.column for c in budget[2] if c.value == "全年执行数")).value = "八百"
    book["元数据"]["B3"] = 2024  # another year
    book.save(workbook)
    result = run("check", targets, workbook)
    assert result.exit_code == 1
    assert "发现 5 个问题" in result.output, result.output
    for text in ("实际是“完成”", "“得分比例(%)”应为数字", "“全年执行数”应为数字", "年度不一致：实际值文件是 2024 年",
                 "第30行（指标 D99）：目标文件中没有指标“D99”"):
        assert text in result.output, text


def test_a_yaml_actuals_file_lists_its_own_problems_and_the_unknown_ids_at_once(write):
    targets = write("t.yaml", MINIMAL_TARGETS)
    actuals = write("a.yaml", MINIMAL_ACTUALS.replace("executed: 95", "executed: 九十五") + "  D99: 3次\n")
    result = run("check", targets, actuals)
    assert result.exit_code == 1 and "发现 2 个问题" in result.output
    assert "budget.executed：应为数字" in result.output and "目标文件中没有指标“D99”" in result.output


def test_names_that_differ_only_in_invisible_characters_are_shown_apart(write):
    targets = write("t.yaml", MINIMAL_TARGETS)
    actuals = write("a.yaml", MINIMAL_ACTUALS.replace("department: 测试局", 'department: "测\\u200b试局"'))
    result = run("check", targets, actuals)
    assert result.exit_code == 1
    assert "部门不一致：实际值文件是“测\\u200b试局”，目标文件是“测试局”" in result.output


@POSIX
def test_odd_paths_are_clean_errors(pair, tmp_path):
    targets, actuals = pair
    loop = tmp_path / "loop.yaml"
    loop.symlink_to(loop)
    result = run("check", loop)
    assert result.exit_code == 1 and "loop.yaml：无法读取文件" in result.output
    long_name = tmp_path / ("长" * 200 + ".json")
    result = run("score", targets, actuals, "-o", long_name)
    assert result.exit_code == 1 and "无法写入" in result.output and "Traceback" not in result.output


def test_batch_into_a_file_is_a_clean_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    for out, message in ((blocker, "这是一个文件，不是文件夹"), (blocker / "sub", "无法建立输出文件夹")):
        result = run("batch", REPO / "targets" / "2023", REPO / "actuals" / "2023", "-o", out, "--jobs", "1")
        assert result.exit_code == 1 and message in result.output, result.output
    assert blocker.read_text(encoding="utf-8") == "x"


def test_a_value_megabytes_long_is_quoted_by_its_start_and_its_length(tmp_path, pair):
    targets, _ = pair
    actuals = tmp_path / "a.yaml"
    actuals.write_text("schema: evaluator.actuals/1\nyear: 2023\ndepartment: " + "某" * 2_000_000 + "\n", encoding="utf-8")
    result = run("score", targets, actuals)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "部门不一致：实际值文件是“" + "某" * 100 + "……”（共 2,000,000 个字符）" in result.output
    assert len(result.output) < 5_000
