"""Which way an indicator is scored: higher or lower is better, equal, a range, qualitative or a deadline.

``infer_direction`` reads it from the target value and the indicator's names (rules.md §1.3, §1.7,
§2.6); ``direction_of`` gives the targets file's own ``direction`` precedence and reads an empty
target as qualitative; ``understand_target`` also reads an empty 指标值 of a department-wide standard
indicator (在职人员控制率 …, ``language.standards``) as its standard ("按标准 ≤100% 理解"). Scoring, the
checks, the entry workbook and the comparison all ask here, so that an indicator is read the same way
everywhere.
"""

from __future__ import annotations

from typing import NamedTuple

from evaluator.language import units
from evaluator.language.standards import Standard, standard_of
from evaluator.language.values import Direction, Op, Value, parse_value
from evaluator.model import Indicator

__all__ = ["TargetReading", "direction_of", "infer_direction", "understand_target"]

_LOWER_RATES = ("差错率", "错误率", "出错率", "失误率", "结余率", "结转率", "发生率", "发病率", "受害率",
                "成灾率", "死亡率", "伤亡率", "调整率", "变动率", "损失率", "故障率", "返工率",
                "不合格率", "闲置率", "空置率", "流失率", "辍学率", "漏报率", "误报率", "失败率", "超支率",
                "投诉率", "事故率", "违法率", "违规率", "逾期率", "超标率")
_LOWER_WORDS = ("投诉", "事故", "超支", "违法", "违规", "违纪", "逾期", "超标", "隐患", "欠薪")
_HANDLING = ("处理", "办结", "查处", "整改", "责停", "结案", "处置", "解决", "回复", "答复", "化解", "排查",
             "满意", "知晓", "宣传", "培训", "防范", "预防", "检查", "整治", "打击", "调解", "下降", "降低",
             "减少")
# The forms whose direction the form alone decides, whatever the names say: one lookup (each ``Op.X`` read
# costs a call of the enum class's __getattr__ hook on Python 3.11, and most targets are one of these).
_BY_OP: dict[Op, tuple[Direction, str]] = {
    Op.GE: (Direction.HIGHER, "写明“≥/不少于”，越高越好"), Op.GT: (Direction.HIGHER, "写明“>/超过”，越高越好"),
    Op.LE: (Direction.LOWER, "写明“≤/不超过”，越低越好"), Op.LT: (Direction.LOWER, "写明“</低于”，越低越好"),
    Op.RANGE: (Direction.EQUAL, "区间目标，落在区间内为达成"),
    Op.QUALITATIVE: (Direction.QUALITATIVE, "定性指标，按达成程度分档评分"),
    Op.DEADLINE: (Direction.DEADLINE, "时限指标，按是否按期完成评价"),
    Op.UNREADABLE: (Direction.AMBIGUOUS, "指标值无法识别，方向不明"),
}


def _lower_keyword(name: str | None) -> str | None:
    if not name:
        return None
    if any(w in name for w in _HANDLING):
        return None  # 投诉处理率, 违法行为责停率, 发病率下降率: dealing with the bad thing is good
    if rate := next((w for w in _LOWER_RATES if w in name), None):
        return rate
    return next((w for w in _LOWER_WORDS if w in name), None)


