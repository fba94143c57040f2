"""Helpers for the Word and PDF tests: a .docx read back as text, tables and parts; external tools; hostile inputs."""

from __future__ import annotations

import io
import os
import shutil
import zipfile

import docx
import pytest

IN_CI = bool(os.environ.get("CI"))
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
needs_soffice = pytest.mark.skipif(SOFFICE is None and not IN_CI, reason="needs LibreOffice (soffice)")
needs_poppler = pytest.mark.skipif(PDFTOTEXT is None and not IN_CI, reason="needs poppler-utils (pdftotext)")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def open_docx(data: bytes):
    return docx.Document(io.BytesIO(data))


def all_text(document) -> str:
    """Every paragraph and every table cell of the body, in order, one per line."""
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            seen = set()
            for cell in row.cells:
                if id(cell._tc) not in seen:
                    seen.add(id(cell._tc))
                    lines.append(cell.text)
    return "\n".join(lines)


def squeeze(text: str) -> str:
    """Text without any whitespace: a PDF or a table cell breaks lines where it likes."""
    return "".join(text.split())


def parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def header_rows(table) -> int:
    return len(table._tbl.xpath("./w:tr[w:trPr/w:tblHeader]"))


def vertical_merges(table) -> int:
    """How many cells continue a vertical merge (w:vMerge without restart)."""
    return len([m for m in table._tbl.iter(f"{W}vMerge") if m.get(f"{W}val") in (None, "continue")])


def hostile_targets(count: int = 3, *, empty_project: bool = True) -> str:
    """Targets with <script> names, a formula-like name, emoji, rare CJK, and (optionally) a fund with no indicators."""
    indicators = []
    for number in range(1, count + 1):
        level1, level2 = (("产出指标", "数量指标") if number % 3 else ("效益指标", "社会效益指标"))
        name = f"<script>alert({number})</script>指标{number}" if number == 1 else \
            ("=SUM(A1:A9)" if number == 2 else f"𠀀𪚥😀 指标{number}")
        indicators.append(f'  - {{id: D{number:03d}, level1: {level1}, level2: {level2}, name: "{name}", '
                          f'target: "≥{number}次"}}')
    satisfaction = '  - {id: S001, level1: 满意度指标, level2: 服务对象满意度指标, name: "满意度&<b>", target: "≥90%"}'
    projects = ""
    if empty_project:
        projects = ("projects:\n  - {id: P1, name: \"空专项<script>\", amount: 10, "
                    "goal_year: \"=HYPERLINK(\\\"x\\\")\"}\n")
    return ("schema: evaluator.targets/1\nyear: 2023\ndepartment: \"<script>alert('部门')</script>测试局😀\"\n"
            "duties: \"=1+1 部门职责\"\nindicators:\n" + "\n".join(indicators) + "\n" + satisfaction + "\n"
            + projects)


def hostile_actuals(count: int = 3, *, empty_project: bool = True) -> str:
    long_reason = "因" + "原因说明很长，" * 285  # about 2,000 characters
    lines = ["schema: evaluator.actuals/1", "year: 2023", "department: \"<script>alert('部门')</script>测试局😀\"",
             "budget:", "  initial: 100", "  adjusted: 120", "  executed: 90", "  reason: \"=执行率偏低的原因\"",
             "  sources: {current: {initial: 100, adjusted: 100, executed: 80}, "
             "carryover: {adjusted: 20, executed: 10}}",
             "indicators:"]
    for number in range(1, count + 1):
        actual = f"{number - 1}次" if number == 1 else f"{number}次"
        reason = f', reason: "{long_reason}"' if number == 1 else ""
        lines.append(f'  D{number:03d}: {{actual: "{actual}"{reason}}}')
    lines.append('  S001: {actual: "=95%", evidence: "问卷😀"}')
    if empty_project:
        lines += ["projects:", "  P1:", "    budget: {initial: 10, adjusted: 10, executed: 10}",
                  "    overview: \"<img src=x onerror=alert(1)>\""]
    lines += ["summary:", "  problems: \"=CMD|' /C calc'!A0\"", "  measures: \"𠀀 生僻字与 emoji 😀\""]
    return "\n".join(lines) + "\n"
