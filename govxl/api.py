"""govxl as a library: every command is a plain function here; cli.py only parses options.

    from govxl.api import score
    result = score(["workbooks"], config="govxl.xlsx", month="2025-10", out="out")
    result["units"][0]["points"], result["exit_code"]

Each function returns the result dict of spec §6 (plus "exit_code"). Errors that end a run
(config, usage, locked output) are raised as govxl.errors.GovxlError subclasses.
"""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Optional, Sequence

from .errors import (ERROR, EXIT_OK, EXIT_ROW_ERRORS, EXIT_UNREADABLE, Problem, UsageError, worst_exit)

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
    """Config + every register, normalised. Returns (cfg, ReadResult). cache_dir: out/.cache (see govxl.cache)."""
    from .cache import gc_paused
    from .config import load_config
    from .registers import read_registers

    cfg = load_config(config or DEFAULT_CONFIG)
    with gc_paused():
        read = read_registers(_paths(paths), cfg, year=year, cache_dir=cache_dir)
    for p in cfg.problems:  # config warnings travel with the run
        read.problems.insert(0, p)
    return cfg, read


def suspected_problems(items, cfg, period=None) -> list:
    from .registers import suspected_duplicates

    if period is not None:
        items = period.submitted_within(items)
    return [_suspected(a, b, s) for a, b, s in suspected_duplicates(items, cfg.num("疑似重复阈值", 90))]


def _suspected(a, b, s) -> Problem:
    return Problem("warning", f"疑似重复（相似度 {s:.0f}）：“{b.title}”与 {a.file} › {a.sheet} › 第{a.row}行"
                              f"“{a.title}”相近，请人工确认；目前两篇都计入", b.file, b.sheet, b.row)


# items in the period for which the comparison is made in a forked child: from a province month's ≈ 40,000
# up to a quarter's. Each page the parent writes while the child lives is copied; a year's comparison
# runs for as long as the scoring and writing (a province year's peak 585 → 714 MB): a thread then.
SUSPECTED_BESIDE_MIN, SUSPECTED_BESIDE_MAX = 10_000, 150_000


def _suspected_beside(items, cfg) -> "_Suspected":
    """suspected_problems(items, cfg), started beside the scoring: call the result for the problems.

    The comparison holds the GIL for much of its time (per unit: re-spelling, numpy, the pairs), so a
    thread only took turns with the scoring. For SUSPECTED_BESIDE_MIN to _MAX items it runs in a forked
    child on the other core: the parent hands it each unit's title keys joined into one new string (the child
    then touches no item and no key of the parent's — each page it touched would be copied), the child
    sends back the pairs' positions. Without fork, or if the child fails, the comparison is made here."""
    import pickle

    from . import forked
    from .registers import similar_pairs, suspect_groups

    threshold = cfg.num("疑似重复阈值", 90)
    groups = suspect_groups(items)
    keys = [[it.title_key for it in lst] for lst in groups]
    beside = _Suspected(groups, keys, threshold)
    if SUSPECTED_BESIDE_MIN <= len(items) <= SUSPECTED_BESIDE_MAX:
        import numpy  # noqa: F401 — imported here, not in the child (its modules would be new pages)
        import rapidfuzz.process  # noqa: F401

        joined = ["\x00".join(k) for k in keys]
        if all(j.count("\x00") == len(k) - 1 for j, k in zip(joined, keys)):  # no key holds the separator
            r, w = os.pipe()

            def body():
                os.close(r)
                pairs = similar_pairs((j.split("\x00") for j in joined), threshold, threads=False)
                with os.fdopen(w, "wb") as fh:
                    fh.write(pickle.dumps(pairs, protocol=pickle.HIGHEST_PROTOCOL))

            beside.pid = forked.fork(body)
            os.close(w)
            if beside.pid is None:
                os.close(r)
            else:
                beside.fd = r
        del joined
    if beside.pid is None:
        from concurrent.futures import ThreadPoolExecutor

        pool = ThreadPoolExecutor(1)
        beside.future = pool.submit(similar_pairs, keys, threshold)
        pool.shutdown(wait=False)
    return beside


