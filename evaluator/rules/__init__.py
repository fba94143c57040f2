"""Rule sets as data: the shipped ones (``*.yaml`` beside this file) and the user's own files.

A rule file may ``extends:`` another rule set by name; its keys replace the base's key by key
(mappings merge, lists and scalars replace). Every rule set is validated on load and every problem
is reported with the file, the line and the key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from evaluator.errors import InputErrors, Location, Problem, display_path
from evaluator.io.files import decode_text, read_input
from evaluator.io.yamlread import Node, parse_yaml
from evaluator.rules.standards import StandardRule, read_standard_rules

__all__ = ["Group", "RuleSet", "StandardRule", "load_rules", "rules_path", "shipped_rules"]

RULES_SCHEMA = "evaluator.rules/1"
DEFAULT_RULES = "national-2020"
_HERE = Path(__file__).parent
TIER_NAMES = ("达成", "部分达成", "未达成")


@dataclass(frozen=True)
class Group:
    """A level-1 group and its points (产出指标 50 …); ``match`` words pick its indicators by 一级指标."""

    key: str
    label: str
    points: Decimal
    match: tuple[str, ...]


@dataclass(frozen=True)
class RuleSet:
    name: str
    title: str
    source: str
    url: str | None
    decimals: int
    execution_points: Decimal
    execution_denominator: str  # "adjusted" | "initial"
    execution_explain_below: Decimal
    groups: tuple[Group, ...]
    satisfaction_match: tuple[str, ...]
    satisfaction_when_absent: str | None
    split: str  # "indicators" | "level2"
    lower: str  # "ratio" | "linear"
    equal: str  # "higher" | "two-sided"
    bands: dict[str, tuple[Decimal, Decimal]]
    default_pct: dict[str, Decimal]
    deadline_late: str  # "zero"
    missing: str  # "zero"
    unreadable: str  # "pending" (待确认: no score until the user says) | "zero" (the strict reading: 0 and an error)
    over_threshold: Decimal
    low_rate_warning: Decimal
    grade_round_to: int | None
    grade_bands: tuple[tuple[str, Decimal], ...]
    notes: tuple[str, ...]
    file: str
    sha256: str
    standards: dict[str, StandardRule] = field(default_factory=dict)  # department-wide standard indicators

    @property
    def total_points(self) -> Decimal:
        return self.execution_points + sum((g.points for g in self.groups), Decimal(0))

    def grade(self, total: Decimal) -> str:
        """Return 优/良/中/差 for a rounded total, as the rule set's bands say (lower bounds included)."""
        from evaluator.decimals import round_half_up

        value = total if self.grade_round_to is None else round_half_up(total, self.grade_round_to)
        for grade, minimum in self.grade_bands:
            if value >= minimum:
                return grade
        return self.grade_bands[-1][0]


def shipped_rules() -> list[str]:
    """Return the names of the rule sets that come with evaluator, default first."""
    names = sorted(p.stem for p in _HERE.glob("*.yaml"))
    names.remove(DEFAULT_RULES)
    return [DEFAULT_RULES, *names]


def rules_path(name_or_file: str | Path) -> Path:
    """Return the file of a shipped rule set by name, or the user's file by path."""
    text = str(name_or_file)
    shipped = _HERE / f"{text}.yaml"
    if "/" not in text and "\\" not in text and not text.endswith((".yaml", ".yml")) and shipped.exists():
        return shipped
    path = Path(text)
    if path.is_dir():
        raise InputErrors([Problem(Location(file=text), "这是一个文件夹，不是规则文件",
                                   "给出规则文件（.yaml）的路径，或内置规则集的名称。", code="no-rules")])
    if path.exists():
        return path
    known = "、".join(shipped_rules())
    raise InputErrors([Problem(
        Location(file=text), f"找不到规则集“{text}”", f"可用的规则集：{known}；或给出自定义规则文件的路径。",
        code="no-rules",
    )])


def load_rules(name_or_file: str | Path = DEFAULT_RULES) -> RuleSet:
    """Load and validate a rule set by name or path; raise InputErrors naming each bad key."""
    path = rules_path(name_or_file)
    merged, files, digest = _merged_tree(path, depth=0)
    return _build(merged, files, digest)


