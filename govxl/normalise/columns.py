"""Plain item rows, normalised column by column.

read → **normalise** → score → write. Most rows of a register are plain: a title, a date that parses
cleanly, a unit from the roster, marks that are marks. `registers.RegisterReader` judges each row through
`_Row` — correct for every odd row, but slow in Python: most of the time a province year takes to read
(docs/performance.md). This module does the same work over a sheet's columns: every
distinct cell value of a column is judged once (dates, units, marks, adoption texts repeat down a
register), the skip checks (blank, subtotal, repeated header) are summed over the columns with numpy,
and an `Item` is built straight from the columns' results.

Only rows on which the row path would say nothing are taken here: any row the row path would skip,
warn about or reject — and any cell this module does not judge exactly as the row path does — is
handed back (`None`) to the row path, which then reads it as it always has. So the items, their order,
the problems and the row counts are the same as reading every row through `_Row`
(tests/test_columns.py reads the same grids both ways and compares).
"""
from __future__ import annotations

import datetime as dt
import re
import weakref
from itertools import zip_longest
from typing import Optional

from .. import defaults as D
from .dates import implausible_date, in_range, parse_date
from .headers import CJK_FIRST, CJK_LAST, _at_least_cjk, digitish_key
from .text import OPEN_BRACKETS, cell_str, cell_text, first_bracket, per_text_sums

SLOW = object()  # "the row path must read this row"
_MEMO_MAX = 200_000  # distinct values remembered per reader (titles are all distinct: kept bounded)
_WHOLE_MIN = 32  # a column judged whole (_codes) has at least this many cells
_WHOLE_CHUNK = 4096  # texts judged together (_long_plain)
_NUMBER_TYPES = {float, int}
_DATE_TYPES = {dt.datetime, dt.date, dt.time}  # str() of each is DIGITISH
_STR_TYPE = {str}
_DATETIME_TYPE = {dt.datetime}
_BRACKET_POINTS = [ord(c) for c in OPEN_BRACKETS]  # what text.first_bracket finds


def _ideographs(a):
    """1 for each code point _at_least_cjk counts."""
    return (a >= CJK_FIRST) & (a <= CJK_LAST)


def _brackets(a):
    """1 for each code point that is a bracket text.first_bracket finds."""
    br = a == _BRACKET_POINTS[0]
    for p in _BRACKET_POINTS[1:]:
        br |= a == p
    return br


def _as_read(d: dt.datetime) -> dt.datetime:
    """parse_date(d).value of a datetime cell."""
    return d if d.microsecond == 0 and d.tzinfo is None else d.replace(microsecond=0, tzinfo=None)


def _filled(_v) -> int:
    """_cell_code of a cell whose type settles it (ColumnPlan._plain_types)."""
    return 1


def _raw(v):
    """row.get() on a row without merged cells: the value, or "" for a blank cell."""
    return "" if v is None or (type(v) is str and v == "") else v


# what ColumnPlan.items gives for the plain rows, in this order (Item's fields; the rest follow from where
# a row is: seq, file, sheet, row — or are Item's defaults)
PLAIN_FIELDS = ("unit", "title", "submitted", "kind", "author", "adoptions", "instructions", "event_time",
                "commission", "false_report", "note")


class PlainRows:
    """ColumnPlan.items' answer for a sheet's rows: ok[k], row k is plain (read here); columns, the values
    of PLAIN_FIELDS a column each (a row that is not plain holds anything there). A plain row without
    adoptions or instructions holds None in those columns (its Item gets empty lists)."""

    __slots__ = ("ok", "columns")

    def __init__(self, ok: list, columns: list):
        self.ok, self.columns = ok, columns


