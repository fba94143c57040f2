"""Read an input file from disk: the one place for read limits and file-type checks of every input.

Every file the tool reads (targets and actuals YAML, the entry workbook, official forms in .txt,
.docx, .xlsx and .xls, a user's rule set) comes through ``read_input``, which

* reads only regular files: a named pipe would block the reader forever and a device such as
  ``/dev/zero`` (also through a symlink) never ends, so both are refused before they are read; the
  file is opened without blocking and checked again on the open handle, so a path swapped between
  the check and the read cannot slip through;
* reads at most ``max_file_bytes()`` bytes (50 MB unless the environment variable
  ``EVALUATOR_MAX_FILE_MB`` says otherwise), and says so, with the way to raise it, when a file is
  larger — also when it grows while it is read;
* records what it read in the current ``input_scope``, so that ``evaluator.io.output`` can refuse
  to write an output over any of the command's own inputs (by path, symlink or hard link).

The limits for what is inside an Office file (its zip parts, its sheets) live here too, so that one
set of limits holds for every input; ``evaluator.io.office`` and the form readers apply them.
"""

from __future__ import annotations

import contextvars
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from evaluator.errors import InputError, InputErrors, Location, Problem, display_path

__all__ = [
    "DEFAULT_MAX_FILE_MB", "LIMIT_VARIABLE", "MAX_RATIO", "MAX_SHEET_CELLS", "MAX_ZIP_ENTRIES", "RATIO_FLOOR",
    "FileId", "InputScope", "current_inputs", "decode_text", "describe_limit", "describe_size", "file_id",
    "input_scope", "max_file_bytes",
    "max_unpacked_bytes", "peek_output", "raise_hint", "read_input", "sniff",
]

DEFAULT_MAX_FILE_MB = 50
LIMIT_VARIABLE = "EVALUATOR_MAX_FILE_MB"
MAX_ZIP_ENTRIES = 5_000  # parts of one Office file (a form has a few dozen)
MAX_RATIO = 100  # unpacked size / packed size of an Office file, above RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
MAX_SHEET_CELLS = 2_000_000  # rows × columns of one sheet of a form
_MB = 1024 * 1024
_CHUNK = 1024 * 1024


def max_file_bytes() -> int:
    """The largest input file read, in bytes: ``EVALUATOR_MAX_FILE_MB`` megabytes, 50 by default."""
    raw = os.environ.get(LIMIT_VARIABLE, "").strip()
    if not raw:
        return DEFAULT_MAX_FILE_MB * _MB
    try:
        megabytes = float(raw)
    except ValueError:
        megabytes = -1.0
    if not 0 < megabytes < 1024 * 1024:
        raise InputError(Problem(
            Location(), f"环境变量 {LIMIT_VARIABLE} 的值“{raw}”不是有效的兆字节数",
            f"写一个正数，如 {LIMIT_VARIABLE}=200；不设置时上限为 {DEFAULT_MAX_FILE_MB} MB。", code="limit-setting",
        ))
    return max(1, round(megabytes * _MB))


def max_unpacked_bytes() -> int:
    """The most an Office file may unpack to (all its parts together): twice the file-size limit."""
    return 2 * max_file_bytes()


def describe_size(size: int) -> str:
    """A size as the messages state it: “12.3 MB”, or “15.2 KB” under a megabyte."""
    return f"{size / _MB:.1f} MB" if size >= _MB else f"{size / 1024:.1f} KB"


def describe_limit(size: int) -> str:
    """A limit as the messages state it: “50 MB”, “0.01 MB”."""
    return f"{size / _MB:.4g} MB"


def raise_hint() -> str:
    """How to raise the file-size limit, for the messages that name it."""
    return (f"确认选择了正确的文件；确需读取更大的文件时，先设置环境变量 {LIMIT_VARIABLE}（单位 MB），"
            f"如 {LIMIT_VARIABLE}=200，再运行。")


# --- what the command has read ------------------------------------------------------------------------


@dataclass(frozen=True)
class FileId:
    """Which file a path names on disk: its device and inode, and its resolved path."""

    device: int
    inode: int
    path: str  # resolved, for messages and for systems without inode numbers
    shown: str  # as the user gave it


@dataclass
class InputScope:
    """The inputs one command has read so far (see ``input_scope``)."""

    inputs: list[FileId] = field(default_factory=list)
    seen: set[FileId] = field(default_factory=set)  # the same, for a membership test in one step

    def add(self, identity: FileId) -> None:
        if identity not in self.seen:
            self.seen.add(identity)
            self.inputs.append(identity)


_SCOPE: contextvars.ContextVar[InputScope | None] = contextvars.ContextVar("evaluator_input_scope", default=None)


@contextmanager
def input_scope() -> Iterator[InputScope]:
    """Record every input read inside the block; nested blocks share the outermost record.

    The command line runs each command in one scope, and so do the library calls that read and write
    (``report_files``, ``run_batch``): whatever they write is then checked against everything they read.
    """
    current = _SCOPE.get()
    if current is not None:
        yield current
        return
    scope = InputScope()
    token = _SCOPE.set(scope)
    try:
        yield scope
    finally:
        _SCOPE.reset(token)


