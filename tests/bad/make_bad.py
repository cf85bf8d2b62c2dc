"""Build the corpus of bad (and awkward-but-good) input files, deterministically.

    python tests/bad/make_bad.py OUTDIR          # writes the corpus, prints one line per case

No binary is committed: every file is built here from scratch (openpyxl, xlwt, python-docx,
msoffcrypto-tool, and by hand for the zip and OLE containers), and tests call build() into a
temporary folder. CASES says, for each file, the exit code and the message `govxl check FILE`
must give; tests/test_bad_files.py holds govxl to it.
"""
from __future__ import annotations

import datetime as dt
import io
import struct
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

FIXED_TIME = dt.datetime(2025, 1, 1)
ZIP_TIME = (2025, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Case:
    path: str  # relative to the corpus folder
    exit_code: int  # of `govxl check PATH` in a workspace with the default config
    message: str  # a fragment the message naming the file must contain
    why: str


CASES = [
    Case("zero-byte.xlsx", 4, "是空文件（0 字节）", "an empty file, e.g. a copy that failed"),
    Case("truncated.xlsx", 4, "已损坏", "the first 60 % of a real register"),
    Case("zip-renamed.xlsx", 4, "普通压缩包", "a .zip of text files renamed .xlsx"),
    Case("encrypted.xlsx", 4, "已加密", "a real register encrypted with a password (msoffcrypto-tool)"),
    Case("encrypted-ole.xlsx", 4, "已加密", "a hand-built OLE container holding EncryptionInfo/EncryptedPackage"),
    Case("wps-et-renamed.xlsx", 4, ".et", "an OLE container with no Workbook stream, as a WPS .et is"),
    Case("docx-renamed.xlsx", 4, "Word 文档（.docx）", "a Word document renamed .xlsx"),
    Case("doc-renamed.xlsx", 4, "Word 文档（.doc）", "an OLE Word document renamed .xlsx"),
    Case("pdf-renamed.xlsx", 4, "PDF 文件", "a PDF renamed .xlsx"),
    Case("html-export.xls", 4, "网页（HTML）", "a web page saved as .xls, as many systems export"),
    Case("zip-bomb.xlsx", 4, "超过 200 MB 上限", "a sheet that inflates to 201 MB of nothing"),
    Case("zip-size-lie.xlsx", 4, "已损坏", "a sheet whose zip entry claims 200 bytes and inflates to 8 MB"),
    Case("bad-crc.xlsx", 4, "已损坏", "a register whose sheet's CRC-32 in the zip is off by one (a bit flipped in a copy)"),
    Case("patched-data.xlsx", 4, "已损坏", "a register whose sheet is flagged as compressed patched data (zip flag bit 5)"),
    Case("entity-bomb.xlsx", 4, "DOCTYPE/实体声明", "billion laughs in the shared strings"),
    Case("entity-bomb-sheet.xlsx", 4, "DOCTYPE/实体声明", "billion laughs in the sheet XML"),
    Case("far-cell.xlsx", 4, "内容范围过大", "a register with one stray value in XFD1048576"),
    Case("far-cell.xls", 4, "内容范围过大", "an .xls register with one stray value in IV65536 (1.2 GB unguarded)"),
    Case("million-empty-rows.xlsx", 1, "文件中没有找到登记表", "1,048,576 rows of styled empty cells"),
    Case("filled-down.xlsx", 0, "", "a register whose formula column is filled down to row 1,048,576"),
    Case("no-header.xlsx", 1, "文件中没有找到登记表", "a sheet of notes with no header row"),
    Case("unknown-encoding.csv", 4, "编码无法识别", "a CSV in EBCDIC: no line decodes as UTF-8 or GB18030"),
    Case("gbk.csv", 0, "", "a CSV saved by Excel on Chinese Windows (GBK)"),
    Case("xls-renamed.xlsx", 0, "", "a real .xls renamed .xlsx (it is read)"),
    Case("台账 2025年 城关镇（含空格）.xlsx", 0, "", "a name with spaces, Chinese and full-width brackets"),
    Case("/".join(f"第{i}层很长很长的文件夹名称" * 6 for i in "一二三四") + "/" + "青石镇信息报送台账" * 9 + ".xlsx", 0, "",
         "a path over 400 characters (each name under 255 bytes)"),
]

HEADER = ["单位", "信息标题", "报送日期", "采用情况", "备注"]
ROWS = [
    ["城关镇", "城关镇开展汛前安全大检查", dt.datetime(2025, 10, 9), "市采用", None],
    ["青石镇", "青石镇推进农村人居环境整治", dt.datetime(2025, 10, 13), None, None],
    ["县教育局", "县教育局部署秋季学期安全工作", dt.datetime(2025, 10, 20), "县采用", None],
]


# ---------------------------------------------------------------------------------------------
# building blocks


def register_xlsx(path: Path, rows=None, unit: str | None = None) -> Path:
    """A small, valid register written by openpyxl."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "信息报送"
    ws.append(HEADER)
    for r in rows or ROWS:
        r = list(r)
        if unit:
            r[0] = unit
        ws.append(r)
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(_normalise_zip(buf.getvalue()))
    return path


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite a zip with fixed timestamps (entries and document properties), so the corpus is
    byte-for-byte reproducible."""
    import re

    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*(<)", rb"\g<1>2025-01-01T00:00:00Z\2", body)
            zi = zipfile.ZipInfo(info.filename, ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, body)
    return out.getvalue()


CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
      '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
      '<Default Extension="xml" ContentType="application/xml"/>'
      '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
      '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
      '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
      '</Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        '</Relationships>')
WB = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
      '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
      '<sheets><sheet name="信息报送" sheetId="1" r:id="rId1"/></sheets></workbook>')
