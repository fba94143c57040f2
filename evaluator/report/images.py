"""The report's charts as PNG images, drawn offline by matplotlib from the same figure data as the HTML charts.

``charts.scope_charts`` builds each chart once, as the dict plotly.js reads; the HTML page hands it to
plotly.js, and this module draws the very same dict for the Word report and the PDF. Only what those
figures use is translated: bar traces (horizontal or vertical, overlaid), their colours, outlines and
fill patterns, outside text labels, category order, axis titles, ranges and tick suffixes, a dashed
line shape with its annotation, the title and the legend.

Why matplotlib and not plotly's own export: plotly's static images need kaleido, which drives a
headless browser; matplotlib draws with its own Agg renderer, needs no browser and no network, and
gives the same bytes for the same figure on the same machine (PNG metadata without a version or a
date). Fonts: the first installed of ``FONTS`` (Noto Sans CJK on Linux, Microsoft YaHei or SimHei on
Windows); characters no installed font has (some emoji) are drawn as boxes rather than failing.
"""

from __future__ import annotations

import functools
import html
import io
import unicodedata
import warnings
from typing import Any

__all__ = ["DPI", "FONTS", "chart_fonts", "chart_png"]

DPI = 150
PX_PER_INCH = 96  # plotly's sizes are CSS pixels
FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "SimHei", "WenQuanYi Zen Hei",
         "Noto Sans SC", "PingFang SC", "DejaVu Sans")
HATCHES = {"/": "///", "\\": "\\\\\\", "x": "xxx", "-": "---", "|": "|||", "+": "+++", ".": "...", "": None}
DASHES = {"dash": (0, (5, 3)), "dot": (0, (1, 2)), "solid": "-"}


@functools.cache
def chart_fonts() -> tuple[str, ...]:
    """Return the installed fonts of ``FONTS``, in order: matplotlib falls back along this list glyph by glyph."""
    from matplotlib import font_manager

    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    return tuple(name for name in FONTS if name in installed) or ("DejaVu Sans",)


def chart_png(spec: dict[str, Any], dpi: int = DPI) -> bytes:
    """Return the PNG bytes of one chart (``Chart.spec``): same figure, same bytes."""
    from matplotlib import rc_context

    with rc_context(_style()), warnings.catch_warnings():
        # a character no installed font has is drawn as a box: readable, and not worth a warning per glyph
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from", category=UserWarning)
        warnings.filterwarnings("ignore", message=r".*[Mm]atching font.*", category=UserWarning)
        figure = _draw(spec)
        out = io.BytesIO()
        figure.savefig(out, format="png", dpi=dpi, metadata={"Software": None}, pil_kwargs={"compress_level": 3})
    return out.getvalue()


def _style() -> dict[str, Any]:
    return {
        "font.family": "sans-serif",
        "font.sans-serif": list(chart_fonts()),
        "axes.unicode_minus": False,
        "text.parse_math": False,  # a "$" in a name is a dollar sign, not mathtext
        "svg.hashsalt": "evaluator",
        "path.simplify": True,
    }


def _pt(px: float) -> float:
    return px * 72 / PX_PER_INCH


def _text(value: object) -> str:
    """Plotly labels carry &amp; &lt; &gt; entities; matplotlib shows text as written."""
    return html.unescape(str(value))


