"""One register sheet's data rows → rows of the part's tables, every row accounted for.

normalise (spec §3): below the header, each row is skipped (blank, subtotal, a repeated header, a note
line), an error (with a located message for each thing wrong with it), or counted — an item, an
adoption-register row (a claim, matched later) or a 约稿. The work is done a column at a time: the
cells of a column (merged cells filled in) go through their judge (`judges`), each distinct value once;
a row is an error when any of its cells is; Problem objects are made only for the cells that have
something to say.
"""
from __future__ import annotations

from itertools import compress, zip_longest
from operator import itemgetter

from ..errors import ERROR, WARNING, Problem, col_letter
from .judges import LEVEL_COLUMNS, NONE, with_date
from .text import cell_str, cell_text


def last_nonempty(rows: list) -> int:
    for i in range(len(rows) - 1, -1, -1):
        if any(cell_text(v).strip() for v in rows[i]):
            return i
    return -1


def data_fill(grid, start: int) -> dict:
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


def picked(values, at: list) -> list:
    """[values[i] for i in at], in C."""
    if len(at) > 1:
        return list(itemgetter(*at)(values))
    return [values[i] for i in at]


def _texts(values: list) -> list:
    return list(map(str.strip, values)) if set(map(type, values)) <= {str} else list(map(cell_str, values))


