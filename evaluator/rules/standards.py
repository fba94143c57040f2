"""How a rule set scores department-wide standard indicators by deduction or by steps (``standards:``).

Hunan's department-wide table (rules-hunan.md) does not score 在职人员控制率 or 预算调整率 by the ratio
target/actual: it deducts per percentage point beyond a limit, or gives points by steps. A rule set
writes such rules under ``standards``, keyed by the standard indicator (``language.standards``):

    standards:
      在职人员控制率: {deduct: {above: 100, per: 1, points: 0.5}}      # each point above 100% −0.5
      三公经费变动率: {deduct: {above: 0, per: 1, share: 0.10}}         # each point above 0 −10% of the weight
      预算完成率: {deduct: {below: 100, per: 5, points: 2}}             # each 5 points below 100% −2
      预算调整率: {steps: [[0, 1], [10, 0.8], [20, 0.6], [30, 0.4]], beyond: 0}   # ≤0 full, ≤10% 80% …

Values are in percent of the indicator's own measure. Only whole steps are deducted ("每超过一个百分点":
101.5% is one point over). ``steps`` are (upper bound included, share of the weight), ascending.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from evaluator.decimals import fmt
from evaluator.language.standards import STANDARDS

__all__ = ["StandardRule", "read_standard_rules"]

MAX_STEPS = 8


@dataclass(frozen=True)
class StandardRule:
    """One standard indicator's scoring: ``deduct`` (limit, side, per, points | share) or ``steps``."""

    key: str
    method: str  # "deduct" | "steps"
    limit: Decimal = Decimal(0)
    side: str = "above"  # "above": deduct for each step above the limit; "below": below it
    per: Decimal = Decimal(1)
    points: Decimal | None = None  # points deducted per step
    share: Decimal | None = None  # or the share of the weight deducted per step
    steps: tuple[tuple[Decimal, Decimal], ...] = ()  # (upper bound, share of the weight)
    beyond: Decimal = Decimal(0)  # share above the last step

    def describe(self) -> str:
        """The rule in Chinese, as the explanation shows it: "以100%为限，每超过1个百分点扣0.5分"."""
        if self.method == "steps":
            parts = [f"≤{fmt(bound)}%得分值的{fmt(share * 100)}%" for bound, share in self.steps]
            return "分档计分：" + "，".join(parts) + f"，超过{fmt(self.steps[-1][0])}%得分值的{fmt(self.beyond * 100)}%"
        step = f"{fmt(self.per)}个百分点" if self.per != 1 else "一个百分点"
        amount = f"{fmt(self.points)}分" if self.points is not None else f"分值的{fmt(self.share * 100)}%"  # type: ignore[operator]
        side = "超过" if self.side == "above" else "低于"
        return f"以{fmt(self.limit)}%为限，每{side}{step}扣{amount}，扣完为止"


def read_standard_rules(check: Any, tree: dict[str, Any]) -> dict[str, StandardRule]:
    """Read and check the ``standards`` section; every problem is reported with its key."""
    section = tree.get("standards")
    if section is None:
        return {}
    if not isinstance(section, dict):
        check.fail(section, "standards", "“standards”应为键值表：共性指标名称 → 评分方法")
        return {}
    known = {s.key for s in STANDARDS}
    rules = {}
    for key, spec in section.items():
        where = f"standards.{key}"
        if key not in known:
            check.fail(spec if isinstance(spec, tuple) else None, where, f"“{key}”不是已知的部门整体支出共性指标",
                       "可用的指标：" + "、".join(sorted(known)))
            continue
        if not isinstance(spec, dict) or len(set(spec) - {"beyond"}) != 1 or not set(spec) & {"deduct", "steps"}:
            check.fail(None, where, "应写 deduct: {…} 或 steps: [[上限, 得分比例], …]")
            continue
        rule = _deduct(check, key, spec["deduct"], where) if "deduct" in spec else _steps(check, key, spec, where)
        if rule is not None:
            rules[key] = rule
    return rules


def _deduct(check: Any, key: str, spec: Any, where: str) -> StandardRule | None:
    if not isinstance(spec, dict):
        check.fail(None, f"{where}.deduct", "deduct 应为键值表 {above|below, per, points|share}")
        return None
    unknown = set(spec) - {"above", "below", "per", "points", "share"}
    for name in sorted(unknown):
        check.fail(spec[name] if isinstance(spec[name], tuple) else None, f"{where}.deduct.{name}",
                   f"未知的键“{name}”", "允许的键：above、below、per、points、share")
    sides = [s for s in ("above", "below") if s in spec]
    amounts = [a for a in ("points", "share") if a in spec]
    if len(sides) != 1 or len(amounts) != 1:
        check.fail(None, f"{where}.deduct", "应写 above 或 below 之一（限值），以及 points 或 share 之一（每档扣分）")
        return None
    limit = check.convert(spec[sides[0]], f"{where}.deduct.{sides[0]}", "number")
    per = check.convert(spec["per"], f"{where}.deduct.per", "number") if "per" in spec else Decimal(1)
    amount = check.convert(spec[amounts[0]], f"{where}.deduct.{amounts[0]}", "number")
    if limit is None or amount is None or per is None:
        return None
    if per <= 0:
        check.fail(spec.get("per"), f"{where}.deduct.per", "每档的百分点数应大于 0")
        return None
    return StandardRule(key, "deduct", limit=limit, side=sides[0], per=per,
                        points=amount if amounts[0] == "points" else None,
                        share=amount if amounts[0] == "share" else None)


def _steps(check: Any, key: str, spec: dict[str, Any], where: str) -> StandardRule | None:
    raw = spec["steps"]
    if not isinstance(raw, list) or not raw or len(raw) > MAX_STEPS:
        check.fail(None, f"{where}.steps", f"steps 应为 1 到 {MAX_STEPS} 个 [上限, 得分比例]")
        return None
    steps = []
    for position, item in enumerate(raw):
        here = f"{where}.steps[{position}]"
        if not isinstance(item, list) or len(item) != 2:
            check.fail(None, here, "每档应为 [上限（含，百分数）, 得分比例（0–1）]")
            return None
        bound, share = check.convert(item[0], here, "number"), check.convert(item[1], here, "number")
        if bound is None or share is None:
            return None
        if share > 1 or (steps and bound <= steps[-1][0]):
            check.fail(item[1], here, "得分比例应在 0 到 1 之间，上限应从小到大排列")
            return None
        steps.append((bound, share))
    beyond = check.convert(spec["beyond"], f"{where}.beyond", "number") if "beyond" in spec else Decimal(0)
    return StandardRule(key, "steps", steps=tuple(steps), beyond=beyond or Decimal(0))
