"""`evaluator check`: validate the files, show how every value was understood, list every finding.

Without actuals it checks the targets (files, values, directions, points, the forms' arithmetic,
target quality). With actuals it is the pre-submission review a finance bureau would do: missing
actuals, shortfalls without a reason, units, low execution, scores far above execution, claimed
scores the rules do not support. Indicators the tool cannot decide (待确认) come first, each with the
cell to change and the words that would do: until they are fixed, every total is 暂定.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from evaluator.checks.quality import target_quality
from evaluator.checks.submission import submission_findings
from evaluator.errors import Location, Problem, Severity, entry_location
from evaluator.forms.audit import audit_targets
from evaluator.io.load import load_inputs
from evaluator.io.previous import previous_year
from evaluator.language.direction import understand_target
from evaluator.language.values import Direction, Op, describe, parse_value
from evaluator.model import Acknowledgement, Actuals, Indicator, Targets
from evaluator.results.jsontext import Lazy, pieces
from evaluator.results.scores import Result
from evaluator.rules import RuleSet, load_rules
from evaluator.scoring import evaluate
from evaluator.scoring.allocation import allocate

__all__ = ["CheckReport", "UnderstoodRow", "incomplete_problems", "review_problems", "run_checks"]


@dataclass(frozen=True, slots=True)  # slots: one per indicator, 100,000 in a large department
class UnderstoodRow:
    """How one indicator's target (and actual) was read."""

    scope: str
    id: str
    name: str
    level2: str
    target: str
    understood: str
    direction: str
    direction_reason: str
    points: Decimal | None = None
    actual: str | None = None
    actual_understood: str | None = None
    score: Decimal | None = None
    status: str | None = None
    fix: str | None = None  # 待确认: what to change, and where


