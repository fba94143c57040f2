"""LibreOffice opens what evaluator writes: the Word report, the Word 自评表 and the entry workbook convert headless.

A file LibreOffice cannot read fails to convert (headless there is no repair dialog to click away):
each converts to PDF with exit code 0, the PDF has the text it should, and the entry workbook saved
back by LibreOffice as .xlsx keeps its sheets, its 分值 and its data validations. Skipped without
soffice, except under CI (where .ci/run installs it).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import openpyxl
import pytest
from conftest import EXAMPLE_ACTUALS, EXAMPLE_TARGETS
from documents import SOFFICE, needs_poppler, needs_soffice, squeeze

from evaluator.io.load import load_inputs, load_targets
from evaluator.report.docx import render_docx
from evaluator.rules import load_rules
from evaluator.scoring import evaluate
from evaluator.workbook.entry import build_entry_workbook
from evaluator.workbook.export_docx import build_self_evaluation_docx

pytestmark = [needs_soffice, needs_poppler]


def soffice(folder: Path, target: str, *files: Path) -> subprocess.CompletedProcess:
    """Convert ``files`` with one headless LibreOffice, in a profile of its own (no user settings, no prompts)."""
    command = [SOFFICE or "soffice", "--headless", "--norestore", "--nolockcheck",
               f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--convert-to", target,
               "--outdir", str(folder / "out"), *map(str, files)]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    folder = tmp_path_factory.mktemp("libreoffice")
    targets, actuals = load_inputs(EXAMPLE_TARGETS, EXAMPLE_ACTUALS)
    rules = load_rules("national-2020")
    result = evaluate(targets, actuals, rules)
    files = {
        "report": folder / "report.docx",
        "form": folder / "form.docx",
        "entry": folder / "entry.xlsx",
    }
    files["report"].write_bytes(render_docx(result, targets, actuals, rules=rules))
    files["form"].write_bytes(build_self_evaluation_docx(result, targets, actuals))
    files["entry"].write_bytes(build_entry_workbook(load_targets(EXAMPLE_TARGETS)))
    done = soffice(folder, "pdf", *files.values())
    return folder, files, done, result


def test_every_document_converts_to_pdf_without_errors(converted):
    folder, files, done, _ = converted
    assert done.returncode == 0, done.stderr
    assert "Error" not in done.stdout and "error" not in done.stderr.lower().replace("javaldx", ""), done.stderr
    for path in files.values():
        pdf = folder / "out" / f"{path.stem}.pdf"
        assert pdf.is_file() and pdf.stat().st_size > 1000, path.name


def test_the_converted_word_documents_have_every_indicator(converted):
    folder, _, _, result = converted
    report, form = (squeeze(pdf_text(folder / "out" / name)) for name in ("report.pdf", "form.pdf"))
    for evaluation in result.evaluations:
        for item in evaluation.indicators:
            assert squeeze(item.name) in form, item.id
            assert squeeze(f"{item.id}{item.name}") in report, item.id
    assert "其中：当年财政拨款" in form and "一、基本情况" in report


def test_the_converted_entry_workbook_has_its_sheets(converted):
    folder, _, _, _ = converted
    text = squeeze(pdf_text(folder / "out" / "entry.pdf"))
    for words in ("绩效自评实际完成值填报说明", "实际完成值", "分值", "年度资金总额", "其中：当年财政拨款"):
        assert words in text, words


def test_libreoffice_keeps_the_validations_and_points_of_the_entry_workbook(converted, tmp_path):
    _, files, _, _ = converted
    done = soffice(tmp_path, "xlsx:Calc MS Excel 2007 XML", files["entry"])
    assert done.returncode == 0, done.stderr
    original = openpyxl.load_workbook(files["entry"])
    saved = openpyxl.load_workbook(tmp_path / "out" / "entry.xlsx")
    assert saved.sheetnames == original.sheetnames
    for name in ("部门整体", "预算执行"):
        def kinds_of(book, name=name):  # LibreOffice writes a second formula "0" where none is used
            return {(v.type, v.formula1) if v.type == "list" else
                    (v.type, v.operator, v.formula1, v.formula2 if v.operator == "between" else None)
                    for v in book[name].data_validations.dataValidation if v.type}

        kinds, kept = kinds_of(original), kinds_of(saved)
        assert kinds <= kept, (name, kinds - kept)
    points = [c.value for c in original["部门整体"]["M"][2:]]
    assert [c.value for c in saved["部门整体"]["M"][2:len(points) + 2]] == points
