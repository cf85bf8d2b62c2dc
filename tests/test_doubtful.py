"""Issue 19, “say it when something is changed or doubtful”: each doubt said once, in Chinese, saying
what is really wrong, located; nothing changed silently."""
import datetime as dt
from collections import Counter

import pytest

from conftest import write_xlsx
from govxl import api

D = dt.datetime


def problems_of(result, severity=None):
    return [p for p in result["problems"] if severity is None or p["severity"] == severity]


def test_an_unknown_publication_on_an_adoption_register_row_is_warned_once(ws):
    write_xlsx(ws / "workbooks" / "台账.xlsx", {"十月": [["单位", "标题", "报送日期"],
                                                     ["城关镇", "城关镇推进秋粮收购", D(2025, 10, 3)],
                                                     ["青石镇", "青石镇茶产业提质增效", D(2025, 10, 4)]]})
    write_xlsx(ws / "workbooks" / "采用登记.xlsx", {"登记": [["单位", "标题", "采用情况"],
                                                       ["城关镇", "城关镇推进秋粮收购", "《东川省政务信息》"],
                                                       ["青石镇", "青石镇茶产业提质增效工作", "《江源市政务信息》"]]})
    runs = [api.check(), api.score(month="2025-10"), api.score(month="2025-10")]  # the last from out/.cache
    for result in runs:
        said = Counter((p["file"], p["row"], p["message"]) for p in problems_of(result, "warning"))
        assert said and max(said.values()) == 1, said
        publications = [k for k in said if "不在采用计分中" in k[2]]
        assert [(f, r) for f, r, _ in sorted(publications)] == [("workbooks/采用登记.xlsx", 2),
                                                                ("workbooks/采用登记.xlsx", 3)]
        assert any("相似度" in m for _, _, m in said)  # the fuzzy match is still said, once


def _dated_register(path, n_good):
    """A register whose 报送日期 column holds date cells of every doubtful kind (issue 19.10), after
    n_good rows of good dates (enough of them makes the sheet go column by column)."""
    import openpyxl

    wb = openpyxl.Workbook()
    sh = wb.active
    sh.title = "十月"
    sh.append(["单位", "标题", "报送日期"])
    for i in range(n_good):
        sh.append(["城关镇", f"城关镇第{i}条秋粮收购信息", D(2025, 10, 1 + i % 28)])
    doubtful = [(1, "yyyy-mm-dd"), (60, "yyyy-mm-dd"), (D(1900, 1, 10), None), (D(1985, 10, 9), None),
                (D(2100, 1, 1), None), (-5, "yyyy-mm-dd"), ("1900-01-10", None), ("1985-10-09", None),
                ("nan", None), ("2100-03-01", None)]
    for k, (value, fmt) in enumerate(doubtful):
        sh.append(["青石镇", f"青石镇第{k}条茶产业信息", value])
        if fmt:
            sh.cell(sh.max_row, 3).number_format = fmt
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return n_good + 2, len(doubtful)  # the first doubtful row, how many


@pytest.mark.parametrize("n_good", [3, 400])
def test_every_form_of_an_implausible_date_is_an_error_never_counted(ws, n_good):
    first, n = _dated_register(ws / "workbooks" / "台账.xlsx", n_good)
    result = api.check()
    assert result["rows"]["counted"] == n_good and result["rows"]["error"] == n
    errors = {p["row"]: p for p in problems_of(result, "error")}
    assert sorted(errors) == list(range(first, first + n))
    for p in errors.values():
        assert p["column"] == "C" and p["sheet"] == "十月", p
        message = p["message"]
        assert message.startswith("报送日期") and "日期日期" not in message and "报送日期报送日期" not in message
    by_row = [errors[first + k]["message"] for k in range(n)]
    assert all("早于1990年" in m for m in (by_row[0], by_row[1], by_row[2], by_row[3], by_row[6], by_row[7]))
    assert "“1985-10-09”早于1990年" in by_row[7] and "“1900-01-10”早于1990年" in by_row[6]
    assert "晚于2099年" in by_row[4] and "晚于2099年" in by_row[9]
    assert "不是日期" in by_row[5] and "负数" in by_row[5] and "没有日期" not in by_row[5]
    assert by_row[8] == "报送日期“nan”不是日期"


