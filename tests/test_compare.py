"""Comparing one department over several years: matching, every flag, the HTML page, and the command."""

from __future__ import annotations

import codecs
import re
from decimal import Decimal
from pathlib import Path

import pytest
from browser import needs_chromium, offline_page
from conftest import REPO
from typer.testing import CliRunner

from evaluator.analysis.compare import compare_files, parse_years
from evaluator.analysis.matching import normalise_name
from evaluator.cli import app
from evaluator.errors import InputError
from evaluator.report.compare_page import render_compare
from evaluator.results.comparison import FlagKind

runner = CliRunner()
EVIL = "<script>alert(1)</script>"
SECTIONS = ["一、概况", "二、需要关注的变化", "三、得分与预算执行", "四、指标逐年对照", "五、单位产出成本",
            "六、比较方法与数据来源"]

# --- writing small multi-year inputs -------------------------------------------------------------------


def _indicator(entry: tuple) -> str:
    ident, level1, level2, name, target = entry
    return f'  - {{id: {ident}, level1: {level1}, level2: {level2}, name: "{name}", target: "{target}"}}\n'


def write_year(
    root: Path, year: int, indicators: list[tuple], actuals: dict[str, str] | None, *,
    executed: object = 100, projects: list[tuple[str, str, list[tuple], dict[str, str]]] = (), slug: str = "dept",
) -> None:
    """Write targets/<year>/<slug>.yaml and (unless ``actuals`` is None) actuals/<year>/<slug>.yaml."""
    text = f"schema: evaluator.targets/1\nyear: {year}\ndepartment: 测试局\nbudget: {{total: 100}}\nindicators:\n"
    text += "".join(_indicator(i) for i in indicators) or "  []\n"
    if projects:
        text += "projects:\n"
        for pid, name, items, _ in projects:
            text += f"  - id: {pid}\n    name: {name}\n    amount: 10\n    indicators:\n"
            text += "".join("  " + _indicator(i) for i in items)
    path = root / "targets" / str(year) / f"{slug}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    if actuals is None:
        return
    body = (f"schema: evaluator.actuals/1\nyear: {year}\ndepartment: 测试局\n"
            f"budget: {{initial: 100, adjusted: 100, executed: {executed}}}\nindicators:\n")
    body += "".join(f'  {k}: {{actual: "{v}", reason: 说明}}\n' for k, v in actuals.items()) or "  {}\n"
    if projects:
        body += "projects:\n"
        for pid, _, _, values in projects:
            body += f"  {pid}:\n    budget: {{initial: 10, adjusted: 10, executed: 10}}\n    indicators:\n"
            body += "".join(f'      {k}: {{actual: "{v}", reason: 说明}}\n' for k, v in values.items()) or "      {}\n"
    path = root / "actuals" / str(year) / f"{slug}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(body, encoding="utf-8")


def compare(root: Path, **options):
    return compare_files("dept", targets_dir=root / "targets", actuals_dir=root / "actuals", **options)


COUNT = ("产出指标", "数量指标")
SATISFACTION = ("满意度指标", "服务对象满意度指标")


def ind(ident: str, name: str, target: str, group: tuple[str, str] = COUNT) -> tuple:
    return (ident, *group, name, target)


def flags(comparison, kind: FlagKind) -> list:
    return [f for f in comparison.flags if f.kind is kind]


# --- matching --------------------------------------------------------------------------------------------


def test_indicators_are_matched_by_id_then_by_name_and_say_how(tmp_path):
    write_year(tmp_path, 2022, [ind("D01", "培训次数", "≥10次"), ind("D02", "群众满意度", "≥90%", SATISFACTION)],
               {"D01": "10次", "D02": "92%"})
    write_year(tmp_path, 2023, [ind("D01", "培训场次", "≥10次"), ind("X9", "群众 满意度。", "≥90%", SATISFACTION),
                                ind("D05", "宣传次数", "≥3次")],
               {"D01": "10次", "X9": "93%", "D05": "3次"})
    comparison = compare(tmp_path)
    lines = {line.latest.id: line for line in comparison.scopes[0].lines}
    assert set(lines) == {"D01", "X9", "D05"}
    assert lines["D01"].match == "id" and lines["D01"].match_label == "编号"
    assert lines["D01"].changes == ("2023年名称由“培训次数”改为“培训场次”",)
    assert lines["X9"].match == "name" and lines["X9"].match_label == "名称"
    assert [c.id for c in lines["X9"].cells] == ["D02", "X9"]
    assert lines["X9"].cells[1].matched == "name"
    assert lines["D05"].match == "single" and lines["D05"].match_label == "仅本年"
    html = render_compare(comparison)
    for label in ("编号", "名称", "仅本年"):
        assert f'<span class="match">{label}</span>' in html
    assert "2023年编号由 D02 改为 X9" in html


