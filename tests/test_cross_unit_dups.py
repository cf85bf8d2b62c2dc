"""跨单位疑似重复 (govxl.normalise.crossdups): the same event sent by two units with slightly different titles is
listed for a person (数据问题, JSON) with both places, the similarity and which one is earlier; equal titles
(首报), pairs outside the window, 联合报送 partners and pairs below the threshold are not; the settings
switch it off, widen the window and lower the threshold. And the pairs are those of comparing every pair."""
import datetime as dt
import json
import random

import numpy as np
import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner
from rapidfuzz import fuzz

from conftest import ALPHABETS, edited, vary_the_search, write_config, write_xlsx
from govxl import api
from govxl.cli import main
from govxl.normalise import crossdups

D = dt.datetime
HEAD = ["报送单位", "信息标题", "报送日期", "联合报送单位"]
W = "workbooks/"  # files are named as under the folder given
TAIL = "请人工确认是否同一事件，目前两篇都计入"


@pytest.fixture
def three(ws):
    """Registers of 城关镇, 青石镇 and 县教育局 (one file each) and a compilation of two of them."""
    book = ws / "workbooks"
    write_xlsx(book / "城关镇.xlsx", {"台账": [
        HEAD,
        ["城关镇", "全县秋季森林防火应急演练在城关镇举行", D(2025, 10, 8)],        # 2: 县教育局 r2 the next day (95)
        ["城关镇", "全县冬季校园安全大排查工作全面启动", D(2025, 10, 2)],          # 3: 青石镇 r3 18 days later (94)
        ["城关镇", "城关镇开展秋冬季农村人居环境整治行动", D(2025, 10, 23)],       # 4: 青石镇 r5 the day before (82)
        ["城关镇", "全县国庆假期安全生产检查情况通报", D(2025, 9, 28)],            # 5: 县教育局 r5 on Oct 1 (97)
        ["城关镇", "城关镇召开2025年秋季征兵工作部署会议", D(2025, 10, 5)],        # 6, 7: one unit's 疑似重复
        ["城关镇", "城关镇召开2025年秋季征兵工作部署会", D(2025, 10, 6)],
        ["城关镇", "县教育局举办全县中小学教师教学技能大赛", D(2025, 10, 27, 15, 30)],  # 8: 县教育局 r6 that morning
    ]})
    write_xlsx(book / "青石镇.xlsx", {"台账": [
        HEAD,
        ["青石镇", "青石镇召开2025年秋粮收购工作推进会", D(2025, 10, 10)],          # 2: = 县教育局 r3 (首报)
        ["青石镇", "全县冬季校园安全大排查工作全面启动部署", D(2025, 10, 20)],
        ["青石镇", "县教育局联合青石镇开展防溺水安全宣传进校园", D(2025, 10, 15)],  # 4: the joint item's partner
        ["青石镇", "青石镇开展秋冬季农村人居环境整治", D(2025, 10, 22)],
    ]})
    write_xlsx(book / "县教育局.xlsx", {"台账": [
        HEAD,
        ["县教育局", "全县秋季森林防火应急演练在城关镇成功举行", D(2025, 10, 9)],
        ["县教育局", "青石镇召开2025年秋粮收购工作推进会", D(2025, 10, 12)],
        ["县教育局", "县教育局联合青石镇开展防溺水安全宣传进校园活动", D(2025, 10, 15), "青石镇"],
        ["县教育局", "全县国庆假期安全生产检查情况的通报", D(2025, 10, 1)],
        ["县教育局", "县教育局举办全县中小学教师教学技能竞赛", D(2025, 10, 27, 9, 0)],
    ]})
    write_xlsx(book / "汇总.xlsx", {"十月": [
        HEAD,
        ["青石镇", "全县第四季度重点项目集中开工仪式举行", D(2025, 10, 29)],
        ["城关镇", "全县第四季度重点项目集中开工仪式隆重举行", D(2025, 10, 29)],  # same day: register order
    ]})
    return ws


def msg(score, b_unit, b_day, b_title, a_unit, a_day, a_title, where, earlier):
    return (f"跨单位疑似重复（相似度 {score}）：本行{b_unit} {b_day} 报送的“{b_title}”与{a_unit} {a_day} 报送的"
            f"“{a_title}”（{where}）相近，{earlier}；{TAIL}")


# the four pairs of October with the default settings (阈值 90, 7 天), in the order of 数据问题 (file, row;
# "县" sorts before "城", "汇" and "青")
FIRE = (W + "县教育局.xlsx", "台账", 2, msg(95, "县教育局", "2025-10-09", "全县秋季森林防火应急演练在城关镇成功举行",
                                       "城关镇", "2025-10-08", "全县秋季森林防火应急演练在城关镇举行",
                                       W + "城关镇.xlsx › 台账 › 第2行", "城关镇的较早"))
