"""Benchmark data for `govxl web`: a province-sized posting year (200,000 rows by default), fixed seed.

    python bench/webgen.py [--rows 200000] [--files 20] [--force]

writes bench/data/web/ (skipped when up to date): govxl.xlsx (224 city departments, the test builder's
config, no web sheets: the defaults apply) and workbooks/ with two layouts, half the files each —
    CMS  a portal's export: 序号 / 栏目名称 / 标题 / 发布时间 (datetimes) / 发布人 / 来源 (the department)
    NM   a new-media register: a title row, 发布信息 merged over 平台 / 账号名称, text dates of four forms
Deterministic: xlsxwriter with fixed timestamps, one seed.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench.generate import CITIES, DEPTS, FIXED_TIME, TOPICS, YEAR, made_from, write_config  # noqa: E402

DATA = HERE / "data" / "web"
SEED = 20251022
VERSION = 1
COLUMNS = ("工作动态", "通知公告", "政策解读", "人事信息", "规划计划", "专题专栏")
PLATFORMS = ("微信公众号", "微信", "微博", "抖音", "头条号")


def units() -> list:
    return [f"{c}市{d}" for d in DEPTS for c in CITIES]


def _book(path: Path):
    import xlsxwriter

    path.parent.mkdir(parents=True, exist_ok=True)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                         "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"created": FIXED_TIME})
    return wb


def _when(rng) -> dt.datetime:
    return dt.datetime(YEAR, 1, 1, 8) + dt.timedelta(days=rng.randrange(366 if YEAR % 4 == 0 else 365),
                                                     minutes=rng.randrange(600))


def _cms(path: Path, names: list, n: int, rng):
    wb = _book(path)
    ws = wb.add_worksheet("导出数据")
    when = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    for c, h in enumerate(("序号", "栏目名称", "标题", "发布时间", "发布人", "来源")):
        ws.write_string(0, c, h)
    rows = sorted((_when(rng), rng.choice(COLUMNS), rng.choice(names)) for _ in range(n))
    for r, (t, column, unit) in enumerate(rows, 1):
        ws.write_number(r, 0, r)
        ws.write_string(r, 1, column)
        ws.write_string(r, 2, f"{unit}{rng.choice(TOPICS)}{r}")
        ws.write_datetime(r, 3, t, when)
        ws.write_string(r, 4, "管理员")
        ws.write_string(r, 5, unit)
    wb.close()


def _media(path: Path, names: list, n: int, rng):
    wb = _book(path)
    ws = wb.add_worksheet("台账")
    ws.merge_range(0, 0, 0, 6, "")
    ws.write_string(0, 0, "政务新媒体信息发布登记台账")
    for c, h in ((0, "序号"), (1, "单位"), (4, "标题"), (5, "发布日期"), (6, "类型")):
        ws.merge_range(1, c, 2, c, "")
        ws.write_string(1, c, h)
    ws.merge_range(1, 2, 1, 3, "")
    ws.write_string(1, 2, "发布信息")
    ws.write_string(2, 2, "平台")
    ws.write_string(2, 3, "账号名称")
    rows = sorted((_when(rng).date(), rng.choice(names), rng.choice(PLATFORMS)) for _ in range(n))
    for k, (d, unit, platform) in enumerate(rows):
        r = 3 + k
        text = (f"{d.year}-{d.month:02d}-{d.day:02d}", f"{d.year}/{d.month}/{d.day}", f"{d.year}年{d.month}月{d.day}日",
                f"{d.year}{d.month:02d}{d.day:02d}")[k % 4]
        ws.write_number(r, 0, k + 1)
        for c, v in ((1, unit), (2, platform), (3, f"{unit[:4]}发布"), (4, f"{unit}{rng.choice(TOPICS)}{k}"), (5, text),
                     (6, "原创" if k % 3 else "转载")):
            ws.write_string(r, c, v)
    wb.close()


def generate(data: Path = DATA, *, rows: int = 200_000, files: int = 20, seed: int = SEED, force: bool = False,
             log=print) -> dict:
    data = Path(data)
    recipe = {"version": VERSION, "rows": rows, "files": files, "seed": seed}
    stamp = data / "manifest.json"
    old = None if force else made_from(stamp, recipe)
    if old is not None:
        return old
    log(f"生成发布台账基准数据（{rows} 行，{files} 个文件）→ {data}")
    names = units()
    data.mkdir(parents=True, exist_ok=True)
    write_config(data / "govxl.xlsx", [(u, "", u[:2], None) for u in names])
    rng = random.Random(seed)
    per = [rows // files + (1 if i < rows % files else 0) for i in range(files)]
    for i, n in enumerate(per):
        if i % 2 == 0:
            _cms(data / "workbooks" / f"门户网站发布导出{i:03d}.xlsx", names, n, rng)
        else:
            _media(data / "workbooks" / f"政务新媒体台账{i:03d}.xlsx", names, n, rng)
    man = {"recipe": recipe, "rows": rows, "files": files, "year": YEAR}
    stamp.write_text(json.dumps(man, ensure_ascii=False, indent=2), encoding="utf-8")
    return man


def main(argv=None):
    ap = argparse.ArgumentParser(description="Generate the govxl web benchmark data (fixed seed).")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--files", type=int, default=20)
    ap.add_argument("--force", action="store_true")
    a = ap.parse_args(argv)
    json.dump(generate(a.data, rows=a.rows, files=a.files, force=a.force), sys.stdout, ensure_ascii=False, indent=2)
    print()


if __name__ == "__main__":
    main()
