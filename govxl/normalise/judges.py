"""Cell judges: what one cell of a register column means, with what is wrong with it.

normalise: each judge is a function of the config, the year a yearless date takes, and one cell's value
(merged cells already filled in), and returns (value, warnings, errors) — the messages without their
location, which the sheet adds (`sheet`). A column is judged once per distinct value and the answers
mapped back (`Judges.over`): dates, units, marks and adoption texts repeat down a register.
"""
from __future__ import annotations

import datetime as dt
from typing import Optional

from .. import defaults as D
from .dates import implausible_date, in_range, parse_date
from .rules import Adoption, RuleBook, mark_value, parse_adoption_text, parse_instruction_text
from .text import cell_str, cell_text, split_segments

NONE = ()  # no messages
LEVEL_COLUMNS = tuple(D.LEVEL_ADOPTION_COLUMN.items())  # (level, its own column), in the order read
_MEMO_MAX = 200_000  # distinct values remembered per judge (beyond: forgotten and started again)
_STR_TYPE = {str}


def _as_read(d: dt.datetime) -> dt.datetime:
    """parse_date(d).value of a datetime cell of the plausible years."""
    return d if d.microsecond == 0 and d.tzinfo is None else d.replace(microsecond=0, tzinfo=None)


class Judges:
    """The judges of one config and year, with their memos (shared by the files read with them)."""

    def __init__(self, book: RuleBook, units, year: Optional[int], memos: Optional[dict] = None):
        self.book, self.units, self.year = book, units, year
        self.memos = memos if memos is not None else {}

    # -- mapping a judge over a column --
    def over(self, name, col: list, fn) -> list:
        """[fn(v) for v in col], each distinct value once. 1 == 1.0 == True but their texts differ ("1",
        "1", "是"): values other than text are told apart by their type."""
        memo = self.memos.get(name)
        if memo is None or len(memo) > _MEMO_MAX:
            memo = self.memos[name] = {}
        keys = col if set(map(type, col)) <= _STR_TYPE else [v if type(v) is str else (type(v), v) for v in col]
        for k in set(keys).difference(memo):
            memo[k] = fn(k if type(k) is str else k[1])
        return list(map(memo.__getitem__, keys))

    def over_dates(self, name, col: list, fn) -> list:
        """over() for a date column: a datetime cell of the plausible years is itself (with times, every
        one differs, and parse_date has nothing to say about it)."""
        if dt.datetime not in set(map(type, col)):
            return self.over(name, col, fn)
        out = [(_as_read(v), NONE, NONE) if type(v) is dt.datetime and in_range(v) else None for v in col]
        left = [i for i, v in enumerate(out) if v is None]
        for i, judged in zip(left, self.over(name, [col[i] for i in left], fn)):
            out[i] = judged
        return out

    # -- the judges: each returns (value, warnings, errors) --
    def parsed(self, raw):
        return parse_date(raw, self.year)

    def date(self, std: str, required: bool):
        """报送日期, 采用日期, 截止日期 …: the date, a warning (a date without a year), or why not."""
        def judge(raw):
            pd = self.parsed(raw)
            if pd.error:
                return None, NONE, (f"{std}{pd.error}",)
            warns = (pd.warning,) if pd.warning else NONE
            if pd.value is None and required:
                return None, warns, (f"{std}为空",)
            return pd.value, warns, NONE
        return judge

    def unit(self, sheet_unit):
        """单位: a roster name or alias; blank, the sheet's unit (from its name, its file's, a 填报单位 line)."""
        def judge(raw):
            text = cell_str(raw)
            if not text:
                return (sheet_unit.name, NONE, NONE) if sheet_unit is not None else (None, NONE, ("单位为空",))
            u = self.units.exact(text)
            if u is None:
                return None, NONE, (self.units.unknown_message(text),)
            return u.name, NONE, NONE
        return judge

    def adoption_text(self, raw):
        """采用情况: "市采用；省办专报" → adoptions."""
        text = cell_str(raw)
        if not text:
            return NONE, NONE, NONE
        ads, warns, errs = parse_adoption_text(text, self.book)
        return tuple(ads), tuple(warns), tuple(errs)

    def level(self, lv: str, std: str):
        """A level's own column (市级采用 …): a mark, a date (the adoption's), or a publication's name."""
        book = self.book

        def adopted(raw, date):
            rule = book.level_default.get(lv)
            if rule is None:
                return NONE, NONE, (f"采用计分中没有{lv}的分值",)
            return (Adoption(lv, rule.name, rule.points, cell_text(raw), date, rule.multiplier),), NONE, NONE

        def judge(raw):
            if isinstance(raw, (dt.date, dt.datetime, str)):
                judged = self.parsed(raw)
                if implausible_date(judged):  # a date here is the adoption's date: the same rule as elsewhere
                    return NONE, NONE, (f"{std}{judged.error}",)
                if isinstance(raw, (dt.date, dt.datetime)):
                    return adopted(raw, judged.value)
            m = mark_value(raw)
            if m is not None:
                return adopted(raw, None) if m else (NONE, NONE, NONE)
            pd = self.parsed(raw)
            if pd.value is not None and not pd.error:
                return adopted(raw, pd.value)
            ads, warns, errs = parse_adoption_text(cell_text(raw), book, lv)
            return tuple(ads), tuple(warns), tuple(errs)
        return judge

    def instruction_text(self, raw):
        """领导批示: "市长批示；副县长批示" → instructions."""
        text = cell_str(raw)
        if not text:
            return NONE, NONE, NONE
        ins, errs = parse_instruction_text(text)
        return tuple(ins), NONE, tuple(errs)

    def event(self, raw):
        """事件时间: when it happened (for 迟报); one that cannot be read is not judged late."""
        text = cell_str(raw)
        if not text:
            return None, NONE, NONE
        pd = parse_date(raw, self.year)
        if pd.value is None:
            return None, (f"事件时间“{text}”无法识别，不判断是否迟报",), NONE
        return pd.value, NONE, NONE

    def joint(self, raw):
        """联合报送单位: the other units, each a roster name (the row's own unit is taken out later)."""
        names, errs = [], []
        for seg in split_segments(cell_str(raw)):
            u = self.units.exact(seg)
            if u is None:
                errs.append(self.units.unknown_message(seg))
            elif u.name not in names:
                names.append(u.name)
        return tuple(names), NONE, tuple(errs)

    def flag(self, std: str):
        """约稿, 失实: √ / 是 / 1 or blank / 否 / 0; anything else is read as yes, with a warning."""
        def judge(raw):
            m = mark_value(raw)
            if m is not None:
                return m, NONE, NONE
            t = cell_text(raw).strip()
            if t[:1] in ("是", "√", "✓"):
                return True, NONE, NONE
            return True, (f"“{std}”列的“{t}”不是 是/否，按“是”处理",), NONE
        return judge


def with_date(records: tuple, date) -> tuple:
    """Adoptions or instructions without a date of their own, dated (the row's 采用日期 / 批示日期)."""
    return tuple(r if r.date is not None else r._replace(date=date) for r in records)
