"""Scoring is pure: hand-computed cases per rule, and properties that must hold for any input."""
import datetime as dt
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govxl.normalise.config import Unit, default_config
from govxl.score.periods import month, parse_period
from govxl.normalise import frames
from records import Adoption, Commission, Instruction, Item, as_read, mark_duplicates
from govxl.score import scoring

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


def score(items, commissions, cfg, period, **kw):
    """scoring.score of records as the reader makes them (Item, Commission), through the read's tables."""
    read = as_read(items, commissions)
    return scoring.score(read, read.commissions, cfg, period, **kw)


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


@settings(max_examples=15, deadline=None)
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


@settings(max_examples=4, deadline=None)
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


def _every_rule(seed, n, cap, joint_mode, register, by):
    """A random year with every rule at work: cap, joint items, 约稿 marks or a register, multipliers, base
    points, shortfalls, the quarterly penalty, lateness, false reports, duplicates."""
    cfg = cfg_with(**{"重复信息处理": joint_mode, "季度采用率下限": 0.3, "归属月份": by})
    cfg.other.update({"报送每月上限": cap, "每月基础分": 1.5, "缺报每篇": -0.35, "季度采用率不达标": -2.25,
                      "约稿按时完成": 0.7, "约稿逾期未完成": -1.1, "类型倍数：调研": 2.0})
    rnd = random.Random(seed)
    items = random_items(seed, n)
    for it in items:
        if rnd.random() < 0.2:
            it.joint_units = (rnd.choice([u for u in ("甲镇", "乙镇", "丙局") if u != it.unit]),)
        it.commission = rnd.random() < 0.2
        it.false_report = rnd.random() < 0.1
        it.kind = "调研" if rnd.random() < 0.15 else "动态"
        if rnd.random() < 0.1:
            it.event_time = it.submitted - dt.timedelta(days=rnd.choice([0, 5]))
        if it.adoptions and rnd.random() < 0.2:
            it.adoptions[0].multiplier = 1.5
    commissions = [Commission(rnd.choice(["甲镇", "乙镇", "丙局", "外单位"]), "约稿", None,
                              D(2025, rnd.randint(1, 12), rnd.randint(1, 28)),
                              rnd.choice([None, D(2025, rnd.randint(1, 12), rnd.randint(1, 28))]), "f", "S", i + 2)
                   for i in range(rnd.randint(0, 8))] if register else []
    mark_duplicates(items, "首报")
    return cfg, items, commissions


FIGURES = ("submitted", "duplicates", "adopted", "instructions", "commissions", "commissions_on_time", "late",
           "false_reports")


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(1, 80), st.sampled_from([None, 1.5]), st.sampled_from(["均分", "全计"]),
       st.booleans(), st.sampled_from(["报送日期", "采用日期"]), st.integers(1, 4))
def test_a_quarter_is_the_sum_of_its_months(seed, n, cap, joint_mode, register, by, q):
    """Every figure of a unit over a quarter — points with every rule, counts, adoptions by level — is the
    sum of its three months scored one by one, under either 归属月份: a line counts in one month only."""
    cfg, items, commissions = _every_rule(seed, n, cap, joint_mode, register, by)
    whole = units_by_name(score(items, commissions, cfg, parse_period(quarter=f"2025-Q{q}")))
    months = [units_by_name(score(items, commissions, cfg, month(2025, m))) for m in range(3 * q - 2, 3 * q + 1)]
    for name, u in whole.items():
        assert round(sum(m[name]["points"] for m in months), 4) == u["points"], name
        for f in FIGURES:
            assert sum(m[name][f] for m in months) == u[f], (name, f)
        for lv, k in u["adopted_by_level"].items():
            assert sum(m[name]["adopted_by_level"][lv] for m in months) == k


@settings(max_examples=10, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(1, 80), st.sampled_from([None, 1.5]), st.sampled_from(["均分", "全计"]),
       st.booleans(), st.integers(1, 12))
def test_year_to_date_is_the_sum_of_the_trend_months(seed, n, cap, joint_mode, register, last):
    """Under 报送日期 the year to date of a month equals its trend's months added up, with every rule."""
    cfg, items, commissions = _every_rule(seed, n, cap, joint_mode, register, "报送日期")
    res = score(items, commissions, cfg, month(2025, last))
    for u in res["units"]:
        assert round(sum(res["trend"]["units"][u["unit"]]["points"]), 4) == u["ytd_points"]
        assert sum(res["trend"]["units"][u["unit"]]["submitted"]) == u["ytd_submitted"]


