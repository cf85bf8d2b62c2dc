"""govxl disclosure outputs: the .xlsx re-opened with openpyxl and the .docx with python-docx, cell by cell."""
from __future__ import annotations


import pytest

from conftest import write_xlsx
from govxl.disclosure import build_disclosure, check_table_file, write_disclosure
from govxl.errors import OutputLocked
from test_disclosure import (CARRIED_IN, CARRIED_OUT, NEW, RESULT_LABELS, TOTAL7, application_register,
                             proactive_register, write_settings)

ORGAN = "XX县人民政府办公室"
STEM = f"{ORGAN}2024年政府信息公开工作年度报告（表格）"


@pytest.fixture
def built(tmp_path):
    (tmp_path / "workbooks").mkdir()
    write_settings(tmp_path / "govxl.xlsx", {"机关名称": ORGAN, "上年现行有效规章件数": 10})
    application_register(tmp_path / "workbooks" / "依申请公开登记.xlsx")
    proactive_register(tmp_path / "workbooks" / "主动公开.xlsx")
    write_xlsx(tmp_path / "workbooks" / "复议诉讼.xlsx", {"案件": [
        ["类型", "结果"], ["行政复议", "维持"], ["行政复议", "纠正"], ["直接起诉", None], ["复议后起诉", "其他"]]})
    res = build_disclosure(2024, [tmp_path / "workbooks"], config=tmp_path / "govxl.xlsx")
    return tmp_path, res


def test_file_names_and_outputs(built):
    ws, res = built
    paths = write_disclosure(res, ws / "out")
    assert [p.name for p in paths] == [f"{STEM}.xlsx", f"{STEM}.docx"]
    assert all(p.parent == ws / "out" / "2024" and p.exists() for p in paths)
    assert len(res["outputs"]) == 2 and res["outputs"][0].endswith(f"{STEM}.xlsx")
    # no temporary files left behind
    assert sorted(p.name for p in (ws / "out" / "2024").iterdir()) == sorted(p.name for p in paths)


def _cell_of(sheet, label):
    for row in sheet.iter_rows():
        for cell in row[:3]:
            if cell.value == label:
                return cell
    raise AssertionError(label)


def test_xlsx_table3_layout_values_and_merges(built):
    import openpyxl

    ws, res = built
    xlsx = write_disclosure(res, ws / "out")[0]
    wb = openpyxl.load_workbook(xlsx)
    assert wb.sheetnames == ["主动公开", "依申请公开", "复议诉讼", "核对结果"]
    sh = wb["依申请公开"]
    assert sh["A1"].value == f"{ORGAN}2024年政府信息公开工作年度报告"
    assert sh["A2"].value == "三、收到和处理政府信息公开申请情况"
    assert sh["A3"].value == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert [sh.cell(3, 4).value, sh.cell(4, 4).value, sh.cell(4, 5).value, sh.cell(4, 10).value] == \
        ["申请人情况", "自然人", "法人或其他组织", "总计"]
    assert [sh.cell(5, c).value for c in range(5, 10)] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    # row labels in print order: A for 一/二/四, B for （一）（二）（七）, C for sub-rows
    assert sh["A6"].value == NEW and sh["A7"].value == CARRIED_IN
    assert sh["A8"].value == "三、本年度办理结果"
    assert sh["B8"].value == "（一）予以公开"
    assert sh["B9"].value == "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    assert sh["B10"].value == "（三）不予公开" and sh["C10"].value == "1.属于国家秘密"
    assert [sh.cell(r, 3).value for r in range(10, 18)] == RESULT_LABELS[2:10]
    assert sh["B18"].value == "（四）无法提供" and sh["B21"].value == "（五）不予处理" and sh["B26"].value == "（六）其他处理"
    assert [sh.cell(r, 3).value for r in range(18, 29)] == RESULT_LABELS[10:]
    assert sh["B29"].value == TOTAL7 and sh["A30"].value == CARRIED_OUT
    merged = {str(m) for m in sh.merged_cells.ranges}
    for rng in ("A1:J1", "A3:C5", "D3:J3", "D4:D5", "E4:I4", "J4:J5", "A6:C6", "A7:C7", "A8:A29", "B8:C8",
                "B9:C9", "B10:B17", "B18:B20", "B21:B25", "B26:B28", "B29:C29", "A30:C30"):
        assert rng in merged, rng
    # values: numbers, every cell filled (no blanks), matching the result
    expected = {r["label"]: r["values"] for r in res["table3"]}
    for label, values in expected.items():
        row = _cell_of(sh, label).row
        got = [sh.cell(row, c).value for c in range(4, 11)]
        assert got == list(values.values()), label
        assert all(isinstance(v, int) for v in got)
    assert sh.cell(6, 10).value == 23 and sh.cell(30, 10).value == 4
    # print settings: A4 portrait, one page wide
    assert sh.page_setup.paperSize == 9
    assert sh.page_setup.orientation == "portrait"
    assert sh.sheet_properties.pageSetUpPr.fitToPage
    # fitToWidth is left out of the file when it is 1, the OOXML default
    assert sh.page_setup.fitToWidth in (None, 1) and sh.page_setup.fitToHeight == 0
    assert sh.print_area == "'依申请公开'!$A$1:$J$30"
    # borders on the table cells
    assert sh["D6"].border.left.style == "thin" and sh["C12"].border.bottom.style == "thin"


