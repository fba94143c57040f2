"""Merge the forms read from one or more files into one Targets, and check them against each other.

Department, year and money unit must agree across all forms (else an error names both places).
Indicators get ids in form order: D01, D02 … for 附表1; P1-01 … for the first 附表3, P2-01 … for
the second. 附表2 lines are matched to 附表3 by name, and the amounts compared.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from evaluator.errors import Location, Problem, Severity
from evaluator.forms.audit import amount_text, difference
from evaluator.forms.grid import Form, norm
from evaluator.forms.tables import Parsed
from evaluator.model import Gap, Indicator, Project, TargetBudget, Targets

__all__ = ["Assembled", "assemble"]


@dataclass
class Assembled:
    targets: Targets | None
    problems: list[Problem] = field(default_factory=list)
    locations: dict[str, Location] = field(default_factory=dict)
    gaps: list[tuple[Gap, Problem]] = field(default_factory=list)  # what the targets lack, and the problem saying so


def _problem(where: Location, message: str, hint: str = "", code: str = "", warning: bool = False) -> Problem:
    return Problem(where, message, hint, Severity.WARNING if warning else Severity.ERROR, code)


_HIDDEN_HINT = "在 Excel 中右键任一工作表标签，选“取消隐藏”即可看到隐藏的工作表；删除多余的一张后再导入。"


def _hidden(*forms: Form) -> str:
    """Say which of the forms' sheets are hidden: a duplicate the user cannot see is otherwise a puzzle."""
    sheets = list(dict.fromkeys(f.where.sheet for f in forms if f.where.hidden and f.where.sheet))
    return "".join(f"；工作表“{sheet}”是隐藏的" for sheet in sheets)


def assemble(parts: list[Parsed]) -> Assembled:
    result = Assembled(None)
    departments = [p for p in parts if p.form.kind == "附表1"]
    summaries = [p for p in parts if p.form.kind == "附表2"]
    projects = [p for p in parts if p.form.kind == "附表3"]
    problems = result.problems
    for kind, found in (("附表1", departments), ("附表2", summaries)):
        for extra in found[1:]:
            first = found[0].form
            hidden = _hidden(first, extra.form)
            problems.append(_problem(
                extra.form.where.location(),
                f"{kind}出现了不止一次（第一张在 {first.where.location()}）；一个部门一年只有一张{kind}{hidden}",
                _HIDDEN_HINT if hidden else "每个部门、每个年度单独导入；检查是否重复选择了同一文件。",
                "duplicate-form",
            ))
    department = _department(parts, departments[:1], problems)
    year = _agreed(parts, "year", "年度", problems)
    unit = _agreed(parts, "money_unit", "金额单位", problems)
    if year is None and not any(p.code == "conflict" for p in problems):
        problems.append(_problem(
            parts[0].form.where.location(), "未能从表格标题中识别年度（如“2023年部门整体支出绩效目标表”）",
            "在表格标题中写明年度。", "no-year",
        ))
    if unit is None:
        unit = "万元"
        problems.append(_problem(parts[0].form.where.location(), "表中没有写明金额单位，按万元处理",
                                 "在表头写明“金额单位：万元”。", "no-unit", warning=True))
    dept = departments[0] if departments else None
    indicators = _numbered(dept.indicators if dept else [], "D", "indicators", result.locations)
    project_list = _projects(projects, problems, result.locations)
    if summaries:
        _match_summary(summaries[0], projects, dept, unit, problems)
    for part in projects:
        _check_spending_total(part, unit, problems)
    if department is None or year is None:
        return result
    budget = TargetBudget()
    if dept is not None:
        budget = TargetBudget(
            total=dept.values.get("total"),  # type: ignore[arg-type]
            by_source=dict(dept.values.get("by_source", {})),  # type: ignore[call-overload]
            by_nature=dict(dept.values.get("by_nature", {})),  # type: ignore[call-overload]
        )
        result.locations.update(dept.at)
        if "total" in dept.at:
            result.locations["budget.total"] = dept.at["total"]
            result.locations.setdefault("budget", dept.at["total"])
    if dept is not None:
        result.gaps.extend(_gaps(dept, "indicators", "D"))
    for position, part in enumerate(projects):
        result.gaps.extend(_gaps(part, f"projects[{position}].indicators", f"P{position + 1}-"))
    result.targets = Targets(
        year=year, department=department, money_unit=unit, budget=budget,
        duties=dept.values.get("duties") if dept else None,  # type: ignore[arg-type]
        plan=tuple(dept.plan) if dept else (), indicators=indicators, projects=tuple(project_list),
        source="、".join(dict.fromkeys(p.form.file for p in parts)),
    )
    return result


