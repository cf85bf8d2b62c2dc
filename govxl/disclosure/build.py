"""Building the year's tables from the registers, and checking a table somebody else filled."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

from .. import defaults as D
from ..errors import (EXIT_OK, EXIT_ROW_ERRORS, EXIT_UNREADABLE, ERROR, WARNING, ConfigError, Problem, UsageError, os_reason, worst_exit)
from ..read.reader import display_path, not_regular, read_file
from ..normalise.text import cell_text, norm
from . import tables as T
from .checks import evaluate, failed
from .layout import parse_workbook
from .registers import problem_sort_key, read_registers


# ---- 设置 ---------------------------------------------------------------------------------------

def read_settings(path) -> dict:
    """The 设置 sheet of govxl.xlsx as {项目: 值}. Other sheets may be absent.

    Raises ConfigError (exit 2) when the file exists but cannot be read or has no 设置 sheet
    with 项目 / 值 columns. A missing file is the caller's business (see build_disclosure).
    """
    import python_calamine as pc

    path = Path(path)
    shown = display_path(path)
    try:
        why = not_regular(os.stat(path))
    except OSError as exc:
        raise ConfigError(f"配置文件 {shown} 无法打开（{os_reason(exc)}）", path=shown) from exc
    if why:
        raise ConfigError(f"配置文件 {shown} {why}", path=shown)
    try:
        wb = pc.CalamineWorkbook.from_path(str(path))
    except Exception as exc:
        raise ConfigError(f"配置文件 {shown} 无法读取（{str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__}）",
                          path=shown) from exc
    try:
        names = list(wb.sheet_names)
        if D.SHEET_SETTINGS not in names:
            raise ConfigError(f"配置文件 {shown} 中没有“{D.SHEET_SETTINGS}”工作表", path=shown)
        rows = wb.get_sheet_by_name(D.SHEET_SETTINGS).to_python(skip_empty_area=False)
    finally:
        try:
            wb.close()
        except Exception:
            pass
    head = None
    for i, r in enumerate(rows[:30]):
        texts = [norm(cell_text(v)) for v in r]
        if "项目" in texts and "值" in texts:
            head = (i, texts.index("项目"), texts.index("值"))
            break
    if head is None:
        raise ConfigError(f"配置文件 {shown} 的“{D.SHEET_SETTINGS}”工作表缺少“项目”“值”两列", path=shown)
    i0, ck, cv = head
    out = {}
    for r in rows[i0 + 1:]:
        key = norm(cell_text(r[ck] if ck < len(r) else ""))
        if not key:
            continue
        value = r[cv] if cv < len(r) else ""
        out.setdefault(key, value.strip() if isinstance(value, str) else value)
    return out


def _setting_count(settings: dict, names, problems: list) -> Optional[int]:
    for name in names:
        v = settings.get(norm(name))
        if v is None or cell_text(v).strip() == "":
            continue
        t = norm(cell_text(v))
        if t.isdigit():
            return int(t)
        problems.append(Problem(ERROR, f"设置“{name}”应为非负整数，实际为“{cell_text(v)}”，已忽略", sheet=D.SHEET_SETTINGS))
    return None


def _organ(settings: dict) -> str:
    v = cell_text(settings.get("机关名称", "")).strip()
    return v


# ---- last year's table ----------------------------------------------------------------------------

def read_previous(path) -> tuple[Optional[dict], list]:
    """Last year's filled table → ({"carried_out": {col: n}, "in_force": {content: n}, "year"}, checks)."""
    path = Path(path)
    shown = display_path(path)
    if not path.exists():
        raise UsageError(f"找不到上年表格：{shown}", path=shown)
    wb = parse_workbook(read_file(path), shown)
    result = evaluate(wb.table2 and wb.table2.cells, wb.table3 and wb.table3.cells, wb.table4 and wb.table4.cells,
                      skip_table2=wb.template_2019)
    checks = []
    if wb.template_2019:
        checks.append({"severity": WARNING, "code": "template",
                       "message": f"上年表格 {shown} 是2019年版模板，表二没有“{T.COL_IN_FORCE}”，"
                                  f"本年表二的现行有效件数不与上年衔接核对；上年结转照常核对"})
    if wb.table3 is None:
        checks.append({"severity": ERROR, "code": "previous",
                       "message": f"上年表格 {shown} 中没有找到表三（{T.TABLE3_TITLE}），无法核对上年结转"})
        prev = {"carried_out": None}
    else:
        row = next(r for r in result["table3"] if r["label"] == T.ROW_CARRIED_OUT)
        prev = {"carried_out": dict(row["values"])}
        if T.ROW_CARRIED_OUT not in wb.table3.cells:
            checks.append({"severity": ERROR, "code": "previous",
                           "message": f"上年表格 {shown} 的表三中没有“{T.ROW_CARRIED_OUT}”行，无法核对上年结转"})
            prev["carried_out"] = None
    if failed(result["checks"]):
        checks.append({"severity": WARNING, "code": "previous",
                       "message": f"上年表格 {shown} 本身有 {sum(c['severity'] == ERROR for c in result['checks'])} 处不合，"
                                  f"可用 --check 查看"})
    in_force = {}
    if wb.table2 is not None and not wb.template_2019:
        for entry in result["table2"]:
            if entry["label"] in T.DOCUMENT_CONTENTS and entry["label"] in wb.table2.cells \
                    and T.COL_IN_FORCE in wb.table2.cells[entry["label"]]:
                in_force[entry["label"]] = entry["values"][T.COL_IN_FORCE]
    prev["in_force"] = in_force
    prev["year"] = wb.year
    prev["file"] = shown
    return prev, checks