def test_xlsx_table2_and_table4(built):
    import openpyxl

    ws, res = built
    xlsx = write_disclosure(res, ws / "out")[0]
    wb = openpyxl.load_workbook(xlsx)
    sh = wb["主动公开"]
    col_a = [sh.cell(r, 1).value for r in range(3, sh.max_row + 1)]
    assert col_a == ["第二十条第（一）项", "信息内容", "规章", "行政规范性文件",
                     "第二十条第（五）项", "信息内容", "行政许可",
                     "第二十条第（六）项", "信息内容", "行政处罚", "行政强制",
                     "第二十条第（八）项", "信息内容", "行政事业性收费"]
    assert [sh.cell(4, c).value for c in range(2, 5)] == ["本年制发件数", "本年废止件数", "现行有效件数"]
    assert [sh.cell(5, c).value for c in range(2, 5)] == [2, 1, 11]
    assert [sh.cell(6, c).value for c in range(2, 5)] == [3, 0, 6]
    assert sh["B8"].value == "本年处理决定数量" and sh["B9"].value == 6
    assert sh["B15"].value == "本年收费金额（单位：万元）" and sh["B16"].value == 1.55
    merged = {str(m) for m in sh.merged_cells.ranges}
    assert {"A3:D3", "A7:D7", "B8:D8", "B9:D9", "B15:D15", "B16:D16"} <= merged
    assert sh.page_setup.paperSize == 9 and sh.page_setup.orientation == "portrait"

    sh = wb["复议诉讼"]
    assert sh["A3"].value == "行政复议" and sh["F3"].value == "行政诉讼"
    assert sh["F4"].value == "未经复议直接起诉" and sh["K4"].value == "复议后起诉"
    assert [sh.cell(5, c).value for c in range(1, 16)] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3
    assert [sh.cell(6, c).value for c in range(1, 16)] == [1, 1, 0, 0, 2, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1]
    merged = {str(m) for m in sh.merged_cells.ranges}
    assert {"A3:E4", "F3:O3", "F4:J4", "K4:O4"} <= merged
    assert sh.page_setup.paperSize == 9 and sh.page_setup.orientation == "landscape"
    assert sh.sheet_properties.pageSetUpPr.fitToPage and sh.page_setup.fitToHeight == 0

    sh = wb["核对结果"]
    texts = [c.value for row in sh.iter_rows() for c in row if isinstance(c.value, str)]
    assert "通过" in texts
    assert any(t.startswith("登记表数据行：共读取 47 行，计入 40 行，不属本年度 6 行，错误 0 行，空行/合计行 1 行") for t in texts)


def test_check_sheet_lists_failed_checks_and_problems(tmp_path):
    import openpyxl

    (tmp_path / "workbooks").mkdir()
    write_xlsx(tmp_path / "workbooks" / "申请.xlsx", {"登记": [
        ["收到日期", "申请人类型", "办理结果", "办结日期"], ["2024-02-01", "外国人", "予以公开", "2024-02-03"]]})
    res = build_disclosure(2024, [tmp_path / "workbooks"], config=None)
    res["checks"].append({"severity": "error", "code": "balance", "message": "表三“自然人”列不平衡：测试"})
    xlsx = write_disclosure(res, tmp_path / "out")[0]
    sh = openpyxl.load_workbook(xlsx)["核对结果"]
    rows = [[c.value for c in row] for row in sh.iter_rows()]
    assert ["1", "错误", "表三“自然人”列不平衡：测试"] in rows
    assert any(r[1] == "错误" and r[2] and "申请.xlsx › 登记 › 第2行 › B列：申请人类型“外国人”无法识别" in r[2] for r in rows)
    assert xlsx.name == "本机关2024年政府信息公开工作年度报告（表格）.xlsx"


def test_round_trip_written_xlsx_passes_check(built):
    ws, res = built
    xlsx = write_disclosure(res, ws / "out")[0]
    back = check_table_file(xlsx)
    assert back["checks"] == []
    assert back["table2"] == res["table2"] and back["table3"] == res["table3"] and back["table4"] == res["table4"]


