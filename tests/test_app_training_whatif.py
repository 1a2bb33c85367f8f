"""A training group on the what-if page (issue 13, part 2): preliminary figures like any setting,
final figures exactly those of the exercise's seed and replications (what the ranking uses, and
handed to it on submit), the group kept in the address across a refresh, and the exercises whose
levers are not staff (the year-end freeze; the mediation share with "one lever only")."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from helpers import control, judge_slider, open_page, replications_shown
from sim.analysis.results import mean_ci
from sim.training.exercise import find_exercise
from sim.training.plan import plan_scenario, starting_plan
from sim.training.scoring import PlanEvaluator, result_key
from sim.training.session import TrainingStore
from sim.vocabulary.figure_format import figure_name, figure_value
from ui.i18n import t
from ui.pages import training_common as TC
from ui.pages import training_whatif as TW

ROOT = Path(__file__).resolve().parent.parent
HEAD = """
title: {zh: 练习, en: Exercise}
brief: {zh: 说明, en: Brief}
debrief: {zh: 讲评, en: Debrief}
scenario: weak-court.yaml
"""
EXERCISES = {
    # long enough that the first replications come in before the rest
    "slow.yaml": HEAD + """horizon_months: 12
seed: 7
replications: 10
limits: {change: [judges, assistants, clerks], extra: {judges: 1}}
deciding: {figure: within_limit_rate, target: 0.95}
""",
    "freeze.yaml": HEAD + """horizon_months: 2
seed: 3
replications: 2
limits: {year_end_freeze: {days: [null, 15, 20]}}
deciding: {figure: pending_end}
""",
    "mediation.yaml": HEAD + """horizon_months: 2
seed: 3
replications: 2
limits: {change: [judges], extra: {judges: 1}, extra_mode: at_most, mediation_share: {min: 0.1, max: 0.6},
         one_lever: true}
