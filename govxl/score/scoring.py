"""Scoring (spec §5): pure functions from normalised items and rules to points, counts and ranks.

No I/O here. Every point an item earns is recorded as a line (rule, points, note) so the detail
sheet can show where each point came from.
"""
from __future__ import annotations

import bisect
import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from itertools import islice
from operator import attrgetter, le, lt
from typing import Optional

from ..normalise.config import Config
from ..defaults import LEVEL_RANK, LEVELS
from .periods import Period, month, month_end

EPS = 1e-9


def r4(x: float) -> float:
    """Points are sums of decimals such as 0.5: round away float noise before comparing or showing."""
    v = round(x + 0.0, 4)
    return 0.0 if v == 0 else v


@dataclass(slots=True)
class Line:
    rule: str  # 报送每篇 / 采用：市级专报 / 批示：市级首次 / 迟报 …
    points: float
    note: str = ""
    date: Optional[dt.datetime] = None  # when the point is attributed by its own date


@dataclass(slots=True)
class ItemScore:
    item: object  # registers.Item
    lines: list = field(default_factory=list)
    in_period: bool = False  # submitted within the period (counts toward 报送篇数)
    adopted_levels: tuple = ()  # levels adopted, counted in this period
    instructions: int = 0
    late: bool = False
    share: float = 1.0  # fraction of the points this unit keeps (joint items, 均分)
    unit: str = ""
    total: Optional[float] = field(default=None, repr=False, compare=False)  # points, once scoring is done

    @property
    def points(self) -> float:
        # lines are only changed while the item is scored (_score_items); afterwards the sum is remembered,
        # as the same score is summed for the period, the year to date and each month of the trend
        if self.total is None:
            lines = self.lines
            # one line (most items): sum() of it is its points (0 + x == x; r4 makes -0.0 0.0 either way)
            self.total = r4(lines[0].points) if len(lines) == 1 else r4(sum(l.points for l in lines))
        return self.total

    def points_of(self, prefix: str) -> float:
        return self.points_of_kinds((prefix,))[0]

    def points_of_kinds(self, prefixes: tuple) -> list:
        """[points_of(p) for p in prefixes], in one pass over the lines (prefixes none of which starts another)."""
        parts: list = [[] for _ in prefixes]
        for line in self.lines:
            for i, p in enumerate(prefixes):
                if line.rule.startswith(p):
                    parts[i].append(line.points)
                    break
        return [r4(sum(x)) for x in parts]


def _late(item, cfg: Config) -> bool:
    if item.event_time is None or item.submitted is None:
        return False
    delta = item.submitted - item.event_time
    kind = item.kind or ""
    if "紧急" in kind:
        limit = dt.timedelta(minutes=cfg.num("紧急时限（分钟）", 30))
    elif "重要" in kind:
        limit = dt.timedelta(hours=cfg.num("重要时限（小时）", 24))
    else:
        limit = dt.timedelta(hours=cfg.num("一般时限（小时）", 48))
    return delta > limit


def _month(d) -> tuple:
    return (d.year, d.month)


TYPE_MULTIPLIER_PREFIX = "类型倍数"


def type_multipliers_of(cfg: Config) -> dict:
    """其他计分 rows "类型倍数：调研" = 2 → adoption points of 调研 items × 2."""
    out = {}
    for key, value in cfg.other.items():
        if key.startswith(TYPE_MULTIPLIER_PREFIX) and value is not None:
            word = key[len(TYPE_MULTIPLIER_PREFIX):].strip("：: ")
            if word:
                out[word] = value
    return out


def score_items(items: list, cfg: Config, period: Period, *, commission_marks: bool = False) -> list:
    """ItemScore for every counted item that has anything in the period (submission, adoption or instruction).

    commission_marks: no 约稿 register was given, so an item marked 约稿 earns 约稿按时完成 (a line of its own)."""
    own, joint = _score_items(items, cfg, period, commission_marks)
    return own + joint


COMMISSION_MARK = "约稿按时完成"  # the line an item marked 约稿 earns when there is no 约稿 register


def by_adoption_date(cfg: Config) -> bool:
    return (cfg.setting("归属月份") or "报送日期") == "采用日期"


def _ALWAYS(d) -> bool:
    return True


def _NEVER(d) -> bool:
    return False


