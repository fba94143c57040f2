"""The `evaluator` command: a thin shell over the library.

Each command parses its options, makes one library call, prints, and leaves error handling to
``_user_errors``: an EvaluatorError is printed in Chinese without a traceback and exits 1; anything
else is a bug and keeps its traceback. Heavy libraries are imported inside the commands.
"""

from __future__ import annotations

import functools
import gc
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from evaluator.cli.zh import install_chinese
from evaluator.errors import EvaluatorError
from evaluator.io.files import input_scope
from evaluator.version import __version__

__all__ = ["app", "main"]

install_chinese()

F = TypeVar("F", bound=Callable[..., Any])

app = typer.Typer(
    name="evaluator",
    help="预算绩效自评工具：导入绩效目标表，记录实际完成值，按评分规则打分，生成自评报告和自评表。",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    rich_markup_mode=None,
)
rules_app = typer.Typer(help="列出或查看评分规则集。", no_args_is_help=False, rich_markup_mode=None)
app.add_typer(rules_app, name="rules")

TargetsArg = Annotated[Path, typer.Argument(help="绩效目标文件（targets/<年度>/<部门>.yaml）", show_default=False)]
ActualsArg = Annotated[Path, typer.Argument(help="实际完成值文件（actuals/<年度>/<部门>.yaml 或 .xlsx 填报表）",
                                            show_default=False)]
RulesOpt = Annotated[str, typer.Option("--rules", "-r", help="评分规则集名称或规则文件路径（见 evaluator rules）")]
ForceOpt = Annotated[bool, typer.Option("--force", help="输出文件已存在时覆盖")]


def _user_errors(command: F) -> F:
    """Print errors the user can fix, in Chinese and without a traceback, and exit with code 1.

    The command runs in one ``input_scope``: ``write_output`` refuses to write over anything it read.
    """

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            with input_scope():  # every output is checked against every input the command read
                return command(*args, **kwargs)
        except EvaluatorError as error:
            typer.echo(f"错误：{error}", err=True)
            raise typer.Exit(code=error.exit_code) from None

    return wrapper  # type: ignore[return-value]


def _echo_pieces(pieces: Any, size: int = 1 << 20) -> None:
    """Print text given in pieces, a megabyte at a time: a large result is never held whole twice."""
    batch: list[str] = []
    held = 0
    for piece in pieces:
        batch.append(piece)
        held += len(piece)
        if held >= size:
            typer.echo("".join(batch), nl=False)
            batch, held = [], 0
    if batch:
        typer.echo("".join(batch), nl=False)


def _console() -> Any:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=False, width=None if sys.stdout.isatty() else 160)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"evaluator {__version__}")
        raise typer.Exit()


@app.callback()
def main_callback(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本号")] = False,
) -> None:
    """预算绩效自评工具。"""


@app.command()
@_user_errors
def check(
    targets: TargetsArg,
    actuals: Annotated[Path | None, typer.Argument(help="实际完成值文件（可选）", show_default=False)] = None,
    rules: RulesOpt = "national-2020",
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出检查结果")] = False,
) -> None:
    """检查目标文件（和实际值文件）：逐项列出指标值的理解方式，以及所有问题和歧义。

    没有问题时退出码为0，有问题时为1。

    示例：evaluator check targets/2023/shifeng-npc.yaml actuals/2023/shifeng-npc.yaml
    """
    from evaluator.checks.check import CheckReport, run_checks
    from evaluator.cli.text import print_check
    from evaluator.errors import InputErrors

    try:
        report = run_checks(targets, actuals, rules)
    except InputErrors as error:
        if not as_json:
            raise
        typer.echo(CheckReport(None, None, problems=list(error.problems)).dumps(), nl=False)
        raise typer.Exit(code=1) from None
    if as_json:
        _echo_pieces(report.iter_json())
    else:
        print_check(report, _console())
    if report.failed:
        raise typer.Exit(code=1)


