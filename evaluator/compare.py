"""Compare one department over several years: indicators matched across years, and what changed.

``compare_years`` is pure: for each year it takes the targets and the scoring result (None for a year
that has targets but no actuals yet) and returns a ``Comparison``: every scope (the department as a
whole, then each special fund) tracked across the years, every indicator matched across the years,
and the changes an auditor asks about (``Flag``). ``compare_files`` finds the files of one department
under ``targets/<year>/`` and ``actuals/<year>/``, scores them and compares them: the one call behind
``evaluator compare``. The HTML page is in ``evaluator.report.compare_page``.

Matching, within one scope: first by indicator id, then by name (NFKC, whitespace and punctuation
removed, case folded); funds are matched the same way, by project id and then by name. Each line says
how it was matched: ``id`` (编号), ``name`` (名称) or ``single`` (仅本年: found in one year only).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Generic, TypeVar

from evaluator.decimals import fmt
from evaluator.errors import InputError, InputErrors, Location, Problem, display_path
from evaluator.model import Indicator, Targets
from evaluator.results import STATUS_LABELS, Evaluation, GroupScore, IndicatorScore, InputFile, Result
from evaluator.units import convert
from evaluator.values import Op, parse_value

DEPARTMENT = "department"
MATCH_LABELS = {"id": "编号", "name": "名称", "single": "仅本年"}
# A target "met with room to spare": this completion (direction-aware) counts as over-achieved even
# when it stays under the rule set's own over-achievement threshold.
OVER_ACHIEVED_RATIO = Decimal("1.2")
STALE_YEARS = 2  # over-achieved in this many years under one unchanged target: the target is stale
SPENDING_GROWTH = Decimal("0.10")  # spending up by more than this …
OUTPUT_GROWTH = Decimal("0.05")  # … while the count of a 数量指标 grows by less than this
_SINGLE_OPS = (Op.GE, Op.GT, Op.LE, Op.LT, Op.EQ)
T = TypeVar("T")


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
class YearInput:
    """One year of a department: its targets and, once actuals exist, the scoring result."""

    year: int
    targets: Targets
    result: Result | None  # None: targets only (no actuals file for that year)


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


# --- the pure comparison -------------------------------------------------------------------------------


def compare_years(entries: Sequence[YearInput], *, slug: str | None = None) -> Comparison:
    """Match the indicators of several years of one department and list what changed.

    ``entries`` may come in any order; they are sorted by year. Raises ValueError for two entries of
    the same year or entries scored under different rule sets.
    """
    entries = sorted(entries, key=lambda e: e.year)
    years = tuple(e.year for e in entries)
    if not entries:
        raise ValueError("nothing to compare")
    if len(set(years)) != len(years):
        raise ValueError(f"a year appears twice: {years}")
    rule_names = {e.result.rules for e in entries if e.result is not None}
    if len(rule_names) > 1:
        raise ValueError(f"results scored under different rule sets: {sorted(rule_names)}")
    latest = entries[-1]
    money_unit = latest.targets.money_unit
    scopes = _scopes(entries, money_unit)
    flags = _flags(scopes, years)
    costs = tuple(_costs(scopes, years))
    flags += tuple(_cost_flags(costs, scopes, years, money_unit))
    order = {s.key: n for n, s in enumerate(scopes)}
    line_order = {line.key: n for s in scopes for n, line in enumerate(s.lines)}
    kinds = list(FlagKind)
    flags = tuple(sorted(flags, key=lambda f: (
        f.year, order[f.scope_key], -1 if f.line is None else line_order[f.line], kinds.index(f.kind))))
    scored = [e.result for e in entries if e.result is not None]
    inputs = tuple((e.year, f) for e in entries if e.result is not None for f in e.result.inputs
                   if f.role != "rules")
    inputs += tuple((e.year, InputFile("targets", e.targets.source or "", e.targets.sha256 or ""))
                    for e in entries if e.result is None)
    rules_input = next((f for r in scored for f in r.inputs if f.role == "rules"), None)
    if rules_input is not None:
        inputs += ((latest.year, rules_input),)
    return Comparison(
        department=latest.targets.department,
        names=tuple(e.targets.department for e in entries),
        slug=slug,
        years=years,
        has_actuals=tuple(e.result is not None for e in entries),
        rules=scored[-1].rules if scored else "",
        rules_title=scored[-1].rules_title if scored else "",
        tool_version=scored[-1].tool_version if scored else "",
        money_unit=money_unit,
        scopes=scopes,
        flags=flags,
        costs=costs,
        inputs=tuple(sorted(inputs, key=lambda pair: (pair[0], _ROLE_ORDER.get(pair[1].role, 9)))),
        missing_actuals=tuple(e.year for e in entries if e.result is None),
    )


_ROLE_ORDER = {"targets": 0, "actuals": 1, "rules": 2}


_YEAR_IN_NAME = re.compile(r"(?:19|20)\d{2}(?=年)")


def normalise_name(name: str) -> str:
    """Return a name as matching compares it: NFKC, no whitespace or punctuation, case folded, and
    without year numbers ("2023年度内按时完成" and "2024年度内按时完成" are the same indicator)."""
    text = _YEAR_IN_NAME.sub("", unicodedata.normalize("NFKC", name))
    return "".join(ch for ch in text if not unicodedata.category(ch).startswith(("P", "Z", "C"))).casefold()


@dataclass
class _Scope:
    """A scope in one year while matching: its id, name, evaluation and cells."""

    id: str | None
    name: str
    year: ScopeYear
    cells: list[Cell]


def _year_scopes(entry: YearInput, money_unit: str) -> list[_Scope]:
    """Return the scopes of one year (department first, then the funds in file order) with their cells."""
    targets, result = entry.targets, entry.result
    evaluations: dict[str | None, Evaluation] = {}
    if result is not None:
        evaluations = {e.id if e.scope == "project" else None: e for e in result.evaluations}
    scopes = []
    parts: list[tuple[str | None, str, tuple[Indicator, ...], Decimal | None]] = [
        (None, "部门整体支出", targets.indicators, targets.budget.total)]
    parts += [(p.id, p.name, p.indicators, p.amount) for p in targets.projects]
    for scope_id, name, indicators, planned in parts:
        evaluation = evaluations.get(scope_id)
        scores = {i.id: i for i in evaluation.indicators} if evaluation is not None else {}
        cells = [_cell(entry.year, indicator, scores.get(indicator.id)) for indicator in indicators]
        year = _scope_year(entry, scope_id, name, evaluation, planned, len(indicators), money_unit)
        scopes.append(_Scope(scope_id, name, year, cells))
    return scopes


def _money(amount: Decimal | None, unit: str, to_unit: str) -> Decimal | None:
    if amount is None or unit == to_unit:
        return amount
    return convert(amount, unit, to_unit)


def _scope_year(
    entry: YearInput, scope_id: str | None, name: str, evaluation: Evaluation | None, planned: Decimal | None,
    count: int, money_unit: str,
) -> ScopeYear:
    unit = entry.targets.money_unit
    if evaluation is None:
        return ScopeYear(
            year=entry.year, id=scope_id, name=name, planned=_money(planned, unit, money_unit), initial=None,
            adjusted=None, executed=None, rate=None, execution_points=None, execution_score=None, total=None,
            grade=None, groups=(), indicators=count, has_actuals=False,
        )
    ex = evaluation.execution
    return ScopeYear(
        year=entry.year, id=scope_id, name=name, planned=_money(planned, unit, money_unit),
        initial=_money(ex.initial, unit, money_unit), adjusted=_money(ex.adjusted, unit, money_unit),
        executed=_money(ex.executed, unit, money_unit), rate=ex.rate, execution_points=ex.points,
        execution_score=ex.score, total=evaluation.total, grade=evaluation.grade, groups=evaluation.groups,
        indicators=count, has_actuals=True,
    )


def _cell(year: int, indicator: Indicator, score: IndicatorScore | None) -> Cell:
    target = parse_value(indicator.target)
    single = target.op in _SINGLE_OPS and target.number is not None
    if score is not None:
        direction = score.direction
    else:
        from evaluator.rows import direction_of  # the same inference the scoring used

        direction = direction_of(indicator, target)[0].value
    actual_value = None
    if score is not None and score.actual is not None and single:
        actual = parse_value(score.actual)
        if actual.is_numeric and actual.op is not Op.RANGE:
            actual_value = in_unit(actual.number, actual.unit, target.unit)
    return Cell(
        year=year, id=indicator.id, name=indicator.name, level1=indicator.level1, level2=indicator.level2,
        target=indicator.target, direction=direction, target_value=target.number if single else None,
        unit=target.unit if single else None, actual=score.actual if score is not None else None,
        actual_value=actual_value, points=score.points if score is not None else None,
        score=score.score if score is not None else None, status=score.status if score is not None else None,
        completion=_completion(score), matched="first",
    )


def in_unit(number: Decimal | None, unit: str | None, to_unit: str | None) -> Decimal | None:
    """Return ``number`` in ``to_unit``; a missing unit on either side is taken as the same unit."""
    if number is None:
        return None
    if unit is None or to_unit is None or unit == to_unit:
        return number
    return convert(number, unit, to_unit)


def _completion(score: IndicatorScore | None) -> Decimal | None:
    """Return how far the target was reached, direction-aware (1 = on target); None when not numeric."""
    if score is None or score.ratio is None or score.direction == "qualitative":
        return None
    if score.direction == "lower":
        return (1 / score.ratio).quantize(Decimal("0.0001")) if score.ratio else None
    return score.ratio


def _scopes(entries: Sequence[YearInput], money_unit: str) -> tuple[ScopeTrack, ...]:
    per_year = [_year_scopes(e, money_unit) for e in entries]
    # funds are matched like indicators: by id, then by name; the department is always itself
    fund_tracks = _match(
        [[s for s in scopes if s.id is not None] for scopes in per_year],
        key_id=lambda s: s.id or "", key_name=lambda s: normalise_name(s.name),
    )
    tracks: list[tuple[str | None, list[_Scope | None], str]] = [
        (None, [scopes[0] for scopes in per_year], "id")]
    tracks += [(next(s for s in reversed(track) if s is not None).id, track, how)
               for track, how in fund_tracks]
    used: set[str] = set()
    result = []
    for scope_id, track, how in tracks:
        key = _safe_key("fund", scope_id, used) if scope_id is not None else DEPARTMENT
        used.add(key)
        lines = _match(
            [s.cells if s is not None else [] for s in track],
            key_id=lambda c: c.id, key_name=lambda c: normalise_name(c.name),
        )
        line_keys: set[str] = set()
        built = []
        for cells, line_how in lines:
            latest = next(c for c in reversed(cells) if c is not None)
            line_key = _safe_key(key, latest.id, line_keys)
            line_keys.add(line_key)
            built.append(Line(line_key, key, tuple(cells), line_how))
        result.append(ScopeTrack(
            key=key, kind=DEPARTMENT if scope_id is None else "project",
            years=tuple(s.year if s is not None else None for s in track), lines=tuple(built), match=how,
        ))
    return tuple(result)


def _safe_key(prefix: str, ident: str | None, used: set[str]) -> str:
    safe = re.sub(r"[^A-Za-z0-9_-]", "", ident or "") or "x"
    key = f"{prefix}-{safe}"
    number = 2
    while key in used:
        key = f"{prefix}-{safe}-{number}"
        number += 1
    return key


@dataclass(eq=False)  # compared by identity: two tracks may hold equal items
class _Track(Generic[T]):
    """One line while matching: its item in each year, the latest id and name, and how it was joined."""

    items: list[T | None]
    id: str = ""
    name: str = ""
    how: set[str] = field(default_factory=set)


def _match(years: list[list[T]], *, key_id: Callable[[T], str], key_name: Callable[[T], str]
           ) -> list[tuple[list[T | None], str]]:
    """Group items of successive years into lines: by id first, then by normalised name.

    Returns, per line, the item of each year (None where absent) and how the line was matched
    (id, name, or single when it has one year only). A line new in a year is placed right after the
    line of the item that precedes it in that year's table, so that the order of the tables is kept.
    """
    tracks: list[_Track[T]] = []
    for position, items in enumerate(years):
        open_tracks = [t for t in tracks if t.items[position] is None]
        track_of: dict[int, _Track[T]] = {}
        by_id: dict[str, _Track[T]] = {}
        for track in open_tracks:
            by_id.setdefault(track.id, track)
        for index, item in enumerate(items):
            track = by_id.get(key_id(item))
            if track is not None and track.items[position] is None:
                track_of[index] = track
                track.items[position] = item
                track.how.add("id")
        by_name: dict[str, list[_Track[T]]] = {}
        for track in open_tracks:
            if track.items[position] is None:
                by_name.setdefault(track.name, []).append(track)
        for index, item in enumerate(items):
            candidates = by_name.get(key_name(item)) if index not in track_of else None
            if candidates:
                track = candidates.pop(0)
                track_of[index] = track
                track.items[position] = item
                track.how.add("name")
        for index, item in enumerate(items):
            if index not in track_of:
                track = _Track([None] * len(years))
                track.items[position] = item
                before = track_of.get(index - 1)
                tracks.insert(tracks.index(before) + 1 if before is not None else _first_of_year(tracks, position),
                              track)
                track_of[index] = track
            track_of[index].id, track_of[index].name = key_id(item), key_name(item)
    result = []
    for track in tracks:
        present = sum(1 for item in track.items if item is not None)
        how = "single" if present == 1 else ("name" if "name" in track.how else "id")
        result.append((_with_match(track.items), how))
    return result


def _first_of_year(tracks: list[_Track[T]], position: int) -> int:
    """Where a line new in this year goes when it is first in its table: before that year's other lines."""
    return next((at for at, track in enumerate(tracks) if track.items[position] is not None), len(tracks))


