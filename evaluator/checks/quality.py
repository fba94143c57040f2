"""The quality of the targets themselves: vague, unmeasurable, mislabelled, duplicated, missing kinds."""

from __future__ import annotations

from evaluator.errors import Location, Problem, Severity
from evaluator.language.values import Op, parse_value
from evaluator.model import Indicator, Targets

__all__ = ["COUNT_UNITS", "VAGUE_WORDS", "target_quality"]

VAGUE_WORDS = ("有所", "持续", "进一步", "明显", "显著", "稳步", "不断", "逐步", "良好", "较好", "积极", "有效", "间接")
COUNT_UNITS = ("次", "个", "人", "人次", "户", "份", "项", "件", "场", "篇", "种", "例", "起")



def target_quality(targets: Targets) -> list[Problem]:
    """Findings on the targets themselves: vague, unmeasurable, mislabelled, duplicated, missing kinds."""
    problems: list[Problem] = []
    for _, name, indicators in _scopes(targets):
        names: dict[str, str] = {}
        for indicator in indicators:
            where = Location(file=targets.source, line=indicator.line, indicator=indicator.id)
            value = parse_value(indicator.target)
            if value.op is Op.EMPTY:
                problems.append(Problem(
                    where, f"{indicator.name}：指标值为“{indicator.target}”，没有可衡量的目标，只能按定性指标评价",
                    "填写具体的指标值，或删除该指标。", severity=Severity.INFO, code="empty-target",
                ))
            if value.op is Op.QUALITATIVE and any(w in indicator.target for w in VAGUE_WORDS):
                problems.append(Problem(
                    where, f"{indicator.name}：指标值“{indicator.target}”不可衡量，年底难以判断是否完成",
                    "尽量改为可量化的指标值（如“≥90%”“≥10次”），或写明达成标准。",
                    severity=Severity.INFO, code="vague-target",
                ))
            if "质量" in indicator.level2 and value.unit in COUNT_UNITS:
                problems.append(Problem(
                    where, f"{indicator.name}：质量指标的指标值“{indicator.target}”是数量（{value.unit}），"
                           "更像数量指标", "质量指标宜用合格率、达标率等比率。",
                    severity=Severity.INFO, code="quality-is-count",
                ))
            if "时效" in indicator.level2 and value.unit in ("年",) and not value.explicit_op:
                problems.append(Problem(
                    where, f"{indicator.name}：时效指标“{indicator.target}”只写了期限长度，衡量不了是否按时",
                    "写明完成时限，如“12月底前完成”或“资金拨付及时率100%”。",
                    severity=Severity.INFO, code="timeliness-measures-nothing",
                ))
            key = indicator.name.strip()
            if key in names:
                problems.append(Problem(
                    where, f"{indicator.name}：与指标 {names[key]} 重复", "删除或合并重复的指标。",
                    severity=Severity.WARNING, code="duplicate-indicator",
                ))
            names.setdefault(key, indicator.id)
        if indicators and not any("成本" in i.level2 for i in indicators):
            problems.append(Problem(
                Location(file=targets.source, key=name), f"{name}：没有成本指标",
                "产出指标应包括成本指标（如“≤36万元”）。", severity=Severity.INFO, code="no-cost-indicator",
            ))
    return problems


def _scopes(targets: Targets) -> list[tuple[str, str, tuple[Indicator, ...]]]:
    scopes = [("部门整体支出", "部门整体支出", targets.indicators)]
    return scopes + [(p.name, p.name, p.indicators) for p in targets.projects]
