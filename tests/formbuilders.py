"""Build the seed's official forms (examples/forms/2023-shifeng-npc-targets.txt) as real .docx and .xlsx.

A form is laid out once, as a grid of rows; each row lists its cells left to right, a cell being
``C(text, span)`` or ``UP`` (the cell above continues down here: a vertical merge). The .docx and
.xlsx builders turn the same layout into merged cells the way Word and Excel forms have them: the
title merged across, 一级指标 merged down over its rows, label columns merged down, header words
split by spaces and line breaks, blank rows, and a signature footer.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import docx
import openpyxl
from openpyxl.styles import Alignment


@dataclass(frozen=True)
class C:
    text: str | float | int = ""
    span: int = 1
    number_format: str | None = None  # xlsx only: write ``text`` as a number with this format


UP = None  # the cell above continues on this row
Grid = list[list[C | None]]


@dataclass
class FormLayout:
    marker: str
    title: str
    head: list[C]
    grid: Grid
    footer: str = "单位负责人签字：                填表人：                联系电话："
    width: int = field(init=False)

    def __post_init__(self) -> None:
        self.width = sum(c.span for c in self.head)


DEPARTMENT = "株洲市石峰区人民代表大会常务委员会"
DUTIES = [
    "（一）在本行政区域内，保证宪法、法律、行政法规和上级人民代表大会及其常务委员会决议的遵守和执行。",
    "（二）领导或者主持本级人民代表大会代表的选举。",
    "（三）召集本级人民代表大会会议。",
    "（四）讨论、决定本行政区域内的政治、经济、教育、科学、文化、卫生、环境和资源保护、民政、民族等工作的重大事项。",
    "（五）根据本级人民政府的建议，决定对本行政区域内的国民经济和社会发展计划、预算的部分变更。",
    "（六）监督本级人民政府、监察委员会、人民法院和人民检察院的工作，联系本级人民代表大会代表，受理人民群众对上述机关和国家工作人员的申诉和意见。",
    "（七）撤销下一级人民代表大会不适当的决议。",
    "（八）撤销本级人民政府不适当的决定和命令。",
    "（九）在本级人民代表大会闭会期间，决定副区长的个别任免；在区长和监察委员会主任、人民法院院长、人民检察院检察长因故不能担任职务的时候，"
    "从本级人民政府、监察委员会、人民法院、人民检察院副职领导成员中决定代理人选；决定代理检察长，须报上一级人民检察院和人民代表大会常务委员会备案。",
    "（十）根据区长的提名，决定本级人民政府办公室主任、局长的任免。",
    "（十一）按照中华人民共和国监察法、人民法院组织法和人民检察院组织法的规定，任免区监察委员会副主任、委员，任免区人民法院副院长、庭长、副庭长、"
    "审判委员会委员、审判员，任免区人民检察院副检察长、检察委员会委员、检察员。",
    "（十二）在本级人民代表大会闭会期间，决定撤销个别副区长的职务；决定撤销由它任命的本级人民政府其他组成人员和监察委员会副主任、委员，"
    "人民法院副院长、庭长、副庭长、审判委员会委员、审判员，人民检察院副检察长、检察委员会委员、检察员职务。",
    "（十三）在本级人民代表大会闭会期间，补选上一级人民代表大会出缺的代表和罢免个别代表。",
    "（十四）决定授予地方的荣誉称号。",
    "（十五）完成区委和上级组织交办的其他任务。",
]
PLAN = [
    ("1.规范保障", "人大办", "切实做好立法工作，充分发挥立法的引领推动和规范保障作用"),
    ("2.人事任免", "人大办", "依法行使重大事项决定权，认真做好人事任免工作"),
    ("3.代表工作", "人大办", "加强和改进代表工作，充分发挥代表主体作用"),
]
# (一级指标, 二级指标, 三级指标, 指标值): a blank 一级指标 continues the one above
DEPARTMENT_INDICATORS = [
    ("产出指标", "数量指标", "召开常委会", "≥10次"),
    ("", "质量指标", "召开主任会议", "≥10次"),
    ("", "时效指标", "预算年度内", "1年"),
    ("", "成本指标", "控制在预算数内", "≤790.64万元"),
    ("效益指标", "经济效益指标", "督促政府完成全年财政收支任务，促进全市国民经济高质量发展", "持续督促"),
    ("", "社会效益指标", "代表履职能力", "有所提升"),
    ("", "生态效益指标", "推动“一府两院”进一步高效、有效运转，为“一极三区”建设贡献力量", "持续促进"),
    ("", "可持续影响指标", "人事任前法律考试完成率", "100%"),
    ("", "社会公众及服务对象满意度指标", "服务对象满意度", "90%以上"),
]
GOAL_P2 = "根据年度工作安排和财政预算批复，组织人大代表视察、专题调研、执法检查等依法履行职责"
P1 = {
    "name": "业务性专项经费",
    "amount": C(36.0, number_format="0.00"),
    "summary_amount": "36.00",
    "goal_period": "保证大会的正常进行，顺利完成大会议程的各项事项",
    "goal_year": "保证大会的正常进行，顺利完成大会议程的各项事项,全面完成市十五届人大四次会议确定的各项工作任务，"
    "用担当诠释人大代表的使命，用奉献绽放人大代表的光彩。",
    "summary_goals": (
        "按法律要求召开好人民代表大会；\n全年至少召开8次人大常委会，根据区域发展实际安排并配合省、市人大开展联动执法检查，对政府相关工作进行专项评议。",
        "依法审议和批准“一府两院”、财政、计划报告，补选区人大常委会相关组成人员；\n坚决贯彻区委部署，依法决定重大事项，积极为区域发展建言献策，"
        "监督法律在本区域范围内的实施，对政府4个部门的工作进行评议，确保政府工作高效、务实、为民运行。",
    ),
    "indicators": [
        ("产出指标", "数量指标", "审查、批准2022年财政预算执行情况的报告和2023年市级财政预算", "1份"),
        ("", "质量指标", "会议事项完成率", C(1, number_format="0%")),
        ("", "时效指标", "资金及时拨付率", "100%"),
        ("", "成本指标", "成本控制数", "≤36万"),
        ("效益指标", "经济效益指标", "推动全市经济发展，防范化解政府债务风险", "间接"),
        ("", "社会效益指标", "完成选举事项", "100%"),
        ("", "生态效益指标", "无直接生态效益", "无直接生态效益"),
        ("", "可持续影响  指标", "会议事项执行率", "100%"),
        ("", "社会公众及服务对象满意度指标", "代表满意率", C(0.95, number_format="0%")),
    ],
    "spending": [
        ("区人民代表大会和区人大常委会", "餐费10万元，其他26万元", C(36),
         "根据《株洲市石峰区区直机关会议费管理办法》里一类会议标准餐费140元/人/天，其他费用100元/人/天"),
    ],
    "spending_total": C(36),
}
P2 = {
    "name": "人大代表活动经费",
    "amount": "56.10",
    "summary_amount": C(56.1, number_format="#,##0.00"),
    "goal_period": GOAL_P2,
    "goal_year": GOAL_P2,
    "summary_goals": (GOAL_P2 + "。", GOAL_P2 + "。"),
    "indicators": [
        ("产出指标", "数量指标", "与会各列席人员及工作人员", "≥500人"),
        ("", "质量指标", "人大代表参会率", "≥90%"),
        ("", "时效指标", "2023年度内按时完成", "1年"),
        ("", "成本指标", "人大代表人数", "187人"),
        ("", "成本指标", "人大代表活动经费标准", "3000元/人"),
        ("效益指标", "经济效益指标", "通过参政议政水平的提高，为地方经济发展建言献策。", "无"),
        ("", "社会效益指标", "区人大代表能够认真履行职责，充分发挥党和国家机关联系人民群众的桥梁和纽带的作用", "良好"),
        ("", "生态效益指标", "营造良好的政治生态，促进社会和谐进步。", "良好"),
        ("", "可持续影响  指标", "不断提高代表履职能力和参政议政水平。", "良好"),
        ("", "社会公众及服务对象满意度指标", "区人大代表满意率", "100%"),
    ],
    "spending": [
        ("代表活动经费56.10万元：全区代表187人，每人每年的经费3000元，应预算金额为56.10万元。",
         "用于组织代表活动，宣传代表事迹，督办代表建议和接待.走访.慰问代表等工作，搭建代表履职平台",
         C(56.1, number_format="0.00"), "全区代表187人，每人每年的经费是3000元"),
    ],
    "spending_total": "56.10",
}
PROJECTS = [P1, P2]


def shown(cell: C) -> str:
    """Return the text a Word form shows for a cell (numbers as Excel's format would show them)."""
    value, number_format = cell.text, cell.number_format
    if isinstance(value, str) or number_format is None:
        return str(value)
    if number_format.endswith("%"):
        return f"{value * 100:.0f}%"
    return f"{value:,.2f}" if number_format.startswith("#,##") else f"{value:.2f}"


def _c(value: C | str, span: int = 1) -> C:
    return C(value.text, span, value.number_format) if isinstance(value, C) else C(value, span)


def department_form(year: int = 2023, department: str = DEPARTMENT) -> FormLayout:
    grid: Grid = [
        [C("部门名称"), C(department, 5)],
        [C("年度预算申请\n（万元）"), C("资金总额：790.64", 5)],
        [UP, C("按收入性质分", 2), C("按支出性质分", 3)],
        [UP, C("其中：一般公共预算拨款"), C("790.64"), C("其中：基本支出", 2), C(698.54)],
        [UP, C("     政府性基金拨款"), C(""), C("      项目支出", 2), C(92.1)],
        [UP, C("         其他资金"), C(""), C("", 2), C("")],
        [C("部门职责概述"), C("\n".join(DUTIES), 5)],
        [C("年度重点       工作计划"), C("事项"), C("责任单位/科室"), C("工作目标", 3)],
        *[[UP, C(item), C(owner), C(goal, 3)] for item, owner, goal in PLAN],
        [C("年度绩效指标"), C("一级指标"), C("二级指标"), C("三级\n指标", 2), C("指标值及单位")],
        *_indicator_rows(DEPARTMENT_INDICATORS, name_span=2, standard=False),
        [UP, C(""), C(""), C("", 2), C("")],  # a blank row left in the form
    ]
    return FormLayout("附表1", f"{year}年部门整体支出绩效目标表",
                      [C("填报单位：（盖章）", 3), C("金额：万元", 3)], grid)


def _indicator_rows(rows: Sequence[tuple], *, name_span: int, standard: bool) -> Grid:
    grid: Grid = []
    for level1, level2, name, target in rows:
        row: list[C | None] = [UP, C(level1) if level1 else UP, C(level2), C(name, name_span), _c(target)]
        if standard:
            row.append(C("行业标准 "))
        grid.append(row)
    return grid


def summary_form(year: int = 2023, projects: Sequence[dict] = (P2, P1), total: C | str = "92.10") -> FormLayout:
    grid: Grid = [
        [C("序号"), C("名  称"), C("金  额"), C("实施期绩效目标"), C("年度绩效目标")],
        [C(""), C("合  计"), _c(total), C(""), C("")],
        *[[C(number), C(p["name"]), _c(p["summary_amount"]), C(p["summary_goals"][0]), C(p["summary_goals"][1])]
          for number, p in zip("一二三四五", projects, strict=False)],
        [C(""), C(""), C(""), C(""), C("")],
        [C(""), C(""), C(""), C(""), C("")],
    ]
    return FormLayout("附表2", f"{year}年区级专项资金绩效目标汇总表",
                      [C("填报单位：（盖章）", 3), C("金额单位：万元", 2)], grid)


def project_form(project: dict, year: int = 2023, reporter: str = "", amount: C | str | None = None,
                 target_header: str = "指标值及单位") -> FormLayout:
    name = project["name"]
    grid: Grid = [
        [C("支出方向      （子项）"), C(name), C("所属专项"), C("名称"), C(name, 2)],
        [C("项目金额"), _c(amount if amount is not None else project["amount"]), UP, C("金额"),
         _c(project["amount"], 2)],
        [C("项目实施期"), C("2023年度", 5)],
        [C("实施期绩效目标"), C(project["goal_period"], 5)],
        [C("年度绩效目标"), C(project["goal_year"], 5)],
        [C("年度绩效指标"), C("一级指标"), C("二级指标"), C("三级指标"), C(target_header), C("绩效标准")],
        *_indicator_rows(project["indicators"], name_span=1, standard=True),
        [C("支出明细及测算\n说明"), C("支出内容简介"), C("支出明细"), C("金额"), C("支出测算依据及过程说明", 2)],
        *[[UP, C(content), C(detail), _c(money), C(basis, 2)] for content, detail, money, basis in project["spending"]],
        [UP, C("合  计", 2), _c(project["spending_total"]), C("", 2)],
    ]
    return FormLayout("附表3", f"{year}年区级专项资金支出方向绩效目标表",
                      [C(f"填报单位：{reporter}（盖章）", 4), C("          金额单位：万元", 2)], grid)


def seed_forms(year: int = 2023) -> list[FormLayout]:
    return [department_form(year), summary_form(year), *[project_form(p, year) for p in PROJECTS]]


# --- cell placement shared by both builders ------------------------------------------------------


@dataclass(frozen=True)
class Placed:
    """A cell placed on the grid: top-left corner (0-based), size, and content."""

    row: int
    col: int
    rows: int
    cols: int
    cell: C


def place(grid: Grid, width: int) -> list[Placed]:
    """Resolve spans and UP marks into rectangles; check every row covers the width exactly."""
    open_cells: dict[int, Placed] = {}  # by first column: the rectangle a row can continue
    placed: list[Placed] = []
    for r, row in enumerate(grid):
        col = 0
        for entry in row:
            if entry is UP:
                above = open_cells[col]
                grown = Placed(above.row, above.col, above.rows + 1, above.cols, above.cell)
                placed[placed.index(above)] = grown
                open_cells[col] = grown
                col += above.cols
            else:
                cell = Placed(r, col, 1, entry.span, entry)
                placed.append(cell)
                open_cells[col] = cell
                col += entry.span
        assert col == width, f"row {r} covers {col} columns, not {width}: {row}"
    return placed


# --- .docx ---------------------------------------------------------------------------------------


def build_docx(forms: Sequence[FormLayout], *, title_in_table: bool = False, doubled_levels: bool = True) -> bytes:
    """Return a .docx: each form's marker, title and head as paragraphs, then its table, then the footer."""
    document = docx.Document()
    for form in forms:
        document.add_paragraph(form.marker)
        grid = form.grid
        if title_in_table:
            grid = [[C(form.title, form.width)], [*form.head], *grid]
        else:
            document.add_paragraph(form.title)
            document.add_paragraph("    ".join(str(c.text) for c in form.head))
        _docx_table(document, grid, form.width, doubled_levels)
        document.add_paragraph("")
        document.add_paragraph(form.footer)
        document.add_page_break()
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _docx_table(document: docx.document.Document, grid: Grid, width: int, doubled: bool) -> None:
    table = document.add_table(rows=len(grid), cols=width)
    table.style = "Table Grid"
    cells = [row.cells for row in table.rows]
    for item in place(grid, width):
        text = shown(item.cell)
        top = cells[item.row][item.col]
        _write(top, text)
        if doubled and item.rows > 1 and item.col == 1:
            # Word keeps the text of every cell merged while full: 一级指标 typed on each row, then merged
            for r in range(item.row + 1, item.row + item.rows):
                _write(cells[r][item.col], text)
        if item.rows > 1 or item.cols > 1:
            top.merge(cells[item.row + item.rows - 1][item.col + item.cols - 1])


def _write(cell: docx.table._Cell, text: str) -> None:
    lines = text.split("\n")
    cell.paragraphs[0].text = lines[0]
    for line in lines[1:]:
        cell.add_paragraph(line)


# --- .xlsx ---------------------------------------------------------------------------------------


def build_xlsx(forms: Sequence[FormLayout], *, one_sheet: bool = True, gap: int = 2,
               edit: Callable[[openpyxl.Workbook], None] | None = None) -> bytes:
    """Return a .xlsx: every form on one sheet (stacked, blank rows between) or each on its own sheet."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "绩效目标表"
    top = 1
    for number, form in enumerate(forms):
        if not one_sheet and number:
            sheet = book.create_sheet(f"{form.marker}-{number}")
            top = 1
        top = _xlsx_form(sheet, form, top) + gap
    if edit is not None:
        edit(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_form(sheet: openpyxl.worksheet.worksheet.Worksheet, form: FormLayout, top: int) -> int:
    grid = [[C(form.marker), *[C("")] * (form.width - 1)], [C(form.title, form.width)], [*form.head], *form.grid]
    wrap = Alignment(wrap_text=True, vertical="center")
    for item in place(grid, form.width):
        row, col = top + item.row, 1 + item.col
        cell = sheet.cell(row, col)
        value = item.cell.text
        cell.value = value
        if isinstance(value, str):
            cell.data_type = "s"  # a text starting with "=" must not become a formula
        if item.cell.number_format:
            cell.number_format = item.cell.number_format
        cell.alignment = wrap
        if item.rows > 1 or item.cols > 1:
            sheet.merge_cells(start_row=row, start_column=col, end_row=row + item.rows - 1,
                              end_column=col + item.cols - 1)
    footer_row = top + len(grid) + 1
    sheet.cell(footer_row, 1).value = form.footer
    return footer_row


# --- the seed text export, and variants of it ----------------------------------------------------

ROOT = __import__("pathlib").Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "forms" / "2023-shifeng-npc-targets.txt"
SHIPPED = ROOT / "targets" / "2023" / "shifeng-npc.yaml"


def seed_variant(*changes: tuple[int, str, str]) -> str:
    """Return the seed text with lines replaced: (line number, the line as it is, the new line)."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    for number, old, new in changes:
        assert lines[number - 1] == old, f"line {number} is {lines[number - 1]!r}, not {old!r}"
        lines[number - 1] = new
    return "\n".join(lines)


def numbers_as_text(forms: Sequence[FormLayout]) -> list[FormLayout]:
    """Return the forms with every number written as the text a sheet would show (for .xls readers)."""

    def plain(cell: C | None) -> C | None:
        return cell if cell is None or isinstance(cell.text, str) else C(shown(cell), cell.span)

    return [
        FormLayout(f.marker, f.title, [plain(c) for c in f.head], [[plain(c) for c in row] for row in f.grid], f.footer)
        for f in forms
    ]


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path
