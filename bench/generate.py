"""Benchmark data: a county month and a province year of messy registers, from a fixed seed.

    python bench/generate.py                 # both data sets into bench/data/ (skipped when up to date)
    python bench/generate.py --force         # regenerate

(a) county/   60 departmental files, ~400 rows: one file per unit, unit only in the file name or sheet.
(b) province/ 200 files, 500,000 data rows: the layouts real offices keep —
    A  title rows + a two-row header with 采用情况 merged over 县级/市级/省级/国家级 (unit in the file name);
       level cells hold √, a date or a publication name;
    B  a city's compilation with a 报送单位 column, text dates (2024年3月5日, 2024/3/5) and free-text
       adoption (“市采用；省办专报”) and instruction columns;
    C  one sheet per month (1月 … 12月) with per-level 是/blank columns, datetimes with times, a 合计 row per
       sheet and a 填表说明 sheet (unit in the file name);
    D  a department's register over several cities with 单位名称, dates as bare Excel serial numbers,
       blank rows and the header repeated every 500 rows.
A few rows carry the mistakes real registers carry (unknown unit, impossible date, empty title), some
titles are exact re-submissions and some nearly so.

Everything is deterministic: the same seed gives byte-identical files (xlsxwriter, fixed timestamps).
"""
from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import random
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DATA = HERE / "data"
SEED = 20241031
VERSION = 4  # bump when the layouts change, so stale data is regenerated
FIXED_TIME = dt.datetime(2024, 1, 1)

YEAR = 2024
COUNTY_MONTH = "2024-10"
PROVINCE_MONTH = "2024-10"

CITIES = ["石城", "青川", "白河", "云岭", "金沙", "临江", "凤台", "兰溪", "桐乡", "安平", "龙泉", "清水", "永安", "平阳"]
DEPTS = ["教育局", "公安局", "民政局", "财政局", "人力资源和社会保障局", "自然资源局", "生态环境局", "住房和城乡建设局",
         "交通运输局", "水利局", "农业农村局", "商务局", "文化和旅游局", "卫生健康委员会", "应急管理局", "市场监督管理局"]
TOWNS = ["城关镇", "青石镇", "白沙镇", "河口镇", "龙山镇", "马坪镇", "桃源乡", "红岩乡", "新华镇", "太平镇",
         "双河镇", "金竹乡", "古城镇", "柳林镇", "高桥镇", "石门乡", "长岭镇", "黄土镇", "三江镇", "永和乡"]
COUNTY_DEPTS = ["县发展和改革局", "县教育局", "县科学技术局", "县工业和信息化局", "县公安局", "县民政局", "县司法局",
                "县财政局", "县人力资源和社会保障局", "县自然资源局", "县生态环境分局", "县住房和城乡建设局",
                "县交通运输局", "县水利局", "县农业农村局", "县商务局", "县文化和旅游局", "县卫生健康局",
                "县退役军人事务局", "县应急管理局", "县审计局", "县市场监督管理局", "县统计局", "县医疗保障局",
                "县林业局", "县城市管理局", "县信访局", "县政务服务中心", "县档案馆", "县融媒体中心",
                "县供销社", "县气象局", "县税务局", "县人民银行", "县总工会", "团县委", "县妇联", "县残联",
                "县科协", "县工商联"]

ACTIONS = ["扎实推进", "全力抓好", "多措并举推进", "创新开展", "深入开展", "持续深化", "统筹推进", "积极推进", "加快推进",
           "着力提升", "聚焦", "精准实施", "全面启动", "高质量推进", "强化", "认真落实", "有序推进", "全力做好", "突出抓好", "用心用情做好"]
TOPICS = ["秋冬季森林防火", "农村人居环境整治", "营商环境优化", "安全生产大检查", "乡村振兴示范村建设", "高标准农田建设",
          "义务教育均衡发展", "基层医疗服务能力提升", "防汛抗旱", "招商引资", "重点项目建设", "文明城市创建", "河长制落实",
          "秸秆禁烧", "平安建设", "民生实事", "劳务输出", "特色产业发展", "数字政府建设", "政务服务一网通办", "耕地保护",
          "生态环境保护", "消费帮扶", "信访积案化解", "城乡环境卫生整治", "冬春农田水利建设", "老旧小区改造", "校园安全",
          "食品安全", "燃气安全专项整治", "根治欠薪", "春耕备耕", "文旅融合发展", "金融服务实体经济", "稳岗就业",
          "养老服务体系建设", "义务植树", "集体经济壮大", "矛盾纠纷排查化解", "移风易俗"]
