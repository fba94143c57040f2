"""Read filled 自评表 (项目支出 / 部门整体支出绩效自评表 and their provincial variants) out of rows.

The rows come from the same readers as the target forms (``grid.Row``: text export, Word, Excel).
A file may hold several tables (a department's 部门整体 table and one table per project); each
starts at its title (“项目支出绩效自评表”, “部门整体支出绩效自评表”, “（临时救助）绩效目标自评表”,
“部门整体支出绩效评价指标表” …), or at its first recognised row when there is no title.

Inside a table every part is found by its words, never by position:

- label rows: 项目名称, 部门（单位）名称, 主管部门, 实施单位, 填报单位, each followed by its value;
- the budget block: a header naming at least three of 年初预算数, 全年预算数, 全年执行数, 分值, 执行率,
  得分, then one line per row label (年度资金总额, 其中：当年财政拨款, 上年结转资金, 其他资金, 基本支出 …);
- 年度总体目标: a 预期目标 ‖ 实际完成情况 header and the texts under it;
- the indicator table: a header naming the indicator (三级指标 / 指标名称) and at least two of 年度指标值,
  实际完成值, 分值, 得分, then its rows, 一级/二级指标 forward-filled across merged cells;
- 总分 (分值 and 得分 under the table's own columns) and 自评等级.

Provincial variants read too: no 分值 column; 分值 in the 一级 label (“产出指标(50分)”, kept as the
group's printed points); 指标性质/指标值类型 and 度量单位/计量单位 columns (joined to the value as
written: “≥” + “735” + “人次”); Chongqing's 年初/调整指标值, 全年完成值, 指标权重, 指标得分, 得分系数;
unscored 其中 rows (kept as a note of the indicator above). A header row printed again where a table
runs over a page, and a title printed again above it, are skipped with a note.

Every number is read exactly (Decimal); text where a number belongs is an error naming the row and
column. Nothing here raises: each table collects its own problems.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from evaluator.errors import Location, Problem, Severity
from evaluator.forms.grid import Cell, Column, Header, Row, find_header, header_words, norm
from evaluator.language.units import convert

__all__ = ["BudgetLine", "FilledIndicator", "FilledTable", "PLACEHOLDERS", "read_tables", "self_evaluation_title"]

_TITLE = re.compile(r"(自评表|自评情况表|自评结果表|绩效评价(指标)?表|绩效评价表)")
_DEPARTMENT_TITLE = re.compile(r"(部门|单位)(\(单位\))?整体|整体支出|整体绩效")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
_YEAR_OF_REPORT = re.compile(r"((?:19|20)\d\d)\s*年度")
_UNIT = re.compile(r"(?:单位|金额)?[:：]?\(?(亿元|千元|万元|元)\)?")
_UNIT_HEAD = re.compile(r"(?:金额单位|单位)[:：](亿元|千元|万元|元)")
_UNIT_LABEL = re.compile(r"\((亿元|千元|万元|元)\)")
_GROUP_POINTS = re.compile(r"[(（]\s*(\d+(?:\.\d+)?)\s*分?\s*[)）]")
PLACEHOLDERS = {"", "—", "——", "-", "--", "－", "/", "／", "\\", "无", "空", "暂无", "/ /"}
_NO_REASON = PLACEHOLDERS | {"0", "无偏差", "没有偏差", "无差异", "不适用", "已完成", "完成"}
_TOTAL_WORDS = ("总分", "自评总分", "合计得分", "总得分", "综合得分", "总计")
_GRADE_WORDS = ("自评等级", "评价等级", "等级", "自评结果", "评价结果", "绩效等级")
_GRADES = ("优秀", "良好", "优", "良", "中", "差", "合格", "不合格", "较好", "一般", "较差")

INDICATOR_COLUMNS = (
    Column("level1", "一级指标", r"一级指标"),
    Column("level2", "二级指标", r"二级指标"),
    Column("name", "三级指标", r"(三级指标|指标名称|绩效指标名称|三级指标名称|指标内容)(\(.*\))?$"),
    Column("op", "指标性质", r"(指标性质|指标值类型|计算符号|比较符号|指标方向|符号)$", required=False),
    Column("target_adjusted", "调整指标值", r"(调整指标值|调整后指标值|调整后目标值)", required=False),
    Column("target", "年度指标值", r"(年度指标值|年初指标值|预期指标值|指标值|年度目标值|目标值|计划值|年度计划值)",
           required=False),
    Column("unit", "度量单位", r"(度量单位|计量单位|单位)$", required=False),
    Column("actual", "实际完成值", r"(实际完成值|全年完成值|全年实际完成值|实际值|完成值|实际完成情况|实际完成数)",
           required=False),
    Column("coefficient", "得分系数", r"得分系数", required=False),
    Column("points", "分值", r"(分值|指标分值|权重|指标权重|权重分值)(\(分\))?$", required=False),
    Column("score", "得分", r"(得分|指标得分|自评得分|实际得分|评价得分)(\(分\))?$", required=False),
    Column("rule", "评分标准", r"(评分标准|评价标准|评分规则|计分方法)", required=False),
    Column("explanation", "指标说明", r"(指标说明|指标解释|指标定义)$", required=False),
    Column("reason", "偏差原因分析及改进措施",
           r"(偏差原因|未完成原因|原因分析|偏差说明|说明|备注)", required=False),
    Column("core", "是否核心指标", r"是否核心", required=False),
)
BUDGET_COLUMNS = (
    Column("initial", "年初预算数", r"年初预算(数)?"),
    Column("adjusted", "全年预算数", r"(全年预算(数)?|调整后预算(数)?|预算调整数|全年预算调整数)"),
    Column("executed", "全年执行数", r"(全年执行(数)?|实际执行(数)?|执行数|全年支出数|实际支出数)"),
    Column("points", "分值", r"(分值|权重)$", required=False),
    Column("rate", "执行率", r"(预算)?执行率", required=False),
    Column("score", "得分", r"得分$", required=False),
)
GOAL_COLUMNS = (
    Column("goal", "预期目标", r"(预期目标|年度目标|年初目标|绩效目标)$"),
    Column("done", "实际完成情况", r"(实际完成情况|完成情况|实际完成)$"),
)
_LABELS = {
    "项目名称": "project", "项目(资金)名称": "project", "专项名称": "project", "专项资金名称": "project",
    "部门名称": "department", "部门(单位)名称": "department", "单位名称": "department", "部门": "department",
    "主管部门": "supervisor", "主管单位": "supervisor", "实施单位": "implementer", "项目实施单位": "implementer",
    "填报单位": "reporter", "年度": "year",
}
_LABEL_HEADS = {"项目名称", "部门(单位)名称", "部门名称", "主管部门", "实施单位", "单位名称", "填报单位"}
_BUDGET_LINE = re.compile(r"(资金|拨款|结转|结余|支出|总额|合计|总计|经费|收入|预算)")
_GOAL_LABEL = re.compile(r"^(年度)?总体目标|^年度绩效目标$|^绩效目标$")
_SUB_ITEM = re.compile(r"^\s*(其中|含)\s*[:：]?")


@dataclass
class BudgetLine:
    """One row of the budget block: 年度资金总额, or one of its 其中 rows."""

    label: str
    initial: Decimal | None = None
    adjusted: Decimal | None = None
    executed: Decimal | None = None
    points: Decimal | None = None
    rate: Decimal | None = None  # the printed 执行率 as a fraction
    rate_text: str = ""
    score: Decimal | None = None
    where: Location = field(default_factory=Location)

    @property
    def is_total(self) -> bool:
        return not _SUB_ITEM.match(self.label) and (
            "总额" in self.label or "合计" in self.label or "总计" in self.label or self.label in ("项目资金", "资金"))

    @property
    def empty(self) -> bool:
        return all(v is None for v in (self.initial, self.adjusted, self.executed, self.score))


@dataclass
class FilledIndicator:
    """One indicator row as printed: every column as written, with the numbers read."""

    level1: str
    level2: str
    name: str
    target: str  # the 指标值 cell as written (the adjusted value when a 调整指标值 column has one)
    actual: str
    op: str = ""  # 指标性质 column
    unit: str = ""  # 度量单位 column
    points: Decimal | None = None
    score: Decimal | None = None
    reason: str = ""
    rule: str = ""
    explanation: str = ""
    coefficient: str = ""
    core: str = ""
    target_initial: str = ""  # the 年初指标值 when an adjusted value replaced it
    sub_items: list[str] = field(default_factory=list)
    where: Location = field(default_factory=Location)

    @property
    def full_target(self) -> str:
        """The target as one value: “≥” + “735” + “人次” → “≥735人次” (each part only if not already there)."""
        return _joined(self.op, self.target, self.unit)

    @property
    def full_actual(self) -> str:
        return _joined("", self.actual, self.unit)

    @property
    def clean_reason(self) -> str | None:
        """The 偏差原因 text, or None when it says nothing (“无”, “0”, “/” …)."""
        text = self.reason.strip()
        return None if norm(text) in {norm(p) for p in _NO_REASON} else text


def _joined(op: str, value: str, unit: str) -> str:
    value = value.strip()
    if not value:
        return ""
    op = op.strip()
    if op and (op in ("定性", "定量", "定性指标", "定量指标") or len(op) > 3):
        op = ""  # 指标性质 that names the kind of indicator, not a comparison
    if op and not value.startswith(op):
        value = op + value
    unit = unit.strip()
    if unit and unit not in PLACEHOLDERS and re.search(r"\d$", value):
        value += unit
    return value


@dataclass
class FilledTable:
    """One 自评表 found in a file, with where each part of it stands."""

    file: str
    where: Location
    title: str | None = None
    kind: str = "project"  # "project" | "department"
    hidden: bool = False
    year: int | None = None
    money_unit: str | None = None
    labels: dict[str, str] = field(default_factory=dict)
    at: dict[str, Location] = field(default_factory=dict)
    budget: list[BudgetLine] = field(default_factory=list)
    budget_where: Location | None = None
    goal: str | None = None
    done: str | None = None
    header: Header | None = None
    indicators: list[FilledIndicator] = field(default_factory=list)
    group_points: dict[tuple[str, str], tuple[Decimal, Location]] = field(default_factory=dict)  # (level, label)
    total_points: Decimal | None = None
    total_score: Decimal | None = None
    total_where: Location | None = None
    grade: str | None = None
    grade_where: Location | None = None
    problems: list[Problem] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)

    @property
    def name(self) -> str:
        """The table's subject: the project, or the department for a 部门整体 table."""
        if self.kind == "department":
            return self.labels.get("department") or "部门整体支出"
        return self.labels.get("project") or self.title or "项目"

    @property
    def label(self) -> str:
        kind = "部门整体支出绩效自评表" if self.kind == "department" else "项目支出绩效自评表"
        name = self.labels.get("project") if self.kind == "project" else None
        return f"{kind}（{name}）" if name else kind

    @property
    def department(self) -> str | None:
        """The department the table belongs to: 部门名称, else 实施单位, 主管部门, 填报单位."""
        for key in ("department", "implementer", "supervisor", "reporter"):
            if self.labels.get(key):
                return self.labels[key]
        return None

    @property
    def budget_total(self) -> BudgetLine | None:
        """The 年度资金总额 line (or the only line of the block)."""
        totals = [line for line in self.budget if line.is_total]
        if totals:
            return totals[0]
        return self.budget[0] if len(self.budget) == 1 else None

    @property
    def breakdown(self) -> list[BudgetLine]:
        """The 其中 rows of the budget block."""
        total = self.budget_total
        return [line for line in self.budget if line is not total]

    @property
    def breakdown_groups(self) -> list[list[BudgetLine]]:
        """The 其中 rows in their groups: each “其中：” starts one (by source of funds, by nature of spending)."""
        groups: list[list[BudgetLine]] = []
        for line in self.breakdown:
            if not groups or _SUB_ITEM.match(line.label):
                groups.append([])
            groups[-1].append(line)
        return [group for group in groups if any(not line.empty for line in group)]

    @property
    def has(self) -> set[str]:
        return set(self.header.cells) if self.header is not None else set()

    def problem(self, where: Location, message: str, hint: str = "", code: str = "",
                severity: Severity = Severity.ERROR) -> None:
        self.problems.append(Problem(where, message, hint, severity, code))


