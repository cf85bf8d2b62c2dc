"""The Excel-macro contract (spec §6): govxl run as a macro runs it — no stdin, no terminal, a
working folder elsewhere, paths with spaces and Chinese, --result to a file — gives the documented
exit code and a UTF-8 result file for success, data errors, usage errors, a locked output and a
corrupt input. Where LibreOffice is installed, the Basic twin of templates/govxl.bas runs headless
(Shell with bSync=True) against a workbook and fills its cells, and the VBA module itself is
compiled in LibreOffice's VBA mode and reads real result files."""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import write_config, write_xlsx

sys.path.insert(0, str(Path(__file__).parent / "macro"))
import lo_harness  # noqa: E402

MONTH = "2025-10"
TEMPLATE = Path(__file__).resolve().parents[1] / "govxl" / "templates" / "govxl.bas"
GOOD = [
    ["单位", "信息标题", "报送日期", "采用情况"],
    ["城关镇", "城关镇开展汛前安全大检查", dt.datetime(2025, 10, 9), "市采用"],
    ["青石镇", "青石镇推进农村人居环境整治", dt.datetime(2025, 10, 13), None],
]


@pytest.fixture
def office(tmp_path):
    """A workspace in a folder with spaces and Chinese, and a working folder elsewhere."""
    ws = tmp_path / "信息科 共享文件夹" / "2025年 政务信息"
    write_config(ws / "govxl.xlsx")
    write_xlsx(ws / "workbooks" / "城关镇 台账.xlsx", {"十月": GOOD})
    elsewhere = tmp_path / "别处"
    elsewhere.mkdir()
    return ws, elsewhere


def macro_run(ws: Path, cwd: Path, *extra, month=MONTH):
    """govxl as a macro calls it: absolute paths, hidden, no console, nothing on stdin."""
    result = ws / "out" / "宏 结果.json"
    if result.exists():
        result.unlink()
    env = {k: v for k, v in os.environ.items() if k not in ("GOVXL_DEBUG", "PYTHONIOENCODING", "TERM")}
    r = subprocess.run([sys.executable, "-m", "govxl", "score", "--month", month, "--config", str(ws / "govxl.xlsx"),
                        "--out", str(ws / "out"), "--result", str(result), *extra, str(ws / "workbooks")],
                       cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       timeout=120)
    data = json.loads(result.read_bytes().decode("utf-8")) if result.exists() else None
    return r, data


def output_of(data) -> Path:
    return Path(data["outputs"][0])


def test_success_exit_0(office):
    ws, elsewhere = office
    r, data = macro_run(ws, elsewhere)
    assert r.returncode == 0, r.stderr.decode()
    assert data["exit_code"] == 0
    assert data["totals"]["submitted"] == 2 and data["totals"]["adopted"] == 1
    assert data["period"]["label"] == MONTH
    assert output_of(data).is_absolute() and output_of(data).exists()
    assert b"\r" not in r.stderr  # no progress bar without a terminal
    assert not list(elsewhere.iterdir())  # nothing lands in the macro's working folder


def test_data_errors_exit_1(office):
    ws, elsewhere = office
    write_xlsx(ws / "workbooks" / "青石镇.xlsx", {"十月": [GOOD[0], ["不存在的单位", "某信息", dt.datetime(2025, 10, 2), None]]})
    r, data = macro_run(ws, elsewhere)
    assert r.returncode == 1 and data["exit_code"] == 1
    errors = [p for p in data["problems"] if p["severity"] == "error"]
    assert errors and errors[0]["file"].endswith("青石镇.xlsx") and errors[0]["row"] == 2
    assert output_of(data).exists()


def test_usage_error_exit_2(office):
    ws, elsewhere = office
    r, data = macro_run(ws, elsewhere, month="2025-13")
    assert r.returncode == 2 and data["exit_code"] == 2
    assert "2025-13" in data["error"]
    assert not (ws / "out" / "2025-13").exists()


def test_locked_output_exit_3(office):
    ws, elsewhere = office
    _, first = macro_run(ws, elsewhere)
    book = output_of(first)
    before = book.read_bytes()
    lock = book.with_name("~$" + book.name)
    lock.write_bytes(b"\x05\x00" + "张三".encode("utf-16-le"))  # what Excel writes: who has it open
    r, data = macro_run(ws, elsewhere)
    assert r.returncode == 3 and data["exit_code"] == 3
    assert book.name in data["error"] and "请关闭该文件" in data["error"]
    assert book.read_bytes() == before
    assert list(book.parent.glob("*新结果*"))
    lock.unlink()
    r, data = macro_run(ws, elsewhere)
    assert r.returncode == 0  # closed: the next run goes through


