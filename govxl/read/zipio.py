"""Zip members in and out: a member inflated in chunks and counted against the size budget as it comes
out (a member that lies about its size is caught), with Intel ISA-L where it is installed; and the
workbook handed to calamine rebuilt in memory from the scan's own copies of its members."""
from __future__ import annotations

import io
import struct
import zipfile
import zlib
from typing import Optional

from .limits import EMPTY_ZIP_MAGIC, ZIP_MAGIC, too_big

CHUNK = 4 * 1024 * 1024


def stream(zf: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str, budget: list):
    """Yield a member's bytes in chunks, counting them against the size budget as they inflate."""
    raw = _deflated(zf, info)
    chunks = _inflated(raw, info) if raw is not None else _read_through(zf, info)
    for chunk in chunks:
        budget[0] -= len(chunk)
        if budget[0] < 0:
            raise too_big(shown, budget[1])
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


def rebuild(zf: zipfile.ZipFile, trimmed: dict, kept: dict) -> io.BytesIO:
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
