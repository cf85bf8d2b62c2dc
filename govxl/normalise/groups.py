"""Groups of titles such that every pair of similar titles is together in one (govxl.normalise.similar
compares the pairs of each group), and the array helpers both modules use.

Similar means rapidfuzz's fuzz.ratio reaches τ: the two titles share at least α(la + lb) tokens (similar.py
says why, for characters and bigrams). A part of a search takes one of two groupings, the cheaper by the
caller's cost of their sizes:
- Prefix groups (Chaudhuri et al. 2006, "A primitive operator for similarity joins"; Bayardo et al. 2007,
  "Scaling up all pairs similarity search"): the tokens ranked rarest first (a token's k-th occurrence in a
  title a token of its own), two titles sharing α tokens share one among each one's first n − α + 1 — α
  taken for the title's loosest partner. Titles are grouped by those tokens. Characters or bigrams,
  whichever a part's titles make cheaper: a title has twice as many bigrams in its prefix and their groups
  are smaller, so a bigram's membership costs more; bigrams are taken where their groups' estimated cells
  are under 1/BIGRAM_PREMIUM of the characters' (titles drawn from a rich vocabulary), characters where
  titles repeat stock phrases (the bigrams of 数字政府建设 are as common as its characters, and a title must
  share 90 % of its characters at t = 90, 70 % of its bigrams).
- Partition groups (PartEnum's pigeonhole, Arasu et al. 2006): titles reaching τ differ in at most d
  characters, so with the characters dealt to d + 1 classes they have the same multiset in one class; a
  group is the titles of one multiset in one class. Stock phrases make prefix groups big but leave few
  titles the same multiset in a class.
"""
from __future__ import annotations

PARTITION_PREMIUM = 0.25  # partition groups are taken unless they cost 4 times prefix groups (estimated): they are built faster
MAX_CLASSES = 32  # partition groups need at most so many classes of characters (titles of about 140 at τ = 0.9)
BIGRAM_PREMIUM = 4  # prefix groups of bigrams are taken when their estimated cells are under a quarter of characters'
ESTIMATED_FROM = 4_096  # titles whose prefixes estimate a part's groups' cells (evenly spaced)
ESTIMATE_SLOT_BITS = 20  # the estimate counts tokens in 2^20 slots: bigrams are many, few may share a slot


def snaked(rank, k: int):
    """Ranks 0, 1, … dealt to k classes snaking (0..k − 1, then k − 1..0, …): each class gets as many
    of the first ranks as the others."""
    import numpy as np

    lap, at = np.divmod(rank, k)
    return np.where(lap % 2 == 0, at, k - 1 - at)


def within(size):
    """0..size[k] − 1 for each k, end to end: each entry's place in its group."""
    import numpy as np

    return np.arange(int(size.sum()), dtype=np.int64) - np.repeat(np.cumsum(size) - size, size)


def characters(keys: list, lens):
    """(the characters of keys as int64 code points, the title each belongs to)."""
    import numpy as np

    chars = np.frombuffer("".join(keys).encode("utf-32-le", "surrogatepass"), dtype=np.uint32).astype(np.int64)
    return chars, np.repeat(np.arange(len(keys), dtype=np.int64), lens)


