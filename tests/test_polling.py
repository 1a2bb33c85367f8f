"""The server-wide budget of preliminary redraws (ui/polling.py)."""
from __future__ import annotations

import pytest

from ui import polling


@pytest.fixture(autouse=True)
def clean(monkeypatch):
    monkeypatch.setattr(polling, "_WAITING", {})
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
    assert polling.interval("k") == pytest.approx(polling.POLL_MAX)   # capped: final figures wait at most 3 s


def test_sessions_with_final_figures_or_gone_no_longer_count(clean):
    polling.interval("a")
    polling.interval("b")
    polling.done("a")
    assert polling.waiting() == 1
    clean["t"] += polling.FORGET + 0.1          # b's page was closed: it stops redrawing
    assert polling.waiting() == 0
    assert polling.interval("c") == pytest.approx(polling.POLL)


def test_a_session_that_keeps_redrawing_keeps_counting(clean):
    polling.interval("a")
    for _ in range(5):
        clean["t"] += polling.POLL_MAX
        polling.still_waiting("a")
    assert polling.waiting() == 1
    assert polling.interval("b") == pytest.approx(2 * polling.POLL)


def test_three_sessions_waiting_at_once_are_busy(clean):
    polling.still_waiting("a")
    polling.still_waiting("b")
    assert not polling.busy()
    polling.still_waiting("c")
    assert polling.busy()
    polling.done("c")
    assert not polling.busy()
