"""From files to a written report (HTML, Word or PDF): the one call behind `evaluator report` and `evaluator demo`."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from evaluator.errors import InputError
from evaluator.io.files import input_scope, peek_output
from evaluator.io.formats import REPORT_FORMATS, output_format
from evaluator.io.load import load_inputs
from evaluator.io.output import check_output, write_output
from evaluator.io.previous import previous_year
from evaluator.model import Actuals, Targets
from evaluator.report.render import encode, render_report, report_pieces
from evaluator.results.scores import Result
from evaluator.rules import RuleSet, load_rules
from evaluator.scoring import evaluate

__all__ = ["default_report_path", "demo_report", "example_paths", "render_document", "report_files"]

EXAMPLE = Path("2023") / "shifeng-npc.yaml"


def default_report_path(targets_path: Path | str, year: int, file_format: str = "html") -> Path:
    """Return ``reports/<year>/<targets file stem>.<html|docx|pdf>``, relative to the current directory."""
    return Path("reports") / str(year) / f"{Path(targets_path).stem}.{file_format}"


def render_document(
    result: Result,
    targets: Targets,
    actuals: Actuals | None,
    file_format: str = "html",
    *,
    rules: RuleSet | None = None,
    generated_at: datetime | None = None,
) -> bytes | Iterator[str | bytes]:
    """Return the report in ``file_format``: html (UTF-8 with a BOM, in pieces for ``write_output``), docx or
    pdf (bytes)."""
    if file_format == "docx":
        from evaluator.report.docx import render_docx  # python-docx and matplotlib, only for Word

        return render_docx(result, targets, actuals, generated_at=generated_at, rules=rules)
    if file_format == "pdf":
        from evaluator.report.pdf import print_pdf

        return print_pdf(render_report(result, targets, actuals, generated_at=generated_at, rules=rules,
                                       static_charts=True))
    return encode(report_pieces(result, targets, actuals, generated_at=generated_at, rules=rules))


def report_files(
    targets_path: Path | str,
    actuals_path: Path | str,
    output: Path | str | None = None,
    *,
    rules: str | Path = "national-2020",
    force: bool = False,
    generated_at: datetime | None = None,
    file_format: str | None = None,
) -> Path:
    """Load, score and write the report of one department; return the path written.

    The format is ``file_format`` (html, docx, pdf) or the suffix of ``output``; ``output`` defaults to
    ``default_report_path``. Raises InputErrors for bad inputs, InputError for a format that does not
    fit the file name, BrowserError for a PDF without a browser, OutputExistsError when the file
    exists and ``force`` is false, and OutputIsInputError when it is one of the inputs (whatever
    ``force``); nothing is written then.
    """
    if output is not None:  # fail before the work, not after it: an input, or an existing file
        check_output(output, force=force, inputs=(targets_path, actuals_path))
    chosen = output_format(Path(output) if output is not None else None, file_format, REPORT_FORMATS,
                           default="html")
    if chosen == "pdf":
        from evaluator.report.pdf import find_browser, missing_browser

        if find_browser() is None:  # say so before the work, not after it
            raise missing_browser()
    with input_scope():  # whatever is read here, the report may not be written over it
        rule_set = load_rules(rules)
        targets, actuals = load_inputs(targets_path, actuals_path)
        path = Path(output) if output is not None else default_report_path(targets_path, targets.year, chosen)
        check_output(path, force=force)
        result = evaluate(targets, actuals, rule_set, previous=previous_year(targets, targets_path, actuals_path))
        data = render_document(result, targets, actuals, chosen, rules=rule_set, generated_at=generated_at)
        return write_output(path, data, force=force)


def demo_report(output: Path | str, *, force: bool = False) -> Path:
    """Write the shipped example's report to ``output``; return the path written.

    demo owns its output: a report it wrote before (an evaluator report of the example's targets) is
    rewritten, so that `evaluator demo` can be run again. Any other file there is a user's, and is
    only replaced with ``force``.
    """
    targets, actuals = example_paths()
    return report_files(targets, actuals, output, force=force or _is_demo_report(Path(output), targets))


def _is_demo_report(path: Path, targets: Path) -> bool:
    data = peek_output(path)
    if data is None or b'<meta name="generator" content="evaluator' not in data[:4096]:
        return False
    example = hashlib.sha256(targets.read_bytes()).hexdigest().encode("ascii")
    return example in data


def example_paths() -> tuple[Path, Path]:
    """Return the shipped example's targets and actuals files.

    They are looked for under the current directory first, then beside the package (a checkout), then in
    the copy the package carries (``evaluator/example/``), so that `evaluator demo` works anywhere.
    """
    package = Path(__file__).resolve().parent.parent
    bases = [Path.cwd(), package.parent]
    for base in bases:
        targets, actuals = base / "targets" / EXAMPLE, base / "actuals" / EXAMPLE
        if targets.is_file() and actuals.is_file():
            return targets, actuals
    packaged = package / "example"
    if (packaged / "targets.yaml").is_file() and (packaged / "actuals.yaml").is_file():
        return packaged / "targets.yaml", packaged / "actuals.yaml"
    raise InputError(
        f"找不到随附的示例文件 targets/{EXAMPLE.as_posix()} 和 actuals/{EXAMPLE.as_posix()}",
        hint="请在项目目录（含 targets/ 与 actuals/ 文件夹）中运行此命令。",
    )
