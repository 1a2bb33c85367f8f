"""The what-if page: sidebar inputs → engine (cached, shared, progressive) → cards, charts, table, downloads.

A setting not seen before is drawn as soon as its first replications have finished, marked as
preliminary; a fragment then redraws the status and cards every half second as more
replications finish and, once all have, reruns the page to draw the final figures (which
stops the polling).
"""
from __future__ import annotations

import time
from typing import Optional

import streamlit as st

from sim.analysis.run_settings import settings
from sim.analysis.runner import scenario_key
from sim.model.scenario import Scenario
from sim.vocabulary.safe_text import md_escape
from ui.runs.service import Live, attach, warm_pool

from .. import address, trace
from ..i18n import case_type_label, error_md, error_text, fmt_number, t, t_md
from ..runs import polling, run_ahead
from ..widgets import controls as C
from ..widgets import moves
from ..widgets.cards import procedures_frame, render_cards, show_figures_table
from ..widgets.charts import render_charts
from ..widgets.downloads import render_downloads
from ..widgets.flow_view import render_flow
from ..widgets.inputs import InputState, sidebar_or_error
from ..widgets.plan_bar import render as render_plan_bar
from ..widgets.scenario_choices import LAST_VALID
from ..widgets.staffing import MSG as STAFF_MSG
from ..widgets.staffing import render_editor as render_staffing_editor
from ..widgets.store_panel import MSG as STORE_MSG
from ..widgets.team_inputs import establishment_notice
from ..widgets.warnings_view import render_warnings
from . import training_common as TC
from . import training_whatif as TW

FLAGS = settings().flags  # the session keys the run machinery keeps between runs (docs/runs.md)
PRELIM_KEY = "prelim"  # container of the preliminary marker (class st-key-prelim in the browser)
ONE_SHOT = (STAFF_MSG, STORE_MSG, TC.MSG)  # messages shown once, after the action that caused them


def _where(lang: str, where: str, loaded: dict) -> str:
    """Human name of the control an error belongs to, for the summary above the results."""
    if where == "":
        return t(lang, "err.where.general")
    anchors = {"teams": "sb.exp.teams", "case_types": "sb.ct.header", "procedures": "sb.proc.header",
               "demand.monthly_profile": "sb.profile", C.CHANGES_ANCHOR: "staff.where"}
    if where in anchors:
        return t(lang, anchors[where])
    for sp in C.specs_for(loaded):
        if sp.key == where:
            label = t(lang, f"ctl.{sp.label}")
            if sp.group.startswith("ct"):
                i = int(sp.group[2:])
                return f"{case_type_label(lang, loaded['case_types'][i])} · {label}"
            if sp.group.startswith("proc_"):
                p = loaded["procedures"][sp.group[5:]]
                return f"{p.get('label_zh' if lang == 'zh' else 'label_en') or sp.group[5:]} · {label}"
            return label
    return where


def _show_errors(lang: str, inp: InputState) -> None:
    lines = []
    for where, errs in inp.placed.items():
        for e in errs:
            # a case type's or a procedure's name is the scenario's, so part of the place is the user's
            place = md_escape(_where(lang, where, st.session_state[C.LOADED]))
            lines.append(f"- **{place}**：{error_md(lang, e)}" if lang == "zh" else f"- **{place}**: {error_md(lang, e)}")
    st.error(t(lang, "app.invalid_title") + "\n\n" + "\n".join(lines), icon=":material/warning:")


def keep_one_shot_messages() -> None:
    """Show messages like "change added" again in the rerun that replaces preliminary figures.

    Such messages are shown once, in the run after the action; the rerun the figures' fragment
    asks for when the last replication is in would otherwise wipe them a second later.
    """
    s = st.session_state
    s[FLAGS.shown_final] = True
    if s.pop(FLAGS.auto_rerun, False):
        for k, v in (s.get(FLAGS.one_shot_kept) or {}).items():
            s.setdefault(k, v)
    s[FLAGS.one_shot_kept] = {k: s[k] for k in ONE_SHOT if k in s}


