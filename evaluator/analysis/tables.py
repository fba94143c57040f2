"""The result tables of a batch: one row per department and scope (results.csv, results.xlsx), and failures.csv.

Rows are made per department as it is scored (``result_row``) and written by streaming writers,
so that a batch of 50,000 departments never holds its tables in memory: ``CsvWriter`` appends
lines, ``XlsxWriter`` fills a write-only workbook (openpyxl keeps its rows in a temporary file).
Numbers stay exact (Decimal); text that Excel would run as a formula stays text. A total with 待确认
indicators is marked in the 暂定 column, and the 待确认 count comes first among the status counts, so that
no provisional total passes for a final one.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import IO, Any

from evaluator.analysis.summaries import ScopeFindings
from evaluator.results.scores import STATUS_LABELS, STATUSES, Evaluation, Result
from evaluator.results.summary import Failure
from evaluator.workbook.cells import csv_text

__all__ = [
    "CsvWriter", "FAILURE_COLUMNS", "FAILURES_CSV", "RESULTS_CSV", "RESULTS_JSON", "RESULTS_JSONL",
    "RESULTS_PARQUET", "RESULTS_XLSX", "RESULT_COLUMNS", "XlsxWriter", "failure_rows",
    "result_row", "row_from_json", "row_to_json",
]

RESULTS_CSV = "results.csv"
RESULTS_XLSX = "results.xlsx"
RESULTS_JSON = "results.json"
RESULTS_JSONL = "results.jsonl"
RESULTS_PARQUET = "results.parquet"
FAILURES_CSV = "failures.csv"
SCOPE_LABELS = {"department": "部门整体", "project": "专项"}
FINDING_COLUMNS = (
    "自评总分", "自评等级", "复核后等级变化", "未获支持的自评分值", "错误数", "警告数", "未说明原因的偏差",
    "执行率低且未说明",
)
RESULT_COLUMNS = (
    "部门代码", "部门", "年度", "范围", "专项编号", "名称", "总分", "等级", "暂定", "预算执行率", "预算执行得分",
    "指标数", *(STATUS_LABELS[s] for s in STATUSES), *FINDING_COLUMNS,
)
TEXT_COLUMNS = frozenset(("部门代码", "部门", "范围", "专项编号", "名称", "等级", "暂定", "自评等级", "复核后等级变化"))
_TEXT = frozenset(RESULT_COLUMNS.index(name) for name in TEXT_COLUMNS)
RATE_COLUMN = RESULT_COLUMNS.index("预算执行率")
FAILURE_COLUMNS = ("部门代码", "文件", "问题")
XLSX_MAX_ROWS = 1_048_576  # Excel's limit; a larger table continues on the next sheet


def result_row(slug: str, result: Result, evaluation: Evaluation, findings: ScopeFindings) -> tuple[object, ...]:
    """One line of results.csv / results.xlsx, in RESULT_COLUMNS order."""
    ex = evaluation.execution
    changed = findings.claimed_grade is not None and findings.claimed_grade != evaluation.grade
    return (
        slug, result.department, result.year, SCOPE_LABELS[evaluation.scope], evaluation.id or "",
        evaluation.name, evaluation.total, evaluation.grade,
        f"暂定（{evaluation.pending}项待确认）" if evaluation.provisional else "", ex.rate, ex.score,
        len(evaluation.indicators), *(evaluation.count(status) for status in STATUSES),
        evaluation.claimed_total, findings.claimed_grade, f"{findings.claimed_grade}→{evaluation.grade}" if changed
        else "", findings.unsupported_points, findings.errors, findings.warnings, findings.unexplained,
        findings.low_execution,
    )


def row_to_json(row: Sequence[object]) -> list[Any]:
    """A row as JSON values (Decimal as text, so that it comes back exact) for a chunk's staging file."""
    return [f"{v:f}" if isinstance(v, Decimal) else v for v in row]


def row_from_json(values: Sequence[Any]) -> tuple[object, ...]:
    return tuple(Decimal(v) if isinstance(v, str) and column not in _TEXT else v
                 for column, v in enumerate(values))


def failure_rows(failures: Iterable[Failure]) -> Iterable[tuple[str, str, str]]:
    """One row of failures.csv per message of each department that could not be evaluated."""
    for failure in failures:
        files = "；".join(failure.files)
        for message in failure.messages or ("",):
            yield failure.slug, files, message


class CsvWriter:
    """results.csv / failures.csv: UTF-8 with a BOM (Excel reads it as UTF-8), CRLF, one row at a time."""

    def __init__(self, handle: IO[bytes], columns: Sequence[str]) -> None:
        self.handle = handle
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, lineterminator="\r\n")
        handle.write(b"\xef\xbb\xbf")
        self.write_rows([columns])

    def write_rows(self, rows: Iterable[Sequence[object]]) -> None:
        for row in rows:
            self.writer.writerow([csv_text(value) for value in row])
        self.handle.write(self.buffer.getvalue().encode("utf-8"))
        self.buffer.seek(0)
        self.buffer.truncate()


class XlsxWriter:
    """results.xlsx: the same table as results.csv in a write-only workbook; ``close`` writes it out."""

    def __init__(self) -> None:
        from openpyxl import Workbook  # only when the workbook is written

        self.workbook = Workbook(write_only=True)
        self.sheet: Any = None
        self.rows = 0
        self.sheets = 0
        self.years: set[int] = set()

    def _new_sheet(self) -> None:
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        from evaluator.workbook.cells import set_text

        self.sheets += 1
        self.sheet = self.workbook.create_sheet("自评结果" if self.sheets == 1 else f"自评结果（{self.sheets}）")
        widths = {1: 12, 2: 36, 3: 7, 4: 9, 5: 9, 6: 24}
        for column in range(1, len(RESULT_COLUMNS) + 1):
            self.sheet.column_dimensions[get_column_letter(column)].width = widths.get(column, 10)
        self.sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        header = []
        for name in RESULT_COLUMNS:
            cell = set_text(WriteOnlyCell(self.sheet), name)
            cell.font = bold
            header.append(cell)
        self.sheet.append(header)
        self.rows = 1

    def write_rows(self, rows: Iterable[Sequence[object]]) -> None:
        from openpyxl.cell import WriteOnlyCell

        from evaluator.workbook.cells import set_number, set_text

        for row in rows:
            if self.sheet is None or self.rows >= XLSX_MAX_ROWS:
                self._finish_sheet()
                self._new_sheet()
            cells = []
            for column, value in enumerate(row):
                cell = WriteOnlyCell(self.sheet)
                if column in _TEXT:
                    set_text(cell, value)
                elif column == RATE_COLUMN:
                    set_number(cell, value, "0.00%")  # type: ignore[arg-type]
                else:
                    set_number(cell, value)  # type: ignore[arg-type]
                cells.append(cell)
            self.sheet.append(cells)
            self.rows += 1
            self.years.add(int(row[2]))  # type: ignore[call-overload]

    def _finish_sheet(self) -> None:
        from openpyxl.utils import get_column_letter

        if self.sheet is not None:
            self.sheet.auto_filter.ref = f"A1:{get_column_letter(len(RESULT_COLUMNS))}{max(self.rows, 1)}"

    def close(self, handle: IO[bytes]) -> None:
        from evaluator.workbook.cells import fixed_time, write_workbook

        if self.sheet is None:
            self._new_sheet()
        self._finish_sheet()
        year = max(self.years) if self.years else 2000
        write_workbook(self.workbook, fixed_time(year), handle)
