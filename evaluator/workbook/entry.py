"""Make the actuals entry workbook and the actuals YAML skeleton from a targets file.

The layout is ``evaluator.io.entry_layout``. Every cell is written through ``workbook.cells`` (text is never a
formula); the same targets give the same bytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import yaml
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from evaluator.decimals import fmt
from evaluator.errors import InputError
from evaluator.io.entry_layout import (
    ACKNOWLEDGED_COLUMNS,
    BUDGET_COLUMNS,
    BUDGET_LINES,
    BUDGET_MONEY_KEYS,
    BUDGET_TEXT_KEYS,
    DEPARTMENT_CODE,
    DEPARTMENT_NAME,
    DEPARTMENT_SHEET,
    INDICATOR_COLUMNS,
    META_FIELDS,
    META_MAP_HEADERS,
    RESERVED_SHEETS,
    SHEET_ACKNOWLEDGED,
    SHEET_BUDGET,
    SHEET_GUIDE,
    SHEET_META,
    SHEET_SUMMARY,
    SUMMARY_ROWS,
    Column,
)
from evaluator.language.direction import understand_target
from evaluator.language.values import Direction, Op, describe
from evaluator.model import ACTUALS_SCHEMA, TIERS, Indicator, Targets
from evaluator.rules import RuleSet, load_rules
from evaluator.scoring.allocation import allocate
from evaluator.workbook.cells import fixed_time, print_setup_a4, set_number, set_text, sheet_title, workbook_bytes

__all__ = ["build_actuals_yaml", "build_entry_workbook", "indicator_reading", "scope_points", "scopes",
    "template_format"]

_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_FONT = Font(bold=True)
TITLE_FONT = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(wrap_text=True, horizontal="center", vertical="center")
# Named styles: one assignment per cell (setting font, fill, border … one by one is ten times slower)
HEADER_STYLE, LOCKED_STYLE, INPUT_STYLE, NOT_APPLICABLE_STYLE = "填报表头", "填报锁定", "填报填写", "填报不适用"
_STYLES = (  # name, fill colour, alignment, locked, bold
    (HEADER_STYLE, "D9D9D9", CENTER, True, True),
    (LOCKED_STYLE, "F2F2F2", WRAP, True, False),
    (INPUT_STYLE, "FFFDE7", WRAP, False, False),
    (NOT_APPLICABLE_STYLE, "F2F2F2", CENTER, True, False),
)
MONEY_FORMAT = "#,##0.00"
HEADER_ROW = 2  # row 1 is the sheet's title


def indicator_reading(indicator: Indicator) -> tuple[str, bool]:
    """Return how the tool understands an indicator's target, and whether a tier applies to it.

    The reading is the scorer's own (``language.direction.understand_target``): a target with no value to
    compare (“无”, “/”, blank) is scored as a qualitative indicator, so it gets the tier drop-down too,
    unless it is a department-wide standard indicator whose empty 指标值 means its standard (≤100% …).
    """
    reading = understand_target(indicator)
    value, direction = reading.value, reading.direction
    tiered = value.qualitative or value.op is Op.DEADLINE or \
        direction in (Direction.QUALITATIVE, Direction.DEADLINE)
    understood = describe(value, direction)
    if reading.from_standard:
        understood = f"按标准 {understood}"
    if value.op is Op.EMPTY and direction is Direction.QUALITATIVE:
        understood += "，按定性指标评价（选择完成档次）"
    return understood, tiered


def scopes(targets: Targets) -> list[tuple[str, str, str, tuple[Indicator, ...]]]:
    """Return (sheet title, code, name, indicators) for the department and each special fund, in order."""
    taken = list(RESERVED_SHEETS) + [DEPARTMENT_SHEET]
    out = [(DEPARTMENT_SHEET, DEPARTMENT_CODE, DEPARTMENT_NAME, targets.indicators)]
    for project in targets.projects:
        title = sheet_title(project.name or project.id, taken, fallback=project.id or "专项")
        taken.append(title)
        out.append((title, project.id, project.name, project.indicators))
    return out


def build_entry_workbook(targets: Targets, rules: RuleSet | None = None) -> bytes:
    """Return the xlsx bytes of the entry workbook for ``targets``.

    ``rules`` (default national-2020) gives the 分值 column: each indicator's points as the scorer will
    allocate them, so that a department entering its own scores sees 7.14 or 7.15, not a guess.
    """
    rule_set = rules if rules is not None else load_rules("national-2020")
    workbook = Workbook()
    for name, colour, alignment, locked, bold in _STYLES:
        workbook.add_named_style(NamedStyle(
            name=name, font=Font(bold=bold), fill=PatternFill("solid", fgColor=colour), border=BORDER,
            alignment=alignment, protection=Protection(locked=locked)))
    guide = workbook.active
    guide.title = SHEET_GUIDE
    all_scopes = scopes(targets)
    sheet_scopes = [s for s in all_scopes if s[1] != DEPARTMENT_CODE or s[3]]
    _guide(guide, targets, [s[0] for s in sheet_scopes], rule_set)
    totals = {}
    for title, code, name, indicators in all_scopes:
        points = scope_points(targets, name, indicators, rule_set)
        totals[code] = rule_set.execution_points + sum(points, Decimal(0))
        if title in {s[0] for s in sheet_scopes}:
            _indicator_sheet(workbook.create_sheet(title), targets, name, indicators, points)
    _budget_sheet(workbook.create_sheet(SHEET_BUDGET), targets, all_scopes, rule_set.execution_points, totals)
    _summary_sheet(workbook.create_sheet(SHEET_SUMMARY), targets)
    _acknowledged_sheet(workbook.create_sheet(SHEET_ACKNOWLEDGED))
    _meta_sheet(workbook.create_sheet(SHEET_META), targets, all_scopes, {s[0] for s in sheet_scopes})
    return workbook_bytes(workbook, fixed_time(targets.year))


def scope_points(targets: Targets, name: str, indicators: Sequence[Indicator], rules: RuleSet) -> list[Decimal]:
    """Return each indicator's 分值 as the scorer allocates it (``scoring.allocation``); problems are `check`'s."""
    allocations, _problems = allocate(indicators, rules, file=targets.source, scope_name=name)
    return [a.points for a in allocations]


def _protect(sheet: Worksheet) -> None:
    """Lock the sheet without a password; users may still resize columns and rows."""
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.protection.formatCells = False


def _title(sheet: Worksheet, text: str, width: int) -> None:
    set_text(sheet.cell(1, 1), text).font = TITLE_FONT
    sheet.cell(1, 1).alignment = Alignment(vertical="center")
    if width > 1:
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.row_dimensions[1].height = 24


def _header(sheet: Worksheet, columns: Sequence[Column], row: int = HEADER_ROW) -> None:
    for position, column in enumerate(columns, start=1):
        set_text(sheet.cell(row, position), column.header).style = HEADER_STYLE
        sheet.column_dimensions[get_column_letter(position)].width = column.width
    sheet.freeze_panes = sheet.cell(row + 1, 1)


def _validation(sheet: Worksheet, kind: str | None, **options: str) -> DataValidation:
    """Add a data validation; ``kind`` None is Excel's “any value”: only the input prompt, nothing refused."""
    rule = DataValidation(type=kind, allow_blank=True, showErrorMessage=kind is not None, showInputMessage=True,
                          **options)
    sheet.add_data_validation(rule)
    return rule


