"""Reading files into grids: one Grid per sheet, with real Excel row numbers and merged ranges.

This layer knows about file formats only (xlsx/xlsm/xls via python-calamine, csv by hand);
what the cells mean is decided in `registers.py`.
"""
from __future__ import annotations

import csv
import errno
import io
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ..errors import InputUnreadable, UsageError, os_reason

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
    bad_rows: dict = field(default_factory=dict)  # absolute row → why its cells cannot be trusted (an error row)
    note: str = ""  # a warning on how the sheet was read (a repeated sheet name read under another)

    def excel_row(self, i: int) -> int:
        return self.origin[0] + i + 1

    def excel_col(self, j: int) -> int:
        return self.origin[1] + j


def readable(name: str) -> str:
    """A file name as the clerk should see it.

    A name that is not valid UTF-8 (what unzipping a Windows zip on a Linux share gives) arrives from the
    OS with surrogate escapes, which no console, JSON or workbook can show: its bytes are read as
    GB18030 (Chinese Windows' encoding) where they decode, else shown with replacement characters."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        raw = os.fsencode(name)
        try:
            return raw.decode("gb18030")
        except UnicodeDecodeError:
            return raw.decode("utf-8", "replace")


def display_path(path: Path) -> str:
    """Paths shown to the clerk: relative to the current folder when below it, with a readable name."""
    try:
        shown = str(Path(os.path.abspath(path)).relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        shown = str(path)
    return readable(shown)


def is_lock_file(path: Path) -> bool:
    return path.name.startswith("~$") or path.name.startswith(".~lock.")


# Spreadsheet formats a clerk may drop into workbooks/ that govxl does not read: named, never silently skipped.
UNSUPPORTED_EXTS = (".et", ".ett", ".ods", ".xlsb", ".numbers", ".wps", ".xltx", ".xlt")

_KINDS = ((stat.S_ISFIFO, "命名管道"), (stat.S_ISSOCK, "套接字"), (stat.S_ISCHR, "字符设备"),
          (stat.S_ISBLK, "块设备"))


def not_regular(st: os.stat_result) -> Optional[str]:
    """Why a path whose stat is st is not a file govxl reads (None for a regular file)."""
    if stat.S_ISREG(st.st_mode):
        return None
    if stat.S_ISDIR(st.st_mode):
        return "是文件夹，不是表格文件"
    kind = next((k for test, k in _KINDS if test(st.st_mode)), "特殊文件")
    return f"不是普通文件（{kind}），未读取"


def _link_problem(path: Path, exc: OSError) -> str:
    """The message for a path that exists as a name but cannot be followed or opened."""
    if os.path.islink(path):
        if getattr(exc, "errno", None) == errno.ELOOP:
            return "符号链接（快捷方式）形成循环，未读取"
        if isinstance(exc, FileNotFoundError):
            try:
                target = readable(os.readlink(path))
            except OSError:
                target = "?"
            return f"符号链接（快捷方式）指向的位置不存在（{target}），未读取"
    return f"无法打开（{os_reason(exc)}），未读取"


def discover(paths, *, unsupported: Optional[list] = None, refused: Optional[list] = None) -> list[Path]:
    """Every register file under the given paths, in a stable order; lock and hidden files skipped.

    Only regular files are returned, so nothing later can block on a pipe or a device. What cannot be
    listed or opened (a folder without permission, a vanished share, a dangling or looping link, a pipe,
    a socket, a device) is appended to `refused` as (shown path, message); with refused=None it is
    skipped. Folder links are followed, each real folder once. Spreadsheets in a format govxl cannot read
    are appended to `unsupported` as (shown path, ext)."""
    found: list[Path] = []
    seen_files: set = set()
    seen_dirs: set = set()
    refuse = refused.append if refused is not None else (lambda _: None)

    def take(f: Path, st: os.stat_result):
        key = (st.st_dev, st.st_ino)
        if key not in seen_files:  # a file named twice (or reached by a link) is read once
            seen_files.add(key)
            found.append(f)

    def walk(folder: Path, st: os.stat_result, above: frozenset = frozenset()):
        key = (st.st_dev, st.st_ino)
        if key in above:
            refuse((display_path(folder), "符号链接（快捷方式）指向其上级文件夹，形成循环，未读取"))
            return
        if key in seen_dirs:
            return  # a second link to a folder already read: its files are in once
        seen_dirs.add(key)
        above = above | {key}
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            refuse((display_path(folder), f"文件夹无法打开（{os_reason(exc)}），其中的台账未读取"))
            return
        for e in entries:
            f = Path(e.path)
            ext = f.suffix.lower()
            if e.name.startswith(".") or is_lock_file(f):
                continue
            try:
                est = os.stat(f)
            except OSError as exc:
                # a broken name with a register's ending, or no ending (it may have been a folder), is said
                if ext in SUPPORTED_EXTS or ext in UNSUPPORTED_EXTS or not ext:
                    refuse((display_path(f), _link_problem(f, exc)))
                continue
            if stat.S_ISDIR(est.st_mode):
                walk(f, est, above)
            elif ext in SUPPORTED_EXTS:
                why = not_regular(est)
                if why:
                    refuse((display_path(f), why))
                else:
                    take(f, est)
            elif ext in UNSUPPORTED_EXTS and unsupported is not None and stat.S_ISREG(est.st_mode):
                unsupported.append((display_path(f), ext))

    for p in paths:
        p = Path(p)
        if not os.path.lexists(p):
            raise UsageError(f"找不到路径：{display_path(p)}", path=display_path(p))
        try:
            st = os.stat(p)
        except OSError as exc:
            refuse((display_path(p), _link_problem(p, exc)))
            continue
        if stat.S_ISDIR(st.st_mode):
            walk(p, st)
        elif not is_lock_file(p):
            why = not_regular(st)
            if why:
                refuse((display_path(p), why))
            else:
                take(p, st)
    return found


def read_file(path: Path, *, size_limit: Optional[int] = None) -> list[Grid]:
    """All sheets of one file as grids. Raises InputUnreadable when the file cannot be read at all."""
    path = Path(path)
    shown = display_path(path)
    try:
        st = os.stat(path)
    except OSError as exc:
        raise InputUnreadable(f"文件 {shown} {_link_problem(path, exc)}", path=shown) from exc
    why = not_regular(st)
    if why:
        raise InputUnreadable(f"{shown} {why}", path=shown)
    size = st.st_size
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
                Grid(shown, meta.name, rows, (0, 0), merged, hidden, set(uncached.get(meta.name, ())),
                     note=opened.notes.get(meta.name, ""))
            )
    except InputUnreadable:
        raise
    except Exception as exc:
        raise InputUnreadable(f"文件 {shown} 已损坏，无法读取（{_short(exc)}）", path=shown) from exc
    finally:
        opened.close()
    return grids


CSV_ENCODINGS = ("utf-8-sig", "gb18030")
BAD_LINE = "本行有无法识别的字符（与文件其余部分的编码不同），未计入：请在 Excel/WPS 中检查本行后重新保存"


def decode_csv_bytes(data: bytes, shown: str) -> tuple:
    """The text of a CSV file and the 0-based numbers of the lines that could not be decoded.

    UTF-16 (with BOM), UTF-8 (with or without BOM) or GB18030/GBK, as Excel and WPS save them. A file
    mostly in one encoding with a few lines in another (pasted from elsewhere) is read in the encoding
    most of its lines decode in; the other lines are kept with U+FFFD and named, so the reader makes
    them located error rows instead of refusing the file."""
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        try:
            return data.decode("utf-16"), set()
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is not None:
            return text, set()
        raise InputUnreadable(
            f"文件 {shown} 含有空字节（\\0），不是文本格式的 CSV（可能是改了扩展名的其他文件），"
            f"请在 Excel/WPS 中另存为 .xlsx 或 CSV 后再试", path=shown)
    for enc in CSV_ENCODINGS:
        try:
            return data.decode(enc), set()
        except UnicodeDecodeError:
            continue
    lines = data.split(b"\n")
    if lines and lines[0].startswith(b"\xef\xbb\xbf"):
        lines[0] = lines[0][3:]
    best, bad = None, None
    for enc in CSV_ENCODINGS:
        failed = set()
        for i, line in enumerate(lines):
            try:
                line.decode(enc)
            except UnicodeDecodeError:
                failed.add(i)
        if bad is None or len(failed) < len(bad):
            best, bad = enc, failed
    if len(bad) * 2 > len(lines):
        raise InputUnreadable(
            f"CSV 文件 {shown} 的编码无法识别（支持 UTF-8 和 GBK/GB18030），请在 Excel/WPS 中另存为 xlsx 后再试",
            path=shown)
    text = "\n".join(line.decode(best, "replace") for line in lines)
    return text, bad


def _utf16_without_bom(data: bytes) -> Optional[str]:
    """Text saved as UTF-16 without a byte-order mark: its ASCII (digits, commas, line ends) puts a zero
    byte beside every such character, on the odd offsets (little-endian) or the even ones (big-endian)."""
    if len(data) % 2:
        return None
    odd, even = data[1::2].count(0), data[0::2].count(0)
    enc = "utf-16-le" if odd > 4 * even else "utf-16-be" if even > 4 * odd else None
    if enc is None:
        return None
    try:
        text = data.decode(enc)
    except UnicodeDecodeError:
        return None
    return None if "\x00" in text else text


def _read_csv(path: Path, shown: str) -> Grid:
    data = path.read_bytes()
    text, bad_lines = decode_csv_bytes(data, shown)
    sample = text[:4096]
    delimiter = ","
    counts = {d: sample.count(d) for d in (",", "\t", ";")}
    if counts[","] == 0 and max(counts.values()) > 0:
        delimiter = max(counts, key=counts.get)
    rows, bad_rows = [], {}
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    while True:
        first = reader.line_num  # lines consumed before this record: it starts on line `first`
        try:
            r = next(reader)
        except StopIteration:
            break
        except csv.Error:
            # a quote that never closes swallows the rest of the file: say where it starts
            raise InputUnreadable(
                f"CSV 文件 {shown} 第 {first + 1} 行的引号（\"）没有配对，此后的内容无法分列，请在 Excel/WPS 中检查后重新保存",
                path=shown) from None
        if bad_lines and any(n in bad_lines for n in range(first, reader.line_num)):
            bad_rows[len(rows)] = BAD_LINE
        rows.append(list(r))
    return Grid(shown, readable(path.stem), rows, (0, 0), [], False, bad_rows=bad_rows)


def _short(exc: Exception) -> str:
    s = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return s[:200]
