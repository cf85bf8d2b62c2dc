"""跨单位疑似重复: the same event sent by two units with slightly different titles. Pairs of counted items
of different units, submitted within 跨单位疑似重复天数 calendar days of each other, whose title keys differ
but whose character-level ratio (rapidfuzz fuzz.ratio, as 疑似重复) reaches 跨单位疑似重复阈值.

Not listed: equal keys (首报 has linked them already: the later one is 重复, or 全计 counts both on
purpose), two items of one unit (疑似重复 within the unit lists those), and a 联合报送 item paired with an
item of a unit it names as a joint sender.

Blocking, never every pair: the items are taken in 首报 order (submitted, then register order), so of a
pair the first is the earlier one. The days are cut into spans of N + 1 days (N the window): a pair
within N days lies in one span or in two adjacent ones. Each span is compared with itself and with the
span before it through the prefix filter of suspects.py (_Prefixes: two titles reaching the threshold
share one of each one's rarest tokens), built over those two spans alone; the candidates are kept when
of different units, within the window and of lengths that can reach the threshold, and are scored a pair
at a time (process.cpdist) or, when they are many, as the cells of a matrix (process.cdist). A block
whose candidates are too many to hold is compared with every title of its window in a matrix. The filter
drops only pairs that cannot reach the threshold, so the pairs are those of comparing every pair.

Two limits keep a run short and are said, never silent: at most PAIRS_LISTED pairs are listed (the
earliest), and at most COMPARISON_BUDGET matrix cells (or their cost) are compared.
"""
from __future__ import annotations

from . import suspects as S

PAIRS_LISTED = 2_000  # pairs listed in one run: no person confirms more one by one
COMPARISON_BUDGET = 500_000_000  # cdist-matrix cells (or the cost of as many) compared in one run
BLOCK = 512  # later titles compared together
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
    """The comparable items as arrays, compared span by span."""

    def __init__(self, t, threshold: float, days: int, since, workers: int):
        import numpy as np
        import pandas as pd

        self.keys = t["key"].tolist()
        self.n = len(self.keys)
        self.unit, self.names = pd.factorize(t["unit"].to_numpy(dtype=object), use_na_sentinel=False)
        self.day = t["submitted"].to_numpy().astype("datetime64[D]").astype(np.int64)
        self.joint = t["joint"].to_numpy(dtype=object)
        self.lens = np.fromiter(map(len, self.keys), dtype=np.int64, count=self.n)
        self.threshold, self.thr, self.days, self.workers = threshold, np.float64(threshold), days, workers
        self.tau = min(max(threshold, 0.0), 100.0) / 100.0
        self.first = 0  # the later title of a pair is at or after this position
        if since is not None:
            self.first = int(np.searchsorted(self.day, np.datetime64(pd.Timestamp(since).date(), "D").astype(np.int64)))
        self.budget = COMPARISON_BUDGET

    def spans(self) -> list:
        """(lo, a, b): the titles lo..b-1 of a span a..b-1 of N + 1 days and the span before it (if adjacent)."""
        import numpy as np

        span = (self.day - self.day[0]) // (self.days + 1)
        cut = np.flatnonzero(np.diff(span)) + 1
        starts, ends = np.concatenate([[0], cut]), np.concatenate([cut, [self.n]])
        out = []
        for k, (a, b) in enumerate(zip(starts.tolist(), ends.tolist())):
            lo = starts[k - 1] if k and span[a] - span[starts[k - 1]] == 1 else a
            if b > self.first:
                out.append((int(lo), max(a, self.first), b))
        return out

    def pairs(self) -> tuple:
        """([(i, j, score)], note or None), by j then i."""
        found, count = [], 0
        for lo, a, b in self.spans():
            w = _Window(self, lo, b)
            for j0 in range(a, b, BLOCK):
                j1 = min(b, j0 + BLOCK)
                plan = w.plan(j0, j1)
                if plan[0] > self.budget:
                    return found, (f"跨单位疑似重复比对量超出上限，{_day(self.day[j0])} 起报送的标题未再比对；"
                                   "可调高设置中的“跨单位疑似重复阈值”、缩短“跨单位疑似重复天数”或分期运行")
                self.budget -= plan[0]
                hits = w.score(j0, j1, plan)
                found.extend(hits)
                count += len(hits)
                if count > PAIRS_LISTED:
                    return found[:PAIRS_LISTED], (
                        f"跨单位疑似重复超过 {PAIRS_LISTED} 对，只列出报送最早的 {PAIRS_LISTED} 对，其余未再比对；"
                        "可调高设置中的“跨单位疑似重复阈值”或缩短“跨单位疑似重复天数”")
        return found, None

    def workers_for(self, cells: int) -> int:
        return self.workers if cells >= 100_000 else 1


def _day(d) -> str:
    import numpy as np

    return str(np.datetime64(int(d), "D"))


