"""Where a fix goes and what to write: the words that turn a 待确认 (pending) indicator into a score.

A pending indicator tells the user exactly which cell to change and which words would do, in the
form they fill: a line of a YAML file ("actuals/2023/x.yaml 第12行 D05 的“actual”") or a cell of the
entry workbook ("工作表“部门整体”第7行“实际完成值”列"). Only text is made here; nothing is scored.
"""

from __future__ import annotations

from evaluator.decimals import fmt
from evaluator.language.values import Value
from evaluator.model import Indicator, IndicatorActual

__all__ = ["actual_cell", "example_actual", "target_cell", "tier_cell"]


def actual_cell(file: str | None, entry: IndicatorActual | None, indicator_id: str, *, key: str = "actual",
                column: str = "实际完成值") -> str:
    """The cell of an actuals entry: a YAML line and key, or a workbook sheet, row and column."""
    where = file or "实际值文件"
    if entry is not None and entry.sheet:
        row = f"第{entry.line}行" if entry.line else f"指标 {indicator_id} 所在行"
        return f"{where} 工作表“{entry.sheet}”{row}“{column}”列"
    line = f" 第{entry.line}行" if entry is not None and entry.line else ""
    return f"{where}{line} {indicator_id} 的“{key}”"


def tier_cell(file: str | None, entry: IndicatorActual | None, indicator_id: str) -> str:
    return actual_cell(file, entry, indicator_id, key="tier", column="完成档次")


def target_cell(file: str | None, indicator: Indicator, key: str = "target") -> str:
    line = f" 第{indicator.line}行" if indicator.line else ""
    return f"{file or '目标文件'}{line} {indicator.id} 的“{key}”"


def example_actual(target: Value) -> str:
    """An actual written as the target asks: the target's number and unit, e.g. "12次" for "≥10次"."""
    if target.number is None:
        return "12次"
    unit = "个百分点" if target.unit == "百分点" else target.unit or ""
    return f"{fmt(target.number)}{unit}"
