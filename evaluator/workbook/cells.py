"""Safe writing of the workbooks the tool makes: text stays text, sheet names are legal, bytes are stable.

Every cell a workbook of this tool holds goes through ``set_text`` or ``set_number``: text that
starts with ``=`` (or ``+ - @``, a tab, a CR) is kept exactly as written and stored as a string,
never as a formula, so a department called ``=HYPERLINK(...)`` cannot run anything in Excel.
``workbook_bytes`` saves with fixed document dates and fixed zip timestamps, so the same content
gives the same bytes.
"""

from __future__ import annotations

import datetime
import io
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterable
from decimal import Decimal
from typing import IO, Any

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.workbook import Workbook
from openpyxl.writer.excel import ExcelWriter

__all__ = ["clean_text", "csv_bytes", "csv_text", "fixed_time", "print_setup_a4", "set_number", "set_text", "set_value",
    "sheet_title", "workbook_bytes", "write_workbook"]

MAX_SHEET_TITLE = 31
MAX_CELL_TEXT = 32767
_BAD_TITLE = re.compile(r"[\[\]:*?/\\]")
_RESERVED_TITLES = {"history"}  # Excel reserves "History" for change tracking
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")  # surrogates and non-characters: not allowed in XML


def clean_text(value: object) -> str:
    """Return ``value`` as text an xlsx cell can hold: no XML-illegal control characters, not too long."""
    text = _NOT_XML.sub("", ILLEGAL_CHARACTERS_RE.sub("", str(value)))
    return text[:MAX_CELL_TEXT]


def set_text(cell: Any, value: object) -> Any:
    """Write ``value`` into ``cell`` as text (never a formula); None leaves the cell empty."""
    if value is None:
        cell.value = None
        return cell
    text = clean_text(value)
    cell.value = text
    cell.data_type = "s"  # openpyxl turns "=…" into a formula on assignment; force a string
    return cell


def set_number(cell: Any, value: Decimal | int | float | None, number_format: str | None = None) -> Any:
    """Write a number (Decimal is written exactly as its text); None leaves the cell empty."""
    if value is None:
        cell.value = None
        return cell
    if isinstance(value, bool) or not isinstance(value, Decimal | int | float):
        raise TypeError(f"not a number: {value!r}")
    cell.value = value
    if number_format:
        cell.number_format = number_format
    return cell


def set_value(cell: Any, value: object, number_format: str | None = None) -> Any:
    """Write a number as a number and anything else as text."""
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        return set_number(cell, value, number_format)
    return set_text(cell, value)


def sheet_title(name: str, taken: Iterable[str] = (), fallback: str = "工作表") -> str:
    """Return a legal, unique sheet name for ``name``: ≤31 characters, none of []:*?/\\, not taken.

    Uniqueness is case-insensitive, as in Excel; a clash gets a suffix “(2)”, “(3)” ….
    """
    title = _BAD_TITLE.sub("_", clean_text(name)).replace("'", "’").strip()
    title = title or fallback
    used = {t.casefold() for t in taken}
    candidate = title[:MAX_SHEET_TITLE]
    number = 2
    while candidate.casefold() in used or candidate.casefold() in _RESERVED_TITLES:
        suffix = f"({number})"
        candidate = title[: MAX_SHEET_TITLE - len(suffix)] + suffix
        number += 1
    return candidate


def workbook_bytes(workbook: Workbook, when: datetime.datetime) -> bytes:
    """Return the xlsx bytes of ``workbook`` with document dates and zip entry times set to ``when``."""
    out = io.BytesIO()
    write_workbook(workbook, when, out)
    return out.getvalue()


def write_workbook(workbook: Workbook, when: datetime.datetime, handle: IO[bytes]) -> None:
    """Write the xlsx of ``workbook`` into ``handle`` as ``workbook_bytes`` does, streaming each part.

    For a large write-only workbook (a batch's results.xlsx): no part is held in memory whole.
    """
    workbook.properties.created = when
    workbook.properties.modified = when
    workbook.properties.creator = "evaluator"
    workbook.properties.lastModifiedBy = "evaluator"
    stamp = (max(when.year, 1980), when.month, when.day, when.hour, when.minute, when.second)
    with tempfile.TemporaryFile() as raw:
        with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            # ExcelWriter directly: openpyxl's save_workbook would stamp the current time as "modified"
            ExcelWriter(workbook, archive).write_data()
        raw.seek(0)
        with zipfile.ZipFile(raw) as source, zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                entry = zipfile.ZipInfo(info.filename, date_time=stamp)
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.external_attr = 0o600 << 16
                with source.open(info) as part, target.open(entry, "w", force_zip64=info.file_size > 2**31) as copy:
                    shutil.copyfileobj(part, copy, 1 << 20)


def csv_text(value: object) -> str:
    """Return a CSV field that Excel shows as written: numbers plain, text starting with = + - @ kept as text."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:f}"
    text = str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def csv_bytes(header: Iterable[str], rows: Iterable[Iterable[object]]) -> bytes:
    """Return a CSV table as UTF-8 with a BOM (so Excel reads it as UTF-8), CRLF line ends, formula-safe."""
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_text(name) for name in header])
    for row in rows:
        writer.writerow([csv_text(value) for value in row])
    return b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8")


def fixed_time(year: int) -> datetime.datetime:
    """Return the document date used for a year's workbooks: 31 December of that year, midnight."""
    year = min(max(int(year), 1980), 9999)
    return datetime.datetime(year, 12, 31)


def print_setup_a4(sheet: Any, title_rows: str | None, landscape: bool = True) -> None:
    """Print a sheet on A4, fitted to the page width, with its header rows repeated on every page."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    if title_rows:
        sheet.print_title_rows = title_rows
