"""Joint items (联合报送单位) and the monthly cap (issue 19 item 15): each unit that receives a share of a
joint item takes it against its own 报送每月上限, in submission order among its own items. Points are
computed by hand in each case and checked in the JSON and in 得分明细, cell by cell."""
from __future__ import annotations

import json

import openpyxl
import pytest
from click.testing import CliRunner

from conftest import write_config, write_xlsx
from govxl.cli import main

HEADER = ["单位", "信息标题", "报送日期", "联合报送单位"]
OWN = [f"城关镇第{i}项工作{'甲乙丙丁戊'[i]}进展顺利" for i in range(5)]
JOINT = "两镇联合开展河道清理"


def _run(ws, mode: str, joint_day: int, *period):
    write_config(ws / "govxl.xlsx", other={"报送每篇": 1, "报送每月上限": 3}, settings={"重复信息处理": mode})
    rows = [HEADER] + [["城关镇", t, f"2025-10-{i + 2:02d}", None] for i, t in enumerate(OWN)]
    rows.append(["城关镇", JOINT, f"2025-10-{joint_day:02d}", "青石镇"])
    write_xlsx(ws / "workbooks" / "台账.xlsx", {"10月": rows})
    r = CliRunner().invoke(main, ["score", *period, "--json"])
    data = json.loads(r.stdout)
    # a longer period than October runs past the registers' last date: said, with exit 1 (issue 20.1)
    assert r.exit_code == (1 if data["alerts"] else 0), r.output
    assert all("请确认登记表是否收齐" in a for a in data["alerts"])
    assert bool(data["alerts"]) == (data["period"]["end"] > "2025-10-31")
    points = {u["unit"]: u["points"] for u in data["units"]}
    path = next(p for p in data["outputs"] if p.endswith(".xlsx"))
    sheet = openpyxl.load_workbook(ws / path)["得分明细"]
    head = [c.value for c in sheet[2]]
    detail = {}
    for row in sheet.iter_rows(min_row=3, values_only=True):
        if row[head.index("单位")]:
            detail[(row[head.index("单位")], row[head.index("信息标题")])] = (row[head.index("报送分")], row[head.index("计分依据")])
    return data, points, detail


# (mode, day of the joint item) → (城关镇's submission points item by item, the joint one last; 青石镇's)
CASES = {
    # joint item last: 城关镇 has used its 3 points on its own items, 青石镇 still has its whole room
    ("均分", 28): ([1, 1, 1, 0, 0, 0], 0.5),
    ("全计", 28): ([1, 1, 1, 0, 0, 0], 1),
    # joint item first: it uses 城关镇's room before its own items do
    ("均分", 1): ([1, 1, 0.5, 0, 0, 0.5], 0.5),
    ("全计", 1): ([1, 1, 0, 0, 0, 1], 1),
}


@pytest.mark.parametrize("mode,day", list(CASES))
def test_each_unit_has_its_own_cap(ws, mode, day):
    own_points, partner = CASES[(mode, day)]
    data, points, detail = _run(ws, mode, day, "--month", "2025-10")
    assert points["城关镇"] == sum(own_points) == 3
    assert points["青石镇"] == partner  # it was 0 when the lead's cap was applied to it
    for title, want in zip(OWN + [JOINT], own_points):
        assert detail[("城关镇", title)][0] == want, title
    got, basis = detail[("青石镇", JOINT)]
    assert got == partner
    assert "已达上限" not in basis
    if mode == "均分":
        assert "2家均分" in basis and "（（" not in basis


@pytest.mark.parametrize("mode", ["均分", "全计"])
def test_the_partners_share_counts_in_the_quarter_and_the_year_to_date(ws, mode):
    _, partner = CASES[(mode, 28)]
    data, points, _ = _run(ws, mode, 28, "--quarter", "2025-Q4")
    assert points["青石镇"] == partner
    ytd = {u["unit"]: u["ytd_points"] for u in data["units"]}
    assert ytd["青石镇"] == partner and ytd["城关镇"] == 3