def _score_rule(sheet: Worksheet, rules: dict[Decimal, DataValidation], maximum: Decimal, what: str,
                prompt: str) -> DataValidation:
    """The decimal validation 0 ≤ value ≤ ``maximum`` for a score column, one per distinct maximum."""
    if maximum not in rules:
        top = fmt(maximum)
        rules[maximum] = _validation(
            sheet, "decimal", operator="between", formula1="0", formula2=top, errorTitle=what,
            error=f"请填写 0 到 {top} 之间的数字（本行分值 {top} 分），不要写“分”", promptTitle=what,
            prompt=f"{prompt}（本行分值 {top} 分）"[:255],
        )
    return rules[maximum]


def _indicator_sheet(sheet: Worksheet, targets: Targets, name: str, indicators: Sequence[Indicator],
                     points: Sequence[Decimal]) -> None:
    """One scope's indicators: given columns locked, fill-in columns open, validations only on numbers.

    Text columns (实际完成值, 偏差原因 …) take any text: they carry an input prompt, never a rule.
    完成档次 is a drop-down; 得分比例 0–100, 自评得分 and 扣减分数 0 to the row's 分值 are numbers.
    """
    columns = INDICATOR_COLUMNS
    _title(sheet, f"{targets.year}年 {name} 绩效指标完成情况填报", len(columns))
    _header(sheet, columns)
    tier_rule = _validation(
        sheet, "list", formula1='"' + ",".join(TIERS) + '"', errorTitle="完成档次",
        error="请从下拉列表选择：" + "、".join(TIERS), promptTitle="完成档次", prompt=_prompt(columns, "tier"),
    )
    pct_rule = _validation(
        sheet, "decimal", operator="between", formula1="0", formula2="100", errorTitle="得分比例",
        error="请填写 0 到 100 之间的数字（百分数，不带%）", promptTitle="得分比例(%)", prompt=_prompt(columns, "pct"),
    )
    prompts = {key: _validation(sheet, None, promptTitle=column.header, prompt=column.prompt[:255])
               for key, column in ((c.key, c) for c in columns) if column.fill and column.prompt
               and key not in ("tier", "pct", "claimed", "deduction")}
    score_rules: dict[str, dict[Decimal, DataValidation]] = {"claimed": {}, "deduction": {}}
    for row, (indicator, share) in enumerate(zip(indicators, points, strict=True), start=HEADER_ROW + 1):
        understood, tiered = indicator_reading(indicator)
        given = {"id": indicator.id, "level1": indicator.level1, "level2": indicator.level2,
                 "name": indicator.name, "target": indicator.target, "understood": understood}
        for position, column in enumerate(columns, start=1):
            cell = sheet.cell(row, position)
            open_cell = column.fill and (tiered or column.key not in ("tier", "pct"))
            if column.key in given:
                set_text(cell, given[column.key]).style = LOCKED_STYLE
            elif column.key == "points":
                set_number(cell, share).style = LOCKED_STYLE
                cell.number_format = "0.00"
            elif open_cell:
                cell.style = INPUT_STYLE
            else:
                set_text(cell, "—").style = NOT_APPLICABLE_STYLE
            if not open_cell:
                continue
            if column.key == "tier":
                tier_rule.add(cell.coordinate)
            elif column.key == "pct":
                pct_rule.add(cell.coordinate)
            elif column.key in score_rules:
                what = "自评得分" if column.key == "claimed" else "扣减分数"
                _score_rule(sheet, score_rules[column.key], share, what, _prompt(columns, column.key)).add(
                    cell.coordinate)
            elif column.key in prompts:
                prompts[column.key].add(cell.coordinate)
    print_setup_a4(sheet, f"1:{HEADER_ROW}")
    _protect(sheet)