def _merged_tree(path: Path, depth: int) -> tuple[dict[str, Any], str, str]:
    import hashlib

    shipped = path.parent == _HERE
    # a user's rule file is an input like any other: a regular file, within the size limit
    data = path.read_bytes() if shipped else read_input(path)[1]
    file = path.name if shipped else display_path(path)
    text = decode_text(file, data, hint="规则文件应为 YAML 文本（.yaml）。")
    root = parse_yaml(text, file)
    if root.kind != "mapping":
        raise InputErrors([Problem(Location(file=file, line=root.line), "规则文件应为键值表", code="rules-type")])
    tree = _plain(root, file)
    digest = hashlib.sha256(data).hexdigest()
    base_name = tree.pop("extends", None)
    if base_name is None:
        return tree, file, digest
    if path.parent != _HERE and "name" in tree and tree["name"][0] in shipped_rules():
        raise InputErrors([Problem(Location(file=file, line=tree["name"][1], key="name"),
                                   f"自定义规则集不能与内置规则集“{tree['name'][0]}”同名",
                                   "给自己的规则集另起一个名字，以免报告中混淆。", code="rules")])
    for own in ("title", "source", "url", "notes"):  # where a rule comes from is never inherited
        tree.setdefault(own, (None, None, file, "tag:yaml.org,2002:null"))
    if depth > 4:
        raise InputErrors([Problem(Location(file=file, key="extends"), "extends 嵌套过深（可能循环引用）")])
    base, base_file, base_digest = _merged_tree(rules_path(base_name[0]), depth + 1)
    return _merge(base, tree), f"{file} ← {base_file}", hashlib.sha256((digest + base_digest).encode()).hexdigest()


def _plain(node: Node, file: str) -> Any:
    """Turn a Node tree into plain values, keeping (value, line, file) for scalars."""
    if node.kind == "mapping":
        return {key: _plain(value, file) for key, value in node.value.items()}
    if node.kind == "sequence":
        return [_plain(value, file) for value in node.value]
    return (None if node.is_null else node.value, node.line, file, node.tag)


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _given(value: Decimal | None, default: Decimal) -> Decimal:
    return default if value is None else value


def _check_ranges(check: _Checker, tree: dict[str, Any], rules: RuleSet) -> None:
    """Values that load but make no sense: bands with gaps, grades with no floor, thresholds below 1."""
    bands = rules.bands
    if len(bands) == 3:
        expected = [("达成", 1, Decimal(100)), ("部分达成", 1, bands["达成"][0]), ("未达成", 1, bands["部分达成"][0]),
                    ("未达成", 0, Decimal(0))]
        for tier, end, value in expected:
            if bands[tier][end] != value:
                node = tree.get("qualitative", {}).get("bands", {}).get(tier)
                check.fail(node[0] if isinstance(node, list) and node else None, f"qualitative.bands.{tier}",
                           f"三档区间应首尾相接并覆盖 0–100%：“{tier}”的{'上限' if end else '下限'}应为 {value:f}，"
                           f"实际是 {bands[tier][end]:f}")
                break
    if rules.grade_bands and rules.grade_bands[-1][1] != 0:
        check.fail(None, "grades.bands", "等级区间应有一个下限为 0 的等级（如 差: 0），否则低分无等级")
    if rules.over_threshold <= 1:
        check.fail(None, "over_achievement.threshold",
                   f"超额完成的提示线应大于 1（如 1.30 即完成目标的130%），实际是 {rules.over_threshold:f}")
    if not Decimal(0) < rules.execution_explain_below <= 1:
        check.fail(None, "execution.explain_below",
                   f"应为 0 到 1 之间的比例（如 0.90 即90%），实际是 {rules.execution_explain_below:f}")


