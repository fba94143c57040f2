"""The report's charts as plotly figures, five per 自评表, labelled in Chinese.

Only bar traces and layout shapes are used (both are in the vendored plotly-basic bundle). Every
figure has a fixed width that fits the A4 print area, no template (small JSON), and is readable
in grayscale: categories differ in lightness and fill pattern, and every bar carries a text label.

Figures are built as the plain dicts plotly.js reads (``trace``, ``figure_spec``), not through
``plotly.graph_objects``: its validation costs milliseconds per figure, which adds up to most of
the time of a batch of a thousand reports. ``Chart.figure`` still gives the validated figure, for
tests and tools.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from evaluator.report.context import MET, MISSING, Scope, completion
from evaluator.report.formatting import money, percent, points, score

__all__ = ["Chart", "WIDTH", "bar", "base_layout", "figure_spec", "plotly_label", "scope_charts", "trace"]

WIDTH = 660  # px; the A4 print area (210 mm − 2×14 mm margins) is about 688 px at 96 dpi
FONT = '"Noto Sans CJK SC", "Microsoft YaHei", "SimSun", sans-serif'
DARK, MID, LIGHT, INK = "#1f3b57", "#7f97b2", "#dde4ec", "#222222"
ROW_HEIGHT = 30
LABEL_CHARS = 16
COMPLETION_GROUPS = ("达成", "未达成（含部分达成）", "未填报或无法评分")
BASIS = {"lower": "目标÷实际（越低越好）", "qualitative": "定性档次得分比例"}
COMPLETION_CAP = 150  # bars longer than 150 % are drawn at 150 % and labelled with the real value
COMPLETION_MAX = 300  # indicators of one 自评表 drawn one bar each; more make a chart metres long


@dataclass(frozen=True)
class Chart:
    """One chart: its element id, its caption, and its figure as plotly.js reads it (None: nothing to draw)."""

    id: str
    caption: str
    spec: dict[str, Any] | None
    empty: str = ""

    @property
    def figure(self) -> Any:
        """Return the chart as a validated ``plotly.graph_objects.Figure`` (slow; for checks, not rendering)."""
        if self.spec is None:
            return None
        import plotly.graph_objects as go

        return go.Figure(self.spec)


def trace(kind: str, **props: Any) -> dict[str, Any]:
    """Return one plotly.js trace (``bar``, ``scatter`` or ``pie``: the traces of the bundle) as a dict."""
    return {"type": kind, **props}


def bar(**props: Any) -> dict[str, Any]:
    return trace("bar", **props)


def figure_spec(data: list[dict[str, Any]], layout: dict[str, Any]) -> dict[str, Any]:
    """Return a figure as plotly.js reads it: ``{"data": [...], "layout": {...}}``."""
    return {"data": data, "layout": layout}


def scope_charts(scope: Scope, money_unit: str, decimals: int) -> tuple[Chart, ...]:
    """Return the charts of one 自评表, in the order the report shows them."""
    prefix = f"chart-{scope.key}"
    return (
        _points_chart(f"{prefix}-level1", "各一级指标得分与分值", _level1_rows(scope)),
        _points_chart(f"{prefix}-level2", "各二级指标得分与分值", _level2_rows(scope)),
        _completion_chart(f"{prefix}-completion", scope),
        _budget_chart(f"{prefix}-budget", scope, money_unit),
        _lost_chart(f"{prefix}-lost", scope, decimals),
    )


def plotly_label(text: str, limit: int | None = LABEL_CHARS) -> str:
    """Return text for a plotly label: shortened, and with &, <, > as entities.

    Plotly reads labels as its own small HTML; entities make it show the characters as written.
    """
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def base_layout(title: str, height: int, **extra: Any) -> dict[str, Any]:
    """Return the layout every chart of the reports shares (fixed width, CJK font, no template)."""
    layout: dict[str, Any] = {
        "template": {},
        "width": WIDTH,
        "height": height,
        "autosize": False,
        "font": {"family": FONT, "size": 12, "color": INK},
        "title": {"text": title, "x": 0, "xanchor": "left", "xref": "container", "y": 1, "yanchor": "top",
                  "yref": "container", "pad": {"t": 10, "l": 4}, "font": {"size": 14}},
        "margin": {"l": 10, "r": 30, "t": 64, "b": 50},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "showlegend": True,
        "legend": {"orientation": "h", "x": 1, "xanchor": "right", "xref": "container",
                   "y": 1, "yanchor": "top", "yref": "container", "font": {"size": 11}},
        "hovermode": "closest",
    }
    layout.update(extra)
    return layout


def _category_axis(labels: list[str]) -> dict[str, Any]:
    """A category axis that lists the labels top-down in the given order."""
    return {"autorange": "reversed", "automargin": True, "categoryorder": "array", "categoryarray": labels}


def _height(rows: int) -> int:
    return 110 + ROW_HEIGHT * max(rows, 1)


def _level1_rows(scope: Scope) -> list[tuple[str, Decimal, Decimal]]:
    ex = scope.evaluation.execution
    rows = [("预算执行率", ex.points, ex.score or Decimal(0))]
    rows += [(s.label, s.points, s.score) for s in scope.level1]
    return rows


def _level2_rows(scope: Scope) -> list[tuple[str, Decimal, Decimal]]:
    return [(s.label, s.points, s.score) for s in scope.level2]


def _points_chart(chart_id: str, title: str, rows: list[tuple[str, Decimal, Decimal]]) -> Chart:
    """Earned against available points, one horizontal bar pair per group."""
    if not rows:
        return Chart(chart_id, title, None, "本表没有绩效指标。")
    if len(rows) > COMPLETION_MAX:
        return Chart(chart_id, title, None, f"本表有 {len(rows)} 组，超过 {COMPLETION_MAX} 组，不逐组绘图。")
    labels = [plotly_label(label) for label, _, _ in rows]
    available = [float(p) for _, p, _ in rows]
    earned = [float(s) for _, _, s in rows]
    texts = [f"{points(s)} / {points(p)}分" for _, p, s in rows]
    figure = figure_spec(
        [
            bar(
                name="分值", y=labels, x=available, orientation="h", width=0.8,
                marker={"color": LIGHT, "line": {"color": DARK, "width": 1},
                        "pattern": {"shape": "/", "fgcolor": MID}},
                text=texts, textposition="outside", cliponaxis=False,
                hovertemplate="%{y}<br>分值 %{x}<extra></extra>",
            ),
            bar(
                name="得分", y=labels, x=earned, orientation="h", width=0.45,
                marker={"color": DARK}, hovertemplate="%{y}<br>得分 %{x}<extra></extra>",
            ),
        ],
        layout=base_layout(
            title, _height(len(rows)), barmode="overlay",
            xaxis={"title": {"text": "分"}, "range": [0, max(available) * 1.3], "zeroline": True},
            yaxis=_category_axis(labels),
        ),
    )
    return Chart(chart_id, title, figure)


def _completion_chart(chart_id: str, scope: Scope) -> Chart:
    """Completion of each indicator against its target (100 %), direction-aware."""
    title = "各项指标完成程度（目标值 = 100%）"
    items = [row.item for row in scope.rows]
    if not items:
        return Chart(chart_id, title, None, "本表没有绩效指标。")
    if len(items) > COMPLETION_MAX:  # a bar per indicator no longer reads, nor prints; the table says it all
        return Chart(chart_id, title, None,
                     f"本表有 {len(items)} 个指标，超过 {COMPLETION_MAX} 个，不逐项绘图；各项完成情况见上方自评表。")
    labels = [plotly_label(f"{i.id} {i.name}") for i in items]
    groups: dict[str, dict[str, list[Any]]] = {
        name: {"y": [], "x": [], "text": [], "hover": []} for name in COMPLETION_GROUPS
    }
    largest = 100.0
    for item, label in zip(items, labels, strict=True):
        value = completion(item)
        if item.status in MISSING or value is None:
            group, x, text = "未填报或无法评分", 0.0, item.status_label
        else:
            group = "达成" if item.status in MET else "未达成（含部分达成）"
            pct = float(value * 100)
            x = min(pct, COMPLETION_CAP)
            text = percent(value, 1) + ("·定性" if item.direction == "qualitative" else "")
            largest = max(largest, x)
        basis = BASIS.get(item.direction, "实际÷目标")
        hover = f"{plotly_label(item.name, 40)}<br>目标 {plotly_label(item.target, 30)}；实际 " \
                f"{plotly_label(item.actual or '未填报', 30)}<br>按{basis}计"
        for key, value_ in (("y", label), ("x", x), ("text", text), ("hover", hover)):
            groups[group][key].append(value_)
    styles = {
        "达成": {"color": DARK},
        "未达成（含部分达成）": {"color": MID, "pattern": {"shape": "x", "fgcolor": DARK, "size": 6}},
        "未填报或无法评分": {"color": LIGHT, "line": {"color": DARK, "width": 1}},
    }
    traces = [
        bar(
            name=name, y=data["y"], x=data["x"], orientation="h", marker=styles[name], text=data["text"],
            textposition="outside", cliponaxis=False, customdata=data["hover"],
            hovertemplate="%{customdata}<extra></extra>",
        )
        for name, data in groups.items()
        if data["y"]
    ]
    figure = figure_spec(
        traces,
        layout=base_layout(
            title, _height(len(items)), barmode="relative",
            xaxis={"title": {"text": "完成程度（%）；越低越好的指标按 目标÷实际，定性指标按档次得分比例"},
                   "range": [0, largest * 1.18], "ticksuffix": "%"},
            yaxis=_category_axis(labels),
            shapes=[{"type": "line", "xref": "x", "yref": "paper", "x0": 100, "x1": 100, "y0": 0, "y1": 1,
                     "line": {"color": INK, "width": 2, "dash": "dash"}}],
            annotations=[{"xref": "x", "yref": "paper", "x": 100, "y": 1, "yanchor": "bottom",
                          "showarrow": False, "text": "目标值", "font": {"size": 11}}],
        ),
    )
    return Chart(chart_id, title, figure)


def _budget_chart(chart_id: str, scope: Scope, money_unit: str) -> Chart:
    """年初预算数, 全年预算数 and 全年执行数 side by side."""
    ex = scope.evaluation.execution
    title = f"预算执行情况（{money_unit}）"
    if ex.rate is not None:
        title += f"：执行率 {percent(ex.rate)}"
    names = ["年初预算数", "全年预算数", "全年执行数"]
    values = [ex.initial, ex.adjusted, ex.executed]
    if all(v is None for v in values):
        return Chart(chart_id, title, None, "未填报预算执行数据。")
    figure = figure_spec(
        [bar(
            x=names, y=[float(v) if v is not None else 0.0 for v in values], name="金额",
            marker={"color": [LIGHT, MID, DARK], "line": {"color": DARK, "width": 1},
                    "pattern": {"shape": ["", "/", ""], "fgcolor": DARK}},
            text=[f"{money(v)}{money_unit}" if v is not None else "未填报" for v in values],
            textposition="outside", cliponaxis=False, width=0.55,
            hovertemplate="%{x}：%{text}<extra></extra>",
        )],
        layout=base_layout(
            title, 300, showlegend=False, margin={"l": 60, "r": 30, "t": 44, "b": 40},
            yaxis={"title": {"text": money_unit}, "rangemode": "tozero",
                   "range": [0, max(float(v) for v in values if v is not None) * 1.2 or 1]},
        ),
    )
    return Chart(chart_id, title, figure)


def _lost_chart(chart_id: str, scope: Scope, decimals: int) -> Chart:
    """Where points were lost, largest first (ties keep the table's order)."""
    title = "失分分布（从多到少）"
    ex = scope.evaluation.execution
    lost = [("预算执行率", ex.points - (ex.score or Decimal(0)))]
    lost += [(f"{row.item.id} {row.item.name}", row.item.lost) for row in scope.rows]
    lost = sorted((entry for entry in lost if entry[1] > 0), key=lambda entry: -entry[1])
    if not lost:
        return Chart(chart_id, title, None, "本表各项均得满分，没有失分。")
    if len(lost) > COMPLETION_MAX:  # the largest losses; the table lists every one
        title += f"：失分最多的 {COMPLETION_MAX} 项（共 {len(lost)} 项失分）"
        lost = lost[:COMPLETION_MAX]
    labels = [plotly_label(name) for name, _ in lost]
    figure = figure_spec(
        [bar(
            y=labels, x=[float(value) for _, value in lost], orientation="h", name="失分",
            marker={"color": MID, "line": {"color": DARK, "width": 1},
                    "pattern": {"shape": "\\", "fgcolor": DARK}},
            text=[f"失{score(value, decimals)}分" for _, value in lost],
            textposition="outside", cliponaxis=False,
            hovertemplate="%{y}：%{text}<extra></extra>",
        )],
        layout=base_layout(
            title, _height(len(lost)), showlegend=False,
            xaxis={"title": {"text": "失分（分）"}, "range": [0, float(lost[0][1]) * 1.3]},
            yaxis=_category_axis(labels),
        ),
    )
    return Chart(chart_id, title, figure)
