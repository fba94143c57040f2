"""What a batch keeps of each department: its summary row, and the findings of its pre-submission review, by scope.

A batch writes every department's full result to disk as soon as it is scored and keeps only
``DepartmentSummary`` (a few numbers) for the index. The findings are those `evaluator check`
lists for the pair (``evaluator.checks.check.review_problems``), counted per 自评表 (the
department as a whole, each fund): errors, warnings, shortfalls without a reason, execution
below the rule set's line without a reason; plus what the scores say: claimed points the rules
do not support, and the grade the department's own total would have.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from evaluator.errors import Problem, Severity
from evaluator.results.scores import Evaluation, Result
from evaluator.results.summary import DepartmentSummary

if TYPE_CHECKING:
    from evaluator.rules import RuleSet

__all__ = ["ScopeFindings", "attribute", "region_of", "scope_findings", "summarise"]

# 株洲市石峰区人民代表大会常务委员会 → 株洲市石峰区: administrative divisions at the start of a name, each
# with at least two characters before its suffix (so 市场监管局 is no 市, while 永州市 is one)
_DIVISION = re.compile(r"[^\s（()）]{2,12}?(?:特别行政区|自治区|自治州|自治县|新区|地区|省|市|州|盟|县|区|旗)")
_PARTY = re.compile(r"^(?:中共|中国共产党)")


def region_of(department: str) -> str:
    """Return the administrative prefix of a department's name (湖南省, 株洲市石峰区), or "" when it has none.

    The index's filter by region uses it: the folder of a year holds every region's departments,
    and their names say where they are.
    """
    name = _PARTY.sub("", department.strip())
    end = 0
    while True:
        match = _DIVISION.match(name, end)
        if match is None or match.end() >= len(name):
            break
        end = match.end()
    return name[:end]


@dataclass(frozen=True)
class ScopeFindings:
    """The review's findings about one 自评表 (the department as a whole, or one fund)."""

    errors: int = 0
    warnings: int = 0
    unexplained: int = 0  # shortfall-without-reason
    low_execution: int = 0  # low-execution: below the rule set's line, no reason
    unsupported_points: Decimal = Decimal(0)
    claimed_grade: str | None = None


def attribute(problems: Sequence[Problem], result: Result) -> list[list[Problem]]:
    """Split review problems by the 自评表 they are about: by indicator id, else by the 自评表's name at the start
    of the location key or the message (专项资金1 预算执行, 专项资金1：……); a problem of the whole file goes to
    the first."""
    owner: dict[str, int] = {}
    for position, evaluation in enumerate(result.evaluations):
        for indicator in evaluation.indicators:
            owner.setdefault(indicator.id, position)
    # the longest name first, so that 专项资金10 is not taken for 专项资金1
    names = sorted(((e.name, n) for n, e in enumerate(result.evaluations)), key=lambda item: -len(item[0]))
    groups: list[list[Problem]] = [[] for _ in result.evaluations] or [[]]
    for problem in problems:
        key = problem.location.key or ""
        position = owner.get(problem.location.indicator or "")
        if position is None:
            position = next((n for name, n in names
                             if key.startswith(f"{name} ") or problem.message.startswith(f"{name}：")), 0)
        groups[position].append(problem)
    return groups


def scope_findings(evaluation: Evaluation, problems: Sequence[Problem], rules: RuleSet) -> ScopeFindings:
    """Count what the review found about one 自评表, and what its claimed scores say."""
    unsupported = Decimal(0)
    for item in (*evaluation.indicators, evaluation.execution):
        claimed, score = item.claimed, item.score
        if claimed is not None and score is not None and claimed > score:
            unsupported += claimed - score
    claimed_total = evaluation.claimed_total
    return ScopeFindings(
        errors=sum(1 for p in problems if p.severity is Severity.ERROR),
        warnings=sum(1 for p in problems if p.severity is Severity.WARNING),
        unexplained=sum(1 for p in problems if p.code == "shortfall-without-reason"),
        low_execution=sum(1 for p in problems if p.code == "low-execution"),
        unsupported_points=unsupported,
        claimed_grade=rules.grade(claimed_total) if claimed_total is not None else None,
    )


def summarise(slug: str, result: Result, findings: Sequence[ScopeFindings]) -> DepartmentSummary:
    """Return what the index needs of one result; ``findings`` are per evaluation, in order (pure)."""
    # the department as a whole; a file with funds only has no such scope, and its first fund stands in
    position = next((n for n, e in enumerate(result.evaluations) if e.scope == "department"), 0)
    department = result.evaluations[position]
    own = findings[position] if findings else ScopeFindings()
    scored = [i for i in department.indicators if i.score is not None]
    points = sum((i.points for i in scored), Decimal(0))
    earned = sum((i.score for i in scored), Decimal(0))
    return DepartmentSummary(
        slug=slug,
        department=result.department,
        year=result.year,
        total=department.total,
        grade=department.grade,
        rate=department.execution.rate,
        execution_score=department.execution.score,
        indicator_rate=earned / points if points else None,
        funds=sum(1 for e in result.evaluations if e.scope == "project"),
        indicators=sum(len(e.indicators) for e in result.evaluations),
        unsupported=sum(_unsupported(e) for e in result.evaluations),
        region=region_of(result.department),
        pending=result.pending,
        errors=sum(f.errors for f in findings),
        warnings=sum(f.warnings for f in findings),
        unexplained=sum(f.unexplained for f in findings),
        low_execution=sum(f.low_execution for f in findings),
        unsupported_points=sum((f.unsupported_points for f in findings), Decimal(0)),
        claimed_total=department.claimed_total,
        claimed_grade=own.claimed_grade,
    )


def _unsupported(evaluation: Evaluation) -> int:
    claimed_total = evaluation.claimed_total is not None and evaluation.claimed_total != evaluation.total
    return (sum(1 for i in evaluation.indicators if i.review) + (1 if evaluation.execution.review else 0)
            + (1 if claimed_total else 0))