def _with_match(items: list[T | None]) -> list[T | None]:
    """Record on each cell how it joined its line: by id when the id is the previous year's, else by name."""
    result: list[T | None] = []
    previous: Cell | None = None
    for item in items:
        if isinstance(item, Cell):
            if previous is not None:
                item = replace(item, matched="id" if item.id == previous.id else "name")  # type: ignore[assignment]
            previous = item
        result.append(item)
    return result


# --- flags ---------------------------------------------------------------------------------------------


def _subject(cell: Cell) -> str:
    return f"{cell.id} {cell.name}"


def _flags(scopes: tuple[ScopeTrack, ...], years: tuple[int, ...]) -> tuple[Flag, ...]:
    flags: list[Flag] = []
    for scope in scopes:
        flags.extend(_scope_flags(scope, years))
        for line in scope.lines:
            flags.extend(_ratchet_flags(scope, line))
            flags.extend(_stale_flags(scope, line))
            flags.extend(_presence_flags(scope, line, years))
    return tuple(flags)


def _scope_flags(scope: ScopeTrack, years: tuple[int, ...]) -> list[Flag]:
    flags = []
    for position in range(1, len(years)):
        before, now = scope.years[position - 1], scope.years[position]
        if before is not None and now is None and scope.kind != DEPARTMENT:
            flags.append(Flag(FlagKind.SCOPE_DROPPED, years[position], scope.key, before.name, None, before.name,
                              f"{years[position]}年不再设该专项（{before.year}年金额"
                              f"{fmt(before.planned)}，指标{before.indicators}个）"))
        if before is None and now is not None and scope.kind != DEPARTMENT:
            flags.append(Flag(FlagKind.SCOPE_ADDED, years[position], scope.key, now.name, None, now.name,
                              f"{years[position]}年新设该专项（金额{fmt(now.planned)}，指标{now.indicators}个）"))
        if before is not None and now is not None and before.grade and now.grade and before.grade != now.grade:
            flags.append(Flag(
                FlagKind.GRADE_CHANGE, years[position], scope.key, now.name, None, now.name,
                f"等级由{before.year}年的“{before.grade}”变为{now.year}年的“{now.grade}”"
                f"（总分{fmt(before.total, 2)}→{fmt(now.total, 2)}）",
            ))
    return flags


