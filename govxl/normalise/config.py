"""The config workbook govxl.xlsx: roster, scoring rules, settings and extra header synonyms (spec §3).

Read-only: govxl never writes into it. Every problem found is collected (with sheet, row and column)
so `govxl check` can list them all at once; `load_config` raises ConfigError when any is an error.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .. import defaults as D
from ..errors import ERROR, WARNING, ConfigError, InputUnreadable, Problem, col_letter
from ..read.reader import display_path, read_file
from . import webconfig
from .text import cell_text, norm, norm_title, split_aliases

CHOICES = {
    "多次采用计分": ("最高", "累计"),
    "批示计分": ("最高", "累计"),
    "重复信息处理": ("首报", "全计", "均分"),
    "归属月份": ("报送日期", "采用日期"),
    "并列排名": ("跳号", "连续"),
}
NUMERIC_SETTINGS = {
    "默认月任务": (0, 10000),
    "疑似重复阈值": (0, 100),
    "跨单位疑似重复阈值": (0, 100),
    "跨单位疑似重复天数": (0, 366),
    "紧急时限（分钟）": (0, 100000),
    "重要时限（小时）": (0, 100000),
    "一般时限（小时）": (0, 100000),
    "文件大小上限（MB）": (1, 100000),
    "约稿未完成清零次数": (1, 1000),
    "表彰名额": (0, 1000),
}
CHOICES["失实取消评先"] = ("是", "否")
CHOICES["邮件附件"] = ("总表", "本单位反馈", "两者")
CHOICES["跨单位疑似重复"] = ("是", "否")


@dataclass
class Unit:
    name: str
    group: str = D.DEFAULT_GROUP
    aliases: tuple = ()
    quota: Optional[float] = None  # None → setting 默认月任务
    contact: str = ""
    email: str = ""
    order: float = 0.0
    index: int = 0  # position in the roster sheet
    posting_task: Optional[float] = None  # 每月发布任务 (govxl web); None = no task
    accounts: tuple = ()  # (platform, account name) from 新媒体账号 (govxl web)


@dataclass
class AdoptionRule:
    name: str  # 刊物 as written
    level: str
    points: float
    aliases: tuple = ()
    row: int = 0
    multiplier: float = 1.0  # 倍数: the item's adoption points × this (e.g. forwarded to 省 ×2)
    types: tuple = ()  # 信息类型 words: a row for the items of these types only (the untyped row of its 刊物 is the rest)

    @property
    def is_level_default(self) -> bool:
        return not self.types and norm(self.name) == norm(self.level)


@dataclass
class PublicationInstructionRule:
    """A 批示计分 row with 刊物 filled: a 批示 on an item adopted by that publication (a 采用计分 row)."""
    level: str
    publication: str  # the 采用计分 row's 刊物, as written there
    first: float
    again: float
    row: int = 0


@dataclass
class Config:
    path: Optional[str] = None
    units: list = field(default_factory=list)
    adoption_rules: list = field(default_factory=list)
    instruction_rules: dict = field(default_factory=dict)  # level → (first, again)
    instruction_publication_rules: list = field(default_factory=list)  # PublicationInstructionRule, in sheet order
    other: dict = field(default_factory=dict)  # 项目 → points (None = blank)
    settings: dict = field(default_factory=dict)
    mapping: dict = field(default_factory=dict)  # standard column → [synonyms]
    problems: list = field(default_factory=list)
    # govxl web (webconfig.py): 栏目类别 → 最长间隔天数, and (栏目类别, keyword) rows of 栏目归类
    update_limits: dict = field(default_factory=lambda: {k: float(v) for k, v in D.DEFAULT_UPDATE_LIMITS})
    column_categories: list = field(default_factory=lambda: webconfig.default_categories())

    # ---- derived lookups -------------------------------------------------
    def __post_init__(self):
        self._unit_index: Optional[dict] = None

    def unit_index(self) -> dict:
        """Normalised canonical name or alias → Unit."""
        if self._unit_index is None:
            idx = {}
            for u in self.units:
                for n in (u.name, *u.aliases):
                    idx.setdefault(norm(n), u)
            self._unit_index = idx
        return self._unit_index

    def setting(self, key: str):
        return self.settings.get(key, dict((k, v) for k, v, _ in D.DEFAULT_SETTINGS).get(key))

    def num(self, key: str, default: float = 0.0) -> float:
        v = self.setting(key)
        try:
            return float(v)
        except (TypeError, ValueError):
            return default

    def other_points(self, key: str, default: Optional[float] = 0.0) -> Optional[float]:
        if key in self.other:
            return self.other[key]
        return default

    @property
    def office(self) -> str:
        return str(self.setting("机关名称") or "")

    def quota_of(self, unit: Unit) -> float:
        return unit.quota if unit.quota is not None else self.num("默认月任务", 2)

    def groups(self) -> list:
        seen = []
        for u in sorted(self.units, key=lambda u: (u.order, u.index)):
            if u.group not in seen:
                seen.append(u.group)
        return seen


def default_config() -> Config:
    """The rules of spec §3 with an empty roster (used by tests and as a fallback for rules)."""
    cfg = Config()
    cfg.adoption_rules = [AdoptionRule(n, lv, float(p), tuple(split_aliases(a))) for n, lv, p, a in D.DEFAULT_ADOPTION_RULES]
    cfg.instruction_rules = {lv: (float(a), float(b)) for lv, a, b in D.DEFAULT_INSTRUCTION_RULES}
    cfg.other = {k: float(v) for k, v in D.DEFAULT_OTHER_RULES}
    cfg.settings = {k: v for k, v, _ in D.DEFAULT_SETTINGS}
    return cfg


# ---- reading -------------------------------------------------------------

class _Table:
    """A simple table in a config sheet: header row with the contract's column names, rows below it."""

    def __init__(self, grid, columns, problems, file):
        self.grid, self.file, self.problems = grid, file, problems
        self.cols: dict = {}
        self.header_row = None
        wanted = {norm(c): c for c in columns}
        for r, row in enumerate(grid.rows[:15]):
            found = {}
            for c, v in enumerate(row):
                key = norm(cell_text(v))
                if key in wanted and wanted[key] not in found:
                    found[wanted[key]] = c
            if found and (self.header_row is None or len(found) > len(self.cols)):
                self.cols, self.header_row = found, r
                if len(found) == len(columns):
                    break

    def rows(self):
        """(excel_row, {column: value}) for each non-blank row under the header (stops at the table's end)."""
        if self.header_row is None:
            return
        for i in range(self.header_row + 1, len(self.grid.rows)):
            row = self.grid.rows[i]
            rec = {name: (row[c] if c < len(row) else "") for name, c in self.cols.items()}
            excel_row = self.grid.excel_row(i)
            if all(cell_text(v).strip() == "" for v in rec.values()) and \
                    not any(self.uncached(excel_row, name) for name in self.cols):
                continue
            yield excel_row, rec

    def uncached(self, excel_row, column) -> bool:
        """Whether the cell is a formula with no value saved (read as empty: the file was not saved by Excel)."""
        c = self.cols.get(column)
        return c is not None and (excel_row - 1, self.grid.excel_col(c)) in self.grid.uncached

    def blank(self, excel_row, column, label=None) -> str:
        """What to say of an empty required cell: empty, or a formula without a value."""
        label = label or column
        if self.uncached(excel_row, column):
            return f"{label}是公式但没有计算结果（请在 Excel/WPS 中打开并保存后再试，或直接填写）"
        return f"{label}为空"

    def number(self, excel_row, rec, column, *, label=None, negative=True, required=False):
        """(ok, value) of a number cell. value None: blank (an error when required). Each fault is said as
        what it is: not a number, not finite, negative where it cannot be, a formula without a value."""
        label = label or column
        raw = rec.get(column)
        shown = cell_text(raw).strip()
        try:
            value = _number(raw)
        except ValueError:
            self.problem(ERROR, excel_row, column, f"{label}“{shown}”不是数字")
            return False, None
        if value is None:
            if isinstance(raw, bool):
                self.problem(ERROR, excel_row, column, f"{label}“{shown}”不是数字")
                return False, None
            if required or self.uncached(excel_row, column):
                self.problem(ERROR, excel_row, column, self.blank(excel_row, column, label))
                return False, None
            return True, None
        if not math.isfinite(value):
            self.problem(ERROR, excel_row, column, f"{label}“{shown}”不是有限的数字（无穷大或非数）")
            return False, None
        if value < 0 and not negative:
            self.problem(ERROR, excel_row, column, f"{label}“{shown}”是负数，不能小于 0")
            return False, None
        return True, value

    def problem(self, severity, excel_row, column, message):
        col = col_letter(self.cols[column]) if column in self.cols else None
        self.problems.append(Problem(severity, message, self.file, self.grid.sheet, excel_row, col))


