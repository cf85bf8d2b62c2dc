"""Posting registers (发布台账) → the postings table, every row accounted for (govxl web, issue 22).

normalise: a posting register is any sheet whose header (found as every register's is: title rows,
merged two-row headers, the clerk's 列名映射) names 标题 and 发布日期, and 平台 or 栏目 — or a date header
that says 发布 (a CMS export: 栏目名称 / 标题 / 发布时间 / 发布人 / 来源). Its rows are read a column at a
time by the submission reader's Sheet and judges (one date parser, one unit matcher, the same skipped
rows); submission, 采用登记, 约稿 and 政府信息公开 registers in the same folder are left alone, as `score`
and `check` leave posting registers alone (registers.RegisterReader._posting_register).

    unit      a roster name: the 单位 column; else the sheet's unit (填报单位 line, sheet, file or folder
              name); else a 来源 naming a roster unit; else PORTAL_UNIT (the county portal's own columns)
    platform  平台 column (PLATFORM_SYNONYMS; another name is kept as written, with a warning); no column:
              the platform the sheet or file name names, else 网站
    column    栏目 (a website's column, or a new-media account's name), as written
    category  栏目类别 (webconfig.category_of), "" when no keyword fits
    title, date (datetime64), type (原创 / 转载 / as written), link, file, sheet, row (the Excel row)
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .. import defaults as D
from ..errors import ERROR, WARNING, Problem
from . import frames as F
from .headers import Lookup, find_header
from .registers import RegisterReader, register_kind
from .sheet import Sheet, _account, _ok, picked
from ..read.reader import readable
from .text import norm
from .webconfig import category_of, category_rules, platform_of

POSTING_COLUMNS = {
    "unit": F.TEXT, "platform": F.TEXT, "column": F.TEXT, "category": F.TEXT, "title": F.TEXT, "date": F.DATE,
    "type": F.TEXT, "link": F.TEXT, "file": F.TEXT, "sheet": F.TEXT, "row": "int64",
}
_READ = [c for c in POSTING_COLUMNS if c != "category"]  # what a sheet gives; category comes from the config
_DATE_WORDS = ("发布", "推送", "上网")
_TYPE_INDEX = {norm(w): t for t, words in D.POSTING_TYPES.items() for w in (t, *words)}


def posting_lookup(cfg) -> Lookup:
    """Posting headers → standard columns, with the clerk's 列名映射 rows for these columns."""
    extra = {std: names for std, names in cfg.mapping.items() if std in D.POSTING_HEADER_SYNONYMS}
    return Lookup(D.POSTING_HEADER_SYNONYMS, extra)


def is_posting_match(match) -> bool:
    if match is None:
        return False
    cols = match.columns
    if "标题" not in cols or "发布日期" not in cols:
        return False
    if "平台" in cols or "栏目" in cols:
        return True
    label = match.labels.get(cols["发布日期"], "")
    return any(w in label for w in _DATE_WORDS)


def is_posting_register(grid, lookup: Lookup) -> bool:
    return is_posting_match(find_header(grid, D.POSTING_HEADER_SYNONYMS, lookup=lookup))


@dataclass
class PostingRead:
    """What `read_postings` gives: the postings table (POSTING_COLUMNS, register order), the problems and
    the row accounting (read = counted + error + skipped, per sheet and in all)."""

    postings: object = None
    problems: list = field(default_factory=list)
    rows: Counter = field(default_factory=Counter)
    files: list = field(default_factory=list)
    unreadable: list = field(default_factory=list)
    sheets: list = field(default_factory=list)  # (file, sheet, "postings", header row)
    sheet_rows: dict = field(default_factory=dict)

    def rows_dict(self) -> dict:
        return {"read": self.rows["read"], "counted": self.rows["counted"], "duplicate": 0,
                "error": self.rows["error"], "skipped": self.rows["skipped"]}


