"""Write the published 自评表 of tests/data/cases as the official forms: .xlsx, .docx and Word's text export.

Each case becomes a ``FormLayout`` (tests/formbuilders.py) laid out as the 财预〔2020〕10号 annex
prints it: 项目名称 / 主管部门 / 实施单位, the budget block (项目资金 merged down over 年度资金总额 and
its 其中 rows), 年度总体目标, the indicator table (绩效指标 merged down, 一级/二级 merged over their
rows), 总分 and 自评等级, and a footer with 填表人. Provincial cases keep their own columns: no 分值
(17, 26, 32), 指标性质/指标值/度量单位 split (06, 16), Chongqing's 指标名称 … 是否核心指标 (43, 44),
and the Hunan framework table with 评价标准 and 指标说明 (36).

The .xlsx writes numbers as numbers with the format that shows them as published ("10.00", "97.80%");
.docx and .txt write the published text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from formbuilders import C, FormLayout, Grid, build_docx, build_xlsx

UP = None
FOOTER = "填表人：王晓明        联系电话：0731-28880000        填报日期：2023年3月15日"
SPLIT = {"06", "16"}  # 指标性质 / 指标值 / 度量单位 in three columns
NO_POINTS = {"17", "26", "32"}
TITLES = {
    "11": "（临时救助）绩效目标自评表",
    "36": "部门整体支出绩效评价指标表",
    "43": "部门整体绩效自评表",
    "44": "部门整体绩效自评表",
}
_OP = re.compile(r"^(≧|≥|>=|≤|≦|<=|═|﹦|=|>|<)?\s*(\d+(?:\.\d+)?)\s*(.*)$")


def goal_text(case: dict[str, Any]) -> tuple[str, str]:
    """The 年度总体目标 written into a fixture (the published copies were not transcribed)."""
    subject = case.get("project") or "部门整体支出"
    return f"按计划完成{subject}的年度工作任务", f"{subject}年度任务已按计划实施"


def _number(text: Any, numbers: bool) -> C:
    """A cell for a published number: a real number in .xlsx (formatted as published), text elsewhere."""
    if text is None:
        return C("")
    text = str(text)
    if not numbers:
        return C(text)
    match = re.fullmatch(r"(\d+)(?:\.(\d+))?(%?)", text)
    if match is None:
        return C(text)
    whole, decimals, percent = match.groups()
    value = float(f"{whole}.{decimals or 0}")
    if percent:
        return C(value / 100, number_format="0." + "0" * len(decimals) + "%" if decimals else "0%")
    if decimals:
        return C(value, number_format="0." + "0" * len(decimals))
    return C(int(whole))


def split_target(target: str) -> tuple[str, str, str]:
    """“≧735人次” → (“≧”, “735”, “人次”); a text target → (“定性”, text, “”)."""
    match = _OP.match(target)
    if match is None:
        return "定性", target, ""
    return match.group(1) or "", match.group(2), match.group(3)


def _columns(case: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, header) of the indicator table after its 绩效指标 label column."""
    name = case["name"]
    if name == "43":
        return [("name", "指标名称"), ("unit", "计量单位"), ("nature", "指标性质"), ("target", "年初指标值"),
                ("adjusted", "调整指标值"), ("actual", "全年完成值"), ("coefficient", "得分系数(%)"),
                ("points", "指标权重(分)"), ("score", "指标得分(分)"), ("core", "是否核心指标")]
    if name == "44":
        return [("name", "指标名称"), ("unit", "计量单位"), ("nature", "指标性质"), ("target", "指标值"),
                ("points", "指标权重"), ("actual", "全年完成值"), ("score", "指标得分"), ("note", "说明")]
    if name == "36":
        return [("level1", "一级指标"), ("level2", "二级指标"), ("name", "三级指标"), ("points", "分值"),
                ("rule", "评价标准"), ("explanation", "指标说明"), ("score", "得分")]
    columns = [("level1", "一级指标"), ("level2", "二级指标"), ("name", "三级指标")]
    if name in SPLIT:
        columns += [("op", "指标性质"), ("target", "指标值"), ("unit", "度量单位")]
    else:
        columns += [("target", "年度指标值")]
    columns += [("actual", "实际完成值")]
    if name not in NO_POINTS:
        columns += [("points", "分值")]
    return columns + [("score", "得分"), ("note", "偏差原因分析及改进措施")]


