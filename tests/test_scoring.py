"""Scoring is pure: hand-computed cases per rule, and properties that must hold for any input."""
import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govxl.normalise.config import Unit, default_config
from govxl.score.periods import month, parse_period
from govxl.normalise.registers import Adoption, Commission, Instruction, Item, mark_duplicates
from govxl.score.scoring import score

D = dt.datetime
OCT = month(2025, 10)


def cfg_with(units=("甲镇", "乙镇", "丙局"), groups=("乡镇", "乡镇", "县直"), quotas=(2, 2, 1), **settings):
    cfg = default_config()
    cfg.units = [Unit(n, g, (), q, "", "", i, i) for i, (n, g, q) in enumerate(zip(units, groups, quotas))]
    cfg.settings.update(settings)
    return cfg


_seq = iter(range(1, 10 ** 9))


def item(unit, day, title=None, *, adoptions=(), instructions=(), month_=10, **kw):
    n = next(_seq)
    return Item(seq=n, unit=unit, title=title or f"{unit}信息{n}", submitted=D(2025, month_, day),
                file="f.xlsx", sheet="S", row=n, adoptions=list(adoptions), instructions=list(instructions), **kw)


def ad(level, rule, points, date=None):
    return Adoption(level, rule, points, rule, date)


def units_by_name(res):
    return {u["unit"]: u for u in res["units"]}


def test_submission_points_capped_per_month():
    cfg = cfg_with()
    items = [item("甲镇", d) for d in range(1, 13)]  # 12 × 0.5 = 6, cap 5
    items += [item("乙镇", 3)]
    u = units_by_name(score(items, [], cfg, OCT))
    assert u["甲镇"]["points"] == 5.0 and u["甲镇"]["submitted"] == 12
    assert u["乙镇"]["points"] == 0.5


def test_cap_blank_means_no_cap():
    cfg = cfg_with()
    cfg.other["报送每月上限"] = None
    u = units_by_name(score([item("甲镇", d) for d in range(1, 13)], [], cfg, OCT))
    assert u["甲镇"]["points"] == 6.0


@pytest.mark.parametrize("mode, expected", [("最高", 0.5 + 20), ("累计", 0.5 + 20 + 5 + 2)])
def test_multiple_adoptions(mode, expected):
    cfg = cfg_with(**{"多次采用计分": mode})
    it = item("甲镇", 5, adoptions=[ad("省级", "省级专报", 20), ad("市级", "市级", 5), ad("县级", "县级", 2)])
    u = units_by_name(score([it], [], cfg, OCT))["甲镇"]
    assert u["points"] == expected
    assert u["adopted"] == 1 and u["adopted_by_level"] == {"县级": 1, "市级": 1, "省级": 1, "国家级": 0}


@pytest.mark.parametrize("mode, expected", [
    ("累计", 0.5 + 10 + 5 + 5 + 3),  # 市 first 10, 市 again 5 twice, 县 first 3
    ("最高", 0.5 + 10),
])
def test_instructions_first_and_again(mode, expected):
    cfg = cfg_with(**{"批示计分": mode})
    ins = [Instruction("市级", "市长批示", D(2025, 10, 6)), Instruction("市级", "副市长批示", D(2025, 10, 7)),
           Instruction("县级", "县长批示", D(2025, 10, 8)), Instruction("市级", "市委书记批示", D(2025, 10, 9))]
    res = score([item("甲镇", 5, instructions=ins)], [], cfg, OCT)
    u = units_by_name(res)["甲镇"]
    assert u["points"] == expected and u["instructions"] == 4


def test_duplicates_earn_nothing_and_do_not_count_toward_quota():
    cfg = cfg_with()
    a = item("甲镇", 3, "同一标题", adoptions=[ad("市级", "市级", 5)])
    b = item("甲镇", 8, "同一标题！", adoptions=[ad("市级", "市级", 5)])
    mark_duplicates([b, a], "首报")
    u = units_by_name(score([a, b], [], cfg, OCT))["甲镇"]
    assert (u["submitted"], u["duplicates"], u["points"], u["quota_met"], u["shortfall"]) == (1, 1, 5.5, False, 1)


