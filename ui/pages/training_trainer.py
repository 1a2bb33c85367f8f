"""The trainer's view of the training page, opened with the trainer code
(:mod:`sim.training.trainer_code`: the server's ``COURT_SIM_TRAINER_CODE``, or, without one, a
code the first trainer sets on the page).

The trainer starts a session of an exercise (a file that cannot be used is listed with its
reason), reads the session code out to the groups, watches submissions arrive and the ranking
form (paired intervals against the starting plan and the best answer; tied groups share a
rank), computes the best answer with the allocation advisor under the same limits, reveals the
answer and the debrief to everyone, and exports the results as CSV and as a one-page handout.
The starting plan and, once computed, the best answer open in presenter mode with one click.
"""
from __future__ import annotations

import streamlit as st

from sim.model.scenario import Scenario
from sim.training import trainer_code
from sim.training.answer import best_answer
from sim.training.exercise import Exercise, list_exercises
from sim.training.handout import handout_html, standings_csv, standings_xlsx
from sim.training.plan import plan_from_dict, plan_scenario
from sim.training.scoring import standings
from sim.training.session import SessionError
from sim.vocabulary.figure_format import figure_name, target_text
from sim.vocabulary.safe_text import md_escape

from ..i18n import error_text, t, t_md
from ..widgets.downloads import XLSX_MIME
from ..widgets.layout import show_table
from . import present as presenter
from . import training_common as TC

#: seconds between redraws of the trainer's ranking while groups submit
REFRESH_SECONDS = 5


def trainer_signin(lang: str) -> None:
    """The trainer's way in: the code, or on a server without one, setting it (typed twice)."""
    with st.container(border=True, key="tr_trainer_box"):
        if trainer_code.source() is None:
            st.caption(t(lang, "tr.code_first", lo=trainer_code.MIN_LEN))
            new = st.text_input(t(lang, "tr.code_new"), type="password", key="tr_code_new",
                                max_chars=trainer_code.MAX_LEN)
            again = st.text_input(t(lang, "tr.code_again"), type="password", key="tr_code_again",
                                  max_chars=trainer_code.MAX_LEN)
            if st.button(t(lang, "tr.code_set"), key="tr_code_set", type="primary"):
                try:
                    trainer_code.set_code(new, again)
                except SessionError as exc:
                    st.error(error_text(lang, exc))
                    return
                _signed_in(lang, t(lang, "tr.code_was_set"))
            return
        st.caption(t(lang, "tr.trainer_help"))
        code = st.text_input(t(lang, "tr.trainer_code"), type="password", key="tr_trainer_code",
                             max_chars=trainer_code.MAX_LEN)
        if st.button(t(lang, "tr.trainer_open"), key="tr_trainer_open", type="primary"):
            if trainer_code.check(code):
                _signed_in(lang, None)
            st.error(t(lang, "tr.trainer_wrong"))


def _signed_in(lang: str, msg: "str | None") -> None:
    st.session_state[TC.TRAINER] = True
    if msg:
        st.session_state[TC.MSG] = msg
    st.rerun()


def trainer_panel(lang: str) -> None:
    """The trainer's view: start or open a session, then run it."""
    _start(lang)
    code = st.session_state.get(TC.SESSION)
    if code:
        _session(lang, code)
    st.divider()
    c1, c2 = st.columns(2)
    c1.button(t(lang, "tr.sign_out"), key="tr_sign_out", on_click=_sign_out)
    if trainer_code.source() == "page":
        with c2.expander(t(lang, "tr.code_change")):
            _change_code(lang)


def _sign_out() -> None:
    st.session_state.pop(TC.TRAINER, None)


def _change_code(lang: str) -> None:
    now = st.text_input(t(lang, "tr.code_now"), type="password", key="tr_code_now", max_chars=trainer_code.MAX_LEN)
    new = st.text_input(t(lang, "tr.code_new"), type="password", key="tr_code_new2", max_chars=trainer_code.MAX_LEN)
    again = st.text_input(t(lang, "tr.code_again"), type="password", key="tr_code_again2",
                          max_chars=trainer_code.MAX_LEN)
    if st.button(t(lang, "tr.code_set"), key="tr_code_change"):
        try:
            trainer_code.set_code(new, again, current=now)
        except SessionError as exc:
            st.error(error_text(lang, exc))
            return
        st.success(t(lang, "tr.code_was_set"))


def _ranking(lang: str, ex: Exercise, start: Scenario, code: str) -> None:
    """Who has joined and submitted, and the ranking (redrawn every :data:`REFRESH_SECONDS`)."""
    store = TC.store()
    try:
        stand = standings(ex, start, store, code, TC.evaluator())
    except SessionError as exc:
        st.error(md_escape(error_text(lang, exc)))
        return
    groups = store.groups(code)
    st.caption(t(lang, "tr.counts", joined=len(groups), submitted=len(stand.rows)))
    if stand.waiting:
        st.caption(t_md(lang, "tr.waiting", names="、".join(stand.waiting) if lang == "zh" else ", ".join(stand.waiting)))
    for g in groups:
        if g.problem:
            st.warning(t_md(lang, "tr.group_bad", file=g.name, reason=g.problem))
    # every row fits: a class of 8-15 groups plus the starting plan and the answer
    show_table(TC.standings_table(lang, ex, start, stand, True), key="tr_ranking",
               pin=[t(lang, f"tr.col.{c}") for c in ("rank", "group")],
               first=[t(lang, f"tr.col.{c}") for c in ("mean", "verdict", "tied", "vs_start", "vs_best")],
               wrap={t(lang, f"tr.col.{c}"): px for c, px in (("group", 130), ("plan", 320), ("verdict", 140))},
               height=min(38 * (len(stand.rows) + 3) + 40, 800))


