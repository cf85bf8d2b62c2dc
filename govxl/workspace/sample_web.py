"""The sample county's website and new-media postings (govxl web, issue 22): deterministic registers in
two real layouts, with the findings a clerk should see.

    网站和新媒体/安澜县政府门户网站信息发布导出{year}.xlsx   a CMS export: 序号 / 栏目名称 / 标题 / 发布时间 /
                                                            发布人 / 来源 (the department), one sheet
    网站和新媒体/政务新媒体发布台账{year}.xlsx               title row, merged two-row header (发布信息 over
                                                            平台 / 账号名称), text dates of several forms

Every town posts on its WeChat account; the first eight departments keep 工作动态 and 通知公告 columns on
the portal. Planted: 枫树乡 posts nothing (零发布); 红庙乡's account falls silent after 9月12日 (still silent
at the year's end); 县民政局's 通知公告 is silent from January to August (a silence spanning the start of
the third quarter); 县教育局 declares a 微博 account it never uses (从未发布).
"""
from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from .roster_data import COUNTY, OFFICE_NAME

FOLDER = "网站和新媒体"
TOWN_TASK, DEPT_TASK = 6, 3
ZERO_TOWN, SILENT_TOWN, SILENT_FROM = "枫树乡", "红庙乡", (9, 12)
GAP_DEPT, GAP = "县民政局", ((1, 20), (8, 25))  # 通知公告 posts on these days only
NEVER_DEPT = "县教育局"
N_DEPTS = 8
TOPICS = ("召开安全生产工作会议", "开展防汛应急演练", "推进高标准农田建设", "组织党员志愿服务活动",
          "举办农技培训班", "开展矛盾纠纷排查化解", "推进人居环境整治", "召开项目建设推进会",
          "开展食品安全专项检查", "组织政策宣讲进村入户", "开展森林防火巡查", "举办招聘活动")
NOTICE_TOPICS = ("关于开展年度统计工作的通知", "关于公布办事指南的公告", "关于征求意见的公告", "关于调整办公时间的通知")


def file_names(year: int) -> list:
    return [Path(FOLDER) / f"{COUNTY}政府门户网站信息发布导出{year}.xlsx", Path(FOLDER) / f"政务新媒体发布台账{year}.xlsx"]


def _short(name: str) -> str:
    return name[:-1] if name.endswith(("镇", "乡")) else name


def account_name(unit) -> str:
    return f"{_short(unit.name)}发布"


def roster_web_cells(unit) -> tuple:
    """(每月发布任务, 新媒体账号) of a sample roster unit, as 单位名册 writes them."""
    from .roster_data import G_TOWN

    if unit.group == G_TOWN:
        return TOWN_TASK, f"微信公众号：{account_name(unit)}"
    if unit.name == NEVER_DEPT:
        return DEPT_TASK, f"微博：{_short(unit.name)}发布"
    return (DEPT_TASK, "") if unit.name in _dept_names() else (None, "")


def _dept_names() -> list:
    from .roster_data import G_DEPT1, ROSTER

    return [u.name for u in ROSTER if u.group == G_DEPT1][:N_DEPTS]


def _walk(rng: random.Random, year: int, longest: int, until=None) -> list:
    """Posting days through the year, never more than `longest` days apart (up to `until`, a (month, day))."""
    d, end = dt.date(year, 1, 1) + dt.timedelta(days=rng.randint(0, 3)), dt.date(year, 12, 31)
    if until is not None:
        end = dt.date(year, *until)
    out = []
    while d <= end:
        out.append(d)
        d += dt.timedelta(days=rng.randint(1, longest))
    return out


def _wechat_rows(roster, year: int, rng: random.Random) -> list:
    from .roster_data import G_TOWN

    rows = []
    for u in roster:
        if u.group != G_TOWN or u.name == ZERO_TOWN:
            continue
        for d in _walk(rng, year, 5, SILENT_FROM if u.name == SILENT_TOWN else None):
            rows.append((d, u.name, "微信公众号", account_name(u), f"{_short(u.name)}{rng.choice(TOPICS)}",
                         "原创" if rng.random() < 0.8 else "转载"))
    rows.sort(key=lambda r: (r[0], r[1]))
    return rows


