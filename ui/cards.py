"""Metric cards: one per headline figure, with its interval, target status and change."""
from __future__ import annotations

import math
from typing import Optional

import pandas as pd
import streamlit as st

from sim.vocabulary.figure_format import figure_change, figure_interval, figure_name, figure_value, target_text
from sim.vocabulary.figure_registry import REGISTRY
from sim.analysis.results import Results, paired_difference

from .i18n import t

# Lead with the within-limit rate (model.md); then backlog, age, speed, capacity.
HEADLINE = ("within_limit_rate", "clearance_rate", "pending_end", "overdue_pending_end",
            "long_pending_end", "disposition_days_mean", "judge_utilisation", "closures_per_judge")

def target_line(lang: str, figure: str, tgt: dict) -> str:
    """'达标（目标 ≥ 95.0%）' — a word as well as an icon, never colour alone."""
    key = "card.met" if tgt["met"] else "card.missed"
    return t(lang, key, target=target_text(lang, figure, tgt["target"]))


def delta_colour(figure: str) -> str:
    """st.metric's delta_color: green for a change in the better direction (from the registry)."""
    return {"higher": "normal", "lower": "inverse"}.get(REGISTRY[figure].better or "", "off")


def render_cards(lang: str, res: Results, base: Optional[Results]) -> None:
    """Eight cards in two rows of four."""
    summ = res.summary()
    targets = res.targets()
    cols = st.columns(4)
    for n, figure in enumerate(HEADLINE):
        stat = summ[figure]
        delta = None
        if base is not None:
            d = paired_difference(res, base, figure) if base.seed == res.seed else None
            change = d.mean if d is not None else summ[figure].mean - base.summary()[figure].mean
            delta = figure_change(lang, figure, change) if math.isfinite(change) else None
        flat = delta is not None and delta.startswith("±")  # no arrow for a change that rounds to zero
        with cols[n % 4].container(border=True, key=f"card_{figure}"):
            st.metric(figure_name(lang, figure), figure_value(lang, figure, stat.mean), delta=delta,
                      delta_color="off" if flat else delta_colour(figure), delta_arrow="off" if flat else "auto",
                      help=REGISTRY[figure].definition(lang))
            st.caption(t(lang, "card.ci", range=figure_interval(lang, figure, stat.ci_low, stat.ci_high)))
            tgt = targets.get(figure)
            if tgt is None:
                st.caption(t(lang, "card.no_target"))
            elif tgt["met"]:
                st.markdown(f":green[:material/check_circle: **{target_line(lang, figure, tgt)}**]")
            else:
                st.markdown(f":red[:material/cancel: **{target_line(lang, figure, tgt)}**]")


def all_figures_table(lang: str, res: Results) -> pd.DataFrame:
    """Every figure over the horizon, with interval and target status, for the detail table."""
    rows = []
    targets = res.targets()
    for figure, stat in res.summary().items():
        tgt = targets.get(figure)
        rows.append({
            t(lang, "tbl.figure"): figure_name(lang, figure),
            t(lang, "tbl.mean"): figure_value(lang, figure, stat.mean),
            t(lang, "tbl.ci"): figure_interval(lang, figure, stat.ci_low, stat.ci_high),
            t(lang, "tbl.target"): "" if tgt is None else target_text(lang, figure, tgt["target"]),
            t(lang, "tbl.status"): "" if tgt is None else t(lang, "tbl.met" if tgt["met"] else "tbl.missed"),
        })
    return pd.DataFrame(rows)