def _start(lang: str) -> None:
    entries = list_exercises()
    good = [e for e in entries if e.ok]
    bad = [e for e in entries if not e.ok]
    cols = st.columns([3, 1])
    pick = cols[0].selectbox(t(lang, "tr.exercise"), [e.id for e in good], key="tr_exercise",
                             format_func=lambda i: next(e.title(lang) for e in good if e.id == i))
    cols[1].write("")
    if cols[1].button(t(lang, "tr.start"), key="tr_start", type="primary", disabled=not good):
        st.session_state[TC.SESSION] = TC.store().create(pick)
        st.rerun()
    if bad:
        with st.expander(t(lang, "tr.bad_files", n=len(bad))):
            for e in bad:
                st.markdown(f"- **{md_escape(e.file.name)}**: " + md_escape(TC.problems_text(lang, e.problems)))
    others = [s.code for s in TC.store().sessions()]
    if others:
        cur = st.session_state.get(TC.SESSION)
        chosen = st.selectbox(t(lang, "tr.sessions"), others, index=others.index(cur) if cur in others else 0,
                              key="tr_pick_session")
        if chosen != cur and st.button(t(lang, "tr.open_session"), key="tr_open_session"):
            st.session_state[TC.SESSION] = chosen
            st.rerun()


def _present_links(lang: str, ex: Exercise, start: Scenario, code: str) -> None:
    """One click to presenter mode (a new tab): the starting plan, and the best answer once computed."""
    row = st.container(horizontal=True, key="tr_present")
    row.link_button(t(lang, "tr.present_start"), presenter.link(lang, ex.scenario, start), icon=":material/slideshow:",
                    help=t(lang, "tr.present_help"))
    ans = TC.store().load_answer(code)
    if ans and isinstance(ans.get("plan"), dict):
        answer = plan_scenario(ex, start, plan_from_dict(ans["plan"]))
        row.link_button(t(lang, "tr.present_answer"), presenter.link(lang, ex.scenario, answer),
                        icon=":material/slideshow:", help=t(lang, "tr.present_help"))


def _session(lang: str, code: str) -> None:
    got = TC.session_exercise(lang, code)
    if got is None:
        return
    ex, start = got
    store, ev = TC.store(), TC.evaluator()
    info = store.session(code)
    st.header(t(lang, "tr.session_is", code=code))
    st.subheader(md_escape(ex.title.get(lang)))
    st.caption(t(lang, "tr.deciding", figure=figure_name(lang, ex.deciding.figure),
                 target=target_text(lang, ex.deciding.figure, ex.deciding.target)))
    # buttons in a wrapping row, each as wide as its words (four equal columns cut "计算最佳…")
    row = st.container(horizontal=True, key="tr_actions")
    row.button(t(lang, "tr.refresh"), key="tr_refresh")
    if row.button(t(lang, "tr.compute_answer"), key="tr_answer", help=t(lang, "tr.compute_answer_help")):
        with st.spinner(t(lang, "tr.computing_answer")):
            ans = best_answer(ex, start, lambda p: ev.plan(ex, start, p, store, code))
        if ans is None:
            st.warning(t(lang, "tr.no_answer"))
        else:
            store.save_answer(code, ans.to_dict())
    if row.button(t(lang, "tr.hide") if info.revealed else t(lang, "tr.reveal"), key="tr_reveal",
                  type="secondary" if info.revealed else "primary"):
        store.reveal(code, not info.revealed)
        st.rerun()
    _present_links(lang, ex, start, code)
    try:
        with st.spinner(t(lang, "tr.running")):
            stand = standings(ex, start, store, code, ev)
    except SessionError as exc:
        st.error(md_escape(error_text(lang, exc)))
        return
    # submissions as they arrive: the counts and the ranking redraw on their own every few seconds
    st.fragment(_ranking, run_every=REFRESH_SECONDS)(lang, ex, start, code)
    st.caption(t(lang, "tr.rule"))
    if info.revealed:
        st.info(md_escape(ex.debrief.get(lang)))
    # made when clicked, without a rerun: see ui.widgets.downloads.render_downloads
    d1, d3, d2 = st.columns(3)
    d1.download_button(t(lang, "tr.csv"), lambda: standings_csv(ex, start, stand, lang).encode("utf-8"),
                       file_name=f"training-{code}.csv", mime="text/csv", key="tr_csv", on_click="ignore")
    d3.download_button(t(lang, "tr.xlsx"), lambda: standings_xlsx(ex, start, stand, lang),
                       file_name=f"training-{code}.xlsx", mime=XLSX_MIME, key="tr_xlsx", on_click="ignore")
    d2.download_button(t(lang, "tr.handout"), lambda: handout_html(ex, start, stand, code, lang, info.revealed).encode("utf-8"),
                       file_name=f"training-{code}.html", mime="text/html", key="tr_html", on_click="ignore")
