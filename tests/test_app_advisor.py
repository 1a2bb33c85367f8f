"""The allocation advisor page with AppTest: it advises on the plan on the what-if page (here
the weak court, opened through the address as a user's link would), runs in zh and en with a
6-month horizon and few replications, answers how many more posts meet every target, shows a
best plan, keeps bad totals next to the inputs, and saves either plan to the store, where the
comparison page offers it.

The store is a temporary folder (``COURT_SIM_SCENARIO_DIR`` set before each AppTest).
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from helpers import control, judge_slider, open_page
from sim.analysis.advisor import advise
from sim.model.scenario import load_scenario
from sim.store.scenario_store import ENV_VAR, ScenarioStore
from sim.vocabulary.figure_format import figure_name
from ui.i18n import STRINGS, t
from ui.pages import advisor as A

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
WEAK = "weak-court-restaffing.yaml"


@pytest.fixture
def store_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "saved"
    monkeypatch.setenv(ENV_VAR, str(folder))
    return folder


def _advisor(lang: str, extra: int = 2) -> AppTest:
    """The advisor page of a session whose what-if page holds the weak court (a link to it)."""
    at = AppTest.from_file(APP, default_timeout=300)
    at.query_params["s"] = WEAK
    at.query_params["p"] = "advisor"
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["page"] == "advisor"
    control(at, "number_input", "adv_horizon").set_value(6)
    control(at, "number_input", "adv_reps").set_value(3)
    control(at, "number_input", "adv_screen").set_value(2)
    control(at, "number_input", "adv_extra").set_value(extra).run()
    assert not at.exception, at.exception
    return at


def _scenario_total(role: str) -> int:
    """The re-staffing scenario's own total of judges, assistants or clerks (the page's default)."""
    return sum(getattr(t, role) for t in load_scenario(ROOT / "scenarios" / WEAK).teams)


def _texts(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption])


def _track_staff(teams) -> dict[str, tuple[int, int, int]]:
    """Judges, assistants and clerks per track, added up over a scenario's teams."""
    return {track: tuple(sum(getattr(tm, r) for tm in teams if tm.track == track)
                         for r in ("judges", "assistants", "clerks")) for track in ("simple", "complex")}


# the plan as the page words it, written out here rather than built with the page's own functions
PLAN_WORDS = {"zh": "简案 {} 名法官 / {} 名助理 / {} 名书记员，繁案 {} 名法官 / {} 名助理 / {} 名书记员",
              "en": "simple {} judges / {} assistants / {} clerks, complex {} judges / {} assistants / {} clerks"}


def _plan_words(lang: str, teams) -> str:
    staff = _track_staff(teams)
    return PLAN_WORDS[lang].format(*staff["simple"], *staff["complex"])


def _best_line(at: AppTest, lang: str) -> str:
    """The answer's first line: the recommended plan in bold, then its figure."""
    first = "**" + PLAN_WORDS[lang].split(" ")[0]
    lines = [m.value for m in at.markdown if m.value.startswith(first)]
    assert len(lines) == 1, lines
    return lines[0]


