"""Windows consoles and pipes: GBK (cp936) streams never crash govxl, --json stays exact on them,
--result files are always UTF-8, and --help/--version start without pandas or the Excel libraries."""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import textwrap

import pytest

from conftest import write_config, write_xlsx
from govxl import __version__
from govxl.console import safe_text

HEAVY_MODULES = ("pandas", "numpy", "openpyxl", "xlsxwriter", "python_calamine", "docx", "jinja2", "rapidfuzz")


@pytest.fixture
def workspace(tmp_path):
    write_config(tmp_path / "govxl.xlsx")
    write_xlsx(tmp_path / "workbooks" / "城关镇 台账.xlsx", {"十月": [
        ["单位", "信息标题", "报送日期", "采用情况"],
        ["城关镇", "城关镇“✓”清单制管理见成效 › 第一期", dt.datetime(2025, 10, 9), "市采用"],
        ["城关镇", "=城关镇公式样标题", dt.datetime(2025, 10, 10), None],
        ["未知单位", "某单位信息", dt.datetime(2025, 10, 11), None],
    ]})
    return tmp_path


def run(args, cwd, encoding=None, extra_env=None):
    env = dict(os.environ)
    env.pop("GOVXL_DEBUG", None)
    env.pop("PYTHONUTF8", None)
    if encoding:
        env["PYTHONIOENCODING"] = encoding
    else:
        env.pop("PYTHONIOENCODING", None)
    env.update(extra_env or {})
    return subprocess.run([sys.executable, *args], cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, timeout=120)


@pytest.mark.parametrize("encoding", ["gbk", "cp936"])
def test_messages_on_a_gbk_pipe_never_crash(workspace, encoding):
    r = run(["-m", "govxl", "check"], workspace, encoding)
    err = r.stderr.decode("gbk")  # what a Chinese Windows console would show
    assert r.returncode == 1, err
    assert "Traceback" not in err
    assert "未知单位" in err and "不在单位名册中" in err
    assert "城关镇 台账.xlsx > 十月 > 第4行" in err  # › has no GBK code: shown as >
    for args in (["-m", "govxl", "--help"], ["-m", "govxl", "score", "--help"], ["-m", "govxl", "--version"]):
        r = run(args, workspace, encoding)
        assert r.returncode == 0, r.stderr.decode("gbk", "replace")
        out = r.stdout.decode("gbk")
        assert "govxl" in out and "Traceback" not in r.stderr.decode("gbk", "replace")


@pytest.mark.parametrize("encoding", ["gbk", "ascii", None])
def test_json_is_exact_on_any_stdout_and_result_is_utf8(workspace, encoding):
    r = run(["-m", "govxl", "score", "--month", "2025-10", "--json", "--result", "结果 文件.json"], workspace, encoding)
    assert r.returncode == 1, r.stderr.decode("utf-8", "replace")
    if encoding in ("gbk", "ascii"):
        assert r.stdout.isascii()  # \\u escapes: exact and encodable everywhere
    from_stdout = json.loads(r.stdout.decode(encoding or "utf-8"))
    raw = (workspace / "结果 文件.json").read_bytes()
    from_file = json.loads(raw.decode("utf-8"))
    assert from_stdout == from_file
    text = raw.decode("utf-8")  # UTF-8, neither escaped nor GBK, whatever the console is
    assert "城关镇 台账.xlsx" in text and "“未知单位”不在单位名册中" in text and b"\\u" not in raw
    titles = [p["message"] for p in from_file["problems"]]
    assert any("不在单位名册中" in t for t in titles)
    assert from_file["exit_code"] == 1


def test_pipe_without_pythonioencoding_is_utf8_json(workspace):
    r = run(["-m", "govxl", "check", "--json"], workspace)
    data = json.loads(r.stdout.decode("utf-8"))
    assert data["exit_code"] == 1 and r.returncode == 1


