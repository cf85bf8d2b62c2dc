"""The notice (通报): Markdown from the template, the Word document laid out per GB/T 9704-2012,
and every number in the text equal to the score result's."""
from __future__ import annotations

import datetime as dt
import re
import zipfile

import pytest

from govxl.errors import ConfigError, OutputLocked
from govxl.write.notice import write_notice

LEVELS = ("县级", "市级", "省级", "国家级")


def _unit(name, group, submitted, adopted, levels, points, *, instructions=0, quota=2, ytd=None, email=""):
    lv = {k: 0 for k in LEVELS}
    lv.update(levels)
    return {
        "unit": name, "group": group, "submitted": submitted, "duplicates": 0, "adopted": adopted,
        "adopted_by_level": lv, "instructions": instructions, "points": points,
        "adoption_rate": adopted / submitted if submitted else 0.0, "quota": quota,
        "quota_met": submitted >= quota, "shortfall": max(0, quota - submitted),
        "ytd_submitted": submitted * 10, "ytd_adopted": adopted * 10,
        "ytd_points": ytd if ytd is not None else points * 10, "contact": "", "email": email,
    }


def make_result() -> dict:
    """A hand-built score result: three groups, ties, a unit under quota, two 零报送 units."""
    units = [
        _unit("城关镇", "乡镇", 6, 3, {"县级": 2, "市级": 1}, 21.5, instructions=1, ytd=130.5),
        _unit("县发展和改革局", "县直一类", 4, 2, {"县级": 1, "省级": 1}, 14.0),
        _unit("河口镇", "乡镇", 3, 2, {"县级": 2}, 5.5),
        _unit("石桥镇", "乡镇", 3, 1, {"市级": 1}, 6.5),
        _unit("县财政局", "县直一类", 1, 1, {"市级": 1, "县级": 1}, 5.5, instructions=2),
        _unit("新华乡", "乡镇", 2, 0, {}, 1.0),
        _unit("县统计局", "县直二类", 2, 0, {}, 1.0),
        _unit("白沙镇", "乡镇", 0, 0, {}, 0.0),
        _unit("县档案馆", "县直二类", 0, 0, {}, 0.0),
    ]
    # overall and group ranks (display order already by points; ties share a rank)
    order = sorted(units, key=lambda u: -u["points"])
    for u in order:
        u["rank"] = 1 + sum(1 for v in units if v["points"] > u["points"])
        u["group_rank"] = 1 + sum(1 for v in units if v["group"] == u["group"] and v["points"] > u["points"])
        u["ytd_rank"] = u["rank"]
    by_level = {lv: sum(u["adopted_by_level"][lv] for u in units) for lv in LEVELS}
    submitted = sum(u["submitted"] for u in units)
    adopted = sum(u["adopted"] for u in units)
    return {
        "office": "XX县人民政府办公室",
        "period": {"label": "2025-10", "start": "2025-10-01", "end": "2025-10-31", "kind": "month",
                   "title": "2025年10月"},
        "groups": ["乡镇", "县直一类", "县直二类"],
        "units": order,
        "authors": [],
        "totals": {"submitted": submitted, "adopted": adopted, "points": sum(u["points"] for u in units),
                   "instructions": 3, "adoption_rate": adopted / submitted, "adopted_by_level": by_level,
                   "units": len(units), "zero_units": ["白沙镇", "县档案馆"]},
        "rows": {"read": 30, "counted": 21, "duplicate": 0, "error": 0, "skipped": 9},
        "problems": [],
        "outputs": [],
    }


BASE = "XX县人民政府办公室2025年10月政务信息报送采用情况通报"


def _paragraph_texts(doc) -> list[str]:
    return [p.text for p in doc.paragraphs]


def _section_text(md: str, start: str, end: str) -> str:
    return md[md.index(start):md.index(end)]


