"""Issue 23.2: 排名变化 for every period — against the previous period of the same kind (Q3 against Q2, Q1
against Q4 of the year before, H2 against H1, a year against the year before, a range against the range of
the same length just before), and “—” when the registers hold nothing in that period. Each case builds its
registers, runs the real `govxl score`, and checks the ranks counted by hand in the JSON and in 排名通报."""
import json

import openpyxl
import pytest
from click.testing import CliRunner

from conftest import write_config, write_xlsx
from govxl.cli import main

UNITS = [("城关镇", "", "乡镇", 1), ("青石镇", "", "乡镇", 1), ("县教育局", "", "县直", 1)]


def block(day: str, points: dict) -> list:
    """One register row per unit, submitted on `day`: 市专报 (10.5 points), 市采用 (5.5) or plain (0.5)."""
    text = {10.5: "市专报", 5.5: "市采用", 0.5: ""}
    return [[u, f"{u}{day}", day, text[p]] for u, p in points.items()]


# before: 城关镇 5.5 (1st), 青石镇 0.5 (2nd), 县教育局 nothing (3rd)
BEFORE = {"城关镇": 5.5, "青石镇": 0.5}
# now: 县教育局 10.5 (1st), 青石镇 5.5 (2nd), 城关镇 0.5 (3rd)
NOW = {"县教育局": 10.5, "青石镇": 5.5, "城关镇": 0.5}
MOVED = {"城关镇": "↓2", "青石镇": "—", "县教育局": "↑2"}
NONE = {"城关镇": "—", "青石镇": "—", "县教育局": "—"}

# name → (day of the earlier rows or None, day of the period's rows, period options, 排名变化 expected)
CASES = {
    "Q3 against Q2": ("2025-05-10", "2025-08-10", ("--quarter", "2025-Q3"), MOVED),
    "Q1 against Q4 of the year before": ("2024-11-10", "2025-02-10", ("--quarter", "2025-Q1"), MOVED),
    "Q1 without last year's registers": (None, "2025-02-10", ("--quarter", "2025-Q1"), NONE),
    "Q3 when Q2 holds nothing": ("2025-02-10", "2025-08-10", ("--quarter", "2025-Q3"), NONE),
    "H2 against H1": ("2025-03-10", "2025-09-10", ("--half", "2025-H2"), MOVED),
    "H1 against H2 of the year before": ("2024-08-10", "2025-04-10", ("--half", "2025-H1"), MOVED),
    "a year against the year before": ("2024-06-10", "2025-06-10", ("--year", "2025"), MOVED),
    "a year without the year before": (None, "2024-06-10", ("--year", "2024"), NONE),
    # Apr–Jun against Jan–Mar: as many whole months just before
    "a range of whole months": ("2025-02-10", "2025-05-10", ("--from", "2025-04-01", "--to", "2025-06-30"), MOVED),
    # 11–20 May against 1–10 May: as many days just before
    "a range of days": ("2025-05-03", "2025-05-15", ("--from", "2025-05-11", "--to", "2025-05-20"), MOVED),
    "January against December": ("2024-12-10", "2025-01-10", ("--month", "2025-01"), MOVED),
    "January without December": (None, "2025-01-10", ("--month", "2025-01"), NONE),
    "a month against the month before": ("2025-06-10", "2025-07-10", ("--month", "2025-07"), MOVED),
}


def _run(ws, before, now, period):
    write_config(ws / "govxl.xlsx", units=UNITS)
    rows = (block(before, BEFORE) if before else []) + block(now, NOW)
    write_xlsx(ws / "workbooks" / "台账.xlsx", {"S": [["单位", "标题", "报送日期", "采用情况"], *rows]})
    r = CliRunner().invoke(main, ["score", *period, "--json"], catch_exceptions=False)
    assert r.exit_code in (0, 1), r.output  # 1: a period past the registers' last date is said (alerts)
    return json.loads(r.stdout)


