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

Why straight onto matplotlib's Agg renderer and not through a Figure and its Axes: these charts are
a few rectangles, lines and labels placed where plotly places them, and an Axes with its ticks,
tick labels and layout is a thousand Python objects a chart. Drawing the same marks directly takes
less than half the time and does not import ``matplotlib.figure`` (0.15 s more than the Agg backend
alone); that is what keeps the Word report and the PDF within three times the HTML report's time
(benchmarks/RESULTS.md, section documents).
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
DASHES = {"dash": (5, 3), "dot": (1, 2), "solid": None}  # in line widths, as matplotlib scales its dashes
GRID, SPINE = "#e5e5e5", "#888888"
TICK_PT, TICK_PAD_PT, LABEL_PAD_PT = 3.0, 3.5, 4.0  # tick length, tick label and axis title distances
LINE_PT, GRID_PT = 0.8, 0.6
# the legend, in font sizes (matplotlib's defaults, and this module's handle length and column spacing)
LEGEND = {"border_axes": 0.5, "border": 0.4, "handle_length": 1.4, "handle_height": 0.7, "handle_text": 0.8,
          "column": 1.0}


@functools.cache
def chart_fonts() -> tuple[str, ...]:
    """Return the installed fonts of ``FONTS``, in order: matplotlib falls back along this list glyph by glyph."""
    from matplotlib import font_manager

    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    return tuple(name for name in FONTS if name in installed) or ("DejaVu Sans",)


@functools.cache
def _first_font_characters() -> frozenset[int]:
    """The characters the first chart font has: a text made only of them is laid out without the fallback
    fonts, which matplotlib would otherwise consult for every glyph (the same pixels, 15 % less time)."""
    from matplotlib.font_manager import FontProperties, findfont, get_font

    return frozenset(get_font(findfont(FontProperties(family=[chart_fonts()[0]]))).get_charmap())


@functools.cache
def _font(size_pt: float, bold: bool, fallback: bool) -> Any:
    from matplotlib.font_manager import FontProperties

    family = list(chart_fonts()) if fallback else [chart_fonts()[0]]
    return FontProperties(family=family, size=size_pt, weight="bold" if bold else "normal")


def chart_png(spec: dict[str, Any], dpi: int = DPI) -> bytes:
    """Return the PNG bytes of one chart (``Chart.spec``): same figure, same bytes."""
    with warnings.catch_warnings():
        # a character no installed font has is drawn as a box: readable, and not worth a warning per glyph
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from", category=UserWarning)
        warnings.filterwarnings("ignore", message=r".*[Mm]atching font.*", category=UserWarning)
        canvas = _Canvas(spec["layout"], dpi)
        _draw(canvas, spec)
        return canvas.png()


def _pt(px: float) -> float:
    return px * 72 / PX_PER_INCH


def _text(value: object) -> str:
    """Plotly labels carry &amp; &lt; &gt; entities; matplotlib shows text as written."""
    return html.unescape(str(value))