def _score_items(items: list, cfg: Config, period: Period, commission_marks: bool, tallies: Optional[dict] = None,
                 detail=()) -> tuple:
    """(the units' own item scores in submission order, the joint units' copies in the same order).

    tallies: the scores of items submitted in a month not in `detail` ((year, month)s) that earn their
    submission line alone or with one adoption (no multiplier), kept whole (no joint units, no 约稿 mark),
    are not made but counted into it — {(year, month): {unit: [items, points, adopted, {level: adopted}]}}
    — for months whose totals are all that is asked (ScoreBook)."""
    per = cfg.other_points("报送每篇", 0.0) or 0.0
    cap = cfg.other_points("报送每月上限", None)
    late_pts = cfg.other_points("迟报", 0.0) or 0.0
    false_pts = cfg.other_points("失实", 0.0) or 0.0
    by_adoption = by_adoption_date(cfg)
    highest_adoption = (cfg.setting("多次采用计分") or "最高") == "最高"
    highest_instruction = (cfg.setting("批示计分") or "累计") == "最高"
    joint_mode = cfg.setting("重复信息处理") or "首报"
    irules = cfg.instruction_rules
    type_multipliers = type_multipliers_of(cfg)

    contains = period.contains
    pool = [it for it in items if it.status == "counted"]
    if not by_adoption:
        # attributed by submission: an item submitted outside the period earns nothing in it (no lines,
        # not in_period), so the year's other months need not be looked at one item at a time
        pool = period.submitted_within(pool)
    counted = _in_submission_order(pool)
    # submission points with the monthly cap: earliest items of the unit's month first
    used: dict = defaultdict(float)
    full_submission = Line("报送每篇", r4(per), "")  # lines are never changed once made: one serves every item
    full_total = r4(full_submission.points)  # the points of a score of that line alone
    capped: dict = {}  # the same for each capped amount (past the cap, most items of a busy unit get 0)
    adoption_rules: dict = {}

    def adoption_rule(rule: str) -> str:
        """The line's rule ("采用：市级专报"), made once per rule."""
        text = adoption_rules.get(rule)
        if text is None:
            text = adoption_rules[rule] = f"采用：{rule}"
        return text

    joint_submission: dict = {}  # id(joint item) → {unit: its submission points within its own cap}
    tally = None  # tallies' entry for the month at hand (None: its scores are made)
    tally_year = tally_month = None
    out = []
    open_total = []  # the scores in out whose points are not known yet (all but most one-line ones)
    joint_scores = []  # the scores in out of items with 联合报送单位
    marked = []  # the scores (own and joint) that earn 约稿按时完成 for an item marked 约稿
    for it in counted:
        sub = it.submitted
        in_period = True if not by_adoption else contains(sub)  # (the pool holds only these)
        if in_period:
            key = (it.unit, sub.year, sub.month)
            if it.joint_units:
                # each unit that receives a joint item takes its share against its own monthly cap, in
                # submission order among its own items; the lead's line is replaced when shared out below
                share = 1.0 / (len(it.joint_units) + 1) if joint_mode == "均分" else 1.0
                joint_submission[id(it)] = {u: _within_cap(per * share, (u, sub.year, sub.month), cap, used)
                                            for u in (it.unit, *it.joint_units)}
            pts = per
            if cap is not None:
                room = cap - used[key]
                pts = per if per <= room else room
                pts = pts if pts > 0.0 else 0.0  # max(0.0, min(per, room)) without two calls an item
            if not it.joint_units:
                used[key] += pts
            if pts == per:
                line, total = full_submission, full_total
            else:
                got = capped.get(pts)
                if got is None:
                    got = Line("报送每篇", r4(pts), f"本月报送分已达上限 {cap:g} 分")
                    got = capped[pts] = (got, r4(got.points))
                line, total = got
            if tallies is not None and (sub.month != tally_month or sub.year != tally_year):
                tally_year, tally_month = sub.year, sub.month
                ym = (tally_year, tally_month)
                tally = None if ym in detail else tallies.setdefault(ym, {})
            if it.event_time is None and not (it.false_report or it.adoptions or it.instructions):
                # (most items) its submission line is all it earns: what the general steps below make of it,
                # its points known at once — unless the line is shared out or one is added (below)
                if it.joint_units or (commission_marks and it.commission):
                    s = ItemScore(it, [line], True, (), 0, False, 1.0, it.unit)
                    open_total.append(s)
                    if it.joint_units:
                        joint_scores.append(s)
                    if commission_marks and it.commission:
                        marked.append(s)
                else:
                    if tally is not None:
                        counts = tally.get(it.unit)
                        if counts is None:
                            tally[it.unit] = [1, total, 0, {}]
                        else:
                            counts[0] += 1
                            counts[1] += total
                        continue
                    s = ItemScore(it, [line], True, (), 0, False, 1.0, it.unit, total)
                out.append(s)
                continue
            if tally is not None and len(it.adoptions) == 1 and it.event_time is None and not by_adoption \
                    and not (it.false_report or it.instructions or it.joint_units or (commission_marks and it.commission)):
                a = it.adoptions[0]
                if a.multiplier == 1.0 and not any(word in (it.kind or "") for word in type_multipliers):
                    # (most adopted items) the submission line and one adoption's: the points the general
                    # steps below would sum from those two lines
                    points = r4(line.points + a.points)
                    counts = tally.get(it.unit)
                    if counts is None:
                        tally[it.unit] = [1, points, 1, {a.level: 1}]
                    else:
                        counts[0] += 1
                        counts[1] += points
                        counts[2] += 1
                        levels = counts[3]
                        levels[a.level] = levels.get(a.level, 0) + 1
                    continue
            lines = [line]
            s = ItemScore(it, lines, True, (), 0, False, 1.0, it.unit)
        else:
            lines = []
            s = ItemScore(it, lines, False, (), 0, False, 1.0, it.unit)
        if in_period:
            if it.event_time is not None and _late(it, cfg):
                s.late = True
                lines.append(Line("迟报", late_pts, f"事件时间 {it.event_time:%Y-%m-%d %H:%M}，超过时限"))
            if it.false_report:
                lines.append(Line("失实", false_pts))

        if by_adoption:
            def attributed(d, _submitted=sub) -> bool:
                return contains(d or _submitted)
        else:
            attributed = _ALWAYS if in_period else _NEVER

        # adoptions
        ads = it.adoptions  # only read here
        if ads:
            if len(ads) == 1 and attributed is _ALWAYS:
                # one adoption, counted (most adopted items): the line the loops below would make for it
                a = ads[0]
                lines.append(Line(adoption_rule(a.rule), a.points, a.text, a.date))
                s.adopted_levels = (a.level,)
                mult = a.multiplier
                got = 0 + a.points  # sum() of its one line (0 + x, as sum() starts)
            else:
                if highest_adoption:
                    best = max(ads, key=lambda a: (a.points, LEVEL_RANK[a.level]))
                    for a in ads:
                        if not attributed(a.date):
                            continue
                        if a is best:
                            lines.append(Line(adoption_rule(a.rule), a.points, a.text, a.date))
                        else:
                            lines.append(Line(adoption_rule(a.rule), 0.0, f"{a.text}（多次采用只计最高一次）", a.date))
                else:
                    for a in ads:
                        if attributed(a.date):
                            lines.append(Line(adoption_rule(a.rule), a.points, a.text, a.date))
                s.adopted_levels = tuple(sorted({a.level for a in ads if attributed(a.date)}, key=LEVEL_RANK.get))
                mult = max((a.multiplier for a in ads if attributed(a.date)), default=1.0)
                got = sum(l.points for l in lines if l.rule.startswith("采用："))
            if mult != 1.0:
                lines.append(Line(f"采用倍数×{mult:g}", r4(got * (mult - 1)), "按采用计分“倍数”列（如转报上级）"))
            for word, tm in type_multipliers.items():
                if word in (it.kind or ""):
                    lines.append(Line(f"类型倍数×{tm:g}", r4(got * mult * (tm - 1)), f"{word}类信息"))
                    break
        # instructions: first of each level gets 首次分值, further ones of that level 再次分值
        ins = sorted(it.instructions, key=lambda x: (x.date or dt.datetime.max)) if it.instructions else ()
        if ins:
            seen: dict = defaultdict(int)
            ilines = []
            for x in ins:
                first, again = irules.get(x.level, (0.0, 0.0))
                nth = seen[x.level]
                seen[x.level] += 1
                ilines.append((x, first if nth == 0 else again, "首次" if nth == 0 else "再次"))
            if highest_instruction:
                best = max(ilines, key=lambda t: (t[1], LEVEL_RANK[t[0].level]))
                ilines = [(x, p if (x, p, w) == best else 0.0, w if (x, p, w) == best else "不计（只计最高一条）")
                          for x, p, w in ilines]
            for x, p, w in ilines:
                if attributed(x.date):
                    lines.append(Line(f"批示：{x.level}{w if w in ('首次', '再次') else ''}", p, x.text if w in ("首次", "再次") else f"{x.text}（{w}）", x.date))
                    s.instructions += 1
        if in_period or lines:
            out.append(s)
            open_total.append(s)
            if it.joint_units:
                joint_scores.append(s)
            if commission_marks and in_period and it.commission:
                marked.append(s)
    # joint items (联合报送单位): the other units get the item too, split evenly (均分) or in full (全计)
    extra = []
    for s in joint_scores:
        joint = s.item.joint_units
        n = len(joint) + 1
        share = 1.0 / n if joint_mode == "均分" else 1.0
        if share != 1.0:
            s.share = share
            s.lines = [Line(l.rule, r4(l.points * share), "；".join(x for x in (l.note, f"联合报送，{n}家均分") if x), l.date) for l in s.lines]
        submission = joint_submission.get(id(s.item), {})
        shared_lines = s.lines
        s.lines = _own_submission_line(shared_lines, submission.get(s.unit), per * share, cap)
        for u in joint:
            t = ItemScore(s.item, _own_submission_line(shared_lines, submission.get(u), per * share, cap), s.in_period,
                          s.adopted_levels, s.instructions, s.late, share, unit=u)
            extra.append(t)
            if commission_marks and t.in_period and t.item.commission:
                marked.append(t)
    if marked:
        on_time = cfg.other_points("约稿按时完成", 0.0) or 0.0
        for s in marked:
            s.lines.append(Line(COMMISSION_MARK, on_time, "台账标注为约稿"))
    # the points of the other one-line scores, worked out once per line rather than by each score's first
    # .points
    once: dict = {}
    for s in open_total:
        lines = s.lines
        if len(lines) == 1:
            k = id(lines[0])
            v = once.get(k)
            if v is None:
                v = once[k] = r4(lines[0].points)
            s.total = v
    return out, extra


