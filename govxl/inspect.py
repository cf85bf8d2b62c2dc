"""Look inside a spreadsheet file before trusting a parser with it.

Sniffs the real format from the first bytes (a .docx renamed .xlsx is not a workbook), refuses
encrypted workbooks and zip bombs before anything is inflated, and finds formula cells that carry
no cached value (calamine would silently read them as empty).
"""
from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Optional

from .errors import InputUnreadable

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
DEFAULT_SIZE_LIMIT = 200 * 1024 * 1024


def precheck(path: Path, shown: str, *, size_limit: Optional[int] = None) -> str:
    """Return "xlsx" or "xls" for a workbook we can read; raise InputUnreadable otherwise."""
    limit = size_limit or DEFAULT_SIZE_LIMIT
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise InputUnreadable(f"无法打开文件 {shown}：{exc.strerror or exc}", path=shown) from exc
    if head.startswith(ZIP_MAGIC):
        return _check_zip(path, shown, limit)
    if head.startswith(OLE_MAGIC):
        return _check_ole(path, shown)
    raise InputUnreadable(f"文件 {shown} 不是 Excel 表格（文件内容不是 xlsx/xls 格式），无法读取", path=shown)


def _check_zip(path: Path, shown: str, limit: int) -> str:
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputUnreadable(f"文件 {shown} 已损坏（压缩结构不完整，可能未完整复制），无法读取", path=shown) from exc
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
        if "word/document.xml" in names:
            what = "Word 文档"
        elif "ppt/presentation.xml" in names:
            what = "PowerPoint 文档"
        else:
            what = "普通压缩包"
        raise InputUnreadable(f"文件 {shown} 实际是{what}，不是 Excel 表格，无法读取", path=shown)
    if "xl/workbook.bin" in names:
        raise InputUnreadable(f"文件 {shown} 是 xlsb 二进制工作簿，请在 Excel/WPS 中另存为 xlsx 后再试", path=shown)
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise InputUnreadable(f"文件 {shown} 已加密，请去掉密码后再试", path=shown)
        total += info.file_size
        if info.file_size > limit or total > limit:
            mb = limit // (1024 * 1024)
            raise InputUnreadable(
                f"文件 {shown} 解压后超过 {mb} MB 上限（可能是压缩炸弹或异常文件），已拒绝读取；"
                f"如确需读取，请在 govxl.xlsx 的“设置”中调大“文件大小上限（MB）”",
                path=shown,
            )
        # a compression ratio no real worksheet reaches
        if info.compress_size and info.file_size / max(info.compress_size, 1) > 1000 and info.file_size > 50 * 1024 * 1024:
            raise InputUnreadable(f"文件 {shown} 的压缩比异常（疑似压缩炸弹），已拒绝读取", path=shown)
    return "xlsx"


def _check_ole(path: Path, shown: str) -> str:
    with open(path, "rb") as fh:
        data = fh.read(1 << 20)
    # An encrypted xlsx is an OLE container holding EncryptedPackage / EncryptionInfo streams.
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        raise InputUnreadable(f"文件 {shown} 已加密（设置了打开密码），请去掉密码后再试", path=shown)
    if "Workbook".encode("utf-16-le") not in data and "Book".encode("utf-16-le") not in data:
        raise InputUnreadable(f"文件 {shown} 不是 Excel 表格（可能是 Word 或 WPS 其他格式），无法读取", path=shown)
    return "xls"


_SHEET_REL = re.compile(rb'<sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"', re.S)
_SHEET_REL2 = re.compile(rb'<sheet\b[^>]*?r:id="([^"]*)"[^>]*?name="([^"]*)"', re.S)
_REL = re.compile(rb'<Relationship\b[^>]*?Id="([^"]*)"[^>]*?Target="([^"]*)"', re.S)
_REL2 = re.compile(rb'<Relationship\b[^>]*?Target="([^"]*)"[^>]*?Id="([^"]*)"', re.S)
_CELL = re.compile(rb"<c\b([^>]*)>(.*?)</c>", re.S)
_REF = re.compile(rb'\br="([A-Z]+)([0-9]+)"')
_HAS_VALUE = re.compile(rb"<v>[^<]+</v>")


def _xml_unescape(b: bytes) -> str:
    import html

    return html.unescape(b.decode("utf-8", "replace"))


def uncached_formulas(path: Path) -> dict:
    """{sheet name: {(row0, col0), ...}} of formula cells with no cached value (xlsx only)."""
    out: dict = {}
    try:
        with zipfile.ZipFile(path) as zf:
            wb = zf.read("xl/workbook.xml")
            rels = zf.read("xl/_rels/workbook.xml.rels")
            id_to_target = {i: t for i, t in _REL.findall(rels)}
            id_to_target.update({i: t for t, i in _REL2.findall(rels)})
            sheets = [(n, r) for n, r in _SHEET_REL.findall(wb)] or [(n, r) for r, n in _SHEET_REL2.findall(wb)]
            for name, rid in sheets:
                target = id_to_target.get(rid)
                if not target:
                    continue
                t = target.decode()
                member = t.lstrip("/") if t.startswith("/") else "xl/" + t
                if member not in zf.namelist():
                    continue
                data = zf.read(member)
                if b"<f" not in data:
                    continue
                cells = set()
                for attrs, body in _CELL.findall(data):
                    if b"<f" in body and not _HAS_VALUE.search(body) and b"<is>" not in body:
                        m = _REF.search(attrs)
                        if m:
                            cells.add((int(m.group(2)) - 1, _col_index(m.group(1).decode())))
                if cells:
                    out[_xml_unescape(name)] = cells
    except (zipfile.BadZipFile, KeyError, OSError):
        return out
    return out


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1
