"""The arithmetic of the three tables, checked cell by cell, each failure with its own message.

The same code judges what govxl builds and a table somebody else filled (`--check FILE`):
cells come in as layout.Cell (value as read + where it is) or as plain numbers.
"""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Optional

from ..errors import ERROR, WARNING
from ..normalise.text import cell_text, norm
from . import tables as T
from .layout import CONTENT_COLUMNS, Cell

RESULT_LABELS = tuple(T.RESULT_LABEL[k] for k in T.RESULT_KEYS)
_TABLE_NAMES = {"t2": "表二", "t3": "表三", "t4": "表四"}
BLANKS_LISTED = 10  # blank cells named in a table's one line


def check(severity: str, code: str, message: str) -> dict:
    return {"severity": severity, "code": code, "message": message}


def number_out(x):
    """A value as JSON shows it: whole numbers as int, others rounded to 6 decimals."""
    if x is None:
        return 0
    if isinstance(x, Decimal):
        x = float(x)
    if float(x).is_integer():
        return int(x)
    return round(float(x), 6)


class _Judge:
    def __init__(self):
        self.checks: list[dict] = []
        self.bad: set = set()  # (table, row, column) whose value is unusable
        self.blanks: dict = {}  # table → [(its message alone, where)] of the blank cells read as 0

    def add(self, severity, code, message):
        self.checks.append(check(severity, code, message))

    def value(self, key: tuple, name: str, cell, *, decimals: bool = False):
        """Judge one cell → its number (0 for blanks); records blank / not a number / negative / not whole."""
        if not isinstance(cell, Cell):
            cell = Cell(cell, "", "")
        where = f"（{cell.where}）" if cell.ref else ""
        v = cell.value
        if v is None or (isinstance(v, str) and norm(v) in T.BLANK_TEXTS):
            self.blanks.setdefault(key[0], []).append((f"{name}为空{where}，按0计算", cell))
            return 0
        if isinstance(v, bool):
            num = None
        elif isinstance(v, (int, float, Decimal)):
            num = v
        else:
            t = norm(cell_text(v)).replace(",", "")
            try:
                d = Decimal(t)
                num = None if not d.is_finite() else int(d) if d == d.to_integral_value() else float(d)
            except InvalidOperation:
                num = None
        if num is None or (isinstance(num, float) and num != num):
            self.add(ERROR, "not_number", f"{name}{where}不是数字：“{cell_text(v)}”")
            self.bad.add(key)
            return 0
        if num < 0:
            self.add(ERROR, "negative", f"{name}{where}为负数：{number_out(num)}")
        elif not decimals and not float(num).is_integer():
            self.add(ERROR, "not_whole", f"{name}{where}应为整数（件数），实际为 {number_out(num)}")
        return num

    def say_blanks(self):
        """One line per table: published tables leave zeros blank, and a cell-by-cell list would bury
        the real failures. A lone blank is said as itself."""
        for table, blanks in self.blanks.items():
            if len(blanks) == 1:
                self.add(WARNING, "blank", blanks[0][0])
                continue
            refs = [f"{c.sheet}!{c.ref}" if c.ref else "" for _m, c in blanks]
            refs = [r for r in refs if r]
            shown = "、".join(refs[:BLANKS_LISTED]) + ("等" if len(refs) > BLANKS_LISTED else "")
            self.add(WARNING, "blank", f"{_TABLE_NAMES[table]}有 {len(blanks)} 个单元格为空，均按0计算"
                     + (f"（{shown}）" if shown else "") + "：公开的表格常把 0 留空，如本应有数请补填")

    def usable(self, *keys) -> bool:
        return not any(k in self.bad for k in keys)


def _cell_of(cells: dict, row, col):
    return (cells.get(row) or {}).get(col)