class PostingReader(RegisterReader):
    """RegisterReader for posting registers: the same files, sheets, judges and row accounting, another
    header table and one kind of register."""

    NO_REGISTER = "请确认表头含“标题”“发布日期”及“平台”或“栏目”等列"
    NO_HEADER = "未找到发布台账表头（需含“标题”“发布日期”及“平台”或“栏目”等列），已跳过此工作表"

    def __init__(self, cfg, *, year: Optional[int] = None):
        super().__init__(cfg, year=year)
        from .skips import SkipCheck

        self.submission_lookup = self.lookup
        self.lookup = self._postings = posting_lookup(cfg)
        self.skips = SkipCheck(self.lookup)  # a posting header repeated down the sheet is skipped

    def read(self, paths) -> PostingRead:
        from ..read.reader import discover

        unsupported: list = []
        refused: list = []
        files = discover(paths, unsupported=unsupported, refused=refused)
        res = PostingRead(problems=[Problem(ERROR, why, shown) for shown, why in refused],
                          unreadable=[s for s, _ in refused])
        parts = []
        for path in files:
            part = self.read_path(Path(path))
            part.postings = getattr(part, "postings", None) or {c: [] for c in _READ}
            parts.append(part)
        for part in parts:
            res.problems.extend(part.problems)
            res.files.extend(part.files)
            res.unreadable.extend(part.unreadable)
            res.sheets.extend(part.sheets)
            for key, c in part.sheet_rows.items():
                res.sheet_rows.setdefault(key, Counter()).update(c)
                res.rows.update(c)
        res.problems.extend(Problem(WARNING, f"{ext} 格式的文件未读取，请在 Excel/WPS 中另存为 .xlsx 后放回", shown)
                            for shown, ext in unsupported)
        res.postings = self._table(parts)
        return res

    def _table(self, parts):
        import pandas as pd

        cols = {c: [v for p in parts for v in p.postings[c]] for c in _READ}
        cols["category"] = [""] * len(cols["unit"])
        df = F.table(POSTING_COLUMNS, cols)
        if len(df):
            rules = category_rules(self.cfg)
            pairs = df[["platform", "column"]].drop_duplicates()
            cats = {(p, c): category_of(c, p, rules) for p, c in pairs.itertuples(index=False)}
            df["category"] = pd.Series([cats[k] for k in zip(df["platform"], df["column"])], dtype=object)
        return df

    def read_grid(self, grid, path: Path, part) -> bool:
        if grid.note:
            part.problems.append(Problem(WARNING, grid.note, grid.file, grid.sheet))
        match = find_header(grid, D.POSTING_HEADER_SYNONYMS, lookup=self.lookup)
        if is_posting_match(match):
            part.sheets.append((grid.file, grid.sheet, "postings", match.row + 1))
            part.sheet_rows.setdefault((grid.file, grid.sheet), Counter())
            read_posting_sheet(Sheet(self, grid, match, self._sheet_unit(grid, path, match)), part, self, path)
            return True
        other = find_header(grid, D.HEADER_SYNONYMS, lookup=self.submission_lookup)
        if register_kind(other) is not None:
            return True  # a register of govxl score's: not this command's to read or to report
        return self._not_a_register(grid, part)


def read_postings(paths, cfg, *, year: Optional[int] = None) -> PostingRead:
    """Every posting register under paths as the postings table. Never raises for bad data.

    year: the year a date written without one takes (the year of the period's end)."""
    return PostingReader(cfg, year=year).read(paths)


# ---- one sheet -------------------------------------------------------------------------------------

def read_posting_sheet(sh: Sheet, part, reader: PostingReader, path: Path) -> None:
    titles, notes = sh.titles("标题为空")
    acting = [not x for x in notes]
    dates = sh.dates("发布日期", True, 2, acting)
    units = _units(sh, reader, acting)
    named = platform_of(sh.grid.sheet) or platform_of(readable(Path(path).stem))
    platforms = _platforms(sh, acting, named)
    types = [_TYPE_INDEX.get(norm(t), t) for t in sh.texts("类型")]
    ok = _ok(sh, acting)
    at = sh.where(ok)
    g = sh.grid
    if not hasattr(part, "postings"):
        part.postings = {c: [] for c in _READ}
    columns = {
        "unit": picked(units, at), "platform": picked(platforms, at), "column": picked(sh.texts("栏目"), at),
        "title": picked(titles, at), "date": picked(dates, at), "type": picked(types, at),
        "link": picked(sh.texts("链接"), at), "file": [g.file] * len(at), "sheet": [g.sheet] * len(at),
        "row": [sh.excel_row(p) for p in at],
    }
    for name, values in columns.items():
        part.postings[name].extend(values)
    _account(sh, part, notes, ok)


def _units(sh: Sheet, reader: PostingReader, acting: list) -> list:
    """Each row's unit: the 单位 column (judged as in every register), the sheet's unit, a 来源 naming a roster
    unit, or the county portal's (said once for the sheet)."""
    m = len(sh.live)
    if sh.has("单位"):
        return sh.units(3, acting)
    if sh.sheet_unit is not None:
        return [sh.sheet_unit.name] * m
    sources = sh.texts("来源")
    found: dict = {}
    for s in set(sources):
        u = reader.units.exact(s) if s else None
        found[s] = u.name if u is not None else D.PORTAL_UNIT
    units = [found[s] for s in sources]
    first = next((p for p, u in enumerate(units) if u == D.PORTAL_UNIT and acting[p]), None)
    if first is not None:  # said once, on the first such row
        sh.say(first, WARNING, None, f"表中没有“单位”列，工作表名和文件名也不含名册中的单位"
                                     f"{'，“来源”也不是名册中的单位' if sh.has('来源') else ''}：这些发布按"
                                     f"“{D.PORTAL_UNIT}”统计，不计入各单位的发布数（同表其他行不再提示）", 3)
    return units


def _platforms(sh: Sheet, acting: list, named: Optional[str]) -> list:
    """Each row's platform: the 平台 column read by PLATFORM_SYNONYMS (another name kept as written, said once
    per sheet); a blank cell, or no column, takes the platform the sheet or file name names, else 网站."""
    m = len(sh.live)
    if not sh.has("平台"):
        return [named or D.WEBSITE] * m
    texts = sh.texts("平台")
    known = {t: platform_of(t) for t in set(texts) if t}
    out = []
    said = set()
    for p, t in enumerate(texts):
        if not t:
            if named is None and acting[p]:
                sh.say(p, ERROR, "平台", f"平台为空（应为 {'、'.join(D.PLATFORMS)} 之一）", 4)
            out.append(named)
            continue
        hit = known[t]
        if hit is None and acting[p] and t not in said:
            said.add(t)
            sh.say(p, WARNING, "平台", f"平台“{t}”不是 {'、'.join(D.PLATFORMS)} 之一，按“{t}”单独统计"
                                       f"（同名的其他行不再提示）", 4)
        out.append(hit or t)
    return out
