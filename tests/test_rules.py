"""Issue 6: 约稿 registers, timeliness, 失实, and the scoring options of published schemes,
each expressed in govxl.xlsx alone and checked against a hand count."""
import json

import openpyxl
import pytest
from click.testing import CliRunner

from conftest import write_config, write_xlsx
from govxl import defaults as D
from govxl.cli import main

UNITS = [("城关镇", "", "乡镇", 2), ("青石镇", "", "乡镇", 2), ("县教育局", "", "县直", 1)]


def run_score(*args):
    r = CliRunner().invoke(main, ["score", *args, "--json"], catch_exceptions=False)
    assert r.exit_code in (0, 1), r.output
    return json.loads(r.stdout)


def units(data):
    return {u["unit"]: u for u in data["units"]}


def items_file(ws, rows, name="台账.xlsx", head=("单位", "标题", "报送日期", "采用情况")):
    write_xlsx(ws / "workbooks" / name, {"S": [list(head), *rows]})


def test_commission_register_read_and_scored(ws):
    write_config(ws / "govxl.xlsx", units=UNITS)
    items_file(ws, [["城关镇", "甲", "2025-10-02", ""]])
    write_xlsx(ws / "workbooks" / "约稿登记.xlsx", {"约稿": [
        ["2025年约稿登记"],
        ["单位", "约稿主题", "下达日期", "截止日期", "完成日期"],
        ["城关镇", "秋粮收购进展", "2025-10-01", "2025-10-10", "2025-10-09"],  # on time: +2
        ["城关镇", "安全生产", "2025-10-05", "2025-10-15", "2025-10-18"],  # late: −2
        ["青石镇", "茶叶销售", "2025-10-05", "2025-10-20", None],  # not done: −2
        ["县教育局", "开学", "2025-10-20", "2025-11-05", None],  # deadline next month: nothing yet
    ]})
    data = run_score("--month", "2025-10")
    u = units(data)
    assert (u["城关镇"]["points"], u["城关镇"]["commissions"], u["城关镇"]["commissions_on_time"]) == (0.5, 2, 1)
    assert (u["青石镇"]["points"], u["青石镇"]["commissions"]) == (-2.0, 1)
    assert (u["县教育局"]["points"], u["县教育局"]["commissions"]) == (0.0, 0)
    assert data["rows"] == {"read": 5, "counted": 5, "duplicate": 0, "error": 0, "skipped": 0}
    wb = openpyxl.load_workbook(ws / data["outputs"][0])
    sh = wb["约稿完成情况"]
    got = [(sh.cell(r, 2).value, sh.cell(r, 3).value, sh.cell(r, 7).value, sh.cell(r, 8).value) for r in range(3, 6)]
    assert got == [("城关镇", "秋粮收购进展", "按时完成", 2), ("城关镇", "安全生产", "逾期完成", -2), ("青石镇", "茶叶销售", "未完成", -2)]


def test_timeliness_limits_from_settings(ws):
    write_config(ws / "govxl.xlsx", units=UNITS, settings={"重要时限（小时）": 2})
    items_file(ws, [["城关镇", "甲", "2025-10-02 12:00", "紧急", "2025-10-02 11:45"],  # 15 min: ok
                    ["城关镇", "乙", "2025-10-02 12:00", "重要", "2025-10-02 09:00"],  # 3 h > 2 h: late −1
                    ["城关镇", "丙", "2025-10-05 12:00", "一般", "2025-10-02 12:00"]],  # 72 h > 48 h: late −1
               head=("单位", "标题", "报送日期", "信息类型", "事件时间"))
    u = units(run_score("--month", "2025-10"))["城关镇"]
    assert (u["points"], u["late"]) == (1.5 - 2, 2)


def test_false_report_mark(ws):
    write_config(ws / "govxl.xlsx", units=UNITS, other={"失实": -30})
    items_file(ws, [["城关镇", "甲", "2025-10-02", "是"], ["城关镇", "乙", "2025-10-03", ""]],
               head=("单位", "标题", "报送日期", "是否失实"))
    u = units(run_score("--month", "2025-10"))["城关镇"]
    assert (u["points"], u["false_reports"]) == (1.0 - 30, 1)


