"""The findings of a reviewer on a scored self-evaluation: claimed scores the rules do not support, and why.

``review_findings(result, targets, actuals, rules)`` works on any scored department (YAML or an
imported 自评表): each claimed row above its points, full marks on a missed target, a claimed score
that differs from the rules' score, an execution score that does not match the rate, points that do
not add up to 100 or to the rule set's groups, a 总分 that is not the sum of its rows or not the
recomputed total, a grade that changes when recomputed, a shortfall or an execution below the rule
set's line with no reason, a large over-achievement with no reason, a vague target. Every finding
cites the rule it rests on (from the rule set, so a variant cites its own numbers).

``table_findings(table, …)`` adds what only the printed form shows: the printed 执行率, the budget
line's 分值 against the rule set's, the printed 等级, the form's own arithmetic (``forms.selfeval``),
and the notes of reading it.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import TYPE_CHECKING

from evaluator.checks.quality import VAGUE_WORDS
from evaluator.decimals import fmt, round_half_up
from evaluator.errors import Location, Problem, Severity, entry_location
from evaluator.forms.selfeval import form_checks
from evaluator.forms.selfeval_read import FilledTable
from evaluator.language.values import Op, parse_value
from evaluator.model import Actuals, Targets
from evaluator.results.review import Finding
from evaluator.results.scores import Evaluation, IndicatorScore, Result

if TYPE_CHECKING:
    from evaluator.rules import RuleSet

__all__ = ["review_findings", "table_findings"]

_MET = ("met", "exceeded", "qualitative-met")
_SHORTFALL = ("partial", "unmet", "qualitative-partial", "qualitative-unmet")
_TIERS = {"qualitative-met": "达成", "qualitative-partial": "部分达成", "qualitative-unmet": "未达成"}
_FORM_CODES = {"points-not-100": Severity.ERROR, "group-points": Severity.ERROR, "total-points": Severity.ERROR,
               "budget-parts": Severity.WARNING}


def review_findings(
    result: Result, targets: Targets, actuals: Actuals | None, rules: RuleSet, *,
    locations: Mapping[str, Location] | None = None, grades: Mapping[str | None, str] | None = None,
) -> list[Finding]:
    """Every finding on every scope of ``result``, in table order (rows, then execution, points, totals, grade).

    ``locations`` (indicator id, ``budget`` / ``P1.budget``, ``total`` / ``P1.total``, ``grade`` …) name
    the rows of a submitted form; without them findings point into the actuals file. ``grades`` is the
    grade each scope printed (None: the department as a whole), when the table had one.
    """
    review = _Reviewer(result, targets, actuals, rules, locations or {}, grades or {})
    findings: list[Finding] = []
    for evaluation in result.evaluations:
        findings.extend(review.scope(evaluation))
    return findings


def table_findings(table: FilledTable, evaluation: Evaluation, rules: RuleSet, scope_id: str | None,
                   notes: list[Problem] | None = None) -> list[Finding]:
    """What only the printed table shows: its 执行率, its budget 分值, its own arithmetic, reading notes."""
    findings: list[Finding] = []
    name = evaluation.name
    total = table.budget_total
    ex = evaluation.execution
    where = total.where if total is not None else table.where
    if total is not None and total.rate is not None and ex.executed is not None and ex.adjusted:
        computed = ex.executed / ex.adjusted
        places = _percent_places(total.rate_text, total.rate)
        shown = total.rate * 100
        candidates = {round_half_up(computed * 100, places),
                      (computed * 100).quantize(Decimal(1).scaleb(-places), rounding=ROUND_DOWN)}
        if shown not in candidates and abs(shown - computed * 100) >= Decimal("0.01"):
            findings.append(Finding(
                "rate-mismatch", Severity.WARNING, scope_id, name, None, "预算执行",
                f"表中执行率填写为“{total.rate_text}”，按全年执行数/全年预算数 {fmt(ex.executed)}/{fmt(ex.adjusted)} "
                f"计算为{fmt(round_half_up(computed * 100, 2), 2)}%",
                "执行率 = 全年执行数(B) / 全年预算数(A)（财预〔2020〕10号自评表）", where,
                claimed=total.rate_text, recomputed=f"{fmt(round_half_up(computed * 100, 2), 2)}%",
                hint="按金额重新计算执行率。"))
    if total is not None and total.points is not None and total.points != rules.execution_points:
        findings.append(Finding(
            "execution-points", Severity.WARNING, scope_id, name, None, "预算执行",
            f"表中预算执行分值为{fmt(total.points)}分，规则集“{rules.name}”为{fmt(rules.execution_points)}分；"
            f"复核按规则集计分",
            f"{rules.title}：预算执行率{fmt(rules.execution_points)}分", where,
            claimed=total.points, recomputed=rules.execution_points,
            hint="确认选用的评分规则集与该表所用的办法一致（evaluator rules 列出内置规则集，用 --rules 指定）。"))
    for problem in form_checks(table):
        findings.append(_from_problem(problem, table, scope_id, name, _FORM_CODES.get(problem.code, Severity.WARNING),
                                      "自评表各项数字应自洽：分值合计100分，其中各项之和等于合计（财预〔2020〕10号自评表）"))
    for problem in notes or ():
        findings.append(_from_problem(problem, table, scope_id, name, Severity.INFO if problem.severity is Severity.INFO
                                      else Severity.WARNING, "读取表格时的说明", code="form-note"))
    return findings


def _from_problem(problem: Problem, table: FilledTable, scope_id: str | None, scope: str, severity: Severity,
                  rule: str, code: str | None = None) -> Finding:
    message = problem.message.removeprefix(f"{table.label}：")
    subject = {"budget-parts": "预算", "points-not-100": "分值", "group-points": "分值", "total-points": "分值"}.get(
        problem.code, "表格")
    return Finding(code or problem.code, severity, scope_id, scope, None, subject, message, rule, problem.location,
                   hint=problem.hint)


def _status_label(score: IndicatorScore) -> str:
    """The status as the Result labels it (a status added later shows as it is)."""
    try:
        return score.status_label
    except KeyError:
        return score.status


def _percent_places(text: str, rate: Decimal) -> int:
    """The decimals of the printed rate as a percentage: “97.80%” 2, “79.27” 2, “0.1” (a fraction) 0."""
    digits = len(text.rstrip("%").partition(".")[2])
    try:
        number: Decimal | None = Decimal(text.rstrip("%").replace(",", ""))
    except InvalidOperation:
        number = None
    percent = text.endswith("%") or number != rate  # “79.27” was read as 0.7927
    return min(digits if percent else max(digits - 2, 0), 4)


class _Reviewer:
    def __init__(self, result: Result, targets: Targets, actuals: Actuals | None, rules: RuleSet,
                 locations: Mapping[str, Location], grades: Mapping[str | None, str]) -> None:
        self.result, self.targets, self.actuals, self.rules = result, targets, actuals, rules
        self.locations, self.grades = locations, grades
        self.file = actuals.source if actuals is not None else targets.source
        self.indicators = {i.id: i for i in targets.all_indicators()}

    def where(self, key: str, scope_id: str | None = None, indicator: str | None = None) -> Location:
        """The row a finding is about: from ``locations`` (a submitted form), else the actuals entry."""
        wanted = indicator or (key if scope_id is None else f"{scope_id}.{key}")
        found = self.locations.get(wanted)
        if found is not None:
            return found
        if self.actuals is None:
            return Location(file=self.targets.source, indicator=indicator)
        budget, entries = self.actuals.for_scope(scope_id)
        if indicator is not None:
            return entry_location(self.file, entries.get(indicator), indicator=indicator)
        if key == "budget":
            return entry_location(self.file, budget,
                                  key="budget" if scope_id is None else f"projects.{scope_id}.budget")
        if scope_id is None:
            return Location(file=self.file, line=self.actuals.key_lines.get("claimed_total"), key="claimed_total")
        return Location(file=self.file, key=f"projects.{scope_id}.claimed_total")

    # --- one scope ---

    def scope(self, evaluation: Evaluation) -> list[Finding]:
        findings: list[Finding] = []
        for score in evaluation.indicators:
            findings.extend(self.row(evaluation, score))
        findings.extend(self.execution(evaluation))
        findings.extend(self.points(evaluation))
        findings.extend(self.totals(evaluation))
        return findings

    def _finding(self, evaluation: Evaluation, code: str, severity: Severity, subject: str, message: str, rule: str,
                 where: Location, *, indicator: str | None = None, claimed: Decimal | str | None = None,
                 recomputed: Decimal | str | None = None, hint: str = "") -> Finding:
        return Finding(code, severity, evaluation.id, evaluation.name, indicator, subject, message, rule, where,
                       claimed, recomputed, hint)

    # --- an indicator row ---

    def row(self, evaluation: Evaluation, score: IndicatorScore) -> list[Finding]:
        found: list[Finding] = []
        where = self.where("", evaluation.id, score.id)
        rule = self.indicator_rule(score)

        def add(code: str, severity: Severity, message: str, hint: str = "", *, rule_text: str = rule,
                claimed: Decimal | str | None = None, recomputed: Decimal | str | None = None) -> None:
            found.append(self._finding(evaluation, code, severity, score.name, message, rule_text, where,
                                       indicator=score.id, claimed=claimed, recomputed=recomputed, hint=hint))

        recomputed: Decimal | None = score.score
        claimed = score.claimed
        if score.status == "missing":
            add("missing-actual", Severity.ERROR, f"没有填写实际完成值（目标“{score.target or '未填'}”），按规则计0分",
                "填写实际完成值；确实无法取得时在偏差原因中说明。",
                rule_text=f"未填报实际完成值的指标计0分并须说明原因（{self.rules.name}）")
        elif score.status == "invalid":
            add("invalid-value", Severity.ERROR, f"{score.explanation}",
                "把指标值和实际完成值写成可比较的数值（带单位）或定性表述。")
        if claimed is not None:
            found.extend(self.claim(evaluation, score, where, rule))
        if score.status in _SHORTFALL and not score.reason:
            add("shortfall-without-reason", Severity.ERROR,
                f"未完成目标（目标“{score.target}”，实际“{score.actual or '未填'}”），没有写偏差原因",
                "在“偏差原因分析及改进措施”中说明未完成的原因和改进措施。",
                rule_text="财预〔2020〕10号：自评须对未完成的指标分析偏差原因并提出改进措施")
        elif claimed is not None and recomputed is not None and score.status in _MET and claimed < score.points \
                and not score.reason:
            add("docked-without-reason", Severity.WARNING,
                f"目标已达成，单位自评却扣了{fmt(score.points - claimed)}分，没有说明扣分原因",
                "写明扣分的依据，或按规则给满分。", claimed=claimed, recomputed=recomputed,
                rule_text="财预〔2020〕10号：定量指标达成年度指标值的得满分；扣分须有依据")
        if score.status == "exceeded" and not score.reason:
            add("exceeded-without-reason", Severity.WARNING,
                f"完成值远超目标（实际“{score.actual}”，目标“{score.target}”），没有说明原因",
                "说明超额的原因；若是年初目标设定过低，应按偏离度适度调减得分。",
                rule_text=f"完成值达到目标的{fmt(self.rules.over_threshold * 100)}%以上须说明原因；目标设定偏低的"
                          f"按偏离度调减（财预〔2020〕10号；{self.rules.name}）")
        target = parse_value(score.target)
        if target.op is Op.QUALITATIVE and any(word in score.target for word in VAGUE_WORDS):
            indicator = self.indicators.get(score.id)
            in_targets = Location(file=self.targets.source, line=indicator.line if indicator else None,
                                  indicator=score.id)
            found.append(self._finding(
                evaluation, "vague-target", Severity.WARNING, score.name,
                f"目标“{score.target}”不可衡量，是否完成只能凭判断", "绩效指标应细化、量化，可衡量（财预〔2020〕10号；"
                "财预〔2021〕101号）", self.locations.get(score.id, in_targets), indicator=score.id,
                hint="目标应写成可衡量的指标值（如“≥90%”“≥10次”）或写明达成标准。"))
        if "actual-with-comparator" in score.flags or "approximate" in score.flags:
            add("inexact-actual", Severity.WARNING, f"实际值“{score.actual}”不是确切的实测数",
                "填写实际达到的具体数值，不要照抄目标或写“约”“余”。",
                rule_text="实际完成值应为实际达到的数值（财预〔2020〕10号自评表）")
        if "qualitative-actual" in score.flags:
            add("text-for-number", Severity.WARNING,
                f"定量指标（目标“{score.target}”）填了文字“{score.actual}”，只能按定性档次计分",
                "填写实际达到的数值（带单位）。", rule_text="定量指标按完成比例计分，须有实际数值（财预〔2020〕10号）")
        if "ambiguous" in score.flags:
            add("ambiguous-direction", Severity.INFO,
                f"目标“{score.target}”方向不明（{score.direction_reason}），按越高越好计分",
                "在目标中写明“≥”或“≤”。", rule_text=rule)
        return found

    def claim(self, evaluation: Evaluation, score: IndicatorScore, where: Location, rule: str) -> list[Finding]:
        claimed, recomputed, points = score.claimed, score.score, score.points
        assert claimed is not None

        def finding(code: str, severity: Severity, message: str, rule_text: str = rule, hint: str = "") -> Finding:
            return self._finding(evaluation, code, severity, score.name, message, rule_text, where,
                                 indicator=score.id, claimed=claimed, recomputed=recomputed, hint=hint)

        if recomputed is None:
            return [finding("claim-pending", Severity.INFO, f"自评{fmt(claimed)}分；复核得分待确认，暂不能比较",
                            hint="补全待确认的信息后重新复核。")]
        if claimed == recomputed:
            return []
        if claimed > points:
            return [finding("claim-above-points", Severity.ERROR,
                            f"自评{fmt(claimed)}分超过该指标分值{fmt(points)}分；按规则应得{fmt(recomputed, 2)}分",
                            f"得分不能大于分值，不设加分（财预〔2020〕10号；{self.rules.name}）",
                            "自评得分不超过分值，并按规则计分。")]
        tier = _TIERS.get(score.status)
        if tier is not None and points and tier in self.rules.bands:
            low, high = self.rules.bands[tier]
            share = claimed * 100 / points
            inside = low <= share <= high if high == 100 else low <= share < high
            if inside:
                return [finding("claim-in-band", Severity.INFO,
                                f"定性指标“{tier}”档，自评{fmt(claimed)}分在该档{fmt(low)}%–{fmt(high)}%"
                                f"（{fmt(points * low / 100)}–{fmt(points * high / 100)}分）之内，予以认可")]
        if claimed == points and score.status not in _MET:
            return [finding("claim-full-on-missed", Severity.ERROR,
                            f"目标未达成（{_status_label(score)}：{score.explanation}），自评却给满分{fmt(claimed)}分",
                            hint="按规则计分，并在偏差原因中说明未完成的原因。")]
        if claimed > recomputed:
            return [finding("claim-above-rules", Severity.ERROR,
                            f"自评{fmt(claimed)}分，按规则应得{fmt(recomputed, 2)}分"
                            f"（多{fmt(claimed - recomputed)}分）："
                            f"{score.explanation}", hint="按规则得分修改自评得分，或补充依据。")]
        return [finding("claim-below-rules", Severity.WARNING,
                        f"自评{fmt(claimed)}分，按规则应得{fmt(recomputed, 2)}分（少{fmt(recomputed - claimed)}分）："
                        f"{score.explanation}", hint="核实扣分依据；无依据时按规则计分。")]

    def indicator_rule(self, score: IndicatorScore) -> str:
        rules = self.rules
        if score.status in _TIERS or score.direction == "qualitative":
            bands = "、".join(f"{tier}{fmt(low)}%–{fmt(high)}%" for tier, (low, high) in rules.bands.items())
            return f"定性指标分三档计分：{bands}（{rules.title}）"
        if score.direction == "lower":
            how = "分值×目标/实际" if rules.lower == "ratio" else "分值×(1−(实际−目标)/目标)，达到目标两倍时为0"
            return f"反向指标：实际不超过目标得满分，超过时按 {how} 计分（{rules.title}）"
        if score.direction == "deadline":
            return f"时限指标：按时完成得满分，逾期不得分（{rules.title}）"
        return f"定量指标：达成目标得满分，未达成按 分值×实际/目标 计分（{rules.title}）"

    # --- the execution line ---

    def execution(self, evaluation: Evaluation) -> list[Finding]:
        ex = evaluation.execution
        rules = self.rules
        found: list[Finding] = []
        where = self.where("budget", evaluation.id)
        rule = (f"预算执行率得分 = 分值{fmt(ex.points)}分 × 全年执行数/全年预算数，最高{fmt(ex.points)}分"
                f"（{rules.title}）")

        def add(code: str, severity: Severity, message: str, hint: str, rule_text: str = rule,
                claimed: Decimal | str | None = None, recomputed: Decimal | str | None = None) -> None:
            found.append(self._finding(evaluation, code, severity, "预算执行", message, rule_text, where,
                                       claimed=claimed, recomputed=recomputed, hint=hint))

        rate = f"{fmt(ex.rate * 100, 2)}%" if ex.rate is not None else "—"
        if ex.claimed is not None:
            if ex.score is None or ex.status != "scored":
                add("execution-unverifiable", Severity.WARNING,
                    f"自评预算执行得分{fmt(ex.claimed)}分，但{ex.explanation}，无法复核",
                    "填写年初预算数、全年预算数和全年执行数。", claimed=ex.claimed)
            elif ex.claimed > ex.points:
                add("execution-above-points", Severity.ERROR,
                    f"自评预算执行{fmt(ex.claimed)}分超过分值{fmt(ex.points)}分；执行率{rate}，按规则应得"
                    f"{fmt(ex.score, 2)}分", "按执行率计分。", claimed=ex.claimed, recomputed=ex.score)
            elif ex.claimed > ex.score:
                add("execution-above-rules", Severity.ERROR,
                    f"执行率{rate}，按规则应得{fmt(ex.score, 2)}分，自评{fmt(ex.claimed)}分"
                    f"（多{fmt(ex.claimed - ex.score)}分）",
                    "按 分值×执行率 计分，不要取整进位。", claimed=ex.claimed, recomputed=ex.score)
            elif ex.claimed < ex.score:
                add("execution-below-rules", Severity.WARNING,
                    f"执行率{rate}，按规则应得{fmt(ex.score, 2)}分，自评{fmt(ex.claimed)}分"
                    f"（少{fmt(ex.score - ex.claimed)}分）",
                    "按 分值×执行率 计分。", claimed=ex.claimed, recomputed=ex.score)
        if ex.rate is not None and ex.rate < rules.execution_explain_below and not ex.reason:
            notes = self._money_notes(evaluation)
            message = (f"预算执行率{rate}，低于{fmt(rules.execution_explain_below * 100)}%，没有说明原因"
                       + (f"（偏差原因栏中提到：{notes}，请核实是否足以说明）" if notes else ""))
            add("low-execution-without-reason", Severity.WARNING if notes else Severity.ERROR, message,
                "说明资金未执行的原因和改进措施。",
                rule_text=f"执行率低于{fmt(rules.execution_explain_below * 100)}%须说明原因（{rules.title}）")
        if ex.rate is not None and ex.rate > 1:
            severe = ex.rate > Decimal("1.5")
            add("over-execution", Severity.ERROR if severe else Severity.WARNING,
                f"全年执行数{fmt(ex.executed)}超过全年预算数{fmt(ex.adjusted)}（执行率{rate}）"
                + ("，可能填错了单位或小数点" if severe else ""),
                "核对全年预算数（含追加、结转）与全年执行数。", rule_text="执行数不应超过预算数")
        return found

    def _money_notes(self, evaluation: Evaluation) -> str:
        words = ("资金", "预算", "支付", "尾款", "结余", "结转", "执行", "拨付", "未付")
        for score in evaluation.indicators:
            if score.reason and any(word in score.reason for word in words):
                text = score.reason if len(score.reason) <= 40 else score.reason[:40] + "……"
                return f"“{text}”（{score.name}）"
        return ""

    # --- points ---

    def points(self, evaluation: Evaluation) -> list[Finding]:
        if not evaluation.indicators:
            return []
        rules = self.rules
        found: list[Finding] = []
        where = self.where("table", evaluation.id)
        where = self.locations.get("total" if evaluation.id is None else f"{evaluation.id}.total", where)
        total = evaluation.execution.points + sum((i.points for i in evaluation.indicators), Decimal(0))
        given = all(i.points_source == "targets" for i in evaluation.indicators)
        if total != 100:
            found.append(self._finding(
                evaluation, "points-not-100", Severity.ERROR if given else Severity.WARNING, "分值",
                f"各项分值合计{fmt(total)}分（预算执行{fmt(evaluation.execution.points)}分＋各指标"
                f"{fmt(total - evaluation.execution.points)}分），应为100分",
                f"预算执行与各项指标分值合计100分（{rules.title}）", where, claimed=total, recomputed=Decimal(100),
                hint="调整各指标的分值。"))
        expected = {g.key: g.points for g in rules.groups}
        satisfaction = [g for g in evaluation.groups if g.key == "satisfaction"]
        if "satisfaction" in expected and not satisfaction and rules.satisfaction_when_absent:
            expected[rules.satisfaction_when_absent] += expected.pop("satisfaction")
        labels = {g.key: g.label for g in rules.groups}
        if given and total == 100:
            for group in evaluation.groups:
                if group.key in expected and group.points != expected[group.key]:
                    found.append(self._finding(
                        evaluation, "group-points", Severity.WARNING, "分值",
                        f"{labels[group.key]}分值合计{fmt(group.points)}分，规则集为{fmt(expected[group.key])}分",
                        "一级指标分值：" + "、".join(f"{labels[k]}{fmt(v)}分" for k, v in expected.items())
                        + f"（{rules.title}）", where, claimed=group.points, recomputed=expected[group.key],
                        hint="按规定的一级指标分值分配各三级指标的分值。"))
        return found

    # --- 总分 and 等级 ---

    def totals(self, evaluation: Evaluation) -> list[Finding]:
        rules = self.rules
        found: list[Finding] = []
        where = self.where("total", evaluation.id)
        claimed_total = evaluation.claimed_total
        rows = [i.claimed for i in evaluation.indicators]
        ex_claimed = evaluation.execution.claimed
        rule_sum = "总分为预算执行得分与各项指标得分之和（财预〔2020〕10号）"
        if claimed_total is not None and rows and all(c is not None for c in rows) and ex_claimed is not None:
            row_sum = sum(rows, Decimal(0)) + ex_claimed  # type: ignore[arg-type]
            if row_sum != claimed_total:
                found.append(self._finding(
                    evaluation, "total-not-sum", Severity.ERROR, "总分",
                    f"自评总分{fmt(claimed_total)}分，不等于各项自评得分之和{fmt(row_sum)}分", rule_sum, where,
                    claimed=claimed_total, recomputed=row_sum, hint="核对总分的加总。"))
        total = evaluation.total
        if claimed_total is not None and total is not None and claimed_total != total:
            higher = claimed_total > total
            found.append(self._finding(
                evaluation, "total-above-rules" if higher else "total-below-rules",
                Severity.ERROR if higher else Severity.WARNING, "总分",
                f"自评总分{fmt(claimed_total)}分，按规则复核为{fmt(total, 2)}分"
                f"（{'多' if higher else '少'}{fmt(abs(claimed_total - total))}分）", rule_sum, where,
                claimed=claimed_total, recomputed=total, hint="按复核结果修改总分。"))
        printed = self.grades.get(evaluation.id)
        grade_rule = "等级：" + "、".join(
            f"{grade}（{fmt(minimum)}分及以上）" if minimum else f"{grade}" for grade, minimum in rules.grade_bands
        ) + f"（{rules.title}）"
        grade_where = self.locations.get("grade" if evaluation.id is None else f"{evaluation.id}.grade", where)
        if printed is not None and claimed_total is not None and rules.grade(claimed_total) != printed:
            found.append(self._finding(
                evaluation, "grade-not-total", Severity.ERROR, "等级",
                f"表中等级为“{printed}”，而自评总分{fmt(claimed_total)}分对应“{rules.grade(claimed_total)}”",
                grade_rule, grade_where, claimed=printed, recomputed=rules.grade(claimed_total),
                hint="按总分确定等级。"))
        claimed_grade = printed if printed is not None else (
            rules.grade(claimed_total) if claimed_total is not None else None)
        if claimed_grade is not None and evaluation.grade and claimed_grade != evaluation.grade:
            source = "表中等级" if printed is not None else f"按自评总分{fmt(claimed_total)}分"
            found.append(self._finding(
                evaluation, "grade-change", Severity.ERROR, "等级",
                f"{source}为“{claimed_grade}”，复核总分{fmt(total, 2)}分，等级为“{evaluation.grade}”",
                grade_rule, grade_where if printed is not None else where, claimed=claimed_grade,
                recomputed=evaluation.grade, hint="按复核结果修改等级。"))
        return found
