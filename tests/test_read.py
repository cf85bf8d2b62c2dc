"""Reading real messy registers (spec §4): each rule with a file built here, checked field by field."""
import csv
import datetime as dt

import pandas as pd
import pytest

from conftest import hash_tree, write_config, write_xlsx
from govxl.normalise.config import load_config
from govxl.normalise.registers import read_registers

D = dt.datetime


def read(ws, *paths, **cfg_kw):
    if cfg_kw:
        write_config(ws / "govxl.xlsx", **cfg_kw)
    cfg = load_config(ws / "govxl.xlsx")
    return read_registers([ws / p for p in (paths or ("workbooks",))], cfg, year=2025)


def cols(table, *names):
    """The rows of a table as tuples of the named columns (one column: its values), in order."""
    if len(names) == 1:
        return table[names[0]].tolist()
    return list(table[list(names)].itertuples(index=False, name=None))


def item_rows(res) -> list:
    """The items, each a dict of its columns, in register order."""
    return res.items.to_dict("records")


def of(table, it, *names):
    """cols() of an item's rows of the adoptions or instructions table, in their order (k)."""
    return cols(table[(table["seq"] == it["seq"]).to_numpy()].sort_values("k"), *names)


def errors(res):
    return [p for p in res.problems if p.severity == "error"]


def assert_buckets_add_up(res):
    r = res.rows_dict()
    assert r["read"] == r["counted"] + r["duplicate"] + r["error"] + r["skipped"]
    for key, c in res.sheet_rows.items():
        assert c["read"] == c["counted"] + c["duplicate"] + c["error"] + c["skipped"], key


CENTRAL = [
    ["2025年10月乡镇政务信息报送台账"],
    [],
    ["序号", "单位", "信息标题", "报送日期", "采用情况", None, None, None, "领导批示", "撰稿人"],
    [None, None, None, None, "县级", "市级", "省级", "国家级", None, None],
    [1, "城关镇", "城关镇推进秋粮收购", D(2025, 10, 3), "√", None, None, None, "市长批示", "张三"],
    [2, "青石镇", "青石镇茶产业提质增效", "2025/10/8", None, "市级专报", None, None, None, "李四"],
    [None, None, None, None, None, None, None, None, None, None],
    [3, "城关", "城关镇开展消防演练", "2025年10月9日", None, None, D(2025, 10, 20), None, None, "张三"],
    ["序号", "单位", "信息标题", "报送日期", None, None, None, None, None, None],
    [4, "青石镇", "青石镇修缮水利设施", 20251012, "是", "否", None, None, "副县长批示；县长批示", ""],
    ["合计", None, None, None, 2, 1, 1, 0, None, None],
]
CENTRAL_MERGES = ["A1:J1", "A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:H3", "I3:I4", "J3:J4"]


def test_central_register_with_title_and_merged_two_row_header(ws):
    write_xlsx(ws / "workbooks" / "乡镇台账.xlsx", {"10月": CENTRAL}, merges={"10月": CENTRAL_MERGES})
    res = read(ws)
    assert errors(res) == []
    assert res.rows_dict() == {"read": 7, "counted": 4, "duplicate": 0, "error": 0, "skipped": 3}
    items = {it["title"]: it for it in item_rows(res)}
    a = items["城关镇推进秋粮收购"]
    assert (a["unit"], a["submitted"], a["author"], a["row"], a["sheet"]) == ("城关镇", D(2025, 10, 3), "张三", 5, "10月")
    assert of(res.adoptions, a, "level", "rule", "points") == [("县级", "县级", 2)]
    assert of(res.instructions, a, "level") == ["市级"]
    b = items["青石镇茶产业提质增效"]
    assert b["submitted"] == D(2025, 10, 8)
    assert of(res.adoptions, b, "level", "rule", "points") == [("市级", "市级专报", 10)]
    c = items["城关镇开展消防演练"]  # alias 城关 → 城关镇; a date in a level column means adopted then
    assert c["unit"] == "城关镇" and c["submitted"] == D(2025, 10, 9)
    assert of(res.adoptions, c, "level", "date") == [("省级", D(2025, 10, 20))]
    d = items["青石镇修缮水利设施"]
    assert d["submitted"] == D(2025, 10, 12) and of(res.adoptions, d, "level") == ["县级"]
    assert of(res.instructions, d, "level") == ["县级", "县级"]
    assert_buckets_add_up(res)