def test_base_score_and_shortfall_deduction(ws):
    # 钟楼区-style: base 6 a month, −1 for each item short of quota
    write_config(ws / "govxl.xlsx", units=UNITS, other={"每月基础分": 6, "缺报每篇": -1, "报送每篇": 0})
    items_file(ws, [["城关镇", "甲", "2025-10-02", ""], ["城关镇", "乙", "2025-10-03", ""], ["青石镇", "丙", "2025-10-03", ""]])
    u = units(run_score("--month", "2025-10"))
    assert (u["城关镇"]["points"], u["青石镇"]["points"], u["县教育局"]["points"]) == (6, 5, 5)
    q = units(run_score("--quarter", "2025-Q4"))  # three months: base 18; 城关镇 short 0+2+2
    assert (q["城关镇"]["points"], q["青石镇"]["points"], q["县教育局"]["points"]) == (14, 13, 15)


def test_forwarding_multiplier(ws):
    # 衢州-style: city 信息版 2; forwarded to the province ×2, to 国办 ×5
    adoption = [("市级", "市级", 2, "", 1), ("省级", "省级", 0, "转报省", 2), ("国家级", "国家级", 0, "转报国办", 5),
                ("县级", "县级", 1, "", 1)]
    write_config(ws / "govxl.xlsx", units=UNITS, adoption=adoption, other={"报送每篇": 0})
    # the config builder writes 4 columns; add the 倍数 header
    wb = openpyxl.load_workbook(ws / "govxl.xlsx")
    wb[D.SHEET_ADOPTION].cell(1, 5).value = "倍数"
    wb.save(ws / "govxl.xlsx")
    items_file(ws, [["城关镇", "甲", "2025-10-02", "市采用；转报省"], ["青石镇", "乙", "2025-10-02", "市采用；转报国办"],
                    ["县教育局", "丙", "2025-10-02", "市采用"]])
    u = units(run_score("--month", "2025-10"))
    assert (u["城关镇"]["points"], u["青石镇"]["points"], u["县教育局"]["points"]) == (4, 10, 2)


@pytest.mark.parametrize("mode, expected", [("均分", (5.5 / 2, 5.5 / 2)), ("全计", (5.5, 5.5))])
def test_joint_items(ws, mode, expected):
    write_config(ws / "govxl.xlsx", units=UNITS, settings={"重复信息处理": mode})
    items_file(ws, [["城关镇", "联合稿", "2025-10-02", "市采用", "青石镇"]],
               head=("单位", "标题", "报送日期", "采用情况", "联合报送单位"))
    u = units(run_score("--month", "2025-10"))
    assert (u["城关镇"]["points"], u["青石镇"]["points"]) == pytest.approx(expected)
    assert u["青石镇"]["submitted"] == 1 and u["青石镇"]["adopted"] == 1


def test_quarterly_adoption_rate_floor(ws):
    write_config(ws / "govxl.xlsx", units=UNITS, settings={"季度采用率下限": "30%"},
                 other={"季度采用率不达标": -1, "报送每篇": 0})
    rows = [["城关镇", f"城关{m}-{i}", f"2025-0{m}-0{i}", "县采用" if i == 1 else ""] for m in (7, 8, 9) for i in (1, 2)]
    rows += [["青石镇", f"青石{i}", "2025-08-0{}".format(i), ""] for i in (1, 2, 3)]
    items_file(ws, rows)
    sep = units(run_score("--month", "2025-09"))
    # 城关镇 3 of 6 adopted (50%): no penalty; 青石镇 0 of 3 and 县教育局 nothing: −1 each
    assert (sep["城关镇"]["points"], sep["青石镇"]["points"], sep["县教育局"]["points"]) == (2, -1, -1)
    aug = units(run_score("--month", "2025-08"))  # not a quarter's last month: no penalty
    assert (aug["青石镇"]["points"], aug["县教育局"]["points"]) == (0, 0)