def _prompt(columns: Sequence[Column], key: str) -> str:
    return next(c.prompt for c in columns if c.key == key)[:255]


def _budget_sheet(sheet: Worksheet, targets: Targets, all_scopes: list[tuple[str, str, str, tuple]],
                  execution_points: Decimal, totals: dict[str, Decimal]) -> None:
    """Four rows per scope, as the 自评表's 项目资金 block: 年度资金总额, then the three 其中 lines.

    Amounts are numbers (≥ 0); 自评得分 0 to the execution points, 自评总分 0 to the scope's total; the
    text columns take any text. On a 其中 line only the amounts are open.
    """
    columns = BUDGET_COLUMNS
    unit = targets.money_unit
    _title(sheet, f"{targets.year}年 预算执行情况（金额单位：{unit}）", len(columns))
    _header(sheet, columns)
    money = _validation(
        sheet, "decimal", operator="greaterThanOrEqual", formula1="0", errorTitle="金额",
        error=f"请填写不小于 0 的数字，单位为{unit}，不要写单位", promptTitle="金额",
        prompt=f"单位：{unit}，只填数字。",
    )
    claimed = _validation(
        sheet, "decimal", operator="between", formula1="0", formula2=fmt(execution_points), errorTitle="自评得分",
        error=f"请填写 0 到 {fmt(execution_points)} 之间的数字（预算执行分值 {fmt(execution_points)} 分）",
        promptTitle="自评得分", prompt=_prompt(columns, "claimed"),
    )
    claimed_totals: dict[Decimal, DataValidation] = {}
    prompts = {key: _validation(sheet, None, promptTitle=c.header, prompt=c.prompt[:255])
               for key, c in ((c.key, c) for c in columns) if c.key in BUDGET_TEXT_KEYS and c.prompt}
    row = HEADER_ROW + 1
    for _sheet, code, name, _ in all_scopes:
        for line, label in BUDGET_LINES:
            given = {"code": code, "scope": name, "line": label}
            for position, column in enumerate(columns, start=1):
                cell = sheet.cell(row, position)
                open_cell = column.fill and (line is None or column.key in BUDGET_MONEY_KEYS)
                if not column.fill:
                    set_text(cell, given.get(column.key)).style = LOCKED_STYLE
                elif not open_cell:
                    set_text(cell, "—").style = NOT_APPLICABLE_STYLE
                    continue
                else:
                    cell.style = INPUT_STYLE
                if column.key in BUDGET_MONEY_KEYS:
                    cell.number_format = MONEY_FORMAT
                    money.add(cell.coordinate)
                elif column.key == "claimed":
                    claimed.add(cell.coordinate)
                elif column.key == "claimed_total":
                    _score_rule(sheet, claimed_totals, totals[code], "自评总分",
                                _prompt(columns, "claimed_total")).add(cell.coordinate)
                elif column.key in prompts:
                    prompts[column.key].add(cell.coordinate)
            row += 1
    print_setup_a4(sheet, f"1:{HEADER_ROW}")
    _protect(sheet)