def _ratchet_flags(scope: ScopeTrack, line: Line) -> list[Flag]:
    """A target set below last year's actual (a cap set above it, when lower is better)."""
    flags = []
    for position in range(1, len(line.cells)):
        before, now = line.cells[position - 1], line.cells[position]
        if before is None or now is None or now.target_value is None or before.actual_value is None:
            continue
        last = in_unit(before.actual_value, before.unit, now.unit)
        if last is None:
            continue
        if now.direction == "higher" and now.target_value < last:
            text = f"{now.year}年目标“{now.target}”低于{before.year}年实际完成值“{before.actual}”（越高越好）"
        elif now.direction == "lower" and now.target_value > last:
            text = f"{now.year}年目标上限“{now.target}”高于{before.year}年实际值“{before.actual}”（越低越好）"
        else:
            continue
        text += _against_last_target(before, now)
        flags.append(Flag(FlagKind.TARGET_BELOW_ACTUAL, now.year, scope.key, scope.name, line.key,
                          _subject(now), text))
    return flags


def _against_last_target(before: Cell, now: Cell) -> str:
    """Say whether the target itself was kept, loosened or tightened against last year's target."""
    if _target_key(before) == _target_key(now):
        return "，目标与上年相同"
    last = in_unit(before.target_value, before.unit, now.unit)
    if last is None or now.target_value is None:
        return f"，上年目标为“{before.target}”"
    looser = now.target_value < last if now.direction == "higher" else now.target_value > last
    tighter = now.target_value > last if now.direction == "higher" else now.target_value < last
    if looser:
        return f"，且比上年目标“{before.target}”更宽松"
    if tighter:
        return f"，虽比上年目标“{before.target}”有所提高，仍未达到上年实际"
    return f"，上年目标为“{before.target}”"