class ColumnPlan:
    """Per reader: the memos of judged values, kept across sheets (units, dates and marks repeat)."""

    def __init__(self, reader, shared: Optional[dict] = None):
        from . import registers  # imports this module: bound here, not at import time

        # a proxy, not a reference: the reader holds this plan, and a cycle would keep every per-file
        # reader (and its items) alive until the collector ran — which api pauses while reading
        self.reader = weakref.proxy(reader)
        self.memos: dict = {}
        # shared: memos kept across the files read with one config and year (one worker process, or one
        # read in this process). Each judge below is a function of the config, the year (in the memo's
        # name where it matters) and the value, so a date, unit or adoption text met in an earlier file
        # is not judged again. "code" (the skip checks) stays per reader: its values are mostly titles, all
        # different, which a worker's memo would only fill up with.
        self.shared = shared if shared is not None else self.memos
        self.R = registers
        # a text with more CJK ideographs than any header key (Lookup's own bound) and any subtotal word
        # holds, and no brackets, is neither (norm keeps every ideograph)
        limit = max(max(map(len, reader.lookup.map), default=0), 12, max(map(len, D.SUBTOTAL_WORDS)))
        self._long = _at_least_cjk(limit + 1).match
        self._long_n = limit + 1
        number = re.compile(r"[-+]?[\d.]+(?:e[-+]?\d+)?|[-+]?inf").fullmatch
        # cells of these types are "filled" and neither header label nor subtotal word (_cell_code's 1):
        # numbers unless a key reads as a number, dates and times unless a key is DIGITISH (what they read as)
        plain = set()
        if not any(number(k) for k in (*reader.lookup.map, *D.SUBTOTAL_WORDS)):
            plain |= _NUMBER_TYPES
        if reader.lookup.digitish_misses and not any(map(digitish_key, D.SUBTOTAL_WORDS)):
            plain |= _DATE_TYPES
        self._plain_types = frozenset(plain)

    def memo(self, name) -> dict:
        memos = self.memos if name == "code" else self.shared
        m = memos.get(name)
        if m is None or len(m) > _MEMO_MAX:
            m = memos[name] = {}
        return m

    def mapped(self, name, col, fn) -> list:
        """fn over a column, each distinct value once (fn may return SLOW).

        1 == 1.0 == True but their texts differ ("1", "1", "是"): non-text values are keyed with their type."""
        memo = self.memo(name)
        keys = col if set(map(type, col)) <= _STR_TYPE else [v if type(v) is str else (type(v), v) for v in col]
        for k in set(keys).difference(memo):
            memo[k] = fn(k if type(k) is str else k[1])
        return list(map(memo.__getitem__, keys))

    def _mapped_by_type(self, name, col, fn, types, direct) -> list:
        """mapped(name, col, fn), except that a cell of one of `types` (and not NaN) is direct(cell), without
        the memo: cells whose type settles them, and which are too many different ones to remember."""
        left = [i for i, v in enumerate(col) if type(v) not in types or v != v]
        if direct is _filled:  # (the skip checks: a constant, every cell not left over is 1)
            out = [1] * len(col)
        else:
            out = [direct(v) if type(v) in types and v == v else None for v in col]
        for i, value in zip(left, self.mapped(name, [col[i] for i in left], fn)):
            out[i] = value
        return out

    def mapped_dates(self, name, col, fn) -> list:
        """mapped() for a date column: a datetime cell of the plausible years is read as itself (parse_date
        drops its microseconds and time zone, and says nothing), without the memo — with times, every one
        is different."""
        kinds = set(map(type, col))
        if dt.datetime not in kinds:
            return self.mapped(name, col, fn)

        def read(d):  # a date cell outside the plausible years is judged by fn (parse_date says why)
            return _as_read(d) if in_range(d) else fn(d)

        if len(kinds) == 1:
            return list(map(read, col))
        return self._mapped_by_type(name, col, fn, _DATETIME_TYPE, read)

    # -- the skip checks of RegisterReader._skip_reason, over all of a row's cells --
    def _cell_code(self, v) -> int:
        if type(v) in self._plain_types and v == v:
            return 1  # a number (序号, a serial date) or a date is neither a header label nor a subtotal word
        t = cell_str(v)
        if not t:
            return 0
        # a title: what Lookup and _is_subtotal would each find out, in one step. Brackets are stripped
        # before a header is looked up, but never what comes before the first one: enough ideographs
        # there is as good as enough in a text without brackets
        b = first_bracket(t)
        if self._long(t, 0, len(t) if b is None else b.start()):
            return 1
        return 1 | (2 if self.reader.lookup(t) is not None else 0) | (4 if self.R._is_subtotal(t) else 0)

    def _long_plain(self, col):
        """Per text of col: holds at least _long_n CJK ideographs and no bracket (numpy bools), counted over
        the texts' code points (None if a text holds NUL or a lone surrogate)."""
        sums = per_text_sums(col, _ideographs, _brackets)
        if sums is None:
            return None
        ideographs, brackets = sums
        return (ideographs >= self._long_n) & (brackets == 0)

    def _codes(self, col):
        """mapped("code", col, _cell_code), with two kinds of column judged whole: numbers (序号, serial
        dates: all 1) and all-different texts (titles: the memo only fills up). A title with enough CJK
        ideographs and no bracket is 1 (what _cell_code finds); the two tests run over the column's texts
        joined, in numpy, and only the titles they leave go through _cell_code."""
        import numpy as np

        n = len(col)
        if n >= _WHOLE_MIN:
            kinds = set(map(type, col))
            plain = self._plain_types
            if kinds <= plain:
                if float not in kinds:
                    total = 0.0
                else:
                    total = sum(col) if kinds <= _NUMBER_TYPES else sum(v for v in col if type(v) is float)
                if total == total:  # no NaN (which _cell_code reads as text)
                    return [1] * n
            elif kinds & plain:  # dates with a few texts among them: only the others are judged
                return self._mapped_by_type("code", col, self._cell_code, plain, _filled)
            elif kinds == _STR_TYPE and len(set(col[:_WHOLE_MIN])) == _WHOLE_MIN:
                # a few thousand texts at a time: a huge sheet's titles as code points would be tens of MB
                parts = [self._long_plain(col[i:i + _WHOLE_CHUNK]) for i in range(0, n, _WHOLE_CHUNK)]
                ok = None if any(p is None for p in parts) else np.concatenate(parts)
                if ok is not None:
                    out = ok.astype(np.uint8)
                    left = np.flatnonzero(~ok).tolist()
                    if left:
                        out[left] = self.mapped("code", [col[i] for i in left], self._cell_code)
                    return out
        return self.mapped("code", col, self._cell_code)

    def plain_rows(self, cols: list, n: int):
        """Per row: False when the row path would skip it (blank, subtotal, repeated header)."""
        import numpy as np

        if not cols:
            return [False] * n
        codes = np.empty((len(cols), n), dtype=np.uint8)
        for j, c in enumerate(cols):
            codes[j] = self._codes(c)
        filled = (codes & 1).sum(axis=0)
        hits = ((codes >> 1) & 1).sum(axis=0)
        sub = (codes & 4).any(axis=0)
        header = (hits >= 2) & (hits * 2 >= filled)
        return ((filled > 0) & ~sub & ~header).tolist()

    # -- one sheet of items --
    def items(self, grid, match, sheet_unit, fill: dict, start: int, last: int) -> PlainRows:
        """For rows start..last: which are plain, and their Item fields of PLAIN_FIELDS (PlainRows); the
        other rows are for the row path to read."""
        n = last - start + 1
        if n <= 0:
            return PlainRows([], [])
        r = self.reader
        cmap = match.columns
        cols = list(zip_longest(*grid.rows[start:last + 1], fillvalue=""))
        blank = ("",) * n

        def col(std):
            c = cmap.get(std)
            return None if c is None else (cols[c] if c < len(cols) else blank)

        plain = self.plain_rows(cols, n)
        slow_rows = {i for (i, _c) in fill}
        slow_rows |= {a - grid.origin[0] for (a, _c) in grid.uncached}
        slow_rows |= {a - grid.origin[0] for a in grid.bad_rows}
        year = r.year

        texts = {}
        for std in ("标题", "信息类型", "撰稿人", "备注"):
            c = col(std)
            if c is None:
                texts[std] = [""] * n
            else:
                texts[std] = list(map(str.strip, c)) if set(map(type, c)) <= _STR_TYPE else list(map(cell_str, c))

        # 单位
        units = r.units
        sheet_name = sheet_unit.name if sheet_unit is not None else None

        def unit_of(v):
            t = cell_str(v)
            if t:
                u = units.exact(t)
                return SLOW if u is None else u.name
            return SLOW if sheet_name is None else sheet_name

        c = col("单位")
        if c is None:
            if sheet_name is None:
                return PlainRows([False] * n, [])
            unit = [sheet_name] * n
        else:
            unit = self.mapped(("unit", sheet_name), c, unit_of)  # a blank cell means this sheet's unit

        def required_date(v):
            pd = r._parse_date(_raw(v))
            return SLOW if (pd.error or pd.warning or pd.value is None) else pd.value

        def optional_date(v):
            pd = r._parse_date(_raw(v))
            return SLOW if (pd.error or pd.warning) else pd.value

        submitted = self.mapped_dates(("date", year), col("报送日期"), required_date)

        adoption_cols = []  # lists of adoption templates (or SLOW), in the row path's order
        c = col("采用情况")
        if c is not None:
            adoption_cols.append(self.mapped("adoption text", c, self._adoption_text))
        for lv, std in D.LEVEL_ADOPTION_COLUMN.items():
            c = col(std)
            if c is not None:
                adoption_cols.append(self.mapped(("level", lv, year), c, lambda v, lv=lv: self._level_cell(lv, v)))
        c = col("采用日期")
        adoption_date = self.mapped_dates(("opt date", year), c, optional_date) if c is not None else None

        c = col("领导批示")
        instructions = self.mapped("instruction", c, self._instruction_text) if c is not None else None
        c = col("批示日期")
        instruction_date = self.mapped_dates(("opt date", year), c, optional_date) if c is not None else None

        c = col("事件时间")
        if c is not None:
            def event_of(v):
                if not cell_str(v):
                    return None
                pd = parse_date(_raw(v), year)
                return SLOW if pd.value is None else pd.value

            event = self.mapped_dates(("event", year), c, event_of)
        else:
            event = None

        c = col("联合报送单位")
        joint_slow = [bool(cell_str(v)) for v in c] if c is not None else None

        flags = {}
        for std in ("约稿", "失实"):
            c = col(std)
            flags[std] = self.mapped("flag", c, self._flag) if c is not None else None

        Adoption, Instruction = self.R.Adoption, self.R.Instruction
        title_t, kind_t, author_t, note_t = texts["标题"], texts["信息类型"], texts["撰稿人"], texts["备注"]
        commission, false_report = flags["约稿"], flags["失实"]

        # which rows are taken here: a row is handed back when any of its cells is SLOW (a date column's only
        # when the row has adoptions or instructions to date) — decided a column at a time
        ok = list(map(bool, map(all, zip(plain, title_t)))) if n else []
        for a in slow_rows:
            if 0 <= a - start < n:
                ok[a - start] = False

        def drop(rows):
            for k in rows:
                ok[k] = False

        for c in (unit, submitted, *adoption_cols, instructions, event, commission, false_report):
            if c is not None:
                drop([k for k, v in enumerate(c) if v is SLOW])
        if joint_slow is not None:
            drop([k for k, v in enumerate(joint_slow) if v])
        with_ads = set()  # rows with adoptions (SLOW is truthy: those rows are dropped already)
        for ac in adoption_cols:
            with_ads.update([k for k, t in enumerate(ac) if t])
        if adoption_date is not None:
            drop([k for k in with_ads if adoption_date[k] is SLOW])
        with_ins = ()
        if instructions is not None:
            with_ins = {k for k, t in enumerate(instructions) if t}
            if instruction_date is not None:
                drop([k for k in with_ins if instruction_date[k] is SLOW])

        # the plain rows' adoptions and instructions made (None: the row has none)
        ads = [None] * n
        for k in with_ads:
            if ok[k]:
                ad_date = adoption_date[k] if adoption_date is not None else None
                ads[k] = [Adoption(lv, rule, pts, text, d if d is not None else ad_date, multiplier=mult)
                          for ac in adoption_cols for (lv, rule, pts, text, d, mult) in ac[k]]
        ins = [None] * n
        for k in with_ins:
            if ok[k]:
                ins_date = instruction_date[k] if instruction_date is not None else None
                ins[k] = [Instruction(lv, text, ins_date) for (lv, text) in instructions[k]]
        return PlainRows(ok, [unit, title_t, submitted, kind_t, author_t, ads, ins,
                              [None] * n if event is None else event,
                              [False] * n if commission is None else commission,
                              [False] * n if false_report is None else false_report, note_t])

    # -- cell judges (each returns what the row path would make of the cell when it says nothing) --
    def _adoption_text(self, v):
        t = cell_str(v)
        if not t:
            return ()
        ads, warns, errs = self.R.parse_adoption_text(t, self.reader.book)
        if warns or errs:
            return SLOW
        return tuple((a.level, a.rule, a.points, a.text, a.date, a.multiplier) for a in ads)

    def _level_cell(self, lv: str, v):
        raw = _raw(v)
        book = self.reader.book
        try:
            if isinstance(raw, (dt.date, dt.datetime, str)) and implausible_date(
                    parse_date(raw) if not isinstance(raw, str) else self.reader._parse_date(raw)):
                return SLOW  # the row path says what is wrong with the date
            if isinstance(raw, (dt.date, dt.datetime)):
                rule = book.level_default[lv]
                return ((lv, rule.name, rule.points, cell_text(raw), parse_date(raw).value, rule.multiplier),)
            m = self.R.mark_value(raw)
            if m is False:
                return ()
            if m is True:
                rule = book.level_default.get(lv)
                if rule is None:
                    return SLOW
                return ((lv, rule.name, rule.points, cell_text(raw), None, rule.multiplier),)
            pd = self.reader._parse_date(raw)
            if pd.value is not None and not pd.error:
                rule = book.level_default[lv]
                return ((lv, rule.name, rule.points, cell_text(raw), pd.value, rule.multiplier),)
        except KeyError:
            return SLOW  # the row path meets the same missing rule and says so
        ads, warns, errs = self.R.parse_adoption_text(cell_text(raw), book, lv)
        if warns or errs:
            return SLOW
        return tuple((a.level, a.rule, a.points, a.text, a.date, a.multiplier) for a in ads)

    def _instruction_text(self, v):
        t = cell_str(v)
        if not t:
            return ()
        ins, errs = self.R.parse_instruction_text(t)
        if errs:
            return SLOW
        return tuple((x.level, x.text) for x in ins)

    def _flag(self, v):
        m = self.R.mark_value(_raw(v))
        return SLOW if m is None else m
