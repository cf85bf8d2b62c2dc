"""Cells through xlsxwriter's public API: every value govxl puts in a workbook is written here.

In: an xlsxwriter worksheet, a 0-based row and column (or rows of values), Python values (text,
number, date, bool, None) and formats. Out: the cells, written with write_string, write_number,
write_datetime, write_blank, write_rich_string and set_row — never write(), which guesses a cell's type
from its text, so a register's text stays text whatever it looks like (=SUM(A1), http://…, 007).

The long sheets' rows after the first are not written here but streamed (xlsxstream), with the same
rules for each kind of value.
"""
from __future__ import annotations

import datetime as dt


def write_text(ws, row: int, col: int, text: str, fmt=None):
    """ws.write_string(row, col, text, fmt), for any text — also one xlsxwriter would take for rich-string
    XML of its own: a text that starts with "<r>" and ends with "</r>" is written unescaped (a register's
    "<r>A & B</r>" made the whole workbook unreadable, "<r><t>x</t></r>" showed as "x"). Such a text is
    written as a rich string of three plain runs, which xlsxwriter escapes: the cell shows the text."""
    if text.startswith("<r>") and text.endswith("</r>"):
        return ws.write_rich_string(row, col, text[:1], text[1:2], text[2:], *(() if fmt is None else (fmt,)))
    return ws.write_string(row, col, text, fmt)


def put(ws, r: int, c: int, value, fmt):
    """Write a value with the right xlsxwriter call; text always as a string (never a formula), a bool as
    是/否, a date as a date, None and "" as a blank cell with the format."""
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


def put_row(ws, r: int, values, formats) -> None:
    """put() each value of a row into columns 0, 1, … with the format of its column."""
    for c, (v, f) in enumerate(zip(values, formats)):
        put(ws, r, c, v, f)

