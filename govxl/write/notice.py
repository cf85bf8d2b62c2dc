"""The notice (通报): a Jinja2 template rendered to Markdown, then laid out as a Word document.

Flow: ``notice_context(result)`` turns the score result dict into template variables (every
number in the text comes from the result); the template ``notice.md.j2`` (workspace
``templates/`` first, package default otherwise) renders Markdown; ``markdown_to_docx`` lays
the same Markdown out per GB/T 9704-2012 (党政机关公文格式):

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

The Markdown dialect the template may use (kept small on purpose, all of it also reads well
in any Markdown viewer):

- ``# text``   title (centred, 二号 方正小标宋简体); consecutive ``#`` lines are title lines.
- ``## text``  first-level heading (黑体); a heading that starts with 附件 is set flush left.
- ``### text`` second-level heading (楷体_GB2312).
- ``| a | b |`` a table; the first row is the header (repeated on every page), the
  ``|---|`` separator row is optional.
- ``<p align="left">text</p>`` a paragraph without first-line indent (主送机关);
  ``<p align="right">text</p>`` right-aligned lines (署名 and 成文日期: two consecutive ones are
  placed as GB/T 9704 7.3.5.2 says); ``<p align="center">text</p>`` centred.
- ``<div style="page-break-after: always"></div>`` a page break.
- ``**bold**`` inside a paragraph.
- Every other non-blank line is body text; lines not separated by a blank line join into one
  paragraph. A paragraph starting with 附件： gets a blank line above it (附件说明).
"""
from __future__ import annotations

import datetime as _dt
import io
import re
import zipfile
from collections.abc import Iterable
from pathlib import Path

from ..errors import ConfigError

PACKAGE_TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
NOTICE_TEMPLATE = "notice.md.j2"

LEVELS_HIGH_FIRST = ("国家级", "省级", "市级", "县级")

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

PAGE_BREAK_RE = re.compile(r"^<div\s+style=[\"']page-break-(?:after|before):\s*always;?[\"']\s*>\s*</div>$", re.IGNORECASE)
ALIGNED_P_RE = re.compile(r"^<p\s+align=[\"'](left|right|center)[\"']\s*>(.*)</p>$", re.IGNORECASE)
TABLE_SEPARATOR_RE = re.compile(r"^\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?$")
BOLD_RE = re.compile(r"\*\*(.+?)\*\*")
BR_RE = re.compile(r"<br\s*/?>", re.IGNORECASE)


# ---------------------------------------------------------------- formatting helpers


def fmt_score(value) -> str:
    """Points with one decimal (spec §5: show one decimal)."""
    try:
        v = float(value or 0)
    except (TypeError, ValueError):
        return str(value)
    s = f"{v:.1f}"
    return "0.0" if s == "-0.0" else s


def fmt_percent(value) -> str:
    """0.3333 → 33.3%."""
    try:
        v = float(value or 0)
    except (TypeError, ValueError):
        return str(value)
    return f"{v * 100:.1f}%"


def fmt_int(value) -> str:
    try:
        f = float(value or 0)
    except (TypeError, ValueError):
        return str(value)
    return str(int(f)) if f == int(f) else f"{f:g}"


def md_cell(value) -> str:
    """Text safe inside a Markdown table cell."""
    return str(value if value is not None else "").replace("|", "｜").replace("\n", " ").strip()


def cn_join(items: Iterable, sep: str = "、") -> str:
    return sep.join(str(i) for i in items)


def levels_text(by_level: dict, *, sep: str = " ") -> str:
    """{"县级": 2, "市级": 1} → "市1 县2" (highest level first, zero levels left out)."""
    parts = [f"{short}{fmt_int(by_level.get(lv, 0))}" for lv, short in zip(LEVELS_HIGH_FIRST, "国省市县")
             if (by_level or {}).get(lv)]
    return sep.join(parts) if parts else "—"


def quota_text(unit: dict) -> str:
    """完成 / 未完成（差N篇） — the 完成情况 column of spec §5."""
    if unit.get("quota_met", True):
        return "完成"
    shortfall = unit.get("shortfall")
    if shortfall is None:
        shortfall = max(0, int(unit.get("quota") or 0) - int(unit.get("submitted") or 0))
    return f"未完成（差{fmt_int(shortfall)}篇）"


