"""The advisor page in a real browser (Debian's Chromium driven by Playwright).

Opens the advisor page, sets a 6-month horizon and 3 replications on the built-in weak court,
runs the search, waits for the recommended plan, saves it to a temporary store folder (given to
the server through ``COURT_SIM_SCENARIO_DIR``) and fails on any console error. Screenshots go
to tests/artifacts/.
"""
from __future__ import annotations

import re

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
    with browser_page(1500, 1400) as (page, errors):
        page.goto(url)
        page.locator("[data-testid='stMetricValue']").first.wait_for(timeout=LOAD_TIMEOUT_MS)
        _idle(page)
        page.locator(".st-key-page").get_by_text("配置建议").click()
        expect(page.get_by_role("heading", name="人员配置建议")).to_be_visible(timeout=60_000)
        _idle(page)
        expect(page.locator(".st-key-adv_scenario input")).to_have_value(re.compile("薄弱法院整改配置"))
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
        expect(page.get_by_role("heading", name="增加人员与指标")).to_be_visible()
        expect(page.locator("[data-testid='stVegaLiteChart'] svg, [data-testid='stVegaLiteChart'] canvas").first
               ).to_be_visible(timeout=30_000)
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