def _summary_sheet(sheet: Worksheet, targets: Targets) -> None:
    _title(sheet, f"{targets.year}年 {targets.department} 绩效自评总结", 2)
    for position, header in enumerate(("项目", "内容"), start=1):
        set_text(sheet.cell(HEADER_ROW, position), header).style = HEADER_STYLE
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 100
    for row, (_key, label, _aliases) in enumerate(SUMMARY_ROWS, start=HEADER_ROW + 1):
        set_text(sheet.cell(row, 1), label).style = LOCKED_STYLE
        sheet.cell(row, 2).style = INPUT_STYLE
        sheet.row_dimensions[row].height = 90
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 1)
    print_setup_a4(sheet, f"1:{HEADER_ROW}")
    _protect(sheet)


ACKNOWLEDGED_ROWS = 30


def _acknowledged_sheet(sheet: Worksheet) -> None:
    """Rows to acknowledge warnings that `check` reports and the department has verified, each with a reason."""
    columns = ACKNOWLEDGED_COLUMNS
    _title(sheet, "已确认的提示（经核实无误的警告，写明理由后不再计为问题；错误不能确认）", len(columns))
    _header(sheet, columns)
    for row in range(HEADER_ROW + 1, HEADER_ROW + 1 + ACKNOWLEDGED_ROWS):
        for position in range(1, len(columns) + 1):
            sheet.cell(row, position).style = INPUT_STYLE
    print_setup_a4(sheet, f"1:{HEADER_ROW}")
    _protect(sheet)


