"""`govxl web` end to end: posting registers in several layouts, every count and every 超期 finding checked
against a hand count, in the result and cell by cell in the workbook."""
import datetime as dt
import json

import openpyxl
import pytest
from click.testing import CliRunner

from conftest import write_config, write_xlsx
from govxl import api
from govxl import defaults as D
from govxl.cli import main

T = dt.datetime
STILL = "至今未更新"


def web_config(path, *, tasks=None, accounts=None, limits=None, categories=None, mapping=None):
    """The tests' default config, with 每月发布任务 / 新媒体账号 and the optional web sheets when given."""
    write_config(path, mapping=mapping)
    wb = openpyxl.load_workbook(path)
    ws = wb[D.SHEET_ROSTER]
    if tasks is not None or accounts is not None:
        ws.cell(1, 8, "每月发布任务")
        ws.cell(1, 9, "新媒体账号")
        for r in range(2, ws.max_row + 1):
            name = ws.cell(r, 1).value
            ws.cell(r, 8, (tasks or {}).get(name))
            ws.cell(r, 9, (accounts or {}).get(name))
    if limits is not None:
        s = wb.create_sheet(D.SHEET_UPDATE_LIMITS)
        for row in [list(D.UPDATE_LIMIT_COLUMNS), *limits]:
            s.append(row)
    if categories is not None:
        s = wb.create_sheet(D.SHEET_COLUMN_CATEGORIES)
        for row in [list(D.COLUMN_CATEGORY_COLUMNS), *categories]:
            s.append(row)
    wb.save(path)


MEDIA = [
    ["2025年政务新媒体发布台账"],
    ["序号", "单位", "发布信息", None, "标题", "发布日期", "类型"],
    [None, None, "平台", "账号名称", None, None, None],
    [1, "城关镇", "微信", "城关发布", "城关镇秋收进度", "2025-09-10", "原创"],          # row 4, before the period
    [2, "城关镇", "公众号", "城关发布", "城关镇召开会议", "2025/10/5", "原创"],         # row 5
    [3, "城关镇", "微信公众号", "城关发布", "转发省里通知", "2025年10月12日", "转载"],  # row 6
    [4, "城关镇", "微信公众号", "城关发布", "城关镇志愿服务", T(2025, 10, 20, 9, 30), "原创"],
    [5, "城关镇", "微信公众号", "城关发布", "城关镇防火巡查", "10月8日", "原创"],        # row 8, no year
    [6, "城关镇", "微博", "城关微博", "微博一", "2025.10.1", None],
    [7, "城关镇", "微博", "城关微博", "微博二", "20251015", None],                       # 14 days: not overdue
    [8, "城关镇", "微博", "城关微博", "微博三", "2025-10-29", None],
    [9, "青石镇", "抖音", "青石视界", "茶园短视频", "2025-10-02", "原创"],
    [10, "青石镇", "抖音号", "青石视界", "采茶节", "2025-10-10", None],                  # then silent: 21 days
    [11, "青石镇", "抖音", "青石视界", "十一月的视频", "2025-11-03", None],             # after the period
    [12, "城关镇", "微信", "城关发布", "日期写错", "2025-13-01", None],                 # row 15: error
    [13, "东坡镇", "微信", "东坡发布", "单位不在名册", "2025-10-09", None],            # row 16: error
    [None, None, None, None, None, None, None],                                          # row 17: blank
    ["合计", None, None, None, None, None, None],                                        # row 18: subtotal
]
MEDIA_MERGES = ["A1:G1", "A2:A3", "B2:B3", "C2:D2", "E2:E3", "F2:F3", "G2:G3"]
CMS = [
    ["栏目名称", "标题", "发布时间", "发布人", "来源"],
    ["工作动态", "教育局开学检查", T(2025, 8, 1, 9, 0), "管理员", "县教育局"],
    ["工作动态", "教育局秋季招生", T(2025, 10, 20, 15, 0), "管理员", "县教育局"],   # 80 days after 8月1日
    ["通知公告", "关于招生的公告", T(2025, 3, 1, 10, 0), "管理员", "县教育局"],       # silent to the end: 244 days
    ["政策解读", "教育政策解读", T(2025, 10, 3, 10, 0), "管理员", "教育局"],
    ["通知公告", "转载：新华网消息", T(2025, 10, 9, 10, 0), "管理员", "新华网"],      # no unit: the portal
    ["专题专栏", "发改专题", T(2025, 10, 10, 10, 0), "管理员", "县发改局"],           # no category
]