def _target_key(cell: Cell) -> tuple[object, ...]:
    if cell.target_value is not None:
        return ("number", parse_value(cell.target).op.value, cell.target_value, cell.unit)
    return ("text", normalise_name(cell.target))


def _over_achieved(cell: Cell) -> bool:
    if cell.status == "exceeded":
        return True
    return cell.status == "met" and cell.completion is not None and cell.completion >= OVER_ACHIEVED_RATIO


def _stale_flags(scope: ScopeTrack, line: Line) -> list[Flag]:
    """The same target kept while it was over-achieved in two or more of those years."""
    flags = []
    run: list[Cell] = []
    for cell in [*line.cells, None]:
        if run and (cell is None or _target_key(cell) != _target_key(run[0])):
            over = [c for c in run if _over_achieved(c)]
            if len(over) >= STALE_YEARS:
                shares = "、".join(f"{c.year}年{fmt((c.completion or 0) * 100, 0)}%" for c in over)
                span = f"{run[0].year}—{run[-1].year}年" if len(run) > 1 else f"{run[0].year}年"
                flags.append(Flag(
                    FlagKind.TARGET_STALE, over[-1].year, scope.key, scope.name, line.key, _subject(over[-1]),
                    f"目标“{run[-1].target}”{span}未调整，其中{len(over)}年超额完成（完成目标的{shares}），"
                    "目标可能设定偏低",
                ))
            run = []
        if cell is not None:
            run.append(cell)
    return flags


