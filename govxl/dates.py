"""Dates as registers write them: Excel dates, serial numbers and the text forms clerks type.

parse_date() never raises: it returns the datetime, or None with a Chinese reason.
"""
from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import NamedTuple, Optional

EXCEL_EPOCH = dt.datetime(1899, 12, 30)
# Serial numbers we accept as dates: 1990-01-01 .. 2099-12-31 (anything else in a date column is a typo).
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
        return ParsedDate(value.replace(microsecond=0, tzinfo=None))
    if isinstance(value, dt.date):
        return ParsedDate(dt.datetime(value.year, value.month, value.day))
    if isinstance(value, dt.time):
        return ParsedDate(None, error="只有时间没有日期")
    if isinstance(value, bool):
        return ParsedDate(None, error=f"无法识别的日期“{value}”")
    if isinstance(value, (int, float)):
        if value != value:
            return ParsedDate(None)
        if float(value).is_integer() and 19000101 <= value <= 20991231:
            return _text_date(str(int(value)), default_year)
        d = from_serial(float(value))
        if d is not None:
            return ParsedDate(d.replace(microsecond=0))
        return ParsedDate(None, error=f"无法识别的日期“{value}”")
    return _text_date(str(value), default_year)


def _text_date(raw: str, default_year: Optional[int]) -> ParsedDate:
    text = unicodedata.normalize("NFKC", raw).strip()
    if not text:
        return ParsedDate(None)
    for pat in _PATTERNS:
        m = pat.match(text)
        if m:
            d = _build(*m.groups())
            if d is None:
                return ParsedDate(None, error=f"日期不存在“{raw}”")
            return ParsedDate(d)
    m = _NO_YEAR.match(text)
    if m:
        if default_year is None:
            return ParsedDate(None, error=f"日期“{raw}”缺少年份")
        d = _build(default_year, *m.groups())
        if d is None:
            return ParsedDate(None, error=f"日期不存在“{raw}”")
        return ParsedDate(d, warning=f"日期“{raw}”缺少年份，按{default_year}年计")
    # a serial number typed or exported as text (CSV)
    try:
        x = float(text)
    except ValueError:
        return ParsedDate(None, error=f"无法识别的日期“{raw}”")
    d = from_serial(x)
    if d is not None:
        return ParsedDate(d.replace(microsecond=0))
    return ParsedDate(None, error=f"无法识别的日期“{raw}”")