def _value(field: str, row: dict[str, Any], name: str, numbers: bool) -> C:
    if field in ("points", "score"):
        return _number(row.get("points" if field == "points" else "score_published"), numbers)
    if name in SPLIT and field in ("op", "target", "unit"):
        op, value, unit = split_target(str(row.get("target") or ""))
        return C({"op": op, "target": value, "unit": unit}[field])
    value = {
        "level1": row.get("level1"), "level2": row.get("level2"), "name": row.get("name"),
        "target": row.get("target"), "actual": row.get("actual"),
        "note": row.get("deviation_note"), "unit": row.get("unit"), "nature": row.get("nature"),
        "adjusted": None, "coefficient": row.get("coefficient_published"), "core": row.get("core"),
        "rule": row.get("scoring_rule"), "explanation": row.get("explanation"),
    }.get(field)
    return C("" if value is None else str(value))


def case_layout(case: dict[str, Any], *, numbers: bool = False,
                edit_rows: Callable[[list[list[C | None]]], None] | None = None) -> FormLayout:
    """Return the case as its official form; ``edit_rows`` may change the indicator rows (bad-input tests)."""
    columns = _columns(case)
    width = 1 + len(columns)
    department = case["kind"] == "department"
    grid: Grid = []
    if department:
        grid.append([C("部门（单位）名称"), C(case["department"], width - 1)])
    else:
        grid.append([C("项目名称"), C(case["project"], width - 1)])
        grid.append([C("主管部门"), C("", 3), C("实施单位", 2), C(case["department"], width - 6)])
    grid += _budget_block(case, width, numbers)
    goal, done = goal_text(case)
    left = (width - 1) // 2
    grid.append([C("年度总体目标"), C("预期目标", left), C("实际完成情况", width - 1 - left)])
    grid.append([UP, C(goal, left), C(done, width - 1 - left)])
    grid.append([C("绩效指标"), *[C(header) for _, header in columns]])
    rows: list[list[C | None]] = []
    previous: dict[str, Any] | None = None
    for row in case["indicators"]:
        cells: list[C | None] = [UP]
        for field, _ in columns:
            same_level1 = previous is not None and previous.get("level1") == row.get("level1")
            if (field == "level1" and same_level1) or (
                    field == "level2" and same_level1 and previous.get("level2") == row.get("level2")):  # type: ignore[union-attr]
                cells.append(UP)
            else:
                cells.append(_value(field, row, case["name"], numbers))
        rows.append(cells)
        previous = row
    if edit_rows is not None:
        edit_rows(rows)
    grid += rows
    fields = [f for f, _ in columns]
    score_at = 1 + fields.index("score")
    points_at = 1 + fields.index("points") if "points" in fields else None
    first = min(p for p in (points_at, score_at) if p is not None)
    if case.get("total_published") is not None or case.get("complete"):
        total_row: list[C | None] = [C("总分", first)]
        for position in range(first, width):
            if position == points_at:
                total_row.append(_number(_points_total(case), numbers))
            elif position == score_at:
                total_row.append(_number(case.get("total_published"), numbers))
            else:
                total_row.append(C(""))
        grid.append(total_row)
    if case.get("grade_published"):
        grid.append([C("自评等级", first), C(case["grade_published"], width - first)])
    title = TITLES.get(case["name"], "部门整体支出绩效自评表" if department else "项目支出绩效自评表")
    return FormLayout("附件", title, [C(f"（{case['year']}年度）", width)], grid, footer=FOOTER)


def _points_total(case: dict[str, Any]) -> str | None:
    points = [row.get("points") for row in case["indicators"]]
    if any(p is None for p in points):
        return None
    total = sum(float(p) for p in points) + float(case["budget"].get("points") or 0)
    return f"{total:g}"


