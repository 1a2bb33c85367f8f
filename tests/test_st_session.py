"""``tests/st_session.py`` (with ``tests/st_page.py``), the protocol client the latency
benchmark uses instead of five of its six browsers: against the real app (``streamlit run``), one session reads the baseline's
headline card, moves a judge slider and sees the card change, first maybe preliminary, then
final, equal to a direct ``sim.analysis.runner.run`` of the moved scenario as the figure
registry formats it; moved back, the server refers to the charts the session already has.
No browser is needed.
"""
from __future__ import annotations

from pathlib import Path

from browser_support import app_server
from sim.analysis.runner import run
from sim.model.scenario import load_scenario
from sim.vocabulary.figure_format import figure_value
from st_session import StSession
from ui.address import encode_edits

ROOT = Path(__file__).resolve().parent.parent
WAIT = 120.0  # seconds for one step; the whole test takes about 15 s on a quiet machine
REPS = 6      # replications (a link's edit), to keep the test short; the page runs the same way
CARD = "card_pending_end"


def test_a_protocol_session_moves_a_judge_slider_and_gets_the_moved_scenarios_figures():
    base = load_scenario(ROOT / "scenarios" / "baseline.yaml").model_copy(update={"replications": REPS})
    judges = base.teams[0].judges
    with app_server() as url, StSession(url, query_string="e=" + encode_edits({"replications": REPS})) as s:
        assert s.wait_idle(WAIT), "the first page run did not finish"
        assert s.session_id
        before = s.metric(CARD)
        assert before and before.endswith("件"), before
        # every widget the page drew, with its value, goes with each rerun (as the frontend sends)
        keys = {k.split("-", 2)[-1] for k in s.widget_states()}
        assert {"lang", "scenario_file", "keep_totals", s.judge_slider(0), s.judge_slider(4), "seed"} <= keys
        assert s.slider_value(s.judge_slider(0)) == judges
        cached = s.cached_messages()
        assert cached > 0  # charts big enough for the server to refer to later

        # keep the court's total: off, so that one more judge in team 1 is all that changes
        t0 = s.set_value("keep_totals", False)
        assert s.wait_settled(t0, WAIT)
        assert "k=0" in s.query_string.split("&"), s.query_string  # the page wrote it to the address
        assert s.metric(CARD) == before  # the same scenario: the same figures

        t0 = s.step_slider(s.judge_slider(0), +1)
        assert s.wait(lambda: s.figure_times(CARD, before, t0)[1] >= 0, WAIT), "no final figures after the move"
        first, final = s.figure_times(CARD, before, t0)
        assert 0 < first <= final
        after = s.metric(CARD)
        assert not s.has("prelim")
        assert s.slider_value(s.judge_slider(0)) == judges + 1
        assert s.wait_idle(WAIT)

        # back to the baseline: its results are cached, and so are its charts in this session
        t0 = s.step_slider(s.judge_slider(0), -1)
        assert s.wait(lambda: s.figure_times(CARD, after, t0)[1] >= 0, WAIT)
        assert s.metric(CARD) == before
        assert s.references > 0, "the server sent every chart again instead of referring to the cache"
        # the widget values sent are the ones the server expects (e.g. a select slider's texts)
        assert s.exceptions == []
    assert after != before
    moved = base.model_copy(deep=True)
    moved.teams[0].judges = judges + 1
    assert after == figure_value("zh", "pending_end", run(moved).summary()["pending_end"].mean)


def test_sessions_moving_at_once_to_plans_run_ahead_share_the_redraw_budget():
    """Three sessions move at once, each one judge-slider step, to plans whose first replication
    was run ahead (ui/runs/run_ahead.py), so each draws preliminary figures at once. None may keep
    the half-second redraw of a session alone (ui/runs/polling.py: 0.5 s x the sessions waiting):
    drawn before the others counted, the first used to, and six such sessions flooded the
    server (a fragment's interval is fixed when the page draws it)."""
    import time

    query = "e=" + encode_edits({"replications": REPS})
    with app_server(env={"COURT_SIM_RUN_AHEAD": "1"}) as url:
        sessions = [StSession(url, query_string=query).open() for _ in range(3)]
        try:
            for s in sessions:
                assert s.wait_idle(WAIT), "a first page run did not finish"
            time.sleep(8.0)  # the baseline's plans one step away run ahead meanwhile
            before = [s.metric(CARD) for s in sessions]
            t0s = [s.step_slider(s.judge_slider(team), +1) for s, team in zip(sessions, (0, 1, 2), strict=True)]
            for s, b, t0 in zip(sessions, before, t0s, strict=True):
                assert s.wait(lambda s=s, b=b, t0=t0: s.figure_times(CARD, b, t0)[1] >= 0, WAIT), "no final figures"
            for s, t0 in zip(sessions, t0s, strict=True):
                every = [iv for when, iv in s.redraw_every if when >= t0]
                assert every, "no preliminary figures were redrawn"
                assert min(every) >= 1.0, f"a session redrew every {min(every)} s while three waited"
                assert s.exceptions == []
        finally:
            for s in sessions:
                s.close()
