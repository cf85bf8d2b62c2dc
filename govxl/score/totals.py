"""Lines → each item's score and each unit's totals for a period: group-bys over `lines`.

scores  one row per unit and item the period counts: unit, seq, points (r4 of its lines), the parts
        of 得分明细 (报送, 采用, 批示, 其他), in_period (submitted in the period), adopted, top_level,
        instructions, late, false_report, marked (约稿 mark), share
totals  one row per roster unit: submitted, duplicates, adopted, each level, instructions, points,
        commissions, commissions_on_time, late, false_reports
trend   one row per month and roster unit, January to a period's last month: points, submitted
A unit's own lines — 每月基础分, 缺报每篇, 季度采用率不达标, the 约稿 register — are worked out per month
from its submissions (unit, rule, points, note, month) and kept as (unit, rule, points, note) rows for
单位加减分; a unit's points are one group-by over its items' lines and its own.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from ..defaults import LEVEL_RANK, LEVELS
from .lines import (COMMISSION_MARK, EPS, FALSE, LATE, SUBMISSION, Scheme, between, bounds, level_rank, make_lines, r4,
                    r4_values, view)
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
        """The period's scores and unit totals (known_by: only items submitted by then)."""
        lines = self.lines_of(period, known_by)
        scores = scores_of(lines)
        clines = commission_lines(self.commissions, self.scheme, period)
        sub = scores[scores["in_period"].to_numpy()]
        counts = sub.groupby([sub["unit"], month_keys(sub["submitted"]).astype("int64")]).size().to_dict()
        adjustments = unit_adjustments(counts, self.tables, self.cfg, period)
        items = self.tables.items
        dups = items[(items["status"] == "duplicate").to_numpy() & between(items["submitted"], *bounds(period))]
        totals = unit_totals(scores, lines, self.cfg, dups, clines, own_lines(clines, adjustments))
        return PeriodTotals(totals, scores, lines, clines, [a[:4] for a in adjustments], dups)

    def trend(self, upto: Period):
        """Each roster unit's points and submissions month by month, January to upto's last month: one
        group-by over (month, unit) of the span's lines and the units' own lines. Under 采用日期 a month is
        as known at its end: the lines of items submitted by then."""
        import pandas as pd

        y, last = upto.end.year, upto.end.month
        months = Period("trend", dt.date(y, 1, 1), month_end(y, last), "range", "")
        lines = view(self.lines, months)
        month = month_keys(lines["date"])
        if self.scheme.by_adoption:
            known = (month_keys(lines["submitted"]) <= month).to_numpy()
            lines, month = lines[known], month[known]
        submitted = (lines["rule"] == SUBMISSION).to_numpy()
        items = pd.DataFrame({"month": month.to_numpy(dtype="int64"), "unit": lines["unit"].array,
                              "points": lines["points"].to_numpy(), "submitted": submitted.astype("int64")})
        counts = items[submitted].groupby(["unit", "month"]).size().to_dict()
        clines = commission_lines(self.commissions, self.scheme, months)
        own = own_lines(clines, unit_adjustments(counts, self.tables, self.cfg, months)).assign(submitted=0)
        names = [u.name for u in self.cfg.units]
        keys = pd.MultiIndex.from_product([[y * 100 + m for m in range(1, last + 1)], names], names=["month", "unit"])
        got = pd.concat([t for t in (items, own) if len(t)] or [items], ignore_index=True)
        got = got.groupby(["month", "unit"])[["points", "submitted"]].sum().reindex(keys, fill_value=0)
        got["points"] = r4_values(got["points"].to_numpy())
        return got


