"""A realistic example year of registers (台账), written by `govxl init DIR --sample`.

The files look like what a county's information office really collects (spec §4):

* ``乡镇信息报送台账YYYY.xlsx`` – the office's own register for the 乡镇, one sheet per month with a
  merged title, a two-row header (采用情况 over 县级 / 市级 / 省级 / 国家级), blank rows and a 合计 row;
* ``县直部门/<单位>YYYY年信息报送台账.xlsx`` – one file per department, the unit only in the file name,
  headers worded differently from file to file, dates as Excel dates or as typed text;
* ``县直二类补报.csv`` – late submissions exported from WPS as GB18030 CSV, with a 报送单位 column;
* ``采用登记YYYY.xlsx`` – the office's register of city / province / national adoptions, rows naming items
  of the registers above by unit and title (those adoptions are recorded there only).

Everything is drawn from ``random.Random(seed)`` and written with fixed document properties, so the
same arguments give byte-identical files. The sample has no error rows for govxl (every unit is in
the roster, every date is readable) but does carry the warnings a real year has: publications not in
采用计分, 疑似重复 titles, an adoption matched by similar title, 非登记行, empty sheets.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from .roster_data import G_DEPT1, G_DEPT2, OFFICE_NAME
from .sample_disclosure import disclosure_file_names, write_disclosure_registers
from .sample_web import file_names as web_file_names, write_web_registers
from .sample_year import CSV_ONLY, EVENT_UNITS, SURNAMES, build_sample, unit_label

# ---- how the registers are written -----------------------------------------------------

CSV_NAME = "县直二类补报.csv"
# a departmental register's own wording of a county adoption (SampleItem.county_text "")
DEPT_COUNTY_STYLES = ("县采用", "县级采用", "本级采用", "县级")

# header wordings of departmental registers (each one a built-in synonym, see defaults.HEADER_SYNONYMS;
# 供稿人 is known only through the 列名映射 example row of the config workbook)
DEPT_HEADERS = {
    "序号": ("序号", "序号", "编号"),
    "标题": ("标题", "信息标题", "题目", "稿件标题", "信息名称"),
    "报送日期": ("报送时间", "报送日期", "上报日期", "日期", "报送日"),
    "信息类型": ("类别", "信息类型", "类型", "信息类别"),
    "撰稿人": ("作者", "撰稿人", "信息员", "报送人"),
    "采用情况": ("采用", "采用情况", "录用情况", "采用级别"),
    "领导批示": ("批示情况", "领导批示", "批示"),
    "事件时间": ("事件时间", "发生时间"),
    "备注": ("备注",),
}
MAPPED_AUTHOR_HEADER = "供稿人"
DATE_NUM_FORMATS = ("yyyy/m/d", "yyyy-mm-dd", 'yyyy"年"m"月"d"日"', "m月d日")
TEXT_DATE_STYLES = ("slash", "dot", "cn", "compact")
# file names of departmental registers written with an alias (the rest use the canonical name)
FILE_LABELS = {
    "县发展和改革局": "县发改局",
    "县人力资源和社会保障局": "县人社局",
    "县市场监督管理局": "县市场监管局",
    "县医疗保障局": "县医保局",
    "县工业和信息化局": "县工信局",
}
FILE_PATTERNS = ("{label}{year}年信息报送台账.xlsx", "{label}{year}年政务信息报送登记表.xlsx")


# ---- writing ---------------------------------------------------------------------------

def _workbook(path: Path, year: int, title: str):
    import xlsxwriter

    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                         "strings_to_urls": False})
    wb.set_properties({"title": title, "author": OFFICE_NAME, "company": OFFICE_NAME,
                       "created": dt.datetime(year, 1, 1, 8, 0, 0)})
    return wb


def _put(ws, r: int, c: int, text: str, fmt):
    """A text cell, or a formatted blank when there is nothing to say."""
    if text:
        ws.write_string(r, c, text, fmt)
    else:
        ws.write_blank(r, c, None, fmt)


def _text_date(d: dt.datetime, style: str) -> str:
    if style == "slash":
        return f"{d.year}/{d.month}/{d.day}"
    if style == "dot":
        return f"{d.year}.{d.month}.{d.day}"
    if style == "cn":
        return f"{d.year}年{d.month}月{d.day}日"
    if style == "compact":
        return f"{d.year}{d.month:02d}{d.day:02d}"
    return f"{d.year}-{d.month:02d}-{d.day:02d}"


def _write_central(path: Path, items: list, year: int, rng: random.Random):
    """The office's register of the 乡镇: one sheet per month, two-row header, 合计 row."""
    wb = _workbook(path, year, f"{year}年乡镇政务信息报送台账")
    f_title = wb.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
    f_head = wb.add_format({"bold": True, "align": "center", "valign": "vcenter", "border": 1, "text_wrap": True,
                            "bg_color": "#DDEBF7"})
    f_cell = wb.add_format({"border": 1, "valign": "vcenter"})
    f_wrap = wb.add_format({"border": 1, "valign": "vcenter", "text_wrap": True})
    f_center = wb.add_format({"border": 1, "align": "center", "valign": "vcenter"})
    f_date = wb.add_format({"border": 1, "align": "center", "valign": "vcenter", "num_format": "yyyy/m/d"})
    f_total = wb.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter", "bg_color": "#F2F2F2"})
    widths = (6, 12, 52, 12, 9, 9, 8, 12, 12, 8, 18, 14)
    heads = ("序号", "单位", "信息标题", "报送日期", "信息类型", "撰稿人")
    levels = ("县级", "市级", "省级", "国家级")
    text_dates_left = 3
    for month in range(1, 13):
        ws = wb.add_worksheet(f"{month}月")
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
        ws.merge_range(0, 0, 0, 11, f"{year}年{month}月乡镇政务信息报送台账", f_title)
        ws.set_row(0, 30)
        for c, h in enumerate(heads):
            ws.merge_range(2, c, 3, c, h, f_head)
        ws.merge_range(2, 6, 2, 9, "采用情况", f_head)
        for k, lv in enumerate(levels):
            ws.write_string(3, 6 + k, lv, f_head)
        ws.merge_range(2, 10, 3, 10, "领导批示", f_head)
        ws.merge_range(2, 11, 3, 11, "备注", f_head)
        ws.freeze_panes(4, 3)
        ws.repeat_rows(2, 3)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        month_items = [it for it in items if it.when.month == month]
        r = 4
        counts = [0, 0, 0, 0]
        blank_after = set(rng.sample(range(len(month_items)), 1)) if month_items and month % 4 == 1 else set()
        for n, it in enumerate(month_items, start=1):
            ws.write_number(r, 0, n, f_center)
            ws.write_string(r, 1, unit_label(rng, it.unit, 0.2), f_cell)
            ws.write_string(r, 2, it.title, f_wrap)
            if text_dates_left and month in (3, 7, 11) and rng.random() < 0.05:
                ws.write_string(r, 3, _text_date(it.when, "dot"), f_center)
                text_dates_left -= 1
            else:
                ws.write_datetime(r, 3, it.when, f_date)
            ws.write_string(r, 4, it.kind, f_center)
            ws.write_string(r, 5, it.author, f_center)
            marks = {"县级": it.county_text if it.county else "", **dict(it.upper_reg)}
            for k, lv in enumerate(levels):
                if marks.get(lv):
                    ws.write_string(r, 6 + k, marks[lv], f_center)
                    counts[k] += 1
                else:
                    ws.write_blank(r, 6 + k, None, f_center)
            _put(ws, r, 10, "；".join(it.instructions), f_wrap)
            _put(ws, r, 11, it.note, f_cell)
            r += 1
            if n - 1 in blank_after:
                r += 1  # a row the clerk left empty
        r += 1
        ws.merge_range(r, 0, r, 1, "合计", f_total)
        ws.write_string(r, 2, f"本月共报送{len(month_items)}篇", f_total)
        for c in range(3, 6):
            ws.write_blank(r, c, None, f_total)
        for k in range(4):
            col = chr(ord("G") + k)
            ws.write_formula(r, 6 + k, f"=COUNTA({col}5:{col}{r - 1})", f_total, counts[k])
        ws.write_blank(r, 10, None, f_total)
        ws.write_blank(r, 11, None, f_total)
    notes = wb.add_worksheet("填表说明")
    notes.set_column(0, 0, 90)
    for i, line in enumerate((
        "本台账由县政府办信息科按月登记各乡镇报送的政务信息。",
        "采用情况栏：县级采用打√，编入专报的注明刊物；市级及以上采用由信息科另行登记在采用登记簿中。",
        "领导批示栏：写明批示领导职务，多条批示用分号隔开。",
    )):
        notes.write_string(i, 0, line)
    wb.close()