def test_writes_md_and_docx_with_numbers_from_the_result(tmp_path):
    result = make_result()
    paths = write_notice(result, tmp_path)
    assert [p.name for p in paths] == [f"{BASE}.md", f"{BASE}.docx"]
    md = paths[0].read_text(encoding="utf-8")
    t = result["totals"]

    basic = _section_text(md, "## 一、基本情况", "## 二、存在问题")
    assert re.search(r"纳入通报的(\d+)个单位", basic).group(1) == str(len(result["units"]))
    assert re.search(r"有(\d+)个单位报送政务信息", basic).group(1) == "7"
    assert int(re.search(r"共报送(\d+)篇", basic).group(1)) == t["submitted"] == 21
    assert int(re.search(r"被各级采用(\d+)篇", basic).group(1)) == t["adopted"] == 9
    m = re.search(r"其中国家级(\d+)篇、省级(\d+)篇、市级(\d+)篇、县级(\d+)篇", basic)
    assert [int(x) for x in m.groups()] == [t["adopted_by_level"][lv] for lv in ("国家级", "省级", "市级", "县级")]
    assert [int(x) for x in m.groups()] == [0, 1, 3, 6]
    # 1 + 3 + 6 = 10 > 9 adopted items: the text says items adopted at several levels count at each
    assert "在各级分别计数" in basic
    rate = float(re.search(r"采用率([\d.]+)%", basic).group(1))
    assert rate == round(t["adoption_rate"] * 100, 1) == 42.9
    assert re.search(r"获领导批示(\d+)次", basic).group(1) == str(t["instructions"])

    # top units of each group, by name, with their points; nobody outside the top three
    top = _section_text(md, "### （一）", "### （二）")
    line = next(x for x in top.splitlines() if x.startswith("乡镇："))
    assert line.startswith("乡镇：城关镇（21.5分）、石桥镇（6.5分）、河口镇（5.5分）")
    assert "新华乡" not in line and "白沙镇" not in line
    assert "县直一类：县发展和改革局（14.0分）、县财政局（5.5分）" in top
    assert "县直二类：县统计局（1.0分）" in top
    assert "县档案馆" not in top  # group rank 2 but no points: not praised

    under = _section_text(md, "### （二）", "### （三）")
    assert "1个单位有报送但未完成报送任务：县财政局（任务2篇，报送1篇，差1篇）。" in under
    assert "县财政局（任务2篇，报送1篇，差1篇）" in under
    assert "新华乡" not in under and "县统计局" not in under  # 2 of 2: met

    zero = _section_text(md, "### （三）", "## 二、存在问题")
    assert "本期共有2个单位零报送：白沙镇、县档案馆。" in zero

    # the ranking table: one row per unit, in result order, values as in the result
    rows = [r for r in md.splitlines() if r.startswith("| ") and not r.startswith("| 排名")]
    assert len(rows) == len(result["units"])
    for row, u in zip(rows, result["units"]):
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[0] == str(u["rank"])
        assert cells[1] == u["unit"]
        assert cells[2] == u["group"]
        assert cells[3] == str(u["submitted"])
        assert cells[4] == str(u["adopted"])
        assert cells[6] == str(u["instructions"])
        assert cells[7] == f"{u['points']:.1f}"
        assert cells[8] == f"{u['ytd_points']:.1f}"
        assert cells[9] == ("完成" if u["quota_met"] else f"未完成<br>（差{u['shortfall']}篇）")
    assert "| 1 | 城关镇 | 乡镇 | 6 | 3 | 市1 县2 | 1 | 21.5 | 130.5 | 完成 |" in md
    assert "附件：2025年10月政务信息报送积分排名表" in md


