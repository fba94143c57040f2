"""A batch at scale: chunks give the one-department scores, Parquet equals JSON, interruptions and --resume,
the Dask engine on a LocalCluster, fsspec URLs, swapped folders, and findings on the index.

Small data throughout (the benchmarks in benchmarks/ measure time and memory); no test depends on timing:
the interrupted batch is signalled after its first chunk is on disk, and is given a minute to stop.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from browser import needs_chromium, offline_page
from conftest import REPO
from test_batch import _generator, invoke, make_year, snapshot

from evaluator import evaluate_files
from evaluator.analysis.batch import BatchInterrupted, run_batch
from evaluator.analysis.chunk import STAGING

TEMPORARY = ".tmp"


def need(module: str):
    """The optional engine's libraries: skipped without them, except under CI (which installs ".[test]")."""
    if os.environ.get("CI"):
        import importlib

        return importlib.import_module(module)
    return pytest.importorskip(module)


def _results(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / "results.jsonl").read_text(encoding="utf-8").splitlines()]


def test_chunks_of_several_departments_give_the_one_department_scores(tmp_path):
    targets, actuals = make_year(tmp_path, count=7, broken=False)
    out = tmp_path / "out"
    batch = run_batch(targets, actuals, out, workers=1, chunk_size=3)
    assert len(batch.departments) == 7
    for document in _results(out):
        slug = Path(document["inputs"][0]["file"]).stem
        alone = evaluate_files(targets / f"{slug}.yaml", actuals / f"{slug}.yaml").to_json()
        assert document["evaluations"] == alone["evaluations"]
        assert {k: v for k, v in document.items() if k not in ("warnings", "findings")} == \
            {k: v for k, v in alone.items() if k != "warnings"}


def test_the_files_do_not_depend_on_how_the_batch_was_cut_into_chunks(tmp_path):
    targets, actuals = make_year(tmp_path, count=5)
    one = run_batch(targets, actuals, tmp_path / "one", workers=1, chunk_size=1)
    three = run_batch(targets, actuals, tmp_path / "three", workers=1, chunk_size=3)
    assert one.failures == three.failures and len(one.failures) == 1
    assert snapshot(tmp_path / "one") == snapshot(tmp_path / "three")
    assert not (tmp_path / "one" / STAGING).exists()


def test_parquet_read_back_with_pandas_equals_the_json_results(tmp_path):
    import pandas as pd

    targets, actuals = make_year(tmp_path, count=3, broken=False)
    out = tmp_path / "out"
    run_batch(targets, actuals, out, workers=1, chunk_size=2)
    frame = pd.read_parquet(out / "results.parquet")
    documents = [json.loads(line, parse_float=Decimal) for line in
                 (out / "results.jsonl").read_text(encoding="utf-8").splitlines()]

    def number(value):
        return None if value is None else Decimal(value)

    expected = []
    for document in documents:
        slug = Path(document["inputs"][0]["file"]).stem
        for evaluation in document["evaluations"]:
            ex = evaluation["execution"]
            expected.append((slug, document["department"], evaluation["scope"], evaluation["name"], "execution",
                             None, number(ex["points"]), number(ex["score"]), ex["status"], number(ex["claimed"]),
                             number(ex["executed"]), number(ex["rate"]), number(evaluation["total"]),
                             evaluation["grade"], []))
            for item in evaluation["indicators"]:
                expected.append((slug, document["department"], evaluation["scope"], evaluation["name"], "indicator",
                                 item["id"], number(item["points"]), number(item["score"]), item["status"],
                                 number(item["claimed"]), None, None, number(evaluation["total"]),
                                 evaluation["grade"], item["flags"]))

    def cell(value):
        if value is None or (isinstance(value, float) and value != value):
            return None
        return value

    read = [(r.slug, r.department, r.scope, r.scope_name, r.line, cell(r.id), cell(r.points), cell(r.score), r.status,
             cell(r.claimed), cell(r.executed), cell(r.rate), cell(r.scope_total), r.scope_grade, list(r.flags))
            for r in frame.itertuples(index=False)]
    assert read == expected
    assert len(frame) == sum(1 + len(e["indicators"]) for d in documents for e in d["evaluations"])
    assert isinstance(frame["score"].dropna().iloc[0], Decimal)


