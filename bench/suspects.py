"""疑似重复 on one unit's titles, the way a province department's year sends them (issue 19.9); and, with
--units, 疑似重复 within each unit beside 跨单位疑似重复 (issue 23.3) on one year of many units' titles.

    python bench/suspects.py N KIND [THRESHOLD]
    python bench/suspects.py N KIND [THRESHOLD] --units U [--days 7]
    python bench/suspects.py --registers DATASET [--month YYYY-MM]     e.g. bench/data/province

With --registers, both searches on a generated dataset's registers (read once, cached in DATASET/../_out),
the year or one month (its pairs whose later item is in the month, partners up to 7 days before it).

KIND is "template" (bench.generate.Titles: one unit's titles built from a few phrases, so thousands are
numbered variants of one another — the comparison stops at govxl.normalise.suspects.PAIRS_LISTED) or "varied"
(titles of 12–40 characters drawn from 3,000: few pairs, every title compared). Prints the time of the
comparison alone, the pairs and the notes; the benchmark times the whole process.

With --units the N titles go to U units (units at random, as bench.generate.make_rows does) on days spread
over a year, each unit its own Titles (its name at the start of its titles, as offices write them); one
title in 200 is another unit's recent title with one character changed or added (the same event sent
twice). The within-unit search (similar_pairs over each unit's titles) and the cross-unit one
(crossdups.cross_unit_pairs, window --days) are timed on the same items.
"""
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import CITIES, DEPTS, Titles  # noqa: E402
from govxl.normalise.crossdups import cross_unit_pairs  # noqa: E402
from govxl.normalise.suspects import similar_pairs, suspect_groups  # noqa: E402
from govxl.normalise.text import norm_title  # noqa: E402


def titles(n: int, kind: str) -> list:
    rng = random.Random(19)
    if kind == "template":
        t = Titles(rng, "省交通运输厅")
        return [norm_title(t.next()) for _ in range(n)]
    pool = [chr(0x4E00 + k) for k in range(3000)]
    return ["".join(rng.choice(pool) for _ in range(rng.randint(12, 40))) for _ in range(n)]


def items(n: int, kind: str, units: int):
    """The items table (the columns crossdups reads) of n titles of `units` units over a year, in date order."""
    import numpy as np
    import pandas as pd

    rng = random.Random(23)
    names = [f"{c}{d}" for c in CITIES for d in DEPTS][:units]
    if len(names) < units:
        names += [f"第{k}单位" for k in range(len(names), units)]
    made = {u: Titles(rng, u) for u in names}
    pool = [chr(0x4E00 + k) for k in range(3000)]
    days = sorted(rng.randrange(365) for _ in range(n))
    rows, recent = [], []
    for day in days:
        u = rng.choice(names)
        if recent and rng.random() < 0.005:  # another unit's title of the last days, nearly the same
            t = rng.choice(recent[-200:])
            t = t + "的" if rng.random() < 0.5 else t[:-1] + "件"
        elif kind == "template":
            t = made[u].next()
        else:
            t = "".join(rng.choice(pool) for _ in range(rng.randint(12, 40)))
        recent.append(t)
        rows.append((u, t, day))
    unit, title, day = zip(*rows)
    return pd.DataFrame({
        "seq": np.arange(1, n + 1), "unit": unit, "title": title, "key": [norm_title(t) for t in title],
        "submitted": pd.Timestamp(2024, 1, 1) + pd.to_timedelta(np.array(day), unit="D"), "status": "counted",
        "joint": [()] * n, "file": "f.xlsx", "sheet": "s", "row": np.arange(2, n + 2)})


def across(argv) -> int:
    argv = list(argv)
    options = {"--units": 0, "--days": 7}
    for name in options:
        if name in argv:
            at = argv.index(name)
            options[name] = int(argv[at + 1])
            del argv[at:at + 2]
    units, days, plain = options["--units"], options["--days"], argv
    n, kind = int(plain[0]), plain[1]
    threshold = float(plain[2]) if len(plain) > 2 else 90.0
    t = items(n, kind, units)
    start = time.perf_counter()
    groups = suspect_groups(t)
    keys = t["key"].to_numpy(dtype=object)
    within, wnotes = similar_pairs([keys[g].tolist() for g in groups], threshold)
    mid = time.perf_counter()
    cross, cnotes = cross_unit_pairs(t, threshold, days)
    end = time.perf_counter()
    print(f"{n} {kind} titles of {units} units over a year, threshold {threshold:g}:"
          f" within units {len(within)} pairs in {mid - start:.2f} s (notes: {len(wnotes)});"
          f" across units (window {days} days) {len(cross)} pairs in {end - mid:.2f} s; notes: {cnotes}")
    return 0


def registers(argv) -> int:
    import pandas as pd

    from govxl import api
    from govxl.normalise.suspects import suspected_duplicates

    data = Path(argv[argv.index("--registers") + 1])
    month = argv[argv.index("--month") + 1] if "--month" in argv else None
    cfg, read = api.load([data / "workbooks"], data / "govxl.xlsx", cache_dir=data.parent / "_out" / "suspects-cache")
    items, since = read.items, None
    if month:
        lo = pd.Timestamp(month + "-01")
        hi, since = lo + pd.offsets.MonthBegin(1), lo
        window = items[(items["submitted"] >= lo - pd.Timedelta(days=7)) & (items["submitted"] < hi)]
        items = items[(items["submitted"] >= lo) & (items["submitted"] < hi)]
    else:
        window = items
    start = time.perf_counter()
    within, wnotes = suspected_duplicates(items, 90)
    mid = time.perf_counter()
    cross, cnotes = cross_unit_pairs(window, 90, 7, since=since)
    end = time.perf_counter()
    print(f"{data} {month or 'year'}: {len(items)} items; within units {len(within)} pairs in {mid - start:.2f} s"
          f" (notes: {len(wnotes)}); across units {len(cross)} pairs in {end - mid:.2f} s (notes: {cnotes})")
    return 0


def main(argv) -> int:
    if "--registers" in argv:
        return registers(argv)
    if "--units" in argv:
        return across(argv)
    n, kind = int(argv[0]), argv[1]
    threshold = float(argv[2]) if len(argv) > 2 else 90.0
    keys = titles(n, kind)
    start = time.perf_counter()
    pairs, notes = similar_pairs([keys], threshold)
    print(f"{n} {kind} titles, threshold {threshold:g}: {len(pairs)} pairs in {time.perf_counter() - start:.2f} s;"
          f" notes: {[note for _, note in notes]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