def test_attribution_by_submission_vs_adoption_date():
    it = item("甲镇", 28, month_=9, adoptions=[ad("市级", "市级", 5, D(2025, 10, 10))])
    sep, oct_ = month(2025, 9), OCT
    by_sub = cfg_with()
    assert units_by_name(score([it], [], by_sub, sep))["甲镇"]["points"] == 5.5
    assert units_by_name(score([it], [], by_sub, oct_))["甲镇"]["points"] == 0
    by_ad = cfg_with(**{"归属月份": "采用日期"})
    s = units_by_name(score([it], [], by_ad, sep))["甲镇"]
    o = units_by_name(score([it], [], by_ad, oct_))["甲镇"]
    assert (s["points"], s["adopted"], s["submitted"]) == (0.5, 0, 1)
    assert (o["points"], o["adopted"], o["submitted"]) == (5, 1, 0)


def test_quota_and_status_over_a_quarter():
    cfg = cfg_with()
    items = [item("甲镇", d, month_=m) for m in (7, 8, 9) for d in (1, 2)] + [item("乙镇", 1, month_=8)]
    u = units_by_name(score(items, [], cfg, parse_period(quarter="2025-Q3")))
    assert (u["甲镇"]["quota"], u["甲镇"]["quota_met"]) == (6, True)
    assert (u["乙镇"]["quota"], u["乙镇"]["quota_met"], u["乙镇"]["shortfall"]) == (6, False, 5)
    assert (u["丙局"]["quota"], u["丙局"]["submitted"], u["丙局"]["shortfall"]) == (3, 0, 3)


def test_every_roster_unit_present_and_zero_units_named():
    cfg = cfg_with()
    res = score([item("甲镇", 2)], [], cfg, OCT)
    assert [u["unit"] for u in res["units"]] == ["甲镇", "乙镇", "丙局"]
    assert res["totals"]["zero_units"] == ["乙镇", "丙局"]


@pytest.mark.parametrize("mode, ranks", [("跳号", [1, 1, 3]), ("连续", [1, 1, 2])])
def test_tied_ranks_and_display_order(mode, ranks):
    cfg = cfg_with(**{"并列排名": mode})
    items = [item("乙镇", 1, adoptions=[ad("县级", "县级", 2)]), item("乙镇", 2),  # 0.5+2+0.5 = 3
             item("丙局", 1, adoptions=[ad("县级", "县级", 2)]), item("丙局", 2),  # 3, same adopted & submitted
             item("甲镇", 1)]  # 0.5
    res = score(items, [], cfg, OCT)
    # tie 乙镇/丙局: same 采用篇数 and 报送篇数 → roster order (乙镇 before 丙局)
    assert [(u["unit"], u["rank"]) for u in res["units"]] == list(zip(["乙镇", "丙局", "甲镇"], ranks))
    g = units_by_name(res)
    assert (g["乙镇"]["group_rank"], g["甲镇"]["group_rank"], g["丙局"]["group_rank"]) == (1, 2, 1)


def test_tie_broken_by_adoptions_then_submissions():
    cfg = cfg_with()
    cfg.other["报送每篇"] = 0
    items = [item("甲镇", 1, adoptions=[ad("市级", "市级", 5)]),  # 5 points, 1 adopted
             item("乙镇", 1, adoptions=[ad("县级", "县级", 2)]), item("乙镇", 2, adoptions=[ad("县级", "县级", 3)])]
    items[2].adoptions[0].points = 3  # 2 + 3 = 5 points, 2 adopted
    res = score(items, [], cfg, OCT)
    assert [u["unit"] for u in res["units"]][:2] == ["乙镇", "甲镇"]
    assert res["units"][0]["rank"] == res["units"][1]["rank"] == 1


def test_ytd_figures():
    cfg = cfg_with()
    items = [item("甲镇", 5, month_=m, adoptions=[ad("县级", "县级", 2)]) for m in range(1, 11)]
    items.append(item("甲镇", 5, month_=11))
    u = units_by_name(score(items, [], cfg, OCT))["甲镇"]
    assert (u["points"], u["ytd_points"], u["ytd_submitted"], u["ytd_adopted"], u["ytd_rank"]) == (2.5, 25.0, 10, 10, 1)