@dataclass
class CheckReport:
    """What `check` found: how each indicator was understood, the problems left, and the warnings that the
    actuals file acknowledges (each with the acknowledgement that covers it)."""

    targets: Targets | None
    actuals: Actuals | None
    rows: list[UnderstoodRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    acknowledged: list[tuple[Problem, Acknowledgement]] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        """An error, or a warning nobody has acknowledged: `check` exits 1."""
        return any(p.severity in (Severity.ERROR, Severity.WARNING) for p in self.problems)

    def counts(self) -> dict[str, int]:
        return {s.value: sum(1 for p in self.problems if p.severity is s) for s in Severity}

    @property
    def pending(self) -> list[UnderstoodRow]:
        """The 待确认 indicators, first in every output of `check`."""
        return [r for r in self.rows if r.fix is not None and r.score is None]

    def dumps(self) -> str:
        return "".join(self.iter_json())

    def iter_json(self) -> Iterator[str]:
        """The JSON text of the report in pieces (``json.dumps(indent=2)``'s characters), row by row."""
        payload: dict[str, Any] = {
            "targets": self.targets.source if self.targets else None,
            "actuals": self.actuals.source if self.actuals else None,
            "ok": not self.failed,
            "pending": len(self.pending),
            "counts": self.counts(),
            "indicators": Lazy(self.rows, _row_json),
            "problems": Lazy(self.problems, Problem.to_dict),
        }
        if self.acknowledged:  # only when there are any: the output of a file without them is unchanged
            payload["acknowledged"] = Lazy(self.acknowledged, _acknowledged_json)
        yield from pieces(payload)
        yield "\n"


def _acknowledged_json(pair: tuple[Problem, Acknowledgement]) -> dict[str, Any]:
    problem, acknowledgement = pair
    return {**problem.to_dict(), "reason": acknowledgement.reason}


def _row_json(r: UnderstoodRow) -> dict[str, Any]:
    return {
        "scope": r.scope, "id": r.id, "name": r.name, "target": r.target, "understood": r.understood,
        "direction": r.direction, "direction_reason": r.direction_reason,
        "points": float(r.points) if r.points is not None else None,
        "actual": r.actual, "actual_understood": r.actual_understood,
        "score": float(r.score) if r.score is not None else None, "status": r.status,
    }


def run_checks(targets_path: Path, actuals_path: Path | None, rules_name: str = "national-2020") -> CheckReport:
    """Load and check; file errors (malformed YAML, unknown keys …) are raised as InputErrors."""
    targets, actuals = load_inputs(targets_path, actuals_path)
    rules = load_rules(rules_name)
    report = CheckReport(targets, actuals)
    report.problems.extend(incomplete_problems(targets))
    report.problems.extend(_audit(targets))
    report.problems.extend(target_quality(targets))
    if actuals is None:
        for scope, name, indicators in _scopes(targets):
            allocations, found = allocate(indicators, rules, file=targets.source, scope_name=name)
            report.problems.extend(_as_error(p) for p in found)
            for indicator, allocation in zip(indicators, allocations, strict=True):
                report.rows.append(_understood(scope, indicator, allocation.points))
                report.problems.extend(_ambiguity(targets, indicator))
        return _sorted(report)
    result = evaluate(targets, actuals, rules, previous=previous_year(targets, targets_path, actuals_path))
    actual_words: dict[str, str] = {}  # 理解为 of each distinct actual text, read once (a department repeats them)
    for evaluation in result.evaluations:
        for score in evaluation.indicators:
            actual_understood = None
            if score.actual:
                actual_understood = actual_words.get(score.actual)
                if actual_understood is None:
                    actual_understood = actual_words[score.actual] = describe(parse_value(score.actual))
            report.rows.append(UnderstoodRow(
                scope=evaluation.name, id=score.id, name=score.name, level2=score.level2, target=score.target,
                understood=score.understood, direction=score.direction, direction_reason=score.direction_reason,
                points=score.points, actual=score.actual,
                actual_understood=actual_understood,
                score=None if score.pending else score.score, status=score.status_label,
                fix=score.fix if score.pending else None,
            ))
    report.problems.extend(review_problems(targets, actuals, rules, result, checked_targets=True,
                                           acknowledge=False))
    _acknowledge(report, actuals)
    return _sorted(report)


def review_problems(
    targets: Targets, actuals: Actuals, rules: RuleSet, result: Result, *, checked_targets: bool = False,
    acknowledge: bool = True,
) -> list[Problem]:
    """Return every problem `check` lists for a scored pair, errors first: the pre-submission review.

    ``evaluator batch`` calls this for each department (its counts rank 需要关注的部门, its problems
    fill results.json's ``warnings``). ``checked_targets`` leaves out the targets' own audit and
    quality notes when the caller has already collected them; ``acknowledge`` leaves out the warnings the
    actuals file acknowledges (``acknowledged``), as `check` does.
    """
    problems: list[Problem] = [] if checked_targets else [
        *incomplete_problems(targets), *_audit(targets), *target_quality(targets)]
    for warning in result.warnings:
        problems.append(_as_error(warning) if warning.code in ("points-sum", "points-total") else warning)
    by_id = {i.id: i for i in targets.all_indicators()}
    problems.extend(submission_findings(result, targets, actuals, rules, by_id))
    kept = split_acknowledged(problems, actuals)[0] if acknowledge else problems
    order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
    return sorted(kept, key=lambda p: order[p.severity])


def _acknowledge(report: CheckReport, actuals: Actuals) -> None:
    """Move the warnings the actuals file acknowledges out of the problems, into ``report.acknowledged``."""
    report.problems, acknowledged, notes = split_acknowledged(report.problems, actuals)
    report.acknowledged.extend(acknowledged)
    report.problems.extend(notes)


def split_acknowledged(problems: list[Problem], actuals: Actuals
                       ) -> tuple[list[Problem], list[tuple[Problem, Acknowledgement]], list[Problem]]:
    """Return the problems left, the warnings the actuals file acknowledges (with their acknowledgement),
    and notes on the acknowledgements themselves: an error stays (an error cannot be acknowledged away,
    and a note says so), and an acknowledgement that covers nothing is noted (the warning it meant may
    have been fixed, or its code or indicator may be mistyped)."""
    if not actuals.acknowledged:
        return list(problems), [], []
    kept: list[Problem] = []
    acknowledged: list[tuple[Problem, Acknowledgement]] = []
    used: set[Acknowledgement] = set()
    notes: list[Problem] = []
    for problem in problems:
        acknowledgement = next((a for a in actuals.acknowledged if a.covers(problem)), None)
        if acknowledgement is None:
            kept.append(problem)
            continue
        used.add(acknowledgement)
        if problem.severity is Severity.WARNING:
            acknowledged.append((problem, acknowledgement))
            continue
        kept.append(problem)
        if problem.severity is Severity.ERROR:
            notes.append(Problem(
                entry_location(actuals.source, acknowledgement, key="acknowledged"),
                f"acknowledged 确认了代码为“{acknowledgement.code}”的问题，但它是错误，不是警告：错误不能以确认代替",
                "改正这项错误；acknowledged 只用于核实无误的警告。", Severity.INFO, "acknowledged-error",
            ))
    for acknowledgement in actuals.acknowledged:
        if acknowledgement not in used:
            which = f"、指标 {acknowledgement.indicator}" if acknowledgement.indicator else ""
            notes.append(Problem(
                entry_location(actuals.source, acknowledgement, key="acknowledged"),
                f"acknowledged 中的确认（代码 {acknowledgement.code}{which}）没有对应的警告",
                "若那项警告已经消除，可删去这条确认；否则核对代码和指标编号（见 evaluator check 的输出）。",
                Severity.INFO, "acknowledged-unused",
            ))
    return kept, acknowledged, notes


def incomplete_problems(targets: Targets) -> list[Problem]:
    """An error for each gap the import left in the targets file (``incomplete``), until it is filled and removed."""
    return [
        Problem(
            Location(file=targets.source, line=gap.line, key=gap.key, indicator=gap.indicator),
            f"导入时表格缺少此项：{gap.message}" + (f"（表格位置：{gap.source}）" if gap.source else ""),
            f"在目标文件的 {gap.key} 处补上正确的值，然后删除 incomplete 中的这一项。",
            Severity.ERROR, "incomplete",
        )
        for gap in targets.incomplete
    ]


def _scopes(targets: Targets) -> list[tuple[str, str, tuple[Indicator, ...]]]:
    scopes = [("部门整体支出", "部门整体支出", targets.indicators)]
    return scopes + [(p.name, p.name, p.indicators) for p in targets.projects]


def _as_error(problem: Problem) -> Problem:
    """Points that do not add up are an error for `check`, while scoring only warns."""
    if problem.code in ("points-sum", "points-total"):
        return Problem(problem.location, problem.message, problem.hint, Severity.ERROR, problem.code)
    return problem


def _understood(scope: str, indicator: Indicator, points: Decimal) -> UnderstoodRow:
    reading = understand_target(indicator)
    understood = describe(reading.value, reading.direction)
    if reading.from_standard:
        understood = f"按标准 {understood}"
    return UnderstoodRow(
        scope=scope, id=indicator.id, name=indicator.name, level2=indicator.level2, target=indicator.target,
        understood=understood, direction=reading.direction.value, direction_reason=reading.reason, points=points,
    )


def _ambiguity(targets: Targets, indicator: Indicator) -> list[Problem]:
    reading = understand_target(indicator)
    value = reading.value
    where = Location(file=targets.source, line=indicator.line, indicator=indicator.id)
    if value.op is Op.UNREADABLE:
        detail = f"（{value.note}）" if value.note else ""
        return [Problem(where, f"{indicator.name}：无法理解指标值“{indicator.target}”{detail}",
                        "改写为“≥10次”“≤36万元”“100%”或定性描述。", code="unreadable-target")]
    direction, reason = reading.direction, reading.reason
    if direction is Direction.AMBIGUOUS:
        return [Problem(where, f"{indicator.name}：指标值“{indicator.target}”方向不明（{reason}）",
                        "在目标文件中为该指标加上 direction: higher（越高越好）或 lower（越低越好）。",
                        severity=Severity.WARNING, code="ambiguous")]
    return []


def _audit(targets: Targets) -> list[Problem]:
    return list(audit_targets(targets))


def _sorted(report: CheckReport) -> CheckReport:
    """待确认 first, then errors, warnings and notes, each in the order found."""
    order = {Severity.ERROR: 1, Severity.WARNING: 2, Severity.INFO: 3}
    report.problems.sort(key=lambda p: 0 if p.code == "pending" else order[p.severity])
    return report

