"""Import a filled 自评表: a targets file, an actuals file with the department's own scores, and where each came from.

``read_self_evaluation(path)`` reads a file (.xlsx, .xls, .docx, or Word's text export) and returns a
``SelfEvaluation``, or None when the file holds no filled 自评表 (then it may be a target form, for
``import_forms``). A file that cannot be read, or whose tables have errors (text in a 得分 cell, two
部门整体 tables, no year), raises InputErrors listing every problem at once.

How a 自评表 becomes the two files of formats.md:

- a 部门整体支出绩效自评表 is the department scope: its indicators D01, D02 … in table order, its budget
  line (年初预算数, 全年预算数, 全年执行数, 得分 as ``claimed``) the actuals' ``budget``, 总分 its
  ``claimed_total``, 年度总体目标 a plan item “年度总体目标” with the 预期目标, and 实际完成情况
  ``summary.overview``;
- each 项目支出绩效自评表 is a project P1, P2 … (in the order of the file) with indicators P1-01 …;
  项目名称 its name, the budget total its ``amount``, 预期目标 its ``goal_year``, 实际完成情况 its
  ``overview``, 得分 its ``claimed`` scores and 总分 its ``claimed_total``;
- the indicator's 指标值 is written as one value (指标性质 + 指标值 + 度量单位 joined), 分值 becomes
  ``points`` (left to the rule set when the table has no 分值 column), 偏差原因分析及改进措施 the
  ``reason`` (placeholders such as “无”, “/”, “0” are no reason); 评分标准, 指标说明 and unscored 其中
  rows go into the indicator's ``note``;
- the department is the table's 部门名称, else its 实施单位, 主管部门 or 填报单位.

Tables on hidden sheets are not read (a warning names the sheet); the 其中 rows of the budget block
are checked against its 年度资金总额, and the points printed in 一级 labels (“产出指标(50分)”) and on
the 总分 row against the rows' 分值 (``form_checks``). The printed 执行率 and 等级 stay with the table
(``FilledTable``) for ``evaluator review``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from evaluator.decimals import fmt
from evaluator.errors import InputErrors, Location, Problem, Severity
from evaluator.forms.grid import Row, norm
from evaluator.forms.selfeval_read import BudgetLine, FilledIndicator, FilledTable, read_tables
from evaluator.model import (
    Actuals,
    BudgetActual,
    Indicator,
    IndicatorActual,
    PlanItem,
    Project,
    ProjectActual,
    Summary,
    TargetBudget,
    Targets,
)

__all__ = ["GOAL_ITEM", "SelfEvaluation", "SelfEvaluationErrors", "file_slug", "form_checks", "import_paths",
           "read_self_evaluation", "self_evaluation_from_rows"]

GOAL_ITEM = "年度总体目标"
_UNHIDE = "在 Excel 中右键任一工作表标签，选“取消隐藏”；确认要评价后重新运行。"


class SelfEvaluationErrors(InputErrors):
    """The file holds filled 自评表, but they cannot be used as they are (text in a 得分 cell, no year …)."""


@dataclass(frozen=True)
class SelfEvaluation:
    """A filled 自评表 file: its tables, the targets and actuals made of them, and where everything stands.

    ``scopes`` pairs each scope id (None: the department as a whole, else P1 …) with its table;
    ``locations`` maps an indicator id, ``budget`` / ``P1.budget`` and ``total`` / ``P1.total`` to the
    row they were read from. ``findings`` are the warnings and notes of reading (never errors).
    """

    file: str
    sha256: str
    tables: tuple[FilledTable, ...]
    scopes: tuple[tuple[str | None, FilledTable], ...]
    targets: Targets
    actuals: Actuals
    locations: Mapping[str, Location]
    findings: tuple[Problem, ...]

    def table(self, scope_id: str | None) -> FilledTable | None:
        return next((table for key, table in self.scopes if key == scope_id), None)


def file_slug(path: Path | str) -> str:
    """The name a submitted file's department files take: its stem, without characters a path cannot hold."""
    stem = re.sub(r'[\\/:*?"<>|\s]+', "-", Path(path).stem).strip("-.")
    return stem or "自评表"