def _parse_date(text) -> _dt.date | None:
    if isinstance(text, _dt.datetime):
        return text.date()
    if isinstance(text, _dt.date):
        return text
    try:
        return _dt.date.fromisoformat(str(text)[:10])
    except (TypeError, ValueError):
        return None


def cn_date(d: _dt.date) -> str:
    """成文日期 in Arabic numerals, as GB/T 9704-2012 asks: 2025年11月5日."""
    return f"{d.year}年{d.month}月{d.day}日"


def period_title(period: dict) -> str:
    if period.get("title"):
        return str(period["title"])
    label = str(period.get("label") or "")
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", label)
    if m:
        return f"{m.group(1)}年{int(m.group(2))}月"
    m = re.fullmatch(r"(\d{4})-Q([1-4])", label, re.IGNORECASE)
    if m:
        return f"{m.group(1)}年第{'一二三四'[int(m.group(2)) - 1]}季度"
    m = re.fullmatch(r"(\d{4})-H([12])", label, re.IGNORECASE)
    if m:
        return f"{m.group(1)}年{'上下'[int(m.group(2)) - 1]}半年"
    if re.fullmatch(r"\d{4}", label):
        return f"{label}年"
    start, end = _parse_date(period.get("start")), _parse_date(period.get("end"))
    if start and end:
        return f"{cn_date(start)}至{cn_date(end)}"
    return label


# ---------------------------------------------------------------- template context


PLACEHOLDER = "【请填写】"  # what the clerk must write into a generated notice before it goes out


def notice_context(result: dict, *, sign_date: _dt.date | None = None) -> dict:
    """Template variables for the notice, all derived from the score result dict.

    Totals missing from ``result["totals"]`` (only submitted/adopted/points are contract keys)
    are summed from the units, so a minimal result still renders correctly.
    """
    period = dict(result.get("period") or {})
    period["title"] = period_title(period)
    units = [dict(u) for u in (result.get("units") or [])]
    for u in units:
        for key, default in (("rank", ""), ("group_rank", None), ("group", ""), ("submitted", 0), ("adopted", 0),
                             ("instructions", 0), ("points", 0.0), ("ytd_points", 0.0), ("quota", 0),
                             ("email", ""), ("contact", "")):
            if u.get(key) is None:
                u[key] = default
        u.setdefault("adopted_by_level", {})
        u["levels_text"] = levels_text(u["adopted_by_level"])
        u["quota_text"] = quota_text(u)
        u["quota_cell"] = u["quota_text"].replace("（", "<br>（", 1)  # two lines in a narrow table column
        if u.get("shortfall") is None:
            u["shortfall"] = max(0, int(u.get("quota") or 0) - int(u.get("submitted") or 0))

    totals = dict(result.get("totals") or {})
    totals.setdefault("submitted", sum(int(u.get("submitted") or 0) for u in units))
    totals.setdefault("adopted", sum(int(u.get("adopted") or 0) for u in units))
    totals.setdefault("points", sum(float(u.get("points") or 0) for u in units))
    totals.setdefault("instructions", sum(int(u.get("instructions") or 0) for u in units))
    totals.setdefault("units", len(units))
    if "adoption_rate" not in totals:
        totals["adoption_rate"] = (totals["adopted"] / totals["submitted"]) if totals["submitted"] else 0.0
    if "adopted_by_level" not in totals:
        totals["adopted_by_level"] = {
            lv: sum(int((u.get("adopted_by_level") or {}).get(lv) or 0) for u in units) for lv in LEVELS_HIGH_FIRST
        }
    by_level = {lv: int(totals["adopted_by_level"].get(lv) or 0) for lv in LEVELS_HIGH_FIRST}
    totals["adopted_by_level"] = by_level
    if "zero_units" not in totals:
        totals["zero_units"] = [u["unit"] for u in units if not u.get("submitted")]

    groups = list(result.get("groups") or [])
    for u in units:
        if u.get("group") and u["group"] not in groups:
            groups.append(u["group"])

    # The units named as leading their group: group rank 1-3 (ties included) with points.
    top_groups = []
    for g in groups:
        members = [u for u in units if u.get("group") == g]
        top = [u for u in members if (u.get("group_rank") or 99) <= 3 and float(u.get("points") or 0) > 0]
        top.sort(key=lambda u: (u.get("group_rank") or 99))
        if top:
            top_groups.append({"group": g, "units": top, "size": len(members)})

    zero_names = list(totals["zero_units"])
    under_quota = [u for u in units if not u.get("quota_met", True) and u.get("submitted")]
    active = [u for u in units if u.get("submitted")]

    end = _parse_date(period.get("end"))
    if sign_date is None and end is not None:
        nxt = end + _dt.timedelta(days=1)
        sign_date_text = f"{nxt.year}年{nxt.month}月{PLACEHOLDER}日"  # the clerk fills in the day
    elif sign_date is not None:
        sign_date_text = cn_date(sign_date)
    else:
        sign_date_text = f"{PLACEHOLDER}年{PLACEHOLDER}月{PLACEHOLDER}日"

    return {
        "office": result.get("office") or "",
        "period": period,
        "year": (end.year if end else ""),
        "period_end_text": cn_date(end) if end else "",
        "groups": groups,
        "units": units,
        "totals": totals,
        "levels": LEVELS_HIGH_FIRST,
        "by_level": by_level,
        "level_sum_exceeds_adopted": sum(by_level.values()) > int(totals["adopted"] or 0),
        "active_count": len(active),
        "late_total": sum(int(u.get("late") or 0) for u in units),
        "duplicates_total": sum(int(u.get("duplicates") or 0) for u in units),
        "top_groups": top_groups,
        "under_quota": under_quota,
        "zero_units": zero_names,
        "sign_date": sign_date_text,
        "alerts": list(result.get("alerts") or []),
        "authors": list(result.get("authors") or []),
    }


