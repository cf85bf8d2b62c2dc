"""`govxl remind` against a real SMTP server (aiosmtpd on 127.0.0.1, the fixtures of test_mail): the units
below their 月任务数 so far get a reminder with their own figures, read back from what the server received;
a re-run the same day sends nothing twice, a later day reminds again; --dry-run writes .eml files."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from conftest import write_config, write_xlsx
from govxl import api
from govxl.cli import main
from test_mail import Recorder, parse, smtp_server  # noqa: F401 (smtp_server is a fixture)

D = dt.datetime
# DEFAULT_UNITS of conftest: 城关镇 u0 (task 2), 青石镇 u1 (2), 县教育局 u2 (默认 2), 县发展和改革局 u3 (默认 2),
# 县档案馆 u4 (1)
ROWS = [
    ["城关镇", "城关镇推进秋粮收购", D(2025, 10, 3)],
    ["城关镇", "城关镇整治背街小巷", D(2025, 10, 21)],  # after --on 2025-10-20: not counted then
    ["青石镇", "青石镇茶产业提质增效", D(2025, 10, 8)],
    ["青石镇", "青石镇修缮水利设施", D(2025, 10, 20, 17, 30)],  # on --on itself: counted
    ["县发展和改革局", "发改局推进重点项目", D(2025, 10, 9)],
    ["县发展和改革局", "发改局推进重点项目", D(2025, 10, 10)],  # a 重复 (首报): not counted
    ["县档案馆", "档案馆九月开放日", D(2025, 9, 26)],  # last month
    ["县教育局", "教育局九月开学检查", D(2025, 9, 2)],
]


def workspace(folder: Path, port: int, *, no_email=("县发展和改革局",)) -> Path:
    cfg = write_config(folder / "govxl.xlsx", settings={"SMTP服务器": "127.0.0.1", "SMTP端口": port, "SMTP加密": "无",
                                                          "发件人": "xxk@example.gov.cn"})
    wb = openpyxl.load_workbook(cfg)
    ws = wb["单位名册"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value in no_email:
            row[5].value = None
    wb.save(cfg)
    write_xlsx(folder / "workbooks" / "台账.xlsx", {"10月": [["单位", "信息标题", "报送日期"], *ROWS]})
    return cfg


def remind(folder: Path, on: str, **kw) -> dict:
    return api.remind([folder / "workbooks"], folder / "govxl.xlsx", on=on, out=folder / "out", password="", **kw)


def body_of(message) -> str:
    return parse(message["data"]).get_body(("plain",)).get_content()


def test_only_units_under_task_get_their_own_figures_and_nothing_is_sent_twice(tmp_path, smtp_server):  # noqa: F811
    handler = Recorder()
    workspace(tmp_path, smtp_server(handler))
    res = remind(tmp_path, "2025-10-20")
    assert res["exit_code"] == 0
    assert res["days_left"] == 11
    assert res["so_far"]["start"] == "2025-10-01" and res["so_far"]["end"] == "2025-10-20"
    assert [m["rcpt_tos"] for m in handler.messages] == [["u0@example.gov.cn"], ["u2@example.gov.cn"],
                                                         ["u4@example.gov.cn"]]
    assert [(u["unit"], u["sent"], u["task"], u["shortfall"]) for u in res["reminded"]] == [
        ("城关镇", 1, 2, 1), ("县教育局", 0, 2, 2), ("县档案馆", 0, 1, 1)]
    assert res["reminded"][0]["reason"] == "截至10月20日本月报送1篇，任务2篇，差1篇"
    assert res["reminded"][1]["reason"] == "截至10月20日本月报送0篇，任务2篇，差2篇（本月尚未报送）"
    assert [i["title"] for i in res["reminded"][0]["items"]] == ["城关镇推进秋粮收购"]
    assert res["reminded"][0]["items"][0]["submitted"] == "2025-10-03"
    assert res["reminded"][0]["addresses"] == [{"address": "u0@example.gov.cn", "status": "sent"}]
    assert [(u["unit"], u["code"]) for u in res["skipped"]] == [("青石镇", "met_task"), ("县发展和改革局", "no_email")]
    assert res["skipped"][0]["reason"] == "已完成本月任务（截至10月20日本月报送2篇，任务2篇）"
    assert res["skipped"][1]["reason"] == "名册中没有填写邮箱，未提醒（截至10月20日本月报送1篇，任务2篇，差1篇）"

    first = parse(handler.messages[0]["data"])
    assert first["Subject"] == "XX县人民政府办公室：城关镇2025年10月政务信息报送提醒（已报1篇，任务2篇）"
    assert first["To"].addresses[0].display_name == "城关镇"
    body = body_of(handler.messages[0])
    assert body.startswith("城关镇（联系人同志）：")
    assert "截至2025年10月20日，你单位2025年10月已报送政务信息1篇，本月报送任务2篇，还差1篇。本月还剩11天（至2025年10月31日）。" in body
    assert "1. 城关镇推进秋粮收购（2025-10-03报送）" in body
    assert "背街小巷" not in body  # submitted after the day
    education = body_of(handler.messages[1])
    assert "已报送政务信息0篇，本月报送任务2篇，还差2篇" in education and "本月尚未收到你单位报送的信息。" in education
    assert "九月" not in education  # last month's item is not this month's
    assert "已报送政务信息0篇，本月报送任务1篇，还差1篇" in body_of(handler.messages[2])

    record = json.loads((tmp_path / "out" / "2025-10" / "remind" / "sent.json").read_text(encoding="utf-8"))
    assert [(e["address"], e["units"], e["on"]) for e in record["sent"]] == [
        ("u0@example.gov.cn", ["城关镇"], "2025-10-20"), ("u2@example.gov.cn", ["县教育局"], "2025-10-20"),
        ("u4@example.gov.cn", ["县档案馆"], "2025-10-20")]

    again = remind(tmp_path, "2025-10-20")  # the same day: nothing sent twice
    assert again["exit_code"] == 0 and again["mail"]["sent"] == []
    assert again["mail"]["skipped_already_sent"] == ["u0@example.gov.cn", "u2@example.gov.cn", "u4@example.gov.cn"]
    assert [a["status"] for u in again["reminded"] for a in u["addresses"]] == ["already_sent"] * 3
    assert len(handler.messages) == 3

    later = remind(tmp_path, "2025-10-25")  # a later day is a new reminder; 城关镇 has met its task by then
    assert later["mail"]["sent"] == ["u2@example.gov.cn", "u4@example.gov.cn"]
    assert ("城关镇", "met_task") in [(u["unit"], u["code"]) for u in later["skipped"]]
    assert "本月还剩6天" in body_of(handler.messages[3])
    assert len(handler.messages) == 5


def test_dry_run_writes_eml_files_and_sends_nothing(tmp_path, smtp_server):  # noqa: F811
    handler = Recorder()
    workspace(tmp_path, smtp_server(handler))
    res = remind(tmp_path, "2025-10-20", dry_run=True)
    assert handler.messages == []
    folder = tmp_path / "out" / "2025-10" / "remind"
    assert [Path(p).name for p in res["mail"]["eml"]] == ["001_城关镇_u0@example.gov.cn.eml",
                                                          "002_县教育局_u2@example.gov.cn.eml",
                                                          "003_县档案馆_u4@example.gov.cn.eml"]
    assert sorted(p.name for p in folder.glob("*.eml")) == [Path(p).name for p in res["mail"]["eml"]]
    assert not (folder / "sent.json").exists()
    msg = parse(Path(res["mail"]["eml"][0]).read_bytes())
    assert msg["Subject"] == "XX县人民政府办公室：城关镇2025年10月政务信息报送提醒（已报1篇，任务2篇）"
    assert "还差1篇" in msg.get_body(("plain",)).get_content()
    assert [a["status"] for u in res["reminded"] for a in u["addresses"]] == ["eml"] * 3
    # a dry run is not a reminder sent: the real run afterwards sends all three
    assert len(remind(tmp_path, "2025-10-20")["mail"]["sent"]) == 3


def test_refused_address_is_exit_1_and_the_rerun_sends_only_it(tmp_path, smtp_server):  # noqa: F811
    handler = Recorder(reject=["u2@example.gov.cn"])
    workspace(tmp_path, smtp_server(handler))
    res = remind(tmp_path, "2025-10-20")
    assert res["exit_code"] == 1
    assert [f["address"] for f in res["mail"]["failed"]] == ["u2@example.gov.cn"]
    assert res["reminded"][1]["addresses"] == [{"address": "u2@example.gov.cn", "status": "failed"}]
    handler.reject.clear()
    again = remind(tmp_path, "2025-10-20")
    assert again["exit_code"] == 0 and again["mail"]["sent"] == ["u2@example.gov.cn"]
    assert [m["rcpt_tos"][0] for m in handler.messages] == ["u0@example.gov.cn", "u4@example.gov.cn",
                                                            "u2@example.gov.cn"]


def test_workspace_template_is_used(tmp_path, smtp_server):  # noqa: F811
    handler = Recorder()
    workspace(tmp_path, smtp_server(handler))
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "remind.txt.j2").write_text(
        "{{ unit.unit }}：{{ unit.sent }}/{{ unit.task }}，剩{{ days_left }}天\n", encoding="utf-8")
    remind(tmp_path, "2025-10-20")
    assert body_of(handler.messages[0]).strip() == "城关镇：1/2，剩11天"


def test_cli_json_dry_run_default_day_and_bad_day(tmp_path, monkeypatch):
    import govxl.score.periods as periods

    workspace(tmp_path, 25)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(periods, "today", lambda: dt.date(2025, 10, 31))
    r = CliRunner().invoke(main, ["remind", "--dry-run", "--json"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["on"] == "2025-10-31" and data["days_left"] == 0
    # by the 31st 城关镇 has its 2; 县教育局 and 县档案馆 are still under
    assert [u["unit"] for u in data["reminded"]] == ["县教育局", "县档案馆"]
    assert len(data["mail"]["eml"]) == 2
    r = CliRunner().invoke(main, ["remind", "--on", "2025/13/01"], catch_exceptions=False)
    assert r.exit_code == 2 and "--on 的日期“2025/13/01”格式不正确" in r.output


def _no_tasks(cfg: Path) -> None:
    wb = openpyxl.load_workbook(cfg)
    for row in wb["单位名册"].iter_rows(min_row=2):
        row[3].value = 0  # every task 0
    wb.save(cfg)


def test_a_unit_without_a_task_is_reminded_only_when_it_has_sent_nothing(tmp_path):
    """“below their 月任务数 so far (or have sent nothing)”: with no task, only 零报送 is reminded."""
    _no_tasks(workspace(tmp_path, 25, no_email=()))
    res = remind(tmp_path, "2025-10-20", dry_run=True)
    assert res["exit_code"] == 0
    assert [u["unit"] for u in res["reminded"]] == ["县教育局", "县档案馆"]  # their items are September's
    assert all(u["sent"] == 0 and u["reason"].endswith("（本月尚未报送）") for u in res["reminded"])
    assert {u["unit"]: u["code"] for u in res["skipped"]} == {
        "城关镇": "no_task", "青石镇": "no_task", "县发展和改革局": "no_task"}
    msg = parse(Path(res["mail"]["eml"][0]).read_bytes())
    body = msg.get_body(("plain",)).get_content()
    assert "已报送政务信息0篇。本月还剩11天" in body and "本月尚未收到你单位报送的信息" in body and "任务" not in body
    assert "任务" not in str(msg["Subject"]) and "已报0篇" in str(msg["Subject"])


def test_nobody_due_needs_no_smtp_settings(tmp_path):
    cfg = workspace(tmp_path, 25, no_email=())
    _no_tasks(cfg)
    write_xlsx(tmp_path / "workbooks" / "补报.xlsx", {"10月": [["单位", "信息标题", "报送日期"],
                                                            ["县档案馆", "档案馆开放日", D(2025, 10, 12)],
                                                            ["县教育局", "教育局秋季检查", D(2025, 10, 13)]]})
    res = remind(tmp_path, "2025-10-20")  # SMTP port 25 on 127.0.0.1: nothing listens, nothing is tried
    assert res["exit_code"] == 0 and res["reminded"] == []
    assert {u["code"] for u in res["skipped"]} == {"no_task"}


def test_no_register_at_all_withholds(tmp_path):
    workspace(tmp_path, 25)
    (tmp_path / "workbooks" / "台账.xlsx").unlink()
    write_xlsx(tmp_path / "workbooks" / "空.xlsx", {"10月": [["单位", "信息标题", "报送日期"]]})
    res = remind(tmp_path, "2025-10-20")
    assert res["exit_code"] == 1 and res["mail"]["withheld"] and res["mail"]["sent"] == []
    assert res["alerts"][0].startswith("没有读到任何报送记录")


def test_two_units_sharing_an_address_each_get_their_own_reminder(tmp_path, smtp_server):  # noqa: F811
    handler = Recorder()
    workspace(tmp_path, smtp_server(handler))
    cfg = tmp_path / "govxl.xlsx"
    wb = openpyxl.load_workbook(cfg)
    for row in wb["单位名册"].iter_rows(min_row=2):
        if row[0].value == "县档案馆":
            row[5].value = "u2@example.gov.cn；u4@example.gov.cn"  # the 教育局's clerk also keeps the 档案馆's
    wb.save(cfg)
    res = remind(tmp_path, "2025-10-20")
    assert [(m["rcpt_tos"][0], parse(m["data"])["To"].addresses[0].display_name) for m in handler.messages] == [
        ("u0@example.gov.cn", "城关镇"), ("u2@example.gov.cn", "县教育局"), ("u2@example.gov.cn", "县档案馆"),
        ("u4@example.gov.cn", "县档案馆")]
    assert "本月报送任务1篇" in body_of(handler.messages[2])
    assert res["reminded"][2]["addresses"] == [{"address": "u2@example.gov.cn", "status": "sent"},
                                               {"address": "u4@example.gov.cn", "status": "sent"}]
    assert remind(tmp_path, "2025-10-20")["mail"]["sent"] == []
