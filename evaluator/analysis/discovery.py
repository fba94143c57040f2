"""Find the input files of many departments: year folders, department slugs, and targets–actuals pairs.

``targets/<year>/<slug>.yaml`` pairs with ``actuals/<year>/<slug>.yaml`` or ``<slug>.xlsx``; a file
left without its partner becomes a ``Pair`` with a ``problem`` saying why it cannot be scored. A
batch's folders may be fsspec URLs (``evaluator.io.store``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from evaluator.errors import InputError, display_path
from evaluator.io.store import Entry, Folder, open_folder

__all__ = ["INDEX", "RESERVED", "Pair", "department_slugs", "find_actuals", "find_pairs", "year_folders"]

INDEX = "index.html"
RESERVED = {"index"}  # a department called index.yaml would overwrite the index page


@dataclass(frozen=True)
class Pair:
    """The files of one department; ``problem`` says why they cannot be scored (a file is missing).

    ``targets`` and ``actuals`` are local paths, or URLs when the folders are fsspec URLs; ``files``
    are the names messages show; ``stamp`` is the inputs' sizes and modification times, which tell
    `batch --resume` whether a department's files changed since it was scored.
    """

    slug: str
    targets: Path | str | None
    actuals: Path | str | None
    problem: str | None = None
    files: tuple[str, ...] = ()
    stamp: str = ""

    def __post_init__(self) -> None:
        if not self.files:
            shown = tuple(display_path(p) if isinstance(p, Path) else p
                          for p in (self.targets, self.actuals) if p is not None)
            object.__setattr__(self, "files", shown)


_YEAR_DIR = re.compile(r"^\d{4}$")


def year_folders(root: Path) -> list[tuple[int, Path]]:
    """Return the ``<year>`` folders under ``root``, oldest first."""
    if not root.is_dir():
        return []
    return sorted((int(p.name), p) for p in root.iterdir() if p.is_dir() and _YEAR_DIR.match(p.name))


def department_slugs(targets_dir: Path) -> list[str]:
    """Return every department slug that has a targets file in some year, sorted."""
    return sorted({p.stem for _, folder in year_folders(targets_dir) for p in folder.glob("*.yaml")})


def _visible(path: Path) -> bool:
    """A file to pair: not a folder, not hidden, not Excel's lock file (~$…). A pipe or a device is kept, so
    that reading it fails with its message (evaluator.io.files) instead of the department silently missing."""
    return path.exists() and not path.is_dir() and _shown(path.name)


def _shown(name: str) -> bool:
    """Hidden files and Excel's lock files (~$x.xlsx) are not inputs."""
    return not name.startswith((".", "~$"))


def find_actuals(folder: Path, slug: str) -> Path | None:
    """Return ``<slug>.yaml`` or ``<slug>.xlsx`` in ``folder``; None when neither exists.

    Raises InputError when both exist: which one holds the department's numbers is not for us to guess.
    """
    candidates = [folder / f"{slug}{suffix}" for suffix in (".yaml", ".xlsx")]
    present = [p for p in candidates if _visible(p)]
    if len(present) > 1:
        raise InputError(f"{display_path(folder)} 中同时有 {slug}.yaml 和 {slug}.xlsx 两份实际值文件",
                         hint="只保留一份（Excel 填报表或 YAML）。")
    return present[0] if present else None