def test_late_and_false_reports():
    cfg = cfg_with()
    urgent = item("甲镇", 1, kind="紧急", event_time=D(2025, 9, 30, 23, 0))  # 1 hour after: late (30 min)
    important = item("甲镇", 2, kind="重要", event_time=D(2025, 10, 1, 8, 0))  # 16 h: in time
    normal = item("甲镇", 5, event_time=D(2025, 10, 2))  # 72 h: late
    false = item("乙镇", 5, false_report=True)
    res = score([urgent, important, normal, false], [], cfg, OCT)
    u = units_by_name(res)
    assert u["甲镇"]["points"] == 1.5 - 2 and u["甲镇"]["late"] == 2
    assert u["乙镇"]["points"] == 0.5 - 10


def test_commissions_attributed_to_deadline_month():
    cfg = cfg_with()
    cs = [Commission("甲镇", "秋收", None, D(2025, 10, 10), D(2025, 10, 9), "f", "S", 2),
          Commission("甲镇", "防汛", None, D(2025, 10, 20), D(2025, 10, 22), "f", "S", 3),
          Commission("乙镇", "招商", None, D(2025, 10, 25), None, "f", "S", 4),
          Commission("乙镇", "冬修", None, D(2025, 11, 5), None, "f", "S", 5)]
    u = units_by_name(score([], cs, cfg, OCT))
    assert (u["甲镇"]["points"], u["甲镇"]["commissions"], u["甲镇"]["commissions_on_time"]) == (0.0, 2, 1)
    assert (u["乙镇"]["points"], u["乙镇"]["commissions"]) == (-2.0, 1)


def test_authors_ranking():
    cfg = cfg_with()
    items = [item("甲镇", 1, author="张三", adoptions=[ad("市级", "市级", 5)]), item("甲镇", 2, author="张三"),
             item("乙镇", 1, author="李四"), item("乙镇", 2, author="")]
    res = score(items, [], cfg, OCT)
    assert [(a["author"], a["unit"], a["submitted"], a["adopted"], a["points"], a["rank"]) for a in res["authors"]] == [
        ("张三", "甲镇", 2, 1, 6.0, 1), ("李四", "乙镇", 1, 0, 0.5, 2)]


def test_adoption_rate_and_totals():
    cfg = cfg_with()
    items = [item("甲镇", 1, adoptions=[ad("县级", "县级", 2)]), item("甲镇", 2), item("甲镇", 3)]
    res = score(items, [], cfg, OCT)
    assert units_by_name(res)["甲镇"]["adoption_rate"] == round(1 / 3, 4)
    assert res["totals"]["submitted"] == 3 and res["totals"]["adopted"] == 1 and res["totals"]["points"] == 3.5
    assert units_by_name(res)["乙镇"]["adoption_rate"] == 0.0


# ---- properties ------------------------------------------------------------------

def random_items(seed, n):
    rnd = random.Random(seed)
    items = []
    for i in range(n):
        m = rnd.randint(1, 12)
        ads = []
        for _ in range(rnd.choice([0, 0, 1, 2])):
            lv, rule, p = rnd.choice([("县级", "县级", 2), ("市级", "市级专报", 10), ("省级", "省级", 10), ("国家级", "国家级", 30)])
            ads.append(Adoption(lv, rule, p, rule, D(2025, m, rnd.randint(1, 28))))
        ins = [Instruction(rnd.choice(["县级", "市级"]), "批示", D(2025, m, 28)) for _ in range(rnd.choice([0, 0, 0, 1, 2]))]
        items.append(Item(seq=i + 1, unit=rnd.choice(["甲镇", "乙镇", "丙局"]), title=f"标题{rnd.randint(1, n)}",
                          submitted=D(2025, m, rnd.randint(1, 28), rnd.randint(0, 23)), file="f", sheet="S", row=i + 2,
                          adoptions=ads, instructions=ins, author=rnd.choice(["张", "李", ""])))
    return items


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(1, 60), st.sampled_from(["最高", "累计"]))
def test_points_do_not_depend_on_file_or_row_order(seed, n, mode):
    cfg = cfg_with(**{"多次采用计分": mode})
    items = random_items(seed, n)
    shuffled = list(items)
    random.Random(seed + 1).shuffle(shuffled)
    # re-number the register order consistently: the same item keeps its seq
    mark_duplicates(items, "首报")
    res_a = score(items, [], cfg, OCT)
    for it in shuffled:
        it.status, it.dup_of = "counted", None
    mark_duplicates(shuffled, "首报")
    res_b = score(shuffled, [], cfg, OCT)
    strip = lambda r: [{k: v for k, v in u.items()} for u in r["units"]]  # noqa: E731
    assert strip(res_a) == strip(res_b)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(1, 80))
