"""Rows of the rules that depend on more than one cell: 采用计分 by 信息类型, 批示计分 by 刊物.

score/lines.py asks these for an adoption's or a 批示's points when the config has such rows; each is one
merge of the lines' rows with the rule rows they could match, then one pick per line. The most specific
matching row wins (a row with 信息类型 or 刊物 filled beats the blank one), and among rows equally
specific:

- 采用计分 by 信息类型: the row whose type word is the longest (调研 and 重大调研 both in the item's type
  “重大调研”: 重大调研), then the one giving more points, then the earlier row;
- 批示计分 by 刊物: the row giving this 批示 more points (an item adopted by two publications that each
  have a row), then the earlier row.

A type word matches when it is contained in the item's 信息类型 (as 类型倍数 does), both normalised.
"""
from __future__ import annotations

from ..normalise.text import norm, norm_title


def _keys(values, f):
    """f of each distinct value of an object column, mapped back (few distinct: rule names, types)."""
    import pandas as pd

    codes, uniques = pd.factorize(values.fillna("").astype(str))
    return pd.Series([f(u) for u in uniques], dtype=object).take(codes).to_numpy()


def _pick(candidates, at: str, order: list, ascending: list):
    """The best candidate row of each line (at: the line's position column)."""
    return candidates.sort_values([at, *order], ascending=[True, *ascending], kind="stable").drop_duplicates(at)


def typed_adoptions(ad, points, scheme):
    """Adoptions (with the item's kind) whose publication has a row for the item's 信息类型 take that row's
    分值 and 倍数. → (points, multipliers, notes added — "" where none —, by_type: numpy bools)."""
    import numpy as np
    import pandas as pd

    n = len(ad)
    rows = pd.DataFrame(list(scheme.adoption_types),
                        columns=["key", "word", "t_points", "t_mult", "t_row", "t_written"])
    lines = pd.DataFrame({"_i": np.arange(n), "key": _keys(ad["rule"], norm_title), "kind": _keys(ad["kind"], norm)})
    cand = lines.merge(rows, on="key", how="inner")
    cand = cand[np.fromiter((w in k for w, k in zip(cand["word"], cand["kind"])), dtype=bool, count=len(cand))]
    cand = cand.assign(_len=cand["word"].str.len())
    best = _pick(cand, "_i", ["_len", "t_points", "t_row"], [False, False, True])
    at = best["_i"].to_numpy()
    points = points.to_numpy(dtype=float).copy()
    mult = ad["multiplier"].to_numpy(dtype=float).copy()
    points[at], mult[at] = best["t_points"].to_numpy(), best["t_mult"].to_numpy()
    notes = np.full(n, "", dtype=object)
    notes[at] = [f"信息类型“{w}”，按采用计分第{r}行" for w, r in zip(best["t_written"], best["t_row"])]
    by_type = np.zeros(n, dtype=bool)
    by_type[at] = True
    return pd.Series(points), pd.Series(mult), notes, by_type


def publication_instructions(ins, adoptions, scheme, nth, first, again):
    """批示 on items adopted by a publication that has a 批示计分 row for the leader's level take that row's
    首次 / 再次 分值 (nth: the 批示's place among the item's of its level; first, again: the blank rows').
    Any adoption of the item in the read counts, whatever its date. → (points, notes added — "" where none)."""
    import numpy as np
    import pandas as pd

    points = np.where(nth == 0, first, again)
    notes = np.full(len(ins), "", dtype=object)
    rows = pd.DataFrame(list(scheme.instruction_publications),
                        columns=["level", "key", "p_first", "p_again", "p_row", "p_written"])
    pubs = adoptions.loc[adoptions["seq"].isin(ins["seq"]).to_numpy(), ["seq", "rule"]]
    pubs = pd.DataFrame({"seq": pubs["seq"].to_numpy(), "key": _keys(pubs["rule"], norm_title)}).drop_duplicates()
    lines = pd.DataFrame({"_i": np.arange(len(ins)), "seq": ins["seq"].to_numpy(), "level": ins["level"].to_numpy(),
                          "_nth": nth})
    cand = lines.merge(pubs, on="seq").merge(rows, on=["level", "key"])
    if not len(cand):
        return points, notes
    cand = cand.assign(_p=np.where(cand["_nth"].to_numpy() == 0, cand["p_first"], cand["p_again"]))
    best = _pick(cand, "_i", ["_p", "p_row"], [False, True])
    at = best["_i"].to_numpy()
    points[at] = best["_p"].to_numpy()
    notes[at] = [f"被“{w}”采用，按批示计分第{r}行" for w, r in zip(best["p_written"], best["p_row"])]
    return points, notes
