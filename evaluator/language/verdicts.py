"""What the words of a 实际完成值 say: met, partial or not met (the tier), and on time or late.

A finance officer reads "达到预期", "有所改善", "持续发挥作用" as met, "基本完成", "效果不明显" as partly
met, "不规范", "未达到预期", "无明显变化" as not met, "已按时拨付", "提前完成" as on time and "延期完成",
"推迟至2024年3月" as late. ``read_verdict`` does the same with one lexicon, used for targets and actuals
alike, and says which words it rests on, so that every inferred tier can be disclosed.

How the text is read (rules.md §1.4, rules of thumb of published 自评表):

* timing first: late words (延期, 逾期, 推迟, 延迟, 滞后, 未按时 + any verb) and on-time words (按时, 按期,
  如期, 及时, 提前, 在规定时间内 + any verb such as 拨付, 发放, 完成, 办结);
* then the tier words, most specific first, each match masked so that a word is read once:
  partial negations (未全部完成, 不够规范), fixed phrases (效果不明显 is partial, 无明显变化 not met),
  any negation of a met word (不X, 未X, 没有X, 无法X, 未能X: not met), then partial words (基本X, 部分X,
  一般, 较好), then met words;
* one-character answers (是, 好, 否, 差) count only as the whole text;
* the tier is the worst the tier words name; timing words give it only when no tier word is there
  ("延期完成" is not met, "基本完成，个别事项延期" is partly met, and late for a deadline).

A text that says both on time and late ("按时完成，但延期1个月"), or both met and not met, is a
*conflict*: the verdict lists both readings and gives no tier, so that scoring can ask instead of guess.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from evaluator.language.dates import VERBS

__all__ = ["EVENTS", "Tier", "Verdict", "negates", "read_verdict", "tier_of_text"]


class Tier(str, Enum):  # noqa: UP042 (other modules rely on the str mixin's behaviour)
    MET = "达成"
    PARTIAL = "部分达成"
    UNMET = "未达成"


_ORDER = {Tier.MET: 0, Tier.PARTIAL: 1, Tier.UNMET: 2}
ON_TIME, LATE = "on-time", "late"
_TIMING_WORDS = {ON_TIME: "按时", LATE: "逾期"}


@dataclass(frozen=True)
class Verdict:
    """The reading of a text: its tier, its timing, the words it rests on, and any contradiction."""

    tier: Tier | None = None
    timing: str | None = None  # "on-time" | "late" | None
    words: tuple[str, ...] = ()  # the words read, in the order found
    conflict: tuple[str, ...] = ()  # the contradictory readings, e.g. ("“按时完成”：按时", "“延期1个月”：逾期")

    @property
    def found(self) -> bool:
        return self.tier is not None or self.timing is not None or bool(self.conflict)


# Met words: the stems a negation turns into "not met".
_STEMS = ("完成|完工|竣工|达成|达到|达标|实现|落实|提升|提高|改善|增强|加强|好转|符合|合格|规范|合规|满意|良好|到位|"
          "有效|执行|发挥|通过|见效|奏效|按时|按期|如期|及时|准时")
_NEGATORS = "没有|没能|未能|尚未|无法|不能|难以|未曾|未|没|无|不"
# Activities: "未开展专项评议" is not met, but "开展专项评议" alone says nothing about the result.
_ACTIVITIES = "开展|举办|召开|组织|建立|制定|出台|启动|实施"
# Bad events that a target wants none of (无重大安全事故, 零投诉): "未发生…事故" is good news, not a negation.
EVENTS = ("事故|事件|案件|投诉|伤亡|死亡|火灾|差错|失误|纠纷|信访|上访|舆情|违法|违纪|违规|违约|泄密|疫情|污染|隐患|"
          "安全问题|质量问题|问题|举报|负面")
_ZERO_EVENT = rf"(?:未发生|没有发生|未出现|没有出现|未发现|没有发现|杜绝|无|零|没有)[^,;，；。]{{0,10}}?(?:{EVENTS})"
_VERB = rf"(?:全部|全面|均|已)?(?:{VERBS}|执行|推进|实现)(?:到位|完毕|完成|了)?"
_LATE = re.compile(
    rf"(?:{_NEGATORS})(?:能|够)?(?:按时|按期|如期|及时|准时)(?:{_VERB})?"
    rf"|(?:延期|逾期|推迟|延迟|延后|滞后|拖延|超期|超时|晚于计划)(?:了)?(?:\d+(?:个月|天|日|周|个工作日))?"
    rf"(?:[^,;，；。]{{0,14}}?{_VERB})?")
_ON_TIME = re.compile(
    rf"(?:已经|已|均|全部)?(?:按时|按期|如期|及时|准时|提前(?:\d+(?:个月|天|日|周|个工作日))?"
    rf"|(?:在|于)?[^,;，；。]{{0,8}}?(?:时间|期限|时限)(?:节点|要求)?(?:内|以内|之内))(?:{_VERB})?")
# (pattern, tier), most specific first; every match is masked before the next pattern looks
_TIER_PATTERNS: tuple[tuple[re.Pattern[str], Tier], ...] = tuple(
    (re.compile(pattern), tier) for pattern, tier in (
        # spending against the budget (控制在预算内, ≤预算数): within is met, over is not
        (r"(?:未|没有|没|不|无)(?:超出|超过|超)(?:了)?(?:年度)?(?:预算|计划|标准)|(?:未|没有|无)超支"
         r"|(?:控制)?在(?:年度)?预算(?:数|范围)?(?:内|以内|之内)", Tier.MET),
        (r"(?:超出|超过|超)(?:了)?(?:年度)?预算|超支", Tier.UNMET),
        (rf"(?:未能|没能|未|没有|没|不)(?:全部|完全|全面)(?:{_STEMS})|(?:不够|不太|不甚|尚不)(?:{_STEMS}|明显|显著)",
         Tier.PARTIAL),
        (r"(?:效果|成效|作用)?(?:不明显|不够明显|不太明显|不显著|一般)(?!公共|性|项目|人员|预算)", Tier.PARTIAL),
        (_ZERO_EVENT, Tier.MET),
        (r"(?:无|没有)(?:明显|显著|任何)?(?:变化|改善|提升|提高|效果|成效|进展)|未见(?:成效|效果|明显)"
         r"|(?:效果|成效)(?:较差|很差|差|不佳|不好)|较差|很差|失败|无效|未通过|不通过", Tier.UNMET),
        (rf"(?:{_NEGATORS})(?:能|够|曾|有|全面|有效|明显|显著)?(?:{_STEMS}|{_ACTIVITIES})", Tier.UNMET),
        (rf"基本上?(?:{_STEMS})?|部分(?:{_STEMS})|一定(?:效果|成效|作用|程度)|初见成效|有待|仍需|尚需|仍有差距|欠缺"
         r"|不足|较好|尚可|中等", Tier.PARTIAL),
        (r"达成年度指标|达成预期(?:指标|目标)?|达到预期(?:目标|效果|指标)?|达预期|长期有效|持续有效"
         r"|持续发挥(?:了)?(?:作用|效益|效应)?|发挥(?:了)?(?:良好|积极|重要)?(?:作用|效益|效应)"
         r"|(?:效果|成效)(?:明显|显著|良好|突出)"
         rf"|(?:有所|明显|显著|大幅|进一步|稳步|持续|不断|逐步)?(?:已经|已|全部|全面|圆满|顺利)?(?:{_STEMS})"
         r"|显著|明显|优秀|优良|顺利|圆满", Tier.MET),
    ))
_WHOLE = {"是": Tier.MET, "好": Tier.MET, "优": Tier.MET, "良": Tier.MET, "否": Tier.UNMET, "差": Tier.UNMET,
          "中": Tier.PARTIAL}
_MASK = "\u25a1"


def _clean(text: str) -> str:
    return re.sub(r"[\s\u200b-\u200f\ufeff]+", "", unicodedata.normalize("NFKC", text))


def _take(text: str, pattern: re.Pattern[str]) -> tuple[str, list[str]]:
    found = [m[0] for m in pattern.finditer(text) if m[0]]
    return pattern.sub(lambda m: _MASK * len(m[0]), text), found


@lru_cache(maxsize=65536)
def read_verdict(text: str | None) -> Verdict:
    """Return what the words of ``text`` say (tier, timing), the words read, and any contradiction."""
    if not text:
        return Verdict()
    cleaned = _clean(str(text)).strip("。,;:、!?\"'“”‘’，；：！？")
    if cleaned in _WHOLE:
        return Verdict(_WHOLE[cleaned], None, (cleaned,))
    masked, late = _take(cleaned, _LATE)
    masked, on_time = _take(masked, _ON_TIME)
    tiers: dict[Tier, list[str]] = {}
    for pattern, tier in _TIER_PATTERNS:
        masked, found = _take(masked, pattern)
        if found:
            tiers.setdefault(tier, []).extend(found)
    words = tuple(late + on_time + [w for tier in (Tier.UNMET, Tier.PARTIAL, Tier.MET) for w in tiers.get(tier, [])])
    conflict: list[str] = []
    if late and on_time:
        conflict = [f"“{on_time[0]}”：按时", f"“{late[0]}”：逾期"]
    elif Tier.MET in tiers and Tier.UNMET in tiers:
        conflict = [f"“{tiers[Tier.MET][0]}”：达成", f"“{tiers[Tier.UNMET][0]}”：未达成"]
    if conflict:
        return Verdict(None, None, words, tuple(conflict))
    timing = LATE if late else ON_TIME if on_time else None
    # the words of the result decide the tier; timing words only when there are none ("延期完成" alone)
    named = list(tiers) or ([Tier.UNMET] if late else [Tier.MET] if on_time else [])
    tier = max(named, key=_ORDER.__getitem__) if named else None
    return Verdict(tier, timing, words)


def tier_of_text(text: str | None) -> Tier | None:
    """The tier the words of a text name (None when they name none, or contradict each other)."""
    return read_verdict(text).tier


def negates(text: str, target: str) -> bool:
    """True when ``text`` is a negation of the target's words: "不规范" of "规范", "未达到预期" of "达到预期"."""
    written, goal = _clean(text), _clean(target)
    if not goal or len(goal) > 12:
        return False
    negation = re.fullmatch(rf"(?:{_NEGATORS})(?:能|够|太|够|是)?(?:{re.escape(goal)})", written)
    return negation is not None
