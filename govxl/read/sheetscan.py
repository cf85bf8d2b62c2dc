"""One worksheet's XML, streamed: its prolog checked for DOCTYPE, the extent of the cells calamine would
materialise and of those with a value measured, and its formula cells without a cached value located;
a sheet padded with empty cells is read again as a trimmed copy.

Sheets are scanned with C-level regular expressions over streamed segments (cut at row/cell starts), so
even a very large sheet is scanned quickly; the three searches every segment needs are first answered
with numpy (_candidates), and only a "found" is searched for. Sheets written with implicit cell
positions (no r="A1") or namespace prefixes (<x:c>) are rare; they go through _CellWalker, which is
exact but walks cell by cell in Python.
"""
from __future__ import annotations

import html
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Optional

from ..errors import InputUnreadable
from .limits import MAX_SHEET_CELLS, col_index, col_letters, sheet_too_large
from .zipio import CHUNK, stream

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
_MAX_ROW = 1 << 20
_MAX_COL = 1 << 14


def xml_unescape(b: bytes) -> str:
    return html.unescape(b.decode("utf-8", "replace"))


def segments(chunks):
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


def check_prolog(first: bytes, member: str, shown: str):
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
            return col_index(max(_COLREF[n].findall(seg)).decode()) + 1
    return 0


def _max_row(seg: bytes, refs=_ROWREF) -> int:
    for n in range(7, 0, -1):
        if refs[n].search(seg):  # only the references with the most digits are collected
            return int(max(refs[n].findall(seg)))
    return 0


@dataclass
class SheetScan:
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
            raise sheet_too_large(shown, self.name, self.vrows, self.vcols)


class _CellWalker:
    """The exact, slow path: walks a sheet cell by cell, tracking implicit positions too."""

    def __init__(self, scan: SheetScan, sst_blank: set, trim: bool):
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
            return whole[:i] + b' r="' + f"{col_letters(self.col - 1)}{self.row}".encode() + b'"' + whole[i:]
        return whole

    def _visit(self, m) -> bool:
        """Follow one row or cell element; True for a cell with a non-empty value (and for a row)."""
        if m.group(1) is not None:  # <row ...>
            r = _ATTR_R.search(m.group(1))
            self.row = int(r.group(2)) if r and r.group(2) else self.row + 1
            self.col = 0
            return True
        attrs, end, body = m.group(2), m.group(3), m.group(4)
        self._place(attrs)
        if end == b"/>" or not body:
            return False
        return self._value(attrs, body)

    def _place(self, attrs: bytes):
        """Move to the cell: to its r="B7", else to the next column."""
        r = _ATTR_R.search(attrs)
        if r and r.group(1):
            self.col = col_index(r.group(1).decode()) + 1
            if r.group(2):
                self.row = int(r.group(2))
        else:
            self.col += 1
        if self.row < 1 or self.row > _MAX_ROW or self.col > _MAX_COL:
            raise ValueError(f"cell out of range at row {self.row} col {self.col}")

    def _value(self, attrs: bytes, body: bytes) -> bool:
        """Record what the cell's value makes of the sheet's extents (or an uncached formula)."""
        s = self.scan
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
        nonempty = self._nonempty(t, vtext, body)
        if nonempty:
            s.vrows, s.vcols = max(s.vrows, self.row), max(s.vcols, self.col)
        return nonempty

    def _nonempty(self, t: bytes, vtext: bytes, body: bytes) -> bool:
        """Whether a materialised cell of type t reads as more than blank."""
        if t == b"inlineStr":
            return any(xml_unescape(x).strip() for x in _T_TEXT.findall(body))
        if t == b"s":
            try:
                return int(vtext) not in self.sst_blank
            except ValueError:
                return True
        if t == b"e":
            return False  # calamine reads error values as empty
        return bool(xml_unescape(vtext).strip())


def blank_shared_strings(zf: zipfile.ZipFile, shown: str, limit: int) -> set:
    """Indices of the shared strings whose text is blank."""
    member = next((n for n in zf.namelist() if n.lower() == "xl/sharedstrings.xml"), None)
    if member is None:
        return set()
    blank, i = set(), 0
    for seg in segments(stream(zf, zf.getinfo(member), shown, [limit, limit])):
        for m in _SI.finditer(seg):
            if not any(xml_unescape(x).strip() for x in _T_TEXT.findall(m.group(1) or b"")):
                blank.add(i)
            i += 1
    return blank


def _empty_cell_re(sst_blank: set):
    extra = b""
    if sst_blank:  # shared strings that are blank
        idx = b"|".join(b"%d" % i for i in sorted(sst_blank)[:2000])
        extra = rb'|[^>]*\bt="s"[^>]*>\s*<v>\s*(?:' + idx + rb")\s*</v>\s*</c>"
    return re.compile(_EMPTY_CELL % extra, re.S)


def scan_sheet(zf, info, scan: SheetScan, shown: str, budget: list, keep: Optional[list] = None):
    """First pass over a sheet: prolog, extents, uncached formulas (C-level searches and numpy only).

    Rows are written in order, so the last row tag of a segment gives its extent; one search then
    proves no reference in the segment has more digits or a column past Z (which would send the
    segment through the exact measurement). The segments are appended to keep when given.
    """
    first = True
    for seg in segments(stream(zf, info, shown, budget)):
        if keep is not None:
            keep.append(seg)
        if first:
            check_prolog(seg[:65536], info.filename, shown)
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
                    scan.uncached.add((int(r.group(2)) - 1, col_index(r.group(1).decode())))


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


def trim_sheet(zf, info, scan: SheetScan, shown: str, limit: int, sst_blank: set) -> bytes:
    """The sheet XML without empty cells and rows; sets the non-empty extents on scan."""
    out = io.BytesIO()
    empty = _empty_cell_re(sst_blank)
    for seg in segments(stream(zf, info, shown, [limit, limit])):
        kept = _EMPTY_ROW.sub(b"", empty.sub(b"", seg))
        scan.vrows = max(scan.vrows, _max_row(kept, _CELL_ROWREF))
        scan.vcols = max(scan.vcols, _max_col(kept))
        out.write(kept)
    return out.getvalue()


def walk_sheet(zf, info, scan: SheetScan, shown: str, limit: int, sst_blank: set, trim: bool) -> bytes:
    walker = _CellWalker(scan, sst_blank, trim)
    out = io.BytesIO()
    try:
        for seg in segments(stream(zf, info, shown, [limit, limit])):
            out.write(walker.feed(seg))
    except ValueError as exc:
        raise InputUnreadable(f"文件 {shown} 的工作表“{scan.name}”结构异常（单元格位置超出 Excel 范围），无法读取",
                              path=shown) from exc
    return out.getvalue()
