"""`govxl init DIR [--sample]`: the workspace layout (spec §2) and the config workbook govxl.xlsx (spec §3).

    DIR/govxl.xlsx    config workbook: roster, rules, settings, extra header synonyms
    DIR/workbooks/    registers (with --sample: an example year, see sample.py)
    DIR/out/          everything govxl writes
    DIR/templates/    notice / mail templates the clerk may edit (copied from the package; notice.docx,
                      the 红头 Word template, built by govxl/write/noticetpl.py)

The config workbook is written from the tables in defaults.py, so what `init` writes and what govxl
assumes when a sheet is silent can never disagree. Output is deterministic: the same arguments give
byte-identical files.
"""
from __future__ import annotations

import datetime as dt
import math
import os
import shutil
import tempfile
from pathlib import Path
from typing import Optional

from .. import defaults as D
from ..errors import OutputLocked, UsageError, os_reason
from .roster_data import OFFICE_NAME, ROSTER

CONFIG_NAME = "govxl.xlsx"
WORKBOOKS_DIR = "workbooks"
OUT_DIR = "out"
TEMPLATES_DIR = "templates"
SETTINGS_NOTE_COLUMN = "说明"

# 列名映射 example rows: 标准列 ← a header some office writes that the built-in synonyms do not know
MAPPING_EXAMPLES = (
    ("标题", "信息标题（全称）"),
    ("撰稿人", "供稿人"),
)

NOTES = {
    D.SHEET_ROSTER: (
        "每行一个报送单位。“单位名称”必填且不能重复。",
        "“别名”填写台账里出现的其他写法，多个用顿号（、）隔开，如：县发改局、发改局。",
        "“分组”用于分组排名，如 乡镇、县直一类、县直二类；空白为“未分组”。",
        "“月任务数”为每月应报篇数，空白按“设置”表中的默认月任务。",
        "“邮箱”用于 govxl mail 发送通报；“排序”决定通报中的单位顺序，空白按本表顺序。",
        "“每月发布任务”（govxl web）为每月应在网站和政务新媒体发布的条数，空白为不设任务；"
        "“新媒体账号”写作“平台：账号名称”，多个用分号隔开，如：微信公众号：城关发布；微博：城关发布。",
    ),
    D.SHEET_UPDATE_LIMITS: (
        "govxl web 检查栏目和账号是否超期未更新：两次发布相隔（或最后一次发布至期末）超过“最长间隔天数”即为超期。",
        "栏目类别见“栏目归类”表；政务新媒体账号一律按“新媒体账号”类别检查。",
    ),
    D.SHEET_COLUMN_CATEGORIES: (
        "网站栏目按名称归入栏目类别：栏目名称与关键词相同，或含有关键词（关键词长的优先）。多个关键词用顿号隔开。",
        "归不进任何类别的栏目只统计发布条数，不检查更新间隔。",
    ),
    D.SHEET_ADOPTION: (
        "每行一个刊物（或栏目）及其分值。“级别”只能填 县级、市级、省级、国家级。",
        "刊物名称就写级别本身的行（如“市级”）是该级的默认分值：台账只写“市采用”或刊物不在本表时按它计分。",
        "“别名”填写台账里对同一刊物的其他写法，多个用顿号隔开。",
        "“倍数”可选，空白为 1：信息被该刊物采用时，这篇信息的采用得分乘以倍数（如被省级转报 ×2）。",
        "同一篇信息被多次采用时怎样计分，见“设置”表的“多次采用计分”。",
        "“信息类型”可选：同一刊物可再加几行，填信息类型（如 调研），该类信息被这个刊物采用时按这一行的分值计；"
        "信息类型为空的一行是其他信息的分值，必须有。",
    ),
    D.SHEET_INSTRUCTION: (
        "领导级别：县级、市级、省级、国家级。",
        "首次分值：同一篇信息第一次得到该级领导批示的得分；再次分值：同级领导每多一条批示的得分。",
        "只计最高一条还是每条都计，见“设置”表的“批示计分”。",
        "“刊物”可选：填采用计分中的刊物，批示所在的信息被该刊物采用时按这一行计分（如 批示在《政务建议》上的 10 分）；"
        "刊物为空的一行是该级领导其他批示的分值。",
    ),
    D.SHEET_OTHER: (
        "报送每篇：每篇计入的报送信息得分；报送每月上限：每个单位每月报送分的上限，空白为不设上限。",
        "约稿、迟报、失实的分值可为负数（扣分）。",
        "每月基础分、缺报每篇、季度采用率不达标 等为可选规则，分值为 0 表示不使用。",
        "迟报按“设置”表中的时限判断：紧急、重要和其他信息分别计算。",
    ),
    D.SHEET_SETTINGS: (
        "只改“值”一列；“说明”列介绍每一项的含义和可选值。",
        "邮件密码不写在本表，只从环境变量 GOVXL_SMTP_PASSWORD 读取。",
    ),
    D.SHEET_MAPPING: (
        "可选。台账表头的写法 govxl 不认识时，在这里登记：",
        "“标准列”填 govxl 的列名（如 标题、报送日期、撰稿人），“同义列名”填台账里的写法，多个用顿号隔开。",
        "下面两行是示例，可以修改或删除。",
    ),
}


