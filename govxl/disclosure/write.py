"""Writing the tables: an .xlsx laid out like the official tables (here) and a .docx report skeleton
(docx_report.py).

Both files are deterministic (fixed document dates, fixed zip timestamps) and written atomically:
nothing is overwritten while the old file is open in Excel/WPS/Word.
"""
from __future__ import annotations

import io
import os
from pathlib import Path

from ..errors import ERROR, OutputLocked, os_reason
from ..normalise.text import display_width
from ..read.reader import display_path
from ..write.cells import write_text
from ..write.layout import print_setup
from . import tables as T
from .docx_report import docx_bytes
from .style import FONT_HEADING, FONT_TABLE, MARKER, fixed_time, table3_values

NOTE_WIDTH = 80  # the message column of 核对结果


def output_stem(result: dict) -> str:
    from ..write.safeio import name_part

    return f"{name_part(result['organ'], fallback=T.DEFAULT_ORGAN)}{result['year']}年政府信息公开工作年度报告（表格）"


def write_disclosure(result: dict, out_dir: Path) -> list[Path]:
    """Write out_dir/<year>/<机关名称><year>年政府信息公开工作年度报告（表格）.xlsx and .docx; return the paths.

    Raises OutputLocked (exit 3) when either file is open in Excel/WPS/Word; then neither is written.
    The paths are also appended to result["outputs"] (as shown to the clerk).
    """
    folder = Path(out_dir) / str(result["year"])
    stem = output_stem(result)
    xlsx_path = folder / f"{stem}.xlsx"
    docx_path = folder / f"{stem}.docx"
    for p in (xlsx_path, docx_path):
        _refuse_if_locked(p)
    xlsx = xlsx_bytes(result)
    docx = docx_bytes(result)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for p, data in ((xlsx_path, xlsx), (docx_path, docx)):
        _write_atomic(p, data)
        written.append(p)
        result.setdefault("outputs", []).append(display_path(p))
    return written


def _lock_names(path: Path) -> list[Path]:
    name = path.name
    return [path.with_name("~$" + name), path.with_name("~$" + name[2:]), path.with_name(".~lock." + name + "#")]


def _refuse_if_locked(path: Path):
    if path.exists() and any(l.exists() for l in _lock_names(path)):
        raise OutputLocked(f"{display_path(path)} 正在被 Excel/WPS 打开，请关闭后再运行（文件未被覆盖）",
                           path=display_path(path))


def _write_atomic(path: Path, data: bytes):
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise OutputLocked(f"无法写入 {display_path(path)}（{os_reason(exc)}），文件可能正在被打开，未被覆盖",
                           path=display_path(path)) from exc


# ---- xlsx -------------------------------------------------------------------------------------------

def xlsx_bytes(result: dict) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.set_properties({"title": f"{result['title']}（表格）", "author": "govxl", "comments": MARKER,
                       "keywords": MARKER, "created": fixed_time(result)})
    base = {"font_name": FONT_TABLE, "font_size": 11, "valign": "vcenter", "text_wrap": True}
    F = {
        "title": wb.add_format({**base, "font_size": 16, "bold": True, "align": "center"}),
        "heading": wb.add_format({**base, "font_name": FONT_HEADING, "font_size": 12, "align": "left"}),
        "head": wb.add_format({**base, "bold": True, "align": "center", "border": 1}),
        "label": wb.add_format({**base, "align": "left", "border": 1}),
        "center_label": wb.add_format({**base, "align": "center", "border": 1}),
        "int": wb.add_format({**base, "align": "center", "border": 1, "num_format": "0"}),
        "dec": wb.add_format({**base, "align": "center", "border": 1, "num_format": "0.####"}),
        "note": wb.add_format({**base, "font_size": 10, "align": "left"}),
        "text": wb.add_format({**base, "font_size": 10, "align": "left", "border": 1}),
        "text_c": wb.add_format({**base, "font_size": 10, "align": "center", "border": 1}),
        "error": wb.add_format({**base, "font_size": 10, "align": "center", "border": 1, "font_color": "#C00000",
                                "bold": True}),
    }
    _sheet_table2(wb, F, result)
    _sheet_table3(wb, F, result)
    _sheet_table4(wb, F, result)
    _sheet_checks(wb, F, result)
    wb.close()
    return buf.getvalue()