def _portal_rows(roster, year: int, rng: random.Random) -> list:
    rows = []
    for name in _dept_names():
        for d in _walk(rng, year, 9):
            rows.append((dt.datetime(d.year, d.month, d.day, rng.randint(8, 17), rng.randint(0, 59)),
                         "工作动态", f"{name}{rng.choice(TOPICS)}", name))
        notices = [dt.date(year, m, d) for m, d in GAP] if name == GAP_DEPT else \
            [dt.date(year, m, rng.randint(1, 28)) for m in (1, 3, 5, 7, 9, 11)]
        for d in notices:
            rows.append((dt.datetime(d.year, d.month, d.day, 9, 30), "通知公告", f"{name}{rng.choice(NOTICE_TOPICS)}", name))
    rows.sort(key=lambda r: (r[0], r[3], r[1]))
    return rows


def _text_date(d: dt.date, k: int) -> str:
    return (f"{d.year}-{d.month:02d}-{d.day:02d}", f"{d.year}/{d.month}/{d.day}", f"{d.year}年{d.month}月{d.day}日",
            f"{d.year}.{d.month}.{d.day}")[k % 4]


def write_web_registers(dest_dir: Path, roster, *, year: int = 2025, seed: int = 2025) -> list:
    """Write the two posting registers under dest_dir; returns their paths."""
    from .sample import _workbook

    rng = random.Random(seed + 22)
    cms, media = (Path(dest_dir) / n for n in file_names(year))
    wb = _workbook(cms, year, f"{COUNTY}政府门户网站信息发布导出")
    ws = wb.add_worksheet("导出数据")
    when = wb.add_format({"num_format": "yyyy-mm-dd hh:mm"})
    for c, h in enumerate(("序号", "栏目名称", "标题", "发布时间", "发布人", "来源")):
        ws.write_string(0, c, h)
    for r, (t, column, title, unit) in enumerate(_portal_rows(roster, year, rng), 1):
        ws.write_number(r, 0, r)
        ws.write_string(r, 1, column)
        ws.write_string(r, 2, title)
        ws.write_datetime(r, 3, t, when)
        ws.write_string(r, 4, "网站管理员")
        ws.write_string(r, 5, unit)
    ws.set_column(1, 1, 12)
    ws.set_column(2, 2, 40)
    ws.set_column(3, 3, 17)
    wb.close()

    wb = _workbook(media, year, "政务新媒体发布台账")
    ws = wb.add_worksheet(f"{year}年")
    head = wb.add_format({"bold": True, "align": "center", "valign": "vcenter", "border": 1})
    big = wb.add_format({"bold": True, "align": "center", "font_size": 16})
    ws.merge_range(0, 0, 0, 7, "", big)
    ws.write_string(0, 0, f"{COUNTY}政务新媒体信息发布登记台账（{year}年）")
    ws.write_string(1, 0, f"汇总：{OFFICE_NAME}")
    for c, h in ((0, "序号"), (1, "单位"), (4, "标题"), (5, "发布日期"), (6, "类型"), (7, "链接")):
        ws.merge_range(2, c, 3, c, "", head)
        ws.write_string(2, c, h, head)
    ws.merge_range(2, 2, 2, 3, "", head)
    ws.write_string(2, 2, "发布信息", head)
    ws.write_string(3, 2, "平台", head)
    ws.write_string(3, 3, "账号名称", head)
    for k, (d, unit, platform, account, title, kind) in enumerate(_wechat_rows(roster, year, rng)):
        r = 4 + k
        ws.write_number(r, 0, k + 1)
        for c, v in ((1, unit), (2, "微信" if k % 5 == 0 else platform), (3, account), (4, title),
                     (5, _text_date(d, k)), (6, kind), (7, f"https://mp.example.gov.cn/s/{year}{k:05d}")):
            ws.write_string(r, c, v)
    ws.set_column(1, 1, 10)
    ws.set_column(3, 3, 12)
    ws.set_column(4, 4, 36)
    ws.set_column(5, 5, 14)
    wb.close()
    return [cms, media]