# ---- build ----------------------------------------------------------------------------------------

def build_disclosure(year: int, paths: list, *, config: Optional[Path], previous: Optional[Path] = None) -> dict:
    """Tally the year's three tables from the registers under paths and check them.

    config: govxl.xlsx (only its 设置 sheet is read); missing → 机关名称 “本机关” with a warning.
    previous: last year's table (.xlsx laid out like govxl's output) for the continuity checks.
    """
    if not isinstance(year, int) or not 1990 <= year <= 2099:
        raise UsageError(f"年份“{year}”不正确，应为四位数年份，如 2024")
    problems: list[Problem] = []
    settings, organ = _settings_and_organ(config, problems)
    prev, pre_checks = (None, [])
    if previous is not None:
        prev, pre_checks = _previous_for_year(previous, year)

    tally = read_registers(year, paths)
    problems.extend(tally.problems)
    for content, sources in sorted(tally.proactive_sources.items()):
        if len(sources) > 1:
            problems.append(Problem(WARNING, f"“{content}”既有逐条登记又有汇总表，两者已相加，请确认没有重复统计"))
    in_force_base = _in_force_bases(settings, prev, tally, problems)

    result = evaluate(_table2_counts(tally, in_force_base), _table3_counts(tally), _table4_counts(tally),
                      previous=prev, pre_checks=pre_checks)
    problems.sort(key=problem_sort_key)
    return {
        "year": year,
        "organ": organ,
        "title": f"{organ}{year}年政府信息公开工作年度报告",
        "table2": result["table2"],
        "table3": result["table3"],
        "table4": result["table4"],
        "in_force_base": in_force_base,
        "checks": result["checks"],
        "problems": [p.to_dict() for p in problems],
        "rows": dict(tally.rows),
        "registers": tally.registers,
        "unreadable": tally.unreadable,
        "previous": (prev or {}).get("file"),
        "outputs": [],
    }


def _settings_and_organ(config: Optional[Path], problems: list) -> tuple[dict, str]:
    """The 设置 sheet (empty when config is missing, with a warning) and the 机关名称 to print."""
    settings: dict = {}
    if config is not None and Path(config).exists():
        settings = read_settings(config)
    else:
        shown = display_path(Path(config)) if config is not None else "govxl.xlsx"
        problems.append(Problem(WARNING, f"找不到配置文件 {shown}，机关名称按“{T.DEFAULT_ORGAN}”填写"))
    organ = _organ(settings)
    if settings and not organ:
        problems.append(Problem(WARNING, f"设置中没有填写机关名称，按“{T.DEFAULT_ORGAN}”填写", sheet=D.SHEET_SETTINGS))
    return settings, organ or T.DEFAULT_ORGAN


def _previous_for_year(previous: Path, year: int) -> tuple[dict, list]:
    """read_previous, with a warning when the table is not of the year before."""
    prev, pre_checks = read_previous(previous)
    if prev.get("year") is not None and prev["year"] != year - 1:
        pre_checks.append({"severity": WARNING, "code": "previous",
                           "message": f"上年表格 {prev['file']} 看起来是{prev['year']}年的，不是{year - 1}年的"})
    return prev, pre_checks


def _in_force_bases(settings: dict, prev: Optional[dict], tally, problems: list) -> dict:
    """Last year's 现行有效件数 per document content, as {"value", "source"}: from 设置, else last year's
    table, else the registers' earlier rows, else 0 (with a warning naming the settings to fill)."""
    in_force_base = {}
    unknown_base = []
    for content in T.DOCUMENT_CONTENTS:
        base = _setting_count(settings, T.SETTING_IN_FORCE[content], problems)
        source = "设置"
        prev_value = (prev or {}).get("in_force", {}).get(content)
        if base is None and prev_value is not None:
            base, source = prev_value, "上年表格"
        if base is None and content in tally.earlier_net:
            base, source = tally.earlier_net[content], "登记表中以前年度的记录"
        if base is None:
            base, source = 0, "未提供"
            unknown_base.append(content)
        in_force_base[content] = {"value": base, "source": source}
    if unknown_base:
        keys = "、".join(f"“{T.SETTING_IN_FORCE[c][0]}”" for c in unknown_base)
        problems.append(Problem(WARNING, f"没有上年现行有效{'、'.join(unknown_base)}件数，现行有效件数按本年制发减废止计算；"
                                         f"可在设置中填写{keys}，或用 --previous 指定上年表格"))
    return in_force_base


