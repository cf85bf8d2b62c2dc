"""What one register file normalises to, as tables, and its bytes (sent by a worker, kept in the cache).

normalise: a `Part` collects a file's rows column by column while its sheets are read (`sheet`), then
becomes DataFrames:

items               unit, title, key, submitted, kind, author, event_time, commission, false_report, note,
                    joint, file, sheet, row  (one per counted row, in register order)
adoptions           item (its place in items), k, level, rule, points, text, date, multiplier
instructions        item, k, level, text, date
claims              the rows of an office's 采用登记, matched to items once every file is read:
                    unit, title, key, file, sheet, row, title_col
claim_adoptions     claim, k, level, rule, points, text, date, multiplier
claim_instructions  claim, k, level, text, date
commissions         unit, topic, issued, deadline, done, file, sheet, row

with its problems and row counts. `dumps` writes them as Arrow IPC streams (columns, loaded without a
Python object a row, and nothing in them is executed when loaded); `loads` reads them back.
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
MAGIC = b"govxl-part 4\n"


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

    def frames(self) -> dict:
        """The part's tables as DataFrames (the title keys worked out here, all at once)."""
        from .text import norm_titles

        out = {name: F.table(columns, getattr(self, name)) for name, columns in TABLES.items()}
        out["items"].insert(2, "key", norm_titles(self.items["title"]))
        out["claims"].insert(2, "key", norm_titles(self.claims["title"]))
        return out


# ---- bytes ---------------------------------------------------------------------------------------------

def _text_array(values):
    """Texts as an Arrow column; a column holding a lone surrogate (a damaged text, kept as read) as bytes."""
    import pyarrow as pa

    try:
        return pa.array(values, pa.string())
    except (UnicodeEncodeError, pa.ArrowInvalid):
        return pa.array([None if v is None else v.encode("utf-8", "surrogatepass") for v in values], pa.binary())


def _arrow(df) -> bytes:
    import pyarrow as pa

    arrays, names = [], []
    for name in df.columns:
        col = df[name]
        if name == "joint":  # tuples of names
            arrays.append(pa.array([list(x) for x in col], pa.list_(pa.string())))
        elif col.dtype == object:
            arrays.append(_text_array(col.tolist()))
        else:
            arrays.append(pa.array(col.to_numpy()))
        names.append(name)
    table = pa.Table.from_arrays(arrays, names=names)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as w:
        w.write_table(table)
    return sink.getvalue().to_pybytes()


def _pandas(data: bytes):
    import pandas as pd
    import pyarrow as pa

    table = pa.ipc.open_stream(pa.py_buffer(data)).read_all()
    out = {}
    for name, col in zip(table.column_names, table.columns):
        if pa.types.is_binary(col.type):
            out[name] = pd.Series([None if v is None else v.decode("utf-8", "surrogatepass")
                                   for v in col.to_pylist()], dtype=object)
        elif name == "joint":
            out[name] = pd.Series([tuple(x) for x in col.to_pylist()], dtype=object)
        elif pa.types.is_string(col.type) or pa.types.is_null(col.type):
            out[name] = pd.Series(col.to_numpy(zero_copy_only=False), dtype=object)
        else:
            out[name] = col.to_pandas()
    return pd.DataFrame(out, columns=table.column_names)


def dumps(frames: dict, part: Part) -> bytes:
    """A part as bytes: a header (JSON: the tables' names and lengths, the problems, rows and sheets),
    then each table as an Arrow IPC stream."""
    blobs = {name: _arrow(df) for name, df in frames.items()}
    head = {
        "tables": [[name, len(b)] for name, b in blobs.items()],
        "problems": [[p.severity, p.message, p.file, p.sheet, p.row, p.column] for p in part.problems],
        "sheet_rows": [[f, s, dict(c)] for (f, s), c in part.sheet_rows.items()],
        "files": part.files, "unreadable": part.unreadable, "sheets": [list(x) for x in part.sheets],
    }
    h = json.dumps(head, ensure_ascii=False).encode("utf-8", "surrogatepass")
    return b"".join([MAGIC, struct.pack("<Q", len(h)), h, *blobs.values()])


def loads(data: bytes) -> tuple:
    """(frames, Part without its columns) of dumps' bytes; ValueError when they are not such bytes."""
    if not data.startswith(MAGIC):
        raise ValueError("not a govxl part")
    at = len(MAGIC)
    (n,) = struct.unpack_from("<Q", data, at)
    at += 8
    head = json.loads(data[at:at + n].decode("utf-8", "surrogatepass"))
    at += n
    frames = {}
    for name, size in head["tables"]:
        frames[name] = _pandas(data[at:at + size])
        at += size
    if at != len(data):
        raise ValueError("a govxl part of another length")
    part = Part()
    part.problems = [Problem(*p) for p in head["problems"]]
    part.sheet_rows = {(f, s): Counter(c) for f, s, c in head["sheet_rows"]}
    part.files, part.unreadable = head["files"], head["unreadable"]
    part.sheets = [tuple(x) for x in head["sheets"]]
    return frames, part