def test_ytd_equals_sum_of_months(seed, n):
    cfg = cfg_with()
    items = random_items(seed, n)
    mark_duplicates(items, "首报")
    end = month(2025, 9)
    ytd = units_by_name(score(items, [], cfg, end))
    for name in ("甲镇", "乙镇", "丙局"):
        months = [units_by_name(score(items, [], cfg, month(2025, m)))[name] for m in range(1, 10)]
        assert round(sum(u["points"] for u in months), 4) == ytd[name]["ytd_points"]
        assert sum(u["submitted"] for u in months) == ytd[name]["ytd_submitted"]
        assert sum(u["adopted"] for u in months) == ytd[name]["ytd_adopted"]


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(1, 80), st.sampled_from([None, 1.5]))
def test_scores_shared_between_periods_equal_scores_of_each_period(seed, n, cap):
    """score() scores the year once (ScoreBook) and takes each period's months from it: the totals and every
    item's lines must be what scoring that period on its own gives, with a monthly cap, joint items and
    items marked 约稿 (no commission register), for whole months, a quarter, a range ending mid-month and
    one starting mid-month (scored on its own)."""
    from govxl.score.scoring import ScoreBook, aggregate

    cfg = cfg_with(**{"重复信息处理": "均分"})
    cfg.other["报送每月上限"] = cap
    cfg.other["类型倍数：调研"] = 2.0
    items = random_items(seed, n)
    rnd = random.Random(seed)
    for it in items:
        if rnd.random() < 0.2:
            it.joint_units = (rnd.choice(["甲镇", "乙镇", "丙局"]),)
        it.commission = rnd.random() < 0.2
        # what keeps an item with one adoption out of the counts: a multiplier, a multiplied type, lateness
        if it.adoptions and rnd.random() < 0.2:
            it.adoptions[0].multiplier = 1.5
        it.kind = "调研" if rnd.random() < 0.15 else "动态"
        if rnd.random() < 0.1:
            it.event_time = it.submitted - dt.timedelta(days=rnd.choice([0, 5]))
    mark_duplicates(items, "首报")
    widest = parse_period(from_="2025-01-01", to="2025-12-31")
    book = ScoreBook(items, [], cfg, widest)
    periods = [month(2025, m) for m in range(1, 13)] + [
        parse_period(quarter="2025-Q2"), parse_period(from_="2025-01-01", to="2025-09-14"),
        parse_period(from_="2025-03-10", to="2025-05-20"), parse_period(year="2025")]
    # a book that keeps every score of June only, and counts most of the other months' (tallies)
    counted = ScoreBook(items, [], cfg, widest, detail=[(2025, 6)])
    lines = lambda scores: [(s.item.seq, s.unit, s.in_period, s.adopted_levels, s.lines) for s in scores]  # noqa: E731
    for p in periods:
        shared = aggregate(items, [], cfg, p, book)
        alone = aggregate(items, [], cfg, p)
        assert shared[0] == alone[0], p.label
        assert lines(shared[1]) == lines(alone[1]), p.label
        assert aggregate(items, [], cfg, p, counted)[0] == alone[0], p.label
        assert lines(counted.scores(p)) == lines(alone[1]), p.label  # every score, when asked for
    assert (2025, 6) not in counted.tallies and (counted.tallies or n < 40)
    assert lines(aggregate(items, [], cfg, month(2025, 6), counted)[1]) == lines(aggregate(items, [], cfg, month(2025, 6))[1])


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(1, 80), st.sampled_from([None, 1.5]), st.sampled_from(["均分", "全计"]),
       st.booleans(), st.integers(1, 12))
