"""Office files (.docx, .xlsx) before and while a parser reads them: one set of limits, one place.

A .docx/.xlsx is a zip of XML parts. ``check_package`` reads the zip's directory and refuses, before
python-docx or openpyxl sees the file:

* an encrypted file (a password-protected Office file is an OLE container holding an
  "EncryptedPackage", not a zip), an old binary .doc/.xls under a new suffix, a damaged zip;
* more than ``MAX_ZIP_ENTRIES`` parts, a declared uncompressed size over ``max_unpacked_bytes()``
  (twice the file-size limit), or a compression ratio over ``MAX_RATIO`` for anything over
  ``RATIO_FLOOR`` (zip bombs: Python's zipfile never yields more than an entry's declared size, so the
  declared sizes bound what is read). The limits are those of ``evaluator.io.files``, the one set
  for every input;
* macros (vbaProject.bin), and any XML part that declares a DOCTYPE or entities (defusedxml's parser,
  which stops at the first element: a DOCTYPE can only come before it);
* a Word file named .xlsx or the other way round.

It returns what the readers must know: whether any sheet holds a formula (``<f>``) and which
external workbooks the file links to. ``read_workbook`` then opens an .xlsx with openpyxl (values as
Excel cached them, never evaluated; links and VBA not loaded) and returns every sheet's existing
cells with their formulas, merges and visibility: the one way both the form importer and the entry
workbook reader see a spreadsheet. openpyxl offers no public way to visit only the cells that exist
(``iter_rows`` creates every empty cell of the range), so ``_existing_cells`` reads its private
``_cells`` here and nowhere else; tests/test_office.py fails loudly if openpyxl changes it.
"""

from __future__ import annotations

import io
import posixpath
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from typing import Any

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from defusedxml.ElementTree import parse as parse_xml

from evaluator.errors import InputErrors, Location, Problem
from evaluator.io.files import (
    LIMIT_VARIABLE,
    MAX_RATIO,
    MAX_ZIP_ENTRIES,
    RATIO_FLOOR,
    describe_limit,
    describe_size,
    max_unpacked_bytes,
)

__all__ = [
    "CONVERT_DOC", "CONVERT_XLS", "CellData",
    "Package", "SheetData", "check_package", "is_encrypted_ole", "read_workbook", "refuse",
]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
_APP = {"docx": ("Word", ".docx"), "xlsx": ("Excel", ".xlsx")}
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_EXTERNAL = re.compile(r"^xl/externalLinks/externalLink\d+\.xml$")
CONVERT_DOC = (
    "用 Word 或 WPS 打开后“另存为” .docx，或运行 libreoffice --headless --convert-to docx 文件名.doc，"
    "再导入 .docx 文件。"
)
CONVERT_XLS = "用 Excel 或 WPS 打开后“另存为” .xlsx，再导入。"


def refuse(name: str, message: str, hint: str = "", code: str = "unreadable") -> InputErrors:
    return InputErrors([Problem(Location(file=name), message, hint, code=code)])


def is_encrypted_ole(data: bytes) -> bool:
    return data.startswith(OLE_MAGIC) and "EncryptedPackage".encode("utf-16-le") in data


@dataclass(frozen=True)
class Package:
    """What the readers need to know of a checked package."""

    kind: str  # "docx" | "xlsx"
    has_formulas: bool = False  # a worksheet part holds a formula element
    external_links: tuple[str, ...] = ()  # the workbooks an .xlsx links to (as its links name them)