def page(lang: str) -> None:
    """The what-if page: sidebar inputs, figures, charts, downloads. A training group works on
    its exercise here (:mod:`ui.pages.training_whatif`): its sidebar, and the exercise bar above the
    figures instead of the dated staffing changes.

    The main area's first two places are made before the sidebar is drawn: the title and the
    staffing editor (``top``), then the status and cards (``head``). When the setting's figures
    are already there as the run starts (run ahead, the cache, a shared run), they are drawn
    into ``head`` before the sidebar, so they reach the browser first: the sidebar takes a
    tenth of a second to draw on a quiet server and several tenths on a busy one.
    Preliminary figures drawn so early are the fragment that redraws them; its interval counts
    the sessions whose page runs started at the same moment (``ui/runs/polling.py``).
    """
    work = None
    polling.started(_session())
    top, head = st.container(), st.container()
    early: dict = {}

    def start(scn: Scenario, loaded: Scenario) -> None:
        _start(lang, head, early, scn, loaded)
    if TW.joined():
        work = TW.work(lang)
        if work is None:
            return
        inp: Optional[InputState] = TW.sidebar(lang, work, start=start)
    else:
        inp = sidebar_or_error(lang, start=start)
    trace.mark("sidebar")
    if inp is None:
        return

    with top:
        st.title(t(lang, "app.title"))
        render_plan_bar(lang, editable=work is None or "judges" in work.ex.limits.change)
        if work is not None:
            TW.bar(lang, work)
        else:
            render_staffing_editor(lang, inp.errors)  # drawn even when the settings are invalid, to fix them
        if st.session_state.get(address.TOO_LONG):
            st.caption(t(lang, "url.too_long"))
        scn = inp.scenario
        if scn is None:
            _show_errors(lang, inp)
            last = st.session_state.get(LAST_VALID)
            if last is None:
                st.info(t(lang, "app.no_results"))
                render_downloads(lang, None, None)
                return
            st.caption(t(lang, "app.showing_last"))
            scn = last[0]  # its results are in the cache (or its shared run is still going)
        else:
            warm_pool(inp.loaded)
    ref = _reference(inp.loaded, scn)
    if early.get("key") == scenario_key(scn):
        final, live = early["final"], early["live"]
    else:
        with head:
            try:
                live = _first_results(lang, scn)
            except Exception as exc:  # an engine failure must not show a traceback
                st.error(t_md(lang, "app.run_failed", msg=error_text(lang, exc)))
                return
            final = _draw_head(lang, scn, live, ref, inp.scenario is None)
    _rest(lang, inp, scn, live)
    # (an exercise's sliders may be locked: nothing to run ahead for)
    if work is None and (final or not polling.busy()):
        # while preliminary, queued now: the plans one step away run the moment this setting's
        # last replication is in, not after the final page is drawn (with many sessions
        # waiting, their page runs come first: queued with the final figures)
        run_ahead.queue(inp, inp.scenario)


def _draw_head(lang: str, scn: Scenario, live: Live, ref: Scenario, invalid: bool) -> bool:
    """Status and cards: drawn once when every replication (and the reference's) is in, else a
    fragment redrawn as replications finish (``ui/runs/polling.py``). Returns whether final.

    While preliminary the charts, costly to draw for every session each time, are drawn from
    the first replications and once more with the final figures.
    """
    edited = scenario_key(ref) != scenario_key(scn)
    base = _base(ref) if edited else None
    if live.final and (base is None or base.final):
        polling.done(_session())
        _head(lang, scn, live, base, ref if edited else None, invalid)
        return True
    st.session_state[FLAGS.inline] = True
    every = st.session_state[FLAGS.poll_every] = polling.interval(_session())
    try:
        st.fragment(_live_head, run_every=every)(lang, scn, ref if edited else None, invalid)
    finally:
        st.session_state[FLAGS.inline] = False
    return False


