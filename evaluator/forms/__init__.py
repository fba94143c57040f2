"""Import the official target forms (附表1, 附表2, 附表3) from text exports, Word and Excel files.

``import_forms(paths)`` reads every file, finds its forms by title and header words, merges them
into one Targets, and returns it with the findings: warnings from comparing the forms with each
other (附表2 合计, 附表2 against 附表1 and each 附表3) and from ``audit.audit_targets``, each located
at the file, line or sheet row, and column it concerns. Unusable input raises InputErrors listing
every problem of every file at once; nothing is written here.

Supported: .txt (Word's plain-text export), .docx, .xlsx, .xls. Refused with advice: .doc (old
Word: convert it), .docm/.xlsm (macros), other suffixes.

What is kept, and how:

- ids: D01, D02 … for 附表1's indicators in form order; P1, P2 … for the 附表3 in the order they
  appear (files in the order given), and P1-01, P1-02 … for each one's indicators;
- values as written, surrounding whitespace stripped; 一级/二级指标 forward-filled, with the
  whitespace inside removed (“可持续影响  指标” → 可持续影响指标);
- a plan item loses its leading enumeration (“1.规范保障” → 规范保障): the list keeps the order;
- a source or nature of funds (政府性基金拨款, 其他资金 …) is kept only when it has an amount;
- goals come from 附表3; 附表2 serves only to check the amounts (matched to 附表3 by name);
- 所属专项 (name and amount) is read for matching 附表2 but not written: the format has no place for it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from evaluator.errors import InputErrors, Location, Problem, Severity, display_path
from evaluator.forms.assemble import assemble
from evaluator.forms.audit import audit_targets
from evaluator.forms.grid import FORM_NAMES, Row, clean_rows, split_forms
from evaluator.forms.tables import Parsed, parse_form
from evaluator.io.files import read_input
from evaluator.io.office import CONVERT_DOC, refuse
from evaluator.model import Targets

__all__ = ["ImportResult", "import_forms", "read_forms", "read_rows"]

_LAST_PART = re.compile(r"(\.[^.\[\]]+|\[\d+\])$")  # “.amount” or “[0]” at the end of a key
SUPPORTED = ".txt（Word 导出的纯文本）、.docx、.xlsx、.xls"


@dataclass(frozen=True)
class ImportResult:
    """The merged targets, and the warnings found while importing and auditing them."""

    targets: Targets
    findings: tuple[Problem, ...]


Reader = Callable[[str, bytes], tuple[list[Row], list[Problem]]]


def _rows_only(read: Callable[[str, bytes], list[Row]]) -> Reader:
    return lambda name, data: (read(name, data), [])


def _reader(name: str, suffix: str) -> Reader:
    """The reader of a file type: its rows, and warnings about the file as a whole."""
    if suffix == ".txt":
        from evaluator.forms.text import read_text_rows

        return _rows_only(read_text_rows)
    if suffix == ".docx":
        from evaluator.forms.docx import read_docx_rows

        return _rows_only(read_docx_rows)
    if suffix == ".xlsx":
        from evaluator.forms.xlsx import read_xlsx

        return read_xlsx
    if suffix == ".xls":
        from evaluator.forms.xlsx import read_xls_rows

        return _rows_only(read_xls_rows)
    if suffix in (".doc", ".wps", ".dot"):
        raise refuse(name, f"不支持旧版 Word/WPS 二进制格式（{suffix}）", CONVERT_DOC, "legacy-format")
    if suffix in (".docm", ".xlsm", ".dotm", ".xltm"):
        app, plain = ("Word", ".docx") if suffix.startswith(".do") else ("Excel", ".xlsx")
        raise refuse(name, f"含宏的文件（{suffix}）出于安全考虑不予读取",
                     f"在 {app} 中另存为不含宏的 {plain} 后再导入。", "macro")
    if suffix == ".et":
        raise refuse(name, "不支持 WPS 表格格式（.et）", "用 WPS 另存为 .xlsx 后再导入。", "unsupported")
    shown = suffix or "（无扩展名）"
    raise refuse(name, f"不支持的文件类型“{shown}”", f"支持的格式：{SUPPORTED}。", "unsupported")


def read_rows(path: Path | str) -> tuple[str, bytes, list[Row], list[Problem]]:
    """Read any supported file into cleaned rows: its display name, bytes, rows and whole-file notes.

    The same readers and limits as ``read_forms``; ``forms.selfeval`` reads filled 自评表 through it.
    """
    path = Path(path)
    reader = _reader(display_path(path), path.suffix.lower())  # an unsupported type is refused unread
    name, data = read_input(path)  # a regular file within the size limit of evaluator.io.files
    rows, notes = reader(name, data)
    return name, data, clean_rows(rows), notes


def read_forms(path: Path | str) -> list[Parsed]:
    """Read one file and return its forms, each with its own problems; raise InputErrors if it has none."""
    name, _, rows, notes = read_rows(path)
    forms = split_forms(rows, name)
    if not forms:
        wanted = "、".join(f"{kind}（{title}）" for kind, title in FORM_NAMES.items())
        raise refuse(name, f"文件中没有找到绩效目标表：应含 {wanted} 之一",
                     "确认选择了正确的文件；表格标题应保留“2023年部门整体支出绩效目标表”等字样。", "no-forms")
    parsed = [parse_form(form) for form in forms]
    parsed[0].problems[:0] = notes  # a note on the whole file goes with its first form
    return parsed


def import_forms(paths: Iterable[Path | str], *, allow_incomplete: bool = False) -> ImportResult:
    """Read the forms in ``paths`` into one Targets; raise InputErrors when any file is unusable.

    A form that lacks what a targets file needs (资金总额, an indicator's name or 指标值: blank, a
    formula without a saved result, a value from another workbook) is an error, unless
    ``allow_incomplete``: then the Targets carry the gaps (``incomplete``) and the findings say so.
    """
    paths = list(paths)
    if not paths:
        hint = f"支持的格式：{SUPPORTED}。"
        raise InputErrors([Problem(Location(), "没有指定要导入的文件", hint, code="no-file")])
    problems: list[Problem] = []
    parts: list[Parsed] = []
    for path in paths:
        try:
            found = read_forms(path)
        except InputErrors as error:
            problems.extend(error.problems)
            continue
        parts.extend(found)
        for part in found:
            problems.extend(part.problems)
    assembled = assemble(parts) if parts else None
    if assembled is not None:
        problems.extend(assembled.problems)
    if allow_incomplete and assembled is not None:  # the gaps are marked in the file, not refused
        allowed = {id(problem) for _, problem in assembled.gaps}
        problems = [dataclasses.replace(p, severity=Severity.WARNING) if id(p) in allowed else p for p in problems]
    if assembled is None or assembled.targets is None or any(p.severity is Severity.ERROR for p in problems):
        raise InputErrors(problems)
    targets = assembled.targets
    if allow_incomplete:
        targets = dataclasses.replace(targets, incomplete=tuple(gap for gap, _ in assembled.gaps))
    audit = [_relocate(p, assembled.locations) for p in audit_targets(targets)]
    return ImportResult(targets, tuple(problems) + tuple(audit))


def _relocate(problem: Problem, locations: dict[str, Location]) -> Problem:
    """Point an audit finding (keyed like ``projects[0].amount``) at the form cell it came from."""
    key = problem.location.key or ""
    probe = key
    while probe:
        where = locations.get(probe)
        if where is not None:
            located = dataclasses.replace(where, key=key, indicator=problem.location.indicator)
            return dataclasses.replace(problem, location=located)
        shorter = _LAST_PART.sub("", probe)
        probe = shorter if shorter != probe else ""
    return problem
