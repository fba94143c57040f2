"""Rows decided by words: qualitative indicators (a tier) and deadlines (a date, or on time / late).

A tier comes from the department's own ``tier`` entry, else from the words of the actual
(``language.verdicts``: "达到预期", "基本完成", "不规范"), else from its likeness to the target's words
(the target repeated, contained, or negated). A tier read from words is flagged ``tier-inferred``
and the explanation names the words. A deadline is met by a date on or before the due date, or by
on-time words ("已按时拨付", "提前完成"); late words ("延期完成", "推迟至2024年3月") miss it. When none of
this decides, the row is 待确认 with the words that would.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from evaluator.language.names import normalise_name
from evaluator.language.values import Op
from evaluator.language.verdicts import negates, read_verdict
from evaluator.scoring.fixes import actual_cell, tier_cell
from evaluator.scoring.prepared import Context, Row, invalid, undecided

if TYPE_CHECKING:
    from evaluator.rules import RuleSet

__all__ = ["conflict", "deadline_row", "qualitative_from_text", "qualitative_row"]

_TIER_WORDS = "“达到预期”“部分完成”“未完成”"


def qualitative_row(row: Row, tier: str, source: str, pct: Decimal | None, rules: RuleSet) -> Row:
    """Score by tier: the entered pct inside the tier's band, else the rule set's default for the tier."""
    row.kind, row.tier, row.tier_source = "qualitative", tier, source
    low, high = rules.bands[tier]
    if pct is None:
        row.pct = rules.default_pct[tier]
        row.flags.append("default-pct")
    elif not _in_band(pct, low, high, tier):
        closing = "]" if tier == "达成" else ")"
        return invalid(row, f"填报的得分比例 {pct:f}% 不在“{tier}”档的区间 [{low:f}%, {high:f}%{closing} 内"
                            f"（含下限{'和上限' if tier == '达成' else '、不含上限'}）",
                       f"把得分比例改为 {low:f} 到 {high:f} 之间的数，或改选与之相符的完成档次。")
    else:
        row.pct = pct
    return row


_WHOLE = ("全覆盖", "全部覆盖", "全面覆盖", "全部完成", "全部落实", "全部到位", "应保尽保", "应补尽补")


def _in_band(pct: Decimal, low: Decimal, high: Decimal, tier: str) -> bool:
    """Tier 1 includes both ends; lower tiers include their lower end only (80%–60%(含) means [60, 80))."""
    if tier == "达成":
        return low <= pct <= high
    return low <= pct < high


def _inferred(row: Row, tier: str, why: str, pct: Decimal | None, rules: RuleSet) -> Row:
    row.flags.append("tier-inferred")
    return qualitative_row(row, tier, why, pct, rules)


def conflict(row: Row, rules: RuleSet, context: Context) -> Row:
    """An actual that says two things ("按时完成，但延期1个月"): pending, with both readings."""
    actual = row.actual
    assert actual is not None
    readings = "；".join(actual.readings)
    cell = actual_cell(context.actuals_file, row.entry, row.indicator.id)
    return undecided(row, rules, f"实际完成值“{actual.text}”前后矛盾（{readings}）",
                     f"把{cell}改写为一种说法（如只写“按时完成”或“延期1个月完成”），"
                     "或在完成档次中填写 达成/部分达成/未达成",
                     readings=actual.readings)


def qualitative_from_text(row: Row, rules: RuleSet, pct: Decimal | None, context: Context) -> Row:
    """A qualitative indicator scored from the words of its actual; pending when the words decide nothing."""
    actual = row.actual
    assert actual is not None
    if actual.readings:
        return conflict(row, rules, context)
    text, goal = actual.text.strip(), row.target.text.strip()
    verdict = read_verdict(text)
    if verdict.conflict:
        return conflict(row, rules, context)
    if verdict.tier is not None:
        words = "”“".join(verdict.words)
        return _inferred(row, verdict.tier.value, f"实际完成值中的“{words}”", pct, rules)
    written, wanted = normalise_name(text), normalise_name(goal)
    if wanted and written == wanted:
        row.notes.append("实际完成值与目标表述一致，视为达成")
        return _inferred(row, "达成", "实际完成值与目标一致", pct, rules)
    if len(wanted) >= 2 and wanted in written:
        row.notes.append(f"实际完成值包含目标表述“{goal}”，视为达成")
        return _inferred(row, "达成", "实际完成值包含目标表述", pct, rules)
    if goal and negates(text, goal):
        return _inferred(row, "未达成", f"实际完成值“{text}”否定了目标“{goal}”", pct, rules)
    if any(word in goal for word in _WHOLE) and actual.unit == "%" and actual.number == 100:
        # "全覆盖" against "100%": the whole is 100%; anything less is left to the department's tier
        return _inferred(row, "达成", f"实际完成值“{text}”即目标“{goal}”所要求的全部", pct, rules)
    file = context.actuals_file
    return undecided(row, rules, f"无法从实际完成值“{text}”判断完成档次",
                     f"在{tier_cell(file, row.entry, row.indicator.id)}填写完成档次（达成 / 部分达成 / 未达成），"
                     f"或把{actual_cell(file, row.entry, row.indicator.id)}写成明确的表述，如{_TIER_WORDS}")


def deadline_row(row: Row, rules: RuleSet, pct: Decimal | None, context: Context) -> Row:
    """A deadline: a date compared with the due date, on-time or late words, or a tier from other words."""
    actual = row.actual
    assert actual is not None
    if actual.readings:
        return conflict(row, rules, context)
    target_date = row.target.deadline
    year = row.year
    if actual.op is Op.DEADLINE and actual.deadline is not None and actual.deadline.month is not None:
        due = target_date.as_date(year) if target_date is not None else None
        if due is None:
            due = datetime.date(year, 12, 31)
            row.flags.append("deadline-assumed")
            row.notes.append(f"目标“{row.target.text}”未写具体日期，按{year}年底前理解")
        done = actual.deadline.as_date(year)
        assert done is not None
        row.kind, row.due, row.done = "deadline", due, done
        row.a, row.b = Decimal(due.toordinal()), Decimal(done.toordinal())
        return row
    if actual.timing is not None:
        row.kind, row.a = "timing", Decimal(1)
        row.b = Decimal(1 if actual.timing == "on-time" else 0)
        return row
    verdict = read_verdict(actual.text)
    if verdict.tier is not None:
        words = "”“".join(verdict.words)
        return _inferred(row, verdict.tier.value, f"实际完成值中的“{words}”", pct, rules)
    cell = actual_cell(context.actuals_file, row.entry, row.indicator.id)
    return undecided(row, rules, f"无法从实际完成值“{actual.text}”判断是否按时完成",
                     f"把{cell}写成完成日期（如“{year}年11月”“{year}年底”）或“按时完成”“延期完成”")
