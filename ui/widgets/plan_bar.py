"""The plan bar: each team's quota judges as a number with − and + above the figures, on a phone.

Why: on a 390 px phone the sidebar opens over the page, so the figures were out of sight while
a judge slider moved, and one judge was 8 px of slider track. The bar puts the key controls of
the plan (judges per team) above the cards, with steps a finger can hit; the rest of the plan
stays in the sidebar. It is drawn on every page run but shown only on narrow windows (CSS in
:mod:`ui.widgets.layout`): wider windows have the sidebar beside the figures.

A step in the bar is a move of that team's judge slider, by the slider's own rules (staff
totals kept or not, where moved judges come from, a move back retracing the last one), so the
bar and the sliders always show the same plan.

Each number's key holds the judges it shows (``bar_judges_<team>_<judges>``): a plan changed
elsewhere (a slider, the table) draws a new number, starting at the new value. Why not one key
whose value is set through session state on every run: the bar is drawn, hidden, on a wide
screen too, and when two slider moves came quickly the browser sent the bar's older value back
with the second move, which Streamlit took for a change of the bar and undid the move.
"""
from __future__ import annotations

import streamlit as st

from sim.vocabulary.safe_text import md_escape

from ..i18n import t, t_md
from . import controls as C
from . import plan as P
from .team_inputs import move_judges

KEY = "plan_bar"


def bar_key(i: int, judges: int) -> str:
    """Session key of team ``i``'s number in the bar while the team has ``judges``."""
    return f"bar_judges_{i}_{judges}"


def _on_step(i: int, key: str) -> None:
    """The bar's number changed: move team ``i``'s judge slider there (before anything is drawn)."""
    s = st.session_state
    value = s.get(key)
    teams = P.teams(s)
    if value is None or i >= len(teams):
        return
    if key != bar_key(i, int(teams[i]["judges"] or 0)):
        # a number drawn for judges the team no longer has (the plan moved since: a slider, the
        # table), its value sent again by a browser that had not yet drawn the new one; taking
        # it moved a judge just added with the slider back
        return
    move_judges(i, int(value))


def render(lang: str, editable: bool = True) -> None:
    """The bar (nothing when the judges cannot be changed, as in an exercise that fixes them)."""
    s = st.session_state
    teams = P.teams(s)
    if not editable or not teams:
        return
    with st.container(key=KEY):
        st.caption(f"**{t(lang, 'bar.title')}** · " + (t(lang, "bar.kept") if P.value(s, C.KEEP_TOTALS, True)
                                                       else t(lang, "bar.added")), help=t(lang, "bar.where"))
        row = st.container(horizontal=True, key="plan_bar_teams")
        for i, tm in enumerate(teams):
            judges = int(tm["judges"] or 0)
            key = bar_key(i, judges)
            # a label and its help read Markdown: the team's name is the user's, shown as text
            row.number_input(md_escape(tm["name"] or "—"), min_value=0, max_value=500, value=judges, step=1, key=key,
                             on_change=_on_step, args=(i, key), help=t_md(lang, "bar.help", team=tm["name"] or "—"))
