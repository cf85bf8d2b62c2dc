"""Builders for real config workbooks and registers, written with openpyxl in each test."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from govxl import defaults as D


def write_xlsx(path: Path, sheets: dict, *, merges: dict | None = None, hidden: tuple = (), formulas: bool = True) -> Path:
    """sheets: {name: [row, ...]} (rows are lists; None = empty). merges: {name: ["A1:C1", ...]}.

    With formulas=False, text starting with "=" is stored as text, as a clerk's typed title would be."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for r in rows:
            ws.append(list(r))
            if not formulas:
                for cell in ws[ws.max_row]:
                    if isinstance(cell.value, str) and cell.value.startswith("="):
                        cell.data_type = "s"
        for rng in (merges or {}).get(name, ()):
            ws.merge_cells(rng)
        if name in hidden:
            ws.sheet_state = "hidden"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


DEFAULT_UNITS = [
    # 单位名称, 别名, 分组, 月任务数
    ("城关镇", "城关", "乡镇", 2),
    ("青石镇", "", "乡镇", 2),
    ("县教育局", "教育局", "县直一类", None),
    ("县发展和改革局", "县发改局、发改局", "县直一类", None),
    ("县档案馆", "", "县直二类", 1),
]


def write_config(path: Path, *, units=None, settings=None, other=None, adoption=None, instruction=None,
                 mapping=None, drop_sheets=()) -> Path:
    units = DEFAULT_UNITS if units is None else units
    roster = [list(D.ROSTER_COLUMNS)]
    for i, u in enumerate(units):
        name, alias, group, quota = (list(u) + [None] * 4)[:4]
        roster.append([name, alias, group, quota, "联系人", f"u{i}@example.gov.cn", None])
    adoption_rows = [list(D.ADOPTION_COLUMNS)] + [list(r) for r in (adoption or D.DEFAULT_ADOPTION_RULES)]
    instruction_rows = [list(D.INSTRUCTION_COLUMNS)] + [list(r) for r in (instruction or D.DEFAULT_INSTRUCTION_RULES)]
    other_map = dict(D.DEFAULT_OTHER_RULES)
    other_map.update(other or {})
    other_rows = [list(D.OTHER_COLUMNS)] + [[k, v] for k, v in other_map.items()]
    s = {k: v for k, v, _ in D.DEFAULT_SETTINGS}
    s.update(settings or {})
    settings_rows = [["项目", "值", "说明"]] + [[k, v, ""] for k, v in s.items()]
    mapping_rows = [list(D.MAPPING_COLUMNS)] + [list(r) for r in (mapping or [])]
    sheets = {
        D.SHEET_ROSTER: roster,
        D.SHEET_ADOPTION: adoption_rows,
        D.SHEET_INSTRUCTION: instruction_rows,
        D.SHEET_OTHER: other_rows,
        D.SHEET_SETTINGS: settings_rows,
        D.SHEET_MAPPING: mapping_rows,
    }
    for name in drop_sheets:
        sheets.pop(name)
    return write_xlsx(path, sheets)


def hash_tree(folder: Path) -> dict:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def ws(tmp_path, monkeypatch):
    """A workspace folder (the current folder, as a clerk runs govxl) with a default config and empty workbooks/."""
    monkeypatch.chdir(tmp_path)
    write_config(tmp_path / "govxl.xlsx")
    (tmp_path / "workbooks").mkdir()
    return tmp_path


# ---- titles for the near-duplicate searches' tests against comparing every pair --------------------------

def edited(rng, alphabet, base: str) -> str:
    """base with up to three characters deleted, inserted (from alphabet) or replaced."""
    t = list(base)
    for _ in range(rng.randint(0, 3)):
        op = rng.random()
        if op < 0.4 and t:
            t.pop(rng.randrange(len(t)))
        elif op < 0.8:
            t.insert(rng.randint(0, len(t)), rng.choice(alphabet))
        elif t:
            t[rng.randrange(len(t))] = rng.choice(alphabet)
    return "".join(t)


ALPHABETS = ["ab", "甲乙丙丁戊", "".join(chr(0x4E00 + k) for k in range(40)),
             "".join(chr(0x4E00 + k) for k in range(600))]  # > 255 characters: the compact alphabet is not exact


def vary_the_search(rng, monkeypatch):
    """The knobs of govxl.normalise.similar and groups set at random: small values make a few titles go every
    way there is."""
    from govxl.normalise import groups, similar

    monkeypatch.setattr(similar, "FEW", rng.choice([0, 1, 3, 32]))
    monkeypatch.setattr(similar, "ONE_GROUP", rng.choice([0, 10, 4_000_000]))
    monkeypatch.setattr(similar, "PART_ROWS", rng.choice([1, 9, 32768]))
    monkeypatch.setattr(similar, "PASS_ROWS", rng.choice([1, 7, 4096]))
    monkeypatch.setattr(similar, "ROWS", rng.choice([1, 5, 512]))
    monkeypatch.setattr(similar, "BATCH_STEP", rng.choice([1, 16]))
    monkeypatch.setattr(similar, "BATCH_UP_TO", rng.choice([0, 4, 512]))
    monkeypatch.setattr(similar, "MATRIX_CELLS", rng.choice([5, 4_000_000]))
    monkeypatch.setattr(similar, "LISTED_COST", rng.choice([0.01, 40, 10 ** 6]))
    monkeypatch.setattr(similar, "SCORED_COST", rng.choice([0.01, 5]))
    monkeypatch.setattr(similar, "BUCKETS", rng.choice([1, 3, 126]))
    monkeypatch.setattr(similar, "CLASSES", rng.choice([1, 3, 16]))
    monkeypatch.setattr(similar, "CLASS_STEP", rng.choice([0, 1, 4]))
    monkeypatch.setattr(groups, "BIGRAM_PREMIUM", rng.choice([0, 4, 10 ** 9]))
    monkeypatch.setattr(groups, "PARTITION_PREMIUM", rng.choice([0, 1, 10 ** 9]))
    monkeypatch.setattr(groups, "ESTIMATED_FROM", rng.choice([1, 4096]))
