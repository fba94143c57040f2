"""Read each kind of form (附表1, 附表2, 附表3) out of its rows, by label and header words.

A form has two kinds of parts:

- label rows: a label cell followed by its value (部门名称 | 株洲市…, 项目金额 | 36.00,
  资金总额：790.64 written in one cell);
- column sections: a header row (一级指标 二级指标 三级指标 指标值及单位 …) and the data rows under it,
  matched to the header by grid column, with 一级/二级指标 forward-filled.

Every problem is collected with the row and column it concerns; nothing here raises.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from decimal import Decimal

from evaluator.errors import Location, Problem, Severity
from evaluator.forms.grid import (
    Cell,
    Column,
    Form,
    Header,
    Row,
    find_header,
    header_words,
    norm,
    parse_amount,
)
from evaluator.model import Indicator, PlanItem, SpendingLine

__all__ = ["Parsed", "parse_form"]

INDICATOR_COLUMNS = (
    Column("level1", "一级指标", r"一级指标$"),
    Column("level2", "二级指标", r"二级指标$"),
    Column("name", "三级指标", r"(三级指标|指标名称|绩效指标名称)$"),
    Column("target", "指标值", r"(指标值|年度指标值|目标值|预期目标值)"),
    Column("standard", "绩效标准", r"(绩效标准|指标标准|评价标准)$", required=False),
    Column("points", "分值", r"分值", required=False),
    Column("note", "备注", r"备注$", required=False),
)
PLAN_COLUMNS = (
    Column("item", "事项", r"(事项|工作事项|重点工作|重点事项)$"),
    Column("owner", "责任单位/科室", r"责任(单位|科室|部门)", required=False),
    Column("goal", "工作目标", r"(工作目标|目标)$", required=False),
)
SPENDING_COLUMNS = (
    Column("content", "支出内容简介", r"支出内容"),
    Column("detail", "支出明细", r"支出明细$", required=False),
    Column("amount", "金额", r"(金额|预算金额|资金金额)"),
    Column("basis", "支出测算依据及过程说明", r"(支出)?测算(依据|说明)", required=False),
)
SUMMARY_COLUMNS = (
    Column("number", "序号", r"序号$", required=False),
    Column("name", "名称", r"(名称|专项名称|项目名称|专项资金名称)$"),
    Column("amount", "金额", r"(金额|资金金额|预算金额)"),
    Column("goal_period", "实施期绩效目标", r"实施期(绩效)?目标", required=False),
    Column("goal_year", "年度绩效目标", r"年度(绩效)?目标", required=False),
)
_INDICATOR_HINT = "表头应含：一级指标、二级指标、三级指标、指标值（及单位）；请勿改动或删除表头文字。"
_DEPT_LABELS = {
    "部门名称": "department", "单位名称": "department",
    "部门职责概述": "duties", "部门职能概述": "duties", "职责概述": "duties",
    "年度预算申请": "budget", "资金总额": "total", "按收入性质分": "budget", "按支出性质分": "budget",
    "年度重点工作计划": "plan", "年度绩效指标": "indicators", "年度绩效目标": "indicators",
}
_PROJECT_LABELS = {
    "支出方向(子项)": "name", "支出方向": "name", "子项名称": "name", "项目名称": "name",
    "所属专项": "parent", "名称": "parent_name", "专项名称": "parent_name",
    "项目金额": "amount", "项目资金": "amount", "年度资金总额": "amount", "金额": "parent_amount",
    "项目实施期": "period", "实施期": "period", "项目期限": "period",
    "实施期绩效目标": "goal_period", "实施期目标": "goal_period", "总体目标": "goal_period",
    "年度绩效目标": "goal_year", "年度目标": "goal_year", "年度总体目标": "goal_year",
    "年度绩效指标": "indicators", "绩效指标": "indicators", "支出明细及测算说明": "spending",
}
# “1.” “1、” “（1）” “一、” before a plan item; not the “1.” of “1.5倍”
_ENUMERATION = re.compile(
    r"^\s*(?:\d+\s*[.．、,，)）]|[（(]\d+[)）]|[一二三四五六七八九十]+\s*[、.．])\s*(?!\d)"
)
_BUDGET_NAME = re.compile(r"(拨款|资金|支出|收入|结转|结余|经费|预算)$")


def _label(text: str, vocabulary: dict[str, str]) -> tuple[str | None, str]:
    """Return the label a cell names (and any value written after a colon in the same cell)."""
    word = norm(text)
    if word.startswith("其中:"):
        word = word[3:]
    value = ""
    head, colon, _ = word.partition(":")
    if colon and head in vocabulary:
        word, value = head, text[re.search(r"[:：]", text).end():].strip()  # type: ignore[union-attr]
    word = word.rstrip(":")
    for candidate in (word, re.sub(r"\((亿元|千元|万元|元)\)$", "", word)):
        if candidate in vocabulary:
            return vocabulary[candidate], value
    return None, ""


@dataclass
class Parsed:
    """What one form yielded, with the location of each thing for later messages."""

    form: Form
    values: dict[str, object] = field(default_factory=dict)
    at: dict[str, Location] = field(default_factory=dict)
    indicators: list[tuple[Indicator, Location]] = field(default_factory=list)
    plan: list[PlanItem] = field(default_factory=list)
    spending: list[tuple[SpendingLine, Location]] = field(default_factory=list)
    lines: list[tuple[str, Decimal | None, Location]] = field(default_factory=list)  # 附表2
    problems: list[Problem] = field(default_factory=list)
    headers: dict[str, Header] = field(default_factory=dict)  # the last header found for each section
    # what a targets file needs and the form lacks: (field, position in ``indicators`` or None, the problem)
    gaps: list[tuple[str, int | None, Problem]] = field(default_factory=list)

    @property
    def label(self) -> str:
        name = self.values.get("name")
        return f"{self.form.kind}（{name}）" if name else self.form.kind

    def error(self, where: Location, message: str, hint: str = "", code: str = "") -> None:
        self.problems.append(Problem(where, message, hint, code=code))

    def warn(self, where: Location, message: str, hint: str = "", code: str = "") -> None:
        self.problems.append(Problem(where, message, hint, Severity.WARNING, code))

    def amount(
        self, text: str, row: Row, cell: Cell | None, column: str, *, money: bool = True
    ) -> Decimal | None:
        """Return the number in a cell (money in the form's unit, or points); record an error if none."""
        try:
            return parse_amount(text, self.form.money_unit if money else None)
        except ValueError:
            unit = self.form.money_unit or "万元"
            hint = "只填阿拉伯数字（如 10）。"
            if money:
                hint = f"只填阿拉伯数字（如 36.00），单位为表头写明的{unit}。"
            message = f"{self.label}的“{column}”应为数字，实际是“{text}”"
            self.error(row.location(cell, column), message, hint, "not-a-number")
            return None

    def gap(self, field_name: str, position: int | None, where: Location, message: str, hint: str, code: str) -> None:
        """Record that a value a targets file needs is missing: an error, unless the import allows gaps."""
        problem = Problem(where, message, hint, code=code)
        self.problems.append(problem)
        self.gaps.append((field_name, position, problem))

    def set(self, key: str, value: object, where: Location) -> None:
        """Keep the first value found for ``key`` (an empty one gives way to a later one)."""
        if self.values.get(key) is None:
            self.values[key] = value
            self.at[key] = where


def parse_form(form: Form) -> Parsed:
    parsed = Parsed(form)
    {"附表1": _department, "附表2": _summary, "附表3": _project}[form.kind](parsed)
    return parsed


def _value_after(row: Row, index: int, vocabulary: dict[str, str]) -> tuple[str, Cell | None]:
    """Return the value cell after a label: the next cell, or past blank cells if no label comes first."""
    for cell in row.cells[index + 1:]:
        if cell.text:
            if _label(cell.text, vocabulary)[0]:
                return "", None
            return cell.text, cell
    return "", None


def _label_row(parsed: Parsed, row: Row, vocabulary: dict[str, str]) -> None:
    """Record every label-value pair of a row (e.g. 项目金额 | 36.00 | 金额 | 36.00).

    A label merged down from the row above labels that row's value only: its repeats are skipped.
    """
    for index, cell in enumerate(row.cells):
        key, inline = _label(cell.text, vocabulary)
        if key is None or cell.continued:
            continue
        text, value_cell = (inline, cell) if inline else _value_after(row, index, vocabulary)
        column = re.split(r"[:：]", re.sub(r"\s+", "", cell.text), maxsplit=1)[0]
        if key in ("amount", "parent_amount", "total"):
            amount = parsed.amount(text, row, value_cell, column)
            parsed.set(key, amount, row.location(value_cell or cell, column))
        elif key not in ("parent", "budget", "plan", "indicators", "spending") and text:
            parsed.set(key, text, row.location(value_cell, column))


def _sections(parsed: Parsed, vocabulary: dict[str, str], columns: dict[str, tuple[Column, ...]]) -> None:
    """Walk the rows: header rows open a column section, label rows end it, other rows are its data."""
    section: tuple[str, Header] | None = None
    levels: dict[str, str] = {}
    in_budget = False
    for row in parsed.form.rows:
        headers = ((name, find_header(row, spec)) for name, spec in columns.items())
        opened = next(((name, header) for name, header in headers if header is not None), None)
        if opened is not None:
            section, levels, in_budget = opened, {}, False
            parsed.headers[opened[0]] = opened[1]
            continue
        key, _ = _label(row.filled()[0].text, vocabulary)
        if section is not None and key in (None, section[0]):
            _data_row(parsed, section[0], section[1], row, levels)
            continue
        section = None
        in_budget = key in ("budget", "total") or (key is None and in_budget)
        if in_budget:
            _budget_row(parsed, row)
        else:
            _label_row(parsed, row, vocabulary)
    for name, header in parsed.headers.items():
        _check_header(parsed, name, header)


def _check_header(parsed: Parsed, name: str, header: Header) -> None:
    """Report the columns a section's header lacks (the last header seen: a two-row header's lower row)."""
    for column in header.missing:
        hint = _INDICATOR_HINT if name == "indicators" else "表头应含：" + "、".join(
            c.label for c in _COLUMNS[name] if c.required
        ) + "。"
        parsed.error(
            header.row.location(None, column.label),
            f"{parsed.label}的{_SECTION_NAMES[name]}表头缺少“{column.label}”列（表头为：{header_words(header)}）",
            hint, "missing-column",
        )


_COLUMNS = {"indicators": INDICATOR_COLUMNS, "plan": PLAN_COLUMNS, "spending": SPENDING_COLUMNS,
            "lines": SUMMARY_COLUMNS}
_SECTION_NAMES = {"indicators": "年度绩效指标", "plan": "年度重点工作计划", "spending": "支出明细及测算说明",
                  "lines": "专项资金汇总"}


def _data_row(parsed: Parsed, name: str, header: Header, row: Row, levels: dict[str, str]) -> None:
    if header.missing:
        return
    get = {column.field: header.value(row, column.field) for column in _COLUMNS[name]}
    if name == "indicators":
        _indicator_row(parsed, header, row, get, levels)
    elif name == "plan":
        item, owner, goal = get["item"][0], get["owner"][0], get["goal"][0]
        if item or owner or goal:
            parsed.plan.append(PlanItem(_ENUMERATION.sub("", item, count=1), owner or None, goal or None))
    elif name == "spending":
        _spending_row(parsed, row, get)
    else:
        _summary_row(parsed, row, get)


def _indicator_row(parsed: Parsed, header: Header, row: Row, get: dict, levels: dict[str, str]) -> None:
    name_cell, target_cell = get["name"][1], get["target"][1]
    if name_cell is not None and name_cell is target_cell:
        return  # one cell across the whole row: a note under the table, not an indicator
    for level in ("level1", "level2"):
        text = re.sub(r"\s+", "", get[level][0])
        if text:
            levels[level] = text
            if level == "level1":
                levels.pop("level2", None)
    name, target = get["name"][0], get["target"][0]
    if not name and not target and not any(c is not None and (c.formula or c.linked) for c in (name_cell, target_cell)):
        return
    where = row.location(target_cell, header.cells["target"].text.replace("\n", ""))
    points = None
    if get["points"][0]:
        points = parsed.amount(get["points"][0], row, get["points"][1], "分值", money=False)
    indicator = Indicator(
        id="", level1=levels.get("level1", ""), level2=levels.get("level2", ""), name=name, target=target,
        points=points, standard=get["standard"][0] or None, note=get["note"][0] or None,
    )
    for level, label in (("level1", "一级指标"), ("level2", "二级指标")):
        if not getattr(indicator, level):
            parsed.warn(row.location(get[level][1], label), f"{parsed.label}的指标“{name}”没有{label}")
    position = len(parsed.indicators)
    missing_name = _missing(name_cell, name, f"{parsed.label}指标值为“{target}”的一行的三级指标名称")
    if missing_name:
        parsed.gap("name", position, row.location(name_cell, "三级指标"), *missing_name)
        indicator = replace(indicator, name="")
    missing_target = _missing(target_cell, target, f"{parsed.label}的指标“{name}”的指标值")
    if missing_target:
        parsed.gap("target", position, where, *missing_target)
        indicator = replace(indicator, target="")  # a value cached from another workbook is not taken as the target
    parsed.indicators.append((indicator, where))


_INCOMPLETE_HINT = ("或加 --allow-incomplete 导入：目标文件中会标出缺项（incomplete），"
                    "evaluator check 把它们列为错误，补上后删去。")


def _missing(cell: Cell | None, text: str, what: str) -> tuple[str, str, str] | None:
    """(message, hint, code) when a value a targets file needs is not in the cell, else None.

    Missing means: blank, a formula whose result the file never saved, or a formula that reads another
    workbook (its cached value may be out of date, and the other file is not imported).
    """
    if cell is not None and cell.formula:
        return (f"{what}是公式“{cell.formula}”，公式没有计算结果（文件中没有保存）",
                "请在 Excel 中打开并保存，或把公式改为数值/文字，再重新导入；" + _INCOMPLETE_HINT,
                "formula-without-result")
    if cell is not None and cell.linked:
        cached = f"保存时的缓存值为“{text}”" if text else "文件中没有缓存值"
        return (f"{what}来自外部链接（公式“{cell.linked}”引用另一个工作簿，{cached}），无法确认",
                "在 Excel 中“数据 → 编辑链接 → 断开链接”，核对数值后另存，再重新导入；" + _INCOMPLETE_HINT,
                "external-link-value")
    if not text:
        return f"{what}没有填写", "在表格中补上后重新导入；" + _INCOMPLETE_HINT, "missing-value"
    return None


def _spending_row(parsed: Parsed, row: Row, get: dict) -> None:
    texts = {key: value[0] for key, value in get.items()}
    if not any(texts.values()):
        return
    amount = parsed.amount(texts["amount"], row, get["amount"][1], "金额")
    if any(norm(cell.text) in ("合计", "总计") for cell in row.filled()):
        parsed.set("spending_total", amount, row.location(get["amount"][1], "金额"))
        return
    line = SpendingLine(texts["content"] or None, texts["detail"] or None, amount, texts["basis"] or None)
    parsed.spending.append((line, row.location(get["amount"][1], "金额")))


def _summary_row(parsed: Parsed, row: Row, get: dict) -> None:
    name, amount_text = get["name"][0], get["amount"][0]
    if not name and not amount_text:
        return
    amount = parsed.amount(amount_text, row, get["amount"][1], "金额")
    where = row.location(get["amount"][1], "金额")
    if norm(name) in ("合计", "总计") or (not name and norm(get["number"][0]) in ("合计", "总计")):
        parsed.set("total", amount, where)
    else:
        parsed.lines.append((name, amount, where))


def _budget_row(parsed: Parsed, row: Row) -> None:
    """Read 资金总额 and the pairs “其中：一般公共预算拨款 | 790.64 | 其中：基本支出 | 698.54”."""
    cells = row.cells
    for index, cell in enumerate(cells):
        key, inline = _label(cell.text, _DEPT_LABELS)
        if not cell.text or key == "budget":
            continue
        if key == "total":
            text, value_cell = (inline, cell) if inline else _next(cells, index)
            where = row.location(value_cell, "资金总额")
            missing = _missing(value_cell, text, "附表1的“资金总额”")
            total = None if missing else parsed.amount(text, row, value_cell, "资金总额")
            if missing and parsed.values.get("total") is None:
                parsed.gap("total", None, where, *missing)
            parsed.set("total", total, where)
            continue
        name = norm(cell.text).removeprefix("其中:")
        if not _BUDGET_NAME.search(name):
            continue  # a value, read with its label
        text, value_cell = _next(cells, index)
        if _BUDGET_NAME.search(norm(text)):
            text, value_cell = "", None  # the next cell is the next label: this one has no amount
        amount = parsed.amount(text, row, value_cell, name)
        kind = "by_nature" if name.endswith("支出") else "by_source"
        if amount is not None:
            parsed.values.setdefault(kind, {})[name] = amount  # type: ignore[index]
            parsed.at[f"budget.{kind}.{name}"] = row.location(value_cell, name)


def _next(cells: tuple[Cell, ...], index: int) -> tuple[str, Cell | None]:
    return (cells[index + 1].text, cells[index + 1]) if index + 1 < len(cells) else ("", None)


def _department(parsed: Parsed) -> None:
    _sections(parsed, _DEPT_LABELS, {"indicators": INDICATOR_COLUMNS, "plan": PLAN_COLUMNS})
    _require_indicators(parsed)
    if "total" not in parsed.values:
        parsed.gap("total", None, parsed.form.where.location(), "附表1中没有找到“资金总额”",
                   "确认附表1保留了“资金总额”一行；" + _INCOMPLETE_HINT, "no-total")


def _summary(parsed: Parsed) -> None:
    _sections(parsed, {}, {"lines": SUMMARY_COLUMNS})
    if "lines" not in parsed.headers:
        parsed.error(
            parsed.form.where.location(), "附表2中没有找到“序号、名称、金额”表头",
            "表头应含：序号、名称、金额、实施期绩效目标、年度绩效目标；请勿改动表头文字。", "no-header",
        )


def _project(parsed: Parsed) -> None:
    _sections(parsed, _PROJECT_LABELS, {"indicators": INDICATOR_COLUMNS, "spending": SPENDING_COLUMNS})
    if not parsed.values.get("name"):
        parsed.error(
            parsed.form.where.location(), "附表3中没有找到“支出方向（子项）”的名称",
            "在“支出方向（子项）”右边的格子里填写专项（子项）名称。", "no-name",
        )
    _require_indicators(parsed)


def _require_indicators(parsed: Parsed) -> None:
    if "indicators" not in parsed.headers:
        parsed.error(
            parsed.form.where.location(),
            f"{parsed.label}中没有找到年度绩效指标表头（一级指标、二级指标、三级指标、指标值）",
            _INDICATOR_HINT, "no-indicators",
        )
