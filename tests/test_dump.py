"""dump_targets: the format's layout, exact decimals, quoting, and a load round trip."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluator.io.dump import dump_targets
from evaluator.io.load import load_targets
from evaluator.model import Indicator, PlanItem, Project, SpendingLine, TargetBudget, Targets

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "targets" / "2023" / "shifeng-npc.yaml"


def comparable(targets: Targets) -> Targets:
    """Drop what a file cannot carry: where it came from and the line numbers."""

    def indicators(items: tuple[Indicator, ...]) -> tuple[Indicator, ...]:
        return tuple(dataclasses.replace(i, line=None) for i in items)

    return dataclasses.replace(
        targets,
        source=None,
        sha256=None,
        indicators=indicators(targets.indicators),
        projects=tuple(
            dataclasses.replace(p, line=None, indicators=indicators(p.indicators)) for p in targets.projects
        ),
    )


def round_trip(targets: Targets, folder: Path) -> Targets:
    path = folder / "targets.yaml"
    path.write_text(dump_targets(targets), encoding="utf-8")
    return load_targets(path)


def sample() -> Targets:
    return Targets(
        year=2023,
        department="株洲市石峰区人民代表大会常务委员会",
        budget=TargetBudget(
            Decimal("790.64"),
            {"一般公共预算拨款": Decimal("790.64")},
            {"基本支出": Decimal("698.54"), "项目支出": Decimal("92.10")},
        ),
        duties="（一）保证宪法的遵守和执行。\n（二）领导本级人民代表大会代表的选举。",
        plan=(PlanItem("规范保障", "人大办", "切实做好立法工作"),),
        indicators=(
            Indicator("D01", "产出指标", "数量指标", "召开常委会", "≥10次"),
            Indicator("D02", "产出指标", "成本指标", "控制在预算数内", "≤790.64万元", points=Decimal("12.5"),
                      direction="lower", standard="行业标准", note="备注"),
        ),
        projects=(
            Project(
                "P1", "业务性专项经费", Decimal("36.00"), "2023年度", "保证大会的正常进行", "全面完成",
                indicators=(Indicator("P1-01", "产出指标", "数量指标", "报告", "1份", standard="行业标准"),),
                spending=(SpendingLine("区人民代表大会", "餐费10万元，其他26万元", Decimal("36"), "标准"),),
            ),
        ),
    )


def test_layout_follows_the_format() -> None:
    text = dump_targets(sample())
    assert text == (
        "schema: evaluator.targets/1\n"
        "year: 2023\n"
        "department: 株洲市石峰区人民代表大会常务委员会\n"
        "money_unit: 万元\n"
        "budget:\n"
        "  total: 790.64\n"
        "  by_source: {一般公共预算拨款: 790.64}\n"
        "  by_nature: {基本支出: 698.54, 项目支出: 92.10}\n"
        "duties: |-\n"
        "  （一）保证宪法的遵守和执行。\n"
        "  （二）领导本级人民代表大会代表的选举。\n"
        "plan:\n"
        "  - {item: 规范保障, owner: 人大办, goal: 切实做好立法工作}\n"
        "indicators:\n"
        "  - {id: D01, level1: 产出指标, level2: 数量指标, name: 召开常委会, target: ≥10次}\n"
        "  - {id: D02, level1: 产出指标, level2: 成本指标, name: 控制在预算数内, target: ≤790.64万元, "
        "standard: 行业标准, points: 12.5, direction: lower, note: 备注}\n"
        "projects:\n"
        "  - id: P1\n"
        "    name: 业务性专项经费\n"
        "    amount: 36.00\n"
        "    period: 2023年度\n"
        "    goal_period: 保证大会的正常进行\n"
        "    goal_year: 全面完成\n"
        "    indicators:\n"
        "      - {id: P1-01, level1: 产出指标, level2: 数量指标, name: 报告, target: 1份, standard: 行业标准}\n"
        "    spending:\n"
        "      - {content: 区人民代表大会, detail: 餐费10万元，其他26万元, amount: 36, basis: 标准}\n"
    )


def test_dump_is_deterministic_and_round_trips(tmp_path: Path) -> None:
    targets = sample()
    assert dump_targets(targets) == dump_targets(targets)
    assert comparable(round_trip(targets, tmp_path)) == targets


def test_decimals_keep_their_digits(tmp_path: Path) -> None:
    targets = Targets(
        year=2023, department="部门",
        budget=TargetBudget(Decimal("92.10"), {"其他资金": Decimal("0.00"), "上年结转": None}, {"项目支出": Decimal("1E+2")}),
    )
    text = dump_targets(targets)
    assert "total: 92.10\n" in text
    assert "by_source: {其他资金: 0.00, 上年结转: null}" in text
    assert "by_nature: {项目支出: 100}" in text
    assert comparable(round_trip(targets, tmp_path)) == targets


def test_text_that_yaml_would_misread_is_quoted(tmp_path: Path) -> None:
    awkward = ["123", "1E+2", "true", "no", "null", "~", "", " 前导空格", "尾随空格 ", "a: b", "#注释", "a #b",
               "{x}", "[1]", "&a", "*a", "!tag", "|", ">", "'单引号'", '"双引号"', "%25", "@x", "`x`", "2023-01-01",
               "- 列表", "? 键", "a,b", "多行\n文字", "制表\t符", "\u2028分隔", "\x85", "\ufeffBOM", "\x00"]
    targets = Targets(
        year=2023, department="部门",
        plan=tuple(PlanItem(text, text, text) for text in awkward),
        projects=(Project("P1", "专项", goal_period="第一行\n第二行", goal_year=" 第一行\n第二行"),),
    )
    text = dump_targets(targets)
    assert "  - {item: '123', owner: '123', goal: '123'}\n" in text
    assert "  - {item: 'a: b', owner: 'a: b', goal: 'a: b'}\n" in text
    assert '  - {item: "多行\\n文字", owner: "多行\\n文字", goal: "多行\\n文字"}\n' in text
    assert "    goal_period: |-\n      第一行\n      第二行\n" in text
    assert comparable(round_trip(targets, tmp_path)) == targets


def test_chinese_is_not_escaped() -> None:
    assert "\\u" not in dump_targets(sample())


def test_shipped_seed_round_trips(tmp_path: Path) -> None:
    targets = load_targets(SHIPPED)
    assert dump_targets(targets) == SHIPPED.read_text(encoding="utf-8")
    assert comparable(round_trip(targets, tmp_path)) == comparable(targets)


# --- property: any Targets survives dump → load -------------------------------------------------

_awkward_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30
) | st.sampled_from(["123", "true", "null", "a: b", "#x", " x", "x ", "多行\n文字", "≥10次", "'", '"', "- x", ""])
_label = _awkward_text.filter(lambda s: s != "<<")  # the loader refuses YAML merge keys by design
_money = st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10**9, max_value=10**9)
_optional_text = st.none() | _awkward_text


@st.composite
def _indicators(draw: st.DrawFn, prefix: str) -> tuple[Indicator, ...]:
    count = draw(st.integers(0, 3))
    return tuple(
        Indicator(
            id=f"{prefix}{n:02d}", level1=draw(_awkward_text), level2=draw(_awkward_text),
            name=draw(_awkward_text), target=draw(_awkward_text),
            points=draw(st.none() | st.decimals(min_value=0, max_value=100, places=1)),
            direction=draw(st.none() | st.sampled_from(["higher", "lower", "equal", "qualitative"])),
            standard=draw(_optional_text), note=draw(_optional_text),
        )
        for n in range(1, count + 1)
    )


@st.composite
def targets_strategy(draw: st.DrawFn) -> Targets:
    projects = []
    for n in range(1, draw(st.integers(0, 2)) + 1):
        projects.append(
            Project(
                id=f"P{n}", name=draw(_awkward_text), amount=draw(st.none() | _money),
                period=draw(_optional_text), goal_period=draw(_optional_text), goal_year=draw(_optional_text),
                indicators=draw(_indicators(f"P{n}-")),
                spending=tuple(
                    SpendingLine(draw(_optional_text), draw(_optional_text), draw(st.none() | _money),
                                 draw(_optional_text))
                    for _ in range(draw(st.integers(0, 2)))
                ),
            )
        )
    return Targets(
        year=draw(st.integers(1990, 2100)),
        department=draw(_awkward_text),
        money_unit=draw(st.sampled_from(["元", "千元", "万元", "亿元"])),
        budget=TargetBudget(
            total=draw(st.none() | _money),
            by_source=draw(st.dictionaries(_label, st.none() | _money, max_size=3)),
            by_nature=draw(st.dictionaries(_label, st.none() | _money, max_size=3)),
        ),
        duties=draw(_optional_text),
        plan=tuple(
            PlanItem(draw(_awkward_text), draw(_optional_text), draw(_optional_text))
            for _ in range(draw(st.integers(0, 2)))
        ),
        indicators=draw(_indicators("D")),
        projects=tuple(projects),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(targets=targets_strategy())
def test_any_targets_round_trip(tmp_path: Path, targets: Targets) -> None:
    text = dump_targets(targets)
    assert text == dump_targets(targets)
    yaml.safe_load(text)  # valid YAML for any reader, not only ours
    assert comparable(round_trip(targets, tmp_path)) == targets
