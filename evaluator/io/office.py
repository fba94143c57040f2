"""Check an Office file before any parser sees it: size, zip bombs, encryption, macros, XML entities.

A .docx/.xlsx is a zip of XML parts. Before python-docx or openpyxl opens one, this module reads
the zip's directory and refuses it when the declared uncompressed size is over 50 MB, when it
expands more than 100 times its compressed size (for anything over 1 MB: tiny files cannot hurt),
when it has an implausible number of entries, when it is encrypted (a password-protected Office
file is not a zip at all but an OLE container holding an "EncryptedPackage"), when it carries
macros, or when any XML part declares a DOCTYPE or entities. Python's zipfile never yields more
than an entry's declared size, so the declared sizes bound what is read.
"""

from __future__ import annotations

import io
import zipfile

from evaluator.errors import InputErrors, Location, Problem

__all__ = ["CONVERT_DOC", "CONVERT_XLS", "check_package", "is_encrypted_ole", "refuse"]

MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_RATIO = 100
RATIO_FLOOR = 1024 * 1024
MAX_ENTRIES = 2000
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
_APP = {"docx": ("Word", ".docx"), "xlsx": ("Excel", ".xlsx")}
CONVERT_DOC = (
    "用 Word 或 WPS 打开后“另存为” .docx，或运行 libreoffice --headless --convert-to docx 文件名.doc，"
    "再导入 .docx 文件。"
)
CONVERT_XLS = "用 Excel 或 WPS 打开后“另存为” .xlsx，再导入。"


def refuse(name: str, message: str, hint: str = "", code: str = "unreadable") -> InputErrors:
    return InputErrors([Problem(Location(file=name), message, hint, code=code)])


def is_encrypted_ole(data: bytes) -> bool:
    return data.startswith(OLE_MAGIC) and "EncryptedPackage".encode("utf-16-le") in data


def check_package(name: str, data: bytes, kind: str) -> None:
    """Raise InputErrors unless ``data`` is a plain, modest Office zip of the expected kind."""
    app, suffix = _APP[kind]
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
        raise refuse(name, f"文件已损坏，或不是 {app} 文件（{suffix}）",
                     f"用 {app} 或 WPS 打开后重新另存为 {suffix}。", "corrupt")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _check_archive(name, archive, kind)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError, NotImplementedError) as error:
        raise refuse(name, f"文件已损坏，无法解压（{error}）", f"用 {app} 或 WPS 打开后重新另存为 {suffix}。",
                     "corrupt") from None


def _check_archive(name: str, archive: zipfile.ZipFile, kind: str) -> None:
    app, suffix = _APP[kind]
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise refuse(name, f"压缩包内文件过多（{len(entries)} 个，上限 {MAX_ENTRIES} 个），"
                     "疑似恶意文件，已拒绝读取", code="zip-bomb")
    size = sum(entry.file_size for entry in entries)
    packed = sum(entry.compress_size for entry in entries)
    if size > MAX_UNCOMPRESSED:
        megabytes = f"{size / 1024 / 1024:.1f} MB，上限 {MAX_UNCOMPRESSED // 1024 // 1024} MB"
        raise refuse(name, f"文件解压后过大（{megabytes}），疑似压缩炸弹，已拒绝读取",
                     "绩效目标表通常不到 1 MB；请检查文件来源。", "zip-bomb")
    if size > RATIO_FLOOR and size > MAX_RATIO * max(packed, 1):
        ratio = f"{size / max(packed, 1):.0f} 倍，上限 {MAX_RATIO} 倍"
        raise refuse(name, f"压缩比异常（{ratio}），疑似压缩炸弹，已拒绝读取",
                     "绩效目标表不会有这样的压缩比；请检查文件来源。", "zip-bomb")
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
        if entry.filename.lower().endswith((".xml", ".rels", ".vml")):
            with archive.open(entry) as part:
                _check_xml(name, entry.filename, part)


def _check_xml(name: str, part_name: str, part: io.BufferedIOBase) -> None:
    """Refuse a part that declares a DOCTYPE or entities (billion laughs, external entities)."""
    tail = b""
    while chunk := part.read(1 << 20):
        window = (tail + chunk).upper()
        if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
            raise refuse(name, f"文件中的 {part_name} 含有 XML 实体声明（DOCTYPE），出于安全考虑不予读取",
                         "用 Word/Excel 重新另存一份再导入；正常保存的 Office 文件不含此类声明。",
                         "xml-entities")
        tail = chunk[-16:]