def test_two_row_header_without_merge_metadata_csv(ws):
    rows = [["单位", "标题", "报送日期", "采用情况", "", "", ""],
            ["", "", "", "县级", "市级", "省级", "国家级"],
            ["城关镇", "城关镇秋粮", "2025-10-03", "", "√", "", ""]]
    path = ws / "workbooks" / "a.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    res = read(ws)
    assert errors(res) == []
    assert of(res.adoptions, item_rows(res)[0], "level") == ["市级"]


def test_departmental_file_unit_from_file_name(ws):
    rows = [["县教育局2025年信息报送台账"],
            ["序号", "题目", "报送时间", "类别", "作者", "采用"],
            [1, "教育局开展秋季开学检查", "2025.10.5", "动态", "王五", "县采用；市采用"],
            [2, "教育局推进课后服务", D(2025, 10, 15, 9, 30), "一般", "王五", ""]]
    write_xlsx(ws / "workbooks" / "县直部门" / "县教育局2025年信息报送台账.xlsx", {"报送台账": rows})
    res = read(ws)
    assert errors(res) == []
    assert cols(res.items, "unit", "title", "submitted", "kind", "author") == [
        ("县教育局", "教育局开展秋季开学检查", D(2025, 10, 5), "动态", "王五"),
        ("县教育局", "教育局推进课后服务", D(2025, 10, 15, 9, 30), "一般", "王五")]
    assert of(res.adoptions, item_rows(res)[0], "level") == ["县级", "市级"]


def test_unit_from_sheet_name_and_alias(ws):
    rows = [["信息标题", "报送日期"], ["发改局谋划项目", "2025-10-05"]]
    write_xlsx(ws / "workbooks" / "县直汇总.xlsx", {"县发改局": rows, "档案馆": [["信息标题", "报送日期"], ["档案馆开放日", "2025-10-06"]]})
    res = read(ws)
    assert errors(res) == []
    assert cols(res.items, "unit") == ["县发展和改革局", "县档案馆"]


def test_unknown_unit_is_error_row_with_suggestion(ws):
    rows = [["单位", "标题", "报送日期"], ["城关镇", "甲", "2025-10-01"], ["青石乡", "乙", "2025-10-02"]]
    write_xlsx(ws / "workbooks" / "x.xlsx", {"Sheet1": rows})
    res = read(ws)
    (e,) = errors(res)
    assert (e.file, e.sheet, e.row, e.column) == ("workbooks/x.xlsx", "Sheet1", 3, "A")
    assert "青石乡" in e.message and "青石镇" in e.message
    assert res.rows_dict() == {"read": 2, "counted": 1, "duplicate": 0, "error": 1, "skipped": 0}


def test_unit_missing_everywhere_is_error(ws):
    write_xlsx(ws / "workbooks" / "台账.xlsx", {"Sheet1": [["标题", "报送日期"], ["甲", "2025-10-01"]]})
    res = read(ws)
    (e,) = errors(res)
    assert "无法确定报送单位" in e.message and e.row == 2


def test_unreadable_date_blank_title_are_errors_never_dropped(ws):
    rows = [["单位", "标题", "报送日期"],
            ["城关镇", "甲", "去年"],
            ["城关镇", "", "2025-10-01"],
            ["城关镇", "丙", None],
            ["城关镇", "丁", "10月5日"]]
    write_xlsx(ws / "workbooks" / "x.xlsx", {"S": rows})
    res = read(ws)
    msgs = [(e.row, e.column, e.message) for e in errors(res)]
    assert (2, "C", "报送日期“去年”无法识别为日期") in msgs
    assert (3, "B", "标题为空") in msgs
    assert (4, "C", "报送日期为空") in msgs
    warns = [p for p in res.problems if p.severity == "warning"]
    assert any("缺少年份" in w.message and w.row == 5 for w in warns)
    assert item_rows(res)[0]["submitted"] == D(2025, 10, 5)
    assert res.rows_dict() == {"read": 4, "counted": 1, "duplicate": 0, "error": 3, "skipped": 0}


