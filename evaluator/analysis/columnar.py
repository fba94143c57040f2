"""Score a chunk of departments as one pass: the one place the batch calls the scorer.

A batch scores departments in chunks (``evaluator.analysis.chunk``); this adapter hands a chunk's
(targets, actuals) pairs to ``evaluate_many``, which prepares every department's rows, scores them
as ONE table (the rule book over numpy columns) and cuts the results back per department. Each
Result is the one ``evaluate`` gives for that department alone (tests/test_batch_scale.py and
tests/test_many.py check it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from evaluator.model import Actuals, PreviousYear, Targets
from evaluator.results.scores import Result
from evaluator.scoring import evaluate_many

if TYPE_CHECKING:
    from evaluator.rules import RuleSet

__all__ = ["score_chunk"]


def score_chunk(items: Sequence[tuple[Targets, Actuals | None]], rules: RuleSet, *,
                previous: Sequence[PreviousYear | None] | None = None) -> list[Result]:
    """Return the Result of every (targets, actuals) pair, in order, as ``evaluate`` gives it for each."""
    return evaluate_many(items, rules, previous=previous)