def template_env(template_dir: Path | None = None):
    """Jinja2 environment: the workspace's templates/ first, then the package defaults."""
    import jinja2

    search = []
    if template_dir is not None and Path(template_dir).is_dir():
        search.append(str(template_dir))
    search.append(str(PACKAGE_TEMPLATE_DIR))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search, encoding="utf-8"),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        score=fmt_score, percent=fmt_percent, num=fmt_int, cell=md_cell, cnjoin=cn_join, levels=levels_text
    )
    return env


def render_template(name: str, context: dict, template_dir: Path | None = None) -> str:
    """Render one template; a broken template is a config error (exit 2) naming file and line."""
    import jinja2

    env = template_env(template_dir)
    try:
        template = env.get_template(name)
        return template.render(**context)
    except jinja2.TemplateSyntaxError as e:
        where = e.filename or name
        raise ConfigError(f"模板 {where} 第{e.lineno}行有语法错误：{e.message}", path=where) from None
    except jinja2.UndefinedError as e:
        raise ConfigError(f"模板 {name} 使用了不存在的变量：{e.message}。请对照默认模板修改。", path=name) from None
    except jinja2.TemplateNotFound:
        raise ConfigError(f"找不到模板 {name}（templates/ 目录和程序自带模板中都没有）。", path=name) from None
    except (TypeError, ValueError, ArithmeticError) as e:
        raise ConfigError(f"模板 {name} 计算出错：{e}", path=name) from None


# ---------------------------------------------------------------- Markdown → blocks


def parse_markdown(text: str) -> list[dict]:
    """The small Markdown dialect of the module docstring → a list of blocks."""
    blocks: list[dict] = []
    para: list[str] = []
    table: list[list[str]] = []

    def flush_para():
        if para:
            blocks.append({"kind": "p", "text": _join_lines(para), "align": None})
            para.clear()

    def flush_table():
        if table:
            blocks.append({"kind": "table", "rows": [list(r) for r in table]})
            table.clear()

    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("|"):
            flush_para()
            if TABLE_SEPARATOR_RE.match(line):
                continue
            cells = line.strip("|").split("|")
            table.append([c.strip() for c in cells])
            continue
        flush_table()
        if not line:
            flush_para()
            continue
        if line.startswith("<!--") and line.endswith("-->"):
            continue
        m = re.match(r"^(#{1,4})\s+(.*)$", line)
        if m:
            flush_para()
            kind = {1: "title", 2: "h1", 3: "h2", 4: "h3"}[len(m.group(1))]
            blocks.append({"kind": kind, "text": m.group(2).strip()})
            continue
        if PAGE_BREAK_RE.match(line):
            flush_para()
            blocks.append({"kind": "pagebreak"})
            continue
        m = ALIGNED_P_RE.match(line)
        if m:
            flush_para()
            blocks.append({"kind": "p", "text": m.group(2).strip(), "align": m.group(1).lower()})
            continue
        para.append(line)
    flush_para()
    flush_table()
    return blocks