def self_evaluation_title(text: str) -> bool:
    """True when ``text`` is the title of a filled 自评表 (not of a target form)."""
    word = norm(text)
    return len(word) <= 80 and _TITLE.search(word) is not None and "目标表" not in word.replace("目标自评表", "")


def _table_kind(title: str | None, rows: Sequence[Row]) -> str:
    if title and _DEPARTMENT_TITLE.search(norm(title)):
        return "department"
    for row in rows[:6]:
        for cell in row.filled():
            if norm(cell.text).rstrip(":") in ("部门名称", "部门(单位)名称", "单位名称"):
                return "department"
    return "project"


# --- cutting a file into tables ------------------------------------------------------------------------


def _single_text(row: Row) -> str | None:
    texts = list(dict.fromkeys(cell.text for cell in row.filled()))
    return texts[0] if len(texts) == 1 else None


def _opens(row: Row) -> bool:
    """True for a row that starts a table without a title: a label row or an indicator header."""
    words = [norm(c.text).rstrip(":") for c in row.filled() if not c.continued]
    if words and words[0] in _LABEL_HEADS:
        return True
    return _indicator_header(row) is not None


def read_tables(rows: Sequence[Row], file: str) -> list[FilledTable]:
    """Cut a file's cleaned rows into 自评表 and read each one; [] when the file has none.

    A table starts at its title; without one, at a label row (项目名称 …) or an indicator header that
    opens a sheet, or at a label row that comes after the previous table's indicator rows.
    """
    tables: list[FilledTable] = []
    pending_year: Row | None = None
    groups: list[tuple[Row | None, list[Row]]] = []
    indicators_seen = False  # the current group has its indicator header
    for row in rows:
        single = _single_text(row)
        if single is not None and self_evaluation_title(single):
            groups.append((row, [pending_year] if pending_year is not None else []))
            indicators_seen, pending_year = False, None
            continue
        if single is not None and _YEAR.search(single) and len(norm(single)) <= 20 \
                and (not groups or _new_sheet(groups[-1][1], row) or indicators_seen):
            pending_year = row  # “（2022年度）” above an untitled table
            continue
        opens = _opens(row)
        starts = opens and (not groups or _new_sheet(groups[-1][1], row) or
                            (indicators_seen and (_first_word(row) or "") in _LABEL_HEADS))
        if starts:
            groups.append((None, [pending_year] if pending_year is not None else []))
            indicators_seen = False
        pending_year = None
        if not groups:
            continue
        groups[-1][1].append(row)
        indicators_seen = indicators_seen or _indicator_header(row) is not None
    for title_row, table_rows in _rejoin(groups):
        table = _read_table(file, title_row, table_rows)
        if table.header is not None or table.budget:
            tables.append(table)
    return tables


