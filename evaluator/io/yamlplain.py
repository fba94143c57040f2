"""Read the plain part of YAML that data files use, line by line, without libyaml's events.

A targets file of 100,000 indicators is over a million parser events. PyYAML makes a Python object with
two marks for each before any is used: 1.2 s of the 1.9 s it takes to read 10 MB. Most files use a small
part of YAML: block mappings and lists indented with spaces, one-line flow mappings and lists
(``{id: D01, …}``), plain and quoted one-line scalars, literal blocks (``|``, ``|-``) and comments.
``read_plain`` reads exactly that part and gives the Node tree that ``parse_yaml``'s event reader would
give (values, tags, lines, key lines). At the first thing outside it (a tab, an anchor, alias or tag, a
scalar or flow collection over several lines, an escape, a duplicate key, a document marker, an empty
item, …) it gives up and returns None: the caller then reads the file with libyaml, which also words
every error. It never reports a problem itself, so anything it accepts must be valid YAML with that
exact meaning; ``tests/test_yamlplain.py`` compares the two readers on generated and mutated documents
and on every YAML file of the repository.
"""

from __future__ import annotations

import re
from typing import Any

from evaluator.io.yamlnode import STR, Node, resolve

__all__ = ["read_plain"]

# Characters outside YAML's printable set, the line breaks other than LF (CR is handled as CRLF only;
# NEL, LS and PS are breaks to libyaml), the byte order mark, and tabs: the event reader deals with those.
_UNSUPPORTED = re.compile("[^\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]")
# A plain scalar may not start with an indicator (``-`` only before a digit or point: a negative number).
_START = r"(?:[^ \n\-?:,\[\]{}#&*!|>'\"%@`]|-[0-9.])"
# The texts a line may hold, each starting like a plain scalar: a block key (up to its colon), a flow
# mapping's key (no spaces), a plain scalar in a flow collection; one-line quoted scalars (no escapes:
# those are the event reader's).
_BLOCK_KEY = _START + r"[^:#,\[\]{}'\"\n]*"
_FLOW_KEY_TEXT = _START + r"[^:#,\[\]{}'\" ]*"
_FLOW_PLAIN_TEXT = _START + r"[^:#,\[\]{}'\"]*"
_DOUBLE_TEXT = r'"([^"\\]*)"'
_SINGLE_TEXT = r"'((?:[^']|'')*)'"
_BLOCK_PLAIN = re.compile(_START + r"(?:[^:]|:(?! |$))*")  # a one-line plain scalar in block context
_FLOW_KEY = re.compile(_FLOW_KEY_TEXT + r": +")  # a flow mapping's key, its colon and spaces
_FLOW_PLAIN = re.compile(_FLOW_PLAIN_TEXT)
_DOUBLE = re.compile(_DOUBLE_TEXT)
_SINGLE = re.compile(_SINGLE_TEXT)
_TAIL = re.compile(r" *(?:(?<= )#.*)?")  # what may follow a value on its line: spaces, then a comment
# Every line: its indent, a list item's dash and spaces, a block key and its colon, and the rest.
_LINE = re.compile(r"^( *)(- +)?(?:(" + _BLOCK_KEY + r"):(?: +|$))?(.*)$", re.MULTILINE)
# A flow mapping of one-line scalars, the common case, matched whole; then its pairs one by one
# (key, and the value as plain, double-quoted or single-quoted text).
_PAIR_TEXT = _FLOW_KEY_TEXT + r": +(?:" + _FLOW_PLAIN_TEXT + "|" + _DOUBLE_TEXT + "|" + _SINGLE_TEXT + ")"
_SIMPLE_FLOW = re.compile(r"\{ *(?:" + _PAIR_TEXT + r" *, *)*" + _PAIR_TEXT + r" *\}")
_PAIR = re.compile("(" + _FLOW_KEY_TEXT + "): +(?:(" + _FLOW_PLAIN_TEXT + ")|" + _DOUBLE_TEXT + "|"
                   + _SINGLE_TEXT + ")")
_MAX_DEPTH = 32
_MAX_KEY = 1000  # libyaml refuses an implicit key over 1,024 characters


class _Unsupported(Exception):
    """Outside the plain part: the event reader reads this file."""


def read_plain(text: str) -> Node | None:
    """The file's Node tree when it uses only the plain part of YAML (see the module), else None."""
    if "\r" in text:
        if text.count("\r") != text.count("\r\n"):
            return None
        text = text.replace("\r\n", "\n")
    if _UNSUPPORTED.search(text) is not None:
        return None
    try:
        return _Reader(text).document()
    except _Unsupported:
        return None