def _xls(path, rows):
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    sh = wb.add_sheet("头条")
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    for r, row in enumerate(rows):
        for c, v in enumerate(row):
            if isinstance(v, dt.date):
                sh.write(r, c, v, date_style)
            else:
                sh.write(r, c, v)
    wb.save(str(path))


@pytest.fixture
def county(ws):
    web_config(ws / "govxl.xlsx", tasks={"城关镇": 3, "青石镇": 2, "县教育局": 4, "县档案馆": 1},
               accounts={"县教育局": "微博：教育发布", "城关镇": "微信公众号：城关发布"},
               mapping=[("平台", "载体名称"), ("标题", "推文题目")])
    wb = ws / "workbooks"
    write_xlsx(wb / "新媒体台账.xlsx", {"台账": MEDIA}, merges={"台账": MEDIA_MERGES})
    write_xlsx(wb / "门户网站导出.xlsx", {"Sheet1": CMS})
    (wb / "县发改局网站发布.csv").write_bytes("栏目,标题,发布日期\n工作动态,发改动态一,2025-10-01\n工作动态,发改动态二,2025-10-16\n"
                                       .encode("gb18030"))
    _xls(wb / "教育头条.xls", [["单位", "载体名称", "账号", "推文题目", "日期"],
                             ["县教育局", "头条号", "教育头条", "头条一", dt.date(2025, 10, 6)]])
    # a submission register in the same folder: not govxl web's
    write_xlsx(wb / "报送台账.xlsx", {"报送": [["单位", "标题", "报送日期"], ["城关镇", "城关镇推进秋粮收购", "2025-10-03"]]})
    return ws


def units(res):
    return {u["unit"]: u for u in res["units"]}


def test_counts_tasks_and_ranks(county):
    res = api.web(month="2025-10", write=False)
    u = units(res)
    plat = {n: {p: (v["posted"], v["ytd"]) for p, v in x["platforms"].items() if v["posted"] or v["ytd"]}
            for n, x in u.items()}
    assert plat == {
        "城关镇": {"微信公众号": (4, 5), "微博": (3, 3)},
        "青石镇": {"抖音": (2, 2)},
        "县教育局": {"网站": (2, 4), "头条号": (1, 1)},
        "县发展和改革局": {"网站": (3, 3)},
        "县档案馆": {},
    }
    got = {n: (x["posted"], x["original"], x["ytd_posted"], x["task"], x["status"], x["zero"], x["group_rank"], x["rank"])
           for n, x in u.items()}
    assert got == {
        "城关镇": (7, 3, 8, 3, "完成", False, 1, 1),
        "青石镇": (2, 1, 2, 2, "完成", False, 2, 4),
        "县教育局": (3, 0, 5, 4, "未完成（差1条）", False, 1, 2),
        "县发展和改革局": (3, 0, 3, None, "—", False, 1, 2),
        "县档案馆": (0, 0, 0, 1, "零发布", True, 1, 5),
    }
    assert res["zero_units"] == ["县档案馆"]
    assert res["portal"]["posted"] == 1 and res["portal"]["platforms"]["网站"] == {"posted": 1, "ytd": 1}
    assert res["totals"]["posted"] == 16 and res["totals"]["ytd_posted"] == 19
    assert res["by_platform"] == {"网站": 6, "微信公众号": 4, "微博": 3, "抖音": 2, "头条号": 1}
    t = res["trend"]
    assert t["months"] == [f"2025-{m:02d}" for m in range(1, 11)]
    assert t["total"] == [0, 0, 1, 0, 0, 0, 0, 1, 1, 16]
    assert t["platforms"]["网站"][9] == 6 and t["platforms"]["微信公众号"][8] == 1
    assert t["units_posting"][9] == 4  # the portal is no unit


EXPECTED_OVERDUE = [
    # unit, platform, column, category, limit, days, last before, first after, posted in the period
    ("城关镇", "微信公众号", "城关发布", "新媒体账号", 14, 25, "2025-09-10", "2025-10-05", 4),  # spans the start
    ("青石镇", "抖音", "青石视界", "新媒体账号", 14, 21, "2025-10-10", STILL, 2),             # runs at the end
    ("县教育局", "网站", "工作动态", "动态要闻", 14, 80, "2025-08-01", "2025-10-20", 1),
    ("县教育局", "网站", "通知公告", "通知公告", 180, 244, "2025-03-01", STILL, 0),
    ("县教育局", "微博", "教育发布", "新媒体账号", 14, 31, None, STILL, 0),                   # declared, never used
    ("县教育局", "头条号", "教育头条", "新媒体账号", 14, 25, "2025-10-06", STILL, 1),
    ("县发展和改革局", "网站", "工作动态", "动态要闻", 14, 15, "2025-10-01", "2025-10-16", 2),
]


