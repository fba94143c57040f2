"""Which kind of file an output is: from ``--format``, or from the suffix of ``-o``, checked before any work.

``evaluator report`` writes .html, .docx or .pdf; ``evaluator export`` writes .xlsx or .docx. A report
saved as ``报告.txt``, or ``--format docx`` with ``-o 报告.pdf``, would not open as the user expects, so
both are refused before anything is written, with a Chinese message that lists what fits.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from evaluator.errors import InputError, Location, Problem, display_path

__all__ = ["EXPORT_FORMATS", "REPORT_FORMATS", "output_format"]

# format → (what it is, the suffixes that fit it)
REPORT_FORMATS: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "html": ("HTML 报告", (".html", ".htm")),
    "docx": ("Word 报告", (".docx",)),
    "pdf": ("PDF 报告", (".pdf",)),
}
EXPORT_FORMATS: Mapping[str, tuple[str, tuple[str, ...]]] = {
    "xlsx": ("Excel 自评表", (".xlsx",)),
    "docx": ("Word 自评表", (".docx",)),
}


def output_format(output: Path | None, file_format: str | None,
                  formats: Mapping[str, tuple[str, tuple[str, ...]]], default: str | None = None) -> str:
    """Return the format to write: ``file_format`` when given (it must fit the suffix of ``output``), else the suffix.

    Without ``-o`` (``output`` None) the format is ``file_format`` or ``default``. Raises InputError
    for an unknown format, a suffix that does not fit, or no way to tell.
    """
    names = " 或 ".join(formats)
    fits = "；".join(f"{kind}用 {'、'.join(suffixes)}" for kind, suffixes in formats.values())
    chosen = None
    if file_format is not None:
        chosen = file_format.strip().lower()
        if chosen not in formats:
            raise InputError(Problem(Location(), f"--format 应为 {names}，实际是“{file_format}”", fits,
                                     code="format"))
    if output is None:
        if chosen is None and default is None:
            raise InputError(Problem(Location(), "没有给出输出文件（-o）或格式（--format）", fits, code="format"))
        return chosen or str(default)
    suffix = output.suffix.lower()
    where = Location(file=display_path(output))
    if chosen is not None:
        kind, suffixes = formats[chosen]
        if suffix not in suffixes:
            raise InputError(Problem(where, f"扩展名“{output.suffix or '无'}”与 --format {chosen} 不一致："
                                            f"{kind}应保存为 {'、'.join(suffixes)} 文件",
                                     f"{fits}；未写入任何文件。", code="format-suffix"))
        return chosen
    found = next((name for name, (_, suffixes) in formats.items() if suffix in suffixes), None)
    if found is None:
        every = "、".join(s for _, suffixes in formats.values() for s in suffixes)
        raise InputError(Problem(where, f"扩展名“{output.suffix or '无'}”不是 {every}，无法确定要生成哪种文件",
                                 f"{fits}；未写入任何文件。", code="format-suffix"))
    return found