def _in_order(values: list, op) -> bool:
    """op holds between each value and the next (le: ascending, lt: strictly ascending)."""
    return all(map(op, values, islice(values, 1, None)))


def _in_submission_order(items: list) -> list:
    """items sorted by (submitted, seq): by submitted alone, stably, when they are in seq order already
    (as read) — the same order, without a key tuple an item."""
    if _in_order([it.seq for it in items], lt):
        return sorted(items, key=attrgetter("submitted"))
    return sorted(items, key=attrgetter("submitted", "seq"))


def _within_cap(points: float, key: tuple, cap: Optional[float], used: dict) -> float:
    """points as far as the unit's room under its monthly cap allows (key: unit, year, month); used grows."""
    if cap is not None:
        points = max(0.0, min(points, cap - used[key]))
    used[key] += points
    return points


def _own_submission_line(lines: list, points: Optional[float], full: float, cap: Optional[float]) -> list:
    """A copy of a joint item's lines whose 报送每篇 line gives `points`, the receiving unit's own share
    within its own cap (None: the item was not submitted in the period, it has no such line)."""
    out = []
    for l in lines:
        if l.rule == "报送每篇" and points is not None:
            capped = f"本月报送分已达上限 {cap:g} 分" if cap is not None else ""
            notes = [x for x in l.note.split("；") if x and x != capped]
            if points < full:
                notes.insert(0, capped)
            l = Line(l.rule, r4(points), "；".join(notes), l.date)
        else:
            l = Line(l.rule, l.points, l.note, l.date)
        out.append(l)
    return out


