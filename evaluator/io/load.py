"""Load targets and actuals files (formats.md §1, §2) into the frozen model, with every problem at once.

Each problem names the file, the line, the key and the indicator. Input files are only read.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from evaluator.errors import EvaluatorError, InputErrors, Location, Problem, display_path, entry_location, visible
from evaluator.io.files import decode_text, read_input
from evaluator.io.yamlread import Node, Reader, gc_paused, parse_yaml
from evaluator.language.standards import BASE_LABELS
from evaluator.model import (
    ACTUALS_SCHEMA,
    DIRECTIONS,
    FUNDING_SOURCES,
    MONEY_UNITS,
    TARGETS_SCHEMA,
    TIERS,
    Acknowledgement,
    Actuals,
    BudgetActual,
    FundingActual,
    Gap,
    Indicator,
    IndicatorActual,
    PlanItem,
    Project,
    ProjectActual,
    SpendingLine,
    Summary,
    TargetBudget,
    Targets,
)

__all__ = ["BASE_KEYS", "check_pair", "load_actuals", "load_inputs", "load_targets", "read_actuals", "read_targets"]

INDICATOR_KEYS = ("points", "direction", "standard", "note")
BASE_KEYS = tuple(k for k in BASE_LABELS if k not in ("initial", "adjusted", "executed"))  # those are in budget
ACTUAL_KEYS = (
    "actual", "tier", "pct", "reason", "measure", "evidence", "claimed", "deduction", "deduction_reason",
)


def _refuse_other_formats(path: Path, kind: str) -> None:
    """A form, a workbook or a document given where a YAML file is expected gets a message saying what to do."""
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml", "") or (kind == "actuals" and suffix in (".xlsx", ".xlsm")):
        return
    if kind == "targets" and suffix in (".xlsx", ".xlsm"):
        hint = (f"若这是 evaluator template 生成的填报表，它是实际值文件，应放在目标文件之后；若是绩效目标表，"
                f"先用 evaluator import {path.name} -o targets/<年度>/<部门>.yaml 导入为目标文件。")
    elif kind == "targets" and suffix in (".txt", ".docx", ".doc", ".xls"):
        hint = f"先用 evaluator import {path.name} -o targets/<年度>/<部门>.yaml 把绩效目标表导入为目标文件。"
    elif kind == "actuals" and suffix == ".xls":
        hint = "用 Excel 另存为 .xlsx，或用 evaluator template 生成的 .xlsx 填报表。"
    else:
        hint = "目标文件应为 .yaml；实际值文件应为 .yaml 或 evaluator template 生成的 .xlsx。"
    what = "目标文件" if kind == "targets" else "实际值文件"
    raise InputErrors([Problem(Location(file=display_path(path)), f"不能作为{what}读取（文件类型 {suffix}）", hint,
                               code="file-type")])


def load_targets(path: Path | str) -> Targets:
    """Load ``targets/<year>/<dept>.yaml``; raise InputErrors listing every problem in it."""
    targets, problems = read_targets(path)
    if problems:
        raise InputErrors(problems)
    assert targets is not None
    return targets


def read_targets(path: Path | str) -> tuple[Targets | None, list[Problem]]:
    """Read a targets file as far as it can be read: the Targets (None when it has no usable top level)
    and every problem found in it, so that problems found with the actuals can be listed with them."""
    try:
        with gc_paused():  # the model is a tree too: no cycles to look for while it is built
            return _read_targets(path)
    except InputErrors as error:
        return None, list(error.problems)


def _read_targets(path: Path | str) -> tuple[Targets | None, list[Problem]]:
    _refuse_other_formats(Path(path), "targets")
    name, data = read_input(Path(path))
    hint = (f"目标文件应为 YAML 文本；绩效目标表请先用 evaluator import {Path(path).name} "
            "-o targets/<年度>/<部门>.yaml "
            "导入（扩展名须与文件类型一致）。")
    root = parse_yaml(decode_text(name, data, hint=hint), name)
    reader = Reader(name)
    fields = reader.mapping(
        root, "",
        required=("schema", "year", "department"),
        optional=("money_unit", "budget", "duties", "plan", "indicators", "projects", "incomplete"),
    )
    if fields is None:
        return None, reader.problems
    _check_schema(reader, fields.get("schema"), TARGETS_SCHEMA)
    money_unit = _money_unit(reader, fields.get("money_unit"))
    seen_ids: dict[str, int] = {}
    indicators = _indicators(reader, fields.get("indicators"), "indicators", seen_ids)
    projects = []
    project_ids: dict[str, int] = {}
    for position, node in enumerate(reader.sequence(fields.get("projects"), "projects")):
        project = _project(reader, node, f"projects[{position}]", seen_ids)
        if project is None:
            continue
        if project.id in project_ids:
            reader.problem(
                node.line, f"projects[{position}].id", f"专项编号“{project.id}”重复（第一次在第{project_ids[project.id]}行）",
                "每个专项用不同的 id。", code="duplicate-id",
            )
        project_ids.setdefault(project.id, node.line)
        projects.append(project)
    targets = Targets(
        year=_year(reader, fields.get("year")) or 0,
        department=reader.text(fields.get("department"), "department") or "",
        money_unit=money_unit,
        budget=_target_budget(reader, fields.get("budget")),
        duties=reader.text(fields.get("duties"), "duties"),
        plan=tuple(_plan(reader, fields.get("plan"))),
        indicators=tuple(indicators),
        projects=tuple(projects),
        source=name,
        sha256=hashlib.sha256(data).hexdigest(),
        incomplete=tuple(_incomplete(reader, fields.get("incomplete"))),
    )
    return targets, reader.problems


def _incomplete(reader: Reader, node: Node | None) -> Iterable[Gap]:
    """``incomplete: [{key, indicator, message, source}]``: what the forms lacked (import --allow-incomplete)."""
    for position, item in enumerate(reader.sequence(node, "incomplete")):
        key = f"incomplete[{position}]"
        fields = reader.mapping(item, key, required=("key", "message"), optional=("indicator", "source"))
        if fields is None:
            continue
        texts = reader.texts(fields, ("key", "message", "indicator", "source"), key)
        yield Gap(key=texts["key"] or "", message=texts["message"] or "", indicator=texts["indicator"],
                  source=texts["source"], line=item.line)


def _check_schema(reader: Reader, node: Node | None, expected: str) -> None:
    if node is None:
        return
    found = reader.text(node, "schema")
    if found is not None and found != expected:
        reader.problem(
            node.line, "schema", f"schema 应为“{expected}”，实际是“{found}”",
            "检查是否把目标文件和实际值文件放反了。", code="schema",
        )


def _money_unit(reader: Reader, node: Node | None) -> str:
    unit = reader.text(node, "money_unit") if node is not None else None
    if unit is None:
        return "万元"
    if unit not in MONEY_UNITS:
        reader.problem(
            node.line if node else None, "money_unit", f"金额单位应为 {'、'.join(MONEY_UNITS)} 之一，实际是“{unit}”",
            code="money-unit",
        )
        return "万元"
    return unit


def _year(reader: Reader, node: Node | None) -> int | None:
    year = reader.integer(node, "year")
    if year is not None and not 1990 <= year <= 2100:
        reader.problem(node.line if node else None, "year", f"年度“{year}”不合理", "写四位数年度，如 2023。")
    return year


def _target_budget(reader: Reader, node: Node | None) -> TargetBudget:
    fields = reader.mapping(node, "budget", optional=("total", "by_source", "by_nature"))
    if not fields:
        return TargetBudget()
    return TargetBudget(
        total=reader.decimal(fields.get("total"), "budget.total"),
        by_source=_money_map(reader, fields.get("by_source"), "budget.by_source"),
        by_nature=_money_map(reader, fields.get("by_nature"), "budget.by_nature"),
    )


def _money_map(reader: Reader, node: Node | None, key: str) -> dict[str, Decimal | None]:
    fields = reader.mapping(node, key, open_keys=True)
    if not fields:
        return {}
    return {name: reader.decimal(value, f"{key}.{name}") for name, value in fields.items()}


def _plan(reader: Reader, node: Node | None) -> Iterable[PlanItem]:
    for position, item in enumerate(reader.sequence(node, "plan")):
        key = f"plan[{position}]"
        fields = reader.mapping(item, key, required=("item",), optional=("owner", "goal"))
        if fields is None:
            continue
        yield PlanItem(
            item=reader.text(fields.get("item"), f"{key}.item") or "",
            owner=reader.text(fields.get("owner"), f"{key}.owner"),
            goal=reader.text(fields.get("goal"), f"{key}.goal"),
        )


def _indicators(reader: Reader, node: Node | None, key: str, seen_ids: dict[str, int]) -> list[Indicator]:
    indicators = []
    for position, item in enumerate(reader.sequence(node, key)):
        here = f"{key}[{position}]"
        indicator_id = None
        if item.kind == "mapping" and "id" in item.value:
            indicator_id = reader.text(item.value["id"], f"{here}.id")
        fields = reader.mapping(
            item, here, required=("id", "level1", "level2", "name", "target"), optional=INDICATOR_KEYS,
            indicator=indicator_id,
        )
        if fields is None:
            continue
        if indicator_id:
            if indicator_id in seen_ids:
                reader.problem(
                    item.line, f"{here}.id", f"指标编号“{indicator_id}”重复（第一次在第{seen_ids[indicator_id]}行）",
                    "同一文件中每个指标的 id 必须唯一，含各专项的指标。", indicator=indicator_id, code="duplicate-id",
                )
            else:
                seen_ids[indicator_id] = item.line
        texts = reader.texts(fields, ("level1", "level2", "name", "target", "direction", "standard", "note"), here,
                             indicator=indicator_id)
        direction = texts["direction"]
        if direction is not None and direction not in DIRECTIONS:
            reader.problem(
                fields["direction"].line, f"{here}.direction", f"方向应为 {' | '.join(DIRECTIONS)} 之一，实际是“{direction}”",
                "higher＝越高越好，lower＝越低越好，equal＝等于目标值，qualitative＝定性，deadline＝时限。",
                indicator=indicator_id, code="direction",
            )
            direction = None
        points = None
        if "points" in fields:
            points = reader.decimal(fields["points"], f"{here}.points", indicator=indicator_id)
            if points is not None and points < 0:
                reader.problem(fields["points"].line, f"{here}.points", f"分值不能为负数（{points}）",
                               indicator=indicator_id)
        indicators.append(
            Indicator(
                id=indicator_id or "",
                level1=texts["level1"] or "",
                level2=texts["level2"] or "",
                name=texts["name"] or "",
                target=texts["target"] or "",
                points=points,
                direction=direction,
                standard=texts["standard"],
                note=texts["note"],
                line=item.line,
            )
        )
    return indicators


def _project(reader: Reader, node: Node, key: str, seen_ids: dict[str, int]) -> Project | None:
    fields = reader.mapping(
        node, key, required=("id", "name"),
        optional=("amount", "period", "goal_period", "goal_year", "indicators", "spending", "parent"),
    )
    if fields is None:
        return None
    spending = []
    for position, item in enumerate(reader.sequence(fields.get("spending"), f"{key}.spending")):
        here = f"{key}.spending[{position}]"
        line = reader.mapping(item, here, optional=("content", "detail", "amount", "basis"))
        if line is None:
            continue
        spending.append(
            SpendingLine(
                content=reader.text(line.get("content"), f"{here}.content"),
                detail=reader.text(line.get("detail"), f"{here}.detail"),
                amount=reader.decimal(line.get("amount"), f"{here}.amount"),
                basis=reader.text(line.get("basis"), f"{here}.basis"),
            )
        )
    return Project(
        id=reader.text(fields.get("id"), f"{key}.id") or "",
        name=reader.text(fields.get("name"), f"{key}.name") or "",
        amount=reader.decimal(fields.get("amount"), f"{key}.amount"),
        period=reader.text(fields.get("period"), f"{key}.period"),
        goal_period=reader.text(fields.get("goal_period"), f"{key}.goal_period"),
        goal_year=reader.text(fields.get("goal_year"), f"{key}.goal_year"),
        indicators=tuple(_indicators(reader, fields.get("indicators"), f"{key}.indicators", seen_ids)),
        spending=tuple(spending),
        parent=reader.text(fields.get("parent"), f"{key}.parent"),
        line=node.line,
    )


def load_actuals(path: Path | str) -> Actuals:
    """Load ``actuals/<year>/<dept>.yaml`` (or the entry workbook ``.xlsx``); raise InputErrors."""
    actuals, problems = read_actuals(path)
    if problems:
        raise InputErrors(problems)
    assert actuals is not None
    return actuals


def read_actuals(path: Path | str) -> tuple[Actuals | None, list[Problem]]:
    """Read an actuals file (YAML or the entry workbook) as far as it can be read, with every problem."""
    try:
        with gc_paused():
            return _read_actuals(Path(path))
    except InputErrors as error:
        return None, list(error.problems)


def _read_actuals(path: Path) -> tuple[Actuals | None, list[Problem]]:
    _refuse_other_formats(path, "actuals")
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from evaluator.io.entry_read import read_workbook_actuals  # openpyxl, only for a workbook

        return read_workbook_actuals(path)
    name, data = read_input(path)
    hint = "实际值文件应为 YAML 文本，或扩展名为 .xlsx 的 Excel 填报表（evaluator template 生成）。"
    root = parse_yaml(decode_text(name, data, hint=hint), name)
    reader = Reader(name)
    fields = reader.mapping(
        root, "",
        required=("schema", "year", "department"),
        optional=("money_unit", "budget", "indicators", "projects", "summary", "claimed_total", "base", "acknowledged"),
    )
    if fields is None:
        return None, reader.problems
    _check_schema(reader, fields.get("schema"), ACTUALS_SCHEMA)
    indicators = _indicator_actuals(reader, fields.get("indicators"), "indicators")
    projects: dict[str, ProjectActual] = {}
    project_fields = reader.mapping(fields.get("projects"), "projects", open_keys=True) or {}
    for project_id, node in project_fields.items():
        key = f"projects.{project_id}"
        entry = reader.mapping(node, key, optional=("budget", "indicators", "claimed_total", "overview"))
        if entry is None:
            continue
        projects[project_id] = ProjectActual(
            id=project_id,
            budget=_budget_actual(reader, entry.get("budget"), f"{key}.budget"),
            indicators=_indicator_actuals(reader, entry.get("indicators"), f"{key}.indicators"),
            claimed_total=reader.decimal(entry.get("claimed_total"), f"{key}.claimed_total"),
            overview=reader.text(entry.get("overview"), f"{key}.overview"),
            line=node.line,
        )
    actuals = Actuals(
        year=_year(reader, fields.get("year")) or 0,
        department=reader.text(fields.get("department"), "department") or "",
        money_unit=_money_unit(reader, fields.get("money_unit")),
        budget=_budget_actual(reader, fields.get("budget"), "budget"),
        indicators=indicators,
        projects=projects,
        summary=_summary(reader, fields.get("summary")),
        claimed_total=reader.decimal(fields.get("claimed_total"), "claimed_total"),
        source=name,
        sha256=hashlib.sha256(data).hexdigest(),
        key_lines=dict(root.key_lines or {}),
        base=_base(reader, fields.get("base")),
        acknowledged=tuple(_acknowledged(reader, fields.get("acknowledged"))),
    )
    return actuals, reader.problems


def _base(reader: Reader, node: Node | None) -> dict[str, Decimal]:
    """The 基础数据 of a department (formats.md §4): known keys only, each a number not below 0."""
    fields = reader.mapping(node, "base", optional=BASE_KEYS) or {}
    base = {}
    for key, value in fields.items():
        amount = reader.decimal(value, f"base.{key}")
        if amount is not None and amount < 0 and key != "three_public_budget_last":
            reader.problem(value.line, f"base.{key}", f"{BASE_LABELS[key]}不能为负数（{amount}）")
        elif amount is not None:
            base[key] = amount
    return base


MONEY_KEYS = ("initial", "adjusted", "executed")


def _budget_actual(reader: Reader, node: Node | None, key: str) -> BudgetActual | None:
    fields = reader.mapping(node, key, optional=(*MONEY_KEYS, "claimed", "reason", "sources"))
    if fields is None:
        return None
    amounts = _amounts(reader, fields, key)
    return BudgetActual(
        **amounts,
        claimed=reader.decimal(fields.get("claimed"), f"{key}.claimed"),
        reason=reader.text(fields.get("reason"), f"{key}.reason"),
        line=node.line if node else None,
        sources=_funding(reader, fields.get("sources"), f"{key}.sources"),
    )


def _amounts(reader: Reader, fields: dict[str, Node], key: str) -> dict[str, Decimal | None]:
    """Read 年初预算数, 全年预算数, 全年执行数; a negative amount is a problem."""
    amounts = {name: reader.decimal(fields.get(name), f"{key}.{name}") for name in MONEY_KEYS}
    for name, amount in amounts.items():
        if amount is not None and amount < 0:
            reader.problem(fields[name].line, f"{key}.{name}", f"金额不能为负数（{amount}）")
    return amounts


def _funding(reader: Reader, node: Node | None, key: str) -> dict[str, FundingActual]:
    """Read the 其中 lines (``sources``: current, carryover, other), in the form's order."""
    names = "、".join(f"{k}（{label}）" for k, label in FUNDING_SOURCES.items())
    fields = reader.mapping(node, key, open_keys=True) or {}
    found: dict[str, FundingActual] = {}
    for name, entry in fields.items():
        if name not in FUNDING_SOURCES:
            reader.problem(entry.line, f"{key}.{name}", f"未知的资金来源“{name}”", f"资金来源只能是 {names}。",
                           code="unknown-key")
            continue
        amounts = reader.mapping(entry, f"{key}.{name}", optional=MONEY_KEYS)
        if amounts is not None:
            found[name] = FundingActual(**_amounts(reader, amounts, f"{key}.{name}"), line=entry.line)
    return {name: found[name] for name in FUNDING_SOURCES if name in found}


