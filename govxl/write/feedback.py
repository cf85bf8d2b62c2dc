"""采用反馈: each unit's own small workbook of a period, attached by `govxl mail` to the unit's message.

score → **write**. In: the score result (its "_" keys: the period's scores, lines, tables, duplicates,
adjustments; its units and problems). Out: per unit one .xlsx, `<单位><期间>政务信息采用反馈.xlsx`:
- 本单位情况: its figures of the period (报送, 采用 by level, 批示, 采用率, 得分, 排名, 组内排名, 排名变化),
  the year to date (累计报送, 累计得分, 累计排名), 任务 and 完成情况, then its own 加减分 (基础分, 缺报, 约稿 …);
- 得分明细: its rows of the ranking workbook's 得分明细 (write/detail.py's, the same lines), with a 合计 row;
- 数据问题: the problems found in its rows: a problem located at one of its items' rows; any problem of a
  register sheet holding its items alone (a unit's own register); a problem whose message names it (an
  error row, which has no item, in a shared register).
A unit sees only its own rows. Same result, same bytes.
"""
from __future__ import annotations

from pathlib import Path

FEEDBACK_DIR = "采用反馈"
FEEDBACK_STEM = "政务信息采用反馈"
ROW_HEADERS = ["序号", "信息标题", "报送日期", "信息类型", "撰稿人", "采用情况", "批示情况", "报送分", "采用分", "批示分",
               "其他加减分", "本篇得分", "计分依据", "来源（文件 › 工作表 › 行）"]
ROW_WIDTHS = [5, 40, 11, 7, 8, 18, 14, 6, 6, 6, 7, 7, 40, 30]
POINT_COLUMNS = range(7, 12)  # 报送分 … 本篇得分 in ROW_HEADERS


def feedback_name(unit: str, period_title: str) -> str:
    from .safeio import name_part

    return f"{name_part(unit, fallback='单位')}{name_part(period_title, limit=60)}{FEEDBACK_STEM}.xlsx"


def rows_by_unit(result) -> dict:
    """{unit: its 得分明细 rows (without the unit), in the ranking workbook's order}."""
    from .detail import detail_columns

    columns = detail_columns(result)
    out: dict = {}
    for row in zip(*columns):
        out.setdefault(row[0], []).append(list(row[1:]))
    return out


def problems_by_unit(result, units: list) -> dict:
    """{unit: the problems (result["problems"] dicts) found in its rows}, for the named units."""
    items = result["_tables"].items
    at = {(f, s, int(r)): u for u, f, s, r in zip(items["unit"], items["file"], items["sheet"], items["row"])}
    owners: dict = {}
    for (f, s, _r), u in at.items():
        owners.setdefault((f, s), set()).add(u)
    out = {u: [] for u in units}
    for p in result.get("problems") or ():
        where = (p.get("file"), p.get("sheet"))
        found = at.get((*where, p["row"])) if p.get("row") is not None else None
        if found is None:
            sole = owners.get(where, set())
            found = next(iter(sole)) if len(sole) == 1 else None
        if found is not None:
            mine = [found] if found in out else []
        else:
            mine = [u for u in units if u and u in (p.get("message") or "")]
        for u in mine:
            out[u].append(p)
    return out


def write_feedback(path: Path, result: dict, unit: dict, rows: list, problems: list) -> Path:
    """One unit's 采用反馈 workbook at path."""
    import xlsxwriter

    from .layout import Styles
    from .rankbook import FIXED_TIME

    heading = f"{unit['unit']}{result['period']['title']}{FEEDBACK_STEM}"
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False})
    wb.set_properties({"title": heading, "author": "govxl", "company": result.get("office", ""),
                       "created": FIXED_TIME, "comments": "由 govxl 生成"})
    st = Styles(wb)
    _summary_sheet(wb, st, result, unit, heading)
    _rows_sheet(wb, st, result, unit, rows)
    _problems_sheet(wb, st, problems)
    wb.close()
    return Path(path)


def summary_rows(result: dict, unit: dict) -> list:
    """(项目, 值, format name) of 本单位情况."""
    from ..defaults import LEVELS
    from .noticedata import quota_text

    u = unit
    rows = [("单位", u["unit"], "text"), ("分组", u["group"], "text"), ("统计期间", result["period"]["title"], "text"),
            ("报送篇数", u["submitted"], "int"), ("重复信息（不计分）", u["duplicates"], "int"),
            ("采用篇数", u["adopted"], "int")]
    rows += [(f"{lv}采用", u["adopted_by_level"][lv], "int") for lv in LEVELS]
    rows += [("批示", u["instructions"], "int"), ("采用率", u["adoption_rate"], "pct"), ("得分", u["points"], "pts"),
             ("排名", u["rank"], "int"), ("参加排名单位数", len(result["units"]), "int"),
             (f"组内排名（{u['group']}）", u["group_rank"], "int"), ("排名变化（与上期比）", u.get("rank_change") or "—", "center")]
    if "ytd_points" in u:
        rows += [("累计报送（1月至本期末）", u["ytd_submitted"], "int"), ("累计得分", u["ytd_points"], "pts"),
                 ("累计排名", u["ytd_rank"], "int")]
    rows += [("任务", u["quota"], "int"), ("完成情况", quota_text(u), "center")]
    return rows