def _new_sheet(rows: list[Row], row: Row) -> bool:
    """True when ``row`` is on another sheet than the table's rows (a workbook with one table per sheet)."""
    sheets = [r.where.sheet for r in rows if r.where.sheet]
    return bool(sheets) and row.where.sheet is not None and row.where.sheet != sheets[-1]


def _rejoin(groups: list[tuple[Row | None, list[Row]]]) -> list[tuple[Row | None, list[Row]]]:
    """Join to the table above a title printed again over the rest of its rows on the next page.

    A group is such a continuation when its title is the previous table's, the previous table's
    indicator rows had begun without its 总分, and the group starts straight with indicator rows
    (a header or data, no label row and no budget block of its own).
    """
    joined: list[tuple[Row | None, list[Row]]] = []
    for title, rows in groups:
        if joined and title is not None and joined[-1][0] is not None \
                and norm(_single_text(title) or "") == norm(_single_text(joined[-1][0]) or "") \
                and _open_indicators(joined[-1][1]) and not _has_own_head(rows):
            joined[-1][1].extend([title, *rows])
            continue
        joined.append((title, rows))
    return joined


def _open_indicators(rows: list[Row]) -> bool:
    """True when a table's indicator rows have begun and its 总分 has not come."""
    seen_header = False
    for row in rows:
        if _indicator_header(row) is not None:
            seen_header = True
        first = _first_word(row)
        if seen_header and first is not None and first.startswith(_TOTAL_WORDS):
            return False
    return seen_header


