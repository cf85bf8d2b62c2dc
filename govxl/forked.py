"""One piece of work done beside the main process, in a forked child, while the parent goes on.

After the registers are read, govxl has two cores and one busy process: the parent scores the year to
date and the trend while the second core waits. `Forked(fn, *args)` starts fn(*args) in a child forked
from the parent — it sees the parent's memory as it was (half a million items need no copying and no
pickling) — and `result()` returns its value, sent back through a pipe. fn's value must be small and
picklable.

Where fork is not available (Windows) or the child fails in any way, `result()` returns None and the
caller does the work itself: the child only ever saves time, it never decides anything.
"""
from __future__ import annotations

import pickle
from typing import Any, Optional


class Forked:
    def __init__(self, fn, *args):
        self._proc = self._conn = None
        try:
            import multiprocessing as mp

            if "fork" not in mp.get_all_start_methods():
                return
            ctx = mp.get_context("fork")
            recv, send = ctx.Pipe(duplex=False)
            proc = ctx.Process(target=_run, args=(send, fn, args), daemon=True)
            proc.start()  # flushes stdout/stderr first: nothing buffered is written twice
            send.close()
            self._proc, self._conn = proc, recv
        except (OSError, ValueError, RuntimeError):
            self._proc = self._conn = None

    @property
    def started(self) -> bool:
        return self._proc is not None

    def result(self) -> Optional[Any]:
        """The child's value (waiting for it), or None when there is no child or it failed."""
        if self._proc is None:
            return None
        value = None
        try:
            ok, value = self._conn.recv()
            if not ok:
                value = None
        except (EOFError, OSError, pickle.UnpicklingError, TypeError, ValueError):
            value = None
        self._finish()
        return value

    def close(self):
        """Stop the child if it is still working (the parent no longer needs it)."""
        if self._proc is None:
            return
        if self._proc.is_alive():
            self._proc.terminate()
        self._finish()

    def _finish(self):
        proc, conn, self._proc, self._conn = self._proc, self._conn, None, None
        try:
            conn.close()
        finally:
            proc.join()


def _run(conn, fn, args):
    try:
        value = (True, fn(*args))
    except BaseException:  # any failure: the parent does the work itself
        value = (False, None)
    try:
        conn.send(value)
    finally:
        conn.close()