class _Canvas:
    """One chart's pixels: matplotlib's Agg renderer, with positions in device pixels from the bottom left."""

    def __init__(self, layout: dict[str, Any], dpi: int) -> None:
        from matplotlib.backends.backend_agg import RendererAgg

        self.dpi = dpi
        self.scale = dpi / PX_PER_INCH  # device pixels per CSS pixel
        self.width = int(float(layout["width"]) * self.scale)
        self.height = int(float(layout["height"]) * self.scale)
        self.renderer = RendererAgg(self.width, self.height, dpi)
        self._lp: dict[tuple[float, bool], tuple[float, float, float]] = {}
        self.rect((0, 0, self.width, self.height), layout.get("paper_bgcolor", "white"))

    def px(self, points: float) -> float:
        return points * self.dpi / 72

    def _gc(self, clip: tuple[float, float, float, float] | None) -> Any:
        gc = self.renderer.new_gc()
        if clip is not None:
            from matplotlib.transforms import Bbox

            gc.set_clip_rectangle(Bbox.from_extents(*clip))
        return gc

    def rect(self, box: tuple[float, float, float, float], face: str, *, edge: str = "none", width_pt: float = 0,
             hatch: str | None = None, hatch_color: str | None = None,
             clip: tuple[float, float, float, float] | None = None) -> None:
        """A filled rectangle (x0, y0, x1, y1), with an outline and a hatch pattern when given."""
        from matplotlib.colors import to_rgba
        from matplotlib.path import Path
        from matplotlib.transforms import IdentityTransform

        x0, y0, x1, y1 = box
        gc = self._gc(clip)
        stroke = edge != "none" and width_pt > 0
        gc.set_linewidth(width_pt if stroke else 0)
        gc.set_foreground(edge if stroke else (0, 0, 0, 0), isRGBA=not stroke)
        gc.set_joinstyle("miter")
        gc.set_capstyle("butt")
        if hatch:
            gc.set_hatch(hatch)
            gc.set_hatch_color(to_rgba(hatch_color or edge))
        path = Path([(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)], closed=True)
        self.renderer.draw_path(gc, path, IdentityTransform(), to_rgba(face) if face != "none" else None)
        gc.restore()

    def line(self, points: list[tuple[float, float]], color: str, width_pt: float, *,
             dashes: tuple[float, float] | None = None, cap: str = "projecting",
             clip: tuple[float, float, float, float] | None = None) -> None:
        from matplotlib.path import Path
        from matplotlib.transforms import IdentityTransform

        gc = self._gc(clip)
        gc.set_linewidth(width_pt)
        gc.set_foreground(color)
        gc.set_capstyle("butt" if dashes else cap)
        if dashes:
            gc.set_dashes(0, [d * width_pt for d in dashes])
        self.renderer.draw_path(gc, Path(points), IdentityTransform(), None)
        gc.restore()

    def measure(self, text: str, size_pt: float, bold: bool = False) -> tuple[float, float, float]:
        """Width, height and descent in device pixels, the height and descent at least those of "lp" (as
        matplotlib lays out a line of text)."""
        prop = self._prop(text, size_pt, bold)
        width, height, descent = self.renderer.get_text_width_height_descent(text, prop, False)
        key = (size_pt, bold)
        if key not in self._lp:
            self._lp[key] = self.renderer.get_text_width_height_descent("lp", _font(size_pt, bold, False), False)
        _, lp_height, lp_descent = self._lp[key]
        return width, max(height, lp_height), max(descent, lp_descent)

    def _prop(self, text: str, size_pt: float, bold: bool) -> Any:
        characters = _first_font_characters()
        return _font(size_pt, bold, any(ord(ch) not in characters for ch in text))

    def text(self, x: float, y: float, text: str, size_pt: float, color: str, *, ha: str = "left",
             va: str = "baseline", bold: bool = False, vertical: bool = False) -> tuple[float, float, float]:
        """Write one line of text anchored at (x, y) as matplotlib's ha and va say; ``vertical`` turns it a
        quarter left (then ha and va are about the turned text's box on the page). Returns its measure."""
        if not text:
            return 0.0, 0.0, 0.0
        width, height, descent = self.measure(text, size_pt, bold)
        if vertical:  # reading upwards: the text's top faces left
            left = {"left": x, "center": x - height / 2, "right": x - height}[ha]
            bottom = {"bottom": y, "center": y - width / 2, "top": y - width}[va]
            base_x, base_y, angle = left + height - descent, bottom, 90
        else:
            base_x = {"left": x, "center": x - width / 2, "right": x - width}[ha]
            base_y = {"baseline": y, "bottom": y + descent, "center": y - height / 2 + descent,
                      "top": y - height + descent}[va]
            angle = 0
        gc = self.renderer.new_gc()
        gc.set_foreground(color)
        self.renderer.draw_text(gc, base_x, self.height - base_y, text, self._prop(text, size_pt, bold), angle)
        gc.restore()
        return width, height, descent

    def png(self) -> bytes:
        from PIL import Image

        image = Image.frombuffer("RGBA", (self.width, self.height), self.renderer.buffer_rgba(), "raw", "RGBA", 0, 1)
        out = io.BytesIO()
        image.convert("RGB").save(out, format="png", dpi=(self.dpi, self.dpi), compress_level=3)
        return out.getvalue()


