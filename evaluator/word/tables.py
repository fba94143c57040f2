"""Real Word tables: fixed column widths that fit the page, merged cells, header rows repeated on every page.

python-docx's ``table.cell(row, column)`` walks the whole table on every call; building a 200-indicator
自评表 that way is slow, so rows are added one by one and their cells taken once (``add_row``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from evaluator.word.document import add_paragraph, clean, style_id

__all__ = ["CENTER", "LEFT", "RIGHT", "add_row", "add_table", "merge", "spacer", "write"]

CENTER, LEFT, RIGHT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT
TABLE_STYLE, TEXT_STYLE = "Table Grid", "表格文字"
CELL_MARGIN = 45  # twips, 0.8 mm


def add_table(container: Any, widths_mm: Sequence[float]) -> Any:
    """Add an empty table with fixed column widths (in mm), centred, with the grid borders."""
    table = container.add_table(rows=0, cols=len(widths_mm))
    table._tbl.tblStyle_val = style_id(container, TABLE_STYLE)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    properties = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    properties.append(layout)
    margins = OxmlElement("w:tblCellMar")  # narrow cell margins: a 12 mm column holds “98.30%”
    for side, twips in (("top", 0), ("left", CELL_MARGIN), ("bottom", 0), ("right", CELL_MARGIN)):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(twips))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    properties.append(margins)
    for column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm, strict=True):
        column.set(qn("w:w"), str(int(Mm(width).twips)))
    table._widths = [Mm(w) for w in widths_mm]  # the cells of each new row take these widths
    table._text_style = style_id(container, TEXT_STYLE)  # by name, python-docx takes 4 ms for each cell
    return table


def add_row(table: Any, values: Sequence[object] = (), *, header: bool = False, bold: bool = False,
            align: Any = CENTER, aligns: Sequence[Any] | None = None, size: float | None = None,
            keep: bool = False) -> list[Any]:
    """Append a row; write ``values`` (None: leave the cell empty) and return its cells.

    ``header`` rows repeat at the top of every page the table runs onto; ``keep`` keeps a short row
    from breaking across pages.
    """
    row = table.add_row()
    cells = row.cells
    for cell, width in zip(cells, table._widths, strict=True):
        cell.width = width
    for position, value in enumerate(values):
        if value is not None:
            write(cells[position], value, bold=bold or header, align=aligns[position] if aligns else align,
                  size=size, style_id=table._text_style)
    properties = row._tr.get_or_add_trPr()
    if header:
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        properties.append(repeat)
    if header or keep:
        whole = OxmlElement("w:cantSplit")
        whole.set(qn("w:val"), "true")
        properties.append(whole)
    return cells


def write(cell: Any, value: object, *, bold: bool = False, align: Any = CENTER, size: float | None = None,
          style_id: str | None = None) -> None:
    """Write text into a cell (line breaks kept), in the table style, vertically centred."""
    text = clean(value)
    paragraph = cell.paragraphs[0]
    if style_id is not None:
        paragraph._p.style = style_id
    else:
        paragraph.style = TEXT_STYLE
    paragraph.alignment = align
    if text:
        run = paragraph.add_run(text)
        if bold:
            run.bold = True
        if size is not None:
            run.font.size = Pt(size)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def merge(first: Any, last: Any) -> Any:
    """Merge the rectangle from cell ``first`` to cell ``last``; only ``first`` should hold text."""
    return first if first is last else first.merge(last)


def spacer(document: Any) -> None:
    """An empty, tiny paragraph: keeps two tables apart (Word would join adjacent tables into one)."""
    paragraph = add_paragraph(document, "", TEXT_STYLE)
    paragraph.paragraph_format.line_spacing = Pt(1)
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run("")
    run.font.size = Pt(1)