def find_pairs(targets_dir: Path | str, actuals_dir: Path | str) -> list[Pair]:
    """Pair every targets file with its actuals file by name; unpaired files become failures, sorted by slug.

    The folders may be local paths or fsspec URLs (``s3://bucket/targets/2023``). Raises InputError,
    before anything is written, for a missing folder, a folder without targets, no actuals file named
    like any targets file, and two folders given the wrong way round.
    """
    targets_folder, actuals_folder = open_folder(targets_dir), open_folder(actuals_dir)
    if not targets_folder.is_dir():
        raise InputError(f"目标文件夹“{targets_folder.display()}”不存在或不是文件夹",
                         hint="例如 evaluator batch targets/2023 actuals/2023 -o reports/2023/")
    if not actuals_folder.is_dir():
        raise InputError(f"实际值文件夹“{actuals_folder.display()}”不存在或不是文件夹")
    target_entries = {e.name[:-5]: e for e in targets_folder.entries() if e.name.endswith(".yaml") and _shown(e.name)}
    actual_entries = [e for e in actuals_folder.entries() if _shown(e.name) and e.name.endswith((".yaml", ".xlsx"))]
    _refuse_swapped(targets_folder, actuals_folder, sorted(target_entries), actual_entries)
    actual_stems = {e.name.rsplit(".", 1)[0] for e in actual_entries}
    if not target_entries:
        raise InputError(f"{targets_folder.display()} 中没有目标文件（*.yaml），未写入任何文件",
                         hint="检查文件夹是否选对，例如 evaluator batch targets/2023 actuals/2023 -o reports/2023/")
    if not (target_entries.keys() - RESERVED) & actual_stems:
        raise InputError(
            f"{actuals_folder.display()} 中没有与 {targets_folder.display()} 的目标文件同名的实际值文件"
            f"（目标文件：{_names([f'{s}.yaml' for s in sorted(target_entries)])}；"
            f"实际值文件：{_names([e.name for e in actual_entries])}），未写入任何文件",
            hint="每个部门的实际值文件应与目标文件同名：<部门>.yaml 对应 <部门>.yaml 或 <部门>.xlsx；"
                 "检查两个文件夹是否选对、是否属于同一年度。",
        )
    by_stem: dict[str, list[Entry]] = {}
    for entry in actual_entries:
        by_stem.setdefault(entry.name.rsplit(".", 1)[0], []).append(entry)
    pairs = []
    for slug in sorted(target_entries.keys() | actual_stems):
        target = target_entries.get(slug)
        actual = sorted(by_stem.get(slug, []), key=lambda e: e.name.endswith(".xlsx"))  # .yaml first
        target_ref = targets_folder.child(target.name) if target else None
        target_files = (targets_folder.display(target.name),) if target else ()
        if slug in RESERVED:
            pairs.append(Pair(slug, target_ref, None, f"部门文件名“{slug}”与汇总页 {INDEX} 重名，请改用其他文件名",
                              target_files))
            continue
        if target is None:
            pairs.append(Pair(slug, None, actuals_folder.child(actual[0].name),
                              f"只有实际值文件，{targets_folder.display()} 中没有 {slug}.yaml",
                              (actuals_folder.display(actual[0].name),)))
            continue
        if len(actual) > 1:
            problem = InputError(f"{actuals_folder.display()} 中同时有 {slug}.yaml 和 {slug}.xlsx 两份实际值文件",
                                 hint="只保留一份（Excel 填报表或 YAML）。").problem
            pairs.append(Pair(slug, target_ref, None, problem.message + "；" + problem.hint, target_files))
            continue
        if not actual:
            pairs.append(Pair(slug, target_ref, None,
                              f"没有实际值文件：{actuals_folder.display()} 中应有 {slug}.yaml 或 {slug}.xlsx",
                              target_files))
            continue
        stamp = f"{target.size}:{target.mtime};{actual[0].size}:{actual[0].mtime}"
        pairs.append(Pair(slug, target_ref, actuals_folder.child(actual[0].name), None,
                          (*target_files, actuals_folder.display(actual[0].name)), stamp))
    return pairs


TARGETS_MARK = b"evaluator.targets/"
ACTUALS_MARK = b"evaluator.actuals/"
_SNIFF = 2048


def _refuse_swapped(targets: Folder, actuals: Folder, target_slugs: list[str], actual_entries: list[Entry]) -> None:
    """Recognise a targets folder given where the actuals belong (or the reverse) from one file of each."""
    def schema_of(folder: Folder, name: str) -> bytes | None:
        try:
            head = folder.read_head(name, _SNIFF)
        except OSError:
            return None
        return TARGETS_MARK if TARGETS_MARK in head else ACTUALS_MARK if ACTUALS_MARK in head else None

    in_targets = schema_of(targets, f"{target_slugs[0]}.yaml") if target_slugs else None
    yaml_actuals = [e.name for e in actual_entries if e.name.endswith(".yaml")]
    in_actuals = schema_of(actuals, yaml_actuals[0]) if yaml_actuals else None
    if in_targets == ACTUALS_MARK or in_actuals == TARGETS_MARK:
        found = []
        if in_targets == ACTUALS_MARK:
            found.append(f"{targets.display(target_slugs[0] + '.yaml')} 是实际值文件")
        if in_actuals == TARGETS_MARK:
            found.append(f"{actuals.display(yaml_actuals[0])} 是目标文件")
        raise InputError(
            f"{'，'.join(found)}：检查是否把目标文件夹和实际值文件夹放反了，未写入任何文件",
            hint="先写目标文件夹，再写实际值文件夹，例如 evaluator batch targets/2023 actuals/2023 -o reports/2023/",
        )


def _names(names: list[str]) -> str:
    if not names:
        return "无"
    shown = "、".join(names[:3])
    return shown + (f" 等 {len(names)} 个" if len(names) > 3 else "")
