"""Issue 23.1: points that depend on the publication and the type — 采用计分 rows by 信息类型, 批示计分 rows
by 刊物 — each case a register row scored by the real `govxl score`, its points counted by hand and checked
in the JSON and in the ranking workbook's 得分明细, cell by cell."""
import json

import openpyxl
import pytest
from click.testing import CliRunner

from conftest import write_config, write_xlsx
from govxl import defaults as D
from govxl.cli import main

UNITS = [("城关镇", "", "乡镇", 2), ("青石镇", "", "乡镇", 2)]
HEAD = ("单位", "标题", "报送日期", "信息类型", "采用情况", "领导批示")

# 采用计分: the default rows are sheet rows 2–8; these are rows 9–12
# (刊物, 级别, 分值, 别名, 倍数, 信息类型)
TYPED_ADOPTION = [
    ("省级专报", "省级", 30, "", None, "调研"),  # row 9: "省专报 20 分，调研类 30 分"
    ("省级专报", "省级", 40, "", None, "重大调研"),  # row 10: a longer type word is more specific
    ("市级", "市级", 8, "", None, "调研、专题"),  # row 11: the level's default row, by type
    ("市级专报", "市级", 12, "", 2, "信息快报"),  # row 12: a typed row's own 倍数
]

# title → (信息类型, 采用情况, 采用分, 其他加减分, 计分依据) with 类型倍数：调研 = 2 and 报送每篇 0
ADOPTION_CASES = {
    "甲": ("调研", "省办专报", 30, 0,  # typed row: 30, and 类型倍数 does not multiply it again
           "报送每篇 +0；采用：省级专报（省办专报；信息类型“调研”，按采用计分第9行） +30"),
    "乙": ("动态", "省办专报", 20, 0, "报送每篇 +0；采用：省级专报（省办专报） +20"),
    "丙": (None, "省办专报", 20, 0, "报送每篇 +0；采用：省级专报（省办专报） +20"),
    "丁": ("重大调研", "省办专报", 40, 0,  # 调研 and 重大调研 both match: the longer word wins
           "报送每篇 +0；采用：省级专报（省办专报；信息类型“重大调研”，按采用计分第10行） +40"),
    "戊": ("专题", "市采用", 8, 0, "报送每篇 +0；采用：市级（市采用；信息类型“专题”，按采用计分第11行） +8"),
    "己": ("调研", "市专报", 10, 10,  # no typed row of 市级专报 for 调研: its own 10, ×2 by 类型倍数
           "报送每篇 +0；采用：市级专报（市专报） +10；类型倍数×2（调研类信息） +10"),
    "庚": ("信息快报", "市专报", 24, 0,  # the typed row's 分值 12 and its 倍数 2
           "报送每篇 +0；采用：市级专报（市专报；信息类型“信息快报”，按采用计分第12行） +12；"
           "采用倍数×2（按采用计分“倍数”列（如转报上级）） +12"),
    "辛": ("调研", "市专报；省办专报", 30, 0,  # 多次采用计分 = 最高 compares the typed points; nothing left to ×2
           "报送每篇 +0；采用：市级专报（市专报（多次采用只计最高一次）） +0；"
           "采用：省级专报（省办专报；信息类型“调研”，按采用计分第9行） +30"),
}

# 批示计分: the default rows are sheet rows 2–5 (县 3/1, 市 10/5, 省 20/10, 国 40/20); these are rows 6–8
# (领导级别, 首次分值, 再次分值, 刊物)
PUBLICATION_INSTRUCTION = [
    ("市级", 20, 15, "市专报"),  # row 6: "批示在市级专报上的 20 分" (an alias names the row 市级专报)
    ("市级", 25, 12, "省级专报"),  # row 7
    ("县级", 6, 2, "本级专报"),  # row 8: the alias of 《本级政务信息》专报
]
P6 = "被“市级专报”采用，按批示计分第6行"
P7 = "被“省级专报”采用，按批示计分第7行"