def test_outputs_are_deterministic_and_not_read_back_as_registers(built):
    ws, res = built
    a = [p.read_bytes() for p in write_disclosure(res, ws / "out1")]
    b = [p.read_bytes() for p in write_disclosure(res, ws / "out2")]
    assert a == b
    # an output left in the registers folder is recognised and skipped, not double counted
    write_disclosure(res, ws / "workbooks" / "out")
    again = build_disclosure(2024, [ws / "workbooks"], config=ws / "govxl.xlsx")
    assert again["table2"] == res["table2"] and again["table3"] == res["table3"]
    assert any("govxl 生成的年度报告表格" in p["message"] for p in again["problems"])


def test_organ_name_is_text_and_safe_in_file_name(tmp_path):
    import openpyxl

    (tmp_path / "workbooks").mkdir()
    write_xlsx(tmp_path / "govxl.xlsx", {"设置": [["项目", "值"], ["机关名称", "=XX县/财政局"]]}, formulas=False)
    res = build_disclosure(2024, [tmp_path / "workbooks"], config=tmp_path / "govxl.xlsx")
    xlsx, docx = write_disclosure(res, tmp_path / "out")
    assert xlsx.name == "=XX县_财政局2024年政府信息公开工作年度报告（表格）.xlsx"
    sh = openpyxl.load_workbook(xlsx)["主动公开"]
    assert sh["A1"].value == "=XX县/财政局2024年政府信息公开工作年度报告"
    assert sh["A1"].data_type == "s"


def test_locked_output_is_not_overwritten(built):
    ws, res = built
    xlsx, docx = write_disclosure(res, ws / "out")
    before = docx.read_bytes()
    (xlsx.parent / ("~$" + xlsx.name)).write_bytes(b"lock")
    res["table4"]["行政复议"]["结果维持"] = 99
    with pytest.raises(OutputLocked, match="正在被 Excel/WPS 打开"):
        write_disclosure(res, ws / "out")
    assert docx.read_bytes() == before  # neither file was touched


def test_docx_skeleton_and_tables(built):
    import docx

    ws, res = built
    path = write_disclosure(res, ws / "out")[1]
    d = docx.Document(str(path))
    sec = d.sections[0]
    assert round(sec.page_width.cm, 1) == 21.0 and round(sec.page_height.cm, 1) == 29.7
    texts = [p.text for p in d.paragraphs]
    assert texts[0] == f"{ORGAN}2024年政府信息公开工作年度报告"
    headings = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    positions = [texts.index(h) for h in headings]
    assert positions == sorted(positions)
    assert "2024年1月1日至2024年12月31日" in texts[1]
    assert len(d.tables) == 3
    # tables follow their headings: 二, 三, 四
    body = d.element.body
    order = [el.tag.split("}")[1] + ":" + ("".join(el.itertext())[:12] if el.tag.endswith("p") else "")
             for el in body.iterchildren()]
    idx = {h: next(i for i, o in enumerate(order) if o.startswith("p:" + h[:12])) for h in headings}
    tbls = [i for i, o in enumerate(order) if o.startswith("tbl")]
    assert idx[headings[1]] < tbls[0] < idx[headings[2]] < tbls[1] < idx[headings[3]] < tbls[2] < idx[headings[4]]

    t2, t3, t4 = d.tables
    assert t2.cell(0, 0).text == "第二十条第（一）项"
    assert [t2.cell(2, c).text for c in range(4)] == ["规章", "2", "1", "11"]
    assert t2.cell(13, 0).text == "行政事业性收费" and t2.cell(13, 1).text == "1.55"

    assert t3.cell(0, 0).text == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert t3.cell(3, 0).text == NEW
    assert [t3.cell(3, c).text for c in range(3, 10)] == [str(v) for v in res["table3"][0]["values"].values()]
    assert t3.cell(5, 0).text == "三、本年度办理结果" and t3.cell(5, 1).text == "（一）予以公开"
    assert t3.cell(7, 2).text == "1.属于国家秘密"
    assert t3.cell(26, 1).text == TOTAL7 and t3.cell(27, 0).text == CARRIED_OUT
    assert t3.cell(27, 9).text == "4"
    # merged: the 三 label spans the result rows
    assert t3.cell(5, 0)._tc is t3.cell(26, 0)._tc or t3.cell(26, 0).text == "三、本年度办理结果"

    assert [t4.cell(2, c).text for c in range(5)] == ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert [t4.cell(3, c).text for c in range(15)] == ["1", "1", "0", "0", "2", "0", "0", "0", "1", "1",
                                                       "0", "0", "1", "0", "1"]
    assert t4.cell(0, 5).text == "行政诉讼" and t4.cell(1, 10).text == "复议后起诉"
