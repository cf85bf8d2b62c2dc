"""The column path (govxl/normalise/columns.py) reads exactly what the row path (_Row) reads.

Every sheet is read twice — RegisterReader.columnar True and False — and the items (every field, every
adoption and instruction), the problems (message, file, sheet, row, column, in order) and the row counts
must be equal. Real files: the shipped example year and registers written here; then hypothesis over
grids of the cells that make the row path speak (blank, subtotal and repeated-header rows, bad and
odd dates, unknown units, marks that are not marks, 1 / 1.0 / True, merged cells, formulas without a
cached value).
"""
from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import write_config, write_xlsx
from govxl.normalise import cache, registers
from govxl.normalise.config import load_config
from govxl.read.reader import Grid, discover
from govxl.normalise.registers import RegisterReader

ROOT = Path(__file__).resolve().parents[1]


def _read_both(cfg, *, year, files=(), grids=()):
    """(row path, column path); the column path's plain rows kept as runs (as a worker sends them) are
    checked here to be sent as the same item columns as its Items."""
    out = []
    for columnar, runs in ((False, False), (True, False), (True, True)):
        rr = RegisterReader(cfg, year=year, runs=runs)
        rr.columnar = columnar
        for f in files:
            rr.read_path(f)
        for g in grids:
            rr.read_grids([g], Path(g.file))
        out.append(rr.res)
    slow, fast, as_runs = out
    sent = lambda items: cache._shared_columns(cache._item_fields(), cache.item_columns(items))  # noqa: E731
    assert sent(as_runs.items) == sent(fast.items)  # what dumps() sends of each
    assert [p.to_dict() for p in as_runs.problems] == [p.to_dict() for p in fast.problems]
    assert as_runs.rows == fast.rows and as_runs.sheet_rows == fast.sheet_rows
    return slow, fast


def _same(slow, fast):
    assert fast.items == slow.items
    assert [p.to_dict() for p in fast.problems] == [p.to_dict() for p in slow.problems]
    assert fast.rows == slow.rows
    assert fast.sheet_rows == slow.sheet_rows
    assert fast.sheets == slow.sheets


def test_shipped_year_reads_the_same_by_columns_and_by_rows():
    cfg = load_config(ROOT / "govxl.xlsx")
    slow, fast = _read_both(cfg, year=2025, files=discover([ROOT / "workbooks"]))
    assert len(fast.items) > 2000 and fast.problems
    _same(slow, fast)


def test_files_read_with_memos_kept_across_readers_read_as_alone(monkeypatch):
    """A worker keeps the judged dates, units and adoption texts from file to file (one config and year):
    each file reads as it does with a reader of its own, and a value judged before is not judged again."""
    from govxl.normalise import columns

    cfg = load_config(ROOT / "govxl.xlsx")
    files = discover([ROOT / "workbooks"])
    memos: dict = {}
    with_items = []
    for f in files:
        alone = RegisterReader(cfg, year=2025)
        alone.read_path(f)
        shared = RegisterReader(cfg, year=2025, memos=memos)
        shared.read_path(f)
        _same(alone.res, shared.res)
        if shared.res.items:
            with_items.append(f)
    assert len(with_items) > 3 and ("date", 2025) in memos and "code" not in memos
    assert shared.lookup is memos["_lookup"] and shared.units is memos["_units"]  # kept with what they found
    judged = []
    real = columns.ColumnPlan.mapped

    def mapped(self, name, col, fn):
        return real(self, name, col, lambda v: judged.append(name) or fn(v))

    monkeypatch.setattr(columns.ColumnPlan, "mapped", mapped)
    again = RegisterReader(cfg, year=2025, memos=memos)
    again.read_path(with_items[-1])
    assert again.res.items and not [n for n in judged if n != "code"]


