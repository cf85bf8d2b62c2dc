"""The sample county's 政府信息公开 registers, for `govxl init --sample` and `govxl disclosure`.

Three workbooks in the layouts the README documents (one row per document, decision batch, application
or case), drawn from random.Random(seed) and written with fixed properties, so the same seed gives the
same bytes. They hold what a county office really records in a year: a few normative documents issued
and repealed, monthly batches of 许可/处罚 decisions, quarterly fees, some forty applications (a few
carried in from December of the year before, a few still open at the year's end) and a handful of
reconsideration and litigation cases.
"""
from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from .roster_data import COUNTY, OFFICE_NAME

FOLDER = "政府信息公开"


def disclosure_file_names(year: int) -> list[Path]:
    return [Path(FOLDER) / f"主动公开登记{year}.xlsx", Path(FOLDER) / f"依申请公开登记{year}.xlsx",
            Path(FOLDER) / f"行政复议行政诉讼登记{year}.xlsx"]


DOCUMENTS = ("城乡居民临时救助实施办法", "农村宅基地管理办法", "政府投资项目管理办法", "城区养犬管理规定",
             "重大行政决策程序规定", "公共租赁住房管理办法", "突发事件应急预案管理办法", "涉企行政检查规范")
REPEALED = ("城区临时占道管理暂行办法", "农村危房改造补助办法（试行）")
APPLICANTS = (("自然人", 70), ("商业企业", 14), ("法律服务机构", 7), ("社会公益组织", 4), ("科研机构", 2), ("其他", 3))
RESULTS = (("予以公开", 46), ("部分公开", 14), ("无法提供-不掌握", 18), ("无法提供-需另行制作", 6),
           ("不予公开-过程性信息", 5), ("不予处理-信访举报投诉", 5), ("不予处理-重复申请", 3), ("其他处理-逾期不补正", 3))
TOPICS = ("征地补偿安置方案", "低保审批名单", "建设项目环评批复", "道路改造工程招标文件", "拆迁补偿标准",
          "惠农补贴发放明细", "行政处罚决定书", "财政预算执行情况", "学校划片方案", "企业用地审批材料")
CASES = (("行政复议", "政府信息公开答复", "维持"), ("行政复议", "政府信息公开答复", "纠正"),
         ("行政复议", "政府信息公开答复", "审理中"), ("直接起诉", "政府信息公开答复", "维持"),
         ("复议后起诉", "政府信息公开答复", "驳回起诉"))


def _pick(rng: random.Random, pairs):
    return rng.choices([v for v, _w in pairs], weights=[w for _v, w in pairs])[0]


def _day(rng: random.Random, year: int, month: int) -> dt.datetime:
    return dt.datetime(year, month, rng.randint(1, 28))


def write_disclosure_registers(dest_dir: Path, year: int = 2025, seed: int = 2025) -> list[Path]:
    """Write the three registers under dest_dir (normally DIR/workbooks). Returns the files written."""
    rng = random.Random(seed + 7)
    paths = [Path(dest_dir) / n for n in disclosure_file_names(year)]
    _proactive(paths[0], year, rng)
    _applications(paths[1], year, rng)
    _cases(paths[2], year, rng)
    return paths


class _Sheet:
    """One register sheet: a title row, a header row, bordered cells; A4, header repeated when printed."""

    def __init__(self, path: Path, year: int, title: str, header, widths):
        import xlsxwriter

        path.parent.mkdir(parents=True, exist_ok=True)
        self.wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_formulas": False,
                                                  "strings_to_urls": False})
        self.wb.set_properties({"title": title, "author": OFFICE_NAME, "company": OFFICE_NAME,
                                "created": dt.datetime(year, 1, 1, 8, 0, 0)})
        f = self.wb.add_format
        self.cell = f({"border": 1, "valign": "vcenter", "text_wrap": True})
        self.center = f({"border": 1, "align": "center", "valign": "vcenter"})
        self.date = f({"border": 1, "align": "center", "valign": "vcenter", "num_format": "yyyy-mm-dd"})
        self.money = f({"border": 1, "align": "center", "valign": "vcenter", "num_format": "0.00"})
        ws = self.ws = self.wb.add_worksheet(f"{year}年")
        for c, w in enumerate(widths):
            ws.set_column(c, c, w)
        ws.merge_range(0, 0, 0, len(header) - 1, title, f({"bold": True, "font_size": 14, "align": "center",
                                                            "valign": "vcenter"}))
        ws.set_row(0, 26)
        head = f({"bold": True, "align": "center", "valign": "vcenter", "border": 1, "bg_color": "#E2EFDA",
                  "text_wrap": True})
        for c, h in enumerate(header):
            ws.write_string(1, c, h, head)
        ws.freeze_panes(2, 0)
        ws.repeat_rows(1)
        ws.set_paper(9)
        ws.set_landscape()
        ws.fit_to_pages(1, 0)
        self.r = 2

    def row(self, values):
        """values: (kind, value) with kind text | center | date | number | money | blank."""
        for c, (kind, v) in enumerate(values):
            if kind == "blank" or v is None:
                self.ws.write_blank(self.r, c, None, self.cell)
            elif kind == "date":
                self.ws.write_datetime(self.r, c, v, self.date)
            elif kind in ("number", "money"):
                self.ws.write_number(self.r, c, v, self.money if kind == "money" else self.center)
            else:
                self.ws.write_string(self.r, c, str(v), self.center if kind == "center" else self.cell)
        self.r += 1

    def close(self):
        self.wb.close()


