"""`evaluator review`: a folder of submitted 自评表 (every published table of tests/data/cases as the official
form) is reviewed in one run; every published score is reproduced or flagged, the working paper has a row for
every finding, and a broken file is listed with its message while the others go on.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import yaml
from cases import CASES as CASE_FOLDER
from cases import TRANSCRIBED
from formbuilders import C, build_xlsx
from selfevalbuilders import case_files, case_layout
from test_cases import CASES as EXPECTED
from typer.testing import CliRunner

from evaluator.analysis.review import review_files
from evaluator.checks.review import review_findings
from evaluator.cli import app
from evaluator.io.load import load_inputs
from evaluator.results.review import UNSUPPORTED_CODES, Review, count_findings
from evaluator.rules import load_rules
from evaluator.scoring import evaluate

runner = CliRunner()
NAMES = sorted(p.name[:2] for p in CASE_FOLDER.glob("*.yaml") if p.name[:2] not in TRANSCRIBED)
REPO = Path(__file__).resolve().parent.parent
CLAIM_CODES = {"claim-above-points", "claim-full-on-missed", "claim-above-rules", "claim-below-rules",
               "claim-pending"}


def load(name: str) -> dict:
    case = yaml.safe_load(next(CASE_FOLDER.glob(f"{name}*.yaml")).read_text(encoding="utf-8"))
    case["name"] = name
    return case


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every case as .xlsx and .docx, in two sub-folders (a bureau's folder of submissions)."""
    root = tmp_path_factory.mktemp("submitted") / "收到的自评表"
    for name in NAMES:
        paths = case_files(load(name), root / ("Excel" if int(name) % 2 else "Word"))
        for suffix in (".xls", ".txt", ".docx" if int(name) % 2 else ".xlsx"):
            paths[suffix].unlink()
    return root


@pytest.fixture(scope="module")
def reviewed(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("review") / "复核"
    result = runner.invoke(app, ["review", str(folder), "-o", str(out)])
    return out, result


def test_review_writes_the_index_the_pages_the_working_paper_and_the_results(reviewed):
    out, result = reviewed
    assert result.exit_code == 0, result.output
    assert "已复核 15 个文件、15 张表" in result.stdout
    assert {p.name for p in out.iterdir()} == {"index.html", "review.xlsx", "results.json", "tables"}
    assert len(list((out / "tables").glob("*.html"))) == 15
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert len(results) == 15 and all(r["schema"] == "evaluator.result/1" for r in results)
    for document in results:
        files = {i["file"] for i in document["inputs"] if i["role"] != "rules"}
        assert len(files) == 1 and next(iter(files)).endswith((".xlsx", ".docx"))
        assert document["warnings"], "the findings are the result's warnings"


def _review(folder: Path, rules: str = "national-2020") -> Review:
    return review_files([folder], rules=rules)


def test_every_published_score_is_reproduced_or_flagged(folder: Path):
    review = _review(folder)
    assert not review.failures and len(review.tables) == 15
    for table in review.tables:
        evaluation = table.evaluation
        flagged = {f.indicator for f in table.findings if f.indicator}
        for row in evaluation.indicators:
            if row.claimed is not None:
                assert row.claimed == row.score or row.id in flagged, (table.file, row.id)
        execution = evaluation.execution
        if execution.claimed is not None and execution.claimed != execution.score:
            assert any(f.subject == "预算执行" and f.code.startswith("execution-") for f in table.findings), table.file
        if table.claimed_total is not None and table.claimed_total != evaluation.total:
            assert any(f.code in ("total-above-rules", "total-below-rules") for f in table.findings), table.file


@pytest.mark.parametrize("expected", [c for c in EXPECTED if c.rules == "national-2020" and not c.points],
                         ids=lambda c: c.name)
def test_the_claims_flagged_are_those_the_published_cases_name(folder: Path, expected):
    """The same verdicts as tests/test_cases.py, now read from the submitted forms instead of transcribed."""
    review = _review(folder)
    (table,) = [t for t in review.tables if Path(t.file).name.startswith(f"{expected.name}-")]
    prefix = "P1-" if table.kind == "project" else "D"
    flagged = {f.indicator for f in table.findings if f.code in CLAIM_CODES}
    assert flagged == {f"{prefix}{i[1:]}" for i in expected.reviewed}, expected.why
    execution = [f for f in table.findings if f.code.startswith("execution-") and f.code != "execution-points"]
    if table.evaluation.execution.claimed is not None and table.evaluation.execution.status == "scored":
        assert bool(execution) == expected.execution_reviewed, expected.why
    if expected.total is not None:
        assert table.evaluation.total == Decimal(expected.total)


def test_a_variant_rule_set_reproduces_the_hubei_tables_budget_line(folder: Path):
    review = _review(folder, "hb-2020")
    for name in ("17", "26", "32"):
        (table,) = [t for t in review.tables if Path(t.file).name.startswith(f"{name}-")]
        assert not any(f.code == "execution-points" for f in table.findings)
    (table,) = [t for t in review.tables if Path(t.file).name.startswith("32-")]
    assert any(f.code == "rate-mismatch" and f.claimed == "0.1" for f in table.findings)


def test_the_working_paper_has_a_row_for_every_finding(reviewed, folder: Path):
    out, _ = reviewed
    book = openpyxl.load_workbook(out / "review.xlsx")
    assert book.sheetnames == ["审计底稿", "各表汇总", "未能读取"]
    sheet = book["审计底稿"]
    header = [c.value for c in sheet[1]]
    assert header[:12] == ["序号", "文件", "工作表/表格", "行", "列", "表格", "类型", "指标编号", "指标", "发现类型",
                           "程度", "发现"]
    rows = [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)]
    review = _review(folder)
    findings = [(t, f) for t in review.ranked for f in t.findings]
    assert len(rows) == len(findings)
    for row, (table, finding) in zip(rows, findings, strict=True):
        assert row["文件"] == finding.location.file == table.file
        assert row["指标编号"] == finding.indicator and row["发现"] == finding.message
        assert row["行"] == (finding.location.row if finding.location.row is not None else finding.location.line)
        if table.file.endswith(".xlsx"):
            assert row["工作表/表格"] == "绩效目标表" and isinstance(row["行"], int)
        elif row["行"] is not None:
            assert row["工作表/表格"] == "第1个表格", row
        else:  # a finding on the file as a whole
            assert finding.code == "form-note", row
        if finding.code in UNSUPPORTED_CODES:
            assert Decimal(str(row["未获支持的分数"])) == finding.unsupported > 0
    summary = list(book["各表汇总"].iter_rows(min_row=2, values_only=True))
    assert [r[2] for r in summary] == [t.name for t in review.ranked]
    unsupported = [Decimal(str(r[8])) for r in summary]
    assert unsupported == sorted(unsupported, reverse=True)


