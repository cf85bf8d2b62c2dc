"""What the .xlsx and the .docx of `govxl disclosure` share: fonts, the marker, the document time."""
from __future__ import annotations

import datetime as dt

from . import tables as T

MARKER = T.OUTPUT_MARKER  # in both files' properties: such a file is never read back as a register
FONT_TABLE = "宋体"
FONT_TITLE = "方正小标宋简体"
FONT_BODY = "仿宋_GB2312"
FONT_HEADING = "黑体"


def fixed_time(result: dict) -> dt.datetime:
    """The documents' creation time: fixed (1 January of the next year), so the same tables give the same bytes."""
    return dt.datetime(int(result["year"]) + 1, 1, 1, 0, 0, 0)


def table3_values(result: dict) -> dict:
    """Table 三 of a result as label → {column: number}."""
    return {r["label"]: r["values"] for r in result["table3"]}
