"""Statutory time limits on hand-computed cases (dates counted on a calendar by hand)."""
from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sim.model import rules
from sim.model.scenario import Procedure, add_months, default_procedures

P = default_procedures()
D = dt.date


def test_add_months_clamps_to_month_end() -> None:
    assert add_months(D(2025, 1, 31), 1) == D(2025, 2, 28)
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2025, 8, 31), 6) == D(2026, 2, 28)
    assert add_months(D(2025, 12, 15), -12) == D(2024, 12, 15)


@pytest.mark.parametrize("proc,filed,deadline,days", [
    ("simple", D(2025, 1, 10), D(2025, 4, 10), 90),        # Jan 21 + Feb 28 + Mar 31 + Apr 10
    ("simple", D(2025, 1, 31), D(2025, 4, 30), 89),        # no 31 April: last day of April
    ("small_claims", D(2024, 12, 31), D(2025, 2, 28), 59),
    ("ordinary", D(2025, 3, 15), D(2025, 9, 15), 184),
    ("ordinary", D(2024, 8, 31), D(2025, 2, 28), 181),
])
def test_limit_deadline_by_hand(proc: str, filed: dt.date, deadline: dt.date, days: int) -> None:
    assert rules.limit_deadline(filed, P[proc]) == deadline
    assert rules.allowed_days(filed, P[proc]) == days


def test_extension_adds_months_to_the_same_filing_date() -> None:
    # simple 3 months + 1 month by the president = 4 months in all
    assert rules.limit_deadline(D(2025, 1, 31), P["simple"], extended=True) == D(2025, 5, 31)
    assert rules.allowed_days(D(2025, 1, 31), P["simple"], extended=True) == 120
    # ordinary 6 + 6 months
    assert rules.limit_deadline(D(2025, 3, 15), P["ordinary"], extended=True) == D(2026, 3, 15)


def test_day_limits_for_criminal_speedy_procedure() -> None:
    speedy = Procedure(limit_days=10)
    assert rules.limit_deadline(D(2025, 2, 25), speedy) == D(2025, 3, 7)
    assert not rules.has_extension(speedy)
    assert rules.within_limit(D(2025, 2, 25), D(2025, 3, 7), speedy)
    assert not rules.within_limit(D(2025, 2, 25), D(2025, 3, 8), speedy)


def test_within_limit_with_excluded_period() -> None:
    filed, closed = D(2025, 1, 10), D(2025, 4, 20)          # 100 calendar days
    assert rules.clock_days(filed, closed) == 100
    # 30 days of public-notice service do not count: clock 70 <= 90
    assert rules.clock_days(filed, closed, 30) == 70
    assert not rules.needs_extension(filed, closed, P["simple"], 30)
    # without the exclusion the base limit (90 days) is exceeded: an extension is needed,
    # and with it (120 days) the case is still within the limit
    assert rules.needs_extension(filed, closed, P["simple"], 0)
    assert rules.within_limit(filed, closed, P["simple"], 0)
    # the deadline moves back by the excluded days
    assert rules.deadline(filed, P["simple"], excluded_days=30) == D(2025, 5, 10)


def test_defaults_exclude_nothing_and_the_deadline_counts_the_extension() -> None:
    """Killed mutants (docs/mutation.md): a default of one excluded day in ``deadline`` or
    ``needs_extension``, ``deadline`` ignoring ``extended``, ``within_limit`` ignoring the
    excluded days. Simple procedure, filed 10 Jan 2025: 90 days to 10 April, 120 with the
    extension to 10 May."""
    filed = D(2025, 1, 10)
    assert rules.deadline(filed, P["simple"]) == D(2025, 4, 10)
    assert rules.deadline(filed, P["simple"], extended=True) == D(2025, 5, 10)
    assert rules.deadline(filed, P["simple"], excluded_days=30, extended=True) == D(2025, 6, 9)
    assert not rules.needs_extension(filed, D(2025, 4, 10), P["simple"])   # day 90: the base limit's last day
    assert rules.needs_extension(filed, D(2025, 4, 11), P["simple"])       # day 91
    # closed on day 130 (20 May) with 10 days of public notice: clock 120, the extended limit's last day
    assert rules.within_limit(filed, D(2025, 5, 20), P["simple"], 10)
    assert not rules.within_limit(filed, D(2025, 5, 20), P["simple"])


def test_limits_and_extensions_in_days_add_up() -> None:
    """Killed mutants: an extension in days subtracted or ignored, a one-day extension not
    counted as an extension, the table's days not whole numbers. 10 days + 5 more by the
    president, filed 25 Feb 2025: 7 March, extended 12 March."""
    p = Procedure(limit_days=10, extension_days=5)
    assert rules.has_extension(p) and rules.has_extension(Procedure(limit_days=10, extension_days=1))
    assert rules.limit_deadline(D(2025, 2, 25), p) == D(2025, 3, 7)
    assert rules.limit_deadline(D(2025, 2, 25), p, extended=True) == D(2025, 3, 12)
    assert rules.allowed_days(D(2025, 2, 25), p, extended=True) == 15
    assert rules.within_limit(D(2025, 2, 25), D(2025, 3, 12), p)
    assert not rules.within_limit(D(2025, 2, 25), D(2025, 3, 13), p)
    tab = rules.allowed_days_table(D(2025, 2, 25), 3, 0, [p], extended=True)
    assert tab.dtype == "int32" and tab.tolist() == [[15, 15, 15]]


def test_past_the_extended_limit_is_not_within() -> None:
    filed = D(2025, 1, 10)
    assert rules.within_limit(filed, D(2025, 5, 10), P["simple"])       # day 120 = last day
    assert not rules.within_limit(filed, D(2025, 5, 11), P["simple"])   # day 121


def test_conversion_keeps_the_filing_date() -> None:
    # 简转普: simple case filed 10 Jan converted later; the ordinary limit runs from 10 Jan
    filed, closed = D(2025, 1, 10), D(2025, 8, 1)             # 203 days
    proc = P[rules.converted_procedure("simple", converted=True)]
    assert rules.converted_procedure("simple", converted=False) == "simple"
    assert rules.allowed_days(filed, proc) == 181             # to 10 July
    assert rules.needs_extension(filed, closed, proc)
    assert rules.within_limit(filed, closed, proc)            # within 6 + 6 months
    # not converted it would be far past even the extended simple limit
    assert not rules.within_limit(filed, closed, P["simple"])


def test_table_matches_scalar_rule() -> None:
    origin = D(2024, 11, 20)
    procs = [P["simple"], P["ordinary"], P["small_claims"]]
    tab = rules.allowed_days_table(origin, 500, -30, procs, extended=False)
    ext = rules.allowed_days_table(origin, 500, -30, procs, extended=True)
    for k in (0, 17, 71, 100, 499):
        d = origin + dt.timedelta(days=-30 + k)
        for i, p in enumerate(procs):
            assert tab[i, k] == rules.allowed_days(d, p)
            assert ext[i, k] == rules.allowed_days(d, p, extended=True)


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 1, 1)), st.integers(0, 24), st.integers(0, 400))
def test_limits_are_monotone_and_extension_never_shortens(filed: dt.date, months: int, days: int) -> None:
    if months == 0 and days == 0:
        days = 1
    p = Procedure(limit_months=months, limit_days=days, extension_months=1)
    base = rules.allowed_days(filed, p)
    assert base >= 28 * months + days
    assert base <= 31 * months + days
    assert rules.allowed_days(filed, p, extended=True) > base
    closing = filed + dt.timedelta(days=base)
    assert rules.within_limit(filed, closing, p)
    assert not rules.needs_extension(filed, closing, p)
