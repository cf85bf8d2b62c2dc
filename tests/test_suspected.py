"""疑似重复 found beside the scoring (api._suspected_beside): in a forked child from a big enough period,
else in a thread — the same problems either way, and nothing left behind."""
import datetime as dt
import os

import pytest

from conftest import write_xlsx
from govxl import api, forked, registers
from govxl.config import load_config
from govxl.periods import parse_period
from govxl.registers import read_registers

D = dt.datetime
WORDS = ["推进", "秋粮", "收购", "茶叶", "提质", "增效", "修缮", "水利", "开学", "检查", "安全", "生产", "专项", "整治"]


@pytest.fixture
def loaded(ws):
    """Three units' October items, some titles near one another (and one pair equal but for a word)."""
    rows = [["单位", "标题", "报送日期"]]
    for u, unit in enumerate(("城关镇", "青石镇", "县教育局")):
        for k in range(40):
            words = [WORDS[(k * 3 + u + j) % len(WORDS)] for j in range(5)]
            rows.append([unit, f"{unit}{''.join(words)}工作", D(2025, 10, 1 + k % 28)])
            if k % 7 == 0:
                rows.append([unit, f"{unit}{''.join(words)}工作进展", D(2025, 10, 1 + k % 28)])
    write_xlsx(ws / "workbooks" / "台账.xlsx", {"S": rows})
    cfg = load_config(ws / "govxl.xlsx")
    read = read_registers([ws / "workbooks"], cfg, year=2025)
    within = parse_period(month_="2025-10").submitted_within(read.items)
    return cfg, within


def messages(problems):
    return [(p.message, p.file, p.sheet, p.row) for p in problems]


def spy_fork(monkeypatch):
    pids = []
    real = forked.fork

    def fork(body):
        pid = real(body)
        pids.append(pid)
        return pid

    monkeypatch.setattr(forked, "fork", fork)
    return pids


def gone(pid) -> bool:
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_the_child_finds_what_is_found_here(loaded, monkeypatch):
    cfg, within = loaded
    expected = messages(api.suspected_problems(within, cfg))
    assert len(expected) >= 6 and all("疑似重复" in m for m, *_ in expected)
    pids = spy_fork(monkeypatch)
    monkeypatch.setattr(api, "SUSPECTED_BESIDE_MIN", 0)
    beside = api._suspected_beside(within, cfg)
    assert beside.pid is not None and pids == [beside.pid]
    got = beside()
    assert messages(got) == expected
    assert gone(pids[0]) and beside.fd is None
    assert beside() is got  # asked again: the same list, no second child
    for least, most in ((10 ** 9, 10 ** 10), (0, len(within) - 1)):  # too few, too many: a thread
        monkeypatch.setattr(api, "SUSPECTED_BESIDE_MIN", least)
        monkeypatch.setattr(api, "SUSPECTED_BESIDE_MAX", most)
        threaded = api._suspected_beside(within, cfg)
        assert threaded.pid is None and pids == [pids[0]]
        assert messages(threaded()) == expected


@pytest.mark.parametrize("how", ["raises", "out of range", "not a list", "dies"])
def test_a_failing_child_leaves_the_comparison_to_the_parent(loaded, monkeypatch, how):
    cfg, within = loaded
    expected = messages(api.suspected_problems(within, cfg))
    parent = os.getpid()
    real = registers.similar_pairs

    def similar_pairs(keys, threshold, **kw):
        if os.getpid() != parent:
            if how == "raises":
                raise RuntimeError("child broke")
            if how == "dies":
                os._exit(0)  # leaves without writing: the parent reads nothing
            return {"pairs": 1} if how == "not a list" else [(0, 5, 1, 99.0)]
        return real(keys, threshold, **kw)

    monkeypatch.setattr(registers, "similar_pairs", similar_pairs)
    monkeypatch.setattr(api, "SUSPECTED_BESIDE_MIN", 0)
    beside = api._suspected_beside(within, cfg)
    pid = beside.pid
    assert pid is not None
    assert messages(beside()) == expected
    assert gone(pid)


def test_an_unasked_child_is_stopped_and_reaped(loaded, monkeypatch):
    cfg, within = loaded
    monkeypatch.setattr(api, "SUSPECTED_BESIDE_MIN", 0)
    beside = api._suspected_beside(within, cfg)
    pid, fd = beside.pid, beside.fd
    beside.close()
    assert gone(pid) and beside.pid is None and beside.fd is None
    with pytest.raises(OSError):
        os.fstat(fd)


def test_without_fork_or_with_odd_keys_the_comparison_runs_in_a_thread(loaded, monkeypatch):
    cfg, within = loaded
    expected = messages(api.suspected_problems(within, cfg))
    monkeypatch.setattr(api, "SUSPECTED_BESIDE_MIN", 0)
    monkeypatch.setattr(forked, "fork", lambda body: None)
    beside = api._suspected_beside(within, cfg)
    assert beside.pid is None and beside.future is not None
    assert messages(beside()) == expected
    monkeypatch.undo()
    pids = spy_fork(monkeypatch)
    monkeypatch.setattr(api, "SUSPECTED_BESIDE_MIN", 0)
    within[0]._title_key = "含\x00分隔符"  # the separator the keys travel with: not sent to a child
    beside = api._suspected_beside(within, cfg)
    assert pids == [] and beside.pid is None
    beside()


def test_the_scored_result_is_the_same_with_the_child(ws, loaded, monkeypatch):
    cfg, _within = loaded
    period = parse_period(month_="2025-10")
    results = []
    for least in (0, 10 ** 9):
        monkeypatch.setattr(api, "SUSPECTED_BESIDE_MIN", least)
        read = read_registers([ws / "workbooks"], cfg, year=2025)
        results.append(api.public(api.score_loaded(cfg, read, period, out=ws / f"out{least}")))
    assert results[0] == {**results[1], "outputs": results[0]["outputs"]}
    assert any("疑似重复" in p["message"] for p in results[0]["problems"])