def _shared_span(period: Period) -> Period:
    """What score() looks at for a period: from January of its last year (or its start, if earlier) to the
    end of its last month — the period, its year to date, last month and the trend's months."""
    y, m = period.end.year, period.end.month
    return Period("span", min(period.start, dt.date(y, 1, 1)), month_end(y, m), "range", "")


def _by_month(scores: list) -> dict:
    """{(year, month): that month's scores, in order} for scores in submission order (as _score_items makes
    them): each month is one slice, found by binary search rather than item by item."""
    subs = [s.item.submitted for s in scores]
    try:
        ordered = _in_order(subs, le)
    except TypeError:  # dates and datetimes mixed (not from the reader)
        ordered = False
    if not ordered:
        out: dict = defaultdict(list)
        for s in scores:
            out[_month(s.item.submitted)].append(s)
        return dict(out)
    out = {}
    i, n = 0, len(scores)
    while i < n:
        d = subs[i]
        y, m = (d.year + 1, 1) if d.month == 12 else (d.year, d.month + 1)
        j = bisect.bisect_left(subs, type(d)(y, m, 1), i)  # > i: subs[i] is before its next month
        out[(d.year, d.month)] = scores[i:j]
        i = j
    return out


class ScoreBook:
    """Item scores shared by the period, the year to date, last month and the monthly trend.

    Under 归属月份 = 报送日期 an item's points do not depend on the period it is seen from: the monthly cap
    runs per calendar month in submission order, and adoptions and instructions follow the item's own
    submission. So the items are scored once over the widest span and a period made of whole months
    from its first day takes the months it covers (its last month may be cut short: later items never
    change earlier ones' points). Any other period, and every period under 采用日期, is scored on its own.
    Of the months whose totals alone are asked (detail), most scores are only counted (tallies).
    """

    def __init__(self, items: list, commissions: list, cfg: Config, widest: Optional[Period] = None,
                 detail: Optional[list] = None):
        """detail: the (year, month)s whose every score is asked for (the period's); of the other months
        only totals are, and most of their scores are only counted (_score_items' tallies). None: all."""
        self.items, self.cfg = items, cfg
        self.marks = not commissions
        self.widest = None if by_adoption_date(cfg) else widest
        self.own: dict = defaultdict(list)
        self.joint: dict = defaultdict(list)
        self.tallies: dict = {}
        self.duplicates = [it for it in items if it.status == "duplicate"]
        if self.widest is not None:
            own, joint = _score_items(items, cfg, self.widest, self.marks,
                                      None if detail is None else self.tallies, frozenset(detail or ()))
            for bucket, scores in ((self.own, own), (self.joint, joint)):
                bucket.update(_by_month(scores))

    def scores(self, period: Period) -> list:
        """Every score of the period."""
        scores, tallied = self.scores_and_tallies(period)
        if tallied:
            return score_items(self.items, self.cfg, period, commission_marks=self.marks)
        return scores

    def scores_and_tallies(self, period: Period) -> tuple:
        """(the period's scores, {(year, month): {unit: [items, points, adopted, {level: adopted}]}}): of a
        month the book tallies, the scores not made are given as counts and points per unit instead
        (aggregate() adds them up)."""
        w = self.widest
        if w is None or period.start.day != 1 or not (w.start <= period.start and period.end <= w.end):
            return score_items(self.items, self.cfg, period, commission_marks=self.marks), {}
        own, joint, tallied = [], [], {}
        last = _month(period.end)
        for ym in period.months():
            a, b = self.own.get(ym, ()), self.joint.get(ym, ())
            if ym == last and period.end != month_end(*ym):
                if ym in self.tallies:  # a month cut short cannot be taken from its counts
                    return score_items(self.items, self.cfg, period, commission_marks=self.marks), {}
                a = [s for s in a if period.contains(s.item.submitted)]
                b = [s for s in b if period.contains(s.item.submitted)]
            if ym in self.tallies:
                tallied[ym] = self.tallies[ym]
            own += a
            joint += b
        return own + joint, tallied


