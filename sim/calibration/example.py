"""The example court's records: a built-in scenario run once and written out as a court's export.

``python -m sim.calibration.example [--scenario FILE] [--out DIR]`` runs one replication of the
scenario (by default ``scenarios/weak-court-restaffing.yaml``: a small court over two years,
with a secondment and a judge moved between teams, so its staffing changes) and writes what
its case-management system would export:

- ``cases-utf8.csv.gz`` (UTF-8 with a byte-order mark, dates 2025-03-05),
  ``cases-gbk.csv.gz`` (GBK, dates 2025/3/5) and ``cases.xlsx`` (date cells): one row per case
  filed in the two years or pending at their start, with made-up party and judge names (the
  import must drop the first and pseudonymise the second) and, at the end, a few deliberately
  bad rows that the quality report refuses;
- ``monthly.csv``: the engine's own monthly figures as a court's statistical table
  (旧存, 新收, 结案, 未结, 审限内结案, 诉前调解, 诉前调解成功);
- ``staffing.csv``: judges, assistants and clerks of each team on each month's first day.

Every case attribute comes from the engine's per-case records (:class:`sim.model.caseflow.Records`,
read as :mod:`sim.model.figures` reads them: filing date ``floor(file_t)``, closing date
``ceil(end_t) - 1``); the export date is the horizon's last day, so cases still open then have
no closing date. Two attributes the engine does not record are added by this script, from its
own seeded random numbers: the presiding judge (cases are rotated among the judges of the team
that holds them) and which of two closing methods a case's ending had (a case the engine
settled: mediation or withdrawal; any other: judgment or dismissal). Neither enters the monthly
figures. A case is marked 简转普 only when it was converted: one drawn to convert that settled
before its hearing, or was still waiting for it at the export, stays under simple procedure.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import io
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, Sequence

import numpy as np

from ..model.caseflow import converted_cases, simulate
from ..model.figures import replication_figures
from ..model.prepared import Prepared, prepare
from ..model.scenario import Scenario, load_scenario
from ..model.staffing import staff_present
from .records import CaseImport, import_cases
from .totals import MonthlyImport, StaffingImport, import_monthly, import_staffing

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SCENARIO = ROOT / "scenarios" / "weak-court-restaffing.yaml"
DEFAULT_OUT = ROOT / "scenarios" / "examples" / "court-records"
#: a fictitious court's code (the province abbreviation and four digits of a basic court)
COURT_CODE = "豫0499"

CASE_HEADER = ["序号", "案号", "原告", "被告", "立案日期", "结案日期", "适用程序", "简转普", "审判团队", "承办法官",
               "结案方式", "延长审限", "扣除审限天数"]
MONTHLY_HEADER = ["月份", "旧存", "新收", "结案", "未结", "审限内结案", "诉前调解", "诉前调解成功"]
STAFFING_HEADER = ["月份", "审判团队", "员额法官", "法官助理", "书记员"]
PROC_LABEL = {"small_claims": "小额诉讼程序", "simple": "简易程序", "ordinary": "普通程序", "second_instance": "二审",
              "enforcement": "执行"}
_SURNAMES = "王李张刘陈杨黄赵周吴徐孙马胡朱郭何罗高林"
_GIVEN = "明华伟芳娜敏静丽强磊军洋勇艳杰涛超婷玲斌"


@dataclass
class ExampleData:
    """The example's tables (header + rows) and the run they came from."""

    cases: list[list[Any]]            # data rows under CASE_HEADER; dates as dt.date
    bad_rows: int                     # how many rows at the end are deliberately bad
    monthly: list[list[Any]]
    staffing: list[list[Any]]
    export_date: dt.date
    prepared: Prepared
    figures: dict


