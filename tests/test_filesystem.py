"""What a shared folder holds besides registers (issue 19, items 1–4 and 13): pipes, sockets, devices,
links that loop or point nowhere, folders that cannot be listed, names that are not UTF-8, CSV files
with a few lines in another encoding. Each is named (exit 4), never hangs, and the rest is still scored."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import write_config, write_xlsx

HEADER = ["单位", "信息标题", "报送日期"]


def _workspace(root: Path) -> Path:
    write_config(root / "govxl.xlsx")
    write_xlsx(root / "workbooks" / "乡镇台账.xlsx", {"10月": [
        HEADER,
        ["城关镇", "城关镇开展汛前安全大检查", "2025-10-09"],
        ["青石镇", "青石镇召开秋收工作部署会", "2025-10-12"],
    ]})
    return root


def govxl(*args, cwd, prefix=(), timeout=60):
    env = dict(os.environ)
    env.pop("GOVXL_DEBUG", None)
    return subprocess.run([*prefix, sys.executable, "-m", "govxl", *args], cwd=cwd, env=env, capture_output=True,
                          stdin=subprocess.DEVNULL, timeout=timeout)


def _scored(ws: Path) -> tuple:
    r = govxl("score", "--month", "2025-10", "--json", cwd=ws)
    data = json.loads(r.stdout)
    submitted = {u["unit"]: u["submitted"] for u in data["units"]}
    return r, data, submitted


def _error_files(data) -> dict:
    return {p["file"]: p["message"] for p in data["problems"] if p["severity"] == "error"}


def _assert_others_scored(ws: Path, bad: str, words: str):
    """check and score both name `bad` with `words` in its message, exit 4, and still score the rest."""
    c = govxl("check", "--json", cwd=ws)
    assert c.returncode == 4, c.stderr.decode()
    assert words in _error_files(json.loads(c.stdout))[bad]
    r, data, submitted = _scored(ws)
    assert r.returncode == 4, r.stderr.decode()
    assert words in _error_files(data)[bad]
    assert submitted["城关镇"] == 1 and submitted["青石镇"] == 1
    assert "Traceback" not in r.stderr.decode()
    assert (ws / "out").exists() and list((ws / "out").rglob("*.xlsx"))


@pytest.mark.parametrize("kind", ["fifo", "socket", "device-link", "fifo-link"])
def test_special_files_are_named_not_read(tmp_path, kind):
    ws = _workspace(tmp_path)
    wb = ws / "workbooks"
    name = {"fifo": "管道.csv", "socket": "套接字.xlsx", "device-link": "z.csv", "fifo-link": "链接.xlsx"}[kind]
    sock = None
    if kind == "fifo":
        os.mkfifo(wb / name)
    elif kind == "socket":
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(wb / name))
    elif kind == "device-link":
        os.symlink("/dev/zero", wb / name)
    else:
        os.mkfifo(tmp_path / "p")
        os.symlink(tmp_path / "p", wb / name)
    try:
        words = {"fifo": "命名管道", "socket": "套接字", "device-link": "字符设备", "fifo-link": "命名管道"}[kind]
        _assert_others_scored(ws, f"workbooks/{name}", words)
    finally:
        if sock:
            sock.close()


def test_a_pipe_named_on_the_command_line_or_as_config_does_not_hang(tmp_path):
    ws = _workspace(tmp_path)
    os.mkfifo(ws / "p.xlsx")
    r = govxl("check", "p.xlsx", cwd=ws, timeout=30)
    assert r.returncode == 4 and "命名管道" in r.stderr.decode()
    r = govxl("check", "--config", "p.xlsx", cwd=ws, timeout=30)
    assert r.returncode in (2, 4) and "命名管道" in r.stderr.decode()
    r = govxl("disclosure", "--year", "2025", "--config", "p.xlsx", cwd=ws, timeout=30)
    assert r.returncode in (2, 4) and "命名管道" in r.stderr.decode()


@pytest.mark.parametrize("kind", ["self", "ancestor", "dangling", "dangling-folder"])
def test_links_that_loop_or_point_nowhere(tmp_path, kind):
    ws = _workspace(tmp_path)
    wb = ws / "workbooks"
    (wb / "sub").mkdir()
    name, words = {
        "self": ("sub/自己.xlsx", "循环"),
        "ancestor": ("sub/上级", "循环"),
        "dangling": ("sub/不在了.xlsx", "不存在"),
        "dangling-folder": ("sub/共享盘", "不存在"),
    }[kind]
    link = wb / name
    target = {"self": link.name, "ancestor": "..", "dangling": "../没有这个文件.xlsx", "dangling-folder": "/nonexistent/share"}[kind]
    os.symlink(target, link)
    _assert_others_scored(ws, f"workbooks/{name}", words)
    assert "No such file" not in govxl("check", cwd=ws).stderr.decode()


def test_a_linked_folder_is_read_once(tmp_path):
    ws = _workspace(tmp_path)
    shared = tmp_path / "elsewhere"
    write_xlsx(shared / "县档案馆台账.xlsx", {"Sheet1": [HEADER, ["县档案馆", "县档案馆开展档案安全检查", "2025-10-15"]]})
    os.symlink(shared, ws / "workbooks" / "档案馆")
    os.symlink(shared, ws / "workbooks" / "又一个链接")
    r, data, submitted = _scored(ws)
    assert r.returncode == 0, r.stderr.decode()
    assert submitted["县档案馆"] == 1  # followed, and the same real folder read once


def _without_root_powers() -> list:
    """A command prefix under which permissions hold: root keeps its uid but loses the capabilities that
    let it read any folder (util-linux setpriv); an ordinary user needs none."""
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("as root, permissions can only be tested with setpriv (util-linux)")
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search"]


def test_a_folder_that_cannot_be_listed_is_named(tmp_path):
    ws = _workspace(tmp_path)
    write_xlsx(ws / "workbooks" / "县直" / "县档案馆台账.xlsx", {"Sheet1": [
        HEADER, ["县档案馆", "县档案馆开展档案安全检查", "2025-10-15"]]})
    locked = ws / "workbooks" / "县直" / "锁住的"
    write_xlsx(locked / "县教育局台账.xlsx", {"Sheet1": [HEADER, ["县教育局", "县教育局开学安全检查", "2025-10-03"]]})
    prefix = _without_root_powers()
    locked.chmod(0)
    try:
        c = govxl("check", "--json", cwd=ws, prefix=prefix)
        assert c.returncode == 4, c.stderr.decode()
        msg = _error_files(json.loads(c.stdout))["workbooks/县直/锁住的"]
        assert "文件夹无法打开" in msg and "没有访问权限" in msg
        r = govxl("score", "--month", "2025-10", "--json", cwd=ws, prefix=prefix)
        assert r.returncode == 4, r.stderr.decode()
        data = json.loads(r.stdout)
        assert {u["unit"]: u["submitted"] for u in data["units"]}["县档案馆"] == 1
        assert "workbooks/县直/锁住的" in _error_files(data)
    finally:
        locked.chmod(0o755)


def test_a_file_name_that_is_not_utf8_is_read_and_shown(tmp_path):
    ws = _workspace(tmp_path)
    raw = os.path.join(os.fsencode(ws / "workbooks"), "县档案馆台账".encode("gbk") + b".csv")
    with open(raw, "wb") as fh:
        fh.write("信息标题,报送日期\n县档案馆开展档案安全检查,2025-10-15\n".encode("utf-8"))
    c = govxl("check", "--json", cwd=ws)
    assert c.returncode == 0, c.stderr.decode()
    assert "workbooks/县档案馆台账.csv" in json.loads(c.stdout)["files"]
    r, data, submitted = _scored(ws)
    assert r.returncode == 0, r.stderr.decode()
    assert submitted["县档案馆"] == 1  # the unit is found in the decoded name
    r = govxl("score", "--month", "2025-10", cwd=ws)  # the console summary, not only JSON
    assert r.returncode == 0 and "Traceback" not in r.stderr.decode()


def test_a_csv_with_a_few_lines_in_another_encoding(tmp_path):
    ws = _workspace(tmp_path)
    good = ["信息标题,报送日期"] + [f"县档案馆第{i}期档案开放日活动情况,2025-10-{i + 1:02d}" for i in range(6)]
    data = ("\n".join(good) + "\n").encode("utf-8")
    data += "县档案馆用另一种编码写的一行,2025-10-20\n".encode("gbk")
    data += "县档案馆最后一条信息,2025-10-21\n".encode("utf-8")
    (ws / "workbooks" / "县档案馆.csv").write_bytes(data)
    r, result, submitted = _scored(ws)
    assert r.returncode == 1, r.stderr.decode()
    assert submitted["县档案馆"] == 7
    errors = [p for p in result["problems"] if p["severity"] == "error"]
    assert [(p["file"], p["row"]) for p in errors] == [("workbooks/县档案馆.csv", 8)]
    assert "编码" in errors[0]["message"]
    rows = result["rows"]
    assert rows["read"] == rows["counted"] + rows["duplicate"] + rows["error"] + rows["skipped"]
    assert rows["error"] == 1


def test_a_mostly_gbk_csv_with_one_broken_line(tmp_path):
    ws = _workspace(tmp_path)
    lines = ["信息标题,报送日期"] + [f"县档案馆第{i}期档案开放日活动情况,2025-10-{i + 1:02d}" for i in range(5)]
    data = ("\r\n".join(lines) + "\r\n").encode("gbk") + b"\x81\x20broken,2025-10-09\r\n"
    (ws / "workbooks" / "县档案馆.csv").write_bytes(data)
    r, result, submitted = _scored(ws)
    assert r.returncode == 1 and submitted["县档案馆"] == 5
    assert [p["row"] for p in result["problems"] if p["severity"] == "error"] == [7]


@pytest.mark.parametrize("case", ["utf-16-le", "utf-16-be", "nul"])
def test_csv_bytes_that_are_not_utf8_or_gbk(tmp_path, case):
    ws = _workspace(tmp_path)
    text = "信息标题,报送日期\n县档案馆开展档案安全检查,2025-10-15\n"
    data = text.encode(case) if case != "nul" else b"PK\x03\x04\x00\x00\x00binary"
    (ws / "workbooks" / "县档案馆.csv").write_bytes(data)
    r, result, submitted = _scored(ws)
    if case == "nul":
        assert r.returncode == 4
        msg = _error_files(result)["workbooks/县档案馆.csv"]
        assert "空字节" in msg and "编码无法识别" not in msg
    else:  # Excel's "Unicode text" without its byte-order mark is still text
        assert r.returncode == 0 and submitted["县档案馆"] == 1


def test_messages_about_files_carry_no_english(tmp_path):
    ws = _workspace(tmp_path)
    os.symlink("nowhere.xlsx", ws / "workbooks" / "a.xlsx")
    os.mkfifo(ws / "workbooks" / "b.csv")
    r = govxl("check", cwd=ws)
    err = r.stderr.decode()
    for english in ("No such file", "Permission denied", "Errno", "Too many levels"):
        assert english not in err
    assert "空文件" not in err