def _gaps(part: Parsed, key: str, prefix: str) -> list[tuple[Gap, Problem]]:
    """The gaps of one form, keyed as in the targets file (an indicator by its position and its id)."""
    found = []
    for field_name, position, problem in part.gaps:
        if position is None:
            gap = Gap("budget.total", problem.message, source=str(problem.location))
        else:
            gap = Gap(f"{key}[{position}].{field_name}", problem.message, indicator=f"{prefix}{position + 1:02d}",
                      source=str(problem.location))
        found.append((gap, problem))
    return found


def _department(parts: list[Parsed], departments: list[Parsed], problems: list[Problem]) -> str | None:
    """Return 部门名称 of 附表1, or else the 填报单位 the forms agree on; a mismatch is an error."""
    named = [
        (str(p.values["department"]), p.at["department"]) for p in departments if p.values.get("department")
    ]
    reporters = [(p.form.reporter, p.form.where.location()) for p in parts if p.form.reporter]
    candidates = named or reporters
    if not candidates:
        problems.append(_problem(
            parts[0].form.where.location(), "没有找到部门名称（附表1的“部门名称”或表头的“填报单位”）",
            "把附表1与附表3一起导入，或在表头“填报单位：”后写明部门全称。", "no-department",
        ))
        return None
    name, where = candidates[0]
    for other, other_where in (named[1:] + reporters) if named else reporters[1:]:
        same = norm(other) == norm(name) or norm(other) in norm(name) or norm(name) in norm(other)
        if not same:
            problems.append(_problem(
                other_where, f"部门不一致：这里是“{other}”，而 {where} 是“{name}”",
                "同一次导入的表格必须属于同一个部门。", "conflict",
            ))
    return name


def _agreed(parts: list[Parsed], attribute: str, what: str, problems: list[Problem]) -> Any:
    """Return the value all forms that state it agree on (year, money unit); a mismatch is an error."""
    stated = [(getattr(p.form, attribute), p) for p in parts if getattr(p.form, attribute) is not None]
    if not stated:
        return None
    value, first = stated[0]
    for other, part in stated[1:]:
        if other != value:
            problems.append(_problem(
                part.form.where.location(),
                f"{what}不一致：{part.form.kind}是“{other}”，"
                f"而 {first.form.where.location()} 的{first.form.kind}是“{value}”",
                "同一次导入的表格必须属于同一年度、使用同一金额单位。", "conflict",
            ))
    return value


def _numbered(items: list[tuple[Indicator, Location]], prefix: str, key: str,
              locations: dict[str, Location]) -> tuple[Indicator, ...]:
    numbered = []
    for position, (indicator, where) in enumerate(items):
        indicator_id = f"{prefix}{position + 1:02d}"
        numbered.append(replace(indicator, id=indicator_id))
        locations[f"{key}[{position}]"] = where
    return tuple(numbered)


def _projects(parts: list[Parsed], problems: list[Problem], locations: dict[str, Location]) -> list[Project]:
    projects: list[Project] = []
    seen: dict[str, Parsed] = {}
    for position, part in enumerate(parts):
        key = f"projects[{position}]"
        name = str(part.values.get("name") or "")
        if name and norm(name) in seen:
            first = seen[norm(name)].form
            hidden = _hidden(first, part.form)
            problems.append(_problem(
                part.at.get("name", part.form.where.location()),
                f"附表3“{name}”出现了两次（第一次在 {first.where.location()}）{hidden}",
                _HIDDEN_HINT if hidden else "每个支出方向只填一张附表3；检查是否重复选择了同一文件。",
                "duplicate-project",
            ))
        seen.setdefault(norm(name), part)
        project_id = f"P{position + 1}"
        for field_key, where in part.at.items():
            locations[f"{key}.{field_key}"] = where
        locations[key] = part.at.get("name", part.form.where.location())
        for number, (_, where) in enumerate(part.spending):
            locations[f"{key}.spending[{number}]"] = where
        projects.append(Project(
            id=project_id, name=name, amount=part.values.get("amount"),  # type: ignore[arg-type]
            period=part.values.get("period"), goal_period=part.values.get("goal_period"),  # type: ignore[arg-type]
            goal_year=part.values.get("goal_year"),  # type: ignore[arg-type]
            indicators=_numbered(part.indicators, f"{project_id}-", f"{key}.indicators", locations),
            spending=tuple(line for line, _ in part.spending),
        ))
    return projects


