"""Compare what two versions of govxl write on the shipped example year, cell by cell.

    python -m bench.compare_outputs --base REF [--keep DIR]

REF is a git commit (say the last one before a redesign step). Both it (checked out in a temporary git
worktree) and the working tree run every command a clerk runs on the repository's example workspace
(govxl.xlsx + workbooks/): every month, the quarters, the halves and the year with --json, October with
--notice, and `disclosure --year`. Then every output is compared: workbooks cell by cell (values, sheet
by sheet), notices paragraph by paragraph and table cell by table cell, JSON results key by key. Each
difference is printed with where it is; the exit code is 1 when there is any, 0 when the outputs agree.

A redesign step either shows no difference or lists each one in its commit as an intended fix.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
YEAR = 2025
SHOWN = 20  # differences printed per file


def runs(year: int = YEAR) -> list:
    """(name, govxl arguments) of every run compared."""
    out = [(f"month-{m:02d}", ["score", "--month", f"{year}-{m:02d}"]) for m in range(1, 13)]
    out += [(f"quarter-{q}", ["score", "--quarter", f"{year}-Q{q}"]) for q in range(1, 5)]
    out += [(f"half-{h}", ["score", "--half", f"{year}-H{h}"]) for h in (1, 2)]
    out += [("year", ["score", "--year", str(year)]), ("notice", ["score", "--month", f"{year}-10", "--notice"]),
            ("check", ["check"]), ("disclosure", ["disclosure", "--year", str(year)])]
    return out


def write_outputs(source: Path, dest: Path) -> None:
    """Run the govxl found under `source` on a copy of the example workspace; results in dest/<run>/."""
    work = dest / "workspace"
    shutil.copytree(ROOT / "workbooks", work / "workbooks")
    shutil.copy2(ROOT / "govxl.xlsx", work / "govxl.xlsx")
    env = dict(os.environ, PYTHONPATH=str(source))
    for name, args in runs():
        folder = dest / name
        cmd = [sys.executable, "-m", "govxl", *args, "--out", str(folder), "--result", str(folder / "result.json")]
        subprocess.run(cmd, cwd=work, env=env, capture_output=True, check=False)


def _xlsx_cells(path: Path) -> dict:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=False)
    cells = {}
    for sheet in book.worksheets:
        for r, row in enumerate(sheet.iter_rows(values_only=True), 1):
            for c, v in enumerate(row, 1):
                if v is not None and v != "":
                    cells[(sheet.title, r, c)] = v
    book.close()
    return cells


def _docx_parts(path: Path) -> dict:
    import docx

    doc = docx.Document(str(path))
    parts = {("段落", i): p.text for i, p in enumerate(doc.paragraphs, 1)}
    for t, table in enumerate(doc.tables, 1):
        for r, row in enumerate(table.rows, 1):
            for c, cell in enumerate(row.cells, 1):
                parts[(f"表{t}", r, c)] = cell.text
    return parts


def _json_leaves(value, where=()) -> dict:
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            out.update(_json_leaves(v, (*where, k)))
        return out
    if isinstance(value, list):
        out = {}
        for i, v in enumerate(value):
            out.update(_json_leaves(v, (*where, i)))
        return out
    return {where: value}


def _parts(path: Path) -> dict:
    if path.suffix == ".xlsx":
        return _xlsx_cells(path)
    if path.suffix == ".docx":
        return _docx_parts(path)
    if path.suffix == ".json":
        data = json.loads(path.read_text(encoding="utf-8"))
        data.pop("outputs", None)  # paths of the two runs' folders
        return _json_leaves(data)
    raise ValueError(path)


def compare(a: Path, b: Path) -> int:
    """Print every difference between the outputs under a and b; the number of differences."""
    files_a = {p.relative_to(a) for p in a.rglob("*") if p.is_file() and "workspace" not in p.parts
               and ".cache" not in p.parts and ".govxl" not in p.name}
    files_b = {p.relative_to(b) for p in b.rglob("*") if p.is_file() and "workspace" not in p.parts
               and ".cache" not in p.parts and ".govxl" not in p.name}
    n = 0
    for rel in sorted(files_a ^ files_b):
        print(f"{rel}: only in {'base' if rel in files_a else 'new'}")
        n += 1
    for rel in sorted(files_a & files_b):
        if rel.suffix == ".eml":
            continue
        if rel.suffix not in (".xlsx", ".docx", ".json"):  # text: a line inserted is one difference
            import difflib

            lines = [x for x in difflib.unified_diff((a / rel).read_text(encoding="utf-8").splitlines(),
                                                     (b / rel).read_text(encoding="utf-8").splitlines(), lineterm="")
                     if x[:1] in "+-" and not x.startswith(("+++", "---"))]
            for x in lines[:SHOWN]:
                print(f"{rel} {x}")
            n += len(lines)
            continue
        pa, pb = _parts(a / rel), _parts(b / rel)
        diffs = [(k, pa.get(k), pb.get(k)) for k in sorted(set(pa) | set(pb), key=str) if pa.get(k) != pb.get(k)]
        for k, va, vb in diffs[:SHOWN]:
            print(f"{rel} {k}: {va!r} → {vb!r}")
        if len(diffs) > SHOWN:
            print(f"{rel}: … {len(diffs) - SHOWN} more")
        n += len(diffs)
    return n


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--base", required=True, help="the git commit to compare the working tree with")
    ap.add_argument("--keep", type=Path, help="keep both output trees here")
    args = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="govxl-compare-"))
    base_src = tmp / "base-src"
    try:
        subprocess.run(["git", "worktree", "add", "--detach", str(base_src), args.base], cwd=ROOT, check=True,
                       capture_output=True)
        write_outputs(base_src, tmp / "base")
        write_outputs(ROOT, tmp / "new")
        n = compare(tmp / "base", tmp / "new")
        print(f"{n} differences between {args.base} and the working tree")
        if args.keep:
            shutil.copytree(tmp, args.keep, dirs_exist_ok=True, ignore=shutil.ignore_patterns("base-src"))
        return 1 if n else 0
    finally:
        subprocess.run(["git", "worktree", "remove", "--force", str(base_src)], cwd=ROOT, capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
