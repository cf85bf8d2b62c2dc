"""The govxl command line: a thin Click layer over govxl.api.

Only click is imported at start-up; everything heavy is imported inside the commands, so
`govxl --help` stays fast when an Excel macro starts it cold.
"""
from __future__ import annotations

import inspect
import json
import os
import sys
from pathlib import Path

import click

from . import __version__
from .clitext import formatter_class as _help_formatter
from .clitext import install as _chinese_click
from .errors import EXIT_INTERNAL, GovxlError

_chinese_click()

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
OPTIONS_METAVAR = "[选项]"
PATHS_METAVAR = "[登记表或文件夹]..."
PATHS_HELP = "登记表或文件夹：要读取的登记表文件或文件夹，可写多个；不写时读取 workbooks 文件夹。"


def _setup_streams():
    """Never crash on a GBK console or pipe: unencodable characters are replaced (› → >, ✓ → √), not fatal."""
    from .console import setup_streams

    setup_streams()


class _Context(click.Context):
    formatter_class = _help_formatter()  # help aligned and wrapped by display width (CJK is 2 columns)


class _Group(click.Group):
    context_class = _Context
    command_class = None  # set below, once _Command exists

    def main(self, *args, **kwargs):
        _setup_streams()  # before --help / --version / usage errors print anything
        return super().main(*args, **kwargs)


class _Command(click.Command):
    context_class = _Context


_Group.command_class = _Command


def _stdout_is_utf8() -> bool:
    enc = (getattr(sys.stdout, "encoding", None) or "").lower().replace("-", "")
    return enc in ("utf8", "utf8sig")


def say(msg: str = "", *, err: bool = True):
    click.echo(msg, err=err)


def emit_json(data: dict, as_json: bool, result_file):
    """--json → stdout (only JSON there); --result FILE → the same JSON as UTF-8, written atomically."""
    if result_file:
        from .write.safeio import atomic_write

        text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
        atomic_write(Path(result_file), lambda tmp: Path(tmp).write_text(text, encoding="utf-8"))
    if as_json:
        # on a non-UTF-8 console, \\u escapes keep the JSON exact and encodable
        click.echo(json.dumps(data, ensure_ascii=not _stdout_is_utf8(), indent=2, default=str))


def run(fn, *, as_json=False, result_file=None):
    """Call a command body; map GovxlError and anything unexpected to exit codes (spec §6)."""
    try:
        code = fn()
    except GovxlError as exc:
        say(f"错误：{exc.message}")
        for p in getattr(exc, "problems", []) or []:
            say("  " + p.render())
        if as_json or result_file:
            data = {"exit_code": exc.exit_code, "error": exc.message,
                    "problems": [p.to_dict() for p in getattr(exc, "problems", []) or []]}
            try:
                emit_json(data, as_json, result_file)
            except GovxlError:
                pass
        code = exc.exit_code
    except click.exceptions.Exit:
        raise
    except KeyboardInterrupt:
        say("已中断")
        code = 130
    except Exception as exc:  # the last line of defence: a short message, never a traceback
        if os.environ.get("GOVXL_DEBUG") == "1":
            # the traceback for the developer, and still exit 5: a macro must never read this as done
            import traceback

            traceback.print_exc(file=sys.stderr)
            say(f"内部错误：{type(exc).__name__}: {exc}")
        else:
            say(f"内部错误：{type(exc).__name__}: {exc}（设置环境变量 GOVXL_DEBUG=1 可查看详细信息）")
        if as_json or result_file:
            try:
                emit_json({"exit_code": EXIT_INTERNAL, "error": f"{type(exc).__name__}: {exc}"}, as_json, result_file)
            except Exception:
                pass
        code = EXIT_INTERNAL
    sys.exit(code)


def period_options(f, *, with_to=True):
    for opt in reversed([
        click.option("--month", "month", metavar="YYYY-MM", help="按月统计，如 2025-10"),
        click.option("--quarter", metavar="YYYY-Qn", help="按季度统计，如 2025-Q3"),
        click.option("--half", metavar="YYYY-H1/H2", help="按半年统计，如 2025-H1"),
        click.option("--year", metavar="YYYY", help="按年统计，如 2025"),
        click.option("--from", "from_", metavar="YYYY-MM-DD", help="起始日期（与 --to 同用）"),
        click.option("--to", "to", metavar="YYYY-MM-DD", help="截止日期（与 --from 同用）") if with_to else None,
    ]):
        if opt is not None:
            f = opt(f)
    return f