def _number(value) -> Optional[float]:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    t = cell_text(value).strip().replace("−", "-").replace("－", "-").replace("＋", "+")
    if not t:
        return None
    try:
        return float(t)
    except ValueError:
        raise ValueError(t) from None


def load_config(path, *, need_roster: bool = True, need_rules: bool = True, strict: bool = True) -> Config:
    """Read govxl.xlsx. With strict, raise ConfigError when any problem is an error."""
    path = Path(path)
    shown = display_path(path)
    if not path.exists():
        raise ConfigError(f"找不到配置工作簿 {shown}。请先运行 govxl init 创建，或用 --config 指定。", path=shown)
    try:
        grids = {g.sheet: g for g in read_file(path)}
    except InputUnreadable as exc:
        raise ConfigError(f"配置工作簿无法读取：{exc.message}", path=shown) from exc
    cfg = default_config()
    cfg.path = shown
    P = cfg.problems

    def sheet(name, required):
        g = grids.get(name)
        if g is None:
            # tolerate sheet names typed with stray spaces
            for k, v in grids.items():
                if norm(k) == norm(name):
                    g = v
        if g is None and required:
            P.append(Problem(ERROR, f"缺少工作表“{name}”", shown, name))
        return g

    readers = (
        (D.SHEET_ROSTER, D.ROSTER_COLUMNS + D.ROSTER_WEB_COLUMNS, need_roster, lambda t: _read_roster(cfg, t, need_roster)),
        (D.SHEET_ADOPTION, D.ADOPTION_COLUMNS, need_rules, lambda t: _read_adoption(cfg, t)),
        (D.SHEET_INSTRUCTION, D.INSTRUCTION_COLUMNS, need_rules, lambda t: _read_instruction(cfg, t)),
        (D.SHEET_OTHER, D.OTHER_COLUMNS, need_rules, lambda t: _read_other(cfg, t)),
        (D.SHEET_SETTINGS, D.SETTINGS_COLUMNS, False, lambda t: _read_settings(cfg, t)),
        (D.SHEET_MAPPING, D.MAPPING_COLUMNS, False, lambda t: _read_mapping(cfg, t)),
        (D.SHEET_UPDATE_LIMITS, D.UPDATE_LIMIT_COLUMNS, False, lambda t: webconfig.read_limits(cfg, t)),
        (D.SHEET_COLUMN_CATEGORIES, D.COLUMN_CATEGORY_COLUMNS, False, lambda t: webconfig.read_categories(cfg, t)),
    )
    for name, columns, required, read_table in readers:
        g = sheet(name, required)
        if g is not None:
            read_table(_Table(g, columns, P, shown))
    _check_office_name(cfg, shown)
    if strict and any(p.severity == ERROR for p in P):
        n = sum(p.severity == ERROR for p in P)
        raise ConfigError(f"配置工作簿 {shown} 有 {n} 处错误，请改正后再运行", P, path=shown)
    return cfg


