"""Streamed rows (govxl/write/xlsxstream.py) are the XML xlsxwriter writes for the same cells.

Each workbook is written twice — cell by cell with xlsxwriter in constant_memory mode (what the
得分明细 sheet used to be), and with the rows streamed into the closed file — and every part of the two
.xlsx files must be byte-identical once unzipped. Then the streamed file is read back by openpyxl.
"""
from __future__ import annotations

import datetime as dt
import os
import tempfile
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govxl.write import rankbook as R
from govxl.write import xlsxstream
from govxl.write.xlsxstream import RowStream, splice

ROOT = Path(__file__).resolve().parent.parent
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


def _book(path, rows, streamed: bool, *, aside: bool = False, gen_of=None):
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

        streams.append(RowStream(wb, ws, 2, len(rows), fmts, gen_of(gen) if gen_of else gen, before=(st_.title, st_.head)))
        if aside:
            assert streams[-1].render_aside(path.parent)
    else:
        for r, vals in enumerate(rows, 2):
            for c, (v, f) in enumerate(zip(vals, fmts)):
                R._put(ws, r, c, v, f)
            h = R._row_height(list(vals), WIDTHS)
            if h is not None:
                ws.set_row(r, h)
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


def _many_rows(n):
    return [(i, f"单位{i % 37}", f"第{i}篇 信息标题 & <说明>" + "长" * (i % 50), dt.datetime(2025, 1 + i % 12, 1 + i % 28, i % 24),
             None if i % 5 else f"撰稿人{i % 11}", (i % 7) * 0.5) for i in range(n)]


def _no_child_left(tmp_path, pid):
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".govxl-tmp")]
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return  # reaped by govxl
    raise AssertionError(f"child {pid} was not waited for")


@pytest.fixture
def aside_for_all(monkeypatch):
    monkeypatch.setattr(xlsxstream, "ASIDE_ROWS", (1, 10**6))


def test_rows_rendered_aside_are_the_same_bytes(tmp_path, aside_for_all):
    """A child process renders the rows into a file the parent reads as it grows (render_aside): the
    workbook is the one made without it, part for part, and the child and its file are gone after."""
    rows = _many_rows(7000)
    here = _parts(_book(tmp_path / "here.xlsx", rows, streamed=True))
    path = tmp_path / "aside.xlsx"
    pids = []
    real = RowStream.render_aside

    def spy(self, folder):
        started = real(self, folder)
        pids.append(self._aside.pid if started else None)
        return started

    with pytest.MonkeyPatch.context() as m:
        m.setattr(RowStream, "render_aside", spy)
        aside = _parts(_book(path, rows, streamed=True, aside=True))
    assert pids and pids[0] is not None
    assert sorted(aside) == sorted(here)
    for name in here:
        assert aside[name] == here[name], name
    _no_child_left(tmp_path, pids[0])
    ws = openpyxl.load_workbook(path, read_only=True)["得分明细"]
    got = list(ws.iter_rows(min_row=3, values_only=True))
    assert len(got) == 7000 and got[6999][:2] == (6999, "单位6")


@pytest.mark.parametrize("fail_at", [0, 5000])
def test_a_failing_child_leaves_the_rows_to_the_parent(tmp_path, aside_for_all, fail_at):
    """The child dies (here: its rows raise, before any row or after thousands were written and perhaps
    already compressed): the parent notices its exit status and splices every row itself."""
    rows = _many_rows(7000)
    here = _parts(_book(tmp_path / "here.xlsx", rows, streamed=True))
    parent = os.getpid()

    def gen_of(gen):
        def rows_():
            for i, r in enumerate(gen()):
                if i == fail_at and os.getpid() != parent:
                    raise RuntimeError("模拟子进程出错")
                yield r
        return rows_

    pids = []
    real = RowStream.render_aside

    def spy(self, folder):
        started = real(self, folder)
        pids.append(self._aside.pid)
        return started

    with pytest.MonkeyPatch.context() as m:
        m.setattr(RowStream, "render_aside", spy)
        got = _parts(_book(tmp_path / "aside.xlsx", rows, streamed=True, aside=True, gen_of=gen_of))
    for name in here:
        assert got[name] == here[name], name
    _no_child_left(tmp_path, pids[0])


