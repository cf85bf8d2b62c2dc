"""The notice as a Word document: the Markdown blocks (noticemd) laid out per GB/T 9704-2012
(党政机关公文格式):

- A4, margins top 37 mm, bottom 35 mm, left 28 mm, right 26 mm.
- Title 二号 (22 pt) 方正小标宋简体; body 三号 (16 pt) 仿宋_GB2312, first line indented two
  characters, line spacing exactly 28 pt; 一、 headings 黑体, （一） headings 楷体_GB2312, all 三号.
- Page numbers 4号 (14 pt) 宋体 half-width digits as "— 1 —", centred below the text block
  (a PAGE field in the footer).

Fonts and fallback: the run/style properties name the GB fonts as the East-Asian font
(w:eastAsia), which is what offices' own templates name. The document's font table declares
each of them with w:altName = the font shipped with every Chinese Windows (方正小标宋简体 → 宋体,
仿宋_GB2312 → 仿宋, 楷体_GB2312 → 楷体), charset GB2312 and a PANOSE class, so Word and WPS
substitute that font on a machine without the GB font. Digits and Latin letters use Times New
Roman (w:ascii/w:hAnsi), as is usual in 公文.
"""
from __future__ import annotations

import datetime as _dt
import io
import zipfile

from .noticemd import BOLD_RE, BR_RE, parse_markdown, plain_text

# GB/T 9704-2012 page and type (mm / pt).
PAGE_W_MM, PAGE_H_MM = 210, 297
MARGIN_TOP_MM, MARGIN_BOTTOM_MM, MARGIN_LEFT_MM, MARGIN_RIGHT_MM = 37, 35, 28, 26
# The page-number line sits 7 mm below the text block: its top at 35 - 7 = 28 mm from the page
# bottom; a 14 pt line is about 6 mm tall, so the footer's bottom edge is about 22 mm up.
FOOTER_DISTANCE_MM = 22
HEADER_DISTANCE_MM = 15
TITLE_PT = 22  # 二号
BODY_PT = 16  # 三号
PAGE_NUMBER_PT = 14  # 4号
LINE_PT = 28  # 固定值 28 磅
TITLE_LINE_PT = 35  # title lines: a 22 pt face needs more than 28 pt to breathe
TABLE_PT = 10.5  # 五号: ten columns fit the 156 mm text width of a portrait page
CELL_PAD_TWIPS = 57  # 1 mm left and right inside table cells

FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_H1 = "黑体"
FONT_H2 = "楷体_GB2312"
FONT_PAGE_NUMBER = "宋体"
FONT_LATIN = "Times New Roman"

# font → (substitute installed on every Chinese Windows, PANOSE-1, family)
FONT_FALLBACKS = {
    "方正小标宋简体": ("宋体", "02000000000000000000", "script"),
    "仿宋_GB2312": ("仿宋", "02010609030101010101", "modern"),
    "楷体_GB2312": ("楷体", "02010609030101010101", "modern"),
    "黑体": ("SimHei", "02010609060101010101", "modern"),
    "宋体": ("SimSun", "02010600030101010101", "auto"),
    "仿宋": ("FangSong", "02010609060101010101", "modern"),
    "楷体": ("KaiTi", "02010609060101010101", "modern"),
}


# ---------------------------------------------------------------- Word document


