"""Read a Word form (.docx) into rows with python-docx, after safety.check_package.

Body paragraphs and tables are read in document order: a paragraph becomes a one-cell row (titles
and footers often stand outside the table), a table row becomes its cells. ``row.cells`` gives one
entry per grid column and repeats a merged cell at every position it covers; consecutive repeats
are one horizontally merged cell (kept once, with its span), while a vertically merged cell stays
repeated on each row, which fills merged label columns forward. Text that Word doubled when cells
were merged while full is kept once. ``table.cell()`` is never used: it is quadratic.
"""

from __future__ import annotations

import io

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from evaluator.forms.grid import Cell, Row, Where, merged_text
from evaluator.io.office import check_package, refuse

__all__ = ["read_docx_rows"]


def read_docx_rows(name: str, data: bytes) -> list[Row]:
    check_package(name, data, "docx")
    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, ValueError, KeyError) as error:
        hint = "用 Word 或 WPS 打开后重新另存为 .docx。"
        raise refuse(name, f"无法读取 Word 文件（{error}）", hint, "corrupt") from None
    rows: list[Row] = []
    tables = 0
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            if block.text.strip():
                rows.append(Row((Cell(block.text, 0),), Where(name)))
        elif isinstance(block, Table):
            tables += 1
            rows.extend(_table_rows(block, name, tables))
    return rows


def _table_rows(table: Table, name: str, number: int) -> list[Row]:
    rows: list[Row] = []
    above: list[object] = []
    grid = [row.cells for row in table.rows]
    for index, cells in enumerate(grid):
        below = [c._tc for c in grid[index + 1]] if index + 1 < len(grid) else []
        elements = [c._tc for c in cells]
        out: list[Cell] = []
        col = 0
        while col < len(cells):
            span = 1
            while col + span < len(cells) and elements[col + span] is elements[col]:
                span += 1
            continued = _same(above, col, elements[col])
            merged = span > 1 or continued or _same(below, col, elements[col])
            text = cells[col].text
            out.append(Cell(merged_text(text) if merged else text, col, span, continued=continued))
            col += span
        rows.append(Row(tuple(out), Where(name, table=number, row=index + 1)))
        above = elements
    return rows


def _same(elements: list[object], col: int, element: object) -> bool:
    return col < len(elements) and elements[col] is element
