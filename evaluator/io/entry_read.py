"""Read a filled entry workbook back into Actuals, with every problem located by sheet, row and column.

Only the data is read: the file is checked and opened by ``evaluator.io.office`` (the limits every
Office file gets), nothing in it is run, formulas count by their cached result. Sheets and columns are found by their header words, so
renamed or reordered sheets and columns, blank rows and extra sheets are all fine. Merged cells
are fine over label columns (their text is repeated), but a merge over a fill-in cell is refused:
one value would silently stand for several rows or columns.
Cells typed as numbers, percentages or dates become the text a person would have typed.
"""

from __future__ import annotations

import datetime
import hashlib
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from evaluator.decimals import RANGE_TEXT, in_range
from evaluator.errors import InputErrors, Location, Problem
from evaluator.io.entry_layout import (
    ACKNOWLEDGED_COLUMNS,
    BUDGET_COLUMNS,
    BUDGET_LINES,
    BUDGET_MONEY_KEYS,
    BUDGET_TEXT_KEYS,
    BUDGET_TOTAL_LINE,
    DEPARTMENT_CODE,
    DEPARTMENT_NAME,
    DEPARTMENT_SHEET,
    INDICATOR_COLUMNS,
    INDICATOR_FILL_KEYS,
    INDICATOR_MARKERS,
    INDICATOR_NUMBER_KEYS,
    META_FIELDS,
    META_MAP_HEADERS,
    SHEET_ACKNOWLEDGED,
    SHEET_BUDGET,
    SHEET_META,
    SHEET_SUMMARY,
    SUMMARY_ROWS,
    Column,
    budget_line,
    header_key,
)
from evaluator.io.files import read_input
from evaluator.io.office import CellData, check_package, read_workbook
from evaluator.model import (
    ACTUALS_SCHEMA,
    FUNDING_SOURCES,
    MONEY_UNITS,
    TIERS,
    Acknowledgement,
    Actuals,
    BudgetActual,
    FundingActual,
    IndicatorActual,
    ProjectActual,
    Summary,
)

__all__ = ["Grid", "Merge", "Meta", "cell_text", "read_actuals_workbook", "read_workbook_actuals"]

HEADER_SEARCH_ROWS = 30
PLACEHOLDERS = {"", "—", "——", "-", "--", "－", "/", "／", "不适用"}
_REBUILD = "请用 evaluator template 重新生成填报表，再把已填内容复制过去。"
_THOUSANDS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")  # "1,234.5": commas between groups of three
_DIGITS_AND_COMMAS = re.compile(r"[+-]?[\d,]*\d[\d,]*(?:\.\d*)?")


@dataclass(frozen=True)
class Merge:
    """A merged range of a sheet: its A1 reference and its bounds (1-based, inclusive)."""

    ref: str
    min_row: int
    min_col: int
    max_row: int
    max_col: int


@dataclass
class Grid:
    """The cells of one sheet that hold something, by row; a merged range repeats its top-left cell."""

    title: str
    rows: dict[int, dict[int, CellData]]
    merges: tuple[Merge, ...] = ()

    def get(self, row: int, column: int) -> CellData | None:
        return self.rows.get(row, {}).get(column)

    def row_keys(self, row: int) -> dict[int, str]:
        """Return {column: header_key(text)} of one row, left to right."""
        return {c: header_key(v.value) for c, v in sorted(self.rows.get(row, {}).items())}


@dataclass
class Meta:
    year: int | None = None
    department: str | None = None
    money_unit: str = "万元"
    sheets: dict[str, str] = field(default_factory=dict)  # sheet title → scope code
    names: dict[str, str] = field(default_factory=dict)  # scope name → scope code
    codes: set[str] = field(default_factory=set)
    ids: dict[str, str] = field(default_factory=dict)  # indicator id → scope code
    targets_sha256: str | None = None  # the targets file the workbook was made from