deciding: {figure: pending_end}
""",
}
CHECK = ("within_limit_rate", "pending_end", "long_pending_end")


@pytest.fixture
def room(tmp_path, monkeypatch) -> Path:
    """Exercises and an empty sessions folder for this test only (no trainer code needed)."""
    ex = tmp_path / "exercises"
    ex.mkdir()
    for name, text in EXERCISES.items():
        (ex / name).write_text(text, encoding="utf-8")
    monkeypatch.setenv("COURT_SIM_EXERCISE_DIR", str(ex))
    monkeypatch.setenv("COURT_SIM_TRAINING_DIR", str(tmp_path / "sessions"))
    monkeypatch.delenv(TC.TRAINER_ENV, raising=False)
    return tmp_path / "sessions"


def _join(lang: str, code: str, name: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.session_state["lang"] = lang
    open_page(at, "training")
    at.run()
    at.text_input(key="tr_join_code").set_value(code)
    at.text_input(key="tr_join_name").set_value(name)
    next(b for b in at.button if b.label == t(lang, "tr.join")).click().run()
    assert not at.exception, at.exception
    assert at.session_state["page"] == "whatif"
    return at


def _seen(at: AppTest, lang: str, n: int) -> int:
    """Replications the figures come from: 0 (waiting), k < n (preliminary) or n (final)."""
    return replications_shown(at, lang, n, figure_name(lang, "within_limit_rate"))


@pytest.mark.preliminary
@pytest.mark.parametrize("lang,team", [("zh", 1), ("en", 0)])  # a plan of its own: not in the server's cache
def test_a_group_sees_preliminary_figures_then_the_exercise_run(room: Path, lang: str, team: int):
    from ui.runs.service import scheduler

    store = TrainingStore(room)
    code = store.create("slow")
    at = _join(lang, code, "A组" if lang == "zh" else "Group A")
    scheduler().wait_idle(600)
    at.run()
    n = 10
    slider = judge_slider(at, team)
    slider.set_value(slider.value + 1).run()  # a plan nobody has run yet
    seen = []
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        assert not at.exception, at.exception
        seen.append(_seen(at, lang, n))
        if seen[-1] == n:
            break
        time.sleep(0.2)
        at.run()
    assert any(0 < k < n for k in seen), f"no preliminary figures were shown: {seen}"
    assert seen[-1] == n, seen
    scheduler().wait_idle(600)
    at.run()
    # the final figures are those of the plan run with the exercise's seed and replications
    entry = find_exercise("slow")
    first = starting_plan(entry.exercise, entry.start)
    teams = {k: v.model_copy() for k, v in first.teams.items()}
    name = entry.start.teams[team].name
    teams[name] = teams[name].model_copy(update={"judges": teams[name].judges + 1})
    plan = first.model_copy(update={"teams": teams})
    scn = plan_scenario(entry.exercise, entry.start, plan)
    assert (scn.seed, scn.replications) == (7, 10)
    figs = PlanEvaluator().plan(entry.exercise, entry.start, plan)
    shown = {m.label: m.value for m in at.metric}
    for fig in CHECK:
        assert shown[figure_name(lang, fig)] == figure_value(lang, fig, mean_ci(figs[fig]).mean), fig
    # the ranking's evaluator finds what the page ran (the plan, and the starting plan the page
    # ran as its reference): the trainer runs nothing again
    at.button(key=TW.SUBMIT).click().run()
    assert not at.exception, at.exception
    ev = PlanEvaluator(lookup=TC.page_results)
    ranked = ev.plan(entry.exercise, entry.start, store.groups(code)[0].plan, store, code)
    ev.plan(entry.exercise, entry.start, first, store, code)
    assert ev.computed == 0
    assert ranked["pending_end"].tolist() == pytest.approx(figs["pending_end"].tolist(), nan_ok=True)
    assert store.load_result(code, result_key(scn)) is not None


def test_a_refresh_comes_back_to_the_group_and_its_plan(room: Path):
    store = TrainingStore(room)
    code = store.create("mediation")
    at = _join("en", code, "Group B")
    slider = judge_slider(at, 0)
    slider.set_value(slider.value + 1).run()
    params = {k: at.query_params[k] for k in at.query_params}
    assert params["x"].startswith(code + ".") and "s" not in params and "e" in params

    again = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    for k, v in params.items():
        again.query_params[k] = v
    again.run()  # a new browser session, as after a refresh
    assert not again.exception, again.exception
    assert again.session_state[TC.GROUP]["name"] == "Group B"
    assert judge_slider(again, 0).value == slider.value
    again.button(key=TW.SUBMIT).click().run()
    assert [g.plan is not None for g in store.groups(code)] == [True]

    # a link whose token is not the group's opens the page as usual and says why
    forged = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    forged.query_params["x"] = params["x"].rsplit(".", 1)[0] + ".not-the-token"
    forged.query_params["lang"] = "en"
    forged.run()
    assert not forged.exception and TC.GROUP not in forged.session_state
    assert any("this submission belongs to another group" in w.value for w in forged.warning)
    assert [b for b in forged.selectbox if b.key == "scenario_file"]  # the what-if page as without a session


def test_the_year_end_freeze_is_chosen_and_staff_stay_fixed(room: Path):
    store = TrainingStore(room)
    code = store.create("freeze")
    at = _join("zh", code, "C组")
    assert judge_slider(at, 0).disabled  # staff are not this exercise's lever
    assert any(c.value == t("zh", "trw.staff_fixed") for c in at.caption)
    radio = control(at, "radio", TW.FREEZE)
    assert radio.options == [t("zh", "tr.freeze_none"), t("zh", "tr.freeze_day", day=15),
                             t("zh", "tr.freeze_day", day=20)]
    assert not [m for m in at.metric if m.label.startswith("待安排")]  # nothing to place: no counter
    radio.set_value(15).run()
    assert not at.button(key=TW.SUBMIT).disabled
    at.button(key=TW.SUBMIT).click().run()
    assert store.groups(code)[0].plan.year_end_freeze == 15
    # the choice is in the address: a refresh keeps it; one the exercise does not offer is named
    params = {k: at.query_params[k] for k in at.query_params}
    assert params["xc"] == "f:15"
    # hostile choices: a digit str.isdigit accepts but int() refuses, a number too long to convert
    for choice, day in (("f:15", 15), ("f:16", None), ("f:²", None), ("f:" + "9" * 5000, None), ("²:x", None)):
        again = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        for k, v in (params | {"xc": choice}).items():
            again.query_params[k] = v
        again.run()
        assert not again.exception, again.exception
        assert control(again, "radio", TW.FREEZE).value == day
        # named in the message; a value over the address's limit for it is ignored whole and
        # echoed cut short (ui/address_read.py)
        from ui.address_read import MAX_CHARS, echo
        shown = choice if len(choice) <= MAX_CHARS["xc"] else echo(choice)
        assert any(f"“{shown}”" in w.value for w in again.warning) == (day is None)
    # leaving the group: the what-if page is the ordinary one again, the submission stays
    at.button(key="trw_to_training").click().run()
    at.button(key="tr_leave").click().run()
    assert not at.exception and TC.GROUP not in at.session_state and "x" not in at.query_params
    # the join form is drawn again, empty, ready for another session
    assert at.text_input(key="tr_join_code").value in ("", None)
    assert any(b.label == t("zh", "tr.join") for b in at.button)
    open_page(at, "whatif")
    at.run()
    assert not at.exception and control(at, "selectbox", "scenario_file").value == "baseline.yaml"
    assert not judge_slider(at, 0).disabled
    assert store.groups(code)[0].plan.year_end_freeze == 15


def test_one_lever_only_names_the_limit(room: Path):
    store = TrainingStore(room)
    code = store.create("mediation")
    at = _join("zh", code, "D组")
    assert not at.button(key=TW.SUBMIT).disabled  # at most one extra judge: the start is within
    control(at, "slider", "med_share").set_value(40.0).run()
    assert not at.button(key=TW.SUBMIT).disabled
    slider = judge_slider(at, 0)
    slider.set_value(slider.value + 1).run()  # and a judge too: two levers
    assert at.button(key=TW.SUBMIT).disabled
    assert any("只能调整人员或诉前调解比例中的一项" in w.value for w in at.warning)
    control(at, "slider", "med_share").set_value(70.0).run()
    assert any("诉前调解比例须在 10% 至 60% 之间" in w.value for w in at.warning)
