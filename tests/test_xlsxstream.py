"""Streamed rows (govxl/write/xlsxstream.py) show what the same rows written by xlsxwriter's public API show.

Each sheet is written twice — every row through cells.put_row (xlsxwriter's public calls, the reference)
and with the rows after the first streamed into the closed file — and read back: by openpyxl cell by cell
(value, type, number format, font, border, fill, row height, used range, filter), by python-calamine,
and by LibreOffice (each saved as CSV, the values as a clerk sees them formatted) where it is installed.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govxl.write import layout as L
from govxl.write import xlsxstream
from govxl.write.cells import put_row, write_text
from govxl.write.rankbook import FIXED_TIME
from govxl.write.xlsxstream import RowStream, splice

ROOT = Path(__file__).resolve().parent.parent
WIDTHS = [5, 16, 40, 11, 8, 6]
HEADERS = ["序号", "单位", "信息标题", "报送日期", "撰稿人", "本篇得分"]

text = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["", " 前后空格 ", "a&b<c>d\"e'", "_x0041_", "_x005F_x0041_", "行\n换行", "\x01控制\x1f", "\ufffe",
                     "=SUM(A1)", "+1", "http://example.com", "007", "<r>A & B</r>", "<r><t>x</t></r>", "长" * 40,
                     "x" * 33000, "🙂" * 17000, "a\x1c", "\t缩进"]),
)
number = st.one_of(st.integers(min_value=-10**15, max_value=10**15),
                   st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300))
when = st.one_of(st.datetimes(min_value=dt.datetime(1900, 3, 1), max_value=dt.datetime(2100, 1, 1)),
                 st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)))
row = st.tuples(number, text, text, when, st.one_of(st.none(), st.booleans(), text), number)


def _book(path, rows, streamed: bool):
    """A workbook of three sheets, the middle one 得分明细 with the rows (streamed or cell by cell)."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False})
    wb.set_properties({"created": FIXED_TIME})
    st_ = L.Styles(wb)
    wb.add_worksheet("前表").write_string(0, 0, "普通工作表", st_.head)
    ws = wb.add_worksheet("得分明细")
    fmts = [st_.int, st_.text, st_.text, st_.date, st_.center, st_.pts]
    L.title(ws, st_, "得分明细", len(HEADERS))
    L.table_head(ws, st_, HEADERS, WIDTHS, 1)
    L.print_setup(ws, repeat=(1, 1))
    ws.autofilter(1, 0, max(1 + len(rows), 1), len(HEADERS) - 1)
    with_heights = [(list(v), L.row_height(list(v), WIDTHS)) for v in rows]
    stream = None
    if streamed:
        stream = RowStream(ws, 2, len(rows), fmts, with_heights)
    else:
        for r, (vals, h) in enumerate(with_heights, 2):
            if h is not None:
                ws.set_row(r, h)
            put_row(ws, r, vals, fmts)
    wb.add_worksheet("后表").write_number(0, 0, 1.5, st_.pts)
    wb.close()
    splice(path, [stream])
    return path


def _look(cell) -> tuple:
    f = cell.font
    # openpyxl undoes the escape of a literal _xHHHH_ (_x005F_xHHHH_) in shared strings only, not in inline
    # ones: undone here for both (python-calamine and LibreOffice, below, read both as Excel does)
    value = cell.value.replace("x005F_", "") if isinstance(cell.value, str) else cell.value
    return (value, cell.data_type, cell.number_format, f.name, f.sz, f.b, cell.border.left.style,
            cell.fill.fgColor.rgb, cell.alignment.horizontal, cell.alignment.wrap_text)


def _seen(path) -> dict:
    book = openpyxl.load_workbook(path)
    out = {}
    for ws in book.worksheets:
        out[ws.title] = {
            "cells": {(c.row, c.column): _look(c) for r in ws.iter_rows() for c in r},
            "heights": {r: d.height for r, d in ws.row_dimensions.items() if d.height is not None},
            "dimensions": ws.dimensions, "filter": ws.auto_filter.ref, "merged": sorted(map(str, ws.merged_cells.ranges)),
            "print": (ws.print_title_rows, ws.page_setup.orientation, ws.page_setup.paperSize, ws.freeze_panes),
        }
    return out


def _calamine(path) -> list:
    import python_calamine as pc

    wb = pc.CalamineWorkbook.from_path(str(path))
    return [wb.get_sheet_by_name(n).to_python() for n in wb.sheet_names]


def _same_as_public_api(tmp_path, rows):
    a = _book(tmp_path / "cells.xlsx", rows, streamed=False)
    b = _book(tmp_path / "rows.xlsx", rows, streamed=True)
    assert _seen(a) == _seen(b)
    assert _calamine(a) == _calamine(b)
    return a, b


