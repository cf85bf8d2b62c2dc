"""Pairs of similar titles without comparing every pair: the search 疑似重复 (suspects.py: within one unit)
and 跨单位疑似重复 (crossdups.py: across units, within days) share.

Similar means rapidfuzz's fuzz.ratio, 100 · 2·LCS / (la + lb), reaches t (τ = t/100); so the LCS is at least
L = ⌈τ(la + lb)/2⌉, and two such titles share at least α(la + lb) tokens (shared counted with multiplicity):
- q = 1, the tokens are characters: α = L;
- q = 2, adjacent pairs of characters (bigrams): deleting la − L characters of a breaks at most 2 of a's
  bigrams each and inserting lb − L at most 1 each, so α = 3L − la − lb − 1. Bigrams are rarer than
  characters, but a pair must share fewer of them.

Two filters drop only pairs that cannot reach t; rapidfuzz scores the pairs left, so the pairs and their
scores (float32, as rapidfuzz stores them) are those of comparing every pair.
1. Groups (groups.py: prefix groups, or partition groups where they cost less): a pair that can reach t
   is together in some group, and only the pairs of a group are compared.
2. The count bound: each title's characters are counted into BUCKETS buckets. Where a bucket holds c of
   one title's and c' of the other's, the two share at most min(c, c') ≤ c·c' of them there, so the dot
   product of the two titles' counts is at least the characters they share, which must reach L. A group
   is compared as one float32 matrix product (BLAS: a pair costs several times less than rapidfuzz's
   score), two more columns folding in L's lower bound τ(la + lb)/2; a pair is kept when the
   product reaches it. Characters rather than bigrams at every τ: L is the larger share of a title, so
   the bound keeps fewer pairs (docs/performance.md).
Stock phrases make groups big (titles that share 数字政府建设 share its rarest tokens: a title's prefix
lists meet a good part of its window), and there the product keeps a few pairs in a thousand. A
group of few titles has its pairs listed; they pass a stronger bound first, by classes of characters
and their multisets' hashes (Part._differ: a pair's count rows are gathered only for the few it keeps),
then the count bound pair by pair. A part small enough, or at
τ = 0 (every pair qualifies), is one group. Where the bound keeps most of a matrix, rapidfuzz scores that
matrix whole.

A search runs over parts (titles lo..hi − 1 indexed together) and, in each, passes of at most PASS_ROWS
later titles; the caller says which earlier titles a title may pair with (from start[j], and allowed).
What a pass costs is known before it runs: a search stops before the pass that would pass its budget.
"""
from __future__ import annotations

from . import groups as G

BUCKETS = 126  # the count vector's buckets: with its two bound columns, 128 float32 (a BLAS-friendly width)
FEW = 32  # a prefix group of at most so many titles has its pairs listed rather than multiplied
ONE_GROUP = 2_048 ** 2  # a part whose pairs are fewer is one group (no prefix index)
PART_ROWS = 32_768  # later titles indexed together (with their partners), where a caller lets them be
PASS_ROWS = 8_192  # later titles in one pass: what a budget stops between
ROWS = 512  # later titles in one matrix product
BATCH_STEP, BATCH_UP_TO = 16, 512  # groups of up to 512 titles, their sizes rounded up to a multiple of 16,
# are multiplied many at once; bigger ones by blocks of ROWS
MATRIX_CELLS = 4_000_000  # cells of one matrix (float32: 16 MB)
LISTED_COST = 10  # one pair listed, bounded and scored alone costs about as much as so many matrix cells
CLASS_STEP = 4  # the class bound drops pairs every so many classes
CLASSES = 16  # the classes the listed pairs' first bound counts characters in (_differ)
SLOT_BITS = 16  # characters are hashed to 65,536 slots, which are counted to spread them over the buckets
SCORED_COST = 5  # one cell of a rapidfuzz matrix costs about as much as so many cells of the bound's


