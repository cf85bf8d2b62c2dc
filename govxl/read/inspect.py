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

Cost: the scan reads each sheet once more with C-level searches, about 10-15 % on top of
calamine's own parse for ordinary registers.

`open_workbook` does all of this and returns the calamine workbook to read.
"""
from __future__ import annotations

import html
import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ..errors import InputUnreadable, os_reason

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
DEFAULT_SIZE_LIMIT = 200 * 1024 * 1024
# calamine materialises the bounding box of a sheet's cells; keep it to what a register can be
MAX_SHEET_CELLS = 5_000_000
MAX_BOOK_CELLS = 10_000_000
# sheets reaching further down than this are read from a copy without their empty cells
TRIM_ROWS = 99_999
CHUNK = 4 * 1024 * 1024
# a workbook inflating to at most this much is handed to calamine from the scan's own inflated copy
KEEP_BYTES = 32 * 1024 * 1024


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
                _check_zip_directory(zf, shown, size_limit or DEFAULT_SIZE_LIMIT)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
            raise _corrupt(shown) from exc
    else:
        _check_ole(path, shown)
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
        raise _corrupt(shown)
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


def _corrupt(shown: str) -> InputUnreadable:
    return InputUnreadable(f"文件 {shown} 已损坏（压缩结构不完整，可能未完整复制或下载），无法读取；"
                           f"请重新获取该文件", path=shown)


def _too_big(shown: str, limit: int) -> InputUnreadable:
    mb = max(1, limit // (1024 * 1024))
    return InputUnreadable(
        f"文件 {shown} 解压后超过 {mb} MB 上限（可能是压缩炸弹或异常文件），已拒绝读取；"
        f"如确需读取，请在 govxl.xlsx 的“设置”中调大“文件大小上限（MB）”",
        path=shown,
    )


def _check_zip_directory(zf: zipfile.ZipFile, shown: str, limit: int) -> list:
    """Refuse non-workbooks, encrypted members and declared sizes over the limit. Nothing is inflated."""
    infos = zf.infolist()
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
        if "word/document.xml" in names:
            what = " Word 文档（.docx）"
        elif "ppt/presentation.xml" in names:
            what = " PowerPoint 演示文稿"
        elif "mimetype" in names and _small_read(zf, "mimetype").startswith(b"application/vnd.oasis.opendocument"):
            what = " OpenDocument（ODS/ODT）文件"
        elif any(n.lower().endswith(".xml") for n in names) and "[Content_Types].xml" in names:
            what = "其他 Office 文档"
        else:
            what = "普通压缩包（zip）"
        raise InputUnreadable(f"文件 {shown} 实际是{what}，不是 Excel 表格，无法读取", path=shown)
    if "xl/workbook.bin" in names:
        raise InputUnreadable(f"文件 {shown} 是 xlsb 二进制工作簿，请在 Excel/WPS 中另存为 xlsx 后再试", path=shown)
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise InputUnreadable(f"文件 {shown} 已加密，请去掉密码后再试", path=shown)
        total += info.file_size
        if info.file_size > limit or total > limit:
            raise _too_big(shown, limit)
        # a compression ratio no real worksheet reaches
        if info.compress_size and info.file_size / max(info.compress_size, 1) > 1000 and info.file_size > 50 * 1024 * 1024:
            raise InputUnreadable(f"文件 {shown} 的压缩比异常（疑似压缩炸弹），已拒绝读取", path=shown)
    return infos


def _small_read(zf: zipfile.ZipFile, name: str, n: int = 256) -> bytes:
    try:
        with zf.open(name) as fh:
            return fh.read(n)
    except Exception:
        return b""


# ---------------------------------------------------------------------------------------------
# OLE (compound file) containers: .xls, encrypted .xlsx, .doc, WPS .et


def _check_ole(path: Path, shown: str) -> str:
    try:
        cfb = _Cfb(path)
        names = [n for n, _, _, _ in cfb.entries]
    except (ValueError, OSError, struct.error) as exc:
        raise InputUnreadable(f"文件 {shown} 已损坏（复合文档结构不完整，可能未完整复制），无法读取", path=shown) from exc
    low = {n.lower(): n for n in names}
    if "encryptedpackage" in low or "encryptioninfo" in low:
        raise InputUnreadable(f"文件 {shown} 已加密（设置了打开密码），请在 Excel/WPS 中去掉密码后再试", path=shown)
    if "workbook" in low or "book" in low:
        _check_biff_dimensions(cfb, low.get("workbook") or low["book"], shown)
        return "xls"
    if "worddocument" in low:
        what = " Word 文档（.doc）"
    elif "powerpoint document" in low:
        what = " PowerPoint 演示文稿（.ppt）"
    else:
        what = "其他格式的文档（如 WPS 表格专用的 .et 格式）"
    raise InputUnreadable(f"文件 {shown} 实际是{what}，不是 Excel 工作簿，无法读取；"
                          f"请用 WPS/Excel 打开后“另存为”xlsx 格式再试", path=shown)


def ole_stream_names(path: Path) -> list:
    """Names of the entries in an OLE compound file (MS-CFB), read from its directory."""
    return [n for n, _, _, _ in _Cfb(path).entries]


class _Cfb:
    """Just enough of MS-CFB to list entries and read a stream; every chain is bounded."""

    def __init__(self, path: Path):
        with open(path, "rb") as fh:
            self.data = fh.read()
        d = self.data
        if len(d) < 512 or not d.startswith(OLE_MAGIC):
            raise ValueError("short header")
        shift = struct.unpack_from("<H", d, 0x1E)[0]
        if shift not in (9, 12):
            raise ValueError("sector size")
        self.ssize = 1 << shift
        self.n_sectors = (len(d) - 512) // self.ssize + (1 if shift == 12 else 0)
        n_fat, first_dir = struct.unpack_from("<II", d, 0x2C)
        self.cutoff = struct.unpack_from("<I", d, 0x38)[0]
        first_minifat, n_minifat, first_difat, n_difat = struct.unpack_from("<IIII", d, 0x3C)
        difat = [s for s in struct.unpack_from("<109I", d, 0x4C) if s < 0xFFFFFFFA]
        nxt, seen = first_difat, 0
        while nxt < 0xFFFFFFFA and seen < n_difat:
            vals = struct.unpack(f"<{self.ssize // 4}I", self._sector(nxt))
            difat += [s for s in vals[:-1] if s < 0xFFFFFFFA]
            nxt, seen = vals[-1], seen + 1
        if n_fat > self.n_sectors + 1 or len(difat) < min(n_fat, 1):
            raise ValueError("FAT")
        self.fat = []
        for s in difat[:n_fat]:
            self.fat.extend(struct.unpack(f"<{self.ssize // 4}I", self._sector(s)))
        self.entries = []  # (name, type, start, size)
        root = None
        directory = self._chain_bytes(first_dir)
        for off in range(0, len(directory) - 127, 128):
            e = directory[off:off + 128]
            nlen, etype = struct.unpack_from("<H", e, 0x40)[0], e[0x42]
            start, size = struct.unpack_from("<IQ", e, 0x74)
            if etype == 5 and root is None:
                root = (start, size)
            elif etype in (1, 2) and 2 <= nlen <= 64:
                self.entries.append((e[: nlen - 2].decode("utf-16-le", "replace"), etype, start, size))
        if not self.entries:
            raise ValueError("empty directory")
        self.ministream = self._chain_bytes(root[0]) if root and root[0] < 0xFFFFFFFA else b""
        self.minifat = []
        if n_minifat and first_minifat < 0xFFFFFFFA:
            raw = self._chain_bytes(first_minifat)
            self.minifat = list(struct.unpack(f"<{len(raw) // 4}I", raw[: len(raw) // 4 * 4]))

    def _sector(self, i: int) -> bytes:
        off = (i + 1) * self.ssize
        b = self.data[off:off + self.ssize]
        if len(b) < self.ssize:
            raise ValueError("truncated sector")
        return b

    def _chain(self, start: int, table: list, limit: int):
        cur, steps = start, 0
        while cur < 0xFFFFFFFA:
            steps += 1
            if steps > limit or cur >= len(table):
                raise ValueError("broken chain")
            yield cur
            cur = table[cur]

    def _chain_bytes(self, start: int) -> bytes:
        return b"".join(self._sector(s) for s in self._chain(start, self.fat, self.n_sectors + 1))

    def read(self, name: str) -> bytes:
        for n, etype, start, size in self.entries:
            if n == name and etype == 2:
                if size < self.cutoff:
                    ms = self.ministream
                    parts = [ms[s * 64:(s + 1) * 64] for s in self._chain(start, self.minifat, len(ms) // 64 + 1)]
                    data = b"".join(parts)
                else:
                    data = self._chain_bytes(start)
                if len(data) < size:
                    raise ValueError("stream shorter than its size")
                return data[:size]
        raise KeyError(name)


def _check_biff_dimensions(cfb: _Cfb, stream: str, shown: str):
    """calamine materialises an .xls sheet's whole used range too (up to 65,536 × 256 cells: gigabytes of
    memory for one stray cell in IV65536); each sheet's DIMENSIONS record says how far it
    reaches, so refuse before that happens."""
    try:
        data = cfb.read(stream)
    except (ValueError, KeyError, struct.error):
        return  # calamine will judge the stream itself
    sheets = []
    pos, n = 0, len(data)
    while pos + 4 <= n:  # the workbook globals: BOUNDSHEET8 records give each sheet's offset
        rtype, rlen = struct.unpack_from("<HH", data, pos)
        if rtype == 0x0085 and rlen >= 8:
            off = struct.unpack_from("<I", data, pos + 4)[0]
            cch = data[pos + 10] if rlen >= 7 else 0
            name = _biff_short_name(data[pos + 11:pos + 4 + rlen], cch)
            sheets.append((name, off))
        elif rtype == 0x000A:  # EOF of the globals
            break
        pos += 4 + rlen
    for name, off in sheets:
        pos, steps = off, 0
        while pos + 4 <= n and steps < 4096:  # DIMENSIONS comes early in a sheet
            rtype, rlen = struct.unpack_from("<HH", data, pos)
            if rtype == 0x0200 and rlen >= 14:
                rows = struct.unpack_from("<I", data, pos + 8)[0]  # rwMac: last row + 1
                cols = struct.unpack_from("<H", data, pos + 14)[0]  # colMac: last column + 1
                if rows * cols > MAX_SHEET_CELLS:
                    raise InputUnreadable(
                        f"文件 {shown} 的工作表“{name}”内容范围过大（A1:{_col_letters(max(cols, 1) - 1)}{rows}，"
                        f"共 {rows} 行 × {cols} 列），不像登记表，已拒绝读取；请删除表格下方或右侧多余的内容后再试",
                        path=shown)
                break
            if rtype == 0x000A:
                break
            pos += 4 + rlen
            steps += 1


def _biff_short_name(raw: bytes, cch: int) -> str:
    if not raw:
        return "?"
    flags, body = raw[0], raw[1:]
    try:
        if flags & 1:
            return body[: 2 * cch].decode("utf-16-le")
        return body[:cch].decode("latin-1")
    except UnicodeDecodeError:
        return "?"


# ---------------------------------------------------------------------------------------------
# xlsx parts: sizes, DOCTYPE, cell extents, uncached formulas
#
# Sheets are scanned with C-level regular expressions over streamed segments (cut at row/cell
# starts), so even a very large sheet is scanned quickly; the three searches every segment needs
# are first answered with numpy (_candidates), and only a "found" is searched for. Sheets written
# with implicit cell positions (no r="A1") or namespace prefixes (<x:c>) are rare; they go through
# _CellWalker, which is exact but walks cell by cell in Python.

_P = rb"(?:[A-Za-z_][\w.-]*:)?"  # optional namespace prefix
_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.I)
_ROOT_START = re.compile(rb"<[A-Za-z_]")
_ELEM_START = re.compile(rb"<" + _P + rb"(?:row|c)\b")
# Patterns start with a literal so the re module can skip ahead quickly. A stray match (text that
# happens to read r="ZZ9") only makes the bounds larger, which is the safe direction.
_NO_R_CELL = re.compile(rb'<c(?:[>/]|\s(?!r="))')  # every common writer puts r="A1" first
# a reference with more digits than the given count, or a column past Z
_REACH = {n: re.compile(rb'r="(?:[A-Z]{2,3}[0-9]|[A-Z]{0,3}[0-9]{%d})' % (n + 1)) for n in range(1, 8)}
# Columns past Z are rare in registers: only then is the widest column measured exactly.
_COLS_3 = re.compile(rb'r="[A-Z]{3}[0-9]')  # column ≥ AAA
_COLS_2 = re.compile(rb'r="[A-Z]{2}[0-9]')  # column ≥ AA
_COLREF = {n: re.compile(rb'r="([A-Z]{%d})[0-9]' % n) for n in (3, 2, 1)}
_ROWREF = {n: re.compile(rb'r="[A-Z]{0,3}([0-9]{%d})"' % n) for n in range(7, 0, -1)}
_CELL_ROWREF = {n: re.compile(rb'<c r="[A-Z]{1,3}([0-9]{%d})"' % n) for n in range(7, 0, -1)}
_FORMULA_NO_VALUE = re.compile(rb'<c ([^>]*)><f\b[^>]*(?:/>|>[^<]*</f>)(?:<v\s*/>|<v>\s*</v>)?</c>')
_EMPTY_CELL = (
    rb"<c\b(?:"
    rb"[^>]*/>"  # no content: styled empty cells
    # no value, an empty value or a cached empty string, with or without a formula
    rb"|[^>]*>\s*(?:<f\b[^>]*/>|<f\b[^>]*>[^<]*</f>)?\s*(?:<v\s*/>|<v>\s*</v>)?\s*</c>"
    rb"|[^>]*>\s*<is>\s*(?:<t\b[^>]*/>|<t\b[^>]*>\s*</t>)?\s*</is>\s*</c>"  # an empty inline string
    rb'|[^>]*\bt="e"[^>]*>.*?</c>'  # error values read as empty
    rb"%s)"
)
_EMPTY_ROW = re.compile(rb"<row\b[^>]*?(?:/>|>\s*</row>)")
_ATTR_R = re.compile(rb'\br="([A-Z]*)([0-9]*)"')
_ATTR_T = re.compile(rb'\bt="([A-Za-z]+)"')
_ELEM = re.compile(
    rb"<" + _P + rb"row\b([^>]*)>"  # 1: row attributes (also <row .../>)
    rb"|<" + _P + rb"c\b([^>]*?)(/>|>(.*?)</" + _P + rb"c>)",  # 2 attrs, 3 end, 4 body
    re.S,
)
_V = re.compile(rb"<" + _P + rb"v>(.*?)</" + _P + rb"v>", re.S)
_T_TEXT = re.compile(rb"<" + _P + rb"t\b[^>]*>(.*?)</" + _P + rb"t>", re.S)
_HAS_F = re.compile(rb"<" + _P + rb"f\b")
_HAS_IS = re.compile(rb"<" + _P + rb"is\b")
_SI = re.compile(rb"<" + _P + rb"si\b[^>]*?(?:/>|>(.*?)</" + _P + rb"si>)", re.S)
_SHEET_REL = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)/?>", re.S)
_NAME_ATTR = re.compile(rb'\bname="([^"]*)"')
_RID_ATTR = re.compile(rb'\br:id="([^"]*)"|\b\w+:id="([^"]*)"')
_REL = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)/?>", re.S)
_ID_ATTR = re.compile(rb'\bId="([^"]*)"')
_TARGET_ATTR = re.compile(rb'\bTarget="([^"]*)"')
_MAX_ROW = 1 << 20
_MAX_COL = 1 << 14


def _xml_unescape(b: bytes) -> str:
    return html.unescape(b.decode("utf-8", "replace"))


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def _col_letters(index: int) -> str:
    s, n = "", index + 1
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def _stream(zf: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str, budget: list):
    """Yield a member's bytes in chunks, counting them against the size budget as they inflate."""
    raw = _deflated(zf, info)
    chunks = _inflated(raw, info) if raw is not None else _read_through(zf, info)
    for chunk in chunks:
        budget[0] -= len(chunk)
        if budget[0] < 0:
            raise _too_big(shown, budget[1])
        yield chunk