HOLIDAY = (W + "县教育局.xlsx", "台账", 5, msg(97, "县教育局", "2025-10-01", "全县国庆假期安全生产检查情况的通报",
                                          "城关镇", "2025-09-28", "全县国庆假期安全生产检查情况通报",
                                          W + "城关镇.xlsx › 台账 › 第5行", "城关镇的较早"))
CONTEST = (W + "城关镇.xlsx", "台账", 8, msg(95, "城关镇", "2025-10-27", "县教育局举办全县中小学教师教学技能大赛",
                                        "县教育局", "2025-10-27", "县教育局举办全县中小学教师教学技能竞赛",
                                        W + "县教育局.xlsx › 台账 › 第6行", "同日报送，县教育局的时间较早"))
OPENING = (W + "汇总.xlsx", "十月", 3, msg(95, "城关镇", "2025-10-29", "全县第四季度重点项目集中开工仪式隆重举行",
                                      "青石镇", "2025-10-29", "全县第四季度重点项目集中开工仪式举行",
                                      W + "汇总.xlsx › 十月 › 第2行", "同日报送，青石镇的登记在前"))
WITHIN = (W + "城关镇.xlsx", "台账", 7, "疑似重复（相似度 97）：“城关镇召开2025年秋季征兵工作部署会”与 workbooks/城关镇.xlsx › 台账 › "
                                   "第6行“城关镇召开2025年秋季征兵工作部署会议”相近，请人工确认；目前两篇都计入")


def problem_rows(result):
    """数据问题 of the ranking workbook, every row under the header, as written."""
    book = openpyxl.load_workbook(result["outputs"][0])
    ws = book["数据问题"]
    assert [c.value for c in ws[2]] == ["序号", "类型", "文件", "工作表", "行", "列", "问题说明"]
    return [[c.value for c in row] for row in ws.iter_rows(min_row=3)]


def sheet_rows(*problems):
    return [[n, "提示", f, s, r, None, m] for n, (f, s, r, m) in enumerate(problems, 1)]


