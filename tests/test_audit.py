"""audit_targets: the seed's arithmetic holds; broken variants give the right findings."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest
from formbuilders import SHIPPED

from evaluator.errors import Severity
from evaluator.forms.audit import audit_targets, to_unit
from evaluator.io.load import load_targets
from evaluator.model import Indicator, Project, SpendingLine, TargetBudget, Targets


@pytest.fixture(scope="module")
def seed() -> Targets:
    return load_targets(SHIPPED)


def replace_project(targets: Targets, index: int, **changes: object) -> Targets:
    projects = list(targets.projects)
    projects[index] = dataclasses.replace(projects[index], **changes)
    return dataclasses.replace(targets, projects=tuple(projects))


def test_the_seed_adds_up(seed: Targets) -> None:
    # 698.54 + 92.1 = 790.64; 36.00 + 56.10 = 92.10; 餐费10 + 其他26 = 36; 187人 × 3000元 = 56.10万元;
    # “≤790.64万元” = 资金总额; “≤36万” = 项目金额 36.00
    assert audit_targets(seed) == []


def test_natures_and_sources_must_add_up_to_the_total(seed: Targets) -> None:
    broken = dataclasses.replace(seed, budget=dataclasses.replace(seed.budget, total=Decimal("800.00")))
    findings = audit_targets(broken)
    assert all(f.severity is Severity.WARNING for f in findings)
    assert [(f.location.key, f.message) for f in findings] == [
        ("budget.by_nature", "按支出性质分：基本支出 698.54 + 项目支出 92.1 = 790.64 万元，与资金总额 800.00 万元不一致，相差 9.36 万元"),
        ("budget.by_source", "按收入性质分：一般公共预算拨款 790.64 = 790.64 万元，与资金总额 800.00 万元不一致，相差 9.36 万元"),
    ]
    assert findings[0].location.file == seed.source


def test_funds_must_add_up_to_project_spending(seed: Targets) -> None:
    budget = dataclasses.replace(seed.budget, by_nature={"基本支出": Decimal("688.54"), "项目支出": Decimal("102.1")})
    findings = audit_targets(dataclasses.replace(seed, budget=budget))
    assert [(f.code, f.message) for f in findings] == [(
        "projects-sum",
        "各专项金额之和 业务性专项经费 36.00 + 人大代表活动经费 56.10 = 92.10 万元，与项目支出 102.1 万元不一致，相差 10.00 万元",
    )]


def test_a_fund_must_equal_its_spending_lines_and_its_cost_cap(seed: Targets) -> None:
    findings = audit_targets(replace_project(seed, 0, amount=Decimal("40.00")))
    by_code = {f.code: f for f in findings}
    assert set(by_code) == {"projects-sum", "cost-cap", "spending-sum"}
    cap = by_code["cost-cap"]
    assert cap.location.key == "projects[0].indicators[3].target" and cap.location.indicator == "P1-04"
    assert cap.location.line is not None
    assert cap.message == "成本指标“成本控制数”的指标值“≤36万”即 36 万元，与项目金额 40.00 万元不一致，相差 4.00 万元"
    assert by_code["spending-sum"].message == (
        "专项“业务性专项经费”支出明细金额之和 36 万元，与项目金额 40.00 万元不一致，相差 4.00 万元"
    )


def test_department_cost_cap(seed: Targets) -> None:
    indicators = list(seed.indicators)
    indicators[3] = dataclasses.replace(indicators[3], target="≤800万元")
    (finding,) = audit_targets(dataclasses.replace(seed, indicators=tuple(indicators)))
    assert (finding.location.key, finding.location.indicator) == ("indicators[3].target", "D04")
    assert finding.message == "成本指标“控制在预算数内”的指标值“≤800万元”即 800 万元，与资金总额 790.64 万元不一致，相差 9.36 万元"


def test_per_person_calculation_in_the_spending_text(seed: Targets) -> None:
    p2 = seed.projects[1]
    line = dataclasses.replace(p2.spending[0], amount=Decimal("50.00"))
    findings = audit_targets(replace_project(seed, 1, spending=(line,), amount=Decimal("50.00")))
    unit = [f for f in findings if f.code == "unit-calculation"]
    assert [(f.location.key, f.message) for f in unit] == [(
        "projects[1].spending[0].amount",
        "专项“人大代表活动经费”支出明细“代表活动经费56.10万元：全区…”：按“187人 × 3000元/人”计算为 56.1 万元，"
        "与金额 50.00 万元不一致，相差 6.10 万元",
    )]


def test_itemised_detail_must_add_up(seed: Targets) -> None:
    p1 = seed.projects[0]
    line = dataclasses.replace(p1.spending[0], detail="餐费10万元，其他20万元")
    (finding,) = audit_targets(replace_project(seed, 0, spending=(line,)))
    assert finding.code == "itemised-sum"
    assert "支出明细“餐费10万元，其他20万元”合计 30 万元，与金额 36 万元不一致，相差 6 万元" in finding.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全区代表187人，每人每年的经费3000元", Decimal("56.1")),
        ("187人 × 3000元/人 = 56.10万元", Decimal("56.1")),
        ("代表 187 名，标准 0.3万元/名", Decimal("56.1")),
        ("标准餐费140元/人/天，其他费用100元/人/天", None),  # two dimensions: not read
        ("50人，每人3000元；60人，每人2000元", None),  # ambiguous: not read
    ],
)
def test_which_calculations_are_read(text: str, expected: Decimal | None) -> None:
    line = SpendingLine(content="代表活动", basis=text, amount=Decimal("1"))
    targets = Targets(2023, "部门", projects=(Project("P1", "专项", Decimal("1"), spending=(line,)),))
    findings = [f for f in audit_targets(targets) if f.code == "unit-calculation"]
    if expected is None:
        assert findings == []
    else:
        (finding,) = findings
        assert f"计算为 {expected} 万元" in finding.message


def test_money_written_in_other_units() -> None:
    assert to_unit(Decimal("561000"), "元", "万元") == Decimal("56.1")
    assert to_unit(Decimal("36"), "万", "万元") == Decimal("36")
    assert to_unit(Decimal("0.5"), "亿元", "万元") == Decimal("5000")
    assert to_unit(Decimal("36"), "万元", "元") == Decimal("360000")
    assert to_unit(Decimal("1"), "美元", "万元") is None


def test_targets_in_yuan(seed: Targets) -> None:
    indicator = Indicator("P1-01", "产出指标", "成本指标", "成本", "≤36万元")
    targets = Targets(2023, "部门", money_unit="元", budget=TargetBudget(Decimal("360000")),
                      projects=(Project("P1", "专项", Decimal("360000"), indicators=(indicator,)),))
    assert audit_targets(targets) == []


def test_nothing_to_check_gives_nothing() -> None:
    assert audit_targets(Targets(2023, "部门")) == []
    qualitative = Indicator("D01", "产出指标", "成本指标", "成本", "控制在预算内")
    assert audit_targets(Targets(2023, "部门", budget=TargetBudget(Decimal(1)), indicators=(qualitative,))) == []
