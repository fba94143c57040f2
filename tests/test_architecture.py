"""Data flows one way: no module imports a later stage (checked on the source, function-level imports too)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "evaluator"

# a module may import evaluator modules from earlier layers (and its own layer), never from later ones
LAYERS = [
    {"errors", "decimals"},
    {"model", "yamlread", "output", "units"},
    {"values"},
    {"load", "rules", "dump"},
    {"allocation", "results", "audit", "forms"},
    {"rows", "arithmetic", "execution", "review"},
    {"explain"},
    {"scoring"},
    {"checks", "review_checks", "export", "workbook", "workbook_build", "workbook_read", "xlsxsafe", "report",
     "compare", "batch"},
    {"render_text"},
    {"cli_zh"},
    {"cli", "__main__"},
]
# load.py reads an actuals workbook through workbook_read (an input format at the edge), lazily
ALLOWED = {("load", "workbook")}


def _layer(module: str) -> int:
    return next(n for n, layer in enumerate(LAYERS) if module in layer)


def _evaluator_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("evaluator"):
            parts = node.module.split(".")
            if len(parts) > 1:
                found.add(parts[1])
            else:
                found.update(alias.name for alias in node.names if alias.name != "__version__")
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("evaluator."))
    return found


def _modules() -> list[tuple[str, Path]]:
    result = []
    for path in sorted(PACKAGE.rglob("*.py")):
        relative = path.relative_to(PACKAGE).parts
        name = relative[0].removesuffix(".py")
        if name != "__init__":
            result.append((name, path))
    return result


@pytest.mark.parametrize(("module", "path"), _modules(), ids=[str(p.relative_to(PACKAGE)) for _, p in _modules()])
def test_modules_import_only_upstream(module, path):
    own = _layer(module)
    later = {m for m in _evaluator_imports(path) - {module}
             if m in {x for layer in LAYERS for x in layer} and _layer(m) > own and (module, m) not in ALLOWED}
    assert not later, f"{path.relative_to(PACKAGE)} imports later stages: {sorted(later)}"


def test_every_module_has_a_layer():
    known = {m for layer in LAYERS for m in layer}
    assert {name for name, _ in _modules()} <= known


def test_the_value_language_needs_no_third_party_library():
    for name in ("values.py", "units.py", "decimals.py", "errors.py"):
        tree = ast.parse((PACKAGE / name).read_text(encoding="utf-8"))
        roots = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        roots |= {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        assert roots <= {"__future__", "collections", "dataclasses", "datetime", "decimal", "enum", "functools",
                         "math", "pathlib", "re", "typing", "unicodedata", "calendar", "evaluator"}, (name, roots)
