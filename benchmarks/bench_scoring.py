"""Benchmark: score 1,000,000 indicators and parse 1,000,000 value strings (not a test).

Run: python benchmarks/bench_scoring.py [--rows 1000000]
Prints rows per second and peak memory; the figures go into benchmarks/RESULTS.md by hand.

Three measurements:
  1. the arithmetic core, ``score_table``, on 1,000,000 prepared rows (the table of the architecture:
     one row per indicator, column operations) — the goal is ≥ 1,000,000 rows/s;
  2. the whole ``evaluate`` (parse, units, points, arithmetic, explanations, objects) on synthetic
     departments, for the end-to-end cost per indicator;
  3. ``parse_value`` over 1,000,000 strings drawn from a realistic repeated vocabulary (218 distinct strings,
     so this measures cache hits, not parsing) — goal < 5 s.
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from evaluator.language.values import parse_value  # noqa: E402
from evaluator.model import Actuals, BudgetActual, Indicator, IndicatorActual, Targets  # noqa: E402
from evaluator.rules import load_rules  # noqa: E402
from evaluator.scoring.arithmetic import score_table  # noqa: E402
from evaluator.scoring.pipeline import evaluate  # noqa: E402

TARGET_STRINGS = [
    "≥10次", "≥90%", "90%以上", "100%", "≤790.64万元", "≤36万", "不低于95%", "有所提升", "效果明显", "1年",
    "≥500人", "12月底前", "≧100%", "═100%", "≥15年", "不少于12 种", "≤5%", "0起", "达成预期指标", "良好",
]
ACTUAL_STRINGS = [
    "12次", "88%", "95%", "100%", "801.37万元", "35.2万元", "97.3%", "有所提升", "达成预期指标", "1年", "620人",
    "10月", "98%", "200余人", "15年", "14种", "3%", "0起", "部分达成", "良好", "352000元", "基本完成",
]


def prepared_frame(rows: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    kinds = rng.choice(["higher", "lower", "two-sided", "range", "qualitative", "deadline", "missing"], rows,
                       p=[0.45, 0.15, 0.05, 0.05, 0.2, 0.05, 0.05])
    a = np.round(rng.uniform(1, 1000, rows), 2)
    b = np.round(a * rng.uniform(0.5, 1.5, rows), 2)
    w = rng.choice([2.5, 5.0, 7.5, 10.0, 12.5], rows)
    return pd.DataFrame({
        "kind": kinds, "strict": np.zeros(rows, dtype=bool), "A": a, "U": a * 1.1, "B": b, "W": w,
        "pct": rng.choice([100.0, 70.0, 30.0], rows),
        # exact values are only read for near-tie rows; Decimal objects are built lazily by the caller in practice
        "A_exact": [Decimal(repr(x)) for x in a.tolist()], "U_exact": [Decimal(repr(x)) for x in (a * 1.1).tolist()],
        "B_exact": [Decimal(repr(x)) for x in b.tolist()], "W_exact": [Decimal(repr(x)) for x in w.tolist()],
        "pct_exact": [Decimal(100)] * rows,
    })


def synthetic_department(n: int, seed: int) -> tuple[Targets, Actuals]:
    rng = random.Random(seed)
    groups = [("产出指标", "数量指标")] * 5 + [("效益指标", "社会效益指标")] * 3 + [("满意度指标", "服务对象满意度指标")]
    indicators, entries = [], {}
    for i in range(n):
        level1, level2 = groups[i % len(groups)]
        ident = f"D{i:03}"
        indicators.append(Indicator(ident, level1, level2, f"指标{i}", rng.choice(TARGET_STRINGS)))
        entries[ident] = IndicatorActual(ident, actual=rng.choice(ACTUAL_STRINGS))
    targets = Targets(year=2023, department=f"部门{seed}", indicators=tuple(indicators), source="t", sha256="")
    actuals = Actuals(year=2023, department=f"部门{seed}",
                      budget=BudgetActual(Decimal(100), Decimal(100), Decimal(rng.randint(60, 100))),
                      indicators=entries, source="a", sha256="")
    return targets, actuals


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--departments", type=int, default=2_000)
    args = parser.parse_args()
    rules = load_rules("national-2020")

    frame = prepared_frame(args.rows)
    tracemalloc.start()
    start = time.perf_counter()
    scored = score_table(frame, rules)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"score_table: {args.rows:,} rows in {elapsed:.3f} s = {args.rows / elapsed:,.0f} rows/s; "
          f"peak traced memory {peak / 2**20:.0f} MiB; scored cents sum {int(scored['cents'].sum())}")

    departments = [synthetic_department(20, seed) for seed in range(args.departments)]
    start = time.perf_counter()
    total = 0
    for targets, actuals in departments:
        total += len(evaluate(targets, actuals, rules).evaluations[0].indicators)
    elapsed = time.perf_counter() - start
    print(f"evaluate: {total:,} indicators in {args.departments:,} departments in {elapsed:.2f} s = "
          f"{total / elapsed:,.0f} indicators/s end to end")

    rng = random.Random(7)
    vocabulary = TARGET_STRINGS + ACTUAL_STRINGS + [f"≥{rng.randint(1, 999)}次" for _ in range(200)]
    strings = [rng.choice(vocabulary) for _ in range(1_000_000)]
    parse_value.cache_clear() if hasattr(parse_value, "cache_clear") else None
    start = time.perf_counter()
    for text in strings:
        parse_value(text)
    elapsed = time.perf_counter() - start
    print(f"parse_value: 1,000,000 strings ({len(set(strings))} distinct) in {elapsed:.2f} s")
    print(f"max RSS of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
