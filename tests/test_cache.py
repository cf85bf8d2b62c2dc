"""The parsed-register cache (out/.cache) and parallel reading: faster, never different.

Every test reads real files with the real code and compares with a read that bypasses the cache.
"""
import datetime as dt
import os
import pickle

import pandas as pd
import pytest

from govxl import api

from govxl.normalise import cache
from govxl.normalise.config import load_config
from govxl.normalise.registers import Item, RegisterReader, read_registers
from tests.conftest import write_xlsx

HEAD = ["序号", "信息标题", "报送日期", "采用情况", "撰稿人"]


def _register(path, unit, titles, *, day=5):
    rows = [[f"{unit}2024年信息报送台账"], HEAD]
    for i, t in enumerate(titles, 1):
        rows.append([i, t, dt.datetime(2024, 10, day), "市采用" if i % 2 else "", "张三"])
    return write_xlsx(path, {"台账": rows})


def _csv(path, rows):
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def counting(monkeypatch):
    """Counts the files actually parsed (not taken from the cache)."""
    seen = []
    real = cache.read_part

    def spy(cfg, year, size_limit, path, *memos):
        seen.append(os.path.basename(str(path)))
        return real(cfg, year, size_limit, path, *memos)

    monkeypatch.setattr(cache, "read_part", spy)
    monkeypatch.setenv("GOVXL_WORKERS", "1")
    return seen


def _score(ws, out):
    return api.score([ws / "workbooks"], ws / "govxl.xlsx", month="2024-10", out=out)


def _comparable(res):
    return {k: res[k] for k in ("units", "rows", "problems", "totals", "authors")}


def test_unchanged_files_come_from_the_cache_and_give_the_same_result(ws, counting):
    _register(ws / "workbooks" / "城关镇.xlsx", "城关镇", ["城关镇推进秋冬季森林防火", "城关镇开展安全生产大检查"])
    _register(ws / "workbooks" / "青石镇.xlsx", "青石镇", ["青石镇招商引资取得新进展"])
    out = ws / "out"
    first = _score(ws, out)
    assert sorted(counting) == ["城关镇.xlsx", "青石镇.xlsx"]
    entries = list((out / ".cache" / "registers").glob("*.pickle"))
    assert len(entries) == 2
    counting.clear()
    second = _score(ws, out)
    assert counting == []  # nothing parsed again
    assert _comparable(second) == _comparable(first)
    units = {u["unit"]: u for u in second["units"]}
    assert units["城关镇"]["submitted"] == 2 and units["城关镇"]["adopted"] == 1
    assert units["青石镇"]["submitted"] == 1


def test_a_changed_file_is_read_again(ws, counting):
    path = _register(ws / "workbooks" / "城关镇.xlsx", "城关镇", ["城关镇推进秋冬季森林防火"])
    _register(ws / "workbooks" / "青石镇.xlsx", "青石镇", ["青石镇招商引资取得新进展"])
    out = ws / "out"
    _score(ws, out)
    counting.clear()
    _register(path, "城关镇", ["城关镇推进秋冬季森林防火", "城关镇新增一篇", "城关镇再增一篇"])
    res = _score(ws, out)
    assert counting == ["城关镇.xlsx"]  # only the changed file
    units = {u["unit"]: u for u in res["units"]}
    assert units["城关镇"]["submitted"] == 3
    assert units["青石镇"]["submitted"] == 1


def test_same_size_and_mtime_but_other_content_is_read_again(ws, counting):
    """The content hash is part of the key: a copy that keeps size and mtime cannot fool the cache."""
    path = _csv(ws / "workbooks" / "登记.csv", [["单位", "标题", "报送日期"], ["城关镇", "城关镇推进森林防火甲", "2024-10-05"]])
    out = ws / "out"
    first = _score(ws, out)
    st = path.stat()
    _csv(path, [["单位", "标题", "报送日期"], ["青石镇", "城关镇推进森林防火甲", "2024-10-05"]])
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert path.stat().st_size == st.st_size and path.stat().st_mtime_ns == st.st_mtime_ns
    counting.clear()
    res = _score(ws, out)
    assert counting == ["登记.csv"]
    before = {u["unit"]: u["submitted"] for u in first["units"]}
    after = {u["unit"]: u["submitted"] for u in res["units"]}
    assert before["城关镇"] == 1 and before["青石镇"] == 0
    assert after["城关镇"] == 0 and after["青石镇"] == 1


