"""Long sheets: their rows streamed as XML into the closed workbook, through no private member of any library.

read → normalise → score → **write**. In: a worksheet xlsxwriter lays out (title, header, widths, print
setup, autofilter), its data rows — (values, height in points or None) each, one value a column — and
each column's format. Out: the same rows in the sheet's part of the .xlsx, after xlsxwriter has closed it.

Why: writing cell by cell through xlsxwriter costs several times as much as the whole rest of writing a
province year (docs/performance.md, "Decisions and their reasons"). The first data row is written by
xlsxwriter itself, so the closed file says which style number each column's format got (the s attribute
of the row's cells); the other rows follow it in plain OOXML: texts as inline strings (escaped: & < >,
control characters as _xHHHH_ and a literal _xHHHH_ as _x005F_xHHHH_; cut at 32,767 UTF-16 units; white
space at either end kept), numbers, dates as Excel serial numbers, blanks with their style, row heights.
A text is never a formula. The sheet's part is found through the package's relationships and the archive
is rewritten with zipfile, every timestamp a fixed one: same rows, same bytes.
"""
from __future__ import annotations

import datetime as dt
import math
import os
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from .cells import put_row

STRMAX = 32767  # the most UTF-16 units a cell's text holds
_NEEDS_WORK = re.compile("[\x00-\x08\x0b-\x1f&<>\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
_LITERAL = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_EPOCH = dt.datetime(1899, 12, 31)
_MEMO_LEN = 32  # texts up to this long are escaped once per sheet (units, types, authors repeat)
_CHUNK = 2048  # rows joined into one string before it is written
_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "p": "http://schemas.openxmlformats.org/package/2006/relationships"}


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def cut(text: str, limit: int = STRMAX) -> str:
    """text, at most limit UTF-16 units long, without splitting a character beyond the BMP."""
    n = 0
    for i, ch in enumerate(text):
        n += 2 if ord(ch) > 0xFFFF else 1
        if n > limit:
            return text[:i]
    return text


def inline(text: str) -> str:
    """The <is> element of an inline-string cell holding text."""
    if len(text) > STRMAX // 2 and utf16_len(text) > STRMAX:
        text = cut(text)
    if _NEEDS_WORK.search(text):
        text = _LITERAL.sub(r"_x005F\1", text)
        text = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)
        body = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    else:
        body = text
    if text.strip() != text:  # white space at either end: kept only when the element says so
        return f'<is><t xml:space="preserve">{body}</t></is>'
    return f"<is><t>{body}</t></is>"


def serial(when: dt.datetime) -> float:
    """An Excel serial date-time (1900 system: day 60 is the 29 February 1900 Excel believes in)."""
    delta = when - _EPOCH
    x = delta.days + (float(delta.seconds) + float(delta.microseconds) / 1e6) / (60 * 60 * 24)
    if when.year == 1900 and when.month == 1 and when.day == 1:
        x -= 1  # Excel's day 0 is 1900-01-00
    return x + 1 if x >= 60 else x  # from 1 March 1900 on (the afternoon of 28 February is 59.5)


def number(v, row: int) -> str:
    if not math.isfinite(v):
        raise ValueError(f"NAN/INF in row {row}")
    return f"{v:.16G}"


class RowStream:
    """The data rows of one worksheet: the first written now, with the sheet (through cells.put_row), the
    others into the closed file by splice().

    ws: the worksheet, its title and header written; first: the 0-based row of the first data row; nrows:
    how many rows `rows` yields; formats: each column's cell format; rows: (values, height) per row."""

    def __init__(self, ws, first: int, nrows: int, formats: list, rows):
        self.sheet, self.first, self.nrows, self.formats = ws.get_name(), first, nrows, list(formats)
        self.rows = iter(rows)
        if nrows:
            values, height = next(self.rows)
            if height is not None:
                ws.set_row(first, height)
            put_row(ws, first, values, self.formats)

    def xml(self, styles: list):
        """The XML of the rows after the first, in chunks; styles: each column's s="…" attribute or ""."""
        cols = [_column_name(c) for c in range(len(self.formats))]
        texts: dict = {}
        out: list = []
        r = self.first + 2  # the 1-based number of the second data row
        for values, height in self.rows:
            rs = str(r)
            if height is None:
                out.append(f'<row r="{rs}">')
            else:
                out.append(f'<row r="{rs}" ht="{int(height * 4.0 / 3.0 + 0.5) * 0.75:.16g}" customHeight="1">')
            for v, col, s in zip(values, cols, styles):
                out.append(_cell(v, f'<c r="{col}{rs}"{s}', s, texts, r))
            out.append("</row>")
            r += 1
            if len(out) > _CHUNK * 8:
                yield "".join(out)
                out = []
        if out:
            yield "".join(out)
        if r - self.first - 1 != self.nrows:
            raise ValueError(f"{self.sheet}: {r - self.first - 1} rows streamed, {self.nrows} announced")


