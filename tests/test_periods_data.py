"""A wrong report must never look right (issue 20.1): a period the registers hold nothing of, or one
that runs past where they end, is said in the console, the JSON and the workbook, with exit 1."""
import datetime as dt
import json

import openpyxl
from click.testing import CliRunner

from conftest import write_xlsx
from govxl.score import periods
from govxl.cli import main

D = dt.datetime


def invoke(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def register(ws, months):
    rows = [["单位", "标题", "报送日期"]]
    for m in months:
        rows += [["城关镇", f"城关镇{m}月秋粮收购进展", D(2025, m, 3)], ["青石镇", f"青石镇{m}月茶产业提质", D(2025, m, 8)]]
    write_xlsx(ws / "workbooks" / "台账.xlsx", {"台账": rows})


def rank_sheet(ws):
    book = openpyxl.load_workbook(next((ws / "out").rglob("*.xlsx")))
    return book["排名通报"], book["数据问题"]


def test_a_month_the_registers_hold_nothing_of_is_not_a_success(ws):
    register(ws, range(1, 13))
    r = invoke("score", "--month", "2031-01")
    assert r.exit_code == 1
    assert "注意：统计期间 2031年1月（2031-01-01 至 2031-01-31）内没有任何报送记录，" \
           "登记表中的报送日期在 2025-01-03 至 2025-12-08 之间" in r.output
    data = json.loads(invoke("score", "--month", "2031-01", "--json").stdout)
    assert data["exit_code"] == 1 and len(data["alerts"]) == 1 and "2025-12-08" in data["alerts"][0]
    assert [p["severity"] for p in data["problems"] if p["message"] == data["alerts"][0]] == ["error"]
    sheet, issues = rank_sheet(ws)
    assert "注意：统计期间 2031年1月" in sheet["A2"].value and sheet["A2"].font.color.rgb.endswith("C00000")
    assert any(data["alerts"][0] in str(c.value) for row in issues.iter_rows() for c in row)


def test_a_period_with_data_is_not_alerted(ws):
    register(ws, range(1, 13))
    data = json.loads(invoke("score", "--month", "2025-10", "--json").stdout)
    assert data["exit_code"] == 0 and data["alerts"] == []
    assert "注意" not in rank_sheet(ws)[0]["A2"].value


def test_a_year_past_the_last_register_date_says_where_the_data_ends(ws):
    register(ws, range(1, 12))  # January to November
    data = json.loads(invoke("score", "--year", "2025", "--json").stdout)
    assert data["exit_code"] == 1
    assert data["alerts"] == ["登记表中的报送日期在 2025-01-03 至 2025-11-08 之间，而统计期间到 2025-12-31：2025年12月"
                              "没有任何报送记录，各单位这些月份按零报送计：请确认登记表是否收齐"]


def test_tasks_count_only_the_months_the_period_has_reached(ws, monkeypatch):
    """`--year 2025` run on 20 November: eleven months of 月任务数, not twelve, and no alert."""
    monkeypatch.setattr(periods, "today", lambda: dt.date(2025, 11, 20))
    register(ws, range(1, 12))
    data = json.loads(invoke("score", "--year", "2025", "--json").stdout)
    assert data["alerts"] == [] and data["exit_code"] == 0
    town = next(u for u in data["units"] if u["unit"] == "城关镇")  # 月任务数 2 (conftest roster)
    assert (town["quota"], town["submitted"], town["quota_met"], town["shortfall"]) == (22, 11, False, 11)
    archive = next(u for u in data["units"] if u["unit"] == "县档案馆")  # 月任务数 1
    assert archive["quota"] == 11


def test_the_month_in_progress_is_not_a_month_without_data(ws, monkeypatch):
    monkeypatch.setattr(periods, "today", lambda: dt.date(2025, 12, 7))
    register(ws, range(1, 12))  # to 8 November; December has only begun
    data = json.loads(invoke("score", "--year", "2025", "--json").stdout)
    assert data["alerts"] == [] and data["exit_code"] == 0
    monkeypatch.setattr(periods, "today", lambda: dt.date(2026, 1, 7))
    assert "2025年12月没有任何报送记录" in json.loads(invoke("score", "--year", "2025", "--json").stdout)["alerts"][0]


def test_mail_sends_nothing_for_a_period_without_data(ws):
    from conftest import write_config

    write_config(ws / "govxl.xlsx", settings={"发件人": "xinxike@example.gov.cn", "SMTP服务器": "127.0.0.1",
                                              "SMTP端口": 1, "SMTP加密": "无"})
    register(ws, range(1, 13))
    r = invoke("mail", "--month", "2031-01")
    assert r.exit_code == 1 and "未发送任何邮件" in r.output and "注意：统计期间 2031年1月" in r.output
    data = json.loads(invoke("mail", "--month", "2031-01", "--json").stdout)
    assert data["mail"]["sent"] == [] and data["mail"]["withheld"] == data["alerts"] != []


def test_a_clerks_older_notice_template_still_carries_the_alert(ws):
    (ws / "templates").mkdir()
    (ws / "templates" / "notice.md.j2").write_text("# {{ office }}\n# 关于{{ period.title }}的通报\n\n正文。\n",
                                                   encoding="utf-8")
    register(ws, range(1, 13))
    invoke("score", "--month", "2031-01", "--notice")
    md = next((ws / "out").rglob("*.md")).read_text(encoding="utf-8")
    assert md.index("【注意：统计期间 2031年1月") > md.index("的通报") and md.index("【注意") < md.index("正文")
