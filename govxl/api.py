"""govxl as a library: every command is a plain function here; cli.py only parses options.

    from govxl.api import score
    result = score(["workbooks"], config="govxl.xlsx", month="2025-10", out="out")
    result["units"][0]["points"], result["exit_code"]

Each function returns the result dict of spec §6 (plus "exit_code"). Errors that end a run
(config, usage, locked output) are raised as govxl.errors.GovxlError subclasses.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional, Sequence

from .errors import ERROR, EXIT_OK, EXIT_ROW_ERRORS, EXIT_UNREADABLE, Problem, UsageError, worst_exit

DEFAULT_PATHS = ("workbooks",)
DEFAULT_CONFIG = "govxl.xlsx"
DEFAULT_OUT = "out"


def _paths(paths: Optional[Sequence]) -> list:
    paths = list(paths or DEFAULT_PATHS)
    for p in paths:
        if not Path(p).exists():
            raise UsageError(f"找不到登记表路径：{p}（默认读取当前文件夹下的 workbooks，可在命令后写上路径）")
    return paths


def exit_code_for(read, extra_problems=()) -> int:
    codes = [EXIT_OK]
    if read.unreadable:
        codes.append(EXIT_UNREADABLE)
    if any(p.severity == ERROR for p in list(read.problems) + list(extra_problems)):
        codes.append(EXIT_ROW_ERRORS)
    return worst_exit(codes)


def _sorted_problems(problems) -> list:
    return sorted(problems, key=lambda p: (p.severity != ERROR, p.file or "", p.sheet or "", p.row or 0, p.column or ""))


def load(paths, config, *, year: Optional[int] = None, cache_dir=None):
    """Config + every register, normalised. Returns (cfg, ReadResult). cache_dir: out/.cache (see govxl.normalise.cache)."""
    from .normalise.config import load_config
    from .normalise.registers import read_registers

    cfg = load_config(config or DEFAULT_CONFIG)
    read = read_registers(_paths(paths), cfg, year=year, cache_dir=cache_dir)
    for p in cfg.problems:  # config warnings travel with the run
        read.problems.insert(0, p)
    return cfg, read


def suspected_problems(items, cfg, period=None) -> list:
    """疑似重复 (spec §4) among the rows of the items table (those of the period, if given) as warnings: one
    per pair, and one per unit whose comparison was cut short."""
    from .normalise.suspects import suspected_duplicates

    if period is not None:
        items = items[period.submitted_within(items)]
    pairs, notes = suspected_duplicates(items, cfg.num("疑似重复阈值", 90))
    return ([Problem("warning", f"{unit}：{note}") for unit, note in notes]
            + [_suspected(a, b, s) for a, b, s in pairs])


def cross_unit_problems(items, cfg, period=None, *, background: bool = False):
    """跨单位疑似重复 (govxl.normalise.crossdups) as warnings; with background, a function returning them
    while the comparison runs meanwhile in a thread."""
    from .normalise.crossdups import cross_unit_problems as found

    return found(items, cfg, period, background=background)


def _suspected(a, b, s) -> Problem:
    return Problem("warning", f"疑似重复（相似度 {s:.0f}）：“{b.title}”与 {a.file} › {a.sheet} › 第{a.row}行"
                              f"“{a.title}”相近，请人工确认；目前两篇都计入", b.file, b.sheet, b.row)


def check(paths=None, config=None) -> dict:
    """Validate the config workbook and every register; nothing is written."""
    from .normalise.config import load_config
    from .errors import ConfigError
    from .normalise.registers import read_registers

    try:
        cfg = load_config(config or DEFAULT_CONFIG, strict=True)
    except ConfigError as exc:
        if not exc.problems:
            raise
        # report the config problems like any others, exit 2
        return {"rows": {"read": 0, "counted": 0, "duplicate": 0, "error": 0, "skipped": 0},
                "problems": [p.to_dict() for p in exc.problems], "files": [], "exit_code": exc.exit_code,
                "message": exc.message}
    read = read_registers(_paths(paths), cfg)  # dates without a year: as score would read them
    problems = (list(cfg.problems) + read.problems + suspected_problems(read.items, cfg)
                + cross_unit_problems(read.items, cfg))
    return {
        "rows": read.rows_dict(),
        "problems": [p.to_dict() for p in _sorted_problems(problems)],
        "files": read.files,
        "items": len(read.items),
        "exit_code": exit_code_for(read, problems),
    }


def score(paths=None, config=None, *, month=None, quarter=None, half=None, year=None, from_=None, to=None,
          out=DEFAULT_OUT, notice: bool = False, write: bool = True, wait: float = 60.0) -> dict:
    """Score a period and write the ranking workbook (and notice). Returns the result dict."""
    from .score.periods import parse_period

    period = parse_period(month_=month, quarter=quarter, half=half, year=year, from_=from_, to=to)
    # parsed registers are kept in out/.cache, so an unchanged year is not parsed again next month
    cfg, read = load(paths, config, year=period.end.year, cache_dir=Path(out) / ".cache" if write else None)
    return score_loaded(cfg, read, period, out=out, notice=notice, write=write, wait=wait,
                        config_path=config or DEFAULT_CONFIG)


def score_loaded(cfg, read, period, *, out=DEFAULT_OUT, notice=False, write=True, wait=60.0, config_path=None) -> dict:
    from .score import scoring
    from .score.periods import coverage_alerts

    within = period.submitted_within(read.items)  # the period's rows of the items table
    # compared in a thread while the period is scored and the workbook begun (waited for at 数据问题)
    cross_unit = cross_unit_problems(read.items, cfg, period, background=write)
    result = scoring.score(read, read.commissions, cfg, period)
    result["rows"] = read.rows_dict()
    # said loudly: a period without data must never pass for a report (an error, so exit 1)
    result["alerts"] = coverage_alerts(period, read.items, within)
    result["problems"] = None  # filled by finish_problems(), in this place among the keys
    all_problems = [Problem(ERROR, a, "") for a in result["alerts"]]

    def finish_problems() -> list:
        if result["problems"] is None:
            all_problems.extend(read.problems + suspected_problems(read.items[within], cfg)
                                + (cross_unit() if callable(cross_unit) else cross_unit))
            result["problems"] = [p.to_dict() for p in _sorted_problems(all_problems)]
        return result["problems"]

    result["_problems"] = finish_problems
    result["outputs"] = []
    if write:
        result["outputs"] = [str(p) for p in write_outputs(result, read, cfg, period, Path(out),
                                                           notice=notice, wait=wait, config_path=config_path)]
    finish_problems()
    result["exit_code"] = exit_code_for(read, all_problems)
    return result


def write_outputs(result, read, cfg, period, out: Path, *, notice=False, wait=60.0, config_path=None) -> list:
    from .write.rankbook import output_name, write_rankbook
    from .write.safeio import atomic_write, out_lock

    folder = out / period.label
    paths = []
    with out_lock(out, wait):
        target = folder / output_name(cfg.office, period.title)
        atomic_write(target, lambda tmp: write_rankbook(tmp, result, read))
        paths.append(target)
        if notice:
            from .write.notice import write_notice
            from .write.noticetpl import header_fields

            template_dir = Path(config_path).resolve().parent / "templates" if config_path else None
            paths += write_notice(public(result), folder, template_dir=template_dir,
                                  doc_fields=header_fields(cfg.settings))
    return paths


def public(result: dict) -> dict:
    """The result without the private details kept for the writers (keys starting with _)."""
    return {k: v for k, v in result.items() if not k.startswith("_")}


def init(dest, *, sample: bool = False, force: bool = False) -> list:
    from .workspace.folder import init_workspace

    return init_workspace(Path(dest), sample=sample, force=force)


def disclosure(year, paths=None, config=None, *, out=DEFAULT_OUT, check_file=None, previous=None,
               write: bool = True, wait: float = 60.0) -> dict:
    """政府信息公开工作年度报告 tables: built from the registers (or, with check_file, a filled table checked)."""
    from . import disclosure as dis
    from .write.safeio import out_lock

    try:
        y = int(str(year).strip())
    except (TypeError, ValueError):
        raise UsageError(f"年份“{year}”不正确，应为四位数年份，如 2025") from None
    if check_file is not None:
        result = dis.check_table_file(Path(check_file), Path(previous) if previous else None, year=y)
    else:
        result = dis.build_disclosure(y, _paths(paths), config=Path(config or DEFAULT_CONFIG),
                                      previous=Path(previous) if previous else None)
        if write:
            with out_lock(Path(out), wait):
                dis.write_disclosure(result, Path(out))
    result["exit_code"] = dis.disclosure_exit_code(result)
    return result


def mail(paths=None, config=None, *, month=None, quarter=None, half=None, year=None, from_=None, to_period=None,
         out=DEFAULT_OUT, to=(), units_group=None, roster: bool = True, attach_notice: bool = False,
         attach_feedback: bool = False, dry_run: bool = False, password=None, wait: float = 60.0) -> dict:
    """Score the period (so what is sent is current), then mail the workbook (and notice) per 设置's SMTP rows.
    设置 › 邮件附件 (总表 / 本单位反馈 / 两者) says whether a unit gets the workbook, its own 采用反馈 workbook
    (govxl.write.feedback) or both; attach_feedback adds its own to the workbook (总表 → 两者)."""
    from .write.mailer import send_mail
    from .score.periods import parse_period

    period = parse_period(month_=month, quarter=quarter, half=half, year=year, from_=from_, to=to_period)
    cfg, read = load(paths, config, year=period.end.year)
    result = score_loaded(cfg, read, period, out=out, notice=attach_notice, wait=wait,
                          config_path=config or DEFAULT_CONFIG)
    if result["alerts"] and not dry_run:
        # the figures must not go out (a period without data): nothing is sent; the alerts already make
        # the score an error (exit 1)
        report = {"sent": [], "failed": [], "skipped_already_sent": [], "eml": [], "no_address": [],
                  "withheld": list(result["alerts"])}
    else:
        attachments = [Path(p) for p in result["outputs"] if p.endswith((".xlsx", ".docx"))]
        own, shared = _feedback(result, cfg, Path(out), period, attach_feedback, roster, units_group, wait)
        template_dir = Path(config or DEFAULT_CONFIG).resolve().parent / "templates"
        report = send_mail(public(result), attachments, cfg.settings, to=list(to), units_group=units_group,
                           include_roster=roster, dry_run=dry_run, out_dir=Path(out) / period.label,
                           template_dir=template_dir if template_dir.is_dir() else None,
                           password=password if password is not None else os.environ.get("GOVXL_SMTP_PASSWORD"),
                           unit_attachments=own, shared_to_units=shared)
        result["outputs"] += [str(p) for ps in own.values() for p in ps]
    out_result = {"period": result["period"], "mail": report, "outputs": result["outputs"],
                  "problems": result["problems"], "rows": result["rows"], "alerts": result["alerts"]}
    out_result["exit_code"] = worst_exit([result["exit_code"], EXIT_ROW_ERRORS if report.get("failed") else EXIT_OK])
    return out_result


def web(paths=None, config=None, *, month=None, quarter=None, half=None, year=None, from_=None, to=None,
        out=DEFAULT_OUT, notice: bool = False, write: bool = True, wait: float = 60.0) -> dict:
    """govxl web (issue 22): the postings of website and new-media registers for a period — per unit ×
    platform counts, tasks, ranks, 零发布, 超期未更新, the trend — and the workbook (and 通报)."""
    from .normalise.config import load_config
    from .normalise.postings import read_postings
    from .score.periods import parse_period
    from .score.web import web_score

    period = parse_period(month_=month, quarter=quarter, half=half, year=year, from_=from_, to=to)
    cfg = load_config(config or DEFAULT_CONFIG)
    read = read_postings(_paths(paths), cfg, year=period.end.year)
    result = web_score(read.postings, cfg, period)
    result["rows"] = read.rows_dict()
    result["alerts"] = _web_alerts(read.postings, period)
    problems = [Problem(ERROR, a, "") for a in result["alerts"]] + list(cfg.problems) + read.problems
    result["problems"] = [p.to_dict() for p in _sorted_problems(problems)]
    result["outputs"] = []
    if write:
        from .write.safeio import atomic_write, out_lock
        from .write.webbook import output_name, write_webbook

        folder = Path(out) / period.label
        with out_lock(Path(out), wait):
            target = folder / output_name(cfg.office, period.title)
            atomic_write(target, lambda tmp: write_webbook(tmp, result, read))
            result["outputs"].append(str(target))
            if notice:
                from .write.webnotice import write_web_notice

                result["outputs"] += [str(p) for p in write_web_notice(result, folder)]
    result["exit_code"] = exit_code_for(read, problems)
    return result


def _web_alerts(postings, period) -> list:
    """A period without postings must not pass for a report (as score's coverage alerts): said as an error."""
    import pandas as pd

    dates = postings["date"].dropna()
    if not len(dates):
        return ["没有读到任何网站或政务新媒体发布记录：请确认发布台账已放入 workbooks 文件夹，表头含“标题”“发布日期”及“平台”或“栏目”"]
    lo, hi = pd.Timestamp(period.start), pd.Timestamp(period.end) + pd.Timedelta(days=1)
    if not ((dates >= lo) & (dates < hi)).any():
        return [f"统计期间 {period.title} 内没有任何发布记录，台账中的发布日期在 {dates.min().date()} 至 {dates.max().date()} 之间："
                f"请核对期间是否写错；本次结果不能作为通报下发"]
    return []


def remind(paths=None, config=None, *, on=None, out=DEFAULT_OUT, dry_run: bool = False, password=None,
           wait: float = 60.0) -> dict:
    """催报: on the day `on` (YYYY-MM-DD, default today) mail the units below their 月任务数 so far a reminder
    with their own figures (govxl.write.remind says what "so far" is). Returns on, month, days_left,
    reminded (the units reminded and why, with each address's status), skipped (the others and why),
    mail (as mail's), rows, problems, alerts, exit_code (as mail's)."""
    from .score.periods import today
    from .write.remind import remind_result

    day = _day(on) if on else today()
    cfg, read = load(paths, config, year=day.year, cache_dir=Path(out) / ".cache")
    template_dir = Path(config or DEFAULT_CONFIG).resolve().parent / "templates"
    res = remind_result(read, cfg, day, out=Path(out), dry_run=dry_run, wait=wait,
                        template_dir=template_dir if template_dir.is_dir() else None,
                        password=password if password is not None else os.environ.get("GOVXL_SMTP_PASSWORD"))
    problems = [Problem(ERROR, a, "") for a in res["alerts"]] + list(read.problems)
    res["problems"] = [p.to_dict() for p in _sorted_problems(problems)]
    res["exit_code"] = worst_exit([exit_code_for(read, problems),
                                   EXIT_ROW_ERRORS if res["mail"].get("failed") else EXIT_OK])
    return res


def _day(text):
    import datetime as dt

    try:
        return text if isinstance(text, dt.date) else dt.date.fromisoformat(str(text).strip())
    except ValueError:
        raise UsageError(f"--on 的日期“{text}”格式不正确，应写成 YYYY-MM-DD，如 2025-10-20") from None


def _feedback(result, cfg, out: Path, period, add: bool, roster: bool, units_group, wait) -> tuple:
    """({unit: [its 采用反馈 workbook]}, whether units get the shared workbook too) per 设置 › 邮件附件 and
    --attach feedback; the workbooks are written for the units with an address (of the group, if one)."""
    from .write import feedback
    from .write.mailer import split_addresses
    from .write.safeio import out_lock

    mode = cfg.setting("邮件附件") or "总表"
    if add and mode == "总表":
        mode = "两者"
    if mode == "总表" or not roster:
        return {}, True
    units = [u["unit"] for u in result["units"] if split_addresses(u.get("email"))
             and (units_group is None or u.get("group") == units_group)]
    with out_lock(out, wait):
        own = feedback.write_all(result, out / period.label, units)
    return own, mode == "两者"