def _join_lines(lines: list[str]) -> str:
    out = lines[0]
    for line in lines[1:]:
        if out and line and (ord(out[-1]) < 0x2E80 and ord(line[0]) < 0x2E80):
            out += " " + line
        else:
            out += line
    return out


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


# ---------------------------------------------------------------- Word document


def _set_fonts(rpr_parent, east_asia: str, latin: str = FONT_LATIN, size_pt: float | None = None):
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


def _indent_chars(pf, element, *, first_line_chars: float = 0, right_chars: float = 0, size_pt: float = BODY_PT):
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
    _set_fonts(normal, FONT_BODY, size_pt=BODY_PT)
    pf = normal.paragraph_format
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    pf.line_spacing = Pt(LINE_PT)
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.widow_control = True
    pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    _indent_chars(pf, normal.element, first_line_chars=2)

    def add(name, east_asia, size, *, outline=None, align=None, line=LINE_PT, indent=2.0, latin=FONT_LATIN):
        st = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = normal
        st.next_paragraph_style = normal
        st.quick_style = True
        _set_fonts(st, east_asia, latin=latin, size_pt=size)
        spf = st.paragraph_format
        spf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        spf.line_spacing = Pt(line)
        spf.keep_with_next = outline is not None or name == "公文标题"
        if align is not None:
            spf.alignment = align
        _indent_chars(spf, st.element, first_line_chars=indent)
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
        _set_fonts(r, FONT_PAGE_NUMBER, latin=FONT_PAGE_NUMBER, size_pt=PAGE_NUMBER_PT)
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


def _add_runs(paragraph, text: str):
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


def _plain(text: str) -> str:
    return BR_RE.sub("\n", BOLD_RE.sub(r"\1", text))


