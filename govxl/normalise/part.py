"""What one register file normalises to, as tables, and its bytes (sent by a worker, kept in the cache).

normalise: a `Part` collects a file's rows column by column while its sheets are read (`sheet`), then
becomes Arrow tables (`Part.tables`; the parts of a read are joined as Arrow and made DataFrames once,
`concat` and `to_frame`):

items               unit, title, key, submitted, kind, author, event_time, commission, false_report, note,
                    joint, file, sheet, row  (one per counted row, in register order)
adoptions           item (its place in items), k, level, rule, points, text, date, multiplier
instructions        item, k, level, text, date
claims              the rows of an office's 采用登记, matched to items once every file is read:
                    unit, title, key, file, sheet, row, title_col
claim_adoptions     claim, k, level, rule, points, text, date, multiplier
claim_instructions  claim, k, level, text, date
commissions         unit, topic, issued, deadline, done, file, sheet, row

with its problems and row counts (items and claims also carry their title keys). `dumps` writes the tables
as Arrow IPC streams (columns, loaded without a Python object a row, and nothing in them is executed when
loaded); `loads` reads them back as Arrow tables.
"""
from __future__ import annotations

import json
import struct
from collections import Counter

from ..errors import Problem
from . import frames as F

def _owned(owner: str, columns: dict) -> dict:
    """An adoption or instruction table of the contract, owned by a part's row (item or claim) instead of a seq."""
    return {owner: "int64", **{c: t for c, t in columns.items() if c not in ("seq", "origin")}}


# the part's tables as {column: dtype}: the read's contract (frames.py) less what the whole read decides
ITEMS = {c: t for c, t in F.ITEM_COLUMNS.items() if c not in ("seq", "key", "status", "dup_of")}
ITEM_FIELDS = tuple(ITEMS)
TABLES = {
    "items": ITEMS,
    "adoptions": _owned("item", F.ADOPTION_COLUMNS),
    "instructions": _owned("item", F.INSTRUCTION_COLUMNS),
    "claims": {"unit": F.TEXT, "title": F.TEXT, "file": F.TEXT, "sheet": F.TEXT, "row": "int64", "title_col": F.TEXT},
    "claim_adoptions": _owned("claim", F.ADOPTION_COLUMNS),
    "claim_instructions": _owned("claim", F.INSTRUCTION_COLUMNS),
    "commissions": F.COMMISSION_COLUMNS,
}
MAGIC = b"govxl-part 5\n"


class Part:
    def __init__(self):
        for name, columns in TABLES.items():  # a list of cells per column, as the sheets are read
            setattr(self, name, {c: [] for c in columns})
        self.problems: list = []
        self.sheet_rows: dict = {}  # (file, sheet) → Counter of read + buckets, in the order met
        self.files: list = []
        self.unreadable: list = []
        self.sheets: list = []  # (file, sheet, kind, header row)

    def count(self, file: str, sheet: str, bucket: str, n: int = 1):
        c = self.sheet_rows.get((file, sheet))
        if c is None:
            c = self.sheet_rows[(file, sheet)] = Counter()
        c[bucket] += n

    @staticmethod
    def add_records(table: dict, owner: str, first: int, records_per_row: list):
        """The adoptions (or instructions) of consecutive rows numbered from first, as table rows."""
        fields = [f for f in table if f not in (owner, "k")]
        for i, records in enumerate(records_per_row, first):
            for k, r in enumerate(records or ()):
                table[owner].append(i)
                table["k"].append(k)
                for f, v in zip(fields, r):
                    table[f].append(v)

    def tables(self) -> dict:
        """The part's tables as Arrow tables of the contract's columns (the title keys worked out here, all
        at once, in the worker that read the file)."""
        from .text import norm_titles

        out = {}
        for name in TABLES:
            data = getattr(self, name)
            if name in KEYED:
                data = {**data, "key": norm_titles(data["title"])}
            out[name] = _arrow(COLUMNS[name], data)
        return out


# the tables as they travel (with the title keys of items and claims), {column: dtype} in order
KEYED = ("items", "claims")
COLUMNS = {name: ({**dict(list(cols.items())[:2]), "key": F.TEXT, **dict(list(cols.items())[2:])} if name in KEYED
                  else cols) for name, cols in TABLES.items()}


# ---- Arrow ---------------------------------------------------------------------------------------------

def _arrow_type(name: str, dtype: str):
    import pyarrow as pa

    if name == "joint":  # tuples of names
        return pa.list_(pa.string())
    return {F.TEXT: pa.string(), F.DATE: pa.timestamp("ns"), "int64": pa.int64(), "float64": pa.float64(),
            "bool": pa.bool_()}[dtype]