def infer_direction(target: Value, *, level1: str | None = None, level2: str | None = None,
                    name: str | None = None) -> tuple[Direction, str]:
    """Return whether a higher actual is better for this target, and the reason in Chinese."""
    op = target.op
    if (by_op := _BY_OP.get(op)) is not None:
        return by_op
    if op is not Op.EQ or target.number is None:
        return Direction.AMBIGUOUS, "未填写指标值，方向不明"
    if target.relative is not None:
        return Direction.HIGHER, f"{target.relative.word}目标：{target.relative.word}幅度达到目标即为达成"
    if target.number == 0:
        return Direction.LOWER, "目标为0，出现即扣分"
    if target.explicit_op:
        return Direction.EQUAL, "写明“=”，按等于目标值理解"
    if keyword := _lower_keyword(name):
        return Direction.LOWER, f"指标名称含“{keyword}”，越低越好"
    if name and "控制率" in name and target.unit == "%":
        if target.number == 100:  # 在职人员控制率, 公用经费控制率 (财预〔2013〕53号): actual ÷ plan, at most 100%
            return Direction.LOWER, "控制率以100%为上限（实际数÷计划数），越低越好"
        return Direction.AMBIGUOUS, "“控制率”可能是上限（如经费控制率）也可能越高越好（如血压控制率），方向不明"
    kind, shown = units.unit_kind(target.unit), target.text.strip() or target.format()
    if level2 and "成本" in level2:
        if kind in ("money", "money-rate"):
            return Direction.LOWER, "成本指标的金额为上限，越低越好"
        what = "未写金额单位" if target.unit is None else "不是金额"
        return Direction.AMBIGUOUS, f"成本指标下的“{shown}”{what}，方向不明"
    if kind == "time":
        hint = ""
        if level2 and "时效" in level2:
            hint = "（时效指标通常指完成时限，可按≤理解）"
        elif level2 and "可持续" in level2:
            hint = "（可持续影响指标通常指持续年限，可按≥理解）"
        return Direction.AMBIGUOUS, f"单写“{shown}”，无法判断是完成时限还是持续年限{hint}"
    return Direction.EQUAL, "未写比较符，按等于目标值理解"



def direction_of(indicator: Indicator, target: Value) -> tuple[Direction, str]:
    """Return how an indicator is scored: the targets file's ``direction`` wins, then inference."""
    return _direction_of(indicator, target, standard_of(indicator.name))


def _direction_of(indicator: Indicator, target: Value, standard: Standard | None) -> tuple[Direction, str]:
    if indicator.direction:
        return Direction(indicator.direction), "目标文件中指定"
    if (by_op := _BY_OP.get(target.op)) is not None:
        return by_op  # most targets: the form decides (a standard's own direction is for a bare number)
    if target.op is Op.EMPTY:
        return Direction.QUALITATIVE, f"指标值为“{indicator.target}”，没有可比的数值，按定性指标评价"
    if standard is not None and target.op is Op.EQ and not target.explicit_op and target.relative is None:
        label = standard.direction.label
        return standard.direction, f"{standard.key}是部门整体支出共性指标（{standard.source}），{label}"
    return infer_direction(target, level1=indicator.level1, level2=indicator.level2, name=indicator.name)


class TargetReading(NamedTuple):
    """An indicator's target as scoring reads it: the value, its direction, and the standard it follows.

    A named tuple, not a frozen dataclass: scoring reads one per indicator (100,000 in a large department),
    and a frozen dataclass sets each field through ``object.__setattr__``, about three times the cost.
    """

    value: Value
    direction: Direction
    reason: str
    standard: Standard | None = None  # the department-wide standard indicator the name denotes
    from_standard: bool = False  # True when an empty 指标值 was read as the standard's target

    @property
    def note(self) -> str | None:
        """The disclosure of a standard target: "指标值为空，按标准 ≤100% 理解（在职人员控制率，财预〔2013〕53号）"."""
        if not self.from_standard or self.standard is None:
            return None
        return f"指标值为空，按标准 {self.standard.target} 理解（{self.standard.key}，{self.standard.source}）"


def understand_target(indicator: Indicator) -> TargetReading:
    """Read an indicator's 指标值 with its direction; an empty one of a standard indicator as its standard."""
    value = parse_value(indicator.target)
    standard = standard_of(indicator.name)
    if standard is not None and value.op is Op.EMPTY and not indicator.direction:
        direction = standard.direction
        if standard.target is None:
            reason = f"指标值为空；{standard.key}{direction.label}，但{standard.source}未规定标准值"
            return TargetReading(value, direction, reason, standard)
        reason = f"指标值为空，按{standard.key}的标准 {standard.target} 理解（{standard.source}），{direction.label}"
        return TargetReading(parse_value(standard.target), direction, reason, standard, from_standard=True)
    direction, reason = _direction_of(indicator, value, standard)
    return TargetReading(value, direction, reason, standard)
