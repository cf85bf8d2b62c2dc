"""Writing outputs without ever losing or half-writing anything (spec §8).

Each output is written to a temporary file in the target folder and moved into place. A target
that is open in Excel/WPS (its ~$ lock file exists, or the move is refused) is not overwritten:
the new result is left beside it under a name that says so, and OutputLocked (exit 3) is raised.
Runs on the same out/ folder are serialised with a lock file in that folder.
"""
from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path
from typing import Callable

from .errors import OutputLocked


def office_lock_path(target: Path) -> Path:
    """The lock file Excel/WPS keep beside an open workbook: ~$name (first two chars replaced for long names)."""
    name = target.name
    return target.with_name("~$" + name)


def office_lock_candidates(target: Path) -> list:
    name = target.name
    cands = [target.with_name("~$" + name)]
    if len(name) > 2:
        cands.append(target.with_name("~$" + name[2:]))
    cands.append(target.with_name(".~lock." + name + "#"))  # LibreOffice
    return cands


def is_open_elsewhere(target: Path) -> bool:
    return any(p.exists() for p in office_lock_candidates(target))


def pending_name(target: Path) -> Path:
    """Where a new result goes when the target is open: 'name（新结果，原文件被占用）.xlsx'."""
    return target.with_name(f"{target.stem}（新结果，原文件被占用）{target.suffix}")


def atomic_write(target: Path, write: Callable[[Path], None]) -> Path:
    """Call write(tmp_path) then move tmp into target. Returns the target path."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".govxl-", suffix=target.suffix, dir=str(target.parent))
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        write(tmp_path)
        if is_open_elsewhere(target):
            _park(tmp_path, target)
        try:
            os.replace(tmp_path, target)
        except PermissionError:
            _park(tmp_path, target)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp_path.unlink()
            raise OutputLocked(f"无法写入 {target}：{exc.strerror or exc}", path=str(target)) from exc
    finally:
        if tmp_path.exists():
            with contextlib.suppress(OSError):
                tmp_path.unlink()
    return target


def _park(tmp_path: Path, target: Path):
    side = pending_name(target)
    with contextlib.suppress(OSError):
        os.replace(tmp_path, side)
    raise OutputLocked(
        f"输出文件 {target} 正在被 Excel/WPS 打开，未覆盖。请关闭该文件后重新运行；本次结果已另存为 {side.name}",
        path=str(target),
    )


@contextlib.contextmanager
def out_lock(out_dir: Path, wait: float = 60.0, *, notify: Callable[[str], None] = None):
    """Serialise govxl runs on one out/ folder. The lock is released by the OS if a run is killed."""
    from filelock import FileLock, Timeout

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    lock = FileLock(str(out_dir / ".govxl.lock"))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        (notify or (lambda m: print(m, file=sys.stderr)))(
            f"另一个 govxl 正在写入 {out_dir}，等待其完成（最多 {wait:g} 秒）……")
        try:
            lock.acquire(timeout=wait)
        except Timeout:
            raise OutputLocked(f"等待 {wait:g} 秒后，{out_dir} 仍被另一个 govxl 运行占用，请稍后再试",
                               path=str(out_dir)) from None
    try:
        yield
    finally:
        lock.release()