def _array(name: str, dtype: str, values: list):
    """One column as an Arrow array; a text column holding a lone surrogate (a damaged text, kept as read) as
    bytes, dates that Arrow does not take directly through pandas (a date, a text: NaT)."""
    import pyarrow as pa

    kind = _arrow_type(name, dtype)
    try:
        return pa.array(values, kind)
    except (UnicodeEncodeError, pa.ArrowInvalid, pa.ArrowTypeError):
        if dtype == F.TEXT and name != "joint":
            return pa.array([None if v is None else v.encode("utf-8", "surrogatepass") for v in values], pa.binary())
        if dtype == F.DATE:
            return pa.array(F.column(values, dtype).to_numpy(), kind)
        raise


def _arrow(columns: dict, data: dict):
    import pyarrow as pa

    n = len(next(iter(data.values()))) if data else 0
    arrays = [_array(name, dtype, data.get(name, [None] * n)) for name, dtype in columns.items()]
    return pa.Table.from_arrays(arrays, names=list(columns))


def concat(tables: list):
    """One Arrow table of the parts' tables of one name; a text column that is bytes in one part (a damaged
    text) is bytes in all."""
    import pyarrow as pa

    if len(tables) == 1:
        return tables[0]
    binary = {f.name for t in tables for f in t.schema if pa.types.is_binary(f.type)}
    if binary:
        tables = [t.cast(pa.schema([pa.field(f.name, pa.binary() if f.name in binary else f.type) for f in t.schema]))
                  for t in tables]
    return pa.concat_tables(tables)


def _values(name: str, dtype: str, col):
    """An Arrow column as the numpy values of its pandas column (texts as Python str, None for none)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_binary(col.type):
        return np.array([None if v is None else v.decode("utf-8", "surrogatepass") for v in col.to_pylist()],
                        dtype=object)
    if name == "joint":  # most items have no joint units: only the others are made into tuples
        out = np.empty(len(col), dtype=object)
        out.fill(())
        filled = np.flatnonzero(pc.fill_null(pc.list_value_length(col), 0).to_numpy() > 0)
        for i, names in zip(filled.tolist(), col.take(filled).to_pylist()):
            out[i] = tuple(names)
        return out
    if dtype == "bool":
        return pc.fill_null(col, False).to_numpy()
    if dtype == F.TEXT:
        # one Python str per distinct text, shared by its rows: a year's file, sheet, unit and kind columns
        # hold a few hundred texts, not a str a row
        enc = pc.dictionary_encode(col.combine_chunks())
        texts = np.append(enc.dictionary.to_numpy(zero_copy_only=False).astype(object), None)
        return texts[pc.fill_null(enc.indices, -1).to_numpy()]
    return col.to_numpy(zero_copy_only=False)


def to_frame(table, name: str):
    """A part's table (or the concat of all parts') as the DataFrame of its columns (COLUMNS[name])."""
    import pandas as pd

    columns = COLUMNS[name]
    return pd.DataFrame({c: pd.Series(_values(c, t, table.column(c)), dtype=t) for c, t in columns.items()},
                        columns=list(columns))


# ---- bytes ---------------------------------------------------------------------------------------------

def _ipc(table) -> bytes:
    import pyarrow as pa

    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as w:
        w.write_table(table)
    return sink.getvalue().to_pybytes()


def _table(data: bytes):
    import pyarrow as pa

    return pa.ipc.open_stream(pa.py_buffer(data)).read_all()


def dumps(tables: dict, part: Part) -> bytes:
    """A part as bytes: a header (JSON: the tables' names and lengths, the problems, rows and sheets),
    then each of its Arrow tables (Part.tables) as an Arrow IPC stream."""
    blobs = {name: _ipc(t) for name, t in tables.items()}
    head = {
        "tables": [[name, len(b)] for name, b in blobs.items()],
        "problems": [[p.severity, p.message, p.file, p.sheet, p.row, p.column] for p in part.problems],
        "sheet_rows": [[f, s, dict(c)] for (f, s), c in part.sheet_rows.items()],
        "files": part.files, "unreadable": part.unreadable, "sheets": [list(x) for x in part.sheets],
    }
    h = json.dumps(head, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return b"".join([MAGIC, struct.pack("<Q", len(h)), h, *blobs.values()])


def loads(data: bytes) -> tuple:
    """(Arrow tables, Part without its columns) of dumps' bytes; ValueError when they are not such bytes."""
    if not data.startswith(MAGIC):
        raise ValueError("not a govxl part")
    at = len(MAGIC)
    (n,) = struct.unpack_from("<Q", data, at)
    at += 8
    head = json.loads(data[at:at + n].decode("utf-8", "surrogatepass"))
    at += n
    tables = {}
    for name, size in head["tables"]:
        tables[name] = _table(data[at:at + size])
        at += size
    if at != len(data):
        raise ValueError("a govxl part of another length")
    part = Part()
    part.problems = [Problem(*p) for p in head["problems"]]
    part.sheet_rows = {(f, s): Counter(c) for f, s, c in head["sheet_rows"]}
    part.files, part.unreadable = head["files"], head["unreadable"]
    part.sheets = [tuple(x) for x in head["sheets"]]
    return tables, part
