"""The sidebar's hearing and advanced sections are drawn only while open (ui/widgets/inputs.py
``_lazy_section``): a value edited there must still be used, and shown, after the section is
closed, other controls move, and it is opened again; an error inside opens it."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from helpers import ROOT, control, judge_slider, open_sections
from ui.i18n import t
from ui.widgets import controls as C
from ui.widgets import plan as P
from ui.widgets.inputs import ADVANCED_OPEN, HEARINGS_OPEN

QUICK = {"replications": 2, "horizon_months": 3}


def _app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=240)
    at.run()
    for k, v in QUICK.items():
        control(at, "number_input", k).set_value(v).run()
    assert not at.exception, at.exception
    return at


def _scenario(at: AppTest):
    return at.session_state["_last_valid"][0]


def test_closed_sections_draw_no_controls_but_keep_their_values():
    at = _app()
    keys = {w.key for w in at.number_input}
    assert "sup_scale" not in keys and "h_slots_per_week" not in keys   # closed: not drawn
    open_sections(at)
    control(at, "number_input", "sup_scale").set_value(2.5).run()
    control(at, "number_input", "h_slots_per_week").set_value(5).run()
    assert _scenario(at).support.scale == pytest.approx(2.5) and _scenario(at).hearings.slots_per_week == 5

    at.session_state[HEARINGS_OPEN] = False
    at.session_state[ADVANCED_OPEN] = False
    at.run()
    assert "sup_scale" not in {w.key for w in at.number_input}
    judges = judge_slider(at, 0)
    judges.set_value(judges.value + 1).run()              # another control moves meanwhile
    at.run()
    assert not at.exception, at.exception
    scn = _scenario(at)
    assert scn.teams[0].judges == judges.value
    assert scn.support.scale == pytest.approx(2.5) and scn.hearings.slots_per_week == 5

    open_sections(at)                                      # opened again: the edited values show
    assert control(at, "number_input", "sup_scale").value == pytest.approx(2.5)
    assert control(at, "number_input", "h_slots_per_week").value == 5


def test_an_error_inside_a_closed_section_opens_it():
    at = _app()
    open_sections(at, ADVANCED_OPEN)
    first = _scenario(at).case_types[0].share
    control(at, "number_input", "ct_0_share").set_value((0.75 if first < 0.5 else 0.25) * 100).run()
    at.session_state[ADVANCED_OPEN] = False                # the user closes it: the error keeps it open
    at.run()
    assert not at.exception, at.exception
    assert "ct_0_share" in {w.key for w in at.number_input}
    assert any(t("zh", "app.status_invalid") in str(c.value) for c in at.caption)


def _teams(at: AppTest) -> list[tuple]:
    return [(tm["name"], tm["judges"], tm["assistants"], tm["clerks"]) for tm in P.teams(at.session_state)]


@pytest.mark.parametrize("team", [0, 2])
def test_moving_a_slider_back_returns_to_the_plan_seen_before(team):
    """With staff totals kept, +1, +1, -1, -1 on one slider retraces the moves exactly, so the
    plan (and its figures, from the cache) is the one seen before, whatever team gave the judges."""
    at = _app()
    assert P.value(at.session_state, C.KEEP_TOTALS)
    start = _teams(at)
    seen = [start]
    for step in (1, 1):
        s = judge_slider(at, team)
        s.set_value(s.value + step).run()
        seen.append(_teams(at))
    assert seen[1] != start and seen[2] != seen[1]
    for back in (seen[1], start):
        s = judge_slider(at, team)
        s.set_value(s.value - 1).run()
        assert not at.exception, at.exception
        assert _teams(at) == back
    assert any(t("zh", "app.cached") in str(c.value) for c in at.caption)   # figures from the cache