def test_an_interruption_keeps_finished_chunks_and_resume_redoes_only_the_rest(tmp_path):
    targets, actuals = make_year(tmp_path, count=6, broken=False)
    out = tmp_path / "out"

    def stop_after_two(done: int, total: int) -> None:
        if done >= 2:
            raise KeyboardInterrupt

    with pytest.raises(BatchInterrupted) as stopped:
        run_batch(targets, actuals, out, workers=1, chunk_size=1, progress=stop_after_two)
    assert (stopped.value.done, stopped.value.total, stopped.value.exit_code) == (2, 6, 130)
    assert str(stopped.value) == "已中断：完成 2/6 个部门"
    assert sorted(p.name for p in out.glob("*.html")) == ["dept-0001.html", "dept-0002.html"]
    assert not any(p.name.endswith(TEMPORARY) for p in out.rglob("*"))

    plain = invoke(targets, actuals, out)
    assert plain.exit_code == 1 and "上次的批量评价在此中断（已完成 2/6 个部门）" in plain.output
    assert "--resume" in plain.output and "未写入任何文件" in plain.output

    # a department changed since it was scored is scored again; the other finished one is kept
    changed = actuals / "dept-0002.yaml"
    changed.write_text(changed.read_text(encoding="utf-8").replace("按计划推进", "按计划推进。"), encoding="utf-8")
    kept = (out / "dept-0001.html").stat().st_mtime_ns
    seen: list[tuple[int, int]] = []
    resumed = run_batch(targets, actuals, out, workers=1, resume=True, progress=lambda d, t: seen.append((d, t)))
    assert seen[0] == (1, 6) and seen[-1] == (6, 6)
    assert len(resumed.departments) == 6
    assert (out / "dept-0001.html").stat().st_mtime_ns == kept
    run_batch(targets, actuals, tmp_path / "whole", workers=1, chunk_size=4)
    assert snapshot(out) == snapshot(tmp_path / "whole")

    again = invoke(targets, actuals, out, "--resume")
    assert again.exit_code == 1 and "没有中断的批量评价可以继续" in again.output


def test_resume_refuses_another_rule_set(tmp_path):
    targets, actuals = make_year(tmp_path, count=3, broken=False)
    out = tmp_path / "out"

    def stop(done: int, total: int) -> None:
        if done >= 1:
            raise KeyboardInterrupt

    with pytest.raises(BatchInterrupted):
        run_batch(targets, actuals, out, workers=1, chunk_size=1, progress=stop)
    result = invoke(targets, actuals, out, "--resume", "--rules", "hb-2020")
    assert result.exit_code == 1 and "评分规则" in result.output and "不能继续" in result.output
    forced = invoke(targets, actuals, out, "--force", "--rules", "hb-2020")
    assert forced.exit_code == 0, forced.output
    assert not (out / STAGING).exists()


def test_ctrl_c_stops_a_running_batch_and_resume_completes_it(tmp_path):
    """A real batch of 240 departments in its own process group, signalled as a terminal's Ctrl-C would."""
    generate = _generator()
    targets, actuals = tmp_path / "targets" / "2023", tmp_path / "actuals" / "2023"
    targets.mkdir(parents=True)
    actuals.mkdir(parents=True)
    for seed in range(1, 241):
        slug, target_text, actual_text = generate.department(seed, 2023, indicators=6, funds=1, fund_indicators=4)
        (targets / f"{slug}.yaml").write_text(target_text, encoding="utf-8")
        (actuals / f"{slug}.yaml").write_text(actual_text, encoding="utf-8")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "evaluator", "batch", str(targets), str(actuals), "-o", str(out), "--jobs", "2"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                               env=env, cwd=tmp_path)
    staging = out / STAGING
    while process.poll() is None and not (staging.is_dir() and any(p.suffixes[-2:] == [".done", ".json"]
                                                                    for p in staging.iterdir())):
        time.sleep(0.02)
    assert process.poll() is None, "the batch ended before it could be interrupted"
    os.killpg(process.pid, signal.SIGINT)  # Ctrl-C reaches the whole foreground group: batch and workers
    stdout, stderr = process.communicate(timeout=60)
    text = stderr.decode("utf-8")
    assert process.returncode == 130, text
    assert text.startswith("已中断：完成 ") and "/240 个部门" in text and "--resume" in text
    assert "Traceback" not in text and "KeyboardInterrupt" not in text
    done = int(text.split("完成 ", 1)[1].split("/", 1)[0])
    assert 0 < done < 240
    for _ in range(250):  # the workers and the forkserver are gone (they leave when the batch does)
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.02)
    else:
        pytest.fail("processes of the interrupted batch are still running")
    files = list(out.rglob("*"))
    assert not [p for p in files if p.name.endswith(TEMPORARY)]
    assert not (out / "index.html").exists() and not (out / "results.json").exists()
    for report in out.glob("*.html"):
        assert report.read_bytes().rstrip().endswith(b"</html>")

    rerun = subprocess.run(command, capture_output=True, env=env, cwd=tmp_path, timeout=120)
    assert rerun.returncode == 1 and "--resume" in rerun.stderr.decode("utf-8")
    resumed = subprocess.run([*command, "--resume"], capture_output=True, env=env, cwd=tmp_path, timeout=300)
    assert resumed.returncode == 0, resumed.stderr.decode("utf-8")
    whole = subprocess.run([*command[:7], str(tmp_path / "whole"), "--jobs", "1"], capture_output=True, env=env,
                           cwd=tmp_path, timeout=300)
    assert whole.returncode == 0
    assert snapshot(out) == snapshot(tmp_path / "whole")


