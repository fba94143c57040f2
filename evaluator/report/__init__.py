"""The self-evaluation report (绩效自评报告): one offline HTML file from a scoring result.

``render_report`` returns the page as a string; ``write_report`` writes it (UTF-8 with a BOM,
atomically, never over an existing file without ``force``); ``report_files`` goes from the input
files to the written report. plotly.js is vendored in ``static/`` with its licence.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from evaluator.report.files import default_report_path, example_paths, report_files
from evaluator.report.render import encode, render_report

if TYPE_CHECKING:
    from evaluator.model import Actuals, Targets
    from evaluator.results import Result
    from evaluator.rules import RuleSet

__all__ = ["default_report_path", "example_paths", "render_report", "report_files", "write_report"]


def write_report(
    result: Result,
    targets: Targets,
    actuals: Actuals | None,
    path: Path | str,
    *,
    force: bool = False,
    generated_at: datetime | None = None,
    rules: RuleSet | None = None,
) -> Path:
    """Render the report and write it to ``path``; return the path written.

    Raises OutputExistsError when the file exists and ``force`` is false.
    """
    from evaluator.output import write_output

    html = render_report(result, targets, actuals, generated_at=generated_at, rules=rules)
    return write_output(Path(path), encode(html), force=force)
