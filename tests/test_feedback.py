"""采用反馈: `govxl mail` attaches to each unit its own workbook (设置 › 邮件附件, --attach feedback), sent to a
real SMTP server (aiosmtpd, the fixtures of test_mail); each attachment is read back from what the server
received, opened with openpyxl and checked cell by cell against hand-computed points."""
from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from conftest import write_config, write_xlsx
from govxl import api
from govxl.cli import main
from test_mail import Recorder, assert_both_name_encodings, attachments_of, parse, smtp_server  # noqa: F401
from test_score_cli import MERGES, central

D = dt.datetime
RANKBOOK = "XX县人民政府办公室2025年10月政务信息报送采用情况通报.xlsx"
FEEDBACK = "{}2025年10月政务信息采用反馈.xlsx"
ADDRESS = {"城关镇": "u0@example.gov.cn", "青石镇": "u1@example.gov.cn", "县教育局": "u2@example.gov.cn",
           "县发展和改革局": "u3@example.gov.cn", "县档案馆": "u4@example.gov.cn"}


def workspace(folder: Path, port: int, **settings) -> Path:
    s = {"SMTP服务器": "127.0.0.1", "SMTP端口": port, "SMTP加密": "无", "发件人": "xxk@example.gov.cn", **settings}
    write_config(folder / "govxl.xlsx", settings=s)
    rows = [
        # 序号, 单位, 标题, 报送日期, 县级, 市级, 省级, 国家级, 领导批示, 撰稿人
        [1, "城关镇", "城关镇推进秋粮收购", D(2025, 10, 3), None, "市级专报", None, None, "市长批示", "张三"],
        [2, "城关镇", "城关镇整治背街小巷", D(2025, 10, 4), None, None, None, None, None, "张三"],
        [3, "青石镇", "青石镇茶产业提质增效", D(2025, 10, 8), "√", None, None, None, None, "李四"],
        [4, "城关镇", "城关镇推进秋粮收购", D(2025, 10, 12), None, None, None, None, None, "张三"],  # 重复
    ]
    write_xlsx(folder / "workbooks" / "乡镇台账.xlsx", {"台账": central(rows)}, merges={"台账": MERGES})
    # the 教育局's own register: its problems are its own
    write_xlsx(folder / "workbooks" / "县教育局台账.xlsx", {"10月": [
        ["单位", "信息标题", "报送日期"],
        ["县教育局", "教育局开学检查", D(2025, 10, 5)],
        ["县教育局", "教育局秋季运动会", "2025年13月5日"],  # an unreadable date: an error row
    ]})
    return folder / "govxl.xlsx"


def mail(folder: Path, **kw) -> dict:
    return api.mail([folder / "workbooks"], folder / "govxl.xlsx", month="2025-10", out=folder / "out", password="",
                    **kw)


def book_of(part):
    return openpyxl.load_workbook(io.BytesIO(part.get_content()))


def values(ws, first_row: int, last_col: int) -> list:
    return [list(r) for r in ws.iter_rows(min_row=first_row, max_col=last_col, values_only=True)
            if any(v is not None for v in r)]


def received(handler) -> dict:
    """{address: (message bytes, parsed message)}"""
    return {m["rcpt_tos"][0]: (m["data"], parse(m["data"])) for m in handler.messages}


