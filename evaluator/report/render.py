"""Render the report page: one jinja2 environment, the vendored plotly.js, charts as fixed-id fragments."""

from __future__ import annotations

import codecs
import functools
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from typing import Any

import jinja2
import markupsafe
from markupsafe import Markup
from plotly.io.json import to_json_plotly

from evaluator.model import Actuals, Targets
from evaluator.report.charts import Chart, scope_charts
from evaluator.report.context import build_report
from evaluator.report.formatting import FILTERS
from evaluator.results.scores import Result
from evaluator.rules import RuleSet, load_rules

__all__ = ["ChartView", "PLOTLY_JS", "chart_view", "encode", "fast_escape", "page_template", "plotly_context",
    "plotly_js", "render_report", "report_pieces", "script_json"]

PLOTLY_JS = "plotly-basic-4.1.1.min.js"
PLOTLY_VERSION = "4.1.1"
CHART_CONFIG = {"displayModeBar": False, "responsive": False}


def fast_escape(value: object) -> str:
    """The text of ``markupsafe.escape(value)``, without making a Markup object of it.

    With autoescape, jinja2 escapes every ``{{ … }}`` through markupsafe, whose Markup constructor is
    Python code: for a report of 100,000 indicators (2.3 million values) that was two thirds of the
    rendering time. The escaped text only goes to the output (blocks, macros and includes wrap their
    own results in Markup), so the plain text serves. The same five characters as markupsafe, in its
    order; a test compares the two on arbitrary text.
    """
    if hasattr(value, "__html__"):
        return value.__html__()  # type: ignore[no-any-return]
    return (str(value).replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
            .replace("'", "&#39;").replace('"', "&#34;"))


class _Template(jinja2.Template):
    """A template whose ``{{ … }}`` output is escaped by ``fast_escape``.

    jinja2 binds ``escape`` (markupsafe's) in each compiled template's namespace; it is replaced
    there, and only when it is markupsafe's, so that a jinja2 that works otherwise keeps its own.
    """

    @classmethod
    def from_code(cls, environment: jinja2.Environment, code: Any, globals: Any,  # noqa: A002
                  uptodate: Any = None) -> jinja2.Template:
        template = super().from_code(environment, code, globals, uptodate)
        namespace = template.root_render_func.__globals__  # type: ignore[attr-defined]
        if namespace.get("escape") is markupsafe.escape:
            namespace["escape"] = fast_escape
        return template


@functools.cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("evaluator.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.template_class = _Template
    environment.filters.update(FILTERS)
    return environment


def page_template(name: str) -> jinja2.Template:
    """Return a page template of the reports' one environment (autoescape, StrictUndefined, filters)."""
    return _environment().get_template(name)


@functools.cache
def plotly_js() -> str:
    """Return the vendored plotly.js basic bundle (bar, pie, scatter), read once."""
    return resources.files("evaluator.report").joinpath("static", PLOTLY_JS).read_text(encoding="utf-8")


@dataclass(frozen=True)
class ChartView:
    """One chart as the template writes it: a fixed-id <div> and the JSON for ``Plotly.newPlot``."""

    id: str
    caption: str
    width: int
    height: int
    data: Markup
    layout: Markup
    config: Markup
    empty: str


def chart_view(chart: Chart) -> ChartView:
    """Serialise a chart; ``script_json`` escapes <, > and /, so it is safe inside <script>."""
    if chart.spec is None:
        blank = Markup("")
        return ChartView(chart.id, chart.caption, 0, 0, blank, blank, blank, chart.empty)
    layout = chart.spec["layout"]
    return ChartView(
        id=chart.id,
        caption=chart.caption,
        width=int(layout["width"]),
        height=int(layout["height"]),
        data=script_json(chart.spec["data"]),
        layout=script_json(layout),
        config=script_json(CHART_CONFIG),
        empty="",
    )


def script_json(value: object) -> Markup:
    """Return JSON to write inside a <script>: plotly's writer escapes <, > and / as \\u escapes."""
    return Markup(to_json_plotly(value))


def render_report(
    result: Result,
    targets: Targets,
    actuals: Actuals | None,
    *,
    generated_at: datetime | None = None,
    rules: RuleSet | None = None,
    plotly_src: str | None = None,
) -> str:
    """Return the whole self-evaluation report as one offline HTML document.

    ``rules`` defaults to the rule set named in the result. ``generated_at`` is printed only when
    given, so that the same inputs give the same text. ``plotly_src`` (a relative path such as
    ``PLOTLY_JS``) makes the page load plotly.js from that file beside it instead of carrying it,
    so that a folder of many reports holds one copy (``evaluator batch``).
    """
    return "".join(report_pieces(result, targets, actuals, generated_at=generated_at, rules=rules,
                                 plotly_src=plotly_src))


def report_pieces(
    result: Result,
    targets: Targets,
    actuals: Actuals | None,
    *,
    generated_at: datetime | None = None,
    rules: RuleSet | None = None,
    plotly_src: str | None = None,
) -> Iterator[str]:
    """The text of ``render_report`` in pieces, as the template produces it (for writing as it comes)."""
    rule_set = rules if rules is not None else load_rules(result.rules)
    stamp = generated_at.strftime("%Y-%m-%d %H:%M") if generated_at is not None else None
    report = build_report(result, targets, actuals, rule_set, stamp)
    charts = {
        scope.key: [
            chart_view(chart) for chart in scope_charts(scope, report.money_unit, report.decimals)
        ]
        for scope in report.scopes
    }
    return _environment().get_template("report.html").generate(
        report=report,
        charts=charts,
        **plotly_context(plotly_src),
    )


def plotly_context(plotly_src: str | None) -> dict[str, object]:
    """Return what a page template needs to load plotly.js: inline (one file) or from a file beside it."""
    return {
        "plotly_js": Markup(plotly_js()) if plotly_src is None else Markup(""),  # vendored: no "</script"
        "plotly_src": plotly_src,
        "plotly_version": PLOTLY_VERSION,
    }


def encode(html: str | Iterable[str]) -> bytes | Iterator[str | bytes]:
    """Return the page as UTF-8 bytes with a BOM, which wins over a misconfigured server's charset.

    Given in pieces (``report_pieces``), the pieces come back behind the BOM, for ``write_output``.
    """
    if isinstance(html, str):
        return codecs.BOM_UTF8 + html.encode("utf-8")
    return itertools.chain((codecs.BOM_UTF8,), html)