def judge_name(i: int) -> str:
    """A made-up two-character name, different for i = 0 .. 399."""
    return _SURNAMES[i % 20] + _GIVEN[(i // 20 + 7 * i) % 20]


def build_example(scn: Scenario, replication: int = 0, seed: Optional[int] = None) -> ExampleData:
    """Simulate one replication of ``scn`` and turn its records into a court's export."""
    p = prepare(scn)
    r = simulate(p, replication, seed)
    figs = replication_figures(p, r)
    a0, aN = p.report_start, p.end
    export_date = p.origin + dt.timedelta(days=int(aN) - 1)
    # exported: filed in the horizon, or filed before it and still pending at its start
    sel = ((r.file_t >= a0) & (r.file_t < aN)) | ((r.file_t < a0) & (r.end_t > a0))
    idx = np.flatnonzero(sel)
    idx = idx[np.argsort(r.file_t[idx], kind="stable")]
    converted = converted_cases(p, r)
    rng = np.random.default_rng([scn.seed if seed is None else seed, replication, 20240305])

    # presiding judges: rotation within the team that holds the case, in filing order
    judges_per_team = [max(1, int(p.team_judges_day[i].max())) for i in range(len(scn.teams))]
    name_base = np.concatenate([[0], np.cumsum(judges_per_team)])
    turn = [0] * len(scn.teams)
    seq: dict[int, int] = {}
    rows: list[list[Any]] = []
    for n, k in enumerate(idx, start=1):
        filing = p.origin + dt.timedelta(days=math.floor(r.file_t[k]))
        closed = bool(np.isfinite(r.end_t[k]) and r.end_t[k] <= aN)
        closing = p.origin + dt.timedelta(days=math.ceil(r.end_t[k]) - 1) if closed else None
        proc = p.proc_names[r.proc[k]]
        seq[filing.year] = seq.get(filing.year, 0) + 1
        case_no = f"（{filing.year}）{COURT_CODE}民初{seq[filing.year]}号"
        team = int(r.team[k])
        judge = ""
        if team >= 0:
            judge = judge_name(int(name_base[team]) + turn[team] % judges_per_team[team])
            turn[team] += 1
        u2 = rng.random(2)[1]      # two draws a case: the later cases' draws stay where they were
        method = ""
        if closing is not None:
            if r.settled[k]:   # the engine's own outcome, so early endings close sooner, as in a court
                method = "调解" if u2 < 0.55 else "撤诉"
            else:
                method = "判决" if u2 < 0.9 else "驳回起诉"
        ref = closing or export_date
        elapsed = (ref - filing).days
        excluded = int(math.floor(min(float(r.excluded[k]), elapsed)))
        base = int(p.allowed_base[r.proc[k], math.floor(r.file_t[k]) - p.first_filing_day])
        extended = bool(p.proc_has_ext[r.proc[k]]) and elapsed - excluded > base
        rows.append([n, case_no, f"原告{n}（示例）", f"被告{n}（示例）", filing, closing, PROC_LABEL.get(proc, proc),
                     "是" if converted[k] else "否", scn.teams[team].name if team >= 0 else "", judge, method,
                     "是" if extended else "否", excluded])
    bad = _bad_rows(rows, export_date)
    monthly = _monthly_rows(p, figs)
    staffing = _staffing_rows(scn, p)
    return ExampleData(cases=rows + bad, bad_rows=len(bad), monthly=monthly, staffing=staffing,
                       export_date=export_date, prepared=p, figures=figs)


def _bad_rows(rows: list[list[Any]], export_date: dt.date) -> list[list[Any]]:
    """A few rows with the mistakes a real export has, one reason each, to show the report."""
    y = export_date.year
    n = len(rows)
    model = rows[len(rows) // 2]
    d = dt.date(y, 3, 2)

    def row(k: int, case_no: str, filing: Any, closing: Any, proc: str = "简易程序") -> list[Any]:
        return [n + k, case_no, f"原告{n + k}（示例）", f"被告{n + k}（示例）", filing, closing, proc, "否",
                model[8], model[9], "判决" if closing else "", "否", 0]

    return [
        row(1, f"（{y}）{COURT_CODE}民初9001号", d, dt.date(y, 2, 20)),                  # closes before filing
        row(2, f"（{y}）{COURT_CODE}民初9002号", d, dt.date(y, 4, 1), "特别程序"),        # unknown procedure
        list(model[:1]) + [model[1]] + [f"原告{n + 3}（示例）"] + list(model[3:]),           # duplicate case number
        row(4, f"（{y}）{COURT_CODE}民初9004号", "2025-02-30", dt.date(y, 4, 1)),         # no such date
        row(5, f"（{y}）{COURT_CODE}民初9005号", dt.date(1999, 5, 4), dt.date(1999, 6, 1)),  # before 2000
        row(6, f"（{y}）{COURT_CODE}民终9006号", d, dt.date(y, 4, 1)),                   # an appeal, not 民初
        row(7, f"（{y}）{COURT_CODE}民初9007号", "", dt.date(y, 4, 1)),                  # no filing date
        row(8, f"（{y}）{COURT_CODE}民初9008号", d, export_date + dt.timedelta(days=60)),  # after the export
    ]


def _monthly_rows(p: Prepared, figs: dict) -> list[list[Any]]:
    m = figs["monthly"]
    carried = figs["flow"]["pending_start"]
    out = []
    for k, lab in enumerate(p.month_labels):
        closed = int(m["closed"][k])
        wl = 0 if closed == 0 else int(round(m["within_limit_rate"][k] * closed))
        disputes = int(m["disputes"][k])
        diverted = int(round(m["mediation_diversion_rate"][k] * disputes)) if disputes else 0
        settled = int(round(m["mediation_resolution_share"][k] * disputes)) if disputes else 0
        out.append([lab, carried, int(m["filed"][k]), closed, int(m["pending_end"][k]), wl, diverted, settled])
        carried = int(m["pending_end"][k])
    return out


def _staffing_rows(scn: Scenario, p: Prepared) -> list[list[Any]]:
    """Staff of each team on the first day of each month (judges, assistants, clerks)."""
    staff = [staff_present(t, p.origin, p.n_days) for t in scn.teams]
    out = []
    for lab, a in zip(p.month_labels, p.month_edges[:-1], strict=True):
        for t, s in zip(scn.teams, staff, strict=True):
            out.append([lab, t.name, *(int(round(x)) for x in s[:, int(a)])])
    return out


def _cell_text(v: Any, date_style: str) -> str:
    if isinstance(v, dt.date):
        return v.isoformat() if date_style == "iso" else f"{v.year}/{v.month}/{v.day}"
    return "" if v is None else str(v)


def read_back(scn: Scenario, replication: int = 0) -> tuple[CaseImport, MonthlyImport, StaffingImport]:
    """One replication of ``scn`` written as a court's export (UTF-8 CSV) and read back by the
    importers: cases, monthly totals, staffing — a synthetic court's records, whose truth is
    ``scn``, for the tests and studies of the calibration."""
    ex = build_example(scn, replication)
    return (import_cases(csv_bytes(CASE_HEADER, ex.cases)), import_monthly(csv_bytes(MONTHLY_HEADER, ex.monthly)),
            import_staffing(csv_bytes(STAFFING_HEADER, ex.staffing)))


def csv_bytes(header: Sequence[str], rows: Sequence[Sequence[Any]], encoding: str = "utf-8-sig",
              date_style: str = "iso") -> bytes:
    """A CSV file as a court's export writes it (CRLF line ends), in ``encoding``."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    for r in rows:
        w.writerow([_cell_text(v, date_style) for v in r])
    return buf.getvalue().encode(encoding)


def xlsx_bytes(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> bytes:
    """An XLSX workbook with date cells (written with openpyxl, a development dependency)."""
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("案件")
    ws.append(list(header))
    for r in rows:
        ws.append([None if v == "" else v for v in r])
    buf = io.BytesIO()
    wb.save(buf)
    return _stable_zip(buf.getvalue())


def _stable_zip(data: bytes) -> bytes:
    """The workbook with fixed entry times and document dates (openpyxl stamps the time of
    saving), so that the same data always give the same bytes."""
    import re
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "docProps/core.xml":
                body = re.sub(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", b"2000-01-01T00:00:00Z", body)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(2000, 1, 1, 0, 0, 0)), body,
                         compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return out.getvalue()


def gz(data: bytes) -> bytes:
    """gzip with a fixed timestamp, so the same data give the same file."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def write_example(out: Path = DEFAULT_OUT, scenario: Path = DEFAULT_SCENARIO) -> ExampleData:
    """Write the example court's files into ``out``."""
    ex = build_example(load_scenario(scenario))
    out.mkdir(parents=True, exist_ok=True)
    (out / "cases-utf8.csv.gz").write_bytes(gz(csv_bytes(CASE_HEADER, ex.cases)))
    (out / "cases-gbk.csv.gz").write_bytes(gz(csv_bytes(CASE_HEADER, ex.cases, "gbk", "slash")))
    (out / "cases.xlsx").write_bytes(xlsx_bytes(CASE_HEADER, ex.cases))
    (out / "monthly.csv").write_bytes(csv_bytes(MONTHLY_HEADER, ex.monthly))
    (out / "staffing.csv").write_bytes(csv_bytes(STAFFING_HEADER, ex.staffing))
    return ex


def main(argv: Optional[Sequence[str]] = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m sim.calibration.example", description=__doc__.split("\n\n")[0])
    ap.add_argument("--scenario", type=Path, default=DEFAULT_SCENARIO, help="scenario YAML to run")
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder to write the files into")
    a = ap.parse_args(argv)
    ex = write_example(a.out, a.scenario)
    print(f"{len(ex.cases) - ex.bad_rows} cases + {ex.bad_rows} bad rows, export date {ex.export_date}, "
          f"{len(ex.monthly)} months -> {a.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
