"""Department-wide standard indicators (部门整体支出共性指标): recognised by name, with their standard and formula.

财预〔2013〕53号 附2 lists indicators that every department-wide table may carry (在职人员控制率,
"三公经费"变动率, 预算完成率 …); Hunan's department-wide table (rules-hunan.md) scores several of them.
Department tables often leave their 指标值 empty: the published score then follows the indicator's
own standard (≤100%, ≤0, 100%). ``standard_of`` recognises such an indicator by its name and gives

* ``target``: the standard 指标值 to read when the table leaves it empty ("≤100%"), or None where the
  framework fixes no number (预算调整率: lower is better, but how low is for the rule set to say);
* ``direction``: which way it is scored, also when a bare number is written ("100%");
* ``formulas``: how its actual is computed from the 基础数据 a department records (``actuals.base``),
  tried in order; the first whose inputs are all recorded is used.

Every use is disclosed where the score is shown ("按标准 ≤100% 理解"). The status of each entry: the
53号 formulas are [D] in rules.md §1.8 (stated from the document, passage not read), the Hunan forms
[S] (a secondary copy); the standard targets follow the formula's meaning (a control rate of at most
100%, a change of at most 0).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from evaluator.language.names import normalise_name
from evaluator.language.values import Direction

__all__ = ["BASE_LABELS", "STANDARDS", "Formula", "Standard", "standard_of"]

# The base data (基础数据表) an actuals file may record under ``base``, with the words of the form.
BASE_LABELS: dict[str, str] = {
    "staff_quota": "编制数",
    "staff_actual": "实际在职人数",
    "three_public_budget": "本年“三公经费”预算数",
    "three_public_budget_last": "上年“三公经费”预算数",
    "three_public_spent": "本年“三公经费”实际支出数",
    "public_budget": "公用经费预算数",
    "public_spent": "公用经费实际支出数",
    "procurement_budget": "政府采购预算数",
    "procurement_spent": "实际政府采购金额",
    "carried_in": "上年结转",
    "added": "本年追加预算",
    "year_end_balance": "年末结余",
    "carryover_total": "结转结余总额",
    "key_tasks_planned": "重点工作计划数（交办或下达数）",
    "key_tasks_done": "重点工作实际完成数",
    "building_area_approved": "楼堂馆所批准建设面积",
    "building_area_actual": "楼堂馆所实际建设面积",
    # from the budget line (``budget``), not from ``base``
    "initial": "年初预算数",
    "adjusted": "全年预算数",
    "executed": "全年执行数",
}
_HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Formula:
    """How an actual is computed from base data: the Chinese formula, its inputs, and the arithmetic (in %)."""

    text: str
    inputs: tuple[str, ...]
    compute: Callable[[Mapping[str, Decimal]], Decimal | None]  # None when a denominator is 0

    def applies(self, base: Mapping[str, Decimal]) -> bool:
        return all(base.get(key) is not None for key in self.inputs)


def _ratio(numerator: str, denominator: str) -> Callable[[Mapping[str, Decimal]], Decimal | None]:
    def compute(base: Mapping[str, Decimal]) -> Decimal | None:
        return base[numerator] / base[denominator] * _HUNDRED if base[denominator] else None
    return compute


def _change(now: str, before: str) -> Callable[[Mapping[str, Decimal]], Decimal | None]:
    def compute(base: Mapping[str, Decimal]) -> Decimal | None:
        return (base[now] - base[before]) / base[before] * _HUNDRED if base[before] else None
    return compute


def _completion(base: Mapping[str, Decimal]) -> Decimal | None:
    available = base["carried_in"] + base["initial"] + base["added"]
    return (available - base["year_end_balance"]) / available * _HUNDRED if available else None


@dataclass(frozen=True)
class Standard:
    """One standard indicator: its name, the words that recognise it, its standard and its formulas."""

    key: str
    names: tuple[str, ...]
    target: str | None
    direction: Direction
    formulas: tuple[Formula, ...] = ()
    source: str = "财预〔2013〕53号"


_RATIO = "× 100%"
STANDARDS: tuple[Standard, ...] = (
    Standard("在职人员控制率", ("在职人员控制率", "财政供养人员控制率", "人员控制率"), "≤100%", Direction.LOWER,
             (Formula(f"实际在职人数 ÷ 编制数 {_RATIO}", ("staff_actual", "staff_quota"),
                      _ratio("staff_actual", "staff_quota")),)),
    Standard("三公经费变动率", ("三公经费变动率",), "≤0%", Direction.LOWER,
             (Formula(f"（本年“三公经费”预算数 − 上年“三公经费”预算数）÷ 上年“三公经费”预算数 {_RATIO}",
                      ("three_public_budget", "three_public_budget_last"),
                      _change("three_public_budget", "three_public_budget_last")),)),
    Standard("三公经费控制率", ("三公经费控制率",), "≤100%", Direction.LOWER,
             (Formula(f"“三公经费”实际支出数 ÷ “三公经费”预算数 {_RATIO}",
                      ("three_public_spent", "three_public_budget"),
                      _ratio("three_public_spent", "three_public_budget")),)),
    Standard("公用经费控制率", ("公用经费控制率",), "≤100%", Direction.LOWER,
             (Formula(f"公用经费实际支出数 ÷ 公用经费预算数 {_RATIO}", ("public_spent", "public_budget"),
                      _ratio("public_spent", "public_budget")),)),
    Standard("政府采购执行率", ("政府采购执行率",), "100%", Direction.HIGHER,
             (Formula(f"实际政府采购金额 ÷ 政府采购预算数 {_RATIO}", ("procurement_spent", "procurement_budget"),
                      _ratio("procurement_spent", "procurement_budget")),)),
    Standard("预算完成率", ("预算完成率",), "100%", Direction.HIGHER,
             (Formula(f"（上年结转 + 年初预算 + 本年追加 − 年末结余）÷（上年结转 + 年初预算 + 本年追加）{_RATIO}",
                      ("carried_in", "initial", "added", "year_end_balance"), _completion),
              Formula(f"全年执行数 ÷ 全年预算数 {_RATIO}", ("executed", "adjusted"), _ratio("executed", "adjusted")))),
    Standard("预算执行率", ("预算执行率",), "100%", Direction.HIGHER,
             (Formula(f"全年执行数 ÷ 全年预算数 {_RATIO}", ("executed", "adjusted"), _ratio("executed", "adjusted")),)),
    Standard("预算调整率", ("预算调整率", "预算控制率"), None, Direction.LOWER,
             (Formula(f"本年追加预算 ÷ 年初预算 {_RATIO}", ("added", "initial"), _ratio("added", "initial")),)),
    Standard("结转结余率", ("结转结余率",), None, Direction.LOWER,
             (Formula(f"结转结余总额 ÷ 全年预算数 {_RATIO}", ("carryover_total", "adjusted"),
                      _ratio("carryover_total", "adjusted")),)),
    Standard("结转结余变动率", ("结转结余变动率",), "≤0%", Direction.LOWER),
    Standard("重点工作办结率", ("重点工作办结率", "重点工作完成率"), "100%", Direction.HIGHER,
             (Formula(f"重点工作实际完成数 ÷ 重点工作计划数 {_RATIO}", ("key_tasks_done", "key_tasks_planned"),
                      _ratio("key_tasks_done", "key_tasks_planned")),)),
    Standard("新建楼堂馆所面积控制率", ("楼堂馆所面积控制率", "楼堂馆所控制率"), "≤100%", Direction.LOWER,
             (Formula(f"实际建设面积 ÷ 批准建设面积 {_RATIO}", ("building_area_actual", "building_area_approved"),
                      _ratio("building_area_actual", "building_area_approved")),),
             source="湖南省部门整体支出绩效评价指标表"),
    Standard("支付进度率", ("支付进度率",), "100%", Direction.HIGHER),
    Standard("重点支出安排率", ("重点支出安排率",), None, Direction.HIGHER),
    Standard("固定资产利用率", ("固定资产利用率",), None, Direction.HIGHER),
)
_BY_NAME = tuple((normalise_name(name), standard) for standard in STANDARDS for name in standard.names)


@lru_cache(maxsize=65536)
def standard_of(name: str | None) -> Standard | None:
    """Return the standard indicator a name denotes ("“三公”经费变动率" → 三公经费变动率), or None.

    The name matches when it contains one of the standard's names once both are normalised (quotes,
    spaces and years dropped); the longest name wins, so 结转结余变动率 is not read as 结转结余率.
    """
    if not name:
        return None
    key = normalise_name(name)
    found = [(len(words), standard) for words, standard in _BY_NAME if words in key]
    return max(found, key=lambda pair: pair[0])[1] if found else None
