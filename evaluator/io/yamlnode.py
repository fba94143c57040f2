"""The YAML tree both readers build: a Node per value with its line, and the tag YAML gives a plain scalar."""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["ALLOWED_TAGS", "BOOL", "FLOAT", "INT", "NULL", "STR", "Node", "resolve"]

INT = "tag:yaml.org,2002:int"
FLOAT = "tag:yaml.org,2002:float"
NULL = "tag:yaml.org,2002:null"
BOOL = "tag:yaml.org,2002:bool"
STR = "tag:yaml.org,2002:str"
ALLOWED_TAGS = {
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq", "timestamp")
}
_IMPLICIT = yaml.resolver.Resolver.yaml_implicit_resolvers


class Node:
    """A YAML value with the 1-based line it starts on.

    ``value`` is ``dict[str, Node]`` for a mapping, ``list[Node]`` for a sequence, and the scalar's
    text for a scalar (``tag`` says what YAML would have made of it: int, float, str, null, bool).
    ``key_lines`` maps each key of a mapping to the line of the key. Treated as read-only; a plain
    class with slots, because a large file has a million of them.
    """

    __slots__ = ("key_lines", "kind", "line", "tag", "value")

    def __init__(self, value: Any, line: int, kind: str, tag: str = STR,
                 key_lines: dict[str, int] | None = None) -> None:
        self.value = value
        self.line = line
        self.kind = kind  # "mapping" | "sequence" | "scalar"
        self.tag = tag
        self.key_lines = key_lines

    @property
    def is_null(self) -> bool:
        return self.kind == "scalar" and self.tag == NULL

    def __repr__(self) -> str:
        return f"Node({self.value!r}, line={self.line}, kind={self.kind!r}, tag={self.tag!r})"


def resolve(value: str) -> str:
    """The tag YAML gives a plain scalar (as PyYAML's resolver does); text where it would be merge or value."""
    for tag, pattern in _IMPLICIT.get(value[0] if value else "", ()):
        if pattern.match(value):
            return tag if tag in ALLOWED_TAGS else STR
    return STR