def set_fonts(rpr_parent, east_asia: str, latin: str = FONT_LATIN, size_pt: float | None = None):
    """Set explicit fonts (no theme fonts) and size on a style or run (python-docx object)."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    font = rpr_parent.font
    font.name = latin
    if size_pt is not None:
        font.size = Pt(size_pt)
    rpr = rpr_parent.element.get_or_add_rPr()
    rfonts = rpr.get_or_add_rFonts()
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    rfonts.set(qn("w:ascii"), latin)
    rfonts.set(qn("w:hAnsi"), latin)
    rfonts.set(qn("w:eastAsia"), east_asia)
    rfonts.set(qn("w:cs"), latin)
    if size_pt is not None:
        szcs = rpr.find(qn("w:szCs"))
        if szcs is None:
            from docx.oxml import OxmlElement

            szcs = OxmlElement("w:szCs")
            rpr.append(szcs)
        szcs.set(qn("w:val"), str(round(size_pt * 2)))


def indent_chars(pf, element, *, first_line_chars: float = 0, right_chars: float = 0, size_pt: float = BODY_PT):
    """Indents in characters (w:firstLineChars etc.) with the point value alongside for old readers."""
    from docx.oxml.ns import qn
    from docx.shared import Pt

    pf.first_line_indent = Pt(first_line_chars * size_pt)
    if right_chars:
        pf.right_indent = Pt(right_chars * size_pt)
    ind = element.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(round(first_line_chars * 100)))
    if right_chars:
        ind.set(qn("w:rightChars"), str(round(right_chars * 100)))


def _outline_level(style_element, level: int):
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = style_element.get_or_add_pPr()
    el = ppr.find(qn("w:outlineLvl"))
    if el is None:
        el = OxmlElement("w:outlineLvl")
        ppr.append(el)
    el.set(qn("w:val"), str(level))


def _setup_styles(doc):
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Pt

    styles = doc.styles
    # Document defaults: explicit fonts instead of theme fonts, Chinese language, no spacing.
    defaults = styles.element.find(qn("w:docDefaults"))
    rpr_default = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rfonts = rpr_default.find(qn("w:rFonts"))
    for attr in list(rfonts.attrib):
        del rfonts.attrib[attr]
    rfonts.set(qn("w:ascii"), FONT_LATIN)
    rfonts.set(qn("w:hAnsi"), FONT_LATIN)
    rfonts.set(qn("w:eastAsia"), FONT_BODY)
    rfonts.set(qn("w:cs"), FONT_LATIN)
    lang = rpr_default.find(qn("w:lang"))
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")

    normal = styles["Normal"]
    set_fonts(normal, FONT_BODY, size_pt=BODY_PT)
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(LINE_PT)
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.widow_control = True
    pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    indent_chars(pf, normal.element, first_line_chars=2)

    def add(name, east_asia, size, *, outline=None, align=None, line=LINE_PT, indent=2.0, latin=FONT_LATIN):
        st = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = normal
        st.next_paragraph_style = normal
        st.quick_style = True
        set_fonts(st, east_asia, latin=latin, size_pt=size)
        spf = st.paragraph_format
        spf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        spf.line_spacing = Pt(line)
        spf.keep_with_next = outline is not None or name == "公文标题"
        if align is not None:
            spf.alignment = align
        indent_chars(spf, st.element, first_line_chars=indent)
        if outline is not None:
            _outline_level(st.element, outline)
        return st

    # Headings set their digits in the heading face too; body digits stay Times New Roman.
    add("公文标题", FONT_TITLE, TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER, line=TITLE_LINE_PT, indent=0,
        latin=FONT_TITLE)
    add("一级标题", FONT_H1, BODY_PT, outline=0, latin=FONT_H1)
    add("二级标题", FONT_H2, BODY_PT, outline=1, latin=FONT_H2)
    cell = add("表格文字", FONT_BODY, TABLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER, indent=0)
    cell.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    cell.paragraph_format.keep_with_next = False
    head = add("表头文字", FONT_H1, TABLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER, indent=0)
    head.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
    head.paragraph_format.keep_with_next = False


def _declare_fonts(doc):
    """Font table entries with w:altName so Word/WPS substitute a font that exists (module doc)."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import OxmlElement, parse_xml
    from docx.oxml.ns import qn

    font_part = doc.part.part_related_by(RT.FONT_TABLE)
    root = parse_xml(font_part.blob)
    present = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name, (alt, panose, family) in FONT_FALLBACKS.items():
        if name in present:
            continue
        f = OxmlElement("w:font")
        f.set(qn("w:name"), name)
        for tag, val in (("w:altName", alt), ("w:panose1", panose), ("w:charset", "86"), ("w:family", family),
                         ("w:pitch", "variable")):
            el = OxmlElement(tag)
            el.set(qn("w:val"), val)
            f.append(el)
        root.append(f)
    from lxml import etree

    font_part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _setup_section(doc):
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width = Mm(PAGE_W_MM)
    sec.page_height = Mm(PAGE_H_MM)
    sec.top_margin = Mm(MARGIN_TOP_MM)
    sec.bottom_margin = Mm(MARGIN_BOTTOM_MM)
    sec.left_margin = Mm(MARGIN_LEFT_MM)
    sec.right_margin = Mm(MARGIN_RIGHT_MM)
    sec.header_distance = Mm(HEADER_DISTANCE_MM)
    sec.footer_distance = Mm(FOOTER_DISTANCE_MM)
    sec.gutter = Mm(0)
    _page_number_footer(sec)


