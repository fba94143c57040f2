"""Read the text export of a Word form (“另存为纯文本”) into rows.

The layout, as in examples/forms/2023-shifeng-npc-targets.txt:

- every table cell starts a line with a tab (a few spaces before the tab are tolerated);
- a cell of several paragraphs goes on over the next lines, which do not start with a tab;
- a blank line ends a table row; an empty or merged cell is an empty tab line;
- a line without a tab after a blank line is a paragraph outside the tables (a footer such as
  “填表人：” or a heading), and becomes a one-cell row of its own.
"""

from __future__ import annotations

from evaluator.errors import InputErrors, Location, Problem
from evaluator.forms.grid import Cell, Row, Where

__all__ = ["decode", "read_text_rows"]


def decode(name: str, data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030 (Chinese Windows' default)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings: tuple[str, ...] = ("utf-16",)
    else:
        encodings = ("utf-8-sig", "gb18030")
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputErrors([
        Problem(
            Location(file=name), "无法识别文本文件的编码（既不是 UTF-8，也不是 GBK/GB18030）",
            "在 Word 中“另存为”纯文本时选择 UTF-8 编码，或直接导入 .docx 文件。", code="encoding",
        )
    ])


def read_text_rows(name: str, data: bytes) -> list[Row]:
    """Return the rows of a text export, each remembering the line it starts on."""
    rows: list[Row] = []
    cells: list[Cell] = []
    paragraph = False  # the open row is a paragraph outside the tables
    after_blank = True
    start = 0

    def close() -> None:
        nonlocal cells
        if cells:
            rows.append(Row(tuple(cells), Where(name, line=start)))
        cells = []

    for number, line in enumerate(decode(name, data).splitlines(), start=1):
        if not line.strip(" \u3000\r\f\v"):  # a lone tab is an empty cell, not a blank line
            close()
            after_blank = True
            continue
        body = line.lstrip(" \u3000")
        if body.startswith("\t"):
            if not cells or paragraph:
                close()
                start, paragraph = number, False
            for part in body.split("\t")[1:]:
                cells.append(Cell(part, len(cells), line=number))
        elif not cells or after_blank:
            close()
            start, paragraph = number, True
            cells.append(Cell(line, 0, line=number))
        else:
            last = cells[-1]
            cells[-1] = Cell(f"{last.text}\n{line}", last.col, line=last.line)
        after_blank = False
    close()
    return rows