WB_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
           '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
           '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
           '</Relationships>')
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
SHEET_HEAD = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {NS}><sheetData>'
SHEET_TAIL = "</sheetData></worksheet>"
SST_EMPTY = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst {NS} count="0" uniqueCount="0"></sst>'


def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cell(ref: str, v) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        serial = (v - dt.datetime(1899, 12, 30)).days
        return f'<c r="{ref}" s="1"><v>{serial}</v></c>'
    if isinstance(v, (int, float)):
        return f'<c r="{ref}"><v>{v}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t>{_esc(str(v))}</t></is></c>'


def register_rows_xml(rows) -> str:
    """Header + rows as sheet XML rows (inline strings, dates as serials with style 1)."""
    out = []
    for i, r in enumerate([HEADER] + [list(x) for x in rows], start=1):
        cells = "".join(_cell(f"{chr(65 + j)}{i}", v) for j, v in enumerate(r))
        out.append(f'<row r="{i}">{cells}</row>')
    return "".join(out)


STYLES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
          f'<styleSheet {NS}><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>'
          '<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>'
          '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
          '<borders count="1"><border/></borders>'
          '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
          '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
          '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
          '</styleSheet>')


def raw_xlsx(path: Path, sheet_chunks, *, sst: str = SST_EMPTY, workbook: str = WB) -> Path:
    """An xlsx assembled part by part; sheet_chunks is an iterable of str pieces of the sheet XML,
    streamed into the zip so a 100 MB sheet never sits in memory."""
    path.parent.mkdir(parents=True, exist_ok=True)
    ct = CT.replace("</Types>", '<Override PartName="/xl/styles.xml" ContentType="application/'
                                'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>')
    rels = WB_RELS.replace("</Relationships>", '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/'
                                               'officeDocument/2006/relationships/styles" Target="styles.xml"/>'
                                               '</Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, text in (("[Content_Types].xml", ct), ("_rels/.rels", RELS), ("xl/workbook.xml", workbook),
                           ("xl/_rels/workbook.xml.rels", rels), ("xl/styles.xml", STYLES),
                           ("xl/sharedStrings.xml", sst)):
            zf.writestr(zipfile.ZipInfo(name, ZIP_TIME), text)
        zi = zipfile.ZipInfo("xl/worksheets/sheet1.xml", ZIP_TIME)
        zi.compress_type = zipfile.ZIP_DEFLATED
        with zf.open(zi, "w", force_zip64=True) as fh:
            buf = []
            size = 0
            for piece in sheet_chunks:
                b = piece.encode("utf-8")
                buf.append(b)
                size += len(b)
                if size > 1 << 20:
                    fh.write(b"".join(buf))
                    buf, size = [], 0
            fh.write(b"".join(buf))
    return path


