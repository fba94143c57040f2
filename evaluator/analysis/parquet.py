"""results.parquet: every line of every 自评表 of a batch, one row each, for pandas, DuckDB and Spark users.

One row per line of a 自评表: the 预算执行率 line (``line = "execution"``) and each indicator
(``line = "indicator"``), with its 自评表's total, grade and claimed total repeated on each row, so
that ``SELECT grade, count(*) … WHERE line = 'execution' AND scope = 'department'`` needs no join.
Amounts, points, scores, rates and ratios are ``decimal128(28, 6)``: exact (6 decimals is one cent
in 万元), read back by pandas as ``Decimal``. The columns are listed in docs/formats.md.

``chunk_table`` builds one chunk's rows as one columnar table; ``ParquetMerger`` writes the chunks'
tables into one file in row groups of a fixed size, so the file does not depend on how the batch
was cut into chunks (or which engine ran them).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import IO, Any

from evaluator.results.scores import Result

__all__ = ["PARQUET_COLUMNS", "ParquetMerger", "chunk_table", "parquet_schema"]

ROW_GROUP = 65_536
_SCALE = Decimal("0.000001")

# (name, kind): kind is "text", "int", "decimal", "flags"
PARQUET_COLUMNS: tuple[tuple[str, str], ...] = (
    ("slug", "text"), ("department", "text"), ("year", "int"),
    ("scope", "text"), ("scope_id", "text"), ("scope_name", "text"),
    ("scope_total", "decimal"), ("scope_grade", "text"), ("scope_claimed_total", "decimal"),
    ("line", "text"), ("position", "int"),
    ("id", "text"), ("level1", "text"), ("level2", "text"), ("name", "text"), ("group", "text"),
    ("target", "text"), ("actual", "text"), ("understood", "text"), ("direction", "text"),
    ("points", "decimal"), ("points_source", "text"), ("score", "decimal"), ("ratio", "decimal"),
    ("status", "text"), ("explanation", "text"), ("claimed", "decimal"), ("review", "text"),
    ("reason", "text"), ("measure", "text"), ("deduction", "decimal"), ("flags", "flags"),
    ("initial", "decimal"), ("adjusted", "decimal"), ("executed", "decimal"), ("denominator", "text"),
    ("rate", "decimal"),
)


def parquet_schema() -> Any:
    import pyarrow as pa

    types = {"text": pa.string(), "int": pa.int32(), "decimal": pa.decimal128(28, 6), "flags": pa.list_(pa.string())}
    return pa.schema([(name, types[kind]) for name, kind in PARQUET_COLUMNS])


def _decimal(value: Decimal | None) -> Decimal | None:
    if value is None:
        return None
    return value.quantize(_SCALE, rounding=ROUND_HALF_UP)


def chunk_table(results: Sequence[tuple[str, Result]]) -> Any:
    """Return a pyarrow Table of every 自评表 line of the (slug, result) pairs, columns as PARQUET_COLUMNS."""
    import pyarrow as pa

    columns: dict[str, list[Any]] = {name: [] for name, _ in PARQUET_COLUMNS}
    for slug, result in results:
        for evaluation in result.evaluations:
            scope = {
                "slug": slug, "department": result.department, "year": result.year, "scope": evaluation.scope,
                "scope_id": evaluation.id, "scope_name": evaluation.name, "scope_total": _decimal(evaluation.total),
                "scope_grade": evaluation.grade, "scope_claimed_total": _decimal(evaluation.claimed_total),
            }
            ex = evaluation.execution
            lines: list[dict[str, Any]] = [{
                **scope, "line": "execution", "position": 0, "name": "预算执行率", "points": _decimal(ex.points),
                "score": _decimal(ex.score), "status": ex.status, "explanation": ex.explanation,
                "claimed": _decimal(ex.claimed), "review": ex.review, "reason": ex.reason, "flags": [],
                "initial": _decimal(ex.initial), "adjusted": _decimal(ex.adjusted),
                "executed": _decimal(ex.executed), "denominator": ex.denominator, "rate": _decimal(ex.rate),
            }]
            for position, item in enumerate(evaluation.indicators, start=1):
                lines.append({
                    **scope, "line": "indicator", "position": position, "id": item.id, "level1": item.level1,
                    "level2": item.level2, "name": item.name, "group": item.group, "target": item.target,
                    "actual": item.actual, "understood": item.understood, "direction": item.direction,
                    "points": _decimal(item.points), "points_source": item.points_source,
                    "score": _decimal(item.score), "ratio": _decimal(item.ratio), "status": item.status,
                    "explanation": item.explanation, "claimed": _decimal(item.claimed), "review": item.review,
                    "reason": item.reason, "measure": item.measure, "deduction": _decimal(item.deduction),
                    "flags": list(item.flags),
                })
            for line in lines:
                for name, values in columns.items():
                    values.append(line.get(name))
    schema = parquet_schema()
    return pa.Table.from_arrays([pa.array(columns[f.name], type=f.type) for f in schema], schema=schema)


class ParquetMerger:
    """Write tables into one Parquet file in row groups of ``ROW_GROUP`` rows, whatever the tables' sizes."""

    def __init__(self, handle: IO[bytes]) -> None:
        import pyarrow.parquet as pq

        self.writer = pq.ParquetWriter(handle, parquet_schema(), compression="zstd", use_dictionary=True,
                                       write_statistics=True)
        self.pending: list[Any] = []
        self.rows = 0

    def add(self, table: Any) -> None:
        self.pending.append(table)
        self.rows += table.num_rows
        while self.rows >= ROW_GROUP:
            self._flush(ROW_GROUP)

    def _flush(self, count: int) -> None:
        import pyarrow as pa

        merged = pa.concat_tables(self.pending).combine_chunks()
        self.writer.write_table(merged.slice(0, count), row_group_size=count)
        rest = merged.slice(count)
        self.pending = [rest] if rest.num_rows else []
        self.rows = rest.num_rows

    def close(self) -> None:
        if self.rows:
            self._flush(self.rows)
        self.writer.close()
