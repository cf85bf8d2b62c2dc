"""The example year of registers: deterministic, readable, realistic, and clean for govxl."""
from __future__ import annotations

import importlib.util
import re
from collections import Counter
from pathlib import Path

import pytest
import python_calamine as pc
from rapidfuzz import fuzz

from govxl import defaults as D
from govxl.workspace.roster_data import ROSTER
from govxl.workspace.sample import (CSV_NAME, DEPT_HEADERS, MAPPED_AUTHOR_HEADER, build_sample, sample_file_names,
                          write_sample_registers)
from govxl.normalise.text import norm, norm_title
from govxl.workspace.folder import MAPPING_EXAMPLES

REPO = Path(__file__).resolve().parent.parent
YEAR = 2025


@pytest.fixture(scope="module")
def sample_dir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("sample")
    write_sample_registers(d, ROSTER, year=YEAR, seed=2025)
    return d


def _files(root: Path) -> dict:
    return {p.relative_to(root): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _sheets(path: Path) -> dict:
    wb = pc.CalamineWorkbook.from_path(str(path))
    try:
        out = {}
        for name in wb.sheet_names:
            s = wb.get_sheet_by_name(name)
            out[name] = (s.to_python(skip_empty_area=False), list(s.merged_cell_ranges or []))
        return out
    finally:
        wb.close()


SPELLINGS = {norm(n): u.name for u in ROSTER for n in (u.name, *u.aliases)}


def _unit_in(text: str):
    """The roster unit named inside a file name (longest spelling wins)."""
    key = norm(text)
    hits = [n for n in SPELLINGS if n in key]
    return SPELLINGS[max(hits, key=len)] if hits else None


def _level_cells_upper(cells) -> bool:
    return any(str(c).strip() for c in cells)


def _registers(root: Path) -> dict:
    """(unit, normalised title) → list of (file, upper-level adoption written in the register?)."""
    seen: dict = {}
    central = root / f"乡镇信息报送台账{YEAR}.xlsx"
    for name, (rows, _) in _sheets(central).items():
        if not name.endswith("月"):
            continue
        for row in rows[4:]:
            if row[1] in ("", None) or row[0] == "合计":
                continue
            key = (SPELLINGS[norm(row[1])], norm_title(row[2]))
            seen.setdefault(key, []).append((central.name, _level_cells_upper(row[7:10])))
    for f in sorted((root / "县直部门").glob("*.xlsx")):
        unit = _unit_in(re.sub(r"\d{4}年", "", f.stem))
        rows, _ = _sheets(f)["报送台账"]
        hdr = next(i for i, r in enumerate(rows) if any(c in DEPT_HEADERS["标题"] for c in r))
        tcol = next(c for c, v in enumerate(rows[hdr]) if v in DEPT_HEADERS["标题"])
        acol = next(c for c, v in enumerate(rows[hdr]) if v in DEPT_HEADERS["采用情况"])
        for row in rows[hdr + 1:]:
            if row[tcol] in ("", None) or str(row[tcol]).startswith("共"):
                continue
            upper = any(k in str(row[acol]) for k in ("市", "省", "国"))
            seen.setdefault((unit, norm_title(row[tcol])), []).append((f.name, upper))
    text = (root / CSV_NAME).read_bytes().decode("gb18030")
    import csv
    import io

    rows = list(csv.reader(io.StringIO(text, newline="")))
    for row in rows[1:]:
        seen.setdefault((SPELLINGS[norm(row[1])], norm_title(row[2])), []).append((CSV_NAME, False))
    return seen


def test_deterministic(tmp_path, sample_dir):
    again = tmp_path / "again"
    write_sample_registers(again, ROSTER, year=YEAR, seed=2025)
    a, b = _files(sample_dir), _files(again)
    assert list(a) == list(b)
    assert sorted(a) == sorted(sample_file_names(ROSTER, YEAR))  # init predicts them to refuse overwriting
    for rel in a:
        assert a[rel] == b[rel], rel
    # the seed is what varies the year
    titles = [it.title for it in build_sample(ROSTER, year=YEAR, seed=7).items[:50]]
    assert titles != [it.title for it in build_sample(ROSTER, year=YEAR, seed=2025).items[:50]]


def test_make_workbooks_script_is_deterministic_and_committed_files_are_current(tmp_path):
    spec = importlib.util.spec_from_file_location("make_workbooks", REPO / "scripts" / "make_workbooks.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    r1, r2 = tmp_path / "r1", tmp_path / "r2"
    mod.regenerate(r1, year=YEAR, seed=2025)
    mod.regenerate(r2, year=YEAR, seed=2025)
    f1, f2 = _files(r1), _files(r2)
    assert list(f1) == list(f2) and all(f1[k] == f2[k] for k in f1)
    assert Path("govxl.xlsx") in f1 and Path("govxl/templates/govxl.xlsx") in f1
    # the files committed in the repository are exactly what the script produces
    for rel, data in f1.items():
        assert (REPO / rel).read_bytes() == data, f"{rel} is stale: run scripts/make_workbooks.py"
    committed = {p.relative_to(REPO) for p in (REPO / "workbooks").rglob("*") if p.is_file()}
    assert committed == {rel for rel in f1 if rel.parts[0] == "workbooks"}


def test_every_file_opens_with_calamine(sample_dir):
    files = sorted(p for p in sample_dir.rglob("*.xlsx"))
    assert len(files) >= 35
    for f in files:
        sheets = _sheets(f)
        assert sheets, f
        assert any(len(rows) > 2 for rows, _ in sheets.values()), f


def test_csv_is_gb18030_not_utf8(sample_dir):
    data = (sample_dir / CSV_NAME).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    text = data.decode("gb18030")
    assert text.startswith("序号,报送单位,信息标题,报送日期")
    assert "\r\n" in text
    from govxl.read.reader import read_file

    grid = read_file(sample_dir / CSV_NAME)[0]
    assert grid.rows[0][1] == "报送单位"
    assert len(grid.rows) > 40
    assert all(re.fullmatch(r"\d{4}/\d{1,2}/\d{1,2}", r[3]) for r in grid.rows[1:] if r)


def test_central_register_layout(sample_dir):
    sheets = _sheets(sample_dir / f"乡镇信息报送台账{YEAR}.xlsx")
    assert list(sheets)[:12] == [f"{m}月" for m in range(1, 13)]
    rows, merged = sheets["3月"]
    assert rows[0][0] == f"{YEAR}年3月乡镇政务信息报送台账"
    assert all(v == "" for v in rows[1])
    assert rows[2][:7] == ["序号", "单位", "信息标题", "报送日期", "信息类型", "撰稿人", "采用情况"]
    assert rows[3][6:10] == ["县级", "市级", "省级", "国家级"]
    assert ((2, 6), (2, 9)) in merged  # 采用情况 spans the four levels
    assert ((2, 0), (3, 0)) in merged  # 序号 spans both header rows
    assert any(r and r[0] == "合计" for r in rows)
    towns = {u.name for u in ROSTER if u.group == "乡镇"}
    units = {SPELLINGS[norm(r[1])] for r in rows[4:] if r[1] not in ("", None) and r[0] != "合计"}
    assert units <= towns and len(units) >= 15
    spelled = {r[1] for name, (rs, _) in sheets.items() if name.endswith("月") for r in rs[4:] if r[1]}
    assert spelled - towns, "aliases are exercised"


def test_departmental_headers_are_known(sample_dir):
    for std, names in DEPT_HEADERS.items():
        for name in names:
            assert name in D.HEADER_SYNONYMS[std] or name == std, (std, name)
    assert (("撰稿人", MAPPED_AUTHOR_HEADER) in MAPPING_EXAMPLES)
    headers = Counter()
    for f in sorted((sample_dir / "县直部门").glob("*.xlsx")):
        assert _unit_in(re.sub(r"\d{4}年", "", f.stem)) is not None, f.name
        rows, _ = _sheets(f)["报送台账"]
        hdr = next(r for r in rows if any(c in DEPT_HEADERS["标题"] for c in r))
        assert not any(c in D.HEADER_SYNONYMS["单位"] for c in hdr)  # the unit is in the file name only
        headers[tuple(hdr)] += 1
    assert len(headers) >= 10  # wordings vary between files


def test_adoption_register_rows_name_existing_items(sample_dir):
    items = _registers(sample_dir)
    rows, _ = _sheets(sample_dir / f"采用登记{YEAR}.xlsx")[f"{YEAR}年"]
    assert rows[1] == ["序号", "单位", "信息标题", "采用刊物", "采用日期"]
    body = [r for r in rows[2:] if r[2]]
    assert len(body) >= 40
    fuzzy = 0
    levels = Counter()
    for _, unit_text, title, pub, date in body:
        unit = SPELLINGS[norm(unit_text)]
        key = (unit, norm_title(title))
        if key not in items:
            close = [k for k in items if k[0] == unit and fuzz.ratio(k[1], key[1]) >= 90]
            assert len(close) == 1, (unit, title)
            key = close[0]
            fuzzy += 1
        where = items[key]
        assert len(where) == 1, (unit, title)  # never a repeated title: the match is unambiguous
        assert where[0][1] is False, (unit, title)  # the register itself records no upper adoption for it
        assert date.year == YEAR
        levels["国家级" if ("国" in pub) else "省级" if "省" in pub else "市级"] += 1
    assert fuzzy == 1
    assert 1 <= levels["国家级"] <= 2 and levels["省级"] >= 3 and levels["市级"] >= 30


def test_shape_of_the_year():
    sy = build_sample(ROSTER, year=YEAR, seed=2025)
    items = sy.items
    per_unit = Counter(it.unit.name for it in items)
    assert set(per_unit) == {u.name for u in ROSTER}  # every unit submits something in the year
    months = {(it.unit.name, it.when.month) for it in items}
    zero = [(u.name, m) for u in ROSTER for m in range(1, 13) if (u.name, m) not in months]
    assert 5 <= len({u for u, _ in zero}) <= 15  # a few units with months of zero submissions
    rate = sum(it.adopted for it in items) / len(items)
    assert 0.25 <= rate <= 0.35
    town = [n for n in per_unit if any(u.name == n and u.group == "乡镇" for u in ROSTER)]
    assert min(per_unit[n] for n in town) > max(per_unit[u.name] for u in ROSTER if u.group == "县直二类")
    assert 5 <= sum(len(it.instructions) for it in items) <= 25
    titles = Counter((it.unit.name, it.title) for it in items)
    assert 4 <= sum(1 for c in titles.values() if c > 1) <= 8  # exact repeats by the same unit
    assert sum(1 for it in items if it.event is not None) >= 20
    authors = Counter((it.unit.name, it.author) for it in items)
    assert max(authors.values()) >= 10


def test_sample_is_clean_for_govxl(tmp_path):
    """The example workspace checks with no error rows, and every row read lands in one bucket."""
    from govxl.api import check
    from govxl.workspace.folder import init_workspace

    init_workspace(tmp_path, sample=True)
    result = check([tmp_path / "workbooks"], tmp_path / "govxl.xlsx")
    errors = [p for p in result["problems"] if p["severity"] == "error"]
    assert errors == []
    rows = result["rows"]
    assert rows["read"] == rows["counted"] + rows["duplicate"] + rows["error"] + rows["skipped"]
    assert rows["duplicate"] == 6 and rows["counted"] > 2000
    # only the hints the sample is made to teach (issue 20.5): near-duplicates, a fuzzy adoption-register
    # match, signature lines below a register; each said once
    warnings = [p["message"] for p in result["problems"] if p["severity"] == "warning"]
    kinds = sorted("疑似重复" if "疑似重复" in m else "按相似度" if "按相似度" in m else
                   "非登记行" if "非登记行" in m else m for m in warnings)
    assert kinds == ["按相似度"] + ["疑似重复"] * 4 + ["非登记行"] * 3
    assert len(set(warnings)) == len(warnings)
    assert result["exit_code"] == 0


def test_the_sample_disclosure_registers_fill_all_three_tables(tmp_path):
    """`govxl disclosure --year 2025` on the sample: realistic, non-zero tables that pass their checks."""
    from govxl.api import disclosure
    from govxl.workspace.folder import init_workspace

    init_workspace(tmp_path, sample=True)
    result = disclosure(2025, [tmp_path / "workbooks"], tmp_path / "govxl.xlsx", out=tmp_path / "out")
    assert result["exit_code"] == 0 and result["problems"] == [] and result["checks"] == []
    assert result["rows"]["error"] == 0 and result["rows"]["counted"] > 60
    t2 = {r["label"]: r["values"] for r in result["table2"]}
    assert t2["行政规范性文件"]["本年制发件数"] == 6 and t2["行政规范性文件"]["本年废止件数"] == 2
    assert t2["行政规范性文件"]["现行有效件数"] == 41 + 6 - 2  # from 设置's 上年现行有效 in the sample
    assert t2["行政许可"]["本年处理决定数量"] > 0 and t2["行政事业性收费"]["本年收费金额（单位：万元）"] > 0
    t3 = {r["label"]: r["values"]["总计"] for r in result["table3"]}
    assert t3["一、本年新收政府信息公开申请数量"] >= 30 and t3["二、上年结转政府信息公开申请数量"] == 3
    assert t3["四、结转下年度继续办理"] >= 2
    assert sum(v["总计"] for v in result["table4"].values()) == 5


def test_small_roster_still_makes_a_clean_set_of_files(tmp_path):
    from govxl.workspace.roster_data import RosterUnit

    roster = ROSTER[:3] + ROSTER[20:22] + (RosterUnit("县新设局", (), "县直二类", None, "甲乙", "", 99),)
    files = write_sample_registers(tmp_path, roster, year=2024, seed=1)
    names = {p.relative_to(tmp_path).as_posix() for p in files}
    assert "乡镇信息报送台账2024.xlsx" in names and "采用登记2024.xlsx" in names
    assert "县直部门/县新设局2024年信息报送台账.xlsx" in names
    for p in files:
        assert p.is_file() and p.stat().st_size > 0
    towns = {u.name for u in roster[:3]}
    rows, _ = _sheets(tmp_path / "乡镇信息报送台账2024.xlsx")["6月"]
    assert {SPELLINGS[norm(r[1])] for r in rows[4:] if r[1] and r[0] != "合计"} <= towns


def test_the_readme_commands_run_clean_on_a_fresh_sample(tmp_path, monkeypatch):
    """Issue 20: every command of the README's 怎么用 list, run in order on `govxl init --sample`, exits 0,
    with only the hints the sample is made to teach."""
    import json
    import re
    import shlex

    from click.testing import CliRunner

    from govxl.cli import main

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    steps = readme.split("## 给信息科同志：怎么用", 1)[1].split("govxl **只读不写**", 1)[0]
    commands = [shlex.split(c)[1:] for c in re.findall(r"`(govxl [^`]+)`", steps)]
    assert commands[0][0] == "init" and len(commands) >= 5
    monkeypatch.chdir(tmp_path)
    taught = ("疑似重复", "按相似度", "非登记行")
    for args in commands:
        r = CliRunner().invoke(main, [*args, "--json"] if args[0] != "init" else args, catch_exceptions=False)
        assert r.exit_code == 0, (args, r.output)
        if args[0] == "init":
            monkeypatch.chdir(tmp_path / args[1])
            continue
        data = json.loads(r.stdout)
        untaught = [p["message"] for p in data.get("problems", []) if not any(t in p["message"] for t in taught)]
        assert untaught == [], args
        assert data.get("alerts", []) == [] and data.get("checks", []) == []
