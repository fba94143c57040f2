"""Read YAML safely into values that remember their line, and check them against a schema.

PyYAML's ``compose`` with the safe loader gives a node tree with marks; this module turns it into
``Node`` objects (value + line) and offers a ``Reader`` that collects every problem of a file
instead of stopping at the first. Aliases (``&a``/``*a``) are refused: a data file does not need
them, and refusing them rules out "billion laughs" expansion. Duplicate keys are errors, because
PyYAML would silently keep the last one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from evaluator.errors import InputErrors, Location, Problem

__all__ = ["Node", "Reader", "parse_yaml"]

_TYPE_NAMES = {
    "mapping": "键值表（key: value）",
    "sequence": "列表（- 项）",
    "text": "文字",
    "number": "数字",
    "integer": "整数",
}

_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_STR = "tag:yaml.org,2002:str"
# libyaml's safe loader gives the same nodes and marks, about 15 times faster than the pure-Python one
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_ALLOWED_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}


@dataclass(frozen=True)
class Node:
    """A YAML value with the 1-based line it starts on.

    ``value`` is ``dict[str, Node]`` for a mapping, ``list[Node]`` for a sequence, and the scalar's
    text for a scalar (``tag`` says what YAML would have made of it: int, float, str, null, bool).
    ``key_lines`` maps each key of a mapping to the line of the key.
    """

    value: Any
    line: int
    kind: str  # "mapping" | "sequence" | "scalar"
    tag: str = _STR
    key_lines: dict[str, int] | None = None

    @property
    def is_null(self) -> bool:
        return self.kind == "scalar" and self.tag == _NULL


def parse_yaml(text: str, file: str) -> Node:
    """Parse YAML text into a Node tree; raise InputErrors (with the line) when it is malformed."""
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        what = _yaml_problem_text(error, text)
        raise InputErrors(
            [
                Problem(
                    Location(file=file, line=line),
                    f"YAML 格式错误：{what}",
                    "检查这一行及上一行的缩进、冒号后的空格和引号是否成对；含 # : 等符号的文字请加引号。",
                    code="yaml-syntax",
                )
            ]
        ) from None
    except yaml.YAMLError as error:
        raise InputErrors([Problem(Location(file=file), f"YAML 格式错误：{error}", code="yaml-syntax")]) from None
    if root is None:
        return Node({}, 1, "mapping", key_lines={})
    problems: list[Problem] = []
    node = _convert(root, file, problems, set())
    if problems:
        raise InputErrors(problems)
    return node


_TRANSLATIONS = (  # (words of PyYAML's pure-Python or libyaml message, Chinese)
    ("mapping values are not allowed", "此处不能出现“键: 值”（可能缩进不对，或文字中的冒号未加引号）"),
    ("could not find expected ':'", "找不到应有的冒号“:”（上一行可能少了冒号或多了换行）"),
    ("did not find expected key", "缩进与上文不一致（同一层的键应对齐）"),
    ("expected <block end>, but found '<block sequence start>'", "列表项“-”的缩进与上文不一致"),
    ("did not find expected '-' indicator", "列表项“-”的缩进与上文不一致"),
    ("expected <block end>", "缩进与上文不一致"),
    ("found undefined alias", "引用了未定义的别名"),
    ("found unexpected end of stream", "文件意外结束（引号或括号未闭合）"),
    ("while scanning a quoted scalar", "引号未闭合"),
    ("expected ',' or ']'", "方括号列表“[ ]”未闭合或缺少逗号"),
    ("expected ',' or '}'", "花括号“{ }”未闭合或缺少逗号"),
    ("but found another document", "文件中出现了第二个文档（“---”），一个文件只能有一个"),
    ("did not find expected node content", "这里应有内容（值缺失或符号多余）"),
    ("found unknown escape character", "双引号中的反斜杠“\\”用法不对（请改用单引号）"),
    ("found a tab character", "出现了制表符（Tab），YAML 只能用空格缩进"),
)


def _yaml_problem_text(error: yaml.MarkedYAMLError, text: str = "") -> str:
    problem = error.problem or ""
    mark = error.problem_mark
    opened = ""
    if error.context_mark is not None and mark is not None and error.context_mark.line != mark.line:
        opened = f"（从第{error.context_mark.line + 1}行开始）"
    if "cannot start any token" in problem:
        char = _char_at(text, mark)
        if char == "\t":
            return "出现了制表符（Tab），YAML 只能用空格缩进" + opened
        return f"“{char}”不能出现在值的开头（请给这段文字加引号）" + opened
    for english, chinese in _TRANSLATIONS:
        if english in problem or english in (error.context or ""):
            return chinese + opened
    return f"无法解析（{problem or error}）" + opened


def _char_at(text: str, mark: yaml.Mark | None) -> str:
    if mark is None:
        return "?"
    lines = text.splitlines()
    if mark.line < len(lines) and mark.column < len(lines[mark.line]):
        return lines[mark.line][mark.column]
    return "?"


def _convert(node: yaml.Node, file: str, problems: list[Problem], seen: set[int]) -> Node:
    line = node.start_mark.line + 1
    if id(node) in seen:
        problems.append(
            Problem(
                Location(file=file, line=line),
                "使用了 YAML 别名（&/*），本工具不支持",
                "把被引用的内容直接写出来。",
                code="yaml-alias",
            )
        )
        return Node(None, line, "scalar", _NULL)
    seen.add(id(node))
    if node.tag not in _ALLOWED_TAGS:
        problems.append(
            Problem(
                Location(file=file, line=line),
                f"YAML 格式错误：不支持的标签“{node.tag}”",
                "去掉以 ! 开头的标签，直接写值。",
                code="yaml-tag",
            )
        )
        return Node(None, line, "scalar", _NULL)
    if isinstance(node, yaml.MappingNode):
        values: dict[str, Node] = {}
        key_lines: dict[str, int] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + 1
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(Problem(Location(file=file, line=key_line), "键必须是简单文字", code="yaml-key"))
                continue
            key = key_node.value
            if key == "<<":
                problems.append(
                    Problem(Location(file=file, line=key_line), "不支持 YAML 合并键“<<”", code="yaml-alias")
                )
                continue
            if key in values:
                problems.append(
                    Problem(
                        Location(file=file, line=key_line, key=key),
                        f"键“{key}”重复出现（第一次在第{key_lines[key]}行）",
                        "删除或合并重复的键；YAML 只会保留最后一个。",
                        code="duplicate-key",
                    )
                )
                continue
            values[key] = _convert(value_node, file, problems, seen)
            key_lines[key] = key_line
        return Node(values, line, "mapping", key_lines=key_lines)
    if isinstance(node, yaml.SequenceNode):
        return Node([_convert(item, file, problems, seen) for item in node.value], line, "sequence")
    return Node(node.value, line, "scalar", node.tag)


class Reader:
    """Read typed fields out of Node trees, collecting every problem with its location."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def problem(
        self, line: int | None, key: str | None, message: str, hint: str = "", *, indicator: str | None = None,
        code: str = "",
    ) -> None:
        self.problems.append(
            Problem(Location(file=self.file, line=line, key=key, indicator=indicator), message, hint, code=code)
        )

    def raise_if_any(self, extra: Iterable[Problem] = ()) -> None:
        problems = [*self.problems, *extra]
        if problems:
            raise InputErrors(problems)

    def _wrong_type(self, node: Node, key: str, expected: str, indicator: str | None) -> None:
        found = _describe(node)
        self.problem(
            node.line, key, f"应为{_TYPE_NAMES[expected]}，实际是{found}", indicator=indicator, code="wrong-type"
        )

    def mapping(
        self,
        node: Node | None,
        key: str,
        *,
        required: Iterable[str] = (),
        optional: Iterable[str] = (),
        indicator: str | None = None,
        open_keys: bool = False,
    ) -> dict[str, Node] | None:
        """Return a mapping's fields after checking required and unknown keys; None if not a mapping."""
        if node is None:
            return None
        if node.kind != "mapping":
            self._wrong_type(node, key, "mapping", indicator)
            return None
        required = tuple(required)
        allowed = set(required) | set(optional)
        fields: dict[str, Node] = node.value
        for name in required:
            if name not in fields or fields[name].is_null:
                self.problem(
                    node.line, f"{key}.{name}" if key else name, f"缺少必填的键“{name}”",
                    f"在第{node.line}行这一项下补上“{name}: …”。", indicator=indicator, code="missing-key",
                )
        if not open_keys:
            for name, value in fields.items():
                if name not in allowed:
                    line = (node.key_lines or {}).get(name, value.line)
                    self.problem(
                        line, f"{key}.{name}" if key else name, f"未知的键“{name}”",
                        "允许的键：" + "、".join(sorted(allowed)) + _suggest(name, allowed),
                        indicator=indicator, code="unknown-key",
                    )
        return fields

    def sequence(self, node: Node | None, key: str, *, indicator: str | None = None) -> list[Node]:
        if node is None or node.is_null:
            return []
        if node.kind != "sequence":
            self._wrong_type(node, key, "sequence", indicator)
            return []
        return list(node.value)

    def text(self, node: Node | None, key: str, *, indicator: str | None = None) -> str | None:
        """Return a scalar as text; numbers are accepted and kept as written (``100`` → "100")."""
        if node is None or node.is_null:
            return None
        if node.kind != "scalar":
            self._wrong_type(node, key, "text", indicator)
            return None
        return str(node.value).strip() if node.tag != _STR else str(node.value)

    def decimal(self, node: Node | None, key: str, *, indicator: str | None = None) -> Decimal | None:
        """Return an exact Decimal from the scalar's text (never through float)."""
        if node is None or node.is_null:
            return None
        if node.kind != "scalar" or node.tag == _BOOL:
            self._wrong_type(node, key, "number", indicator)
            return None
        raw = str(node.value).strip().replace(",", "").replace("_", "")
        try:
            number = Decimal(raw)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            self.problem(
                node.line, key, f"应为数字，实际是“{node.value}”",
                "只写数字，单位由文件的 money_unit 决定（如 790.64），不要写“万元”等单位。",
                indicator=indicator, code="not-a-number",
            )
            return None
        return number

    def integer(self, node: Node | None, key: str) -> int | None:
        if node is None or node.is_null:
            return None
        text = str(node.value).strip()
        if node.kind == "scalar" and node.tag == _STR and text.isascii() and text.isdigit():
            return int(text)  # year: "2023" written in quotes means the same
        if node.kind != "scalar" or node.tag != _INT:
            self._wrong_type(node, key, "integer", None)
            return None
        return int(text.replace("_", ""))


def _describe(node: Node) -> str:
    if node.kind == "mapping":
        return "键值表"
    if node.kind == "sequence":
        return "列表"
    if node.tag == _BOOL:
        return f"布尔值“{node.value}”"
    return f"“{node.value}”"


def _suggest(name: str, allowed: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(allowed), n=1, cutoff=0.6)
    return f"；是否想写“{close[0]}”？" if close else ""

