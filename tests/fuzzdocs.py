"""Hypothesis strategies for targets and actuals documents: valid ones, and the same mutated.

A document is built as plain Python data (what a YAML file holds), then written as YAML text:

* ``pairs()``: a targets document and an actuals document that belong together (same year, department,
  ids), with values drawn from the vocabulary of real forms and generated numbers and units;
* ``mutated_pairs()``: the same, then changed at random places: a value of the wrong type, a key
  removed or added, extreme numbers, NaN and infinities, control characters, 10,000-character strings,
  and now and then the YAML text itself cut or spliced with raw bytes.

Used by tests/test_fuzz.py (a bounded number of examples in the normal suite) and for longer runs
(``EVALUATOR_FUZZ_EXAMPLES``, see benchmarks/RESULTS.md).
"""

from __future__ import annotations

import math
from typing import Any

import yaml
from hypothesis import strategies as st

LEVELS = [
    ("产出指标", "数量指标"), ("产出指标", "质量指标"), ("产出指标", "时效指标"), ("产出指标", "成本指标"),
    ("效益指标", "社会效益指标"), ("效益指标", "经济效益指标"), ("效益指标", "可持续影响指标"),
    ("满意度指标", "服务对象满意度指标"),
]
UNITS = ["次", "人", "人次", "%", "万元", "元", "个", "项", "天", "年", "份", "家", "公里", "吨", ""]
OPS = ["≥", "≤", ">", "<", "=", "", "不低于", "不超过", "约", "≧", "═"]
WORDS = ["有所提升", "明显提高", "达成预期指标", "良好", "无", "/", "12月底前", "2023年12月31日前", "1年",
         "基本建立", "90%以上", "100%", "≥95%", "≤790.64万元", "部分达成", "较好", "零投诉", "0起"]
TIERS = ["达成", "部分达成", "未达成"]
NASTY_TEXT = [
    "", " ", "\x00", "\x07响铃", "\x1b[31m红", "\u2028行分隔", "\ufeffBOM", "a\tb", "<script>alert(1)</script>",
    "=cmd|' /C calc'!A0", "'", '"', "\\", "${x}", "{{ x }}", "∞", "NaN", "Infinity", "-0", "1e400", "1e-400",
    "١٢٣", "１２３次", "≥1e309次", "≥-5次", "≤0万元", "0%", "-100%", "999999999999999999999次",
]
EXTREME_NUMBERS = [0, -1, 10**400, -(10**400), 1e308, -1e308, 1e-320, 2**63, 0.1, 123456789.123456789]
NON_FINITE = [math.nan, math.inf, -math.inf]


EDGE_NUMBERS = ["0", "0.000001", "999999999999999", "999999999999999.99", "0.0000001", "1e15", "1e400", "1E-400",
                "99999999999999999999999999999999", "-0", "+5", ".5", "5.", "1,000", "１２", "三千", "一万亿亿"]
AMOUNTS = st.one_of(st.integers(0, 5000), st.sampled_from([0, 0.000001, 999999999999999, 123456789012.34, 0.01]))


def _number_text(draw: Any) -> str:
    value = draw(st.one_of(st.integers(0, 1000), st.decimals(0, 10000, places=2, allow_nan=False),
                           st.sampled_from(EDGE_NUMBERS)))
    return str(value)


@st.composite
def values(draw: Any) -> str:
    """An 指标值 or 实际完成值 as people write them."""
    if draw(st.booleans()):
        return draw(st.sampled_from(WORDS))
    return f"{draw(st.sampled_from(OPS))}{_number_text(draw)}{draw(st.sampled_from(UNITS))}"