def _draw(spec: dict[str, Any]) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    layout = spec["layout"]
    width, height = float(layout["width"]), float(layout["height"])
    figure = Figure(figsize=(width / PX_PER_INCH, height / PX_PER_INCH), facecolor=layout.get("paper_bgcolor", "white"))
    FigureCanvasAgg(figure)
    base = _pt(layout.get("font", {}).get("size", 12))
    ink = layout.get("font", {}).get("color", "#222222")
    traces = spec["data"]
    horizontal = all(t.get("orientation") == "h" for t in traces)
    axis, values_axis = ("yaxis", "xaxis") if horizontal else ("xaxis", "yaxis")
    categories = _categories(traces, layout.get(axis, {}), horizontal)
    margin = layout.get("margin", {})
    left = float(margin.get("l", 80))
    if horizontal:  # plotly's automargin: room for the longest category label
        left = max(left, 24 + max((_label_px(c, base) for c in categories), default=0))
    bottom = float(margin.get("b", 50)) + (18 if layout.get(values_axis, {}).get("title") else 0)
    top, right = float(margin.get("t", 60)), float(margin.get("r", 30))
    axes = figure.add_axes((left / width, bottom / height, max(0.05, 1 - (left + right) / width),
                            max(0.05, 1 - (top + bottom) / height)))
    axes.set_facecolor(layout.get("plot_bgcolor", "white"))
    position = {label: index for index, label in enumerate(categories)}
    for trace in traces:
        _bars(axes, trace, position, horizontal, base, ink)
    _axes(axes, layout, categories, horizontal, base, ink)
    for shape in layout.get("shapes", ()):
        _shape(axes, shape)
    for note in layout.get("annotations", ()):
        _annotation(axes, note, base, ink)
    title = layout.get("title", {})
    if title.get("text"):
        figure.text(6 / width, 1 - 8 / height, _text(title["text"]), ha="left", va="top", color=ink,
                    fontsize=_pt(title.get("font", {}).get("size", 14)), fontweight="bold")
    if layout.get("showlegend", True) and any(t.get("name") for t in traces) and len(traces) > 1:
        handles = [_legend_patch(t) for t in traces]
        figure.legend(handles=handles, loc="upper right", bbox_to_anchor=(1 - 4 / width, 1 - 4 / height),
                      ncol=len(handles), frameon=False, fontsize=_pt(layout.get("legend", {}).get("font", {})
                                                                   .get("size", 11)), handlelength=1.4,
                      columnspacing=1.0)
    return figure


def _label_px(text: str, size_pt: float) -> float:
    """The width of a label in CSS pixels: full-width characters take one em, others about half."""
    em = size_pt * PX_PER_INCH / 72
    return sum(em if unicodedata.east_asian_width(ch) in "WF" else em * 0.58 for ch in _text(text))


def _categories(traces: list[dict[str, Any]], axis: dict[str, Any], horizontal: bool) -> list[str]:
    if axis.get("categoryarray"):
        return list(axis["categoryarray"])
    seen: list[str] = []
    for trace in traces:
        for label in trace.get("y" if horizontal else "x", ()):
            if label not in seen:
                seen.append(label)
    return seen


def _marker(trace: dict[str, Any], count: int) -> dict[str, Any]:
    """Bar colours, outlines and hatches (plotly's fill patterns) for ``count`` bars."""
    marker = trace.get("marker", {})

    def each(value: Any, default: Any) -> list[Any]:
        if isinstance(value, list | tuple):
            return [value[i] if i < len(value) else default for i in range(count)]
        return [default if value is None else value] * count

    line = marker.get("line", {})
    pattern = marker.get("pattern", {})
    shapes = each(pattern.get("shape"), "")
    return {
        "color": each(marker.get("color"), "#1f3b57"),
        "edgecolor": each(line.get("color"), "none") if line.get("width") else ["none"] * count,
        "linewidth": float(line.get("width", 0)) * 0.75,
        "hatch": [HATCHES.get(s) for s in shapes],
        "hatchcolor": pattern.get("fgcolor", "#1f3b57"),
    }


def _bars(axes: Any, trace: dict[str, Any], position: dict[str, int], horizontal: bool, base: float,
          ink: str) -> None:
    labels = trace.get("y" if horizontal else "x", [])
    values = [float(v) for v in trace.get("x" if horizontal else "y", [])]
    if not labels:
        return
    places = [position[label] for label in labels]
    size = float(trace.get("width", 0.8))
    style = _marker(trace, len(values))
    draw = axes.barh if horizontal else axes.bar
    bars = draw(places, values, size, color=style["color"], edgecolor=style["edgecolor"],
                linewidth=style["linewidth"], zorder=2)  # one call per trace: a call per bar costs 10 ms each
    for patch, hatch, edge in zip(bars.patches, style["hatch"], style["edgecolor"], strict=True):
        if hatch:
            patch.set_hatch(hatch)
            if hasattr(patch, "set_hatchcolor"):  # matplotlib 3.10+; before, the hatch takes the outline colour
                patch.set_hatchcolor(style["hatchcolor"])
            if edge == "none":
                patch.set_linewidth(0)
    texts = trace.get("text")
    if texts and trace.get("textposition") == "outside":
        texts = texts if isinstance(texts, list) else [texts] * len(values)
        for place, value, text in zip(places, values, texts, strict=False):
            if horizontal:
                axes.annotate(_text(text), (value, place), xytext=(3, 0), textcoords="offset points", ha="left",
                              va="center", fontsize=base, color=ink, annotation_clip=False, zorder=3)
            else:
                axes.annotate(_text(text), (place, value), xytext=(0, 3), textcoords="offset points",
                              ha="center", va="bottom", fontsize=base, color=ink, annotation_clip=False, zorder=3)