def test_touched_file_is_read_again(ws, counting):
    path = _register(ws / "workbooks" / "城关镇.xlsx", "城关镇", ["城关镇推进秋冬季森林防火"])
    out = ws / "out"
    _score(ws, out)
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000_000))
    counting.clear()
    _score(ws, out)
    assert counting == ["城关镇.xlsx"]


def test_config_change_invalidates(ws, counting):
    """The roster is part of the key: a unit added as an alias turns an error row into a counted one."""
    _csv(ws / "workbooks" / "登记.csv", [["单位", "标题", "报送日期"], ["城关街道", "城关推进森林防火", "2024-10-05"]])
    out = ws / "out"
    first = _score(ws, out)
    assert first["rows"]["error"] == 1
    from tests.conftest import DEFAULT_UNITS, write_config

    units = [("城关镇", "城关、城关街道", "乡镇", 2)] + [u for u in DEFAULT_UNITS if u[0] != "城关镇"]
    write_config(ws / "govxl.xlsx", units=units)
    counting.clear()
    second = _score(ws, out)
    assert counting == ["登记.csv"]
    assert second["rows"]["error"] == 0 and second["rows"]["counted"] == 1


def test_damaged_cache_entry_is_ignored(ws, counting):
    _register(ws / "workbooks" / "城关镇.xlsx", "城关镇", ["城关镇推进秋冬季森林防火", "城关镇开展安全生产大检查"])
    out = ws / "out"
    first = _score(ws, out)
    (entry,) = (out / ".cache" / "registers").glob("*.pickle")
    entry.write_bytes(entry.read_bytes()[:40])  # truncated, as after a full disk
    counting.clear()
    second = _score(ws, out)
    assert counting == ["城关镇.xlsx"]
    assert _comparable(second) == _comparable(first)


class _Evil:
    def __reduce__(self):
        return (os.system, ("touch PWNED",))


def test_planted_cache_entry_cannot_run_code(ws, counting, tmp_path, monkeypatch):
    _register(ws / "workbooks" / "城关镇.xlsx", "城关镇", ["城关镇推进秋冬季森林防火"])
    out = ws / "out"
    first = _score(ws, out)
    (entry,) = (out / ".cache" / "registers").glob("*.pickle")
    entry.write_bytes(pickle.dumps(_Evil()))
    monkeypatch.chdir(tmp_path)
    counting.clear()
    second = _score(ws, out)
    assert not (tmp_path / "PWNED").exists()
    assert counting == ["城关镇.xlsx"]
    assert _comparable(second) == _comparable(first)
    with pytest.raises(pickle.UnpicklingError):
        cache.loads(pickle.dumps(_Evil()))


def test_check_and_unwritten_score_leave_no_cache(ws):
    _register(ws / "workbooks" / "城关镇.xlsx", "城关镇", ["城关镇推进秋冬季森林防火"])
    api.score([ws / "workbooks"], ws / "govxl.xlsx", month="2024-10", out=ws / "out", write=False)
    api.check([ws / "workbooks"], ws / "govxl.xlsx")
    assert not (ws / "out").exists()


def _many_registers(folder):
    """Several files with duplicates across files, errors, an adoption register and a note sheet."""
    titles = [f"城关镇推进第{i}项重点工作取得新成效" for i in range(40)]
    _register(folder / "a_城关镇.xlsx", "城关镇", titles[:20], day=3)
    _register(folder / "b_城关镇补报.xlsx", "城关镇", titles[15:30] + ["城关镇推进第1项重点工作取得新成效！"], day=9)
    _register(folder / "c_青石镇.xlsx", "青石镇", [f"青石镇做好第{i}件民生实事" for i in range(25)])
    write_xlsx(folder / "d_汇总.xlsx", {
        "说明": [["填表说明：按月填写"]],
        "汇总": [["单位", "标题", "报送日期", "市级采用"],
                 ["县教育局", "教育局推进义务教育均衡发展", "2024年10月8日", "√"],
                 ["县档案馆", "档案馆开展档案数字化", "2024/10/9", ""],
                 ["不存在局", "某某工作", "2024-10-10", ""],
                 ["县教育局", "教育局课后服务", "2024-13-01", ""],
                 ["合计", "", "", ""]],
    })
    write_xlsx(folder / "e_采用登记.xlsx", {
        "采用登记": [["单位", "标题", "采用情况"],
                    ["城关镇", "城关镇推进第3项重点工作取得新成效", "省办专报"],
                    ["青石镇", "青石镇做好第4件民生实事", "市级专报"]],
    })


