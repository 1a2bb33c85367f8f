"""The training page in AppTest (issue 13, part 3): a trainer and three groups run a whole
session — start, join, plans within the limits only, submissions, ranking, best answer, reveal,
exports — in Chinese and English; without a trainer code set there is no trainer view."""
from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sim.training.session import TrainingStore
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
    at = _app(lang)
    at.text_input(key="tr_join_code").set_value(code.lower())
    at.text_input(key="tr_join_name").set_value(name)
    next(b for b in at.button if b.label == t(lang, "tr.join")).click().run()
    assert not at.exception, at.exception
    assert at.session_state[TC.GROUP]["name"] == name
    return at


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

    groups = [_join("zh", code, "第一组"), _join("zh", code, "第二组"), _join("en", code, "Group 3")]
    # the starting plan is one judge short: the counter says so and submit is blocked
    g1 = groups[0]
    assert [m.value for m in g1.metric][:1] == ["1"]
    assert g1.button(key="tr_submit").disabled
    # a second group cannot take a name that is taken
    dup = _app("zh")
    dup.text_input(key="tr_join_code").set_value(code)
    dup.text_input(key="tr_join_name").set_value("第一组")
    next(b for b in dup.button if b.label == t("zh", "tr.join")).click().run()
    assert any("第一组" in e.value for e in dup.error) and TC.GROUP not in dup.session_state

    for at, team in zip(groups, (0, 1, 2)):
        box = at.number_input(key=f"tr_judges_{team}")
        box.set_value(box.value + 1).run()
        assert not at.exception and not at.button(key="tr_submit").disabled
        _click(at, "tr_submit")
        assert len(at.metric) >= 5  # the group's figures after submitting
    # too many judges: blocked again, with the reason
    over = groups[0].number_input(key="tr_judges_1")
    over.set_value(over.value + 1).run()
    assert groups[0].button(key="tr_submit").disabled
    assert any("多安排了 1 名" in w.value for w in groups[0].warning)

    _click(trainer, "tr_refresh")
    ranking = trainer.dataframe[0].value
    assert len(ranking) == 3 + 1  # three groups and the starting plan
    assert set(ranking[t("zh", "tr.col.group")]) >= {"第一组", "第二组", "Group 3", "起始方案"}
    assert list(ranking[t("zh", "tr.col.rank")])[0] == "1"  # the best group ranks first

    _click(trainer, "tr_answer")
    assert len(trainer.dataframe[0].value) == 3 + 2  # and the best answer
    assert len(trainer.get("download_button")) == 2
    _click(trainer, "tr_reveal")
    assert TrainingStore(room).session(code).revealed
    for at, lang in zip(groups, ("zh", "zh", "en")):
        at.run()
        assert not at.exception
        assert any(s.value == t(lang, "tr.reveal_title") for s in at.subheader)
    assert any("Debrief: look at the bottleneck" in m.value for m in groups[2].markdown)


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
    group = _join("zh", code, "第一组")
    assert not any(s.value == t("zh", "tr.reveal_title") for s in group.subheader)
    watch = [(every, args) for f, every, args in timers if f is TV.watch]
    assert watch, timers
    every, args = watch[-1]
    assert every is not None and every <= 5 and args[0] == code
    assert not TV.reveal_changed(*args)  # nothing new: the timer does not redraw the page
    store.reveal(code)
    assert TV.reveal_changed(*args)  # the trainer revealed: the next tick redraws the page
    group.run()  # what that redraw shows
    assert any(s.value == t("zh", "tr.reveal_title") for s in group.subheader)
    assert not TV.reveal_changed(*[a for f, _, a in timers if f is TV.watch][-1])  # the redrawn page is up to date
