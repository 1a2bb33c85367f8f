"""The one-page meeting report printed by Chromium: exactly one A4 landscape page, in words.

Two comparisons: the weak court against its re-staffing plan (2 plans, dated staffing changes
in three teams and mediation changed) and six variants of the baseline. Each is printed in
Chinese and English with Playwright's ``page.pdf(format="A4", landscape=True)``, the pages of
the PDF are counted, and the report's text is checked for raw dotted keys and bare marks.
PDFs and screenshots of the printed layout go to tests/artifacts/.
"""
from __future__ import annotations

import re

import pytest

from browser_support import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS
from helpers import html_text, raw_keys, scenario
from sim.analysis.compare import compare
from sim.report.html_report import LABELS, comparison_html
from ui.pages.compare import report_differences

pytestmark = pytest.mark.usefixtures("needs_browser")

SIX = ({}, {"teams.0.judges": 10}, {"mediation.share_offered": 0.6},
       {"teams.1.assistants": 12, "teams.0.clerks": 3}, {"demand.disputes_per_year": 14000},
       {"triage.accuracy": 0.8})
SIX_NAMES = ("现状", "速裁团队加两名法官", "诉前调解分流 60%", "Plan D: more assistants in the second team",
             "纠纷量增至每年 14,000 件", "分流准确率 80%")


def pdf_pages(pdf: bytes) -> int:
    """Pages of a PDF: its page objects (``/Type /Page``, not the ``/Pages`` tree nodes)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


@pytest.fixture(scope="module")
def comparisons():
    weak = [scenario("weak-court", horizon_months=12), scenario("weak-court-restaffing", horizon_months=12)]
    six = [scenario(horizon_months=12, **c).model_copy(update={"name": n}) for c, n in zip(SIX, SIX_NAMES, strict=True)]
    return {2: compare(weak, replications=2, workers=1), 6: compare(six, replications=2, workers=1)}


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def print_pdf(browser, page_html: str, stem: str) -> bytes:
    """Print ``page_html`` to A4 landscape as Chromium does; keep the PDF and a screenshot."""
    page = browser.new_page(viewport={"width": 1123, "height": 794})
    try:
        page.set_content(page_html)
        pdf = page.pdf(format="A4", landscape=True, print_background=True)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / f"{stem}.pdf").write_bytes(pdf)
        page.emulate_media(media="print")
        page.screenshot(path=str(ARTIFACTS / f"{stem}.png"), full_page=True)
        return pdf
    finally:
        page.close()


def test_page_counter_counts_pages(chromium):
    two = '<div style="break-after: page">one</div><div>two</div>'
    assert pdf_pages(print_pdf(chromium, two, "report_counter_check")) == 2


@pytest.mark.parametrize("plans", [2, 6])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_report_prints_on_one_a4_landscape_page_in_words(comparisons, chromium, plans, lang):
    cmp = comparisons[plans]
    # as the app downloads it: the parameters outside the teams named with the sidebar's labels
    page_html = comparison_html(cmp, lang=lang, notes={cmp.names[1]: "会前讨论稿"},
                                differences=report_differences(lang, cmp))
    pdf = print_pdf(chromium, page_html, f"report_{plans}_plans_{lang}")
    assert pdf_pages(pdf) == 1
    text = html_text(page_html)
    assert raw_keys(cmp, text) == []
    assert "✗" not in text and "✓" not in text
    assert all(n in text for n in cmp.names)
    if plans == 2:
        # the re-staffing moves staff in every team: each team's dated changes are named in words
        L = LABELS[lang]
        for team in cmp.results[0].scenario.teams:
            assert L["team_field"].format(team=team.name, field=L["field.changes"]) in text