def test_synonyms_and_mapping_sheet(ws):
    write_config(ws / "govxl.xlsx", mapping=[("标题", "稿件题目（全称）"), ("报送日期", "发出日")])
    rows = [["来稿单位", "稿件题目（全称）", "发出日"], ["城关镇", "甲", "2025-10-01"]]
    write_xlsx(ws / "workbooks" / "x.xlsx", {"S": rows})
    res = read(ws)
    assert errors(res) == [] and item_rows(res)[0]["title"] == "甲"


def test_header_found_below_title_rows_and_no_header_sheet_warned(ws):
    """A sheet without a register header is said, unless its name says it is the instructions or cover."""
    rows = [["关于报送信息的说明"], [], ["填报单位：城关镇"], [], [], ["标题", "报送日期", "单位"], ["甲", "2025-10-01", "城关镇"]]
    write_xlsx(ws / "workbooks" / "x.xlsx", {"台账": rows, "填表说明": [["请按时填报"], ["每月5日前"]],
                                            "Sheet2": [["10月", "城关镇甲"]]})
    res = read(ws)
    assert errors(res) == [] and len(res.items) == 1
    warns = [p for p in res.problems if p.severity == "warning"]
    assert [w.sheet for w in warns if "未找到" in w.message] == ["Sheet2"]


def test_file_without_any_register_is_error_naming_file(ws):
    write_xlsx(ws / "workbooks" / "说明.xlsx", {"说明": [["这是说明"]]})
    res = read(ws)
    (e,) = errors(res)
    assert e.file == "workbooks/说明.xlsx" and e.row is None and "没有找到登记表" in e.message


def test_lock_files_skipped_and_hidden_sheets_read(ws):
    rows = [["单位", "标题", "报送日期"], ["城关镇", "甲", "2025-10-01"]]
    write_xlsx(ws / "workbooks" / "a.xlsx", {"可见": rows, "隐藏": [rows[0], ["青石镇", "乙", "2025-10-02"]]}, hidden=("隐藏",))
    (ws / "workbooks" / "~$a.xlsx").write_bytes(b"lock")
    res = read(ws)
    assert errors(res) == [] and sorted(cols(res.items, "title")) == ["乙", "甲"]


def test_csv_encodings(ws):
    rows = [["报送单位", "信息标题", "报送日期", "采用情况"], ["城关镇", "城关镇秋收", "2025/10/3", "市采用"]]
    for enc, name in (("utf-8", "u8.csv"), ("utf-8-sig", "bom.csv"), ("gb18030", "gbk.csv")):
        with open(ws / "workbooks" / name, "w", encoding=enc, newline="") as fh:
            csv.writer(fh).writerows([[c.replace("城关镇秋收", f"城关镇秋收{enc}") for c in r] for r in rows])
    res = read(ws)
    assert errors(res) == []
    assert sorted(cols(res.items, "title")) == ["城关镇秋收gb18030", "城关镇秋收utf-8", "城关镇秋收utf-8-sig"]
    assert all(of(res.adoptions, it, "level")[0] == "市级" for it in item_rows(res))


def test_xls_file(ws):
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    sh = wb.add_sheet("报送")
    for r, row in enumerate([["单位", "标题", "报送日期"], ["城关镇", "旧格式台账", "2025-10-08"]]):
        for c, v in enumerate(row):
            sh.write(r, c, v)
    date_style = xlwt.easyxf(num_format_str="yyyy-mm-dd")
    sh.write(2, 0, "青石镇")
    sh.write(2, 1, "日期单元格")
    sh.write(2, 2, dt.date(2025, 10, 9), date_style)
    wb.save(str(ws / "workbooks" / "old.xls"))
    res = read(ws)
    assert errors(res) == []
    assert cols(res.items, "unit", "submitted") == [("城关镇", D(2025, 10, 8)), ("青石镇", D(2025, 10, 9))]