class Titles:
    """Title keys in the order a search takes them, and what the filters need of them."""

    def __init__(self, keys: list, threshold: float, workers: int = -1):
        import numpy as np

        self.keys, self.n, self.workers = keys, len(keys), workers
        self.threshold = float(threshold)
        self.thr = np.float64(threshold)  # compared in double precision against the float32 scores
        self.tau = min(max(self.threshold, 0.0), 100.0) / 100.0
        self.lens = np.fromiter(map(len, keys), dtype=np.int64, count=self.n)

    def alpha(self, s):
        """The characters a pair of total length s must share (L, exact), as an array."""
        import numpy as np

        return np.ceil(self.tau * s / 2.0 - 1e-9)

    def line(self) -> tuple:
        """(a, b): α(s) ≥ a·s + b for every s, the bound the matrix product folds in."""
        return self.tau / 2.0, 0.0


class Budget:
    """What a run may still compare, in cells of the bound's matrix (shared by the parts of a run)."""

    def __init__(self, cells: float):
        self.left = cells


def search(titles: Titles, parts, budget: Budget, listed: int, *, start=None, allowed=None, exclude=None) -> tuple:
    """([(i, j, score)] by j then i, stop): pairs i < j of different keys reaching the threshold, j in a
    part's rows, i ≥ start[j] (None: the part's first title), allowed(I, J) true (a mask over arrays of
    pairs: what can be told before scoring) and exclude(i, j) false (one pair, once it reached the threshold).
    parts: (lo, a, hi), titles lo..hi − 1 indexed together, later titles a..hi − 1. stop is None, or
    ("budget", j) — titles from j on were not compared — or ("listed", j): more than `listed` pairs were
    found, the first `listed` are returned."""
    found = []
    for lo, a, hi in parts:
        if hi - a < 1 or hi - lo < 2:
            continue
        part = Part(titles, lo, hi, start, allowed)
        for r0 in range(a, hi, PASS_ROWS):
            r1 = min(hi, r0 + PASS_ROWS)
            plan = part.plan(r0 - lo, r1 - lo)
            if plan[0] > budget.left:
                return found, ("budget", r0)
            budget.left -= plan[0]
            found.extend(part.pairs(r0 - lo, r1 - lo, plan, allowed, exclude))
            if len(found) > listed:
                return found[:listed], ("listed", r0)
    return found, None


