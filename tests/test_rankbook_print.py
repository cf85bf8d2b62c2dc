"""The ranking workbook laid out for what each sheet is for (issue 20.7): the sheets a clerk prints fit
the page; the long lists are for filtering on screen; charts a person can read."""
import re
import zipfile

import openpyxl
import pytest

from govxl import api
from govxl.workspace.folder import init_workspace


@pytest.fixture(scope="module")
def year_book(tmp_path_factory):
    ws = tmp_path_factory.mktemp("sample")
    init_workspace(ws, sample=True)
    res = api.score([ws / "workbooks"], ws / "govxl.xlsx", year="2025", out=ws / "out")
    return ws / next(p for p in res["outputs"] if p.endswith(".xlsx")), res


def test_print_sheets_fit_the_page_and_screen_sheets_filter(year_book):
    path, _res = year_book
    book = openpyxl.load_workbook(path)
    for name in ("排名通报", "采用清单", "数据问题", "行数核对", "得分图表"):
        sheet = book[name]
        assert sheet.page_setup.paperSize == 9 and sheet.sheet_properties.pageSetUpPr.fitToPage, name
        assert sheet.page_setup.fitToWidth in (None, 1) and sheet.page_setup.fitToHeight == 0, name  # 1 wide
    for name in ("得分明细", "月度趋势"):
        sheet = book[name]
        assert not (sheet.sheet_properties.pageSetUpPr and sheet.sheet_properties.pageSetUpPr.fitToPage), name
        assert sheet.auto_filter.ref and sheet.freeze_panes, name
        assert sheet.print_title_cols == "$A:$B", name  # the key columns repeat on pages to the right


def _charts(path):
    """[(sheet's chart title text, number of series, number of category points)] from the chart parts."""
    out = []
    with zipfile.ZipFile(path) as zf:
        for name in sorted(n for n in zf.namelist() if re.match(r"xl/charts/chart\d+\.xml", n)):
            xml = zf.read(name).decode("utf-8")
            title = "".join(re.findall(r"<a:t>([^<]*)</a:t>", xml.split("</c:title>")[0]))
            cats = re.search(r"<c:cat>.*?<c:f>[^!]*!\$A\$(\d+):\$A\$(\d+)</c:f>", xml, re.S)
            points = int(cats.group(2)) - int(cats.group(1)) + 1 if cats else None
            out.append((title, xml.count("<c:ser>"), points))
    return out


def test_charts_are_readable_one_group_each_and_group_lines(year_book):
    path, res = year_book
    charts = _charts(path)
    groups = res["groups"]
    bars = [c for c in charts if c[0].endswith("得分") or "前30名" in c[0]]
    assert [c[0] for c in bars] == [f"2025年{g}得分" for g in groups]
    sizes = {g: sum(u["group"] == g for u in res["units"]) for g in groups}
    assert [c[2] for c in bars] == [min(sizes[g], 30) for g in groups]
    trend = [c for c in charts if c[0] == "各组单位平均得分月度变化"]
    assert trend == [("各组单位平均得分月度变化", len(groups), None)]
    # each group's chart starts a printed page
    sheet = openpyxl.load_workbook(path)["得分图表"]
    assert len(sheet.row_breaks.brk) == len(groups) - 1
