"""The notice from a Word template: ``templates/notice.docx``, a .docx the clerk edits in Word or WPS,
with Jinja2 placeholders (docxtpl: python-docx + Jinja2).

- ``docx_template(template_dir)``: the workspace's notice.docx, or None (the Markdown template then
  lays the .docx out, noticedocx).
- ``render_docx_template(path, context, core)``: the template rendered with the notice's context
  (``docx_context``: noticedata.notice_context, the Markdown template's variables, plus the 版头
  fields), every value escaped by Jinja2's autoescape, saved through noticedocx.docx_bytes (fixed zip
  timestamps) with noticedocx's fixed core properties, so the same inputs give the same bytes.
- ``sample_template_bytes()``: the 红头 template `govxl init` writes, built here from code on
  noticedocx's styles, fonts, page and page numbers, in GB/T 9704-2012 layout: 发文机关标志 red
  小标宋 35 mm below the top of the text block, 发文字号 two lines below it (with 签发人 on its line
  for an 上行文), the red line 4 mm under it, the title two lines below in 二号小标宋, body 三号仿宋,
  署名 and 成文日期 for a sealed document (7.3.5.1), the ranking table as an attachment on its own page.
"""
from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path

from ..errors import ConfigError
from .noticedata import PLACEHOLDER, notice_context
from .noticedocx import (BODY_PT, FONT_H2, FONT_TITLE, LINE_PT, MARGIN_LEFT_MM, MARGIN_RIGHT_MM, PAGE_W_MM,
                         add_runs, add_table, indent_chars, set_core_properties, set_fonts, blank_document,
                         docx_bytes)

NOTICE_DOCX = "notice.docx"

RED = "FF0000"
ORGAN_PT = 36  # 小初: "XX县人民政府办公室文件" (12 characters) fills the 156 mm line
ORGAN_LINE_PT = 44
ORGAN_TOP_MM = 35  # 发文机关标志上边缘至版心上边缘 (GB/T 9704-2012 7.2.4)
RED_LINE_EIGHTHS = 18  # 2.25 pt
RED_LINE_SPACE_PT = 5  # the line's distance below the 文号 line box: about 4 mm below the characters
TEXT_W_MM = PAGE_W_MM - MARGIN_LEFT_MM - MARGIN_RIGHT_MM
CHAR_MM = BODY_PT / 72 * 25.4
# 成文日期 右空四字; 署名 centred over it (7.3.5.1): both on a centre tab at the date's middle
DATE_CHARS = 7.75  # display width of "2025年11月5日"
SIGN_TAB_MM = TEXT_W_MM - (4 + DATE_CHARS / 2) * CHAR_MM
KEEP_FROM = "三、下步要求"
SIGN_SPACE_LINES = 2  # lines between 附件说明 and 署名, room for the seal

# 附件 ranking table: header, width (mm, summing to the 156 mm text width), cell placeholder
TABLE_COLUMNS = (  # numbers and two-character headers never wrap; long unit names take two lines
    ("排名", 10, "{{ u.rank }}"),
    ("单位", 33, "{{ u.unit }}"),
    ("分组", 18, "{{ u.group }}"),
    ("报送<br>篇数", 11, "{{ u.submitted }}"),
    ("采用<br>篇数", 11, "{{ u.adopted }}"),
    ("各级<br>采用", 22, "{{ u.levels_text }}"),
    ("批示", 10, "{{ u.instructions }}"),
    ("得分", 12, "{{ u.points|score }}"),
    ("累计<br>得分", 13, "{{ u.ytd_points|score }}"),
    ("完成<br>情况", 16, "{{ u.quota_lines }}"),
)

