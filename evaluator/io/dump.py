"""Write Targets and Actuals as the YAML of formats.md §1 and §2: fixed key order, flow lines, exact decimals.

The document is built as a PyYAML node tree and written by PyYAML's own emitter, so quoting is
decided by the same rules the loader applies: a scalar is written plain unless YAML would misread
it (``"123"``, ``"true"``, ``"a: b"``, leading spaces …), and then it is quoted. Indicators, plan
items and spending lines are flow mappings, one per line; ``duties`` is a literal block. Money is
written exactly as held (``Decimal("92.10")`` → ``92.10``). The same Targets give the same text.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from decimal import Decimal

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from evaluator.model import (
    ACTUALS_SCHEMA,
    TARGETS_SCHEMA,
    Actuals,
    BudgetActual,
    Indicator,
    IndicatorActual,
    PlanItem,
    Project,
    SpendingLine,
    TargetBudget,
    Targets,
)

__all__ = ["dump_actuals", "dump_targets"]

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_NULL = "tag:yaml.org,2002:null"
_RESOLVER = yaml.resolver.Resolver()
_ANALYSER = yaml.emitter.Emitter(io.StringIO(), allow_unicode=True)
_OTHER_BREAKS = "\r\x85\u2028\u2029"
_WORDS = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~", ""}


class _Dumper(yaml.SafeDumper):
    """Indent block sequences under their key (``  - …``), as the format's examples do."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def dump_targets(targets: Targets) -> str:
    """Return the targets file text for ``targets``; ``source``, ``sha256`` and ``line`` are not written."""
    pairs: list[tuple[str, Node]] = [
        ("schema", _text(TARGETS_SCHEMA)),
        ("year", ScalarNode(_INT, str(int(targets.year)))),
        ("department", _text(targets.department)),
        ("money_unit", _text(targets.money_unit)),
    ]
    budget = _budget(targets.budget)
    if budget is not None:
        pairs.append(("budget", budget))
    if targets.duties is not None:
        pairs.append(("duties", _text(targets.duties, style="|")))
    if targets.plan:
        pairs.append(("plan", _block_sequence(_plan_item(item) for item in targets.plan)))
    if targets.indicators:
        pairs.append(("indicators", _block_sequence(_indicator(i) for i in targets.indicators)))
    if targets.projects:
        pairs.append(("projects", _block_sequence(_project(p) for p in targets.projects)))
    if targets.incomplete:  # what the forms lacked (import --allow-incomplete): check reports each as an error
        pairs.append(("incomplete", _block_sequence(
            _flow_fields([("key", gap.key), ("indicator", gap.indicator), ("message", gap.message),
                          ("source", gap.source)], required=1)
            for gap in targets.incomplete)))
    return yaml.serialize(
        _mapping(pairs, flow=False),
        Dumper=_Dumper,
        allow_unicode=True,
        width=float("inf"),
        indent=2,
        line_break="\n",
    )


def dump_actuals(actuals: Actuals) -> str:
    """Return the actuals file text for ``actuals`` (formats.md §2); ``source``, ``sha256`` and lines are not written.

    Indicator entries are flow mappings, one per line, in the order held; keys not set are left out.
    """
    pairs: list[tuple[str, Node]] = [
        ("schema", _text(ACTUALS_SCHEMA)),
        ("year", ScalarNode(_INT, str(int(actuals.year)))),
        ("department", _text(actuals.department)),
        ("money_unit", _text(actuals.money_unit)),
    ]
    if actuals.budget is not None:
        pairs.append(("budget", _budget_actual(actuals.budget)))
    if actuals.claimed_total is not None:
        pairs.append(("claimed_total", _money(actuals.claimed_total)))
    if actuals.indicators:
        pairs.append(("indicators", _entries(actuals.indicators.values())))
    if actuals.projects:
        projects = []
        for project_id, project in actuals.projects.items():
            fields: list[tuple[str, Node]] = []
            if project.budget is not None:
                fields.append(("budget", _budget_actual(project.budget)))
            if project.claimed_total is not None:
                fields.append(("claimed_total", _money(project.claimed_total)))
            if project.overview is not None:
                fields.append(("overview", _text(project.overview)))
            if project.indicators:
                fields.append(("indicators", _entries(project.indicators.values())))
            projects.append((project_id, _mapping(fields, flow=False)))
        pairs.append(("projects", _mapping(projects, flow=False)))
    summary = [(key, getattr(actuals.summary, key)) for key in ("overview", "problems", "measures", "application",
                                                                   "other")]
    summary_pairs = [(key, _text(value)) for key, value in summary
                     if value is not None]
    if summary_pairs:
        pairs.append(("summary", _mapping(summary_pairs, flow=False)))
    return yaml.serialize(
        _mapping(pairs, flow=False), Dumper=_Dumper, allow_unicode=True, width=float("inf"), indent=2, line_break="\n",
    )


