"""Big data sheets: rows streamed into the closed workbook, as xlsxwriter's constant_memory writes them.

read → normalise → score → **write**. xlsxwriter spends much Python per cell (argument checks, a
row table, attribute lists, escaping), too much for a province year's 得分明细 (docs/performance.md). Here xlsxwriter writes the sheet as
usual — title, header, widths, print setup, frozen panes, autofilter — with no data rows; the data rows
are then produced as XML text straight into the sheet's part of the closed .xlsx, one string per row.

The rows are the very XML that xlsxwriter writes for the same calls in constant_memory mode (inline
strings, control characters as _xHHHH_, leading/trailing spaces preserved, numbers as %.16G, dates as
Excel serial numbers, blanks with their format, row heights); tests/test_xlsxstream.py writes sheets
both ways and compares the parts byte for byte. Texts are always inline strings: never formulas.
"""
from __future__ import annotations

import datetime as dt
import math
import os
import re
import tempfile
import time
import zipfile
from itertools import chain, islice
from pathlib import Path
from typing import Optional

from xlsxwriter.utility import _utf16_len, _utf16_truncate, xl_col_to_name
from xlsxwriter.xmlwriter import XMLwriter

from ..read import forked

_PLAIN = re.compile("[\x00-\x08\x0b-\x1f&<>\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
_STRMAX = 32767
_MEMO_LEN = 32  # texts up to this long are escaped once per sheet
# Streams of this many rows are rendered aside, in a forked child (RowStream.render_aside). Fewer are not
# worth a process; more (a year's detail) would make the child touch, and so copy, most of the year's
# records, and their rendering already runs beside their compression (_write_behind).
ASIDE_ROWS = (10_000, 200_000)
# Of a stream rendered aside, the child makes the first rows and this process the last 1/ASIDE_TAIL, once
# its other sheets are written, so neither waits long for the other. Only for a stream that can start anywhere (rows_from).
ASIDE_TAIL = 5


def _inline(text: str) -> str:
    """The <is> content of an inline string cell, as xlsxwriter's _write_cell makes it."""
    if len(text) > _STRMAX // 2 and _utf16_len(text) > _STRMAX:
        text = _utf16_truncate(text, _STRMAX)
    if _PLAIN.search(text):
        text = XMLwriter._escape_control_characters(text)
        esc = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    else:
        esc = text
    # RE_LEADING_WHITESPACE / RE_TRAILING_WHITESPACE (^\s, \s$): \s is str.isspace(), and \s$ before a
    # final newline still ends on whitespace — white space at either end, which is what strip() removes
    # (the same spaces; _Texts.column tests its plain texts the same way)
    if text.strip() != text:
        return f'<is><t xml:space="preserve">{esc}</t></is>'
    return f"<is><t>{esc}</t></is>"


def write_text(ws, row: int, col: int, text: str, fmt=None):
    """ws.write_string(row, col, text, fmt), for any text — also one xlsxwriter would take for rich-string
    XML of its own: a shared string that starts with "<r>" and ends with "</r>" is written unescaped (a
    register's "<r>A & B</r>" made the whole workbook unreadable, "<r><t>x</t></r>" showed as "x"). Such a
    text is written as a rich string of three plain runs, which xlsxwriter escapes: the cell shows the text."""
    if text.startswith("<r>") and text.endswith("</r>"):
        return ws.write_rich_string(row, col, text[:1], text[1:2], text[2:], *(() if fmt is None else (fmt,)))
    return ws.write_string(row, col, text, fmt)


class RowStream:
    """Data rows for one worksheet, written into the .xlsx after xlsxwriter has closed it.

    ws: the worksheet (added with constant_memory, its title and header rows written); first: the 0-based
    row of the first data row; nrows: how many rows rows() yields; formats: each column's cell format.
    rows(): yields (values, height in points or None) per row, values one per column. rows_from(k), if
    given: the same from the k-th row on (0-based)."""

    def __init__(self, wb, ws, first: int, nrows: int, formats: list, rows, *, before=(), rows_from=None):
        self.wb, self.ws, self.first, self.nrows, self.formats, self.rows = wb, ws, first, nrows, formats, rows
        self.rows_from = rows_from
        self._aside = None  # _Aside, while a child renders the rows
        self.split = nrows  # rows [0, split) are the child's, [split, nrows) this process's
        # xf numbers are given in order of first use: the sheet's own title and header formats (flushed
        # before the first data row in constant_memory mode), then the data formats in column order
        # (every cell of a row is written, blanks with their format); no rows, no data formats
        for f in (*before, *formats) if nrows else ():
            if f is not None:
                f._get_xf_index()

    def member(self) -> str:
        n = 0
        for w in self.wb.worksheets():
            if not w.is_chartsheet:
                n += 1
            if w is self.ws:
                return f"xl/worksheets/sheet{n}.xml"
        raise ValueError("worksheet not in workbook")

    def render_aside(self, folder=None) -> bool:
        """Start rendering the rows in a forked child process, into a file in folder (default: the local
        temporary folder — not the output's, which may be a network share), while this process goes on
        with the workbook's other sheets; splice() then reads the file as it grows.

        After scoring, the writing runs on one core and the other is idle: the detail rows of a province
        month are made there. The child shares this process's memory copy-on-write
        and touches only the rows it renders (the collector stays off, as it walks every object). Only
        where fork exists (not Windows) and for ASIDE_ROWS rows; False when not started (rendered here)."""
        lo, hi = ASIDE_ROWS
        if self._aside is not None or not lo <= self.nrows <= hi:
            return False
        try:
            fd, name = tempfile.mkstemp(prefix=".govxl-tmp-rows-", dir=None if folder is None else str(folder))
        except OSError:
            return False

        split = self.nrows - self.nrows // ASIDE_TAIL if self.rows_from is not None else self.nrows

        def render():
            with open(fd, "wb") as f:
                for chunk in self.xml_rows(0, split):
                    f.write(chunk.encode("utf-8"))
                    f.flush()  # the parent compresses what is there while the rest is made

        pid = forked.fork(render)
        os.close(fd)
        if pid is None:
            Path(name).unlink(missing_ok=True)
            return False
        self._aside = _Aside(pid, Path(name))
        self.split = split
        return True

    def tail_bytes(self) -> list:
        """The rows this process makes of a stream rendered aside ([split, nrows)), as UTF-8 chunks."""
        return [chunk.encode("utf-8") for chunk in self.xml_rows(self.split)] if self.split < self.nrows else []

    def xml_bytes(self, *, aside: bool = True, tail: Optional[list] = None):
        """The rows' XML as UTF-8 chunks: from the child's file when rendered aside (then tail, the rest:
        made here if not given), else made here."""
        if aside and self._aside is not None:
            return chain(self._aside.chunks(), self.tail_bytes() if tail is None else tail)
        return (chunk.encode("utf-8") for chunk in self.xml_rows())

    def discard_aside(self):
        """Stop the child (if still running) and remove its file."""
        if self._aside is not None:
            self._aside.discard()
            self._aside = None

    def xml_rows(self, start: int = 0, stop: Optional[int] = None):
        """The rows' XML from the start-th row to before the stop-th (default: all), in chunks (one per
        batch of rows)."""
        stop = self.nrows if stop is None else stop
        # each column's pieces made once: '<c r="B' + row + the rest (its style and the cell's type)
        specs = []
        for c, f in enumerate(self.formats):
            s = f' s="{f._get_xf_index()}"' if f is not None else ""
            specs.append((f'<c r="{xl_col_to_name(c)}', f'"{s} t="inlineStr">', f'"{s}/>' if s else None, f'"{s}><v>'))
        texts = _Texts(self.ws._convert_date_time)
        r = self.first + start
        batch = []
        rows = self.rows() if start == 0 else self.rows_from(start)
        for row in rows if stop == self.nrows else islice(rows, stop - start):
            batch.append(row)
            if len(batch) == _BATCH:
                yield _render(batch, r, specs, texts)
                r += len(batch)
                batch = []
        if batch:
            yield _render(batch, r, specs, texts)
            r += len(batch)
        if r != self.first + stop:
            raise ValueError(f"{r - self.first - start} rows streamed, {stop - start} announced")


_BATCH = 2048  # rows rendered together, column by column


class _Texts:
    """The XML text of cell values, remembered down a sheet where values repeat.

    A sheet repeats its short texts (units, types, authors) down the rows: each is escaped once; titles and
    sources are all different, so long texts are not kept. Points repeat too (0.5, 0, 3 …): each float's
    text is kept, but not zero's, whose sign shows (0.0 and -0.0 are equal keys). Dates as Excel serials."""

    def __init__(self, convert):
        self.convert = convert
        self.inline: dict = {}
        self.floats: dict = {}
        self.dates: dict = {}

    def text(self, v: str) -> str:
        x = self.inline.get(v)
        if x is None:
            x = _inline(v)
            if len(v) <= _MEMO_LEN:
                if len(self.inline) > 100_000:
                    self.inline.clear()
                self.inline[v] = x
        return x

    def float(self, v: float, row: int) -> str:
        x = self.floats.get(v) if v else None
        if x is None:
            if not math.isfinite(v):
                raise ValueError(f"NAN/INF in row {row}")
            x = f"{v:.16G}"
            if v and len(self.floats) < 10_000:
                self.floats[v] = x
        return x

    def date(self, v) -> str:
        x = self.dates.get(v)
        if x is None:
            d = v if isinstance(v, dt.datetime) else dt.datetime(v.year, v.month, v.day)
            x = self.dates[v] = f"{self.convert(d):.16G}"
        return x

    def cell(self, v, rs: str, spec: tuple, row: int) -> str:
        """One cell as xlsxwriter's constant_memory mode writes it ("" when it writes none)."""
        cell, text, blank, value = spec
        t = type(v)
        if t is str:
            if v:
                return f"{cell}{rs}{text}{self.text(v)}</c>"
            return f"{cell}{rs}{blank}" if blank else ""
        if v is None:
            return f"{cell}{rs}{blank}" if blank else ""
        if t is float:
            return f"{cell}{rs}{value}{self.float(v, row)}</v></c>"
        if t is int:
            return f"{cell}{rs}{value}{v:.16G}</v></c>"
        if hasattr(v, "year"):  # datetime / date, as _put converts them
            return f"{cell}{rs}{value}{self.date(v)}</v></c>"
        if t is bool:
            return f"{cell}{rs}{text}{_inline('是' if v else '否')}</c>"
        return f"{cell}{rs}{text}{_inline(str(v))}</c>"

    def column(self, col: tuple, rss: list, spec: tuple, first: int) -> list:
        """The cells of one column of a batch (rows first+1 …): a column of one common type in one
        comprehension, any other cell by cell."""
        cell, text, blank, value = spec
        kinds = set(map(type, col))
        if len(kinds) == 1:
            kind = kinds.pop()
            if kind is str:
                if _all_plain(col):  # (most columns): no text escaped, none cut, nothing to remember
                    # (white space at either end, as _inline finds it)
                    xs = [(f'<is><t xml:space="preserve">{v}</t></is>' if v.strip() != v
                           else f"<is><t>{v}</t></is>") if v else None for v in col]
                else:
                    get, make = self.inline.get, self.text
                    xs = [(get(v) or make(v)) if v else None for v in col]
                return [f"{cell}{rs}{text}{x}</c>" if x is not None else (f"{cell}{rs}{blank}" if blank else "")
                        for rs, x in zip(rss, xs)]
            if kind is float:
                xs = [f"{v:.16G}" for v in col]  # (as _Texts.float, which also refuses NaN and infinities)
                if "NAN" in xs or "INF" in xs or "-INF" in xs:
                    bad = next(i for i, x in enumerate(xs) if x in ("NAN", "INF", "-INF"))
                    raise ValueError(f"NAN/INF in row {first + 1 + bad}")
                return [f"{cell}{rs}{value}{x}</v></c>" for rs, x in zip(rss, xs)]
            if kind is int:
                return [f"{cell}{rs}{value}{v:.16G}</v></c>" for rs, v in zip(rss, col)]
            if kind is dt.datetime:
                get, make = self.dates.get, self.date
                return [f"{cell}{rs}{value}{get(v) or make(v)}</v></c>" for rs, v in zip(rss, col)]
        return [self.cell(v, rs, spec, first + 1 + i) for i, (v, rs) in enumerate(zip(col, rss))]


def _all_plain(texts) -> bool:
    """No text needs what _inline does beyond wrapping it: nothing to escape (one search over them all,
    joined by a newline, which is neither escaped nor part of an _xHHHH_ sequence) and none to cut."""
    return not _PLAIN.search("\n".join(texts)) and max(map(len, texts), default=0) <= _STRMAX // 2


def _render(batch: list, first: int, specs: list, texts: _Texts) -> str:
    """The XML of a batch of (values, height) rows, the first of them at 0-based row `first`."""
    n = len(batch)
    rss = [str(r) for r in range(first + 1, first + n + 1)]
    opens = []
    for rs, (_values, height) in zip(rss, batch):
        if height is not None:
            px = int(height * 4.0 / 3.0 + 0.5)
            opens.append(f'<row r="{rs}" ht="{px * 0.75:.16g}" customHeight="1">')
        else:
            opens.append(f'<row r="{rs}">')
    values = [v for v, _h in batch]
    ncols = len(specs)
    if all(len(v) >= ncols for v in values):
        cells = [texts.column(col, rss, spec, first) for col, spec in zip(zip(*values), specs)]
        return "".join(map("".join, zip(opens, *cells, ["</row>"] * n)))
    # rows of unequal lengths (not from govxl's sheets): row by row, each as long as it is
    out = []
    for i, (rs, v) in enumerate(zip(rss, values)):
        out.append(opens[i])
        out.extend(texts.cell(x, rs, spec, first + 1 + i) for x, spec in zip(v, specs))
        out.append("</row>")
    return "".join(out)


class AsideFailed(Exception):
    """The child rendering a stream's rows exited without writing them all."""


class _Aside:
    """A child process writing a stream's rows into a file (RowStream.render_aside)."""

    POLL = 0.002  # seconds between looks when the reader has caught up with the child
    STALL = 60.0  # seconds without a byte from a live child: it is given up (a lock inherited locked …)

    def __init__(self, pid: int, path: Path):
        self.pid, self.path = pid, path

    def chunks(self):
        """The file's bytes as the child writes them, to its end once the child has exited with 0."""
        with open(self.path, "rb") as f:
            exited = False
            last = time.monotonic()
            while True:
                data = f.read(1 << 20)
                if data:
                    last = time.monotonic()
                    yield data
                elif exited:
                    return
                elif self._exited():
                    exited = True  # what it wrote last is read on the next turn
                elif time.monotonic() - last > self.STALL:
                    raise AsideFailed(f"{self.path.name}: no rows for {self.STALL:g} s")
                else:
                    time.sleep(self.POLL)

    def _exited(self) -> bool:
        code = forked.exited(self.pid, wait=False)
        if code is None:
            return False
        self.pid = None
        if code != 0:
            raise AsideFailed(self.path.name)
        return True

    def discard(self):
        if self.pid is not None:
            forked.stop(self.pid)
            self.pid = None
        self.path.unlink(missing_ok=True)


_DIMENSION = re.compile(r'<dimension ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"/>')


def splice(path: Path, streams: list) -> None:
    """Put each stream's rows into its worksheet part of the closed workbook at path (rewritten in place).

    A stream rendered aside (RowStream.render_aside) is read from its file as the child writes it; if the
    child fails, the whole splice is done again with every stream rendered here."""
    if not streams:
        return
    try:
        try:
            _splice(Path(path), streams, aside=True)
        except AsideFailed:
            _splice(Path(path), streams, aside=False)
    finally:
        for s in streams:
            s.discard_aside()


def _splice(path: Path, streams: list, *, aside: bool) -> None:
    by_member = {s.member(): s for s in streams}
    ready: dict = {}  # stream → its rows' XML, made before any member is written
    tails: dict = {}  # stream rendered aside → the last of its rows, made here
    if aside and any(s._aside is not None for s in streams):
        # while a child renders its rows, the others' are made here rather than after it has finished, and
        # the last of its own
        ready = {id(s): list(s.xml_bytes(aside=False)) for s in streams if s._aside is None}
        tails = {id(s): s.tail_bytes() for s in streams if s._aside is not None}
    tmp = path.with_name(path.name + ".rows")
    try:
        with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                zi = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                zi.compress_type = zipfile.ZIP_DEFLATED
                zi.external_attr = info.external_attr
                zi.create_system = info.create_system
                stream = by_member.get(info.filename)
                if stream is None:
                    dst.writestr(zi, src.read(info))
                    continue
                head, sep, tail = src.read(info).decode("utf-8").partition("</sheetData>")
                if not sep:
                    raise ValueError(f"{info.filename}: no sheetData")
                head = _grow_dimension(head, stream.first + stream.nrows)
                # a big sheet is compressed faster (level 1: a few per cent bigger, several times faster)
                level = 1 if stream.nrows > 20_000 else None
                try:
                    zi.compress_level = level  # Python 3.13+
                except AttributeError:
                    zi._compresslevel = level
                with dst.open(zi, "w", force_zip64=stream.nrows > 200_000) as fh:
                    fh.write(head.encode("utf-8"))
                    _write_behind(fh, ready.pop(id(stream), None)
                                  or stream.xml_bytes(aside=aside, tail=tails.get(id(stream))))
                    fh.write((sep + tail).encode("utf-8"))
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def _write_behind(fh, chunks) -> None:
    """fh.write() each chunk in a second thread while the next is made: zlib compresses (and checksums)
    without holding the GIL, so a big sheet is compressed on the other core as its rows are rendered."""
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


def _grow_dimension(head: str, last_row: int) -> str:
    """<dimension ref="A1:O2"/> → A1:O<last_row>: the streamed rows extend the used range downwards."""
    m = _DIMENSION.search(head)
    if m is None or last_row <= 0:
        return head
    c1, r1, c2, r2 = m.group(1), m.group(2), m.group(3) or m.group(1), m.group(4) or m.group(2)
    ref = f"{c1}{r1}:{c2}{max(int(r2), last_row)}"
    return head[:m.start()] + f'<dimension ref="{ref}"/>' + head[m.end():]