def report_options(notice_help: str):
    """The options of a command that writes a period's workbook (and, with --notice, its 通报)."""
    def options(f):
        for opt in reversed([
            click.option("--config", "config", type=click.Path(path_type=Path), default=None,
                         help="配置工作簿，默认 ./govxl.xlsx"),
            click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("out"),
                         show_default=True, help="输出文件夹"),
            click.option("--notice", is_flag=True, help=notice_help),
            click.option("--json", "as_json", is_flag=True, help="以 JSON 输出结果（标准输出只有 JSON）"),
            click.option("--result", "result_file", type=click.Path(path_type=Path), help="把 JSON 结果写入文件（供宏读取）"),
            click.option("--wait", type=float, metavar="秒数", default=60.0, show_default=True,
                         help="另一 govxl 正在写同一输出文件夹时最多等待的秒数"),
        ]):
            f = opt(f)
        return f
    return options


def mail_period_options(f):
    return period_options(f, with_to=False)


@click.group(cls=_Group, context_settings=CONTEXT, options_metavar=OPTIONS_METAVAR, subcommand_metavar="命令 [参数]...")
@click.version_option(__version__, "-V", "--version", prog_name="govxl", message="%(prog)s %(version)s")
def main():
    """govxl：政务信息报送积分排名工具。

    读取各单位的信息报送台账（Excel/WPS/CSV），按 govxl.xlsx 中的规则计算积分、采用率，
    生成排名通报工作簿、通报文稿和邮件。

    \b
    常用：
      govxl init 工作目录 --sample     新建工作目录（含示例数据）
      govxl check                      检查配置和登记表
      govxl score --month 2025-10      计算 2025 年 10 月积分并生成通报工作簿
      govxl web --month 2025-10        统计 2025 年 10 月网站和政务新媒体发布情况
    """
    _setup_streams()


@main.command(context_settings=CONTEXT, options_metavar=OPTIONS_METAVAR)
@click.argument("dest", metavar="工作目录", type=click.Path(file_okay=False, path_type=Path))
@click.option("--sample", is_flag=True, help="同时生成一年的示例登记表")
@click.option("--force", is_flag=True, help="覆盖已有的 govxl.xlsx")
def init(dest, sample, force):
    """新建工作目录：govxl.xlsx（单位名册、计分规则、设置）、workbooks/、out/、templates/。"""

    def body():
        from . import api

        paths = api.init(dest, sample=sample, force=force)
        say(f"已创建工作目录 {dest}（{len(paths)} 个文件）")
        say(f"下一步：编辑 {Path(dest) / 'govxl.xlsx'} 中的单位名册和计分规则，把登记表放入 {Path(dest) / 'workbooks'}，然后运行 govxl score --month YYYY-MM")
        return 0

    run(body)


@main.command(context_settings=CONTEXT, options_metavar=OPTIONS_METAVAR)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar=PATHS_METAVAR)
@click.option("--config", "config", type=click.Path(path_type=Path), default=None, help="配置工作簿，默认 ./govxl.xlsx")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出结果（标准输出只有 JSON）")
@click.option("--result", "result_file", type=click.Path(path_type=Path), help="把 JSON 结果写入文件（供宏读取）")
def check(paths, config, as_json, result_file):
    """检查配置工作簿和全部登记表，列出每个问题（文件 › 工作表 › 行 › 列）。不写任何文件。
    """

    def body():
        from . import api

        res = api.check(paths, config)
        if not as_json:
            _print_problems(res["problems"])
            if "message" in res:
                say(res["message"])
            else:
                _print_rows(res["rows"])
        emit_json(res, as_json, result_file)
        return res["exit_code"]

    run(body, as_json=as_json, result_file=result_file)


def _print_problems(problems):
    from .errors import Problem

    for p in problems:
        say(Problem(p["severity"], p["message"], p.get("file"), p.get("sheet"), p.get("row"), p.get("column")).render())
    n_err = sum(p["severity"] == "error" for p in problems)
    n_warn = len(problems) - n_err
    if problems:
        say(f"共 {n_err} 个错误、{n_warn} 个提示。")


def _print_rows(rows):
    say(f"读取数据行 {rows['read']} 行：计入 {rows['counted']}，重复 {rows['duplicate']}，错误 {rows['error']}，"
        f"空行/合计行 {rows['skipped']}。")