class Sheet:
    """The data rows of one sheet under its header (match), read for one kind of register."""

    def __init__(self, reader, grid, match, sheet_unit):
        import numpy as np

        self.reader, self.grid, self.match, self.sheet_unit = reader, grid, match, sheet_unit
        self.judges = reader.judges
        self.start = start = match.row + 1
        last = last_nonempty(grid.rows)
        self.n = n = max(last - start + 1, 0)
        self.cols = list(zip_longest(*grid.rows[start:last + 1], fillvalue="")) if n else []
        kept, self.filled = reader.skips.rows(self.cols, n)
        bad_at = {a - grid.origin[0] - start: why for a, why in grid.bad_rows.items()}
        self.bad = [(k, bad_at[k]) for k in sorted(bad_at) if 0 <= k < n and kept[k]]
        for k, _why in self.bad:
            kept[k] = False
        self.live = np.flatnonzero(kept).tolist()  # the rows judged
        self.skipped = n - len(self.live) - len(self.bad)
        # merged cells of the judged rows, by column: (position in live, value)
        self.at = {k: p for p, k in enumerate(self.live)}
        self.fill: dict = {}
        for (i, c), v in data_fill(grid, start).items():
            p = self.at.get(i - start)
            if p is not None:
                self.fill.setdefault(c, []).append((p, v))
        self.found: list = []  # (position in live, is error, check, Problem)
        self.errors = np.zeros(len(self.live), dtype=bool)

    # -- columns --
    def has(self, std: str) -> bool:
        return std in self.match.columns

    def column(self, std: str) -> list:
        """The live rows' cells of a column, merged cells filled in, "" for blank (None for a missing column)."""
        c = self.match.columns.get(std)
        if c is None:
            return None
        m = len(self.live)
        if c >= len(self.cols) or not m:
            return [""] * m
        values = picked(self.cols[c], self.live)
        for p, v in self.fill.get(c, ()):
            if values[p] in ("", None):
                values[p] = v
        if type(None) in set(map(type, values)):
            values = ["" if v is None else v for v in values]
        return values

    def texts(self, std: str) -> list:
        col = self.column(std)
        return [""] * len(self.live) if col is None else _texts(col)

    # -- problems --
    def _letter(self, std):
        c = self.match.columns.get(std) if std else None
        return col_letter(self.grid.excel_col(c)) if c is not None else None

    def excel_row(self, p: int) -> int:
        return self.grid.excel_row(self.start + self.live[p])

    def say(self, p: int, severity: str, std, message: str, check: int, letter=None):
        g = self.grid
        problem = Problem(severity, message, g.file, g.sheet, self.excel_row(p), letter or self._letter(std))
        self.found.append((p, severity == ERROR, check, problem))
        if severity == ERROR:
            self.errors[p] = True

    def report(self, std, judged: list, check: int, where=None) -> list:
        """The values of a judged column; its warnings and errors said for the rows `where` is true of."""
        for p, (_v, warns, errs) in enumerate(judged):
            if (warns or errs) and (where is None or where[p]):
                for w in warns:
                    self.say(p, WARNING, std, w, check)
                for e in errs:
                    self.say(p, ERROR, std, e, check)
        return [v for v, _w, _e in judged]

    def judged(self, std, name, judge, check: int, where=None, dates=False) -> list:
        """judge over the column std (None when the sheet has no such column)."""
        col = self.column(std)
        if col is None:
            return None
        over = self.judges.over_dates if dates else self.judges.over
        return self.report(std, over(name, col, judge), check, where)

    # -- what every kind starts with --
    def formulas(self):
        """A formula without a cached value cannot be read: an error on its cell."""
        g = self.grid
        if not g.uncached:
            return
        for (r, c) in sorted(g.uncached):
            p = self.at.get(r - g.origin[0] - self.start)
            if p is not None:
                self.say(p, ERROR, None, f"单元格 {col_letter(c)}{r + 1} 是公式但没有计算结果（请在 Excel/WPS 中打开并保存后再试）",
                         0, letter=col_letter(c))

    def titles(self, empty_message: str) -> tuple:
        """(titles, note lines): a row without a title is an error, unless it holds one text only — a
        制表人 or 说明 line, skipped with a warning."""
        self.formulas()
        titles = self.texts("标题")
        notes = [False] * len(titles)
        for p, t in enumerate(titles):
            if t:
                continue
            k = self.live[p]
            if self.filled[k] == 1:
                text = next(t for t in map(cell_str, self.grid.rows[self.start + k]) if t)
                self.say(p, WARNING, None, f"非登记行“{text[:40]}”，已跳过", 1)
                notes[p] = True
            else:
                self.say(p, ERROR, "标题", empty_message, 1)
        return titles, notes

    def units(self, check: int, where) -> list:
        if self.has("单位"):
            name = ("单位", self.sheet_unit.name if self.sheet_unit is not None else None)
            return self.judged("单位", name, self.judges.unit(self.sheet_unit), check, where)
        if self.sheet_unit is not None:
            return [self.sheet_unit.name] * len(self.live)
        message = (f"无法确定报送单位：表中没有“单位”列，工作表名“{self.grid.sheet}”和文件名也不含名册中的单位名称")
        for p in range(len(self.live)):
            if where[p]:
                self.say(p, ERROR, None, message, check)
        return [None] * len(self.live)

    def dates(self, std: str, required: bool, check: int, where) -> list:
        j = self.judges
        col = self.judged(std, ("date", std, required, j.year), j.date(std, required), check, where, dates=True)
        if col is None:
            if required:
                for p in range(len(self.live)):
                    if where[p]:
                        self.say(p, ERROR, None, f"{std}为空", check)
            return [None] * len(self.live)
        return col

    def adoptions(self, check: int, where) -> list:
        """Each row's adoptions (采用情况 and the level columns), dated by 采用日期 where they have none."""
        j = self.judges
        per_row = [NONE] * len(self.live)
        parts = [self.judged("采用情况", "采用情况", j.adoption_text, check, where)]
        for i, (lv, std) in enumerate(LEVEL_COLUMNS, 1):
            parts.append(self.judged(std, ("level", lv, j.year), j.level(lv, std), check + i, where))
        for col in parts:
            if col is not None:
                per_row = [a + b if b else a for a, b in zip(per_row, col)]
        if self.has("采用日期"):
            with_ads = [bool(a) and w for a, w in zip(per_row, where)]
            d = self.dates("采用日期", False, check + len(LEVEL_COLUMNS) + 1, with_ads)
            per_row = [with_date(a, x) if a else a for a, x in zip(per_row, d)]
        return per_row

    def instructions(self, check: int, where) -> list:
        col = self.judged("领导批示", "领导批示", self.judges.instruction_text, check, where)
        if col is None:
            return [NONE] * len(self.live)
        if self.has("批示日期"):
            with_ins = [bool(x) and w for x, w in zip(col, where)]
            d = self.dates("批示日期", False, check + 1, with_ins)
            col = [with_date(x, y) if x else x for x, y in zip(col, d)]
        return col

    def ordered_problems(self) -> list:
        """The problems found, row by row, in the order the checks ran (warnings of a row, then errors)."""
        self.found.sort(key=lambda f: (f[0], f[1], f[2]))
        return [f[3] for f in self.found]

    def where(self, rows) -> list:
        return list(compress(range(len(self.live)), rows))


# ---- the kinds of register ---------------------------------------------------------------------------

def _account(sh: Sheet, part, notes: list, ok: list) -> None:
    """The sheet's rows in the part's row counts, its problems in its list."""
    g = sh.grid
    if sh.n:
        part.count(g.file, g.sheet, "read", sh.n)
    errors = sh.errors.tolist()
    skipped = sh.skipped + sum(1 for x, e in zip(notes, errors) if x and not e)
    for bucket, n in (("skipped", skipped), ("error", len(sh.bad) + sum(errors)), ("counted", sum(ok))):
        if n:
            part.count(g.file, g.sheet, bucket, n)
    for k, why in sh.bad:  # cells garbled: one error naming the line, not one per garbled cell
        part.problems.append(Problem(ERROR, why, g.file, g.sheet, g.excel_row(sh.start + k)))
    part.problems.extend(sh.ordered_problems())