def commission_lines(commissions: list, cfg: Config, period: Period) -> list:
    """(commission, points, status) for the commissions whose deadline falls in the period."""
    on_time = cfg.other_points("约稿按时完成", 0.0) or 0.0
    overdue = cfg.other_points("约稿逾期未完成", 0.0) or 0.0
    out = []
    for c in commissions:
        if not period.contains(c.deadline):
            continue
        if c.done is not None and c.done.date() <= c.deadline.date():
            out.append((c, on_time, "按时完成"))
        elif c.done is not None:
            out.append((c, overdue, "逾期完成"))
        else:
            out.append((c, overdue, "未完成"))
    return out


def rank_values(keys: list, points: dict, mode: str) -> dict:
    """Rank by points descending: 跳号 (1,1,3) or 连续 (1,1,2)."""
    ordered = sorted({r4(points[k]) for k in keys}, reverse=True)
    if mode == "连续":
        dense = {p: i + 1 for i, p in enumerate(ordered)}
        return {k: dense[r4(points[k])] for k in keys}
    values = sorted(r4(points[k]) for k in keys)
    n = len(values)
    # 1 + how many score more than this one (beyond float noise), by binary search: thousands of 信息员 stay fast
    return {k: 1 + n - bisect.bisect_right(values, r4(points[k]) + EPS) for k in keys}


def ranks(cfg: Config, points: dict, mode: str) -> tuple:
    """(overall rank, rank within group) of every roster unit."""
    overall = rank_values([u.name for u in cfg.units], points, mode)
    group_rank = {}
    for g in cfg.groups():
        group_rank.update(rank_values([u.name for u in cfg.units if u.group == g], points, mode))
    return overall, group_rank


@dataclass
class UnitTotals:
    unit: str
    group: str
    index: int
    submitted: int = 0
    duplicates: int = 0
    adopted: int = 0
    by_level: dict = field(default_factory=lambda: {lv: 0 for lv in LEVELS})
    instructions: int = 0
    points: float = 0.0
    commissions: int = 0
    commissions_on_time: int = 0
    late: int = 0
    false_reports: int = 0


def aggregate(items: list, commissions: list, cfg: Config, period: Period, book: Optional[ScoreBook] = None):
    """Per-unit totals for the period and the item scores behind them (book: scores shared between periods)."""
    if book is None:
        book = ScoreBook(items, commissions, cfg)
    scores, tallied = book.scores_and_tallies(period)
    totals = {u.name: UnitTotals(u.name, u.group, u.index) for u in cfg.units}
    marks = book.marks  # without a 约稿 register, an item marked 约稿 counts as a commission done on time
    of_unit = totals.get
    for month_counts in tallied.values():  # items in the period counted, not scored one by one
        for unit, (n, pts, adopted, levels) in month_counts.items():
            t = of_unit(unit)
            if t is not None:
                t.submitted += n
                t.points += pts
                if adopted:
                    t.adopted += adopted
                    by_level = t.by_level
                    for lv, k in levels.items():
                        by_level[lv] += k
    for s in scores:  # half a million scores a year, seen once a month of the trend: no call that can be spared
        t = of_unit(s.unit)
        if t is None:
            continue
        if s.in_period:
            t.submitted += 1
            if s.late:
                t.late += 1
            it = s.item
            if it.false_report:
                t.false_reports += 1
            if marks and it.commission:
                # (its points are a line of the item's score, counted below)
                t.commissions += 1
                t.commissions_on_time += 1
        levels = s.adopted_levels
        if levels:
            t.adopted += 1
            by_level = t.by_level
            for lv in levels:
                by_level[lv] += 1
        if s.instructions:
            t.instructions += s.instructions
        p = s.total
        t.points += p if p is not None else s.points
    for it in period.submitted_within(book.duplicates):
        if it.unit in totals:
            totals[it.unit].duplicates += 1
    clines = commission_lines(commissions, cfg, period)
    for c, pts, status in clines:
        t = totals.get(c.unit)
        if t is None:
            continue
        t.commissions += 1
        t.commissions_on_time += int(status == "按时完成")
        t.points += pts
    adjustments = unit_adjustments(items, commissions, cfg, period, scores, tallied)
    for unit, _rule, pts, _note in adjustments:
        if unit in totals:
            totals[unit].points += pts
    for t in totals.values():
        t.points = r4(t.points)
    return totals, scores, clines, adjustments


