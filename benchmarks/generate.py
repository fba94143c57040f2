"""Generate synthetic departments (targets + actuals YAML) for examples, tests and benchmarks.

Deterministic: the same seed gives the same files. Not part of the product.

    python benchmarks/generate.py OUT_DIR --departments 1000 --year 2023 [--indicators 20 --funds 3 --fund-indicators 10]

writes OUT_DIR/targets/<year>/<slug>.yaml and OUT_DIR/actuals/<year>/<slug>.yaml.
"""

from __future__ import annotations

import argparse
import random
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml  # noqa: E402

from evaluator.io.dump import dump_targets  # noqa: E402
from evaluator.model import Indicator, Project, TargetBudget, Targets  # noqa: E402

DISTRICTS = ["东城", "西湖", "南山", "北塘", "青山", "白云", "金水", "石门", "桃源", "长岭"]
BUREAUS = ["教育局", "卫生健康局", "民政局", "农业农村局", "水利局", "司法局", "文化旅游局", "市场监管局", "统计局",
           "林业局", "人社局", "住建局", "交通运输局", "生态环境局", "应急管理局", "审计局", "财政局", "档案馆"]

# (level1, level2, name, target, actual generator)
QUANTITY = [("开展培训", "≥{n}次", "次"), ("发放宣传资料", "≥{n}份", "份"), ("服务人次", "≥{n}人次", "人次"),
            ("检查企业", "≥{n}家", "家"), ("完成项目", "{n}个", "个"), ("举办活动", "≥{n}场", "场")]
QUALITY = [("验收合格率", "≥{p}%", "%"), ("资料归档率", "100%", "%"), ("问题整改率", "≥{p}%", "%")]
TIMELINESS = [("资金拨付及时率", "100%", "%"), ("任务完成时限", "12月底前", None), ("报告报送及时率", "≥{p}%", "%")]
OUTCOME = [("群众知晓率", "≥{p}%", "%"), ("服务能力", "有所提升", None), ("工作效率", "明显提高", None),
           ("投诉办结率", "≥{p}%", "%"), ("长效机制", "基本建立", None)]


def _slug(seed: int) -> str:
    return f"dept-{seed:04d}"


def _indicator(rng: random.Random, ident: str, kind: str) -> tuple[Indicator, str, str | None]:
    if kind == "数量指标":
        name, pattern, unit = rng.choice(QUANTITY)
        n = rng.randint(5, 500)
        target = pattern.format(n=n)
        actual = f"{max(0, int(n * rng.uniform(0.7, 1.4)))}{unit}"
        return Indicator(ident, "产出指标", kind, name, target), actual, None
    if kind in ("质量指标", "时效指标"):
        name, pattern, unit = rng.choice(QUALITY if kind == "质量指标" else TIMELINESS)
        p = rng.choice([85, 90, 95, 98])
        target = pattern.format(p=p)
        if unit is None:
            actual = rng.choice(["11月", "12月", "10月"])
        else:
            actual = f"{min(100, round(p * rng.uniform(0.85, 1.08), 1))}%"
        return Indicator(ident, "产出指标", kind, name, target), actual, None
    if kind == "成本指标":
        cap = Decimal(rng.randint(20, 900))
        spent = (cap * Decimal(str(round(rng.uniform(0.8, 1.1), 3)))).quantize(Decimal("0.01"))
        return Indicator(ident, "产出指标", kind, "成本控制", f"≤{cap}万元"), f"{spent}万元", None
    if kind == "满意度":
        p = rng.choice([85, 90, 95])
        return (Indicator(ident, "满意度指标", "服务对象满意度指标", "服务对象满意度", f"≥{p}%"),
                f"{min(100, round(p * rng.uniform(0.9, 1.08), 1))}%", "问卷调查")
    name, pattern, unit = rng.choice(OUTCOME)
    level2 = rng.choice(["社会效益指标", "经济效益指标", "可持续影响指标"])
    if unit is None:
        tier = rng.choices(["达成", "部分达成", "未达成"], [0.8, 0.15, 0.05])[0]
        return Indicator(ident, "效益指标", level2, name, pattern), tier, None
    p = rng.choice([80, 85, 90])
    return (Indicator(ident, "效益指标", level2, name, pattern.format(p=p)),
            f"{min(100, round(p * rng.uniform(0.85, 1.1), 1))}%", None)


