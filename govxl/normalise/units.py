"""Which unit a row belongs to: the roster's names and aliases, in cells, sheet names and file names.

normalise: a 单位 cell must name a roster unit exactly (or by an alias); a sheet without a 单位 column
belongs to the unit its "填报单位：…" line, sheet name, file name or folder name contains.
"""
from __future__ import annotations

import re
from typing import Optional

from .config import Config
from .headers import _MISS
from .text import norm

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