def unit_adjustments(items: list, commissions: list, cfg: Config, period: Period, scores: list,
                     tallied: Optional[dict] = None) -> list:
    """Points a unit earns or loses as a whole: 每月基础分, 缺报每篇, 季度采用率不达标. [(unit, rule, points, note)]
    tallied: scores of the period given as counts (ScoreBook.scores_and_tallies)."""
    out = []
    base = cfg.other_points("每月基础分", 0.0) or 0.0
    short = cfg.other_points("缺报每篇", 0.0) or 0.0
    if base or short:
        per_month: dict = defaultdict(int)
        for s in scores:
            if s.in_period:
                per_month[(s.unit, _month(s.item.submitted))] += 1
        for ym, month_counts in (tallied or {}).items():
            for unit, counts in month_counts.items():
                per_month[(unit, ym)] += counts[0]
        for u in cfg.units:
            quota = cfg.quota_of(u)
            for ym in period.task_months():
                if base:
                    out.append((u.name, "每月基础分", base, f"{ym[0]}年{ym[1]}月"))
                missing = max(0, math.ceil(quota - per_month[(u.name, ym)] - EPS))
                if short and missing:
                    out.append((u.name, "缺报每篇", r4(short * missing), f"{ym[0]}年{ym[1]}月差{missing}篇"))
    penalty = cfg.other_points("季度采用率不达标", 0.0) or 0.0
    floor = cfg.setting("季度采用率下限")
    if penalty and isinstance(floor, (int, float)):
        for y, m in period.months():
            if m % 3:
                continue
            q0 = dt.date(y, m - 2, 1)
            q1 = month_end(y, m)
            sub: dict = defaultdict(int)
            adopted: dict = defaultdict(int)
            for it in items:
                if it.status == "counted" and q0 <= it.submitted.date() <= q1:
                    sub[it.unit] += 1
                    adopted[it.unit] += int(bool(it.adoptions))
            for u in cfg.units:
                rate = adopted[u.name] / sub[u.name] if sub[u.name] else 0.0
                if rate + EPS < floor:
                    out.append((u.name, "季度采用率不达标", penalty,
                                f"{y}年第{(m // 3)}季度采用率 {rate:.1%}，低于 {floor:.0%}"))
    return out


def missed_commissions(commissions: list, upto: dt.date) -> dict:
    """Commissions overdue or not done whose deadline is in the year up to `upto`, per unit."""
    out: dict = defaultdict(int)
    for c in commissions:
        d = c.deadline.date()
        if d.year == upto.year and d <= upto and (c.done is None or c.done.date() > d):
            out[c.unit] += 1
    return out


def display_order(totals: dict, keys: list) -> list:
    """Ranking order: points desc, then 采用篇数, 报送篇数, roster order."""
    return sorted(keys, key=lambda k: (-r4(totals[k].points), -totals[k].adopted, -totals[k].submitted, totals[k].index))


