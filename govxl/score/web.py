"""govxl web's figures: postings of a period counted per unit × platform, tasks, ranks, 零发布, 超期未更新,
the monthly trend and the year's assessment (issue 22) — group-bys over the postings table.

score: in, the postings table (normalise/postings.py), the config and the period; out, the result
dict (plain values a writer or JSON takes). Only postings dated up to the period's end are looked at:
later ones are neither counted nor taken as the end of a silence.

超期未更新 (the veto list). A column or account (unit, platform, 栏目) whose 栏目类别 has a 最长间隔天数 L:
its silences are the days between two consecutive posting days a < b (b − a days), and the one still
running at the period's end (end − a days, a the last posting). A silence is the period's when it is
longer than L and reaches into the period — a closed one ends after the period's first day (b > start;
a may be before the period: the silence spanning its start), a running one always. Each column is
listed once, with its longest such silence, the last posting before it and the first after it (至今未更新
when it still runs). A column's history starts with its first posting: a column the registers never
show cannot be silent, except a new-media account declared in 单位名册 › 新媒体账号 with no posting up to
the period's end, listed as 从未发布 (its silence the whole period).
"""
from __future__ import annotations

from .. import defaults as D
from ..normalise.text import norm
from .periods import Period, month_end

NO_TASK = "—"
NEVER = "从未发布"
STILL = "至今未更新"


def _day(d):
    import pandas as pd

    return pd.Timestamp(d)


def web_score(postings, cfg, period: Period) -> dict:
    """The result of `govxl web` for a period (without rows, problems and outputs, which api adds)."""
    end, start = _day(period.end), _day(period.start)
    ytd_start = _day(f"{period.end.year}-01-01")
    df = postings.assign(day=postings["date"].dt.normalize())
    upto = df[df["day"] <= end]
    within = upto[upto["day"] >= start]
    ytd = upto[upto["day"] >= ytd_start]
    platforms = list(D.PLATFORMS) + sorted(set(upto["platform"]) - set(D.PLATFORMS))
    units = _units(cfg, period, within, ytd, upto, platforms)
    overdue = overdue_columns(upto, cfg, period)
    trend = monthly_trend(upto[upto["day"] >= min(start, ytd_start)], period, platforms)
    zero = [u["unit"] for u in units if u["zero"]]
    portal = _portal(within, ytd, platforms)
    result = {
        "period": period.to_dict(), "office": cfg.office, "groups": cfg.groups(), "platforms": platforms,
        "units": units, "portal": portal, "zero_units": zero, "overdue": overdue, "trend": trend,
        "assessment": annual_assessment(units, overdue, trend, cfg) if period.kind == "year" else None,
        "totals": {"posted": int(len(within)), "ytd_posted": int(len(ytd)),
                   "original": int((within["type"] == "原创").sum()), "zero_units": len(zero),
                   "overdue": len(overdue), "overdue_units": sorted({o["unit"] for o in overdue},
                                                                    key=_unit_order(cfg))},
    }
    result["by_platform"] = {p: int(n) for p, n in within["platform"].value_counts().reindex(platforms).fillna(0)
                             .astype(int).items()}
    return result


def _unit_order(cfg):
    order = {u.name: i for i, u in enumerate(cfg.units)}
    return lambda name: (order.get(name, len(order)), name)


def _counts(frame):
    """{unit: {platform: n}} of a postings frame."""
    c = frame.groupby(["unit", "platform"]).size()
    out: dict = {}
    for (unit, platform), n in c.items():
        out.setdefault(unit, {})[platform] = int(n)
    return out


