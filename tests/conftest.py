"""Shared fixtures: paths of the shipped example, and a helper to write small input files."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_TARGETS = REPO / "targets" / "2023" / "shifeng-npc.yaml"
EXAMPLE_ACTUALS = REPO / "actuals" / "2023" / "shifeng-npc.yaml"


@pytest.fixture
def write(tmp_path: Path):
    """Write a dedented text file under tmp_path and return its path."""

    def _write(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return _write


def header_columns(sheet, row: int = 2) -> dict[str, int]:
    """{header text: column number} of an entry-workbook sheet, whose headers are on row 2."""
    return {cell.value: cell.column for cell in sheet[row] if cell.value}


MINIMAL_TARGETS = """
schema: evaluator.targets/1
year: 2023
department: 测试局
indicators:
  - {id: D01, level1: 产出指标, level2: 数量指标, name: 培训次数, target: "≥10次"}
  - {id: D02, level1: 产出指标, level2: 成本指标, name: 成本, target: "≤100万元"}
  - {id: D03, level1: 效益指标, level2: 社会效益指标, name: 群众知晓率, target: "90%以上"}
  - {id: D04, level1: 满意度指标, level2: 服务对象满意度指标, name: 群众满意度, target: "≥90%"}
"""

MINIMAL_ACTUALS = """
schema: evaluator.actuals/1
year: 2023
department: 测试局
budget: {initial: 100, adjusted: 100, executed: 95}
indicators:
  D01: {actual: "12次"}
  D02: {actual: "95万元"}
  D03: {actual: "88%", reason: 宣传不足}
  D04: {actual: "93%", evidence: 问卷调查}
"""
