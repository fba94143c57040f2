"""The index page of a batch (汇总页): league table, grade distribution, execution against score, outliers.

``render_index`` returns the page as a string from a ``Batch``; it only arranges what the batch
computed. The league table is sorted by total (highest first) in the HTML itself, so it reads right
without JavaScript; a small inline script sorts it by any column when a header is clicked.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from evaluator.report.charts import DARK, INK, LIGHT, MID, Chart, base_layout, figure_spec, plotly_label, trace
from evaluator.report.render import chart_view, page_template, plotly_context
from evaluator.results.summary import Batch, DepartmentSummary, Outlier, batch_year, quartile_fences

__all__ = ["LeagueRow", "league", "render_index"]

SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "cross")
SHADES = (DARK, MID, "#4b6584", "#a9b8c9", INK, LIGHT)


@dataclass(frozen=True)
class LeagueRow:
    rank: int
    href: str
    summary: DepartmentSummary
    outliers: tuple[Outlier, ...]


def league(batch: Batch) -> tuple[LeagueRow, ...]:
    """Rank the departments by total, highest first; equal totals share a rank (1, 2, 2, 4), then by slug."""
    ordered = sorted(batch.departments, key=lambda d: (-d.total, d.slug))
    by_slug: dict[str, list[Outlier]] = {}
    for outlier in batch.outliers:
        by_slug.setdefault(outlier.slug, []).append(outlier)
    rows = []
    rank = 0
    previous: Decimal | None = None
    for position, summary in enumerate(ordered, start=1):
        if summary.total != previous:
            rank, previous = position, summary.total
        rows.append(LeagueRow(rank, quote(f"{summary.slug}.html"), summary, tuple(by_slug.get(summary.slug, ()))))
    return tuple(rows)


def _grade_chart(batch: Batch, counts: Counter[str]) -> Chart:
    title = "等级分布（部门整体）"
    if not batch.departments:
        return Chart("chart-index-grades", title, None, "没有评价成功的部门。")
    grades = list(batch.grades) + sorted(set(counts) - set(batch.grades))
    values = [counts.get(g, 0) for g in grades]
    total = sum(values)
    figure = figure_spec(
        [trace("bar", x=grades, y=values, name="部门数", width=0.55,
               marker={"color": [SHADES[n % len(SHADES)] for n in range(len(grades))],
                       "line": {"color": DARK, "width": 1}},
               text=[f"{v}个（{v * 100 / total:.1f}%）" for v in values], textposition="outside",
               cliponaxis=False, hovertemplate="%{x}：%{text}<extra></extra>")],
        layout=base_layout(title, 300, showlegend=False, margin={"l": 60, "r": 30, "t": 44, "b": 40},
                           yaxis={"title": {"text": "部门数"}, "rangemode": "tozero",
                                  "range": [0, max(values) * 1.25 or 1]},
                           xaxis={"type": "category"}),
    )
    return Chart("chart-index-grades", title, figure)


def _scatter_chart(batch: Batch) -> Chart:
    title = "预算执行率与总分（每个点为一个部门）"
    points = [d for d in batch.departments if d.rate is not None]
    if not points:
        return Chart("chart-index-scatter", title, None, "没有可比的预算执行率。")
    traces = []
    grades = list(batch.grades) + sorted({d.grade for d in points} - set(batch.grades))
    for n, grade in enumerate(grades):
        members = [d for d in points if d.grade == grade]
        if not members:
            continue
        traces.append(trace(
            "scatter", mode="markers", name=grade,
            x=[round(float(d.rate or 0) * 100, 2) for d in members], y=[float(d.total) for d in members],
            marker={"symbol": SYMBOLS[n % len(SYMBOLS)], "size": 8, "color": SHADES[n % len(SHADES)],
                    "line": {"color": DARK, "width": 1}},
            customdata=[f"{plotly_label(d.department, 30)}（{d.slug}）" for d in members],
            hovertemplate="%{customdata}<br>执行率 %{x:.2f}%<br>总分 %{y:.2f}<extra></extra>",
        ))
    lowest = min(float(d.rate or 0) * 100 for d in points)
    figure = figure_spec(
        traces,
        layout=base_layout(
            title, 420,
            xaxis={"title": {"text": "预算执行率（%）"}, "ticksuffix": "%",
                   "range": [max(0.0, min(lowest, 100.0) - 5), 105], "zeroline": False},
            yaxis={"title": {"text": "总分"}, "range": [0, 105], "zeroline": False},
            margin={"l": 60, "r": 30, "t": 64, "b": 50},
        ),
    )
    return Chart("chart-index-scatter", title, figure)


def render_index(batch: Batch, *, plotly_src: str | None = None) -> str:
    """Return the batch's index page; ``plotly_src`` loads plotly.js from a file beside it (else inline)."""
    rows = league(batch)
    counts = Counter(d.grade for d in batch.departments)
    totals = [d.total for d in batch.departments]
    rates = [d.rate for d in batch.departments if d.rate is not None]
    fences = quartile_fences(batch.departments)
    outlier_groups: dict[str, list[Outlier]] = {}
    for outlier in sorted(batch.outliers, key=lambda o: (o.kind, o.slug)):
        outlier_groups.setdefault(outlier.label, []).append(outlier)
    years, year = batch.years, batch_year(batch.departments)
    if year is not None:  # a stray department of another year is listed under 需要关注, not in the title
        year_text = f"{year}年度"
    else:
        year_text = (f"{years[0]}年度" if len(years) == 1 else f"{years[0]}—{years[-1]}年度") if years else ""
    charts = [chart_view(_grade_chart(batch, counts)), chart_view(_scatter_chart(batch))]
    return page_template("index.html").render(
        batch=batch,
        rows=rows,
        year_text=year_text,
        grades=[(g, counts.get(g, 0)) for g in batch.grades if counts.get(g, 0) or g in batch.grades],
        mean_total=sum(totals, Decimal(0)) / len(totals) if totals else None,
        median_total=_median(totals),
        mean_rate=sum(rates, Decimal(0)) / len(rates) if rates else None,
        fences=fences,
        outlier_groups=outlier_groups,
        charts=charts,
        provisional=[d for d in batch.departments if d.pending],
        **plotly_context(plotly_src),
    )


def _median(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
