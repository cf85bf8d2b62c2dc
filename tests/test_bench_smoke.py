"""A tiny run of the benchmark harness (the full one is too slow for CI): it must produce figures.

The targets themselves are not asserted here (on a few hundred rows the ratios mean nothing); what is
checked is that every measurement ran, returned real numbers and that each target got a verdict.
"""
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
IDS = ["1", "2a", "2d", "2e", "2b", "2c", "3", "4", "5a", "5b"]


def test_smoke_benchmark_produces_figures_and_verdicts(tmp_path):
    results = tmp_path / "results.json"
    proc = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke", "--data", str(tmp_path / "data"), "--results", str(results),
         "--repeat", "1", "--no-warm", "--sizes", "0.5"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr  # 1 = some target failed: allowed here
    out = proc.stdout
    verdicts = {}
    for line in out.splitlines():
        parts = line.split()
        if parts and parts[0] in ("PASS", "FAIL", "SKIP"):
            verdicts[parts[1]] = parts[0]
    assert sorted(verdicts) == sorted(IDS), out
    assert verdicts["2e"] == "SKIP" and "SKIP" not in {v for k, v in verdicts.items() if k != "2e"}, out
    report = json.loads(results.read_text(encoding="utf-8"))
    m = report["measurements"]
    for name in ("import_click", "help", "import_pandas", "county_month", "read_calamine", "province_month",
                 "naive_pandas", "read_write", "province_year", "suspects_template", "suspects_varied"):
        assert m[name]["wall_s"] > 0 and m[name]["peak_mb"] > 1, name
    assert m["county_month"]["exit"] in (0, 1)
    # the references did real work on the same data
    assert m["read_calamine"]["output"]["rows"] > 4000
    assert m["read_write"]["output"]["rows"] > 4000
    assert m["naive_pandas"]["output"]["submitted"] > 0
    assert [t["id"] for t in report["targets"]] == IDS
    # without the warm runs, 2e has no figure; every other target got its verdict
    assert all(t["pass"] in (True, False) and t["value"] is not None for t in report["targets"] if t["id"] != "2e")
    assert m["province_month"]["cpu_s"] > 0
    # the growth table: the half size (another seed) and the full size, a row's CPU cost each
    sizes = {g["size"]: g for g in report["growth"]}
    assert sorted(sizes) == ["full", "½"] and sizes["½"]["rows"] == 2000 and sizes["full"]["rows"] == 4000
    assert all(g["us_cpu_a_row"] > 0 and g["wall_ratio"] > 0 for g in report["growth"])
    assert report["data"]["province"]["files"] == 8 and report["data"]["province"]["data_rows"] == 4000
    # govxl really wrote its workbooks
    written = list((tmp_path / "data" / "_out").rglob("*.xlsx"))
    assert any("2024-10" in str(p) for p in written) and any("2024" in p.parent.name for p in written)


def test_compare_outputs_names_each_changed_cell(tmp_path, capsys):
    """bench/compare_outputs.py, the redesign's check against the outputs of a base commit."""
    from bench.compare_outputs import compare
    from conftest import write_xlsx

    for side, value in (("a", 1.5), ("b", 2.5)):
        write_xlsx(tmp_path / side / "month-10" / "通报.xlsx", {"排名通报": [["单位", "得分"], ["城关镇", value]]})
        (tmp_path / side / "month-10" / "result.json").write_text('{"rows": {"read": 2}, "outputs": ["%s"]}' % side)
    assert compare(tmp_path / "a", tmp_path / "b") == 1
    assert "('排名通报', 2, 2): 1.5 → 2.5" in capsys.readouterr().out
