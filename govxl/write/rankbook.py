"""The ranking workbook (spec §7): 排名通报, 得分明细, 采用清单, 信息员排名, 数据问题, 行数核对 and a chart.

Written with xlsxwriter. Every text that came from a register goes through write_string, so a title
starting with = + - @ stays text. The file is deterministic: same inputs, same bytes.
"""
from __future__ import annotations

import datetime as dt
from operator import itemgetter
from pathlib import Path

from ..defaults import LEVELS
from ..errors import ERROR
from ..normalise.text import display_width, per_text_sums
from .xlsxstream import write_text

FIXED_TIME = dt.datetime(2000, 1, 1)
TITLE_FONT = "宋体"
HEADER_FONT = "黑体"
BODY_FONT = "仿宋"
CN_NUM = "一二三四五六七八九十"

# 排名通报 columns: (header, sub-header or None, width, key)
RANK_COLUMNS = [
    ("排名", None, 6, "rank"),
    ("单位", None, 22, "unit"),
    ("报送篇数", None, 7, "submitted"),
    ("累计报送", None, 7, "ytd_submitted"),
    *[("采用篇数（按级别）", lv, 6.5, ("level", lv)) for lv in LEVELS],
    ("采用篇数", None, 7, "adopted"),
    ("采用率", None, 8, "adoption_rate"),
    ("批示", None, 6, "instructions"),
    ("得分", None, 8, "points"),
    ("累计得分", None, 8, "ytd_points"),
    ("累计排名", None, 7, "ytd_rank"),
    ("排名变化", None, 7, "rank_change"),
    ("任务", None, 6, "quota"),
    ("完成情况", None, 14, "status"),
]


def _status(u: dict) -> str:
    if u["submitted"] == 0:
        return "零报送"
    if u["quota_met"]:
        return "完成"
    return f"未完成（差{u['shortfall']}篇）"


class Styles:
    def __init__(self, wb):
        base = {"font_name": BODY_FONT, "font_size": 11, "valign": "vcenter"}
        cell = dict(base, border=1)
        self.title = wb.add_format({"font_name": TITLE_FONT, "font_size": 18, "bold": True, "align": "center", "valign": "vcenter"})
        self.subtitle = wb.add_format(dict(base, align="center", font_size=11))
        self.alert = wb.add_format(dict(base, align="center", font_size=11, bold=True, font_color="#C00000",
                                        text_wrap=True))
        self.section = wb.add_format({"font_name": HEADER_FONT, "font_size": 12, "valign": "vcenter"})
        self.head = wb.add_format({"font_name": HEADER_FONT, "font_size": 11, "bold": False, "border": 1, "align": "center",
                                   "valign": "vcenter", "text_wrap": True, "bg_color": "#D9E1F2"})
        self.text = wb.add_format(dict(cell, text_wrap=True))
        self.center = wb.add_format(dict(cell, align="center"))
        self.int = wb.add_format(dict(cell, align="center", num_format="0"))
        self.pts = wb.add_format(dict(cell, align="center", num_format="0.0"))
        self.pct = wb.add_format(dict(cell, align="center", num_format="0.0%"))
        self.date = wb.add_format(dict(cell, align="center", num_format="yyyy-mm-dd"))
        self.note = wb.add_format(dict(base, font_size=10, text_wrap=True, valign="top"))
        # highlighted rows: 零报送 red, 未完成 yellow
        self.hl = {}
        for name, color in (("zero", "#F8CBAD"), ("unmet", "#FFF2CC")):
            self.hl[name] = {
                "text": wb.add_format(dict(cell, text_wrap=True, bg_color=color)),
                "center": wb.add_format(dict(cell, align="center", bg_color=color)),
                "int": wb.add_format(dict(cell, align="center", num_format="0", bg_color=color)),
                "pts": wb.add_format(dict(cell, align="center", num_format="0.0", bg_color=color)),
                "pct": wb.add_format(dict(cell, align="center", num_format="0.0%", bg_color=color)),
            }

    def row_formats(self, u: dict) -> dict:
        if u["submitted"] == 0:
            return self.hl["zero"]
        if not u["quota_met"]:
            return self.hl["unmet"]
        return {"text": self.text, "center": self.center, "int": self.int, "pts": self.pts, "pct": self.pct}