def _frame(at: AppTest, column: str):
    """The data of the first table with ``column`` (st.dataframe keeps no key in AppTest)."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_advisor_runs_and_shows_a_best_plan_within_the_totals(store_dir, lang):
    """The answer's plan in words is the engine's best scenario, track by track, written out in
    the test. Planted bug caught: ``ui/pages/advisor._plan_dict`` returning the complex team's
    numbers as the simple team's (the test used to build its expected text with the page's own
    ``_plan_text(_plan_dict(...))``, so it agreed with any bug in them)."""
    at = _advisor(lang)
    assert control(at, "number_input", "adv_judges").value == 11, "defaults to the scenario's own totals"
    # one more assistant than the scenario has: not the page's defaults, which later tests load
    extra_assistant = _scenario_total("assistants") + 1
    control(at, "number_input", "adv_assistants").set_value(extra_assistant).run()
    at.button(key="adv_run").click().run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    key, adv = at.session_state[A.RESULT]
    plan = adv.best_plan
    assert plan.total("judges") <= 11 and plan.total("assistants") <= extra_assistant and plan.total("clerks") <= 8
    assert adv.best.horizon_months == 6 and adv.refine_replications == 3
    assert t(lang, "adv.best") in [h.value for h in at.subheader]
    # the plan in words is the engine's best scenario, track by track (the page once showed the
    # complex team's numbers as the simple team's: a planted swap in ui/pages/advisor._plan_dict)
    assert _best_line(at, lang).startswith(f"**{_plan_words(lang, adv.best.teams)}")
    staff = _track_staff(adv.best.teams)
    assert staff["simple"] == (plan.judges[0], plan.assistants[0], plan.clerks[0])
    assert staff["complex"] == (plan.judges[1], plan.assistants[1], plan.clerks[1])
    # the reasons, in sentences, next to the answer
    from sim.vocabulary.advisor_text import explanation_lines

    why = explanation_lines(adv.explanation, lang)
    assert len(why) >= 3 and all(line in _texts(at) for line in why)
    assert t(lang, "adv.why") in _texts(at)
    teams = _frame(at, t(lang, "adv.col.judges_now"))
    assert list(teams[t(lang, "adv.col.team")]) == [tm.name for tm in adv.best.teams]
    # how many more posts: the answer in sentences, what "met" means, one row per target
    from sim.vocabulary.advisor_text import more_lines, rule_line

    more = more_lines(adv.more_explanation, lang)
    assert t(lang, "adv.more") in [h.value for h in at.subheader]
    assert len(more) >= 3 and all(line in _texts(at) for line in more)
    assert rule_line(adv.more_explanation, lang) in _texts(at)
    assert t(lang, "adv.honesty", reps=3) in _texts(at)
    answer = _frame(at, t(lang, "adv.col.smallest"))
    assert list(answer[t(lang, "adv.col.figure")]) == [t(lang, "adv.col.every")] + [
        figure_name(lang, f) for f in adv.targets]
    # the posts-added chart: a point per total searched, the target line, the fewest posts marked
    charts = [json.loads(c.proto.spec) for c in list(at.get("vega_lite_chart")) + list(at.get("arrow_vega_lite_chart"))]
    assert len(charts) == 1
    assert list(A.curve_frame(lang, adv, adv.objective)["added"]) == [p["added"] for p in adv.staff_curve]
    assert [p["added"] for p in adv.staff_curve][:2] == [0, 1] and adv.staff_curve[-1]["added"] <= 2
    assert any("shape" in layer.get("encoding", {}) for layer in charts[0]["layer"]), "fewest posts marked"
    assert any(layer.get("mark", {}).get("type") == "rule" and "y" in layer.get("encoding", {})
               for layer in charts[0]["layer"]), "the target is marked"
    # the answer as tables (as the exports carry it), numbers as numbers
    from sim.analysis.advisor_table import advice_tables

    for tb in advice_tables(adv, lang):
        assert f"**{tb.title}**" in [m.value for m in at.markdown]
        shown = [d.value for d in at.dataframe if list(d.value.columns) == tb.columns]
        assert len(shown) == 1 and len(shown[0]) == len(tb.rows), tb.key


def test_the_page_matches_the_engine_and_showing_it_again_is_instant(store_dir):
    """The page shows a direct ``advise`` run's answer: the same best plan, its words track by
    track and its teams' staff. Planted bug caught: the tracks swapped in
    ``ui/pages/advisor._plan_dict``."""
    at = _advisor("en", extra=0)
    at.button(key="adv_run").click().run()
    _, adv = at.session_state[A.RESULT]
    base = load_scenario(ROOT / "scenarios" / WEAK)
    base = base.model_copy(update={"horizon_months": 6, "replications": 3})
    direct = advise(base, 11, _scenario_total("assistants"), 8, screen_replications=2, refine_replications=3,
                    top_k=3, seed=base.seed)
    assert direct.best_plan == adv.best_plan, "the page asks the engine exactly what its inputs say"
    # what the page shows is the direct answer: the plan in words track by track, and each team's
    # staff in the table (a page that swapped the tracks' numbers showed simple 4/2/2, complex
    # 7/4/6 for an answer of simple 7/4/6, complex 4/2/2)
    assert _best_line(at, "en").startswith(f"**{_plan_words('en', direct.best.teams)}")
    shown = at.dataframe[0].value
    assert list(shown["Team"]) == [tm.name for tm in direct.best.teams]
    for role, col in (("judges", "Judges (advised)"), ("assistants", "Assistants (advised)"),
                      ("clerks", "Clerks (advised)")):
        assert [int(str(v).split()[0]) for v in shown[col]] == [getattr(tm, role) for tm in direct.best.teams], role
    # the server cache answers the same inputs in another session without a run
    at2 = _advisor("en", extra=0)
    assert at2.session_state[A.RESULT][1] is adv
    assert not at2.warning


def test_totals_that_cannot_staff_the_teams_are_explained_next_to_the_inputs(store_dir):
    for lang in ("zh", "en"):
        at = _advisor(lang)
        control(at, "number_input", "adv_judges").set_value(1).run()
        assert not at.exception, at.exception
        errs = [e.value for e in at.error]
        assert len(errs) == 1, errs
        assert "Traceback" not in errs[0]
        if lang == "zh":
            assert "1 名法官不足以配置各团队" in errs[0] and "简案" in errs[0] and "繁案" in errs[0]
        else:
            assert errs[0].startswith("1 judges cannot staff the teams")
        assert at.button(key="adv_run").disabled
        assert A.RESULT not in at.session_state


def test_saving_the_recommendation_asks_before_overwriting_and_the_comparison_page_offers_it(store_dir):
    at = _advisor("zh", extra=0)
    at.button(key="adv_run").click().run()
    name = "整改建议方案"
    at.text_input(key="adv_save_name").set_value(name)
    at.text_input(key="adv_save_note").set_value("会议讨论用")
    at.button(key="adv_save").click().run()
    assert not at.exception, at.exception
    assert any(t("zh", "adv.save.done", name=name) in s.value for s in at.success)
    store = ScenarioStore(store_dir)
    assert name in store.names()
    saved = store.load(name)
    _, adv = at.session_state[A.RESULT]
    assert [tm.judges for tm in saved.teams] == [tm.judges for tm in adv.best.teams]
    assert store.get(name).note == "会议讨论用"
    # a second save under the same name asks first; cancel keeps the file, overwrite replaces it
    at.text_input(key="adv_save_note").set_value("第二次")
    at.button(key="adv_save").click().run()
    assert any(name in w.value for w in at.warning)
    assert store.get(name).note == "会议讨论用"
    at.button(key="adv_save_overwrite").click().run()
    assert store.get(name).note == "第二次"
    # the comparison page lists it among its choices
    open_page(at, "compare")
    at.run()
    assert not at.exception, at.exception
    opts = control(at, "multiselect", "cmp_pick").options
    assert any(name in o for o in opts), opts


def test_every_advisor_control_has_a_key_and_help_in_both_languages(store_dir):
    for lang in ("zh", "en"):
        at = _advisor(lang)
        at.button(key="adv_run").click().run()
        widgets = (list(at.number_input) + list(at.selectbox) + list(at.multiselect) + list(at.radio)
                   + list(at.button) + list(at.text_input))
        adv_widgets = [w for w in widgets if (w.key or "").startswith("adv_")]
        assert len(adv_widgets) >= 14
        for w in adv_widgets:
            assert w.help, f"{w.key} has no help text"
    assert {k for k in STRINGS["zh"] if k.startswith(("adv.", "staff."))} == \
        {k for k in STRINGS["en"] if k.startswith(("adv.", "staff."))}


def test_advice_errors_are_translated_from_their_code():
    from sim.analysis.advisor import AdviceInputError
    from ui.i18n import error_text

    exc = AdviceInputError("adv_cannot_staff", total=0, role="judges", needs=[["simple", 1], ["complex", 2]])
    zh = error_text("zh", exc)
    assert "0 名法官" in zh and "繁案至少需要 2 名" in zh
    assert error_text("en", exc).startswith("0 judges cannot staff the teams: the simple track needs at least 1")


def test_a_search_whose_run_is_replaced_by_a_rerun_still_answers(store_dir, monkeypatch):
    """A field changed during the search asks for a rerun, which replaces the run its click
    started (Streamlit raises RerunException inside it): the search still runs, once."""
    import ui.widgets.button_action as pending
    from helpers import rerun_exception

    real, calls = A.run_advice, []

    def replaced_once(*args, **kwargs):
        calls.append(args)
        if len(calls) == 1:
            raise rerun_exception()
        return real(*args, **kwargs)
    monkeypatch.setattr(A, "run_advice", replaced_once)
    at = _advisor("en", extra=0)
    control(at, "number_input", "adv_seed").set_value(424242).run()  # inputs no other test has asked the cache for
    at.button(key="adv_run").click().run()  # the click's run, replaced by a rerun
    assert not at.exception, at.exception
    # (an answer to other inputs may be shown from the server's cache: this one has the seed)
    assert len(calls) == 2 and at.session_state[A.RESULT][1].seed == 424242
    assert pending.PENDING not in at.session_state
    at.run()
    assert len(calls) == 2


def test_the_advisor_advises_on_the_plan_as_edited_on_the_what_if_page(store_dir):
    """Not a scenario chosen separately: the what-if page's plan with its edits (issue 23)."""
    from ui.widgets import controls as C
    from ui.widgets import plan as P

    at = AppTest.from_file(APP, default_timeout=300)
    at.query_params["s"] = WEAK
    at.run()
    assert not at.exception, at.exception
    control(at, "toggle", C.KEEP_TOTALS).set_value(False).run()
    j0 = judge_slider(at, 0).value
    judge_slider(at, 0).set_value(j0 + 1).run()
    judges = [judge_slider(at, i).value for i in range(len(P.teams(at.session_state)))]
    assert sum(judges) == 12
    open_page(at, "advisor").run()
    assert not at.exception, at.exception
    name = load_scenario(ROOT / "scenarios" / WEAK).name_in("zh")   # the name in the page's language
    assert t("zh", "adv.base", name=name, teams=len(judges), j=12, a=_scenario_total("assistants"),
             c=_scenario_total("clerks")) in _texts(at)
    assert control(at, "number_input", "adv_judges").value == 12, "the totals of the plan on screen"
    control(at, "number_input", "adv_horizon").set_value(6)
    control(at, "number_input", "adv_reps").set_value(3)
    control(at, "number_input", "adv_screen").set_value(1)
    control(at, "number_input", "adv_extra").set_value(0).run()
    at.button(key="adv_run").click().run()
    assert not at.exception, at.exception
    _, adv = at.session_state[A.RESULT]
    assert [tm["judges"] for tm in adv.current["teams"]] == judges
    # and back on the what-if page the plan is as it was
    open_page(at, "whatif").run()
    assert [judge_slider(at, i).value for i in range(len(judges))] == judges


def test_the_plan_with_the_extra_posts_can_be_saved(store_dir):
    at = _advisor("zh", extra=2)
    at.button(key="adv_run").click().run()
    _, adv = at.session_state[A.RESULT]
    assert adv.more_best is not None
    control(at, "radio", A.SAVE_WHICH).set_value("more").run()
    at.text_input(key="adv_save_name").set_value("增加编制方案").run()
    at.button(key="adv_save").click().run()
    assert not at.exception, at.exception
    saved = ScenarioStore(store_dir).load("增加编制方案")
    point = adv.more_explanation["point"]
    assert [tm.judges for tm in saved.teams] == [tm["judges"] for tm in point["teams"]]
    assert sum(tm.judges for tm in saved.teams) == 11 + point["mix"]["judges"]
