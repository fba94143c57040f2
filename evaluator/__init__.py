"""evaluator: year-end budget performance self-evaluation (预算绩效自评) from plain files.

The public API, for Python users: load the files, score them under a rule set, and hand the Result
to a report, an export or a comparison. Heavy libraries (pandas, plotly, openpyxl) load only when a
call needs them, so that importing evaluator stays cheap.

    import evaluator
    targets, actuals = evaluator.load_inputs("targets/2023/shifeng-npc.yaml", "actuals/2023/shifeng-npc.yaml")
    result = evaluator.evaluate(targets, actuals, evaluator.load_rules("national-2020"))
    print(result.evaluations[0].total, result.evaluations[0].grade)
    html = evaluator.render_report(result, targets, actuals)

Targets written as a change from last year (较上年增长10%) need the year before: ``load_previous`` finds
it beside the files, and ``evaluate(..., previous=...)`` uses it. ``evaluate_many`` scores many
departments as one table, with the same results as ``evaluate`` on each. Indicators the tool cannot
decide are 待确认: ``IndicatorScore.pending`` and ``.fix``, ``Evaluation.provisional``, ``.pending``.

Everything else is reachable through the stage packages (see docs/architecture.md): ``language``,
``io``, ``forms``, ``rules``, ``results``, ``scoring``, ``checks``, ``workbook``, ``report``,
``analysis``, ``cli``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from evaluator.version import __version__

if TYPE_CHECKING:
    from evaluator.forms import ImportResult
    from evaluator.forms.selfeval import SelfEvaluation
    from evaluator.model import Actuals, PreviousYear, Targets
    from evaluator.results.comparison import Comparison
    from evaluator.results.review import Review
    from evaluator.results.scores import Result
    from evaluator.results.summary import Batch
    from evaluator.rules import RuleSet

__all__ = [
    "__version__",
    "compare_department",
    "evaluate",
    "evaluate_files",
    "evaluate_many",
    "import_forms",
    "load_actuals",
    "load_inputs",
    "load_previous",
    "load_rules",
    "load_targets",
    "read_self_evaluation",
    "render_report",
    "review_files",
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


def evaluate(targets: Targets, actuals: Actuals | None, rules: RuleSet, *,
             previous: PreviousYear | None = None) -> Result:
    """Score every scope of a department under ``rules`` and return the Result (formats.md §3).

    ``previous``: the year before, for targets written as a change (较上年增长10%); see ``load_previous``.
    """
    from evaluator.scoring import evaluate as _evaluate

    return _evaluate(targets, actuals, rules, previous=previous)


def evaluate_many(
    items: Sequence[tuple[Targets, Actuals | None]], rules: RuleSet, *,
    previous: Sequence[PreviousYear | None] | None = None,
) -> list[Result]:
    """Score many departments as one table; the results equal ``evaluate`` called on each alone."""
    from evaluator.scoring import evaluate_many as _evaluate_many

    return _evaluate_many(items, rules, previous=previous)


def load_previous(targets: Targets, targets_path: Path | str, actuals_path: Path | str | None) -> PreviousYear | None:
    """Load the year before from ``targets/<year-1>/`` and ``actuals/<year-1>/`` when a target needs it."""
    from evaluator.io.previous import previous_year

    return previous_year(targets, targets_path, actuals_path)


def evaluate_files(
    targets_path: Path | str, actuals_path: Path | str | None = None, rules: str | Path = "national-2020"
) -> Result:
    """Load targets and actuals, check them together, and score them: the one call behind `score`."""
    targets, actuals = load_inputs(targets_path, actuals_path)
    previous = load_previous(targets, targets_path, actuals_path)
    return evaluate(targets, actuals, load_rules(rules), previous=previous)


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


def read_self_evaluation(path: Path | str) -> SelfEvaluation | None:
    """Read a filled 自评表 into targets and actuals with the claimed scores; None when the file has none."""
    from evaluator.forms.selfeval import read_self_evaluation as _read

    return _read(path)


def review_files(paths: Iterable[Path | str], rules: str | Path = "national-2020") -> Review:
    """Review submitted 自评表 (files or folders): every table scored, its findings, the files that failed."""
    from evaluator.analysis.review import review_files as _review

    return _review(list(paths), rules=rules)