def _height(text: str, width: float, *, line: float = 15.0, pad: float = 6.0, minimum: float = 20.0) -> float:
    """Row height (points) that shows text wrapped in a cell `width` column units wide."""
    lines = max(1, -(-display_width(text) // max(1, int(width - 1))))
    return max(minimum, lines * line + pad)


def _merge(ws, r0, c0, r1, c1, text, fmt):
    if (r0, c0) == (r1, c1):
        write_text(ws, r0, c0, text, fmt)
    else:
        ws.merge_range(r0, c0, r1, c1, "", fmt)
        write_text(ws, r0, c0, text, fmt)


def _num(ws, r, c, value, F, last_col=None):
    fmt = F["int"] if float(value).is_integer() else F["dec"]
    if last_col is not None and last_col > c:
        ws.merge_range(r, c, r, last_col, "", fmt)
    ws.write_number(r, c, value, fmt)


def _page(ws, *, landscape: bool, last_row: int, last_col: int):
    """The report's tables print with wider margins than the ranking workbook (they go into a bound report)."""
    print_setup(ws, landscape=landscape, margins=(0.6, 0.8), area=(last_row, last_col))


def _titles(ws, F, result, heading, last_col):
    ws.set_row(0, 36)
    _merge(ws, 0, 0, 0, last_col, result["title"], F["title"])
    ws.set_row(1, 24)
    _merge(ws, 1, 0, 1, last_col, heading, F["heading"])


def _sheet_table2(wb, F, result):
    ws = wb.add_worksheet("主动公开")
    ws.set_column(0, 0, 26)
    ws.set_column(1, 3, 18)
    _titles(ws, F, result, T.TABLE2_TITLE, 3)
    values = {e["label"]: e["values"] for e in result["table2"]}
    r = 2
    for section, cols, contents in T.TABLE2_SECTIONS:
        ws.set_row(r, 22)
        _merge(ws, r, 0, r, 3, section, F["head"])
        r += 1
        ws.set_row(r, 30)
        ws.write_string(r, 0, "信息内容", F["head"])
        if len(cols) == 1:
            _merge(ws, r, 1, r, 3, cols[0], F["head"])
        else:
            for j, col in enumerate(cols):
                ws.write_string(r, 1 + j, col, F["head"])
        r += 1
        for content in contents:
            ws.set_row(r, 22)
            ws.write_string(r, 0, content, F["center_label"])
            if len(cols) == 1:
                _num(ws, r, 1, values[content][cols[0]], F, last_col=3)
            else:
                for j, col in enumerate(cols):
                    _num(ws, r, 1 + j, values[content][col], F)
            r += 1
    _page(ws, landscape=False, last_row=r - 1, last_col=3)


def _sheet_table3(wb, F, result):
    ws = wb.add_worksheet("依申请公开")
    widths = (8, 11, 44) + (8.5,) * 7
    for j, w in enumerate(widths):
        ws.set_column(j, j, w)
    label_width = {"all": sum(widths[:3]), "sub": widths[1] + widths[2], "leaf": widths[2]}
    _titles(ws, F, result, T.TABLE3_TITLE, 9)
    values = table3_values(result)
    # header: rows 2-4
    _merge(ws, 2, 0, 4, 2, T.TABLE3_CORNER, F["head"])
    _merge(ws, 2, 3, 2, 9, T.TABLE3_APPLICANT_HEAD, F["head"])
    _merge(ws, 3, 3, 4, 3, T.APPLICANTS[0], F["head"])
    _merge(ws, 3, 4, 3, 8, T.TABLE3_ORG_HEAD, F["head"])
    _merge(ws, 3, 9, 4, 9, T.TOTAL, F["head"])
    for j, org in enumerate(T.ORGANISATIONS):
        ws.write_string(4, 4 + j, org, F["head"])
    ws.set_row(2, 26)
    ws.set_row(3, 26)
    ws.set_row(4, 36)

    def values_row(r, label):
        for j, col in enumerate(T.TABLE3_COLUMNS):
            _num(ws, r, 3 + j, values[label][col], F)

    r = 5
    for label in (T.ROW_NEW, T.ROW_CARRIED_IN):
        ws.set_row(r, _height(label, label_width["all"], minimum=22))
        _merge(ws, r, 0, r, 2, label, F["label"])
        values_row(r, label)
        r += 1
    start = r
    for group, rows in T.RESULT_GROUPS:
        if len(rows) == 1:
            _key, label, _s = rows[0]
            ws.set_row(r, _height(label, label_width["sub"], minimum=22))
            _merge(ws, r, 1, r, 2, label, F["label"])
            values_row(r, label)
            r += 1
            continue
        _merge(ws, r, 1, r + len(rows) - 1, 1, group, F["center_label"])
        for _key, label, _s in rows:
            ws.set_row(r, _height(label, label_width["leaf"], minimum=22))
            ws.write_string(r, 2, label, F["label"])
            values_row(r, label)
            r += 1
    ws.set_row(r, 22)
    _merge(ws, r, 1, r, 2, T.ROW_RESULT_TOTAL, F["label"])
    values_row(r, T.ROW_RESULT_TOTAL)
    _merge(ws, start, 0, r, 0, T.ROW_RESULTS, F["center_label"])
    r += 1
    ws.set_row(r, 22)
    _merge(ws, r, 0, r, 2, T.ROW_CARRIED_OUT, F["label"])
    values_row(r, T.ROW_CARRIED_OUT)
    _page(ws, landscape=False, last_row=r, last_col=9)


def _sheet_table4(wb, F, result):
    ws = wb.add_worksheet("复议诉讼")
    ws.set_column(0, 14, 8)
    _titles(ws, F, result, T.TABLE4_TITLE, 14)
    _merge(ws, 2, 0, 3, 4, T.CASE_RECONSIDERATION, F["head"])
    _merge(ws, 2, 5, 2, 14, T.LITIGATION_HEAD, F["head"])
    _merge(ws, 3, 5, 3, 9, T.CASE_DIRECT_SUIT, F["head"])
    _merge(ws, 3, 10, 3, 14, T.CASE_SUIT_AFTER, F["head"])
    ws.set_row(2, 24)
    ws.set_row(3, 24)
    ws.set_row(4, 36)
    ws.set_row(5, 26)
    for b, case_type in enumerate(T.CASE_TYPES):
        for j, col in enumerate(T.CASE_COLUMNS):
            ws.write_string(4, b * 5 + j, col, F["head"])
            _num(ws, 5, b * 5 + j, result["table4"][case_type][col], F)
    _page(ws, landscape=True, last_row=5, last_col=14)


def _sheet_checks(wb, F, result):
    ws = wb.add_worksheet("核对结果")
    ws.set_column(0, 0, 6)
    ws.set_column(1, 1, 8)
    ws.set_column(2, 2, NOTE_WIDTH)
    _merge(ws, 0, 0, 0, 2, f"{result['title']}（表格）核对结果", F["title"])
    ws.set_row(0, 30)
    r = 1
    for j, h in enumerate(("序号", "结果", "说明")):
        ws.write_string(r, j, h, F["head"])
    r += 1
    checks = result.get("checks", [])
    if not checks:
        ws.write_string(r, 0, "1", F["text_c"])
        ws.write_string(r, 1, "通过", F["text_c"])
        text = ("三张表的勾稽关系全部核对无误：每列 一 + 二 = （七）总计 + 四；每行总计等于各类申请人之和；"
                "（七）总计等于各项办理结果之和；表四各总计等于四项之和；所有数值为非负整数。")
        ws.set_row(r, _height(text, NOTE_WIDTH, line=13.5))
        ws.write_string(r, 2, text, F["text"])
        r += 1
    for n, c in enumerate(checks, 1):
        _verdict_row(ws, F, r, n, c["severity"], c["message"])
        r += 1
    r += 1
    for note in _check_notes(result):
        ws.set_row(r, _height(note, NOTE_WIDTH, line=13.5))
        _merge(ws, r, 0, r, 2, note, F["note"])
        r += 1
    problems = result.get("problems") or []
    if problems:
        r += 1
        _merge(ws, r, 0, r, 2, "数据问题", F["heading"])
        r += 1
        for n, p in enumerate(problems, 1):
            loc = _problem_place(p)
            _verdict_row(ws, F, r, n, p["severity"], f"{loc}：{p['message']}" if loc else p["message"])
            r += 1
    _page(ws, landscape=False, last_row=max(r - 1, 2), last_col=2)
    ws.repeat_rows(1)


def _verdict_row(ws, F, r, n, severity, text):
    """One numbered row of 核对结果: 错误 or 提示, and the message wrapped in the wide column."""
    ws.write_string(r, 0, str(n), F["text_c"])
    ws.write_string(r, 1, "错误" if severity == ERROR else "提示", F["error"] if severity == ERROR else F["text_c"])
    ws.set_row(r, _height(text, NOTE_WIDTH, line=13.5))
    write_text(ws, r, 2, text, F["text"])


def _check_notes(result) -> list:
    """The notes under the checks: where last year's 现行有效件数 came from, and what became of the rows read."""
    bases = result.get("in_force_base") or {}
    notes = []
    if bases:
        notes.append("现行有效件数的上年基数：" + "；".join(
            f"{k} {v['value']} 件（来源：{v['source']}）" for k, v in bases.items()) + "。")
    rows = result.get("rows")
    if rows:
        notes.append(f"登记表数据行：共读取 {rows['read']} 行，计入 {rows['counted']} 行，不属本年度 "
                     f"{rows['other_year']} 行，错误 {rows['error']} 行，空行/合计行 {rows['skipped']} 行。")
    return notes


def _problem_place(p: dict) -> str:
    """file › sheet › 第N行 › X列, the parts a problem has."""
    return " › ".join(str(x) for x in (p.get("file"), p.get("sheet"),
                                       f"第{p['row']}行" if p.get("row") else None,
                                       f"{p['column']}列" if p.get("column") else None) if x)
