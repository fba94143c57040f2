"""Write output files atomically, and never over a user's file without ``force``."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from evaluator.errors import OutputExistsError


def write_output(path: Path, data: str | bytes, *, force: bool = False, encoding: str = "utf-8") -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename; return the path.

    A reader never sees a half-written file, and an interrupted run leaves the old file whole.
    Raises OutputExistsError when the file exists and ``force`` is false.
    """
    path = Path(path)
    if path.exists() and not force:
        raise OutputExistsError(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = data.encode(encoding) if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
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
