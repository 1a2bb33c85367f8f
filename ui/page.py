"""The page: sidebar inputs → engine (cached, with progress) → cards, charts, table, downloads."""
from __future__ import annotations

import streamlit as st

from sim.results import Results
from sim.runner import scenario_key
from sim.scenario import FieldError, Scenario, ScenarioError

from . import controls as C
from .cards import all_figures_table, render_cards
from .charts import render_charts
from .downloads import render_downloads
from .engine import cache_key, get_results, results_cache, warm_pool
from .i18n import error_text, fmt_number, t
from .inputs import InputState, establishment_notice, keep_whatif_state, language_selector, sidebar
from .staffing import render_editor as render_staffing_editor

LAST_VALID = "_last_valid"  # (scenario, results) of the last valid settings


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
                return f"{loaded['case_types'][i]['name']} · {label}"
            if sp.group.startswith("proc_"):
                p = loaded["procedures"][sp.group[5:]]
                return f"{p.get('label_zh' if lang == 'zh' else 'label_en') or sp.group[5:]} · {label}"
            return label
    return where


def _show_errors(lang: str, inp: InputState) -> None:
    lines = []
    for where, errs in inp.placed.items():
        for e in errs:
            lines.append(f"- **{_where(lang, where, st.session_state[C.LOADED])}**：{error_text(lang, e)}"
                         if lang == "zh" else
                         f"- **{_where(lang, where, st.session_state[C.LOADED])}**: {error_text(lang, e)}")
    st.error(t(lang, "app.invalid_title") + "\n\n" + "\n".join(lines), icon=":material/warning:")


def _results(lang: str, scn: Scenario, text_key: str, slot) -> tuple[Results, bool, float]:
    """Cached results, or a run with a progress bar (in ``slot``) that disappears when done."""
    n, seed = scn.replications, scn.seed
    hit = results_cache().get(cache_key(scn, n, seed))
    if hit is not None:
        return hit, True, 0.0
    bar = slot.progress(0.0, text=t(lang, text_key, done=0, total=n))

    def progress(done: int, total: int) -> None:
        bar.progress(done / total, text=t(lang, text_key, done=done, total=total))

    out = get_results(scn, n, seed, progress)
    slot.empty()
    return out.results, out.cached, out.seconds


def main() -> None:
    """Language switch, page picker, then the chosen page."""
    lang = language_selector()
    pages = available_pages()
    if len(pages) > 1:
        page = st.sidebar.radio(t(lang, "nav.label"), options=list(pages), key="page", horizontal=True,
                                format_func=lambda p: t(lang, f"nav.{p}"), help=t(lang, "nav.help"))
    else:
        page = "whatif"
    if page != "whatif":
        keep_whatif_state()  # the what-if page's edits survive a visit to another page
    pages[page](lang)


def available_pages() -> dict:
    """The app's pages in menu order: the what-if page, then comparison and advisor pages.

    Each page is a module in ui/ with ``page(lang)``; one that is missing is left out of the
    menu rather than breaking the app.
    """
    import importlib

    out = {"whatif": whatif_page}
    for name, module in (("compare", "ui.compare_view"), ("advisor", "ui.advisor_view")):
        try:
            out[name] = importlib.import_module(module).page
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
    return out


def whatif_page(lang: str) -> None:
    """The what-if page: sidebar inputs, figures, charts, downloads."""
    try:
        inp = sidebar(lang)
    except (ScenarioError, FileNotFoundError) as exc:
        errs = exc.errors if isinstance(exc, ScenarioError) else [FieldError(path="", message=str(exc))]
        st.error(t(lang, "app.run_failed", msg="; ".join(error_text(lang, e) for e in errs)))
        return

    st.title(t(lang, "app.title"))
    render_staffing_editor(lang, inp.errors)  # drawn even when the settings are invalid, to fix them
    # a fixed place for the progress bar: inserting it would shift every element below, and
    # the browser would briefly show stale and fresh copies of the cards side by side
    slot = st.empty()
    scn = inp.scenario
    if scn is None:
        _show_errors(lang, inp)
        last = st.session_state.get(LAST_VALID)
        if last is None:
            st.info(t(lang, "app.no_results"))
            render_downloads(lang, None, None)
            return
        st.caption(t(lang, "app.showing_last"))
        scn, res = last
        cached, seconds = True, 0.0
    else:
        warm_pool(inp.loaded)
        try:
            res, cached, seconds = _results(lang, scn, "app.progress", slot)
        except Exception as exc:  # an engine failure must not show a traceback
            st.error(t(lang, "app.run_failed", msg=str(exc)))
            return
        st.session_state[LAST_VALID] = (scn, res)

    # the loaded scenario, run with the same replications and seed: the reference for the changes
    ref = inp.loaded.model_copy(update={"replications": scn.replications, "seed": scn.seed})
    base = None
    edited = scenario_key(ref) != scenario_key(scn)
    if edited:
        try:
            base, _, _ = _results(lang, ref, "app.progress_base", slot)
        except Exception:  # the comparison is a nicety; the figures stand on their own
            base = None

    st.markdown(t(lang, "app.scenario_line", name=scn.name, months=scn.horizon_months,
                  start=scn.start_date.isoformat(), reps=scn.replications, seed=scn.seed))
    status = t(lang, "app.edited") if edited else t(lang, "app.unedited")
    timing = t(lang, "app.cached") if cached else t(lang, "app.run_time", sec=fmt_number(seconds, 1))
    st.caption(f"{t(lang, 'app.subtitle', reps=scn.replications)}  \n{status} · {timing}")

    st.subheader(t(lang, "app.section_cards"))
    notice = establishment_notice(lang, inp.loaded, [tm.model_dump() for tm in scn.teams])
    if notice:  # the figures below need staff the loaded plan does not have (or leave some out)
        st.warning(notice, icon=":material/group_add:")
    render_cards(lang, res, base)
    st.subheader(t(lang, "app.section_charts"))
    render_charts(lang, res)
    with st.expander(t(lang, "app.section_all")):
        st.dataframe(all_figures_table(lang, res), hide_index=True, width="stretch")
    if scn.description:
        with st.expander(t(lang, "app.description")):
            st.write(scn.description)
    st.subheader(t(lang, "app.section_downloads"))
    render_downloads(lang, inp.scenario, res)
