"""govxl's benchmark: govxl beside the floor, side by side in one run (issue 7).

    python -m bench                 # generate bench/data/ if needed, measure, print the table, write bench/results.json
    python -m bench --smoke         # a tiny version (seconds), as the test suite runs it
    python -m bench --baseline OLD.json   # also print OLD's figures beside the new ones

Every measurement is a separate process started cold; wall time is the median of the runs and peak
memory the largest seen: the process's own peak RSS (wait4) or, for a process tree (govxl reads in
parallel), the sampled sum of the tree's proportional set sizes, whichever is larger.

Targets (PASS/FAIL), issue 21's:
  1.  govxl score --month on the county month      ≤ 2 × python -c "import pandas"
  2a. govxl score --month on the province year     wall ≤ 2 × the bare fastexcel read of the same files
  2d.                                              CPU (the process tree's) ≤ 3 × the bare read's
  2e.   the same with the cache (warm)             wall ≤ 0.75 × the bare fastexcel read
  2b.                                              ≥ 10 × faster than a pandas.read_excel(openpyxl) script
  2c.                                              peak memory (PSS of the tree) ≤ 450 MB
  3.  govxl score --year on the province year      ≤ 1.3 × bare read + bare xlsxwriter (public API) write
  4.  govxl --help                                 ≤ 1.5 × python -c "import click"
  5.  疑似重复 of one unit's 200,000 titles        ≤ 10 s (the process; bench/suspects.py)
With --sizes, the province month is also measured cold on smaller province years (¼ and ½ by default,
other seeds, so other layouts and unit counts) beside their bare reads: µs of CPU a row shows growth.
govxl is measured without its cache (out/ removed before each run: "cold"); the runs with the
cache of the previous run ("warm") are shown too. govxl's bytecode is compiled first, as an installed
package's is (compile_govxl).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))

from bench import generate as gen  # noqa: E402
from bench import webgen  # noqa: E402

PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


# ---- measuring one process (tree) -----------------------------------------------------------------

def _children(pid: int) -> list:
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/children") as fh:
                    out += [int(x) for x in fh.read().split()]
            except OSError:
                pass
    except OSError:
        pass
    return out


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    try:  # no smaps_rollup: resident set size
        with open(f"/proc/{pid}/statm") as fh:
            return int(fh.read().split()[1]) * PAGE // 1024
    except (OSError, ValueError, IndexError):
        return 0


def _tree(root: int) -> list:
    """The process and all its descendants."""
    out, todo, seen = [], [root], set()
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        out.append(p)
        todo += _children(p)
    return out


def _tree_kb(root: int):
    """The summed PSS of the process tree, or None when the tree changed while it was being read.

    The processes are listed before and after their PSS is read: a fork in between would pair the
    parent's PSS from before it (its pages all its own) with the child's from after (half of them
    shared), counting the shared pages one and a half times."""
    before = _tree(root)
    total = sum(_pss_kb(p) for p in before)
    return total if _tree(root) == before else None


TIME = "/usr/bin/time" if os.path.exists("/usr/bin/time") else None


SAMPLER_SHARE = 0.03  # at most this share of a core goes to sampling memory


def measure(argv: list, *, cwd=None, env=None, interval: float = 0.02) -> dict:
    """Run argv once: wall seconds, peak memory (MB), exit code, the tail of stderr and stdout.

    Peak memory: GNU time's maximum RSS of the process (a small wrapper, so the harness's own memory
    is not inherited through fork), or the sampled PSS sum of the process tree when that is larger.
    Reading a big process's PSS makes the kernel walk its page tables (≈ 15 ms for 500 MB): sampled
    every 20 ms regardless, it took 41 % of a core from the program measured (a province month ran
    22.5 s instead of 16.7 s on two cores). So after a sample of d seconds the sampler waits at least
    d / SAMPLER_SHARE: every 20 ms for a small process, a few times a second for a big one, whose
    memory grows and shrinks over seconds, not milliseconds.
    """
    tmp = Path(os.environ.get("TMPDIR", "/tmp"))
    err_path = tmp / f"govxl-bench-{os.getpid()}.err"
    rss_path = tmp / f"govxl-bench-{os.getpid()}.rss"
    rss_path.unlink(missing_ok=True)
    cmd = ([TIME, "-q", "-f", "%M", "-o", str(rss_path)] if TIME else []) + [str(a) for a in argv]
    with open(err_path, "wb") as err:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL)
        peak = [0]
        done = threading.Event()

        def sample():
            while not done.is_set():
                t = time.perf_counter()
                kb = _tree_kb(p.pid)
                if kb is not None:
                    peak[0] = max(peak[0], kb)
                done.wait(max(interval, (time.perf_counter() - t) / SAMPLER_SHARE))

        th = threading.Thread(target=sample, daemon=True)
        th.start()
        out = p.stdout.read()
        p.wait()
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        done.set()
        th.join()
    err_text = err_path.read_bytes().decode("utf-8", "replace")
    err_path.unlink(missing_ok=True)
    rss = 0
    if rss_path.exists():
        try:
            rss = int(rss_path.read_text().strip().splitlines()[-1])
        except (ValueError, IndexError):
            rss = 0
        rss_path.unlink(missing_ok=True)
    # CPU of the whole tree: a child's rusage counts the descendants it waited for (govxl's workers)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"wall_s": wall, "cpu_s": cpu, "peak_mb": max(peak[0], rss) / 1024, "exit": p.returncode,
            "stdout": out.decode("utf-8", "replace")[-2000:], "stderr": err_text[-2000:]}


class Bench:
    def __init__(self, log=print):
        self.results: dict = {}
        self.runs: dict = {}  # name → every run so far (a name measured again in a later round adds runs)
        self.log = log

    def run(self, name: str, argv: list, *, repeat: int = 1, ok=(0,), before=None, cwd=None, what: str = ""):
        runs = self.runs.setdefault(name, [])
        for _ in range(repeat):
            if before:
                before()
            r = measure(argv, cwd=cwd)
            if r["exit"] not in ok:
                raise SystemExit(f"基准命令失败（退出码 {r['exit']}）：{' '.join(map(str, argv))}\n{r['stderr']}")
            runs.append(r)
        rec = {"what": what or " ".join(map(str, argv)), "wall_s": round(statistics.median(x["wall_s"] for x in runs), 3),
               "cpu_s": round(statistics.median(x["cpu_s"] for x in runs), 3),
               "runs_s": [round(x["wall_s"], 3) for x in runs],
               "peak_mb": round(max(x["peak_mb"] for x in runs), 1), "exit": runs[-1]["exit"]}
        try:
            rec["output"] = json.loads(runs[-1]["stdout"].strip().splitlines()[-1])
        except (ValueError, IndexError):
            pass
        self.results[name] = rec
        last = runs[-1]
        more = f"   (median of {len(runs)}: {rec['wall_s']:.2f} s)" if len(runs) > 1 else ""
        self.log(f"  {name:<22} {last['wall_s']:>8.2f} s {last['cpu_s']:>8.2f} s CPU {last['peak_mb']:>8.1f} MB   "
                 f"{rec['what']}{more}")
        return rec

    def per_run_ratios(self, num: str, dens: list) -> list:
        """num's runs over the first of dens's that ran, round by round (rounds measured one after the other)."""
        have = [self.runs[d] for d in dens if d in self.runs][:1]
        if num not in self.runs or not have:
            return []
        out = []
        for i, r in enumerate(self.runs[num]):
            den = min((runs[i]["wall_s"] for runs in have if i < len(runs)), default=0)
            if den > 0:
                out.append(round(r["wall_s"] / den, 2))
        return out


# ---- the benchmark ----------------------------------------------------------------------------------

TARGETS = [
    # id, description, numerator, denominator(s), kind, target; several denominators: the first that ran
    ("1", "score --month 县月度 / import pandas", "county_month", ["import_pandas"], "max_ratio", 2.0),
    ("2a", "score --month 省全年 / fastexcel 裸读", "province_month", ["read_fastexcel", "read_calamine"],
     "max_ratio", 2.0),
    ("2d", "同上 CPU / fastexcel 裸读 CPU", "province_month", ["read_fastexcel", "read_calamine"], "max_cpu_ratio",
     3.0),
    ("2e", "同上有缓存 / fastexcel 裸读", "province_month_warm", ["read_fastexcel", "read_calamine"], "max_ratio",
     0.75),
    ("2b", "pandas(openpyxl) 脚本 / score --month 省全年", "naive_pandas", ["province_month"], "min_ratio", 10.0),
    ("2c", "score --month 省全年 峰值内存 (MB)", "province_month", [], "max_mb", 450.0),
    ("3", "score --year 省全年 / 裸读+裸写", "province_year", ["read_write"], "max_ratio", 1.3),
    ("4", "govxl --help / import click", "help", ["import_click"], "max_ratio", 1.5),
    ("5a", "疑似重复 一个单位 20万条（套话标题）", "suspects_template", [], "max_s", 10.0),
    ("5b", "疑似重复 一个单位 20万条（各不相同）", "suspects_varied", [], "max_s", 10.0),
]


def compile_govxl(log=print) -> bool:
    """Write govxl's bytecode before anything is measured, as pip does when it installs a package
    (`pip install .`, the README's way). An editable install (`pip install -e`) leaves it to the first
    import, and where PYTHONDONTWRITEBYTECODE is set (as on the machine the figures in docs/performance.md come
    from) nothing is ever written: every cold run compiled govxl's modules from source (≈ 0.4 s) while
    the references (click, pandas) came compiled. True when the bytecode is there."""
    import compileall

    import govxl

    folder = Path(govxl.__file__).resolve().parent
    ok = bool(compileall.compile_dir(str(folder), quiet=1))
    log(f"govxl 字节码：{'已编译' if ok else '未能编译'}（{folder}）")
    return ok


def govxl_command() -> list:
    exe = Path(sys.executable).parent / "govxl"
    if exe.exists():
        return [str(exe)]
    found = shutil.which("govxl")
    return [found] if found else [sys.executable, "-m", "govxl"]


def evaluate(results: dict) -> list:
    out = []
    for tid, desc, num, dens, kind, target in TARGETS:
        have = [d for d in dens if d in results][:1]  # the first reference that ran (fastexcel, else calamine)
        if num not in results or (dens and not have):
            out.append({"id": tid, "what": desc, "value": None, "target": target, "kind": kind, "pass": None})
            continue
        if kind == "max_mb":
            value = results[num]["peak_mb"]
            ok = value <= target
        elif kind == "max_s":
            value = results[num]["wall_s"]
            ok = value <= target
        else:
            key = "cpu_s" if kind == "max_cpu_ratio" else "wall_s"
            den = results[have[0]].get(key, 0)
            value = results[num].get(key, 0) / den if den > 0 else float("inf")
            ok = value >= target if kind == "min_ratio" else value <= target
        out.append({"id": tid, "what": desc, "value": round(value, 2), "target": target, "kind": kind, "pass": ok})
    return out


def _fmt_target(t) -> str:
    kind = t.get("kind") or next((k for tid, *_, k, _ in TARGETS if tid == t["id"]), "max_ratio")
    sym = {"max_ratio": "≤ {}×", "max_cpu_ratio": "≤ {}×", "min_ratio": "≥ {}×", "max_mb": "≤ {} MB", "max_s": "≤ {} s"}[kind]
    return sym.format(t["target"])


def table(report: dict, baseline: dict = None) -> str:
    lines = []
    res = report["measurements"]
    old = (baseline or {}).get("measurements", {})
    head = f"{'measurement':<22} {'wall s':>9} {'CPU s':>9} {'peak MB':>9}"
    if baseline:
        head += f" {'before s':>9} {'before MB':>10}"
    lines += [head, "-" * len(head)]
    for name, r in res.items():
        cpu = f"{r['cpu_s']:>9.2f}" if "cpu_s" in r else f"{'—':>9}"
        line = f"{name:<22} {r['wall_s']:>9.2f} {cpu} {r['peak_mb']:>9.1f}"
        if baseline:
            o = old.get(name)
            line += f" {o['wall_s']:>9.2f} {o['peak_mb']:>10.1f}" if o else f" {'—':>9} {'—':>10}"
        lines.append(line)
    lines.append("")
    oldt = {t["id"]: t for t in (baseline or {}).get("targets", ())}
    for t in report["targets"]:
        unit = {"max_mb": " MB", "max_s": " s"}.get(t.get("kind"), "×")
        value = "—" if t["value"] is None else f"{t['value']:.2f}{unit}"
        verdict = "SKIP" if t["pass"] is None else ("PASS" if t["pass"] else "FAIL")
        line = f"{verdict} {t['id']:<3} {t['what']:<40} {value:>10}  target {_fmt_target(t)}"
        if baseline and t["id"] in oldt and oldt[t["id"]]["value"] is not None:
            o = oldt[t["id"]]
            ov = f"{o['value']:.2f}{unit}"
            line += f"   (before {ov}, {'PASS' if o['pass'] else 'FAIL'})"
        lines.append(line)
    return "\n".join(lines)


def growth_row(b: Bench, label: str, shape: dict, month: str, bare: str) -> dict:
    """One size of the province year: govxl's cold month beside the bare read of the same files."""
    g, r = b.results[month], b.results[bare]
    rows = shape["data_rows"]
    return {"size": label, "files": shape["files"], "units": shape["units"], "rows": rows,
            "wall_s": g["wall_s"], "cpu_s": g["cpu_s"], "peak_mb": g["peak_mb"],
            "us_cpu_a_row": round(g["cpu_s"] / rows * 1e6, 1) if rows else None,
            "wall_ratio": round(g["wall_s"] / r["wall_s"], 2) if r["wall_s"] else None,
            "cpu_ratio": round(g["cpu_s"] / r["cpu_s"], 2) if r["cpu_s"] else None}


def growth_table(rows: list) -> str:
    head = (f"{'size':<6} {'files':>5} {'units':>5} {'rows':>8} {'wall s':>7} {'CPU s':>7} {'µs CPU/row':>10} "
            f"{'peak MB':>8} {'wall/bare':>9} {'CPU/bare':>8}")
    lines = [head, "-" * len(head)]
    for g in rows:
        lines.append(f"{g['size']:<6} {g['files']:>5} {g['units']:>5} {g['rows']:>8} {g['wall_s']:>7.2f} "
                     f"{g['cpu_s']:>7.2f} {g['us_cpu_a_row']:>10} {g['peak_mb']:>8.1f} {g['wall_ratio']:>8}× "
                     f"{g['cpu_ratio']:>7}×")
    return "\n".join(lines)


def run_sizes(b: Bench, data: Path, man: dict, sizes, score, bare: list, reader: str, log=print) -> list:
    """The province month cold at fractions of the province year, each its own seed (other layouts, unit
    counts and file sizes), beside its bare read; then the full size measured before."""
    files, rows = man["recipe"]["province"]
    out = []
    for frac in sizes:
        n, k = max(1, round(rows * frac)), max(1, round(files * frac))
        label = {0.25: "¼", 0.5: "½"}.get(frac, f"{frac:g}")
        ds = Path(data) / f"size-{n}"
        m = gen.generate(ds, seed=gen.SEED + n, county=(2, 10), province=(k, n), workers=2, log=log)
        wb = str(ds / "province" / "workbooks")
        b.run(f"{reader}_{n}", bare + [reader.replace("_", "-"), wb], what=f"bare read ({label})")
        target = ds / "_out"
        b.run(f"province_month_{n}", score(ds / "province", target, "--month", m["province_month"]), ok=(0, 1),
              before=lambda t=target: shutil.rmtree(t, ignore_errors=True), what=f"govxl score --month ({label}, cold)")
        out.append(growth_row(b, label, m["province"], f"province_month_{n}", f"{reader}_{n}"))
    out.append(growth_row(b, "full", man["province"], "province_month", reader))
    return out


def run_bench(*, data: Path, results: Path, smoke: bool = False, repeat: int = 5, big_repeat: int = 1, rounds: int = 1,
              naive: bool = True, warm: bool = True, label: str = "", baseline: dict = None, sizes=(0.25, 0.5),
              log=print) -> dict:
    if smoke:
        man = gen.generate(data, county=(6, 40), province=(8, 4000), workers=1, log=log)
    else:
        man = gen.generate(data, log=log)
    county, province = Path(data) / "county", Path(data) / "province"
    scratch = Path(data) / "_out"
    scratch.mkdir(parents=True, exist_ok=True)
    py = sys.executable
    gx = govxl_command()
    bare = [py, str(HERE / "bare.py")]
    b = Bench(log)
    compiled = compile_govxl(log)
    log(f"测量（{'smoke' if smoke else 'full'}；govxl = {' '.join(gx)}）")

    def fresh(folder):
        return lambda: shutil.rmtree(folder, ignore_errors=True)

    def score(ds: Path, out: Path, *period):
        return gx + ["score", *period, str(ds / "workbooks"), "--config", str(ds / "govxl.xlsx"), "--out", str(out)]

    b.run("import_click", [py, "-c", "import click"], repeat=repeat)
    b.run("help", gx + ["--help"], repeat=repeat, what="govxl --help")
    b.run("import_pandas", [py, "-c", "import pandas"], repeat=repeat)
    out_a = scratch / "county"
    b.run("county_month", score(county, out_a, "--month", man["county_month"]), repeat=repeat, ok=(0, 1),
          before=fresh(out_a), what=f"govxl score --month {man['county_month']} (county, cold)")
    if warm:
        b.run("county_month_warm", score(county, out_a, "--month", man["county_month"]), repeat=repeat, ok=(0, 1),
              what="the same, with out/.cache from the run before")
    wb = str(province / "workbooks")
    try:
        import fastexcel  # noqa: F401
        has_fastexcel = True
    except ImportError:
        has_fastexcel = False
        log("  read_fastexcel         (fastexcel not installed: skipped)")
    out_b = scratch / "province"
    # target 2a compares the province month with the bare reads: on a shared machine whose speed drifts
    # within minutes, they are measured in rounds, one after the other (median of each over the rounds)
    for i in range(rounds):
        if rounds > 1:
            log(f"  — round {i + 1}/{rounds}")
        if has_fastexcel:
            b.run("read_fastexcel", bare + ["read-fastexcel", wb], what="bare read: fastexcel")
        b.run("read_calamine", bare + ["read-calamine", wb], what="bare read: python-calamine rows")
        b.run("province_month", score(province, out_b, "--month", man["province_month"]), ok=(0, 1),
              before=fresh(out_b), what=f"govxl score --month {man['province_month']} (province year, cold)")
        if warm:
            b.run("province_month_warm", score(province, out_b, "--month", man["province_month"]),
                  ok=(0, 1), what="the same, with out/.cache from the run before")
    if naive:
        b.run("naive_pandas", bare + ["naive-pandas", wb, man["province_month"]], repeat=1,
              what="pandas.read_excel(openpyxl) script, same month's sums")
    b.run("read_write", bare + ["read-write", wb, str(scratch / "bare-detail.xlsx")], repeat=big_repeat,
          what="bare read + bare xlsxwriter write of the rows")
    out_y = scratch / "province-year"
    b.run("province_year", score(province, out_y, "--year", str(man["year"])), repeat=big_repeat, ok=(0, 1),
          before=fresh(out_y), what=f"govxl score --year {man['year']} (province, cold)")
    if warm:
        b.run("province_year_warm", score(province, out_y, "--year", str(man["year"])), repeat=big_repeat, ok=(0, 1),
              what="the same, with out/.cache from the run before")
    growth = run_sizes(b, data, man, sizes, score, bare, "read_fastexcel" if has_fastexcel else "read_calamine",
                       log=log)
    # govxl web over a posting year (issue 22), beside the bare read of the same files
    web = Path(data) / "web"
    wman = webgen.generate(web, rows=2_000 if smoke else 200_000, files=4 if smoke else 20, log=log)
    b.run("read_calamine_web", bare + ["read-calamine", str(web / "workbooks")], repeat=big_repeat,
          what=f"bare read: python-calamine rows of the posting year ({wman['rows']} rows)")
    out_w = scratch / "web"
    b.run("web_year", gx + ["web", "--year", str(wman["year"]), str(web / "workbooks"), "--config", str(web / "govxl.xlsx"),
                            "--out", str(out_w)], repeat=big_repeat, ok=(0, 1), before=fresh(out_w),
          what=f"govxl web --year {wman['year']} (posting year, {wman['rows']} rows)")
    # 疑似重复 of one unit's year of titles (issue 19.9): the whole process, titles made up included
    size = 2_000 if smoke else 200_000
    for kind in ("template", "varied"):
        b.run(f"suspects_{kind}", [py, str(HERE / "suspects.py"), str(size), kind], repeat=1,
              what=f"疑似重复: {size} {kind} titles of one unit")
    report = {
        "label": label,
        "smoke": smoke,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "govxl_bytecode_compiled": compiled,
        "data": {"county": man["county"], "province": man["province"], "seed": man["recipe"]["seed"]},
        "measurements": b.results,
        "targets": evaluate(b.results),
        "rounds_2a": b.per_run_ratios("province_month", ["read_fastexcel", "read_calamine"]),
        "growth": growth,
    }
    log("")
    log(table(report, baseline))
    log("")
    log(growth_table(growth))
    if len(report["rounds_2a"]) > 1:
        log("2a round by round: " + ", ".join(f"{x:.2f}×" for x in report["rounds_2a"]))
    results = Path(results)
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    log(f"\n结果已写入 {results}")
    return report


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m bench", description="govxl benchmark (issue 7)")
    ap.add_argument("--data", type=Path, default=None, help="data folder (default bench/data, or bench/data/smoke)")
    ap.add_argument("--results", type=Path, default=HERE / "results.json")
    ap.add_argument("--smoke", action="store_true", help="tiny data, for the test suite")
    ap.add_argument("--repeat", type=int, default=None, help="runs of the small commands (median)")
    ap.add_argument("--big-repeat", type=int, default=1, help="runs of the other province commands (median)")
    ap.add_argument("--rounds", type=int, default=None,
                    help="rounds of the bare reads and the province month, one after the other (median; default 3)")
    ap.add_argument("--no-naive", action="store_true", help="skip the slow pandas/openpyxl reference")
    ap.add_argument("--no-warm", action="store_true", help="skip the runs with the cache")
    ap.add_argument("--sizes", type=float, nargs="*", default=[0.25, 0.5],
                    help="fractions of the province year also measured (cold month, other seeds); none: --sizes")
    ap.add_argument("--label", default="")
    ap.add_argument("--baseline", type=Path, help="an earlier results.json to print beside this run")
    ap.add_argument("--table", type=Path, help="only print the table of an existing results.json (with --baseline)")
    a = ap.parse_args(argv)
    baseline = json.loads(a.baseline.read_text(encoding="utf-8")) if a.baseline else None
    if a.table:
        print(table(json.loads(a.table.read_text(encoding="utf-8")), baseline))
        return 0
    data = a.data or (HERE / "data" / ("smoke" if a.smoke else ""))
    repeat = a.repeat or (1 if a.smoke else 5)
    rounds = a.rounds or (1 if a.smoke else 3)
    report = run_bench(data=data, results=a.results, smoke=a.smoke, repeat=repeat, big_repeat=a.big_repeat,
                       rounds=rounds, naive=not a.no_naive, warm=not a.no_warm, label=a.label, baseline=baseline,
                       sizes=a.sizes)
    return 0 if all(t["pass"] is not False for t in report["targets"]) else 1


if __name__ == "__main__":
    sys.exit(main())
