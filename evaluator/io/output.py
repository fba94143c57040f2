"""Write output files atomically, never over a user's file without ``force``, never over an input.

Every file the tool writes goes through ``write_output``:

* the data goes to a temporary file in the same folder, is flushed to disk (fsync), and replaces
  the old file by a rename: a reader, or a run that is killed, sees the old file or the new one,
  never half of one (a killed run may leave a hidden ``.<name>.*.tmp`` beside it, never a broken file);
* an existing file is replaced only with ``force``;
* an output that is one of the command's own inputs is refused even with ``force``: compared by
  resolved path and by device and inode, so a symlink or a hard link to an input is caught too.
  The inputs are those read in the current ``evaluator.io.files.input_scope`` (the command line
  runs every command in one) and any given as ``inputs``;
* an existing output that is not a regular file (a device, a pipe) is refused: a rename would
  replace it, and the data would not go where the user meant.

``check_output`` makes the same checks without writing, for commands that check before their work.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from evaluator.errors import InputError, Location, OutputExistsError, OutputIsInputError, Problem, display_path
from evaluator.io.files import FileId, current_inputs, file_id

__all__ = ["InputIndex", "check_output", "same_input", "write_output"]


def _problem(path: Path, message: str, hint: str, code: str) -> InputError:
    return InputError(Problem(Location(file=display_path(path)), message, hint, code=code))


class InputIndex:
    """The command's inputs (those given and those read so far), found by device and inode or by resolved
    path in one lookup each: a batch checks each of its planned outputs against 20,000 inputs."""

    def __init__(self, inputs: Iterable[Path | str] = ()) -> None:
        self._by_inode: dict[tuple[int, int], FileId] = {}
        self._by_path: dict[str, FileId] = {}
        for identity in current_inputs():
            self._add(identity)
        for item in inputs:
            try:
                self._add(file_id(item))
            except OSError:
                continue  # an input that does not exist cannot be overwritten

    def _add(self, identity: FileId) -> None:
        if identity.inode:  # 0 where the file system has no inode numbers: the path alone then
            self._by_inode.setdefault((identity.device, identity.inode), identity)
        self._by_path.setdefault(identity.path, identity)

    def find(self, path: Path | str) -> FileId | None:
        """The input that ``path`` names (itself, through a symlink, or as a hard link), if any."""
        try:
            info = os.stat(path)
        except OSError:
            info = None
        if info is not None and info.st_ino and (found := self._by_inode.get((info.st_dev, info.st_ino))):
            return found
        return self._by_path.get(os.path.realpath(path))


def same_input(path: Path | str, inputs: Iterable[Path | str]) -> FileId | None:
    """The input that ``path`` names (itself, through a symlink, or as a hard link), if any."""
    return InputIndex(inputs).find(path)


def check_output(path: Path | str, *, force: bool = False, inputs: Iterable[Path | str] = ()) -> None:
    """Raise unless ``path`` may be written: not an input, not a folder or device, not existing (or ``force``)."""
    path = Path(path)
    try:
        _check_output(path, force, inputs)
    except OSError as error:  # a name too long, a folder that cannot be read …
        raise _problem(path, f"无法写入：{error.strerror or error}", "检查路径和写入权限。", "output-os") from None
    except RuntimeError:  # Path.resolve on a loop of symlinks
        raise _problem(path, "无法写入：路径中的符号链接形成了循环", "换一个输出路径。", "output-os") from None


def _check_output(path: Path, force: bool, inputs: Iterable[Path | str]) -> None:
    same = same_input(path, inputs)
    if same is not None:
        raise OutputIsInputError(path, same.shown)
    if path.is_dir():
        raise _problem(path, "这是一个文件夹，不能写成文件", "在 -o 后给出文件名，如 reports/2023/部门.html。",
                       "output-is-dir")
    try:
        info = os.stat(path)
    except OSError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise _problem(path, "这不是普通文件（是设备、管道或套接字），不能写入", "在 -o 后给出磁盘上的文件名。",
                       "output-not-regular")
    if (info is not None or path.is_symlink()) and not force:
        raise OutputExistsError(path)


def write_output(path: Path | str, data: str | bytes | Iterable[str | bytes], *, force: bool = False,
                 encoding: str = "utf-8", inputs: Iterable[Path | str] = ()) -> Path:
    """Write ``data`` to ``path`` through a temporary file, fsync and a rename; return the path.

    ``data`` may be given in pieces (an iterable of str or bytes), written as they come: a large output
    need not be held in memory twice. A reader never sees a half-written file, and an interrupted run
    leaves the old file whole.
    Raises OutputIsInputError when ``path`` is one of the inputs (whatever ``force``), and
    OutputExistsError when the file exists and ``force`` is false.
    """
    path = Path(path)
    inputs = list(inputs)
    check_output(path, force=force, inputs=inputs)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise _problem(path, "上级路径中有同名的文件，无法建立文件夹", "换一个输出路径。", "output-parent") from None
    except OSError as error:
        raise _problem(path, f"无法建立输出文件夹：{error.strerror}", "检查路径和写入权限。", "output-os") from None
    pieces = [data] if isinstance(data, str | bytes) else data
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise _problem(path, f"无法写入：{error.strerror}", "检查路径和写入权限。", "output-os") from None
    try:
        os.chmod(tmp, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as handle:
            _write_pieces(handle, pieces, encoding)
            handle.flush()
            os.fsync(handle.fileno())
        check_output(path, force=force, inputs=inputs)  # again: the folder may have changed meanwhile
        os.replace(tmp, path)
    except OSError as error:
        Path(tmp).unlink(missing_ok=True)
        raise _problem(path, f"无法写入：{error.strerror}", "检查磁盘空间和写入权限。", "output-os") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)
    return path


def _write_pieces(handle: Any, pieces: Iterable[str | bytes], encoding: str) -> None:
    """Write text and bytes as they come, text gathered a megabyte at a time (a template yields small pieces)."""
    held: list[str] = []
    size = 0
    for piece in pieces:
        if isinstance(piece, bytes):
            if held:
                handle.write("".join(held).encode(encoding))
                held, size = [], 0
            handle.write(piece)
            continue
        held.append(piece)
        size += len(piece)
        if size >= 1 << 20:
            handle.write("".join(held).encode(encoding))
            held, size = [], 0
    if held:
        handle.write("".join(held).encode(encoding))


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); where a folder cannot be opened, the rename stands as is."""
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