def import_paths(folder: Path | str, year: int, slug: str) -> tuple[Path, Path]:
    """Where ``evaluator import 自评表 -o DIR/`` writes: DIR/targets/<year>/<slug>.yaml, DIR/actuals/<year>/<slug>.yaml.

    The tree is the one ``batch`` and ``compare`` read, so a folder of imported tables can be scored,
    compared and batched as it is.
    """
    root = Path(folder)
    return root / "targets" / str(year) / f"{slug}.yaml", root / "actuals" / str(year) / f"{slug}.yaml"


def read_self_evaluation(path: Path | str) -> SelfEvaluation | None:
    """Read a file; return its 自评表, or None when it has none.

    Raises InputErrors when the file cannot be read, and SelfEvaluationErrors (naming every problem) when
    its 自评表 have errors.
    """
    from evaluator.forms import read_rows

    name, data, rows, notes = read_rows(path)
    return self_evaluation_from_rows(name, hashlib.sha256(data).hexdigest(), rows, notes)


def self_evaluation_from_rows(name: str, sha256: str, rows: list[Row], notes: list[Problem]) -> SelfEvaluation | None:
    """Assemble the 自评表 found in a file's cleaned rows (see ``read_self_evaluation``)."""
    tables = read_tables(rows, name)
    if not tables:
        return None
    problems: list[Problem] = list(notes)
    visible = [t for t in tables if not t.hidden]
    for table in tables:
        if table.hidden:
            sheet = table.where.sheet or ""
            problems.append(Problem(
                table.where, f"工作表“{sheet}”是隐藏的，其中的{table.label}未读取", _UNHIDE,
                Severity.ERROR if not visible else Severity.WARNING, "hidden-sheet"))
    for table in visible:
        problems.extend(table.problems)
    if not visible:
        raise SelfEvaluationErrors(problems)
    departments = [t for t in visible if t.kind == "department"]
    for extra in departments[1:]:
        problems.append(Problem(
            extra.where, f"部门整体支出绩效自评表出现了不止一次（第一张在 {departments[0].where}）；"
                         "一个文件只能有一张部门整体表", "每个部门单独一个文件；检查是否把两个部门的表放在了一起。",
            code="duplicate-form"))
    year = _agreed(visible, "year", "年度", problems)
    if year is None and not any(p.code == "conflict" for p in problems):
        problems.append(Problem(
            visible[0].where, f"未能识别{visible[0].label}的年度",
            "在标题或标题下一行写明年度，如“项目支出绩效自评表（2022年度）”。", code="no-year"))
    unit = _agreed(visible, "money_unit", "金额单位", problems)
    if unit is None:
        unit = "万元"
        if any(line.initial or line.adjusted or line.executed for t in visible for line in t.budget):
            problems.append(Problem(visible[0].budget_where or visible[0].where, "表中没有写明金额单位，按万元处理",
                                    "在预算栏写明“项目资金（万元）”。", Severity.WARNING, "no-unit"))
    if any(p.severity is Severity.ERROR for p in problems):
        raise SelfEvaluationErrors(problems)
    assert year is not None
    department = _department(visible, name, problems)
    scopes: list[tuple[str | None, FilledTable]] = []
    locations: dict[str, Location] = {}
    if departments:
        scopes.append((None, departments[0]))
    projects = [t for t in visible if t.kind == "project"]
    scopes += [(f"P{n}", table) for n, table in enumerate(projects, start=1)]
    targets, actuals = _build(name, sha256, year, department, unit, scopes, locations, problems)
    for _, table in scopes:
        problems.extend(form_checks(table))
    return SelfEvaluation(name, sha256, tuple(tables), tuple(scopes), targets, actuals, locations, tuple(problems))


def _agreed(tables: list[FilledTable], attribute: str, what: str, problems: list[Problem]) -> object:
    stated = [(getattr(t, attribute), t) for t in tables if getattr(t, attribute) is not None]
    if not stated:
        return None
    value, first = stated[0]
    for other, table in stated[1:]:
        if other != value:
            problems.append(Problem(
                table.where, f"{what}不一致：{table.label}是“{other}”，而 {first.where} 的{first.label}是“{value}”",
                "同一文件中的自评表必须属于同一年度、使用同一金额单位；不同年度分别放在不同文件中。", code="conflict"))
    return value


def _department(tables: list[FilledTable], file: str, problems: list[Problem]) -> str:
    named = [(t.department, t) for t in sorted(tables, key=lambda t: t.kind != "department") if t.department]
    if not named:
        stem = Path(file).stem
        problems.append(Problem(
            tables[0].where, f"表中没有部门名称（部门名称、实施单位、主管部门或填报单位），按文件名“{stem}”作部门名称",
            "在表中填写“实施单位”或“部门（单位）名称”。", Severity.WARNING, "no-department"))
        return stem
    return named[0][0]  # type: ignore[return-value]


