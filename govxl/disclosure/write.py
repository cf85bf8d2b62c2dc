"""Writing the tables: an .xlsx laid out like the official tables and a .docx report skeleton.

Both files are deterministic (fixed document dates, fixed zip timestamps) and written atomically:
nothing is overwritten while the old file is open in Excel/WPS/Word.
"""
from __future__ import annotations

import datetime as dt
import io
import os
import zipfile
from pathlib import Path

from ..errors import ERROR, OutputLocked, os_reason
from ..normalise.text import display_width
from ..read.reader import display_path
from ..write.xlsxstream import write_text
from . import tables as T

MARKER = T.OUTPUT_MARKER
FONT_TABLE = "宋体"
FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_HEADING = "黑体"
NOTE_WIDTH = 80  # the message column of 核对结果


def output_stem(result: dict) -> str:
    from ..write.safeio import name_part

    return f"{name_part(result['organ'], fallback=T.DEFAULT_ORGAN)}{result['year']}年政府信息公开工作年度报告（表格）"


def _fixed_time(result: dict) -> dt.datetime:
    return dt.datetime(int(result["year"]) + 1, 1, 1, 0, 0, 0)


def write_disclosure(result: dict, out_dir: Path) -> list[Path]:
    """Write out_dir/<year>/<机关名称><year>年政府信息公开工作年度报告（表格）.xlsx and .docx; return the paths.

    Raises OutputLocked (exit 3) when either file is open in Excel/WPS/Word; then neither is written.
    The paths are also appended to result["outputs"] (as shown to the clerk).
    """
    folder = Path(out_dir) / str(result["year"])
    stem = output_stem(result)
    xlsx_path = folder / f"{stem}.xlsx"
    docx_path = folder / f"{stem}.docx"
    for p in (xlsx_path, docx_path):
        _refuse_if_locked(p)
    xlsx = xlsx_bytes(result)
    docx = docx_bytes(result)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for p, data in ((xlsx_path, xlsx), (docx_path, docx)):
        _write_atomic(p, data)
        written.append(p)
        result.setdefault("outputs", []).append(display_path(p))
    return written


def _lock_names(path: Path) -> list[Path]:
    name = path.name
    return [path.with_name("~$" + name), path.with_name("~$" + name[2:]), path.with_name(".~lock." + name + "#")]


def _refuse_if_locked(path: Path):
    if path.exists() and any(l.exists() for l in _lock_names(path)):
        raise OutputLocked(f"{display_path(path)} 正在被 Excel/WPS 打开，请关闭后再运行（文件未被覆盖）",
                           path=display_path(path))


def _write_atomic(path: Path, data: bytes):
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise OutputLocked(f"无法写入 {display_path(path)}（{os_reason(exc)}），文件可能正在被打开，未被覆盖",
                           path=display_path(path)) from exc


# ---- xlsx -------------------------------------------------------------------------------------------

def _t3_rows(result):
    return {r["label"]: r["values"] for r in result["table3"]}


def xlsx_bytes(result: dict) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.set_properties({"title": f"{result['title']}（表格）", "author": "govxl", "comments": MARKER,
                       "keywords": MARKER, "created": _fixed_time(result)})
    base = {"font_name": FONT_TABLE, "font_size": 11, "valign": "vcenter", "text_wrap": True}
    F = {
        "title": wb.add_format({**base, "font_size": 16, "bold": True, "align": "center"}),
        "heading": wb.add_format({**base, "font_name": FONT_HEADING, "font_size": 12, "align": "left"}),
        "head": wb.add_format({**base, "bold": True, "align": "center", "border": 1}),
        "label": wb.add_format({**base, "align": "left", "border": 1}),
        "center_label": wb.add_format({**base, "align": "center", "border": 1}),
        "int": wb.add_format({**base, "align": "center", "border": 1, "num_format": "0"}),
        "dec": wb.add_format({**base, "align": "center", "border": 1, "num_format": "0.####"}),
        "note": wb.add_format({**base, "font_size": 10, "align": "left"}),
        "text": wb.add_format({**base, "font_size": 10, "align": "left", "border": 1}),
        "text_c": wb.add_format({**base, "font_size": 10, "align": "center", "border": 1}),
        "error": wb.add_format({**base, "font_size": 10, "align": "center", "border": 1, "font_color": "#C00000",
                                "bold": True}),
    }
    _sheet_table2(wb, F, result)
    _sheet_table3(wb, F, result)
    _sheet_table4(wb, F, result)
    _sheet_checks(wb, F, result)
    wb.close()
    return buf.getvalue()