def _has_own_head(rows: list[Row]) -> bool:
    """True when rows, before their indicator header, hold a label row or a budget header of their own."""
    for row in rows:
        if _indicator_header(row) is not None:
            return False
        if (_first_word(row) or "") in _LABEL_HEADS or find_header(row, BUDGET_COLUMNS, minimum=3) is not None:
            return True
    return False


def _first_word(row: Row) -> str | None:
    filled = [c for c in row.filled() if not c.continued] or row.filled()
    return norm(filled[0].text).rstrip(":") if filled else None


def _indicator_header(row: Row) -> Header | None:
    header = find_header(row, INDICATOR_COLUMNS, minimum=3)
    if header is None or "name" not in header.cells:
        return None
    if len({"target", "actual", "points", "score"} & set(header.cells)) < 2:
        return None
    if not {"actual", "score"} & set(header.cells):
        return None  # a target form's table (指标值, 分值): nothing was filled in yet
    return header


# --- one table -----------------------------------------------------------------------------------------


def _read_table(file: str, title_row: Row | None, rows: list[Row]) -> FilledTable:
    where = (title_row or rows[0]).location() if (title_row or rows) else Location(file=file)
    title = _single_text(title_row) if title_row is not None else None
    table = FilledTable(file=file, where=where, title=title, kind=_table_kind(title, rows),
                        hidden=bool((title_row or rows[0]).where.hidden) if (title_row or rows) else False,
                        rows=([title_row] if title_row else []) + list(rows))
    _head(table, title_row, rows)
    reader = _TableReader(table)
    for row in rows:
        reader.row(row)
    reader.finish()
    return table


def _head(table: FilledTable, title_row: Row | None, rows: list[Row]) -> None:
    """Year and money unit from the title and the lines around it (“（2022年度）”, “金额单位：万元”)."""
    texts = [table.title or ""] + [c.text for row in rows[:4] for c in row.filled()]
    for text in texts:  # “2022年度” first: a title may also name the year of the project (“2019年新型…项目”)
        match = _YEAR_OF_REPORT.search(text)
        if match and ("年度" in text or text is table.title or len(norm(text)) <= 12):
            table.year = int(match.group(1))
            break
    else:
        match = _YEAR.search(table.title or "")
        table.year = int(match.group(1)) if match else None
    for row in rows[:12]:
        for cell in row.filled():
            match = _UNIT_HEAD.search(norm(cell.text))
            if match:
                table.money_unit = match.group(1)
                return