def test_docx_layout_follows_gbt_9704(tmp_path):
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    docx_path = write_notice(make_result(), tmp_path)[1]
    doc = docx.Document(str(docx_path))

    sec = doc.sections[0]
    tol = Mm(0.1)
    assert abs(sec.page_width - Mm(210)) < tol and abs(sec.page_height - Mm(297)) < tol
    assert abs(sec.top_margin - Mm(37)) < tol
    assert abs(sec.bottom_margin - Mm(35)) < tol
    assert abs(sec.left_margin - Mm(28)) < tol
    assert abs(sec.right_margin - Mm(26)) < tol

    def east_asia(style):
        return style.element.rPr.rFonts.get(qn("w:eastAsia"))

    normal = doc.styles["Normal"]
    assert east_asia(normal) == "仿宋_GB2312"
    assert normal.font.size == Pt(16)
    assert normal.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert normal.paragraph_format.line_spacing == Pt(28)
    assert normal.paragraph_format.first_line_indent == Pt(32)
    ind = normal.element.pPr.find(qn("w:ind"))
    assert ind.get(qn("w:firstLineChars")) == "200"

    paras = doc.paragraphs
    titles = [p for p in paras if p.style.name == "公文标题"]
    assert [p.text for p in titles[:2]] == ["XX县人民政府办公室", "关于2025年10月政务信息报送情况的通报"]
    title_style = doc.styles["公文标题"]
    assert east_asia(title_style) == "方正小标宋简体"
    assert title_style.font.size == Pt(22)
    assert title_style.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER

    h1 = [p.text for p in paras if p.style.name == "一级标题"]
    assert h1 == ["一、基本情况", "二、存在问题", "三、下步要求", "附件"]
    annex = next(p for p in paras if p.text == "附件")
    assert annex.paragraph_format.page_break_before  # the ranking table starts a new page
    assert annex.paragraph_format.first_line_indent == Pt(0)  # 附件 flush left
    assert not [p for p in paras if not p.text.strip()]  # no empty filler paragraphs
    assert east_asia(doc.styles["一级标题"]) == "黑体"
    assert doc.styles["一级标题"].font.size == Pt(16)
    h2 = [p.text for p in paras if p.style.name == "二级标题"]
    assert h2 == ["（一）积分靠前的单位", "（二）未完成报送任务的单位", "（三）零报送单位"]
    assert east_asia(doc.styles["二级标题"]) == "楷体_GB2312"

    # body paragraphs inherit Normal: 仿宋 三号, 28 pt exact
    body = next(p for p in paras if p.text.startswith("2025年10月，纳入通报"))
    assert body.style.name == "Normal"
    assert "共报送21篇，被各级采用9篇，其中国家级0篇、省级1篇、市级3篇、县级6篇" in body.text
    assert "采用率42.9%" in body.text

    # 主送机关 flush left; 署名 and 成文日期 right-aligned
    addressee = next(p for p in paras if p.text == "各报送单位：")
    assert addressee.paragraph_format.first_line_indent == Pt(0)
    sig = next(p for p in paras if p.text == "XX县人民政府办公室" and p.style.name == "Normal")
    date_p = paras[paras.index(sig) + 1]
    assert date_p.text == "2025年11月【请填写】日"  # the day is the clerk's to write, visibly
    assert sig.alignment == WD_ALIGN_PARAGRAPH.RIGHT and date_p.alignment == WD_ALIGN_PARAGRAPH.RIGHT

    # footer: "— PAGE —", 宋体 4号 (14 pt), centred
    footer = sec.footer.paragraphs[0]
    assert footer.alignment == WD_ALIGN_PARAGRAPH.CENTER
    xml = footer._p.xml
    assert "PAGE" in "".join(t.text for t in footer._p.iter(qn("w:instrText")))
    assert footer._p.find(".//" + qn("w:fldChar")) is not None
    assert footer.text.startswith("— ") and footer.text.endswith(" —")
    for run in footer.runs:
        assert run.font.size == Pt(14)
        assert run._r.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
        assert run._r.rPr.rFonts.get(qn("w:ascii")) == "宋体"
    assert "w:fldChar" in xml

    # the font table names a substitute for each GB font (the fallback)
    with zipfile.ZipFile(docx_path) as z:
        fonts = z.read("word/fontTable.xml").decode("utf-8")
    assert re.search(r'w:name="方正小标宋简体">.*?<w:altName w:val="宋体"/>', fonts, re.DOTALL)
    assert re.search(r'w:name="仿宋_GB2312">.*?<w:altName w:val="仿宋"/>', fonts, re.DOTALL)


