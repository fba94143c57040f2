"""Render the report page: one jinja2 environment, the vendored plotly.js, charts as fixed-id fragments."""

from __future__ import annotations

import base64
import codecs
import functools
import itertools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from typing import Any

import jinja2
import markupsafe
from markupsafe import Markup

from evaluator.model import Actuals, Targets
from evaluator.report.charts import Chart, scope_charts
from evaluator.report.context import build_report
from evaluator.report.formatting import FILTERS
from evaluator.results.scores import Result
from evaluator.rules import RuleSet, load_rules

__all__ = ["ChartView", "PLOTLY_JS", "chart_view", "css_string", "encode", "escape_in_python", "fast_escape", "image_view", "page_template",
    "plotly_context", "plotly_js", "render_report", "report_pieces", "script_json"]

PLOTLY_JS = "plotly-basic-4.1.1.min.js"
PLOTLY_VERSION = "4.1.1"
CHART_CONFIG = {"displayModeBar": False, "responsive": False}


def escape_in_python(text: str) -> str:
    """markupsafe's escaping of plain text, for a markupsafe without its C function."""
    return (text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
            .replace("'", "&#39;").replace('"', "&#34;"))


try:  # markupsafe 3 escapes plain text in C without making a Markup object; feature-detected, with a fallback
    from markupsafe._speedups import _escape_inner as _escape_text
except ImportError:  # pragma: no cover - markupsafe without its C speedups
    _escape_text = escape_in_python


def fast_escape(value: object) -> str:
    """The text of ``markupsafe.escape(value)``, without making a Markup object of it.

    With autoescape, jinja2 escapes every ``{{ … }}`` through markupsafe, whose Markup constructor is
    Python code: for a report of 100,000 indicators (2.3 million values) that was two thirds of the
    rendering time. The escaped text only goes to the output (blocks, macros and includes wrap their
    own results in Markup), so the plain text serves. The same five characters as markupsafe, in its
    order (markupsafe's own C function where it has one); a test compares the two on arbitrary text.
    """
    if type(value) is str:  # most values: not Markup (a str subclass), no __html__
        return _escape_text(value)
    if hasattr(value, "__html__"):
        return value.__html__()  # type: ignore[no-any-return]
    return _escape_text(str(value))


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
    environment.filters["css_string"] = css_string
    return environment


def css_string(value: object) -> Markup:
    """Return ``value`` as a quoted CSS string for a <style> element (such as a page header's ``content``).

    Every character but ASCII letters, digits and non-ASCII text is written as a CSS escape, so that
    neither a quote, a backslash nor “</style>” in a department's name can end the string or the element.
    """
    text = "".join(ch if ch.isascii() and ch.isalnum() or (not ch.isascii() and ch.isprintable())
                   else f"\\{ord(ch):06x}" for ch in str(value))
    return Markup(f'"{text}"')


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
    image: str = ""  # a data: URI of the chart as a PNG (the PDF's static charts), instead of plotly.js


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


def image_view(chart: Chart) -> ChartView:
    """The chart as an image (``images.chart_png`` of the same figure data), for printing without plotly.js."""
    if chart.spec is None:
        return chart_view(chart)
    from evaluator.report.images import chart_png

    layout = chart.spec["layout"]
    blank = Markup("")
    image = "data:image/png;base64," + base64.b64encode(chart_png(chart.spec)).decode("ascii")
    return ChartView(chart.id, chart.caption, int(layout["width"]), int(layout["height"]), blank, blank, blank, "",
                     image)


_SCRIPT_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "/": "\\u002f", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def script_json(value: object) -> Markup:
    """Return JSON to write inside a <script>: compact, UTF-8, with < > / escaped as \\u escapes.

    Written here rather than by plotly's writer, whose output depends on whether orjson happens to be
    installed (UTF-8 or \\u escapes for every Chinese character): the same inputs must give the same bytes
    on every machine. NaN and infinities are refused: plotly.js would not read them.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return Markup(text.translate(_SCRIPT_ESCAPES))


def render_report(
    result: Result,
    targets: Targets,
    actuals: Actuals | None,
    *,
    generated_at: datetime | None = None,
    rules: RuleSet | None = None,
    plotly_src: str | None = None,
    static_charts: bool = False,
) -> str:
    """Return the whole self-evaluation report as one offline HTML document.

    ``rules`` defaults to the rule set named in the result. ``generated_at`` is printed only when
    given, so that the same inputs give the same text. ``plotly_src`` (a relative path such as
    ``PLOTLY_JS``) makes the page load plotly.js from that file beside it instead of carrying it,
    so that a folder of many reports holds one copy (``evaluator batch``). ``static_charts`` draws the
    charts as images of the same figure data and leaves plotly.js out: the page printed to PDF.
    """
    return "".join(report_pieces(result, targets, actuals, generated_at=generated_at, rules=rules,
                                 plotly_src=plotly_src, static_charts=static_charts))


def report_pieces(
    result: Result,
    targets: Targets,
    actuals: Actuals | None,
    *,
    generated_at: datetime | None = None,
    rules: RuleSet | None = None,
    plotly_src: str | None = None,
    static_charts: bool = False,
) -> Iterator[str]:
    """Yield the report of ``render_report`` piece by piece, for a writer that streams it (a batch writes a
    department of 100,000 indicators without holding its 100 MB page as one string)."""
    rule_set = rules if rules is not None else load_rules(result.rules)
    stamp = generated_at.strftime("%Y-%m-%d %H:%M") if generated_at is not None else None
    report = build_report(result, targets, actuals, rule_set, stamp)
    view = image_view if static_charts else chart_view
    charts = {
        scope.key: [view(chart) for chart in scope_charts(scope, report.money_unit, report.decimals)]
        for scope in report.scopes
    }
    return _environment().get_template("report.html").generate(
        report=report,
        charts=charts,
        static_charts=static_charts,
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