def test_duplicates_first_report_counts(ws):
    rows = [["单位", "标题", "报送日期", "采用情况"],
            ["青石镇", "城关镇推进秋粮收购！", "2025-10-05", "市采用"],
            ["城关镇", "城关镇推进“秋粮”收购", "2025-10-03", ""],
            ["城关镇", "城关镇推进秋粮收购工作", "2025-10-04", ""]]
    write_xlsx(ws / "workbooks" / "x.xlsx", {"S": rows})
    res = read(ws)
    by_row = {it["row"]: it for it in item_rows(res)}
    assert by_row[3]["status"] == "counted" and by_row[2]["status"] == "duplicate"
    assert by_row[2]["dup_of"] == by_row[3]["seq"]
    assert by_row[4]["status"] == "counted"
    assert res.rows_dict() == {"read": 3, "counted": 2, "duplicate": 1, "error": 0, "skipped": 0}
    assert any("首报" in p.message for p in res.problems)  # the duplicate carried an adoption
    from govxl.normalise.suspects import suspected_duplicates

    pairs, notes = suspected_duplicates(res.items, 80)
    assert notes == []
    assert [(a.row, b.row) for a, b, s in pairs] == [(3, 4)]


def test_all_counted_when_setting_is_全计(ws):
    write_config(ws / "govxl.xlsx", settings={"重复信息处理": "全计"})
    rows = [["单位", "标题", "报送日期"], ["城关镇", "甲", "2025-10-05"], ["城关镇", "甲", "2025-10-06"]]
    write_xlsx(ws / "workbooks" / "x.xlsx", {"S": rows})
    res = read(ws)
    assert cols(res.items, "status") == ["counted", "counted"]


def test_adoption_register_attaches_by_unit_and_title(ws):
    items = [["单位", "标题", "报送日期"],
             ["城关镇", "城关镇推进秋粮收购", "2025-10-03"],
             ["青石镇", "青石镇茶产业提质增效工作", "2025-10-04"]]
    reg = [["采用登记（2025年）"],
           ["单位", "信息标题", "采用刊物", "采用日期"],
           ["城关", "城关镇推进 秋粮收购", "市级专报", "2025-10-20"],
           ["青石镇", "青石镇茶产业提质增效", "省采用", "2025-11-02"],
           ["县教育局", "不存在的信息", "县采用", "2025-10-21"]]
    write_xlsx(ws / "workbooks" / "台账.xlsx", {"S": items})
    write_xlsx(ws / "workbooks" / "采用登记.xlsx", {"登记": reg})
    res = read(ws)
    by_title = {it["title"]: it for it in item_rows(res)}
    a = by_title["城关镇推进秋粮收购"]
    assert of(res.adoptions, a, "rule", "points", "date") == [("市级专报", 10, D(2025, 10, 20))]
    assert "采用登记" in of(res.adoptions, a, "origin")[0]
    b = by_title["青石镇茶产业提质增效工作"]  # fuzzy match, warned
    assert of(res.adoptions, b, "level", "date") == [("省级", D(2025, 11, 2))]
    assert any(p.severity == "warning" and "相似度" in p.message for p in res.problems)
    (e,) = errors(res)
    assert e.file == "workbooks/采用登记.xlsx" and e.row == 5 and "找不到对应的报送信息" in e.message
    assert res.rows_dict() == {"read": 5, "counted": 4, "duplicate": 0, "error": 1, "skipped": 0}
    assert_buckets_add_up(res)


def test_vertically_merged_unit_cells(ws):
    rows = [["单位", "标题", "报送日期"], ["城关镇", "甲", "2025-10-01"], [None, "乙", "2025-10-02"], [None, "丙", "2025-10-03"]]
    write_xlsx(ws / "workbooks" / "x.xlsx", {"S": rows}, merges={"S": ["A2:A4"]})
    res = read(ws)
    assert errors(res) == [] and cols(res.items, "unit") == ["城关镇"] * 3


def test_formula_cells_cached_and_uncached(ws):
    import openpyxl

    wb = openpyxl.Workbook()
    sh = wb.active
    sh.append(["单位", "标题", "报送日期"])
    sh.append(["城关镇", "=\"甲\"&\"乙\"", "2025-10-01"])
    wb.save(ws / "workbooks" / "f.xlsx")  # openpyxl stores no cached value
    res = read(ws)
    (e,) = [p for p in errors(res) if "公式" in p.message]
    assert (e.row, e.column) == (2, "B")