def _units(cfg, period: Period, within, ytd, upto, platforms) -> list:
    """One row per roster unit: its counts per platform (period and 累计), task, 完成情况 and ranks."""
    import pandas as pd

    from .scoring import ranks

    now, so_far = _counts(within), _counts(ytd)
    original = within[within["type"] == "原创"].groupby("unit").size().to_dict()
    ever = set(upto["unit"])
    months = len(period.task_months())
    names = [u.name for u in cfg.units]
    posted = pd.Series([sum(now.get(n, {}).values()) for n in names], index=names, dtype=float)
    mode = cfg.setting("并列排名") or "跳号"
    overall, in_group = ranks(cfg, posted, mode) if names else ({}, {})
    rows = []
    for u in cfg.units:
        mine, year = now.get(u.name, {}), so_far.get(u.name, {})
        n = sum(mine.values())
        task = None if u.posting_task is None else u.posting_task * months
        expected = bool(task) or bool(u.accounts) or u.name in ever
        met = None if task is None else n >= task
        rows.append({
            "unit": u.name, "group": u.group, "order": u.index,
            "platforms": {p: {"posted": mine.get(p, 0), "ytd": year.get(p, 0)} for p in platforms},
            "posted": n, "original": int(original.get(u.name, 0)), "ytd_posted": sum(year.values()),
            "task": _number(task), "task_met": met, "shortfall": _number(max(task - n, 0)) if task else 0,
            "zero": n == 0 and expected, "status": _status(n, task, expected),
            "rank": int(overall[u.name]), "group_rank": int(in_group[u.name]),
        })
    return rows


def _number(x):
    """A task as the roster writes it: 3, not 3.0; None stays None."""
    if x is None:
        return None
    return int(x) if float(x).is_integer() else round(float(x), 2)


def _status(n: int, task, expected: bool) -> str:
    if n == 0 and expected:
        return "零发布"
    if task is None:
        return NO_TASK
    if n >= task:
        return "完成"
    return f"未完成（差{_number(task - n)}条）"


def _portal(within, ytd, platforms):
    """The county portal's own postings (a register naming no unit), outside the units' ranking; None when none."""
    mine = within[within["unit"] == D.PORTAL_UNIT]
    year = ytd[ytd["unit"] == D.PORTAL_UNIT]
    if not len(year):
        return None
    a, b = mine["platform"].value_counts(), year["platform"].value_counts()
    return {"unit": D.PORTAL_UNIT, "posted": int(len(mine)), "ytd_posted": int(len(year)),
            "original": int((mine["type"] == "原创").sum()),
            "platforms": {p: {"posted": int(a.get(p, 0)), "ytd": int(b.get(p, 0))} for p in platforms}}


# ---- 超期未更新 ------------------------------------------------------------------------------------

KEYS = ["unit", "platform", "column"]


def overdue_columns(upto, cfg, period: Period) -> list:
    """Every column or account whose longest silence of the period exceeds its limit (see the module's note),
    in roster order, then platform, then column."""
    import pandas as pd

    start, end = _day(period.start), _day(period.end)
    limits = cfg.update_limits
    d = upto[upto["category"].isin(list(limits))]
    days = d[KEYS + ["category", "day"]].drop_duplicates(KEYS + ["day"]).sort_values(KEYS + ["day"], kind="stable")
    days["limit"] = days["category"].map(limits).astype(float)
    days["prev"] = days.groupby(KEYS, sort=False)["day"].shift()
    closed = days[days["prev"].notna() & (days["day"] > start)].copy()
    closed["gap"] = (closed["day"] - closed["prev"]).dt.days
    closed = closed[closed["gap"] > closed["limit"]].rename(columns={"prev": "before", "day": "after"})
    last = days.groupby(KEYS, sort=False).tail(1).copy()
    last["gap"] = (end - last["day"]).dt.days
    running = last[last["gap"] > last["limit"]].rename(columns={"day": "before"}).drop(columns=["prev"])
    running["after"] = pd.NaT
    found = pd.concat([closed, running], ignore_index=True)
    counts = upto[(upto["day"] >= start)].groupby(KEYS).size()
    rows = []
    if len(found):
        found = found.sort_values(["gap", "before"], ascending=[False, True], kind="stable")
        found = found.drop_duplicates(KEYS)
        for r in found.itertuples(index=False):
            rows.append(_overdue_row(r.unit, r.platform, r.column, r.category, r.limit, int(r.gap), r.before,
                                     r.after, start, int(counts.get((r.unit, r.platform, r.column), 0))))
    rows += _never_posted(upto, cfg, period)
    order = _unit_order(cfg)
    platform_order = {p: i for i, p in enumerate(D.PLATFORMS)}
    rows.sort(key=lambda o: (order(o["unit"]), platform_order.get(o["platform"], 99), o["platform"], o["column"]))
    return rows


def _iso(ts):
    import pandas as pd

    return None if ts is None or pd.isna(ts) else ts.date().isoformat()