def _write_dept(path: Path, unit, items: list, year: int, rng: random.Random, *, mapped_author: bool = False):
    """One department's own register: title row, one-row header, no unit column."""
    has_event = unit.name in EVENT_UNITS
    cols = _dept_columns(rng, has_event)
    heads = {c: rng.choice(DEPT_HEADERS[c]) for c in cols}
    if mapped_author:
        heads["撰稿人"] = MAPPED_AUTHOR_HEADER
    text_style = rng.choice(TEXT_DATE_STYLES) if (not has_event and rng.random() < 0.3) else None
    num_format = "yyyy-mm-dd hh:mm" if has_event else rng.choice(DATE_NUM_FORMATS)
    county_style = rng.choice(DEPT_COUNTY_STYLES)
    none_text = rng.choice(("", "", "", "/", "未采用"))
    wb = _workbook(path, year, f"{unit.name}{year}年政务信息报送台账")
    look = _DeptLook(rng, _dept_formats(wb, num_format), text_style, county_style, none_text)
    ws = wb.add_worksheet("报送台账")
    r = _dept_head(ws, unit, year, cols, heads, has_event, look)
    for n, it in enumerate(items, start=1):
        for c, name in enumerate(cols):
            _DEPT_CELLS[name](ws, r, c, n, it, look)
        r += 1
    tail = rng.random()
    if tail < 0.3:
        ws.write_string(r, 0, "合计", look.f["center"])
        ws.write_string(r, cols.index("标题"), f"共{len(items)}条", look.f["cell"])
    elif tail < 0.4:
        r += 1
        ws.write_string(r, 0, f"制表人：{unit.contact}　　审核人：{rng.choice(SURNAMES)}主任")
    if rng.random() < 0.25:
        wb.add_worksheet("Sheet2")
        wb.add_worksheet("Sheet3")
    wb.close()


