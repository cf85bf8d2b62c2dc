"""The rules a cell is read by: publication names → adoption rules, adoption and 批示 texts, marks.

normalise: what a register's 采用情况, level columns, 领导批示 and √/是 marks mean under the config's
采用计分 (spec §3). Each parser is a function of the config and one cell's text, so a column is judged
once per distinct value (`judges`). Adoptions and instructions are small named tuples: they become rows of
the `adoptions` and `instructions` tables.
"""
from __future__ import annotations

import datetime as dt
from typing import NamedTuple, Optional

from .. import defaults as D
from .config import AdoptionRule
from .headers import level_of
from .text import cell_text, norm, norm_title, number_text, split_segments


class Adoption(NamedTuple):
    level: str
    rule: str  # the 采用计分 row that gave the points (刊物 as written there)
    points: float
    text: str  # as the register wrote it
    date: Optional[dt.datetime] = None
    multiplier: float = 1.0


class Instruction(NamedTuple):
    level: str
    text: str
    date: Optional[dt.datetime] = None


# ---- rules lookup ------------------------------------------------------------

class RuleBook:
    """Publication name → adoption rule, and level → default rule (from 采用计分).

    A register's cell is matched against the rows without 信息类型 only: the rows with one (`typed`) refine
    their publication's row by the item's type, which scoring knows (`typed_rows`), not the cell."""

    def __init__(self, rules: list):
        self.exact: dict[str, AdoptionRule] = {}
        self.named: list[tuple[str, AdoptionRule]] = []
        self.level_default: dict[str, AdoptionRule] = {}
        self.typed = [r for r in rules if r.types]
        rules = [r for r in rules if not r.types]
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
            warning = f"刊物“{segment}”不在采用计分中，按{lv}默认分值（{number_text(rule.points)}分）计"
        return rule, warning, None


    def typed_rows(self) -> tuple:
        """The rows by 信息类型 as scoring reads them: (publication key, type word, points, multiplier, row,
        type as written) per word, in sheet order. The key is norm_title of 刊物, as of an adoption's rule."""
        return tuple((norm_title(r.name), norm(w), r.points, r.multiplier, r.row, w)
                     for r in self.typed for w in r.types)




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
        out.append(Adoption(rule.level, rule.name, rule.points, seg, None, rule.multiplier))
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
