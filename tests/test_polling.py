"""The server-wide budget of preliminary redraws (ui/runs/polling.py)."""
from __future__ import annotations

import pytest

from sim.analysis.run_settings import settings
from ui.runs import polling

CFG = settings()


@pytest.fixture(autouse=True)
def clean(monkeypatch):
    monkeypatch.setattr(polling, "_WAITING", {})
    monkeypatch.setattr(polling, "_STARTED", {})
    clock = {"t": 1000.0}
    monkeypatch.setattr(polling.time, "monotonic", lambda: clock["t"])
    return clock


def test_a_session_alone_redraws_every_half_second_and_more_sessions_share_the_budget(clean):
    assert polling.interval("a") == pytest.approx(0.5)
    assert polling.interval("b") == pytest.approx(1.0)
    assert polling.interval("c") == pytest.approx(1.5)
    # the same session asking again is not counted twice
    assert polling.interval("c") == pytest.approx(1.5)
    for k in "defghij":
        polling.interval(k)
    assert polling.waiting() == 10
    assert polling.interval("k") == pytest.approx(CFG.poll_max)   # capped: final figures wait at most 3 s


def test_sessions_with_final_figures_or_gone_no_longer_count(clean):
    polling.interval("a")
    polling.interval("b")
    polling.done("a")
    assert polling.waiting() == 1
    clean["t"] += CFG.forget + 0.1          # b's page was closed: it stops redrawing
    assert polling.waiting() == 0
    assert polling.interval("c") == pytest.approx(CFG.poll)


def test_a_session_that_keeps_redrawing_keeps_counting(clean):
    polling.interval("a")
    for _ in range(5):
        clean["t"] += CFG.poll_max
        polling.still_waiting("a")
    assert polling.waiting() == 1
    assert polling.interval("b") == pytest.approx(2 * CFG.poll)


def test_three_sessions_waiting_at_once_are_busy(clean):
    polling.still_waiting("a")
    polling.still_waiting("b")
    assert not polling.busy()
    polling.still_waiting("c")
    assert polling.busy()
    polling.done("c")
    assert not polling.busy()


def test_page_runs_started_together_count_before_they_say_they_wait(clean):
    """Three sessions move at once to plans run ahead: the first draws its preliminary figures
    (and so sets its redraw interval) before the others have said they wait. Their page runs
    started within TOGETHER seconds count; a run started earlier, or one that drew final
    figures, does not; and started runs are not counted twice with waiting ones."""
    polling.started("old")
    clean["t"] += CFG.together + 0.1
    for k in "abc":
        polling.started(k)
    polling.started("cached")
    polling.done("cached")
    assert polling.interval("a") == pytest.approx(3 * CFG.poll)
    polling.still_waiting("b")
    assert polling.interval("c") == pytest.approx(3 * CFG.poll)
    clean["t"] += CFG.together + 0.1   # the start marks are gone; a, b and c wait (FORGET)
    assert polling.interval("c") == pytest.approx(3 * CFG.poll)
    polling.done("b")
    assert polling.interval("c") == pytest.approx(2 * CFG.poll)