RESULTS = ["工作", "取得明显成效", "见实效", "成效显著", "初见成效", "稳步推进", "有序开展", "再上新台阶", "走深走实", ""]
DETAILS = ["完成投资{n}亿元", "惠及群众{m}余人", "整改问题{k}个", "覆盖{k}个村（社区）", "签约项目{k}个", "培训{m}人次",
           "排查隐患{m}处", "新增就业{m}人", "发放资金{n}万元", "办结事项{m}件"]
KINDS = ["一般", "一般", "一般", "动态", "动态", "重要", "紧急", "专报", "调研"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "华", "慧",
         "建国", "志强", "海燕", "晓东", "红梅", "文博"]
# free-text adoption cells as offices type them: level, text
ADOPTION_TEXTS = [("县级", "县采用"), ("县级", "本级专报"), ("市级", "市采用"), ("市级", "市级专报"), ("市级", "市办专报"),
                  ("省级", "省采用"), ("省级", "省办专报"), ("国家级", "国办采用"), ("县级", "县级"), ("市级", "市委办采用")]
LEVEL_PUBS = {"县级": ["√", "本级专报", "县采用"], "市级": ["√", "市级专报", "市采用"], "省级": ["√", "省办专报"], "国家级": ["√", "国办"]}
INSTRUCTIONS = ["县长批示", "副县长批示", "市长批示", "副市长批示", "省领导批示", "县委书记批示；市长批示"]


# ---- the config workbook: reuse the test builder so the bench config follows the same contract ----

