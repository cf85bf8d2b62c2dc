"""Shared folders (spec §8): outputs replace atomically, open ones are never overwritten, runs on
one out/ folder wait for each other, a killed run's lock is recovered, inputs are never written."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import hash_tree, write_config, write_xlsx
from govxl.errors import EXIT_LOCKED, OutputLocked
from govxl.write.safeio import (LOCK_NAME, TMP_PREFIX, atomic_write, is_open_elsewhere, office_lock_candidates, out_lock,
                          pending_name)

ROOT = Path(__file__).resolve().parents[1]
MONTH = "2025-10"


def sha(p: Path) -> str:
    return hashlib.sha256(Path(p).read_bytes()).hexdigest()


def write_text(text):
    return lambda tmp: Path(tmp).write_text(text, encoding="utf-8")


def leftovers(folder: Path) -> list:
    return sorted(p.name for p in Path(folder).iterdir() if p.name.startswith(TMP_PREFIX))


# ---------------------------------------------------------------------------------------------
# atomic_write


def test_atomic_write_replaces_and_leaves_no_temp(tmp_path):
    target = tmp_path / "子目录" / "结果 文件.json"
    atomic_write(target, write_text("一"))
    atomic_write(target, write_text("二"))
    assert target.read_text(encoding="utf-8") == "二"
    assert leftovers(target.parent) == []
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask  # readable by colleagues, not 0600


@pytest.mark.parametrize("lock_name", ["~${name}", ".~lock.{name}#", "~${short}"])
def test_open_target_is_not_overwritten(tmp_path, lock_name):
    target = tmp_path / "XX县2025-10通报.xlsx"
    target.write_bytes(b"old")
    (tmp_path / lock_name.format(name=target.name, short=target.name[2:])).write_bytes(b"")
    assert is_open_elsewhere(target)
    with pytest.raises(OutputLocked) as ei:
        atomic_write(target, lambda tmp: Path(tmp).write_bytes(b"new"))
    assert ei.value.exit_code == EXIT_LOCKED == 3
    msg = ei.value.message
    assert str(target) in msg and "请关闭该文件" in msg
    side = pending_name(target)
    assert side.name in msg and "新结果" in side.name
    assert target.read_bytes() == b"old"
    assert side.read_bytes() == b"new"
    assert leftovers(tmp_path) == []


def test_pending_name_taken_too_gets_a_numbered_name(tmp_path):
    target = tmp_path / "通报.xlsx"
    target.write_bytes(b"old")
    office_lock_candidates(target)[0].write_bytes(b"")
    office_lock_candidates(pending_name(target))[0].write_bytes(b"")  # the first side file is open too
    with pytest.raises(OutputLocked) as ei:
        atomic_write(target, lambda tmp: Path(tmp).write_bytes(b"new"))
    second = pending_name(target, 2)
    assert second.read_bytes() == b"new" and second.name in ei.value.message
    assert not pending_name(target).exists()


def test_refused_move_parks_the_result(tmp_path):
    """The rename itself is refused (as Windows does for a file Excel holds open): an immutable file."""
    target = tmp_path / "通报.xlsx"
    target.write_bytes(b"old")
    if subprocess.run(["chattr", "+i", str(target)], capture_output=True).returncode != 0:
        pytest.skip("chattr +i not available on this file system")
    try:
        with pytest.raises(OutputLocked) as ei:
            atomic_write(target, lambda tmp: Path(tmp).write_bytes(b"new"))
    finally:
        subprocess.run(["chattr", "-i", str(target)], capture_output=True)
    assert target.read_bytes() == b"old"
    assert pending_name(target).read_bytes() == b"new"
    assert "请关闭该文件" in ei.value.message
    assert leftovers(tmp_path) == []


def test_failed_write_keeps_the_old_file(tmp_path):
    target = tmp_path / "通报.xlsx"
    target.write_bytes(b"old")

    def broken(tmp):
        Path(tmp).write_bytes(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OutputLocked) as ei:
        atomic_write(target, broken)
    assert "原文件未改动" in ei.value.message
    assert target.read_bytes() == b"old"
    assert leftovers(tmp_path) == []


def test_unwritable_folder_is_exit_3_not_a_crash(tmp_path):
    (tmp_path / "out").write_bytes(b"a file where a folder should be")
    with pytest.raises(OutputLocked) as ei:
        atomic_write(tmp_path / "out" / "通报.xlsx", write_text("x"))
    assert "out" in ei.value.message
    with pytest.raises(OutputLocked):
        with out_lock(tmp_path / "out", 0):
            pass


def test_stale_temp_files_from_a_killed_run_are_swept(tmp_path):
    old = tmp_path / f"{TMP_PREFIX}abc.xlsx"
    fresh = tmp_path / f"{TMP_PREFIX}def.xlsx"
    old.write_bytes(b"x")
    fresh.write_bytes(b"y")
    two_hours_ago = time.time() - 7200
    os.utime(old, (two_hours_ago, two_hours_ago))
    atomic_write(tmp_path / "通报.xlsx", write_text("z"))
    assert not old.exists()
    assert fresh.exists()  # might belong to a run in progress


# ---------------------------------------------------------------------------------------------
# two runs on one out/ folder, with real processes


HOLDER = textwrap.dedent("""
    import os, sys, time
    from pathlib import Path
    from govxl.write.safeio import out_lock
    out, ready, release, released = map(Path, sys.argv[1:5])
    with out_lock(out, 0):
        ready.write_text(str(time.time()))
        while not release.exists():
            time.sleep(0.02)
        released.write_text(repr(time.time()))
