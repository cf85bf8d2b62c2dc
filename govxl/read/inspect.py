"""Look inside a spreadsheet file before trusting a parser with it.

python-calamine is fast but trusting: a workbook whose cells reach XFD1048576 makes it allocate
rows × columns cells at once (the process aborts; nothing can catch that), it picks the format
from the file extension, and it silently reads a formula without a cached value as empty. So
every file passes through here first:

* the real format is sniffed from the first bytes (a .docx, .pdf, web page or WPS .et renamed
  .xlsx is named for what it is; an .xls renamed .xlsx is still read);
* encrypted workbooks (an OLE container holding EncryptedPackage) are refused;
* zip members are checked against the size limit before anything is inflated (zip bomb), and
  while they are read, so a member that lies about its size is caught too;
* XML parts that declare a DOCTYPE (the vehicle of entity-expansion bombs) are refused;
* the cell extent of each sheet is measured by streaming its XML; a sheet padded with empty
  cells down to row 1,048,576 is read from a trimmed in-memory copy, and a sheet whose real
  content spans more cells than MAX_SHEET_CELLS is refused with its range named (for .xls,
  whose grid calamine also materialises, from each sheet's DIMENSIONS record);
* formula cells without a cached value are located so the caller can report them.

`open_workbook` does all of this and returns the calamine workbook to read. The container checks live
in cfb (.xls and other OLE files) and xlsx (the zip and its parts), a sheet's scan in sheetscan, reading
and rebuilding zip members in zipio, the limits and the messages they share in limits.
"""
from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ..errors import InputUnreadable, os_reason
from .cfb import check_ole
from .limits import DEFAULT_SIZE_LIMIT, EMPTY_ZIP_MAGIC, OLE_MAGIC, ZIP_MAGIC, corrupt
from .xlsx import check_zip_directory, read_member, renamed_duplicates, scan_xlsx
from .zipio import rebuild


@dataclass
class Opened:
    """A workbook ready to read: the calamine workbook plus what the scan found."""

    workbook: object
    kind: str  # "xlsx" | "xls"
    uncached: dict = field(default_factory=dict)  # {sheet name: {(row0, col0), ...}}
    trimmed: list = field(default_factory=list)  # sheet XML members read from a trimmed copy
    notes: dict = field(default_factory=dict)  # {sheet name: a warning on how the sheet was read}

    def close(self):
        try:
            self.workbook.close()
        except Exception:
            pass


# ---------------------------------------------------------------------------------------------
# format sniffing


def precheck(path: Path, shown: str, *, size_limit: Optional[int] = None) -> str:
    """Return "xlsx" or "xls" for a workbook we can read; raise InputUnreadable otherwise.

    Checks the container only (format, encryption, zip bomb, DOCTYPE); open_workbook does more.
    """
    head = _head(path, shown)
    kind = sniff(head, shown)
    if kind == "xlsx":
        try:
            with zipfile.ZipFile(path) as zf:
                check_zip_directory(zf, shown, size_limit or DEFAULT_SIZE_LIMIT)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
            raise corrupt(shown) from exc
    else:
        check_ole(path, shown)
    return kind


def _head(path: Path, shown: str, n: int = 2048) -> bytes:
    try:
        with open(path, "rb") as fh:
            return fh.read(n)
    except IsADirectoryError as exc:
        raise InputUnreadable(f"{shown} 是文件夹，不是表格文件", path=shown) from exc
    except OSError as exc:
        raise InputUnreadable(f"无法打开文件 {shown}：{os_reason(exc)}", path=shown) from exc


def sniff(head: bytes, shown: str) -> str:
    """The container kind from the first bytes: "xlsx" (zip) or "xls" (OLE); anything else is refused."""
    if not head:
        raise InputUnreadable(f"文件 {shown} 是空文件（0 字节），无法读取", path=shown)
    if head.startswith(ZIP_MAGIC):
        return "xlsx"
    if head.startswith(OLE_MAGIC):
        return "xls"
    if head.startswith(EMPTY_ZIP_MAGIC):
        raise InputUnreadable(f"文件 {shown} 是一个空的压缩包，不是 Excel 表格，无法读取", path=shown)
    what = _what_is(head)
    if what:
        raise InputUnreadable(f"文件 {shown} 实际是{what}，不是 Excel 表格，无法读取；"
                              f"请用 Excel/WPS 打开后“另存为”xlsx 格式再试", path=shown)
    if head.startswith(b"PK"):
        raise corrupt(shown)
    raise InputUnreadable(f"文件 {shown} 不是 Excel 表格（文件内容不是 xlsx/xls 格式），无法读取", path=shown)


