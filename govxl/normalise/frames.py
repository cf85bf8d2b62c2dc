"""The read as tables: the columns and dtypes of a ReadResult's items, adoptions, instructions and commissions.

normalise → score: what `registers.read_registers` hands on (the contract is in registers.ReadResult's
docstring). Each table is described here once, as {column: dtype}, so that an empty read gives empty
tables of the same columns and dtypes, and a reader of any shape makes the same tables (`table`).
`count_duplicates` and `warn_overlong` finish a read over its tables, whatever reader made them.
pandas is imported only when a table is made (`govxl --help` does not load it).
"""
from __future__ import annotations

from ..errors import WARNING, Problem

DATE = "datetime64[ns]"
TEXT = "object"  # texts as Python str: a damaged text (a lone surrogate) or a None is kept as read

ITEM_COLUMNS = {
    "seq": "int64", "unit": TEXT, "title": TEXT, "key": TEXT, "submitted": DATE, "kind": TEXT, "author": TEXT,
    "event_time": DATE, "commission": "bool", "false_report": "bool", "note": TEXT, "joint": "object",
    "status": TEXT, "dup_of": "Int64", "file": TEXT, "sheet": TEXT, "row": "int64",
}
ADOPTION_COLUMNS = {
    "seq": "int64", "k": "int64", "level": TEXT, "rule": TEXT, "points": "float64", "text": TEXT, "date": DATE,
    "multiplier": "float64", "origin": TEXT,
}
INSTRUCTION_COLUMNS = {"seq": "int64", "k": "int64", "level": TEXT, "text": TEXT, "date": DATE, "origin": TEXT}
COMMISSION_COLUMNS = {
    "unit": TEXT, "topic": TEXT, "issued": DATE, "deadline": DATE, "done": DATE, "file": TEXT, "sheet": TEXT,
    "row": "int64",
}


def column(values, dtype: str):
    """A column of the given dtype from a sequence of Python values (None: NaT / <NA> / missing)."""
    import pandas as pd

    if dtype == DATE:
        # dates, datetimes and None alike; what is no date becomes NaT
        return pd.to_datetime(pd.Series(list(values), dtype=object), errors="coerce").astype(DATE)
    return pd.Series(list(values), dtype=dtype)  # object: each value as it is (a tuple stays one value)


def table(columns: dict, data: dict):
    """A DataFrame with exactly `columns` ({name: dtype}, in order) from `data` ({name: values, all of one
    length}); a column missing from data is all None (so table(columns, {}) is the empty table)."""
    import pandas as pd

    n = len(next(iter(data.values()))) if data else 0
    return pd.DataFrame({name: column(data.get(name, (None,) * n), dtype) for name, dtype in columns.items()})


# ---- a read finished over its tables ----------------------------------------------------------------

def count_duplicates(res) -> None:
    """首报's duplicates move from the counted bucket to the duplicate bucket of their sheet."""
    items = res.items
    dups = items[(items["status"] == "duplicate").to_numpy()]
    for (file, sheet), n in dups.groupby(["file", "sheet"], sort=False).size().items():
        res.count(file, sheet, "counted", -int(n))
        res.count(file, sheet, "duplicate", int(n))


CELL_CHARS = 32767  # what one Excel cell holds, in UTF-16 units (the outputs cut a longer text there)
_LONG_TEXTS = (("标题", "title"), ("备注", "note"), ("撰稿人", "author"))


def warn_overlong(res) -> None:
    """A title, note or author longer than one Excel cell holds is warned (the outputs cut it)."""
    items = res.items
    # a text of at most half a cell's characters fits whatever they are (a character is 1 or 2 UTF-16 units)
    long = sum((items[c].str.len() > CELL_CHARS // 2).to_numpy(dtype=bool) for _, c in _LONG_TEXTS)
    for it in items[long > 0].itertuples(index=False):
        for label, name in _LONG_TEXTS:
            text = getattr(it, name)
            n = len(text.encode("utf-16-le", "surrogatepass")) // 2
            if n > CELL_CHARS:
                res.problems.append(Problem(
                    WARNING, f"{label}长 {len(text)} 字，超过 Excel 一个单元格能容纳的 {CELL_CHARS} 字：输出中只保留前"
                             f" {CELL_CHARS} 字，请核对原文", it.file, it.sheet, it.row))
