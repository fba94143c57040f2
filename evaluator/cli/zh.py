"""Chinese for the words typer prints itself: "Usage:", "Options", "[required]", usage errors.

Typer (0.29+) vendors click; its section titles go through gettext, its usage prefix, help-option
text and usage-error messages are plain English. The users of evaluator read Chinese only, so these
are replaced here, once, when the CLI is built. Each patch is guarded: on a typer whose internals
differ, the English text stays and nothing breaks (a test checks the Chinese on the installed one).
"""

from __future__ import annotations

import re
import sys
from typing import Any

__all__ = ["install_chinese", "usage_message"]

_WORDS = {
    "Arguments": "参数",
    "Options": "选项",
    "Commands": "命令",
    "required": "必填",
    "default: {default}": "默认：{default}",
    "env var: {var}": "环境变量：{var}",
    "(dynamic)": "（动态）",
    "Aborted!": "已中止。",
    "Missing command.": "缺少命令。",
    "No such command {name!r}.": "没有命令“{name}”。",
}
HELP_TEXT = "显示本帮助并退出。"


def _gettext(message: str) -> str:
    return _WORDS.get(message, message)


def install_chinese() -> None:
    """Replace typer's English help and error words with Chinese (idempotent)."""
    try:
        import typer.core as core
        from typer._click import core as click_core
        from typer._click import exceptions, formatting
    except ImportError:  # pragma: no cover - another typer layout: keep its English
        return
    if getattr(core, "_evaluator_zh", False):
        return
    core._ = _gettext  # type: ignore[attr-defined]
    original_usage = formatting.HelpFormatter.write_usage

    def write_usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        original_usage(self, prog, args, "用法：" if prefix is None else prefix)

    formatting.HelpFormatter.write_usage = write_usage  # type: ignore[method-assign]
    original_help_option = click_core.Command.get_help_option

    def get_help_option(self: Any, ctx: Any) -> Any:
        option = original_help_option(self, ctx)
        if option is not None:
            option.help = HELP_TEXT
        return option

    click_core.Command.get_help_option = get_help_option  # type: ignore[method-assign]
    exceptions.UsageError.show = _show_usage_error  # type: ignore[method-assign]
    core._evaluator_zh = True  # type: ignore[attr-defined]


def _show_usage_error(self: Any, file: Any = None) -> None:
    """Print a usage error in Chinese: the usage line, how to get help, and what was wrong."""
    stream = file or sys.stderr
    ctx = getattr(self, "ctx", None)
    if ctx is not None:
        names = ctx.help_option_names or ["--help"]
        print(ctx.get_usage(), file=stream)
        print(f"提示：运行“{ctx.command_path} {names[-1]}”查看帮助。\n", file=stream)
    print(f"错误：{usage_message(self)}", file=stream)


def usage_message(error: Any) -> str:
    """Return a click usage error's message in Chinese."""
    from typer._click import exceptions

    name = type(error).__name__
    if isinstance(error, exceptions.MissingParameter):
        hint = _param_hint(error)
        return f"缺少参数“{hint}”。" if hint else "缺少参数。"
    if isinstance(error, exceptions.NoSuchOption):
        text = f"没有选项“{error.option_name}”。"
        if error.possibilities:
            text += "是否想用：" + "、".join(sorted(error.possibilities)) + "？"
        return text
    if isinstance(error, exceptions.BadParameter):
        hint = _param_hint(error)
        return f"“{hint}”的值无效：{_english(error.message)}" if hint else f"值无效：{_english(error.message)}"
    message = error.format_message() if hasattr(error, "format_message") else str(error)
    extra = re.match(r"Got unexpected extra argument(?:s|\(s\))? \((.*)\)", message)
    if extra:
        return f"多余的参数：{extra.group(1)}"
    if name == "NoArgsIsHelpError":
        return "缺少参数。"
    return _english(message)


def _param_hint(error: Any) -> str:
    """The option or argument an error is about, as “--output / -o”: click quotes each name ('--output' / '-o'),
    and the message puts its own Chinese quotes around the whole."""
    hint = getattr(error, "param_hint", None)
    param = getattr(error, "param", None)
    if hint is None and param is not None:
        try:
            hint = param.get_error_hint()
        except TypeError:  # click's own signature takes the context
            hint = param.get_error_hint(getattr(error, "ctx", None))
    if isinstance(hint, (list, tuple)):
        hint = " / ".join(str(h) for h in hint)
    return re.sub(r"'([^']*)'", r"\1", str(hint)).strip() if hint else ""


_ENGLISH = [
    (r"'(.*)' is not a valid (float|integer)\.?", r"“\1”不是数字"),
    (r"'(.*)' is not one of (.*)\.", r"“\1”不在可选值 \2 之中"),
    (r"'(.*)' is not a valid boolean\.?", r"“\1”不是是/否值"),
    (r"(?:File|Path|Directory) '(.*)' does not exist\.", r"“\1”不存在"),
    (r"Option '(.*)' requires an argument\.", r"选项“\1”后面需要一个值"),
    (r"Option '(.*)' does not take a value\.", r"选项“\1”不接受值"),
    (r"Input should be a valid integer.*", "应为整数"),
    (r"Input should be a valid number.*", "应为数字"),
    (r"Input should be greater than or equal to (\S+)", r"应不小于 \1"),
    (r"Input should be less than or equal to (\S+)", r"应不大于 \1"),
]


def _english(message: str) -> str:
    message = re.sub(r"。?\.? ?Did you mean (.*)\?", lambda m: "。是否想用：" + m.group(1).replace("'", "") + "？",
                     message)
    for pattern, replacement in _ENGLISH:
        if re.fullmatch(pattern, message.strip()):
            return re.sub(pattern, replacement, message.strip())
    return message
