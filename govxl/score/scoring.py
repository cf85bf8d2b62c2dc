"""Scoring a period (spec §5): the result dict every writer and the JSON read.

normalise → **score** → write. The registers come as tables (`tables.py`); the rules make lines
(`lines.py`), one row per point earned or lost; each item's score and each unit's totals are group-bys
over the period's lines (`totals.py`). This module puts a period together: its totals and ranks, the
year to date, the previous period's ranks (排名变化), the monthly trend, the 信息员, the annual assessment.
No I/O here.
"""
from __future__ import annotations

import datetime as dt
import math

from ..defaults import LEVELS
from .lines import EPS, r4, r4_values
from .periods import Period, month, month_end
from .tables import Tables
from .totals import Book

__all__ = ["score", "rank_of", "rank_values", "ranks", "r4"]


def as_tables(read) -> Tables:
    """The tables of a read: a Tables as it is, or a normalise.registers.ReadResult's."""
    return read if isinstance(read, Tables) else read.tables


def shared_span(period: Period, previous: Period | None = None) -> Period:
    """What score() looks at for a period: from January of its last year (or its start, if earlier) to the
    end of its last month — the period, its year to date, last month and the trend's months — and back to
    the start of `previous` (the period 排名变化 compares with) for a quarter, half, year or range. A
    month's previous month is in the span or is December, lined up on its own (Book.lines_of)."""
    y, m = period.end.year, period.end.month
    start = min(period.start, dt.date(y, 1, 1))
    if previous is not None and period.kind != "month":
        start = min(start, previous.start)
    return Period("span", start, month_end(y, m), "range", "")


def previous_period(items, period: Period) -> Period | None:
    """The period 排名变化 compares with (Period.previous), when the registers hold an item submitted in
    it; None (排名变化 “—”) when they do not — last year's registers not in the read, say."""
    previous = period.previous()
    return previous if previous.submitted_within(items).any() else None


def rank_of(points, mode: str, by=None):
    """Rank by points descending, within each group of `by` if given: 跳号 (1,1,3) or 连续 (1,1,2). points: a
    Series (rounded by r4 first, so float noise never splits a tie)."""
    import pandas as pd

    values = pd.Series(r4_values(points.to_numpy()), index=points.index)
    grouped = values.groupby(by, sort=False) if by is not None else values
    return grouped.rank(method="dense" if mode == "连续" else "min", ascending=False).astype("int64")


def rank_values(keys: list, points: dict, mode: str) -> dict:
    """rank_of over a dict: {key: rank} of keys."""
    import pandas as pd

    return rank_of(pd.Series([points[k] for k in keys], index=keys, dtype=float), mode).to_dict()


def ranks(cfg, points, mode: str) -> tuple:
    """(overall rank, rank within group) of every roster unit: {unit: rank} each. points: a Series by unit."""
    import pandas as pd

    names = [u.name for u in cfg.units]
    groups = pd.Series([u.group for u in cfg.units], index=names)
    pts = points.reindex(names).astype(float)
    return rank_of(pts, mode).to_dict(), rank_of(pts, mode, by=groups).to_dict()


def missed_commissions(commissions, upto: dt.date) -> dict:
    """Commissions (the read's table) overdue or not done whose deadline is in the year up to `upto`:
    {unit: how many}, units in the order of their first such commission."""
    import pandas as pd

    deadline, done = commissions["deadline"].dt.normalize(), commissions["done"].dt.normalize()
    missed = (deadline.dt.year == upto.year) & (deadline <= pd.Timestamp(upto)) & (done.isna() | (done > deadline))
    units = commissions["unit"][missed.to_numpy()]
    return {u: int(n) for u, n in units.groupby(units, sort=False).size().items()}


def score(read, commissions, cfg, period: Period, *, with_ytd: bool = True) -> dict:
    """The whole scoring of a period: units, authors, totals, plus details for the writers (keys with _).

    read: the read's tables (tables.Tables), or the normalise.registers.ReadResult they are in;
    commissions: the read's 约稿 table (ReadResult.commissions)."""
    mode = cfg.setting("并列排名") or "跳号"
    tables = as_tables(read)
    previous = previous_period(tables.items, period)
    book = Book(tables, commissions, cfg, shared_span(period, previous))
    now = book.totals(period)
    zeroed = _zeroed(commissions, cfg, period)
    if period.kind == "year":
        _zero(now, zeroed)
    totals = now.totals
    overall, group_rank = ranks(cfg, totals["points"], mode)
    ytd = _year_to_date(book, period, now, zeroed, mode) if with_ytd else None
    trend = monthly_trend(cfg, book.trend(period), mode)
    previous = _previous_ranks(book, period, previous, trend, mode)
    units = _unit_rows(cfg, totals, overall, group_rank, ytd, previous, len(period.task_months()))
    return {
        "office": cfg.office,
        "period": period.to_dict(),
        "groups": cfg.groups(),
        "units": units,
        "authors": _authors(book, now.scores, cfg, mode),
        "totals": _totals_row(cfg, units, totals),
        "trend": trend,
        "assessment": annual_assessment(units, cfg, trend, zeroed) if period.kind == "year" else None,
        "_scores": now.scores,
        "_lines": now.lines,
        "_tables": book.tables,
        "_commissions": now.commissions,
        "_adjustments": now.adjustments,
        "_duplicates": now.duplicates,
        "_zeroed": zeroed,
    }


