"""Every command on the shipped examples gives the outputs recorded in tests/data/golden.json, byte for byte.

The record pins what users get: a change that moves code around must not change one byte of any
report, export, batch folder, comparison or JSON result. A change that is meant to change an output
re-records it and shows the difference in its commit:

    python tests/test_golden.py          # re-record tests/data/golden.json

On a mismatch the outputs of this run are left in tests/output/golden/ for a diff.

A Word file is pinned part by part, except its chart images (word/media/*): their pixels come from
matplotlib, FreeType and the fonts of the machine, which a fresh install may update; that the images
are the same bytes on every run is tested in tests/test_documents.py. PDF is not pinned (Chromium
writes its own dates into it); tests/test_pdf.py checks what it holds.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
from pathlib import Path

from typer.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent
RECORD = REPO / "tests" / "data" / "golden.json"
LEFT = REPO / "tests" / "output" / "golden"
T23, A23 = "targets/2023/shifeng-npc.yaml", "actuals/2023/shifeng-npc.yaml"

# (name, arguments, output files or folder the command writes, relative to the work folder)
COMMANDS: list[tuple[str, list[str], list[str]]] = [
    ("import", ["import", "examples/forms/2023-shifeng-npc-targets.txt", "-o", "out/imported.yaml"],
     ["out/imported.yaml"]),
    ("check-targets", ["check", T23], []),
    ("check-pair", ["check", T23, A23], []),
    ("check-pair-json", ["check", T23, A23, "--json"], []),
    ("check-generated", ["check", "targets/2023/dept-0002.yaml", "actuals/2023/dept-0002.yaml"], []),
    ("parse", ["parse", "≥10次", "90%以上", "≤790.64万元", "有所提升", "2023年12月底前", "--level2", "成本指标"], []),
    ("parse-json", ["parse", "≥10次", "90%以上", "≤790.64万元", "有所提升", "1年", "--json"], []),
    ("score", ["score", T23, A23], []),
    ("score-json", ["score", T23, A23, "--json"], []),
    ("score-2022-json", ["score", "targets/2022/shifeng-npc.yaml", "actuals/2022/shifeng-npc.yaml", "--json"], []),
    ("score-2024-json", ["score", "targets/2024/shifeng-npc.yaml", "actuals/2024/shifeng-npc.yaml", "--json"], []),
    *[(f"score-{name}", ["score", T23, A23, "--json", "--rules", name], [])
      for name in ("hb-2020", "platform-linear", "central-integer", "beijing-2016", "sichuan-2023")],
    ("score-output", ["score", T23, A23, "-o", "out/result.json"], ["out/result.json"]),
    ("template-xlsx", ["template", T23, "-o", "out/entry.xlsx"], ["out/entry.xlsx"]),
    ("template-yaml", ["template", T23, "-o", "out/skeleton.yaml"], ["out/skeleton.yaml"]),
    ("report", ["report", T23, A23, "-o", "out/report.html"], ["out/report.html"]),
    ("report-workbook", ["report", T23, "out/entry.xlsx", "-o", "out/report-from-workbook.html"],
     ["out/report-from-workbook.html"]),
    ("export", ["export", T23, A23, "-o", "out/self-evaluation.xlsx"], ["out/self-evaluation.xlsx"]),
    ("export-docx", ["export", T23, A23, "-o", "out/self-evaluation.docx"], ["out/self-evaluation.docx"]),
    ("report-docx", ["report", T23, A23, "-o", "out/report.docx"], ["out/report.docx"]),
    ("compare", ["compare", "--dept", "shifeng-npc", "--years", "2022-2024", "-o", "out/compare.html"],
     ["out/compare.html", "out/compare.xlsx", "out/compare.csv"]),
    ("compare-all", ["compare", "--all", "targets", "actuals", "-o", "out/compare-all.html"],
     ["out/compare-all.html", "out/compare-all.xlsx", "out/compare-all.csv"]),
    ("import-self-evaluation", ["import", "examples/submitted/2022-永德县明朗中学-营养改善计划.xlsx", "-o",
                                "out/imported/"], ["out/imported"]),
    ("review", ["review", "examples/submitted", "-o", "out/review"], ["out/review"]),
    ("batch", ["batch", "targets/2023", "actuals/2023", "-o", "out/batch", "--jobs", "1"], ["out/batch"]),
    ("rules", ["rules"], []),
    ("rules-show", ["rules", "show", "national-2020"], []),
]


def produce(work: Path) -> dict[str, str]:
    """Run every command in ``work`` (a copy of the example data); return {output name: sha256}."""
    from evaluator.cli import app

    for folder in ("targets", "actuals", "examples"):
        shutil.copytree(REPO / folder, work / folder)
    runner = CliRunner()
    digests: dict[str, str] = {}
    previous = Path.cwd()
    import os

    os.chdir(work)
    try:
        for name, arguments, outputs in COMMANDS:
            result = runner.invoke(app, arguments)
            if result.exception is not None and not isinstance(result.exception, SystemExit):
                raise result.exception
            text = f"exit {result.exit_code}\n--- stdout\n{result.stdout}--- stderr\n{result.stderr}"
            digests[f"{name}/console"] = _save(work, f"{name}.console.txt", text.encode("utf-8"))
            for output in outputs:
                path = work / output
                files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
                for file in files:
                    relative = file.relative_to(work).as_posix()
                    digests[f"{name}/{relative}"] = _digest(file)
    finally:
        os.chdir(previous)
    return digests


def _digest(file: Path) -> str:
    """SHA-256 of a file. A .docx: of its parts and their names, the chart images counted, not read (their
    pixels depend on matplotlib and the installed fonts). A Parquet file: of its schema and rows (pyarrow
    writes its own version into the bytes)."""
    if file.suffix == ".docx":
        import zipfile

        digest = hashlib.sha256()
        with zipfile.ZipFile(file) as archive:
            for info in archive.infolist():
                digest.update(info.filename.encode("utf-8") + b"\0")
                if not info.filename.startswith("word/media/"):
                    digest.update(hashlib.sha256(archive.read(info.filename)).digest())
        return digest.hexdigest()
    if file.suffix == ".parquet":
        import pyarrow.parquet as pq

        table = pq.read_table(file)
        text = str(table.schema) + "\n" + json.dumps(table.to_pylist(), default=str, ensure_ascii=False)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()
    return hashlib.sha256(file.read_bytes()).hexdigest()


def _save(work: Path, name: str, data: bytes) -> str:
    (work / "console").mkdir(exist_ok=True)
    (work / "console" / name).write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def test_every_command_gives_the_recorded_outputs(tmp_path):
    recorded = json.loads(RECORD.read_text(encoding="utf-8"))
    produced = produce(tmp_path)
    if produced != recorded:
        shutil.rmtree(LEFT, ignore_errors=True)
        shutil.copytree(tmp_path, LEFT, ignore=shutil.ignore_patterns("targets", "actuals", "examples"))
    changed = sorted(k for k in recorded.keys() & produced.keys() if recorded[k] != produced[k])
    assert not changed, f"outputs differ from the record (this run's outputs are in {LEFT}): {changed}"
    assert produced.keys() == recorded.keys(), (
        f"missing: {sorted(recorded.keys() - produced.keys())}; new: {sorted(produced.keys() - recorded.keys())}")


if __name__ == "__main__":
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        digests = produce(Path(folder))
    RECORD.parent.mkdir(parents=True, exist_ok=True)
    RECORD.write_text(json.dumps(digests, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"recorded {len(digests)} outputs in {RECORD.relative_to(REPO)}", file=sys.stderr)
