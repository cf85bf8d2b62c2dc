"""Finding the header row of a register and mapping its columns to standard names.

Registers put title rows, blank rows and merged cells above or in the header; the header row is
the row (or pair of rows) within the first 30 whose cells name the most known columns. A merged
parent over child cells (采用情况 over 县级 / 市级 …) reads as parent + child.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from .. import defaults
from .text import cell_text, first_bracket, norm_header, strip_brackets

MAX_HEADER_ROWS = 30
_MISS = object()
_MEMO_MAX_LABEL = 32  # labels up to this length are remembered (kinds, marks, dates, units repeat on every row)
_MEMO_MAX_ENTRIES = 50_000


CJK_FIRST, CJK_LAST = 0x4E00, 0x9FFF  # the CJK unified ideographs counted by _at_least_cjk


# What number and date cells read as ("12", "2.5", "2024-03-05 10:23:00", "2024/3/5"): ASCII digits, white
# space and date/time punctuation only. A label of these normalises (norm_header) to the same characters
# without the white space, and _structural needs 采用/批示 — so unless a key is made of them, none matches.
_DIGITISH_CHARS = r"0-9\-+:./"
DIGITISH = re.compile(rf"[{_DIGITISH_CHARS}\s]+").fullmatch
_DIGITISH_KEY = re.compile(rf"[{_DIGITISH_CHARS}]*").fullmatch  # after norm_header: no white space


def digitish_key(key: str) -> bool:
    """A normalised key (header or subtotal word) that a DIGITISH text could normalise to."""
    return _DIGITISH_KEY(key) is not None


def _at_least_cjk(n: int):
    """A pattern matching texts that hold at least n CJK unified ideographs (checked in C, not per character)."""
    block = f"{chr(CJK_FIRST)}-{chr(CJK_LAST)}"
    return re.compile("(?:[^%s]*[%s]){%d}" % (block, block, n))


@dataclass
class HeaderMatch:
    row: int  # 0-based index (in grid.rows) of the last header row; data starts below it
    first_row: int  # 0-based index of the first header row (== row for one-row headers)
    columns: dict  # standard name → 0-based column index
    labels: dict = field(default_factory=dict)  # column index → label as written ("采用情况›市级")
    unmapped: list = field(default_factory=list)  # column indexes with a label we do not know

    @property
    def n_rows(self) -> int:
        return self.row - self.first_row + 1


class Lookup:
    """Normalised header text → standard column, built from a synonyms table (+ the clerk's extras)."""

    def __init__(self, synonyms: dict, extra: Optional[dict] = None):
        self.map: dict[str, str] = {}
        # register headers also understand "市级采用情况", "省级以上采用" and the like by their parts
        self.structural = synonyms is defaults.HEADER_SYNONYMS
        for std, names in synonyms.items():
            for name in (std, *names):
                self.map.setdefault(norm_header(name), std)
        for std, names in (extra or {}).items():
            for name in names:
                # the clerk's own mapping wins over a built-in synonym
                self.map[norm_header(name)] = std
        # Speed (every data row is checked for a repeated header): short labels are remembered, and a
        # label with more CJK ideographs than any key can hold is no header. Exact: NFKC, whitespace
        # removal and lower() keep every CJK unified ideograph, so the normalised key is at least that
        # long; the map needs len ≤ longest key, _structural len ≤ 12.
        longest = max((len(k) for k in self.map), default=0)
        self._memo: dict = {}
        self._too_many_for_key = _at_least_cjk(max(longest, 12) + 1)
        self._too_many_for_map = _at_least_cjk(longest + 1)
        # numbers and dates are no header (not remembered: dates with times are all different)
        self.digitish_misses = not any(map(digitish_key, self.map))

    def __call__(self, label: str) -> Optional[str]:
        if not label:
            return None
        hit = self._memo.get(label, _MISS)
        if hit is not _MISS:
            return hit
        if self.digitish_misses and DIGITISH(label):
            return None
        if self._too_many_for_key.match(label):
            b = first_bracket(label)
            # brackets are stripped below, but never what comes before the first one
            if b is None or self._too_many_for_map.match(label, 0, b.start()) or \
                    self._too_many_for_map.match(strip_brackets(label)):
                return None
        hit = self._lookup(label)
        if len(label) <= _MEMO_MAX_LABEL and len(self._memo) < _MEMO_MAX_ENTRIES:
            self._memo[label] = hit
        return hit

    def _lookup(self, label: str) -> Optional[str]:
        key = norm_header(label)
        hit = self.map.get(key)
        if hit is None:
            stripped = norm_header(strip_brackets(label))
            if stripped and stripped != key:
                hit = self.map.get(stripped)
        if hit is None and self.structural:
            hit = _structural(key)
        return hit


def _structural(key: str) -> Optional[str]:
    """Headers not in the table but plain from their words: 市级采用情况 → 市级采用, 领导批示内容 → 领导批示."""
    if len(key) > 12:
        return None
    if ("采用" in key or "录用" in key) and not any(w in key for w in ("日期", "时间", "篇数", "率", "分")):
        lv = level_of(key.replace("采用", "").replace("录用", ""))
        if lv:
            return defaults.LEVEL_ADOPTION_COLUMN[lv]
    if "批示" in key and not any(w in key for w in ("篇数", "分", "次数")):
        return "批示日期" if ("日期" in key or "时间" in key) else "领导批示"
    return None


def level_of(text: str) -> Optional[str]:
    """The level a short text names by keyword (国办 → 国家级, 市 → 市级 …), or None."""
    for kw, level in defaults.LEVEL_KEYWORDS:
        if kw in text:
            return level
    return None


def _filled_rows(grid, upto: int) -> list[list[str]]:
    """Header-zone rows as text, with every merged cell carrying its top-left value."""
    rows = [[cell_text(v).strip() for v in r] for r in grid.rows[:upto]]
    width = max((len(r) for r in rows), default=0)
    for r in rows:
        r.extend([""] * (width - len(r)))
    for (r0, c0), (r1, c1) in grid.merged or ():
        if r0 >= upto:
            continue
        if r0 >= len(rows) or c0 >= width:
            continue
        value = rows[r0][c0]
        for r in range(r0, min(r1, upto - 1) + 1):
            for c in range(c0, min(c1, width - 1) + 1):
                rows[r][c] = value
    return rows


def _resolve_pair(parent: str, child: str, lookup: Lookup) -> Optional[str]:
    """Standard name of a column headed by parent over child."""
    if not child or child == parent:
        return lookup(parent)
    p = lookup(parent)
    if p == "采用情况":
        lv = level_of(child)
        if lv:
            return defaults.LEVEL_ADOPTION_COLUMN[lv]
        hit = lookup(child)
        return hit if hit in ("采用日期",) else (hit or "采用情况")
    if p == "领导批示":
        hit = lookup(child)
        return hit if hit == "批示日期" else "领导批示"
    return lookup(child) or lookup(parent + child) or p


def _map_row(labels: list[str], lookup: Lookup) -> dict:
    cols: dict[str, int] = {}
    for c, lab in enumerate(labels):
        std = lookup(lab)
        if std and std not in cols:
            cols[std] = c
    return cols


def _map_pair(top: list[str], bottom: list[str], lookup: Lookup) -> dict:
    cols: dict[str, int] = {}
    for c, (p, ch) in enumerate(zip(top, bottom)):
        if not p and not ch:
            continue
        std = _resolve_pair(p, ch, lookup) if p else lookup(ch)
        if std and std not in cols:
            cols[std] = c
    return cols


def _pair_labels(top: list[str], bottom: list[str]) -> dict:
    """The labels of a two-row header's columns ("采用情况›市级"), made only for the header chosen."""
    return {c: (f"{p}›{ch}" if p and ch and ch != p else (p or ch))
            for c, (p, ch) in enumerate(zip(top, bottom)) if p or ch}


def _forward_fill_parents(top: list[str], bottom: list[str]) -> list[str]:
    """Without merge metadata (CSV, some xls): a blank parent over a child belongs to the parent on its left."""
    out = list(top)
    for c in range(1, len(out)):
        if not out[c] and bottom[c] and out[c - 1] and bottom[c - 1]:
            out[c] = out[c - 1]
    return out


def _remembering(lookup: Lookup):
    """lookup, remembering every label for one header search: each cell of the zone is looked up as a row,
    as a parent and as a child, and Lookup itself keeps only short labels (titles are all different)."""
    memo: dict = {}
    get = memo.get

    def look(label: str) -> Optional[str]:
        hit = get(label, _MISS)
        if hit is _MISS:
            hit = memo[label] = lookup(label)
        return hit

    return look


def find_header(grid, synonyms: dict, *, extra: Optional[dict] = None, max_rows: int = MAX_HEADER_ROWS,
                min_matches: int = 2, lookup: Optional[Lookup] = None) -> Optional[HeaderMatch]:
    """Best header (one or two rows) within the first max_rows rows, or None."""
    lookup = _remembering(lookup or Lookup(synonyms, extra))
    rows = _filled_rows(grid, min(max_rows + 1, len(grid.rows)))
    best: Optional[HeaderMatch] = None
    best_score = 0
    singles = [_map_row(row, lookup) for row in rows]  # each row alone, looked at twice below
    for r in range(min(max_rows, len(rows))):
        single = singles[r]
        score = len(single)
        if score >= min_matches and score > best_score:
            labels = {c: v for c, v in enumerate(rows[r]) if v}
            best = HeaderMatch(r, r, single, labels)
            best_score = score
        if r + 1 < len(rows) and any(rows[r + 1]):
            top = _forward_fill_parents(rows[r], rows[r + 1]) if not grid.merged else rows[r]
            pair = _map_pair(top, rows[r + 1], lookup)
            # a two-row header must name more than either row alone
            if len(pair) >= min_matches and len(pair) > max(score, len(singles[r + 1])) \
                    and len(pair) > best_score:
                best = HeaderMatch(r + 1, r, pair, _pair_labels(top, rows[r + 1]))
                best_score = len(pair)
    if best is not None:
        best.unmapped = sorted(c for c, lab in best.labels.items()
                               if lab and c not in set(best.columns.values()))
    return best


def header_signature(grid_row: list, match: HeaderMatch, lookup: Lookup, texts: Optional[list] = None) -> bool:
    """True when a data row repeats the header (a header copied down the sheet, or a page header).

    texts: the row's cells as stripped text, when the caller already has them."""
    if texts is None:
        texts = [cell_text(v).strip() for v in grid_row]
    filled = [t for t in texts if t]
    hits = sum(1 for t in filled if lookup(t) is not None)
    return hits >= 2 and hits * 2 >= len(filled)
