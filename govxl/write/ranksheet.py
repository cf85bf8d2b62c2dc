"""The ranking workbook's sheets per unit: 排名通报 (the notice's table), 年度考核, 月度趋势 and 得分图表.

In: the score result (units with their totals and ranks, groups, period, alerts, trend, assessment) and
the workbook's Styles. Out: the sheets, laid out for A4 printing (月度趋势 for the screen), with charts.
"""
from __future__ import annotations

from ..defaults import LEVELS
from .cells import put, put_row, write_text
from .layout import BODY_FONT, TITLE_FONT, merged_text, print_setup, section_number, title

# 排名通报 columns: (header, sub-header or None, width, key)
RANK_COLUMNS = [
    ("排名", None, 6, "rank"),
    ("单位", None, 22, "unit"),
    ("报送篇数", None, 7, "submitted"),
    ("累计报送", None, 7, "ytd_submitted"),
    *[("采用篇数（按级别）", lv, 6.5, ("level", lv)) for lv in LEVELS],
    ("采用篇数", None, 7, "adopted"),
    ("采用率", None, 8, "adoption_rate"),
    ("批示", None, 6, "instructions"),
    ("得分", None, 8, "points"),
    ("累计得分", None, 8, "ytd_points"),
    ("累计排名", None, 7, "ytd_rank"),
    ("排名变化", None, 7, "rank_change"),
    ("任务", None, 6, "quota"),
    ("完成情况", None, 14, "status"),
]
RANK_NOTES = [
    "注：1. 红色底纹为本期零报送单位，黄色底纹为未完成报送任务单位。",
    "2. 分组表中“排名”为组内排名，“全部单位”表中为总排名；得分相同并列，按采用篇数、报送篇数、名册顺序排列。",
    "3. 每一分的来源见“得分明细”工作表，数据问题见“数据问题”工作表。“得分明细”“月度趋势”供在屏幕上筛选查看"
    "（表头可筛选），其余各表按 A4 打印排版。",
]
CHART_BARS = 30  # bars in one chart: more and their labels cannot be read when printed


def status(u: dict) -> str:
    if u["submitted"] == 0:
        return "零报送"
    if u["quota_met"]:
        return "完成"
    return f"未完成（差{u['shortfall']}篇）"


def _rank_cell(u: dict, key, rank_key: str, f: dict) -> tuple:
    """(value, format) of one unit's cell in the 排名通报 column `key`."""
    if key == "rank":
        return u[rank_key], f["int"]
    if isinstance(key, tuple):
        return u["adopted_by_level"][key[1]], f["int"]
    special = {
        "unit": lambda: (u["unit"], f["text"]),
        "adoption_rate": lambda: (u["adoption_rate"], f["pct"]),
        "points": lambda: (u.get("points", 0.0), f["pts"]),
        "ytd_points": lambda: (u.get("ytd_points", 0.0), f["pts"]),
        "status": lambda: (status(u), f["center"]),
        "rank_change": lambda: (u.get("rank_change", "—"), f["center"]),
        "quota": lambda: (u["quota"], f["pts"] if isinstance(u["quota"], float) else f["int"]),
    }.get(key)
    return special() if special else (u.get(key, 0), f["int"])


def rank_sheet(ws, st, result):
    """排名通报: title, the period's figures (and its alerts, in red), a two-row header, then a section per
    group (group ranks) and one of all units (overall ranks), and the notes."""
    ncol = len(RANK_COLUMNS)
    _rank_title(ws, st, result, ncol)
    for c, (_, _, width, _) in enumerate(RANK_COLUMNS):
        ws.set_column(c, c, width)
    h0, h1 = 2, 3
    _rank_header(ws, st, h0)
    ws.freeze_panes(h1 + 1, 2)
    print_setup(ws, repeat=(h0, h1))
    r = h1 + 1
    groups = result.get("groups") or []
    sections = [(g, [u for u in result["units"] if u["group"] == g], "group_rank") for g in groups]
    sections.append(("全部单位", list(result["units"]), "rank"))
    for n, (name, units, rank_key) in enumerate(sections):
        merged_text(ws, r, ncol, f"{section_number(n)}、{name}（{len(units)}个单位）", st.section)
        ws.set_row(r, 22)
        r += 1
        for u in units:
            f = st.row_formats(u)
            for c, (_, _, _, key) in enumerate(RANK_COLUMNS):
                put(ws, r, c, *_rank_cell(u, key, rank_key, f))
            r += 1
        r += 1
    for line in RANK_NOTES:
        merged_text(ws, r, ncol, line, st.note)
        r += 1


