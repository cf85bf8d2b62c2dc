"""`govxl score` and `govxl check` end to end: real files in, the workbook re-opened cell by cell."""
import datetime as dt
import json
import subprocess
import sys

import openpyxl
import pytest
from click.testing import CliRunner

from conftest import hash_tree, write_config, write_xlsx
from govxl.cli import main

D = dt.datetime
HEAD = ["序号", "单位", "信息标题", "报送日期", "采用情况", None, None, None, "领导批示", "撰稿人"]
SUB = [None, None, None, None, "县级", "市级", "省级", "国家级", None, None]
MERGES = ["A1:J1", "A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:H2", "I2:I3", "J2:J3"]


def central(rows):
    return [["2025年10月乡镇政务信息报送台账"], HEAD, SUB, *rows]


@pytest.fixture
def county(ws):
    rows = [
        [1, "城关镇", "城关镇推进秋粮收购", D(2025, 10, 3), "√", "市级专报", None, None, "市长批示", "张三"],
        [2, "城关镇", "=SUM(A1:A2)", D(2025, 10, 4), None, None, None, None, None, "张三"],
        [3, "青石镇", "青石镇茶产业提质增效", D(2025, 10, 8), "√", None, None, None, None, "李四"],
        [4, "青石镇", "+青石镇修缮水利", D(2025, 10, 9), None, None, None, None, None, "李四"],
        [5, "县教育局", "@教育局开学检查", D(2025, 9, 20), None, None, None, None, None, "王五"],
        [6, "城关镇", "城关镇推进秋粮收购", D(2025, 10, 12), None, None, None, None, None, "张三"],
    ]
    write_xlsx(ws / "workbooks" / "乡镇台账.xlsx", {"台账": central(rows)}, merges={"台账": MERGES}, formulas=False)
    return ws


def invoke(*args):
    r = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return r