def test_fallback_characters():
    assert safe_text("文件 › 工作表 ✓ ✗ …", "gbk") == "文件 > 工作表 √ × …"  # … exists in GBK
    assert safe_text("a › b ✓", "ascii") == "a > b ?"
    assert safe_text("城关镇 › ✓", "utf-8") == "城关镇 › ✓"


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["score", "--help"], ["check", "--help"]])
def test_help_and_version_import_no_heavy_library(tmp_path, args):
    r = run(["-X", "importtime", "-m", "govxl", *args], tmp_path)
    assert r.returncode == 0, r.stderr.decode()
    imported = {line.split("|")[-1].strip().split(".")[0] for line in r.stderr.decode().splitlines()
                if line.startswith("import time:") and "|" in line}
    assert "click" in imported and "govxl" in imported  # the measurement itself works
    assert not imported & set(HEAVY_MODULES), imported & set(HEAVY_MODULES)


INJECT = textwrap.dedent("""
    import sys
    import govxl.api
    def broken(*a, **k):
        raise RuntimeError("模拟的内部错误")
    govxl.api.check = broken
    from govxl.cli import main
    sys.argv = ["govxl", "check", "--result", "结果.json"]
    main()
""")


def test_internal_error_is_short_unless_govxl_debug(workspace):
    """An unexpected exception anywhere in a command: exit 5, one Chinese line, no traceback."""
    r = run(["-c", INJECT], workspace, "gbk")
    err = r.stderr.decode("gbk")
    assert r.returncode == 5
    assert "Traceback" not in err
    assert "内部错误：RuntimeError: 模拟的内部错误" in err and "GOVXL_DEBUG=1" in err
    res = json.loads((workspace / "结果.json").read_text(encoding="utf-8"))
    assert res["exit_code"] == 5
    (workspace / "结果.json").unlink()
    r = run(["-c", INJECT], workspace, "gbk", {"GOVXL_DEBUG": "1"})
    err = r.stderr.decode("gbk", "replace")
    assert "Traceback" in err and "模拟的内部错误" in err
    assert r.returncode == 5  # debug shows more, it does not change what a macro reads
    assert json.loads((workspace / "结果.json").read_text(encoding="utf-8"))["exit_code"] == 5


ENTRY = textwrap.dedent("""
    import atexit, sys
    marker = sys.argv.pop(1)
    atexit.register(lambda: open(marker, "w").close())  # runs only on Python's normal exit
    import govxl.cli
    if sys.argv[1] == "raise-text":
        def text_exit():
            sys.exit("用文字退出")
        govxl.cli.main = text_exit
    govxl.cli.entry()
""")


@pytest.mark.parametrize("args, code", [
    (["score", "--month", "2025-10", "--json"], 1),  # the unknown unit: a row error
    (["--version"], 0),
    (["score", "--no-such-option"], 2),
    (["raise-text"], 1),
])
def test_the_program_leaves_at_once_with_its_exit_code_and_all_its_output(workspace, args, code):
    """entry() skips Python's teardown (freeing a year of objects took ≈ 1 s) but not the exit code, nor
    what was printed: stdout and stderr are flushed first."""
    script = workspace / "entry.py"
    script.write_text(ENTRY, encoding="utf-8")
    marker = workspace / "normal-exit"
    r = run([str(script), str(marker), *args], workspace)
    err = r.stderr.decode("utf-8", "replace")
    assert r.returncode == code, err
    assert not marker.exists()  # left by os._exit: no atexit, no teardown
    if args[0] == "score" and code == 1:
        data = json.loads(r.stdout.decode("utf-8"))  # the whole JSON reached the pipe
        assert data["exit_code"] == 1 and data["outputs"] and "Traceback" not in err
    elif args == ["--version"]:
        assert r.stdout.decode() == f"govxl {__version__}\n"
    elif code == 2:
        assert "--no-such-option" in err and "用法" in err
    else:
        assert err.strip() == "用文字退出"