SUMMARY_NOTES = {
    "报送篇数": "本期计入的信息（重复、错误行不计）",
    "采用篇数": "本期计入的信息中被采用的篇数；一篇被多级采用时在各级分别计数",
    "采用率": "采用篇数 ÷ 报送篇数",
    "得分": "各篇得分（见“得分明细”）加单位加减分（见下方）",
    "任务": "月任务数 × 本期已到的月数",
}


def _summary_sheet(wb, st, result, unit, heading):
    from .cells import put, put_row
    from .layout import merged_text, print_setup, table_head, title

    ws = wb.add_worksheet("本单位情况")
    title(ws, st, heading, 3)
    merged_text(ws, 1, 3, f"{result.get('office', '')}　{result['period']['start']} 至 {result['period']['end']}",
                st.subtitle)
    table_head(ws, st, ["项目", "本单位", "说明"], [26, 18, 40], 2)
    print_setup(ws, landscape=False, repeat=(2, 2))
    fmts = st.plain()
    r = 3
    for label, value, kind in summary_rows(result, unit):
        put_row(ws, r, [label, value, SUMMARY_NOTES.get(label, "")], [st.text, fmts[kind], st.text])
        r += 1
    own = [a for a in result.get("_adjustments") or () if a[0] == unit["unit"]]
    own += [(c.unit, f"约稿：{c.topic}", pts, status) for c, pts, status in result.get("_commissions") or ()
            if c.unit == unit["unit"]]
    if own:
        r += 1
        put(ws, r, 0, "单位加减分（已计入得分）", st.section)
        for _u, rule, pts, note in own:
            r += 1
            put_row(ws, r, [rule, pts, note], [st.text, st.pts, st.text])


def _rows_sheet(wb, st, result, unit, rows):
    from .cells import put, put_row
    from .layout import print_setup, table_head, title, with_heights

    ws = wb.add_worksheet("得分明细")
    title(ws, st, f"{unit['unit']}{result['period']['title']}得分明细", len(ROW_HEADERS))
    table_head(ws, st, ROW_HEADERS, ROW_WIDTHS, 1)
    print_setup(ws, repeat=(1, 1), fit_width=False)
    fmts = [st.int, st.text, st.date, st.center, st.center, st.text, st.text, st.pts, st.pts, st.pts, st.pts, st.pts,
            st.text, st.text]
    numbered = ([n, *row] for n, row in enumerate(rows, 1))
    r = 2
    for values, height in with_heights(numbered, ROW_WIDTHS):
        put_row(ws, r, values, fmts)
        if height:
            ws.set_row(r, height)
        r += 1
    put(ws, r, 1, "合计", st.head)
    for c in POINT_COLUMNS:
        put(ws, r, c, round(sum(row[c - 1] for row in rows), 4), st.pts)
    if not rows:
        put(ws, r + 1, 1, "本期没有计分的信息。", st.note)


def _problems_sheet(wb, st, problems):
    from .cells import put_row
    from .checksheets import problems_table

    ws, fmts, rows = problems_table(wb, st, "本单位信息中发现的数据问题（错误行未计分，请核对）", problems)
    for r, (vals, height) in enumerate(rows or (), 2):
        put_row(ws, r, vals, fmts)
        if height:
            ws.set_row(r, height)


def write_all(result: dict, folder: Path, units: list) -> dict:
    """Each named unit's workbook in folder/采用反馈/ (atomic writes; the caller holds the out lock):
    {unit: [path]}."""
    from .safeio import atomic_write

    by_name = {u["unit"]: u for u in result["units"]}
    units = [u for u in units if u in by_name]
    rows = rows_by_unit(result)
    problems = problems_by_unit(result, units)
    out = {}
    for name in units:
        target = Path(folder) / FEEDBACK_DIR / feedback_name(name, result["period"]["title"])
        atomic_write(target, lambda tmp, n=name: write_feedback(tmp, result, by_name[n], rows.get(n, []), problems[n]))
        out[name] = [target]
    return out