def test_streamed_rows_show_what_xlsxwriter_writes(tmp_path):
    rows = [
        (1, "城关镇", "城关镇推进秋粮收购" * 6, dt.datetime(2025, 10, 3), "张三", 12.5),
        (2, " 青石镇", "a&b<c> \"引号\"", dt.date(2025, 10, 8), None, 0),
        (3, "", "_x0041_ 与 \x01", dt.datetime(2025, 10, 9, 8, 30), "", -0.1),
        (4, "x" * 40000, "🙂" * 20000, dt.datetime(1900, 3, 1), "李四 ", 1e20),
        (5, "=1+1", "<r>不是</r>", dt.datetime(2025, 1, 2), True, -0.0),
    ]
    _same_as_public_api(tmp_path, rows)
    ws = openpyxl.load_workbook(tmp_path / "rows.xlsx")["得分明细"]
    assert ws.dimensions == "A1:F7"
    assert [c.value for c in ws[3]] == [1, "城关镇", "城关镇推进秋粮收购" * 6, dt.datetime(2025, 10, 3), "张三", 12.5]
    assert ws.cell(4, 3).value == "a&b<c> \"引号\"" and ws.cell(4, 2).value == " 青石镇"
    assert _calamine(tmp_path / "rows.xlsx")[1][4][2] == "_x0041_ 与 \x01"  # escaped, read back as typed
    assert len(ws.cell(6, 2).value) == 32767 and len(ws.cell(6, 3).value) == 16383  # cut at 32,767 UTF-16 units
    assert ws.cell(7, 2).value == "=1+1" and ws.cell(7, 2).data_type == "s"  # text, not a formula
    assert ws.cell(7, 3).value == "<r>不是</r>" and ws.cell(7, 5).value == "是"
    assert ws.row_dimensions[3].height == 45 and ws.row_dimensions[4].height is None
    assert ws.auto_filter.ref == "A2:F7"


def test_a_sheet_with_no_rows_or_one_row_keeps_its_header(tmp_path):
    for n, rows in enumerate([[], [(1, "城关镇", "标题", dt.date(2025, 1, 1), "张三", 0.5)]]):
        (tmp_path / str(n)).mkdir()
        _same_as_public_api(tmp_path / str(n), rows)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(row, max_size=25))
def test_random_rows_show_what_xlsxwriter_writes(tmp_path_factory, rows):
    _same_as_public_api(tmp_path_factory.mktemp("x"), rows)


def test_the_same_rows_make_the_same_bytes(tmp_path):
    rows = [(i, f"单位{i % 7}", f"标题{i}", dt.datetime(2025, 1, 1 + i % 28), "", i / 3) for i in range(30_000)]
    a = _book(tmp_path / "a.xlsx", rows, streamed=True)
    b = _book(tmp_path / "b.xlsx", rows, streamed=True)
    assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()
    with zipfile.ZipFile(a) as z:
        # fixed timestamps: xlsxwriter's for its parts, zipfile's for the streamed one
        assert {i.date_time for i in z.infolist()} <= {(1980, 1, 31, 0, 0, 0), (1980, 1, 1, 0, 0, 0)}
        assert z.testzip() is None


def test_a_non_finite_number_names_its_row(tmp_path):
    rows = [(1.5, "a", "b", dt.datetime(2025, 1, 1), "c", 0.5)] * 10
    rows[7] = (float("nan"), "a", "b", dt.datetime(2025, 1, 1), "c", 0.5)
    with pytest.raises(ValueError, match="NAN/INF in row 10"):
        _book(tmp_path / "x.xlsx", rows, streamed=True)
    assert [p.name for p in tmp_path.iterdir()] == ["x.xlsx"]  # nothing left beside it


def test_fewer_rows_than_announced_is_an_error(tmp_path):
    wb = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"))
    ws = wb.add_worksheet("表")
    stream = RowStream(ws, 0, 3, [None, None], [([1, "a"], None), ([2, "b"], None)])
    wb.close()
    with pytest.raises(ValueError, match="2 rows streamed, 3 announced"):
        splice(tmp_path / "x.xlsx", [stream])


@pytest.mark.parametrize("when, excel", [
    (dt.datetime(1900, 1, 1), 0),  # a time of day alone, on Excel's day 0 (xlsxwriter's convention)
    (dt.datetime(1900, 2, 28, 12), 59.5),  # before the 29 February 1900 Excel believes in
    (dt.datetime(1900, 3, 1), 61), (dt.datetime(2025, 10, 3, 8, 30, 15, 500_000), 45933 + 30615.5 / 86400),
    (dt.datetime(9999, 12, 31), 2958465)])
def test_serial_dates_are_excels_and_xlsxwriters(tmp_path, when, excel):
    assert xlsxstream.serial(when) == pytest.approx(excel, abs=1e-9)  # the serial Excel shows for the date
    path = tmp_path / "d.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("表")
    ws.write_datetime(0, 0, when)
    wb.close()
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    assert f"<v>{xlsxstream.serial(when):.16G}</v>" in xml


