"""Normalising registers: files → the read's tables, every row accounted for.

read → **normalise** → score → write. `RegisterReader` finds each sheet's header and kind, reads its
rows a column at a time (`sheet`) into one `Part` per file (in worker processes and from the cache where
it pays: `cache`), and joins the parts in register order; `whole` then decides what needs every file:
the 采用登记 matched to items, 首报 duplicates. `read_registers` is the entry point. It does no scoring.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .. import defaults as D
from .config import Config
from .dates import YEAR_PROBE, YEARLESS
from ..errors import ERROR, WARNING, InputUnreadable, Problem
from .headers import HeaderMatch, Lookup, find_header
from .judges import Judges
from .part import Part
from ..read.reader import discover, read_file, readable
from .rules import RuleBook
from .sheet import Sheet, last_nonempty, read_claims, read_commissions, read_items
from .skips import SkipCheck
from .text import cell_text, norm
from .units import _UNIT_LINE, _YEARISH, UnitResolver

BUCKETS = ("counted", "duplicate", "error", "skipped")
ADOPTION_COLUMNS = ("采用情况", *D.LEVEL_ADOPTION_COLUMN.values())


@dataclass
class ReadResult:
    """What `read_registers` gives: the registers as tables (pandas DataFrames, columns and dtypes in
    frames.py), the problems and the row accounting.

    items         one row per item (counted or duplicate), RangeIndex in register order: seq (int64, 1..n
                  in register order), unit, title, key (the title key, norm_title of the title), submitted
                  (datetime64[ns]), kind, author, event_time (datetime64[ns], NaT when none), commission
                  (bool), false_report (bool), note, joint (object: a tuple of the other units' names),
                  status ("counted" | "duplicate"), dup_of (Int64: the first report's seq, <NA> when none),
                  file, sheet, row (int64: the Excel row)
    adoptions     one row per adoption: seq (the item's), k (its place among the item's adoptions), level,
                  rule (the 采用计分 row), points (float), text (as written), date (datetime64[ns]),
                  multiplier (float), origin ("" unless from an adoption register: where that row is)
    instructions  one row per 批示: seq, k, level, text, date, origin
    commissions   one row per 约稿: unit, topic, issued, deadline, done (datetime64[ns]), file, sheet, row
    tables        score.tables.Tables(items, adoptions, instructions): what scoring takes
    problems (errors.Problem), files, unreadable, sheets, sheet_rows and rows_dict() as the reader found
    them; an empty read has empty tables of the same columns and dtypes."""

    items: object = None
    adoptions: object = None
    instructions: object = None
    commissions: object = None
    rows: Counter = field(default_factory=Counter)
    problems: list = field(default_factory=list)
    files: list = field(default_factory=list)
    unreadable: list = field(default_factory=list)  # display paths of files that could not be read at all
    sheets: list = field(default_factory=list)  # (file, sheet, kind, header row)
    sheet_rows: dict = field(default_factory=dict)  # (file, sheet) → Counter of read + buckets

    @property
    def tables(self):
        from ..score.tables import Tables

        return Tables(self.items, self.adoptions, self.instructions)

    def count(self, file: str, sheet: str, bucket: str, n: int = 1):
        self.rows[bucket] += n
        c = self.sheet_rows.get((file, sheet))
        if c is None:
            c = self.sheet_rows[(file, sheet)] = Counter()
        c[bucket] += n

    def rows_dict(self) -> dict:
        d = {"read": self.rows["read"]}
        d.update({b: self.rows[b] for b in BUCKETS})
        return d


def register_kind(match: Optional[HeaderMatch]) -> Optional[str]:
    if match is None:
        return None
    cols = match.columns
    if "截止日期" in cols and "标题" in cols:
        return "commission"
    if "标题" in cols and "报送日期" in cols:
        return "items"
    if "标题" in cols and (any(c in cols for c in ADOPTION_COLUMNS) or "领导批示" in cols or "采用日期" in cols):
        return "adoptions"
    return None


def _names_adoption_register(*names) -> bool:
    return any(w in norm(n) for n in names for w in D.ADOPTION_REGISTER_NAMES)


def _disclosure_register(grid) -> bool:
    """A 政府信息公开 register (govxl disclosure's) kept in the same folder: not a submission register,
    and nothing to say about it here."""
    from ..disclosure.registers import detect_register

    return detect_register(grid) is not None


_READERS = {"items": read_items, "adoptions": read_claims, "commission": read_commissions}


class RegisterReader:
    """Reads register files into Parts, one per file, and all of them into a ReadResult."""

    NO_REGISTER = "请确认表头含“标题”“报送日期”等列"  # what a file without a register is told
    NO_HEADER = "未找到登记表表头（需含“标题”及“报送日期”或采用情况等列），已跳过此工作表"

    def __init__(self, cfg: Config, *, year: Optional[int] = None, size_limit: Optional[int] = None,
                 cache_dir: Optional[Path] = None, memos: Optional[dict] = None):
        self.cfg = cfg
        self.year = year
        self.cache_dir = cache_dir  # out/.cache: parsed registers kept by file size + mtime + hash
        self.size_limit = size_limit or int(cfg.num("文件大小上限（MB）", 200) * 1024 * 1024)
        # memos: what the judges remember, shared by the files read with one config and year
        shared = memos if memos is not None else {}
        self.lookup = shared.get("_lookup") or shared.setdefault("_lookup", Lookup(D.HEADER_SYNONYMS, {
            std: names for std, names in cfg.mapping.items() if std in D.HEADER_SYNONYMS}))
        self.units = shared.get("_units") or shared.setdefault("_units", UnitResolver(cfg))
        self.skips = shared.get("_skips") or shared.setdefault("_skips", SkipCheck(self.lookup))
        self.judges = Judges(RuleBook(cfg.adoption_rules), self.units, year, shared.setdefault("_judged", {}))

    # -- all files --
    def read(self, paths) -> ReadResult:
        from .cache import read_all
        from .whole import joined

        unsupported: list = []
        refused: list = []
        files = discover(paths, unsupported=unsupported, refused=refused)
        early = [Problem(ERROR, why, shown) for shown, why in refused]
        parts = read_all(self, files, cache_dir=self.cache_dir)
        late = [Problem(WARNING, f"{ext} 格式的文件未读取，请在 Excel/WPS 中另存为 .xlsx 后放回", shown)
                for shown, ext in unsupported]
        return joined(parts, self.cfg, refused=[s for s, _ in refused], early=early, late=late)

    # -- one file --
    def read_path(self, path: Path) -> Part:
        part = Part()
        try:
            grids = read_file(path, size_limit=self.size_limit)
        except InputUnreadable as exc:
            part.unreadable.append(exc.path or str(path))
            part.problems.append(Problem(ERROR, exc.message, exc.path or str(path)))
            return part
        shown = grids[0].file if grids else str(path)
        part.files.append(shown)
        found = False
        for grid in grids:
            found |= self.read_grid(grid, path, part)
        if not found:
            names = "、".join(g.sheet for g in grids) or "（无工作表）"
            part.problems.append(Problem(
                ERROR, f"文件中没有找到登记表（工作表：{names}）：{self.NO_REGISTER}，"
                       f"或在 govxl.xlsx 的“列名映射”中登记本表的列名", shown))
        return part

    def read_grid(self, grid, path: Path, part: Part) -> bool:
        """One sheet into the part; False when it holds no register."""
        if grid.note:
            part.problems.append(Problem(WARNING, grid.note, grid.file, grid.sheet))
        match = find_header(grid, D.HEADER_SYNONYMS, lookup=self.lookup)
        kind = register_kind(match)
        if kind == "items" and _names_adoption_register(grid.sheet, Path(path).name) and \
                any(c in match.columns for c in ADOPTION_COLUMNS):
            kind = "adoptions"  # the office's 采用登记 that also lists submission dates
        if (kind is None or (kind == "items" and match.unmapped)) and self._posting_register(grid):
            return True  # a register, of govxl web's (发布台账): nothing to say about it here
        if kind is None:
            return self._not_a_register(grid, part)
        part.sheets.append((grid.file, grid.sheet, kind, match.row + 1))
        part.sheet_rows.setdefault((grid.file, grid.sheet), Counter())
        _READERS[kind](Sheet(self, grid, match, self._sheet_unit(grid, path, match)), part)
        return True

    def _posting_register(self, grid) -> bool:
        from .postings import is_posting_register, posting_lookup

        lookup = getattr(self, "_postings", None)
        if lookup is None:
            lookup = self._postings = posting_lookup(self.cfg)
        return is_posting_register(grid, lookup)

    def _not_a_register(self, grid, part: Part) -> bool:
        if last_nonempty(grid.rows) < 0 or any(w in grid.sheet for w in D.NOTE_SHEET_WORDS):
            return False
        if _disclosure_register(grid):
            return True  # a register, of govxl disclosure's: the file is not "without a register"
        part.problems.append(Problem(WARNING, self.NO_HEADER, grid.file, grid.sheet))
        return False

    def _sheet_unit(self, grid, path: Path, match):
        """The unit a sheet belongs to when rows do not say (departmental files: one per unit): a
        "填报单位：青石镇" line above the header says it best; then the sheet, file and folder names."""
        for row in grid.rows[:match.first_row]:
            for v in row:
                m = _UNIT_LINE.search(cell_text(v))
                if m:
                    unit = self.units.exact(m.group(1)) or self.units.contained(m.group(1))
                    if unit:
                        return unit
        for name in (grid.sheet, readable(Path(path).stem), readable(Path(path).parent.name)):
            unit = self.units.contained(name) or self.units.contained(_YEARISH.sub("", name))
            if unit:
                return unit
        return None


def read_registers(paths, cfg: Config, *, year: Optional[int] = None, cache_dir: Optional[Path] = None) -> ReadResult:
    """Read and normalise every register under paths. Never raises for bad data: see .problems.

    year: the year a date written without one ("10月9日") takes — the year of the period's end when a
    period is scored. None (`check`, which has no period): the latest year of the dates that have one,
    or this year if none has. The one rule for both (dates.py)."""
    if year is None:
        # a leap year, so "2月29日" is judged as a date without a year, not as a day that does not exist
        res = read_registers(paths, cfg, year=YEAR_PROBE, cache_dir=cache_dir)
        if not any(YEARLESS in p.message for p in res.problems):
            return res
        # the years of the submission dates written with one (a yearless 报送日期 reads as the probe year)
        years = res.items["submitted"].dt.year
        years = years[years != YEAR_PROBE]
        return read_registers(paths, cfg, year=int(years.max()) if len(years) else dt.date.today().year,
                              cache_dir=cache_dir)
    return RegisterReader(cfg, year=year, cache_dir=cache_dir).read(paths)
