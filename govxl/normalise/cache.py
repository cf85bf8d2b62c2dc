"""Reading many registers fast: each file parsed once per change, several at a time where it pays.

A city or province office scores hundreds of registers every month, and the year to date needs the
whole year read each time. Two things keep that quick:

* **The parsed-register cache** in ``out/.cache/registers/``: what one file normalises to (its items,
  problems and row accounting) is stored under a key made of the file's size, modification time and
  content hash, plus everything else the result depends on (the config's roster, rules and column
  mapping, the year, the file's displayed path, govxl's own code). A file whose bytes, size or mtime
  changed is always read again; an unchanged year is not re-parsed. A damaged or foreign cache entry
  is ignored (and read again), never trusted: entries are loaded with an unpickler that only builds
  govxl's own record types and plain data.
* **Parallel reading**: when there is enough to read, files are read and normalised in worker
  processes (one per core), and the parts are merged in register order, so the result is the same as
  reading one file after the other — same items in the same order, same problems, same row counts.

Everything global (adoption registers attached to items, 首报 duplicates, suspected duplicates) is
still decided by `registers.RegisterReader` once all files are merged.
"""
from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import io
import operator
import os
import stat
import pickle
import time
from collections import Counter
from pathlib import Path
from typing import Optional

FORMAT = 3  # bump when the layout of a cached part changes
PARALLEL_MIN_BYTES = 1_500_000  # below this much to read, starting worker processes does not pay
PARALLEL_MIN_FILES = 3
MAX_AGE_DAYS = 30  # entries not used for this long are removed


# ---- keys ------------------------------------------------------------------------------------------

def _canon(obj, depth: int = 0):
    """A deterministic, hash-seed-independent text form of config data (sets sorted, dataclasses by field)."""
    if depth > 12:
        return repr(obj)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return (type(obj).__name__,
                tuple((f.name, _canon(getattr(obj, f.name), depth + 1)) for f in dataclasses.fields(obj)
                      if f.name != "problems"))
    if isinstance(obj, dict):
        items = [(_canon(k, depth + 1), _canon(v, depth + 1)) for k, v in obj.items()]
        return ("dict", tuple(sorted(items, key=repr)))
    if isinstance(obj, (set, frozenset)):
        return ("set", tuple(sorted((_canon(x, depth + 1) for x in obj), key=repr)))
    if isinstance(obj, (list, tuple)):
        return tuple(_canon(x, depth + 1) for x in obj)
    return repr(obj)


# The modules whose code decides what a file normalises to. A change to any of them (an upgrade, a fix)
# makes every entry stale; a module that starts to take part in reading belongs in this list.
PARSE_MODULES = ("normalise/cache", "normalise/columns", "normalise/config", "normalise/dates", "defaults", "errors",
                 "normalise/headers", "read/inspect", "read/cfb", "read/limits", "read/sheetscan", "read/xlsx", "read/zipio",
                 "read/reader", "normalise/registers", "normalise/text",
                 "disclosure/registers", "disclosure/tables", "disclosure/layout")


def _code_fingerprint() -> str:
    """govxl's version, its reading code (sizes, mtimes) and the reading library's version."""
    from .. import __version__

    root = Path(__file__).resolve().parent.parent  # the package: PARSE_MODULES are paths in it
    h = hashlib.sha256(f"format {FORMAT} govxl {__version__}".encode())
    for name in PARSE_MODULES:
        p = root / f"{name}.py"
        try:
            st = p.stat()
        except OSError:
            continue
        h.update(f"{name}:{st.st_size}:{st.st_mtime_ns};".encode())
    try:
        import python_calamine

        h.update(str(getattr(python_calamine, "__version__", "")).encode())
    except ImportError:
        pass
    return h.hexdigest()


def reader_fingerprint(reader) -> str:
    """Everything besides the file itself that decides what a file normalises to."""
    cfg = reader.cfg
    h = hashlib.sha256(_code_fingerprint().encode())
    h.update(repr(_canon(cfg)).encode("utf-8"))
    h.update(repr((reader.year, reader.size_limit)).encode())
    return h.hexdigest()


