"""Dates as registers write them: Excel dates, serial numbers and the text forms clerks type.

parse_date() never raises: it returns the datetime, or None with a Chinese reason. Its reasons are
phrases to follow the column's name ("报送日期" + "“2025-02-30”不存在").

One plausibility rule for every form (spec §3): a date is taken only from YEAR_MIN to YEAR_MAX. An Excel
date cell of 1900 (a serial 1–60 formatted as a date), a typed 1985-10-09 and a bare number alike are
errors outside it, never counted silently.

A date written without a year ("10月9日") takes the year of the period being read: the year of the
period's end for `score`, `mail` and `disclosure`; for `check`, which has no period, the latest year of
the registers' dates that have one (registers.read_registers) — not today's year.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import NamedTuple, Optional

from .text import number_text

EXCEL_EPOCH = dt.datetime(1899, 12, 30)
YEAR_MIN, YEAR_MAX = 1990, 2099  # the years a register's dates can be in; anything else is a typo
YEAR_PROBE = 1996  # a leap year of the range: what `check` reads yearless dates as, to find them first
YEARLESS = "缺少年份，按"  # in the warning on a date without a year (registers.read_registers looks for it)
# the same years as Excel serial numbers: 1990-01-01 .. 2099-12-31
SERIAL_MIN, SERIAL_MAX = 32874, 73415

_TIME = r"(?:[ T]*(\d{1,2})[:：时点](?:(\d{1,2})分?)?(?:[:：]?(\d{1,2})秒?)?)?"
_PATTERNS = (
    # 2024-10-05, 2024/10/5, 2024.10.5, 2024年10月5日 (+ optional time)
    re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?" + _TIME + r"$"),
    # 20241005 (+ optional time)
    re.compile(r"^(\d{4})(\d{2})(\d{2})" + _TIME + r"$"),
)
# 10月5日, 10-05 without a year
_NO_YEAR = re.compile(r"^(\d{1,2})\s*[月]\s*(\d{1,2})\s*[日号]?" + _TIME + r"$")


class ParsedDate(NamedTuple):
    value: Optional[dt.datetime]
    warning: Optional[str] = None
    error: Optional[str] = None


def _build(y, mo, d, hh=None, mi=None, ss=None) -> Optional[dt.datetime]:
    try:
        return dt.datetime(int(y), int(mo), int(d), int(hh or 0), int(mi or 0), int(ss or 0))
    except (ValueError, TypeError):
        return None


def from_serial(x: float) -> Optional[dt.datetime]:
    if SERIAL_MIN <= x <= SERIAL_MAX:
        return EXCEL_EPOCH + dt.timedelta(days=float(x))
    return None


def parse_date(value, default_year: Optional[int] = None) -> ParsedDate:
    """Read one date cell. Blank → ParsedDate(None) with neither warning nor error."""
    if value is None or value == "":
        return ParsedDate(None)
    if isinstance(value, dt.datetime):
        return _plausible(value.replace(microsecond=0, tzinfo=None), None)
    if isinstance(value, dt.date):
        return _plausible(dt.datetime(value.year, value.month, value.day), None)
    if isinstance(value, dt.time):
        if value == dt.time(0, 0):  # what an Excel date cell holding 0 or a negative number is read as
            return ParsedDate(None, error="不是日期（单元格的值为 0、负数或只有时间 0:00）")
        return ParsedDate(None, error=f"只有时间“{value.strftime('%H:%M')}”没有日期")
    if isinstance(value, bool):
        return ParsedDate(None, error=f"“{value}”不是日期")
    if isinstance(value, (int, float)):
        if value != value or value in (float("inf"), float("-inf")):
            return ParsedDate(None, error=f"“{value}”不是日期")
        if float(value).is_integer() and 19000101 <= value <= 20991231:
            return _text_date(str(int(value)), default_year)
        return _serial(value, number_text(value))
    return _text_date(str(value), default_year)


def implausible_date(judged: ParsedDate) -> bool:
    """A cell that is written as a date but fails the rule (out of the years, or no such day): an error
    wherever a date may stand, not text to be read otherwise."""
    e = judged.error or ""
    return bool(e) and any(w in e for w in ("早于", "晚于", "不存在"))


def in_range(d: dt.datetime) -> bool:
    """Whether d is in the years a register's dates can be in (the one plausibility rule)."""
    return YEAR_MIN <= d.year <= YEAR_MAX


def _plausible(d: dt.datetime, raw: Optional[str], warning: Optional[str] = None) -> ParsedDate:
    if in_range(d):
        return ParsedDate(d, warning)
    shown = raw if raw is not None else d.strftime("%Y-%m-%d")
    side = f"早于{YEAR_MIN}年" if d.year < YEAR_MIN else f"晚于{YEAR_MAX}年"
    return ParsedDate(None, error=f"“{shown}”{side}，不像信息报送的日期，请核对")


def _serial(x: float, shown: str) -> ParsedDate:
    """A number in a date column, as an Excel serial number."""
    d = from_serial(x)
    if d is not None:
        return ParsedDate(d.replace(microsecond=0))
    if x <= 0:
        return ParsedDate(None, error=f"“{shown}”不是日期（0 或负数）")
    return ParsedDate(None, error=f"“{shown}”不是日期（当作 Excel 日期序号，不在{YEAR_MIN}—{YEAR_MAX}年之间）")


def _text_date(raw: str, default_year: Optional[int]) -> ParsedDate:
    text = unicodedata.normalize("NFKC", raw).strip()
    if not text:
        return ParsedDate(None)
    for pat in _PATTERNS:
        m = pat.match(text)
        if m:
            d = _build(*m.groups())
            if d is None:
                return ParsedDate(None, error=f"“{raw}”不存在（没有这一天或这一时刻）")
            return _plausible(d, raw)
    m = _NO_YEAR.match(text)
    if m:
        if default_year is None:
            return ParsedDate(None, error=f"“{raw}”缺少年份")
        d = _build(default_year, *m.groups())
        if d is None:
            return ParsedDate(None, error=f"“{raw}”不存在（{default_year}年没有这一天）")
        return _plausible(d, raw, warning=f"日期“{raw}”{YEARLESS}{default_year}年计")
    # a serial number typed or exported as text (CSV)
    try:
        x = float(text)
    except ValueError:
        return ParsedDate(None, error=f"“{raw}”无法识别为日期")
    if x != x or x in (float("inf"), float("-inf")):
        return ParsedDate(None, error=f"“{raw}”不是日期")
    return _serial(x, raw)