def check_package(name: str, data: bytes, kind: str, *, what: str = "文件") -> Package:
    """Raise InputErrors unless ``data`` is a plain, modest Office zip of ``kind``; describe it.

    ``what`` names the document the user meant to give ("绩效目标表", "填报表"), for the hints.
    """
    app, suffix = _APP[kind]
    resave = f"用 {app} 或 WPS 打开后重新另存为 {suffix}。"
    if is_encrypted_ole(data):
        raise refuse(name, "文件设置了打开密码（已加密），无法读取",
                     f"在 {app} 中取消密码（文件 → 信息 → 保护）后另存一份，再导入。", "encrypted")
    if data.startswith(OLE_MAGIC):
        if kind == "docx":
            raise refuse(name, "这是旧版 Word 二进制文件（.doc），只是扩展名为 .docx", CONVERT_DOC,
                         "legacy-format")
        raise refuse(name, "这是旧版 Excel 二进制文件（.xls），只是扩展名为 .xlsx",
                     "把扩展名改为 .xls 后导入，或" + CONVERT_XLS, "legacy-format")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        if _looks_like_text(data) and not data.startswith(b"PK"):  # "PK": a zip, cut short or damaged
            raise refuse(name, f"文件内容是文字（如 YAML 或文本），不是 {app} 文件（{suffix}）",
                         f"检查是否选错了文件或改错了扩展名：YAML 文件的扩展名应为 .yaml；{app} 文件请{resave}",
                         "corrupt")
        raise refuse(name, f"文件已损坏，或不是 {app} 文件（{suffix}）", resave, "corrupt")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return _check_archive(name, archive, kind, what)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError, OSError) as error:
        raise refuse(name, f"文件已损坏，无法解压（{error}）", resave, "corrupt") from None


def _looks_like_text(data: bytes) -> bool:
    head = data[:4096]
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        return error.start > len(head) - 4  # a character cut at the end of the sample
    return True


def _check_archive(name: str, archive: zipfile.ZipFile, kind: str, what: str) -> Package:
    app, suffix = _APP[kind]
    entries = archive.infolist()
    if len(entries) > MAX_ZIP_ENTRIES:
        raise refuse(name, f"压缩包内文件过多（{len(entries)} 个，上限 {MAX_ZIP_ENTRIES} 个），"
                     "疑似恶意文件，已拒绝读取", f"{what}不会有这么多部件；请检查文件来源。", "zip-bomb")
    size = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries)
    unpacked = max_unpacked_bytes()
    if size > unpacked:
        megabytes = f"{describe_size(size)}，上限 {describe_limit(unpacked)}"
        raise refuse(name, f"文件解压后过大（{megabytes}），疑似压缩炸弹，已拒绝读取",
                     f"{what}通常不到 1 MB；请检查文件来源。解压上限是文件大小上限的 2 倍，"
                     f"确需读取时可设置环境变量 {LIMIT_VARIABLE}（单位 MB）提高。", "zip-bomb")
    if size > RATIO_FLOOR and size > MAX_RATIO * max(packed, 1):
        ratio = f"{size / max(packed, 1):.0f} 倍，上限 {MAX_RATIO} 倍"
        raise refuse(name, f"压缩比异常（{ratio}），疑似压缩炸弹，已拒绝读取",
                     f"{what}不会有这样的压缩比；请检查文件来源。", "zip-bomb")
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise refuse(name, "文件内容已加密，无法读取", f"在 {app} 中取消密码后另存一份，再导入。",
                     "encrypted")
    names = {entry.filename for entry in entries}
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise refuse(name, "文件含有宏（VBA），出于安全考虑不予读取",
                     f"在 {app} 中另存为不含宏的 {suffix} 后再导入。", "macro")
    if _MAIN_PART[kind] not in names:
        other = next((k for k, part in _MAIN_PART.items() if part in names and k != kind), None)
        if other:
            other_app, other_suffix = _APP[other]
            raise refuse(name, f"这是 {other_app} 文件，扩展名却是 {suffix}",
                         f"把扩展名改为 {other_suffix} 后再导入。", "wrong-suffix")
        raise refuse(name, f"文件已损坏，或不是 {app} 文件（缺少 {_MAIN_PART[kind]}）",
                     f"用 {app} 或 WPS 打开后重新另存为 {suffix}。", "corrupt")
    for entry in entries:
        if entry.filename.lower().endswith(_XML_SUFFIXES) and _declares_dtd(archive, entry):
            raise refuse(name, f"文件中的 {entry.filename} 含有 XML 实体声明（DOCTYPE），出于安全考虑不予读取",
                         f"用 {app} 重新另存一份再导入；正常保存的 Office 文件不含此类声明。", "xml-entities")
    if kind != "xlsx":
        return Package(kind)
    formulas = any(_FORMULA.search(archive.read(entry)) for entry in entries
                   if entry.filename.startswith("xl/worksheets/") and entry.filename.endswith(".xml"))
    return Package(kind, formulas, _external_links(archive, names))