class _Window:
    """Titles lo..hi-1 of the run (a span and the one before it): their compact spelling and prefix index."""

    def __init__(self, run: _Run, lo: int, hi: int):
        self.run, self.lo, self.hi = run, lo, hi
        keys = run.keys[lo:hi]
        self.codes, self.exact = S._compact_alphabet(keys)
        self.prefixes = None
        if run.tau > 0:
            self.prefixes = S._Prefixes(keys, run.lens[lo:hi], run.tau, 2 if run.tau >= S.BIGRAMS_FROM else 1)

    def plan(self, j0: int, j1: int) -> tuple:
        """(cost, how, data) for titles j0..j1-1 against the earlier ones of the window: ("all", c0) every
        title from c0 in a matrix; ("matrix", I, J, U) the candidates' columns U; ("pairs", I, J)."""
        import numpy as np

        run = self.run
        c0 = max(self.lo, int(np.searchsorted(run.day, run.day[j0] - run.days)))
        everything = (j1 - j0) * (j1 - c0)
        if self.prefixes is None:
            return everything, "all", c0
        upper = self.prefixes.upper(j0 - self.lo, j1 - self.lo)
        if upper == 0:
            return 0, "none", None
        if upper > S.CANDIDATES_HELD or upper * S.PAIR_COST >= everything:
            return everything, "all", c0
        i, j = self.prefixes.candidates(j0 - self.lo, j1 - self.lo)
        i, j = i + self.lo, j + self.lo
        lo_len, hi_len = np.minimum(run.lens[i], run.lens[j]), np.maximum(run.lens[i], run.lens[j])
        ok = (hi_len * run.tau <= lo_len * (2.0 - run.tau) + 1e-9) & self._apart(i, j)
        code = np.unique(j[ok] * run.n + i[ok])  # each pair once, by j then i
        if code.size == 0:
            return 0, "none", None
        j, i = np.divmod(code, run.n)
        cols = np.unique(i)
        if (j1 - j0) * cols.size < code.size * S.PAIR_COST:
            return (j1 - j0) * cols.size, "matrix", (i, j, cols)
        return code.size * S.PAIR_COST, "pairs", (i, j)

    def _apart(self, i, j):
        """Candidates (earlier i, later j) of different units, within the window of days."""
        run = self.run
        return (run.unit[i] != run.unit[j]) & (run.day[j] - run.day[i] <= run.days)

    def score(self, j0: int, j1: int, plan: tuple) -> list:
        """[(i, j, score)] of the pairs reaching the threshold and not excluded, by j then i."""
        import numpy as np
        from rapidfuzz import fuzz, process

        _, how, data = plan
        if how == "none":
            return []
        run, codes, lo = self.run, self.codes, self.lo
        if how == "pairs":
            i, j = data
            s = process.cpdist([codes[k - lo] for k in i.tolist()], [codes[k - lo] for k in j.tolist()],
                               scorer=fuzz.ratio, score_cutoff=run.threshold, dtype=np.float32,
                               workers=run.workers_for(i.size))
            ok = s >= run.thr
            return self._checked(i[ok], j[ok], s[ok])
        rows = codes[j0 - lo:j1 - lo]
        step = max(1, S.MATRIX_CELLS // len(rows))
        parts = []
        if how == "all":  # every title of the window from c0, the pairs picked out of the matrix
            cols = np.arange(data, j1 - 1)
            for k0 in range(0, cols.size, step):
                chunk = cols[k0:k0 + step]
                m = self._matrix(rows, chunk)
                r, c = np.nonzero(m >= run.thr)
                jj, ii = r + j0, chunk[c]
                keep = (ii < jj) & self._apart(ii, jj)
                parts.append((ii[keep], jj[keep], m[r[keep], c[keep]]))
        else:  # the candidates' cells of a matrix of the block against the titles they meet
            i, j, cols = data
            at = np.searchsorted(cols, i)
            for k0 in range(0, cols.size, step):
                chunk = cols[k0:k0 + step]
                m = self._matrix(rows, chunk)
                mine = (at >= k0) & (at < k0 + chunk.size)
                s = m[j[mine] - j0, at[mine] - k0]
                ok = s >= run.thr
                parts.append((i[mine][ok], j[mine][ok], s[ok]))
        if not parts:
            return []
        i, j, s = (np.concatenate([p[k] for p in parts]) for k in range(3))
        order = np.lexsort((i, j))
        return self._checked(i[order], j[order], s[order])

    def _matrix(self, rows: list, cols):
        """process.cdist of the block's titles against the window's titles at positions cols."""
        import numpy as np
        from rapidfuzz import fuzz, process

        run, lo = self.run, self.lo
        return process.cdist(rows, [self.codes[k - lo] for k in cols.tolist()], scorer=fuzz.ratio,
                             score_cutoff=run.threshold, dtype=np.float32,
                             workers=run.workers_for(len(rows) * cols.size))

    def _checked(self, i, j, s) -> list:
        """Drop equal keys and joint items naming the other unit; where the compact alphabet was not
        one-to-one, score again on the real titles."""
        import numpy as np
        from rapidfuzz import fuzz

        run = self.run
        out = []
        for a, b, v in zip(i.tolist(), j.tolist(), s.tolist()):
            ka, kb = run.keys[a], run.keys[b]
            if ka == kb or _joint(run, a, b):
                continue
            if not self.exact:
                v = float(np.float32(fuzz.ratio(ka, kb, score_cutoff=run.threshold)))
            if v >= run.threshold:
                out.append((a, b, v))
        return out


def _joint(run: _Run, a: int, b: int) -> bool:
    """Whether one of the two is a 联合报送 item naming the other's unit."""
    ja, jb = run.joint[a], run.joint[b]
    return bool((ja and run.names[run.unit[b]] in ja) or (jb and run.names[run.unit[a]] in jb))


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