@app.command()
@_user_errors
def parse(
    values: Annotated[list[str], typer.Argument(help="要解析的指标值，如 “≥10次” “90%以上”", show_default=False)],
    level2: Annotated[str | None, typer.Option("--level2", help="二级指标（如 成本指标），用于判断方向")] = None,
    name: Annotated[str | None, typer.Option("--name", help="三级指标名称，用于按关键词判断方向")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="以 JSON 输出（formats.md 的 parsed 对象）")] = False,
) -> None:
    """解析指标值，显示本工具如何理解它（比较符、数值、单位、方向）。

    示例：evaluator parse "≥10次" "90%以上" "≤790.64万元" --level2 成本指标
    """
    import json

    from evaluator.language.direction import infer_direction
    from evaluator.language.values import describe, parse_value

    results = []
    for text in values:
        value = parse_value(text)
        direction, reason = infer_direction(value, level2=level2, name=name)
        results.append((text, value, direction, reason))
    if as_json:
        payload = [
            {"text": t, "parsed": v.to_json(), "direction": d.value, "direction_reason": r, "understood": describe(v, d)}
            for t, v, d, r in results
        ]
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    for text, value, direction, reason in results:
        typer.echo(f"{text}  →  {describe(value, direction)}")
        typer.echo(f"    方向：{direction.label}（{reason}）")
        if value.note:
            typer.echo(f"    说明：{value.note}")


@app.command()
@_user_errors
def score(
    targets: TargetsArg,
    actuals: ActualsArg,
    rules: RulesOpt = "national-2020",
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON（formats.md §3 的结果格式）")] = False,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="把 JSON 结果写入文件")] = None,
    force: ForceOpt = False,
) -> None:
    """按规则集为各项指标和预算执行率评分，逐项说明得分理由。

    示例：evaluator score targets/2023/shifeng-npc.yaml actuals/2023/shifeng-npc.yaml
    """
    from evaluator.io.load import load_inputs
    from evaluator.io.previous import previous_year
    from evaluator.rules import load_rules
    from evaluator.scoring import evaluate

    if output is not None:  # fail before the work, not after it
        from evaluator.io.output import check_output

        check_output(output, force=force, inputs=(targets, actuals))
    loaded_targets, loaded_actuals = load_inputs(targets, actuals)
    previous = previous_year(loaded_targets, targets, actuals)
    result = evaluate(loaded_targets, loaded_actuals, load_rules(rules), previous=previous)
    if loaded_targets.incomplete:
        typer.echo(f"注意：目标文件不完整（导入时表格缺少 {len(loaded_targets.incomplete)} 项，见其中的 incomplete），"
                   "相关指标的得分不可靠；evaluator check 列出详情。", err=True)
    if output is not None:
        from evaluator.io.output import write_output

        write_output(output, result.iter_json(), force=force)
        typer.echo(f"已写入 {output}", err=True)
    if as_json:
        _echo_pieces(result.iter_json())
    elif output is None:
        from evaluator.cli.text import print_result

        print_result(result, _console())


@rules_app.callback(invoke_without_command=True)
def rules_list(ctx: typer.Context) -> None:
    """列出内置的评分规则集（第一个为默认）。"""
    if ctx.invoked_subcommand is not None:
        return
    from evaluator.rules import load_rules, shipped_rules

    for name in shipped_rules():
        rule_set = load_rules(name)
        typer.echo(f"{name:<18} {rule_set.title}")


@rules_app.command("show")
@_user_errors
def rules_show(
    name: Annotated[str, typer.Argument(help="规则集名称或规则文件路径", show_default=False)],
) -> None:
    """显示一个规则集的全部设置及其出处。

    示例：evaluator rules show national-2020
    """
    from evaluator.rules import load_rules, rules_path

    rule_set = load_rules(name)
    typer.echo(f"# {rule_set.title}")
    typer.echo(f"# 出处：{rule_set.source}")
    if rule_set.url:
        typer.echo(f"# 链接：{rule_set.url}")
    typer.echo(f"# 文件：{rule_set.file}  SHA-256：{rule_set.sha256}")
    typer.echo(rules_path(name).read_text(encoding="utf-8"), nl=False)