@main.command(context_settings=CONTEXT, options_metavar=OPTIONS_METAVAR)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar=PATHS_METAVAR)
@period_options
@report_options("同时生成通报文稿（.docx 和 .md）")
def score(paths, month, quarter, half, year, from_, to, config, out, notice, as_json, result_file, wait):
    """计算一个期间的积分、采用率和排名，生成排名通报工作簿。
    """

    def body():
        from . import api

        res = api.score(paths, config, month=month, quarter=quarter, half=half, year=year, from_=from_, to=to,
                        out=out, notice=notice, wait=wait)
        data = api.public(res)
        if not as_json:
            _print_problems(data["problems"])
            _print_rows(data["rows"])
            _print_summary(data)
        emit_json(data, as_json, result_file)
        return res["exit_code"]

    run(body, as_json=as_json, result_file=result_file)


def _print_summary(res):
    t = res["totals"]
    say(f"{res['period']['title']}：报送 {t['submitted']} 篇，采用 {t['adopted']} 篇，采用率 {t['adoption_rate'] * 100:.1f}%，"
        f"批示 {t['instructions']} 条。")
    top = [u for u in res["units"] if u["rank"] <= 3 and u["points"] > 0]
    if top:
        say("前三名：" + "、".join(f"{u['unit']}（{u['points']:.1f}分）" for u in top))
    if t["zero_units"]:
        say(f"零报送单位 {len(t['zero_units'])} 个：" + "、".join(t["zero_units"]))
    for p in res["outputs"]:
        say(f"已生成：{p}")
    _print_alerts(res)


def _print_alerts(res):
    """A period whose figures must not go out, said last and loudly (score and mail)."""
    for a in res.get("alerts") or ():
        say(f"！！注意：{a}")


@main.command(context_settings=CONTEXT, options_metavar=OPTIONS_METAVAR)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar=PATHS_METAVAR)
@mail_period_options
@click.option("--to", "to_values", multiple=True, metavar="YYYY-MM-DD", help="截止日期（与 --from 同用）")
@click.option("--config", "config", type=click.Path(path_type=Path), default=None, help="配置工作簿，默认 ./govxl.xlsx")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("out"), show_default=True,
              help="输出文件夹")
@click.option("--recipient", "recipients", multiple=True, metavar="邮箱", help="另外发送到的邮箱，可写多次")
@click.option("--units", "units_group", metavar="分组", help="只发给名册中这一分组的单位（如 乡镇）")
@click.option("--no-roster", is_flag=True, help="不发给名册中的单位，只发给 --recipient")
@click.option("--attach", type=click.Choice(["notice", "feedback"]), multiple=True,
              help="同时附上通报文稿（notice）；给各单位另附本单位的采用反馈工作簿（feedback，见设置“邮件附件”）")
@click.option("--dry-run", is_flag=True, help="不发送，只把每封邮件写成 .eml 文件（out/期间/mail/）")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出结果")
@click.option("--result", "result_file", type=click.Path(path_type=Path), help="把 JSON 结果写入文件（供宏读取）")
@click.option("--wait", type=float, metavar="秒数", default=60.0, show_default=True, help="另一 govxl 正在写同一输出文件夹时最多等待的秒数")
def mail(paths, month, quarter, half, year, from_, config, out, to_values, recipients, units_group, no_roster, attach,
         dry_run, as_json, result_file, wait):
    """把排名通报工作簿（和通报文稿）发给名册中的单位邮箱和 --recipient；已发送的不会重发。

    \b
    SMTP 服务器、端口、加密方式、发件人、用户名写在 govxl.xlsx 的“设置”表；
    密码只从环境变量 GOVXL_SMTP_PASSWORD 读取。
    """
    # --to is the period's end, as in every command; an address written there (the older way) is still
    # taken as a recipient, and said
    old_way = [v for v in to_values if "@" in v]
    dates = [v for v in to_values if "@" not in v]

    def body():
        from . import api
        from .errors import UsageError

        if len(dates) > 1:
            raise UsageError(f"--to 写了多个日期：{'、'.join(dates)}；--to 是期间的截止日期，只能写一个")
        if old_way:
            say(f"[提示] --to 是期间的截止日期；收件人请改用 --recipient（本次按收件人处理：{'、'.join(old_way)}）")
        res = api.mail(paths, config, month=month, quarter=quarter, half=half, year=year, from_=from_,
                       to_period=dates[0] if dates else None, out=out, to=[*recipients, *old_way],
                       units_group=units_group, roster=not no_roster,
                       attach_notice="notice" in attach, attach_feedback="feedback" in attach, dry_run=dry_run,
                       wait=wait)
        if not as_json:
            m = res["mail"]
            _print_alerts(res)
            if m.get("withheld"):
                say("未发送任何邮件：统计期间的结果不能下发（见上）；试运行 --dry-run 仍可生成邮件查看")
            elif dry_run:
                say(f"试运行：已生成 {len(m.get('eml', []))} 封邮件文件（未发送），在 {Path(out) / res['period']['label'] / 'mail'}")
            else:
                say(f"已发送 {len(m.get('sent', []))} 封" + (f"；此前已发送、本次跳过 {len(m['skipped_already_sent'])} 个地址"
                                                            if m.get("skipped_already_sent") else ""))
            for f in m.get("failed", []):
                say(f"[错误] 未发送到 {f['address']}：{f['reason']}")
            if m.get("no_address"):
                say("名册中没有邮箱、未发送的单位：" + "、".join(m["no_address"]))
            for note in m.get("notes", []):
                say(f"[提示] {note}")
        emit_json(res, as_json, result_file)
        return res["exit_code"]

    run(body, as_json=as_json, result_file=result_file)