def test_a_date_without_a_year_takes_the_same_year_in_check_and_score(ws):
    write_xlsx(ws / "workbooks" / "台账.xlsx", {"十月": [["单位", "标题", "报送日期"],
                                                     ["城关镇", "城关镇推进秋粮收购", D(2025, 10, 3)],
                                                     ["青石镇", "青石镇茶产业提质增效", "10月9日"]]})
    said = {}
    for name, result in (("check", api.check()), ("score", api.score(month="2025-10"))):
        said[name] = [p["message"] for p in problems_of(result, "warning") if "缺少年份" in p["message"]]
        assert result["rows"]["counted"] == 2, name
    assert said["check"] == said["score"] == ["日期“10月9日”缺少年份，按2025年计"]


def located(result, sheet, row, column=None):
    return [p for p in result["problems"] if p["sheet"] == sheet and p["row"] == row
            and (column is None or p["column"] == column)]


def test_config_numbers_are_told_apart_negative_infinite_formula(ws):
    from conftest import write_config

    write_config(ws / "govxl.xlsx",
                 units=[("城关镇", "", "乡镇", -3), ("青石镇", "", "乡镇", "inf"), ("白沙镇", "", "乡镇", "nan"),
                        ("=A2&\"分局\"", "", "乡镇", 2), ("县档案馆", "", "县直", True)])
    result = api.check()
    assert result["exit_code"] == 2
    said = {p["row"]: p["message"] for p in result["problems"] if p["sheet"] == "单位名册"}
    assert said == {2: "月任务数“-3”是负数，不能小于 0",
                    3: "月任务数“inf”不是有限的数字（无穷大或非数）",
                    4: "月任务数“nan”不是有限的数字（无穷大或非数）",
                    5: "单位名称是公式但没有计算结果（请在 Excel/WPS 中打开并保存后再试，或直接填写）",
                    6: "月任务数“是”不是数字"}


def test_negative_points_for_an_adoption_or_instruction_are_taken_and_said(ws):
    from conftest import write_config

    adoption = [("县级", "县级", 2, ""), ("市级", "市级", -5, ""), ("省级", "省级", 10, ""), ("国家级", "国家级", 20, "")]
    instruction = [("县级", 3, -1), ("市级", 10, 5), ("省级", 20, 10), ("国家级", 40, 20)]
    write_config(ws / "govxl.xlsx", adoption=adoption, instruction=instruction)
    write_xlsx(ws / "workbooks" / "台账.xlsx", {"十月": [["单位", "标题", "报送日期", "采用情况"],
                                                     ["城关镇", "城关镇推进秋粮收购", D(2025, 10, 3), "市采用"]]})
    result = api.score(month="2025-10")
    assert result["exit_code"] == 0
    assert [p["message"] for p in located(result, "采用计分", 3, "C")] == \
        ["分值为负数：被“市级”采用将扣分而不是加分，请核对"]
    assert [p["message"] for p in located(result, "批示计分", 2, "C")] == \
        ["再次分值为负数：得到县级领导批示将扣分而不是加分，请核对"]
    assert all(p["severity"] == "warning" for p in result["problems"])
    import openpyxl

    book = openpyxl.load_workbook(next((ws / "out").rglob("*.xlsx")))
    rows = [[c.value for c in r] for r in book["排名通报"].iter_rows()]
    row = next(r for r in rows if "城关镇" in r)
    assert -4.5 in row or "-4.5" in map(str, row), row  # 0.5 for the submission, −5 for the adoption


def _with_duplicate_sheet_names(path):
    """An xlsx whose workbook lists two sheets named 十月 (as a zip tool can leave it; Excel cannot)."""
    import zipfile

    plain = write_xlsx(path.with_name("plain.xlsx"), {
        "十月": [["单位", "标题", "报送日期"], ["城关镇", "城关镇推进秋粮收购", D(2025, 10, 3)]],
        "十月X": [["单位", "标题", "报送日期"], ["青石镇", "青石镇茶产业提质增效", D(2025, 10, 4)],
                ["青石镇", "青石镇开展防汛演练", D(2025, 10, 5)]]})
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/workbook.xml":
                data = data.replace("十月X".encode(), "十月".encode())
            dst.writestr(info, data)
    plain.unlink()


