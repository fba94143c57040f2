"""Evaluate every department of a year at once: the library behind ``evaluator batch``.

``run_batch`` pairs every ``<slug>.yaml`` of a targets folder with ``<slug>.yaml`` or ``<slug>.xlsx`` of
an actuals folder, scores them in chunks (``evaluator.analysis.chunk``) on an engine
(``evaluator.analysis.engines``: this process, a local process pool, or a Dask cluster), and writes
into one output folder:

* ``<slug>.html``: the self-evaluation report of each department (unless ``reports`` is false),
  loading plotly.js from ``plotly-basic-4.1.1.min.js``, one shared copy;
* ``index.html`` and ``index-data.js``: the summary page (a paged, searchable table of every department,
  the grade distribution, execution against score, the departments to look at first, ranked by what
  the pre-submission review found, and the departments that could not be evaluated);
* ``results.csv`` (UTF-8 with BOM), ``results.xlsx``: one row per department and scope, with the review's
  counts and the claimed against the recomputed totals; ``failures.csv``: one row per problem of each
  department that could not be evaluated;
* ``results.json`` (the list of every department's result, formats.md §3, its ``warnings`` filled by the
  pre-submission review), ``results.jsonl`` (the same, one department a line) and ``results.parquet``
  (one row per line of every 自评表).

Memory stays flat: each department's result goes to disk as soon as it is scored and only its summary
row is kept. The folders may be fsspec URLs (``evaluator.io.store``).

A department whose files are broken is listed on the index and skipped; it never stops the batch.
Nothing is written when any output file exists and ``force`` is false (checked before any work), or
when the folders look swapped. Each file is written atomically, and the same inputs give byte-identical
files whatever the engine. An interrupted batch (Ctrl-C, SIGTERM) stops its workers, raises
``BatchInterrupted`` and leaves whole files and a manifest; ``resume`` continues from it.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

from evaluator.analysis.assemble import RESULT_FILES, assemble
from evaluator.analysis.chunk import STAGING, ChunkOutcome
from evaluator.analysis.discovery import INDEX, RESERVED, Pair, find_pairs
from evaluator.analysis.engines import ENGINES, run_dask, run_local
from evaluator.analysis.outliers import attention_list, find_outliers, year_outliers
from evaluator.analysis.plan import (
    MANIFEST,
    Manifest,
    ResumeError,
    check_resumable,
    chunk_size_for,
    finished,
    make_tasks,
    read_manifest,
)
from evaluator.errors import EvaluatorError, InputError, OutputIsInputError
from evaluator.io.output import InputIndex
from evaluator.io.store import Folder, LocalFolder, is_url, open_folder
from evaluator.report.index_page import INDEX_DATA, index_data, render_index
from evaluator.report.render import PLOTLY_JS, encode, plotly_js
from evaluator.results.summary import Batch
from evaluator.rules import load_rules
from evaluator.version import __version__

__all__ = ["BatchInterrupted", "BatchOutputsExistError", "InterruptedBatchError", "default_workers",
           "planned_outputs", "run_batch"]

PARALLEL_FROM = 40  # fewer departments than this are scored in this process: a pool costs ~1 s to start

Progress = Callable[[int, int], None]


class BatchOutputsExistError(EvaluatorError):
    """Refuse to write into a folder that already holds some of the files the batch would write."""

    def __init__(self, folder: str, existing: list[str]) -> None:
        names = "、".join(existing[:5]) + (" 等" if len(existing) > 5 else "")
        super().__init__(
            f"{folder}：已有 {len(existing)} 个输出文件（{names}），未覆盖，也未写入任何文件。\n"
            "    提示：确认要覆盖时加 --force，或用 -o 指定其他文件夹。"
        )
        self.existing = existing


class InterruptedBatchError(EvaluatorError):
    """The folder holds an interrupted batch: say that --resume continues it."""

    def __init__(self, folder: str, done: int, total: int) -> None:
        super().__init__(
            f"{folder}：上次的批量评价在此中断（已完成 {done}/{total} 个部门），未写入任何文件。\n"
            "    提示：加 --resume 从中断处继续；加 --force 重新评价全部部门。"
        )


class BatchInterrupted(EvaluatorError):
    """Ctrl-C or SIGTERM stopped the batch; the manifest and every finished chunk are kept."""

    exit_code = 130

    def __init__(self, done: int, total: int) -> None:
        super().__init__(f"已中断：完成 {done}/{total} 个部门")
        self.done = done
        self.total = total


def planned_outputs(pairs: list[Pair], reports: bool = True) -> list[str]:
    """Every file name the batch may write: one report per department that has a targets file, and the rest."""
    names = [f"{p.slug}.html" for p in pairs if reports and p.targets is not None and p.slug not in RESERVED]
    return [*names, INDEX, INDEX_DATA, PLOTLY_JS, *RESULT_FILES]


def default_workers(departments: int) -> int:
    """Return how many processes to use: one for a small batch, else one per core (at most 4)."""
    if departments < PARALLEL_FROM:
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


def run_batch(
    targets_dir: Path | str,
    actuals_dir: Path | str,
    output_dir: Path | str,
    *,
    rules: str | Path = "national-2020",
    force: bool = False,
    workers: int | None = None,
    progress: Progress | None = None,
    engine: str = "local",
    scheduler: str | None = None,
    resume: bool = False,
    reports: bool = True,
    chunk_size: int | None = None,
) -> Batch:
    """Score every department of a targets folder and write the reports, the index and the result files.

    Raises InputError for a missing folder, no targets at all, no actuals file named like any of them,
    or folders given the wrong way round (nothing would be evaluated); InputErrors for a bad rule set;
    BatchOutputsExistError or InterruptedBatchError (before anything is written) when output files
    exist and neither ``force`` nor ``resume`` is given; BatchInterrupted when Ctrl-C or SIGTERM stops
    it. Departments whose files are broken are returned in ``failures``, never raised.
    """
    if engine not in ENGINES:
        raise InputError(f"未知的引擎“{engine}”", hint=f"可选：{'、'.join(ENGINES)}")
    if engine == "dask":  # a worker on another machine has another working directory: local paths made absolute
        targets_dir, actuals_dir, output_dir = (_absolute(p) for p in (targets_dir, actuals_dir, output_dir))
    output = open_folder(output_dir)
    pairs = find_pairs(targets_dir, actuals_dir)
    _refuse_outputs_over_inputs(output, pairs, rules, reports)
    rule_set = load_rules(rules)
    staging = output.sub(STAGING)
    previous = read_manifest(output)
    processes = default_workers(len(pairs)) if workers is None else max(1, workers)
    if previous is not None and resume:
        check_resumable(previous, rule_set, reports)
        manifest = previous  # its chunk size: the chunks are the ones the interrupted run had
    else:
        _refuse_existing(output, pairs, previous, reports, force, resume)
        size = chunk_size or chunk_size_for(len(pairs), processes)
        manifest = Manifest(__version__, rule_set.name, rule_set.sha256, reports, size, len(pairs))
    overwrite = force or resume
    tasks = make_tasks(pairs, manifest, output.location, rule_set, overwrite)
    if previous is not None and not resume:
        staging.remove_tree()  # --force over an interrupted batch: start again
    output.makedirs()
    staging.makedirs()
    staging.write(MANIFEST, manifest.to_json(), force=True)
    done = finished(staging, tasks) if resume else set()
    counted = {t.index: len(t.pairs) for t in tasks}
    state = {"done": sum(counted[i] for i in done)}
    if progress is not None:
        progress(state["done"], len(pairs))

    def on_done(outcome: ChunkOutcome) -> None:
        state["done"] += outcome.count
        if progress is not None:
            progress(state["done"], len(pairs))

    todo = [t for t in tasks if t.index not in done]
    try:
        with _sigterm_as_interrupt():
            if engine == "dask":
                run_dask(todo, processes, on_done, scheduler)
            else:
                run_local(todo, processes, on_done)
            # the last files: each written whole; interrupted here, --resume writes them again
            return _finish(output, staging, tasks, rule_set, Path(str(targets_dir)), reports, overwrite)
    except KeyboardInterrupt:
        with _ignoring_interrupts():
            output.remove_temporary()
            staging.remove_temporary()
            # what is on disk counts: a chunk a worker finished just before the stop is kept
            kept = finished(staging, tasks)
        raise BatchInterrupted(sum(counted[i] for i in kept), len(pairs)) from None


def _finish(output: Folder, staging: Folder, tasks: list[Any], rule_set: Any, targets_dir: Path, reports: bool,
            force: bool) -> Batch:
    outcomes = assemble(output, staging, len(tasks), force)
    departments = tuple(d for o in outcomes for d in o.departments)
    failures = tuple(f for o in outcomes for f in o.failures)
    outliers = find_outliers(departments, rule_set.low_rate_warning) + year_outliers(departments, targets_dir)
    outliers = tuple(sorted(outliers, key=lambda o: o.slug))  # stable: each department's kinds keep their order
    grades = tuple(grade for grade, _ in rule_set.grade_bands)
    batch = Batch(output.display(), rule_set.name, rule_set.title, grades, departments, failures, outliers, (),
                  attention=attention_list(departments, outliers), reports=reports,
                  explain_below=rule_set.execution_explain_below)
    output.write(PLOTLY_JS, plotly_js().encode("utf-8"), force=force)
    output.write(INDEX_DATA, index_data(batch).encode("utf-8"), force=force)
    output.write(INDEX, encode(render_index(batch, plotly_src=PLOTLY_JS)), force=force)
    staging.remove_tree()
    written = (*RESULT_FILES, INDEX_DATA, PLOTLY_JS, INDEX)
    return replace(batch, written=tuple(output.display(name) for name in written))


def _refuse_outputs_over_inputs(output: Folder, pairs: list[Pair], rules: str | Path, reports: bool) -> None:
    """Refuse, before any work and even with --force, a batch whose output folder would replace one of its
    inputs (an actuals folder given as the output, a symlink or hard link to an input)."""
    if not isinstance(output, LocalFolder):
        return
    inputs = [p for pair in pairs for p in (pair.targets, pair.actuals) if isinstance(p, Path)]
    if Path(str(rules)).is_file():  # a rule file of the user's
        inputs.append(Path(str(rules)))
    index = InputIndex(inputs)
    for name in planned_outputs(pairs, reports):
        same = index.find(output.path / name)
        if same is not None:
            raise OutputIsInputError(output.path / name, same.shown)


def _absolute(location: Path | str) -> Path | str:
    return location if is_url(location) else Path(location).absolute()


def _refuse_existing(output: Folder, pairs: list[Pair], previous: Manifest | None, reports: bool, force: bool,
                     resume: bool) -> None:
    """Refuse, before any work, to write over files the user has (or over an interrupted batch)."""
    if force:
        return
    if previous is not None:
        staging = output.sub(STAGING)
        done = _done_departments(staging, previous)
        raise InterruptedBatchError(output.display(), done, previous.departments)
    names = output.names()
    existing = [name for name in planned_outputs(pairs, reports) if name in names]
    if existing and resume:
        raise ResumeError(f"{output.display()}：没有中断的批量评价可以继续（已有 {len(existing)} 个输出文件，"
                          "上次的批量评价已经完成），未写入任何文件。\n    提示：要重新评价时加 --force。")
    if existing:
        raise BatchOutputsExistError(output.display(), existing)


def _done_departments(staging: Folder, manifest: Manifest) -> int:
    """How many departments the interrupted batch finished, from its done files (each chunk is whole)."""
    chunks = sum(1 for name in staging.names() if name.endswith(".done.json"))
    return min(manifest.departments, chunks * manifest.chunk_size) if chunks else 0


@contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Let SIGTERM stop the batch as Ctrl-C does (only the main thread can install a signal handler)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def _ignoring_interrupts() -> Iterator[None]:
    """While the batch cleans up or writes its last files, a second Ctrl-C must not cut it short."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.signal(sig, signal.SIG_IGN) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