# The sample's text, as notice.md.j2 words it. (kind, text): ctl = a {%p %} paragraph (docxtpl drops
# the paragraph, keeps the tag), left = no first-line indent, p = body, h1/h2 = headings, alert = red.
BODY = (
    ("ctl", "{%p for a in alerts %}"),
    ("alert", "【注意：{{ a }}】"),
    ("ctl", "{%p endfor %}"),
    ("left", "各报送单位："),
    ("p", "为推动政务信息工作提质增效，充分发挥信息工作服务决策的作用，根据政务信息报送积分办法，现将{{ period.title }}"
          "各单位政务信息报送、采用情况通报如下。"),
    ("h1", "一、基本情况"),
    ("p", "{{ period.title }}，纳入通报的{{ totals.units }}个单位中，有{{ active_count }}个单位报送政务信息，"
          "共报送{{ totals.submitted }}篇，被各级采用{{ totals.adopted }}篇，其中国家级{{ by_level['国家级'] }}篇、"
          "省级{{ by_level['省级'] }}篇、市级{{ by_level['市级'] }}篇、县级{{ by_level['县级'] }}篇"
          "{% if level_sum_exceeds_adopted %}（同一篇信息被多级采用的，在各级分别计数）{% endif %}，"
          "采用率{{ totals.adoption_rate|percent }}{% if totals.instructions %}；获领导批示{{ totals.instructions }}次{% endif %}。"),
    ("h2", "（一）积分靠前的单位"),
    ("ctl", "{%p for g in top_groups %}"),
    ("p", "{{ g.group }}：{% for u in g.units %}{{ u.unit }}（{{ u.points|score }}分）{% if not loop.last %}、{% endif %}"
          "{% endfor %}积分位居本组前列。"),
    ("ctl", "{%p endfor %}"),
    ("ctl", "{%p if not top_groups %}"),
    ("p", "本期暂无取得积分的单位。"),
    ("ctl", "{%p endif %}"),
    ("h2", "（二）未完成报送任务的单位"),
    ("p", "{% if under_quota %}{{ under_quota|length }}个单位有报送但未完成报送任务：{% for u in under_quota %}{{ u.unit }}"
          "（任务{{ u.quota }}篇，报送{{ u.submitted }}篇，差{{ u.shortfall }}篇）{% if not loop.last %}、{% endif %}"
          "{% endfor %}。{% else %}有报送的单位均完成了本期报送任务。{% endif %}"),
    ("h2", "（三）零报送单位"),
    ("p", "{% if zero_units %}本期共有{{ zero_units|length }}个单位零报送：{{ zero_units|cnjoin }}。"
          "{% else %}本期没有零报送单位。{% endif %}"),
    ("h1", "二、存在问题"),
    ("ctl", "{%p if zero_units or under_quota %}"),
    ("p", "报送任务完成不平衡。本期有{% if zero_units %}{{ zero_units|length }}个单位零报送{% endif %}"
          "{% if zero_units and under_quota %}、{% endif %}{% if under_quota %}{{ under_quota|length }}个单位报送数量未达任务要求"
          "{% endif %}（见附件“完成情况”栏）。"),
    ("ctl", "{%p endif %}"),
    ("ctl", "{%p if totals.adopted and not (by_level['省级'] or by_level['国家级']) %}"),
    ("p", "本期采用的{{ totals.adopted }}篇信息中，没有被省级以上采用的。"),
    ("ctl", "{%p endif %}"),
    ("ctl", "{%p if late_total or duplicates_total %}"),
    ("p", "报送规范有待加强。本期{% if late_total %}有{{ late_total }}篇信息超过时限报送{% endif %}"
          "{% if late_total and duplicates_total %}，{% endif %}{% if duplicates_total %}有{{ duplicates_total }}篇信息"
          "与已报信息重复、未予计分{% endif %}。"),
    ("ctl", "{%p endif %}"),
    ("p", "【请填写：本期信息质量、时效等方面的其他问题；无则删去本段】"),
    ("h1", "三、下步要求"),
    ("p", "【请填写：下步工作要求】"),
    ("ctl", "{%p if zero_units or under_quota %}"),
    ("p", "零报送和未完成任务的单位要认真分析原因，在下期报送中补齐差额。"),
    ("ctl", "{%p endif %}"),
    ("annex_note", "附件：{{ period.title }}政务信息报送积分排名表"),
    ("sign", "{{ office }}"),
    ("date", "{{ sign_date }}"),
    ("annex_label", "附件"),
    ("annex_title", "{{ period.title }}政务信息报送积分排名表"),
    ("table", ""),
    ("left", "注：排名按本期得分由高到低排列，得分相同的按采用篇数、报送篇数排序；累计得分为{{ year }}年1月1日至"
             "{{ period_end_text }}的积分。"),
)


