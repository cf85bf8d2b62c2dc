"""The rows of 得分明细 and 采用清单, made from the period's scores and lines as columns.

score → **write**: each scored item of the period is a row (its parts of the points, and 计分依据:
its lines in order, rule, note and points), then the period's duplicates, worth nothing. The rows are
handed to the sheet as lists, a batch at a time.
"""
from __future__ import annotations

NOT_LISTED = 1 << 30  # the place of a unit not in the roster: after every roster unit


def unit_places(result) -> dict:
    """{unit: its place in the roster}, made once per result."""
    idx = result.get("_unit_index")
    if idx is None:
        idx = {u["unit"]: i for i, u in enumerate(sorted(result["units"], key=lambda u: u.get("order", 0)))}
        result["_unit_index"] = idx
    return idx


def _sorted_scores(result, scores):
    places = unit_places(result)
    place = scores["unit"].map(lambda u: places.get(u, NOT_LISTED))
    return scores.assign(_place=place.to_numpy()).sort_values(["_place", "submitted", "seq"], kind="stable")


def _joined(keys, texts) -> dict:
    """{key: its texts, in order, joined with ；}."""
    out: dict = {}
    for k, t in zip(keys, texts):
        out[k] = t if k not in out else out[k] + "；" + t
    return out


def _joined_by_seq(table, seqs, text) -> dict:
    """{seq: the texts of its rows (in their order) joined with ；} for the seqs asked."""
    rows = table[table["seq"].isin(seqs).to_numpy()].sort_values(["seq", "k"], kind="stable")
    return _joined(rows["seq"].tolist(), text(rows))


def _adoption_texts(rows) -> list:
    dates = ["" if d is None or d != d else f"（{d:%Y-%m-%d}）" for d in rows["date"].dt.to_pydatetime()]
    return [f"{t}{d}" for t, d in zip(rows["text"].tolist(), dates)]


def _bases(lines, scores) -> list:
    """计分依据 of each score (in scores' order): its lines in order, each "rule（note） ±points"."""
    item = lines[lines["seq"].notna().to_numpy()]
    item = item.sort_values(["unit", "seq", "order"], kind="stable")
    memo: dict = {}
    texts = []
    for rule, note, pts in zip(item["rule"].tolist(), item["note"].tolist(), item["points"].tolist()):
        key = (rule, note, pts)
        t = memo.get(key)
        if t is None:
            t = memo[key] = f"{rule}{'' if not note else '（' + note + '）'} {pts:+g}"
        texts.append(t)
    joined = _joined(zip(item["unit"].tolist(), item["seq"].astype("int64").tolist()), texts)
    out = []
    for unit, seq, share, in_period in zip(scores["unit"].tolist(), scores["seq"].tolist(), scores["share"].tolist(),
                                           scores["in_period"].tolist()):
        basis = joined[(unit, seq)]
        if share != 1.0:
            basis = f"[联合报送，本单位得 {share:.0%}] " + basis
        if not in_period:
            basis = "[报送于本期之前，采用或批示计入本期] " + basis
        out.append(basis)
    return out


def _sources(items) -> list:
    return [f"{f} › {s} › 第{r}行" for f, s, r in zip(items["file"].tolist(), items["sheet"].tolist(),
                                                     items["row"].tolist())]


def _item_columns(items) -> list:
    """title, submitted, kind, author of items (a frame of the items table's rows)."""
    return [items["title"].tolist(), list(items["submitted"].dt.to_pydatetime()), items["kind"].tolist(),
            items["author"].tolist()]


def detail_columns(result) -> list:
    """The 得分明细 data rows as 15 columns: the period's scores, then its duplicates."""
    tables = result["_tables"]
    scores = _sorted_scores(result, result["_scores"])
    by_seq = tables.items.set_index("seq")
    items = by_seq.loc[scores["seq"].to_numpy()]
    seqs = set(scores["seq"].tolist())
    ads = _joined_by_seq(tables.adoptions, seqs, _adoption_texts)
    ins = _joined_by_seq(tables.instructions, seqs, lambda rows: rows["text"].tolist())
    seq_list = scores["seq"].tolist()
    cols = [scores["unit"].tolist(), *_item_columns(items), [ads.get(s, "") for s in seq_list],
            [ins.get(s, "") for s in seq_list], scores["报送"].tolist(), scores["采用"].tolist(),
            scores["批示"].tolist(), scores["其他"].tolist(), scores["points"].tolist(),
            _bases(result["_lines"], scores), _sources(items)]
    dups = result["_duplicates"].sort_values("pos", kind="stable")  # in register order
    dup_cols = _duplicate_columns(dups, by_seq)
    return [a + b for a, b in zip(cols, dup_cols)]


def _duplicate_columns(dups, by_seq) -> list:
    import pandas as pd

    firsts = by_seq.reindex(pd.Index(dups["dup_of"].astype("Int64")))
    first_src = _sources(firsts.fillna({"file": "", "sheet": "", "row": 0}).astype({"row": "int64"}))
    basis = []
    for unit, sub, src, known in zip(firsts["unit"].tolist(), list(firsts["submitted"]), first_src,
                                     firsts["title"].notna().tolist()):
        basis.append("重复信息，不计分" + (f"（首报：{unit} {sub:%Y-%m-%d} {src}）" if known else ""))
    n = len(dups)
    zero = [0] * n
    return [dups["unit"].tolist(), *_item_columns(dups), [""] * n, [""] * n, zero, zero, zero, zero, zero, basis,
            _sources(dups)]


def adopted_columns(result) -> list:
    """The 采用清单 data rows as 6 columns (without 序号): the period's adopted items, the highest level
    first."""
    from ..defaults import LEVEL_RANK

    tables = result["_tables"]
    scores = result["_scores"]
    scores = scores[scores["top_level"].notna().to_numpy()]
    places = unit_places(result)
    # (as floats: with no adopted item the mapped column is an empty column of texts, which cannot be negated)
    scores = scores.assign(_level=-scores["top_level"].map(LEVEL_RANK).astype("float64"),
                           _place=scores["unit"].map(lambda u: places.get(u, NOT_LISTED)).to_numpy())
    scores = scores.sort_values(["_level", "_place", "submitted", "seq"], kind="stable")
    items = tables.items.set_index("seq").loc[scores["seq"].to_numpy()]
    texts = _joined_by_seq(tables.adoptions, set(scores["seq"].tolist()), lambda rows: rows["text"].tolist())
    return [scores["unit"].tolist(), items["title"].tolist(), list(items["submitted"].dt.to_pydatetime()),
            [texts.get(s, "") for s in scores["seq"].tolist()], scores["top_level"].tolist(), scores["采用"].tolist()]
