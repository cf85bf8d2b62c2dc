"""疑似重复 on one unit's titles, the way a province department's year sends them (issue 19.9).

    python bench/suspects.py N KIND [THRESHOLD]

KIND is "template" (bench.generate.Titles: one unit's titles built from a few phrases, so thousands are
numbered variants of one another — the comparison stops at govxl.normalise.suspects.PAIRS_LISTED) or "varied"
(titles of 12–40 characters drawn from 3,000: few pairs, every title compared). Prints the time of the
comparison alone, the pairs and the notes; the benchmark times the whole process.
"""
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import Titles  # noqa: E402
from govxl.normalise.suspects import similar_pairs  # noqa: E402
from govxl.normalise.text import norm_title  # noqa: E402


def titles(n: int, kind: str) -> list:
    rng = random.Random(19)
    if kind == "template":
        t = Titles(rng, "省交通运输厅")
        return [norm_title(t.next()) for _ in range(n)]
    pool = [chr(0x4E00 + k) for k in range(3000)]
    return ["".join(rng.choice(pool) for _ in range(rng.randint(12, 40))) for _ in range(n)]


def main(argv) -> int:
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