class _Scale:
    """A linear map from data values to device pixels."""

    def __init__(self, low: float, high: float, start: float, end: float) -> None:
        self.low, self.high, self.start, self.end = low, high, start, end

    def __call__(self, value: float) -> float:
        return self.start + (value - self.low) / (self.high - self.low) * (self.end - self.start)


def _draw(canvas: _Canvas, spec: dict[str, Any]) -> None:
    layout = spec["layout"]
    s = canvas.scale
    width, height = float(layout["width"]), float(layout["height"])
    base = _pt(layout.get("font", {}).get("size", 12))
    ink = layout.get("font", {}).get("color", "#222222")
    traces = spec["data"]
    horizontal = bool(traces) and all(t.get("orientation") == "h" for t in traces)
    category_name, value_name = ("yaxis", "xaxis") if horizontal else ("xaxis", "yaxis")
    category_axis, value_axis = layout.get(category_name, {}), layout.get(value_name, {})
    categories = _categories(traces, category_axis, horizontal)
    margin = layout.get("margin", {})
    left = float(margin.get("l", 80))
    if horizontal:  # plotly's automargin: room for the longest category label
        left = max(left, 24 + max((_label_px(c, base) for c in categories), default=0))
    bottom = float(margin.get("b", 50)) + (18 if value_axis.get("title") else 0)
    top, right = float(margin.get("t", 60)), float(margin.get("r", 30))
    x0, y0 = left * s, bottom * s
    x1 = x0 + max(0.05, 1 - (left + right) / width) * width * s
    y1 = y0 + max(0.05, 1 - (top + bottom) / height) * height * s
    box = (x0, y0, x1, y1)
    canvas.rect(box, layout.get("plot_bgcolor", "white"))

    count = max(len(categories), 1)
    if horizontal:
        reverse = category_axis.get("autorange") == "reversed"
        place = _Scale(count - 0.5, -0.5, y0, y1) if reverse else _Scale(-0.5, count - 0.5, y0, y1)
    else:
        place = _Scale(-0.5, count - 0.5, x0, x1)
    low, high = _value_range(traces, value_axis, horizontal)
    value = _Scale(low, high, x0, x1) if horizontal else _Scale(low, high, y0, y1)
    ticks = _ticks(low, high, (x1 - x0) / canvas.px(base * 3) if horizontal else (y1 - y0) / canvas.px(base * 2))
    labels = _tick_labels(ticks, value_axis.get("ticksuffix") or "")

    reach = _axes(canvas, categories, ticks, labels, horizontal, place, value, box, base, ink)
    position = {label: index for index, label in enumerate(categories)}
    for trace in traces:
        _bars(canvas, trace, position, horizontal, place, value, box)
    canvas.line([(x0, y1), (x0, y0), (x1, y0)], SPINE, LINE_PT, cap="butt")
    for trace in traces:
        _bar_texts(canvas, trace, position, horizontal, place, value, base, ink)

    title = value_axis.get("title", {})
    if title.get("text"):
        reach += canvas.px(LABEL_PAD_PT)
        if horizontal:
            canvas.text((x0 + x1) / 2, y0 - reach, _text(title["text"]), base, ink, ha="center", va="top")
        else:
            canvas.text(x0 - reach, (y0 + y1) / 2, _text(title["text"]), base, ink, ha="right", va="center",
                        vertical=True)
    for note in layout.get("annotations", ()):
        if note.get("xref") == "x" and note.get("yref") == "paper" and horizontal:
            size = _pt(note.get("font", {}).get("size", 12)) if note.get("font") else base
            canvas.text(value(float(note["x"])), y0 + float(note.get("y", 1)) * (y1 - y0), _text(note.get("text", "")),
                        size, ink, ha="center", va="bottom" if note.get("yanchor") == "bottom" else "top")
    for shape in layout.get("shapes", ()):
        _shape(canvas, shape, horizontal, value, box)
    heading = layout.get("title", {})
    if heading.get("text"):
        canvas.text(6 * s, (height - 8) * s, _text(heading["text"]), _pt(heading.get("font", {}).get("size", 14)),
                    ink, ha="left", va="top", bold=True)
    if layout.get("showlegend", True) and any(t.get("name") for t in traces) and len(traces) > 1:
        _legend(canvas, traces, _pt(layout.get("legend", {}).get("font", {}).get("size", 11)), ink,
                (width - 4) * s, (height - 4) * s)


