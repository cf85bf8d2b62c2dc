"""Registers written as records in a test (what a reader would have read), made into the read's tables.

Scoring tests state their cases item by item; `as_read` turns them into the ReadResult tables of
govxl.normalise.frames, exactly as the reader hands them on, and `mark_duplicates` runs govxl's own 首报
(normalise.whole) over them and writes the verdict back onto the records.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import chain, repeat
from operator import attrgetter
from typing import Optional

from govxl.normalise import frames as F
from govxl.normalise.registers import ReadResult
from govxl.normalise.text import norm_title


@dataclass
class Adoption:
    level: str
    rule: str
    points: float
    text: str
    date: Optional[dt.datetime] = None
    origin: str = ""
    multiplier: float = 1.0


@dataclass
class Instruction:
    level: str
    text: str
    date: Optional[dt.datetime] = None
    origin: str = ""


@dataclass
class Item:
    seq: int
    unit: str
    title: str
    submitted: dt.datetime
    file: str
    sheet: str
    row: int
    kind: str = ""
    author: str = ""
    adoptions: list = field(default_factory=list)
    instructions: list = field(default_factory=list)
    event_time: Optional[dt.datetime] = None
    commission: bool = False
    false_report: bool = False
    note: str = ""
    joint_units: tuple = ()
    status: str = "counted"
    dup_of: Optional[int] = None

    @property
    def title_key(self) -> str:
        return norm_title(self.title)


@dataclass
class Commission:
    unit: str
    topic: str
    issued: Optional[dt.datetime]
    deadline: dt.datetime
    done: Optional[dt.datetime]
    file: str
    sheet: str
    row: int


def as_read(items, commissions=()) -> ReadResult:
    items, cs = list(items), list(commissions)
    attr = {"key": "title_key", "joint": "joint_units"}
    res = ReadResult()
    res.items = F.table(F.ITEM_COLUMNS, {c: list(map(attrgetter(attr.get(c, c)), items)) for c in F.ITEM_COLUMNS}
                        if items else {})

    def records(name: str, columns: dict):
        lists = [(it.seq, x) for it in items if (x := getattr(it, name))]
        rows = list(chain.from_iterable(x for _, x in lists))
        data = {"seq": list(chain.from_iterable(repeat(s, len(x)) for s, x in lists)),
                "k": list(chain.from_iterable(range(len(x)) for _, x in lists))}
        data.update({c: list(map(attrgetter(c), rows)) for c in columns if c not in data})
        return F.table(columns, data if rows else {})

    res.adoptions = records("adoptions", F.ADOPTION_COLUMNS)
    res.instructions = records("instructions", F.INSTRUCTION_COLUMNS)
    res.commissions = F.table(F.COMMISSION_COLUMNS, {c: [getattr(x, c) for x in cs] for c in F.COMMISSION_COLUMNS}
                              if cs else {})
    return res


def mark_duplicates(items: list, mode: str) -> None:
    """govxl's 首报 over the records (in the order given: seq decides ties), written back onto them."""
    import pandas as pd

    from govxl.normalise.whole import _first_reported

    res = as_read(sorted(items, key=lambda it: it.seq))
    _first_reported(res, mode)
    by_seq = {it.seq: it for it in items}
    for seq, status, dup in zip(res.items["seq"], res.items["status"], res.items["dup_of"]):
        by_seq[seq].status = status
        by_seq[seq].dup_of = None if pd.isna(dup) else int(dup)