def _package_templates():
    """The package's templates folder as an importlib Traversable (works from a wheel or a source tree)."""
    try:
        from importlib.resources import files

        root = files("govxl").joinpath("templates")
        if root.is_dir():
            return root
    except (ImportError, ModuleNotFoundError, TypeError):
        pass
    return Path(__file__).resolve().parent.parent / "templates"


def template_files() -> list:
    """(relative path, Traversable) of every template shipped with govxl, except the config template."""
    out = []

    def walk(node, rel: tuple):
        for child in sorted(node.iterdir(), key=lambda c: c.name):
            name = child.name
            if name.startswith((".", "~$")) or name == "__pycache__" or name.endswith((".pyc", ".pyo")):
                continue
            if child.is_dir():
                walk(child, rel + (name,))
            elif child.is_file():
                if not rel and name == CONFIG_NAME:
                    continue
                out.append((Path(*rel, name), child))

    root = _package_templates()
    if root.is_dir():
        walk(root, ())
    return out


# ---- the config workbook -------------------------------------------------------------

def _note_rows(lines, width_chars: int) -> int:
    """Rows a wrapped note needs (CJK characters count twice the width of Latin ones)."""
    total = 0
    for line in lines:
        units = sum(2 if ord(ch) > 0x2E80 else 1 for ch in line)
        total += max(1, math.ceil(units / width_chars))
    return total


class _Writer:
    """Shared formats and the table-plus-note layout of every config sheet."""

    NOTE_WIDTH = 64

    def __init__(self, wb):
        self.wb = wb
        self.head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "align": "center",
                                   "valign": "vcenter"})
        self.text = wb.add_format({"border": 1, "valign": "vcenter"})
        self.num = wb.add_format({"border": 1, "valign": "vcenter", "align": "center"})
        self.note_label = wb.add_format({"bold": True, "font_color": "#7F7F7F"})
        self.note = wb.add_format({"text_wrap": True, "valign": "top", "font_color": "#595959",
                                   "bg_color": "#F8F8F8", "border": 1, "border_color": "#D9D9D9"})

    def sheet(self, name: str, columns, widths, rows, note_lines, *, freeze_col: int = 0):
        ws = self.wb.add_worksheet(name)
        for c, col in enumerate(columns):
            ws.set_column(c, c, widths[c] if c < len(widths) else 10)
            ws.write_string(0, c, col, self.head)
        for r, row in enumerate(rows, start=1):
            for c in range(len(columns)):  # rows shorter than the header get formatted blanks
                self.cell(ws, r, c, row[c] if c < len(row) else None)
        ws.freeze_panes(1, freeze_col)
        ws.set_row(0, 20)
        ws.repeat_rows(0)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)
        # the note sits right of the table, one empty column between, so the header row stays unambiguous
        nc = len(columns) + 1
        ws.set_column(len(columns), len(columns), 3)
        ws.set_column(nc, nc, self.NOTE_WIDTH)
        ws.write_string(0, nc, "填写说明", self.note_label)
        text = "\n".join(note_lines)
        height = _note_rows(note_lines, self.NOTE_WIDTH) + 1
        if height > 1:
            ws.merge_range(1, nc, height, nc, text, self.note)
        else:
            ws.write_string(1, nc, text, self.note)
        return ws

    def cell(self, ws, r: int, c: int, value):
        if value is None or value == "":
            ws.write_blank(r, c, None, self.text)
        elif isinstance(value, bool):
            ws.write_string(r, c, "是" if value else "否", self.text)
        elif isinstance(value, (int, float)):
            ws.write_number(r, c, value, self.num)
        else:
            ws.write_string(r, c, str(value), self.text)


def _setting_choices() -> dict:
    """Allowed values of the choice settings, as config.py validates them (for drop-down lists)."""
    try:
        from ..normalise import config

        return dict(getattr(config, "CHOICES", {}))
    except ImportError:
        return {}


