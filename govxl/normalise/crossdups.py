"""跨单位疑似重复: the same event sent by two units with slightly different titles. Pairs of counted items
of different units, submitted within 跨单位疑似重复天数 calendar days of each other, whose title keys differ
but whose character-level ratio (rapidfuzz fuzz.ratio, as 疑似重复) reaches 跨单位疑似重复阈值.

Not listed: equal keys (首报 has linked them already: the later one is 重复, or 全计 counts both on
purpose), two items of one unit (疑似重复 within the unit lists those), and a 联合报送 item paired with an
item of a unit it names as a joint sender.

The items are taken in 首报 order (submitted, then register order), so of a pair the first is the earlier
one, and searched by govxl.normalise.similar (prefix groups and a count bound, then rapidfuzz) in parts:
each a run of later titles indexed with the titles of the N days (the window) before its first one, a
title compared with the earlier ones of at most N days before it and of other units. The pairs are those
of comparing every pair.

Two limits keep a run short and are said, never silent: at most PAIRS_LISTED pairs are listed (the
earliest), and at most COMPARISON_BUDGET cells of the count bound's matrices (or their cost) are compared.
"""
from __future__ import annotations

PAIRS_LISTED = 2_000  # pairs listed in one run: no person confirms more one by one
COMPARISON_BUDGET = 10_000_000_000  # cells of the count bound's matrices (or their cost) in one run: tens of seconds
COLUMNS = ("seq", "unit", "title", "file", "sheet", "row", "submitted")  # what a message names


def cross_unit_pairs(items, threshold: float, days: int, *, since=None, workers: int = -1) -> tuple:
    """([(a, b, score)], [note]) over the items table: a earlier than b (首报 order), of different units,
    submitted at most `days` calendar days apart, each a record (COLUMNS) of its row; only pairs whose
    later item is submitted on or after `since` (a date; None = every pair). Pairs by b, then a."""
    return started(items, threshold, days, since=since, workers=workers)()


def started(items, threshold: float, days: int, *, since=None, workers: int = -1, background: bool = False):
    """cross_unit_pairs as a function of no argument that returns its result. The tables are read here,
    in the caller's thread; with background, the comparison (numpy and rapidfuzz, which release the GIL,
    on arrays of its own) runs meanwhile in a thread, and the function waits for it."""
    import threading

    import numpy as np

    t = _comparable(items)
    if len(t) < 2:
        return lambda: ([], [])
    run = _Run(t, float(threshold), max(0, int(days)), since, workers)
    done: dict = {}

    def compare():
        try:
            done["pairs"] = run.pairs()
        except BaseException as exc:  # handed to the caller, who raises it where it waits
            done["error"] = exc

    worker = threading.Thread(target=compare, name="govxl-crossdups", daemon=True) if background else None
    if worker is not None:
        worker.start()

    def result() -> tuple:
        if worker is not None:
            worker.join()
        elif not done:
            compare()
        if "error" in done:
            raise done["error"]
        pairs, note = done["pairs"]
        picked = t.iloc[sorted({p for i, j, _ in pairs for p in (i, j)})]
        rows = dict(zip(picked.index.tolist(), picked[list(COLUMNS)].itertuples(index=False, name="Item")))
        at = t.index.to_numpy()
        out = [(rows[at[i]], rows[at[j]], float(np.float32(s))) for i, j, s in pairs]
        return out, [note] if note else []

    return result


def _comparable(items):
    """The counted items with a title key and a submission date, in 首报 order, indexed 0..n-1."""
    t = items[(items["status"] == "counted").to_numpy() & (items["key"] != "").to_numpy()
              & items["submitted"].notna().to_numpy()]
    return t.sort_values(["submitted", "seq"], kind="stable").reset_index(drop=True)


