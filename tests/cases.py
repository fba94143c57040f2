"""Turn a published 自评表 (tests/data/cases/*.yaml) into targets + actuals for scoring.

The published 分值 become ``points`` and the published 得分 become ``claimed``, so that scoring
either reproduces each published score or its review says why the rules do not support it.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from evaluator.language.units import convert
from evaluator.language.values import parse_value
from evaluator.model import Actuals, BudgetActual, Indicator, IndicatorActual, Targets

CASES = Path(__file__).parent / "data" / "cases"
# Case 45 is not a published 自评表: it is the Hunan FY2018 rows quoted in shared/reference/rules-hunan.md
# (a secondary transcription of a department-wide evaluation table, scored only under hunan-dept). It is
# scored in test_cases.py, but not written out as an official form nor reviewed under national-2020.
TRANSCRIBED = {"45"}


def load_case(name: str) -> dict[str, Any]:
    path = next(CASES.glob(f"{name}*.yaml"))
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _number(text: Any) -> Decimal | None:
    if text in (None, ""):
        return None
    value = str(text).strip().rstrip("%")
    try:
        return Decimal(value)
    except ArithmeticError:
        return None


def _money(text: Any, unit: str) -> Decimal | None:
    """Read a budget cell in 万元: "150万" → 150, "387664.62" in 元 → 38.766462."""
    if text in (None, ""):
        return None
    parsed = parse_value(str(text))
    if parsed.number is None:
        return None
    return convert(parsed.number, parsed.unit or unit, "万元")


def case_inputs(case: dict[str, Any], points_override: dict[int, str] | None = None) -> tuple[Targets, Actuals]:
    """Return (targets, actuals) with published 分值 as points and 得分 as claimed, in 万元; ``base`` as 基础数据."""
    unit = case["budget"].get("unit") or "万元"
    indicators, entries = [], {}
    for n, row in enumerate(case["indicators"]):
        points = (points_override or {}).get(n) or row.get("points") or row.get("points_inferred")
        ident = f"D{n + 1:02}"
        indicators.append(Indicator(
            id=ident, level1=row.get("level1") or "", level2=row.get("level2") or "", name=row.get("name") or ident,
            target=str(row["target"]) if row.get("target") is not None else "", points=_number(points),
        ))
        if row.get("actual") is not None or row.get("score_published") is not None:
            entries[ident] = IndicatorActual(
                id=ident, actual=str(row["actual"]) if row.get("actual") is not None else None,
                claimed=_number(row.get("score_published")), reason=row.get("deviation_note"),
            )
    budget = dict(case["budget"])
    if budget.get("adjusted") is None and budget.get("executed") is None and budget.get("rate_published"):
        # OCR lost the amounts but kept the rate: a budget of 100 executed at that rate carries the same rate.
        budget.update(adjusted="100", executed=str(_number(budget["rate_published"])))
        unit = "万元"
    targets = Targets(year=case["year"], department=case["department"], indicators=tuple(indicators),
                      source=f"{case['region']}", sha256="")
    base = {key: Decimal(str(value)) for key, value in (case.get("base") or {}).items()}
    actuals = Actuals(
        year=case["year"], department=case["department"], base=base,
        budget=BudgetActual(
            initial=_money(budget.get("initial"), unit), adjusted=_money(budget.get("adjusted"), unit),
            executed=_money(budget.get("executed"), unit), claimed=_number(budget.get("score_published")),
        ),
        indicators=entries, claimed_total=_number(case.get("total_published")), source="published", sha256="",
    )
    return targets, actuals
