"""What every sheet of the ranking workbook shares: fonts and formats, title and header rows, print setup
and the heights of rows whose texts wrap.

In: an xlsxwriter workbook or worksheet and the texts of a row. Out: formats (Styles), rows and page
settings written on the worksheet, row heights in points. Nothing here knows a result's sheets.
"""
from __future__ import annotations

from operator import itemgetter

from ..normalise.text import display_width, per_text_sums

TITLE_FONT = "宋体"
HEADER_FONT = "黑体"
BODY_FONT = "仿宋"
CN_NUM = "一二三四五六七八九十"


def section_number(n: int) -> str:
    """一, 二, … 十 for the first ten sections, then 11, 12, …"""
    return CN_NUM[n] if n < len(CN_NUM) else str(n + 1)


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

    def plain(self) -> dict:
        return {"text": self.text, "center": self.center, "int": self.int, "pts": self.pts, "pct": self.pct}

    def row_formats(self, u: dict) -> dict:
        if u["submitted"] == 0:
            return self.hl["zero"]
        if not u["quota_met"]:
            return self.hl["unmet"]
        return self.plain()


def merged_text(ws, r: int, ncol: int, text: str, fmt):
    """text across columns 0 … ncol-1 of row r, merged."""
    ws.merge_range(r, 0, r, ncol - 1, "", fmt)
    ws.write_string(r, 0, text, fmt)


def title(ws, st, text, ncol):
    merged_text(ws, 0, ncol, text, st.title)
    ws.set_row(0, 32)


def table_head(ws, st, headers, widths, r0=0):
    """A one-row header at row r0 with the columns' widths; the rows above it and it stay in view."""
    for c, (h, w) in enumerate(zip(headers, widths)):
        ws.set_column(c, c, w)
        ws.write_string(r0, c, h, st.head)
    ws.set_row(r0, 30)
    ws.freeze_panes(r0 + 1, 0)


def print_setup(ws, *, landscape=True, repeat=None, fit_width=True, margins=(0.5, 0.6), area=None):
    """A4, centred, one page wide, page numbers in the footer. margins: (left and right, top and bottom) in
    inches; repeat: the rows printed atop every page; area: (last row, last column) of the print area."""
    ws.set_paper(9)  # A4
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    side, ends = margins
    ws.set_margins(left=side, right=side, top=ends, bottom=ends)
    ws.center_horizontally()
    if fit_width:
        ws.fit_to_pages(1, 0)
    if area is not None:
        ws.print_area(0, 0, *area)
    if repeat is not None:
        ws.repeat_rows(*repeat)
    ws.set_footer("&C第 &P 页，共 &N 页")


# ---- row heights ----------------------------------------------------------------------------------

def row_height(values, widths, *, base=15.0, max_lines=8):
    """Row height for wrapped text (xlsxwriter cannot measure text, so Excel and LibreOffice would
    otherwise print wrapped cells on top of the next row); None when one line fits."""
    return _row_heights(widths, base=base, max_lines=max_lines)(values)


def _row_heights(widths, *, base=15.0, max_lines=8):
    """row_height for many rows of one sheet: the columns' room (characters a line) worked out once."""
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


def with_heights(rows, widths, *, base=15.0, max_lines=8):
    """(values, row_height(values, widths)) for each values of rows, in batches: the lines a row needs are
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