# title → (采用情况, 领导批示, 批示分, the 批示 part of 计分依据)
INSTRUCTION_CASES = {
    "子": ("市专报", "市长批示", 20, f"批示：市级首次（市长批示；{P6}） +20"),
    "丑": ("市采用", "市长批示", 10, "批示：市级首次（市长批示） +10"),
    "寅": ("市专报", "市长批示；副市长批示", 35,
           f"批示：市级首次（市长批示；{P6}） +20；批示：市级再次（副市长批示；{P6}） +15"),
    # adopted by both: each 批示 takes the row giving it more (首次 25 of row 7, 再次 15 of row 6)
    "卯": ("市专报；省专报", "市长批示；副市长批示", 40,
           f"批示：市级首次（市长批示；{P7}） +25；批示：市级再次（副市长批示；{P6}） +15"),
    "辰": (None, "市长批示", 10, "批示：市级首次（市长批示） +10"),
    "巳": ("市专报", "县长批示", 3, "批示：县级首次（县长批示） +3"),  # no 县级 row for 市级专报
    "午": ("县专报", "县长批示", 6, "批示：县级首次（县长批示；被“《本级政务信息》专报”采用，按批示计分第8行） +6"),
}


def _score(*args):
    r = CliRunner().invoke(main, ["score", *args, "--json"], catch_exceptions=False)
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def _detail(ws, data) -> dict:
    """得分明细 of the ranking workbook: {title: {column: value}}."""
    path = next(p for p in data["outputs"] if p.endswith(".xlsx"))
    sheet = openpyxl.load_workbook(ws / path)["得分明细"]
    head = [c.value for c in sheet[2]]
    return {row[head.index("信息标题")]: dict(zip(head, row)) for row in sheet.iter_rows(min_row=3, values_only=True)
            if row[head.index("单位")]}


def _register(ws, rows):
    write_xlsx(ws / "workbooks" / "台账.xlsx", {"10月": [list(HEAD), *rows]})


@pytest.fixture
def adoption_run(ws):
    write_config(ws / "govxl.xlsx", units=UNITS, adoption=[*D.DEFAULT_ADOPTION_RULES, *TYPED_ADOPTION],
                 other={"类型倍数：调研": 2, "报送每篇": 0})
    _register(ws, [["城关镇", t, f"2025-10-{i + 2:02d}", kind, text, None]
                   for i, (t, (kind, text, *_)) in enumerate(ADOPTION_CASES.items())])
    data = _score("--month", "2025-10")
    return data, _detail(ws, data)


@pytest.mark.parametrize("title", list(ADOPTION_CASES))
def test_adoption_points_by_type(adoption_run, title):
    _data, detail = adoption_run
    _kind, _text, adoption, other, basis = ADOPTION_CASES[title]
    row = detail[title]
    assert (row["报送分"], row["采用分"], row["批示分"], row["其他加减分"]) == (0, adoption, 0, other)
    assert row["本篇得分"] == adoption + other
    assert row["计分依据"] == basis


def test_adoption_by_type_totals(adoption_run):
    data, _detail_rows = adoption_run
    u = {x["unit"]: x for x in data["units"]}
    assert u["城关镇"]["points"] == sum(a + o for _k, _t, a, o, _b in ADOPTION_CASES.values()) == 192
    # a row by 信息类型 is its publication's level: 各级采用 counts as before
    assert u["城关镇"]["adopted"] == 8
    assert u["城关镇"]["adopted_by_level"] == {"县级": 0, "市级": 4, "省级": 5, "国家级": 0}


@pytest.fixture
def instruction_run(ws):
    write_config(ws / "govxl.xlsx", units=UNITS, instruction=[*D.DEFAULT_INSTRUCTION_RULES, *PUBLICATION_INSTRUCTION],
                 other={"报送每篇": 0})
    _register(ws, [["城关镇", t, f"2025-10-{i + 2:02d}", "动态", text, ins]
                   for i, (t, (text, ins, *_)) in enumerate(INSTRUCTION_CASES.items())])
    data = _score("--month", "2025-10")
    return data, _detail(ws, data)