def _first_results(lang: str, scn: Scenario) -> Live:
    """The setting's results, waiting here (up to ``first_wait`` seconds, docs/runs.md) for its first replication.

    Why wait in the page run rather than leave it to the polling fragment: the fragment's
    reruns are timed by the browser, so a busy browser would hold back figures the server
    already has. The wait is in short steps, each updating a progress bar: drawing is where
    Streamlit stops a run that a newer move has made obsolete, so a quick second move is
    not kept waiting.
    """
    live = attach(scn, scn.replications, scn.seed)
    if live.results is not None or live.job is None:
        return live
    polling.still_waiting(_session())   # counts from now, not from its first figures
    slot = st.empty()
    cfg = settings()
    deadline = time.monotonic() + cfg.first_wait
    while live.results is None and not live.job.finished and time.monotonic() < deadline:
        slot.progress(live.done / live.replications,
                      text=t(lang, "app.waiting", done=live.done, total=live.replications, first=cfg.preliminary))
        live.job.wait(cfg.preliminary, cfg.wait_step)
        live = attach(scn, scn.replications, scn.seed)
    slot.empty()
    return live


def _start(lang: str, head, early: dict, scn: Scenario, loaded: Scenario) -> None:
    """Before the sidebar is drawn: draw the setting's figures into ``head`` if they are there,
    else queue its replications, so the first figures are not kept waiting for the sidebar.

    A setting still running counts this session as waiting from now, before its preliminary
    figures are drawn, so that sessions moving at the same moment all count when the first of
    them sets how often its figures are redrawn (``ui/runs/polling.py``). ``early`` gets the
    setting's key and whether its figures were final, for the rest of the page run.
    """
    try:
        live = attach(scn, scn.replications, scn.seed)
    except Exception:  # the page run attaches again and shows the error in place
        return
    if not live.final:
        polling.still_waiting(_session())
    if live.results is None:
        return  # the page run waits for the first replication after the sidebar
    with head:
        early["final"] = _draw_head(lang, scn, live, _reference(loaded, scn), False)
    early["key"], early["live"] = scenario_key(scn), live


RUN_SETTINGS = ("horizon_months", "start_date", "replications", "seed")


def _reference(loaded: Scenario, scn: Scenario) -> Scenario:
    """The reference for the changes the cards show: the loaded scenario run like ``scn``, with
    its horizon, start, replications and seed. Like with like: a 12-month plan's end against
    the loaded plan's end after 12 months, not after its own 24, and replication by replication
    the same disputes (common random numbers), so the change is the plan's alone."""
    return loaded.model_copy(update={k: getattr(scn, k) for k in RUN_SETTINGS})


def _reference_note(lang: str, ref: Scenario, base: Optional[Live]) -> Optional[str]:
    """Under the status: that the changes are against the loaded plan run again with this
    plan's settings, when they differ from its own (and how far that run is); else None."""
    if TW.joined():  # an exercise fixes the settings: its reference is always run with them
        return None
    own = st.session_state[C.LOADED]
    if all(str(own.get(k)) == str(getattr(ref, k)) for k in RUN_SETTINGS):
        return None
    note = t(lang, "app.reference_rerun", months=ref.horizon_months, start=ref.start_date.isoformat(),
             reps=ref.replications, seed=ref.seed)
    if base is not None and not base.final:
        note += t(lang, "app.reference_running", done=base.done, total=base.replications)
    return note


def _base(ref: Scenario) -> Optional[Live]:
    """The loaded scenario's results so far (for the changes); None if its run failed."""
    try:
        return attach(ref, ref.replications, ref.seed)
    except Exception:  # the comparison is a nicety; the figures stand on their own
        return None


def _live_head(lang: str, scn: Scenario, ref: Optional[Scenario], invalid: bool = False) -> None:
    """Status and cards while replications are still running (a fragment, redrawn as ui/runs/polling.py says)."""
    try:
        live = attach(scn, scn.replications, scn.seed)
    except Exception as exc:
        st.error(t_md(lang, "app.run_failed", msg=error_text(lang, exc)))
        return
    base = _base(ref) if ref is not None else None
    inline = st.session_state.get(FLAGS.inline)
    if live.final and (base is None or base.final) and not inline:
        polling.done(_session())
        st.session_state[FLAGS.auto_rerun] = True
        st.rerun()  # everything is in: draw the final page, which stops this polling
    every = polling.interval(_session())
    if not inline and every >= 2 * st.session_state.get(FLAGS.poll_every, every):
        # more sessions wait than when this fragment was set to redraw: a fragment's interval
        # is fixed when the page draws it, so draw the page again, with the longer interval
        st.session_state[FLAGS.auto_rerun] = True
        st.rerun()
    _head(lang, scn, live, base, ref, invalid)