def _check_office_name(cfg: Config, shown: str):
    """机关名称 goes into every output's name: say how it will be written when it cannot stand as it is."""
    from ..write.safeio import NAME_PART_CHARS, name_part

    office = cfg.office.strip()
    safe = name_part(office)
    if office and safe != office:
        why = (f"超过 {NAME_PART_CHARS} 个字" if len(office) > NAME_PART_CHARS
               else "含有文件名中不能使用的字符（如 / \\ : * ? \" < > |）或以点、空格开头结尾")
        cfg.problems.append(Problem(
            WARNING, f"机关名称“{office}”{why}，输出文件名中写作“{safe}”（通报标题中不变）", shown, D.SHEET_SETTINGS))


def _require_header(t: _Table, columns, sheet_name) -> bool:
    missing = [c for c in columns if c not in t.cols]
    if missing:
        t.problems.append(Problem(ERROR, f"工作表“{sheet_name}”缺少列：{'、'.join(missing)}", t.file, sheet_name,
                                  (t.header_row or 0) + 1))
        return False
    return True


def _read_roster(cfg: Config, t: _Table, required: bool):
    if not _require_header(t, ("单位名称",), D.SHEET_ROSTER):
        return
    seen: dict = {}
    for row, rec in t.rows():
        name = cell_text(rec.get("单位名称")).strip()
        if not name:
            t.problem(ERROR, row, "单位名称", t.blank(row, "单位名称"))
            continue
        aliases = tuple(a for a in split_aliases(cell_text(rec.get("别名"))) if norm(a) != norm(name))
        group = cell_text(rec.get("分组")).strip() or D.DEFAULT_GROUP
        quota = t.number(row, rec, "月任务数", negative=False)[1]
        order = t.number(row, rec, "排序")[1]
        unit = Unit(name, group, aliases, quota, cell_text(rec.get("联系人")).strip(),
                    cell_text(rec.get("邮箱")).strip(), order if order is not None else float(len(cfg.units) + 1),
                    len(cfg.units))
        webconfig.read_roster_row(unit, t, row, rec)
        for n, col in ((name, "单位名称"), *((a, "别名") for a in aliases)):
            key = norm(n)
            if key in seen:
                other_name, other_row = seen[key]
                what = "单位名称" if col == "单位名称" else "别名"
                t.problem(ERROR, row, col, f"{what}“{n}”与第{other_row}行“{other_name}”重复，无法区分")
            else:
                seen[key] = (name, row)
        cfg.units.append(unit)
    if required and not cfg.units:
        t.problems.append(Problem(ERROR, "单位名册为空", t.file, D.SHEET_ROSTER))
    # units sorted by their display order once, so every output agrees
    cfg.units.sort(key=lambda u: (u.order, u.index))
    for i, u in enumerate(cfg.units):
        u.index = i


