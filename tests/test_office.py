"""One safety module for every Office file: each limit, with a crafted file, through both readers.

The form importer (`evaluator import`) and the entry workbook reader (an .xlsx given as actuals)
go through ``evaluator.io.office``: the same limits, the same messages, the same view of cells.
"""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import EXAMPLE_TARGETS
from formbuilders import build_xlsx, seed_forms

import evaluator.io.files as files
import evaluator.io.office as office
from evaluator.errors import InputErrors
from evaluator.forms import import_forms
from evaluator.io.entry_read import read_actuals_workbook
from evaluator.io.load import load_targets
from evaluator.workbook.entry import build_entry_workbook


@pytest.fixture(scope="module")
def form() -> bytes:
    return build_xlsx(seed_forms())


@pytest.fixture(scope="module")
def entry() -> bytes:
    return build_entry_workbook(load_targets(EXAMPLE_TARGETS))


def _import(path: Path) -> list[str]:
    with pytest.raises(InputErrors) as caught:
        import_forms([path])
    return [str(p) for p in caught.value.problems]


def _read(path: Path) -> list[str]:
    with pytest.raises(InputErrors) as caught:
        read_actuals_workbook(path)
    return [str(p) for p in caught.value.problems]


READERS = {"form": _import, "entry": _read}


def _rewrite(base: bytes, change=lambda name, data: data, extra: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(base)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            target.writestr(item.filename, change(item.filename, source.read(item)))
        for name, data in (extra or {}).items():
            target.writestr(name, data)
    return out.getvalue()


def _file(tmp_path: Path, which: str, data: bytes) -> Path:
    path = tmp_path / f"{which}.xlsx"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("which", READERS)
def test_too_many_zip_entries(which, form, entry, tmp_path):
    base = form if which == "form" else entry
    padding = {f"xl/media/pad{n}.bin": b"" for n in range(files.MAX_ZIP_ENTRIES)}
    (problem,) = READERS[which](_file(tmp_path, which, _rewrite(base, extra=padding)))
    assert f"压缩包内文件过多（{files.MAX_ZIP_ENTRIES + len(zipfile.ZipFile(io.BytesIO(base)).namelist())} 个，" \
           f"上限 {files.MAX_ZIP_ENTRIES} 个），疑似恶意文件" in problem


def _lie_about_size(data: bytes, part: str, size: int) -> bytes:
    """Rewrite the central directory so that ``part`` declares ``size`` uncompressed bytes: nothing is inflated."""
    blob = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        offset = archive.start_dir
    while True:
        offset = blob.index(b"PK\x01\x02", offset)
        name_length = struct.unpack_from("<H", blob, offset + 28)[0]
        if blob[offset + 46: offset + 46 + name_length].decode() == part:
            struct.pack_into("<I", blob, offset + 24, size)
            return bytes(blob)
        offset += 46


@pytest.mark.parametrize("which", READERS)
def test_a_declared_size_over_the_limit_is_refused_before_anything_is_inflated(which, form, entry, tmp_path):
    base = _rewrite(form if which == "form" else entry, extra={"xl/media/small.bin": b"x" * 10})
    lying = _lie_about_size(base, "xl/media/small.bin", files.max_unpacked_bytes() + 1)
    (problem,) = READERS[which](_file(tmp_path, which, lying))
    assert "文件解压后过大" in problem and "上限 100 MB" in problem and "EVALUATOR_MAX_FILE_MB" in problem
    assert ("绩效目标表" if which == "form" else "填报表") + "通常不到 1 MB" in problem


@pytest.mark.parametrize("which", READERS)
@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/styles.xml", "[Content_Types].xml"])
def test_a_doctype_in_any_part_is_refused(which, part, form, entry, tmp_path):
    laughs = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'

    def inject(name: str, data: bytes) -> bytes:
        return laughs + data.split(b"?>", 1)[-1] if name == part else data

    base = form if which == "form" else entry
    assert part in zipfile.ZipFile(io.BytesIO(base)).namelist()
    (problem,) = READERS[which](_file(tmp_path, which, _rewrite(base, inject)))
    assert f"文件中的 {part} 含有 XML 实体声明（DOCTYPE），出于安全考虑不予读取" in problem


def _with_external_link(base: bytes) -> bytes:
    link = (b'<?xml version="1.0" encoding="UTF-8"?><externalLink xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><externalBook r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/'
            b'officeDocument/2006/relationships"/></externalLink>')
    rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
            'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/externalLinkPath" Target="file:///C:/财务/2023年预算.xlsx" '
            'TargetMode="External"/></Relationships>').encode()
    return _rewrite(base, extra={"xl/externalLinks/externalLink1.xml": link,
                                 "xl/externalLinks/_rels/externalLink1.xml.rels": rels})


