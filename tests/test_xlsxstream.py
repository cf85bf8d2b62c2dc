"""Streamed rows (govxl/xlsxstream.py) are the XML xlsxwriter writes for the same cells.

Each workbook is written twice — cell by cell with xlsxwriter in constant_memory mode (what the
得分明细 sheet used to be), and with the rows streamed into the closed file — and every part of the two
.xlsx files must be byte-identical once unzipped. Then the streamed file is read back by openpyxl.
"""
from __future__ import annotations

import datetime as dt
import zipfile

import openpyxl
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govxl import rankbook as R
from govxl.xlsxstream import RowStream, splice

WIDTHS = [5, 16, 40, 11, 8, 6]

def _not_rich(s: str) -> bool:
    # xlsxwriter takes a text "<r>…</r>" for ready-made rich-string XML and writes it unescaped (a title
    # typed that way would break the file); the stream escapes it: the one intended difference
    return not (s.startswith("<r>") and s.endswith("</r>"))


text = st.one_of(
    st.text(max_size=60).filter(_not_rich),
    st.sampled_from(["", " 前后空格 ", "a&b<c>d\"e'", "_x0041_", "行\n换行", "\x01控制\x1f", "\ufffe", "=SUM(A1)",
                     "长" * 40, "x" * 33000, "🙂" * 17000]),
)
number = st.one_of(st.integers(min_value=-10**15, max_value=10**15),
                   st.floats(allow_nan=False, allow_infinity=False))
when = st.one_of(st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
                 st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)))
row = st.tuples(number, text, text, when, st.one_of(st.none(), text), number)


def _book(path, rows, streamed: bool):
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False})
    wb.set_properties({"created": R.FIXED_TIME})
    st_ = R.Styles(wb)
    first = wb.add_worksheet("前表")
    first.write_string(0, 0, "普通工作表", st_.head)
    saved, wb.constant_memory = wb.constant_memory, True
    ws = wb.add_worksheet("得分明细")
    wb.constant_memory = saved
    headers = ["序号", "单位", "信息标题", "报送日期", "撰稿人", "本篇得分"]
    fmts = [st_.int, st_.text, st_.text, st_.date, st_.center, st_.pts]
    R._title(ws, st_, "得分明细", len(headers))
    R._table(ws, st_, headers, WIDTHS, 1)
    R._print_setup(ws, repeat=(1, 1))
    streams = []
    if streamed:
        def gen():
            for vals in rows:
                yield list(vals), R._row_height(list(vals), WIDTHS)

        streams.append(RowStream(wb, ws, 2, len(rows), fmts, gen, before=(st_.title, st_.head)))
    else:
        for r, vals in enumerate(rows, 2):
            for c, (v, f) in enumerate(zip(vals, fmts)):
                R._put(ws, r, c, v, f)
            R._fit_row(ws, r, list(vals), WIDTHS)
    ws.autofilter(1, 0, max(1 + len(rows), 1), len(headers) - 1)
    last = wb.add_worksheet("后表")
    last.write_number(0, 0, 1.5, st_.pts)
    wb.close()
    splice(path, streams)
    return path


def _parts(path) -> dict:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def _same_as_xlsxwriter(tmp_path, rows):
    a = _parts(_book(tmp_path / "cells.xlsx", rows, streamed=False))
    b = _parts(_book(tmp_path / "rows.xlsx", rows, streamed=True))
    assert sorted(a) == sorted(b)
    for name in a:
        assert a[name] == b[name], name


def test_streamed_rows_are_xlsxwriters_rows(tmp_path):
    rows = [
        (1, "城关镇", "城关镇推进秋粮收购" * 6, dt.datetime(2025, 10, 3), "张三", 12.5),
        (2, " 青石镇", "a&b<c> \"引号\"", dt.date(2025, 10, 8), None, 0),
        (3, "", "_x0041_ 与 \x01", dt.datetime(2025, 10, 9, 8, 30), "", -0.1),
        (4, "x" * 40000, "🙂" * 20000, dt.datetime(1900, 3, 1), "李四 ", 1e20),
    ]
    _same_as_xlsxwriter(tmp_path, rows)
    wb = openpyxl.load_workbook(tmp_path / "rows.xlsx")
    ws = wb["得分明细"]
    assert ws.dimensions == "A1:F6"
    assert [c.value for c in ws[3]] == [1, "城关镇", "城关镇推进秋粮收购" * 6, dt.datetime(2025, 10, 3), "张三", 12.5]
    assert ws.cell(4, 3).value == "a&b<c> \"引号\"" and ws.cell(4, 2).value == " 青石镇"
    assert ws.row_dimensions[3].height == 45 and ws.row_dimensions[4].height is None
    assert ws.auto_filter.ref == "A2:F6"


def test_a_text_that_looks_like_rich_string_xml_stays_text(tmp_path):
    rows = [(1, "<r><t>x</t></r>", "<r>不是</r>", dt.date(2025, 1, 2), "=1+1", 0)]
    wb = openpyxl.load_workbook(_book(tmp_path / "rows.xlsx", rows, streamed=True))
    assert [c.value for c in wb["得分明细"][3]][1:3] == ["<r><t>x</t></r>", "<r>不是</r>"]
    assert wb["得分明细"].cell(3, 5).data_type == "s"


def test_repeated_numbers_keep_their_own_text(tmp_path):
    """The texts of floats are remembered down a sheet (points repeat): 0.0 and -0.0 are equal as keys but
    written "0" and "-0"; 1 and 1.0 and True are equal too; each must keep the text xlsxwriter gives it."""
    rows = [(0.0, "a", "b", dt.date(2025, 10, 1), None, -0.0), (-0.0, "a", "b", dt.date(2025, 10, 1), None, 0.0),
            (1, "a", "b", dt.date(2025, 10, 1), None, 1.0), (0.5, "a", "b", dt.date(2025, 10, 1), None, 0.5),
            (1.0, "a", "b", dt.date(2025, 10, 1), None, 1), (-0.0, "a", "b", dt.date(2025, 10, 1), None, -0.0)]
    _same_as_xlsxwriter(tmp_path, rows)


def test_a_sheet_without_rows_keeps_its_header(tmp_path):
    _same_as_xlsxwriter(tmp_path, [])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(row, max_size=25))
def test_random_rows_are_xlsxwriters_rows(tmp_path_factory, rows):
    _same_as_xlsxwriter(tmp_path_factory.mktemp("x"), rows)
