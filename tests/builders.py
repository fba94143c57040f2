"""Build Targets and Actuals in code for scoring tests (no files)."""

from __future__ import annotations

from decimal import Decimal

from evaluator.model import Actuals, BudgetActual, Indicator, IndicatorActual, Project, ProjectActual, Targets


def D(value: object) -> Decimal:
    return Decimal(str(value))


def indicator(
    id: str, target: str, *, level1: str = "产出指标", level2: str = "数量指标", name: str | None = None,
    points: object = None, direction: str | None = None,
) -> Indicator:
    return Indicator(
        id=id, level1=level1, level2=level2, name=name or f"指标{id}", target=target,
        points=None if points is None else D(points), direction=direction,
    )


def actual(id: str, value: str | None = None, **extra: object) -> IndicatorActual:
    converted = {k: (D(v) if k in ("pct", "claimed", "deduction") and v is not None else v) for k, v in extra.items()}
    return IndicatorActual(id=id, actual=value, **converted)  # type: ignore[arg-type]


def budget(initial: object = None, adjusted: object = None, executed: object = None, **extra: object) -> BudgetActual:
    return BudgetActual(
        initial=None if initial is None else D(initial), adjusted=None if adjusted is None else D(adjusted),
        executed=None if executed is None else D(executed),
        claimed=None if extra.get("claimed") is None else D(extra["claimed"]), reason=extra.get("reason"),  # type: ignore[arg-type]
    )


def make(
    indicators: list[Indicator], actuals: list[IndicatorActual], *, budget_line: BudgetActual | None = None,
    projects: list[tuple[Project, ProjectActual]] = (), claimed_total: object = None, year: int = 2023,
) -> tuple[Targets, Actuals]:
    targets = Targets(
        year=year, department="测试局", indicators=tuple(indicators), projects=tuple(p for p, _ in projects),
        source="t.yaml", sha256="0" * 64,
    )
    acts = Actuals(
        year=year, department="测试局", budget=budget_line or budget(100, 100, 100),
        indicators={a.id: a for a in actuals}, projects={pa.id: pa for _, pa in projects},
        claimed_total=None if claimed_total is None else D(claimed_total), source="a.yaml", sha256="1" * 64,
    )
    return targets, acts
