"""Put a batch's files together from its chunks' parts, in chunk order, one part in memory at a time.

results.json, results.jsonl and results.parquet are the chunks' parts joined; results.csv,
results.xlsx and failures.csv are written from the rows in the chunks' done files, and the
summaries come back for the index. Whatever engine ran the chunks and however the batch was cut
into chunks, the same departments give the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from contextlib import ExitStack
from typing import Any

from evaluator.analysis.chunk import ChunkOutcome, part_name, read_done
from evaluator.analysis.parquet import ParquetMerger
from evaluator.analysis.tables import (
    FAILURE_COLUMNS,
    FAILURES_CSV,
    RESULT_COLUMNS,
    RESULTS_CSV,
    RESULTS_JSON,
    RESULTS_JSONL,
    RESULTS_PARQUET,
    RESULTS_XLSX,
    CsvWriter,
    XlsxWriter,
    failure_rows,
    row_from_json,
)
from evaluator.io.store import Folder

__all__ = ["RESULT_FILES", "assemble"]

RESULT_FILES = (RESULTS_JSON, RESULTS_JSONL, RESULTS_PARQUET, RESULTS_CSV, RESULTS_XLSX, FAILURES_CSV)


def assemble(output: Folder, staging: Folder, chunks: int, force: bool) -> list[ChunkOutcome]:
    """Write the result files from the parts of chunks 0 … ``chunks``-1; return their outcomes in order."""
    outcomes: list[ChunkOutcome] = []
    with ExitStack() as stack:
        csv_handle = stack.enter_context(output.open_writer(RESULTS_CSV, force=force))
        failures_handle = stack.enter_context(output.open_writer(FAILURES_CSV, force=force))
        table = CsvWriter(csv_handle, RESULT_COLUMNS)
        failures = CsvWriter(failures_handle, FAILURE_COLUMNS)
        workbook = XlsxWriter()
        for index in range(chunks):
            outcome, rows = read_done(staging.read_bytes(part_name(index, ".done.json")))
            department_rows = [row_from_json(row) for scopes in rows for row in scopes]
            table.write_rows(department_rows)
            workbook.write_rows(department_rows)
            failures.write_rows(failure_rows(outcome.failures))
            outcomes.append(outcome)
        with output.open_writer(RESULTS_XLSX, force=force) as handle:
            workbook.close(handle)
    with output.open_writer(RESULTS_JSON, force=force) as handle:
        for piece in _json_list(staging.read_bytes(part_name(i, ".json")) for i in range(chunks)):
            handle.write(piece)
    with output.open_writer(RESULTS_JSONL, force=force) as handle:
        for index in range(chunks):
            handle.write(staging.read_bytes(part_name(index, ".jsonl")))
    with output.open_writer(RESULTS_PARQUET, force=force) as handle:
        merger = ParquetMerger(handle)
        for index in range(chunks):
            merger.add(_read_parquet(staging.read_bytes(part_name(index, ".parquet"))))
        merger.close()
    return outcomes


def _json_list(parts: Iterator[bytes] | Sequence[bytes]) -> Iterator[bytes]:
    """A JSON list from chunk parts (each: its documents, indented, joined by ",\\n"; empty when none)."""
    first = True
    for part in parts:
        if not part:
            continue
        yield (b"[\n" if first else b",\n") + part
        first = False
    yield b"[]\n" if first else b"\n]\n"


def _read_parquet(data: bytes) -> Any:
    import pyarrow.parquet as pq

    return pq.read_table(io.BytesIO(data))
