"""evaluate_many scores many departments as ONE table, with results identical to evaluate one by one."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import actual, indicator, make
from cases import CASES as CASE_FOLDER
from cases import case_inputs, load_case
from test_wording import TABLE, score_pair

from evaluator.io.load import load_inputs
from evaluator.io.previous import previous_year
from evaluator.rules import load_rules
from evaluator.scoring import evaluate, evaluate_many

REPO = Path(__file__).resolve().parent.parent


def _departments():
    """The shipped examples (every year, previous years loaded), every published case, and the wording table."""
    items, previous = [], []
    for targets_path in sorted((REPO / "targets").glob("*/*.yaml")):
        actuals_path = REPO / "actuals" / targets_path.parent.name / targets_path.name
        targets, actuals = load_inputs(targets_path, actuals_path if actuals_path.exists() else None)
        items.append((targets, actuals))
        previous.append(previous_year(targets, targets_path, actuals_path))
    for path in sorted(CASE_FOLDER.glob("*.yaml")):
        items.append(case_inputs(load_case(path.name[:2])))
        previous.append(None)
    for position, (target, value, _, _, options) in enumerate(TABLE):
        if "prev" in options:
            continue
        level = {k: v for k, v in options.items() if k in ("level1", "level2", "name")}
        entry = {k: v for k, v in options.items() if k in ("tier", "pct")}
        items.append(make([indicator(f"D{position:03}", target, points=10, **level)],
                          [actual(f"D{position:03}", value, **entry)]))
        previous.append(None)
    return items, previous


@pytest.mark.parametrize("rules", ["national-2020", "platform-linear", "hb-2020", "hunan-dept"])
def test_one_table_for_all_departments_gives_byte_identical_results(rules):
    rule_set = load_rules(rules)
    items, previous = _departments()
    together = evaluate_many(items, rule_set, previous=previous)
    assert len(together) == len(items) > 250
    for (targets, actuals), before, result in zip(items, previous, together, strict=True):
        assert result.dumps() == evaluate(targets, actuals, rule_set, previous=before).dumps()


def test_the_order_of_departments_does_not_change_a_result():
    rule_set = load_rules("national-2020")
    items, previous = _departments()
    forward = evaluate_many(items, rule_set, previous=previous)
    backward = evaluate_many(items[::-1], rule_set, previous=previous[::-1])[::-1]
    assert [r.dumps() for r in forward] == [r.dumps() for r in backward]


def test_previous_must_match_the_departments():
    with pytest.raises(ValueError, match="previous has 0 entries for 1 departments"):
        evaluate_many([make([indicator("D01", "≥1次")], [])], load_rules("national-2020"), previous=[])


def test_score_pair_is_the_one_department_case():
    assert score_pair("≥90%", "0.92", {}).score == evaluate_many(
        [make([indicator("D01", "≥90%", points=10)], [actual("D01", "0.92")])], load_rules("national-2020"),
    )[0].evaluations[0].indicators[0].score