def _put(ws, r, c, value, fmt):
    """Write a value with the right xlsxwriter call; text always as a string (never a formula)."""
    if type(value) is str:  # the common case first
        if value:
            write_text(ws, r, c, value, fmt)
        else:
            ws.write_blank(r, c, None, fmt)
        return
    if value is None or value == "":
        ws.write_blank(r, c, None, fmt)
    elif isinstance(value, bool):
        ws.write_string(r, c, "是" if value else "否", fmt)
    elif isinstance(value, (int, float)):
        ws.write_number(r, c, value, fmt)
    elif isinstance(value, (dt.datetime, dt.date)):
        if not isinstance(value, dt.datetime):
            value = dt.datetime(value.year, value.month, value.day)
        ws.write_datetime(r, c, value, fmt)
    else:
        write_text(ws, r, c, str(value), fmt)




def _row_height(values, widths, *, base=15.0, max_lines=8):
    """Row height for wrapped text (xlsxwriter cannot measure text, so Excel and LibreOffice would
    otherwise print wrapped cells on top of the next row); None when one line fits."""
    return _row_heights(widths, base=base, max_lines=max_lines)(values)


def _row_heights(widths, *, base=15.0, max_lines=8):
    """_row_height for many rows of one sheet: the columns' room (characters a line) worked out once."""
    import math

    rooms = _rooms(widths)
    ceil = math.ceil

    def height(values):
        lines = 1
        for v, room in zip(values, rooms):
            if isinstance(v, str) and v:
                if 2 * len(v) <= room * lines:
                    continue  # even all double-width it fits in the lines already needed: cannot raise them
                n = ceil(display_width(v) / room)
                if n > lines:
                    lines = n
        return _height_of(lines, base, max_lines)

    return height


def _rooms(widths) -> list:
    """Characters a line of each column holds (its width less a character of padding)."""
    return [max(w - 1, 1) for w in widths]


def _height_of(lines: int, base: float, max_lines: int):
    """The height of a row whose texts need `lines` lines; None for one line (the default height)."""
    return base * min(lines, max_lines) if lines > 1 else None


_WIDTH_LUT = []  # display width of each BMP character (numpy), made on first use
_BATCH = 4096  # rows whose heights are worked out together
_BATCH_MIN = 256  # fewer rows are measured one by one


def _bmp_widths():
    if not _WIDTH_LUT:
        import unicodedata

        import numpy as np

        _WIDTH_LUT.append(np.fromiter((2 if unicodedata.east_asian_width(chr(c)) in "WF" else 1 for c in range(0x10000)),
                                      dtype=np.int64, count=0x10000))
    return _WIDTH_LUT[0]


def _column_widths(texts: list):
    """[display_width(t) for t in texts] (numpy ints), counted over the texts' code points; None when a
    text holds NUL or a lone surrogate, or a character beyond the BMP."""
    def widths(a):
        return None if a.size and int(a.max()) >= 0x10000 else _bmp_widths()[a]

    sums = per_text_sums(texts, widths)
    return None if sums is None else sums[0]


_STR_ONLY = {str}