def test_an_id_match_wins_over_a_name_match(tmp_path):
    write_year(tmp_path, 2022, [ind("D01", "甲", "≥1次"), ind("D02", "乙", "≥1次")], {"D01": "1次", "D02": "1次"})
    write_year(tmp_path, 2023, [ind("D03", "甲", "≥1次"), ind("D01", "乙", "≥1次")], {"D01": "1次", "D03": "1次"})
    lines = compare(tmp_path).scopes[0].lines
    by_cells = {tuple(c.id if c else None for c in line.cells): line.match for line in lines}
    # D01 keeps its id although it now has D02's name; "甲" under a new id follows the old D01 by name
    assert by_cells == {("D01", "D01"): "id", ("D02", None): "single", (None, "D03"): "single"}


def test_names_match_without_spaces_punctuation_and_years():
    assert normalise_name("2023年度内 按时完成。") == normalise_name("2024年度内按时完成")
    assert normalise_name("“一府两院”运转") == normalise_name("一府两院运转")
    assert normalise_name("召开常委会") != normalise_name("召开主任会议")


def test_funds_are_matched_by_project_id_then_by_name(tmp_path):
    publicity = [ind("P2-01", "宣传", "≥1次")]
    write_year(tmp_path, 2022, [], {}, projects=[("P1", "培训专项", [ind("P1-01", "培训", "≥2次")], {"P1-01": "2次"}),
                                                   ("P2", "宣传专项", publicity, {"P2-01": "1次"})])
    write_year(tmp_path, 2023, [], {}, projects=[("Q7", "培训专项", [ind("Q7-01", "培训", "≥2次")], {"Q7-01": "2次"}),
                                                   ("P2", "宣传经费", publicity, {"P2-01": "1次"})])
    scopes = {s.latest.id: s for s in compare(tmp_path).scopes[1:]}
    assert scopes["Q7"].match == "name" and [y.id for y in scopes["Q7"].years] == ["P1", "Q7"]
    assert scopes["P2"].match == "id" and scopes["P2"].name == "宣传经费"
    assert scopes["Q7"].lines[0].match == "name"  # a new id in a matched fund: by name


# --- flags -----------------------------------------------------------------------------------------------


def test_a_target_below_last_years_actual_is_flagged_direction_aware(tmp_path):
    cost = ("产出指标", "成本指标")
    write_year(tmp_path, 2022, [ind("D01", "培训", "≥10次"), ind("D02", "成本", "≤100万元", cost),
                                ind("D03", "检查", "≥10次")],
               {"D01": "15次", "D02": "80万元", "D03": "11次"})
    write_year(tmp_path, 2023, [ind("D01", "培训", "≥12次"), ind("D02", "成本", "≤95万元", cost),
                                ind("D03", "检查", "≥11次")],
               {"D01": "15次", "D02": "80万元", "D03": "11次"})
    found = {f.subject.split()[0]: f.message for f in flags(compare(tmp_path), FlagKind.TARGET_BELOW_ACTUAL)}
    assert set(found) == {"D01", "D02"}  # D03's target reaches last year's actual
    assert "2023年目标“≥12次”低于2022年实际完成值“15次”（越高越好）" in found["D01"]
    assert "有所提高，仍未达到上年实际" in found["D01"]
    assert "2023年目标上限“≤95万元”高于2022年实际值“80万元”（越低越好）" in found["D02"]


