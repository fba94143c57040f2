"""Folders a batch reads and writes: a local folder, or an fsspec URL (s3://…, gs://…, file://…) for a cluster.

A province's batch on a Dask cluster reads its inputs from, and writes its outputs to, storage every
worker sees. ``open_folder`` returns a ``Folder`` for either kind with the few operations a batch
needs: list the files, read one, write one atomically, stream a large one, remove staging files.

Atomicity, by kind of storage:

* a local folder (a path or ``file://``): every file goes through ``evaluator.io.output.write_output``
  (temporary file in the same folder, fsync, rename), streamed files likewise (``open_writer``);
* an object store (``s3``, ``gs``/``gcs``, ``az``/``abfs``, ``memory``): an object is uploaded whole and
  appears only when its upload completes, so a reader never sees half an object;
* any other fsspec filesystem (sftp, hdfs, …): the file is uploaded under a temporary name beside
  its final one and renamed. Where the filesystem's rename is not atomic the file may be seen
  while it is renamed; an interrupted upload leaves a ``.…tmp`` file that ``remove_temporary``
  clears on the next run.

fsspec is imported only when a URL is given (``pip install "evaluator[scale]"``).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISREG
from typing import IO, Any

from evaluator.errors import InputError, OutputExistsError, display_path
from evaluator.io.output import check_output, write_output

__all__ = ["Entry", "Folder", "is_url", "open_folder", "TEMPORARY"]

OBJECT_STORES = {"s3", "s3a", "gs", "gcs", "az", "abfs", "abfss", "adl", "memory"}
TEMPORARY = re.compile(r"^\..+\.[^.]+\.tmp$")  # write_output's temporary files: .<name>.<random>.tmp
_URL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]+://")


def is_url(location: str | Path) -> bool:
    """Return True for an fsspec URL such as ``s3://bucket/targets/2023`` (a Windows path is not one)."""
    return isinstance(location, str) and bool(_URL.match(location))


@dataclass(frozen=True)
class Entry:
    """A file directly inside a folder: its name, size and modification time (for the resume check)."""

    name: str
    size: int
    mtime: str


class Folder:
    """A folder on a local disk or in an fsspec filesystem; names are plain file names inside it."""

    location: str  # as the user gave it (a path or a URL)

    def display(self, name: str | None = None) -> str:
        raise NotImplementedError

    def is_dir(self) -> bool:
        raise NotImplementedError

    def entries(self) -> list[Entry]:
        raise NotImplementedError

    def names(self) -> set[str]:
        """Every file name inside, hidden ones included (cheap: one listing)."""
        return {e.name for e in self.entries()}

    def child(self, name: str) -> str | Path:
        raise NotImplementedError

    def sub(self, name: str) -> Folder:
        raise NotImplementedError

    def read_bytes(self, name: str) -> bytes:
        raise NotImplementedError

    def read_head(self, name: str, size: int) -> bytes:
        raise NotImplementedError

    def write(self, name: str, data: bytes, *, force: bool = False) -> str:
        raise NotImplementedError

    @contextmanager
    def open_writer(self, name: str, *, force: bool = False) -> Iterator[IO[bytes]]:
        raise NotImplementedError
        yield  # pragma: no cover

    def remove(self, name: str) -> None:
        raise NotImplementedError

    def remove_tree(self) -> None:
        raise NotImplementedError

    def makedirs(self) -> None:
        raise NotImplementedError

    @contextmanager
    def local_copy(self, name: str) -> Iterator[Path]:
        """Yield a local path holding the file (the file itself when it is local)."""
        raise NotImplementedError
        yield  # pragma: no cover

    def remove_temporary(self) -> int:
        """Remove the temporary files an interrupted write left (``.<name>.<random>.tmp``); return how many."""
        removed = 0
        for entry in self.entries():
            if TEMPORARY.match(entry.name):
                self.remove(entry.name)
                removed += 1
        return removed


class LocalFolder(Folder):
    def __init__(self, path: Path, location: str | None = None) -> None:
        self.path = path
        self.location = location if location is not None else str(path)

    def display(self, name: str | None = None) -> str:
        return display_path(self.path / name if name else self.path)

    def is_dir(self) -> bool:
        return self.path.is_dir()

    def entries(self) -> list[Entry]:
        if not self.path.is_dir():
            return []
        found = []
        with os.scandir(self.path) as scan:
            for item in scan:
                try:
                    # a named pipe or a device is listed too: reading it is refused with a message
                    # (io.files.read_input), so a batch names it as a failure instead of passing it over
                    if item.is_dir():
                        continue
                    stat = item.stat()
                except OSError:  # a broken link: listed, and reading it says so
                    found.append(Entry(item.name, 0, ""))
                    continue
                found.append(Entry(item.name, stat.st_size, str(stat.st_mtime_ns)))
        return sorted(found, key=lambda e: e.name)

    def child(self, name: str) -> Path:
        return self.path / name

    def sub(self, name: str) -> LocalFolder:
        return LocalFolder(self.path / name)

    def read_bytes(self, name: str) -> bytes:
        return (self.path / name).read_bytes()

    def read_head(self, name: str, size: int) -> bytes:
        path = self.path / name
        if not S_ISREG(path.stat().st_mode):  # opening a named pipe would wait for a writer
            raise OSError(f"{path} 不是普通文件")
        with open(path, "rb") as handle:
            return handle.read(size)

    def write(self, name: str, data: bytes, *, force: bool = False) -> str:
        return str(write_output(self.path / name, data, force=force))

    @contextmanager
    def open_writer(self, name: str, *, force: bool = False) -> Iterator[IO[bytes]]:
        """Stream a large file into a temporary file beside it; rename it into place only when complete."""
        path = self.path / name
        check_output(path, force=force)  # not over a user's file without force, never over an input
        self.makedirs()
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=self.path)
        try:
            with os.fdopen(fd, "wb") as handle:
                yield handle
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o666 & ~_umask())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def remove(self, name: str) -> None:
        (self.path / name).unlink(missing_ok=True)

    def remove_tree(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)

    def makedirs(self) -> None:
        if self.path.exists() and not self.path.is_dir():
            raise InputError(f"{display_path(self.path)}：这是一个文件，不是文件夹，无法写入输出",
                             hint="在 -o 后给出一个文件夹，如 reports/2023/。")
        try:
            self.path.mkdir(parents=True, exist_ok=True)
        except (FileExistsError, NotADirectoryError):
            raise InputError(f"无法建立输出文件夹“{display_path(self.path)}”：路径中有同名的文件",
                             hint="换一个输出文件夹。") from None

    @contextmanager
    def local_copy(self, name: str) -> Iterator[Path]:
        yield self.path / name


