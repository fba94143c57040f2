"""Score a chunk of departments as one pass: the one place the batch calls the scorer.

A batch scores departments in chunks (``evaluator.analysis.chunk``); this adapter turns a chunk's
(targets, actuals) pairs into their Results. The scorer's single-department entry point,
``evaluate``, builds one indicator table per department; a chunk-wide entry point that builds
one table for the whole chunk (parse, points, arithmetic as column operations over every
department's rows at once) replaces the loop below without any other change, because it must
give the same Result for each department as ``evaluate`` does (tests/test_batch_scale.py checks
that the batch's scores equal ``evaluate`` one department at a time, whichever is used).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from evaluator.model import Actuals, Targets
from evaluator.results.scores import Result
from evaluator.scoring import evaluate

if TYPE_CHECKING:
    from evaluator.rules import RuleSet

__all__ = ["score_chunk"]


def score_chunk(items: Sequence[tuple[Targets, Actuals | None]], rules: RuleSet) -> list[Result]:
    """Return the Result of every (targets, actuals) pair, in order, as ``evaluate`` gives it for each.

    When the scoring core offers a chunk-wide scorer (``evaluate_many(items, rules)``, one indicator
    table for all the chunk's departments), this body becomes ``return evaluate_many(items, rules)``.
    """
    return [evaluate(targets, actuals, rules) for targets, actuals in items]