def test_columns_take_plain_rows_and_leave_the_rest_to_the_row_path(ws, monkeypatch):
    D = dt.datetime
    rows = [
        ["单位", "标题", "报送日期", "采用情况", "市级", "领导批示", "批示日期", "约稿", "备注"],
        ["城关镇", "城关镇推进秋粮收购", D(2025, 10, 3), "市采用", None, "市长批示", "2025/10/9", "否", "x"],
        ["青石镇", "青石镇茶产业", "2025年10月8日", None, "√", None, None, None, None],
        ["城关", "别名单位的信息", 45900, None, None, None, None, None, None],      # an alias: plain
        ["城关镇", "日期不对", "2025-13-01", None, None, None, None, None, None],    # error
        ["合计", None, None, 2, 1, None, None, None, None],                          # skipped
        ["城关镇", "约稿写成了好", D(2025, 10, 4), None, None, None, None, "好", None],  # warning
    ]
    write_xlsx(ws / "workbooks" / "台账.xlsx", {"10月": rows})
    write_config(ws / "govxl.xlsx")
    cfg = load_config(ws / "govxl.xlsx")
    seen = []
    real = registers._Row.__init__

    def spy(self, reader, grid, match, i, fill):
        seen.append(grid.excel_row(i))
        real(self, reader, grid, match, i, fill)

    monkeypatch.setattr(registers._Row, "__init__", spy)
    slow, fast = _read_both(cfg, year=2025, files=[ws / "workbooks" / "台账.xlsx"])
    _same(slow, fast)
    # the columnar reads (second, and third with runs) sent only the odd rows through _Row
    assert seen[len(rows) - 1:] == [5, 6, 7] * 2
    by_title = {it.title: it for it in fast.items}
    a = by_title["城关镇推进秋粮收购"]
    assert [(x.level, x.points) for x in a.adoptions] == [("市级", 5)]
    assert [(x.level, x.date) for x in a.instructions] == [("市级", D(2025, 10, 9))]
    assert by_title["青石镇茶产业"].adoptions[0].level == "市级"
    assert by_title["别名单位的信息"].unit == "城关镇"


HEADERS = ["单位", "标题", "报送日期", "采用情况", "县级", "市级", "省级", "国家级", "采用日期", "领导批示", "批示日期",
           "事件时间", "联合报送单位", "约稿", "失实", "信息类型", "撰稿人", "备注", "序号"]
VALUES = [
    None, "", " ", "合计", "小计：", "总 计", "标题", "报送日期", "单位", "信息标题",
    "城关镇", "青石镇", "城关", "县教育局", "教育局", "不存在的单位", "城关镇、青石镇", "发改局；青石镇",
    "城关镇推进秋粮收购", "青石镇茶产业提质增效（第二期）", "一个很长很长的标题写了超过二十个汉字用来检查长文本的判断是否准确", "【标题】",
    dt.datetime(2025, 10, 3), dt.datetime(2025, 10, 3, 8, 30, 15, 123), dt.date(2025, 10, 4), dt.time(8, 30),
    "2025-10-05", "2025/10/6", "2025年10月7日", "10月8日", "20251009", "2025-13-01", "明天", 45900, 45900.5, 12.0,
    0, 1, 1.0, True, False, -1, 1e20, math.nan, "√", "是", "否", "x", "1", "0", "采用", "好",
    "市采用", "市级专报；省办专报", "县采用", "国办采用", "人民日报", "不知道哪里", "无", "—",
    "市长批示", "副县长批示；县长批示", "领导批示", "批示",
]


UNITS = ["城关镇", "青石镇", "城关", "县教育局", "不存在的单位", "", None, "合计"]
DATES = [dt.datetime(2025, 10, 3), dt.datetime(2025, 10, 3, 8, 30, 15, 123), dt.date(2025, 10, 4), "2025-10-05",
         "2025年10月7日", "10月8日", "20251009", "2025-13-01", 45900, "", None, dt.time(8, 30), "明天"]