@app.command("import")
@_user_errors
def import_forms_command(
    files: Annotated[list[Path], typer.Argument(
        help="绩效目标表或填好的自评表（.txt 文本导出、.docx、.xlsx、.xls），可多个", show_default=False)],
    output: Annotated[Path, typer.Option(
        "--output", "-o", help="目标表：输出的目标文件，如 targets/2023/部门.yaml；自评表：输出文件夹，如 导入/")],
    force: ForceOpt = False,
    allow_incomplete: Annotated[bool, typer.Option(
        "--allow-incomplete",
        help="表格缺少资金总额、指标名称或指标值时仍然导入，在目标文件中标出缺项（incomplete）")] = False,
) -> None:
    """导入官方绩效目标表（附表1、附表2、附表3）生成目标文件；或导入填好的自评表，生成目标文件和实际值文件。

    自评表（标题含“自评表”，或指标表有“实际完成值”“得分”列）写入 -o 指定的文件夹：
    <文件夹>/targets/<年度>/<文件名>.yaml 和 <文件夹>/actuals/<年度>/<文件名>.yaml，
    实际值文件中保留单位自评的得分（claimed）和偏差原因，可直接用于 score、check、report、batch。

    表格缺少目标文件必需的内容（资金总额、指标名称或指标值）时，不写任何文件，退出码为1。

    缺少包括：空白、没有保存计算结果的公式、引用其他工作簿的外部链接。

    加 --allow-incomplete 时照常导入，缺项在目标文件的 incomplete 中标出，evaluator check 把它们列为错误。

    示例：evaluator import examples/forms/2023-shifeng-npc-targets.txt -o targets/2023/shifeng-npc.yaml

    示例：evaluator import 项目支出绩效自评表.xlsx -o 导入/
    """
    from evaluator.errors import InputErrors
    from evaluator.forms.selfeval import read_self_evaluation

    found: list[tuple[Path, Any]] = []
    for path in files:
        try:
            found.append((path, read_self_evaluation(path)))
        except InputErrors as error:  # unreadable, or a 自评表 with errors: said below, with the other files
            found.append((path, error))
    if any(e is not None and type(e) is not InputErrors for _, e in found):  # a 自评表, readable or not
        _import_self_evaluations(found, output, force)
        return
    from evaluator.forms import import_forms
    from evaluator.io.dump import dump_targets
    from evaluator.io.output import check_output, write_output

    check_output(output, force=force, inputs=files)  # fail before the work, not after it
    result = import_forms(files, allow_incomplete=allow_incomplete)
    write_output(output, dump_targets(result.targets), force=force)
    targets = result.targets
    count = len(targets.indicators) + sum(len(p.indicators) for p in targets.projects)
    typer.echo(f"已导入 {targets.year}年 {targets.department}：部门整体指标 {len(targets.indicators)} 个，"
               f"专项 {len(targets.projects)} 个，共 {count} 个指标 → {output}")
    for finding in result.findings:
        typer.echo(f"核对：{finding}")
    if targets.incomplete:
        typer.echo(f"注意：表格缺少 {len(targets.incomplete)} 项目标文件必需的内容，"
                   f"已在 {output} 的 incomplete 中标出；"
                   "evaluator check 会把它们列为错误，补上后删去。", err=True)


