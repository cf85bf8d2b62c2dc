"""The notice's figures: the score result dict turned into template variables, and the filters the
templates format numbers, levels and dates with. Every number in a notice comes from here."""
from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable

LEVELS_HIGH_FIRST = ("国家级", "省级", "市级", "县级")
PLACEHOLDER = "【请填写】"  # what the clerk must write into a generated notice before it goes out


# ---------------------------------------------------------------- formatting helpers


def fmt_score(value) -> str:
    """Points with one decimal (spec §5: show one decimal)."""
    try:
        v = float(value or 0)
    except (TypeError, ValueError):
        return str(value)
    s = f"{v:.1f}"
    return "0.0" if s == "-0.0" else s


def fmt_percent(value) -> str:
    """0.3333 → 33.3%."""
    try:
        v = float(value or 0)
    except (TypeError, ValueError):
        return str(value)
    return f"{v * 100:.1f}%"


def fmt_int(value) -> str:
    try:
        f = float(value or 0)
    except (TypeError, ValueError):
        return str(value)
    return str(int(f)) if f == int(f) else f"{f:g}"


def md_cell(value) -> str:
    """Text safe inside a Markdown table cell."""
    return str(value if value is not None else "").replace("|", "｜").replace("\n", " ").strip()


def cn_join(items: Iterable, sep: str = "、") -> str:
    return sep.join(str(i) for i in items)


def levels_text(by_level: dict, *, sep: str = " ") -> str:
    """{"县级": 2, "市级": 1} → "市1 县2" (highest level first, zero levels left out)."""
    parts = [f"{short}{fmt_int(by_level.get(lv, 0))}" for lv, short in zip(LEVELS_HIGH_FIRST, "国省市县")
             if (by_level or {}).get(lv)]
    return sep.join(parts) if parts else "—"


def quota_text(unit: dict) -> str:
    """完成 / 未完成（差N篇） — the 完成情况 column of spec §5."""
    if unit.get("quota_met", True):
        return "完成"
    shortfall = unit.get("shortfall")
    if shortfall is None:
        shortfall = max(0, int(unit.get("quota") or 0) - int(unit.get("submitted") or 0))
    return f"未完成（差{fmt_int(shortfall)}篇）"


def parse_date(text) -> _dt.date | None:
    if isinstance(text, _dt.datetime):
        return text.date()
    if isinstance(text, _dt.date):
        return text
    try:
        return _dt.date.fromisoformat(str(text)[:10])
    except (TypeError, ValueError):
        return None


def cn_date(d: _dt.date) -> str:
    """成文日期 in Arabic numerals, as GB/T 9704-2012 asks: 2025年11月5日."""
    return f"{d.year}年{d.month}月{d.day}日"


def period_title(period: dict) -> str:
    if period.get("title"):
        return str(period["title"])
    label = str(period.get("label") or "")
    m = re.fullmatch(r"(\d{4})-(\d{1,2})", label)
    if m:
        return f"{m.group(1)}年{int(m.group(2))}月"
    m = re.fullmatch(r"(\d{4})-Q([1-4])", label, re.IGNORECASE)
    if m:
        return f"{m.group(1)}年第{'一二三四'[int(m.group(2)) - 1]}季度"
    m = re.fullmatch(r"(\d{4})-H([12])", label, re.IGNORECASE)
    if m:
        return f"{m.group(1)}年{'上下'[int(m.group(2)) - 1]}半年"
    if re.fullmatch(r"\d{4}", label):
        return f"{label}年"
    start, end = parse_date(period.get("start")), parse_date(period.get("end"))
    if start and end:
        return f"{cn_date(start)}至{cn_date(end)}"
    return label


# ---------------------------------------------------------------- template context