def _ok(sh: Sheet, acting: list) -> list:
    return [a and not e for a, e in zip(acting, sh.errors.tolist())]


def read_items(sh: Sheet, part) -> None:
    """An items register (报送台账): one item a row."""
    j = sh.judges
    titles, notes = sh.titles("标题为空")
    acting = [not x for x in notes]
    submitted = sh.dates("报送日期", True, 2, acting)
    units = sh.units(3, acting)
    adoptions = sh.adoptions(4, acting)
    check = 6 + len(LEVEL_COLUMNS)
    instructions = sh.instructions(check, acting)
    m = len(sh.live)
    event = sh.judged("事件时间", ("event", j.year), j.event, check + 2, acting, dates=True) or [None] * m
    joint = sh.judged("联合报送单位", "joint", j.joint, check + 3, acting) or [NONE] * m
    ok = _ok(sh, acting)
    flags = [sh.judged(std, ("flag", std), j.flag(std), check + 4 + i, ok) or [False] * m
             for i, std in enumerate(("约稿", "失实"))]
    at = sh.where(ok)
    g = sh.grid
    first = len(part.items["unit"])
    unit = picked(units, at)
    columns = {
        "unit": unit, "title": picked(titles, at), "submitted": picked(submitted, at),
        "kind": picked(sh.texts("信息类型"), at), "author": picked(sh.texts("撰稿人"), at),
        "event_time": picked(event, at), "commission": picked(flags[0], at), "false_report": picked(flags[1], at),
        "note": picked(sh.texts("备注"), at),
        "joint": [tuple(x for x in names if x != u) if names else NONE for names, u in zip(picked(joint, at), unit)],
        "file": [g.file] * len(at), "sheet": [g.sheet] * len(at), "row": [sh.excel_row(p) for p in at],
    }
    for name, values in columns.items():
        part.items[name].extend(values)
    part.add_records(part.adoptions, "item", first, picked(adoptions, at))
    part.add_records(part.instructions, "item", first, picked(instructions, at))
    _account(sh, part, notes, ok)


def read_claims(sh: Sheet, part) -> None:
    """An office's 采用登记: rows naming an item (by unit and title, or title alone) and its adoptions or
    instructions, matched to the items once every file is read (counted then)."""
    titles, notes = sh.titles("标题为空")
    acting = [not x for x in notes]
    m = len(sh.live)
    # a register of titles only (no 单位 column, no unit in its names): the title alone finds the item
    units = sh.units(2, acting) if sh.has("单位") or sh.sheet_unit is not None else [None] * m
    adoptions = sh.adoptions(3, acting)
    instructions = sh.instructions(5 + len(LEVEL_COLUMNS), acting)
    for p in range(m):
        if acting[p] and not sh.errors[p] and not adoptions[p] and not instructions[p]:
            sh.say(p, ERROR, "采用情况", "采用登记行没有采用或批示信息", 8 + len(LEVEL_COLUMNS))
    ok = _ok(sh, acting)
    at = sh.where(ok)
    g = sh.grid
    first = len(part.claims["unit"])
    columns = {"unit": picked(units, at), "title": picked(titles, at), "file": [g.file] * len(at),
               "sheet": [g.sheet] * len(at), "row": [sh.excel_row(p) for p in at],
               "title_col": [sh._letter("标题")] * len(at)}
    for name, values in columns.items():
        part.claims[name].extend(values)
    part.add_records(part.claim_adoptions, "claim", first, picked(adoptions, at))
    part.add_records(part.claim_instructions, "claim", first, picked(instructions, at))
    _account(sh, part, notes, [False] * m)


def read_commissions(sh: Sheet, part) -> None:
    """A 约稿 register: topic, unit, 下达日期, 截止日期, 完成日期."""
    topics, notes = sh.titles("约稿主题为空")
    acting = [not x for x in notes]
    units = sh.units(2, acting)
    issued = sh.dates("下达日期", False, 3, acting)
    deadline = sh.dates("截止日期", True, 4, acting)
    done = sh.dates("完成日期", False, 5, acting)
    ok = _ok(sh, acting)
    at = sh.where(ok)
    g = sh.grid
    columns = {"unit": picked(units, at), "topic": picked(topics, at), "issued": picked(issued, at),
               "deadline": picked(deadline, at), "done": picked(done, at), "file": [g.file] * len(at),
               "sheet": [g.sheet] * len(at), "row": [sh.excel_row(p) for p in at]}
    for name, values in columns.items():
        part.commissions[name].extend(values)
    _account(sh, part, notes, ok)
