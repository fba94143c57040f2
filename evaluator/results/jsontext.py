"""JSON text as the tool writes it: ``json.dumps(value, ensure_ascii=False, indent=2)``, faster and in pieces.

With ``indent``, the standard library encodes in pure Python, a generator per level; a result of
100,000 indicators took 3.5 s and several hundred MB. ``pieces`` gives the same characters (a test
compares them with ``json.dumps``) from a loop that appends to one list, with strings and numbers
encoded by the standard library's C functions, and yields every top-level part as it is done: a
``Lazy`` list converts its items (an indicator's JSON object) only when they are written.

Strict JSON only: NaN and infinities raise ValueError, as ``json.dumps(allow_nan=False)`` does, so
that a bug shows instead of a file no JSON reader accepts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from json.encoder import encode_basestring
from typing import Any

__all__ = ["Lazy", "dumps", "materialise", "pieces"]

_FLUSH = 4096  # list items written per piece


class Lazy:
    """A JSON list whose items are converted only as they are written."""

    def __init__(self, items: Sequence[Any], convert: Callable[[Any], Any]) -> None:
        self.items, self.convert = items, convert

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Any]:
        return (self.convert(item) for item in self.items)


def materialise(value: Any) -> Any:
    """The value with every lazy list made a list (for ``to_json``)."""
    if isinstance(value, Lazy):
        return [materialise(item) for item in value]
    if isinstance(value, dict):
        return {key: materialise(item) for key, item in value.items()}
    return value


def dumps(value: Any) -> str:
    """The text of ``json.dumps(value, ensure_ascii=False, indent=2)`` (lazy lists written out)."""
    return "".join(pieces(value))


def pieces(value: Any, level: int = 0) -> Iterator[str]:
    """The JSON text in pieces: a lazy list, or a list or object holding one, a few thousand items at a time."""
    if _has_lazy(value):
        yield from _open_pieces(value, level)
        return
    out: list[str] = []
    _write(value, level, out)
    yield "".join(out)


def _has_lazy(value: Any) -> bool:
    """A lazy list, or an object with a lazy list among its values (lazy lists stand nowhere else)."""
    return type(value) is Lazy or (type(value) is dict and any(type(v) is Lazy for v in value.values()))


def _open_pieces(value: Any, level: int) -> Iterator[str]:
    inner = "\n" + "  " * (level + 1)
    close = "\n" + "  " * level
    if isinstance(value, dict):
        for position, (key, item) in enumerate(value.items()):
            yield ("{" if position == 0 else ",") + inner + _key(key) + ": "
            yield from pieces(item, level + 1)
        yield close + "}"
        return
    out: list[str] = []
    count = 0
    for count, item in enumerate(value, start=1):
        out.append("[" + inner if count == 1 else "," + inner)
        if _has_lazy(item):
            yield "".join(out)
            out = []
            yield from _open_pieces(item, level + 1)
        else:
            _write(item, level + 1, out)
        if len(out) > _FLUSH:
            yield "".join(out)
            out = []
    out.append("[]" if count == 0 else close + "]")
    yield "".join(out)


# The text before a value (separator, indent, key, colon), by level and whether the key is an object's
# first, then by key: the schema's few keys are kept for reuse, looked up by the key alone.
_PREFIXES: dict[tuple[int, bool], dict[str, str]] = {}


def _prefixes(level: int, first: bool) -> dict[str, str]:
    found = _PREFIXES.get((level, first))
    if found is None:
        found = _PREFIXES[(level, first)] = {}
    return found


def _prefix(key: Any, level: int, first: bool) -> str:
    """``{⏎  "key": `` or ``,⏎  "key": `` for a key at ``level``."""
    text = ("{" if first else ",") + "\n" + "  " * (level + 1) + _key(key) + ": "
    known = _prefixes(level, first)
    if type(key) is str and len(known) < 4096:  # only text keys: 1 and True are equal as keys, not as text
        known[key] = text
    return text


def _key(key: Any) -> str:
    if isinstance(key, str):
        return encode_basestring(key)
    if key is True or key is False or key is None:
        return '"' + {True: "true", False: "false", None: "null"}[key] + '"'
    if isinstance(key, int | float):
        return '"' + _number(key) + '"'
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def _number(value: int | float) -> str:
    if isinstance(value, int):
        return int.__repr__(value)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"Out of range float values are not JSON compliant: {value!r}")
    return float.__repr__(value)


def _write(value: Any, level: int, out: list[str]) -> None:
    """Append the JSON text of ``value`` (standing at nesting ``level``) to ``out``."""
    kind = type(value)
    if kind is str:
        out.append(encode_basestring(value))
    elif kind is dict:
        if not value:
            out.append("{}")
            return
        append = out.append
        first = True
        known = _prefixes(level, True)
        for key, item in value.items():
            prefix = known.get(key)
            if prefix is None:
                prefix = _prefix(key, level, first)
            append(prefix)
            if first:
                first, known = False, _prefixes(level, False)
            kind = type(item)
            if kind is str:
                append(encode_basestring(item))
            elif item is None:
                append("null")
            elif kind is int:
                append(int.__repr__(item))
            elif kind is bool:
                append("true" if item else "false")
            else:
                _write(item, level + 1, out)
        append("\n" + "  " * level + "}")
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int | float):
        out.append(_number(value))
    elif isinstance(value, list | tuple | Lazy):
        if not len(value):
            out.append("[]")
            return
        inner = "\n" + "  " * (level + 1)
        separator = "[" + inner
        for item in value:
            out.append(separator)
            _write(item, level + 1, out)
            separator = "," + inner
        out.append("\n" + "  " * level + "]")
    elif isinstance(value, str):  # a str subclass
        out.append(encode_basestring(value))
    elif isinstance(value, dict):
        _write(dict(value), level, out)
    else:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
