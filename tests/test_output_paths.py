"""Where outputs go and how they are named (issue 19 items 5–8, issue 20 items 6, 8 and 9): a name from
the config never leads outside out/, a read-only output is never replaced, a killed run's temp files are
swept by the next run, files follow the umask, and one period's outputs share one name."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from conftest import write_config, write_xlsx
from govxl.write.safeio import NAME_PART_CHARS, TMP_PREFIX, name_part

HEADER = ["单位", "信息标题", "报送日期"]


def _workspace(root: Path, office: str = "XX县人民政府办公室") -> Path:
    write_config(root / "govxl.xlsx", settings={"机关名称": office})
    write_xlsx(root / "workbooks" / "乡镇台账.xlsx", {"10月": [
        HEADER, ["城关镇", "城关镇开展汛前安全大检查", "2025-10-09"], ["青石镇", "青石镇召开秋收工作部署会", "2025-10-12"]]})
    return root


def govxl(*args, cwd, prefix=(), umask=None, timeout=120):
    env = dict(os.environ)
    env.pop("GOVXL_DEBUG", None)
    return subprocess.run([*prefix, sys.executable, "-m", "govxl", *args], cwd=cwd, env=env, capture_output=True,
                          stdin=subprocess.DEVNULL, timeout=timeout,
                          preexec_fn=(lambda: os.umask(umask)) if umask is not None else None)


def _files_under(root: Path) -> set:
    return {p for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("office", ["县委办/县政府办", "../../x/办公室", "办公室\\..\\..\\y", "CON", "  .隐藏.  ",
                                    "某" * 120, 'a<b>c:"d"|e?f*g'])
def test_office_names_that_cannot_stand_in_a_file_name(tmp_path, office):
    root = tmp_path / "deep"
    ws = _workspace(root, office)
    before = _files_under(tmp_path)
    c = govxl("check", "--json", cwd=ws)
    assert c.returncode == 0, c.stderr.decode()
    warned = [p["message"] for p in json.loads(c.stdout)["problems"] if "机关名称" in p["message"]]
    assert len(warned) == 1 and name_part(office) in warned[0]
    r = govxl("score", "--month", "2025-10", "--notice", "--json", cwd=ws)
    assert r.returncode == 0, r.stderr.decode()
    outputs = [Path(p) for p in json.loads(r.stdout)["outputs"]]
    assert len(outputs) == 3
    new = _files_under(tmp_path) - before
    out = (ws / "out").resolve()
    assert new and all(out in p.resolve().parents for p in new), new  # nothing outside out/
    for p in outputs:
        path = (ws / p) if not p.is_absolute() else p
        assert path.parent.resolve() == out / "2025-10"
        assert len(path.name.encode("utf-8")) < 200 and len(str(path.relative_to(ws))) < 120
        assert not set(path.name) & set('<>:"/\\|?*')
    # the title inside keeps the name as the clerk typed it
    xlsx = next(p for p in outputs if p.suffix == ".xlsx")
    assert openpyxl.load_workbook(ws / xlsx)["排名通报"]["A1"].value.startswith(office.strip()[:20])


def test_a_plain_office_name_gives_no_warning(tmp_path):
    ws = _workspace(tmp_path)
    c = govxl("check", "--json", cwd=ws)
    assert not [p for p in json.loads(c.stdout)["problems"] if "机关名称" in p["message"]]
    assert name_part("XX县人民政府办公室") == "XX县人民政府办公室"
    assert len(name_part("某" * 500)) == NAME_PART_CHARS


@pytest.mark.parametrize("period,stem", [
    (("--month", "2025-10"), "XX县人民政府办公室2025年10月政务信息报送采用情况通报"),
    (("--quarter", "2025-Q4"), "XX县人民政府办公室2025年第四季度政务信息报送采用情况通报"),
    (("--half", "2025-H2"), "XX县人民政府办公室2025年下半年政务信息报送采用情况通报"),
    (("--year", "2025"), "XX县人民政府办公室2025年政务信息报送采用情况通报"),
    (("--from", "2025-10-01", "--to", "2025-10-20"), "XX县人民政府办公室2025年10月1日至10月20日政务信息报送采用情况通报"),
])
def test_one_period_one_name_as_a_clerk_writes_it(tmp_path, period, stem):
    ws = _workspace(tmp_path)
    r = govxl("score", *period, "--notice", "--json", cwd=ws)
    data = json.loads(r.stdout)
    # the registers end in October: a period reaching December says so, with exit 1 (issue 20.1)
    assert r.returncode == (1 if data["period"]["end"] > "2025-10-31" else 0), r.stderr.decode()
    names = sorted(Path(p).name for p in data["outputs"])
    assert names == sorted(f"{stem}{ext}" for ext in (".xlsx", ".md", ".docx"))


def _without_root_powers() -> list:
    if os.geteuid() != 0:
        return []
    if not shutil.which("setpriv"):
        pytest.skip("as root, permissions can only be tested with setpriv (util-linux)")
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner"]


@pytest.mark.parametrize("who", ["root", "user"])
def test_a_read_only_output_is_never_replaced(tmp_path, who):
    ws = _workspace(tmp_path)
    assert govxl("score", "--month", "2025-10", cwd=ws).returncode == 0
    target = next((ws / "out" / "2025-10").glob("*.xlsx"))
    old = hashlib.sha256(target.read_bytes()).hexdigest()
    (ws / "workbooks" / "乡镇台账.xlsx").unlink()  # the next result differs
    write_xlsx(ws / "workbooks" / "乡镇台账.xlsx", {"10月": [HEADER, ["城关镇", "另一条信息", "2025-10-09"]]})
    target.chmod(0o444)
    prefix = _without_root_powers() if who == "user" else []
    r = govxl("score", "--month", "2025-10", "--json", cwd=ws, prefix=prefix)
    assert r.returncode == 3, r.stderr.decode()
    assert "只读" in r.stderr.decode() and "Traceback" not in r.stderr.decode()
    assert hashlib.sha256(target.read_bytes()).hexdigest() == old
    assert (target.stat().st_mode & 0o777) == 0o444
    parked = [p for p in target.parent.iterdir() if "新结果" in p.name]
    assert len(parked) == 1  # the new result is beside it for the clerk
    assert not [p for p in target.parent.iterdir() if p.name.startswith(TMP_PREFIX)]


def test_a_killed_runs_temp_files_are_swept_by_the_next_run(tmp_path):
    ws = _workspace(tmp_path)
    assert govxl("score", "--month", "2025-10", cwd=ws).returncode == 0
    folder = ws / "out" / "2025-10"
    target = next(folder.glob("*.xlsx"))
    from govxl.write.safeio import _tmp_prefix

    fresh = folder / f"{_tmp_prefix(target)}abc123.xlsx"  # as a run killed a moment ago left it
    fresh.write_bytes(b"half a workbook")
    other = folder / f"{TMP_PREFIX}someone-else.txt"  # not this output's: left to the hourly sweep
    other.write_bytes(b"x")
    assert govxl("score", "--month", "2025-10", cwd=ws).returncode == 0
    assert not fresh.exists() and other.exists()
    assert openpyxl.load_workbook(target)["排名通报"]["A1"].value


@pytest.mark.parametrize("umask,mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_files_follow_the_umask(tmp_path, umask, mode):
    r = govxl("init", str(tmp_path / "w"), cwd=tmp_path, umask=umask)
    assert r.returncode == 0, r.stderr.decode()
    ws = tmp_path / "w"
    assert (ws / "govxl.xlsx").stat().st_mode & 0o777 == mode
    assert all(p.stat().st_mode & 0o777 == mode for p in (ws / "templates").rglob("*") if p.is_file())
    write_xlsx(ws / "workbooks" / "台账.xlsx", {"10月": [HEADER, ["城关镇", "一条信息", "2025-10-09"]]})
    r = govxl("score", "--month", "2025-10", "--notice", "--json", cwd=ws, umask=umask)
    assert r.returncode in (0, 1), r.stderr.decode()
    for p in json.loads(r.stdout)["outputs"]:
        assert (ws / p).stat().st_mode & 0o777 == mode, p


def test_init_into_an_existing_workspace_names_force(tmp_path):
    assert govxl("init", "w", cwd=tmp_path).returncode == 0
    r = govxl("init", "w", cwd=tmp_path)
    assert r.returncode == 2 and "--force" in r.stderr.decode()
    assert govxl("init", "w", "--force", cwd=tmp_path).returncode == 0


@pytest.mark.parametrize("out", ["/proc/x", "/dev/null/x"])
def test_an_impossible_out_folder_is_said_in_chinese(tmp_path, out):
    ws = _workspace(tmp_path)
    r = govxl("score", "--month", "2025-10", "--out", out, cwd=ws)
    err = r.stderr.decode()
    assert r.returncode == 3, err
    assert "Traceback" not in err
    for english in ("No such file", "Not a directory", "Permission denied", "Errno"):
        assert english not in err