# -- OLE compound files (MS-CFB, version 3, 512-byte sectors), enough for a directory of streams

ENDOFCHAIN, FREESECT, FATSECT = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD


def cfb(streams: dict) -> bytes:
    """A compound file holding the given {name: bytes} streams in the root storage.

    Streams are padded to the 4096-byte mini-stream cutoff so every one lives in regular sectors;
    olefile reads the result (tests check that).
    """
    names = sorted(streams, key=lambda n: (len(n), n.upper()))  # CFB's directory order
    data = {n: streams[n] + b"\0" * max(0, 4096 - len(streams[n])) for n in names}
    fat = [FATSECT, ENDOFCHAIN]  # sector 0: the FAT, sector 1: the directory
    starts = {}
    for n in names:
        count = -(-len(data[n]) // 512)
        starts[n] = len(fat)
        fat += [len(fat) + i + 1 for i in range(count - 1)] + [ENDOFCHAIN]
    if len(fat) > 128:
        raise ValueError("cfb(): too much data for one FAT sector")
    fat += [FREESECT] * (128 - len(fat))

    def entry(name, etype, child=FREESECT, right=FREESECT, start=0, size=0):
        raw = name.encode("utf-16-le") + b"\0\0"
        e = raw + b"\0" * (64 - len(raw))
        e += struct.pack("<HBB", len(raw), etype, 1)  # name length, type, colour (black)
        e += struct.pack("<III", FREESECT, right, child)  # left, right, child
        e += b"\0" * 16 + b"\0" * 4 + b"\0" * 16  # CLSID, state bits, times
        e += struct.pack("<IQ", start, size)
        return e

    entries = [entry("Root Entry", 5, child=1 if names else FREESECT, start=ENDOFCHAIN)]
    for i, n in enumerate(names):
        right = i + 2 if i + 1 < len(names) else FREESECT  # a right-leaning chain in sorted order
        entries.append(entry(n, 2, right=right, start=starts[n], size=len(streams[n])))
    if len(entries) > 4:
        raise ValueError("cfb(): at most three streams")
    while len(entries) < 4:
        entries.append(b"\0" * 64 + struct.pack("<HBB", 0, 0, 0) + struct.pack("<III", FREESECT, FREESECT, FREESECT)
                       + b"\0" * 52)
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIII", header, 0x2C, 1, 1, 0, 4096)  # FAT sectors, first dir sector, txn, cutoff
    struct.pack_into("<IIII", header, 0x3C, ENDOFCHAIN, 0, ENDOFCHAIN, 0)  # mini FAT, DIFAT
    struct.pack_into("<I", header, 0x4C, 0)
    for i in range(1, 109):
        struct.pack_into("<I", header, 0x4C + 4 * i, FREESECT)
    body = struct.pack("<128I", *fat) + b"".join(entries)
    for n in names:
        d = data[n]
        body += d + b"\0" * (-len(d) % 512)
    return bytes(header) + body


# ---------------------------------------------------------------------------------------------
# the corpus


def _million_empty_rows():
    yield SHEET_HEAD
    for start in range(1, 1 << 20, 8192):
        yield "".join(f'<row r="{n}"><c r="A{n}" s="1"/><c r="B{n}" s="1"/><c r="C{n}" s="1"/></row>'
                      for n in range(start, min(start + 8192, (1 << 20) + 1)))
    yield SHEET_TAIL


def _filled_down():
    """Header + 3 items; column E (备注) holds =IF(A="","",…) filled down to the last row, cached as ""."""
    yield SHEET_HEAD
    yield register_rows_xml(ROWS)
    n_data = len(ROWS) + 1
    for start in range(n_data + 1, (1 << 20) + 1, 8192):
        yield "".join(f'<row r="{n}"><c r="E{n}" t="str"><f>IF(A{n}="","",A{n})</f><v></v></c></row>'
                      for n in range(start, min(start + 8192, (1 << 20) + 1)))
    yield SHEET_TAIL


def _zip_bomb(path: Path, size_mb: int = 201):
    def chunks():
        yield SHEET_HEAD
        for _ in range(size_mb):
            yield " " * (1 << 20)
        yield SHEET_TAIL
    raw_xlsx(path, chunks())


def _size_lie(path: Path):
    """A valid workbook whose sheet entry declares 200 bytes but inflates to 8 MB of padding."""
    raw_xlsx(path, [SHEET_HEAD, register_rows_xml(ROWS), " " * (8 << 20), SHEET_TAIL])
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    zf = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = zf.getinfo(name.decode())
    lie = 200
    # local header: uncompressed size at offset 22 (or in the zip64 extra field)
    lh = info.header_offset
    fname_len, extra_len = struct.unpack_from("<HH", data, lh + 26)
    _patch_sizes(data, lh + 22, lh + 30 + fname_len, extra_len, lie, local=True)
    # central directory entry
    cd = zf.start_dir
    while data[cd:cd + 4] == b"PK\x01\x02":
        n_len, e_len, c_len = struct.unpack_from("<HHH", data, cd + 28)
        if data[cd + 46:cd + 46 + n_len] == name:
            _patch_sizes(data, cd + 24, cd + 46 + n_len, e_len, lie, local=False)
            break
        cd += 46 + n_len + e_len + c_len
    else:
        raise AssertionError("central directory entry not found")
    assert zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(name.decode()).file_size == lie
    path.write_bytes(bytes(data))


def _patch_sheet_entry(path: Path, *, local_at: int, central_at: int, fmt: str, change):
    """A valid register whose sheet entry has one field (at local_at in its local header, central_at in its
    central directory entry, struct format fmt) replaced by change(old value) in both places."""
    register_xlsx(path)
    data = bytearray(path.read_bytes())
    zf = zipfile.ZipFile(io.BytesIO(bytes(data)))
    info = zf.getinfo("xl/worksheets/sheet1.xml")
    new = change(struct.unpack_from(fmt, data, info.header_offset + local_at)[0])
    struct.pack_into(fmt, data, info.header_offset + local_at, new)
    cd = zf.start_dir
    while data[cd:cd + 4] == b"PK\x01\x02":
        n_len, e_len, c_len = struct.unpack_from("<HHH", data, cd + 28)
        if data[cd + 46:cd + 46 + n_len] == info.filename.encode():
            struct.pack_into(fmt, data, cd + central_at, new)
            break
        cd += 46 + n_len + e_len + c_len
    else:
        raise AssertionError("central directory entry not found")
    path.write_bytes(bytes(data))
    return info, zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(info.filename)


def _bad_crc(path: Path):
    """A valid register whose sheet entry's CRC-32 (local header and central directory) is off by one."""
    old, new = _patch_sheet_entry(path, local_at=14, central_at=16, fmt="<I", change=lambda crc: (crc + 1) & 0xFFFFFFFF)
    assert new.CRC == (old.CRC + 1) & 0xFFFFFFFF


def _patched_data(path: Path):
    """A valid register whose sheet entry claims compressed patched data (general purpose flag bit 5), which
    zipfile refuses with NotImplementedError: reported as a damaged file."""
    _old, new = _patch_sheet_entry(path, local_at=6, central_at=8, fmt="<H", change=lambda flags: flags | 0x20)
    assert new.flag_bits & 0x20


def _patch_sizes(data: bytearray, size_off: int, extra_off: int, extra_len: int, lie: int, *, local: bool):
    if struct.unpack_from("<I", data, size_off)[0] != 0xFFFFFFFF:
        struct.pack_into("<I", data, size_off, lie)
        return
    # zip64: the real sizes live in the extra field (uncompressed first)
    p, end = extra_off, extra_off + extra_len
    while p + 4 <= end:
        hid, hlen = struct.unpack_from("<HH", data, p)
        if hid == 1:
            struct.pack_into("<Q", data, p + 4, lie)
            return
        p += 4 + hlen


def _billion_laughs(levels: int = 9) -> str:
    ents = ['<!ENTITY lol0 "lol">']
    for i in range(1, levels + 1):
        ents.append(f'<!ENTITY lol{i} "' + f"&lol{i - 1};" * 10 + '">')
    return "<!DOCTYPE lolz [" + "".join(ents) + "]>"


def build(out: Path, *, only=None) -> dict:
    """Write the corpus under out/; returns {case path: Path}. `only` limits it to some case paths."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    want = set(only) if only else {c.path for c in CASES}
    made = {}

    def target(name):
        p = out / name
        p.parent.mkdir(parents=True, exist_ok=True)
        made[name] = p
        return p

    def need(name):
        return name in want

    if need("zero-byte.xlsx"):
        target("zero-byte.xlsx").write_bytes(b"")
    if need("truncated.xlsx"):
        good = register_xlsx(out / ".tmp-good.xlsx").read_bytes()
        (out / ".tmp-good.xlsx").unlink()
        target("truncated.xlsx").write_bytes(good[: len(good) * 6 // 10])
    if need("zip-renamed.xlsx"):
        with zipfile.ZipFile(target("zip-renamed.xlsx"), "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(zipfile.ZipInfo("说明.txt", ZIP_TIME), "这是一个普通压缩包".encode("utf-8"))
            zf.writestr(zipfile.ZipInfo("数据/台账.csv", ZIP_TIME), "单位,标题\n城关镇,测试\n".encode("utf-8"))
    if need("encrypted.xlsx"):
        import msoffcrypto
        from msoffcrypto.format.ooxml import OOXMLFile

        plain = io.BytesIO(register_xlsx(out / ".tmp-plain.xlsx").read_bytes())
        (out / ".tmp-plain.xlsx").unlink()
        enc = io.BytesIO()
        OOXMLFile(plain).encrypt("govxl-密码", enc)
        data = enc.getvalue()
        assert data.startswith(b"\xd0\xcf\x11\xe0"), "msoffcrypto did not produce an OLE container"
        assert msoffcrypto.OfficeFile(io.BytesIO(data)).is_encrypted()
        target("encrypted.xlsx").write_bytes(data)
    if need("encrypted-ole.xlsx"):
        info = struct.pack("<HHI", 4, 4, 0x40) + '<?xml version="1.0"?><encryption/>'.encode()
        target("encrypted-ole.xlsx").write_bytes(cfb({"EncryptionInfo": info, "EncryptedPackage": b"\x01" * 5000}))
    if need("wps-et-renamed.xlsx"):
        target("wps-et-renamed.xlsx").write_bytes(cfb({"ETContents": b"\x02" * 3000, "\x05SummaryInformation": b"\0" * 200}))
    if need("docx-renamed.xlsx"):
        import docx

        d = docx.Document()
        d.add_paragraph("关于2025年10月政务信息报送情况的通报")
        d.core_properties.created = FIXED_TIME
        d.core_properties.modified = FIXED_TIME
        buf = io.BytesIO()
        d.save(buf)
        target("docx-renamed.xlsx").write_bytes(_normalise_zip(buf.getvalue()))
    if need("doc-renamed.xlsx"):
        fib = b"\xec\xa5" + b"\0" * 1000
        target("doc-renamed.xlsx").write_bytes(cfb({"WordDocument": fib, "1Table": b"\0" * 100}))
    if need("pdf-renamed.xlsx"):
        target("pdf-renamed.xlsx").write_bytes(
            b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")
    if need("html-export.xls"):
        html = ('<html xmlns:x="urn:schemas-microsoft-com:office:excel"><head><meta charset="utf-8"></head><body>'
                '<table><tr><td>单位</td><td>信息标题</td><td>报送日期</td></tr>'
                '<tr><td>城关镇</td><td>城关镇开展汛前安全大检查</td><td>2025-10-09</td></tr></table></body></html>')
        target("html-export.xls").write_bytes(html.encode("utf-8"))
    if need("zip-bomb.xlsx"):
        _zip_bomb(target("zip-bomb.xlsx"))
    if need("zip-size-lie.xlsx"):
        _size_lie(target("zip-size-lie.xlsx"))
    if need("bad-crc.xlsx"):
        _bad_crc(target("bad-crc.xlsx"))
    if need("patched-data.xlsx"):
        _patched_data(target("patched-data.xlsx"))
    if need("entity-bomb.xlsx"):
        sst = ('<?xml version="1.0" encoding="UTF-8"?>' + _billion_laughs()
               + f'<sst {NS} count="1" uniqueCount="1"><si><t>&lol9;</t></si></sst>')
        rows = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
        raw_xlsx(target("entity-bomb.xlsx"), [SHEET_HEAD, rows, SHEET_TAIL], sst=sst)
    if need("entity-bomb-sheet.xlsx"):
        head = ('<?xml version="1.0" encoding="UTF-8"?>' + _billion_laughs()
                + f'<worksheet {NS}><sheetData>')
        rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>'
        raw_xlsx(target("entity-bomb-sheet.xlsx"), [head, rows, SHEET_TAIL])
    if need("far-cell.xlsx"):
        stray = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>误输入</t></is></c></row>'
        raw_xlsx(target("far-cell.xlsx"), [SHEET_HEAD, register_rows_xml(ROWS), stray, SHEET_TAIL])
    if need("far-cell.xls"):
        import xlwt

        wb = xlwt.Workbook(encoding="utf-8")
        ws = wb.add_sheet("信息报送")
        for j, h in enumerate(HEADER):
            ws.write(0, j, h)
        ws.write(1, 0, ROWS[0][0])
        ws.write(1, 1, ROWS[0][1])
        ws.write(65535, 255, "误输入")
        buf = io.BytesIO()
        wb.save(buf)
        target("far-cell.xls").write_bytes(buf.getvalue())
    if need("million-empty-rows.xlsx"):
        raw_xlsx(target("million-empty-rows.xlsx"), _million_empty_rows())
    if need("filled-down.xlsx"):
        raw_xlsx(target("filled-down.xlsx"), _filled_down())
    if need("no-header.xlsx"):
        import openpyxl

        wb = openpyxl.Workbook()
        ws = wb.active
        ws.title = "填表说明"
        for line in ("填表说明", "1. 请各单位每月5日前报送上月信息", "2. 联系人：办公室 张三", None, "附：信息员名单"):
            ws.append([line])
        wb.properties.created = wb.properties.modified = FIXED_TIME
        buf = io.BytesIO()
        wb.save(buf)
        target("no-header.xlsx").write_bytes(_normalise_zip(buf.getvalue()))
    if need("unknown-encoding.csv"):
        text = "单位,信息标题,报送日期\n城关镇,城关镇开展汛前安全大检查,2025-10-09\n"
        # cp500 (IBM EBCDIC) bytes with a few lead bytes no Chinese encoding accepts, on every line
        target("unknown-encoding.csv").write_bytes(
            b"\n".join(b"\x81\x20" + line.encode("cp500", "replace") for line in text.splitlines()) + b"\n")
    if need("gbk.csv"):
        lines = [",".join(HEADER)] + [",".join(["" if v is None else (v.strftime("%Y/%m/%d") if isinstance(v, dt.datetime)
                                                                   else str(v)) for v in r]) for r in ROWS]
        target("gbk.csv").write_bytes(("\r\n".join(lines) + "\r\n").encode("gbk"))
    if need("xls-renamed.xlsx"):
        import xlwt

        wb = xlwt.Workbook(encoding="utf-8")
        ws = wb.add_sheet("信息报送")
        datefmt = xlwt.easyxf(num_format_str="yyyy-mm-dd")
        for j, h in enumerate(HEADER):
            ws.write(0, j, h)
        for i, r in enumerate(ROWS, start=1):
            for j, v in enumerate(r):
                if isinstance(v, dt.datetime):
                    ws.write(i, j, v, datefmt)
                elif v is not None:
                    ws.write(i, j, v)
        buf = io.BytesIO()
        wb.save(buf)
        target("xls-renamed.xlsx").write_bytes(buf.getvalue())
    for c in CASES:
        if c.path in want and c.path not in made and c.exit_code == 0 and c.path.endswith(".xlsx"):
            register_xlsx(target(c.path))
    return made


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 1:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    made = build(Path(argv[0]))
    why = {c.path: c for c in CASES}
    for name, p in made.items():
        c = why[name]
        print(f"{c.exit_code}  {p.stat().st_size:>10}  {name}  — {c.why}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