def _page_number_footer(section):
    """Footer "— PAGE —": 4号 宋体, half-width digits, centred."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    footer = section.footer
    footer.is_linked_to_previous = False
    p = footer.paragraphs[0]
    pf = p.paragraph_format
    pf.alignment = WD_ALIGN_PARAGRAPH.CENTER
    pf.first_line_indent = Pt(0)
    pf.line_spacing_rule = WD_LINE_SPACING.SINGLE
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)

    def run(text=None):
        r = p.add_run(text)
        set_fonts(r, FONT_PAGE_NUMBER, latin=FONT_PAGE_NUMBER, size_pt=PAGE_NUMBER_PT)
        return r

    run("— ")
    for kind, payload in (("begin", None), ("instr", " PAGE "), ("separate", None), ("text", "1"), ("end", None)):
        r = run()
        if kind == "instr":
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = payload
        elif kind == "text":
            el = OxmlElement("w:t")
            el.text = payload
        else:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), kind)
        r._r.append(el)
    run(" —")


def add_runs(paragraph, text: str):
    """Text with **bold** and <br> line breaks as runs of the paragraph."""
    from docx.enum.text import WD_BREAK

    for n, piece in enumerate(BR_RE.split(text)):
        if n:
            paragraph.add_run().add_break(WD_BREAK.LINE)
        _add_bold_runs(paragraph, piece)


def _add_bold_runs(paragraph, text: str):
    pos = 0
    for m in BOLD_RE.finditer(text):
        if m.start() > pos:
            paragraph.add_run(text[pos:m.start()])
        paragraph.add_run(m.group(1)).bold = True
        pos = m.end()
    if pos < len(text):
        paragraph.add_run(text[pos:])




def display_width(text: str) -> float:
    """Width in 全角 characters of the longest line: CJK and full-width count 1, ASCII half, and a
    quarter for each switch between Chinese and Latin/digits (Word and WPS add that space)."""
    widest = 0.0
    for line in text.split("\n"):
        w = 0.0
        prev = None
        for ch in line:
            half = ord(ch) < 0x2E80 and ch not in "—…“”‘’"
            w += 0.5 if half else 1.0
            if prev is not None and half != prev and not ch.isspace():
                w += 0.25
            prev = None if ch.isspace() else half
        widest = max(widest, w)
    return widest



def add_table(doc, rows: list[list[str]]):
    """A Markdown table as a Word table: header row repeated on each page, rows kept whole,
    column widths from content, scaled to the full text width."""
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    ncols = max(len(r) for r in rows)
    rows = [r + [""] * (ncols - len(r)) for r in rows]
    table = doc.add_table(rows=len(rows), cols=ncols)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False

    widths_mm = _column_widths_mm(rows)
    widths = [Mm(w) for w in widths_mm]
    pad_mm = 2 * CELL_PAD_TWIPS / 1440 * 25.4
    capacity = [(w - pad_mm) / (TABLE_PT / 72 * 25.4) for w in widths_mm]

    tbl_pr = table._tbl.tblPr
    tbl_pr.get_or_add_tblLayout().type = "fixed"
    tbl_w = tbl_pr.find(qn("w:tblW"))
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(int(sum(w.twips for w in widths))))
    mar = OxmlElement("w:tblCellMar")  # schema order: right after tblLayout
    for side in ("left", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), str(CELL_PAD_TWIPS))
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tbl_pr.find(qn("w:tblLayout")).addnext(mar)
    for col, w in zip(table.columns, widths):
        col.width = w

    for i, (row, cells) in enumerate(zip(table.rows, rows)):
        tr_pr = row._tr.get_or_add_trPr()
        cant = OxmlElement("w:cantSplit")
        tr_pr.append(cant)
        if i == 0:
            hdr = OxmlElement("w:tblHeader")
            tr_pr.append(hdr)
        for cell, text, w, chars in zip(row.cells, cells, widths, capacity):
            if i > 0:
                text = _balanced_wrap(text, chars)
            cell.width = w
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            p = cell.paragraphs[0]
            p.style = doc.styles["表头文字" if i == 0 else "表格文字"]
            add_runs(p, text)
    return table


def _balanced_wrap(text: str, capacity: float) -> str:
    """Chinese text too long for its cell, broken into lines of even length ("县发展和/改革局"
    rather than "县发展和改革/局")."""
    if "<br" in text.lower() or "**" in text or display_width(text) <= capacity or capacity < 1:
        return text
    if any(ord(ch) < 0x2E80 for ch in text):
        return text  # mixed with Latin or digits: let Word wrap it
    import math

    lines = math.ceil(len(text) / math.floor(capacity))
    size = math.ceil(len(text) / lines)
    return "<br>".join(text[k:k + size] for k in range(0, len(text), size))


def _column_widths_mm(rows: list[list[str]]) -> list[float]:
    """Column widths filling the text width. Numbers never wrap; headers of four or more characters
    may take two lines; text columns (unit names, 完成情况) give way first when space is short."""
    ncols = len(rows[0])
    pad = 2 * CELL_PAD_TWIPS / 20 / TABLE_PT + 0.3  # cell margins and a little air, in characters
    prefs, mins = [], []
    for c in range(ncols):
        head = display_width(plain_text(rows[0][c]))
        head_min = head if head <= 2 else -(-head // 2)
        cells = [plain_text(r[c]) for r in rows[1:]]
        body = max((display_width(t) for t in cells), default=0.0)
        pref = max(body, head_min, 1.0)
        # Chinese text may wrap (at four characters a line at least); numbers, codes and short
        # items such as "省1 市2" may not.
        wraps = any(display_width(t) > 5 and any(display_width(tok) > 2 for tok in t.split()) and not t.isascii()
                    for t in cells)
        least = 4.0 if wraps else body
        prefs.append(pref + pad)
        mins.append(max(least, head_min, 1.0) + pad)
    avail = (PAGE_W_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM) / 25.4 * 72 / TABLE_PT  # in characters
    if sum(prefs) <= avail:
        chars = [p * avail / sum(prefs) for p in prefs]
    elif sum(mins) >= avail:
        chars = [m * avail / sum(mins) for m in mins]
    else:
        k = (avail - sum(mins)) / (sum(prefs) - sum(mins))
        chars = [m + (p - m) * k for m, p in zip(mins, prefs)]
    mm_per_char = TABLE_PT / 72 * 25.4
    return [c * mm_per_char for c in chars]


def _signature_indents(texts: list[str]) -> list[float]:
    """Right indents (in characters) for 署名 + 成文日期, GB/T 9704-2012 7.3.5.2: the date's first
    character two to the right of the signature's, the longer line two characters from the margin."""
    if len(texts) != 2:
        return [2.0] * len(texts)
    sig_w, date_w = display_width(texts[0]), display_width(texts[1])
    sig_right = max(2.0, 4.0 + date_w - sig_w)
    date_right = sig_right + sig_w - 2.0 - date_w
    return [sig_right, date_right]




