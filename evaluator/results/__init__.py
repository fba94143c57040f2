"""The results every output shows: frozen types with their JSON, computed elsewhere, rendered elsewhere.

``scores``: the Result of scoring one department (formats.md §3). ``comparison``: one department
over several years. ``summary``: many departments of one batch. ``jsontext``: their JSON text as
``json.dumps(indent=2)`` writes it, in pieces and faster. The modules that compute them
(``scoring``, ``analysis``) and the pages that render them (``report``) both import from here, so
that a page never imports the code that computed what it shows.

May import: ``evaluator.errors``, ``evaluator.decimals``, ``evaluator.model``.
"""

from evaluator.results.scores import (
    STATUS_LABELS,
    STATUSES,
    Evaluation,
    ExecutionScore,
    GroupScore,
    IndicatorScore,
    InputFile,
    Result,
)

__all__ = ["STATUSES", "STATUS_LABELS", "Evaluation", "ExecutionScore", "GroupScore", "IndicatorScore", "InputFile",
           "Result"]