def _literal(lines: list[str], index: int, indent: int, clip: bool) -> tuple[str, int]:
    """A literal block (``|`` or ``|-``) whose header ends line ``index``, its key at ``indent``: the text
    and the index of its last line."""
    start = index + 1
    if start >= len(lines) or not lines[start].strip(" "):
        raise _Unsupported  # empty, or starting with blank lines (their indentation would count)
    first = lines[start]
    content = len(first) - len(first.lstrip(" "))
    if content <= indent:
        raise _Unsupported
    parts: list[str] = []
    blanks = 0
    last = start
    for position in range(start, len(lines)):
        line = lines[position]
        if not line.strip(" "):
            if len(line) > content:
                raise _Unsupported  # spaces beyond the indentation are content of an "empty" line
            blanks += 1
        elif len(line) - len(line.lstrip(" ")) < content:
            break
        else:
            if blanks:
                parts.extend([""] * blanks)
                blanks = 0
            parts.append(line[content:])
            last = position
    text = "\n".join(parts)
    if clip and last + 1 < len(lines):  # the last content line ends with a line break: keep one
        text += "\n"
    return text, last


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.texts: dict[str, str] = {}  # one object for each short text that repeats (as the event reader)
        self.tags: dict[str, str] = {}

    def _text(self, value: str) -> str:
        if len(value) <= 32:
            return self.texts.setdefault(value, value)
        return value

    def _plain(self, value: str, line: int) -> Node:
        tag = self.tags.get(value)
        if tag is None:
            tag = resolve(value)
            if len(value) <= 32:
                self.tags[value] = tag
        return Node(self._text(value), line, "scalar", tag)

    def document(self) -> Node:
        """Read the lines in one loop, the open block collections on a stack.

        A stack entry is [indent, mapping?, dict or list, key lines, open key, its line]: the open key
        is a mapping's last key written without a value, whose value may be the block below it.
        """
        text = self.text
        rows = _LINE.findall(text)
        lines = text.split("\n")
        if len(rows) != len(lines):  # pragma: no cover - one match per line, by the pattern
            raise _Unsupported
        stack: list[list[Any]] = []
        root: Node | None = None
        texts, inline = self.texts, self._inline
        null = resolve("")
        skip_to = -1
        for index, (spaces, dash, key, rest) in enumerate(rows):  # an absent group is ""
            if index <= skip_to:
                continue  # the lines of a literal block
            if not dash and not key and (not rest or rest[0] == "#"):
                continue  # blank or comment
            indent = len(spaces)
            number = index + 1
            top = stack[-1] if stack else None
            if top is not None and top[4] is not None:  # a key waits for its value
                if indent > top[0] or (indent == top[0] and dash):
                    if len(stack) >= _MAX_DEPTH:
                        raise _Unsupported
                    node = Node({}, number, "mapping", key_lines={}) if not dash else Node([], number, "sequence")
                    top[2][top[4]] = node
                    top[4] = None
                    top = [indent, not dash, node.value, node.key_lines, None, 0]
                    stack.append(top)
                else:
                    top[2][top[4]] = Node(texts.setdefault("", ""), top[5], "scalar", null)
                    top[4] = None
            while top is not None and top[0] > indent:
                stack.pop()
                top = stack[-1] if stack else None
            if top is None:
                if root is not None or indent or dash:
                    raise _Unsupported  # not one mapping at the margin
                root = Node({}, number, "mapping", key_lines={})
                top = [0, True, root.value, root.key_lines, None, 0]
                stack.append(top)
            if top[0] != indent:
                raise _Unsupported  # a continuation line, or an indent between two levels
            if not top[1] and not dash:  # a list at its key's indent ends at the next key
                stack.pop()
                top = stack[-1] if stack else None
                if top is None or top[0] != indent or not top[1]:
                    raise _Unsupported
            if dash:
                if top[1]:
                    raise _Unsupported  # a dash among keys
                items = top[2]
                if key:  # "- key: value": a mapping in the item, its keys at the key's column
                    if len(stack) >= _MAX_DEPTH:
                        raise _Unsupported
                    node = Node({}, number, "mapping", key_lines={})
                    items.append(node)
                    top = [indent + len(dash), True, node.value, node.key_lines, None, 0]
                    stack.append(top)
                else:
                    if not rest or rest[0] in "#|>":
                        raise _Unsupported  # an empty item, a block under the dash
                    items.append(inline(rest, number))
                    continue
            elif not key:
                raise _Unsupported  # a scalar where a key belongs
            # a key, in the mapping on top of the stack
            if key[-1] == " " or key == "<<" or len(key) > _MAX_KEY or key in top[3]:
                raise _Unsupported
            key = texts.setdefault(key, key) if len(key) <= 32 else key
            top[3][key] = number
            if not rest or rest[0] == "#":
                top[4], top[5] = key, number
            elif rest[0] == "|":
                if rest != "|" and rest != "|-":
                    raise _Unsupported
                value, skip_to = _literal(lines, index, top[0], rest == "|")
                top[2][key] = Node(value, number, "scalar", STR)
            else:
                top[2][key] = inline(rest, number)
        if root is None:
            raise _Unsupported  # nothing but comments: the event reader says what an empty file is
        for entry in stack:
            if entry[4] is not None:
                entry[2][entry[4]] = Node(texts.setdefault("", ""), entry[5], "scalar", null)
        return root

    def _inline(self, value: str, line: int) -> Node:
        """A value written on its line after a key or a dash: a one-line scalar or flow collection."""
        first = value[0]
        if first == "{":
            match = _SIMPLE_FLOW.match(value)
            if match is not None and _TAIL.fullmatch(value, match.end()) is not None:
                return self._simple_flow(match.group(), line)
            node, end = self._flow(value, 0, line, 1)
        elif first == "[":
            node, end = self._flow(value, 0, line, 1)
        elif first == '"' or first == "'":
            node, end = self._quoted(value, 0, line)
        else:
            cut = value.find(" #")
            text = (value if cut < 0 else value[:cut]).rstrip(" ")
            if _BLOCK_PLAIN.fullmatch(text) is None:
                raise _Unsupported
            return self._plain(text, line)
        if _TAIL.fullmatch(value, end) is None:
            raise _Unsupported
        return node

    def _simple_flow(self, text: str, line: int) -> Node:
        """A one-line flow mapping of scalars, already matched whole by ``_SIMPLE_FLOW``.

        The commonest line of a targets file (``- {id: D01, …}``): ``_plain`` and ``_text`` are
        written out here, a tenth of the reading time.
        """
        items: dict[str, Node] = {}
        key_lines: dict[str, int] = {}
        texts, tags = self.texts, self.tags
        for key, bare, double, single in _PAIR.findall(text):
            if key in key_lines or key == "<<" or len(key) > _MAX_KEY:
                raise _Unsupported
            if len(key) <= 32:
                key = texts.setdefault(key, key)
            key_lines[key] = line
            if bare:
                if bare[-1] == " ":
                    bare = bare.rstrip(" ")
                tag = tags.get(bare)
                if tag is None:
                    tag = resolve(bare)
                    if len(bare) <= 32:
                        tags[bare] = tag
                if len(bare) <= 32:
                    bare = texts.setdefault(bare, bare)
                items[key] = Node(bare, line, "scalar", tag)
            elif single:
                items[key] = Node(self._text(single.replace("''", "'")), line, "scalar", STR)
            else:  # double-quoted, or a quoted empty text
                items[key] = Node(self._text(double), line, "scalar", STR)
        return Node(items, line, "mapping", key_lines=key_lines)

    def _quoted(self, text: str, position: int, line: int) -> tuple[Node, int]:
        if text[position] == '"':
            match = _DOUBLE.match(text, position)
            if match is None:
                raise _Unsupported
            return Node(self._text(match.group(1)), line, "scalar", STR), match.end()
        match = _SINGLE.match(text, position)
        if match is None:
            raise _Unsupported
        return Node(self._text(match.group(1).replace("''", "'")), line, "scalar", STR), match.end()

    def _flow(self, text: str, position: int, line: int, depth: int) -> tuple[Node, int]:
        """A flow mapping or list that opens at ``position`` and closes on the same line."""
        if depth > _MAX_DEPTH:
            raise _Unsupported
        is_mapping = text[position] == "{"
        close = "}" if is_mapping else "]"
        items: dict[str, Node] | list[Node]
        key_lines: dict[str, int] = {}
        if is_mapping:
            items = {}
            node = Node(items, line, "mapping", key_lines=key_lines)
        else:
            items = []
            node = Node(items, line, "sequence")
        position = _spaces(text, position + 1)
        if text.startswith(close, position):
            return node, position + 1
        while True:
            key = None
            if is_mapping:
                match = _FLOW_KEY.match(text, position)
                if match is None:
                    raise _Unsupported
                key = match.group().rstrip(" ")[:-1]
                if key in key_lines or key == "<<" or len(key) > _MAX_KEY:
                    raise _Unsupported
                position = match.end()
            value, position = self._flow_value(text, position, line, depth)
            if key is not None:
                key = self._text(key)
                key_lines[key] = line
                items[key] = value  # type: ignore[call-overload]
            else:
                items.append(value)  # type: ignore[union-attr]
            position = _spaces(text, position)
            if text.startswith(",", position):
                position = _spaces(text, position + 1)
                if position >= len(text) or text[position] in ",]}":
                    raise _Unsupported  # a trailing comma or an empty entry
                continue
            if text.startswith(close, position):
                return node, position + 1
            raise _Unsupported

    def _flow_value(self, text: str, position: int, line: int, depth: int) -> tuple[Node, int]:
        if position >= len(text):
            raise _Unsupported
        first = text[position]
        if first in "{[":
            return self._flow(text, position, line, depth + 1)
        if first == '"' or first == "'":
            return self._quoted(text, position, line)
        match = _FLOW_PLAIN.match(text, position)
        if match is None:
            raise _Unsupported
        return self._plain(match.group().rstrip(" "), line), match.end()


def _spaces(text: str, position: int) -> int:
    while position < len(text) and text[position] == " ":
        position += 1
    return position
