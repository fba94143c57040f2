"""Find the input files of many departments: year folders, department slugs, and targets–actuals pairs.

``targets/<year>/<slug>.yaml`` pairs with ``actuals/<year>/<slug>.yaml`` or ``<slug>.xlsx``; a file
left without its partner becomes a ``Pair`` with a ``problem`` saying why it cannot be scored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from evaluator.errors import InputError, display_path

__all__ = ["INDEX", "RESERVED", "Pair", "department_slugs", "find_actuals", "find_pairs", "year_folders"]

INDEX = "index.html"
RESERVED = {"index"}  # a department called index.yaml would overwrite the index page


@dataclass(frozen=True)
class Pair:
    """The files of one department; ``problem`` says why they cannot be scored (a file is missing)."""

    slug: str
    targets: Path | None
    actuals: Path | None
    problem: str | None = None

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(display_path(p) for p in (self.targets, self.actuals) if p is not None)


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
    return path.exists() and not path.is_dir() and not path.name.startswith((".", "~$"))


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


def find_pairs(targets_dir: Path, actuals_dir: Path) -> list[Pair]:
    """Pair every targets file with its actuals file by name; unpaired files become failures, sorted by slug."""
    if not targets_dir.is_dir():
        raise InputError(f"目标文件夹“{display_path(targets_dir)}”不存在或不是文件夹",
                         hint="例如 evaluator batch targets/2023 actuals/2023 -o reports/2023/")
    if not actuals_dir.is_dir():
        raise InputError(f"实际值文件夹“{display_path(actuals_dir)}”不存在或不是文件夹")
    targets = {p.stem: p for p in sorted(targets_dir.glob("*.yaml")) if _visible(p)}
    actual_files = sorted(p for p in actuals_dir.iterdir() if _visible(p) and p.suffix in (".yaml", ".xlsx"))
    actual_stems = {p.stem for p in actual_files}
    if not targets:
        raise InputError(f"{display_path(targets_dir)} 中没有目标文件（*.yaml），未写入任何文件",
                         hint="检查文件夹是否选对，例如 evaluator batch targets/2023 actuals/2023 -o reports/2023/")
    if not (targets.keys() - RESERVED) & actual_stems:
        raise InputError(
            f"{display_path(actuals_dir)} 中没有与 {display_path(targets_dir)} 的目标文件同名的实际值文件"
            f"（目标文件：{_names(list(targets.values()))}；实际值文件：{_names(actual_files)}），未写入任何文件",
            hint="每个部门的实际值文件应与目标文件同名：<部门>.yaml 对应 <部门>.yaml 或 <部门>.xlsx；"
                 "检查两个文件夹是否选对、是否属于同一年度。",
        )
    pairs = []
    for slug in sorted(targets.keys() | actual_stems):
        target = targets.get(slug)
        if slug in RESERVED:
            pairs.append(Pair(slug, target, None, f"部门文件名“{slug}”与汇总页 {INDEX} 重名，请改用其他文件名"))
            continue
        if target is None:
            found = next(p for p in sorted(actuals_dir.glob(f"{slug}.*")) if p.suffix in (".yaml", ".xlsx"))
            pairs.append(Pair(slug, None, found, f"只有实际值文件，{display_path(targets_dir)} 中没有 {slug}.yaml"))
            continue
        try:
            actual = find_actuals(actuals_dir, slug)
        except InputError as error:
            pairs.append(Pair(slug, target, None, error.problem.message + "；" + error.problem.hint))
            continue
        if actual is None:
            pairs.append(Pair(slug, target, None,
                              f"没有实际值文件：{display_path(actuals_dir)} 中应有 {slug}.yaml 或 {slug}.xlsx"))
            continue
        pairs.append(Pair(slug, target, actual))
    return pairs


def _names(paths: list[Path]) -> str:
    if not paths:
        return "无"
    shown = "、".join(p.name for p in paths[:3])
    return shown + (f" 等 {len(paths)} 个" if len(paths) > 3 else "")