def _presence_flags(scope: ScopeTrack, line: Line, years: tuple[int, ...]) -> list[Flag]:
    """Indicators dropped or added from one year to the next, where the scope exists in both years."""
    flags = []
    for position in range(1, len(years)):
        if scope.years[position - 1] is None or scope.years[position] is None:
            continue
        before, now = line.cells[position - 1], line.cells[position]
        if before is not None and now is None:
            actual = f"，实际“{before.actual}”" if before.actual is not None else ""
            flags.append(Flag(FlagKind.DROPPED, years[position], scope.key, scope.name, line.key, _subject(before),
                              f"{years[position]}年不再设该指标（{before.year}年目标“{before.target}”{actual}）"))
        if before is None and now is not None:
            flags.append(Flag(FlagKind.ADDED, years[position], scope.key, scope.name, line.key, _subject(now),
                              f"{years[position]}年新增该指标，目标“{now.target}”"))
    return flags


def _is_count(cell: Cell) -> bool:
    return "数量" in cell.level2 and cell.unit not in ("%", "‰", "百分点") and cell.actual_value is not None


def _costs(scopes: tuple[ScopeTrack, ...], years: tuple[int, ...]) -> list[CostTrack]:
    """Cost per output of every 数量指标 with a numeric actual in two or more years."""
    tracks = []
    for scope in scopes:
        for line in scope.lines:
            counted = [c for c in line.cells if c is not None and _is_count(c)]
            if len(counted) < 2:
                continue
            unit = line.latest.unit or counted[-1].unit or ""
            points: list[CostPoint | None] = []
            for position, cell in enumerate(line.cells):
                year = scope.years[position]
                if cell is None or year is None or not _is_count(cell):
                    points.append(None)
                    continue
                count = in_unit(cell.actual_value, cell.unit, unit)
                executed = year.executed
                cost = executed / count if executed is not None and count else None
                points.append(CostPoint(years[position], executed, count, cost))
            tracks.append(CostTrack(line.key, scope.key, scope.name, _subject(line.latest), unit, tuple(points)))
    return tracks