def _read_adoption(cfg: Config, t: _Table):
    if not _require_header(t, ("刊物", "级别", "分值"), D.SHEET_ADOPTION):
        return
    rules = [r for r in (_adoption_rule(t, row, rec) for row, rec in t.rows()) if r is not None]
    _check_publication_names(t, rules)
    cfg.adoption_rules = rules
    for lv in D.LEVELS:
        if not any(r.level == lv and r.is_level_default for r in rules) and any(r.level == lv for r in rules):
            t.problems.append(Problem(WARNING, f"采用计分没有“{lv}”默认行：只写级别的{lv}采用按该级最低分值计", t.file,
                                      D.SHEET_ADOPTION))


def _adoption_rule(t: _Table, row: int, rec: dict) -> AdoptionRule | None:
    """One row of 采用计分 as a rule; None (with the problem recorded) for a row that cannot be one."""
    name = cell_text(rec.get("刊物")).strip()
    level = cell_text(rec.get("级别")).strip()
    if level not in D.LEVELS:
        lv = {norm(x)[:1]: x for x in D.LEVELS}.get(norm(level)[:1]) if level else None
        t.problem(ERROR, row, "级别", f"级别“{level}”无法识别，应为 县级/市级/省级/国家级 之一" +
                  (f"（是否为“{lv}”？）" if lv else ""))
        return None
    ok, pts = t.number(row, rec, "分值", required=True)
    if not ok:
        return None
    if not name:
        name = level
    if pts < 0:
        _negative_points(t, row, "分值", f"被“{name}”采用")
    ok, mult = t.number(row, rec, "倍数", negative=False)
    if not ok:
        return None
    written = cell_text(rec.get("信息类型")).strip()
    types = tuple(w for w in split_aliases(written) if norm(w))
    if written and not types:
        t.problem(ERROR, row, "信息类型", f"信息类型“{written}”中没有可用的类型（如 调研、专报；多个用顿号隔开）")
        return None
    return AdoptionRule(name, level, pts, tuple(split_aliases(cell_text(rec.get("别名")))), row,
                        1.0 if mult is None else mult, types)


