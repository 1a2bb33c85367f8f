"""Presenter mode for a projector, opened from the address (``?view=present``): large type, no
sidebar, one figure or chart at a time, and the case flow as a moving picture.

The plan shown is the one the address holds (scenario and edits, as on the what-if page: the
sidebar is built, so the same settings are read, but hidden). Slides: each headline figure with
its interval and verdict, each chart of the what-if page, then the case flow; the arrows (or
the slide picker) move between them. Remove ``view=present`` from the address to leave.
"""
from __future__ import annotations

import streamlit as st

from sim.vocabulary.figure_format import figure_name, figure_value
from sim.vocabulary.figure_registry import REGISTRY

from .cards import interval_caption, verdict_markdown
from .charts import CHARTS
from .engine import attach, get_results
from .chart_spec import draw_chart
from .flow_view import render_flow
from .i18n import t, t_md
from .inputs import sidebar_or_error

VIEW, PRESENT = "view", "present"
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


def wanted() -> bool:
    """True when the address asks for presenter mode."""
    return st.query_params.get(VIEW) == PRESENT


def slides() -> list[tuple[str, str]]:
    """(kind, name) of every slide in order: figures, charts, the case flow."""
    return [("figure", f) for f in FIGURES] + [("chart", name) for name, _ in CHARTS] + [("flow", "flow")]


def _title(lang: str, slide: tuple[str, str]) -> str:
    kind, name = slide
    if kind == "figure":
        return figure_name(lang, name)
    return t(lang, "flow.title") if kind == "flow" else t(lang, f"pr.chart.{name}")


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
    cols = st.columns([1, 6, 1])
    cols[0].button("◀", key="pr_prev", help=t(lang, "pr.prev"), disabled=s[SLIDE] == 0,
                   on_click=lambda: s.__setitem__(SLIDE, max(0, s[SLIDE] - 1)))
    cols[1].selectbox(t(lang, "pr.slide"), list(range(len(order))), key=SLIDE, label_visibility="collapsed",
                      format_func=lambda i: f"{i + 1}/{len(order)} · {_title(lang, order[i])}")
    cols[2].button("▶", key="pr_next", help=t(lang, "pr.next"), disabled=s[SLIDE] >= len(order) - 1,
                   on_click=lambda: s.__setitem__(SLIDE, min(len(order) - 1, s[SLIDE] + 1)))
    st.caption(t_md(lang, "pr.scenario", name=scn.name, reps=scn.replications, seed=scn.seed))
    kind, name = order[s[SLIDE]]
    if kind == "figure":
        stat = res.summary()[name]
        with st.container(key="pr_figure"):
            st.metric(figure_name(lang, name), figure_value(lang, name, stat.mean))
        st.markdown(interval_caption(lang, name, stat))
        tgt = res.targets().get(name)
        if tgt is not None:
            st.markdown(verdict_markdown(lang, name, tgt))
        st.markdown(REGISTRY[name].definition(lang))
    elif kind == "chart":
        fn = dict(CHARTS)[name]
        st.subheader(t(lang, f"pr.chart.{name}"))
        draw_chart(res, ("present", name, lang), lambda: fn(lang, res), key=f"pr_chart_{name}")
        st.markdown(t(lang, f"chart.{name}.caption"))
    else:
        st.subheader(t(lang, "flow.title"))
        render_flow(lang, res, key="pr_flow", width=700, height=440)
    st.caption(t(lang, "pr.leave"))