class _Run:
    """The comparable items as arrays, searched a part (a run of later titles) at a time."""

    def __init__(self, t, threshold: float, days: int, since, workers: int):
        import numpy as np
        import pandas as pd

        from . import similar

        self.titles = similar.Titles(t["key"].tolist(), threshold, workers)
        self.n = self.titles.n
        self.unit, self.names = pd.factorize(t["unit"].to_numpy(dtype=object), use_na_sentinel=False)
        self.day = t["submitted"].to_numpy().astype("datetime64[D]").astype(np.int64)
        self.joint = t["joint"].to_numpy(dtype=object)
        self.days = days
        self.first = 0  # the later title of a pair is at or after this position
        if since is not None:
            self.first = int(np.searchsorted(self.day, np.datetime64(pd.Timestamp(since).date(), "D").astype(np.int64)))

    def parts(self, start) -> list:
        """(lo, a, b): later titles a..b − 1, PART_ROWS of them, indexed with the titles from the first one's
        start (N days before it): every partner of a later title is among them."""
        from . import similar

        return [(int(start[a]), a, min(self.n, a + similar.PART_ROWS)) for a in range(self.first, self.n, similar.PART_ROWS)]

    def pairs(self) -> tuple:
        """([(i, j, score)], note or None), by j then i."""
        import numpy as np

        from . import similar

        start = np.searchsorted(self.day, self.day - self.days)  # the first title within N days before each
        found, stop = similar.search(self.titles, self.parts(start), similar.Budget(COMPARISON_BUDGET), PAIRS_LISTED,
                                     start=start, allowed=lambda i, j: self.unit[i] != self.unit[j],
                                     exclude=self._joint)
        if stop is None:
            return found, None
        if stop[0] == "budget":
            return found, (f"跨单位疑似重复比对量超出上限，{_day(self.day[stop[1]])} 起报送的标题未再比对；"
                           "可调高设置中的“跨单位疑似重复阈值”、缩短“跨单位疑似重复天数”或分期运行")
        return found, (f"跨单位疑似重复超过 {PAIRS_LISTED} 对，只列出报送最早的 {PAIRS_LISTED} 对，其余未再比对；"
                       "可调高设置中的“跨单位疑似重复阈值”或缩短“跨单位疑似重复天数”")

    def _joint(self, a: int, b: int) -> bool:
        """Whether one of the two is a 联合报送 item naming the other's unit."""
        ja, jb = self.joint[a], self.joint[b]
        return bool((ja and self.names[self.unit[b]] in ja) or (jb and self.names[self.unit[a]] in jb))


def _day(d) -> str:
    import numpy as np

    return str(np.datetime64(int(d), "D"))


def cross_unit_problems(items, cfg, period=None, *, background: bool = False):
    """跨单位疑似重复 as warnings (like 疑似重复: for a person to confirm; nothing changes in the scores):
    one per pair, at the later item's row, naming the earlier one's; and one if a limit cut the search
    short. With a period, the pairs whose later item was submitted in it (its partner may be up to the
    window's days before the period's start). With background, a function of no argument returning
    them, the comparison running meanwhile (see started)."""
    import datetime as dt

    import pandas as pd

    from ..errors import WARNING, Problem

    if cfg.setting("跨单位疑似重复") == "否":
        return (lambda: []) if background else []
    days = int(cfg.num("跨单位疑似重复天数", 7))
    since = None
    if period is not None:
        submitted = items["submitted"]
        lo = pd.Timestamp(period.start - dt.timedelta(days=days))
        hi = pd.Timestamp(period.end + dt.timedelta(days=1))
        items = items[((submitted >= lo) & (submitted < hi)).to_numpy()]
        since = period.start
    found = started(items, cfg.num("跨单位疑似重复阈值", 90), days, since=since, background=background)

    def problems() -> list:
        pairs, notes = found()
        return [Problem(WARNING, note) for note in notes] + [
            Problem(WARNING, cross_unit_message(a, b, s), b.file, b.sheet, b.row) for a, b, s in pairs]

    return problems if background else problems()


def cross_unit_message(a, b, score: float) -> str:
    """The message of a pair (a the earlier), shown at b's row."""
    da, db = a.submitted.date(), b.submitted.date()
    if da < db:
        earlier = f"{a.unit}的较早"
    elif a.submitted < b.submitted:
        earlier = f"同日报送，{a.unit}的时间较早"
    else:
        earlier = f"同日报送，{a.unit}的登记在前"
    return (f"跨单位疑似重复（相似度 {score:.0f}）：本行{b.unit} {db:%Y-%m-%d} 报送的“{b.title}”与"
            f"{a.unit} {da:%Y-%m-%d} 报送的“{a.title}”（{a.file} › {a.sheet} › 第{a.row}行）相近，{earlier}；"
            "请人工确认是否同一事件，目前两篇都计入")
