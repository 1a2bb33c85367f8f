"""The case flow as a moving picture (what-if page expander and presenter mode): the picture of
one month and the teams' pending cases by time-limit status under it
(:func:`sim.report.flow_spec.flow_charts`), a month slider, and a play button that steps through
the months and leaves the slider on the month it stopped on. The counts are the engine's
monthly output carried by the results.

The picture is laid out at a fixed design size (its labels placed so that none meet) and, where
the page is narrower, shrunk to the page's width as a whole (:data:`CSS`), so it never runs
off the page; the status bars are drawn as wide as the page.
"""
from __future__ import annotations

import time

import streamlit as st

from sim.analysis.results import Results
from sim.report.flow_spec import flow_charts

from ..i18n import month_label, t
from .chart_spec import draw_chart

#: seconds each month stays on screen while playing
FRAME_SECONDS = 0.8

#: the picture (an SVG with a view box) shrinks with its container instead of overflowing it
CSS = """<style>
[class*="-flowpic"] [data-testid="stVegaLiteChart"], [class*="-flowpic"] [data-testid="stVegaLiteChart"] > * {
  max-width: 100% !important; }
[class*="-flowpic"] svg { max-width: 100% !important; height: auto !important; }
</style>"""


def render_flow(lang: str, res: Results, key: str = "flow", width: int = 600, height: int = 340) -> None:
    """Slider, play button and the picture of the chosen month (nothing without flow counts)."""
    if not res.flow_reps:
        st.caption(t(lang, "flow.none"))
        return
    flow = res.flow()
    labels = res.month_labels
    st.caption(t(lang, "flow.caption", reps=res.replications))
    # after Play, the slider moves to the month the picture stopped on: a widget's value can be
    # set only before it is drawn, so Play leaves the month here and reruns (see below)
    last = st.session_state.pop(f"{key}_played_to", None)
    if last is not None:
        st.session_state[f"{key}_month"] = min(int(last), len(labels) - 1)
    cols = st.columns([5, 1])
    month = cols[0].select_slider(t(lang, "flow.month"), options=list(range(len(labels))), key=f"{key}_month",
                                  format_func=lambda i: month_label(lang, labels[i]))
    play = cols[1].button(t(lang, "flow.play"), key=f"{key}_play", help=t(lang, "flow.play_help"))
    st.html(CSS)
    frame = st.container(key=f"{key}-flowpic").empty()

    def draw(i: int) -> None:
        def charts():
            return flow_charts(flow, res.team_names, res.team_tracks, i, month_label(lang, labels[i]), lang,
                               width, height)
        with frame.container():
            draw_chart(res, ("flow", i, lang, width, height), lambda: charts()[0], width="content")
            draw_chart(res, ("flow_status", i, lang), lambda: charts()[1], width="stretch")

    if play:  # step through every month from the one shown, then stay on the last
        for i in range(int(month), len(labels)):
            draw(i)
            time.sleep(FRAME_SECONDS)
        st.session_state[f"{key}_played_to"] = len(labels) - 1
        st.rerun()
    draw(int(month))
