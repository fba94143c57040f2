"""Headless Debian chromium through Playwright, offline: one place for the launch and the watched page.

A test module uses ``needs_chromium`` (skip without /usr/bin/chromium, except under CI, where the
launch then fails loudly) and ``offline_page()`` or ``Watched`` (a page that records console errors,
page errors, dialogs and every request, and aborts every request that is not a file:// URL).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
needs_chromium = pytest.mark.skipif(not CHROMIUM.exists() and not os.environ.get("CI"),
                                    reason="needs Debian's chromium at /usr/bin/chromium")


class Watched:
    """A page that records console errors, page errors, dialogs and every request it tried to make."""

    def __init__(self, browser, width: int = 1000) -> None:
        self.page = browser.new_page(viewport={"width": width, "height": 900})
        self.errors: list[str] = []
        self.blocked: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(f"pageerror: {error}"))
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("dialog", self._dialog)
        self.page.route("**/*", self._route)

    def _console(self, message) -> None:
        if message.type in ("error", "warning"):
            self.errors.append(f"console {message.type}: {message.text}")

    def _dialog(self, dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith("file://"):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def open(self, path: Path) -> None:
        self.page.goto(path.as_uri())
        self.page.wait_for_selector(".plotly-graph-div .main-svg", timeout=15_000)
        self.page.wait_for_function(
            "() => Array.from(document.querySelectorAll('.plotly-graph-div')).every(d => d._fullData)",
            timeout=15_000,
        )

    def close(self) -> None:
        self.page.close()


@contextmanager
def launched_chromium() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def offline_page(width: int = 1100) -> Iterator[Watched]:
    """One watched page in a fresh chromium, for a test that needs only one."""
    with launched_chromium() as browser:
        yield Watched(browser, width)
