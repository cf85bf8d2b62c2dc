"""Normalising registers: grids → items, adoptions, instructions, with every row accounted for.

read → **normalise** → score → write. This module turns the sheets that `reader` produced into
plain records (`Item`), decides each data row's bucket (counted / duplicate / error / skipped) and
collects every problem with its file, sheet, row and column; `read_registers` hands the read on as
tables (ReadResult). It does no scoring.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field, fields
from operator import attrgetter
from pathlib import Path
from typing import Optional

from .. import defaults as D
from .columns import ColumnPlan
from .config import AdoptionRule, Config
from .dates import YEAR_PROBE, YEARLESS, implausible_date, parse_date
from ..errors import ERROR, WARNING, InputUnreadable, Problem, col_letter
from .headers import _MISS, HeaderMatch, Lookup, _at_least_cjk, find_header, header_signature, level_of
from ..read.reader import Grid, discover, read_file, readable
from .text import cell_str, cell_text, norm, norm_title, split_segments

BUCKETS = ("counted", "duplicate", "error", "skipped")
_norm_title_uncached = norm_title.__wrapped__
ADOPTION_COLUMNS = ("采用情况", *D.LEVEL_ADOPTION_COLUMN.values())


def _pickled_by_fields(cls):
    """Pickled as the class and its fields in order, unpickled by calling the class: faster both ways than the
    state of slots (docs/performance.md) (a worker sends the parent, and the cache keeps, a year's adoptions)."""
    get = attrgetter(*(f.name for f in fields(cls)))
    cls.__reduce__ = lambda self: (cls, get(self))
    return cls


@_pickled_by_fields
@dataclass(slots=True)
class Adoption:
    level: str
    rule: str  # the 采用计分 row that gave the points (刊物 as written there)
    points: float
    text: str  # as the register wrote it
    date: Optional[dt.datetime] = None
    origin: str = ""  # "登记表 file › sheet › row" for adoption-register rows, else ""
    multiplier: float = 1.0


@_pickled_by_fields
@dataclass(slots=True)
class Instruction:
    level: str
    text: str
    date: Optional[dt.datetime] = None
    origin: str = ""


@dataclass(slots=True)
class Item:
    seq: int  # register order: files sorted by path, then sheets, then rows
    unit: str
    title: str
    submitted: dt.datetime
    file: str
    sheet: str
    row: int
    kind: str = ""
    author: str = ""
    # lists; after reading, an item with none holds the shared empty tuple () (see cache._shared_columns)
    adoptions: list = field(default_factory=list)
    instructions: list = field(default_factory=list)
    event_time: Optional[dt.datetime] = None
    commission: bool = False
    false_report: bool = False
    note: str = ""
    joint_units: tuple = ()
    status: str = "counted"  # counted | duplicate
    dup_of: Optional[int] = None
    _title_key: Optional[str] = field(default=None, init=False, repr=False, compare=False)

    # slots, not a __dict__ per item: a province year is half a million items

    @property
    def title_key(self) -> str:
        # computed once per item (a year of items is compared several times: 首报, 疑似重复, 采用登记);
        # titles are never changed after reading
        k = self._title_key
        if k is None:
            # not through norm_title's cache: titles are all different, and half a million of them would
            # only fill it
            k = self._title_key = _norm_title_uncached(self.title)
        return k


class ItemRun:
    """Plain rows read one after the other, as a worker keeps them to send (RegisterReader(runs=True)):
    their normalised values as columns (columns.PlainRows', fields columns.PLAIN_FIELDS), numbered from
    seq, at consecutive Excel rows from row. Sent as columns (cache.item_columns), they become Items in
    the parent: the worker does not make an Item of each row only to take it apart again."""

    __slots__ = ("seq", "file", "sheet", "row", "columns")

    def __init__(self, seq: int, file: str, sheet: str, row: int, columns: list):
        self.seq, self.file, self.sheet, self.row, self.columns = seq, file, sheet, row, columns

    def __len__(self) -> int:
        return len(self.columns[0])


@dataclass
class Commission:
    """约稿: the office asked a unit for an item by a deadline."""

    unit: str
    topic: str
    issued: Optional[dt.datetime]
    deadline: dt.datetime
    done: Optional[dt.datetime]
    file: str
    sheet: str
    row: int


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
    problems (errors.Problem, in the order found), files, unreadable, sheets, sheet_rows and rows_dict()
    as the reader found them; an empty read has empty tables of the same columns and dtypes.

    While RegisterReader reads, items and commissions are lists of its records (Item, Commission);
    read_registers turns them into the tables (_as_frames) before anyone else sees them."""

    items: list = field(default_factory=list)
    commissions: list = field(default_factory=list)
    rows: Counter = field(default_factory=Counter)
    problems: list = field(default_factory=list)
    files: list = field(default_factory=list)
    unreadable: list = field(default_factory=list)  # display paths of files that could not be read at all
    sheets: list = field(default_factory=list)  # (file, sheet, kind, header row)
    sheet_rows: dict = field(default_factory=dict)  # (file, sheet) → Counter of read + buckets
    # a CRC-32 of each item's title key (little-endian, 4 bytes an item, in items' order), made where the
    # items were read (cache.read_part): 首报 groups the year by them in numpy (mark_duplicates)
    title_digests: bytearray = field(default_factory=bytearray, repr=False, compare=False)
    adoptions: object = None  # the tables, set by read_registers (see above)
    instructions: object = None

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


# ---- rules lookup ------------------------------------------------------------

class RuleBook:
    """Publication name → adoption rule, and level → default rule (from 采用计分)."""

    def __init__(self, rules: list):
        self.exact: dict[str, AdoptionRule] = {}
        self.named: list[tuple[str, AdoptionRule]] = []
        self.level_default: dict[str, AdoptionRule] = {}
        for r in rules:
            for n in (r.name, *r.aliases):
                k = norm_title(n)
                if k:
                    self.exact.setdefault(k, r)
                    if not r.is_level_default and len(k) >= 2:
                        self.named.append((k, r))
            if r.is_level_default:
                self.level_default.setdefault(r.level, r)
        for lv in D.LEVELS:
            if lv not in self.level_default:
                same = [r for r in rules if r.level == lv]
                if same:
                    self.level_default[lv] = min(same, key=lambda r: r.points)
        self.named.sort(key=lambda kr: -len(kr[0]))

    def match(self, segment: str, level_hint: Optional[str] = None) -> tuple:
        """(rule or None, warning or None, error or None) for one adoption segment."""
        key = norm_title(segment)
        r = self.exact.get(key)
        if r is not None and (level_hint is None or r.level == level_hint or not r.is_level_default):
            return r, None, None
        for k, rule in self.named:
            if k in key and (level_hint is None or rule.level == level_hint):
                return rule, None, None
        lv = level_hint or level_of(segment)
        if lv is None:
            return None, None, f"无法识别采用情况“{segment}”（既不是采用计分中的刊物，也看不出级别）"
        rule = self.level_default.get(lv)
        if rule is None:
            return None, None, f"采用计分中没有{lv}的分值，无法计分“{segment}”"
        rest = norm(segment)
        for kw, _ in D.LEVEL_KEYWORDS:
            rest = rest.replace(kw, "")
        for w in D.LEVEL_FILLER_WORDS:
            rest = rest.replace(w, "")
        rest = norm_title(rest)
        warning = None
        if rest and not rest.isdigit() and rest not in D.MARK_TRUE:
            warning = f"刊物“{segment}”不在采用计分中，按{lv}默认分值（{_fmt(rule.points)}分）计"
        return rule, warning, None


def _fmt(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


# ---- cell parsers --------------------------------------------------------------

def parse_adoption_text(text: str, book: RuleBook, level_hint: Optional[str] = None):
    """Free text such as "市采用；省办专报" → ([Adoption], [warnings], [errors])."""
    out, warns, errs = [], [], []
    for seg in split_segments(text):
        if norm(seg) in D.NONE_TEXTS:
            continue
        rule, w, e = book.match(seg, level_hint)
        if e:
            errs.append(e)
            continue
        if w:
            warns.append(w)
        out.append(Adoption(rule.level, rule.name, rule.points, seg, multiplier=rule.multiplier))
    return out, warns, errs


def parse_instruction_text(text: str, level_hint: Optional[str] = None):
    """Free text such as "市长批示；副县长批示" → ([Instruction], [errors]). Each segment naming a level is one."""
    out, errs = [], []
    for seg in split_segments(text):
        if norm(seg) in D.NONE_TEXTS:
            continue
        lv = level_of(seg) or level_hint
        if lv is None:
            errs.append(f"无法判断批示“{seg}”的领导级别（请写明县/市/省/国家级领导）")
            continue
        out.append(Instruction(lv, seg))
    return out, errs


_MARK_MEMO: dict = {}
_UNSEEN = object()


def mark_value(value) -> Optional[bool]:
    """√ / 是 / 1 → True; blank / 否 / 0 → False; anything else → None (not a plain mark)."""
    if type(value) is str:  # marks repeat on every row: each distinct text is judged once
        hit = _MARK_MEMO.get(value, _UNSEEN)
        if hit is not _UNSEEN:
            return hit
        hit = _mark_value(value)
        if len(_MARK_MEMO) < 50_000:
            _MARK_MEMO[value] = hit
        return hit
    return _mark_value(value)


def _mark_value(value) -> Optional[bool]:
    t = norm(cell_text(value)).lower()
    if t in D.MARK_FALSE:
        return False
    if t in D.MARK_TRUE:
        return True
    return None


# ---- unit resolution ---------------------------------------------------------

# A text with more CJK ideographs than the longest subtotal word is no subtotal word (norm keeps them all).
_NOT_SUBTOTAL = _at_least_cjk(max(map(len, D.SUBTOTAL_WORDS)) + 1)


_SUBTOTAL_MEMO: dict = {}


def _is_subtotal(t: str) -> bool:
    hit = _SUBTOTAL_MEMO.get(t)
    if hit is not None:
        return hit
    if _NOT_SUBTOTAL.match(t):
        return False
    n = norm(t)
    hit = n in D.SUBTOTAL_WORDS or n.rstrip(":：") in D.SUBTOTAL_WORDS
    if len(_SUBTOTAL_MEMO) < 50_000:
        _SUBTOTAL_MEMO[t] = hit
    return hit


_UNIT_LINE = re.compile(r"(?:填报|报送|填表)?单位(?:名称)?\s*[:：]\s*([^\s:：（(]+)")
_YEARISH = re.compile(r"\d{4}年?|\d{1,2}月|台账|登记表?|信息|报送|统计|汇总|采用|情况|表")


class UnitResolver:
    def __init__(self, cfg: Config):
        self.index = cfg.unit_index()
        self.names = sorted(self.index.items(), key=lambda kv: -len(kv[0]))
        self._choices = [u.name for u in cfg.units]
        self._contained: dict = {}  # file and sheet names repeat (a sheet a month, a folder per unit)

    def exact(self, text: str):
        return self.index.get(norm(text))

    def contained(self, text: str):
        """A roster name or alias inside a longer text (a file or sheet name), longest first."""
        hit = self._contained.get(text, _MISS)
        if hit is _MISS:
            hit = self._contained[text] = self._find_contained(text)
        return hit

    def _find_contained(self, text: str):
        key = norm(text)
        if not key:
            return None
        hit = self.index.get(key)
        if hit:
            return hit
        for name, unit in self.names:
            if len(name) >= 2 and name in key:
                return unit
        # a sheet named by a short form of one roster name (档案馆 for 县档案馆), when only one fits
        if len(key) >= 3:
            hits = {unit.name: unit for name, unit in self.names if key in name}
            if len(hits) == 1:
                return next(iter(hits.values()))
        return None

    def suggest(self, text: str) -> Optional[str]:
        if not self._choices:
            return None
        from rapidfuzz import fuzz, process

        keys = list(self.index.keys())
        best = process.extractOne(norm(text), keys, scorer=fuzz.WRatio, score_cutoff=50)
        if best is None:
            return None
        return self.index[best[0]].name

    def unknown_message(self, text: str) -> str:
        s = self.suggest(text)
        msg = f"单位“{text}”不在单位名册中"
        return msg + (f"，是否为“{s}”？可在名册“别名”列中登记" if s else "，请在单位名册中登记")


# ---- sheets --------------------------------------------------------------------

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


def _last_nonempty(rows: list) -> int:
    for i in range(len(rows) - 1, -1, -1):
        if any(cell_text(v).strip() for v in rows[i]):
            return i
    return -1


def _data_fill(grid: Grid, start: int) -> dict:
    """Merged ranges in the data area: (row, col) → top-left value (a unit merged down its items)."""
    fill = {}
    for (r0, c0), (r1, c1) in grid.merged or ():
        if r1 < start or (r1 - r0) > 5000:
            continue
        v = grid.rows[r0][c0] if r0 < len(grid.rows) and c0 < len(grid.rows[r0]) else ""
        for r in range(max(r0, start), r1 + 1):
            for c in range(c0, c1 + 1):
                if (r, c) != (r0, c0):
                    fill[(r, c)] = v
    return fill


class _Row:
    """One data row, with helpers that record problems against its cells."""

    def __init__(self, reader: "RegisterReader", grid: Grid, match: HeaderMatch, i: int, fill: dict):
        self.grid, self.match, self.i = grid, match, i
        self.values = grid.rows[i]
        self.fill = fill
        self.excel_row = grid.excel_row(i)
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []

    @property
    def texts(self) -> list:
        """The row's cells as stripped text (computed once: the skip checks all need them)."""
        t = self.__dict__.get("_texts")
        if t is None:
            t = self.__dict__["_texts"] = list(map(cell_str, self.values))
        return t

    def col(self, std: str) -> Optional[int]:
        return self.match.columns.get(std)

    def get(self, std: str):
        c = self.col(std)
        if c is None:
            return ""
        if c < len(self.values) and self.values[c] not in ("", None):
            return self.values[c]
        return self.fill.get((self.i, c), "")

    def text(self, std: str) -> str:
        c = self.match.columns.get(std)
        if c is None:
            return ""
        if c < len(self.values) and self.values[c] not in ("", None):
            return self.texts[c]  # the same cell_text(...).strip(), already computed for the row
        return cell_text(self.get(std)).strip()

    def _problem(self, sev, std, message):
        c = self.col(std) if std else None
        p = Problem(sev, message, self.grid.file, self.grid.sheet, self.excel_row,
                    col_letter(self.grid.excel_col(c)) if c is not None else None)
        (self.errors if sev == ERROR else self.warnings).append(p)

    def error(self, std, message):
        self._problem(ERROR, std, message)

    def warn(self, std, message):
        self._problem(WARNING, std, message)


class RegisterReader:
    """Reads every register under the given paths into a ReadResult."""

    columnar = True  # False: every row through _Row (the tests compare both ways)

    def __init__(self, cfg: Config, *, year: Optional[int] = None, size_limit: Optional[int] = None,
                 cache_dir: Optional[Path] = None, memos: Optional[dict] = None, runs: bool = False):
        self.cfg = cfg
        # runs: plain rows are kept in res.items as ItemRuns, not Items (a file read to be sent: cache.read_part)
        self.runs = runs
        self.year = year
        self.cache_dir = cache_dir  # out/.cache: parsed registers kept by file size + mtime + hash
        self.size_limit = size_limit or int(cfg.num("文件大小上限（MB）", 200) * 1024 * 1024)
        # with memos (the files of one read: one config), the header lookup and the unit resolver are kept
        # too, with what they remember (labels, names found in file and sheet names)
        shared = memos if memos is not None else {}
        self.lookup = shared.get("_lookup") or shared.setdefault("_lookup", Lookup(D.HEADER_SYNONYMS, cfg.mapping))
        self.units = shared.get("_units") or shared.setdefault("_units", UnitResolver(cfg))
        self.book = RuleBook(cfg.adoption_rules)
        self.res = ReadResult()
        self._pending_adoptions: list = []  # (item-less adoption-register rows) resolved at the end
        self._columns = ColumnPlan(self, memos)  # memos: see ColumnPlan (shared by the files of one read)
        self._seq = 0

    # -- public --
    def read(self, paths) -> ReadResult:
        from .cache import read_all

        # file by file (in worker processes when there is much to read, from the cache when unchanged),
        # merged in register order: the same as calling read_path on each file in turn
        unsupported: list = []
        refused: list = []
        files = discover(paths, unsupported=unsupported, refused=refused)
        for shown, why in refused:
            self.res.unreadable.append(shown)
            self.res.problems.append(Problem(ERROR, why, shown))
        read_all(self, files, cache_dir=self.cache_dir)
        for shown, ext in unsupported:
            self.res.problems.append(Problem(
                WARNING, f"{ext} 格式的文件未读取，请在 Excel/WPS 中另存为 .xlsx 后放回", shown))
        self._attach_adoption_registers()
        mark_duplicates(self.res.items, self.cfg.setting("重复信息处理") or "首报", self.res.title_digests)
        self._warn_duplicate_adoptions()
        return self.res

    def read_path(self, path: Path):
        try:
            grids = read_file(path, size_limit=self.size_limit)
        except InputUnreadable as exc:
            self.res.unreadable.append(exc.path or str(path))
            self.res.problems.append(Problem(ERROR, exc.message, exc.path or str(path)))
            return
        self.read_grids(grids, path)

    def read_grids(self, grids: list, path: Path):
        shown = grids[0].file if grids else str(path)
        self.res.files.append(shown)
        found = False
        for grid in grids:
            found |= self.read_grid(grid, path)
        if not found:
            names = "、".join(g.sheet for g in grids) or "（无工作表）"
            self.res.problems.append(Problem(
                ERROR, f"文件中没有找到登记表（工作表：{names}）：请确认表头含“标题”“报送日期”等列，"
                       f"或在 govxl.xlsx 的“列名映射”中登记本表的列名", shown))

    def read_grid(self, grid: Grid, path: Path) -> bool:
        if grid.note:
            self.res.problems.append(Problem(WARNING, grid.note, grid.file, grid.sheet))
        match = find_header(grid, D.HEADER_SYNONYMS, lookup=self.lookup)
        kind = register_kind(match)
        if kind == "items" and _names_adoption_register(grid.sheet, Path(path).name) and \
                any(c in match.columns for c in ADOPTION_COLUMNS):
            kind = "adoptions"  # the office's 采用登记 that also lists submission dates
        if kind is None:
            if _last_nonempty(grid.rows) < 0 or any(w in grid.sheet for w in D.NOTE_SHEET_WORDS):
                return False
            if _disclosure_register(grid):
                return True  # a register, of govxl disclosure's: the file is not "without a register"
            self.res.problems.append(Problem(
                WARNING, "未找到登记表表头（需含“标题”及“报送日期”或采用情况等列），已跳过此工作表",
                grid.file, grid.sheet))
            return False
        # the unit a sheet belongs to when rows do not say (departmental files: one per unit)
        # a "填报单位：青石镇" line above the header says it best; then the sheet, file and folder names
        sheet_unit = self._unit_line(grid, match.first_row)
        for name in (grid.sheet, readable(Path(path).stem), readable(Path(path).parent.name)):
            if sheet_unit:
                break
            sheet_unit = self.units.contained(name) or self.units.contained(_YEARISH.sub("", name))
        fill = _data_fill(grid, match.row + 1)
        last = _last_nonempty(grid.rows)
        self.res.sheets.append((grid.file, grid.sheet, kind, match.row + 1))
        self.res.sheet_rows.setdefault((grid.file, grid.sheet), Counter())
        count = self.res.count
        handler = {"items": self._item_row, "adoptions": self._adoption_row, "commission": self._commission_row}[kind]
        start = match.row + 1
        # plain item rows are normalised column by column (columns.py); the rest go through _Row
        plain = self._columns.items(grid, match, sheet_unit, fill, start, last) \
            if kind == "items" and self.columnar else None
        items = self.res.items
        file, sheet = grid.file, grid.sheet
        if last >= start:
            count(file, sheet, "read", last - start + 1)
        plain_counted = 0
        row0 = grid.excel_row(start) - start  # grid.excel_row(i) == row0 + i
        n = last - start + 1
        slow_at = [k for k, y in enumerate(plain.ok) if not y] if plain is not None else range(max(n, 0))
        k0 = 0  # rows start + k0 … are plain up to the next slow one: their items made in one go
        for k in (*slow_at, n):
            if k > k0:
                seq = self._seq - k0 + 1
                r0 = row0 + start
                run = [c[k0:k] for c in plain.columns]
                if self.runs:
                    items.append(ItemRun(seq + k0, file, sheet, r0 + k0, run))
                else:
                    # positional, in Item's field order: seq, unit, title, submitted, file, sheet, row, kind,
                    # author, adoptions, instructions, event_time, commission, false_report, note
                    items.extend([Item(seq + j, u, title, submitted, file, sheet, r0 + j, kind_, author,
                                       adoptions or [], instructions or [], event, cm, fr, note)
                                  for j, (u, title, submitted, kind_, author, adoptions, instructions, event, cm, fr,
                                          note) in enumerate(zip(*run), k0)])
                self._seq += k - k0
                plain_counted += k - k0
            if k >= n:
                break
            k0 = k + 1
            i = start + k
            row = _Row(self, grid, match, i, fill)
            if self._skip_reason(row):
                count(grid.file, grid.sheet, "skipped")
                continue
            bad = grid.bad_rows.get(grid.origin[0] + i)
            if bad:  # its cells are garbled: one error naming the line, not one per garbled cell
                row.errors.append(Problem(ERROR, bad, grid.file, grid.sheet, row.excel_row))
                outcome = "error"
            else:
                outcome = handler(row, sheet_unit)
            self.res.problems.extend(row.warnings)
            if outcome == "error" or row.errors:
                if not row.errors:
                    row.error(None, "此行无法识别")
                self.res.problems.extend(row.errors)
                count(grid.file, grid.sheet, "error")
            elif outcome == "pending":
                pass  # decided when adoption registers are attached
            elif outcome == "skipped":
                count(grid.file, grid.sheet, "skipped")
            else:
                count(grid.file, grid.sheet, "counted")  # duplicates move from counted to duplicate later
        if plain_counted:
            count(file, sheet, "counted", plain_counted)
        return True

    def _unit_line(self, grid: Grid, header_row: int):
        for row in grid.rows[:header_row]:
            for v in row:
                m = _UNIT_LINE.search(cell_text(v))
                if m:
                    unit = self.units.exact(m.group(1)) or self.units.contained(m.group(1))
                    if unit:
                        return unit
        return None

    # -- row kinds --
    def _skip_reason(self, row: _Row) -> Optional[str]:
        texts = row.texts
        if not any(texts):
            return "blank"
        for t in texts:
            if t and _is_subtotal(t):
                return "subtotal"
        if header_signature(row.values, row.match, self.lookup, texts):
            return "header"
        return None

    def _note_row(self, row: _Row) -> bool:
        """A single text cell with no title and no date: a 制表人/说明 line, skipped with a warning."""
        filled = [t for t in row.texts if t]
        if len(filled) == 1 and not row.text("标题"):
            row.warn(None, f"非登记行“{filled[0][:40]}”，已跳过")
            return True
        return False

    def _unit(self, row: _Row, sheet_unit) -> Optional[str]:
        if "单位" in row.match.columns:
            text = row.text("单位")
            if text:
                u = self.units.exact(text)
                if u is None:
                    row.error("单位", self.units.unknown_message(text))
                    return None
                return u.name
            if sheet_unit is not None:
                return sheet_unit.name
            row.error("单位", "单位为空")
            return None
        if sheet_unit is not None:
            return sheet_unit.name
        row.error(None, f"无法确定报送单位：表中没有“单位”列，工作表名“{row.grid.sheet}”和文件名也不含名册中的单位名称")
        return None

    def _check_formulas(self, row: _Row):
        if not row.grid.uncached:
            return
        absr = row.grid.origin[0] + row.i
        for (r, c) in row.grid.uncached:
            if r == absr:
                p = Problem(ERROR, f"单元格 {col_letter(c)}{r + 1} 是公式但没有计算结果（请在 Excel/WPS 中打开并保存后再试）",
                            row.grid.file, row.grid.sheet, row.excel_row, col_letter(c))
                row.errors.append(p)

    def _parse_date(self, raw):
        """parse_date with the reader's year; text dates repeat down a register, so each is parsed once."""
        if type(raw) is not str:
            return parse_date(raw, self.year)
        memo = self.__dict__.setdefault("_date_memo", {})
        pd = memo.get(raw)
        if pd is None:
            pd = parse_date(raw, self.year)
            if len(memo) < 100_000:
                memo[raw] = pd  # a ParsedDate (NamedTuple of immutable values): safe to share
        return pd

    def _date(self, row: _Row, std: str, *, required: bool) -> Optional[dt.datetime]:
        raw = row.get(std)
        pd = self._parse_date(raw)
        if pd.error:
            row.error(std, f"{std}{pd.error}")
            return None
        if pd.warning:
            row.warn(std, pd.warning)
        if pd.value is None and required:
            row.error(std, f"{std}为空")
        return pd.value

    def _adoptions_of_row(self, row: _Row) -> list:
        adoptions = []
        text = row.text("采用情况")
        if text:
            ads, warns, errs = parse_adoption_text(text, self.book)
            adoptions += ads
            for w in warns:
                row.warn("采用情况", w)
            for e in errs:
                row.error("采用情况", e)
        for lv, std in D.LEVEL_ADOPTION_COLUMN.items():
            if std not in row.match.columns:
                continue
            raw = row.get(std)
            if isinstance(raw, (dt.date, dt.datetime)) or isinstance(raw, str):
                judged = parse_date(raw) if not isinstance(raw, str) else self._parse_date(raw)
                if implausible_date(judged):  # a date in a level column is the adoption's date: same rule
                    row.error(std, f"{std}{judged.error}")
                    continue
            if isinstance(raw, (dt.date, dt.datetime)):
                rule = self.book.level_default[lv]
                adoptions.append(Adoption(lv, rule.name, rule.points, cell_text(raw), parse_date(raw).value,
                                          multiplier=rule.multiplier))
                continue
            m = mark_value(raw)
            if m is False:
                continue
            if m is True:
                rule = self.book.level_default.get(lv)
                if rule is None:
                    row.error(std, f"采用计分中没有{lv}的分值")
                    continue
                adoptions.append(Adoption(lv, rule.name, rule.points, cell_text(raw), multiplier=rule.multiplier))
                continue
            pd = self._parse_date(raw)
            if pd.value is not None and not pd.error:
                rule = self.book.level_default[lv]
                adoptions.append(Adoption(lv, rule.name, rule.points, cell_text(raw), pd.value,
                                          multiplier=rule.multiplier))
                continue
            ads, warns, errs = parse_adoption_text(cell_text(raw), self.book, lv)
            adoptions += ads
            for w in warns:
                row.warn(std, w)
            for e in errs:
                row.error(std, e)
        if adoptions and "采用日期" in row.match.columns:
            d = self._date(row, "采用日期", required=False)
            for a in adoptions:
                if a.date is None:
                    a.date = d
        return adoptions

    def _instructions_of_row(self, row: _Row) -> list:
        text = row.text("领导批示")
        if not text:
            return []
        ins, errs = parse_instruction_text(text)
        for e in errs:
            row.error("领导批示", e)
        if ins and "批示日期" in row.match.columns:
            d = self._date(row, "批示日期", required=False)
            for x in ins:
                x.date = d
        return ins

    def _flag(self, row: _Row, std: str) -> bool:
        raw = row.get(std)
        m = mark_value(raw)
        if m is None:
            t = cell_text(raw).strip()
            if t[:1] in ("是", "√", "✓"):
                return True
            row.warn(std, f"“{std}”列的“{t}”不是 是/否，按“是”处理")
            return True
        return m

    def _title(self, row: _Row, empty_message: str) -> Optional[str]:
        """The row's title; None for a note line (skipped). A blank title is an error on the row."""
        self._check_formulas(row)
        title = row.text("标题")
        if not title:
            if self._note_row(row):
                return None
            row.error("标题", empty_message)
        return title

    def _item_row(self, row: _Row, sheet_unit) -> str:
        title = self._title(row, "标题为空")
        if title is None:
            return "skipped"
        submitted = self._date(row, "报送日期", required=True)
        unit = self._unit(row, sheet_unit)
        adoptions = self._adoptions_of_row(row)
        instructions = self._instructions_of_row(row)
        event = None
        if "事件时间" in row.match.columns and row.text("事件时间"):
            pd = parse_date(row.get("事件时间"), self.year)
            if pd.value is None:
                row.warn("事件时间", f"事件时间“{row.text('事件时间')}”无法识别，不判断是否迟报")
            event = pd.value
        joint = ()
        if "联合报送单位" in row.match.columns and row.text("联合报送单位"):
            names = []
            for seg in split_segments(row.text("联合报送单位")):
                u = self.units.exact(seg)
                if u is None:
                    row.error("联合报送单位", self.units.unknown_message(seg))
                elif u.name != unit and u.name not in names:
                    names.append(u.name)
            joint = tuple(names)
        if row.errors:
            return "error"
        self._seq += 1
        self.res.items.append(Item(
            seq=self._seq, unit=unit, title=title, submitted=submitted,
            file=row.grid.file, sheet=row.grid.sheet, row=row.excel_row,
            kind=row.text("信息类型"), author=row.text("撰稿人"),
            adoptions=adoptions, instructions=instructions, event_time=event,
            commission=self._flag(row, "约稿") if "约稿" in row.match.columns else False,
            false_report=self._flag(row, "失实") if "失实" in row.match.columns else False,
            note=row.text("备注"), joint_units=joint,
        ))
        return "counted"

    def _adoption_row(self, row: _Row, sheet_unit) -> str:
        title = self._title(row, "标题为空")
        if title is None:
            return "skipped"
        # an office's 采用登记 may list titles only: then the title alone finds the item (see _attach…)
        unit = None if ("单位" not in row.match.columns and sheet_unit is None) else self._unit(row, sheet_unit)
        adoptions = self._adoptions_of_row(row)
        instructions = self._instructions_of_row(row)
        if not adoptions and not instructions and not row.errors:
            row.error("采用情况", "采用登记行没有采用或批示信息")
        if row.errors:
            return "error"
        origin = f"采用登记 {row.grid.file} › {row.grid.sheet} › 第{row.excel_row}行"
        for a in adoptions:
            a.origin = origin
        for x in instructions:
            x.origin = origin
        self._pending_adoptions.append((unit, title, adoptions, instructions, row))
        return "pending"

    def _commission_row(self, row: _Row, sheet_unit) -> str:
        topic = self._title(row, "约稿主题为空")
        if topic is None:
            return "skipped"
        unit = self._unit(row, sheet_unit)
        issued = self._date(row, "下达日期", required=False) if "下达日期" in row.match.columns else None
        deadline = self._date(row, "截止日期", required=True)
        done = self._date(row, "完成日期", required=False) if "完成日期" in row.match.columns else None
        if row.errors:
            return "error"
        self.res.commissions.append(Commission(unit, topic, issued, deadline, done,
                                               row.grid.file, row.grid.sheet, row.excel_row))
        return "counted"

    # -- after all files --
    def _attach_adoption_registers(self):
        if not self._pending_adoptions:
            return
        threshold = self.cfg.num("疑似重复阈值", 90)
        by_key: dict = {}
        by_unit: dict = {}
        # prefer the first-reported item when titles repeat
        by_title: dict = {}
        for it in sorted(self.res.items, key=lambda x: (x.submitted, x.seq)):
            by_key.setdefault((it.unit, it.title_key), it)
            by_unit.setdefault(it.unit, {}).setdefault(it.title_key, it)
            by_title.setdefault(it.title_key, it)
        for unit, title, adoptions, instructions, row in self._pending_adoptions:
            row.warnings.clear()  # the row's own warnings were reported when it was read
            key = norm_title(title)
            # without a unit (a register of titles only) every unit's items are candidates
            item = by_key.get((unit, key)) if unit is not None else by_title.get(key)
            candidates = by_unit.get(unit) if unit is not None else by_title
            if item is None and candidates:
                from rapidfuzz import fuzz, process

                best = process.extractOne(key, list(candidates.keys()), scorer=fuzz.ratio, score_cutoff=threshold)
                if best is not None:
                    item = candidates[best[0]]
                    row.warn("标题", f"采用登记标题“{title}”按相似度 {best[1]:.0f} 匹配到 {item.file} › {item.sheet} › "
                                   f"第{item.row}行“{item.title}”，请核对")
            self.res.problems.extend(row.warnings)
            row.warnings.clear()
            if item is None:
                row.error("标题", f"采用登记找不到对应的报送信息：{unit or ''}“{title}”（请核对标题或报送台账）")
                self.res.problems.extend(row.errors)
                self.res.count(row.grid.file, row.grid.sheet, "error")
                continue
            item.adoptions = [*item.adoptions, *adoptions]  # may be the shared empty tuple (cache._shared_columns)
            item.instructions = [*item.instructions, *instructions]
            self.res.count(row.grid.file, row.grid.sheet, "counted")
        self._pending_adoptions.clear()

    def _warn_duplicate_adoptions(self):
        for it in self.res.items:
            if it.status == "duplicate" and (it.adoptions or it.instructions):
                self.res.problems.append(Problem(
                    WARNING, f"重复信息“{it.title}”登记了采用或批示，按首报规则不计分（首报为第{it.dup_of}条）",
                    it.file, it.sheet, it.row))
            elif it.status == "duplicate":
                continue


def digests_of_keys(keys: list) -> bytearray:
    """A CRC-32 of each title key, little-endian, 4 bytes a key (ReadResult.title_digests)."""
    import zlib
    from itertools import repeat

    import numpy as np

    encoded = map(str.encode, keys, repeat("utf-8"), repeat("surrogatepass"))
    return bytearray(np.fromiter(map(zlib.crc32, encoded), dtype="<u4", count=len(keys)).tobytes())


def _repeated_titles(items: list, digests) -> dict:
    """{title key: its items, in order} for the keys met more than once. With a digest per item, only the
    items whose digest repeats are looked at (found in numpy: a dictionary of half a million freshly read
    keys would be bound by memory), and grouped by their keys — digests that merely
    collide part there."""
    if digests is not None and len(digests) == 4 * len(items):
        import numpy as np

        d = np.frombuffer(digests, dtype="<u4")
        order = np.argsort(d, kind="stable")
        same = d[order[1:]] == d[order[:-1]]
        mark = np.zeros(len(d), dtype=bool)
        mark[1:] |= same
        mark[:-1] |= same
        pick = [items[i] for i in np.sort(order[mark]).tolist()]
    else:
        pick = items
    seen: dict = {}
    again: dict = {}
    for it in pick:
        key = it.title_key
        if not key:
            continue
        first = seen.get(key)
        if first is None:
            seen[key] = it
        elif key in again:
            again[key].append(it)
        else:
            again[key] = [first, it]
    return again


def mark_duplicates(items: list, mode: str, digests=None) -> None:
    """首报: of items with equal normalised titles, the earliest submitted counts; the rest are duplicates.
    digests: ReadResult.title_digests of the items, if made."""
    if mode == "全计":
        return
    # only titles met more than once need ordering: grouped first, then each group sorted (not the year)
    again = _repeated_titles(items, digests)
    for group in again.values():
        group.sort(key=lambda x: (x.submitted, x.seq))
        first = group[0]
        for it in group[1:]:
            it.status = "duplicate"
            it.dup_of = first.seq


def _disclosure_register(grid) -> bool:
    """A 政府信息公开 register (govxl disclosure's) kept in the same folder: not a submission register,
    and nothing to say about it here."""
    from ..disclosure.registers import detect_register

    return detect_register(grid) is not None


def read_registers(paths, cfg: Config, *, year: Optional[int] = None, cache_dir: Optional[Path] = None) -> ReadResult:
    """Read and normalise every register under paths into tables (see ReadResult). Never raises for bad
    data: see .problems.

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
        years = years[(years != YEAR_PROBE).to_numpy()]
        return read_registers(paths, cfg, year=int(years.max()) if len(years) else dt.date.today().year,
                              cache_dir=cache_dir)
    from .frames import count_duplicates, warn_overlong

    res = _as_frames(RegisterReader(cfg, year=year, cache_dir=cache_dir).read(paths))
    count_duplicates(res)
    warn_overlong(res)
    return res


def _as_frames(res: ReadResult) -> ReadResult:
    """The reader's records (Item with its Adoptions and Instructions, Commission) made into the tables of
    ReadResult, in place. A bridge: it goes when the reader makes the tables itself."""
    from itertools import chain, repeat

    from .frames import ADOPTION_COLUMNS, COMMISSION_COLUMNS, INSTRUCTION_COLUMNS, ITEM_COLUMNS, table

    items = res.items
    attr = {"key": "title_key", "joint": "joint_units"}
    res.items = table(ITEM_COLUMNS, {c: list(map(attrgetter(attr.get(c, c)), items)) for c in ITEM_COLUMNS}
                      if items else {})

    def records(attr: str, columns: dict):
        lists = [(it.seq, x) for it in items if (x := getattr(it, attr))]  # most items have none
        rows = list(chain.from_iterable(x for _, x in lists))
        data = {"seq": list(chain.from_iterable(repeat(s, len(x)) for s, x in lists)),
                "k": list(chain.from_iterable(range(len(x)) for _, x in lists))}
        data.update({c: list(map(attrgetter(c), rows)) for c in columns if c not in data})
        return table(columns, data if rows else {})

    res.adoptions = records("adoptions", ADOPTION_COLUMNS)
    res.instructions = records("instructions", INSTRUCTION_COLUMNS)
    cs = res.commissions
    res.commissions = table(COMMISSION_COLUMNS, {c: [getattr(x, c) for x in cs] for c in COMMISSION_COLUMNS} if cs else {})
    return res