def _import_self_evaluations(found: list[tuple[Path, Any]], output: Path, force: bool) -> None:
    """Write each 自评表 as a targets and an actuals file under ``output`` (a folder)."""
    from evaluator.errors import InputError, InputErrors, display_path
    from evaluator.forms.selfeval import file_slug, import_paths
    from evaluator.io.dump import dump_actuals, dump_targets
    from evaluator.io.output import check_output, write_output

    problems = [p for _, e in found if isinstance(e, InputErrors) for p in e.problems]
    if problems:
        raise InputErrors(problems)
    others = [path for path, evaluation in found if evaluation is None]
    if others:
        names = "、".join(display_path(p) for p in others)
        raise InputError(f"{names} 不是填好的自评表，不能与自评表一起导入",
                         hint="绩效目标表与自评表分开导入：目标表 -o 给出目标文件，自评表 -o 给出文件夹。")
    if output.suffix.lower() in (".yaml", ".yml") or output.is_file():
        raise InputError(f"自评表导入为目标文件和实际值文件两个文件，-o 应为文件夹，实际是“{display_path(output)}”",
                         hint=f"例如 -o {output.parent.as_posix().rstrip('/') or '.'}/导入/")
    planned = []
    for path, evaluation in found:
        targets_path, actuals_path = import_paths(output, evaluation.targets.year, file_slug(path))
        for target in (targets_path, actuals_path):
            check_output(target, force=force)
        planned.append((evaluation, targets_path, actuals_path))
    if len({t for _, t, _ in planned}) < len(planned):
        raise InputError("有两个文件的文件名相同，导入后会互相覆盖", hint="先把其中一个文件改名，再导入。")
    for evaluation, targets_path, actuals_path in planned:
        write_output(targets_path, dump_targets(evaluation.targets), force=force)
        write_output(actuals_path, dump_actuals(evaluation.actuals), force=force)
        tables = len(evaluation.scopes)
        count = len(evaluation.targets.all_indicators())
        typer.echo(f"已导入自评表 {evaluation.file}（{evaluation.targets.year}年 {evaluation.targets.department}，"
                   f"{tables} 张表，{count} 个指标）→ {targets_path.as_posix()}、{actuals_path.as_posix()}")
        for finding in evaluation.findings:
            typer.echo(f"核对：{finding}")


@app.command()
@_user_errors
def report(
    targets: TargetsArg,
    actuals: ActualsArg,
    output: Annotated[Path | None, typer.Option(
        "--output", "-o",
        help="报告文件路径，扩展名 .html、.docx 或 .pdf 决定格式（默认 reports/<年度>/<目标文件名>.html）",
        show_default=False)] = None,
    file_format: Annotated[str | None, typer.Option(
        "--format", help="html（离线网页）、docx（Word）或 pdf（需要 Chromium/Edge/Chrome）；不写时按 -o 的扩展名",
        show_default=False)] = None,
    rules: RulesOpt = "national-2020",
    force: ForceOpt = False,
    timestamp: Annotated[bool, typer.Option(
        "--timestamp", help="在报告中写入生成时间（不加时，相同输入生成的 HTML 和 Word 文件逐字节相同）")] = False,
) -> None:
    """生成绩效自评报告：离线 HTML、可编辑的 Word（.docx）或 PDF，含自评表、图表、偏差分析和评分依据。

    Word 报告按公文格式排版（A4、仿宋正文、页码），自评表为真正的 Word 表格。

    PDF 由本机的 Chromium（或 Edge、Chrome）离线打印。

    示例：evaluator report targets/2023/shifeng-npc.yaml actuals/2023/shifeng-npc.yaml -o 自评报告.docx
    """
    from datetime import datetime

    from evaluator.report import report_files

    path = report_files(targets, actuals, output, rules=rules, force=force, file_format=file_format,
                        generated_at=datetime.now() if timestamp else None)
    typer.echo(f"已生成自评报告：{path}")


@app.command()
@_user_errors
def demo(
    output: Annotated[Path, typer.Option("--output", "-o", help="报告文件路径")] = Path(
        "reports/2023/shifeng-npc.html"),
    force: ForceOpt = False,
) -> None:
    """用随附的示例（2023年 株洲市石峰区人大常委会）生成自评报告，并显示报告路径。

    再次运行时重新生成上次 demo 生成的报告；同名的其他文件不加 --force 不覆盖。

    示例：evaluator demo -o 示例报告.html
    """
    from evaluator.report.files import demo_report

    typer.echo(str(demo_report(output, force=force)))


@app.command()
@_user_errors
def template(
    targets: TargetsArg,
    output: Annotated[Path, typer.Option("--output", "-o", help="输出的填报文件，如 actuals/2023/部门.xlsx")],
    file_format: Annotated[str | None, typer.Option(
        "--format", help="xlsx（Excel 填报表）或 yaml（YAML 骨架）；不写时按输出文件的扩展名")] = None,
    rules: Annotated[str, typer.Option("--rules", "-r", help="评分规则集名称或规则文件路径，用于填报表的“分值”列")] = \
        "national-2020",
    force: ForceOpt = False,
) -> None:
    """生成实际完成值填报表（Excel）或 YAML 骨架，列出目标文件中的全部指标，填好后可直接评分。

    示例：evaluator template targets/2023/shifeng-npc.yaml -o actuals/2023/shifeng-npc.xlsx
    """
    from evaluator.io.load import load_targets
    from evaluator.io.output import write_output
    from evaluator.rules import load_rules
    from evaluator.workbook.entry import build_actuals_yaml, build_entry_workbook, template_format

    chosen = template_format(output, file_format)
    loaded = load_targets(targets)
    if chosen == "yaml":
        write_output(output, build_actuals_yaml(loaded), force=force)
    else:
        write_output(output, build_entry_workbook(loaded, load_rules(rules)), force=force)
    count = len(loaded.all_indicators())
    typer.echo(f"已生成填报{'表' if chosen == 'xlsx' else '文件'}（{count} 个指标）→ {output}")


