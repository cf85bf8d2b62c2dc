"""Writing outputs without ever losing or half-writing anything (spec §8).

Each output is written to a temporary file in the target folder, flushed to disk and moved into
place in one rename, so a reader (or a colleague's Excel) sees either the old file or the new
one, never half of one. A target that is open in Excel/WPS (its ~$ lock file exists, or the move
is refused) is not overwritten: the new result is left beside it under a name that says so
(pending_name) and OutputLocked (exit 3) is raised naming the file and asking to close it.

Runs on the same out/ folder are serialised with an OS file lock (out_lock): the second run
waits, with a message, up to --wait seconds. The operating system releases the lock when a run
dies, even by SIGKILL or a power cut of the client, so a stale lock never blocks anyone.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sys
import tempfile
import time
import unicodedata
from pathlib import Path
from typing import Callable, Optional

from ..errors import OutputLocked, os_reason

TMP_PREFIX = ".govxl-tmp-"
LOCK_NAME = ".govxl.lock"
STALE_TMP_SECONDS = 3600  # temp files older than this were left by a killed run
REPLACE_RETRIES = 4  # Windows: an antivirus or indexer may hold a fresh file for a moment


# ---- output names ---------------------------------------------------------------------------------------

# Characters no file name may hold on Windows (the strictest of the systems a share serves), and names
# Windows reserves for devices whatever their extension
_NOT_IN_NAMES = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
# The office's name in a file name: 40 characters keep the longest output name (with the （新结果…）
# tag) under 255 UTF-8 bytes and a path in a typical shared folder under Windows' 260 characters
NAME_PART_CHARS = 40
NOTICE_STEM = "政务信息报送采用情况通报"


def name_part(text: str, *, limit: int = NAME_PART_CHARS, fallback: str = "") -> str:
    """text made safe to stand in an output file name: no folder separators or characters Windows
    refuses (each becomes _), no leading or trailing dots and spaces, no device name, at most `limit`
    characters. So a name from the config (机关名称, a unit) can never lead outside the out folder."""
    s = _NOT_IN_NAMES.sub("_", unicodedata.normalize("NFC", str(text or "")))
    s = s.strip(" .")
    if len(s) > limit:
        s = s[:limit].rstrip(" .")
    if s.split(".")[0].upper() in _RESERVED:
        s = "_" + s
    return s or fallback


def output_stem(office: str, period_title: str) -> str:
    """The one name of a period's ranking workbook, notice and their mail attachments, as a clerk writes
    it: 安澜县人民政府办公室2025年10月政务信息报送采用情况通报."""
    return f"{name_part(office)}{name_part(period_title, limit=60)}{NOTICE_STEM}"


def office_lock_path(target: Path) -> Path:
    """The lock file Excel/WPS keep beside an open workbook: ~$name."""
    target = Path(target)
    return target.with_name("~$" + target.name)


def office_lock_candidates(target: Path) -> list:
    """Every lock-file name an office program may keep for target.

    Excel and WPS write ~$name; Word (and Excel for long names on some versions) replace the
    first two characters of the name instead; LibreOffice writes .~lock.name#.
    """
    target = Path(target)
    name = target.name
    cands = [target.with_name("~$" + name)]
    if len(name) > 2:
        cands.append(target.with_name("~$" + name[2:]))
    if len(name) > 1:
        cands.append(target.with_name("~$" + name[1:]))
    cands.append(target.with_name(".~lock." + name + "#"))
    return cands


def is_open_elsewhere(target: Path) -> bool:
    return any(p.exists() for p in office_lock_candidates(target))


def pending_name(target: Path, n: int = 1) -> Path:
    """Where a new result goes when the target is open: 'name（新结果，原文件被占用）.xlsx'."""
    target = Path(target)
    tag = "新结果，原文件被占用" if n == 1 else f"新结果{n}，原文件被占用"
    return target.with_name(f"{target.stem}（{tag}）{target.suffix}")


def _tmp_prefix(target: Path) -> str:
    """Temp files of one target share a prefix, so a run can find what a killed run left of its own."""
    return f"{TMP_PREFIX}{hashlib.sha1(target.name.encode('utf-8', 'surrogateescape')).hexdigest()[:10]}-"


def atomic_write(target: Path, write: Callable[[Path], None]) -> Path:
    """Call write(tmp_path), then move tmp into target. Returns the target path.

    Raises OutputLocked (exit 3) when the target is open elsewhere, read-only, cannot be replaced, or its
    folder cannot be written; the existing target is then left exactly as it was. The new file gets the
    target's mode when it replaces one, else what the user's umask gives, like any program's file.
    """
    target = Path(target)
    if target.is_dir():
        raise OutputLocked(f"无法写入 {target}：这是一个文件夹，请指定文件名", path=str(target))
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _sweep_own_tmp(target)
        fd, tmp = tempfile.mkstemp(prefix=_tmp_prefix(target), suffix=target.suffix, dir=str(target.parent))
        os.close(fd)
    except OSError as exc:
        raise OutputLocked(f"无法在文件夹 {target.parent} 中写入文件（{_why(exc)}），请检查该文件夹是否存在、"
                           f"是否有写入权限", path=str(target)) from exc
    tmp_path = Path(tmp)
    try:
        try:
            write(tmp_path)
            _fsync(tmp_path)
        except OSError as exc:
            raise OutputLocked(f"写入 {target} 时出错（{_why(exc)}），原文件未改动", path=str(target)) from exc
        _share_mode(tmp_path, target)  # after writing: mkstemp makes 0600; colleagues on the share must read it
        _refuse_read_only(target, tmp_path)
        if is_open_elsewhere(target):
            _park(tmp_path, target)
        _replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            with contextlib.suppress(OSError):
                tmp_path.unlink()
    _sweep_stale_tmp(target.parent)
    return target


def _refuse_read_only(target: Path, tmp_path: Path):
    """A target marked read-only (no write bit, or not writable by this user) is never replaced, though
    the folder would let a rename through and root may write anything: the new result is parked beside
    it (exit 3), the file stays as it was."""
    try:
        st = os.stat(target)
    except OSError:
        return
    if not (st.st_mode & 0o222 and os.access(target, os.W_OK)):
        _park(tmp_path, target)


def _replace(tmp_path: Path, target: Path):
    for attempt in range(REPLACE_RETRIES):
        try:
            os.replace(tmp_path, target)
            return
        except PermissionError:
            # Excel holds the file open (Windows refuses the rename), it is read-only, or an
            # antivirus scanner holds one of the files for a moment: retry briefly, then park
            if attempt + 1 < REPLACE_RETRIES:
                time.sleep(0.1 * (attempt + 1))
                continue
            _park(tmp_path, target)
        except IsADirectoryError as exc:
            raise OutputLocked(f"无法写入 {target}：这是一个文件夹，请指定文件名", path=str(target)) from exc
        except OSError as exc:
            raise OutputLocked(f"无法写入 {target}（{_why(exc)}），原文件未改动", path=str(target)) from exc


def _park(tmp_path: Path, target: Path):
    """Leave the new result beside the open target and stop with exit 3."""
    side = None
    for n in range(1, 10):
        cand = pending_name(target, n)
        if is_open_elsewhere(cand):
            continue
        try:
            os.replace(tmp_path, cand)
            side = cand
            break
        except OSError:
            continue
    saved = f"本次结果已另存为 {side.name}" if side else "本次结果也无法另存（同名文件均被占用），请关闭相关文件后重新运行"
    raise OutputLocked(
        f"输出文件 {target} 正在被 Excel/WPS 打开（或为只读），未覆盖。请关闭该文件后重新运行；{saved}",
        path=str(target),
    )


def _share_mode(tmp_path: Path, target: Path):
    try:
        if target.exists():
            mode = target.stat().st_mode & 0o777
        else:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp_path, mode)
    except OSError:
        pass


def _fsync(path: Path):
    try:
        fd = os.open(str(path), os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _sweep_stale_tmp(folder: Path):
    """Remove temp files a killed run left behind (old enough that no live run can own them)."""
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for e in entries:
        if e.name.startswith(TMP_PREFIX):
            with contextlib.suppress(OSError):
                if now - e.stat().st_mtime > STALE_TMP_SECONDS:
                    os.unlink(e.path)


def _sweep_own_tmp(target: Path):
    """Remove what a killed run left of this target, whatever its age, when this run holds the lock of
    the out folder it lies in: no other govxl can be writing there then."""
    folder = target.parent.resolve()
    if not any(folder == held or held in folder.parents for held in _HELD):
        return
    prefix = _tmp_prefix(target)
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for e in entries:
        if e.name.startswith(prefix):
            with contextlib.suppress(OSError):
                os.unlink(e.path)


_HELD: list = []  # out folders whose lock this process holds (out_lock)


def _why(exc: OSError) -> str:
    return os_reason(exc)


def _say(msg: str):
    print(msg, file=sys.stderr, flush=True)


@contextlib.contextmanager
def out_lock(out_dir: Path, wait: float = 60.0, *, notify: Optional[Callable[[str], None]] = None):
    """Serialise govxl runs on one out/ folder.

    The second run prints a message and waits up to `wait` seconds, then gives up with
    OutputLocked (exit 3). The lock is an OS lock on out/.govxl.lock: it is released when the
    holder exits or is killed, so a crashed run never leaves the folder locked.
    """
    from filelock import FileLock, Timeout

    out_dir = Path(out_dir)
    wait = max(0.0, float(wait))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except FileExistsError as exc:
        raise OutputLocked(f"输出文件夹 {out_dir} 已被一个同名文件占用，请改用 --out 指定其他文件夹",
                           path=str(out_dir)) from exc
    except OSError as exc:
        raise OutputLocked(f"无法创建输出文件夹 {out_dir}（{_why(exc)}）", path=str(out_dir)) from exc
    lock = FileLock(str(out_dir / LOCK_NAME), mode=0o666)
    try:
        try:
            lock.acquire(timeout=0)
        except Timeout:
            (notify or _say)(f"另一个 govxl 正在写入 {out_dir}，等待其完成（最多 {wait:g} 秒）……")
            try:
                lock.acquire(timeout=wait)
            except Timeout:
                raise OutputLocked(f"等待 {wait:g} 秒后，{out_dir} 仍被另一个 govxl 运行占用，请稍后再试"
                                   f"（可用 --wait 调整等待秒数）", path=str(out_dir)) from None
    except OSError as exc:
        raise OutputLocked(f"无法在 {out_dir} 中创建锁文件（{_why(exc)}），请检查该文件夹是否可写",
                           path=str(out_dir)) from exc
    held = out_dir.resolve()
    _HELD.append(held)
    try:
        yield
    finally:
        _HELD.remove(held)
        lock.release()
