"""A vocabulary of ≥100,000 distinct, realistic 指标值 / 实际完成值 strings for the parse benchmark (not a test).

Built deterministically from the forms real 自评表 use (shared/cases and the issue 11 wording):
comparator words and signs × numbers × units × suffixes, ranges, approximate values, deadlines and
completion dates, late and on-time words with verbs, qualitative verdicts and their negations,
zero events, rates per population, changes from last year. ``draw`` picks strings with a Zipf-like
skew (a few forms are very common, most are rare), as the values of a batch of departments are.
"""

from __future__ import annotations

import itertools
import random

__all__ = ["draw", "vocabulary"]

COMPARATORS = ["≥", "≧", ">=", "不低于", "不少于", "≤", "<=", "不超过", "不高于", "控制在", ">", "超过", "<", "低于",
               "", "="]
UNITS = ["次", "人", "人次", "个", "项", "份", "%", "万元", "元", "家", "户", "场", "篇", "平方米", "亩", "公里", "天",
         "个月", "元/人", "万元/人", "吨", "所"]
SUFFIXES = ["", "以上", "以内", "左右", "余"]
VERBS = ["完成", "拨付", "发放", "办结", "拨付到位", "上报", "验收"]
MET = ["达到预期", "已达到", "达成预期指标", "达标", "验收合格", "有所改善", "明显改善", "显著提升", "有所提高",
       "持续发挥作用", "长期有效", "效果明显", "规范", "合规", "满意", "良好", "落实到位", "全面完成"]
PARTIAL = ["基本完成", "基本达到预期", "效果不明显", "较好", "一般", "部分完成", "有待提高", "未全部完成", "基本满意"]
UNMET = ["未达到预期", "不规范", "不合规", "不满意", "无明显变化", "未见成效", "较差", "没有提升", "未完成"]
EVENTS = ["安全事故", "重大安全事故", "投诉", "有效投诉", "责任事故", "违规违纪问题", "信访事件", "火灾"]


def vocabulary(size: int = 120_000, seed: int = 11) -> list[str]:
    """Return ``size`` distinct strings (at least 100,000), the same for the same seed."""
    rng = random.Random(seed)
    seen: dict[str, None] = {}

    def add(text: str) -> None:
        seen.setdefault(text, None)

    for comparator, unit, suffix in itertools.product(COMPARATORS, UNITS, SUFFIXES):
        if comparator and suffix in ("以上", "以内"):
            continue  # "≥10次以内" contradicts itself; nobody writes it
        for _ in range(16):
            number = rng.choice([rng.randint(1, 999), rng.randint(1000, 99999), round(rng.uniform(0, 100), 2)])
            text = f"{comparator}{number}{unit}{suffix}" if suffix != "余" else f"{number}余{unit}"
            add(text)
    for unit in ("%", "人", "万元", "天"):
        for _ in range(1500):
            low = rng.randint(1, 90)
            add(f"{low}{unit}-{low + rng.randint(1, 10)}{unit}")
            add(f"≥{low}{unit}且≤{low + rng.randint(1, 10)}{unit}")
    for year, month in itertools.product(range(2015, 2031), range(1, 13)):
        add(f"{year}年{month}月")
        add(f"{year}年{month}月底前")
        add(f"{year}年{month}月底前完成")
        for day in (5, 10, 15, 20, 25, 28):
            add(f"{year}年{month}月{day}日前")
            add(f"{year}-{month:02d}-{day:02d}")
            add(f"推迟至{year}年{month}月{day}日完成")
        add(f"{year}年底")
        add(f"延期至{year}年{month}月")
    for month, verb in itertools.product(range(1, 13), VERBS):
        add(f"{month}月底前{verb}")
        add(f"{month}月{rng.randint(1, 28)}日{verb}")
    timing = ["按时", "按期", "及时", "如期", "已按时", "提前", "延期", "逾期", "推迟", "未按时"]
    for word, verb in itertools.product(timing, VERBS):
        add(f"{word}{verb}")
    for prefix, word in itertools.product(["", "已", "全年", "工作", "项目"], MET + PARTIAL + UNMET):
        add(f"{prefix}{word}")
    for event in EVENTS:
        for form in ("无{e}", "未发生{e}", "零{e}", "{e}0起", "杜绝{e}", "发生{n}起{e}"):
            add(form.format(e=event, n=rng.randint(1, 5)))
    for base in ("/10万", "/万", "‰", "‱", "%"):
        for _ in range(2000):
            add(f"≤{round(rng.uniform(0, 50), rng.choice([0, 1, 2]))}{base}")
    for basis, verb, unit in itertools.product(["较上年", "同比", "比上年", ""], ["增长", "下降", "提高", "降低"],
                                               ["%", "个百分点"]):
        for _ in range(150):
            add(f"{basis}{verb}{round(rng.uniform(0.5, 30), 1)}{unit}")
    while len(seen) < size:  # plain numbers and amounts as actuals are written, until the size is reached
        add(rng.choice([f"{rng.randint(0, 10**6)}", f"{round(rng.uniform(0, 10**4), 2)}万元",
                        f"{round(rng.uniform(0, 100), 2)}%", f"{rng.randint(1, 99999)}人次"]))
    values = list(seen)
    rng.shuffle(values)
    return values[:size]


def draw(values: list[str], count: int, seed: int = 7) -> list[str]:
    """``count`` strings drawn from ``values`` with a Zipf-like skew (rank r has weight 1/r^0.8)."""
    rng = random.Random(seed)
    weights = [1 / (rank ** 0.8) for rank in range(1, len(values) + 1)]
    return rng.choices(values, weights=weights, k=count)
