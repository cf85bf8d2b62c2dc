"""The notice from a Word template (issue 23 item 6): `govxl init` writes templates/notice.docx, a 红头
template in GB/T 9704 layout; `score --notice` fills it with the score's figures (the ranking table
row by row), escaped, byte-identical run after run; without it the Markdown layout is as before; a
broken template is a clear message naming the file, exit 2."""
from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.shared import Mm, Pt

from conftest import write_config, write_xlsx
from govxl.cli import main
from govxl.write.noticedata import fmt_int, fmt_percent, fmt_score, levels_text, quota_text
from govxl.write.noticetpl import NOTICE_DOCX, sample_template_bytes

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ODD_UNIT = "县东&西<局>"  # text Word's XML would choke on unless escaped
UNITS = [("城关镇", "", "乡镇", 2), ("青石镇", "", "乡镇", 2), (ODD_UNIT, "", "县直一类", 1), ("县档案馆", "", "县直二类", 1)]
D = dt.datetime
REGISTER = [
    ["2025年10月政务信息报送台账"],
    ["单位", "信息标题", "报送日期", "采用情况"],
    ["城关镇", "城关镇推进秋粮收购", D(2025, 10, 3), "市采用"],
    ["城关镇", "城关镇开展消防演练", D(2025, 10, 5), "县采用"],
    ["青石镇", "青石镇茶产业提质增效", D(2025, 10, 8), None],
    [ODD_UNIT, "东西局开展开学安全检查", D(2025, 10, 10), "省采用"],
]


