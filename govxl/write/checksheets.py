"""The ranking workbook's checks: 数据问题 (every problem found, with where) and 行数核对 (every row read
accounted for, sheet by sheet).

In: the score result (problems, row counts) and the ReadResult's sheets and per-sheet counts, with the
workbook's Styles. Out: the two sheets; 数据问题's rows as a xlsxstream.RowStream (a province year can
have thousands), or None when there is none.
"""
from __future__ import annotations

from ..errors import ERROR
from .cells import put, put_row
from .layout import print_setup, table_head, title, with_heights
from .xlsxstream import RowStream

ROW_KINDS = {"items": "报送台账", "adoptions": "采用登记", "commission": "约稿登记", "postings": "发布台账"}


PROBLEM_WIDTHS = [5, 6, 34, 12, 6, 5, 70]


def problems_table(wb, st, heading: str, problems):
    """A 数据问题 sheet headed `heading`: (its worksheet, the formats of its columns, its rows with their
    heights), or (worksheet, None, None) after saying there is no problem."""
    ws = wb.add_worksheet("数据问题")
    headers = ["序号", "类型", "文件", "工作表", "行", "列", "问题说明"]
    title(ws, st, heading, len(headers))
    table_head(ws, st, headers, PROBLEM_WIDTHS, 1)
    print_setup(ws, repeat=(1, 1))
    if not problems:
        ws.write_string(2, 0, "没有发现数据问题。", st.note)
        return ws, None, None
    fmts = [st.int, st.center, st.text, st.text, st.int, st.center, st.text]
    values = ([n, "错误" if p["severity"] == ERROR else "提示", p.get("file") or "", p.get("sheet") or "",
               p.get("row"), p.get("column") or "", p["message"]] for n, p in enumerate(problems, 1))
    return ws, fmts, with_heights(values, PROBLEM_WIDTHS)


def problems_sheet(wb, st, result):
    """数据问题: the RowStream of its rows, or None (then the sheet says there is no problem)."""
    # score_loaded hands the problems over late (the suspected duplicates may still be being compared)
    problems = result["_problems"]() if callable(result.get("_problems")) else result.get("problems") or ()
    ws, fmts, rows = problems_table(wb, st, "数据问题（错误行未计分，请改正登记表后重新运行）", problems)
    return RowStream(ws, 2, len(problems), fmts, rows) if rows is not None else None


def rows_sheet(wb, st, result, read):
    """行数核对: per sheet read, 读取行数 = 计入 + 重复 + 错误 + 空行/合计行 (一致 or 不一致), then the totals."""
    ws = wb.add_worksheet("行数核对")
    headers = ["文件", "工作表", "登记表类型", "表头行", "读取行数", "计入", "重复", "错误", "空行/合计行", "核对"]
    widths = [40, 14, 10, 7, 9, 7, 7, 7, 10, 8]
    title(ws, st, "行数核对：读取行数 = 计入 + 重复 + 错误 + 空行/合计行", len(headers))
    table_head(ws, st, headers, widths, 1)
    print_setup(ws, repeat=(1, 1))
    r = 2
    fmts = [st.text, st.text, st.center, st.int, st.int, st.int, st.int, st.int, st.int]
    for file, sheet, kind, header_row in (read.sheets if read is not None else ()):
        c = read.sheet_rows.get((file, sheet), {})
        vals = [file, sheet, ROW_KINDS.get(kind, kind), header_row, c.get("read", 0), c.get("counted", 0),
                c.get("duplicate", 0), c.get("error", 0), c.get("skipped", 0)]
        put_row(ws, r, vals, fmts)
        put(ws, r, 9, "一致" if vals[4] == sum(vals[5:9]) else "不一致", st.center)
        r += 1
    rows = result["rows"]
    vals = ["合计", "", "", None, rows["read"], rows["counted"], rows["duplicate"], rows["error"], rows["skipped"]]
    put_row(ws, r, vals, [st.head, st.head, st.head, st.head, st.int, st.int, st.int, st.int, st.int])
    ok = rows["read"] == rows["counted"] + rows["duplicate"] + rows["error"] + rows["skipped"]
    put(ws, r, 9, "一致" if ok else "不一致", st.center)
