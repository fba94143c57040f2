"""Check the arithmetic of a department's targets: the sums the forms must satisfy, and the
calculations their text states.

Works on any Targets (imported from forms or loaded from YAML) and returns warnings, never raises:

- 基本支出 + 项目支出 = 资金总额, and the sources of funds add up to 资金总额;
- the special funds add up to 项目支出, and each fund's spending lines add up to its amount;
- a 成本指标 written as money (“≤36万”, “≤790.64万元”) equals the budget it caps;
- a spending line's own calculation: “全区代表187人，每人每年的经费3000元” (187 × 3000元 = 56.10万元)
  and an itemised detail “餐费10万元，其他26万元” (= 36) agree with the line's amount.

Each finding names the key (``projects[0].amount``), the indicator where there is one, both numbers
and the difference, in the file's money unit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal

from evaluator.errors import Location, Problem, Severity
from evaluator.model import Indicator, Project, SpendingLine, Targets

__all__ = ["amount_text", "audit_targets", "difference", "to_unit"]

MONEY_FACTORS = {"元": Decimal(1), "千元": Decimal(1000), "万元": Decimal(10000), "亿元": Decimal(100000000)}
_WRITTEN_UNITS = {"元": "元", "千元": "千元", "万元": "万元", "万": "万元", "亿元": "亿元", "亿": "亿元"}
_NUMBER = r"(\d+(?:\.\d+)?)"
_MONEY = r"(亿元|万元|千元|元|万|亿)"
_CAP = re.compile(
    rf"(?:≤|<=|＜=|<|＜|=|＝|不超过|不高于|不大于|小于等于|低于|控制在)?{_NUMBER}{_MONEY}(?:以内|以下|之内|内)?"
)
_ITEM = rf"[^\d，,、；;。]*?{_NUMBER}\s*{_MONEY}"
_ITEMS = re.compile(rf"(?:{_ITEM}[，,、；;。\s]*)+")
_PER = "人名个次天户场期台套份件辆"
_COUNT = re.compile(rf"{_NUMBER}\s*([{_PER}])(?![/／次])")
# “3000元/人” (optionally “/年”, the budget's own period), but not “140元/人/天”
_RATE_SLASH = re.compile(
    rf"{_NUMBER}\s*(亿元|万元|千元|元)\s*[/／]\s*([{_PER}])(?:\s*[/／·]\s*年)?(?!\s*[/／·])"
)
# “每人每年的经费3000元”, but not “每人每天140元”
_RATE_EACH = re.compile(
    rf"每\s*([{_PER}])(?:每年|(?!每)[^\d，,。；;、/／])*?{_NUMBER}\s*(亿元|万元|千元|元)(?!\s*[/／])"
)


def amount_text(value: Decimal) -> str:
    """Return a Decimal as written, never with an exponent."""
    return format(value, "f")


def difference(found: Decimal, expected: Decimal, unit: str) -> str:
    return f"相差 {amount_text(abs(found - expected))} {unit}"


def to_unit(number: Decimal, written: str, unit: str) -> Decimal | None:
    """Convert ``number`` written in 元/万/万元/亿元 … into the file's money unit."""
    source = MONEY_FACTORS.get(_WRITTEN_UNITS.get(written, ""))
    target = MONEY_FACTORS.get(unit)
    if source is None or target is None:
        return None
    return number * source / target


def audit_targets(targets: Targets) -> list[Problem]:
    """Return the arithmetic findings on ``targets`` as warnings, in file order."""
    audit = _Audit(targets)
    audit.budget()
    audit.projects_sum()
    for position, indicator in enumerate(targets.indicators):
        audit.cost_cap(indicator, f"indicators[{position}]", _department_budgets(targets), "资金总额")
    for position, project in enumerate(targets.projects):
        audit.project(project, position)
    return audit.problems


def _department_budgets(targets: Targets) -> list[Decimal]:
    budget = targets.budget
    values = [budget.total, *budget.by_nature.values(), *budget.by_source.values()]
    return [value for value in values if value is not None]


