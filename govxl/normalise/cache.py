"""Reading many registers fast: each file parsed once per change, several at a time where it pays.

A city or province office scores hundreds of registers every month, and the year to date needs the
whole year read each time. Two things keep that quick:

* **The parsed-register cache** in ``out/.cache/registers/``: what one file normalises to (its part:
  tables, problems and row accounting, `part.dumps` — Arrow IPC, which loads as columns and runs no code)
  is stored under a key made of the file's size, modification time and content hash, plus everything
  else the result depends on (the config's roster, rules and column mapping, the year, the file's
  displayed path, govxl's own reading code). A file whose bytes, size or mtime changed is always read
  again; a damaged or foreign entry is read again, never trusted.
* **Parallel reading**: when there is enough to read, files are read in worker processes
  (`concurrent.futures`, one per core), each handing back its part's bytes; the parts are joined in
  register order, so the result is the same as reading one file after the other.
"""
from __future__ import annotations

import dataclasses
import hashlib
import os
import stat
import time
from pathlib import Path
from typing import Optional

FORMAT = 5  # bump when the layout of a cached part changes
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
PARSE_MODULES = ("normalise/cache", "normalise/config", "normalise/dates", "defaults", "errors",
                 "normalise/headers", "read/inspect", "read/cfb", "read/limits", "read/sheetscan", "read/xlsx", "read/zipio",
                 "read/reader", "normalise/registers", "normalise/text", "normalise/judges", "normalise/part",
                 "normalise/rules", "normalise/sheet", "normalise/skips", "normalise/units", "normalise/whole",
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


class RegisterCache:
    """out/.cache/registers/<key>.arrow: one entry per register file."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.used: set = set()

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.arrow"

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
            if p.suffix != ".arrow" and not p.name.startswith(".tmp-"):
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
        os.replace(tmp, folder / f"{key}.arrow")
    except OSError:
        pass  # a cache that cannot be written is only slower


# ---- one file ------------------------------------------------------------------------------------------

def read_part(cfg, year, size_limit, path, memos: Optional[dict] = None) -> bytes:
    """What one file contributes, as bytes (part.dumps). memos: what the judges remember from the files
    read before with this config and year."""
    from .part import dumps
    from .registers import RegisterReader

    part = RegisterReader(cfg, year=year, size_limit=size_limit, memos=memos).read_path(Path(path))
    return dumps(part.tables(), part)


_W: dict = {}


def _init_worker(cfg, year, size_limit, folder):
    _W.update(cfg=cfg, year=year, size_limit=size_limit, folder=folder, memos={})


def _work(path: str, key: Optional[str]) -> bytes:
    data = read_part(_W["cfg"], _W["year"], _W["size_limit"], path, _W["memos"])
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

def _size(p) -> int:
    try:
        return os.stat(p).st_size
    except OSError:
        return 0


def _in_workers(reader, todo: list, cache) -> dict:
    """{path: bytes} of the files read in worker processes ({} when one process is enough or none start)."""
    from concurrent.futures import as_completed
    from concurrent.futures.process import BrokenProcessPool

    n = worker_count(sum(_size(p) for p, _ in todo), len(todo))
    if n <= 1:
        return {}
    done: dict = {}
    try:
        pool = _pool(n, (reader.cfg, reader.year, reader.size_limit, str(cache.folder) if cache else None))
    except (OSError, ValueError, RuntimeError):
        return {}
    with pool:
        # biggest first keeps every worker busy to the end; joining still follows register order
        futures = {pool.submit(_work, str(p), k): str(p) for p, k in sorted(todo, key=lambda pk: -_size(pk[0]))}
        for fut in as_completed(futures):
            try:
                done[futures[fut]] = fut.result()
            except (BrokenProcessPool, EOFError, OSError):
                pass  # a worker died: its files are read here
    return done


def _loaded(data: Optional[bytes]):
    from .part import loads

    if data is None:
        return None
    try:
        return loads(data)
    except Exception:  # a damaged or foreign entry: the file is read again
        return None


def read_all(reader, files: list, *, cache_dir: Optional[Path] = None) -> list:
    """[(Arrow tables, Part)] of every file (the reader: a registers.RegisterReader), in order.

    cache_dir: the output folder's .cache (None: no cache, as for `check`, which writes nothing).
    GOVXL_NO_CACHE=1 turns the cache off, GOVXL_WORKERS=N fixes the number of worker processes."""
    from ..read.reader import display_path
    from .part import loads

    if os.environ.get("GOVXL_NO_CACHE", "").strip() not in ("", "0"):
        cache_dir = None
    cache = RegisterCache(Path(cache_dir) / "registers") if cache_dir is not None else None
    env = reader_fingerprint(reader) if cache is not None else ""
    keys = [file_key(p, display_path(p), env) if cache is not None else None for p in files]
    parts = [_loaded(cache.get(k)) if k else None for k in keys]
    todo = [(p, k) for p, k, part in zip(files, keys, parts) if part is None]
    sent = _in_workers(reader, todo, cache)
    memos: dict = {}  # for the files read here
    for i, (path, key) in enumerate(zip(files, keys)):
        if parts[i] is not None:
            continue
        data = sent.pop(str(path), None)
        if data is None:
            data = read_part(reader.cfg, reader.year, reader.size_limit, path, memos)
            if key:
                cache.put(key, data)
        elif key:
            cache.used.add(key)
        parts[i] = loads(data)
    if cache is not None:
        cache.prune()
    return parts