def _with_heights(rows, widths, *, base=15.0, max_lines=8):
    """(values, _row_height(values, widths)) for each values of rows, in batches: the lines a row needs are
    the most any of its texts needs, ceil(display width / room), and the widths of a batch's texts are
    counted column by column in numpy rather than text by text."""
    import numpy as np

    height = _row_heights(widths, base=base, max_lines=max_lines)
    rooms = _rooms(widths)

    def heights(batch: list) -> list:
        if len(batch) < _BATCH_MIN:  # a county's few rows: not worth the table of widths
            return [height(v) for v in batch]
        lines = np.ones(len(batch), dtype=np.int64)
        for j, room in enumerate(rooms):
            col = list(map(itemgetter(j), batch))
            if set(map(type, col)) != _STR_ONLY:
                col = [v if isinstance(v, str) else "" for v in col]
            dw = _column_widths(col)
            if dw is None:
                return [height(v) for v in batch]
            np.maximum(lines, -(-dw // room), out=lines)
        return [_height_of(n, base, max_lines) for n in lines.tolist()]

    batch = []
    for values in rows:
        batch.append(values)
        if len(batch) == _BATCH:
            yield from zip(batch, heights(batch))
            batch = []
    if batch:
        yield from zip(batch, heights(batch))


def _print_setup(ws, *, landscape=True, repeat=None, fit_width=True):
    ws.set_paper(9)  # A4
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
    ws.center_horizontally()
    if fit_width:
        ws.fit_to_pages(1, 0)
    if repeat is not None:
        ws.repeat_rows(*repeat)
    ws.set_footer("&C第 &P 页，共 &N 页")


def output_name(office: str, period_title: str) -> str:
    from .safeio import output_stem

    return f"{output_stem(office, period_title)}.xlsx"


def write_rankbook(path: Path, result: dict, read, *, big: bool = False) -> Path:
    """Write the ranking workbook for a score result. `read` is the registers.ReadResult behind it."""
    import xlsxwriter

    path = Path(path)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False, "constant_memory": False})
    title = f"{result.get('office', '')}{result['period']['title']}政务信息报送采用情况通报"
    wb.set_properties({"title": title, "author": "govxl", "company": result.get("office", ""),
                       "created": FIXED_TIME, "comments": "由 govxl 生成"})
    st = Styles(wb)
    streams = []  # RowStreams (None: a sheet with nothing to stream)
    try:
        rank = wb.add_worksheet("排名通报")  # the first sheet, filled once the detail rows are under way
        streams.append(_detail_sheet(wb, st, result))
        streams[-1].render_aside()  # the big detail rows are made on the other core meanwhile
        _rank_sheet(rank, st, result)
        streams.append(_adopted_sheet(wb, st, result))
        _commission_sheet(wb, st, result)
        _adjustments_sheet(wb, st, result)
        streams.append(_authors_sheet(wb, st, result))
        _assessment_sheet(wb, st, result)
        _trend_sheet(wb, st, result)
        streams.append(_problems_sheet(wb, st, result))
        _rows_sheet(wb, st, result, read)
        _chart_sheet(wb, st, result)
        wb.close()
        from .xlsxstream import splice

        splice(path, [s for s in streams if s is not None])
    finally:
        for s in streams:
            if s is not None:
                s.discard_aside()
    return path


def _rank_sheet(ws, st, result):
    ncol = len(RANK_COLUMNS)
    period = result["period"]
    title = f"{result.get('office', '')}{period['title']}政务信息报送采用情况通报"
    ws.set_row(0, 36)
    ws.merge_range(0, 0, 0, ncol - 1, "", st.title)
    ws.write_string(0, 0, title, st.title)
    t = result["totals"]
    sub = (f"统计期间：{period['start']} 至 {period['end']}　　全县报送 {t['submitted']} 篇，采用 {t['adopted']} 篇，"
           f"采用率 {t['adoption_rate'] * 100:.1f}%")
    alerts = result.get("alerts") or []
    if alerts:  # a period without data must not pass for a report: said in red under the title
        ws.set_row(1, 16 * (1 + len(alerts)) + 6)
        sub = "\n".join([sub, *(f"注意：{a}" for a in alerts)])
    ws.merge_range(1, 0, 1, ncol - 1, "", st.alert if alerts else st.subtitle)
    ws.write_string(1, 0, sub, st.alert if alerts else st.subtitle)
    for c, (_, _, width, _) in enumerate(RANK_COLUMNS):
        ws.set_column(c, c, width)
    # header (two rows; 采用 split by level)
    h0, h1 = 2, 3
    _rank_header(ws, st, h0)
    ws.freeze_panes(h1 + 1, 2)
    _print_setup(ws, repeat=(h0, h1))
    r = h1 + 1
    groups = result.get("groups") or []
    sections = [(g, [u for u in result["units"] if u["group"] == g], "group_rank") for g in groups]
    sections.append(("全部单位", list(result["units"]), "rank"))
    for n, (name, units, rank_key) in enumerate(sections):
        label = f"{CN_NUM[n] if n < len(CN_NUM) else n + 1}、{name}（{len(units)}个单位）"
        ws.merge_range(r, 0, r, ncol - 1, "", st.section)
        ws.write_string(r, 0, label, st.section)
        ws.set_row(r, 22)
        r += 1
        for u in units:
            f = st.row_formats(u)
            for c, (_, _, _, key) in enumerate(RANK_COLUMNS):
                if key == "rank":
                    _put(ws, r, c, u[rank_key], f["int"])
                elif key == "unit":
                    _put(ws, r, c, u["unit"], f["text"])
                elif isinstance(key, tuple):
                    _put(ws, r, c, u["adopted_by_level"][key[1]], f["int"])
                elif key == "adoption_rate":
                    _put(ws, r, c, u["adoption_rate"], f["pct"])
                elif key in ("points", "ytd_points"):
                    _put(ws, r, c, u.get(key, 0.0), f["pts"])
                elif key == "status":
                    _put(ws, r, c, _status(u), f["center"])
                elif key == "rank_change":
                    _put(ws, r, c, u.get("rank_change", "—"), f["center"])
                elif key == "quota":
                    _put(ws, r, c, u["quota"], f["pts"] if isinstance(u["quota"], float) else f["int"])
                else:
                    _put(ws, r, c, u.get(key, 0), f["int"])
            r += 1
        r += 1
    notes = ["注：1. 红色底纹为本期零报送单位，黄色底纹为未完成报送任务单位。",
             "2. 分组表中“排名”为组内排名，“全部单位”表中为总排名；得分相同并列，按采用篇数、报送篇数、名册顺序排列。",
             "3. 每一分的来源见“得分明细”工作表，数据问题见“数据问题”工作表。“得分明细”“月度趋势”供在屏幕上筛选查看"
             "（表头可筛选），其余各表按 A4 打印排版。"]
    for line in notes:
        ws.merge_range(r, 0, r, ncol - 1, "", st.note)
        ws.write_string(r, 0, line, st.note)
        r += 1


