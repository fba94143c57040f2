"""The outcome of scoring (formats.md §3): frozen objects, and their JSON form.

``Result`` holds one ``Evaluation`` per scope (the department as a whole, then each special fund).
Everything a report, an export or a comparison shows comes from here, so nothing downstream has
to score again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from evaluator.decimals import plain
from evaluator.errors import Problem
from evaluator.model import RESULT_SCHEMA
from evaluator.results.jsontext import Lazy, LazyRecords, Record, materialise, pieces

__all__ = ["Evaluation", "ExecutionScore", "GroupScore", "IndicatorScore", "InputFile", "Result", "STATUSES",
    "STATUS_LABELS"]

STATUSES = (
    "pending", "met", "exceeded", "partial", "unmet", "missing", "invalid",
    "qualitative-met", "qualitative-partial", "qualitative-unmet",
)
STATUS_LABELS = {
    "pending": "待确认",
    "met": "达成",
    "exceeded": "超额完成",
    "partial": "部分完成",
    "unmet": "未完成",
    "missing": "未填报",
    "invalid": "无法评分",
    "qualitative-met": "达成（定性）",
    "qualitative-partial": "部分达成（定性）",
    "qualitative-unmet": "未达成（定性）",
}


@dataclass(frozen=True)
class ExecutionScore:
    """The 预算执行率 line of a 自评表."""

    initial: Decimal | None
    adjusted: Decimal | None
    executed: Decimal | None
    denominator: str  # "adjusted" | "initial"
    rate: Decimal | None  # fraction, rounded to 4 decimals for display; the score uses the exact rate
    points: Decimal
    score: Decimal | None
    status: str  # "scored" | "missing" | "zero-budget" | "not-scored" (a rule set with 0 execution points)
    explanation: str
    claimed: Decimal | None = None
    review: str | None = None
    reason: str | None = None


# slots: a department may hold 100,000 of them (a dict each was 1.5 kB). Not frozen: a frozen dataclass
# sets each of the 30 fields through object.__setattr__, a sixth of scoring a large department. Treated as
# read-only all the same: scoring makes a changed copy with dataclasses.replace, and nothing else changes one.
@dataclass(slots=True)
class IndicatorScore:
    """One scored indicator: what was asked, what was done, and why it earned what it earned."""

    id: str
    level1: str
    level2: str
    name: str
    group: str | None
    group_label: str
    target: str
    actual: str | None
    parsed: dict[str, Any]
    parsed_actual: dict[str, Any] | None
    understood: str
    direction: str
    direction_reason: str
    points: Decimal
    points_source: str  # "targets" | "rules"
    score: Decimal
    ratio: Decimal | None
    status: str
    explanation: str
    claimed: Decimal | None = None
    review: str | None = None
    reason: str | None = None
    measure: str | None = None
    evidence: str | None = None
    deduction: Decimal | None = None
    deduction_reason: str | None = None
    flags: tuple[str, ...] = ()
    standard: str | None = None
    rule: str = ""  # the rule of the rule book that scored it (higher-ratio, lower-met, qualitative, pending …)
    fix: str | None = None  # pending or invalid: exactly what to change, and where

    @property
    def pending(self) -> bool:
        """待确认: the tool could not decide; ``score`` is 0 only as a placeholder in the provisional total."""
        return self.status == "pending"

    @property
    def lost(self) -> Decimal:
        return self.points - self.score

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class GroupScore:
    """Points available and earned in one level-1 group (产出, 效益, 满意度) of one scope."""

    key: str
    label: str
    points: Decimal
    score: Decimal
    count: int


@dataclass(frozen=True)
class Evaluation:
    """The 自评表 of one scope: the department as a whole, or one special fund."""

    scope: str  # "department" | "project"
    id: str | None
    name: str
    total: Decimal
    grade: str
    execution: ExecutionScore
    indicators: tuple[IndicatorScore, ...]
    groups: tuple[GroupScore, ...]
    claimed_total: Decimal | None = None
    review: tuple[str, ...] = ()

    def count(self, *statuses: str) -> int:
        return sum(1 for i in self.indicators if i.status in statuses)

    @property
    def pending(self) -> int:
        """How many indicators are 待确认: while any is, the total and the grade are 暂定 (provisional)."""
        return self.count("pending")

    @property
    def pending_points(self) -> Decimal:
        """The points of the pending indicators: how much the provisional total may still rise."""
        return sum((i.points for i in self.indicators if i.pending), Decimal(0))

    @property
    def provisional(self) -> bool:
        return self.pending > 0


@dataclass(frozen=True)
class InputFile:
    role: str  # "targets" | "actuals" | "rules"
    file: str
    sha256: str


@dataclass(frozen=True)
class Result:
    year: int
    department: str
    rules: str
    rules_title: str
    tool_version: str
    evaluations: tuple[Evaluation, ...]
    warnings: tuple[Problem, ...] = ()
    inputs: tuple[InputFile, ...] = field(default_factory=tuple)

    @property
    def pending(self) -> int:
        """待确认 indicators in every scope of the department."""
        return sum(e.pending for e in self.evaluations)

    @property
    def department_evaluation(self) -> Evaluation | None:
        """The 自评表 of the department as a whole, or None when the department itself has none."""
        return next((e for e in self.evaluations if e.scope == "department"), None)

    def to_json(self) -> dict[str, Any]:
        return materialise(self._json())

    def _json(self) -> dict[str, Any]:
        """The JSON object, with the evaluations and their indicators as lazy lists."""
        return {
            "schema": RESULT_SCHEMA,
            "year": self.year,
            "department": self.department,
            "rules": self.rules,
            "rules_title": self.rules_title,
            "tool_version": self.tool_version,
            "inputs": [{"role": f.role, "file": f.file, "sha256": f.sha256} for f in self.inputs],
            "evaluations": Lazy(self.evaluations, _evaluation_json),
            "warnings": [_warning_json(w) for w in self.warnings],
        }

    def dumps(self) -> str:
        """Return the JSON text: stable key order, Chinese unescaped, a final newline."""
        return "".join(self.iter_json())

    def iter_json(self) -> Iterator[str]:
        """The text of ``dumps`` in pieces, one indicator at a time.

        The same characters as ``json.dumps(to_json(), ensure_ascii=False, indent=2)`` and a newline,
        without ever holding the JSON objects of every indicator at once (100,000 indicators: 90 MB of text,
        several hundred MB as objects).
        """
        yield from pieces(self._json())
        yield "\n"


def _evaluation_json(evaluation: Evaluation) -> dict[str, Any]:
    ex = evaluation.execution
    return {
        "scope": evaluation.scope,
        "id": evaluation.id,
        "name": evaluation.name,
        "total": plain(evaluation.total),
        "grade": evaluation.grade,
        "provisional": evaluation.provisional,
        "pending": evaluation.pending,
        "pending_points": plain(evaluation.pending_points),
        "execution": {
            "initial": plain(ex.initial),
            "adjusted": plain(ex.adjusted),
            "executed": plain(ex.executed),
            "denominator": ex.denominator,
            "rate": plain(ex.rate),
            "points": plain(ex.points),
            "score": plain(ex.score),
            "status": ex.status,
            "explanation": ex.explanation,
            "claimed": plain(ex.claimed),
            "review": ex.review,
        },
        "groups": [
            {"key": g.key, "label": g.label, "points": plain(g.points), "score": plain(g.score), "count": g.count}
            for g in evaluation.groups
        ],
        "indicators": LazyRecords(evaluation.indicators, _INDICATOR, _indicator_values, _indicator_json),
        "claimed_total": plain(evaluation.claimed_total),
        "review": list(evaluation.review),
    }


# An indicator's JSON object (formats.md §3) is written from its values without a dict made for each of
# 100,000 indicators (jsontext.Record): the keys here, the values in the same order in ``_indicator_values``.
_INDICATOR = Record(
    ("id", "level1", "level2", "name", "target", "actual", "parsed", "parsed_actual", "understood", "direction",
     "direction_reason", "group", "points", "points_source", "score", "ratio", "status", "rule", "explanation",
     "fix", "claimed", "review", "reason", "measure", "deduction", "flags"),
    nested=("parsed", "parsed_actual", "flags"),  # objects and lists; the other values are texts, numbers or null
)


def _indicator_values(score: IndicatorScore) -> tuple[Any, ...]:
    """The values of an indicator's JSON object, in the order of ``_INDICATOR``'s keys."""
    return (
        score.id,
        score.level1,
        score.level2,
        score.name,
        score.target,
        score.actual,
        score.parsed,  # shared by the indicators of equal target texts, never changed
        score.parsed_actual,
        score.understood,
        score.direction,
        score.direction_reason,
        score.group,
        _number(score.points),
        score.points_source,
        None if score.pending else _number(score.score),  # score
        _number(score.ratio),
        score.status,
        score.rule,
        score.explanation,
        score.fix,
        _number(score.claimed),
        score.review,
        score.reason,
        score.measure,
        _number(score.deduction),
        score.flags,  # a tuple, written as a list; ``_indicator_json`` makes it one
    )


# plain() of the Decimals of indicators, by value: equal Decimals give the same number (an int when
# integral, else the float nearest their exact value), and 100,000 indicators have 280,000 Decimals of
# about 6,500 values, so a look-up saves half the time of converting. Emptied when full.
_NUMBERS: dict[Decimal, int | float] = {}
_NUMBERS_MAX = 1 << 14


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    found = _NUMBERS.get(value)
    if found is None:
        if len(_NUMBERS) >= _NUMBERS_MAX:
            _NUMBERS.clear()
        found = _NUMBERS[value] = plain(value)
    return found


def _indicator_json(score: IndicatorScore) -> dict[str, Any]:
    """The indicator's object for ``to_json``: the values of ``_indicator_values``, the flags a list."""
    found = _INDICATOR.to_dict(_indicator_values(score))
    found["flags"] = list(score.flags)
    return found


def _warning_json(problem: Problem) -> dict[str, Any]:
    loc = problem.location
    return {
        "where": loc.indicator or loc.key or str(loc),
        "severity": problem.severity.value,
        "code": problem.code,
        "message": problem.message,
        "hint": problem.hint,
    }