def _axes(axes: Any, layout: dict[str, Any], categories: list[str], horizontal: bool, base: float,
          ink: str) -> None:
    category_axis = layout.get("yaxis" if horizontal else "xaxis", {})
    value_axis = layout.get("xaxis" if horizontal else "yaxis", {})
    ticks = range(len(categories))
    names = [_text(c) for c in categories]
    if horizontal:
        axes.set_yticks(list(ticks), names)
        axes.set_ylim(len(categories) - 0.5, -0.5) if category_axis.get("autorange") == "reversed" else \
            axes.set_ylim(-0.5, len(categories) - 0.5)
        set_range, set_label, grid = axes.set_xlim, axes.set_xlabel, "x"
    else:
        axes.set_xticks(list(ticks), names)
        axes.set_xlim(-0.5, len(categories) - 0.5)
        set_range, set_label, grid = axes.set_ylim, axes.set_ylabel, "y"
    if value_axis.get("range"):
        low, high = (float(v) for v in value_axis["range"])
        set_range(low, high if high > low else low + 1)
    title = value_axis.get("title", {})
    if title.get("text"):
        set_label(_text(title["text"]), fontsize=base, color=ink)
    suffix = value_axis.get("ticksuffix")
    if suffix:
        from matplotlib.ticker import FuncFormatter

        formatter = FuncFormatter(lambda value, _pos: f"{value:g}{suffix}")
        (axes.xaxis if horizontal else axes.yaxis).set_major_formatter(formatter)
    axes.tick_params(labelsize=base, colors=ink, length=3)
    axes.grid(axis=grid, color="#e5e5e5", linewidth=0.6, zorder=0)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color("#888888")


def _shape(axes: Any, shape: dict[str, Any]) -> None:
    """A line shape in data x and paper y (the 100 % target line), as plotly draws it."""
    if shape.get("type") != "line":
        return
    line = shape.get("line", {})
    options = {"color": line.get("color", "#222222"), "linewidth": float(line.get("width", 1)) * 0.75,
               "linestyle": DASHES.get(line.get("dash", "solid"), "-"), "zorder": 4}
    if shape.get("xref") == "x" and shape.get("yref") == "paper" and shape.get("x0") == shape.get("x1"):
        axes.axvline(float(shape["x0"]), float(shape.get("y0", 0)), float(shape.get("y1", 1)), **options)
    elif shape.get("yref") == "y" and shape.get("xref") == "paper" and shape.get("y0") == shape.get("y1"):
        axes.axhline(float(shape["y0"]), float(shape.get("x0", 0)), float(shape.get("x1", 1)), **options)


def _annotation(axes: Any, note: dict[str, Any], base: float, ink: str) -> None:
    if note.get("xref") != "x" or note.get("yref") != "paper":
        return
    size = _pt(note.get("font", {}).get("size", 12)) if note.get("font") else base
    axes.text(float(note["x"]), float(note.get("y", 1)), _text(note.get("text", "")),
              transform=axes.get_xaxis_transform(), ha="center",
              va="bottom" if note.get("yanchor") == "bottom" else "top", fontsize=size, color=ink, clip_on=False)


def _legend_patch(trace: dict[str, Any]) -> Any:
    from matplotlib.patches import Patch

    style = _marker(trace, 1)
    options: dict[str, Any] = {"facecolor": style["color"][0], "label": _text(trace.get("name", "")),
                               "edgecolor": style["edgecolor"][0], "linewidth": style["linewidth"]}
    if style["hatch"][0]:
        options["hatch"] = style["hatch"][0]
        options["hatchcolor"] = style["hatchcolor"]
    try:
        return Patch(**options)
    except AttributeError:
        options.pop("hatchcolor", None)
        return Patch(**options)