def test_year_to_date_as_sum_of_its_months_equals_the_year_to_date_scored_whole(seed, n, cap, joint_mode, register,
                                                                                 last):
    """score() adds the trend's months up for the year to date (_sum_of_months): every total — points
    with a monthly cap, joint items, 约稿 marks or a 约稿 register, base points, shortfalls, the quarterly
    penalty, duplicates — must equal aggregate() over the year to date itself."""
    from govxl.score.scoring import ScoreBook, _shared_span, _sum_of_months, _trend_months, aggregate

    cfg = cfg_with(**{"重复信息处理": joint_mode, "季度采用率下限": 0.3})
    cfg.other.update({"报送每月上限": cap, "每月基础分": 1.5, "缺报每篇": -0.35, "季度采用率不达标": -2.25,
                      "约稿按时完成": 0.7, "约稿逾期未完成": -1.1})
    rnd = random.Random(seed)
    items = random_items(seed, n)
    for it in items:
        if rnd.random() < 0.2:
            it.joint_units = (rnd.choice(["甲镇", "乙镇", "丙局"]),)
        it.commission = rnd.random() < 0.2
        it.false_report = rnd.random() < 0.1
        if it.adoptions and rnd.random() < 0.2:
            it.adoptions[0].multiplier = 1.5
    commissions = [Commission(rnd.choice(["甲镇", "乙镇", "丙局", "外单位"]), "约稿", None,
                              D(2025, rnd.randint(1, 12), rnd.randint(1, 28)),
                              rnd.choice([None, D(2025, rnd.randint(1, 12), rnd.randint(1, 28))]), "f", "S", i + 2)
                   for i in range(rnd.randint(0, 8))] if register else []
    mark_duplicates(items, "首报")
    period = month(2025, last)
    book = ScoreBook(items, commissions, cfg, _shared_span(period))
    months = _trend_months(items, commissions, cfg, period, book)
    ytd = period.year_to_date()
    summed = _sum_of_months(months, ytd, book)
    whole, _, _, _ = aggregate(items, commissions, cfg, ytd, book)
    assert summed == whole
    assert summed == aggregate(items, commissions, cfg, ytd)[0]  # and without the shared book
    # the book score() makes: every score of the period's month, the earlier months' mostly counted
    counted = ScoreBook(items, commissions, cfg, _shared_span(period), detail=period.months())
    by_counts = _trend_months(items, commissions, cfg, period, counted)
    assert [t for _p, (t, _s, _c, _a) in by_counts] == [t for _p, (t, _s, _c, _a) in months]
    assert [a for _p, (_t, _s, _c, a) in by_counts] == [a for _p, (_t, _s, _c, a) in months]
    assert _sum_of_months(by_counts, ytd, counted) == whole == aggregate(items, commissions, cfg, ytd, counted)[0]
    # a year to date that ends inside a month is not made of the trend's months: scored whole
    assert _sum_of_months(months, parse_period(from_="2025-01-01", to=f"2025-{last:02d}-15"), book) is None
    # 采用日期: a month's figures are what was known by its end, so months do not add up to the year
    cfg.settings["归属月份"] = "采用日期"
    book = ScoreBook(items, commissions, cfg, _shared_span(period))
    assert _sum_of_months(_trend_months(items, commissions, cfg, period, book), ytd, book) is None


@settings(max_examples=60, deadline=None)
@given(st.lists(st.datetimes(min_value=D(2023, 11, 1), max_value=D(2025, 2, 28)), max_size=60), st.booleans())
def test_scores_by_month_are_the_months_of_their_items(dates, ordered):
    """ScoreBook splits scores in submission order into months by binary search (_by_month): the same
    months, in the same order, as putting each score in its month; scores out of order, or mixing dates
    and datetimes, are put one by one."""
    from types import SimpleNamespace

    from govxl.score.scoring import _by_month

    if ordered:
        dates = sorted(dates)
    if dates and not ordered:
        dates[0] = dates[0].date()  # a date among datetimes: cannot be compared, still grouped
    scores = [SimpleNamespace(item=SimpleNamespace(submitted=d), n=i) for i, d in enumerate(dates)]
    expected: dict = {}
    for s in scores:
        expected.setdefault((s.item.submitted.year, s.item.submitted.month), []).append(s)
    assert _by_month(scores) == expected


@settings(max_examples=80, deadline=None)
@given(st.lists(st.one_of(st.datetimes(min_value=D(2025, 9, 1), max_value=D(2025, 11, 30)),
                          st.dates(min_value=dt.date(2025, 9, 1), max_value=dt.date(2025, 11, 30)),
                          st.none(),
                          st.datetimes(min_value=D(2025, 9, 1), max_value=D(2025, 11, 30),
                                       timezones=st.just(dt.timezone.utc))), max_size=40),
       st.sampled_from(["plain", "mixed"]))
