"""Benchmark: score 1,000,000 indicators and parse 1,000,000 value strings (not a test).

Run: python benchmarks/bench_scoring.py [--rows 1000000]
Prints wall and CPU time (the machine is shared: CPU time is what this process used) and peak
memory; the figures go into benchmarks/RESULTS.md by hand.

Measurements, each in one process:
  1. the rule book on columns, ``score_columns`` (and ``score_table``, its DataFrame form), on 1,000,000
     prepared rows (one row per indicator, every kind of row) — the goal is ≥ 1,000,000 rows/s;
  2. ``evaluate`` one department at a time and ``evaluate_many`` (all departments as one table) on
     synthetic departments, end to end (parse, units, points, rules, explanations, objects);
  3. ``parse_value`` on DISTINCT strings: every string of a vocabulary of 120,000 distinct realistic
     values (``vocabulary.py``), the cache cleared first: the cost of reading a value the first time;
  4. ``parse_value`` on 1,000,000 strings drawn from that vocabulary with a Zipf-like skew (113,000 of
     them distinct), the cache cleared first — goal ≤ 5 s;
  5. the same 1,000,000 strings again: every one a cache hit.
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
sys.path.insert(0, str(Path(__file__).resolve().parent))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from vocabulary import draw, vocabulary  # noqa: E402

from evaluator.language.values import _parse_text, parse_value  # noqa: E402
from evaluator.model import Actuals, BudgetActual, Indicator, IndicatorActual, Targets  # noqa: E402
from evaluator.rules import load_rules  # noqa: E402
from evaluator.scoring.arithmetic import _from_frame, frame_of, score_columns, score_table  # noqa: E402
from evaluator.scoring.pipeline import evaluate, evaluate_many  # noqa: E402
from evaluator.scoring.prepared import Numbers  # noqa: E402

TARGET_STRINGS = [
    "≥10次", "≥90%", "90%以上", "100%", "≤790.64万元", "≤36万", "不低于95%", "有所提升", "效果明显", "1年",
    "≥500人", "12月底前", "≧100%", "═100%", "≥15年", "不少于12 种", "≤5%", "0起", "达成预期指标", "良好",
    "按时拨付", "无重大安全事故", "≤10/10万", "规范", "长期",
]
ACTUAL_STRINGS = [
    "12次", "88%", "95%", "100%", "801.37万元", "35.2万元", "97.3%", "有所提升", "达成预期指标", "1年", "620人",
    "10月", "98%", "200余人", "15年", "14种", "3%", "0起", "部分达成", "良好", "352000元", "基本完成",
    "已按时拨付", "延期完成", "有所改善", "未发生", "8/10万", "不规范", "持续发挥作用", "0.92", "还行",
]


def prepared_frame(rows: int, seed: int = 1) -> pd.DataFrame:
    """A prepared table of every kind of row (the exact Numbers are built here, outside the timing)."""
    rng = np.random.default_rng(seed)
    kinds = rng.choice(["higher", "lower", "two-sided", "range", "qualitative", "deadline", "timing", "missing",
                        "pending"], rows, p=[0.4, 0.15, 0.05, 0.05, 0.2, 0.05, 0.04, 0.03, 0.03])
    a = np.round(rng.uniform(1, 1000, rows), 2)
    b = np.round(a * rng.uniform(0.5, 1.5, rows), 2)
    w = rng.choice([2.5, 5.0, 7.5, 10.0, 12.5], rows)
    pct = rng.choice([100, 70, 30], rows)
    rows_of = zip(a.tolist(), b.tolist(), w.tolist(), pct.tolist(), strict=True)
    numbers = [Numbers(a=Decimal(repr(x)), u=Decimal(repr(round(x * 1.1, 2))), b=Decimal(repr(y)),
                       w=Decimal(repr(z)), pct=Decimal(int(p))) for x, y, z, p in rows_of]
    return frame_of(kinds.tolist(), numbers)


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


def _timed(label: str, work) -> object:  # type: ignore[no-untyped-def]
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{label}: {wall:.2f} s wall, {cpu:.2f} s CPU")
    return result


def _rule_book(rows: int, rules) -> None:  # type: ignore[no-untyped-def]
    frame = prepared_frame(rows)
    columns = _from_frame(frame)
    for label, work in (("score_columns (the path evaluate takes)", lambda: score_columns(columns, rules)),
                        ("score_table (the same on a DataFrame)", lambda: score_table(frame, rules))):
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        print(f"{label}: {rows:,} rows in {wall:.3f} s wall, {cpu:.3f} s CPU = {rows / cpu:,.0f} rows/s (CPU)")
    tracemalloc.start()
    score_columns(columns, rules)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    exact = int((frame["long"] | np.isin(frame["kind"], ["deduct"])).sum())
    print(f"score_columns: peak traced memory {peak / 2**20:.0f} MiB (timed apart: tracing slows it); "
          f"{exact} rows decided again in Decimal")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--departments", type=int, default=2_000)
    args = parser.parse_args()
    rules = load_rules("national-2020")

    _rule_book(args.rows, rules)

    departments = [synthetic_department(20, seed) for seed in range(args.departments)]
    count = sum(len(t.indicators) for t, _ in departments)
    one_by_one = _timed(f"evaluate, {args.departments:,} departments one at a time ({count:,} indicators)",
                        lambda: [evaluate(t, a, rules) for t, a in departments])
    together = _timed("evaluate_many, the same departments as one table", lambda: evaluate_many(departments, rules))
    assert [r.dumps() for r in one_by_one] == [r.dumps() for r in together]  # type: ignore[union-attr]

    values = vocabulary()
    _parse_text.cache_clear()
    _timed(f"parse_value, {len(values):,} DISTINCT strings, cache cleared", lambda: [parse_value(v) for v in values])
    strings = draw(values, 1_000_000)
    _parse_text.cache_clear()
    _timed(f"parse_value, 1,000,000 realistic strings ({len(set(strings)):,} distinct), cache cleared",
           lambda: [parse_value(v) for v in strings])
    _timed("parse_value, the same 1,000,000 strings again (all cache hits)", lambda: [parse_value(v) for v in strings])
    print(f"max RSS of the process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
