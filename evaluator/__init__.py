"""evaluator: year-end budget performance self-evaluation (预算绩效自评) from plain files.

The public API: load the files, score them under a rule set, and hand the Result to a report,
an export or a comparison. Heavy libraries (pandas, plotly, openpyxl) load only when used.

    from evaluator import evaluate_files
    result = evaluate_files("targets/2023/shifeng-npc.yaml", "actuals/2023/shifeng-npc.yaml")
    print(result.evaluations[0].total, result.evaluations[0].grade)
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from evaluator.model import Actuals, Targets
    from evaluator.results import Result
    from evaluator.rules import RuleSet

__version__ = "0.1.0"

__all__ = [
    "__version__",
    "evaluate_files",
    "load_actuals",
    "load_rules",
    "load_targets",
]


def load_targets(path: Path | str) -> Targets:
    """Load a targets file; see ``evaluator.load.load_targets``."""
    from evaluator.load import load_targets as _load

    return _load(path)


def load_actuals(path: Path | str) -> Actuals:
    """Load an actuals file (.yaml or the .xlsx entry workbook); see ``evaluator.load.load_actuals``."""
    from evaluator.load import load_actuals as _load

    return _load(path)


def load_rules(name_or_file: str | Path = "national-2020") -> RuleSet:
    """Load a rule set by name or path; see ``evaluator.rules.load_rules``."""
    from evaluator.rules import load_rules as _load

    return _load(name_or_file)


def evaluate_files(
    targets_path: Path | str, actuals_path: Path | str | None = None, rules: str | Path = "national-2020"
) -> Result:
    """Load targets and actuals, check them together, and score them: the one call behind `score`."""
    from evaluator.load import load_inputs
    from evaluator.rules import load_rules as _rules
    from evaluator.scoring import evaluate

    targets, actuals = load_inputs(targets_path, actuals_path)
    return evaluate(targets, actuals, _rules(rules))
