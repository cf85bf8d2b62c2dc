"""The .docx of `govxl disclosure`: the report body's six section headings as a skeleton, with the tables.

Deterministic (fixed document dates, fixed zip timestamps); python-docx is imported only when a report is written.
"""
from __future__ import annotations

import io
import zipfile

from . import tables as T
from .style import FONT_BODY, FONT_HEADING, FONT_TABLE, FONT_TITLE, MARKER, fixed_time, table3_values


def docx_bytes(result: dict) -> bytes:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    doc = Document()
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Cm(21.0), Cm(29.7)
    sec.top_margin, sec.bottom_margin = Cm(3.7), Cm(3.5)
    sec.left_margin, sec.right_margin = Cm(2.8), Cm(2.6)

    normal = doc.styles["Normal"]
    normal.font.size = Pt(16)
    _style_font(normal, FONT_BODY)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = Pt(28)

    props = doc.core_properties
    props.title = result["title"]
    props.author = "govxl"
    props.last_modified_by = "govxl"
    props.comments = MARKER
    props.keywords = MARKER
    props.revision = 1
    props.created = props.modified = props.last_printed = fixed_time(result)

    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    title.paragraph_format.line_spacing = Pt(36)
    title.paragraph_format.space_after = Pt(16)
    _run(title, result["title"], FONT_TITLE, 22)

    year = result["year"]
    _body(doc, f"本报告依据《中华人民共和国政府信息公开条例》和政府信息公开工作年度报告格式的要求编制，"
               f"所列数据的统计期限为{year}年1月1日至{year}年12月31日。")
    hints = {
        0: "（请在此填写本年度政府信息公开工作的总体情况：主动公开、依申请公开、政府信息管理、平台建设、监督保障等方面。）",
        4: "（请在此填写本年度政府信息公开工作存在的主要问题及改进情况。）",
        5: "（请在此填写其他需要报告的事项，如本年度收取信息处理费的情况。）",
    }
    for n, heading in enumerate(T.SECTION_HEADINGS):
        p = doc.add_paragraph()
        p.paragraph_format.first_line_indent = Pt(32)
        p.paragraph_format.keep_with_next = True
        # table 三 is most of a page: it starts one, so it is never cut in two
        p.paragraph_format.page_break_before = (n == 2)
        _run(p, heading, FONT_HEADING, 16)
        if n in hints:
            hp = _body(doc, hints[n])
            for run in hp.runs:
                run.font.color.rgb = RGBColor(0x80, 0x80, 0x80)
        else:
            table = {1: _docx_table2, 2: _docx_table3, 3: _docx_table4}[n](doc, result)
            _keep_together(table)

    buf = io.BytesIO()
    doc.save(buf)
    return _deterministic_zip(buf.getvalue())


def _style_font(style, name):
    from docx.oxml.ns import qn

    style.font.name = name
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), name)


def _run(paragraph, text, font, size, bold=False):
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run = paragraph.add_run(text)
    run.font.name = font
    run.font.size = Pt(size)
    run.font.bold = bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    return run


def _body(doc, text):
    from docx.shared import Pt

    p = doc.add_paragraph()
    p.paragraph_format.first_line_indent = Pt(32)
    _run(p, text, FONT_BODY, 16)
    return p


def _table(doc, n_rows, widths_cm):
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm

    table = doc.add_table(rows=n_rows, cols=len(widths_cm))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for j, w in enumerate(widths_cm):
        table.columns[j].width = Cm(w)
        for cell in table.columns[j].cells:
            cell.width = Cm(w)
    # narrow cell margins so short column headers fit
    tbl_pr = table._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for side, w in (("left", 45), ("right", 45)):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(w))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tbl_pr.append(mar)
    # cells looked up once (table.cell() walks the whole table on every call)
    from docx.table import _Cell

    table.govxl_cells = [[_Cell(tc, table) for tc in tr.tc_lst] for tr in table._tbl.tr_lst]
    return table


def _keep_together(table):
    """Rows never split across pages and each row keeps with the next, so a table moves whole."""
    from docx.oxml import OxmlElement

    from docx.enum.table import WD_ROW_HEIGHT_RULE
    from docx.shared import Cm

    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    rows = table.rows
    for n, row in enumerate(rows):
        row.height = Cm(0.55)
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        tr_pr = row._tr.get_or_add_trPr()
        cant = OxmlElement("w:cantSplit")
        tr_pr.append(cant)
        if n < len(rows) - 1:
            for p in row._tr.iter(qn("w:p")):
                Paragraph(p, None).paragraph_format.keep_with_next = True


def _cell(table, r0, c0, text, *, r1=None, c1=None, size=10.5, bold=False, align="center"):
    from docx.enum.table import WD_ALIGN_VERTICAL
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    cells = table.govxl_cells  # merges are disjoint, so the corners looked up here still exist
    cell = cells[r0][c0]
    if (r1 is not None and r1 != r0) or (c1 is not None and c1 != c0):
        cell = cell.merge(cells[r1 if r1 is not None else r0][c1 if c1 is not None else c0])
    cell.vertical_alignment = WD_ALIGN_VERTICAL.CENTER
    p = cell.paragraphs[0]
    p.alignment = {"center": WD_ALIGN_PARAGRAPH.CENTER, "left": WD_ALIGN_PARAGRAPH.LEFT}[align]
    p.paragraph_format.first_line_indent = Pt(0)
    p.paragraph_format.line_spacing = 1.0
    _run(p, text, FONT_TABLE, size, bold)
    return cell