def file_key(path: Path, shown: str, env: str) -> Optional[str]:
    """size + mtime + content hash of the file, with the environment key. None when it cannot be read."""
    try:
        # O_NONBLOCK and the check on the opened file: a name swapped for a pipe since it was listed
        # answers at once and is left to the reader, which refuses it
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with open(fd, "rb") as fh:
            st = os.fstat(fh.fileno())
            if not stat.S_ISREG(st.st_mode):
                return None
            h = hashlib.sha256()
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return None
    k = hashlib.sha256()
    k.update(f"{env}\0{shown}\0{st.st_size}\0{st.st_mtime_ns}\0{h.hexdigest()}".encode("utf-8"))
    return k.hexdigest()


# ---- safe loading ------------------------------------------------------------------------------------

_ALLOWED_BUILTINS = {"set", "frozenset", "slice", "range", "complex", "bytearray"}
_ALLOWED_COLLECTIONS = {"Counter", "OrderedDict", "defaultdict", "deque"}


class _SafeUnpickler(pickle.Unpickler):
    """Builds govxl's record types and plain data only: a planted cache file cannot run code."""

    def find_class(self, module, name):
        if module.startswith("govxl."):
            cls = super().find_class(module, name)
            # records only: a dataclass's __init__ just stores its fields; _Row is a located data row
            if isinstance(cls, type) and (dataclasses.is_dataclass(cls) or (module, name) == ("govxl.normalise.registers", "_Row")):
                return cls
        elif module == "datetime" and name in ("datetime", "date", "time", "timedelta", "timezone"):
            return super().find_class(module, name)
        elif module == "collections" and name in _ALLOWED_COLLECTIONS:
            return super().find_class(module, name)
        elif module == "builtins" and name in _ALLOWED_BUILTINS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"not allowed in the register cache: {module}.{name}")


# A part travels (to the parent process, into the cache) with its items as columns: one list per Item
# init field plus the title keys. Unpickling half a million item objects one by one (a reduce call each)
# was most of what a warm year cost; lists of plain values unpickle in C, and the items are then made
# by one map() over the columns.
def _item_fields() -> tuple:
    from .registers import Item

    return tuple(f.name for f in dataclasses.fields(Item) if f.init)


def dumps(part) -> bytes:
    """A part (read_part's, or one with Items whose title keys are worked out) as sent and cached."""
    res, pending, seq = part
    items, res.items = res.items, []
    try:
        names = _item_fields()
        if type(items) is ItemColumns:
            columns, keys = items.columns, items.keys
        else:
            columns = list(zip(*map(operator.attrgetter(*names), items))) if items else [[] for _ in names]
            keys = [it._title_key for it in items]
        columns = _shared_columns(names, columns)
        columns = [_packed_texts(c) if name == "title" else c for name, c in zip(names, columns)]
        buf = io.BytesIO()
        pickle.Pickler(buf, protocol=pickle.HIGHEST_PROTOCOL).dump(
            (res, pending, seq, names, len(items), columns, _packed_texts(keys)))
        return buf.getvalue()
    finally:
        res.items = items


# The titles and their keys (all different) travel joined into one string sent as UTF-16: decoded and split
# in one go, they unpickle faster than lists of texts each decoded from UTF-8 on its own, and an entry is
# smaller (docs/performance.md). Texts holding the separator or a lone surrogate travel as a list.
_UTF16 = "utf-16-le"


def _packed_texts(texts: list):
    joined = "\x00".join(texts) if texts else None
    if joined is not None and joined.count("\x00") == len(texts) - 1:
        try:
            return (_UTF16, joined.encode(_UTF16))
        except UnicodeEncodeError:  # a lone surrogate
            pass
    return texts


