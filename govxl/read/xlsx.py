"""An .xlsx workbook, part by part: its zip directory checked before anything is inflated, every member
read through once within the size budget (each sheet with the first pass of its scan, see sheetscan),
each sheet's extent then measured (a padded one trimmed), its sheet names read from workbook.xml (one
name used twice made unique) and, for a small workbook, every member kept as inflated so calamine reads
the scan's own copy."""
from __future__ import annotations

import functools
import html
import re
import zipfile
from typing import Optional

from ..errors import InputUnreadable
from .limits import MAX_SHEET_CELLS, too_big
from .sheetscan import SheetScan, blank_shared_strings, check_prolog, scan_sheet, trim_sheet, walk_sheet, xml_unescape
from .zipio import stream

MAX_BOOK_CELLS = 10_000_000
# sheets reaching further down than this are read from a copy without their empty cells
TRIM_ROWS = 99_999
# a workbook inflating to at most this much is handed to calamine from the scan's own inflated copy
KEEP_BYTES = 32 * 1024 * 1024

_SHEET_REL = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)/?>", re.S)
_NAME_ATTR = re.compile(rb'\bname="([^"]*)"')
_RID_ATTR = re.compile(rb'\br:id="([^"]*)"|\b\w+:id="([^"]*)"')
_REL = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)/?>", re.S)
_ID_ATTR = re.compile(rb'\bId="([^"]*)"')
_TARGET_ATTR = re.compile(rb'\bTarget="([^"]*)"')


def check_zip_directory(zf: zipfile.ZipFile, shown: str, limit: int) -> list:
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
            raise too_big(shown, limit)
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
            out.append((xml_unescape(n.group(1)), member))
    if len({n for n, _ in out}) < len(out):  # named as renamed_duplicates names them
        unique = list(renamed_duplicates(wb)[1])
        seen = set()
        for i, (n, member) in enumerate(out):
            if n in seen and unique:
                out[i] = (unique.pop(0), member)
            seen.add(n)
    return out


def renamed_duplicates(xml: Optional[bytes]) -> tuple:
    """(workbook.xml with every repeated sheet name made unique, {new name: warning}), or (None, {}).

    Excel refuses two sheets of one name, but a zip tool or a generator can write them; calamine then
    finds the first sheet for both names and the second one's rows would be lost without a word. The
    second and later copies are read as “十月（2）”…, and said."""
    if xml is None:
        return None, {}
    found = [(m, _NAME_ATTR.search(m.group(1))) for m in _SHEET_REL.finditer(xml)]
    names = [xml_unescape(n.group(1)) for _, n in found if n]
    if len(set(names)) == len(names):
        return None, {}
    taken, seen, notes = set(names), {}, {}
    out, at = [], 0
    for m, n in found:
        if not n:
            continue
        name = xml_unescape(n.group(1))
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


def read_member(zf: zipfile.ZipFile, name: str) -> Optional[bytes]:
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


def scan_xlsx(zf: zipfile.ZipFile, shown: str, limit: int, *, keep: bool = False) -> tuple:
    """Read every part once, bounded by limit. Returns ({sheet: uncached cells}, {member: trimmed xml},
    {member: bytes}): the last, with keep and a workbook inflating to at most KEEP_BYTES, is every
    member as inflated here (a sheet trimmed or with its merges first: _merges_first), else {}."""
    infos = check_zip_directory(zf, shown, limit)
    scans, kept = _read_members(zf, infos, shown, limit, keep)
    uncached, trimmed = _measure_sheets(zf, scans, shown, limit)
    if kept is None:
        return uncached, trimmed, {}
    for info, scan in scans:
        if not scan.odd:  # prefixed elements (<x:mergeCells>) are left where they are
            name = info.filename
            kept[name] = _merges_first(trimmed.get(name, kept[name]))
    return uncached, trimmed, kept


def _read_members(zf: zipfile.ZipFile, infos: list, shown: str, limit: int, keep: bool) -> tuple:
    """Every member read through once within the size budget (sizes and CRCs must hold): each sheet with
    the first pass of its scan, every other XML part with its prolog checked. Returns ([(info, SheetScan)],
    {member: bytes as inflated}, or None unless keep and the workbook inflates to at most KEEP_BYTES)."""
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
            scan = SheetScan(by_member[name], name)
            scan_sheet(zf, info, scan, shown, budget, parts)
            scans.append((info, scan))
        else:
            _read_part(zf, info, shown, budget, parts)
        if kept is not None:
            kept[name] = b"".join(parts)
            if budget[1] - budget[0] > KEEP_BYTES:
                kept = None
    return scans, kept


def _read_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, shown: str, budget: list, parts: Optional[list]):
    """A member that is not a sheet, read through (its chunks appended to parts when given)."""
    first = True
    xml = info.filename.lower().endswith((".xml", ".rels", ".vml"))
    for chunk in stream(zf, info, shown, budget):
        if first and xml:
            check_prolog(chunk[:65536], info.filename, shown)
        first = False
        if parts is not None:
            parts.append(chunk)


def _measure_sheets(zf: zipfile.ZipFile, scans: list, shown: str, limit: int) -> tuple:
    """Each sheet's extent after the first pass, the workbook's total held to MAX_BOOK_CELLS. Returns
    ({sheet: uncached cells}, {member: trimmed xml})."""
    uncached, trimmed = {}, {}

    @functools.cache
    def sst_blank() -> set:  # read once, and only for a sheet that needs it
        return blank_shared_strings(zf, shown, limit)

    total = 0
    for info, scan in scans:
        total += _sheet_area(zf, info, scan, shown, limit, sst_blank, trimmed)
        if scan.uncached:
            uncached[scan.name] = scan.uncached
        if total > MAX_BOOK_CELLS:
            raise InputUnreadable(f"文件 {shown} 的内容范围过大（各工作表合计超过 {MAX_BOOK_CELLS} 个单元格），"
                                  f"不像登记表，已拒绝读取", path=shown)
    return uncached, trimmed


def _sheet_area(zf: zipfile.ZipFile, info: zipfile.ZipInfo, scan: SheetScan, shown: str, limit: int, sst_blank,
                trimmed: dict) -> int:
    """The cells calamine will materialise for one sheet: a sheet too big or too long is read again as a
    trimmed copy (put in trimmed) and refused if its content itself is too big."""
    if scan.odd:
        walk_sheet(zf, info, scan, shown, limit, sst_blank(), trim=False)
    elif not scan.wide:
        scan.cols = 26 if scan.rows else 0
    area = scan.rows * scan.cols
    if area <= MAX_SHEET_CELLS and scan.rows <= TRIM_ROWS:
        return area
    # padded with empty cells (say a formula filled down to row 1,048,576): read a trimmed copy
    if scan.odd:
        trimmed[info.filename] = walk_sheet(zf, info, SheetScan(scan.name, scan.member), shown, limit, sst_blank(),
                                            trim=True)
    else:
        trimmed[info.filename] = trim_sheet(zf, info, scan, shown, limit, sst_blank())
    scan.refuse_if_huge(shown)
    return scan.vrows * scan.vcols


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
