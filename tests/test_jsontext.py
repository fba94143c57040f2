"""The JSON writer gives ``json.dumps(value, ensure_ascii=False, indent=2)``'s text exactly, however it goes.

``results/jsontext.py`` writes scalars through the C encoder many at once, objects of one layout from a
shape, and an object shared by the items of a lazy list of records once: each way is compared here with
the standard library on arbitrary values (shared objects, any character, numbers of every kind, empty
containers, values of a kind a way does not expect), and NaN, infinities and non-JSON values are refused
as ``json.dumps`` refuses them.
"""

from __future__ import annotations

import enum
import json
import math
from collections import OrderedDict
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluator.results.jsontext import Lazy, LazyRecords, Record, dumps, pieces


def standard(value):
    return json.dumps(value, ensure_ascii=False, indent=2)


# Every character, lone surrogates and control characters included; and the ones the writer's ways rely on.
TEXTS = st.text(st.characters(blacklist_categories=()), max_size=12) | st.sampled_from(
    ["", "\n", "[", "{", "\n[", "\n{", "%", "%s", "%%", '"', "\\", "\x00", "\x01null", "null", "指标：≥95%"])
NUMBERS = st.integers(min_value=-(10**30), max_value=10**30) | st.floats(allow_nan=False, allow_infinity=False)
LEAVES = st.none() | st.booleans() | NUMBERS | TEXTS
KEYS = TEXTS | st.integers(-5, 5) | st.floats(allow_nan=False, allow_infinity=False) | st.booleans() | st.none()
VALUES = st.recursive(
    LEAVES,
    lambda children: (st.lists(children, max_size=4) | st.tuples(children, children)
                      | st.dictionaries(TEXTS, children, max_size=5) | st.dictionaries(KEYS, children, max_size=3)),
    max_leaves=30,
)


class Text(str):
    pass


class Number(float):
    pass


class Count(enum.IntEnum):
    ONE = 1


ODD = st.sampled_from([Text("a\n"), Number(0.5), Count.ONE, OrderedDict(a=1), (), (1, "x"), {}, []])


@settings(max_examples=300, deadline=None)
@given(VALUES)
def test_any_value_is_written_as_the_standard_library_writes_it(value):
    assert dumps(value) == standard(value)


@settings(max_examples=200, deadline=None)
@given(VALUES, st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=6))
def test_an_object_met_many_times_is_written_where_it_stands(shared, places):
    value = {"top": shared, "list": [shared, {"in": shared}], **{key: [shared] for key in places}}
    assert dumps(value) == standard(value)


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(TEXTS, LEAVES | ODD, max_size=6), st.lists(LEAVES | ODD, max_size=6))
def test_subclasses_and_tuples_are_written_as_the_standard_library_writes_them(mapping, items):
    value = {"mapping": mapping, "items": items, "tuple": tuple(items)}
    assert dumps(value) == standard(value)


@st.composite
def records(draw):
    """A record layout, rows of values for it (objects shared between rows), and the same as plain dicts."""
    keys = draw(st.lists(TEXTS, min_size=1, max_size=8, unique=True))
    nested = draw(st.lists(st.sampled_from(keys), unique=True, max_size=len(keys)))
    shared = draw(st.lists(st.dictionaries(TEXTS, VALUES, max_size=3), min_size=1, max_size=3))
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        row = []
        for key in keys:
            if key in nested:
                row.append(draw(st.sampled_from(shared) | VALUES))
            else:  # now and then a list, an object or an odd scalar where a scalar is expected
                row.append(draw(LEAVES | ODD | VALUES))
        rows.append(tuple(row))
    return Record(keys, nested), rows


@settings(max_examples=300, deadline=None)
@given(records())
def test_lazy_lists_of_records_are_written_like_lists_of_objects(case):
    record, rows = case
    lazy = {"before": 1, "items": LazyRecords(rows, record, lambda row: row), "after": [[], {}]}
    plain = {"before": 1, "items": [record.to_dict(row) for row in rows], "after": [[], {}]}
    assert dumps(lazy) == standard(plain)
    for row in rows:
        assert record.text(row, 0) == standard(record.to_dict(row))
    assert [dict(item) for item in lazy["items"]] == plain["items"]


def test_many_records_sharing_objects_are_written_in_pieces_like_a_list():
    record = Record(["id", "parsed", "flags", "ratio"], nested=["parsed", "flags"])
    parsed = [{"op": ">=", "value": n, "unit": "份"} for n in range(7)]
    rows = [(f"D{n}", parsed[n % 7], ["previous-year"] if n % 3 else [], n / 7 if n % 2 else None)
            for n in range(10_000)]
    value = {"indicators": LazyRecords(rows, record, lambda row: row)}
    assert dumps(value) == standard({"indicators": [record.to_dict(row) for row in rows]})


def test_an_object_changed_between_two_writings_is_written_as_it_is_now():
    parsed = {"op": ">=", "value": 1}
    record = Record(["parsed"], nested=["parsed"])
    value = {"items": LazyRecords([(parsed,), (parsed,)], record, lambda row: row)}
    dumps(value)
    parsed["value"] = 2
    assert dumps(value) == standard({"items": [{"parsed": parsed}, {"parsed": parsed}]})


