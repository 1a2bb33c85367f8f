"""The phone's plan bar (issue 23 point 7) in AppTest: each team's judges as a number with − and
+, a step being a move of that team's judge slider by the slider's own rules, the bar and the
sliders showing the same plan whichever was moved. (The bar is shown only on a narrow window:
tests/test_browser_screens.py checks that in a browser.)"""
from __future__ import annotations

from helpers import app_on, control, judge_slider
from ui.widgets import controls as C
from ui.widgets import plan as P
from ui.widgets.plan_bar import bar_key


def _box(at, i: int):
    """Team ``i``'s number in the bar (its key holds the judges it shows)."""
    return control(at, "number_input", bar_key(i, int(P.teams(at.session_state)[i]["judges"])))


def _bar(at) -> list[int]:
    return [int(_box(at, i).value) for i in range(len(P.teams(at.session_state)))]


def _judges(at) -> list[int]:
    return [int(tm["judges"]) for tm in P.teams(at.session_state)]


def test_a_step_in_the_bar_is_a_slider_move_with_totals_kept():
    at = app_on("zh", "whatif")
    start = _judges(at)
    assert _bar(at) == start
    _box(at, 1).increment().run()
    assert not at.exception, at.exception
    after = _judges(at)
    assert after[1] == start[1] + 1 and sum(after) == sum(start)  # kept totals: taken from the others
    assert after[0] < start[0]   # the biggest team gives most, in proportion
    assert _bar(at) == after and [judge_slider(at, i).value for i in range(len(after))] == after
    # the sidebar slider moved back: the bar follows, and the plan is exactly the one before
    judge_slider(at, 1).set_value(start[1]).run()
    assert _judges(at) == start and _bar(at) == start


def test_with_totals_not_kept_a_step_adds_a_post():
    at = app_on("en", "whatif")
    control(at, "toggle", C.KEEP_TOTALS).set_value(False).run()
    start = _judges(at)
    _box(at, 0).decrement().run()
    assert not at.exception, at.exception
    assert _judges(at) == [start[0] - 1] + start[1:]
    assert any("staff totals not kept" in c.value for c in at.caption)


def test_a_number_drawn_for_judges_the_team_no_longer_has_is_no_step():
    """A slider move (11 → 12) is followed by a rerun that still carries the bar's number drawn
    for 11, from a browser that has not yet drawn the new one: that is no step back to 11
    (it undid the slider's move in a protocol session, tests/test_st_session.py)."""
    from unittest import mock

    from helpers import SCENARIOS
    from sim.model.scenario import load_scenario, scenario_to_dict
    from ui.widgets import plan_bar
    from ui.widgets.team_inputs import move_judges

    state: dict = {}
    P.load(state, scenario_to_dict(load_scenario(SCENARIOS / "baseline.yaml")))
    with mock.patch("streamlit.session_state", state):
        P.set_value(state, C.KEEP_TOTALS, False)
        j = int(P.teams(state)[0]["judges"])
        old = bar_key(0, j)
        state[old] = j
        move_judges(0, j + 1)                  # the slider
        plan_bar._on_step(0, old)              # the old number, sent again
        assert int(P.teams(state)[0]["judges"]) == j + 1
        new = bar_key(0, j + 1)
        state[new] = j + 2                     # a step on the number now on screen is one
        plan_bar._on_step(0, new)
        assert int(P.teams(state)[0]["judges"]) == j + 2