def test_score_json_and_exit_code(county):
    r = invoke("score", "--month", "2025-10", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["period"] == {"label": "2025-10", "start": "2025-10-01", "end": "2025-10-31", "kind": "month",
                              "title": "2025年10月"}
    u = {x["unit"]: x for x in data["units"]}
    # 城关镇: 2 counted in Oct (1 duplicate) → 1.0 + 市级专报 10 (最高 over 县级 2) + 市级批示 10 = 21
    assert (u["城关镇"]["submitted"], u["城关镇"]["duplicates"], u["城关镇"]["points"]) == (2, 1, 21.0)
    assert u["城关镇"]["adopted_by_level"] == {"县级": 1, "市级": 1, "省级": 0, "国家级": 0}
    assert (u["青石镇"]["points"], u["青石镇"]["adopted"], u["青石镇"]["adoption_rate"]) == (3.0, 1, 0.5)
    assert (u["县教育局"]["submitted"], u["县教育局"]["ytd_submitted"], u["县教育局"]["quota_met"]) == (0, 1, False)
    assert [x["unit"] for x in data["units"]][:2] == ["城关镇", "青石镇"]
    assert data["rows"] == {"read": 6, "counted": 5, "duplicate": 1, "error": 0, "skipped": 0}
    assert set(data["units"][0]) >= {"unit", "group", "submitted", "duplicates", "adopted", "adopted_by_level",
                                     "instructions", "points", "adoption_rate", "quota", "quota_met", "rank",
                                     "group_rank", "ytd_points", "ytd_rank"}
    assert data["totals"] == {**data["totals"], "submitted": 4, "adopted": 2}
    assert len(data["outputs"]) == 1 and data["outputs"][0].endswith("XX县人民政府办公室2025年10月政务信息报送采用情况通报.xlsx")


def test_workbook_cells_formats_and_print_settings(county):
    r = invoke("score", "--month", "2025-10")
    assert r.exit_code == 0, r.output
    path = county / "out" / "2025-10" / "XX县人民政府办公室2025年10月政务信息报送采用情况通报.xlsx"
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames[:3] == ["排名通报", "得分明细", "采用清单"]
    for name in ("信息员排名", "数据问题", "行数核对", "得分图表"):
        assert name in wb.sheetnames
    ws = wb["排名通报"]
    assert ws["A1"].value == "XX县人民政府办公室2025年10月政务信息报送采用情况通报"
    merged = {str(m) for m in ws.merged_cells.ranges}
    assert "A1:Q1" in merged and "A3:A4" in merged and "E3:H3" in merged
    assert [ws.cell(4, c).value for c in range(5, 9)] == ["县级", "市级", "省级", "国家级"]
    assert ws.cell(3, 2).value == "单位" and ws.cell(3, 12).value == "得分"
    # first section: 乡镇 group table
    assert ws["A5"].value.startswith("一、乡镇")
    assert (ws["A6"].value, ws["B6"].value, ws["C6"].value, ws["L6"].value) == (1, "城关镇", 2, 21)
    assert ws["L6"].number_format == "0.0" and ws["J6"].number_format == "0.0%"
    assert ws.freeze_panes == "C5"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0  # None = the default, 1
    assert ws.print_title_rows == "$3:$4"
    assert "&P" in ws.oddFooter.center.text
    # every unit appears, highlighted rows for zero submissions
    units_col = [ws.cell(r, 2).value for r in range(1, ws.max_row + 1)]
    assert units_col.count("县档案馆") == 2  # its group table and 全部
    zero_row = units_col.index("县档案馆") + 1
    assert ws.cell(zero_row, 17).value == "零报送"
    assert ws.cell(zero_row, 2).fill.fgColor.rgb.endswith("F8CBAD")
    # text from registers stays text, never a formula
    det = wb["得分明细"]
    titles = [det.cell(r, 3) for r in range(3, det.max_row + 1)]
    values = {c.value for c in titles}
    assert {"=SUM(A1:A2)", "+青石镇修缮水利"} <= values
    assert all(c.data_type == "s" for c in titles)
    rows = wb["行数核对"]
    last = rows.max_row
    assert [rows.cell(last, c).value for c in range(5, 11)] == [6, 5, 1, 0, 0, "一致"]


def test_byte_identical_whatever_out_folder_and_time(county, tmp_path):
    invoke("score", "--month", "2025-10", "--out", "o1")
    invoke("score", "--month", "2025-10", "--out", str(tmp_path / "elsewhere" / "o2"))
    a = (county / "o1" / "2025-10").glob("*.xlsx")
    b = (tmp_path / "elsewhere" / "o2" / "2025-10").glob("*.xlsx")
    (fa,), (fb,) = list(a), list(b)
    assert fa.read_bytes() == fb.read_bytes()


def test_inputs_untouched_by_check_and_score(county):
    before = {k: v for k, v in hash_tree(county).items() if not k.startswith("out")}
    invoke("check")
    invoke("score", "--month", "2025-10", "--notice")
    after = {k: v for k, v in hash_tree(county).items() if not k.startswith("out")}
    assert before == after


def test_error_rows_exit_1_and_problems_listed(county):
    write_xlsx(county / "workbooks" / "x.xlsx", {"S": [["单位", "标题", "报送日期"], ["城关乡", "甲", "2025-10-01"]]})
    r = invoke("score", "--month", "2025-10", "--json")
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    (e,) = [p for p in data["problems"] if p["severity"] == "error"]
    assert e == {"severity": "error", "file": "workbooks/x.xlsx", "sheet": "S", "row": 2, "column": "A",
                 "message": e["message"]} and "城关镇" in e["message"]
    r = invoke("check")
    assert r.exit_code == 1
    assert "workbooks/x.xlsx › S › 第2行 › A列" in r.stderr


def test_check_json_keys(county):
    r = invoke("check", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["rows"]["read"] == 6 and isinstance(data["problems"], list)


def test_corrupt_input_exit_4_and_others_reported(county):
    (county / "workbooks" / "坏文件.xlsx").write_bytes(b"PK\x03\x04garbage")
    r = invoke("score", "--month", "2025-10", "--json")
    assert r.exit_code == 4
    data = json.loads(r.stdout)
    assert data["rows"]["counted"] == 5
    assert any(p["file"] == "workbooks/坏文件.xlsx" for p in data["problems"])


@pytest.mark.parametrize("args, code", [
    (["score"], 2),
    (["score", "--month", "2025-13"], 2),
    (["score", "--month", "2025-10", "--quarter", "2025-Q1"], 2),
    (["score", "--month", "2025-10", "--config", "nope.xlsx"], 2),
    (["score", "--month", "2025-10", "没有这个文件夹"], 2),
])
def test_usage_errors_exit_2_nothing_written(county, args, code):
    r = invoke(*args)
    assert r.exit_code == code
    assert not (county / "out").exists()
    assert "Traceback" not in r.output


def test_config_error_exit_2_lists_every_problem(county):
    write_config(county / "govxl.xlsx", units=[("城关镇", "", "乡镇", "两篇"), ("城关镇", "", "乡镇", 2)],
                 adoption=[("市级", "市县级", 5, "")], settings={"并列排名": "随便"})
    r = invoke("score", "--month", "2025-10", "--result", "r.json")
    assert r.exit_code == 2
    res = json.loads((county / "r.json").read_text(encoding="utf-8"))
    msgs = " ".join(p["message"] for p in res["problems"])
    assert "不是数字" in msgs and "重复" in msgs and "级别“市县级”" in msgs and "并列排名" in msgs
    assert not (county / "out").exists()
    r = invoke("check")
    assert r.exit_code == 2 and "单位名册" in r.stderr


def test_missing_sheet_is_config_error(county):
    write_config(county / "govxl.xlsx", drop_sheets=("批示计分",))
    r = invoke("check", "--json")
    assert r.exit_code == 2
    assert any("批示计分" in p["message"] for p in json.loads(r.stdout)["problems"])


def test_periods_quarter_half_year_range(county):
    for args, label in ((["--quarter", "2025-Q4"], "2025-Q4"), (["--half", "2025-H2"], "2025-H2"),
                        (["--year", "2025"], "2025"), (["--from", "2025-09-15", "--to", "2025-10-05"], "2025-09-15_2025-10-05")):
        r = invoke("score", *args, "--json")
        data = json.loads(r.stdout)
        assert data["period"]["label"] == label
        # the registers end in October: a period reaching December says so, with exit 1 (issue 20.1)
        past_end = data["period"]["end"] > "2025-10-31"
        assert r.exit_code == (1 if past_end else 0), r.output
        assert len(data["alerts"]) == past_end and all("2025年12月没有任何报送记录" in a for a in data["alerts"])
    data = json.loads(invoke("score", "--from", "2025-09-15", "--to", "2025-10-05", "--json").stdout)
    u = {x["unit"]: x for x in data["units"]}
    assert (u["城关镇"]["submitted"], u["县教育局"]["submitted"]) == (2, 1)


def test_help_does_not_import_pandas():
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "govxl", "--help"], capture_output=True, text=True)
    assert out.returncode == 0 and "政务信息" in out.stdout
    imported = {line.split("|")[-1].strip() for line in out.stderr.splitlines() if "|" in line}
    assert "pandas" not in imported and "openpyxl" not in imported and "xlsxwriter" not in imported


