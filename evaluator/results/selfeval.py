"""What a 自评表 shows besides the scores: the 项目资金 lines with their 其中 rows, and the 年度总体目标 texts.

Every 自评表 writer (the Excel and Word 自评表, the Word and HTML reports) takes these lines from here,
so that the four agree. Nothing here scores: the total line carries the execution score of the Result;
the 其中 lines only repeat what the department entered, with their execution rate for reading.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from evaluator.decimals import fmt, round_half_up
from evaluator.model import FUNDING_SOURCES, Actuals, BudgetActual, Targets
from evaluator.results.scores import Evaluation, ExecutionScore

__all__ = ["FundingLine", "TOTAL_LABEL", "achieved", "funding_lines", "goal_and_outcome"]

TOTAL_LABEL = "年度资金总额"


@dataclass(frozen=True)
class FundingLine:
    """One row of the 项目资金 block: 年度资金总额 (with 分值 and 得分) or one 其中 line (without)."""

    key: str  # "total" or a FUNDING_SOURCES key
    label: str  # as the form prints it: 年度资金总额, 其中：当年财政拨款, 上年结转资金, 其他资金
    initial: Decimal | None
    adjusted: Decimal | None
    executed: Decimal | None
    rate: Decimal | None  # executed ÷ the rule set's denominator, 4 decimals; None without both
    points: Decimal | None = None  # the total line only
    score: Decimal | None = None  # the total line only

    @property
    def is_total(self) -> bool:
        return self.key == "total"


def funding_lines(execution: ExecutionScore, budget: BudgetActual | None) -> tuple[FundingLine, ...]:
    """Return 年度资金总额 and the three 其中 lines, always four, as the official form has them.

    The 其中 rates use the denominator the rule set used for the total (全年预算数 or 年初预算数).
    """
    lines = [FundingLine("total", TOTAL_LABEL, execution.initial, execution.adjusted, execution.executed,
                         execution.rate, execution.points, execution.score)]
    sources = budget.sources if budget is not None else {}
    for position, (key, label) in enumerate(FUNDING_SOURCES.items()):
        source = sources.get(key)
        initial = source.initial if source else None
        adjusted = source.adjusted if source else None
        executed = source.executed if source else None
        base = initial if execution.denominator == "initial" else adjusted
        rate = round_half_up(executed / base, 4) if executed is not None and base else None
        lines.append(FundingLine(key, ("其中：" if position == 0 else "") + label, initial, adjusted, executed, rate))
    return tuple(lines)


def goal_and_outcome(evaluation: Evaluation, targets: Targets, actuals: Actuals | None) -> tuple[str, str]:
    """Return the 年度总体目标 of a scope (预期目标) and its 实际完成情况.

    The department's goal is its 年度重点工作计划 (or its duties when it has no plan); a fund's is its
    年度绩效目标. The outcome is what the department wrote; without it, an account of the indicators.
    """
    if evaluation.scope == "department":
        goal = "\n".join(
            f"{n}. {p.item}" + (f"：{p.goal}" if p.goal else "") for n, p in enumerate(targets.plan, start=1)
        ) or (targets.duties or "")
        done = actuals.summary.overview if actuals is not None else None
    else:
        project = targets.project(evaluation.id or "")
        goal = (project.goal_year or project.goal_period or "") if project else ""
        fund = actuals.projects.get(evaluation.id or "") if actuals is not None else None
        done = fund.overview if fund is not None else None
    return goal, done or achieved(evaluation)


def achieved(evaluation: Evaluation) -> str:
    """A one-line account of the indicators by status, for a scope without a written 实际完成情况."""
    counts = {}
    for label, statuses in (("待确认", ("pending",)), ("达成", ("met", "exceeded", "qualitative-met")),
                            ("部分完成", ("partial", "qualitative-partial")),
                            ("未完成", ("unmet", "qualitative-unmet")), ("未填报", ("missing",)),
                            ("无法评分", ("invalid",))):
        if n := evaluation.count(*statuses):
            counts[label] = n
    parts = "，".join(f"{label}{n}项" for label, n in counts.items())
    provisional = "（暂定）" if evaluation.provisional else ""
    return f"共{len(evaluation.indicators)}项绩效指标" + (f"：{parts}" if parts else "") + \
        f"；自评得分{fmt(evaluation.total)}分{provisional}。"