def evaluate(t2: Optional[dict], t3: Optional[dict], t4: Optional[dict], *,
             previous: Optional[dict] = None, pre_checks: Optional[list] = None, skip_table2: bool = False) -> dict:
    """Judge the three tables.

    t2: content → {column: Cell|number}; t3: row label → {column: Cell|number};
    t4: case type → {column: Cell|number}. A table given as None was not found.
    previous: {"carried_out": {column: n}, "in_force": {content: n}} from last year's table, or None.
    skip_table2: table 二 is of another template (the caller says so): not judged, all zeros.
    Returns {"table2", "table3", "table4", "checks"} with every value a number (blanks written as 0).
    """
    j = _Judge()
    if pre_checks:
        j.checks.extend(pre_checks)
    if skip_table2:
        t2 = None
    elif t2 is None:
        j.add(ERROR, "missing", f"没有找到表二（{T.TABLE2_TITLE}）")
    table2, t2v = _read_table2(j, t2)
    table3, t3v = _read_table3(j, t3)
    for label in T.TABLE3_LABELS:
        _row_total(j, t3v, label)
    for col in T.TABLE3_COLUMNS:
        for column_check in _TABLE3_COLUMN_CHECKS:
            column_check(j, t3v, col)
    t4v = _read_table4(j, t4)
    if previous:
        _carried_over(j, t3v, previous.get("carried_out"))
        _in_force(j, t2v, previous.get("in_force") or {})
    j.say_blanks()
    return {"table2": table2, "table3": table3, "table4": t4v, "checks": j.checks}


# ---- reading each table: every cell judged once, in print order ----------------------------------

def _read_table2(j: _Judge, t2: Optional[dict]) -> tuple[list, dict]:
    """→ (the table's rows as returned, content → {column: number})."""
    table2 = []
    t2v: dict[str, dict] = {}
    for section, cols, contents in T.TABLE2_SECTIONS:
        for content in contents:
            values = {col: number_out(_table2_value(j, t2, content, col)) for col in cols}
            t2v[content] = values
            table2.append({"section": section, "label": content, "values": values})
    return table2, t2v


def _table2_value(j: _Judge, t2: Optional[dict], content: str, col: str):
    key = ("t2", content, col)
    cell = _cell_of(t2 or {}, content, col)
    if cell is None:
        if t2 is not None:
            j.add(ERROR, "missing", f"表二缺少“{content}”的“{col}”")
        j.bad.add(key)
        return 0
    return j.value(key, f"表二“{content}”的“{col}”", cell, decimals=(col == T.COL_FEES))


def _read_table3(j: _Judge, t3: Optional[dict]) -> tuple[list, dict]:
    """→ (the table's rows as returned, label → {column: number})."""
    if t3 is None:
        j.add(ERROR, "missing", f"没有找到表三（{T.TABLE3_TITLE}），表头应有"
              + "、".join(f"“{c}”" for c in T.TABLE3_COLUMNS) + "列")
    table3 = []
    t3v: dict[str, dict] = {}
    for label, group, _kind in T.TABLE3_ROWS:
        values = _table3_row(j, t3, label, group)
        t3v[label] = values
        entry = {"label": label, "values": values}
        if group:
            entry["group"] = group
        table3.append(entry)
    return table3, t3v


def _table3_row(j: _Judge, t3: Optional[dict], label: str, group: Optional[str]) -> dict:
    row_cells = (t3 or {}).get(label)
    if t3 is not None and row_cells is None:
        j.add(ERROR, "missing", f"表三缺少“{label}”行" + (f"（在“{group}”下）" if group else ""))
    values = {}
    for col in T.TABLE3_COLUMNS:
        key = ("t3", label, col)
        if row_cells is None:
            j.bad.add(key)
            values[col] = 0
            continue
        values[col] = number_out(j.value(key, f"表三“{label}”行“{col}”列", row_cells.get(col)))
    return values


def _read_table4(j: _Judge, t4: Optional[dict]) -> dict:
    """→ case type → {column: number}; each case type's total is checked as soon as it is read."""
    if t4 is None:
        j.add(ERROR, "missing", f"没有找到表四（{T.TABLE4_TITLE}）")
    t4v: dict[str, dict] = {}
    for case_type in T.CASE_TYPES:
        values = _table4_row(j, t4, case_type)
        t4v[case_type] = values
        _case_total(j, case_type, values)
    return t4v


def _table4_row(j: _Judge, t4: Optional[dict], case_type: str) -> dict:
    row_cells = (t4 or {}).get(case_type)
    if t4 is not None and row_cells is None:
        j.add(ERROR, "missing", f"表四缺少“{case_type}”一栏")
    values = {}
    for col in T.CASE_COLUMNS:
        key = ("t4", case_type, col)
        cell = (row_cells or {}).get(col)
        if row_cells is not None and cell is None:
            j.add(ERROR, "missing", f"表四“{case_type}”缺少“{col}”")
        if cell is None:
            j.bad.add(key)
            values[col] = 0
            continue
        values[col] = number_out(j.value(key, f"表四“{case_type}”的“{col}”", cell))
    return values


# ---- the checks: one function each, skipped when a cell it needs is unusable ---------------------

