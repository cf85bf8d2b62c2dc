"""The bad-file corpus (tests/bad/make_bad.py): every file gets its exact exit code and a Chinese
message naming it, never a traceback; one bad file never hides the others."""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import write_config, write_xlsx

sys.path.insert(0, str(Path(__file__).parent / "bad"))
import make_bad  # noqa: E402

HEAVY = {"million-empty-rows.xlsx", "filled-down.xlsx", "far-cell.xlsx", "zip-bomb.xlsx"}
LIGHT = [c for c in make_bad.CASES if c.path not in HEAVY]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A workspace (default config) with the whole corpus built under bad/."""
    root = tmp_path_factory.mktemp("corpus")
    write_config(root / "govxl.xlsx")
    made = make_bad.build(root / "bad")
    assert set(made) == {c.path for c in make_bad.CASES}
    return root


def govxl(*args, cwd, env=None, timeout=120, limit_memory=None):
    e = dict(os.environ)
    e.pop("GOVXL_DEBUG", None)
    e.update(env or {})

    def limits():
        if limit_memory:
            resource.setrlimit(resource.RLIMIT_AS, (limit_memory, limit_memory))

    return subprocess.run([sys.executable, "-m", "govxl", *args], cwd=cwd, env=e, capture_output=True,
                          stdin=subprocess.DEVNULL, timeout=timeout, preexec_fn=limits)


def test_corpus_is_deterministic(tmp_path):
    a = make_bad.build(tmp_path / "a", only=[c.path for c in LIGHT])
    b = make_bad.build(tmp_path / "b", only=[c.path for c in LIGHT])
    for name in a:
        if name == "encrypted.xlsx":
            continue  # encryption uses a random salt, by design of the format
        assert a[name].read_bytes() == b[name].read_bytes(), name


def test_hand_built_ole_containers_are_valid_compound_files(corpus):
    """The OLE files are built by hand; olefile (an independent reader) must agree with them."""
    olefile = pytest.importorskip("olefile")
    expect = {
        "encrypted-ole.xlsx": {"EncryptionInfo", "EncryptedPackage"},
        "wps-et-renamed.xlsx": {"ETContents", "\x05SummaryInformation"},
        "doc-renamed.xlsx": {"WordDocument", "1Table"},
    }
    from govxl.read.cfb import ole_stream_names

    for name, streams in expect.items():
        path = corpus / "bad" / name
        ole = olefile.OleFileIO(str(path))
        assert {e[0] for e in ole.listdir()} == streams
        assert set(ole_stream_names(path)) >= streams


@pytest.mark.parametrize("case", LIGHT, ids=[c.path[:40] for c in LIGHT])
def test_each_bad_file_gets_its_exit_code_and_message(corpus, case, monkeypatch):
    from govxl.cli import main

    monkeypatch.chdir(corpus)
    monkeypatch.delenv("GOVXL_DEBUG", raising=False)
    res = CliRunner().invoke(main, ["check", str(Path("bad") / case.path)])
    err = res.stderr
    assert res.exit_code == case.exit_code, err
    assert "Traceback" not in err and "Traceback" not in res.stdout
    assert res.exception is None or isinstance(res.exception, SystemExit)
    if case.message:
        line = next(ln for ln in err.splitlines() if case.message in ln)
        assert Path(case.path).name in line  # the message names the file
    if case.exit_code == 0:
        assert "计入 3" in err  # the readable awkward files are read in full


ZIPPED = [c for c in LIGHT if c.path.endswith(".xlsx")]


@pytest.mark.parametrize("case", ZIPPED, ids=[c.path[:40] for c in ZIPPED])
def test_zipfiles_own_inflate_says_the_same(corpus, case, monkeypatch):
    """Members are inflated by isal when it is installed; without it (zipfile and zlib) every zipped
    case gets the same exit code and message, and the good ones the same rows."""
    from govxl.read import zipio
    from govxl.cli import main

    monkeypatch.chdir(corpus)
    monkeypatch.delenv("GOVXL_DEBUG", raising=False)
    runs = []
    for isal in (zipio._isal(), None):
        monkeypatch.setattr(zipio, "_ISAL", [isal])
        res = CliRunner().invoke(main, ["check", "--json", str(Path("bad") / case.path)])
        assert "Traceback" not in res.stderr and (res.exception is None or isinstance(res.exception, SystemExit))
        data = json.loads(res.stdout)
        runs.append((res.exit_code, data["rows"], [p["message"] for p in data["problems"]]))
    assert runs[0] == runs[1]
    assert runs[0][0] == case.exit_code


def test_isal_inflates_and_checks_what_zipfile_would(corpus, tmp_path, monkeypatch):
    """The scan's members through isal: the same bytes as zipfile's; a wrong CRC-32, a size that lies and a
    stream cut short are refused, and what isal cannot take (stored members, a zip in memory) is left to
    zipfile."""
    import io
    import zipfile

    from govxl.read import zipio

    pytest.importorskip("isal")
    good = corpus / "bad" / "台账 2025年 城关镇（含空格）.xlsx"
    with zipfile.ZipFile(good) as zf:
        for info in zf.infolist():
            raw = zipio._deflated(zf, info)
            assert raw is not None  # openpyxl deflates every member
            assert b"".join(zipio._inflated(raw, info)) == zf.read(info)
        info = zf.getinfo("xl/worksheets/sheet1.xml")
        raw = zipio._deflated(zf, info)
        for lie in ({"CRC": info.CRC ^ 1}, {"file_size": info.file_size + 1}):
            bad = zipfile.ZipInfo(info.filename)
            bad.CRC, bad.file_size = info.CRC, info.file_size
            for k, v in lie.items():
                setattr(bad, k, v)
            with pytest.raises(zipfile.BadZipFile):
                b"".join(zipio._inflated(raw, bad))
        with pytest.raises(zipfile.BadZipFile):
            b"".join(zipio._inflated(raw[: len(raw) // 2], info))
        # small chunks: a member inflating to more than one chunk comes out whole
        monkeypatch.setattr(zipio, "CHUNK", 1000)
        assert len(list(zipio._inflated(raw, info))) > 1
        assert b"".join(zipio._inflated(raw, info)) == zf.read(info)
    with zipfile.ZipFile(io.BytesIO(good.read_bytes())) as zf:
        assert zipio._deflated(zf, zf.getinfo("xl/worksheets/sheet1.xml")) is None
    stored = tmp_path / "stored.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info))
    with zipfile.ZipFile(stored) as zf:
        assert zipio._deflated(zf, zf.getinfo("xl/worksheets/sheet1.xml")) is None


def test_heavy_files_stay_within_memory_and_time(corpus):
    """1,048,576-row sheets and a cell at XFD1048576 under a 1.5 GB address-space limit.

    Unguarded, calamine allocates rows × columns cells at once: 549 GB for far-cell.xlsx, and the
    process aborts. Here each file must finish with its exit code within seconds.
    """
    for name in ("far-cell.xlsx", "million-empty-rows.xlsx", "filled-down.xlsx", "zip-bomb.xlsx"):
        case = next(c for c in make_bad.CASES if c.path == name)
        t0 = time.monotonic()
        r = govxl("check", "--json", f"bad/{name}", cwd=corpus, limit_memory=1536 << 20)
        took = time.monotonic() - t0
        err = r.stderr.decode("utf-8")
        assert r.returncode == case.exit_code, (name, err)
        assert "Traceback" not in err
        assert took < 30, (name, took)
        data = json.loads(r.stdout)
        if case.message:
            assert any(case.message in p["message"] and p["file"].endswith(name) for p in data["problems"]), data
        if name == "filled-down.xlsx":
            assert data["rows"] == {"read": 3, "counted": 3, "duplicate": 0, "error": 0, "skipped": 0}


def test_one_bad_file_does_not_stop_check_reporting_the_others(corpus):
    """All the light cases at once: exit 4 (the highest), every bad file named, good ones read."""
    paths = [f"bad/{c.path}" for c in LIGHT]
    r = govxl("check", "--json", *paths, cwd=corpus)
    assert r.returncode == 4, r.stderr.decode()
    data = json.loads(r.stdout)
    err_files = {Path(p["file"]).name for p in data["problems"] if p["severity"] == "error"}
    for c in LIGHT:
        if c.exit_code:
            assert Path(c.path).name in err_files, c.path
    good = [c for c in LIGHT if c.exit_code == 0]
    # the same three items in each readable file: the first copy counts, the rest are duplicates
    assert data["rows"]["read"] == 3 * len(good)
    assert (data["rows"]["counted"], data["rows"]["duplicate"]) == (3, 3 * (len(good) - 1))
    assert "Traceback" not in r.stderr.decode()


def test_score_with_a_bad_file_still_scores_the_rest(corpus, tmp_path):
    out = tmp_path / "输出 文件夹"
    r = govxl("score", "--month", "2025-10", "--out", str(out), "--result", str(tmp_path / "结果.json"),
              "bad/encrypted.xlsx", "bad/gbk.csv", cwd=corpus)
    assert r.returncode == 4, r.stderr.decode()
    data = json.loads((tmp_path / "结果.json").read_text(encoding="utf-8"))
    assert data["totals"]["submitted"] == 3
    assert any("已加密" in p["message"] for p in data["problems"])
    assert all(Path(p).exists() for p in data["outputs"])


def test_zip_bomb_limit_comes_from_the_settings(tmp_path, monkeypatch):
    """设置 › 文件大小上限（MB）: a 2 MB sheet is refused under a 1 MB limit and read under the default."""
    import random

    rnd = random.Random(5)
    rows = [list(make_bad.HEADER)] + [list(r) for r in make_bad.ROWS]
    for _ in range(12000):  # incompressible-ish filler in 备注 below the register
        rows.append([None, None, None, None, "".join(rnd.choice("甲乙丙丁戊己庚辛壬癸") for _ in range(40))])
    write_xlsx(tmp_path / "workbooks" / "大文件.xlsx", {"信息报送": rows})
    write_config(tmp_path / "govxl.xlsx", settings={"文件大小上限（MB）": 1})
    write_config(tmp_path / "default.xlsx")
    monkeypatch.chdir(tmp_path)
    from govxl.cli import main

    small = CliRunner().invoke(main, ["check"])
    assert small.exit_code == 4, small.stderr
    assert "超过 1 MB 上限" in small.stderr and "大文件.xlsx" in small.stderr
    default = CliRunner().invoke(main, ["check", "--config", "default.xlsx"])
    assert "超过" not in default.stderr, default.stderr
    assert default.exit_code in (0, 1)


def test_directory_where_a_file_is_expected(corpus, tmp_path, monkeypatch):
    from govxl.cli import main

    (tmp_path / "govxl.xlsx").mkdir()  # a folder named like the config workbook
    (tmp_path / "结果.json").mkdir()
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(main, ["check", str(corpus / "bad" / "gbk.csv")])
    assert r.exit_code == 2 and "是文件夹" in r.stderr and "govxl.xlsx" in r.stderr, r.stderr
    r = CliRunner().invoke(main, ["check", "--config", str(corpus / "govxl.xlsx"), "--result", "结果.json",
                                  str(corpus / "bad" / "gbk.csv")])
    assert r.exit_code == 3 and "结果.json" in r.stderr and "文件夹" in r.stderr, r.stderr
    # a folder named like a workbook among the registers is walked, not mistaken for a file
    reg = tmp_path / "workbooks" / "城关镇台账.xlsx"
    reg.mkdir(parents=True)
    make_bad.register_xlsx(reg / "十月.xlsx")
    r = CliRunner().invoke(main, ["check", "--config", str(corpus / "govxl.xlsx"), "workbooks"])
    assert r.exit_code == 0 and "计入 3" in r.stderr, r.stderr


def test_debug_env_does_not_turn_handled_errors_into_tracebacks(corpus):
    r = govxl("check", "bad/truncated.xlsx", cwd=corpus, env={"GOVXL_DEBUG": "1"})
    assert r.returncode == 4
    assert "Traceback" not in r.stderr.decode()


def test_odd_sheet_xml_is_measured_exactly(tmp_path):
    """Namespace prefixes (<x:c>) and cells without r="A1" take the exact path: formulas without a
    cached value are still found, and reach hidden in implicit positions or unsorted rows is caught."""
    from govxl.errors import InputUnreadable
    from govxl.read.reader import read_file

    def inline(t, ref=""):
        r = f' r="{ref}"' if ref else ""
        return f'<c{r} t="inlineStr"><is><t>{t}</t></is></c>'

    ns = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    prefixed = (f'<?xml version="1.0" encoding="UTF-8"?><x:worksheet {ns}><x:sheetData><x:row r="1">'
                '<x:c r="A1" t="inlineStr"><x:is><x:t>标题</x:t></x:is></x:c></x:row><x:row r="2">'
                '<x:c r="A2" t="inlineStr"><x:is><x:t>某信息</x:t></x:is></x:c><x:c r="B2"><x:f>1+1</x:f></x:c>'
                '</x:row></x:sheetData></x:worksheet>')
    implicit = (make_bad.SHEET_HEAD + '<row r="1">' + inline("标题") + inline("报送日期") + "</row>"
                "<row>" + inline("某信息") + "<c><f>A1</f></c></row>" + make_bad.SHEET_TAIL)
    far_implicit = (make_bad.SHEET_HEAD + '<row r="1">' + inline("标题") + '</row><row r="1048576">'
                    + inline("误") * 300 + "</row>" + make_bad.SHEET_TAIL)
    unsorted = (make_bad.SHEET_HEAD + '<row r="900000">' + inline("误", "Z900000") + '</row><row r="1">'
                + inline("标题", "A1") + "</row>" + make_bad.SHEET_TAIL)
    for name, xml in (("prefixed", prefixed), ("implicit", implicit)):
        grids = read_file(make_bad.raw_xlsx(tmp_path / f"{name}.xlsx", [xml]))
        assert grids[0].uncached == {(1, 1)}, name
        assert grids[0].rows[1][0] == "某信息"
    for name, xml, corner in (("far-implicit", far_implicit, "A1:KN1048576"), ("unsorted", unsorted, "A1:Z900000")):
        with pytest.raises(InputUnreadable) as ei:
            read_file(make_bad.raw_xlsx(tmp_path / f"{name}.xlsx", [xml]))
        assert corner in ei.value.message and "内容范围过大" in ei.value.message
