"""The ranking workbook (spec §7): which sheets, in which order, and the file they are written into.

In: the score result and the registers.ReadResult behind it. Out: one .xlsx — 排名通报, 得分明细, 采用清单,
约稿完成情况, 单位加减分, 信息员排名, 年度考核, 月度趋势, 数据问题, 行数核对, 得分图表 (the sheets a period
lacks are left out). The sheets are made by ranksheet (per unit), listsheets (per item), checksheets
(problems, row counts) on layout's formats; every cell goes through cells or, for the long lists' rows,
xlsxstream. A text from a register is always a string, never a formula. The file is deterministic:
same inputs, same bytes.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

FIXED_TIME = dt.datetime(2000, 1, 1)  # the workbook's creation date (and so its members' zip timestamps)


def output_name(office: str, period_title: str) -> str:
    from .safeio import output_stem

    return f"{output_stem(office, period_title)}.xlsx"


def write_rankbook(path: Path, result: dict, read, *, big: bool = False) -> Path:
    """Write the ranking workbook for a score result. `read` is the registers.ReadResult behind it."""
    import xlsxwriter

    from . import checksheets, listsheets, ranksheet
    from .layout import Styles
    from .xlsxstream import splice

    path = Path(path)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False,
                                         "strings_to_numbers": False})
    title = f"{result.get('office', '')}{result['period']['title']}政务信息报送采用情况通报"
    wb.set_properties({"title": title, "author": "govxl", "company": result.get("office", ""),
                       "created": FIXED_TIME, "comments": "由 govxl 生成"})
    st = Styles(wb)
    rank = wb.add_worksheet("排名通报")
    streams = [listsheets.detail_sheet(wb, st, result)]
    ranksheet.rank_sheet(rank, st, result)
    streams.append(listsheets.adopted_sheet(wb, st, result))
    listsheets.commission_sheet(wb, st, result)
    listsheets.adjustments_sheet(wb, st, result)
    streams.append(listsheets.authors_sheet(wb, st, result))
    ranksheet.assessment_sheet(wb, st, result)
    ranksheet.trend_sheet(wb, st, result)
    streams.append(checksheets.problems_sheet(wb, st, result))
    checksheets.rows_sheet(wb, st, result, read)
    ranksheet.chart_sheet(wb, st, result)
    wb.close()
    splice(path, streams)
    return path