def _snapshot(res):
    ads = {}
    for a in res.adoptions.sort_values(["seq", "k"]).itertuples(index=False):
        ads.setdefault(a.seq, []).append((a.level, a.rule, a.points, a.text, a.origin))
    items = [(it.seq, it.unit, it.title, it.submitted, it.file, it.sheet, it.row, it.status,
              None if it.dup_of is pd.NA else it.dup_of, ads.get(it.seq, [])) for it in res.items.itertuples(index=False)]
    return items, [p.to_dict() for p in res.problems], dict(res.rows), res.files, res.sheets, \
        {k: dict(v) for k, v in res.sheet_rows.items()}


def test_parallel_and_cached_reads_equal_the_plain_read(ws, monkeypatch):
    _many_registers(ws / "workbooks")
    cfg = load_config(ws / "govxl.xlsx")
    monkeypatch.setenv("GOVXL_WORKERS", "1")
    plain = _snapshot(read_registers([ws / "workbooks"], cfg, year=2024))
    monkeypatch.setenv("GOVXL_WORKERS", "3")
    pools = []
    real_pool = cache._pool
    monkeypatch.setattr(cache, "_pool", lambda n, initargs: pools.append(n) or real_pool(n, initargs))
    parallel = _snapshot(read_registers([ws / "workbooks"], cfg, year=2024, cache_dir=ws / "out" / ".cache"))
    assert pools == [3]  # really read by worker processes
    assert parallel == plain
    cached = _snapshot(read_registers([ws / "workbooks"], cfg, year=2024, cache_dir=ws / "out" / ".cache"))
    assert cached == plain
    items, problems, rows, *_ = plain
    assert rows["read"] == rows["counted"] + rows["duplicate"] + rows["error"] + rows["skipped"]
    assert any(it[7] == "duplicate" for it in items)  # titles repeated across files: 首报 across the merge
    assert [it[0] for it in items] == list(range(1, len(items) + 1))  # one numbering over all files
    assert any("省办专报" == a[3] for it in items for a in it[9])  # the adoption register attached
    assert any("不存在局" in p["message"] for p in problems)


def test_stale_entries_are_pruned(tmp_path):
    folder = tmp_path / "registers"
    c = cache.RegisterCache(folder)
    c.put("fresh", b"x")
    cache.store(folder, "old", b"y")
    old = folder / "old.pickle"
    t = old.stat().st_mtime - 40 * 86400
    os.utime(old, (t, t))
    cache.store(folder, "recent", b"z")
    c.prune()
    assert sorted(p.stem for p in folder.glob("*.pickle")) == ["fresh", "recent"]


def test_no_reference_cycle_keeps_a_files_reader_alive_while_the_collector_is_paused(ws):
    """Reading runs with the cyclic collector paused (cache.gc_paused): a reader caught in a cycle would
    keep its file's items in memory for the whole run. Each file's reader must go when its part is made."""
    import gc

    from govxl.normalise.registers import RegisterReader

    cfg = load_config(ws / "govxl.xlsx")
    files = [_register(ws / "workbooks" / f"{u}.xlsx", u, [f"{u}信息{i}" for i in range(30)])
             for u in ("城关镇", "青石镇", "县教育局")]
    with cache.gc_paused():
        assert not gc.isenabled()
        before = sum(type(o) is RegisterReader for o in gc.get_objects())
        parts = [cache.read_part(cfg, 2024, 10 << 20, str(f)) for f in files]
        after = sum(type(o) is RegisterReader for o in gc.get_objects())
    assert gc.isenabled()
    assert sum(len(p[0].items) for p in parts) == 90
    assert after == before