class _Checker:
    def __init__(self, files: str) -> None:
        self.files = files
        self.problems: list[Problem] = []

    def fail(self, where: Any, key: str, message: str, hint: str = "") -> None:
        line, file = (where[1], where[2]) if isinstance(where, tuple) else (None, self.files)
        self.problems.append(Problem(Location(file=file, line=line, key=key), message, hint, code="rules"))

    def get(self, tree: dict[str, Any], key: str, kind: str, *, required: bool = True) -> Any:
        node = tree
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                if required:
                    self.fail(None, key, f"规则集缺少键“{key}”")
                return None
            node = node[part]
        return self.convert(node, key, kind)

    def convert(self, node: Any, key: str, kind: str) -> Any:
        if kind == "raw":
            return node
        if not isinstance(node, tuple):
            self.fail(None, key, f"“{key}”应为单个值，实际是{'列表' if isinstance(node, list) else '键值表'}")
            return None
        value = node[0]
        if value is None:
            return None
        if kind == "text":
            return str(value)
        if kind in ("number", "fraction", "int"):
            try:
                number = Decimal(str(value))
            except ArithmeticError:
                self.fail(node, key, f"“{key}”应为数字，实际是“{value}”")
                return None
            if kind == "int" and number != number.to_integral_value():
                self.fail(node, key, f"“{key}”应为整数，实际是“{value}”")
                return None
            if number < 0:
                self.fail(node, key, f"“{key}”不能为负数（{value}）")
                return None
            return int(number) if kind == "int" else number
        raise AssertionError(kind)

    def choice(self, tree: dict[str, Any], key: str, options: tuple[str | None, ...]) -> Any:
        value = self.get(tree, key, "text", required=None not in options)
        if value not in options:
            node = self.get(tree, key, "raw", required=False)
            shown = " | ".join(str(o) for o in options if o is not None)
            found = "未填写" if value is None else f"“{value}”"
            self.fail(node, key, f"“{key}”应为 {shown} 之一，实际是{found}")
            return options[0]
        return value


_SECTION_KEYS = {
    "execution": {"points", "denominator", "explain_below"},
    "satisfaction": {"match", "when_absent"},
    "quantitative": {"lower", "equal"},
    "qualitative": {"bands", "default_pct"},
    "deadline": {"late"},
    "over_achievement": {"threshold"},
    "grades": {"round_to", "bands"},
}
_KNOWN_KEYS = {
    "schema", "name", "title", "source", "url", "decimals", "execution", "groups", "satisfaction", "split",
    "quantitative", "qualitative", "deadline", "missing", "over_achievement", "low_rate_warning", "grades", "notes",
    "unreadable", "standards",
}