def _indicator_actuals(reader: Reader, node: Node | None, key: str) -> dict[str, IndicatorActual]:
    fields = reader.mapping(node, key, open_keys=True) or {}
    result = {}
    for indicator_id, entry in fields.items():
        here = f"{key}.{indicator_id}"
        if entry.kind == "scalar":  # shorthand: D01: 12次
            result[indicator_id] = IndicatorActual(
                id=indicator_id, actual=reader.text(entry, here, indicator=indicator_id), line=entry.line
            )
            continue
        values = reader.mapping(entry, here, optional=ACTUAL_KEYS, indicator=indicator_id)
        if values is None:
            continue
        texts = reader.texts(values, ("actual", "tier", "reason", "measure", "evidence", "deduction_reason"), here,
                             indicator=indicator_id)
        tier = texts["tier"]
        if tier is not None and tier not in TIERS:
            reader.problem(
                values["tier"].line, f"{here}.tier", f"完成档次应为 {' | '.join(TIERS)} 之一，实际是“{tier}”",
                indicator=indicator_id, code="tier",
            )
            tier = None
        numbers: dict[str, Decimal | None] = {"pct": None, "claimed": None, "deduction": None}
        for number_key in numbers.keys() & values.keys():
            numbers[number_key] = reader.decimal(values[number_key], f"{here}.{number_key}", indicator=indicator_id)
        pct = numbers["pct"]
        if pct is not None and not Decimal(0) <= pct <= Decimal(100):
            reader.problem(
                values["pct"].line, f"{here}.pct", f"得分比例应在 0 到 100 之间（百分数），实际是 {pct}",
                indicator=indicator_id, code="pct",
            )
            pct = None
        for money_key in ("claimed", "deduction"):
            amount = numbers[money_key]
            if amount is not None and amount < 0:
                reader.problem(values[money_key].line, f"{here}.{money_key}", f"不能为负数（{amount}）",
                               indicator=indicator_id)
        result[indicator_id] = IndicatorActual(
            id=indicator_id,
            actual=texts["actual"],
            tier=tier,
            pct=pct,
            reason=texts["reason"],
            measure=texts["measure"],
            evidence=texts["evidence"],
            claimed=numbers["claimed"],
            deduction=numbers["deduction"],
            deduction_reason=texts["deduction_reason"],
            line=entry.line,
        )
    return result