def _declares_dtd(archive: zipfile.ZipFile, entry: zipfile.ZipInfo) -> bool:
    """True when an XML part declares a DOCTYPE or entities; parsing stops at the first element."""
    with archive.open(entry) as part:
        try:
            for _ in iterparse(part, events=("start",), forbid_dtd=True):
                return False
        except DefusedXmlException:
            return True
        except Exception:  # malformed XML is the parser's business (a damaged file), not a DOCTYPE
            return False
    return False


def _external_links(archive: zipfile.ZipFile, names: set[str]) -> tuple[str, ...]:
    """The workbooks an .xlsx links to, from each external link's relationship (its target path)."""
    links = []
    for part in sorted(n for n in names if _EXTERNAL.match(n)):
        rels = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
        target = ""
        if rels in names:
            try:
                with archive.open(rels) as handle:
                    root = parse_xml(handle, forbid_dtd=True).getroot()
                target = next((r.get("Target", "") for r in root if r.get("Target")), "")
            except Exception:  # an unreadable link still counts as a link
                target = ""
        links.append(target or posixpath.basename(part))
    return tuple(links)


# --- reading a workbook ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CellData:
    """One existing cell: its value as Excel saved it, its number format, and its formula if any."""

    value: Any
    number_format: str = "General"
    formula: str | None = None  # the formula text when the cell holds a formula
    error: bool = False  # the value is an Excel error such as #DIV/0!


@dataclass(frozen=True)
class SheetData:
    """The cells of one sheet that hold a value or a formula, with its merged ranges (1-based)."""

    title: str
    hidden: bool
    max_row: int
    max_column: int
    cells: dict[tuple[int, int], CellData] = field(default_factory=dict)
    merges: tuple[tuple[int, int, int, int, str], ...] = ()  # min_row, min_col, max_row, max_col, A1 reference


def read_workbook(name: str, data: bytes, package: Package) -> tuple[SheetData, ...]:
    """Open a checked .xlsx and return its sheets in order; raise InputErrors when openpyxl cannot.

    Formulas count by the result Excel saved with them (``value`` is None when none was saved:
    a file written by a program and never opened in Excel); nothing is ever evaluated.
    """
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about every extension it does not support
            values = load_workbook(io.BytesIO(data), data_only=True, keep_links=False, keep_vba=False)
            formulas = load_workbook(io.BytesIO(data), keep_links=False, keep_vba=False) \
                if package.has_formulas else None
    except Exception as error:  # a damaged part can fail anywhere in openpyxl's parser
        raise refuse(name, f"无法读取 Excel 文件（{type(error).__name__}：{error}）",
                     "文件可能已损坏；用 Excel 或 WPS 打开后重新另存为 .xlsx。", "corrupt") from None
    sheets = []
    for sheet in values.worksheets:
        twins = _existing_cells(formulas[sheet.title]) if formulas is not None else {}
        cells: dict[tuple[int, int], CellData] = {}
        for position, cell in sorted(_existing_cells(sheet).items()):
            twin = twins.get(position)
            formula = None
            if twin is not None and twin.data_type == "f":
                formula = str(getattr(twin.value, "text", twin.value))  # ArrayFormula keeps its text in .text
            if cell.value is not None or formula is not None:
                cells[position] = CellData(cell.value, cell.number_format or "General", formula, cell.data_type == "e")
        merges = tuple((m.min_row, m.min_col, m.max_row, m.max_col, m.coord)
                       for m in sorted(sheet.merged_cells.ranges, key=lambda m: (m.min_row, m.min_col)))
        sheets.append(SheetData(sheet.title, sheet.sheet_state != "visible", sheet.max_row, sheet.max_column,
                                cells, merges))
    return tuple(sheets)


def _existing_cells(sheet: Any) -> dict[tuple[int, int], Any]:
    """{(row, column): cell} of the cells that exist; openpyxl keeps them in the private ``_cells``."""
    return sheet._cells
