"""The case flow month by month (issue 13, part 5): the engine's counts agree with the figures
computed independently, and the picture and the what-if page's expander draw them."""
from __future__ import annotations

import json

import numpy as np
import pytest

from helpers import app_on, control, scenario
from sim.analysis.runner import run
from sim.report.flow_spec import flow_charts, flow_frames
from ui.i18n import t


@pytest.fixture(scope="module")
def res():
    return run(scenario("weak-court", horizon_months=4, **{"mediation.share_offered": 0.4}), replications=2,
               workers=1)


def test_flow_counts_agree_with_the_figures(res):
    f = res.flow_reps
    m = res.monthly_reps
    # per replication and month: the paths add up to the reported figures
    assert np.array_equal(f["filed_simple"] + f["filed_complex"], m["filed"])
    assert np.array_equal(f["closed_team"].sum(axis=1), m["closed"])
    assert np.array_equal(f["pending_team"].sum(axis=1), m["pending_end"])
    assert np.array_equal(f["overdue_team"].sum(axis=1), m["overdue_pending_end"])
    assert np.array_equal(f["disputes"], m["disputes"])
    assert np.allclose(f["to_mediation"] / f["disputes"], m["mediation_diversion_rate"])
    assert np.allclose(f["resolved"] / f["disputes"], m["mediation_resolution_share"])
    # a part never exceeds its whole
    assert (f["converted"] <= f["filed_simple"]).all() and (f["to_mediation"] <= f["disputes"]).all()
    assert (f["extended_team"] + f["overdue_team"] <= f["pending_team"]).all()
    # flow balance per month: pending(end) = pending(start) + filed − closed
    start = res.pending_start_reps[:, None]
    before = np.concatenate([start, m["pending_end"][:, :-1]], axis=1)
    assert np.array_equal(before + m["filed"] - m["closed"], m["pending_end"])


def test_converted_counts_the_cases_whose_procedure_changed_not_the_draw():
    """简转普 in the picture: a simple-track filing now under ordinary procedure (with every case on
    its own track, only a conversion does that), counted in its filing month. A case drawn to
    convert that settled before its hearing, or was still waiting for it at the end, never did:
    with 30 % drawn, hundreds of such cases are left out here (the count used the draw before)."""
    from sim.model.caseflow import simulate
    from sim.model.flow import monthly_flow
    from sim.model.periods import CaseTimes
    from sim.model.prepared import prepare

    p = prepare(scenario("baseline", horizon_months=6, **{"triage.conversion_rate": 0.3, "triage.accuracy": 1.0}))
    r = simulate(p, 1)
    c = CaseTimes(p, r)
    f = monthly_flow(p, r, c)
    new = ~r.initial
    changed = (r.first_track == 0) & (r.proc == p.proc_names.index("ordinary")) & new
    months = len(f["converted"])
    want = [int((changed & (c.file_m == k)).sum()) for k in range(months)]
    assert f["converted"].tolist() == want and sum(want) > 50
    drawn = sum(int((r.converted & new & (c.file_m == k)).sum()) for k in range(months))
    assert drawn - sum(want) >= 20


def test_the_picture_of_a_month(res):
    nodes, edges, status = flow_frames(res.flow(), res.team_names, res.team_tracks, 1, "zh")
    assert {"诉至法院的纠纷", "诉前调解", "立案", "繁简分流", "结案"} <= set(nodes["label"])
    assert len(status) == 3 * len(res.team_names)
    conv = edges[edges["kind"] == "convert"]
    assert len(conv) == 1 and conv["n"].iloc[0] == pytest.approx(res.flow()["converted"][1])
    picture, status = flow_charts(res.flow(), res.team_names, res.team_tracks, 1, "2025年2月", "en")
    assert "2025年2月" in json.dumps(picture.to_dict(), ensure_ascii=False)


def test_the_what_if_page_draws_the_flow_of_the_month_picked():
    """The expander's picture follows the month slider (playing is the next test: this one was
    named for playing and never pressed play)."""
    at = app_on("zh", "whatif")
    exp = [e for e in at.expander if e.label == t("zh", "flow.title")]
    assert exp
    slider = control(at, "select_slider", "flow_month")
    slider.set_value(3).run()
    assert not at.exception
    specs = [json.loads(c.proto.spec) for c in at.get("arrow_vega_lite_chart") + at.get("vega_lite_chart")]
    titles = [json.dumps(s, ensure_ascii=False) for s in specs]
    assert any("案件流转（2025年4月）" in x for x in titles)


def test_play_steps_through_the_months_and_the_slider_stays_on_the_last(monkeypatch):
    """Play draws every month from the one shown to the last, in order, then leaves the slider
    (and the picture) on the last month."""
    import ui.widgets.flow_view as FV

    monkeypatch.setattr(FV, "FRAME_SECONDS", 0)
    drawn: list[int] = []
    real = FV.draw_chart

    def spy(res, key, build, **kw):
        if key[0] == "flow":
            drawn.append(key[1])
        return real(res, key, build, **kw)
    monkeypatch.setattr(FV, "draw_chart", spy)
    at = app_on("zh", "whatif")
    slider = control(at, "select_slider", "flow_month")
    last = len(slider.options) - 1
    slider.set_value(1).run()
    drawn.clear()
    at.button(key="flow_play").click().run()
    assert not at.exception, at.exception
    assert drawn[:last] == list(range(1, last + 1)), "one frame per month, from February to the last"
    assert set(drawn[last:]) == {last}, "then the page drawn again on the last month"
    assert control(at, "select_slider", "flow_month").value == last
    specs = [json.dumps(json.loads(c.proto.spec), ensure_ascii=False)
             for c in at.get("arrow_vega_lite_chart") + at.get("vega_lite_chart")]
    flows = [x for x in specs if "案件流转（" in x]
    assert flows and all(control(at, "select_slider", "flow_month").format_func(last) in x for x in flows), flows
    at.run()  # the next rerun stays on the last month
    assert control(at, "select_slider", "flow_month").value == last