def _axes(canvas: _Canvas, categories: list[str], ticks: list[float], labels: list[str], horizontal: bool,
          place: _Scale, value: _Scale, box: tuple[float, float, float, float], base: float, ink: str) -> float:
    """The grid, the ticks and their labels, below the bars (matplotlib's axisbelow); returns how far the
    value axis's tick labels reach out from the plot, for the axis title beyond them."""
    x0, y0, x1, y1 = box
    for tick in ticks:
        at = value(tick)
        canvas.line([(at, y0), (at, y1)] if horizontal else [(x0, at), (x1, at)], GRID, GRID_PT, clip=box)
    out = canvas.px(TICK_PT)
    gap = canvas.px(TICK_PT + TICK_PAD_PT)
    extent = 0.0
    for index, name in enumerate(_text(c) for c in categories):
        at = place(index)
        if horizontal:
            canvas.line([(x0, at), (x0 - out, at)], ink, LINE_PT, cap="butt")
            canvas.text(x0 - gap, at, name, base, ink, ha="right", va="center")
        else:
            canvas.line([(at, y0), (at, y0 - out)], ink, LINE_PT, cap="butt")
            canvas.text(at, y0 - gap, name, base, ink, ha="center", va="top")
    for tick, label in zip(ticks, labels, strict=True):
        at = value(tick)
        if horizontal:
            canvas.line([(at, y0), (at, y0 - out)], ink, LINE_PT, cap="butt")
            _, text_height, _ = canvas.text(at, y0 - gap, label, base, ink, ha="center", va="top")
            extent = max(extent, text_height)
        else:
            canvas.line([(x0, at), (x0 - out, at)], ink, LINE_PT, cap="butt")
            text_width, _, _ = canvas.text(x0 - gap, at, label, base, ink, ha="right", va="center")
            extent = max(extent, text_width)
    return gap + extent


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


def _value_range(traces: list[dict[str, Any]], axis: dict[str, Any], horizontal: bool) -> tuple[float, float]:
    """The axis range the figure gives, else from zero to the values with a 5 % margin (as matplotlib would)."""
    if axis.get("range"):
        low, high = (float(v) for v in axis["range"])
        return low, high if high > low else low + 1
    values = [float(v) for t in traces for v in t.get("x" if horizontal else "y", ())]
    low, high = min([0.0, *values]), max([0.0, *values])
    if high <= low:
        return low, low + 1
    pad = (high - low) * 0.05
    return low - (pad if low < 0 else 0), high + (pad if high > 0 else 0)


def _ticks(low: float, high: float, room: float) -> list[float]:
    """Round tick values inside [low, high], as many as fit (matplotlib's AutoLocator: at most 9 intervals of
    1, 2, 2.5 or 5 times a power of ten)."""
    from matplotlib.ticker import MaxNLocator

    bins = max(1, min(int(room), 9))
    span = high - low
    return [float(t) for t in MaxNLocator(nbins=bins, steps=[1, 2, 2.5, 5, 10]).tick_values(low, high)
            if low - span * 1e-9 <= t <= high + span * 1e-9]


def _tick_labels(ticks: list[float], suffix: str) -> list[str]:
    """The tick values with as few decimals as they all need (0, 2.5, 5.0 → "0.0", "2.5", "5.0"), and the
    axis's tick suffix; a suffix takes the shortest form of each value, as plotly writes it."""
    if suffix:
        return [f"{t:g}{suffix}" for t in ticks]
    decimals = next((d for d in range(7) if all(abs(round(t, d) - t) < 1e-9 * max(1.0, abs(t)) for t in ticks)), 6)
    labels = [f"{t:.{decimals}f}" for t in ticks]
    return [label.lstrip("-") if float(label) == 0 else label for label in labels]  # no "-0"


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