def _overdue_row(unit, platform, column, category, limit, gap, before, after, start, n) -> dict:
    after_iso = _iso(after)
    notes = []
    if before < start:
        notes.append("期初前已停更")
    if after_iso is None:
        notes.append("截至期末仍未更新")
    return {"unit": unit, "platform": platform, "column": column, "category": category,
            "limit": _number(limit), "days": gap, "last_before": _iso(before),
            "first_after": after_iso or STILL, "posted": n, "note": "；".join(notes)}


def _never_posted(upto, cfg, period: Period) -> list:
    """Accounts declared in 单位名册 › 新媒体账号 with no posting up to the period's end."""
    limit = cfg.update_limits.get(D.NEW_MEDIA_CATEGORY)
    if limit is None:
        return []
    seen = {(u, p, norm(c)) for u, p, c in upto[KEYS].drop_duplicates().itertuples(index=False)}
    days = (period.end - period.start).days + 1
    rows = []
    for u in cfg.units:
        for platform, name in u.accounts:
            if platform != D.WEBSITE and (u.name, platform, norm(name)) not in seen:
                rows.append({"unit": u.name, "platform": platform, "column": name, "category": D.NEW_MEDIA_CATEGORY,
                             "limit": _number(limit), "days": days, "last_before": None, "first_after": STILL,
                             "posted": 0, "note": f"{NEVER}（名册登记的账号，台账中没有发布记录）"})
    return rows


# ---- trend and the year ---------------------------------------------------------------------------

def monthly_trend(frame, period: Period, platforms) -> dict:
    """Month by month from January of the period's year (or the period's start, if earlier) to its end:
    postings per platform, in all, and the units that posted."""
    y, m = min((period.start.year, period.start.month), (period.end.year, 1))
    months = []
    while (y, m) <= (period.end.year, period.end.month):
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    key = frame["day"].dt.strftime("%Y-%m")
    by = frame.groupby([key, frame["platform"]]).size()
    total = frame.groupby(key).size()
    units = frame[frame["unit"] != D.PORTAL_UNIT].groupby(key)["unit"].nunique()
    per_unit = frame.groupby([key, frame["unit"]]).size()
    return {
        "months": months,
        "platforms": {p: [int(by.get((mo, p), 0)) for mo in months] for p in platforms},
        "total": [int(total.get(mo, 0)) for mo in months],
        "units_posting": [int(units.get(mo, 0)) for mo in months],
        "units": {u: [int(per_unit.get((mo, u), 0)) for mo in months] for u in sorted(set(frame["unit"]))},
    }


def annual_assessment(units: list, overdue: list, trend: dict, cfg) -> dict:
    """年终考核: per unit the year's postings, task, months meeting the monthly task, months without a posting,
    超期未更新 columns, and the verdict — 不合格 with any 超期未更新 column (the veto) or the year's task unmet."""
    n_over: dict = {}
    for o in overdue:
        n_over[o["unit"]] = n_over.get(o["unit"], 0) + 1
    task_of = {u.name: u.posting_task for u in cfg.units}
    months = trend["months"]
    ended = [i for i, mo in enumerate(months) if month_end(int(mo[:4]), int(mo[5:])) <= _today()]
    rows = []
    for u in units:
        per_month = trend["units"].get(u["unit"], [0] * len(months))
        monthly = task_of.get(u["unit"])
        met = sum(1 for i in ended if monthly is not None and per_month[i] >= monthly)
        empty = sum(1 for i in ended if per_month[i] == 0)
        why = []
        if n_over.get(u["unit"]):
            why.append(f"{n_over[u['unit']]}个栏目或账号超期未更新")
        if u["task"] is not None and not u["task_met"]:
            why.append(f"全年未完成发布任务（差{u['shortfall']}条）")
        if u["zero"]:
            why.append("全年零发布")
        rows.append({"unit": u["unit"], "group": u["group"], "posted": u["posted"], "task": u["task"],
                     "months_met": met if monthly is not None else None, "months_empty": empty,
                     "overdue": n_over.get(u["unit"], 0), "rank": u["rank"], "group_rank": u["group_rank"],
                     "result": "不合格" if why else "合格", "reasons": "；".join(why)})
    return {"units": rows, "failed": [r["unit"] for r in rows if r["result"] == "不合格"]}


def _today():
    from .periods import today

    return today()