def month_keys(dates):
    """Per date of a column, its month as yyyymm (NaN for NaT)."""
    return dates.dt.year * 100 + dates.dt.month


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
        "key": _key(item), "unit": item["unit"].array, "seq": item["seq"].astype("int64").to_numpy(),
        "submitted": item["submitted"].to_numpy(), "points": item["points"].to_numpy(),
        "in_period": (rule == SUBMISSION).to_numpy(), "adopted": adopted,
        "instructions": ((part == "批示") & item["level"].notna()).to_numpy(),
        "late": (rule == LATE).to_numpy(), "false_report": (rule == FALSE).to_numpy(),
        "marked": (rule == COMMISSION_MARK).to_numpy(), "share": item["share"].to_numpy(),
        "rank": np.where(adopted, level_rank(item["level"]), -1)})
    for p in PARTS:
        flags[p] = np.where((part == p).to_numpy(), flags["points"], 0.0)
    g = flags.groupby("key", sort=False)
    scores = pd.concat([g[["unit", "seq", "submitted"]].first(), g[["points", "instructions", *PARTS]].sum(),
                        g[["in_period", "adopted", "late", "false_report", "marked"]].any(), g["share"].min(),
                        g["rank"].max()], axis=1).reset_index(drop=True)
    for c in ("points", *PARTS):
        scores[c] = r4_values(scores[c])
    scores["其他"] = r4_values(scores["points"] - scores["报送"] - scores["采用"] - scores["批示"])
    levels = {r: lv for lv, r in LEVEL_RANK.items()}
    scores["top_level"] = scores["rank"].map(levels)
    return scores[["unit", "seq", "submitted", "points", "in_period", "adopted", "instructions", "late",
                   "false_report", "marked", "share", *PARTS, "top_level"]]


def _adoptions(lines):
    """Per line: an adoption's own line (采用：…, which carries its level; not a multiplier's)."""
    return ((lines["part"] == "采用") & lines["level"].notna()).to_numpy()


def _levels_adopted(lines):
    """Per unit (rows) and level (columns), how many items had an adoption of that level counted."""
    ad = lines[_adoptions(lines)].drop_duplicates(["unit", "seq", "level"])
    return ad.groupby(["unit", "level"]).size().unstack("level").reindex(columns=list(LEVELS))


def own_lines(clines: list, adjustments: list):
    """A unit's own lines as a table (unit, month, points): the 约稿 register's, by deadline, and the
    adjustments'."""
    import pandas as pd

    rows = [(c.unit, c.deadline.year * 100 + c.deadline.month, pts) for c, pts, _status in clines]
    rows += [(unit, month, pts) for unit, _rule, pts, _note, month in adjustments]
    return pd.DataFrame(rows, columns=["unit", "month", "points"]).astype({"month": "int64", "points": float})


def unit_totals(scores, lines, cfg, duplicates, clines: list, own):
    """The totals of every roster unit (units not in the roster are left out); own: the units' own lines
    (own_lines), clines: the 约稿 register's (commission_lines)."""
    import pandas as pd

    names = [u.name for u in cfg.units]
    flags = scores[["unit", "in_period", "adopted", "instructions", "late", "false_report", "points"]].assign(
        commissions=scores["marked"] & scores["in_period"])
    sums = flags.groupby("unit").sum().rename(columns={"in_period": "submitted", "false_report": "false_reports"})
    sums["commissions_on_time"] = sums["commissions"]
    dups = duplicates["unit"].value_counts().rename("duplicates")
    out = pd.concat([sums.drop(columns="points"), dups, _levels_adopted(lines)], axis=1)
    out = out.reindex(names).fillna(0).astype("int64")
    register = pd.DataFrame([(c.unit, 1, int(status == "按时完成")) for c, _pts, status in clines],
                            columns=["unit", "commissions", "commissions_on_time"])
    register = register.groupby("unit").sum().reindex(names, fill_value=0)
    out[register.columns] += register.astype("int64")
    points = sums["points"].reindex(names, fill_value=0.0)
    points += own.groupby("unit")["points"].sum().reindex(names, fill_value=0.0)
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


def unit_adjustments(counts: dict, tables, cfg, period: Period) -> list:
    """Points a unit earns or loses as a whole: 每月基础分, 缺报每篇 (each month the period has reached),
    季度采用率不达标 (each quarter it ends). counts: {(unit, yyyymm): items submitted}.
    [(unit, rule, points, note, yyyymm)]"""
    out = []
    base = cfg.other_points("每月基础分", 0.0) or 0.0
    short = cfg.other_points("缺报每篇", 0.0) or 0.0
    if base or short:
        for u in cfg.units:
            quota = cfg.quota_of(u)
            for y, m in period.task_months():
                if base:
                    out.append((u.name, "每月基础分", base, f"{y}年{m}月", y * 100 + m))
                missing = max(0, math.ceil(quota - counts.get((u.name, y * 100 + m), 0) - EPS))
                if short and missing:
                    out.append((u.name, "缺报每篇", r4(short * missing), f"{y}年{m}月差{missing}篇", y * 100 + m))
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
                out.append((u.name, "季度采用率不达标", penalty,
                            f"{y}年第{(m // 3)}季度采用率 {rate:.1%}，低于 {floor:.0%}", y * 100 + m))
    return out
