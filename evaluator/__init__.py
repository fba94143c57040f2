"""evaluator: year-end budget performance self-evaluation (预算绩效自评) from plain files.

The public API, for Python users: load the files, score them under a rule set, and hand the Result
to a report, an export or a comparison. Heavy libraries (pandas, plotly, openpyxl) load only when a
call needs them, so that importing evaluator stays cheap.

    import evaluator
    targets, actuals = evaluator.load_inputs("targets/2023/shifeng-npc.yaml", "actuals/2023/shifeng-npc.yaml")
    result = evaluator.evaluate(targets, actuals, evaluator.load_rules("national-2020"))
    print(result.evaluations[0].total, result.evaluations[0].grade)
    html = evaluator.render_report(result, targets, actuals)

Everything else is reachable through the stage packages (see docs/architecture.md): ``language``,
``io``, ``forms``, ``rules``, ``results``, ``scoring``, ``checks``, ``workbook``, ``report``,
``analysis``, ``cli``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from evaluator.version import __version__

if TYPE_CHECKING:
    from evaluator.forms import ImportResult
    from evaluator.model import Actuals, Targets
    from evaluator.results.comparison import Comparison
    from evaluator.results.scores import Result
    from evaluator.results.summary import Batch
    from evaluator.rules import RuleSet

__all__ = [
    "__version__",
    "compare_department",
    "evaluate",
    "evaluate_files",
    "import_forms",
    "load_actuals",
    "load_inputs",
    "load_rules",
    "load_targets",
    "render_report",
    "run_batch",
]


def load_targets(path: Path | str) -> Targets:
    """Load a targets file (formats.md §1); raise InputErrors listing every problem in it."""
    from evaluator.io.load import load_targets as _load

    return _load(path)


def load_actuals(path: Path | str) -> Actuals:
    """Load an actuals file: YAML (formats.md §2) or the filled .xlsx entry workbook."""
    from evaluator.io.load import load_actuals as _load

    return _load(path)


def load_inputs(targets_path: Path | str, actuals_path: Path | str | None) -> tuple[Targets, Actuals | None]:
    """Load targets and (optionally) actuals and check them together; raise every problem at once."""
    from evaluator.io.load import load_inputs as _load

    return _load(targets_path, actuals_path)


def load_rules(name_or_file: str | Path = "national-2020") -> RuleSet:
    """Load a rule set by name (``evaluator rules`` lists them) or from a rule file."""
    from evaluator.rules import load_rules as _load

    return _load(name_or_file)


def evaluate(targets: Targets, actuals: Actuals | None, rules: RuleSet) -> Result:
    """Score every scope of a department under ``rules`` and return the Result (formats.md §3)."""
    from evaluator.scoring import evaluate as _evaluate

    return _evaluate(targets, actuals, rules)


def evaluate_files(
    targets_path: Path | str, actuals_path: Path | str | None = None, rules: str | Path = "national-2020"
) -> Result:
    """Load targets and actuals, check them together, and score them: the one call behind `score`."""
    targets, actuals = load_inputs(targets_path, actuals_path)
    return evaluate(targets, actuals, load_rules(rules))


def render_report(
    result: Result, targets: Targets, actuals: Actuals | None, *, rules: RuleSet | None = None,
    generated_at: datetime | None = None,
) -> str:
    """Return the self-evaluation report of one department as one offline HTML page."""
    from evaluator.report.render import render_report as _render

    return _render(result, targets, actuals, rules=rules, generated_at=generated_at)


def import_forms(paths: Iterable[Path | str]) -> ImportResult:
    """Read official target forms (.txt export, .docx, .xlsx, .xls) into Targets, with the findings."""
    from evaluator.forms import import_forms as _import

    return _import(paths)


def run_batch(
    targets_dir: Path | str, actuals_dir: Path | str, output_dir: Path | str, *,
    rules: str | Path = "national-2020", force: bool = False, workers: int | None = None,
    engine: str = "local", scheduler: str | None = None, resume: bool = False, reports: bool = True,
) -> Batch:
    """Score every department of a year and write their reports, the index and the result files.

    ``engine="dask"`` runs the chunks on a Dask cluster (``scheduler`` address, else a local one);
    the folders may be fsspec URLs. ``resume`` continues an interrupted batch in ``output_dir``.
    """
    from evaluator.analysis.batch import run_batch as _run

    return _run(targets_dir, actuals_dir, output_dir, rules=rules, force=force, workers=workers, engine=engine,
                scheduler=scheduler, resume=resume, reports=reports)


def compare_department(
    slug: str, *, targets_dir: Path | str = "targets", actuals_dir: Path | str = "actuals",
    years: tuple[int, int] | None = None, rules: str | Path = "national-2020",
) -> Comparison:
    """Load, score and compare every year of one department (``targets/<year>/<slug>.yaml``)."""
    from evaluator.analysis.compare import compare_files

    return compare_files(slug, targets_dir=targets_dir, actuals_dir=actuals_dir, years=years, rules=rules)