def _meta_sheet(sheet: Worksheet, targets: Targets, all_scopes: list, with_sheet: set[str]) -> None:
    values = {"schema": ACTUALS_SCHEMA, "year": str(targets.year), "department": targets.department,
              "money_unit": targets.money_unit, "targets": targets.source or "",
              "targets_sha256": targets.sha256 or ""}
    set_text(sheet.cell(1, 1), "本工作表供程序读取，请勿修改。").font = HEADER_FONT
    for row, (key, label) in enumerate(META_FIELDS, start=2):
        set_text(sheet.cell(row, 1), label)
        set_text(sheet.cell(row, 2), values[key])
    first = len(META_FIELDS) + 3
    for position, header in enumerate(META_MAP_HEADERS, start=1):
        set_text(sheet.cell(first, position), header).font = HEADER_FONT
    for row, (title, code, name, indicators) in enumerate(all_scopes, start=first + 1):
        set_text(sheet.cell(row, 1), title if title in with_sheet else "")
        set_text(sheet.cell(row, 2), code)
        set_text(sheet.cell(row, 3), name)
        set_text(sheet.cell(row, 4), "、".join(i.id for i in indicators))
    for letter, width in zip("ABCD", (18, 40, 30, 60), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.sheet_state = "hidden"
    _protect(sheet)


_GUIDE_LINES = (
    "本工作簿用于填报 {year}年 {department} 的预算执行和绩效指标实际完成情况，由 evaluator template 根据目标文件"
    "“{source}”生成。填好后可直接作为实际值文件使用。",
    "灰色单元格（编号、一级指标、二级指标、三级指标、年度指标值、理解为、分值）来自目标文件，已锁定；浅黄色单元格供填写。",
    "实际完成值：照实填写，带单位，如“12次”“97.2%”“801.37万元”；定性指标写完成情况的文字描述。"
    "未填写的指标按“未填报”处理，由评分规则决定得分。",
    "完成档次：定性指标从下拉列表选择“达成”“部分达成”“未达成”；得分比例(%)可不填，填写时须落在评分规则规定的该档次区间内。",
    "偏差原因、改进措施：未完成目标或大幅超额完成时填写。佐证材料：会议记录、问卷调查等材料名称。",
    "分值：按评分规则“{rules}”（{rules_title}）分配给各指标的分值，目标文件写明分值的指标按目标文件。"
    "自评得分：单位自己打的分，可不填，填写时为 0 到本行分值之间的数字；工具会核对其是否有依据。"
    "扣减分数须同时写扣减理由。",
    "得分在哪里看：本表不计算得分（没有公式）。得分取决于评分规则（方向、单位换算、档次区间），"
    "只由 evaluator 按规则计算，"
    "以免表内公式与正式得分不一致。填好后运行 evaluator check 目标文件 本工作簿.xlsx，逐项列出分值、得分和问题；"
    "evaluator report 目标文件 本工作簿.xlsx -o 自评报告.docx 生成自评报告。",
    "“预算执行”工作表：每个范围四行，与自评表的“项目资金”一致：年度资金总额，其中：当年财政拨款、上年结转资金、其他资金。"
    "金额单位为{money_unit}，只填数字，填写年初预算数、全年预算数、全年执行数；执行率说明、自评得分、自评总分和"
    "年度总体目标实际完成情况填在“年度资金总额”一行。评分只用年度资金总额；其中各项用于自评表，合计应等于总额。",
    "“总结”工作表：总体完成情况、存在的问题、改进措施、结果应用、其他说明。",
    "只有数字列（金额、得分比例、自评得分、扣减分数、自评总分）设有数据验证；文字列可填写任意文字。",
    "“已确认的提示”工作表：evaluator check 报出的警告经核实无误时，在此填写提示代码（警告末尾括号里的代码）、"
    "指标编号（可不填）和确认理由，该警告即不再计为问题；错误不能确认。",
    "工具按表头文字识别各列（如“编号”“实际完成值”），列的顺序可以调整，但请保留表头文字；"
    "工作表已保护但未设密码，需要时可在“审阅”中撤销保护。隐藏的“元数据”工作表请勿修改。",
    "以“=”开头的内容会被 Excel 当作公式：如需填写这样的文字，请在前面加英文单引号 '。",
    "检查：evaluator check 目标文件 本工作簿.xlsx；评分：evaluator score 目标文件 本工作簿.xlsx。",
)


def _guide(sheet: Worksheet, targets: Targets, scope_sheets: list[str], rules: RuleSet) -> None:
    _title(sheet, f"{targets.year}年 绩效自评实际完成值填报说明", 2)
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = 110
    row = 3
    fields = {"year": targets.year, "department": targets.department, "source": targets.source or "（未记录）",
              "money_unit": targets.money_unit, "rules": rules.name, "rules_title": rules.title}
    for number, line in enumerate(_GUIDE_LINES, start=1):
        set_text(sheet.cell(row, 1), f"{number}.").alignment = WRAP
        set_text(sheet.cell(row, 2), line.format(**fields)).alignment = WRAP
        row += 1
    row += 1
    for position, header in enumerate(("", "工作表及内容"), start=1):
        set_text(sheet.cell(row, position), header).font = HEADER_FONT
    listed = [(t, "绩效指标实际完成情况（" + ("部门整体支出" if t == DEPARTMENT_SHEET else t) + "）")
              for t in scope_sheets]
    listed += [(SHEET_BUDGET, "各范围的预算执行数"), (SHEET_SUMMARY, "自评总结（文字）"),
               (SHEET_ACKNOWLEDGED, "经核实无误、确认接受的警告及理由")]
    for title, what in listed:
        row += 1
        set_text(sheet.cell(row, 2), f"{title}：{what}").alignment = WRAP
    print_setup_a4(sheet, None, landscape=False)
    _protect(sheet)


# --- the YAML skeleton ---------------------------------------------------------------------------

_PLAIN = re.compile(r"[\w\u3000-\u303f\u4e00-\u9fff\uff00-\uffef.\-]+")


def _scalar(text: str) -> str:
    """Return ``text`` as a YAML scalar: plain when YAML reads it back unchanged, else double-quoted."""
    if _PLAIN.fullmatch(text) and not text.startswith("-"):
        try:
            if yaml.safe_load(f"k: {text}") == {"k": text}:
                return text
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=False)


def _comment(text: str) -> str:
    return " ".join(str(text).split())