@app.command()
@_user_errors
def export(
    targets: TargetsArg,
    actuals: ActualsArg,
    output: Annotated[Path, typer.Option(
        "--output", "-o",
        help="输出的自评表，扩展名 .xlsx（Excel）或 .docx（Word）决定格式，如 reports/2023/部门-自评表.xlsx")],
    file_format: Annotated[str | None, typer.Option(
        "--format", help="xlsx 或 docx；不写时按 -o 的扩展名", show_default=False)] = None,
    rules: RulesOpt = "national-2020",
    force: ForceOpt = False,
) -> None:
    """导出绩效自评表（官方格式，Excel 或 Word）：每个范围一张表（含“其中”资金行），另附评分说明。

    示例：evaluator export targets/2023/shifeng-npc.yaml actuals/2023/shifeng-npc.yaml -o reports/2023/shifeng-npc-自评表.docx
    """
    from evaluator.io.formats import EXPORT_FORMATS, output_format
    from evaluator.io.output import check_output, write_output
    from evaluator.workbook.export import export_files

    check_output(output, force=force, inputs=[targets, actuals])  # fail before the work, not after it
    chosen = output_format(output, file_format, EXPORT_FORMATS)
    write_output(output, export_files(targets, actuals, rules, file_format=chosen), force=force)
    typer.echo(f"已写入 {output}")