def test_an_external_link_in_a_form_is_imported_with_a_warning(form, tmp_path):
    path = tmp_path / "linked.xlsx"
    path.write_bytes(_with_external_link(form))
    findings = import_forms([path]).findings
    (finding,) = [f for f in findings if f.code == "external-link"]
    assert finding.severity.value == "warning"
    assert "文件含有外部链接（引用其他工作簿：file:///C:/财务/2023年预算.xlsx），导入的是保存时缓存的数值" in str(finding)


def test_an_external_link_in_an_entry_workbook_is_refused(entry, tmp_path):
    path = tmp_path / "linked.xlsx"
    path.write_bytes(_with_external_link(entry))
    (problem,) = _read(path)
    assert "工作簿含有外部链接（引用其他工作簿：file:///C:/财务/2023年预算.xlsx），填报表中的数值应直接填写" in problem


def test_a_formula_without_a_cached_value_in_a_form_is_named(form, tmp_path):
    book = openpyxl.load_workbook(io.BytesIO(form))
    cell = next(c for row in book.active.iter_rows() for c in row if c.value == "≥10次")
    cell.value = '="≥10"&"次"'  # openpyxl saves a formula without its result, as a program would
    book.save(tmp_path / "formula.xlsx")
    with pytest.raises(InputErrors) as caught:
        import_forms([tmp_path / "formula.xlsx"])
    (problem,) = [p for p in caught.value.problems if p.code == "formula-without-result"]
    assert (problem.location.sheet, problem.location.row) == (book.active.title, cell.row)
    findings = import_forms([tmp_path / "formula.xlsx"], allow_incomplete=True).findings
    (finding,) = [f for f in findings if f.code == "formula-without-result"]
    assert (finding.location.sheet, finding.location.row) == (book.active.title, cell.row)


def test_a_formula_without_a_cached_value_in_an_entry_workbook_is_named(entry, tmp_path):
    book = openpyxl.load_workbook(io.BytesIO(entry))
    sheet = book["部门整体"]
    column = next(c.column for c in sheet[2] if c.value == "实际完成值")
    sheet.cell(3, column).value = "=6+6"
    book.save(tmp_path / "formula.xlsx")
    (problem,) = _read(tmp_path / "formula.xlsx")
    assert "工作表“部门整体” 第3行" in problem and "公式“=6+6”，但文件中没有保存它的计算结果" in problem


@pytest.mark.parametrize("which", READERS)
def test_macros_are_refused(which, form, entry, tmp_path):
    base = form if which == "form" else entry
    (problem,) = READERS[which](_file(tmp_path, which, _rewrite(base, extra={"xl/vbaProject.bin": b"\0"})))
    assert "文件含有宏（VBA），出于安全考虑不予读取" in problem


def test_an_encrypted_file_is_refused_with_how_to_remove_the_password(tmp_path):
    data = office.OLE_MAGIC + b"\0" * 64 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 64
    for reader in READERS.values():
        (problem,) = reader(_file(tmp_path, "secret", data))
        assert "文件设置了打开密码（已加密），无法读取" in problem


def test_openpyxl_still_keeps_existing_cells_where_the_office_module_reads_them(entry):
    """read_workbook visits only existing cells through openpyxl's private ``_cells``: fail loudly if that changes."""
    sheet = openpyxl.load_workbook(io.BytesIO(entry))["部门整体"]
    cells = office._existing_cells(sheet)
    assert isinstance(cells, dict) and cells, "openpyxl no longer keeps Worksheet._cells: update io/office.py"
    (row, column), cell = next(iter(cells.items()))
    assert isinstance(row, int) and isinstance(column, int)
    assert cell.row == row and cell.column == column and hasattr(cell, "data_type")
    assert sheet.cell(9999, 9999).value is None and (9999, 9999) in office._existing_cells(sheet)


def test_both_readers_see_the_same_cells(form):
    """The form importer and the entry reader open a workbook the same way: one read_workbook."""
    package = office.check_package("forms.xlsx", form, "xlsx")
    sheets = office.read_workbook("forms.xlsx", form, package)
    book = openpyxl.load_workbook(io.BytesIO(form))
    for sheet, data in zip(book.worksheets, sheets, strict=True):
        expected = {(c.row, c.column): c.value for row in sheet.iter_rows() for c in row if c.value is not None}
        assert {k: v.value for k, v in data.cells.items()} == expected