def test_two_sheets_of_one_name_are_both_read_and_said(ws):
    _with_duplicate_sheet_names(ws / "workbooks" / "台账.xlsx")
    for result in (api.check(), api.score(month="2025-10"), api.score(month="2025-10")):
        assert result["rows"] == {"read": 3, "counted": 3, "duplicate": 0, "error": 0, "skipped": 0}
        notes = [p for p in result["problems"] if "同名" in p["message"] or "名为“十月”" in p["message"]]
        assert [(p["sheet"], p["severity"]) for p in notes] == [("十月（2）", "warning")]
        assert "第 2 个按“十月（2）”读取" in notes[0]["message"]


def test_a_title_longer_than_a_cell_holds_is_said_when_cut(ws):
    title = "城关镇" + "长" * 40000
    (ws / "workbooks" / "台账.csv").write_text(
        f"单位,标题,报送日期\n城关镇,{title},2025-10-03\n青石镇,青石镇茶产业提质增效,2025-10-04\n", encoding="utf-8")
    for result in (api.check(), api.score(month="2025-10")):
        cut = [p for p in result["problems"] if "32767" in p["message"]]
        assert [(p["file"], p["row"], p["severity"]) for p in cut] == [("workbooks/台账.csv", 2, "warning")]
        assert cut[0]["message"].startswith("标题长 40003 字")
    import openpyxl

    book = openpyxl.load_workbook(next((ws / "out").rglob("*.xlsx")), read_only=True)
    cells = [c.value for r in book["得分明细"].iter_rows() for c in r if isinstance(c.value, str)]
    assert title[:32767] in cells


def test_check_reads_a_yearless_leap_day_and_ignores_yearless_adoption_dates(ws):
    """The year `check` gives a date without one: the leap day is a date, and only 报送日期 decide."""
    write_xlsx(ws / "workbooks" / "台账.xlsx", {"台账": [["单位", "标题", "报送日期", "市级采用", "采用日期"],
                                                     ["城关镇", "城关镇推进秋粮收购", D(2024, 2, 3), "√", "3月5日"],
                                                     ["青石镇", "青石镇茶产业提质增效", "2月29日", None, None]]})
    result = api.check()
    assert result["rows"]["counted"] == 2 and result["rows"]["error"] == 0
    said = sorted(p["message"] for p in problems_of(result, "warning") if "缺少年份" in p["message"])
    assert said == ["日期“2月29日”缺少年份，按2024年计", "日期“3月5日”缺少年份，按2024年计"]


def test_an_implausible_date_in_a_level_column_is_an_error(ws):
    rows = [["单位", "标题", "报送日期", "市级采用"]]
    rows += [["城关镇", f"城关镇第{i}条信息", D(2025, 10, 1 + i % 28), None] for i in range(300)]
    rows += [["青石镇", "青石镇甲", D(2025, 10, 3), D(1985, 10, 9)], ["青石镇", "青石镇乙", D(2025, 10, 4), "2205-10-09"],
             ["青石镇", "青石镇丙", D(2025, 10, 5), "2025-02-30"], ["青石镇", "青石镇丁", D(2025, 10, 6), D(2025, 10, 20)]]
    write_xlsx(ws / "workbooks" / "台账.xlsx", {"台账": rows})
    result = api.score(month="2025-10")
    errors = {p["row"]: p["message"] for p in problems_of(result, "error")}
    assert sorted(errors) == [302, 303, 304]
    assert "早于1990年" in errors[302] and "晚于2099年" in errors[303] and "不存在" in errors[304]
    unit = next(u for u in result["units"] if u["unit"] == "青石镇")
    assert unit["adopted_by_level"]["市级"] == 1  # only the real date counts