def _indicators(rng: random.Random, prefix: str, count: int) -> list[tuple[Indicator, str, str | None]]:
    kinds = ["数量指标", "数量指标", "质量指标", "时效指标", "成本指标", "效益", "效益", "满意度"]
    picked = [kinds[i % len(kinds)] for i in range(count - 1)] + ["满意度"]
    picked = sorted(picked, key=kinds.index)
    return [_indicator(rng, f"{prefix}{n + 1:02d}", kind) for n, kind in enumerate(picked)]


def department(seed: int, year: int, indicators: int = 20, funds: int = 3, fund_indicators: int = 10
               ) -> tuple[str, str, str]:
    """Return (slug, targets YAML, actuals YAML) of one synthetic department."""
    rng = random.Random(seed * 7919 + year)
    name = f"示例市{DISTRICTS[seed % len(DISTRICTS)]}区{BUREAUS[seed // len(DISTRICTS) % len(BUREAUS)]}（{seed:04d}）"
    dept = _indicators(rng, "D", indicators)
    projects, project_rows = [], []
    for f in range(funds):
        rows = _indicators(rng, f"P{f + 1}-", fund_indicators)
        amount = Decimal(rng.randint(10, 300))
        projects.append(Project(id=f"P{f + 1}", name=f"专项资金{f + 1}", amount=amount, period=f"{year}年度",
                                goal_year="完成年度工作任务", indicators=tuple(r[0] for r in rows)))
        project_rows.append((f"P{f + 1}", amount, rows))
    basic = Decimal(rng.randint(200, 3000))
    project_total = sum((p.amount for p in projects), Decimal(0))
    targets = Targets(
        year=year, department=name,
        budget=TargetBudget(total=basic + project_total, by_source={"一般公共预算拨款": basic + project_total},
                            by_nature={"基本支出": basic, "项目支出": project_total}),
        duties="履行本部门法定职责。", indicators=tuple(r[0] for r in dept), projects=tuple(projects),
    )

    def entry(actual: str, evidence: str | None, target: str) -> dict[str, object]:
        item: dict[str, object] = {"actual": actual}
        if actual in ("达成", "部分达成", "未达成"):
            item = {"actual": actual, "tier": actual}
        if evidence:
            item["evidence"] = evidence
        item["reason"] = "按计划推进" if rng.random() < 0.6 else None
        if item["reason"] is None:
            del item["reason"]
        return item

    total = basic + project_total
    executed = (total * Decimal(str(round(rng.uniform(0.75, 1.0), 4)))).quantize(Decimal("0.01"))
    actuals = {
        "schema": "evaluator.actuals/1", "year": year, "department": name, "money_unit": "万元",
        "budget": {"initial": float(total), "adjusted": float(total), "executed": float(executed)},
        "indicators": {ind.id: entry(a, e, ind.target) for ind, a, e in dept},
        "projects": {
            pid: {
                "budget": {"initial": float(amount), "adjusted": float(amount),
                           "executed": float((amount * Decimal(str(round(rng.uniform(0.7, 1.0), 3))))
                                             .quantize(Decimal("0.01")))},
                "indicators": {ind.id: entry(a, e, ind.target) for ind, a, e in rows},
            }
            for pid, amount, rows in project_rows
        },
        "summary": {"problems": "部分指标未完成。", "measures": "加强管理。"},
    }
    header = "# 生成的示例数据（benchmarks/generate.py），并非真实部门。\n"
    return _slug(seed), dump_targets(targets), header + yaml.safe_dump(actuals, allow_unicode=True, sort_keys=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--departments", type=int, default=5)
    parser.add_argument("--year", type=int, default=2023)
    parser.add_argument("--first", type=int, default=1)
    parser.add_argument("--indicators", type=int, default=20)
    parser.add_argument("--funds", type=int, default=3)
    parser.add_argument("--fund-indicators", type=int, default=10)
    args = parser.parse_args()
    for seed in range(args.first, args.first + args.departments):
        slug, targets, actuals = department(seed, args.year, args.indicators, args.funds, args.fund_indicators)
        for kind, text in (("targets", targets), ("actuals", actuals)):
            path = args.out / kind / str(args.year) / f"{slug}.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    print(f"wrote {args.departments} departments under {args.out}")


if __name__ == "__main__":
    main()