def _acknowledged(reader: Reader, node: Node | None) -> Iterable[Acknowledgement]:
    """``acknowledged: [{code: …, indicator: …, reason: …}]``: warnings accepted, each with a reason."""
    for position, item in enumerate(reader.sequence(node, "acknowledged")):
        key = f"acknowledged[{position}]"
        fields = reader.mapping(item, key, required=("code", "reason"), optional=("indicator",))
        if fields is None:
            continue
        code = reader.text(fields.get("code"), f"{key}.code")
        reason = reader.text(fields.get("reason"), f"{key}.reason")
        indicator = reader.text(fields.get("indicator"), f"{key}.indicator")
        if reason is not None and not reason.strip():
            reader.problem(fields["reason"].line, f"{key}.reason", "确认一项提示必须写明理由，这里的理由是空的",
                           "写明为什么这项提示可以接受，如“资金结余系政府采购节约”。", code="acknowledged")
            continue
        if code and reason:
            yield Acknowledgement(code=code.strip(), reason=reason.strip(), indicator=indicator, line=item.line)


def _summary(reader: Reader, node: Node | None) -> Summary:
    fields = reader.mapping(node, "summary", optional=("overview", "problems", "measures", "application", "other"))
    if not fields:
        return Summary()
    return Summary(**{name: reader.text(value, f"summary.{name}") for name, value in fields.items()})


