"""Read YAML safely into values that remember their line, and check them against a schema.

PyYAML's safe parser (libyaml's where available) gives events with marks; this module builds
``Node`` objects (value + line) from them and offers a ``Reader`` that collects every problem of a
file instead of stopping at the first. Only the safe tags are accepted, so no Python object is ever
made. Aliases (``&a``/``*a``) are refused: a data file does not need them, and refusing them rules out
"billion laughs" expansion. Duplicate keys are errors, because PyYAML would silently keep the last one.
"""

from __future__ import annotations

import functools
import gc
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml

from evaluator.decimals import RANGE_TEXT, in_range
from evaluator.errors import InputErrors, Location, Problem
from evaluator.io.yamlnode import ALLOWED_TAGS, BOOL, INT, NULL, STR, Node, resolve
from evaluator.io.yamlplain import read_plain

__all__ = ["MAX_DEPTH", "Node", "Reader", "gc_paused", "parse_events", "parse_yaml"]

_TYPE_NAMES = {
    "mapping": "键值表（key: value）",
    "sequence": "列表（- 项）",
    "text": "文字",
    "number": "数字",
    "integer": "整数",
}

# libyaml's safe parser gives the same events and marks, about 15 times faster than the pure-Python one
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str, file: str) -> Node:
    """Parse YAML text into a Node tree; raise InputErrors (with the line) when it is malformed.

    A file that uses only the plain part of YAML (``io/yamlplain.py``: most data files) is read line by
    line, three to five times faster; any other file, and every malformed one, from libyaml's events
    (``parse_events``). Both give the same tree, which a test checks.
    """
    with gc_paused():
        plain = read_plain(text)  # most files: read line by line, without libyaml's million event objects
    if plain is not None:
        return plain
    return parse_events(text, file)


def parse_events(text: str, file: str) -> Node:
    """``parse_yaml`` by libyaml's events alone: any YAML, every error worded (``read_plain`` gives up on both).

    The tree is built straight from the parser's events (libyaml's when PyYAML has it), without
    PyYAML's own node tree: that composer costs ten times the parsing and holds every node with two
    marks, so a 10 MB file took 10 s and 500 MB. Building it here, without recursion, also means that
    no nesting depth can exhaust the stack.
    """
    problems: list[Problem] = []
    loader = _LOADER(text)
    try:
        with gc_paused():
            root = _compose(loader, file, problems)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        if "maximum nesting depth" in (error.problem or ""):  # PyYAML 6.0.4 refuses deep nesting itself, first
            raise InputErrors([_too_deep(file, line)]) from None
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
    finally:
        loader.dispose()
    if problems:
        raise InputErrors(problems)
    if root is None:
        return Node({}, 1, "mapping", key_lines={})
    return root


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a large tree of objects without cycles is built.

    Building a 10 MB file's tree makes about a million tracked objects; the collector would scan the
    growing heap again and again for cycles that cannot be there (a third of the loading time). Reference
    counting still frees everything as usual; the collector runs again as soon as the block ends.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


MAX_DEPTH = 64  # the formats nest five levels deep; deeper is a broken or hostile file, refused before any recursion
_SKIP = object()  # the value of a key that was refused: composed, then dropped


def _compose(loader: Any, file: str, problems: list[Problem]) -> Node | None:
    """Build the Node tree of the stream's single document from parser events (None when empty).

    One loop over the events, with the open collections on an explicit stack; the innermost one is kept
    in local variables, because a large file has millions of events.
    """
    get = loader.get_event
    get()  # StreamStartEvent
    if isinstance(get(), yaml.StreamEndEvent):  # else DocumentStartEvent
        return None
    scalar, alias, document_end = yaml.ScalarEvent, yaml.AliasEvent, yaml.DocumentEndEvent
    mapping_start, sequence_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
    mapping_end, sequence_end = yaml.MappingEndEvent, yaml.SequenceEndEvent
    allowed = ALLOWED_TAGS
    tags: dict[str, str] = {}  # plain scalar → its tag: keys and short values repeat
    # one object for each short text that repeats (keys, 一级指标 …): a model keeps them, a file repeats them
    texts: dict[str, str] = {}
    root: Node | None = None
    stack: list[tuple[Any, ...]] = []
    # the innermost open collection: its Node, its dict or list, whether a mapping, the key awaiting its
    # value (None: the next node is a key; _SKIP: a refused key), its key lines, and whether its tag is refused
    current: Node | None = None
    items: Any = None
    is_mapping = False
    key: Any = None
    key_lines: dict[str, int] = {}
    refused = False
    while True:
        event = get()
        kind = type(event)
        node: Node
        if kind is scalar:
            value = event.value
            if len(value) <= 32:
                value = texts.setdefault(value, value)
            tag = event.tag
            line = event.start_mark.line + 1
            if tag is None:
                if event.implicit[0]:
                    tag = tags.get(value)
                    if tag is None:
                        tag = resolve(value)
                        if len(value) <= 32:
                            tags[value] = tag
                else:
                    tag = STR
            elif tag == "!":
                tag = STR
            elif tag not in allowed:
                problems.append(_bad_tag(file, line, tag))
                tag = NULL
            if is_mapping and key is None:  # a key: kept as text, with its line
                if value in key_lines or value == "<<":
                    key = _key(value, line, key_lines, file, problems)
                else:
                    key_lines[value] = line
                    key = value
                continue
            node = Node(value, line, "scalar", tag)
        elif kind is mapping_start or kind is sequence_start:
            line = event.start_mark.line + 1
            tag = event.tag
            if len(stack) >= MAX_DEPTH:
                raise InputErrors([_too_deep(file, line)])
            stack.append((current, items, is_mapping, key, key_lines, refused))
            refused = tag is not None and tag != "!" and tag not in allowed
            if refused:
                problems.append(_bad_tag(file, line, tag))
            is_mapping = kind is mapping_start
            if is_mapping:
                items, key, key_lines = {}, None, {}
                current = Node(items, line, "mapping", key_lines=key_lines)
            else:
                items = []
                current = Node(items, line, "sequence")
            continue
        elif kind is mapping_end or kind is sequence_end:
            assert current is not None
            node = Node(None, current.line, "scalar", NULL) if refused else current
            current, items, is_mapping, key, key_lines, refused = stack.pop()
        elif kind is alias:
            line = event.start_mark.line + 1
            problems.append(Problem(Location(file=file, line=line), "使用了 YAML 别名（&/*），本工具不支持",
                                    "把被引用的内容直接写出来。", code="yaml-alias"))
            node = Node(None, line, "scalar", NULL)
        elif kind is document_end:
            break
        else:  # pragma: no cover - the parser gives no other event inside a document
            continue
        if current is None:
            root = node
        elif not is_mapping:
            items.append(node)
        elif key is None:  # a collection or an alias where a key belongs
            problems.append(Problem(Location(file=file, line=node.line), "键必须是简单文字", code="yaml-key"))
            key = _SKIP
        else:
            if key is not _SKIP:
                items[key] = node
            key = None
    event = get()
    if not isinstance(event, yaml.StreamEndEvent):
        raise yaml.composer.ComposerError("expected a single document in the stream", None,
                                          "but found another document", event.start_mark)
    return root


