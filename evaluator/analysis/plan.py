"""The plan of a batch: its chunks, and the manifest that lets an interrupted batch continue (``--resume``).

The departments (sorted by slug) are cut into chunks of ``chunk_size``. The manifest
(``.evaluator-batch/manifest.json`` in the output folder) records what the run was started with:
tool version, rule set and its SHA-256, whether reports are written, the chunk size and the number
of departments. Each chunk's digest covers its departments' file names, sizes and modification
times and those settings, and is written into the chunk's done file; ``--resume`` keeps a chunk
whose done file carries the digest the chunk has now, and does every other chunk again (a file
changed since it was scored is scored again).
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from evaluator.analysis.chunk import STAGING, ChunkTask, done_name
from evaluator.analysis.discovery import Pair
from evaluator.errors import EvaluatorError
from evaluator.io.store import Folder
from evaluator.version import __version__

if TYPE_CHECKING:
    from evaluator.rules import RuleSet

__all__ = ["MANIFEST", "MANIFEST_SCHEMA", "Manifest", "ResumeError", "check_resumable", "chunk_size_for", "finished",
           "make_tasks", "read_manifest"]

MANIFEST = "manifest.json"
MANIFEST_SCHEMA = "evaluator.batch-manifest/1"
MAX_CHUNK = 100  # departments per chunk: one task of a worker; at most this many results in memory at once


class ResumeError(EvaluatorError):
    """``--resume`` cannot continue what the folder holds."""


@dataclass(frozen=True)
class Manifest:
    tool_version: str
    rules: str
    rules_sha256: str
    reports: bool
    chunk_size: int
    departments: int

    def to_json(self) -> bytes:
        data = {"schema": MANIFEST_SCHEMA, "tool_version": self.tool_version, "rules": self.rules,
                "rules_sha256": self.rules_sha256, "reports": self.reports, "chunk_size": self.chunk_size,
                "departments": self.departments}
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        raw: dict[str, Any] = json.loads(data)
        if raw.get("schema") != MANIFEST_SCHEMA:
            raise ValueError("not a batch manifest")
        return cls(raw["tool_version"], raw["rules"], raw["rules_sha256"], bool(raw["reports"]),
                   int(raw["chunk_size"]), int(raw["departments"]))


def read_manifest(output: Folder) -> Manifest | None:
    """Return the manifest of an interrupted batch in ``output``, or None when there is none."""
    staging = output.sub(STAGING)
    if MANIFEST not in staging.names():
        return None
    try:
        return Manifest.from_json(staging.read_bytes(MANIFEST))
    except (ValueError, KeyError, TypeError):
        return None


def chunk_size_for(departments: int, workers: int) -> int:
    """Chunks small enough that every worker gets several (an even finish), at most MAX_CHUNK departments."""
    return max(1, min(MAX_CHUNK, math.ceil(departments / max(1, workers * 4))))


def make_tasks(pairs: list[Pair], manifest: Manifest, output: str, rules: RuleSet, force: bool) -> list[ChunkTask]:
    """Cut the departments into chunks, each with the digest of its inputs and the run's settings."""
    settings = f"{manifest.tool_version}|{manifest.rules_sha256}|{manifest.reports}"
    tasks = []
    size = manifest.chunk_size
    for index in range(math.ceil(len(pairs) / size)):
        members = tuple(pairs[index * size:(index + 1) * size])
        digest = hashlib.sha256(settings.encode("utf-8"))
        for pair in members:
            digest.update(json.dumps([pair.slug, list(pair.files), pair.stamp, pair.problem],
                                     ensure_ascii=False).encode("utf-8"))
        tasks.append(ChunkTask(index, digest.hexdigest(), members, output, rules, manifest.reports, force))
    return tasks


def finished(staging: Folder, tasks: list[ChunkTask]) -> set[int]:
    """Return the indices of the chunks an earlier run finished with the same inputs and settings."""
    names = staging.names()
    kept = set()
    for task in tasks:
        name = done_name(task.index)
        if name not in names:
            continue
        try:
            digest = json.loads(staging.read_bytes(name)).get("digest")
        except (ValueError, OSError):
            continue
        if digest == task.digest:
            kept.add(task.index)
    return kept


def check_resumable(manifest: Manifest, rules: RuleSet, reports: bool) -> None:
    """Refuse to continue a batch started with another tool version, rule set or report setting."""
    if manifest.tool_version != __version__:
        raise ResumeError(f"中断的批量评价由 evaluator {manifest.tool_version} 开始，当前为 {__version__}，不能继续。\n"
                          "    提示：加 --force 重新评价全部部门。")
    if manifest.rules_sha256 != rules.sha256:
        raise ResumeError(f"中断的批量评价使用的评分规则（{manifest.rules}）与本次（{rules.name}）不同，不能继续。\n"
                          "    提示：用同一规则集加 --resume 继续，或加 --force 按新规则重新评价全部部门。")
    if manifest.reports != reports:
        said = "生成" if manifest.reports else "不生成"
        option = "不加" if manifest.reports else "加"
        raise ResumeError(f"中断的批量评价{said}各部门报告，本次设置不同，不能继续。\n"
                          f"    提示：与中断前一样{option} --no-reports 再加 --resume 继续。")