def build_actuals_yaml(targets: Targets) -> str:
    """Return an actuals file (formats.md §2) with every indicator id and an empty actual.

    Each indicator has a comment with its target and how the tool understands it; qualitative
    indicators also get an empty ``tier``. The skeleton loads as it is: empty means not filled.
    """
    unit = targets.money_unit
    lines = [
        f"# {targets.year}年 {_comment(targets.department)} 绩效指标实际完成值",
        f"# 由 evaluator template 根据目标文件 {_comment(targets.source or '（未记录）')} 生成。",
        "# 填写：在 actual: 后照实填写实际完成值，带单位并加引号，如 \"12次\"；未填写的指标按“未填报”处理。",
        "# 定性指标可填 tier（达成 | 部分达成 | 未达成）和 pct（该档次区间内的得分比例，0–100）。",
        "# 还可填：reason（偏差原因）、measure（改进措施）、evidence（佐证材料）、claimed（自评得分）。",
        "# budget 下可加其中各项（自评表的“其中”行）：sources: {current: {initial: , adjusted: , executed: }, "
        "carryover: …, other: …}，即当年财政拨款、上年结转资金、其他资金。",
        f"schema: {ACTUALS_SCHEMA}",
        f"year: {int(targets.year)}",
        f"department: {_scalar(targets.department)}",
        f"money_unit: {_scalar(unit)}",
        f"budget: {{initial: , adjusted: , executed: }}  # 部门整体支出：年初预算数, 全年预算数, 全年执行数（{unit}）",
    ]
    if targets.indicators:
        lines.append("indicators:")
        lines += _yaml_indicators(targets.indicators, "  ")
    else:
        lines.append("indicators: {}")
    if targets.projects:
        lines.append("projects:")
        for project in targets.projects:
            lines.append(f"  {_scalar(project.id)}:  # {_comment(project.name)}")
            lines.append(f"    budget: {{initial: , adjusted: , executed: }}  # 年初预算数, 全年预算数, 全年执行数（{unit}）")
            if project.indicators:
                lines.append("    indicators:")
                lines += _yaml_indicators(project.indicators, "      ")
    lines.append("summary:")
    for key, label, _ in SUMMARY_ROWS:
        lines.append(f"  {key}:{' ' * (12 - len(key))}# {label}")
    return "\n".join(lines) + "\n"


def _yaml_indicators(indicators: Sequence[Indicator], indent: str) -> list[str]:
    lines = []
    for indicator in indicators:
        understood, tiered = indicator_reading(indicator)
        path = "/".join(_comment(p) for p in (indicator.level1, indicator.level2, indicator.name))
        lines.append(f"{indent}# {path}：目标“{_comment(indicator.target)}”，理解为：{_comment(understood)}")
        fields = "{actual: , tier: }" if tiered else "{actual: }"
        lines.append(f"{indent}{_scalar(indicator.id)}: {fields}")
    return lines


TEMPLATE_SUFFIXES = {"xlsx": (".xlsx",), "yaml": (".yaml", ".yml")}
_TEMPLATE_KINDS = {"xlsx": "Excel 填报表", "yaml": "YAML 骨架"}


def template_format(output: Path, file_format: str | None = None) -> str:
    """Return what ``evaluator template`` writes to ``output`` ("xlsx" or "yaml"), from --format or the suffix.

    Raises InputError, before anything is written, for an unknown format or a suffix that does not
    fit it: xlsx bytes in a.txt, or a YAML skeleton in a.xlsx, would not open as the user expects.
    """
    suffix = output.suffix.lower()
    fits = "、".join(f"{kind}用 {' 或 '.join(TEMPLATE_SUFFIXES[key])}" for key, kind in _TEMPLATE_KINDS.items())
    if file_format is not None:
        chosen = file_format.strip().lower()
        if chosen not in TEMPLATE_SUFFIXES:
            raise InputError(f"--format 应为 xlsx 或 yaml，实际是“{file_format}”")
        if suffix not in TEMPLATE_SUFFIXES[chosen]:
            raise InputError(f"输出文件“{output.name}”的扩展名“{output.suffix or '无'}”与 --format {chosen} 不一致："
                             f"{_TEMPLATE_KINDS[chosen]}应保存为 {' 或 '.join(TEMPLATE_SUFFIXES[chosen])} 文件",
                             hint=f"{fits}；未写入任何文件。")
        return chosen
    chosen = next((key for key, suffixes in TEMPLATE_SUFFIXES.items() if suffix in suffixes), None)
    if chosen is None:
        raise InputError(f"输出文件“{output.name}”的扩展名“{output.suffix or '无'}”不是 .xlsx、.yaml 或 .yml，"
                         "无法确定生成 Excel 填报表还是 YAML 骨架", hint=f"{fits}；未写入任何文件。")
    return chosen