class Part:
    """Titles lo..hi − 1 of a search (within it, titles are numbered 0..n − 1): their count vectors and,
    when they are many, their groups (the big ones' members, the small ones' pairs that pass the class
    bound) and their characters' classes."""

    def __init__(self, titles: Titles, lo: int, hi: int, start, allowed=None):
        import numpy as np

        t = self.t = titles
        self.lo, self.n = lo, hi - lo
        n = self.n
        self.start = np.zeros(n, dtype=np.int64) if start is None else np.maximum(start[lo:hi] - lo, 0)
        self.lens = t.lens[lo:hi]
        chars, owner = G.characters(t.keys[lo:hi], self.lens)
        self.z = self._vectors(chars, owner) if t.tau > 0 else None
        self.groups = None  # (titles of the groups of more than FEW, by group; each group's first; key)
        if t.tau > 0 and n * n > ONE_GROUP:
            own, first = G.groups(chars, owner, self.lens, t.tau, _cost)
            sizes = np.diff(first)
            i, j = G.listed_pairs(own, first, sizes <= FEW)
            keep = (i >= self.start[j]) & self._near(i, j)
            i, j = i[keep], j[keep]
            if allowed is not None:
                keep = allowed(i + lo, j + lo)
                i, j = i[keep], j[keep]
            keep = self._differ(i, j)
            i, j = i[keep], j[keep]
            order = np.argsort(j, kind="stable")
            self.listed = i[order], j[order]
            big = np.flatnonzero(sizes > FEW)
            size = sizes[big]
            entry = np.repeat(first[big], size) + G.within(size)
            gid = np.repeat(np.arange(big.size, dtype=np.int64), size)
            self.groups = own[entry], np.append(np.cumsum(size) - size, size.sum()), gid * n + own[entry]

    def _vectors(self, codes, owners):
        """(n + 1) × (BUCKETS + 2) float32: each title's characters counted into BUCKETS buckets, then u and
        1, u = −a·len − b/2; row n a sentinel no pair passes. A title's row against another's with the last
        two columns swapped gives dot − a·(la + lb) − b (see line). Characters are hashed to 2^SLOT_BITS
        slots, and slots to buckets by how often their characters occur (most often first, snaking over
        the buckets), so that common ones do not share a bucket; a slot met once in the part is left out
        (no pair shares its character). A slot holding two characters only merges them: the bound stays a
        bound."""
        import numpy as np

        n = self.n
        slot = G.slot_of(codes, SLOT_BITS)
        seen = np.bincount(slot, minlength=2 ** SLOT_BITS)  # how often each slot's tokens occur
        present = np.flatnonzero(seen)  # ranked and dealt: the slots the part's characters use
        rank = np.argsort(np.argsort(-seen[present], kind="stable"))
        dealt = np.zeros(seen.size, dtype=np.int64)
        dealt[present] = G.snaked(rank, BUCKETS)
        bucket = dealt[slot]
        self.classes = None  # no class bound: one group, or a title too long for its counts (_classes)
        if n * n > ONE_GROUP and self.lens.max(initial=0) < 2 ** 15:  # the listed pairs of groups take it
            dealt[present] = G.snaked(rank, CLASSES)
            self.classes = self._classes(slot, dealt[slot], owners)
        shared = seen[slot] >= 2
        owners, bucket = owners[shared], bucket[shared]
        z = np.zeros((n + 1, BUCKETS + 2), dtype=np.float32)
        step = max(1, MATRIX_CELLS // BUCKETS)  # titles counted at once (owners are in order)
        for t0 in range(0, n, step):
            e0, e1 = np.searchsorted(owners, [t0, t0 + step])
            cells = np.bincount((owners[e0:e1] - t0) * BUCKETS + bucket[e0:e1], minlength=min(step, n - t0) * BUCKETS)
            z[t0:min(n, t0 + step), :BUCKETS] = cells.reshape(-1, BUCKETS)
        a, b = self.t.line()
        z[:n, BUCKETS] = -a * self.lens - b / 2.0
        z[:, BUCKETS + 1] = 1.0
        z[n, BUCKETS] = -1e9
        return z

    def _classes(self, slot, cls, owners):
        """CLASSES × n int32: each title's characters counted into CLASSES classes (titles of fewer than
        32,768 characters), times 2^16, plus the sum of their slots' hashes there modulo 2^16 (see
        _differ). Slots go to classes as to buckets, by how often they occur, snaking."""
        import numpy as np

        n = self.n
        place = cls * n + owners
        counts = np.bincount(place, minlength=n * CLASSES).astype(np.int32)
        sums = np.bincount(place, weights=G.slot_of(slot, 16).astype(np.float64), minlength=n * CLASSES)
        return ((counts << 16) | (sums.astype(np.int64) & 0xFFFF).astype(np.int32)).reshape(CLASSES, n)

    def _differ(self, i, j):
        """Which pairs can reach τ by the characters they may not share: at most d = la + lb − 2α (α exact).
        A class where the two hold c and c' characters holds at least |c − c'| of those, and at least 2
        where c = c' but the hashes of the two multisets differ (they differ, by one character each at
        the least); the classes' sum is at most d. Two slots' characters counted as one, or two multisets
        with one hash, only lower the sum: it stays a bound. Pairs over d are dropped every CLASS_STEP
        classes (most are over after a few)."""
        import numpy as np

        if self.classes is None:
            return np.ones(i.size, dtype=bool)
        s = self.lens[i] + self.lens[j]
        d = s - 2 * self.t.alpha(s) + 1e-3
        at = np.arange(i.size)
        total = np.zeros(i.size, dtype=np.int32)
        for c, key in enumerate(self.classes):
            ka, kb = key[i], key[j]
            gap = np.abs((ka >> 16) - (kb >> 16))
            total += gap + 2 * ((gap == 0) & (ka != kb))
            if (c + 1) % max(1, CLASS_STEP) == 0 or c + 1 == CLASSES:
                ok = total <= d
                i, j, d, at, total = i[ok], j[ok], d[ok], at[ok], total[ok]
        keep = np.zeros(s.size, dtype=bool)
        keep[at] = True
        return keep

    # ---- what a pass compares -------------------------------------------------------------------------

    def plan(self, r0: int, r1: int) -> tuple:
        """(cost, how) for later titles r0..r1 − 1 (of the part): how is None (one group: every title of
        the part) or the groups' members in the pass and the small groups' pairs; the cheaper."""
        import numpy as np

        heads = np.arange(r0, r1, ROWS)
        tails = np.minimum(heads + ROWS, r1)
        whole = int(((tails - heads) * np.maximum(tails - 1 - self.start[heads], 0)).sum())  # blocks of ROWS
        if self.z is None:  # τ = 0: every pair is scored by rapidfuzz
            return whole * SCORED_COST, None
        if self.groups is None:
            return whole, None
        own, first, key = self.groups
        base = np.arange(first.size - 1, dtype=np.int64) * self.n
        end = np.searchsorted(key, base + r1)
        head = np.searchsorted(key, base + r0)  # a group's first later title in the pass
        has = np.flatnonzero(head < end)
        end, head = end[has], head[has]
        begin = np.searchsorted(key, base[has] + self.start[own[head]])
        rows, size = _padded(end - head), _padded(end - begin)
        batched = size <= BATCH_UP_TO
        cells = int((rows * size)[batched].sum() + ((end - head) * (end - begin))[~batched].sum())
        i, j = self.listed
        k0, k1 = np.searchsorted(j, [r0, r1])
        i, j = i[k0:k1], j[k0:k1]
        ok = i >= self.start[j]
        i, j = i[ok], j[ok]
        cost = cells + i.size * LISTED_COST
        if cost >= whole:
            return whole, None
        return cost, (begin, head, end, rows, size, batched, (i, j))

    def pairs(self, r0: int, r1: int, plan: tuple, allowed, exclude) -> list:
        """[(i, j, score)] of the pass (numbers of the search), by j then i."""
        import numpy as np

        _, how = plan
        kept, scored = [], []
        self.inexact = False
        allowed = (lambda i, j: np.ones(i.size, dtype=bool)) if allowed is None else allowed
        if how is None:
            self._rect(np.arange(self.n, dtype=np.int64), r0, r1, kept, scored, allowed)
        else:
            begin, head, end, rows, size, batched, (i, j) = how
            own = self.groups[0]
            for g in np.flatnonzero(~batched).tolist():
                self._rect(own[begin[g]:end[g]], r0, r1, kept, scored, allowed)
            shapes, shape = np.unique(rows[batched] * (BATCH_UP_TO + 1) + size[batched], return_inverse=True)
            at = np.flatnonzero(batched)
            for k, rc in enumerate(shapes.tolist()):
                g = at[shape.reshape(-1) == k]
                self._batch(own, begin[g], head[g], end[g], *divmod(rc, BATCH_UP_TO + 1), kept, allowed)
            if i.size:
                ok = allowed(i + self.lo, j + self.lo)
                i, j = i[ok], j[ok]
                keep = self._bound(i, j)
                kept.append((i[keep], j[keep]))
        return self._scored(kept, scored, exclude, once=how is None)

    def _rect(self, g, r0: int, r1: int, kept: list, scored: list, allowed):
        """Group g (sorted titles): its later titles r0..r1 − 1 by ROWS, each block against the group's
        titles from the first one's start to the last one."""
        import numpy as np

        rows = g[np.searchsorted(g, r0):np.searchsorted(g, r1)]
        for k in range(0, rows.size, ROWS):
            block = rows[k:k + ROWS]
            cols = g[np.searchsorted(g, self.start[block[0]]):np.searchsorted(g, block[-1])]
            if cols.size:
                self._block(block, cols, kept, scored, allowed)

    def _block(self, rows, cols, kept: list, scored: list, allowed):
        """Later titles rows against earlier ones cols (both sorted): the pairs the bound keeps, or the
        pairs rapidfuzz scores where the bound would keep most."""
        import numpy as np

        t = self.t
        step = max(1, MATRIX_CELLS // rows.size)
        x = None if self.z is None else self._swapped(self.z[rows])
        for c0 in range(0, cols.size, step):
            c = cols[c0:c0 + step]
            if x is None:  # τ = 0
                r, k = np.divmod(np.arange(rows.size * c.size, dtype=np.int64), c.size)
            else:
                m = x @ self.z[c].T
                f = np.flatnonzero(m >= -1e-3)
                r, k = np.divmod(f, c.size)
                ok = self._reaches(m.reshape(-1)[f], c[k], rows[r])
                r, k = r[ok], k[ok]
            i, j = c[k], rows[r]
            ok = (i < j) & (i >= self.start[j])
            i, j = i[ok], j[ok]
            ok = allowed(i + self.lo, j + self.lo)
            i, j = i[ok], j[ok]
            if i.size * LISTED_COST > rows.size * c.size * SCORED_COST:
                from rapidfuzz import fuzz, process

                a, b = self._spelt(rows, c)
                m = process.cdist(a, b,
                                  scorer=fuzz.ratio, score_cutoff=t.threshold, dtype=np.float32,
                                  workers=_workers(t, rows.size * c.size))
                s = m[np.searchsorted(rows, j), np.searchsorted(c, i)]
                ok = s >= t.thr
                scored.append((i[ok], j[ok], s[ok]))
            else:
                keep = self._near(i, j) if x is not None else slice(None)
                kept.append((i[keep], j[keep]))

    def _batch(self, own, begin, head, end, rows: int, size: int, kept: list, allowed):
        """Groups whose later titles own[head:end] and members own[begin:end] fit in rows × size: one
        matrix each, many at once (numpy's stacked matmul: a BLAS call a group, no Python between)."""
        import numpy as np

        later = self._stacked(own, head, end, rows)
        members = self._stacked(own, begin, end, size)
        step = max(1, MATRIX_CELLS // (rows * size))
        for k0 in range(0, begin.size, step):
            r_at, c_at = later[k0:k0 + step], members[k0:k0 + step]
            m = self._swapped(self.z[r_at]) @ self.z[c_at].transpose(0, 2, 1)
            f = np.flatnonzero(m >= -1e-3)
            b, r, c = np.unravel_index(f, m.shape)
            i, j = c_at[b, c], r_at[b, r]
            ok = (i < j) & (j < self.n)
            i, j, f = i[ok], j[ok], f[ok]
            ok = self._reaches(m.reshape(-1)[f], i, j)
            i, j = i[ok], j[ok]
            ok = (i >= self.start[j]) & self._near(i, j)
            i, j = i[ok], j[ok]
            ok = allowed(i + self.lo, j + self.lo)
            kept.append((i[ok], j[ok]))

    @staticmethod
    def _swapped(rows):
        """Gathered count rows with their last two columns swapped (in place): a swapped row times a
        plain one is the bound's product."""
        rows[..., [-2, -1]] = rows[..., [-1, -2]]
        return rows

    def _stacked(self, own, begin, end, width: int):
        """own[begin[k]:end[k]] as the rows of a (groups × width) array, the sentinel n where shorter."""
        import numpy as np

        size = end - begin
        place = G.within(size)
        out = np.full((begin.size, width), self.n, dtype=np.int64)
        out[np.repeat(np.arange(begin.size), size), place] = own[np.repeat(begin, size) + place]
        return out

    def _reaches(self, product, i, j):
        """Which cells of a product (dot − a·s − b) reach α(s) exactly: the line is below it by up to
        the rounding of ⌈τs/2⌉ (under one character)."""
        a, b = self.t.line()
        s = self.lens[i] + self.lens[j]
        return product + a * s + b >= self.t.alpha(s) - 1e-3

    def _near(self, i, j):
        """Pairs whose lengths can reach τ: the longer at most (2 − τ)/τ times the shorter."""
        import numpy as np

        tau = self.t.tau
        lo, hi = np.minimum(self.lens[i], self.lens[j]), np.maximum(self.lens[i], self.lens[j])
        return hi * tau <= lo * (2.0 - tau) + 1e-9

    def _bound(self, i, j):
        """Which listed pairs the count bound (α exact) and the lengths keep."""
        import numpy as np

        t = self.t
        keep = np.zeros(i.size, dtype=bool)
        step = max(1, MATRIX_CELLS // self.z.shape[1])
        for k in range(0, i.size, step):
            a, b = i[k:k + step], j[k:k + step]
            dot = np.einsum("ij,ij->i", self.z[a, :-2], self.z[b, :-2])
            keep[k:k + step] = (dot >= t.alpha(self.lens[a] + self.lens[b]) - 1e-3) & self._near(a, b)
        return keep

    def _spelt(self, a, b) -> tuple:
        """The titles numbered a and b (of the part) in one compact alphabet, for one call of rapidfuzz; a
        pass whose alphabet was not one-to-one is scored again on the real titles (_scored)."""
        import numpy as np

        keys = self.t.keys
        distinct, at = np.unique(np.concatenate([a, b]), return_inverse=True)  # a title is spelt once
        spelt, exact = compact_alphabet([keys[p] for p in (distinct + self.lo).tolist()])
        self.inexact = self.inexact or not exact
        spelt = [spelt[k] for k in at.reshape(-1).tolist()]
        return spelt[:a.size], spelt[a.size:]

    def _scored(self, kept: list, scored: list, exclude, once: bool) -> list:
        """The pairs kept, once each, scored by rapidfuzz; with those scored already; checked (equal keys
        and excluded pairs dropped, scores on the real titles where the compact alphabet was not
        one-to-one). Numbers of the search, by j then i. once: one group's blocks, in order, kept each
        pair once already."""
        import numpy as np
        from rapidfuzz import fuzz, process

        t, lo = self.t, self.lo
        n = np.int64(self.n)
        if scored:
            si, sj, ss = (np.concatenate([p[k] for p in scored]) for k in range(3))
            done, first = np.unique(sj * n + si, return_index=True)
            done_s = ss[first]
        else:
            done, done_s = np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        todo = np.concatenate([p[1] * n + p[0] for p in kept]) if kept else done[:0]
        if not once:
            todo = np.unique(todo)
        if done.size:
            todo = todo[~np.isin(todo, done)]
        j, i = np.divmod(todo, n)
        s = process.cpdist(*self._spelt(i, j), scorer=fuzz.ratio, score_cutoff=t.threshold, dtype=np.float32,
                           workers=_workers(t, i.size)) if i.size else np.empty(0, dtype=np.float32)
        ok = s >= t.thr
        code = np.concatenate([done, todo[ok]])
        score = np.concatenate([done_s, s[ok]])
        order = np.argsort(code, kind="stable")
        j, i = np.divmod(code[order], n)
        out = []
        for a, b, v in zip((i + lo).tolist(), (j + lo).tolist(), score[order].tolist()):
            ka, kb = t.keys[a], t.keys[b]
            if ka == kb or (exclude is not None and exclude(a, b)):
                continue
            if self.inexact:
                v = float(np.float32(fuzz.ratio(ka, kb, score_cutoff=t.threshold)))
            if v >= t.threshold:
                out.append((a, b, v))
        return out


def _padded(size):
    """Sizes rounded up to a multiple of BATCH_STEP: the shapes groups are multiplied in, many at once."""
    return -(-size // BATCH_STEP) * BATCH_STEP


def _workers(t: Titles, cells: int) -> int:
    """Threads for a call of this size: starting them costs more than a small one."""
    return t.workers if cells >= 100_000 else 1


def _cost(sizes) -> float:
    """What groups of these sizes cost: the big ones multiplied whole, the small ones' pairs listed."""
    import numpy as np

    sizes = sizes.astype(np.float64)
    few = sizes <= FEW
    return float((sizes[~few] ** 2).sum() + LISTED_COST * (sizes[few] * (sizes[few] - 1) / 2).sum())


def compact_alphabet(keys: list) -> tuple:
    """(keys re-spelt with symbols chr(1)..chr(255), whether that was one-to-one). rapidfuzz compares
    strings of such an alphabet many times faster. The most frequent characters get the symbols in order;
    with more than 255 distinct characters the rare ones share symbols, which can only raise a score: an
    upper bound, scored again on the real titles. A search spells the titles of one call of rapidfuzz
    (it scores few of its titles)."""
    import numpy as np

    lens = np.fromiter(map(len, keys), dtype=np.int64, count=len(keys))
    points = np.frombuffer("".join(keys).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    seen = np.bincount(points) if points.size else np.zeros(1, dtype=np.int64)
    present = np.flatnonzero(seen)
    ranked = present[np.argsort(-seen[present], kind="stable")]
    exact = ranked.size <= 255
    symbol = np.zeros(seen.size, dtype=np.uint8)
    kept = 255 if exact else 200  # the common characters keep their own symbol
    symbol[ranked[:kept]] = np.arange(1, min(kept, ranked.size) + 1)
    symbol[ranked[kept:]] = 201 + np.arange(ranked.size - kept) % 55
    spelt = symbol[points].tobytes().decode("latin-1")
    ends = np.cumsum(lens).tolist()
    return [spelt[e - n:e] for e, n in zip(ends, lens.tolist())], exact