def check_pair(targets: Targets, actuals: Actuals, *, targets_complete: bool = True) -> list[Problem]:
    """Return the problems that only show when targets and actuals are read together.

    Either may have been read only in part (``read_targets``, ``read_actuals``): a year or a department
    that could not be read is not compared, and ids are looked up only when ``targets_complete`` (the
    targets had no problem, so every indicator and project id is known).
    """
    problems: list[Problem] = []
    file = actuals.source
    if actuals.year and targets.year and actuals.year != targets.year:
        problems.append(Problem(
            _top_location(actuals, "year"),
            f"年度不一致：实际值文件是 {actuals.year} 年，目标文件（{targets.source}）是 {targets.year} 年",
            "确认两份文件属于同一部门、同一年度。", code="year-mismatch",
        ))
    if actuals.department and targets.department and actuals.department != targets.department:
        problems.append(Problem(
            _top_location(actuals, "department"),
            f"部门不一致：实际值文件是“{visible(actuals.department)}”，目标文件是“{visible(targets.department)}”",
            "部门名称须与目标文件完全一致。", code="department-mismatch",
        ))
    if actuals.money_unit != targets.money_unit:
        problems.append(Problem(
            _top_location(actuals, "money_unit"),
            f"金额单位不一致：实际值文件是“{actuals.money_unit}”，目标文件是“{targets.money_unit}”",
            "两份文件的金额应使用同一单位。", code="money-unit-mismatch",
        ))
    if not targets_complete:
        return problems
    department_ids = {i.id for i in targets.indicators}
    project_ids = {p.id: {i.id for i in p.indicators} for p in targets.projects}
    where_is = {i.id: None for i in targets.indicators}
    where_is.update({i.id: p.id for p in targets.projects for i in p.indicators})
    for indicator_id, entry in actuals.indicators.items():
        if indicator_id not in department_ids:
            problems.append(_unknown_actual(file, entry, "indicators", where_is))
    for project_id, project in actuals.projects.items():
        if project_id not in project_ids:
            known = "、".join(project_ids) or "无"
            problems.append(Problem(
                Location(file=file, line=project.line, key=f"projects.{project_id}"),
                f"目标文件中没有专项“{visible(project_id)}”",
                f"目标文件中的专项编号：{known}。", code="unknown-project",
            ))
            continue
        for indicator_id, entry in project.indicators.items():
            if indicator_id not in project_ids[project_id]:
                problems.append(_unknown_actual(file, entry, f"projects.{project_id}.indicators", where_is))
    return problems