def test_corrupt_input_exit_4_others_still_scored(office):
    ws, elsewhere = office
    good = (ws / "workbooks" / "城关镇 台账.xlsx").read_bytes()
    (ws / "workbooks" / "县教育局 台账.xlsx").write_bytes(good[: len(good) // 2])
    r, data = macro_run(ws, elsewhere)
    assert r.returncode == 4 and data["exit_code"] == 4
    bad = [p for p in data["problems"] if p["severity"] == "error"]
    assert len(bad) == 1 and bad[0]["file"].endswith("县教育局 台账.xlsx") and "已损坏" in bad[0]["message"]
    assert data["totals"]["submitted"] == 2  # the readable register still counts
    assert output_of(data).exists()


def test_vba_module_contract():
    """templates/govxl.bas: GBK and CRLF (what the VBA editor of Chinese Excel imports), and the calls
    the contract needs."""
    raw = TEMPLATE.read_bytes()
    text = raw.decode("gbk")
    assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")
    assert text.startswith('Attribute VB_Name = "govxl"')
    for needle in ('CreateObject("WScript.Shell")', ".Run(sCmd, 0, True)", "--result", "--month", "--wait",
                   'CreateObject("ADODB.Stream")', '"utf-8"', "Workbooks.Open", "ReadOnly:=True", "MsgBox",
                   '"outputs"', '"error"', "Public Sub GovxlScore()"):
        assert needle in text, needle
    for case in ("Case 0", "Case 1", "Case 2", "Case 3", "Case 4", "Case Else", "Case 1, 4"):
        assert case in text, case  # every exit code has its message and message-box icon
    assert "内部错误" in text and "被占用" in text and "数据问题" in text


# ---------------------------------------------------------------------------------------------
# LibreOffice: the Basic twin runs for real; the VBA module compiles and reads real results

needs_soffice = pytest.mark.skipif(lo_harness.soffice() is None, reason="LibreOffice (soffice) is not installed")


@pytest.fixture(scope="module")
def lo_profile(tmp_path_factory):
    profile = lo_harness.make_profile(tmp_path_factory.mktemp("lo") / "profile")
    lo_harness.install_module(profile, "Govxl", lo_harness.lo_macro_code())
    lo_harness.install_module(profile, "GovxlVba", lo_harness.vba_module_code())
    return profile


@pytest.fixture
def govxl_exe(tmp_path):
    """A govxl command in a folder with a space and Chinese in its name (as under Program Files)."""
    d = tmp_path / "工具 目录"
    d.mkdir()
    exe = d / "govxl"
    exe.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m govxl "$@"\n', encoding="utf-8")
    exe.chmod(0o755)
    return exe


def macro_book(ws: Path, month_value) -> Path:
    book = ws / "运行 govxl.xlsx"
    write_xlsx(book, {"运行": [["govxl 宏"], ["月份", month_value], ["结果", None], ["退出码", None], ["排名工作簿", None]]})
    return book


def cells(book: Path) -> dict:
    import openpyxl

    wb = openpyxl.load_workbook(book)
    sh = wb.worksheets[0]
    return {k: sh[k].value for k in ("B2", "B3", "B4", "B5")}


@needs_soffice
def test_libreoffice_macro_fills_the_cells(office, lo_profile, govxl_exe):
    ws, elsewhere = office
    book = macro_book(ws, dt.datetime(2025, 10, 1))  # typed 2025-10, Excel/Calc made it a date
    r = lo_harness.run_macro(lo_profile, "Govxl.RunGovxl", env={"GOVXL_MACRO_BOOK": book, "GOVXL_MACRO_EXE": govxl_exe},
                             cwd=elsewhere)
    assert r.returncode == 0, r.stderr.decode("utf-8", "replace")
    got = cells(book)
    assert got["B4"] == 0, got
    assert got["B3"] == "计算完成：2025年10月，报送 2 篇，采用 1 篇", got
    out = Path(got["B5"])
    assert out.exists() and out.parent == ws / "out" / MONTH


@needs_soffice
def test_libreoffice_macro_reports_a_locked_output(office, lo_profile, govxl_exe):
    ws, elsewhere = office
    _, first = macro_run(ws, elsewhere)
    book_out = output_of(first)
    book_out.with_name("~$" + book_out.name).write_bytes(b"")
    book = macro_book(ws, MONTH)  # as text this time
    r = lo_harness.run_macro(lo_profile, "Govxl.RunGovxl", env={"GOVXL_MACRO_BOOK": book, "GOVXL_MACRO_EXE": govxl_exe},
                             cwd=elsewhere)
    assert r.returncode == 0, r.stderr.decode("utf-8", "replace")
    got = cells(book)
    assert got["B4"] == 3, got
    assert got["B3"].startswith("输出文件被占用：") and "请关闭该文件" in got["B3"] and book_out.name in got["B3"]


@needs_soffice
def test_vba_module_compiles_and_reads_real_results(office, lo_profile, tmp_path):
    """The Excel module itself, compiled by LibreOffice in VBA mode; its helpers read real --result files."""
    ws, elsewhere = office
    results = {}
    _, results[0] = macro_run(ws, elsewhere)
    book = output_of(results[0])
    book.with_name("~$" + book.name).write_bytes(b"")
    _, results[3] = macro_run(ws, elsewhere)
    book.with_name("~$" + book.name).unlink()
    (ws / "workbooks" / "坏.xlsx").write_bytes(b"PK\x03\x04 truncated")
    _, results[4] = macro_run(ws, elsewhere)
    for code, data in results.items():
        src = tmp_path / f"r{code}.json"
        src.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        probe = tmp_path / f"probe{code}.txt"
        r = lo_harness.run_macro(lo_profile, "GovxlVba.VbaProbe",
                                 env={"GOVXL_PROBE_JSON": src, "GOVXL_PROBE_OUT": probe})
        assert r.returncode == 0 and probe.exists(), r.stderr.decode("utf-8", "replace")
        lines = dict(ln.split("=", 1) for ln in probe.read_text(encoding="utf-8").splitlines() if "=" in ln)
        assert lines["exit_code"].strip() == str(code)
        if code == 0:
            assert lines["outcome"] == "计算完成：2025年10月，报送 2 篇，采用 1 篇。"
            assert Path(lines["output"]) == output_of(data)
        elif code == 3:
            assert lines["outcome"].startswith("输出文件被占用：") and "请关闭该文件" in lines["outcome"]
        else:
            assert lines["outcome"].startswith("有登记表无法读取") and lines["errors"].strip() == "1"
