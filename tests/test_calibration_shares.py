"""The proportions the calibration reads straight from a court's records, counted by hand.

Each test builds a handful of cases whose answer is written in the test (the Wilson ranges are
the published values for those counts), with the cases that sit on a rule's edge: filed exactly a
year before the export, exactly the minimum number of old cases, excluded days one off the notice
period. They were written for the mutation record of ``sim/calibration/estimate.py``
(``docs/mutation.md``): before them, no test called the excluded-period and early-ending counts
at all, and the conversion's edges were unchecked.
"""
from __future__ import annotations

import datetime as dt

import pytest

from sim.calibration.estimate import (
    Param,
    conversion,
    early_endings,
    excluded_rates,
    procedure_mix,
    settled_cases,
    share_param,
    truncate,
    wilson,
)
from sim.calibration.records import Case

EXPORT = dt.date(2026, 6, 30)
YEAR_BEFORE = dt.date(2025, 6, 30)      # 365 days before the export: still an old filing
RECENT = dt.date(2026, 6, 1)


def case(filing, closing=None, procedure="simple", converted=False, excluded=0, method=None):
    return Case(row=0, filing=filing, closing=closing, procedure=procedure, converted=converted,
                excluded_days=excluded, closing_method=method)


def test_wilson_ranges_are_the_published_ones():
    assert wilson(3, 10) == pytest.approx((0.3, 0.107791, 0.603222), abs=1e-6)
    # one case of one: the lower end is 1 / (1 + 1.96²), the upper end exactly 1
    p, low, high = wilson(1, 1)
    assert (p, high) == (1.0, 1.0) and low == pytest.approx(1 / (1 + 1.959964 ** 2))
    assert wilson(0, 0) == (0.0, 0.0, 1.0)


def test_a_share_is_a_binomial_param_with_its_counts():
    assert share_param("case_types.simple.share", 3, 10, old_only=True) == Param(
        "case_types.simple.share", 0.3, pytest.approx(0.107791, abs=1e-6), pytest.approx(0.603222, abs=1e-6),
        "binomial", True, {"count": 3, "of": 10, "old_only": True})
    # nothing to count: not identified, the whole interval
    assert share_param("triage.conversion_rate", 0, 0) == Param("triage.conversion_rate", 0.0, 0.0, 1.0, "binomial",
                                                                False, {"count": 0, "of": 0})
    # one case is enough to be counted
    assert share_param("x", 1, 1).identified


def test_a_params_json_rounds_to_six_places_and_leaves_out_empty_notes():
    assert Param("fit.effort_simple", 1 / 3, None, 0.5, "simulation", False, {"best": 1}).to_dict() == {
        "key": "fit.effort_simple", "value": 0.333333, "low": None, "high": 0.5, "method": "simulation",
        "identified": False, "params": {"best": 1}}
    assert Param("growth", 0.1234567, 0.0500004, 0.25).to_dict() == {
        "key": "growth", "value": 0.123457, "low": 0.05, "high": 0.25, "method": "observed", "identified": True}


def test_procedure_mix_names_each_share_after_its_case_type():
    mix = procedure_mix([case(RECENT), case(RECENT, procedure="ordinary")])
    assert {p: m.key for p, m in mix.items()} == {"simple": "case_types.simple.share",
                                                  "ordinary": "case_types.ordinary.share"}


def _simple_track(old_converted: int = 5, old_total: int = 50) -> list[Case]:
    """``old_total`` simple-procedure filings a year or more before the export (the first filed
    exactly 365 days before), ``old_converted`` of them converted; and ten recent filings, five of
    them converted, which a count over every filing would take in."""
    old = [case(YEAR_BEFORE if i == 0 else dt.date(2025, 3, 1), procedure="ordinary" if i < old_converted else "simple",
                converted=i < old_converted) for i in range(old_total)]
    recent = [case(RECENT, procedure="ordinary" if i < 5 else "simple", converted=i < 5) for i in range(10)]
    return old + recent


def test_conversion_counts_fifty_old_filings_including_one_filed_exactly_a_year_before():
    """Fifty old filings, the minimum, one of them exactly 365 days before the export: 5 of 50
    converted. A fifth of the simple-track cases settle before their hearing (0.123456 rounds to
    0.1235 in the notes): the model's rate is 0.1 / (1 − 0.123456)."""
    p = conversion(_simple_track(), EXPORT, {"simple": 0.123456})
    reach = 1 - 0.123456
    assert p == Param("triage.conversion_rate", pytest.approx(0.1 / reach), pytest.approx(0.043476 / reach, abs=1e-6),
                      pytest.approx(0.213602 / reach, abs=1e-6), "binomial", True,
                      {"count": 5, "of": 50, "old_only": True, "settled_before_hearing": 0.1235})
    # 49 old filings are too few: every filing counts, 10 of 59
    few = conversion(_simple_track(old_total=49), EXPORT)
    assert (few.value, few.params) == (pytest.approx(10 / 59), {"count": 10, "of": 59, "old_only": False})
    # nothing settles first: the count as it is, without the note
    assert conversion(_simple_track(), EXPORT).params == {"count": 5, "of": 50, "old_only": True}