def test_mail_dry_run_writes_eml_per_address_with_workbook(county):
    write_config(county / "govxl.xlsx", settings={"发件人": "xinxike@example.gov.cn", "SMTP服务器": "127.0.0.1"})
    r = invoke("mail", "--month", "2025-10", "--dry-run", "--recipient", "boss@example.gov.cn", "--no-roster", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    (eml,) = data["mail"]["eml"]
    import email
    from email import policy

    msg = email.message_from_bytes((county / eml).read_bytes() if not eml.startswith("/") else open(eml, "rb").read(),
                                   policy=policy.default)
    assert msg["To"] == "boss@example.gov.cn"
    (att,) = list(msg.iter_attachments())
    assert att.get_filename() == "XX县人民政府办公室2025年10月政务信息报送采用情况通报.xlsx"
    xlsx = county / "out" / "2025-10" / att.get_filename()
    assert att.get_content() == xlsx.read_bytes()


def test_mail_to_is_the_period_end_and_recipients_have_their_own_option(county):
    """One meaning per option name (issue 20.8): --to ends the period in mail as everywhere."""
    write_config(county / "govxl.xlsx", settings={"发件人": "xinxike@example.gov.cn"})
    r = invoke("mail", "--from", "2025-10-01", "--to", "2025-10-31", "--recipient", "a@example.gov.cn",
               "--recipient", "b@example.gov.cn", "--no-roster", "--dry-run", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["period"]["label"] == "2025-10-01_2025-10-31" and len(data["mail"]["eml"]) == 2
    # an address after --to, the older way, is still a recipient, and the clerk is told the new name
    r = invoke("mail", "--month", "2025-10", "--to", "a@example.gov.cn", "--no-roster", "--dry-run")
    assert r.exit_code == 0 and "收件人请改用 --recipient" in r.stderr


def test_conflicting_period_options_are_named():
    r = invoke("score", "--month", "2025-10", "--year", "2025")
    assert r.exit_code == 2 and "--month、--year 不能同时使用" in r.stderr
    r = invoke("score", "--quarter", "2025-Q3", "--from", "2025-07-01", "--to", "2025-09-30")
    assert r.exit_code == 2 and "--quarter、--from/--to 不能同时使用" in r.stderr


def test_help_is_chinese_and_aligned_by_display_width():
    from govxl.normalise.text import display_width

    for args in (["--help"], ["score", "--help"], ["mail", "--help"], ["check", "--help"], ["disclosure", "--help"],
                 ["init", "--help"]):
        text = invoke(*args).output
        for english in ("COMMAND", "[ARGS]", "PATHS", "FLOAT", "TEXT", "INTEGER", "DEST"):
            assert english not in text, (args, english)
        # every option's description starts in one column, counted as a console shows CJK (2 columns)
        lines = [x for x in text.splitlines() if x.startswith("  -")]
        starts = set()
        for line in lines:
            head = line.split("  ", 2)
            if len(head) == 3 or "   " in line[2:]:
                name = line[2:].split("  ")[0]
                rest = line[2 + len(name):]
                starts.add(2 + display_width(name) + len(rest) - len(rest.lstrip(" ")))
        assert len(starts) == 1, (args, starts)


def test_usage_errors_and_help_are_chinese():
    r = invoke("score", "--mnth", "2025-10")
    assert r.exit_code == 2
    assert "没有选项 '--mnth'" in r.stderr and "是否想写" in r.stderr and "score --help”查看帮助" in r.stderr
    r = invoke("score", "--month")
    assert r.exit_code == 2 and "后面需要写一个值" in r.stderr
    r = invoke("--help")
    assert r.exit_code == 0 and "用法：" in r.stdout and "选项" in r.stdout and "显示本帮助并退出" in r.stdout


def test_duplicates_first_reports_found_whatever_the_items_order(tmp_path):
    """得分明细 names each duplicate's first report, looked up by its number: the same cells whatever order
    the items table holds the items in."""
    from pathlib import Path

    from govxl import api
    from govxl.score.periods import parse_period

    root = Path(__file__).resolve().parent.parent
    period = parse_period(month_="2025-10")
    sheets = []
    for flip in (False, True):
        cfg, read = api.load([root / "workbooks"], root / "templates" / "govxl.xlsx", year=2025)
        if flip:
            read.items = read.items.iloc[::-1].reset_index(drop=True)
        res = api.score_loaded(cfg, read, period, out=tmp_path / f"o{int(flip)}")
        wb = openpyxl.load_workbook(res["outputs"][0], read_only=True)
        sheets.append([list(r) for r in wb["得分明细"].iter_rows(values_only=True)])
    firsts = [r[13] for r in sheets[0] if r[13] and str(r[13]).startswith("重复信息，不计分（首报：")]
    assert len(firsts) == 3
    # the same rows (numbered in the order listed)
    assert sorted(repr(r[1:]) for r in sheets[0]) == sorted(repr(r[1:]) for r in sheets[1])


def test_texts_shaped_like_rich_string_xml_stay_text_in_every_sheet(ws):
    """xlsxwriter writes a shared string "<r>…</r>" unescaped (its own rich-string XML): a register's
    "<r>A & B</r>" made the workbook unreadable. Authors and titles such as these come back as typed."""
    odd = ["<r>A & B</r>", "<r><t>x</t></r>", "<r></r>"]
    rows = [[i + 1, "城关镇", f"城关镇信息{i}", D(2025, 10, 3 + i), None, None, None, None, None, a]
            for i, a in enumerate(odd)]
    rows.append([4, "城关镇", odd[0], D(2025, 10, 9), None, None, None, None, None, "张三"])
    write_xlsx(ws / "workbooks" / "乡镇台账.xlsx", {"台账": central(rows)}, merges={"台账": MERGES})
    r = invoke("score", "--month", "2025-10")
    assert r.exit_code in (0, 1), r.output
    path = ws / "out" / "2025-10" / "XX县人民政府办公室2025年10月政务信息报送采用情况通报.xlsx"
    wb = openpyxl.load_workbook(path)  # a strict XML parser: the file must be well formed
    authors = {c.value for row in wb["信息员排名"].iter_rows() for c in row}
    assert set(odd) <= authors
    detail = {c.value for row in wb["得分明细"].iter_rows() for c in row}
    assert odd[0] in detail and set(odd) <= detail


def test_authors_and_problems_sheets_list_every_row_with_its_formats(county, ws):
    """信息员排名 and 数据问题 are streamed (thousands of rows in a province): each row of the result is
    there, in order, with its column's format; a message too long for one line gets a taller row; an
    empty list leaves the sheet's note."""
    rows = [[1, "城关镇", "城关镇冬季防火检查", "十月上旬某日", None, None, None, None, None, "张三"],
            [2, "不在名册的" + "某" * 30 + "单位", "某单位信息", D(2025, 10, 5), None, None, None, None, None, "赵六"]]
    write_xlsx(ws / "workbooks" / "补报台账.xlsx", {"台账": central(rows)}, merges={"台账": MERGES})
    r = invoke("score", "--month", "2025-10", "--json")
    data = json.loads(r.stdout)
    path = county / "out" / "2025-10" / "XX县人民政府办公室2025年10月政务信息报送采用情况通报.xlsx"
    wb = openpyxl.load_workbook(path)
    ws_a = wb["信息员排名"]
    assert [c.value for c in ws_a[2]] == ["排名", "信息员", "单位", "报送篇数", "采用篇数", "得分"]
    got = [[c.value for c in row] for row in ws_a.iter_rows(min_row=3)]
    assert got == [[a["rank"], a["author"], a["unit"], a["submitted"], a["adopted"], a["points"]]
                   for a in data["authors"]] and len(got) == 2
    assert [ws_a.cell(3, c).number_format for c in (1, 4, 6)] == ["0", "0", "0.0"]
    assert ws_a["F3"].alignment.horizontal == "center" and ws_a["B3"].border.left.style == "thin"
    assert ws_a["A3"].font.name == ws_a["B3"].font.name == "仿宋"
    ws_p = wb["数据问题"]
    problems = data["problems"]
    assert problems
    got = [[c.value for c in row] for row in ws_p.iter_rows(min_row=3)]
    assert [g[0] for g in got] == list(range(1, len(problems) + 1))
    assert [g[6] for g in got] == [p["message"] for p in problems]
    assert [g[1] for g in got] == ["错误" if p["severity"] == "error" else "提示" for p in problems]
    assert all(ws_p.cell(3 + i, 7).alignment.wrap_text for i in range(len(problems)))
    heights = [ws_p.row_dimensions[3 + i].height for i in range(len(problems))]
    assert [h is not None and h > 15 for h in heights] == [len(p["message"]) > 40 for p in problems]
    assert sorted(len(p["message"]) > 40 for p in problems) == [False, True]

    # no author column, nothing wrong: the notes
    head = ["序号", "单位", "信息标题", "报送日期"]
    write_xlsx(ws / "workbooks" / "乡镇台账.xlsx", {"台账": [head, [1, "城关镇", "城关镇秋粮收购进度过半", D(2025, 10, 3)]]})
    (ws / "workbooks" / "补报台账.xlsx").unlink()
    r = invoke("score", "--month", "2025-10", "--json")
    assert json.loads(r.stdout)["problems"] == []
    wb = openpyxl.load_workbook(path)
    assert wb["信息员排名"]["A3"].value == "登记表中没有“撰稿人/信息员”列，无法排名。"
    assert wb["数据问题"]["A3"].value == "没有发现数据问题。"
    assert wb["信息员排名"].max_row == wb["数据问题"].max_row == 3
