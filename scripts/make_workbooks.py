#!/usr/bin/env python3
"""Regenerate the repository's example workspace from govxl's own generators.

    python3 scripts/make_workbooks.py [--year 2025] [--seed 2025]

writes
    govxl.xlsx                   the example config (roster of 安澜县, default rules and settings)
    workbooks/                   the example year of registers (stale generated files removed)
    govxl/templates/govxl.xlsx   the config template shipped with the package

Deterministic: running it twice gives byte-identical files (tests/test_sample.py checks this).
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from govxl.workspace.roster_data import OFFICE_NAME, ROSTER  # noqa: E402
from govxl.workspace.sample import write_sample_registers  # noqa: E402
from govxl.workspace.folder import write_config  # noqa: E402

GENERATED_EXTS = (".xlsx", ".csv")


def regenerate(root: Path, *, year: int, seed: int) -> list[Path]:
    written = [
        write_config(root / "govxl.xlsx", ROSTER, year, office_name=OFFICE_NAME, sample=True),
        write_config(root / "govxl" / "templates" / "govxl.xlsx", ROSTER, year),
    ]
    workbooks = root / "workbooks"
    with tempfile.TemporaryDirectory(prefix="govxl-sample-") as tmp:
        files = write_sample_registers(Path(tmp), ROSTER, year=year, seed=seed)
        fresh = {p.relative_to(tmp) for p in files}
        # drop generated files that this run no longer produces
        if workbooks.is_dir():
            for old in sorted(workbooks.rglob("*")):
                if old.is_file() and old.suffix.lower() in GENERATED_EXTS and old.relative_to(workbooks) not in fresh:
                    old.unlink()
        for p in files:
            target = workbooks / p.relative_to(tmp)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(p, target)
            written.append(target)
    for d in sorted(workbooks.rglob("*"), reverse=True):
        if d.is_dir() and not any(d.iterdir()):
            d.rmdir()
    return written


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Regenerate govxl.xlsx, workbooks/ and the config template.")
    ap.add_argument("--year", type=int, default=2025)
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--root", type=Path, default=ROOT, help="repository root (default: this checkout)")
    args = ap.parse_args(argv)
    written = regenerate(args.root, year=args.year, seed=args.seed)
    print(f"wrote {len(written)} files under {args.root}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
