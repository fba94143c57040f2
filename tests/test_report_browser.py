"""The report in a real browser (Debian's chromium through Playwright): offline, drawn, escaped, printable.

Skipped when /usr/bin/chromium is missing, except in CI (the CI variable is set), where it fails.
Writes tests/output/report.png and tests/output/report.pdf for a person to look at.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from browser import CHROMIUM, Watched, launched_chromium
from conftest import EXAMPLE_ACTUALS, EXAMPLE_TARGETS, MINIMAL_ACTUALS, MINIMAL_TARGETS

OUTPUT = Path(__file__).resolve().parent / "output"
EVIL = "<script>alert(1)</script>"
A4_CONTENT_PX = (210 - 2 * 14) / 25.4 * 96  # @page margins are 14 mm left and right: about 688 px

if not CHROMIUM.exists() and not os.environ.get("CI"):
    pytest.skip("needs Debian's chromium at /usr/bin/chromium", allow_module_level=True)

pytestmark = pytest.mark.browser

CHARTS_JS = """() => Array.from(document.querySelectorAll('.plotly-graph-div')).map(d => ({
    id: d.id,
    svg: d.querySelectorAll('.main-svg').length,
    traces: (d._fullData || []).length,
    visible: (d._fullData || []).every(t => t.visible !== false),
    marks: d.querySelectorAll('g.point path, g.trace path').length,
}))"""


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail("CI must have chromium at /usr/bin/chromium")
    with launched_chromium() as launched:
        yield launched


def _write(path: Path, targets_path: Path, actuals_path: Path) -> Path:
    from evaluator.io.load import load_inputs
    from evaluator.report import write_report
    from evaluator.rules import load_rules
    from evaluator.scoring import evaluate

    targets, actuals = load_inputs(targets_path, actuals_path)
    result = evaluate(targets, actuals, load_rules("national-2020"))
    return write_report(result, targets, actuals, path)


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    import textwrap

    tmp = tmp_path_factory.mktemp("reports")
    evil_targets, evil_actuals = tmp / "evil-t.yaml", tmp / "evil-a.yaml"
    evil_targets.write_text(textwrap.dedent(MINIMAL_TARGETS.replace("name: 培训次数", f'name: "{EVIL}"')),
                            encoding="utf-8")
    evil_actuals.write_text(textwrap.dedent(MINIMAL_ACTUALS), encoding="utf-8")
    unclear_actuals = tmp / "unclear-a.yaml"
    unclear = MINIMAL_ACTUALS.replace('D01: {actual: "12次"}', 'D01: {actual: "十来次"}')
    unclear_actuals.write_text(textwrap.dedent(unclear), encoding="utf-8")
    minimal_targets = tmp / "t.yaml"
    minimal_targets.write_text(textwrap.dedent(MINIMAL_TARGETS), encoding="utf-8")
    return {
        "example": _write(tmp / "example.html", EXAMPLE_TARGETS, EXAMPLE_ACTUALS),
        "evil": _write(tmp / "evil.html", evil_targets, evil_actuals),
        "unclear": _write(tmp / "unclear.html", minimal_targets, unclear_actuals),
    }


@pytest.fixture
def watched(browser):
    pages: list[Watched] = []

    def _open(path: Path, width: int = 1000) -> Watched:
        page = Watched(browser, width)
        pages.append(page)
        page.open(path)
        return page

    yield _open
    for page in pages:
        page.close()


def test_the_report_loads_offline_without_errors(watched, reports):
    page = watched(reports["example"])
    assert page.errors == []
    assert page.blocked == []
    assert all(url.startswith("file://") for url in page.requests)
    assert page.page.evaluate("Plotly.version") == "4.1.1"
    assert page.page.title().endswith("绩效自评报告")


def test_every_chart_is_drawn(watched, reports):
    page = watched(reports["example"])
    charts = page.page.evaluate(CHARTS_JS)
    assert len(charts) == 15
    for chart in charts:
        assert chart["svg"] >= 1, chart
        assert chart["traces"] >= 1 and chart["visible"], chart
        assert chart["marks"] >= 1, chart
    labels = page.page.locator("#chart-department-level1").inner_text()
    assert "产出指标" in labels and "得分" in labels


def test_a_script_in_an_indicator_name_is_shown_as_text(watched, reports):
    page = watched(reports["evil"])
    assert page.dialogs == []
    assert page.errors == []
    cell = page.page.locator('tr[data-id="D01"] td.name')
    assert EVIL in cell.inner_text()
    svg_text = page.page.locator("#chart-department-completion").text_content()
    assert "<script>" in svg_text  # plotly shows the label as written, not as markup
    scripts, charts = page.page.evaluate("""[document.querySelectorAll('body script').length,
                                             document.querySelectorAll('.plotly-graph-div').length]""")
    assert scripts == charts + 1  # one per chart and the print helper: no script came from the data


def test_pending_indicators_are_the_first_thing_shown(watched, reports):
    page = watched(reports["unclear"])
    box = page.page.locator("#sec-pending")
    assert box.is_visible() and "待确认（1项）：总分和等级为暂定" in box.inner_text()
    first = page.page.evaluate("""document.querySelector('main').firstElementChild.id""")
    assert first == "sec-pending"
    assert page.page.locator('tr[data-id="D01"] td.score').inner_text().startswith("待确认")
    assert "暂定" in page.page.locator("#department td[data-total]").inner_text()
    assert page.errors == []


def test_the_printed_report_fits_a4_and_shows_every_note(watched, reports):
    page = watched(reports["example"], width=round(A4_CONTENT_PX))
    page.page.emulate_media(media="print")
    boxes = page.page.evaluate("""() => Array.from(document.querySelectorAll('.plotly-graph-div')).map(d => {
        const r = d.getBoundingClientRect(); return {id: d.id, left: r.left, right: r.right, width: r.width};
    })""")
    assert len(boxes) == 15
    for box in boxes:
        assert box["left"] >= 0 and box["right"] <= A4_CONTENT_PX + 0.5, box
    note = page.page.locator("tr.note-row details p").first
    assert note.is_visible()  # closed <details> are printed open
    table_width = page.page.evaluate("""Math.max(...Array.from(document.querySelectorAll('table'))
                                                  .map(t => t.getBoundingClientRect().right))""")
    assert table_width <= A4_CONTENT_PX + 0.5
    OUTPUT.mkdir(exist_ok=True)
    pdf = page.page.pdf(path=str(OUTPUT / "report.pdf"), format="A4", print_background=True)
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) >= 5  # the example runs to several A4 pages
    assert page.errors == []


def test_screenshot_of_the_example(watched, reports):
    page = watched(reports["example"])
    OUTPUT.mkdir(exist_ok=True)
    page.page.screenshot(path=str(OUTPUT / "report.png"), full_page=True)
    assert (OUTPUT / "report.png").stat().st_size > 10_000
    assert page.errors == []
