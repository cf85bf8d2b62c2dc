"""The reference programs govxl is measured against: bare reads, a bare write, a naive pandas script.

    python bench/bare.py read-fastexcel  DIR          every sheet of every .xlsx under DIR, parsed by fastexcel
    python bench/bare.py read-calamine   DIR          the same with python-calamine, rows pulled into Python
    python bench/bare.py read-write      DIR OUT.xlsx calamine read + one xlsxwriter detail sheet of all rows
    python bench/bare.py naive-pandas    DIR YYYY-MM  pandas.read_excel(engine="openpyxl"): per-unit sums of a month

Each prints one line of JSON (rows seen, and for naive-pandas the month's sums) so the harness can
check the references did real work. They are deliberately straightforward: one process, no caching.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
from pathlib import Path


def files_of(folder) -> list:
    out = []
    for root, dirs, names in os.walk(folder):
        dirs.sort()
        for n in sorted(names):
            if n.lower().endswith((".xlsx", ".xlsm", ".xls")) and not n.startswith("~$"):
                out.append(os.path.join(root, n))
    return out


def read_fastexcel(folder) -> dict:
    import fastexcel

    rows = cells = 0
    for f in files_of(folder):
        reader = fastexcel.read_excel(f)
        for name in reader.sheet_names:
            sheet = reader.load_sheet(name, header_row=None)
            rows += sheet.height
            cells += sheet.height * sheet.width
    return {"rows": rows, "cells": cells}


def read_calamine(folder) -> dict:
    import python_calamine as pc

    rows = cells = 0
    for f in files_of(folder):
        wb = pc.CalamineWorkbook.from_path(f)
        for name in wb.sheet_names:
            data = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
            rows += len(data)
            cells += sum(len(r) for r in data)
    return {"rows": rows, "cells": cells}


DETAIL_COLUMNS = 15  # govxl's 得分明细 has 15 columns: the bare write writes as many cells per row


def read_write(folder, out) -> dict:
    """Read like read_calamine, then write every non-blank row to one detail sheet: the row's cells
    (padded with formatted blanks) up to 13 columns, a joined text (like 计分依据) and the source."""
    import python_calamine as pc
    import xlsxwriter

    wb_out = xlsxwriter.Workbook(out, {"constant_memory": True, "strings_to_numbers": False,
                                       "strings_to_formulas": False, "strings_to_urls": False})
    ws = wb_out.add_worksheet("明细")
    text = wb_out.add_format({"border": 1, "text_wrap": True})
    num = wb_out.add_format({"border": 1, "num_format": "0.0"})
    date = wb_out.add_format({"border": 1, "num_format": "yyyy-mm-dd"})
    r = 0
    for f in files_of(folder):
        wb = pc.CalamineWorkbook.from_path(f)
        for name in wb.sheet_names:
            for i, row in enumerate(wb.get_sheet_by_name(name).to_python(skip_empty_area=False)):
                if not any(v not in ("", None) for v in row):
                    continue
                cells = list(row[:DETAIL_COLUMNS - 2]) + [""] * (DETAIL_COLUMNS - 2 - len(row))
                for c, v in enumerate(cells):
                    if isinstance(v, (int, float)) and not isinstance(v, bool):
                        ws.write_number(r, c, v, num)
                    elif isinstance(v, (dt.date, dt.datetime)):
                        if not isinstance(v, dt.datetime):
                            v = dt.datetime(v.year, v.month, v.day)
                        ws.write_datetime(r, c, v, date)
                    elif v not in ("", None):
                        ws.write_string(r, c, str(v), text)
                    else:
                        ws.write_blank(r, c, None, text)
                ws.write_string(r, DETAIL_COLUMNS - 2, "；".join(str(v) for v in row if v not in ("", None)), text)
                ws.write_string(r, DETAIL_COLUMNS - 1, f"{os.path.basename(f)} › {name} › 第{i + 1}行", text)
                r += 1
    wb_out.close()
    return {"rows": r}


# ---- the naive pandas script: what someone would write first -------------------------------------

TITLE = ("标题", "信息标题", "题目", "信息题目")
DATE = ("报送日期", "报送时间", "上报日期")
UNIT = ("报送单位", "单位名称", "单位")
LEVELS = ("县级", "市级", "省级", "国家级")


def _to_date(v):
    import pandas as pd

    if isinstance(v, (dt.datetime, dt.date)):
        return pd.Timestamp(v)
    if isinstance(v, (int, float)) and 30000 < v < 80000:
        return pd.Timestamp("1899-12-30") + pd.Timedelta(days=float(v))
    if isinstance(v, str):
        m = re.match(r"(\d{4})\D(\d{1,2})\D(\d{1,2})", v.strip())
        if m:
            try:
                return pd.Timestamp(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            except ValueError:
                return None
    return None


def naive_pandas(folder, month) -> dict:
    import pandas as pd

    year, mon = (int(x) for x in month.split("-"))
    sums: dict = {}
    rows = 0
    for f in files_of(folder):
        stem = Path(f).stem
        for df in pd.read_excel(f, sheet_name=None, header=None, engine="openpyxl").values():
            df = df.fillna("")
            header = None
            for i in range(min(30, len(df))):
                cells = [str(x).strip() for x in df.iloc[i].tolist()]
                if any(c in TITLE for c in cells) and any(c in DATE for c in cells):
                    header = i
                    break
            if header is None:
                continue
            head = [str(x).strip() for x in df.iloc[header].tolist()]
            sub = [str(x).strip() for x in df.iloc[header + 1].tolist()] if header + 1 < len(df) else []
            two = sum(1 for c in sub if c in LEVELS) >= 2
            body = df.iloc[header + (2 if two else 1):]
            col = {}
            for j, h in enumerate(head):
                for key, names in (("title", TITLE), ("date", DATE), ("unit", UNIT)):
                    if h in names and key not in col:
                        col[key] = j
                if h in ("采用情况", "采用级别") and not two:
                    col["adopt"] = j
                for lv in LEVELS:
                    if h in (lv + "采用",):
                        col.setdefault("levels", []).append(j)
            if two:
                col["levels"] = [j for j, c in enumerate(sub) if c in LEVELS]
            unit_default = re.sub(r"^[A-Z]?\d+_|\d{4}年.*$", "", stem)
            for _, r in body.iterrows():
                rows += 1
                title = str(r.iloc[col["title"]]).strip()
                if not title or title in TITLE:
                    continue
                d = _to_date(r.iloc[col["date"]])
                if d is None or d.year != year or d.month != mon:
                    continue
                unit = str(r.iloc[col["unit"]]).strip() if "unit" in col else unit_default
                s = sums.setdefault(unit, {"submitted": 0, "adopted": 0})
                s["submitted"] += 1
                adopted = False
                if "adopt" in col and str(r.iloc[col["adopt"]]).strip():
                    adopted = True
                for j in col.get("levels", ()):
                    if str(r.iloc[j]).strip() not in ("", "否"):
                        adopted = True
                s["adopted"] += int(adopted)
    return {"rows": rows, "units": len(sums), "submitted": sum(s["submitted"] for s in sums.values()),
            "adopted": sum(s["adopted"] for s in sums.values())}


def main(argv=None):
    argv = list(sys.argv[1:] if argv is None else argv)
    mode, args = argv[0], argv[1:]
    fn = {"read-fastexcel": read_fastexcel, "read-calamine": read_calamine, "read-write": read_write,
          "naive-pandas": naive_pandas}[mode]
    print(json.dumps(fn(*args), ensure_ascii=False))


if __name__ == "__main__":
    main()