MARKS = ["√", "是", "否", "", None, "好", 1, 0, True, "市采用", dt.datetime(2025, 10, 9), "2025-10-09", "人民日报"]
TEXTS = ["市采用", "市级专报；省办专报", "不知道哪里", "无", "", None, "市长批示", "副县长批示；县长批示", "批示"]
POOLS = {"单位": UNITS, "联合报送单位": UNITS + ["城关镇、青石镇"], "报送日期": DATES, "采用日期": DATES,
         "批示日期": DATES, "事件时间": DATES, "县级": MARKS, "市级": MARKS, "省级": MARKS, "国家级": MARKS,
         "约稿": MARKS, "失实": MARKS, "采用情况": TEXTS, "领导批示": TEXTS}


@st.composite
def grids(draw):
    cols = draw(st.lists(st.sampled_from(HEADERS), min_size=2, max_size=12, unique=True))
    if draw(st.booleans()):
        cols = [c for c in cols if c not in ("标题", "报送日期")] + ["标题", "报送日期"]
    n = draw(st.integers(min_value=0, max_value=12))
    width = len(cols) + draw(st.integers(min_value=0, max_value=2))
    rows = [list(cols) + [None] * (width - len(cols))]
    for _ in range(n):
        # mostly the kind of value the column holds, sometimes anything
        rows.append([draw(st.sampled_from(POOLS[c] if c in POOLS and draw(st.integers(0, 3)) else VALUES))
                     for c in cols + [None] * (width - len(cols))])
    if n and draw(st.booleans()):
        rows[draw(st.integers(1, n))] = rows[draw(st.integers(1, n))][: draw(st.integers(0, width))]  # ragged
    merged, uncached = [], set()
    if n >= 2 and draw(st.booleans()):
        r0 = draw(st.integers(1, n - 1))
        c0 = draw(st.integers(0, width - 1))
        merged.append(((r0, c0), (r0 + 1, c0)))
    if n and draw(st.booleans()):
        uncached.add((draw(st.integers(1, n)), 0))
    sheet = draw(st.sampled_from(["10月", "城关镇", "青石镇台账", "Sheet1"]))
    return Grid("w.xlsx", sheet, rows, (0, 0), merged, False, uncached)


_CFG: dict = {}


def _cfg(tmp_path_factory):
    if "cfg" not in _CFG:
        p = tmp_path_factory.mktemp("cfg") / "govxl.xlsx"
        write_config(p)
        _CFG["cfg"] = load_config(p)
    return _CFG["cfg"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(gs=st.lists(grids(), min_size=1, max_size=3))
def test_random_grids_read_the_same_by_columns_and_by_rows(tmp_path_factory, gs):
    cfg = _cfg(tmp_path_factory)
    slow, fast = _read_both(cfg, year=2025, grids=gs)
    _same(slow, fast)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), n=st.integers(1, 50), texts=st.booleans())
def test_date_columns_of_datetimes_read_the_same_by_columns_and_by_rows(tmp_path_factory, data, n, texts):
    """Date columns of datetimes (with times, microseconds, a time zone: every one different), alone or
    with a few other cells among them, are read as the row path reads them (titles padded with spaces,
    all texts, are stripped as the row path strips them)."""
    tz = dt.timezone(dt.timedelta(hours=8))
    when = st.builds(lambda d, us, z: d.replace(microsecond=us, tzinfo=tz if z else None),
                     st.datetimes(dt.datetime(2025, 1, 1), dt.datetime(2025, 12, 31)),
                     st.sampled_from([0, 0, 123, 999999]), st.booleans())
    other = st.sampled_from(["", None, "2025-10-05", "10月8日", "明天", 45900, dt.date(2025, 10, 4), dt.time(8, 30)])
    cell = st.one_of(when, other) if texts else when
    head = ["单位", "标题", "报送日期", "市级", "采用日期", "领导批示", "批示日期", "事件时间"]
    rows = [head] + [["城关镇", f"{' ' * (i % 2)}城关镇推进第{i}项工作\u3000", data.draw(cell), "√" if i % 3 else None, data.draw(cell),
                      "县长批示" if i % 4 == 0 else None, data.draw(cell), data.draw(cell)] for i in range(n)]
    slow, fast = _read_both(_cfg(tmp_path_factory), year=2025, grids=[Grid("w.xlsx", "10月", rows)])
    _same(slow, fast)
    if not texts:
        assert len(fast.items) == n