def _rank_header(ws, st, h0):
    h1 = h0 + 1
    c = 0
    ws.set_row(h0, 20)
    ws.set_row(h1, 20)
    while c < len(RANK_COLUMNS):
        head, sub, _, _ = RANK_COLUMNS[c]
        if sub is None:
            ws.merge_range(h0, c, h1, c, "", st.head)
            ws.write_string(h0, c, head, st.head)
            c += 1
            continue
        span = [i for i in range(c, len(RANK_COLUMNS)) if RANK_COLUMNS[i][0] == head]
        ws.merge_range(h0, span[0], h0, span[-1], "", st.head)
        ws.write_string(h0, span[0], head, st.head)
        for i in span:
            ws.write_string(h1, i, RANK_COLUMNS[i][1], st.head)
        c = span[-1] + 1


def _table(ws, st, headers, widths, r0=0):
    for c, (h, w) in enumerate(zip(headers, widths)):
        ws.set_column(c, c, w)
        ws.write_string(r0, c, h, st.head)
    ws.set_row(r0, 30)
    ws.freeze_panes(r0 + 1, 0)


def _title(ws, st, text, ncol):
    ws.merge_range(0, 0, 0, ncol - 1, "", st.title)
    ws.write_string(0, 0, text, st.title)
    ws.set_row(0, 32)


def _detail_sheet(wb, st, result):
    """得分明细: one row per scored item of the period, then the period's duplicates (worth nothing).

    A province year is half a million rows: the rows are streamed into the closed workbook
    (xlsxstream.RowStream, the XML xlsxwriter's constant_memory mode writes), not written cell by cell."""
    from .detail import detail_columns
    from .xlsxstream import RowStream

    ws = _streamed_sheet(wb, "得分明细")
    headers = ["序号", "单位", "信息标题", "报送日期", "信息类型", "撰稿人", "采用情况", "批示情况",
               "报送分", "采用分", "批示分", "其他加减分", "本篇得分", "计分依据", "来源（文件 › 工作表 › 行）"]
    widths = [5, 16, 40, 11, 7, 8, 18, 14, 6, 6, 6, 7, 7, 40, 30]
    fmts = [st.int, st.text, st.text, st.date, st.center, st.center, st.text, st.text, st.pts, st.pts, st.pts, st.pts,
            st.pts, st.text, st.text]
    _title(ws, st, f"{result['period']['title']}得分明细", len(headers))
    _table(ws, st, headers, widths, 1)
    # for filtering on screen (15 columns cannot be read squeezed onto one page): printed at its own
    # size, 序号 and 单位 repeated on the pages to the right
    _print_setup(ws, repeat=(1, 1), fit_width=False)
    ws.repeat_columns(0, 1)
    columns = detail_columns(result)
    nrows = len(columns[0])
    ws.autofilter(1, 0, max(1 + nrows, 1), len(headers) - 1)
    return RowStream(wb, ws, 2, nrows, fmts, _numbered(columns, widths), before=(st.title, st.head),
                     rows_from=_numbered(columns, widths))