class _Untouchable:
    def __getattr__(self, name):
        raise AssertionError("the read's items were looked at while the rows were made")

    def __getitem__(self, key):
        raise AssertionError("the read's items were looked at while the rows were made")


def test_detail_rows_made_aside_do_not_walk_the_years_items(tmp_path):
    """Each item the child touches is copied into its memory: the detail rows (made in the child) must
    find the first reports of the duplicates in the result's tables (looked up by seq), never going back
    to the read's items."""
    from govxl import api
    from govxl.score import scoring
    from govxl.score.periods import parse_period

    cfg, read = api.load([ROOT / "workbooks"], ROOT / "templates" / "govxl.xlsx", year=2025)
    result = scoring.score(read, read.commissions, cfg, parse_period(year="2025"))
    wb = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"))
    stream = R._detail_sheet(wb, R.Styles(wb), result)
    read.items = _Untouchable()
    rows = [values for values, _height in stream.rows()]
    assert len(rows) == stream.nrows
    firsts = [r[13] for r in rows if r[13].startswith("重复信息，不计分（首报：")]
    assert firsts and len(firsts) == read.rows_dict()["duplicate"]
    wb.close()


def test_the_ranking_workbook_is_the_same_with_its_rows_made_aside(tmp_path, monkeypatch):
    from govxl import api

    def book(name):
        api.score([ROOT / "workbooks"], ROOT / "templates" / "govxl.xlsx", year="2025", out=tmp_path / name)
        (path,) = (tmp_path / name / "2025").glob("*.xlsx")
        return _parts(path)

    here = book("here")
    started = []
    real = RowStream.render_aside
    monkeypatch.setattr(xlsxstream, "ASIDE_ROWS", (1, 10**6))
    monkeypatch.setattr(RowStream, "render_aside",
                        lambda self, folder=None: started.append(real(self, folder)) or started[-1])
    aside = book("aside")
    assert started == [True]
    assert sorted(aside) == sorted(here)
    for name in here:
        assert aside[name] == here[name], name


def test_a_failed_write_stops_the_child_and_removes_its_file(tmp_path, monkeypatch):
    """Writing fails after the child was started (here: a later sheet raises): the child is stopped and
    reaped, its file removed, and the error reaches the caller."""
    from govxl import api
    from govxl.score import scoring
    from govxl.score.periods import parse_period

    cfg, read = api.load([ROOT / "workbooks"], ROOT / "templates" / "govxl.xlsx", year=2025)
    result = scoring.score(read, read.commissions, cfg, parse_period(year="2025"))
    result.update(rows=read.rows_dict(), problems=[], _problems=lambda: [])
    monkeypatch.setattr(xlsxstream, "ASIDE_ROWS", (1, 10**6))
    pids = []
    real = RowStream.render_aside

    def slow_spy(self, folder=None):
        rows = self.rows

        def slow():
            import time

            time.sleep(30)  # still running when the parent gives up
            return rows()

        self.rows = slow
        started = real(self, folder)
        self.rows = rows
        pids.append(self._aside.pid)
        return started

    def broken(*a, **k):
        raise RuntimeError("模拟的写入错误")

    monkeypatch.setattr(RowStream, "render_aside", slow_spy)
    monkeypatch.setattr(R, "_authors_sheet", broken)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "temp"))  # the child's file goes to the temp folder
    (tmp_path / "temp").mkdir()
    with pytest.raises(RuntimeError, match="模拟的写入错误"):
        R.write_rankbook(tmp_path / "x.xlsx", result, read)
    _no_child_left(tmp_path / "temp", pids[0])
    assert [p.name for p in tmp_path.iterdir()] == ["temp"]  # nothing beside the output either