def write_config(path: Path, roster=ROSTER, year: int = 2025, *, office_name: Optional[str] = None,
                 sample: bool = False) -> Path:
    """Write the config workbook govxl.xlsx: roster, the default rules and settings, example mappings.

    roster: RosterUnit rows (see roster_data). office_name replaces the 机关名称 setting when given.
    sample: with the sample county's own publications (roster_data.SAMPLE_ADOPTION_RULES) and settings
    (an example sender), so its registers read without a hint that is not meant.
    The file is written next to its destination and moved into place, so a failure leaves no half file.
    """
    from ..write.safeio import atomic_write

    path = Path(path)
    return atomic_write(path, lambda tmp: _write_config_book(tmp, roster, year, office_name, sample))


def _write_config_book(tmp: Path, roster, year: int, office_name: Optional[str], sample: bool = False):
    from .roster_data import SAMPLE_ADOPTION_RULES, SAMPLE_SETTINGS
    from .sample_web import roster_web_cells

    import xlsxwriter

    wb = xlsxwriter.Workbook(str(tmp), {"strings_to_numbers": False, "strings_to_formulas": False,
                                   "strings_to_urls": False})
    wb.set_properties({"title": "govxl 配置工作簿", "subject": "单位名册、计分规则和设置",
                       "company": office_name or "", "created": dt.datetime(year, 1, 1, 8, 0, 0)})
    w = _Writer(wb)
    roster_rows = [
        (u.name, "、".join(u.aliases), u.group, u.quota, u.contact, u.email, u.order, *roster_web_cells(u))
        for u in roster
    ]
    roster_columns = D.ROSTER_COLUMNS + D.ROSTER_WEB_COLUMNS
    ws = w.sheet(D.SHEET_ROSTER, roster_columns, (22, 34, 11, 9, 10, 26, 7, 12, 30), roster_rows,
                 NOTES[D.SHEET_ROSTER], freeze_col=1)
    if roster_rows:
        ws.autofilter(0, 0, len(roster_rows), len(roster_columns) - 1)
    ws.data_validation(1, 3, 2000, 3, {"validate": "decimal", "criteria": ">=", "value": 0,
                                       "error_message": "月任务数应为不小于 0 的数字，空白按默认月任务"})

    level_list = {"validate": "list", "source": list(D.LEVELS),
                  "error_message": "级别只能是 县级、市级、省级、国家级 之一"}
    adoption = D.DEFAULT_ADOPTION_RULES + (SAMPLE_ADOPTION_RULES if sample else ())
    ws = w.sheet(D.SHEET_ADOPTION, D.ADOPTION_COLUMNS, (24, 9, 8, 36), adoption, NOTES[D.SHEET_ADOPTION])
    ws.data_validation(1, 1, 500, 1, level_list)
    ws = w.sheet(D.SHEET_INSTRUCTION, D.INSTRUCTION_COLUMNS, (11, 10, 10), D.DEFAULT_INSTRUCTION_RULES,
                 NOTES[D.SHEET_INSTRUCTION])
    ws.data_validation(1, 0, 100, 0, level_list)
    w.sheet(D.SHEET_OTHER, D.OTHER_COLUMNS, (16, 8), D.DEFAULT_OTHER_RULES, NOTES[D.SHEET_OTHER])

    own = {"机关名称": office_name} if office_name else {}
    own.update(SAMPLE_SETTINGS if sample else {})
    settings = [(key, own.get(key, value), note) for key, value, note in D.DEFAULT_SETTINGS]
    ws = w.sheet(D.SHEET_SETTINGS, (*D.SETTINGS_COLUMNS, SETTINGS_NOTE_COLUMN), (18, 24, 58), settings,
                 NOTES[D.SHEET_SETTINGS], freeze_col=1)
    choices = _setting_choices()
    for r, (key, _value, _note) in enumerate(settings, start=1):
        if key in choices:
            ws.data_validation(r, 1, r, 1, {"validate": "list", "source": list(choices[key]),
                                            "error_message": f"可选值：{' / '.join(choices[key])}"})
    w.sheet(D.SHEET_MAPPING, D.MAPPING_COLUMNS, (12, 30), MAPPING_EXAMPLES, NOTES[D.SHEET_MAPPING])
    w.sheet(D.SHEET_UPDATE_LIMITS, D.UPDATE_LIMIT_COLUMNS, (14, 14), D.DEFAULT_UPDATE_LIMITS,
            NOTES[D.SHEET_UPDATE_LIMITS])
    w.sheet(D.SHEET_COLUMN_CATEGORIES, D.COLUMN_CATEGORY_COLUMNS, (12, 64), D.DEFAULT_COLUMN_CATEGORIES,
            NOTES[D.SHEET_COLUMN_CATEGORIES])
    wb.close()