@pytest.mark.parametrize("title", list(INSTRUCTION_CASES))
def test_instruction_points_by_publication(instruction_run, title):
    _data, detail = instruction_run
    _text, _ins, points, basis = INSTRUCTION_CASES[title]
    row = detail[title]
    assert row["批示分"] == points
    assert row["计分依据"].endswith(basis), row["计分依据"]
    assert row["本篇得分"] == row["采用分"] + points


def test_instruction_by_publication_totals(instruction_run):
    data, detail = instruction_run
    u = {x["unit"]: x for x in data["units"]}
    adopted = {"子": 10, "丑": 5, "寅": 10, "卯": 20, "辰": 0, "巳": 10, "午": 4}  # 最高 of each item's adoptions
    assert [detail[t]["采用分"] for t in INSTRUCTION_CASES] == list(adopted.values())
    assert u["城关镇"]["points"] == sum(adopted.values()) + sum(c[2] for c in INSTRUCTION_CASES.values()) == 183
    assert u["城关镇"]["instructions"] == 9


def test_highest_instruction_compares_the_publication_points(ws):
    # 批示计分 = 最高: 市长批示 on an item of 省级专报 earns 25 (row 7), more than 副省长批示's 20
    write_config(ws / "govxl.xlsx", units=UNITS, instruction=[*D.DEFAULT_INSTRUCTION_RULES, *PUBLICATION_INSTRUCTION],
                 other={"报送每篇": 0}, settings={"批示计分": "最高"})
    _register(ws, [["城关镇", "甲", "2025-10-02", "动态", "省专报", "副省长批示；市长批示"]])
    data = _score("--month", "2025-10")
    row = _detail(ws, data)["甲"]
    assert (row["采用分"], row["批示分"], row["本篇得分"]) == (20, 25, 45)
    assert row["计分依据"] == ("报送每篇 +0；采用：省级专报（省专报） +20；批示：省级（副省长批示（不计（只计最高一条））） +0；"
                            f"批示：市级首次（市长批示；{P7}） +25")
    assert data["units"][0]["points"] == 45


def test_config_without_the_columns_scores_as_before(ws):
    """A govxl.xlsx written before these columns existed (no 信息类型, no 批示计分 › 刊物) scores as one
    with the columns blank."""
    rows = [["城关镇", "甲", "2025-10-02", "调研", "省专报；市采用", "市长批示；副市长批示"],
            ["青石镇", "乙", "2025-10-03", "动态", "市专报", "县长批示"]]
    _register(ws, rows)
    write_config(ws / "govxl.xlsx", units=UNITS, other={"类型倍数：调研": 2})
    blank = _score("--month", "2025-10")
    book = openpyxl.load_workbook(ws / "govxl.xlsx")
    for name, column in ((D.SHEET_ADOPTION, "信息类型"), (D.SHEET_INSTRUCTION, "刊物")):
        sheet = book[name]
        sheet.delete_cols([c.value for c in sheet[1]].index(column) + 1)
    book.save(ws / "govxl.xlsx")
    old = _score("--month", "2025-10", "--out", "old")
    assert [(u["unit"], u["points"]) for u in old["units"]] == [(u["unit"], u["points"]) for u in blank["units"]] \
        == [("城关镇", 20 * 2 + 0.5 + 15), ("青石镇", 10 + 0.5 + 3)]
    assert _detail(ws, old) == _detail(ws, blank)