@st.composite
def pairs(draw: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """A targets document and its actuals document, valid by formats.md §1–§2."""
    year = draw(st.integers(2015, 2030))
    department = draw(st.sampled_from(["测试局", "株洲市石峰区人民代表大会常务委员会", "某某镇人民政府"]))
    unit = draw(st.sampled_from(["万元", "元", "千元", "亿元"]))
    count = draw(st.integers(0, 8))
    indicators, entries = [], {}
    for n in range(count):
        level1, level2 = draw(st.sampled_from(LEVELS))
        item: dict[str, Any] = {"id": f"D{n + 1:02d}", "level1": level1, "level2": level2,
                                "name": f"指标{n + 1}", "target": draw(values())}
        if draw(st.integers(0, 4)) == 0:
            item["points"] = draw(st.sampled_from([5, 10, 12.5, 20, 0, 0.000001, 999999999999999]))
        if draw(st.integers(0, 5)) == 0:
            item["direction"] = draw(st.sampled_from(["higher", "lower", "equal", "qualitative", "deadline"]))
        indicators.append(item)
        if draw(st.integers(0, 5)) > 0:
            entry: dict[str, Any] = {"actual": draw(values())}
            if draw(st.booleans()):
                entry["tier"] = draw(st.sampled_from(TIERS))
            if draw(st.integers(0, 3)) == 0:
                entry["pct"] = draw(st.integers(0, 100))
            if draw(st.integers(0, 3)) == 0:
                entry["reason"] = "原因"
            if draw(st.integers(0, 4)) == 0:
                entry["claimed"] = draw(st.sampled_from([0, 5, 10, 12.5, 999999999999999]))
            if draw(st.integers(0, 6)) == 0:
                entry["deduction"] = draw(st.sampled_from([0, 1, 0.000001, 100]))
            entries[item["id"]] = entry
    projects, project_actuals = [], {}
    for p in range(draw(st.integers(0, 2))):
        pid = f"P{p + 1}"
        items = [{"id": f"{pid}-{n + 1:02d}", "level1": "产出指标", "level2": "数量指标", "name": f"专项指标{n}",
                  "target": draw(values())} for n in range(draw(st.integers(0, 3)))]
        projects.append({"id": pid, "name": f"专项{p + 1}", "amount": draw(AMOUNTS), "indicators": items})
        project_actuals[pid] = {
            "budget": {"initial": draw(AMOUNTS), "adjusted": draw(AMOUNTS), "executed": draw(AMOUNTS)},
            "indicators": {i["id"]: {"actual": draw(values())} for i in items},
        }
    total = draw(AMOUNTS)
    targets: dict[str, Any] = {
        "schema": "evaluator.targets/1", "year": year, "department": department, "money_unit": unit,
        "budget": {"total": total, "by_source": {"一般公共预算拨款": total}},
        "indicators": indicators,
    }
    if projects:
        targets["projects"] = projects
    initial = draw(AMOUNTS)
    actuals: dict[str, Any] = {
        "schema": "evaluator.actuals/1", "year": year, "department": department, "money_unit": unit,
        "budget": {"initial": initial, "adjusted": draw(st.sampled_from([initial, draw(AMOUNTS)])),
                   "executed": draw(AMOUNTS)},
        "indicators": entries,
    }
    if project_actuals:
        actuals["projects"] = project_actuals
    return targets, actuals


def _paths(document: Any, prefix: tuple = ()) -> list[tuple]:
    """Every place in a document: (key or index, …) down to each value."""
    found = [prefix]
    if isinstance(document, dict):
        for key, value in document.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(document, list):
        for index, value in enumerate(document):
            found += _paths(value, (*prefix, index))
    return found


REPLACEMENTS = st.one_of(
    st.sampled_from(NASTY_TEXT),
    st.sampled_from(EXTREME_NUMBERS),
    st.sampled_from(NON_FINITE),
    st.sampled_from([None, True, False, [], {}, [1, 2], {"x": 1}, "10000"]),
    st.builds(lambda ch, n: ch * n, st.sampled_from(["长", "a", "≥", "\u0301"]), st.sampled_from([10_000, 257])),
    st.text(max_size=30),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
)


@st.composite
def mutated(draw: Any, document: dict[str, Any]) -> dict[str, Any]:
    """The document with one to four places changed: replaced, deleted, or given an unknown key."""
    document = yaml.safe_load(yaml.safe_dump(document, allow_unicode=True))  # a deep copy
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(document)
        path = draw(st.sampled_from(paths))
        if not path:
            continue
        parent = document
        for step in path[:-1]:
            parent = parent[step]
        action = draw(st.sampled_from(["replace", "replace", "replace", "delete", "add"]))
        if action == "delete":
            del parent[path[-1]]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["extra", "ｉｄ", "", "<<", "target "]))] = draw(REPLACEMENTS)
        else:
            parent[path[-1]] = draw(REPLACEMENTS)
    return document


def to_yaml(document: Any) -> str:
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=1_000_000)


@st.composite
def raw_damage(draw: Any, text: str) -> str:
    """The YAML text cut short, or with raw bytes spliced in (a tab, NUL, a stray quote or bracket)."""
    if not text or draw(st.integers(0, 3)):
        return text
    position = draw(st.integers(0, len(text)))
    if draw(st.booleans()):
        return text[:position]
    return text[:position] + draw(st.sampled_from(["\t", "\x00", "'", "\"", "[", "{", ": ", "\n- ", "&a", "*a",
                                                   "!!python/object:os.system", "\r", "\x85", "---\n"])) + text[position:]


@st.composite
def mutated_pairs(draw: Any) -> tuple[str, str]:
    """A targets text and an actuals text, one or both mutated."""
    targets, actuals = draw(pairs())
    which = draw(st.sampled_from(["targets", "actuals", "both"]))
    if which in ("targets", "both"):
        targets = draw(mutated(targets))
    if which in ("actuals", "both"):
        actuals = draw(mutated(actuals))
    return draw(raw_damage(to_yaml(targets))), draw(raw_damage(to_yaml(actuals)))
