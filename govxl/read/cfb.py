"""OLE compound files (MS-CFB): .xls workbooks, and what is refused in the same container — encrypted
.xlsx (EncryptedPackage), .doc, .ppt and WPS .et. Just enough of the format to list the entries and read
the workbook stream, where each sheet's DIMENSIONS record says how far it reaches."""
from __future__ import annotations

import struct
from pathlib import Path

from ..errors import InputUnreadable
from .limits import MAX_SHEET_CELLS, OLE_MAGIC, sheet_too_large

_END_OF_CHAIN = 0xFFFFFFFA  # sector numbers from here up end a chain or mark a free or special sector


def check_ole(path: Path, shown: str) -> str:
    try:
        cfb = Cfb(path)
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
    return [n for n, _, _, _ in Cfb(path).entries]


class Cfb:
    """Just enough of MS-CFB to list entries and read a stream; every chain is bounded."""

    def __init__(self, path: Path):
        with open(path, "rb") as fh:
            self.data = fh.read()
        n_fat, first_dir, first_minifat, n_minifat, first_difat, n_difat = self._header()
        self.fat = self._fat(self._difat(first_difat, n_difat), n_fat)
        self.entries, root = self._directory(first_dir)  # entries: (name, type, start, size)
        self.ministream = self._chain_bytes(root[0]) if root and root[0] < _END_OF_CHAIN else b""
        self.minifat = []
        if n_minifat and first_minifat < _END_OF_CHAIN:
            raw = self._chain_bytes(first_minifat)
            self.minifat = list(struct.unpack(f"<{len(raw) // 4}I", raw[: len(raw) // 4 * 4]))

    def _header(self) -> tuple:
        """Sector size and count from the header; (FAT sectors, first directory sector, first mini-FAT sector,
        mini-FAT sectors, first DIFAT sector, DIFAT sectors)."""
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
        return (n_fat, first_dir, *struct.unpack_from("<IIII", d, 0x3C))

    def _difat(self, first: int, count: int) -> list:
        """The FAT's sectors: the 109 in the header, then those of the DIFAT chain (at most count sectors)."""
        difat = [s for s in struct.unpack_from("<109I", self.data, 0x4C) if s < _END_OF_CHAIN]
        nxt, seen = first, 0
        while nxt < _END_OF_CHAIN and seen < count:
            vals = struct.unpack(f"<{self.ssize // 4}I", self._sector(nxt))
            difat += [s for s in vals[:-1] if s < _END_OF_CHAIN]
            nxt, seen = vals[-1], seen + 1
        return difat

    def _fat(self, difat: list, n_fat: int) -> list:
        if n_fat > self.n_sectors + 1 or len(difat) < min(n_fat, 1):
            raise ValueError("FAT")
        fat = []
        for s in difat[:n_fat]:
            fat.extend(struct.unpack(f"<{self.ssize // 4}I", self._sector(s)))
        return fat

    def _directory(self, first: int) -> tuple:
        """([(name, type, start, size)] of the storages and streams, (start, size) of the root entry or None)."""
        entries, root = [], None
        directory = self._chain_bytes(first)
        for off in range(0, len(directory) - 127, 128):
            e = directory[off:off + 128]
            nlen, etype = struct.unpack_from("<H", e, 0x40)[0], e[0x42]
            start, size = struct.unpack_from("<IQ", e, 0x74)
            if etype == 5 and root is None:
                root = (start, size)
            elif etype in (1, 2) and 2 <= nlen <= 64:
                entries.append((e[: nlen - 2].decode("utf-16-le", "replace"), etype, start, size))
        if not entries:
            raise ValueError("empty directory")
        return entries, root

    def _sector(self, i: int) -> bytes:
        off = (i + 1) * self.ssize
        b = self.data[off:off + self.ssize]
        if len(b) < self.ssize:
            raise ValueError("truncated sector")
        return b

    def _chain(self, start: int, table: list, limit: int):
        cur, steps = start, 0
        while cur < _END_OF_CHAIN:
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


def _check_biff_dimensions(cfb: Cfb, stream: str, shown: str):
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
                    raise sheet_too_large(shown, name, rows, cols)
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