# ---------------------------------------------------------------- rendering


def docx_template(template_dir: Path | None) -> Path | None:
    """The workspace's templates/notice.docx when there is one (there is no package default)."""
    if template_dir is None:
        return None
    path = Path(template_dir) / NOTICE_DOCX
    return path if path.is_file() else None


def docx_context(result: dict, *, sign_date: _dt.date | None = None, fields: dict | None = None) -> dict:
    """The Markdown template's variables (noticedata.notice_context) and the 版头's: doc_code
    (设置 › 发文机关代字), doc_number (代字〔年〕【请填写】号), signer (设置 › 签发人; an 上行文 when given)."""
    ctx = notice_context(result, sign_date=sign_date)
    fields = fields or {}
    code = str(fields.get("doc_code") or "").strip()
    ctx["doc_code"] = code
    ctx["doc_number"] = f"{code or PLACEHOLDER}〔{ctx['year']}〕{PLACEHOLDER}号"
    ctx["signer"] = str(fields.get("signer") or "").strip()
    for u in ctx["units"]:  # 完成情况 in a narrow cell: 未完成 / 差1篇 (docxtpl turns \n into a line break)
        text = u["quota_text"]
        u["quota_lines"] = text.replace("（", "\n", 1).removesuffix("）") if "（" in text else text
    return ctx


def header_fields(settings: dict) -> dict:
    """The 版头 fields from 设置 (defaults.NOTICE_HEADER_SETTINGS): {"doc_code": …, "signer": …}."""
    from ..defaults import NOTICE_HEADER_SETTINGS

    return {field: settings.get(key) or "" for key, field in NOTICE_HEADER_SETTINGS}


_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _jinja_env():
    """Strict (an unknown placeholder is an error, not a blank), escaping, with the notice's filters;
    characters XML cannot hold (a control character in a unit name) are dropped from every value."""
    import jinja2
    from markupsafe import Markup

    from .notice import NOTICE_FILTERS

    def finalize(value):
        if isinstance(value, str) and not isinstance(value, Markup):
            return _XML_ILLEGAL.sub("", value)
        return value

    env = jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True, finalize=finalize)
    env.filters.update(NOTICE_FILTERS)
    env.filters["cell"] = lambda v: "" if v is None else str(v)  # a Word cell needs no Markdown escaping
    return env


PART_NAMES = (("header", "页眉"), ("footer", "页脚"), ("footnotes", "脚注"), ("document", "正文"))


def _where(tpl, exc) -> str:
    """Where in the template an error is: the part (正文, 页眉 …) and the text of its paragraph."""
    part = getattr(getattr(tpl, "current_rendering_part", None), "partname", "") or ""
    place = next((cn for key, cn in PART_NAMES if key in str(part)), "")
    lines = list(getattr(exc, "docx_context", None) or [])
    lineno = getattr(exc, "lineno", None)
    text = ""
    if lines and lineno:
        at = lineno - 1 - max(lineno - 4, 0)  # docxtpl keeps the lines from lineno - 4 on
        if 0 <= at < len(lines):
            # a {%p %} tag after the paragraph lands on its line: not part of what the clerk typed there
            text = re.sub(r"(\{%[^%]*%\})+$", "", lines[at].strip()) or lines[at].strip()
    if len(text) > 60:
        text = text[:60] + "…"
    if text:
        return f"{place or '正文'}中“{text}”这一段"
    return place


def _undefined_name(message: str) -> str:
    m = re.search(r"has no attribute '([^']+)'", message) or re.search(r"'([^']+)' is undefined", message)
    return m.group(1) if m else message


