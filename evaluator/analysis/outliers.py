"""The departments of a batch an auditor looks at first: what the review found (``Attention``), and outliers.

Pure functions of the summaries. ``attention_list`` ranks by findings (a grade that changes on recompute,
errors of the pre-submission review, claimed points the rules do not support); ``find_outliers`` and
``year_outliers`` add the statistical view (score ahead of spending, totals beyond the fences, a
department of another year).
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

from evaluator.decimals import fmt
from evaluator.results.summary import Attention, DepartmentSummary, Outlier, batch_year, quartile_fences

__all__ = ["attention_list", "find_outliers", "reasons", "year_outliers"]

UNSUPPORTED_MANY = 3  # this many claimed scores not supported by the rules makes a department an outlier


def find_outliers(departments: tuple[DepartmentSummary, ...], low_rate_warning: Decimal) -> tuple[Outlier, ...]:
    """Return the departments an auditor looks at first, sorted by slug and kind (pure).

    * indicator score rate ahead of the budget execution rate by more than the rule set's warning line;
    * a total beyond 1.5 × IQR from the quartiles (with four or more departments);
    * ``UNSUPPORTED_MANY`` or more claimed scores that the rules do not support.
    """
    outliers = []
    low, high = quartile_fences(departments) or (None, None)
    for d in departments:
        if d.rate is not None and d.indicator_rate is not None and d.indicator_rate - d.rate > low_rate_warning:
            gap = (d.indicator_rate - d.rate) * 100
            outliers.append(Outlier(
                d.slug, d.department, "score-ahead", "得分高而执行率低",
                f"指标得分率{_pct(d.indicator_rate)}，预算执行率{_pct(d.rate)}，相差{gap:.1f}个百分点"
                f"（规则的提示线为{low_rate_warning * 100:.0f}个百分点）",
            ))
        if d.total is not None and low is not None and high is not None and not low <= float(d.total) <= high:
            kind, label, side = ("total-low", "总分异常低", f"低于{low:.2f}") if float(d.total) < low else (
                "total-high", "总分异常高", f"高于{high:.2f}")
            outliers.append(Outlier(
                d.slug, d.department, kind, label,
                f"总分{d.total:f}，{side}（四分位数间距的1.5倍之外）",
            ))
        if d.unsupported >= UNSUPPORTED_MANY:
            outliers.append(Outlier(
                d.slug, d.department, "claims", "多项自评得分未获支持",
                f"{d.unsupported}项自评得分与按规则计算的得分不符",
            ))
    return tuple(outliers)


def year_outliers(departments: tuple[DepartmentSummary, ...], folder: Path | None = None) -> tuple[Outlier, ...]:
    """Return a department whose ``year:`` differs from the batch's year (a 2024 file in targets/2023) (pure).

    Such a department is still evaluated; with no year shared by most departments, every one is listed.
    """
    years = Counter(d.year for d in departments)
    if len(years) < 2:
        return ()
    year = batch_year(departments, folder)
    spread = "、".join(f"{y}年 {n} 个" for y, n in sorted(years.items()))
    outliers = []
    for d in departments:
        if year is None:
            message = f"文件中的年度为{d.year}年；本批部门的年度不一致（{spread}），请核对是否放错了文件夹"
        elif d.year != year:
            message = (f"文件中的年度为{d.year}年，与本批其他部门（{year}年）不同；已照常评价，"
                       "请核对是否放错了文件夹或写错了年度")
        else:
            continue
        outliers.append(Outlier(d.slug, d.department, "year", "年度与其他部门不同", message))
    return tuple(outliers)


def _pct(fraction: Decimal) -> str:
    return f"{fraction * 100:.1f}%"


def reasons(d: DepartmentSummary) -> tuple[str, ...]:
    """What the pre-submission review found about a department, in words, the most serious first."""
    found = []
    if d.grade_changed:
        found.append(f"复核后等级变化：自评总分{fmt(d.claimed_total)}分为“{d.claimed_grade}”，"
                     f"按规则{fmt(d.total)}分为“{d.grade}”")
    if d.errors:
        found.append(f"提交前复核有{d.errors}个错误" + (f"、{d.warnings}个警告" if d.warnings else ""))
    if d.unsupported_points:
        found.append(f"自评得分比按规则计算的多{fmt(d.unsupported_points)}分（{d.unsupported}项不获支持）")
    if d.unexplained:
        found.append(f"{d.unexplained}项未完成或部分完成的指标没有说明原因")
    if d.low_execution:
        found.append(f"{d.low_execution}张自评表的预算执行率低于要求且没有说明原因")
    if d.pending:
        found.append(f"{d.pending}个指标待确认，总分为暂定")
    return tuple(found)


def attention_list(departments: tuple[DepartmentSummary, ...], outliers: tuple[Outlier, ...]) -> tuple[Attention, ...]:
    """Rank the departments to look at first (pure).

    A department is listed when the review found something or it is a statistical outlier. Order: a grade
    that changes on recompute first, then the number of errors, then the claimed points the rules do not
    support, then the other findings and the number of statistical flags; ties by slug.
    """
    by_slug: dict[str, list[Outlier]] = {}
    for outlier in outliers:
        by_slug.setdefault(outlier.slug, []).append(outlier)
    listed = []
    for d in departments:
        found, flagged = reasons(d), tuple(by_slug.get(d.slug, ()))
        if found or flagged:
            listed.append(Attention(d, found, flagged))
    listed.sort(key=lambda a: (
        not a.summary.grade_changed, -a.summary.errors, -a.summary.unsupported_points,
        -(a.summary.unexplained + a.summary.low_execution + a.summary.pending), -len(a.outliers), a.summary.slug,
    ))
    return tuple(listed)
