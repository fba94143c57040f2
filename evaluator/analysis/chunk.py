"""One chunk of a batch, start to finish: read, score as one pass, review, render, and write its parts.

A chunk is a run of departments (in slug order). ``run_chunk`` is the unit of work of every engine:
the batch's own process, a worker of the local process pool, or a task on a Dask cluster. It needs
nothing but its ``ChunkTask`` (picklable: folders by location, the rule set as data) and returns a
small ``ChunkOutcome``; everything large goes to disk as soon as it exists:

* ``<slug>.html``: each department's report, beside the index (unless reports are off);
* ``.evaluator-batch/chunk-NNNNNN.json``, ``.jsonl``, ``.parquet``: the chunk's part of results.json,
  results.jsonl and results.parquet;
* ``.evaluator-batch/chunk-NNNNNN.done.json``, written last: the chunk's summaries, failures and
  table rows, and the digest of its inputs. Its presence is what marks the chunk done (resume).

Every file is written atomically, so a chunk killed half-way leaves whole files or none.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from evaluator.analysis.columnar import score_chunk
from evaluator.analysis.discovery import Pair
from evaluator.analysis.parquet import chunk_table
from evaluator.analysis.summaries import attribute, scope_findings, summarise
from evaluator.analysis.tables import result_row, row_to_json
from evaluator.checks.check import review_problems
from evaluator.errors import EvaluatorError, InputError, InputErrors, Problem, Severity, display_path
from evaluator.io.load import load_inputs
from evaluator.io.previous import needs_previous_year, previous_year
from evaluator.io.store import open_folder
from evaluator.model import Actuals, PreviousYear, Targets
from evaluator.report.render import PLOTLY_JS, report_pieces
from evaluator.results.scores import Result
from evaluator.results.summary import DepartmentSummary, Failure
from evaluator.version import __version__

if TYPE_CHECKING:
    from evaluator.rules import RuleSet

__all__ = ["STAGING", "ChunkOutcome", "ChunkTask", "done_name", "part_name", "read_done", "run_chunk"]

STAGING = ".evaluator-batch"
MAX_MESSAGES = 20
LARGE = 5000  # indicators: a department this large has its JSON line streamed
NOTHING_TO_SCORE = "目标文件中没有可评分的内容：没有绩效指标，没有专项，实际值文件中也没有预算执行数据"


def part_name(index: int, suffix: str) -> str:
    return f"chunk-{index:06d}{suffix}"


def done_name(index: int) -> str:
    return part_name(index, ".done.json")


@dataclass(frozen=True)
class ChunkTask:
    """Everything a worker needs to do one chunk, wherever it runs."""

    index: int
    digest: str  # of the chunk's inputs (names, sizes, times) and the settings: resume compares it
    pairs: tuple[Pair, ...]
    output: str  # the output folder: a path or an fsspec URL
    rules: RuleSet
    reports: bool
    force: bool
    version: str = __version__


@dataclass(frozen=True)
class ChunkOutcome:
    """What comes back from a chunk: small, whatever the chunk's size."""

    index: int
    digest: str
    departments: tuple[DepartmentSummary, ...]
    failures: tuple[Failure, ...]

    @property
    def count(self) -> int:
        return len(self.departments) + len(self.failures)


class VersionMismatchError(EvaluatorError):
    def __init__(self, theirs: str) -> None:
        super().__init__(f"集群工作进程中的 evaluator 版本（{__version__}）与提交任务的版本（{theirs}）不同，"
                         "结果会不一致。\n"
                         "    提示：在每个工作节点上安装同一版本的 evaluator。")