@main.command(context_settings=CONTEXT, options_metavar=OPTIONS_METAVAR)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar=PATHS_METAVAR)
@click.option("--on", "on", metavar="YYYY-MM-DD", help="提醒日，默认今天：统计本月 1 日至这一天（含）的报送")
@click.option("--config", "config", type=click.Path(path_type=Path), default=None, help="配置工作簿，默认 ./govxl.xlsx")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("out"), show_default=True,
              help="输出文件夹")
@click.option("--dry-run", is_flag=True, help="不发送，只把每封提醒写成 .eml 文件（out/YYYY-MM/remind/）")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出结果")
@click.option("--result", "result_file", type=click.Path(path_type=Path), help="把 JSON 结果写入文件（供宏读取）")
@click.option("--wait", type=float, metavar="秒数", default=60.0, show_default=True, help="另一 govxl 正在写同一输出文件夹时最多等待的秒数")
def remind(paths, on, config, out, dry_run, as_json, result_file, wait):
    """催报：给本月截至提醒日报送篇数少于月任务数的单位发提醒邮件（各附本单位的篇数和已计入的信息）。

    \b
    同一天重复运行不会重发；邮件正文模板 templates/remind.txt.j2，主题 templates/remind_subject.txt.j2。
    SMTP 设置同 govxl mail。
    """

    def body():
        from . import api

        res = api.remind(paths, config, on=on, out=out, dry_run=dry_run, wait=wait)
        if not as_json:
            _print_reminders(res, dry_run)
        emit_json(res, as_json, result_file)
        return res["exit_code"]

    run(body, as_json=as_json, result_file=result_file)


def _print_reminders(res, dry_run):
    m = res["mail"]
    _print_alerts(res)
    for u in res["reminded"]:
        say(f"[提醒] {u['unit']}：{u['reason']}")
    for u in res["skipped"]:
        say(f"[未提醒] {u['unit']}：{u['reason']}")
    if dry_run:
        say(f"试运行：已生成 {len(m.get('eml', []))} 封提醒邮件文件（未发送）")
    elif not m.get("withheld"):
        say(f"已发送 {len(m.get('sent', []))} 封" + (f"；今天此前已提醒、本次跳过 {len(m['skipped_already_sent'])} 个地址"
                                                    if m.get("skipped_already_sent") else ""))
    for f in m.get("failed", []):
        say(f"[错误] 未发送到 {f['address']}：{f['reason']}")


@main.command(context_settings=CONTEXT, options_metavar=OPTIONS_METAVAR)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar=PATHS_METAVAR)
@click.option("--year", "year", required=True, metavar="YYYY", help="报告年度，如 2025")
@click.option("--config", "config", type=click.Path(path_type=Path), default=None, help="配置工作簿（只用“设置”表），默认 ./govxl.xlsx")
@click.option("--out", "out", type=click.Path(file_okay=False, path_type=Path), default=Path("out"), show_default=True,
              help="输出文件夹")
