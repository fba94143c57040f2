"""Read an input file from disk: its bytes and the name it is shown by, or a clear Chinese error."""

from __future__ import annotations

from pathlib import Path

from evaluator.errors import InputErrors, Location, Problem, display_path

__all__ = ["decode_text", "read_input"]


def read_input(path: Path) -> tuple[str, bytes]:
    """Return a file's display name and bytes, or raise a clear error when it cannot be read."""
    name = display_path(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputErrors([Problem(Location(file=name), "文件不存在", "检查路径和文件名。", code="no-file")]) from None
    except IsADirectoryError:
        raise InputErrors([Problem(Location(file=name), "这是一个文件夹，不是文件", code="no-file")]) from None
    except OSError as error:
        raise InputErrors([Problem(Location(file=name), f"无法读取文件：{error.strerror}", code="no-file")]) from None
    return name, data


def decode_text(name: str, data: bytes) -> str:
    """Return UTF-8 text (a BOM is dropped), or raise InputErrors naming the first bad line."""
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