def _proactive(path: Path, year: int, rng: random.Random):
    s = _Sheet(path, year, f"{COUNTY}{year}年主动公开政府信息登记表",
               ("序号", "信息内容", "文件名称或事项", "日期", "动作", "数量", "金额（万元）"), (6, 16, 40, 12, 10, 8, 12))
    rows = []
    for k, name in enumerate(rng.sample(DOCUMENTS, 6)):
        rows.append(("行政规范性文件", f"{COUNTY}{name}", _day(rng, year, 1 + k * 2), "制发", None, None))
    for k, name in enumerate(REPEALED):
        rows.append(("行政规范性文件", f"{COUNTY}{name}", _day(rng, year, 3 + k * 6), "废止", None, None))
    for m in range(1, 13):
        rows.append(("行政许可", f"{m}月行政许可决定", dt.datetime(year, m, 28), "处理决定", rng.randint(35, 80), None))
        rows.append(("行政处罚", f"{m}月行政处罚决定", dt.datetime(year, m, 28), "处理决定", rng.randint(6, 24), None))
    for q in range(4):
        rows.append(("行政强制", f"第{'一二三四'[q]}季度行政强制决定", dt.datetime(year, 3 * q + 3, 25), "处理决定",
                     rng.randint(0, 3), None))
        rows.append(("行政事业性收费", f"第{'一二三四'[q]}季度行政事业性收费", dt.datetime(year, 3 * q + 3, 25), None,
                     None, round(rng.uniform(8, 20), 2)))
    rows.sort(key=lambda r: (r[2], r[0]))
    for n, (content, name, day, action, qty, money) in enumerate(rows, 1):
        s.row((("number", n), ("center", content), ("text", name), ("date", day), ("center", action),
               ("number", qty), ("money", money)))
    s.close()


def _applications(path: Path, year: int, rng: random.Random):
    s = _Sheet(path, year, f"{COUNTY}{year}年政府信息公开申请登记表",
               ("序号", "申请人", "收到日期", "申请人类型", "申请内容", "办理结果", "办结日期"), (6, 14, 12, 14, 30, 22, 12))
    rows = []
    # carried in: received late in December of the year before, answered in January
    for _ in range(3):
        got = dt.datetime(year - 1, 12, rng.randint(18, 30))
        rows.append((got, _pick(rng, APPLICANTS), _pick(rng, RESULTS), got + dt.timedelta(days=rng.randint(12, 20))))
    for _ in range(38):
        got = _day(rng, year, rng.randint(1, 12))
        done = got + dt.timedelta(days=rng.randint(5, 20))
        if done.year > year:  # still open on 31 December: carried to next year
            rows.append((got, _pick(rng, APPLICANTS), None, None))
        else:
            rows.append((got, _pick(rng, APPLICANTS), _pick(rng, RESULTS), done))
    for _ in range(2):  # received in the last days of the year, not yet answered
        rows.append((dt.datetime(year, 12, rng.randint(26, 30)), _pick(rng, APPLICANTS), None, None))
    rows.sort(key=lambda r: r[0])
    for n, (got, who, result, done) in enumerate(rows, 1):
        name = f"{'王李张刘陈杨赵黄周吴'[n % 10]}某" if who == "自然人" else f"某{who}"
        s.row((("number", n), ("center", name), ("date", got), ("center", who), ("text", rng.choice(TOPICS)),
               ("center", result), ("date", done)))
    s.close()


def _cases(path: Path, year: int, rng: random.Random):
    s = _Sheet(path, year, f"{COUNTY}{year}年政府信息公开行政复议、行政诉讼登记表",
               ("序号", "类型", "案由", "立案日期", "结果"), (6, 14, 30, 12, 12))
    for n, (kind, cause, result) in enumerate(CASES, 1):
        s.row((("number", n), ("center", kind), ("text", cause), ("date", _day(rng, year, 2 * n)), ("center", result)))
    s.close()
