"""The registers as tables: what scoring reads.

normalise → **score**: one row per submission (`items`), per adoption (`adoptions`) and per 批示
(`instructions`), joined on `seq`, the item's number in register order — the tables of
normalise.registers.ReadResult (columns and dtypes in normalise/frames.py). Dates are datetime64 (NaT for
none), so a period is a comparison over a column and a month a column of its own.

items         seq, unit, title, key, submitted, kind, author, event_time, commission, false_report, note,
              joint (a tuple of the other units of a 联合报送 item), status (counted | duplicate), dup_of,
              file, sheet, row
adoptions     seq, k (its place among the item's adoptions), level, rule, points, text, date, multiplier,
              origin
instructions  seq, k, level, text, date, origin
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Tables:
    items: object  # pandas.DataFrame
    adoptions: object
    instructions: object