def _budget_block(case: dict[str, Any], width: int, numbers: bool) -> Grid:
    budget = case["budget"]
    keys = ("initial", "adjusted", "executed", "points", "rate_published", "score_published")
    if all(budget.get(k) is None for k in keys):
        return []
    unit = budget.get("unit") or "万元"
    last = width - 7
    amounts = [_number(budget.get(k), numbers) for k in ("initial", "adjusted", "executed")]
    department = case["kind"] == "department"
    parts = ("其中：基本支出", "项目支出", "其他支出") if department else (
        "其中：当年财政拨款", "上年结转资金", "其他资金")
    label = "部门整体支出" if department else "项目资金"
    grid: Grid = [
        [C(f"{label}\n（{unit}）"), C(""), C("年初预算数"), C("全年预算数"), C("全年执行数"), C("分值"), C("执行率"),
         C("得分", last)],
        [UP, C("年度资金总额"), *amounts, _number(budget.get("points"), numbers),
         _number(budget.get("rate_published"), numbers), _number(budget.get("score_published"), numbers)],
        [UP, C(parts[0]), *[C(a.text, number_format=a.number_format) for a in amounts], C("—"), C(""), C("—", last)],
        [UP, C(parts[1]), C(""), C(""), C(""), C("—"), C(""), C("—", last)],
        [UP, C(parts[2]), C(""), C(""), C(""), C("—"), C(""), C("—", last)],
    ]
    grid[1][-1] = C(grid[1][-1].text, last, grid[1][-1].number_format)  # type: ignore[union-attr]
    return grid


# --- files ---------------------------------------------------------------------------------------------


def build_text(forms: Sequence[FormLayout]) -> bytes:
    """Word's plain-text export of the forms: a tab before every cell, a blank line after every row."""
    lines: list[str] = []
    for form in forms:
        lines += [form.marker, "", form.title, "", "    ".join(str(c.text) for c in form.head), ""]
        for row in form.grid:
            for cell in row:
                text = "" if cell is None else str(cell.text)
                first, *more = text.split("\n")
                lines.append("\t" + first)
                lines.extend(more)
            lines.append("")
        lines += [form.footer, ""]
    return "\n".join(lines).encode("utf-8")


def case_files(case: dict[str, Any], folder: Path, stem: str | None = None) -> dict[str, Path]:
    """Write the case as .xlsx, .xls, .docx and .txt into ``folder``; return {suffix: path}.

    The .xls holds the .xlsx bytes: python-calamine reads both, and no library here writes BIFF.
    """
    stem = stem or f"{case['name']}-{case['year']}"
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        ".xlsx": build_xlsx([case_layout(case, numbers=True)]),
        ".xls": build_xlsx([case_layout(case, numbers=True)]),
        ".docx": build_docx([case_layout(case)]),
        ".txt": build_text([case_layout(case)]),
    }
    paths = {}
    for suffix, data in files.items():
        path = folder / f"{stem}{suffix}"
        path.write_bytes(data)
        paths[suffix] = path
    return paths


EXAMPLES = {  # examples/submitted: four published tables as a bureau receives them
    "06": "2022-永德县明朗中学-营养改善计划.xlsx",
    "16": "2020-古城区自然资源局-卫片执法补助.docx",
    "22": "2021-鄂州市行政审批局-市民中心运行维护.xlsx",
    "44": "2022-梁平区林业局-部门整体.docx",
}


def write_examples(folder: Path, cases: Callable[[str], dict[str, Any]]) -> list[Path]:
    """Write examples/submitted (run ``python tests/selfevalbuilders.py`` to make them again)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, file in EXAMPLES.items():
        case = cases(name)
        data = build_xlsx([case_layout(case, numbers=True)]) if file.endswith(".xlsx") else build_docx(
            [case_layout(case)])
        path = folder / file
        path.write_bytes(data)
        written.append(path)
    return written


if __name__ == "__main__":
    import yaml
    from cases import CASES

    def _case(name: str) -> dict[str, Any]:
        case = yaml.safe_load(next(CASES.glob(f"{name}*.yaml")).read_text(encoding="utf-8"))
        case["name"] = name
        return case

    for written in write_examples(Path(__file__).resolve().parent.parent / "examples" / "submitted", _case):
        print(written)
