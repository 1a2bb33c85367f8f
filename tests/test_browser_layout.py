"""Layout at 1024×768 and 1440×900, and no Vega warnings, in a real browser (issue 11.1, 11.12).

Every page in Chinese and English: the cards keep a readable width and no card title, value
or verdict is cut (an element whose content is wider than its box), every plan is named in the
comparison charts' legends, the sidebar leaves room for the figures, and the browser console
shows none of Vega's warnings about conflicting legends or a size channel on a discrete field.
Screenshots of each page, language and size go to tests/artifacts/.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import pytest

from browser_support import (
    ARTIFACTS,
    ROOT,
    app_server,
    browser_page,
    control,
    wait_until_idle,
    wait_until_no_run,
)
from sim.vocabulary.figure_format import figure_name
from ui.i18n import t
from ui.widgets import controls as C
from ui.widgets.team_inputs import NAME_PX, ROW_MARKER_PX, header_width

pytestmark = pytest.mark.usefixtures("needs_browser")

LOAD_TIMEOUT_MS = 240_000
SIZES = ((1024, 768), (1440, 900))
PLANS = ("方案A 现状，员额法官三十名", "Plan B two more judges in the speedy team")
VEGA_WARNINGS = ("Conflicting legend property", "Channel size should not be used")

# elements whose content is wider than their box (cut, or ended with an ellipsis)
CUT_JS = """sel => Array.from(document.querySelectorAll(sel)).flatMap(root =>
  [root, ...root.querySelectorAll('*')]).filter(el => el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1
  && (el.innerText || '').trim()).map(el => (el.innerText || '').trim().slice(0, 60))"""
CARD_PARTS = ", ".join(f"[class*='st-key-card_'] [data-testid='{p}']"
                       for p in ("stMetricLabel", "stMetricValue", "stMarkdownContainer", "stCaptionContainer"))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from sim.model.scenario import load_scenario
    from sim.store.scenario_store import ENV_VAR, ScenarioStore

    folder = tmp_path_factory.mktemp("saved")
    store = ScenarioStore(folder)
    a = load_scenario(ROOT / "scenarios" / "baseline.yaml").model_copy(update={"horizon_months": 6, "replications": 3})
    teams = [tm.model_copy(update={"judges": tm.judges + 2}) if i == 0 else tm for i, tm in enumerate(a.teams)]
    store.save(a, PLANS[0])
    store.save(a.model_copy(update={"teams": teams}), PLANS[1])
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with app_server(env={ENV_VAR: str(folder)}) as url:
        yield url


def _watch(page) -> list[str]:
    """Console warnings and errors carrying one of Vega's layout warnings."""
    seen: list[str] = []
    page.on("console", lambda m: seen.append(m.text)
            if m.type in ("warning", "error") and any(w in m.text for w in VEGA_WARNINGS) else None)
    return seen


def _idle(page) -> None:
    wait_until_no_run(page, LOAD_TIMEOUT_MS)
    page.wait_for_timeout(400)
    wait_until_no_run(page, LOAD_TIMEOUT_MS)


def _english(page) -> None:
    page.locator(".st-key-lang").click()
    page.get_by_role("option", name="English").click()
    _idle(page)


def _to_page(page, label: str) -> None:
    page.locator("[data-testid=stSidebarNavLink]").filter(has_text=label).first.click()  # the menu (st.navigation)
    _idle(page)


def _pick(page, label: str) -> None:
    picker = page.locator(".st-key-cmp_pick")
    picker.wait_for(timeout=LOAD_TIMEOUT_MS)
    picker.locator("input").click()
    page.get_by_role("option", name=label, exact=True).click(timeout=20_000)
    page.keyboard.press("Escape")
    picker.get_by_text(label, exact=True).wait_for(timeout=20_000)
    _idle(page)


def _legends(page) -> list[list[str]]:
    return page.locator("[data-testid='stVegaLiteChart']").evaluate_all(
        "els => els.map(e => Array.from(e.querySelectorAll('.role-legend-label text')).map(x => x.textContent))")