def _budget_actual(budget: BudgetActual) -> Node:
    return _flow_fields([(key, getattr(budget, key)) for key in ("initial", "adjusted", "executed", "claimed",
                                                                  "reason")])


def _entries(entries: Iterable[IndicatorActual]) -> Node:
    keys = ("actual", "tier", "pct", "reason", "measure", "evidence", "claimed", "deduction", "deduction_reason")
    return _mapping([(entry.id, _flow_fields([(key, getattr(entry, key)) for key in keys])) for entry in entries],
                    flow=False)


def _budget(budget: TargetBudget) -> Node | None:
    pairs: list[tuple[str, Node]] = []
    if budget.total is not None:
        pairs.append(("total", _money(budget.total)))
    if budget.by_source:
        pairs.append(("by_source", _money_map(budget.by_source)))
    if budget.by_nature:
        pairs.append(("by_nature", _money_map(budget.by_nature)))
    return _mapping(pairs, flow=False) if pairs else None


def _money_map(values: Mapping[str, Decimal | None]) -> Node:
    return _mapping([(name, _money(amount)) for name, amount in values.items()], flow=True)


def _plan_item(item: PlanItem) -> Node:
    return _flow_fields([("item", item.item), ("owner", item.owner), ("goal", item.goal)])


def _indicator(indicator: Indicator) -> Node:
    return _flow_fields(
        [
            ("id", indicator.id),
            ("level1", indicator.level1),
            ("level2", indicator.level2),
            ("name", indicator.name),
            ("target", indicator.target),
            ("standard", indicator.standard),
            ("points", indicator.points),
            ("direction", indicator.direction),
            ("note", indicator.note),
        ],
        required=5,
    )


def _spending(line: SpendingLine) -> Node:
    return _flow_fields(
        [("content", line.content), ("detail", line.detail), ("amount", line.amount), ("basis", line.basis)]
    )


def _project(project: Project) -> Node:
    pairs: list[tuple[str, Node]] = [("id", _text(project.id)), ("name", _text(project.name))]
    for key in ("parent", "amount", "period", "goal_period", "goal_year"):
        value = getattr(project, key)
        if value is not None:
            pairs.append((key, _value(value)))
    if project.indicators:
        pairs.append(("indicators", _block_sequence(_indicator(i) for i in project.indicators)))
    if project.spending:
        pairs.append(("spending", _block_sequence(_spending(s) for s in project.spending)))
    return _mapping(pairs, flow=False)


def _flow_fields(fields: list[tuple[str, str | Decimal | None]], required: int = 0) -> Node:
    """Return a flow mapping of the fields that are set (the first ``required`` ones always)."""
    pairs = [
        (key, _value(value, flow=True) if value is not None else _text(""))
        for position, (key, value) in enumerate(fields)
        if value is not None or position < required
    ]
    return _mapping(pairs, flow=True)


def _value(value: str | Decimal, *, flow: bool = False) -> Node:
    return _money(value) if isinstance(value, Decimal) else _text(value, flow=flow)


def _text(value: str, style: str | None = None, *, flow: bool = False) -> ScalarNode:
    """Return a str scalar; the emitter writes it plain unless YAML would misread it.

    Tagged as str, the serializer compares it with what its plain text would resolve to, and the
    emitter quotes it when they differ ("123", "true", "null", "2023-01-01"). Text that another
    YAML reader (1.2) would take for a number or a boolean is quoted too. Multi-line text is a literal
    block in block context and a double-quoted line with ``\\n`` in a flow mapping.
    """
    value = str(value)
    if any(ch in value for ch in _OTHER_BREAKS):
        style = '"'  # YAML would turn these into plain line breaks anywhere else
    elif "\n" in value:
        style = "|" if not flow and _ANALYSER.analyze_scalar(value).allow_block else '"'
    elif style is None and _looks_typed(value):
        style = "'"
    return ScalarNode(_STR, value, style=style)


def _looks_typed(value: str) -> bool:
    text = value.strip()
    if text.lower() in _WORDS:
        return True
    try:
        float(text.replace("_", ""))
    except ValueError:
        pass
    else:
        return True
    try:
        int(text.replace("_", ""), 0)
    except ValueError:
        return False
    return True


def _money(amount: Decimal | None) -> ScalarNode:
    if amount is None:
        return ScalarNode(_NULL, "null")
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise ValueError(f"金额必须是有限的 Decimal，实际是 {amount!r}")
    text = format(amount, "f")  # never an exponent: Decimal("1E+2") → "100"
    return ScalarNode(_RESOLVER.resolve(ScalarNode, text, (True, False)), text)


def _mapping(pairs: Iterable[tuple[str, Node]], *, flow: bool) -> MappingNode:
    items = [(_text(key, flow=True), value) for key, value in pairs]
    return MappingNode("tag:yaml.org,2002:map", items, flow_style=flow)


def _block_sequence(items: Iterable[Node]) -> SequenceNode:
    return SequenceNode("tag:yaml.org,2002:seq", list(items), flow_style=False)
