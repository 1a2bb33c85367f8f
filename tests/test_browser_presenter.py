"""Presenter mode and the case flow's moving picture in a real browser (issue 13, parts 4-5):
large type, no sidebar, one figure or chart at a time, and the picture played month by month.
Screenshots go to tests/artifacts/ (presenter_*.png)."""
from __future__ import annotations

import pytest

from browser_support import ARTIFACTS, app_server, browser_page, wait_until_no_run
from sim.vocabulary.figure_format import figure_name
from ui.i18n import t
from ui.pages.present import slides

pytestmark = pytest.mark.usefixtures("needs_browser")

TIMEOUT_MS = 240_000


def _idle(page) -> None:
    wait_until_no_run(page, TIMEOUT_MS)
    page.wait_for_timeout(300)
    wait_until_no_run(page, TIMEOUT_MS)


def _title(slide: tuple[str, str]) -> str:
    """What slide ``slide`` shows as its heading: a figure's name, a chart's title (said once),
    for the case flow the start of its picture's own title (which names the month)."""
    kind, name = slide
    if kind == "figure":
        return figure_name("zh", name)
    return "案件流转（" if kind == "flow" else t("zh", f"chart.{name}.title")


def _next(page, to: int) -> None:
    """Click the forward arrow and wait for slide ``to`` (0-based) to be the one shown."""
    page.locator(".st-key-pr_next button >> visible=true").first.click()
    kind, _ = slides()[to]
    if kind == "flow":
        page.wait_for_function("() => [...document.querySelectorAll('[data-testid=stVegaLiteChart] svg')]"
                               ".some(s => s.innerHTML.includes('案件流转（'))", timeout=60_000)
    else:
        page.get_by_text(_title(slides()[to]), exact=True).first.wait_for(timeout=60_000)
    _idle(page)


def test_presenter_view_and_the_moving_picture():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with app_server() as url, browser_page(1280, 800) as (page, errors):
        page.goto(url + "/present?s=weak-court.yaml")
        value = page.locator(".st-key-pr_figure [data-testid='stMetricValue']")
        value.wait_for(timeout=TIMEOUT_MS)
        _idle(page)
        # no sidebar, and the figure in large type (at least 80 px high letters)
        assert not page.locator("section[data-testid='stSidebar']").is_visible()
        # the innermost element holds the text: its own size is what the room sees
        size = value.evaluate("el => { let e = el; while (e.firstElementChild) e = e.firstElementChild;"
                              " return parseFloat(getComputedStyle(e).fontSize) }")
        assert size >= 80, size
        page.screenshot(path=str(ARTIFACTS / "presenter_figure.png"))
        # one slide at a time: step to the first chart, then to the case flow at the end
        n_figures = sum(1 for k, _ in slides() if k == "figure")
        for k in range(n_figures):
            _next(page, k + 1)
        page.locator("[data-testid='stVegaLiteChart'] svg").first.wait_for(timeout=TIMEOUT_MS)
        _idle(page)
        assert page.locator("[data-testid='stVegaLiteChart']").count() == 1
        assert page.locator("[data-testid='stMetricValue']").count() == 0
        # the chart's title is the slide's heading, once: the chart is drawn without its own
        assert page.locator("[data-testid='stVegaLiteChart'] .role-title-text").count() == 0
        page.screenshot(path=str(ARTIFACTS / "presenter_chart.png"))
        for k in range(n_figures, len(slides()) - 1):
            _next(page, k + 1)
        chart = page.locator("[data-testid='stVegaLiteChart']")
        chart.first.wait_for(timeout=TIMEOUT_MS)
        first = chart.first.locator("svg").inner_html()
        page.screenshot(path=str(ARTIFACTS / "presenter_flow_first_month.png"))
        # play: the picture steps through the months to the last one (its title changes)
        assert "2025年1月" in first
        page.locator(".st-key-pr_flow_play button >> visible=true").first.click()
        # mid-way the picture shows a later month; at the end, the last one (weak court: 24
        # months from January 2025, so December 2026)
        page.wait_for_function("() => [...document.querySelectorAll('[data-testid=stVegaLiteChart] svg')]"
                               ".some(s => s.innerHTML.includes('2025年6月'))", timeout=TIMEOUT_MS)
        page.screenshot(path=str(ARTIFACTS / "presenter_flow_playing.png"))
        page.wait_for_function("() => [...document.querySelectorAll('[data-testid=stVegaLiteChart] svg')]"
                               ".some(s => s.innerHTML.includes('2026年12月'))", timeout=TIMEOUT_MS)
        _idle(page)
        page.screenshot(path=str(ARTIFACTS / "presenter_flow_last_month.png"))
        assert not errors, errors
