"""The review index in headless Chromium: sorting by any column, the filters, and the links to each table's page."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from browser import Watched, launched_chromium, needs_chromium
from cases import CASES as CASE_FOLDER
from selfevalbuilders import case_files
from typer.testing import CliRunner

from evaluator.cli import app

pytestmark = needs_chromium
NAMES = ("03", "06", "16", "22", "36", "43", "44")


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("browser")
    for name in NAMES:
        case = yaml.safe_load(next(CASE_FOLDER.glob(f"{name}*.yaml")).read_text(encoding="utf-8"))
        case["name"] = name
        paths = case_files(case, root / "收到")
        for suffix in (".xls", ".txt", ".docx"):
            paths[suffix].unlink()
    (root / "收到" / "坏文件.docx").write_bytes(b"not a zip")
    result = CliRunner().invoke(app, ["review", str(root / "收到"), "-o", str(root / "复核")])
    assert result.exit_code == 1, result.output  # the broken file
    return root / "复核" / "index.html"


def _visible(page) -> list[str]:
    return page.eval_on_selector_all("#review-index tbody tr:not([hidden])", "rows => rows.map(r => r.dataset.key)")


def _column(page, column: int) -> list[str]:
    return page.eval_on_selector_all(
        "#review-index tbody tr", f"rows => rows.map(r => r.cells[{column}].getAttribute('data-value'))")


def test_the_index_sorts_filters_and_links(index: Path):
    with launched_chromium() as browser:
        watched = Watched(browser, 1200)
        page = watched.page
        page.goto(index.as_uri())
        assert page.title().endswith("自评表复核汇总")
        keys = _visible(page)
        assert len(keys) == len(NAMES)
        unsupported = [float(v) for v in _column(page, 6)]
        assert unsupported == sorted(unsupported, reverse=True)  # the server's ranking
        assert page.inner_text("#failures").count("坏文件.docx") == 1

        header = page.locator("#review-index thead th").nth(5).locator("button")  # 复核总分
        header.click()
        totals = [float(v) for v in _column(page, 5)]
        assert totals == sorted(totals, reverse=True)
        header.click()
        assert [float(v) for v in _column(page, 5)] == sorted(totals)
        assert page.locator("#review-index thead th").nth(5).get_attribute("aria-sort") == "ascending"
        page.locator("#review-index thead th").nth(1).locator("button").click()  # 表格, by name
        names = _column(page, 1)
        expected = page.evaluate("names => names.slice().sort((a, b) => a.localeCompare(b, 'zh-Hans-CN'))", names)
        assert names == expected and len(set(names)) == len(names)

        page.select_option("#filter-code", "grade-change")
        shown = _visible(page)
        assert 0 < len(shown) < len(keys)
        for key in shown:
            codes = page.get_attribute(f'tr[data-key="{key}"]', "data-codes")
            assert " grade-change " in codes
        assert page.inner_text("#shown-count") == f"显示 {len(shown)} / {len(keys)} 张表"
        page.select_option("#filter-code", "")
        page.select_option("#filter-kind", "department")
        assert len(_visible(page)) == 3  # 36, 43, 44
        page.select_option("#filter-kind", "")
        page.select_option("#filter-severity", "error")
        assert all(page.get_attribute(f'tr[data-key="{k}"]', "data-severity") == "error" for k in _visible(page))
        page.select_option("#filter-severity", "")
        page.fill("#filter-text", "林业")
        assert [k for k in _visible(page)] == [k for k in keys if "44-" in k]
        page.fill("#filter-text", "")
        assert len(_visible(page)) == len(keys)

        link = page.locator('#review-index tr[data-key*="16-"] a').first
        name = link.inner_text()
        link.click()
        page.wait_for_load_state()
        assert page.url.endswith(".html") and "/tables/" in page.url
        assert name in page.inner_text("h1")
        assert page.locator("#findings tbody tr").count() > 0
        assert page.locator('#rows tr[data-id="execution"]').count() == 1
        page.click("text=返回复核汇总")
        page.wait_for_load_state()
        assert page.url == index.as_uri()
        assert watched.errors == [] and watched.blocked == [] and watched.dialogs == []
        watched.close()