def test_a_target_kept_while_over_achieved_year_after_year_is_flagged(tmp_path):
    for year, actual in ((2022, "12次"), (2023, "13次"), (2024, "12次")):
        write_year(tmp_path, year, [ind("D01", "召开常委会", "≥10次"), ind("D02", "培训", "≥10次")],
                   {"D01": actual, "D02": "12次" if year == 2022 else "10次"})
    stale = flags(compare(tmp_path), FlagKind.TARGET_STALE)
    assert len(stale) == 1  # D02 was over-achieved once only
    assert stale[0].year == 2024 and stale[0].subject == "D01 召开常委会"
    assert "2022—2024年未调整，其中3年超额完成（完成目标的2022年120%、2023年130%、2024年120%）" in stale[0].message


def test_an_unchanged_target_beaten_year_after_year_is_one_flag_per_indicator(tmp_path):
    """Not one flag per year: the run of years a target was kept is one flag, stale or not."""
    for year, actual in ((2021, "11次"), (2022, "11次"), (2023, "11次"), (2024, "11次")):
        write_year(tmp_path, year, [ind("D01", "召开常委会", "≥10次"), ind("D02", "培训", "≥10次")],
                   {"D01": actual, "D02": "13次" if year in (2021, 2023) else "11次"})
    comparison = compare(tmp_path)
    below = flags(comparison, FlagKind.TARGET_BELOW_ACTUAL)
    stale = flags(comparison, FlagKind.TARGET_STALE)
    by_subject = [f.subject for f in below + stale]
    assert sorted(by_subject) == ["D01 召开常委会", "D02 培训"]
    (d01,) = [f for f in below if f.subject.startswith("D01")]
    assert d01.year == 2024
    assert d01.message == ("目标“≥10次”2021—2024年未调整，低于上年实际完成值：2022年（上年实际“11次”）、"
                           "2023年（上年实际“11次”）、2024年（上年实际“11次”）")
    (d02,) = stale
    assert "2021—2024年未调整，其中2年超额完成" in d02.message and "且低于上年实际完成值：2022年" in d02.message


def test_a_cost_cap_equal_to_the_years_budget_is_not_looser(tmp_path):
    """“控制在预算数内 ≤100万元” follows the budget: neither below last year's actual nor looser."""
    cost = ("产出指标", "成本指标")
    write_year(tmp_path, 2022, [ind("D01", "控制在预算数内", "≤90万元", cost), ind("D02", "印刷费", "≤8万元", cost)],
               {"D01": "85万元", "D02": "5万元"})
    write_year(tmp_path, 2023, [ind("D01", "控制在预算数内", "≤100万元", cost),
                                ind("D02", "印刷费", "≤9万元", cost)],
               {"D01": "95万元", "D02": "6万元"})
    found = flags(compare(tmp_path), FlagKind.TARGET_BELOW_ACTUAL)  # the budget of 2023 is 100 (write_year)
    assert [f.subject for f in found] == ["D02 印刷费"]
    assert "且比上年目标“≤8万元”更宽松" in found[0].message


def test_cost_per_unit_divides_only_by_outputs_counted_in_units(tmp_path):
    counted = [ind("D01", "培训人数", "≥100人"), ind("D02", "工程资金", "≥43.2万元"), ind("D03", "覆盖面积", "≥50亩"),
               ind("D04", "完成数", "15")]
    write_year(tmp_path, 2022, counted, {"D01": "100人", "D02": "43.2万元", "D03": "50亩", "D04": "15"},
               executed=100)
    write_year(tmp_path, 2023, counted, {"D01": "100人", "D02": "43.2万元", "D03": "50亩", "D04": "15"},
               executed=130)
    comparison = compare(tmp_path)
    assert [track.subject for track in comparison.costs] == ["D01 培训人数"]
    assert [f.subject for f in flags(comparison, FlagKind.COST_UP)] == ["D01 培训人数"]


def test_a_changed_target_starts_a_new_run(tmp_path):
    write_year(tmp_path, 2022, [ind("D01", "培训", "≥10次")], {"D01": "13次"})
    write_year(tmp_path, 2023, [ind("D01", "培训", "≥12次")], {"D01": "15次"})
    assert flags(compare(tmp_path), FlagKind.TARGET_STALE) == []