def test_titles_and_keys_travel_as_utf16_unless_they_cannot(tmp_path):
    """A part's titles and title keys are sent joined as UTF-16 (unpickled faster); texts holding the
    separator or a lone surrogate go as lists — every way gives back the same items."""
    from govxl.normalise.registers import ReadResult

    base = {"unit": "城关镇", "submitted": dt.datetime(2024, 10, 3), "file": "f.xlsx", "sheet": "S"}
    for titles in (["城关镇推进秋粮收购", "𠀀扩展区汉字", "", "ASCII title"], ["含\x00分隔符", "普通"], ["孤\ud800代理", "普通"], []):
        items = [Item(i + 1, title=t, row=i + 2, **base) for i, t in enumerate(titles)]
        for it in items:
            it._title_key = it.title.upper()
        res = ReadResult(items=list(items))
        data = cache.dumps((res, [], len(items)))
        packed = pickle.loads(data)
        assert isinstance(packed[5][2], tuple) == (bool(titles) and titles[0].startswith("城关镇"))
        back = cache.loads(data)[0].items
        assert [(it.title, it._title_key, it.seq, it.row) for it in back] == \
            [(it.title, it._title_key, it.seq, it.row) for it in items]


def test_equal_values_are_shared_and_empty_lists_sent_as_the_empty_tuple(tmp_path):
    """A part is sent with equal texts and dates as one object each (they stay shared in the parent: a
    year of items takes far less memory) and empty adoption/instruction lists as (); the values are equal
    to what was read, and the file's own reading (no worker) keeps what a worker would have sent."""
    from govxl.normalise.registers import Adoption, ReadResult

    day = [dt.datetime(2024, 10, 3, 9, 30) for _ in range(3)]  # equal, not the same objects
    kinds = ["".join(["动", "态"]) for _ in range(3)]
    ad = [Adoption("市级", "市委办采用", 3.0, "".join(["市委", "办采用"]), dt.datetime(2024, 10, 9)) for _ in range(2)]
    items = [Item(i + 1, "城关镇", f"标题{i}", day[i], "f.xlsx", "S", i + 2, kinds[i], "张三" + "", [ad[0]] if i == 1 else [],
                  [], note="".join(["备", "注"])) for i in range(3)]
    items.append(Item(4, "城关镇", "标题3", dt.datetime(2024, 10, 4), "f.xlsx", "S", 5, "", "", [ad[1]], []))
    assert len({id(it.submitted) for it in items[:3]}) == 3 and len({id(it.kind) for it in items[:3]}) == 3
    for it in items:
        it._title_key = it.title
    back = cache.loads(cache.dumps((ReadResult(items=list(items)), [], 4)))[0].items
    assert [dataclass_tuple(it) for it in back] == [dataclass_tuple(it) for it in items]
    assert len({id(it.submitted) for it in back[:3]}) == 1 and len({id(it.kind) for it in back[:3]}) == 1
    assert len({id(it.note) for it in back[:3]}) == 1
    assert back[0].adoptions == () and back[0].instructions == () and back[3].instructions == ()
    assert back[1].adoptions[0].text is back[3].adoptions[0].text and back[1].adoptions[0].date is back[3].adoptions[0].date


def dataclass_tuple(it):
    return (it.seq, it.unit, it.title, it.submitted, it.kind, it.author, list(it.adoptions), list(it.instructions), it.note)


def test_a_file_read_without_workers_is_kept_as_a_worker_sends_it(ws, monkeypatch):
    monkeypatch.setenv("GOVXL_WORKERS", "1")
    _register(ws / "workbooks" / "城关镇.xlsx", "城关镇", [f"城关镇信息{i}" for i in range(6)])
    cfg = load_config(ws / "govxl.xlsx")
    items = RegisterReader(cfg, year=2024).read([ws / "workbooks"]).items  # the reader's records
    assert len(items) == 6
    assert len({id(it.submitted) for it in items}) == 1 and len({id(it.author) for it in items}) == 1
    assert all(it.instructions == () for it in items) and [it.adoptions == () for it in items] == [False, True] * 3
