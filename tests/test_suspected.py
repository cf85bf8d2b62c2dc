"""疑似重复 (govxl.normalise.suspects): the pairs a comparison of every pair would give, found without comparing every
pair; and the limits that keep a huge unit short are said as warnings, never silent."""
import datetime as dt
import random

import numpy as np
import openpyxl
import pytest
from rapidfuzz import fuzz

from conftest import ALPHABETS, edited, vary_the_search, write_xlsx
from govxl import api
from govxl.normalise import similar, suspects
from govxl.normalise.config import load_config
from govxl.score.periods import parse_period
from govxl.normalise.registers import read_registers

D = dt.datetime


def every_pair(keys, threshold):
    """What comparing every pair gives: (0, i, j, score) for i < j, different keys, ordered by j then i."""
    out = []
    for j in range(len(keys)):
        for i in range(j):
            if keys[i] != keys[j]:
                s = float(np.float32(fuzz.ratio(keys[i], keys[j], score_cutoff=threshold)))
                if s >= threshold:
                    out.append((0, i, j, s))
    return out


@pytest.mark.parametrize("seed", range(8))
def test_the_pairs_are_those_of_comparing_every_pair(seed, monkeypatch):
    rng = random.Random(seed)
    monkeypatch.setattr(suspects, "PAIRS_LISTED", 10 ** 9)
    for _ in range(25):
        # every way a pass can go: one group or prefix groups, pairs listed or multiplied, the bound's
        # pairs scored alone or as a rapidfuzz matrix; character or bigram tokens, heads of the titles
        vary_the_search(rng, monkeypatch)
        monkeypatch.setattr(suspects, "INDEX_FIRST", rng.choice([1, 5, 8192]))
        alphabet = rng.choice(ALPHABETS)
        n = rng.randint(2, 150)
        base = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14))) for _ in range(max(1, n // 4))]
        keys = [edited(rng, alphabet, rng.choice(base)) if rng.random() < 0.7 else rng.choice(base) for _ in range(n)]
        threshold = rng.choice([0, 30, 50, 70, 80, 85, 90, 95, 100])
        pairs, notes = suspects.similar_pairs([keys], threshold)
        assert pairs == every_pair(keys, threshold), (threshold, keys)
        assert notes == []


def test_titles_too_long_for_the_class_counts_are_still_compared(monkeypatch):
    # a title of 32,768 characters or more (a CSV cell can hold one) leaves the class bound out of its part
    monkeypatch.setattr(similar, "ONE_GROUP", 0)
    monkeypatch.setattr(similar, "FEW", 10 ** 6)  # every group's pairs listed, and taken
    monkeypatch.setattr(similar, "LISTED_COST", 1e-9)
    keys = ["甲" * 33_000 + "乙", "乙丙丁", "甲" * 32_500 + "乙", "丙丁乙", "甲" * 32_900 + "戊", "甲乙"]
    pairs, notes = suspects.similar_pairs([keys], 90)
    assert pairs == every_pair(keys, 90) and len(pairs) >= 3 and notes == []


def test_units_are_compared_apart_and_listed_in_their_order():
    keys = [["城关镇推进秋粮收购", "城关镇推进秋粮收购工作"], ["x"], [], ["青石镇修缮水利设施", "县里的事", "青石镇修缮水利设施了"]]
    pairs, notes = suspects.similar_pairs(keys, 80)
    assert [(g, i, j) for g, i, j, _ in pairs] == [(0, 0, 1), (3, 0, 2)]
    assert notes == []


def test_a_unit_with_too_many_pairs_is_cut_with_a_note(monkeypatch):
    monkeypatch.setattr(suspects, "PAIRS_LISTED", 5)
    keys = [f"城关镇推进秋粮收购第{k}批" for k in range(100, 140)]
    pairs, notes = suspects.similar_pairs([keys], 80)
    assert pairs == every_pair(keys, 80)[:5]
    assert len(notes) == 1 and notes[0][0] == 0 and "超过 5 对" in notes[0][1] and "疑似重复阈值" in notes[0][1]


def test_a_run_past_the_comparison_budget_says_where_it_stopped(monkeypatch):
    monkeypatch.setattr(similar, "PASS_ROWS", 4)
    monkeypatch.setattr(suspects, "COMPARISON_BUDGET", 30 * similar.SCORED_COST)
    keys = ["".join(chr(0x4E00 + (k * 7 + j) % 300) for j in range(8)) for k in range(40)]
    pairs, notes = suspects.similar_pairs([keys], 0)  # at 0 every pair qualifies: each a rapidfuzz cell
    # titles 2–5 cost 4 rows × the 4 titles before the last of them, titles 6–9 would cost 4 × 8 more: the
    # unit stops before title 6
    assert notes and "比对量超出上限" in notes[0][1] and "第 6 条起" in notes[0][1]
    assert pairs == every_pair(keys[:5], 0)


@pytest.fixture
def month(ws):
    """Two units' October items; 城关镇's titles are numbered variants of one another."""
    rows = [["单位", "标题", "报送日期"]]
    for k in range(30):
        rows.append(["城关镇", f"城关镇推进秋粮收购第{100 + k}批", D(2025, 10, 1 + k % 28)])
    rows += [["青石镇", "青石镇修缮水利设施", D(2025, 10, 3)], ["青石镇", "青石镇修缮水利设施了", D(2025, 10, 4)],
             ["青石镇", "青石镇开学安全检查", D(2025, 10, 5)]]
    write_xlsx(ws / "workbooks" / "台账.xlsx", {"十月": rows})
    return ws


def test_the_pairs_and_the_cut_are_warnings_in_the_scored_result(month, monkeypatch):
    monkeypatch.setattr(suspects, "PAIRS_LISTED", 4)
    cfg = load_config(month / "govxl.xlsx")
    read = read_registers([month / "workbooks"], cfg, year=2025)
    result = api.score_loaded(cfg, read, parse_period(month_="2025-10"), out=month / "out")
    warnings = [p for p in result["problems"] if "疑似重复" in p["message"]]
    cut = [p for p in warnings if p["message"].startswith("城关镇：")]
    assert len(cut) == 1 and cut[0]["file"] is None and "只列出按报送顺序最先的 4 对" in cut[0]["message"]
    listed = [p for p in warnings if p["message"].startswith("疑似重复（")]
    assert len(listed) == 5  # 城关镇's first 4, and 青石镇's one pair
    qs = [p for p in listed if "青石镇修缮水利设施了" in p["message"]]
    assert len(qs) == 1 and qs[0]["row"] == 33 and qs[0]["sheet"] == "十月" and "第32行" in qs[0]["message"]
    assert result["exit_code"] == 0
    # and the workbook's 数据问题 sheet lists them as they are in the result
    book = openpyxl.load_workbook(result["outputs"][0], read_only=True)
    text = "\n".join(str(c) for row in book["数据问题"].iter_rows(values_only=True) for c in row if c)
    assert cut[0]["message"] in text and qs[0]["message"] in text


@pytest.mark.parametrize("threshold", [60, 80, 85, 90, 95, 100])
def test_every_pair_reaching_the_threshold_shares_a_partition_group(threshold):
    # the pigeonhole of govxl.normalise.groups.partition_groups, checked on its own (the search's
    # other filters cannot hide a pair it misses): lengths across several length classes
    from govxl.normalise import groups as G

    rng = random.Random(threshold)
    alphabet = "".join(chr(0x4E00 + k) for k in range(30))
    base = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 45))) for _ in range(40)]
    keys = [edited(rng, alphabet, rng.choice(base)) for _ in range(400)]
    lens = np.fromiter(map(len, keys), dtype=np.int64)
    chars, owner = G.characters(keys, lens)
    groups = G.partition_groups(chars, owner, lens, threshold / 100)
    if groups is None:  # too many classes for titles this long: prefix groups instead
        assert threshold < 80
        return
    own, first = groups
    together = set()
    for g in range(first.size - 1):
        members = own[first[g]:first[g + 1]].tolist()
        assert members == sorted(members)
        together.update((a, b) for k, a in enumerate(members) for b in members[k + 1:])
    needed = [(i, j) for j in range(len(keys)) for i in range(j) if keys[i] != keys[j]
              and fuzz.ratio(keys[i], keys[j]) >= threshold]
    assert (needed or threshold == 100) and all(p in together for p in needed)


