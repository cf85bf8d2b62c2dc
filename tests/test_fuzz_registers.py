"""Fuzzing: random register contents in real .xlsx files never crash govxl.

Hypothesis writes registers with random strings, numbers, dates, formula-looking text (stored as
text and as real formulas without a cached value), empty cells and merged cells; govxl score must
end with exit 0 or 1, the row buckets must add up to the rows read, and every text cell in the
ranking workbook must be a text cell (never a formula).
"""
from __future__ import annotations

import datetime as dt
import json
import shutil
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import DEFAULT_UNITS, write_config

HEADER = ["单位", "信息标题", "报送日期", "信息类型", "撰稿人", "采用情况", "领导批示", "备注"]
UNITS = [u[0] for u in DEFAULT_UNITS] + ["城关", "发改局", "不存在的单位", ""]
FORMULA_LOOKING = ["=SUM(A1:A3)", "+8613800000000", "-1", "@人民日报", "=HYPERLINK(\"http://x\")", "=1/0", "=A1&\"x\""]

cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)
texty = st.one_of(
    st.text(alphabet=st.one_of(cjk, st.sampled_from(list("  \t\n,，;；、/：:（）()【】《》“”\"'#%&<>=+-@√✓×0123456789abcXYZ"))),
            max_size=30),
    st.sampled_from(FORMULA_LOOKING),
    st.sampled_from(["合计", "小计", "总计：", "单位", "信息标题", "报送日期", "无", "—", "市采用；省办专报", "县采用",
                     "国办采用", "市委书记批示", "省长批示、市长批示", "紧急", "是", "√"]),
)
dateish = st.one_of(
    st.datetimes(min_value=dt.datetime(2024, 1, 1), max_value=dt.datetime(2026, 12, 31)),
    st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2026, 12, 31)).map(
        lambda d: st_format(d)),
    st.integers(min_value=-5, max_value=60000),
    st.floats(allow_nan=True, allow_infinity=True),
    texty,
)


def st_format(d: dt.date) -> str:
    forms = [f"{d:%Y-%m-%d}", f"{d.year}/{d.month}/{d.day}", f"{d.year}.{d.month}.{d.day}",
             f"{d.year}年{d.month}月{d.day}日", f"{d:%Y%m%d}", f"{d.month}月{d.day}日", f"{d:%Y-%m-%d} 08:30"]
    return forms[d.toordinal() % len(forms)]


cell = st.one_of(st.none(), texty, st.integers(min_value=-10**12, max_value=10**12),
                 st.floats(allow_nan=False, allow_infinity=False), st.booleans(), dateish)


@st.composite
def registers(draw):
    n = draw(st.integers(min_value=0, max_value=14))
    rows = []
    for _ in range(n):
        rows.append([
            draw(st.one_of(st.sampled_from(UNITS), cell)),
            draw(st.one_of(texty, cell)),
            draw(dateish),
            draw(cell), draw(cell),
            draw(st.one_of(st.sampled_from(["市采用", "省级录用", "县采用；市采用", "《本级政务信息》专报", ""]), cell)),
            draw(cell), draw(cell),
        ])
    title_rows = draw(st.integers(min_value=0, max_value=2))
    # merges: a unit merged down over its items (common), and random small blocks
    merges = []
    r = 0
    while r < n:
        span = draw(st.integers(min_value=1, max_value=3))
        if span > 1 and r + span <= n and draw(st.booleans()):
            merges.append((r, 0, r + span - 1, 0))
        r += span
    for _ in range(draw(st.integers(min_value=0, max_value=2))):
        if n:
            r0 = draw(st.integers(min_value=0, max_value=n - 1))
            c0 = draw(st.integers(min_value=1, max_value=len(HEADER) - 1))
            merges.append((r0, c0, min(n - 1, r0 + draw(st.integers(0, 2))), min(len(HEADER) - 1, c0 + draw(st.integers(0, 1)))))
    real_formulas = draw(st.booleans())
    return rows, title_rows, merges, real_formulas


def write_register(path: Path, rows, title_rows: int, merges, real_formulas: bool):
    import openpyxl
    from openpyxl.utils import get_column_letter

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "信息报送"
    for i in range(title_rows):
        ws.cell(i + 1, 1, "2025年政务信息报送台账" if i == 0 else None)
    if title_rows:
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    top = title_rows + 1
    for j, h in enumerate(HEADER, start=1):
        ws.cell(top, j, h)
    taken = set()
    for r0, c0, r1, c1 in merges:
        cells = {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        if len(cells) > 1 and not cells & taken:
            taken |= cells
            ws.merge_cells(start_row=top + 1 + r0, start_column=c0 + 1, end_row=top + 1 + r1, end_column=c1 + 1)
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            c = ws.cell(top + 1 + i, j + 1)
            if type(c).__name__ == "MergedCell":
                continue
            if isinstance(v, float) and v != v:
                v = "NaN"
            c.value = v
            if isinstance(v, str) and v.startswith("=") and not real_formulas:
                c.data_type = "s"  # text that looks like a formula, as a clerk typed it with a leading '
    for j in range(1, len(HEADER) + 1):
        ws.column_dimensions[get_column_letter(j)].width = 12
    wb.save(path)


def last_nonblank(rows) -> int:
    from govxl.normalise.text import cell_text

    last = -1
    for i, r in enumerate(rows):
        if any(cell_text(v).strip() for v in r if not (isinstance(v, float) and v != v)):
            last = i
    return last


@settings(max_examples=30, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(registers())
def test_random_registers_never_crash_and_always_add_up(reg):
    import openpyxl

    from govxl.cli import main

    rows, title_rows, merges, real_formulas = reg
    ws = Path(tempfile.mkdtemp(prefix="govxl-fuzz-"))
    try:
        write_config(ws / "govxl.xlsx")
        (ws / "workbooks").mkdir()
        write_register(ws / "workbooks" / "台账.xlsx", rows, title_rows, merges, real_formulas)
        res = CliRunner().invoke(main, ["score", str(ws / "workbooks"), "--config", str(ws / "govxl.xlsx"), "--month", "2025-10",
                                        "--out", str(ws / "out"), "--result", str(ws / "r.json")])
        assert res.exit_code in (0, 1), res.stderr
        assert "内部错误" not in res.stderr and "Traceback" not in res.stderr
        data = json.loads((ws / "r.json").read_text(encoding="utf-8"))
        b = data["rows"]
        assert b["read"] == b["counted"] + b["duplicate"] + b["error"] + b["skipped"], b
        assert b["read"] <= len(rows)
        if any(p["severity"] == "error" for p in data["problems"]):
            assert res.exit_code == 1
        books = [Path(p) for p in data["outputs"] if str(p).endswith(".xlsx")]
        assert books
        wb = openpyxl.load_workbook(books[0])
        for sheet in wb.worksheets:
            for row in sheet.iter_rows():
                for c in row:
                    assert c.data_type != "f", (sheet.title, c.coordinate, c.value)
                    if isinstance(c.value, str):
                        assert c.data_type == "s", (sheet.title, c.coordinate, c.value)
        # the 行数核对 sheet shows the same accounting
        check = wb["行数核对"]
        texts = [[c.value for c in r] for r in check.iter_rows()]
        assert any(str(b["read"]) in [str(v) for v in r] for r in texts)
    finally:
        shutil.rmtree(ws, ignore_errors=True)