class _Suspected:
    """The suspected duplicates being found beside (a forked child's pid and pipe, or a thread's future)."""

    def __init__(self, groups: list, keys: list, threshold: float):
        self.groups, self.keys, self.threshold = groups, keys, threshold
        self.pid: Optional[int] = None
        self.fd: Optional[int] = None
        self.future = None
        self.problems: Optional[list] = None

    def __call__(self) -> list:
        if self.problems is None:
            pairs = self.future.result() if self.future is not None else self._from_child()
            g = self.groups
            self.problems = [_suspected(g[k][i], g[k][j], s) for k, i, j, s in pairs]
        return self.problems

    def _from_child(self) -> list:
        import pickle

        from . import forked
        from .registers import similar_pairs

        with os.fdopen(self.fd, "rb") as fh:
            self.fd = None
            data = fh.read()
        pid, self.pid = self.pid, None
        if forked.exited(pid, wait=True) == 0:
            try:
                return _checked_pairs(pickle.loads(data), self.keys)
            except Exception:  # noqa: BLE001 — a child that wrote something else: compared here
                pass
        return similar_pairs(self.keys, self.threshold)

    def close(self):
        """Stop a child whose pairs were not asked for (the run ended early)."""
        from . import forked

        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
        if self.pid is not None:
            forked.stop(self.pid)
            self.pid = None


def _checked_pairs(pairs, keys) -> list:
    """The child's pairs, if they are what similar_pairs returns for these keys' lists (positions in range)."""
    if not isinstance(pairs, list):
        raise ValueError("not a list")
    for g, i, j, s in pairs:
        if not (type(g) is int and type(i) is int and type(j) is int and type(s) is float
                and 0 <= g < len(keys) and 0 <= i < j < len(keys[g])):
            raise ValueError("a pair out of range")
    return pairs


def check(paths=None, config=None) -> dict:
    """Validate the config workbook and every register; nothing is written."""
    from .config import load_config
    from .errors import ConfigError
    from .registers import read_registers

    try:
        cfg = load_config(config or DEFAULT_CONFIG, strict=True)
    except ConfigError as exc:
        if not exc.problems:
            raise
        # report the config problems like any others, exit 2
        return {"rows": {"read": 0, "counted": 0, "duplicate": 0, "error": 0, "skipped": 0},
                "problems": [p.to_dict() for p in exc.problems], "files": [], "exit_code": exc.exit_code,
                "message": exc.message}
    read = read_registers(_paths(paths), cfg, year=dt.date.today().year)
    problems = list(cfg.problems) + read.problems + suspected_problems(read.items, cfg)
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
    from .cache import gc_paused
    from .periods import parse_period

    period = parse_period(month_=month, quarter=quarter, half=half, year=year, from_=from_, to=to)
    # one pause of the collector for both: on again in between, its first young collection walked every
    # record read (≈ 0.3 s of a province month)
    with gc_paused():
        # parsed registers are kept in out/.cache, so an unchanged year is not parsed again next month
        cfg, read = load(paths, config, year=period.end.year, cache_dir=Path(out) / ".cache" if write else None)
        return score_loaded(cfg, read, period, out=out, notice=notice, write=write, wait=wait,
                            config_path=config or DEFAULT_CONFIG)


