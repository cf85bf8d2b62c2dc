"""Scoring periods: a month, quarter, half-year, year or a date range (spec §5)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..errors import UsageError


@dataclass(frozen=True)
class Period:
    label: str  # 2024-10, 2024-Q3, 2024-H1, 2024, 2024-03-01_2024-05-31
    start: dt.date
    end: dt.date  # inclusive
    kind: str  # month | quarter | half | year | range
    title: str  # 2024年10月, 2024年第三季度 …

    def contains(self, d) -> bool:
        if d is None:
            return False
        if isinstance(d, dt.datetime):
            d = d.date()
        return self.start <= d <= self.end

    def submitted_within(self, items):
        """Per row of items (a table with a submitted column): whether it was submitted within the period,
        as numpy bools (NaT never is) — items[mask] are the period's."""
        import pandas as pd

        submitted = items["submitted"]
        lo, hi = pd.Timestamp(self.start), pd.Timestamp(self.end + dt.timedelta(days=1))
        return ((submitted >= lo) & (submitted < hi)).to_numpy()

    def months(self) -> list:
        """(year, month) of every calendar month the period touches."""
        out = []
        y, m = self.start.year, self.start.month
        while (y, m) <= (self.end.year, self.end.month):
            out.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out

    def task_months(self) -> list:
        """The months whose 月任务数 is due: those the period has reached by today (a year scored in
        November has eleven months of tasks, not twelve)."""
        now = today()
        return [(y, m) for y, m in self.months() if dt.date(y, m, 1) <= now]

    def year_to_date(self) -> "Period":
        start = dt.date(self.end.year, 1, 1)
        return Period(f"{self.end.year}-YTD", start, self.end, "range", f"{self.end.year}年1月至{self.end.month}月")

    def previous_month(self) -> "Period | None":
        if self.kind != "month":
            return None
        y, m = self.start.year, self.start.month
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
        return month(y, m)

    def previous(self) -> "Period":
        """The period of the same kind just before (排名变化 compares with it): the month, quarter or half
        before (Q1: Q4 of the year before; H1: H2), the year before; a range of whole months: as many
        months just before it, else as many days just before it."""
        y = self.start.year
        if self.kind == "month":
            return self.previous_month()
        if self.kind == "quarter":
            q = (self.start.month + 2) // 3
            return _quarter_option(f"{y - 1}-Q4" if q == 1 else f"{y}-Q{q - 1}")
        if self.kind == "half":
            return _half_option(f"{y - 1}-H2" if self.start.month == 1 else f"{y}-H1")
        if self.kind == "year":
            return _year_option(str(y - 1))
        if self.start.day == 1 and self.end == month_end(self.end.year, self.end.month):
            n = len(self.months())
            k = y * 12 + self.start.month - 1 - n  # the first month before, counted from year 0
            start, last = dt.date(k // 12, k % 12 + 1, 1), self.start - dt.timedelta(days=1)
        else:
            last = self.start - dt.timedelta(days=1)
            start = last - (self.end - self.start)
        return _range_option(start.isoformat(), last.isoformat())

    def to_dict(self) -> dict:
        return {"label": self.label, "start": self.start.isoformat(), "end": self.end.isoformat(),
                "kind": self.kind, "title": self.title}


def today() -> dt.date:
    """The run's date (one place, so a test can set it)."""
    return dt.date.today()


def coverage_alerts(period: Period, items, within) -> list:
    """What a clerk must be told before circulating the period's figures: that its registers hold nothing
    in the period (a mistyped year, `--month 2031-01`), or that they end before a month the period has
    reached (a year scored with December's registers not in). Messages, each said with the dates the
    registers do cover. items: the read's items table; within: period.submitted_within(items)."""
    dates = items["submitted"].dropna()
    if not len(dates):
        return [f"没有读到任何报送记录，{period.title}的统计结果全部为零：请确认登记表已放入 workbooks 文件夹"]
    first, last = dates.min().date(), dates.max().date()
    span = f"登记表中的报送日期在 {first.isoformat()} 至 {last.isoformat()} 之间"
    if not within.any():
        return [f"统计期间 {period.title}（{period.start.isoformat()} 至 {period.end.isoformat()}）内没有任何报送记录，"
                f"{span}：请核对期间（如年份）是否写错；本次结果不能作为通报下发"]
    now = today()
    # the month in progress is not yet a month without data: its registers are still coming in
    ended = [(y, m) for y, m in period.task_months() if month_end(y, m) < now]
    if ended and last < dt.date(*ended[-1], 1):
        empty = [f"{yy}年{mm}月" for yy, mm in ended if dt.date(yy, mm, 1) > last]
        return [f"{span}，而统计期间到 {period.end.isoformat()}：{'、'.join(empty)}没有任何报送记录，"
                f"各单位这些月份按零报送计：请确认登记表是否收齐"]
    return []


def month_end(y: int, m: int) -> dt.date:
    nxt = dt.date(y + 1, 1, 1) if m == 12 else dt.date(y, m + 1, 1)
    return nxt - dt.timedelta(days=1)


def month(y: int, m: int) -> Period:
    return Period(f"{y:04d}-{m:02d}", dt.date(y, m, 1), month_end(y, m), "month", f"{y}年{m}月")


QUARTER_NAMES = "一二三四"


def _month_option(text: str) -> Period:
    m = re.fullmatch(r"(\d{4})-?(\d{1,2})", text.strip())
    if not m or not 1 <= int(m.group(2)) <= 12:
        raise ValueError
    return month(int(m.group(1)), int(m.group(2)))


def _quarter_option(text: str) -> Period:
    m = re.fullmatch(r"(\d{4})-?[Qq]([1-4])", text.strip())
    if not m:
        raise ValueError
    y, q = int(m.group(1)), int(m.group(2))
    return Period(f"{y}-Q{q}", dt.date(y, 3 * q - 2, 1), month_end(y, 3 * q), "quarter",
                  f"{y}年第{QUARTER_NAMES[q - 1]}季度")


def _half_option(text: str) -> Period:
    m = re.fullmatch(r"(\d{4})-?[Hh]([12])", text.strip())
    if not m:
        raise ValueError
    y, h = int(m.group(1)), int(m.group(2))
    return Period(f"{y}-H{h}", dt.date(y, 1 if h == 1 else 7, 1), month_end(y, 6 if h == 1 else 12), "half",
                  f"{y}年{'上' if h == 1 else '下'}半年")


def _year_option(text: str) -> Period:
    if not re.fullmatch(r"\d{4}", text.strip()):
        raise ValueError
    y = int(text)
    return Period(f"{y}", dt.date(y, 1, 1), dt.date(y, 12, 31), "year", f"{y}年")


def _range_option(from_: str, to: str) -> Period:
    if not (from_ and to):
        raise UsageError("--from 和 --to 需要同时指定，例如 --from 2024-03-01 --to 2024-05-31")
    a = dt.date.fromisoformat(from_.strip())
    b = dt.date.fromisoformat(to.strip())
    if b < a:
        raise UsageError(f"--to {to} 早于 --from {from_}")
    return Period(f"{a.isoformat()}_{b.isoformat()}", a, b, "range",
                  f"{a.year}年{a.month}月{a.day}日至{'' if b.year == a.year else f'{b.year}年'}{b.month}月{b.day}日")


def parse_period(*, month_: str = None, quarter: str = None, half: str = None, year: str = None,
                 from_: str = None, to: str = None) -> Period:
    """Exactly one of the period options → Period. Raises UsageError with a Chinese message."""
    options = (("--month", month_), ("--quarter", quarter), ("--half", half), ("--year", year),
               ("--from/--to", " ".join(x for x in (from_, to) if x)))
    given = [name for name, v in options if v]
    if len(given) > 1:
        raise UsageError(f"{'、'.join(given)} 不能同时使用：请只指定一个统计期间")
    if not given:
        raise UsageError("请指定一个统计期间：--month 2024-10、--quarter 2024-Q3、--half 2024-H1、--year 2024 或 --from/--to")
    try:
        for text, parse in ((month_, _month_option), (quarter, _quarter_option), (half, _half_option),
                            (year, _year_option)):
            if text:
                return parse(text)
        return _range_option(from_, to)
    except ValueError:
        written = next(f"{name} {v}" for name, v in options if v)
        raise UsageError(f"期间格式不正确：{written}（例如 --month 2024-10、--quarter 2024-Q3、--half 2024-H1、"
                         f"--year 2024、--from 2024-03-01 --to 2024-05-31）") from None