def _what_is(head: bytes) -> Optional[str]:
    if head.startswith(b"%PDF"):
        return " PDF 文件"
    if head.startswith(b"{\\rtf"):
        return " RTF 文档"
    if head[:3] in (b"\xff\xd8\xff",) or head.startswith(b"\x89PNG") or head[:4] in (b"GIF8",):
        return "图片"
    if head.startswith(b"Rar!") or head.startswith(b"7z\xbc\xaf"):
        return "压缩包"
    text = head.lstrip(b"\xef\xbb\xbf\xff\xfe\xfe\xff \t\r\n\x00").lower().replace(b"\x00", b"")
    if text.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head.replace(b"\x00", b""):
        return " XML 电子表格（Excel 2003 XML 格式）"
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"<head")) or b"<html" in text[:512]:
        return "网页（HTML）格式（常见于业务系统导出的“xls”）"
    if text.startswith(b"<?xml") or text.startswith(b"<"):
        return " XML 文本"
    if head and b"\x00" not in head[:512]:
        try:
            head[:512].decode("utf-8")
            return "文本文件（可能是 CSV，请把扩展名改为 .csv）"
        except UnicodeDecodeError:
            pass
    return None


def uncached_formulas(path: Path) -> dict:
    """{sheet name: {(row0, col0), ...}} of formula cells with no cached value (xlsx only)."""
    try:
        with zipfile.ZipFile(path) as zf:
            uncached, _, _ = scan_xlsx(zf, str(path), DEFAULT_SIZE_LIMIT)
            return uncached
    except (InputUnreadable, zipfile.BadZipFile, OSError, KeyError):
        return {}


# ---------------------------------------------------------------------------------------------
# the entry point the reader uses


def open_workbook(path: Path, shown: str, *, size_limit: Optional[int] = None) -> Opened:
    """Check a spreadsheet file and open it with python-calamine. Raises InputUnreadable."""
    import python_calamine as pc

    limit = size_limit or DEFAULT_SIZE_LIMIT
    head = _head(path, shown)
    kind = sniff(head, shown)
    uncached, trimmed, notes = {}, {}, {}
    source = None
    if kind == "xlsx":
        try:
            with zipfile.ZipFile(path) as zf:
                uncached, trimmed, kept = scan_xlsx(zf, shown, limit, keep=True)
                # workbook.xml as the scan inflated it when it kept the members (a small workbook)
                book_xml = kept.get("xl/workbook.xml") if kept else read_member(zf, "xl/workbook.xml")
                renamed, notes = renamed_duplicates(book_xml)
                replaced = dict(trimmed)
                if renamed is not None:
                    (kept if kept else replaced)["xl/workbook.xml"] = renamed
                if replaced or kept:
                    source = rebuild(zf, replaced, kept)
                del kept
        except InputUnreadable:
            raise
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, KeyError,
                NotImplementedError, RuntimeError) as exc:
            # truncated copies, bad CRCs, unsupported compression
            raise corrupt(shown) from exc
        except Exception as exc:  # zlib.error and friends from a damaged member
            raise corrupt(shown) from exc
    else:
        check_ole(path, shown)
    try:
        if source is not None:
            wb = pc.CalamineWorkbook.from_filelike(source)
        else:
            # from_filelike sniffs the content, so an .xls renamed .xlsx (common) still reads
            with open(path, "rb") as fh:
                wb = pc.CalamineWorkbook.from_filelike(fh)
    except pc.PasswordError as exc:
        raise InputUnreadable(f"文件 {shown} 已加密（设置了打开密码），请在 Excel/WPS 中去掉密码后再试", path=shown) from exc
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise InputUnreadable(f"文件 {shown} 已损坏或不是 Excel 表格，无法读取（{_short(exc)}）", path=shown) from exc
    return Opened(wb, kind, uncached, sorted(trimmed), notes)


def _short(exc: Exception) -> str:
    s = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return s[:200]
