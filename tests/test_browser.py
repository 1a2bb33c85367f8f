"""The app in a real browser: Debian's Chromium driven by Playwright (see shared/testing.md).

Starts ``streamlit run app.py`` on a free port, moves a judge slider with the keyboard, waits
for the figures to change, and fails on any browser console error. Screenshots go to
tests/artifacts/ (ignored by git) so a failing run can be looked at.
"""
from __future__ import annotations

import pytest

from browser_support import (
    ARTIFACTS,
    app_server,
    browser_page,
    card_value,
    judge_slider,
    wait_until_idle,
)

pytestmark = pytest.mark.usefixtures("needs_browser")

LOAD_TIMEOUT_MS = 240_000  # first page: worker pool start plus the baseline's 20 replications


@pytest.fixture(scope="module")
def server():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with app_server() as url:
        yield url


def _count(text: str) -> float:
    """'2,164 件' or '2,164' → 2164.0."""
    return float(text.split()[0].replace(",", ""))


def test_moving_a_judge_slider_updates_the_figures_without_console_errors(server):
    from playwright.sync_api import expect

    with browser_page() as (page, errors):
        page.goto(server)
        wait_until_idle(page, LOAD_TIMEOUT_MS)
        pending = card_value(page, "pending_end")
        before = pending.inner_text()
        thumb = judge_slider(page, 0)
        start = int(thumb.get_attribute("aria-valuetext"))

        thumb.focus()
        page.keyboard.press("ArrowRight")
        expect(thumb).to_have_attribute("aria-valuetext", str(start + 1))
        expect(pending).not_to_have_text(before, timeout=LOAD_TIMEOUT_MS)
        wait_until_idle(page, LOAD_TIMEOUT_MS)
        page.screenshot(path=str(ARTIFACTS / "browser_after_slider.png"), full_page=True)

        after = pending.inner_text()
        # one more judge in the first (simple-case) team: fewer cases pending at the end
        assert _count(after) < _count(before), (before, after)
        # the card now shows the change against the loaded scenario
        delta = page.locator(".st-key-card_pending_end [data-testid='stMetricDelta']").last
        expect(delta).to_contain_text("-")
        assert page.locator("[data-testid='stException']").count() == 0
        assert not errors, errors
