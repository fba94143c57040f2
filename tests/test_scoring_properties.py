"""Properties of the scorer (hypothesis): bounds, direction-aware monotonicity, order invariance,
and the vectorised arithmetic agreeing with the exact Decimal reference to the cent."""

from __future__ import annotations

from decimal import Decimal

from builders import actual, budget, indicator, make
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluator.decimals import round_half_up
from evaluator.rules import load_rules
from evaluator.scoring import evaluate
from evaluator.scoring.arithmetic import exact_fraction, score_table

RULE_SETS = [load_rules(name) for name in ("national-2020", "platform-linear", "hb-2020")]

amounts = st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False)
positive = st.decimals(min_value="0.01", max_value=100000, places=2, allow_nan=False, allow_infinity=False)
points = st.decimals(min_value="0.5", max_value=50, places=2, allow_nan=False, allow_infinity=False)
ops = st.sampled_from(["≥", "≤", ">", "<", "", "="])
rule_sets = st.sampled_from(RULE_SETS)


def _score(op: str, target: Decimal, value: Decimal, weight: Decimal, rules) -> Decimal:
    targets, actuals = make([indicator("D01", f"{op}{target}万元", points=weight)], [actual("D01", f"{value}万元")])
    return evaluate(targets, actuals, rules).evaluations[0].indicators[0].score


@settings(max_examples=150, deadline=None)
@given(op=ops, target=positive, value=amounts, weight=points, rules=rule_sets)
def test_score_lies_between_zero_and_the_points(op, target, value, weight, rules):
    assert Decimal(0) <= _score(op, target, value, weight, rules) <= weight


@settings(max_examples=150, deadline=None)
@given(target=positive, value=amounts, extra=amounts, weight=points, rules=rule_sets)
def test_more_never_lowers_a_higher_is_better_score(target, value, extra, weight, rules):
    assert _score("≥", target, value, weight, rules) <= _score("≥", target, value + extra, weight, rules)


@settings(max_examples=150, deadline=None)
@given(target=positive, value=amounts, extra=amounts, weight=points, rules=rule_sets)
def test_more_never_raises_a_lower_is_better_score(target, value, extra, weight, rules):
    assert _score("≤", target, value, weight, rules) >= _score("≤", target, value + extra, weight, rules)


indicator_specs = st.lists(
    st.tuples(st.sampled_from(["≥", "≤", ""]), positive, amounts, st.sampled_from(["产出指标", "效益指标", "满意度指标"])),
    min_size=1, max_size=8,
)


@settings(max_examples=60, deadline=None)
@given(specs=indicator_specs, executed=amounts, order=st.randoms(use_true_random=False), rules=rule_sets)
def test_total_is_at_most_100_and_does_not_depend_on_order(specs, executed, order, rules):
    inds = [indicator(f"D{n:02}", f"{op}{t}次", level1=level1) for n, (op, t, _, level1) in enumerate(specs)]
    acts = [actual(f"D{n:02}", f"{b}次") for n, (_, _, b, _) in enumerate(specs)]
    line = budget(100, 100, executed)
    first = evaluate(*make(inds, acts, budget_line=line), rules).evaluations[0]
    shuffled = list(zip(inds, acts, strict=True))
    order.shuffle(shuffled)
    again = evaluate(*make([i for i, _ in shuffled], [a for _, a in shuffled], budget_line=line), rules).evaluations[0]
    assert Decimal(0) <= first.total <= Decimal(100)
    assert {r.id: (r.points, r.score) for r in first.indicators} == {r.id: (r.points, r.score) for r in again.indicators}
    assert first.total == again.total


kinds = st.sampled_from(["higher", "lower", "two-sided", "range", "qualitative", "deadline", "missing"])


@settings(max_examples=400, deadline=None)
@given(
    kind=kinds, a=amounts, width=amounts, b=amounts, w=points, pct=st.integers(0, 100), strict=st.booleans(),
    rules=rule_sets,
)
def test_vectorised_scores_equal_the_exact_reference(kind, a, width, b, w, pct, strict, rules):
    import pandas as pd

    u = a + width
    frame = pd.DataFrame({
        "kind": [kind], "strict": [strict], "A": [float(a)], "U": [float(u)], "B": [float(b)], "W": [float(w)],
        "pct": [float(pct)], "A_exact": [a], "U_exact": [u], "B_exact": [b], "W_exact": [w],
        "pct_exact": [Decimal(pct)],
    })
    cents = int(score_table(frame, rules)["cents"].iloc[0])
    exact = round_half_up(w * exact_fraction(kind, a, u, b, Decimal(pct), strict, rules), rules.decimals)
    assert Decimal(cents).scaleb(-rules.decimals) == exact


def test_a_float_tie_is_resolved_exactly():
    """1.005 × 1 is 1.00499999… in binary floating point; the exact half-up result is 1.01."""
    import pandas as pd

    rules = RULE_SETS[0]
    frame = pd.DataFrame({
        "kind": ["higher"], "strict": [False], "A": [1.0], "U": [float("nan")], "B": [1.0], "W": [1.005],
        "pct": [float("nan")], "A_exact": [Decimal(1)], "U_exact": [None], "B_exact": [Decimal(1)],
        "W_exact": [Decimal("1.005")], "pct_exact": [None],
    })
    assert int(score_table(frame, rules)["cents"].iloc[0]) == 101