def test_blank_unit_cells_take_each_sheets_own_unit(ws):
    """A 单位 column left blank falls back to the sheet's unit (its name): remembered per sheet, never
    carried from one sheet to the next."""
    D = dt.datetime
    head = ["单位", "标题", "报送日期"]
    sheets = {
        "城关镇": [head, [None, "城关镇的信息", D(2025, 10, 3)], ["青石镇", "写明单位的信息", D(2025, 10, 4)]],
        "青石镇": [head, [None, "青石镇的信息", D(2025, 10, 5)], ["", "也是青石镇的信息", D(2025, 10, 6)]],
    }
    write_xlsx(ws / "workbooks" / "汇总.xlsx", sheets)
    cfg = load_config(ws / "govxl.xlsx")
    slow, fast = _read_both(cfg, year=2025, files=[ws / "workbooks" / "汇总.xlsx"])
    _same(slow, fast)
    assert {it.title: it.unit for it in fast.items} == {
        "城关镇的信息": "城关镇", "写明单位的信息": "青石镇", "青石镇的信息": "青石镇", "也是青石镇的信息": "青石镇"}


# the ends of the ideograph block (\u4e00, \u9fff) and their neighbours outside it (\u4dff, \ua000)
_CJK = st.sampled_from("信息报送采用批示城关镇推进秋粮收购安全生产工作会议合计小计标题日期\u4e00\u9fff\u4dff\ua000")
_PIECES = st.one_of(
    st.text(_CJK, min_size=0, max_size=20),  # around the 13 ideographs a text needs to be a plain title
    st.text(_CJK, min_size=8, max_size=16).map(lambda t: f"（{t}）"),  # "标题（…）" is still the header 标题
    st.sampled_from(["（社区）", "(一)", "【要闻】", "[转]", "）", " ", "\n", "ABC", "１２", "Σ"]),
    st.sampled_from(["标题", "报送日期", "合计", "小计：", "总 计", "采用情况", "市级采用"]),
)


@st.composite
def _title_columns(draw):
    """Columns of texts the column judge takes whole: 32+ different texts first, then anything."""
    cell = st.lists(_PIECES, max_size=4).map("".join)
    head = draw(st.lists(cell, min_size=32, max_size=40, unique=True))
    tail = draw(st.lists(st.one_of(cell, st.sampled_from(_EDGES)), max_size=20))
    if draw(st.integers(0, 4)) == 0:  # a text the column cannot be joined or encoded with: judged cell by cell
        tail.append(draw(st.sampled_from(["信息报送采用批示城关镇推进\x00秋粮", "信息报送采用批示城关镇推进秋粮\ud800"])))
    return head + tail


# cells at the edges of what a plain title is: a 12-ideograph header the words make one (市级采用), a
# header behind a long bracket, 12 ideographs and a letter just past either end of the block
_EDGES = ["", "  ", "合计", "市级采用信息情况汇总登记", "领导批示内容情况汇总登记", "标题（信息报送采用批示城关镇推进秋粮）",
          "市级采用信息情况汇总登\ua000", "市级采用信息情况汇总登\u4dff", "市级采用信息情况汇总登\u9fff"]


@st.composite
def _number_columns(draw):
    numbers = st.one_of(st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True))
    col = draw(st.lists(numbers, min_size=32, max_size=60))
    if draw(st.booleans()):
        col[draw(st.integers(0, len(col) - 1))] = draw(st.sampled_from([True, "", "合计", 45200.0]))
    return col


_DATE_CELLS = st.one_of(
    st.datetimes(dt.datetime(1900, 1, 1), dt.datetime(2100, 1, 1)), st.dates(), st.times(),
    st.sampled_from([45200.0, float("nan"), 3, "", "2024-10", "2024-10-05", "合计", "报送日期", "  "]),
)


@st.composite
def _date_columns(draw):
    """Dates and times (with a few texts and numbers among them): judged without their text when no key
    reads like one."""
    return draw(st.lists(_DATE_CELLS, min_size=32, max_size=60))


