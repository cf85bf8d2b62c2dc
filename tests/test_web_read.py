"""Posting registers told apart from submission registers by their headers, both ways, and the reader's
fallbacks (unit and platform from names) with every row accounted for."""
from conftest import write_xlsx
from govxl import api
from govxl.normalise.config import load_config
from govxl.normalise.postings import read_postings
from govxl.normalise.registers import read_registers


def test_dated_posting_register_is_not_a_submission_register(ws):
    # 单位 / 标题 / 日期 would make a submission register; 平台 makes it a posting register
    write_xlsx(ws / "workbooks" / "p.xlsx", {"发布": [["单位", "平台", "栏目", "标题", "日期"],
                                                    ["城关镇", "网站", "工作动态", "城关镇秋收", "2025-10-05"]]})
    cfg = load_config(ws / "govxl.xlsx")
    sub = read_registers([str(ws / "workbooks")], cfg, year=2025)
    assert len(sub.items) == 0 and sub.problems == [] and sub.sheets == []
    posts = read_postings([str(ws / "workbooks")], cfg, year=2025)
    assert posts.postings[["unit", "platform", "column", "category"]].values.tolist() == [
        ["城关镇", "网站", "工作动态", "动态要闻"]]


def test_names_give_unit_and_platform_and_repeated_headers_skip(ws):
    head = ["账号名称", "标题", "推送时间"]
    rows = [["城关发布", "一", "2025-10-01"], head, ["城关发布", "二", "2025-10-02"], ["", "", ""],
            ["城关发布", "三", "2025-10-03"]]
    write_xlsx(ws / "workbooks" / "城关镇新媒体.xlsx", {"微博": [head, *rows]})
    res = read_postings([str(ws / "workbooks")], load_config(ws / "govxl.xlsx"), year=2025)
    df = res.postings
    assert df[["unit", "platform", "title", "row"]].values.tolist() == [
        ["城关镇", "微博", "一", 2], ["城关镇", "微博", "二", 4], ["城关镇", "微博", "三", 6]]
    assert res.rows_dict() == {"read": 5, "counted": 3, "duplicate": 0, "error": 0, "skipped": 2}


def test_blank_platform_is_a_located_error(ws):
    write_xlsx(ws / "workbooks" / "台账.xlsx", {"S": [["单位", "平台", "账号", "标题", "发布日期"],
                                                   ["青石镇", "", "青石", "无平台", "2025-10-05"],
                                                   ["青石镇", "视频号", "青石", "视频号一", "2025-10-06"]]})
    res = api.web(month="2025-10", write=False)
    errs = [(p["row"], p["column"], p["message"][:4]) for p in res["problems"] if p["severity"] == "error"]
    assert errs == [(2, "B", "平台为空")]
    assert res["units"][1]["platforms"]["视频号"] == {"posted": 1, "ytd": 1}
    assert "视频号" in res["platforms"] and res["rows"]["error"] == 1
