"""One list of headline figures (issue 24): the figure registry holds it, and the comparison's
table (command line and page), the reports and the advisor read it rather than keeping their own.

The cards are checked in test_figure_registry (rendered, in the registry's order), the province's
courts in test_province, the advisor's candidates and its command-line text in test_advisor.
"""
from __future__ import annotations

import re

import pytest

from helpers import scenario
from sim.analysis.compare import compare
from sim.cli.main import _compare_text
from sim.report.brief import BRIEF_FIGURES
from sim.report.html_report import REPORT_FIGURES
from sim.vocabulary.figure_format import figure_name
from sim.vocabulary.figure_registry import COMPARED, HEADLINE, REGISTRY, with_targets
from ui.pages.compare import comparison_table

LANGS = ("zh", "en")
PER_TRACK = ("within_limit_rate_simple", "within_limit_rate_complex",
             "overdue_pending_end_simple", "overdue_pending_end_complex")


def test_the_headline_leads_with_the_within_limit_rate_and_each_tracks_figures_beside_it():
    assert HEADLINE == (
        "within_limit_rate", "within_limit_rate_simple", "within_limit_rate_complex",
        "overdue_pending_end", "overdue_pending_end_simple", "overdue_pending_end_complex",
        "clearance_rate", "pending_end", "long_pending_end", "disposition_days_mean", "judge_utilisation",
        "closures_per_judge")
    assert set(PER_TRACK) <= set(HEADLINE)
    # the comparison's list is the headline and then four more, every one a registered figure, none twice
    assert COMPARED == HEADLINE + ("long_pending_share", "mediation_resolution_share", "extension_rate",
                                   "wait_days_mean")
    assert set(COMPARED) <= set(REGISTRY) and len(set(COMPARED)) == len(COMPARED)


def test_targets_on_other_figures_follow_the_list_once():
    assert with_targets(("a", "b"), ["b", "c", "a", "d"]) == ("a", "b", "c", "d")
    assert with_targets(HEADLINE, []) == HEADLINE


def test_the_reports_rows_are_the_headline():
    assert REPORT_FIGURES == HEADLINE
    # the one-page brief: the headline in its order, without the closures per judge
    assert BRIEF_FIGURES == HEADLINE[:-1] and HEADLINE[-1] == "closures_per_judge"


@pytest.fixture(scope="module")
def cmp2():
    scns = [scenario(horizon_months=2), scenario(horizon_months=2, **{"teams.0.judges": 6})]
    scns = [s.model_copy(update={"name": n}) for s, n in zip(scns, ("A", "B"), strict=False)]
    return compare(scns, replications=2, workers=1)


@pytest.mark.parametrize("lang", LANGS)
def test_the_command_lines_comparison_table_has_one_row_per_compared_figure(cmp2, lang):
    text = _compare_text(cmp2, 0, lang)
    # each figure's first row is the reference's, "[1]"; the figure's name stands before it
    shown = [m.group(1) for m in re.finditer(r"^(\S.*?) {2,}\[1\] ", text, flags=re.M)]
    assert shown == [figure_name(lang, f) for f in COMPARED]


@pytest.mark.parametrize("lang", LANGS)
def test_the_comparison_pages_table_has_the_same_figures_in_the_same_order(cmp2, lang):
    df = comparison_table(lang, cmp2)
    names = list(dict.fromkeys(df.iloc[:, 0]))
    assert names == [figure_name(lang, f) for f in COMPARED]