def _build(
    file: str, sha256: str, year: int, department: str, unit: str, scopes: list[tuple[str | None, FilledTable]],
    locations: dict[str, Location], problems: list[Problem],
) -> tuple[Targets, Actuals]:
    dept_indicators: tuple[Indicator, ...] = ()
    dept_entries: dict[str, IndicatorActual] = {}
    dept_budget: BudgetActual | None = None
    projects: list[Project] = []
    project_actuals: dict[str, ProjectActual] = {}
    plan: tuple[PlanItem, ...] = ()
    target_budget = TargetBudget()
    claimed_total = None
    overview = None
    for scope_id, table in scopes:
        prefix = "D" if scope_id is None else f"{scope_id}-"
        indicators, entries = _indicators(table, prefix, locations)
        budget = _budget(table, problems)
        key = "" if scope_id is None else f"{scope_id}."
        if table.budget_total is not None:
            locations[f"{key}budget"] = table.budget_total.where
        elif table.budget_where is not None:
            locations[f"{key}budget"] = table.budget_where
        if table.total_where is not None:
            locations[f"{key}total"] = table.total_where
        if table.grade_where is not None:
            locations[f"{key}grade"] = table.grade_where
        locations[f"{key}table"] = table.header.row.location() if table.header is not None else table.where
        planned = (budget.initial if budget.initial is not None else budget.adjusted) if budget else None
        if scope_id is None:
            dept_indicators, dept_entries, dept_budget = indicators, entries, budget
            plan = (PlanItem(GOAL_ITEM, None, table.goal),) if table.goal else ()
            target_budget = TargetBudget(total=planned)
            claimed_total, overview = table.total_score, table.done
            continue
        projects.append(Project(id=scope_id, name=table.name, amount=planned, goal_year=table.goal,
                                indicators=indicators))
        project_actuals[scope_id] = ProjectActual(
            id=scope_id, budget=budget, indicators=entries, claimed_total=table.total_score, overview=table.done)
    targets = Targets(year=year, department=department, money_unit=unit, budget=target_budget, plan=plan,
                      indicators=dept_indicators, projects=tuple(projects), source=file, sha256=sha256)
    actuals = Actuals(year=year, department=department, money_unit=unit, budget=dept_budget,
                      indicators=dept_entries, projects=project_actuals, summary=Summary(overview=overview),
                      claimed_total=claimed_total, source=file, sha256=sha256)
    return targets, actuals


def _indicators(table: FilledTable, prefix: str, locations: dict[str, Location]
                ) -> tuple[tuple[Indicator, ...], dict[str, IndicatorActual]]:
    indicators = []
    entries = {}
    for number, row in enumerate(table.indicators, start=1):
        indicator_id = f"{prefix}{number:02d}"
        locations[indicator_id] = row.where
        indicators.append(Indicator(
            id=indicator_id, level1=row.level1, level2=row.level2, name=row.name or indicator_id,
            target=row.full_target, points=row.points, note=_note(row), line=row.where.row or row.where.line,
        ))
        entry_line, sheet = _entry_place(row.where)
        entries[indicator_id] = IndicatorActual(
            id=indicator_id, actual=row.full_actual or None, claimed=row.score, reason=row.clean_reason,
            line=entry_line, sheet=sheet,
        )
    return tuple(indicators), entries


def _entry_place(where: Location) -> tuple[int | None, str | None]:
    if where.sheet:
        return where.row, where.sheet
    if where.line is not None:
        return where.line, None
    return None, None


def _note(row: FilledIndicator) -> str | None:
    parts = []
    if row.target_initial and norm(row.target_initial) != norm(row.target):
        parts.append(f"年初指标值：{row.target_initial}")
    if row.rule:
        parts.append(f"评分标准：{row.rule}")
    if row.explanation:
        parts.append(f"指标说明：{row.explanation}")
    if row.coefficient:
        parts.append(f"得分系数：{row.coefficient}")
    if row.core and norm(row.core) in ("是", "√"):
        parts.append("核心指标")
    parts.extend(f"其中：{item.removeprefix('其中').lstrip('：:')}" for item in row.sub_items)
    return "；".join(parts) or None


