"""``python -m sim calibrate`` end to end (issue 12 part 5): a short court's records in, a valid
scenario, a fit report and JSON out; bad files refused with exit status 2 and the field named."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from sim.calibration.example import CASE_HEADER, MONTHLY_HEADER, STAFFING_HEADER, build_example, csv_bytes
from sim.model.scenario import load_scenario
from sim.store.scenario_store import ScenarioStore

from conftest import ROOT


def _cli(*args: str, env: dict | None = None, timeout: int = 600) -> subprocess.CompletedProcess:
    import os

    return subprocess.run([sys.executable, "-m", "sim", "calibrate", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=timeout, env={**os.environ, **(env or {})})


@pytest.fixture(scope="module")
def short_court(tmp_path_factory):
    """Thirteen months of the weak court's records (GBK, as a spreadsheet export), monthly and staffing."""
    d = tmp_path_factory.mktemp("court")
    scn = load_scenario(ROOT / "scenarios" / "weak-court-restaffing.yaml").model_copy(update={"horizon_months": 13})
    ex = build_example(scn)
    (d / "cases.csv").write_bytes(csv_bytes(CASE_HEADER, ex.cases, "gbk", "slash"))
    (d / "monthly.csv").write_bytes(csv_bytes(MONTHLY_HEADER, ex.monthly))
    (d / "staffing.csv").write_bytes(csv_bytes(STAFFING_HEADER, ex.staffing))
    return d


def test_calibrate_end_to_end(short_court, tmp_path):
    d = short_court
    out, report, js, xlsx = tmp_path / "cal.yaml", tmp_path / "fit.html", tmp_path / "fit.json", tmp_path / "fit.xlsx"
    p = _cli(str(d / "cases.csv"), "--monthly", str(d / "monthly.csv"), "--staffing", str(d / "staffing.csv"),
             "--out", str(out), "--report", str(report), "--json", str(js), "--xlsx", str(xlsx), "--save", "校准测试",
             "--holdout", "0",
             "--months", "12", "--replications", "4", "--export-date", "2026-01-31", "--lang", "zh", env={"COURT_SIM_SCENARIO_DIR": str(tmp_path / "s")})
    assert p.returncode == 0, p.stderr
    assert "拟合" in p.stderr  # the progress bar
    assert "模拟拟合" in p.stdout and "数据无法确定的参数" in p.stdout and "实际值落在 95% 区间内的月份" in p.stdout
    assert "拒绝 8 行" in p.stdout  # the deliberately bad rows, reported
    scn = load_scenario(out)
    assert scn.start_date.isoformat() == "2026-02-01" and scn.horizon_months == 12
    assert ScenarioStore(tmp_path / "s").load("校准测试").initial_pending == scn.initial_pending
    html = report.read_text(encoding="utf-8")
    assert "<svg" in html and "本院数据校准报告" in html and "<script" not in html
    data = json.loads(js.read_text(encoding="utf-8"))
    assert {p["key"] for p in data["fit"]["params"]} >= {"fit.effort_simple", "fit.effort_complex", "fit.preparation"}
    assert set(data["replay"]["scores"]) == {"filed", "closed", "pending_end", "within_limit_rate"}
    assert data["out_of_sample"] is None
    # the workbook: every parameter with numbers as numbers, the replay month by month
    import io

    import openpyxl

    wb = openpyxl.load_workbook(io.BytesIO(xlsx.read_bytes()))
    assert wb.sheetnames == ["拟合参数", "回放检验", "说明"]
    ws = wb["拟合参数"]
    rows = {r[-1].value: r for r in ws.iter_rows(min_row=2)}
    assert set(rows) == {p["key"] for p in data["fit"]["params"]}
    filings = next(p for p in data["fit"]["params"] if p["key"] == "filings_per_year")
    assert rows["filings_per_year"][1].value == round(filings["value"]) and rows["filings_per_year"][1].data_type == "n"
    share = next(p for p in data["fit"]["params"] if p["key"] == "mediation.share_offered")
    assert rows["mediation.share_offered"][1].number_format == "0.0%"
    assert rows["mediation.share_offered"][1].value == round(share["value"], 3)
    replay = wb["回放检验"]
    assert replay.max_row - 1 == len(data["replay"]["months"])


def test_bad_files_exit_2_naming_the_problem(tmp_path):
    p = _cli(str(tmp_path / "none.csv"), "--out", str(tmp_path / "x.yaml"), "--lang", "en")
    assert p.returncode == 2 and "no such file" in p.stderr and "Traceback" not in p.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("案号,立案日期,适用程序\n（2025）豫0499民初1号,2025-01-02,简易程序\n", encoding="utf-8")
    p = _cli(str(bad), "--out", str(tmp_path / "x.yaml"), "--lang", "zh")
    assert p.returncode == 2 and "closing_date" in p.stderr and "Traceback" not in p.stderr
    few = tmp_path / "few.csv"
    few.write_text("立案日期,结案日期,适用程序\n2025-01-02,2025-02-01,简易程序\n2025-02-03,,普通程序\n", encoding="utf-8")
    p = _cli(str(few), "--out", str(tmp_path / "x.yaml"), "--lang", "en")
    assert p.returncode == 2 and "calibration needs at least 3" in p.stderr and "Traceback" not in p.stderr
    p = _cli(str(few), "--out", str(tmp_path / "x.yaml"), "--months", "500")
    assert p.returncode == 2 and "--months" in p.stderr and "120" in p.stderr
    assert not (tmp_path / "x.yaml").exists()
