"""The layout of the Excel entry workbook for actuals (formats.md §2): sheets, columns and header words.

``evaluator template`` writes a workbook from a targets file: a 填报说明 sheet, one sheet per scope
(部门整体, then each special fund) listing every indicator with the columns to fill, a 预算执行 sheet,
a 总结 sheet, a 已确认的提示 sheet (warnings accepted, with their reasons) and a hidden 元数据 sheet
that maps sheets to scopes, so that the filled workbook is read back without the targets. Reading finds
sheets and columns by their header words, not positions.

The layout lives here, in the input layer, because reading a filled workbook is input
(``evaluator.io.entry_read``); ``evaluator.workbook.entry`` writes the workbook from the same layout.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["ACKNOWLEDGED_COLUMNS", "BUDGET_COLUMNS", "BUDGET_LINES", "BUDGET_LINE_ALIASES", "BUDGET_MONEY_KEYS",
    "BUDGET_TEXT_KEYS", "BUDGET_TOTAL_LINE", "Column", "DEPARTMENT_CODE", "DEPARTMENT_NAME", "DEPARTMENT_SHEET",
    "INDICATOR_COLUMNS", "INDICATOR_FILL_KEYS", "INDICATOR_MARKERS", "INDICATOR_NUMBER_KEYS", "META_FIELDS",
    "META_MAP_HEADERS", "RESERVED_SHEETS", "SHEET_ACKNOWLEDGED", "SHEET_BUDGET", "SHEET_GUIDE", "SHEET_META",
    "SHEET_SUMMARY", "SUMMARY_ROWS", "budget_line", "header_key"]

SHEET_GUIDE = "填报说明"
SHEET_BUDGET = "预算执行"
SHEET_SUMMARY = "总结"
SHEET_META = "元数据"
SHEET_ACKNOWLEDGED = "已确认的提示"
DEPARTMENT_SHEET = "部门整体"
DEPARTMENT_CODE = "部门整体"  # how the department scope is written where a project writes its id
DEPARTMENT_NAME = "部门整体支出"
RESERVED_SHEETS = (SHEET_GUIDE, SHEET_BUDGET, SHEET_SUMMARY, SHEET_ACKNOWLEDGED, SHEET_META)


@dataclass(frozen=True)
class Column:
    """One column of a sheet: the model field, the header as written, other accepted headers, width."""

    key: str
    header: str
    width: float
    fill: bool = False  # a column the user fills (unlocked); the others come from the targets
    aliases: tuple[str, ...] = ()
    prompt: str = ""

    def names(self) -> set[str]:
        return {header_key(self.header), *(header_key(a) for a in self.aliases)}


INDICATOR_COLUMNS = (
    Column("id", "编号", 9, aliases=("指标编号", "指标id", "id")),
    Column("level1", "一级指标", 11),
    Column("level2", "二级指标", 13),
    Column("name", "三级指标", 26, aliases=("指标名称",)),
    Column("target", "年度指标值", 16, aliases=("指标值", "目标值")),
    Column("understood", "理解为", 24, aliases=("本工具的理解",)),
    Column("actual", "实际完成值", 18, fill=True, aliases=("实际值", "完成值", "实际完成情况", "全年实际完成值"),
           prompt="照实填写，带单位，如“12次”“97.2%”“801.37万元”；定性指标写完成情况。"),
    Column("tier", "完成档次", 11, fill=True, aliases=("档次", "完成等级"),
           prompt="定性指标：从下拉列表选择 达成 / 部分达成 / 未达成。"),
    Column("pct", "得分比例(%)", 11, fill=True, aliases=("得分比例", "得分率"),
           prompt="可选：该档次区间内的得分比例，0–100 的数字。"),
    Column("reason", "偏差原因", 28, fill=True, aliases=("偏差原因分析", "未完成原因", "原因"),
           prompt="未完成目标或大幅超额完成时填写原因。"),
    Column("measure", "改进措施", 28, fill=True, aliases=("整改措施",)),
    Column("evidence", "佐证材料", 20, fill=True, aliases=("佐证", "证明材料")),
    Column("points", "分值", 8, aliases=("指标分值",)),
    Column("claimed", "自评得分", 10, fill=True, aliases=("得分",),
           prompt="可选：单位自评的得分，0 到本行分值之间的数字；工具会核对是否有依据。"),
    Column("deduction", "扣减分数", 10, fill=True, aliases=("扣分",),
           prompt="可选：需要额外扣减的分数（如目标设定偏低），0 到本行分值之间，须同时填写扣减理由。"),
    Column("deduction_reason", "扣减理由", 20, fill=True, aliases=("扣分理由",)),
)
# a sheet is an indicator sheet when its header row has 编号 and one of these
INDICATOR_MARKERS = ("actual", "level1", "level2", "name", "target")
INDICATOR_FILL_KEYS = tuple(c.key for c in INDICATOR_COLUMNS if c.fill)
INDICATOR_TEXT_KEYS = ("actual", "tier", "reason", "measure", "evidence", "deduction_reason")
INDICATOR_NUMBER_KEYS = ("pct", "claimed", "deduction")

BUDGET_COLUMNS = (
    Column("code", "编号", 10, aliases=("范围编号", "专项编号")),
    Column("scope", "范围", 26, aliases=("项目名称", "名称", "范围名称")),
    Column("line", "资金", 18, aliases=("项目资金", "资金来源", "资金类别")),
    Column("initial", "年初预算数", 13, fill=True, aliases=("年初预算",)),
    Column("adjusted", "全年预算数", 13, fill=True, aliases=("调整后预算数", "全年预算")),
    Column("executed", "全年执行数", 13, fill=True, aliases=("执行数", "全年执行")),
    Column("reason", "执行率说明/原因", 32, fill=True, aliases=("执行率说明", "原因", "说明", "执行率原因")),
    Column("claimed", "自评得分", 10, fill=True, aliases=("预算执行自评得分", "得分"),
           prompt="可选：预算执行一项单位自评的得分，0 到预算执行分值之间的数字。"),
    Column("claimed_total", "自评总分", 10, fill=True, aliases=("总分",),
           prompt="可选：该范围自评表的总分，0 到 100 之间的数字。"),
    Column("overview", "年度总体目标实际完成情况", 40, fill=True, aliases=("实际完成情况", "总体目标完成情况"),
           prompt="可选：该范围年度总体目标的实际完成情况（文字），写入自评表。"),
)
BUDGET_MONEY_KEYS = ("initial", "adjusted", "executed")
BUDGET_TEXT_KEYS = ("reason", "overview")
BUDGET_TOTAL_LINE = "年度资金总额"
# the 资金 column: 年度资金总额, then the 其中 lines (model.FUNDING_SOURCES) as the template writes them
BUDGET_LINES = ((None, BUDGET_TOTAL_LINE), ("current", "其中：当年财政拨款"), ("carryover", "上年结转资金"),
                ("other", "其他资金"))
# what a person may write in the 资金 column instead (matched after header_key and without a 其中 prefix)
BUDGET_LINE_ALIASES = {
    None: ("年度资金总额", "资金总额", "合计", "总计", "小计"),
    "current": ("当年财政拨款", "本年财政拨款", "财政拨款", "当年拨款"),
    "carryover": ("上年结转资金", "上年结转", "结转资金"),
    "other": ("其他资金", "其他"),
}

# warnings the department accepts (``acknowledged`` of formats.md §2), one a row
ACKNOWLEDGED_COLUMNS = (
    Column("code", "提示代码", 28, fill=True, aliases=("代码",),
           prompt="evaluator check 输出中警告末尾括号里的代码，如 exceeded-without-reason。"),
    Column("indicator", "指标编号", 12, fill=True, aliases=("编号", "指标"),
           prompt="可选：只确认这个指标的该项警告；不填则确认该代码的全部警告。"),
    Column("reason", "确认理由", 70, fill=True, aliases=("理由",),
           prompt="必填：为什么这项警告可以接受（核实的情况）。"),
)

SUMMARY_ROWS = (
    ("overview", "总体完成情况", ("总体情况", "年度总体目标完成情况", "实际完成情况")),
    ("problems", "存在的问题", ("存在问题", "存在的问题及原因", "问题")),
    ("measures", "改进措施", ("下一步改进措施", "整改措施")),
    ("application", "结果应用", ("自评结果应用", "自评结果拟应用和公开情况")),
    ("other", "其他说明", ("其他需要说明的情况", "其他需要说明的问题", "其他")),
)

META_FIELDS = (
    ("schema", "格式版本"),
    ("year", "年度"),
    ("department", "部门名称"),
    ("money_unit", "金额单位"),
    ("targets", "目标文件"),
    ("targets_sha256", "目标文件SHA-256"),
)
META_MAP_HEADERS = ("工作表", "范围编号", "范围名称", "指标编号")

_BRACKETS = re.compile(r"[(\[（【][^)\]）】]*[)\]）】]")


def header_key(text: object) -> str:
    """Normalise a header for matching: width-folded, no spaces, no (…) notes, no *, lower case."""
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKC", str(text))
    folded = _BRACKETS.sub("", folded)
    return re.sub(r"[\s*：:]", "", folded).lower()


_FUNDING_PREFIX = re.compile(r"^(其中)[:：、,，]?")


def budget_line(text: object) -> str | None | bool:
    """Return which 项目资金 line a 资金 cell names: None for 年度资金总额, a FUNDING_SOURCES key, or False.

    An empty cell is the total (workbooks made before the 其中 lines had no 资金 column).
    """
    key = _FUNDING_PREFIX.sub("", header_key(text))
    if not key:
        return None
    for line, aliases in BUDGET_LINE_ALIASES.items():
        if key in {header_key(a) for a in aliases}:
            return line
    return False