class _Collector:
    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def add(self, message: str, hint: str = "", *, sheet: str | None = None, row: int | None = None,
            column: int | None = None, indicator: str | None = None, code: str = "workbook") -> None:
        letter = get_column_letter(column) if column else None
        where = Location(file=self.file, sheet=sheet, row=row, column=letter, indicator=indicator)
        self.problems.append(Problem(where, message, hint, code=code))


def read_actuals_workbook(path: Path | str) -> Actuals:
    """Read a filled entry workbook into Actuals; raise InputErrors listing every problem in it."""
    actuals, problems = read_workbook_actuals(path)
    if problems:
        raise InputErrors(problems)
    return actuals


def read_workbook_actuals(path: Path | str) -> tuple[Actuals, list[Problem]]:
    """Read a filled entry workbook as far as it can be read: the Actuals (a cell in error is left out)
    and every problem found, so that the problems found with the targets can be listed beside them.

    Raises InputErrors only when the file cannot be opened as a workbook at all.
    """
    name, data = read_input(Path(path))
    found = _Collector(name)
    grids = _open(found, name, data)
    meta = _metadata(found, grids)
    by_scope: dict[str, dict[str, IndicatorActual]] = {}
    seen: dict[str, tuple[str, int]] = {}
    for grid in grids.values():
        if grid.title in (SHEET_META, SHEET_BUDGET, SHEET_SUMMARY, SHEET_ACKNOWLEDGED):
            continue
        _indicator_sheet(found, grid, meta, by_scope, seen)
    budgets, claimed_totals, overviews = _budget_sheet(found, grids, meta)
    summary = _summary_sheet(found, grids)
    acknowledged = _acknowledged_sheet(found, grids)
    projects = {}
    for code in sorted(set(by_scope) | set(budgets) | set(claimed_totals) | set(overviews), key=_scope_order(meta)):
        if code == DEPARTMENT_CODE:
            continue
        projects[code] = ProjectActual(id=code, budget=budgets.get(code), indicators=by_scope.get(code, {}),
                                       claimed_total=claimed_totals.get(code), overview=overviews.get(code))
    return Actuals(
        year=meta.year or 0,
        department=meta.department or "",
        money_unit=meta.money_unit,
        budget=budgets.get(DEPARTMENT_CODE),
        indicators=by_scope.get(DEPARTMENT_CODE, {}),
        projects=projects,
        summary=summary if summary.overview or DEPARTMENT_CODE not in overviews else replace(
            summary, overview=overviews[DEPARTMENT_CODE]),
        claimed_total=claimed_totals.get(DEPARTMENT_CODE),
        source=name,
        sha256=hashlib.sha256(data).hexdigest(),
        targets_sha256=meta.targets_sha256,  # so that a workbook made from older targets is called stale
        acknowledged=acknowledged,
    ), found.problems


def _scope_order(meta: Meta):  # type: ignore[no-untyped-def]
    order = {code: position for position, code in enumerate(meta.names.values())}
    return lambda code: (order.get(code, len(order)), code)


# --- the container --------------------------------------------------------------------------------


def _open(found: _Collector, name: str, data: bytes) -> dict[str, Grid]:
    """Check and open the workbook (``evaluator.io.office``) and return each sheet's cells by row."""
    package = check_package(name, data, "xlsx", what="填报表")
    if package.external_links:
        found.add(f"工作簿含有外部链接（引用其他工作簿：{'、'.join(package.external_links)}），"
                  "填报表中的数值应直接填写，不能引用其他文件",
                  "在 Excel 中“数据 → 编辑链接 → 断开链接”后保存，再评分。", code="external-link")
    grids = {}
    for sheet in read_workbook(name, data, package):
        rows: dict[int, dict[int, CellData]] = {}
        for (row, column), cell in sheet.cells.items():
            rows.setdefault(row, {})[column] = cell
        merges = tuple(Merge(ref, min_row, min_col, max_row, max_col)
                       for min_row, min_col, max_row, max_col, ref in sheet.merges)
        for merged in merges:
            anchor = rows.get(merged.min_row, {}).get(merged.min_col)
            if anchor is None:
                continue
            for row in range(merged.min_row, merged.max_row + 1):
                for column in range(merged.min_col, merged.max_col + 1):
                    rows.setdefault(row, {}).setdefault(column, anchor)
        grids[sheet.title] = Grid(sheet.title, rows, merges)
    return grids


