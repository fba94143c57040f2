"""Scoring: (Targets, Actuals, RuleSet) → Result, every point explained.

``allocation`` gives each indicator its group and points; ``rows`` prepares one row per indicator
(parsed values, units, how it is scored); ``arithmetic`` scores the whole table at once, rounded
half up; ``execution`` scores the 预算执行率 line; ``explain`` writes one sentence per score;
``claims`` reviews the scores a department gave itself; ``pipeline.evaluate`` assembles the Result.
Scoring takes objects, never paths.

May import: ``evaluator.errors``, ``evaluator.decimals``, ``evaluator.model``, ``evaluator.language``,
``evaluator.rules``, ``evaluator.results``, ``evaluator.version``; third-party: numpy, pandas.
"""

from evaluator.scoring.pipeline import evaluate

__all__ = ["evaluate"]