def _year_to_date(book: Book, period: Period, now, zeroed: dict, mode: str):
    """The totals from January to the period's end, with their ranks (the period's own when it starts in
    January); a unit zeroed for its missed commissions has none."""
    ytd = period.year_to_date()
    same = (ytd.start, ytd.end) == (period.start, period.end)
    out = (now.totals if same else book.totals(ytd).totals).copy()
    out.loc[[u for u in zeroed if u in out.index], "points"] = 0.0
    out["rank"] = out.index.map(ranks(book.cfg, out["points"], mode)[0])
    return out


def _zeroed(commissions, cfg, period: Period) -> dict:
    """A year with too many missed commissions zeroes the unit's annual score: {unit: missed}."""
    zero_after = cfg.setting("约稿未完成清零次数")
    if not isinstance(zero_after, (int, float)) or zero_after <= 0:
        return {}
    return {u: n for u, n in missed_commissions(commissions, period.end).items() if n >= zero_after}


def _zero(now, zeroed: dict) -> None:
    totals = now.totals
    for u, n in zeroed.items():
        if u in totals.index and totals.loc[u, "points"]:
            now.adjustments.append((u, "约稿未完成清零", -float(totals.loc[u, "points"]),
                                    f"全年约稿逾期未完成{n}次，全年得分清零"))
            totals.loc[u, "points"] = 0.0


def _previous_ranks(book: Book, period: Period, prev: Period | None, trend: dict, mode: str):
    """The overall ranks of the previous period of the same kind (排名变化; None: nothing to compare with).
    A month's month before in the same year is the trend's; any other is scored over the book's lines as
    its own ranking was (a year with its 约稿 zeroing)."""
    if prev is None:
        return None
    names = [u.name for u in book.cfg.units]
    if period.kind == "month" and prev.end.year == period.end.year:
        i = len(trend["months"]) - 2
        return {n: trend["units"][n]["ranks"][i] for n in names} if i >= 0 else None
    before = book.totals(prev)
    if prev.kind == "year":
        _zero(before, _zeroed(book.commissions, book.cfg, prev))
    return ranks(book.cfg, before.totals["points"], mode)[0]


def _change(before, now) -> str:
    """Rank change against the previous period: ↑2 (moved up two places), ↓1, or — (same / no previous)."""
    if before is None or before == now:
        return "—"
    return f"↑{before - now}" if now < before else f"↓{now - before}"


def display_order(totals: dict, names: list) -> list:
    """Ranking order: points desc, then 采用篇数, 报送篇数, roster order. totals: {unit: its totals}."""
    place = {n: i for i, n in enumerate(names)}
    return sorted(names, key=lambda k: (-r4(totals[k]["points"]), -totals[k]["adopted"], -totals[k]["submitted"],
                                        place[k]))


def as_written(x):
    """A task as the roster writes it: 3, not 3.0 (a fraction such as 1.5 stays one)."""
    return int(x) if float(x).is_integer() else x


def shortfall(task: float, sent: int) -> int:
    """Items still owed against a task (a fractional task owes the whole item it is short of)."""
    return max(0, math.ceil(task - sent - EPS))


def _unit_rows(cfg, totals, overall, group_rank, ytd, previous, nmonths: int) -> list:
    by_name = {u.name: u for u in cfg.units}
    counts = totals.to_dict("index")
    ytd = ytd.to_dict("index") if ytd is not None else None
    rows = []
    for name in display_order(counts, [u.name for u in sorted(cfg.units, key=lambda u: u.index)]):
        n, u = counts[name], by_name[name]
        quota = r4(cfg.quota_of(u) * nmonths)
        row = {
            "unit": name, "group": u.group, "submitted": n["submitted"], "duplicates": n["duplicates"],
            "adopted": n["adopted"], "adopted_by_level": {lv: n[lv] for lv in LEVELS},
            "instructions": n["instructions"], "points": float(n["points"]),
            "adoption_rate": r4(n["adopted"] / n["submitted"]) if n["submitted"] else 0.0,
            "quota": as_written(quota),
            "quota_met": n["submitted"] >= quota - EPS, "shortfall": shortfall(quota, n["submitted"]),
            "rank": overall[name], "group_rank": group_rank[name],
            "commissions": n["commissions"], "commissions_on_time": n["commissions_on_time"],
            "late": n["late"], "false_reports": n["false_reports"],
            "contact": u.contact, "email": u.email, "order": u.index,
        }
        if ytd is not None:
            y = ytd[name]
            row.update({"ytd_submitted": int(y["submitted"]), "ytd_adopted": int(y["adopted"]),
                        "ytd_points": float(y["points"]), "ytd_rank": int(y["rank"])})
        row["rank_change"] = _change(previous.get(name) if previous else None, row["rank"])
        rows.append(row)
    return rows