def test_dropped_and_added_indicators_are_flagged(tmp_path):
    write_year(tmp_path, 2022, [ind("D01", "培训", "≥1次"), ind("D02", "宣传", "≥1次")], {"D01": "1次", "D02": "1次"})
    write_year(tmp_path, 2023, [ind("D01", "培训", "≥1次"), ind("D03", "督查", "≥2次")], {"D01": "1次", "D03": "2次"})
    comparison = compare(tmp_path)
    dropped, added = flags(comparison, FlagKind.DROPPED), flags(comparison, FlagKind.ADDED)
    assert [(f.year, f.subject) for f in dropped] == [(2023, "D02 宣传")]
    assert [(f.year, f.subject) for f in added] == [(2023, "D03 督查")]
    assert "2022年目标“≥1次”，实际“1次”" in dropped[0].message


@pytest.mark.parametrize(("executed", "count", "flagged"), [
    (120, "10次", True),  # +20 % spending, +0 % meetings
    (120, "12次", False),  # meetings grew too
    (105, "10次", False),  # spending grew little
])
def test_spending_rising_while_outputs_stay_flat_is_flagged(tmp_path, executed, count, flagged):
    write_year(tmp_path, 2022, [ind("D01", "召开常委会", "≥10次")], {"D01": "10次"}, executed=100)
    write_year(tmp_path, 2023, [ind("D01", "召开常委会", "≥10次")], {"D01": count}, executed=executed)
    comparison = compare(tmp_path)
    cost = flags(comparison, FlagKind.COST_UP)
    assert bool(cost) is flagged
    (track,) = comparison.costs
    assert [p.cost for p in track.points] == [Decimal(10), Decimal(executed) / Decimal(count.rstrip("次"))]
    if flagged:
        assert "全年执行数由100.00万元增至120.00万元（+20.0%）" in cost[0].message
        assert "每次支出由10.00万元升至12.00万元" in cost[0].message


def test_a_change_of_grade_is_flagged(tmp_path):
    write_year(tmp_path, 2022, [ind("D01", "培训", "≥10次")], {"D01": "5次"})
    write_year(tmp_path, 2023, [ind("D01", "培训", "≥10次")], {"D01": "10次"})
    (change,) = flags(compare(tmp_path), FlagKind.GRADE_CHANGE)
    assert change.year == 2023 and change.message == "等级由2022年的“差”变为2023年的“中”（总分35.00→60.00）"


def test_a_year_without_actuals_is_shown_with_targets_only(tmp_path):
    write_year(tmp_path, 2022, [ind("D01", "培训", "≥10次")], {"D01": "12次"})
    write_year(tmp_path, 2023, [ind("D01", "培训", "≥12次")], None)
    comparison = compare(tmp_path)
    assert comparison.has_actuals == (True, False) and comparison.missing_actuals == (2023,)
    cell = comparison.scopes[0].lines[0].cells[1]
    assert cell.status is None and cell.score is None and cell.target_value == Decimal(12)
    assert comparison.flags == ()  # 2023's target (≥12次) reaches 2022's actual (12次)
    html = render_compare(comparison)
    assert "2023年尚无实际值文件，只列目标" in html and "无实际值" in html


def test_years_are_read_from_the_option():
    assert parse_years("2021-2025") == (2021, 2025)
    assert parse_years("2023") == (2023, 2023)
    assert parse_years(None) is None
    with pytest.raises(InputError, match="应写成"):
        parse_years("2021..25")
    with pytest.raises(InputError, match="晚于"):
        parse_years("2025-2021")


def test_a_single_year_is_not_a_comparison(tmp_path):
    write_year(tmp_path, 2022, [ind("D01", "培训", "≥10次")], {"D01": "12次"})
    with pytest.raises(InputError, match="至少需要两个年度"):
        compare(tmp_path)


# --- the page ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def example():
    return compare_files("shifeng-npc", targets_dir=REPO / "targets", actuals_dir=REPO / "actuals",
                         years=(2022, 2024))


@pytest.fixture(scope="module")
def page(example) -> str:
    return render_compare(example)


def test_the_example_shows_every_kind_of_change(example):
    kinds = {f.kind for f in example.flags}
    assert {FlagKind.TARGET_BELOW_ACTUAL, FlagKind.TARGET_STALE, FlagKind.DROPPED, FlagKind.ADDED,
            FlagKind.COST_UP, FlagKind.GRADE_CHANGE} <= kinds
    (stale,) = example.flags_of(FlagKind.TARGET_STALE)
    assert stale.subject == "D01 召开常委会"
    matches = {line.match for scope in example.scopes for line in scope.lines}
    assert matches == {"id", "name", "single"}


