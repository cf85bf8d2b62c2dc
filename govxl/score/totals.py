"""Lines → each item's score and each unit's totals for a period: group-bys over `lines`.

scores  one row per unit and item the period counts: unit, seq, points (r4 of its lines), the parts
        of 得分明细 (报送, 采用, 批示, 其他), in_period (submitted in the period), adopted, top_level,
        instructions, late, false_report, marked (约稿 mark), share
totals  one row per roster unit: submitted, duplicates, adopted, each level, instructions, points,
        commissions, commissions_on_time, late, false_reports
A unit's own lines — 每月基础分, 缺报每篇, 季度采用率不达标, the 约稿 register — are worked out per period
from its scores and kept as (unit, rule, points, note) rows for 单位加减分.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from ..defaults import LEVEL_RANK, LEVELS
from .lines import COMMISSION_MARK, EPS, FALSE, LATE, SUBMISSION, Scheme, between, bounds, make_lines, r4, r4_values, view
from .periods import Period, month_end

PARTS = ("报送", "采用", "批示", "其他")
COUNTS = ("submitted", "duplicates", "adopted", *LEVELS, "instructions", "points", "commissions",
          "commissions_on_time", "late", "false_reports")


@dataclass
class PeriodTotals:
    totals: object  # DataFrame indexed by unit, roster order, columns COUNTS
    scores: object  # DataFrame (see the module's docstring)
    lines: object  # the lines of the period
    commissions: list  # (commission, points, status) of the 约稿 register (commission_lines)
    adjustments: list  # (unit, rule, points, note)
    duplicates: object  # the items table's rows of the period's duplicates (首报 counts, these earn nothing)


class Book:
    """The lines of a span of months, shared by the periods scored within it (the period, its year to
    date, the trend's months): a period of whole months takes its lines from the span, as an item's
    lines depend only on its month (the cap runs per calendar month in submission order, the multipliers
    over a month's adoptions). A period that starts or ends within a month is lined up on its own."""

    def __init__(self, tables, commissions, cfg, span: Period):
        self.tables, self.commissions, self.cfg = tables, commissions, cfg  # commissions: the read's table
        self.scheme = Scheme.of(cfg, commission_marks=not len(commissions))
        self.span = span
        self.lines = make_lines(tables, self.scheme, span)

    def lines_of(self, period: Period, known_by=None):
        span = self.span
        whole = period.start.day == 1 and period.end == month_end(period.end.year, period.end.month)
        if whole and span.start <= period.start and period.end <= span.end:
            return view(self.lines, period, known_by)
        return view(make_lines(self.tables, self.scheme, period), period, known_by)

    def totals(self, period: Period, known_by=None) -> PeriodTotals:
        """The period's scores and unit totals (known_by: only items submitted by then — a trend month
        under 采用日期 shows what was known at its end)."""
        lines = self.lines_of(period, known_by)
        scores = scores_of(lines)
        clines = commission_lines(self.commissions, self.scheme, period)
        adjustments = unit_adjustments(scores, self.tables, self.cfg, period)
        items = self.tables.items
        dups = items[(items["status"] == "duplicate").to_numpy() & between(items["submitted"], *bounds(period))]
        totals = unit_totals(scores, lines, self.cfg, dups, clines, adjustments)
        return PeriodTotals(totals, scores, lines, clines, adjustments, dups)


def _key(frame):
    """One integer per (unit, seq): the group key of an item's lines for one unit."""
    import pandas as pd

    codes, _ = pd.factorize(frame["unit"])
    seq = frame["seq"].astype("int64").to_numpy()
    return codes.astype("int64") * (int(seq.max(initial=0)) + 1) + seq


def scores_of(lines):
    """One row per unit and item among the lines (see the module's docstring)."""
    import numpy as np
    import pandas as pd

    item = lines[lines["seq"].notna().to_numpy()]
    rule, part = item["rule"], item["part"]
    adopted = _adoptions(item)
    flags = pd.DataFrame({
        "key": _key(item), "unit": item["unit"].to_numpy(), "seq": item["seq"].astype("int64").to_numpy(),
        "submitted": item["submitted"].to_numpy(), "points": item["points"].to_numpy(),
        "in_period": (rule == SUBMISSION).to_numpy(), "adopted": adopted,
        "instructions": ((part == "批示") & item["level"].notna()).to_numpy(),
        "late": (rule == LATE).to_numpy(), "false_report": (rule == FALSE).to_numpy(),
        "marked": (rule == COMMISSION_MARK).to_numpy(), "share": item["share"].to_numpy(),
        "rank": np.where(adopted, item["level"].map(LEVEL_RANK).fillna(-1), -1)})
    for p in PARTS:
        flags[p] = np.where((part == p).to_numpy(), flags["points"], 0.0)
    g = flags.groupby("key", sort=False)
    scores = g.agg(unit=("unit", "first"), seq=("seq", "first"), submitted=("submitted", "first"),
                   points=("points", "sum"), in_period=("in_period", "any"), adopted=("adopted", "any"),
                   instructions=("instructions", "sum"), late=("late", "any"), false_report=("false_report", "any"),
                   marked=("marked", "any"), share=("share", "min"), rank=("rank", "max"),
                   **{p: (p, "sum") for p in PARTS}).reset_index(drop=True)
    for c in ("points", *PARTS):
        scores[c] = r4_values(scores[c])
    scores["其他"] = r4_values(scores["points"] - scores["报送"] - scores["采用"] - scores["批示"])
    levels = {r: lv for lv, r in LEVEL_RANK.items()}
    scores["top_level"] = scores["rank"].map(levels)
    return scores.drop(columns="rank")


def _adoptions(lines):
    """Per line: an adoption's own line (采用：…, which carries its level; not a multiplier's)."""
    return ((lines["part"] == "采用") & lines["level"].notna()).to_numpy()


def _levels_adopted(lines):
    """Per unit and level, how many items had an adoption of that level counted."""
    ad = lines[_adoptions(lines)]
    return ad.drop_duplicates(["unit", "seq", "level"]).groupby(["unit", "level"]).size()


def unit_totals(scores, lines, cfg, duplicates, clines: list, adjustments: list):
    """The totals of every roster unit (units not in the roster are left out)."""
    import pandas as pd

    names = [u.name for u in cfg.units]
    g = scores.groupby("unit")
    out = pd.DataFrame(index=pd.Index(names, name="unit"))
    out["submitted"] = g["in_period"].sum()
    out["duplicates"] = duplicates.groupby("unit").size()
    out["adopted"] = g["adopted"].sum()
    by_level = _levels_adopted(lines)
    for lv in LEVELS:
        out[lv] = by_level.xs(lv, level="level") if lv in by_level.index.get_level_values("level") else 0
    out["instructions"] = g["instructions"].sum()
    out["late"] = g["late"].sum()
    out["false_reports"] = g["false_report"].sum()
    marked = scores[scores["marked"] & scores["in_period"]].groupby("unit").size()
    out["commissions"] = marked
    out["commissions_on_time"] = marked
    out = out.fillna(0).astype("int64")
    points = g["points"].sum().reindex(names).fillna(0.0)
    for c, pts, status in clines:
        if c.unit in out.index:
            out.loc[c.unit, "commissions"] += 1
            out.loc[c.unit, "commissions_on_time"] += int(status == "按时完成")
            points[c.unit] += pts
    for unit, _rule, pts, _note in adjustments:
        if unit in points.index:
            points[unit] += pts
    out["points"] = r4_values(points.to_numpy())
    return out[list(COUNTS)]


def commission_lines(commissions, scheme: Scheme, period: Period) -> list:
    """(commission, points, status) for the 约稿 (rows of the read's commissions table) whose deadline
    falls in the period, in register order; each commission a record of its row for the sheet that lists
    them (unit, topic, issued, deadline, done, file, sheet, row; datetimes, None for none)."""
    import numpy as np

    c = commissions[between(commissions["deadline"], *bounds(period))]
    done = c["done"].notna().to_numpy()
    on_time = done & (c["done"].dt.normalize() <= c["deadline"].dt.normalize()).to_numpy()
    status = np.where(on_time, "按时完成", np.where(done, "逾期完成", "未完成")).tolist()
    points = [scheme.on_time if t else scheme.overdue for t in on_time.tolist()]
    return list(zip(_records(c), points, status))


def _records(frame) -> list:
    """The rows of a table as named tuples of Python values (a datetime, None for NaT)."""
    from collections import namedtuple

    import pandas as pd

    cols = [[None if pd.isna(v) else v.to_pydatetime() for v in frame[c]] if frame[c].dtype.kind == "M"
            else frame[c].tolist() for c in frame.columns]
    row = namedtuple("Record", list(frame.columns))
    return [row(*values) for values in zip(*cols)]


def unit_adjustments(scores, tables, cfg, period: Period) -> list:
    """Points a unit earns or loses as a whole: 每月基础分, 缺报每篇 (each month the period has reached),
    季度采用率不达标 (each quarter it ends). [(unit, rule, points, note)]"""
    out = []
    base = cfg.other_points("每月基础分", 0.0) or 0.0
    short = cfg.other_points("缺报每篇", 0.0) or 0.0
    if base or short:
        sub = scores[scores["in_period"].to_numpy()]
        counts = sub.groupby([sub["unit"], sub["submitted"].dt.year, sub["submitted"].dt.month]).size().to_dict()
        for u in cfg.units:
            quota = cfg.quota_of(u)
            for y, m in period.task_months():
                if base:
                    out.append((u.name, "每月基础分", base, f"{y}年{m}月"))
                missing = max(0, math.ceil(quota - counts.get((u.name, y, m), 0) - EPS))
                if short and missing:
                    out.append((u.name, "缺报每篇", r4(short * missing), f"{y}年{m}月差{missing}篇"))
    return out + _quarter_penalties(tables, cfg, period)


def _quarter_penalties(tables, cfg, period: Period) -> list:
    """季度采用率不达标: a unit whose items of a quarter were adopted less often than 季度采用率下限."""
    penalty = cfg.other_points("季度采用率不达标", 0.0) or 0.0
    floor = cfg.setting("季度采用率下限")
    if not penalty or not isinstance(floor, (int, float)):
        return []
    items = tables.items
    counted = items[(items["status"] == "counted").to_numpy()]
    adopted = counted["seq"].isin(tables.adoptions["seq"])
    out = []
    for y, m in period.months():
        if m % 3:
            continue
        quarter = Period("quarter", dt.date(y, m - 2, 1), month_end(y, m), "quarter", "")
        inside = between(counted["submitted"], *bounds(quarter))
        sub = counted["unit"][inside].value_counts()
        got = counted["unit"][inside & adopted.to_numpy()].value_counts()
        for u in cfg.units:
            n = int(sub.get(u.name, 0))
            rate = int(got.get(u.name, 0)) / n if n else 0.0
            if rate + EPS < floor:
                out.append((u.name, "季度采用率不达标", penalty, f"{y}年第{(m // 3)}季度采用率 {rate:.1%}，低于 {floor:.0%}"))
    return out
