"""The training page in AppTest (issue 13, part 3): a trainer and three groups run a whole
session — start, join, plans within the limits only, submissions, ranking, best answer, reveal,
exports — in Chinese and English; without a trainer code set there is no trainer view."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sim.training.session import TrainingStore
from ui import controls as C
from ui import training_common as TC
from ui.i18n import t

ROOT = Path(__file__).resolve().parent.parent
TINY = """
title: {zh: 新增一名法官, en: One extra judge}
brief: {zh: 放在哪里, en: Where does it go}
debrief: {zh: 讲评：看瓶颈团队, en: "Debrief: look at the bottleneck"}
scenario: weak-court.yaml
horizon_months: 2
seed: 5
replications: 3
limits: {change: [judges, assistants, clerks], extra: {judges: 1}}
deciding: {figure: pending_end, target: 900}
"""


@pytest.fixture
def room(tmp_path, monkeypatch) -> Path:
    """A trainer code, an exercise folder with one tiny exercise and one broken file, and an
    empty sessions folder, for this test only."""
    ex = tmp_path / "exercises"
    ex.mkdir()
    (ex / "one-judge.yaml").write_text(TINY, encoding="utf-8")
    (ex / "broken.yaml").write_text(TINY.replace("limits:", "limitz:"), encoding="utf-8")
    monkeypatch.setenv("COURT_SIM_EXERCISE_DIR", str(ex))
    monkeypatch.setenv("COURT_SIM_TRAINING_DIR", str(tmp_path / "sessions"))
    monkeypatch.setenv(TC.TRAINER_ENV, "s3cret")
    return tmp_path / "sessions"


def _app(lang: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.session_state["lang"] = lang
    at.session_state["page"] = "training"
    at.run()
    assert not at.exception, at.exception
    return at


def _click(at: AppTest, key: str) -> None:
    at.button(key=key).click().run()
    assert not at.exception, at.exception


def _join(lang: str, code: str, name: str) -> AppTest:
    """A group joins; it goes on to the what-if page, which then works on the exercise."""
    at = _app(lang)
    at.text_input(key="tr_join_code").set_value(code.lower())
    at.text_input(key="tr_join_name").set_value(name)
    next(b for b in at.button if b.label == t(lang, "tr.join")).click().run()
    assert not at.exception, at.exception
    assert at.session_state[TC.GROUP]["name"] == name
    assert at.session_state["page"] == "whatif"
    return at


def _left(at: AppTest, lang: str, role: str = "judges") -> str:
    """The counter of ``role`` left to place, as shown."""
    label = t(lang, "tr.left", role=t(lang, f"staff.role.{role}"))
    return next(m.value for m in at.metric if m.label == label)


def _add_judge(at: AppTest, team: int) -> None:
    slider = at.slider(key=C.judge_key(team))
    slider.set_value(slider.value + 1).run()
    assert not at.exception, at.exception


def test_a_session_with_three_groups_and_a_trainer(room: Path):
    trainer = _app("zh")
    assert TC.TRAINER not in trainer.session_state
    trainer.text_input(key="tr_trainer_code").set_value("wrong")
    _click(trainer, "tr_trainer_open")
    assert any(t("zh", "tr.trainer_wrong") in e.value for e in trainer.error)
    trainer.text_input(key="tr_trainer_code").set_value("s3cret")
    _click(trainer, "tr_trainer_open")
    # the broken exercise is listed with its reason, the good one can be started
    assert trainer.selectbox(key="tr_exercise").options == ["新增一名法官"]
    assert any("limitz" in m.value for m in trainer.markdown)
    _click(trainer, "tr_start")
    code = trainer.session_state[TC.SESSION]
    assert TrainingStore(room).session(code).exercise == "one-judge"

    langs = ("zh", "zh", "en")
    groups = [_join("zh", code, "第一组"), _join("zh", code, "第二组"), _join("en", code, "Group 3")]
    g1 = groups[0]
    # the what-if page works on the exercise: its starting scenario with its seed and
    # replications, only the staff roles editable, no scenario picker, no dated changes
    assert g1.session_state[C.LOADED]["seed"] == 5 and g1.session_state[C.LOADED]["replications"] == 3
    assert not [b for b in g1.selectbox if b.key == "scenario_file"]
    assert any(c.value == t("zh", "trw.fixed") for c in g1.caption)
    # the starting plan is one judge short: the counter near the figures says so, submit is blocked
    assert _left(g1, "zh") == "1" and _left(g1, "zh", "assistants") == "0"
    assert g1.button(key="trw_submit").disabled
    assert any(t("zh", "trw.outside") in w.value and "还有 1 名法官待安排" in w.value for w in g1.warning)
    # a second group cannot take a name that is taken
    dup = _app("zh")
    dup.text_input(key="tr_join_code").set_value(code)
    dup.text_input(key="tr_join_name").set_value("第一组")
    next(b for b in dup.button if b.label == t("zh", "tr.join")).click().run()
    assert any("第一组" in e.value for e in dup.error) and TC.GROUP not in dup.session_state

    for at, team, lang in zip(groups, (0, 1, 2), langs):
        _add_judge(at, team)
        assert _left(at, lang) == "0"
        assert not at.button(key="trw_submit").disabled
        assert any(c.value == t(lang, "trw.within") for c in at.caption)
        _click(at, "trw_submit")
        assert any(s.value == t(lang, "tr.submitted") for s in at.success)
        # the figures on the page are the submitted plan's (edited against the starting plan)
        assert any(t(lang, "app.edited") in c.value for c in at.caption)
    mine = {g.name: g.plan for g in TrainingStore(room).groups(code)}
    names = [tm["name"] for tm in g1.session_state[C.LOADED]["teams"]]
    start = {tm["name"]: tm["judges"] for tm in g1.session_state[C.LOADED]["teams"]}
    for name, team in (("第一组", 0), ("第二组", 1), ("Group 3", 2)):
        assert mine[name].teams[names[team]].judges == start[names[team]] + 1
    # too many judges: blocked again, the message names the limit, the counter goes negative
    _add_judge(g1, 1)
    assert g1.button(key="trw_submit").disabled and _left(g1, "zh") == "-1"
    assert any("法官多安排了 1 名" in w.value for w in g1.warning)
    # in English too
    g3 = groups[2]
    _add_judge(g3, 0)
    assert g3.button(key="trw_submit").disabled
    assert any(t("en", "trw.outside") in w.value and "judges: 1 too many placed" in w.value for w in g3.warning), \
        [w.value for w in g3.warning]
    # what the group handed in stays the plan within the limits
    assert mine["第一组"].teams[names[1]].judges == start[names[1]]

    _click(trainer, "tr_refresh")
    ranking = trainer.dataframe[0].value
    assert len(ranking) == 3 + 1  # three groups and the starting plan
    assert set(ranking[t("zh", "tr.col.group")]) >= {"第一组", "第二组", "Group 3", "起始方案"}
    assert list(ranking[t("zh", "tr.col.rank")])[0] == "1"  # the best group ranks first

    _click(trainer, "tr_answer")
    assert len(trainer.dataframe[0].value) == 3 + 2  # and the best answer
    assert [b.key for b in trainer.get("download_button")] == ["tr_csv", "tr_xlsx", "tr_html"]
    _click(trainer, "tr_reveal")
    assert TrainingStore(room).session(code).revealed
    for at, lang in zip(groups, langs):
        at.run()  # on the what-if page: the reveal is announced there
        assert not at.exception
        assert any(i.value == t(lang, "trw.revealed") for i in at.info)
        _click(at, "trw_to_training")  # and shown on the training page
        assert at.session_state["page"] == "training"
        assert any(s.value == t(lang, "tr.reveal_title") for s in at.subheader)
    assert any("Debrief: look at the bottleneck" in m.value for m in groups[2].markdown)
    assert any(c.value.startswith("Your group has submitted 1 time(s)") for c in groups[2].caption)


def test_without_a_trainer_code_there_is_no_trainer_view(room: Path, monkeypatch):
    monkeypatch.delenv(TC.TRAINER_ENV)
    at = _app("en")
    assert not [e for e in at.expander if e.label == t("en", "tr.trainer_signin")]
    assert at.text_input(key="tr_join_code") is not None


def test_a_group_page_watches_for_the_reveal_on_a_timer(room: Path, monkeypatch):
    """AppTest cannot fire timers: the group page must register a timer fragment (every few
    seconds) whose check sees the trainer's reveal without the group doing anything."""
    import streamlit as st

    from ui import training_view as TV

    timers = []
    real = st.fragment

    def spy(func=None, *, run_every=None, **kw):
        wrapped = real(func, run_every=run_every, **kw)

        def call(*args):
            timers.append((func, run_every, args))
            return wrapped(*args)
        return call

    monkeypatch.setattr(st, "fragment", spy)
    store = TrainingStore(room)
    code = store.create("one-judge")
    group = _join("zh", code, "第一组")  # on the what-if page, working on the exercise
    assert not any(i.value == t("zh", "trw.revealed") for i in group.info)
    watch = [(every, args) for f, every, args in timers if f is TV.watch]
    assert watch, timers
    every, args = watch[-1]
    assert every is not None and every <= 5 and args[0] == code
    assert not TV.reveal_changed(*args)  # nothing new: the timer does not redraw the page
    store.reveal(code)
    assert TV.reveal_changed(*args)  # the trainer revealed: the next tick redraws the page
    group.run()  # what that redraw shows: the group is on the what-if page, which says so
    assert any(i.value == t("zh", "trw.revealed") for i in group.info)
    assert not TV.reveal_changed(*[a for f, _, a in timers if f is TV.watch][-1])  # the redrawn page is up to date
