"""The 得分明细 sheet written three ways: xlsxwriter's public API, govxl's streamed writer, the old one (issue 21).

    python -m bench.writers                      # N = 125k, 250k, 500k rows, one round each
    python -m bench.writers --rows 50000 --rounds 3 --old-ref d653e60

Each writes the same N detail rows (15 columns: the shape, types and texts of a province year's 得分明细,
from bench.generate's vocabularies, fixed seed) under the same title and header, into a workbook of one
sheet, and closes the file:

- public: xlsxwriter's public API only — a workbook opened with constant_memory, one write_string /
  write_number / write_datetime / write_blank per cell (never write()), set_row for a wrapped row;
- stream: govxl.write.xlsxstream as it is in the tree (no private member of any library): the first row
  through the public API, the others streamed as XML into the closed file (RowStream + splice);
- old: govxl/write/xlsxstream.py as it was at --old-ref (it called xlsxwriter's private members; its
  source and read/forked.py are taken from git), rendered in this process (a province year's detail is
  above the row count it forked a child for).

The rows and their heights are made before the clock starts (the same for all). Each round writes all
three in turn; the medians of wall and CPU seconds are printed, and public / stream: how many times
faster the streamed writer is. The files are checked to hold the same cells (python-calamine), then
removed.
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import generate as gen  # noqa: E402

SIZES = (125_000, 250_000, 500_000)
HEADERS = ["序号", "单位", "信息标题", "报送日期", "信息类型", "撰稿人", "采用情况", "批示情况",
           "报送分", "采用分", "批示分", "其他加减分", "本篇得分", "计分依据", "来源（文件 › 工作表 › 行）"]
WIDTHS = [5, 16, 40, 11, 7, 8, 18, 14, 6, 6, 6, 7, 7, 40, 30]
OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
ADOPTIONS = [("县级", "县采用", 2.0), ("县级", "本级专报", 4.0), ("市级", "市采用", 5.0), ("市级", "市级专报", 10.0),
             ("省级", "省办专报", 20.0)]


def detail_rows(n: int, seed: int = gen.SEED) -> list:
    """n rows shaped like 得分明细's: [序号, unit, title, submitted, kind, author, adoptions, instructions,
    5 point columns, 计分依据, source]."""
    rng = random.Random(seed)
    units = [f"{c}市{d}" for c in gen.CITIES for d in gen.DEPTS][:360]
    titles = {u: gen.Titles(rng, gen.short(u)) for u in units}
    start, end = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
    rows = []
    for i in range(1, n + 1):
        unit = rng.choice(units)
        submitted = gen._date(rng, start, end)
        author = gen._author(rng) if rng.random() < 0.9 else ""
        adoption, instruction, basis = "", "", ["报送每篇 +0.5"]
        adopt_pts = instr_pts = 0.0
        if rng.random() < 0.3:
            level, pub, adopt_pts = rng.choice(ADOPTIONS)
            adoption = f"{level}：{pub}（{submitted + dt.timedelta(days=rng.randint(1, 20)):%Y-%m-%d}）"
            basis.append(f"采用（{level}：{pub}） {adopt_pts:+g}")
        if rng.random() < 0.03:
            instruction = rng.choice(gen.INSTRUCTIONS)
            instr_pts = 3.0
            basis.append(f"批示（县级领导，首次） {instr_pts:+g}")
        points = 0.5 + adopt_pts + instr_pts
        source = f"{unit}2024年政务信息报送台账.xlsx › {submitted.month}月 › 第{rng.randint(3, 3000)}行"
        rows.append([i, unit, titles[unit].next(), submitted, rng.choice(gen.KINDS), author, adoption, instruction,
                     0.5, adopt_pts, instr_pts, 0.0, points, "；".join(basis), source])
    return rows


def _heights(rows: list) -> list:
    from govxl.write.layout import with_heights

    return list(with_heights(iter(rows), WIDTHS))


def _formats(wb) -> tuple:
    """title, head and the 15 column formats (as govxl's Styles makes them)."""
    cell = {"font_name": "仿宋", "font_size": 11, "valign": "vcenter", "border": 1}
    title = wb.add_format({"font_name": "宋体", "font_size": 18, "bold": True, "align": "center", "valign": "vcenter"})
    head = wb.add_format({"font_name": "黑体", "font_size": 11, "border": 1, "align": "center", "valign": "vcenter",
                          "text_wrap": True, "bg_color": "#D9E1F2"})
    text = wb.add_format(dict(cell, text_wrap=True))
    center = wb.add_format(dict(cell, align="center"))
    num = wb.add_format(dict(cell, align="center", num_format="0"))
    pts = wb.add_format(dict(cell, align="center", num_format="0.0"))
    date = wb.add_format(dict(cell, align="center", num_format="yyyy-mm-dd"))
    return title, head, [num, text, text, date, center, center, text, text, pts, pts, pts, pts, pts, text, text]


def _head(wb, ws, title, head):
    ws.merge_range(0, 0, 0, len(HEADERS) - 1, "", title)
    ws.write_string(0, 0, "2024年得分明细", title)
    ws.set_row(0, 32)
    for c, (h, w) in enumerate(zip(HEADERS, WIDTHS)):
        ws.set_column(c, c, w)
        ws.write_string(1, c, h, head)
    ws.set_row(1, 30)
    ws.freeze_panes(2, 0)


def write_rows(ws, first: int, rows, formats: list) -> None:
    """(values, height) rows from row `first` down, each cell by the public call of its type."""
    from govxl.write.cells import put

    string, number, when, blank, set_row = ws.write_string, ws.write_number, ws.write_datetime, ws.write_blank, ws.set_row
    for r, (values, height) in enumerate(rows, first):
        if height is not None:
            set_row(r, height)
        for c, (v, f) in enumerate(zip(values, formats)):
            t = type(v)
            if t is str and v and not (v[:3] == "<r>" and v[-4:] == "</r>"):
                string(r, c, v, f)
            elif t is float or t is int:
                number(r, c, v, f)
            elif t is dt.datetime:
                when(r, c, v, f)
            elif t is str and not v:
                blank(r, c, None, f)
            else:
                put(ws, r, c, v, f)  # rich-string look-alikes, bools, dates, None


def write_public(path: Path, rows: list) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {**OPTIONS, "constant_memory": True})
    wb.set_properties({"created": dt.datetime(2000, 1, 1)})
    title, head, fmts = _formats(wb)
    ws = wb.add_worksheet("得分明细")
    _head(wb, ws, title, head)
    ws.autofilter(1, 0, 1 + len(rows), len(HEADERS) - 1)
    write_rows(ws, 2, rows, fmts)
    wb.close()


