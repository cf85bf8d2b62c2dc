"""疑似重复 (spec §4): pairs of one unit's counted items whose title keys differ but whose character-level
ratio reaches 疑似重复阈值 (rapidfuzz fuzz.ratio, 100 · 2·LCS / (len a + len b)).

Each unit's titles, in register order, are searched by govxl.normalise.similar (prefix groups and a count
bound, then rapidfuzz): the pairs and their scores are those of comparing every pair. A big unit is
indexed a growing head at a time (INDEX_FIRST titles, then four times as many, or all past half), so a
unit whose search stops early is not indexed whole. Two limits keep a run short and are said, never
silent: a unit is not compared further once PAIRS_LISTED pairs are found (no person confirms more one by
one), and a run compares at most COMPARISON_BUDGET cells of the count bound's matrices (or their cost).
"""
from __future__ import annotations

PAIRS_LISTED = 2_000  # pairs listed for one unit
COMPARISON_BUDGET = 10_000_000_000  # cells of the count bound's matrices (or their cost) in one run: tens of seconds
INDEX_FIRST = 8_192  # titles indexed at first; then four times as many (or all, past half)


def suspected_duplicates(items, threshold: float, *, workers: int = -1) -> tuple:
    """([(a, b, score)], [(unit, note)]) over the items table (title keys from its key column): pairs of
    counted items of one unit with similar, not equal, title keys, b the later, each a record of its row
    (seq, unit, title, file, sheet, row); notes say where a unit's comparison was cut short."""
    groups = suspect_groups(items)
    keys = items["key"].to_numpy(dtype=object)
    pairs, notes = similar_pairs([keys[g].tolist() for g in groups], threshold, workers=workers)
    at = [(groups[g][i], groups[g][j], s) for g, i, j, s in pairs]
    rows = _records(items, sorted({p for a, b, _ in at for p in (a, b)}))
    units = items["unit"].to_numpy(dtype=object)
    return [(rows[a], rows[b], s) for a, b, s in at], [(units[groups[g][0]], note) for g, note in notes]


def suspect_groups(items) -> list:
    """The positions (in the items table) of the counted items of each unit that has two or more: units
    in the order of their first counted item, each one's items in register order (numpy arrays)."""
    import numpy as np
    import pandas as pd

    counted = np.flatnonzero((items["status"] == "counted").to_numpy())
    codes, _ = pd.factorize(items["unit"].to_numpy(dtype=object)[counted], use_na_sentinel=False)
    order = np.argsort(codes, kind="stable")
    groups = np.split(counted[order], np.flatnonzero(np.diff(codes[order])) + 1) if len(order) else []
    return [g for g in groups if len(g) >= 2]


def _records(items, positions: list) -> dict:
    """{position: named tuple of that row's seq, unit, title, file, sheet, row}: the rows a message names."""
    picked = items.iloc[positions][["seq", "unit", "title", "file", "sheet", "row"]]
    return dict(zip(positions, picked.itertuples(index=False, name="Item")))


def similar_pairs(key_lists, threshold: float, *, workers: int = -1) -> tuple:
    """([(g, i, j, score)], [(g, note)]): within each list of title keys key_lists[g], the pairs i < j of
    different keys scoring at least threshold, ordered by j then i; notes name the lists cut short."""
    from . import similar

    out, notes = [], []
    budget = similar.Budget(COMPARISON_BUDGET)
    for g, keys in enumerate(key_lists):
        if len(keys) < 2:
            continue
        titles = similar.Titles(list(keys), threshold, workers)
        pairs, stop = similar.search(titles, _heads(len(keys)), budget, PAIRS_LISTED)
        out.extend((g, i, j, s) for i, j, s in pairs)
        if stop is not None and stop[0] == "budget":
            notes.append((g, f"疑似重复比对量超出上限，本单位第 {stop[1] + 1} 条起的标题未与前面的比对；"
                             "可调高设置中的“疑似重复阈值”或分期运行"))
        elif stop is not None:
            notes.append((g, f"本单位疑似重复超过 {PAIRS_LISTED} 对，只列出按报送顺序最先的 {PAIRS_LISTED} 对，其余未再比对；"
                             "可调高设置中的“疑似重复阈值”"))
    return out, notes


def _heads(n: int) -> list:
    """The parts of a unit of n titles: (0, a, b), titles 0..b − 1 indexed, a..b − 1 the later ones."""
    parts, a = [], 1
    while a < n:
        b = max(INDEX_FIRST, 4 * a)
        b = n if 2 * b >= n else b
        parts.append((0, a, b))
        a = b
    return parts
