"""Reading files into grids: one Grid per sheet, with real Excel row numbers and merged ranges.

This layer knows about file formats only (xlsx/xlsm/xls via python-calamine, csv by hand);
what the cells mean is decided in `registers.py`.
"""
from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .errors import InputUnreadable, UsageError

SPREADSHEET_EXTS = (".xlsx", ".xlsm", ".xls")
SUPPORTED_EXTS = SPREADSHEET_EXTS + (".csv",)


@dataclass
class Grid:
    """The cells of one sheet. rows[i][j] is the cell at Excel row origin[0]+i+1, column origin[1]+j."""

    file: str
    sheet: str
    rows: list
    origin: tuple = (0, 0)  # 0-based (row, col) of rows[0][0]
    merged: list = field(default_factory=list)  # [((r0, c0), (r1, c1))] absolute, 0-based, inclusive
    hidden: bool = False
    uncached: set = field(default_factory=set)  # absolute (row, col) of formulas without a cached value

    def excel_row(self, i: int) -> int:
        return self.origin[0] + i + 1

    def excel_col(self, j: int) -> int:
        return self.origin[1] + j


def display_path(path: Path) -> str:
    """Paths shown to the clerk: relative to the current folder when below it."""
    try:
        return str(Path(path).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def is_lock_file(path: Path) -> bool:
    return path.name.startswith("~$") or path.name.startswith(".~lock.")


# Spreadsheet formats a clerk may drop into workbooks/ that govxl does not read: named, never silently skipped.
UNSUPPORTED_EXTS = (".et", ".ett", ".ods", ".xlsb", ".numbers", ".wps", ".xltx", ".xlt")


def discover(paths, *, unsupported: Optional[list] = None) -> list[Path]:
    """Every register file under the given paths, in a stable order; lock files skipped.

    Spreadsheets in a format govxl cannot read are appended to `unsupported` as (shown path, ext)."""
    found: list[Path] = []
    for p in paths:
        p = Path(p)
        if not p.exists():
            raise UsageError(f"找不到路径：{p}", path=str(p))
        if p.is_dir():
            for root, dirs, files in os.walk(p):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    f = Path(root) / name
                    if is_lock_file(f) or name.startswith("."):
                        continue
                    if f.suffix.lower() in SUPPORTED_EXTS:
                        found.append(f)
                    elif f.suffix.lower() in UNSUPPORTED_EXTS and unsupported is not None:
                        unsupported.append((display_path(f), f.suffix.lower()))
        else:
            if is_lock_file(p):
                continue
            found.append(p)
    # de-duplicate while keeping order (a file named twice is read once)
    seen = set()
    out = []
    for f in found:
        key = str(f.resolve())
        if key not in seen:
            seen.add(key)
            out.append(f)
    return out


def read_file(path: Path, *, size_limit: Optional[int] = None) -> list[Grid]:
    """All sheets of one file as grids. Raises InputUnreadable when the file cannot be read at all."""
    path = Path(path)
    shown = display_path(path)
    if path.is_dir():
        raise InputUnreadable(f"{shown} 是文件夹，不是表格文件", path=shown)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputUnreadable(f"无法读取文件 {shown}：{exc.strerror or exc}", path=shown) from exc
    if size == 0:
        raise InputUnreadable(f"文件 {shown} 是空文件（0 字节），无法读取", path=shown)
    ext = path.suffix.lower()
    if ext == ".csv":
        return [_read_csv(path, shown)]
    from . import inspect as xinspect

    # sniffs the real format, refuses encrypted files, zip and entity bombs, trims padded sheets
    opened = xinspect.open_workbook(path, shown, size_limit=size_limit)
    return _read_calamine(opened, shown)


def _read_calamine(opened, shown: str) -> list[Grid]:
    wb, uncached = opened.workbook, opened.uncached
    grids = []
    try:
        for meta in wb.sheets_metadata:
            if str(getattr(meta.typ, "name", meta.typ)).lower().endswith("chartsheet"):
                grids.append(Grid(shown, meta.name, [], hidden=False))
                continue
            sheet = wb.get_sheet_by_name(meta.name)
            rows = sheet.to_python(skip_empty_area=False)
            merged = []
            try:
                merged = list(sheet.merged_cell_ranges or [])
            except Exception:
                merged = []
            # a merge reaching past the cells (A2:XFD5000) must not make callers expand it cell by cell
            if merged:
                width = max((len(r) for r in rows), default=0)
                merged = [((r0, c0), (min(r1, len(rows) - 1), min(c1, width - 1)))
                          for (r0, c0), (r1, c1) in merged if r0 < len(rows) and c0 < width]
            hidden = "visible" not in str(meta.visible).lower().split(".")[-1].lower()
            grids.append(
                Grid(shown, meta.name, rows, (0, 0), merged, hidden, set(uncached.get(meta.name, ())))
            )
    except InputUnreadable:
        raise
    except Exception as exc:
        raise InputUnreadable(f"文件 {shown} 已损坏，无法读取（{_short(exc)}）", path=shown) from exc
    finally:
        opened.close()
    return grids


CSV_ENCODINGS = ("utf-8-sig", "gb18030")


def decode_csv_bytes(data: bytes, shown: str) -> str:
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for enc in CSV_ENCODINGS:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise InputUnreadable(
        f"CSV 文件 {shown} 的编码无法识别（支持 UTF-8 和 GBK/GB18030），请在 Excel/WPS 中另存为 xlsx 后再试",
        path=shown,
    )


def _read_csv(path: Path, shown: str) -> Grid:
    data = path.read_bytes()
    text = decode_csv_bytes(data, shown)
    sample = text[:4096]
    delimiter = ","
    counts = {d: sample.count(d) for d in (",", "\t", ";")}
    if counts[","] == 0 and max(counts.values()) > 0:
        delimiter = max(counts, key=counts.get)
    try:
        rows = [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise InputUnreadable(f"CSV 文件 {shown} 格式错误：{exc}", path=shown) from exc
    return Grid(shown, path.stem, rows, (0, 0), [], False)


def _short(exc: Exception) -> str:
    s = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return s[:200]