def _budget(table: FilledTable, problems: list[Problem]) -> BudgetActual | None:
    total = table.budget_total
    groups = table.breakdown_groups
    parts = groups[0] if groups else []
    if total is None and not parts:
        return None
    if total is None or all(getattr(total, f) is None for f in ("initial", "adjusted", "executed")):
        sums = {f: _sum(parts, f) for f in ("initial", "adjusted", "executed")}
        if any(v is not None for v in sums.values()):
            where = total.where if total is not None else parts[0].where
            problems.append(Problem(
                where, f"{table.label}的年度资金总额未填金额，按其中各项之和计算（年初 {fmt(sums['initial'])}、"
                       f"全年 {fmt(sums['adjusted'])}、执行 {fmt(sums['executed'])}）",
                "填写年度资金总额一行。", Severity.WARNING, "budget-from-parts"))
            claimed = total.score if total is not None else None
            entry_line, sheet = _entry_place(where)
            return BudgetActual(initial=sums["initial"], adjusted=sums["adjusted"], executed=sums["executed"],
                                claimed=claimed, line=entry_line, sheet=sheet)
        if total is None:
            return None
    entry_line, sheet = _entry_place(total.where)
    return BudgetActual(initial=total.initial, adjusted=total.adjusted, executed=total.executed, claimed=total.score,
                        line=entry_line, sheet=sheet)


def _sum(lines: list[BudgetLine], name: str) -> Decimal | None:
    values = [getattr(line, name) for line in lines if getattr(line, name) is not None]
    return sum(values, Decimal(0)) if values else None



def form_checks(table: FilledTable) -> list[Problem]:
    """The arithmetic printed on the form itself: 其中 rows against 年度资金总额, 分值 against the labels and 总分.

    Warnings: they say what the table states, whatever the rule set.
    """
    problems: list[Problem] = []
    total = table.budget_total
    for group in table.breakdown_groups if total is not None else []:
        parts = [line for line in group if not line.empty]
        for name, label in (("initial", "年初预算数"), ("adjusted", "全年预算数"), ("executed", "全年执行数")):
            whole, summed = getattr(total, name), _sum(parts, name)
            if whole is not None and summed is not None and summed != whole:
                names = "、".join(re.sub(r"^其中[:：]?", "", line.label) for line in parts)
                problems.append(Problem(
                    total.where, f"{table.label}：其中各项（{names}）的{label}之和 {fmt(summed)}，"
                                 f"与年度资金总额的{label} {fmt(whole)} 不一致（相差 {fmt(whole - summed)}）",
                    "核对预算栏各行金额。", Severity.WARNING, "budget-parts"))
    rows = table.indicators
    for (level, prefix), (points, where) in table.group_points.items():
        members = [r for r in rows if getattr(r, level).startswith(prefix)]
        given = [r.points for r in members if r.points is not None]
        if members and len(given) == len(members):
            summed = sum(given, Decimal(0))
            if summed != points:
                what = "一级指标" if level == "level1" else "二级指标"
                problems.append(Problem(
                    where, f"{table.label}：{what}“{prefix}”标明{fmt(points)}分，其下各指标分值合计{fmt(summed)}分",
                    "核对该一级指标下各三级指标的分值。", Severity.WARNING, "group-points"))
    given = [r.points for r in rows if r.points is not None]
    budget_points = total.points if total is not None else None
    if rows and len(given) == len(rows):
        summed = sum(given, Decimal(0)) + (budget_points or Decimal(0))
        where = table.total_where or (table.header.row.location() if table.header is not None else table.where)
        if table.total_points is not None and table.total_points != summed:
            problems.append(Problem(
                where, f"{table.label}：总分一行的分值为{fmt(table.total_points)}分，各项分值之和为{fmt(summed)}分"
                       f"（预算执行{fmt(budget_points)}分＋各指标{fmt(summed - (budget_points or 0))}分）",
                "核对各项分值。", Severity.WARNING, "total-points"))
        if summed != 100 and budget_points is not None:
            problems.append(Problem(
                where, f"{table.label}：各项分值合计{fmt(summed)}分（预算执行{fmt(budget_points)}分＋各指标"
                       f"{fmt(summed - budget_points)}分），应为100分",
                "调整各指标的分值，使预算执行与各项指标合计100分。", Severity.WARNING, "points-not-100"))
    return problems
