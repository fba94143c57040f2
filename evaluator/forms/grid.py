"""The shared table logic: rows of cells from any reader, cut into forms, with header columns found by word.

Every reader (text export, Word, Excel) turns a file into one stream of ``Row`` objects: each
table row with its cells in order (a horizontally merged cell once, with its span; a vertically
merged cell repeated on every row it covers, like python-docx gives it), and each paragraph
outside a table as a one-cell row. This module then

- cleans the stream (blank rows and signature footers dropped, merged-cell text de-duplicated),
- cuts it into forms by their titles (附表1 部门整体支出绩效目标表 …), their "附表N" markers, or
  the label that opens each form (部门名称, 支出方向（子项）, the 序号/名称/金额 header),
- finds header rows and columns by their words, with all whitespace removed ("名  称" = "名称"),
  never by fixed positions.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from functools import cached_property

from evaluator.decimals import in_range
from evaluator.errors import Location

__all__ = ["Cell", "Column", "FORM_NAMES", "Form", "Header", "Row", "Where", "anchor_kind", "clean_rows",
    "clean_text", "column_letter", "find_header", "header_words", "is_amount", "merged_text", "norm", "parse_amount",
    "split_forms", "title_kind"]

FORM_NAMES = {
    "附表1": "部门整体支出绩效目标表",
    "附表2": "专项资金绩效目标汇总表",
    "附表3": "专项资金支出方向绩效目标表",
}
_TITLES = (  # checked in order: the summary before the project form
    ("附表1", ("部门整体支出绩效目标表",)),
    ("附表2", ("专项资金绩效目标汇总表", "项目支出绩效目标汇总表")),
    ("附表3", ("专项资金支出方向绩效目标表", "项目支出绩效目标表")),
)
_MARKER = re.compile(r"附表([123])(?:[-－]\d+)?[:：]?")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
_FOOTERS = (
    "单位负责人签字", "单位负责人", "填表人", "审核人", "财务负责人", "联系电话", "填报日期", "填表日期",
)
_MONEY_UNIT = re.compile(r"金额(?:单位)?:(亿元|千元|万元|元)")
_UNIT_IN_LABEL = re.compile(r"^年度预算申请\((亿元|千元|万元|元)\)$")


def norm(text: str) -> str:
    """Return text for comparing words: full-width forms folded (NFKC), all whitespace removed."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


@dataclass(frozen=True)
class Where:
    """Where a row came from: a line of a text export, a row of a Word table, or a row of a sheet."""

    file: str
    line: int | None = None
    table: int | None = None
    sheet: str | None = None
    row: int | None = None
    hidden: bool = False  # the sheet is hidden in Excel: the user may not know it is there

    def location(self, column: str | None = None, *, line: int | None = None) -> Location:
        return Location(
            file=self.file, line=line or self.line, sheet=self.sheet, row=self.row, column=column,
            key=f"第{self.table}个表格" if self.table else None,
        )


@dataclass(frozen=True)
class Cell:
    """One cell: its text, its first grid column (0-based) and how many columns it spans."""

    text: str
    col: int
    span: int = 1
    line: int | None = None  # text export: the line the cell starts on
    continued: bool = False  # the same merged cell as on the row above (its text repeated)
    formula: str | None = None  # a spreadsheet formula whose result was never saved (the text is then "")
    linked: str | None = None  # a formula that takes its value from another workbook (the text is its cached value)

    @property
    def last(self) -> int:
        return self.col + self.span - 1


@dataclass(frozen=True)
class Row:
    cells: tuple[Cell, ...]
    where: Where
    letters: bool = False  # spreadsheet rows name their columns A, B, C …

    @property
    def texts(self) -> list[str]:
        return [cell.text for cell in self.cells]

    def filled(self) -> list[Cell]:
        return [cell for cell in self.cells if cell.text]

    def location(self, cell: Cell | None = None, header: str | None = None) -> Location:
        column = None
        if header:
            column = f"“{header}”"
        if cell is not None and self.letters:
            letter = column_letter(cell.col)
            column = f"{letter}（{header}）" if header else letter
        return self.where.location(column, line=cell.line if cell is not None else None)


def column_letter(index: int) -> str:
    """Return the spreadsheet letter of a 0-based column: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def merged_text(text: str) -> str:
    """Return a merged cell's text once: Word repeats the text of cells merged while full."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if len(lines) > 1 and len(set(lines)) == 1:
        return lines[0]
    return text


def clean_text(text: str) -> str:
    """Strip a cell: surrounding whitespace, trailing spaces of each line, Windows line ends."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def clean_rows(rows: Iterable[Row]) -> list[Row]:
    """Drop blank rows and signature footers; strip every cell."""
    kept = []
    for row in rows:
        cells = tuple(replace(c, text=clean_text(c.text)) for c in row.cells)
        filled = [c for c in cells if c.text]
        if not filled or norm(filled[0].text).startswith(_FOOTERS):
            continue
        kept.append(Row(cells, row.where, row.letters))
    return kept


@dataclass
class Form:
    """One form found in a file: its kind (附表1/2/3), title and rows."""

    kind: str
    file: str
    where: Where
    title: str | None = None
    rows: list[Row] = field(default_factory=list)
    anchored: bool = False

    @property
    def year(self) -> int | None:
        match = _YEAR.search(self.title or "")
        return int(match.group(1)) if match else None

    @cached_property
    def money_unit(self) -> str | None:
        """The unit of the form's money: “金额：万元”, “金额单位：万元”, or “年度预算申请（万元）”."""
        fallback = None
        for row in self.rows:
            for cell in row.filled():
                text = norm(cell.text)
                match = _MONEY_UNIT.search(text)
                if match:
                    return match.group(1)
                match = _UNIT_IN_LABEL.search(text)
                if match and fallback is None:
                    fallback = match.group(1)
        return fallback

    @cached_property
    def reporter(self) -> str | None:
        """The 填报单位 written in the form's head, without （盖章）; None when left blank."""
        for row in self.rows[:4]:
            for cell in row.filled():
                match = re.match(r"\s*填报单位\s*[:：](.*)", cell.text, re.S)
                if match:
                    value = re.split(r"金额", match.group(1))[0]
                    value = re.sub(r"[（(]\s*盖章\s*[)）]", "", value).strip()
                    return value or None
        return None