def test_docx_ranking_table_matches_the_result(tmp_path):
    import docx
    from docx.oxml.ns import qn

    result = make_result()
    doc = docx.Document(str(write_notice(result, tmp_path)[1]))
    assert len(doc.tables) == 1
    table = doc.tables[0]
    header = [c.text for c in table.rows[0].cells]
    assert header == ["排名", "单位", "分组", "报送篇数", "采用篇数", "各级采用", "批示", "得分", "累计得分", "完成情况"]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
    data = table.rows[1:]
    assert len(data) == len(result["units"])
    for row, u in zip(data, result["units"]):
        cells = [c.text.replace("\n", "") for c in row.cells]
        assert cells[0] == str(u["rank"])
        assert cells[1] == u["unit"]
        assert cells[3] == str(u["submitted"])
        assert cells[4] == str(u["adopted"])
        assert cells[7] == f"{u['points']:.1f}"
        assert cells[8] == f"{u['ytd_points']:.1f}"
        assert cells[9] == ("完成" if u["quota_met"] else f"未完成（差{u['shortfall']}篇）")
    # total width of the table = the text width (156 mm)
    widths = [int(g.get(qn("w:w"))) for g in table._tbl.tblGrid.iter(qn("w:gridCol"))]
    assert abs(sum(widths) - 156 / 25.4 * 1440) < 15


def test_output_is_deterministic_and_properties_fixed(tmp_path):
    import docx

    a = write_notice(make_result(), tmp_path / "a")
    b = write_notice(make_result(), tmp_path / "b")
    assert a[0].read_bytes() == b[0].read_bytes()
    assert a[1].read_bytes() == b[1].read_bytes()
    with zipfile.ZipFile(a[1]) as z:
        assert "docProps/thumbnail.jpeg" not in z.read("_rels/.rels").decode()
        assert {i.date_time for i in z.infolist()} == {(2000, 1, 1, 0, 0, 0)}
    cp = docx.Document(str(a[1])).core_properties
    assert cp.author == "govxl"
    assert cp.created.replace(tzinfo=None) == dt.datetime(2025, 10, 31)
    assert cp.modified.replace(tzinfo=None) == dt.datetime(2025, 10, 31)
    assert cp.title == "XX县人民政府办公室关于2025年10月政务信息报送情况的通报"
    assert cp.comments == ""


def test_no_zero_units_and_everyone_met_quota(tmp_path):
    result = make_result()
    for u in result["units"]:
        if u["submitted"] < 2:
            u["submitted"], u["quota_met"], u["shortfall"] = 2, True, 0
    result["totals"]["zero_units"] = []
    md = write_notice(result, tmp_path)[0].read_text(encoding="utf-8")
    assert "本期没有零报送单位。" in md
    assert "有报送的单位均完成了本期报送任务。" in md
    assert "补齐差额" not in md
    assert "差" not in _section_text(md, "| 排名", "注：")


def test_sign_date_and_period_title_fallback(tmp_path):
    result = make_result()
    result["period"] = {"label": "2025-Q3", "start": "2025-07-01", "end": "2025-09-30", "kind": "quarter"}
    paths = write_notice(result, tmp_path, sign_date=dt.date(2025, 10, 9))
    assert paths[0].name == "XX县人民政府办公室2025年第三季度政务信息报送采用情况通报.md"
    md = paths[0].read_text(encoding="utf-8")
    assert "# 关于2025年第三季度政务信息报送情况的通报" in md
    assert '<p align="right">2025年10月9日</p>' in md
    assert "累计得分为2025年1月1日至2025年9月30日的积分" in md


def test_workspace_template_overrides_the_default(tmp_path):
    tdir = tmp_path / "templates"
    tdir.mkdir()
    (tdir / "notice.md.j2").write_text(
        "# {{ office }}通报\n\n本期报送{{ totals.submitted }}篇，采用率{{ totals.adoption_rate | percent }}。\n\n"
        "## 一、情况\n\n{% for u in units %}{{ u.unit }}{{ u.points | score }}分；{% endfor %}\n",
        encoding="utf-8",
    )
    md_path, docx_path = write_notice(make_result(), tmp_path / "out", template_dir=tdir)
    md = md_path.read_text(encoding="utf-8")
    assert md.startswith("# XX县人民政府办公室通报\n")
    assert "本期报送21篇，采用率42.9%。" in md
    assert "城关镇21.5分；县发展和改革局14.0分；" in md
    import docx

    doc = docx.Document(str(docx_path))
    assert [p.text for p in doc.paragraphs][:2] == ["XX县人民政府办公室通报", "本期报送21篇，采用率42.9%。"]