def _fmt(v) -> str:
    if isinstance(v, float) and not v.is_integer():
        return f"{v:.4f}".rstrip("0").rstrip(".")
    return str(int(v))


def _docx_table2(doc, result):
    values = {e["label"]: e["values"] for e in result["table2"]}
    n_rows = sum(2 + len(contents) for _s, _c, contents in T.TABLE2_SECTIONS)
    table = _table(doc, n_rows, (4.6, 3.66, 3.66, 3.66))
    r = 0
    for section, cols, contents in T.TABLE2_SECTIONS:
        _cell(table, r, 0, section, c1=3, bold=True)
        r += 1
        _cell(table, r, 0, "信息内容", bold=True)
        if len(cols) == 1:
            _cell(table, r, 1, cols[0], c1=3, bold=True)
        else:
            for j, col in enumerate(cols):
                _cell(table, r, 1 + j, col, bold=True)
        r += 1
        for content in contents:
            _cell(table, r, 0, content)
            if len(cols) == 1:
                _cell(table, r, 1, _fmt(values[content][cols[0]]), c1=3)
            else:
                for j, col in enumerate(cols):
                    _cell(table, r, 1 + j, _fmt(values[content][col]))
            r += 1
    return table


# Narrow docx columns: break the applicant headers where a reader would, not mid-word.
_DOCX_HEAD_BREAKS = {"商业企业": "商业\n企业", "科研机构": "科研\n机构", "社会公益组织": "社会公\n益组织",
                     "法律服务机构": "法律服\n务机构"}


def _docx_table3(doc, result):
    values = table3_values(result)
    n_rows = 3 + 2 + 22 + 1
    size = 9
    table = _table(doc, n_rows, (1.1, 1.8, 4.3) + (1.2,) * 7)
    _cell(table, 0, 0, T.TABLE3_CORNER, r1=2, c1=2, size=size)
    _cell(table, 0, 3, T.TABLE3_APPLICANT_HEAD, c1=9, size=size)
    _cell(table, 1, 3, T.APPLICANTS[0], r1=2, size=size)
    _cell(table, 1, 4, T.TABLE3_ORG_HEAD, c1=8, size=size)
    _cell(table, 1, 9, T.TOTAL, r1=2, size=size)
    for j, org in enumerate(T.ORGANISATIONS):
        _cell(table, 2, 4 + j, _DOCX_HEAD_BREAKS.get(org, org), size=size)

    def values_row(r, label):
        for j, col in enumerate(T.TABLE3_COLUMNS):
            _cell(table, r, 3 + j, _fmt(values[label][col]), size=size)

    r = 3
    for label in (T.ROW_NEW, T.ROW_CARRIED_IN):
        _cell(table, r, 0, label, c1=2, size=size, align="left")
        values_row(r, label)
        r += 1
    start = r
    for group, rows in T.RESULT_GROUPS:
        if len(rows) == 1:
            _cell(table, r, 1, rows[0][1], c1=2, size=size, align="left")
            values_row(r, rows[0][1])
            r += 1
            continue
        _cell(table, r, 1, group.replace("）", "）\n", 1), r1=r + len(rows) - 1, size=size)
        for _key, label, _s in rows:
            _cell(table, r, 2, label, size=size, align="left")
            values_row(r, label)
            r += 1
    _cell(table, r, 1, T.ROW_RESULT_TOTAL, c1=2, size=size, align="left")
    values_row(r, T.ROW_RESULT_TOTAL)
    _cell(table, start, 0, T.ROW_RESULTS, r1=r, size=size)
    r += 1
    _cell(table, r, 0, T.ROW_CARRIED_OUT, c1=2, size=size, align="left")
    values_row(r, T.ROW_CARRIED_OUT)
    return table


def _docx_table4(doc, result):
    size = 9
    table = _table(doc, 4, (15.6 / 15,) * 15)
    _cell(table, 0, 0, T.CASE_RECONSIDERATION, r1=1, c1=4, size=size)
    _cell(table, 0, 5, T.LITIGATION_HEAD, c1=14, size=size)
    _cell(table, 1, 5, T.CASE_DIRECT_SUIT, c1=9, size=size)
    _cell(table, 1, 10, T.CASE_SUIT_AFTER, c1=14, size=size)
    for b, case_type in enumerate(T.CASE_TYPES):
        for j, col in enumerate(T.CASE_COLUMNS):
            _cell(table, 2, b * 5 + j, col, size=size)
            _cell(table, 3, b * 5 + j, _fmt(result["table4"][case_type][col]), size=size)
    return table


def _deterministic_zip(data: bytes) -> bytes:
    """Re-pack a zip with fixed member timestamps (python-docx stamps the current time)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()