def _paragraph_naming(document, name: str) -> str:
    """The first paragraph (body, tables, headers, footers) whose text names a placeholder, shortened."""
    def paragraphs():
        yield from document.paragraphs
        for table in document.tables:
            for row in table.rows:
                for cell in row.cells:
                    yield from cell.paragraphs
        for sec in document.sections:
            for part in (sec.header, sec.footer, sec.even_page_header, sec.even_page_footer):
                yield from part.paragraphs

    pattern = re.compile(r"[{][{%][^}]*\b" + re.escape(name) + r"\b")
    for p in paragraphs():
        if pattern.search(p.text):
            text = p.text.strip()
            return text if len(text) <= 60 else text[:60] + "…"
    return ""


# Jinja2's commonest complaints in a clerk's words: (pattern of its message, the Chinese one; {0} = its group)
SYNTAX_HINTS = (
    (r"expected token 'end of print statement', got '([^']*)'", "{{ }} 没有成对，或 {{ }} 中有多余的文字“{0}”"),
    (r"unexpected end of template", "{% if %} 或 {% for %} 缺少对应的 {% endif %} 或 {% endfor %}"),
    (r"Encountered unknown tag '(end\w*)'", "多出或错位的 {% {0} %}：它前面的块没有正确结束"),
    (r"unexpected '([^']*)'", "多出的“{0}”"),
    (r"No filter named '([^']*)'", "没有名为“{0}”的过滤器（可用：score、percent、num、cnjoin、levels）"),
)


def _syntax_hint(message: str) -> str:
    for pattern, chinese in SYNTAX_HINTS:
        m = re.search(pattern, message)
        if m:
            return chinese.replace("{0}", m.group(1)) if m.groups() else chinese
    return f"模板引擎提示：{message}"


def _template_error(path: Path, tpl, exc) -> ConfigError:
    """A Chinese message naming the template file, the placeholder and where it is."""
    import jinja2

    where = _where(tpl, exc)
    if isinstance(exc, jinja2.UndefinedError):
        name = _undefined_name(str(exc.message or exc))
        text = _paragraph_naming(tpl.docx, name) if tpl.docx is not None else ""
        where = f"{where or '正文'}中“{text}”这一段" if text else where
        at = f"（{where}）" if where else ""
        msg = (f"Word 通报模板 {path} 使用了不存在的占位符“{name}”{at}。可用的占位符见 README“通报的 Word 模板”一节；"
               f"改正或删去它后重试。")
    elif isinstance(exc, jinja2.TemplateSyntaxError):
        at = f"（{where}）" if where else ""
        msg = (f"Word 通报模板 {path} 的占位符写法有误{at}：{_syntax_hint(exc.message or '')}。请在 Word/WPS 中打开它改正，"
               f"{{{{ }}}} 和 {{% %}} 要成对。")
    elif isinstance(exc, jinja2.TemplateError):  # e.g. an unknown filter, found while rendering
        at = f"（{where}）" if where else ""
        msg = f"Word 通报模板 {path} 的占位符有误{at}：{_syntax_hint(str(exc))}。"
    else:
        at = f"（{where}）" if where else ""
        msg = f"Word 通报模板 {path} 计算出错{at}：{exc}"
    return ConfigError(msg, path=str(path))


def render_docx_template(path: Path, context: dict, *, core: dict | None = None) -> bytes:
    """The template filled with context, as .docx bytes. Raises ConfigError (exit 2) for a file that is
    not a .docx, a placeholder with a syntax error, or one the context does not have."""
    import zipfile

    import jinja2
    from docx.opc.exceptions import PackageNotFoundError
    from docxtpl import DocxTemplate
    from lxml import etree

    path = Path(path)
    tpl = DocxTemplate(str(path))
    try:
        tpl.init_docx()
    except (OSError, zipfile.BadZipFile, PackageNotFoundError, KeyError, ValueError, etree.XMLSyntaxError) as e:
        raise ConfigError(f"Word 通报模板 {path} 无法打开（{type(e).__name__}）：它不是有效的 .docx 文件。请在 Word/WPS 中"
                          f"“另存为”Word 文档（.docx）后重试，或删去它以使用默认的 Markdown 模板。", path=str(path)) from None
    try:
        tpl.render(context, _jinja_env(), autoescape=True)
    except jinja2.TemplateError as e:
        raise _template_error(path, tpl, e) from None
    except etree.XMLSyntaxError as e:
        raise ConfigError(f"Word 通报模板 {path} 填入数据后不再是有效的 Word 文档：{e}。占位符（特别是 {{%p %}}、{{%tr %}}）"
                          f"应各占一整段或一整行。", path=str(path)) from None
    except (TypeError, ValueError, ArithmeticError) as e:
        raise _template_error(path, tpl, e) from None
    doc = tpl.docx
    _say_alerts(doc, context.get("alerts") or [])
    set_core_properties(doc, core or {})
    return docx_bytes(doc)