def slot_of(codes, bits: int):
    """Token codes hashed (Fibonacci hashing) to 2^bits slots."""
    import numpy as np

    return ((codes.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(64 - bits)).astype(np.int64)


def _prefix_sizes(lens, tau: float, q: int) -> tuple:
    """(tokens, α): each title's tokens (characters, or bigrams) and the least it shares with any partner
    of its length."""
    import numpy as np

    shortest = lens * tau / (2.0 - tau)  # the shortest and longest partner a title can have
    longest = lens * (2.0 - tau) / tau
    if q == 1:
        return lens, np.ceil(shortest - 1e-9).astype(np.int64)
    least = np.minimum((1.5 * tau - 1.0) * (lens + shortest), (1.5 * tau - 1.0) * (lens + longest)) - 1.0
    return np.maximum(lens - 1, 0), np.ceil(least - 1e-9).astype(np.int64)


def groups(chars, owner, lens, tau: float, cost) -> tuple:
    """(own, first) of a part's groups (see _prefix_groups): partition groups where their cost (cost: the
    caller's, of the groups' sizes, in cells) is under 1/PARTITION_PREMIUM of prefix groups' estimated
    cells, else prefix groups of characters or bigrams."""
    import numpy as np

    prefix = _prefix_tokens(chars, owner, lens, tau)
    parted = partition_groups(chars, owner, lens, tau, cost,
                              prefix[3] / PARTITION_PREMIUM if PARTITION_PREMIUM else np.inf)
    return parted if parted is not None else _prefix_groups(*prefix[:3], lens, tau)


def _prefix_tokens(chars, owner, lens, tau: float) -> tuple:
    """(codes, owners, q, cells): the tokens a part's prefix groups are made of, characters (q = 1) or
    bigrams (q = 2), whichever the estimate says is cheaper (see BIGRAM_PREMIUM), and their estimated
    cells."""

    same = owner[1:] == owner[:-1]
    bigrams, owners = ((chars[:-1] << 21) | chars[1:])[same], owner[:-1][same]
    by_chars, by_bigrams = _estimated_cells(chars, lens, tau, 1), _estimated_cells(bigrams, lens, tau, 2)
    if by_chars <= BIGRAM_PREMIUM * by_bigrams:
        return chars, owner, 1, by_chars
    return bigrams, owners, 2, by_bigrams * BIGRAM_PREMIUM


def _estimated_cells(codes, lens, tau: float, q: int) -> float:
    """The pairs in a part's prefix groups of q-grams (the sum of their sizes squared), estimated: a title's
    prefix taken as its tokens met least often in the part (hashed to 2^ESTIMATE_SLOT_BITS slots,
    occurrences not told apart), summed over ESTIMATED_FROM titles and scaled to the part."""
    import numpy as np

    ntok, alpha = _prefix_sizes(lens, tau, q)
    if codes.size == 0:
        return 0.0
    slot = slot_of(codes, ESTIMATE_SLOT_BITS)
    met = np.bincount(slot, minlength=2 ** ESTIMATE_SLOT_BITS)[slot]
    n = lens.size
    pick = np.unique(np.linspace(0, n - 1, min(n, ESTIMATED_FROM)).astype(np.int64))
    size, at = ntok[pick], (np.cumsum(ntok) - ntok)[pick]
    grid = np.full((pick.size, int(size.max(initial=0))), np.iinfo(np.int64).max, dtype=np.int64)
    where = within(size)
    grid[np.repeat(np.arange(pick.size), size), where] = met[np.repeat(at, size) + where]
    grid.sort(axis=1)
    prefix = np.arange(grid.shape[1]) < np.maximum(1, ntok[pick] - alpha[pick] + 1)[:, None]
    return float(np.where(prefix & (grid < np.iinfo(np.int64).max), grid, 0).sum()) * n / pick.size


def _prefix_groups(codes, owners, q: int, lens, tau: float) -> tuple:
    """(own, first): the titles (0..n − 1) of each prefix group in order, group g being own[first[g]:
    first[g + 1]]. A title is in the group of each token among its first len − α + 1, rarest first, α the
    least overlap with any partner of its length. q = 2: a title whose α is below 1 (short, or τ ≤ 2/3)
    carries one extra token all such titles share, so they meet each other."""
    import numpy as np
    import pandas as pd

    n = lens.size
    ntok, alpha = _prefix_sizes(lens, tau, q)
    # hashing (pandas' factorize) rather than sorting where only equal values need telling apart; the sorts
    # left run over entries already in title order (timsort: kind="stable")
    dense, distinct = pd.factorize(codes)
    key = owners * max(1, distinct.size) + dense
    o = np.argsort(key, kind="stable")
    ko = key[o]
    again = np.concatenate([[False], ko[1:] == ko[:-1]])
    at = np.arange(o.size, dtype=np.int64)
    occurrence = np.empty(o.size, dtype=np.int64)  # the k-th occurrence of a code in its title
    occurrence[o] = at - np.maximum.accumulate(np.where(again, 0, at))
    tok = dense * 2 ** 15 + np.minimum(occurrence, 2 ** 15 - 1)  # a title holds at most 32,767 characters
    oo = owners
    short = np.flatnonzero(alpha < 1)
    if q == 2 and short.size:
        tok = np.concatenate([tok, np.full(short.size, -1, dtype=np.int64)])
        oo = np.concatenate([oo, short])
        ntok = ntok + (alpha < 1)
    ids, tokens = pd.factorize(tok)
    counts = np.bincount(ids, minlength=tokens.size)
    rank = np.empty(tokens.size, dtype=np.int64)
    rank[np.lexsort((tokens, counts))] = np.arange(tokens.size)  # rarest first; one order for all titles
    r = rank[ids]
    o2 = np.argsort(oo * tokens.size + r, kind="stable")  # each title's tokens, rarest first
    r, oo = r[o2], oo[o2]
    starts = np.cumsum(ntok) - ntok
    keep = (np.arange(r.size) - starts[oo]) < np.maximum(1, ntok - alpha + 1)[oo]
    tok, own = r[keep], oo[keep]
    o3 = np.argsort(tok * n + own, kind="stable")
    tok, own = tok[o3], own[o3]
    heads = np.flatnonzero(np.concatenate([[True], tok[1:] != tok[:-1]])) if tok.size else np.empty(0, np.int64)
    return own, np.append(heads, tok.size)


def _length_classes(top: int, tau: float) -> tuple:
    """(the class of each length 0..top, each class's K): lengths in runs such that the shorter partner
    of a title is in its class or the one before (the shortest partner of a class's first length lies
    in the class before), and K the classes of characters a pair whose longer title is in the class needs
    (see partition_groups): 1 + the most characters the pair may not share, la + lb − 2·α."""
    import math

    import numpy as np

    def shortest(b: int) -> int:  # the shortest partner of a title of b characters (similar.Part._near)
        return math.ceil((b * tau - 1e-9) / (2.0 - tau))

    starts = [0]
    while starts[-1] <= top:  # from the last length whose shortest partner is surely before the class
        b = max(starts[-1] + 1, math.floor((starts[-1] - 1) * (2.0 - tau) / tau))
        while shortest(b) < starts[-1]:
            b += 1
        starts.append(b)
    starts = np.array(starts, dtype=np.int64)
    cls = np.searchsorted(starts, np.arange(top + 1), side="right") - 1
    first, last = starts[:-1], starts[1:] - 1
    k = np.ones(first.size, dtype=np.int64)
    for c in range(first.size):
        s = np.arange(int(first[c]) + shortest(int(first[c])), 2 * int(last[c]) + 1)
        if s.size:
            k[c] = 1 + int((s - 2 * np.ceil(tau * s / 2.0 - 1e-9)).max())
        if k[c] > MAX_CLASSES:  # longer classes need more still: partition groups are not taken
            k[c:] = k[c]
            break
    return cls, k


def partition_groups(chars, owner, lens, tau: float, cost=None, limit: float = float("inf")):
    """(own, first) of partition groups (Arasu, Ganti, Kaushik 2006, "Efficient exact set-similarity
    joins": PartEnum's pigeonhole), or None where a title is too long for them (over MAX_CLASSES) or
    they would cost more than limit (cost: of the groups' sizes): then they are not built.
    Two titles reaching τ differ in at most d = la + lb − 2α characters (counted with multiplicity: the
    sizes of their multisets' differences). Split the characters into K ≥ d + 1 classes, and two such
    titles have the same multiset in at least one class. A title is in one group per class: the titles
    of the same multiset there. K depends on the lengths, so lengths go in classes (_length_classes) and
    a pair meets in the scheme of its longer title's class, with that class's K: a title is in the groups
    of its own class's scheme and of the next one's (as the shorter). Characters go to the K classes by
    how often they occur in the part, snaking, so that each class holds about as many of a title's
    characters; a multiset is told by the sum of its characters' hashes (two sums of 24 bits: exact in
    float64 bincounts), mixed with its scheme and class."""
    import numpy as np
    import pandas as pd

    if lens.size == 0 or tau <= 0:
        return None
    cls, ks = _length_classes(int(lens.max()), tau)
    if ks.max() > MAX_CLASSES:
        return None
    dense, distinct = pd.factorize(chars)
    rank = np.empty(distinct.size, dtype=np.int64)
    rank[np.argsort(-np.bincount(dense), kind="stable")] = np.arange(distinct.size)
    k_of, k_at = np.unique(ks, return_inverse=True)
    dealt = np.stack([snaked(rank, k) for k in k_of.tolist()])  # a character's class, for each K
    hashed = slot_of(distinct, 48)
    low, high = (hashed & 0xFFFFFF).astype(np.float64)[dense], (hashed >> 24).astype(np.float64)[dense]
    own_class = cls[lens]
    present = np.zeros(ks.size + 1, dtype=bool)
    present[own_class] = True
    k_own = ks[own_class]
    up = np.append(present[1:], False)[own_class]  # a longer class follows: the title is in its scheme too
    k_up = np.where(up, np.append(ks, 0)[np.minimum(own_class + 1, ks.size)], 0)
    width = k_own + k_up
    base = np.cumsum(width) - width  # a title's slots: its own scheme's K, then the next one's
    slots = int(width.sum())
    sums = np.zeros((2, slots))
    for offset, at, ok in ((base, k_at[own_class], None), (base + k_own, k_at[np.minimum(own_class + 1, ks.size - 1)], up)):
        e = slice(None) if ok is None else ok[owner]
        o, d = owner[e], dense[e]
        place = offset[o] + dealt[at[o], d]
        sums[0] += np.bincount(place, weights=low[e], minlength=slots)
        sums[1] += np.bincount(place, weights=high[e], minlength=slots)
    key = sums.astype(np.uint64)
    key = key[0] * np.uint64(0x9E3779B97F4A7C15) + key[1]
    # each slot's scheme and class: a title's own scheme is numbered by its class, the next one's by + 1
    title = np.repeat(np.arange(lens.size, dtype=np.int64), width)
    place = np.arange(slots, dtype=np.int64) - base[title]
    upper = place >= k_own[title]
    place = (own_class[title] + upper) * MAX_CLASSES + place - np.where(upper, k_own[title], 0)
    key ^= place.astype(np.uint64) * np.uint64(0xC2B2AE3D27D4EB4F)
    ids = pd.factorize(key)[0]
    sizes = np.bincount(ids)
    if cost is not None and cost(sizes) > limit:
        return None
    many = np.flatnonzero(sizes[ids] >= 2)
    order = many[np.argsort(ids[many], kind="stable")]  # slots are in title order: so are a group's titles
    size = sizes[sizes >= 2]
    return title[order], np.append(np.cumsum(size) - size, size.sum())


def listed_pairs(own, first, small) -> tuple:
    """(I, J): every pair I < J of titles in one of the groups marked small (repeats across groups kept)."""
    import numpy as np

    sizes = np.diff(first)
    g = np.flatnonzero(small & (sizes >= 2))
    if g.size == 0:
        e = np.empty(0, dtype=np.int64)
        return e, e
    size = sizes[g]
    earlier = within(size)  # the entries before, in the same group
    entry = np.repeat(first[g], size) + earlier
    total = int(earlier.sum())
    base = np.repeat(entry - earlier - (np.cumsum(earlier) - earlier), earlier)
    return own[base + np.arange(total, dtype=np.int64)], np.repeat(own[entry], earlier)

