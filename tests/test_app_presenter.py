"""Presenter mode (issue 13, part 5) in AppTest: ``?view=present`` shows one figure or chart at a
time, moves with the arrows, and ends with the case flow; the figures are the what-if page's."""
from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from sim.vocabulary.figure_format import figure_name
from ui.i18n import t
from ui.presenter_view import SLIDE, slides

ROOT = Path(__file__).resolve().parent.parent


def _present(lang: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.query_params["view"] = "present"
    at.query_params["s"] = "weak-court.yaml"
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


def test_presenter_mode_one_slide_at_a_time_in_both_languages():
    for lang in ("zh", "en"):
        at = _present(lang)
        # the first slide is the within-limit rate alone: one metric, no chart
        assert [m.label for m in at.metric] == [figure_name(lang, "within_limit_rate")]
        assert not at.get("arrow_vega_lite_chart") + at.get("vega_lite_chart")
        at.button(key="pr_next").click().run()
        assert [m.label for m in at.metric] == [figure_name(lang, "within_limit_rate_simple")]  # each track next
        at.button(key="pr_prev").click().run()
        assert at.session_state[SLIDE] == 0
        # the last slide is the moving picture of the case flow
        at.selectbox(key=SLIDE).set_value(len(slides()) - 1).run()
        assert not at.exception
        charts = at.get("arrow_vega_lite_chart") + at.get("vega_lite_chart")
        assert len(charts) == 1 and not at.metric
        spec = json.dumps(json.loads(charts[0].proto.spec), ensure_ascii=False)
        assert "2025" in spec and at.button(key="pr_next").disabled
        assert any(s.value == t(lang, "flow.title") for s in at.subheader)