def current_inputs() -> tuple[FileId, ...]:
    scope = _SCOPE.get()
    return tuple(scope.inputs) if scope is not None else ()


def file_id(path: Path | str, info: os.stat_result | None = None) -> FileId:
    """The identity of an existing file (symlinks followed)."""
    path = Path(path)
    info = info or path.stat()
    return FileId(info.st_dev, info.st_ino, os.path.realpath(path), display_path(path))


# --- reading ------------------------------------------------------------------------------------------


def _refuse(name: str, message: str, hint: str = "", code: str = "no-file") -> InputErrors:
    return InputErrors([Problem(Location(file=name), message, hint, code=code)])


_SPECIAL = (
    (stat.S_ISFIFO, "命名管道（FIFO）"),
    (stat.S_ISCHR, "字符设备"),
    (stat.S_ISBLK, "块设备"),
    (stat.S_ISSOCK, "套接字"),
)


def _kind_of(mode: int) -> str:
    return next((label for test, label in _SPECIAL if test(mode)), "特殊文件")


def _not_regular(name: str, path: Path, mode: int) -> InputErrors:
    via = ""
    if path.is_symlink():
        via = f"（符号链接，指向 {os.path.realpath(path)}）"
    return _refuse(name, f"这不是普通文件，而是{_kind_of(mode)}{via}，不予读取",
                   "给出磁盘上的普通文件（.yaml、.xlsx、.docx、.txt 等）；本工具不从管道或设备读取输入。",
                   "not-regular")


def _too_large(name: str, size: str, limit: int) -> InputErrors:
    return _refuse(name, f"文件过大（{size}，上限 {describe_limit(limit)}），不予读取", raise_hint(), "too-large")


def read_input(path: Path | str) -> tuple[str, bytes]:
    """Return a file's display name and bytes, or raise InputErrors saying why it cannot be read.

    Only a regular file is read (symlinks followed), and only up to ``max_file_bytes()``.
    """
    path = Path(path)
    name = display_path(path)
    limit = max_file_bytes()
    try:
        before = os.stat(path)
    except FileNotFoundError:
        raise _refuse(name, "文件不存在", "检查路径和文件名。") from None
    except NotADirectoryError:
        raise _refuse(name, "文件不存在（路径中有一段不是文件夹）", "检查路径和文件名。") from None
    except OSError as error:
        raise _refuse(name, f"无法读取文件：{error.strerror}") from None
    if stat.S_ISDIR(before.st_mode):
        raise _refuse(name, "这是一个文件夹，不是文件")
    if not stat.S_ISREG(before.st_mode):
        raise _not_regular(name, path, before.st_mode)
    if before.st_size > limit:
        raise _too_large(name, describe_size(before.st_size), limit)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        raise _refuse(name, f"无法读取文件：{error.strerror}") from None
    with os.fdopen(fd, "rb", buffering=0) as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):  # swapped for something else since the check above
            raise _not_regular(name, path, info.st_mode)
        chunks = []
        total = 0
        while True:
            chunk = handle.read(min(_CHUNK, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise _too_large(name, f"读取中超过 {describe_limit(limit)}", limit)
    data = b"".join(chunks)
    scope = _SCOPE.get()
    if scope is not None:
        scope.add(FileId(info.st_dev, info.st_ino, os.path.realpath(path), name))
    return name, data


def peek_output(path: Path | str, limit: int = 64 * _MB) -> bytes | None:
    """The bytes of an existing output file, to see what it is (not an input: nothing is recorded).

    None unless it is a regular file of at most ``limit`` bytes.
    """
    try:
        info = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size > limit:
        return None
    try:
        with open(path, "rb") as handle:
            return handle.read(limit + 1)[:limit]
    except OSError:
        return None


def sniff(data: bytes) -> str:
    """What the bytes look like, whatever the file is called: "zip", "ole", "pdf", "text" or "binary".

    A zip is a .docx/.xlsx; an OLE container an old .doc/.xls or a password-protected Office file.
    """
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if data.startswith(b"%PDF"):
        return "pdf"
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    return "text"


_FOUND = {
    "zip": "文件内容是 Excel 或 Word 文件（.xlsx/.docx）",
    "ole": "文件内容是旧版 Excel/Word 文件（.xls/.doc）或设置了密码的 Office 文件",
    "pdf": "文件内容是 PDF 文件",
    "binary": "文件内容是二进制数据",
}


def decode_text(name: str, data: bytes, *, hint: str = "") -> str:
    """Return UTF-8 text (a BOM is dropped), or raise InputErrors saying what the file is instead.

    A workbook, a document or other binary data under a text name is named as such (``hint`` says
    what to do with it); text in another encoding is named with its first bad line.
    """
    found = sniff(data)
    if found != "text":
        raise InputErrors([Problem(Location(file=name), f"{_FOUND[found]}，不是 YAML 文本",
                                   hint or "检查是否选错了文件或改错了扩展名。", code="file-type")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputErrors(
            [
                Problem(
                    Location(file=name, line=line),
                    "文件不是 UTF-8 编码",
                    "用记事本或其他编辑器“另存为”UTF-8 编码后再试。",
                    code="encoding",
                )
            ]
        ) from None
