"""Data flows one way: every import points down the layer table, and no module imports itself back.

Checked on the source (AST), imports inside functions included: a lazy import may keep
`evaluator --help` fast, but it may not hide an upward import or a cycle.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "evaluator"

# Bottom to top. A unit (a top-level module or a subpackage) may import units of lower layers and
# itself, never a unit of its own layer or above. ``api`` is evaluator/__init__.py, the public facade.
LAYERS: list[set[str]] = [
    {"version", "errors", "decimals"},
    {"model"},
    {"language"},
    {"io"},
    {"rules"},
    {"forms"},
    {"results"},
    {"scoring"},
    {"checks"},
    {"word"},
    {"workbook", "report"},
    {"analysis"},
    {"cli"},
    {"api", "__main__"},
]
# third-party libraries each stage may use (the standard library is always allowed)
THIRD_PARTY: dict[str, set[str]] = {
    "version": set(), "errors": set(), "decimals": set(), "model": set(), "language": set(),
    "rules": set(), "results": set(),
    "io": {"yaml", "openpyxl", "defusedxml", "fsspec"},
    "forms": {"docx", "openpyxl", "python_calamine"},
    "scoring": {"numpy", "pandas"},
    "checks": set(),
    "word": {"docx"},
    "workbook": {"openpyxl", "yaml", "docx"},
    "report": {"jinja2", "markupsafe", "plotly", "docx", "matplotlib", "PIL"},
    "analysis": {"openpyxl", "pyarrow", "distributed"},
    "cli": {"typer", "rich", "click"},
    "__main__": set(),
    "api": set(),
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(["evaluator", *parts])


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _unit(module: str) -> str:
    parts = module.split(".")
    return "api" if len(parts) == 1 else parts[1]


def _layer(unit: str) -> int:
    return next(n for n, layer in enumerate(LAYERS) if unit in layer)


def _resolve(name: str) -> str | None:
    """The evaluator module an import names: the module itself, or the package it is an attribute of."""
    while name:
        if name in MODULES:
            return name
        name = name.rpartition(".")[0]
    return None


def _imports(module: str) -> set[str]:
    """Every evaluator module ``module`` imports, at module level or inside a function."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    package = module if MODULES[module].name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            # "from evaluator.io import load" imports the module evaluator.io.load when there is one
            names = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base for alias in node.names]
        for name in names:
            if name == "evaluator" or name.startswith("evaluator."):
                target = _resolve(name)
                if target is not None and target != module:
                    found.add(target)
    return found


def _third_party(module: str) -> set[str]:
    import sys

    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    roots = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    roots |= {n.module.split(".")[0] for n in ast.walk(tree)
              if isinstance(n, ast.ImportFrom) and n.module and not n.level}
    return {r for r in roots if r != "evaluator" and r not in sys.stdlib_module_names and r != "__future__"}


GRAPH = {module: _imports(module) for module in MODULES}


def test_every_unit_has_a_layer_and_a_docstring():
    units = {_unit(m) for m in MODULES}
    assert units == {u for layer in LAYERS for u in layer}, "add new packages to LAYERS (and docs/architecture.md)"
    for module, path in MODULES.items():
        if path.name == "__init__.py" or module.count(".") == 1:
            assert ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))), f"{module} needs a docstring"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_imports_point_down(module):
    own = _unit(module)
    upward = sorted(t for t in GRAPH[module] if _unit(t) != own and _layer(_unit(t)) >= _layer(own))
    assert not upward, f"{module} imports {upward}: a layer may only import the layers below it"


@pytest.mark.parametrize("module", sorted(MODULES))
def test_third_party_libraries_stay_in_their_stage(module):
    unit = _unit(module)
    assert _third_party(module) <= THIRD_PARTY[unit], f"{module} imports {_third_party(module) - THIRD_PARTY[unit]}"


def test_no_import_cycles():
    """Tarjan's strongly connected components over the module graph: every component is one module."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in GRAPH[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(GRAPH):
        if module not in index:
            visit(module)
    assert not cycles, f"import cycles: {cycles}"


def test_the_checker_finds_a_cycle_through_a_function_level_import(tmp_path, monkeypatch):
    """The test above can fail: a lazy import inside a function that closes a loop is found."""
    source = "def f():\n    from evaluator.scoring.pipeline import evaluate\n"
    fake = tmp_path / "model.py"
    fake.write_text(source, encoding="utf-8")
    monkeypatch.setitem(MODULES, "evaluator.model", fake)
    assert "evaluator.scoring.pipeline" in _imports("evaluator.model")
    assert _layer(_unit("evaluator.scoring.pipeline")) > _layer(_unit("evaluator.model"))


def test_every_module_declares_all():
    """Each module says what it offers; a package's __init__ only when it re-exports something."""
    missing = []
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)}
        offers = any(isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.ImportFrom)) for n in tree.body
                     if not (isinstance(n, ast.ImportFrom) and n.module == "__future__"))
        if offers and "__all__" not in names and not module.endswith("__main__"):
            missing.append(module)
    assert not missing, f"declare __all__ in: {missing}"


def test_the_value_language_needs_no_third_party_library():
    for module in MODULES:
        if _unit(module) in ("language", "errors", "decimals", "model", "version"):
            assert not _third_party(module), (module, _third_party(module))


def test_the_architecture_doc_shows_this_layer_table():
    doc = (PACKAGE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d+) \| ([^|]+) \|", doc, re.M)
    shown = [set(re.findall(r"`([^`]+)`", units)) for _, units in rows]
    expected = [{("evaluator/__init__.py" if u == "api" else u) for u in layer} for layer in LAYERS]
    assert shown == expected, "docs/architecture.md's layer table differs from LAYERS"
