"""疑似重复 (spec §4): pairs of one unit's counted items whose title keys differ but whose character-level
ratio reaches 疑似重复阈值.

The ratio is rapidfuzz's fuzz.ratio, 100 · 2·LCS / (len a + len b). Comparing every pair grows with the
square of a unit's items, so the titles are taken in order, a block at a time, and each block is compared
only with the earlier titles that can reach the threshold — found by prefix filtering (Chaudhuri et al.
2006, "A primitive operator for similarity joins"; Bayardo et al. 2007, "Scaling up all pairs similarity
search"):

- LCS ≤ the characters two titles share counted with multiplicity, so a pair reaches the ratio t only if
  that overlap is at least τ · (len a + len b) / 2 (τ = t/100), and as the overlap cannot exceed the shorter
  title, at least τ/(2 − τ) · len a for any partner of a;
- a title is a set of tokens (character, its k-th occurrence) ranked rarest first over the unit; two titles
  whose overlap reaches α share a token among each one's first len − α + 1 tokens. Each title is indexed
  under those few tokens; only titles met there are candidates.

The filter only drops pairs that cannot reach the threshold, so the pairs and their scores (float32, as
rapidfuzz stores them) are those of comparing every pair. The candidates of a block are scored one pair
at a time (process.cpdist) when they are few, or as a matrix (process.cdist, many times faster per pair)
when they are many. Two limits keep a run short and are said, never silent: a unit is not compared further
once PAIRS_LISTED pairs are found (no person confirms more one by one), and a run compares at most
COMPARISON_BUDGET pairs.
"""
from __future__ import annotations

from collections import Counter

PAIRS_LISTED = 2_000  # pairs listed for one unit
COMPARISON_BUDGET = 500_000_000  # cdist-matrix cells (or the cost of as many) compared in one run: seconds
PAIR_COST = 60  # one pair scored alone (candidates found, then cpdist) costs about as much as this many cells of a cdist matrix
BLOCK = 512  # titles compared together
MATRIX_CELLS = 4_000_000  # cells of one cdist matrix (float32): what bounds the comparison's memory
BIGRAMS_FROM = 0.75  # τ from which titles are indexed under bigrams rather than characters
INDEX_FIRST = 8_192  # titles indexed at first; then four times as many (or all, past half)
CANDIDATES_HELD = 4_000_000  # candidate pairs of one block held at once; past that the block is a matrix


def suspected_duplicates(items, threshold: float, *, workers: int = -1) -> tuple:
    """([(a, b, score)], [(unit, note)]) over the items table (title keys from its key column): pairs of
    counted items of one unit with similar, not equal, title keys, b the later, each a record of its row
    (seq, unit, title, file, sheet, row); notes say where a unit's comparison was cut short."""
    groups = suspect_groups(items)
    keys = items["key"].to_numpy(dtype=object)
    pairs, notes = similar_pairs([keys[g].tolist() for g in groups], threshold, workers=workers)
    at = [(groups[g][i], groups[g][j], s) for g, i, j, s in pairs]
    rows = _records(items, sorted({p for a, b, _ in at for p in (a, b)}))
    units = items["unit"].to_numpy(dtype=object)
    return [(rows[a], rows[b], s) for a, b, s in at], [(units[groups[g][0]], note) for g, note in notes]


def suspect_groups(items) -> list:
    """The positions (in the items table) of the counted items of each unit that has two or more: units
    in the order of their first counted item, each one's items in register order (numpy arrays)."""
    import numpy as np
    import pandas as pd

    counted = np.flatnonzero((items["status"] == "counted").to_numpy())
    codes, _ = pd.factorize(items["unit"].to_numpy(dtype=object)[counted], use_na_sentinel=False)
    order = np.argsort(codes, kind="stable")
    groups = np.split(counted[order], np.flatnonzero(np.diff(codes[order])) + 1) if len(order) else []
    return [g for g in groups if len(g) >= 2]


def _records(items, positions: list) -> dict:
    """{position: named tuple of that row's seq, unit, title, file, sheet, row}: the rows a message names."""
    picked = items.iloc[positions][["seq", "unit", "title", "file", "sheet", "row"]]
    return dict(zip(positions, picked.itertuples(index=False, name="Item")))