@settings(max_examples=6, deadline=None)
@given(st.integers(0, 10 ** 6), st.integers(1, 80), st.sampled_from([None, 1.5]), st.sampled_from(["均分", "全计"]),
       st.booleans(), st.sampled_from(["报送日期", "采用日期"]), st.integers(1, 12))
def test_each_trend_month_is_that_month_scored_alone(seed, n, cap, joint_mode, register, by, last):
    """The trend (one group-by over the year's lines) gives each unit, month by month, the points, rank and
    submissions of that month scored on its own, with every rule — under 采用日期 with only the items
    submitted by the month's end, as the trend shows each month as it was known then."""
    cfg, items, commissions = _every_rule(seed, n, cap, joint_mode, register, by)
    trend = score(items, commissions, cfg, month(2025, last))["trend"]
    for i, m in enumerate(range(1, last + 1)):
        end = D(2025 + m // 12, m % 12 + 1, 1)
        known = items if by == "报送日期" else [it for it in items if it.submitted < end]
        alone = units_by_name(score(known, commissions, cfg, month(2025, m), with_ytd=False))
        for name, u in alone.items():
            t = trend["units"][name]
            assert (t["points"][i], t["ranks"][i], t["submitted"][i]) == (u["points"], u["rank"], u["submitted"]), (name, m)


def test_a_range_from_inside_a_month_takes_the_cap_afresh():
    """The monthly cap runs over the items a period counts: a range starting on the 4th gives its first
    items of the month their full points, whatever the unit sent on the 1st to the 3rd."""
    cfg = cfg_with()
    cfg.other["报送每月上限"] = 1.0  # two items a month at 0.5
    items = [item("甲镇", d) for d in (1, 2, 3, 4, 5, 6)]
    assert units_by_name(score(items, [], cfg, OCT))["甲镇"]["points"] == 1.0
    part = units_by_name(score(items, [], cfg, parse_period(from_="2025-10-04", to="2025-10-31")))["甲镇"]
    assert part["points"] == 1.0 and part["submitted"] == 3


def test_under_adoption_date_multipliers_count_a_month_at_a_time():
    """采用日期: an item adopted in two months earns each month's adoptions × their multiplier in that
    month — the quarter is the sum of its months."""
    cfg = cfg_with(**{"归属月份": "采用日期", "多次采用计分": "累计"})
    forwarded = Adoption("市级", "市级专报", 10, "市级专报", D(2025, 11, 5), multiplier=2.0)
    it = item("甲镇", 20, adoptions=[ad("县级", "县级", 2, D(2025, 10, 25)), forwarded])
    oct_, nov = (units_by_name(score([it], [], cfg, month(2025, m)))["甲镇"]["points"] for m in (10, 11))
    q4 = units_by_name(score([it], [], cfg, parse_period(quarter="2025-Q4")))["甲镇"]["points"]
    assert (oct_, nov) == (0.5 + 2, 10 + 10) and q4 == oct_ + nov


@settings(max_examples=80, deadline=None)
@given(st.lists(st.one_of(st.datetimes(min_value=D(2025, 9, 1), max_value=D(2025, 11, 30)),
                          st.dates(min_value=dt.date(2025, 9, 1), max_value=dt.date(2025, 11, 30)),
                          st.none()), max_size=40))
def test_submitted_within_is_contains_row_by_row(values):
    """Period.submitted_within compares a column of datetimes at once: for each row what contains() says
    of its value (dates and none among them; October's first and last instants included)."""
    values += [D(2025, 10, 1), D(2025, 10, 31, 23, 59, 59, 999999), D(2025, 11, 1), D(2025, 9, 30, 23, 59)]
    items = frames.table({"submitted": frames.DATE}, {"submitted": values})
    assert OCT.submitted_within(items).tolist() == [OCT.contains(v) for v in values]


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
    points = dict(zip(res["_scores"]["seq"], res["_scores"]["points"]))
    assert [points[it.seq] for it in items] == [0.5] * 10 + [0.0]