def invoke(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def office(tmp_path, monkeypatch):
    """`govxl init`, then the clerk's own roster and a month of registers."""
    r = invoke("init", str(tmp_path / "ws"))
    assert r.exit_code == 0, r.output
    ws = tmp_path / "ws"
    write_config(ws / "govxl.xlsx", units=UNITS)
    write_xlsx(ws / "workbooks" / "台账.xlsx", {"10月": REGISTER})
    monkeypatch.chdir(ws)
    return ws


def score_notice(*extra, period=("--month", "2025-10")):
    r = invoke("score", *period, "--notice", "--json", *extra)
    data = json.loads(r.stdout) if r.stdout.strip() else {}
    return r, data


def docx_of(data) -> Path:
    (p,) = [Path(x) for x in data["outputs"] if x.endswith(".docx")]
    return p


def texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


def red(run) -> bool:
    return run.font.color is not None and run.font.color.type is not None and str(run.font.color.rgb) == "FF0000"


def bottom_border(paragraph):
    ppr = paragraph._p.pPr
    bdr = ppr.find(W + "pBdr") if ppr is not None else None
    return bdr.find(W + "bottom") if bdr is not None else None


# ---------------------------------------------------------------- the sample template


def test_init_writes_a_red_header_template_in_gbt_9704_layout(tmp_path):
    r = invoke("init", str(tmp_path / "a"))
    assert r.exit_code == 0, r.output
    path = tmp_path / "a" / "templates" / NOTICE_DOCX
    assert path.read_bytes() == sample_template_bytes()  # built from code, the same bytes every time
    invoke("init", str(tmp_path / "b"))
    assert (tmp_path / "b" / "templates" / NOTICE_DOCX).read_bytes() == path.read_bytes()

    d = docx.Document(str(path))
    sec = d.sections[0]
    mm = lambda emu: round(emu / 36000)  # EMU; stored in twips, so not exact
    assert (mm(sec.page_width), mm(sec.page_height)) == (210, 297)
    # 天头 37, 订口 28, 版心 156 × 225 mm
    assert (mm(sec.top_margin), mm(sec.left_margin)) == (37, 28)
    assert (mm(sec.page_width - sec.left_margin - sec.right_margin),
            mm(sec.page_height - sec.top_margin - sec.bottom_margin)) == (156, 225)
    paras = d.paragraphs
    organs = [p for p in paras if p.text == "{{ office }}文件"]
    assert len(organs) == 2  # a 下行文's 版头 and an 上行文's (with 签发人), chosen by {%p if signer %}
    for p in organs:
        assert all(red(run) for run in p.runs)
        assert p.paragraph_format.space_before > Mm(30)  # 35 mm below the top of the text block
        east_asia = p.runs[0]._r.rPr.rFonts.get(W + "eastAsia")
        assert east_asia == "方正小标宋简体"
    numbers = [p for p in paras if "{{ doc_number }}" in p.text]
    assert [("签发人" in p.text) for p in numbers] == [True, False]
    for p in numbers:  # the red line: the 文号 paragraph's bottom border, in red
        b = bottom_border(p)
        assert b is not None and b.get(W + "val") == "single" and b.get(W + "color") == "FF0000"
    title = next(p for p in paras if p.text.startswith("关于"))
    assert title.style.name == "公文标题" and title.style.font.size == Pt(22)
    assert d.styles["Normal"].font.size == Pt(16)
    body_font = d.styles["Normal"].element.rPr.rFonts.get(W + "eastAsia")
    assert body_font == "仿宋_GB2312"
    # page numbers on odd and even pages (a PAGE field each)
    assert d.settings.odd_and_even_pages_header_footer
    for footer in (sec.footer, sec.even_page_footer):
        assert "PAGE" in "".join(t.text or "" for t in footer._element.iter(W + "instrText"))
    # the ranking table: a header row, then one row per unit
    (table,) = d.tables
    assert [c.text for c in table.rows[0].cells][:3] == ["排名", "单位", "分组"]
    assert table.rows[1].cells[0].text == "{%tr for u in units %}"
    assert table.rows[2].cells[1].text == "{{ u.unit }}"


def test_init_keeps_an_edited_template_unless_forced(tmp_path):
    ws = tmp_path / "ws"
    invoke("init", str(ws))
    path = ws / "templates" / NOTICE_DOCX
    path.write_bytes(b"edited in WPS")
    (ws / "govxl.xlsx").unlink()
    invoke("init", str(ws))
    assert path.read_bytes() == b"edited in WPS"
    invoke("init", str(ws), "--force")
    assert path.read_bytes() == sample_template_bytes()


# ---------------------------------------------------------------- rendering


def test_score_notice_fills_the_word_template_with_the_figures(office):
    r, data = score_notice()
    assert r.exit_code == 0, r.output
    units = {u["unit"]: u for u in data["units"]}
    # by hand: 报送每篇 0.5; 市级 5, 县级 2, 省级 10 (the level's default row)
    assert units[ODD_UNIT]["points"] == 10.5 and units["城关镇"]["points"] == 8.0
    assert units["青石镇"]["points"] == 0.5 and units["县档案馆"]["points"] == 0.0
    d = docx.Document(str(docx_of(data)))
    body = "\n".join(texts(d))
    assert "{{" not in body and "{%" not in body
    assert "关于2025年10月政务信息报送情况的通报" in body
    assert ("纳入通报的4个单位中，有3个单位报送政务信息，共报送4篇，被各级采用3篇，其中国家级0篇、省级1篇、市级1篇、县级1篇，"
            "采用率75.0%。") in body
    assert data["totals"]["submitted"] == 4 and data["totals"]["adopted"] == 3
    assert "1个单位有报送但未完成报送任务：青石镇（任务2篇，报送1篇，差1篇）。" in body
    assert "本期共有1个单位零报送：县档案馆。" in body
    assert f"县直一类：{ODD_UNIT}（10.5分）积分位居本组前列。" in body  # escaped on the way in, intact on the page
    assert "乡镇：城关镇（8.0分）、青石镇（0.5分）积分位居本组前列。" in body
    assert "累计得分为2025年1月1日至2025年10月31日的积分" in body

    # the 红头: organ in red, 文号 with its red line, no 签发人 (a 下行文)
    organ = d.paragraphs[0]
    assert organ.text == "XX县人民政府办公室文件" and organ.runs and all(red(run) for run in organ.runs)
    number = d.paragraphs[1]
    assert number.text == "【请填写】〔2025〕【请填写】号"
    assert bottom_border(number).get(W + "color") == "FF0000"
    assert "签发人" not in body and body.count("XX县人民政府办公室文件") == 1

    # the ranking table, cell by cell against the score result
    (table,) = d.tables
    rows = [[c.text for c in row.cells] for row in table.rows]
    expect = [[str(u["rank"]), u["unit"], u["group"], fmt_int(u["submitted"]), fmt_int(u["adopted"]),
               levels_text(u["adopted_by_level"]), fmt_int(u["instructions"]), fmt_score(u["points"]),
               fmt_score(u["ytd_points"]), quota_text(u).replace("（", "\n").replace("）", "")] for u in data["units"]]
    assert rows[1:] == expect
    assert rows[1] == ["1", ODD_UNIT, "县直一类", "1", "1", "省1", "0", "10.5", "10.5", "完成"]
    assert rows[2] == ["2", "城关镇", "乡镇", "2", "2", "市1 县1", "0", "8.0", "8.0", "完成"]
    assert rows[4] == ["4", "县档案馆", "县直二类", "0", "0", "—", "0", "0.0", "0.0", "未完成\n差1篇"]
    assert table.rows[0]._tr.trPr.find(W + "tblHeader") is not None  # header repeated on every page
    assert fmt_percent(data["totals"]["adopted"] / data["totals"]["submitted"]) == "75.0%"

    core = d.core_properties
    fixed = dt.datetime(2025, 10, 31, tzinfo=dt.timezone.utc)
    assert (core.author, core.created, core.modified) == ("govxl", fixed, fixed)


def test_the_word_notice_is_byte_identical_run_after_run(office):
    _, a = score_notice("--out", "o1")
    _, b = score_notice("--out", "o2")
    pa, pb = docx_of(a), docx_of(b)
    assert pa.read_bytes() == pb.read_bytes()
    with zipfile.ZipFile(pa) as z:
        assert {i.date_time for i in z.infolist()} == {(2000, 1, 1, 0, 0, 0)}


def test_signer_and_office_code_from_settings_make_an_upward_header(office):
    write_config(office / "govxl.xlsx", units=UNITS, settings={"发文机关代字": "X政办", "签发人": "张三"})
    r, data = score_notice()
    assert r.exit_code == 0, r.output
    d = docx.Document(str(docx_of(data)))
    assert [p.text for p in d.paragraphs[:2]] == ["XX县人民政府办公室文件", "X政办〔2025〕【请填写】号\t签发人：张三"]
    assert bottom_border(d.paragraphs[1]).get(W + "color") == "FF0000"


def test_without_the_word_template_the_markdown_layout_is_used(office):
    _, with_tpl = score_notice("--out", "a")
    (office / "templates" / NOTICE_DOCX).unlink()
    r, without = score_notice("--out", "b")
    assert r.exit_code == 0, r.output
    md_a = next(Path(p) for p in with_tpl["outputs"] if p.endswith(".md"))
    md_b = next(Path(p) for p in without["outputs"] if p.endswith(".md"))
    assert md_a.read_bytes() == md_b.read_bytes()  # the .md always comes from notice.md.j2
    d = docx.Document(str(docx_of(without)))
    first = d.paragraphs[0]
    assert first.text == "XX县人民政府办公室" and first.style.name == "公文标题"
    assert not any(red(run) for p in d.paragraphs for run in p.runs)
    assert "关于2025年10月政务信息报送情况的通报" in texts(d)
    assert docx_of(without).read_bytes() != docx_of(with_tpl).read_bytes()


def test_an_alert_is_said_even_by_a_template_that_has_no_place_for_it(office):
    mini = docx.Document()
    mini.add_paragraph("{{ office }}关于{{ period.title }}的通报")
    mini.save(str(office / "templates" / NOTICE_DOCX))
    r, data = score_notice(period=("--month", "2025-12"))  # the registers end in October
    assert r.exit_code == 1 and data["alerts"]
    d = docx.Document(str(docx_of(data)))
    assert d.paragraphs[0].text == f"【注意：{data['alerts'][0]}】" and red(d.paragraphs[0].runs[0])
    assert d.paragraphs[-1].text == "XX县人民政府办公室关于2025年12月的通报"


def _template_with(office: Path, text: str):
    """The sample template with one more paragraph, as a clerk would type it in Word."""
    path = office / "templates" / NOTICE_DOCX
    d = docx.Document(str(path))
    d.paragraphs[5].insert_paragraph_before(text)
    d.save(str(path))


@pytest.mark.parametrize("text,said", [
    ("本期共报送{{ totals.submitted 篇", ["notice.docx", "占位符写法有误", "本期共报送{{ totals.submitted 篇", "没有成对"]),
    ("本期{{ 报送总数 }}篇", ["notice.docx", "不存在的占位符“报送总数”", "正文"]),
    ("本期{{ totals.submited }}篇", ["notice.docx", "不存在的占位符“submited”"]),
    ("{% for u in units %}{{ u.unit }}", ["notice.docx", "占位符写法有误", "没有正确结束"]),
    ("{{ totals.points|round2 }}", ["notice.docx", "没有名为“round2”的过滤器"]),
])
def test_a_broken_template_is_a_clear_message_and_exit_2(office, text, said):
    _template_with(office, text)
    r = invoke("score", "--month", "2025-10", "--notice")
    assert r.exit_code == 2, r.output
    for s in said:
        assert s in r.stderr, (s, r.stderr)
    assert "Traceback" not in r.output and "Traceback" not in r.stderr
    assert not list((office / "out").rglob("*.docx"))  # no notice half made


def test_a_file_that_is_not_a_docx_is_a_clear_message(office):
    (office / "templates" / NOTICE_DOCX).write_bytes(b"PK\x03\x04 not really a zip")
    r = invoke("score", "--month", "2025-10", "--notice")
    assert r.exit_code == 2
    assert "notice.docx" in r.stderr and "不是有效的 .docx" in r.stderr and "Traceback" not in r.stderr
