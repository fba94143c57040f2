"""Evaluating a folder of departments at once: reports, index, result files, failures, overwriting, bytes."""

from __future__ import annotations

import codecs
import csv
import importlib.util
import io
import json
import os
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from browser import needs_chromium, offline_page
from conftest import REPO
from typer.testing import CliRunner

from evaluator import evaluate_files
from evaluator.analysis.batch import run_batch
from evaluator.analysis.discovery import INDEX, find_pairs
from evaluator.analysis.outliers import find_outliers
from evaluator.analysis.tables import RESULT_COLUMNS
from evaluator.cli import app
from evaluator.report.index_page import league
from evaluator.report.render import PLOTLY_JS, plotly_js
from evaluator.results.scores import STATUSES
from evaluator.results.summary import DepartmentSummary

runner = CliRunner()
BROKEN = "schema: evaluator.targets/1\nyear: 2023\ndepartment: [未闭合\n"
OUTPUTS = {INDEX, "index-data.js", "results.csv", "results.xlsx", "results.json", "results.jsonl", "results.parquet",
           "failures.csv", PLOTLY_JS}


def _generator():
    spec = importlib.util.spec_from_file_location("generate", REPO / "benchmarks" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def make_year(root: Path, count: int = 3, broken: bool = True) -> tuple[Path, Path]:
    """Write ``count`` generated departments (and one with malformed YAML) under root/targets, root/actuals."""
    generate = _generator()
    targets, actuals = root / "targets" / "2023", root / "actuals" / "2023"
    targets.mkdir(parents=True)
    actuals.mkdir(parents=True)
    for seed in range(1, count + 1):
        slug, target_text, actual_text = generate.department(seed, 2023, indicators=8, funds=1, fund_indicators=5)
        (targets / f"{slug}.yaml").write_text(target_text, encoding="utf-8")
        (actuals / f"{slug}.yaml").write_text(actual_text, encoding="utf-8")
    if broken:
        (targets / "broken.yaml").write_text(BROKEN, encoding="utf-8")
        (actuals / "broken.yaml").write_text("schema: evaluator.actuals/1\n", encoding="utf-8")
    return targets, actuals


def invoke(targets: Path, actuals: Path, out: Path, *extra: str):
    return runner.invoke(app, ["batch", str(targets), str(actuals), "-o", str(out), *extra])


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """One batch over three departments and a broken one, through the command."""
    root = tmp_path_factory.mktemp("batch")
    targets, actuals = make_year(root)
    out = root / "reports" / "2023"
    result = invoke(targets, actuals, out)
    return {"root": root, "targets": targets, "actuals": actuals, "out": out, "result": result}


def test_every_report_the_index_and_the_result_files_are_written(run):
    names = set(os.listdir(run["out"]))
    assert names == OUTPUTS | {"dept-0001.html", "dept-0002.html", "dept-0003.html"}
    assert "broken.html" not in names
    for name in ("dept-0001.html", INDEX):
        assert (run["out"] / name).read_bytes().startswith(codecs.BOM_UTF8)


def test_a_broken_department_is_listed_and_the_exit_code_says_so(run):
    result = run["result"]
    assert result.exit_code == 1
    assert "已评价 3 个部门" in result.output
    assert "以下 1 个部门未能评价" in result.output and "broken：" in result.output
    assert "YAML 格式错误" in result.output and "Traceback" not in result.output
    index = (run["out"] / INDEX).read_text(encoding="utf-8-sig")
    failures = index[index.index('id="sec-failures"'):index.index('id="sec-files"')]
    assert 'data-slug="broken"' in failures and "YAML 格式错误" in failures
    assert "broken.yaml" in failures


def test_a_clean_folder_exits_0(tmp_path):
    targets, actuals = make_year(tmp_path, count=2, broken=False)
    result = invoke(targets, actuals, tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "未能评价" not in result.output


def test_the_reports_share_one_plotly_file(run):
    out = run["out"]
    assert (out / PLOTLY_JS).read_text(encoding="utf-8") == plotly_js()
    for name in ("dept-0001.html", INDEX):
        html = (out / name).read_text(encoding="utf-8-sig")
        assert f'<script src="{PLOTLY_JS}"></script>' in html
        assert "plotly.js (basic - minified)" not in html
        assert "script-src 'self' 'unsafe-inline'" in html
        assert len(html.encode("utf-8")) < 300_000


def test_the_result_files_agree_with_evaluate_files(run):
    from evaluator.checks.check import run_checks

    out, targets, actuals = run["out"], run["targets"], run["actuals"]
    slugs = ["dept-0001", "dept-0002", "dept-0003"]
    expected = [evaluate_files(targets / f"{s}.yaml", actuals / f"{s}.yaml") for s in slugs]
    listed = json.loads((out / "results.json").read_text(encoding="utf-8"))
    # the scores are evaluate's; warnings are what `check` lists (the pre-submission review), plus the counts
    assert [{k: v for k, v in d.items() if k not in ("warnings", "findings")} for d in listed] == \
        [{k: v for k, v in r.to_json().items() if k != "warnings"} for r in expected]
    for slug, document in zip(slugs, listed, strict=True):
        checked = run_checks(targets / f"{slug}.yaml", actuals / f"{slug}.yaml")
        assert [(w["severity"], w["code"], w["message"]) for w in document["warnings"]] == \
            [(p.severity.value, p.code, p.message) for p in checked.problems]
        assert document["warnings"], "the generated departments have shortfalls without a reason"
        errors = sum(1 for w in document["warnings"] if w["severity"] == "error")
        assert sum(f["errors"] for f in document["findings"]) == errors

    data = (out / "results.csv").read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == RESULT_COLUMNS
    body = rows[1:]
    assert len(body) == sum(len(r.evaluations) for r in expected)
    first = RESULT_COLUMNS.index("指标数") + 1
    statuses = RESULT_COLUMNS[first:first + len(STATUSES)]
    position = 0
    for slug, result, document in zip(slugs, expected, listed, strict=True):
        for evaluation, found in zip(result.evaluations, document["findings"], strict=True):
            row = dict(zip(RESULT_COLUMNS, body[position], strict=True))
            position += 1
            assert row["部门代码"] == slug and row["部门"] == result.department and row["名称"] == evaluation.name
            assert Decimal(row["总分"]) == evaluation.total and row["等级"] == evaluation.grade
            assert Decimal(row["预算执行率"]) == evaluation.execution.rate
            assert Decimal(row["预算执行得分"]) == evaluation.execution.score
            assert int(row["指标数"]) == len(evaluation.indicators)
            assert int(row["达成"]) == evaluation.count("met")
            assert sum(int(row[c]) for c in statuses) == len(evaluation.indicators)
            assert int(row["错误数"]) == found["errors"]
            assert int(row["未说明原因的偏差"]) == found["unexplained_shortfalls"]
            assert int(row["执行率低且未说明"]) == found["low_execution_unexplained"]
            claimed = evaluation.claimed_total
            assert (row["自评总分"] or None) == (None if claimed is None else str(claimed))
    assert sum(int(r[RESULT_COLUMNS.index("未说明原因的偏差")]) for r in body) > 0

    from openpyxl import load_workbook

    sheet = load_workbook(out / "results.xlsx").active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert tuple(cells[0]) == RESULT_COLUMNS
    text = [RESULT_COLUMNS.index(c) for c in ("部门代码", "部门", "范围", "专项编号", "名称", "等级")]
    for csv_row, xlsx_row in zip(body, cells[1:], strict=True):
        assert [xlsx_row[i] or "" for i in text] == [csv_row[i] for i in text]
        assert Decimal(str(xlsx_row[6])) == Decimal(csv_row[6])
        assert xlsx_row[RESULT_COLUMNS.index("错误数")] == int(csv_row[RESULT_COLUMNS.index("错误数")])


def test_results_json_is_the_list_json_would_write_of_the_jsonl_lines(run):
    lines = (run["out"] / "results.jsonl").read_text(encoding="utf-8").splitlines()
    documents = [json.loads(line) for line in lines]
    assert len(documents) == 3
    expected = json.dumps(documents, ensure_ascii=False, indent=2) + "\n"
    assert (run["out"] / "results.json").read_text(encoding="utf-8") == expected


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    targets, actuals = make_year(tmp_path, count=1, broken=False)
    for path in (targets / "dept-0001.yaml", actuals / "dept-0001.yaml"):
        text = path.read_text(encoding="utf-8")
        name = text.split("department: ", 1)[1].split("\n", 1)[0]
        path.write_text(text.replace(f"department: {name}", 'department: "=HYPERLINK(\\"http://x\\")"'),
                        encoding="utf-8")
    out = tmp_path / "out"
    assert invoke(targets, actuals, out).exit_code == 0
    text = (out / "results.csv").read_bytes().decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    from openpyxl import load_workbook

    cell = load_workbook(out / "results.xlsx").active["B2"]
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s"


def test_nothing_is_overwritten_without_force_and_a_rerun_is_byte_identical(run, tmp_path):
    out = run["out"]
    before = snapshot(out)
    again = invoke(run["targets"], run["actuals"], out)
    assert again.exit_code == 1
    assert "未覆盖，也未写入任何文件" in again.output and "--force" in again.output
    assert snapshot(out) == before
    forced = invoke(run["targets"], run["actuals"], out, "--force")
    assert forced.exit_code == 1  # the broken department still fails
    assert snapshot(out) == before


def test_one_existing_file_is_enough_to_refuse(tmp_path):
    targets, actuals = make_year(tmp_path, count=1, broken=False)
    out = tmp_path / "out"
    out.mkdir()
    (out / "dept-0001.html").write_text("mine", encoding="utf-8")
    result = invoke(targets, actuals, out)
    assert result.exit_code == 1 and "dept-0001.html" in result.output
    assert sorted(os.listdir(out)) == ["dept-0001.html"]


def test_a_process_pool_writes_the_same_bytes(run, tmp_path):
    serial = run_batch(run["targets"], run["actuals"], tmp_path / "serial", workers=1)
    pooled = run_batch(run["targets"], run["actuals"], tmp_path / "pooled", workers=2)
    assert [d.slug for d in pooled.departments] == [d.slug for d in serial.departments]
    assert snapshot(tmp_path / "pooled") == snapshot(tmp_path / "serial")


def test_progress_counts_departments_as_their_chunks_finish(run, tmp_path):
    seen: list[tuple[int, int]] = []
    run_batch(run["targets"], run["actuals"], tmp_path / "p", chunk_size=1,
              progress=lambda done, total: seen.append((done, total)))
    assert seen == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]


def test_no_progress_bar_under_the_test_runner(run):
    assert "━" not in run["result"].output and "评价中" not in run["result"].output


# --- pairing --------------------------------------------------------------------------------------------


def test_files_are_paired_by_name_and_the_odd_ones_explained(tmp_path):
    targets, actuals = tmp_path / "t", tmp_path / "a"
    targets.mkdir()
    actuals.mkdir()
    for name in ("both.yaml", "xlsx.yaml", "two.yaml", "alone.yaml", "index.yaml"):
        (targets / name).write_text("x", encoding="utf-8")
    for name in ("both.yaml", "xlsx.xlsx", "two.yaml", "two.xlsx", "orphan.yaml", "~$xlsx.xlsx", "index.yaml"):
        (actuals / name).write_text("x", encoding="utf-8")
    pairs = {p.slug: p for p in find_pairs(targets, actuals)}
    assert sorted(pairs) == ["alone", "both", "index", "orphan", "two", "xlsx"]
    assert pairs["both"].problem is None and pairs["xlsx"].actuals == actuals / "xlsx.xlsx"
    assert "同时有 two.yaml 和 two.xlsx" in (pairs["two"].problem or "")
    assert "没有实际值文件" in (pairs["alone"].problem or "")
    assert "只有实际值文件" in (pairs["orphan"].problem or "")
    assert "与汇总页 index.html 重名" in (pairs["index"].problem or "")


def test_no_actuals_file_matching_any_targets_file_is_refused_before_writing(tmp_path):
    targets, actuals = make_year(tmp_path, count=2, broken=False)
    for path in actuals.iterdir():
        path.rename(path.with_name("other-" + path.name))
    out = tmp_path / "out"
    result = invoke(targets, actuals, out)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "中没有与" in result.output and "的目标文件同名的实际值文件" in result.output
    assert "dept-0001.yaml" in result.output and "other-dept-0001.yaml" in result.output
    assert "未写入任何文件" in result.output
    assert not out.exists()


def test_a_targets_folder_without_yaml_is_refused_before_writing(tmp_path):
    targets, actuals = tmp_path / "targets", tmp_path / "actuals"
    targets.mkdir()
    actuals.mkdir()
    (targets / "readme.txt").write_text("x", encoding="utf-8")
    out = tmp_path / "out"
    result = invoke(targets, actuals, out)
    assert result.exit_code == 1 and "中没有目标文件（*.yaml），未写入任何文件" in result.output
    assert not out.exists()


def test_a_department_of_another_year_is_evaluated_and_flagged(tmp_path):
    targets, actuals = make_year(tmp_path, count=3, broken=False)
    slug, target_text, actual_text = _generator().department(3, 2024, indicators=8, funds=1, fund_indicators=5)
    (targets / f"{slug}.yaml").write_text(target_text, encoding="utf-8")
    (actuals / f"{slug}.yaml").write_text(actual_text, encoding="utf-8")
    out = tmp_path / "out"
    result = invoke(targets, actuals, out)
    assert result.exit_code == 0, result.output
    assert "已评价 3 个部门" in result.output
    assert "注意：以下 1 个部门的年度与其他部门不同" in result.output
    assert f"{slug}：文件中的年度为2024年，与本批其他部门（2023年）不同" in result.output
    index = (out / INDEX).read_text(encoding="utf-8-sig")
    attention = index[index.index('id="sec-outliers"'):index.index('id="sec-failures"')]
    assert "年度与其他部门不同（1个）" in attention and f'data-slug="{slug}"' in attention
    assert "文件中的年度为2024年，与本批其他部门（2023年）不同" in attention
    assert "<title>2023年度部门绩效自评汇总</title>" in index
    assert (out / f"{slug}.html").is_file()


def test_one_year_or_no_majority_year():
    from evaluator.analysis.outliers import year_outliers

    same = (summary("a", "90"), summary("b", "91"))
    assert year_outliers(same) == ()
    split = (summary("a", "90"), replace(summary("b", "91"), year=2024))
    assert [o.slug for o in year_outliers(split)] == ["a", "b"]  # no year most departments share
    assert [o.slug for o in year_outliers(split, Path("targets/2023"))] == ["b"]  # the folder decides a tie


def test_a_missing_folder_is_an_error(tmp_path):
    result = invoke(tmp_path / "nope", tmp_path, tmp_path / "out")
    assert result.exit_code == 1 and "不存在" in result.output
    assert not (tmp_path / "out").exists()


# --- the index -------------------------------------------------------------------------------------------


def summary(slug: str, total: str, rate: str = "0.95", indicator_rate: str = "0.95", unsupported: int = 0):
    return DepartmentSummary(
        slug=slug, department=f"部门{slug}", year=2023, total=Decimal(total), grade="优", rate=Decimal(rate),
        execution_score=None, indicator_rate=Decimal(indicator_rate), funds=0, indicators=5,
        unsupported=unsupported,
    )


def test_outliers_are_score_ahead_of_spending_totals_beyond_the_fences_and_unsupported_claims():
    departments = tuple(summary(f"d{n}", str(90 + n % 3)) for n in range(8)) + (
        summary("low", "40"),
        summary("ahead", "91", rate="0.55", indicator_rate="0.96"),
        summary("claims", "90", unsupported=3),
    )
    found = {(o.slug, o.kind) for o in find_outliers(departments, Decimal("0.30"))}
    assert found == {("low", "total-low"), ("ahead", "score-ahead"), ("claims", "claims")}
    assert find_outliers(departments[:3], Decimal("0.30")) == ()  # too few for quartiles, nothing else odd


def test_the_league_shares_ranks_between_equal_totals(run):
    from evaluator.results.summary import Batch

    batch = Batch(Path("."), "r", "r", ("优", "良", "中", "差"),
                  (summary("b", "90"), summary("a", "95"), summary("c", "90"), summary("d", "80")), (), (), ())
    assert [(row.rank, row.summary.slug) for row in league(batch)] == [(1, "a"), (2, "b"), (2, "c"), (4, "d")]


def test_the_index_is_sorted_by_total_without_script(run):
    index = (run["out"] / INDEX).read_text(encoding="utf-8-sig")
    listed = json.loads((run["out"] / "results.json").read_text(encoding="utf-8"))
    totals = sorted(((e["evaluations"][0]["total"], e["inputs"][0]["file"]) for e in listed), key=lambda t: -t[0])
    body = index[index.index('<table class="league"'):index.index("</table>", index.index('<table class="league"'))]
    order = [chunk.split('"', 1)[0] for chunk in body.split('<tr data-slug="')[1:]]
    assert order == [Path(file).stem for _, file in totals]
    assert 'aria-sort="descending"><button type="button">总分' in index


# --- in a browser ------------------------------------------------------------------------------------------

@pytest.mark.browser
@needs_chromium
def test_the_index_and_a_report_work_from_file_urls(run):
    drawn_js = """() => Array.from(document.querySelectorAll('.plotly-graph-div'))
        .map(d => [d.id, !!d._fullData, d.querySelectorAll('g.trace').length])"""
    with offline_page() as watched:
        tab = watched.page
        tab.goto((run["out"] / INDEX).as_uri())
        tab.wait_for_function("() => window.Plotly && Array.from(document.querySelectorAll('.plotly-graph-div'))"
                              ".every(d => d._fullData)", timeout=20_000)
        charts = tab.evaluate(drawn_js)
        assert [c[0] for c in charts] == ["chart-index-grades", "chart-index-scatter"]
        assert all(ok and traces >= 1 for _, ok, traces in charts)
        slugs = "() => Array.from(document.querySelectorAll('#league tbody tr')).map(r => r.dataset.slug)"
        totals = "() => Array.from(document.querySelectorAll('#league tbody tr')).map(r => +r.cells[2].dataset.value)"
        first = tab.evaluate(totals)
        assert first == sorted(first, reverse=True)
        tab.click("#league th:nth-child(3) button")  # 总分: now ascending
        assert tab.evaluate(totals) == sorted(first)
        tab.click("#league th:nth-child(2) button")  # 部门 (by slug)
        assert tab.evaluate(slugs) == ["dept-0001", "dept-0002", "dept-0003"]
        assert tab.get_attribute("#league th:nth-child(2)", "aria-sort") == "ascending"
        tab.click("#league th:nth-child(2) button")
        assert tab.evaluate(slugs) == ["dept-0003", "dept-0002", "dept-0001"]

        with tab.expect_navigation(wait_until="load"):
            tab.click('#league a[href="dept-0002.html"]')
        assert tab.url.endswith("/dept-0002.html")
        tab.wait_for_function("() => window.Plotly && Array.from(document.querySelectorAll('.plotly-graph-div'))"
                              ".every(d => d._fullData && d.querySelector('.main-svg'))", timeout=20_000)
        assert tab.evaluate("Plotly.version") == "4.1.1"
        report = tab.evaluate(drawn_js)
        assert len(report) == 10 and all(ok and traces >= 1 for _, ok, traces in report)
    assert watched.errors == [] and watched.blocked == []
    assert watched.requests and all(url.startswith("file://") for url in watched.requests)
    assert any(url.endswith(PLOTLY_JS) for url in watched.requests)


def test_a_department_with_nothing_to_score_is_a_failure_not_a_crash(tmp_path):
    targets, actuals = make_year(tmp_path, count=1, broken=False)
    (targets / "empty.yaml").write_text("schema: evaluator.targets/1\nyear: 2023\ndepartment: 空局\n", encoding="utf-8")
    (actuals / "empty.yaml").write_text("schema: evaluator.actuals/1\nyear: 2023\ndepartment: 空局\n",
                                        encoding="utf-8")
    batch = run_batch(targets, actuals, tmp_path / "out")
    assert [d.slug for d in batch.departments] == ["dept-0001"]
    assert [(f.slug, f.messages) for f in batch.failures] == [
        ("empty", ("目标文件中没有可评分的内容：没有绩效指标，没有专项，实际值文件中也没有预算执行数据",))]


def test_an_actuals_workbook_is_paired_like_a_yaml_file(tmp_path):
    from evaluator.io.load import load_targets
    from evaluator.workbook.entry import build_entry_workbook

    targets, actuals = make_year(tmp_path, count=2, broken=False)
    (actuals / "dept-0002.yaml").unlink()
    (actuals / "dept-0002.xlsx").write_bytes(build_entry_workbook(load_targets(targets / "dept-0002.yaml")))
    batch = run_batch(targets, actuals, tmp_path / "out")
    assert [d.slug for d in batch.departments] == ["dept-0001", "dept-0002"] and batch.failures == ()
    listed = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    assert listed[1]["inputs"][1]["file"].endswith("dept-0002.xlsx")