def _unpacked(col, n: int):
    if type(col) is not tuple:
        return col
    how, value = col
    if how == _UTF16 and type(value) is bytes:
        texts = value.decode(_UTF16).split("\x00")
        if len(texts) == n:
            return texts
    raise pickle.UnpicklingError("register cache entry with a column of another form")


def loads(data: bytes):
    from .registers import Item

    res, pending, seq, names, n, columns, keys = _SafeUnpickler(io.BytesIO(data)).load()
    if tuple(names) != _item_fields():
        raise pickle.UnpicklingError("register cache entry of another Item layout")
    items = list(map(Item, *(_unpacked(c, n) for c in columns)))
    for it, k in zip(items, _unpacked(keys, n)):
        it._title_key = k
    res.items = items
    return res, pending, seq


class RegisterCache:
    """out/.cache/registers/<key>.pickle: one entry per register file."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.used: set = set()

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.pickle"

    def get(self, key: str) -> Optional[bytes]:
        p = self._path(key)
        try:
            data = p.read_bytes()
        except OSError:
            return None
        self.used.add(key)
        try:
            os.utime(p)
        except OSError:
            pass
        return data

    def put(self, key: str, data: bytes):
        store(self.folder, key, data)
        self.used.add(key)

    def prune(self, max_age_days: float = MAX_AGE_DAYS):
        """Remove entries not used by this run and not used for max_age_days."""
        cutoff = time.time() - max_age_days * 86400
        try:
            entries = list(self.folder.iterdir())
        except OSError:
            return
        for p in entries:
            if p.suffix != ".pickle" and not p.name.startswith(".tmp-"):
                continue
            if p.stem in self.used:
                continue
            try:
                if p.stat().st_mtime < cutoff:
                    p.unlink()
            except OSError:
                pass


def store(folder: Path, key: str, data: bytes):
    """Write one entry atomically (a reader sees the old entry or the new one, never half of one)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / f".tmp-{os.getpid()}-{key}"
        tmp.write_bytes(data)
        os.replace(tmp, folder / f"{key}.pickle")
    except OSError:
        pass  # a cache that cannot be written is only slower


# ---- one file -> a part --------------------------------------------------------------------------------

def _slim_pending(pending: list) -> list:
    """Adoption-register rows wait for all files to be read; keep their location, drop their sheet's cells."""
    from ..read.reader import Grid
    from .registers import _Row

    for entry in pending:
        for x in entry:
            if isinstance(x, _Row):
                g = x.grid
                x.grid = Grid(g.file, g.sheet, [], g.origin, [], g.hidden)
                x.values = []
                x.fill = {}
                for name, value in list(vars(x).items()):
                    if type(value).__name__ == "RegisterReader":
                        setattr(x, name, None)
    return pending


def read_part(cfg, year, size_limit, path, memos: Optional[dict] = None) -> tuple:
    """What one file contributes: (ReadResult of that file alone, its pending adoption rows, items made),
    the ReadResult's items as ItemColumns — what dumps() sends.
    memos: the judged values kept from the files read before with this config and year (columns.ColumnPlan).
    The items' title keys are worked out here, all of the file's at once (in the worker, so the parent
    need not), with a digest of each for 首报; equal values are shared when the part is sent (dumps)."""
    from .registers import RegisterReader, digests_of_keys
    from .text import norm_titles

    rr = RegisterReader(cfg, year=year, size_limit=size_limit, memos=memos, runs=True)
    rr.read_path(Path(path))
    columns = item_columns(rr.res.items)
    keys = norm_titles(columns[_item_fields().index("title")])
    rr.res.items = ItemColumns(columns, keys)
    rr.res.title_digests = digests_of_keys(keys)
    return (rr.res, _slim_pending(rr._pending_adoptions), rr._seq)


class ItemColumns:
    """A file's items as read to be sent: a column per Item field (in _item_fields() order) and their
    title keys. len() is the number of items."""

    __slots__ = ("columns", "keys")

    def __init__(self, columns: list, keys: list):
        self.columns, self.keys = columns, keys

    def __len__(self) -> int:
        return len(self.keys)