def _cost_flags(
    costs: tuple[CostTrack, ...], scopes: tuple[ScopeTrack, ...], years: tuple[int, ...], money_unit: str
) -> list[Flag]:
    """Spending up by more than 10 % from one year to the next while the count grew by less than 5 %."""
    flags = []
    lines = {line.key: line for scope in scopes for line in scope.lines}
    for track in costs:
        for position in range(1, len(years)):
            before, now = track.points[position - 1], track.points[position]
            cell = lines[track.line].cells[position]
            if before is None or now is None or not before.executed or not before.count:
                continue
            if now.executed is None or now.count is None:
                continue
            spending = now.executed / before.executed - 1
            output = now.count / before.count - 1
            if spending > SPENDING_GROWTH and output < OUTPUT_GROWTH:
                flags.append(Flag(
                    FlagKind.COST_UP, now.year, track.scope_key, track.scope, track.line,
                    _subject(cell) if cell is not None else track.subject,
                    f"{track.scope}全年执行数由{fmt(before.executed, 2)}{money_unit}增至{fmt(now.executed, 2)}"
                    f"{money_unit}（{_signed_pct(spending)}），实际完成值由{fmt(before.count)}{track.unit}变为"
                    f"{fmt(now.count)}{track.unit}（{_signed_pct(output)}）；每{track.unit}支出由"
                    f"{fmt(before.cost, 2)}{money_unit}升至{fmt(now.cost, 2)}{money_unit}",
                ))
    return flags


def _signed_pct(fraction: Decimal) -> str:
    sign = "+" if fraction >= 0 else "−"
    return f"{sign}{fmt(abs(fraction) * 100, 1)}%"


# --- from files -----------------------------------------------------------------------------------------

_YEAR_DIR = re.compile(r"^\d{4}$")