def test_the_pairs_of_different_units_are_listed_in_the_workbook_and_json(three):
    result = CliRunner().invoke(main, ["score", "--month", "2025-10", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["exit_code"] == 0  # warnings, like 疑似重复: nothing changes in the scores
    cross = [p for p in data["problems"] if p["message"].startswith("跨单位")]
    assert [(p["severity"], p["file"], p["sheet"], p["row"], p["column"], p["message"]) for p in cross] == \
        [("warning", *p[:3], None, p[3]) for p in (FIRE, HOLIDAY, CONTEST, OPENING)]
    # the equal titles are 首报's: the later one is 重复 (not listed again): 18 rows read, 1 duplicate
    assert data["rows"] == {"read": 18, "counted": 17, "duplicate": 1, "error": 0, "skipped": 0}
    # the workbook's 数据问题: sorted by file, sheet, row; the one unit's 疑似重复 beside them
    assert problem_rows(data) == sheet_rows(FIRE, HOLIDAY, WITHIN, CONTEST, OPENING)


def test_check_lists_every_pair_of_the_registers(three):
    result = api.check()
    cross = [(p["file"], p["sheet"], p["row"], p["message"]) for p in result["problems"] if p["message"].startswith("跨单位")]
    assert cross == [FIRE, HOLIDAY, CONTEST, OPENING] and result["exit_code"] == 0


def test_a_pair_over_the_month_end_is_listed_in_the_month_of_the_later_item(three):
    september = api.score(month="2025-09", write=False)
    assert [p for p in september["problems"] if p["message"].startswith("跨单位")] == []
    q4 = api.score(quarter="2025-Q4", write=False)
    assert [(p["file"], p["row"]) for p in q4["problems"] if p["message"].startswith("跨单位")] == \
        [(W + "县教育局.xlsx", 2), (W + "县教育局.xlsx", 5), (W + "城关镇.xlsx", 8), (W + "汇总.xlsx", 3)]


def test_switched_off(three):
    write_config(three / "govxl.xlsx", settings={"跨单位疑似重复": "否"})
    result = api.score(month="2025-10")
    assert problem_rows(result) == sheet_rows(WITHIN)
    assert result["exit_code"] == 0


def test_a_wider_window_and_a_lower_threshold(three):
    write_config(three / "govxl.xlsx", settings={"跨单位疑似重复天数": 30})
    wide = api.score(month="2025-10")
    school = (W + "青石镇.xlsx", "台账", 3, msg(94, "青石镇", "2025-10-20", "全县冬季校园安全大排查工作全面启动部署",
                                           "城关镇", "2025-10-02", "全县冬季校园安全大排查工作全面启动",
                                           W + "城关镇.xlsx › 台账 › 第3行", "城关镇的较早"))
    assert problem_rows(wide) == sheet_rows(FIRE, HOLIDAY, WITHIN, CONTEST, OPENING, school)
    write_config(three / "govxl.xlsx", settings={"跨单位疑似重复阈值": 80})
    low = api.score(month="2025-10")
    village = (W + "城关镇.xlsx", "台账", 4, msg(82, "城关镇", "2025-10-23", "城关镇开展秋冬季农村人居环境整治行动",
                                            "青石镇", "2025-10-22", "青石镇开展秋冬季农村人居环境整治",
                                            W + "青石镇.xlsx › 台账 › 第5行", "青石镇的较早"))
    # 疑似重复阈值 (one unit's) is still 90: 城关镇's two 秋粮 titles are not listed
    assert problem_rows(low) == sheet_rows(FIRE, HOLIDAY, village, WITHIN, CONTEST, OPENING)


def test_equal_titles_are_not_listed_under_全计_either(three):
    write_config(three / "govxl.xlsx", settings={"重复信息处理": "全计"})
    result = api.score(month="2025-10", write=False)
    assert result["rows"]["duplicate"] == 0
    assert [p["row"] for p in result["problems"] if "秋粮收购" in p["message"]] == []


@pytest.mark.parametrize("value, why", [(150, "超出范围 0–100"), ("高", "")])
def test_a_bad_threshold_is_a_config_error(three, value, why):
    write_config(three / "govxl.xlsx", settings={"跨单位疑似重复阈值": value})
    result = api.check()
    assert result["exit_code"] == 2
    bad = [p for p in result["problems"] if "跨单位疑似重复阈值" in p["message"]]
    assert len(bad) == 1 and bad[0]["sheet"] == "设置" and why in bad[0]["message"]


# ---- the search itself: the pairs of comparing every pair ------------------------------------------

def every_pair(t, threshold, days, since):
    """(earlier seq, later seq, score) of comparing every pair, by the later then the earlier."""
    t = t[(t["status"] == "counted") & (t["key"] != "")].sort_values(["submitted", "seq"], kind="stable")
    rows = list(t.itertuples())
    out = []
    for j, b in enumerate(rows):
        if since is not None and b.submitted < pd.Timestamp(since):
            continue
        for a in rows[:j]:
            if a.unit == b.unit or a.key == b.key or (b.submitted.normalize() - a.submitted.normalize()).days > days:
                continue
            if b.unit in a.joint or a.unit in b.joint:
                continue
            s = float(np.float32(fuzz.ratio(a.key, b.key, score_cutoff=threshold)))
            if s >= threshold:
                out.append((a.seq, b.seq, s))
    return out


@pytest.mark.parametrize("seed", range(6))
def test_the_pairs_are_those_of_comparing_every_pair(seed, monkeypatch):
    rng = random.Random(seed)
    monkeypatch.setattr(crossdups, "PAIRS_LISTED", 10 ** 9)
    for _ in range(12):
        vary_the_search(rng, monkeypatch)  # every way a pass can go (tests/conftest.py)
        alphabet = rng.choice(ALPHABETS)
        base = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 15))) for _ in range(10)]
        units = ["甲", "乙", "丙", "丁"][:rng.randint(1, 4)]
        rows = []
        for k in range(rng.randint(2, 250)):
            u = rng.choice(units)
            rows.append({"seq": k + 1, "unit": u, "title": "", "file": "f", "sheet": "s", "row": k + 2,
                         "key": edited(rng, alphabet, rng.choice(base)) if rng.random() < 0.95 else "",
                         "submitted": pd.Timestamp(2025, 1, 1) + pd.Timedelta(days=rng.randint(0, 40),
                                                                               hours=rng.randint(0, 20)),
                         "status": "counted" if rng.random() < 0.9 else "duplicate",
                         "joint": tuple(x for x in units if x != u and rng.random() < 0.1)})
        t = pd.DataFrame(rows)
        threshold, days = rng.choice([0, 50, 70, 80, 90, 95]), rng.choice([0, 1, 7, 30])
        since = rng.choice([None, dt.date(2025, 1, 20)])
        pairs, notes = crossdups.cross_unit_pairs(t, threshold, days, since=since, workers=1)
        assert [(a.seq, b.seq, s) for a, b, s in pairs] == every_pair(t, threshold, days, since) and notes == []


def test_the_limits_are_said(monkeypatch):
    t = pd.DataFrame({"seq": range(1, 41), "unit": ["甲", "乙"] * 20, "title": "", "file": "f", "sheet": "s",
                      "row": range(2, 42), "key": [f"全县推进秋粮收购第{100 + k}批" for k in range(40)],
                      "submitted": pd.Timestamp(2025, 10, 1), "status": "counted", "joint": [()] * 40})
    monkeypatch.setattr(crossdups, "PAIRS_LISTED", 5)
    pairs, notes = crossdups.cross_unit_pairs(t, 80, 7)
    assert len(pairs) == 5 and len(notes) == 1 and "超过 5 对" in notes[0]
    monkeypatch.setattr(crossdups, "PAIRS_LISTED", 10 ** 9)
    monkeypatch.setattr(crossdups, "COMPARISON_BUDGET", 0)
    pairs, notes = crossdups.cross_unit_pairs(t, 80, 7)
    assert pairs == [] and "比对量超出上限" in notes[0] and "2025-10-01 起" in notes[0]