# a bad cell: (extra 采用计分 rows, extra 批示计分 rows) → (sheet, row, column, message)
BAD = {
    "typed row without its plain row": (
        [("调研专刊", "市级", 5, "", None, "调研")], [],
        (D.SHEET_ADOPTION, 9, "F", "刊物“调研专刊”只有按信息类型计分的行：请再加一行信息类型为空的“调研专刊”"
                                   "（其他类型信息被该刊物采用时的分值）")),
    "typed row of another level": (
        [("省级专报", "市级", 30, "", None, "调研")], [],
        (D.SHEET_ADOPTION, 9, "B", "级别“市级”与第7行“省级专报”的级别“省级”不同")),
    "a type twice for one publication": (
        [("省级专报", "省级", 30, "", None, "调研"), ("省级专报", "省级", 35, "", None, "专题、调研")], [],
        (D.SHEET_ADOPTION, 10, "F", "刊物“省级专报”的信息类型“调研”与第9行重复")),
    "no type in the cell": (
        [("省级专报", "省级", 30, "", None, "、")], [],
        (D.SHEET_ADOPTION, 9, "F", "信息类型“、”中没有可用的类型（如 调研、专报；多个用顿号隔开）")),
    "a publication not in 采用计分": (
        [], [("市级", 20, 10, "《政务建议》")],
        (D.SHEET_INSTRUCTION, 6, "D", "刊物“《政务建议》”不在采用计分中：请填写采用计分中的刊物名称或别名")),
    "a level and publication twice": (
        [], [("市级", 20, 10, "市级专报"), ("市级", 30, 10, "市办专报")],
        (D.SHEET_INSTRUCTION, 7, "D", "市级领导批示在“市级专报”上的分值与第6行重复")),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_cell_is_located(ws, case):
    adoption, instruction, (sheet, row, column, message) = BAD[case]
    write_config(ws / "govxl.xlsx", units=UNITS, adoption=[*D.DEFAULT_ADOPTION_RULES, *adoption],
                 instruction=[*D.DEFAULT_INSTRUCTION_RULES, *instruction])
    r = CliRunner().invoke(main, ["check", "--json"])
    assert r.exit_code == 2, r.output
    errors = [p for p in json.loads(r.stdout)["problems"] if p["severity"] == "error"]
    assert [(p["sheet"], p["row"], p["column"], p["message"]) for p in errors] == [(sheet, row, column, message)]


def test_alias_on_a_typed_row_is_warned(ws):
    write_config(ws / "govxl.xlsx", units=UNITS,
                 adoption=[*D.DEFAULT_ADOPTION_RULES, ("省级专报", "省级", 30, "调研专报", None, "调研")])
    r = CliRunner().invoke(main, ["check", "--json"])
    warned = [(p["sheet"], p["row"], p["column"], p["message"]) for p in json.loads(r.stdout)["problems"]]
    assert (D.SHEET_ADOPTION, 9, "D", "按信息类型计分的行不使用别名：“省级专报”的别名请写在第7行") in warned


def test_readme_example_four(ws):
    """README 例四: 省专报 20, 调研类 30; 市领导批示 +5, 批示在《政务建议》上的 +10."""
    write_config(ws / "govxl.xlsx", units=UNITS, other={"报送每篇": 0},
                 adoption=[("省级专报", "省级", 20, "省专报"), ("省级专报", "省级", 30, "", None, "调研"),
                           ("《政务建议》", "市级", 8, ""), ("市级", "市级", 5, ""), ("省级", "省级", 10, "")],
                 instruction=[("市级", 5, 5), ("市级", 10, 10, "《政务建议》")])
    _register(ws, [["城关镇", "甲", "2025-10-02", "调研", "省专报", None],
                   ["城关镇", "乙", "2025-10-03", "动态", "省专报", None],
                   ["青石镇", "丙", "2025-10-03", "动态", "《政务建议》", "市长批示；副市长批示"],
                   ["青石镇", "丁", "2025-10-04", "动态", "市采用", "市长批示；副市长批示"]])
    data = _score("--month", "2025-10")
    detail = _detail(ws, data)
    assert [detail[t]["本篇得分"] for t in "甲乙丙丁"] == [30, 20, 28, 15]
    assert detail["丙"]["计分依据"] == ("报送每篇 +0；采用：《政务建议》（《政务建议》） +8；"
                                    "批示：市级首次（市长批示；被“《政务建议》”采用，按批示计分第3行） +10；"
                                    "批示：市级再次（副市长批示；被“《政务建议》”采用，按批示计分第3行） +10")
    assert [(u["unit"], u["points"]) for u in data["units"]] == [("城关镇", 50), ("青石镇", 43)]