def _row_total(j: _Judge, t3v: dict, label: str):
    """Table 三: every 总计 = the six applicant columns."""
    if not j.usable(*[("t3", label, c) for c in T.TABLE3_COLUMNS]):
        return
    s = sum(t3v[label][a] for a in T.APPLICANTS)
    if s != t3v[label][T.TOTAL]:
        j.add(ERROR, "row_total", f"表三“{label}”行：总计 {number_out(t3v[label][T.TOTAL])} ≠ "
              f"自然人与五类法人或其他组织之和 {number_out(s)}")


def _result_total(j: _Judge, t3v: dict, col: str):
    """Table 三, one column: （七）总计 = every result sub-row."""
    if not j.usable(*[("t3", l, col) for l in (*RESULT_LABELS, T.ROW_RESULT_TOTAL)]):
        return
    s = sum(t3v[l][col] for l in RESULT_LABELS)
    if s != t3v[T.ROW_RESULT_TOTAL][col]:
        j.add(ERROR, "result_total", f"表三“{col}”列：（七）总计 {number_out(t3v[T.ROW_RESULT_TOTAL][col])} ≠ "
              f"（一）至（六）各项办理结果之和 {number_out(s)}")


def _balance(j: _Judge, t3v: dict, col: str):
    """Table 三, one column: 一 + 二 = （七） + 四."""
    if not j.usable(*[("t3", l, col) for l in (T.ROW_NEW, T.ROW_CARRIED_IN, T.ROW_RESULT_TOTAL, T.ROW_CARRIED_OUT)]):
        return
    a, b = t3v[T.ROW_NEW][col], t3v[T.ROW_CARRIED_IN][col]
    c, d = t3v[T.ROW_RESULT_TOTAL][col], t3v[T.ROW_CARRIED_OUT][col]
    if a + b != c + d:
        j.add(ERROR, "balance", f"表三“{col}”列不平衡：一（本年新收）{number_out(a)} + 二（上年结转）{number_out(b)}"
              f" = {number_out(a + b)}，而三（七）总计 {number_out(c)} + 四（结转下年度继续办理）{number_out(d)}"
              f" = {number_out(c + d)}，两者应相等")


# run on every column of table 三, in this order
_TABLE3_COLUMN_CHECKS = (_result_total, _balance)


def _case_total(j: _Judge, case_type: str, values: dict):
    """Table 四, one case type: 总计 = the four outcomes."""
    if not j.usable(*[("t4", case_type, c) for c in T.CASE_COLUMNS]):
        return
    s = sum(values[o] for o in T.CASE_OUTCOMES)
    if s != values[T.TOTAL]:
        j.add(ERROR, "case_total", f"表四“{case_type}”：总计 {values[T.TOTAL]} ≠ "
              f"结果维持、结果纠正、其他结果、尚未审结之和 {s}")


def _carried_over(j: _Judge, t3v: dict, carried: Optional[dict]):
    """This year's 上年结转 = last year's 结转下年度继续办理, column by column."""
    if carried is None:
        return
    for col in T.TABLE3_COLUMNS:
        if not j.usable(("t3", T.ROW_CARRIED_IN, col)) or col not in carried:
            continue
        if t3v[T.ROW_CARRIED_IN][col] != carried[col]:
            j.add(ERROR, "carried_over", f"表三“{col}”列：本年“{T.ROW_CARRIED_IN}”为 "
                  f"{t3v[T.ROW_CARRIED_IN][col]}，上年表“{T.ROW_CARRIED_OUT}”为 {carried[col]}，两者应相等")


def _in_force(j: _Judge, t2v: dict, in_force: dict):
    """Table 二: 现行有效 = last year's + 制发 − 废止 (a warning: amendments and clean-ups move it too)."""
    for content in T.DOCUMENT_CONTENTS:
        if content not in in_force:
            continue
        if not j.usable(*[("t2", content, c) for c in CONTENT_COLUMNS[content]]):
            continue
        v = t2v[content]
        expected = in_force[content] + v[T.COL_ISSUED] - v[T.COL_REPEALED]
        if v[T.COL_IN_FORCE] != expected:
            j.add(WARNING, "in_force", f"表二“{content}”：现行有效件数 {v[T.COL_IN_FORCE]} ≠ 上年现行有效 "
                  f"{in_force[content]} + 本年制发 {v[T.COL_ISSUED]} − 本年废止 {v[T.COL_REPEALED]} = {expected}"
                  "（如有修改、清理等情况请核实）")


def failed(checks: list) -> bool:
    return any(c["severity"] == ERROR for c in checks)
