"""Filled 自评表: every published table of tests/data/cases, written as the official form in .xlsx, .docx and
Word's text export, reads back to the published data; `evaluator import` turns it into targets and actuals
that every other command accepts; bad tables get a message naming the file, sheet and row.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import hypothesis.strategies as st
import openpyxl
import pytest
import yaml
from cases import CASES as CASE_FOLDER
from cases import TRANSCRIBED
from formbuilders import C, build_docx, build_xlsx
from hypothesis import given, settings
from selfevalbuilders import case_files, case_layout, goal_text
from typer.testing import CliRunner

from evaluator.cli import app
from evaluator.errors import InputErrors
from evaluator.forms.selfeval import SelfEvaluationErrors, read_self_evaluation
from evaluator.io.dump import dump_actuals, dump_targets
from evaluator.io.load import load_actuals, load_inputs, load_targets
from evaluator.model import Actuals, BudgetActual, IndicatorActual, ProjectActual, Summary

runner = CliRunner()
NAMES = sorted(p.name[:2] for p in CASE_FOLDER.glob("*.yaml") if p.name[:2] not in TRANSCRIBED)
SUFFIXES = (".xlsx", ".xls", ".docx", ".txt")


def load(name: str) -> dict[str, Any]:
    case = yaml.safe_load(next(CASE_FOLDER.glob(f"{name}*.yaml")).read_text(encoding="utf-8"))
    case["name"] = name
    return case


def _decimal(text: Any) -> Decimal | None:
    if text is None:
        return None
    return Decimal(re.sub(r"(万元|万|元|%)$", "", str(text)))


def _level(text: str | None) -> str:
    return re.sub(r"[(（]\d+(?:\.\d+)?分?[)）]", "", text or "")


@pytest.mark.parametrize("suffix", SUFFIXES)
@pytest.mark.parametrize("name", NAMES)
def test_every_published_table_reads_back_from_its_official_form(tmp_path: Path, name: str, suffix: str):
    case = load(name)
    path = case_files(case, tmp_path)[suffix]
    evaluation = read_self_evaluation(path)
    assert evaluation is not None
    assert [p for p in evaluation.findings if p.severity.value == "error"] == []
    (table,) = evaluation.tables
    assert table.year == case["year"]
    assert table.kind == case["kind"]
    assert table.department == case["department"]
    if case["kind"] == "project":
        assert table.labels["project"] == case["project"]
    budget = case["budget"]
    if any(budget.get(k) is not None for k in ("adjusted", "points", "rate_published")):
        total = table.budget_total
        assert total is not None and total.label == "年度资金总额"
        assert total.initial == _decimal(budget["initial"])
        assert total.adjusted == _decimal(budget["adjusted"])
        assert total.executed == _decimal(budget["executed"])
        assert total.points == _decimal(budget["points"])
        assert total.score == _decimal(budget["score_published"])
        if suffix == ".xls":  # python-calamine gives the number without its % format
            published = budget["rate_published"]
            value = _decimal(published) if published else None
            if value is not None and (published.endswith("%") or value > Decimal("1.5")):
                value /= 100  # “79.27” is a percentage, “0.1” and “1” are fractions
            assert total.rate == value
        else:
            assert total.rate_text == (budget["rate_published"] or "")
        assert table.money_unit == (budget.get("unit") or "万元")
        # the 其中 rows: the first holds the money, empty ones are dropped
        parts = [(p.initial, p.adjusted, p.executed) for p in table.breakdown]
        money = (total.initial, total.adjusted, total.executed)
        assert parts == ([money] if any(m is not None for m in money) else [])
    else:
        assert table.budget == []
    goal, done = goal_text(case)
    assert (table.goal, table.done) == (goal, done)
    assert len(table.indicators) == len(case["indicators"])
    for read, published in zip(table.indicators, case["indicators"], strict=True):
        assert read.level1 == _level(published["level1"])
        assert read.level2 == _level(published["level2"])
        assert read.name == (published["name"] or "")
        target = published["target"] or ""
        if published.get("unit") and re.search(r"\d$", target):
            target += published["unit"]  # Chongqing: the 计量单位 column belongs to the value
        assert read.full_target == target
        assert read.actual == (published["actual"] or "")
        assert read.points == _decimal(published["points"])
        assert read.score == _decimal(published["score_published"])
        assert read.reason == (published["deviation_note"] or "")
        if published.get("unit") and read.actual:
            assert read.unit == published["unit"]
        if published.get("scoring_rule"):
            assert read.rule == published["scoring_rule"]
    assert table.total_score == _decimal(case["total_published"])
    assert table.grade == case["grade_published"]


def test_the_points_a_level1_label_carries_are_kept_and_checked(tmp_path: Path):
    evaluation = read_self_evaluation(case_files(load("34"), tmp_path)[".xlsx"])
    assert evaluation is not None
    (table,) = evaluation.tables
    points, where = table.group_points[("level1", "产出指标")]
    assert points == 50 and where.sheet and where.row
    assert not any(p.code == "group-points" for p in evaluation.findings)  # 10+10+10+10+5+5 = 50

    def halve(rows: list[list[C | None]]) -> None:
        rows[0][6] = C("5")

    data = build_xlsx([case_layout(load("34"), edit_rows=halve)])
    path = tmp_path / "34-bad.xlsx"
    path.write_bytes(data)
    evaluation = read_self_evaluation(path)
    assert evaluation is not None
    found = [p for p in evaluation.findings if p.code == "group-points"]
    assert len(found) == 1 and "标明50分，其下各指标分值合计45分" in found[0].message
    assert found[0].location.row is not None


def test_imported_targets_and_actuals_hold_the_claims(tmp_path: Path):
    evaluation = read_self_evaluation(case_files(load("06"), tmp_path)[".docx"])
    assert evaluation is not None
    targets, actuals = evaluation.targets, evaluation.actuals
    assert targets.indicators == () and [p.id for p in targets.projects] == ["P1"]
    project = targets.projects[0]
    assert project.name == "义务教育营养改善计划专项资金" and project.amount == Decimal("387664.62")
    assert targets.money_unit == "元"
    assert [i.target for i in project.indicators][:4] == ["≧735人次", "≧100%", "≧100%", "═100%"]
    fund = actuals.projects["P1"]
    assert fund.budget == BudgetActual(adjusted=Decimal("387664.62"), executed=Decimal("387664.62"),
                                       claimed=Decimal("10"))
    assert fund.claimed_total == 96
    assert fund.indicators["P1-03"].claimed == 7 and fund.indicators["P1-01"].actual == "735人次"
    where = evaluation.locations["P1-03"]  # Word: the table and its row
    assert where.key == "第1个表格" and where.row == 13 and where.sheet is None


@pytest.mark.parametrize("name", NAMES)
def test_the_written_files_load_back_to_the_same_data(tmp_path: Path, name: str):
    evaluation = read_self_evaluation(case_files(load(name), tmp_path)[".xlsx"])
    assert evaluation is not None
    targets_path, actuals_path = tmp_path / "t.yaml", tmp_path / "a.yaml"
    targets_path.write_text(dump_targets(evaluation.targets), encoding="utf-8")
    actuals_path.write_text(dump_actuals(evaluation.actuals), encoding="utf-8")
    targets, actuals = load_inputs(targets_path, actuals_path)
    assert _plain_targets(targets) == _plain_targets(evaluation.targets)
    assert _plain_actuals(actuals) == _plain_actuals(evaluation.actuals)


def _plain_targets(targets) -> object:
    from dataclasses import replace

    strip = [replace(i, line=None) for i in targets.indicators]
    projects = [replace(p, line=None, indicators=tuple(replace(i, line=None) for i in p.indicators))
                for p in targets.projects]
    return replace(targets, source=None, sha256=None, indicators=tuple(strip), projects=tuple(projects))


def _plain_actuals(actuals: Actuals) -> object:
    from dataclasses import replace

    def entries(values):
        return {k: replace(v, line=None, sheet=None) for k, v in values.items()}

    def budget(b):
        return replace(b, line=None, sheet=None) if b is not None else None

    projects = {k: replace(p, line=None, budget=budget(p.budget), indicators=entries(p.indicators))
                for k, p in actuals.projects.items()}
    return replace(actuals, source=None, sha256=None, key_lines={}, budget=budget(actuals.budget),
                   indicators=entries(actuals.indicators), projects=projects)


def test_a_department_table_and_its_project_tables_in_one_file(tmp_path: Path):
    department = case_layout(load("44"))
    projects = [case_layout(load("20")), case_layout(load("16"))]
    for layout in projects:  # the same year as the department's table
        layout.head[0] = C("（2022年度）", layout.head[0].span)
    path = tmp_path / "梁平林业局.docx"
    path.write_bytes(build_docx([department, *projects]))
    evaluation = read_self_evaluation(path)
    assert evaluation is not None
    assert [key for key, _ in evaluation.scopes] == [None, "P1", "P2"]
    targets = evaluation.targets
    assert targets.department == "重庆市梁平区林业局"
    assert len(targets.indicators) == 6 and [p.name for p in targets.projects] == [
        "2023年马鹿坑国有林场新建野生动物收容所建设项目", "2020年省级自然资源卫片执法补助经费"]
    assert evaluation.actuals.claimed_total == Decimal("97.93")
    assert evaluation.actuals.projects["P1"].budget.claimed == 9  # type: ignore[union-attr]
    assert evaluation.locations["P2-01"].key == "第3个表格"


def test_import_writes_the_tree_that_batch_and_compare_read(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = case_files(load("20"), tmp_path / "收到")[".xlsx"]
    result = runner.invoke(app, ["import", str(path), "-o", "导入/"])
    assert result.exit_code == 0, result.output
    targets, actuals = Path("导入/targets/2023/20-2023.yaml"), Path("导入/actuals/2023/20-2023.yaml")
    assert "已导入自评表" in result.stdout and targets.as_posix() in result.stdout
    loaded = load_actuals(actuals)
    assert loaded.projects["P1"].budget.claimed == 9  # type: ignore[union-attr]
    assert loaded.projects["P1"].indicators["P1-03"].reason is None  # “无” is no reason
    scored = runner.invoke(app, ["score", str(targets), str(actuals), "--json"])
    assert scored.exit_code == 0, scored.output
    again = runner.invoke(app, ["import", str(path), "-o", "导入/"])
    assert again.exit_code == 1 and "已存在" in again.stderr
    assert runner.invoke(app, ["import", str(path), "-o", "导入/", "--force"]).exit_code == 0
    batch = runner.invoke(app, ["batch", "导入/targets/2023", "导入/actuals/2023", "-o", "报告/"])
    assert batch.exit_code == 0, batch.output


def test_import_of_a_table_wants_a_folder(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    path = case_files(load("20"), tmp_path)[".xlsx"]
    result = runner.invoke(app, ["import", str(path), "-o", "out.yaml"])
    assert result.exit_code == 1
    assert "-o 应为文件夹" in result.stderr and "Traceback" not in result.output


def test_target_forms_still_import_as_before(tmp_path: Path):
    from formbuilders import SEED

    out = tmp_path / "t.yaml"
    result = runner.invoke(app, ["import", str(SEED), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert load_targets(out).department == "株洲市石峰区人民代表大会常务委员会"


# --- bad input --------------------------------------------------------------------------------------------


def _xlsx(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_text_in_score_cells_names_every_cell(tmp_path: Path):
    def text_scores(rows: list[list[C | None]]) -> None:
        rows[1][8] = C("满分")
        rows[4][9] = C("较好")

    path = _xlsx(tmp_path, "06-text.xlsx", build_xlsx([case_layout(load("06"), numbers=True, edit_rows=text_scores)]))
    # case 06 has 11 columns: label, levels, name, 指标性质, 指标值, 度量单位, 实际完成值, 分值(8), 得分(9)
    with pytest.raises(SelfEvaluationErrors) as caught:
        read_self_evaluation(path)
    problems = caught.value.problems
    assert len(problems) == 2
    first = problems[0]
    assert first.location.file.endswith("06-text.xlsx") and first.location.sheet == "绩效目标表"
    assert first.location.row is not None and first.location.column == "I（分值）"
    assert "营养改善计划覆盖率" in first.message and "“分值”应为数字，实际是“满分”" in first.message
    assert problems[1].location.column == "J（得分）" and "实际是“较好”" in problems[1].message


def test_text_in_a_score_cell(tmp_path: Path):
    def text_score(rows: list[list[C | None]]) -> None:
        rows[2][9] = C("满分")

    path = _xlsx(tmp_path, "06-score.xlsx", build_xlsx([case_layout(load("06"), numbers=True, edit_rows=text_score)]))
    with pytest.raises(SelfEvaluationErrors) as caught:
        read_self_evaluation(path)
    (problem,) = caught.value.problems
    text = str(problem)
    assert "06-score.xlsx" in text and "工作表“绩效目标表”" in text and "第" in text and "J（得分）列" in text
    assert "资金到位及时率" in text and "“得分”应为数字，实际是“满分”" in text


def test_points_that_do_not_add_up_to_100_are_a_finding_not_a_failure(tmp_path: Path):
    def more_points(rows: list[list[C | None]]) -> None:
        rows[0][8] = C("20")

    path = _xlsx(tmp_path, "06-110.xlsx", build_xlsx([case_layout(load("06"), edit_rows=more_points)]))
    evaluation = read_self_evaluation(path)
    assert evaluation is not None
    found = {p.code: p for p in evaluation.findings}
    assert "各项分值合计110分（预算执行10分＋各指标100分），应为100分" in found["points-not-100"].message
    assert "总分一行的分值为100分，各项分值之和为110分" in found["total-points"].message
    where = found["points-not-100"].location
    assert where.file.endswith("06-110.xlsx") and where.sheet == "绩效目标表" and where.row is not None


def test_rows_split_over_pages_with_the_header_repeated(tmp_path: Path):
    case = load("04")
    layout = case_layout(case)
    header_at = next(i for i, row in enumerate(layout.grid) if row[0] is not None and row[0].text == "绩效指标")
    header = [C(c.text, c.span) if c is not None else None for c in layout.grid[header_at]]
    page_break = header_at + 13
    layout.grid.insert(page_break, [C("")] + header[1:])
    layout.grid.insert(page_break, [C(layout.title, layout.width)])
    for suffix, data in ((".xlsx", build_xlsx([layout])), (".docx", build_docx([layout]))):
        path = _xlsx(tmp_path, f"04-pages{suffix}", data)
        evaluation = read_self_evaluation(path)
        assert evaluation is not None, suffix
        (table,) = evaluation.tables
        assert len(table.indicators) == 25
        assert [i.name for i in table.indicators][11:13] == ["指标12:孕产妇7天访视数", "指标13:孕产妇42天访视数"]
        (note,) = [p for p in evaluation.findings if p.code == "repeated-header"]
        assert "重复出现2次" in note.message and note.severity.value == "info"


def test_a_table_on_a_hidden_sheet_is_named_and_not_read(tmp_path: Path):
    def hide(book: openpyxl.Workbook) -> None:
        book.create_sheet("说明").cell(1, 1).value = "本文件为2022年度自评表"
        book["绩效目标表"].sheet_state = "hidden"

    path = _xlsx(tmp_path, "hidden.xlsx", build_xlsx([case_layout(load("06"), numbers=True)], edit=hide))
    with pytest.raises(SelfEvaluationErrors) as caught:
        read_self_evaluation(path)
    (problem,) = caught.value.problems
    assert "工作表“绩效目标表”是隐藏的" in problem.message and problem.location.sheet == "绩效目标表"
    assert "取消隐藏" in problem.hint

    def hide_copy(book: openpyxl.Workbook) -> None:
        copy = book.copy_worksheet(book["绩效目标表"])
        copy.title = "旧版"
        copy.sheet_state = "hidden"

    path = _xlsx(tmp_path, "hidden-copy.xlsx", build_xlsx([case_layout(load("06"), numbers=True)], edit=hide_copy))
    evaluation = read_self_evaluation(path)
    assert evaluation is not None and len(evaluation.scopes) == 1
    (warning,) = [p for p in evaluation.findings if p.code == "hidden-sheet"]
    assert "工作表“旧版”是隐藏的" in warning.message and warning.severity.value == "warning"


def test_password_protected_and_old_word_files_are_refused_with_advice(tmp_path: Path):
    locked = tmp_path / "加密.xlsx"
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le") + b"\0" * 64)
    with pytest.raises(InputErrors) as caught:
        read_self_evaluation(locked)
    assert "打开密码" in str(caught.value) and "加密.xlsx" in str(caught.value)
    doc = tmp_path / "自评表.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)
    with pytest.raises(InputErrors) as caught:
        read_self_evaluation(doc)
    assert "旧版 Word" in str(caught.value) and ".docx" in caught.value.problems[0].hint


# --- the actuals writer -------------------------------------------------------------------------------------

_text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12).filter(
    lambda t: t.strip() == t)
_money = st.decimals(min_value=0, max_value=10**6, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def _actuals(draw: st.DrawFn) -> Actuals:
    def entry(ident: str) -> IndicatorActual:
        return IndicatorActual(id=ident, actual=draw(st.none() | _text), claimed=draw(st.none() | _money),
                               reason=draw(st.none() | _text))

    budget = draw(st.none() | st.builds(BudgetActual, initial=st.none() | _money, adjusted=st.none() | _money,
                                        executed=st.none() | _money, claimed=st.none() | _money))
    count = draw(st.integers(0, 3))
    projects = {f"P{n}": ProjectActual(id=f"P{n}", budget=budget, claimed_total=draw(st.none() | _money),
                                       overview=draw(st.none() | _text),
                                       indicators={f"P{n}-01": entry(f"P{n}-01")}) for n in range(1, count + 1)}
    return Actuals(year=2023, department=draw(_text), budget=budget,
                   indicators={f"D0{n}": entry(f"D0{n}") for n in range(1, draw(st.integers(0, 3)) + 1)},
                   projects=projects, claimed_total=draw(st.none() | _money),
                   summary=Summary(overview=draw(st.none() | _text)))


@settings(max_examples=60, deadline=None)
@given(_actuals())
def test_dump_actuals_loads_back_to_the_same_actuals(tmp_path_factory, actuals: Actuals):
    path = tmp_path_factory.mktemp("dump") / "a.yaml"
    path.write_text(dump_actuals(actuals), encoding="utf-8")
    assert _plain_actuals(load_actuals(path)) == _plain_actuals(actuals)


def test_a_header_over_two_rows_and_a_stamped_reporter(tmp_path: Path):
    """指标值 merged over 年度指标值 | 实际完成值 on the row below; “填报单位（盖章）：” names the department."""
    case = load("20")
    layout = case_layout(case)
    at = next(i for i, row in enumerate(layout.grid) if row[0] is not None and row[0].text == "绩效指标")
    layout.grid[at] = [C("绩效指标"), C("一级指标"), C("二级指标"), C("三级指标"), C("指标值", 2), C("分值"), C("得分"),
                       C("偏差原因分析及改进措施")]
    layout.grid.insert(at + 1, [None, None, None, None, C("年度指标值"), C("实际完成值"), None, None, None])
    layout.grid[1] = [C("主管部门"), C("", 3), C("实施单位", 2), C("", 3)]
    layout.grid.insert(0, [C("填报单位（盖章）：临沧市临翔区林业和草原局", 9)])
    for suffix, data in ((".xlsx", build_xlsx([layout])), (".docx", build_docx([layout]))):
        path = tmp_path / f"two-rows{suffix}"
        path.write_bytes(data)
        evaluation = read_self_evaluation(path)
        assert evaluation is not None
        (table,) = evaluation.tables
        assert [(i.target, i.actual) for i in table.indicators][:2] == [("≥200平方米", "204.46平方米"),
                                                                         ("≥120米", "121.5米")]
        assert table.department == "临沧市临翔区林业和草原局"
        assert not [p for p in evaluation.findings if p.code in ("no-actual-column", "no-target-column", "no-name")]


def test_untitled_tables_one_per_sheet(tmp_path: Path):
    first, second = case_layout(load("20"), numbers=True), case_layout(load("16"), numbers=True)
    for layout in (first, second):
        layout.marker, layout.title = "", ""  # no title: each sheet opens with 项目名称
        layout.head[0] = C("（2023年度）", layout.head[0].span)
    path = tmp_path / "two-sheets.xlsx"
    path.write_bytes(build_xlsx([first, second], one_sheet=False))
    evaluation = read_self_evaluation(path)
    assert evaluation is not None
    assert [(key, table.labels["project"], table.where.sheet) for key, table in evaluation.scopes] == [
        ("P1", "2023年马鹿坑国有林场新建野生动物收容所建设项目", "绩效目标表"),
        ("P2", "2020年省级自然资源卫片执法补助经费", "-1")]
    assert [len(t.indicators) for _, t in evaluation.scopes] == [7, 5]


def test_a_department_budget_with_two_groups_of_parts_and_an_unsaved_formula(tmp_path: Path):
    layout = case_layout(load("44"), numbers=True)
    at = next(i for i, row in enumerate(layout.grid) if row[1] is not None and row[1].text == "年度资金总额")
    last = layout.width - 7
    money = [("年度资金总额", 100, 100, 95), ("其中：财政拨款", 90, 90, 85), ("其他资金", 10, 10, 10),
             ("其中：基本支出", 60, 60, 58), ("项目支出", 40, 40, 30)]
    rows = [[None, C(label), C(a), C(b), C(c), C(10 if n == 0 else "—"), C("95%" if n == 0 else ""),
             C(9.5 if n == 0 else "—", last)] for n, (label, a, b, c) in enumerate(money)]
    layout.grid[at:at + 4] = rows

    def formula(book: openpyxl.Workbook) -> None:
        sheet = book.active
        for row in sheet.iter_rows():
            if row[1].value == "天然林和公益林管护当期任务完成率":
                row[7].value = "=10*1"

    path = tmp_path / "dept.xlsx"
    path.write_bytes(build_xlsx([layout], edit=formula))
    evaluation = read_self_evaluation(path)
    assert evaluation is not None
    (table,) = evaluation.tables
    assert [len(g) for g in table.breakdown_groups] == [2, 2]
    (parts,) = [p for p in evaluation.findings if p.code == "budget-parts"]
    assert "（基本支出、项目支出）的全年执行数之和 88，与年度资金总额的全年执行数 95 不一致（相差 7）" in parts.message
    (unsaved,) = [p for p in evaluation.findings if p.code == "formula-without-result"]
    assert "“=10*1”" in unsaved.message and "天然林和公益林管护当期任务完成率" in unsaved.message
    assert unsaved.location.column == "H（指标得分）"
    assert evaluation.actuals.budget.executed == 95  # type: ignore[union-attr]


# --- property: whatever a table holds, it reads back ------------------------------------------------------------

_WORDS = "培训人数完成率合格群众满意道路建设维护宣传活动覆盖检查受益户村资料报告次及时验收"
_name = st.text(st.sampled_from(_WORDS), min_size=2, max_size=12)
_score = st.decimals(min_value=0, max_value=30, places=1, allow_nan=False, allow_infinity=False)


@st.composite
def _table(draw: st.DrawFn) -> dict[str, Any]:
    rows = []
    for _ in range(draw(st.integers(1, 8))):
        target = draw(st.integers(1, 5000))
        unit = draw(st.sampled_from(["人", "次", "%", "个", ""]))
        points = draw(_score)
        rows.append({
            "level1": draw(st.sampled_from(["产出指标", "效益指标", "满意度指标"])),
            "level2": draw(st.sampled_from(["数量指标", "质量指标", "社会效益指标"])),
            "name": draw(_name), "target": f"≥{target}{unit}",
            "actual": draw(st.sampled_from(["", f"{draw(st.integers(0, 6000))}{unit}", "达成预期指标"])),
            "points": f"{points}", "score_published": draw(st.none() | _score.map(str)),
            "deviation_note": draw(st.none() | _name),
        })
    budget = {"initial": None, "adjusted": f"{draw(st.integers(1, 10**6))}.{draw(st.integers(10, 99))}",
              "executed": f"{draw(st.integers(0, 10**6))}", "points": "10", "rate_published": None,
              "score_published": draw(st.none() | _score.map(str))}
    return {"name": "99", "kind": "project", "year": draw(st.integers(2015, 2030)), "department": draw(_name),
            "project": draw(_name), "budget": budget, "indicators": rows, "total_published": None,
            "grade_published": None, "complete": True}


@settings(max_examples=30, deadline=None)
@given(_table(), st.sampled_from([".xlsx", ".docx", ".txt"]))
def test_any_filled_table_reads_back(tmp_path_factory, case: dict[str, Any], suffix: str):
    path = case_files(case, tmp_path_factory.mktemp("any"))[suffix]
    evaluation = read_self_evaluation(path)
    assert evaluation is not None
    (table,) = evaluation.tables
    assert (table.year, table.department, table.labels["project"]) == (case["year"], case["department"],
                                                                      case["project"])
    assert table.budget_total.adjusted == Decimal(case["budget"]["adjusted"])  # type: ignore[union-attr]
    read = [(r.level1, r.level2, r.name, r.full_target, r.actual, r.points, r.score, r.reason or None)
            for r in table.indicators]
    expected = [(r["level1"], r["level2"], r["name"], r["target"], r["actual"], Decimal(r["points"]),
                 _decimal(r["score_published"]), r["deviation_note"]) for r in case["indicators"]]
    assert read == expected