def _numbered(columns: list, widths: list):
    """rows(start): the rows of columns from the start-th on, each with its 序号 first and its height."""
    def rows(start=0):
        values = ([n, *row] for n, row in enumerate(zip(*(c[start:] for c in columns)), start + 1))
        return _with_heights(values, widths)

    return rows


def _streamed_sheet(wb, name):
    """A sheet whose data rows are streamed (xlsxstream): added in constant_memory mode, so its own title
    and header rows are written as the streamed rows are (inline strings)."""
    saved, wb.constant_memory = wb.constant_memory, True
    try:
        return wb.add_worksheet(name)
    finally:
        wb.constant_memory = saved


def _unit_index(result, unit):
    from .detail import NOT_LISTED, unit_places

    return unit_places(result).get(unit, NOT_LISTED)


def _adopted_sheet(wb, st, result):
    from .detail import adopted_columns
    from .xlsxstream import RowStream

    ws = _streamed_sheet(wb, "采用清单")
    headers = ["序号", "单位", "信息标题", "报送日期", "采用情况", "最高采用级别", "采用得分"]
    widths = [5, 18, 50, 11, 30, 10, 8]
    _title(ws, st, f"{result['period']['title']}信息采用清单", len(headers))
    _table(ws, st, headers, widths, 1)
    _print_setup(ws, repeat=(1, 1))
    fmts = [st.int, st.text, st.text, st.date, st.text, st.center, st.pts]
    columns = adopted_columns(result)
    return RowStream(wb, ws, 2, len(columns[0]), fmts, _numbered(columns, widths), before=(st.title, st.head))


def _commission_sheet(wb, st, result):
    lines = result.get("_commissions") or []
    if not lines:
        return
    ws = wb.add_worksheet("约稿完成情况")
    headers = ["序号", "单位", "约稿主题", "下达日期", "截止日期", "完成日期", "完成情况", "得分", "来源"]
    widths = [5, 18, 40, 11, 11, 11, 10, 7, 30]
    _title(ws, st, f"{result['period']['title']}约稿完成情况", len(headers))
    _table(ws, st, headers, widths, 1)
    _print_setup(ws, repeat=(1, 1))
    r = 2
    for n, (c, pts, status) in enumerate(sorted(lines, key=lambda t: (_unit_index(result, t[0].unit), t[0].deadline)), 1):
        vals = [n, c.unit, c.topic, c.issued, c.deadline, c.done, status, pts, f"{c.file} › {c.sheet} › 第{c.row}行"]
        fmts = [st.int, st.text, st.text, st.date, st.date, st.date, st.center, st.pts, st.text]
        for col, (v, f) in enumerate(zip(vals, fmts)):
            _put(ws, r, col, v, f)
        r += 1


def _authors_sheet(wb, st, result):
    """信息员排名, its rows streamed (a province month has thousands of authors): the RowStream, or None."""
    from .xlsxstream import RowStream

    ws = _streamed_sheet(wb, "信息员排名")
    headers = ["排名", "信息员", "单位", "报送篇数", "采用篇数", "得分"]
    widths = [6, 12, 22, 9, 9, 9]
    _title(ws, st, f"{result['period']['title']}信息员排名", len(headers))
    _table(ws, st, headers, widths, 1)
    _print_setup(ws, landscape=False, repeat=(1, 1))
    authors = result.get("authors") or ()
    if not authors:
        ws.write_string(2, 0, "登记表中没有“撰稿人/信息员”列，无法排名。", st.note)
        return None
    fmts = [st.int, st.text, st.text, st.int, st.int, st.pts]

    def rows():
        for a in authors:
            yield [a["rank"], a["author"], a["unit"], a["submitted"], a["adopted"], a["points"]], None

    return RowStream(wb, ws, 2, len(authors), fmts, rows, before=(st.title, st.head))