def similar_pairs(key_lists, threshold: float, *, workers: int = -1) -> tuple:
    """([(g, i, j, score)], [(g, note)]): within each list of title keys key_lists[g], the pairs i < j of
    different keys scoring at least threshold, ordered by j then i; notes name the lists cut short."""
    out, notes = [], []
    budget = [COMPARISON_BUDGET]
    for g, keys in enumerate(key_lists):
        if len(keys) < 2:
            continue
        unit = _Unit(list(keys), float(threshold), workers)
        pairs, note = unit.pairs(budget)
        out.extend((g, i, j, s) for i, j, s in pairs)
        if note:
            notes.append((g, note))
    return out, notes


class _Unit:
    """One unit's title keys, compared block by block."""

    def __init__(self, keys: list, threshold: float, workers: int):
        import numpy as np

        self.keys, self.threshold, self.workers = keys, threshold, workers
        self.thr = np.float64(threshold)  # compared in double precision against the float32 scores
        self.codes, self.exact = _compact_alphabet(keys)
        self.lens = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
        self.tau = min(max(threshold, 0.0), 100.0) / 100.0
        self.prefixes, self.indexed = None, 0

    def _index(self, j1: int):
        """The prefix index of at least titles 0..j1-1, or None at τ = 0 (every pair qualifies). It is built
        for a growing head of the titles, so a unit whose comparison stops early is not indexed whole."""
        if self.tau > 0 and j1 > self.indexed:
            n = len(self.keys)
            self.indexed = max(j1, 4 * self.indexed, INDEX_FIRST)
            self.indexed = n if 2 * self.indexed >= n else self.indexed
            # bigrams are far rarer than characters, but a pair must share fewer of them: from about
            # τ = 0.75 their prefixes are the more selective on Chinese titles
            self.prefixes = _Prefixes(self.keys[:self.indexed], self.lens[:self.indexed], self.tau,
                                      2 if self.tau >= BIGRAMS_FROM else 1)
        return self.prefixes

    def pairs(self, budget: list) -> tuple:
        """([(i, j, score)], note or None); budget[0] is lowered by what was compared."""
        n = len(self.keys)
        found: list = []
        count = 0
        small = n * n <= MATRIX_CELLS  # most units: one matrix of all their titles is the quickest
        for j0 in range(1, n, n if small else BLOCK):
            j1 = n if small else min(n, j0 + BLOCK)
            plan = ((j1 - j0) * j1, "all", None) if small else self._plan(j0, j1)
            if plan[0] > budget[0]:
                return _listed(found), (f"疑似重复比对量超出上限，本单位第 {j0 + 1} 条起的标题未与前面的比对；"
                                        "可调高设置中的“疑似重复阈值”或分期运行")
            budget[0] -= plan[0]
            hits = self._score(j0, j1, plan)
            if hits[0].size:
                found.append(hits)
                count += hits[0].size
            if count > PAIRS_LISTED:
                return _listed(found)[:PAIRS_LISTED], (
                    f"本单位疑似重复超过 {PAIRS_LISTED} 对，只列出按报送顺序最先的 {PAIRS_LISTED} 对，其余未再比对；"
                    "可调高设置中的“疑似重复阈值”")
        return _listed(found), None

    def _plan(self, j0: int, j1: int) -> tuple:
        """(cost, how, data) for titles j0..j1-1 against the earlier ones: ("all",) every earlier title in a
        matrix, ("matrix", I, J, U) the candidates' titles U in a matrix, ("pairs", I, J) the candidates."""
        import numpy as np

        rows = j1 - j0
        everything = rows * j1
        prefixes = self._index(j1)
        if prefixes is None:
            return everything, "all", None
        upper = prefixes.upper(j0, j1)
        if upper == 0:
            return 0, "none", None
        if upper > CANDIDATES_HELD or upper * PAIR_COST >= everything:
            return everything, "all", None
        i, j = prefixes.candidates(j0, j1)
        lo, hi = np.minimum(self.lens[i], self.lens[j]), np.maximum(self.lens[i], self.lens[j])
        tau = self.tau
        near = hi * tau <= lo * (2.0 - tau) + 1e-9  # the longer at most (2 − τ)/τ times the shorter
        code = np.unique(j[near] * len(self.keys) + i[near])  # each pair once, by j then i
        if code.size == 0:
            return 0, "none", None
        j, i = np.divmod(code, len(self.keys))
        cols = np.unique(i)
        if rows * cols.size < code.size * PAIR_COST:
            return rows * cols.size, "matrix", (i, j, cols)
        return code.size * PAIR_COST, "pairs", (i, j)

    def _score(self, j0: int, j1: int, plan: tuple) -> tuple:
        """(I, J, S) of the pairs reaching the threshold, ordered by J then I."""
        import numpy as np
        from rapidfuzz import fuzz, process

        _, how, data = plan
        codes, thr, cut = self.codes, self.thr, self.threshold
        if how == "none":
            return _none()
        if how == "pairs":
            i, j = data
            s = process.cpdist([codes[k] for k in i.tolist()], [codes[k] for k in j.tolist()],
                               scorer=fuzz.ratio, score_cutoff=cut, dtype=np.float32, workers=self._workers(i.size))
            ok = s >= thr
            return self._checked(i[ok], j[ok], s[ok])
        rows = codes[j0:j1]
        jj = np.arange(j0, j1)
        parts = []
        if how == "all":
            step = max(1, MATRIX_CELLS // len(rows))
            for c0 in range(0, j1 - 1, step):
                c1 = min(j1 - 1, c0 + step)
                m = process.cdist(rows, codes[c0:c1], scorer=fuzz.ratio, score_cutoff=cut, dtype=np.float32,
                                  workers=self._workers(len(rows) * (c1 - c0)))
                r, c = np.nonzero((m >= thr) & (np.arange(c0, c1)[None, :] < jj[:, None]))
                parts.append((c + c0, r + j0, m[r, c]))
        else:  # the candidates' cells of a matrix of the block against the titles they meet
            i, j, cols = data
            step = max(1, MATRIX_CELLS // len(rows))
            at = np.searchsorted(cols, i)
            for c0 in range(0, cols.size, step):
                chunk = cols[c0:c0 + step]
                m = process.cdist(rows, [codes[k] for k in chunk.tolist()], scorer=fuzz.ratio, score_cutoff=cut,
                                  dtype=np.float32, workers=self._workers(len(rows) * chunk.size))
                mine = (at >= c0) & (at < c0 + chunk.size)
                s = m[j[mine] - j0, at[mine] - c0]
                ok = s >= thr
                parts.append((i[mine][ok], j[mine][ok], s[ok]))
        i = np.concatenate([p[0] for p in parts])
        j = np.concatenate([p[1] for p in parts])
        s = np.concatenate([p[2] for p in parts])
        order = np.lexsort((i, j))
        return self._checked(i[order], j[order], s[order])

    def _workers(self, cells: int) -> int:
        """Threads for a call of this size: starting them costs more than a small matrix."""
        return self.workers if cells >= 100_000 else 1

    def _checked(self, i, j, s) -> tuple:
        """Drop equal keys; where the compact alphabet was not one-to-one, score again on the real titles."""
        import numpy as np
        from rapidfuzz import fuzz

        keys = self.keys
        keep, scores = [], []
        for a, b, v in zip(i.tolist(), j.tolist(), s.tolist()):
            ka, kb = keys[a], keys[b]
            if ka == kb:
                keep.append(False)
                scores.append(v)
                continue
            if not self.exact:
                v = float(np.float32(fuzz.ratio(ka, kb, score_cutoff=self.threshold)))
            keep.append(v >= self.threshold)
            scores.append(v)
        keep = np.array(keep, dtype=bool)
        return i[keep], j[keep], np.array(scores, dtype=np.float64)[keep]


def _none() -> tuple:
    import numpy as np

    e = np.empty(0, dtype=np.int64)
    return e, e, np.empty(0, dtype=np.float64)


def _listed(found: list) -> list:
    """[(i, j, score)] from the blocks' hits, in order."""
    out = []
    for i, j, s in found:
        out.extend(zip(i.tolist(), j.tolist(), s.tolist()))
    return out


class _Prefixes:
    """Each title's rarest tokens, as arrays: the prefix-filter index of one unit's titles.

    q = 1: the tokens are characters. A pair reaching τ shares LCS ≥ τ(la + lb)/2 of them.
    q = 2: the tokens are adjacent pairs of characters, far rarer. Deleting la − L characters of a and
    inserting lb − L breaks at most 2 of a's bigrams per deletion and 1 per insertion, so a pair with
    LCS = L shares at least 3L − la − lb − 1 bigrams. That bound is below 1 for short titles (or τ ≤ 2/3):
    those titles all carry one extra token, so they meet each other and are compared.
    Either way the k-th occurrence of a token in a title is a token of its own (overlaps are of
    multisets), and titles are indexed under their first len − α + 1 tokens, α the least overlap with any
    partner of their length.
    """

    def __init__(self, keys: list, lens, tau: float, q: int):
        import numpy as np

        n = len(keys)
        chars = np.frombuffer("".join(keys).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
        owner = np.repeat(np.arange(n, dtype=np.int64), lens)
        shortest = lens * tau / (2.0 - tau)  # the shortest and longest partner a title can have
        longest = lens * (2.0 - tau) / tau
        if q == 1:
            codes, owners = chars, owner
            alpha = np.ceil(shortest - 1e-9)
            ntok = lens
        else:
            same = owner[1:] == owner[:-1]
            codes, owners = ((chars[:-1] << 21) | chars[1:])[same], owner[:-1][same]
            least = np.minimum((1.5 * tau - 1.0) * (lens + shortest), (1.5 * tau - 1.0) * (lens + longest)) - 1.0
            alpha = np.ceil(least - 1e-9)
            ntok = np.maximum(lens - 1, 0)
        alpha = alpha.astype(np.int64)
        # the k-th occurrence of a code in its title: titles and codes in order, positions kept (stable)
        ids, dense = np.unique(codes, return_inverse=True)
        dense = dense.reshape(-1)
        o = np.argsort(owners * ids.size + dense, kind="stable")
        dc, oo = dense[o], owners[o]
        first = np.ones(o.size, dtype=bool)
        first[1:] = (dc[1:] != dc[:-1]) | (oo[1:] != oo[:-1])
        at = np.arange(o.size, dtype=np.int64)
        occurrence = at - np.maximum.accumulate(np.where(first, at, 0))
        tok = dc * 2 ** 15 + np.minimum(occurrence, 2 ** 15 - 1)  # a title holds at most 32,767 characters
        short = np.flatnonzero(alpha < 1)
        if q == 2 and short.size:
            tok = np.concatenate([tok, np.full(short.size, -1, dtype=np.int64)])
            oo = np.concatenate([oo, short])
            ntok = ntok + (alpha < 1)
        tokens, inverse, counts = np.unique(tok, return_inverse=True, return_counts=True)
        rank = np.empty(tokens.size, dtype=np.int64)
        rank[np.lexsort((tokens, counts))] = np.arange(tokens.size)  # rarest first; one order for all titles
        r = rank[inverse.reshape(-1)]
        o2 = np.argsort(oo * tokens.size + r)  # each title's tokens, rarest first (a token once per title)
        r, oo = r[o2], oo[o2]
        starts = np.cumsum(ntok) - ntok
        keep = (np.arange(r.size) - starts[oo]) < np.maximum(1, ntok - alpha + 1)[oo]
        tok, own = r[keep], oo[keep]
        o3 = np.argsort(tok * n + own)
        self.own = own[o3]  # entries by token, then title
        tok = tok[o3]
        first = np.ones(tok.size, dtype=bool)
        first[1:] = tok[1:] != tok[:-1]
        e = np.arange(tok.size, dtype=np.int64)
        self.earlier = e - np.maximum.accumulate(np.where(first, e, 0))  # entries of earlier titles, same token
        self.total = int(self.earlier.sum())
        self.by_title = np.empty_like(o3)  # where each title's entries went: they were in title order
        self.by_title[o3] = e
        self.title_start = np.searchsorted(own, np.arange(n + 1))

    def _entries(self, j0: int, j1: int):
        return self.by_title[self.title_start[j0]:self.title_start[j1]]

    def upper(self, j0: int, j1: int) -> int:
        """Candidate pairs of titles j0..j1-1, counted once per shared prefix token."""
        return int(self.earlier[self._entries(j0, j1)].sum())

    def candidates(self, j0: int, j1: int) -> tuple:
        """(I, J): each earlier title I sharing a prefix token with a title J of the block (repeats kept)."""
        import numpy as np

        p = self._entries(j0, j1)
        cnt = self.earlier[p]
        total = int(cnt.sum())
        base = np.repeat(p - cnt - (np.cumsum(cnt) - cnt), cnt)
        return self.own[base + np.arange(total, dtype=np.int64)], np.repeat(self.own[p], cnt)


def _compact_alphabet(keys: list) -> tuple:
    """(keys re-spelt with symbols chr(1)..chr(255), whether that was one-to-one). rapidfuzz compares
    strings of such an alphabet many times faster. With more than 255 distinct characters the rare ones
    share symbols, which can only raise a score: an upper bound, scored again on the real titles."""
    freq = Counter("".join(keys))
    if len(freq) <= 255:
        table = {ord(ch): i for i, ch in enumerate(freq, 1)}
        return [k.translate(table) for k in keys], True
    ranked = [ch for ch, _ in freq.most_common()]
    table = {ord(ch): i for i, ch in enumerate(ranked[:200], 1)}  # the common characters keep their own symbol
    for k, ch in enumerate(ranked[200:]):
        table[ord(ch)] = 201 + k % 55
    return [k.translate(table) for k in keys], False