def score(items: list, commissions: list, cfg: Config, period: Period, *, with_ytd: bool = True) -> dict:
    """The whole scoring of a period: units, authors, totals, plus details for the writers."""
    mode = cfg.setting("并列排名") or "跳号"
    # the period, its year to date and the trend's months (January to the period's last month) share one scoring
    # (of the other months only totals are asked: most of their scores are only counted)
    book = ScoreBook(items, commissions, cfg, _shared_span(period), detail=period.months())
    # each month from January to the period's last month, summed once: the trend shows them, a month's
    # period is its last one (under 报送日期: under 采用日期 the trend's month sees only what was submitted
    # by its end, the period everything), and the year to date is their sum (below)
    months = _trend_months(items, commissions, cfg, period, book)
    last = months[-1][1] if months else None
    if last is not None and book.widest is not None and period.kind == "month" \
            and months[-1][0].start == period.start and months[-1][0].end == period.end:
        totals, scores, clines, adjustments = last
    else:
        totals, scores, clines, adjustments = aggregate(items, commissions, cfg, period, book)
    names = [u.name for u in cfg.units]
    # a year with too many missed commissions zeroes the unit's annual score
    zero_after = cfg.setting("约稿未完成清零次数")
    zeroed = {}
    if isinstance(zero_after, (int, float)) and zero_after > 0:
        missed = missed_commissions(commissions, period.end)
        zeroed = {u: n for u, n in missed.items() if n >= zero_after}
    if period.kind == "year":
        for u, n in zeroed.items():
            if u in totals and totals[u].points:
                adjustments.append((u, "约稿未完成清零", -totals[u].points, f"全年约稿逾期未完成{n}次，全年得分清零"))
                totals[u].points = 0.0
    pts = {k: totals[k].points for k in names}
    overall, group_rank = ranks(cfg, pts, mode)
    ytd_totals = ytd_rank = None
    if with_ytd:
        ytd = period.year_to_date()
        ytd_totals = _sum_of_months(months, ytd, book)
        if ytd_totals is None:
            ytd_totals, _, _, _ = aggregate(items, commissions, cfg, ytd, book)
        for u in zeroed:
            if u in ytd_totals:
                ytd_totals[u].points = 0.0
        ytd_rank, _ = ranks(cfg, {k: ytd_totals[k].points for k in names}, mode)
    nmonths = len(period.task_months())
    units = []
    for name in display_order(totals, names):
        t = totals[name]
        u = next(x for x in cfg.units if x.name == name)
        quota = r4(cfg.quota_of(u) * nmonths)
        row = {
            "unit": name, "group": t.group, "submitted": t.submitted, "duplicates": t.duplicates,
            "adopted": t.adopted, "adopted_by_level": dict(t.by_level), "instructions": t.instructions,
            "points": t.points, "adoption_rate": r4(t.adopted / t.submitted) if t.submitted else 0.0,
            "quota": int(quota) if float(quota).is_integer() else quota,
            "quota_met": t.submitted >= quota - EPS, "shortfall": max(0, math.ceil(quota - t.submitted - EPS)),
            "rank": overall[name], "group_rank": group_rank[name],
            "commissions": t.commissions, "commissions_on_time": t.commissions_on_time,
            "late": t.late, "false_reports": t.false_reports,
            "contact": u.contact, "email": u.email, "order": u.index,
        }
        if ytd_totals is not None:
            y = ytd_totals[name]
            row.update({"ytd_submitted": y.submitted, "ytd_adopted": y.adopted, "ytd_points": y.points,
                        "ytd_rank": ytd_rank[name]})
        units.append(row)
    # 信息员 (authors)
    agg: dict = {}
    for s in scores:
        author = (getattr(s.item, "author", "") or "").strip()
        if not author:
            continue
        a = agg.setdefault((author, s.unit), {"author": author, "unit": s.unit, "submitted": 0, "adopted": 0, "points": 0.0})
        a["submitted"] += int(s.in_period)
        a["adopted"] += int(bool(s.adopted_levels))
        a["points"] += s.points
    index = {u.name: u.index for u in cfg.units}
    alist = list(agg.values())
    for a in alist:
        a["points"] = r4(a["points"])
    keys = list(range(len(alist)))
    arank = rank_values(keys, {k: alist[k]["points"] for k in keys}, mode)
    for k in keys:
        alist[k]["rank"] = arank[k]
    alist.sort(key=lambda a: (a["rank"], -a["adopted"], -a["submitted"], index.get(a["unit"], 1 << 30), a["author"]))
    trend = monthly_trend(items, commissions, cfg, period, book, months=months)
    prev = period.previous_month()
    prev_rank = None
    if prev is not None:
        if prev.end.year == period.end.year and trend["months"]:
            i = len(trend["months"]) - 2
            prev_rank = {n: trend["units"][n]["ranks"][i] for n in names} if i >= 0 else None
        else:
            pt, _, _, _ = aggregate(items, commissions, cfg, prev, book)
            prev_rank, _ = ranks(cfg, {k: pt[k].points for k in names}, mode)
    for row in units:
        row["rank_change"] = _change(prev_rank.get(row["unit"]) if prev_rank else None, row["rank"])
    totals_row = {
        "submitted": sum(u["submitted"] for u in units),
        "adopted": sum(u["adopted"] for u in units),
        "points": r4(sum(u["points"] for u in units)),
        "instructions": sum(u["instructions"] for u in units),
        "adopted_by_level": {lv: sum(u["adopted_by_level"][lv] for u in units) for lv in LEVELS},
        "units": len(units),
        "zero_units": [u.name for u in cfg.units if totals[u.name].submitted == 0],
        "unmet_units": [u["unit"] for u in sorted(units, key=lambda x: index[x["unit"]]) if not u["quota_met"]],
    }
    totals_row["adoption_rate"] = r4(totals_row["adopted"] / totals_row["submitted"]) if totals_row["submitted"] else 0.0
    return {
        "office": cfg.office,
        "period": period.to_dict(),
        "groups": cfg.groups(),
        "units": units,
        "authors": alist,
        "totals": totals_row,
        "trend": trend,
        "assessment": annual_assessment(units, cfg, trend, zeroed) if period.kind == "year" else None,
        "_scores": scores,
        "_commissions": clines,
        "_adjustments": adjustments,
        "_zeroed": zeroed,
    }