def test_note_rows_skipped_with_warning(ws):
    rows = [["单位", "标题", "报送日期"], ["城关镇", "甲", "2025-10-01"], ["制表人：张三   审核人：李四"]]
    write_xlsx(ws / "workbooks" / "x.xlsx", {"S": rows})
    res = read(ws)
    assert res.rows_dict() == {"read": 2, "counted": 1, "duplicate": 0, "error": 0, "skipped": 1}
    assert any("非登记行" in p.message and p.row == 3 for p in res.problems)


def test_instruction_and_event_columns(ws):
    rows = [["单位", "标题", "报送日期", "信息类型", "事件时间", "批示情况", "批示日期", "是否约稿", "是否失实"],
            ["城关镇", "甲", "2025-10-01 10:00", "紧急", "2025-10-01 09:00", "市委书记批示", "2025-10-09", "是", ""],
            ["城关镇", "乙", "2025-10-02", "", "", "", "", "否", "是"]]
    write_xlsx(ws / "workbooks" / "x.xlsx", {"S": rows})
    res = read(ws)
    a, b = item_rows(res)
    assert a["kind"] == "紧急" and a["event_time"] == D(2025, 10, 1, 9) and a["commission"] and not a["false_report"]
    assert of(res.instructions, a, "level", "date") == [("市级", D(2025, 10, 9))]
    assert b["false_report"] and not b["commission"]


def test_inputs_never_modified(ws):
    write_xlsx(ws / "workbooks" / "乡镇台账.xlsx", {"10月": CENTRAL}, merges={"10月": CENTRAL_MERGES})
    before = hash_tree(ws)
    read(ws)
    assert hash_tree(ws) == before


@pytest.mark.parametrize("junk", [b"", b"PK\x03\x04 broken", b"%PDF-1.4 not a workbook"])
def test_unreadable_file_reported_others_still_read(ws, junk):
    (ws / "workbooks" / "bad.xlsx").write_bytes(junk)
    write_xlsx(ws / "workbooks" / "good.xlsx", {"S": [["单位", "标题", "报送日期"], ["城关镇", "甲", "2025-10-01"]]})
    res = read(ws)
    assert res.unreadable == ["workbooks/bad.xlsx"]
    assert len(res.items) == 1
    (e,) = errors(res)
    assert e.file == "workbooks/bad.xlsx"


def test_headers_understood_by_their_words(ws):
    rows = [["单位", "标题", "报送日期", "市级采用情况", "省级以上采用", "领导批示内容"],
            ["城关镇", "甲", "2025-10-01", "√", "", "市长批示"],
            ["城关镇", "乙", "2025-10-02", "", "已采用（省级专报）", ""]]
    write_xlsx(ws / "workbooks" / "x.xlsx", {"S": rows})
    res = read(ws)
    assert errors(res) == []
    a, b = item_rows(res)
    assert of(res.adoptions, a, "level") == ["市级"] and of(res.instructions, a, "level") == ["市级"]
    assert of(res.adoptions, b, "level", "rule") == [("省级", "省级专报")]


def test_adoption_register_named_so_even_with_submission_dates(ws):
    write_xlsx(ws / "workbooks" / "台账.xlsx", {"S": [["单位", "标题", "报送日期"], ["城关镇", "甲", "2025-10-01"]]})
    write_xlsx(ws / "workbooks" / "2025年采用登记.xlsx", {"S": [["单位", "标题", "报送日期", "刊物名称"],
                                                              ["城关镇", "甲", "2025-10-01", "市级专报"]]})
    res = read(ws)
    assert errors(res) == [] and len(res.items) == 1
    assert of(res.adoptions, item_rows(res)[0], "rule") == ["市级专报"]
    assert res.rows_dict() == {"read": 2, "counted": 2, "duplicate": 0, "error": 0, "skipped": 0}


def test_unsupported_spreadsheet_formats_are_named_not_silently_skipped(ws):
    write_xlsx(ws / "workbooks" / "a.xlsx", {"S": [["单位", "标题", "报送日期"], ["城关镇", "甲", "2025-10-01"]]})
    (ws / "workbooks" / "青石镇台账.et").write_bytes(b"\xd0\xcf\x11\xe0")
    (ws / "workbooks" / "b.ods").write_bytes(b"PK")
    res = read(ws)
    warns = sorted((p.file, p.message[:4]) for p in res.problems if p.severity == "warning")
    assert warns == [("workbooks/b.ods", ".ods"), ("workbooks/青石镇台账.et", ".et ")]
    assert len(res.items) == 1


