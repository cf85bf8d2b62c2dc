"""Click's own words (usage errors, help headings) in Chinese, as everything else a clerk sees.

Click marks its messages for gettext; instead of shipping a .mo catalogue, the `_`/`ngettext`
names of click's modules are pointed at this table. Unknown messages stay as click wrote them.
"""
from __future__ import annotations

TRANSLATIONS = {
    "Usage:": "用法：",
    "Options": "选项",
    "Commands": "命令",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "可运行“{command} {option}”查看帮助。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such option: {name}": "没有选项：{name}",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "Missing command.": "缺少命令。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing {param_type}": "缺少{param_type}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Option {name!r} does not take a value.": "选项 {name!r} 不需要值。",
    "Option {name!r} requires an argument.": "选项 {name!r} 后面需要写一个值。",
    "Option {name!r} requires {nargs} arguments.": "选项 {name!r} 后面需要写 {nargs} 个值。",
    "Got unexpected extra argument ({args})": "多余的参数（{args}）",
    "Got unexpected extra arguments ({args})": "多余的参数（{args}）",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value!r} is not one of {choices}.": "{value!r} 不是可选值 {choices} 之一。",
    "{value!r} is not {choice}.": "{value!r} 不是 {choice}。",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是文件夹。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件，不是文件夹。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 不可写。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 不可读。",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    "integer": "整数",
    "float": "数字",
    "default: {default}": "默认：{default}",
    "required": "必填",
    "Aborted!": "已中止。",
    "Did you mean {possibility}?": "是否想写 {possibility}？",
    "(Did you mean one of: {possibilities}?)": "（是否想写其中之一：{possibilities}？）",
}


def _(message: str) -> str:
    return TRANSLATIONS.get(message, message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _(singular if n == 1 else plural)


def install() -> None:
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.types

    for mod in (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.types):
        if hasattr(mod, "_"):
            mod._ = _
        if hasattr(mod, "ngettext"):
            mod.ngettext = ngettext


# ---- help laid out by display width: a CJK character takes two columns of a console -----------------

_TOKENS = None
_NO_LINE_START = "，。、；：）》」』’”！？…"


def wrap_display(text: str, width: int) -> list:
    """Lines of at most `width` columns: Chinese breaks between any two characters (not before closing
    punctuation), other text between words."""
    import re

    from .normalise.text import display_width

    global _TOKENS
    if _TOKENS is None:
        cjk = "\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
        _TOKENS = re.compile(rf"[{cjk}]|[^\s{cjk}]+|\s+")
    lines, line = [], ""
    for tok in _TOKENS.findall(text):
        if tok.isspace():
            if line:
                line += " "
            continue
        if line and display_width(line + tok) > width and tok not in _NO_LINE_START:
            lines.append(line.rstrip())
            line = tok
        else:
            line += tok
    if line.strip():
        lines.append(line.rstrip())
    return lines


def _paragraphs(text: str):
    """(verbatim, lines) per paragraph, as click reads a docstring: a paragraph after a line holding only
    \\b is kept as written."""
    out = []
    for block in text.split("\n\n"):
        lines = block.split("\n")
        if lines and lines[0].strip() == "\b":
            out.append((True, lines[1:]))
        elif block.strip():
            out.append((False, [" ".join(x.strip() for x in lines if x.strip())]))
    return out


def formatter_class():
    """A click HelpFormatter (public API) measuring and wrapping by display width."""
    import click

    from .normalise.text import display_width

    class Formatter(click.HelpFormatter):
        def write_dl(self, rows, col_max=30, col_spacing=2):
            rows = list(rows)
            first_col = min(max((display_width(a) for a, _b in rows), default=0), col_max) + col_spacing
            for first, second in rows:
                self.write(f"{'':>{self.current_indent}}{first}")
                if not second:
                    self.write("\n")
                    continue
                if display_width(first) <= first_col - col_spacing:
                    self.write(" " * (first_col - display_width(first)))
                else:
                    self.write("\n" + " " * (first_col + self.current_indent))
                lines = wrap_display(second, max(self.width - first_col - self.current_indent, 10)) or [""]
                self.write(lines[0] + "\n")
                for line in lines[1:]:
                    self.write(" " * (first_col + self.current_indent) + line + "\n")

        def write_text(self, text):
            pad = " " * self.current_indent
            for n, (verbatim, lines) in enumerate(_paragraphs(text)):
                if n:
                    self.write("\n")
                for line in (lines if verbatim else wrap_display(lines[0], max(self.width - self.current_indent, 20))):
                    self.write(f"{pad}{line}\n")

    return Formatter
