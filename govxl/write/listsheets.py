"""The ranking workbook's lists, a row per item or line: 得分明细, 采用清单, 约稿完成情况, 单位加减分, 信息员排名.

In: the score result (the period's scores, lines, tables, duplicates, commissions, adjustments, authors)
and the workbook's Styles. Out: the sheets' titles, headers and print setup, and for the long ones a
xlsxstream.RowStream, whose rows splice() puts into the closed file (None for a sheet without rows to
stream). 得分明细 is for filtering on screen; the others print on A4.
"""
from __future__ import annotations

from .cells import put_row
from .layout import print_setup, table_head, title, with_heights
from .xlsxstream import RowStream

DETAIL_HEADERS = ["序号", "单位", "信息标题", "报送日期", "信息类型", "撰稿人", "采用情况", "批示情况",
                  "报送分", "采用分", "批示分", "其他加减分", "本篇得分", "计分依据", "来源（文件 › 工作表 › 行）"]
DETAIL_WIDTHS = [5, 16, 40, 11, 7, 8, 18, 14, 6, 6, 6, 7, 7, 40, 30]


def _numbered(columns: list, widths: list):
    """The rows of columns, each with its 序号 first, and its height."""
    return with_heights(([n, *row] for n, row in enumerate(zip(*columns), 1)), widths)


def _unit_index(result, unit):
    from .detail import NOT_LISTED, unit_places

    return unit_places(result).get(unit, NOT_LISTED)


def detail_sheet(wb, st, result) -> RowStream:
    """得分明细: one row per scored item of the period, then the period's duplicates (worth nothing)."""
    from .detail import detail_columns

    ws = wb.add_worksheet("得分明细")
    fmts = [st.int, st.text, st.text, st.date, st.center, st.center, st.text, st.text, st.pts, st.pts, st.pts, st.pts,
            st.pts, st.text, st.text]
    title(ws, st, f"{result['period']['title']}得分明细", len(DETAIL_HEADERS))
    table_head(ws, st, DETAIL_HEADERS, DETAIL_WIDTHS, 1)
    # for filtering on screen (15 columns cannot be read squeezed onto one page): printed at its own
    # size, 序号 and 单位 repeated on the pages to the right
    print_setup(ws, repeat=(1, 1), fit_width=False)
    ws.repeat_columns(0, 1)
    columns = detail_columns(result)
    nrows = len(columns[0])
    ws.autofilter(1, 0, max(1 + nrows, 1), len(DETAIL_HEADERS) - 1)
    return RowStream(ws, 2, nrows, fmts, _numbered(columns, DETAIL_WIDTHS))


def adopted_sheet(wb, st, result) -> RowStream:
    """采用清单: the period's adopted items, the highest level first."""
    from .detail import adopted_columns

    ws = wb.add_worksheet("采用清单")
    headers = ["序号", "单位", "信息标题", "报送日期", "采用情况", "最高采用级别", "采用得分"]
    widths = [5, 18, 50, 11, 30, 10, 8]
    title(ws, st, f"{result['period']['title']}信息采用清单", len(headers))
    table_head(ws, st, headers, widths, 1)
    print_setup(ws, repeat=(1, 1))
    fmts = [st.int, st.text, st.text, st.date, st.text, st.center, st.pts]
    columns = adopted_columns(result)
    return RowStream(ws, 2, len(columns[0]), fmts, _numbered(columns, widths))


def commission_sheet(wb, st, result):
    """约稿完成情况, when the period has commissions."""
    lines = result.get("_commissions") or []
    if not lines:
        return
    ws = wb.add_worksheet("约稿完成情况")
    headers = ["序号", "单位", "约稿主题", "下达日期", "截止日期", "完成日期", "完成情况", "得分", "来源"]
    widths = [5, 18, 40, 11, 11, 11, 10, 7, 30]
    title(ws, st, f"{result['period']['title']}约稿完成情况", len(headers))
    table_head(ws, st, headers, widths, 1)
    print_setup(ws, repeat=(1, 1))
    fmts = [st.int, st.text, st.text, st.date, st.date, st.date, st.center, st.pts, st.text]
    ordered = sorted(lines, key=lambda t: (_unit_index(result, t[0].unit), t[0].deadline))
    for n, (c, pts, status) in enumerate(ordered, 1):
        put_row(ws, n + 1, [n, c.unit, c.topic, c.issued, c.deadline, c.done, status, pts,
                            f"{c.file} › {c.sheet} › 第{c.row}行"], fmts)


def adjustments_sheet(wb, st, result):
    """单位加减分 (基础分, 缺报, 季度采用率, 清零 …), when the period has any."""
    adj = result.get("_adjustments") or []
    if not adj:
        return
    ws = wb.add_worksheet("单位加减分")
    headers = ["序号", "单位", "计分项目", "分值", "说明"]
    widths = [5, 22, 18, 8, 50]
    title(ws, st, f"{result['period']['title']}单位加减分（基础分、缺报、季度采用率、清零等）", len(headers))
    table_head(ws, st, headers, widths, 1)
    print_setup(ws, landscape=False, repeat=(1, 1))
    rows = sorted(adj, key=lambda a: (_unit_index(result, a[0]), a[1], a[3]))
    for n, (unit, rule, pts, note) in enumerate(rows, 1):
        put_row(ws, n + 1, [n, unit, rule, pts, note], [st.int, st.text, st.center, st.pts, st.text])


def authors_sheet(wb, st, result):
    """信息员排名 (a province month has thousands of authors): the RowStream, or None."""
    ws = wb.add_worksheet("信息员排名")
    headers = ["排名", "信息员", "单位", "报送篇数", "采用篇数", "得分"]
    widths = [6, 12, 22, 9, 9, 9]
    title(ws, st, f"{result['period']['title']}信息员排名", len(headers))
    table_head(ws, st, headers, widths, 1)
    print_setup(ws, landscape=False, repeat=(1, 1))
    authors = result.get("authors") or ()
    if not authors:
        ws.write_string(2, 0, "登记表中没有“撰稿人/信息员”列，无法排名。", st.note)
        return None
    fmts = [st.int, st.text, st.text, st.int, st.int, st.pts]
    rows = (([a["rank"], a["author"], a["unit"], a["submitted"], a["adopted"], a["points"]], None) for a in authors)
    return RowStream(ws, 2, len(authors), fmts, rows)