def test_the_dask_engine_on_a_local_cluster_writes_the_same_bytes(tmp_path):
    need("distributed")
    targets, actuals = make_year(tmp_path, count=6)
    local = run_batch(targets, actuals, tmp_path / "local", workers=1)
    dask = run_batch(targets, actuals, (tmp_path / "dask").as_uri(), engine="dask", workers=2, chunk_size=2)
    assert [d.slug for d in dask.departments] == [d.slug for d in local.departments]
    assert snapshot(tmp_path / "dask") == snapshot(tmp_path / "local")


def test_fsspec_urls_for_the_inputs_and_the_output(tmp_path):
    fsspec = need("fsspec")
    targets, actuals = make_year(tmp_path, count=2)
    memory = fsspec.filesystem("memory")
    for folder, kind in ((targets, "targets"), (actuals, "actuals")):
        for path in folder.iterdir():
            memory.pipe_file(f"/t14/{kind}/2023/{path.name}", path.read_bytes())
    batch = run_batch("memory://t14/targets/2023", "memory://t14/actuals/2023", "memory://t14/out", workers=1)
    assert [d.slug for d in batch.departments] == ["dept-0001", "dept-0002"]
    assert [f.slug for f in batch.failures] == ["broken"] and "memory://t14/targets/2023/broken.yaml" in \
        batch.failures[0].files
    names = {p.rsplit("/", 1)[-1] for p in memory.ls("/t14/out", detail=False)}
    assert {"index.html", "results.json", "results.parquet", "dept-0001.html"} <= names and STAGING not in names
    documents = json.loads(memory.cat_file("/t14/out/results.json"))
    assert documents[0]["inputs"][0]["file"] == "memory://t14/targets/2023/dept-0001.yaml"
    alone = evaluate_files(targets / "dept-0001.yaml", actuals / "dept-0001.yaml").to_json()
    assert documents[0]["evaluations"] == alone["evaluations"]
    again = invoke("memory://t14/targets/2023", "memory://t14/actuals/2023", "memory://t14/out")
    assert again.exit_code == 1 and "未覆盖" in again.output
    memory.rm("/t14", recursive=True)


def test_folders_given_the_wrong_way_round_are_recognised_before_writing(tmp_path):
    targets, actuals = make_year(tmp_path, count=2, broken=False)
    out = tmp_path / "out"
    result = invoke(actuals, targets, out)
    assert result.exit_code == 1 and "检查是否把目标文件夹和实际值文件夹放反了" in result.output
    assert "Traceback" not in result.output and not out.exists()


def test_batch_over_the_shipped_examples_puts_unexplained_shortfalls_first(tmp_path):
    batch = run_batch(REPO / "targets" / "2023", REPO / "actuals" / "2023", tmp_path / "out", workers=1)
    by_slug = {d.slug: d for d in batch.departments}
    assert by_slug["dept-0002"].unexplained == 11 and by_slug["dept-0002"].errors == 14
    listed = [a.summary.slug for a in batch.attention]
    assert listed[0] == "dept-0002"
    assert any("没有说明原因" in reason for reason in batch.attention[0].reasons)
    index = (tmp_path / "out" / "index.html").read_text(encoding="utf-8-sig")
    attention = index[index.index('id="sec-outliers"'):index.index('id="sec-failures"')]
    assert attention.index('data-slug="dept-0002"') < attention.index('data-slug="shifeng-npc"')
    assert "11项未完成或部分完成的指标没有说明原因" in attention
    documents = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    assert all(d["warnings"] for d in documents)


# --- the index of a province ----------------------------------------------------------------------------------