def test_the_parts_are_found_by_the_package_relationships(tmp_path):
    wb = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"))
    wb.add_worksheet("一")
    wb.add_chartsheet("图")
    wb.add_worksheet("A & B")
    wb.close()
    with zipfile.ZipFile(tmp_path / "x.xlsx") as z:
        parts = xlsxstream.sheet_parts(z)
    assert parts == {"一": "xl/worksheets/sheet1.xml", "图": "xl/chartsheets/sheet1.xml",
                     "A & B": "xl/worksheets/sheet2.xml"}


@pytest.mark.parametrize("text", ["<r>A & B</r>", "<r><t>x</t></r>", "<r></r>", "<r> 前后 </r>", "<r>1<2</r>", "普通 & <r>"])
def test_write_text_keeps_a_text_xlsxwriter_would_take_for_rich_string_xml(tmp_path, text):
    import python_calamine as pc

    from govxl.write.cells import put

    path = tmp_path / "t.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("表")
    write_text(ws, 0, 0, text)
    put(ws, 1, 0, text, None)
    wb.close()
    assert [c.value for c in openpyxl.load_workbook(path)["表"]["A"]] == [text, text]
    assert pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("表").to_python() == [[text], [text]]


class _PublicRows:
    """RowStream's stand-in that writes every row through cells.put_row: the ranking workbook as the
    public API alone writes it."""

    def __init__(self, ws, first, nrows, formats, rows):
        self.nrows = 0  # nothing for splice
        for r, (values, height) in enumerate(rows, first):
            if height is not None:
                ws.set_row(r, height)
            put_row(ws, r, values, formats)


def test_the_ranking_workbook_shows_what_the_public_api_writes(tmp_path, monkeypatch):
    """The example year's workbook — 得分明细, 采用清单, 信息员排名 and 数据问题 streamed — against the same
    workbook with every row written cell by cell: every sheet, cell and row height alike."""
    from govxl import api
    from govxl.write import checksheets, listsheets

    def book(name):
        api.score([ROOT / "workbooks"], ROOT / "templates" / "govxl.xlsx", year="2025", out=tmp_path / name)
        (path,) = (tmp_path / name / "2025").glob("*.xlsx")
        return path

    streamed = book("streamed")
    monkeypatch.setattr(listsheets, "RowStream", _PublicRows)
    monkeypatch.setattr(checksheets, "RowStream", _PublicRows)
    public = book("public")
    a, b = _seen(streamed), _seen(public)
    assert list(a) == list(b)
    for sheet in a:
        assert a[sheet] == b[sheet], sheet
    assert len(a["得分明细"]["cells"]) > 1000


def _soffice():
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(_soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_shows_the_streamed_rows_as_the_public_apis(tmp_path):
    rows = [
        (1, "城关镇", "城关镇推进秋粮收购" * 6, dt.datetime(2025, 10, 3), "张三", 12.5),
        (2, " 青石镇", "a&b<c> \"引号\"", dt.date(2025, 10, 8), None, 0),
        (3, "", "_x0041_ 与 \x01控制", dt.datetime(2025, 10, 9, 8, 30), "", -0.1),
        (4, "=SUM(A1:A3)", "<r>A & B</r>", dt.datetime(1900, 3, 1), "李四 ", 1e20),
        (5, "🙂" * 3, "行\n换行", dt.datetime(2099, 12, 31, 23, 59), True, 1 / 3),
    ] + [(i, f"单位{i % 5}", f"标题 {i} & <{i}>", dt.datetime(2025, 1 + i % 12, 1 + i % 28), f"作者{i}", i * 0.5)
         for i in range(6, 300)]
    a, b = _same_as_public_api(tmp_path, rows)
    profile = (tmp_path / "lo-profile").resolve().as_uri()
    out = {}
    for path in (a, b):
        folder = tmp_path / path.stem
        folder.mkdir()
        # the second sheet (得分明细), its values as formatted (dates as yyyy-mm-dd, points as 0.0), UTF-8
        subprocess.run([_soffice(), "--headless", "--norestore", f"-env:UserInstallation={profile}", "--convert-to",
                        'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,2', "--outdir",
                        str(folder), str(path)], capture_output=True, timeout=300, check=True, stdin=subprocess.DEVNULL)
        (csv,) = folder.glob("*.csv")
        out[path.stem] = csv.read_text(encoding="utf-8")
    assert out["cells"] == out["rows"]
    lines = out["rows"].splitlines()
    assert lines[2].startswith("1,城关镇,") and ",2025-10-03,张三,12.5" in lines[2]
    assert '"a&b<c> ""引号"""' in lines[3] and "=SUM(A1:A3)" in out["rows"] and "<r>A & B</r>" in out["rows"]
