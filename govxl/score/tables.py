"""The registers as tables: what scoring reads.

normalise → **score**: one row per submission (`items`), per adoption (`adoptions`) and per 批示
(`instructions`), joined on `seq`, the item's number in register order. Dates are datetime64 (NaT for
none), so a period is a comparison over a column and a month a column of its own.

items         seq, unit, title, submitted, kind, author, event_time, commission, false_report, joint
              (a tuple of the other units of a 联合报送 item), status (counted | duplicate), dup_of,
              file, sheet, row, pos (the item's place in the list it came from)
adoptions     seq, k (its place among the item's adoptions), level, rule, points, text, date, multiplier
instructions  seq, k, level, text, date
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import chain, repeat

ITEM_COLUMNS = ("seq", "unit", "title", "submitted", "kind", "author", "event_time", "commission", "false_report",
                "joint", "status", "dup_of", "file", "sheet", "row")


@dataclass
class Tables:
    items: object  # pandas.DataFrame, columns ITEM_COLUMNS + pos
    adoptions: object
    instructions: object
    source: list  # the records the rows came from (items[pos]), for the writers that show one row at a time


def _dates(values):
    import pandas as pd

    return pd.to_datetime(pd.Series(list(values), dtype=object), errors="coerce")


def from_items(items: list) -> Tables:
    """The tables of a list of registers.Item (the reader's records)."""
    import pandas as pd

    n = len(items)
    cols = {name: [getattr(it, name) for it in items] for name in
            ("seq", "unit", "title", "kind", "author", "commission", "false_report", "status", "dup_of",
             "file", "sheet", "row")}
    frame = pd.DataFrame(cols)
    frame["submitted"] = _dates(it.submitted for it in items)
    frame["event_time"] = _dates(it.event_time for it in items)
    frame["joint"] = pd.Series([tuple(it.joint_units) for it in items], dtype=object)
    frame["dup_of"] = frame["dup_of"].astype("Int64")
    frame["pos"] = range(n)
    frame = frame[[*ITEM_COLUMNS, "pos"]]

    def records(attr, fields):
        owners = [it for it in items if getattr(it, attr)]
        rows = list(chain.from_iterable(getattr(it, attr) for it in owners))
        seqs = list(chain.from_iterable(repeat(it.seq, len(getattr(it, attr))) for it in owners))
        ks = list(chain.from_iterable(range(len(getattr(it, attr))) for it in owners))
        table = pd.DataFrame({"seq": pd.Series(seqs, dtype="int64"), "k": pd.Series(ks, dtype="int64")})
        for f in fields:
            table[f] = [getattr(r, f) for r in rows]
        table["date"] = _dates(r.date for r in rows)
        return table

    adoptions = records("adoptions", ("level", "rule", "points", "text", "multiplier"))
    adoptions["points"] = adoptions["points"].astype(float)
    adoptions["multiplier"] = adoptions["multiplier"].astype(float)
    instructions = records("instructions", ("level", "text"))
    return Tables(frame, adoptions, instructions, items)
