"""Where a score run's time goes: api.score's stages timed one after the other, no profiler.

    python -m bench.stages DATASET MONTH OUT     e.g. bench/data/province 2024-10 /tmp/out
    (run it twice with the same OUT: the second run is warm, its registers come from OUT/.cache)
"""
from __future__ import annotations

import sys
import time
from pathlib import Path


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    data, month, out = Path(argv[0]), argv[1], argv[2]
    t0 = time.perf_counter()
    last = [t0]

    def say(what: str):
        t = time.perf_counter()
        print(f"{what:<12} {t - last[0]:7.2f} s")
        last[0] = t

    import govxl.api as api
    from govxl.normalise import cache, whole
    from govxl.score import scoring

    def timed(module, name: str, label: str):
        inner = getattr(module, name)

        def run(*a, **k):
            result = inner(*a, **k)
            say(label)
            return result

        setattr(module, name, run)

    for module, name, label in ((cache, "read_all", "read files"), (whole, "joined", "join"),
                                (scoring, "score", "score"), (api, "suspected_problems", "疑似重复"),
                                (api, "write_outputs", "write")):
        timed(module, name, label)
    import pandas  # noqa: F401
    say("import")
    api.score([str(data / "workbooks")], str(data / "govxl.xlsx"), month=month, out=out)
    print(f"{'total':<12} {time.perf_counter() - t0:7.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
