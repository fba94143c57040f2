"""The self-evaluation report (绩效自评报告): one offline HTML file from a scoring result, or the same report
as Word (``docx``: 公文 layout, chart images from ``images``) or PDF (``pdf``: the HTML printed by the
system's Chromium).

``render_report`` returns the page as a string; ``write_report`` writes it (UTF-8 with a BOM,
atomically, never over an existing file without ``force``); ``report_files`` goes from the input
files to the written report. plotly.js is vendored in ``static/`` with its licence. The pages of a
comparison (``compare_page``) and of a batch (``index_page``) are rendered here too, from the types in
``evaluator.results``.

May import: everything below it (``io``, ``rules``, ``language``, ``results``, ``scoring``, ``word``);
third-party: jinja2, plotly, python-docx, matplotlib (the last two only for Word and PDF).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from evaluator.io.output import write_output
from evaluator.report.files import default_report_path, example_paths, report_files
from evaluator.report.render import encode, render_report

if TYPE_CHECKING:
    from evaluator.model import Actuals, Targets
    from evaluator.results.scores import Result
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
    html = render_report(result, targets, actuals, generated_at=generated_at, rules=rules)
    return write_output(Path(path), encode(html), force=force)