def _read_through(zf: zipfile.ZipFile, info: zipfile.ZipInfo):
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(CHUNK)
            if not chunk:
                return
            yield chunk


_ISAL: list = []  # [isal_zlib or None], looked for once


def _isal():
    """isal's zlib (Intel ISA-L: inflates these sheets several times as fast as zlib), or None where it is
    not installed."""
    if not _ISAL:
        try:
            from isal import isal_zlib
        except ImportError:
            isal_zlib = None
        _ISAL.append(isal_zlib)
    return _ISAL[0]


_LOCAL_HEADER = struct.Struct("<4s2xH18xHH")  # signature, flags, file name length, extra field length


def _deflated(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Optional[bytes]:
    """A deflated member's compressed bytes, to be inflated by isal; None to leave the member to zipfile
    (isal missing, another method, encrypted or patched data, a zip not read from a file, or anything
    in its local header zipfile would look at twice — zipfile then says what is wrong)."""
    if _isal() is None or info.compress_type != zipfile.ZIP_DEFLATED or info.flag_bits & 0x61 \
            or not isinstance(zf.filename, str):
        return None
    with open(zf.filename, "rb") as fh:
        fh.seek(info.header_offset)
        head = fh.read(_LOCAL_HEADER.size)
        if len(head) != _LOCAL_HEADER.size:
            return None
        magic, flags, name_len, extra_len = _LOCAL_HEADER.unpack(head)
        name = fh.read(name_len)
        if magic != ZIP_MAGIC or name.decode("utf-8" if flags & 0x800 else "cp437", "replace") != info.orig_filename:
            return None
        fh.seek(extra_len, 1)
        raw = fh.read(info.compress_size)
    return raw if len(raw) == info.compress_size else None


def _inflated(raw: bytes, info: zipfile.ZipInfo):
    """raw inflated by isal in chunks of at most CHUNK; its size and CRC-32 checked as zipfile would."""
    isal_zlib = _isal()
    d = isal_zlib.decompressobj(-15)
    crc = size = 0
    while not d.eof:
        chunk = d.decompress(raw, CHUNK)
        left = d.unconsumed_tail
        if not chunk and len(left) == len(raw):
            break  # the stream ends before its end: truncated
        raw = left
        if chunk:
            size += len(chunk)
            crc = isal_zlib.crc32(chunk, crc)
            yield chunk
    if not d.eof or size != info.file_size or crc != info.CRC:
        raise zipfile.BadZipFile(f"Bad CRC-32 or size for file {info.filename!r}")


def _segments(chunks):
    """Re-cut a stream of chunks so that no row or cell element is split between segments."""
    buf = b""
    for chunk in chunks:
        buf += chunk
        if len(buf) < CHUNK:
            continue
        cut = _last_elem_start(buf)
        if cut > 0:
            yield buf[:cut]
            buf = buf[cut:]
    if buf:
        yield buf


def _last_elem_start(buf: bytes) -> int:
    """Where the last row starts (else the last cell): segments then hold whole rows."""
    window = 65536
    while True:
        start = max(0, len(buf) - window)
        last = last_row = -1
        for m in _ELEM_START.finditer(buf, start):
            last = m.start()
            if buf.startswith(b"row", m.end() - 3):
                last_row = last
        if last_row > 0:
            return last_row
        if last > 0 or start == 0:
            return last
        window *= 4


def _check_prolog(first: bytes, member: str, shown: str):
    """Refuse a DOCTYPE/ENTITY before the root element: that is how entity-expansion bombs start."""
    if first.startswith((b"\xff\xfe", b"\xfe\xff")) or first[:2] in (b"<\x00", b"\x00<"):
        raise InputUnreadable(f"文件 {shown} 中的 {member} 使用了 Excel/WPS 不会使用的编码（UTF-16），已拒绝读取；"
                              f"请用 Excel/WPS 打开后另存为 xlsx 再试", path=shown)
    root = _ROOT_START.search(first)
    prolog = first if root is None else first[: root.start()]
    if _DOCTYPE.search(prolog) or (root is None and len(first) >= 65536):
        raise InputUnreadable(
            f"文件 {shown} 中的 {member} 含有 DOCTYPE/实体声明（正常 Excel/WPS 文件不会有，"
            f"可能是“实体膨胀”攻击文件），已拒绝读取", path=shown)


def _max_col(seg: bytes) -> int:
    for n in (3, 2, 1):
        if _COLREF[n].search(seg):
            return _col_index(max(_COLREF[n].findall(seg)).decode()) + 1
    return 0


def _max_row(seg: bytes, refs=_ROWREF) -> int:
    for n in range(7, 0, -1):
        if refs[n].search(seg):  # only the references with the most digits are collected
            return int(max(refs[n].findall(seg)))
    return 0


@dataclass
class _SheetScan:
    name: str
    member: str
    rows: int = 0  # upper bounds (1-based) of the cells calamine would materialise
    cols: int = 0
    wide: bool = False  # has columns past Z (else cols is taken as 26)
    vrows: int = 0  # bounding box of the cells with a non-empty value
    vcols: int = 0
    odd: bool = False  # implicit positions or prefixed elements: needs the exact walker
    uncached: set = field(default_factory=set)

    def refuse_if_huge(self, shown: str):
        if self.vrows * self.vcols > MAX_SHEET_CELLS:
            raise InputUnreadable(
                f"文件 {shown} 的工作表“{self.name}”内容范围过大（A1:{_col_letters(self.vcols - 1)}{self.vrows}，"
                f"共 {self.vrows} 行 × {self.vcols} 列），不像登记表，已拒绝读取；"
                f"请删除表格下方或右侧多余的内容后再试", path=shown)


class _CellWalker:
    """The exact, slow path: walks a sheet cell by cell, tracking implicit positions too."""

    def __init__(self, scan: _SheetScan, sst_blank: set, trim: bool):
        self.scan = scan
        self.sst_blank = sst_blank
        self.trim = trim
        self.row = 0  # 1-based current row
        self.col = 0  # 1-based current column within the row

    def feed(self, seg: bytes) -> bytes:
        if self.trim:
            return _EMPTY_ROW.sub(b"", _ELEM.sub(self._visit_sub, seg))
        for m in _ELEM.finditer(seg):
            self._visit(m)
        return b""

    def _visit_sub(self, m) -> bytes:
        keep = self._visit(m)
        whole = m.group(0)
        if m.group(1) is not None:  # a row tag: pin its number, so dropping rows never shifts the rest
            if _ATTR_R.search(m.group(1)):
                return whole
            i = whole.index(b"row") + 3
            return whole[:i] + b' r="%d"' % self.row + whole[i:]
        if not keep:
            return b""
        if not _ATTR_R.search(m.group(2)):  # pin implicit cell positions the same way
            i = whole.index(b"c", 1) + 1
            return whole[:i] + b' r="' + f"{_col_letters(self.col - 1)}{self.row}".encode() + b'"' + whole[i:]
        return whole

    def _visit(self, m) -> bool:
        s = self.scan
        if m.group(1) is not None:  # <row ...>
            r = _ATTR_R.search(m.group(1))
            self.row = int(r.group(2)) if r and r.group(2) else self.row + 1
            self.col = 0
            return True
        attrs, end, body = m.group(2), m.group(3), m.group(4)
        r = _ATTR_R.search(attrs)
        if r and r.group(1):
            self.col = _col_index(r.group(1).decode()) + 1
            if r.group(2):
                self.row = int(r.group(2))
        else:
            self.col += 1
        if self.row < 1 or self.row > _MAX_ROW or self.col > _MAX_COL:
            raise ValueError(f"cell out of range at row {self.row} col {self.col}")
        if end == b"/>" or not body:
            return False
        t = _ATTR_T.search(attrs)
        t = t.group(1) if t else b"n"
        v = _V.search(body)
        vtext = v.group(1) if v else b""
        has_is = _HAS_IS.search(body) is not None
        cached = (v is not None and (bool(vtext) or t == b"str")) or has_is
        if not cached and _HAS_F.search(body):
            s.uncached.add((self.row - 1, self.col - 1))
            return False
        if not (vtext or (t in (b"inlineStr", b"str", b"s", b"e", b"b") and (v is not None or has_is))):
            return False  # calamine does not materialise it
        s.rows, s.cols = max(s.rows, self.row), max(s.cols, self.col)
        if t == b"inlineStr":
            nonempty = any(_xml_unescape(x).strip() for x in _T_TEXT.findall(body))
        elif t == b"s":
            try:
                nonempty = int(vtext) not in self.sst_blank
            except ValueError:
                nonempty = True
        elif t == b"e":
            nonempty = False  # calamine reads error values as empty
        else:
            nonempty = bool(_xml_unescape(vtext).strip())
        if nonempty:
            s.vrows, s.vcols = max(s.vrows, self.row), max(s.vcols, self.col)
        return nonempty


def _sheet_members(zf: zipfile.ZipFile) -> list:
    """[(sheet name, zip member)] in workbook order."""
    wb = zf.read("xl/workbook.xml")
    try:
        rels = zf.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return []
    targets = {}
    for attrs in _REL.findall(rels):
        i, t = _ID_ATTR.search(attrs), _TARGET_ATTR.search(attrs)
        if i and t:
            targets[i.group(1)] = t.group(1).decode("utf-8", "replace")
    names = set(zf.namelist())
    out = []
    for attrs in _SHEET_REL.findall(wb):
        n, rid = _NAME_ATTR.search(attrs), _RID_ATTR.search(attrs)
        if not n or not rid:
            continue
        t = targets.get(rid.group(1) or rid.group(2))
        if not t:
            continue
        member = _normpath(t.lstrip("/") if t.startswith("/") else "xl/" + t)
        if member in names:
            out.append((_xml_unescape(n.group(1)), member))
    if len({n for n, _ in out}) < len(out):  # named as _renamed_duplicates names them
        unique = list(_renamed_duplicates(wb)[1])
        seen = set()
        for i, (n, member) in enumerate(out):
            if n in seen and unique:
                out[i] = (unique.pop(0), member)
            seen.add(n)
    return out


def _renamed_duplicates(xml: Optional[bytes]) -> tuple:
    """(workbook.xml with every repeated sheet name made unique, {new name: warning}), or (None, {}).

    Excel refuses two sheets of one name, but a zip tool or a generator can write them; calamine then
    finds the first sheet for both names and the second one's rows would be lost without a word. The
    second and later copies are read as “十月（2）”…, and said."""
    if xml is None:
        return None, {}
    found = [(m, _NAME_ATTR.search(m.group(1))) for m in _SHEET_REL.finditer(xml)]
    names = [_xml_unescape(n.group(1)) for _, n in found if n]
    if len(set(names)) == len(names):
        return None, {}
    taken, seen, notes = set(names), {}, {}
    out, at = [], 0
    for m, n in found:
        if not n:
            continue
        name = _xml_unescape(n.group(1))
        seen[name] = seen.get(name, 0) + 1
        if seen[name] == 1:
            continue
        k = seen[name]
        while f"{name}（{k}）" in taken:
            k += 1
        new = f"{name}（{k}）"
        taken.add(new)
        notes[new] = (f"工作簿中有 {names.count(name)} 个名为“{name}”的工作表（Excel 不允许同名，文件可能被其他工具改过）："
                      f"第 {seen[name]} 个按“{new}”读取，请核对后在 Excel/WPS 中重命名")
        start = m.start(1) + n.start(1)  # the name's bytes inside workbook.xml
        out += [xml[at:start], html.escape(new, quote=True).encode("utf-8")]
        at = m.start(1) + n.end(1)
    out.append(xml[at:])
    return b"".join(out), notes


def _member(zf: zipfile.ZipFile, name: str) -> Optional[bytes]:
    try:
        return zf.read(name)
    except KeyError:
        return None


def _normpath(member: str) -> str:
    parts = []
    for p in member.split("/"):
        if p == "..":
            if parts:
                parts.pop()
        elif p and p != ".":
            parts.append(p)
    return "/".join(parts)


def _sst_blank(zf: zipfile.ZipFile, shown: str, limit: int) -> set:
    """Indices of the shared strings whose text is blank."""
    member = next((n for n in zf.namelist() if n.lower() == "xl/sharedstrings.xml"), None)
    if member is None:
        return set()
    blank, i = set(), 0
    for seg in _segments(_stream(zf, zf.getinfo(member), shown, [limit, limit])):
        for m in _SI.finditer(seg):
            if not any(_xml_unescape(x).strip() for x in _T_TEXT.findall(m.group(1) or b"")):
                blank.add(i)
            i += 1
    return blank


def _empty_cell_re(sst_blank: set):
    extra = b""
    if sst_blank:  # shared strings that are blank
        idx = b"|".join(b"%d" % i for i in sorted(sst_blank)[:2000])
        extra = rb'|[^>]*\bt="s"[^>]*>\s*<v>\s*(?:' + idx + rb")\s*</v>\s*</c>"
    return re.compile(_EMPTY_CELL % extra, re.S)


def _scan_sheet(zf, info, scan: _SheetScan, shown: str, budget: list, keep: Optional[list] = None):
    """First pass over a sheet: prolog, extents, uncached formulas (C-level searches and numpy only).

    Rows are written in order, so the last row tag of a segment gives its extent; one search then
    proves no reference in the segment has more digits or a column past Z (which would send the
    segment through the exact measurement). The segments are appended to keep when given.
    """
    first = True
    for seg in _segments(_stream(zf, info, shown, budget)):
        if keep is not None:
            keep.append(seg)
        if first:
            _check_prolog(seg[:65536], info.filename, shown)
            root = _ROOT_START.search(seg, 0, 65536)  # a prefixed root (<x:worksheet) means prefixed cells
            scan.odd = root is None or b":" in seg[root.start():seg.find(b">", root.start())].split(b" ", 1)[0]
            first = False
        if scan.odd:
            continue
        last = _last_row_number(seg)
        digits = len(str(last))
        no_r, reach, formula = _candidates(seg, digits)
        if no_r and _NO_R_CELL.search(seg):
            scan.odd = True
            continue
        if reach and _REACH[digits].search(seg):
            scan.rows = max(scan.rows, _max_row(seg))
            if _COLS_2.search(seg) or _COLS_3.search(seg):
                scan.wide = True
                scan.cols = max(scan.cols, _max_col(seg))
        else:
            scan.rows = max(scan.rows, last)
        if formula:
            for m in _FORMULA_NO_VALUE.finditer(seg):
                attrs = m.group(1)
                if b't="str"' in attrs:
                    continue  # a cached empty string
                r = _ATTR_R.search(attrs)
                if r and r.group(1) and r.group(2):
                    scan.uncached.add((int(r.group(2)) - 1, _col_index(r.group(1).decode())))


def _candidates(seg: bytes, digits: int) -> tuple:
    """(_NO_R_CELL, _REACH[digits], b"<f") each found in seg or not, worked out with numpy over the bytes.

    The three searches were most of a sheet's scan (every cell's `<c` and `r="` is a candidate match
    for the re module). numpy reads the text as pairs of bytes (at even and at odd offsets), finds every
    `<c` and `r=` pair at once and looks at the few bytes after each (turning a mask into positions is
    most of the cost, so only the pairs wanted are made positions). Each answer is what the search would say
    (tests/test_read.py compares them on made-up sheet text); a True is confirmed by the search anyway."""
    import numpy as np

    n = len(seg)
    buf = seg + bytes(16)  # padded: looking a few bytes ahead stays inside
    a = np.frombuffer(buf, dtype=np.uint8)
    even = np.frombuffer(buf, dtype="<u2", count=n // 2 + 1)
    odd = np.frombuffer(buf, dtype="<u2", count=n // 2 + 1, offset=1)

    def pairs(code):  # where the two bytes of code (little-endian) start
        return np.concatenate((np.flatnonzero(even == code) * 2, np.flatnonzero(odd == code) * 2 + 1))

    formula = bool((even == _PAIR_F).any() or (odd == _PAIR_F).any())  # <f
    c = pairs(_PAIR_C)  # <c …
    third = a[c + 2]
    no_r = bool(((third == 62) | (third == 47)).any())  # <c> <c/
    if not no_r:  # <c and white space not followed by r="
        w = c[(third == 32) | ((third - np.uint8(9)) < 5)]
        no_r = not bool(((a[w + 3] == 114) & (a[w + 4] == 61) & (a[w + 5] == 34)).all())
    r = pairs(_PAIR_R)  # r=
    v = r[a[r + 2] == 34] + 3  # where a reference starts, after r="
    # [A-Z]{2,3}[0-9] | [A-Z]{0,3}[0-9]{digits+1}: the letters can only be the leading capitals
    lead = _upper(a[v])
    two = lead & _upper(a[v + 1])  # two capitals or more lead (columns past Z): rare, looked at closely
    if two.any() and _reach_at(a, v[two], digits):
        return no_r, True, formula
    one = ~two
    at = v[one] + lead[one]  # at most one capital leads: the digits start here
    maybe = _digit(a[at]) & _digit(a[at + digits])  # digits + 1 digits need both ends
    return no_r, bool(maybe.any()) and _reach_at(a, v[one][maybe], digits), formula


_PAIR_F, _PAIR_C, _PAIR_R = (int.from_bytes(p, "little") for p in (b"<f", b"<c", b"r="))


def _upper(x):
    return (x - x.dtype.type(65)) < 26  # A-Z (unsigned: below A wraps round)


def _digit(x):
    return (x - x.dtype.type(48)) < 10  # 0-9


def _reach_at(a, v, digits: int) -> bool:
    """_REACH[digits] matches at one of the references starting at v (every one looked at in full)."""
    upper = [_upper(a[v + k]) for k in range(4)]
    run = upper[0].astype("int64")  # how many capital letters lead (up to 4)
    lead = upper[0]
    for k in (1, 2, 3):
        lead = lead & upper[k]
        run += lead
    at = v + run
    first = _digit(a[at])
    many = first
    for k in range(1, digits + 1):
        many = many & _digit(a[at + k])
    return bool((((run >= 2) & (run <= 3) & first) | ((run <= 3) & many)).any())


_LAST_NUM = re.compile(rb"[0-9]{1,7}")


def _last_row_number(seg: bytes) -> int:
    i = seg.rfind(b'<row r="')
    j = seg.rfind(b'<c r="')
    if i < 0 and j < 0:
        return 0
    if i > j:
        m = _LAST_NUM.match(seg, i + 8)
    else:
        m = _LAST_NUM.search(seg, j + 6, j + 16)
    return int(m.group()) if m else 0


def _trim_sheet(zf, info, scan: _SheetScan, shown: str, limit: int, sst_blank: set) -> bytes:
    """The sheet XML without empty cells and rows; sets the non-empty extents on scan."""
    out = io.BytesIO()
    empty = _empty_cell_re(sst_blank)
    for seg in _segments(_stream(zf, info, shown, [limit, limit])):
        kept = _EMPTY_ROW.sub(b"", empty.sub(b"", seg))
        scan.vrows = max(scan.vrows, _max_row(kept, _CELL_ROWREF))
        scan.vcols = max(scan.vcols, _max_col(kept))
        out.write(kept)
    return out.getvalue()


def _walk_sheet(zf, info, scan: _SheetScan, shown: str, limit: int, sst_blank: set, trim: bool) -> bytes:
    walker = _CellWalker(scan, sst_blank, trim)
    out = io.BytesIO()
    try:
        for seg in _segments(_stream(zf, info, shown, [limit, limit])):
            out.write(walker.feed(seg))
    except ValueError as exc:
        raise InputUnreadable(f"文件 {shown} 的工作表“{scan.name}”结构异常（单元格位置超出 Excel 范围），无法读取",
                              path=shown) from exc
    return out.getvalue()


def scan_xlsx(zf: zipfile.ZipFile, shown: str, limit: int, *, keep: bool = False) -> tuple:
    """Read every part once, bounded by limit. Returns ({sheet: uncached cells}, {member: trimmed xml},
    {member: bytes}): the last, with keep and a workbook inflating to at most KEEP_BYTES, is every
    member as inflated here (a sheet trimmed or with its merges first: _merges_first), else {}."""
    infos = _check_zip_directory(zf, shown, limit)
    budget = [limit, limit]
    by_member = {m: n for n, m in _sheet_members(zf)}
    kept: Optional[dict] = None
    if keep and sum(i.file_size for i in infos) <= KEEP_BYTES and len({i.filename for i in infos}) == len(infos):
        kept = {}  # declared sizes can lie: dropped below once more than KEEP_BYTES came out
    scans = []
    for info in infos:
        name = info.filename
        parts: Optional[list] = [] if kept is not None else None
        if name in by_member:
            scan = _SheetScan(by_member[name], name)
            _scan_sheet(zf, info, scan, shown, budget, parts)
            scans.append((info, scan))
        else:
            first = True
            xml = name.lower().endswith((".xml", ".rels", ".vml"))
            for chunk in _stream(zf, info, shown, budget):  # read through anyway: sizes and CRCs must hold
                if first and xml:
                    _check_prolog(chunk[:65536], name, shown)
                first = False
                if parts is not None:
                    parts.append(chunk)
        if kept is not None:
            kept[name] = b"".join(parts)
            if budget[1] - budget[0] > KEEP_BYTES:
                kept = None
    uncached, trimmed = {}, {}
    sst_blank = None
    total = 0
    for info, scan in scans:
        if scan.odd:
            sst_blank = _sst_blank(zf, shown, limit) if sst_blank is None else sst_blank
            _walk_sheet(zf, info, scan, shown, limit, sst_blank, trim=False)
        elif not scan.wide:
            scan.cols = 26 if scan.rows else 0
        area = scan.rows * scan.cols
        if area > MAX_SHEET_CELLS or scan.rows > TRIM_ROWS:
            # padded with empty cells (say a formula filled down to row 1,048,576): read a trimmed copy
            sst_blank = _sst_blank(zf, shown, limit) if sst_blank is None else sst_blank
            if scan.odd:
                trimmed[info.filename] = _walk_sheet(zf, info, _SheetScan(scan.name, scan.member), shown, limit,
                                                     sst_blank, trim=True)
            else:
                trimmed[info.filename] = _trim_sheet(zf, info, scan, shown, limit, sst_blank)
            scan.refuse_if_huge(shown)
            area = scan.vrows * scan.vcols
        if scan.uncached:
            uncached[scan.name] = scan.uncached
        total += area
        if total > MAX_BOOK_CELLS:
            raise InputUnreadable(f"文件 {shown} 的内容范围过大（各工作表合计超过 {MAX_BOOK_CELLS} 个单元格），"
                                  f"不像登记表，已拒绝读取", path=shown)
    if kept is None:
        return uncached, trimmed, {}
    for info, scan in scans:
        if not scan.odd:  # prefixed elements (<x:mergeCells>) are left where they are
            name = info.filename
            kept[name] = _merges_first(trimmed.get(name, kept[name]))
    return uncached, trimmed, kept


_SHEET_DATA, _SHEET_DATA_END = b"<sheetData", b"</sheetData>"
_MERGES, _MERGES_OPEN, _MERGES_CLOSE = b"mergeCells", b"<mergeCells", b"</mergeCells>"
_NO_MERGES = b"<mergeCells></mergeCells>"


def _merges_first(xml: bytes) -> bytes:
    """The sheet XML with its <mergeCells> element in front of <sheetData> (an empty one if it has none).

    python-calamine asks calamine for a sheet's merged cells after its cells, and calamine looks for
    them by parsing the sheet from the top until it meets <mergeCells> — which Excel writes after the
    cells: every sheet was parsed twice. In front, the second parse stops at once; the cells and the
    merges read are the same (calamine skips elements it does not expect before <sheetData>, and reads
    no further than </sheetData> for the cells). Only a sheet whose one mention of "mergeCells" is a
    <mergeCells>…</mergeCells> after its </sheetData> (or that has none) is changed; anything else is
    left as written. One pass over the text (the search for another mention), the rest near its ends."""
    at = xml.find(_SHEET_DATA)
    if at < 0 or xml[at + len(_SHEET_DATA):at + len(_SHEET_DATA) + 1] not in (b" ", b">", b"/"):
        return xml
    view = memoryview(xml)
    i = xml.rfind(_MERGES_OPEN)
    if i < 0:
        if xml.find(_MERGES) >= 0:
            return xml
        return b"".join((view[:at], _NO_MERGES, view[at:]))
    j = xml.find(_MERGES_CLOSE, i)
    if j < 0 or xml[i + len(_MERGES_OPEN):i + len(_MERGES_OPEN) + 1] not in (b" ", b">") \
            or xml.rfind(_SHEET_DATA_END, at, i) < 0 or xml.find(_MERGES, 0, i) >= 0 \
            or xml.find(_MERGES, i + len(_MERGES_OPEN), j) >= 0:
        return xml
    j += len(_MERGES_CLOSE)
    if xml.find(_MERGES, j) >= 0:
        return xml
    return b"".join((view[:at], view[i:j], view[at:i], view[j:]))


def _rebuild(zf: zipfile.ZipFile, trimmed: dict, kept: dict) -> io.BytesIO:
    """The same workbook in memory: the trimmed sheet XML in place of the padded one, and when the
    scan kept every member (a small workbook), those bytes stored uncompressed — calamine then
    inflates nothing again."""
    stored = _stored(zf, kept) if kept else None
    if stored is not None:
        return io.BytesIO(stored)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
        for info in zf.infolist():
            data = kept.get(info.filename)
            if data is None:
                data = trimmed.get(info.filename)
            dst.writestr(info.filename, data if data is not None else zf.read(info))
    out.seek(0)
    return out


_LOCAL = struct.Struct("<4s5H3L2H")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_END = struct.Struct("<4s4H2LH")


def _stored(zf: zipfile.ZipFile, kept: dict) -> Optional[bytes]:
    """zf's members as kept, in a zip of their own, stored (None past what a plain zip holds).

    Written here rather than by zipfile for the CRC-32 alone: isal's is several times faster than zlib's,
    which zipfile uses; and the zip is joined once, not copied member by member into a buffer."""
    infos = zf.infolist()
    if len(infos) >= 0xFFFF or sum(map(len, kept.values())) >= 0xFFFFFFFF:
        return None
    crc32 = (_isal() or zlib).crc32
    parts, central, offset = [], [], 0
    for info in infos:
        data = kept[info.filename]
        name = info.filename.encode("utf-8")
        flags = 0 if info.filename.isascii() else 0x800  # the name in UTF-8
        crc, size = crc32(data), len(data)
        # version 2.0, stored, 1980-01-01 00:00, no extra field
        local = _LOCAL.pack(ZIP_MAGIC, 20, flags, 0, 0, 0x21, crc, size, size, len(name), 0)
        central.append(_CENTRAL.pack(b"PK\x01\x02", 20, 20, flags, 0, 0, 0x21, crc, size, size, len(name),
                                     0, 0, 0, 0, 0, offset))
        central.append(name)
        parts += (local, name, data)
        offset += len(local) + len(name) + size
    directory = b"".join(central)
    parts += (directory, _END.pack(EMPTY_ZIP_MAGIC, 0, 0, len(infos), len(infos), len(directory), offset, 0))
    return b"".join(parts)


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
                book_xml = kept.get("xl/workbook.xml") if kept else _member(zf, "xl/workbook.xml")
                renamed, notes = _renamed_duplicates(book_xml)
                replaced = dict(trimmed)
                if renamed is not None:
                    (kept if kept else replaced)["xl/workbook.xml"] = renamed
                if replaced or kept:
                    source = _rebuild(zf, replaced, kept)
                del kept
        except InputUnreadable:
            raise
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, KeyError,
                NotImplementedError, RuntimeError) as exc:
            # truncated copies, bad CRCs, unsupported compression
            raise _corrupt(shown) from exc
        except Exception as exc:  # zlib.error and friends from a damaged member
            raise _corrupt(shown) from exc
    else:
        _check_ole(path, shown)
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