@app.command()
@_user_errors
def compare(
    ctx: typer.Context,
    roots: Annotated[list[Path] | None, typer.Argument(
        help="与 --all 一起使用：目标文件夹和实际值文件夹（默认 targets actuals）", show_default=False,
        metavar="[目标文件夹 实际值文件夹]")] = None,
    dept: Annotated[str | None, typer.Option("--dept", help="部门代码，即目标文件名（不含 .yaml），如 shifeng-npc",
                                             show_default=False)] = None,
    all_departments: Annotated[bool, typer.Option(
        "--all", help="比较全部部门：各部门逐年的总分、等级和预算执行率，以及等级变化的部门")] = False,
    years: Annotated[str | None, typer.Option(
        "--years", help="年度范围，如 2021-2025（默认：找到的全部年度）", show_default=False)] = None,
    targets_dir: Annotated[Path, typer.Option("--targets-dir", help="目标文件夹，内有 <年度>/<部门>.yaml")] = Path(
        "targets"),
    actuals_dir: Annotated[Path, typer.Option(
        "--actuals-dir", help="实际值文件夹，内有 <年度>/<部门>.yaml 或 .xlsx")] = Path("actuals"),
    rules: RulesOpt = "national-2020",
    output: Annotated[Path | None, typer.Option(
        "--output", "-o", help="比较报告路径（默认 reports/compare/<部门>-<起始年>-<结束年>.html）；"
                               "同名的 .xlsx 和 .csv 写在旁边",
        show_default=False)] = None,
    force: ForceOpt = False,
) -> None:
    """跨年度比较一个部门（--dept）或全部部门（--all）：离线 HTML 报告（可打印为 A4），旁边另有同名 .xlsx 和 .csv。

    一个部门：逐项对照各年的目标、实际和得分，并列出需要关注的变化。

    变化包括：目标低于上年实际、目标多年未调整而持续超额完成（每个指标一条）、指标增减、支出增加而产出持平、等级变化。

    各年指标先按编号、再按名称对应。某年只有目标文件、没有实际值文件时，该年只列目标。

    全部部门：各部门逐年的总分、等级和预算执行率，列出等级变化的部门。

    示例：evaluator compare --dept shifeng-npc --years 2022-2024

    示例：evaluator compare --all targets actuals -o reports/compare/全部部门.html
    """
    from evaluator.analysis.compare import parse_years
    from evaluator.analysis.compare_tables import sibling_paths
    from evaluator.errors import InputError
    from evaluator.report.render import encode

    if all_departments == (dept is not None):
        raise typer.BadParameter("用 --dept 给出一个部门代码，或用 --all 比较全部部门（二者选一）", ctx=ctx,
                                 param_hint="--dept / --all")
    if dept is not None and (not dept.strip(" .") or any(mark in dept for mark in "/\\:")):
        # a code names a file inside targets/<year>/: a path here would read, and write the default
        # output (reports/compare/<code>-….html), outside the folders the user gave
        raise typer.BadParameter(f"部门代码“{dept}”不是文件名：部门代码是 targets/<年度>/ 中目标文件的文件名（不含 .yaml，"
                                 "不含文件夹），如 shifeng-npc", ctx=ctx, param_hint="--dept")
    if roots and not all_departments:
        raise typer.BadParameter("目标文件夹和实际值文件夹只与 --all 一起给出；比较一个部门时用 --targets-dir、"
                                 "--actuals-dir", ctx=ctx, param_hint="ROOTS")
    if roots and len(roots) != 2:
        raise typer.BadParameter("--all 后给出两个文件夹：目标文件夹和实际值文件夹，如 evaluator compare --all "
                                 "targets actuals", ctx=ctx, param_hint="ROOTS")
    try:
        span = parse_years(years)
    except InputError as error:  # a malformed option is a usage error (exit 2), not a problem with the files
        problem = error.problem
        raise typer.BadParameter(f"{problem.message}\n    提示：{problem.hint}" if problem.hint else problem.message,
                                 ctx=ctx, param_hint="--years") from None
    path = output
    if path is not None:  # fail before the work, not after it: an existing file, or one of the inputs
        from evaluator.io.output import check_output

        for planned in (path, *sibling_paths(path)):
            check_output(planned, force=force)
    if all_departments:
        from evaluator.analysis.compare_all import compare_all
        from evaluator.analysis.compare_tables import crossyear_csv, crossyear_xlsx
        from evaluator.report.compare_all_page import render_compare_all

        if roots:
            targets_dir, actuals_dir = roots
        cross = compare_all(targets_dir, actuals_dir, years=span, rules=rules)
        if path is None:
            path = Path("reports") / "compare" / f"全部部门-{cross.years[0]}-{cross.years[-1]}.html"
        xlsx, csv = sibling_paths(path)
        html = render_compare_all(cross, tables=(xlsx.name, csv.name))
        files = ((path, encode(html)), (xlsx, crossyear_xlsx(cross)), (csv, crossyear_csv(cross)))
        _write_all(files, force)
        typer.echo(f"已生成全部部门跨年度比较（{cross.years[0]}—{cross.years[-1]}年，{len(cross.departments)} 个部门，"
                   f"{len(cross.moved)} 个部门等级变化）：{path}、{xlsx.name}、{csv.name}")
        return
    from evaluator.analysis.compare import compare_files
    from evaluator.analysis.compare_tables import comparison_csv, comparison_xlsx
    from evaluator.report.compare_page import render_compare

    assert dept is not None
    comparison = compare_files(dept, targets_dir=targets_dir, actuals_dir=actuals_dir, years=span, rules=rules)
    if path is None:
        path = Path("reports") / "compare" / f"{dept}-{comparison.years[0]}-{comparison.years[-1]}.html"
    xlsx, csv = sibling_paths(path)
    files = ((path, encode(render_compare(comparison))), (xlsx, comparison_xlsx(comparison)),
             (csv, comparison_csv(comparison)))
    _write_all(files, force)
    typer.echo(f"已生成跨年度比较报告（{comparison.years[0]}—{comparison.years[-1]}年，"
               f"{len(comparison.flags)} 条提示）：{path}（提示另见 {xlsx.name}、{csv.name}）")


