"""Score targets against actuals under a rule set: (Targets, Actuals, RuleSet) → Result.

1. ``rows.indicator_table`` prepares one row per indicator of every scope (parsing, units, points).
2. ``arithmetic.score_columns`` scores the whole table at once with the rule book, exactly rounded.
3. The Result is assembled: one Evaluation per scope, an explanation per row from the rule that
   scored it, the review of any score the department claimed, and the 待确认 (pending) indicators
   first among the warnings, each with its fix.

``evaluate_many`` does this for many departments with ONE table: every row of every scope of every
department is scored by one ``score_columns`` call, then cut back into one Result per department.
``evaluate`` is the one-department case of the same path, so both give identical results.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from evaluator.decimals import round_half_up
from evaluator.errors import Location, Problem, Severity, entry_location
from evaluator.io.yamlread import gc_paused
from evaluator.language.values import Direction, Value, describe
from evaluator.model import Actuals, PreviousYear, Targets
from evaluator.results.scores import Evaluation, GroupScore, IndicatorScore, InputFile, Result
from evaluator.scoring.arithmetic import rows_columns, score_columns
from evaluator.scoring.claims import review_evaluation, review_execution, review_indicator
from evaluator.scoring.execution import score_execution
from evaluator.scoring.explain import explain
from evaluator.scoring.prepared import Row
from evaluator.scoring.rows import indicator_table
from evaluator.version import __version__

if TYPE_CHECKING:
    from evaluator.rules import RuleSet

__all__ = ["evaluate", "evaluate_many", "stale_workbook"]

_TIER_STATUS = {"达成": "qualitative-met", "部分达成": "qualitative-partial", "未达成": "qualitative-unmet"}
Outcome = tuple[str, int, bool, bool]  # rule, cents, met, over
_RATIO_KINDS = frozenset({"higher", "lower", "two-sided", "range"})  # the kinds whose actual/target ratio is shown


def evaluate(targets: Targets, actuals: Actuals | None, rules: RuleSet, *,
             previous: PreviousYear | None = None) -> Result:
    """Score every scope of a department and return the Result (formats.md §3).

    ``previous`` is the year before (``io.previous.previous_year`` loads it from the files), needed only
    by targets written as a change from last year; without it such indicators are 待确认.
    """
    return evaluate_many([(targets, actuals)], rules, previous=[previous])[0]


def evaluate_many(
    items: Sequence[tuple[Targets, Actuals | None]], rules: RuleSet, *,
    previous: Sequence[PreviousYear | None] | None = None,
) -> list[Result]:
    """Score many departments as ONE table and return their Results, in the order given.

    Each item is one department's (targets, actuals); ``previous``, when given, holds each one's
    previous year (or None), in the same order. The results are identical to ``evaluate`` called
    on each item alone: the rows of all departments are prepared, scored by one ``score_columns`` call
    (one rule book over one table), and cut back by position.
    """
    if previous is not None and len(previous) != len(items):
        raise ValueError(f"previous has {len(previous)} entries for {len(items)} departments")
    # The rows, scores and explanations are about ten new objects per indicator, without cycles: the cycle
    # collector would scan them over and over while they are built (half a second for 100,000 indicators).
    with gc_paused():
        return _evaluate_many(items, rules, previous)


def _evaluate_many(
    items: Sequence[tuple[Targets, Actuals | None]], rules: RuleSet, previous: Sequence[PreviousYear | None] | None,
) -> list[Result]:
    prepared = []
    all_rows: list[Row] = []
    for position, (targets, given) in enumerate(items):
        actuals = given or Actuals(year=targets.year, department=targets.department, money_unit=targets.money_unit)
        before = previous[position] if previous is not None else None
        rows, warnings = indicator_table(targets, actuals, rules, before)
        prepared.append((targets, actuals, before, len(all_rows), rows, warnings))
        all_rows.extend(rows)
    scored = score_columns(rows_columns(all_rows), rules)
    outcomes: list[Outcome] = list(zip(scored.rule.tolist(), scored.cents.tolist(), scored.met.tolist(),
                                       scored.over.tolist(), strict=True))
    words = _ValueWords()
    return [_result(targets, actuals, before, rows, outcomes[start:start + len(rows)], warnings, rules, words)
            for targets, actuals, before, start, rows, warnings in prepared]


class _ValueWords:
    """The JSON "parsed" object and the 理解为 text of each distinct value, made once and shared.

    ``parse_value`` gives one Value object for equal texts (it is cached), so the 200,000 values of a
    department of 100,000 indicators are about 19,000 objects. Their dicts and texts are made once per
    object and shared by the IndicatorScores, which never change them: 35 MB and a fifth of a second
    less. Keyed by ``id`` (hashing a Value's fields takes six times as long as looking up its id), the
    Value kept beside its words so that its id cannot be reused while this object lives.
    """

    def __init__(self) -> None:
        self._parsed: dict[int, tuple[Value, dict[str, Any]]] = {}
        self._understood: dict[tuple[int, Direction], tuple[Value, str]] = {}

    def parsed(self, value: Value) -> dict[str, Any]:
        found = self._parsed.get(id(value))
        if found is None:
            found = self._parsed[id(value)] = (value, value.to_json())
        return found[1]

    def understood(self, value: Value, direction: Direction) -> str:
        key = (id(value), direction)
        found = self._understood.get(key)
        if found is None:
            found = self._understood[key] = (value, describe(value, direction))
        return found[1]


def _result(
    targets: Targets, actuals: Actuals, previous: PreviousYear | None, rows: list[Row], outcomes: list[Outcome],
    warnings: list[Problem], rules: RuleSet, words: _ValueWords,
) -> Result:
    stale = stale_workbook(targets, actuals)
    if stale is not None:
        warnings.insert(0, stale)
    evaluations = []
    scopes: list[tuple[str | None, str]] = [(None, "部门整体支出")]
    scopes += [(p.id, p.name) for p in targets.projects]
    positions_of: dict[str | None, list[int]] = {}  # each scope's rows, in one pass over the table
    for position, row in enumerate(rows):
        positions_of.setdefault(row.scope, []).append(position)
    for scope_id, name in scopes:
        positions = positions_of.get(scope_id, [])
        scores = [_indicator_score(rows[p], *outcomes[p], rules, words) for p in positions]
        budget, _ = actuals.for_scope(scope_id)
        execution = score_execution(budget, rules, actuals.source)
        evaluation = _evaluation(scope_id, name, scores, execution, rules, actuals, targets)
        if scope_id is not None or targets.indicators or budget is not None:
            evaluations.append(evaluation)
            warnings.extend(_execution_warnings(evaluation, actuals.source))  # not for a department without a table
        warnings.extend(_row_warnings([rows[p] for p in positions], scores, targets, actuals))
    inputs = [InputFile("targets", targets.source or "", targets.sha256 or "")]
    if actuals.source:
        inputs.append(InputFile("actuals", actuals.source, actuals.sha256 or ""))
    if previous is not None and previous.actuals is not None and any("previous-year" in r.flags for r in rows):
        inputs.append(InputFile("previous-actuals", previous.actuals_file or previous.actuals.source or "",
                                previous.actuals.sha256 or ""))
    inputs.append(InputFile("rules", rules.file, rules.sha256))
    pending = [w for w in warnings if w.code == "pending"]
    warnings = pending + [w for w in warnings if w.code != "pending"]
    return Result(
        year=targets.year,
        department=targets.department,
        rules=rules.name,
        rules_title=rules.title,
        tool_version=__version__,
        evaluations=tuple(evaluations),
        warnings=tuple(warnings),
        inputs=tuple(inputs),
    )


def _indicator_score(row: Row, rule: str, cents: int, met: bool, over: bool, rules: RuleSet,
                     words: _ValueWords) -> IndicatorScore:
    indicator, entry = row.indicator, row.entry
    score = Decimal(cents).scaleb(-rules.decimals)
    deduction = entry.deduction if entry else None
    if deduction and row.kind != "pending":
        score = max(score - deduction, Decimal(0))
    score = min(score, row.points)
    status = _status(row, met, over, score)
    flags = list(row.flags)
    if over:
        flags.append("over-achieved")
    ratio = None
    if row.kind in _RATIO_KINDS and row.a and row.b is not None:
        ratio = round_half_up(row.b / row.a, 4)
    explanation = explain(row, rule, score, status, rules)
    claimed = entry.claimed if entry else None
    actual = row.actual_text if row.actual_text is not None else entry.actual if entry else None
    partial = IndicatorScore(
        id=indicator.id, level1=indicator.level1, level2=indicator.level2, name=indicator.name,
        group=row.group_key, group_label=row.group_label, target=indicator.target,
        actual=actual, parsed=words.parsed(row.target),
        parsed_actual=words.parsed(row.actual) if row.actual else None,
        understood=words.understood(row.target, row.direction), direction=row.direction.value,
        direction_reason=row.direction_reason, points=row.points, points_source=row.points_source,
        score=score, ratio=ratio, status=status, explanation=explanation, claimed=claimed,
        reason=entry.reason if entry else None, measure=entry.measure if entry else None,
        evidence=entry.evidence if entry else None, deduction=deduction,
        deduction_reason=entry.deduction_reason if entry else None, flags=tuple(flags),
        standard=indicator.standard, rule=rule, fix=row.fix,
    )
    review = review_indicator(partial)
    return partial if review is None else replace(partial, review=review)


def _status(row: Row, met: bool, over: bool, score: Decimal) -> str:
    if row.kind in ("missing", "invalid", "pending"):
        return row.kind
    if row.kind == "qualitative":
        assert row.tier is not None
        return _TIER_STATUS[row.tier]
    if met:
        return "exceeded" if over else "met"
    return "partial" if score > 0 else "unmet"


def _evaluation(
    scope_id: str | None, name: str, scores: list[IndicatorScore], execution: Any, rules: RuleSet,
    actuals: Actuals, targets: Targets,
) -> Evaluation:
    indicator_total = sum((s.score for s in scores), Decimal(0))
    total = min(indicator_total + (execution.score or Decimal(0)), Decimal(100))
    groups = []
    for group in rules.groups:
        members = [s for s in scores if s.group == group.key]
        if members:
            groups.append(GroupScore(
                group.key, group.label, sum((s.points for s in members), Decimal(0)),
                sum((s.score for s in members), Decimal(0)), len(members),
            ))
    claimed_total = actuals.claimed_total if scope_id is None else (
        actuals.projects[scope_id].claimed_total if scope_id in actuals.projects else None
    )
    evaluation = Evaluation(
        scope="department" if scope_id is None else "project", id=scope_id, name=name,
        total=total, grade=rules.grade(total), execution=execution, indicators=tuple(scores),
        groups=tuple(groups), claimed_total=claimed_total,
    )
    execution_review = review_execution(evaluation)
    if execution_review:
        evaluation = replace(evaluation, execution=replace(execution, review=execution_review))
    review = review_evaluation(evaluation)
    if review:
        evaluation = replace(evaluation, review=tuple(review))
    return evaluation


def _execution_warnings(evaluation: Evaluation, file: str | None) -> list[Problem]:
    ex = evaluation.execution
    where = Location(file=file, key=evaluation.name)
    if ex.status == "missing":
        return [Problem(where, f"{evaluation.name}：未填报预算执行数（年初预算数、全年预算数、全年执行数）",
                        "在实际值文件的 budget 中填写。", severity=Severity.WARNING, code="budget-missing")]
    if ex.status == "zero-budget":
        return [Problem(where, f"{evaluation.name}：预算数为0，无法计算执行率，预算执行不计分",
                        severity=Severity.WARNING, code="budget-zero")]
    return []


def _row_warnings(rows: list[Row], scores: list[IndicatorScore], targets: Targets, actuals: Actuals) -> list[Problem]:
    problems = []
    for row, score in zip(rows, scores, strict=True):
        if not (row.kind in ("pending", "invalid") or "scale-assumed" in row.flags or "base-differs" in row.flags
                or (row.entry is not None and row.entry.deduction)):
            continue  # nothing to warn about (most rows): no location to make
        where = entry_location(actuals.source, row.entry, indicator=score.id)
        if row.kind in ("pending", "invalid") and row.fix_in == "targets":
            where = Location(file=targets.source, line=row.indicator.line, indicator=score.id)
        if row.kind == "pending" and row.problem:
            problems.append(Problem(where, f"{score.name}：待确认——{row.problem}，暂不计分（总分为暂定）",
                                    row.fix or "", severity=Severity.ERROR, code="pending"))
        if row.kind == "invalid" and row.problem:
            problems.append(Problem(where, f"{score.name}：{row.problem}，计0分", row.fix or "",
                                    severity=Severity.ERROR, code="unreadable"))
        if "scale-assumed" in row.flags:
            note = next((n for n in row.notes if "按目标的量级" in n), "")
            problems.append(Problem(where, f"{score.name}：{note}",
                                    "实际值请写明单位（如“92%”“48万元”），以免误读。", severity=Severity.WARNING,
                                    code="scale-assumed"))
        if "base-differs" in row.flags:
            note = next((n for n in row.notes if "按基础数据计算" in n), "")
            problems.append(Problem(where, f"{score.name}：{note}", "核对实际值或基础数据（base）。",
                                    severity=Severity.WARNING, code="base-differs"))
        if row.entry is not None and row.entry.deduction and not row.entry.deduction_reason:
            problems.append(Problem(where, f"{score.name}：扣减 {row.entry.deduction:f} 分但未写扣减理由",
                                    "填写 deduction_reason。", severity=Severity.WARNING, code="deduction-reason"))
    return problems


def stale_workbook(targets: Targets, actuals: Actuals) -> Problem | None:
    """A warning when an entry workbook was made from another version of the targets file."""
    if not (actuals.targets_sha256 and targets.sha256) or actuals.targets_sha256 == targets.sha256:
        return None
    return Problem(
        Location(file=actuals.source, sheet="元数据"),
        f"这份填报表是根据另一个版本的目标文件生成的（生成时的 SHA-256 为 {actuals.targets_sha256[:12]}…，"
        f"现在的目标文件 {targets.source} 为 {targets.sha256[:12]}…）",
        "目标已修改：用 evaluator template 重新生成填报表，把已填的内容复制过去，再核对新增或修改的指标。",
        severity=Severity.WARNING, code="stale-workbook",
    )