def _merged_fill_cells(found: _Collector, grid: Grid, header_row: int, where: dict[str, int],
                       columns: tuple[Column, ...], id_column: int | None = None) -> None:
    """Refuse each merged range that covers a fill-in cell below the header, and drop its copies.

    Excel keeps only the top-left cell of a merge: the others would silently repeat its value in
    other rows or columns (年初 = 全年 = 执行, or one indicator's actual for the next one's).
    """
    fill_columns = {where[c.key]: c.key for c in columns if c.fill and c.key in where}
    for merge in grid.merges:
        if merge.max_row <= header_row:
            continue
        covered = [c for c in range(merge.min_col, merge.max_col + 1) if c in fill_columns]
        if not covered:
            continue  # over label columns only: the text is repeated, as the user meant
        first = max(merge.min_row, header_row + 1)
        rows = f"第{first}行" if first == merge.max_row else f"第{first}至{merge.max_row}行"
        headers = "、".join(_header_of(fill_columns[c], columns) for c in covered)
        ids = []
        if id_column is not None:
            for row in range(first, merge.max_row + 1):
                cell = grid.get(row, id_column)
                text = cell_text(cell) if cell is not None else None
                if text and text not in ids:
                    ids.append(text)
        whose = f"（指标 {'、'.join(ids)}）" if len(ids) > 1 else ""
        found.add(
            f"合并单元格 {merge.ref} 覆盖了{rows}{whose}的填写列{headers}：合并后只保留左上角单元格的内容，"
            "无法确定每一行、每一列各自的值",
            f"选中 {merge.ref}，在“开始”中点“合并后居中”取消合并，再逐个单元格分别填写。",
            sheet=grid.title, row=first, column=covered[0], indicator=ids[0] if len(ids) == 1 else None,
            code="merged-fill",
        )
        anchor = grid.get(merge.min_row, merge.min_col)
        for row in range(merge.min_row, merge.max_row + 1):
            for column in range(merge.min_col, merge.max_col + 1):
                if (row, column) != (merge.min_row, merge.min_col) and grid.rows.get(row, {}).get(column) is anchor:
                    del grid.rows[row][column]  # one problem for the merge, not one per copied cell


# --- cell values ----------------------------------------------------------------------------------


def _blank(cell: CellData) -> bool:
    """A cell that holds nothing to read: empty text, or a dash or slash meaning “not applicable”."""
    return isinstance(cell.value, str) and cell.value.strip() in PLACEHOLDERS


def _decimal(number: int | float) -> Decimal:
    """Return a cell's number exactly as Excel shows it: 15 significant digits, so 0.1+0.2 is 0.3."""
    return Decimal(number) if isinstance(number, int) else Decimal(format(number, ".15g"))


def _plain(number: Decimal) -> str:
    return format(number.normalize(), "f") if number != 0 else "0"


def cell_text(cell: CellData) -> str | None:
    """Return a cell as the text a person would have typed: 12 → "12", 0.972 (as %) → "97.2%"."""
    value = cell.value
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime.datetime | datetime.date):
        return f"{value.year}年{value.month}月{value.day}日"
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, datetime.timedelta):
        return str(value)
    if isinstance(value, int | float):
        if "%" in cell.number_format:
            return _plain(_decimal(value) * 100) + "%"
        return _plain(_decimal(value))
    text = str(value).strip()
    return text or None


