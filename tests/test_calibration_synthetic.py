"""Calibration against synthetic courts with known truth (issue 22 part 8), whose records are
written by an outside program (:mod:`synthetic_court`): the judges in post and when two left,
each judge counted once, a staffing table without a team column, demand with growth and a step
in level, case types mixed in one file, rows that contradict themselves, a monthly table with
its usual headers, and a court with only monthly totals."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from sim.calibration.direct import estimate
from sim.calibration.estimate import fit_demand
from sim.calibration.monthly import compare_with_table, derive_monthly
from sim.calibration.records import Case, import_cases
from sim.calibration.roster import infer_roster
from sim.calibration.teams import infer_staffing
from sim.calibration.totals import import_monthly, import_staffing
from synthetic_court import (
    Judge,
    Spec,
    add_months,
    cases_csv,
    exported,
    judge_name,
    monthly_csv,
    simulate,
    staffing_csv,
    strained_court,
)


@pytest.fixture(scope="module")
def strained():
    """The strained court (records October 2022 – September 2024, two of ten simple-case judges
    leaving on 1 July 2024), exported without a team column."""
    court = strained_court(seed=1, future_months=0)
    return court, import_cases(cases_csv(court, team_column=False))


def test_the_judges_in_post_and_the_two_who_left(strained):
    court, imp = strained
    start = court.spec.start
    roster = infer_roster(imp.cases, start, imp.export_date)
    assert len(roster) == 13                                  # each judge once
    left = [s for s in roster if s.left is not None]
    assert len(left) == 2
    for s in left:                                            # the day they went, within a fortnight
        assert abs((s.left - dt.date(2024, 7, 1)).days) <= 14, s
    assert {s.track for s in roster} == {"simple", "complex"}
    assert sum(s.track == "simple" for s in roster) == 10 and sum(s.track == "complex" for s in roster) == 3
    assert all(s.first == start and not s.away for s in roster)


def test_the_staffing_timeline_matches_the_truth_every_month(strained):
    court, imp = strained
    stf = infer_staffing(None, imp.cases, court.spec.start, court.spec.months, imp.export_date)
    assert stf.source == "records" and stf.assumed_support
    by_track = {t.track: t for t in stf.teams}
    for m in range(court.spec.months):
        a = add_months(court.spec.start, m)
        label = f"{a.year:04d}-{a.month:02d}"
        truth = {track: sum(n for (mm, team), n in court.staffing.items() if mm == label and
                            (team == "速裁庭") == (track == "simple")) for track in ("simple", "complex")}
        if label == "2024-07":                      # the departure month: on its first day, in post
            continue
        assert {k: by_track[k].at(a)[0] for k in truth} == truth, label
    # at the export, and so in the calibrated court: eight simple-case judges, three complex
    assert {k: t.at(imp.export_date)[0] for k, t in by_track.items()} == {"simple": 8, "complex": 3}
    rows = stf.monthly(court.spec.start, court.spec.months)
    july = next(r for r in rows if r["month"] == "2024-07" and r["track"] == "simple")
    assert len(july["left"]) == 2 and not july["joined"]


def _case(filing, procedure, judge, closing=None):
    return Case(row=0, filing=filing, closing=closing, procedure=procedure, judge=judge)


def test_a_judge_with_both_tracks_counts_once_on_the_track_of_most_cases():
    """J01 hears 70 simple and 30 ordinary cases a year, J02 only ordinary ones: one judge on each
    track, not J01 twice."""
    d0 = dt.date(2024, 1, 1)
    cases = []
    for k in range(300):
        d = d0 + dt.timedelta(days=k)
        cases.append(_case(d, "simple" if k % 10 < 7 else "ordinary", "J01", d + dt.timedelta(days=20)))
        if k % 3 == 0:
            cases.append(_case(d, "ordinary", "J02", d + dt.timedelta(days=40)))
    roster = infer_roster(cases, d0, dt.date(2024, 10, 31))
    j1, j2 = roster
    assert (j1.judge, j1.track, round(j1.share, 2)) == ("J01", "simple", 0.7)
    assert (j2.judge, j2.track, j2.share) == ("J02", "complex", 1.0)
    stf = infer_staffing(None, cases, d0, 10, dt.date(2024, 10, 31))
    assert sorted((t.track, t.at(dt.date(2024, 6, 1))[0]) for t in stf.teams) == [("complex", 1), ("simple", 1)]


def test_a_staffing_table_without_teams_is_split_over_the_teams_the_records_show(strained):
    court, imp = strained
    table = import_staffing(staffing_csv(court, team_column=False))
    assert all(r.team is None for r in table.rows)
    stf = infer_staffing(table.rows, imp.cases, court.spec.start, court.spec.months, imp.export_date)
    assert stf.source == "table_split" and "staff_table_split" in stf.notes
    for r in table.rows:                           # each month's total kept, split 10:3 then 8:3
        a = dt.date(int(r.month[:4]), int(r.month[5:]), 1)
        got = {t.track: t.at(a)[0] for t in stf.teams}
        assert sum(got.values()) == r.judges, r.month
        assert got["complex"] == 3, (r.month, got)   # no one-judge team is invented


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_demand_growth_and_season_recovered_within_their_ranges(seed):
    court = strained_court(seed=seed, future_months=0)
    imp = import_cases(cases_csv(court))
    start = court.spec.start
    end = add_months(start, court.spec.months) - dt.timedelta(days=1)
    d = fit_demand(imp.cases, start, end)
    assert d.growth.low <= 0.05 <= d.growth.high
    # the generator's season shapes each month's total; the model's profile is a daily rate, so
    # the truth per day is the season over the month's days (averaged over the two years)
    days = np.array([np.mean([(add_months(dt.date(y, m, 1), 1) - dt.date(y, m, 1)).days for y in (2023, 2024)])
                     for m in range(1, 13)])
    truth = np.array(court.spec.season) / days
    truth = truth / truth.mean()
    inside = sum(p.low <= v <= p.high for p, v in zip(d.profile, truth, strict=False))
    assert inside >= 11                              # twelve 95 % ranges: one may miss by chance
    assert d.step is None                            # no step in this court


def test_a_step_in_the_filing_level_is_found_and_used():
    """Filings jump by 40 % from January 2023 (a new source of cases): found in its month, and the
    level after it is what a forecast uses, not the average of before and after. (A step on the
    very month a year of records ends could not be told from a year's growth: each calendar
    month comes once before it and once after.)"""
    judges = [Judge(judge_name(i), "速裁庭", "simple") for i in range(12)] + \
        [Judge(judge_name(20 + i), "民一庭", "complex") for i in range(4)]
    spec = Spec(start=dt.date(2022, 7, 1), months=24, judges=judges, filings_per_month={"simple": 300.0,
                "complex": 50.0}, capacity={"simple": 3.0, "complex": 1.5}, step=(dt.date(2023, 1, 1), 1.4), seed=5)
    court = simulate(spec)
    imp = import_cases(cases_csv(court))
    end = add_months(spec.start, 24) - dt.timedelta(days=1)
    d = fit_demand(imp.cases, spec.start, end)
    assert d.step is not None and d.step_date == dt.date(2023, 1, 1)
    assert d.step.low <= 1.4 <= d.step.high
    from sim.calibration.build import demand_section

    class E:  # the parts of the estimates demand_section reads
        demand, start, kept_share = d, spec.start, 1.0

    a, b = dt.date(2022, 12, 1), dt.date(2024, 7, 1)
    before, after = demand_section(E, a)["disputes_per_year"], demand_section(E, b)["disputes_per_year"]
    assert after / before == pytest.approx(d.step.value * (1 + d.growth.value) ** ((b - a).days / 365.25), rel=1e-6)
    assert d.growth.value == 0.0 and d.growth.params == {"with_step": True}   # the step, not growth


def test_case_types_in_one_file_are_counted_each_under_its_own_code():
    judges = [Judge(judge_name(i), "速裁庭", "simple") for i in range(4)] + [Judge(judge_name(9), "民一庭", "complex")]
    spec = Spec(start=dt.date(2024, 1, 1), months=6, judges=judges, filings_per_month={"simple": 100.0,
                "complex": 20.0}, capacity={"simple": 2.0, "complex": 1.5}, other_types={"执": 30.0, "刑初": 8.0},
                seed=2)
    court = simulate(spec)
    imp = import_cases(cases_csv(court))
    found = imp.report.facts["case_types_found"]
    assert set(found) == {"民初", "执", "刑初"}
    rows = exported(court)
    truth = {code: sum(code in c["number"] for c in rows) for code in found}
    for code, t in found.items():
        assert t["rows"] == truth[code], code
        assert t["open"] == sum(code in c["number"] and c["closed"] is None for c in rows), code
        assert t["kept"] == (code == "民初") and t["first_month"] <= "2024-01"
    assert found["执"]["category"] == "enforcement" and found["刑初"]["category"] == "criminal_first"
    assert len(imp.cases) == found["民初"]["rows"]                    # only civil first instance is modelled


def test_a_closing_mode_without_a_date_and_differing_duplicates_are_named():
    head = "案号,立案日期,结案日期,适用程序,结案方式\n"
    rows = ["（2024）京0105民初1号,2024-01-03,,简易程序,判决",          # 2: mode, no date
            "（2024）京0105民初2号,2024-01-04,,简易程序,",              # 3: pending (pulled earlier)
            "（2024）京0105民初2号,2024-01-04,2024-02-10,简易程序,调解",  # 4: the same case closed later
            "（2024）京0105民初3号,2024-01-05,,简易程序,未结",          # 5: "未结" is no closing mode
            "（2024）京0105民初4号,2024-01-05,2024-03-01,简易程序,判决"]  # 6
    imp = import_cases((head + "\n".join(rows) + "\n").encode(), export_date=dt.date(2024, 4, 30))
    got = {(i.row, i.code) for i in imp.report.issues}
    assert got == {(2, "rec_method_no_closing"), (3, "rec_duplicate_differs")}
    kept = {c.case_number: c for c in imp.cases}
    assert kept["（2024）京0105民初2号"].closing == dt.date(2024, 2, 10) and kept["（2024）京0105民初2号"].row == 4
    assert kept["（2024）京0105民初3号"].closing is None                 # still open, not refused
    dup = next(i for i in imp.report.issues if i.code == "rec_duplicate_differs")
    assert "4" in dup.text("en") and "4" in dup.text("zh")
    miss = next(i for i in imp.report.issues if i.code == "rec_method_no_closing")
    assert "判决" in miss.text("zh") and "结案日期" in miss.text("zh")


def test_a_monthly_table_with_its_usual_headers_is_balanced_month_by_month(strained):
    court, imp = strained
    mon = import_monthly(monthly_csv(court))        # 统计月份, 收案数, 结案数, 未结数: no 旧存 column
    assert mon.report.columns == {"month": "统计月份", "filed": "收案数", "closed": "结案数", "pending": "未结数"}
    assert not mon.report.counts                     # the court's own table balances
    # the records' derived table agrees with it month by month
    assert compare_with_table(derive_monthly(imp.cases, imp.export_date), mon.rows) == []
    # a typing error in one month: named by its row and month, and the month after is out of step too
    text = monthly_csv(court).decode("utf-8-sig").splitlines()
    cells = text[5].split(",")
    cells[3] = str(int(cells[3]) + 7)                 # 未结数 of February 2023 (row 6)
    text[5] = ",".join(cells)
    bad = import_monthly(("\n".join(text) + "\n").encode("utf-8-sig"))
    issues = [(i.row, i.code, i.params["month"]) for i in bad.report.issues]
    assert issues == [(6, "rec_flow_balance_prev", "2023-02"), (7, "rec_flow_balance_prev", "2023-03")]
    assert "2023-02" in bad.report.issues[0].text("zh") and "2023-01" in bad.report.issues[0].text("zh")


def test_the_estimates_of_a_court_without_a_team_column_count_each_judge_once(strained):
    court, imp = strained
    est = estimate(imp)
    judges_now = {t.track: t.at(imp.export_date)[0] for t in est.staffing.teams}
    assert judges_now == {"simple": 8, "complex": 3}
    assert est.state.table is not None and est.state.date == court.spec.start
