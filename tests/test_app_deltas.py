"""Like with like (issue 23 point 4): the change a card shows is against the loaded plan run with
the same horizon, start, replications and seed as the plan on screen; when those change, the
reference is run again and the page says so.

Before: after changing 模拟期 from 24 to 12 months the cards showed "−50 件", the 12-month end
against the loaded plan's 24-month end. The expected changes here are computed independently,
through the engine's API (:func:`sim.analysis.runner.run`), not through the page.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from helpers import control, judge_slider
from sim.analysis.runner import run
from sim.model.scenario import load_scenario
from sim.vocabulary.figure_format import figure_change, figure_name
from ui.i18n import t
from ui.widgets import controls as C

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
BASELINE = load_scenario(ROOT / "scenarios" / "baseline.yaml")
REPS = 4
FIGURES = ("pending_end", "within_limit_rate", "closures_per_judge")


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, at.exception
    return at


def _deltas(at: AppTest, lang: str = "zh") -> dict[str, str]:
    cards = {m.label: m.delta for m in at.metric}
    return {f: cards[figure_name(lang, f)] for f in FIGURES}


def _expected(judges: list[int], months: int, lang: str = "zh") -> dict[str, str]:
    """(plan − loaded plan) at ``months`` months, both run with the page's replications and
    seed, formatted as the cards format a change."""
    settings = {"horizon_months": months, "replications": REPS}
    ref = BASELINE.model_copy(update=settings)
    plan = ref.model_copy(update={"teams": [tm.model_copy(update={"judges": j}) for tm, j in zip(BASELINE.teams, judges, strict=True)]})
    a, b = run(plan, workers=2).summary(), run(ref, workers=2).summary()
    return {f: figure_change(lang, f, a[f].mean - b[f].mean) for f in FIGURES}


def _captions(at: AppTest) -> str:
    return "\n".join(str(c.value) for c in at.caption)


@pytest.mark.parametrize("horizon_first", [True, False])
def test_the_change_is_against_the_loaded_plan_run_over_the_same_months(horizon_first):
    at = _ok(AppTest.from_file(APP, default_timeout=300).run())
    _ok(control(at, "number_input", "replications").set_value(REPS).run())
    _ok(control(at, "toggle", C.KEEP_TOTALS).set_value(False).run())  # one judge added, nothing else moves
    judges = [tm.judges for tm in BASELINE.teams]
    judges[1] += 1
    steps = [lambda: control(at, "number_input", "horizon_months").set_value(12).run(),
             lambda: judge_slider(at, 1).set_value(judges[1]).run()]
    for step in steps if horizon_first else reversed(steps):
        _ok(step())
    want = _expected(judges, 12)
    assert _deltas(at) == want
    # not what the loaded plan's own 24 months would give (the old comparison)
    ref24 = run(BASELINE.model_copy(update={"replications": REPS}), workers=2).summary()
    plan12 = run(BASELINE.model_copy(update={"horizon_months": 12, "replications": REPS, "teams": [
        tm.model_copy(update={"judges": j}) for tm, j in zip(BASELINE.teams, judges, strict=True)]}), workers=2).summary()
    assert figure_change("zh", "pending_end", plan12["pending_end"].mean - ref24["pending_end"].mean) != want["pending_end"]
    # the page says the reference was run again, with which settings
    note = t("zh", "app.reference_rerun", months=12, start=BASELINE.start_date.isoformat(), reps=REPS,
             seed=BASELINE.seed)
    assert note in _captions(at)
    control(at, "selectbox", "lang").set_value("en").run()
    assert t("en", "app.reference_rerun", months=12, start=BASELINE.start_date.isoformat(), reps=REPS,
             seed=BASELINE.seed) in _captions(at)
    assert _deltas(at, "en") == _expected(judges, 12, "en")


def test_no_note_while_the_run_settings_are_the_loaded_plans_own():
    at = _ok(AppTest.from_file(APP, default_timeout=300).run())
    _ok(control(at, "toggle", C.KEEP_TOTALS).set_value(False).run())
    _ok(judge_slider(at, 1).set_value(BASELINE.teams[1].judges + 1).run())
    assert all(d for d in _deltas(at).values())  # edited: the cards show changes
    assert "同口径比较" not in _captions(at)
    # only the horizon changed: the plan is the loaded one, with nothing to compare
    _ok(judge_slider(at, 1).set_value(BASELINE.teams[1].judges).run())
    _ok(control(at, "number_input", "horizon_months").set_value(12).run())
    assert not any(_deltas(at).values())
    assert "同口径比较" not in _captions(at)


# --- moves in words (issue 23 point 5) ------------------------------------------------------------

def _infos(at: AppTest) -> list[str]:
    return [str(i.value) for i in at.info]


def test_a_judge_moved_with_totals_kept_says_which_team_gave_it_in_both_languages():
    """The baseline's teams: 速裁团队 11, 民事审判一组 5, 民事审判二组 5, 商事审判组 4, 综合审判组 4
    judges. One more for 民事审判一组 with totals kept (the default) comes from 速裁团队: the team
    that has given the smallest share of its own so far, ties to the larger."""
    assert [(tm.name, tm.judges) for tm in BASELINE.teams][:2] == [("速裁团队", 11), ("民事审判一组", 5)]
    at = _ok(AppTest.from_file(APP, default_timeout=300).run())
    _ok(control(at, "number_input", "replications").set_value(REPS).run())
    assert control(at, "toggle", C.KEEP_TOTALS).value is True
    _ok(judge_slider(at, 1).set_value(6).run())
    assert [judge_slider(at, i).value for i in range(5)] == [10, 6, 5, 4, 4]
    assert "本次调动（人员总数不变）——法官：民事审判一组 +1，速裁团队 −1" in _captions(at)
    assert "人员变化（与载入方案相比）——法官：民事审判一组 +1，速裁团队 −1" in _infos(at)

    _ok(control(at, "selectbox", "lang").set_value("en").run())
    assert "This move (staff totals kept) — judges: 民事审判一组 +1, 速裁团队 −1" in _captions(at)
    assert "Staff against the loaded plan — judges: 民事审判一组 +1, 速裁团队 −1" in _infos(at)
    _ok(control(at, "selectbox", "lang").set_value("zh").run())

    # a second move: the slider's note is the last move's, the cards' the whole plan's
    _ok(judge_slider(at, 3).set_value(5).run())
    caps = _captions(at)
    assert "本次调动（人员总数不变）——法官：商事审判组 +1，速裁团队 −1" in caps
    assert "民事审判一组 +1，速裁团队 −1" not in caps
    assert "人员变化（与载入方案相比）——法官：民事审判一组 +1，商事审判组 +1，速裁团队 −2" in _infos(at)

    # from a named team
    _ok(control(at, "selectbox", C.TAKE_FROM).set_value("2").run())
    _ok(judge_slider(at, 4).set_value(5).run())
    assert "本次调动（人员总数不变）——法官：综合审判组 +1，民事审判二组 −1" in _captions(at)

    # back to the loaded plan by hand: nothing differs, nothing to say above the cards
    _ok(at.button(key="reset").click().run())
    assert not [i for i in _infos(at) if "人员变化" in i] and "本次调动" not in _captions(at)


def test_with_totals_not_kept_a_judge_is_added_and_no_team_is_said_to_give_one():
    at = _ok(AppTest.from_file(APP, default_timeout=300).run())
    _ok(control(at, "number_input", "replications").set_value(REPS).run())
    _ok(control(at, "toggle", C.KEEP_TOTALS).set_value(False).run())
    _ok(judge_slider(at, 1).set_value(6).run())
    assert [judge_slider(at, i).value for i in range(5)] == [11, 6, 5, 4, 4]
    assert "本次调动" not in _captions(at)
    assert "人员变化（与载入方案相比）——法官：民事审判一组 +1" in _infos(at)
    assert any("比原方案多 1 个员额法官编制" in w.value for w in at.warning)


def test_moves_in_words_for_every_role_and_for_added_and_removed_teams():
    from ui.widgets.moves import words

    a = [{"name": "甲", "judges": 3, "assistants": 2, "clerks": 1},
         {"name": "乙", "judges": 2, "assistants": 2, "clerks": 2}]
    b = [{"name": "甲", "judges": 2, "assistants": 3, "clerks": 1},
         {"name": "乙", "judges": 3, "assistants": 1, "clerks": 2}]
    assert words("zh", a, b) == "法官：乙 +1，甲 −1；法官助理：甲 +1，乙 −1"
    assert words("en", a, b) == "judges: 乙 +1, 甲 −1; assistants: 甲 +1, 乙 −1"
    assert words("zh", a, a) is None
    # a team added, a team removed: each counts whole (teams are matched by name when their
    # number changed; with as many on both sides, by position: a renamed team is the same team)
    assert words("zh", a, a + [{"name": "丙", "judges": 1, "assistants": 0, "clerks": 1}]) == "法官：丙 +1；书记员：丙 +1"
    assert words("zh", a, a[1:]) == "法官：甲 −3；法官助理：甲 −2；书记员：甲 −1"
    assert words("zh", a, [dict(a[0], name="甲庭"), a[1]]) is None


def test_a_table_edit_that_moves_staff_says_so_under_the_table():
    """Two more assistants for 民事审判一组 typed in the team table (totals kept): one from
    速裁团队 (11, the largest), then one from 民事审判二组 (the largest of those that have not
    given yet, 5; ties to the earlier team)."""
    from unittest import mock

    from sim.model.scenario import scenario_to_dict
    from ui.widgets import moves
    from ui.widgets import plan as P
    from ui.widgets import team_inputs as inputs

    state: dict = {}
    P.load(state, scenario_to_dict(BASELINE))
    state[inputs.teams_editor_key()] = {"edited_rows": {1: {"assistants": 7}}, "added_rows": [], "deleted_rows": []}
    with mock.patch("streamlit.session_state", state):
        inputs._on_teams_edit("zh")
        assert [tm["assistants"] for tm in P.teams(state)] == [10, 7, 4, 4, 4]
        assert moves.last_note("zh", ("table",)) == "本次调动（人员总数不变）——法官助理：民事审判一组 +2，速裁团队 −1，民事审判二组 −1"
        assert moves.last_note("zh", ("slider", 1)) is None