def _rank_title(ws, st, result, ncol):
    period = result["period"]
    ws.set_row(0, 36)
    merged_text(ws, 0, ncol, f"{result.get('office', '')}{period['title']}政务信息报送采用情况通报", st.title)
    t = result["totals"]
    sub = (f"统计期间：{period['start']} 至 {period['end']}　　全县报送 {t['submitted']} 篇，采用 {t['adopted']} 篇，"
           f"采用率 {t['adoption_rate'] * 100:.1f}%")
    alerts = result.get("alerts") or []
    if alerts:  # a period without data must not pass for a report: said in red under the title
        ws.set_row(1, 16 * (1 + len(alerts)) + 6)
        sub = "\n".join([sub, *(f"注意：{a}" for a in alerts)])
    merged_text(ws, 1, ncol, sub, st.alert if alerts else st.subtitle)


def _rank_header(ws, st, h0):
    h1 = h0 + 1
    c = 0
    ws.set_row(h0, 20)
    ws.set_row(h1, 20)
    while c < len(RANK_COLUMNS):
        head, sub, _, _ = RANK_COLUMNS[c]
        if sub is None:
            ws.merge_range(h0, c, h1, c, "", st.head)
            ws.write_string(h0, c, head, st.head)
            c += 1
            continue
        span = [i for i in range(c, len(RANK_COLUMNS)) if RANK_COLUMNS[i][0] == head]
        ws.merge_range(h0, span[0], h0, span[-1], "", st.head)
        ws.write_string(h0, span[0], head, st.head)
        for i in span:
            ws.write_string(h1, i, RANK_COLUMNS[i][1], st.head)
        c = span[-1] + 1


def assessment_sheet(wb, st, result):
    """年度考核 (a year's result only): per group, its units' year points, tasks and 先进单位."""
    a = result.get("assessment")
    if not a:
        return
    ws = wb.add_worksheet("年度考核")
    headers = ["组内排名", "单位", "全年得分", "报送篇数", "全年任务", "任务完成", "评定", "零报送月份", "说明"]
    widths = [7, 22, 9, 8, 8, 8, 10, 30, 24]
    ncol = len(headers)
    title(ws, st, f"{result.get('office', '')}{result['period']['title']}政务信息工作年度考核", ncol)
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    print_setup(ws)
    r = 1
    for n, g in enumerate(a["groups"]):
        merged_text(ws, r, ncol, f"{section_number(n)}、{g['group']}（表彰名额 {a['awards_per_group']} 个）", st.section)
        r += 1
        for c, h in enumerate(headers):
            ws.write_string(r, c, h, st.head)
        r += 1
        for u in g["units"]:
            f = st.hl["zero"] if u["zero_months"] else (st.hl["unmet"] if not u["quota_met"] else st.plain())
            vals = [u["group_rank"], u["unit"], u["points"], u["submitted"], u["quota"],
                    "完成" if u["quota_met"] else "未完成", "先进单位" if u["advanced"] else "",
                    "、".join(m[-2:].lstrip("0") + "月" for m in u["zero_months"]), u["not_eligible"]]
            put_row(ws, r, vals, [f["int"], f["text"], f["pts"], f["int"], f["int"], f["center"], f["center"],
                                  f["text"], f["text"]])
            r += 1
        r += 1
    merged_text(ws, r, ncol, "注：红色底纹为有零报送月份的单位，黄色底纹为未完成全年报送任务的单位；“说明”列为不参加评先的原因。",
                st.note)


def trend_sheet(wb, st, result):
    """月度趋势: each unit's points and rank month by month, then each group's average and a line chart."""
    trend = result.get("trend")
    if not trend or not trend["months"]:
        return
    ws = wb.add_worksheet("月度趋势")
    months = trend["months"]
    nm = len(months)
    labels = [f"{int(m[-2:])}月" for m in months]
    ncol = 2 + 2 * nm
    _trend_head(ws, st, months, labels)
    order = [u["unit"] for u in sorted(result["units"], key=lambda u: u["order"])]
    group = {u["unit"]: u["group"] for u in result["units"]}
    for r, name in enumerate(order, 3):
        t = trend["units"][name]
        put_row(ws, r, [name, group[name], *t["points"][:nm], *t["ranks"][:nm]],
                [st.text, st.center, *[st.pts] * nm, *[st.int] * nm])
    ws.autofilter(2, 0, 2 + len(order), ncol - 1)
    # one line per group (its units' average points a month): a line per unit would be sixty tangled
    # lines; each unit's own figures are in the table above
    groups = list(result.get("groups") or []) or sorted(set(group.values()))
    r0 = 4 + len(order)
    put_row(ws, r0, ["各组平均得分", "单位数", *labels], [st.head] * (2 + nm))
    chart = wb.add_chart({"type": "line"})
    for k, g in enumerate(groups, 1):
        names = [n for n in order if group[n] == g]
        avgs = [round(sum(trend["units"][n]["points"][i] for n in names) / len(names), 2) if names else 0.0
                for i in range(nm)]
        put_row(ws, r0 + k, [g, len(names), *avgs], [st.text, st.int, *[st.pts] * nm])
        chart.add_series({"name": ["月度趋势", r0 + k, 0], "categories": ["月度趋势", 2, 2, 2, 1 + nm],
                          "values": ["月度趋势", r0 + k, 2, r0 + k, 1 + nm], "marker": {"type": "circle", "size": 5},
                          "line": {"width": 2.25}})
    chart.set_title({"name": "各组单位平均得分月度变化", "name_font": {"name": TITLE_FONT, "size": 12}})
    chart.set_legend({"position": "bottom", "font": {"name": BODY_FONT, "size": 10}})
    chart.set_x_axis({"num_font": {"name": BODY_FONT, "size": 10}})
    chart.set_y_axis({"num_font": {"name": BODY_FONT, "size": 10}, "major_gridlines": {"visible": True}})
    # as wide as the table above (≈ 7 px a character of column width), so it prints on the table's page
    chart.set_size({"width": max(480, int((29 + 5.5 * nm) * 7)), "height": 380})
    ws.insert_chart(r0 + len(groups) + 2, 0, chart)


