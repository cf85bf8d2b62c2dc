"""Rows rendered beside the scoring (govxl.forked, rankbook.render_streamed_rows): the workbook must be the
same bytes as when the parent renders every row itself, and any failure of the child must change nothing."""
import os
import tempfile
import time
from pathlib import Path

import pytest

from govxl import api, rankbook, scoring, xlsxstream
from govxl.forked import Forked

ROOT = Path(__file__).resolve().parents[1]
needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="fork only (elsewhere the parent renders the rows)")


def _fail():
    raise RuntimeError("boom")


@needs_fork
def test_forked_gives_the_childs_value_or_none():
    data = {"made": "in the parent"}
    assert Forked(lambda: (os.getpid(), data["made"])).result()[1] == "in the parent"  # the parent's memory, not pickled
    assert Forked(lambda: os.getpid()).result() != os.getpid()
    assert Forked(_fail).result() is None
    assert Forked(lambda: os._exit(3)).result() is None  # died without a word
    slow = Forked(time.sleep, 60)
    t = time.monotonic()
    slow.close()  # no longer needed: stopped, not waited for
    assert time.monotonic() - t < 10 and not slow.started and slow.result() is None


@pytest.fixture
def example(tmp_path, monkeypatch):
    """The shipped example year, scored into tmp_path; temporary files go to tmp_path/tmp."""
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    used = []
    splice = xlsxstream.splice

    def recording(path, streams):
        used.append([s.prepared is not None for s in streams])
        return splice(path, streams)

    monkeypatch.setattr(xlsxstream, "splice", recording)

    def run(out):
        res = api.score([str(ROOT / "workbooks")], str(ROOT / "templates" / "govxl.xlsx"), month="2025-10",
                        out=str(tmp_path / out))
        (book,) = [Path(p) for p in res["outputs"] if p.endswith(".xlsx")]
        assert not list(tmp.iterdir()), "temporary rows left behind"
        return book.read_bytes(), used.pop()

    return run, monkeypatch


@needs_fork
def test_rows_rendered_beside_give_the_same_workbook(example):
    run, monkeypatch = example
    beside, used = run("a")
    assert used == [True, True]  # 得分明细 and 采用清单 spliced from the child's files
    monkeypatch.setattr(api, "BESIDE_MONTHS", 0)
    alone, used = run("b")
    assert used == [False, False]
    assert beside == alone


@needs_fork
def test_a_failing_child_changes_nothing(example):
    run, monkeypatch = example
    monkeypatch.setattr(api, "BESIDE_MONTHS", 0)
    alone, _ = run("a")
    monkeypatch.setattr(api, "BESIDE_MONTHS", 3)
    monkeypatch.setattr(rankbook, "render_streamed_rows", lambda *a: _fail())
    failed, used = run("b")
    assert used == [False, False] and failed == alone


@needs_fork
def test_rows_of_other_scores_are_not_used(example):
    """The child's rows are spliced only when they were made from the very scores of the result."""
    run, monkeypatch = example
    monkeypatch.setattr(api, "BESIDE_MONTHS", 0)
    alone, _ = run("a")
    monkeypatch.setattr(api, "BESIDE_MONTHS", 3)
    period_scores = scoring.period_scores
    monkeypatch.setattr(scoring, "period_scores", lambda *a: period_scores(*a)[:-1])  # one item short
    other, used = run("b")
    assert used == [False, False] and other == alone


def test_without_fork_the_parent_renders_the_rows(example):
    run, monkeypatch = example
    monkeypatch.setattr(api, "BESIDE_MONTHS", 0)
    alone, _ = run("a")
    import multiprocessing

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])  # as on Windows
    assert not Forked(os.getpid).started
    plain, used = run("b")
    assert used == [False, False] and plain == alone