def _table2_counts(tally, in_force_base: dict) -> dict:
    """Table 二 as evaluate takes it: content → {column: number}; 现行有效 = base + 制发 − 废止."""
    t2 = {}
    for content in T.DOCUMENT_CONTENTS:
        issued, repealed = tally.issued[content], tally.repealed[content]
        t2[content] = {T.COL_ISSUED: issued, T.COL_REPEALED: repealed,
                       T.COL_IN_FORCE: in_force_base[content]["value"] + issued - repealed}
    for content in T.DECISION_CONTENTS:
        t2[content] = {T.COL_DECISIONS: tally.decisions[content]}
    t2[T.FEE_CONTENT] = {T.COL_FEES: tally.fees}
    return t2


def _table3_counts(tally) -> dict:
    """Table 三: label → {applicant: count, 总计}; （七）总计 sums every result row."""
    t3 = {}
    for label, _group, kind in T.TABLE3_ROWS:
        if kind == "result_total":
            counts = {a: sum(tally.t3.get("result:" + k, {}).get(a, 0) for k in T.RESULT_KEYS) for a in T.APPLICANTS}
        else:
            counts = {a: tally.t3.get(kind, {}).get(a, 0) for a in T.APPLICANTS}
        counts[T.TOTAL] = sum(counts.values())
        t3[label] = counts
    return t3


def _table4_counts(tally) -> dict:
    """Table 四: case type → {outcome: count, 总计}."""
    t4 = {}
    for case_type in T.CASE_TYPES:
        counts = dict(tally.t4[case_type])
        counts[T.TOTAL] = sum(counts.values())
        t4[case_type] = counts
    return t4


TEMPLATE_2019_NOTE = (
    f"这是2019年版年度报告模板的表格（2019、2020年度报告使用；表二为“{'、'.join(T.TABLE2_COLUMNS_2019)}”，"
    f"表三“{T.OTHER_GROUP}”只有一行）：表二的栏目与现行模板不同，未核对；表三、表四照常核对，"
    f"“{T.OTHER_GROUP}”计入其“{T.OTHER_ROW}”行")


def check_table_file(path: Path, previous: Optional[Path] = None, *, year: Optional[int] = None) -> dict:
    """`--check FILE`: read a filled table (.xlsx laid out like govxl's output) and run every check.

    year (optional, the command's --year): a warning when the table's title names another year.
    """
    path = Path(path)
    shown = display_path(path)
    if not path.exists():
        raise UsageError(f"找不到要核对的表格：{shown}", path=shown)
    wb = parse_workbook(read_file(path), shown)
    prev, pre_checks = (None, [])
    if year is not None and wb.year is not None and wb.year != year:
        pre_checks.append({"severity": WARNING, "code": "year",
                           "message": f"要核对的表格 {shown} 看起来是{wb.year}年的，不是{year}年的"})
    if previous is not None:
        prev, pre_checks = read_previous(previous)
        if wb.year is not None and prev.get("year") is not None and prev["year"] != wb.year - 1:
            pre_checks.append({"severity": WARNING, "code": "previous",
                               "message": f"上年表格 {prev['file']} 看起来是{prev['year']}年的，"
                                          f"而要核对的表格是{wb.year}年的"})
    pre = list(pre_checks)
    if wb.template_2019:
        pre.append({"severity": WARNING, "code": "template", "message": TEMPLATE_2019_NOTE})
    if wb.table3 is not None:
        for excel_row, label in wb.table3.unknown_rows:
            pre.append({"severity": WARNING, "code": "unknown_row",
                        "message": f"表三第{excel_row}行“{label}”不是年度报告表格中的行，未核对"})
    result = evaluate(wb.table2 and wb.table2.cells, wb.table3 and wb.table3.cells,
                      wb.table4 and wb.table4.cells, previous=prev, pre_checks=pre, skip_table2=wb.template_2019)
    return {
        "file": shown,
        "year": wb.year,
        "table2": result["table2"],
        "table3": result["table3"],
        "table4": result["table4"],
        "checks": result["checks"],
        "previous": (prev or {}).get("file"),
        "problems": [],
        "outputs": [],
    }


def disclosure_exit_code(result: dict) -> int:
    """0 when the tables add up; 1 when a check fails or rows are errors; 4 when a register was unreadable."""
    codes = [EXIT_OK]
    if failed(result.get("checks", [])) or any(p.get("severity") == ERROR for p in result.get("problems", [])):
        codes.append(EXIT_ROW_ERRORS)
    if result.get("unreadable"):
        codes.append(EXIT_UNREADABLE)
    return worst_exit(codes)
