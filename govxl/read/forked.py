"""Work handed to a forked copy of this process, on a machine's otherwise idle core.

After the registers are read, govxl scores and writes in one process while the second core waits. A
forked child shares the parent's memory copy-on-write: it sees the year's items without their being
sent. But each page either process writes after the fork is copied — a touched object's reference count,
a new object put in a free slot of a shared page — so a child costs memory in proportion to what both
do meanwhile (figures in docs/performance.md): only the rendering of a month's detail rows
(xlsxstream.RowStream.render_aside) is done so. Its cyclic collector
stays off (a collection walks, and so copies, every object), and it leaves by os._exit, flushing nothing
of the parent's. Where fork does not exist (Windows) or fails, nothing is started and the caller does
the work itself.
"""
from __future__ import annotations

import gc
import os
import warnings
from typing import Callable, Optional


def fork(body: Callable[[], None]) -> Optional[int]:
    """Run body() in a child process; its pid, or None when no child was started. The child's exit status
    is 0 when body() returned, 1 when it raised (the parent then does the work itself)."""
    if not hasattr(os, "fork"):
        return None
    try:
        with warnings.catch_warnings():
            # Python 3.12+ warns about fork in a process with threads (the duplicate check's may run):
            # the child runs no other thread's code and takes no lock the parent's threads hold
            warnings.simplefilter("ignore", DeprecationWarning)
            pid = os.fork()
    except OSError:
        return None
    if pid:
        return pid
    code = 1
    try:
        gc.disable()
        body()
        code = 0
    except BaseException:  # noqa: BLE001 — reported by the exit status; the parent does the work
        pass
    finally:
        os._exit(code)


def exited(pid: int, *, wait: bool) -> Optional[int]:
    """The child's exit code once it has ended (wait: block until then), else None."""
    done, status = os.waitpid(pid, 0 if wait else os.WNOHANG)
    return os.waitstatus_to_exitcode(status) if done else None


def stop(pid: int) -> None:
    """End a child that is no longer wanted, and reap it."""
    import signal

    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (OSError, ChildProcessError):
        pass
