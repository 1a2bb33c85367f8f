"""``python -m sim calibrate`` end to end (issue 12 part 5): a short court's records in, a valid
scenario, a fit report and JSON out; bad files refused with exit status 2 and the field named."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT
from sim.calibration.example import (
    CASE_HEADER,
    MONTHLY_HEADER,
    STAFFING_HEADER,
    build_example,
    csv_bytes,
)
from sim.model.scenario import load_scenario
from sim.store.scenario_store import ScenarioStore


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
    assert wb.sheetnames == ["拟合参数", "回放检验", "人员时间线", "预测", "说明"]
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
    # the staffing timeline the fit used: the staffing table's own numbers, as numbers
    staff = wb["人员时间线"]
    assert [c.value for c in staff[1]] == ["月份", "审判团队", "员额法官", "法官助理", "书记员", "人员变动"]
    table = {(r[0], r[1]): int(r[2]) for r in _csv_rows(d / "staffing.csv")[1:]}
    got = {(r[0].value, r[1].value): r[2].value for r in staff.iter_rows(min_row=2)}
    assert got == {k: v for k, v in table.items() if k[0] <= "2026-01"} and staff["C2"].data_type == "n"
    fc = wb["预测"]
    assert fc.max_row - 1 == len(data["forecast"]["months"]) == 4 * 6   # four figures, six months


def _csv_rows(path) -> list[list[str]]:
    import csv
    import io

    return list(csv.reader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


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


def test_the_staffing_timeline_is_checked_written_corrected_and_given_back(tmp_path):
    """Issue 22 part 2 on the command line: ``--check-only`` prints the staffing read from the
    records (no fit, no --out needed); ``--staffing-out`` writes it as a staffing table (a BOM,
    the usual headers, one row per month and team); a corrected copy given back with
    ``--staffing`` wins over the records, under its own headers through ``--staffing-mapping``
    (``--mapping`` names the case records' headers only and is not applied to it)."""
    import csv
    import io

    from synthetic_court import cases_csv, strained_court

    court = strained_court(seed=2, future_months=0, months=12)
    (tmp_path / "cases.csv").write_bytes(cases_csv(court))
    timeline = tmp_path / "timeline.csv"
    p = _cli(str(tmp_path / "cases.csv"), "--check-only", "--staffing-out", str(timeline), "--export-date", "2023-09-30",
             "--lang", "en")
    assert p.returncode == 0, p.stderr
    assert "Staffing timeline" in p.stdout and "Fitted by simulation" not in p.stdout
    raw = timeline.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["Month", "Team", "Judges", "Assistants", "Clerks", "Changes"]
    body = rows[1:]
    # twelve months of two teams: ten simple-case judges until two leave on 1 July 2023 (the
    # departure is dated from the thinning of their cases, within a fortnight: from August
    # eight are in post on the month's first day, and July names the two who left)
    assert len(body) == 24 and {r[1] for r in body} == {"速裁庭", "民一庭"}
    simple = {r[0]: int(r[2]) for r in body if r[1] == "速裁庭"}
    assert simple["2022-10"] == simple["2023-06"] == 10 and simple["2023-08"] == simple["2023-09"] == 8
    july = next(r for r in body if r[:2] == ["2023-07", "速裁庭"])
    assert sorted(july[5].split()) == ["−J04", "−J05"]
    # the user corrects the last month (a judge came back) and renames the judges' column
    fixed = [["月", "Team", "Quota judges", "Assistants", "Clerks"]]
    fixed += [[r[0], r[1], "9" if (r[0], r[1]) == ("2023-09", "速裁庭") else r[2], r[3], r[4]] for r in body]
    back = tmp_path / "fixed.csv"
    back.write_text("\n".join(",".join(r) for r in fixed), encoding="utf-8")
    js = tmp_path / "check.json"
    p = _cli(str(tmp_path / "cases.csv"), "--staffing", str(back), "--check-only", "--json", str(js),
             "--mapping", '{"收案日期": "filing_date"}', "--export-date", "2023-09-30",
             "--staffing-mapping", '{"月": "month", "Quota judges": "judges"}', "--lang", "en")
    assert p.returncode == 0, p.stderr
    data = json.loads(js.read_text(encoding="utf-8"))["staffing"]
    assert data["source"] == "table"
    got = {(m["month"], m["team"]): m["judges"] for m in data["months"]}
    assert got[("2023-09", "速裁庭")] == 9 and got[("2023-08", "速裁庭")] == 8 and got[("2023-09", "民一庭")] == 3
