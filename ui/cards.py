"""Metric cards: one per headline figure, with its interval, target status and change."""
from __future__ import annotations

import math
from typing import Optional

import pandas as pd
import streamlit as st

from sim.figures import FIGURES
from sim.results import Results, paired_difference

from .i18n import fig_name, fmt_delta, fmt_figure, fmt_range, t

# Lead with the within-limit rate (model.md); then backlog, age, speed, capacity.
HEADLINE = ("within_limit_rate", "clearance_rate", "pending_end", "overdue_pending_end",
            "long_pending_end", "disposition_days_mean", "judge_utilisation", "closures_per_judge")

# which way is better, for the colour of the change (utilisation has no better direction)
HIGHER_BETTER = {"within_limit_rate", "clearance_rate", "closure_rate", "closures_per_judge",
                 "mediation_resolution_share", "mediation_success_rate", "closed"}
LOWER_BETTER = {"pending_end", "overdue_pending_end", "long_pending_end", "long_pending_share",
                "disposition_days_mean", "disposition_days_median", "disposition_days_p90",
                "wait_days_mean", "queue_avg", "pending_avg", "extension_rate"}


def target_text(lang: str, figure: str, tgt: dict) -> str:
    """'✅ 达标（目标 ≥ 95.0%）' — an icon and a word, never colour alone."""
    kind = FIGURES[figure][0]
    target = fmt_figure(lang, kind, tgt["target"], figure)
    key = "card.met" if tgt["met"] else "card.missed"
    text = t(lang, key, dir=t(lang, f"dir.{tgt['direction']}"), target=target)
    # "met" under a warning that undermines it (a team without judges...) is never shown plainly
    return text + t(lang, "warn.target_doubtful") if tgt["met"] and tgt.get("doubtful") else text


def delta_colour(figure: str) -> str:
    """st.metric's delta_color: green for a change in the better direction."""
    if figure in HIGHER_BETTER:
        return "normal"
    if figure in LOWER_BETTER:
        return "inverse"
    return "off"


def render_cards(lang: str, res: Results, base: Optional[Results]) -> None:
    """Eight cards in two rows of four."""
    summ = res.summary()
    targets = res.targets()
    cols = st.columns(4)
    for n, figure in enumerate(HEADLINE):
        kind = FIGURES[figure][0]
        stat = summ[figure]
        delta = None
        if base is not None:
            d = paired_difference(res, base, figure) if base.seed == res.seed else None
            delta = fmt_delta(kind, d.mean if d is not None else summ[figure].mean - base.summary()[figure].mean, figure)
        flat = delta is not None and delta.startswith("±")  # no arrow for a change that rounds to zero
        with cols[n % 4].container(border=True, key=f"card_{figure}"):
            st.metric(fig_name(lang, figure), fmt_figure(lang, kind, stat.mean, figure), delta=delta,
                      delta_color="off" if flat else delta_colour(figure), delta_arrow="off" if flat else "auto",
                      help=t(lang, f"fighelp.{figure}"))
            # every figure is ≥ 0: a t-interval reaching below 0 is shown from 0
            st.caption(t(lang, "card.ci", range=fmt_range(lang, kind, max(0.0, stat.ci_low), stat.ci_high, figure)))
            tgt = targets.get(figure)
            if tgt is None:
                st.caption(t(lang, "card.no_target"))
            elif tgt["met"]:
                st.markdown(f":green[:material/check_circle: **{target_text(lang, figure, tgt)}**]")
            else:
                st.markdown(f":red[:material/cancel: **{target_text(lang, figure, tgt)}**]")


def all_figures_table(lang: str, res: Results) -> pd.DataFrame:
    """Every figure over the horizon, with interval and target status, for the detail table."""
    rows = []
    targets = res.targets()
    for figure, stat in res.summary().items():
        kind = FIGURES[figure][0]
        tgt = targets.get(figure)
        rows.append({
            t(lang, "tbl.figure"): fig_name(lang, figure),
            t(lang, "tbl.mean"): fmt_figure(lang, kind, stat.mean, figure),
            t(lang, "tbl.ci"): ("—" if not math.isfinite(stat.ci_low) else
                                fmt_range(lang, kind, max(0.0, stat.ci_low), stat.ci_high, figure)),
            t(lang, "tbl.target"): "" if tgt is None else
            f"{t(lang, 'dir.' + tgt['direction'])} {fmt_figure(lang, kind, tgt['target'], figure)}",
            t(lang, "tbl.status"): "" if tgt is None else t(lang, "tbl.met" if tgt["met"] else "tbl.missed"),
        })
    return pd.DataFrame(rows)
