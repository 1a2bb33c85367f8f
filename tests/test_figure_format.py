"""How a figure is written (sim/vocabulary/figure_format.py), against texts written out here.

Added for the mutants that survived ``mutmut`` (docs/mutation.md): the older tests compared a
surface's text with the formatter's own output, or checked one language only, so a formatter
that wrote the English unit on the Chinese page, dropped a decimal, or failed on a thousands
separator still passed.
"""
from __future__ import annotations

import pytest

from sim.vocabulary.figure_format import (
    change_interval,
    check_lang,
    figure_change,
    figure_interval,
    figure_label,
    figure_name,
    figure_unit,
    figure_value,
)


def test_an_unknown_language_is_named_with_the_allowed_ones():
    with pytest.raises(ValueError, match=r"^lang must be one of zh, en, got 'fr'$"):
        check_lang("fr")


def test_names_units_and_labels_in_each_language():
    assert figure_name("zh", "within_limit_rate") == "审限内结案率"
    assert figure_name("en", "within_limit_rate") == "Within-limit rate"
    assert (figure_unit("zh", "pending_end"), figure_unit("en", "pending_end")) == ("件", "cases")
    assert (figure_unit("zh", "disposition_days_mean"), figure_unit("en", "disposition_days_mean")) == ("天", "days")
    assert figure_label("zh", "within_limit_rate") == "审限内结案率（%）"
    assert figure_label("zh", "filed") == "收案数（件）"
    assert figure_label("en", "filed") == "Cases filed (cases)"


def test_a_count_below_ten_keeps_a_decimal_and_ten_or_more_does_not():
    assert figure_value("en", "pending_avg", 9.5) == "9.5 cases"
    assert figure_value("en", "pending_avg", 10.4) == "10 cases"
    assert figure_value("zh", "pending_avg", 10.4) == "10 件"


def test_an_interval_writes_both_ends_alike_and_its_unit_once_in_each_language():
    assert figure_interval("zh", "overdue_pending_end", 0.4, 26) == "0.4 – 26.0 件"
    assert figure_interval("en", "overdue_pending_end", 0.4, 26) == "0.4 – 26.0 cases"
    assert figure_interval("en", "overdue_pending_end", 12, 26) == "12 – 26 cases"
    assert figure_interval("en", "disposition_days_mean", 50.25, 60.0) == "50.2 – 60.0 days"
    assert figure_interval("en", "pending_end", None, 5) == "—"
    assert figure_interval("en", "pending_end", 5, float("nan")) == "—"


def test_a_change_of_cases_keeps_a_decimal_below_ten_and_groups_thousands():
    cases = {3.25: "+3.2", 0.3: "+0.3", 0.04: "±0", 10: "+10", 10.4: "+10", -12: "-12", 1335: "+1,335",
             -2400: "-2,400"}
    for d, text in cases.items():
        assert figure_change("en", "pending_end", d) == f"{text} cases", d
        assert figure_change("zh", "pending_end", d) == f"{text} 件", d
    assert figure_change("en", "disposition_days_mean", 3.25) == "+3.2 days"
    assert figure_change("zh", "disposition_days_mean", -0.04) == "±0.0 天"
    assert figure_change("zh", "closures_per_judge", 12) == "+12 件/人·年"


def test_the_interval_of_a_change_in_each_language():
    assert change_interval("zh", "pending_end", 12, 40) == "+12 – +40 件"
    assert change_interval("en", "pending_end", 12, 40) == "+12 – +40 cases"
    assert change_interval("en", "pending_end", -3.25, 1335) == "-3.2 – +1,335 cases"
    assert change_interval("en", "within_limit_rate", -0.01, 0.03) == "-1.0 – +3.0 pp"
    assert change_interval("zh", "pending_end", 12, None) == "—"
    assert change_interval("zh", "pending_end", None, 12) == "—"