def test_a_lazy_list_within_a_record_is_written():
    record = Record(["a", "b"], nested=["b"])
    rows = [(Lazy([1, 2], str), Lazy([{"x": None}], dict))]
    value = {"items": LazyRecords(rows, record, lambda row: row)}
    assert dumps(value) == standard({"items": [{"a": ["1", "2"], "b": [{"x": None}]}]})


@st.composite
def lazy_objects(draw):
    """Objects of a few layouts (as the rows and findings of `check`), now and then an odd one among them."""
    layouts = draw(st.lists(st.lists(TEXTS, min_size=0, max_size=5, unique=True), min_size=1, max_size=3))
    items = []
    for _ in range(draw(st.integers(0, 80))):
        keys = draw(st.sampled_from(layouts))
        item = {key: draw(LEAVES) for key in keys}
        odd = draw(st.integers(0, 30))
        if odd == 0 and keys:
            item[keys[0]] = draw(VALUES | ODD)
        elif odd == 1:
            item = draw(VALUES | ODD)
        elif odd == 2:
            item = {1: "one", False: "false", 2.5: None, None: 0}
        items.append(item)
    return items


@settings(max_examples=200, deadline=None)
@given(lazy_objects())
def test_lazy_lists_of_objects_of_one_layout_are_written_like_lists(items):
    value = {"items": Lazy(items, lambda item: item), "more": Lazy([], dict)}
    assert dumps(value) == standard({"items": items, "more": []})


def test_a_lazy_list_holding_lazy_lists_is_written_in_pieces():
    inner = [{"a": n, "b": "x"} for n in range(100)]
    value = {"outer": Lazy([{"name": "one", "items": Lazy(inner, dict)}, {"name": "two", "items": Lazy([], dict)}],
                           lambda item: item)}
    written = list(pieces(value))
    assert len(written) > 3 and "".join(written) == standard(
        {"outer": [{"name": "one", "items": inner}, {"name": "two", "items": []}]})


BAD_NUMBERS = [math.nan, math.inf, -math.inf]


@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_nan_and_infinity_are_refused_wherever_they_stand(bad):
    record = Record(["a", "b"], nested=["b"])
    for value in (
        bad, [bad], [1, "x", bad], {"a": bad}, {"a": 1, "b": [bad]}, {bad: 1}, {"a": {"b": {"c": bad}}},
        {"items": LazyRecords([("x", None), (bad, None)], record, lambda row: row)},
        {"items": LazyRecords([("x", {"c": bad})], record, lambda row: row)},
        {"items": LazyRecords([("x", [1, bad])], record, lambda row: row)},
    ):
        with pytest.raises(ValueError):
            dumps(value)
    with pytest.raises(ValueError):  # the standard library's strict mode, which the writer follows
        json.dumps({"a": bad}, allow_nan=False)


@pytest.mark.parametrize("odd", [Decimal("1.5"), object(), {1, 2}, b"bytes"])
def test_values_that_are_not_json_are_refused_as_the_standard_library_refuses_them(odd):
    record = Record(["a", "b"], nested=["b"])
    for value in (odd, [odd], [1, odd], {"a": odd}, {"a": 1, "b": [odd]}, {1: odd},
                  {"items": LazyRecords([(odd, None)], record, lambda row: row)},
                  {"items": LazyRecords([(1, [odd])], record, lambda row: row)}):
        with pytest.raises(TypeError):
            dumps(value)
    with pytest.raises(TypeError):
        standard({"a": odd})


def test_a_record_refuses_rows_of_the_wrong_length_and_keys_it_cannot_hold():
    record = Record(["a", "b"])
    with pytest.raises(ValueError):
        record.text(("only one",), 0)
    with pytest.raises(ValueError):  # one short and one long: as many values as two rows, and still refused
        dumps({"items": LazyRecords([("a",), ("b", "c", "d")], record, lambda row: row)})
    with pytest.raises(ValueError):
        Record(["a", "a"])
    with pytest.raises(ValueError):
        Record(["a"], nested=["b"])
    with pytest.raises(ValueError):
        Record([1, "a"])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.decimals(allow_nan=False, allow_infinity=False, min_value=-10**15, max_value=10**15), max_size=20))
def test_the_numbers_of_indicators_remembered_by_value_are_the_numbers_plain_gives(numbers):
    from evaluator.decimals import plain
    from evaluator.results.scores import _number

    def spellings(number):  # the same value written with other exponents: 1.5, 1.50, 15E-1; 2, 2.0, 2E+0
        text = str(number)
        longer = text if "E" in text else text + "0" if "." in text else text + ".0"
        return [number, number.normalize(), Decimal(longer)]

    spelled = [spelling for number in numbers for spelling in spellings(number)]
    for sequence in (spelled, spelled[::-1]):
        for number in sequence:
            found, expected = _number(number), plain(number)
            assert type(found) is type(expected) and repr(found) == repr(expected)
