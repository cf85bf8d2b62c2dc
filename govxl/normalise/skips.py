"""Which data rows are not data: blank, a subtotal line, the header repeated down the sheet.

normalise: spec §3 — such rows are counted as skipped, never as errors. Judged over a sheet's columns:
each cell gets a code (1 filled, 2 a header label, 4 a subtotal word), each distinct text once, and a
row's verdict is a sum of its cells' codes in numpy. A title is neither a header label nor a subtotal
word when it holds more CJK ideographs (before its first bracket) than any of them: long titles, all
different, are settled over the column's code points at once instead of being looked up one by one.
"""
from __future__ import annotations

import datetime as dt
import re

from .. import defaults as D
from .headers import CJK_FIRST, CJK_LAST, _at_least_cjk, digitish_key
from .text import OPEN_BRACKETS, cell_str, first_bracket, norm, per_text_sums

_WHOLE_MIN = 32  # a column judged whole has at least this many cells
_WHOLE_CHUNK = 4096  # texts judged together (all of a huge sheet's titles as code points at once would not fit memory well)
_NUMBER_TYPES = {float, int}
_DATE_TYPES = {dt.datetime, dt.date, dt.time}  # str() of each is DIGITISH
_STR_TYPE = {str}
_BRACKET_POINTS = [ord(c) for c in OPEN_BRACKETS]  # what text.first_bracket finds
# a text with more CJK ideographs than the longest subtotal word is no subtotal word (norm keeps them all)
_NOT_SUBTOTAL = _at_least_cjk(max(map(len, D.SUBTOTAL_WORDS)) + 1)


def is_subtotal(t: str) -> bool:
    """合计 / 小计 / 总计 … (a cell's stripped text)."""
    if _NOT_SUBTOTAL.match(t):
        return False
    n = norm(t)
    return n in D.SUBTOTAL_WORDS or n.rstrip(":：") in D.SUBTOTAL_WORDS


def _ideographs(a):
    return (a >= CJK_FIRST) & (a <= CJK_LAST)


def _brackets(a):
    br = a == _BRACKET_POINTS[0]
    for p in _BRACKET_POINTS[1:]:
        br |= a == p
    return br


class SkipCheck:
    """Per reader (one header lookup): the codes of cells, remembered per distinct text."""

    def __init__(self, lookup):
        self.lookup = lookup
        limit = max(max(map(len, lookup.map), default=0), 12, max(map(len, D.SUBTOTAL_WORDS)))
        self._long = _at_least_cjk(limit + 1).match
        self._long_n = limit + 1
        number = re.compile(r"[-+]?[\d.]+(?:e[-+]?\d+)?|[-+]?inf").fullmatch
        # cells of these types are filled and neither header label nor subtotal word: numbers unless a
        # label reads as a number, dates and times unless a label is DIGITISH (what they read as)
        plain = set()
        if not any(number(k) for k in (*lookup.map, *D.SUBTOTAL_WORDS)):
            plain |= _NUMBER_TYPES
        if lookup.digitish_misses and not any(map(digitish_key, D.SUBTOTAL_WORDS)):
            plain |= _DATE_TYPES
        self._plain_types = frozenset(plain)
        self._memo: dict = {}

    def code(self, v) -> int:
        if type(v) in self._plain_types and v == v:
            return 1
        t = cell_str(v)
        if not t:
            return 0
        b = first_bracket(t)
        if self._long(t, 0, len(t) if b is None else b.start()):
            return 1
        return 1 | (2 if self.lookup(t) is not None else 0) | (4 if is_subtotal(t) else 0)

    def _mapped(self, col) -> list:
        memo = self._memo
        if len(memo) > 200_000:
            memo.clear()
        keys = col if set(map(type, col)) <= _STR_TYPE else [v if type(v) is str else (type(v), v) for v in col]
        for k in set(keys).difference(memo):
            memo[k] = self.code(k if type(k) is str else k[1])
        return list(map(memo.__getitem__, keys))

    def codes(self, col):
        """The code of every cell of a column."""
        import numpy as np

        n = len(col)
        if n < _WHOLE_MIN:
            return self._mapped(col)
        kinds = set(map(type, col))
        plain = self._plain_types
        if kinds <= plain and not any(v != v for v in col if type(v) is float):
            return np.ones(n, dtype=np.uint8)
        if kinds & plain:  # numbers or dates with some texts among them: only the others are judged
            out = np.ones(n, dtype=np.uint8)
            left = [i for i, v in enumerate(col) if type(v) not in plain or v != v]
            out[left] = self._mapped([col[i] for i in left])
            return out
        if kinds == _STR_TYPE and len(set(col[:_WHOLE_MIN])) == _WHOLE_MIN:  # titles: settled whole
            parts = [self._long_plain(col[i:i + _WHOLE_CHUNK]) for i in range(0, n, _WHOLE_CHUNK)]
            if all(p is not None for p in parts):
                ok = np.concatenate(parts)
                out = ok.astype(np.uint8)
                left = np.flatnonzero(~ok).tolist()
                if left:
                    out[left] = self._mapped([col[i] for i in left])
                return out
        return self._mapped(col)

    def _long_plain(self, col):
        sums = per_text_sums(col, _ideographs, _brackets)
        if sums is None:
            return None
        ideographs, brackets = sums
        return (ideographs >= self._long_n) & (brackets == 0)

    def rows(self, cols: list, n: int):
        """(kept, filled): per row, whether it is data (not blank, subtotal or a repeated header), and how
        many of its cells are filled — numpy arrays."""
        import numpy as np

        if not cols:
            return np.zeros(n, dtype=bool), np.zeros(n, dtype=np.int64)
        codes = np.empty((len(cols), n), dtype=np.uint8)
        for j, c in enumerate(cols):
            codes[j] = self.codes(c)
        filled = (codes & 1).sum(axis=0)
        hits = ((codes >> 1) & 1).sum(axis=0)
        sub = (codes & 4).any(axis=0)
        header = (hits >= 2) & (hits * 2 >= filled)
        return (filled > 0) & ~sub & ~header, filled