""")


@pytest.fixture
def workspace(tmp_path):
    write_config(tmp_path / "govxl.xlsx")
    rows = [["单位", "信息标题", "报送日期", "采用情况"]]
    for i in range(30):
        rows.append([["城关镇", "青石镇", "县教育局"][i % 3], f"第{i}条信息：全县秋粮收购进展顺利",
                     dt.datetime(2025, 10, 1 + i % 28), "市采用" if i % 4 == 0 else None])
    write_xlsx(tmp_path / "workbooks" / "2025年信息台账.xlsx", {"十月": rows})
    return tmp_path


def start_holder(tmp_path, out):
    ready, release, released = tmp_path / "ready", tmp_path / "release", tmp_path / "released"
    p = subprocess.Popen([sys.executable, "-c", HOLDER, str(out), str(ready), str(release), str(released)],
                         cwd=ROOT)
    deadline = time.monotonic() + 20
    while not ready.exists():
        assert p.poll() is None, "lock holder died"
        assert time.monotonic() < deadline, "lock holder never got the lock"
        time.sleep(0.02)
    return p, release, released


def run_govxl(ws, *args, wait=None, **kw):
    cmd = [sys.executable, "-m", "govxl", *args]
    if wait is not None:
        cmd += ["--wait", str(wait)]
    return subprocess.Popen(cmd, cwd=ws, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def test_second_run_waits_for_the_first_and_never_interleaves(workspace, tmp_path):
    out = workspace / "out"
    holder, release, released = start_holder(tmp_path, out)
    second = run_govxl(workspace, "score", "--month", MONTH, wait=60)
    try:
        time.sleep(1.5)
        assert second.poll() is None, "the second run did not wait"
        assert not (out / MONTH).exists(), "the second run wrote while the lock was held"
        release.write_text("go")
        holder.wait(timeout=20)
        _, err = second.communicate(timeout=60)
    finally:
        for p in (holder, second):
            if p.poll() is None:
                p.kill()
    err = err.decode("utf-8")
    assert second.returncode == 0, err
    assert "另一个 govxl 正在写入" in err and "等待" in err
    book = next((out / MONTH).glob("*.xlsx"))
    assert book.stat().st_mtime >= float(released.read_text())  # written only after the release
    assert leftovers(out / MONTH) == []


def test_wait_gives_up_with_exit_3(workspace, tmp_path):
    out = workspace / "out"
    holder, release, _ = start_holder(tmp_path, out)
    try:
        t0 = time.monotonic()
        second = run_govxl(workspace, "score", "--month", MONTH, "--result", "结果.json", wait=1)
        _, err = second.communicate(timeout=60)
        took = time.monotonic() - t0
    finally:
        release.write_text("go")
        holder.wait(timeout=20)
    err = err.decode("utf-8")
    assert second.returncode == 3, err
    assert "仍被另一个 govxl 运行占用" in err and "--wait" in err
    assert took < 30
    assert not (out / MONTH).exists()
    res = json.loads((workspace / "结果.json").read_text(encoding="utf-8"))
    assert res["exit_code"] == 3 and "占用" in res["error"]


def test_lock_of_a_killed_run_is_recovered(workspace, tmp_path):
    out = workspace / "out"
    holder, _, _ = start_holder(tmp_path, out)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=20)
    assert (out / LOCK_NAME).exists()  # the lock file stays behind, but the OS lock died with its owner
    t0 = time.monotonic()
    r = run_govxl(workspace, "score", "--month", MONTH, wait=30)
    _, err = r.communicate(timeout=60)
    err = err.decode("utf-8")
    assert r.returncode == 0, err
    assert "等待" not in err
    assert time.monotonic() - t0 < 25
    assert list((out / MONTH).glob("*.xlsx"))


def test_two_real_runs_at_once_both_finish_with_the_same_file(workspace):
    out = workspace / "out"
    runs = [run_govxl(workspace, "score", "--month", MONTH, "--result", f"r{i}.json", wait=60) for i in range(2)]
    errs = [p.communicate(timeout=120)[1].decode("utf-8") for p in runs]
    assert [p.returncode for p in runs] == [0, 0], errs
    books = list((out / MONTH).glob("*.xlsx"))
    assert len(books) == 1 and not any("新结果" in b.name for b in books)
    import openpyxl

    openpyxl.load_workbook(books[0]).close()  # a whole, valid workbook
    first = sha(books[0])
    again = run_govxl(workspace, "score", "--month", MONTH)
    again.communicate(timeout=60)
    assert sha(books[0]) == first  # deterministic: neither run left a half or mixed file
    assert leftovers(out / MONTH) == [] and leftovers(workspace) == []


def test_locked_output_through_the_cli(workspace):
    out = workspace / "out"
    first = run_govxl(workspace, "score", "--month", MONTH)
    first.communicate(timeout=60)
    book = next((out / MONTH).glob("*.xlsx"))
    before = sha(book)
    (book.parent / ("~$" + book.name)).write_bytes(b"\0" * 165)  # Excel has it open
    r = run_govxl(workspace, "score", "--month", MONTH, "--result", "结果.json")
    _, err = r.communicate(timeout=60)
    err = err.decode("utf-8")
    assert r.returncode == 3, err
    assert book.name in err and "请关闭该文件" in err
    assert sha(book) == before
    side = pending_name(book)
    assert side.exists() and side.name in err
    res = json.loads((workspace / "结果.json").read_text(encoding="utf-8"))
    assert res["exit_code"] == 3 and side.name in res["error"]


# ---------------------------------------------------------------------------------------------
# inputs are read-only


def test_inputs_are_never_written(workspace):
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("青石镇")
    for j, h in enumerate(["信息标题", "报送日期"]):
        ws.write(0, j, h)
    ws.write(1, 0, "青石镇召开秋冬季森林防火工作会")
    ws.write(1, 1, "2025-10-15")
    wb.save(str(workspace / "workbooks" / "青石镇.xls"))
    (workspace / "workbooks" / "县直 单位.csv").write_bytes(
        "单位,信息标题,报送日期\r\n县教育局,县教育局开展校园安全排查,2025/10/21\r\n".encode("gbk"))
    (workspace / "workbooks" / "~$2025年信息台账.xlsx").write_bytes(b"\0" * 165)  # someone has it open
    before = hash_tree(workspace / "workbooks")
    config_before = sha(workspace / "govxl.xlsx")
    for args in (["check"], ["check", "--json"], ["score", "--month", MONTH, "--notice"],
                 ["score", "--month", MONTH, "--json", "--result", "out/结果.json"]):
        r = run_govxl(workspace, *args)
        _, err = r.communicate(timeout=120)
        assert r.returncode in (0, 1), (args, err.decode("utf-8"))
        assert hash_tree(workspace / "workbooks") == before, args
        assert sha(workspace / "govxl.xlsx") == config_before, args
    assert sorted(p.name for p in workspace.iterdir()) == ["govxl.xlsx", "out", "workbooks"]
