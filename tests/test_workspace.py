"""`govxl init`: the workspace layout and the config workbook, read back cell by cell."""
from __future__ import annotations

from pathlib import Path

import pytest
import python_calamine as pc

from govxl import defaults as D
from govxl.workspace import folder as workspace
from govxl.errors import UsageError
from govxl.workspace.roster_data import OFFICE_NAME, ROSTER, RosterUnit
from govxl.workspace.sample import CSV_NAME
from govxl.workspace.folder import CONFIG_NAME, MAPPING_EXAMPLES, init_workspace, write_config

SHEETS = (D.SHEET_ROSTER, D.SHEET_ADOPTION, D.SHEET_INSTRUCTION, D.SHEET_OTHER, D.SHEET_SETTINGS, D.SHEET_MAPPING,
          D.SHEET_UPDATE_LIMITS, D.SHEET_COLUMN_CATEGORIES)
# the columns spec §3 names; the config may carry further optional columns after them (defaults.py)
SPEC_HEADERS = {
    D.SHEET_ROSTER: ("单位名称", "别名", "分组", "月任务数", "联系人", "邮箱", "排序"),
    D.SHEET_ADOPTION: ("刊物", "级别", "分值", "别名"),
    D.SHEET_INSTRUCTION: ("领导级别", "首次分值", "再次分值"),
    D.SHEET_OTHER: ("项目", "分值"),
    D.SHEET_SETTINGS: ("项目", "值"),
    D.SHEET_MAPPING: ("标准列", "同义列名"),
    D.SHEET_UPDATE_LIMITS: ("栏目类别", "最长间隔天数"),
    D.SHEET_COLUMN_CATEGORIES: ("栏目类别", "栏目名称或关键词"),
}
HEADERS = {
    D.SHEET_ROSTER: D.ROSTER_COLUMNS + D.ROSTER_WEB_COLUMNS,
    D.SHEET_UPDATE_LIMITS: D.UPDATE_LIMIT_COLUMNS,
    D.SHEET_COLUMN_CATEGORIES: D.COLUMN_CATEGORY_COLUMNS,
    D.SHEET_ADOPTION: D.ADOPTION_COLUMNS,
    D.SHEET_INSTRUCTION: D.INSTRUCTION_COLUMNS,
    D.SHEET_OTHER: D.OTHER_COLUMNS,
    D.SHEET_SETTINGS: (*D.SETTINGS_COLUMNS, "说明"),
    D.SHEET_MAPPING: D.MAPPING_COLUMNS,
}


def _sheets(path: Path) -> dict:
    wb = pc.CalamineWorkbook.from_path(str(path))
    try:
        return {name: wb.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in wb.sheet_names}
    finally:
        wb.close()


def _table(rows: list, ncols: int) -> list:
    """The data rows of a config table: columns 0..ncols-1 below the header, until the first blank row."""
    out = []
    for row in rows[1:]:
        cells = [(row[c] if c < len(row) else "") for c in range(ncols)]
        if all(v == "" for v in cells):
            break
        out.append(tuple(cells))
    return out


def _num_or_blank(v):
    return "" if v is None or v == "" else float(v)


def test_init_creates_layout(tmp_path):
    ws = tmp_path / "信息科"
    created = init_workspace(ws)
    for sub in ("workbooks", "out", "templates"):
        assert (ws / sub).is_dir()
    config = ws / CONFIG_NAME
    assert config.is_file()
    assert config in created and all(p.is_file() for p in created)
    assert list((ws / "workbooks").iterdir()) == []  # no registers without --sample
    # no staging or temporary files left behind
    assert sorted(p.name for p in ws.iterdir()) == sorted([CONFIG_NAME, "workbooks", "out", "templates"])
    # every template shipped with the package is copied, byte for byte, except the config template
    shipped = workspace.template_files()
    assert all(str(rel) != CONFIG_NAME for rel, _ in shipped)
    for rel, src in shipped:
        assert (ws / "templates" / rel).read_bytes() == src.read_bytes()
    assert not (ws / "templates" / CONFIG_NAME).exists()