def score_loaded(cfg, read, period, *, out=DEFAULT_OUT, notice=False, write=True, wait=60.0, config_path=None) -> dict:
    from . import scoring
    from .cache import gc_paused

    # The suspected-duplicate comparison runs beside the scoring and the writing of the big sheets, and is
    # waited for only when the 数据问题 sheet is written.
    with gc_paused():
        within = period.submitted_within(read.items)
        _drop_title_keys(read.items, within)
        suspected = _suspected_beside(within, cfg)
        try:
            result = scoring.score(read.items, read.commissions, cfg, period)
            result["rows"] = read.rows_dict()
            result["problems"] = None  # filled by finish_problems(), in this place among the keys
            all_problems = []

            def finish_problems() -> list:
                if result["problems"] is None:
                    all_problems.extend(read.problems + suspected())
                    result["problems"] = [p.to_dict() for p in _sorted_problems(all_problems)]
                return result["problems"]

            result["_problems"] = finish_problems
            result["outputs"] = []
            if write:
                result["outputs"] = [str(p) for p in write_outputs(result, read, cfg, period, Path(out),
                                                                   notice=notice, wait=wait, config_path=config_path)]
            finish_problems()
        finally:
            suspected.close()
    result["exit_code"] = exit_code_for(read, all_problems)
    return result


def _drop_title_keys(items: list, within: list) -> None:
    """Forget the title keys of the items not in `within` (the period's): 首报 and the adoption register,
    which compare the whole year's titles, are done when the registers are read; after that only the
    period's items are compared (疑似重复). A province year's keys are ≈ 60 MB, given back before scoring
    and writing (where a forked child renders the detail rows). A key forgotten is worked out again if
    asked for."""
    kept = [it._title_key for it in within]
    for it in items:
        it._title_key = None
    for it, key in zip(within, kept):
        it._title_key = key


def write_outputs(result, read, cfg, period, out: Path, *, notice=False, wait=60.0, config_path=None) -> list:
    from .rankbook import output_name, write_rankbook
    from .safeio import atomic_write, out_lock

    folder = out / period.label
    paths = []
    with out_lock(out, wait):
        target = folder / output_name(cfg.office, period.title)
        atomic_write(target, lambda tmp: write_rankbook(tmp, result, read))
        paths.append(target)
        if notice:
            from .notice import write_notice

            template_dir = Path(config_path).resolve().parent / "templates" if config_path else None
            paths += write_notice(public(result), folder, template_dir=template_dir)
    return paths


def public(result: dict) -> dict:
    """The result without the private details kept for the writers (keys starting with _)."""
    return {k: v for k, v in result.items() if not k.startswith("_")}


def init(dest, *, sample: bool = False, force: bool = False) -> list:
    from .workspace import init_workspace

    return init_workspace(Path(dest), sample=sample, force=force)


def disclosure(year, paths=None, config=None, *, out=DEFAULT_OUT, check_file=None, previous=None,
               write: bool = True, wait: float = 60.0) -> dict:
    """政府信息公开工作年度报告 tables: built from the registers (or, with check_file, a filled table checked)."""
    from . import disclosure as dis
    from .safeio import out_lock

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
         dry_run: bool = False, password=None, wait: float = 60.0) -> dict:
    """Score the period (so what is sent is current), then mail the workbook (and notice) per 设置's SMTP rows."""
    from .cache import gc_paused
    from .mailer import send_mail
    from .periods import parse_period

    period = parse_period(month_=month, quarter=quarter, half=half, year=year, from_=from_, to=to_period)
    with gc_paused():  # one pause for both (see score)
        cfg, read = load(paths, config, year=period.end.year)
        result = score_loaded(cfg, read, period, out=out, notice=attach_notice, wait=wait,
                              config_path=config or DEFAULT_CONFIG)
    attachments = [Path(p) for p in result["outputs"] if p.endswith((".xlsx", ".docx"))]
    template_dir = Path(config or DEFAULT_CONFIG).resolve().parent / "templates"
    report = send_mail(public(result), attachments, cfg.settings, to=list(to), units_group=units_group,
                       include_roster=roster, dry_run=dry_run, out_dir=Path(out) / period.label,
                       template_dir=template_dir if template_dir.is_dir() else None,
                       password=password if password is not None else os.environ.get("GOVXL_SMTP_PASSWORD"))
    out_result = {"period": result["period"], "mail": report, "outputs": result["outputs"],
                  "problems": result["problems"], "rows": result["rows"]}
    out_result["exit_code"] = worst_exit([result["exit_code"], EXIT_ROW_ERRORS if report.get("failed") else EXIT_OK])
    return out_result