def _match_summary(summary: Parsed, projects: list[Parsed], dept: Parsed | None, unit: str,
                   problems: list[Problem]) -> None:
    """Compare 附表2 with itself (合计), with 附表1 (项目支出) and with each 附表3 (by name)."""

    def warn(where: Location, message: str, hint: str, code: str) -> None:
        problems.append(_problem(where, message, hint, code, warning=True))

    lines = summary.lines
    total = summary.values.get("total")
    amounts = [amount for _, amount, _ in lines if amount is not None]
    if isinstance(total, Decimal) and amounts and sum(amounts, Decimal(0)) != total:
        found = sum(amounts, Decimal(0))
        warn(summary.at["total"],
             f"附表2合计 {amount_text(total)} {unit}，"
             f"与各行金额之和 {amount_text(found)} {unit}不一致，{difference(found, total, unit)}",
             "核对附表2各行金额与合计。", "summary-total")
    project_total = dept.values.get("by_nature", {}).get("项目支出") if dept else None  # type: ignore[attr-defined]
    if isinstance(total, Decimal) and project_total is not None and total != project_total:
        warn(summary.at["total"],
             f"附表2合计 {amount_text(total)} {unit}，"
             f"与附表1项目支出 {amount_text(project_total)} {unit}不一致，"
             f"{difference(total, project_total, unit)}",
             "核对附表2合计与附表1“按支出性质分”的项目支出。", "summary-projects")
    matched: set[int] = set()
    for name, amount, where in lines:
        own = _named(projects, "name", name) or _named(projects, "parent_name", name)
        matched.update(own)
        if not own:
            if projects:
                warn(where, f"附表2中的“{name}”没有对应的附表3（按名称匹配）",
                     "检查附表2与附表3的名称是否一字不差，或补充该专项的附表3。", "summary-unmatched")
            continue
        found_amounts = [projects[i].values.get("amount") for i in own]
        if amount is None or any(a is None for a in found_amounts):
            continue
        found = sum(found_amounts, Decimal(0))  # type: ignore[arg-type]
        if found != amount:
            first = projects[own[0]]
            warn(first.at.get("amount", first.form.where.location()),
                 f"附表3“{name}”项目金额 {amount_text(found)} {unit}，"
                 f"与附表2同名专项金额 {amount_text(amount)} {unit}不一致，{difference(found, amount, unit)}",
                 "核对附表3的项目金额与附表2的金额。", "project-summary")
    for index, part in enumerate(projects):
        if index not in matched and lines:
            warn(part.at.get("name", part.form.where.location()),
                 f"附表3“{part.values.get('name')}”在附表2中没有同名的一行",
                 "检查附表2与附表3的名称是否一字不差。", "project-unmatched")


def _named(projects: list[Parsed], key: str, name: str) -> list[int]:
    return [i for i, p in enumerate(projects) if norm(str(p.values.get(key) or "")) == norm(name)]


def _check_spending_total(part: Parsed, unit: str, problems: list[Problem]) -> None:
    total = part.values.get("spending_total")
    amounts = [line.amount for line, _ in part.spending if line.amount is not None]
    if isinstance(total, Decimal) and amounts and sum(amounts, Decimal(0)) != total:
        found = sum(amounts, Decimal(0))
        problems.append(_problem(
            part.at["spending_total"],
            f"{part.label}支出明细合计 {amount_text(total)} {unit}，"
            f"与各行金额之和 {amount_text(found)} {unit}不一致，{difference(found, total, unit)}",
            "核对支出明细各行金额与合计。", "spending-total", warning=True,
        ))