def title_kind(text: str) -> str | None:
    """Return 附表1/2/3 when ``text`` is a form title such as “2023年部门整体支出绩效目标表”."""
    text = norm(text)
    if len(text) > 80:
        return None
    for kind, titles in _TITLES:
        for title in titles:
            if re.search(re.escape(title) + r"(?:\(.*\))?$", text):
                return kind
    return None


def anchor_kind(row: Row) -> str | None:
    """Return the kind of form a row opens when there is no title.

    附表1 opens with 部门名称, 附表3 with 支出方向（子项）, 附表2 with its 序号/名称/金额 header. A label
    merged down from the row above opens nothing again.
    """
    words = [norm(cell.text) for cell in row.filled() if not cell.continued]
    if "序号" in words and any(w in ("名称", "专项名称", "项目名称") for w in words) and any(
        w.startswith("金额") for w in words
    ):
        return "附表2"
    if "部门名称" in words:
        return "附表1"
    if any(w in ("支出方向(子项)", "支出方向", "项目名称") for w in words[:1]):
        return "附表3"
    return None


def split_forms(rows: Sequence[Row], file: str) -> list[Form]:
    """Cut a file's cleaned rows into forms; rows before the first form are ignored."""
    forms: list[Form] = []
    current: Form | None = None
    marker: tuple[str, Row] | None = None
    for row in rows:
        texts = list(dict.fromkeys(cell.text for cell in row.filled()))
        if len(texts) == 1:
            match = _MARKER.fullmatch(norm(texts[0]))
            if match:
                marker = (f"附表{match.group(1)}", row)
                continue
            kind = title_kind(texts[0])
            if kind:
                current = Form(kind, file, row.where, title=texts[0])
                forms.append(current)
                marker = None
                continue
        if marker is not None:
            current = Form(marker[0], file, marker[1].where)
            forms.append(current)
            marker = None
        anchor = anchor_kind(row)
        if anchor and (current is None or current.kind != anchor or current.anchored):
            current = Form(anchor, file, row.where)
            forms.append(current)
        if current is not None:
            current.anchored = current.anchored or anchor == current.kind
            current.rows.append(row)
    return [form for form in forms if form.rows]


# --- headers and columns ------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """A column a section needs: its field, the header words that name it, and whether it must be there."""

    field: str
    label: str
    pattern: str
    required: bool = True

    def matches(self, word: str) -> bool:
        return re.match(self.pattern, word) is not None


@dataclass(frozen=True)
class Header:
    """A header row found: which cell heads which field, and which required columns are missing."""

    row: Row
    cells: dict[str, Cell]
    missing: tuple[Column, ...]

    def value(self, row: Row, name: str) -> tuple[str, Cell | None]:
        """Return the text of ``row`` under the column ``name`` (by grid position), and its cell."""
        head = self.cells.get(name)
        if head is None:
            return "", None
        for cell in row.cells:
            if cell.col <= head.last and cell.last >= head.col:
                return cell.text, cell
        return "", None


def find_header(row: Row, columns: Sequence[Column], minimum: int = 2) -> Header | None:
    """Return the header when at least ``minimum`` of the columns are named in ``row``."""
    found: dict[str, Cell] = {}
    for cell in row.filled():
        word = norm(cell.text)
        for column in columns:
            if column.field not in found and column.matches(word):
                found[column.field] = cell
                break
    if len(found) < minimum:
        return None
    missing = tuple(c for c in columns if c.required and c.field not in found)
    return Header(row, found, missing)


def header_words(header: Header) -> str:
    return "、".join(c.text.replace("\n", "") for c in header.row.filled())


# --- numbers ------------------------------------------------------------------------------------


def parse_amount(text: str, unit: str | None = None) -> Decimal | None:
    """Return the Decimal in a money cell ("790.64", "1,234.5", "36.00万元" in the form's unit).

    Empty text gives None; text that is not a number raises ValueError.
    """
    raw = norm(text).replace(",", "")
    if not raw:
        return None
    if unit and raw.endswith(unit):
        raw = raw[: -len(unit)]
    if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)", raw):
        raise ValueError(text)
    try:
        number = Decimal(raw)
    except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
        raise ValueError(text) from None
    if not in_range(number):  # 0, or a magnitude the tool computes with (evaluator.decimals)
        raise ValueError(text)
    return number


def is_amount(text: str) -> bool:
    try:
        return parse_amount(text) is not None
    except ValueError:
        return False