@dataclass
class _DeptLook:
    """How one departmental register is written: its random source, formats and habits."""

    rng: random.Random
    f: dict  # cell formats by role
    text_style: Optional[str]  # dates mostly typed as text in this style, or None (Excel dates)
    county_style: str  # its wording of a county adoption
    none_text: str  # what it writes when nothing was adopted


def _dept_columns(rng: random.Random, has_event: bool) -> list:
    """The register's columns in order: 报送日期 before 标题 in some, 事件时间 and 备注 in some."""
    cols = ["序号", "标题", "报送日期", "信息类型", "撰稿人", "采用情况", "领导批示"]
    if rng.random() < 0.3:
        cols = ["序号", "报送日期", "标题", "信息类型", "撰稿人", "采用情况", "领导批示"]
    if has_event:
        cols.append("事件时间")
    if rng.random() < 0.5:
        cols.append("备注")
    return cols


def _dept_formats(wb, num_format: str) -> dict:
    centered = {"border": 1, "align": "center", "valign": "vcenter"}
    return {
        "title": wb.add_format({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"}),
        "sub": wb.add_format({"align": "left", "valign": "vcenter"}),
        "head": wb.add_format({"bold": True, "align": "center", "valign": "vcenter", "border": 1,
                               "bg_color": "#E2EFDA"}),
        "cell": wb.add_format({"border": 1, "valign": "vcenter"}),
        "wrap": wb.add_format({"border": 1, "valign": "vcenter", "text_wrap": True}),
        "center": wb.add_format(dict(centered)),
        "date": wb.add_format({**centered, "num_format": num_format}),
        "event": wb.add_format({**centered, "num_format": "yyyy-mm-dd hh:mm"}),
    }


def _dept_head(ws, unit, year: int, cols: list, heads: dict, has_event: bool, look: _DeptLook) -> int:
    """Column widths, the title row, an optional 填报单位 line, the header and print setup; → first data row."""
    width = {"序号": 6, "标题": 50, "报送日期": 17 if has_event else 13, "信息类型": 8, "撰稿人": 9, "采用情况": 20,
             "领导批示": 16, "事件时间": 17, "备注": 10}
    for c, name in enumerate(cols):
        ws.set_column(c, c, width[name])
    last = len(cols) - 1
    ws.merge_range(0, 0, 0, last, f"{unit.name}{year}年政务信息报送台账", look.f["title"])
    ws.set_row(0, 26)
    r = 1
    if look.rng.random() < 0.4:
        ws.merge_range(1, 0, 1, last, f"填报单位：{unit.name}　　　信息员：{unit.contact}", look.f["sub"])
        r = 2
    for c, name in enumerate(cols):
        ws.write_string(r, c, heads[name], look.f["head"])
    ws.freeze_panes(r + 1, 0)
    ws.repeat_rows(r)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    if look.rng.random() < 0.4:
        ws.autofilter(r, 0, r, last)
    return r + 1


# ---- one cell of a departmental register, by column: (ws, row, col, 序号, item, look)

def _dept_date(ws, r, c, n, it, look):
    if look.text_style and look.rng.random() < 0.7:
        ws.write_string(r, c, _text_date(it.when, look.text_style), look.f["center"])
    else:
        ws.write_datetime(r, c, it.when, look.f["date"])


def _dept_adoption(ws, r, c, n, it, look):
    adoption = [it.county_text or look.county_style] if it.county else []
    adoption += [text for _, text in it.upper_reg]
    _put(ws, r, c, "；".join(adoption) if adoption else look.none_text, look.f["cell"])


def _dept_event(ws, r, c, n, it, look):
    if it.event:
        ws.write_datetime(r, c, it.event, look.f["event"])
    else:
        ws.write_blank(r, c, None, look.f["cell"])


_DEPT_CELLS = {
    "序号": lambda ws, r, c, n, it, look: ws.write_number(r, c, n, look.f["center"]),
    "标题": lambda ws, r, c, n, it, look: ws.write_string(r, c, it.title, look.f["wrap"]),
    "报送日期": _dept_date,
    "信息类型": lambda ws, r, c, n, it, look: ws.write_string(r, c, it.kind, look.f["center"]),
    "撰稿人": lambda ws, r, c, n, it, look: ws.write_string(r, c, it.author, look.f["center"]),
    "采用情况": _dept_adoption,
    "领导批示": lambda ws, r, c, n, it, look: _put(ws, r, c, "；".join(it.instructions), look.f["cell"]),
    "事件时间": _dept_event,
    "备注": lambda ws, r, c, n, it, look: _put(ws, r, c, it.note, look.f["cell"]),
}


def _write_csv(path: Path, items: list, rng: random.Random):
    """县直二类补报.csv: what WPS writes on Chinese Windows (GB18030, CRLF, text dates)."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(["序号", "报送单位", "信息标题", "报送日期", "信息类型", "撰稿人", "采用情况", "备注"])
    for n, it in enumerate(items, start=1):
        adoption = it.county_text if it.county else ""
        w.writerow([n, unit_label(rng, it.unit, 0.4), it.title, _text_date(it.when, "slash"), it.kind,
                    it.author, adoption, it.note])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buf.getvalue().encode("gb18030"))


def _write_book(path: Path, rows: list, year: int):
    """采用登记: the office's register of adoptions above the county (no 报送日期: an adoption register)."""
    wb = _workbook(path, year, f"{year}年政务信息采用登记")
    f_title = wb.add_format({"bold": True, "font_size": 14, "align": "center", "valign": "vcenter"})
    f_head = wb.add_format({"bold": True, "align": "center", "valign": "vcenter", "border": 1, "bg_color": "#FCE4D6"})
    f_cell = wb.add_format({"border": 1, "valign": "vcenter"})
    f_center = wb.add_format({"border": 1, "align": "center", "valign": "vcenter"})
    f_date = wb.add_format({"border": 1, "align": "center", "valign": "vcenter", "num_format": "yyyy-mm-dd"})
    ws = wb.add_worksheet(f"{year}年")
    for c, w in enumerate((6, 18, 52, 22, 12)):
        ws.set_column(c, c, w)
    ws.merge_range(0, 0, 0, 4, f"{year}年政务信息市级以上采用登记", f_title)
    ws.set_row(0, 26)
    for c, h in enumerate(("序号", "单位", "信息标题", "采用刊物", "采用日期")):
        ws.write_string(1, c, h, f_head)
    ws.freeze_panes(2, 0)
    ws.repeat_rows(1)
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    for n, (label, title, text, date, _it) in enumerate(rows, start=1):
        r = n + 1
        ws.write_number(r, 0, n, f_center)
        ws.write_string(r, 1, label, f_cell)
        ws.write_string(r, 2, title, f_cell)
        ws.write_string(r, 3, text, f_cell)
        ws.write_datetime(r, 4, date, f_date)
    wb.close()


def dept_file_name(unit, year: int, index: int) -> str:
    label = FILE_LABELS.get(unit.name, unit.name)
    pattern = FILE_PATTERNS[1] if index % 7 == 3 else FILE_PATTERNS[0]
    return "县直部门/" + pattern.format(label=label, year=year)


def _dept_units(roster) -> list:
    return [u for u in roster if u.group in (G_DEPT1, G_DEPT2) and u.name not in CSV_ONLY]


def sample_file_names(roster, year: int = 2025) -> list[Path]:
    """The files write_sample_registers writes (relative to its dest_dir), in writing order.

    Known without generating anything, so `init` can refuse to overwrite before it writes.
    """
    return [
        Path(f"乡镇信息报送台账{year}.xlsx"),
        *(Path(dept_file_name(u, year, i)) for i, u in enumerate(_dept_units(roster))),
        Path(CSV_NAME),
        Path(f"采用登记{year}.xlsx"),
        *disclosure_file_names(year),
        *web_file_names(year),
    ]


def write_sample_registers(dest_dir: Path, roster, *, year: int = 2025, seed: int = 2025) -> list[Path]:
    """Write the example year of registers into dest_dir (normally DIR/workbooks). Returns the files written.

    roster: RosterUnit rows, normally roster_data.ROSTER. Units of group 乡镇 go to the central register,
    县直一类 / 县直二类 units get one file each (a few 县直二类 units report only through the CSV), and
    titles come from roster_data.UNIT_TOPICS (units not listed there write about generic topics).
    """
    dest_dir = Path(dest_dir)
    roster = tuple(roster)
    sy = build_sample(roster, year=year, seed=seed)
    rng = random.Random(seed + 1)
    names = sample_file_names(roster, year)
    written = [dest_dir / n for n in names]
    n_disclosure = len(disclosure_file_names(year))
    written, web = written[:-len(web_file_names(year))], written[-len(web_file_names(year)):]
    central, dept_paths = written[0], written[1:-2 - n_disclosure]
    csv_path, book = written[-2 - n_disclosure], written[-1 - n_disclosure]

    _write_central(central, [it for it in sy.items if it.channel == "town"], year, rng)
    depts = _dept_units(roster)
    mapped = next((u.name for u in depts if u.group == G_DEPT1 and u.name not in EVENT_UNITS), None)
    for u, path in zip(depts, dept_paths):
        items = [it for it in sy.items if it.unit is u and it.channel == "dept"]
        _write_dept(path, u, items, year, rng, mapped_author=(u.name == mapped))
    _write_csv(csv_path, [it for it in sy.items if it.channel == "csv"], rng)
    _write_book(book, sy.book_rows, year)
    write_disclosure_registers(dest_dir, year, seed)
    write_web_registers(dest_dir, roster, year=year, seed=seed)
    return written + web