@pytest.mark.parametrize("threshold", [50, 80, 90, 95, 100])
@pytest.mark.parametrize("classes", [1, 4, 16])
def test_the_class_bound_keeps_every_pair_reaching_the_threshold(threshold, classes, monkeypatch):
    # govxl.normalise.similar.Part._differ, checked on its own against every pair: it must keep each pair that
    # reaches the threshold, and (with more than one class, where few characters may differ) drop most others
    rng = random.Random(threshold * 100 + classes)
    monkeypatch.setattr(similar, "CLASSES", classes)
    monkeypatch.setattr(similar, "CLASS_STEP", min(classes, 2))
    monkeypatch.setattr(similar, "ONE_GROUP", 0)  # groups, and so the classes, for a few titles
    alphabet = "".join(chr(0x4E00 + k) for k in range(12))
    base = ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 30))) for _ in range(30)]
    keys = [edited(rng, alphabet, rng.choice(base)) for _ in range(300)]
    part = similar.Part(similar.Titles(keys, threshold), 0, len(keys), None)
    j, i = np.divmod(np.flatnonzero(np.tri(len(keys), k=-1, dtype=bool).reshape(-1)), len(keys))
    kept = part._differ(i, j)
    reach = np.array([fuzz.ratio(keys[a], keys[b]) >= threshold for a, b in zip(i.tolist(), j.tolist())])
    assert reach.any() and kept[reach].all()
    if classes > 1 and threshold >= 80:
        assert kept[~reach].mean() < 0.5
