"""The derived monthly table equals the engine's own monthly figures (issue 12 parts 1 and 6),
and the example court's shipped files import as documented."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from sim.calibration.estimate import track_of
from sim.calibration.example import (
    CASE_HEADER,
    build_example,
    csv_bytes,
    gz,
    judge_name,
    xlsx_bytes,
)
from sim.calibration.monthly import derive_monthly
from sim.calibration.records import import_cases
from sim.calibration.totals import import_monthly, import_staffing
from sim.model.caseflow import simulate
from sim.model.scenario import load_scenario, scenario_from_dict, scenario_to_dict

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "scenarios" / "examples" / "court-records"
BAD_CODES = {"rec_closing_before_filing", "rec_procedure_unknown", "rec_duplicate", "rec_date_unparseable",
             "rec_date_too_early", "rec_case_type", "rec_filing_missing", "rec_date_after_export"}


def _check_equal_to_engine(ex, mt) -> None:
    m = ex.figures["monthly"]
    assert [r.month for r in mt.rows] == ex.prepared.month_labels
    carried = ex.figures["flow"]["pending_start"]
    for k, r in enumerate(mt.rows):
        assert r.carried_over == carried, r
        assert r.filed == m["filed"][k] and r.closed == m["closed"][k] and r.pending == m["pending_end"][k], r
        if r.closed:
            assert r.within_limit == pytest.approx(m["within_limit_rate"][k] * r.closed, abs=1e-6), r
        assert r.carried_over + r.filed - r.closed == r.pending  # flow balance, every month
        carried = r.pending


@pytest.fixture(scope="module")
def weak():
    scn = load_scenario(ROOT / "scenarios" / "weak-court-restaffing.yaml")
    return scn, build_example(scn)


def test_the_records_close_each_track_and_settle_as_the_engine_did(weak) -> None:
    """Read back as the calibration reads them (a track by the governing procedure, 简转普 as
    ordinary from filing), the records close in each month as many cases of each track as the
    engine's teams of that track did; and a case is recorded as mediated or withdrawn exactly when
    the engine settled it. Before, a case drawn to convert that settled before its hearing was
    written 简转普, moving about 40 closings from the simple track to the complex one, and the
    closing method was drawn at the track's settlement rate whatever the engine did."""
    scn, ex = weak
    imp = import_cases(csv_bytes(CASE_HEADER, ex.cases))
    p = ex.prepared
    labels = p.month_labels
    closed = np.zeros((2, len(labels)))
    for c in imp.cases:
        if c.closing is not None and f"{c.closing:%Y-%m}" in labels:
            closed[int(track_of(c.governing_procedure) == "complex"), labels.index(f"{c.closing:%Y-%m}")] += 1
    by_team = ex.figures["flow_monthly"]["closed_team"][:len(scn.teams)]
    engine = np.array([by_team[p.team_track == k].sum(axis=0) for k in (0, 1)])
    assert closed.sum() > 1000 and np.array_equal(closed, engine)
    r = simulate(p, 0)                        # the same replication again: same seed, same cases
    done = np.isfinite(r.end_t) & (r.end_t <= p.end) & (r.end_t > p.report_start)
    early = sum(c.closing_method in ("mediation", "withdrawal") for c in imp.cases if c.closing is not None)
    assert early == int((done & r.settled).sum())


@pytest.mark.parametrize("fmt", ["utf8", "gbk", "xlsx"])
def test_derived_monthly_table_equals_the_engines_figures(weak, fmt: str) -> None:
    scn, ex = weak
    data = {"utf8": lambda: gz(csv_bytes(CASE_HEADER, ex.cases)),
            "gbk": lambda: csv_bytes(CASE_HEADER, ex.cases, "gbk", "slash"),
            "xlsx": lambda: xlsx_bytes(CASE_HEADER, ex.cases)}[fmt]()
    imp = import_cases(data)
    assert imp.export_date == ex.export_date
    assert set(imp.report.counts) == BAD_CODES and imp.report.rows_refused == ex.bad_rows
    mt = derive_monthly(imp.cases, imp.export_date, procedures=scn.procedures)
    _check_equal_to_engine(ex, mt)
    assert mt.pending_at_export == ex.figures["monthly"]["pending_end"][-1]
    assert not imp.report.batches  # Poisson filings: no day stands out


def test_with_a_warm_up_and_another_scenario() -> None:
    """Cases filed and closed during the warm-up are outside the export; the table still matches."""
    data = scenario_to_dict(load_scenario(ROOT / "scenarios" / "baseline.yaml"))
    data.update(horizon_months=3, warmup_days=45)
    scn = scenario_from_dict(data)
    ex = build_example(scn, replication=2, seed=7)
    good = ex.cases[: len(ex.cases) - ex.bad_rows]
    imp = import_cases(csv_bytes(CASE_HEADER, good), export_date=ex.export_date)
    assert imp.report.rows_refused == 0
    mt = derive_monthly(imp.cases, imp.export_date, start=scn.start_date, procedures=scn.procedures)
    _check_equal_to_engine(ex, mt)
    assert derive_monthly(imp.cases, imp.export_date).start == scn.start_date  # inferred alike


def test_shipped_example_files_import_as_documented() -> None:
    monthly = import_monthly(EXAMPLE / "monthly.csv")
    assert not monthly.report.counts and len(monthly.rows) == 24
    results = []
    for name in ("cases-utf8.csv.gz", "cases-gbk.csv.gz", "cases.xlsx"):
        imp = import_cases(EXAMPLE / name)
        assert set(imp.report.counts) == BAD_CODES and imp.report.rows_refused == 8, name
        assert imp.export_date == dt.date(2026, 12, 31)
        mt = derive_monthly(imp.cases, imp.export_date)
        got = [(r.month, r.carried_over, r.filed, r.closed, r.pending, r.within_limit) for r in mt.rows]
        assert got == [(r.month, r.carried_over, r.filed, r.closed, r.pending, r.within_limit) for r in monthly.rows]
        results.append([c.to_dict() for c in imp.cases])
        text = str(results[-1]) + str(imp.report.to_dict())
        assert "原告" not in text and "被告" not in text and judge_name(0) not in text
    assert results[0] == results[1] == results[2]  # every format and encoding gives the same cases
    staffing = import_staffing(EXAMPLE / "staffing.csv")
    assert not staffing.report.counts and {r.team for r in staffing.rows} == {"速裁团队", "民事一庭", "民事二庭"}
    march = {r.team: r.judges for r in staffing.rows if r.month == "2025-03"}
    jan = {r.team: r.judges for r in staffing.rows if r.month == "2025-01"}
    assert sum(march.values()) > sum(jan.values())  # the secondment from March 2025


def test_judge_names_are_distinct() -> None:
    assert len({judge_name(i) for i in range(400)}) == 400
    assert np.all([len(judge_name(i)) == 2 for i in range(400)])