# a clerk's mapping with a header that reads like a date: then dates must be looked up as any text
_DIGITISH_MAPPING = [("报送日期", "2024-10"), ("序号", "1")]


def _cfg_digitish(tmp_path_factory):
    if "digitish" not in _CFG:
        p = tmp_path_factory.mktemp("cfg") / "govxl.xlsx"
        write_config(p, mapping=_DIGITISH_MAPPING)
        _CFG["digitish"] = load_config(p)
    return _CFG["digitish"]


def _reference_code(reader, v) -> int:
    """_cell_code without any of its shortcuts: the text, the full header lookup and the subtotal words."""
    from govxl import defaults as D
    from govxl.normalise.text import cell_str, norm

    t = cell_str(v)
    if not t:
        return 0
    n = norm(t)
    subtotal = n in D.SUBTOTAL_WORDS or n.rstrip(":：") in D.SUBTOTAL_WORDS
    return 1 | (2 if reader.lookup._lookup(t) is not None else 0) | (4 if subtotal else 0)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(col=st.one_of(_title_columns(), _number_columns(), _date_columns()), chunk=st.sampled_from([4096, 1, 7, 32]),
       digitish=st.booleans())
def test_columns_judged_whole_get_the_codes_of_one_cell_at_a_time(tmp_path_factory, monkeypatch, col, chunk,
                                                                   digitish):
    """ColumnPlan._codes (titles counted in numpy, a chunk of them at a time, number and date columns at
    once) gives each cell the code it has alone — a plain title, a header label, a subtotal word, a blank —
    found the long way: the cell's text through the full header lookup and the subtotal words."""
    from govxl.normalise import columns
    from govxl.normalise.columns import ColumnPlan

    monkeypatch.setattr(columns, "_WHOLE_CHUNK", chunk)

    cfg = _cfg_digitish(tmp_path_factory) if digitish else _cfg(tmp_path_factory)
    reader = RegisterReader(cfg, year=2025)  # the plan holds it by a weak proxy
    plan = ColumnPlan(reader)
    expected = [_reference_code(reader, v) for v in col]
    assert [plan._cell_code(v) for v in col] == expected
    assert [int(c) for c in plan._codes(col)] == expected


def test_a_mapping_that_reads_like_a_date_turns_the_date_shortcut_off(tmp_path_factory):
    from govxl.normalise.columns import ColumnPlan

    plain = ColumnPlan(RegisterReader(_cfg(tmp_path_factory), year=2025))._plain_types
    assert dt.datetime in plain and float in plain
    reader = RegisterReader(_cfg_digitish(tmp_path_factory), year=2025)
    assert not reader.lookup.digitish_misses
    assert ColumnPlan(reader)._plain_types == frozenset()  # "1" reads like a number too
    assert reader.lookup("2024-10") == "报送日期"
    col = [dt.datetime(2024, 10, 1, 8, i) for i in range(40)] + ["2024-10"]
    assert ColumnPlan(reader)._codes(col)[-1] == 3  # the header label "2024-10" among dates


_LABELS = st.one_of(
    st.lists(_PIECES, max_size=4).map("".join),
    st.sampled_from(_EDGES),
    _DATE_CELLS.map(lambda v: str(v)),
    st.text(st.sampled_from("0123456789-+:./ \t年月日"), max_size=20),
)


@settings(max_examples=400, deadline=None)
@given(label=_LABELS)
def test_header_lookup_shortcuts_never_change_the_answer(label):
    """Lookup's quick answers (too many ideographs, also before the first bracket; a number or date) are
    what the full normalise-and-look-up would find, with the built-in synonyms and with a clerk's mapping
    that reads like a date."""
    from govxl import defaults as D
    from govxl.normalise.headers import Lookup

    mapping: dict = {}
    for std, name in _DIGITISH_MAPPING:
        mapping.setdefault(std, []).append(name)
    for lookup in (Lookup(D.HEADER_SYNONYMS), Lookup(D.HEADER_SYNONYMS, mapping)):
        assert lookup(label) == lookup._lookup(label)