def test_unit_from_a_filled_in_line_above_the_header(ws):
    rows = [["2025年政务信息报送台账"], ["填报单位：青石镇（盖章）", None, "填报人：李四"],
            ["标题", "报送日期", "采用情况"], ["茶叶节开幕", "2025-10-03", "县采用"]]
    write_xlsx(ws / "workbooks" / "台账（10月）.xlsx", {"Sheet1": rows})
    res = read(ws)
    assert errors(res) == [] and cols(res.items, "unit", "title") == [("青石镇", "茶叶节开幕")]


def test_adoption_register_with_titles_only(ws):
    write_xlsx(ws / "workbooks" / "台账.xlsx", {"S": [["单位", "标题", "报送日期"], ["城关镇", "城关镇秋粮收购", "2025-10-01"],
                                                   ["青石镇", "青石镇茶叶节", "2025-10-02"]]})
    write_xlsx(ws / "workbooks" / "采用.xlsx", {"S": [["信息标题", "采用刊物", "采用日期"],
                                                    ["青石镇茶叶节", "市级专报", "2025-10-09"],
                                                    ["没有这篇", "县采用", "2025-10-09"]]})
    res = read(ws)
    by_title = {it["title"]: it for it in item_rows(res)}
    assert of(res.adoptions, by_title["青石镇茶叶节"], "rule") == ["市级专报"]
    assert not of(res.adoptions, by_title["城关镇秋粮收购"], "rule")
    (e,) = errors(res)
    assert e.row == 3 and "没有这篇" in e.message


def _grids_both_ways(path, monkeypatch):
    """read_file's grids from the scan's stored copy (merges first) and from the file as written."""
    from govxl.read import inspect as xi
    from govxl.read import xlsx
    from govxl.read.reader import read_file

    seen = []
    real = xi.rebuild
    monkeypatch.setattr(xi, "rebuild", lambda zf, trimmed, kept: seen.append(dict(kept)) or real(zf, trimmed, kept))
    kept_way = [(g.sheet, g.rows, g.merged, g.hidden, g.uncached) for g in read_file(path)]
    monkeypatch.setattr(xlsx, "KEEP_BYTES", -1)
    plain_way = [(g.sheet, g.rows, g.merged, g.hidden, g.uncached) for g in read_file(path)]
    return kept_way, plain_way, seen


def test_small_workbooks_reach_calamine_stored_with_merges_first(tmp_path, monkeypatch):
    """The scan's inflated copy is what calamine reads (stored, with <mergeCells> before <sheetData>):
    the same cells, merged ranges, hidden sheets and uncached formulas as reading the file as written."""
    import zipfile

    path = write_xlsx(tmp_path / "merged.xlsx", {
        "登记": [["某县信息登记表", None, None, None], ["标题", "报送日期", "采用情况", None],
                 [None, None, "市级", "省级"], ["一条信息", D(2025, 3, 5), "√", None],
                 ["另一条", "2025年3月6日", None, "是"], ["合计", None, "=COUNTA(C4:C5)", None]],
        "无合并": [["标题", "报送日期"], ["第三条", D(2025, 4, 1)]],
        "隐藏": [["说明"], ["仅供参考"]],
    }, merges={"登记": ["A1:D1", "A2:A3", "B2:B3", "C2:D2"]}, hidden=("隐藏",))
    kept_way, plain_way, seen = _grids_both_ways(path, monkeypatch)
    assert kept_way == plain_way
    merged = dict((s, m) for s, _r, m, _h, _u in kept_way)
    assert merged["登记"] and merged["无合并"] == []
    assert [h for *_x, h, _u in kept_way] == [False, False, True]
    (kept,) = seen
    sheets = {n: x for n, x in kept.items() if n.startswith("xl/worksheets/sheet")}
    assert len(sheets) == 3
    for xml in sheets.values():
        assert -1 < xml.find(b"<mergeCells") < xml.find(b"<sheetData")
    with zipfile.ZipFile(path) as zf:  # the file on disk is untouched
        assert all(zf.read(n).find(b"<sheetData") < zf.read(n).find(b"<mergeCells") for n in sheets
                   if b"<mergeCells" in zf.read(n))