def _change(before, now) -> str:
    """Rank change against last month: ↑2 (moved up two places), ↓1, or — (same / no previous)."""
    if before is None or before == now:
        return "—"
    return f"↑{before - now}" if now < before else f"↓{now - before}"


def _trend_months(items: list, commissions: list, cfg: Config, period: Period, book: ScoreBook) -> list:
    """[(month, aggregate(...) of that month)] from January to the period's last month."""
    y, last = period.end.year, period.end.month
    out = []
    for m in range(1, last + 1):
        p = month(y, m)
        if book.widest is None:  # 采用日期: what was known by the month's end
            out.append((p, aggregate([it for it in items if it.submitted.date() <= p.end], commissions, cfg, p)))
        else:
            out.append((p, aggregate(items, commissions, cfg, p, book)))
    return out


_ADDITIVE = ("submitted", "duplicates", "adopted", "instructions", "points", "commissions", "commissions_on_time",
             "late", "false_reports")


def _sum_of_months(months: list, ytd: Period, book: ScoreBook) -> Optional[dict]:
    """The year to date's totals as the sum of its months' (None when it is not made of those months).

    Every figure of aggregate() is a sum over the period's items, commissions and months (base points and
    shortfalls per month, the quarterly penalty in the quarter's last month), so whole months add up —
    under 报送日期, where an item's points do not depend on the period (ScoreBook). Points are sums of
    amounts rounded to 0.0001: adding them in another order moves the float by far less than that, and
    r4() gives the same total (tests/test_scoring.py compares with aggregate() over the year to date)."""
    if book.widest is None or not months or ytd.start != months[0][0].start or ytd.end != months[-1][0].end:
        return None
    out = None
    for _p, (t, _s, _c, _a) in months:
        if out is None:
            out = {k: UnitTotals(v.unit, v.group, v.index, by_level={lv: 0 for lv in v.by_level}) for k, v in t.items()}
        for k, v in t.items():
            o = out[k]
            for f in _ADDITIVE:
                setattr(o, f, getattr(o, f) + getattr(v, f))
            for lv, n in v.by_level.items():
                o.by_level[lv] += n
    for o in out.values():
        o.points = r4(o.points)
    return out


def monthly_trend(items: list, commissions: list, cfg: Config, period: Period, book: Optional[ScoreBook] = None,
                  *, months: Optional[list] = None) -> dict:
    """Each unit's points, rank and submissions month by month, January to the period's last month.

    months: _trend_months() already computed for this period and book."""
    mode = cfg.setting("并列排名") or "跳号"
    if book is None:
        book = ScoreBook(items, commissions, cfg, _shared_span(period))
    if months is None:
        months = _trend_months(items, commissions, cfg, period, book)
    names = [u.name for u in cfg.units]
    out = {"months": [], "units": {n: {"points": [], "ranks": [], "submitted": []} for n in names}}
    for p, (t, _, _, _) in months:
        rk = rank_values(names, {k: t[k].points for k in names}, mode)
        out["months"].append(p.label)
        for n in names:
            out["units"][n]["points"].append(t[n].points)
            out["units"][n]["ranks"].append(rk[n])
            out["units"][n]["submitted"].append(t[n].submitted)
    return out


def annual_assessment(units: list, cfg: Config, trend: dict, zeroed: dict) -> dict:
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
            reasons = []
            if u["unit"] in zeroed:
                reasons.append("约稿未完成，全年清零")
            if no_award_if_false and u.get("false_reports"):
                reasons.append("有失实信息")
            if u["points"] <= 0:
                reasons.append("得分为零")
            if not u["quota_met"]:
                reasons.append("未完成全年任务")
            award = not reasons and awarded < n_award
            awarded += int(award)
            zero_months = [m for m, n in zip(trend["months"], trend["units"][u["unit"]]["submitted"]) if n == 0]
            rows.append({"unit": u["unit"], "points": u["points"], "group_rank": u["group_rank"],
                         "submitted": u["submitted"], "quota": u["quota"], "quota_met": u["quota_met"],
                         "advanced": award, "not_eligible": "；".join(reasons), "zero_months": zero_months})
        groups.append({"group": g, "units": rows})
    return {"awards_per_group": n_award, "groups": groups}
