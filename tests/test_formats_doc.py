"""docs/formats.md is the public contract: its result example is the example's real output, and its
tables name every status and flag the code emits (found in the code itself, not in a list kept here)."""

from __future__ import annotations

import ast
import json
import re

from conftest import EXAMPLE_ACTUALS, EXAMPLE_TARGETS, REPO
from typer.testing import CliRunner

from evaluator.cli import app
from evaluator.results.scores import STATUSES

DOC = (REPO / "docs" / "formats.md").read_text(encoding="utf-8")
SCORING = REPO / "evaluator" / "scoring"


def _section(title: str) -> str:
    start = DOC.index(title)
    following = DOC.find("\n## ", start + 1)
    return DOC[start: following if following != -1 else None]


def _table_keys(after: str) -> set[str]:
    """The first column (`code`) of the markdown table that follows ``after``."""
    block = DOC[DOC.index(after):]
    rows = []
    for line in block.splitlines()[1:]:
        if line.startswith("|"):
            rows.append(line)
        elif rows:
            break
    return {m.group(1) for row in rows if (m := re.match(r"\|\s*`([^`]+)`", row))}


def _subset(shown, real, where="") -> list[str]:
    """Every value the document shows equals the real output's (lists: the items shown, in order)."""
    if isinstance(shown, dict):
        out = []
        for key, value in shown.items():
            if key not in real:
                out.append(f"{where}.{key}: not in the output")
            else:
                out += _subset(value, real[key], f"{where}.{key}")
        return out
    if isinstance(shown, list):
        if len(shown) > len(real):
            return [f"{where}: the document shows {len(shown)} items, the output has {len(real)}"]
        return [e for n, item in enumerate(shown) for e in _subset(item, real[n], f"{where}[{n}]")]
    return [] if shown == real else [f"{where}: document {shown!r}, output {real!r}"]


def test_the_result_example_is_the_examples_real_output(monkeypatch):
    monkeypatch.chdir(REPO)
    block = re.search(r"```json\n(.*?)```", _section("## 3. Results"), re.S).group(1)
    shown = json.loads(re.sub(r"\s//[^\n]*", "", block))
    result = CliRunner().invoke(app, ["score", str(EXAMPLE_TARGETS.relative_to(REPO)),
                                      str(EXAMPLE_ACTUALS.relative_to(REPO)), "--json"])
    assert result.exit_code == 0, result.output
    assert _subset(shown, json.loads(result.stdout)) == []


def test_every_status_is_documented():
    assert _table_keys("Indicator `status`") == set(STATUSES)


def _is_flags(node: ast.AST) -> bool:
    return (getattr(node, "id", None) or getattr(node, "attr", None)) == "flags"


def _strings(nodes) -> set[str]:
    found = set()
    for node in nodes:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.add(node.value)
        elif isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            found |= _strings(node.elts)
        elif isinstance(node, ast.Starred):
            found |= _strings([node.value])
    return found


def _emitted_flags() -> set[str]:
    """Strings the scoring code puts into a ``flags`` list or tuple: flags.append(x), flags.extend([…]),
    flags += […], flags = (…, x) or (…) if … else (…, x)."""
    flags = set()
    for path in SCORING.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("append", "extend") and _is_flags(node.func.value)):
                flags |= _strings(node.args)
            elif isinstance(node, ast.AugAssign) and _is_flags(node.target):
                flags |= _strings([node.value])
            elif isinstance(node, ast.Assign) and any(_is_flags(target) for target in node.targets):
                value = node.value
                flags |= _strings([value.body, value.orelse] if isinstance(value, ast.IfExp) else [value])
    return flags


def test_every_flag_the_code_emits_is_documented_and_nothing_more():
    emitted = _emitted_flags()
    assert emitted, "no flags found: the scanner no longer matches the code"
    assert _table_keys("Indicator `flags`") == emitted


def test_every_execution_status_is_documented():
    source = (SCORING / "execution.py").read_text(encoding="utf-8")
    emitted = {node.value.value for node in ast.walk(ast.parse(source))
               if isinstance(node, ast.keyword) and node.arg == "status" and isinstance(node.value, ast.Constant)}
    line = next(line for line in DOC.splitlines() if line.startswith("Execution `status`"))
    assert emitted and emitted == set(re.findall(r"`([a-z-]+)`", line.split(":", 1)[1]))