def blank_document():
    """A python-docx Document with the notice's styles, fonts and A4 GB/T 9704 page, and no paragraph."""
    import docx

    doc = docx.Document()
    _drop_thumbnail(doc)
    _setup_styles(doc)
    _declare_fonts(doc)
    _setup_section(doc)
    body = doc.element.body
    for p in list(body.iterchildren()):
        if p.tag.endswith("}p"):
            body.remove(p)
    return doc


def markdown_to_docx(md_text: str, *, core: dict | None = None):
    """Lay the rendered Markdown out as a GB/T 9704 Word document; returns a python-docx Document."""
    doc = blank_document()
    _Layout(doc, parse_markdown(md_text)).write()
    set_core_properties(doc, core or {})
    return doc


class _Layout:
    """Writes the blocks into the document one by one. A block's writer takes its index and returns the
    index of the last block it used (the 署名 and 成文日期 lines are placed together)."""

    def __init__(self, doc, blocks: list[dict]):
        self.doc, self.blocks = doc, blocks
        self.body = doc.element.body
        self.prev_kind = None  # the kind of the block written before: spacing looks back at it
        self.break_before = False  # a page break waits for the next paragraph

    def write(self):
        from docx.oxml.ns import qn
        from docx.text.paragraph import Paragraph

        i = 0
        while i < len(self.blocks):
            mark = len(self.body)
            b = self.blocks[i]
            kind = b["kind"]
            if kind == "p" and b["align"] == "right":
                i = self.signature(i)
            else:
                i = self.WRITERS.get(kind, _Layout.paragraph)(self, i)
            if self.break_before and kind != "pagebreak":
                first_new = self.body[mark - 1]  # body ends with sectPr; new blocks go in before it
                if first_new.tag == qn("w:p"):
                    Paragraph(first_new, self.doc._body).paragraph_format.page_break_before = True
                self.break_before = False
            self.prev_kind = kind
            i += 1

    def next_kind(self, i: int):
        return self.blocks[i + 1]["kind"] if i + 1 < len(self.blocks) else None

    def title(self, i: int) -> int:
        from docx.shared import Pt

        p = self.doc.add_paragraph(style="公文标题")
        add_runs(p, self.blocks[i]["text"])
        if self.next_kind(i) != "title":
            p.paragraph_format.space_after = Pt(LINE_PT)  # 标题下空一行
        return i

    def heading(self, i: int) -> int:
        from docx.shared import Pt

        b = self.blocks[i]
        p = self.doc.add_paragraph(style={"h1": "一级标题", "h2": "二级标题", "h3": "Normal"}[b["kind"]])
        add_runs(p, b["text"])
        if b["kind"] == "h1" and plain_text(b["text"]).startswith("附件"):
            p.paragraph_format.first_line_indent = Pt(0)
            indent_chars(p.paragraph_format, p._p, first_line_chars=0)
        return i

    def page_break(self, i: int) -> int:
        from docx.enum.text import WD_BREAK
        from docx.shared import Pt

        if self.next_kind(i) in (None, "table", "pagebreak"):
            p = self.doc.add_paragraph()
            p.paragraph_format.first_line_indent = Pt(0)
            p.add_run().add_break(WD_BREAK.PAGE)
        else:
            self.break_before = True  # the next paragraph starts the page: no empty line on top
        return i

    def table(self, i: int) -> int:
        add_table(self.doc, self.blocks[i]["rows"])
        return i

    def signature(self, i: int) -> int:
        """Consecutive right-aligned lines: 署名 and 成文日期 placed as GB/T 9704 7.3.5.2 says."""
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        run = [self.blocks[i]]
        while self.next_kind(i) == "p" and self.blocks[i + 1]["align"] == "right":
            i += 1
            run.append(self.blocks[i])
        indents = _signature_indents([plain_text(x["text"]) for x in run])
        for j, (x, right) in enumerate(zip(run, indents)):
            p = self.doc.add_paragraph()
            p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            indent_chars(p.paragraph_format, p._p, first_line_chars=0, right_chars=right)
            if j == 0 and self.prev_kind not in (None, "title"):
                p.paragraph_format.space_before = Pt(LINE_PT)  # 正文下空一行
            p.paragraph_format.keep_with_next = j < len(run) - 1
            add_runs(p, x["text"])
        return i

    def paragraph(self, i: int) -> int:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        b = self.blocks[i]
        p = self.doc.add_paragraph()
        align = b.get("align")
        if align in ("left", "center"):
            indent_chars(p.paragraph_format, p._p, first_line_chars=0)
            if align == "center":
                p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if plain_text(b["text"]).startswith(("附件：", "附件:")) and self.prev_kind not in (None, "title"):
            p.paragraph_format.space_before = Pt(LINE_PT)
        add_runs(p, b["text"])
        return i

    WRITERS = {"title": title, "h1": heading, "h2": heading, "h3": heading, "pagebreak": page_break,
               "table": table}


def set_core_properties(doc, core: dict):
    """Fixed document properties (author govxl, the period's end as the date), so a notice is reproducible."""
    cp = doc.core_properties
    fixed = core.get("date") or _dt.datetime(2000, 1, 1)
    cp.author = "govxl"
    cp.last_modified_by = "govxl"
    cp.created = fixed
    cp.modified = fixed
    cp.last_printed = fixed
    cp.revision = 1
    cp.comments = ""
    cp.title = core.get("title", "")
    cp.subject = core.get("subject", "")
    cp.keywords = "政务信息;通报"
    cp.category = ""


def _drop_thumbnail(doc):
    """python-docx's template carries a thumbnail of some other document; Explorer would show it."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    pkg = doc.part.package
    for rid, rel in list(pkg.rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del pkg.rels[rid]


def docx_bytes(doc) -> bytes:
    """Save with fixed zip timestamps, so the same notice gives byte-identical files."""
    raw = io.BytesIO()
    doc.save(raw)
    raw.seek(0)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zi = zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0))
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            zout.writestr(zi, data)
    return out.getvalue()

