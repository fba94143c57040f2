"""The line reader (io/yamlplain.py) gives libyaml's tree or gives up: never another meaning.

``read_plain`` reads the plain part of YAML without libyaml, for speed. It reports no problem itself, so
the promise is: for any text, either it returns None (and ``parse_events`` reads the file) or it returns
exactly the tree that ``parse_events`` builds from libyaml's events — values, tags, lines, key lines and
key order. When libyaml refuses a text, ``read_plain`` must refuse it too. Checked on generated documents
in many styles, on mutations of the shipped files, and on every YAML file of the repository.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLE_ACTUALS, EXAMPLE_TARGETS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluator.errors import InputErrors
from evaluator.io.yamlnode import Node
from evaluator.io.yamlplain import read_plain
from evaluator.io.yamlread import parse_events, parse_yaml

REPO = Path(__file__).resolve().parent.parent


def tree(node: Node) -> tuple:
    """Everything a Node tree says, comparable with ==."""
    if node.kind == "mapping":
        assert node.key_lines is not None and list(node.key_lines) == list(node.value)
        return ("mapping", node.line, tuple((key, node.key_lines[key], tree(value))
                                            for key, value in node.value.items()))
    if node.kind == "sequence":
        return ("sequence", node.line, tuple(tree(item) for item in node.value))
    return ("scalar", node.line, node.tag, node.value)


def by_events(text: str) -> tuple | None:
    try:
        return tree(parse_events(text, "f.yaml"))
    except InputErrors:
        return None


def assert_same_or_refused(text: str) -> bool:
    """The property; True when the line reader took the text."""
    plain = read_plain(text)
    expected = by_events(text)
    if expected is None:
        assert plain is None, f"libyaml refuses this text, the line reader read it:\n{text!r}"
        return False
    if plain is None:
        return False
    assert tree(plain) == expected, f"the two readers differ on:\n{text!r}"
    return True


def repository_yaml() -> list[Path]:
    skip = {"output", ".git", "node_modules"}
    return sorted(p for p in REPO.rglob("*.yaml") if not skip & set(p.relative_to(REPO).parts))


def test_every_yaml_file_of_the_repository_reads_the_same():
    files = repository_yaml()
    assert len(files) > 15
    taken = [f for f in files if assert_same_or_refused(f.read_text(encoding="utf-8-sig"))]
    assert len(taken) >= len(files) // 2


@pytest.mark.parametrize("path", [EXAMPLE_TARGETS, EXAMPLE_ACTUALS, *sorted((REPO / "targets").glob("*/*.yaml")),
                                  *sorted((REPO / "actuals").glob("*/*.yaml"))], ids=str)
def test_the_shipped_data_files_take_the_fast_path(path):
    text = Path(path).read_text(encoding="utf-8-sig")
    assert assert_same_or_refused(text), f"{path} is read by libyaml's events: the line reader gave up on it"


def test_generated_departments_take_the_fast_path():
    """What ``import`` writes (dump_targets) and what PyYAML writes (the generator's actuals)."""
    import sys

    sys.path.insert(0, str(REPO / "benchmarks"))
    try:
        from generate import department
    finally:
        sys.path.remove(str(REPO / "benchmarks"))
    for seed in range(20):
        _, targets, actuals = department(seed, 2023, indicators=30)
        assert assert_same_or_refused(targets) and assert_same_or_refused(actuals)


TAKEN = [
    "a: 1\nb: x\n",
    "a: 1\r\nb:\r\n  c: 2\r\n",  # Windows line ends
    "a: -5\nb: -.5\nc: 12:30\nd: 0x1f\ne: yes\nf: ~\ng:\nh: 2023-01-01\ni: .inf\nj: 1_000\n",
    "k: v # comment\nl: 'it''s' # c\nm: \"q # not a comment\"\n",
    "a:\n- x\n- y\nb: 2\n",  # a list at its key's indent
    "a:\n  - k: 1\n    j: 2\n  - k: 3\n",
    "a: {x: 1, y: 'two', z: \"3\"}  # c\n",
    "a: {x: {y: [1, 2, {z: w}]}, v: []}\nb: [a, 'b', \"c\"]\nc: {}\n",
    "a: |-\n  one\n\n  two\n\n\nb: 1\n",
    "a: |\n  one\n    indented\n  # not a comment\nb: 1\n",
    "a: |\n  no final line break",
    "a: x\n# comment\n\n   # indented comment\nb: y",
    "中文键: ≥10次\n说明: 推动“一府两院”进一步高效,有效运转\n",
    "a: x\u3000y\u3000\nb: \xa0z\n",  # ideographic and no-break spaces are text, not blanks
    "a: [1, 2]\n",
]

REFUSED = [
    "a:\tb\n",  # tab
    "a: &x 1\nb: *x\n",  # anchor and alias
    "a: !!str 1\n",  # tag
    "a: one\n  two\n",  # plain over two lines
    "a: {x: 1,\n  y: 2}\n",  # flow over two lines
    "a: \"esc\\n\"\n",  # escape
    "a: 1\na: 2\n",  # duplicate key
    "---\na: 1\n",  # document marker
    "a:\n  -\n  - x\n",  # empty item
    "a: >\n  folded\n",
    "<<: {a: 1}\n",
    "a: 1\rb: 2\n",  # a lone CR is a line break to libyaml
    "\ufeffa: 1\n",
    "- a\n- b\n",  # a list at the top
    "",
    "# only a comment\n",
    "a: b: c\n",
    "a: [1, 2,]\n",
    "a: {x: }\n",
    "a : 1\n",
    "'a': 1\n",
]


@pytest.mark.parametrize("text", TAKEN)
def test_the_plain_part_of_yaml_is_read_line_by_line(text):
    assert assert_same_or_refused(text)


@pytest.mark.parametrize("text", REFUSED)
def test_the_rest_is_left_to_libyaml(text):
    assert read_plain(text) is None
    assert_same_or_refused(text)


def test_parse_yaml_words_the_errors_of_a_text_the_line_reader_refused():
    with pytest.raises(InputErrors) as caught:
        parse_yaml("a: 1\na: 2\n", "f.yaml")
    assert caught.value.problems[0].code == "duplicate-key"


# --- generated documents -------------------------------------------------------------------------------

TRICKY = [" ", "-", "?", ":", ",", "[", "]", "{", "}", "#", "&", "*", "!", "|", ">", "'", '"', "%", "@", "`",
          "\\", "\t", "\u3000", "\xa0", "~", "=", "<", ".", "a", "b", "1", "0", "e", "中", "≥", "次", "%", "_", "+"]
WORDS = ["yes", "no", "null", "true", "False", "0x1f", "1_000", "12:30", "2023-01-01", ".inf", "-.5", "1e3",
         "0o17", "+1", "-5", "3.14", "100%", "≥10次", "有所提升", "", "~", "- x", "a: b", "x #y", "x#y", "[1]"]
NORMAL = ["a", "b", "x", "1", "2", "0", ".", "中", "文", "次", "≥", "%", "_", " ", "-", "：", "“", "”"]
texts = st.one_of(st.sampled_from(WORDS), st.text(st.sampled_from(NORMAL), max_size=8),
                  st.text(st.sampled_from(NORMAL), max_size=8), st.text(st.sampled_from(TRICKY), max_size=6))
keys = st.one_of(st.sampled_from(["id", "name", "target", "actual", "a", "b", "指标", "1", "-1", "k y", "x:y"]),
                 st.text(st.sampled_from(NORMAL), min_size=1, max_size=5),
                 st.text(st.sampled_from(TRICKY), min_size=1, max_size=4))
values = st.recursive(
    st.one_of(texts, st.none(), st.integers(-1000, 1000).map(str), st.text(st.sampled_from(TRICKY + ["\n"]), max_size=12)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=12,
)


def scalar(data: st.DataObject, value: str | None) -> str:
    if value is None:
        return data.draw(st.sampled_from(["", "~", "null"]))
    style = data.draw(st.sampled_from(["plain", "plain", "single", "double"]))
    if style == "single":
        return "'" + value.replace("'", "''") + "'"
    if style == "double":
        return '"' + value + '"'
    return value


def flow(data: st.DataObject, value: object) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {flow(data, v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow(data, v) for v in value) + "]"
    return scalar(data, value)  # type: ignore[arg-type]


def comment(data: st.DataObject) -> str:
    return data.draw(st.sampled_from(["", "", "", " # note", "  #", "#x"]))


def block(data: st.DataObject, mapping: dict, indent: int) -> list[str]:
    lines = []
    pad = " " * indent
    for key, value in mapping.items():
        step = data.draw(st.sampled_from([2, 2, 4, 1]))
        if isinstance(value, dict) and value and data.draw(st.booleans()):
            lines.append(f"{pad}{key}:{comment(data)}")
            lines += block(data, value, indent + step)
        elif isinstance(value, list) and value and data.draw(st.booleans()):
            lines.append(f"{pad}{key}:{comment(data)}")
            lines += sequence(data, value, indent + data.draw(st.sampled_from([0, step])))
        elif isinstance(value, str) and data.draw(st.integers(0, 4)) == 0:
            lines.append(f"{pad}{key}: {data.draw(st.sampled_from(['|', '|-', '|+', '>']))}")
            lines += [(" " * (indent + step) + part) if part or data.draw(st.booleans()) else ""
                      for part in value.split("\n")]
        else:
            lines.append(f"{pad}{key}: {flow(data, value)}{comment(data)}")
    return lines


def sequence(data: st.DataObject, items: list, indent: int) -> list[str]:
    lines = []
    pad = " " * indent
    for item in items:
        if isinstance(item, dict) and item and data.draw(st.booleans()):
            inner = block(data, item, indent + 2)
            lines.append(pad + "- " + inner[0][indent + 2:])
            lines += inner[1:]
        else:
            lines.append(f"{pad}- {flow(data, item)}{comment(data)}")
    return lines


def mutate(data: st.DataObject, text: str) -> str:
    for _ in range(data.draw(st.sampled_from([0, 0, 1, 1, 2, 3]))):
        lines = text.split("\n")
        where = data.draw(st.integers(0, max(len(lines) - 1, 0)))
        how = data.draw(st.sampled_from(["char", "delete", "indent", "outdent", "copy", "swap", "crlf", "end"]))
        line = lines[where]
        if how == "char":
            at = data.draw(st.integers(0, len(line)))
            lines[where] = line[:at] + data.draw(st.sampled_from(TRICKY + ["\r", "\n", "\x85", "\u2028"])) + line[at:]
        elif how == "delete" and line:
            at = data.draw(st.integers(0, len(line) - 1))
            lines[where] = line[:at] + line[at + 1:]
        elif how == "indent":
            lines[where] = data.draw(st.sampled_from([" ", "  ", "- "])) + line
        elif how == "outdent":
            lines[where] = line[1:]
        elif how == "copy":
            lines.insert(where, line)
        elif how == "swap" and where + 1 < len(lines):
            lines[where], lines[where + 1] = lines[where + 1], line
        elif how == "crlf":
            return "\r\n".join(lines)
        elif how == "end":
            return text.rstrip("\n")
        text = "\n".join(lines)
    return text


@settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(keys, values, min_size=1, max_size=5), st.data())
def test_generated_documents_read_the_same_or_are_left_to_libyaml(document, data):
    text = "\n".join(block(data, document, 0)) + "\n"
    assert_same_or_refused(mutate(data, text))


SHIPPED = [Path(EXAMPLE_TARGETS).read_text(encoding="utf-8-sig"), Path(EXAMPLE_ACTUALS).read_text(encoding="utf-8-sig")]


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(SHIPPED), st.data())
def test_mutated_shipped_files_read_the_same_or_are_left_to_libyaml(text, data):
    assert_same_or_refused(mutate(data, text))