def _build(tree: dict[str, Any], files: str, digest: str) -> RuleSet:
    check = _Checker(files)
    for key, value in tree.items():
        if key not in _KNOWN_KEYS:
            check.fail(value if isinstance(value, tuple) else None, key, f"未知的键“{key}”",
                       "允许的键：" + "、".join(sorted(_KNOWN_KEYS)))
        elif key in _SECTION_KEYS and isinstance(value, dict):
            for sub, sub_value in value.items():
                if sub not in _SECTION_KEYS[key]:
                    check.fail(sub_value if isinstance(sub_value, tuple) else None, f"{key}.{sub}",
                               f"未知的键“{key}.{sub}”", "允许的键：" + "、".join(sorted(_SECTION_KEYS[key])))
    schema = check.get(tree, "schema", "text")
    if schema is not None and schema != RULES_SCHEMA:
        check.fail(tree["schema"], "schema", f"schema 应为“{RULES_SCHEMA}”，实际是“{schema}”")
    groups = []
    for position, item in enumerate(check.get(tree, "groups", "raw") or []):
        key = f"groups[{position}]"
        if not isinstance(item, dict):
            check.fail(item, key, "每个一级指标组应为键值表 {key, label, points, match}")
            continue
        match = item.get("match", [])
        words = tuple(str(m[0]) for m in match if isinstance(m, tuple) and m[0]) if isinstance(match, list) else ()
        groups.append(Group(
            key=check.get(item, "key", "text") or f"group{position}",
            label=check.get(item, "label", "text") or "",
            points=check.get(item, "points", "number") or Decimal(0),
            match=words,
        ))
    if not groups:
        check.fail(None, "groups", "规则集至少要有一个一级指标组")
    bands: dict[str, tuple[Decimal, Decimal]] = {}
    defaults: dict[str, Decimal] = {}
    for tier in TIER_NAMES:
        band = check.get(tree, f"qualitative.bands.{tier}", "raw")
        if isinstance(band, list) and len(band) == 2:
            low = check.convert(band[0], f"qualitative.bands.{tier}[0]", "number")
            high = check.convert(band[1], f"qualitative.bands.{tier}[1]", "number")
            if low is not None and high is not None:
                if not Decimal(0) <= low <= high <= Decimal(100):
                    check.fail(band[0], f"qualitative.bands.{tier}", f"区间 [{low}, {high}] 应满足 0 ≤ 下限 ≤ 上限 ≤ 100")
                bands[tier] = (low, high)
        elif band is not None:
            check.fail(band, f"qualitative.bands.{tier}", "应为两个百分数组成的列表，如 [80, 100]")
        pct = check.get(tree, f"qualitative.default_pct.{tier}", "number")
        if pct is not None:
            defaults[tier] = pct
            if tier in bands and not bands[tier][0] <= pct <= bands[tier][1]:
                check.fail(tree["qualitative"]["default_pct"][tier], f"qualitative.default_pct.{tier}",
                           f"默认比例 {pct:f} 不在该档区间 [{bands[tier][0]:f}, {bands[tier][1]:f}] 内")
    grade_bands = []
    for position, item in enumerate(check.get(tree, "grades.bands", "raw") or []):
        if isinstance(item, dict):
            grade = check.get(item, "grade", "text")
            minimum = check.get(item, "min", "number")
            if grade and minimum is not None:
                grade_bands.append((grade, minimum))
        else:
            check.fail(item, f"grades.bands[{position}]", "应为 {grade, min}")
    grade_bands.sort(key=lambda band: band[1], reverse=True)
    group_keys = {g.key for g in groups}
    absent = check.get(tree, "satisfaction.when_absent", "text", required=False)
    if absent is not None and absent not in group_keys:
        check.fail(tree["satisfaction"]["when_absent"], "satisfaction.when_absent",
                   f"“{absent}”不是已定义的一级指标组（{'、'.join(sorted(group_keys))}）")
    sat_match = check.get(tree, "satisfaction.match", "raw", required=False) or []
    decimals = check.get(tree, "decimals", "int")
    if decimals is not None and not 0 <= decimals <= 4:
        check.fail(tree["decimals"], "decimals", f"小数位数应在 0 到 4 之间，实际是 {decimals}")
        decimals = 2
    round_to = check.get(tree, "grades.round_to", "int", required=False)
    if round_to is not None and not 0 <= round_to <= 4:
        check.fail(tree["grades"]["round_to"], "grades.round_to", f"应在 0 到 4 之间，实际是 {round_to}")
        round_to = None
    notes = check.get(tree, "notes", "raw", required=False) or []
    rule_set = RuleSet(
        name=check.get(tree, "name", "text") or "",
        title=check.get(tree, "title", "text") or "",
        source=check.get(tree, "source", "text") or "",
        url=check.get(tree, "url", "text", required=False),
        decimals=decimals if decimals is not None else 2,
        execution_points=check.get(tree, "execution.points", "number") or Decimal(0),
        execution_denominator=check.choice(tree, "execution.denominator", ("adjusted", "initial")),
        execution_explain_below=_given(check.get(tree, "execution.explain_below", "fraction"), Decimal("0.9")),
        groups=tuple(groups),
        satisfaction_match=tuple(str(m[0]) for m in sat_match if isinstance(m, tuple) and m[0]),
        satisfaction_when_absent=absent,
        split=check.choice(tree, "split", ("indicators", "level2")),
        lower=check.choice(tree, "quantitative.lower", ("ratio", "linear")),
        equal=check.choice(tree, "quantitative.equal", ("higher", "two-sided")),
        bands=bands,
        default_pct=defaults,
        deadline_late=check.choice(tree, "deadline.late", ("zero",)),
        missing=check.choice(tree, "missing", ("zero",)),
        unreadable=check.choice(tree, "unreadable", ("pending", "zero", None)) or "pending",
        over_threshold=_given(check.get(tree, "over_achievement.threshold", "number"), Decimal("1.3")),
        low_rate_warning=_given(check.get(tree, "low_rate_warning", "fraction", required=False), Decimal("0.3")),
        grade_round_to=round_to,
        grade_bands=tuple(grade_bands),
        notes=tuple(str(n[0]) for n in notes if isinstance(n, tuple) and n[0]),
        file=files,
        sha256=digest,
        standards=read_standard_rules(check, tree),
    )
    _check_ranges(check, tree, rule_set)
    if rule_set.total_points != Decimal(100) and not check.problems:
        check.fail(None, "groups", f"预算执行分值与各一级指标组分值合计为 {rule_set.total_points}，应为 100")
    if check.problems:
        raise InputErrors(check.problems)
    return rule_set
