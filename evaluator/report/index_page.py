"""The index page of a batch (汇总页): every department in a paged table, grades, execution against score, findings.

``render_index`` returns the page from a ``Batch``; ``index_data`` returns ``index-data.js``, the table's
rows (every department) in a compact columnar form that the page loads beside it. The page stays
small whatever the number of departments: it carries the first page of the table (sorted by total,
highest first, so it reads right without JavaScript), the departments to look at first (ranked by what
the pre-submission review found, at most ``ATTENTION_SHOWN``), the failures, and charts of
aggregates (above ``SCATTER_POINTS`` departments the execution-against-score chart becomes departments
per band of execution rate, stacked by grade, instead of one point each). The script pages, sorts, searches and filters
(grade, region, findings) the whole table from the data file.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import quote

from evaluator.report.charts import DARK, INK, LIGHT, MID, Chart, base_layout, figure_spec, plotly_label, trace
from evaluator.report.render import chart_view, page_template, plotly_context, script_json
from evaluator.results.summary import Attention, Batch, DepartmentSummary, Outlier, batch_year, quartile_fences

__all__ = ["ATTENTION_SHOWN", "FINDING_FILTERS", "INDEX_DATA", "LeagueRow", "PAGE_SIZE", "index_data", "league",
           "render_index"]

INDEX_DATA = "index-data.js"
PAGE_SIZE = 50
ATTENTION_SHOWN = 100
FAILURES_SHOWN = 500
FAILURE_MESSAGES_SHOWN = 5
SCATTER_POINTS = 300
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x", "cross")
SHADES = (DARK, MID, "#4b6584", "#a9b8c9", INK, LIGHT)
# the table's findings filter: value, label (the script knows each value's test)
FINDING_FILTERS = (
    ("any", "有问题的部门（任一项）"), ("errors", "复核有错误"), ("grade", "复核后等级变化"),
    ("unsupported", "有未获支持的自评得分"), ("unexplained", "有未说明原因的偏差"),
    ("low-execution", "执行率低且未说明原因"), ("pending", "有待确认的指标（暂定）"), ("outlier", "统计上异常"),
)
OUTLIER_KINDS = ("score-ahead", "total-low", "total-high", "claims", "year")


@dataclass(frozen=True)
class LeagueRow:
    rank: int
    href: str | None
    summary: DepartmentSummary
    outliers: tuple[Outlier, ...]


def league(batch: Batch) -> tuple[LeagueRow, ...]:
    """Rank the departments by total, highest first; equal totals share a rank (1, 2, 2, 4), then by slug.

    A department without a total (every score pending) comes last, unranked (rank 0).
    """
    ordered = sorted(batch.departments, key=lambda d: (d.total is None, -(d.total or 0), d.slug))
    by_slug: dict[str, list[Outlier]] = {}
    for outlier in batch.outliers:
        by_slug.setdefault(outlier.slug, []).append(outlier)
    rows = []
    rank = 0
    previous: Decimal | None = None
    for position, summary in enumerate(ordered, start=1):
        if summary.total is not None and summary.total != previous:
            rank, previous = position, summary.total
        href = quote(f"{summary.slug}.html") if batch.reports else None
        rows.append(LeagueRow(rank if summary.total is not None else 0, href, summary,
                              tuple(by_slug.get(summary.slug, ()))))
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


def _scatter_layout(title: str, lowest: float) -> dict[str, object]:
    return base_layout(
        title, 420,
        xaxis={"title": {"text": "预算执行率（%）"}, "ticksuffix": "%",
               "range": [max(0.0, min(lowest, 100.0) - 5), 105], "zeroline": False},
        yaxis={"title": {"text": "总分"}, "range": [0, 105], "zeroline": False},
        margin={"l": 60, "r": 30, "t": 64, "b": 50},
    )


def _scatter_chart(batch: Batch) -> Chart:
    title = "预算执行率与总分（每个点为一个部门）"
    points = [d for d in batch.departments if d.rate is not None and d.total is not None]
    if not points:
        return Chart("chart-index-scatter", title, None, "没有可比的预算执行率。")
    if len(points) > SCATTER_POINTS:
        return _banded_chart(batch, points)
    traces = []
    grades = list(batch.grades) + sorted({d.grade for d in points} - set(batch.grades))
    for n, grade in enumerate(grades):
        members = [d for d in points if d.grade == grade]
        if not members:
            continue
        traces.append(trace(
            "scatter", mode="markers", name=grade,
            x=[round(float(d.rate or 0) * 100, 2) for d in members], y=[float(d.total or 0) for d in members],
            marker={"symbol": SYMBOLS[n % len(SYMBOLS)], "size": 8, "color": SHADES[n % len(SHADES)],
                    "line": {"color": DARK, "width": 1}},
            customdata=[f"{plotly_label(d.department, 30)}（{d.slug}）" for d in members],
            hovertemplate="%{customdata}<br>执行率 %{x:.2f}%<br>总分 %{y:.2f}<extra></extra>",
        ))
    lowest = min(float(d.rate or 0) * 100 for d in points)
    return Chart("chart-index-scatter", title, figure_spec(traces, layout=_scatter_layout(title, lowest)))


RATE_BANDS = ((Decimal("0.6"), "低于60%"), (Decimal("0.7"), "60%–70%"), (Decimal("0.8"), "70%–80%"),
              (Decimal("0.9"), "80%–90%"), (Decimal("0.95"), "90%–95%"), (Decimal(1), "95%–100%"))


def _band(rate: Decimal) -> str:
    for upper, label in RATE_BANDS:
        if rate < upper:
            return label
    return "100%" if rate == 1 else "超过100%"


def _banded_chart(batch: Batch, points: list[DepartmentSummary]) -> Chart:
    """Too many departments for a point each: departments per band of execution rate, stacked by grade."""
    title = f"预算执行率分布与等级（{len(points):,} 个部门）"
    bands = [label for _, label in RATE_BANDS] + ["100%", "超过100%"]
    counts = Counter((_band(d.rate or Decimal(0)), d.grade) for d in points)
    grades = list(batch.grades) + sorted({d.grade for d in points} - set(batch.grades))
    traces = []
    for n, grade in enumerate(grades):
        values = [counts.get((band, grade), 0) for band in bands]
        if not any(values):
            continue
        traces.append(trace("bar", name=grade, x=bands, y=values, marker={"color": SHADES[n % len(SHADES)],
                            "line": {"color": DARK, "width": 1}},
                            hovertemplate=f"执行率%{{x}}，{grade}：%{{y}} 个部门<extra></extra>"))
    layout = base_layout(title, 420, barmode="stack", margin={"l": 60, "r": 30, "t": 64, "b": 50},
                         xaxis={"title": {"text": "预算执行率"}, "type": "category"},
                         yaxis={"title": {"text": "部门数"}, "rangemode": "tozero"})
    return Chart("chart-index-scatter", title, figure_spec(traces, layout=layout))


def _cents(value: Decimal | None) -> int | None:
    """Hundredths, rounded half up as the page prints them (a total, points)."""
    return None if value is None else int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _basis_points(value: Decimal | None) -> int | None:
    """A fraction in ten-thousandths, rounded half up: the percentage with two decimals the page prints."""
    return None if value is None else int((value * 10000).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def index_data(batch: Batch) -> str:
    """Return index-data.js: every department's row for the index's table, compact and columnar.

    ``window.EVALUATOR_INDEX = {"grades": […], "regions": […], "kinds": […], "rows": [[…], …]}``; each row
    is ``ROW_FIELDS`` in order, in league order. Totals are in cents, rates in basis points; grades,
    regions and outlier kinds are indices (kinds as a bit mask), so a row costs about 100 bytes.
    """
    grades = list(batch.grades) + sorted({d.grade for d in batch.departments} - set(batch.grades))
    regions = sorted({d.region for d in batch.departments})
    region_index = {r: n for n, r in enumerate(regions)}
    rows = []
    for row in league(batch):
        d = row.summary
        mask = 0
        for outlier in row.outliers:
            if outlier.kind in OUTLIER_KINDS:
                mask |= 1 << OUTLIER_KINDS.index(outlier.kind)
        claimed = grades.index(d.claimed_grade) if d.claimed_grade in grades else -1
        rows.append([row.rank, d.slug, d.department, _cents(d.total), grades.index(d.grade) if d.grade in grades
                     else -1, _basis_points(d.rate), _basis_points(d.indicator_rate), d.funds, d.indicators,
                     d.unsupported, _cents(d.unsupported_points), d.errors, d.unexplained, d.low_execution, d.pending,
                     claimed, mask, region_index[d.region]])
    labels = {o.kind: o.label for o in batch.outliers}
    payload = {"fields": list(ROW_FIELDS), "grades": grades, "regions": regions,
               "kinds": [[k, labels.get(k, KIND_LABELS[k])] for k in OUTLIER_KINDS],
               "reports": batch.reports, "rows": rows}
    return "window.EVALUATOR_INDEX=" + str(script_json(payload)) + ";\n"


ROW_FIELDS = ("rank", "slug", "department", "total", "grade", "rate", "indicator_rate", "funds", "indicators",
              "unsupported", "unsupported_points", "errors", "unexplained", "low_execution", "pending",
              "claimed_grade", "kinds", "region")
KIND_LABELS = {"score-ahead": "得分高而执行率低", "total-low": "总分异常低", "total-high": "总分异常高",
               "claims": "多项自评得分未获支持", "year": "年度与其他部门不同"}


def _finding_counts(batch: Batch) -> list[tuple[str, int]]:
    ds = batch.departments
    line = f"{batch.explain_below * 100:.0f}%"
    counts = [
        ("复核有错误的部门", sum(1 for d in ds if d.errors)),
        ("复核后等级变化的部门", sum(1 for d in ds if d.grade_changed)),
        ("有未获支持的自评得分的部门", sum(1 for d in ds if d.unsupported_points)),
        ("有未说明原因的偏差的部门", sum(1 for d in ds if d.unexplained)),
        (f"预算执行率低于{line}且未说明原因的部门", sum(1 for d in ds if d.low_execution)),
        ("有待确认指标（总分暂定）的部门", sum(1 for d in ds if d.pending)),
    ]
    kinds = Counter(o.label for o in batch.outliers)
    counts += [(label, n) for label, n in sorted(kinds.items(), key=lambda item: -item[1])]
    return counts


def render_index(batch: Batch, *, plotly_src: str | None = None) -> str:
    """Return the batch's index page; ``plotly_src`` loads plotly.js from a file beside it (else inline)."""
    rows = league(batch)
    counts = Counter(d.grade for d in batch.departments)
    totals = [d.total for d in batch.departments if d.total is not None]
    rates = [d.rate for d in batch.departments if d.rate is not None]
    fences = quartile_fences(batch.departments)
    years, year = batch.years, batch_year(batch.departments)
    if year is not None:  # a stray department of another year is listed under 需要关注, not in the title
        year_text = f"{year}年度"
    else:
        year_text = (f"{years[0]}年度" if len(years) == 1 else f"{years[0]}—{years[-1]}年度") if years else ""
    charts = [chart_view(_grade_chart(batch, counts)), chart_view(_scatter_chart(batch))]
    attention: tuple[Attention, ...] = batch.attention
    return page_template("index.html").render(
        batch=batch,
        rows=rows[:PAGE_SIZE],
        row_count=len(rows),
        page_size=PAGE_SIZE,
        year_text=year_text,
        grades=[(g, counts.get(g, 0)) for g in batch.grades if counts.get(g, 0) or g in batch.grades],
        other_grades=sorted(set(counts) - set(batch.grades)),
        regions=sorted({d.region for d in batch.departments if d.region}),
        finding_filters=FINDING_FILTERS,
        mean_total=sum(totals, Decimal(0)) / len(totals) if totals else None,
        median_total=_median(totals),
        mean_rate=sum(rates, Decimal(0)) / len(rates) if rates else None,
        fences=fences,
        attention=attention[:ATTENTION_SHOWN],
        attention_count=len(attention),
        finding_counts=_finding_counts(batch),
        failures=batch.failures[:FAILURES_SHOWN],
        failure_messages=FAILURE_MESSAGES_SHOWN,
        index_data=INDEX_DATA,
        charts=charts,
        pending_total=sum(d.pending for d in batch.departments),
        provisional=[d for d in batch.departments if d.pending][:ATTENTION_SHOWN],
        provisional_count=sum(1 for d in batch.departments if d.pending),
        banded=sum(1 for d in batch.departments if d.rate is not None and d.total is not None) > SCATTER_POINTS,
        **plotly_context(plotly_src),
    )


def _median(values: list[Decimal]) -> Decimal | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