def run_chunk(task: ChunkTask) -> ChunkOutcome:
    """Do one chunk and write its parts; return its summaries and failures (in slug order).

    The departments are loaded and scored together (``score_chunk``); then each is reviewed, rendered
    and streamed into the chunk's parts one at a time, so that a department of 100,000 indicators
    never has its report, its JSON and its table rows in memory at once.
    """
    if task.version != __version__:
        raise VersionMismatchError(task.version)
    output = open_folder(task.output)
    staging = output.sub(STAGING)
    loaded: list[tuple[Pair, Targets, Actuals | None]] = []
    previous: list[PreviousYear | None] = []
    outcomes: dict[str, DepartmentSummary | Failure] = {}
    for pair in task.pairs:
        item = _load(pair)
        if isinstance(item, Failure):
            outcomes[pair.slug] = item
        else:
            loaded.append((pair, item[0], item[1]))
            previous.append(item[2])
    results = score_chunk([(targets, actuals) for _, targets, actuals in loaded], task.rules, previous=previous)
    del previous
    rows: dict[str, list[list[Any]]] = {}
    with ExitStack() as parts:
        documents = parts.enter_context(staging.open_writer(part_name(task.index, ".json"), force=True))
        lines = parts.enter_context(staging.open_writer(part_name(task.index, ".jsonl"), force=True))
        table = _TableWriter(parts.enter_context(staging.open_writer(part_name(task.index, ".parquet"), force=True)))
        parts.callback(table.close)
        for position, ((pair, targets, actuals), result) in enumerate(zip(loaded, results, strict=True)):
            results[position] = None  # type: ignore[call-overload]  # let each result go once it is written
            if not result.evaluations:
                outcomes[pair.slug] = Failure(pair.slug, pair.files, (NOTHING_TO_SCORE,))
                continue
            problems = review_problems(targets, actuals or _empty(targets), task.rules, result)
            by_scope = attribute(problems, result)
            findings = [scope_findings(e, group, task.rules)
                        for e, group in zip(result.evaluations, by_scope, strict=False)]
            if task.reports:
                with output.open_writer(f"{pair.slug}.html", force=task.force) as page:
                    page.write(codecs.BOM_UTF8)  # as encode() writes every page
                    _write_pieces(page, report_pieces(result, targets, actuals, rules=task.rules,
                                                      plotly_src=PLOTLY_JS))
            reviewed = replace(result, warnings=tuple(problems))
            document = reviewed.to_json()
            document["findings"] = _findings_json(result, findings)
            _write_indented(documents, document, first=not rows)
            _write_compact(lines, document, large=sum(len(e.indicators) for e in result.evaluations) > LARGE)
            del document
            table.add(chunk_table([(pair.slug, reviewed)]))
            rows[pair.slug] = [row_to_json(result_row(pair.slug, result, e, f))
                               for e, f in zip(result.evaluations, findings, strict=True)]
            outcomes[pair.slug] = summarise(pair.slug, result, findings)
            loaded[position] = (pair, targets, None)  # the actuals are no longer needed
    order = sorted(outcomes)
    departments = tuple(o for s in order if isinstance(o := outcomes[s], DepartmentSummary))
    failures = tuple(o for s in order if isinstance(o := outcomes[s], Failure))
    done = {
        "chunk": task.index, "digest": task.digest,
        "departments": [d.to_json() for d in departments],
        "failures": [f.to_json() for f in failures],
        "rows": [rows[d.slug] for d in departments],
    }
    # written last: its presence marks the chunk done
    staging.write(done_name(task.index), json.dumps(done, ensure_ascii=False).encode("utf-8"), force=True)
    return ChunkOutcome(task.index, task.digest, departments, failures)


class _TableWriter:
    """The chunk's part of results.parquet, one department's rows at a time (an empty part has the schema)."""

    def __init__(self, handle: IO[bytes]) -> None:
        import pyarrow.parquet as pq

        from evaluator.analysis.parquet import parquet_schema

        self.writer = pq.ParquetWriter(handle, parquet_schema(), compression="zstd")

    def add(self, table: Any) -> None:
        self.writer.write_table(table)

    def close(self) -> None:
        self.writer.close()


def read_done(data: bytes) -> tuple[ChunkOutcome, list[list[list[Any]]]]:
    """Read a chunk's done file back: its outcome, and its table rows per department."""
    done = json.loads(data)
    outcome = ChunkOutcome(
        done["chunk"], done["digest"],
        tuple(DepartmentSummary.from_json(d) for d in done["departments"]),
        tuple(Failure.from_json(f) for f in done["failures"]),
    )
    return outcome, done["rows"]


def _write_pieces(handle: IO[bytes], pieces: Iterable[str], *, replace_newlines: bool = False) -> None:
    """Write text pieces as UTF-8 in blocks of about 64 kB (a block, not the whole text, is in memory)."""
    pending: list[str] = []
    size = 0
    for piece in pieces:
        pending.append(piece)
        size += len(piece)
        if size > 1 << 16:
            text = "".join(pending)
            handle.write((text.replace("\n", "\n  ") if replace_newlines else text).encode("utf-8"))
            pending, size = [], 0
    text = "".join(pending)
    handle.write((text.replace("\n", "\n  ") if replace_newlines else text).encode("utf-8"))


def _write_indented(handle: IO[bytes], document: dict[str, Any], *, first: bool) -> None:
    """Write the document as results.json holds it (json.dumps(indent=2), each line indented two more spaces),
    after a ",\n" unless it is the part's first; streamed, so a huge document is never one string."""
    handle.write(b"  " if first else b",\n  ")
    _write_pieces(handle, json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(document), replace_newlines=True)


