"""Errors the user can fix, each with a location; the CLI prints them without a traceback.

Every message a user reads is Chinese and has the shape
``<文件> 第<行>行 <键>（指标 <id>）：<what was found>，<what was expected>。提示：<hint>``.
Library code raises these; only ``cli.py`` turns them into exit codes.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

__all__ = ["EvaluatorError", "InputError", "InputErrors", "Location", "OutputExistsError", "OutputIsInputError",
    "Problem", "Severity", "display_path", "entry_location", "visible"]

MAX_SHOWN = 50
LONG_QUOTE = 200  # characters of a quoted value shown in a message at most
_LONG_QUOTED = re.compile("“([^”]{%d,})”" % (LONG_QUOTE + 1))
# control characters, zero-width and direction marks, BOM: text that looks the same on screen but is not
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")


def visible(text: str) -> str:
    """Text for a message with its invisible characters written as \\uXXXX, so that two names that look alike
    on screen (测试局 and 测\\u0007试局) can be told apart."""
    return _INVISIBLE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def _shorten_quote(found: re.Match[str]) -> str:
    quoted = found.group(1)
    return f"“{quoted[:LONG_QUOTE // 2]}……”（共 {len(quoted):,} 个字符）"


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


@dataclass(frozen=True, slots=True)  # slots: a large department's check holds 100,000s of findings
class Location:
    """Where a problem is: a file, and inside it a line (YAML, text) or a row (spreadsheet).

    ``sheet`` and ``column`` serve spreadsheets; ``key`` is a dotted key path in YAML;
    ``indicator`` is the indicator id the problem concerns.
    """

    file: str | None = None
    line: int | None = None
    key: str | None = None
    indicator: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        parts: list[str] = []
        if self.file:
            parts.append(self.file)
        if self.sheet:
            parts.append(f"工作表“{self.sheet}”")
        if self.line is not None:
            parts.append(f"第{self.line}行")
        if self.row is not None:
            parts.append(f"第{self.row}行")
        if self.column:
            parts.append(f"{self.column}列")
        if self.key:
            parts.append(self.key)
        text = " ".join(parts)
        if self.indicator:
            text = f"{text}（指标 {self.indicator}）" if text else f"指标 {self.indicator}"
        return text


def entry_location(
    file: str | None, entry: object | None, *, key: str | None = None, indicator: str | None = None
) -> Location:
    """Where an actuals entry stands: a YAML line, or a workbook sheet and row."""
    line = getattr(entry, "line", None)
    sheet = getattr(entry, "sheet", None)
    if sheet:
        return Location(file=file, sheet=sheet, row=line, indicator=indicator)
    return Location(file=file, line=line, key=key, indicator=indicator)


def display_path(path: str | Path, *, follow: bool = True) -> str:
    """Return a path as the user typed it, with forward slashes, relative where possible.

    ``follow=False`` keeps a symlink's own name (for an output that is a link to an input).
    """
    p = Path(path)
    try:
        p = (p.resolve() if follow else Path(os.path.abspath(p))).relative_to(Path.cwd().resolve())
    except (ValueError, OSError, RuntimeError):  # elsewhere, or a symlink loop: shown as given
        pass
    return p.as_posix()


@dataclass(frozen=True, slots=True)
class Problem:
    """One finding: where, what was found, what was expected, how to fix it."""

    location: Location
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR
    code: str = ""

    def __post_init__(self) -> None:
        # a value quoted from the input can be megabytes long (a whole file on one line): a message shows
        # its start and says how long it is, so that the finding stays readable
        for name in ("message", "hint"):
            text = getattr(self, name)
            if len(text) > LONG_QUOTE:
                object.__setattr__(self, name, _LONG_QUOTED.sub(_shorten_quote, text))

    def __str__(self) -> str:
        where = str(self.location)
        text = f"{where}：{self.message}" if where else self.message
        if self.hint:
            text += f"\n    提示：{self.hint}"
        return text

    def to_dict(self) -> dict[str, object]:
        loc = self.location
        return {
            "severity": self.severity.value,
            "code": self.code,
            "where": str(loc),
            "file": loc.file,
            "line": loc.line if loc.line is not None else loc.row,
            "indicator": loc.indicator,
            "message": self.message,
            "hint": self.hint,
        }


class EvaluatorError(Exception):
    """Base of every error the user can fix; the CLI prints it and exits with ``exit_code``."""

    exit_code = 1


class InputError(EvaluatorError):
    """One problem with an input file or option."""

    def __init__(self, problem: Problem | str, location: Location | None = None, hint: str = "") -> None:
        if isinstance(problem, str):
            problem = Problem(location or Location(), problem, hint)
        super().__init__(str(problem))
        self.problem = problem


class InputErrors(EvaluatorError):
    """Every problem found in one or more files, raised once so that all can be fixed in one pass."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__(self._text())

    def _text(self) -> str:
        errors = [p for p in self.problems if p.severity is Severity.ERROR]
        files = sorted({p.location.file for p in errors if p.location.file})
        head = f"发现 {len(errors)} 个问题" + (f"（{'、'.join(files)}）" if files else "") + "："
        lines = [head]
        for problem in errors[:MAX_SHOWN]:
            lines.append(f"  - {problem}")
        if len(errors) > MAX_SHOWN:
            lines.append(f"  …… 另有 {len(errors) - MAX_SHOWN} 个问题未列出")
        return "\n".join(lines)


class OutputExistsError(EvaluatorError):
    """Refuse to overwrite a user's file without --force."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{display_path(path)}：文件已存在，未覆盖。\n    提示：确认要覆盖时加 --force，或用 -o 指定其他文件名。")
        self.path = path


class OutputIsInputError(EvaluatorError):
    """Refuse, even with --force, to write an output over one of the command's own inputs."""

    def __init__(self, path: Path, input_shown: str) -> None:
        shown = display_path(path, follow=False)
        same = "" if input_shown == shown else f"（与输入文件 {input_shown} 是同一个文件）"
        super().__init__(
            f"{shown}：这是本命令的输入文件{same}，不能用作输出文件，加 --force 也不会覆盖。\n"
            "    提示：用 -o 指定另一个文件名；输入文件从不被改动。"
        )
        self.path = path