def _say_alerts(doc, alerts: list):
    """An alert (a period without data) the template does not say goes in red at the top of the body,
    so a clerk's own template can never hide it."""
    text = "\n".join(p.text for p in doc.paragraphs)
    unsaid = [a for a in alerts if a not in text]
    if not unsaid or not doc.paragraphs:
        return
    first = doc.paragraphs[0]
    for a in unsaid:
        p = first.insert_paragraph_before()
        run = p.add_run(f"【注意：{a}】")
        _red(run)
        run.bold = True


# ---------------------------------------------------------------- the sample template


def _red(run):
    from docx.shared import RGBColor

    run.font.color.rgb = RGBColor.from_string(RED)


def _no_indent(p):
    indent_chars(p.paragraph_format, p._p, first_line_chars=0)


# the pPr children the schema puts after w:pBdr (ECMA-376 CT_PPrBase order)
PPR_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
                  "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
                  "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
                  "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId", "w:cnfStyle",
                  "w:rPr", "w:sectPr", "w:pPrChange")


def _red_line(p):
    """The 版头's red line: a bottom border of the 文号 paragraph, as wide as the text block."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    ppr = p._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", str(RED_LINE_EIGHTHS)), ("w:space", str(RED_LINE_SPACE_PT)),
                 ("w:color", RED)):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    ppr.insert_element_before(bdr, *PPR_AFTER_PBDR)


def _header(doc):
    """发文机关标志, then the 文号 line (with 签发人 for an 上行文) carrying the red line."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
    from docx.shared import Mm, Pt

    def organ():
        p = doc.add_paragraph()
        _no_indent(p)
        pf = p.paragraph_format
        pf.alignment = WD_ALIGN_PARAGRAPH.CENTER
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(ORGAN_LINE_PT)
        pf.space_before = Mm(ORGAN_TOP_MM) - Pt(ORGAN_LINE_PT - ORGAN_PT)  # the glyphs' top edge at 35 mm
        run = p.add_run("{{ office }}文件")
        set_fonts(run, FONT_TITLE, latin=FONT_TITLE, size_pt=ORGAN_PT)
        _red(run)

    def number(upward: bool):
        p = doc.add_paragraph()
        _no_indent(p)
        p.paragraph_format.space_before = Pt(2 * LINE_PT)  # 发文机关标志下空二行
        if upward:  # 上行文: 文号 左空一字, 签发人 右空一字 on the same line (7.2.5, 7.2.6)
            p.paragraph_format.left_indent = Pt(BODY_PT)
            p.paragraph_format.right_indent = Pt(BODY_PT)
            # Word measures tab stops from the page margin
            p.paragraph_format.tab_stops.add_tab_stop(Mm(TEXT_W_MM) - Pt(BODY_PT), WD_TAB_ALIGNMENT.RIGHT)
            p.add_run("{{ doc_number }}\t签发人：")
            set_fonts(p.add_run("{{ signer }}"), FONT_H2, size_pt=BODY_PT)
        else:
            p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.add_run("{{ doc_number }}")
        _red_line(p)

    doc.add_paragraph("{%p if signer %}")
    organ()
    number(True)
    doc.add_paragraph("{%p else %}")
    organ()
    number(False)
    doc.add_paragraph("{%p endif %}")
    title = doc.add_paragraph(style="公文标题")
    title.paragraph_format.space_before = Pt(2 * LINE_PT)  # 分隔线下空二行
    title.paragraph_format.space_after = Pt(LINE_PT)  # 标题下空一行
    title.add_run("关于{{ period.title }}政务信息报送情况的通报")