def item_columns(entries: list) -> list:
    """A column per Item field (in _item_fields() order) of items read with runs (Items and
    registers.ItemRuns, in order): an ItemRun's plain rows are taken apart column by column, its other
    fields follow from where the rows are or are Item's defaults."""
    from itertools import repeat

    from .columns import PLAIN_FIELDS
    from .registers import Item, ItemRun

    names = _item_fields()
    defaults = {f.name: f.default for f in dataclasses.fields(Item) if f.default is not dataclasses.MISSING}
    values = operator.attrgetter(*names)
    columns: list = [[] for _ in names]
    i, n = 0, len(entries)
    while i < n:
        run = entries[i]
        if type(run) is ItemRun:
            m = len(run)
            given = dict(zip(PLAIN_FIELDS, run.columns))
            given.update(seq=range(run.seq, run.seq + m), row=range(run.row, run.row + m),
                         file=repeat(run.file, m), sheet=repeat(run.sheet, m))
            for name, col in zip(names, columns):
                col.extend(given[name] if name in given else repeat(defaults[name], m))
            i += 1
            continue
        j = i + 1
        while j < n and type(entries[j]) is not ItemRun:
            j += 1
        for col, got in zip(columns, zip(*map(values, entries[i:j]))):
            col.extend(got)
        i = j
    return columns


# the item fields whose equal values are sent as one object (a register repeats its 信息类型, 撰稿人, 备注
# and dates on every row; each cell read is a new object), and those whose empty lists are sent as the
# shared empty tuple (most items have neither, and two empty lists an item add up over a year)
_SHARED_FIELDS = frozenset({"kind", "author", "note", "submitted"})
_EMPTY_AS_TUPLE = frozenset({"adoptions", "instructions"})


def _shared_columns(names, columns) -> list:
    """The item columns with equal texts and dates as one object each: pickled once, they stay shared in
    the parent, and a year of items takes far less memory. Values are immutable, so sharing changes nothing.
    Column by column, as dumps() takes them (an item at a time was several times slower)."""
    pool: dict = {}
    same = pool.setdefault
    out = []
    for name, col in zip(names, columns):
        if name in _SHARED_FIELDS:
            col = [same(v, v) for v in col]
        elif name in _EMPTY_AS_TUPLE:
            col = [v if v else () for v in col]
            if name == "adoptions":
                for ads in col:
                    for a in ads:
                        a.text = same(a.text, a.text)
                        if a.date is not None:
                            a.date = same(a.date, a.date)
        else:
            col = list(col)
        out.append(col)
    return out


def merge_part(reader, part):
    """Append one file's part to the reader's state, numbering its items after those already read."""
    res, pending, seq = part
    offset = reader._seq
    if offset:
        for it in res.items:
            it.seq += offset
    reader._seq += seq
    target = reader.res
    for f in dataclasses.fields(target):
        a, b = getattr(target, f.name), getattr(res, f.name)
        if isinstance(a, Counter):
            a.update(b)
        elif isinstance(a, (list, bytearray)):
            a.extend(b)
        elif isinstance(a, dict):
            a.update(b)
        elif isinstance(a, set):
            a |= b
        elif b != f.default and b is not None:
            setattr(target, f.name, b)
    reader._pending_adoptions.extend(pending)


# ---- worker processes -----------------------------------------------------------------------------------

_W: dict = {}


def _init_worker(cfg, year, size_limit, folder):
    _W.update(cfg=cfg, year=year, size_limit=size_limit, folder=folder, memos={})