def test_overdue_columns_and_accounts(county):
    res = api.web(month="2025-10", write=False)
    got = [(o["unit"], o["platform"], o["column"], o["category"], o["limit"], o["days"], o["last_before"],
            o["first_after"], o["posted"]) for o in res["overdue"]]
    assert got == EXPECTED_OVERDUE
    assert res["overdue"][0]["note"] == "期初前已停更"
    assert res["overdue"][1]["note"] == "截至期末仍未更新"
    assert res["totals"]["overdue_units"] == ["城关镇", "青石镇", "县教育局", "县发展和改革局"]


def test_rows_problems_and_exit(county):
    res = api.web(month="2025-10", write=False)
    assert res["rows"] == {"read": 24, "counted": 20, "duplicate": 0, "error": 2, "skipped": 2}
    errors = {(p["file"], p["row"], p["column"]): p["message"] for p in res["problems"] if p["severity"] == "error"}
    assert errors == {
        ("workbooks/新媒体台账.xlsx", 15, "F"): "发布日期“2025-13-01”不存在（没有这一天或这一时刻）",
        ("workbooks/新媒体台账.xlsx", 16, "B"): errors[("workbooks/新媒体台账.xlsx", 16, "B")],
    }
    assert errors[("workbooks/新媒体台账.xlsx", 16, "B")].startswith("单位“东坡镇”不在单位名册中")
    warnings = [(p["file"], p["row"], p["message"]) for p in res["problems"] if p["severity"] == "warning"]
    assert ("workbooks/新媒体台账.xlsx", 8, "日期“10月8日”缺少年份，按2025年计") in warnings
    assert any(f == "workbooks/门户网站导出.xlsx" and r == 6 and "本级门户网站" in m for f, r, m in warnings)
    assert not any("报送台账" in (p["file"] or "") for p in res["problems"])  # the submission register: not ours
    assert res["exit_code"] == 1


def _rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


def _find(rows, col, value, after=0):
    return next(i for i, r in enumerate(rows) if i >= after and r[col] == value)