def test_columns_of_one_type_are_rendered_as_xlsxwriter_writes_them(tmp_path):
    """Rows are rendered a batch at a time, column by column, a column of one type (all floats, all
    texts, all datetimes, all ints) in one go: across batch boundaries the cells are xlsxwriter's."""
    n = xlsxstream._BATCH + 300
    floats = [0.0, -0.0, 0.5, 1.0, 1e20, -3.25, 1 / 3]
    rows = [(floats[i % 7], f"单位{i % 13}" if i % 9 else "", " 前后空格 " if i % 5 == 0 else f"标题{i}&<{i}>",
             dt.datetime(2025, 1 + i % 12, 1 + i % 28, i % 24, i % 60), f"撰稿人{i % 3}", i * 7 - 500)
            for i in range(n)]
    _same_as_xlsxwriter(tmp_path, rows)


def test_a_non_finite_number_names_its_row(tmp_path):
    rows = [(1.5, "a", "b", dt.datetime(2025, 1, 1), "c", 0.5)] * (xlsxstream._BATCH + 5)
    rows[xlsxstream._BATCH + 2] = (float("nan"), "a", "b", dt.datetime(2025, 1, 1), "c", 0.5)
    with pytest.raises(ValueError, match=f"NAN/INF in row {xlsxstream._BATCH + 5}"):
        _book(tmp_path / "x.xlsx", rows, streamed=True)


def test_a_stalled_child_is_given_up_and_the_parent_renders_the_rows(tmp_path, aside_for_all, monkeypatch):
    """A child that stops writing (say a lock it inherited locked at the fork) is not waited for forever:
    after STALL seconds without a byte the parent renders the rows itself and stops the child."""
    rows = _many_rows(3000)
    here = _parts(_book(tmp_path / "here.xlsx", rows, streamed=True))
    parent = os.getpid()

    def gen_of(gen):
        def rows_():
            if os.getpid() != parent:
                import time

                time.sleep(60)
            yield from gen()
        return rows_

    monkeypatch.setattr(xlsxstream._Aside, "STALL", 0.5)
    pids = []
    real = RowStream.render_aside

    def spy(self, folder=None):
        started = real(self, folder)
        pids.append(self._aside.pid)
        return started

    monkeypatch.setattr(RowStream, "render_aside", spy)
    got = _parts(_book(tmp_path / "aside.xlsx", rows, streamed=True, aside=True, gen_of=gen_of))
    for name in here:
        assert got[name] == here[name], name
    _no_child_left(tmp_path, pids[0])


@pytest.mark.parametrize("text", ["<r>A & B</r>", "<r><t>x</t></r>", "<r></r>", "<r> 前后 </r>", "<r>1<2</r>", "普通 & <r>"])
def test_write_text_keeps_a_text_xlsxwriter_would_take_for_rich_string_xml(tmp_path, text):
    import python_calamine as pc

    path = tmp_path / "t.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("表")
    xlsxstream.write_text(ws, 0, 0, text)
    R._put(ws, 1, 0, text, None)
    wb.close()
    assert [c.value for c in openpyxl.load_workbook(path)["表"]["A"]] == [text, text]
    assert pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("表").to_python() == [[text], [text]]


def test_detail_rows_made_from_any_row_on_are_the_rows_made_in_one_go(tmp_path):
    """Of a stream rendered aside, the parent makes the last rows itself (rows_from): the 得分明细 rows
    made in two parts — split anywhere, also among the duplicates listed after the scores — are the rows
    made in one go, byte for byte."""
    from govxl import api
    from govxl.score.periods import parse_period

    cfg, read = api.load([ROOT / "workbooks"], ROOT / "templates" / "govxl.xlsx", year=2025)
    result = api.score_loaded(cfg, read, parse_period(year="2025"), write=False)
    wb = xlsxwriter.Workbook(str(tmp_path / "d.xlsx"))
    stream = R._detail_sheet(wb, R.Styles(wb), result)
    n, scored = stream.nrows, len(result["_scores"])
    assert n > scored > 100  # the year's duplicates are listed after the scores
    whole = "".join(stream.xml_rows())
    for k in (0, 1, 2047, 2048, scored - 1, scored, scored + 1, n - 1, n):
        assert "".join(stream.xml_rows(0, k)) + "".join(stream.xml_rows(k)) == whole, k
    wb.close()