def _cell(v, start: str, s: str, texts: dict, row: int) -> str:
    """One cell's XML ("" for a blank without a style). start: '<c r="B7" s="5"'."""
    t = type(v)
    if t is str:
        if not v:
            return f"{start}/>" if s else ""
        x = texts.get(v)
        if x is None:
            x = inline(v)
            if len(v) <= _MEMO_LEN and len(texts) < 100_000:
                texts[v] = x
        return f'{start} t="inlineStr">{x}</c>'
    if t is float or t is int:
        return f"{start}><v>{number(v, row)}</v></c>"
    if v is None:
        return f"{start}/>" if s else ""
    if t is bool:
        return f'{start} t="inlineStr">{inline("是" if v else "否")}</c>'
    if isinstance(v, (int, float)):
        return f"{start}><v>{number(v, row)}</v></c>"
    if isinstance(v, dt.datetime):
        return f"{start}><v>{serial(v):.16G}</v></c>"
    if isinstance(v, dt.date):
        return f"{start}><v>{serial(dt.datetime(v.year, v.month, v.day)):.16G}</v></c>"
    return f'{start} t="inlineStr">{inline(str(v))}</c>'


def _column_name(c: int) -> str:
    name = ""
    c += 1
    while c:
        c, rem = divmod(c - 1, 26)
        name = chr(65 + rem) + name
    return name


def sheet_parts(z: zipfile.ZipFile) -> dict:
    """{sheet name: its part in the archive}, from xl/workbook.xml and its relationships."""
    rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {rel.get("Id"): rel.get("Target") for rel in rels.findall("p:Relationship", _NS)}
    book = ElementTree.fromstring(z.read("xl/workbook.xml"))
    out = {}
    for sheet in book.findall("m:sheets/m:sheet", _NS):
        target = targets[sheet.get(f"{{{_NS['r']}}}id")]
        out[sheet.get("name")] = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return out


_DIMENSION = re.compile(r'<dimension ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"/>')
_CELL_STYLE = re.compile(r'<c r="([A-Z]+)\d+"(?: s="(\d+)")?')


def _styles(head: str, stream: RowStream) -> list:
    """Each column's s="…" attribute, from the first data row xlsxwriter wrote (the last row of head)."""
    start = head.rfind("<row ")
    if not head.startswith(f'<row r="{stream.first + 1}"', start):
        raise ValueError(f"{stream.sheet}: its first data row is not the sheet's last row")
    found = {m.group(1): m.group(2) for m in _CELL_STYLE.finditer(head, start)}
    styles = []
    for c, f in enumerate(stream.formats):
        s = found.get(_column_name(c))
        if f is not None and s is None:
            raise ValueError(f"{stream.sheet}: no style found for column {_column_name(c)}")
        styles.append(f' s="{s}"' if f is not None else "")
    return styles


def _grow_dimension(head: str, last_row: int) -> str:
    """<dimension ref="A1:O3"/> → A1:O<last_row>: the streamed rows extend the used range downwards."""
    m = _DIMENSION.search(head)
    if m is None:
        return head
    c1, r1, c2, r2 = m.group(1), m.group(2), m.group(3) or m.group(1), m.group(4) or m.group(2)
    return head[:m.start()] + f'<dimension ref="{c1}{r1}:{c2}{max(int(r2), last_row)}"/>' + head[m.end():]


def splice(path: Path, streams: list) -> None:
    """Put each stream's rows after its first into its worksheet's part of the closed workbook at path
    (rewritten in place, through a file beside it)."""
    streams = [s for s in streams if s is not None and s.nrows > 1]
    if not streams:
        return
    path = Path(path)
    tmp = path.with_name(path.name + ".rows")
    try:
        # compresslevel applies to the parts opened by name: the streamed ones (level 1: several times
        # faster than the default, a few per cent bigger); the others keep the default level
        with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as dst:
            parts = sheet_parts(src)
            by_part = {parts[s.sheet]: s for s in streams}
            for info in src.infolist():
                zi = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                zi.compress_type = zipfile.ZIP_DEFLATED
                zi.external_attr, zi.create_system = info.external_attr, info.create_system
                stream = by_part.get(info.filename)
                if stream is None:
                    dst.writestr(zi, src.read(info))
                else:
                    _write_part(dst, info.filename, src.read(info).decode("utf-8"), stream)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def _write_part(dst: zipfile.ZipFile, name: str, xml: str, stream: RowStream) -> None:
    """The part `name` (its XML as xlsxwriter wrote it) with the stream's rows, into dst (its timestamp is
    zipfile's fixed one, 1980-01-01)."""
    head, sep, tail = xml.partition("</sheetData>")
    if not sep:
        raise ValueError(f"{name}: no sheetData")
    styles = _styles(head, stream)
    head = _grow_dimension(head, stream.first + stream.nrows)
    with dst.open(name, "w", force_zip64=stream.nrows > 200_000) as fh:
        fh.write(head.encode("utf-8"))
        _write_behind(fh, (chunk.encode("utf-8") for chunk in stream.xml(styles)))
        fh.write((sep + tail).encode("utf-8"))


def _write_behind(fh, chunks) -> None:
    """fh.write() each chunk in a second thread while the next is made: zlib compresses (and checksums)
    without holding the GIL, so a big sheet is compressed on another core as its rows are rendered."""
    import queue
    import threading

    todo: queue.Queue = queue.Queue(maxsize=4)
    failed: list = []

    def writer():
        while True:
            chunk = todo.get()
            if chunk is None:
                return
            if not failed:
                try:
                    fh.write(chunk)
                except BaseException as exc:  # handed to the caller below
                    failed.append(exc)

    t = threading.Thread(target=writer, name="govxl-zip-writer", daemon=True)
    t.start()
    try:
        for chunk in chunks:
            if failed:
                break
            todo.put(chunk)
    finally:
        todo.put(None)
        t.join()
    if failed:
        raise failed[0]