def _conftest():
    spec = importlib.util.spec_from_file_location("govxl_tests_conftest", ROOT / "tests" / "conftest.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def write_config(path: Path, units: list):
    _conftest().write_config(path, units=units, settings={"机关名称": "基准测试办公室"})


# ---- rows -------------------------------------------------------------------------------------

class Titles:
    """Titles for one unit: mostly distinct, some exact re-submissions and near duplicates."""

    def __init__(self, rng: random.Random, prefix: str):
        self.rng, self.prefix, self.made = rng, prefix, []

    def next(self) -> str:
        r = self.rng
        if self.made and r.random() < 0.01:  # the same item submitted again (another row, maybe spaced)
            t = r.choice(self.made)
            return t if r.random() < 0.5 else t.replace("，", "， ")
        if self.made and r.random() < 0.005:  # nearly the same: one character changed or added
            t = r.choice(self.made)
            return t + "的" if r.random() < 0.5 else t[:-1] + "件"
        detail = r.choice(DETAILS).format(n=round(r.uniform(0.1, 30), 1), m=r.randint(20, 9000), k=r.randint(2, 300))
        t = f"{self.prefix}{r.choice(ACTIONS)}{r.choice(TOPICS)}{r.choice(RESULTS)}，{detail}"
        self.made.append(t)
        return t


def _author(rng) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _date(rng, start: dt.date, end: dt.date) -> dt.datetime:
    days = (end - start).days
    d = start + dt.timedelta(days=rng.randint(0, days))
    return dt.datetime(d.year, d.month, d.day, rng.randint(8, 18), rng.choice((0, 10, 20, 30, 40, 50)))


def make_rows(rng, units: list, n: int, start: dt.date, end: dt.date, focus: float = 0.0) -> list:
    """n records (dicts) for the given (unit name, shown name) pairs, sorted by date.

    focus: the share of rows dated in the last month of start..end (a county's month being scored)."""
    last = end.replace(day=1)
    titles = {u: Titles(rng, short(u)) for u, _ in units}
    authors = {u: [_author(rng) for _ in range(3)] for u, _ in units}
    out = []
    for _ in range(n):
        unit, shown = rng.choice(units)
        when = _date(rng, last, end) if rng.random() < focus else _date(rng, start, end)
        rec = {"unit": unit, "shown": shown, "title": titles[unit].next(), "date": when,
               "kind": rng.choice(KINDS), "author": rng.choice(authors[unit]), "levels": {}, "text": "", "instr": "",
               "error": None}
        p = rng.random()
        if p < 0.16:  # adopted (sometimes at two levels)
            lv, text = rng.choice(ADOPTION_TEXTS)
            rec["levels"][lv] = rng.choice(LEVEL_PUBS[lv])
            rec["text"] = text
            if rng.random() < 0.2:
                lv2, text2 = rng.choice(ADOPTION_TEXTS)
                if lv2 != lv:
                    rec["levels"][lv2] = rng.choice(LEVEL_PUBS[lv2])
                    rec["text"] += "；" + text2
        if rng.random() < 0.01:
            rec["instr"] = rng.choice(INSTRUCTIONS)
        e = rng.random()
        if e < 0.0005:
            rec["error"] = "unit"
        elif e < 0.001:
            rec["error"] = "date"
        elif e < 0.0012:
            rec["error"] = "title"
        out.append(rec)
    out.sort(key=lambda r: r["date"])
    return out


def short(unit: str) -> str:
    """How a unit names itself at the start of a title: 石城市教育局 → 石城教育局."""
    for c in CITIES:
        if unit.startswith(c + "市"):
            return c + unit[len(c) + 1:]
    return unit


# ---- layouts ------------------------------------------------------------------------------------

def _workbook(path: Path, constant_memory: bool = True):
    import xlsxwriter

    # constant_memory writes row by row: a header merged over two rows needs it off
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": constant_memory, "strings_to_numbers": False,
                                         "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_properties({"created": FIXED_TIME, "author": "bench"})
    f = {
        "title": wb.add_format({"bold": True, "font_size": 16, "align": "center"}),
        "head": wb.add_format({"bold": True, "border": 1, "align": "center", "valign": "vcenter", "bg_color": "#DDEBF7"}),
        "date": wb.add_format({"num_format": "yyyy-mm-dd", "border": 1}),
        "dtime": wb.add_format({"num_format": "yyyy-mm-dd hh:mm", "border": 1}),
        "cell": wb.add_format({"border": 1}),
    }
    return wb, f


def _title_of(rec) -> str:
    return "" if rec["error"] == "title" else rec["title"]


def layout_a(path: Path, unit: str, rows: list, rng):
    """Title rows, a two-row merged header (采用情况 over the four levels), unit only in the file name."""
    wb, f = _workbook(path, constant_memory=False)
    ws = wb.add_worksheet("台账")
    heads = ["序号", "信息标题", "报送日期", "信息类型", "撰稿人"]
    ncol = len(heads) + 4 + 2
    ws.merge_range(0, 0, 0, ncol - 1, f"{unit}{YEAR}年政务信息报送台账", f["title"])
    ws.write_string(1, 0, f"填报单位：{unit}　　　填报人：{_author(rng)}", f["cell"])
    for c, h in enumerate(heads):
        ws.merge_range(2, c, 3, c, h, f["head"])
    c0 = len(heads)
    ws.merge_range(2, c0, 2, c0 + 3, "采用情况", f["head"])
    for i, lv in enumerate(("县级", "市级", "省级", "国家级")):
        ws.write_string(3, c0 + i, lv, f["head"])
    ws.merge_range(2, c0 + 4, 3, c0 + 4, "领导批示", f["head"])
    ws.merge_range(2, c0 + 5, 3, c0 + 5, "备注", f["head"])
    r = 4
    for n, rec in enumerate(rows, 1):
        ws.write_number(r, 0, n, f["cell"])
        ws.write_string(r, 1, _title_of(rec), f["cell"])
        if rec["error"] == "date":
            ws.write_string(r, 2, "2024-13-05", f["cell"])
        else:
            ws.write_datetime(r, 2, rec["date"].replace(hour=0, minute=0), f["date"])
        ws.write_string(r, 3, rec["kind"], f["cell"])
        ws.write_string(r, 4, rec["author"], f["cell"])
        for i, lv in enumerate(("县级", "市级", "省级", "国家级")):
            v = rec["levels"].get(lv)
            if v is None:
                ws.write_blank(r, c0 + i, None, f["cell"])
            elif v == "√" and rng.random() < 0.3:  # the adoption date instead of a tick
                ws.write_datetime(r, c0 + i, rec["date"] + dt.timedelta(days=rng.randint(1, 20)), f["date"])
            else:
                ws.write_string(r, c0 + i, v, f["cell"])
        ws.write_string(r, c0 + 4, rec["instr"], f["cell"])
        ws.write_blank(r, c0 + 5, None, f["cell"])
        r += 1
    wb.close()


def layout_b(path: Path, city: str, rows: list, rng):
    """A city's compilation: 报送单位 column, text dates, free-text adoption and instruction columns."""
    wb, f = _workbook(path)
    ws = wb.add_worksheet("汇总")
    heads = ["序号", "报送单位", "标题", "报送时间", "类别", "作者", "采用情况", "批示情况", "备注"]
    ws.merge_range(0, 0, 0, len(heads) - 1, f"{city}市{YEAR}年政务信息报送采用情况汇总表", f["title"])
    for c, h in enumerate(heads):
        ws.write_string(1, c, h, f["head"])
    r = 2
    for n, rec in enumerate(rows, 1):
        d = rec["date"]
        unit = rec["shown"] if rec["error"] != "unit" else rec["shown"][:-1] + "处"
        if rec["error"] == "date":
            date = "待定"
        elif n % 2:
            date = f"{d.year}年{d.month}月{d.day}日"
        else:
            date = f"{d.year}/{d.month}/{d.day}"
        vals = [n, unit, _title_of(rec), date, rec["kind"], rec["author"], rec["text"], rec["instr"], ""]
        ws.write_number(r, 0, n, f["cell"])
        for c, v in enumerate(vals[1:], 1):
            ws.write_string(r, c, v, f["cell"])
        r += 1
    wb.close()


def layout_c(path: Path, unit: str, rows: list, rng):
    """One sheet per month with per-level 是 columns, datetimes, a 合计 row and a 填表说明 sheet."""
    wb, f = _workbook(path)
    note = wb.add_worksheet("填表说明")
    note.write_string(0, 0, "1. 每月一张表，按报送时间顺序填写。")
    note.write_string(1, 0, "2. 被采用的在对应级别下填“是”，并填写采用日期。")
    heads = ["编号", "题目", "上报日期", "稿件类型", "信息员", "县级采用", "市级采用", "省级采用", "国家级采用", "采用日期", "备注"]
    by_month = {m: [] for m in range(1, 13)}
    for rec in rows:
        by_month[rec["date"].month].append(rec)
    for m in range(1, 13):
        ws = wb.add_worksheet(f"{m}月")
        ws.merge_range(0, 0, 0, len(heads) - 1, f"{unit}{YEAR}年{m}月信息报送登记表", f["title"])
        for c, h in enumerate(heads):
            ws.write_string(1, c, h, f["head"])
        r = 2
        for n, rec in enumerate(by_month[m], 1):
            ws.write_number(r, 0, n, f["cell"])
            ws.write_string(r, 1, _title_of(rec), f["cell"])
            if rec["error"] == "date":
                ws.write_string(r, 2, "2024年2月30日", f["cell"])
            else:
                ws.write_datetime(r, 2, rec["date"], f["dtime"])
            ws.write_string(r, 3, rec["kind"], f["cell"])
            ws.write_string(r, 4, rec["author"], f["cell"])
            for i, lv in enumerate(("县级", "市级", "省级", "国家级")):
                ws.write_string(r, 5 + i, "是" if lv in rec["levels"] else "", f["cell"])
            if rec["levels"]:
                ws.write_datetime(r, 9, rec["date"] + dt.timedelta(days=7), f["date"])
            else:
                ws.write_blank(r, 9, None, f["cell"])
            ws.write_string(r, 10, rec["instr"] and "有批示", f["cell"])
            r += 1
        ws.write_string(r, 0, "合计", f["cell"])
        ws.write_string(r, 1, f"{len(by_month[m])}篇", f["cell"])
    wb.close()


def layout_d(path: Path, dept: str, rows: list, rng):
    """A department's register over several cities: 单位名称, serial-number dates, blank and repeated header rows."""
    wb, f = _workbook(path)
    ws = wb.add_worksheet("Sheet1")
    heads = ["序号", "单位名称", "信息题目", "上报日期", "信息类别", "撰稿人", "采用级别", "领导批示", "备注"]
    ws.write_string(0, 0, f"全省{dept}系统{YEAR}年信息报送登记", f["title"])
    ws.write_string(1, 0, "（按上报日期排序；日期为 Excel 日期序号）", f["cell"])
    r = 2
    for c, h in enumerate(heads):
        ws.write_string(r, c, h, f["head"])
    r += 1
    epoch = dt.datetime(1899, 12, 30)
    for n, rec in enumerate(rows, 1):
        if n % 500 == 0:  # header repeated for printing
            for c, h in enumerate(heads):
                ws.write_string(r, c, h, f["head"])
            r += 1
        if n % 97 == 0:  # a blank line left between blocks
            r += 1
        unit = rec["shown"] if rec["error"] != "unit" else rec["shown"] + "办"
        ws.write_number(r, 0, n, f["cell"])
        ws.write_string(r, 1, unit, f["cell"])
        ws.write_string(r, 2, _title_of(rec), f["cell"])
        if rec["error"] == "date":
            ws.write_number(r, 3, 123.0, f["cell"])
        else:
            ws.write_number(r, 3, (rec["date"].replace(hour=0, minute=0) - epoch).days, f["cell"])
        ws.write_string(r, 4, rec["kind"], f["cell"])
        ws.write_string(r, 5, rec["author"], f["cell"])
        ws.write_string(r, 6, "、".join(_level_pub(lv) for lv in rec["levels"]), f["cell"])
        ws.write_string(r, 7, rec["instr"], f["cell"])
        ws.write_blank(r, 8, None, f["cell"])
        r += 1
    wb.close()


def _level_pub(lv: str) -> str:
    return {"县级": "县级", "市级": "市级", "省级": "省级专报", "国家级": "国家级"}[lv]


LAYOUTS = {"A": layout_a, "B": layout_b, "C": layout_c, "D": layout_d}


def _write_job(job):
    kind, path, owner, rows, seed = job
    LAYOUTS[kind](Path(path), owner, rows, random.Random(seed))
    return path


# ---- the two data sets -----------------------------------------------------------------------------

def _split(rng, total: int, parts: int) -> list:
    """total rows over parts files, uneven as real offices are, summing exactly to total."""
    weights = [rng.uniform(0.3, 1.7) for _ in range(parts)]
    s = sum(weights)
    counts = [int(total * w / s) for w in weights]
    for i in range(total - sum(counts)):
        counts[i % parts] += 1
    return counts


def county_plan(rng, files: int = 60, rows: int = 400):
    """Roster and file jobs for (a): one file per unit (towns and county departments)."""
    names = (TOWNS + COUNTY_DEPTS)[:files]
    while len(names) < files:
        names.append(f"县直单位{len(names) + 1}")
    roster = [(n, "", "乡镇" if n in TOWNS else "县直部门", 2) for n in names]
    counts = _split(rng, rows, files)
    end = dt.date(YEAR, 10, 31)
    jobs = []
    for i, (name, n) in enumerate(zip(names, counts)):
        recs = make_rows(rng, [(name, name)], n, dt.date(YEAR, 1, 1), end, focus=0.5)
        kind = "A" if i % 3 != 2 else "C"
        jobs.append((kind, f"{i + 1:02d}_{name}{YEAR}年信息报送台账.xlsx", name, recs))
    return roster, jobs


def province_plan(rng, files: int = 200, rows: int = 500_000):
    """Roster and file jobs for (b): 40% A, 20% C (one unit each), 20% B (a city's units), 20% D (a department's)."""
    n_a, n_c = round(files * 0.4), round(files * 0.2)
    n_b = round(files * 0.2)
    n_d = files - n_a - n_c - n_b
    units = [f"{c}市{d}" for d in DEPTS for c in CITIES]  # 224 units
    units += [f"{c}市人民政府办公室" for c in CITIES]
    rng.shuffle(units)
    need = n_a + n_c + 3 * (n_b + n_d)
    while len(units) < need:
        units.append(f"{CITIES[len(units) % len(CITIES)]}市直属单位{len(units)}")
    single = units[:n_a + n_c]
    rest = units[n_a + n_c:need]
    roster = [(u, short(u) if short(u) != u else "", "市直部门" if "办公室" not in u else "市政府办", 3) for u in units[:need]]
    counts = _split(rng, rows, files)
    start, end = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    jobs = []
    i = 0
    for u in single[:n_a]:
        jobs.append(("A", f"A{i:03d}_{u}{YEAR}年政务信息报送台账.xlsx", u, make_rows(rng, [(u, u)], counts[i], start, end)))
        i += 1
    for u in single[n_a:]:
        jobs.append(("C", f"C{i:03d}_{short(u)}{YEAR}年信息报送登记（分月）.xlsx", u,
                     make_rows(rng, [(u, u)], counts[i], start, end)))
        i += 1
    by_city = sorted(rest[:3 * n_b], key=lambda u: u[:2])
    for k in range(n_b):
        group = by_city[3 * k:3 * k + 3]
        city = group[0][:2]
        shown = [(u, short(u) if rng.random() < 0.3 else u) for u in group]
        jobs.append(("B", f"B{i:03d}_{city}市{YEAR}年信息报送汇总（第{k + 1}册）.xlsx", city,
                     make_rows(rng, shown, counts[i], start, end)))
        i += 1
    by_dept = rest[3 * n_b:]
    for k in range(n_d):
        group = by_dept[3 * k:3 * k + 3]
        dept = group[0][3:] if group else "综合"
        jobs.append(("D", f"D{i:03d}_{dept}系统{YEAR}年信息登记（第{k + 1}册）.xlsx", dept,
                     make_rows(rng, [(u, u) for u in group], counts[i], start, end)))
        i += 1
    return roster, jobs


def build(dest: Path, plan, *, seed: int, workers: int = 2, **kw) -> dict:
    """Write one data set (govxl.xlsx + workbooks/) into dest; returns its manifest."""
    rng = random.Random(seed)
    roster, jobs = plan(rng, **kw)
    books = dest / "workbooks"
    books.mkdir(parents=True, exist_ok=True)
    for old in books.glob("*.xlsx"):
        old.unlink()
    write_config(dest / "govxl.xlsx", roster)
    work = [(kind, str(books / name), owner, recs, seed + n) for n, (kind, name, owner, recs) in enumerate(jobs)]
    work.sort(key=lambda j: -len(j[3]))  # biggest first, for an even spread over the workers
    if workers > 1 and len(work) > 4:
        with ProcessPoolExecutor(workers) as ex:
            list(ex.map(_write_job, work, chunksize=1))
    else:
        for j in work:
            _write_job(j)
    data_rows = sum(len(j[3]) for j in jobs)
    return {"files": len(jobs), "data_rows": data_rows, "units": len(roster),
            "layouts": {k: sum(1 for j in jobs if j[0] == k) for k in LAYOUTS}}


def made_from(stamp: Path, recipe: dict):
    """The manifest of a data set already generated from this recipe, else None."""
    try:
        old = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return old if old.get("recipe") == recipe else None


def generate(data: Path = DATA, *, force: bool = False, seed: int = SEED, county: tuple = (60, 400),
             province: tuple = (200, 500_000), workers: int = 2, log=print) -> dict:
    """Both data sets under data/ (county/, province/), regenerated only when the recipe changed."""
    data = Path(data)
    recipe = {"version": VERSION, "seed": seed, "county": list(county), "province": list(province)}
    stamp = data / "manifest.json"
    old = None if force else made_from(stamp, recipe)
    if old is not None:
        return old
    data.mkdir(parents=True, exist_ok=True)
    t0 = dt.datetime.now()
    log(f"生成基准数据（seed={seed}）→ {data}")
    man = {"recipe": recipe,
           "county": build(data / "county", county_plan, seed=seed, workers=workers, files=county[0], rows=county[1]),
           "province": build(data / "province", province_plan, seed=seed + 1, workers=workers,
                             files=province[0], rows=province[1]),
           "county_month": COUNTY_MONTH, "province_month": PROVINCE_MONTH, "year": YEAR}
    stamp.write_text(json.dumps(man, ensure_ascii=False, indent=2), encoding="utf-8")
    log(f"  完成，用时 {(dt.datetime.now() - t0).total_seconds():.1f} s：county {man['county']['files']} 个文件 "
        f"{man['county']['data_rows']} 行；province {man['province']['files']} 个文件 {man['province']['data_rows']} 行")
    return man


def main(argv=None):
    ap = argparse.ArgumentParser(description="Generate the govxl benchmark data (fixed seed).")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--force", action="store_true")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--county", type=int, nargs=2, default=(60, 400), metavar=("FILES", "ROWS"))
    ap.add_argument("--province", type=int, nargs=2, default=(200, 500_000), metavar=("FILES", "ROWS"))
    ap.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    a = ap.parse_args(argv)
    man = generate(a.data, force=a.force, seed=a.seed, county=tuple(a.county), province=tuple(a.province),
                   workers=a.workers)
    json.dump(man, sys.stdout, ensure_ascii=False, indent=2)
    print()


if __name__ == "__main__":
    main()