def _trend_head(ws, st, months, labels):
    nm = len(months)
    ncol = 2 + 2 * nm
    title(ws, st, f"{months[0][:4]}年各单位月度得分与排名", ncol)
    ws.merge_range(1, 0, 2, 0, "", st.head)
    ws.write_string(1, 0, "单位", st.head)
    ws.merge_range(1, 1, 2, 1, "", st.head)
    ws.write_string(1, 1, "分组", st.head)
    if nm > 1:
        ws.merge_range(1, 2, 1, 1 + nm, "", st.head)
        ws.merge_range(1, 2 + nm, 1, 1 + 2 * nm, "", st.head)
    ws.write_string(1, 2, "月度得分", st.head)
    ws.write_string(1, 2 + nm, "月度排名", st.head)
    for i, lab in enumerate(labels):
        ws.write_string(2, 2 + i, lab, st.head)
        ws.write_string(2, 2 + nm + i, lab, st.head)
    ws.set_column(0, 0, 20)
    ws.set_column(1, 1, 9)
    ws.set_column(2, ncol - 1, 5.5)
    ws.freeze_panes(3, 1)
    # for the screen, like 得分明细: a year is 26 columns; 单位 and 分组 repeat on printed pages
    print_setup(ws, repeat=(1, 2), fit_width=False)
    ws.repeat_columns(0, 1)


def chart_sheet(wb, st, result):
    """得分图表, for printing: one bar chart per group (a group's units in rank order, at most CHART_BARS),
    stacked on A4 portrait pages; the figures behind them beside, in columns A–B."""
    ws = wb.add_worksheet("得分图表")
    units = result["units"]
    if not units:
        return
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 8)
    groups = list(result.get("groups") or []) or sorted({u["group"] for u in units})
    breaks = []  # each group's chart on a page of its own
    r = 0  # the row of the next group's figures and chart (rows are the default 20 px)
    for g in groups:
        members = sorted((u for u in units if u["group"] == g), key=lambda u: (u["group_rank"], u["order"]))
        if not members:
            continue
        shown = members[:CHART_BARS]
        ws.write_string(r, 0, f"{g}（单位）", st.head)
        ws.write_string(r, 1, "得分", st.head)
        for i, u in enumerate(shown, r + 1):
            write_text(ws, i, 0, u["unit"], st.text)
            ws.write_number(i, 1, u["points"], st.pts)
        n = len(shown)
        height = 26 * n + 90
        ws.insert_chart(r, 3, _group_chart(wb, result, g, r, n, len(members), height))
        if r:
            breaks.append(r)
        r += max(n + 2, -(-(height + 40) // 20))
    ws.set_h_pagebreaks(breaks)
    print_setup(ws, landscape=False)


def _group_chart(wb, result, group, r, n, members, height):
    """The bar chart of one group's n units whose figures are in rows r+1 … r+n of 得分图表."""
    chart = wb.add_chart({"type": "bar"})
    chart.add_series({
        "name": "得分",
        "categories": ["得分图表", r + 1, 0, r + n, 0],
        "values": ["得分图表", r + 1, 1, r + n, 1],
        "data_labels": {"value": True, "num_format": "0.0", "font": {"name": BODY_FONT, "size": 9}},
        "fill": {"color": "#4472C4"},
        "gap": 60,
    })
    more = f"（前{CHART_BARS}名，共{members}个单位）" if members > n else ""
    chart.set_title({"name": f"{result['period']['title']}{group}得分{more}",
                     "name_font": {"name": TITLE_FONT, "size": 13}})
    chart.set_y_axis({"reverse": True, "num_font": {"name": BODY_FONT, "size": 10}, "interval_unit": 1})
    chart.set_x_axis({"num_font": {"name": BODY_FONT, "size": 9}, "major_gridlines": {"visible": True}})
    chart.set_legend({"none": True})
    chart.set_size({"width": 620, "height": height})
    return chart
