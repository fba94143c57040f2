"""Write output files atomically, and never over a user's file without ``force``."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from evaluator.errors import InputError, Location, OutputExistsError, Problem, display_path

__all__ = ["write_output"]


def write_output(path: Path, data: str | bytes, *, force: bool = False, encoding: str = "utf-8") -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename; return the path.

    A reader never sees a half-written file, and an interrupted run leaves the old file whole.
    Raises OutputExistsError when the file exists and ``force`` is false.
    """
    path = Path(path)
    if path.is_dir():
        raise InputError(Problem(Location(file=display_path(path)), "这是一个文件夹，不能写成文件",
                                 "在 -o 后给出文件名，如 reports/2023/部门.html。", code="output-is-dir"))
    if path.exists() and not force:
        raise OutputExistsError(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise InputError(Problem(Location(file=display_path(path)), "上级路径中有同名的文件，无法建立文件夹",
                                 "换一个输出路径。", code="output-parent")) from None
    except OSError as error:
        raise InputError(Problem(Location(file=display_path(path)), f"无法建立输出文件夹：{error.strerror}",
                                 "检查路径和写入权限。", code="output-os")) from None
    payload = data.encode(encoding) if isinstance(data, str) else data
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise InputError(Problem(Location(file=display_path(path)), f"无法写入：{error.strerror}",
                                 "检查路径和写入权限。", code="output-os")) from None
    try:
        os.chmod(tmp, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