def test_the_stored_copy_is_a_zip_any_reader_takes(tmp_path, monkeypatch):
    """zipio._stored writes the kept members as a stored zip by hand: zipfile finds every member with its
    name (a Chinese one too) and CRC-32 intact, and calamine reads from it what it reads from the file."""
    import io
    import zipfile

    from govxl.read import xlsx, zipio
    from govxl.read.limits import DEFAULT_SIZE_LIMIT

    plain = write_xlsx(tmp_path / "plain.xlsx", {"登记": [["标题", "报送日期"], ["一条信息", D(2025, 3, 5)]]},
                       merges={"登记": ["C1:D1"]})
    path = tmp_path / "extra.xlsx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        dst.writestr("customXml/说明.xml", "<说明>附件</说明>".encode("utf-8"))
    with zipfile.ZipFile(path) as zf:
        _u, _t, kept = xlsx.scan_xlsx(zf, "extra.xlsx", DEFAULT_SIZE_LIMIT, keep=True)
        stored = zipfile.ZipFile(io.BytesIO(zipio._stored(zf, kept)))
        assert stored.testzip() is None
        assert [i.filename for i in stored.infolist()] == [i.filename for i in zf.infolist()]
        assert all(i.compress_type == zipfile.ZIP_STORED for i in stored.infolist())
        assert {n: stored.read(n) for n in kept} == kept
        assert stored.read("customXml/说明.xml") == "<说明>附件</说明>".encode("utf-8")
    kept_way, plain_way, seen = _grids_both_ways(path, monkeypatch)
    assert seen and kept_way == plain_way


def test_big_or_odd_workbooks_are_read_as_written(tmp_path, monkeypatch):
    """Over KEEP_BYTES nothing is kept (calamine reads the file itself); unusual sheet XML is kept as is."""
    from govxl.read import xlsx
    from govxl.read.limits import DEFAULT_SIZE_LIMIT

    path = write_xlsx(tmp_path / "w.xlsx", {"表": [["标题", "报送日期"], ["一条", D(2025, 3, 5)]]},
                      merges={"表": ["C1:D1"]})
    monkeypatch.setattr(xlsx, "KEEP_BYTES", 10)
    import zipfile
    with zipfile.ZipFile(path) as zf:
        assert xlsx.scan_xlsx(zf, "w.xlsx", DEFAULT_SIZE_LIMIT, keep=True)[2] == {}
    sd, mc = b'<sheetData><row r="1"/></sheetData>', b'<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>'
    head, tail = b"<worksheet>", b"</worksheet>"
    assert xlsx._merges_first(head + sd + mc + tail) == head + mc + sd + tail
    assert xlsx._merges_first(head + sd + tail) == head + b"<mergeCells></mergeCells>" + sd + tail
    # calamine reads cells from the first <sheetData> only: the merges go in front of it
    assert xlsx._merges_first(head + sd + sd + mc + tail) == head + mc + sd + sd + tail
    for odd in (head + sd + b'<mergeCells count="0"/>' + tail,  # self-closing: calamine would not stop at it
                head + sd + mc + mc + tail,  # two: calamine reads the first
                head + mc + sd + tail,  # already first
                head + b"<sheetDataX/>" + mc + tail,
                head + sd + b"<mergeCellsX></mergeCellsX>" + tail,
                head + b"<!-- mergeCells -->" + sd + tail,  # any other mention, even prefixed or in a comment
                head + sd + b'<x:mergeCells xmlns:x="m"></x:mergeCells>' + mc + tail,
                head + b'<sheetData><row r="1"/>' + mc + b"</sheetData>" + tail):  # not after the cells
        assert xlsx._merges_first(odd) == odd