def test_templates_copied_recursively_and_config_template_excluded(tmp_path, monkeypatch):
    pkg = tmp_path / "pkg_templates"
    (pkg / "mail").mkdir(parents=True)
    (pkg / "通报模板.md").write_text("# {{ 标题 }}\n", encoding="utf-8")
    (pkg / "mail" / "正文.txt").write_text("各单位：\n", encoding="utf-8")
    (pkg / CONFIG_NAME).write_bytes(b"not copied")
    (pkg / "__pycache__").mkdir()
    (pkg / "__pycache__" / "x.pyc").write_bytes(b"\0")
    monkeypatch.setattr(workspace, "_package_templates", lambda: pkg)
    ws = tmp_path / "ws"
    created = init_workspace(ws)
    assert (ws / "templates" / "通报模板.md").read_text(encoding="utf-8") == "# {{ 标题 }}\n"
    assert (ws / "templates" / "mail" / "正文.txt").read_text(encoding="utf-8") == "各单位：\n"
    assert not (ws / "templates" / CONFIG_NAME).exists()
    assert not (ws / "templates" / "__pycache__").exists()
    assert ws / "templates" / "mail" / "正文.txt" in created
    # a template the clerk edited survives a re-init; only force replaces it
    (ws / "templates" / "通报模板.md").write_text("改过的模板", encoding="utf-8")
    (ws / CONFIG_NAME).unlink()
    init_workspace(ws)
    assert (ws / "templates" / "通报模板.md").read_text(encoding="utf-8") == "改过的模板"
    init_workspace(ws, force=True)
    assert (ws / "templates" / "通报模板.md").read_text(encoding="utf-8") == "# {{ 标题 }}\n"


def test_config_sheets_and_headers_exact(tmp_path):
    init_workspace(tmp_path)
    sheets = _sheets(tmp_path / CONFIG_NAME)
    assert tuple(sheets) == SHEETS
    for name, header in HEADERS.items():
        assert header[: len(SPEC_HEADERS[name])] == SPEC_HEADERS[name]
        row1 = sheets[name][0]
        assert tuple(row1[: len(header)]) == header, name
        # one empty column between the table and its note, so the header row is unambiguous
        assert row1[len(header)] == ""
        assert row1[len(header) + 1] == "填写说明"
        note = sheets[name][1][len(header) + 1]
        assert isinstance(note, str) and len(note) > 10


def test_default_rules_equal_defaults(tmp_path):
    init_workspace(tmp_path)
    sheets = _sheets(tmp_path / CONFIG_NAME)
    ncol = len(D.ADOPTION_COLUMNS)
    adoption = _table(sheets[D.SHEET_ADOPTION], ncol)
    assert [(n, lv, float(p), a) for n, lv, p, a, *_ in adoption] == \
        [(n, lv, float(p), a) for n, lv, p, a, *_ in D.DEFAULT_ADOPTION_RULES]
    for got, want in zip(adoption, D.DEFAULT_ADOPTION_RULES):  # optional columns: as in defaults, else blank
        assert [_num_or_blank(v) if isinstance(v, float) else v for v in got[4:]] == \
            [_num_or_blank(v) if isinstance(v, (int, float)) else v for v in want[4:]] + [""] * (ncol - len(want))
    instruction = _table(sheets[D.SHEET_INSTRUCTION], 3)
    assert [(lv, float(a), float(b)) for lv, a, b in instruction] == \
        [(lv, float(a), float(b)) for lv, a, b in D.DEFAULT_INSTRUCTION_RULES]
    other = _table(sheets[D.SHEET_OTHER], 2)
    assert [(k, float(v)) for k, v in other] == [(k, float(v)) for k, v in D.DEFAULT_OTHER_RULES]
    settings = _table(sheets[D.SHEET_SETTINGS], 3)
    assert [k for k, _, _ in settings] == [k for k, _, _ in D.DEFAULT_SETTINGS]
    for (k, v, note), (_dk, dv, dnote) in zip(settings, D.DEFAULT_SETTINGS):
        assert note == dnote, k
        if isinstance(dv, (int, float)):
            assert isinstance(v, float) and v == dv, k  # numbers stay numbers
        else:
            assert v == dv, k
    mapping = _table(sheets[D.SHEET_MAPPING], 2)
    assert mapping == list(MAPPING_EXAMPLES)
    for std, _ in mapping:
        assert std in D.HEADER_SYNONYMS


def test_roster_sheet_matches_roster_data(tmp_path):
    init_workspace(tmp_path)
    rows = _table(_sheets(tmp_path / CONFIG_NAME)[D.SHEET_ROSTER], 7)
    assert len(rows) == len(ROSTER) >= 55
    for got, u in zip(rows, ROSTER):
        name, aliases, group, quota, contact, email, order = got
        assert (name, group, contact, email) == (u.name, u.group, u.contact, u.email)
        assert aliases == "、".join(u.aliases)
        assert _num_or_blank(quota) == _num_or_blank(u.quota)
        assert float(order) == u.order
    groups = {u.group for u in ROSTER}
    assert groups == {"乡镇", "县直一类", "县直二类"}
    # names and aliases are unique across the roster, so every spelling points at one unit
    spellings = [n for u in ROSTER for n in (u.name, *u.aliases)]
    assert len(spellings) == len(set(spellings))
    assert any(u.quota is None for u in ROSTER) and any(u.quota is not None for u in ROSTER)
    assert all(u.email.endswith("@example.gov.cn") for u in ROSTER if u.email)


