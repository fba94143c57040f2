"""What a comparison of one department over several years holds: scopes, lines, flags, costs.

Computed by ``evaluator.analysis.compare``; rendered by ``evaluator.report.compare_page``. Matching
within a scope is by indicator id, then by name; each line says how it was matched: ``id`` (编号),
``name`` (名称) or ``single`` (仅本年: found in one year only).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from evaluator.results.scores import STATUS_LABELS, GroupScore, InputFile

__all__ = ["DEPARTMENT", "MATCH_LABELS", "Cell", "Comparison", "CostPoint", "CostTrack", "Flag", "FlagKind", "Line",
           "ScopeTrack", "ScopeYear"]

DEPARTMENT = "department"
MATCH_LABELS = {"id": "编号", "name": "名称", "single": "仅本年"}


class FlagKind(str, Enum):  # noqa: UP042 (the str mixin lets templates print the value)
    TARGET_BELOW_ACTUAL = "target-below-actual"
    TARGET_STALE = "target-stale"
    DROPPED = "dropped"
    ADDED = "added"
    SCOPE_DROPPED = "scope-dropped"
    SCOPE_ADDED = "scope-added"
    COST_UP = "cost-up"
    GRADE_CHANGE = "grade-change"

    @property
    def label(self) -> str:
        return _FLAG_LABELS[self.value]


_FLAG_LABELS = {
    "target-below-actual": "目标低于上年实际",
    "target-stale": "目标多年未调整且持续超额完成",
    "dropped": "指标取消",
    "added": "新增指标",
    "scope-dropped": "专项取消",
    "scope-added": "新增专项",
    "cost-up": "支出增加而产出持平",
    "grade-change": "等级变化",
}


@dataclass(frozen=True)
class Cell:
    """One indicator in one year."""

    year: int
    id: str
    name: str
    level1: str
    level2: str
    target: str  # as written
    direction: str  # higher | lower | equal | qualitative | deadline | ambiguous
    target_value: Decimal | None  # the number of a single-value numeric target, in ``unit``
    unit: str | None
    actual: str | None  # as written; None when not filled or the year has no actuals
    actual_value: Decimal | None  # the actual in the target's unit, when it is a number
    points: Decimal | None  # None when the year has no actuals (nothing was scored)
    score: Decimal | None
    status: str | None
    completion: Decimal | None  # direction-aware: 1 means exactly on target
    matched: str  # first | id | name: how this cell joined its line

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status] if self.status else "未评价"


@dataclass(frozen=True)
class Line:
    """One indicator followed across the years; ``cells`` has one entry per year (None: not set)."""

    key: str  # unique in the comparison, safe in element ids
    scope_key: str
    cells: tuple[Cell | None, ...]
    match: str  # id | name | single

    @property
    def match_label(self) -> str:
        return MATCH_LABELS[self.match]

    @property
    def latest(self) -> Cell:
        return next(c for c in reversed(self.cells) if c is not None)

    @property
    def present(self) -> tuple[Cell, ...]:
        return tuple(c for c in self.cells if c is not None)

    @property
    def numeric(self) -> bool:
        return any(c.target_value is not None or c.actual_value is not None for c in self.present)

    @property
    def changes(self) -> tuple[str, ...]:
        """Say where the id or the name changed from one year to the next."""
        notes = []
        previous: Cell | None = None
        for cell in self.present:
            if previous is not None:
                if cell.id != previous.id:
                    notes.append(f"{cell.year}年编号由 {previous.id} 改为 {cell.id}")
                if cell.name != previous.name:
                    notes.append(f"{cell.year}年名称由“{previous.name}”改为“{cell.name}”")
            previous = cell
        return tuple(notes)


@dataclass(frozen=True)
class ScopeYear:
    """One scope in one year: planned money, execution, and (with actuals) total, grade and groups."""

    year: int
    id: str | None
    name: str
    planned: Decimal | None  # 资金总额 of the targets (the department) or the fund's 项目金额
    initial: Decimal | None
    adjusted: Decimal | None
    executed: Decimal | None
    rate: Decimal | None
    execution_points: Decimal | None
    execution_score: Decimal | None
    total: Decimal | None
    grade: str | None
    groups: tuple[GroupScore, ...]
    indicators: int
    has_actuals: bool


@dataclass(frozen=True)
class ScopeTrack:
    """The department as a whole, or one fund, followed across the years."""

    key: str  # "department" or "fund-<id>", safe in element ids
    kind: str  # department | project
    years: tuple[ScopeYear | None, ...]
    lines: tuple[Line, ...]
    match: str  # id | name | single (always id for the department)

    @property
    def latest(self) -> ScopeYear:
        return next(y for y in reversed(self.years) if y is not None)

    @property
    def name(self) -> str:
        return self.latest.name

    @property
    def match_label(self) -> str:
        return MATCH_LABELS[self.match]


@dataclass(frozen=True)
class Flag:
    """One change worth a question: what, when, where, and the numbers behind it."""

    kind: FlagKind
    year: int
    scope_key: str
    scope: str
    line: str | None  # the Line key, for indicator flags
    subject: str  # "D01 召开常委会", or the scope's name
    message: str


@dataclass(frozen=True)
class CostPoint:
    year: int
    executed: Decimal | None  # the scope's 全年执行数, in the comparison's money unit
    count: Decimal | None  # the actual of the 数量指标
    cost: Decimal | None  # executed / count


@dataclass(frozen=True)
class CostTrack:
    """Spending per unit of output of one 数量指标, year by year."""

    line: str
    scope_key: str
    scope: str
    subject: str
    unit: str  # of the count
    points: tuple[CostPoint | None, ...]


@dataclass(frozen=True)
class Comparison:
    department: str  # as the latest year names it
    names: tuple[str, ...]  # the department's name in each year (to show renames)
    slug: str | None
    years: tuple[int, ...]
    has_actuals: tuple[bool, ...]
    rules: str
    rules_title: str
    tool_version: str
    money_unit: str
    scopes: tuple[ScopeTrack, ...]
    flags: tuple[Flag, ...]
    costs: tuple[CostTrack, ...]
    inputs: tuple[tuple[int, InputFile], ...]
    missing_actuals: tuple[int, ...]

    def flags_of(self, kind: FlagKind) -> tuple[Flag, ...]:
        return tuple(f for f in self.flags if f.kind is kind)
