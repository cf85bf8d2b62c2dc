"""What needs every file read: the parts joined, the 采用登记 matched to items, 首报 duplicates.

normalise: the parts of the files (`part`), in register order (files sorted by path, then sheets, then
rows), become one ReadResult: items numbered 1..n (`seq`); an office's 采用登记 rows find their item by
unit and title key (or title alone), then by similarity for a person to confirm; of items with equal
title keys the earliest submitted counts and the rest are duplicates (首报, spec §4), unless 重复信息处理
is 全计.
"""
from __future__ import annotations

from ..errors import ERROR, WARNING, Problem
from . import frames as F
from .registers import ReadResult


def _concat(frames: list, name: str):
    """The DataFrame of the parts' tables of one name, joined as Arrow and converted once."""
    from .part import concat, to_frame

    return to_frame(concat([f[name] for f in frames]), name)


def joined(parts: list, cfg, *, refused=(), early=(), late=()) -> ReadResult:
    """The ReadResult of the files' (Arrow tables, Part), in register order."""
    from .part import Part

    if not parts:
        empty = Part()
        parts = [(empty.tables(), empty)]
    frames = [f for f, _ in parts]
    res = ReadResult(problems=list(early), unreadable=list(refused))
    for _, part in parts:
        res.problems.extend(part.problems)
        res.files.extend(part.files)
        res.unreadable.extend(part.unreadable)
        res.sheets.extend(part.sheets)
        for (file, sheet), c in part.sheet_rows.items():
            res.sheet_rows.setdefault((file, sheet), type(c)()).update(c)
            res.rows.update(c)
    res.problems.extend(late)
    _number(res, frames)
    res.commissions = _concat(frames, "commissions")
    _attach_claims(res, frames, cfg.num("疑似重复阈值", 90))
    _first_reported(res, cfg.setting("重复信息处理") or "首报")
    F.count_duplicates(res)
    _warn_carried(res)
    F.warn_overlong(res)
    for name, columns in (("items", F.ITEM_COLUMNS), ("adoptions", F.ADOPTION_COLUMNS),
                          ("instructions", F.INSTRUCTION_COLUMNS), ("commissions", F.COMMISSION_COLUMNS)):
        setattr(res, name, _conformed(getattr(res, name), columns))
    return res


def _conformed(df, columns: dict):
    """The table with exactly the contract's columns and dtypes (frames.py)."""
    return df[list(columns)].astype(columns)


def _number(res: ReadResult, frames: list) -> None:
    """seq for the items of all parts, and the adoptions and instructions on it."""
    import numpy as np
    import pandas as pd

    offsets, n = [], 0
    for f in frames:
        offsets.append(n)
        n += len(f["items"])
    items = _concat(frames, "items")
    items.insert(0, "seq", range(1, n + 1))
    items["status"] = "counted"
    items["dup_of"] = pd.array([pd.NA] * n, dtype="Int64")
    res.items = items[list(F.ITEM_COLUMNS)]
    for name in ("adoptions", "instructions"):
        t = _concat(frames, name)
        # a part numbers its rows from 0: the rows of the parts before it come first
        t["item"] += np.repeat(np.asarray(offsets, dtype="int64") + 1, [len(f[name]) for f in frames])
        t = t.rename(columns={"item": "seq"})
        t["origin"] = ""
        setattr(res, name, t)


def _origin(claims) -> list:
    return [f"采用登记 {f} › {s} › 第{r}行" for f, s, r in zip(claims["file"], claims["sheet"], claims["row"])]


