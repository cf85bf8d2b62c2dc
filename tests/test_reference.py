"""docs/reference.md is the contract a macro author reads: it must name every setting, rule, column,
result key and sheet the program has (issue 20.9)."""
from pathlib import Path

import pytest

from govxl import api
from govxl import defaults as D
from govxl.workspace.folder import init_workspace

REFERENCE = (Path(__file__).resolve().parent.parent / "docs" / "reference.md").read_text(encoding="utf-8")


def test_every_config_name_is_in_the_reference():
    names = [k for k, _v, _n in D.DEFAULT_SETTINGS] + [k for k, _v in D.DEFAULT_OTHER_RULES]
    names += [*D.ROSTER_COLUMNS, *D.ADOPTION_COLUMNS, *D.INSTRUCTION_COLUMNS, *D.HEADER_SYNONYMS]
    names += [D.SHEET_ROSTER, D.SHEET_ADOPTION, D.SHEET_INSTRUCTION, D.SHEET_OTHER, D.SHEET_SETTINGS, D.SHEET_MAPPING]
    assert [n for n in names if n not in REFERENCE] == []


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    ws = tmp_path_factory.mktemp("ref")
    init_workspace(ws, sample=True)
    return ws


def test_every_result_key_and_sheet_is_in_the_reference(sample):
    import openpyxl

    res = api.public(api.score([sample / "workbooks"], sample / "govxl.xlsx", year="2025", out=sample / "out"))
    keys = [*res, *res["units"][0], *res["totals"], *res["period"], *res["rows"]]
    checked = api.check([sample / "workbooks"], sample / "govxl.xlsx")
    keys += list(checked)
    dis = api.disclosure(2025, [sample / "workbooks"], sample / "govxl.xlsx", out=sample / "out")
    keys += list(dis)
    assert sorted({k for k in keys if k not in REFERENCE}) == []
    book = openpyxl.load_workbook(sample / res["outputs"][0], read_only=True)
    assert [s for s in book.sheetnames if s not in REFERENCE] == []
