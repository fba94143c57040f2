"""The PDF report, printed by Debian's chromium: every indicator in its text, A4 pages, header and page numbers.

Needs /usr/bin/chromium and poppler-utils (pdftotext, pdfinfo, pdfimages); skipped without them, except
under CI, where they are installed and a missing one fails the test.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from browser import needs_chromium
from conftest import EXAMPLE_ACTUALS, EXAMPLE_TARGETS
from documents import hostile_actuals, hostile_targets, needs_poppler, squeeze
from typer.testing import CliRunner

from evaluator import evaluate_files
from evaluator.cli import app

pytestmark = [pytest.mark.browser, needs_chromium, needs_poppler]
runner = CliRunner()
A4 = (595.28, 841.89)  # points


def pdf_text(path: Path, *, first: int | None = None, last: int | None = None) -> str:
    """The text in the order the page wrote it (-raw): a table cell's lines stay together."""
    command = ["pdftotext", "-enc", "UTF-8", "-raw"]
    command += ["-f", str(first)] if first else []
    command += ["-l", str(last)] if last else []
    return subprocess.run([*command, str(path), "-"], capture_output=True, text=True, check=True).stdout


def page_sizes(path: Path) -> list[tuple[float, float]]:
    info = subprocess.run(["pdfinfo", "-f", "1", "-l", "9999", str(path)], capture_output=True, text=True,
                          check=True).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)]


@pytest.fixture(scope="module")
def example_pdf(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pdf") / "自评报告.pdf"
    result = runner.invoke(app, ["report", str(EXAMPLE_TARGETS), str(EXAMPLE_ACTUALS), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_the_pdf_contains_every_indicator_and_score(example_pdf):
    text = squeeze(pdf_text(example_pdf))
    result = evaluate_files(EXAMPLE_TARGETS, EXAMPLE_ACTUALS)
    for evaluation in result.evaluations:
        assert squeeze(f"{evaluation.name}绩效自评表") in text
        for item in evaluation.indicators:
            assert item.id in text and squeeze(item.name) in text, item.id
            assert squeeze(item.explanation) in text, item.id
    for label in ("其中：当年财政拨款", "上年结转资金", "其他资金", "六、评分规则与数据来源"):
        assert label in text


def test_no_page_is_wider_than_a4(example_pdf):
    sizes = page_sizes(example_pdf)
    assert len(sizes) >= 5
    assert all(w <= A4[0] + 0.5 and h <= A4[1] + 0.5 for w, h in sizes), sizes


def test_every_page_has_the_department_and_its_number(example_pdf):
    pages = len(page_sizes(example_pdf))
    for page in (1, pages):
        text = squeeze(pdf_text(example_pdf, first=page, last=page))
        assert text.startswith("株洲市石峰区人民代表大会常务委员会2023年度预算绩效自评报告")  # the page header
        assert f"第{page}页，共{pages}页" in text


def test_every_chart_is_an_image_inside_the_page(example_pdf):
    listing = subprocess.run(["pdfimages", "-list", str(example_pdf)], capture_output=True, text=True,
                             check=True).stdout.splitlines()[2:]
    images = [line.split() for line in listing if line.strip()]
    assert len([i for i in images if i[2] == "image"]) == 15  # 3 scopes × 5 charts, none empty
    # an image placed wider than the page would have fewer pixels per inch than its 150 dpi / (182 mm / 175 mm)
    assert all(float(i[12]) >= 140 for i in images if i[2] == "image")


def test_hostile_names_print_as_text(tmp_path):
    (tmp_path / "t.yaml").write_text(hostile_targets(), encoding="utf-8")
    (tmp_path / "a.yaml").write_text(hostile_actuals(), encoding="utf-8")
    out = tmp_path / "r.pdf"
    result = runner.invoke(app, ["report", str(tmp_path / "t.yaml"), str(tmp_path / "a.yaml"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = squeeze(pdf_text(out))
    for written in ("<script>alert(1)</script>指标1", "=SUM(A1:A9)", "满意度&<b>", "=1+1部门职责",
                    "<imgsrc=xonerror=alert(1)>"):
        assert squeeze(written) in text, written
    assert pdf_text(out, first=1, last=1).startswith("<script>alert('部门')</script>测试局")  # the header, as text
    assert all(w <= A4[0] + 0.5 for w, _ in page_sizes(out))
