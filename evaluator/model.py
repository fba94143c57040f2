"""The typed, frozen objects that pass between the stages: targets, actuals, and their parts.

Money is ``Decimal`` in the file's ``money_unit`` (万元 by default). Indicator values are kept as
written (``target``, ``actual``); ``values.parse_value`` turns them into ``Value`` objects where
they are used. ``line`` fields remember where an object stood in its file, for messages.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from evaluator.errors import Problem

__all__ = ["ACTUALS_SCHEMA", "Acknowledgement", "Actuals", "BudgetActual", "DIRECTIONS", "FUNDING_SOURCES",
    "FundingActual", "Gap", "Indicator", "IndicatorActual", "MONEY_UNITS", "PlanItem", "PreviousYear", "Project",
    "ProjectActual", "RESULT_SCHEMA", "SpendingLine", "Summary", "TARGETS_SCHEMA", "TIERS", "TargetBudget",
    "Targets"]

TARGETS_SCHEMA = "evaluator.targets/1"
ACTUALS_SCHEMA = "evaluator.actuals/1"
RESULT_SCHEMA = "evaluator.result/1"

MONEY_UNITS = ("元", "千元", "万元", "亿元")  # the money_unit a file may declare
TIERS = ("达成", "部分达成", "未达成")
DIRECTIONS = ("higher", "lower", "equal", "qualitative", "deadline")
# the 其中 lines of 项目资金 on the official 自评表 (财预〔2020〕10号), in the form's order: key → label
FUNDING_SOURCES = {"current": "当年财政拨款", "carryover": "上年结转资金", "other": "其他资金"}


@dataclass(frozen=True)
class TargetBudget:
    """年度预算申请: the total, by source of funds and by nature of spending."""

    total: Decimal | None = None
    by_source: Mapping[str, Decimal | None] = field(default_factory=dict)
    by_nature: Mapping[str, Decimal | None] = field(default_factory=dict)


@dataclass(frozen=True)
class PlanItem:
    """One line of 年度重点工作计划."""

    item: str
    owner: str | None = None
    goal: str | None = None


@dataclass(frozen=True, slots=True)  # slots: a large department has 100,000 of them
class Indicator:
    """One 三级指标 with its 指标值 as written; ``points`` and ``direction`` override the rule set."""

    id: str
    level1: str
    level2: str
    name: str
    target: str
    points: Decimal | None = None
    direction: str | None = None
    standard: str | None = None
    note: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class SpendingLine:
    """One line of 支出明细及测算说明."""

    content: str | None = None
    detail: str | None = None
    amount: Decimal | None = None
    basis: str | None = None


@dataclass(frozen=True)
class Project:
    """One special fund (附表3 专项资金支出方向绩效目标表)."""

    id: str
    name: str
    amount: Decimal | None = None
    period: str | None = None
    goal_period: str | None = None
    goal_year: str | None = None
    indicators: tuple[Indicator, ...] = ()
    spending: tuple[SpendingLine, ...] = ()
    parent: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class Gap:
    """A value the official forms lacked that a targets file needs (资金总额, an indicator's name or 指标值).

    Written by ``evaluator import --allow-incomplete`` under ``incomplete``; `check` reports each as an
    error until the value is filled in and the entry deleted.
    """

    key: str  # where the value belongs in the targets file: budget.total, indicators[3].target …
    message: str  # what the forms had instead (blank, a formula without a result, an external link)
    indicator: str | None = None
    source: str | None = None  # where it stood in the forms: file, sheet, row, column
    line: int | None = None  # the line of the entry in the targets file (when read from one)


@dataclass(frozen=True)
class Targets:
    """A department's performance targets for one year (附表1 + 附表2/附表3)."""

    year: int
    department: str
    money_unit: str = "万元"
    budget: TargetBudget = field(default_factory=TargetBudget)
    duties: str | None = None
    plan: tuple[PlanItem, ...] = ()
    indicators: tuple[Indicator, ...] = ()
    projects: tuple[Project, ...] = ()
    source: str | None = None
    sha256: str | None = None
    incomplete: tuple[Gap, ...] = ()  # what the forms lacked, marked by import --allow-incomplete

    def project(self, project_id: str) -> Project | None:
        return next((p for p in self.projects if p.id == project_id), None)

    def all_indicators(self) -> tuple[Indicator, ...]:
        return self.indicators + tuple(i for p in self.projects for i in p.indicators)


@dataclass(frozen=True)
class FundingActual:
    """One 其中 line of 项目资金 (当年财政拨款, 上年结转资金 or 其他资金): shown on the 自评表, never scored."""

    initial: Decimal | None = None
    adjusted: Decimal | None = None
    executed: Decimal | None = None
    line: int | None = None
    sheet: str | None = None


@dataclass(frozen=True)
class BudgetActual:
    """年初预算数, 全年预算数, 全年执行数, and the execution score the department claimed.

    ``sources`` holds the 其中 lines by ``FUNDING_SOURCES`` key, when the department gave them; the
    execution score uses the totals only.
    """

    initial: Decimal | None = None
    adjusted: Decimal | None = None
    executed: Decimal | None = None
    claimed: Decimal | None = None
    reason: str | None = None
    line: int | None = None
    sheet: str | None = None  # the workbook sheet it was read from (then ``line`` is the sheet's row)
    sources: Mapping[str, FundingActual] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)  # slots: a large department has 100,000 of them