class _TableReader:
    """Walk one table's rows: each row is a label row, a header, a line of a block, 总分 or 等级."""

    def __init__(self, table: FilledTable) -> None:
        self.table = table
        self.state: str | None = None
        self.budget_header: Header | None = None
        self.goal_header: Header | None = None
        self.levels: dict[str, str] = {}
        self.repeated: list[Row] = []
        self.header_row = False  # the row before was the indicator header (a second header row may follow)

    # -- dispatch --

    def row(self, row: Row) -> None:
        table = self.table
        first = _first_word(row) or ""
        if self.state is None and table.year is None and _single_text(row) and _YEAR.search(row.filled()[0].text) \
                and len(first) <= 20:
            table.year = int(_YEAR.search(row.filled()[0].text).group(1))  # type: ignore[union-attr]
            return
        if _single_text(row) and self_evaluation_title(_single_text(row) or ""):
            self._repeat(row, "标题")
            return
        if self.header_row and table.header is not None:
            self.header_row = False
            own = Row(tuple(c for c in row.cells if not c.continued), row.where, row.letters)
            lower = find_header(own, INDICATOR_COLUMNS, minimum=1)
            if lower is not None and not any(_numberish(c.text) for c in own.filled()) \
                    and len(lower.cells) == len({norm(c.text) for c in own.filled()}):
                table.header = _merged_header(table.header, lower)  # a header over two rows
                self._check_header(table.header)
                return
            self._check_header(table.header)
        header = _indicator_header(row)
        if header is not None:
            if table.header is not None:
                self._repeat(row, "表头")
                self.state = "indicators"
                return
            table.header, self.state, self.levels = header, "indicators", {}
            self.header_row = True
            return
        budget = find_header(row, BUDGET_COLUMNS, minimum=3)
        if budget is not None and not {"initial", "adjusted", "executed"}.isdisjoint(budget.cells):
            if self.budget_header is not None:
                self._repeat(row, "表头")
            else:
                self.budget_header = budget
                table.budget_where = row.location()
                self._budget_unit(row, budget)
            self.state = "budget"
            return
        goal = find_header(row, GOAL_COLUMNS, minimum=2)
        if goal is not None:
            self.goal_header, self.state = goal, "goal"
            return
        if first.startswith(_TOTAL_WORDS) and (self.state == "indicators" or table.header is not None):
            self._total(row)
            self.state = None
            return
        if first in _GRADE_WORDS or first.startswith(("自评等级", "评价等级")):
            self._grade(row)
            return
        if _GOAL_LABEL.match(first) and self.state != "indicators":
            self._goal_label(row)
            return
        if self.state == "budget" and self._budget_row(row):
            return
        if self.state == "goal" and self._goal_row(row):
            return
        if self.state == "indicators" and table.header is not None:
            if first in _LABEL_HEADS:
                self._label_row(row)
                self.state = None
                return
            self._indicator_row(table.header, row)
            return
        self._label_row(row)

    def finish(self) -> None:
        table = self.table
        if self.header_row and table.header is not None:
            self._check_header(table.header)
        if self.repeated:
            rows = "、".join(str(r.where.row or r.where.line) for r in self.repeated if r.where.row or r.where.line)
            first = self.repeated[0].location()
            table.problem(first, f"{table.label}的表头（或标题）重复出现{len(self.repeated)}次"
                          + (f"（第{rows}行）" if rows else "") + "，按表格跨页时重复打印的表头处理，已跳过",
                          "如果这些行之后是另一张表，请把它们分成两张表，每张表有自己的标题。",
                          "repeated-header", Severity.INFO)
        table.budget = [line for line in table.budget if not (line.empty and not line.is_total)]

    def _repeat(self, row: Row, what: str) -> None:
        self.repeated.append(row)

    # -- label rows --

    def _label_row(self, row: Row) -> bool:
        found = False
        cells = [c for c in row.cells if c.text]
        for index, cell in enumerate(cells):
            if cell.continued:
                continue
            key, inline = _label(cell.text)
            if key is None:
                continue
            found = True
            if inline:
                text, value_cell = inline, cell
            else:
                text, value_cell = _value_after(cells, index)
            if key == "year":
                match = _YEAR.search(text + "年") or re.search(r"(19|20)\d\d", text)
                if match and self.table.year is None:
                    self.table.year = int(re.search(r"(19|20)\d\d", match.group(0)).group(0))  # type: ignore[union-attr]
                continue
            if key == "reporter":
                text = re.split(r"(金额|单位[:：]|填报日期)", text)[0]
                text = re.sub(r"[（(]\s*(盖章|公章)\s*[)）]", "", text).strip()
            if text and key not in self.table.labels:
                self.table.labels[key] = re.sub(r"\s+", " ", text).strip()
                self.table.at[key] = row.location(value_cell)
        return found

    # -- budget block --

    def _budget_unit(self, row: Row, header: Header) -> None:
        for cell in row.filled():
            match = _UNIT_LABEL.search(norm(cell.text))
            if match:
                self.table.money_unit = self.table.money_unit or match.group(1)
                return

    def _budget_row(self, row: Row) -> bool:
        header = self.budget_header
        assert header is not None
        columns = {name: header.value(row, name) for name in header.cells}
        first_col = min(header.cells[n].col for n in ("initial", "adjusted", "executed") if n in header.cells)
        labels = [c for c in row.cells if c.text and c.last < first_col and not c.continued]
        label = re.sub(r"\s+", "", labels[-1].text) if labels else ""
        if not label:
            texts = [c for c in row.cells if c.text and c.last < first_col]
            label = re.sub(r"\s+", "", texts[-1].text) if texts and len(texts) > 1 else ""
        amounts = [columns.get(n, ("", None))[0] for n in ("initial", "adjusted", "executed", "score")]
        if not label and not any(a.strip() for a in amounts):
            return False
        if label and not _BUDGET_LINE.search(label) and not any(_numberish(a) for a in amounts):
            return False
        where = row.location()
        line = BudgetLine(label=label or "年度资金总额", where=where)
        unit = self.table.money_unit
        for name in ("initial", "adjusted", "executed"):
            text, cell = columns.get(name, ("", None))
            setattr(line, name, self._amount(text, row, cell, header.cells[name].text if name in header.cells else name,
                                             unit, f"预算“{line.label}”"))
        points_text, points_cell = columns.get("points", ("", None))
        line.points = self._number(points_text, row, points_cell, "分值", f"预算“{line.label}”")
        score_text, score_cell = columns.get("score", ("", None))
        line.score = self._number(score_text, row, score_cell, "得分", f"预算“{line.label}”")
        rate_text, rate_cell = columns.get("rate", ("", None))
        line.rate_text = rate_text.strip()
        line.rate = self._rate(rate_text, row, rate_cell, line.label)
        self.table.budget.append(line)
        return True

    def _rate(self, text: str, row: Row, cell: Cell | None, label: str) -> Decimal | None:
        raw = norm(text).replace(",", "")
        if raw in {norm(p) for p in PLACEHOLDERS}:
            return None
        percent = raw.endswith("%")
        try:
            number = Decimal(raw.rstrip("%"))
        except InvalidOperation:
            self.table.problem(row.location(cell, "执行率"),
                               f"{self.table.label}预算“{label}”的执行率应为百分数，实际是“{text}”",
                               "填写如“86.20%”的百分数。", "not-a-number", Severity.WARNING)
            return None
        return number / 100 if percent or number > Decimal("1.5") else number

    # -- 年度总体目标 --

    def _goal_label(self, row: Row) -> None:
        texts = [c.text for c in row.filled() if not _GOAL_LABEL.match(norm(c.text))]
        if self.goal_header is None and texts:
            self.table.goal = self.table.goal or texts[0]
            if len(texts) > 1:
                self.table.done = self.table.done or texts[1]
            self.state = None
        else:
            self.state = "goal"

    def _goal_row(self, row: Row) -> bool:
        header = self.goal_header
        assert header is not None
        goal, _ = header.value(row, "goal")
        done, _ = header.value(row, "done")
        if _GOAL_LABEL.match(norm(goal)):
            goal = ""
        if not goal and not done:
            return False
        self.table.goal = _append(self.table.goal, goal)
        self.table.done = _append(self.table.done, done)
        return True

    # -- the indicator table --

    def _check_header(self, header: Header) -> None:
        table = self.table
        where = header.row.location()
        if "target" not in header.cells and "target_adjusted" not in header.cells:
            table.problem(where, f"{table.label}的指标表头没有“年度指标值”列（表头为：{header_words(header)}），"
                          "无法与目标比较", "表头应含：三级指标、年度指标值、实际完成值、分值、得分。",
                          "no-target-column", Severity.WARNING)
        if "actual" not in header.cells:
            table.problem(where, f"{table.label}的指标表头没有“实际完成值”列（表头为：{header_words(header)}），"
                          "各项得分无法复核", "表头应含：三级指标、年度指标值、实际完成值、分值、得分。",
                          "no-actual-column", Severity.WARNING)
        if "points" not in header.cells:
            table.problem(where, f"{table.label}没有“分值”列：各指标的分值按评分规则集在一级指标内平均分配",
                          "在表中写明每个三级指标的分值，复核才能与自评得分逐项对照。", "no-points-column",
                          Severity.WARNING)
        if "score" not in header.cells:
            table.problem(where, f"{table.label}没有“得分”列：没有自评得分可复核",
                          "表头应含“得分”列。", "no-score-column", Severity.WARNING)

    def _indicator_row(self, header: Header, row: Row) -> None:
        table = self.table
        get = {name: header.value(row, name) for name in header.cells}

        def text(name: str) -> str:
            return get.get(name, ("", None))[0].strip()

        name_cell = get.get("name", ("", None))[1]
        others = [get[n][1] for n in ("target", "actual", "score") if n in get]
        if name_cell is not None and any(cell is name_cell for cell in others):
            return  # one cell across the row: a note under the table
        for level in ("level1", "level2"):
            value = re.sub(r"\s+", "", text(level))
            if value:
                value = self._group_points(level, value, row, get[level][1])
                if value != self.levels.get(level) and level == "level1":
                    self.levels.pop("level2", None)
                self.levels[level] = value
        name = re.sub(r"[ \t\u3000]+", " ", text("name")).strip()
        target = text("target_adjusted") or text("target")
        actual, points_text, score_text = text("actual"), text("points"), text("score")
        if not any((name, target, actual, points_text, score_text)):
            return
        if not name and norm(target) in ("", *map(norm, PLACEHOLDERS)) and not actual and not score_text:
            return  # an empty template row (指标2：……)
        where = row.location()
        indicator = FilledIndicator(
            level1=self.levels.get("level1", ""), level2=self.levels.get("level2", ""), name=name, target=target,
            actual=actual, op=text("op"), unit=text("unit"), reason=text("reason"), rule=text("rule"),
            explanation=text("explanation"), coefficient=text("coefficient"), core=text("core"),
            target_initial=text("target") if text("target_adjusted") else "", where=where,
        )
        subject = f"指标“{name}”" if name else "一行指标"
        indicator.points = self._number(points_text, row, get.get("points", ("", None))[1],
                                        _header_text(header, "points", "分值"), subject)
        indicator.score = self._number(score_text, row, get.get("score", ("", None))[1],
                                       _header_text(header, "score", "得分"), subject)
        if norm(target) in {norm(p) for p in PLACEHOLDERS}:
            indicator.target = ""
        if norm(actual) in {norm(p) for p in PLACEHOLDERS} - {"无"}:
            indicator.actual = ""
        previous = table.indicators[-1] if table.indicators else None
        if previous is not None and _SUB_ITEM.match(name) and indicator.points is None and indicator.score is None \
                and "points" in get and previous.points is not None:
            shown = "，".join(p for p in (name, f"目标{indicator.full_target}" if indicator.target else "",
                                         f"实际{indicator.full_actual}" if indicator.actual else "") if p)
            previous.sub_items.append(shown)
            return
        if not name:
            table.problem(row.location(name_cell, "三级指标"),
                          f"{table.label}有一行指标没有名称（指标值“{target}”，实际完成值“{actual}”）",
                          "补写三级指标名称。", "no-name", Severity.WARNING)
        table.indicators.append(indicator)

    def _group_points(self, level: str, text: str, row: Row, cell: Cell | None) -> str:
        """Strip and keep the points a 一级/二级 label carries: “产出指标(50分)” → 产出指标, 50."""
        match = _GROUP_POINTS.search(text)
        if match is None:
            return text
        prefix = text[: match.start()]
        if prefix and (level, prefix) not in self.table.group_points:
            column = "一级指标" if level == "level1" else "二级指标"
            self.table.group_points[(level, prefix)] = (Decimal(match.group(1)), row.location(cell, column))
        return text[: match.start()] + text[match.end():]

    # -- 总分, 等级 --

    def _total(self, row: Row) -> None:
        table = self.table
        header = table.header
        table.total_where = row.location()
        points_text = score_text = ""
        points_cell = score_cell = None
        label_cell = next((c for c in row.filled() if norm(c.text).startswith(_TOTAL_WORDS)), None)
        if header is not None:
            if "points" in header.cells:
                points_text, points_cell = header.value(row, "points")
            if "score" in header.cells:
                score_text, score_cell = header.value(row, "score")
        if points_cell is label_cell:
            points_text, points_cell = "", None
        if score_cell is label_cell:
            score_text, score_cell = "", None
        if not (points_text or score_text):
            numbers = [c for c in row.filled() if c is not label_cell and _numberish(c.text)]
            if len(numbers) >= 2:
                (points_text, points_cell), (score_text, score_cell) = (numbers[0].text, numbers[0]), \
                    (numbers[-1].text, numbers[-1])
            elif numbers:
                score_text, score_cell = numbers[0].text, numbers[0]
        table.total_points = self._number(points_text, row, points_cell, "分值", "总分")
        table.total_score = self._number(score_text, row, score_cell, "得分", "总分")
        for cell in row.filled():
            match = re.search(r"(?:自评)?等级[:：]?\s*(\S+)", cell.text)
            if match and cell is not label_cell:
                self._set_grade(match.group(1), row.location(cell))

    def _grade(self, row: Row) -> None:
        cells = row.filled()
        for index, cell in enumerate(cells):
            word = norm(cell.text)
            inline = re.match(r"(?:自评|评价|绩效)?等级[:：](.+)", word)
            if inline:
                self._set_grade(inline.group(1), row.location(cell))
                return
            if word.rstrip(":") in _GRADE_WORDS:
                for later in cells[index + 1:]:
                    if norm(later.text) not in _GRADE_WORDS:
                        self._set_grade(later.text, row.location(later))
                        return

    def _set_grade(self, text: str, where: Location) -> None:
        word = norm(text).strip("。")
        if not word or word in {norm(p) for p in PLACEHOLDERS}:
            return
        if self.table.grade is None:
            self.table.grade = next((g for g in _GRADES if word.startswith(g)), word)
            self.table.grade_where = where

    # -- numbers --

    def _unsaved(self, text: str, row: Row, cell: Cell | None, column: str, subject: str) -> None:
        """Warn of a formula whose result was never saved: the cell reads as empty."""
        if cell is not None and cell.formula and not text.strip():
            self.table.problem(
                row.location(cell, column),
                f"{self.table.label}{subject}的“{column}”单元格是公式“{cell.formula}”，文件中没有保存计算结果，按空白读取",
                "在 Excel 中打开并保存一次（保存公式的结果），或把公式改为数值。", "formula-without-result",
                Severity.WARNING)

    def _number(self, text: str, row: Row, cell: Cell | None, column: str, subject: str) -> Decimal | None:
        raw = norm(text).replace(",", "")
        if raw in {norm(p) for p in PLACEHOLDERS}:
            self._unsaved(text, row, cell, column, subject)
            return None
        raw = raw.removesuffix("分")
        try:
            number = Decimal(raw)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            self.table.problem(
                row.location(cell, column),
                f"{self.table.label}{subject}的“{column}”应为数字，实际是“{text.strip()}”",
                f"“{column}”栏只填阿拉伯数字（如 8 或 7.5）；说明文字请写在偏差原因栏。", "not-a-number")
            return None
        return number

    def _amount(self, text: str, row: Row, cell: Cell | None, column: str, unit: str | None,
                subject: str) -> Decimal | None:
        raw = norm(text).replace(",", "")
        if raw in {norm(p) for p in PLACEHOLDERS}:
            self._unsaved(text, row, cell, re.sub(r"\s+", "", column), subject)
            return None
        match = re.fullmatch(r"([-+]?(?:\d+(?:\.\d*)?|\.\d+))(亿元|千元|万元|元|亿|万)?", raw)
        if match is None:
            self.table.problem(
                row.location(cell, re.sub(r"\s+", "", column)),
                f"{self.table.label}{subject}的“{re.sub(chr(10), '', column)}”应为金额，实际是“{text.strip()}”",
                f"只填阿拉伯数字，单位为表头写明的{unit or '万元'}。", "not-a-number")
            return None
        number = Decimal(match.group(1))
        written = match.group(2)
        if written:
            written = {"亿": "亿元", "万": "万元"}.get(written, written)
            converted = convert(number, written, unit or "万元")
            if converted is not None:
                number = converted
        return number


