"""The page of ``evaluator compare --all``: every department's score, grade and execution by year, and grade moves.

``render_compare_all`` only arranges what ``analysis.compare_all`` computed; all text is escaped.
"""

from __future__ import annotations

from evaluator.report.render import page_template
from evaluator.results.crossyear import CrossYear

__all__ = ["render_compare_all"]


def render_compare_all(cross: CrossYear, *, tables: tuple[str, str] | None = None) -> str:
    """Return the page; ``tables`` names the .xlsx and .csv written beside it."""
    years = cross.years
    span = f"{years[0]}—{years[-1]}年" if len(years) > 1 else f"{years[0]}年"
    return page_template("compare_all.html").render(
        cross=cross, span=span, tables=tables, plotly_js="", plotly_src=None,
    )
