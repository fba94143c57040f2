"""The pre-submission review: what a careful finance officer checks before a 自评表 goes out.

Each finding says where it is, what it is, why it matters and how to fix it.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from evaluator.decimals import fmt
from evaluator.errors import Location, Problem, Severity, entry_location
from evaluator.model import Actuals, Indicator, Targets
from evaluator.results.scores import Result

if TYPE_CHECKING:
    from evaluator.rules import RuleSet

__all__ = ["submission_findings"]

SURVEY_WORDS = ("调查", "问卷", "测评", "回访", "抽样", "座谈", "评议", "统计")
_SHORTFALL = ("partial", "unmet", "qualitative-partial", "qualitative-unmet")


def submission_findings(
    result: Result, targets: Targets, actuals: Actuals, rules: RuleSet, by_id: dict[str, Indicator]
) -> list[Problem]:
    problems: list[Problem] = []
    file = actuals.source
    for evaluation in result.evaluations:
        budget, entries = actuals.for_scope(evaluation.id)
        for score in evaluation.indicators:
            entry = entries.get(score.id)
            where = entry_location(file, entry, indicator=score.id)
            if score.status == "missing":
                problems.append(Problem(
                    where, f"{score.name}：未填报实际完成值（目标“{score.target}”），按规则计0分",
                    "填写 actual（实际完成值）；确实无法取得时在 reason 中说明原因。",
                    severity=Severity.ERROR, code="missing-actual",
                ))
            if score.status in _SHORTFALL and not score.reason:
                problems.append(Problem(
                    where, f"{score.name}：未完成目标（{score.explanation}），但没有写偏差原因",
                    "填写 reason（偏差原因）和 measure（改进措施）：自评表要求对每项偏差作出说明。",
                    severity=Severity.ERROR, code="shortfall-without-reason",
                ))
            if score.status == "exceeded" and not score.reason:
                problems.append(Problem(
                    where, f"{score.name}：完成值远超目标（实际“{score.actual}”，目标“{score.target}”），没有说明原因",
                    "在 reason 中说明超额的原因；若是年初目标设定过低，评价人可用 deduction 扣分并写明理由。",
                    severity=Severity.WARNING, code="exceeded-without-reason",
                ))
            if "unit-assumed" in score.flags and "scale-assumed" not in score.flags:  # scale: a scoring warning
                problems.append(_unit_assumed(where, score))
            if "actual-with-comparator" in score.flags or "approximate" in score.flags:
                problems.append(Problem(
                    where, f"{score.name}：实际值“{score.actual}”不是确切的实测数",
                    "填写实际达到的具体数值（如“96%”“612人”），不要照抄目标或写“约”“余”。",
                    severity=Severity.WARNING, code="inexact-actual",
                ))
            if "qualitative-actual" in score.flags:
                problems.append(Problem(
                    where, f"{score.name}：定量指标（目标“{score.target}”）填了文字“{score.actual}”，"
                           "只能按定性档次计分",
                    "填写实际达到的数值（带单位），这样才能按完成比例计分并与目标比较。",
                    severity=Severity.WARNING, code="text-for-number",
                ))
            if "unit-near" in score.flags:
                problems.append(Problem(
                    where, f"{score.name}：实际值“{score.actual}”与目标“{score.target}”的单位不同，按同一口径计分",
                    "核实统计口径（如“人”与“人次”），并把实际值改用目标的单位。",
                    severity=Severity.WARNING, code="unit-near",
                ))
            if "pct-ignored" in score.flags:
                problems.append(Problem(
                    where, f"{score.name}：填写的得分比例（pct）只用于定性指标，本指标按数值计分，未采用",
                    "删除 pct；如需扣分，用 deduction 并写明 deduction_reason。",
                    severity=Severity.WARNING, code="pct-ignored",
                ))
            if score.review:
                problems.append(Problem(
                    where, f"{score.name}：自评得分不符合规则——{score.review}",
                    "按规则得分修改自评得分，或在偏差说明中写明依据。", severity=Severity.ERROR, code="claim",
                ))
            indicator = by_id.get(score.id)
            if indicator and _is_satisfaction(score.level2, score.name) and score.status != "missing":
                evidence = (entry.evidence if entry else None) or ""
                if not any(word in evidence for word in SURVEY_WORDS):
                    problems.append(Problem(
                        where, f"{score.name}：满意度没有注明调查来源",
                        "在 evidence 中写明调查方式、样本量和时间（如“2023年12月问卷调查，回收215份”）。",
                        severity=Severity.WARNING, code="satisfaction-without-survey",
                    ))
        problems.extend(_execution_findings(evaluation, budget, rules, file))
        problems.extend(_funding_findings(evaluation, budget, file))
        for note in evaluation.review:
            problems.append(Problem(
                Location(file=file), f"{evaluation.name}：{note}",
                "按规则修正自评总分或各项得分。", severity=Severity.ERROR, code="claim-total",
            ))
    return problems


def _unit_assumed(where: Location, score) -> Problem:  # type: ignore[no-untyped-def]
    """An actual written without unit: usually harmless, but "0.95" against "≥90%" is a fraction."""
    target, actual = score.parsed, score.parsed_actual or {}
    value, goal = actual.get("value"), target.get("value")
    if target.get("unit") == "%" and value is not None and goal is not None and 0 < value <= 1 < goal:
        return Problem(
            where, f"{score.name}：实际值“{score.actual}”没写单位，按“{score.actual}%”计分；"
                   f"如果本意是比例（{value * 100:g}%），得分会差很多",
            f"写成带 % 的百分数，如“{value * 100:g}%”。", severity=Severity.WARNING, code="fraction-for-percent",
        )
    period = str(target.get("unit") or "").partition("/")[2]
    if period and actual.get("unit"):  # "4次" against "每季度1次": a count without its period
        return Problem(
            where, f"{score.name}：实际值“{score.actual}”没写周期，按全年的数计，再换算为每{period}的数与目标比较",
            f"核实这是全年的数；或按目标写成每{period}的数，如“{target.get('value')}{target.get('unit')}”。",
            severity=Severity.INFO, code="unit-assumed",
        )
    return Problem(
        where, f"{score.name}：实际值“{score.actual}”没写单位，按目标单位理解",
        "写上单位，避免“万元”和“元”之类的误读。", severity=Severity.INFO, code="unit-assumed",
    )


def _is_satisfaction(level2: str, name: str) -> bool:
    return "满意" in level2 or "满意" in name


def _execution_findings(evaluation, budget, rules: RuleSet, file: str | None) -> list[Problem]:  # type: ignore[no-untyped-def]
    ex = evaluation.execution
    where = entry_location(file, budget, key=f"{evaluation.name} 预算执行")
    problems = []
    if ex.rate is not None and ex.rate > 1:
        severe = ex.rate > Decimal("1.5")
        problems.append(Problem(
            where, f"{evaluation.name}：全年执行数 {fmt(ex.executed)} 超过预算数（执行率 {fmt(ex.rate * 100)}%）"
                   + ("，数额不合理，可能填错了单位或小数点" if severe else ""),
            "核对全年执行数与全年预算数（含年中追加、上年结转）；执行数不应超过预算数。",
            severity=Severity.ERROR if severe else Severity.WARNING, code="over-execution",
        ))
    if ex.rate is not None and ex.rate < rules.execution_explain_below and not ex.reason:
        problems.append(Problem(
            where, f"{evaluation.name}：预算执行率 {fmt(ex.rate * 100)}% 低于 {fmt(rules.execution_explain_below * 100)}%，"
                   "没有说明原因",
            "在 budget.reason 中说明资金未执行的原因和改进措施。", severity=Severity.ERROR, code="low-execution",
        ))
    indicator_points = sum((i.points for i in evaluation.indicators), Decimal(0))
    if ex.rate is not None and indicator_points:
        indicator_rate = sum((i.score for i in evaluation.indicators), Decimal(0)) / indicator_points
        if indicator_rate - ex.rate > rules.low_rate_warning:
            problems.append(Problem(
                where, f"{evaluation.name}：指标得分率 {fmt(indicator_rate * 100, 1)}% 远高于预算执行率 "
                       f"{fmt(ex.rate * 100, 1)}%——钱没花完，目标却大多完成",
                "核实实际完成值；说明资金结余与目标完成的关系，或检查目标是否设定过低。",
                severity=Severity.WARNING, code="score-above-execution",
            ))
    return problems


FUNDING_COLUMNS = (("initial", "年初预算数"), ("adjusted", "全年预算数"), ("executed", "全年执行数"))


def _funding_findings(evaluation, budget, file: str | None) -> list[Problem]:  # type: ignore[no-untyped-def]  # noqa: E501
    """The 其中 lines (当年财政拨款, 上年结转资金, 其他资金) should add up to 年度资金总额, column by column."""
    if budget is None or not budget.sources:
        return []
    where = entry_location(file, budget, key=f"{evaluation.name} 预算执行")
    hint = "其中：当年财政拨款、上年结转资金、其他资金之和应等于年度资金总额；核对各项金额和金额单位。"
    problems = []
    for key, label in FUNDING_COLUMNS:
        parts = [getattr(line, key) for line in budget.sources.values() if getattr(line, key) is not None]
        if not parts:
            continue
        total, added = getattr(budget, key), sum(parts, Decimal(0))
        if total is None:
            message = f"{evaluation.name}：{label}的其中各项合计 {fmt(added)}，但年度资金总额的{label}没有填写"
        elif added != total:
            message = f"{evaluation.name}：{label}的其中各项合计 {fmt(added)}，与年度资金总额 {fmt(total)} 不一致"
        else:
            continue
        problems.append(Problem(where, message, hint, severity=Severity.WARNING, code="funding-sum"))
    return problems