def _top_location(actuals: Actuals, key: str) -> Location:
    if actuals.targets_sha256 is not None or actuals.source and actuals.source.endswith((".xlsx", ".xlsm")):
        return Location(file=actuals.source, sheet="元数据", key=key)
    return Location(file=actuals.source, line=actuals.key_lines.get(key), key=key)


def _unknown_actual(file: str | None, entry: IndicatorActual, key: str, where_is: dict) -> Problem:
    if entry.id in where_is:
        scope = where_is[entry.id]
        if entry.sheet:
            right = "部门整体" if scope is None else f"专项 {scope}"
            hint = f"指标 {entry.id} 在目标文件中属于{right}，请填在对应的工作表中。"
        else:
            right = "indicators（部门整体）" if scope is None else f"projects.{scope}.indicators"
            hint = f"指标 {entry.id} 在目标文件中属于 {right}，请移到那里。"
    else:
        hint = "检查编号是否写错；实际值文件只能填目标文件中已有的指标。"
    return Problem(
        entry_location(file, entry, key=f"{key}.{entry.id}", indicator=entry.id),
        f"目标文件中没有指标“{visible(entry.id)}”", hint, code="unknown-indicator",
    )


def load_inputs(targets_path: Path | str, actuals_path: Path | str | None) -> tuple[Targets, Actuals | None]:
    """Load targets and (optionally) actuals, then check them together; raise every problem at once.

    The files are checked together even when one has problems of its own, so that one run lists all
    of them: a year that differs, an indicator the targets do not have, next to a cell that is not a number.
    """
    targets, problems = read_targets(targets_path)
    actuals = None
    if actuals_path is not None:
        actuals, found = read_actuals(actuals_path)
        problems.extend(found)
    if targets is not None and actuals is not None:
        complete = not any(p.location.file == targets.source for p in problems)
        pair = check_pair(targets, actuals, targets_complete=complete)
        if any(p.code == "money-unit" for p in problems):  # an unreadable unit was read as 万元: not a mismatch
            pair = [p for p in pair if p.code != "money-unit-mismatch"]
        problems.extend(pair)
    if problems:
        misplaced = _misplaced(Path(targets_path), Path(actuals_path) if actuals_path is not None else None)
        raise InputErrors([misplaced] if misplaced is not None else problems)
    assert targets is not None
    return targets, actuals