def parse_years(text: str | None) -> tuple[int, int] | None:
    """Read ``--years``: "2021-2025" (both included) or one year "2023"; None means every year found.

    Anything else raises InputError; the command turns it into a usage error (exit code 2).
    """
    if text is None or not text.strip():
        return None
    match = re.fullmatch(r"\s*(\d{4})\s*(?:[-–—~至到]\s*(\d{4}))?\s*", text)
    if match is None:
        hint = "比较的是连续的年度：起止年度之间用“-”连接，如 2022-2024。" if re.search(r"[,，、;；\s]", text.strip()) \
            else "年度写四位数字，如 2023；年度范围写起止年度，如 2021-2025。"
        raise InputError(f"年度范围应写成“2021-2025”（起止年度）或“2023”（单个年度），实际是“{text}”", hint=hint)
    first = int(match[1])
    last = int(match[2]) if match[2] else first
    if last < first:
        raise InputError(f"起始年度 {first} 晚于结束年度 {last}", hint=f"写成 {last}-{first}。")
    return first, last


def year_folders(root: Path) -> list[tuple[int, Path]]:
    """Return the ``<year>`` folders under ``root``, oldest first."""
    if not root.is_dir():
        return []
    return sorted((int(p.name), p) for p in root.iterdir() if p.is_dir() and _YEAR_DIR.match(p.name))


def department_slugs(targets_dir: Path) -> list[str]:
    """Return every department slug that has a targets file in some year, sorted."""
    return sorted({p.stem for _, folder in year_folders(targets_dir) for p in folder.glob("*.yaml")})


def compare_files(
    slug: str,
    *,
    targets_dir: Path | str = "targets",
    actuals_dir: Path | str = "actuals",
    years: tuple[int, int] | None = None,
    rules: str | Path = "national-2020",
) -> Comparison:
    """Load, score and compare every year of one department; raise InputErrors naming what is wrong.

    A year with a targets file and no actuals file is compared on its targets only.
    """
    from evaluator.batch import find_actuals
    from evaluator.load import load_inputs
    from evaluator.rules import load_rules
    from evaluator.scoring import evaluate

    targets_root, actuals_root = Path(targets_dir), Path(actuals_dir)
    if not targets_root.is_dir():
        raise InputError(f"目标文件夹“{targets_root.as_posix()}”不存在",
                         hint="用 --targets-dir 指定存放 <年度>/<部门>.yaml 的文件夹。")
    found = [(year, folder / f"{slug}.yaml") for year, folder in year_folders(targets_root)
             if (folder / f"{slug}.yaml").is_file()]
    if not found:
        known = department_slugs(targets_root)
        listed = "、".join(known) if known else "（没有任何目标文件）"
        raise InputError(f"在 {targets_root.as_posix()}/<年度>/ 中找不到部门“{slug}”的目标文件",
                         hint=f"可用的部门：{listed}")
    if years is not None:
        have = "、".join(str(y) for y, _ in found)
        found = [(year, path) for year, path in found if years[0] <= year <= years[1]]
        if not found:
            raise InputError(f"部门“{slug}”在 {years[0]}—{years[1]} 年没有目标文件（有目标文件的年度：{have}）")
    if len(found) < 2:
        raise InputError(f"部门“{slug}”只有 {found[0][0]} 年的目标文件，比较至少需要两个年度",
                         hint="单个年度请用 evaluator report。")
    rule_set = load_rules(rules)
    entries, problems = [], []
    for year, targets_path in found:
        actuals_path = find_actuals(actuals_root / str(year), slug)
        try:
            targets, actuals = load_inputs(targets_path, actuals_path)
        except InputErrors as error:
            problems.extend(error.problems)
            continue
        if targets.year != year:
            problems.append(Problem(
                Location(file=display_path(targets_path), key="year"),
                f"文件在 {year} 年的文件夹中，但 year 写的是 {targets.year}",
                "把文件放到对应年度的文件夹，或改正 year。", code="year-mismatch"))
            continue
        result = evaluate(targets, actuals, rule_set) if actuals is not None else None
        entries.append(YearInput(year, targets, result))
    if problems:
        raise InputErrors(problems)
    return compare_years(entries, slug=slug)