def test_two_missed_commissions_zero_the_year(ws):
    write_config(ws / "govxl.xlsx", units=UNITS, settings={"约稿未完成清零次数": 2})
    items_file(ws, [["城关镇", f"稿{m}", f"2025-{m:02d}-03", "市采用"] for m in range(1, 13)])
    write_xlsx(ws / "workbooks" / "约稿.xlsx", {"S": [
        ["单位", "约稿主题", "截止日期", "完成日期"],
        ["城关镇", "一", "2025-03-10", None], ["城关镇", "二", "2025-06-10", "2025-06-20"]]})
    year = units(run_score("--year", "2025"))["城关镇"]
    assert year["points"] == 0 and year["ytd_points"] == 0
    may = units(run_score("--month", "2025-05"))["城关镇"]  # one missed so far: not zeroed
    assert may["ytd_points"] == 5 * 5.5 - 2


def test_annual_assessment_and_trend_sheets(ws):
    write_config(ws / "govxl.xlsx", units=[("城关镇", "", "乡镇", 1), *UNITS[1:]], settings={"表彰名额": 1})
    rows = [["城关镇", f"城关{m}", f"2025-{m:02d}-03", "市采用"] for m in range(1, 13)]
    rows += [["青石镇", f"青石{m}", f"2025-{m:02d}-03", ""] for m in range(1, 12)]
    items_file(ws, rows)
    data = run_score("--year", "2025")
    groups = {g["group"]: g["units"] for g in data["assessment"]["groups"]}
    town = {u["unit"]: u for u in groups["乡镇"]}
    assert town["城关镇"]["advanced"] is True and town["青石镇"]["advanced"] is False
    assert town["青石镇"]["zero_months"] == ["2025-12"] and town["青石镇"]["quota_met"] is False
    assert groups["县直"][0]["zero_months"] == [f"2025-{m:02d}" for m in range(1, 13)]
    wb = openpyxl.load_workbook(ws / data["outputs"][0])
    sh = wb["年度考核"]
    cells = [[sh.cell(r, c).value for c in range(1, 10)] for r in range(1, sh.max_row + 1)]
    assert [1, "城关镇", 66, 12, 12, "完成", "先进单位", None, None] in cells
    assert [2, "青石镇", 5.5, 11, 24, "未完成", None, "12月", "未完成全年任务"] in cells
    tr = wb["月度趋势"]
    assert tr.cell(3, 3).value == "1月" and tr.cell(3, 14).value == "12月"
    row = next(r for r in range(4, tr.max_row + 1) if tr.cell(r, 1).value == "城关镇")
    assert [tr.cell(row, c).value for c in range(3, 15)] == [5.5] * 12
    assert tr._charts  # the line chart


def test_rank_change_against_last_month(ws):
    write_config(ws / "govxl.xlsx", units=UNITS)
    items_file(ws, [["城关镇", "a", "2025-09-03", "市采用"], ["青石镇", "b", "2025-10-03", "市采用"],
                    ["城关镇", "c", "2025-10-04", ""]])
    u = units(run_score("--month", "2025-10"))
    # September: 城关镇 1, 青石镇 2, 县教育局 2 (跳号); October: 青石镇 1, 城关镇 2, 县教育局 3
    assert (u["青石镇"]["rank_change"], u["城关镇"]["rank_change"], u["县教育局"]["rank_change"]) == ("↑1", "↓1", "↓1")
    # a quarter against the quarter before (issue 23.2): Q3 城关镇 1, 青石镇 2, 县教育局 2; Q4 as October
    q4 = units(run_score("--quarter", "2025-Q4"))
    assert (q4["青石镇"]["rank_change"], q4["城关镇"]["rank_change"], q4["县教育局"]["rank_change"]) == ("↑1", "↓1", "↓1")


def test_type_multiplier_for_research_pieces(ws):
    # a county template: 调研 pieces count double
    write_config(ws / "govxl.xlsx", units=UNITS, other={"类型倍数：调研": 2, "报送每篇": 0})
    items_file(ws, [["城关镇", "甲", "2025-10-02", "调研", "市采用"], ["青石镇", "乙", "2025-10-02", "动态", "市采用"]],
               head=("单位", "标题", "报送日期", "信息类型", "采用情况"))
    u = units(run_score("--month", "2025-10"))
    assert (u["城关镇"]["points"], u["青石镇"]["points"]) == (10, 5)