_SCHEMA_LINE = re.compile(r"^schema:[ \t]*[\"']?evaluator\.(targets|actuals)/", re.MULTILINE)
_ROLE_NAMES = {"targets": "目标文件", "actuals": "实际值文件", "workbook": "实际值填报表（Excel）"}


def _role(path: Path) -> str | None:
    """What a file says it is: "targets" or "actuals" (its ``schema:`` line), "workbook" (an .xlsx), else None."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return "workbook"
    try:
        _, data = read_input(path)
    except EvaluatorError:
        return None
    found = _SCHEMA_LINE.search(data[:65536].decode("utf-8-sig", errors="replace"))
    return found.group(1) if found else None


def _misplaced(targets_path: Path, actuals_path: Path | None) -> Problem | None:
    """One problem when the files are in each other's place (or one is in the wrong place); else None.

    Said first and alone: every other problem of swapped files is a consequence of the swap.
    """
    given = _role(targets_path)
    other = _role(actuals_path) if actuals_path is not None else None
    shown = display_path(targets_path)
    if given in ("actuals", "workbook") and other == "targets":
        assert actuals_path is not None
        return Problem(
            Location(file=shown),
            f"两个文件的位置放反了：这是{_ROLE_NAMES[given]}，而 {display_path(actuals_path)} 是目标文件",
            f"目标文件在前、实际值文件在后：把两个文件名对调后重新运行（{display_path(actuals_path)} {shown}）。",
            code="swapped",
        )
    if given == "actuals":
        return Problem(Location(file=shown), f"这是实际值文件（schema: {ACTUALS_SCHEMA}），不是目标文件",
                       "第一个文件应为目标文件（targets/<年度>/<部门>.yaml），实际值文件放在它后面。", code="swapped")
    if other == "targets" and given == "targets":
        assert actuals_path is not None
        other_shown = display_path(actuals_path)
        return Problem(Location(file=other_shown), f"这是目标文件（schema: {TARGETS_SCHEMA}），不是实际值文件",
                       "第二个文件应为实际值文件（actuals/<年度>/<部门>.yaml 或 evaluator template 生成的 .xlsx）。",
                       code="swapped")
    return None