CITIES = ["长沙市", "株洲市", "湘潭市", "衡阳市", "永州市", "郴州市", "常德市", "怀化市"]
DISTRICTS = ["芙蓉区", "天心区", "石峰区", "望城区", "宁乡市", "长沙县"]
BUREAUS = ["教育局", "卫生健康局", "民政局", "农业农村局", "司法局", "市场监督管理局", "人民代表大会常务委员会办公室"]


def province(count: int):
    """A batch of ``count`` departments built as summaries (scoring 10,000 real departments takes minutes)."""
    import random

    from evaluator.analysis.outliers import attention_list, find_outliers
    from evaluator.analysis.summaries import region_of
    from evaluator.results.summary import Batch, DepartmentSummary, Failure

    rng = random.Random(14)
    grades = ("优", "良", "中", "差")
    departments = []
    for n in range(count):
        name = f"湖南省{rng.choice(CITIES)}{rng.choice(DISTRICTS)}{rng.choice(BUREAUS)}"
        total = Decimal(rng.randint(5500, 9990)) / 100
        grade = grades[0 if total >= 90 else 1 if total >= 80 else 2 if total >= 60 else 3]
        claimed = total + Decimal(rng.choice([0, 0, 0, 150, 300])) / 100
        claimed_grade = grades[0 if claimed >= 90 else 1 if claimed >= 80 else 2 if claimed >= 60 else 3]
        departments.append(DepartmentSummary(
            slug=f"d{n:05d}", department=name, year=2023, total=total, grade=grade,
            rate=Decimal(rng.randint(6000, 10000)) / 10000, execution_score=None,
            indicator_rate=Decimal(rng.randint(6000, 10000)) / 10000, funds=rng.randint(0, 5),
            indicators=rng.randint(10, 80), unsupported=rng.choice([0, 0, 0, 1, 4]), region=region_of(name),
            pending=rng.choice([0] * 9 + [2]), errors=rng.choice([0, 0, 1, 3, 12]), warnings=rng.randint(0, 9),
            unexplained=rng.choice([0, 0, 2]), low_execution=rng.choice([0, 0, 0, 1]),
            unsupported_points=Decimal(rng.choice([0, 0, 0, 125, 300])) / 100, claimed_total=claimed,
            claimed_grade=claimed_grade))
    failures = tuple(Failure(f"broken-{n:03d}", (f"targets/2023/broken-{n:03d}.yaml",),
                             (f"targets/2023/broken-{n:03d}.yaml 第3行：YAML 格式错误",)) for n in range(count // 100))
    summaries = tuple(departments)
    outliers = find_outliers(summaries, Decimal("0.3"))
    return Batch("out", "national-2020", "财预〔2020〕10号", grades, summaries, failures, outliers, (),
                 attention=attention_list(summaries, outliers))


@pytest.fixture(scope="module")
def province_index(tmp_path_factory):
    from evaluator.report.index_page import INDEX_DATA, index_data, render_index
    from evaluator.report.render import PLOTLY_JS, encode, plotly_js

    batch = province(10_000)
    folder = tmp_path_factory.mktemp("province")
    (folder / PLOTLY_JS).write_text(plotly_js(), encoding="utf-8")
    (folder / INDEX_DATA).write_text(index_data(batch), encoding="utf-8")
    (folder / "index.html").write_bytes(encode(render_index(batch, plotly_src=PLOTLY_JS)))
    return batch, folder


def test_the_index_of_10000_departments_stays_small(province_index):
    batch, folder = province_index
    page, data = (folder / "index.html").stat().st_size, (folder / "index-data.js").stat().st_size
    assert page < 300_000 and page + data < 2_000_000, (page, data)
    html = (folder / "index.html").read_text(encoding="utf-8-sig")
    league = html[html.index('<table class="league"'):html.index("</table>", html.index('<table class="league"'))]
    assert league.count("<tr data-slug=") == 50
    assert html.count('<tr data-slug="broken-') == 100 and "共 10000 个部门" in html
    attention = html[html.index('id="sec-outliers"'):html.index('id="sec-failures"')]
    assert attention.count("<tr data-slug=") == 100 and f"共 {len(batch.attention)} 个" in attention


@pytest.mark.browser
@needs_chromium
def test_the_index_of_10000_departments_pages_searches_and_filters(province_index):
    batch, folder = province_index
    rows_js = "() => Array.from(document.querySelectorAll('#league tbody tr')).map(r => r.dataset.slug)"
    cells_js = "n => Array.from(document.querySelectorAll('#league tbody tr')).map(r => r.cells[n].textContent)"
    status_js = "() => document.getElementById('league-status').textContent"
    html = (folder / "index.html").read_text(encoding="utf-8-sig")
    served = html[html.index("<tbody>", html.index('id="league"')):html.index("</tbody>", html.index('id="league"'))]
    served_slugs = [chunk.split('"', 1)[0] for chunk in served.split('<tr data-slug="')[1:]]
    with offline_page() as watched:
        tab = watched.page
        tab.goto((folder / "index.html").as_uri())
        tab.wait_for_function("() => !document.getElementById('league-controls').hidden")
        assert tab.evaluate(rows_js) == served_slugs  # the script's first page is the page the server wrote
        assert tab.evaluate(status_js) == "共 10000 个部门，显示第 1—50 个。"
        served_cells = [[re.sub(r"<[^>]+>|\s+", "", cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
                        for row in served.split('<tr data-slug="')[1:]]
        drawn = tab.evaluate("() => Array.from(document.querySelectorAll('#league tbody tr'))"
                             ".map(r => Array.from(r.cells).map(c => c.textContent.replace(/\\s+/g, '')))")
        assert drawn == served_cells

        tab.click("#league-next")
        assert tab.evaluate(status_js) == "共 10000 个部门，显示第 51—100 个。"
        ranks = [int(r) for r in tab.evaluate(cells_js, 0)]
        assert ranks == sorted(ranks) and ranks[0] > 1

        tab.select_option("#league-grade", "良")
        good = sum(1 for d in batch.departments if d.grade == "良")
        assert tab.evaluate(status_js).startswith(f"筛选出 {good} 个部门（共 10000 个），显示第 1—50 个")
        assert set(tab.evaluate(cells_js, 3)) == {"良"}

        region = "湖南省株洲市石峰区"
        tab.select_option("#league-grade", "")
        tab.select_option("#league-region", region)
        tab.select_option("#league-finding", "grade")
        expected = sorted(d.slug for d in batch.departments if d.region == region and d.grade_changed)
        tab.select_option("#league-size", "500")
        assert sorted(tab.evaluate(rows_js)) == expected
        assert all("→复核" in tags for tags in tab.evaluate(cells_js, 10))

        tab.select_option("#league-region", "")
        tab.select_option("#league-finding", "")
        tab.fill("#league-search", "d04242")
        assert tab.evaluate(rows_js) == ["d04242"]
        tab.fill("#league-search", "")

        tab.click("#league th:nth-child(9) button")  # 错误, most first
        errors = [int(v) for v in tab.evaluate(cells_js, 8)]
        assert len(errors) == 500 and errors[0] == max(d.errors for d in batch.departments)
        assert errors == sorted(errors, reverse=True)
        tab.wait_for_function("() => window.Plotly && Array.from(document.querySelectorAll('.plotly-graph-div'))"
                              ".every(d => d._fullData)", timeout=20_000)
        bars = tab.evaluate("() => document.getElementById('chart-index-scatter')._fullData.map(t => t.type)")
        assert set(bars) == {"bar"}
    assert watched.errors == [] and watched.blocked == []


def test_formats_md_lists_the_batch_columns():
    from evaluator.analysis.parquet import PARQUET_COLUMNS
    from evaluator.analysis.tables import FINDING_COLUMNS

    doc = (REPO / "docs" / "formats.md").read_text(encoding="utf-8")
    section = doc[doc.index("## 6. Batch outputs"):]
    table = section[section.index("`results.parquet` columns"):]
    shown = re.findall(r"^\| `([a-z_0-9]+)` \|", table, re.M)
    assert shown == [name for name, _ in PARQUET_COLUMNS]
    for name in FINDING_COLUMNS:
        assert f"`{name}`" in section


def test_department_names_are_escaped_on_the_index_and_in_its_data(tmp_path):
    targets, actuals = make_year(tmp_path, count=1, broken=False)
    evil = "<script>alert(1)</script>"
    for path in (targets / "dept-0001.yaml", actuals / "dept-0001.yaml"):
        text = path.read_text(encoding="utf-8")
        name = text.split("department: ", 1)[1].split("\n", 1)[0]
        path.write_text(text.replace(f"department: {name}", f'department: "{evil}"'), encoding="utf-8")
    out = tmp_path / "out"
    run_batch(targets, actuals, out, workers=1)
    index = (out / "index.html").read_text(encoding="utf-8-sig")
    data = (out / "index-data.js").read_text(encoding="utf-8")
    assert evil not in index and "&lt;script&gt;" in index
    assert evil not in data and "\\u003cscript\\u003e" in data
