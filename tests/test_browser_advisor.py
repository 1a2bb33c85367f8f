"""The advisor page in a real browser (Debian's Chromium driven by Playwright).

Opens the app on the built-in weak court (a link with ``s=``), goes to the advisor page, which
advises on that plan (not another scenario), sets a 6-month horizon, 3 replications and two
extra judge posts, runs the search, waits for how many more posts and the recommended plan,
saves it to a temporary store folder (given to the server through ``COURT_SIM_SCENARIO_DIR``)
and fails on any console error. Screenshots at 1440x900, 1024x768 and 390x844 go to
tests/artifacts/.
"""
from __future__ import annotations

import pytest

from browser_support import ARTIFACTS, app_server, browser_page, wait_until_no_run

pytestmark = pytest.mark.usefixtures("needs_browser")

LOAD_TIMEOUT_MS = 240_000  # the what-if page runs the baseline first (worker pool start + 20 replications)


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from sim.store.scenario_store import ENV_VAR

    folder = tmp_path_factory.mktemp("saved")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with app_server(env={ENV_VAR: str(folder)}) as url:
        yield url, folder


def _idle(page, timeout_ms: float = LOAD_TIMEOUT_MS) -> None:
    wait_until_no_run(page, timeout_ms)


def _set_number(page, key: str, value: int) -> None:
    box = page.locator(f".st-key-{key} input")
    box.fill(str(value))
    box.press("Enter")
    page.wait_for_timeout(300)
    _idle(page)


def test_advisor_page_finds_and_saves_a_plan_without_console_errors(server):
    from playwright.sync_api import expect

    from sim.store.scenario_store import ScenarioStore

    url, folder = server
    with browser_page(1440, 900) as (page, errors):
        page.goto(f"{url}/?s=weak-court.yaml")
        page.locator("[data-testid='stMetricValue']").first.wait_for(timeout=LOAD_TIMEOUT_MS)
        _idle(page)
        page.locator(".st-key-page").get_by_text("配置建议").click()
        expect(page.get_by_role("heading", name="人员配置建议")).to_be_visible(timeout=60_000)
        _idle(page)
        # the plan on screen, not a scenario chosen separately
        expect(page.locator(".st-key-adv_base")).to_contain_text("相对薄弱法院")
        expect(page.locator(".st-key-adv_base")).not_to_contain_text("整改")
        expect(page.locator(".st-key-adv_judges input")).to_have_value("11")
        page.get_by_text("模拟设置（期限、重复次数、随机种子）").click()
        _set_number(page, "adv_horizon", 6)
        _set_number(page, "adv_reps", 3)
        _set_number(page, "adv_extra", 2)
        page.get_by_role("button", name="开始求解").last.click()
        best = page.locator(".st-key-adv_best")
        best.wait_for(timeout=LOAD_TIMEOUT_MS)
        _idle(page)
        expect(best).to_contain_text("简案")
        expect(best).to_contain_text("审限内结案率")
        expect(page.get_by_role("heading", name="还需要增加多少")).to_be_visible()
        expect(page.locator(".st-key-adv_more")).to_contain_text("审限内结案率 ≥ 95.0%")
        expect(page.locator(".st-key-adv_more")).to_contain_text("95% 置信区间整体位于目标一侧")
        expect(page.locator("[data-testid='stVegaLiteChart'] svg, [data-testid='stVegaLiteChart'] canvas").first
               ).to_be_visible(timeout=30_000)
        for w, h in ((1440, 900), (1024, 768), (390, 844)):
            page.set_viewport_size({"width": w, "height": h})
            page.wait_for_timeout(800)
            page.locator(".st-key-adv_more").scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / f"browser_advisor_{w}x{h}.png"))
        page.set_viewport_size({"width": 1440, "height": 900})
        page.screenshot(path=str(ARTIFACTS / "browser_advisor.png"), full_page=True)

        name_box = page.locator(".st-key-adv_save_name input")
        name_box.fill("浏览器测试建议")
        name_box.press("Enter")
        _idle(page)
        page.locator(".st-key-adv_save").get_by_role("button", name="保存为方案").first.click()
        expect(page.get_by_text("已保存为“浏览器测试建议”")).to_be_visible(timeout=30_000)
        assert "浏览器测试建议" in ScenarioStore(folder).names()
        page.screenshot(path=str(ARTIFACTS / "browser_advisor_saved.png"), full_page=True)
        assert not errors, errors