# ---- init ---------------------------------------------------------------------------

def _unwritable(path: Path, exc: OSError) -> OutputLocked:
    reason = os_reason(exc)
    return OutputLocked(f"无法写入 {path}：{reason}。请检查文件夹权限，或关闭在 Excel/WPS 中打开的同名文件后再试。",
                        path=str(path))


def init_workspace(dest: Path, sample: bool = False, *, year: int = 2025, force: bool = False) -> list[Path]:
    """Create the workspace layout in dest; with sample, also an example year of registers.

    Refuses (UsageError, nothing written) when dest/govxl.xlsx exists, or when a sample register
    would replace a file in dest/workbooks, unless force. Template files the clerk already has are
    kept unless force. Returns the files written (config, templates, registers), in writing order.
    """
    dest = Path(dest)
    config = _config_to_write(dest, force)
    created: list[Path] = []
    staging: Optional[Path] = None
    try:
        dest.mkdir(parents=True, exist_ok=True)
        sample_files: list = []
        if sample:
            _refuse_sample_clash(dest, year, force)
            staging = Path(tempfile.mkdtemp(prefix=".govxl-init-", dir=str(dest)))
            sample_files = _stage_sample(dest, staging, year)
        for sub in (WORKBOOKS_DIR, OUT_DIR, TEMPLATES_DIR):
            (dest / sub).mkdir(parents=True, exist_ok=True)
        write_config(config, ROSTER, year, office_name=OFFICE_NAME if sample else None, sample=sample)
        created.append(config)
        created += _copy_templates(dest, force)
        for src, target in sample_files:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(src, target)
            created.append(target)
    except OSError as exc:
        raise _unwritable(Path(getattr(exc, "filename", None) or dest), exc) from exc
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    return created


def _config_to_write(dest: Path, force: bool) -> Path:
    """dest/govxl.xlsx; UsageError when dest is a file, or the config exists and force is not given."""
    if dest.exists() and not dest.is_dir():
        raise UsageError(f"{dest} 已存在且不是文件夹，无法在其中创建工作区", path=str(dest))
    config = dest / CONFIG_NAME
    if config.exists() and not force:
        raise UsageError(
            f"{config} 已存在。为避免覆盖其中的单位名册和计分规则，未做任何修改；"
            f"如确需重新生成，请先将它改名或移走，或加 --force 重新生成（templates 中改过的模板也会换回默认）。",
            path=str(config))
    return config


def _refuse_sample_clash(dest: Path, year: int, force: bool):
    """UsageError when a sample register would replace a file in dest/workbooks and force is not given."""
    from .sample import sample_file_names

    clash = [dest / WORKBOOKS_DIR / n for n in sample_file_names(ROSTER, year)
             if (dest / WORKBOOKS_DIR / n).exists()]
    if clash and not force:
        names = "、".join(str(t.relative_to(dest)) for t in clash[:3])
        more = f" 等 {len(clash)} 个文件" if len(clash) > 3 else ""
        raise UsageError(
            f"{dest / WORKBOOKS_DIR} 中已有同名台账（{names}{more}），为免覆盖未做任何修改；"
            f"请先移走这些文件，或加 --force 覆盖。", path=str(clash[0]))


def _stage_sample(dest: Path, staging: Path, year: int) -> list:
    """Write the sample registers into staging; → [(staged file, its place under dest/workbooks)]."""
    from .sample import write_sample_registers

    written = write_sample_registers(staging, ROSTER, year=year)
    return [(p, dest / WORKBOOKS_DIR / p.relative_to(staging)) for p in written]


def _copy_templates(dest: Path, force: bool) -> list:
    """Copy the package's templates into dest/templates (a template already there stays unless force)."""
    copied = []
    for rel, src in template_files():
        target = dest / TEMPLATES_DIR / rel
        if target.exists() and not force:
            continue  # the clerk's edited template stays
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(src.read_bytes())
        copied.append(target)
    from ..write.noticetpl import NOTICE_DOCX, write_sample_template

    target = dest / TEMPLATES_DIR / NOTICE_DOCX  # the 红头 Word template, built from code (noticetpl)
    if force or not target.exists():
        copied.append(write_sample_template(target))
    return copied