def _problems_sheet(wb, st, result):
    """数据问题, its rows streamed (a province year can have thousands): the RowStream, or None."""
    from .xlsxstream import RowStream

    ws = _streamed_sheet(wb, "数据问题")
    headers = ["序号", "类型", "文件", "工作表", "行", "列", "问题说明"]
    widths = [5, 6, 34, 12, 6, 5, 70]
    _title(ws, st, "数据问题（错误行未计分，请改正登记表后重新运行）", len(headers))
    _table(ws, st, headers, widths, 1)
    _print_setup(ws, repeat=(1, 1))
    # score_loaded hands the problems over late (the suspected duplicates may still be being compared)
    problems = result["_problems"]() if callable(result.get("_problems")) else result.get("problems") or ()
    if not problems:
        ws.write_string(2, 0, "没有发现数据问题。", st.note)
        return None
    fmts = [st.int, st.center, st.text, st.text, st.int, st.center, st.text]

    def values():
        for n, p in enumerate(problems, 1):
            yield [n, "错误" if p["severity"] == ERROR else "提示", p.get("file") or "", p.get("sheet") or "",
                   p.get("row"), p.get("column") or "", p["message"]]

    def rows():
        return _with_heights(values(), widths)

    return RowStream(wb, ws, 2, len(problems), fmts, rows, before=(st.title, st.head))


def _rows_sheet(wb, st, result, read):
    ws = wb.add_worksheet("行数核对")
    headers = ["文件", "工作表", "登记表类型", "表头行", "读取行数", "计入", "重复", "错误", "空行/合计行", "核对"]
    widths = [40, 14, 10, 7, 9, 7, 7, 7, 10, 8]
    _title(ws, st, "行数核对：读取行数 = 计入 + 重复 + 错误 + 空行/合计行", len(headers))
    _table(ws, st, headers, widths, 1)
    _print_setup(ws, repeat=(1, 1))
    kinds = {"items": "报送台账", "adoptions": "采用登记", "commission": "约稿登记"}
    r = 2
    for file, sheet, kind, header_row in (read.sheets if read is not None else ()):
        c = read.sheet_rows.get((file, sheet), {})
        vals = [file, sheet, kinds.get(kind, kind), header_row, c.get("read", 0), c.get("counted", 0),
                c.get("duplicate", 0), c.get("error", 0), c.get("skipped", 0)]
        ok = vals[4] == sum(vals[5:9])
        fmts = [st.text, st.text, st.center, st.int, st.int, st.int, st.int, st.int, st.int]
        for col, (v, f) in enumerate(zip(vals, fmts)):
            _put(ws, r, col, v, f)
        _put(ws, r, 9, "一致" if ok else "不一致", st.center)
        r += 1
    rows = result["rows"]
    vals = ["合计", "", "", None, rows["read"], rows["counted"], rows["duplicate"], rows["error"], rows["skipped"]]
    fmts = [st.head, st.head, st.head, st.head, st.int, st.int, st.int, st.int, st.int]
    for col, (v, f) in enumerate(zip(vals, fmts)):
        _put(ws, r, col, v, f)
    ok = rows["read"] == rows["counted"] + rows["duplicate"] + rows["error"] + rows["skipped"]
    _put(ws, r, 9, "一致" if ok else "不一致", st.center)


CHART_BARS = 30  # bars in one chart: more and their labels cannot be read when printed


