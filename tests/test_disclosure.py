"""govxl disclosure: the 政府信息公开年度报告 tables from hand-computed registers, and every check.

Each register here is built as a real .xlsx/.csv in tmp_path and read by the real code; every
expected number below was counted by hand from the rows written in the test.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import write_xlsx
from govxl.disclosure import (build_disclosure, check_table_file, disclosure_exit_code, read_settings,
                              write_disclosure)
from govxl.disclosure.registers import map_result
from govxl.errors import ConfigError

D = dt.date
APPLICANTS = ("自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他")
COLS = APPLICANTS + ("总计",)

NEW = "一、本年新收政府信息公开申请数量"
CARRIED_IN = "二、上年结转政府信息公开申请数量"
TOTAL7 = "（七）总计"
CARRIED_OUT = "四、结转下年度继续办理"

# The 22 result sub-rows, as printed, in table order (written out here, not taken from the code).
RESULT_LABELS = [
    "（一）予以公开",
    "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "1.属于国家秘密",
    "2.其他法律行政法规禁止公开",
    "3.危及“三安全一稳定”",
    "4.保护第三方合法权益",
    "5.属于三类内部事务信息",
    "6.属于四类过程性信息",
    "7.属于行政执法案卷",
    "8.属于行政查询事项",
    "1.本机关不掌握相关政府信息",
    "2.没有现成信息需要另行制作",
    "3.补正后申请内容仍不明确",
    "1.信访举报投诉类申请",
    "2.重复申请",
    "3.要求提供公开出版物",
    "4.无正当理由大量反复申请",
    "5.要求行政机关确认或重新出具已获取信息",
    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
    "3.其他",
]
TABLE3_ORDER = [NEW, CARRIED_IN] + RESULT_LABELS + [TOTAL7, CARRIED_OUT]

# One application per result sub-row, received and concluded in 2024, written in short forms.
# (short form written in the register, applicant type written in the register, the printed row)
SHORT_FORMS = [
    ("予以公开", "自然人", "（一）予以公开"),
    ("部分公开", "企业", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"),
    ("不予公开-国家秘密", "自然人", "1.属于国家秘密"),
    ("不予公开-法律禁止", "律师事务所", "2.其他法律行政法规禁止公开"),
    ("不予公开-三安全一稳定", "自然人", "3.危及“三安全一稳定”"),
    ("不予公开（第三方合法权益）", "商业企业", "4.保护第三方合法权益"),
    ("不予公开-内部事务", "自然人", "5.属于三类内部事务信息"),
    ("不予公开-过程性信息", "科研机构", "6.属于四类过程性信息"),
    ("不予公开-行政执法案卷", "自然人", "7.属于行政执法案卷"),
    ("不予公开：行政查询事项", "社会组织", "8.属于行政查询事项"),
    ("无法提供-不掌握", "自然人", "1.本机关不掌握相关政府信息"),
    ("无法提供-另行制作", "其他", "2.没有现成信息需要另行制作"),
    ("无法提供-内容不明确", "个人", "3.补正后申请内容仍不明确"),
    ("不予处理-信访举报投诉", "自然人", "1.信访举报投诉类申请"),
    ("不予处理-重复申请", "公司", "2.重复申请"),
    ("不予处理-公开出版物", "自然人", "3.要求提供公开出版物"),
    ("不予处理-大量反复申请", "自然人", "4.无正当理由大量反复申请"),
    ("不予处理-确认或重新出具", "法律服务机构", "5.要求行政机关确认或重新出具已获取信息"),
    ("其他处理-逾期不补正", "自然人", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("其他处理-逾期未缴费", "社会公益组织", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("其他处理-其他", "自然人", "3.其他"),
]
# what the applicant words above mean
APPLICANT_OF = {"自然人": "自然人", "个人": "自然人", "企业": "商业企业", "商业企业": "商业企业", "公司": "商业企业",
                "律师事务所": "法律服务机构", "法律服务机构": "法律服务机构", "科研机构": "科研机构",
                "社会组织": "社会公益组织", "社会公益组织": "社会公益组织", "其他": "其他"}


def write_settings(path: Path, settings: dict) -> Path:
    """A govxl.xlsx with only the 设置 sheet (the scoring sheets are not needed by disclosure)."""
    return write_xlsx(path, {"设置": [["项目", "值", "说明"]] + [[k, v, ""] for k, v in settings.items()]})


def zeros():
    return {c: 0 for c in COLS}


def t3(result) -> dict:
    return {r["label"]: r["values"] for r in result["table3"]}


def t2(result) -> dict:
    return {r["label"]: r["values"] for r in result["table2"]}


def messages(result, code=None, severity=None):
    return [c["message"] for c in result["checks"]
            if (code is None or c["code"] == code) and (severity is None or c["severity"] == severity)]


def problems(result, severity="error"):
    return [p for p in result["problems"] if p["severity"] == severity]


def application_register(path: Path, extra_rows=()) -> Path:
    rows = [
        ["XX县2024年政府信息公开申请登记台账"],
        [],
        ["序号", "申请人", "收到日期", "申请人类型", "申请内容", "办理结果", "办结日期"],
        # carried in from 2023: concluded in 2024 → 二 and （一）
        [1, "王某", D(2023, 12, 20), "自然人", "拆迁补偿", "予以公开", D(2024, 1, 5)],
        # carried in from 2023, still open on 31 Dec 2024 → 二 and 四
        [2, "某公司", "2023-12-28", "商业企业", "土地出让", None, None],
        # received and concluded in 2023: not part of 2024 at all
        [3, "李某", D(2023, 11, 1), "自然人", "低保", "部分公开", D(2023, 11, 20)],
        # received 30 Dec 2024, open → 一 and 四
        [4, "某律所", D(2024, 12, 30), "律师事务所", "处罚决定", None, None],
        # received 2024, concluded in January 2025 → 一 and 四
        [5, "某研究所", D(2024, 12, 15), "科研机构", "统计数据", "予以公开", D(2025, 1, 10)],
        # received in 2025: not part of 2024
        [6, "赵某", D(2025, 1, 2), "自然人", "补贴", None, None],
        # received 2023, concluded 2025 → 二 and 四
        [7, "某协会", "2023/12/30", "社会公益组织", "项目资金", "无法提供-不掌握", "2025年1月3日"],
    ]
    for n, (short, applicant, _label) in enumerate(SHORT_FORMS, 8):
        rows.append([n, f"申请人{n}", D(2024, 3, n % 28 + 1), applicant, "内容", short, D(2024, 4, n % 28 + 1)])
    rows.append([None, "合计", None, None, None, None, None])
    rows.extend(extra_rows)
    return write_xlsx(path, {"依申请公开": rows})


def expected_application_table() -> dict:
    """Counted by hand from application_register."""
    exp = {label: zeros() for label in TABLE3_ORDER}

    def add(label, applicant):
        exp[label][applicant] += 1
        exp[label]["总计"] += 1

    add(CARRIED_IN, "自然人")  # row 1
    add("（一）予以公开", "自然人")
    add(CARRIED_IN, "商业企业")  # row 2
    add(CARRIED_OUT, "商业企业")
    add(NEW, "法律服务机构")  # row 4
    add(CARRIED_OUT, "法律服务机构")
    add(NEW, "科研机构")  # row 5
    add(CARRIED_OUT, "科研机构")
    add(CARRIED_IN, "社会公益组织")  # row 7
    add(CARRIED_OUT, "社会公益组织")
    for _short, applicant, label in SHORT_FORMS:
        add(NEW, APPLICANT_OF[applicant])
        add(label, APPLICANT_OF[applicant])
        add(TOTAL7, APPLICANT_OF[applicant])
    add(TOTAL7, "自然人")  # row 1 concluded in 2024
    return exp


@pytest.fixture
def ws(tmp_path):
    (tmp_path / "workbooks").mkdir()
    write_settings(tmp_path / "govxl.xlsx", {"机关名称": "XX县人民政府办公室", "上年现行有效规章件数": 10})
    return tmp_path


def build(ws, year=2024, **kw):
    return build_disclosure(year, [ws / "workbooks"], config=ws / "govxl.xlsx", **kw)


# ---- 依申请公开 ------------------------------------------------------------------------------------

def test_applications_every_sub_row_and_carry_over(ws):
    application_register(ws / "workbooks" / "依申请公开登记.xlsx")
    res = build(ws)
    got = t3(res)
    assert [r["label"] for r in res["table3"]] == TABLE3_ORDER
    exp = expected_application_table()
    for label in TABLE3_ORDER:
        assert got[label] == exp[label], label
    # the headline figures, by hand: 一 = 2 + 21, 二 = 3, （七） = 22, 四 = 4
    assert got[NEW]["总计"] == 23
    assert got[CARRIED_IN]["总计"] == 3
    assert got[TOTAL7]["总计"] == 22
    assert got[CARRIED_OUT]["总计"] == 4
    assert res["checks"] == []
    assert problems(res) == []
    # 29 data rows + the 合计 row: 26 counted, 2 of other years (rows 3 and 6), 1 skipped
    assert res["rows"] == {"read": 29, "counted": 26, "other_year": 2, "error": 0, "skipped": 1}
    assert disclosure_exit_code(res) == 0
    # sub-rows carry their group
    groups = {r["label"]: r.get("group") for r in res["table3"]}
    assert groups["2.重复申请"] == "（五）不予处理"
    assert groups["（一）予以公开"] is None


@pytest.mark.parametrize("written,label", [
    # the printed wording, with and without its number
    *[(label, label) for label in RESULT_LABELS],
    ("属于国家秘密", "1.属于国家秘密"),
    ("本机关不掌握相关政府信息", "1.本机关不掌握相关政府信息"),
    ("要求提供公开出版物", "3.要求提供公开出版物"),
    # short forms
    *[(short, label) for short, _a, label in SHORT_FORMS],
    ("公开", "（一）予以公开"),
    ("不予公开—国家秘密", "1.属于国家秘密"),
    ("不予公开 / 第三方", "4.保护第三方合法权益"),
    ("不予公开(过程性信息)", "6.属于四类过程性信息"),
    ("无法提供：信息不存在", "1.本机关不掌握相关政府信息"),
    ("无法提供-需要另行制作", "2.没有现成信息需要另行制作"),
    ("不予处理-信访", "1.信访举报投诉类申请"),
    ("重复申请", "2.重复申请"),
    ("其他处理-不补正", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
    ("其他处理-未缴费", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
    ("其他", "3.其他"),
    ("（三）不予公开 1.属于国家秘密", "1.属于国家秘密"),
])
def test_every_result_form_maps_to_its_printed_row(written, label):
    from govxl.disclosure.tables import RESULT_LABEL

    key = map_result(written)
    assert key is not None, written
    assert RESULT_LABEL[key] == label


@pytest.mark.parametrize("written", ["不予公开", "无法提供", "不予处理", "同意", "已办结", "其他处理"])
def test_result_without_its_reason_is_not_guessed(written):
    assert map_result(written) is None


def test_application_error_rows_name_file_sheet_row_column(ws):
    rows = [
        ["收到日期", "申请人类型", "办理结果", "办结日期"],
        [D(2024, 2, 1), "外国人", "予以公开", D(2024, 2, 10)],  # row 2: unknown applicant type
        [None, "自然人", "予以公开", D(2024, 2, 10)],  # row 3: no received date
        [D(2024, 3, 10), "自然人", "予以公开", D(2024, 3, 1)],  # row 4: concluded before received
        [D(2024, 3, 10), "自然人", None, D(2024, 3, 20)],  # row 5: concluded, no result
        [D(2024, 3, 10), "自然人", "不予公开", D(2024, 3, 20)],  # row 6: group without its reason
        [D(2024, 3, 10), "自然人", "同意", D(2024, 3, 20)],  # row 7: unknown result
        ["2024年13月1日", "自然人", "予以公开", D(2024, 3, 20)],  # row 8: impossible date
        [D(2024, 3, 10), "企业", "予以公开", D(2024, 3, 20)],  # row 9: fine
        [None, None, None, None],  # row 10: blank (skipped)
        [D(2024, 5, 10), "自然人", "予以公开", None],  # row 11: result but open → warning, 四
    ]
    write_xlsx(ws / "workbooks" / "申请.xlsx", {"登记": rows})
    res = build(ws)
    errs = {(p["row"], p["column"]): p for p in problems(res)}
    assert set(errs) == {(2, "B"), (3, "A"), (4, "D"), (5, "C"), (6, "C"), (7, "C"), (8, "A")}
    for p in errs.values():
        assert p["file"].endswith("申请.xlsx") and p["sheet"] == "登记"
    assert "外国人" in errs[(2, "B")]["message"] and "自然人" in errs[(2, "B")]["message"]
    assert errs[(3, "A")]["message"] == "收到日期为空"
    assert errs[(4, "D")]["message"] == "办结日期早于收到日期"
    assert errs[(5, "C")]["message"] == "已办结但办理结果为空"
    assert "未写明具体情形" in errs[(6, "C")]["message"] and "不予公开-国家秘密" in errs[(6, "C")]["message"]
    assert "“同意”无法识别" in errs[(7, "C")]["message"]
    assert "13月" in errs[(8, "A")]["message"]
    warns = [p for p in problems(res, "warning") if p["row"] == 11]
    assert len(warns) == 1 and "按未办结" in warns[0]["message"]
    got = t3(res)
    assert got[NEW]["商业企业"] == 1 and got[NEW]["自然人"] == 1 and got[NEW]["总计"] == 2
    assert got["（一）予以公开"]["商业企业"] == 1 and got[TOTAL7]["总计"] == 1
    assert got[CARRIED_OUT]["自然人"] == 1
    assert res["rows"] == {"read": 10, "counted": 2, "other_year": 0, "error": 7, "skipped": 1}
    assert disclosure_exit_code(res) == 1
    # the tables built from the good rows still add up
    assert [c for c in res["checks"] if c["severity"] == "error"] == []


def test_application_register_missing_a_column_is_an_error_naming_it(ws):
    write_xlsx(ws / "workbooks" / "申请.xlsx", {"登记": [
        ["收到日期", "申请人类型", "办理结果"],
        [D(2024, 2, 1), "自然人", "予以公开"],
    ]})
    res = build(ws)
    errs = problems(res)
    assert len(errs) == 1 and "缺少“办结日期”列" in errs[0]["message"] and errs[0]["sheet"] == "登记"
    assert t3(res)[NEW]["总计"] == 0


def test_application_register_as_gbk_csv(ws):
    text = "收到日期,申请人类型,办理结果,办结日期\r\n2024/3/1,自然人,予以公开,2024/3/5\r\n2024/12/31,企业,,\r\n"
    (ws / "workbooks" / "申请.csv").write_bytes(text.encode("gb18030"))
    res = build(ws)
    got = t3(res)
    assert got[NEW] == {**zeros(), "自然人": 1, "商业企业": 1, "总计": 2}
    assert got[CARRIED_OUT] == {**zeros(), "商业企业": 1, "总计": 1}
    assert got["（一）予以公开"] == {**zeros(), "自然人": 1, "总计": 1}


# ---- 主动公开 --------------------------------------------------------------------------------------

def proactive_register(path: Path) -> Path:
    return write_xlsx(path, {"主动公开": [
        ["2024年主动公开登记"],
        ["信息内容", "日期", "动作", "数量", "金额（万元）", "备注"],
        ["规章", D(2024, 3, 1), "制发", None, None, ""],
        ["规章", D(2024, 6, 1), "制定", None, None, ""],
        ["规章", D(2024, 9, 1), "废止", None, None, ""],
        ["规范性文件", D(2022, 5, 1), "印发", 4, None, "以前年度"],
        ["行政规范性文件", D(2023, 5, 1), "废止", None, None, "以前年度"],
        ["行政规范性文件", D(2024, 5, 1), "制发", 3, None, ""],
        ["行政许可", D(2024, 1, 10), None, None, None, ""],
        ["行政许可", D(2024, 2, 10), "处理决定", 5, None, ""],
        ["行政处罚", "2024-04-01", "决定", 2, None, ""],
        ["行政强制", "2024.7.1", None, None, None, ""],
        ["收费", D(2024, 3, 3), None, None, 1.2, ""],
        ["行政事业性收费", D(2024, 8, 3), None, None, "0.35", ""],
        ["行政事业性收费", D(2025, 1, 3), None, None, 9, "下一年"],
        ["行政许可", D(2023, 12, 31), None, None, None, "上一年"],
    ]})


def test_proactive_register_and_in_force(ws):
    proactive_register(ws / "workbooks" / "主动公开.xlsx")
    res = build(ws)
    got = t2(res)
    # 规章: 2 issued, 1 repealed, in force 10 (设置) + 2 − 1
    assert got["规章"] == {"本年制发件数": 2, "本年废止件数": 1, "现行有效件数": 11}
    # 规范性文件: earlier years 4 − 1 = 3 (from the registers), + 3 issued this year
    assert got["行政规范性文件"] == {"本年制发件数": 3, "本年废止件数": 0, "现行有效件数": 6}
    assert res["in_force_base"]["规章"] == {"value": 10, "source": "设置"}
    assert res["in_force_base"]["行政规范性文件"] == {"value": 3, "source": "登记表中以前年度的记录"}
    assert got["行政许可"] == {"本年处理决定数量": 6}
    assert got["行政处罚"] == {"本年处理决定数量": 2}
    assert got["行政强制"] == {"本年处理决定数量": 1}
    assert got["行政事业性收费"] == {"本年收费金额（单位：万元）": 1.55}
    assert [(r["section"], r["label"]) for r in res["table2"]] == [
        ("第二十条第（一）项", "规章"), ("第二十条第（一）项", "行政规范性文件"),
        ("第二十条第（五）项", "行政许可"), ("第二十条第（六）项", "行政处罚"),
        ("第二十条第（六）项", "行政强制"), ("第二十条第（八）项", "行政事业性收费")]
    assert res["rows"] == {"read": 14, "counted": 10, "other_year": 4, "error": 0, "skipped": 0}
    assert problems(res) == [] and res["checks"] == []


def test_proactive_error_rows_and_fees_in_yuan(ws):
    write_xlsx(ws / "workbooks" / "主动公开.xlsx", {"Sheet1": [
        ["信息内容", "日期", "动作", "收费金额（元）"],
        ["规章", D(2024, 3, 1), "处理决定", None],  # row 2: 规章 has no 处理决定
        ["行政许可", D(2024, 3, 1), "制发", None],  # row 3: 许可 has only 处理决定
        ["通知公告", D(2024, 3, 1), "制发", None],  # row 4: unknown content
        ["规章", None, "制发", None],  # row 5: no date
        ["行政规范性文件", D(2024, 3, 1), None, None],  # row 6: no action
        ["行政规范性文件", D(2024, 3, 1), "修订", None],  # row 7: unknown action
        ["行政事业性收费", D(2024, 3, 1), None, None],  # row 8: no amount
        ["行政事业性收费", D(2024, 3, 1), None, -5],  # row 9: negative
        ["行政事业性收费", D(2024, 3, 1), None, 12000],  # 1.2 万元
        ["行政事业性收费", D(2024, 3, 1), None, "3000元"],  # 0.3 万元
    ]})
    res = build(ws)
    errs = {p["row"]: p for p in problems(res)}
    assert sorted(errs) == [2, 3, 4, 5, 6, 7, 8, 9]
    assert errs[2]["column"] == "C" and "只统计制发和废止" in errs[2]["message"]
    assert errs[3]["column"] == "C" and "只统计处理决定" in errs[3]["message"]
    assert errs[4]["column"] == "A" and "“通知公告”无法识别" in errs[4]["message"]
    assert errs[5]["column"] == "B" and errs[5]["message"] == "日期为空"
    assert errs[6]["column"] == "C" and "制发或废止" in errs[6]["message"]
    assert errs[7]["column"] == "C" and "“修订”无法识别" in errs[7]["message"]
    assert errs[8]["column"] == "D" and "金额为空" in errs[8]["message"]
    assert errs[9]["column"] == "D" and "负数" in errs[9]["message"]
    assert t2(res)["行政事业性收费"] == {"本年收费金额（单位：万元）": 1.5}
    assert t2(res)["规章"]["本年制发件数"] == 0
    assert disclosure_exit_code(res) == 1


def test_fee_row_in_a_register_without_an_amount_column(ws):
    write_xlsx(ws / "workbooks" / "主动公开.xlsx", {"Sheet1": [
        ["信息内容", "日期", "动作"],
        ["行政事业性收费", D(2024, 3, 1), None],
        ["行政许可", D(2024, 3, 1), None],
    ]})
    res = build(ws)
    errs = problems(res)
    assert [(p["row"], p["column"], p["message"]) for p in errs] == [
        (2, "A", "登记表没有“金额（万元）”列，无法统计行政事业性收费")]
    assert t2(res)["行政许可"] == {"本年处理决定数量": 1}


def test_summary_table_is_used_and_other_years_summary_skipped(ws):
    summary = [
        ["2024年主动公开情况汇总"],
        ["第二十条第（一）项"],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", 1, 0, 99],
        ["行政规范性文件", 4, 2, 30],
        ["第二十条第（五）项"],
        ["信息内容", "本年处理决定数量"],
        ["行政许可", 120],
        ["第二十条第（八）项"],
        ["信息内容", "本年收费金额（单位：万元）"],
        ["行政事业性收费", 2.5],
    ]
    write_xlsx(ws / "workbooks" / "汇总.xlsx", {"汇总": summary})
    old = [["2023年主动公开情况汇总"]] + summary[1:]
    write_xlsx(ws / "workbooks" / "去年汇总.xlsx", {"汇总": old})
    res = build(ws)
    got = t2(res)
    assert got["规章"] == {"本年制发件数": 1, "本年废止件数": 0, "现行有效件数": 11}  # 10 + 1 − 0, not the 99 written
    assert got["行政规范性文件"]["本年制发件数"] == 4 and got["行政规范性文件"]["本年废止件数"] == 2
    assert got["行政许可"] == {"本年处理决定数量": 120}
    assert got["行政事业性收费"] == {"本年收费金额（单位：万元）": 2.5}
    skipped = [p for p in problems(res, "warning") if "2023年" in p["message"]]
    assert len(skipped) == 1 and skipped[0]["file"].endswith("去年汇总.xlsx")


# ---- 复议诉讼 --------------------------------------------------------------------------------------

def test_cases_register(ws):
    write_xlsx(ws / "workbooks" / "复议诉讼.xlsx", {"案件": [
        ["序号", "案件类型", "立案日期", "审理结果"],
        [1, "行政复议", D(2024, 2, 1), "维持"],
        [2, "复议", D(2024, 3, 1), "驳回复议申请"],
        [3, "行政复议", D(2024, 4, 1), "纠正"],
        [4, "行政复议", D(2024, 5, 1), None],
        [5, "直接起诉", D(2024, 5, 1), "其他"],
        [6, "未经复议直接起诉", D(2024, 6, 1), "尚未审结"],
        [7, "复议后起诉", D(2024, 7, 1), "撤销"],
        [8, "复议后起诉", D(2024, 7, 1), "审理中"],
        [9, "复议后起诉", D(2023, 7, 1), "维持"],  # 2023: not counted
        [10, "行政诉讼", D(2024, 7, 1), "维持"],  # ambiguous
        [11, "行政复议", D(2024, 7, 1), "不知道"],  # unknown result
    ]})
    res = build(ws)
    assert res["table4"] == {
        "行政复议": {"结果维持": 2, "结果纠正": 1, "其他结果": 0, "尚未审结": 1, "总计": 4},
        "未经复议直接起诉": {"结果维持": 0, "结果纠正": 0, "其他结果": 1, "尚未审结": 1, "总计": 2},
        "复议后起诉": {"结果维持": 0, "结果纠正": 1, "其他结果": 0, "尚未审结": 1, "总计": 2},
    }
    errs = {p["row"]: p for p in problems(res)}
    assert sorted(errs) == [11, 12]
    assert errs[11]["column"] == "B" and "直接起诉" in errs[11]["message"] and "复议后起诉" in errs[11]["message"]
    assert errs[12]["column"] == "D" and "“不知道”无法识别" in errs[12]["message"]
    assert res["rows"] == {"read": 11, "counted": 8, "other_year": 1, "error": 2, "skipped": 0}


# ---- inputs as a whole -------------------------------------------------------------------------------

def test_other_registers_in_the_folder_are_ignored_and_nothing_found_is_a_warning(ws):
    write_xlsx(ws / "workbooks" / "报送台账.xlsx", {"10月": [
        ["单位", "信息标题", "报送日期", "类别", "采用情况"],
        ["城关镇", "城关镇推进秋粮收购", D(2024, 10, 3), "动态", "市采用"],
    ]})
    res = build(ws)
    assert res["registers"] == []
    assert res["rows"]["read"] == 0
    assert any("没有找到政府信息公开登记表" in p["message"] for p in problems(res, "warning"))
    assert all(v == 0 for r in res["table3"] for v in r["values"].values())
    assert disclosure_exit_code(res) == 0


def test_unreadable_register_does_not_lose_the_others(ws):
    application_register(ws / "workbooks" / "申请.xlsx")
    (ws / "workbooks" / "坏文件.xlsx").write_bytes(b"PK\x03\x04 this is not a workbook")
    res = build(ws)
    assert len(res["unreadable"]) == 1 and res["unreadable"][0].endswith("坏文件.xlsx")
    assert any("坏文件.xlsx" in (p["file"] or "") for p in problems(res))
    assert t3(res)[NEW]["总计"] == 23
    assert disclosure_exit_code(res) == 4


def test_missing_config_uses_a_default_name_with_a_warning(tmp_path):
    (tmp_path / "workbooks").mkdir()
    res = build_disclosure(2024, [tmp_path / "workbooks"], config=tmp_path / "govxl.xlsx")
    assert res["organ"] == "本机关"
    assert any("找不到配置文件" in p["message"] for p in problems(res, "warning"))


def test_settings_sheet_only_and_bad_config(tmp_path):
    cfg = write_settings(tmp_path / "govxl.xlsx", {"机关名称": "XX县自然资源局", "上年现行有效行政规范性文件件数": 7})
    s = read_settings(cfg)
    assert s["机关名称"] == "XX县自然资源局" and s["上年现行有效行政规范性文件件数"] == 7
    write_xlsx(tmp_path / "nosettings.xlsx", {"单位名册": [["单位名称"], ["城关镇"]]})
    with pytest.raises(ConfigError, match="没有“设置”工作表"):
        read_settings(tmp_path / "nosettings.xlsx")
    (tmp_path / "broken.xlsx").write_bytes(b"not a workbook at all")
    with pytest.raises(ConfigError, match="无法读取"):
        read_settings(tmp_path / "broken.xlsx")
    (tmp_path / "workbooks").mkdir()
    res = build_disclosure(2024, [tmp_path / "workbooks"], config=cfg)
    assert res["organ"] == "XX县自然资源局"
    assert t2(res)["行政规范性文件"]["现行有效件数"] == 7
    assert res["title"] == "XX县自然资源局2024年政府信息公开工作年度报告"


def test_bad_year_is_a_usage_error(ws):
    from govxl.errors import UsageError

    with pytest.raises(UsageError):
        build(ws, year=24)


# ---- --check FILE --------------------------------------------------------------------------------------

def written_table(ws, tmp_name="out") -> Path:
    """A correct table: built from the registers of these tests and written by govxl."""
    application_register(ws / "workbooks" / "依申请公开登记.xlsx")
    proactive_register(ws / "workbooks" / "主动公开.xlsx")
    res = build(ws)
    paths = write_disclosure(res, ws / tmp_name)
    return next(p for p in paths if p.suffix == ".xlsx")


def find_row(sheet, label) -> int:
    for row in sheet.iter_rows():
        for cell in row[:3]:
            if cell.value == label:
                return cell.row
    raise AssertionError(label)


COL_LETTER = dict(zip(COLS, "DEFGHIJ"))


def edit(path: Path, changes) -> Path:
    """changes: [(sheet, label or None, column letter or cell ref, value)]"""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    for sheet, label, col, value in changes:
        ws = wb[sheet]
        ref = f"{col}{find_row(ws, label)}" if label else col
        ws[ref] = value
    wb.save(path)
    return path


def test_round_trip_written_table_passes_check(ws):
    path = written_table(ws)
    res = check_table_file(path)
    assert res["checks"] == []
    assert res["year"] == 2024
    built = build(ws)
    assert res["table3"] == built["table3"]
    assert res["table2"] == built["table2"]
    assert res["table4"] == built["table4"]
    assert disclosure_exit_code(res) == 0


def test_check_warns_when_the_file_is_of_another_year(ws):
    path = written_table(ws)
    res = check_table_file(path, year=2025)
    assert messages(res) == [f"要核对的表格 {res['file']} 看起来是2024年的，不是2025年的"]
    assert res["checks"][0]["severity"] == "warning"
    assert check_table_file(path, year=2024)["checks"] == []


def test_check_balance_only(ws):
    path = written_table(ws)
    # one more carried to next year, in 自然人 and in 总计: rows still sum, columns no longer balance
    edit(path, [("依申请公开", CARRIED_OUT, "D", 1), ("依申请公开", CARRIED_OUT, "J", 5)])
    res = check_table_file(path)
    assert messages(res) == [
        "表三“自然人”列不平衡：一（本年新收）12 + 二（上年结转）1 = 13，而三（七）总计 13 + 四（结转下年度继续办理）1"
        " = 14，两者应相等",
        "表三“总计”列不平衡：一（本年新收）23 + 二（上年结转）3 = 26，而三（七）总计 22 + 四（结转下年度继续办理）5"
        " = 27，两者应相等",
    ]
    assert disclosure_exit_code(res) == 1


def test_check_row_total_only(ws):
    path = written_table(ws)
    edit(path, [("依申请公开", "2.重复申请", "J", 3)])  # the row holds one 商业企业 application
    res = check_table_file(path)
    row_msgs = messages(res, "row_total")
    assert row_msgs == ["表三“2.重复申请”行：总计 3 ≠ 自然人与五类法人或其他组织之和 1"]
    # the 总计 column no longer sums to （七） either
    assert messages(res, "result_total") == ["表三“总计”列：（七）总计 22 ≠ （一）至（六）各项办理结果之和 24"]


def test_check_result_total_only(ws):
    path = written_table(ws)
    # （七） written two too high for 自然人 (13 by hand) and in 总计 (22 by hand): its row still sums
    edit(path, [("依申请公开", TOTAL7, "D", 15), ("依申请公开", TOTAL7, "J", 24)])
    res = check_table_file(path)
    assert messages(res, "result_total") == [
        "表三“自然人”列：（七）总计 15 ≠ （一）至（六）各项办理结果之和 13",
        "表三“总计”列：（七）总计 24 ≠ （一）至（六）各项办理结果之和 22"]
    assert len(messages(res, "balance")) == 2
    assert messages(res, "row_total") == []


def test_check_table4_total(ws):
    path = written_table(ws)
    edit(path, [("复议诉讼", None, "E6", 4), ("复议诉讼", None, "K6", 2)])  # 行政复议 总计; 复议后起诉 结果维持
    res = check_table_file(path)
    assert messages(res) == [
        "表四“行政复议”：总计 4 ≠ 结果维持、结果纠正、其他结果、尚未审结之和 0",
        "表四“复议后起诉”：总计 0 ≠ 结果维持、结果纠正、其他结果、尚未审结之和 2",
    ]


def test_check_cell_values_blank_text_negative_fraction(ws):
    path = written_table(ws)
    edit(path, [
        ("依申请公开", "3.要求提供公开出版物", "E", None),  # blank where 0 belongs
        ("依申请公开", "4.无正当理由大量反复申请", "E", "一件"),  # text
        ("主动公开", "行政处罚", "B", -1),
        ("主动公开", "行政强制", "B", 0.5),
        ("主动公开", "行政事业性收费", "B", 1.555),  # fees may have decimals
    ])
    res = check_table_file(path)
    r_blank = find_row_in(path, "依申请公开", "3.要求提供公开出版物")
    r_text = find_row_in(path, "依申请公开", "4.无正当理由大量反复申请")
    assert messages(res, "blank") == [
        f"表三“3.要求提供公开出版物”行“商业企业”列为空（“依申请公开”工作表 E{r_blank} 单元格），按0计算"]
    assert messages(res, "not_number") == [
        f"表三“4.无正当理由大量反复申请”行“商业企业”列（“依申请公开”工作表 E{r_text} 单元格）不是数字：“一件”"]
    r_pen = find_row_in(path, "主动公开", "行政处罚")
    r_force = find_row_in(path, "主动公开", "行政强制")
    assert messages(res, "negative") == [f"表二“行政处罚”的“本年处理决定数量”（“主动公开”工作表 B{r_pen} 单元格）为负数：-1"]
    assert messages(res, "not_whole") == [
        f"表二“行政强制”的“本年处理决定数量”（“主动公开”工作表 B{r_force} 单元格）应为整数（件数），实际为 0.5"]
    # a blank is a warning only; it is written as 0
    assert [c["severity"] for c in res["checks"] if c["code"] == "blank"] == ["warning"]
    got = t3(res)
    assert got["3.要求提供公开出版物"]["商业企业"] == 0
    assert t2(res)["行政事业性收费"]["本年收费金额（单位：万元）"] == 1.555
    # the text cell's row and column are not summed (no knock-on messages)
    assert messages(res, "row_total") == [] and messages(res, "result_total") == []


def find_row_in(path, sheet, label) -> int:
    import openpyxl

    return find_row(openpyxl.load_workbook(path)[sheet], label)


def test_check_only_blanks_passes_with_warnings(ws):
    path = written_table(ws)
    edit(path, [("依申请公开", "3.其他", "E", None), ("复议诉讼", None, "A6", None)])
    res = check_table_file(path)
    assert [c["code"] for c in res["checks"]] == ["blank", "blank"]
    assert disclosure_exit_code(res) == 0


def test_check_a_hand_made_table_on_one_sheet_without_merges(tmp_path):
    """Somebody else's table: one sheet, no merged cells, sub-rows written without their numbers."""
    rows = [["XX乡2024年政府信息公开工作年度报告"], ["二、主动公开政府信息情况"], ["第二十条第（一）项"],
            ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
            ["规章", 0, 0, 0], ["行政规范性文件", 1, 0, 5],
            ["第二十条第（五）项"], ["信息内容", "本年处理决定数量"], ["行政许可", 3],
            ["第二十条第（六）项"], ["信息内容", "本年处理决定数量"], ["行政处罚", 0], ["行政强制", 0],
            ["第二十条第（八）项"], ["信息内容", "本年收费金额（单位：万元）"], ["行政事业性收费", 0],
            [], ["三、收到和处理政府信息公开申请情况"],
            [None, None, None, "申请人情况"],
            [None, None, None, "自然人", "法人或其他组织", None, None, None, None, "总计"],
            [None, None, None, None, "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]]
    body = {NEW: [2, 1, 0, 0, 0, 0, 3], CARRIED_IN: [1, 0, 0, 0, 0, 0, 1],
            "（一）予以公开": [2, 0, 0, 0, 0, 0, 2], TOTAL7: [2, 1, 0, 0, 0, 0, 3], CARRIED_OUT: [1, 0, 0, 0, 0, 0, 1]}
    rows.append([NEW, None, None, *body[NEW]])
    rows.append([CARRIED_IN, None, None, *body[CARRIED_IN]])
    rows.append(["三、本年度办理结果", "（一）予以公开", None, *body["（一）予以公开"]])
    rows.append([None, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", None, 0, 0, 0, 0, 0, 0, 0])
    for group, subs in (("（三）不予公开", ["属于国家秘密", "其他法律行政法规禁止公开", "危及“三安全一稳定”", "保护第三方合法权益",
                                      "属于三类内部事务信息", "属于四类过程性信息", "属于行政执法案卷", "属于行政查询事项"]),
                        ("（四）无法提供", ["本机关不掌握相关政府信息", "没有现成信息需要另行制作", "补正后申请内容仍不明确"]),
                        ("（五）不予处理", ["信访举报投诉类申请", "重复申请", "要求提供公开出版物", "无正当理由大量反复申请",
                                      "要求行政机关确认或重新出具已获取信息"]),
                        ("（六）其他处理", ["申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
                                      "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "其他"])):
        for k, sub in enumerate(subs):
            values = [0] * 7
            if sub == "重复申请":
                values = [0, 1, 0, 0, 0, 0, 1]
            rows.append([None, group if k == 0 else None, sub, *values])
    rows.append([None, TOTAL7, None, *body[TOTAL7]])
    rows.append([CARRIED_OUT, None, None, *body[CARRIED_OUT]])
    rows += [[], ["四、政府信息公开行政复议、行政诉讼情况"],
             ["行政复议", None, None, None, None, "行政诉讼"],
             [None, None, None, None, None, "未经复议直接起诉", None, None, None, None, "复议后起诉"],
             ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3,
             [1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]]
    path = write_xlsx(tmp_path / "乡报告.xlsx", {"年报": rows})
    res = check_table_file(path)
    assert res["checks"] == []
    got = t3(res)
    assert got["2.重复申请"] == {**zeros(), "商业企业": 1, "总计": 1}
    assert got[NEW]["总计"] == 3
    assert res["table4"]["行政复议"]["结果维持"] == 1
    assert res["table4"]["未经复议直接起诉"]["尚未审结"] == 1
    assert t2(res)["行政许可"] == {"本年处理决定数量": 3}
    assert res["year"] == 2024


def test_check_missing_tables_and_rows(tmp_path):
    path = write_xlsx(tmp_path / "残表.xlsx", {"表": [
        ["第二十条第（一）项"],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", 0, 0, 0],
        [None, None, None, "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"],
        [NEW, None, None, 1, 0, 0, 0, 0, 0, 1],
    ]})
    res = check_table_file(path)
    missing = messages(res, "missing")
    assert "表二缺少“行政规范性文件”的“本年制发件数”" in missing
    assert "表二缺少“行政许可”的“本年处理决定数量”" in missing
    assert f"表三缺少“{CARRIED_IN}”行" in missing
    assert "表三缺少“2.重复申请”行（在“（五）不予处理”下）" in missing
    assert "没有找到表四（四、政府信息公开行政复议、行政诉讼情况）" in missing
    assert disclosure_exit_code(res) == 1


def test_check_a_file_that_is_not_a_table(tmp_path):
    path = write_xlsx(tmp_path / "随便.xlsx", {"Sheet": [["hello"]]})
    res = check_table_file(path)
    assert sorted(messages(res, "missing")) == sorted([
        "没有找到表二（二、主动公开政府信息情况）",
        "没有找到表三（三、收到和处理政府信息公开申请情况），表头应有“自然人”、“商业企业”、“科研机构”、“社会公益组织”、"
        "“法律服务机构”、“其他”、“总计”列",
        "没有找到表四（四、政府信息公开行政复议、行政诉讼情况）"])


# ---- --previous FILE ----------------------------------------------------------------------------------

def two_years(ws):
    """Registers spanning 2023 and 2024; the 2023 table is built and written first."""
    application_register(ws / "workbooks" / "依申请公开登记.xlsx")
    proactive_register(ws / "workbooks" / "主动公开.xlsx")
    res23 = build(ws, year=2023)
    prev = next(p for p in write_disclosure(res23, ws / "out") if p.suffix == ".xlsx")
    return res23, prev


def test_previous_year_continuity_passes(ws):
    res23, prev = two_years(ws)
    got23 = t3(res23)
    # 2023 by hand: received rows 1, 2, 3, 7 (3 concluded in 2023) → 四 = rows 1, 2, 7
    assert got23[NEW] == {**zeros(), "自然人": 2, "商业企业": 1, "社会公益组织": 1, "总计": 4}
    assert got23[CARRIED_OUT] == {**zeros(), "自然人": 1, "商业企业": 1, "社会公益组织": 1, "总计": 3}
    assert got23["（二）部分公开（区分处理的，只计这一情形，不计其他情形）"]["自然人"] == 1
    res = build(ws, previous=prev)
    assert res["checks"] == []
    assert t3(res)[CARRIED_IN] == got23[CARRIED_OUT]
    assert check_table_file(next((ws / "out" / "2023").glob("*.xlsx")))["checks"] == []


def test_previous_year_mismatch_is_an_error_and_in_force_a_warning(ws):
    _res23, prev = two_years(ws)
    # last year's table said 2 自然人 applications carried over, and 20 规章 in force
    edit(prev, [("依申请公开", CARRIED_OUT, "D", 2), ("依申请公开", CARRIED_OUT, "J", 4),
                ("依申请公开", NEW, "D", 3), ("依申请公开", NEW, "J", 5),
                ("主动公开", "规章", "D", 20)])
    res = build(ws, previous=prev)
    assert messages(res, "carried_over") == [
        f"表三“自然人”列：本年“{CARRIED_IN}”为 1，上年表“{CARRIED_OUT}”为 2，两者应相等",
        f"表三“总计”列：本年“{CARRIED_IN}”为 3，上年表“{CARRIED_OUT}”为 4，两者应相等"]
    # 设置 says 10 规章 last year, last year's table 20: this year's 11 ≠ 20 + 2 − 1
    assert messages(res, "in_force") == [
        "表二“规章”：现行有效件数 11 ≠ 上年现行有效 20 + 本年制发 2 − 本年废止 1 = 21（如有修改、清理等情况请核实）"]
    assert [c["severity"] for c in res["checks"] if c["code"] == "in_force"] == ["warning"]
    assert disclosure_exit_code(res) == 1


def test_previous_table_gives_the_in_force_base_when_settings_do_not(ws):
    write_settings(ws / "govxl.xlsx", {"机关名称": "XX县人民政府办公室"})
    _res23, prev = two_years(ws)
    edit(prev, [("主动公开", "规章", "D", 8)])
    res = build(ws, previous=prev)
    assert res["in_force_base"]["规章"] == {"value": 8, "source": "上年表格"}
    assert t2(res)["规章"]["现行有效件数"] == 9
    assert messages(res, "in_force") == []


def test_check_file_with_previous(ws):
    _res23, prev = two_years(ws)
    res24 = build(ws, previous=prev)
    this = next(p for p in write_disclosure(res24, ws / "out") if p.suffix == ".xlsx")
    assert check_table_file(this, previous=prev)["checks"] == []
    edit(this, [("依申请公开", CARRIED_IN, "E", 0), ("依申请公开", CARRIED_IN, "J", 2),
                ("依申请公开", NEW, "E", 4), ("依申请公开", NEW, "J", 24)])
    res = check_table_file(this, previous=prev)
    assert messages(res, "carried_over") == [
        f"表三“商业企业”列：本年“{CARRIED_IN}”为 0，上年表“{CARRIED_OUT}”为 1，两者应相等",
        f"表三“总计”列：本年“{CARRIED_IN}”为 2，上年表“{CARRIED_OUT}”为 3，两者应相等"]
    assert messages(res, "balance") == []


def test_previous_file_without_table3(ws, tmp_path):
    bad = write_xlsx(tmp_path / "上年.xlsx", {"Sheet": [["2023年"], ["没有表格"]]})
    res = build(ws, previous=bad)
    assert any("没有找到表三" in m for m in messages(res, "previous"))
    assert disclosure_exit_code(res) == 1


# ---- a property across years ------------------------------------------------------------------------

def test_random_registers_add_up_and_carry_over_year_to_year(tmp_path):
    """For any register, every year's table passes its checks and 二 of year Y equals 四 of year Y−1."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    results = [short for short, _a, _l in SHORT_FORMS]
    day = st.dates(min_value=D(2021, 6, 1), max_value=D(2025, 6, 30))
    application = st.tuples(day, st.sampled_from(sorted(APPLICANT_OF)), st.sampled_from(results),
                            st.one_of(st.none(), st.integers(0, 500)))
    counter = iter(range(10**6))

    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(application, max_size=25))
    def run(apps):
        folder = tmp_path / f"case{next(counter)}"
        folder.mkdir()
        lines = ["收到日期,申请人类型,办理结果,办结日期"]
        for received, applicant, result, days in apps:
            done = "" if days is None else (received + dt.timedelta(days=days)).isoformat()
            lines.append(f"{received.isoformat()},{applicant},{result},{done}")
        (folder / "申请.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
        tables = {}
        for year in (2022, 2023, 2024):
            res = build_disclosure(year, [folder], config=None)
            assert [c for c in res["checks"] if c["severity"] == "error"] == []
            assert problems(res) == []
            tables[year] = t3(res)
        for year in (2023, 2024):
            assert tables[year][CARRIED_IN] == tables[year - 1][CARRIED_OUT]
        # every application is counted once per year it was open in, by hand:
        for year in (2022, 2023, 2024):
            start, end = D(year, 1, 1), D(year, 12, 31)
            open_in_year = [a for a in apps if a[0] <= end and (a[3] is None or a[0] + dt.timedelta(days=a[3]) >= start)]
            assert tables[year][NEW]["总计"] + tables[year][CARRIED_IN]["总计"] == len(open_in_year)

    run()


def test_check_never_crashes_on_odd_cells(ws):
    """Whatever a clerk typed into the cells, --check answers with messages, never a traceback."""
    import shutil

    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    base = written_table(ws)
    odd = st.one_of(st.none(), st.integers(-5, 10**6), st.floats(allow_nan=False, allow_infinity=False),
                    st.sampled_from(["", "—", "/", "无", "十二", "12件", "Infinity", "NaN", "1e3", "=1+1", " 7 "]),
                    st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=6))
    labels = [NEW, CARRIED_IN, "1.属于国家秘密", "3.其他", TOTAL7, CARRIED_OUT]
    counter = iter(range(10**6))

    @settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.lists(st.tuples(st.sampled_from(labels), st.sampled_from("DEFGHIJ"), odd), min_size=1, max_size=6))
    def run(changes):
        path = ws / f"odd{next(counter)}.xlsx"
        shutil.copy(base, path)
        edit(path, [("依申请公开", label, col, value) for label, col, value in changes])
        res = check_table_file(path)
        assert all(c["severity"] in ("error", "warning") and c["message"] for c in res["checks"])
        assert all(isinstance(v, (int, float)) for r in res["table3"] for v in r["values"].values())

    run()


def test_more_repealed_than_in_force_is_a_failed_check(ws):
    write_settings(ws / "govxl.xlsx", {"机关名称": "XX县人民政府办公室", "上年现行有效规章件数": 0,
                                       "上年现行有效行政规范性文件件数": 1})
    write_xlsx(ws / "workbooks" / "主动公开.xlsx", {"Sheet1": [
        ["信息内容", "日期", "动作"],
        ["行政规范性文件", D(2024, 3, 1), "废止"],
        ["行政规范性文件", D(2024, 4, 1), "废止"],
    ]})
    res = build(ws)
    assert t2(res)["行政规范性文件"] == {"本年制发件数": 0, "本年废止件数": 2, "现行有效件数": -1}
    assert messages(res) == ["表二“行政规范性文件”的“现行有效件数”为负数：-1"]
    assert problems(res, "warning") == []  # both bases came from 设置
    assert disclosure_exit_code(res) == 1


def test_previous_table_with_its_own_errors_is_flagged(ws):
    _res23, prev = two_years(ws)
    edit(prev, [("依申请公开", "2.重复申请", "J", 7)])
    res = build(ws, previous=prev)
    flagged = [c for c in res["checks"] if c["code"] == "previous"]
    assert len(flagged) == 1 and flagged[0]["severity"] == "warning"
    assert "本身有 2 处不合" in flagged[0]["message"] and "--check" in flagged[0]["message"]


@pytest.mark.parametrize("merged_down", [True, False])
def test_check_reads_the_official_table4_whose_reconsideration_headers_span_two_rows(tmp_path, merged_down):
    """The published layout: 行政复议's 结果维持…总计 one header row above 行政诉讼's two blocks (issue 19.16)."""
    heads = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    values = [2, 1, 0, 1, 4, 1, 0, 0, 0, 1, 0, 1, 0, 1, 2]
    rows = [["四、政府信息公开行政复议、行政诉讼情况"],
            ["行政复议", None, None, None, None, "行政诉讼"],
            [*heads, "未经复议直接起诉", None, None, None, None, "复议后起诉"],
            [*(heads if merged_down else [None] * 5), *heads, *heads],
            values]
    merges = ["A1:O1", "A2:E2", "F2:O2", "F3:J3", "K3:O3"]
    if merged_down:
        merges += [f"{c}3:{c}4" for c in "ABCDE"]
    path = write_xlsx(tmp_path / "报告.xlsx", {"表四": rows}, merges={"表四": merges})
    res = check_table_file(path)
    assert not [m for m in messages(res) if "表四" in m], res["checks"]
    assert res["table4"] == {
        "行政复议": dict(zip(heads, values[:5])),
        "未经复议直接起诉": dict(zip(heads, values[5:10])),
        "复议后起诉": dict(zip(heads, values[10:]))}


def test_check_sums_up_blank_cells_in_one_line_per_table(ws):
    """Published tables leave zeros blank: one 提示 per table, not one per cell (issue 19.17)."""
    path = written_table(ws)
    blanks = ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.要求提供公开出版物", "4.无正当理由大量反复申请"]
    edit(path, [("依申请公开", label, col, None) for label in blanks for col in "EFG"]
         + [("主动公开", "行政处罚", "B", None)])
    res = check_table_file(path)
    said = messages(res, "blank")
    assert len(said) == 2, said
    t3_line = next(m for m in said if m.startswith("表三"))
    assert t3_line.startswith("表三有 12 个单元格为空，均按0计算（依申请公开!E")
    assert t3_line.count("依申请公开!") == 10 and "等）" in t3_line
    r_pen = find_row_in(path, "主动公开", "行政处罚")
    assert f"表二“行政处罚”的“本年处理决定数量”为空（“主动公开”工作表 B{r_pen} 单元格），按0计算" in said
    assert disclosure_exit_code(res) == 0


def _report_2019(path, *, carried_out_total=2, result_total=None):
    """A 2020 annual report on the first (2019) template: 表二's 本年新制作数量/本年新公开数量/对外公开总数量
    and a single （六）其他处理 row (issue 19.18). Its 表三 holds 5 new and 1 carried in, all from 自然人:
    3 公开, 1 其他处理, 2 carried out."""
    def t3row(label, n, sub=None):
        return [label, sub, None, n, 0, 0, 0, 0, 0, n]

    rows = [["XX县2020年政府信息公开工作年度报告"], ["二、主动公开政府信息情况"], ["第二十条第（一）项"],
            ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"],
            ["规章", 0, 0, 0], ["规范性文件", 3, 3, 12],
            ["第二十条第（五）项"], ["信息内容", "上一年项目数量", "本年增/减", "处理决定数量"], ["行政许可", 5, 1, 30],
            [], ["三、收到和处理政府信息公开申请情况"],
            [None, None, None, "申请人情况"],
            [None, None, None, "自然人", "法人或其他组织", None, None, None, None, "总计"],
            [None, None, None, None, "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"],
            t3row(NEW, 5), t3row(CARRIED_IN, 1),
            ["三、本年度办理结果", "（一）予以公开", None, 3, 0, 0, 0, 0, 0, 3],
            t3row(None, 0, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")]
    for group, subs in (("（三）不予公开", ["属于国家秘密", "其他法律行政法规禁止公开", "危及“三安全一稳定”", "保护第三方合法权益",
                                      "属于三类内部事务信息", "属于四类过程性信息", "属于行政执法案卷", "属于行政查询事项"]),
                        ("（四）无法提供", ["本机关不掌握相关政府信息", "没有现成信息需要另行制作", "补正后申请内容仍不明确"]),
                        ("（五）不予处理", ["信访举报投诉类申请", "重复申请", "要求提供公开出版物", "无正当理由大量反复申请",
                                      "要求行政机关确认或重新出具已获取信息"])):
        for k, sub in enumerate(subs):
            rows.append([None, group if k == 0 else None, sub, 0, 0, 0, 0, 0, 0, 0])
    rows.append(t3row(None, 1, "（六）其他处理"))
    rows.append(t3row(None, 4 if result_total is None else result_total, TOTAL7))
    rows.append(t3row(CARRIED_OUT, carried_out_total))
    rows += [[], ["四、政府信息公开行政复议、行政诉讼情况"],
             ["行政复议", None, None, None, None, "行政诉讼"],
             ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计", "未经复议直接起诉", None, None, None, None, "复议后起诉"],
             [None] * 5 + ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 2,
             [1, 0, 0, 0, 1] + [0] * 10]
    return write_xlsx(path, {"年报": rows})


def test_check_reads_a_report_on_the_2019_template_and_says_which_it_is(tmp_path):
    res = check_table_file(_report_2019(tmp_path / "2020年报.xlsx"))
    assert messages(res, "missing") == [] and messages(res, "unknown_row") == []
    template = messages(res, "template")
    assert len(template) == 1 and "2019年版" in template[0] and "表二的栏目与现行模板不同，未核对" in template[0]
    assert disclosure_exit_code(res) == 0
    got = t3(res)
    assert got["3.其他"] == {**zeros(), "自然人": 1, "总计": 1}
    assert got[TOTAL7]["总计"] == 4 and got[CARRIED_OUT]["总计"] == 2
    assert res["table4"]["行政复议"]["结果维持"] == 1
    # its 表三 is really judged: a wrong （七）总计 is found
    wrong = check_table_file(_report_2019(tmp_path / "错.xlsx", result_total=5))
    assert any("（七）总计 5" in m for m in messages(wrong, "result_total"))


def test_a_2019_template_report_is_a_usable_previous_year(ws, tmp_path):
    """The 2021 report checked against the 2020 one (the last on the old template): 上年结转 is compared."""
    prev = _report_2019(tmp_path / "2020年报.xlsx")
    res = build(ws, year=2021, previous=prev)
    said = messages(res, "template")
    assert len(said) == 1 and "现行有效件数不与上年衔接核对" in said[0]
    assert messages(res, "previous") == []
    # no register holds 2021's applications, so its 上年结转 (0) differs from the 2 carried out in 2020
    assert [m for m in messages(res, "carried_over") if "“总计”列" in m] == [
        f"表三“总计”列：本年“{CARRIED_IN}”为 0，上年表“{CARRIED_OUT}”为 2，两者应相等"]


def test_every_result_short_form_the_readme_lists_is_read():
    """The README lists the 办理结果 short forms a clerk may write: each reads as its own table-three row."""
    import re

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("或写“分类-情形”的简写：", 1)[1].split("写不全", 1)[0]
    forms = [f for f in re.split(r"[、。\s]+", block) if f]
    assert len(forms) == 21
    keys = [map_result(f) for f in forms]
    assert None not in keys and len(set(keys)) == len(keys), dict(zip(forms, keys))


def test_a_current_table_with_a_single_other_row_is_not_taken_for_the_2019_template(ws):
    """Only a table without the current 表二 is the old template: a current one is judged whole."""
    path = written_table(ws)
    edit(path, [("主动公开", "行政许可", "B", "abc")])
    res = check_table_file(path)
    assert messages(res, "template") == [] and messages(res, "not_number")
    assert disclosure_exit_code(res) == 1