def _bars(canvas: _Canvas, trace: dict[str, Any], position: dict[str, int], horizontal: bool, place: _Scale,
          value: _Scale, box: tuple[float, float, float, float]) -> None:
    labels = trace.get("y" if horizontal else "x", [])
    values = [float(v) for v in trace.get("x" if horizontal else "y", [])]
    size = float(trace.get("width", 0.8))
    style = _marker(trace, len(values))
    for index, (label, amount) in enumerate(zip(labels, values, strict=False)):
        middle = position[label]
        across = sorted((place(middle - size / 2), place(middle + size / 2)))
        along = sorted((value(0), value(amount)))
        rect = (along[0], across[0], along[1], across[1]) if horizontal else (across[0], along[0], across[1], along[1])
        canvas.rect(rect, style["color"][index], edge=style["edgecolor"][index], width_pt=style["linewidth"],
                    hatch=style["hatch"][index], hatch_color=style["hatchcolor"], clip=box)


def _bar_texts(canvas: _Canvas, trace: dict[str, Any], position: dict[str, int], horizontal: bool, place: _Scale,
               value: _Scale, base: float, ink: str) -> None:
    """plotly's ``textposition: outside``: each bar's label just past its end."""
    texts = trace.get("text")
    if not texts or trace.get("textposition") != "outside":
        return
    labels = trace.get("y" if horizontal else "x", [])
    values = [float(v) for v in trace.get("x" if horizontal else "y", [])]
    texts = texts if isinstance(texts, list) else [texts] * len(values)
    offset = canvas.px(3)
    for label, amount, text in zip(labels, values, texts, strict=False):
        if horizontal:
            canvas.text(value(amount) + offset, place(position[label]), _text(text), base, ink, ha="left", va="center")
        else:
            canvas.text(place(position[label]), value(amount) + offset, _text(text), base, ink, ha="center",
                        va="bottom")


def _shape(canvas: _Canvas, shape: dict[str, Any], horizontal: bool, value: _Scale,
           box: tuple[float, float, float, float]) -> None:
    """A line shape in data x and paper y (the 100 % target line), as plotly draws it."""
    if shape.get("type") != "line":
        return
    line = shape.get("line", {})
    color, width = line.get("color", "#222222"), float(line.get("width", 1)) * 0.75
    dashes = DASHES.get(line.get("dash", "solid"))
    x0, y0, x1, y1 = box
    if horizontal and shape.get("xref") == "x" and shape.get("yref") == "paper" and shape.get("x0") == shape.get("x1"):
        at = value(float(shape["x0"]))
        points = [(at, y0 + float(shape.get("y0", 0)) * (y1 - y0)), (at, y0 + float(shape.get("y1", 1)) * (y1 - y0))]
    elif not horizontal and shape.get("yref") == "y" and shape.get("xref") == "paper" and \
            shape.get("y0") == shape.get("y1"):
        at = value(float(shape["y0"]))
        points = [(x0 + float(shape.get("x0", 0)) * (x1 - x0), at), (x0 + float(shape.get("x1", 1)) * (x1 - x0), at)]
    else:
        return
    canvas.line(points, color, width, dashes=dashes, clip=box)


def _legend(canvas: _Canvas, traces: list[dict[str, Any]], size: float, ink: str, right: float, top: float) -> None:
    """One row of entries (a swatch and the trace's name), its top right corner at (right, top)."""
    em = canvas.px(size)
    entries = [(_marker(t, 1), _text(t.get("name", ""))) for t in traces]
    measures = [canvas.measure(name, size) for _, name in entries]
    row = max(max((h for _, h, _ in measures), default=0), LEGEND["handle_height"] * em)
    total = sum((LEGEND["handle_length"] + LEGEND["handle_text"]) * em + w for w, _, _ in measures) + \
        (len(entries) - 1) * LEGEND["column"] * em
    inset = (LEGEND["border_axes"] + LEGEND["border"]) * em
    x, middle = right - inset - total, top - inset - row / 2
    for (style, name), (text_width, _, _) in zip(entries, measures, strict=True):
        swatch = LEGEND["handle_height"] * em / 2
        canvas.rect((x, middle - swatch, x + LEGEND["handle_length"] * em, middle + swatch), style["color"][0],
                    edge=style["edgecolor"][0], width_pt=style["linewidth"], hatch=style["hatch"][0],
                    hatch_color=style["hatchcolor"])
        x += (LEGEND["handle_length"] + LEGEND["handle_text"]) * em
        canvas.text(x, middle, name, size, ink, ha="left", va="center")
        x += text_width + LEGEND["column"] * em