def test_conversion_divided_by_the_cases_that_reach_their_hearing_stays_a_share():
    """Every one of five converted, half the cases settling first: 1 / 0.5 is no share, so the
    value and both ends stop at 1 (the lower end 0.5655 / 0.5 too). One case alone: the mean
    chance of settling first is its own, 0.5."""
    five = [case(RECENT, procedure="ordinary", converted=True) for _ in range(5)]
    p = conversion(five, EXPORT, {"simple": 0.5})
    assert (p.value, p.low, p.high) == (1.0, 1.0, 1.0)
    one = conversion([case(RECENT)], EXPORT, {"simple": 0.5})
    assert one.params["settled_before_hearing"] == 0.5 and one.value == 0.0


def test_truncate_keeps_what_was_filed_by_the_export_day_in_any_order():
    later, on_the_day, pending = case(dt.date(2026, 7, 1)), case(EXPORT), case(dt.date(2026, 1, 5))
    closed_after = case(dt.date(2026, 2, 1), dt.date(2026, 7, 2), method="judgment")
    closed_that_day = case(dt.date(2026, 2, 1), EXPORT, method="judgment")
    out = truncate([later, on_the_day, pending, closed_after, closed_that_day], EXPORT)
    assert out[:2] == [on_the_day, pending] and out[3] is closed_that_day and len(out) == 4
    assert out[2].closing is None and out[2].closing_method is None and closed_after.closing is not None


NOTICE = 60.0


def _ordinary(no_method: int = 3) -> list[Case]:
    """Fifty ordinary cases filed a year or more before the export and closed: 10 by mediation,
    5 withdrawn, 35 judged; excluded days of the notice period on 4 of them and one more a day
    off it (61), an appraisal on 3 (20, 1 and 62 days: two days off the notice period is no
    notice). Then twenty recent ones, all closed by mediation with a notice period, two old
    ones still open, and ``no_method`` old ones closed without a method (not counted for early
    endings)."""
    closed = dt.date(2026, 1, 10)
    excluded = [NOTICE] * 4 + [NOTICE + 1] + [20.0, 1.0, NOTICE + 2] + [0.0] * 42
    methods = ["mediation"] * 10 + ["withdrawal"] * 5 + ["judgment"] * 35
    old = [case(YEAR_BEFORE if i == 0 else dt.date(2025, 2, 1), closed, "ordinary", excluded=x, method=m)
           for i, (x, m) in enumerate(zip(excluded, methods, strict=True))]
    recent = [case(RECENT, dt.date(2026, 6, 20), "ordinary", excluded=NOTICE, method="mediation") for _ in range(20)]
    still_open = [case(dt.date(2025, 1, 2), None, "ordinary") for _ in range(2)]
    no_method = [case(dt.date(2025, 1, 3), closed, "ordinary") for _ in range(no_method)]
    return old + recent + still_open + no_method


def test_old_closed_cases_are_counted_when_there_are_fifty():
    cases = _ordinary()
    use, old_only = settled_cases(cases, "ordinary", EXPORT)
    assert old_only and len(use) == 53          # the 50, and the 3 closed without a method
    use, old_only = settled_cases(cases, "ordinary", EXPORT, min_cases=54)
    assert not old_only and len(use) == 73      # too few old ones: every closed case
    assert settled_cases(cases, "simple", EXPORT) == ([], False)
    # exactly fifty old closed cases are enough
    assert settled_cases(_ordinary(no_method=0), "ordinary", EXPORT)[1]
    assert excluded_rates(_ordinary(no_method=0), NOTICE, EXPORT)["ordinary"][0].params["old_only"]


def test_early_endings_and_excluded_periods_counted_by_hand():
    cases = _ordinary()
    early = early_endings(cases, EXPORT)["ordinary"]
    assert early == Param("case_types.ordinary.settlement_rate", 0.3, pytest.approx(0.191036, abs=1e-6),
                          pytest.approx(0.437504, abs=1e-6), "binomial", True, {"count": 15, "of": 50, "old_only": True})
    notice, appraisal = excluded_rates(cases, NOTICE, EXPORT)["ordinary"]
    # over the 53 old closed cases (a case's excluded days do not need a method)
    assert (notice.key, notice.value, notice.params) == ("case_types.ordinary.public_notice_rate", 5 / 53,
                                                         {"count": 5, "of": 53, "old_only": True})
    assert (appraisal.key, appraisal.value, appraisal.params) == ("case_types.ordinary.appraisal_rate", 3 / 53,
                                                                  {"count": 3, "of": 53, "old_only": True})
    # with a higher minimum every closed case counts, the twenty recent notices among them
    notice, _ = excluded_rates(cases, NOTICE, EXPORT, min_cases=60)["ordinary"]
    assert notice.params == {"count": 25, "of": 73, "old_only": False}
    early = early_endings(cases, EXPORT, min_cases=51)["ordinary"]
    assert early.params == {"count": 35, "of": 70, "old_only": False}
