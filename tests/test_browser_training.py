"""A training group in a real browser (issue 13, part 2): it joins on the training page, lands on
the what-if page working on the exercise (the counter near the figures, Submit blocked until the
plan is within the limits), places its judge with the slider's arrow key, submits, and a refresh
brings it back to the same group and plan. Screenshots: tests/artifacts/training_whatif_*.png
(1024x768, the smallest window the app is laid out for)."""
from __future__ import annotations

import re

import pytest

from browser_support import (
    ARTIFACTS,
    app_server,
    browser_page,
    control,
    judge_slider,
    wait_until_no_run,
)
from sim.training.session import TrainingStore
from ui.i18n import t

pytestmark = pytest.mark.usefixtures("needs_browser")

TIMEOUT_MS = 240_000
EXERCISE = """
title: {zh: 新增一名法官, en: One extra judge}
brief: {zh: 法院新增一名员额法官，放在哪个团队？, en: "One more quota judge: which team gets it?"}
debrief: {zh: 讲评, en: Debrief}
scenario: weak-court.yaml
horizon_months: 3
seed: 5
replications: 3
limits: {change: [judges, assistants, clerks], extra: {judges: 1}}
deciding: {figure: pending_end}
"""


def _settle(page) -> None:
    """Final figures drawn and no run in progress. (Right after joining, the training page's
    elements and the what-if page's can both be there for a moment: hence ``first``.)"""
    page.locator(".st-key-card_within_limit_rate [data-testid='stMetricValue']").first.wait_for(timeout=TIMEOUT_MS)
    page.locator(".st-key-prelim").first.wait_for(state="detached", timeout=TIMEOUT_MS)
    wait_until_no_run(page, TIMEOUT_MS)
    page.wait_for_timeout(500)
    wait_until_no_run(page, TIMEOUT_MS)


def _counter(page) -> str:
    label = t("zh", "tr.left", role=t("zh", "staff.role.judges"))
    card = page.locator("[data-testid='stMetric']").filter(has_text=label).first
    return card.locator("[data-testid='stMetricValue']").inner_text().strip()


def test_a_group_joins_places_its_judge_and_submits_on_the_what_if_page(tmp_path):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (tmp_path / "exercises").mkdir()
    (tmp_path / "exercises" / "one-judge.yaml").write_text(EXERCISE, encoding="utf-8")
    store = TrainingStore(tmp_path / "sessions")
    from playwright.sync_api import expect

    code = store.create("one-judge")
    env = {"COURT_SIM_EXERCISE_DIR": str(tmp_path / "exercises"), "COURT_SIM_TRAINING_DIR": str(tmp_path / "sessions")}
    with app_server(env=env) as url, browser_page(1024, 768) as (page, errors):
        page.goto(url + "/training")
        page.get_by_label(t("zh", "tr.session_code")).fill(code)
        page.get_by_label(t("zh", "tr.group_name")).fill("第一组")
        page.get_by_role("button", name=t("zh", "tr.join")).click()
        # on the what-if page, working on the exercise: one judge left, Submit blocked
        page.get_by_text(t("zh", "trw.outside")).wait_for(timeout=TIMEOUT_MS)
        _settle(page)
        assert _counter(page) == "1"
        submit = page.get_by_role("button", name=t("zh", "tr.submit"))
        assert submit.is_disabled()
        assert control(page, "scenario_file").count() == 0  # the exercise fixes the scenario
        page.screenshot(path=str(ARTIFACTS / "training_whatif_joined.png"))

        # the thumb takes the keys only once it holds the plan's 4 judges: right after joining,
        # the page's redraw could leave its input at 0 for a moment (the arrow then made it 1)
        slider = judge_slider(page, 0)
        expect(slider).to_have_attribute("aria-valuetext", "4", timeout=60_000)
        slider.focus()
        page.keyboard.press("ArrowRight")
        expect(slider).to_have_attribute("aria-valuetext", "5", timeout=60_000)
        page.get_by_text(t("zh", "trw.within")).wait_for(timeout=TIMEOUT_MS)
        _settle(page)
        assert _counter(page) == "0" and submit.is_enabled()
        submit.click()
        page.get_by_text(t("zh", "tr.submitted")).wait_for(timeout=TIMEOUT_MS)
        _settle(page)
        page.screenshot(path=str(ARTIFACTS / "training_whatif_submitted.png"))
        group = store.groups(code)[0]
        assert group.name == "第一组" and group.plan is not None

        # a refresh comes back to the same group and plan (the address carries them)
        assert re.search(rf"[?&]x={code}\.", page.url), page.url
        page.reload()
        page.get_by_text(t("zh", "trw.within")).wait_for(timeout=TIMEOUT_MS)
        _settle(page)
        assert _counter(page) == "0"
        assert page.get_by_text(t("zh", "tr.you_are", name="第一组", code=code), exact=False).count() >= 1
        assert not errors, errors