def notice_context(result: dict, *, sign_date: _dt.date | None = None) -> dict:
    """Template variables for the notice, all derived from the score result dict.

    Totals missing from ``result["totals"]`` (only submitted/adopted/points are contract keys)
    are summed from the units, so a minimal result still renders correctly.
    """
    period = dict(result.get("period") or {})
    period["title"] = period_title(period)
    units = [_unit_row(u) for u in (result.get("units") or [])]
    totals = _totals(result, units)
    by_level = totals["adopted_by_level"]
    groups = _groups(result, units)
    end = parse_date(period.get("end"))
    return {
        "office": result.get("office") or "",
        "period": period,
        "year": (end.year if end else ""),
        "period_end_text": cn_date(end) if end else "",
        "groups": groups,
        "units": units,
        "totals": totals,
        "levels": LEVELS_HIGH_FIRST,
        "by_level": by_level,
        "level_sum_exceeds_adopted": sum(by_level.values()) > int(totals["adopted"] or 0),
        "active_count": len([u for u in units if u.get("submitted")]),
        "late_total": sum(int(u.get("late") or 0) for u in units),
        "duplicates_total": sum(int(u.get("duplicates") or 0) for u in units),
        "top_groups": _top_groups(groups, units),
        "under_quota": [u for u in units if not u.get("quota_met", True) and u.get("submitted")],
        "zero_units": list(totals["zero_units"]),
        "sign_date": _sign_date_text(end, sign_date),
        "alerts": list(result.get("alerts") or []),
        "authors": list(result.get("authors") or []),
    }


# a unit's keys the templates may use, with the value of one the result leaves out
UNIT_DEFAULTS = (("rank", ""), ("group_rank", None), ("group", ""), ("submitted", 0), ("adopted", 0),
                 ("instructions", 0), ("points", 0.0), ("ytd_points", 0.0), ("quota", 0), ("email", ""),
                 ("contact", ""))


def _unit_row(unit: dict) -> dict:
    """A copy of a result unit with every key a template uses, and its levels and quota as text."""
    u = dict(unit)
    for key, default in UNIT_DEFAULTS:
        if u.get(key) is None:
            u[key] = default
    u.setdefault("adopted_by_level", {})
    u["levels_text"] = levels_text(u["adopted_by_level"])
    u["quota_text"] = quota_text(u)
    u["quota_cell"] = u["quota_text"].replace("（", "<br>（", 1)  # two lines in a narrow table column
    if u.get("shortfall") is None:
        u["shortfall"] = max(0, int(u.get("quota") or 0) - int(u.get("submitted") or 0))
    return u


def _totals(result: dict, units: list) -> dict:
    """The result's totals, each one it leaves out summed from the units."""
    totals = dict(result.get("totals") or {})
    for key, number in (("submitted", int), ("adopted", int), ("points", float), ("instructions", int)):
        totals.setdefault(key, sum(number(u.get(key) or 0) for u in units))
    totals.setdefault("units", len(units))
    if "adoption_rate" not in totals:
        totals["adoption_rate"] = (totals["adopted"] / totals["submitted"]) if totals["submitted"] else 0.0
    if "adopted_by_level" not in totals:
        totals["adopted_by_level"] = {
            lv: sum(int((u.get("adopted_by_level") or {}).get(lv) or 0) for u in units) for lv in LEVELS_HIGH_FIRST
        }
    totals["adopted_by_level"] = {lv: int(totals["adopted_by_level"].get(lv) or 0) for lv in LEVELS_HIGH_FIRST}
    if "zero_units" not in totals:
        totals["zero_units"] = [u["unit"] for u in units if not u.get("submitted")]
    return totals


def _groups(result: dict, units: list) -> list:
    """The result's groups, then any a unit names that it does not list."""
    groups = list(result.get("groups") or [])
    for u in units:
        if u.get("group") and u["group"] not in groups:
            groups.append(u["group"])
    return groups


def _top_groups(groups: list, units: list) -> list:
    """The units named as leading their group: group rank 1-3 (ties included) with points."""
    top_groups = []
    for g in groups:
        members = [u for u in units if u.get("group") == g]
        top = [u for u in members if (u.get("group_rank") or 99) <= 3 and float(u.get("points") or 0) > 0]
        top.sort(key=lambda u: (u.get("group_rank") or 99))
        if top:
            top_groups.append({"group": g, "units": top, "size": len(members)})
    return top_groups


def _sign_date_text(end: _dt.date | None, sign_date: _dt.date | None) -> str:
    """成文日期: the date given, else the month after the period with the day left for the clerk."""
    if sign_date is None and end is not None:
        nxt = end + _dt.timedelta(days=1)
        return f"{nxt.year}年{nxt.month}月{PLACEHOLDER}日"
    if sign_date is not None:
        return cn_date(sign_date)
    return f"{PLACEHOLDER}年{PLACEHOLDER}月{PLACEHOLDER}日"