class IndicatorActual:
    """What happened for one indicator: the value as written and the evaluator's notes."""

    id: str
    actual: str | None = None
    tier: str | None = None
    pct: Decimal | None = None
    reason: str | None = None
    measure: str | None = None
    evidence: str | None = None
    claimed: Decimal | None = None
    deduction: Decimal | None = None
    deduction_reason: str | None = None
    line: int | None = None
    sheet: str | None = None  # the workbook sheet it was read from (then ``line`` is the sheet's row)


@dataclass(frozen=True)
class ProjectActual:
    id: str
    budget: BudgetActual | None = None
    indicators: Mapping[str, IndicatorActual] = field(default_factory=dict)
    claimed_total: Decimal | None = None
    overview: str | None = None  # 实际完成情况 of the fund's 年度总体目标
    line: int | None = None


@dataclass(frozen=True)
class Summary:
    """Narrative for the report: 存在的问题, 改进措施, 结果应用, 其他说明, 总体完成情况."""

    overview: str | None = None
    problems: str | None = None
    measures: str | None = None
    application: str | None = None
    other: str | None = None


@dataclass(frozen=True)
class Acknowledgement:
    """A warning the department has looked at and accepts, with the reason (``acknowledged`` in actuals).

    It covers the warnings with its ``code``: of one indicator when ``indicator`` is given, else all of
    them. Only a warning can be acknowledged; an error stays an error.
    """

    code: str
    reason: str
    indicator: str | None = None
    line: int | None = None
    sheet: str | None = None  # the workbook sheet it was read from (then ``line`` is the sheet's row)

    def covers(self, problem: Problem) -> bool:
        return problem.code == self.code and (self.indicator is None or problem.location.indicator == self.indicator)


@dataclass(frozen=True)
class Actuals:
    """What a department achieved in one year, keyed by indicator id."""

    year: int
    department: str
    money_unit: str = "万元"
    budget: BudgetActual | None = None
    indicators: Mapping[str, IndicatorActual] = field(default_factory=dict)
    projects: Mapping[str, ProjectActual] = field(default_factory=dict)
    summary: Summary = field(default_factory=Summary)
    claimed_total: Decimal | None = None
    source: str | None = None
    sha256: str | None = None
    targets_sha256: str | None = None  # the targets file an entry workbook was made from (its 元数据 sheet)
    key_lines: Mapping[str, int] = field(default_factory=dict)  # line of each top-level key, for messages
    base: Mapping[str, Decimal] = field(default_factory=dict)  # 基础数据 (编制数, 三公经费预算数 …), see formats.md
    acknowledged: tuple[Acknowledgement, ...] = ()  # warnings accepted, each with its reason

    def for_scope(self, project_id: str | None) -> tuple[BudgetActual | None, Mapping[str, IndicatorActual]]:
        """Return the budget line and indicator actuals of the department (None) or a project."""
        if project_id is None:
            return self.budget, self.indicators
        project = self.projects.get(project_id)
        if project is None:
            return None, {}
        return project.budget, project.indicators


@dataclass(frozen=True)
class PreviousYear:
    """The year before, for targets written as a change (较上年增长10%): its targets and actuals.

    ``actuals`` is None when there is no usable file; ``problem`` then says why in Chinese (not found,
    unreadable) and ``actuals_file`` where the file was looked for, so that the indicator that needs
    it can say exactly what to add, and where.
    """

    year: int
    targets: Targets | None = None
    actuals: Actuals | None = None
    actuals_file: str | None = None
    problem: str | None = None