def test_workbook_cell_by_cell(county):
    res = api.web(month="2025-10")
    path = res["outputs"][0]
    assert path.endswith("XX县人民政府办公室2025年10月网站和政务新媒体信息发布情况.xlsx")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["发布统计", "零发布", "超期未更新", "月度趋势", "数据问题", "行数核对"]
    rows = _rows(wb["发布统计"])
    assert rows[2][:3] == ["排名", "单位", "本期发布"] and rows[2][9] == "累计发布"
    assert rows[3][2:8] == ["网站", "微信公众号", "微博", "抖音", "头条号", "合计"]
    everyone = _find(rows, 0, "四、全部单位（5个单位）")
    table = {r[1]: r for r in rows[everyone + 1: everyone + 6]}
    assert [r[1] for r in rows[everyone + 1: everyone + 6]] == ["城关镇", "县教育局", "县发展和改革局", "青石镇", "县档案馆"]
    assert table["城关镇"] == [1, "城关镇", 0, 4, 3, 0, 0, 7, 3, 0, 5, 3, 0, 0, 8, 3, "完成"]
    assert table["县教育局"] == [2, "县教育局", 2, 0, 0, 0, 1, 3, 0, 4, 0, 0, 0, 1, 5, 4, "未完成（差1条）"]
    assert table["县发展和改革局"] == [2, "县发展和改革局", 3, 0, 0, 0, 0, 3, 0, 3, 0, 0, 0, 0, 3, None, "—"]
    assert table["县档案馆"][-2:] == [1, "零发布"]
    towns = _find(rows, 0, "一、乡镇（2个单位）")
    assert [r[:2] for r in rows[towns + 1: towns + 3]] == [[1, "城关镇"], [2, "青石镇"]]
    portal = _find(rows, 1, D.PORTAL_UNIT)
    assert rows[portal][2] == 1 and rows[portal][7] == 1
    assert wb["发布统计"]["B" + str(everyone + 6)].fill.fgColor.rgb.endswith("F8CBAD")  # 零发布 in red

    zero = _rows(wb["零发布"])
    assert zero[2][:5] == [1, "县档案馆", "县直二类", 1, 0]

    over = _rows(wb["超期未更新"])
    assert over[2][:3] == ["序号", "单位", "平台"]
    for n, (want, got) in enumerate(zip(EXPECTED_OVERDUE, over[3:]), 1):
        unit, platform, column, category, limit, days, before, after, posted = want
        as_cell = (lambda d: dt.datetime.fromisoformat(d) if d not in (None, STILL) else (d or "无发布记录"))
        assert got[:10] == [n, unit, platform, column, category, limit, days, as_cell(before), as_cell(after), posted]
    assert len([r for r in over[3:] if r[0] is not None]) == len(EXPECTED_OVERDUE)

    trend = _rows(wb["月度趋势"])
    assert trend[1] == ["月份", "网站", "微信公众号", "微博", "抖音", "头条号", "合计", "发布单位数"]
    assert trend[11] == ["2025年10月", 6, 4, 3, 2, 1, 16, 4]
    assert trend[10] == ["2025年9月", 0, 1, 0, 0, 0, 1, 1]
    assert wb["月度趋势"]._charts

    counted = {(r[0], r[1]): r[2:10] for r in _rows(wb["行数核对"])[2:]}
    assert counted[("workbooks/新媒体台账.xlsx", "台账")] == ["发布台账", 3, 15, 11, 0, 2, 2, "一致"]
    assert counted[("workbooks/县发改局网站发布.csv", "县发改局网站发布")][1:4] == [1, 2, 2]
    assert counted[("合计", None)][2:7] == [24, 20, 0, 2, 2]
    assert not any("报送台账" in str(k[0]) for k in counted)
    problems = _rows(wb["数据问题"])
    assert problems[2][1] == "错误" and problems[2][4] == 15 and problems[2][5] == "F"

    ws = wb["发布统计"]
    assert ws.page_setup.paperSize == 9 and ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$3:$4"


def test_byte_identical_and_notice(county):
    a = api.web(month="2025-10", notice=True)
    first = {p: open(p, "rb").read() for p in a["outputs"]}
    b = api.web(month="2025-10", notice=True)
    assert {p: open(p, "rb").read() for p in b["outputs"]} == first
    md = next(p for p in a["outputs"] if p.endswith(".md"))
    text = open(md, encoding="utf-8").read()
    assert "本期共有1个单位零发布：县档案馆。" in text
    assert "青石镇：抖音“青石视界”自2025-10-10起至今未更新，间隔21天（要求14天内）。" in text
    assert "城关镇：微信公众号“城关发布”自2025-09-10起至2025-10-05才更新，间隔25天（要求14天内）。" in text
    import docx

    doc = docx.Document(next(p for p in a["outputs"] if p.endswith(".docx")))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "关于2025年10月网站和政务新媒体信息发布情况的通报" in body and "县档案馆" in body
    assert doc.sections[0].page_width.mm == pytest.approx(210, abs=1)


def test_year_adds_assessment(county):
    res = api.web(year="2025")
    a = {r["unit"]: r for r in res["assessment"]["units"]}
    # 青石镇: 抖音 silent from 11月3日 to the year's end — the veto; 3 posts against a task of 24
    assert a["青石镇"]["result"] == "不合格" and a["青石镇"]["overdue"] == 1 and a["青石镇"]["posted"] == 3
    assert a["县档案馆"]["reasons"] == "全年未完成发布任务（差12条）；全年零发布"
    assert a["县发展和改革局"]["task"] is None and a["县发展和改革局"]["months_met"] is None
    wb = openpyxl.load_workbook(res["outputs"][0])
    rows = _rows(wb["年终考核"])
    assert rows[1][0] == "序号" and rows[2][1] == "城关镇" and rows[2][9] == "不合格"


def test_score_and_check_ignore_posting_registers(county, tmp_path):
    mixed = api.score(month="2025-10", write=False)
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "报送台账.xlsx").write_bytes((county / "workbooks" / "报送台账.xlsx").read_bytes())
    only = api.score([str(alone)], month="2025-10", write=False)
    assert mixed["units"] == only["units"] and mixed["rows"] == only["rows"] == {
        "read": 1, "counted": 1, "duplicate": 0, "error": 0, "skipped": 0}
    assert mixed["exit_code"] == only["exit_code"] == 0
    checked = api.check()
    assert checked["exit_code"] == 0 and checked["problems"] == []


