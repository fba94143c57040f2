"""Scoring: (Targets, Actuals, RuleSet) → Result, every point explained.

``allocation`` gives each indicator its group and points; ``rows`` prepares one row per indicator
(``prepared``: the Row; ``tiers``: words, qualitative and deadlines; ``quantities``: numbers, units,
changes from last year with ``previous``; ``basedata``: standard indicators; ``fixes``: the words of a
fix); ``rulebook`` holds the one definition of each rule and ``arithmetic`` applies it to the whole
table at once, rounded half up; ``execution`` scores the 预算执行率 line; ``explain`` words the rule
each row was scored by; ``claims`` reviews the scores a department gave itself; ``pipeline``
assembles the Results: ``evaluate`` for one department, ``evaluate_many`` for many as one table.
Scoring takes objects, never paths (``io.previous`` finds last year's files).

May import: ``evaluator.errors``, ``evaluator.decimals``, ``evaluator.model``, ``evaluator.language``,
``evaluator.rules``, ``evaluator.results``, ``evaluator.version``, and from ``evaluator.io`` only
``yamlread.gc_paused`` (the cycle collector waits while a department's rows and scores are built);
third-party: numpy, and pandas only in the DataFrame helpers of ``arithmetic`` (scoring a department
does not import it).
"""

from evaluator.scoring.pipeline import evaluate, evaluate_many

__all__ = ["evaluate", "evaluate_many"]