def _check_typed_rows(t: _Table, rules: list):
    """A row with 信息类型 refines its publication's untyped row: that row must exist with the same 级别, and
    a type may appear once per publication. Its 别名 are the untyped row's business (said, not used)."""
    plain = {norm_title(r.name): r for r in rules if not r.types}
    seen: dict = {}
    for r in (r for r in rules if r.types):
        base = plain.get(norm_title(r.name))
        if base is None:
            t.problem(ERROR, r.row, "信息类型", f"刊物“{r.name}”只有按信息类型计分的行：请再加一行信息类型为空的“{r.name}”"
                                             "（其他类型信息被该刊物采用时的分值）")
            continue
        if base.level != r.level:
            t.problem(ERROR, r.row, "级别", f"级别“{r.level}”与第{base.row}行“{base.name}”的级别“{base.level}”不同")
        if r.aliases:
            t.problem(WARNING, r.row, "别名", f"按信息类型计分的行不使用别名：“{r.name}”的别名请写在第{base.row}行")
        for w in r.types:
            key = (norm_title(r.name), norm(w))
            if key in seen:
                t.problem(ERROR, r.row, "信息类型", f"刊物“{r.name}”的信息类型“{w}”与第{seen[key]}行重复")
            seen.setdefault(key, r.row)


def _check_publication_names(t: _Table, rules: list):
    """A publication name or alias may name one row of 采用计分 only (rows by 信息类型 aside)."""
    _check_typed_rows(t, rules)
    seen: dict = {}
    for r in (r for r in rules if not r.types):
        for n in (r.name, *r.aliases):
            key = norm(n)
            if key in seen and seen[key] is not r:
                t.problem(ERROR, r.row, "刊物", f"刊物或别名“{n}”与第{seen[key].row}行重复")
            seen.setdefault(key, r)


def _read_instruction(cfg: Config, t: _Table):
    if not _require_header(t, ("领导级别", "首次分值"), D.SHEET_INSTRUCTION):
        return
    rules, by_publication, publications = {}, [], _publication_names(cfg.adoption_rules)
    for row, rec in t.rows():
        level = cell_text(rec.get("领导级别")).strip()
        if level not in D.LEVELS:
            t.problem(ERROR, row, "领导级别", f"领导级别“{level}”无法识别，应为 县级/市级/省级/国家级 之一")
            continue
        ok, first = t.number(row, rec, "首次分值", required=True)
        ok_again, again = t.number(row, rec, "再次分值")
        if not (ok and ok_again):
            continue
        for column, value in (("首次分值", first), ("再次分值", again)):
            if value is not None and value < 0:
                _negative_points(t, row, column, f"得到{level}领导批示")
        written = cell_text(rec.get("刊物")).strip()
        if not written:
            rules[level] = (first, first if again is None else again)
            continue
        rule = _instruction_publication(t, row, level, written, publications, by_publication)
        if rule is not None:
            by_publication.append(PublicationInstructionRule(level, rule.name, first, first if again is None else again,
                                                             row))
    cfg.instruction_rules = rules
    cfg.instruction_publication_rules = by_publication