def test_the_scans_numpy_answers_are_the_searches_answers():
    """sheetscan._candidates says of sheet text what the three searches it stands in for would say."""
    import random

    from govxl.read import sheetscan

    rnd = random.Random(7)
    pieces = [b"<", b"c", b" ", b"r", b"=", b'"', b"A", b"Z", b"AA", b"ABC", b"ABCD", b"1", b"9", b"0", b">", b"/",
              b"f", b"\t", b"\n", b"x", b'<c r="', b"<c", b'r="', b"<f>", b"1234567", b"<row ", b"\xe6\xa0\x87"]
    for _ in range(3000):
        seg = b"".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 40)))
        for digits in range(1, 8):
            searched = (bool(sheetscan._NO_R_CELL.search(seg)), bool(sheetscan._REACH[digits].search(seg)), b"<f" in seg)
            assert sheetscan._candidates(seg, digits) == searched, (seg, digits)
    row = b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>t</t></is></c><c r="B%d"><v>45566</v></c></row>'
    sheet = b"<worksheet><sheetData>" + b"".join(row % (n, n, n) for n in range(1, 3000)) + b"</sheetData></worksheet>"
    assert sheetscan._candidates(sheet, 4) == (False, False, False)
    assert sheetscan._candidates(sheet.replace(b'r="B2999"', b'r="AB2999"'), 4)[1]
    assert sheetscan._candidates(sheet.replace(b'r="B2999"', b'r="B29999"'), 4)[1]
    assert sheetscan._candidates(sheet.replace(b'<c r="B7">', b"<c>"), 4)[0]
    assert sheetscan._candidates(sheet.replace(b"<v>45566</v>", b"<f>A1</f>", 1), 4)[2]


def test_a_part_comes_back_from_its_bytes_as_it_was_read():
    """What a worker sends and the cache keeps (Arrow IPC) loads back to the same tables, problems and rows;
    bytes that are not a part are refused, never half-read."""
    from pathlib import Path

    from govxl.normalise import cache, part as P

    root = Path(__file__).resolve().parent.parent
    cfg = load_config(root / "templates" / "govxl.xlsx")
    for path in sorted(p for p in (root / "workbooks").rglob("*") if p.is_file()):
        data = cache.read_part(cfg, 2025, None, path)
        frames, part = P.loads(data)
        again = P.loads(P.dumps(frames, part))
        for name, table in frames.items():
            assert again[0][name].equals(table), (path, name)
        assert again[1].problems == part.problems and again[1].sheet_rows == part.sheet_rows
    with pytest.raises(ValueError):
        P.loads(P.MAGIC + b"\xff" * 20)
    with pytest.raises(ValueError):
        P.loads(b"not a part")


@pytest.mark.parametrize("filled", [False, True])
def test_the_read_is_tables_of_the_contracts_columns_and_dtypes(ws, filled):
    """read_registers gives items, adoptions, instructions and commissions as DataFrames with exactly the
    columns and dtypes of normalise.frames — an empty read too — and .tables is what scoring takes."""
    from govxl.normalise import frames

    if filled:
        write_xlsx(ws / "workbooks" / "乡镇台账.xlsx", {"10月": CENTRAL}, merges={"10月": CENTRAL_MERGES})
        write_xlsx(ws / "workbooks" / "约稿.xlsx", {"约稿": [["单位", "约稿主题", "下达日期", "截止日期", "完成日期"],
                                                          ["城关镇", "秋收", "2025-10-01", "2025-10-10", ""]]})
    res = read(ws)
    for table, columns in ((res.items, frames.ITEM_COLUMNS), (res.adoptions, frames.ADOPTION_COLUMNS),
                           (res.instructions, frames.INSTRUCTION_COLUMNS), (res.commissions, frames.COMMISSION_COLUMNS)):
        assert {c: str(t) for c, t in table.dtypes.items()} == {c: str(pd.Series([], dtype=t).dtype)
                                                                for c, t in columns.items()}
        assert (len(table) > 0) == filled
    assert res.items.index.equals(pd.RangeIndex(len(res.items)))
    assert cols(res.items, "seq") == list(range(1, len(res.items) + 1))
    tables = res.tables
    assert tables.items is res.items and tables.adoptions is res.adoptions and tables.instructions is res.instructions
    if filled:
        assert cols(res.commissions, "unit", "topic", "deadline") == [("城关镇", "秋收", D(2025, 10, 10))]
        assert res.commissions["done"].isna().all() and cols(res.items, "joint") == [()] * 4
        assert cols(res.adoptions, "origin") == [""] * len(res.adoptions)
