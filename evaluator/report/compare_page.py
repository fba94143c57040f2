"""The multi-year comparison page (跨年度比较): one offline HTML file from a ``Comparison``.

Built like the self-evaluation report (same environment, styles, chart helpers and plotly bundle);
``render_compare`` only arranges what ``evaluator.analysis.compare`` found. Charts: the total and the group
scores by year and the budget by year for each scope, and target against actual by year for every
indicator with numbers.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from evaluator.decimals import fmt
from evaluator.language.units import in_unit
from evaluator.report.charts import DARK, INK, LIGHT, MID, WIDTH, Chart, base_layout, figure_spec, plotly_label, trace
from evaluator.report.render import ChartView, chart_view, page_template, plotly_context
from evaluator.results.comparison import Comparison, CostTrack, Flag, FlagKind, Line, ScopeTrack

__all__ = ["ScopeView", "YearSummary", "render_compare"]

LINE_STYLES = (
    {"color": DARK, "width": 3},
    {"color": MID, "width": 2, "dash": "dash"},
    {"color": INK, "width": 2, "dash": "dot"},
    {"color": "#4b6584", "width": 2, "dash": "dashdot"},
    {"color": "#a9b8c9", "width": 2, "dash": "longdash"},
)
SYMBOLS = ("circle", "square", "diamond", "triangle-up", "x")
LINE_CHART_WIDTH = 450  # two per row on screen, one per row on A4


@dataclass(frozen=True)
class YearSummary:
    """One column of the overview: a year of the department as a whole."""

    year: int
    has_actuals: bool
    total: Decimal | None
    grade: str | None
    rate: Decimal | None
    planned: Decimal | None
    executed: Decimal | None
    indicators: int
    funds: int
    flags: int


@dataclass(frozen=True)
class ScopeView:
    scope: ScopeTrack
    charts: tuple[ChartView, ...]
    group_rows: tuple[tuple[str, tuple[str, ...]], ...]  # label, one text per year
    line_flags: dict[str, tuple[Flag, ...]]
    line_charts: dict[str, ChartView]


def _x(comparison: Comparison) -> list[str]:
    return [f"{year}年" for year in comparison.years]


def _float(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _scores_chart(comparison: Comparison, scope: ScopeTrack) -> Chart:
    chart_id, title = f"chart-{scope.key}-scores", f"{scope.name}：总分与各组得分"
    if not any(y is not None and y.has_actuals for y in scope.years):
        return Chart(chart_id, title, None, "各年均没有实际值，无法评分。")
    series: list[tuple[str, list[float | None]]] = [
        ("总分", [_float(y.total) if y is not None else None for y in scope.years]),
        ("预算执行", [_float(y.execution_score) if y is not None else None for y in scope.years]),
    ]
    labels = list(dict.fromkeys(g.label for y in scope.years if y is not None for g in y.groups))
    for label in labels:
        values = []
        for year in scope.years:
            group = next((g for g in year.groups if g.label == label), None) if year is not None else None
            values.append(_float(group.score) if group is not None else None)
        series.append((label, values))
    traces = []
    for n, (name, values) in enumerate(series):
        traces.append(trace(
            "scatter", mode="lines+markers+text" if n == 0 else "lines+markers", name=name, x=_x(comparison),
            y=values, line=LINE_STYLES[n % len(LINE_STYLES)],
            marker={"symbol": SYMBOLS[n % len(SYMBOLS)], "size": 8,
                    "color": LINE_STYLES[n % len(LINE_STYLES)]["color"]},
            text=[fmt(Decimal(str(v)), 2) if v is not None else "" for v in values] if n == 0 else None,
            textposition="top center", hovertemplate=f"{name} %{{x}}：%{{y:.2f}}分<extra></extra>",
        ))
    for entry in traces:
        if entry["text"] is None:
            del entry["text"]
    figure = figure_spec(traces, layout=base_layout(
        title, 340, margin={"l": 50, "r": 30, "t": 64, "b": 40},
        xaxis={"type": "category"}, yaxis={"title": {"text": "分"}, "range": [0, 108]},
    ))
    return Chart(chart_id, title, figure)


def _budget_chart(comparison: Comparison, scope: ScopeTrack) -> Chart:
    unit = comparison.money_unit
    chart_id, title = f"chart-{scope.key}-budget", f"{scope.name}：预算与执行（{unit}）"
    rows = [("目标表金额", "planned", LIGHT, ""), ("全年预算数", "adjusted", MID, "/"),
            ("全年执行数", "executed", DARK, "")]
    if all(getattr(y, field) is None for y in scope.years if y is not None for _, field, _, _ in rows):
        return Chart(chart_id, title, None, "各年均没有预算数据。")
    traces = []
    largest = 0.0
    for name, field, color, pattern in rows:
        values = [_float(getattr(y, field)) if y is not None else None for y in scope.years]
        largest = max([largest, *(v for v in values if v is not None)])
        traces.append(trace(
            "bar", name=name, x=_x(comparison), y=values,
            marker={"color": color, "line": {"color": DARK, "width": 1},
                    "pattern": {"shape": pattern, "fgcolor": DARK}},
            text=[fmt(Decimal(str(v)), 2) if v is not None else "" for v in values], textposition="outside",
            cliponaxis=False, hovertemplate=f"{name} %{{x}}：%{{y:.2f}}{unit}<extra></extra>",
        ))
    figure = figure_spec(traces, layout=base_layout(
        title, 320, barmode="group", margin={"l": 60, "r": 30, "t": 64, "b": 40},
        xaxis={"type": "category"}, yaxis={"title": {"text": unit}, "range": [0, largest * 1.2 or 1]},
    ))
    return Chart(chart_id, title, figure)


def _line_chart(comparison: Comparison, line: Line) -> Chart:
    latest = line.latest
    unit = latest.unit or next((c.unit for c in reversed(line.present) if c.unit), "") or ""
    title = plotly_label(f"{latest.id} {latest.name}", 24) + (f"（{unit}）" if unit else "")
    chart_id = f"chart-line-{line.key}"
    targets, actuals, target_text, actual_text = [], [], [], []
    for cell in line.cells:
        if cell is None:
            targets.append(None)
            actuals.append(None)
            target_text.append("")
            actual_text.append("")
            continue
        targets.append(_float(in_unit(cell.target_value, cell.unit, unit or None)))
        actuals.append(_float(in_unit(cell.actual_value, cell.unit, unit or None)))
        target_text.append(plotly_label(cell.target, 30))
        actual_text.append(plotly_label(cell.actual or "未填报", 30))
    if all(v is None for v in targets + actuals):
        return Chart(chart_id, title, None, "没有可画的数值。")
    traces = [
        trace("scatter", mode="lines+markers", name="目标", x=_x(comparison), y=targets,
              line={"color": MID, "width": 2, "dash": "dash"}, marker={"symbol": "square", "size": 8, "color": MID},
              customdata=target_text, hovertemplate="%{x} 目标 %{customdata}<extra></extra>"),
        trace("scatter", mode="lines+markers+text", name="实际", x=_x(comparison), y=actuals,
              line={"color": DARK, "width": 3}, marker={"symbol": "circle", "size": 9, "color": DARK},
              text=[fmt(Decimal(str(v))) if v is not None else "" for v in actuals], textposition="top center",
              customdata=actual_text, hovertemplate="%{x} 实际 %{customdata}<extra></extra>"),
    ]
    values = [v for v in targets + actuals if v is not None]
    low, high = min(values), max(values)
    pad = (high - low) * 0.25 or abs(high) * 0.2 or 1
    bottom = 0.0 if 0 <= low < pad else low - pad  # keep the axis at zero when the values are near it
    figure = figure_spec(traces, layout=base_layout(
        title, 230, width=LINE_CHART_WIDTH, margin={"l": 50, "r": 20, "t": 56, "b": 32},
        xaxis={"type": "category"}, yaxis={"range": [bottom, high + pad]},
        legend={"orientation": "h", "x": 1, "xanchor": "right", "xref": "container", "y": 0.86,
                "yanchor": "top", "yref": "container", "font": {"size": 11}},
    ))
    return Chart(chart_id, title, figure)


def _group_rows(comparison: Comparison, scope: ScopeTrack) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The rows of a scope's year table: totals, grade, execution, group scores and money."""
    years = scope.years

    def row(label: str, pick: Any) -> tuple[str, tuple[str, ...]]:
        return label, tuple("未设" if y is None else pick(y) for y in years)

    def scored(text: Any) -> Any:
        return lambda y: text(y) if y.has_actuals else "无实际值"

    labels = list(dict.fromkeys(g.label for y in years if y is not None for g in y.groups))
    rows = [
        row("总分", scored(lambda y: fmt(y.total, 2))),
        row("等级", scored(lambda y: y.grade or "—")),
        row("预算执行率", scored(lambda y: f"{fmt(y.rate * 100, 2)}%" if y.rate is not None else "—")),
        row("预算执行得分", scored(lambda y: f"{fmt(y.execution_score, 2)} / {fmt(y.execution_points)}")),
    ]
    for label in labels:
        def pick(y: Any, label: str = label) -> str:
            group = next((g for g in y.groups if g.label == label), None)
            return f"{fmt(group.score, 2)} / {fmt(group.points)}" if group is not None else "—"

        rows.append(row(f"{label}得分", scored(pick)))
    unit = comparison.money_unit
    rows += [
        row(f"目标表金额（{unit}）", lambda y: fmt(y.planned, 2)),
        row(f"全年预算数（{unit}）", scored(lambda y: fmt(y.adjusted, 2))),
        row(f"全年执行数（{unit}）", scored(lambda y: fmt(y.executed, 2))),
        row("指标数", lambda y: str(y.indicators)),
    ]
    return tuple(rows)


