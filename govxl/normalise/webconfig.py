"""govxl web's part of govxl.xlsx: 每月发布任务 and 新媒体账号 in 单位名册, and the sheets 栏目更新要求 and
栏目归类 (spec §3 as issue 22 extends it).

All of it is optional: a config workbook written before govxl web has none of it, and then the
defaults of defaults.py apply (no posting task, no declared account, the State Council's limits and
the built-in column keywords). Problems are located like every other config problem.
"""
from __future__ import annotations

from .. import defaults as D
from ..errors import ERROR, WARNING
from .text import cell_text, norm, split_aliases


def default_categories() -> list:
    """(栏目类别, keyword) of the built-in 栏目归类, in table order."""
    return [(cat, kw) for cat, words in D.DEFAULT_COLUMN_CATEGORIES for kw in split_aliases(words)]


def platform_of(text: str):
    """The platform a text names (微信 → 微信公众号, 县政府门户网站 → 网站), or None."""
    key = norm(text)
    if not key:
        return None
    hit = _PLATFORM_INDEX.get(key)
    if hit:
        return hit
    for name, platform in _PLATFORM_BY_LENGTH:
        if name in key:
            return platform
    return None


_PLATFORM_INDEX = {norm(n): p for p, names in D.PLATFORM_SYNONYMS.items() for n in (p, *names)}
_PLATFORM_BY_LENGTH = sorted(_PLATFORM_INDEX.items(), key=lambda kv: -len(kv[0]))


def read_roster_row(unit, t, row: int, rec: dict) -> None:
    """每月发布任务 and 新媒体账号 of one roster row, onto the unit."""
    if "每月发布任务" in t.cols:
        unit.posting_task = t.number(row, rec, "每月发布任务", negative=False)[1]
    text = cell_text(rec.get("新媒体账号")).strip() if "新媒体账号" in t.cols else ""
    accounts = []
    for seg in split_accounts(text):
        platform, _, name = seg.replace(":", "：").partition("：")
        p = platform_of(platform)
        if p is None or not name.strip():
            t.problem(ERROR, row, "新媒体账号", f"新媒体账号“{seg}”应写作“平台：账号名称”，平台为 "
                                               f"{'、'.join(D.PLATFORMS)} 之一，多个账号用分号隔开")
            continue
        accounts.append((p, name.strip()))
    unit.accounts = tuple(dict.fromkeys(accounts))


def split_accounts(text: str) -> list:
    import re

    return [s.strip() for s in re.split(r"[；;\n、]+", text) if s.strip()]


def read_limits(cfg, t) -> None:
    """栏目更新要求: 栏目类别, 最长间隔天数 (days, > 0). The sheet replaces the defaults row by row: a
    category it leaves out keeps its default."""
    from .config import _require_header

    if not _require_header(t, D.UPDATE_LIMIT_COLUMNS, D.SHEET_UPDATE_LIMITS):
        return
    for row, rec in t.rows():
        cat = cell_text(rec.get("栏目类别")).strip()
        if not cat:
            t.problem(ERROR, row, "栏目类别", "栏目类别为空")
            continue
        ok, days = t.number(row, rec, "最长间隔天数", negative=False, required=True)
        if not ok:
            continue
        if days < 1:
            t.problem(ERROR, row, "最长间隔天数", f"“{cat}”的最长间隔天数应至少为 1 天")
            continue
        cfg.update_limits[cat] = days


def read_categories(cfg, t) -> None:
    """栏目归类: 栏目类别, 栏目名称或关键词 (several, separated by 、). The sheet, when present, replaces the
    built-in keywords; a category it names must be one of 栏目更新要求."""
    from .config import _require_header

    if not _require_header(t, D.COLUMN_CATEGORY_COLUMNS, D.SHEET_COLUMN_CATEGORIES):
        return
    rows = []
    for row, rec in t.rows():
        cat = cell_text(rec.get("栏目类别")).strip()
        words = split_aliases(cell_text(rec.get("栏目名称或关键词")))
        if not cat or not words:
            t.problem(ERROR, row, "栏目类别" if not cat else "栏目名称或关键词",
                      "栏目类别为空" if not cat else f"“{cat}”没有填写栏目名称或关键词")
            continue
        if cat not in cfg.update_limits:
            t.problem(WARNING, row, "栏目类别", f"栏目类别“{cat}”不在“栏目更新要求”中，这类栏目不检查更新间隔")
        rows.extend((cat, w) for w in words)
    cfg.column_categories = rows


def category_rules(cfg) -> list:
    """(normalised keyword, 栏目类别), the longest keyword first (ties: table order)."""
    seen = {}
    for cat, kw in cfg.column_categories:
        seen.setdefault(norm(kw), cat)
    return sorted(seen.items(), key=lambda kv: -len(kv[0]))


def category_of(column: str, platform: str, rules: list) -> str:
    """A column's 栏目类别: every new-media account is 新媒体账号; a website column by its name or a keyword
    in it; "" when none fits (then its updates are not checked)."""
    if platform != D.WEBSITE:
        return D.NEW_MEDIA_CATEGORY
    key = norm(column)
    if not key:
        return ""
    for kw, cat in rules:
        if kw == key:
            return cat
    for kw, cat in rules:
        if kw and kw in key:
            return cat
    return ""