def test_submission_registers_only(ws):
    write_xlsx(ws / "workbooks" / "报送.xlsx", {"S": [["单位", "标题", "日期"], ["城关镇", "x", "2025-10-01"]]})
    res = api.web(month="2025-10", write=False)
    assert res["rows"]["read"] == 0 and res["exit_code"] == 1
    assert [p["message"][:12] for p in res["problems"]] == ["没有读到任何网站或政务新"]


def test_old_config_defaults_and_config_sheets(ws):
    # an old govxl.xlsx (no web columns or sheets): the State Council limits, no task, nothing declared
    write_xlsx(ws / "workbooks" / "cms.xlsx", {"导出": [["栏目名称", "标题", "发布时间"], ["城关镇动态", "a", "2025-09-01"],
                                                       ["人事任免", "b", "2025-01-02"], ["政策文件", "c", "2025-10-05"]]})
    res = api.web(month="2025-10", write=False)
    assert [(o["column"], o["category"], o["days"]) for o in res["overdue"]] == [("城关镇动态", "动态要闻", 60)]
    assert res["exit_code"] == 0  # one warning (the portal), no error
    # the clerk's own limits and keywords
    web_config(ws / "govxl.xlsx", limits=[("动态要闻", 90), ("人事信息", 200)], categories=[("人事信息", "任免")])
    res = api.web(month="2025-10", write=False)
    assert [(o["column"], o["category"], o["limit"], o["days"]) for o in res["overdue"]] == [
        ("人事任免", "人事信息", 200, 302)]


def test_config_errors_are_located(ws):
    web_config(ws / "govxl.xlsx", tasks={"城关镇": -1}, accounts={"青石镇": "快手青石"}, limits=[("动态要闻", "两周")])
    r = CliRunner().invoke(main, ["web", "--month", "2025-10", "--json"])
    assert r.exit_code == 2
    data = json.loads(r.stdout)
    where = {(p["sheet"], p["row"], p["column"]) for p in data["problems"]}
    assert where == {("单位名册", 2, "H"), ("单位名册", 3, "I"), ("栏目更新要求", 2, "B")}


def test_cli_json_and_usage(county):
    r = CliRunner().invoke(main, ["web", "--month", "2025-10", "--json", "--out", "o"])
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert data["zero_units"] == ["县档案馆"] and len(data["overdue"]) == 7 and data["outputs"]
    r = CliRunner().invoke(main, ["web", "--month", "2025-13"])
    assert r.exit_code == 2


def test_sample_county(tmp_path, monkeypatch):
    api.init(tmp_path / "s", sample=True)
    monkeypatch.chdir(tmp_path / "s")
    res = api.web(quarter="2025-Q3", write=False)
    assert res["exit_code"] == 0 and res["rows"]["error"] == 0
    over = {(o["unit"], o["column"]): (o["days"], o["last_before"], o["first_after"]) for o in res["overdue"]}
    assert over == {("红庙乡", "红庙发布"): (18, "2025-09-12", STILL),
                    ("枫树乡", "枫树发布"): (92, None, STILL),
                    ("县教育局", "县教育局发布"): (92, None, STILL),
                    ("县民政局", "通知公告"): (217, "2025-01-20", "2025-08-25")}
    assert res["zero_units"] == ["枫树乡"]
    assert api.score(quarter="2025-Q3", write=False)["exit_code"] == 0


def test_every_web_key_and_sheet_is_in_the_reference(county):
    from pathlib import Path

    ref = (Path(__file__).resolve().parent.parent / "docs" / "reference.md").read_text(encoding="utf-8")
    res = api.web(year="2025")
    keys = [*res, *res["units"][0], *res["totals"], *res["overdue"][0], *res["trend"], *res["assessment"],
            *res["assessment"]["units"][0]]
    assert sorted({k for k in keys if k not in ref}) == []
    names = [*D.ROSTER_WEB_COLUMNS, *D.POSTING_HEADER_SYNONYMS, D.SHEET_UPDATE_LIMITS, D.SHEET_COLUMN_CATEGORIES,
             *(c for c, _ in D.DEFAULT_UPDATE_LIMITS)]
    assert [n for n in names if n not in ref] == []
    assert [s for s in openpyxl.load_workbook(res["outputs"][0]).sheetnames if s not in ref] == []