def _attach_claims(res: ReadResult, frames: list, threshold: float) -> None:
    """Each 采用登记 row's adoptions and instructions onto the item it names; a row naming none is an error."""
    import pandas as pd

    claims = _concat(frames, "claims")
    if not len(claims):
        return
    items = res.items.sort_values(["submitted", "seq"], kind="stable")
    found = _exact(claims, items)
    finder = _Similar(items, threshold)
    for c, (unit, title, key, file, sheet, row, col) in enumerate(zip(
            claims["unit"], claims["title"], claims["key"], claims["file"], claims["sheet"], claims["row"],
            claims["title_col"])):
        seq = found[c]
        if seq is None:
            hit = finder.best(unit, key)
            if hit is not None:
                seq, score = hit
                it = res.items.iloc[seq - 1]
                res.problems.append(Problem(
                    WARNING, f"采用登记标题“{title}”按相似度 {score:.0f} 匹配到 {it.file} › {it.sheet} › "
                             f"第{it.row}行“{it.title}”，请核对", file, sheet, row, col))
        if seq is None:
            res.problems.append(Problem(
                ERROR, f"采用登记找不到对应的报送信息：{unit or ''}“{title}”（请核对标题或报送台账）", file, sheet, row, col))
            res.count(file, sheet, "error")
            continue
        found[c] = seq
        res.count(file, sheet, "counted")
    origin = _origin(claims)
    for name in ("adoptions", "instructions"):
        extra = _concat(frames, f"claim_{name}")
        if not len(extra):
            continue
        extra = extra.assign(seq=[found[c] for c in extra["claim"]], origin=[origin[c] for c in extra["claim"]])
        extra = extra[extra["seq"].notna()].drop(columns="claim")
        table = pd.concat([getattr(res, name), extra.astype({"seq": "int64"})], ignore_index=True)
        table = table.sort_values("seq", kind="stable").reset_index(drop=True)
        table["k"] = table.groupby("seq").cumcount()
        setattr(res, name, table[getattr(res, name).columns])


def _exact(claims, items) -> list:
    """The seq of the item each claim names exactly (the first submitted of equal titles), else None."""
    by_unit = items.drop_duplicates(["unit", "key"])
    by_unit = dict(zip(zip(by_unit["unit"], by_unit["key"]), by_unit["seq"]))
    by_key = items.drop_duplicates("key")
    by_key = dict(zip(by_key["key"], by_key["seq"]))
    return [by_unit.get((u, k)) if u is not None else by_key.get(k) for u, k in zip(claims["unit"], claims["key"])]


class _Similar:
    """A claim's item by title similarity (rapidfuzz's ratio ≥ threshold): among its unit's items, or among
    all when it names no unit; the first submitted of each title."""

    def __init__(self, items, threshold: float):
        self.items, self.threshold = items, threshold
        self._keys: dict = {}

    def _candidates(self, unit):
        got = self._keys.get(unit)
        if got is None:
            rows = self.items if unit is None else self.items[self.items["unit"] == unit]
            rows = rows.drop_duplicates("key")
            got = self._keys[unit] = (rows["key"].tolist(), rows["seq"].tolist())
        return got

    def best(self, unit, key):
        keys, seqs = self._candidates(unit)
        if not keys:
            return None
        from rapidfuzz import fuzz, process

        hit = process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=self.threshold)
        return None if hit is None else (seqs[hit[2]], hit[1])


def _first_reported(res: ReadResult, mode: str) -> None:
    """首报: of items with equal title keys, the earliest submitted counts; the rest are duplicates."""
    import numpy as np
    import pandas as pd

    if mode == "全计" or not len(res.items):
        return
    items = res.items
    order = items[(items["key"] != "").to_numpy()].sort_values(["submitted", "seq"], kind="stable")
    codes, _ = pd.factorize(order["key"])  # 0, 1, … a distinct key, in the order they are met
    _, first_at = np.unique(codes, return_index=True)  # where key c is met first: first_at[c]
    again = np.ones(len(codes), dtype=bool)
    again[first_at] = False
    if not again.any():
        return
    first_seq = order["seq"].to_numpy()[first_at][codes]
    dup = order.index[again]
    items.loc[dup, "status"] = "duplicate"
    items.loc[dup, "dup_of"] = first_seq[again]


def _warn_carried(res: ReadResult) -> None:
    """A duplicate that carries adoptions or instructions scores nothing: said, so the clerk can move them."""
    items = res.items
    carried = set(res.adoptions["seq"]) | set(res.instructions["seq"])
    dups = items[(items["status"] == "duplicate") & items["seq"].isin(carried)]
    for it in dups.itertuples():
        res.problems.append(Problem(
            WARNING, f"重复信息“{it.title}”登记了采用或批示，按首报规则不计分（首报为第{it.dup_of}条）",
            it.file, it.sheet, it.row))