@contextmanager
def _progress(label: str) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on a terminal's stderr, as ``advance(done, total)``; None when stderr is not a terminal."""
    console = _error_console()
    if not (console.is_terminal and sys.stderr.isatty()):
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(), console=console,
                  transient=True) as bar:
        task = bar.add_task(label, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


def _write_all(files: tuple[tuple[Path, bytes], ...], force: bool) -> None:
    """Write every file, or none when one exists (checked first) and ``force`` is false, or is an input."""
    from evaluator.io.output import check_output, write_output

    for path, _ in files:
        check_output(path, force=force)
    for path, data in files:
        write_output(path, data, force=force)


@app.command()
@_user_errors
def batch(
    targets_dir: Annotated[str, typer.Argument(help="一个年度的目标文件夹，如 targets/2023（也可以是 s3://… 等 URL）",
                                               show_default=False)],
    actuals_dir: Annotated[str, typer.Argument(help="同一年度的实际值文件夹，如 actuals/2023", show_default=False)],
    output: Annotated[str, typer.Option("--output", "-o", help="输出文件夹，如 reports/2023/", show_default=False)],
    rules: RulesOpt = "national-2020",
    force: ForceOpt = False,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", min=1, help="并行进程数（默认：部门较多时每个 CPU 核一个，最多 4 个）",
        show_default=False)] = None,
    resume: Annotated[bool, typer.Option("--resume", help="从上次中断处继续（输出文件夹中的中断记录）")] = False,
    no_reports: Annotated[bool, typer.Option("--no-reports", help="不生成各部门的报告，只写汇总页和结果文件")] = False,
    engine: Annotated[str, typer.Option("--engine", help="local（本机，默认）或 dask（Dask 集群）")] = "local",
    scheduler: Annotated[str | None, typer.Option(
        "--scheduler", help="Dask 调度器地址，如 tcp://10.0.0.5:8786（不写时在本机启动集群）",
        show_default=False)] = None,
) -> None:
    """批量评价一个年度的全部部门：每个部门一份自评报告，外加汇总页和结果表。

    汇总页 index.html 含可翻页、查找、按等级/地区/复核发现筛选的排名表，等级分布，执行率与得分，
    按提交前复核的发现排序的“需要关注的部门”，以及未能评价的部门。

    结果表 results.csv、results.xlsx：每个部门及其每个专项一行；results.json、results.jsonl：完整结果；
    results.parquet：每张自评表的每一行。

    目标文件夹中的每个 <部门>.yaml 与实际值文件夹中同名的 .yaml 或 .xlsx 配对。

    文件有问题的部门列在汇总页上并跳过，不影响其他部门。年度与其他部门不同的部门照常评价，列在“需要关注的部门”中。

    实际值文件夹中没有任何与目标文件同名的文件、或两个文件夹放反时，不写任何文件，退出码为1。

    按 Ctrl-C 可随时中断（退出码130）；已完成的部门保留，加 --resume 从中断处继续。

    退出码：全部部门评价成功为0；有部门未能评价时，写完全部文件后为1。

    输出文件已存在时，不加 --force 不覆盖，也不写任何文件。

    示例：evaluator batch targets/2023 actuals/2023 -o reports/2023/
    """
    from evaluator.analysis.batch import BatchInterrupted, run_batch

    if scheduler is not None and engine != "dask":
        raise typer.BadParameter("--scheduler 只用于 --engine dask", param_hint="--scheduler")
    options: dict[str, Any] = {"rules": rules, "force": force, "workers": jobs, "resume": resume,
                               "reports": not no_reports, "engine": engine, "scheduler": scheduler}
    try:
        with _progress("评价中") as advance:
            result = run_batch(targets_dir, actuals_dir, output, progress=advance, **options)
    except BatchInterrupted as stopped:
        typer.echo(str(stopped), err=True)
        typer.echo("    提示：已完成的部门已保存；加 --resume 重新运行同一命令即可从中断处继续。", err=True)
        raise typer.Exit(code=stopped.exit_code) from None
    except KeyboardInterrupt:
        typer.echo("已中断：尚未开始评价，未写入任何文件", err=True)
        raise typer.Exit(code=130) from None
    folder = output.rstrip("/") + "/"
    files = "index.html、results.csv、results.xlsx、results.json、results.jsonl、results.parquet"
    written = "汇总页" if no_reports else "报告和汇总页"
    typer.echo(f"已评价 {len(result.departments)} 个部门，{written}写入 {folder}（{files}）")
    if result.attention:
        with_errors = sum(1 for d in result.departments if d.errors)
        changed = sum(1 for d in result.departments if d.grade_changed)
        typer.echo(f"需要关注的部门 {len(result.attention)} 个（复核有错误 {with_errors} 个，"
                   f"复核后等级变化 {changed} 个），见 {folder}index.html 的“需要关注的部门”")
    odd_years = [o for o in result.outliers if o.kind == "year"]
    if odd_years:
        typer.echo(f"注意：以下 {len(odd_years)} 个部门的年度与其他部门不同，已照常评价，"
                   f"列在 {folder}index.html 的“需要关注的部门”中：", err=True)
        for outlier in odd_years:
            typer.echo(f"  - {outlier.slug}：{outlier.message}", err=True)
    if result.failures:
        _list_failures(f"以下 {len(result.failures)} 个部门未能评价（详见 {folder}index.html 和 failures.csv）：",
                       ((failure.slug, failure.messages) for failure in result.failures))