def test_each_unit_gets_its_own_feedback_beside_the_ranking_workbook(tmp_path, smtp_server):  # noqa: F811
    handler = Recorder()
    workspace(tmp_path, smtp_server(handler), 邮件附件="两者")
    res = mail(tmp_path)
    assert res["exit_code"] == 1  # the error row of 县教育局's register
    assert res["mail"]["sent"] == list(ADDRESS.values())
    got = received(handler)
    for unit, addr in ADDRESS.items():
        data, msg = got[addr]
        atts = attachments_of(msg)
        assert [a.get_filename() for a in atts] == [RANKBOOK, FEEDBACK.format(unit)]
        assert_both_name_encodings(data, FEEDBACK.format(unit), index=1)
        written = tmp_path / "out" / "2025-10" / "采用反馈" / FEEDBACK.format(unit)
        assert atts[1].get_content() == written.read_bytes()
        assert str(written) in res["outputs"]

    wb = book_of(attachments_of(got[ADDRESS["城关镇"]][1])[1])
    assert wb.sheetnames == ["本单位情况", "得分明细", "数据问题"]
    ws = wb["本单位情况"]
    assert ws["A1"].value == "城关镇2025年10月政务信息采用反馈"
    summary = {r[0]: r[1] for r in values(ws, 4, 2)}
    # by hand: 推进秋粮收购 0.5 + 市级专报 10 + 市级批示 10 = 20.5; 整治背街小巷 0.5; the 重复 earns nothing
    assert summary == {
        "单位": "城关镇", "分组": "乡镇", "统计期间": "2025年10月", "报送篇数": 2, "重复信息（不计分）": 1, "采用篇数": 1,
        "县级采用": 0, "市级采用": 1, "省级采用": 0, "国家级采用": 0, "批示": 1, "采用率": 0.5, "得分": 21,
        "排名": 1, "参加排名单位数": 5, "组内排名（乡镇）": 1, "排名变化（与上期比）": "—",
        "累计报送（1月至本期末）": 2, "累计得分": 21, "累计排名": 1, "任务": 2, "完成情况": "完成"}

    rows = values(wb["得分明细"], 3, 14)
    assert [r[:5] for r in rows[:3]] == [
        [1, "城关镇推进秋粮收购", D(2025, 10, 3), None, "张三"],
        [2, "城关镇整治背街小巷", D(2025, 10, 4), None, "张三"],
        [3, "城关镇推进秋粮收购", D(2025, 10, 12), None, "张三"]]
    assert [r[7:12] for r in rows] == [[0.5, 10, 10, 0, 20.5], [0.5, 0, 0, 0, 0.5], [0, 0, 0, 0, 0],
                                       [1, 10, 10, 0, 21]]
    assert rows[3][1] == "合计"
    assert rows[2][12].startswith("重复信息，不计分")
    # the same lines as the ranking workbook's 得分明细, its own rows only
    rank = openpyxl.load_workbook(tmp_path / "out" / "2025-10" / RANKBOOK)["得分明细"]
    theirs = [r[2:] for r in values(rank, 3, 15) if r[1] == "城关镇"]
    assert [r[1:] for r in rows[:3]] == theirs
    assert values(wb["数据问题"], 3, 7) == [["没有发现数据问题。", None, None, None, None, None, None]]

    qs = book_of(attachments_of(got[ADDRESS["青石镇"]][1])[1])
    q = {r[0]: r[1] for r in values(qs["本单位情况"], 4, 2)}
    # no item was submitted in September: there is no previous ranking to compare with
    assert (q["得分"], q["排名"], q["排名变化（与上期比）"], q["完成情况"]) == (2.5, 2, "—", "未完成（差1篇）")
    qrows = values(qs["得分明细"], 3, 14)
    assert [r[1] for r in qrows] == ["青石镇茶产业提质增效", "合计"]  # a unit sees only its own rows
    assert [r[7:12] for r in qrows] == [[0.5, 2, 0, 0, 2.5], [0.5, 2, 0, 0, 2.5]]

    edu = book_of(attachments_of(got[ADDRESS["县教育局"]][1])[1])
    problems = values(edu["数据问题"], 3, 7)
    assert len(problems) == 1
    assert problems[0] == [1, "错误", str(tmp_path / "workbooks" / "县教育局台账.xlsx"), "10月", 3, "C",
                           "报送日期“2025年13月5日”不存在（没有这一天或这一时刻）"]
    assert all(values(book_of(attachments_of(got[ADDRESS[u]][1])[1])["数据问题"], 3, 7)[0][0] == "没有发现数据问题。"
               for u in ("青石镇", "县档案馆"))
    assert [r[1] for r in values(edu["得分明细"], 3, 14)] == ["教育局开学检查", "合计"]
    nothing = book_of(attachments_of(got[ADDRESS["县档案馆"]][1])[1])
    assert values(nothing["得分明细"], 3, 14)[0][1] == "合计"
    assert {r[0]: r[1] for r in values(nothing["本单位情况"], 4, 2)}["报送篇数"] == 0

    # re-run: each address has these very attachments already
    again = mail(tmp_path)
    assert again["mail"]["sent"] == [] and len(again["mail"]["skipped_already_sent"]) == 5
    assert len(handler.messages) == 5


def test_own_feedback_only_and_the_office_still_gets_the_workbook(tmp_path, smtp_server):  # noqa: F811
    handler = Recorder()
    workspace(tmp_path, smtp_server(handler), 邮件附件="本单位反馈")
    mail(tmp_path, to=["leader@example.cn"])
    got = received(handler)
    assert [a.get_filename() for a in attachments_of(got[ADDRESS["城关镇"]][1])] == [FEEDBACK.format("城关镇")]
    assert [a.get_filename() for a in attachments_of(got["leader@example.cn"][1])] == [RANKBOOK]


def test_default_keeps_the_ranking_workbook_alone(tmp_path, smtp_server):  # noqa: F811
    handler = Recorder()
    workspace(tmp_path, smtp_server(handler))
    mail(tmp_path)
    assert all([a.get_filename() for a in attachments_of(msg)] == [RANKBOOK] for _d, msg in received(handler).values())
    assert not (tmp_path / "out" / "2025-10" / "采用反馈").exists()


def test_same_input_same_bytes_and_cli_attach_feedback(tmp_path, monkeypatch):
    workspace(tmp_path, 25)
    monkeypatch.chdir(tmp_path)
    outs = []
    for out in ("out1", "out2"):
        r = CliRunner().invoke(main, ["mail", "--month", "2025-10", "--dry-run", "--attach", "feedback", "--out", out,
                                      "--json"], catch_exceptions=False)
        assert r.exit_code == 1, r.output  # the error row
        outs.append(json.loads(r.stdout))
        first = parse(Path(outs[-1]["mail"]["eml"][0]).read_bytes())
        assert [a.get_filename() for a in attachments_of(first)] == [RANKBOOK, FEEDBACK.format("城关镇")]
    files = sorted((tmp_path / "out1" / "2025-10" / "采用反馈").iterdir())
    assert [p.name for p in files] == sorted(FEEDBACK.format(u) for u in ADDRESS)
    for p in files:
        assert p.read_bytes() == (tmp_path / "out2" / "2025-10" / "采用反馈" / p.name).read_bytes()


def test_bad_setting_is_a_config_error(tmp_path):
    workspace(tmp_path, 25, 邮件附件="附件")
    r = CliRunner().invoke(main, ["mail", "--month", "2025-10", "--dry-run", "--config", str(tmp_path / "govxl.xlsx"),
                                  str(tmp_path / "workbooks"), "--out", str(tmp_path / "out")], catch_exceptions=False)
    assert r.exit_code == 2
    assert "“邮件附件”的值“附件”无效" in r.output