def _add_table(doc, rows: list[list[str]]):
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
            _add_runs(p, text)
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
        head = display_width(_plain(rows[0][c]))
        head_min = head if head <= 2 else -(-head // 2)
        cells = [_plain(r[c]) for r in rows[1:]]
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


def markdown_to_docx(md_text: str, *, core: dict | None = None):
    """Lay the rendered Markdown out as a GB/T 9704 Word document; returns a python-docx Document."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml.ns import qn
    from docx.shared import Pt
    from docx.text.paragraph import Paragraph

    doc = docx.Document()
    _drop_thumbnail(doc)
    _setup_styles(doc)
    _declare_fonts(doc)
    _setup_section(doc)
    body = doc.element.body
    for p in list(body.iterchildren()):
        if p.tag.endswith("}p"):
            body.remove(p)

    blocks = parse_markdown(md_text)
    i = 0
    prev_kind = None
    break_before = False
    while i < len(blocks):
        mark = len(body)
        b = blocks[i]
        kind = b["kind"]
        if kind == "title":
            p = doc.add_paragraph(style="公文标题")
            _add_runs(p, b["text"])
            nxt = blocks[i + 1]["kind"] if i + 1 < len(blocks) else None
            if nxt != "title":
                p.paragraph_format.space_after = Pt(LINE_PT)  # 标题下空一行
        elif kind in ("h1", "h2", "h3"):
            style = {"h1": "一级标题", "h2": "二级标题", "h3": "Normal"}[kind]
            p = doc.add_paragraph(style=style)
            _add_runs(p, b["text"])
            if kind == "h1" and _plain(b["text"]).startswith("附件"):
                p.paragraph_format.first_line_indent = Pt(0)
                _indent_chars(p.paragraph_format, p._p, first_line_chars=0)
        elif kind == "pagebreak":
            nxt = blocks[i + 1]["kind"] if i + 1 < len(blocks) else None
            if nxt in (None, "table", "pagebreak"):
                p = doc.add_paragraph()
                p.paragraph_format.first_line_indent = Pt(0)
                p.add_run().add_break(WD_BREAK.PAGE)
            else:
                break_before = True  # the next paragraph starts the page: no empty line on top
        elif kind == "table":
            _add_table(doc, b["rows"])
        elif kind == "p" and b["align"] == "right":
            run = [b]
            while i + 1 < len(blocks) and blocks[i + 1]["kind"] == "p" and blocks[i + 1]["align"] == "right":
                i += 1
                run.append(blocks[i])
            indents = _signature_indents([_plain(x["text"]) for x in run])
            for j, (x, right) in enumerate(zip(run, indents)):
                p = doc.add_paragraph()
                p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                _indent_chars(p.paragraph_format, p._p, first_line_chars=0, right_chars=right)
                if j == 0 and prev_kind not in (None, "title"):
                    p.paragraph_format.space_before = Pt(LINE_PT)  # 正文下空一行
                p.paragraph_format.keep_with_next = j < len(run) - 1
                _add_runs(p, x["text"])
        else:
            p = doc.add_paragraph()
            align = b.get("align")
            if align in ("left", "center"):
                _indent_chars(p.paragraph_format, p._p, first_line_chars=0)
                if align == "center":
                    p.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
            if _plain(b["text"]).startswith(("附件：", "附件:")) and prev_kind not in (None, "title"):
                p.paragraph_format.space_before = Pt(LINE_PT)
            _add_runs(p, b["text"])
        if break_before and kind != "pagebreak":
            first_new = body[mark - 1]  # body ends with sectPr; new blocks go in before it
            if first_new.tag == qn("w:p"):
                Paragraph(first_new, doc._body).paragraph_format.page_break_before = True
            break_before = False
        prev_kind = kind
        i += 1

    cp = doc.core_properties
    core = core or {}
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
    return doc


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


# ---------------------------------------------------------------- writing files


def notice_basename(result: dict) -> str:
    """The ranking workbook's name without its extension: one name for a period's outputs."""
    from .safeio import output_stem

    return output_stem(result.get("office") or "", period_title(result.get("period") or {}))


def write_outputs(files: dict[Path, bytes]):
    """Write several files, each to a temp file moved into place (govxl.write.safeio). A target open in
    Word/WPS is tried first, so the OutputLocked it raises (exit 3) comes before any other file
    of the set is replaced."""
    from .safeio import atomic_write, is_open_elsewhere

    for path, data in sorted(files.items(), key=lambda kv: not is_open_elsewhere(kv[0])):
        atomic_write(path, lambda tmp, data=data: Path(tmp).write_bytes(data))


def render_notice(result: dict, *, template_dir: Path | None = None, sign_date: _dt.date | None = None) -> str:
    """The notice as Markdown text. An alert (a period without data) is always said at its top, also
    under a clerk's own template written before templates had `alerts`."""
    context = notice_context(result, sign_date=sign_date)
    text = render_template(NOTICE_TEMPLATE, context, template_dir)
    unsaid = [a for a in context["alerts"] if a not in text]
    if unsaid:
        lines = text.split("\n")
        at = next((i + 1 for i, line in enumerate(lines) if line.startswith("# ")), 0)
        while at < len(lines) and lines[at].startswith("# "):
            at += 1  # after the title lines
        lines[at:at] = ["", *(f"【注意：{a}】\n" for a in unsaid)]
        text = "\n".join(lines)
    return text


def write_notice(
    result: dict,
    out_dir: Path,
    *,
    template_dir: Path | None = None,
    sign_date: _dt.date | None = None,
) -> list[Path]:
    """Write ``<机关名称><period label>政务信息报送情况通报.md`` and ``.docx`` into out_dir.

    ``template_dir`` is the workspace's templates/ folder: its notice.md.j2 is used when present,
    else the package default. ``sign_date`` sets 成文日期 (default: the month after the period,
    day left blank for the clerk). Returns [md path, docx path]. Raises ConfigError (exit 2) for
    a broken template, OutputLocked (exit 3) when an output is open in Word/WPS.
    """
    out_dir = Path(out_dir)
    md_text = render_notice(result, template_dir=template_dir, sign_date=sign_date)
    ctx_period = result.get("period") or {}
    end = _parse_date(ctx_period.get("end"))
    blocks = parse_markdown(md_text)
    first_title = []
    for b in blocks:
        if b["kind"] == "title":
            first_title.append(b["text"])
        elif first_title:
            break
    title = "".join(first_title)
    doc = markdown_to_docx(
        md_text,
        core={
            "date": _dt.datetime(end.year, end.month, end.day) if end else None,
            "title": _plain(title),
            "subject": f"{result.get('office') or ''}{period_title(ctx_period)}政务信息报送情况",
        },
    )
    base = notice_basename(result)
    md_path = out_dir / f"{base}.md"
    docx_path = out_dir / f"{base}.docx"
    write_outputs({md_path: md_text.encode("utf-8"), docx_path: docx_bytes(doc)})
    return [md_path, docx_path]