def _key(text: str, line: int, key_lines: dict[str, int], file: str, problems: list[Problem]) -> Any:
    """Return the key a scalar stands for (recording its line), or _SKIP when it is refused."""
    if text == "<<":
        problems.append(Problem(Location(file=file, line=line), "不支持 YAML 合并键“<<”", code="yaml-alias"))
        return _SKIP
    if text in key_lines:
        problems.append(
            Problem(
                Location(file=file, line=line, key=text),
                f"键“{text}”重复出现（第一次在第{key_lines[text]}行）",
                "删除或合并重复的键；YAML 只会保留最后一个。",
                code="duplicate-key",
            )
        )
        return _SKIP
    key_lines[text] = line
    return text


def _bad_tag(file: str, line: int, tag: str) -> Problem:
    return Problem(Location(file=file, line=line), f"YAML 格式错误：不支持的标签“{tag}”",
                   "去掉以 ! 开头的标签，直接写值。",
                   code="yaml-tag")


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


def _too_deep(file: str, line: int | None) -> Problem:
    return Problem(Location(file=file, line=line), f"YAML 嵌套层数过多（超过 {MAX_DEPTH} 层），不是本工具的数据文件",
                   "检查括号“[ ]”“{ }”是否成对、缩进是否正确。", code="yaml-depth")


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
        fields: dict[str, Node] = node.value
        for name in required:
            field = fields.get(name)
            if field is None or (field.tag == NULL and field.kind == "scalar"):
                self.problem(
                    node.line, f"{key}.{name}" if key else name, f"缺少必填的键“{name}”",
                    f"在第{node.line}行这一项下补上“{name}: …”。", indicator=indicator, code="missing-key",
                )
        if not open_keys:
            allowed = _allowed(required, tuple(optional))
            if fields.keys() <= allowed:
                return fields
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
        if node is None:
            return None
        if node.kind != "scalar":
            self._wrong_type(node, key, "text", indicator)
            return None
        tag = node.tag
        if tag == STR:
            return node.value
        return None if tag == NULL else str(node.value).strip()

    def texts(self, fields: dict[str, Node], names: Iterable[str], key: str, *,
              indicator: str | None = None) -> dict[str, str | None]:
        """``text`` of several fields of one mapping (``key`` is the mapping's key path); plain text is
        taken as it is, without building a key path for a message that is not needed."""
        found: dict[str, str | None] = {}
        for name in names:
            node = fields.get(name)
            if node is None:
                found[name] = None
            elif node.tag == STR and node.kind == "scalar":
                found[name] = node.value
            else:
                found[name] = self.text(node, f"{key}.{name}", indicator=indicator)
        return found

    def decimal(self, node: Node | None, key: str, *, indicator: str | None = None) -> Decimal | None:
        """Return an exact Decimal from the scalar's text (never through float)."""
        if node is None or node.is_null:
            return None
        if node.kind != "scalar" or node.tag == BOOL:
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
        if not in_range(number):
            self.problem(node.line, key, f"数值“{node.value}”超出可处理的范围（{RANGE_TEXT}）",
                         "检查是否多写了数位或写错了小数点。", indicator=indicator, code="out-of-range")
            return None
        return number

    def integer(self, node: Node | None, key: str) -> int | None:
        if node is None or node.is_null:
            return None
        text = str(node.value).strip()
        if node.kind == "scalar" and node.tag == STR and text.isascii() and text.isdigit():
            return int(text)  # year: "2023" written in quotes means the same
        if node.kind != "scalar" or node.tag != INT:
            self._wrong_type(node, key, "integer", None)
            return None
        return int(text.replace("_", ""))


@functools.cache
def _allowed(required: tuple[str, ...], optional: tuple[str, ...]) -> frozenset[str]:
    return frozenset(required) | frozenset(optional)


def _describe(node: Node) -> str:
    if node.kind == "mapping":
        return "键值表"
    if node.kind == "sequence":
        return "列表"
    if node.tag == BOOL:
        return f"布尔值“{node.value}”"
    return f"“{node.value}”"


def _suggest(name: str, allowed: Iterable[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(allowed), n=1, cutoff=0.6)
    return f"；是否想写“{close[0]}”？" if close else ""