class _Audit:
    def __init__(self, targets: Targets) -> None:
        self.targets = targets
        self.unit = targets.money_unit
        self.problems: list[Problem] = []

    def warn(self, key: str, message: str, hint: str, code: str, *, line: int | None = None,
             indicator: str | None = None) -> None:
        where = Location(file=self.targets.source, line=line, key=key, indicator=indicator)
        self.problems.append(Problem(where, message, hint, Severity.WARNING, code))

    def _sum_text(self, parts: Iterable[tuple[str, Decimal]]) -> tuple[Decimal, str]:
        parts = list(parts)
        total = sum((value for _, value in parts), Decimal(0))
        return total, " + ".join(f"{name} {amount_text(value)}" for name, value in parts)

    def budget(self) -> None:
        budget, unit = self.targets.budget, self.unit
        if budget.total is None:
            return
        sides = (
            ("by_nature", budget.by_nature, "按支出性质分"),
            ("by_source", budget.by_source, "按收入性质分"),
        )
        for key, values, what in sides:
            parts = [(name, value) for name, value in values.items() if value is not None]
            if not parts:
                continue
            total, text = self._sum_text(parts)
            if total != budget.total:
                self.warn(
                    f"budget.{key}",
                    f"{what}：{text} = {amount_text(total)} {unit}，"
                    f"与资金总额 {amount_text(budget.total)} {unit}不一致，"
                    f"{difference(total, budget.total, unit)}",
                    f"核对附表1“年度预算申请”中{what}的各项金额与资金总额。",
                    f"budget-{key.replace('_', '-')}",
                )

    def projects_sum(self) -> None:
        project_total = self.targets.budget.by_nature.get("项目支出")
        projects = [p for p in self.targets.projects if not p.parent]
        if project_total is None or not projects or any(p.amount is None for p in projects):
            return
        total, text = self._sum_text((p.name, p.amount) for p in projects)  # type: ignore[misc]
        if total != project_total:
            unit = self.unit
            self.warn(
                "budget.by_nature.项目支出",
                f"各专项金额之和 {text} = {amount_text(total)} {unit}，"
                f"与项目支出 {amount_text(project_total)} {unit}不一致，"
                f"{difference(total, project_total, unit)}",
                "核对各附表3的项目金额与附表1的项目支出；项目支出中若还有其他项目，可忽略此提示。",
                "projects-sum",
            )

    def project(self, project: Project, position: int) -> None:
        key = f"projects[{position}]"
        for number, indicator in enumerate(project.indicators):
            budgets = [project.amount] if project.amount is not None else []
            self.cost_cap(indicator, f"{key}.indicators[{number}]", budgets, "项目金额")
        amounts = [line.amount for line in project.spending if line.amount is not None]
        if project.amount is not None and amounts:
            total = sum(amounts, Decimal(0))
            if total != project.amount:
                unit = self.unit
                self.warn(
                    f"{key}.spending",
                    f"专项“{project.name}”支出明细金额之和 {amount_text(total)} {unit}，与项目金额 "
                    f"{amount_text(project.amount)} {unit}不一致，{difference(total, project.amount, unit)}",
                    "核对附表3“支出明细及测算说明”各行金额与项目金额。", "spending-sum", line=project.line,
                )
        for number, line in enumerate(project.spending):
            self.spending_line(project, line, f"{key}.spending[{number}]")

    def cost_cap(self, indicator: Indicator, key: str, budgets: list[Decimal], budget_name: str) -> None:
        if re.sub(r"\s+", "", indicator.level2) != "成本指标" or not budgets:
            return
        match = _CAP.fullmatch(re.sub(r"\s+", "", indicator.target))
        if not match:
            return
        cap = to_unit(Decimal(match.group(1)), match.group(2), self.unit)
        if cap is None or cap in budgets:
            return
        unit = self.unit
        self.warn(
            f"{key}.target",
            f"成本指标“{indicator.name}”的指标值“{indicator.target}”即 {amount_text(cap)} {unit}，"
            f"与{budget_name} {amount_text(budgets[0])} {unit}不一致，{difference(cap, budgets[0], unit)}",
            f"以金额表示的成本指标一般应等于{budget_name}；请核对指标值或金额。", "cost-cap",
            line=indicator.line, indicator=indicator.id,
        )

    def spending_line(self, project: Project, line: SpendingLine, key: str) -> None:
        if line.amount is None:
            return
        unit = self.unit
        where = f"专项“{project.name}”支出明细“{_short(line.content or line.detail or '')}”"
        items = _itemised(line.detail or "", unit)
        if items is not None and items[0] != line.amount:
            self.warn(
                f"{key}.amount",
                f"{where}：支出明细“{line.detail}”合计 {amount_text(items[0])} {unit}，与金额 "
                f"{amount_text(line.amount)} {unit}不一致，{difference(items[0], line.amount, unit)}",
                "核对支出明细中各项金额与本行金额。", "itemised-sum", line=project.line,
            )
        product = _per_unit(line, unit)
        if product is not None and product[0] != line.amount:
            self.warn(
                f"{key}.amount",
                f"{where}：按“{product[1]}”计算为 {amount_text(product[0])} {unit}，与金额 "
                f"{amount_text(line.amount)} {unit}不一致，{difference(product[0], line.amount, unit)}",
                "核对测算依据中的人数、标准与本行金额。", "unit-calculation", line=project.line,
            )


def _short(text: str, size: int = 16) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= size else text[:size] + "…"


def _itemised(detail: str, unit: str) -> tuple[Decimal, str] | None:
    """Return the sum of a detail written only as items with amounts (“餐费10万元，其他26万元”)."""
    text = detail.strip()
    if not text or not _ITEMS.fullmatch(text):
        return None
    values = [to_unit(Decimal(number), written, unit) for number, written in re.findall(_ITEM, text)]
    if any(value is None for value in values):
        return None
    return sum(values, Decimal(0)), text  # type: ignore[arg-type]


def _per_unit(line: SpendingLine, unit: str) -> tuple[Decimal, str] | None:
    """Return count × rate when the line's text names exactly one count and one rate of the same unit."""
    text = "\n".join(filter(None, (line.content, line.detail, line.basis)))
    counts: dict[str, set[Decimal]] = {}
    rates: dict[str, set[tuple[Decimal, str]]] = {}
    for number, per in _COUNT.findall(text):
        counts.setdefault(per, set()).add(Decimal(number))
    for number, written, per in _RATE_SLASH.findall(text):
        rates.setdefault(per, set()).add((Decimal(number), written))
    for per, number, written in _RATE_EACH.findall(text):
        rates.setdefault(per, set()).add((Decimal(number), written))
    pairs = [per for per in counts if len(counts[per]) == 1 and len(rates.get(per, ())) == 1]
    if len(pairs) != 1:
        return None
    per = pairs[0]
    (count,), ((rate, written),) = counts[per], rates[per]
    value = to_unit(count * rate, written, unit)
    if value is None:
        return None
    return value, f"{amount_text(count)}{per} × {amount_text(rate)}{written}/{per}"