@click.option("--check", "check_file", type=click.Path(path_type=Path), help="核对别人填好的表格（.xlsx），不生成新表")
@click.option("--previous", type=click.Path(path_type=Path), help="上年的表格（.xlsx），核对结转数和现行有效件数的衔接")
@click.option("--json", "as_json", is_flag=True, help="以 JSON 输出每个单元格和核对结果")
@click.option("--result", "result_file", type=click.Path(path_type=Path), help="把 JSON 结果写入文件（供宏读取）")
@click.option("--wait", type=float, metavar="秒数", default=60.0, show_default=True, help="另一 govxl 正在写同一输出文件夹时最多等待的秒数")
def disclosure(paths, year, config, out, check_file, previous, as_json, result_file, wait):
    """生成政府信息公开工作年度报告的三张表格（.xlsx 和 .docx），并核对表内数字是否相符。
    """

    def body():
        from . import api

        res = api.disclosure(year, paths, config, out=out, check_file=check_file, previous=previous, wait=wait)
        if not as_json:
            _print_problems(res.get("problems", []))
            for c in res.get("checks", []):
                tag = "错误" if c["severity"] == "error" else "提示"
                say(f"[{tag}] {c['message']}")
            if not any(c["severity"] == "error" for c in res.get("checks", [])):
                say("核对通过：表格各项数字相符。")
            for p in res.get("outputs", []):
                say(f"已生成：{p}")
        emit_json(res, as_json, result_file)
        return res["exit_code"]

    run(body, as_json=as_json, result_file=result_file)


@main.command(context_settings=CONTEXT, options_metavar=OPTIONS_METAVAR)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar=PATHS_METAVAR)
@period_options
@report_options("同时生成通报文稿（.docx 和 .md），点名零发布和超期未更新的单位")
def web(paths, month, quarter, half, year, from_, to, config, out, notice, as_json, result_file, wait):
    """统计网站和政务新媒体信息发布情况：各单位各平台发布条数、任务完成、零发布、超期未更新栏目和账号。

    \b
    读取发布台账（网站栏目导出表、新媒体发布登记表），与信息报送台账可放在同一文件夹；
    栏目更新时限见 govxl.xlsx 的“栏目更新要求”“栏目归类”表，发布任务见单位名册“每月发布任务”列。
    """

    def body():
        from . import api

        res = api.web(paths, config, month=month, quarter=quarter, half=half, year=year, from_=from_, to=to,
                      out=out, notice=notice, wait=wait)
        if not as_json:
            _print_problems(res["problems"])
            _print_rows(res["rows"])
            t = res["totals"]
            say(f"{res['period']['title']}：发布 {t['posted']} 条（原创 {t['original']} 条），当年累计 {t['ytd_posted']} 条。")
            if res["zero_units"]:
                say(f"零发布单位 {len(res['zero_units'])} 个：" + _first_names(res["zero_units"]))
            if res["overdue"]:
                say(f"超期未更新栏目和账号 {len(res['overdue'])} 个（{len(t['overdue_units'])} 个单位）："
                    + _first_names(t["overdue_units"]))
            for p in res["outputs"]:
                say(f"已生成：{p}")
            _print_alerts(res)
        emit_json(res, as_json, result_file)
        return res["exit_code"]

    run(body, as_json=as_json, result_file=result_file)


def _first_names(names: list, n: int = 20) -> str:
    """Names for the console: the first n, then how many more (the workbook lists them all)."""
    return "、".join(names[:n]) + (f" 等 {len(names)} 个（详见工作簿）" if len(names) > n else "")


# the positional paths of check, score, mail, remind, disclosure and web, explained once in each command's help
for _cmd in (check, score, mail, remind, disclosure, web):
    _cmd.help = f"{inspect.cleandoc(_cmd.help)}\n\n{PATHS_HELP}"  # as click cleans a docstring


def entry():
    """The `govxl` program (the console script and `python -m govxl`): main(), then leave at once.

    A province year leaves millions of objects (items, scores, texts); Python would free them one by one
    at exit, after the workbook was written and the result printed, while the clerk or the macro waits. By the time main() returns everything govxl writes is closed (atomic writes, the out/ lock,
    worker pools and threads joined), so only the standard streams need flushing before os._exit.
    Library callers (tests, scripts) call main() or govxl.api and keep Python's normal exit."""
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code
    if code is None:
        code = 0
    elif not isinstance(code, int):  # sys.exit("message"), as Python prints it
        print(code, file=sys.stderr)
        code = 1
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (… | head): nothing more can reach it
            pass
    os._exit(code)


if __name__ == "__main__":  # pragma: no cover
    entry()
