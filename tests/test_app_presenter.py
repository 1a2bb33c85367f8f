"""Presenter mode (issue 13, part 5) in AppTest, opened by an old ``?view=present`` link (the
page is at ``/present`` now): one figure or chart at a time, moves with the arrows, and ends
with the case flow; the figures are the what-if page's."""
from __future__ import annotations

import json
from pathlib import Path

from streamlit.testing.v1 import AppTest

from helpers import control, judge_slider
from sim.vocabulary.figure_format import figure_name
from ui.i18n import t
from ui.pages.present import SLIDE, slides

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
        control(at, "selectbox", SLIDE).set_value(len(slides()) - 1).run()
        assert not at.exception
        charts = at.get("arrow_vega_lite_chart") + at.get("vega_lite_chart")
        assert len(charts) == 2 and not at.metric  # the picture and, under it, the teams' pending by status
        spec = json.dumps(json.loads(charts[0].proto.spec), ensure_ascii=False)
        assert "2025" in spec and at.button(key="pr_next").disabled


def test_a_chart_slide_says_its_title_once():
    """The slide's heading is the chart's title, and the chart is drawn without its own (it was
    said twice, and in other words: "未结案件案龄（期末）" over "期末未结案件的账龄")."""
    for lang in ("zh", "en"):
        at = _present(lang)
        for i, (kind, name) in enumerate(slides()):
            if kind != "chart":
                continue
            control(at, "selectbox", SLIDE).set_value(i).run()
            assert not at.exception, at.exception
            title = t(lang, f"chart.{name}.title")
            assert [s.value for s in at.subheader] == [title]
            (chart,) = at.get("arrow_vega_lite_chart") + at.get("vega_lite_chart")
            spec = json.loads(chart.proto.spec)
            assert "title" not in spec and title not in json.dumps(spec, ensure_ascii=False)


def test_a_doubtful_verdict_carries_its_warning_on_the_slide():
    """A "met" that an engine warning undermines says "（存疑，见上方提示）": the warning it
    points to is on the same slide, above it; a slide without such a verdict has none."""
    from ui import address as A

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.query_params["view"] = "present"
    at.query_params["e"] = A.encode_edits({"teams.0.judges": 0, "horizon_months": 3, "replications": 3})
    at.run()
    assert not at.exception, at.exception
    doubtful = 0
    for i, (kind, name) in enumerate(slides()):
        if kind != "figure":
            continue
        control(at, "selectbox", SLIDE).set_value(i).run()
        verdicts = [m.value for m in at.markdown if t("zh", "warn.target_doubtful") in m.value]
        cautions = [w.value for w in at.warning if t("zh", "warn.title") in w.value]
        if verdicts:
            doubtful += 1
            assert len(cautions) == 1 and "速裁团队" in cautions[0], (name, cautions)
        else:
            assert not cautions, name
    assert doubtful >= 1
    # leaving presenter mode opens the what-if page on the same plan
    at.button(key="pr_leave").click().run()
    assert not at.exception, at.exception
    assert "view" not in at.query_params and at.title[0].value == t("zh", "app.title")
    assert judge_slider(at, 0).value == 0