def _chart_sheet(wb, st, result):
    """得分图表, for printing: one bar chart per group (a group's units in rank order, at most CHART_BARS),
    stacked on A4 portrait pages; the figures behind them beside, in columns A–B."""
    ws = wb.add_worksheet("得分图表")
    units = result["units"]
    if not units:
        return
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 8)
    groups = list(result.get("groups") or []) or sorted({u["group"] for u in units})
    breaks = []  # each group's chart on a page of its own
    r = 0  # the row of the next group's figures and chart (rows are the default 20 px)
    for g in groups:
        members = sorted((u for u in units if u["group"] == g), key=lambda u: (u["group_rank"], u["order"]))
        if not members:
            continue
        shown = members[:CHART_BARS]
        ws.write_string(r, 0, f"{g}（单位）", st.head)
        ws.write_string(r, 1, "得分", st.head)
        for i, u in enumerate(shown, r + 1):
            write_text(ws, i, 0, u["unit"], st.text)
            ws.write_number(i, 1, u["points"], st.pts)
        n = len(shown)
        chart = wb.add_chart({"type": "bar"})
        chart.add_series({
            "name": "得分",
            "categories": ["得分图表", r + 1, 0, r + n, 0],
            "values": ["得分图表", r + 1, 1, r + n, 1],
            "data_labels": {"value": True, "num_format": "0.0", "font": {"name": BODY_FONT, "size": 9}},
            "fill": {"color": "#4472C4"},
            "gap": 60,
        })
        more = f"（前{CHART_BARS}名，共{len(members)}个单位）" if len(members) > n else ""
        chart.set_title({"name": f"{result['period']['title']}{g}得分{more}",
                         "name_font": {"name": TITLE_FONT, "size": 13}})
        chart.set_y_axis({"reverse": True, "num_font": {"name": BODY_FONT, "size": 10}, "interval_unit": 1})
        chart.set_x_axis({"num_font": {"name": BODY_FONT, "size": 9}, "major_gridlines": {"visible": True}})
        chart.set_legend({"none": True})
        height = 26 * n + 90
        chart.set_size({"width": 620, "height": height})
        ws.insert_chart(r, 3, chart)
        if r:
            breaks.append(r)
        r += max(n + 2, -(-(height + 40) // 20))
    ws.set_h_pagebreaks(breaks)
    _print_setup(ws, landscape=False)


def _adjustments_sheet(wb, st, result):
    adj = result.get("_adjustments") or []
    if not adj:
        return
    ws = wb.add_worksheet("单位加减分")
    headers = ["序号", "单位", "计分项目", "分值", "说明"]
    widths = [5, 22, 18, 8, 50]
    _title(ws, st, f"{result['period']['title']}单位加减分（基础分、缺报、季度采用率、清零等）", len(headers))
    _table(ws, st, headers, widths, 1)
    _print_setup(ws, landscape=False, repeat=(1, 1))
    rows = sorted(adj, key=lambda a: (_unit_index(result, a[0]), a[1], a[3]))
    for n, (unit, rule, pts, note) in enumerate(rows, 1):
        for c, (v, f) in enumerate(zip([n, unit, rule, pts, note], [st.int, st.text, st.center, st.pts, st.text])):
            _put(ws, n + 1, c, v, f)


def _assessment_sheet(wb, st, result):
    a = result.get("assessment")
    if not a:
        return
    ws = wb.add_worksheet("年度考核")
    headers = ["组内排名", "单位", "全年得分", "报送篇数", "全年任务", "任务完成", "评定", "零报送月份", "说明"]
    widths = [7, 22, 9, 8, 8, 8, 10, 30, 24]
    ncol = len(headers)
    _title(ws, st, f"{result.get('office', '')}{result['period']['title']}政务信息工作年度考核", ncol)
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    _print_setup(ws)
    r = 1
    for n, g in enumerate(a["groups"]):
        ws.merge_range(r, 0, r, ncol - 1, "", st.section)
        ws.write_string(r, 0, f"{CN_NUM[n] if n < len(CN_NUM) else n + 1}、{g['group']}（表彰名额 {a['awards_per_group']} 个）",
                        st.section)
        r += 1
        for c, h in enumerate(headers):
            ws.write_string(r, c, h, st.head)
        r += 1
        for u in g["units"]:
            f = st.hl["zero"] if u["zero_months"] else (st.hl["unmet"] if not u["quota_met"] else
                                                       {"text": st.text, "center": st.center, "int": st.int, "pts": st.pts})
            vals = [u["group_rank"], u["unit"], u["points"], u["submitted"], u["quota"],
                    "完成" if u["quota_met"] else "未完成", "先进单位" if u["advanced"] else "",
                    "、".join(m[-2:].lstrip("0") + "月" for m in u["zero_months"]), u["not_eligible"]]
            fmts = [f["int"], f["text"], f["pts"], f["int"], f["int"], f["center"], f["center"], f["text"], f["text"]]
            for c, (v, fm) in enumerate(zip(vals, fmts)):
                _put(ws, r, c, v, fm)
            r += 1
        r += 1
    ws.merge_range(r, 0, r, ncol - 1, "", st.note)
    ws.write_string(r, 0, "注：红色底纹为有零报送月份的单位，黄色底纹为未完成全年报送任务的单位；“说明”列为不参加评先的原因。", st.note)


def _trend_sheet(wb, st, result):
    trend = result.get("trend")
    if not trend or not trend["months"]:
        return
    ws = wb.add_worksheet("月度趋势")
    months = trend["months"]
    nm = len(months)
    labels = [f"{int(m[-2:])}月" for m in months]
    ncol = 2 + 2 * nm
    _title(ws, st, f"{months[0][:4]}年各单位月度得分与排名", ncol)
    ws.merge_range(1, 0, 2, 0, "", st.head)
    ws.write_string(1, 0, "单位", st.head)
    ws.merge_range(1, 1, 2, 1, "", st.head)
    ws.write_string(1, 1, "分组", st.head)
    if nm > 1:
        ws.merge_range(1, 2, 1, 1 + nm, "", st.head)
        ws.merge_range(1, 2 + nm, 1, 1 + 2 * nm, "", st.head)
    ws.write_string(1, 2, "月度得分", st.head)
    ws.write_string(1, 2 + nm, "月度排名", st.head)
    for i, lab in enumerate(labels):
        ws.write_string(2, 2 + i, lab, st.head)
        ws.write_string(2, 2 + nm + i, lab, st.head)
    ws.set_column(0, 0, 20)
    ws.set_column(1, 1, 9)
    ws.set_column(2, ncol - 1, 5.5)
    ws.freeze_panes(3, 1)
    # for the screen, like 得分明细: a year is 26 columns; 单位 and 分组 repeat on printed pages
    _print_setup(ws, repeat=(1, 2), fit_width=False)
    ws.repeat_columns(0, 1)
    order = [u["unit"] for u in sorted(result["units"], key=lambda u: u["order"])]
    group = {u["unit"]: u["group"] for u in result["units"]}
    for r, name in enumerate(order, 3):
        t = trend["units"][name]
        _put(ws, r, 0, name, st.text)
        _put(ws, r, 1, group[name], st.center)
        for i in range(nm):
            _put(ws, r, 2 + i, t["points"][i], st.pts)
            _put(ws, r, 2 + nm + i, t["ranks"][i], st.int)
    ws.autofilter(2, 0, 2 + len(order), ncol - 1)
    # one line per group (its units' average points a month): a line per unit would be sixty tangled
    # lines; each unit's own figures are in the table above
    groups = list(result.get("groups") or []) or sorted(set(group.values()))
    r0 = 4 + len(order)
    _put(ws, r0, 0, "各组平均得分", st.head)
    _put(ws, r0, 1, "单位数", st.head)
    for i, lab in enumerate(labels):
        _put(ws, r0, 2 + i, lab, st.head)
    chart = wb.add_chart({"type": "line"})
    for k, g in enumerate(groups, 1):
        names = [n for n in order if group[n] == g]
        _put(ws, r0 + k, 0, g, st.text)
        _put(ws, r0 + k, 1, len(names), st.int)
        for i in range(nm):
            avg = sum(trend["units"][n]["points"][i] for n in names) / len(names) if names else 0.0
            _put(ws, r0 + k, 2 + i, round(avg, 2), st.pts)
        chart.add_series({"name": ["月度趋势", r0 + k, 0], "categories": ["月度趋势", 2, 2, 2, 1 + nm],
                          "values": ["月度趋势", r0 + k, 2, r0 + k, 1 + nm], "marker": {"type": "circle", "size": 5},
                          "line": {"width": 2.25}})
    chart.set_title({"name": "各组单位平均得分月度变化", "name_font": {"name": TITLE_FONT, "size": 12}})
    chart.set_legend({"position": "bottom", "font": {"name": BODY_FONT, "size": 10}})
    chart.set_x_axis({"num_font": {"name": BODY_FONT, "size": 10}})
    chart.set_y_axis({"num_font": {"name": BODY_FONT, "size": 10}, "major_gridlines": {"visible": True}})
    # as wide as the table above (≈ 7 px a character of column width), so it prints on the table's page
    chart.set_size({"width": max(480, int((29 + 5.5 * nm) * 7)), "height": 380})
    ws.insert_chart(r0 + len(groups) + 2, 0, chart)