def test_config_reads_back_with_govxl_config(tmp_path):
    from govxl.normalise.config import load_config

    init_workspace(tmp_path)
    cfg = load_config(tmp_path / CONFIG_NAME)
    assert cfg.problems == []
    assert [u.name for u in cfg.units] == [u.name for u in ROSTER]
    byname = {u.name: u for u in cfg.units}
    assert byname["县发展和改革局"].aliases == ("县发改局", "发改局", "安澜县发展和改革局")
    assert byname["县发展和改革局"].quota is None and byname["城关镇"].quota == 5
    assert cfg.mapping == {std: [name] for std, name in MAPPING_EXAMPLES}
    assert cfg.office == dict((k, v) for k, v, _ in D.DEFAULT_SETTINGS)["机关名称"]
    assert [(r.name, r.level, r.points) for r in cfg.adoption_rules] == \
        [(n, lv, float(p)) for n, lv, p, *_ in D.DEFAULT_ADOPTION_RULES]


def test_refuses_to_overwrite_config(tmp_path):
    init_workspace(tmp_path)
    config = tmp_path / CONFIG_NAME
    config.write_bytes(b"the clerk's own roster")
    with pytest.raises(UsageError) as exc:
        init_workspace(tmp_path)
    assert "已存在" in exc.value.message and CONFIG_NAME in exc.value.message
    assert exc.value.exit_code == 2
    assert config.read_bytes() == b"the clerk's own roster"
    with pytest.raises(UsageError):
        init_workspace(tmp_path, sample=True)
    assert list((tmp_path / "workbooks").iterdir()) == []
    init_workspace(tmp_path, force=True)
    assert config.read_bytes()[:2] == b"PK"


def test_refuses_to_overwrite_a_register(tmp_path):
    (tmp_path / "workbooks").mkdir()
    mine = tmp_path / "workbooks" / CSV_NAME
    mine.write_bytes(b"mine")
    with pytest.raises(UsageError) as exc:
        init_workspace(tmp_path, sample=True)
    assert CSV_NAME in exc.value.message
    assert mine.read_bytes() == b"mine"
    assert not (tmp_path / CONFIG_NAME).exists()  # nothing written
    assert sorted(p.name for p in tmp_path.iterdir()) == ["workbooks"]


def test_dest_that_is_a_file(tmp_path):
    f = tmp_path / "x.txt"
    f.write_text("x")
    with pytest.raises(UsageError) as exc:
        init_workspace(f)
    assert "不是文件夹" in exc.value.message


def test_sample_writes_registers(tmp_path):
    created = init_workspace(tmp_path, sample=True)
    wb = tmp_path / "workbooks"
    files = sorted(p.relative_to(wb) for p in wb.rglob("*") if p.is_file())
    assert Path("乡镇信息报送台账2025.xlsx") in files
    assert Path("采用登记2025.xlsx") in files
    assert Path(CSV_NAME) in files
    assert sum(1 for p in files if p.parts[0] == "县直部门") >= 30
    assert all(wb / p in created for p in files)
    assert not any(p.name.startswith(".govxl") for p in tmp_path.iterdir())
    # the example config names the county's office, the rest of the settings are the defaults
    settings = _table(_sheets(tmp_path / CONFIG_NAME)[D.SHEET_SETTINGS], 3)
    assert settings[0][:2] == ("机关名称", OFFICE_NAME)
    # the rest are the defaults, with the sample's own where it has them (an example sender, last year's
    # documents in force)
    from govxl.workspace.roster_data import SAMPLE_SETTINGS

    own = {k: SAMPLE_SETTINGS.get(k, v) for k, v, _n in D.DEFAULT_SETTINGS}
    assert settings[1:] == [(k, float(own[k]) if isinstance(own[k], int) else own[k], n)
                            for k, _v, n in D.DEFAULT_SETTINGS[1:]]
    assert dict((k, v) for k, v, _n in settings)["发件人"].endswith("@example.gov.cn")


def test_write_config_deterministic_and_text_stays_text(tmp_path):
    roster = ROSTER[:3] + (RosterUnit("=SUM(1,2)", ("+1", "@单位"), "乡镇", None, "-张三", "", 4),)
    a, b = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_config(a, roster, 2025)
    write_config(b, roster, 2025)
    assert a.read_bytes() == b.read_bytes()
    rows = _table(_sheets(a)[D.SHEET_ROSTER], 7)
    assert rows[3][:2] == ("=SUM(1,2)", "+1、@单位")
    assert rows[3][4] == "-张三"
    assert not list(tmp_path.glob(".govxl-*"))