def _sheet_changes(ws, data) -> dict:
    """{unit: 排名变化} of 排名通报's 全部单位 table (each unit's last row there)."""
    path = next(p for p in data["outputs"] if p.endswith(".xlsx"))
    sheet = openpyxl.load_workbook(ws / path)["排名通报"]
    rows = list(sheet.iter_rows(values_only=True))
    col = next(row.index("排名变化") for row in rows[:6] if "排名变化" in row)
    return {row[1]: row[col] for row in rows if row[1] in dict.fromkeys(u for u, *_ in UNITS)}


@pytest.mark.parametrize("case", list(CASES))
def test_rank_change(ws, case):
    before, now, period, want = CASES[case]
    data = _run(ws, before, now, period)
    u = {x["unit"]: x for x in data["units"]}
    # the period's own ranks, whatever came before
    assert [(x["unit"], x["points"], x["rank"]) for x in data["units"]] == \
        [("县教育局", 10.5, 1), ("青石镇", 5.5, 2), ("城关镇", 0.5, 3)]
    assert {n: x["rank_change"] for n, x in u.items()} == want
    assert _sheet_changes(ws, data) == want


def test_last_years_lines_stay_out_of_this_year(ws):
    # Q1 compared with last year's Q4: its lines are in the book, not in Q1's figures nor its year to date
    data = _run(ws, "2024-11-10", "2025-02-10", ("--quarter", "2025-Q1"))
    u = {x["unit"]: x for x in data["units"]}
    assert {n: (x["submitted"], x["ytd_points"], x["ytd_rank"]) for n, x in u.items()} == \
        {"县教育局": (1, 10.5, 1), "青石镇": (1, 5.5, 2), "城关镇": (1, 0.5, 3)}
    assert data["trend"]["months"] == ["2025-01", "2025-02", "2025-03"]


def test_ties_in_the_period_before(ws):
    # Q2: 城关镇 and 青石镇 tie at 5.5 (both 1st, 跳号), 县教育局 3rd; Q3 as NOW
    write_config(ws / "govxl.xlsx", units=UNITS)
    rows = block("2025-05-10", {"城关镇": 5.5, "青石镇": 5.5}) + block("2025-08-10", NOW)
    write_xlsx(ws / "workbooks" / "台账.xlsx", {"S": [["单位", "标题", "报送日期", "采用情况"], *rows]})
    r = CliRunner().invoke(main, ["score", "--quarter", "2025-Q3", "--json"], catch_exceptions=False)
    u = {x["unit"]: x["rank_change"] for x in json.loads(r.stdout)["units"]}
    assert u == {"县教育局": "↑2", "青石镇": "↓1", "城关镇": "↓2"}


PREVIOUS = {
    # options → (label, kind) of the period 排名变化 compares with
    (("month_", "2025-01"),): ("2024-12", "month"),
    (("month_", "2025-07"),): ("2025-06", "month"),
    (("quarter", "2025-Q1"),): ("2024-Q4", "quarter"),
    (("quarter", "2025-Q4"),): ("2025-Q3", "quarter"),
    (("half", "2025-H1"),): ("2024-H2", "half"),
    (("half", "2025-H2"),): ("2025-H1", "half"),
    (("year", "2025"),): ("2024", "year"),
    (("from_", "2025-03-01"), ("to", "2025-05-31")): ("2024-12-01_2025-02-28", "range"),
    (("from_", "2025-01-01"), ("to", "2025-12-31")): ("2024-01-01_2024-12-31", "range"),
    (("from_", "2025-03-10"), ("to", "2025-03-19")): ("2025-02-28_2025-03-09", "range"),
    (("from_", "2025-03-01"), ("to", "2025-03-15")): ("2025-02-14_2025-02-28", "range"),
}


@pytest.mark.parametrize("options", list(PREVIOUS))
def test_previous_period(options):
    from govxl.score.periods import parse_period

    p = parse_period(**dict(options)).previous()
    assert (p.label, p.kind) == PREVIOUS[options]