def test_review_ranks_by_unsupported_points(folder: Path):
    review = _review(folder)
    ranked = review.ranked
    assert [t.unsupported for t in ranked] == sorted((t.unsupported for t in ranked), reverse=True)
    top = ranked[0]
    assert Path(top.file).name.startswith("22-")  # its budget row holds the 98 total: 89.65 points unsupported
    assert top.unsupported == sum(f.unsupported for f in top.findings)


def test_same_folder_same_bytes(folder: Path, tmp_path: Path):
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        assert runner.invoke(app, ["review", str(folder), "-o", str(out)]).exit_code == 0
    names = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_existing_outputs_are_not_overwritten(reviewed, folder: Path):
    out, _ = reviewed
    before = (out / "index.html").read_bytes()
    result = runner.invoke(app, ["review", str(folder), "-o", str(out)])
    assert result.exit_code == 1 and "未覆盖" in result.stderr and "--force" in result.stderr
    assert (out / "index.html").read_bytes() == before


# --- bad input: the review goes on ----------------------------------------------------------------------------


def test_broken_files_are_listed_and_the_others_reviewed(tmp_path: Path):
    root = tmp_path / "收到"
    good = case_files(load("06"), root)
    for suffix in (".xls", ".txt", ".docx"):
        good[suffix].unlink()

    def text_score(rows: list[list[C | None]]) -> None:
        rows[2][9] = C("满分")

    (root / "得分是文字.xlsx").write_bytes(build_xlsx([case_layout(load("06"), edit_rows=text_score)]))

    def hide(book: openpyxl.Workbook) -> None:
        book.create_sheet("封面")
        book["绩效目标表"].sheet_state = "hidden"

    (root / "隐藏.xlsx").write_bytes(build_xlsx([case_layout(load("20"))], edit=hide))
    (root / "加密.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le"))
    (root / "旧版.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100))
    (root / "目标表.txt").write_bytes((REPO / "examples" / "forms" / "2023-shifeng-npc-targets.txt").read_bytes())
    (root / "~$锁定.xlsx").write_bytes(b"lock")
    (root / "说明.md").write_text("不是表格", encoding="utf-8")

    def split(rows: list[list[C | None]]) -> None:
        rows[2][8] = C("15")  # 分值 no longer add up to 100: a finding, not a failure

    (root / "分值110.xlsx").write_bytes(build_xlsx([case_layout(load("06"), edit_rows=split)]))
    out = tmp_path / "复核"
    result = runner.invoke(app, ["review", str(root), "-o", str(out)])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "已复核 2 个文件、2 张表" in result.stdout
    assert "以下 5 个文件未能复核" in result.stderr
    messages = result.stderr
    assert "得分是文字.xlsx：工作表“绩效目标表” 第16行 J（得分）列" in messages and "实际是“满分”" in messages
    assert "隐藏.xlsx" in messages and "工作表“绩效目标表”是隐藏的" in messages
    assert "加密.xlsx" in messages and "打开密码" in messages
    assert "旧版.doc" in messages and "旧版 Word" in messages
    assert "目标表.txt" in messages and "没有找到填好的自评表" in messages
    assert "锁定" not in messages and "说明.md" not in messages
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.count("<code>") >= 5 and "得分是文字.xlsx" in index
    book = openpyxl.load_workbook(out / "review.xlsx")
    failed = list(book["未能读取"].iter_rows(min_row=2, values_only=True))
    assert len(failed) == 5
    (table,) = [t for t in review_files([root / "分值110.xlsx"]).tables]
    found = [f for f in table.findings if f.code == "points-not-100"]
    assert len(found) == 1 and found[0].location.row is not None and found[0].location.sheet == "绩效目标表"
    assert "各项分值合计105分" in found[0].message


def test_nothing_to_review(tmp_path: Path):
    result = runner.invoke(app, ["review", str(tmp_path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and "没有可复核的文件" in result.stderr
    result = runner.invoke(app, ["review", str(tmp_path / "无"), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1 and "不存在" in result.stderr


# --- the library function batch can call ------------------------------------------------------------------------


def test_review_findings_on_a_yaml_department():
    """The department whose check lists 14 errors: its shortfalls and low execution without reason."""
    rules = load_rules("national-2020")
    targets, actuals = load_inputs(REPO / "targets/2023/dept-0002.yaml", REPO / "actuals/2023/dept-0002.yaml")
    result = evaluate(targets, actuals, rules)
    findings = review_findings(result, targets, actuals, rules)
    counts = count_findings(findings)
    assert counts.unexplained_shortfalls == 11 and counts.low_execution_unexplained == 3
    assert counts.errors == 14
    shortfall = next(f for f in findings if f.code == "shortfall-without-reason")
    assert shortfall.location.file.endswith("actuals/2023/dept-0002.yaml") and shortfall.location.line
    assert shortfall.rule.startswith("财预〔2020〕10号")
    low = [f for f in findings if f.code == "low-execution-without-reason"]
    assert {f.scope_id for f in low} >= {None}
    assert all("低于90%" in f.message for f in low)


def test_review_findings_on_the_shipped_example_name_the_unsupported_claims():
    rules = load_rules("national-2020")
    targets, actuals = load_inputs(REPO / "targets/2023/shifeng-npc.yaml", REPO / "actuals/2023/shifeng-npc.yaml")
    result = evaluate(targets, actuals, rules)
    findings = review_findings(result, targets, actuals, rules)
    claims = [f for f in findings if f.unsupported > 0]
    assert claims and all(isinstance(f.claimed, Decimal) and f.claimed > f.recomputed for f in claims)
    vague = next(f for f in findings if f.code == "vague-target")
    assert vague.location.file.endswith("targets/2023/shifeng-npc.yaml") and vague.location.line


def test_a_file_with_a_department_table_and_project_tables_gives_one_page_per_table(tmp_path: Path):
    from formbuilders import build_docx

    department, first, second = case_layout(load("44")), case_layout(load("20")), case_layout(load("16"))
    for layout in (first, second):
        layout.head[0] = C("（2022年度）", layout.head[0].span)
    folder = tmp_path / "收到"
    folder.mkdir()
    (folder / "林业局.docx").write_bytes(build_docx([department, first, second]))
    out = tmp_path / "复核"
    result = runner.invoke(app, ["review", str(folder), "-o", str(out)])
    assert result.exit_code == 0, result.output
    pages = sorted(p.name for p in (out / "tables").iterdir())
    assert pages == ["001-林业局-P1.html", "001-林业局-P2.html", "001-林业局-部门整体.html"]
    (document,) = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert [e["scope"] for e in document["evaluations"]] == ["department", "project", "project"]
    review = review_files([folder])
    assert {t.kind for t in review.tables} == {"department", "project"}
    (p2,) = [t for t in review.tables if t.key.endswith("-P2")]
    assert {f.location.key for f in p2.findings if f.indicator} == {"第3个表格"}