def test_submitted_within_is_contains_item_by_item(values, kind):
    """Period.submitted_within compares datetimes directly; with dates, None or aware datetimes among them it
    falls back to contains() — the same items, in the same order, either way (October's first and last
    instants included)."""
    from types import SimpleNamespace

    if kind == "plain":
        values = [v for v in values if isinstance(v, dt.datetime) and v.tzinfo is None]
        values += [D(2025, 10, 1), D(2025, 10, 31, 23, 59, 59, 999999), D(2025, 11, 1), D(2025, 9, 30, 23, 59)]
    items = [SimpleNamespace(submitted=v) for v in values]
    assert OCT.submitted_within(items) == [it for it in items if OCT.contains(it.submitted)]


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["秋收", "秋收。", "春耕", "", "！", "防汛 工作", "防汛工作"]),
                          st.integers(1, 4), st.integers(0, 2)), max_size=40), st.randoms())
def test_mark_duplicates_keeps_the_first_report_of_each_title(rows, rnd):
    """首报: among items whose titles normalise alike, the earliest submitted (then the earliest in register
    order) counts and the others point to it — as a scan of all items in (submitted, seq) order decides."""
    def items_of():
        return [Item(seq=i + 1, unit="甲镇", title=t, submitted=D(2025, 10, day, hour), file="f", sheet="S", row=i + 2)
                for i, (t, day, hour) in enumerate(rows)]

    got = items_of()
    rnd.shuffle(got)  # the list's order must not matter
    mark_duplicates(got, "首报")
    want = items_of()
    first: dict = {}
    for it in sorted(want, key=lambda x: (x.submitted, x.seq)):
        if not it.title_key:
            continue
        if it.title_key in first:
            it.status, it.dup_of = "duplicate", first[it.title_key].seq
        else:
            first[it.title_key] = it
    assert sorted((it.seq, it.status, it.dup_of) for it in got) == sorted((it.seq, it.status, it.dup_of) for it in want)


def test_by_adoption_date_a_month_counts_adoptions_of_items_submitted_later():
    """Under 采用日期 the trend's month sees only what was submitted by its end, but the period itself counts
    an adoption dated in it even of an item registered as submitted later (so score() must not take the
    period's figures from the trend's month)."""
    cfg = cfg_with(**{"归属月份": "采用日期"})
    items = [Item(seq=1, unit="甲镇", title="秋收", submitted=D(2025, 11, 3), file="f", sheet="S", row=2,
                  adoptions=[Adoption("市级", "市级专报", 10, "市级专报", D(2025, 10, 20))]),
             Item(seq=2, unit="乙镇", title="春耕", submitted=D(2025, 10, 3), file="f", sheet="S", row=3)]
    units = units_by_name(score(items, [], cfg, OCT))
    assert units["甲镇"]["points"] == 10 and units["甲镇"]["adopted"] == 1 and units["甲镇"]["submitted"] == 0
    assert units["乙镇"]["submitted"] == 1


@pytest.mark.parametrize("joint_mode, points", [("全计", 0.5 + 2.0), ("均分", 0.25 + 2.0)])
def test_an_item_marked_commission_counts_for_its_joint_units_too(joint_mode, points):
    """No 约稿 register: an item marked 约稿 is a commission done on time, for every unit that reported it
    jointly (the 约稿 points whole, after the item's own points are shared); one submitted outside the
    period counts nowhere."""
    cfg = cfg_with(**{"重复信息处理": joint_mode})
    items = [item("甲镇", 3, joint_units=("乙镇",), commission=True), item("丙局", 4, commission=True, month_=9)]
    u = units_by_name(score(items, [], cfg, OCT))
    got = {k: (v["points"], v["commissions"], v["commissions_on_time"]) for k, v in u.items()}
    assert got == {"甲镇": (points, 1, 1), "乙镇": (points, 1, 1), "丙局": (0.0, 0, 0)}


@pytest.mark.parametrize("shuffled", [False, True])
def test_past_the_cap_the_later_registered_of_items_submitted_at_the_same_time_earns_nothing(shuffled):
    """Items submitted at the very same time take the cap in register order (seq), whatever order the
    list holds them in."""
    cfg = cfg_with()
    items = [item("甲镇", 7) for _ in range(11)]  # 11 × 0.5 against a cap of 5
    given = random.Random(7).sample(items, len(items)) if shuffled else items
    res = score(given, [], cfg, OCT)
    points = {s.item.seq: s.points for s in res["_scores"]}
    assert [points[it.seq] for it in items] == [0.5] * 10 + [0.0]