def _number(cell: CellData, *, percent: bool = False, unit: str | None = None) -> Decimal | str | None:
    """Return a cell as a Decimal, or a Chinese reason why it is not a number.

    Accepts real numbers and text such as "1,234.5", "95%", "10分", "815.2万元" (``unit`` only). A comma
    is a thousands separator only between groups of three digits: "801,37" is refused, not read as 80137.
    ``percent``: a percent-formatted 0.7 and a typed "70%" both give 70.
    """
    value = cell.value
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return f"应为数字，实际是“{cell_text(cell)}”"
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return f"应为有限的数字，实际是“{value}”"
        number = _decimal(value)
        if percent and "%" in cell.number_format:
            number *= 100
        return number if in_range(number) else f"数值“{_plain(number)}”超出可处理的范围（{RANGE_TEXT}）"
    text = unicodedata.normalize("NFKC", value).strip().replace(" ", "")
    if not text:
        return None
    for suffix in ("%", "分", unit or "%"):
        if text.endswith(suffix) and (suffix != "%" or percent):
            text = text[: -len(suffix)]
            break
    if "," in text:
        if not _THOUSANDS.fullmatch(text):
            if _DIGITS_AND_COMMAS.fullmatch(text):  # "801,37": a decimal comma, or misplaced separators
                return f"填写的“{value.strip()}”不是有效数字：小数点请用“.”，千位分隔符“,”只能每三位一个（如 1,234.5）"
            return f"应为数字，实际是“{value.strip()}”"
        text = text.replace(",", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        return f"应为数字，实际是“{value.strip()}”"
    if not in_range(number):
        return f"数值“{value.strip()}”超出可处理的范围（{RANGE_TEXT}）"
    return number


# --- metadata -------------------------------------------------------------------------------------


def _metadata(found: _Collector, grids: dict[str, Grid]) -> Meta:
    meta = Meta()
    marker = header_key(META_FIELDS[0][1])  # 格式版本, in column A of a renamed 元数据 sheet
    grid = grids.get(SHEET_META) or next(
        (g for g in grids.values() if any(g.row_keys(r).get(1) == marker for r in g.rows)), None)
    if grid is None:
        found.add(f"找不到“{SHEET_META}”工作表，无法确定年度、部门和各工作表对应的范围", _REBUILD, code="no-metadata")
        return meta
    labels = {header_key(label): key for key, label in META_FIELDS} | {key: key for key, _ in META_FIELDS}
    raw: dict[str, tuple[int, str | None]] = {}
    map_header: tuple[int, dict[str, int]] | None = None
    wanted = {header_key(h): h for h in META_MAP_HEADERS}
    for row in sorted(grid.rows):
        texts = grid.row_keys(row)
        if {wanted[k] for k in texts.values() if k in wanted} >= set(META_MAP_HEADERS[:3]):
            map_header = (row, {wanted[k]: c for c, k in texts.items() if k in wanted})
            break
        if texts.get(1) in labels:
            cell = grid.get(row, 2)
            raw[labels[texts[1]]] = (row, cell_text(cell) if cell else None)
    schema = raw.get("schema", (None, None))[1]
    if schema != ACTUALS_SCHEMA:
        found.add(f"元数据中的格式版本应为“{ACTUALS_SCHEMA}”，实际是“{schema or '空'}”", _REBUILD,
                  sheet=grid.title, row=raw.get("schema", (None,))[0], code="schema")
    year_row, year = raw.get("year", (None, None))
    try:
        meta.year = int(Decimal(year)) if year else None
    except InvalidOperation:
        meta.year = None
    if meta.year is None or not 1990 <= meta.year <= 2100:
        found.add(f"元数据中的年度“{year or '空'}”不是有效的四位数年度", _REBUILD, sheet=grid.title, row=year_row)
        meta.year = None
    department_row, meta.department = raw.get("department", (None, None))
    if not meta.department:
        found.add("元数据中缺少部门名称", _REBUILD, sheet=grid.title, row=department_row)
    unit_row, unit = raw.get("money_unit", (None, None))
    if unit and unit not in MONEY_UNITS:
        found.add(f"金额单位应为 {'、'.join(MONEY_UNITS)} 之一，实际是“{unit}”", sheet=grid.title, row=unit_row,
                  code="money-unit")
    meta.money_unit = unit if unit in MONEY_UNITS else "万元"
    digest = (raw.get("targets_sha256", (None, None))[1] or "").strip().lower()
    meta.targets_sha256 = digest if re.fullmatch(r"[0-9a-f]{64}", digest) else None
    if map_header is None:
        found.add("元数据中缺少工作表与范围的对应表（表头：" + "、".join(META_MAP_HEADERS) + "）", _REBUILD,
                  sheet=grid.title, code="no-metadata")
        return meta
    header_row, where = map_header
    for row in sorted(r for r in grid.rows if r > header_row):
        def text(header: str, row: int = row) -> str:
            cell = grid.get(row, where[header]) if header in where else None
            return (cell_text(cell) or "") if cell else ""

        code = text("范围编号")
        if not code:
            continue
        meta.codes.add(code)
        meta.names[text("范围名称") or code] = code
        if text("工作表"):
            meta.sheets[text("工作表")] = code
        for indicator_id in re.split(r"[、,，\s]+", text("指标编号")):
            if indicator_id:
                meta.ids[indicator_id] = code
    return meta


# --- indicator sheets -----------------------------------------------------------------------------


def _find_header(grid: Grid, columns: Iterable[Column], needed: str,
                 markers: Iterable[str]) -> tuple[int, dict[str, int]] | None:
    """Return the header row and {column key: column number}: the first row with ``needed`` and a marker."""
    columns = tuple(columns)
    markers = set(markers)
    for row in sorted(r for r in grid.rows if r <= HEADER_SEARCH_ROWS):
        where: dict[str, int] = {}
        for column, key in grid.row_keys(row).items():
            match = next((c.key for c in columns if key in c.names()), None)
            if match is not None:
                where.setdefault(match, column)
        if needed in where and markers & set(where):
            return row, where
    return None


def _indicator_sheet(found: _Collector, grid: Grid, meta: Meta, by_scope: dict[str, dict[str, IndicatorActual]],
                     seen: dict[str, tuple[str, int]]) -> None:
    sheet_scope = meta.sheets.get(grid.title) or (DEPARTMENT_CODE if grid.title == DEPARTMENT_SHEET else None)
    header = _find_header(grid, INDICATOR_COLUMNS, "id", INDICATOR_MARKERS)
    if header is None:
        if sheet_scope is not None:
            found.add("找不到表头行（应有“编号”“实际完成值”等列名）", _REBUILD, sheet=grid.title, code="no-header")
        return  # an extra sheet of the user's own: not ours, ignored
    row0, where = header
    if "actual" not in where:
        if sheet_scope is not None or set(where) & set(INDICATOR_FILL_KEYS):
            found.add("缺少“实际完成值”列", "在表头行补上“实际完成值”列，或用 evaluator template "
                      "重新生成填报表。", sheet=grid.title, row=row0, code="no-column")
        return
    _merged_fill_cells(found, grid, row0, where, INDICATOR_COLUMNS, where["id"])
    for row in sorted(r for r in grid.rows if r > row0):
        entry = _indicator_row(found, grid, row, where)
        if entry is None:
            continue
        scope = meta.ids.get(entry.id) or sheet_scope or DEPARTMENT_CODE
        if entry.id in seen:
            first_sheet, first_row = seen[entry.id]
            found.add(f"指标编号“{entry.id}”重复（第一次在工作表“{first_sheet}”第{first_row}行）",
                      "每个指标只填一行。", sheet=grid.title, row=row, column=where["id"], indicator=entry.id,
                      code="duplicate-id")
            continue
        seen[entry.id] = (grid.title, row)
        if _filled(entry):
            by_scope.setdefault(scope, {})[entry.id] = entry


def _filled(entry: IndicatorActual) -> bool:
    return any(getattr(entry, key) is not None for key in INDICATOR_FILL_KEYS)


def _indicator_row(found: _Collector, grid: Grid, row: int, where: dict[str, int]) -> IndicatorActual | None:
    """Return the row's IndicatorActual (maybe with nothing filled), or None for a blank or note row."""
    cells = {key: grid.get(row, column) for key, column in where.items()}
    id_cell = cells.get("id")
    indicator_id = cell_text(id_cell) if id_cell else None
    filled = {key: cell for key in INDICATOR_FILL_KEYS
              if (cell := cells.get(key)) is not None and not _blank(cell)}
    if indicator_id is None:
        if filled:
            column = where[next(iter(filled))]
            found.add("这一行填写了内容，但没有指标编号", "在“编号”列填写目标文件中的指标编号，或删除这一行。",
                      sheet=grid.title, row=row, column=column, code="no-id")
        return None
    fields: dict[str, Any] = {}
    ok = True
    for key, cell in filled.items():
        column = where[key]
        if not _usable(found, grid, row, column, cell, indicator_id, _header_of(key)):
            ok = False
            continue
        if key in INDICATOR_NUMBER_KEYS:
            number = _number(cell, percent=key == "pct")
            if isinstance(number, str):
                found.add(f"{_header_of(key)}{number}", "只填数字。", sheet=grid.title, row=row, column=column,
                          indicator=indicator_id, code="not-a-number")
                ok = False
            elif number is not None and number < 0 or (key == "pct" and number is not None and number > 100):
                limit = "应在 0 到 100 之间" if key == "pct" else "不能为负数"
                found.add(f"{_header_of(key)}{limit}，实际是 {number}", sheet=grid.title, row=row, column=column,
                          indicator=indicator_id, code="out-of-range")
                ok = False
            else:
                fields[key] = number
        else:
            fields[key] = cell_text(cell)
    tier = fields.get("tier")
    if tier is not None and tier not in TIERS:
        found.add(f"完成档次应为 {' | '.join(TIERS)} 之一，实际是“{tier}”", "从下拉列表选择。", sheet=grid.title, row=row,
                  column=where["tier"], indicator=indicator_id, code="tier")
        ok = False
    if not ok:
        return IndicatorActual(id=indicator_id, line=row, sheet=grid.title)
    return IndicatorActual(id=indicator_id, line=row, sheet=grid.title, **fields)


def _header_of(key: str, columns: tuple[Column, ...] = INDICATOR_COLUMNS + BUDGET_COLUMNS) -> str:
    column = next(c for c in columns if c.key == key)
    return f"“{column.header}”"


def _usable(found: _Collector, grid: Grid, row: int, column: int, cell: CellData, indicator: str | None,
            label: str) -> bool:
    """Report a formula without a cached result, or an Excel error value; True when the value can be used."""
    if cell.error:
        found.add(f"{label}单元格是错误值“{cell.value}”", "改为直接填写内容。", sheet=grid.title, row=row,
                  column=column, indicator=indicator, code="cell-error")
        return False
    if cell.formula is not None and cell.value is None:
        found.add(
            f"{label}单元格是公式“{cell.formula}”，但文件中没有保存它的计算结果",
            "在 Excel 中打开并保存一次，让公式算出结果；或改为直接填写。要填以“=”开头的文字，请在前面加英文单引号 '。",
            sheet=grid.title, row=row, column=column, indicator=indicator, code="formula",
        )
        return False
    return True


# --- budget and summary ---------------------------------------------------------------------------


def _budget_sheet(found: _Collector, grids: dict[str, Grid],
                  meta: Meta) -> tuple[dict[str, BudgetActual], dict[str, Decimal], dict[str, str]]:
    budgets: dict[str, BudgetActual] = {}
    totals: dict[str, Decimal] = {}
    overviews: dict[str, str] = {}
    header = None
    grid = grids.get(SHEET_BUDGET)
    if grid is not None:
        header = _find_header(grid, BUDGET_COLUMNS, "executed", ("code", "scope"))
    if header is None:  # renamed: any sheet whose header has 全年执行数 and 编号 or 范围
        for other in grids.values():
            if other.title not in (SHEET_META, SHEET_SUMMARY):
                header = _find_header(other, BUDGET_COLUMNS, "executed", ("code", "scope"))
                if header is not None:
                    grid = other
                    break
    if header is None or grid is None:
        if grid is not None:
            found.add("找不到表头行（应有“编号”“范围”“全年执行数”等列名）", _REBUILD, sheet=grid.title, code="no-header")
        return budgets, totals, overviews
    row0, where = header
    _merged_fill_cells(found, grid, row0, where, BUDGET_COLUMNS)
    sources: dict[str, dict[str, FundingActual]] = {}
    seen: set[tuple[str, str | None]] = set()
    for row in sorted(r for r in grid.rows if r > row0):
        cells = {key: grid.get(row, column) for key, column in where.items()}
        values: dict[str, Any] = {}
        ok = True
        for key in (c.key for c in BUDGET_COLUMNS if c.fill):
            cell = cells.get(key)
            if cell is None or _blank(cell):
                continue
            if not _usable(found, grid, row, where[key], cell, None, _header_of(key, BUDGET_COLUMNS)):
                ok = False
                continue
            if key in BUDGET_TEXT_KEYS:
                values[key] = cell_text(cell)
                continue
            number = _number(cell, unit=meta.money_unit if key in BUDGET_MONEY_KEYS else None)
            if isinstance(number, str) or (number is not None and number < 0):
                why = number if isinstance(number, str) else f"不能为负数，实际是 {number}"
                found.add(f"{_header_of(key, BUDGET_COLUMNS)}{why}", f"只填数字，金额单位为{meta.money_unit}。",
                          sheet=grid.title, row=row, column=where[key], code="not-a-number")
                ok = False
            elif number is not None:
                values[key] = number
        line = _budget_line(found, grid, row, cells.get("line"), where)
        if line is False:
            ok = False
        filled = ok and any(v is not None for v in values.values())
        code = _budget_scope(cells, meta)
        if code is None:
            if filled or not ok:
                examples = "、".join(sorted(meta.codes - {DEPARTMENT_CODE})) or "P1"
                found.add("无法确定这一行属于哪个范围", f"“编号”列填“{DEPARTMENT_CODE}”或专项编号（如 {examples}）。",
                          sheet=grid.title, row=row, code="budget-scope")
            continue
        if not filled or line is False:
            continue
        if (code, line) in seen:
            what = "预算执行数" if line is None else f"“{FUNDING_SOURCES[line]}”"
            found.add(f"范围“{code}”的{what}重复", "每个范围的每项资金只填一行。", sheet=grid.title, row=row,
                      code="duplicate")
            continue
        seen.add((code, line))
        if line is not None:
            extra = [key for key in values if key not in BUDGET_MONEY_KEYS]
            if extra:
                headers = "、".join(_header_of(key, BUDGET_COLUMNS) for key in extra)
                found.add(f"“{FUNDING_SOURCES[line]}”这一行只填金额，不填{headers}",
                          f"{headers}填在“{BUDGET_TOTAL_LINE}”一行。", sheet=grid.title, row=row,
                          column=where[extra[0]], code="funding-extra")
                continue
            sources.setdefault(code, {})[line] = FundingActual(**values, line=row, sheet=grid.title)
            continue
        total = values.pop("claimed_total", None)
        if total is not None:
            totals[code] = total
        overview = values.pop("overview", None)
        if overview is not None:
            overviews[code] = overview
        if any(v is not None for v in values.values()):
            budgets[code] = BudgetActual(**values, line=row, sheet=grid.title)
    for code, lines in sources.items():
        ordered = {key: lines[key] for key in FUNDING_SOURCES if key in lines}
        first = min(lines.values(), key=lambda f: f.line or 0)
        budget = budgets.get(code) or BudgetActual(line=first.line, sheet=grid.title)
        budgets[code] = replace(budget, sources=ordered)
    return budgets, totals, overviews


def _budget_line(found: _Collector, grid: Grid, row: int, cell: CellData | None,
                 where: dict[str, int]) -> str | None | bool:
    """Return the 项目资金 line of a row (None: 年度资金总额), or False after reporting a 资金 it cannot read."""
    if cell is None or _blank(cell):
        return None
    line = budget_line(cell_text(cell))
    if line is False:
        names = "、".join(label for _, label in BUDGET_LINES)
        found.add(f"“资金”应为 {names} 之一，实际是“{cell_text(cell)}”", "照填报表原样保留“资金”列的文字。",
                  sheet=grid.title, row=row, column=where["line"], code="funding-line")
    return line


def _budget_scope(cells: dict[str, CellData | None], meta: Meta) -> str | None:
    code_cell, scope_cell = cells.get("code"), cells.get("scope")
    code = cell_text(code_cell) if code_cell else None
    name = cell_text(scope_cell) if scope_cell else None
    if code in (DEPARTMENT_CODE, "部门", DEPARTMENT_NAME) or name in (DEPARTMENT_NAME, DEPARTMENT_CODE):
        return DEPARTMENT_CODE
    if code:
        return code  # an id the targets do not have is reported by check_pair
    return meta.names.get(name) if name else None


def _summary_sheet(found: _Collector, grids: dict[str, Grid]) -> Summary:
    labels = {header_key(label): key for key, label, _ in SUMMARY_ROWS}
    labels |= {header_key(alias): key for key, _, aliases in SUMMARY_ROWS for alias in aliases}
    grid = grids.get(SHEET_SUMMARY)
    if grid is None:
        return Summary()
    texts: dict[str, str | None] = {}
    for row in sorted(grid.rows):
        cells = sorted(grid.rows[row].items())
        for position, (_, cell) in enumerate(cells):
            key = labels.get(header_key(cell.value)) if isinstance(cell.value, str) else None
            if key is None or key in texts:
                continue
            right = [(c, v) for c, v in cells[position + 1:] if v is not cell]  # not the label's own merge
            if not right:
                texts[key] = None
            elif _usable(found, grid, row, right[0][0], right[0][1], None, f"“{cell.value.strip()}”"):
                texts[key] = None if _blank(right[0][1]) else cell_text(right[0][1])
            break  # one label per row
    return Summary(**texts)


def _acknowledged_sheet(found: _Collector, grids: dict[str, Grid]) -> tuple[Acknowledgement, ...]:
    """The warnings accepted on the 已确认的提示 sheet (formats.md §2 ``acknowledged``); none without the sheet."""
    grid = grids.get(SHEET_ACKNOWLEDGED)
    header = _find_header(grid, ACKNOWLEDGED_COLUMNS, "code", ("reason",)) if grid is not None else None
    if grid is None or header is None:
        return ()
    row0, where = header
    accepted = []
    for row in sorted(r for r in grid.rows if r > row0):
        texts: dict[str, str | None] = {}
        usable = True
        for key in ("code", "indicator", "reason"):
            cell = grid.get(row, where[key]) if key in where else None
            if cell is not None and not _usable(found, grid, row, where[key], cell, None,
                                                _header_of(key, ACKNOWLEDGED_COLUMNS)):
                usable = False
            texts[key] = None if cell is None or _blank(cell) else cell_text(cell)
        code, reason = texts["code"], texts["reason"]
        if not usable:
            continue
        if code is None and reason is None:
            continue
        if code is None:
            found.add("写了确认理由，但没有提示代码", "填写 evaluator check 输出中警告末尾括号里的代码。",
                      sheet=grid.title, row=row, column=where["code"], code="acknowledged")
        elif reason is None:
            found.add(f"确认提示“{code}”必须写明理由", "在“确认理由”列写明为什么这项警告可以接受。",
                      sheet=grid.title, row=row, column=where.get("reason"), code="acknowledged")
        else:
            accepted.append(Acknowledgement(code=code, reason=reason, indicator=texts["indicator"], line=row,
                                            sheet=grid.title))
    return tuple(accepted)