def _session() -> str:
    """This browser session's id (what the server's redraw budget counts)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else ""


def _head(lang: str, scn: Scenario, live: Live, base: Optional[Live], ref: Optional[Scenario],
          invalid: bool = False) -> None:
    """Scenario line, status (final, or preliminary with a progress bar), headline cards.

    ``ref``: the reference the changes are against (None when the plan is the loaded one);
    ``invalid``: the settings have errors and ``scn`` is the last valid one; the status says so.
    """
    res = live.results
    edited = ref is not None
    st.markdown(t_md(lang, "app.scenario_line", name=scn.name_in(lang), months=scn.horizon_months,
                     start=scn.start_date.isoformat(), reps=scn.replications, seed=scn.seed))
    if invalid:  # the settings have errors: the figures are from the last valid settings
        status = t(lang, "app.status_invalid")
    else:
        status = t(lang, "app.edited") if edited else t(lang, "app.unedited")
    if live.final:
        timing = t(lang, "app.cached") if live.cached else t(lang, "app.run_time", sec=fmt_number(live.seconds, 1))
        st.session_state[LAST_VALID] = (scn, res)
    else:
        st.session_state[FLAGS.shown_final] = False
        timing = t(lang, "app.prelim", done=res.replications if res else 0, total=live.replications)
    st.caption(f"{t(lang, 'app.subtitle', reps=scn.replications)}  \n{status} · {timing}")
    note = _reference_note(lang, ref, base) if ref is not None else None
    if note:
        st.caption(note)
    if not live.final:
        with st.container(key=PRELIM_KEY):  # browser tests wait for this to go
            if res is None:
                st.progress(live.done / live.replications,
                            text=t(lang, "app.waiting", done=live.done, total=live.replications, first=settings().preliminary))
                return
            st.progress(res.replications / live.replications, text=timing)
    st.subheader(t(lang, "app.section_cards"))
    render_warnings(lang, res)
    loaded_teams, teams = st.session_state[C.LOADED].get("teams") or [], [tm.model_dump() for tm in scn.teams]
    notice = establishment_notice(lang, loaded_teams, teams)
    if notice:  # the figures below need staff the loaded plan does not have (or leave some out)
        st.warning(notice, icon=":material/group_add:")
    moved = moves.plan_note(lang, loaded_teams, teams)
    if moved:  # where the staff the changes below come from were taken (and given)
        st.info(moved, icon=":material/swap_horiz:")
    render_cards(lang, res, base.results if base is not None else None)
    trace.mark("cards:final" if live.final else f"cards:{res.replications}")


def _rest(lang: str, inp: InputState, scn: Scenario, live: Live) -> None:
    """Charts, all figures, description, downloads (the results table only when final)."""
    res = live.results
    if res is None:
        return
    st.subheader(t(lang, "app.section_charts"))
    if not live.final and polling.busy():
        # many sessions wait at once: the server's time goes to everyone's first figures;
        # the charts (the costliest part of a page to build and send) come with the final ones
        st.caption(t(lang, "poll.charts_later", total=live.replications))
    else:
        render_charts(lang, res)
        with st.expander(t(lang, "flow.title")):
            render_flow(lang, res)
    with st.expander(t(lang, "app.section_all")):
        show_figures_table(lang, res)
    with st.expander(t(lang, "proc.title")):
        st.caption(t(lang, "proc.caption"))
        st.dataframe(procedures_frame(lang, res), hide_index=True, width="stretch", key="proc_table")
    if scn.description_in(lang):
        with st.expander(t(lang, "app.description")):
            st.markdown(md_escape(scn.description_in(lang)))
    st.subheader(t(lang, "app.section_downloads"))
    render_downloads(lang, inp.scenario, res if live.final else None)
    if not live.final:
        st.caption(t(lang, "app.dl_after_final", total=live.replications))