def _overview(comparison: Comparison) -> tuple[YearSummary, ...]:
    department = comparison.scopes[0]
    result = []
    for position, year in enumerate(comparison.years):
        scope_year = department.years[position]
        assert scope_year is not None  # the department is there every year
        funds = sum(1 for s in comparison.scopes[1:] if s.years[position] is not None)
        indicators = sum(s.years[position].indicators for s in comparison.scopes  # type: ignore[union-attr]
                         if s.years[position] is not None)
        result.append(YearSummary(
            year=year, has_actuals=scope_year.has_actuals, total=scope_year.total, grade=scope_year.grade,
            rate=scope_year.rate, planned=scope_year.planned, executed=scope_year.executed,
            indicators=indicators, funds=funds, flags=sum(1 for f in comparison.flags if f.year == year),
        ))
    return tuple(result)


def render_compare(comparison: Comparison, *, plotly_src: str | None = None) -> str:
    """Return the comparison page as one offline HTML document (plotly.js inlined unless ``plotly_src``)."""
    flag_groups = [(kind, comparison.flags_of(kind)) for kind in FlagKind]
    scopes = []
    for scope in comparison.scopes:
        line_flags: dict[str, list[Flag]] = {}
        for flag in comparison.flags:
            if flag.line is not None and flag.scope_key == scope.key:
                line_flags.setdefault(flag.line, []).append(flag)
        scopes.append(ScopeView(
            scope=scope,
            charts=(chart_view(_scores_chart(comparison, scope)), chart_view(_budget_chart(comparison, scope))),
            group_rows=_group_rows(comparison, scope),
            line_flags={key: tuple(flags) for key, flags in line_flags.items()},
            line_charts={line.key: chart_view(_line_chart(comparison, line)) for line in scope.lines if line.numeric},
        ))
    return page_template("compare.html").render(
        c=comparison,
        overview=_overview(comparison),
        flag_groups=flag_groups,
        scopes=scopes,
        costs=_cost_rows(comparison),
        span=f"{comparison.years[0]}—{comparison.years[-1]}",
        width=WIDTH,
        **plotly_context(plotly_src),
    )


def _cost_rows(comparison: Comparison) -> list[tuple[CostTrack, list[tuple[int, str, str, str, str]]]]:
    """Each cost track as rows of (year, executed, count, cost per unit, change of the cost)."""
    result = []
    unit = comparison.money_unit
    for track in comparison.costs:
        rows = []
        previous = None
        for point in track.points:
            if point is None:
                continue
            change = ""
            if previous is not None and previous.cost and point.cost is not None:
                fraction = point.cost / previous.cost - 1
                change = f"{'+' if fraction >= 0 else '−'}{fmt(abs(fraction) * 100, 1)}%"
            rows.append((point.year, f"{fmt(point.executed, 2)}{unit}", f"{fmt(point.count)}{track.unit}",
                         f"{fmt(point.cost, 2)}{unit}" if point.cost is not None else "—", change))
            previous = point
        result.append((track, rows))
    return result
