"""Preliminary figures (issue 11 part 7): a new setting is drawn from its first replications,
marked as preliminary, then replaced by the final figures, equal to a direct ``sim.analysis.runner.run``.

Marked ``preliminary``: AppTest runs are seen as drawn (tests/conftest.py otherwise reruns until
the figures are final, as the page's fragment would in a browser).
"""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from helpers import captions, control, replications_shown
from sim.analysis.results import mean_ci
from sim.analysis.runner import run
from sim.model.scenario import load_scenario
from sim.vocabulary.figure_format import figure_name, figure_value
from ui.i18n import t

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
CHECK = ("within_limit_rate", "pending_end", "disposition_days_mean", "judge_utilisation")


def _captions(at: AppTest) -> str:
    return captions(at)


def _state(at: AppTest, lang: str, total: int) -> int:
    """Replications the page's figures come from: 0 (still waiting), k < total, or total (final)."""
    return replications_shown(at, lang, total)


@pytest.mark.preliminary
@pytest.mark.parametrize("lang,seed", [("zh", 424242), ("en", 515151)])
def test_preliminary_figures_then_final_ones_equal_to_a_direct_run(lang, seed):
    from ui.runs.service import scheduler

    at = AppTest.from_file(APP, default_timeout=240)
    at.session_state["lang"] = lang
    at.run()
    scheduler().wait_idle(600)
    at.run()
    assert not at.exception, at.exception
    base = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    n = base.replications
    direct = run(base.model_copy(update={"seed": seed}))

    control(at, "number_input", "seed").set_value(seed).run()  # a setting nobody has run
    seen = []
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        assert not at.exception, at.exception
        k = _state(at, lang, n)
        seen.append(k)
        if k == n:
            break
        if k:
            metrics = {m.label: m.value for m in at.metric}
            for fig in CHECK:  # the first k replications of the direct run, exactly
                want = figure_value(lang, fig, mean_ci(direct.summary_reps[fig][:k]).mean)
                assert metrics[figure_name(lang, fig)] == want, (fig, k)
            assert t(lang, "app.dl_after_final", total=n) in _captions(at)
        time.sleep(0.2)  # about as often as the page's fragment redraws
        at.run()
    assert any(0 < k < n for k in seen), f"no preliminary state was shown: {seen}"
    assert seen[-1] == n, seen

    scheduler().wait_idle(600)
    at.run()
    assert _state(at, lang, n) == n
    assert t(lang, "app.dl_after_final", total=n) not in _captions(at)
    metrics = {m.label: m.value for m in at.metric}
    summ = direct.summary()
    for fig in CHECK:
        assert metrics[figure_name(lang, fig)] == figure_value(lang, fig, summ[fig].mean), fig


@pytest.mark.preliminary
@pytest.mark.parametrize("lang,seed", [("zh", 626262), ("en", 737373)])
def test_with_many_sessions_waiting_the_preliminary_page_leaves_its_charts_for_the_final_figures(
        lang, seed, monkeypatch):
    """When several sessions wait at once (ui/runs/polling.py), a preliminary page draws its cards and
    says the charts come with the final figures; the final page draws them."""
    from dataclasses import replace

    from sim.analysis import run_settings
    from ui.runs.service import scheduler

    def charts(at: AppTest) -> int:
        return len(list(at.get("vega_lite_chart")) + list(at.get("arrow_vega_lite_chart")))

    at = AppTest.from_file(APP, default_timeout=240)
    at.session_state["lang"] = lang
    at.run()
    scheduler().wait_idle(600)
    at.run()
    assert charts(at) > 0
    n = load_scenario(ROOT / "scenarios" / "baseline.yaml").replications
    later = t(lang, "poll.charts_later", total=n)
    assert later not in _captions(at)

    monkeypatch.setattr(run_settings, "OVERRIDE", replace(run_settings.settings(), busy=1))   # this session alone counts as busy
    control(at, "number_input", "seed").set_value(seed).run()  # a setting nobody has run
    seen_prelim = False
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        assert not at.exception, at.exception
        k = _state(at, lang, n)
        if 0 < k < n:
            seen_prelim = True
            assert later in _captions(at)
            assert charts(at) == 0
        if k == n:
            break
        time.sleep(0.2)
        at.run()
    assert seen_prelim
    scheduler().wait_idle(600)
    at.run()
    assert _state(at, lang, n) == n
    assert later not in _captions(at)
    assert charts(at) > 0