@contextmanager
def _opened(url: str, lang: str, width: int, height: int) -> Iterator[tuple]:
    """The app at this window size in ``lang`` with the what-if page loaded; afterwards checks
    the sidebar's width and fails on any console error or Vega warning."""
    with browser_page(width, height) as (page, errors):
        vega = _watch(page)
        page.goto(url)
        wait_until_idle(page, LOAD_TIMEOUT_MS)
        if lang == "en":
            _english(page)
            wait_until_idle(page, LOAD_TIMEOUT_MS)
        _idle(page)
        yield page
        _check_sidebar(page, width)
        assert not vega, vega
        assert not errors, errors


def _check_sidebar(page, width: int) -> None:
    box = page.locator("section[data-testid='stSidebar']").bounding_box()
    assert box["width"] <= 0.4 * width, box


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_whatif_page_cards_fit_at_both_sizes(server, lang):
    for width, height in SIZES:
        with _opened(server, lang, width, height) as page:
            page.screenshot(path=str(ARTIFACTS / f"layout_whatif_{lang}_{width}x{height}.png"), full_page=True)
            page.locator(".st-key-cards").screenshot(path=str(ARTIFACTS / f"layout_cards_{lang}_{width}x{height}.png"))
            cards = page.locator("[class*='st-key-card_']")
            assert cards.count() == 12                            # with each track's rate and overdue count
            widths = [cards.nth(i).bounding_box()["width"] for i in range(12)]
            assert min(widths) >= 190, widths                     # was 84 px at 1024 × 768
            assert page.evaluate(CUT_JS, CARD_PARTS) == []
            # the team table (a canvas: its text cannot be read) shows the name and every staff
            # column whole: each header's width fits it, and the table is wide enough for them
            table = page.locator(".st-key-teams_editor")
            table.scroll_into_view_if_needed()
            table.screenshot(path=str(ARTIFACTS / f"layout_teams_{lang}_{width}x{height}.png"))
            need = ROW_MARKER_PX + NAME_PX[lang] + sum(header_width(t(lang, f"col.{r}"))
                                                      for r in ("judges", "assistants", "clerks"))
            assert table.bounding_box()["width"] >= need, (table.bounding_box(), need)
            # filed vs closed: both series named in the legend
            assert [figure_name(lang, "filed"), figure_name(lang, "closed")] in _legends(page)
            # choice boxes show their option in the page's language, also after the switch (they
            # kept the Chinese wording: "其他团队按人数比例分摊" on the English page)
            shown = control(page, C.TAKE_FROM).locator("input").first.get_attribute("value")
            assert shown == t(lang, "sb.take_from.proportional"), shown


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_comparison_page_names_every_plan_in_the_legends(server, lang):
    for width, height in SIZES:
        with _opened(server, lang, width, height) as page:
            _to_page(page, t(lang, "nav.compare"))
            for name in PLANS:
                _pick(page, t(lang, "store.picker.saved", name=name))
            charts = page.locator("[data-testid='stVegaLiteChart']")
            charts.first.locator(".role-legend-label text").nth(1).wait_for(timeout=LOAD_TIMEOUT_MS)
            _idle(page)
            page.screenshot(path=str(ARTIFACTS / f"layout_compare_{lang}_{width}x{height}.png"), full_page=True)
            for i in range(charts.count()):  # the page scrolls inside its own box: the charts as well
                charts.nth(i).screenshot(path=str(ARTIFACTS / f"layout_compare_{lang}_{width}x{height}_chart{i}.png"))
            legends = _legends(page)
            assert len(legends) == 2 and all(sorted(x) == sorted(PLANS) for x in legends), legends


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_advisor_page_at_1024_has_no_vega_warnings(server, lang):
    with _opened(server, lang, 1024, 768) as page:
        _to_page(page, t(lang, "nav.advisor"))
        page.get_by_text(t(lang, "adv.run_settings")).click()
        for key, value in (("adv_horizon", 6), ("adv_reps", 3), ("adv_extra", 2)):
            box = page.locator(f".st-key-{key} input")
            box.fill(str(value))
            box.press("Enter")
            _idle(page)
        page.get_by_role("button", name=t(lang, "adv.run")).last.click()
        page.locator(".st-key-adv_best").wait_for(timeout=LOAD_TIMEOUT_MS)
        _idle(page)
        page.locator("[data-testid='stVegaLiteChart'] svg").first.wait_for(timeout=60_000)
        page.screenshot(path=str(ARTIFACTS / f"layout_advisor_{lang}_1024x768.png"), full_page=True)
