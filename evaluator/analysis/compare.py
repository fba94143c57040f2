"""Compare one department over several years: indicators matched across years, and what changed.

``compare_years`` is pure: for each year it takes the targets and the scoring result (None for a year
that has targets but no actuals yet) and returns a ``Comparison``: every scope (the department as a
whole, then each special fund) tracked across the years, every indicator matched across the years,
and the changes an auditor asks about (``Flag``). ``compare_files`` finds the files of one department
under ``targets/<year>/`` and ``actuals/<year>/``, scores them and compares them: the one call behind
``evaluator compare``.

The comparison's types are in ``evaluator.results.comparison``, matching across years in
``analysis.matching``, the flags in ``analysis.flags``; the HTML page is ``evaluator.report.compare_page``.
Funds are matched like indicators: by project id, then by name; the department is always itself.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from evaluator.analysis.discovery import department_slugs, find_actuals, year_folders
from evaluator.analysis.flags import cost_flags, cost_tracks, flags
from evaluator.analysis.matching import match, normalise_name, safe_key
from evaluator.errors import InputError, InputErrors, Location, Problem, display_path
from evaluator.io.load import load_inputs
from evaluator.io.previous import previous_year
from evaluator.language.direction import direction_of
from evaluator.language.units import convert, in_unit
from evaluator.language.values import Op, parse_value
from evaluator.model import Indicator, Targets
from evaluator.results.comparison import DEPARTMENT, Cell, Comparison, FlagKind, Line, ScopeTrack, ScopeYear
from evaluator.results.scores import Evaluation, IndicatorScore, InputFile, Result
from evaluator.rules import load_rules
from evaluator.scoring import evaluate

__all__ = ["YearInput", "compare_files", "compare_years", "parse_years"]

_SINGLE_OPS = (Op.GE, Op.GT, Op.LE, Op.LT, Op.EQ)


@dataclass(frozen=True)
class YearInput:
    """One year of a department: its targets and, once actuals exist, the scoring result."""

    year: int
    targets: Targets
    result: Result | None  # None: targets only (no actuals file for that year)


# --- the pure comparison -------------------------------------------------------------------------------


def compare_years(entries: Sequence[YearInput], *, slug: str | None = None) -> Comparison:
    """Match the indicators of several years of one department and list what changed.

    ``entries`` may come in any order; they are sorted by year. Raises ValueError for two entries of
    the same year or entries scored under different rule sets.
    """
    entries = sorted(entries, key=lambda e: e.year)
    years = tuple(e.year for e in entries)
    if not entries:
        raise ValueError("nothing to compare")
    if len(set(years)) != len(years):
        raise ValueError(f"a year appears twice: {years}")
    rule_names = {e.result.rules for e in entries if e.result is not None}
    if len(rule_names) > 1:
        raise ValueError(f"results scored under different rule sets: {sorted(rule_names)}")
    latest = entries[-1]
    money_unit = latest.targets.money_unit
    scopes = _scopes(entries, money_unit)
    found = flags(scopes, years, money_unit)
    costs = tuple(cost_tracks(scopes, years))
    found += tuple(cost_flags(costs, scopes, years, money_unit))
    order = {s.key: n for n, s in enumerate(scopes)}
    line_order = {line.key: n for s in scopes for n, line in enumerate(s.lines)}
    kinds = list(FlagKind)
    found = tuple(sorted(found, key=lambda f: (
        f.year, order[f.scope_key], -1 if f.line is None else line_order[f.line], kinds.index(f.kind))))
    scored = [e.result for e in entries if e.result is not None]
    inputs = tuple((e.year, f) for e in entries if e.result is not None for f in e.result.inputs
                   if f.role != "rules")
    inputs += tuple((e.year, InputFile("targets", e.targets.source or "", e.targets.sha256 or ""))
                    for e in entries if e.result is None)
    rules_input = next((f for r in scored for f in r.inputs if f.role == "rules"), None)
    if rules_input is not None:
        inputs += ((latest.year, rules_input),)
    return Comparison(
        department=latest.targets.department,
        names=tuple(e.targets.department for e in entries),
        slug=slug,
        years=years,
        has_actuals=tuple(e.result is not None for e in entries),
        rules=scored[-1].rules if scored else "",
        rules_title=scored[-1].rules_title if scored else "",
        tool_version=scored[-1].tool_version if scored else "",
        money_unit=money_unit,
        scopes=scopes,
        flags=found,
        costs=costs,
        inputs=tuple(sorted(inputs, key=lambda pair: (pair[0], _ROLE_ORDER.get(pair[1].role, 9)))),
        missing_actuals=tuple(e.year for e in entries if e.result is None),
    )


_ROLE_ORDER = {"targets": 0, "actuals": 1, "rules": 2}


@dataclass
class _Scope:
    """A scope in one year while matching: its id, name, evaluation and cells."""

    id: str | None
    name: str
    year: ScopeYear
    cells: list[Cell]


def _year_scopes(entry: YearInput, money_unit: str) -> list[_Scope]:
    """Return the scopes of one year (department first, then the funds in file order) with their cells."""
    targets, result = entry.targets, entry.result
    evaluations: dict[str | None, Evaluation] = {}
    if result is not None:
        evaluations = {e.id if e.scope == "project" else None: e for e in result.evaluations}
    scopes = []
    parts: list[tuple[str | None, str, tuple[Indicator, ...], Decimal | None]] = [
        (None, "部门整体支出", targets.indicators, targets.budget.total)]
    parts += [(p.id, p.name, p.indicators, p.amount) for p in targets.projects]
    for scope_id, name, indicators, planned in parts:
        evaluation = evaluations.get(scope_id)
        scores = {i.id: i for i in evaluation.indicators} if evaluation is not None else {}
        cells = [_cell(entry.year, indicator, scores.get(indicator.id)) for indicator in indicators]
        year = _scope_year(entry, scope_id, name, evaluation, planned, len(indicators), money_unit)
        scopes.append(_Scope(scope_id, name, year, cells))
    return scopes


def _money(amount: Decimal | None, unit: str, to_unit: str) -> Decimal | None:
    if amount is None or unit == to_unit:
        return amount
    return convert(amount, unit, to_unit)


def _scope_year(
    entry: YearInput, scope_id: str | None, name: str, evaluation: Evaluation | None, planned: Decimal | None,
    count: int, money_unit: str,
) -> ScopeYear:
    unit = entry.targets.money_unit
    if evaluation is None:
        return ScopeYear(
            year=entry.year, id=scope_id, name=name, planned=_money(planned, unit, money_unit), initial=None,
            adjusted=None, executed=None, rate=None, execution_points=None, execution_score=None, total=None,
            grade=None, groups=(), indicators=count, has_actuals=False,
        )
    ex = evaluation.execution
    return ScopeYear(
        year=entry.year, id=scope_id, name=name, planned=_money(planned, unit, money_unit),
        initial=_money(ex.initial, unit, money_unit), adjusted=_money(ex.adjusted, unit, money_unit),
        executed=_money(ex.executed, unit, money_unit), rate=ex.rate, execution_points=ex.points,
        execution_score=ex.score, total=evaluation.total, grade=evaluation.grade, groups=evaluation.groups,
        indicators=count, has_actuals=True,
    )


def _cell(year: int, indicator: Indicator, score: IndicatorScore | None) -> Cell:
    target = parse_value(indicator.target)
    # a change from last year (较上年增长10%) is not a level: it cannot be set against last year's actual
    single = target.op in _SINGLE_OPS and target.number is not None and target.relative is None
    if score is not None:
        direction = score.direction
    else:
        direction = direction_of(indicator, target)[0].value
    actual_value = None
    if score is not None and score.actual is not None and single:
        actual = parse_value(score.actual)
        if actual.is_numeric and actual.op is not Op.RANGE and actual.relative is None:
            actual_value = in_unit(actual.number, actual.unit, target.unit)
    return Cell(
        year=year, id=indicator.id, name=indicator.name, level1=indicator.level1, level2=indicator.level2,
        target=indicator.target, direction=direction, target_value=target.number if single else None,
        unit=target.unit if single else None, actual=score.actual if score is not None else None,
        actual_value=actual_value, points=score.points if score is not None else None,
        score=score.score if score is not None else None, status=score.status if score is not None else None,
        completion=_completion(score), matched="first",
    )


def _completion(score: IndicatorScore | None) -> Decimal | None:
    """Return how far the target was reached, direction-aware (1 = on target); None when not numeric."""
    if score is None or score.ratio is None or score.direction == "qualitative":
        return None
    if score.direction == "lower":
        return (1 / score.ratio).quantize(Decimal("0.0001")) if score.ratio else None
    return score.ratio


def _scopes(entries: Sequence[YearInput], money_unit: str) -> tuple[ScopeTrack, ...]:
    per_year = [_year_scopes(e, money_unit) for e in entries]
    # funds are matched like indicators: by id, then by name; the department is always itself
    fund_tracks = match(
        [[s for s in scopes if s.id is not None] for scopes in per_year],
        key_id=lambda s: s.id or "", key_name=lambda s: normalise_name(s.name),
    )
    tracks: list[tuple[str | None, list[_Scope | None], str]] = [
        (None, [scopes[0] for scopes in per_year], "id")]
    tracks += [(next(s for s in reversed(track) if s is not None).id, track, how)
               for track, how in fund_tracks]
    used: set[str] = set()
    result = []
    for scope_id, track, how in tracks:
        key = safe_key("fund", scope_id, used) if scope_id is not None else DEPARTMENT
        used.add(key)
        lines = match(
            [s.cells if s is not None else [] for s in track],
            key_id=lambda c: c.id, key_name=lambda c: normalise_name(c.name),
        )
        line_keys: set[str] = set()
        built = []
        for cells, line_how in lines:
            latest = next(c for c in reversed(cells) if c is not None)
            line_key = safe_key(key, latest.id, line_keys)
            line_keys.add(line_key)
            built.append(Line(line_key, key, tuple(cells), line_how))
        result.append(ScopeTrack(
            key=key, kind=DEPARTMENT if scope_id is None else "project",
            years=tuple(s.year if s is not None else None for s in track), lines=tuple(built), match=how,
        ))
    return tuple(result)


# --- from files -----------------------------------------------------------------------------------------


def parse_years(text: str | None) -> tuple[int, int] | None:
    """Read ``--years``: "2021-2025" (both included) or one year "2023"; None means every year found.

    Anything else raises InputError; the command turns it into a usage error (exit code 2).
    """
    if text is None or not text.strip():
        return None
    match = re.fullmatch(r"\s*(\d{4})\s*(?:[-–—~至到]\s*(\d{4}))?\s*", text)
    if match is None:
        hint = "比较的是连续的年度：起止年度之间用“-”连接，如 2022-2024。" if re.search(r"[,，、;；\s]", text.strip()) \
            else "年度写四位数字，如 2023；年度范围写起止年度，如 2021-2025。"
        raise InputError(f"年度范围应写成“2021-2025”（起止年度）或“2023”（单个年度），实际是“{text}”", hint=hint)
    first = int(match[1])
    last = int(match[2]) if match[2] else first
    if last < first:
        raise InputError(f"起始年度 {first} 晚于结束年度 {last}", hint=f"写成 {last}-{first}。")
    return first, last


def compare_files(
    slug: str,
    *,
    targets_dir: Path | str = "targets",
    actuals_dir: Path | str = "actuals",
    years: tuple[int, int] | None = None,
    rules: str | Path = "national-2020",
) -> Comparison:
    """Load, score and compare every year of one department; raise InputErrors naming what is wrong.

    A year with a targets file and no actuals file is compared on its targets only.
    """
    targets_root, actuals_root = Path(targets_dir), Path(actuals_dir)
    if not targets_root.is_dir():
        raise InputError(f"目标文件夹“{targets_root.as_posix()}”不存在",
                         hint="用 --targets-dir 指定存放 <年度>/<部门>.yaml 的文件夹。")
    found = [(year, folder / f"{slug}.yaml") for year, folder in year_folders(targets_root)
             if (folder / f"{slug}.yaml").is_file()]
    if not found:
        known = department_slugs(targets_root)
        listed = "、".join(known) if known else "（没有任何目标文件）"
        raise InputError(f"在 {targets_root.as_posix()}/<年度>/ 中找不到部门“{slug}”的目标文件",
                         hint=f"可用的部门：{listed}")
    if years is not None:
        have = "、".join(str(y) for y, _ in found)
        found = [(year, path) for year, path in found if years[0] <= year <= years[1]]
        if not found:
            raise InputError(f"部门“{slug}”在 {years[0]}—{years[1]} 年没有目标文件（有目标文件的年度：{have}）")
    if len(found) < 2:
        raise InputError(f"部门“{slug}”只有 {found[0][0]} 年的目标文件，比较至少需要两个年度",
                         hint="单个年度请用 evaluator report。")
    rule_set = load_rules(rules)
    entries, problems = [], []
    for year, targets_path in found:
        actuals_path = find_actuals(actuals_root / str(year), slug)
        try:
            targets, actuals = load_inputs(targets_path, actuals_path)
        except InputErrors as error:
            problems.extend(error.problems)
            continue
        if targets.year != year:
            problems.append(Problem(
                Location(file=display_path(targets_path), key="year"),
                f"文件在 {year} 年的文件夹中，但 year 写的是 {targets.year}",
                "把文件放到对应年度的文件夹，或改正 year。", code="year-mismatch"))
            continue
        previous = previous_year(targets, targets_path, actuals_path)
        result = evaluate(targets, actuals, rule_set, previous=previous) if actuals is not None else None
        entries.append(YearInput(year, targets, result))
    if problems:
        raise InputErrors(problems)
    return compare_years(entries, slug=slug)
