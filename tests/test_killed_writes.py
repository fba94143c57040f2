"""A run killed (SIGKILL) in the middle of writing leaves the old file whole: outputs are complete or absent.

The command runs as a real process. A small wrapper makes its writer stop at a chosen point (in the
middle of the data, or after the data and before the rename) and say so on stdout; the test then kills
it. Nothing depends on timing: the process is killed only once it has said where it stands.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import EXAMPLE_ACTUALS, EXAMPLE_TARGETS

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and select on pipes are POSIX")

# Runs the CLI with the writer held at WHERE: "start" (the temporary file made, nothing written yet),
# "middle" (after the second piece written to it) or "rename" (the data written and synced, the rename not
# yet done). Prints STOPPED there and waits to be killed.
CHILD = textwrap.dedent("""
    import os, sys, time
    where = sys.argv[1]
    real_fdopen, real_fsync = os.fdopen, os.fsync

    def stop():
        print("STOPPED", flush=True)
        time.sleep(3600)

    class Held:
        def __init__(self, handle):
            self.handle, self.pieces = handle, 0
        def write(self, data):
            if where == "start":
                stop()
            self.handle.write(data)
            self.pieces += 1
            if where == "middle" and self.pieces == 2:
                self.handle.flush()
                stop()
        def __getattr__(self, name):
            return getattr(self.handle, name)
        def __enter__(self):
            return self
        def __exit__(self, *exc):
            return self.handle.__exit__(*exc)

    def fdopen(fd, mode="r", *args, **kwargs):
        handle = real_fdopen(fd, mode, *args, **kwargs)
        return Held(handle) if "w" in mode else handle

    def fsync(fd):
        real_fsync(fd)
        if where == "rename":
            stop()

    os.fdopen, os.fsync = fdopen, fsync
    from evaluator.cli import main
    sys.argv = ["evaluator", *sys.argv[2:]]
    main()
""")


def _kill_while_writing(where: str, *arguments: object, cwd: Path) -> None:
    process = subprocess.Popen([sys.executable, "-c", CHILD, where, *map(str, arguments)], cwd=cwd,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], 300)  # a guard against a hang, not a timing
        assert ready, "the command never reached the write"
        line = process.stdout.readline()
        assert line.strip() == b"STOPPED", (line, process.stderr.read() if process.poll() is not None else b"")
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        assert process.returncode == -signal.SIGKILL
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for stream in (process.stdout, process.stderr):
            if stream is not None:
                stream.close()


def _large_pair(folder: Path) -> tuple[Path, Path]:
    """A department of 3,000 indicators: its report is several megabytes, written in several pieces."""
    targets = ["schema: evaluator.targets/1", "year: 2023", "department: 大部门", "indicators:"]
    actuals = ["schema: evaluator.actuals/1", "year: 2023", "department: 大部门",
               "budget: {initial: 100, adjusted: 100, executed: 95}", "indicators:"]
    for n in range(3000):
        targets.append(f"  - {{id: D{n:04d}, level1: 产出指标, level2: 数量指标, name: 培训{n}, target: \"≥{n % 50 + 10}次\"}}")
        actuals.append(f"  D{n:04d}: {{actual: \"{n % 70 + 5}次\", reason: 按计划}}")
    (folder / "t.yaml").write_text("\n".join(targets) + "\n", encoding="utf-8")
    (folder / "a.yaml").write_text("\n".join(actuals) + "\n", encoding="utf-8")
    return folder / "t.yaml", folder / "a.yaml"


def _others(folder: Path, *kept: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name not in kept)


@pytest.mark.parametrize("where", ["middle", "rename"])
def test_a_report_killed_while_written_leaves_the_old_report(tmp_path, where):
    targets, actuals = _large_pair(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    old = out / "report.html"
    old.write_bytes(b"<!DOCTYPE html><p>the old report</p>")
    _kill_while_writing(where, "report", targets, actuals, "-o", old, "--force", cwd=tmp_path)
    assert old.read_bytes() == b"<!DOCTYPE html><p>the old report</p>"
    leftovers = _others(out, "report.html")
    assert all(name.startswith(".report.html.") and name.endswith(".tmp") for name in leftovers), leftovers
    if where == "middle":  # really killed in the middle: a partial temporary file is all that was written
        (partial,) = leftovers
        assert 0 < (out / partial).stat().st_size < 3_000_000


@pytest.mark.parametrize("where", ["start", "rename"])
@pytest.mark.parametrize("command", ["export", "template"])
def test_an_xlsx_killed_while_written_leaves_the_old_workbook(tmp_path, where, command):
    out = tmp_path / "表.xlsx"
    out.write_bytes(b"old workbook bytes")
    arguments = (EXAMPLE_TARGETS, EXAMPLE_ACTUALS) if command == "export" else (EXAMPLE_TARGETS,)
    _kill_while_writing(where, command, *arguments, "-o", out, "--force", cwd=tmp_path)
    assert out.read_bytes() == b"old workbook bytes"
    assert all(name.startswith(".表.xlsx.") and name.endswith(".tmp") for name in _others(tmp_path, "表.xlsx"))


def test_the_next_run_writes_over_a_killed_runs_leftovers(tmp_path):
    targets, actuals = _large_pair(tmp_path)
    out = tmp_path / "report.html"
    out.write_bytes(b"old")
    _kill_while_writing("rename", "report", targets, actuals, "-o", out, "--force", cwd=tmp_path)
    done = subprocess.run([sys.executable, "-m", "evaluator", "report", str(targets), str(actuals), "-o", str(out),
                           "--force"], cwd=tmp_path, capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert out.read_bytes().startswith(b"\xef\xbb\xbf<!DOCTYPE html>")