def _header_text(header: Header, name: str, default: str) -> str:
    """The words of a column's header cell as the form prints them (“指标得分(分)”), for messages."""
    cell = header.cells.get(name)
    return re.sub(r"\s+", "", cell.text) if cell is not None else default


def _merged_header(upper: Header, lower: Header) -> Header:
    """A header over two rows: the lower row names the columns under a merged upper cell (指标值 → 年度指标值 …)."""
    cells = {name: cell for name, cell in upper.cells.items()
             if not any(c.col <= cell.last and c.last >= cell.col for c in lower.cells.values())}
    cells.update(lower.cells)
    missing = tuple(c for c in INDICATOR_COLUMNS if c.required and c.field not in cells)
    return Header(lower.row, cells, missing)


def _append(text: str | None, more: str) -> str | None:
    more = more.strip()
    if not more:
        return text
    return f"{text}\n{more}" if text else more


def _label(text: str) -> tuple[str | None, str]:
    """Return the label a cell names (项目名称 …) and any value written after a colon in it."""
    word = re.sub(r"\((盖章|公章|签章)\)", "", norm(text))
    head, colon, _ = word.partition(":")
    if colon and head in _LABELS:
        return _LABELS[head], text[re.search(r"[:：]", text).end():].strip()  # type: ignore[union-attr]
    word = word.rstrip(":")
    return (_LABELS.get(word), "") if word in _LABELS else (None, "")


def _value_after(cells: list[Cell], index: int) -> tuple[str, Cell | None]:
    for cell in cells[index + 1:]:
        if _label(cell.text)[0] is not None:
            return "", None
        if cell.text:
            return cell.text, cell
    return "", None


def _numberish(text: str) -> bool:
    raw = norm(text).replace(",", "").rstrip("%").removesuffix("分")
    return re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)", raw) is not None