def write_stream(path: Path, rows: list) -> None:
    import xlsxwriter

    from govxl.write.xlsxstream import RowStream, splice

    wb = xlsxwriter.Workbook(str(path), OPTIONS)
    wb.set_properties({"created": dt.datetime(2000, 1, 1)})
    title, head, fmts = _formats(wb)
    ws = wb.add_worksheet("得分明细")
    _head(wb, ws, title, head)
    ws.autofilter(1, 0, 1 + len(rows), len(HEADERS) - 1)
    stream = RowStream(ws, 2, len(rows), fmts, rows)
    wb.close()
    splice(path, [stream])


def old_writer(ref: str, folder: Path):
    """govxl/write/xlsxstream.py at git commit ref, importable as a module of its own (with the
    read/forked.py it imports)."""
    pkg = folder / "govxl_old"
    for part in ("write/xlsxstream.py", "read/forked.py"):
        src = subprocess.run(["git", "show", f"{ref}:govxl/{part}"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout
        (pkg / part).parent.mkdir(parents=True, exist_ok=True)
        (pkg / part).write_text(src, encoding="utf-8")
    for init in (pkg, pkg / "write", pkg / "read"):
        (init / "__init__.py").write_text("", encoding="utf-8")
    sys.path.insert(0, str(folder))
    return importlib.import_module("govxl_old.write.xlsxstream")


def write_old(path: Path, rows: list, xs) -> None:
    import xlsxwriter

    wb = xlsxwriter.Workbook(str(path), {**OPTIONS, "constant_memory": False})
    wb.set_properties({"created": dt.datetime(2000, 1, 1)})
    title, head, fmts = _formats(wb)
    saved, wb.constant_memory = wb.constant_memory, True  # as govxl's _streamed_sheet did
    ws = wb.add_worksheet("得分明细")
    wb.constant_memory = saved
    _head(wb, ws, title, head)
    ws.autofilter(1, 0, 1 + len(rows), len(HEADERS) - 1)
    stream = xs.RowStream(wb, ws, 2, len(rows), fmts, lambda: iter(rows), before=(title, head))
    wb.close()
    xs.splice(path, [stream])


def _timed(fn, *args) -> tuple:
    t0, c0 = time.perf_counter(), time.process_time()
    fn(*args)
    return time.perf_counter() - t0, time.process_time() - c0


def _check_same_cells(a: Path, b: Path, rows: int) -> None:
    """The two files hold the same values, every cell (read back with python-calamine)."""
    import python_calamine as pc

    def cells(p):
        return pc.CalamineWorkbook.from_path(str(p)).get_sheet_by_name("得分明细").to_python()

    ca, cb = cells(a), cells(b)
    if ca != cb or len(ca) != rows + 2:
        raise SystemExit(f"the two writers disagree: {a} / {b}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, nargs="*", default=list(SIZES), help="the Ns measured")
    ap.add_argument("--rounds", type=int, default=1, help="rounds (medians printed)")
    ap.add_argument("--no-check", action="store_true", help="do not read the files back")
    ap.add_argument("--old-ref", default="d653e60", help="the git commit whose xlsxstream.py is the old writer")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="govxl-writers-") as tmp:
        tmp = Path(tmp)
        xs = old_writer(args.old_ref, tmp)
        every = _heights(detail_rows(max(args.rows)))
        print("seconds (wall / CPU), medians; ratio = public / stream")
        print(f"{'rows':>8} {'public':>13} {'stream':>13} {'old':>13} {'ratio wall':>10} {'ratio CPU':>9}")
        for n in args.rows:
            rows = every[:n]
            got: dict = {"public": [], "stream": [], "old": []}
            for _ in range(args.rounds):
                got["public"].append(_timed(write_public, tmp / "public.xlsx", rows))
                got["stream"].append(_timed(write_stream, tmp / "stream.xlsx", rows))
                got["old"].append(_timed(write_old, tmp / "old.xlsx", rows, xs))
            if not args.no_check:
                _check_same_cells(tmp / "public.xlsx", tmp / "stream.xlsx", n)
                _check_same_cells(tmp / "public.xlsx", tmp / "old.xlsx", n)
            med = {k: [statistics.median(x) for x in zip(*v)] for k, v in got.items()}
            cols = " ".join(f"{w:>6.2f} / {c:>4.1f}" for w, c in med.values())
            print(f"{n:>8} {cols} {med['public'][0] / med['stream'][0]:>9.2f}× {med['public'][1] / med['stream'][1]:>8.2f}×",
                  flush=True)
            for p in tmp.glob("*.xlsx"):
                os.unlink(p)
    return 0


if __name__ == "__main__":
    sys.exit(main())