def _body_paragraph(doc, kind: str, text: str):
    """One paragraph of BODY in the sample's styles."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
    from docx.shared import Mm, Pt

    style = {"h1": "一级标题", "h2": "二级标题", "annex_title": "公文标题"}.get(kind)
    p = doc.add_paragraph(style=style)
    if kind in ("ctl", "left", "annex_label", "sign", "date"):
        _no_indent(p)
    if kind in ("sign", "date"):
        p.paragraph_format.tab_stops.add_tab_stop(Mm(SIGN_TAB_MM), WD_TAB_ALIGNMENT.CENTER)
        p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
        p.paragraph_format.keep_with_next = kind == "sign"
        if kind == "sign":
            p.paragraph_format.space_before = Pt(SIGN_SPACE_LINES * LINE_PT)
        text = "\t" + text
    elif kind == "annex_note":
        p.paragraph_format.space_before = Pt(LINE_PT)  # 正文下空一行
    elif kind == "annex_label":
        set_fonts(p.add_run("附件"), "黑体", latin="黑体")
        p.paragraph_format.page_break_before = True  # 附件另面编排
        return p
    elif kind == "annex_title":
        p.paragraph_format.space_before = Pt(LINE_PT)  # 版心第三行
        p.paragraph_format.space_after = Pt(LINE_PT)
    if kind == "alert":
        run = p.add_run(text)
        _red(run)
        run.bold = True
    else:
        add_runs(p, text)
    return p


def _ranking_table(doc):
    """The 附件 table: a header row repeated on each page, then one row per unit ({%tr for %})."""
    from docx.shared import Mm

    n = len(TABLE_COLUMNS)
    rows = [[head for head, _, _ in TABLE_COLUMNS], ["{%tr for u in units %}"] + [""] * (n - 1),
            [cell for _, _, cell in TABLE_COLUMNS], ["{%tr endfor %}"] + [""] * (n - 1)]
    table = add_table(doc, rows)
    widths = [Mm(w) for _, w, _ in TABLE_COLUMNS]
    for col, w in zip(table.columns, widths):
        col.width = w
    for row in table.rows:
        for cell, w in zip(row.cells, widths):
            cell.width = w
    return table


def _odd_even_page_numbers(doc):
    """Page numbers as GB/T 9704 7.5 places them: odd pages 居右空一字, even pages 居左空一字 (the
    "— 1 —" of noticedocx's footer, copied to the even-page footer)."""
    import copy

    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc.settings.odd_and_even_pages_header_footer = True
    sec = doc.sections[0]
    odd = sec.footer.paragraphs[0]
    even_footer = sec.even_page_footer
    even_footer.is_linked_to_previous = False
    even = even_footer.paragraphs[0]
    even._p.addprevious(copy.deepcopy(odd._p))
    even._p.getparent().remove(even._p)
    even = even_footer.paragraphs[0]
    odd.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    odd.paragraph_format.right_indent = Pt(BODY_PT)
    even.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    even.paragraph_format.left_indent = Pt(BODY_PT)


def sample_template():
    """The 红头 template as a python-docx Document (module docstring)."""
    doc = blank_document()
    _odd_even_page_numbers(doc)
    _header(doc)
    keep = False  # 下步要求 … 成文日期 kept on one page: 署名 never stands alone on a page (7.3.5.5)
    for kind, text in BODY:
        if kind == "table":
            _ranking_table(doc)
            continue
        keep = (keep or text == KEEP_FROM) and kind != "date"
        p = _body_paragraph(doc, kind, text)
        if keep:
            p.paragraph_format.keep_with_next = True
    set_core_properties(doc, {"title": "政务信息报送情况通报（Word 模板）", "subject": "通报模板"})
    return doc


def sample_template_bytes() -> bytes:
    """The sample template's bytes: the same on every run (fixed properties and zip timestamps)."""
    return docx_bytes(sample_template())


def write_sample_template(target: Path) -> Path:
    """Write the sample 红头 template to target (govxl init)."""
    from .safeio import atomic_write

    data = sample_template_bytes()
    return atomic_write(Path(target), lambda tmp: Path(tmp).write_bytes(data))

