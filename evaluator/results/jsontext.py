"""JSON text as the tool writes it: ``json.dumps(value, ensure_ascii=False, indent=2)``, faster and in pieces.

With ``indent``, the standard library encodes in pure Python, a generator per level; a result of
100,000 indicators took 3.5 s and several hundred MB. ``pieces`` gives the same characters (tests
compare them with ``json.dumps``) and yields every top-level part as it is done: a ``Lazy`` list
converts its items (an indicator's JSON object) only when they are written.

The time goes to the many small values, so they are encoded by the standard library's C encoder
(without indent: with one, ``json`` uses its Python code), the values of an object all at once: a
list of scalars (texts, numbers, true, false, null) comes out as ``[a⏎b⏎c]``, the item separator a line
break, which no encoded value holds (a line break in a text is written ``\\n``), so a split gives each
value's text, and a join puts them between the keys of the object's "shape" (``{⏎    "key": `` …),
made once per layout of keys and level. A ``Record`` is such a layout declared in advance (every
indicator has the same 26 keys): a ``LazyRecords`` list writes its items with no dict made, 32 at a
time, and an object shared by many items (the "parsed" object of one target text) once per list; a
``Lazy`` list of plain objects of one layout (`check`'s rows) gets a Record for its keys. The text is
only copied (split, join), never scanned by Python code: ``%`` formatting, which reads it character by
character, cost twice as much.

Strict JSON only: NaN and infinities raise ValueError, as ``json.dumps(allow_nan=False)`` does, so
that a bug shows instead of a file no JSON reader accepts.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import chain, islice
from json.encoder import encode_basestring
from typing import Any

try:
    from _json import make_encoder as _make_encoder
except ImportError:  # pragma: no cover - CPython has it; without it every value goes the slower way below
    _make_encoder = None

__all__ = ["Lazy", "LazyRecords", "Record", "dumps", "materialise", "pieces"]

_FLUSH = 4096  # list items written per piece
_BATCH = 32  # objects of a record layout encoded at once (more gained nothing measurable)
_SHARED_MAX = 1 << 16  # objects of one lazy list of records remembered by identity (see ``_Shared``)


class Lazy:
    """A JSON list whose items are converted only as they are written."""

    def __init__(self, items: Sequence[Any], convert: Callable[[Any], Any]) -> None:
        self.items, self.convert = items, convert

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[Any]:
        return (self.convert(item) for item in self.items)


class Record:
    """The layout of JSON objects that all have the same keys in the same order (an indicator's 26).

    An object is given as its values, in the order of ``keys``. The values under ``nested`` keys may be
    lists or objects (or None); every other value is expected to be a scalar. The scalars of ``_BATCH``
    objects are encoded by one call of the C encoder and put into a frame of their keys' text: fewer
    calls than one an object, and a batch's text is joined while its parts are still in the processor's
    cache. A list or object found under another key is not lost: that object is written the slow way.
    """

    def __init__(self, keys: Sequence[str], nested: Iterable[str] = ()) -> None:
        if any(type(key) is not str for key in keys) or len(set(keys)) != len(keys):
            raise ValueError("a record's keys are distinct texts")
        self.keys = tuple(keys)
        names = set(nested)
        self.nested = tuple(position for position, key in enumerate(self.keys) if key in names)
        if len(self.nested) != len(names):
            raise ValueError(f"nested keys not in the record: {sorted(names - set(self.keys))}")
        self._frames: dict[tuple[int, str, int], list[str | None]] = {}

    def to_dict(self, values: Sequence[Any]) -> dict[str, Any]:
        return dict(zip(self.keys, values, strict=True))

    def text(self, values: Sequence[Any], level: int) -> str:
        """The JSON text of one object standing at nesting ``level``."""
        out: list[str] = []
        self.extend(out, (values,), level, _Shared())
        return "".join(out)

    def extend(self, out: list[str], rows: Iterable[Sequence[Any]], level: int, shared: _Shared,
               separator: str = "") -> None:
        """Append the text of each row of values to ``out``, ``separator`` between two rows."""
        rows = iter(rows)
        between = ""
        while batch := list(islice(rows, _BATCH)):
            out.append(between)
            between = separator
            text = self._batch(batch, level, shared, separator)
            if text is not None:
                out.append(text)
                continue
            for position, values in enumerate(batch):  # a list or an object where a scalar was expected
                out.append(separator if position else "")
                text = self._batch([values], level, shared, separator)
                if text is None:
                    _write_object(self.to_dict(values), level, out)
                else:
                    out.append(text)

    def _batch(self, rows: list[Sequence[Any]], level: int, shared: _Shared, separator: str) -> str | None:
        """The text of ``rows`` with ``separator`` between them, or None for a list or object among the scalars."""
        count = len(self.keys)
        if set(map(len, rows)) != {count}:
            raise ValueError(f"a row of values for a record of {count} keys has {sorted(set(map(len, rows)))}")
        flat = list(chain.from_iterable(rows))
        columns = []
        for position in self.nested:
            columns.append(flat[position::count])
            flat[position::count] = [None] * len(rows)
        parts = _scalars(flat)
        if parts is None:
            return None
        frame = list(self._frame(level, separator, len(rows)))
        frame[1:-1:2] = parts
        known = shared.texts.get
        for position, column in zip(self.nested, columns, strict=True):
            texts = list(map(known, map(id, column)))
            if None in texts:
                texts = [text if text is not None else shared.remember(value, level + 1)
                         for text, value in zip(texts, column, strict=True)]
            frame[2 * position + 1:-1:2 * count] = texts
        return "".join(frame)

    def _frame(self, level: int, separator: str, rows: int) -> list[str | None]:
        """The text of ``rows`` objects at ``level`` with a None where each value goes (at the odd places)."""
        frame = self._frames.get((level, separator, rows))
        if frame is None:
            one = _shape(self.keys, level)
            end = one.pop()
            later = [end + separator + one[0], *one[1:]]  # the end of the row before, and the separator
            frame = self._frames[(level, separator, rows)] = one + later * (rows - 1) + [end]
        return frame


class LazyRecords(Lazy):
    """A lazy list of objects of one ``Record`` layout: ``values(item)`` gives an item's values in key order.

    ``convert`` gives an item's object when it is to be a dict (``to_json``) and ``record.to_dict`` of the
    values is not quite it: a tuple among the values is written as a list, and the dict may want a list.
    """

    def __init__(self, items: Sequence[Any], record: Record, values: Callable[[Any], Sequence[Any]],
                 convert: Callable[[Any], Any] | None = None) -> None:
        super().__init__(items, convert or (lambda item: record.to_dict(values(item))))
        self.record, self.values = record, values


class _Shared:
    """The texts of the values under the nested keys of one lazy list of records, each written once.

    Objects by identity: the "parsed" objects of equal target texts are one object (``scoring.pipeline``),
    and 100,000 indicators have about 20,000 of them. They are kept here with their text, so that no other
    object can take the identity of one while it is remembered; sound because nothing changes an object
    while its list is written, and all the values of one list stand at one level. Lists and tuples of
    texts by value: 100,000 indicators have 18,000 tuples of flags of a few kinds ("default-pct" …), and
    the empty tuple is one object.
    """

    def __init__(self) -> None:
        self.texts: dict[int, str] = {id(None): "null", id(()): "[]"}
        self._kept: list[Any] = []
        self._lists: dict[tuple[str, ...], str] = {}
        self._level: int | None = None

    def remember(self, value: Any, level: int) -> str:
        """The text of a value not found in ``texts``; kept for the next time when it may come again."""
        if self._level is None:
            self._level = level
        elif level != self._level:
            raise ValueError("values of one list of records stand at one level")
        kind = type(value)
        if (kind is list or kind is tuple) and _TEXT.issuperset(map(type, value)):
            key = tuple(value)  # texts only: 1 and True are equal, "1" and "True" are not
            text = self._lists.get(key)
            if text is None:
                text = _text(value, level)
                if len(self._lists) < _SHARED_MAX:
                    self._lists[key] = text
            return text
        text = _text(value, level)
        if kind is dict and len(self._kept) < _SHARED_MAX:
            self._kept.append(value)
            self.texts[id(value)] = text
        return text


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


_LAZY = frozenset({Lazy, LazyRecords})


def _has_lazy(value: Any) -> bool:
    """A lazy list, or an object with a lazy list among its values (lazy lists stand nowhere else)."""
    kind = type(value)
    return kind in _LAZY or (kind is dict and not _LAZY.isdisjoint(map(type, value.values())))


def _open_pieces(value: Any, level: int) -> Iterator[str]:
    inner = "\n" + "  " * (level + 1)
    close = "\n" + "  " * level
    if isinstance(value, dict):
        for position, (key, item) in enumerate(value.items()):
            yield ("{" if position == 0 else ",") + inner + _key(key) + ": "
            yield from pieces(item, level + 1)
        yield close + "}"
        return
    if type(value) is LazyRecords:
        yield from _record_pieces(value, level)
        return
    out: list[str] = []
    separator, written = "[" + inner, 0
    items = iter(value)
    while batch := list(islice(items, _BATCH)):
        record = _common_record(batch)
        if record is not None:  # objects of one layout, scalars only (the rows and findings of `check`)
            out.append(separator)
            record.extend(out, map(dict.values, batch), level + 1, _Shared(), "," + inner)
            separator = "," + inner
        else:
            for item in batch:
                out.append(separator)
                separator = "," + inner
                if _has_lazy(item):
                    yield "".join(out)
                    out = []
                    yield from _open_pieces(item, level + 1)
                else:
                    _write(item, level + 1, out)
        written += len(batch)
        if written >= _FLUSH:
            yield "".join(out)
            out, written = [], 0
    out.append("[]" if separator[0] == "[" else close + "]")
    yield "".join(out)


# Records for the layouts of keys met in lazy lists of plain objects (``_common_record``), by their keys.
_RECORDS: dict[tuple[str, ...], Record] = {}
_RECORDS_MAX = 1024


def _common_record(batch: list[Any]) -> Record | None:
    """The Record of ``batch`` when its items are objects with the same text keys and only scalar values."""
    if set(map(type, batch)) != {dict}:
        return None
    keys = tuple(batch[0])
    if not keys or not all(map(keys.__eq__, map(tuple, batch))):
        return None
    if not _SCALAR.issuperset(map(type, chain.from_iterable(map(dict.values, batch)))):
        return None  # a list or an object among the values (a lazy one, maybe, to be written in pieces)
    record = _RECORDS.get(keys)
    if record is None:
        if not all(type(key) is str for key in keys):
            return None
        record = Record(keys)
        if len(_RECORDS) < _RECORDS_MAX:
            _RECORDS[keys] = record
    return record


def _record_pieces(records: LazyRecords, level: int) -> Iterator[str]:
    """A lazy list of records, ``_FLUSH`` items a piece."""
    items, values, record = records.items, records.values, records.record
    if not len(items):
        yield "[]"
        return
    inner = "\n" + "  " * (level + 1)
    shared = _Shared()
    for start in range(0, len(items), _FLUSH):
        out = ["[" + inner if start == 0 else "," + inner]
        record.extend(out, map(values, items[start:start + _FLUSH]), level + 1, shared, "," + inner)
        yield "".join(out)
    yield "\n" + "  " * level + "]"


# The exact types given to the C encoder; anything else (a str subclass, an Enum …) goes through ``_write``.
_SCALAR = frozenset({str, int, float, bool, type(None)})
_TEXT = frozenset({str})


def _refuse(value: Any) -> Any:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


# Without indent (the C encoder's way), a line break between items; markers None: no list or object is
# meant to reach it, and one that does makes ``_scalars`` give up.
_ENCODE = (_make_encoder(None, _refuse, encode_basestring, None, ": ", "\n", False, False, False)
           if _make_encoder is not None else None)


def _scalars(values: list[Any]) -> list[str] | None:
    """The JSON text of each value, or None when one of them is a list or an object (or not JSON at all).

    A value's text starts with ``[`` or ``{`` only for a list or an object (a text starts with ``"``),
    and it is the first or follows a line break; the precise test runs only when the text holds one.
    """
    if _ENCODE is None:
        return None
    try:
        encoded = "".join(_ENCODE(values, 0))  # "[a\nb\nc]"
    except TypeError:  # not a JSON value, or a lazy list: ``_write`` writes the one or says which
        return None
    if (encoded.find("[", 1) >= 0 or "{" in encoded) and (
            encoded[1:2] in ("[", "{") or "\n[" in encoded or "\n{" in encoded):
        return None
    return encoded[1:-1].split("\n")


def _shape(keys: Sequence[Any], level: int) -> list[str | None]:
    """An object's text with ``keys`` at ``level``: the text before each value, a None for it, the end."""
    inner = "\n" + "  " * (level + 1)
    shape: list[str | None] = []
    for position, key in enumerate(keys):
        shape += [("{" if position == 0 else ",") + inner + _key(key) + ": ", None]
    shape.append("\n" + "  " * level + "}")
    return shape


# The shapes of the objects met by ``_write`` whose keys are all texts, by level and then by their keys.
_SHAPES: dict[int, dict[tuple[str, ...], list[str | None]]] = {}
_SHAPES_MAX = 4096  # layouts remembered per level


def _object_shape(value: dict[Any, Any], level: int) -> list[str | None] | None:
    """A copy of the shape of ``value``'s keys, or None when one is not a text (1 and True are one key)."""
    known = _SHAPES.get(level)
    if known is None:
        known = _SHAPES[level] = {}
    keys = tuple(value)
    shape = known.get(keys)
    if shape is None:
        if not all(type(key) is str for key in keys):
            return None
        shape = _shape(keys, level)
        if len(known) < _SHAPES_MAX:
            known[keys] = shape
    return list(shape)


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


def _text(value: Any, level: int) -> str:
    """The JSON text of ``value`` standing at ``level``, in one piece."""
    out: list[str] = []
    _write(value, level, out)
    return "".join(out)


def _write(value: Any, level: int, out: list[str]) -> None:
    """Append the JSON text of ``value`` (standing at nesting ``level``) to ``out``."""
    kind = type(value)
    if kind is str:
        out.append(encode_basestring(value))
    elif kind is dict:
        if not value:
            out.append("{}")
        else:
            _write_dict(value, level, out)
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
        if kind is list or kind is tuple:
            parts = _scalars(list(value)) if _SCALAR.issuperset(map(type, value)) else None
            if parts is not None:
                out.append("[" + inner + ("," + inner).join(parts) + "\n" + "  " * level + "]")
                return
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


def _write_dict(value: dict[Any, Any], level: int, out: list[str]) -> None:
    """A non-empty object: its scalars encoded at once and put into its shape, the rest one by one."""
    shape = _object_shape(value, level)
    if shape is None:
        _write_object(value, level, out)
        return
    values = list(value.values())
    kinds = list(map(type, values))
    if _SCALAR.issuperset(kinds):
        parts = _scalars(values)
    else:
        parts = _scalars([item if kind in _SCALAR else None for kind, item in zip(kinds, values, strict=True)])
        if parts is not None:
            for position, kind in enumerate(kinds):
                if kind not in _SCALAR:
                    parts[position] = _text(values[position], level + 1)
    if parts is None:
        _write_object(value, level, out)
        return
    shape[1:-1:2] = parts
    out += shape


def _write_object(value: dict[Any, Any], level: int, out: list[str]) -> None:
    """An object key by key: keys that are not all texts, or values the C encoder does not take."""
    inner = "\n" + "  " * (level + 1)
    separator = "{" + inner
    append = out.append
    for key, item in value.items():
        append(separator + _key(key) + ": ")
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
        separator = "," + inner
    append("\n" + "  " * level + "}")
