"""Read a form sheet (.xlsx with openpyxl, .xls with python-calamine) into rows.

Every sheet is read top to bottom. A merged range is un-merged the way Word shows it: once per
row with its column span, its text repeated on each row it covers (so merged label columns are
filled forward). Numbers are written back as text the way the cell shows them: ``36`` with format
``0.00`` is "36.00", ``0.95`` with ``0%`` is "95%". Numbers stored as text are kept as written.

An .xlsx is checked and opened by ``evaluator.io.office`` (the same limits and the same view of
cells as the entry workbook reader): values are those Excel cached for formulas, never evaluated.
A formula with no cached value (a file written by a program, never opened in Excel) is marked on
its cell, so that the message says so instead of calling the cell empty, and so is a formula that
reads another workbook (its value is only what Excel cached when the file was saved); a workbook that
links to other workbooks gets a warning. Each row knows whether its sheet is hidden.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

from evaluator.errors import Location, Problem, Severity
from evaluator.forms.grid import Cell, Row, Where, merged_text
from evaluator.io.files import MAX_SHEET_CELLS
from evaluator.io.office import CONVERT_XLS, check_package, is_encrypted_ole, read_workbook, refuse

__all__ = ["EXTERNAL_REFERENCE", "read_xls_rows", "read_xlsx", "read_xlsx_rows", "sheet_rows"]

Range = tuple[int, int, int, int]
# a reference to another workbook in a formula: [1]Sheet1!A1 (as Excel stores it) or '[预算.xlsx]表'!A1
EXTERNAL_REFERENCE = re.compile(r"\[[^\]]+\][^!\[\]]*!")  # first row, first column, last row, last column (0-based)


def read_xlsx(name: str, data: bytes) -> tuple[list[Row], list[Problem]]:
    """Return the rows of every sheet, and a warning when the workbook links to other workbooks."""
    package = check_package(name, data, "xlsx", what="绩效目标表")
    rows: list[Row] = []
    for sheet in read_workbook(name, data, package):
        height, width = sheet.max_row, sheet.max_column
        _check_size(name, sheet.title, height, width)
        values = [[""] * width for _ in range(height)]
        unsaved, linked = {}, {}
        for (row, column), cell in sheet.cells.items():
            values[row - 1][column - 1] = _text(cell.value, cell.number_format)
            if cell.formula is not None and cell.value is None:
                unsaved[(row - 1, column - 1)] = cell.formula
            elif cell.formula is not None and EXTERNAL_REFERENCE.search(cell.formula):
                linked[(row - 1, column - 1)] = cell.formula
        merges = [(first_row - 1, first_col - 1, last_row - 1, last_col - 1)
                  for first_row, first_col, last_row, last_col, _ in sheet.merges]
        rows.extend(sheet_rows(name, sheet.title, values, merges, unsaved, hidden=sheet.hidden, linked=linked))
    notes = []
    if package.external_links:
        links = "、".join(package.external_links)
        notes.append(Problem(
            Location(file=name), f"文件含有外部链接（引用其他工作簿：{links}），导入的是保存时缓存的数值",
            "核对这些数值；最好在 Excel 中“数据 → 编辑链接 → 断开链接”后另存，再导入。",
            severity=Severity.WARNING, code="external-link"))
    return rows, notes


def read_xlsx_rows(name: str, data: bytes) -> list[Row]:
    """Return the rows of every sheet of an .xlsx (see ``read_xlsx``)."""
    return read_xlsx(name, data)[0]


def read_xls_rows(name: str, data: bytes) -> list[Row]:
    """Read an old binary .xls (or any workbook calamine knows) without Excel."""
    if is_encrypted_ole(data):
        raise _locked(name)
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for metadata in book.sheets_metadata:
            sheet = book.get_sheet_by_name(metadata.name)
            _check_size(name, metadata.name, sheet.total_height, sheet.total_width)
            grid = sheet.to_python(skip_empty_area=False)
            merges = [(r1, c1, r2, c2) for (r1, c1), (r2, c2) in (sheet.merged_cell_ranges or [])]
            hidden = metadata.visible != python_calamine.SheetVisibleEnum.Visible
            sheets.append((metadata.name, grid, merges, hidden))
    except python_calamine.PasswordError:
        raise _locked(name) from None
    except Exception as error:  # calamine raises its own error types, and OSError/ValueError
        raise refuse(name, f"无法读取 Excel 文件（{error}）", CONVERT_XLS, "corrupt") from None
    rows: list[Row] = []
    for sheet_name, grid, merges, hidden in sheets:
        rows.extend(sheet_rows(name, sheet_name, [[_text(v) for v in row] for row in grid], merges, hidden=hidden))
    return rows


def _locked(name: str) -> Exception:
    return refuse(name, "文件设置了打开密码（已加密），无法读取", "在 Excel 中取消密码后另存一份，再导入。",
                  "encrypted")


def _check_size(name: str, sheet: str, height: int, width: int) -> None:
    if height * width > MAX_SHEET_CELLS:
        raise refuse(name, f"工作表“{sheet}”过大（{height} 行 × {width} 列，"
                     f"上限 {MAX_SHEET_CELLS:,} 个单元格），不像是绩效目标表",
                     "删除表格以外的内容，或把绩效目标表复制到新工作簿后再导入。", "too-large")


def sheet_rows(name: str, sheet: str, values: Sequence[Sequence[str]], merges: Sequence[Range],
               unsaved: dict[tuple[int, int], str] | None = None, *, hidden: bool = False,
               linked: dict[tuple[int, int], str] | None = None) -> list[Row]:
    """Return one Row per sheet row: merged ranges once per row with their span, text repeated down.

    ``unsaved``: {(row, column): formula} of the cells whose formula has no saved result (their text is "");
    ``linked``: {(row, column): formula} of the cells whose formula reads another workbook.
    """
    unsaved = unsaved or {}
    linked = linked or {}
    covered: dict[tuple[int, int], Range] = {}
    for merge in merges:
        first_row, first_col, last_row, last_col = merge
        for r in range(first_row, last_row + 1):
            for c in range(first_col, last_col + 1):
                covered[(r, c)] = merge
    width = max((len(row) for row in values), default=0)
    rows = []
    for r, row in enumerate(values):
        cells: list[Cell] = []
        for c in range(width):
            merge = covered.get((r, c))
            if merge is None:
                cells.append(Cell(row[c] if c < len(row) else "", c, formula=unsaved.get((r, c)),
                                  linked=linked.get((r, c))))
            elif c == merge[1]:
                anchor = values[merge[0]]
                text = anchor[merge[1]] if merge[1] < len(anchor) else ""
                cells.append(Cell(merged_text(text), c, merge[3] - merge[1] + 1, continued=r > merge[0],
                                  formula=unsaved.get((merge[0], merge[1])), linked=linked.get((merge[0], merge[1]))))
        rows.append(Row(tuple(cells), Where(name, sheet=sheet, row=r + 1, hidden=hidden), letters=True))
    return rows


def _text(value: object, number_format: str = "General") -> str:
    """Return a cell value as the text the sheet shows (numbers by their format, dates as dates)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, int | float):
        return _number(value, number_format or "General")
    return str(value)


def _number(value: int | float, number_format: str) -> str:
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    section = number_format.split(";")[0]
    percent = section.endswith("%")
    if percent:
        number *= 100
    match = re.search(r"0\.(0+)", section)
    if match:
        number = number.quantize(Decimal(1).scaleb(-len(match.group(1))), ROUND_HALF_UP)
    elif re.fullmatch(r"[#,]*0%?", section):
        number = number.quantize(Decimal(1), ROUND_HALF_UP)
    elif number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    else:
        number = number.normalize()
    return format(number, "f") + ("%" if percent else "")
