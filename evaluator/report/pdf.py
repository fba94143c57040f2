"""The report as PDF, printed by the system's Chromium (or Edge, or Chrome): headless, offline, from the same HTML.

The page printed is the HTML report with its print CSS (A4, 自评表 rows kept whole, every 评分依据
open) and its charts as images of the same figure data (``render_report(static_charts=True)``), so
printing waits for no script and the file stays small. The department and the page numbers are the
report's CSS page-margin boxes (``@page { @top-left … @bottom-center … }``), which Chromium prints from
version 131 on; the browser's own header and footer (date, file path) are switched off.

No network: the page's Content-Security-Policy allows nothing but inline styles and data: images, and
the browser runs with a fresh profile in a temporary folder, background networking off and every host
name resolving to nothing. No Python package is needed at run time, only the browser program, found
on the PATH, at the usual Windows places, or named by ``EVALUATOR_BROWSER``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from evaluator.errors import EvaluatorError

__all__ = ["BROWSER_NAMES", "BrowserError", "INSTALL_HINT", "MIN_VERSION", "find_browser", "missing_browser",
    "print_pdf"]

ENVIRONMENT = "EVALUATOR_BROWSER"
BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome", "msedge",
                 "microsoft-edge", "microsoft-edge-stable")
WINDOWS_PLACES = (
    ("PROGRAMFILES(X86)", r"Microsoft\Edge\Application\msedge.exe"),
    ("PROGRAMFILES", r"Microsoft\Edge\Application\msedge.exe"),
    ("PROGRAMFILES", r"Google\Chrome\Application\chrome.exe"),
    ("PROGRAMFILES(X86)", r"Google\Chrome\Application\chrome.exe"),
    ("LOCALAPPDATA", r"Google\Chrome\Application\chrome.exe"),
    ("LOCALAPPDATA", r"Chromium\Application\chrome.exe"),
)
MIN_VERSION = 131  # CSS page-margin boxes (the header and the page numbers)
TIMEOUT = 180  # seconds
INSTALL_HINT = (
    "安装 Chromium 浏览器后重试：Debian/Ubuntu 运行 apt-get install chromium fonts-noto-cjk；"
    "Windows 使用系统自带的 Microsoft Edge 或安装 Google Chrome；"
    f"浏览器不在常用位置时，设置环境变量 {ENVIRONMENT} 为浏览器程序的完整路径。"
    "不需要 PDF 时，可用 --format html 生成 HTML 报告，或 --format docx 生成 Word 报告。"
)


class BrowserError(EvaluatorError):
    """No browser to print with, or the browser failed: a message that says what to install or check."""


def missing_browser() -> BrowserError:
    """The error when no browser is found: what to install, where to point, what to use instead."""
    return BrowserError(f"生成 PDF 需要 Chromium、Microsoft Edge 或 Google Chrome 浏览器，本机没有找到。\n"
                        f"    提示：{INSTALL_HINT}")


def find_browser() -> Path | None:
    """Return the browser to print with: ``EVALUATOR_BROWSER``, else the first Chromium-based browser found."""
    named = os.environ.get(ENVIRONMENT)
    if named:
        path = Path(named)
        if not path.is_file():
            raise BrowserError(f"环境变量 {ENVIRONMENT} 指向的浏览器“{named}”不存在。\n    提示：{INSTALL_HINT}")
        return path
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    if sys.platform == "win32":
        for variable, relative in WINDOWS_PLACES:
            base = os.environ.get(variable)
            if base and (Path(base) / relative).is_file():
                return Path(base) / relative
    return None


def _printed_by(pdf: bytes) -> int | None:
    """The major version of the browser that printed ``pdf``, or None when it does not say.

    Chromium writes its user agent (``… HeadlessChrome/150.0.0.0 …``, Edge's too) as the PDF's Creator,
    near the start of the file. Read there rather than by running ``browser --version`` first: that is
    a second browser start on every PDF (0.06 s CPU, 0.07 s; benchmarks/RESULTS.md), for a check that
    almost never fails. An older browser has then printed for nothing, and is refused all the same.
    """
    found = re.search(rb"/Creator \((?:[^)\\]|\\.|\([^)]*\)){0,400}?Chrome/(\d+)\.", pdf[:16384])
    return int(found.group(1)) if found else None


def print_pdf(html: str, *, browser: Path | None = None, timeout: float = TIMEOUT) -> bytes:
    """Print one HTML page to PDF with the headless browser; return the PDF bytes.

    Raises BrowserError (exit code 1, a Chinese message) when no browser is found, when it is older
    than Chromium 131, or when it fails or takes longer than ``timeout`` seconds.
    """
    program = browser or find_browser()
    if program is None:
        raise missing_browser()
    with tempfile.TemporaryDirectory(prefix="evaluator-pdf-") as folder:
        work = Path(folder)
        page, output = work / "report.html", work / "report.pdf"
        page.write_text(html, encoding="utf-8")
        command = [str(program), *_flags(work), f"--print-to-pdf={output}", page.as_uri()]
        try:
            done = subprocess.run(command, capture_output=True, text=True, errors="replace", timeout=timeout,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise BrowserError(f"浏览器 {program} 在 {timeout:g} 秒内没有生成 PDF。\n"
                               "    提示：关闭其他占用内存的程序后重试；或用 --format docx 生成 Word 报告。") from None
        except OSError as error:
            raise BrowserError(f"无法运行浏览器 {program}：{error}\n    提示：{INSTALL_HINT}") from None
        if done.returncode != 0 or not output.is_file() or output.stat().st_size == 0:
            detail = _last_error(done.stderr)
            raise BrowserError(f"浏览器 {program} 未能生成 PDF（退出码 {done.returncode}）" +
                               (f"：{detail}" if detail else "") +
                               "\n    提示：确认浏览器能正常启动；或用 --format docx 生成 Word 报告。")
        pdf = output.read_bytes()
    version = _printed_by(pdf)
    if version is not None and version < MIN_VERSION:  # printed, but without the header and the page numbers
        raise BrowserError(f"浏览器 {program} 的版本是 {version}，"
                           f"生成带页码和页眉的 PDF 需要 {MIN_VERSION} 或更新的版本。\n"
                           f"    提示：更新浏览器后重试；或用 --format html 生成 HTML 报告。")
    return pdf


def _flags(work: Path) -> list[str]:
    flags = [
        "--headless", "--disable-gpu", "--no-pdf-header-footer", "--hide-scrollbars", "--mute-audio",
        f"--user-data-dir={work / 'profile'}", "--no-first-run", "--no-default-browser-check",
        "--disable-extensions", "--disable-default-apps", "--disable-sync", "--disable-background-networking",
        "--disable-component-update", "--disable-breakpad", "--disable-crash-reporter", "--metrics-recording-only",
        "--disable-features=Translate,MediaRouter,OptimizationHints,AutofillServerCommunication",
        "--host-resolver-rules=MAP * ~NOTFOUND",  # no host name resolves: nothing can reach the network
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        flags.append("--no-sandbox")  # Chromium refuses to start as root with its sandbox
    return flags


def _last_error(stderr: str | None) -> str:
    """The browser's last meaningful complaint (its log lines about D-Bus and GPU are noise)."""
    lines = [line.strip() for line in (stderr or "").splitlines() if line.strip()]
    useful = [line for line in lines if not re.search(r"dbus|gpu|Fontconfig|sandbox|DevTools listening", line, re.I)]
    return (useful or lines or [""])[-1][:300]
