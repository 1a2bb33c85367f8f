"""Presenter mode for a projector (the page at ``/present``; old ``?view=present`` links lead there): large type, no sidebar, one figure or
chart at a time, and the case flow as a moving picture. The trainer's view opens it with one
click (:func:`link`: a new tab showing the session's starting plan or the best answer).

The plan shown is the one the address holds (scenario and edits, as on the what-if page: the
sidebar is built, so the same settings are read, but hidden). Slides: each headline figure with
its interval and verdict, each chart of the what-if page, then the case flow; the arrows (or
the slide picker) move between them. Each slide carries what it refers to: a verdict marked
doubtful has the warnings that undermine it on the same slide, and a chart's title is said once
(as the slide's heading; the chart is drawn without its own). "Leave presenter mode" goes to
the what-if page with the same plan.
"""
from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from sim.model.scenario import Scenario, load_scenario, scenario_to_dict
from sim.vocabulary.figure_format import figure_name, figure_value
from sim.vocabulary.figure_registry import REGISTRY

from ..i18n import t, t_md
from ..runs.service import attach, get_results
from ..widgets.cards import interval_caption, verdict_markdown
from ..widgets.chart_spec import draw_chart
from ..widgets.charts import CHARTS
from ..widgets.flow_view import render_flow
from ..widgets.inputs import sidebar_or_error
from ..widgets.scenario_choices import SCENARIO_DIR
from ..widgets.warnings_view import render_warnings
from . import go

SLIDE = "pr_slide"
#: figures shown one per slide: the within-limit rate and each track's, then the headline figures
FIGURES = ("within_limit_rate", "within_limit_rate_simple", "within_limit_rate_complex", "clearance_rate",
           "pending_end", "overdue_pending_end", "long_pending_end", "disposition_days_mean", "judge_utilisation",
           "closures_per_judge")

CSS = """
<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stSidebarNav"] { display: none !important; }
.stApp { font-size: 1.45rem; }
.stApp [data-testid="stMarkdownContainer"] p { font-size: 1.45rem; line-height: 1.5; }
.st-key-pr_figure [data-testid="stMetricValue"], .st-key-pr_figure [data-testid="stMetricValue"] * {
  font-size: 7rem !important; line-height: 1.15 !important; }
.st-key-pr_figure [data-testid="stMetricLabel"], .st-key-pr_figure [data-testid="stMetricLabel"] * {
  font-size: 2.4rem !important; line-height: 1.3 !important; }
.block-container { max-width: 96vw !important; padding-top: 1.5rem !important; }
</style>
"""


def slides() -> list[tuple[str, str]]:
    """(kind, name) of every slide in order: figures, charts, the case flow."""
    return [("figure", f) for f in FIGURES] + [("chart", name) for name, _ in CHARTS] + [("flow", "flow")]


def link(lang: str, file: str, scn: Scenario) -> str:
    """The address of presenter mode showing ``scn``, a plan made from the built-in scenario
    ``file`` (as the what-if page's address holds it: the file and the edits)."""
    from .. import address as A

    base = scenario_to_dict(load_scenario(SCENARIO_DIR / file))
    params = {A.SCN: file}
    if lang != A.DEFAULT_LANG:
        params[A.LANG] = lang
    edits = A.encode_edits(A.differences(base, scenario_to_dict(scn)))
    if edits:
        params[A.EDITS] = edits
    return "./present?" + urlencode(params)


def _leave() -> None:
    """Back to the what-if page, same plan (its address is written again by the page)."""
    go("whatif")


def _title(lang: str, slide: tuple[str, str]) -> str:
    kind, name = slide
    if kind == "figure":
        return figure_name(lang, name)
    return t(lang, "flow.title") if kind == "flow" else t(lang, f"chart.{name}.title")


def page(lang: str) -> None:
    """The presenter's screen."""
    st.html(CSS)
    inp = sidebar_or_error(lang)
    if inp is None:
        return
    scn = inp.scenario if inp.scenario is not None else inp.loaded
    live = attach(scn, scn.replications, scn.seed)
    if live.final:
        res = live.results
    else:
        bar = st.progress(0.0, text=t(lang, "pr.running"))
        res = get_results(scn, scn.replications, scn.seed,
                          lambda d, n: bar.progress(d / n, text=t(lang, "pr.running"))).results
        bar.empty()
    order = slides()
    s = st.session_state
    s.setdefault(SLIDE, 0)
    # one row at any width (columns were stacked on a phone, the arrows above and under the picker)
    nav = st.container(horizontal=True, vertical_alignment="center", key="pr_nav")
    nav.button("◀", key="pr_prev", help=t(lang, "pr.prev"), disabled=s[SLIDE] == 0,
               on_click=lambda: s.__setitem__(SLIDE, max(0, s[SLIDE] - 1)))
    nav.selectbox(t(lang, "pr.slide"), list(range(len(order))), key=SLIDE, label_visibility="collapsed",
                  format_func=lambda i: f"{i + 1}/{len(order)} · {_title(lang, order[i])}")
    nav.button("▶", key="pr_next", help=t(lang, "pr.next"), disabled=s[SLIDE] >= len(order) - 1,
               on_click=lambda: s.__setitem__(SLIDE, min(len(order) - 1, s[SLIDE] + 1)))
    st.caption(t_md(lang, "pr.scenario", name=scn.name_in(lang), reps=scn.replications, seed=scn.seed))
    kind, name = order[s[SLIDE]]
    if kind == "figure":
        stat = res.summary()[name]
        with st.container(key="pr_figure"):
            st.metric(figure_name(lang, name), figure_value(lang, name, stat.mean))
        st.markdown(interval_caption(lang, name, stat))
        tgt = res.targets().get(name)
        if tgt is not None:
            if tgt["verdict"] == "met" and tgt.get("doubtful"):
                render_warnings(lang, res)  # the caution its "doubtful, see above" points to
            st.markdown(verdict_markdown(lang, name, tgt))
        st.markdown(REGISTRY[name].definition(lang))
    elif kind == "chart":
        fn = dict(CHARTS)[name]
        st.subheader(t(lang, f"chart.{name}.title"))
        draw_chart(res, ("present", name, lang), lambda: fn(lang, res), key=f"pr_chart_{name}", title=False)
        st.markdown(t(lang, f"chart.{name}.caption"))
    else:  # the picture's own title names the month shown
        render_flow(lang, res, key="pr_flow", width=700, height=440)
    st.button(t(lang, "pr.leave"), key="pr_leave", on_click=_leave, help=t(lang, "pr.leave_help"))