class RemoteFolder(Folder):
    """A folder of an fsspec filesystem, addressed by URL."""

    def __init__(self, location: str) -> None:
        fsspec = _fsspec()
        self.location = location.rstrip("/")
        self.fs, self.root = fsspec.core.url_to_fs(self.location)
        protocol = self.fs.protocol
        self.protocol = protocol if isinstance(protocol, str) else protocol[0]

    def display(self, name: str | None = None) -> str:
        return f"{self.location}/{name}" if name else self.location

    def _path(self, name: str) -> str:
        return f"{self.root.rstrip('/')}/{name}"

    def is_dir(self) -> bool:
        try:
            return bool(self.fs.isdir(self.root))
        except OSError:
            return False

    def entries(self) -> list[Entry]:
        try:
            listing = self.fs.ls(self.root, detail=True, refresh=True)
        except (FileNotFoundError, NotADirectoryError):
            return []
        found = []
        for info in listing:
            if info.get("type") != "file":
                continue
            name = str(info["name"]).rstrip("/").rsplit("/", 1)[-1]
            stamp = info.get("mtime") or info.get("LastModified") or info.get("last_modified") or info.get("ETag") or ""
            found.append(Entry(name, int(info.get("size") or 0), str(stamp)))
        return sorted(found, key=lambda e: e.name)

    def child(self, name: str) -> str:
        return f"{self.location}/{name}"

    def sub(self, name: str) -> RemoteFolder:
        return RemoteFolder(f"{self.location}/{name}")

    def read_bytes(self, name: str) -> bytes:
        return bytes(self.fs.cat_file(self._path(name)))

    def read_head(self, name: str, size: int) -> bytes:
        with self.fs.open(self._path(name), "rb") as handle:
            return bytes(handle.read(size))

    def write(self, name: str, data: bytes, *, force: bool = False) -> str:
        if not force and self.fs.exists(self._path(name)):
            raise OutputExistsError(Path(self.display(name)))
        if self.protocol in OBJECT_STORES:
            self.fs.pipe_file(self._path(name), data)  # one upload: the object appears whole
        else:
            tmp = self._path(_temporary_name(name))
            self.fs.pipe_file(tmp, data)
            self.fs.mv(tmp, self._path(name))
        return self.display(name)

    @contextmanager
    def open_writer(self, name: str, *, force: bool = False) -> Iterator[IO[bytes]]:
        """Stream into a local temporary file, then upload it whole (see the module's note on atomicity)."""
        if not force and self.fs.exists(self._path(name)):
            raise OutputExistsError(Path(self.display(name)))
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                yield handle
            if self.protocol in OBJECT_STORES:
                self.fs.put_file(tmp, self._path(name))
            else:
                remote_tmp = self._path(_temporary_name(name))
                self.fs.put_file(tmp, remote_tmp)
                self.fs.mv(remote_tmp, self._path(name))
        finally:
            Path(tmp).unlink(missing_ok=True)

    def remove(self, name: str) -> None:
        with suppress(FileNotFoundError):
            self.fs.rm_file(self._path(name))

    def remove_tree(self) -> None:
        with suppress(FileNotFoundError):
            self.fs.rm(self.root, recursive=True)

    def makedirs(self) -> None:
        self.fs.makedirs(self.root, exist_ok=True)

    @contextmanager
    def local_copy(self, name: str) -> Iterator[Path]:
        folder = Path(tempfile.mkdtemp(prefix="evaluator-input-"))
        try:
            path = folder / name
            path.write_bytes(self.read_bytes(name))
            yield path
        finally:
            shutil.rmtree(folder, ignore_errors=True)


def open_folder(location: str | Path) -> Folder:
    """Return the folder a path or an fsspec URL names; ``file://`` URLs are local folders."""
    if not is_url(location):
        return LocalFolder(Path(location))
    text = str(location)
    if text.startswith("file://"):
        return LocalFolder(Path(text[len("file://"):]), text)
    return RemoteFolder(text)


def _fsspec() -> Any:
    try:
        import fsspec
    except ImportError:
        raise InputError("读写 URL（如 s3://…）形式的文件夹需要 fsspec",
                         hint='安装扩展：pip install "evaluator[scale]"；本地文件夹直接写路径即可。') from None
    return fsspec


def _temporary_name(name: str) -> str:
    return f".{name}.{os.urandom(4).hex()}.tmp"


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
