"""Which level-1 group each indicator belongs to, and how many points (分值) it carries.

Explicit ``points`` in the targets win. The rest of a group's points are split as the rule set says:
equally over the group's indicators (default) or equally over its 二级指标 first. Splits are made in
whole cents (the rule set's decimals) and the cents left over go to the indicators with the smallest
ids, so that a group always adds up exactly and the order of the file never changes a score.
Satisfaction indicators count as 满意度 wherever the form files them.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_DOWN, Decimal
from typing import NamedTuple

from evaluator.errors import Location, Problem, Severity
from evaluator.model import Indicator
from evaluator.rules import Group, RuleSet

__all__ = ["Allocation", "allocate", "group_of", "split_evenly"]

SATISFACTION_KEY = "satisfaction"


class Allocation(NamedTuple):
    """An indicator's group and points (分值), and where the points come from.

    A named tuple, not a frozen dataclass: one is made per indicator, and a frozen dataclass sets each
    field through ``object.__setattr__``, about three times the cost.
    """

    group: Group | None
    points: Decimal
    source: str  # "targets" | "rules"


def group_of(indicator: Indicator, rules: RuleSet) -> Group | None:
    """Return the rule set's group for an indicator: 满意度 words first, then the 一级指标 words."""
    by_key = {g.key: g for g in rules.groups}
    if SATISFACTION_KEY in by_key and rules.satisfaction_match:
        text = f"{indicator.level1}{indicator.level2}{indicator.name}"
        if any(word in indicator.level2 or word in indicator.level1 for word in rules.satisfaction_match) or (
            any(word in indicator.name for word in rules.satisfaction_match) and "满意" in text
        ):
            return by_key[SATISFACTION_KEY]
    for group in rules.groups:
        if any(word in indicator.level1 for word in group.match):
            return group
    return None


def split_evenly(total: Decimal, count: int, decimals: int) -> list[Decimal]:
    """Split ``total`` into ``count`` shares of whole units of 10^-decimals that add up exactly."""
    if count <= 0:
        return []
    unit = Decimal(1).scaleb(-decimals)
    base = (total / count).quantize(unit, rounding=ROUND_DOWN)
    shares = [base] * count
    left = int(((total - base * count) / unit).to_integral_value())
    for position in range(left):
        shares[position] += unit
    return shares


def allocate(
    indicators: Sequence[Indicator], rules: RuleSet, *, file: str | None, scope_name: str
) -> tuple[list[Allocation], list[Problem]]:
    """Return each indicator's group and points, and the problems with the points of this scope."""
    # the group depends only on the three names, which repeat across a department's indicators
    known: dict[tuple[str, str, str], Group | None] = {}
    groups = []
    for indicator in indicators:
        names = (indicator.level1, indicator.level2, indicator.name)
        if names not in known:
            known[names] = group_of(indicator, rules)
        groups.append(known[names])
    problems: list[Problem] = []
    weights = {g.key: g.points for g in rules.groups}
    has_satisfaction = any(g is not None and g.key == SATISFACTION_KEY for g in groups)
    moved_to = rules.satisfaction_when_absent
    if SATISFACTION_KEY in weights and not has_satisfaction and moved_to:
        weights[moved_to] += weights.pop(SATISFACTION_KEY)
    points: list[Decimal | None] = [i.points for i in indicators]
    for position, (indicator, group) in enumerate(zip(indicators, groups, strict=True)):
        if group is None:
            problems.append(Problem(
                Location(file=file, line=indicator.line, indicator=indicator.id),
                f"一级指标“{indicator.level1}”不属于规则集“{rules.name}”的任何一组"
                f"（{'、'.join(g.label for g in rules.groups)}），未分配分值",
                "检查一级指标名称，或在目标文件中为该指标写明 points。",
                severity=Severity.WARNING, code="no-group",
            ))
            if points[position] is None:
                points[position] = Decimal(0)
    members_of = _positions_by_group(groups)
    for key, weight in weights.items():
        members = members_of.get(key, [])
        free = [p for p in members if points[p] is None]
        fixed = sum((points[p] for p in members if points[p] is not None), Decimal(0))
        if free:
            shares = _shares([indicators[p] for p in free], max(weight - fixed, Decimal(0)), rules)
            for p, share in zip(free, shares, strict=True):
                points[p] = share
    allocations = [
        Allocation(group, share or Decimal(0), "targets" if indicator.points is not None else "rules")
        for indicator, group, share in zip(indicators, groups, points, strict=True)
    ]
    problems.extend(_sum_problems(indicators, allocations, members_of, weights, rules, file, scope_name))
    return allocations, problems


def _positions_by_group(groups: Sequence[Group | None]) -> dict[str, list[int]]:
    """The positions of each group's indicators, in one pass (not one pass per group over 100,000)."""
    positions: dict[str, list[int]] = {}
    for position, group in enumerate(groups):
        if group is not None:
            positions.setdefault(group.key, []).append(position)
    return positions


def _shares(members: Sequence[Indicator], total: Decimal, rules: RuleSet) -> list[Decimal]:
    """Split a group's free points; leftover cents go by indicator id, so the order in the file never matters."""
    if rules.split == "indicators":
        return _by_id(members, split_evenly(total, len(members), rules.decimals))
    level2s = sorted({i.level2 for i in members})
    per_level2 = dict(zip(level2s, split_evenly(total, len(level2s), rules.decimals), strict=True))
    result: dict[int, Decimal] = {}
    for level2 in level2s:
        positions = [p for p, i in enumerate(members) if i.level2 == level2]
        shares = _by_id([members[p] for p in positions], split_evenly(per_level2[level2], len(positions),
                                                                       rules.decimals))
        result.update(zip(positions, shares, strict=True))
    return [result[p] for p in range(len(members))]


def _by_id(members: Sequence[Indicator], shares: list[Decimal]) -> list[Decimal]:
    """Give the (descending) shares to the members in id order; return them in the members' order."""
    ids = [member.id for member in members]
    ranked = sorted(range(len(members)), key=ids.__getitem__)
    result = [Decimal(0)] * len(members)
    for share, position in zip(shares, ranked, strict=True):
        result[position] = share
    return result


def _sum_problems(
    indicators: Sequence[Indicator], allocations: Sequence[Allocation], members_of: dict[str, list[int]],
    weights: dict[str, Decimal], rules: RuleSet, file: str | None, scope_name: str,
) -> list[Problem]:
    problems = []
    labels = {g.key: g.label for g in rules.groups}
    for key, weight in weights.items():
        members = members_of.get(key, [])
        got = sum((allocations[p].points for p in members), Decimal(0))
        count = len(members)
        if count and got != weight:
            problems.append(Problem(
                Location(file=file),
                f"{scope_name}：{labels[key]}的分值合计 {got:f}，规则集“{rules.name}”要求 {weight:f}",
                "调整该组各指标的 points，使合计等于规定分值；或去掉 points 由规则集平均分配。",
                severity=Severity.WARNING, code="points-sum",
            ))
        elif not count and weight:
            problems.append(Problem(
                Location(file=file),
                f"{scope_name}：没有{labels[key]}，该组的 {weight:f} 分无法取得",
                "按规则集应设置该类指标。", severity=Severity.WARNING, code="group-empty",
            ))
    total = rules.execution_points + sum((a.points for a in allocations), Decimal(0))
    if indicators and total != Decimal(100) and not problems:
        problems.append(Problem(
            Location(file=file),
            f"{scope_name}：预算执行与各指标分值合计 {total:f} 分，应为 100 分",
            "调整各指标的 points。", severity=Severity.WARNING, code="points-total",
        ))
    return problems