def _publication_names(adoption_rules: list) -> dict:
    """Normalised 刊物 or 别名 → its (untyped) 采用计分 row."""
    out: dict = {}
    for r in (r for r in adoption_rules if not r.types):
        for n in (r.name, *r.aliases):
            out.setdefault(norm_title(n), r)
    return out


def _instruction_publication(t: _Table, row, level, written, publications, earlier):
    """The 采用计分 row a 批示计分 row's 刊物 names (None, said, when it names none or repeats a row)."""
    rule = publications.get(norm_title(written))
    if rule is None:
        t.problem(ERROR, row, "刊物", f"刊物“{written}”不在采用计分中：请填写采用计分中的刊物名称或别名")
        return None
    same = next((p for p in earlier if p.level == level and p.publication == rule.name), None)
    if same is not None:
        t.problem(ERROR, row, "刊物", f"{level}领导批示在“{rule.name}”上的分值与第{same.row}行重复")
        return None
    return rule


def _read_other(cfg: Config, t: _Table):
    if not _require_header(t, ("项目", "分值"), D.SHEET_OTHER):
        return
    other = {}
    for row, rec in t.rows():
        key = cell_text(rec.get("项目")).strip()
        if not key:
            continue
        ok, value = t.number(row, rec, "分值", label=f"“{key}”的分值")
        if ok:
            other[key] = value
    cfg.other = other


def _negative_points(t: _Table, row, column, when):
    """A negative 分值 where points are earned is taken as written (an office may deduct), and said."""
    t.problem(WARNING, row, column, f"{column}为负数：{when}将扣分而不是加分，请核对")


def _read_settings(cfg: Config, t: _Table):
    if not _require_header(t, ("项目", "值"), D.SHEET_SETTINGS):
        return
    for row, rec in t.rows():
        key = cell_text(rec.get("项目")).strip()
        if not key:
            continue
        value = rec.get("值")
        text = cell_text(value).strip()
        if key in CHOICES and text:
            if text not in CHOICES[key]:
                t.problem(ERROR, row, "值", f"“{key}”的值“{text}”无效，应为 {' / '.join(CHOICES[key])} 之一")
                continue
            cfg.settings[key] = text
        elif key == "季度采用率下限" and text:
            try:
                num = float(text.rstrip("%％")) / (100 if text.endswith(("%", "％")) or float(text.rstrip("%％")) > 1 else 1)
            except ValueError:
                t.problem(ERROR, row, "值", f"“{key}”的值“{text}”不是百分比（如 30%）")
                continue
            cfg.settings[key] = num
        elif key in NUMERIC_SETTINGS and text:
            ok, num = t.number(row, rec, "值", label=f"“{key}”的值")
            if not ok:
                continue
            lo, hi = NUMERIC_SETTINGS[key]
            if not lo <= num <= hi:
                t.problem(ERROR, row, "值", f"“{key}”的值 {text} 超出范围 {lo}–{hi}")
                continue
            cfg.settings[key] = num
        elif text:
            cfg.settings[key] = value if isinstance(value, (int, float)) and not isinstance(value, bool) else text


def _read_mapping(cfg: Config, t: _Table):
    from ..defaults import HEADER_SYNONYMS, POSTING_HEADER_SYNONYMS

    if not _require_header(t, ("标准列", "同义列名"), D.SHEET_MAPPING):
        return
    for row, rec in t.rows():
        std = cell_text(rec.get("标准列")).strip()
        names = split_aliases(cell_text(rec.get("同义列名")))
        if not std:
            continue
        if std not in HEADER_SYNONYMS and std not in POSTING_HEADER_SYNONYMS:
            known = dict.fromkeys([*HEADER_SYNONYMS, *POSTING_HEADER_SYNONYMS])
            t.problem(ERROR, row, "标准列", f"标准列“{std}”不存在，可用：{'、'.join(known)}")
            continue
        cfg.mapping.setdefault(std, []).extend(names)