def test_broken_template_is_a_config_error_naming_the_file(tmp_path):
    tdir = tmp_path / "templates"
    tdir.mkdir()
    (tdir / "notice.md.j2").write_text("# 标题\n\n{% for u in units %}\n没有结束\n", encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        write_notice(make_result(), tmp_path / "out", template_dir=tdir)
    assert "notice.md.j2" in e.value.message and "第" in e.value.message
    assert e.value.exit_code == 2
    (tdir / "notice.md.j2").write_text("# {{ office }}{{ totals.no_such_total }}\n", encoding="utf-8")
    with pytest.raises(ConfigError) as e:
        write_notice(make_result(), tmp_path / "out", template_dir=tdir)
    assert "no_such_total" in e.value.message
    assert not (tmp_path / "out").exists()


def test_open_document_is_not_overwritten(tmp_path):
    first = write_notice(make_result(), tmp_path)
    before = {p: p.read_bytes() for p in first}
    lock = tmp_path / ("~$" + first[1].name[2:])  # the owner file Word keeps next to an open document
    lock.write_bytes(b"owner")
    result = make_result()
    result["totals"]["submitted"] = 99
    with pytest.raises(OutputLocked) as e:
        write_notice(result, tmp_path)
    assert e.value.exit_code == 3
    assert "正在被" in e.value.message
    assert {p: p.read_bytes() for p in first} == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".govxl-")]


def test_pipe_in_unit_name_does_not_break_the_table(tmp_path):
    import docx

    result = make_result()
    result["units"][0]["unit"] = "城关|镇"
    md_path, docx_path = write_notice(result, tmp_path)
    assert "| 城关｜镇 |" in md_path.read_text(encoding="utf-8")
    table = docx.Document(str(docx_path)).tables[0]
    assert len(table.columns) == 10
    assert table.rows[1].cells[1].text == "城关｜镇"


def test_problems_section_counts_late_and_duplicate_items(tmp_path):
    result = make_result()
    md = write_notice(result, tmp_path / "a")[0].read_text(encoding="utf-8")
    problems = _section_text(md, "## 二、存在问题", "## 三、下步要求")
    assert "超过时限" not in problems and "重复" not in problems
    result["units"][0]["late"] = 2
    result["units"][3]["late"] = 1
    result["units"][1]["duplicates"] = 4
    md = write_notice(result, tmp_path / "b")[0].read_text(encoding="utf-8")
    problems = _section_text(md, "## 二、存在问题", "## 三、下步要求")
    assert "本期有3篇信息超过时限报送，有4篇信息与已报信息重复、未予计分" in problems
    result["units"][1]["duplicates"] = 0
    md = write_notice(result, tmp_path / "c")[0].read_text(encoding="utf-8")
    assert "本期有3篇信息超过时限报送。" in md


def test_every_finding_of_the_notice_is_computed_or_left_for_the_clerk(tmp_path):
    """No canned judgement (动态类、会议类稿件偏多) that no figure supports: each sentence of 存在问题 and
    下步要求 comes from the figures, or is a visible 【请填写】 for the clerk (issue 20.2)."""
    result = make_result()
    md = write_notice(result, tmp_path / "a")[0].read_text(encoding="utf-8")
    problems = _section_text(md, "## 二、存在问题", "## 三、下步要求")
    paragraphs = [p for p in problems.split("\n\n") if p.strip() and not p.startswith("#")]
    assert paragraphs == [
        "报送任务完成不平衡。本期有2个单位零报送、1个单位报送数量未达任务要求（见附件“完成情况”栏）。",
        "【请填写：本期信息质量、时效等方面的其他问题；无则删去本段】"]
    asks = _section_text(md, "## 三、下步要求", "附件：")
    assert [p for p in asks.split("\n\n") if p.strip() and not p.startswith("#")] == [
        "【请填写：下步工作要求】", "零报送和未完成任务的单位要认真分析原因，在下期报送中补齐差额。"]
    for canned in ("动态类", "会议类", "上热下冷", "重视不够", "压实工作责任"):
        assert canned not in md
    # nothing adopted above the county: said from the figures
    for u in result["units"]:
        u["adopted_by_level"]["省级"] = 0
    result["totals"]["adopted_by_level"]["省级"] = 0
    md = write_notice(result, tmp_path / "b")[0].read_text(encoding="utf-8")
    assert "本期采用的9篇信息中，没有被省级以上采用的。" in md