def _height(text: str, width: float, *, line: float = 15.0, pad: float = 6.0, minimum: float = 20.0) -> float:
    """Row height (points) that shows text wrapped in a cell `width` column units wide."""
    lines = max(1, -(-display_width(text) // max(1, int(width - 1))))
    return max(minimum, lines * line + pad)


def _merge(ws, r0, c0, r1, c1, text, fmt):
    if (r0, c0) == (r1, c1):
        write_text(ws, r0, c0, text, fmt)
    else:
        ws.merge_range(r0, c0, r1, c1, "", fmt)
        write_text(ws, r0, c0, text, fmt)


def _num(ws, r, c, value, F, last_col=None):
    fmt = F["int"] if float(value).is_integer() else F["dec"]
    if last_col is not None and last_col > c:
        ws.merge_range(r, c, r, last_col, "", fmt)
    ws.write_number(r, c, value, fmt)


def _page(ws, *, landscape: bool, last_row: int, last_col: int):
    ws.set_paper(9)  # A4
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    ws.set_margins(left=0.6, right=0.6, top=0.8, bottom=0.8)
    ws.center_horizontally()
    ws.fit_to_pages(1, 0)
    ws.print_area(0, 0, last_row, last_col)
    ws.set_footer("&C第 &P 页，共 &N 页")


def _titles(ws, F, result, heading, last_col):
    ws.set_row(0, 36)
    _merge(ws, 0, 0, 0, last_col, result["title"], F["title"])
    ws.set_row(1, 24)
    _merge(ws, 1, 0, 1, last_col, heading, F["heading"])


def _sheet_table2(wb, F, result):
    ws = wb.add_worksheet("主动公开")
    ws.set_column(0, 0, 26)
    ws.set_column(1, 3, 18)
    _titles(ws, F, result, T.TABLE2_TITLE, 3)
    values = {e["label"]: e["values"] for e in result["table2"]}
    r = 2
    for section, cols, contents in T.TABLE2_SECTIONS:
        ws.set_row(r, 22)
        _merge(ws, r, 0, r, 3, section, F["head"])
        r += 1
        ws.set_row(r, 30)
        ws.write_string(r, 0, "信息内容", F["head"])
        if len(cols) == 1:
            _merge(ws, r, 1, r, 3, cols[0], F["head"])
        else:
            for j, col in enumerate(cols):
                ws.write_string(r, 1 + j, col, F["head"])
        r += 1
        for content in contents:
            ws.set_row(r, 22)
            ws.write_string(r, 0, content, F["center_label"])
            if len(cols) == 1:
                _num(ws, r, 1, values[content][cols[0]], F, last_col=3)
            else:
                for j, col in enumerate(cols):
                    _num(ws, r, 1 + j, values[content][col], F)
            r += 1
    _page(ws, landscape=False, last_row=r - 1, last_col=3)


def _sheet_table3(wb, F, result):
    ws = wb.add_worksheet("依申请公开")
    widths = (8, 11, 44) + (8.5,) * 7
    for j, w in enumerate(widths):
        ws.set_column(j, j, w)
    label_width = {"all": sum(widths[:3]), "sub": widths[1] + widths[2], "leaf": widths[2]}
    _titles(ws, F, result, T.TABLE3_TITLE, 9)
    values = _t3_rows(result)
    # header: rows 2-4
    _merge(ws, 2, 0, 4, 2, T.TABLE3_CORNER, F["head"])
    _merge(ws, 2, 3, 2, 9, T.TABLE3_APPLICANT_HEAD, F["head"])
    _merge(ws, 3, 3, 4, 3, T.APPLICANTS[0], F["head"])
    _merge(ws, 3, 4, 3, 8, T.TABLE3_ORG_HEAD, F["head"])
    _merge(ws, 3, 9, 4, 9, T.TOTAL, F["head"])
    for j, org in enumerate(T.ORGANISATIONS):
        ws.write_string(4, 4 + j, org, F["head"])
    ws.set_row(2, 26)
    ws.set_row(3, 26)
    ws.set_row(4, 36)

    def values_row(r, label):
        for j, col in enumerate(T.TABLE3_COLUMNS):
            _num(ws, r, 3 + j, values[label][col], F)

    r = 5
    for label in (T.ROW_NEW, T.ROW_CARRIED_IN):
        ws.set_row(r, _height(label, label_width["all"], minimum=22))
        _merge(ws, r, 0, r, 2, label, F["label"])
        values_row(r, label)
        r += 1
    start = r
    for group, rows in T.RESULT_GROUPS:
        if len(rows) == 1:
            _key, label, _s = rows[0]
            ws.set_row(r, _height(label, label_width["sub"], minimum=22))
            _merge(ws, r, 1, r, 2, label, F["label"])
            values_row(r, label)
            r += 1
            continue
        _merge(ws, r, 1, r + len(rows) - 1, 1, group, F["center_label"])
        for _key, label, _s in rows:
            ws.set_row(r, _height(label, label_width["leaf"], minimum=22))
            ws.write_string(r, 2, label, F["label"])
            values_row(r, label)
            r += 1
    ws.set_row(r, 22)
    _merge(ws, r, 1, r, 2, T.ROW_RESULT_TOTAL, F["label"])
    values_row(r, T.ROW_RESULT_TOTAL)
    _merge(ws, start, 0, r, 0, T.ROW_RESULTS, F["center_label"])
    r += 1
    ws.set_row(r, 22)
    _merge(ws, r, 0, r, 2, T.ROW_CARRIED_OUT, F["label"])
    values_row(r, T.ROW_CARRIED_OUT)
    _page(ws, landscape=False, last_row=r, last_col=9)


def _sheet_table4(wb, F, result):
    ws = wb.add_worksheet("复议诉讼")
    ws.set_column(0, 14, 8)
    _titles(ws, F, result, T.TABLE4_TITLE, 14)
    _merge(ws, 2, 0, 3, 4, T.CASE_RECONSIDERATION, F["head"])
    _merge(ws, 2, 5, 2, 14, T.LITIGATION_HEAD, F["head"])
    _merge(ws, 3, 5, 3, 9, T.CASE_DIRECT_SUIT, F["head"])
    _merge(ws, 3, 10, 3, 14, T.CASE_SUIT_AFTER, F["head"])
    ws.set_row(2, 24)
    ws.set_row(3, 24)
    ws.set_row(4, 36)
    ws.set_row(5, 26)
    for b, case_type in enumerate(T.CASE_TYPES):
        for j, col in enumerate(T.CASE_COLUMNS):
            ws.write_string(4, b * 5 + j, col, F["head"])
            _num(ws, 5, b * 5 + j, result["table4"][case_type][col], F)
    _page(ws, landscape=True, last_row=5, last_col=14)


def _sheet_checks(wb, F, result):
    ws = wb.add_worksheet("核对结果")
    ws.set_column(0, 0, 6)
    ws.set_column(1, 1, 8)
    ws.set_column(2, 2, NOTE_WIDTH)
    _merge(ws, 0, 0, 0, 2, f"{result['title']}（表格）核对结果", F["title"])
    ws.set_row(0, 30)
    r = 1
    for j, h in enumerate(("序号", "结果", "说明")):
        ws.write_string(r, j, h, F["head"])
    r += 1
    checks = result.get("checks", [])
    if not checks:
        ws.write_string(r, 0, "1", F["text_c"])
        ws.write_string(r, 1, "通过", F["text_c"])
        text = ("三张表的勾稽关系全部核对无误：每列 一 + 二 = （七）总计 + 四；每行总计等于各类申请人之和；"
                "（七）总计等于各项办理结果之和；表四各总计等于四项之和；所有数值为非负整数。")
        ws.set_row(r, _height(text, NOTE_WIDTH, line=13.5))
        ws.write_string(r, 2, text, F["text"])
        r += 1
    for n, c in enumerate(checks, 1):
        ws.write_string(r, 0, str(n), F["text_c"])
        ws.write_string(r, 1, "错误" if c["severity"] == ERROR else "提示",
                        F["error"] if c["severity"] == ERROR else F["text_c"])
        ws.set_row(r, _height(c["message"], NOTE_WIDTH, line=13.5))
        write_text(ws, r, 2, c["message"], F["text"])
        r += 1
    r += 1
    bases = result.get("in_force_base") or {}
    notes = []
    if bases:
        notes.append("现行有效件数的上年基数：" + "；".join(
            f"{k} {v['value']} 件（来源：{v['source']}）" for k, v in bases.items()) + "。")
    rows = result.get("rows")
    if rows:
        notes.append(f"登记表数据行：共读取 {rows['read']} 行，计入 {rows['counted']} 行，不属本年度 "
                     f"{rows['other_year']} 行，错误 {rows['error']} 行，空行/合计行 {rows['skipped']} 行。")
    for note in notes:
        ws.set_row(r, _height(note, NOTE_WIDTH, line=13.5))
        _merge(ws, r, 0, r, 2, note, F["note"])
        r += 1
    problems = result.get("problems") or []
    if problems:
        r += 1
        _merge(ws, r, 0, r, 2, "数据问题", F["heading"])
        r += 1
        for n, p in enumerate(problems, 1):
            loc = " › ".join(str(x) for x in (p.get("file"), p.get("sheet"),
                                              f"第{p['row']}行" if p.get("row") else None,
                                              f"{p['column']}列" if p.get("column") else None) if x)
            ws.write_string(r, 0, str(n), F["text_c"])
            ws.write_string(r, 1, "错误" if p["severity"] == ERROR else "提示",
                            F["error"] if p["severity"] == ERROR else F["text_c"])
            text = f"{loc}：{p['message']}" if loc else p["message"]
            ws.set_row(r, _height(text, NOTE_WIDTH, line=13.5))
            write_text(ws, r, 2, text, F["text"])
            r += 1
    _page(ws, landscape=False, last_row=max(r - 1, 2), last_col=2)
    ws.repeat_rows(1)


# ---- docx -------------------------------------------------------------------------------------------

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
    props.created = props.modified = props.last_printed = _fixed_time(result)

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
    values = _t3_rows(result)
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