def _totals_row(cfg, units: list, totals) -> dict:
    index = {u.name: u.index for u in cfg.units}
    row = {
        "submitted": sum(u["submitted"] for u in units),
        "adopted": sum(u["adopted"] for u in units),
        "points": r4(sum(u["points"] for u in units)),
        "instructions": sum(u["instructions"] for u in units),
        "adopted_by_level": {lv: sum(u["adopted_by_level"][lv] for u in units) for lv in LEVELS},
        "units": len(units),
        "zero_units": [n for n, k in totals["submitted"].items() if k == 0],
        "unmet_units": [u["unit"] for u in sorted(units, key=lambda x: index[x["unit"]]) if not u["quota_met"]],
    }
    row["adoption_rate"] = r4(row["adopted"] / row["submitted"]) if row["submitted"] else 0.0
    return row


def _authors(book: Book, scores, cfg, mode: str) -> list:
    """信息员: per author and unit, the period's submissions, adoptions and points, ranked."""
    items = book.tables.items
    author = items.set_index("seq")["author"].fillna("").astype(str).str.strip()
    s = scores.assign(author=scores["seq"].map(author).fillna("").to_numpy())
    s = s[(s["author"] != "").to_numpy()]
    g = s.groupby(["author", "unit"], sort=False)
    table = g[["in_period", "adopted", "points"]].sum().rename(columns={"in_period": "submitted"}).reset_index()
    alist = [{"author": a, "unit": u, "submitted": int(n), "adopted": int(k), "points": r4(float(p))}
             for a, u, n, k, p in table[["author", "unit", "submitted", "adopted", "points"]].itertuples(index=False)]
    keys = list(range(len(alist)))
    arank = rank_values(keys, {k: alist[k]["points"] for k in keys}, mode)
    for k in keys:
        alist[k]["rank"] = arank[k]
    index = {u.name: u.index for u in cfg.units}
    alist.sort(key=lambda a: (a["rank"], -a["adopted"], -a["submitted"], index.get(a["unit"], 1 << 30), a["author"]))
    return alist


def monthly_trend(cfg, months, mode: str) -> dict:
    """Each unit's points, rank and submissions month by month, January to the period's last month.
    months: Book.trend's table (month, unit → points, submitted); a month's ranks are a group-by."""
    names = [u.name for u in cfg.units]
    month_of = months.index.get_level_values("month")
    table = months.assign(rank=rank_of(months["points"], mode, by=month_of).to_numpy())
    keys = list(dict.fromkeys(month_of))
    wide = {c: table[c].unstack("month").reindex(index=names, columns=keys) for c in ("points", "rank", "submitted")}
    columns = {c: dict(zip(names, w.to_numpy(dtype=float if c == "points" else "int64").tolist()))
               for c, w in wide.items()}
    return {"months": [month(k // 100, k % 100).label for k in keys],
            "units": {n: {"points": columns["points"][n], "ranks": columns["rank"][n],
                          "submitted": columns["submitted"][n]} for n in names}}


def annual_assessment(units: list, cfg, trend: dict, zeroed: dict) -> dict:
    """年度考核: per group, annual ranks and the top N marked 先进单位; units that missed their quota or
    had a month of 零报送 listed (offices link these to performance pay)."""
    n_award = int(cfg.num("表彰名额", 3))
    no_award_if_false = (cfg.setting("失实取消评先") or "是") == "是"
    groups = []
    for g in cfg.groups():
        members = [u for u in units if u["group"] == g]
        members.sort(key=lambda u: (u["group_rank"], -u["adopted"], -u["submitted"], u["order"]))
        rows, awarded = [], 0
        for u in members:
            reasons = _not_eligible(u, zeroed, no_award_if_false)
            award = not reasons and awarded < n_award
            awarded += int(award)
            zero_months = [m for m, n in zip(trend["months"], trend["units"][u["unit"]]["submitted"]) if n == 0]
            rows.append({"unit": u["unit"], "points": u["points"], "group_rank": u["group_rank"],
                         "submitted": u["submitted"], "quota": u["quota"], "quota_met": u["quota_met"],
                         "advanced": award, "not_eligible": "；".join(reasons), "zero_months": zero_months})
        groups.append({"group": g, "units": rows})
    return {"awards_per_group": n_award, "groups": groups}


def _not_eligible(u: dict, zeroed: dict, no_award_if_false: bool) -> list:
    reasons = []
    if u["unit"] in zeroed:
        reasons.append("约稿未完成，全年清零")
    if no_award_if_false and u.get("false_reports"):
        reasons.append("有失实信息")
    if u["points"] <= 0:
        reasons.append("得分为零")
    if not u["quota_met"]:
        reasons.append("未完成全年任务")
    return reasons
