"""Metric cards: one per headline figure, with its interval, target status and change."""
from __future__ import annotations

import math
from typing import Optional

import pandas as pd
import streamlit as st

from sim.analysis.results import Results, paired_difference
from sim.vocabulary.figure_format import (
    figure_change,
    figure_interval,
    figure_name,
    figure_value,
    target_text,
    verdict_mark,
    verdict_note,
    verdict_text,
    verdict_word,
)
from sim.vocabulary.figure_registry import HEADLINE, REGISTRY

from ..i18n import t, track_label
from .layout import show_table

# one card per headline figure, in the registry's order (HEADLINE: twelve fill whole rows of four,
# three or two, ui.widgets.layout)

# colour and icon per verdict; the word is always written too, never colour alone
VERDICT_STYLE = {"met": ("green", "check_circle"), "missed": ("red", "cancel"), "undecided": ("orange", "help")}


def _doubt(lang: str, tgt: dict) -> str:
    """'（存疑，见上方提示）' after a "met" that an engine warning undermines (a team without judges,
    a saturated team: see sim.model.caveats), so such a "met" is never shown plainly."""
    return t(lang, "warn.target_doubtful") if tgt["verdict"] == "met" and tgt.get("doubtful") else ""


def verdict_markdown(lang: str, figure: str, tgt: dict) -> str:
    """':orange[:material/help: **尚难判定（目标 ≥ 95.0%）**]': icon, colour and words."""
    colour, icon = VERDICT_STYLE[tgt["verdict"]]
    return f":{colour}[:material/{icon}: **{verdict_text(lang, figure, tgt)}{_doubt(lang, tgt)}**]"


def verdict_cell(lang: str, tgt: Optional[dict]) -> str:
    """A table cell: '✓ 达标', '? 尚难判定', '' without a target."""
    if tgt is None:
        return ""
    return f"{verdict_mark(tgt['verdict'])} {verdict_word(lang, tgt['verdict'])}{_doubt(lang, tgt)}"


def interval_caption(lang: str, figure: str, stat) -> str:
    """'95% 区间：94.6% – 95.1%', or that one replication has no interval."""
    if stat.n == 1:
        return t(lang, "card.single_run")
    return t(lang, "card.ci", range=figure_interval(lang, figure, stat.ci_low, stat.ci_high))


def delta_colour(figure: str) -> str:
    """st.metric's delta_color: green for a change in the better direction (from the registry)."""
    return {"higher": "normal", "lower": "inverse"}.get(REGISTRY[figure].better or "", "off")


def render_cards(lang: str, res: Results, base: Optional[Results]) -> None:
    """Twelve cards in a wrapping row: four, three or two a line as the page narrows (ui.widgets.layout)."""
    summ = res.summary()
    targets = res.targets()
    row = st.container(horizontal=True, key="cards")
    for figure in HEADLINE:
        stat = summ[figure]
        delta = None
        if base is not None:
            d = paired_difference(res, base, figure) if base.seed == res.seed else None
            change = d.mean if d is not None else summ[figure].mean - base.summary()[figure].mean
            delta = figure_change(lang, figure, change) if math.isfinite(change) else None
        flat = delta is not None and delta.startswith("±")  # no arrow for a change that rounds to zero
        with row.container(border=True, key=f"card_{figure}"):
            st.metric(figure_name(lang, figure), figure_value(lang, figure, stat.mean), delta=delta,
                      delta_color="off" if flat else delta_colour(figure), delta_arrow="off" if flat else "auto",
                      help=REGISTRY[figure].definition(lang))
            st.caption(interval_caption(lang, figure, stat))
            tgt = targets.get(figure)
            if tgt is None:
                st.caption(t(lang, "card.no_target"))
            else:
                st.markdown(verdict_markdown(lang, figure, tgt))
                if tgt["verdict"] == "undecided":  # how many more replications would decide it
                    st.caption(verdict_note(lang, tgt))


def show_figures_table(lang: str, res: Results) -> None:
    """:func:`all_figures_table` as a grid whose value, target and verdict stay beside the
    figure's name at 1024 px (long names and verdicts on two lines), the name pinned."""
    show_table(all_figures_table(lang, res), key="all_figures", pin=[t(lang, "tbl.figure")],
               first=[t(lang, k) for k in ("tbl.mean", "tbl.target", "tbl.status")],
               wrap={t(lang, "tbl.figure"): 170, t(lang, "tbl.status"): 140}, height="all")


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
            t(lang, "tbl.status"): verdict_cell(lang, tgt),
            t(lang, "tbl.note"): "" if tgt is None else verdict_note(lang, tgt),
        })
    return pd.DataFrame(rows)


def procedures_frame(lang: str, res: Results) -> pd.DataFrame:
    """The by-procedure table (:meth:`Results.procedures`): per procedure its track, cases closed,
    within-limit rate with interval and verdict (against its track's target), overdue pending."""
    rows = []
    wl, od = "within_limit_rate", "overdue_pending_end"
    for p in res.procedures():
        proc = res.scenario.procedures[p["procedure"]]
        tw, to = p["targets"].get(wl), p["targets"].get(od)
        rows.append({
            t(lang, "proc.col.procedure"): (proc.label_zh if lang == "zh" else proc.label_en) or p["procedure"],
            t(lang, "proc.col.track"): track_label(lang, p["track"]),
            t(lang, "proc.col.closed"): figure_value(lang, "closed", p["closed"]["mean"]),
            figure_name(lang, wl): figure_value(lang, wl, p[wl]["mean"]),
            t(lang, "tbl.ci"): figure_interval(lang, wl, p[wl]["ci_low"], p[wl]["ci_high"]),
            t(lang, "tbl.target"): "" if tw is None else target_text(lang, wl, tw["target"]),
            t(lang, "tbl.status"): verdict_cell(lang, tw),
            figure_name(lang, od): figure_value(lang, od, p[od]["mean"]),
            t(lang, "proc.col.overdue_status"): verdict_cell(lang, to),
        })
    df = pd.DataFrame(rows)
    status = t(lang, "proc.col.overdue_status")
    if len(df) and not df[status].astype(bool).any():  # no overdue target on either track: no empty column
        df = df.drop(columns=[status])
    return df
