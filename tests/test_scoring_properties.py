"""Properties of the scorer (hypothesis): bounds, direction-aware monotonicity, order invariance,
and the rule book evaluated on numpy columns agreeing with the same rules in exact Decimal: the same
rule, and the same score to the cent."""

from __future__ import annotations

from decimal import Decimal

from builders import actual, budget, indicator, make
from hypothesis import given, settings
from hypothesis import strategies as st

from evaluator.decimals import round_half_up
from evaluator.rules import load_rules
from evaluator.scoring import evaluate
from evaluator.scoring.arithmetic import frame_of, score_table
from evaluator.scoring.prepared import Numbers
from evaluator.scoring.rulebook import MAX_STEPS, decide_exact

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


kinds = st.sampled_from(["higher", "lower", "two-sided", "range", "qualitative", "deadline", "timing", "deduct",
                         "steps", "missing", "pending", "invalid"])
signed = st.decimals(min_value=-1000, max_value=100000, places=3, allow_nan=False, allow_infinity=False)


@st.composite
def numbers(draw) -> Numbers:
    """Any inputs the rule book may meet: signed amounts, ties, exclusive ends, steps, deductions."""
    a = draw(st.one_of(amounts, signed))
    b = draw(st.one_of(amounts, signed, st.just(a)))  # equal to the target, often
    u = a + draw(amounts)
    bounds = sorted(set(draw(st.lists(st.decimals(min_value=-10, max_value=100, places=1), max_size=MAX_STEPS))))
    shares = [draw(st.decimals(min_value=0, max_value=1, places=2)) for _ in bounds]
    padding = (None,) * (MAX_STEPS - len(bounds))
    return Numbers(
        a=a, u=u, b=b, w=draw(points), pct=Decimal(draw(st.integers(0, 100))), strict=draw(st.booleans()),
        li=draw(st.booleans()), ui=draw(st.booleans()), l=draw(signed), p=draw(st.sampled_from(
            [Decimal(1), Decimal(5), Decimal("0.5"), Decimal("0.1")])), d=draw(st.decimals(min_value="0.1", max_value=5,
                                                                                   places=2)),
        side=draw(st.sampled_from([1, -1])), k=tuple(bounds) + padding, s=tuple(shares) + padding,
        sb=draw(st.decimals(min_value=0, max_value=1, places=2)), linear=draw(st.booleans()),
    )


@settings(max_examples=500, deadline=None)
@given(kind=kinds, values=numbers(), rules=rule_sets)
def test_vectorised_scores_equal_the_exact_reference(kind, values, rules):
    """One definition of each rule: numpy over columns and Decimal row by row pick the same rule and score."""
    frame = score_table(frame_of([kind], [values]), rules)
    rule, share = decide_exact(kind, values)
    assert frame["rule"].iloc[0] == rule.name
    exact = round_half_up(values.w * share, rules.decimals)
    assert Decimal(int(frame["cents"].iloc[0])).scaleb(-rules.decimals) == exact


@settings(max_examples=100, deadline=None)
@given(batch=st.lists(st.tuples(kinds, numbers()), min_size=2, max_size=12), rules=rule_sets)
def test_a_table_of_many_rows_scores_each_row_as_alone(batch, rules):
    together = score_table(frame_of([k for k, _ in batch], [n for _, n in batch]), rules)
    for position, (kind, values) in enumerate(batch):
        alone = score_table(frame_of([kind], [values]), rules)
        assert together["rule"].iloc[position] == alone["rule"].iloc[0]
        assert together["cents"].iloc[position] == alone["cents"].iloc[0]


def test_a_float_tie_is_resolved_exactly():
    """1.005 × 1 is 1.00499999… in binary floating point; the exact half-up result is 1.01."""
    rules = RULE_SETS[0]
    frame = score_table(frame_of(["higher"], [Numbers(a=Decimal(1), b=Decimal(1), w=Decimal("1.005"))]), rules)
    assert int(frame["cents"].iloc[0]) == 101 and frame["rule"].iloc[0] == "higher-met"


def test_long_inputs_are_decided_exactly():
    """0.3000000000000000001 > 0.3, though both are the same float: the exact rules see the difference."""
    rules = RULE_SETS[0]
    close = Numbers(a=Decimal("0.3"), b=Decimal("0.3000000000000000001"), w=Decimal(10), strict=True)
    frame = score_table(frame_of(["higher"], [close]), rules)
    assert frame["rule"].iloc[0] == "higher-met"