def _write_compact(handle: IO[bytes], document: dict[str, Any], *, large: bool) -> None:
    """Write the document as one line of results.jsonl. The C encoder makes it in one string, fast; for a
    department of more than LARGE indicators the same text is streamed instead (slower, but flat in memory)."""
    if large:
        encoder = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
        _write_pieces(handle, encoder.iterencode(document))
    else:
        handle.write(json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
    handle.write(b"\n")


def _findings_json(result: Result, findings: list[Any]) -> list[dict[str, Any]]:
    from evaluator.decimals import plain

    out = []
    for evaluation, found in zip(result.evaluations, findings, strict=True):
        out.append({
            "scope": evaluation.scope, "id": evaluation.id, "name": evaluation.name,
            "total": plain(evaluation.total), "claimed_total": plain(evaluation.claimed_total),
            "grade": evaluation.grade, "claimed_grade": found.claimed_grade,
            "unsupported_points": plain(found.unsupported_points), "errors": found.errors,
            "warnings": found.warnings, "unexplained_shortfalls": found.unexplained,
            "low_execution_unexplained": found.low_execution,
        })
    return out


def _empty(targets: Targets) -> Actuals:
    return Actuals(year=targets.year, department=targets.department, money_unit=targets.money_unit)


def _load(pair: Pair) -> tuple[Targets, Actuals | None, PreviousYear | None] | Failure:
    """Load one department's files (and its previous year, when a target is a change from last year);
    a problem with them is a Failure listing every message.

    Results and messages name the files as the batch was given them (``pair.files``), wherever a
    worker read them from (a copy of a file behind a URL, another working directory on a cluster).
    """
    if pair.problem is not None or pair.targets is None:
        return Failure(pair.slug, pair.files, (pair.problem or "没有目标文件",))
    names: dict[str, str] = {}
    try:
        with _local(pair) as (targets_path, actuals_path):
            names = {display_path(p): shown for p, shown in zip((targets_path, actuals_path), pair.files, strict=False)
                     if p is not None}
            targets, actuals = load_inputs(targets_path, actuals_path)
            before = _previous(pair, targets, targets_path, actuals_path)
    except InputErrors as error:
        return Failure(pair.slug, pair.files, _messages(error.problems, names))
    except InputError as error:
        return Failure(pair.slug, pair.files, _messages((error.problem,), names))
    except OSError as error:
        return Failure(pair.slug, pair.files, (f"{pair.files[0]}：无法读取文件：{error.strerror or error}",))
    targets = replace(targets, source=pair.files[0])
    if actuals is not None and len(pair.files) > 1:
        actuals = replace(actuals, source=pair.files[1])
    return targets, actuals, before


def _previous(pair: Pair, targets: Targets, targets_path: Path, actuals_path: Path | None) -> PreviousYear | None:
    """The previous year, found beside local files; a department read from a URL is not searched for one."""
    if isinstance(pair.targets, Path):
        return previous_year(targets, targets_path, actuals_path)
    if not needs_previous_year(targets):
        return None
    return PreviousYear(targets.year - 1, problem=f"{pair.files[0]} 通过网址读取，批量评价不查找其上一年度的实际值文件")


@contextmanager
def _local(pair: Pair) -> Iterator[tuple[Path, Path | None]]:
    """Yield local paths of the pair's files: the files themselves, or copies of files behind a URL."""
    with ExitStack() as stack:
        paths: list[Path | None] = []
        for ref in (pair.targets, pair.actuals):
            if ref is None or isinstance(ref, Path):
                paths.append(ref)
                continue
            folder_url, _, name = str(ref).rpartition("/")
            paths.append(stack.enter_context(open_folder(folder_url).local_copy(name)))
        assert paths[0] is not None
        yield paths[0], paths[1]


def _messages(problems: Sequence[Problem], names: dict[str, str]) -> tuple[str, ...]:
    chosen = [p for p in problems if p.severity is Severity.ERROR] or list(problems)
    shown = [_renamed(str(p), p, names) for p in chosen[:MAX_MESSAGES]]
    if len(chosen) > MAX_MESSAGES:
        shown.append(f"…… 另有 {len(chosen) - MAX_MESSAGES} 个问题未列出")
    return tuple(shown)


def _renamed(text: str, problem: Problem, names: dict[str, str]) -> str:
    file = problem.location.file
    if file in names and names[file] != file:
        return str(replace(problem, location=replace(problem.location, file=names[file])))
    return text
