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
from govxl.normalise.registers import read_registers
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
    entries = list((out / ".cache" / "registers").glob("*.arrow"))
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
    (entry,) = (out / ".cache" / "registers").glob("*.arrow")
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
    (entry,) = (out / ".cache" / "registers").glob("*.arrow")
    entry.write_bytes(pickle.dumps(_Evil()))
    monkeypatch.chdir(tmp_path)
    counting.clear()
    second = _score(ws, out)
    assert not (tmp_path / "PWNED").exists()
    assert counting == ["城关镇.xlsx"]
    assert _comparable(second) == _comparable(first)
    from govxl.normalise import part

    with pytest.raises(ValueError):
        part.loads(pickle.dumps(_Evil()))


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
    old = folder / "old.arrow"
    t = old.stat().st_mtime - 40 * 86400
    os.utime(old, (t, t))
    cache.store(folder, "recent", b"z")
    c.prune()
    assert sorted(p.stem for p in folder.glob("*.arrow")) == ["fresh", "recent"]


def test_texts_a_damaged_file_holds_come_back_from_the_cache_as_read():
    """A title with a lone surrogate, a NUL or 33,000 characters is kept by the Arrow part as it was read."""
    from govxl.normalise import part as P

    odd = ["甲\ud800乙", "a\x00b", "长" * 33_000, "", "普通标题"]
    p = P.Part()
    for i, t in enumerate(odd):
        for name, v in zip(P.ITEM_FIELDS, ("城关镇", t, dt.datetime(2024, 10, 5), "", "", None, False, False, t,
                                           ("青石镇",) if i else (), "f.xlsx", "S", i + 2)):
            p.items[name].append(v)
    tables, back = P.loads(P.dumps(p.tables(), p))
    items = P.to_frame(P.concat([P.Part().tables()["items"], tables["items"]]), "items")
    assert items["title"].tolist() == odd and items["note"].tolist() == odd
    assert items["joint"].tolist() == [(), *[("青石镇",)] * 4]
