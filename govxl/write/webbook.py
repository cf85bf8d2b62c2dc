"""The workbook 网站和政务新媒体信息发布情况 of `govxl web` (issue 22).

In: the result of score/web.py (with rows and problems) and the PostingRead behind it. Out: one .xlsx —
发布统计 (per unit × platform, the period and 累计, task, 完成情况, rank within group), 零发布, 超期未更新,
月度趋势 (with a chart), 年终考核 (a year only), 数据问题 and 行数核对 (checksheets). The print setup, formats
and cells are the ranking workbook's (layout, cells); texts from registers are always strings. The file
is deterministic: same inputs, same bytes.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from .cells import put, put_row
from .layout import BODY_FONT, TITLE_FONT, merged_text, print_setup, section_number, table_head, title

STEM = "网站和政务新媒体信息发布情况"
NOTES = (
    "注：1. 红色底纹为本期零发布单位，黄色底纹为未完成发布任务单位；任务 = 单位名册“每月发布任务” × 期间月数，"
    "空白为不设任务（完成情况“—”）。",
    "2. 分组表中“排名”为组内排名（按本期发布条数），“全部单位”表中为总排名；累计为当年 1 月 1 日至期末。",
    "3. 超期未更新的栏目和账号见“超期未更新”工作表，数据问题见“数据问题”工作表。",
)


def output_name(office: str, period_title: str) -> str:
    from .safeio import name_part

    return f"{name_part(office)}{name_part(period_title, limit=60)}{STEM}.xlsx"


def write_webbook(path: Path, result: dict, read) -> Path:
    import xlsxwriter

    from . import checksheets
    from .layout import Styles
    from .rankbook import FIXED_TIME

    path = Path(path)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False})
    wb.set_properties({"title": f"{result.get('office', '')}{result['period']['title']}{STEM}", "author": "govxl",
                       "company": result.get("office", ""), "created": FIXED_TIME, "comments": "由 govxl 生成"})
    st = Styles(wb)
    counts_sheet(wb.add_worksheet("发布统计"), st, result)
    zero_sheet(wb.add_worksheet("零发布"), st, result)
    overdue_sheet(wb.add_worksheet("超期未更新"), st, result)
    trend_sheet(wb, st, result)
    if result.get("assessment"):
        assessment_sheet(wb.add_worksheet("年终考核"), st, result)
    stream = checksheets.problems_sheet(wb, st, result)
    checksheets.rows_sheet(wb, st, result, read)
    wb.close()
    if stream is not None:
        from .xlsxstream import splice

        splice(path, [stream])
    return path


# ---- 发布统计 -------------------------------------------------------------------------------------

def _layout(platforms) -> list:
    """(top header, sub-header or None, width) of every column of 发布统计."""
    from ..normalise.text import display_width

    # a platform's column as wide as its name on one line (微信公众号), at least as a count needs
    width = {x: max(6.5, display_width(x) + 1.5) for x in (*platforms, "合计")}
    return [("排名", None, 6), ("单位", None, 20),
            *[("本期发布", x, width[x]) for x in (*platforms, "合计")], ("其中原创", None, 9),
            *[("累计发布", x, width[x]) for x in (*platforms, "合计")],
            ("任务", None, 6), ("完成情况", None, 13)]


def _head(ws, st, cols, r0):
    c = 0
    while c < len(cols):
        top, sub, width = cols[c]
        ws.set_column(c, c, width)
        if sub is None:
            ws.merge_range(r0, c, r0 + 1, c, "", st.head)
            ws.write_string(r0, c, top, st.head)
            c += 1
            continue
        n = sum(1 for t, s, _ in cols[c:] if t == top and s is not None)
        for k in range(n):
            ws.set_column(c + k, c + k, cols[c + k][2])
            ws.write_string(r0 + 1, c + k, cols[c + k][1], st.head)
        if n > 1:
            ws.merge_range(r0, c, r0, c + n - 1, "", st.head)
        ws.write_string(r0, c, top, st.head)
        c += n
    ws.set_row(r0, 22)
    ws.set_row(r0 + 1, 22)


def _unit_cells(u: dict, platforms, rank) -> list:
    now = [u["platforms"][p]["posted"] for p in platforms]
    year = [u["platforms"][p]["ytd"] for p in platforms]
    return [rank, u["unit"], *now, u["posted"], u.get("original", 0), *year, u["ytd_posted"],
            u.get("task"), u.get("status", "")]


def _formats(st, u: dict, n: int) -> list:
    hl = st.hl["zero"] if u.get("zero") else (st.hl["unmet"] if u.get("task_met") is False else st.plain())
    task = hl["pts"] if isinstance(u.get("task"), float) else hl["int"]
    return [hl["int"], hl["text"], *[hl["int"]] * (n - 4), task, hl["center"]]


def counts_sheet(ws, st, result):
    platforms = result["platforms"]
    cols = _layout(platforms)
    ncol = len(cols)
    title(ws, st, f"{result['office']}{result['period']['title']}网站和政务新媒体信息发布情况", ncol)
    t = result["totals"]
    merged_text(ws, 1, ncol, f"统计期间：{result['period']['start']} 至 {result['period']['end']}；本期发布 {t['posted']} 条"
                             f"（其中原创 {t['original']} 条），当年累计 {t['ytd_posted']} 条；零发布单位 {t['zero_units']} 个，"
                             f"超期未更新栏目和账号 {t['overdue']} 个", st.subtitle)
    h0 = 2
    _head(ws, st, cols, h0)
    ws.freeze_panes(h0 + 2, 2)
    print_setup(ws, repeat=(h0, h0 + 1))
    r = h0 + 2
    sections = [(g, [u for u in result["units"] if u["group"] == g], "group_rank") for g in result["groups"]]
    sections.append(("全部单位", list(result["units"]), "rank"))
    for n, (name, units, key) in enumerate(sections):
        merged_text(ws, r, ncol, f"{section_number(n)}、{name}（{len(units)}个单位）", st.section)
        r += 1
        for u in sorted(units, key=lambda u: (u[key], u["order"])):
            put_row(ws, r, _unit_cells(u, platforms, u[key]), _formats(st, u, ncol))
            r += 1
    portal = result.get("portal")
    if portal:
        merged_text(ws, r, ncol, f"{section_number(len(sections))}、{portal['unit']}（栏目未注明单位，不参与排名）", st.section)
        row = dict(portal, task=None, status="—")
        put_row(ws, r + 1, _unit_cells(row, platforms, None), _formats(st, row, ncol))
        r += 2
    for k, note in enumerate(NOTES):
        merged_text(ws, r + 1 + k, ncol, note, st.note)


# ---- 零发布, 超期未更新 ---------------------------------------------------------------------------

def zero_sheet(ws, st, result):
    headers = ["序号", "单位", "分组", "本期任务", "当年累计发布", "说明"]
    widths = [6, 24, 12, 9, 12, 48]
    title(ws, st, f"{result['period']['title']}零发布单位", len(headers))
    table_head(ws, st, headers, widths, 1)
    print_setup(ws, repeat=(1, 1))
    zero = [u for u in result["units"] if u["zero"]]
    if not zero:
        ws.write_string(2, 0, "本期没有零发布单位。", st.note)
        return
    for n, u in enumerate(zero, 1):
        why = "本期网站和政务新媒体均无发布" + ("" if u["ytd_posted"] else "；当年至今无发布")
        put_row(ws, 1 + n, [n, u["unit"], u["group"], u["task"], u["ytd_posted"], why],
                [st.int, st.text, st.center, st.int, st.int, st.text])


OVERDUE_HEADERS = [("序号", 5), ("单位", 18), ("平台", 11), ("栏目/账号", 20), ("栏目类别", 10), ("最长间隔（天）", 8),
                   ("未更新天数", 8), ("上次发布", 11), ("下次发布", 11), ("本期发布", 7), ("说明", 24)]


def _date_or_text(value):
    if value is None:
        return "无发布记录"
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return value


def overdue_sheet(ws, st, result):
    headers, widths = zip(*OVERDUE_HEADERS)
    title(ws, st, f"{result['period']['title']}超期未更新栏目和账号", len(headers))
    merged_text(ws, 1, len(headers), "未更新天数：两次发布之间相隔的天数，或最后一次发布至期末的天数；超过“最长间隔”即为超期",
                st.subtitle)
    table_head(ws, st, list(headers), list(widths), 2)
    print_setup(ws, repeat=(2, 2))
    rows = result["overdue"]
    if not rows:
        ws.write_string(3, 0, "本期没有超期未更新的栏目和账号。", st.note)
        return
    for n, o in enumerate(rows, 1):
        before, after = _date_or_text(o["last_before"]), _date_or_text(o["first_after"])
        put_row(ws, 2 + n, [n, o["unit"], o["platform"], o["column"] or "（未填栏目）", o["category"], o["limit"],
                            o["days"], before, after, o["posted"], o["note"]],
                [st.int, st.text, st.center, st.text, st.center, st.int, st.int,
                 st.date if isinstance(before, dt.date) else st.center,
                 st.date if isinstance(after, dt.date) else st.center, st.int, st.text])


# ---- 月度趋势, 年终考核 ---------------------------------------------------------------------------

def trend_sheet(wb, st, result):
    trend = result["trend"]
    months = trend["months"]
    if not months:
        return
    ws = wb.add_worksheet("月度趋势")
    platforms = result["platforms"]
    headers = ["月份", *platforms, "合计", "发布单位数"]
    title(ws, st, f"{months[0][:4]}年以来网站和政务新媒体月度发布情况", len(headers))
    table_head(ws, st, headers, [10] + [9] * (len(headers) - 1), 1)
    print_setup(ws, repeat=(1, 1))
    for i, mo in enumerate(months):
        put_row(ws, 2 + i, [f"{int(mo[:4])}年{int(mo[5:])}月", *[trend["platforms"][p][i] for p in platforms],
                            trend["total"][i], trend["units_posting"][i]], [st.center] + [st.int] * (len(headers) - 1))
    last = 1 + len(months)
    chart = wb.add_chart({"type": "column", "subtype": "stacked"})
    for k, p in enumerate(platforms, 1):
        if any(trend["platforms"][p]):
            chart.add_series({"name": ["月度趋势", 1, k], "categories": ["月度趋势", 2, 0, last, 0],
                              "values": ["月度趋势", 2, k, last, k]})
    chart.set_title({"name": "各平台月度发布条数", "name_font": {"name": TITLE_FONT, "size": 12}})
    chart.set_legend({"position": "bottom", "font": {"name": BODY_FONT, "size": 10}})
    chart.set_x_axis({"num_font": {"name": BODY_FONT, "size": 10}})
    chart.set_y_axis({"num_font": {"name": BODY_FONT, "size": 10}, "major_gridlines": {"visible": True}})
    chart.set_size({"width": 720, "height": 380})
    ws.insert_chart(last + 2, 0, chart)


def assessment_sheet(ws, st, result):
    headers = ["序号", "单位", "分组", "全年发布", "全年任务", "完成任务月数", "零发布月数", "超期未更新", "组内排名",
               "考核结果", "说明"]
    widths = [5, 20, 10, 8, 8, 8, 8, 8, 7, 8, 40]
    title(ws, st, f"{result['period']['title']}网站和政务新媒体年终考核", len(headers))
    table_head(ws, st, headers, widths, 1)
    print_setup(ws, repeat=(1, 1))
    for n, a in enumerate(result["assessment"]["units"], 1):
        f = st.hl["zero"] if a["result"] == "不合格" else st.plain()
        put_row(ws, 1 + n, [n, a["unit"], a["group"], a["posted"], a["task"], a["months_met"], a["months_empty"],
                            a["overdue"], a["group_rank"], a["result"], a["reasons"]],
                [f["int"], f["text"], f["center"], f["int"], f["int"], f["int"], f["int"], f["int"], f["int"],
                 f["center"], f["text"]])
    put(ws, 2 + len(result["assessment"]["units"]), 0, "注：有栏目或账号超期未更新的单位一票否决；未完成全年发布任务、全年零发布的单位不合格。",
        st.note)