def test_the_page_has_its_sections_in_order(page):
    assert re.findall(r"<h2>([^<]+)</h2>", page) == SECTIONS


def test_the_page_is_offline_and_carries_plotly_once(page):
    assert page.startswith('<!DOCTYPE html>\n<html lang="zh-CN">')
    assert ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
            "font-src 'none'; connect-src 'none'") in page
    assert page.count("plotly.js (basic - minified) v4.1.1") == 1
    assert "<script src" not in page and "<link" not in page
    start = page.index("/**\n* plotly.js (basic - minified)")
    own = page[:start] + page[page.index("</script>", start):]
    assert not re.search(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", own, re.IGNORECASE)
    assert all(h.startswith("#") for h in re.findall(r'href="([^"]*)"', own))


def test_charts_have_fixed_unique_ids_and_only_bundled_traces(example, page):
    ids = re.findall(r'<div id="(chart-[^"]+)" class="plotly-graph-div"', page)
    assert len(ids) == len(set(ids)) >= 3 * 2 + 10
    assert "chart-department-scores" in ids and "chart-department-budget" in ids
    assert "chart-line-department-D01" in ids
    types = set(re.findall(r'\\?"type\\?":\\?"(\w+)', page[page.index("<main>"):]))
    assert types <= {"bar", "scatter", "pie", "category", "line"}  # traces, axis types and shapes


def test_the_page_is_byte_identical_across_runs(example, page):
    again = compare_files("shifeng-npc", targets_dir=REPO / "targets", actuals_dir=REPO / "actuals",
                          years=(2022, 2024))
    assert render_compare(again) == page


def test_names_from_the_files_are_escaped(tmp_path):
    write_year(tmp_path, 2022, [ind("D01", EVIL, "≥10次")], {"D01": "12次"})
    write_year(tmp_path, 2023, [ind("D01", EVIL, "≥10次")], {"D01": "13次"})
    html = render_compare(compare(tmp_path))
    assert EVIL not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html
    assert '"text":"D01 &lt;script&gt;alert(1)&lt;\\u002fs' in html  # chart titles: plotly entities, "/" escaped


# --- the command -------------------------------------------------------------------------------------------


def test_compare_command_on_the_shipped_example(tmp_path):
    out = tmp_path / "cmp.html"
    args = ["compare", "--dept", "shifeng-npc", "--years", "2022-2024", "--targets-dir", str(REPO / "targets"),
            "--actuals-dir", str(REPO / "actuals"), "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "已生成跨年度比较报告（2022—2024年" in result.output
    data = out.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    text = data.decode("utf-8-sig")
    for label in ("目标多年未调整且持续超额完成", "支出增加而产出持平", "等级变化", "指标取消", "新增指标"):
        assert label in text
    again = runner.invoke(app, args)
    assert again.exit_code == 1 and "文件已存在，未覆盖" in again.output
    forced = runner.invoke(app, [*args, "--force"])
    assert forced.exit_code == 0 and out.read_bytes() == data


def test_compare_command_writes_to_the_default_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_year(tmp_path, 2022, [ind("D01", "培训", "≥10次")], {"D01": "12次"})
    write_year(tmp_path, 2023, [ind("D01", "培训", "≥10次")], {"D01": "12次"})
    result = runner.invoke(app, ["compare", "--dept", "dept"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "reports" / "compare" / "dept-2022-2023.html").is_file()


def test_an_unknown_department_lists_the_available_ones(tmp_path):
    result = runner.invoke(app, ["compare", "--dept", "nobody", "--targets-dir", str(REPO / "targets"),
                                 "--actuals-dir", str(REPO / "actuals"), "-o", str(tmp_path / "x.html")])
    assert result.exit_code == 1
    assert "找不到部门“nobody”的目标文件" in result.output
    assert "可用的部门：" in result.output and "shifeng-npc" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "x.html").exists()


@pytest.mark.parametrize("years, expected", [
    ("abc", "年度范围应写成“2021-2025”（起止年度）或“2023”（单个年度），实际是“abc”"),
    ("22-24", "实际是“22-24”"),
    ("2022,2024", "起止年度之间用“-”连接，如 2022-2024"),
    ("2024-2022", "起始年度 2024 晚于结束年度 2022"),
])
def test_a_malformed_years_option_is_a_usage_error(tmp_path, years, expected):
    out = tmp_path / "x.html"
    result = runner.invoke(app, ["compare", "--dept", "shifeng-npc", "--years", years, "--targets-dir",
                                 str(REPO / "targets"), "--actuals-dir", str(REPO / "actuals"), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "错误：“--years”的值无效：" in result.output and expected in result.output
    assert "用法：" in result.output and "Traceback" not in result.output
    assert not out.exists()


def test_a_years_range_wider_than_the_files_and_a_single_year_still_parse(tmp_path):
    wide = runner.invoke(app, ["compare", "--dept", "shifeng-npc", "--years", "2021-2025", "--targets-dir",
                               str(REPO / "targets"), "--actuals-dir", str(REPO / "actuals"), "-o",
                               str(tmp_path / "wide.html")])
    assert wide.exit_code == 0 and "（2022—2024年" in wide.output
    single = runner.invoke(app, ["compare", "--dept", "shifeng-npc", "--years", "2023", "--targets-dir",
                                 str(REPO / "targets"), "--actuals-dir", str(REPO / "actuals"), "-o",
                                 str(tmp_path / "one.html")])
    assert single.exit_code == 1 and "比较至少需要两个年度" in single.output  # read, then refused by the files


def test_broken_files_exit_1_with_a_message(tmp_path):
    write_year(tmp_path, 2022, [ind("D01", "培训", "≥10次")], {"D01": "12次"})
    write_year(tmp_path, 2023, [ind("D01", "培训", "≥10次")], {"D01": "12次"})
    (tmp_path / "actuals" / "2023" / "dept.yaml").write_text("schema: [\n", encoding="utf-8")
    broken = runner.invoke(app, ["compare", "--dept", "dept", "--targets-dir", str(tmp_path / "targets"),
                                 "--actuals-dir", str(tmp_path / "actuals"), "-o", str(tmp_path / "x.html")])
    assert broken.exit_code == 1 and "YAML 格式错误" in broken.output and "dept.yaml" in broken.output


# --- in a browser ------------------------------------------------------------------------------------------

@pytest.mark.browser
@needs_chromium
def test_the_comparison_draws_every_chart_offline(tmp_path, page):
    path = tmp_path / "compare.html"
    path.write_bytes(codecs.BOM_UTF8 + page.encode("utf-8"))
    with offline_page() as watched:
        tab = watched.page
        tab.goto(path.as_uri())
        tab.wait_for_function("() => Array.from(document.querySelectorAll('.plotly-graph-div'))"
                              ".every(d => d._fullData && d.querySelector('.main-svg'))", timeout=20_000)
        drawn = tab.evaluate("""() => Array.from(document.querySelectorAll('.plotly-graph-div'))
            .map(d => d.querySelectorAll('g.trace').length)""")
        a4 = (210 - 2 * 14) / 25.4 * 96  # the print area between the 14 mm margins, in CSS px
        tab.set_viewport_size({"width": round(a4), "height": 900})
        tab.emulate_media(media="print")
        right = tab.evaluate("""() => Math.max(...Array.from(document.querySelectorAll('table, .plotly-graph-div'))
            .map(e => e.getBoundingClientRect().right))""")
    assert right <= a4 + 0.5
    assert drawn and all(n >= 1 for n in drawn)
    assert watched.errors == [] and watched.blocked == []
    assert all(url.startswith("file://") for url in watched.requests)


# --- tables for working papers, and every department at once --------------------------------------------------


def test_the_flags_also_go_to_compare_xlsx_and_csv(tmp_path):
    import openpyxl

    out = tmp_path / "out" / "compare.html"
    args = ["compare", "--dept", "shifeng-npc", "--years", "2022-2024", "--targets-dir", str(REPO / "targets"),
            "--actuals-dir", str(REPO / "actuals"), "-o", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "compare.xlsx" in result.stdout and "compare.csv" in result.stdout
    csv_text = (tmp_path / "out" / "compare.csv").read_bytes()
    assert csv_text.startswith(codecs.BOM_UTF8)
    lines = csv_text.decode("utf-8-sig").splitlines()
    assert lines[0] == "年度,类型,范围,指标,说明"
    comparison = compare_files("shifeng-npc", targets_dir=REPO / "targets", actuals_dir=REPO / "actuals",
                               years=(2022, 2024))
    assert len(lines) == 1 + len(comparison.flags)
    book = openpyxl.load_workbook(tmp_path / "out" / "compare.xlsx")
    assert book.sheetnames == ["需要关注的变化", "各年概况"]
    rows = list(book["需要关注的变化"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[4]) for r in rows] == [(f.year, f.message) for f in comparison.flags]
    scopes = list(book["各年概况"].iter_rows(min_row=2, values_only=True))
    assert ("部门整体支出", 2023) in {(r[0], r[1]) for r in scopes}
    again = runner.invoke(app, args)  # the page exists: nothing is written, not even the tables
    assert again.exit_code == 1 and "已存在" in again.output


def test_compare_all_shows_every_department_by_year_and_the_grade_moves(tmp_path):
    for slug, results in (("a", {2022: "5次", 2023: "10次"}), ("b", {2022: "10次", 2023: "10次"}),
                          ("c", {2022: None, 2023: "10次"})):
        for year, actual in results.items():
            write_year(tmp_path, year, [ind("D01", "培训", "≥10次")], {"D01": actual} if actual else None, slug=slug)
    (tmp_path / "targets" / "2023" / "broken.yaml").write_text("schema: evaluator.targets/1\nyear: [\n",
                                                                 encoding="utf-8")
    out = tmp_path / "all.html"
    result = runner.invoke(app, ["compare", "--all", str(tmp_path / "targets"), str(tmp_path / "actuals"),
                                 "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "4 个部门，1 个部门等级变化" in result.stdout
    html = out.read_text(encoding="utf-8-sig")
    assert "等级变化的部门" in html and "“差”→“中”" in html and "只有目标" in html and "broken" in html
    from evaluator.analysis.compare_all import compare_all

    cross = compare_all(tmp_path / "targets", tmp_path / "actuals")
    assert cross.years == (2022, 2023)
    by_slug = {d.slug: d for d in cross.departments}
    assert [m.grade for m in by_slug["a"].moves] == ["中"] and by_slug["b"].moves == ()
    assert [y.status if y else None for y in by_slug["c"].years] == ["targets-only", "scored"]
    assert [y.status if y else None for y in by_slug["broken"].years] == [None, "failed"]
    assert "broken.yaml" in by_slug["broken"].years[1].message
    import csv

    with (tmp_path / "all.csv").open(encoding="utf-8-sig", newline="") as handle:
        csv_rows = list(csv.reader(handle))
    assert csv_rows[0] == ["部门代码", "部门", "年度", "状态", "总分", "等级", "预算执行率", "预算执行得分", "说明"]
    assert len(csv_rows) == 1 + 7  # a, b and c in two years each, broken in one
    assert [r[3] for r in csv_rows if r[0] == "broken"] == ["未能评价"]
    import openpyxl

    moves = list(openpyxl.load_workbook(tmp_path / "all.xlsx")["等级变化"].iter_rows(min_row=2, values_only=True))
    assert [(m[0], m[3], m[6]) for m in moves] == [("a", "差", "中")]


@pytest.mark.parametrize(("args", "expected"), [
    (["compare"], "用 --dept 给出一个部门代码，或用 --all"),
    (["compare", "--dept", "x", "--all"], "二者选一"),
    (["compare", "--all", "targets"], "给出两个文件夹"),
    (["compare", "--dept", "x", "targets", "actuals"], "只与 --all 一起给出"),
])
def test_compare_usage_errors(args, expected):
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and expected in result.output


@pytest.mark.parametrize("code", ["../../outside", "targets/2023/shifeng-npc", "..", "C:shifeng"])
def test_a_department_code_that_is_a_path_is_refused_before_anything_is_written(tmp_path, monkeypatch, code):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["compare", "--dept", code, "--targets-dir", str(REPO / "targets"),
                                 "--actuals-dir", str(REPO / "actuals")])
    assert result.exit_code == 2
    assert "不是文件名" in result.stderr and "Traceback" not in result.stderr
    assert not any(tmp_path.rglob("*")) and not (tmp_path.parent / "outside-2022-2024.html").exists()