@contextlib.contextmanager
def gc_paused():
    """Python's cyclic collector finds nothing to free among half a million fresh records (they hold no
    reference cycles) but walks them all again and again while they are made: ~25 % of reading and
    scoring a province year. Paused for such a stretch, then on again as it was."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _work(path: str, key: Optional[str]) -> bytes:
    with gc_paused():
        data = dumps(read_part(_W["cfg"], _W["year"], _W["size_limit"], path, _W["memos"]))
    if key and _W["folder"] is not None:
        store(Path(_W["folder"]), key, data)
    return data


def _pool(n: int, initargs: tuple):
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    # fork is cheap and inherits what is already imported; spawn where fork is not available (Windows)
    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    return ProcessPoolExecutor(n, mp_context=mp.get_context(method), initializer=_init_worker, initargs=initargs)


def worker_count(todo_bytes: int, todo_files: int) -> int:
    env = os.environ.get("GOVXL_WORKERS", "").strip()
    if env.isdigit():
        return max(1, min(int(env), todo_files))
    if todo_files < PARALLEL_MIN_FILES or todo_bytes < PARALLEL_MIN_BYTES:
        return 1
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cpus, 8, todo_files))


# ---- all files -------------------------------------------------------------------------------------------

def read_all(reader, files: list, *, cache_dir: Optional[Path] = None) -> dict:
    """Read every file into the reader (a registers.RegisterReader), in order. Returns counters for the log.

    cache_dir: the output folder's .cache (None: no cache, as for `check`, which writes nothing).
    GOVXL_NO_CACHE=1 turns the cache off, GOVXL_WORKERS=N fixes the number of worker processes."""
    from ..read.reader import display_path

    if os.environ.get("GOVXL_NO_CACHE", "").strip() not in ("", "0"):
        cache_dir = None
    cache = RegisterCache(Path(cache_dir) / "registers") if cache_dir is not None else None
    env = reader_fingerprint(reader) if cache is not None else ""
    jobs = []  # (path, key, cached bytes or None)
    for path in files:
        key = file_key(path, display_path(path), env) if cache is not None else None
        data = cache.get(key) if key else None
        jobs.append((path, key, data))
    todo = [(p, k) for p, k, d in jobs if d is None]
    todo_bytes = 0
    for p, _ in todo:
        try:
            todo_bytes += os.stat(p).st_size
        except OSError:
            pass
    n = worker_count(todo_bytes, len(todo))
    stats = {"files": len(files), "cached": len(files) - len(todo), "workers": n}
    memos: dict = {}  # for the files read here (columns.ColumnPlan)
    futures = {}
    pool = None
    if n > 1:
        try:
            pool = _pool(n, (reader.cfg, reader.year, reader.size_limit, str(cache.folder) if cache else None))
            # biggest first keeps both workers busy to the end; merging still follows register order
            for p, k in sorted(todo, key=lambda pk: -_size(pk[0])):
                futures[str(p)] = pool.submit(_work, str(p), k)
        except (OSError, ValueError, RuntimeError):
            futures, pool = {}, None
    try:
        # parts are unpickled as the workers finish them (the parent has nothing else to do meanwhile),
        # then merged in register order
        done: dict = {}
        if futures:
            from concurrent.futures import as_completed

            path_of = {f: p for p, f in futures.items()}
            for fut in as_completed(path_of):
                try:
                    done[path_of[fut]] = loads(fut.result())
                except _broken_pool_errors():
                    pass  # a worker died: its files are read here below
        for path, key, data in jobs:
            part = None
            if data is not None:
                try:
                    part = loads(data)
                except Exception:  # a damaged or foreign entry: read the file again
                    part = None
                    stats["cached"] -= 1
            if part is None:
                part = done.pop(str(path), None)
                if part is None:
                    # as a worker's: what it sends is what is kept (equal values shared, empty lists ())
                    data = dumps(read_part(reader.cfg, reader.year, reader.size_limit, path, memos))
                    if key:
                        cache.put(key, data)
                    part = loads(data)
                elif key:
                    cache.used.add(key)
            merge_part(reader, part)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
    if cache is not None:
        cache.prune()
    return stats


def _size(p) -> int:
    try:
        return os.stat(p).st_size
    except OSError:
        return 0


def _broken_pool_errors() -> tuple:
    from concurrent.futures.process import BrokenProcessPool

    return (BrokenProcessPool, EOFError, pickle.UnpicklingError)