@app.command()
@_user_errors
def review(
    paths: Annotated[list[Path], typer.Argument(
        help="单位提交的自评表文件或文件夹（.xlsx、.xls、.docx、.txt），可多个；文件夹含子文件夹", show_default=False,
        metavar="文件或文件夹...")],
    output: Annotated[Path, typer.Option("--output", "-o", help="输出文件夹，如 复核/2023/", show_default=False)],
    rules: RulesOpt = "national-2020",
    force: ForceOpt = False,
) -> None:
    """复核单位提交的自评表：按评分规则集重新计算每一项，列出规则不支持的自评得分及其依据。

    每张表：逐项的自评得分与复核得分（含预算执行、总分、等级），以及每项发现的严重程度和所依据的规则。

    写入输出文件夹：index.html（按未获支持的分数排序，可筛选，链接到每张表的复核页 tables/*.html）、
    review.xlsx（审计底稿：每项发现一行）、results.json（每个文件的评分结果）。

    不是自评表或无法读取的文件列在汇总页上，不影响其他文件；有这样的文件时，写完全部文件后退出码为1。

    输出文件已存在时，不加 --force 不覆盖，也不写任何文件。

    示例：evaluator review 收到的自评表/ -o 复核/2023/
    """
    from evaluator.analysis.review import run_review

    with _progress("复核中") as advance:
        result, _ = run_review(paths, output, rules=rules, force=force, progress=advance)
    folder = output.as_posix().rstrip("/") + "/"
    errors = sum(t.counts.errors for t in result.tables)
    flagged = sum(1 for t in result.tables if t.counts.errors)
    typer.echo(f"已复核 {len(result.files) - len(result.failures)} 个文件、{len(result.tables)} 张表："
               f"{flagged} 张表有错误（共 {errors} 项），结果写入 {folder}"
               f"（index.html、review.xlsx、results.json）")
    if result.failures:
        _list_failures(f"以下 {len(result.failures)} 个文件未能复核（详见 {folder}index.html）：",
                       ((failure.file, failure.messages) for failure in result.failures))


def _list_failures(heading: str, failures: Iterator[tuple[str, tuple[str, ...]]]) -> None:
    """Print what could not be done, one line each (its first message, and how many more), and exit 1."""
    typer.echo(heading, err=True)
    for name, messages in failures:
        first = messages[0].splitlines()[0] if messages else ""
        more = f"（另有 {len(messages) - 1} 个问题）" if len(messages) > 1 else ""
        typer.echo(f"  - {name}：{first}{more}", err=True)
    raise typer.Exit(code=1)


def _error_console() -> Any:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def main() -> None:
    # One command, then exit: collect cycles less often than the interpreter's default (every 700 new objects),
    # which a large department (millions of short-lived, acyclic objects) pays for with a third of its time.
    gc.set_threshold(50_000, 20, 50)
    app()
